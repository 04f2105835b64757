// futex(2) with a single thread: FUTEX_WAIT and FUTEX_WAIT_BITSET that return
// at once (value mismatch, a deadline already past) or time out, FUTEX_WAKE
// and FUTEX_WAKE_BITSET with nobody waiting, and argument checking. Every
// case runs for both the process-private and the shared variants.
//
// Timeouts are checked for not returning early, never for returning soon: a
// lower bound is a property of the call, an upper bound only of the machine.
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <atomic>
#include <string>
#include <thread>

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

std::string VariantName(const ::testing::TestParamInfo<int>& info) {
  return info.param == FUTEX_PRIVATE_FLAG ? "Private" : "Shared";
}

INSTANTIATE_TEST_SUITE_P(FutexTest, FutexTest, ::testing::Values(FUTEX_PRIVATE_FLAG, 0),
                         VariantName);

}  // namespace
}  // namespace test_util
