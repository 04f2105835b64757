// Signal dispositions and masks, without handlers: rt_sigaction(2) with
// SIG_DFL and SIG_IGN, rt_sigprocmask(2), rt_sigpending(2), and kill(2),
// tgkill(2) and tkill(2) aimed at the process itself.
//
// Natively the test runs as PID 1 of a fresh PID namespace, where a signal
// whose default action is fatal is dropped rather than acted on; in the
// sandbox it would end the process. So no test ever lets such a signal be
// delivered with SIG_DFL: signals sent to self are ignored, blocked, or
// ignored by default (SIGCHLD), and a blocked one is only unblocked after its
// disposition is SIG_IGN.
//
// The raw calls use the kernel's struct sigaction and an 8-byte sigset, so
// that libc's own bookkeeping (SA_RESTORER, its reserved signals) stays out.
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// The x86-64 kernel's struct sigaction (include/linux/signal_types.h).
struct KernelSigaction {
  uintptr_t handler;
  uint64_t flags;
  uintptr_t restorer;
  uint64_t mask;
};

constexpr size_t kSigsetSize = 8;

uint64_t Bit(int sig) { return uint64_t{1} << (sig - 1); }

const uintptr_t kDfl = reinterpret_cast<uintptr_t>(SIG_DFL);
const uintptr_t kIgn = reinterpret_cast<uintptr_t>(SIG_IGN);

long Sigaction(int sig, const KernelSigaction* act, KernelSigaction* old,
               size_t size = kSigsetSize) {
  return syscall(SYS_rt_sigaction, sig, act, old, size);
}

long Sigprocmask(int how, const uint64_t* set, uint64_t* old, size_t size = kSigsetSize) {
  return syscall(SYS_rt_sigprocmask, how, set, old, size);
}

long Sigpending(uint64_t* set, size_t size = kSigsetSize) {
  return syscall(SYS_rt_sigpending, set, size);
}

// The current signal mask (all ones if it cannot be read).
uint64_t Mask() {
  uint64_t m = ~uint64_t{0};
  Sigprocmask(SIG_BLOCK, nullptr, &m);
  return m;
}

// The pending (and blocked) signals (all ones if they cannot be read).
uint64_t Pending() {
  uint64_t p = ~uint64_t{0};
  Sigpending(&p);
  return p;
}

uintptr_t Handler(int sig) {
  KernelSigaction old = {};
  old.handler = 12345;
  if (Sigaction(sig, nullptr, &old) != 0) return 12345;
  return old.handler;
}

long SetHandler(int sig, uintptr_t handler) {
  KernelSigaction act = {};
  act.handler = handler;
  return Sigaction(sig, &act, nullptr);
}

// On scope exit: makes `sig` ignored (discarding it if pending), restores the
// signal mask, then restores the disposition. In that order, a signal left
// pending by a failed assertion is never delivered with SIG_DFL.
class SignalStateRestorer {
 public:
  explicit SignalStateRestorer(int sig) : sig_(sig), mask_(Mask()) {
    Sigaction(sig_, nullptr, &action_);
  }
  ~SignalStateRestorer() {
    SetHandler(sig_, kIgn);
    Sigprocmask(SIG_SETMASK, &mask_, nullptr);
    Sigaction(sig_, &action_, nullptr);
  }

 private:
  int sig_;
  uint64_t mask_;
  KernelSigaction action_ = {};
};

// rt_sigaction(2)

TEST(SigactionTest, DefaultDispositionIsSigDfl) {
  EXPECT_EQ(Handler(SIGUSR1), kDfl);
  EXPECT_EQ(Handler(SIGUSR2), kDfl);
}

TEST(SigactionTest, SetIgnAndReadItBack) {
  SignalStateRestorer restore(SIGUSR1);
  KernelSigaction act = {};
  act.handler = kIgn;
  act.flags = SA_RESTART;
  act.mask = Bit(SIGUSR2) | Bit(SIGTERM);
  KernelSigaction old = {};
  old.handler = 12345;
  ASSERT_THAT(Sigaction(SIGUSR1, &act, &old), SyscallSucceedsWithValue(0));
  // The old action is returned by the call that replaces it.
  EXPECT_EQ(old.handler, kDfl);

  KernelSigaction now = {};
  ASSERT_THAT(Sigaction(SIGUSR1, nullptr, &now), SyscallSucceedsWithValue(0));
  EXPECT_EQ(now.handler, kIgn);
  EXPECT_EQ(now.flags, static_cast<uint64_t>(SA_RESTART));
  EXPECT_EQ(now.mask, Bit(SIGUSR2) | Bit(SIGTERM));

  ASSERT_THAT(SetHandler(SIGUSR1, kDfl), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Handler(SIGUSR1), kDfl);
}

TEST(SigactionTest, MaskCannotHoldSigkillOrSigstop) {
  SignalStateRestorer restore(SIGUSR1);
  KernelSigaction act = {};
  act.handler = kIgn;
  act.mask = ~uint64_t{0};
  ASSERT_THAT(Sigaction(SIGUSR1, &act, nullptr), SyscallSucceedsWithValue(0));
  KernelSigaction now = {};
  ASSERT_THAT(Sigaction(SIGUSR1, nullptr, &now), SyscallSucceedsWithValue(0));
  EXPECT_EQ(now.mask, ~(Bit(SIGKILL) | Bit(SIGSTOP)));
}

TEST(SigactionTest, SigkillAndSigstopCannotBeChanged) {
  for (int sig : {SIGKILL, SIGSTOP}) {
    EXPECT_THAT(SetHandler(sig, kIgn), SyscallFailsWithErrno(EINVAL)) << "signal " << sig;
    EXPECT_THAT(SetHandler(sig, kDfl), SyscallFailsWithErrno(EINVAL)) << "signal " << sig;
    // But they can be read.
    KernelSigaction old = {};
    old.handler = 12345;
    EXPECT_THAT(Sigaction(sig, nullptr, &old), SyscallSucceedsWithValue(0)) << "signal " << sig;
    EXPECT_EQ(old.handler, kDfl) << "signal " << sig;
  }
}

TEST(SigactionTest, InvalidSignalFailsEinval) {
  KernelSigaction act = {};
  act.handler = kIgn;
  KernelSigaction old = {};
  for (int sig : {0, 65, -1, 1000}) {
    EXPECT_THAT(Sigaction(sig, &act, nullptr), SyscallFailsWithErrno(EINVAL)) << "signal " << sig;
    EXPECT_THAT(Sigaction(sig, nullptr, &old), SyscallFailsWithErrno(EINVAL)) << "signal " << sig;
  }
  // 64 is the last one.
  EXPECT_THAT(Sigaction(64, nullptr, &old), SyscallSucceedsWithValue(0));
}

TEST(SigactionTest, BadSigsetsizeFailsEinval) {
  KernelSigaction old = {};
  for (size_t size : {size_t{0}, size_t{4}, size_t{7}, size_t{9}, size_t{16}}) {
    EXPECT_THAT(Sigaction(SIGUSR1, nullptr, &old, size), SyscallFailsWithErrno(EINVAL))
        << "size " << size;
  }
}

TEST(SigactionTest, BadPointersFailEfault) {
  EXPECT_THAT(Sigaction(SIGUSR1, reinterpret_cast<const KernelSigaction*>(1), nullptr),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Sigaction(SIGUSR1, nullptr, reinterpret_cast<KernelSigaction*>(1)),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_EQ(Handler(SIGUSR1), kDfl);
}

// rt_sigprocmask(2)

TEST(SigprocmaskTest, BlockUnblockSetmaskRoundTrip) {
  SignalStateRestorer restore(SIGUSR1);
  const uint64_t initial = Mask();
  ASSERT_EQ(initial & (Bit(SIGUSR1) | Bit(SIGUSR2)), 0u);

  uint64_t set = Bit(SIGUSR1), old = 0;
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceedsWithValue(0));
  EXPECT_EQ(old, initial);
  EXPECT_EQ(Mask(), initial | Bit(SIGUSR1));

  set = Bit(SIGUSR2);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceedsWithValue(0));
  EXPECT_EQ(old, initial | Bit(SIGUSR1));
  EXPECT_EQ(Mask(), initial | Bit(SIGUSR1) | Bit(SIGUSR2));

  set = Bit(SIGUSR1);
  ASSERT_THAT(Sigprocmask(SIG_UNBLOCK, &set, &old), SyscallSucceedsWithValue(0));
  EXPECT_EQ(old, initial | Bit(SIGUSR1) | Bit(SIGUSR2));
  EXPECT_EQ(Mask(), initial | Bit(SIGUSR2));

  set = Bit(SIGTERM) | Bit(SIGRTMIN + 1);
  ASSERT_THAT(Sigprocmask(SIG_SETMASK, &set, &old), SyscallSucceedsWithValue(0));
  EXPECT_EQ(old, initial | Bit(SIGUSR2));
  EXPECT_EQ(Mask(), Bit(SIGTERM) | Bit(SIGRTMIN + 1));

  ASSERT_THAT(Sigprocmask(SIG_SETMASK, &initial, nullptr), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Mask(), initial);
}

TEST(SigprocmaskTest, SigkillAndSigstopCannotBeBlocked) {
  SignalStateRestorer restore(SIGUSR1);
  const uint64_t all = ~uint64_t{0};
  ASSERT_THAT(Sigprocmask(SIG_SETMASK, &all, nullptr), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Mask(), ~(Bit(SIGKILL) | Bit(SIGSTOP)));
  const uint64_t kill_stop = Bit(SIGKILL) | Bit(SIGSTOP);
  ASSERT_THAT(Sigprocmask(SIG_SETMASK, &kill_stop, nullptr), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Mask(), 0u);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &kill_stop, nullptr), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Mask(), 0u);
}

TEST(SigprocmaskTest, InvalidHowFailsEinval) {
  const uint64_t initial = Mask();
  uint64_t set = Bit(SIGUSR1);
  EXPECT_THAT(Sigprocmask(3, &set, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Sigprocmask(-1, &set, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(Mask(), initial);
  // Without a new set, `how` is not looked at.
  uint64_t old = 0;
  EXPECT_THAT(Sigprocmask(3, nullptr, &old), SyscallSucceedsWithValue(0));
  EXPECT_EQ(old, initial);
}

TEST(SigprocmaskTest, BadSigsetsizeFailsEinval) {
  uint64_t old = 0;
  for (size_t size : {size_t{0}, size_t{4}, size_t{16}}) {
    EXPECT_THAT(Sigprocmask(SIG_BLOCK, nullptr, &old, size), SyscallFailsWithErrno(EINVAL))
        << "size " << size;
  }
}

TEST(SigprocmaskTest, BadPointersFailEfault) {
  const uint64_t initial = Mask();
  EXPECT_THAT(Sigprocmask(SIG_BLOCK, reinterpret_cast<const uint64_t*>(1), nullptr),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Sigprocmask(SIG_BLOCK, nullptr, reinterpret_cast<uint64_t*>(1)),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_EQ(Mask(), initial);
}

// rt_sigpending(2)

TEST(SigpendingTest, NothingPending) {
  EXPECT_EQ(Pending(), 0u);
}

TEST(SigpendingTest, SizeLargerThanASigsetFailsEinval) {
  uint64_t set[2] = {};
  EXPECT_THAT(Sigpending(set, 16), SyscallFailsWithErrno(EINVAL));
  // A smaller size is a shorter copy.
  EXPECT_THAT(Sigpending(set, 4), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Sigpending(reinterpret_cast<uint64_t*>(1)), SyscallFailsWithErrno(EFAULT));
}

// kill(2), tgkill(2), tkill(2)

TEST(KillTest, SignalZeroChecksExistence) {
  EXPECT_THAT(kill(getpid(), 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(kill(99999, 0), SyscallFailsWithErrno(ESRCH));
}

TEST(KillTest, InvalidSignalFailsEinval) {
  EXPECT_THAT(kill(getpid(), 65), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(kill(getpid(), -1), SyscallFailsWithErrno(EINVAL));
}

TEST(KillTest, IgnoredSignalToSelfIsDropped) {
  SignalStateRestorer restore(SIGUSR1);
  ASSERT_THAT(SetHandler(SIGUSR1, kIgn), SyscallSucceedsWithValue(0));
  ASSERT_THAT(kill(getpid(), SIGUSR1), SyscallSucceedsWithValue(0));
  // Still here, and nothing is left pending, even once blocked.
  const uint64_t set = Bit(SIGUSR1);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  EXPECT_EQ(Pending() & Bit(SIGUSR1), 0u);
}

TEST(KillTest, BlockedSignalIsPendingAndSigIgnDiscardsIt) {
  SignalStateRestorer restore(SIGUSR1);
  const uint64_t set = Bit(SIGUSR1);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  ASSERT_THAT(kill(getpid(), SIGUSR1), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), Bit(SIGUSR1));
  // Setting SIG_IGN discards a pending signal.
  ASSERT_THAT(SetHandler(SIGUSR1, kIgn), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending() & Bit(SIGUSR1), 0u);
}

TEST(KillTest, BlockedSignalIsQueuedEvenIfIgnored) {
  // Linux never drops a blocked signal on sending: the disposition may
  // change before it is unblocked.
  SignalStateRestorer restore(SIGUSR1);
  ASSERT_THAT(SetHandler(SIGUSR1, kIgn), SyscallSucceedsWithValue(0));
  const uint64_t set = Bit(SIGUSR1);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  ASSERT_THAT(kill(getpid(), SIGUSR1), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), Bit(SIGUSR1));
  // Setting SIG_IGN (again) discards it.
  ASSERT_THAT(SetHandler(SIGUSR1, kIgn), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), 0u);
}

TEST(KillTest, SigchldIsIgnoredByDefault) {
  SignalStateRestorer restore(SIGCHLD);
  ASSERT_EQ(Handler(SIGCHLD), kDfl);
  ASSERT_THAT(kill(getpid(), SIGCHLD), SyscallSucceedsWithValue(0));
  // Still here, and it was dropped rather than left pending.
  const uint64_t set = Bit(SIGCHLD);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  EXPECT_EQ(Pending() & Bit(SIGCHLD), 0u);
}

TEST(KillTest, BlockedSigchldIsQueued) {
  SignalStateRestorer restore(SIGCHLD);
  const uint64_t set = Bit(SIGCHLD);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  ASSERT_THAT(kill(getpid(), SIGCHLD), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), Bit(SIGCHLD));
  ASSERT_THAT(SetHandler(SIGCHLD, kIgn), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), 0u);
}

long Tgkill(int tgid, int tid, int sig) { return syscall(SYS_tgkill, tgid, tid, sig); }

TEST(TgkillTest, SignalZeroChecksExistence) {
  EXPECT_THAT(Tgkill(getpid(), gettid(), 0), SyscallSucceedsWithValue(0));
  // The thread exists, but not in that thread group.
  EXPECT_THAT(Tgkill(99999, gettid(), 0), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(Tgkill(getpid() + 1, gettid(), 0), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(Tgkill(getpid(), 99999, 0), SyscallFailsWithErrno(ESRCH));
}

TEST(TgkillTest, InvalidArgumentsFailEinval) {
  EXPECT_THAT(Tgkill(0, gettid(), 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Tgkill(-1, gettid(), 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Tgkill(getpid(), 0, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Tgkill(getpid(), -1, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Tgkill(getpid(), gettid(), 65), SyscallFailsWithErrno(EINVAL));
}

TEST(TgkillTest, BlockedSignalIsPending) {
  SignalStateRestorer restore(SIGUSR2);
  const uint64_t set = Bit(SIGUSR2);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  ASSERT_THAT(Tgkill(getpid(), gettid(), SIGUSR2), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), Bit(SIGUSR2));
  ASSERT_THAT(SetHandler(SIGUSR2, kIgn), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), 0u);
}

TEST(TgkillTest, BlockedSignalIsQueuedEvenIfIgnored) {
  SignalStateRestorer restore(SIGUSR2);
  ASSERT_THAT(SetHandler(SIGUSR2, kIgn), SyscallSucceedsWithValue(0));
  const uint64_t set = Bit(SIGUSR2);
  ASSERT_THAT(Sigprocmask(SIG_BLOCK, &set, nullptr), SyscallSucceeds());
  ASSERT_THAT(Tgkill(getpid(), gettid(), SIGUSR2), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), Bit(SIGUSR2));
  ASSERT_THAT(SetHandler(SIGUSR2, kIgn), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Pending(), 0u);
}

TEST(TkillTest, SignalZeroChecksExistence) {
  EXPECT_THAT(syscall(SYS_tkill, gettid(), 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(syscall(SYS_tkill, 99999, 0), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(syscall(SYS_tkill, 0, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_tkill, gettid(), 65), SyscallFailsWithErrno(EINVAL));
}

}  // namespace
}  // namespace test_util
