#!/bin/bash
# End-to-end checks of `runsc do --rootfs ROOT` on a real distribution: a
# minimal Debian bookworm root built once by make_debian_root.sh and cached
# (default /var/cache/sandbox-test/debian-bookworm-minbase, or $DEBIAN_ROOT).
# Runs Debian's own dynamic bash, coreutils, findutils and dpkg from it.
#
#   debian_rootfs_test.sh RUNSC
#
# Each check prints "PASS name" or "FAIL name" (with what it saw); the last line
# is "N passed, N failed", and the exit status is non-zero if any check failed.
# Only when the root cannot be built because the Debian mirror cannot be
# reached (no network) does it print "SKIP ..." and "0 passed, 0 failed, 1
# skipped" and exit 0; any other failure to build the root is a FAIL.
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RUNSC" >&2
  exit 2
fi
runsc=$1
here=$(cd "$(dirname "$0")" && pwd)
root=${DEBIAN_ROOT:-/var/cache/sandbox-test/debian-bookworm-minbase}
# No single check may hang the whole run.
per_check_timeout=120
guest_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
: >"$tmp/out"
: >"$tmp/err"

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

# run_root [DO-FLAGS] CMD ARGS...: `runsc do --rootfs ROOT` with a plain PATH
# and the C locale (the host's may name ones the root lacks).
run_root() {
  run do --rootfs "$root" --env PATH="$guest_path" --env LC_ALL=C --env HOME=/root "$@"
}

# The exact stdout, trailing newline included.
stdout_is() {
  [[ "$(cat "$tmp/out"; echo x)" == "$1"$'\n'x ]]
}

if [[ ! -x $runsc ]]; then
  echo "runsc not found or not executable at '$runsc': every check fails"
fi

# The root: built on first use, cached after.
"$here/make_debian_root.sh" "$root" >"$tmp/make.log" 2>&1
make_rc=$?
if [[ $make_rc -eq 3 ]]; then
  echo "SKIP debian rootfs: the Debian mirror cannot be reached (no network), so $root cannot be built:"
  sed 's/^/  /' "$tmp/make.log"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
elif [[ $make_rc -ne 0 || ! -f $root/etc/debian_version ]]; then
  rc=$make_rc
  cp "$tmp/make.log" "$tmp/err"
  fail "debian rootfs: make_debian_root.sh builds $root" "exit status $make_rc"
  echo "$passed passed, $failed failed"
  exit 1
fi

check_bash_version() {
  local name="debian: /bin/bash -c 'echo \$BASH_VERSION' prints the root's bash version"
  # The upstream part of the bash package's version, e.g. 5.2.15.
  local want
  want=$(awk '/^Package: /{p = ($2 == "bash")} p && /^Version: /{print $2; exit}' \
    "$root/var/lib/dpkg/status" | sed 's/^[0-9]*://; s/-[^-]*$//')
  run_root /bin/bash -c 'echo $BASH_VERSION'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif [[ -z $want ]]; then fail "$name" "no bash in $root/var/lib/dpkg/status"
  elif ! grep -qxE "${want//./\\.}\([0-9]+\)-[a-z]+" "$tmp/out"; then
    fail "$name" "stdout is not '$want(N)-release'"
  else pass "$name"; fi
}

check_ls_la_root() {
  local name="debian: /usr/bin/ls -la / lists the root's names"
  run_root /usr/bin/ls -la --time-style=+%s /
  local names='$1 != "total" && NF >= 7 {
      $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); sub(/ -> .*/, "")
      if ($0 != "." && $0 != "..") print }'
  awk "$names" "$tmp/out" | sort >"$tmp/guest_names"
  ls -la --time-style=+%s "$root/" | awk "$names" | sort >"$tmp/host_names"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! grep -qx usr "$tmp/guest_names"; then fail "$name" "no usr listed"
  elif ! cmp -s "$tmp/guest_names" "$tmp/host_names"; then
    fail "$name" "names differ (- host's ROOT, + sandbox):
$(diff -u "$tmp/host_names" "$tmp/guest_names" | head -n 30)"
  else pass "$name"; fi
}

check_dpkg_l() {
  local name="debian: dpkg -l | head shows the header and installed packages"
  run_root /bin/sh -c 'dpkg -l | head -n 12'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! grep -q '^Desired=' "$tmp/out"; then fail "$name" "no 'Desired=' header"
  elif ! grep -qE '^ii +[a-z0-9]' "$tmp/out"; then fail "$name" "no 'ii' package lines"
  else pass "$name"; fi
}

check_dpkg_count() {
  local name="debian: dpkg -l lists as many installed packages as ROOT's dpkg status has"
  local want
  want=$(grep -c '^Status: install ok installed' "$root/var/lib/dpkg/status")
  run_root /bin/sh -c 'dpkg -l | grep -c "^ii"'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "want $want"
  else pass "$name"; fi
}

check_sha256_os_release() {
  local name="debian: sha256sum /etc/os-release (a relative symlink) equals the host's of ROOT/etc/os-release"
  local want
  want="$(sha256sum <"$root/etc/os-release" | cut -d' ' -f1)  /etc/os-release"
  run_root /usr/bin/sha256sum /etc/os-release
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "want '$want'"
  else pass "$name"; fi
}

check_find_usr_bin() {
  local name="debian: find /usr/bin | wc -l equals the host's count in ROOT/usr/bin"
  local want
  want=$(find "$root/usr/bin" | wc -l)
  run_root /bin/sh -c 'find /usr/bin | wc -l'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "want $want"
  else pass "$name"; fi
}

check_debian_version() {
  local name="debian: cat /etc/debian_version equals ROOT's"
  run_root /bin/cat /etc/debian_version
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$(cat "$root/etc/debian_version")"; then
    fail "$name" "want '$(cat "$root/etc/debian_version")'"
  else pass "$name"; fi
}

check_bash_version
check_ls_la_root
check_dpkg_l
check_dpkg_count
check_sha256_os_release
check_find_usr_bin
check_debian_version

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
