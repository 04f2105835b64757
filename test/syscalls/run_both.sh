#!/bin/bash
# Runs one syscall test program natively and then inside the sandbox; both runs
# must pass, and the sandbox may not skip a test that ran natively.
#
#   run_both.sh RUNSC TEST_BINARY [ARGS...]
#
# The native run is in a fresh PID namespace (unshare --pid --fork --mount-proc)
# so that getpid() == 1 and getppid() == 0 there too, as in the sandbox; it
# needs root (or CAP_SYS_ADMIN). The sandboxed run is `RUNSC do TEST_BINARY
# ARGS...`. Both runs get --gtest_color=no and SYSCALL_TEST_MARKER=1 (plus the
# runner's uid and gid) in their environment.
#
# Exit status: 0 if both runs exit 0; 1 if either fails (the summary says which);
# 2 if the runner itself cannot work (bad arguments, unshare unusable).
set -u

if [[ $# -lt 2 ]]; then
  echo "usage: $0 RUNSC TEST_BINARY [ARGS...]" >&2
  exit 2
fi
runsc=$1
test_binary=$2
shift 2
args=(--gtest_color=no "$@")
name=$(basename "$test_binary")

if [[ ! -x $test_binary ]]; then
  echo "run_both: test binary $test_binary is missing or not executable" >&2
  exit 2
fi

export SYSCALL_TEST_MARKER=1
SYSCALL_TEST_UID=$(id -u)
SYSCALL_TEST_GID=$(id -g)
export SYSCALL_TEST_UID SYSCALL_TEST_GID

# A PID namespace is required for the native run to mean anything: fail loudly
# rather than running without one.
if ! unshare_err=$(unshare --pid --fork --mount-proc true 2>&1); then
  echo "run_both: FATAL: 'unshare --pid --fork --mount-proc' does not work here" \
    "(run the tests as root): $unshare_err" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "==== [native] unshare --pid --fork --mount-proc $test_binary ${args[*]}"
unshare --pid --fork --mount-proc "$test_binary" "${args[@]}" 2>&1 | tee "$tmp/native.out"
native_rc=${PIPESTATUS[0]}

echo "==== [sandbox] $runsc do $test_binary ${args[*]}"
if [[ ! -x $runsc ]]; then
  echo "run_both: runsc not found or not executable at '$runsc': the sandboxed run fails" >&2
  sandbox_rc=127
  : >"$tmp/sandbox.out"
else
  "$runsc" do "$test_binary" "${args[@]}" 2>&1 | tee "$tmp/sandbox.out"
  sandbox_rc=${PIPESTATUS[0]}
fi

# Per-test results, "Suite.Test STATUS", from gtest's "[ STATUS ] Suite.Test (N ms)"
# lines (the summary lines have no "(N ms)").
results() {
  sed -nE 's/^\[ +(OK|SKIPPED|FAILED) +\] ([A-Za-z0-9_./]+) \(.*$/\2 \1/p' "$1" | sort
}

status=0
echo "==== [summary] $name"
if [[ $native_rc -eq 0 ]]; then
  echo "native:  PASS"
else
  echo "native:  FAIL (exit status $native_rc)"
  status=1
fi
if [[ $sandbox_rc -eq 0 ]]; then
  echo "sandbox: PASS"
else
  echo "sandbox: FAIL (exit status $sandbox_rc)"
  status=1
fi

# Both passing is not enough if the sandbox skipped what ran natively.
if [[ $native_rc -eq 0 && $sandbox_rc -eq 0 ]]; then
  results "$tmp/native.out" >"$tmp/native.res"
  results "$tmp/sandbox.out" >"$tmp/sandbox.res"
  if ! diff -u --label native --label sandbox "$tmp/native.res" "$tmp/sandbox.res" >"$tmp/diff"; then
    echo "DISAGREE: per-test results differ between native and sandbox:"
    cat "$tmp/diff"
    status=1
  fi
fi
exit "$status"
