#!/bin/bash
# End-to-end checks of the sandbox's file systems under `runsc do` with the
# host's root: the host's / read-only through the gofer, a tmpfs overlay on
# top taking every write, and /proc and /dev. Drives the host's own dynamic
# programs (coreutils, findutils, tar, python3).
#
#   files_test.sh RUNSC
#
# Each check prints "PASS name" or "FAIL name" (with what it saw); the last line
# is "N passed, N failed", and the exit status is non-zero if any check failed.
set -u

if [[ $# -ne 1 ]]; then
  echo "usage: $0 RUNSC" >&2
  exit 2
fi
runsc=$1
# No single check may hang the whole run; the 256 MiB one gets longer.
per_check_timeout=60
big_file_timeout=300
check_timeout=$per_check_timeout
# The guest inherits runsc's environment: give it a plain PATH and locale so
# that the host's pyenv shims or language settings play no part.
guest_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C

passed=0
failed=0
tmp=$(mktemp -d)
# Paths that the sandbox must never create on the host; removed at exit in
# case it does.
uniq=sk_e2e_${RANDOM}_$$
leak_paths=(
  "/tmp/$uniq" "/etc/sk_e2e_marker_$$" "/sk_e2e_root_$$" "/usr/sk_e2e_$$"
  "/tmp/rt_$uniq" "/tmp/ops_$uniq" "/tmp/py_$uniq"
)
cleanup() {
  rm -rf "$tmp"
  local p
  for p in "${leak_paths[@]}"; do
    [[ -e $p || -L $p ]] && rm -rf "$p"
  done
}
trap cleanup EXIT

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
  timeout --kill-after=5 "$check_timeout" "$runsc" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# run_do [DO-FLAGS] CMD ARGS...: `runsc do` with the guest's PATH and locale.
run_do() {
  run do --env PATH="$guest_path" --env LC_ALL=C "$@"
}

# The exact stdout, trailing newline included.
stdout_is() {
  [[ "$(cat "$tmp/out"; echo x)" == "$1"$'\n'x ]]
}

# A short unified diff of two files, for failure messages.
short_diff() {
  diff -u "$1" "$2" | head -n 40
}

if [[ ! -x $runsc ]]; then
  echo "runsc not found or not executable at '$runsc': every check fails"
fi

# `ls -la --time-style=+%s DIR` lines as "NAME" (names) or "NAME TYPE+MODE
# SIZE-OF-FILES -> TARGET" (details), without "total", "." and "..".
ls_names() {
  awk '$1 != "total" && NF >= 7 {
         $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, ""); sub(/ -> .*/, "")
         if ($0 != "." && $0 != "..") print }' "$1" | sort
}
ls_details() {
  awk '$1 != "total" && NF >= 7 {
         mode = $1; size = $5; $1 = $2 = $3 = $4 = $5 = $6 = ""; sub(/^ +/, "")
         name = $0; sub(/ -> .*/, "", name)
         if (name == "." || name == "..") next
         # Only regular files have a size that the overlay must keep.
         if (substr(mode, 1, 1) != "-") size = "-"
         # Drop a trailing ACL/attribute marker (+ or .) from the mode.
         print $0, substr(mode, 1, 10), size }' "$1" | sort
}

check_ls_etc() {
  local name="ls -la /etc: succeeds and lists the host's names"
  local details="ls -la /etc: types, modes, file sizes and symlink targets match the host's"
  check_timeout=$per_check_timeout
  run_do /bin/ls -la --time-style=+%s /etc
  ls -la --time-style=+%s /etc >"$tmp/host_ls" 2>/dev/null
  ls_names "$tmp/out" >"$tmp/guest_names"
  ls_names "$tmp/host_ls" >"$tmp/host_names"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif [[ ! -s $tmp/guest_names ]]; then fail "$name" "no entries listed"
  elif ! cmp -s "$tmp/guest_names" "$tmp/host_names"; then
    fail "$name" "names differ (- host, + sandbox):
$(short_diff "$tmp/host_names" "$tmp/guest_names")"
  else pass "$name"; fi

  ls_details "$tmp/out" >"$tmp/guest_details"
  ls_details "$tmp/host_ls" >"$tmp/host_details"
  if [[ $rc -ne 0 ]]; then fail "$details" "exit status $rc, want 0"
  elif ! cmp -s "$tmp/guest_details" "$tmp/host_details"; then
    fail "$details" "entries differ (- host, + sandbox):
$(short_diff "$tmp/host_details" "$tmp/guest_details")"
  else pass "$details"; fi
}

check_find_usr_lib() {
  local name="find /usr/lib -maxdepth 3: same paths as on the host"
  check_timeout=$per_check_timeout
  run_do /usr/bin/find /usr/lib -maxdepth 3
  sort "$tmp/out" >"$tmp/guest_find"
  find /usr/lib -maxdepth 3 2>/dev/null | sort >"$tmp/host_find"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! cmp -s "$tmp/guest_find" "$tmp/host_find"; then
    fail "$name" "$(wc -l <"$tmp/host_find") paths on the host, $(wc -l <"$tmp/guest_find") in the sandbox (- host, + sandbox):
$(short_diff "$tmp/host_find" "$tmp/guest_find")"
  else pass "$name"; fi
}

check_sha256_big_file() {
  local name="sha256sum of a 256 MiB host file: same digest as on the host"
  local big=$tmp/big.bin
  if ! head -c 268435456 /dev/urandom >"$big"; then
    rc=-1; : >"$tmp/out"; : >"$tmp/err"
    fail "$name" "cannot create $big on the host"
    return
  fi
  local want
  want=$(sha256sum "$big")
  check_timeout=$big_file_timeout
  run_do /usr/bin/sha256sum "$big"
  check_timeout=$per_check_timeout
  rm -f "$big"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "want '$want'"
  else pass "$name"; fi
}

check_python_modules() {
  local name="python3 -c: imports json, os, hashlib, re, collections and prints the known result"
  run_do --cwd /tmp /usr/bin/python3 -c '
import collections, hashlib, json, os, re
words = re.findall(r"[a-z]+", "the cat and the hat and the bat")
counts = collections.Counter(words)
print(json.dumps({"top": counts.most_common(1)[0], "n": len(words)}, sort_keys=True))
print(hashlib.sha256(b"abc").hexdigest())
print(os.path.join("a", "b"), os.path.isdir("/usr/lib"), os.getcwd())'
  local want='{"n": 8, "top": ["the", 3]}
ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
a/b True /tmp'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "stdout is not the known result"
  else pass "$name"; fi
}

check_python_file_io() {
  local name="python3: writes a file in /tmp, renames, stats and reads it back"
  run_do --cwd /tmp /usr/bin/python3 -c '
import os
d = "/tmp/py_'"$uniq"'"
os.makedirs(d + "/sub", exist_ok=True)
p = os.path.join(d, "sub", "data.txt")
with open(p, "w") as f:
    for i in range(1000):
        f.write("line %d\n" % i)
with open(p, "a") as f:
    f.write("end\n")
q = os.path.join(d, "renamed.txt")
os.rename(p, q)
with open(q, "rb") as f:
    data = f.read()
lines = data.decode().splitlines()
print(len(lines), lines[0], lines[-2], lines[-1], os.stat(q).st_size == len(data),
      sorted(os.listdir(d)), os.path.exists(p))
with open(q, "r+b") as f:
    f.seek(5)
    f.write(b"X")
    f.seek(0)
    print(f.read(8))
os.remove(q)
print(sorted(os.listdir(d)))'
  local want="1001 line 0 line 999 end True ['renamed.txt', 'sub'] False
b'line X\\nl'
['sub']"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "stdout is not the known result"
  else pass "$name"; fi
}

# Builds a tree with directories, files of several modes, a symlink and a
# hard link in $rt (set by the caller, in /tmp); used by the tar and cp -a
# checks.
make_tree_script='
set -e
rm -rf $rt
mkdir -p $rt/src/a/b $rt/src/empty $rt/out
cd $rt/src
echo hello >a/f1
printf "line1\nline2\n" >a/b/f2
head -c 100000 /dev/urandom >a/b/random.bin
: >a/empty_file
chmod 0640 a/f1
chmod 0755 a/b/f2
chmod 0700 empty
ln -s a/f1 link
ln -s b/nowhere a/dangling
ln a/f1 hard
cd $rt
'
# Compares $rt/src with the copy in $copy: contents, modes, link counts,
# types, symlink targets, file mtimes, and the hard link shared.
compare_tree_script='
tree_stat() {
  (cd "$1" && find . -exec stat -c "%n %a %h %F" {} + | sort
   find . -type l -printf "%p -> %l\n" | sort
   find . -type f -exec stat -c "%n %Y %s" {} + | sort)
}
tree_stat $rt/src >$rt/src.stat
tree_stat "$copy" >$rt/copy.stat
diff -r --no-dereference $rt/src "$copy" || { echo "diff -r differs"; exit 1; }
diff $rt/src.stat $rt/copy.stat || { echo "stat differs"; exit 1; }
[ "$(stat -c %i "$copy/a/f1")" = "$(stat -c %i "$copy/hard")" ] || { echo "hard link split"; exit 1; }
[ "$(cat "$copy/link")" = hello ] || { echo "symlink does not read through"; exit 1; }
echo OK
'

check_tar_round_trip() {
  local name="tar cf/xf round trip in /tmp: diff -r equal, stat modes/links/types/mtimes equal"
  run_do --cwd / /bin/sh -c "rt=/tmp/rt_$uniq$make_tree_script"'
tar cf $rt/t.tar -C $rt/src .
[ -s $rt/t.tar ] || { echo "empty archive"; exit 1; }
tar tf $rt/t.tar | grep -q "^./a/b/f2$" || { echo "tar tf misses a/b/f2"; exit 1; }
tar xf $rt/t.tar -C $rt/out
copy=$rt/out
'"$compare_tree_script"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif [[ $(tail -n1 "$tmp/out") != OK ]]; then fail "$name" "the script did not end with OK"
  else pass "$name"; fi
}

check_cp_a_round_trip() {
  local name="cp -a round trip in /tmp: diff -r equal, stat modes/links/types/mtimes equal"
  run_do --cwd / /bin/sh -c "rt=/tmp/rt_$uniq$make_tree_script"'
cp -a $rt/src $rt/out/copy
copy=$rt/out/copy
'"$compare_tree_script"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif [[ $(tail -n1 "$tmp/out") != OK ]]; then fail "$name" "the script did not end with OK"
  else pass "$name"; fi
}

check_shell_file_ops() {
  local name="sh: redirections, append, mv, rm, mkdir -p, ln -s, dd, truncate read back"
  run_do --cwd / /bin/sh -c '
set -e
d=/tmp/ops_'"$uniq"'
mkdir -p $d/a/b/c
cd $d
echo one >f
cat f
echo two >>f
cat f | wc -l
printf "x%.0s" $(seq 1 5000) >big
wc -c <big
cat <<EOF >here
alpha
beta
EOF
sort -r here >sorted
cat sorted
mv f a/b/c/g
[ ! -e f ] && echo moved
cat a/b/c/g | tail -n1
ln -s a/b/c/g sym
readlink sym
cat sym | head -n1
ln -s ../../.. a/b/c/up
ls a/b/c/up/a/b/c
rm sym
[ ! -e sym ] && [ ! -L sym ] && echo removed
dd if=/dev/zero of=z bs=4096 count=256 2>/dev/null
stat -c %s z
truncate -s 10 z
stat -c %s z
exec 3>fd3
echo via-fd >&3
exec 3>&-
cat fd3
rm -r a
ls'
  local want='one
2
5000
beta
alpha
moved
two
a/b/c/g
one
g
up
removed
1048576
10
via-fd
big
fd3
here
sorted
z'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "stdout is not the known result"
  else pass "$name"; fi
}

check_writes_stay_inside() {
  local name="writes to /tmp/$uniq/x and /etc/sk_e2e_marker_$$ are seen inside, not on the host"
  run_do --cwd / /bin/sh -c "
set -e
mkdir -p /tmp/$uniq
echo inside >/tmp/$uniq/x
echo marker >/etc/sk_e2e_marker_$$
cat /tmp/$uniq/x /etc/sk_e2e_marker_$$"
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is $'inside\nmarker'; then fail "$name" "the files did not read back inside"
  elif [[ -e /tmp/$uniq ]]; then fail "$name" "/tmp/$uniq exists on the host"
  elif [[ -e /etc/sk_e2e_marker_$$ ]]; then fail "$name" "/etc/sk_e2e_marker_$$ exists on the host"
  else pass "$name"; fi
}

check_overlay_root_and_usr() {
  local name="O_CREAT in /, mkdir+write in /usr, modify/rm/mv of host files: inside only"
  # Host files that the guest changes: a decoy tree of this test's own, so
  # that a broken overlay cannot damage the host's real files.
  local decoy=$tmp/decoy
  mkdir -p "$decoy/dir"
  echo original >"$decoy/modify"
  echo original >"$decoy/remove"
  echo original >"$decoy/rename"
  echo original >"$decoy/dir/inner"
  local before
  before=$(cd "$decoy" && find . -printf '%p %y %m %s %T@\n' | sort; cat modify remove rename dir/inner)
  run_do --cwd / /bin/sh -c "
set -e
echo root >/sk_e2e_root_$$
mkdir /usr/sk_e2e_$$
echo usr >/usr/sk_e2e_$$/f
cat /sk_e2e_root_$$ /usr/sk_e2e_$$/f
echo appended >>$decoy/modify
rm $decoy/remove
mv $decoy/rename $decoy/renamed
rm -r $decoy/dir
echo new >$decoy/new
cat $decoy/modify
ls $decoy"
  local after
  after=$(cd "$decoy" && find . -printf '%p %y %m %s %T@\n' | sort; cat modify remove rename dir/inner 2>/dev/null)
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is $'root\nusr\noriginal\nappended\nmodify\nnew\nrenamed'; then
    fail "$name" "the changes did not read back inside"
  elif [[ -e /sk_e2e_root_$$ ]]; then fail "$name" "/sk_e2e_root_$$ exists on the host"
  elif [[ -e /usr/sk_e2e_$$ ]]; then fail "$name" "/usr/sk_e2e_$$ exists on the host"
  elif [[ $before != "$after" ]]; then fail "$name" "the host's decoy tree $decoy changed"
  else pass "$name"; fi
}

check_proc_self_exe() {
  local name="/proc/self/exe: readlink names the running program"
  local want
  want=$(readlink -f /usr/bin/readlink)
  run_do /usr/bin/readlink /proc/self/exe
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is "$want"; then fail "$name" "stdout is not '$want'"
  else pass "$name"; fi
}

check_proc_self_cwd() {
  local name="/proc/self/cwd: with --cwd /usr/lib, readlink prints /usr/lib"
  run_do --cwd /usr/lib /usr/bin/readlink /proc/self/cwd
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is /usr/lib; then fail "$name" "stdout is not '/usr/lib'"
  else pass "$name"; fi
}

check_proc_self_status() {
  local name="cat /proc/self/status | grep -q ^Pid: succeeds"
  run_do /bin/sh -c 'cat /proc/self/status | grep -q ^Pid:'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  else pass "$name"; fi
}

check_dev_nodes() {
  local name="ls /dev/null /dev/zero lists both"
  run_do /bin/ls /dev/null /dev/zero
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is $'/dev/null\n/dev/zero'; then fail "$name" "stdout is not the two paths"
  else pass "$name"; fi
}

check_dev_zero() {
  local name="head -c 10 /dev/zero | od -An -tx1 prints ten zero bytes"
  run_do /bin/sh -c 'head -c 10 /dev/zero | od -An -tx1'
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is ' 00 00 00 00 00 00 00 00 00 00'; then fail "$name" "stdout is not ten ' 00'"
  else pass "$name"; fi
}

check_cwd_tmp() {
  local name="do --cwd /tmp: pwd prints /tmp"
  run_do --cwd /tmp /bin/pwd
  if [[ $rc -ne 0 ]]; then fail "$name" "exit status $rc, want 0"
  elif ! stdout_is /tmp; then fail "$name" "stdout is not exactly '/tmp\\n'"
  else pass "$name"; fi
}

# --volume: a bind mount of a host directory, served by a gofer of its own.
# Writes through a read-write one reach the host; a read-only one refuses
# them; a bad spec is a usage error.
check_volume() {
  local name="do --volume: bind mounts of a host directory, rw and ro"
  mkdir -p "$tmp/vol"
  echo hostdata >"$tmp/vol/in"
  run_do --volume "$tmp/vol:/mnt/vol" /bin/sh -c 'cat /mnt/vol/in && echo guest >/mnt/vol/out'
  if [[ $rc -ne 0 ]]; then fail "$name" "rw: exit status $rc, want 0"; return; fi
  if ! stdout_is hostdata; then fail "$name" "rw: did not read the host file"; return; fi
  if [[ "$(cat "$tmp/vol/out" 2>/dev/null)" != guest ]]; then
    fail "$name" "rw: the guest's write did not reach the host"; return
  fi
  run_do --volume "$tmp/vol:/mnt/vol:ro" /bin/sh -c 'echo x >/mnt/vol/ro_write'
  if [[ $rc -eq 0 || -e "$tmp/vol/ro_write" ]]; then
    fail "$name" "ro: a write succeeded"; return
  fi
  run_do --volume "$tmp/vol" /bin/true
  if [[ $rc -ne 2 ]]; then fail "$name" "bad spec: exit status $rc, want 2"; return; fi
  pass "$name"
}

check_ls_etc
check_find_usr_lib
check_sha256_big_file
check_python_modules
check_python_file_io
check_tar_round_trip
check_cp_a_round_trip
check_shell_file_ops
check_writes_stay_inside
check_overlay_root_and_usr
check_proc_self_exe
check_proc_self_cwd
check_proc_self_status
check_dev_nodes
check_dev_zero
check_cwd_tmp
check_volume

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
