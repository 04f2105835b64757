// Readiness and waiting: poll(2), ppoll(2), select(2), pselect6(2), the
// epoll family (epoll_create, epoll_create1, epoll_ctl, epoll_wait,
// epoll_pwait, epoll_pwait2) and eventfd(2)/eventfd2(2), on pipes and
// eventfds.
//
// A timeout is only ever checked by what the call returns (0 when it
// expires, and the time left it writes back), never by how long it took.
// The calls whose kernel behaviour glibc hides (ppoll and select copy the
// timeout, so the kernel's write-back is invisible) are made with
// syscall(2). A wake-up from another thread uses std::thread; the waiting
// side is correct whichever of the two runs first.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// Closes an fd on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() { reset(); }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// A pipe whose ends close on scope exit.
struct Pipe {
  ScopedFd r;
  ScopedFd w;
};

// Makes a pipe into *p (ASSERT-style: use ASSERT_NO_FATAL_FAILURE).
void MakePipe(Pipe* p, int flags = 0) {
  int fds[2];
  ASSERT_THAT(pipe2(fds, flags), SyscallSucceeds());
  p->r.reset(fds[0]);
  p->w.reset(fds[1]);
}

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

// The lowest fd not in use.
int LowestFreeFd() {
  int fd = 0;
  while (IsOpen(fd)) ++fd;
  return fd;
}

// The revents poll(2) reports for one fd right now (timeout 0); -1 if poll
// fails.
int PollNow(int fd, short events) {
  pollfd p{fd, events, 0};
  int n = poll(&p, 1, 0);
  if (n < 0) return -1;
  return p.revents;
}

// The kernel's sigset_t: the size ppoll, pselect6 and epoll_pwait take.
constexpr size_t kKernelSigsetSize = 8;

// The kernel's struct for pselect6's sixth argument.
struct PselectSigmask {
  const sigset_t* ss;
  size_t len;
};

// Raw calls, so the kernel's write-back of the timeout is visible.
long RawPpoll(pollfd* fds, nfds_t n, timespec* ts, const sigset_t* mask,
              size_t size = kKernelSigsetSize) {
  return syscall(SYS_ppoll, fds, n, ts, mask, size);
}
long RawSelect(int nfds, fd_set* r, fd_set* w, fd_set* e, timeval* tv) {
  return syscall(SYS_select, nfds, r, w, e, tv);
}
long RawPselect6(int nfds, fd_set* r, fd_set* w, fd_set* e, timespec* ts,
                 const PselectSigmask* sig) {
  return syscall(SYS_pselect6, nfds, r, w, e, ts, sig);
}
long RawEpollPwait2(int epfd, epoll_event* evs, int max, const timespec* ts,
                    const sigset_t* mask, size_t size = kKernelSigsetSize) {
  return syscall(SYS_epoll_pwait2, epfd, evs, max, ts, mask, size);
}

void WriteByte(int fd) {
  char c = 'x';
  ASSERT_THAT(write(fd, &c, 1), SyscallSucceedsWithValue(1));
}

// Runs fn in another thread after a short sleep; joined on scope exit.
// Correctness only: the waiter must return whether fn runs before or after
// it starts waiting.
class Later {
 public:
  template <typename F>
  explicit Later(F fn)
      : t_([fn] {
          usleep(50 * 1000);
          fn();
        }) {}
  ~Later() { t_.join(); }

 private:
  std::thread t_;
};

// SIGUSR1 blocked, with a handler that counts; all put back on scope exit.
// Lets a test make a signal pending and then unblock it only for the length
// of one call (ppoll, pselect6, epoll_pwait, epoll_pwait2), which must then
// fail with EINTR after running the handler.
std::atomic<int> usr1_count{0};

class PendingUsr1 {
 public:
  PendingUsr1() {
    usr1_count = 0;
    struct sigaction sa = {};
    sa.sa_handler = +[](int) { ++usr1_count; };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, &old_action_);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old_mask_);
    raise(SIGUSR1);
  }
  ~PendingUsr1() {
    // Takes the signal if a call left it pending, with the handler in place.
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    sigaction(SIGUSR1, &old_action_, nullptr);
  }
  // The mask to wait with: the current one with SIGUSR1 unblocked.
  sigset_t WaitMask() const {
    sigset_t m;
    sigprocmask(SIG_SETMASK, nullptr, &m);
    sigdelset(&m, SIGUSR1);
    return m;
  }
  static bool Usr1Blocked() {
    sigset_t m;
    sigprocmask(SIG_SETMASK, nullptr, &m);
    return sigismember(&m, SIGUSR1) == 1;
  }

 private:
  struct sigaction old_action_ = {};
  sigset_t old_mask_;
};

// A fresh directory under /tmp, removed (with the files a test names) on
// scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_poll_XXXXXX";
    if (mkdtemp(tmpl) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    for (const std::string& f : files_) unlink(f.c_str());
    if (!path_.empty()) rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) {
    files_.push_back(path_ + "/" + name);
    return files_.back();
  }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

// ---- poll(2) ----

TEST(PollTest, NoFdsTimesOutWithZero) {
  EXPECT_THAT(poll(nullptr, 0, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(poll(nullptr, 0, 10), SyscallSucceedsWithValue(0));
}

TEST(PollTest, TimeoutExpiresWithZeroAndNoEvents) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  pollfd fds[2] = {{p.r.get(), POLLIN, 0x7f}, {p.w.get(), POLLIN, 0x7f}};
  EXPECT_THAT(poll(fds, 2, 20), SyscallSucceedsWithValue(0));
  EXPECT_EQ(fds[0].revents, 0);
  EXPECT_EQ(fds[1].revents, 0);
}

TEST(PollTest, NegativeFdIsIgnored) {
  pollfd p{-1, POLLIN | POLLOUT, 0x7f};
  EXPECT_THAT(poll(&p, 1, 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(p.revents, 0);
}

TEST(PollTest, ClosedFdReportsPollnval) {
  const int free_fd = LowestFreeFd();
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  pollfd fds[2] = {{free_fd + 100, POLLIN, 0}, {p.w.get(), POLLOUT, 0}};
  // POLLNVAL counts as an event, and needs no request.
  EXPECT_THAT(poll(fds, 2, -1), SyscallSucceedsWithValue(2));
  EXPECT_EQ(fds[0].revents, POLLNVAL);
  EXPECT_EQ(fds[1].revents, POLLOUT);
  fds[0].events = 0;
  EXPECT_THAT(poll(fds, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(fds[0].revents, POLLNVAL);
}

TEST(PollTest, MoreFdsThanTheLimitFailsEinval) {
  rlimit rl;
  ASSERT_THAT(getrlimit(RLIMIT_NOFILE, &rl), SyscallSucceeds());
  if (rl.rlim_cur >= (1u << 24)) GTEST_SKIP() << "RLIMIT_NOFILE too large to exceed";
  EXPECT_THAT(syscall(SYS_poll, nullptr, rl.rlim_cur + 1, 0), SyscallFailsWithErrno(EINVAL));
}

TEST(PollTest, BadPointerFailsEfault) {
  EXPECT_THAT(syscall(SYS_poll, reinterpret_cast<pollfd*>(8), 1, 0),
              SyscallFailsWithErrno(EFAULT));
}

TEST(PollTest, OnlyRequestedEventsAreReported) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p.w.get()));
  // Data to read, but only POLLOUT asked for (which a read end never has).
  pollfd fd{p.r.get(), POLLOUT, 0};
  EXPECT_THAT(poll(&fd, 1, 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(fd.revents, 0);
  // Several fds: the count is of fds with events, not of events.
  pollfd fds[3] = {{p.r.get(), POLLIN | POLLRDNORM, 0},
                   {p.w.get(), POLLOUT | POLLWRNORM, 0},
                   {p.w.get(), POLLIN, 0}};
  EXPECT_THAT(poll(fds, 3, 0), SyscallSucceedsWithValue(2));
  EXPECT_EQ(fds[0].revents, POLLIN | POLLRDNORM);
  EXPECT_EQ(fds[1].revents, POLLOUT | POLLWRNORM);
  EXPECT_EQ(fds[2].revents, 0);
}

// ---- pipes ----

TEST(PipePollTest, EmptyPipeWritableNotReadable) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  EXPECT_EQ(PollNow(p.r.get(), POLLIN | POLLOUT), 0);
  EXPECT_EQ(PollNow(p.w.get(), POLLIN | POLLOUT), POLLOUT);
}

TEST(PipePollTest, PollinWhenDataUntilDrained) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  ASSERT_THAT(write(p.w.get(), "abc", 3), SyscallSucceedsWithValue(3));
  EXPECT_EQ(PollNow(p.r.get(), POLLIN), POLLIN);
  char buf[8];
  ASSERT_THAT(read(p.r.get(), buf, 2), SyscallSucceedsWithValue(2));
  EXPECT_EQ(PollNow(p.r.get(), POLLIN), POLLIN);
  ASSERT_THAT(read(p.r.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(1));
  EXPECT_EQ(PollNow(p.r.get(), POLLIN), 0);
}

TEST(PipePollTest, NoPolloutWhenFullUntilDrained) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p, O_NONBLOCK));
  std::string chunk(8192, 'z');
  size_t total = 0;
  while (true) {
    ssize_t n = write(p.w.get(), chunk.data(), chunk.size());
    if (n < 0) {
      ASSERT_EQ(errno, EAGAIN);
      break;
    }
    total += static_cast<size_t>(n);
    ASSERT_LT(total, size_t{64} << 20) << "the pipe never filled";
  }
  EXPECT_EQ(PollNow(p.w.get(), POLLOUT), 0);
  EXPECT_EQ(PollNow(p.r.get(), POLLIN), POLLIN);
  // Emptied, it is writable again.
  std::string buf(total, '\0');
  size_t got = 0;
  while (got < total) {
    ssize_t n = read(p.r.get(), buf.data(), buf.size());
    ASSERT_THAT(n, SyscallSucceeds());
    got += static_cast<size_t>(n);
  }
  EXPECT_EQ(PollNow(p.w.get(), POLLOUT), POLLOUT);
}

TEST(PipePollTest, ReadEndPollhupAfterWriterCloses) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p.w.get()));
  p.w.reset();
  // Data left and no writer: both. POLLHUP is reported unrequested.
  EXPECT_EQ(PollNow(p.r.get(), POLLIN), POLLIN | POLLHUP);
  EXPECT_EQ(PollNow(p.r.get(), 0), POLLHUP);
  char c;
  ASSERT_THAT(read(p.r.get(), &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(PollNow(p.r.get(), POLLIN), POLLHUP);
  // A blocking poll returns at once.
  pollfd fd{p.r.get(), POLLIN, 0};
  EXPECT_THAT(poll(&fd, 1, -1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(fd.revents, POLLHUP);
}

TEST(PipePollTest, WriteEndPollerrAfterReaderCloses) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  p.r.reset();
  EXPECT_EQ(PollNow(p.w.get(), POLLOUT), POLLOUT | POLLERR);
  EXPECT_EQ(PollNow(p.w.get(), 0), POLLERR);
}

TEST(PipePollTest, BlockingPollWokenByAnotherThreadsWrite) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  const int w = p.w.get();
  pollfd fd{p.r.get(), POLLIN, 0};
  {
    Later later([w] {
      char c = 'x';
      (void)!write(w, &c, 1);
    });
    EXPECT_THAT(RetryEINTR(poll)(&fd, 1, -1), SyscallSucceedsWithValue(1));
  }
  EXPECT_EQ(fd.revents, POLLIN);
}

TEST(PipePollTest, BlockingPollWokenByAnotherThreadsClose) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  const int w = p.w.release();
  pollfd fd{p.r.get(), POLLIN, 0};
  {
    Later later([w] { close(w); });
    EXPECT_THAT(RetryEINTR(poll)(&fd, 1, -1), SyscallSucceedsWithValue(1));
  }
  EXPECT_EQ(fd.revents, POLLHUP);
}

// ---- the standard streams ----

TEST(StdioPollTest, StdoutIsWritable) {
  ASSERT_TRUE(IsOpen(1));
  pollfd fd{1, POLLOUT, 0};
  EXPECT_THAT(poll(&fd, 1, -1), SyscallSucceedsWithValue(1));
  EXPECT_TRUE(fd.revents & POLLOUT) << "revents " << fd.revents;
  EXPECT_FALSE(fd.revents & POLLNVAL);
}

TEST(StdioPollTest, StdinCanBePolled) {
  if (!IsOpen(0)) GTEST_SKIP() << "no stdin";
  pollfd fd{0, POLLIN, 0};
  EXPECT_THAT(poll(&fd, 1, 0), SyscallSucceedsWithValue(testing::AnyOf(0, 1)));
  EXPECT_FALSE(fd.revents & POLLNVAL) << "revents " << fd.revents;
  // Whatever stdin is, only what was asked for (or POLLERR/POLLHUP) comes back.
  EXPECT_EQ(fd.revents & ~(POLLIN | POLLERR | POLLHUP), 0) << "revents " << fd.revents;
}

// ---- ppoll(2) ----

TEST(PpollTest, TimeoutExpiresAndZeroIsWrittenBack) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  pollfd fd{p.r.get(), POLLIN, 0};
  timespec ts{0, 20 * 1000 * 1000};
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, nullptr), SyscallSucceedsWithValue(0));
  EXPECT_EQ(fd.revents, 0);
  EXPECT_EQ(ts.tv_sec, 0);
  EXPECT_EQ(ts.tv_nsec, 0);
}

TEST(PpollTest, ReadyAtOnceWritesBackTheTimeLeft) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  pollfd fd{p.w.get(), POLLOUT, 0};
  timespec ts{100, 0};
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, nullptr), SyscallSucceedsWithValue(1));
  EXPECT_EQ(fd.revents, POLLOUT);
  // No more than was given, and a valid timespec.
  EXPECT_GE(ts.tv_sec, 0);
  EXPECT_LE(ts.tv_sec, 100);
  EXPECT_GE(ts.tv_nsec, 0);
  EXPECT_LT(ts.tv_nsec, 1000000000);
  if (ts.tv_sec == 100) {
    EXPECT_EQ(ts.tv_nsec, 0);
  }
}

TEST(PpollTest, ZeroTimeoutPolls) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  pollfd fd{p.r.get(), POLLIN, 0};
  timespec ts{0, 0};
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, nullptr), SyscallSucceedsWithValue(0));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p.w.get()));
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, nullptr), SyscallSucceedsWithValue(1));
  EXPECT_EQ(fd.revents, POLLIN);
}

TEST(PpollTest, InvalidTimeoutFailsEinval) {
  pollfd fd{-1, 0, 0};
  timespec ts{0, 1000000000};
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, nullptr), SyscallFailsWithErrno(EINVAL));
  ts = {-1, 0};
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, nullptr), SyscallFailsWithErrno(EINVAL));
}

TEST(PpollTest, BadSigsetSizeFailsEinval) {
  pollfd fd{-1, 0, 0};
  timespec ts{0, 0};
  sigset_t m;
  sigemptyset(&m);
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, &m, 4), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, &m, sizeof(sigset_t)), SyscallFailsWithErrno(EINVAL));
}

TEST(PpollTest, SignalMaskAppliesDuringTheWaitOnly) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  PendingUsr1 sig;
  ASSERT_EQ(usr1_count.load(), 0);
  pollfd fd{p.r.get(), POLLIN, 0};
  sigset_t m = sig.WaitMask();
  // The pending SIGUSR1 becomes deliverable under the call's mask: the wait
  // ends with EINTR and the handler runs.
  EXPECT_THAT(RawPpoll(&fd, 1, nullptr, &m), SyscallFailsWithErrno(EINTR));
  EXPECT_EQ(usr1_count.load(), 1);
  // Afterwards the caller's mask is back.
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
  // The glibc wrapper too.
  raise(SIGUSR1);
  timespec ts{100, 0};
  EXPECT_THAT(ppoll(&fd, 1, &ts, &m), SyscallFailsWithErrno(EINTR));
  EXPECT_EQ(usr1_count.load(), 2);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
}

TEST(PpollTest, ReadyFdsWinAndTheSignalStaysPending) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  PendingUsr1 sig;
  pollfd fd{p.w.get(), POLLOUT, 0};
  sigset_t m = sig.WaitMask();
  // Something is ready: the call returns it, the caller's mask comes back
  // before any delivery, and SIGUSR1 stays pending.
  EXPECT_THAT(RawPpoll(&fd, 1, nullptr, &m), SyscallSucceedsWithValue(1));
  EXPECT_EQ(usr1_count.load(), 0);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
  sigset_t pending;
  ASSERT_THAT(sigpending(&pending), SyscallSucceeds());
  EXPECT_TRUE(sigismember(&pending, SIGUSR1));
}

TEST(PpollTest, BlockedSignalDoesNotInterrupt) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  PendingUsr1 sig;
  pollfd fd{p.r.get(), POLLIN, 0};
  sigset_t m;
  sigprocmask(SIG_SETMASK, nullptr, &m);  // SIGUSR1 stays blocked
  timespec ts{0, 20 * 1000 * 1000};
  EXPECT_THAT(RawPpoll(&fd, 1, &ts, &m), SyscallSucceedsWithValue(0));
  EXPECT_EQ(usr1_count.load(), 0);
}

// ---- select(2) and pselect6(2) ----

TEST(SelectTest, ReportsReadyFdsInTheSets) {
  Pipe a, b;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&a));
  ASSERT_NO_FATAL_FAILURE(MakePipe(&b));
  ASSERT_NO_FATAL_FAILURE(WriteByte(a.w.get()));
  fd_set rd, wr, ex;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_ZERO(&ex);
  FD_SET(a.r.get(), &rd);  // ready
  FD_SET(b.r.get(), &rd);  // not ready
  FD_SET(a.w.get(), &wr);  // ready
  FD_SET(a.r.get(), &ex);  // nothing exceptional
  int nfds = std::max({a.r.get(), a.w.get(), b.r.get(), b.w.get()}) + 1;
  timeval tv{0, 0};
  EXPECT_THAT(RawSelect(nfds, &rd, &wr, &ex, &tv), SyscallSucceedsWithValue(2));
  EXPECT_TRUE(FD_ISSET(a.r.get(), &rd));
  EXPECT_FALSE(FD_ISSET(b.r.get(), &rd));
  EXPECT_TRUE(FD_ISSET(a.w.get(), &wr));
  EXPECT_FALSE(FD_ISSET(a.r.get(), &ex));
  // One fd in two sets counts twice.
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(a.r.get(), &rd);
  FD_SET(a.w.get(), &wr);
  FD_SET(b.w.get(), &wr);
  EXPECT_THAT(select(nfds, &rd, &wr, nullptr, nullptr), SyscallSucceedsWithValue(3));
}

TEST(SelectTest, FdsAtOrAboveNfdsAreIgnored) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p.w.get()));
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p.r.get(), &rd);
  timeval tv{0, 0};
  EXPECT_THAT(RawSelect(p.r.get(), &rd, nullptr, nullptr, &tv), SyscallSucceedsWithValue(0));
  EXPECT_FALSE(FD_ISSET(p.r.get(), &rd));
}

TEST(SelectTest, TimeoutExpiresWithZeroAndEmptySets) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p.r.get(), &rd);
  timeval tv{0, 20 * 1000};
  EXPECT_THAT(RawSelect(p.r.get() + 1, &rd, nullptr, nullptr, &tv), SyscallSucceedsWithValue(0));
  EXPECT_FALSE(FD_ISSET(p.r.get(), &rd));
  // The time left is written back: none.
  EXPECT_EQ(tv.tv_sec, 0);
  EXPECT_EQ(tv.tv_usec, 0);
  // No fds at all: a sleep.
  tv = {0, 1000};
  EXPECT_THAT(RawSelect(0, nullptr, nullptr, nullptr, &tv), SyscallSucceedsWithValue(0));
}

TEST(SelectTest, ClosedFdInASetFailsEbadf) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  const int closed = LowestFreeFd();
  ASSERT_LT(closed, FD_SETSIZE);
  for (int which = 0; which < 3; ++which) {
    fd_set sets[3];
    for (auto& s : sets) FD_ZERO(&s);
    FD_SET(p.w.get(), &sets[1]);
    FD_SET(closed, &sets[which]);
    timeval tv{0, 0};
    EXPECT_THAT(RawSelect(std::max(closed, p.w.get()) + 1, &sets[0], &sets[1], &sets[2], &tv),
                SyscallFailsWithErrno(EBADF))
        << "set " << which;
  }
}

TEST(SelectTest, MicrosecondsCarryIntoSeconds) {
  // Linux takes tv_usec of a million or more as whole seconds rather than
  // refusing it. The fd is ready, so nothing waits.
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  fd_set wr;
  FD_ZERO(&wr);
  FD_SET(p.w.get(), &wr);
  timeval tv{0, 2500000};
  EXPECT_THAT(RawSelect(p.w.get() + 1, nullptr, &wr, nullptr, &tv), SyscallSucceedsWithValue(1));
  EXPECT_TRUE(FD_ISSET(p.w.get(), &wr));
  EXPECT_GE(tv.tv_usec, 0);
  EXPECT_LT(tv.tv_usec, 1000000);
  EXPECT_LE(tv.tv_sec, 2);
}

TEST(SelectTest, NegativeNfdsFailsEinval) {
  timeval tv{0, 0};
  EXPECT_THAT(RawSelect(-1, nullptr, nullptr, nullptr, &tv), SyscallFailsWithErrno(EINVAL));
  tv = {0, -1};
  EXPECT_THAT(RawSelect(0, nullptr, nullptr, nullptr, &tv), SyscallFailsWithErrno(EINVAL));
}

TEST(SelectTest, HangupAndErrorCountAsReadyInTheirSets) {
  Pipe a, b;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&a));
  ASSERT_NO_FATAL_FAILURE(MakePipe(&b));
  a.w.reset();  // a.r: POLLHUP, readable (read returns EOF)
  b.r.reset();  // b.w: POLLERR, writable (write fails with EPIPE)
  fd_set rd, wr;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(a.r.get(), &rd);
  FD_SET(b.w.get(), &wr);
  EXPECT_THAT(select(std::max(a.r.get(), b.w.get()) + 1, &rd, &wr, nullptr, nullptr),
              SyscallSucceedsWithValue(2));
  EXPECT_TRUE(FD_ISSET(a.r.get(), &rd));
  EXPECT_TRUE(FD_ISSET(b.w.get(), &wr));
}

TEST(SelectTest, BlockingSelectWokenByAnotherThreadsWrite) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  const int w = p.w.get();
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p.r.get(), &rd);
  {
    Later later([w] {
      char c = 'x';
      (void)!write(w, &c, 1);
    });
    EXPECT_THAT(select(p.r.get() + 1, &rd, nullptr, nullptr, nullptr),
                SyscallSucceedsWithValue(1));
  }
  EXPECT_TRUE(FD_ISSET(p.r.get(), &rd));
}

TEST(Pselect6Test, ReportsReadyFdsAndWritesBackTheTimeLeft) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  fd_set rd, wr;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(p.r.get(), &rd);
  FD_SET(p.w.get(), &wr);
  timespec ts{100, 0};
  EXPECT_THAT(RawPselect6(std::max(p.r.get(), p.w.get()) + 1, &rd, &wr, nullptr, &ts, nullptr),
              SyscallSucceedsWithValue(1));
  EXPECT_FALSE(FD_ISSET(p.r.get(), &rd));
  EXPECT_TRUE(FD_ISSET(p.w.get(), &wr));
  EXPECT_GE(ts.tv_sec, 0);
  EXPECT_LE(ts.tv_sec, 100);
  EXPECT_GE(ts.tv_nsec, 0);
  EXPECT_LT(ts.tv_nsec, 1000000000);
}

TEST(Pselect6Test, TimeoutExpiresWithZero) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p.r.get(), &rd);
  timespec ts{0, 20 * 1000 * 1000};
  EXPECT_THAT(RawPselect6(p.r.get() + 1, &rd, nullptr, nullptr, &ts, nullptr),
              SyscallSucceedsWithValue(0));
  EXPECT_FALSE(FD_ISSET(p.r.get(), &rd));
  EXPECT_EQ(ts.tv_sec, 0);
  EXPECT_EQ(ts.tv_nsec, 0);
  // The glibc wrapper.
  FD_SET(p.r.get(), &rd);
  timespec ts2{0, 1000 * 1000};
  EXPECT_THAT(pselect(p.r.get() + 1, &rd, nullptr, nullptr, &ts2, nullptr),
              SyscallSucceedsWithValue(0));
}

TEST(Pselect6Test, ClosedFdFailsEbadf) {
  const int closed = LowestFreeFd();
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(closed, &rd);
  timespec ts{0, 0};
  EXPECT_THAT(RawPselect6(closed + 1, &rd, nullptr, nullptr, &ts, nullptr),
              SyscallFailsWithErrno(EBADF));
}

TEST(Pselect6Test, SignalMaskAppliesDuringTheWaitOnly) {
  Pipe p;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&p));
  PendingUsr1 sig;
  sigset_t m = sig.WaitMask();
  PselectSigmask arg{&m, kKernelSigsetSize};
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(p.r.get(), &rd);
  EXPECT_THAT(RawPselect6(p.r.get() + 1, &rd, nullptr, nullptr, nullptr, &arg),
              SyscallFailsWithErrno(EINTR));
  EXPECT_EQ(usr1_count.load(), 1);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
  // With an fd ready the call returns it and the signal stays pending.
  raise(SIGUSR1);
  fd_set wr;
  FD_ZERO(&wr);
  FD_SET(p.w.get(), &wr);
  EXPECT_THAT(RawPselect6(p.w.get() + 1, nullptr, &wr, nullptr, nullptr, &arg),
              SyscallSucceedsWithValue(1));
  EXPECT_EQ(usr1_count.load(), 1);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
  sigset_t pending;
  ASSERT_THAT(sigpending(&pending), SyscallSucceeds());
  EXPECT_TRUE(sigismember(&pending, SIGUSR1));
  // A wrong size is EINVAL.
  PselectSigmask bad{&m, 4};
  timespec ts{0, 0};
  EXPECT_THAT(RawPselect6(p.r.get() + 1, &rd, nullptr, nullptr, &ts, &bad),
              SyscallFailsWithErrno(EINVAL));
}

// ---- epoll_create(2), epoll_create1(2) ----

TEST(EpollCreateTest, SizeMustBePositive) {
  EXPECT_THAT(epoll_create(0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(epoll_create(-1), SyscallFailsWithErrno(EINVAL));
  ScopedFd ep(epoll_create(1));
  EXPECT_THAT(ep.get(), SyscallSucceeds());
  ScopedFd ep2(epoll_create(100000));
  EXPECT_THAT(ep2.get(), SyscallSucceeds());
}

TEST(EpollCreateTest, Create1FlagsOtherThanCloexecFailEinval) {
  EXPECT_THAT(epoll_create1(O_NONBLOCK), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(epoll_create1(1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(epoll_create1(-1), SyscallFailsWithErrno(EINVAL));
  ScopedFd a(epoll_create1(0));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(0));
  ScopedFd b(epoll_create1(EPOLL_CLOEXEC));
  ASSERT_THAT(b.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(b.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
}

// ---- epoll_ctl(2) ----

class EpollTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ep_.reset(epoll_create1(0));
    ASSERT_THAT(ep_.get(), SyscallSucceeds());
    ASSERT_NO_FATAL_FAILURE(MakePipe(&p_));
  }
  int Add(int fd, uint32_t events, uint64_t data) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(ep_.get(), EPOLL_CTL_ADD, fd, &ev);
  }
  int Mod(int fd, uint32_t events, uint64_t data) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    return epoll_ctl(ep_.get(), EPOLL_CTL_MOD, fd, &ev);
  }
  // epoll_wait with a zero timeout into evs_.
  int WaitNow(int max = 8) { return epoll_wait(ep_.get(), evs_, max, 0); }

  ScopedFd ep_;
  Pipe p_;
  epoll_event evs_[8] = {};
};

TEST_F(EpollTest, CtlAddTwiceFailsEexist) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  EXPECT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallFailsWithErrno(EEXIST));
  // A dup of the same file is a different entry.
  ScopedFd d(dup(p_.r.get()));
  ASSERT_THAT(d.get(), SyscallSucceeds());
  EXPECT_THAT(Add(d.get(), EPOLLIN, 2), SyscallSucceeds());
}

TEST_F(EpollTest, CtlModOrDelOfAnUnwatchedFdFailsEnoent) {
  EXPECT_THAT(Mod(p_.r.get(), EPOLLIN, 1), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_DEL, p_.r.get(), nullptr),
              SyscallFailsWithErrno(ENOENT));
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  EXPECT_THAT(Mod(p_.r.get(), EPOLLIN | EPOLLOUT, 1), SyscallSucceeds());
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_DEL, p_.r.get(), nullptr), SyscallSucceeds());
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_DEL, p_.r.get(), nullptr),
              SyscallFailsWithErrno(ENOENT));
}

TEST_F(EpollTest, CtlAddingItselfFailsEinval) {
  EXPECT_THAT(Add(ep_.get(), EPOLLIN, 1), SyscallFailsWithErrno(EINVAL));
}

TEST_F(EpollTest, CtlOnARegularFileFailsEperm) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ScopedFd f(open(dir.File("regular").c_str(), O_RDWR | O_CREAT | O_EXCL, 0600));
  ASSERT_THAT(f.get(), SyscallSucceeds());
  EXPECT_THAT(Add(f.get(), EPOLLIN, 1), SyscallFailsWithErrno(EPERM));
  // A directory as well.
  ScopedFd d(open(dir.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(d.get(), SyscallSucceeds());
  EXPECT_THAT(Add(d.get(), EPOLLIN, 1), SyscallFailsWithErrno(EPERM));
  // EPERM comes before the check that epfd is an epoll.
  epoll_event ev{};
  ev.events = EPOLLIN;
  EXPECT_THAT(epoll_ctl(p_.r.get(), EPOLL_CTL_ADD, f.get(), &ev), SyscallFailsWithErrno(EPERM));
}

TEST_F(EpollTest, CtlBadFdsFailEbadf) {
  const int closed = LowestFreeFd();
  EXPECT_THAT(Add(closed, EPOLLIN, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(Add(-1, EPOLLIN, 1), SyscallFailsWithErrno(EBADF));
  epoll_event ev{};
  ev.events = EPOLLIN;
  EXPECT_THAT(epoll_ctl(closed, EPOLL_CTL_ADD, p_.r.get(), &ev), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(epoll_ctl(-1, EPOLL_CTL_ADD, p_.r.get(), &ev), SyscallFailsWithErrno(EBADF));
}

TEST_F(EpollTest, CtlOnANonEpollFdFailsEinval) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  EXPECT_THAT(epoll_ctl(p_.w.get(), EPOLL_CTL_ADD, p_.r.get(), &ev),
              SyscallFailsWithErrno(EINVAL));
  // But a bad target fd is found first.
  EXPECT_THAT(epoll_ctl(p_.w.get(), EPOLL_CTL_ADD, LowestFreeFd(), &ev),
              SyscallFailsWithErrno(EBADF));
}

TEST_F(EpollTest, CtlBadEventPointerFailsEfaultFirst) {
  auto* bad = reinterpret_cast<epoll_event*>(8);
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_ADD, p_.r.get(), bad), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(epoll_ctl(LowestFreeFd(), EPOLL_CTL_ADD, p_.r.get(), bad),
              SyscallFailsWithErrno(EFAULT));
  // DEL reads no event.
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_DEL, p_.r.get(), bad), SyscallFailsWithErrno(ENOENT));
}

TEST_F(EpollTest, CtlBadOpFailsEinval) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  EXPECT_THAT(epoll_ctl(ep_.get(), 42, p_.r.get(), &ev), SyscallFailsWithErrno(EINVAL));
}

TEST_F(EpollTest, CtlModWithEpollexclusiveFailsEinval) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  EXPECT_THAT(Mod(p_.r.get(), EPOLLIN | EPOLLEXCLUSIVE, 1), SyscallFailsWithErrno(EINVAL));
}

// ---- epoll_wait(2), epoll_pwait(2), epoll_pwait2(2) ----

TEST_F(EpollTest, WaitArgumentErrors) {
  EXPECT_THAT(epoll_wait(ep_.get(), evs_, 0, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_epoll_wait, ep_.get(), evs_, -1, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(epoll_wait(p_.r.get(), evs_, 1, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(epoll_wait(LowestFreeFd(), evs_, 1, 0), SyscallFailsWithErrno(EBADF));
}

TEST_F(EpollTest, EmptyInterestListTimesOutWithZero) {
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  EXPECT_THAT(epoll_wait(ep_.get(), evs_, 8, 20), SyscallSucceedsWithValue(0));
}

TEST_F(EpollTest, LevelTriggeredReportsWhileReady) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 0x1234567890abcdefULL), SyscallSucceeds());
  ASSERT_THAT(Add(p_.w.get(), EPOLLOUT, 7), SyscallSucceeds());
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].events, EPOLLOUT);
  EXPECT_EQ(evs_[0].data.u64, 7u);
  ASSERT_THAT(Mod(p_.w.get(), 0, 7), SyscallSucceeds());  // no interest left
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));

  ASSERT_THAT(write(p_.w.get(), "ab", 2), SyscallSucceedsWithValue(2));
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1)) << "round " << i;
    EXPECT_EQ(evs_[0].events, EPOLLIN);
    EXPECT_EQ(evs_[0].data.u64, 0x1234567890abcdefULL);
  }
  char buf[2];
  ASSERT_THAT(read(p_.r.get(), buf, 1), SyscallSucceedsWithValue(1));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  ASSERT_THAT(read(p_.r.get(), buf, 1), SyscallSucceedsWithValue(1));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
}

TEST_F(EpollTest, MaxeventsLimitsTheCount) {
  ASSERT_THAT(Add(p_.w.get(), EPOLLOUT, 1), SyscallSucceeds());
  ScopedFd d(dup(p_.w.get()));
  ASSERT_THAT(d.get(), SyscallSucceeds());
  ASSERT_THAT(Add(d.get(), EPOLLOUT, 2), SyscallSucceeds());
  EXPECT_THAT(WaitNow(8), SyscallSucceedsWithValue(2));
  EXPECT_THAT(WaitNow(1), SyscallSucceedsWithValue(1));
}

TEST_F(EpollTest, HangupAndErrorAreAlwaysReported) {
  Pipe q;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&q));
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  ASSERT_THAT(Add(q.w.get(), EPOLLOUT, 2), SyscallSucceeds());
  p_.w.reset();
  q.r.reset();
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(2));
  for (int i = 0; i < 2; ++i) {
    if (evs_[i].data.u64 == 1) {
      EXPECT_EQ(evs_[i].events, EPOLLHUP);
    } else {
      EXPECT_EQ(evs_[i].data.u64, 2u);
      EXPECT_EQ(evs_[i].events, EPOLLOUT | EPOLLERR);
    }
  }
}

TEST_F(EpollTest, EdgeTriggeredReportsOnceUntilNewData) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN | EPOLLET, 5), SyscallSucceeds());
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].events, EPOLLIN);
  EXPECT_EQ(evs_[0].data.u64, 5u);
  // Still readable, but no new edge.
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  EXPECT_THAT(epoll_wait(ep_.get(), evs_, 8, 20), SyscallSucceedsWithValue(0));
  // New data is a new edge, although the pipe never stopped being readable.
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].events, EPOLLIN);
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  // Draining it brings nothing.
  char buf[8];
  ASSERT_THAT(read(p_.r.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(2));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
}

TEST_F(EpollTest, EdgeTriggeredIgnoresChangesOutsideTheInterest) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN | EPOLLET, 5), SyscallSucceeds());
  ASSERT_THAT(write(p_.w.get(), "ab", 2), SyscallSucceedsWithValue(2));
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  // A read that leaves data makes room (an EPOLLOUT change), which this
  // entry is not interested in: no new edge.
  char c;
  ASSERT_THAT(read(p_.r.get(), &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  // The same for an eventfd in semaphore mode.
  ScopedFd efd(eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK));
  ASSERT_THAT(efd.get(), SyscallSucceeds());
  ASSERT_THAT(Add(efd.get(), EPOLLIN | EPOLLET, 6), SyscallSucceeds());
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].data.u64, 6u);
  uint64_t v;
  ASSERT_THAT(read(efd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
}

TEST_F(EpollTest, OneshotReportsOnceUntilRearmedByMod) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN | EPOLLONESHOT, 9), SyscallSucceeds());
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].events, EPOLLIN);
  EXPECT_EQ(evs_[0].data.u64, 9u);
  // Disabled: neither the data left nor new data is reported.
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  // The entry is still there.
  EXPECT_THAT(Add(p_.r.get(), EPOLLIN, 9), SyscallFailsWithErrno(EEXIST));
  // MOD re-arms it, with the new data value.
  ASSERT_THAT(Mod(p_.r.get(), EPOLLIN | EPOLLONESHOT, 10), SyscallSucceeds());
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].data.u64, 10u);
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  // Re-armed without EPOLLONESHOT it is level-triggered again.
  ASSERT_THAT(Mod(p_.r.get(), EPOLLIN, 11), SyscallSucceeds());
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
}

TEST_F(EpollTest, BlockingWaitWokenByAnotherThreadsWrite) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 3), SyscallSucceeds());
  const int w = p_.w.get();
  {
    Later later([w] {
      char c = 'x';
      (void)!write(w, &c, 1);
    });
    EXPECT_THAT(RetryEINTR(epoll_wait)(ep_.get(), evs_, 8, -1), SyscallSucceedsWithValue(1));
  }
  EXPECT_EQ(evs_[0].events, EPOLLIN);
  EXPECT_EQ(evs_[0].data.u64, 3u);
}

TEST_F(EpollTest, PwaitSignalMaskAppliesDuringTheWaitOnly) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 3), SyscallSucceeds());
  PendingUsr1 sig;
  sigset_t m = sig.WaitMask();
  EXPECT_THAT(epoll_pwait(ep_.get(), evs_, 8, -1, &m), SyscallFailsWithErrno(EINTR));
  EXPECT_EQ(usr1_count.load(), 1);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
  // Ready and with no mask: the events.
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  EXPECT_THAT(epoll_pwait(ep_.get(), evs_, 8, 0, nullptr), SyscallSucceedsWithValue(1));
  // Ready, with a signal pending that the mask lets through: the events,
  // and the signal stays pending.
  raise(SIGUSR1);
  EXPECT_THAT(epoll_pwait(ep_.get(), evs_, 8, -1, &m), SyscallSucceedsWithValue(1));
  EXPECT_EQ(usr1_count.load(), 1);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
  sigset_t pending;
  ASSERT_THAT(sigpending(&pending), SyscallSucceeds());
  EXPECT_TRUE(sigismember(&pending, SIGUSR1));
  // A wrong sigset size is EINVAL.
  EXPECT_THAT(syscall(SYS_epoll_pwait, ep_.get(), evs_, 8, 0, &m, 4),
              SyscallFailsWithErrno(EINVAL));
}

TEST_F(EpollTest, Pwait2TakesATimespec) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 4), SyscallSucceeds());
  timespec ts{0, 0};
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, &ts, nullptr), SyscallSucceedsWithValue(0));
  ts = {0, 20 * 1000 * 1000};
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, &ts, nullptr), SyscallSucceedsWithValue(0));
  ts = {0, 1000000000};
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, &ts, nullptr), SyscallFailsWithErrno(EINVAL));
  ts = {-1, 0};
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, &ts, nullptr), SyscallFailsWithErrno(EINVAL));
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  ts = {0, 0};
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, &ts, nullptr), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].data.u64, 4u);
  // A null timeout blocks until ready: ready already.
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, nullptr, nullptr), SyscallSucceedsWithValue(1));
}

TEST_F(EpollTest, Pwait2SignalMaskAppliesDuringTheWaitOnly) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 3), SyscallSucceeds());
  PendingUsr1 sig;
  sigset_t m = sig.WaitMask();
  EXPECT_THAT(RawEpollPwait2(ep_.get(), evs_, 8, nullptr, &m), SyscallFailsWithErrno(EINTR));
  EXPECT_EQ(usr1_count.load(), 1);
  EXPECT_TRUE(PendingUsr1::Usr1Blocked());
}

TEST_F(EpollTest, NestedEpollIsReadableWhenTheInnerHasEvents) {
  ScopedFd outer(epoll_create1(0));
  ASSERT_THAT(outer.get(), SyscallSucceeds());
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 77;
  ASSERT_THAT(epoll_ctl(outer.get(), EPOLL_CTL_ADD, ep_.get(), &ev), SyscallSucceeds());
  // Adding the outer one to the inner would make a loop.
  ev.data.u64 = 78;
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_ADD, outer.get(), &ev),
              SyscallFailsWithErrno(ELOOP));

  epoll_event got[4];
  EXPECT_THAT(epoll_wait(outer.get(), got, 4, 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(PollNow(ep_.get(), POLLIN | POLLOUT), 0);

  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  ASSERT_THAT(epoll_wait(outer.get(), got, 4, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(got[0].events, EPOLLIN);
  EXPECT_EQ(got[0].data.u64, 77u);
  // poll(2) sees the inner epoll readable, never writable.
  EXPECT_EQ(PollNow(ep_.get(), POLLIN | POLLOUT), POLLIN);
  // The inner still holds its event.
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(1));

  char c;
  ASSERT_THAT(read(p_.r.get(), &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_THAT(epoll_wait(outer.get(), got, 4, 0), SyscallSucceedsWithValue(0));
}

TEST_F(EpollTest, NestedEpollWokenByAnotherThreadsWrite) {
  ScopedFd outer(epoll_create1(0));
  ASSERT_THAT(outer.get(), SyscallSucceeds());
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 77;
  ASSERT_THAT(epoll_ctl(outer.get(), EPOLL_CTL_ADD, ep_.get(), &ev), SyscallSucceeds());
  const int w = p_.w.get();
  epoll_event got[4];
  {
    Later later([w] {
      char c = 'x';
      (void)!write(w, &c, 1);
    });
    EXPECT_THAT(RetryEINTR(epoll_wait)(outer.get(), got, 4, -1), SyscallSucceedsWithValue(1));
  }
  EXPECT_EQ(got[0].data.u64, 77u);
}

TEST_F(EpollTest, EntryGoesAwayWithTheFilesLastFd) {
  ScopedFd efd(eventfd(1, 0));  // always readable
  ASSERT_THAT(efd.get(), SyscallSucceeds());
  const int num = efd.get();
  ASSERT_THAT(Add(num, EPOLLIN, 42), SyscallSucceeds());
  ScopedFd d(dup(num));
  ASSERT_THAT(d.get(), SyscallSucceeds());
  // Another fd still refers to the file: the entry stays and fires, but it
  // can no longer be named by the closed number.
  efd.reset();
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].data.u64, 42u);
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_DEL, num, nullptr), SyscallFailsWithErrno(EBADF));
  // The last fd closed: the entry is gone.
  d.reset();
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  // The number, reused for a new file, can be added again.
  ScopedFd again(eventfd(1, 0));
  ASSERT_THAT(again.get(), SyscallSucceedsWithValue(num));
  EXPECT_THAT(Add(num, EPOLLIN, 43), SyscallSucceeds());
  ASSERT_THAT(WaitNow(), SyscallSucceedsWithValue(1));
  EXPECT_EQ(evs_[0].data.u64, 43u);
}

TEST_F(EpollTest, WatchedPipeEndClosedBeforeTheOtherEnd) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  p_.r.reset();  // the entry goes; the pipe lives on with its write end
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  {
    // EPIPE, without the SIGPIPE that would end the test.
    struct sigaction ign = {}, old = {};
    ign.sa_handler = SIG_IGN;
    ASSERT_THAT(sigaction(SIGPIPE, &ign, &old), SyscallSucceeds());
    char c = 'x';
    EXPECT_THAT(write(p_.w.get(), &c, 1), SyscallFailsWithErrno(EPIPE));
    ASSERT_THAT(sigaction(SIGPIPE, &old, nullptr), SyscallSucceeds());
  }
  p_.w.reset();  // the pipe goes
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  // The same with the epoll closed first.
  Pipe q;
  ASSERT_NO_FATAL_FAILURE(MakePipe(&q));
  ASSERT_THAT(Add(q.r.get(), EPOLLIN, 2), SyscallSucceeds());
  q.r.reset();
  ep_.reset();
  q.w.reset();
}

TEST_F(EpollTest, ClosedFileCanBeReplacedAtOnce) {
  // Close a watched eventfd and make another at the same fd number, with
  // no epoll call in between: the new one is a new file.
  for (int i = 0; i < 20; ++i) {
    ScopedFd efd(eventfd(0, 0));
    ASSERT_THAT(efd.get(), SyscallSucceeds());
    ASSERT_THAT(Add(efd.get(), EPOLLIN, 1), SyscallSucceeds()) << "round " << i;
  }
  EXPECT_THAT(WaitNow(), SyscallSucceedsWithValue(0));
  ScopedFd efd(eventfd(0, 0));
  ASSERT_THAT(efd.get(), SyscallSucceeds());
  EXPECT_THAT(Mod(efd.get(), EPOLLIN, 1), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(epoll_ctl(ep_.get(), EPOLL_CTL_DEL, efd.get(), nullptr),
              SyscallFailsWithErrno(ENOENT));
}

TEST_F(EpollTest, ClosingTheEpollFdLeavesTheFilesAlone) {
  ASSERT_THAT(Add(p_.r.get(), EPOLLIN, 1), SyscallSucceeds());
  ep_.reset();
  ASSERT_NO_FATAL_FAILURE(WriteByte(p_.w.get()));
  EXPECT_EQ(PollNow(p_.r.get(), POLLIN), POLLIN);
}

// ---- eventfd(2), eventfd2(2) ----

uint64_t ReadCount(int fd) {
  uint64_t v = 0;
  if (read(fd, &v, sizeof(v)) != sizeof(v)) return ~uint64_t{0};
  return v;
}

TEST(EventfdTest, ReadTakesTheWholeCount) {
  ScopedFd fd(eventfd(5, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(ReadCount(fd.get()), 5u);
  uint64_t v;
  EXPECT_THAT(read(fd.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
  // Writes add up.
  v = 3;
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  v = 4;
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_EQ(ReadCount(fd.get()), 7u);
  // Writing 0 is allowed and changes nothing.
  v = 0;
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_THAT(read(fd.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
}

TEST(EventfdTest, SemaphoreReadsOneAtATime) {
  ScopedFd fd(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(ReadCount(fd.get()), 1u) << "read " << i;
  uint64_t v;
  EXPECT_THAT(read(fd.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
  v = 2;
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_EQ(ReadCount(fd.get()), 1u);
  EXPECT_EQ(ReadCount(fd.get()), 1u);
  EXPECT_THAT(read(fd.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
}

TEST(EventfdTest, NonblockFlagAndCloexec) {
  ScopedFd a(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(a.get(), F_GETFL), SyscallSucceedsWithValue(O_RDWR | O_NONBLOCK));
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  uint64_t v;
  EXPECT_THAT(read(a.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
  ScopedFd b(eventfd(0, 0));
  ASSERT_THAT(b.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(b.get(), F_GETFL), SyscallSucceedsWithValue(O_RDWR));
  EXPECT_THAT(fcntl(b.get(), F_GETFD), SyscallSucceedsWithValue(0));
  // O_NONBLOCK set later with F_SETFL works as well.
  ASSERT_THAT(fcntl(b.get(), F_SETFL, O_NONBLOCK), SyscallSucceeds());
  EXPECT_THAT(read(b.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
}

TEST(EventfdTest, BadFlagsFailEinval) {
  EXPECT_THAT(syscall(SYS_eventfd2, 0, O_APPEND), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_eventfd2, 0, ~0), SyscallFailsWithErrno(EINVAL));
}

TEST(EventfdTest, OldEventfdTakesNoFlags) {
  ScopedFd fd(static_cast<int>(syscall(SYS_eventfd, 2)));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(fd.get(), F_GETFL), SyscallSucceedsWithValue(O_RDWR));
  EXPECT_THAT(fcntl(fd.get(), F_GETFD), SyscallSucceedsWithValue(0));
  EXPECT_EQ(ReadCount(fd.get()), 2u);
}

TEST(EventfdTest, BuffersUnderEightBytesFailEinval) {
  ScopedFd fd(eventfd(1, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  char buf[16] = {};
  EXPECT_THAT(read(fd.get(), buf, 7), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(read(fd.get(), buf, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(write(fd.get(), buf, 7), SyscallFailsWithErrno(EINVAL));
  // The count is untouched; a larger buffer gets 8 bytes.
  EXPECT_THAT(read(fd.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(8));
  uint64_t v;
  memcpy(&v, buf, sizeof(v));
  EXPECT_EQ(v, 1u);
  // (A write of more than 8 bytes is not checked: Linux 6.9 and later
  // refuse it with EINVAL, older kernels take the first 8.)
}

TEST(EventfdTest, WritingAllOnesFailsEinval) {
  ScopedFd fd(eventfd(0, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  uint64_t v = ~uint64_t{0};
  EXPECT_THAT(write(fd.get(), &v, sizeof(v)), SyscallFailsWithErrno(EINVAL));
}

TEST(EventfdTest, OverflowingWriteFailsEagainWhenNonblocking) {
  ScopedFd fd(eventfd(0, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  uint64_t v = 0xfffffffffffffffeULL;  // the largest count
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_EQ(PollNow(fd.get(), POLLIN | POLLOUT), POLLIN);
  v = 1;
  EXPECT_THAT(write(fd.get(), &v, sizeof(v)), SyscallFailsWithErrno(EAGAIN));
  EXPECT_EQ(ReadCount(fd.get()), 0xfffffffffffffffeULL);
  EXPECT_EQ(PollNow(fd.get(), POLLIN | POLLOUT), POLLOUT);
  // After a read it fits.
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
}

TEST(EventfdTest, PollinWhenNonzeroPolloutWhenAWriteFits) {
  ScopedFd fd(eventfd(0, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(PollNow(fd.get(), POLLIN | POLLOUT), POLLOUT);
  uint64_t v = 1;
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_EQ(PollNow(fd.get(), POLLIN | POLLOUT), POLLIN | POLLOUT);
  EXPECT_EQ(PollNow(fd.get(), POLLIN), POLLIN);
  EXPECT_EQ(ReadCount(fd.get()), 1u);
  EXPECT_EQ(PollNow(fd.get(), POLLIN | POLLOUT), POLLOUT);
}

TEST(EventfdTest, EpollSeesTheCounter) {
  ScopedFd ep(epoll_create1(0));
  ASSERT_THAT(ep.get(), SyscallSucceeds());
  ScopedFd fd(eventfd(0, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u64 = 1;
  ASSERT_THAT(epoll_ctl(ep.get(), EPOLL_CTL_ADD, fd.get(), &ev), SyscallSucceeds());
  epoll_event got[2];
  EXPECT_THAT(epoll_wait(ep.get(), got, 2, 0), SyscallSucceedsWithValue(0));
  uint64_t v = 1;
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_THAT(epoll_wait(ep.get(), got, 2, 0), SyscallSucceedsWithValue(1));
  EXPECT_THAT(epoll_wait(ep.get(), got, 2, 0), SyscallSucceedsWithValue(0));
  // Each write is a new edge.
  ASSERT_THAT(write(fd.get(), &v, sizeof(v)), SyscallSucceedsWithValue(8));
  EXPECT_THAT(epoll_wait(ep.get(), got, 2, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(got[0].events, EPOLLIN);
}

TEST(EventfdTest, BlockingReadWokenByAnotherThreadsWrite) {
  ScopedFd fd(eventfd(0, 0));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  const int f = fd.get();
  uint64_t got = 0;
  {
    Later later([f] {
      uint64_t v = 9;
      (void)!write(f, &v, sizeof(v));
    });
    EXPECT_THAT(RetryEINTR(read)(f, &got, sizeof(got)), SyscallSucceedsWithValue(8));
  }
  EXPECT_EQ(got, 9u);
}

TEST(EventfdTest, BlockingPollWokenByAnotherThreadsWrite) {
  ScopedFd fd(eventfd(0, EFD_NONBLOCK));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  const int f = fd.get();
  pollfd p{f, POLLIN, 0};
  {
    Later later([f] {
      uint64_t v = 1;
      (void)!write(f, &v, sizeof(v));
    });
    EXPECT_THAT(RetryEINTR(poll)(&p, 1, -1), SyscallSucceedsWithValue(1));
  }
  EXPECT_EQ(p.revents, POLLIN);
}

}  // namespace
}  // namespace test_util
