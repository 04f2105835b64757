#!/bin/bash
# End-to-end checks of `runsc do` and the runsc command line, driving busybox
# from the host's root filesystem.
#
#   runsc_do_test.sh RUNSC
#
# Each check prints "PASS name" or "FAIL name" (with what it saw); the last line
# is "N passed, N failed", and the exit status is non-zero if any check failed.
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RUNSC" >&2
  exit 2
fi
runsc=$1
busybox=/bin/busybox
# No single check may hang the whole run.
per_check_timeout=60

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() {
  echo "PASS $1"
  passed=$((passed + 1))
}

# fail NAME WHY: also shows the last run's output.
fail() {
  echo "FAIL $1: $2"
  echo "  exit status: $rc"
  echo "  stdout: $(head -c 2000 "$tmp/out" | sed 's/^/    /')"
  echo "  stderr: $(head -c 2000 "$tmp/err" | sed 's/^/    /')"
  failed=$((failed + 1))
}

# run ARGS...: runs RUNSC ARGS... with stdin from /dev/null, leaving the exit
# status in $rc and the output in $tmp/out and $tmp/err.
run() {
  timeout --kill-after=5 "$per_check_timeout" "$runsc" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# The exact stdout, trailing newline included.
stdout_is() {
  [[ "$(cat "$tmp/out"; echo x)" == "$1"$'\n'x ]]
}

if [[ ! -x $runsc ]]; then
  echo "runsc not found or not executable at '$runsc': every check fails"
fi
if [[ ! -x $busybox ]]; then
  echo "FATAL: $busybox is missing on the host" >&2
  exit 2
fi

check_echo() {
  local name="do: busybox echo hi prints exactly hi"
  run do "$busybox" echo hi
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is hi; then fail "$name" "stdout is not exactly 'hi\\n'"
  else pass "$name"; fi
}

check_false() {
  local name="do: busybox false exits 1"
  run do "$busybox" false
  if [[ $rc -ne 1 ]]; then fail "$name" "exit status $rc, want 1"
  else pass "$name"; fi
}

check_exit_code() {
  local name="do: sh -c 'exit 7' exits 7"
  run do "$busybox" sh -c 'exit 7'
  if [[ $rc -ne 7 ]]; then fail "$name" "exit status $rc, want 7"
  else pass "$name"; fi
}

check_killed_by_signal() {
  local name="do: sh -c 'kill -9 \$\$' exits 137 (128+SIGKILL)"
  run do "$busybox" sh -c 'kill -9 $$'
  if [[ $rc -ne 137 ]]; then fail "$name" "exit status $rc, want 137"
  else pass "$name"; fi
}

check_strace() {
  local name="--strace: busybox true logs exit_group( and arch_prctl( on stderr"
  run --strace do "$busybox" true
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! grep -q 'exit_group(' "$tmp/err"; then fail "$name" "no exit_group( on stderr"
  elif ! grep -q 'arch_prctl(' "$tmp/err"; then fail "$name" "no arch_prctl( on stderr"
  elif [[ -s $tmp/out ]]; then fail "$name" "strace output leaked to stdout"
  else pass "$name"; fi
}

check_syscalls_table() {
  local name="syscalls: table lists read with a status"
  run syscalls
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! grep -qw 'read' "$tmp/out"; then fail "$name" "no 'read' row"
  elif ! grep -qiwE 'supported|partial|unsupported|unimplemented' "$tmp/out"; then
    fail "$name" "no status words (supported/partial/unsupported)"
  else pass "$name"; fi
}

check_syscalls_json() {
  local name="syscalls --format=json: >300 entries with name/number/status"
  run syscalls --format=json
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"; return; fi
  if ! python3 -c 'import json,sys; json.load(sys.stdin)' <"$tmp/out" 2>"$tmp/why"; then
    fail "$name" "not valid JSON: $(tail -n1 "$tmp/why")"
    return
  fi
  # The entries are the top-level list, or the one list inside a top-level
  # object (e.g. {"syscalls": [...]}).
  if ! python3 - "$tmp/out" >"$tmp/why" 2>&1 <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
if isinstance(doc, dict):
    lists = [v for v in doc.values() if isinstance(v, list)]
    if len(lists) != 1:
        sys.exit("top-level object has %d lists, want 1" % len(lists))
    doc = lists[0]
if not isinstance(doc, list):
    sys.exit("no list of entries")
if len(doc) <= 300:
    sys.exit("%d entries, want more than 300" % len(doc))
by_name = {}
for e in doc:
    if not isinstance(e, dict):
        sys.exit("entry is not an object: %r" % (e,))
    if not isinstance(e.get("name"), str) or not isinstance(e.get("number"), int) \
            or isinstance(e.get("number"), bool) or not isinstance(e.get("status"), str):
        sys.exit("entry lacks string name, integer number, string status: %r" % (e,))
    by_name[e["name"]] = e["number"]
for name, number in (("read", 0), ("write", 1), ("exit_group", 231)):
    if by_name.get(name) != number:
        sys.exit("%s has number %r, want %d" % (name, by_name.get(name), number))
EOF
  then
    fail "$name" "$(tail -n1 "$tmp/why")"
  else
    pass "$name"
  fi
}

check_env() {
  local name="do --env FOO=bar: sh sees FOO"
  run do --env FOO=bar "$busybox" sh -c 'echo $FOO'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is bar; then fail "$name" "stdout is not exactly 'bar\\n'"
  else pass "$name"; fi
}

check_cwd() {
  local name="do --cwd /tmp: pwd prints /tmp"
  run do --cwd /tmp "$busybox" pwd
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is /tmp; then fail "$name" "stdout is not exactly '/tmp\\n'"
  else pass "$name"; fi
}

check_missing_program() {
  local name="do: a missing program fails with a clear message"
  local missing=/nonexistent/runsc-e2e-no-such-program
  run do "$missing"
  if [[ $rc -eq 0 ]]; then fail "$name" "exit status 0, want non-zero"
  elif [[ $rc -eq 124 || $rc -ge 128 ]]; then
    fail "$name" "exit status $rc: runsc timed out or died of a signal"
  elif ! grep -qF "$missing" "$tmp/err"; then fail "$name" "stderr does not name $missing"
  else pass "$name"; fi
}

check_shell_processes() {
  local name="do: busybox sh runs pipelines, subshells, command substitution and loops of fork+exec"
  run do "$busybox" sh -c '
    a=$(echo hi | '"$busybox"' tr a-z A-Z)
    (exit 3); b=$?
    c=$('"$busybox"' seq 1 2000 | '"$busybox"' tail -1)
    i=0; while [ $i -lt 50 ]; do '"$busybox"' true; i=$((i+1)); done
    trap "echo trapped" USR1; kill -USR1 $$
    echo "$a $b $c $i"'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0: $(tail -3 "$tmp/err")"
  elif ! stdout_is $'trapped\nHI 3 2000 50'; then fail "$name" "stdout is '$(cat "$tmp/out")'"
  else pass "$name"; fi
}

check_echo
check_false
check_exit_code
check_killed_by_signal
check_strace
check_syscalls_table
check_syscalls_json
check_env
check_cwd
check_missing_program
check_shell_processes

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
