// Timers: alarm(2), setitimer(2)/getitimer(2), POSIX timers
// (timer_create(2) & co) and timerfd_create(2) & co. Expiry is awaited
// with sigsuspend(2), read(2) or poll(2); no test asserts how long
// anything took.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace {

using ::test_util::SyscallFailsWithErrno;
using ::test_util::SyscallSucceeds;
using ::test_util::SyscallSucceedsWithValue;

constexpr int64_t kNsPerSec = 1000000000;

volatile sig_atomic_t g_count = 0;
volatile int g_code = 0;
volatile int g_value = 0;
volatile int g_timerid = -1;
volatile pid_t g_tid = 0;
volatile int g_overrun_in_handler = -1;
volatile int g_handler_timer = -1;

void CountHandler(int) { g_count = g_count + 1; }

void InfoHandler(int, siginfo_t* info, void*) {
  g_count = g_count + 1;
  g_code = info->si_code;
  g_value = info->si_value.sival_int;
  g_timerid = info->si_timerid;
  g_tid = static_cast<pid_t>(syscall(SYS_gettid));
  if (g_handler_timer >= 0) {
    g_overrun_in_handler = static_cast<int>(syscall(SYS_timer_getoverrun, g_handler_timer));
  }
}

// Installs a handler (no SA_RESTART) for the test's lifetime and blocks the
// signal, so an expiry waits until WaitForSignal.
class SignalScope {
 public:
  SignalScope(int sig, void (*handler)(int)) : sig_(sig) {
    struct sigaction sa = {};
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    Install(sa);
  }
  SignalScope(int sig, void (*action)(int, siginfo_t*, void*)) : sig_(sig) {
    struct sigaction sa = {};
    sa.sa_sigaction = action;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    Install(sa);
  }
  ~SignalScope() {
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    sigaction(sig_, &old_, nullptr);
  }

  // Waits, with the signal unblocked, until the handler has run `n` times
  // in all.
  void WaitForSignal(int n = 1) {
    sigset_t mask;
    sigprocmask(SIG_BLOCK, nullptr, &mask);
    sigdelset(&mask, sig_);
    while (g_count < n) sigsuspend(&mask);
  }

 private:
  void Install(const struct sigaction& sa) {
    g_count = 0;
    ASSERT_EQ(sigaction(sig_, &sa, &old_), 0);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, sig_);
    ASSERT_EQ(sigprocmask(SIG_BLOCK, &block, &old_mask_), 0);
  }

  int sig_;
  struct sigaction old_ = {};
  sigset_t old_mask_;
};

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * kNsPerSec + ts.tv_nsec;
}

int64_t Ns(const timespec& ts) { return ts.tv_sec * kNsPerSec + ts.tv_nsec; }
int64_t Us(const timeval& tv) { return tv.tv_sec * 1000000 + tv.tv_usec; }

itimerspec Spec(int64_t value_ns, int64_t interval_ns) {
  itimerspec its = {};
  its.it_value = {value_ns / kNsPerSec, value_ns % kNsPerSec};
  its.it_interval = {interval_ns / kNsPerSec, interval_ns % kNsPerSec};
  return its;
}

int TimerCreate(clockid_t clock, sigevent* sev) {
  int id = -1;
  if (syscall(SYS_timer_create, clock, sev, &id) != 0) return -1;
  return id;
}

// ---- alarm ----

TEST(AlarmTest, ReturnsPreviousRemainingSeconds) {
  alarm(0);
  EXPECT_EQ(alarm(100), 0u);
  unsigned left = alarm(50);
  EXPECT_GE(left, 90u);
  EXPECT_LE(left, 100u);
  left = alarm(0);
  EXPECT_GE(left, 40u);
  EXPECT_LE(left, 50u);
  EXPECT_EQ(alarm(0), 0u);
}

TEST(AlarmTest, DeliversSigalrm) {
  SignalScope s(SIGALRM, CountHandler);
  alarm(1);
  s.WaitForSignal();
  EXPECT_EQ(g_count, 1);
  EXPECT_EQ(alarm(0), 0u);  // one-shot: disarmed by the expiry
}

// ---- setitimer/getitimer ----

TEST(ItimerTest, SetGetRoundTrip) {
  itimerval v = {};
  v.it_value.tv_sec = 100;
  v.it_interval.tv_sec = 5;
  v.it_interval.tv_usec = 250000;
  itimerval old = {};
  ASSERT_THAT(setitimer(ITIMER_REAL, &v, &old), SyscallSucceeds());
  EXPECT_EQ(Us(old.it_value), 0);
  itimerval cur = {};
  ASSERT_THAT(getitimer(ITIMER_REAL, &cur), SyscallSucceeds());
  EXPECT_GT(Us(cur.it_value), 90 * 1000000);
  EXPECT_LE(Us(cur.it_value), 100 * 1000000);
  EXPECT_EQ(cur.it_interval.tv_sec, 5);
  EXPECT_EQ(cur.it_interval.tv_usec, 250000);

  itimerval zero = {};
  ASSERT_THAT(setitimer(ITIMER_REAL, &zero, &old), SyscallSucceeds());
  EXPECT_GT(Us(old.it_value), 0);
  EXPECT_EQ(old.it_interval.tv_sec, 5);
  ASSERT_THAT(getitimer(ITIMER_REAL, &cur), SyscallSucceeds());
  EXPECT_EQ(Us(cur.it_value), 0);
  EXPECT_EQ(Us(cur.it_interval), 0);
}

TEST(ItimerTest, RejectsBadArguments) {
  itimerval v = {};
  EXPECT_THAT(syscall(SYS_setitimer, 3, &v, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_getitimer, 3, &v), SyscallFailsWithErrno(EINVAL));
  v.it_value.tv_usec = 1000000;
  EXPECT_THAT(setitimer(ITIMER_REAL, &v, nullptr), SyscallFailsWithErrno(EINVAL));
  v.it_value.tv_usec = -1;
  EXPECT_THAT(setitimer(ITIMER_REAL, &v, nullptr), SyscallFailsWithErrno(EINVAL));
}

TEST(ItimerTest, RealIntervalTimerRearms) {
  SignalScope s(SIGALRM, CountHandler);
  itimerval v = {};
  v.it_value.tv_usec = 10000;
  v.it_interval.tv_usec = 10000;
  ASSERT_THAT(setitimer(ITIMER_REAL, &v, nullptr), SyscallSucceeds());
  s.WaitForSignal(3);
  itimerval zero = {};
  ASSERT_THAT(setitimer(ITIMER_REAL, &zero, nullptr), SyscallSucceeds());
  EXPECT_GE(g_count, 3);
}

TEST(ItimerTest, VirtualTimerFiresOnCpuTime) {
  SignalScope s(SIGVTALRM, CountHandler);
  itimerval v = {};
  v.it_value.tv_usec = 20000;
  ASSERT_THAT(setitimer(ITIMER_VIRTUAL, &v, nullptr), SyscallSucceeds());
  sigset_t unblocked;
  sigprocmask(SIG_BLOCK, nullptr, &unblocked);
  sigdelset(&unblocked, SIGVTALRM);
  sigset_t blocked;
  sigprocmask(SIG_SETMASK, &unblocked, &blocked);
  // Spin (user time) until it fires; a generous bound instead of hanging.
  int64_t give_up = MonotonicNs() + 60 * kNsPerSec;
  volatile uint64_t sink = 0;
  while (g_count == 0 && MonotonicNs() < give_up) {
    for (int i = 0; i < 100000; ++i) sink = sink + i;
  }
  sigprocmask(SIG_SETMASK, &blocked, nullptr);
  EXPECT_EQ(g_count, 1);
  itimerval cur = {};
  ASSERT_THAT(getitimer(ITIMER_VIRTUAL, &cur), SyscallSucceeds());
  EXPECT_EQ(Us(cur.it_value), 0);
}

TEST(ItimerTest, NotInheritedByForkChild) {
  itimerval v = {};
  v.it_value.tv_sec = 100;
  ASSERT_THAT(setitimer(ITIMER_REAL, &v, nullptr), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    itimerval cur = {};
    if (getitimer(ITIMER_REAL, &cur) != 0) _exit(2);
    _exit(Us(cur.it_value) == 0 ? 0 : 1);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  itimerval cur = {};
  ASSERT_THAT(getitimer(ITIMER_REAL, &cur), SyscallSucceeds());
  EXPECT_GT(Us(cur.it_value), 0);  // the parent's is untouched
  itimerval zero = {};
  setitimer(ITIMER_REAL, &zero, nullptr);
}

// exec keeps the interval timers and deletes the POSIX timers. The
// program re-executes itself to run ExecChild in the new image.
constexpr char kExecEnv[] = "SK_TIMER_EXEC_CHILD";

TEST(ExecTest, ExecChild) {
  const char* id_str = getenv(kExecEnv);
  if (id_str == nullptr) GTEST_SKIP() << "runs only after exec from ItimerSurvivesExec";
  itimerval cur = {};
  ASSERT_THAT(getitimer(ITIMER_REAL, &cur), SyscallSucceeds());
  EXPECT_GT(Us(cur.it_value), 0);
  EXPECT_EQ(cur.it_interval.tv_sec, 7);
  itimerspec its;
  EXPECT_THAT(syscall(SYS_timer_gettime, atoi(id_str), &its), SyscallFailsWithErrno(EINVAL));
  alarm(0);
}

TEST(ExecTest, ItimerSurvivesExecPosixTimerDoesNot) {
  pid_t pid = fork();
  if (pid == 0) {
    itimerval v = {};
    v.it_value.tv_sec = 100;
    v.it_interval.tv_sec = 7;
    if (setitimer(ITIMER_REAL, &v, nullptr) != 0) _exit(10);
    sigevent sev = {};
    sev.sigev_notify = SIGEV_NONE;
    int id = TimerCreate(CLOCK_MONOTONIC, &sev);
    if (id < 0) _exit(11);
    std::string env = std::string(kExecEnv) + "=" + std::to_string(id);
    std::string exe = test_util::SelfExePath();
    char* argv[] = {const_cast<char*>(exe.c_str()),
                    const_cast<char*>("--gtest_filter=ExecTest.ExecChild"), nullptr};
    char* envp[] = {const_cast<char*>(env.c_str()), nullptr};
    execve(exe.c_str(), argv, envp);
    _exit(12);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// ---- POSIX timers ----

TEST(PosixTimerTest, SignalCarriesTimerInfo) {
  SignalScope s(SIGUSR1, InfoHandler);
  sigevent sev = {};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  sev.sigev_value.sival_int = 0x1234;
  int id = TimerCreate(CLOCK_MONOTONIC, &sev);
  ASSERT_GE(id, 0) << errno;
  itimerspec its = Spec(10'000'000, 0);
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallSucceeds());
  s.WaitForSignal();
  EXPECT_EQ(g_code, SI_TIMER);
  EXPECT_EQ(g_value, 0x1234);
  EXPECT_EQ(g_timerid, id);
  itimerspec cur;
  ASSERT_THAT(syscall(SYS_timer_gettime, id, &cur), SyscallSucceeds());
  EXPECT_EQ(Ns(cur.it_value), 0);  // one-shot: expired
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
}

TEST(PosixTimerTest, DefaultEventIsSigalrmWithId) {
  SignalScope s(SIGALRM, InfoHandler);
  int id = TimerCreate(CLOCK_REALTIME, nullptr);
  ASSERT_GE(id, 0) << errno;
  itimerspec its = Spec(5'000'000, 0);
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallSucceeds());
  s.WaitForSignal();
  EXPECT_EQ(g_code, SI_TIMER);
  EXPECT_EQ(g_value, id);
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
}

TEST(PosixTimerTest, ThreadIdTargetsThatThread) {
  SignalScope s(SIGUSR2, InfoHandler);
  sigevent sev = {};
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = SIGUSR2;
  sev._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
  int id = TimerCreate(CLOCK_BOOTTIME, &sev);
  ASSERT_GE(id, 0) << errno;
  itimerspec its = Spec(5'000'000, 0);
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallSucceeds());
  s.WaitForSignal();
  EXPECT_EQ(g_tid, sev._sigev_un._tid);
  EXPECT_EQ(g_code, SI_TIMER);
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());

  sev._sigev_un._tid = 0x7ffffff0;  // no such thread
  EXPECT_EQ(TimerCreate(CLOCK_MONOTONIC, &sev), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(PosixTimerTest, GettimeOfDisarmedAndArmedTimers) {
  // (Not SIGEV_NONE: older Linux reports a disarmed SIGEV_NONE timer's
  // stale expiry.) The timer never runs out during the test.
  sigevent sev = {};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  int id = TimerCreate(CLOCK_MONOTONIC, &sev);
  ASSERT_GE(id, 0) << errno;
  itimerspec cur;
  ASSERT_THAT(syscall(SYS_timer_gettime, id, &cur), SyscallSucceeds());
  EXPECT_EQ(Ns(cur.it_value), 0);
  EXPECT_EQ(Ns(cur.it_interval), 0);

  itimerspec its = Spec(100 * kNsPerSec, 3 * kNsPerSec);
  itimerspec old;
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, &old), SyscallSucceeds());
  EXPECT_EQ(Ns(old.it_value), 0);
  ASSERT_THAT(syscall(SYS_timer_gettime, id, &cur), SyscallSucceeds());
  EXPECT_GT(Ns(cur.it_value), 90 * kNsPerSec);
  EXPECT_LE(Ns(cur.it_value), 100 * kNsPerSec);
  EXPECT_EQ(Ns(cur.it_interval), 3 * kNsPerSec);

  // TIMER_ABSTIME: a deadline on the timer's clock.
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  its = Spec(Ns(now) + 50 * kNsPerSec, 0);
  ASSERT_THAT(syscall(SYS_timer_settime, id, TIMER_ABSTIME, &its, &old), SyscallSucceeds());
  EXPECT_GT(Ns(old.it_value), 0);
  ASSERT_THAT(syscall(SYS_timer_gettime, id, &cur), SyscallSucceeds());
  EXPECT_GT(Ns(cur.it_value), 40 * kNsPerSec);
  EXPECT_LE(Ns(cur.it_value), 50 * kNsPerSec);

  its = Spec(0, 0);
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallSucceeds());
  ASSERT_THAT(syscall(SYS_timer_gettime, id, &cur), SyscallSucceeds());
  EXPECT_EQ(Ns(cur.it_value), 0);
  EXPECT_THAT(syscall(SYS_timer_getoverrun, id), SyscallSucceedsWithValue(0));
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
}

TEST(PosixTimerTest, SigevNoneExpiresSilently) {
  sigevent sev = {};
  sev.sigev_notify = SIGEV_NONE;
  int id = TimerCreate(CLOCK_MONOTONIC, &sev);
  ASSERT_GE(id, 0) << errno;
  itimerspec its = Spec(1'000'000, 0);
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallSucceeds());
  int64_t give_up = MonotonicNs() + 60 * kNsPerSec;
  itimerspec cur = {};
  do {
    ASSERT_THAT(syscall(SYS_timer_gettime, id, &cur), SyscallSucceeds());
  } while (Ns(cur.it_value) != 0 && MonotonicNs() < give_up);
  EXPECT_EQ(Ns(cur.it_value), 0);
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
}

TEST(PosixTimerTest, OverrunsWhileSignalBlocked) {
  SignalScope s(SIGUSR1, InfoHandler);
  sigevent sev = {};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR1;
  int id = TimerCreate(CLOCK_MONOTONIC, &sev);
  ASSERT_GE(id, 0) << errno;
  itimerspec its = Spec(20'000'000, 20'000'000);
  ASSERT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallSucceeds());
  // With the signal blocked, wait until it is pending, then until the
  // timer has run on well past a few more periods.
  sigset_t pending;
  int64_t give_up = MonotonicNs() + 60 * kNsPerSec;
  do {
    sigpending(&pending);
  } while (!sigismember(&pending, SIGUSR1) && MonotonicNs() < give_up);
  ASSERT_TRUE(sigismember(&pending, SIGUSR1));
  int64_t later = MonotonicNs() + 300'000'000;
  while (MonotonicNs() < later) {
  }
  g_handler_timer = id;
  s.WaitForSignal();
  g_handler_timer = -1;
  EXPECT_GE(g_overrun_in_handler, 1);
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
}

TEST(PosixTimerTest, DeletedTimerIsInvalid) {
  sigevent sev = {};
  sev.sigev_notify = SIGEV_NONE;
  int id = TimerCreate(CLOCK_MONOTONIC, &sev);
  ASSERT_GE(id, 0) << errno;
  ASSERT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
  itimerspec its = Spec(kNsPerSec, 0);
  EXPECT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_timer_gettime, id, &its), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_timer_getoverrun, id), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallFailsWithErrno(EINVAL));
}

TEST(PosixTimerTest, RejectsBadArguments) {
  sigevent sev = {};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = 0;
  EXPECT_EQ(TimerCreate(CLOCK_MONOTONIC, &sev), -1);
  EXPECT_EQ(errno, EINVAL);
  sev.sigev_signo = 65;
  EXPECT_EQ(TimerCreate(CLOCK_MONOTONIC, &sev), -1);
  EXPECT_EQ(errno, EINVAL);
  sev.sigev_signo = SIGUSR1;
  sev.sigev_notify = 99;
  EXPECT_EQ(TimerCreate(CLOCK_MONOTONIC, &sev), -1);
  EXPECT_EQ(errno, EINVAL);
  sev.sigev_notify = SIGEV_NONE;
  EXPECT_EQ(TimerCreate(12345, &sev), -1);
  EXPECT_EQ(errno, EINVAL);

  int id = TimerCreate(CLOCK_MONOTONIC, &sev);
  ASSERT_GE(id, 0) << errno;
  itimerspec its = Spec(0, 0);
  its.it_value.tv_nsec = kNsPerSec;
  EXPECT_THAT(syscall(SYS_timer_settime, id, 0, &its, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_timer_delete, id), SyscallSucceeds());
}

// ---- timerfd ----

TEST(TimerfdTest, ReadReturnsExpirationCount) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  itimerspec its = Spec(5'000'000, 0);
  ASSERT_THAT(timerfd_settime(fd, 0, &its, nullptr), SyscallSucceeds());
  uint64_t n = 0;
  ASSERT_THAT(read(fd, &n, sizeof(n)), SyscallSucceedsWithValue(8));
  EXPECT_GE(n, 1u);
  itimerspec cur;
  ASSERT_THAT(timerfd_gettime(fd, &cur), SyscallSucceeds());
  EXPECT_EQ(Ns(cur.it_value), 0);
  close(fd);
}

TEST(TimerfdTest, PeriodicTimerCountsExpirations) {
  int fd = timerfd_create(CLOCK_REALTIME, 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  itimerspec its = Spec(1'000'000, 1'000'000);
  ASSERT_THAT(timerfd_settime(fd, 0, &its, nullptr), SyscallSucceeds());
  uint64_t total = 0;
  while (total < 3) {
    uint64_t n = 0;
    ASSERT_THAT(read(fd, &n, sizeof(n)), SyscallSucceedsWithValue(8));
    EXPECT_GE(n, 1u);
    total += n;
  }
  itimerspec cur;
  ASSERT_THAT(timerfd_gettime(fd, &cur), SyscallSucceeds());
  EXPECT_EQ(Ns(cur.it_interval), 1'000'000);
  close(fd);
}

TEST(TimerfdTest, NonblockingReadWithoutExpiryIsEagain) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  ASSERT_THAT(fd, SyscallSucceeds());
  EXPECT_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
  EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
  uint64_t n = 0;
  EXPECT_THAT(read(fd, &n, sizeof(n)), SyscallFailsWithErrno(EAGAIN));
  itimerspec its = Spec(100 * kNsPerSec, 0);
  ASSERT_THAT(timerfd_settime(fd, 0, &its, nullptr), SyscallSucceeds());
  EXPECT_THAT(read(fd, &n, sizeof(n)), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(read(fd, &n, 4), SyscallFailsWithErrno(EINVAL));
  close(fd);
}

TEST(TimerfdTest, PollReportsReadable) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  ASSERT_THAT(fd, SyscallSucceeds());
  pollfd p = {fd, POLLIN, 0};
  EXPECT_THAT(poll(&p, 1, 0), SyscallSucceedsWithValue(0));
  itimerspec its = Spec(5'000'000, 0);
  ASSERT_THAT(timerfd_settime(fd, 0, &its, nullptr), SyscallSucceeds());
  p.revents = 0;
  ASSERT_THAT(poll(&p, 1, 60000), SyscallSucceedsWithValue(1));
  EXPECT_TRUE(p.revents & POLLIN);
  uint64_t n = 0;
  EXPECT_THAT(read(fd, &n, sizeof(n)), SyscallSucceedsWithValue(8));
  EXPECT_GE(n, 1u);
  p.revents = 0;
  EXPECT_THAT(poll(&p, 1, 0), SyscallSucceedsWithValue(0));
  close(fd);
}

TEST(TimerfdTest, AbsoluteSettingAndGettime) {
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  itimerspec cur;
  ASSERT_THAT(timerfd_gettime(fd, &cur), SyscallSucceeds());
  EXPECT_EQ(Ns(cur.it_value), 0);
  EXPECT_EQ(Ns(cur.it_interval), 0);
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  itimerspec its = Spec(Ns(now) + 100 * kNsPerSec, 2 * kNsPerSec);
  ASSERT_THAT(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, nullptr), SyscallSucceeds());
  ASSERT_THAT(timerfd_gettime(fd, &cur), SyscallSucceeds());
  EXPECT_GT(Ns(cur.it_value), 90 * kNsPerSec);
  EXPECT_LE(Ns(cur.it_value), 100 * kNsPerSec);
  EXPECT_EQ(Ns(cur.it_interval), 2 * kNsPerSec);
  itimerspec old;
  its = Spec(0, 0);
  ASSERT_THAT(timerfd_settime(fd, 0, &its, &old), SyscallSucceeds());
  EXPECT_GT(Ns(old.it_value), 0);
  EXPECT_EQ(Ns(old.it_interval), 2 * kNsPerSec);
  // An absolute deadline already past expires at once.
  its = Spec(1, 0);
  ASSERT_THAT(timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, nullptr), SyscallSucceeds());
  uint64_t n = 0;
  ASSERT_THAT(read(fd, &n, sizeof(n)), SyscallSucceedsWithValue(8));
  EXPECT_EQ(n, 1u);
  close(fd);
}

TEST(TimerfdTest, RejectsBadArguments) {
  EXPECT_THAT(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(timerfd_create(CLOCK_MONOTONIC, 0x1), SyscallFailsWithErrno(EINVAL));
  itimerspec its = Spec(kNsPerSec, 0);
  EXPECT_THAT(timerfd_settime(-1, 0, &its, nullptr), SyscallFailsWithErrno(EBADF));
  int p[2];
  ASSERT_THAT(pipe(p), SyscallSucceeds());
  EXPECT_THAT(timerfd_settime(p[0], 0, &its, nullptr), SyscallFailsWithErrno(EINVAL));
  close(p[0]);
  close(p[1]);
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  EXPECT_THAT(timerfd_settime(fd, 0x100, &its, nullptr), SyscallFailsWithErrno(EINVAL));
  its.it_value.tv_nsec = kNsPerSec;
  EXPECT_THAT(timerfd_settime(fd, 0, &its, nullptr), SyscallFailsWithErrno(EINVAL));
  close(fd);
}

TEST(TimerfdTest, BlockedReadEndsWithEintrOnSignal) {
  SignalScope s(SIGALRM, CountHandler);
  int fd = timerfd_create(CLOCK_MONOTONIC, 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  itimerval v = {};
  v.it_value.tv_usec = 20000;
  ASSERT_THAT(setitimer(ITIMER_REAL, &v, nullptr), SyscallSucceeds());
  sigset_t unblocked;
  sigprocmask(SIG_BLOCK, nullptr, &unblocked);
  sigdelset(&unblocked, SIGALRM);
  sigset_t blocked;
  sigprocmask(SIG_SETMASK, &unblocked, &blocked);
  uint64_t n = 0;
  ssize_t r = read(fd, &n, sizeof(n));  // the timer file is never armed
  int e = errno;
  sigprocmask(SIG_SETMASK, &blocked, nullptr);
  EXPECT_EQ(r, -1);
  EXPECT_EQ(e, EINTR);
  EXPECT_EQ(g_count, 1);
  close(fd);
}

}  // namespace
