#!/bin/bash
# Defense in depth, seen from the host: while a container runs, the
# sandbox's host processes hold no privilege. The sentry (under `runsc do`
# and as an OCI container's sandbox) and every stub process guest code runs
# in are the unprivileged user 65534 with no capabilities, no_new_privs
# set and a seccomp filter (Seccomp: 2); the gofer is under its own
# seccomp filter and keeps only the capabilities serving files needs. The containers still work: they print what they were
# asked to, and a guest process's own view of itself is unchanged (root,
# full capabilities inside the sandbox).
#
#   hardening_test.sh RUNSC
#
# Each check prints "PASS name" or "FAIL name: why"; the exit status is
# non-zero if any failed.
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
bundle=$tmp/bundle

cleanup() {
  for id in $("$runsc" --root "$root" list -q 2>/dev/null); do
    "$runsc" --root "$root" delete --force "$id" >/dev/null 2>&1
  done
  jobs -p | xargs -r kill 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

pass() {
  echo "PASS $1"
  passed=$((passed + 1))
}

fail() {
  echo "FAIL $1: $2"
  failed=$((failed + 1))
}

# field PID NAME: a field of /proc/PID/status, tabs squeezed.
field() {
  awk -v n="$2:" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "/proc/$1/status"
}

# descendants PID: every process below PID, one per line.
descendants() {
  local p
  for p in $(pgrep -P "$1"); do
    echo "$p"
    descendants "$p"
  done
}

# check_unprivileged NAME PID: the process runs as 65534 without capabilities,
# with no_new_privs and a seccomp filter.
check_unprivileged() {
  local name=$1 pid=$2 uid caps nnp sec
  uid=$(field "$pid" Uid)
  caps=$(field "$pid" CapEff)
  nnp=$(field "$pid" NoNewPrivs)
  sec=$(field "$pid" Seccomp)
  if [[ $uid == "65534 65534 65534 65534" && $caps == 0000000000000000 && $nnp == 1 &&
        $sec == 2 ]]; then
    pass "$name"
  else
    fail "$name" "pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null)): Uid '$uid' CapEff '$caps' NoNewPrivs '$nnp' Seccomp '$sec'"
  fi
}

# check_tree LABEL PID: the sentry PID and the stubs below it are
# unprivileged; the gofers below it are filtered.
check_tree() {
  local label=$1 sentry=$2 p comm stubs=0 gofers=0
  check_unprivileged "$label: sentry" "$sentry"
  for p in $(descendants "$sentry"); do
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    if [[ $comm == runsc-gofer ]]; then
      gofers=$((gofers + 1))
      # Filtered, and holding only the file capabilities (chown,
      # dac_override, dac_read_search, fowner, fsetid), bounding set too.
      if [[ $(field "$p" Seccomp) == 2 && $(field "$p" CapEff) == 000000000000001f &&
            $(field "$p" CapBnd) == 000000000000001f ]]; then
        pass "$label: gofer $gofers filtered, file capabilities only"
      else
        fail "$label: gofer $gofers filtered, file capabilities only" \
          "pid $p Seccomp $(field "$p" Seccomp) CapEff $(field "$p" CapEff) CapBnd $(field "$p" CapBnd)"
      fi
    else
      stubs=$((stubs + 1))
      check_unprivileged "$label: stub $stubs" "$p"
    fi
  done
  if ((stubs > 0)); then
    pass "$label: stubs found ($stubs)"
  else
    fail "$label: stubs found" "no process below the sentry besides gofers"
  fi
}

# wait_for FILE: up to 10 s for FILE to be non-empty.
wait_for() {
  local i
  for i in $(seq 100); do
    [[ -s $1 ]] && return 0
    sleep 0.1
  done
  return 1
}

# --- runsc do ---
# (The guest's writes stay in its overlay: what it reports goes to stdout.)
"$runsc" do /bin/sh -c 'id -u; grep CapEff /proc/self/status; sleep 5' \
  >"$tmp/do-ready" 2>"$tmp/do-err" &
do_pid=$!
if wait_for "$tmp/do-ready"; then
  sleep 0.2
  check_tree "runsc do" "$do_pid"
  # The guest still sees itself as the user who ran runsc do, root here,
  # with root's capabilities: the host's view and the guest's are apart.
  if [[ $(head -1 "$tmp/do-ready") == 0 ]] && grep -q 'CapEff:.*1ff' "$tmp/do-ready"; then
    pass "runsc do: the guest's own view is root with capabilities"
  else
    fail "runsc do: the guest's own view" "$(cat "$tmp/do-ready")"
  fi
else
  fail "runsc do: started" "$(cat "$tmp/do-err")"
fi
kill "$do_pid" 2>/dev/null
wait "$do_pid" 2>/dev/null

# --- an OCI container ---
mkdir -p "$bundle"
bash "$here/make_busybox_root.sh" "$bundle/rootfs" >/dev/null || { echo "FAIL setup"; exit 1; }
(cd "$bundle" && "$runsc" spec -- /bin/sh -c 'echo started; sleep 30')
if "$runsc" --root "$root" run -d --bundle "$bundle" hard >"$tmp/run-out" 2>"$tmp/run-err"; then
  sandbox=$("$runsc" --root "$root" state hard | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
  sleep 0.3
  if [[ -n $sandbox ]]; then
    check_tree "oci" "$sandbox"
  else
    fail "oci: sandbox pid" "$("$runsc" --root "$root" state hard)"
  fi
  # The unprivileged sandbox still serves every command.
  if "$runsc" --root "$root" exec hard /bin/sh -c 'echo exec-ok' 2>"$tmp/err" | grep -q exec-ok; then
    pass "oci: exec in the hardened sandbox"
  else
    fail "oci: exec in the hardened sandbox" "$(cat "$tmp/err")"
  fi
  if "$runsc" --root "$root" ps --format json hard | grep -q '\['; then
    pass "oci: ps"
  else
    fail "oci: ps" "no json"
  fi
  "$runsc" --root "$root" kill hard KILL
  for i in $(seq 50); do
    "$runsc" --root "$root" state hard 2>/dev/null | grep -q '"stopped"' && break
    sleep 0.1
  done
  if "$runsc" --root "$root" delete hard && [[ ! -e $root/hard ]]; then
    pass "oci: delete leaves nothing"
  else
    fail "oci: delete leaves nothing" "$(ls -la "$root/hard" 2>&1)"
  fi
else
  fail "oci: run -d" "$(cat "$tmp/run-err")"
fi

echo "hardening: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
