# shellcheck shell=bash disable=SC2154  # tmp is set by the sourcing script
# Shared helpers for the client tests (containerd_test.sh, podman_test.sh).
# Sourced, not run. The caller sets `tmp` (its private temporary directory)
# before calling anything here.
#
# Checks print "PASS name: what" or "FAIL name: expected ..., got ..."; the
# counters end in `summary`.

passed=0
failed=0
skipped=0
# Every client call is bounded: a hung runtime must fail the check, not the run.
client_timeout=${CLIENT_TIMEOUT:-60}

pass() {
  echo "PASS $1${2:+: $2}"
  passed=$((passed + 1))
}

# fail NAME EXPECTED: also shows the last call's exit status and output.
fail() {
  echo "FAIL $1: expected $2"
  echo "  got exit status: $rc"
  echo "  stdout: $(head -c 2000 "$tmp/out" 2>/dev/null | sed 's/^/    /')"
  echo "  stderr: $(head -c 2000 "$tmp/err" 2>/dev/null | sed 's/^/    /')"
  failed=$((failed + 1))
}

skip() {
  echo "SKIP $1: $2"
  skipped=$((skipped + 1))
}

summary() {
  echo "$passed passed, $failed failed, $skipped skipped"
}

# call CMD ARGS...: runs CMD with stdin from /dev/null under the client
# timeout, leaving the status in $rc and the output in $tmp/out, $tmp/err.
call() {
  timeout --kill-after=5 "$client_timeout" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# call_tty CMD ARGS...: like call, but CMD gets a pseudo-terminal from
# script(1) as its stdin/stdout (stderr is the same terminal). `script -e`
# returns the command's status.
call_tty() {
  local cmdline
  printf -v cmdline '%q ' "$@"
  timeout --kill-after=5 "$client_timeout" \
    script -qec "$cmdline" /dev/null </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
  # Terminal output ends lines with CR LF.
  tr -d '\r' <"$tmp/out" >"$tmp/out.tmp" && mv "$tmp/out.tmp" "$tmp/out"
}

# The exact stdout of the last call, trailing newline included.
stdout_is() {
  [[ "$(cat "$tmp/out"; echo x)" == "$1"$'\n'x ]]
}

# wait_until SECONDS CMD ARGS...: polls CMD every 0.2 s until it succeeds.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS >= deadline)) && return 1
    sleep 0.2
  done
}

# make_runtime_wrapper RUNTIME LOG OUT: writes an executable OUT that appends
# its argv (one line per call, with the working directory) to LOG and execs
# RUNTIME. For debugging: set SK_RUNTIME_LOG=FILE for the client tests.
make_runtime_wrapper() {
  local runtime=$1 log=$2 out=$3
  cat >"$out" <<EOF
#!/bin/sh
printf '%s cwd=%s:' "\$(date +%T.%N)" "\$PWD" >>'$log'
for a in "\$@"; do printf ' %s' "\$a" >>'$log'; done
printf '\n' >>'$log'
exec '$runtime' "\$@"
EOF
  chmod 0755 "$out"
}

# pids_with_arg STRING: pids of processes (other than ours) whose argv has an
# argument equal to STRING. Used to find the shims and conmons of this run's
# private daemon by its unique socket or directory path, never by name.
pids_with_arg() {
  local p arg
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    while IFS= read -r -d '' arg; do
      if [[ $arg == "$1" ]]; then
        echo "$p"
        break
      fi
    done 2>/dev/null <"/proc/$p/cmdline"
  done
}

# kill_cgroup_tree DIRNAME: SIGKILLs every process in the cgroups named
# DIRNAME (a name unique to this run) under each v1 hierarchy and the unified
# one, then removes those cgroups, deepest first.
kill_cgroup_tree() {
  local name=$1 d pid
  for d in /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name"; do
    [[ -d $d ]] || continue
    while IFS= read -r pid; do
      [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null
    done < <(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  sleep 0.2
  for d in /sys/fs/cgroup/*/"$name" /sys/fs/cgroup/"$name"; do
    [[ -d $d ]] || continue
    find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
}

# unmount_under DIR: unmounts everything mounted at or below DIR, deepest
# first, so that DIR can be removed without touching what was mounted there.
unmount_under() {
  local dir=$1 mnt
  # mountinfo field 5 is the mount point (octal escapes for spaces).
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while IFS= read -r mnt; do
      umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
    done
}
