// Process, thread, signal and IPC microbenchmarks on Google Benchmark (issue
// 4's "Performance" list), natively and in the sandbox:
//
//   build/bench/process_bench                                 # natively
//   build/runsc/runsc do build/bench/process_bench            # in the sandbox
//   bench/compare.sh --program=process_bench --repeat=3       # both, with ratios
//
// One iteration of each:
//   BM_ForkWait              fork(); the child _exit(0)s at once; waitpid
//   BM_ForkExecWait          fork(); the child execs exit_helper (static, no
//                            libc: its entry point is exit_group(0)); waitpid
//   BM_ForkExecWaitBinTrue   the same with /bin/true (dynamic: ld.so + libc)
//   BM_VforkExecWait         posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK))
//                            of exit_helper; waitpid
//   BM_ThreadCreateJoin      pthread_create of an empty thread; pthread_join
//   BM_PipeRoundTrip         1 byte to a child process over one pipe and back
//                            over another
//   BM_UnixSocketRoundTrip   the same over a socketpair(AF_UNIX, SOCK_STREAM)
//   BM_EventfdRoundTrip      the same with two eventfds (8-byte counters)
//   BM_FutexRoundTrip        two threads of one process ping-pong on two
//                            private futex words (a wait and a wake each way)
//   BM_SignalSelf            kill(getpid(), SIGUSR1) caught by a handler:
//                            delivery, the handler frame and rt_sigreturn
//   BM_SignalRoundTrip       SIGUSR1 to a child process that waits for it with
//                            sigwaitinfo and sends SIGUSR1 back, which the
//                            parent waits for the same way
//
// Everything reports wall-clock time (UseRealTime): in the sandbox the work is
// done by the sentry, whose CPU time the guest is not charged. The child
// processes of the round-trip benchmarks are forked before the timed loop and
// killed after it.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

extern char** environ;

namespace bench {
namespace {

// Long enough to average over scheduler noise at a few ms per fork in the
// sandbox, short enough that the whole run stays under half a minute there.
constexpr double kMinTimeSeconds = 0.3;

#define PROCESS_BENCHMARK(fn) \
  BENCHMARK(fn)->UseRealTime()->MinTime(kMinTimeSeconds)->Unit(benchmark::kNanosecond)

std::string ErrnoMessage(const char* what, int err = errno) {
  return std::string(what) + ": " + std::strerror(err);
}

// Waits for `pid` and says whether it exited with status 0; `why` is set
// otherwise.
bool WaitExitedZero(pid_t pid, std::string* why) {
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid, &status, 0);
  } while (got < 0 && errno == EINTR);
  if (got != pid) {
    *why = ErrnoMessage("waitpid");
    return false;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *why = "child did not exit 0 (wait status " + std::to_string(status) + ")";
    return false;
  }
  return true;
}

// The static exit_helper next to this program (bench/CMakeLists.txt builds
// both into one directory).
const std::string& ExitHelperPath() {
  static const std::string path = [] {
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0) return std::string();
    std::string self(buf, static_cast<size_t>(n));
    const size_t slash = self.rfind('/');
    return slash == std::string::npos ? std::string() : self.substr(0, slash + 1) + "exit_helper";
  }();
  return path;
}

// ---- Processes and threads ----

void BM_ForkWait(benchmark::State& state) {
  std::string why;
  for (auto _ : state) {
    const pid_t pid = fork();
    if (pid < 0) {
      state.SkipWithError(ErrnoMessage("fork").c_str());
      break;
    }
    if (pid == 0) _exit(0);
    if (!WaitExitedZero(pid, &why)) {
      state.SkipWithError(why.c_str());
      break;
    }
  }
}
PROCESS_BENCHMARK(BM_ForkWait);

// fork + execve(path) + waitpid per iteration; the child exits 127 if the
// exec fails, which the wait reports.
void ForkExecWait(benchmark::State& state, const std::string& path) {
  if (access(path.c_str(), X_OK) != 0) {
    state.SkipWithError(ErrnoMessage(("access(" + path + ")").c_str()).c_str());
    return;
  }
  char* const argv[] = {const_cast<char*>(path.c_str()), nullptr};
  std::string why;
  for (auto _ : state) {
    const pid_t pid = fork();
    if (pid < 0) {
      state.SkipWithError(ErrnoMessage("fork").c_str());
      break;
    }
    if (pid == 0) {
      execve(path.c_str(), argv, environ);
      _exit(127);
    }
    if (!WaitExitedZero(pid, &why)) {
      state.SkipWithError(("exec of " + path + ": " + why).c_str());
      break;
    }
  }
}

void BM_ForkExecWait(benchmark::State& state) { ForkExecWait(state, ExitHelperPath()); }
PROCESS_BENCHMARK(BM_ForkExecWait);

void BM_ForkExecWaitBinTrue(benchmark::State& state) { ForkExecWait(state, "/bin/true"); }
PROCESS_BENCHMARK(BM_ForkExecWaitBinTrue);

void BM_VforkExecWait(benchmark::State& state) {
  const std::string& path = ExitHelperPath();
  if (access(path.c_str(), X_OK) != 0) {
    state.SkipWithError(ErrnoMessage(("access(" + path + ")").c_str()).c_str());
    return;
  }
  char* const argv[] = {const_cast<char*>(path.c_str()), nullptr};
  std::string why;
  for (auto _ : state) {
    pid_t pid = 0;
    const int err = posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv, environ);
    if (err != 0) {
      state.SkipWithError(ErrnoMessage("posix_spawn", err).c_str());
      break;
    }
    if (!WaitExitedZero(pid, &why)) {
      state.SkipWithError(why.c_str());
      break;
    }
  }
}
PROCESS_BENCHMARK(BM_VforkExecWait);

void* EmptyThread(void*) { return nullptr; }

void BM_ThreadCreateJoin(benchmark::State& state) {
  for (auto _ : state) {
    pthread_t thread;
    int err = pthread_create(&thread, nullptr, EmptyThread, nullptr);
    if (err == 0) err = pthread_join(thread, nullptr);
    if (err != 0) {
      state.SkipWithError(ErrnoMessage("pthread_create/join", err).c_str());
      break;
    }
  }
}
PROCESS_BENCHMARK(BM_ThreadCreateJoin);

// ---- Round trips between two processes ----

// Reads exactly `len` bytes (retrying on EINTR and short reads). False on
// error or end of file.
bool ReadFull(int fd, void* buf, size_t len) {
  char* p = static_cast<char*>(buf);
  while (len > 0) {
    const ssize_t n = read(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

bool WriteFull(int fd, const void* buf, size_t len) {
  const char* p = static_cast<const char*>(buf);
  while (len > 0) {
    const ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// Forks a child that reads `len` bytes from `child_in` and writes them back to
// `child_out` until either fails; it dies with its parent. Returns the pid or
// -1 with errno set.
pid_t ForkEchoChild(int child_in, int child_out, size_t len) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(0);
  char buf[8];
  while (ReadFull(child_in, buf, len) && WriteFull(child_out, buf, len)) {
  }
  _exit(0);
}

void StopChild(pid_t pid) {
  kill(pid, SIGKILL);
  while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// Times `len` bytes out on `out` and back on `in` against an echo child
// reading `child_in` and writing `child_out`. The child keeps every fd it
// inherits (no end of file ever reaches it): it is killed after the loop.
void EchoRoundTrips(benchmark::State& state, int out, int in, int child_in, int child_out,
                    size_t len) {
  const pid_t child = ForkEchoChild(child_in, child_out, len);
  if (child < 0) {
    state.SkipWithError(ErrnoMessage("fork").c_str());
    return;
  }
  uint64_t value = 1;  // an eventfd write must not be 0; the echo keeps it 1
  uint64_t back = 0;
  for (auto _ : state) {
    if (!WriteFull(out, &value, len) || !ReadFull(in, &back, len)) {
      state.SkipWithError(ErrnoMessage("round trip").c_str());
      break;
    }
  }
  StopChild(child);
}

void BM_PipeRoundTrip(benchmark::State& state) {
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) {
    state.SkipWithError(ErrnoMessage("pipe2").c_str());
    return;
  }
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    state.SkipWithError(ErrnoMessage("pipe2").c_str());
    close(to_child[0]);
    close(to_child[1]);
    return;
  }
  EchoRoundTrips(state, to_child[1], from_child[0], to_child[0], from_child[1], 1);
  for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) close(fd);
}
PROCESS_BENCHMARK(BM_PipeRoundTrip);

void BM_UnixSocketRoundTrip(benchmark::State& state) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    state.SkipWithError(ErrnoMessage("socketpair").c_str());
    return;
  }
  EchoRoundTrips(state, sv[0], sv[0], sv[1], sv[1], 1);
  close(sv[0]);
  close(sv[1]);
}
PROCESS_BENCHMARK(BM_UnixSocketRoundTrip);

// Two eventfds, one each way: the parent adds 1 to the first, the child reads
// (and so resets) it and adds what it read to the second, which the parent
// reads. Each read blocks until the other side's write.
void BM_EventfdRoundTrip(benchmark::State& state) {
  const int to_child = eventfd(0, EFD_CLOEXEC);
  const int from_child = eventfd(0, EFD_CLOEXEC);
  if (to_child < 0 || from_child < 0) {
    state.SkipWithError(ErrnoMessage("eventfd").c_str());
  } else {
    EchoRoundTrips(state, to_child, from_child, to_child, from_child, sizeof(uint64_t));
  }
  if (to_child >= 0) close(to_child);
  if (from_child >= 0) close(from_child);
}
PROCESS_BENCHMARK(BM_EventfdRoundTrip);

// ---- Futexes ----

long Futex(std::atomic<uint32_t>* word, int op, uint32_t val) {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op | FUTEX_PRIVATE_FLAG, val,
                 nullptr, nullptr, 0);
}

// Two futex words, each a counter only one thread writes: the timed thread
// sets `ping` to n and wakes it, the partner waits until `ping` changes, copies
// it to `pong` and wakes that, and the timed thread waits until `pong` is n.
struct PingPong {
  static constexpr uint32_t kStop = UINT32_MAX;
  std::atomic<uint32_t> ping{0};
  std::atomic<uint32_t> pong{0};
};

void* FutexPartner(void* arg) {
  PingPong& pp = *static_cast<PingPong*>(arg);
  uint32_t seen = 0;
  for (;;) {
    uint32_t v;
    while ((v = pp.ping.load(std::memory_order_acquire)) == seen) {
      Futex(&pp.ping, FUTEX_WAIT, seen);
    }
    if (v == PingPong::kStop) return nullptr;
    seen = v;
    pp.pong.store(v, std::memory_order_release);
    Futex(&pp.pong, FUTEX_WAKE, 1);
  }
}

void BM_FutexRoundTrip(benchmark::State& state) {
  PingPong pp;
  pthread_t partner;
  if (const int err = pthread_create(&partner, nullptr, FutexPartner, &pp); err != 0) {
    state.SkipWithError(ErrnoMessage("pthread_create", err).c_str());
    return;
  }
  uint32_t n = 0;
  for (auto _ : state) {
    ++n;
    pp.ping.store(n, std::memory_order_release);
    Futex(&pp.ping, FUTEX_WAKE, 1);
    uint32_t v;
    while ((v = pp.pong.load(std::memory_order_acquire)) != n) {
      Futex(&pp.pong, FUTEX_WAIT, v);
    }
  }
  pp.ping.store(PingPong::kStop, std::memory_order_release);
  Futex(&pp.ping, FUTEX_WAKE, 1);
  pthread_join(partner, nullptr);
}
PROCESS_BENCHMARK(BM_FutexRoundTrip);

// ---- Signals ----

volatile sig_atomic_t g_caught = 0;

void CountSignal(int) { g_caught = g_caught + 1; }

// A signal a process sends itself is delivered before kill(2) returns, so one
// iteration is the kill, the handler's frame, the handler and rt_sigreturn.
void BM_SignalSelf(benchmark::State& state) {
  struct sigaction sa {}, old {};
  sa.sa_handler = CountSignal;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGUSR1, &sa, &old) != 0) {
    state.SkipWithError(ErrnoMessage("sigaction").c_str());
    return;
  }
  const pid_t self = getpid();
  g_caught = 0;
  int64_t sent = 0;
  for (auto _ : state) {
    if (kill(self, SIGUSR1) != 0) {
      state.SkipWithError(ErrnoMessage("kill").c_str());
      break;
    }
    ++sent;
  }
  if (g_caught != sent) {
    state.SkipWithError(("sent " + std::to_string(sent) + " signals, the handler ran " +
                         std::to_string(g_caught) + " times").c_str());
  }
  sigaction(SIGUSR1, &old, nullptr);
}
PROCESS_BENCHMARK(BM_SignalSelf);

// Waits for one signal of `set`; returns its number or -1.
int WaitSignal(const sigset_t& set) {
  for (;;) {
    const int sig = sigwaitinfo(&set, nullptr);
    if (sig >= 0 || errno != EINTR) return sig;
  }
}

// SIGUSR1 to a child and back, both sides blocking it and taking it with
// sigwaitinfo: two kills, two signal queueings and two wake-ups of a blocked
// waiter per iteration. Only one signal is ever in flight, so standard-signal
// coalescing cannot lose any. The child is killed after the loop.
void BM_SignalRoundTrip(benchmark::State& state) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  if (sigprocmask(SIG_BLOCK, &set, &old) != 0) {
    state.SkipWithError(ErrnoMessage("sigprocmask").c_str());
    return;
  }
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    while (WaitSignal(set) == SIGUSR1) {
      if (kill(parent, SIGUSR1) != 0) _exit(1);
    }
    _exit(0);
  }
  if (child < 0) {
    state.SkipWithError(ErrnoMessage("fork").c_str());
  } else {
    for (auto _ : state) {
      if (kill(child, SIGUSR1) != 0) {
        state.SkipWithError(ErrnoMessage("kill").c_str());
        break;
      }
      if (WaitSignal(set) != SIGUSR1) {
        state.SkipWithError(ErrnoMessage("sigwaitinfo").c_str());
        break;
      }
    }
    StopChild(child);
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
}
PROCESS_BENCHMARK(BM_SignalRoundTrip);

}  // namespace
}  // namespace bench
