#!/bin/bash
# Robustness: runs fuzz_syscalls (random system calls from an allowlist, see
# fuzz_syscalls.c) inside the sandbox with a few fixed seeds. The sentry must
# survive every call: runsc has to exit 0 and the program has to print
# "fuzz_syscalls: PASS" after all its iterations.
#
#   fuzz_test.sh RUNSC FUZZ_SYSCALLS
#   FUZZ_SEEDS="7 0xbeef" FUZZ_ITERATIONS=100000 fuzz_test.sh RUNSC FUZZ_SYSCALLS
#
# The fuzzer is only ever run as `RUNSC do FUZZ_SYSCALLS ...`: random system
# calls are not safe on the host (the program refuses to start there anyway).
#
# On a failure the run is repeated with --trace, and the last calls it made
# are shown: the one that brought the sentry (or the program) down is last.
# The program's output contains binary noise (random writes to fds 1 and 2),
# so what is shown is passed through `cat -v`.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 RUNSC FUZZ_SYSCALLS" >&2
  exit 2
fi
runsc=$1
fuzzer=$2
read -r -a seeds <<<"${FUZZ_SEEDS:-0x1 0x2a 0xc0ffee}"
iterations=${FUZZ_ITERATIONS:-20000}
# 20000 calls take a second or two; a hang (a wait that never times out) must
# not hold up the whole suite.
per_run_timeout=60

if [[ ! -x $runsc ]]; then
  echo "FATAL: runsc not found or not executable at '$runsc'" >&2
  exit 1
fi
if [[ ! -x $fuzzer ]]; then
  echo "FATAL: fuzz_syscalls not found or not executable at '$fuzzer'" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_fuzzer OUT ARGS...: runs the fuzzer in the sandbox with stdout and
# stderr on one pipe (so that its positioned writes fail with ESPIPE instead
# of rewriting a file), leaving the exit status in $rc.
run_fuzzer() {
  local out=$1
  shift
  timeout --kill-after=5 "$per_run_timeout" "$runsc" do "$fuzzer" "$@" </dev/null 2>&1 | cat >"$out"
  rc=${PIPESTATUS[0]}
}

describe_status() {
  case $1 in
    0) echo "0" ;;
    124 | 137) echo "$1 (timed out after ${per_run_timeout}s)" ;;
    134) echo "134 (SIGABRT: runsc or the sentry aborted)" ;;
    139) echo "139 (SIGSEGV)" ;;
    *) if (($1 > 128)); then echo "$1 (signal $(($1 - 128)))"; else echo "$1"; fi ;;
  esac
}

# Printable, bounded lines of a log with binary noise in it.
show() {
  cat -v | cut -c1-300 | sed 's/^/    /'
}

passed=0
failed=0
for seed in "${seeds[@]}"; do
  name="fuzz: seed $seed, $iterations calls"
  start=$(date +%s%N)
  run_fuzzer "$tmp/out" "$seed" "$iterations"
  ms=$((($(date +%s%N) - start) / 1000000))
  if [[ $rc -eq 0 ]] && grep -aq '^fuzz_syscalls: PASS$' "$tmp/out"; then
    echo "PASS $name (${ms} ms)"
    grep -a -A200 '^fuzz_syscalls: done:' "$tmp/out" | grep -a -E '^(fuzz_syscalls: done|  [a-z_0-9]+ +calls=)' |
      show
    passed=$((passed + 1))
    continue
  fi
  echo "FAIL $name: exit status $(describe_status "$rc") after ${ms} ms"
  if grep -aq '^fuzz_syscalls: FAIL' "$tmp/out"; then
    grep -a '^fuzz_syscalls: FAIL' "$tmp/out" | show
  fi
  echo "  last lines of the output (stdout and stderr):"
  tail -n 15 "$tmp/out" | show
  echo "  replaying with --trace; the last calls made were:"
  run_fuzzer "$tmp/trace" "$seed" "$iterations" --trace
  grep -a -E '^\[[0-9]+\] ' "$tmp/trace" | tail -n 6 | show
  echo "  (exit status of the replay: $(describe_status "$rc"); replay by hand with:" \
    "$runsc do $fuzzer $seed $iterations --trace)"
  failed=$((failed + 1))
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
