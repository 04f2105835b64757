// Syscall restart after signals (SA_RESTART, restart_syscall(2)),
// real-time signal queuing (rt_sigqueueinfo(2), rt_sigtimedwait(2)),
// signalfd(2) and job-control stops (SIGSTOP, SIGCONT, waitpid WUNTRACED
// and WCONTINUED).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace {

using ::test_util::SyscallFailsWithErrno;
using ::test_util::SyscallSucceeds;
using ::test_util::SyscallSucceedsWithValue;

std::atomic<int> g_handled{0};
void CountSignal(int) { g_handled.fetch_add(1); }

void InstallHandler(int sig, int flags) {
  struct sigaction sa = {};
  sa.sa_handler = CountSignal;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  ASSERT_EQ(sigaction(sig, &sa, nullptr), 0);
}

pid_t Gettid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

int64_t NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Blocks `sig` in the calling thread for the scope.
class ScopedBlock {
 public:
  explicit ScopedBlock(std::initializer_list<int> sigs) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : sigs) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~ScopedBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

// A read blocked on an empty pipe, interrupted by signals whose handler
// has SA_RESTART, goes on waiting and returns the data written later.
TEST(SignalRestartTest, SaRestartReadOnPipeRestarts) {
  InstallHandler(SIGUSR1, SA_RESTART);
  g_handled = 0;
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  pid_t me = Gettid();
  std::thread sender([&] {
    // Many signals, spread over time, so that some land while the read
    // is blocked; any of them would make it fail without restart.
    for (int i = 0; i < 20; ++i) {
      syscall(SYS_tgkill, getpid(), me, SIGUSR1);
      usleep(2000);
    }
    while (g_handled.load() == 0) usleep(1000);
    ASSERT_EQ(write(fds[1], "x", 1), 1);
  });
  char c = 0;
  EXPECT_THAT(read(fds[0], &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(c, 'x');
  sender.join();
  EXPECT_GE(g_handled.load(), 1);
  close(fds[0]);
  close(fds[1]);
  signal(SIGUSR1, SIG_DFL);
}

// Without SA_RESTART the same read fails with EINTR.
TEST(SignalRestartTest, ReadWithoutSaRestartFailsWithEintr) {
  InstallHandler(SIGUSR1, 0);
  g_handled = 0;
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  pid_t me = Gettid();
  std::atomic<bool> done{false};
  std::thread sender([&] {
    while (!done.load()) {
      syscall(SYS_tgkill, getpid(), me, SIGUSR1);
      usleep(5000);
    }
  });
  char c;
  EXPECT_THAT(read(fds[0], &c, 1), SyscallFailsWithErrno(EINTR));
  done = true;
  sender.join();
  EXPECT_GE(g_handled.load(), 1);
  close(fds[0]);
  close(fds[1]);
  signal(SIGUSR1, SIG_DFL);
}

// nanosleep interrupted by a handler fails with EINTR (even with
// SA_RESTART) and reports the time left.
TEST(SignalRestartTest, NanosleepInterruptedReportsRemaining) {
  InstallHandler(SIGUSR1, SA_RESTART);
  pid_t me = Gettid();
  std::atomic<bool> done{false};
  std::thread sender([&] {
    while (!done.load()) {
      syscall(SYS_tgkill, getpid(), me, SIGUSR1);
      usleep(20000);
    }
  });
  struct timespec req = {10, 0}, rem = {0, 0};
  EXPECT_THAT(syscall(SYS_nanosleep, &req, &rem), SyscallFailsWithErrno(EINTR));
  done = true;
  sender.join();
  EXPECT_EQ(rem.tv_sec >= 8 && rem.tv_sec <= 10, true) << rem.tv_sec << "." << rem.tv_nsec;
  signal(SIGUSR1, SIG_DFL);
}

// restart_syscall with nothing to restart fails with EINTR.
TEST(SignalRestartTest, RestartSyscallWithNothingToRestart) {
  EXPECT_THAT(syscall(SYS_restart_syscall), SyscallFailsWithErrno(EINTR));
}

// Instances of a real-time signal queue, each with its value, in order.
TEST(SignalRestartTest, RealtimeSignalsQueue) {
  int sig = SIGRTMIN;
  ScopedBlock block({sig});
  for (int i = 1; i <= 3; ++i) {
    union sigval v;
    v.sival_int = i * 10;
    ASSERT_THAT(sigqueue(getpid(), sig, v), SyscallSucceeds());
  }
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  struct timespec zero = {0, 0};
  for (int i = 1; i <= 3; ++i) {
    siginfo_t info = {};
    EXPECT_THAT(sigtimedwait(&set, &info, &zero), SyscallSucceedsWithValue(sig));
    EXPECT_EQ(info.si_signo, sig);
    EXPECT_EQ(info.si_code, SI_QUEUE);
    EXPECT_EQ(info.si_pid, getpid());
    EXPECT_EQ(info.si_value.sival_int, i * 10);
  }
  EXPECT_THAT(sigtimedwait(&set, nullptr, &zero), SyscallFailsWithErrno(EAGAIN));
}

// Standard signals coalesce: three sends, one instance.
TEST(SignalRestartTest, StandardSignalsCoalesce) {
  ScopedBlock block({SIGUSR2});
  for (int i = 0; i < 3; ++i) ASSERT_THAT(raise(SIGUSR2), SyscallSucceeds());
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  struct timespec zero = {0, 0};
  EXPECT_THAT(sigtimedwait(&set, nullptr, &zero), SyscallSucceedsWithValue(SIGUSR2));
  EXPECT_THAT(sigtimedwait(&set, nullptr, &zero), SyscallFailsWithErrno(EAGAIN));
}

// rt_sigtimedwait waits out its timeout, then fails with EAGAIN.
TEST(SignalRestartTest, SigtimedwaitTimesOut) {
  ScopedBlock block({SIGUSR2});
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  struct timespec ts = {0, 50 * 1000 * 1000};
  int64_t start = NowNs();
  EXPECT_THAT(sigtimedwait(&set, nullptr, &ts), SyscallFailsWithErrno(EAGAIN));
  EXPECT_GE(NowNs() - start, 45 * 1000 * 1000);
}

// rt_sigtimedwait wakes for a signal another thread sends while it waits.
TEST(SignalRestartTest, SigtimedwaitWakesForSignal) {
  ScopedBlock block({SIGUSR2});
  pid_t me = Gettid();
  std::thread sender([&] {
    usleep(20000);
    syscall(SYS_tgkill, getpid(), me, SIGUSR2);
  });
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR2);
  siginfo_t info = {};
  EXPECT_THAT(sigwaitinfo(&set, &info), SyscallSucceedsWithValue(SIGUSR2));
  EXPECT_EQ(info.si_signo, SIGUSR2);
  sender.join();
}

// rt_sigqueueinfo with a si_code that claims to be the kernel's (or
// kill's) is refused for another process.
TEST(SignalRestartTest, SigqueueinfoToOtherProcessNeedsNegativeCode) {
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  ASSERT_GT(child, 0);
  siginfo_t info = {};
  info.si_signo = SIGUSR1;
  info.si_code = SI_USER;
  EXPECT_THAT(syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &info), SyscallFailsWithErrno(EPERM));
  info.si_code = SI_KERNEL;
  EXPECT_THAT(syscall(SYS_rt_tgsigqueueinfo, child, child, SIGUSR1, &info),
              SyscallFailsWithErrno(EPERM));
  ASSERT_THAT(kill(child, SIGKILL), SyscallSucceeds());
  int status;
  ASSERT_THAT(waitpid(child, &status, 0), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFSIGNALED(status));
}

// A signalfd reads pending signals of its mask (taking them), is readable
// for poll while one is pending, and signalfd4 on it changes the mask.
TEST(SignalRestartTest, SignalfdReadAndPoll) {
  ScopedBlock block({SIGUSR1, SIGUSR2});
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  ASSERT_THAT(sfd, SyscallSucceeds());
  EXPECT_EQ(fcntl(sfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  EXPECT_EQ(fcntl(sfd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);

  struct signalfd_siginfo si;
  EXPECT_THAT(read(sfd, &si, sizeof(si)), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(read(sfd, &si, sizeof(si) - 1), SyscallFailsWithErrno(EINVAL));
  struct pollfd pfd = {sfd, POLLIN, 0};
  EXPECT_THAT(poll(&pfd, 1, 0), SyscallSucceedsWithValue(0));

  union sigval v;
  v.sival_int = 42;
  ASSERT_THAT(sigqueue(getpid(), SIGUSR1, v), SyscallSucceeds());
  pfd.revents = 0;
  EXPECT_THAT(poll(&pfd, 1, 1000), SyscallSucceedsWithValue(1));
  EXPECT_EQ(pfd.revents, POLLIN);
  ASSERT_THAT(read(sfd, &si, sizeof(si)), SyscallSucceedsWithValue(sizeof(si)));
  EXPECT_EQ(si.ssi_signo, static_cast<uint32_t>(SIGUSR1));
  EXPECT_EQ(si.ssi_code, SI_QUEUE);
  EXPECT_EQ(si.ssi_pid, static_cast<uint32_t>(getpid()));
  EXPECT_EQ(si.ssi_int, 42);
  // Taken: neither readable again nor pending.
  EXPECT_THAT(read(sfd, &si, sizeof(si)), SyscallFailsWithErrno(EAGAIN));
  sigset_t pending;
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGUSR1));

  // SIGUSR2 is outside the mask until signalfd4 adds it.
  ASSERT_THAT(raise(SIGUSR2), SyscallSucceeds());
  EXPECT_THAT(read(sfd, &si, sizeof(si)), SyscallFailsWithErrno(EAGAIN));
  sigaddset(&mask, SIGUSR2);
  EXPECT_THAT(signalfd(sfd, &mask, 0), SyscallSucceedsWithValue(sfd));
  ASSERT_THAT(read(sfd, &si, sizeof(si)), SyscallSucceedsWithValue(sizeof(si)));
  EXPECT_EQ(si.ssi_signo, static_cast<uint32_t>(SIGUSR2));
  EXPECT_EQ(si.ssi_code, SI_TKILL);
  close(sfd);
}

// A blocking signalfd read wakes when a signal arrives from another thread.
TEST(SignalRestartTest, SignalfdBlockingReadWakes) {
  ScopedBlock block({SIGUSR1});
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGUSR1);
  int sfd = signalfd(-1, &mask, 0);
  ASSERT_THAT(sfd, SyscallSucceeds());
  pid_t me = Gettid();
  std::thread sender([&] {
    usleep(20000);
    syscall(SYS_tgkill, getpid(), me, SIGUSR1);
  });
  struct signalfd_siginfo si;
  EXPECT_THAT(read(sfd, &si, sizeof(si)), SyscallSucceedsWithValue(sizeof(si)));
  EXPECT_EQ(si.ssi_signo, static_cast<uint32_t>(SIGUSR1));
  sender.join();
  close(sfd);
}

// SIGSTOP stops a child (waitpid WUNTRACED sees it once), SIGCONT
// continues it (WCONTINUED, once), and the nanosleep it was in goes on to
// its full length instead of failing.
TEST(SignalRestartTest, StopAndContinueChild) {
  pid_t child = fork();
  if (child == 0) {
    struct timespec req = {0, 300 * 1000 * 1000};
    int64_t start = NowNs();
    long r = syscall(SYS_nanosleep, &req, nullptr);
    if (r != 0) _exit(2);
    if (NowNs() - start < 290 * 1000 * 1000) _exit(3);
    _exit(0);
  }
  ASSERT_GT(child, 0);
  usleep(50000);  // let it start sleeping (the result is the same if not)
  ASSERT_THAT(kill(child, SIGSTOP), SyscallSucceeds());
  int status = 0;
  ASSERT_THAT(waitpid(child, &status, WUNTRACED), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFSTOPPED(status)) << std::hex << status;
  EXPECT_EQ(WSTOPSIG(status), SIGSTOP);
  // Reported once.
  EXPECT_THAT(waitpid(child, &status, WUNTRACED | WNOHANG), SyscallSucceedsWithValue(0));

  ASSERT_THAT(kill(child, SIGCONT), SyscallSucceeds());
  ASSERT_THAT(waitpid(child, &status, WCONTINUED), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFCONTINUED(status)) << std::hex << status;

  ASSERT_THAT(waitpid(child, &status, 0), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFEXITED(status)) << std::hex << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// A pipe read in a child that is stopped and continued (no handler runs)
// is restarted, and returns the data written afterwards.
TEST(SignalRestartTest, StoppedPipeReadRestarts) {
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  pid_t child = fork();
  if (child == 0) {
    char c = 0;
    ssize_t n = read(fds[0], &c, 1);
    _exit(n == 1 && c == 'y' ? 0 : (n < 0 ? 10 + errno % 100 : 2));
  }
  ASSERT_GT(child, 0);
  usleep(50000);  // let it block in read (the result is the same if not)
  ASSERT_THAT(kill(child, SIGSTOP), SyscallSucceeds());
  int status = 0;
  ASSERT_THAT(waitpid(child, &status, WUNTRACED), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFSTOPPED(status));
  ASSERT_THAT(kill(child, SIGCONT), SyscallSucceeds());
  ASSERT_THAT(write(fds[1], "y", 1), SyscallSucceedsWithValue(1));
  ASSERT_THAT(waitpid(child, &status, 0), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  close(fds[0]);
  close(fds[1]);
}

// waitid reports a stop with CLD_STOPPED and the signal.
TEST(SignalRestartTest, WaitidReportsStop) {
  pid_t child = fork();
  if (child == 0) {
    // A group of its own, whose parent is in another group of the session:
    // not orphaned, so SIGTSTP stops it (Linux ignores SIGTSTP sent to an
    // orphaned group, which the test's own group may be under a runner).
    setpgid(0, 0);
    for (;;) pause();
  }
  ASSERT_GT(child, 0);
  setpgid(child, child);
  ASSERT_THAT(kill(child, SIGTSTP), SyscallSucceeds());
  siginfo_t info = {};
  ASSERT_THAT(waitid(P_PID, child, &info, WSTOPPED), SyscallSucceeds());
  EXPECT_EQ(info.si_pid, child);
  EXPECT_EQ(info.si_code, CLD_STOPPED);
  EXPECT_EQ(info.si_status, SIGTSTP);
  ASSERT_THAT(kill(child, SIGKILL), SyscallSucceeds());
  int status;
  ASSERT_THAT(waitpid(child, &status, 0), SyscallSucceedsWithValue(child));
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

// With SIGCHLD ignored, children are reaped by themselves: wait fails
// with ECHILD once they are gone.
TEST(SignalRestartTest, IgnoredSigchldReapsChildren) {
  signal(SIGCHLD, SIG_IGN);
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  int status;
  EXPECT_THAT(waitpid(child, &status, 0), SyscallFailsWithErrno(ECHILD));
  signal(SIGCHLD, SIG_DFL);
}

}  // namespace
