// futex(2) with a single thread: FUTEX_WAIT and FUTEX_WAIT_BITSET that return
// at once (value mismatch, a deadline already past) or time out, FUTEX_WAKE
// and FUTEX_WAKE_BITSET with nobody waiting, and argument checking. Every
// case runs for both the process-private and the shared variants.
// Then the priority-inheritance operations and their word protocol (owner
// TID, FUTEX_WAITERS, FUTEX_OWNER_DIED), robust lists walked at thread exit,
// and glibc's PTHREAD_PRIO_INHERIT and robust mutexes built on them.
//
// Timeouts are checked for not returning early, never for returning soon: a
// lower bound is a property of the call, an upper bound only of the machine.
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::AnyOf;

long Futex(void* uaddr, int op, uint32_t val, const timespec* timeout = nullptr,
           uint32_t* uaddr2 = nullptr, uint32_t val3 = 0) {
  return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

int64_t NowNs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

timespec ToTimespec(int64_t ns) {
  return timespec{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
}

constexpr int64_t kTimeoutNs = 20 * 1000 * 1000;  // 20 ms

// The parameter is FUTEX_PRIVATE_FLAG or 0.
class FutexTest : public ::testing::TestWithParam<int> {
 protected:
  int Op(int cmd) const { return cmd | GetParam(); }
};

TEST_P(FutexTest, WaitWithValueMismatchFailsEagain) {
  uint32_t word = 1;
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 2), SyscallFailsWithErrno(EAGAIN));
  const timespec ts = ToTimespec(kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 0, &ts), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 2, nullptr, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(EAGAIN));
  // The whole 32-bit word is compared: the upper bits of val are ignored.
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 0xffffffffu), SyscallFailsWithErrno(EAGAIN));
}

TEST_P(FutexTest, WaitWithRelativeTimeoutTimesOut) {
  uint32_t word = 7;
  const timespec ts = ToTimespec(kTimeoutNs);
  const int64_t start = NowNs(CLOCK_MONOTONIC);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 7, &ts), SyscallFailsWithErrno(ETIMEDOUT));
  EXPECT_GE(NowNs(CLOCK_MONOTONIC) - start, kTimeoutNs);
  EXPECT_EQ(word, 7u);
}

TEST_P(FutexTest, WaitWithZeroTimeoutTimesOut) {
  uint32_t word = 7;
  const timespec ts = {0, 0};
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 7, &ts), SyscallFailsWithErrno(ETIMEDOUT));
}

TEST_P(FutexTest, RealtimeFlagWithWaitFailsEnosys) {
  // FUTEX_CLOCK_REALTIME is for the absolute timeouts of FUTEX_WAIT_BITSET
  // (and the PI waits). Linux 4.5 also let FUTEX_WAIT take it, which 5.13
  // reverted (commit 4fbf5d6837bf, "Revert 337f13046ff0"; in the stable
  // kernels too): the call is rejected before the futex word is looked at.
  uint32_t word = 7;
  const timespec ts = ToTimespec(kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT | FUTEX_CLOCK_REALTIME), 7, &ts),
              SyscallFailsWithErrno(ENOSYS));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT | FUTEX_CLOCK_REALTIME), 8, &ts),
              SyscallFailsWithErrno(ENOSYS));
}

TEST_P(FutexTest, WaitBitsetWithPastMonotonicDeadlineTimesOut) {
  uint32_t word = 7;
  // A deadline already past: read as a relative timeout, it would be the
  // machine's uptime.
  const timespec past = ToTimespec(NowNs(CLOCK_MONOTONIC) - 1000000);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 7, &past, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(ETIMEDOUT));
  const timespec zero = {0, 0};
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 7, &zero, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(ETIMEDOUT));
}

TEST_P(FutexTest, WaitBitsetWithMonotonicDeadlineWaitsUntilIt) {
  uint32_t word = 7;
  const int64_t deadline = NowNs(CLOCK_MONOTONIC) + kTimeoutNs;
  const timespec ts = ToTimespec(deadline);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 7, &ts, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(ETIMEDOUT));
  EXPECT_GE(NowNs(CLOCK_MONOTONIC), deadline);
}

TEST_P(FutexTest, WaitBitsetWithRealtimeDeadlineWaitsUntilIt) {
  uint32_t word = 7;
  const int64_t deadline = NowNs(CLOCK_REALTIME) + kTimeoutNs;
  const timespec ts = ToTimespec(deadline);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME), 7, &ts, nullptr,
                    FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(ETIMEDOUT));
  EXPECT_GE(NowNs(CLOCK_REALTIME), deadline);
}

TEST_P(FutexTest, WaitBitsetWithPastRealtimeDeadlineTimesOut) {
  uint32_t word = 7;
  const timespec past = ToTimespec(NowNs(CLOCK_REALTIME) - 1000000);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME), 7, &past, nullptr,
                    FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(ETIMEDOUT));
}

TEST_P(FutexTest, WakeWithNoWaitersWakesNobody) {
  uint32_t word = 0;
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE), 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE), INT_MAX), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE), 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE_BITSET), 1, nullptr, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallSucceedsWithValue(0));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE_BITSET), 1, nullptr, nullptr, 0x10),
              SyscallSucceedsWithValue(0));
}

TEST_P(FutexTest, UnalignedAddressFailsEinval) {
  alignas(8) uint32_t words[2] = {7, 7};
  char* unaligned = reinterpret_cast<char*>(words) + 1;
  const timespec ts = ToTimespec(kTimeoutNs);
  EXPECT_THAT(Futex(unaligned, Op(FUTEX_WAIT), 7, &ts), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(unaligned, Op(FUTEX_WAIT_BITSET), 7, &ts, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(unaligned, Op(FUTEX_WAKE), 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(reinterpret_cast<char*>(words) + 2, Op(FUTEX_WAKE), 1),
              SyscallFailsWithErrno(EINVAL));
}

TEST_P(FutexTest, ZeroBitsetFailsEinval) {
  uint32_t word = 7;
  const timespec ts = ToTimespec(kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 7, &ts, nullptr, 0),
              SyscallFailsWithErrno(EINVAL));
  // Even when the value does not match.
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 8, &ts, nullptr, 0),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE_BITSET), 1, nullptr, nullptr, 0),
              SyscallFailsWithErrno(EINVAL));
}

TEST_P(FutexTest, WaitOnBadPointerFailsEfault) {
  const timespec ts = ToTimespec(kTimeoutNs);
  EXPECT_THAT(Futex(nullptr, Op(FUTEX_WAIT), 0, &ts), SyscallFailsWithErrno(EFAULT));
  // An aligned address where nothing is mapped.
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize), SyscallSucceeds());
  void* gone = m.addr();
  m.Reset();
  EXPECT_THAT(Futex(gone, Op(FUTEX_WAIT), 0, &ts), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Futex(gone, Op(FUTEX_WAIT_BITSET), 0, &ts, nullptr, FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(EFAULT));
  // A PROT_NONE page cannot be read either.
  ASSERT_THAT(m.MapAnon(kPageSize, PROT_NONE), SyscallSucceeds());
  EXPECT_THAT(Futex(m.addr(), Op(FUTEX_WAIT), 0, &ts), SyscallFailsWithErrno(EFAULT));
  // A kernel address.
  EXPECT_THAT(Futex(reinterpret_cast<void*>(0xffff800000000000ull), Op(FUTEX_WAIT), 0, &ts),
              SyscallFailsWithErrno(EFAULT));
}

TEST(FutexPrivateTest, WaitOnReadOnlyMemoryWorks) {
  // A private futex word is only read. (A shared one on private anonymous
  // memory is not: Linux needs it writable to make a key, and fails EFAULT.)
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize, PROT_READ), SyscallSucceeds());
  EXPECT_THAT(Futex(m.addr(), FUTEX_WAIT_PRIVATE, 1), SyscallFailsWithErrno(EAGAIN));
  const timespec zero = {0, 0};
  EXPECT_THAT(Futex(m.addr(), FUTEX_WAIT_PRIVATE, 0, &zero), SyscallFailsWithErrno(ETIMEDOUT));
}

TEST_P(FutexTest, BadTimeoutPointerFailsEfault) {
  uint32_t word = 7;
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 7, reinterpret_cast<const timespec*>(1)),
              SyscallFailsWithErrno(EFAULT));
}

TEST_P(FutexTest, InvalidTimeoutFailsEinval) {
  uint32_t word = 7;
  const timespec too_many_ns = {0, 1000000000};
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 7, &too_many_ns), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT_BITSET), 7, &too_many_ns, nullptr,
                    FUTEX_BITSET_MATCH_ANY),
              SyscallFailsWithErrno(EINVAL));
  const timespec negative_ns = {0, -1};
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 7, &negative_ns), SyscallFailsWithErrno(EINVAL));
  const timespec negative_sec = {-1, 0};
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 7, &negative_sec), SyscallFailsWithErrno(EINVAL));
  // The timeout is checked before the value: a mismatch does not hide it.
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAIT), 8, &too_many_ns), SyscallFailsWithErrno(EINVAL));
}

TEST_P(FutexTest, RealtimeFlagWithWakeFailsEnosys) {
  uint32_t word = 0;
  EXPECT_THAT(Futex(&word, Op(FUTEX_WAKE | FUTEX_CLOCK_REALTIME), 1),
              SyscallFailsWithErrno(ENOSYS));
}

TEST_P(FutexTest, UnknownCommandFailsEnosys) {
  uint32_t word = 0;
  EXPECT_THAT(Futex(&word, Op(FUTEX_CMD_MASK), 0), SyscallFailsWithErrno(ENOSYS));
  EXPECT_THAT(Futex(&word, Op(14), 0), SyscallFailsWithErrno(ENOSYS));
}

TEST_P(FutexTest, CmpRequeueChecksTheWord) {
  uint32_t a = 1, b = 0;
  EXPECT_THAT(Futex(&a, Op(FUTEX_CMP_REQUEUE), 1, reinterpret_cast<const timespec*>(1), &b, 2),
              SyscallFailsWithErrno(EAGAIN));
  // No waiters: nothing woken or moved.
  EXPECT_THAT(Futex(&a, Op(FUTEX_CMP_REQUEUE), 1, reinterpret_cast<const timespec*>(1), &b, 1),
              SyscallSucceedsWithValue(0));
  EXPECT_THAT(Futex(&a, Op(FUTEX_REQUEUE), 1, reinterpret_cast<const timespec*>(1), &b),
              SyscallSucceedsWithValue(0));
}

TEST_P(FutexTest, RequeueMovesAWaiterToTheSecondWord) {
  static uint32_t a, b;
  a = 0;
  b = 0;
  static std::atomic<int> done;
  done = 0;
  std::thread waiter([&] {
    // Returns 0 when woken (on b, after the requeue).
    while (Futex(&a, Op(FUTEX_WAIT), 0) != 0 && errno == EINTR) {
    }
    done = 1;
  });
  // Wake nobody, move the waiter to b, then wake b. Repeat until the
  // waiter had started waiting on a (it may not have yet).
  while (!done) {
    long moved = Futex(&a, Op(FUTEX_CMP_REQUEUE), 0, reinterpret_cast<const timespec*>(1), &b, 0);
    if (moved == 1) {
      EXPECT_THAT(Futex(&b, Op(FUTEX_WAKE), 1), SyscallSucceedsWithValue(1));
      break;
    }
    usleep(1000);
  }
  waiter.join();
  EXPECT_EQ(done.load(), 1);
}

TEST_P(FutexTest, WakeOpUpdatesTheSecondWord) {
  uint32_t a = 0, b = 5;
  // FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5): b += 3; wake b if it was 5.
  uint32_t op = (FUTEX_OP_ADD << 28) | (FUTEX_OP_CMP_EQ << 24) | (3 << 12) | 5;
  EXPECT_THAT(Futex(&a, Op(FUTEX_WAKE_OP), 1, reinterpret_cast<const timespec*>(1), &b, op),
              SyscallSucceedsWithValue(0));
  EXPECT_EQ(b, 8u);
  // FUTEX_OP_OPARG_SHIFT: b |= 1 << 4.
  op = ((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT) << 28) | (FUTEX_OP_CMP_NE << 24) | (4 << 12);
  EXPECT_THAT(Futex(&a, Op(FUTEX_WAKE_OP), 1, reinterpret_cast<const timespec*>(1), &b, op),
              SyscallSucceedsWithValue(0));
  EXPECT_EQ(b, 24u);
}

// ---- Priority inheritance ----

pid_t Gettid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

// Polls (yielding) until pred() holds; false after ~20 s.
template <typename Pred>
bool WaitFor(Pred pred) {
  for (int i = 0; i < 200000; ++i) {
    if (pred()) return true;
    usleep(100);
  }
  return false;
}

// The TID of a thread that has exited (joined).
pid_t DeadTid() {
  pid_t tid = 0;
  std::thread th([&] { tid = Gettid(); });
  th.join();
  return tid;
}

// A thread that holds the PI lock `word` (taken in user space, as glibc
// does) until told to give it back with FUTEX_UNLOCK_PI.
class PiHolder {
 public:
  PiHolder(std::atomic<uint32_t>* word, int op_flags) : word_(word), flags_(op_flags) {
    th_ = std::thread([this] {
      uint32_t zero = 0;
      tid_ = Gettid();
      while (!word_->compare_exchange_strong(zero, static_cast<uint32_t>(tid_))) zero = 0;
      held_ = true;
      while (!release_) usleep(100);
      // A waiter set FUTEX_WAITERS, so user space cannot release it: the
      // kernel does, handing it over.
      uint32_t mine = tid_;
      if (!word_->compare_exchange_strong(mine, 0)) {
        unlock_result_ = Futex(word_, FUTEX_UNLOCK_PI | flags_, 0);
      }
    });
    while (!held_) usleep(100);
  }
  ~PiHolder() { Release(); }
  pid_t tid() const { return tid_; }
  void Release() {
    release_ = true;
    if (th_.joinable()) th_.join();
  }
  long unlock_result() const { return unlock_result_; }

 private:
  std::atomic<uint32_t>* word_;
  int flags_;
  std::thread th_;
  std::atomic<pid_t> tid_{0};
  std::atomic<bool> held_{false};
  std::atomic<bool> release_{false};
  std::atomic<long> unlock_result_{0};
};

TEST_P(FutexTest, LockPiTakesAFreeLockAndUnlockPiFreesIt) {
  std::atomic<uint32_t> word{0};
  ASSERT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), static_cast<uint32_t>(Gettid()));
  ASSERT_THAT(Futex(&word, Op(FUTEX_UNLOCK_PI), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), 0u);
  ASSERT_THAT(Futex(&word, Op(FUTEX_TRYLOCK_PI), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), static_cast<uint32_t>(Gettid()));
  ASSERT_THAT(Futex(&word, Op(FUTEX_UNLOCK_PI), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), 0u);
  // FUTEX_LOCK_PI2 too (Linux 5.14).
  ASSERT_THAT(Futex(&word, Op(FUTEX_LOCK_PI2), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), static_cast<uint32_t>(Gettid()));
  ASSERT_THAT(Futex(&word, Op(FUTEX_UNLOCK_PI), 0), SyscallSucceedsWithValue(0));
}

TEST_P(FutexTest, LockPiOnOwnLockFailsEdeadlk) {
  std::atomic<uint32_t> word{static_cast<uint32_t>(Gettid())};
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(EDEADLK));
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI2), 0), SyscallFailsWithErrno(EDEADLK));
  EXPECT_THAT(Futex(&word, Op(FUTEX_TRYLOCK_PI), 0), SyscallFailsWithErrno(EDEADLK));
  // The state bits do not change who the owner is.
  word = Gettid() | FUTEX_WAITERS;
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(EDEADLK));
  EXPECT_EQ(word.load(), Gettid() | FUTEX_WAITERS);
}

TEST_P(FutexTest, UnlockPiOfALockNotOwnedFailsEperm) {
  std::atomic<uint32_t> word{0};
  EXPECT_THAT(Futex(&word, Op(FUTEX_UNLOCK_PI), 0), SyscallFailsWithErrno(EPERM));
  PiHolder holder(&word, GetParam());
  EXPECT_THAT(Futex(&word, Op(FUTEX_UNLOCK_PI), 0), SyscallFailsWithErrno(EPERM));
  EXPECT_EQ(word.load(), static_cast<uint32_t>(holder.tid()));
}

TEST_P(FutexTest, TrylockPiOfAHeldLockFailsEagain) {
  std::atomic<uint32_t> word{0};
  PiHolder holder(&word, GetParam());
  EXPECT_THAT(Futex(&word, Op(FUTEX_TRYLOCK_PI), 0), SyscallFailsWithErrno(EAGAIN));
  EXPECT_EQ(word.load() & FUTEX_TID_MASK, static_cast<uint32_t>(holder.tid()));
  holder.Release();
  EXPECT_THAT(holder.unlock_result(), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), 0u);
}

TEST_P(FutexTest, LockPiWaitsForTheOwnerAndIsHandedTheLock) {
  std::atomic<uint32_t> word{0};
  PiHolder holder(&word, GetParam());
  std::atomic<long> result{-2};
  std::atomic<pid_t> waiter_tid{0};
  std::thread waiter([&] {
    waiter_tid = Gettid();
    result = Futex(&word, Op(FUTEX_LOCK_PI), 0);
  });
  // The waiter marks the word before it sleeps.
  ASSERT_TRUE(WaitFor([&] { return (word.load() & FUTEX_WAITERS) != 0; }));
  EXPECT_EQ(word.load() & FUTEX_TID_MASK, static_cast<uint32_t>(holder.tid()));
  EXPECT_EQ(result.load(), -2);
  holder.Release();
  waiter.join();
  EXPECT_THAT(holder.unlock_result(), SyscallSucceedsWithValue(0));
  EXPECT_THAT(result.load(), SyscallSucceedsWithValue(0));
  // Handed over: the new owner's TID, with FUTEX_WAITERS kept so that its
  // own release goes through the kernel.
  EXPECT_EQ(word.load() & FUTEX_TID_MASK, static_cast<uint32_t>(waiter_tid.load()));
  EXPECT_EQ(word.load() & FUTEX_OWNER_DIED, 0u);
}

TEST_P(FutexTest, LockPiTimesOutOnAbsoluteDeadlines) {
  std::atomic<uint32_t> word{0};
  PiHolder holder(&word, GetParam());
  // FUTEX_LOCK_PI: CLOCK_REALTIME, absolute.
  int64_t start = NowNs(CLOCK_REALTIME);
  timespec ts = ToTimespec(start + kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0, &ts), SyscallFailsWithErrno(ETIMEDOUT));
  EXPECT_GE(NowNs(CLOCK_REALTIME), start + kTimeoutNs);
  // FUTEX_LOCK_PI2: CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME.
  start = NowNs(CLOCK_MONOTONIC);
  ts = ToTimespec(start + kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI2), 0, &ts), SyscallFailsWithErrno(ETIMEDOUT));
  EXPECT_GE(NowNs(CLOCK_MONOTONIC), start + kTimeoutNs);
  start = NowNs(CLOCK_REALTIME);
  ts = ToTimespec(start + kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME), 0, &ts),
              SyscallFailsWithErrno(ETIMEDOUT));
  EXPECT_GE(NowNs(CLOCK_REALTIME), start + kTimeoutNs);
  // Deadlines already past, on each clock.
  ts = ToTimespec(NowNs(CLOCK_MONOTONIC) - kTimeoutNs);
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI2), 0, &ts), SyscallFailsWithErrno(ETIMEDOUT));
  ts = {1, 0};
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0, &ts), SyscallFailsWithErrno(ETIMEDOUT));
  // FUTEX_CLOCK_REALTIME is refused with LOCK_PI (its clock is fixed).
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME), 0, &ts),
              SyscallFailsWithErrno(ENOSYS));
  const timespec bad = {0, 1000000000};
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0, &bad), SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(word.load() & FUTEX_TID_MASK, static_cast<uint32_t>(holder.tid()));
}

TEST_P(FutexTest, LockPiOfADeadOwnerFailsEsrch) {
  const uint32_t dead = DeadTid();
  std::atomic<uint32_t> word{dead};
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(Futex(&word, Op(FUTEX_TRYLOCK_PI), 0), SyscallFailsWithErrno(ESRCH));
  // FUTEX_OWNER_DIED with the TID still there is no better.
  word = dead | FUTEX_OWNER_DIED;
  EXPECT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(ESRCH));
}

TEST_P(FutexTest, LockPiTakesAnOwnerDiedLockAndKeepsTheBit) {
  // What the robust list leaves of a dead owner's lock: no TID, the bit.
  std::atomic<uint32_t> word{FUTEX_OWNER_DIED};
  ASSERT_THAT(Futex(&word, Op(FUTEX_LOCK_PI), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), FUTEX_OWNER_DIED | static_cast<uint32_t>(Gettid()));
  // Releasing it (pthread_mutex_unlock of an inconsistent robust mutex does
  // this) clears everything.
  ASSERT_THAT(Futex(&word, Op(FUTEX_UNLOCK_PI), 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(word.load(), 0u);
}

TEST_P(FutexTest, PiOperationsCheckTheAddress) {
  EXPECT_THAT(Futex(nullptr, Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Futex(nullptr, Op(FUTEX_UNLOCK_PI), 0), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Futex(nullptr, Op(FUTEX_TRYLOCK_PI), 0), SyscallFailsWithErrno(EFAULT));
  uint32_t words[2] = {0, 0};
  void* odd = reinterpret_cast<char*>(words) + 1;
  EXPECT_THAT(Futex(odd, Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(EINVAL));
  // The lock word is written: read-only memory is refused.
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize, PROT_READ), SyscallSucceeds());
  EXPECT_THAT(Futex(m.addr(), Op(FUTEX_LOCK_PI), 0), SyscallFailsWithErrno(EFAULT));
}

TEST_P(FutexTest, CmpRequeuePiChecksItsArguments) {
  uint32_t cond = 0, mutex = 0;
  // uaddr == uaddr2, and nr_wake other than 1, are refused.
  EXPECT_THAT(Futex(&cond, Op(FUTEX_CMP_REQUEUE_PI), 1, reinterpret_cast<const timespec*>(1),
                    &cond, 0),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(&cond, Op(FUTEX_CMP_REQUEUE_PI), 2, reinterpret_cast<const timespec*>(1),
                    &mutex, 0),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(&cond, Op(FUTEX_CMP_REQUEUE_PI), 1, reinterpret_cast<const timespec*>(1),
                    &mutex, 5),
              SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(Futex(&cond, Op(FUTEX_CMP_REQUEUE_PI), 1, reinterpret_cast<const timespec*>(1),
                    &mutex, 0),
              SyscallSucceedsWithValue(0));
  EXPECT_THAT(Futex(&cond, Op(FUTEX_WAIT_REQUEUE_PI), 0, nullptr, &cond),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Futex(&cond, Op(FUTEX_WAIT_REQUEUE_PI), 1, nullptr, &mutex),
              SyscallFailsWithErrno(EAGAIN));
  const timespec zero = {0, 0};
  EXPECT_THAT(Futex(&cond, Op(FUTEX_WAIT_REQUEUE_PI), 0, &zero, &mutex),
              SyscallFailsWithErrno(ETIMEDOUT));
}

// The condition-variable protocol FUTEX_WAIT_REQUEUE_PI/FUTEX_CMP_REQUEUE_PI
// serve: waiters sleep on `cond`; the signaller moves them to the PI lock
// `mutex`, taking it for the first if it is free.
TEST_P(FutexTest, CmpRequeuePiHandsTheFreeLockToTheFirstWaiter) {
  std::atomic<uint32_t> cond{0}, mutex{0};
  std::atomic<long> result{-2};
  std::atomic<pid_t> waiter_tid{0};
  std::thread waiter([&] {
    waiter_tid = Gettid();
    result = Futex(&cond, Op(FUTEX_WAIT_REQUEUE_PI), 0, nullptr,
                   reinterpret_cast<uint32_t*>(&mutex));
  });
  long n = 0;
  ASSERT_TRUE(WaitFor([&] {
    n = Futex(&cond, Op(FUTEX_CMP_REQUEUE_PI), 1, reinterpret_cast<const timespec*>(0),
              reinterpret_cast<uint32_t*>(&mutex), 0);
    return n != 0;
  }));
  EXPECT_EQ(n, 1);
  waiter.join();
  EXPECT_THAT(result.load(), SyscallSucceedsWithValue(0));
  EXPECT_EQ(mutex.load() & FUTEX_TID_MASK, static_cast<uint32_t>(waiter_tid.load()));
}

TEST_P(FutexTest, CmpRequeuePiMovesWaitersToAHeldLock) {
  std::atomic<uint32_t> cond{0}, mutex{0};
  PiHolder holder(&mutex, GetParam());
  std::atomic<long> result{-2};
  std::atomic<pid_t> waiter_tid{0};
  std::thread waiter([&] {
    waiter_tid = Gettid();
    result = Futex(&cond, Op(FUTEX_WAIT_REQUEUE_PI), 0, nullptr,
                   reinterpret_cast<uint32_t*>(&mutex));
  });
  long n = 0;
  ASSERT_TRUE(WaitFor([&] {
    n = Futex(&cond, Op(FUTEX_CMP_REQUEUE_PI), 1, reinterpret_cast<const timespec*>(1),
              reinterpret_cast<uint32_t*>(&mutex), 0);
    return n != 0;
  }));
  EXPECT_EQ(n, 1);  // requeued, not woken: the lock is held
  EXPECT_NE(mutex.load() & FUTEX_WAITERS, 0u);
  EXPECT_EQ(result.load(), -2);
  // A plain wake of a PI waiter is refused.
  EXPECT_THAT(Futex(&mutex, Op(FUTEX_WAKE), 1), SyscallFailsWithErrno(EINVAL));
  holder.Release();
  waiter.join();
  EXPECT_THAT(result.load(), SyscallSucceedsWithValue(0));
  EXPECT_EQ(mutex.load() & FUTEX_TID_MASK, static_cast<uint32_t>(waiter_tid.load()));
}

// ---- Robust lists ----

struct RobustLock {
  robust_list node;
  std::atomic<uint32_t> word;
};

TEST(FutexRobustTest, GetRobustListReturnsWhatWasSet) {
  robust_list_head* head = nullptr;
  size_t len = 0;
  ASSERT_THAT(syscall(SYS_get_robust_list, 0, &head, &len), SyscallSucceeds());
  EXPECT_EQ(len, sizeof(robust_list_head));
  // glibc registers one for every thread.
  EXPECT_NE(head, nullptr);
  robust_list_head mine = {{&mine.list}, 0, nullptr};
  ASSERT_THAT(syscall(SYS_set_robust_list, &mine, sizeof(mine)), SyscallSucceeds());
  robust_list_head* got = nullptr;
  ASSERT_THAT(syscall(SYS_get_robust_list, 0, &got, &len), SyscallSucceeds());
  EXPECT_EQ(got, &mine);
  EXPECT_THAT(syscall(SYS_set_robust_list, &mine, sizeof(mine) + 1),
              SyscallFailsWithErrno(EINVAL));
  ASSERT_THAT(syscall(SYS_set_robust_list, head, sizeof(*head)), SyscallSucceeds());
}

// A thread registers its own robust list with locks in every state, then
// exits: the kernel marks the ones it held FUTEX_OWNER_DIED (keeping
// FUTEX_WAITERS) and leaves the others alone.
TEST(FutexRobustTest, ThreadExitMarksTheLocksItHeld) {
  static robust_list_head head;
  static RobustLock held, held_waiters, held_pi, not_mine, pending;
  std::atomic<pid_t> other{0};
  std::thread th([&] {
    const uint32_t tid = Gettid();
    other = DeadTid();
    held.word = tid;
    held_waiters.word = tid | FUTEX_WAITERS;
    held_pi.word = tid;
    not_mine.word = other.load();
    pending.word = tid;
    const long offset = offsetof(RobustLock, word) - offsetof(RobustLock, node);
    head.futex_offset = offset;
    // The list is circular through the head; bit 0 of a link marks a PI
    // lock.
    head.list.next = &held.node;
    held.node.next = &held_waiters.node;
    held_waiters.node.next =
        reinterpret_cast<robust_list*>(reinterpret_cast<uintptr_t>(&held_pi.node) | 1);
    held_pi.node.next = &not_mine.node;
    not_mine.node.next = &head.list;
    // Being taken (not yet on the list): list_op_pending.
    head.list_op_pending = &pending.node;
    ASSERT_THAT(syscall(SYS_set_robust_list, &head, sizeof(head)), SyscallSucceeds());
  });
  th.join();
  EXPECT_EQ(held.word.load(), FUTEX_OWNER_DIED);
  EXPECT_EQ(held_waiters.word.load(), FUTEX_OWNER_DIED | FUTEX_WAITERS);
  EXPECT_EQ(held_pi.word.load(), FUTEX_OWNER_DIED);
  EXPECT_EQ(not_mine.word.load(), static_cast<uint32_t>(other.load()));
  EXPECT_EQ(pending.word.load(), FUTEX_OWNER_DIED);
}

TEST(FutexRobustTest, ThreadExitWakesAWaiterOfARobustLock) {
  static robust_list_head head;
  static RobustLock lock;
  std::atomic<bool> ready{false};
  std::atomic<bool> go{false};
  std::thread owner([&] {
    lock.word = Gettid();
    head.futex_offset = offsetof(RobustLock, word) - offsetof(RobustLock, node);
    head.list.next = &lock.node;
    lock.node.next = &head.list;
    head.list_op_pending = nullptr;
    ASSERT_THAT(syscall(SYS_set_robust_list, &head, sizeof(head)), SyscallSucceeds());
    ready = true;
    while (!go) usleep(100);
  });
  while (!ready) usleep(100);
  uint32_t seen = lock.word.load() | FUTEX_WAITERS;
  lock.word = seen;
  std::atomic<long> result{-2};
  std::thread waiter([&] {
    long r;
    do {
      r = Futex(&lock.word, FUTEX_WAIT, seen);
    } while (r != 0 && errno == EINTR);
    result = r == 0 ? 0 : -errno;
  });
  go = true;
  owner.join();
  waiter.join();
  // Woken (0), or the word had already changed when it went to sleep.
  EXPECT_THAT(result.load(), AnyOf(0, -EAGAIN));
  EXPECT_EQ(lock.word.load(), FUTEX_OWNER_DIED | FUTEX_WAITERS);
}

// ---- glibc's mutexes on top ----

class PthreadMutexTest : public ::testing::TestWithParam<int> {};  // protocol

TEST_P(PthreadMutexTest, RobustMutexOfADeadOwnerGivesEownerdead) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutexattr_setprotocol(&attr, GetParam());
  pthread_mutex_t m;
  ASSERT_EQ(pthread_mutex_init(&m, &attr), 0);
  std::thread owner([&] { ASSERT_EQ(pthread_mutex_lock(&m), 0); });
  owner.join();  // exits holding it
  EXPECT_EQ(pthread_mutex_lock(&m), EOWNERDEAD);
  EXPECT_EQ(pthread_mutex_consistent(&m), 0);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(pthread_mutex_lock(&m), 0);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  // Unlocked without pthread_mutex_consistent, it becomes unusable.
  std::thread owner2([&] { ASSERT_EQ(pthread_mutex_lock(&m), 0); });
  owner2.join();
  EXPECT_EQ(pthread_mutex_lock(&m), EOWNERDEAD);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  EXPECT_EQ(pthread_mutex_lock(&m), ENOTRECOVERABLE);
  pthread_mutex_destroy(&m);
  pthread_mutexattr_destroy(&attr);
}

TEST_P(PthreadMutexTest, RobustMutexWaiterGetsEownerdeadWhenTheOwnerExits) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  pthread_mutexattr_setprotocol(&attr, GetParam());
  pthread_mutex_t m;
  ASSERT_EQ(pthread_mutex_init(&m, &attr), 0);
  std::atomic<bool> locked{false};
  std::atomic<bool> go{false};
  std::thread owner([&] {
    ASSERT_EQ(pthread_mutex_lock(&m), 0);
    locked = true;
    // Until the main thread waits in the kernel: glibc then sets
    // FUTEX_WAITERS in the lock word (the first int of the mutex).
    WaitFor([&] {
      return (reinterpret_cast<std::atomic<uint32_t>*>(&m)->load() & FUTEX_WAITERS) != 0;
    });
  });
  while (!locked) usleep(100);
  EXPECT_EQ(pthread_mutex_lock(&m), EOWNERDEAD);
  owner.join();
  EXPECT_EQ(pthread_mutex_consistent(&m), 0);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  pthread_mutex_destroy(&m);
  pthread_mutexattr_destroy(&attr);
}

TEST_P(PthreadMutexTest, ThreadsShareACountUnderTheMutex) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setprotocol(&attr, GetParam());
  pthread_mutex_t m;
  ASSERT_EQ(pthread_mutex_init(&m, &attr), 0);
  constexpr int kThreads = 4, kIters = 2000;
  long count = 0;
  std::vector<std::thread> ths;
  for (int i = 0; i < kThreads; ++i) {
    ths.emplace_back([&] {
      for (int j = 0; j < kIters; ++j) {
        pthread_mutex_lock(&m);
        long c = count;
        if ((j & 63) == 0) sched_yield();  // invite contention
        count = c + 1;
        pthread_mutex_unlock(&m);
      }
    });
  }
  for (auto& th : ths) th.join();
  EXPECT_EQ(count, kThreads * kIters);
  // trylock of a mutex another thread holds: EBUSY.
  std::atomic<bool> held{false}, done{false};
  std::thread holder([&] {
    pthread_mutex_lock(&m);
    held = true;
    while (!done) usleep(100);
    pthread_mutex_unlock(&m);
  });
  while (!held) usleep(100);
  EXPECT_EQ(pthread_mutex_trylock(&m), EBUSY);
  done = true;
  holder.join();
  EXPECT_EQ(pthread_mutex_trylock(&m), 0);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  pthread_mutex_destroy(&m);
  pthread_mutexattr_destroy(&attr);
}

TEST(PthreadPiMutexTest, ErrorCheckingPiMutexReportsSelfDeadlockAndForeignUnlock) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  pthread_mutex_t m;
  ASSERT_EQ(pthread_mutex_init(&m, &attr), 0);
  ASSERT_EQ(pthread_mutex_lock(&m), 0);
  EXPECT_EQ(pthread_mutex_lock(&m), EDEADLK);
  int r = -1;
  std::thread other([&] { r = pthread_mutex_unlock(&m); });
  other.join();
  EXPECT_EQ(r, EPERM);
  EXPECT_EQ(pthread_mutex_unlock(&m), 0);
  pthread_mutex_destroy(&m);
  pthread_mutexattr_destroy(&attr);
}

INSTANTIATE_TEST_SUITE_P(PthreadMutexTest, PthreadMutexTest,
                         ::testing::Values(PTHREAD_PRIO_NONE, PTHREAD_PRIO_INHERIT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == PTHREAD_PRIO_INHERIT ? "PrioInherit"
                                                                                 : "PrioNone");
                         });

// A shared futex in shared memory is one futex for every process that maps
// it, wherever: a child waiting at one address is woken by its parent
// waking through another mapping of the same page.
TEST(SharedFutexTest, WakesAWaiterInAnotherProcessThroughAnotherMapping) {
  std::string path = "/dev/shm/futex_test_" + std::to_string(getpid());
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  unlink(path.c_str());
  ASSERT_EQ(ftruncate(fd, kPageSize), 0);
  auto* a = static_cast<std::atomic<uint32_t>*>(
      mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
  auto* b = static_cast<std::atomic<uint32_t>*>(
      mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
  close(fd);
  ASSERT_NE(a, MAP_FAILED);
  ASSERT_NE(b, MAP_FAILED);
  ASSERT_NE(static_cast<void*>(a), static_cast<void*>(b));
  a[1].store(0);  // the child says it is about to wait
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    a[1].store(1);
    // Waits at mapping a while the word is 0; only a wake can end it.
    timespec limit{20, 0};
    while (a[0].load() == 0) {
      long r = Futex(&a[0], FUTEX_WAIT, 0, &limit);
      if (r != 0 && errno != EAGAIN && errno != EINTR) _exit(errno == ETIMEDOUT ? 3 : 2);
      if (r == 0 && a[0].load() == 0) continue;  // spurious
    }
    _exit(0);
  }
  while (a[1].load() == 0) sched_yield();
  // Give the child time to sleep in the kernel, then wake it through b.
  int woken = 0;
  for (int i = 0; i < 2000 && woken == 0; ++i) {
    usleep(1000);
    woken = static_cast<int>(Futex(&b[0], FUTEX_WAKE, 1));
  }
  b[0].store(1);
  Futex(&b[0], FUTEX_WAKE, 1);
  EXPECT_EQ(woken, 1) << "the parent's wake through another mapping found no waiter";
  int status = 0;
  ASSERT_EQ(RetryEINTR(waitpid)(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  munmap(a, kPageSize);
  munmap(b, kPageSize);
}

// Anonymous shared memory inherited across fork, as process-shared
// semaphores use it; a private futex op on it stays private.
TEST(SharedFutexTest, AnonymousSharedMemoryAcrossFork) {
  auto* w = static_cast<std::atomic<uint32_t>*>(
      mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(w, MAP_FAILED);
  w[0].store(0);
  w[1].store(0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    w[1].store(1);
    timespec limit{20, 0};
    while (w[0].load() == 0) {
      long r = Futex(&w[0], FUTEX_WAIT, 0, &limit);
      if (r != 0 && errno != EAGAIN && errno != EINTR) _exit(2);
    }
    _exit(0);
  }
  while (w[1].load() == 0) sched_yield();
  int woken = 0;
  for (int i = 0; i < 2000 && woken == 0; ++i) {
    usleep(1000);
    // A private wake never reaches another process's waiter.
    EXPECT_EQ(Futex(&w[0], FUTEX_WAKE_PRIVATE, 1), 0);
    woken = static_cast<int>(Futex(&w[0], FUTEX_WAKE, 1));
  }
  w[0].store(1);
  Futex(&w[0], FUTEX_WAKE, 1);
  EXPECT_EQ(woken, 1);
  int status = 0;
  ASSERT_EQ(RetryEINTR(waitpid)(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  munmap(w, kPageSize);
}

std::string VariantName(const ::testing::TestParamInfo<int>& info) {
  return info.param == FUTEX_PRIVATE_FLAG ? "Private" : "Shared";
}

INSTANTIATE_TEST_SUITE_P(FutexTest, FutexTest, ::testing::Values(FUTEX_PRIVATE_FLAG, 0),
                         VariantName);

}  // namespace
}  // namespace test_util
