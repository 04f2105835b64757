#!/bin/bash
# Drives an OCI runtime binary through containerd 1.6's runc v2 shim with
# `ctr run --runc-binary RUNTIME`: every client action of
# the runc v2 shim's contract (docs/containerd.md) that ctr can make.
#
#   containerd_test.sh RUNTIME_BINARY        (as root)
#   SK_RUNTIME_LOG=/tmp/calls.log containerd_test.sh build/runsc/runsc
#
# It starts a private containerd (config.toml, root, state, sockets and runtime
# root all in a temporary directory; no CRI plugin), imports a busybox image
# built by make_oci_image.py, runs the checks in a namespace unique to this
# run, and always stops containerd and its shims, unmounts, and removes its
# cgroups and temporary files on exit. With SK_RUNTIME_LOG=FILE every call the
# shim makes to the runtime is appended to FILE (argv and working directory).
#
# Each check prints "PASS name" or "FAIL name: expected ..." with what came;
# the last line counts them, and the exit status is non-zero on any FAIL.
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RUNTIME_BINARY" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
runtime=$(realpath -e "$1") || { echo "no runtime binary $1" >&2; exit 2; }
export LC_ALL=C
if [[ $EUID -ne 0 ]]; then
  echo "SKIP containerd: needs root (containerd mounts snapshots)"
  exit 0
fi
for tool in containerd ctr containerd-shim-runc-v2 script; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL setup: $tool is not installed (scripts/setup installs containerd)"
    exit 1
  fi
done

# shellcheck source-path=SCRIPTDIR source=oci_client_lib.sh
source "$here/oci_client_lib.sh"

# A short path: the sockets live here and sun_path holds 108 bytes.
tmp=$(mktemp -d /tmp/sk-ctrd.XXXXXX)
ns="sk-e2e-$$"
sock=$tmp/containerd.sock
image=localhost/sk-busybox:latest
containerd_pid=

cleanup() {
  local id pid
  if [[ -n $containerd_pid ]] && kill -0 "$containerd_pid" 2>/dev/null; then
    # Tasks first, while the daemon still talks to their shims: a deleted
    # task's shim exits by itself.
    for id in $(ctr_ q tasks ls -q 2>/dev/null); do
      ctr_ q tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1
      ctr_ q tasks delete -f "$id" >/dev/null 2>&1
    done
    for id in $(ctr_ q containers ls -q 2>/dev/null); do
      ctr_ q containers rm "$id" >/dev/null 2>&1
    done
    kill -TERM "$containerd_pid" 2>/dev/null
    for _ in $(seq 50); do
      kill -0 "$containerd_pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$containerd_pid" 2>/dev/null
    wait "$containerd_pid" 2>/dev/null
  fi
  # Shims outlive containerd by design; ours name our socket in their argv.
  for pid in $(pids_with_arg "$sock"); do
    kill -KILL "$pid" 2>/dev/null
  done
  kill_cgroup_tree "$ns"
  unmount_under "$tmp"
  # ctr --runc-root keeps runtime state here; runc's default root is not used.
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ctr_ q ARGS: ctr against the private daemon and namespace, no timeout (for
# cleanup); ctr_ ARGS under call's timeout is what checks use.
ctr_() {
  if [[ $1 == q ]]; then
    shift
    timeout --kill-after=5 20 ctr --address "$sock" --namespace "$ns" "$@"
  else
    call ctr --address "$sock" --namespace "$ns" "$@"
  fi
}

runtime_for_ctr=$runtime
if [[ -n ${SK_RUNTIME_LOG:-} ]]; then
  make_runtime_wrapper "$runtime" "$SK_RUNTIME_LOG" "$tmp/runtime-wrapper"
  runtime_for_ctr=$tmp/runtime-wrapper
fi
# Flags for every `ctr run`: the runtime under test, with its state in our
# temporary directory rather than /run/containerd/runc.
run_flags=(--runc-binary "$runtime_for_ctr" --runc-root "$tmp/runtime-root")

# task_status ID: the STATUS column of `ctr task ls` for ID (empty if none).
task_status() {
  ctr_ q tasks ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }'
}
task_pid() {
  ctr_ q tasks ls 2>/dev/null | awk -v id="$1" '$1 == id { print $2 }'
}
status_is() { [[ $(task_status "$1") == "$2" ]]; }
# forget ID: after a failed check, kills and removes what it may have left so
# that later checks (and the leak checks at the end) see only their own.
forget() {
  ctr_ q tasks kill -a -s SIGKILL "$1" >/dev/null 2>&1
  ctr_ q tasks delete -f "$1" >/dev/null 2>&1
  ctr_ q containers rm "$1" >/dev/null 2>&1
}
# exec_count ID N: `ctr task ps ID` lists at least N processes.
ps_count_at_least() {
  (($(ctr_ q tasks ps "$1" 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/' | wc -l) >= $2))
}

# bg_run OUTNAME CTR-ARGS...: a ctr client in the background (stdin
# /dev/null) whose status lands in $tmp/OUTNAME.rc; sets bg_pid.
bg_run() {
  local name=$1
  shift
  (
    timeout --kill-after=5 "$client_timeout" \
      ctr --address "$sock" --namespace "$ns" "$@" </dev/null \
      >"$tmp/$name.out" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
  ) &
  bg_pid=$!
}
# bg_until SECONDS CMD ARGS...: wait_until, but gives up as soon as the
# background client has exited (its container is not going to appear).
bg_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS >= deadline)) && return 1
    kill -0 "$bg_pid" 2>/dev/null || return 1
    sleep 0.2
  done
}
# bg_wait OUTNAME: waits for bg_run's client; its status in $rc, output in
# $tmp/out and $tmp/err as for call.
bg_wait() {
  wait "$bg_pid"
  rc=$(cat "$tmp/$1.rc" 2>/dev/null || echo "none")
  cp "$tmp/$1.out" "$tmp/out"
  cp "$tmp/$1.err" "$tmp/err"
}

# --- the daemon -------------------------------------------------------------

cat >"$tmp/config.toml" <<EOF
version = 2
root = "$tmp/root"
state = "$tmp/state"
# No CRI here (cri_test.py covers it); the snapshotters that need kernel or
# host support we do not have stay off. overlayfs is the default.
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
]

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$tmp/opt"
EOF

containerd --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
containerd_pid=$!
if ! wait_until 30 ctr --address "$sock" version >/dev/null 2>&1; then
  rc=$?
  echo "FAIL containerd: expected the daemon to serve $sock within 30 s"
  tail -20 "$tmp/containerd.log" | sed 's/^/    /'
  exit 1
fi

# --- the image --------------------------------------------------------------

if ! "$here/make_oci_image.py" "$tmp/busybox.tar" "$image" >"$tmp/out" 2>"$tmp/err"; then
  rc=$?
  fail image "make_oci_image.py to build $tmp/busybox.tar"
  exit 1
fi
ctr_ images import "$tmp/busybox.tar"
if [[ $rc -eq 0 ]] && ctr_ q images ls -q | grep -qxF "$image"; then
  pass import "ctr images import made $image"
else
  fail import "status 0 and $image in 'ctr images ls'"
  summary
  exit 1
fi

# --- run to completion ------------------------------------------------------

ctr_ run --rm "${run_flags[@]}" "$image" run-echo /bin/echo hello from ctr
if [[ $rc -eq 0 ]] && stdout_is "hello from ctr"; then
  pass run-echo "status 0, stdout 'hello from ctr'"
else
  fail run-echo "status 0 and stdout 'hello from ctr'"
  forget run-echo
fi

ctr_ run --rm "${run_flags[@]}" "$image" run-exit7 /bin/sh -c 'exit 7'
if [[ $rc -eq 7 ]]; then
  pass run-exit7 "status 7"
else
  fail run-exit7 "status 7"
  forget run-exit7
fi

# The bundle's process.env and process.cwd, and the image's PATH.
ctr_ run --rm "${run_flags[@]}" --env SK_VAR=from-env --cwd /tmp "$image" run-env \
  sh -c 'echo "$SK_VAR $(pwd) $PATH"'
want="from-env /tmp /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
if [[ $rc -eq 0 ]] && stdout_is "$want"; then
  pass run-env "env, cwd and PATH from the spec"
else
  fail run-env "status 0 and stdout '$want'"
  forget run-env
fi

# Without -t the container's stdin is a pipe from ctr. (ctr never closes it
# at end of input, so the container reads a line rather than to EOF.)
printf 'line one\nline two\n' >"$tmp/stdin"
timeout --kill-after=5 "$client_timeout" ctr --address "$sock" --namespace "$ns" \
  run --rm "${run_flags[@]}" "$image" run-stdin \
  sh -c 'read -r line; echo "got $line"; ls -l /proc/self/fd/0' \
  <"$tmp/stdin" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 0 ]] && [[ $(head -1 "$tmp/out") == "got line one" ]] && grep -q 'pipe:' "$tmp/out"; then
  pass run-stdin "stdin is a pipe carrying ctr's input"
else
  fail run-stdin "status 0, 'got line one', and fd 0 a pipe"
  forget run-stdin
fi

# A command that does not exist: the runtime's error (from log.json) reaches
# the user, and nothing is left running.
ctr_ run --rm "${run_flags[@]}" "$image" run-missing /no/such/program
if [[ $rc -ne 0 ]] && grep -i 'no such file' "$tmp/err" | grep -q /no/such/program; then
  pass run-missing "non-zero status; ctr's error names /no/such/program, 'no such file'"
else
  fail run-missing "non-zero status and an error naming /no/such/program: no such file or directory"
fi
ctr_ q tasks delete -f run-missing >/dev/null 2>&1
ctr_ q containers rm run-missing >/dev/null 2>&1

# --- signals reported as 128+N -----------------------------------------------

bg_run sigkill run --rm "${run_flags[@]}" "$image" run-sigkill sleep 1000
if bg_until 30 status_is run-sigkill RUNNING; then
  ctr_ tasks kill -s SIGKILL run-sigkill
  bg_wait sigkill
  if [[ $rc == 137 ]]; then
    pass run-sigkill "ctr run reports 137 for an init killed by SIGKILL"
  else
    fail run-sigkill "ctr run to exit 137 after 'ctr task kill -s SIGKILL'"
    forget run-sigkill
  fi
else
  bg_wait sigkill
  fail run-sigkill "task run-sigkill RUNNING within 30 s"
  forget run-sigkill
fi

# An init with a SIGTERM handler: `ctr task kill` (SIGTERM) runs it.
# The init says when its trap is installed: a SIGTERM before that finds the
# default disposition, which a pid namespace's init ignores.
bg_run trap run --rm "${run_flags[@]}" "$image" run-trap \
  sh -c 'trap "exit 42" TERM; echo trap-ready; while :; do sleep 0.1; done'
if bg_until 30 grep -q trap-ready "$tmp/trap.out"; then
  ctr_ tasks kill run-trap
  bg_wait trap
  if [[ $rc == 42 ]]; then
    pass run-trap "ctr task kill delivered SIGTERM to the init's handler (status 42)"
  else
    fail run-trap "ctr run to exit 42 from the init's SIGTERM trap"
    forget run-trap
  fi
else
  bg_wait trap
  fail run-trap "task run-trap RUNNING within 30 s"
  forget run-trap
fi

# `kill -a -s SIGKILL` reaches every process of the container.
bg_run killall run --rm "${run_flags[@]}" "$image" run-killall \
  sh -c 'sleep 1000 & sleep 1000 & wait'
if bg_until 30 ps_count_at_least run-killall 3; then
  ctr_ tasks kill -a -s SIGKILL run-killall
  bg_wait killall
  if [[ $rc == 137 ]]; then
    pass run-killall "kill -a -s SIGKILL ended the container with 137"
  else
    fail run-killall "ctr run to exit 137 after 'ctr task kill -a -s SIGKILL'"
    forget run-killall
  fi
else
  ctr_ q tasks ps run-killall >"$tmp/err" 2>&1
  ctr_ q tasks kill -a -s SIGKILL run-killall >/dev/null 2>&1
  bg_wait killall
  fail run-killall "3 processes in 'ctr task ps run-killall' within 30 s"
  forget run-killall
fi

# --- a terminal ---------------------------------------------------------------

call_tty ctr --address "$sock" --namespace "$ns" run --rm -t "${run_flags[@]}" \
  "$image" run-tty sh -c 'tty; test -t 0 && test -t 1 && stty -g >/dev/null && echo on-a-tty; exit 3'
if [[ $rc -eq 3 ]] && grep -q '/dev/pts/[0-9]' "$tmp/out" && grep -qx on-a-tty "$tmp/out"; then
  pass run-tty "a pty (/dev/pts/N, stdin and stdout are terminals, tcgetattr works) and status 3"
else
  fail run-tty "status 3, '/dev/pts/N' and 'on-a-tty' on the terminal"
  forget run-tty
fi

# --- a detached task ----------------------------------------------------------

ctr_ run -d "${run_flags[@]}" "$image" detached sleep 1000
if [[ $rc -eq 0 ]] && wait_until 30 status_is detached RUNNING; then
  pass run-detached "ctr run -d returned, task RUNNING"
else
  fail run-detached "status 0 and task 'detached' RUNNING"
fi

ctr_ tasks ps detached
init_pid=$(task_pid detached)
pids=$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' "$tmp/out")
if [[ $rc -eq 0 ]] && [[ $(wc -w <<<"$pids") -eq 1 ]]; then
  pass task-ps "ctr task ps lists the container's one process ($pids)"
else
  fail task-ps "status 0 and exactly one pid (the container runs only 'sleep')"
fi
# runc reports host pids, so the init pid (ctr task ls) is in the list and the
# shim can match exec'd processes' pids against it. A sandbox may report its
# own pid space instead: worth knowing, not a failure.
if [[ -n $init_pid ]] && ! grep -qxF "$init_pid" <<<"$pids"; then
  echo "NOTE task-ps: pids ($pids) are not host pids (task pid $init_pid);" \
    "the shim cannot tag exec'd processes in 'ctr task ps'"
fi

ctr_ tasks exec --exec-id exec1 detached sh -c 'echo exec output; exit 5'
if [[ $rc -eq 5 ]] && stdout_is "exec output"; then
  pass task-exec "stdout 'exec output', status 5"
else
  fail task-exec "status 5 and stdout 'exec output'"
fi

# The exec'd process sees the container's processes (same pid namespace).
ctr_ tasks exec --exec-id exec-ps detached sh -c 'ps -o pid,args | grep -c "sleep 1000"'
if [[ $rc -eq 0 ]] && [[ $(head -1 "$tmp/out") -ge 1 ]]; then
  pass task-exec-sees-init "the exec'd ps sees 'sleep 1000'"
else
  fail task-exec-sees-init "status 0 and a count >= 1 of 'sleep 1000' in ps"
fi

call_tty ctr --address "$sock" --namespace "$ns" tasks exec -t --exec-id exec-tty \
  detached sh -c 'tty; exit 4'
if [[ $rc -eq 4 ]] && grep -q '/dev/pts/[0-9]' "$tmp/out"; then
  pass task-exec-tty "a pty and status 4"
else
  fail task-exec-tty "status 4 and '/dev/pts/N' on the terminal"
fi

# An exec'd process is not its pid namespace's init: SIGTERM kills it, and
# ctr reports 128+15.
bg_run exec-term tasks exec --exec-id exec-term detached sleep 1000
if bg_until 30 ps_count_at_least detached 2; then
  ctr_ tasks kill --exec-id exec-term detached
  bg_wait exec-term
  if [[ $rc == 143 ]]; then
    pass task-exec-sigterm "the exec'd process died of SIGTERM: 143"
  else
    fail task-exec-sigterm "ctr task exec to exit 143 after 'ctr task kill --exec-id'"
  fi
else
  ctr_ q tasks kill -s SIGKILL --exec-id exec-term detached >/dev/null 2>&1
  bg_wait exec-term
  fail task-exec-sigterm "2 processes in 'ctr task ps detached' within 30 s"
fi

ctr_ tasks pause detached
if [[ $rc -eq 0 ]] && wait_until 10 status_is detached PAUSED; then
  pass task-pause "status 0, task PAUSED"
else
  fail task-pause "status 0 and task PAUSED (it is '$(task_status detached)')"
fi
ctr_ tasks resume detached
if [[ $rc -eq 0 ]] && wait_until 10 status_is detached RUNNING; then
  pass task-resume "status 0, task RUNNING"
else
  fail task-resume "status 0 and task RUNNING (it is '$(task_status detached)')"
fi
ctr_ tasks exec --exec-id exec-after-resume detached echo resumed
if [[ $rc -eq 0 ]] && stdout_is resumed; then
  pass task-exec-after-resume "the resumed container runs an exec"
else
  fail task-exec-after-resume "status 0 and stdout 'resumed'"
fi

# `ctr task kill` sends SIGTERM to the init. An init without a handler
# ignores it (Linux: a pid namespace's init only gets signals it handles, or
# SIGKILL/SIGSTOP from an ancestor namespace), so the task stays RUNNING, as
# under runc.
ctr_ tasks kill detached
sleep 1.5
if [[ $rc -eq 0 ]] && status_is detached RUNNING; then
  pass task-kill-ignored "SIGTERM sent (status 0); the handler-less init keeps running"
else
  fail task-kill-ignored "status 0 and task still RUNNING (it is '$(task_status detached)')"
fi

ctr_ tasks delete -f detached
if [[ $rc -eq 0 ]] && [[ -z $(task_status detached) ]]; then
  pass task-delete-force "the running task is gone"
else
  fail task-delete-force "status 0 and no task 'detached' in ctr task ls"
fi

ctr_ containers rm detached
if [[ $rc -eq 0 ]] && ! ctr_ q containers ls -q | grep -qxF detached; then
  pass container-rm "the container is gone"
else
  fail container-rm "status 0 and no container 'detached' in ctr c ls"
fi

# --- nothing left behind ------------------------------------------------------

if wait_until 15 test -z "$(pids_with_arg "$sock")"; then
  pass no-shims-left "every task deleted, no shim of this daemon is running"
else
  rc=-
  echo "remaining: $(pids_with_arg "$sock" | xargs -r ps -o pid,args -p)" >"$tmp/err"
  : >"$tmp/out"
  fail no-shims-left "no containerd-shim-runc-v2 with -address $sock"
fi
left=$(ctr_ q tasks ls -q; ctr_ q containers ls -q)
if [[ -z $left ]]; then
  pass nothing-left "no task or container in namespace $ns"
else
  rc=-
  echo "$left" >"$tmp/out"
  : >"$tmp/err"
  fail nothing-left "empty 'ctr task ls' and 'ctr c ls'"
fi

summary
[[ $failed -eq 0 ]]
