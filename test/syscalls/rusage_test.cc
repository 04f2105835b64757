// getrusage(2), times(2), wait4(2)'s rusage, the CPU-time clocks and the
// times in /proc/PID/stat: user time grows while the program computes, a
// thread's figures are its own, children's figures arrive when they are
// reaped, the peak resident set grows when memory is touched.
//
// No assertion depends on the machine's speed: CPU is burnt until the
// figure under test has grown (with a generous cap on the time it may take),
// and the upper bounds are properties of the accounting (a thread cannot
// use more CPU than the time that passed, a blocked thread uses none).
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

constexpr int64_t kNsPerSec = 1000000000;
constexpr int64_t kMs = 1000000;

int64_t TvNs(const timeval& tv) { return tv.tv_sec * kNsPerSec + tv.tv_usec * 1000; }

int64_t NowNs(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * kNsPerSec + ts.tv_nsec;
}

rusage Usage(int who) {
  rusage ru;
  memset(&ru, 0xa5, sizeof(ru));
  EXPECT_THAT(getrusage(who, &ru), SyscallSucceeds());
  return ru;
}

int64_t UserNs(int who) { return TvNs(Usage(who).ru_utime); }

// Computes until `done()` holds; false if it has not after 30 s of wall
// time (the figure under test never grew).
template <typename Pred>
bool BurnUntil(Pred done) {
  const int64_t give_up = NowNs(CLOCK_MONOTONIC) + 30 * kNsPerSec;
  volatile uint64_t x = 1;
  while (!done()) {
    for (int i = 0; i < 1000000; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    if (NowNs(CLOCK_MONOTONIC) > give_up) return false;
  }
  return true;
}

TEST(RusageTest, UserTimeGrowsWhileComputing) {
  const int64_t wall0 = NowNs(CLOCK_MONOTONIC);
  const rusage before = Usage(RUSAGE_SELF);
  const int64_t u0 = TvNs(before.ru_utime);
  ASSERT_TRUE(BurnUntil([&] { return UserNs(RUSAGE_SELF) >= u0 + 100 * kMs; }));
  const rusage after = Usage(RUSAGE_SELF);
  const int64_t wall = NowNs(CLOCK_MONOTONIC) - wall0;
  // One thread computing: its user and system time together cannot
  // exceed the time that passed (plus a tick of rounding).
  const int64_t used = TvNs(after.ru_utime) - u0 + TvNs(after.ru_stime) - TvNs(before.ru_stime);
  EXPECT_LE(used, wall + 10 * kMs);
  EXPECT_GE(TvNs(after.ru_stime), TvNs(before.ru_stime));
  // The thread's own figure grew too.
  EXPECT_GE(UserNs(RUSAGE_THREAD), 100 * kMs);
}

TEST(RusageTest, BadWhoFailsEinval) {
  rusage ru;
  EXPECT_THAT(getrusage(2, &ru), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(getrusage(-2, &ru), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_getrusage, RUSAGE_SELF, nullptr), SyscallFailsWithErrno(EFAULT));
}

TEST(RusageTest, ThreadFiguresAreTheThreadsOwn) {
  const int64_t main_cpu0 = NowNs(CLOCK_THREAD_CPUTIME_ID);
  const int64_t main_user0 = UserNs(RUSAGE_THREAD);
  const int64_t self0 = UserNs(RUSAGE_SELF);
  int64_t thread_user = 0, thread_cpu = 0;
  bool burnt = false;
  std::thread th([&] {
    burnt = BurnUntil([&] { return UserNs(RUSAGE_THREAD) >= 200 * kMs; });
    thread_user = UserNs(RUSAGE_THREAD);
    thread_cpu = NowNs(CLOCK_THREAD_CPUTIME_ID);
  });
  th.join();
  ASSERT_TRUE(burnt);
  EXPECT_GE(thread_cpu, thread_user);
  // The main thread was blocked in join meanwhile: the other thread's
  // 200 ms are not its own.
  EXPECT_LT(UserNs(RUSAGE_THREAD) - main_user0, 100 * kMs);
  EXPECT_LT(NowNs(CLOCK_THREAD_CPUTIME_ID) - main_cpu0, 100 * kMs);
  // The process keeps an exited thread's time.
  EXPECT_GE(UserNs(RUSAGE_SELF) - self0, thread_user - 10 * kMs);
}

// A child that computes for at least `ms` of user time, reports it through
// `fd` and exits.
pid_t ForkBurner(int64_t ms, int fd) {
  pid_t pid = fork();
  if (pid == 0) {
    bool ok = BurnUntil([&] { return UserNs(RUSAGE_SELF) >= ms * kMs; });
    int64_t user = UserNs(RUSAGE_SELF);
    if (write(fd, &user, sizeof(user)) != sizeof(user)) _exit(2);
    _exit(ok ? 0 : 1);
  }
  return pid;
}

TEST(RusageTest, ChildrenFiguresArriveWhenTheChildIsReaped) {
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  const rusage c0 = Usage(RUSAGE_CHILDREN);
  pid_t pid = ForkBurner(150, fds[1]);
  ASSERT_THAT(pid, SyscallSucceeds());
  int64_t child_user = 0;
  ASSERT_THAT(read(fds[0], &child_user, sizeof(child_user)),
              SyscallSucceedsWithValue(sizeof(child_user)));
  // Exited or not, it is not reaped yet: nothing is counted.
  siginfo_t info{};
  ASSERT_THAT(waitid(P_PID, pid, &info, WEXITED | WNOWAIT), SyscallSucceeds());
  EXPECT_EQ(TvNs(Usage(RUSAGE_CHILDREN).ru_utime), TvNs(c0.ru_utime));
  int status = 0;
  rusage ru{};
  ASSERT_THAT(wait4(pid, &status, 0, &ru), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // wait4 reports the child's own figures...
  EXPECT_GE(TvNs(ru.ru_utime), child_user);
  EXPECT_GT(ru.ru_maxrss, 0);
  // ... which the children totals now hold.
  const rusage c1 = Usage(RUSAGE_CHILDREN);
  EXPECT_GE(TvNs(c1.ru_utime) - TvNs(c0.ru_utime), child_user);
  EXPECT_GE(c1.ru_maxrss, ru.ru_maxrss);
  close(fds[0]);
  close(fds[1]);
}

TEST(RusageTest, GrandchildrenCountOnceReapedByTheirParent) {
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  const int64_t c0 = UserNs(RUSAGE_CHILDREN);
  pid_t pid = fork();
  if (pid == 0) {
    // The middle process reaps a burner and exits without computing much.
    pid_t grandchild = ForkBurner(100, fds[1]);
    int status;
    if (grandchild < 0 || waitpid(grandchild, &status, 0) != grandchild) _exit(1);
    _exit(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1);
  }
  ASSERT_THAT(pid, SyscallSucceeds());
  int64_t grandchild_user = 0;
  ASSERT_THAT(read(fds[0], &grandchild_user, sizeof(grandchild_user)),
              SyscallSucceedsWithValue(sizeof(grandchild_user)));
  int status = 0;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_GE(UserNs(RUSAGE_CHILDREN) - c0, grandchild_user);
  close(fds[0]);
  close(fds[1]);
}

TEST(RusageTest, TimesReportsTicksOfSelfAndChildren) {
  const long hz = sysconf(_SC_CLK_TCK);
  ASSERT_EQ(hz, 100);
  tms t0;
  clock_t r0 = times(&t0);
  ASSERT_NE(r0, static_cast<clock_t>(-1));
  ASSERT_TRUE(BurnUntil([&] {
    tms t;
    times(&t);
    return t.tms_utime >= t0.tms_utime + 10;  // 100 ms
  }));
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  pid_t pid = ForkBurner(100, fds[1]);
  ASSERT_THAT(pid, SyscallSucceeds());
  int status;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  tms t1;
  clock_t r1 = times(&t1);
  EXPECT_GE(t1.tms_cutime - t0.tms_cutime, 10);
  // The return value is elapsed ticks: at least the CPU time used since.
  EXPECT_GE(r1 - r0, (t1.tms_utime - t0.tms_utime) - 1);
  EXPECT_GE(t1.tms_stime, t0.tms_stime);
  // A null buffer is allowed.
  EXPECT_NE(times(nullptr), static_cast<clock_t>(-1));
  close(fds[0]);
  close(fds[1]);
}

TEST(RusageTest, MaxRssGrowsWhenMemoryIsTouched) {
  constexpr size_t kSize = 64 << 20;
  const rusage before = Usage(RUSAGE_SELF);
  void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  for (size_t off = 0; off < kSize; off += kPageSize) static_cast<volatile char*>(p)[off] = 1;
  const rusage after = Usage(RUSAGE_SELF);
  EXPECT_GE(after.ru_maxrss, static_cast<long>(kSize / 1024));
  EXPECT_GT(after.ru_maxrss, before.ru_maxrss);
  // Touching new pages took page faults.
  EXPECT_GT(after.ru_minflt, before.ru_minflt);
  // The peak stays after the memory goes.
  ASSERT_THAT(munmap(p, kSize), SyscallSucceeds());
  EXPECT_GE(Usage(RUSAGE_SELF).ru_maxrss, after.ru_maxrss);
  EXPECT_GE(Usage(RUSAGE_THREAD).ru_maxrss, static_cast<long>(kSize / 1024));
}

TEST(RusageTest, ChildrenMaxRssIsTheLargestChilds) {
  constexpr size_t kSize = 32 << 20;
  pid_t pid = fork();
  if (pid == 0) {
    void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) _exit(1);
    for (size_t off = 0; off < kSize; off += kPageSize) static_cast<volatile char*>(p)[off] = 1;
    _exit(0);
  }
  ASSERT_THAT(pid, SyscallSucceeds());
  int status;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_GE(Usage(RUSAGE_CHILDREN).ru_maxrss, static_cast<long>(kSize / 1024));
}

// Fields 14 and 15 of /proc/PID/stat: utime and stime in ticks.
bool StatTimes(const std::string& path, long* utime, long* stime) {
  std::ifstream f(path);
  std::string line;
  if (!std::getline(f, line)) return false;
  size_t close = line.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 2));
  std::vector<std::string> fields;
  std::string w;
  while (rest >> w) fields.push_back(w);
  if (fields.size() < 13) return false;
  *utime = std::stol(fields[11]);  // field 3 is fields[0]
  *stime = std::stol(fields[12]);
  return true;
}

TEST(RusageTest, ProcStatShowsTheTimes) {
  long u0, s0;
  ASSERT_TRUE(StatTimes("/proc/self/stat", &u0, &s0));
  ASSERT_TRUE(BurnUntil([&] {
    long u, s;
    return StatTimes("/proc/self/stat", &u, &s) && u >= u0 + 10;
  }));
  const std::string task = "/proc/self/task/" + std::to_string(syscall(SYS_gettid)) + "/stat";
  long tu, ts;
  ASSERT_TRUE(StatTimes(task, &tu, &ts));
  EXPECT_GE(tu, 10);
}

}  // namespace
}  // namespace test_util
