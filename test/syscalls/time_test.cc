// Clocks and sleeps: clock_gettime(2), clock_getres(2), gettimeofday(2),
// time(2), nanosleep(2), clock_nanosleep(2).
//
// libc reads the clocks through the vDSO when there is one; the raw syscall()
// versions go through the kernel (the sentry), and both must agree. Only lower
// bounds of sleeps are asserted: how long a sleep overshoots is a benchmark.
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

constexpr int64_t kNsPerSec = 1000000000;
constexpr int64_t kNsPerMs = 1000000;

int64_t ToNs(const struct timespec& ts) { return ts.tv_sec * kNsPerSec + ts.tv_nsec; }

struct timespec FromNs(int64_t ns) {
  return {.tv_sec = ns / kNsPerSec, .tv_nsec = ns % kNsPerSec};
}

// clock_gettime through libc (vDSO where present).
int64_t LibcNow(clockid_t clock) {
  struct timespec ts = {};
  EXPECT_THAT(clock_gettime(clock, &ts), SyscallSucceeds());
  return ToNs(ts);
}

// clock_gettime through the kernel.
int64_t SyscallNow(clockid_t clock) {
  struct timespec ts = {};
  EXPECT_THAT(syscall(SYS_clock_gettime, clock, &ts), SyscallSucceeds());
  return ToNs(ts);
}

bool Valid(const struct timespec& ts) {
  return ts.tv_sec >= 0 && ts.tv_nsec >= 0 && ts.tv_nsec < kNsPerSec;
}

TEST(ClockTest, MonotonicNeverGoesBackwards) {
  struct timespec prev;
  ASSERT_THAT(clock_gettime(CLOCK_MONOTONIC, &prev), SyscallSucceeds());
  for (int i = 0; i < 10000; ++i) {
    struct timespec now;
    ASSERT_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
    ASSERT_TRUE(Valid(now));
    ASSERT_GE(ToNs(now), ToNs(prev)) << "at read " << i;
    prev = now;
  }
}

TEST(ClockTest, LibcAndSyscallAgree) {
  // Interleaved vDSO and kernel reads form one non-decreasing sequence. (Not
  // CLOCK_REALTIME: it may be stepped back by the host at any time.)
  for (clockid_t clock : {CLOCK_MONOTONIC, CLOCK_BOOTTIME}) {
    int64_t prev = LibcNow(clock);
    for (int i = 0; i < 1000; ++i) {
      const int64_t a = SyscallNow(clock);
      const int64_t b = LibcNow(clock);
      ASSERT_GE(a, prev) << "clock " << clock << " read " << i;
      ASSERT_GE(b, a) << "clock " << clock << " read " << i;
      prev = b;
    }
  }
}

TEST(ClockTest, MonotonicAdvances) {
  const int64_t start = SyscallNow(CLOCK_MONOTONIC);
  int64_t now = start;
  // Not a timing: just that the clock moves at all within a few seconds.
  for (int i = 0; i < 10000000 && now == start; ++i) now = SyscallNow(CLOCK_MONOTONIC);
  EXPECT_GT(now, start);
}

TEST(ClockTest, BoottimeIsAtLeastMonotonic) {
  const int64_t mono = SyscallNow(CLOCK_MONOTONIC);
  const int64_t boot = SyscallNow(CLOCK_BOOTTIME);
  EXPECT_GE(boot, mono);
}

TEST(ClockTest, RealtimeAgreesWithTimeAndGettimeofday) {
  struct timespec ts;
  ASSERT_THAT(syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts), SyscallSucceeds());
  const long t_raw = syscall(SYS_time, nullptr);
  const time_t t_libc = time(nullptr);
  struct timeval tv;
  ASSERT_THAT(syscall(SYS_gettimeofday, &tv, nullptr), SyscallSucceeds());
  struct timespec after;
  ASSERT_THAT(syscall(SYS_clock_gettime, CLOCK_REALTIME, &after), SyscallSucceeds());

  // A plausible date: after 2020-01-01.
  EXPECT_GT(ts.tv_sec, 1577836800);
  // Each reading lies between the two clock_gettime readings (to the second
  // or microsecond they report).
  EXPECT_GE(t_raw, ts.tv_sec);
  EXPECT_LE(t_raw, after.tv_sec);
  EXPECT_GE(t_libc, ts.tv_sec);
  EXPECT_LE(t_libc, after.tv_sec);
  const int64_t tv_ns = tv.tv_sec * kNsPerSec + tv.tv_usec * 1000;
  EXPECT_GE(tv_ns, ToNs(ts) / 1000 * 1000);
  EXPECT_LE(tv_ns, ToNs(after));
  EXPECT_GE(tv.tv_usec, 0);
  EXPECT_LT(tv.tv_usec, 1000000);
}

TEST(ClockTest, TimeWritesThroughItsPointer) {
  time_t t = 0;
  const long r = syscall(SYS_time, &t);
  EXPECT_GT(r, 0);
  EXPECT_EQ(t, r);
}

TEST(ClockTest, Resolution) {
  for (clockid_t clock : {CLOCK_MONOTONIC, CLOCK_REALTIME}) {
    struct timespec res = {-1, -1};
    ASSERT_THAT(syscall(SYS_clock_getres, clock, &res), SyscallSucceeds());
    EXPECT_TRUE(Valid(res));
    EXPECT_GT(ToNs(res), 0) << "clock " << clock;
    EXPECT_LE(ToNs(res), kNsPerMs) << "clock " << clock;
  }
  // A null res is allowed: only the clock is checked.
  EXPECT_THAT(syscall(SYS_clock_getres, CLOCK_MONOTONIC, nullptr), SyscallSucceeds());
}

TEST(ClockTest, InvalidClockFailsEinval) {
  struct timespec ts;
  for (clockid_t clock : {100, 16, 0x7fffffff}) {
    EXPECT_THAT(syscall(SYS_clock_getres, clock, &ts), SyscallFailsWithErrno(EINVAL))
        << "clock " << clock;
    EXPECT_THAT(syscall(SYS_clock_gettime, clock, &ts), SyscallFailsWithErrno(EINVAL))
        << "clock " << clock;
  }
  EXPECT_THAT(clock_gettime(100, &ts), SyscallFailsWithErrno(EINVAL));
}

class AllClocksTest : public ::testing::TestWithParam<clockid_t> {};

TEST_P(AllClocksTest, ReadableWithResolution) {
  struct timespec ts, res;
  ASSERT_THAT(syscall(SYS_clock_gettime, GetParam(), &ts), SyscallSucceeds());
  EXPECT_TRUE(Valid(ts));
  ASSERT_THAT(syscall(SYS_clock_getres, GetParam(), &res), SyscallSucceeds());
  EXPECT_TRUE(Valid(res));
  EXPECT_GT(ToNs(res), 0);
  ASSERT_THAT(clock_gettime(GetParam(), &ts), SyscallSucceeds());
  EXPECT_TRUE(Valid(ts));
}

INSTANTIATE_TEST_SUITE_P(ClockTest, AllClocksTest,
                         ::testing::Values(CLOCK_REALTIME, CLOCK_MONOTONIC,
                                           CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
                                           CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
                                           CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME));

TEST(ClockTest, CpuClocksAreNonDecreasingAndCountWork) {
  for (clockid_t clock : {CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID}) {
    const int64_t start = SyscallNow(clock);
    int64_t prev = start;
    for (int i = 0; i < 1000; ++i) {
      const int64_t now = SyscallNow(clock);
      ASSERT_GE(now, prev) << "clock " << clock;
      prev = now;
    }
    // Spin for 50 ms of wall time: CPU time must have moved.
    const int64_t wall_end = SyscallNow(CLOCK_MONOTONIC) + 50 * kNsPerMs;
    volatile uint64_t sink = 0;
    while (SyscallNow(CLOCK_MONOTONIC) < wall_end) {
      for (int i = 0; i < 100000; ++i) sink = sink + static_cast<uint64_t>(i);
    }
    EXPECT_GT(SyscallNow(clock), start) << "clock " << clock;
    // Via libc too.
    EXPECT_GE(LibcNow(clock), start) << "clock " << clock;
  }
}

TEST(NanosleepTest, SleepsAtLeastTheRequest) {
  const struct timespec req = FromNs(10 * kNsPerMs);
  const int64_t start = SyscallNow(CLOCK_MONOTONIC);
  ASSERT_THAT(syscall(SYS_nanosleep, &req, nullptr), SyscallSucceeds());
  EXPECT_GE(SyscallNow(CLOCK_MONOTONIC) - start, 10 * kNsPerMs);
}

TEST(NanosleepTest, ZeroReturnsAtOnce) {
  const struct timespec req = {0, 0};
  EXPECT_THAT(syscall(SYS_nanosleep, &req, nullptr), SyscallSucceeds());
}

TEST(NanosleepTest, InvalidTimespecFailsEinval) {
  struct timespec rem;
  const struct timespec too_many_ns = {0, kNsPerSec};
  EXPECT_THAT(syscall(SYS_nanosleep, &too_many_ns, &rem), SyscallFailsWithErrno(EINVAL));
  const struct timespec negative_ns = {0, -1};
  EXPECT_THAT(syscall(SYS_nanosleep, &negative_ns, &rem), SyscallFailsWithErrno(EINVAL));
  const struct timespec negative_sec = {-1, 0};
  EXPECT_THAT(syscall(SYS_nanosleep, &negative_sec, &rem), SyscallFailsWithErrno(EINVAL));
}

TEST(ClockNanosleepTest, RelativeSleepsAtLeastTheRequest) {
  const struct timespec req = FromNs(10 * kNsPerMs);
  const int64_t start = SyscallNow(CLOCK_MONOTONIC);
  ASSERT_THAT(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, nullptr), SyscallSucceeds());
  EXPECT_GE(SyscallNow(CLOCK_MONOTONIC) - start, 10 * kNsPerMs);
}

TEST(ClockNanosleepTest, AbsoluteSleepsUntilTheDeadline) {
  const int64_t deadline = SyscallNow(CLOCK_MONOTONIC) + 10 * kNsPerMs;
  const struct timespec req = FromNs(deadline);
  ASSERT_THAT(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, nullptr),
              SyscallSucceeds());
  EXPECT_GE(SyscallNow(CLOCK_MONOTONIC), deadline);
}

TEST(ClockNanosleepTest, AbsoluteRealtimeDeadline) {
  const int64_t deadline = SyscallNow(CLOCK_REALTIME) + 10 * kNsPerMs;
  const struct timespec req = FromNs(deadline);
  ASSERT_THAT(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &req, nullptr),
              SyscallSucceeds());
  EXPECT_GE(SyscallNow(CLOCK_REALTIME), deadline);
}

TEST(ClockNanosleepTest, AbsoluteDeadlineInThePastReturnsAtOnce) {
  const struct timespec req = FromNs(SyscallNow(CLOCK_MONOTONIC) - kNsPerSec);
  EXPECT_THAT(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &req, nullptr),
              SyscallSucceeds());
  // libc returns the error number instead of setting errno.
  EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, nullptr), 0);
}

TEST(ClockNanosleepTest, InvalidArgumentsFailEinval) {
  const struct timespec ok = {0, 1000};
  EXPECT_THAT(syscall(SYS_clock_nanosleep, 100, 0, &ok, nullptr), SyscallFailsWithErrno(EINVAL));
  const struct timespec too_many_ns = {0, kNsPerSec};
  EXPECT_THAT(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &too_many_ns, nullptr),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(clock_nanosleep(CLOCK_MONOTONIC, 0, &too_many_ns, nullptr), EINVAL);
}

}  // namespace
}  // namespace test_util
