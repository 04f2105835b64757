#!/bin/bash
# Drives an OCI runtime binary through podman 4 (with conmon):
#
#   podman_test.sh RUNTIME_BINARY        (as root)
#   SK_RUNTIME_LOG=/tmp/calls.log podman_test.sh build/runsc/runsc
#
# podman runs with private --root, --runroot, --tmpdir, volume and network
# config directories (all in one temporary directory), the vfs storage driver,
# the cgroupfs cgroup manager under a cgroup parent unique to this run, the
# file events logger, and --network none. It loads the busybox image built by
# make_oci_image.py (`podman load`), then checks `run --rm` (output and exit
# codes), `run -d` + `exec`, `run -it` and `exec -it` through script(1),
# `stop` (SIGKILL after the timeout: 137), `kill`, `rm -f`, and that no conmon
# is left. It always removes its containers, conmons, cgroups, mounts and
# temporary files on exit.
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
  echo "SKIP podman: needs root (private storage and cgroups)"
  exit 0
fi
for tool in podman conmon script; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL setup: $tool is not installed (scripts/setup installs podman and conmon)"
    exit 1
  fi
done

# shellcheck source-path=SCRIPTDIR source=oci_client_lib.sh
source "$here/oci_client_lib.sh"

tmp=$(mktemp -d /tmp/sk-podman.XXXXXX)
cgroup_parent="sk-podman-$$"
image=localhost/sk-busybox:latest
# podman load and image commits spool through TMPDIR.
export TMPDIR=$tmp/tmp
mkdir -p "$TMPDIR" "$tmp/net" "$tmp/volumes"
# podman reads /etc/containers/containers.conf; ours pins what matters.
cat >"$tmp/containers.conf" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF=$tmp/containers.conf

runtime_for_podman=$runtime
if [[ -n ${SK_RUNTIME_LOG:-} ]]; then
  make_runtime_wrapper "$runtime" "$SK_RUNTIME_LOG" "$tmp/runtime-wrapper"
  runtime_for_podman=$tmp/runtime-wrapper
fi

podman_flags=(
  --root "$tmp/root" --runroot "$tmp/runroot" --tmpdir "$tmp/libpod"
  --volumepath "$tmp/volumes" --network-config-dir "$tmp/net"
  --storage-driver vfs --cgroup-manager cgroupfs --events-backend file
  --runtime "$runtime_for_podman"
)
# Flags for every container: no network, our own cgroup parent, and rlimits
# the runtime may set. Raising a hard limit needs CAP_SYS_RESOURCE, which
# root lacks on the test machines, and podman 4.3 both asks for RLIMIT_NOFILE
# 1048576 by default (even with `--ulimit host`) and lowers its own
# RLIMIT_NPROC to 32768 before it starts conmon and the runtime.
nproc=$(ulimit -Hu)
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
run_flags=(--network none --cgroup-parent "/$cgroup_parent"
  --ulimit "nofile=$(ulimit -Sn):$(ulimit -Hn)" --ulimit "nproc=$nproc:$nproc")

pm() { call podman "${podman_flags[@]}" "$@"; }
pm_q() { timeout --kill-after=5 30 podman "${podman_flags[@]}" "$@" </dev/null; }

# pids of processes with an argument under our temporary directory (conmon,
# the runtime's processes): never matched by name.
our_pids() {
  local p arg
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    while IFS= read -r -d '' arg; do
      if [[ $arg == "$tmp"/* ]]; then
        echo "$p"
        break
      fi
    done 2>/dev/null <"/proc/$p/cmdline"
  done
}

cleanup() {
  local pid
  pm_q rm -a -f -t 0 >/dev/null 2>&1
  for pid in $(our_pids); do
    kill -KILL "$pid" 2>/dev/null
  done
  kill_cgroup_tree "$cgroup_parent"
  unmount_under "$tmp"
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the image --------------------------------------------------------------

if ! "$here/make_oci_image.py" "$tmp/busybox.tar" "$image" >"$tmp/out" 2>"$tmp/err"; then
  rc=$?
  fail image "make_oci_image.py to build $tmp/busybox.tar"
  exit 1
fi
pm load -i "$tmp/busybox.tar"
if [[ $rc -eq 0 ]] && pm_q images --format '{{.Repository}}:{{.Tag}}' | grep -qxF "$image"; then
  pass load "podman load made $image"
else
  fail load "status 0 and $image in 'podman images'"
  summary
  exit 1
fi

# --- run to completion ------------------------------------------------------

pm run --rm "${run_flags[@]}" "$image" echo hello from podman
if [[ $rc -eq 0 ]] && stdout_is "hello from podman"; then
  pass run-echo "status 0, stdout 'hello from podman'"
else
  fail run-echo "status 0 and stdout 'hello from podman'"
fi

pm run --rm "${run_flags[@]}" "$image" sh -c 'exit 7'
if [[ $rc -eq 7 ]]; then
  pass run-exit7 "status 7"
else
  fail run-exit7 "status 7"
fi

pm run --rm "${run_flags[@]}" -e SK_VAR=from-env -w /tmp "$image" sh -c 'echo "$SK_VAR $(pwd)"'
if [[ $rc -eq 0 ]] && stdout_is "from-env /tmp"; then
  pass run-env "env and working directory from the spec"
else
  fail run-env "status 0 and stdout 'from-env /tmp'"
fi

# podman puts its default seccomp profile in the spec: the runtime applies it
# (Seccomp: 2 for the container's processes); a profile of one's own too.
pm run --rm "${run_flags[@]}" "$image" sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /tmp/d && echo made'
if [[ $rc -eq 0 ]] && stdout_is $'Seccomp:\t2\nmade'; then
  pass run-seccomp-default "the default profile applies, ordinary calls work"
else
  fail run-seccomp-default "status 0 and 'Seccomp: 2', 'made'"
fi
cat >"$tmp/deny_mkdir.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
EOF
pm run --rm "${run_flags[@]}" --security-opt "seccomp=$tmp/deny_mkdir.json" "$image" \
  sh -c 'mkdir /tmp/d; echo "mkdir=$?"'
if [[ $rc -eq 0 ]] && stdout_is "mkdir=1" && grep -q "Operation not permitted" "$tmp/err"; then
  pass run-seccomp-profile "--security-opt seccomp=PROFILE denies mkdir with EPERM"
else
  fail run-seccomp-profile "status 0, 'mkdir=1' and 'Operation not permitted'"
fi
pm run --rm "${run_flags[@]}" --security-opt seccomp=unconfined "$image" \
  sh -c 'grep "^Seccomp:" /proc/self/status'
if [[ $rc -eq 0 ]] && stdout_is $'Seccomp:\t0'; then
  pass run-seccomp-unconfined "seccomp=unconfined: no filter"
else
  fail run-seccomp-unconfined "status 0 and 'Seccomp: 0'"
fi

# podman -i passes stdin through and closes it at its end.
printf 'line one\nline two\n' |
  timeout --kill-after=5 "$client_timeout" podman "${podman_flags[@]}" run --rm -i \
    "${run_flags[@]}" "$image" wc -l >"$tmp/out" 2>"$tmp/err"
rc=$?
if [[ $rc -eq 0 ]] && [[ $(tr -d ' ' <"$tmp/out") == 2 ]]; then
  pass run-stdin "two lines read from stdin to EOF"
else
  fail run-stdin "status 0 and '2' (wc -l of stdin)"
fi

# A missing program: podman's 126/127 convention comes from the runtime's error.
pm run --rm "${run_flags[@]}" "$image" /no/such/program
if [[ $rc -eq 127 ]] && grep -q /no/such/program "$tmp/err"; then
  pass run-missing "status 127, the error names /no/such/program"
else
  fail run-missing "status 127 and an error naming /no/such/program"
fi

call_tty podman "${podman_flags[@]}" run --rm -it "${run_flags[@]}" "$image" \
  sh -c 'tty; test -t 0 && test -t 1 && stty -g >/dev/null && echo on-a-tty; exit 3'
if [[ $rc -eq 3 ]] && grep -q '/dev/pts/[0-9]' "$tmp/out" && grep -qx on-a-tty "$tmp/out"; then
  pass run-it "a pty (/dev/pts/N, stdin and stdout are terminals) and status 3"
else
  fail run-it "status 3, '/dev/pts/N' and 'on-a-tty' on the terminal"
fi

# --- a detached container -----------------------------------------------------

pm run -d --name sk-detached "${run_flags[@]}" "$image" sleep 1000
if [[ $rc -eq 0 ]] && [[ $(pm_q inspect --format '{{.State.Status}}' sk-detached) == running ]]; then
  pass run-detached "podman run -d returned, container running"
else
  fail run-detached "status 0 and state 'running'"
fi

pm exec sk-detached sh -c 'echo exec output; exit 5'
if [[ $rc -eq 5 ]] && stdout_is "exec output"; then
  pass exec "stdout 'exec output', status 5"
else
  fail exec "status 5 and stdout 'exec output'"
fi

pm exec sk-detached sh -c 'ps -o args | grep -c "^sleep 1000"'
if [[ $rc -eq 0 ]] && stdout_is 1; then
  pass exec-sees-init "the exec'd ps sees the container's init"
else
  fail exec-sees-init "status 0 and one 'sleep 1000' in ps"
fi

call_tty podman "${podman_flags[@]}" exec -it sk-detached sh -c 'tty; exit 4'
if [[ $rc -eq 4 ]] && grep -q '/dev/pts/[0-9]' "$tmp/out"; then
  pass exec-it "a pty and status 4"
else
  fail exec-it "status 4 and '/dev/pts/N' on the terminal"
fi

# podman top reads the pid namespace of the container's pid (the pid file's
# process) from the host: under runc that is the container's, which lists
# the init. runsc's pid-file process is its sandbox, init of a pid (and
# mount) namespace of its own: top lists the sandbox's processes (the
# guest's live in the sentry: podman exec ps shows them). Never the host's.
pm top sk-detached pid args
if [[ $rc -eq 0 ]] && ! grep -q 'kthreadd' "$tmp/out" && [[ $(wc -l <"$tmp/out") -ge 2 ]]; then
  pass top "podman top lists processes of the container's pid namespace, not the host's"
else
  fail top "status 0 and a process list without the host's [kthreadd]"
fi

pm pause sk-detached
state=$(pm_q inspect --format '{{.State.Status}}' sk-detached)
if [[ $rc -eq 0 && $state == paused ]]; then
  pass pause "state paused"
else
  fail pause "status 0 and state 'paused' (it is '$state')"
fi
pm unpause sk-detached
state=$(pm_q inspect --format '{{.State.Status}}' sk-detached)
if [[ $rc -eq 0 && $state == running ]]; then
  pass unpause "state running"
else
  fail unpause "status 0 and state 'running' (it is '$state')"
fi

# `podman stop -t 2`: SIGTERM, which a handler-less init ignores, then SIGKILL.
pm stop -t 2 sk-detached
code=$(pm_q inspect --format '{{.State.ExitCode}}' sk-detached)
state=$(pm_q inspect --format '{{.State.Status}}' sk-detached)
if [[ $rc -eq 0 && $state == exited && $code == 137 ]]; then
  pass stop "exited with 137 after the timeout"
else
  fail stop "status 0, state 'exited' and exit code 137 (got '$state' $code)"
fi

# `podman kill` (SIGKILL) on a second container, then `rm -f` a running one.
pm run -d --name sk-killed "${run_flags[@]}" "$image" sleep 1000
pm kill sk-killed
pm_q wait sk-killed >/dev/null 2>&1
code=$(pm_q inspect --format '{{.State.ExitCode}}' sk-killed)
if [[ $rc -eq 0 && $code == 137 ]]; then
  pass kill "exit code 137"
else
  fail kill "status 0 and exit code 137 (got $code)"
fi

pm run -d --name sk-removed "${run_flags[@]}" "$image" sleep 1000
pm rm -f -t 0 sk-removed
if [[ $rc -eq 0 ]] && ! pm_q container exists sk-removed; then
  pass rm-force "the running container is gone"
else
  fail rm-force "status 0 and no container 'sk-removed'"
fi

pm rm sk-detached sk-killed
if [[ $rc -eq 0 ]] && [[ -z $(pm_q ps -a -q) ]]; then
  pass rm "no container left"
else
  fail rm "status 0 and an empty 'podman ps -a'"
fi

# --- nothing left behind ------------------------------------------------------

if wait_until 15 test -z "$(our_pids)"; then
  pass no-conmon-left "no conmon or runtime process of this run"
else
  rc=-
  our_pids | xargs -r ps -o pid,args -p >"$tmp/out"
  : >"$tmp/err"
  fail no-conmon-left "no process with an argument under $tmp"
fi

summary
[[ $failed -eq 0 ]]
