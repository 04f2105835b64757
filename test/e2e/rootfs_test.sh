#!/bin/bash
# End-to-end checks of `runsc do --rootfs DIR`: a busybox root built by
# make_busybox_root.sh in TMP/root, with a secret in TMP/outside/secret that no
# path inside the sandbox may reach (.., symlinks, /proc/*/root and cwd), and
# writes that never reach TMP/root on the host.
#
#   rootfs_test.sh RUNSC
#
# Each check prints "PASS name" or "FAIL name" (with what it saw); the last line
# is "N passed, N failed", and the exit status is non-zero if any check failed.
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RUNSC" >&2
  exit 2
fi
runsc=$1
here=$(cd "$(dirname "$0")" && pwd)
# No single check may hang the whole run.
per_check_timeout=60
export LC_ALL=C

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
secret="sk-e2e-secret-${RANDOM}-$$"

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

# run_root [DO-FLAGS] CMD ARGS...: `runsc do --rootfs TMP/root` with busybox's
# PATH (the host's PATH names directories the root does not have).
run_root() {
  run do --rootfs "$root" --env PATH=/bin --env LC_ALL=C "$@"
}

# The exact stdout, trailing newline included.
stdout_is() {
  [[ "$(cat "$tmp/out"; echo x)" == "$1"$'\n'x ]]
}

# Stdout, as sorted lines, equals the sorted names in the root's own /.
stdout_is_root_listing() {
  sort "$tmp/out" | cmp -s - "$tmp/root_listing"
}

if [[ ! -x $runsc ]]; then
  echo "runsc not found or not executable at '$runsc': every check fails"
fi

# The root, and what lies outside it.
if ! "$here/make_busybox_root.sh" "$root" >"$tmp/make.log" 2>&1; then
  echo "FATAL: make_busybox_root.sh $root failed:" >&2
  cat "$tmp/make.log" >&2
  exit 2
fi
mkdir -p "$tmp/outside"
echo "$secret" >"$tmp/outside/secret"
echo "hello from the busybox root" >"$root/etc/greeting"
printf 'one\ntwo\nthree\n' >"$root/etc/lines"
echo "host original" >"$root/etc/existing"
# Symlinks that, resolved by the host instead of the sandbox, would reach the
# secret: the relative ones lead to TMP/outside from where they stand.
ln -s /../../outside/secret "$root/abs_link"
ln -s ../../outside/secret "$root/etc/rel_link"
ln -s "$tmp/outside/secret" "$root/host_path_link"
ln -s ../outside "$root/escape_dir"
# The names in the root's /, as busybox ls shows them (no dot files here).
(cd "$root" && ls -1) | sort >"$tmp/root_listing"
# Everything about the root on the host, to see that runs leave it alone.
snapshot_root() {
  (cd "$root" && find . -printf '%p %y %m %s %T@ %l\n' | sort &&
    find . -type f -exec sha256sum {} + | sort)
}
snapshot_root >"$tmp/root_before"

check_ls_root() {
  local name="--rootfs: /bin/ls / lists the busybox root's entries, not the host's"
  run_root /bin/ls /
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif grep -qx -e usr -e lib -e home "$tmp/out"; then fail "$name" "the host's / is listed"
  elif ! stdout_is_root_listing; then
    fail "$name" "want the names: $(tr '\n' ' ' <"$tmp/root_listing")"
  else pass "$name"; fi
}

check_sh_echo() {
  local name="--rootfs: /bin/sh -c 'echo hi' prints hi"
  run_root /bin/sh -c 'echo hi'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is hi; then fail "$name" "stdout is not exactly 'hi\\n'"
  else pass "$name"; fi
}

check_cat() {
  local name="--rootfs: /bin/cat /etc/greeting prints the root's file"
  run_root /bin/cat /etc/greeting
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "hello from the busybox root"; then fail "$name" "wrong contents"
  else pass "$name"; fi
}

check_wc() {
  local name="--rootfs: /bin/wc -l /etc/lines counts 3 lines"
  run_root /bin/wc -l /etc/lines
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif [[ $(tr -s ' ' <"$tmp/out" | sed 's/^ //') != "3 /etc/lines" ]]; then
    fail "$name" "stdout is not '3 /etc/lines'"
  else pass "$name"; fi
}

check_pipeline() {
  local name="--rootfs: sh pipeline of applets (cat | grep | wc -c)"
  run_root /bin/sh -c 'cat /etc/lines | grep t | wc -c'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif [[ $(tr -d ' ' <"$tmp/out") != 10 ]]; then fail "$name" "stdout is not 10"
  else pass "$name"; fi
}

# expect_no_secret NAME DO-ARGS...: cat must run and fail (exit status 1,
# "No such file or directory": a sandbox that runs nothing passes no such
# check), and must not show the secret.
expect_no_secret() {
  local name=$1
  shift
  run_root "$@"
  if grep -qF "$secret" "$tmp/out" "$tmp/err"; then fail "$name" "the secret was read"
  elif [[ $rc -ne 1 ]]; then fail "$name" "exit status $rc, want 1 (cat: no such file)"
  elif ! grep -q 'No such file or directory' "$tmp/err"; then
    fail "$name" "stderr does not say 'No such file or directory'"
  else pass "$name"; fi
}

check_escapes() {
  expect_no_secret "--rootfs escape: cat /../outside/secret fails" \
    /bin/cat /../outside/secret
  expect_no_secret "--rootfs escape: cat ../../../../outside/secret from cwd / fails" \
    --cwd / /bin/cat ../../../../outside/secret
  expect_no_secret "--rootfs escape: symlink to /../../outside/secret does not resolve outside" \
    /bin/cat /abs_link
  expect_no_secret "--rootfs escape: relative symlink ../../outside/secret does not resolve outside" \
    /bin/cat /etc/rel_link
  expect_no_secret "--rootfs escape: symlink to the secret's host path does not resolve" \
    /bin/cat /host_path_link
  expect_no_secret "--rootfs escape: symlinked dir ../outside does not lead outside" \
    /bin/cat /escape_dir/secret
  expect_no_secret "--rootfs escape: cat /proc/self/root/../outside/secret fails" \
    /bin/cat /proc/self/root/../outside/secret
  expect_no_secret "--rootfs escape: cd -P /proc/self/cwd/../.. && cat outside/secret fails" \
    --cwd / /bin/sh -c 'cd -P /proc/self/cwd/../.. && cat outside/secret'
}

# expect_root_listing NAME DO-ARGS...: the command's output must be the
# root's own / listing.
expect_root_listing() {
  local name=$1
  shift
  run_root "$@"
  if grep -qF "$secret" "$tmp/out" "$tmp/err"; then fail "$name" "the secret was read"
  elif [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif grep -qx outside "$tmp/out"; then fail "$name" "TMP (with outside/) is listed"
  elif ! stdout_is_root_listing; then
    fail "$name" "want the root's names: $(tr '\n' ' ' <"$tmp/root_listing")"
  else pass "$name"; fi
}

check_proc_escapes() {
  expect_root_listing "--rootfs escape: ls /proc/self/root/.. lists the root's /" \
    /bin/ls /proc/self/root/..
  expect_root_listing "--rootfs escape: ls /proc/1/cwd/.. lists the root's /" \
    --cwd / /bin/ls /proc/1/cwd/..
  # cd -P: the shell's own (-L) cd drops "name/.." as text, so only -P hands
  # the ".." to the kernel.
  expect_root_listing "--rootfs escape: cd -P /proc/self/root/../../ && ls lists the root's /" \
    /bin/sh -c 'cd -P /proc/self/root/../../ && ls'
  expect_root_listing "--rootfs escape: cd -P /.. && cd -P .. && ls lists the root's /" \
    --cwd / /bin/sh -c 'cd -P /.. && cd -P .. && ls'
}

check_writes() {
  local name="--rootfs: writes, appends, rm, mv and mkdir inside read back inside"
  local unchanged="--rootfs: after the writing run, TMP/root on the host is unchanged"
  run_root --cwd / /bin/sh -c '
set -e
echo new >/newfile
echo appended >>/etc/existing
mkdir -p /newdir/sub
echo deep >/newdir/sub/f
mv /etc/greeting /etc/greeting.moved
rm /etc/lines
rm /bin/cat
echo tmp >/tmp/t
busybox cat /newfile /etc/existing /newdir/sub/f /etc/greeting.moved /tmp/t
[ ! -e /etc/lines ] && [ ! -e /etc/greeting ] && [ ! -e /bin/cat ] && echo gone'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is $'new\nhost original\nappended\ndeep\nhello from the busybox root\ntmp\ngone'; then
    fail "$name" "the changes did not read back inside"
  else pass "$name"; fi
  snapshot_root >"$tmp/root_after"
  if ! cmp -s "$tmp/root_before" "$tmp/root_after"; then
    fail "$unchanged" "TMP/root changed (- before, + after):
$(diff -u "$tmp/root_before" "$tmp/root_after" | head -n 30)"
  else pass "$unchanged"; fi
}

check_ls_root
check_sh_echo
check_cat
check_wc
check_pipeline
check_escapes
check_proc_escapes
check_writes

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
