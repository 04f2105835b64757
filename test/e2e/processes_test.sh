#!/bin/bash
# Real multi-process and multithreaded software under `runsc do`: bash and
# busybox sh scripts (pipelines, subshells, command substitution,
# background jobs with wait, trap handlers), a C program with 64 threads
# sharing a mutex, a condition variable and a futex, Python's subprocess,
# threading, signal, select and multiprocessing doing real work, and a
# pipeline of ten processes moving 100 MB.
#
#   processes_test.sh RUNSC THREADS64
#
# Each check prints "PASS name" or "FAIL name: why"; the exit status is
# non-zero if any failed.
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: $0 RUNSC THREADS64" >&2
  exit 2
fi
runsc=$(realpath "$1")
threads64=$(realpath "$2")
export LC_ALL=C
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Debian's interpreter (the one scripts/setup installs), whatever is first on PATH.
python=/usr/bin/python3

pass() {
  echo "PASS $1"
  passed=$((passed + 1))
}
fail() {
  echo "FAIL $1: $2"
  echo "  stdout: $(head -c 1500 "$tmp/out" | sed 's/^/    /')"
  echo "  stderr: $(head -c 1500 "$tmp/err" | sed 's/^/    /')"
  failed=$((failed + 1))
}
# sandboxed CMD...: runs CMD under runsc do, output in tmp/out and tmp/err.
sandboxed() {
  timeout 300 "$runsc" do "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
}

cat >"$tmp/script.sh" <<'EOF'
set -e
got_usr1=0
trap 'got_usr1=$((got_usr1 + 1))' USR1
# Pipelines and command substitution.
words=$(printf 'a b c\nd e\n' | tr ' ' '\n' | grep -v '^$' | sort -r | wc -l)
echo "words=$words"
# A subshell's changes stay in it.
x=outer
(x=inner; echo "sub=$x")
echo "x=$x"
# Background jobs, waited for, with their statuses.
(sleep 0.2; exit 3) &
a=$!
(sleep 0.1; exit 4) &
b=$!
set +e
wait $a; sa=$?
wait $b; sb=$?
set -e
echo "jobs=$sa,$sb"
# A trap handler runs for a signal the shell sends itself.
kill -USR1 $$
kill -USR1 $$
echo "usr1=$got_usr1"
# Many short processes.
n=0
for i in $(seq 1 40); do n=$((n + $(echo 1))); done
echo "loop=$n"
EOF
want=$'words=5\nsub=inner\nx=outer\njobs=3,4\nusr1=2\nloop=40'
sandboxed /bin/bash "$tmp/script.sh"
if [[ $rc -eq 0 && $(cat "$tmp/out") == "$want" ]]; then
  pass "bash: pipelines, subshells, command substitution, background jobs, wait, trap"
else
  fail "bash script" "status $rc"
fi
sandboxed /bin/busybox sh "$tmp/script.sh"
if [[ $rc -eq 0 && $(cat "$tmp/out") == "$want" ]]; then
  pass "busybox sh: the same script"
else
  fail "busybox sh script" "status $rc"
fi

sandboxed "$threads64"
if [[ $rc -eq 0 && $(cat "$tmp/out") == 3200 ]]; then
  pass "64 threads sharing a mutex, a condition variable and a futex"
else
  fail "threads64" "status $rc"
fi

cat >"$tmp/py.py" <<'EOF'
import multiprocessing, os, queue, select, signal, subprocess, sys, threading, time

# subprocess: a pipeline of two children, with input and output pipes.
p1 = subprocess.Popen(["/bin/sh", "-c", "tr a-z A-Z"], stdin=subprocess.PIPE,
                      stdout=subprocess.PIPE)
p2 = subprocess.Popen(["/usr/bin/rev"], stdin=p1.stdout, stdout=subprocess.PIPE)
p1.stdout.close()
p1.stdin.write(b"hello sandbox\n")
p1.stdin.close()
out = p2.communicate(timeout=60)[0]
assert out == b"XOBDNAS OLLEH\n", out
assert p1.wait() == 0 and p2.returncode == 0
r = subprocess.run(["/bin/sh", "-c", "exit 9"])
assert r.returncode == 9, r.returncode
print("subprocess ok")

# threading: a pool of workers on a queue, results under a lock.
q = queue.Queue()
total = [0]
lock = threading.Lock()
def work():
    while True:
        item = q.get()
        if item is None:
            return
        with lock:
            total[0] += item * item
threads = [threading.Thread(target=work) for _ in range(16)]
for t in threads: t.start()
for i in range(2000): q.put(i)
for _ in threads: q.put(None)
for t in threads: t.join()
assert total[0] == sum(i * i for i in range(2000)), total[0]
print("threading ok")

# signal: handlers for an interval timer and a signal from a child.
hits = []
signal.signal(signal.SIGALRM, lambda s, f: hits.append(s))
signal.signal(signal.SIGUSR1, lambda s, f: hits.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.05)
subprocess.run(["/bin/sh", "-c", "kill -USR1 %d" % os.getpid()], check=True)
deadline = time.time() + 10
while len(hits) < 2 and time.time() < deadline:
    time.sleep(0.01)
assert sorted(hits) == sorted([signal.SIGALRM, signal.SIGUSR1]), hits
print("signal ok")

# select: readiness of pipes written by another process.
r1, w1 = os.pipe()
r2, w2 = os.pipe()
child = subprocess.Popen(["/bin/sh", "-c", "sleep 0.1; echo x >&%d" % w2], pass_fds=(w2,))
os.close(w2)
ready, _, _ = select.select([r1, r2], [], [], 30)
assert ready == [r2], ready
child.wait()
print("select ok")

# multiprocessing: a pool of four processes doing real work.
def square(x):
    return x * x
if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        assert sum(pool.map(square, range(10000))) == sum(x * x for x in range(10000))
    print("multiprocessing ok")
EOF
sandboxed "$python" "$tmp/py.py"
want=$'subprocess ok\nthreading ok\nsignal ok\nselect ok\nmultiprocessing ok'
if [[ $rc -eq 0 && $(cat "$tmp/out") == "$want" ]]; then
  pass "python: subprocess, threading, signal, select and multiprocessing"
else
  fail "python modules" "status $rc"
fi

sandboxed /bin/bash -c 'head -c 100000000 /dev/zero | cat | cat | cat | cat | cat | cat | cat | cat | wc -c'
if [[ $rc -eq 0 && $(tr -d ' ' <"$tmp/out") == 100000000 ]]; then
  pass "a pipeline of ten processes moves 100 MB"
else
  fail "pipeline" "status $rc"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
