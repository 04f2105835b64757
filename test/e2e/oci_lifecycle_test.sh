#!/bin/bash
# End-to-end checks of the runc-compatible OCI lifecycle, driving runsc by
# hand as containerd's shim and people do: create, state, start, state,
# kill, state, delete; run; exec; ps; pause/resume; update; wait; events;
# hooks; --preserve-fds; --console-socket; and bad input (malformed
# config.json, missing rootfs, unknown ids, a killed sandbox or gofer) that
# must give a clear error and leave nothing behind.
#
#   oci_lifecycle_test.sh RUNSC
#
# Each check prints "PASS name" or "FAIL name: why"; the last line counts
# them and the exit status is non-zero if any failed.
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RUNSC" >&2
  exit 2
fi
runsc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
export LC_ALL=C

passed=0
failed=0
tmp=$(mktemp -d)
root=$tmp/state
log=$tmp/log.json
bundle=$tmp/bundle
rc=0

cleanup() {
  # Nothing may outlive the test: every container is force-deleted.
  for id in $("$runsc" --root "$root" list -q 2>/dev/null); do
    "$runsc" --root "$root" delete --force "$id" >/dev/null 2>&1
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

pass() {
  echo "PASS $1"
  passed=$((passed + 1))
}

fail() {
  echo "FAIL $1: $2"
  echo "  exit status: $rc"
  echo "  stdout: $(head -c 2000 "$tmp/out" | sed 's/^/    /')"
  echo "  stderr: $(head -c 2000 "$tmp/err" | sed 's/^/    /')"
  failed=$((failed + 1))
}

# r ARGS...: runs runsc with the test's --root and --log, output to tmp/out and tmp/err.
r() {
  timeout 60 "$runsc" --root "$root" --log "$log" --log-format json "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  return $rc
}

# status ID: the container's status as `runsc state` reports it.
status() {
  timeout 60 "$runsc" --root "$root" state "$1" 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' 2>/dev/null
}

# spec ARGS...: writes the bundle's config.json running ARGS.
spec() {
  python3 - "$bundle/config.json" "$@" <<'EOF'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
spec = {
  "ociVersion": "1.0.2",
  "process": {"terminal": False, "user": {"uid": 0, "gid": 0}, "args": args,
              "env": ["PATH=/bin:/usr/bin", "HOME=/root"], "cwd": "/"},
  "root": {"path": "rootfs", "readonly": False},
  "hostname": "lifecycle",
  "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
             {"destination": "/dev", "type": "tmpfs", "source": "tmpfs"},
             {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["ro"]},
             {"destination": "/run", "type": "tmpfs", "source": "tmpfs"}],
  "annotations": {"org.example.test": "yes"},
  "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"},
                           {"type": "uts"}, {"type": "network"}]},
}
json.dump(spec, open(path, "w"), indent=1)
EOF
}

# wait_status ID WANT: polls until the status is WANT (5 s at most).
wait_status() {
  for _ in $(seq 100); do
    [[ $(status "$1") == "$2" ]] && return 0
    sleep 0.05
  done
  return 1
}

mkdir -p "$bundle"
bash "$here/make_busybox_root.sh" "$bundle/rootfs" >/dev/null || { echo "FAIL setup"; exit 1; }

# --- create, state, start, state, kill, state, delete ---
spec /bin/sh -c 'trap "echo term; exit 3" TERM; echo started; while :; do sleep 0.05; done'
# The container's stdio is create's: its own file here.
timeout 60 "$runsc" --root "$root" --log "$log" --log-format json create --bundle "$bundle" \
  --pid-file "$bundle/init.pid" c1 </dev/null >"$tmp/c1.out" 2>&1
rc=$?
pidfile=$(cat "$bundle/init.pid" 2>/dev/null)
if [[ $rc -eq 0 && $pidfile =~ ^[0-9]+$ && $(wc -c <"$bundle/init.pid") -eq ${#pidfile} ]]; then
  pass "create writes the bare pid"
else
  fail "create" "pid file '$pidfile'"
fi
if [[ $(status c1) == created ]]; then pass "state: created"; else fail "state created" "$(status c1)"; fi
r state c1
if python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["id"]=="c1" and s["pid"]==int(sys.argv[2]) and s["bundle"] and s["annotations"]["org.example.test"]=="yes" and s["ociVersion"]' "$tmp/out" "$pidfile"; then
  pass "state JSON fields"
else
  fail "state JSON" "fields"
fi
r create --bundle "$bundle" c1
if [[ $rc -ne 0 ]] && grep -q "already exists" "$tmp/err"; then pass "create: duplicate id refused"; else fail "duplicate id" "rc $rc"; fi
r start c1
if [[ $rc -eq 0 ]] && wait_status c1 running; then pass "start: running"; else fail "start" "$(status c1)"; fi
r start c1
if [[ $rc -ne 0 ]]; then pass "start twice refused"; else fail "start twice" "accepted"; fi
for _ in $(seq 100); do grep -q started "$tmp/c1.out" && break; sleep 0.05; done
r list --format json
if python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); assert [c["id"] for c in l]==["c1"] and l[0]["status"]=="running"' "$tmp/out"; then
  pass "list --format json"
else
  fail "list" "json"
fi
r kill c1 TERM
if [[ $rc -eq 0 ]] && wait_status c1 stopped; then pass "kill TERM: stopped"; else fail "kill" "$(status c1)"; fi
if grep -q term "$tmp/c1.out"; then pass "the container's trap ran"; else fail "trap" "$(cat "$tmp/c1.out")"; fi
r kill c1 KILL
if [[ $rc -ne 0 ]] && grep -q "container not running" "$tmp/err"; then
  pass "kill of a stopped container: not running"
else
  fail "kill stopped" "rc $rc"
fi
if grep '"level":"error"' "$log" | tail -1 | grep -q "container not running"; then
  pass "errors go to --log as JSON"
else
  fail "json log" "$(tail -2 "$log")"
fi
r delete c1
if [[ $rc -eq 0 && ! -e $root/c1 ]]; then pass "delete removes the state"; else fail "delete" "rc $rc"; fi
r delete c1
if [[ $rc -ne 0 ]] && grep -q "does not exist" "$tmp/err"; then pass "delete unknown: error"; else fail "delete unknown" "rc $rc"; fi
r delete --force c1
if [[ $rc -eq 0 ]]; then pass "delete --force unknown: exit 0"; else fail "delete --force unknown" "rc $rc"; fi

# --- the sandbox process carries the container's exit status ---
spec /bin/sh -c 'exit 7'
r create --bundle "$bundle" c2 </dev/null
sandbox=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/c2/state.json")
r start c2
wait_status c2 stopped
r delete c2
if [[ $rc -eq 0 ]]; then pass "exited container deleted"; else fail "delete exited" "rc $rc"; fi
# run: the foreground form exits with the status, 128+N for a signal.
spec /bin/sh -c 'echo out; echo err >&2; exit 7'
(cd "$bundle" && timeout 60 "$runsc" --root "$root" run c3 >"$tmp/out" 2>"$tmp/err" </dev/null)
rc=$?
if [[ $rc -eq 7 && $(cat "$tmp/out") == out && $(cat "$tmp/err") == err && ! -e $root/c3 ]]; then
  pass "run: output, status 7, cleaned up"
else
  fail "run" "status"
fi
spec /bin/sh -c 'sleep 30'
(cd "$bundle" && timeout 60 "$runsc" --root "$root" run c4 >"$tmp/out" 2>"$tmp/err" </dev/null) &
runner=$!
wait_status c4 running
r kill c4 KILL
wait $runner
rc=$?
if [[ $rc -eq 137 ]]; then pass "run: killed by SIGKILL is 137"; else fail "run sigkill" "rc $rc"; fi
# A subreaper that reaps the sandbox (containerd's shim) sees the
# container's own status: an exit code, or death by the same signal.
reap() {
  python3 - "$runsc" "$root" "$bundle" "$@" <<'EOF'
import ctypes, os, subprocess, sys
runsc, root, bundle, cid = sys.argv[1:5]
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
subprocess.run([runsc, "--root", root, "create", "--bundle", bundle, "--pid-file",
                bundle + "/reap.pid", cid], check=True, stdin=subprocess.DEVNULL)
pid = int(open(bundle + "/reap.pid").read())
subprocess.run([runsc, "--root", root, "start", cid], check=True)
if len(sys.argv) > 5:
    subprocess.run([runsc, "--root", root, "kill", cid, sys.argv[5]], check=True)
_, status = os.waitpid(pid, 0)
print(("exit %d" % os.WEXITSTATUS(status)) if os.WIFEXITED(status) else ("signal %d" % os.WTERMSIG(status)))
EOF
}
spec /bin/sh -c 'exit 7'
out=$(reap c5)
[[ $out == "exit 7" ]] && pass "the reaper sees exit 7" || fail "reap exit" "$out"
r delete c5
spec /bin/sh -c 'sleep 30'
out=$(reap c5 KILL)
[[ $out == "signal 9" ]] && pass "the reaper sees death by SIGKILL" || fail "reap signal" "$out"
r delete c5
# A pid namespace's init ignores signals from outside it has no handler
# for (SIGKILL aside), as under runc.
spec /bin/sh -c 'sleep 0.5; exit 4'
out=$(reap c5 TERM)
[[ $out == "exit 4" ]] && pass "a handler-less init ignores SIGTERM from outside" || fail "init ignores" "$out"
r delete c5

# --- kill before start: the sandbox dies of the signal ---
spec /bin/sh -c 'echo never'
r create --bundle "$bundle" c6 </dev/null
r kill c6 KILL
if [[ $rc -eq 0 ]] && wait_status c6 stopped; then pass "kill of a created container"; else fail "kill created" "$(status c6)"; fi
r delete c6
[[ ! -e $root/c6 ]] && pass "delete after kill" || fail "delete after kill" "state left"

# --- exec, ps, pause/resume, wait, update, events ---
spec /bin/sh -c 'while :; do sleep 0.05; done'
r create --bundle "$bundle" c7 </dev/null
r start c7
wait_status c7 running
r exec c7 /bin/sh -c 'echo exec-out; hostname; exit 5'
if [[ $rc -eq 5 && $(head -1 "$tmp/out") == exec-out && $(sed -n 2p "$tmp/out") == lifecycle ]]; then
  pass "exec: output, hostname, status"
else
  fail "exec" "rc $rc"
fi
cat >"$tmp/process.json" <<'EOF'
{"args": ["/bin/sh", "-c", "echo $FOO; exit 4"], "env": ["FOO=from-process-file"], "cwd": "/tmp",
 "user": {"uid": 0, "gid": 0}}
EOF
r exec --process "$tmp/process.json" c7
if [[ $rc -eq 4 && $(cat "$tmp/out") == from-process-file ]]; then pass "exec --process"; else fail "exec --process" "rc $rc"; fi
r exec --detach --pid-file "$tmp/e.pid" c7 /bin/sleep 30
epid=$(cat "$tmp/e.pid" 2>/dev/null)
if [[ $rc -eq 0 && $epid =~ ^[0-9]+$ ]] && kill -0 "$epid" 2>/dev/null; then
  pass "exec --detach writes a live pid"
else
  fail "exec --detach" "pid '$epid'"
fi
# ps --format json gives host pids where a process has one: the sandbox for
# the first process, the exec's pid-file process for an exec.
sandbox=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/c7/state.json")
r ps --format json c7
if python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert int(sys.argv[2]) in p and int(sys.argv[3]) in p and len(p)>=3, p' "$tmp/out" "$sandbox" "$epid"; then
  pass "ps --format json"
else
  fail "ps" "$(cat "$tmp/out")"
fi
r ps c7
if grep -q "sleep" "$tmp/out" && awk '$2 == 1' "$tmp/out" | grep -q sh; then pass "ps table"; else fail "ps table" "$(cat "$tmp/out")"; fi
r pause c7
if [[ $rc -eq 0 && $(status c7) == paused ]]; then pass "pause"; else fail "pause" "$(status c7)"; fi
r pause c7
[[ $rc -ne 0 ]] && pass "pause twice refused" || fail "pause twice" "accepted"
r resume c7
if [[ $rc -eq 0 && $(status c7) == running ]]; then pass "resume"; else fail "resume" "$(status c7)"; fi
r exec c7 /bin/true
[[ $rc -eq 0 ]] && pass "exec after resume" || fail "exec after resume" "rc $rc"
echo '{"memory":{"limit":268435456},"pids":{"limit":200},"cpu":{"shares":512}}' >"$tmp/res.json"
r update --resources - c7 <"$tmp/res.json"
cg=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cgroups_path"])' "$root/c7/state.json")
if [[ $rc -eq 0 ]]; then
  if [[ -f /sys/fs/cgroup/memory$cg/memory.limit_in_bytes ]]; then
    [[ $(cat /sys/fs/cgroup/memory$cg/memory.limit_in_bytes) == 268435456 ]] &&
      pass "update: memory limit applied (v1)" || fail "update" "limit not applied"
  elif [[ -f /sys/fs/cgroup$cg/memory.max ]]; then
    [[ $(cat /sys/fs/cgroup$cg/memory.max) == 268435456 ]] &&
      pass "update: memory limit applied (v2)" || fail "update" "limit not applied"
  else
    pass "update accepted (no memory controller)"
  fi
else
  fail "update" "rc $rc"
fi
r events --stats c7
if python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).readline()); assert e["type"]=="stats" and e["id"]=="c7"' "$tmp/out"; then
  pass "events --stats"
else
  fail "events" "$(cat "$tmp/out")"
fi
(timeout 60 "$runsc" --root "$root" wait c7 >"$tmp/wait.out" 2>&1) &
waiter=$!
sleep 0.2
r kill --all c7 KILL
wait $waiter
if python3 -c 'import json,sys; w=json.load(open(sys.argv[1])); assert w["exitStatus"]==137, w' "$tmp/wait.out"; then
  pass "wait reports the exit status"
else
  fail "wait" "$(cat "$tmp/wait.out")"
fi
for _ in $(seq 100); do kill -0 "$epid" 2>/dev/null || break; sleep 0.05; done
if ! kill -0 "$epid" 2>/dev/null; then pass "detached exec ends with the container"; else fail "exec end" "$epid alive"; fi
r delete c7
if [[ ! -e $root/c7 && ! -d /sys/fs/cgroup/memory$cg && ! -d /sys/fs/cgroup$cg ]]; then
  pass "delete removes the cgroup"
else
  fail "delete cgroup" "left behind"
fi

# --- hooks, --preserve-fds, delete --force of a running container ---
python3 - "$bundle/config.json" "$tmp" <<'EOF'
import json, sys
path, tmp = sys.argv[1:]
spec = json.load(open(path))
spec["process"]["args"] = ["/bin/sh", "-c", "cat <&3; sleep 30"]
spec["hooks"] = {
  "prestart": [{"path": "/bin/sh", "args": ["sh", "-c", "cat > " + tmp + "/prestart.json"]}],
  "poststart": [{"path": "/bin/sh", "args": ["sh", "-c", "echo poststart > " + tmp + "/poststart"]}],
  "poststop": [{"path": "/bin/sh", "args": ["sh", "-c", "echo poststop > " + tmp + "/poststop"]}],
}
json.dump(spec, open(path, "w"))
EOF
echo preserved-fd-content >"$tmp/fd3"
r create --bundle "$bundle" --preserve-fds 1 c8 3<"$tmp/fd3" </dev/null
if python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["id"]=="c8" and s["status"]=="created"' "$tmp/prestart.json"; then
  pass "prestart hook gets the state"
else
  fail "prestart" "no state"
fi
r start c8
[[ -f $tmp/poststart ]] && pass "poststart hook" || fail "poststart" "not run"
r delete c8
[[ $rc -ne 0 ]] && grep -q "not stopped" "$tmp/err" && pass "delete of a running container refused" ||
  fail "delete running" "rc $rc"
r delete --force c8
if [[ $rc -eq 0 && ! -e $root/c8 && -f $tmp/poststop ]]; then pass "delete --force, poststop hook"; else fail "delete --force" "rc $rc"; fi

# --- createContainer and startContainer hooks: in the container's namespaces ---
# hooks_spec HOOKS_JSON ARGS...: the bundle's config.json running ARGS as
# uid 1000, with these hooks.
hooks_spec() {
  local hooks=$1
  shift
  spec "$@"
  python3 - "$bundle/config.json" "$hooks" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["process"]["user"] = {"uid": 1000, "gid": 1000}
spec["hooks"] = json.loads(sys.argv[2])
json.dump(spec, open(sys.argv[1], "w"))
EOF
}
# alive PID: whether the process exists and is not a zombie.
alive() {
  [[ -n $1 && -e /proc/$1 ]] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}
# ns_of PID: the namespaces of a process, as where.sh records its own.
ns_of() {
  for ns in net mnt uts ipc pid; do readlink "/proc/$1/ns/$ns"; done
}
# A host binary run as a hook: records the namespaces it runs in and the
# state it is given.
cat >"$tmp/where.sh" <<'EOF'
#!/bin/sh
for ns in net mnt uts ipc pid; do readlink /proc/self/ns/$ns; done >"$1.ns"
cat >"$1.state"
EOF
chmod +x "$tmp/where.sh"
# The startContainer hook: busybox's shell in the container's root, writing
# into the container's /run (a tmpfs of the sandbox) its stdin, its
# environment, uid and working directory.
start_hook='{"path": "/bin/sh", "env": ["HOOK_VAR=from-hook", "PATH=/bin"],
  "args": ["sh", "-c", "{ cat; echo; echo \"$HOOK_VAR $(id -u) $(pwd)\"; } >/run/started"]}'
hooks_spec "{\"createContainer\": [{\"path\": \"$tmp/where.sh\", \"args\": [\"where.sh\", \"$tmp/h1\"]}],
             \"startContainer\": [$start_hook]}" /bin/sh -c 'cat /run/started; id -u; sleep 30'
timeout 60 "$runsc" --root "$root" create --bundle "$bundle" h1 </dev/null >"$tmp/h1.out" 2>&1
rc=$?
sandbox=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/h1/state.json" 2>/dev/null)
if [[ $rc -eq 0 && -n $sandbox && $(cat "$tmp/h1.ns" 2>/dev/null) == "$(ns_of "$sandbox")" &&
      "$(ns_of "$sandbox")" != "$(ns_of $$)" ]]; then
  pass "createContainer hook: in the sandbox's namespaces"
else
  fail "createContainer namespaces" "hook $(tr '\n' ' ' <"$tmp/h1.ns" 2>/dev/null), sandbox $(ns_of "$sandbox" | tr '\n' ' ')"
fi
if python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["id"]=="h1" and s["status"]=="created" and s["pid"]==int(sys.argv[2]), s' "$tmp/h1.state" "$sandbox"; then
  pass "createContainer hook: the state on stdin"
else
  fail "createContainer state" "$(cat "$tmp/h1.state" 2>/dev/null)"
fi
r start h1
for _ in $(seq 100); do [[ $(wc -l <"$tmp/h1.out") -ge 3 ]] && break; sleep 0.05; done
if [[ $rc -eq 0 ]] &&
   python3 -c 'import json,sys; s=json.loads(open(sys.argv[1]).readline()); assert s["id"]=="h1" and s["status"]=="created", s' "$tmp/h1.out" &&
   [[ $(sed -n 2p "$tmp/h1.out") == "from-hook 0 /" && $(sed -n 3p "$tmp/h1.out") == 1000 ]] &&
   [[ ! -e $bundle/rootfs/run/started ]]; then
  pass "startContainer hook: in the container, as root in /, before its process"
else
  fail "startContainer" "rc $rc, container output: $(cat "$tmp/h1.out")"
fi
r delete --force h1

# A failing startContainer hook fails start, names itself, and stops the
# container before its process runs; delete then leaves nothing.
hooks_spec "{\"startContainer\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo hook-says-no >&2; exit 3\"]}],
             \"poststop\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo > $tmp/h2.poststop\"]}]}" \
  /bin/echo process-ran
timeout 60 "$runsc" --root "$root" create --bundle "$bundle" h2 </dev/null >"$tmp/h2.out" 2>&1
sandbox=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/h2/state.json" 2>/dev/null)
r start h2
if [[ $rc -ne 0 ]] && grep -q "startContainer hook /bin/sh failed (status 3): hook-says-no" "$tmp/err" &&
   wait_status h2 stopped && ! grep -q process-ran "$tmp/h2.out"; then
  pass "a failing startContainer hook fails start and stops the container"
else
  fail "failing startContainer" "rc $rc, status $(status h2), output $(cat "$tmp/h2.out")"
fi
r delete h2
if [[ $rc -eq 0 && ! -e $root/h2 && -f $tmp/h2.poststop ]] && ! alive "$sandbox"; then
  pass "delete after a failed start leaves nothing"
else
  fail "delete after failed start" "rc $rc"
fi
# Its timeout: the hook is killed, start fails.
hooks_spec '{"startContainer": [{"path": "/bin/sleep", "args": ["sleep", "30"], "timeout": 1}]}' /bin/true
r create --bundle "$bundle" h3 </dev/null
SECONDS=0
r start h3
if [[ $rc -ne 0 && $SECONDS -lt 15 ]] && grep -q "startContainer hook /bin/sleep timed out after 1s" "$tmp/err"; then
  pass "startContainer hook timeout"
else
  fail "startContainer timeout" "rc $rc after ${SECONDS}s"
fi
r delete --force h3

# A failing createContainer hook fails create and leaves nothing behind:
# no state, no sandbox process, no cgroup.
for hook in '{"path": "/bin/sh", "args": ["sh", "-c", "exit 4"]}' '{"path": "/no/such/hook"}'; do
  hooks_spec "{\"createContainer\": [$hook]}" /bin/true
  r create --bundle "$bundle" h4 </dev/null
  if [[ $rc -ne 0 && ! -e $root/h4 ]] &&
     grep -Eq "createContainer hook (/bin/sh failed \(status 4\)|/no/such/hook: cannot execute)" "$tmp/err" &&
     ! pgrep -f -- "boot --bundle $bundle .* h4\$" >/dev/null &&
     [[ -z $(find /sys/fs/cgroup -maxdepth 3 -path '*/runsc/h4' 2>/dev/null) ]]; then
    pass "a failing createContainer hook fails create, nothing left ($(grep -o 'hook [^ :]*' "$tmp/err"))"
  else
    fail "failing createContainer" "rc $rc"
  fi
done

# In a pod: createContainer joins the pod sandbox's namespaces, and
# startContainer runs in the container's own root.
mkdir -p "$tmp/hookpod"
cp -a "$bundle/rootfs" "$tmp/hookpod/rootfs"
hooks_spec '{}' /bin/sleep 1000
python3 - "$bundle/config.json" "$tmp/hookpod/config.json" "$tmp" <<'EOF'
import json, sys
pod, app, tmp = sys.argv[1:]
spec = json.load(open(pod))
spec["annotations"] = {"io.kubernetes.cri.container-type": "sandbox",
                       "io.kubernetes.cri.sandbox-id": "hpod"}
json.dump(spec, open(pod, "w"))
spec["process"]["args"] = ["/bin/sh", "-c", "cat /run/hooked; exec sleep 1000"]
spec["annotations"] = {"io.kubernetes.cri.container-type": "container",
                       "io.kubernetes.cri.sandbox-id": "hpod"}
spec["hooks"] = {
  "createContainer": [{"path": tmp + "/where.sh", "args": ["where.sh", tmp + "/happ"]}],
  "startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "echo hooked-in-app >/run/hooked"]}]}
json.dump(spec, open(app, "w"))
EOF
r create --bundle "$bundle" hpod </dev/null
r start hpod
podpid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/hpod/state.json" 2>/dev/null)
timeout 60 "$runsc" --root "$root" create --bundle "$tmp/hookpod" happ </dev/null >"$tmp/happ.out" 2>&1
rc=$?
if [[ $rc -eq 0 && $(cat "$tmp/happ.ns" 2>/dev/null) == "$(ns_of "$podpid")" ]]; then
  pass "pod: createContainer hook in the pod sandbox's namespaces"
else
  fail "pod createContainer" "rc $rc"
fi
r start happ
for _ in $(seq 100); do grep -q hooked-in-app "$tmp/happ.out" && break; sleep 0.05; done
r exec hpod cat /run/hooked
if grep -q hooked-in-app "$tmp/happ.out" && [[ $rc -ne 0 ]]; then
  pass "pod: startContainer hook in the container's own root"
else
  fail "pod startContainer" "$(cat "$tmp/happ.out")"
fi
r delete --force happ
r delete --force hpod

# --- the container's stdio and --preserve-fds ---
spec /bin/sh -c 'cat <&3; read line; echo "got $line"'
(cd "$bundle" && echo input-line | timeout 60 "$runsc" --root "$root" run --preserve-fds 1 c9 3<"$tmp/fd3" >"$tmp/out" 2>"$tmp/err")
rc=$?
if [[ $rc -eq 0 && $(head -1 "$tmp/out") == preserved-fd-content && $(sed -n 2p "$tmp/out") == "got input-line" ]]; then
  pass "stdin and --preserve-fds reach the container"
else
  fail "preserve-fds" "rc $rc"
fi

# --- --console-socket: the pty master goes to the caller ---
python3 - "$bundle/config.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["process"]["terminal"] = True
spec["process"]["args"] = ["/bin/sh", "-c", "test -t 0 && test -t 1 && echo is-a-tty"]
json.dump(spec, open(sys.argv[1], "w"))
EOF
python3 - "$runsc" "$root" "$bundle" "$tmp" >"$tmp/out" 2>"$tmp/err" <<'EOF'
import array, os, socket, subprocess, sys, time
runsc, root, bundle, tmp = sys.argv[1:]
path = tmp + "/console.sock"
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
p = subprocess.Popen([runsc, "--root", root, "create", "--bundle", bundle, "--console-socket", path, "c10"])
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 1024, 1)
assert p.wait() == 0
subprocess.run([runsc, "--root", root, "start", "c10"], check=True)
out = b""
deadline = time.time() + 20
while b"is-a-tty" not in out and time.time() < deadline:
    try:
        chunk = os.read(fds[0], 1024)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
print(out.decode(errors="replace").strip())
EOF
if grep -q is-a-tty "$tmp/out"; then pass "console socket: the container's stdio is a terminal"; else fail "console" "no tty"; fi
r delete --force c10

# --- bind mounts: a directory and single files (as CRI's /etc/hosts) ---
mkdir -p "$tmp/share"
echo shared-dir-file >"$tmp/share/inside"
echo "10.0.0.1 bound-host" >"$tmp/hosts"
echo written-through >"$tmp/rwfile"
python3 - "$bundle/config.json" "$tmp" <<'EOF'
import json, sys
path, tmp = sys.argv[1:]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["/bin/sh", "-c",
    "cat /mnt/share/inside /etc/hosts-bound; echo changed > /etc/rw-bound; "
    "echo x > /etc/hosts-bound 2>/dev/null && echo ro-broken || echo ro-kept; ls /mnt/share"]
spec["mounts"] = spec.get("mounts", []) + [
    {"destination": "/mnt/share", "type": "bind", "source": tmp + "/share", "options": ["rbind"]},
    {"destination": "/etc/hosts-bound", "type": "bind", "source": tmp + "/hosts",
     "options": ["rbind", "ro"]},
    {"destination": "/etc/rw-bound", "type": "bind", "source": tmp + "/rwfile",
     "options": ["rbind", "rw"]}]
json.dump(spec, open(path, "w"))
EOF
(cd "$bundle" && timeout 60 "$runsc" --root "$root" run b0 >"$tmp/out" 2>"$tmp/err" </dev/null)
rc=$?
want=$'shared-dir-file\n10.0.0.1 bound-host\nro-kept\ninside'
if [[ $rc -eq 0 && $(cat "$tmp/out") == "$want" && $(cat "$tmp/rwfile") == changed ]]; then
  pass "bind mounts of a directory and of single files (ro and rw)"
else
  fail "bind mounts" "rc $rc"
fi

# --- bad input: clear errors, nothing left behind ---
mkdir -p "$tmp/bad"
echo '{"ociVersion": "1.0.2", "root": {"path": "' "$bundle/rootfs" '"}, "process": {"args": ["sh", 3], "cwd": "/"}}' | tr -d ' ' >"$tmp/bad/config.json"
r create --bundle "$tmp/bad" b1
if [[ $rc -ne 0 ]] && grep -q 'process.args\[1\]' "$tmp/err" && [[ ! -e $root/b1 ]]; then
  pass "malformed config.json names the field"
else
  fail "malformed" "rc $rc"
fi
echo '{not json' >"$tmp/bad/config.json"
r create --bundle "$tmp/bad" b2
[[ $rc -ne 0 && ! -e $root/b2 ]] && grep -q "not valid JSON" "$tmp/err" && pass "invalid JSON refused" ||
  fail "invalid json" "rc $rc"
echo '{"ociVersion": "1.0.2", "root": {"path": "/nonexistent-rootfs"}, "process": {"args": ["sh"], "cwd": "/"}}' >"$tmp/bad/config.json"
r create --bundle "$tmp/bad" b3
[[ $rc -ne 0 && ! -e $root/b3 ]] && grep -q "nonexistent-rootfs" "$tmp/err" && pass "missing rootfs refused" ||
  fail "missing rootfs" "rc $rc"
r create --bundle "$tmp/no-such-bundle" b4
[[ $rc -ne 0 && ! -e $root/b4 ]] && grep -q "does not exist" "$tmp/err" && pass "missing bundle refused" ||
  fail "missing bundle" "rc $rc"
spec /no/such/program
r create --bundle "$bundle" b5
[[ $rc -ne 0 && ! -e $root/b5 ]] && grep -q "/no/such/program" "$tmp/err" && pass "missing program refused at create" ||
  fail "missing program" "rc $rc"
r create --bundle "$bundle" "../evil"
[[ $rc -ne 0 ]] && grep -q "invalid container id" "$tmp/err" && pass "bad id refused" || fail "bad id" "rc $rc"
r state nope
[[ $rc -ne 0 ]] && grep -q "does not exist" "$tmp/err" && pass "state of an unknown id" || fail "unknown state" "rc $rc"

# --- a killed sandbox or gofer: reported stopped, delete cleans up ---
spec /bin/sh -c 'while :; do sleep 0.05; done'
r create --bundle "$bundle" k1 </dev/null
r start k1
wait_status k1 running
sandbox=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/k1/state.json")
kill -KILL "$sandbox"
if wait_status k1 stopped; then pass "killed sandbox: stopped"; else fail "killed sandbox" "$(status k1)"; fi
r delete k1
[[ $rc -eq 0 && ! -e $root/k1 ]] && pass "killed sandbox: deleted" || fail "delete killed" "rc $rc"
spec /bin/sh -c 'while :; do ls / >/dev/null; sleep 0.05; done'
r create --bundle "$bundle" k2 </dev/null
r start k2
wait_status k2 running
sandbox=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/k2/state.json")
gofer=$(pgrep -P "$sandbox" | head -1)
if [[ -n $gofer ]]; then
  kill -KILL "$gofer"
  sleep 0.5
  st=$(status k2)
  if [[ $st == running || $st == stopped ]]; then pass "killed gofer: sandbox still answers ($st)"; else fail "killed gofer" "$st"; fi
else
  fail "killed gofer" "no gofer child of $sandbox"
fi
r delete --force k2
[[ $rc -eq 0 && ! -e $root/k2 ]] && pass "killed gofer: deleted" || fail "delete after gofer" "rc $rc"
sleep 0.2
if ! pgrep -f "$root" >/dev/null; then pass "no process left behind"; else fail "leftovers" "$(pgrep -af "$root")"; fi

# --- a Kubernetes pod: its containers share the pod's sandbox ---
mkdir -p "$tmp/pod/app"
cp -a "$bundle/rootfs" "$tmp/pod/app/rootfs"
echo app-root >"$tmp/pod/app/rootfs/etc/marker"
echo pod-secret >"$tmp/pod/app/rootfs/etc/pod-secret"
spec /bin/sleep 1000
python3 - "$bundle/config.json" "$tmp/pod/app/config.json" <<'EOF'
import json, sys
pod, app = sys.argv[1:]
spec = json.load(open(pod))
spec["annotations"] = {"io.kubernetes.cri.container-type": "sandbox",
                       "io.kubernetes.cri.sandbox-id": "pod1"}
json.dump(spec, open(pod, "w"))
spec["process"]["args"] = ["/bin/sh", "-c", "cat /etc/marker; exec sleep 1000"]
spec["annotations"] = {"io.kubernetes.cri.container-type": "container",
                       "io.kubernetes.cri.sandbox-id": "pod1"}
spec["linux"]["maskedPaths"] = ["/etc/pod-secret"]
spec["linux"]["readonlyPaths"] = ["/etc"]
json.dump(spec, open(app, "w"))
EOF
r create --bundle "$bundle" pod1 </dev/null
r start pod1
podpid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$root/pod1/state.json")
timeout 60 "$runsc" --root "$root" create --bundle "$tmp/pod/app" --pid-file "$tmp/pod/app.pid" app1 \
  </dev/null >"$tmp/pod/app.out" 2>&1
rc=$?
if [[ $rc -eq 0 && $(status app1) == created ]] &&
   python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["sandbox_id"]=="pod1"' "$root/app1/state.json"; then
  pass "pod: a container is created in the pod's sandbox"
else
  fail "pod create" "rc $rc, $(status app1)"
fi
r start app1
wait_status app1 running
for _ in $(seq 100); do grep -q app-root "$tmp/pod/app.out" && break; sleep 0.05; done
grep -q app-root "$tmp/pod/app.out" && pass "pod: the container runs on its own root" ||
  fail "pod root" "$(cat "$tmp/pod/app.out")"
sandboxes=$(pgrep -f "boot --bundle" | xargs -r -n1 sh -c 'cat /proc/$0/cmdline 2>/dev/null | tr "\0" " "; echo' | grep -c -- "--root $root ")
[[ $sandboxes -eq 1 ]] && pass "pod: one sandbox process for both" || fail "pod sandboxes" "$sandboxes sandboxes"
r exec app1 cat /etc/marker
[[ $rc -eq 0 && $(cat "$tmp/out") == app-root ]] && pass "pod: exec runs in the container's root" ||
  fail "pod exec" "rc $rc"
r exec pod1 cat /etc/marker
[[ $rc -ne 0 ]] && pass "pod: the sandbox container does not see the app's root" || fail "pod isolation" "rc $rc"
r exec app1 /bin/sh -c 'echo "[$(cat /etc/pod-secret)]"; touch /etc/new'
if [[ $(cat "$tmp/out") == "[]" ]] && grep -q "Read-only file system" "$tmp/err"; then
  pass "pod: the container's maskedPaths and readonlyPaths apply in its own root"
else
  fail "pod masks" "rc $rc"
fi
r ps --format json app1
if python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert p==[int(sys.argv[2])], p' "$tmp/out" "$(cat "$tmp/pod/app.pid")"; then
  pass "pod: ps lists the container's own processes"
else
  fail "pod ps" "$(cat "$tmp/out")"
fi
r kill app1 KILL
if wait_status app1 stopped && [[ $(status pod1) == running ]]; then
  pass "pod: killing a container leaves the pod running"
else
  fail "pod kill" "app1 $(status app1), pod1 $(status pod1)"
fi
r delete app1
[[ $rc -eq 0 && ! -e $root/app1 ]] && pass "pod: delete of the container" || fail "pod delete" "rc $rc"
r delete --force pod1
python3 - "$tmp/pod/app/config.json" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["annotations"]["io.kubernetes.cri.sandbox-id"] = "no-such-pod"
json.dump(spec, open(sys.argv[1], "w"))
EOF
r create --bundle "$tmp/pod/app" app2
[[ $rc -ne 0 && ! -e $root/app2 ]] && grep -q "no-such-pod" "$tmp/err" && pass "pod: an unknown pod sandbox is refused" ||
  fail "pod unknown" "rc $rc"

# --- pausing one container of a pod: only its processes freeze ---
# Each container prints a tick every 50 ms to its own file on the host (its
# stdio is create's); the app says so when it takes SIGTERM.
mkdir -p "$tmp/ppod/app"
cp -a "$bundle/rootfs" "$tmp/ppod/app/rootfs"
spec /bin/sh -c 'i=0; while :; do i=$((i+1)); echo podtick $i; sleep 0.05; done'
python3 - "$bundle/config.json" "$tmp/ppod/app/config.json" <<'EOF'
import json, sys
pod, app = sys.argv[1:]
spec = json.load(open(pod))
spec["annotations"] = {"io.kubernetes.cri.container-type": "sandbox",
                       "io.kubernetes.cri.sandbox-id": "ppod"}
json.dump(spec, open(pod, "w"))
spec["process"]["args"] = [
    "/bin/sh", "-c",
    'trap "echo term" TERM; i=0; while :; do i=$((i+1)); echo apptick $i; sleep 0.051; done']
spec["annotations"] = {"io.kubernetes.cri.container-type": "container",
                       "io.kubernetes.cri.sandbox-id": "ppod"}
json.dump(spec, open(app, "w"))
EOF
# ticks FILE: how many lines FILE has now.
ticks() { wc -l <"$1"; }
# advances FILE: whether FILE grows within 3 s.
advances() {
  local n
  n=$(ticks "$1")
  for _ in $(seq 60); do
    sleep 0.05
    [[ $(ticks "$1") -gt $n ]] && return 0
  done
  return 1
}
# pod_app ID: creates and starts a container of the pod "ppod", its output in tmp/ppod/ID.out.
pod_app() {
  timeout 60 "$runsc" --root "$root" create --bundle "$tmp/ppod/app" --pid-file "$tmp/ppod/$1.pid" \
    "$1" </dev/null >"$tmp/ppod/$1.out" 2>&1
  r start "$1"
  wait_status "$1" running
}
timeout 60 "$runsc" --root "$root" create --bundle "$bundle" ppod </dev/null >"$tmp/ppod/pod.out" 2>&1
r start ppod
pod_app papp
if advances "$tmp/ppod/papp.out" && advances "$tmp/ppod/pod.out"; then
  pass "pod pause: both containers tick"
else
  fail "pod pause ticks" "$(tail -2 "$tmp/ppod/papp.out" "$tmp/ppod/pod.out")"
fi
r pause papp
if [[ $rc -eq 0 && $(status papp) == paused && $(status ppod) == running ]]; then
  pass "pod pause: the container is paused, the pod's sandbox runs"
else
  fail "pod pause" "papp $(status papp), ppod $(status ppod)"
fi
sleep 0.5  # a tick already in a write lands
n=$(ticks "$tmp/ppod/papp.out")
if advances "$tmp/ppod/pod.out" && sleep 1 && [[ $(ticks "$tmp/ppod/papp.out") -eq $n ]]; then
  pass "pod pause: the paused container stops ticking while the pod's own goes on"
else
  fail "pod pause freeze" "$n -> $(ticks "$tmp/ppod/papp.out") ticks"
fi
r list --format json
if python3 -c 'import json,sys; s={c["id"]: c["status"] for c in json.load(open(sys.argv[1]))}; assert s["papp"]=="paused" and s["ppod"]=="running", s' "$tmp/out"; then
  pass "pod pause: list shows only that container paused"
else
  fail "pod pause list" "$(cat "$tmp/out")"
fi
r ps --format json papp
if python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); assert int(sys.argv[2]) in p, p' "$tmp/out" "$(cat "$tmp/ppod/papp.pid")"; then
  pass "pod pause: ps lists the paused container's processes"
else
  fail "pod pause ps" "$(cat "$tmp/out")"
fi
r pause papp
[[ $rc -ne 0 ]] && pass "pod pause: pausing it twice is refused" || fail "pod pause twice" "accepted"
r exec papp /bin/true
if [[ $rc -ne 0 ]] && grep -q "cannot exec in a paused container" "$tmp/err"; then
  pass "pod pause: exec into the paused container is refused"
else
  fail "pod pause exec" "rc $rc"
fi
r exec ppod /bin/true
[[ $rc -eq 0 ]] && pass "pod pause: exec into the pod's own container still runs" || fail "pod pause exec sibling" "rc $rc"
r resume ppod
[[ $rc -ne 0 ]] && pass "pod pause: resuming a running container is refused" || fail "pod resume running" "accepted"
r kill papp TERM
sleep 0.5
if [[ $rc -eq 0 ]] && ! grep -q term "$tmp/ppod/papp.out"; then
  pass "pod pause: a signal to the paused container waits"
else
  fail "pod pause signal" "rc $rc"
fi
r resume papp
if [[ $rc -eq 0 && $(status papp) == running ]] && advances "$tmp/ppod/papp.out"; then
  pass "pod pause: resume, the container ticks again"
else
  fail "pod resume" "rc $rc, $(status papp)"
fi
for _ in $(seq 60); do grep -q term "$tmp/ppod/papp.out" && break; sleep 0.05; done
grep -q term "$tmp/ppod/papp.out" && pass "pod pause: the pending signal is delivered after resume" ||
  fail "pod pause pending signal" "$(tail -3 "$tmp/ppod/papp.out")"
r resume papp
[[ $rc -ne 0 ]] && pass "pod pause: resuming it twice is refused" || fail "pod resume twice" "accepted"
r pause papp
r kill papp KILL
if [[ $rc -eq 0 ]] && wait_status papp stopped && [[ $(status ppod) == running ]]; then
  pass "pod pause: SIGKILL kills the paused container"
else
  fail "pod pause kill" "papp $(status papp)"
fi
r pause papp
[[ $rc -ne 0 ]] && pass "pod pause: pausing a stopped container is refused" || fail "pod pause stopped" "accepted"
r delete papp
[[ $rc -eq 0 && ! -e $root/papp ]] && pass "pod pause: delete of the killed container" || fail "pod pause delete" "rc $rc"
pod_app papp2
r pause papp2
r delete --force papp2
if [[ $rc -eq 0 && ! -e $root/papp2 ]] && advances "$tmp/ppod/pod.out"; then
  pass "pod pause: delete --force of a paused container"
else
  fail "pod pause delete --force" "rc $rc"
fi
# Nothing of either container is left in the sandbox (frozen children included).
r exec ppod /bin/sh -c 'cat /proc/[0-9]*/cmdline'
# (The listing sees the pod's own process.)
if [[ $rc -eq 0 ]] && grep -aqF podtick "$tmp/out" && ! grep -aqF -e apptick -e 0.051 "$tmp/out"; then
  pass "pod pause: no process of the deleted containers is left"
else
  fail "pod pause leftovers" "$(tr '\0' ' ' <"$tmp/out")"
fi
r delete --force ppod
sleep 0.2
if ! pgrep -f "$root" >/dev/null; then pass "pod pause: no process left behind"; else fail "pod pause leftovers" "$(pgrep -af "$root")"; fi

# --- linux.maskedPaths and linux.readonlyPaths, applied as runc applies them ---
mkdir -p "$bundle/rootfs/masked-dir" "$bundle/rootfs/ro-dir"
echo top-secret >"$bundle/rootfs/etc/masked-file"
echo hidden >"$bundle/rootfs/masked-dir/inside"
echo kept >"$bundle/rootfs/ro-dir/kept"
spec /bin/sh -c 'echo "file:[$(cat /etc/masked-file)]"; echo "dir:[$(ls -A /masked-dir)]"
  echo "kept:[$(cat /ro-dir/kept)]"; touch /ro-dir/new; echo x >/proc/sys/kernel/domainname
  grep -E " /(etc/masked-file|masked-dir|ro-dir|proc/sys) " /proc/self/mountinfo'
# masks MASKED_JSON READONLY_JSON: sets the bundle's linux.maskedPaths and
# linux.readonlyPaths.
masks() {
  python3 - "$bundle/config.json" "$1" "$2" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["linux"]["maskedPaths"] = json.loads(sys.argv[2])
spec["linux"]["readonlyPaths"] = json.loads(sys.argv[3])
json.dump(spec, open(sys.argv[1], "w"))
EOF
}
# A file, a directory, and paths that do not exist (skipped); /proc/sys is
# what the default spec makes read-only.
masks '["/etc/masked-file", "/masked-dir", "/no/such/file", "/proc/kcore"]' \
  '["/ro-dir", "/proc/sys", "/no/such/dir"]'
r run --bundle "$bundle" m1 </dev/null
out=$(cat "$tmp/out" "$tmp/err")
# mountinfo_of MOUNTPOINT: "ROOT OPTIONS FSTYPE" of its line in the container's mountinfo.
mountinfo_of() {
  awk -v d="$1" '$5 == d { for (i = 7; $i != "-"; i++); print $4, $6, $(i + 1) }' "$tmp/out"
}
if [[ $rc -eq 0 ]] && grep -qx 'file:\[\]' "$tmp/out"; then
  pass "maskedPaths: a masked file reads empty"
else
  fail "masked file" "$out"
fi
grep -qx 'dir:\[\]' "$tmp/out" && pass "maskedPaths: a masked directory is empty" ||
  fail "masked dir" "$out"
if grep -qx 'kept:\[kept\]' "$tmp/out" && grep -q "ro-dir/new.*Read-only file system" "$tmp/err"; then
  pass "readonlyPaths: readable, writes fail with Read-only file system"
else
  fail "readonly dir" "$out"
fi
grep -q "domainname.*Read-only file system" "$tmp/err" && pass "readonlyPaths: /proc/sys is read-only" ||
  fail "readonly /proc/sys" "$out"
if [[ $(mountinfo_of /etc/masked-file) == "/null ro,"*" devtmpfs" &&
      $(mountinfo_of /masked-dir) == "/ ro tmpfs" &&
      $(mountinfo_of /ro-dir) == "/ro-dir ro "* &&
      $(mountinfo_of /proc/sys) == "/sys ro,nosuid,nodev,noexec proc" ]]; then
  pass "maskedPaths/readonlyPaths: the mounts show in /proc/self/mountinfo"
else
  fail "mountinfo" "$(grep -E ' - ' "$tmp/out")"
fi
if [[ $(cat "$bundle/rootfs/etc/masked-file") == top-secret && ! -e $bundle/rootfs/ro-dir/new ]]; then
  pass "maskedPaths/readonlyPaths: the bundle's files are untouched"
else
  fail "bundle files" "$(ls "$bundle/rootfs/ro-dir")"
fi
r delete m1
# Anything but a missing path fails create, naming the path.
masks '["/etc/masked-file/below"]' '[]'
r create --bundle "$bundle" m2 </dev/null
if [[ $rc -ne 0 && ! -e $root/m2 ]] && grep -q "maskedPaths.*/etc/masked-file/below" "$tmp/err"; then
  pass "maskedPaths: a path that cannot be masked fails create"
else
  fail "bad masked path" "rc $rc"
fi
r delete --force m2
masks '[]' '["/etc/masked-file/below"]'
r create --bundle "$bundle" m3 </dev/null
if [[ $rc -ne 0 && ! -e $root/m3 ]] && grep -q "readonlyPaths.*/etc/masked-file/below" "$tmp/err"; then
  pass "readonlyPaths: a path that cannot be made read-only fails create"
else
  fail "bad readonly path" "rc $rc"
fi
r delete --force m3
rm -rf "$bundle/rootfs/masked-dir" "$bundle/rootfs/ro-dir" "$bundle/rootfs/etc/masked-file"

# --- mqueue and cgroup mounts, linux.sysctl ---
spec /bin/sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max
  echo "procs:[$(head -1 /sys/fs/cgroup/cgroup.procs)] self:[$(cat /proc/self/cgroup)]"
  echo "current:[$(cat /sys/fs/cgroup/memory.current)]"
  echo 1 >/sys/fs/cgroup/memory.max
  echo "shmmax:[$(cat /proc/sys/kernel/shmmax)] msg_max:[$(cat /proc/sys/fs/mqueue/msg_max)]"
  touch /dev/mqueue/q1 && echo "queue:[$(cat /dev/mqueue/q1)]"
  grep -E " /(dev/mqueue|sys/fs/cgroup) " /proc/self/mountinfo'
# sysctl_spec SYSCTL_JSON: sets the bundle's linux.sysctl, with a 256 MiB
# memory and 50-pid limit and runc's mqueue and cgroup mounts.
sysctl_spec() {
  python3 - "$bundle/config.json" "$1" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["mounts"] = [m for m in spec["mounts"] if m["type"] not in ("mqueue", "cgroup")] + [
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
     "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
     "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}]
spec["linux"]["resources"] = {"memory": {"limit": 268435456}, "pids": {"limit": 50}}
spec["linux"]["sysctl"] = json.loads(sys.argv[2])
json.dump(spec, open(sys.argv[1], "w"))
EOF
}
sysctl_spec '{"kernel.shmmax": "123456789", "fs.mqueue.msg_max": "33"}'
r run --bundle "$bundle" s1 </dev/null
out=$(cat "$tmp/out" "$tmp/err")
if [[ $rc -eq 0 && $(sed -n 1p "$tmp/out") == 268435456 && $(sed -n 2p "$tmp/out") == 50 ]]; then
  pass "cgroup: memory.max and pids.max are the config's limits"
else
  fail "cgroup limits" "$out"
fi
grep -qx 'procs:\[1\] self:\[0::/\]' "$tmp/out" && pass "cgroup: cgroup.procs and /proc/self/cgroup" ||
  fail "cgroup procs" "$out"
grep -qE '^current:\[[1-9][0-9]*\]$' "$tmp/out" && pass "cgroup: memory.current is the sandbox's use" ||
  fail "cgroup memory.current" "$out"
grep -q "memory.max.*Read-only file system" "$tmp/err" && pass "cgroup: mounted read-only" ||
  fail "cgroup read-only" "$out"
grep -qx 'shmmax:\[123456789\] msg_max:\[33\]' "$tmp/out" && pass "linux.sysctl: the values are set inside" ||
  fail "sysctl values" "$out"
grep -qx 'queue:\[QSIZE:0          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \]' "$tmp/out" &&
  pass "mqueue: a file made in /dev/mqueue is a queue" || fail "mqueue" "$out"
if grep -qE ' /dev/mqueue rw,nosuid,nodev,noexec.* - mqueue ' "$tmp/out" &&
   grep -qE ' /sys/fs/cgroup ro,nosuid,nodev,noexec.* - cgroup2 ' "$tmp/out"; then
  pass "mqueue and cgroup mounts show in /proc/self/mountinfo"
else
  fail "mqueue/cgroup mountinfo" "$out"
fi
r delete s1
# A key the sandbox has no setting for fails create, naming it, as runc
# fails on a missing /proc/sys file; so does a value the setting refuses.
sysctl_spec '{"kernel.no_such_setting": "1"}'
r create --bundle "$bundle" s2 </dev/null
if [[ $rc -ne 0 && ! -e $root/s2 ]] && grep -q "kernel.no_such_setting" "$tmp/err"; then
  pass "linux.sysctl: an unknown key fails create, naming it"
else
  fail "sysctl unknown key" "rc $rc"
fi
r delete --force s2
sysctl_spec '{"fs.mqueue.msg_max": "0"}'
r create --bundle "$bundle" s3 </dev/null
if [[ $rc -ne 0 && ! -e $root/s3 ]] && grep -q "fs.mqueue.msg_max" "$tmp/err"; then
  pass "linux.sysctl: a bad value fails create, naming the key"
else
  fail "sysctl bad value" "rc $rc"
fi
r delete --force s3

# --- linux.seccomp: the container's profile, on its first process and its execs ---
# seccomp_spec PROFILE_JSON ARGS...: the bundle runs ARGS under linux.seccomp PROFILE_JSON.
seccomp_spec() {
  local profile=$1
  shift
  spec "$@"
  python3 - "$bundle/config.json" "$profile" <<'EOF'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["linux"]["seccomp"] = json.loads(sys.argv[2])
json.dump(spec, open(sys.argv[1], "w"))
EOF
}
deny_mkdir='{"defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [{"names": ["mkdir", "mkdirat", "no_such_syscall"], "action": "SCMP_ACT_ERRNO",
                "errnoRet": 1}]}'
seccomp_spec "$deny_mkdir" /bin/sh -c 'mkdir /tmp/x; echo "mkdir=$?"; echo other-commands-work;
  ls -d /tmp; grep "^Seccomp" /proc/1/status'
r run --bundle "$bundle" sc1 </dev/null
if [[ $rc -eq 0 ]] && grep -q "Operation not permitted" "$tmp/err" && grep -qx "mkdir=1" "$tmp/out" &&
   grep -qx other-commands-work "$tmp/out" && grep -qx /tmp "$tmp/out"; then
  pass "seccomp: a denied mkdir fails with EPERM, other commands work"
else
  fail "seccomp deny mkdir" "rc $rc"
fi
if grep -qP '^Seccomp:\t2$' "$tmp/out" && grep -qP '^Seccomp_filters:\t1$' "$tmp/out"; then
  pass "seccomp: /proc/1/status shows Seccomp: 2"
else
  fail "seccomp status" "$(cat "$tmp/out")"
fi
r delete sc1
# runsc exec: the container's profile applies to what it starts too.
seccomp_spec "$deny_mkdir" /bin/sh -c 'while :; do sleep 0.05; done'
r create --bundle "$bundle" sc2 </dev/null
r start sc2
wait_status sc2 running
r exec sc2 /bin/sh -c 'mkdir /tmp/y; echo "mkdir=$?"; grep "^Seccomp:" /proc/self/status'
if grep -q "Operation not permitted" "$tmp/err" && grep -qx "mkdir=1" "$tmp/out" &&
   grep -qP '^Seccomp:\t2$' "$tmp/out"; then
  pass "seccomp: runsc exec runs under the container's profile"
else
  fail "seccomp exec" "rc $rc"
fi
r delete --force sc2
# A default-deny profile with an allow-list big enough for busybox sh.
allow_list='{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
  "syscalls": [{"action": "SCMP_ACT_ALLOW", "names": ["read", "write", "open", "openat", "close",
    "stat", "fstat", "lstat", "newfstatat", "statx", "poll", "ppoll", "lseek", "mmap", "mprotect",
    "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "ioctl", "pread64", "readv",
    "writev", "access", "faccessat", "faccessat2", "pipe", "pipe2", "dup", "dup2", "dup3", "getpid",
    "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid", "getgroups", "fork", "vfork",
    "clone", "clone3", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "kill",
    "tgkill", "uname", "fcntl", "getcwd", "chdir", "getdents64", "getrlimit", "prlimit64",
    "setpgid", "getpgrp", "getpgid", "getsid", "setsid", "arch_prctl", "set_tid_address",
    "set_robust_list", "rseq", "futex", "sysinfo", "nanosleep", "clock_nanosleep",
    "clock_gettime", "gettimeofday", "readlink", "readlinkat", "getrandom", "madvise", "mremap",
    "sigaltstack", "umask", "prctl", "sched_getaffinity", "sched_yield", "select", "pselect6",
    "times", "getrusage", "sendfile", "rt_sigsuspend", "statfs", "fstatfs"]}]}'
seccomp_spec "$allow_list" /bin/sh -c 'echo allowed; cat /proc/self/comm; mkdir /tmp/z; echo "mkdir=$?"'
r run --bundle "$bundle" sc3 </dev/null
if [[ $rc -eq 0 ]] && grep -qx allowed "$tmp/out" && grep -qx cat "$tmp/out" &&
   grep -qx "mkdir=1" "$tmp/out" && grep -q "Operation not permitted" "$tmp/err"; then
  pass "seccomp: a default-deny allow-list runs busybox sh, denies the rest with EPERM"
else
  fail "seccomp allow-list" "rc $rc"
fi
r delete sc3
# SCMP_ACT_KILL_PROCESS: the container's process dies of SIGSYS.
seccomp_spec '{"defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}' \
  /bin/mkdir /tmp/k
r run --bundle "$bundle" sc5 </dev/null
[[ $rc -eq 159 ]] && pass "seccomp: SCMP_ACT_KILL_PROCESS kills with SIGSYS (exit 159)" ||
  fail "seccomp kill" "rc $rc"
r delete --force sc5
# No seccomp user notification here: SCMP_ACT_NOTIFY fails create, naming the field.
seccomp_spec '{"defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}' /bin/true
r create --bundle "$bundle" sc6 </dev/null
if [[ $rc -ne 0 && ! -e $root/sc6 ]] && grep -q "linux.seccomp.syscalls\[0\].action" "$tmp/err"; then
  pass "seccomp: SCMP_ACT_NOTIFY is refused at create"
else
  fail "seccomp notify" "rc $rc"
fi
r delete --force sc6
# A pod: the container's own profile on its processes, not the pod's.
mkdir -p "$tmp/scpod/app"
cp -a "$bundle/rootfs" "$tmp/scpod/app/rootfs"
spec /bin/sleep 1000
python3 - "$bundle/config.json" "$tmp/scpod/app/config.json" "$deny_mkdir" <<'EOF'
import json, sys
pod, app, profile = sys.argv[1:]
spec = json.load(open(pod))
spec["annotations"] = {"io.kubernetes.cri.container-type": "sandbox",
                       "io.kubernetes.cri.sandbox-id": "scpod"}
json.dump(spec, open(pod, "w"))
spec["process"]["args"] = ["/bin/sleep", "1000"]
spec["annotations"] = {"io.kubernetes.cri.container-type": "container",
                       "io.kubernetes.cri.sandbox-id": "scpod"}
spec["linux"]["seccomp"] = json.loads(profile)
json.dump(spec, open(app, "w"))
EOF
r create --bundle "$bundle" scpod </dev/null
r start scpod
r create --bundle "$tmp/scpod/app" scapp </dev/null
r start scapp
wait_status scapp running
r exec scapp /bin/sh -c 'mkdir /tmp/p; echo "mkdir=$?"'
app_out=$(cat "$tmp/out")
r exec scpod /bin/sh -c 'mkdir /tmp/p; echo "mkdir=$?"'
if [[ $app_out == "mkdir=1" && $(cat "$tmp/out") == "mkdir=0" ]]; then
  pass "seccomp: a pod's container runs under its own profile"
else
  fail "seccomp pod" "app '$app_out', pod '$(cat "$tmp/out")'"
fi
r delete --force scapp
r delete --force scpod

# --- spec, features ---
mkdir -p "$tmp/specdir"
r spec --bundle "$tmp/specdir"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["root"]["path"]=="rootfs"' "$tmp/specdir/config.json" &&
  pass "spec writes a config.json" || fail "spec" "rc $rc"
r features
python3 -c 'import json,sys; f=json.load(open(sys.argv[1])); assert "ociVersionMax" in f' "$tmp/out" &&
  pass "features" || fail "features" "rc $rc"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
