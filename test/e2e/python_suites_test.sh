#!/bin/bash
# Python's own regression tests for processes, threads, signals and IPC
# (Debian's libpython3.11-testsuite), natively and then under `runsc do`:
# the sandbox must fail no test module that passes natively.
#
#   python_suites_test.sh RUNSC [MODULE...]
#
# Prints each side's summary and PASS or FAIL; exit status 0 on PASS.
set -u

if [[ $# -lt 1 ]]; then
  echo "usage: $0 RUNSC [MODULE...]" >&2
  exit 2
fi
runsc=$(realpath "$1")
shift
modules=("$@")
if ((${#modules[@]} == 0)); then
  modules=(test_signal test_threading test_subprocess test_select test_poll test_epoll
           test_selectors test_fcntl test_pty test_os test_posix test_multiprocessing_fork)
fi
python=/usr/bin/python3
if ! "$python" -c 'import test.libregrtest' 2>/dev/null; then
  echo "FAIL setup: $python has no test package (scripts/setup installs libpython3.11-testsuite)"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8

# run SIDE CMD...: runs the suite, keeps the log, prints the failed modules
# (one per line) to tmp/SIDE.failed.
run() {
  local side=$1
  shift
  (cd "$tmp" && timeout 2400 "$@" "$python" -m test --timeout 900 "${modules[@]}" \
    </dev/null >"$tmp/$side.log" 2>&1)
  local rc=$?
  # regrtest prints "N tests failed:" (or "N test failed:") then the names.
  awk '/tests? failed:$/ {f=1; next} /^$/ {f=0} f {for (i=1; i<=NF; i++) print $i}' \
    "$tmp/$side.log" | sort -u >"$tmp/$side.failed"
  echo "== $side: exit $rc, $(grep -E '^(Tests )?[Rr]esult:' "$tmp/$side.log" | tail -1)"
  grep -E "^Total duration" "$tmp/$side.log" | tail -1
  return 0
}

run native
run sandbox "$runsc" do

# Anything the sandbox fails that passes natively is a regression.
regressions=$(comm -13 "$tmp/native.failed" "$tmp/sandbox.failed")
if ! grep -qE '^(Tests )?[Rr]esult:' "$tmp/sandbox.log"; then
  echo "FAIL python suites: the sandboxed run did not finish"
  tail -30 "$tmp/sandbox.log" | sed 's/^/    /'
  exit 1
fi
if [[ -n $regressions ]]; then
  echo "FAIL python suites: failed in the sandbox only: $(echo $regressions)"
  for m in $regressions; do
    grep -E "^(FAIL|ERROR):|^$m " "$tmp/sandbox.log" | head -20 | sed 's/^/    /'
  done
  exit 1
fi
echo "PASS python suites (${#modules[@]} modules; native failures: $(cat "$tmp/native.failed" | tr '\n' ' '))"
