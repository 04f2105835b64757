// Small calls a single process makes: getrandom(2), sched_yield(2),
// sched_getaffinity(2), getcpu(2), umask(2), getcwd(2), prlimit64(2),
// readlink of /proc/self/exe, arch_prctl(2), set_tid_address(2), and I/O on
// the standard descriptors (read/write/readv/writev/pwrite64/ioctl/fstat/
// fcntl/dup/lseek).
//
// Whatever fds 1 and 2 are (run_both.sh makes them a pipe in both runs), the
// assertions that depend on it check the type with fstat(2) first.
#include <asm/prctl.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::AllOf;
using ::testing::Ge;
using ::testing::Gt;
using ::testing::Le;
using ::testing::StartsWith;

// getrandom(2)

class GetrandomFlagsTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(GetrandomFlagsTest, FillsTheBuffer) {
  unsigned char a[32] = {}, b[32] = {};
  ASSERT_THAT(syscall(SYS_getrandom, a, sizeof(a), GetParam()), SyscallSucceedsWithValue(32));
  ASSERT_THAT(syscall(SYS_getrandom, b, sizeof(b), GetParam()), SyscallSucceedsWithValue(32));
  const unsigned char zero[32] = {};
  // Each outcome below has probability 2^-256 for random bytes.
  EXPECT_NE(memcmp(a, zero, sizeof(a)), 0);
  EXPECT_NE(memcmp(b, zero, sizeof(b)), 0);
  EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
}

INSTANTIATE_TEST_SUITE_P(MiscTest, GetrandomFlagsTest,
                         ::testing::Values(0u, unsigned{GRND_NONBLOCK}, unsigned{GRND_RANDOM},
                                           unsigned{GRND_RANDOM | GRND_NONBLOCK}));

TEST(GetrandomTest, ZeroLength) {
  unsigned char a[1];
  EXPECT_THAT(syscall(SYS_getrandom, a, 0, 0), SyscallSucceedsWithValue(0));
}

TEST(GetrandomTest, InvalidFlagsFailEinval) {
  unsigned char a[8];
  EXPECT_THAT(syscall(SYS_getrandom, a, sizeof(a), 0x100), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_getrandom, a, sizeof(a), ~0u), SyscallFailsWithErrno(EINVAL));
}

// Scheduling and CPUs

TEST(SchedTest, Yield) {
  EXPECT_THAT(sched_yield(), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_sched_yield), SyscallSucceedsWithValue(0));
}

TEST(SchedTest, GetaffinityReturnsTheMaskSize) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  const long n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask);
  // The kernel copies out its cpumask: whole longs, at least one.
  ASSERT_THAT(n, SyscallSucceedsWithValue(AllOf(Ge(8), Le(static_cast<long>(sizeof(mask))))));
  EXPECT_EQ(n % 8, 0);
  EXPECT_GE(CPU_COUNT(&mask), 1);
  // pid 0 and our own pid mean the same task.
  cpu_set_t self;
  CPU_ZERO(&self);
  ASSERT_THAT(syscall(SYS_sched_getaffinity, getpid(), sizeof(self), &self),
              SyscallSucceedsWithValue(n));
  EXPECT_TRUE(CPU_EQUAL(&mask, &self));
  // And libc agrees.
  cpu_set_t libc;
  ASSERT_THAT(sched_getaffinity(0, sizeof(libc), &libc), SyscallSucceeds());
  EXPECT_TRUE(CPU_EQUAL(&mask, &libc));
}

TEST(SchedTest, GetaffinityTooSmallFailsEinval) {
  cpu_set_t mask;
  EXPECT_THAT(syscall(SYS_sched_getaffinity, 0, 0, &mask), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_sched_getaffinity, 0, 1, &mask), SyscallFailsWithErrno(EINVAL));
}

TEST(SchedTest, GetaffinityOfMissingPidFailsEsrch) {
  // Nothing else lives in this PID namespace.
  cpu_set_t mask;
  EXPECT_THAT(syscall(SYS_sched_getaffinity, 2, sizeof(mask), &mask), SyscallFailsWithErrno(ESRCH));
}

TEST(SchedTest, GetcpuIsInTheAffinityMask) {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  const long n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), &mask);
  ASSERT_THAT(n, SyscallSucceeds());
  unsigned cpu = UINT_MAX, node = UINT_MAX;
  ASSERT_THAT(syscall(SYS_getcpu, &cpu, &node, nullptr), SyscallSucceedsWithValue(0));
  EXPECT_LT(cpu, static_cast<unsigned>(n * 8));
  EXPECT_TRUE(CPU_ISSET(cpu, &mask)) << "cpu " << cpu;
  EXPECT_NE(node, UINT_MAX);
  // Either pointer may be null.
  EXPECT_THAT(syscall(SYS_getcpu, nullptr, &node, nullptr), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_getcpu, &cpu, nullptr, nullptr), SyscallSucceeds());
  EXPECT_TRUE(CPU_ISSET(cpu, &mask)) << "cpu " << cpu;
}

// umask(2)

TEST(UmaskTest, ReturnsThePreviousMask) {
  const mode_t original = umask(022);
  EXPECT_EQ(umask(077), 022u);
  EXPECT_EQ(umask(0), 077u);
  EXPECT_EQ(umask(original), 0u);
  EXPECT_EQ(umask(original), original);
}

TEST(UmaskTest, KeepsOnlyPermissionBits) {
  const mode_t original = umask(0);
  EXPECT_THAT(syscall(SYS_umask, 0177777), SyscallSucceedsWithValue(0));
  EXPECT_EQ(umask(original), 0777u);
}

// getcwd(2)

TEST(GetcwdTest, AbsolutePath) {
  char buf[PATH_MAX];
  ASSERT_NE(getcwd(buf, sizeof(buf)), nullptr) << ErrnoName(errno);
  EXPECT_EQ(buf[0], '/');
  // The raw call returns the length including the NUL.
  char raw[PATH_MAX];
  ASSERT_THAT(syscall(SYS_getcwd, raw, sizeof(raw)),
              SyscallSucceedsWithValue(static_cast<long>(strlen(buf) + 1)));
  EXPECT_STREQ(raw, buf);
}

TEST(GetcwdTest, TooSmallFailsErange) {
  char buf[PATH_MAX];
  ASSERT_NE(getcwd(buf, sizeof(buf)), nullptr) << ErrnoName(errno);
  const size_t len = strlen(buf);
  char small[PATH_MAX];
  EXPECT_THAT(syscall(SYS_getcwd, small, 1), SyscallFailsWithErrno(ERANGE));
  EXPECT_THAT(syscall(SYS_getcwd, small, 0), SyscallFailsWithErrno(ERANGE));
  // Room for the path but not its NUL.
  EXPECT_THAT(syscall(SYS_getcwd, small, len), SyscallFailsWithErrno(ERANGE));
  EXPECT_THAT(syscall(SYS_getcwd, small, len + 1), SyscallSucceedsWithValue(len + 1));
  // libc's wrapper returns NULL rather than -1.
  errno = 0;
  EXPECT_EQ(getcwd(small, 1), nullptr);
  EXPECT_EQ(errno, ERANGE) << ErrnoName(errno);
}

// Resource limits

TEST(RlimitTest, Prlimit64ReadsTheStackLimit) {
  struct rlimit via_getrlimit;
  ASSERT_THAT(getrlimit(RLIMIT_STACK, &via_getrlimit), SyscallSucceeds());
  struct rlimit old = {0, 0};
  ASSERT_THAT(syscall(SYS_prlimit64, 0, RLIMIT_STACK, nullptr, &old), SyscallSucceeds());
  EXPECT_EQ(old.rlim_cur, via_getrlimit.rlim_cur);
  EXPECT_EQ(old.rlim_max, via_getrlimit.rlim_max);
  EXPECT_LE(old.rlim_cur, old.rlim_max);
  EXPECT_GT(old.rlim_cur, 0u);
  // Our own pid names us too; a pid that does not exist fails.
  EXPECT_THAT(syscall(SYS_prlimit64, getpid(), RLIMIT_STACK, nullptr, &old), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_prlimit64, 2, RLIMIT_STACK, nullptr, &old), SyscallFailsWithErrno(ESRCH));
}

TEST(RlimitTest, InvalidResourceFailsEinval) {
  struct rlimit rl;
  EXPECT_THAT(syscall(SYS_getrlimit, 100, &rl), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_prlimit64, 0, 100, nullptr, &rl), SyscallFailsWithErrno(EINVAL));
}

// Puts RLIMIT_NOFILE back however the test ends.
class NofileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_THAT(getrlimit(RLIMIT_NOFILE, &saved_), SyscallSucceeds()); }
  void TearDown() override { setrlimit(RLIMIT_NOFILE, &saved_); }
  struct rlimit saved_ = {};
};

TEST_F(NofileTest, LoweringTheSoftLimitRoundTrips) {
  ASSERT_GT(saved_.rlim_cur, 64u);
  const struct rlimit lowered = {64, saved_.rlim_max};
  ASSERT_THAT(setrlimit(RLIMIT_NOFILE, &lowered), SyscallSucceeds());
  struct rlimit got;
  ASSERT_THAT(getrlimit(RLIMIT_NOFILE, &got), SyscallSucceeds());
  EXPECT_EQ(got.rlim_cur, 64u);
  EXPECT_EQ(got.rlim_max, saved_.rlim_max);
  // prlimit64 sets and reports the old value in one call.
  struct rlimit old;
  ASSERT_THAT(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &saved_, &old), SyscallSucceeds());
  EXPECT_EQ(old.rlim_cur, 64u);
  ASSERT_THAT(getrlimit(RLIMIT_NOFILE, &got), SyscallSucceeds());
  EXPECT_EQ(got.rlim_cur, saved_.rlim_cur);
}

TEST_F(NofileTest, LoweredLimitIsEnforced) {
  // With the soft limit at 3, no descriptor numbered 3 or above can be made.
  const struct rlimit three = {3, saved_.rlim_max};
  ASSERT_THAT(setrlimit(RLIMIT_NOFILE, &three), SyscallSucceeds());
  EXPECT_THAT(dup2(1, 3), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(1, F_DUPFD, 3), SyscallFailsWithErrno(EINVAL));
  if (fcntl(0, F_GETFD) >= 0) {
    // 0, 1 and 2 are all taken.
    EXPECT_THAT(dup(1), SyscallFailsWithErrno(EMFILE));
  }
}

TEST_F(NofileTest, SoftAboveHardFailsEinval) {
  ASSERT_NE(saved_.rlim_max, RLIM_INFINITY);
  const struct rlimit bad = {saved_.rlim_max + 1, saved_.rlim_max};
  EXPECT_THAT(setrlimit(RLIMIT_NOFILE, &bad), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &bad, nullptr),
              SyscallFailsWithErrno(EINVAL));
  struct rlimit got;
  ASSERT_THAT(getrlimit(RLIMIT_NOFILE, &got), SyscallSucceeds());
  EXPECT_EQ(got.rlim_cur, saved_.rlim_cur);
}

// /proc/self/exe

TEST(ProcSelfExeTest, NamesThisProgram) {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
  ASSERT_THAT(n, SyscallSucceedsWithValue(Gt(0)));
  ASSERT_LT(n, static_cast<ssize_t>(sizeof(buf)));
  const std::string path(buf, static_cast<size_t>(n));
  EXPECT_THAT(path, StartsWith("/"));
  EXPECT_EQ(Basename(path), Basename(program_invocation_name));
  EXPECT_EQ(path.find('\0'), std::string::npos);
}

TEST(ProcSelfExeTest, ShortBufferTruncates) {
  char buf[4] = {'x', 'x', 'x', 'x'};
  EXPECT_THAT(readlink("/proc/self/exe", buf, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(buf[0], '/');
  EXPECT_EQ(buf[1], 'x');  // No NUL appended.
  EXPECT_THAT(syscall(SYS_readlink, "/proc/self/exe", buf, 0), SyscallFailsWithErrno(EINVAL));
}

// arch_prctl(2) and the thread pointer

thread_local int tls_initialized = 42;  // Never written: still its .tdata value.
thread_local int tls_scratch = 0;

uintptr_t FsSelfPointer() {
  uintptr_t self;
  // SAFETY: x86-64 TLS (variant II): %fs:0 holds the thread control block's
  // pointer to itself, which libc wrote at start-up.
  asm volatile("mov %%fs:0, %0" : "=r"(self));
  return self;
}

TEST(ArchPrctlTest, GetFsIsTheThreadPointer) {
  uintptr_t fs = 0;
  ASSERT_THAT(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), SyscallSucceeds());
  EXPECT_NE(fs, 0u);
  EXPECT_EQ(fs, FsSelfPointer());
  // TLS variables sit just below the thread pointer.
  for (const int* v : {&tls_initialized, &tls_scratch}) {
    const uintptr_t var = reinterpret_cast<uintptr_t>(v);
    EXPECT_LT(var, fs);
    EXPECT_GT(var, fs - (1 << 20));
  }
  EXPECT_EQ(tls_initialized, 42);
}

TEST(ArchPrctlTest, SetFsToTheSameValue) {
  uintptr_t fs = 0;
  ASSERT_THAT(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs), SyscallSucceeds());
  ASSERT_THAT(syscall(SYS_arch_prctl, ARCH_SET_FS, fs), SyscallSucceeds());
  uintptr_t again = 0;
  ASSERT_THAT(syscall(SYS_arch_prctl, ARCH_GET_FS, &again), SyscallSucceeds());
  EXPECT_EQ(again, fs);
  tls_scratch = 43;
  EXPECT_EQ(tls_scratch, 43);
  EXPECT_EQ(tls_initialized, 42);
  EXPECT_EQ(FsSelfPointer(), fs);
}

TEST(ArchPrctlTest, InvalidCodeFailsEinval) {
  uintptr_t v;
  EXPECT_THAT(syscall(SYS_arch_prctl, 0x9999, &v), SyscallFailsWithErrno(EINVAL));
}

TEST(ArchPrctlTest, GetFsBadPointerFailsEfault) {
  EXPECT_THAT(syscall(SYS_arch_prctl, ARCH_GET_FS, 1), SyscallFailsWithErrno(EFAULT));
}

TEST(SetTidAddressTest, ReturnsTheTid) {
  static int clear_child_tid = -1;  // Lives as long as the process.
  EXPECT_THAT(syscall(SYS_set_tid_address, &clear_child_tid), SyscallSucceedsWithValue(getpid()));
  EXPECT_THAT(syscall(SYS_set_tid_address, &clear_child_tid),
              SyscallSucceedsWithValue(syscall(SYS_gettid)));
  EXPECT_EQ(clear_child_tid, -1);  // Written only when the thread exits.
}

// The standard descriptors

struct FdInfo {
  struct stat st;
  int flags;
  bool is_fifo() const { return S_ISFIFO(st.st_mode); }
  bool is_tty = false;
};

FdInfo Describe(int fd) {
  FdInfo info = {};
  EXPECT_THAT(fstat(fd, &info.st), SyscallSucceeds());
  info.flags = fcntl(fd, F_GETFL);
  EXPECT_THAT(info.flags, SyscallSucceeds());
  struct termios t;
  info.is_tty = syscall(SYS_ioctl, fd, TCGETS, &t) == 0;
  return info;
}

class StdFdTest : public ::testing::TestWithParam<int> {};

TEST_P(StdFdTest, Fstat) {
  struct stat st;
  ASSERT_THAT(fstat(GetParam(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISREG(st.st_mode) ||
              S_ISSOCK(st.st_mode))
      << std::oct << st.st_mode;
  EXPECT_THAT(syscall(SYS_fstat, GetParam(), &st), SyscallSucceeds());
}

TEST_P(StdFdTest, WriteReturnsTheFullCount) {
  constexpr char kMsg[] = "misc_test: write\n";
  EXPECT_THAT(write(GetParam(), kMsg, sizeof(kMsg) - 1),
              SyscallSucceedsWithValue(sizeof(kMsg) - 1));
  EXPECT_THAT(write(GetParam(), kMsg, 0), SyscallSucceedsWithValue(0));
}

TEST_P(StdFdTest, WritevSumsTheVectors) {
  char a[] = "misc_test: ", b[] = "writev", c[] = "\n";
  struct iovec iov[] = {{a, strlen(a)}, {b, strlen(b)}, {nullptr, 0}, {c, strlen(c)}};
  EXPECT_THAT(writev(GetParam(), iov, 4), SyscallSucceedsWithValue(strlen(a) + strlen(b) + 1));
  EXPECT_THAT(writev(GetParam(), iov, 0), SyscallSucceedsWithValue(0));
}

TEST_P(StdFdTest, WritevBadCountFailsEinval) {
  std::vector<struct iovec> iov(1025, {nullptr, 0});
  EXPECT_THAT(syscall(SYS_writev, GetParam(), iov.data(), 1025), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_writev, GetParam(), iov.data(), -1), SyscallFailsWithErrno(EINVAL));
  // 1024 (IOV_MAX) empty vectors are fine.
  EXPECT_THAT(syscall(SYS_writev, GetParam(), iov.data(), 1024), SyscallSucceedsWithValue(0));
}

TEST_P(StdFdTest, WritevLengthOverflowFailsEinval) {
  char x[1] = {'x'};
  // An iov_len that is negative as an ssize_t.
  struct iovec iov[] = {{x, static_cast<size_t>(SSIZE_MAX) + 1}};
  EXPECT_THAT(syscall(SYS_writev, GetParam(), iov, 1), SyscallFailsWithErrno(EINVAL));
}

TEST_P(StdFdTest, PositionalIoOnAStreamFailsEspipe) {
  const FdInfo info = Describe(GetParam());
  if (!info.is_fifo() && !info.is_tty) GTEST_SKIP() << "not a pipe or terminal";
  EXPECT_THAT(pwrite(GetParam(), "x", 1, 0), SyscallFailsWithErrno(ESPIPE));
  EXPECT_THAT(syscall(SYS_pwrite64, GetParam(), "x", 1, 0), SyscallFailsWithErrno(ESPIPE));
  char iov_data[] = "x";
  struct iovec iov = {iov_data, 1};
  EXPECT_THAT(syscall(SYS_pwritev, GetParam(), &iov, 1, 0, 0), SyscallFailsWithErrno(ESPIPE));
  EXPECT_THAT(lseek(GetParam(), 0, SEEK_CUR), SyscallFailsWithErrno(ESPIPE));
}

TEST_P(StdFdTest, ReadFromWriteOnlyFailsEbadf) {
  const FdInfo info = Describe(GetParam());
  if ((info.flags & O_ACCMODE) != O_WRONLY) GTEST_SKIP() << "not write-only";
  char c;
  EXPECT_THAT(read(GetParam(), &c, 1), SyscallFailsWithErrno(EBADF));
  struct iovec iov = {&c, 1};
  EXPECT_THAT(readv(GetParam(), &iov, 1), SyscallFailsWithErrno(EBADF));
}

TEST_P(StdFdTest, TcgetsMatchesTheFileType) {
  struct termios t;
  const long r = syscall(SYS_ioctl, GetParam(), TCGETS, &t);
  const FdInfo info = Describe(GetParam());
  if (r == 0) {
    // Only a terminal (a character device) answers TCGETS.
    EXPECT_TRUE(S_ISCHR(info.st.st_mode));
    EXPECT_EQ(isatty(GetParam()), 1);
  } else {
    EXPECT_THAT(r, SyscallFailsWithErrno(ENOTTY));
    EXPECT_EQ(isatty(GetParam()), 0);
  }
  if (info.is_fifo() || S_ISREG(info.st.st_mode)) {
    EXPECT_THAT(syscall(SYS_ioctl, GetParam(), TCGETS, &t), SyscallFailsWithErrno(ENOTTY));
  }
}

TEST_P(StdFdTest, Fcntl) {
  EXPECT_THAT(fcntl(GetParam(), F_GETFD), SyscallSucceedsWithValue(0));  // Not close-on-exec.
  const int flags = fcntl(GetParam(), F_GETFL);
  ASSERT_THAT(flags, SyscallSucceeds());
  EXPECT_NE(flags & O_ACCMODE, O_RDONLY);  // Written to above.
}

INSTANTIATE_TEST_SUITE_P(MiscTest, StdFdTest, ::testing::Values(1, 2));

TEST(FdTest, BadDescriptorsFailEbadf) {
  char c = 'x';
  EXPECT_THAT(write(1000, &c, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(write(-1, &c, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(read(-1, &c, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(read(1000, &c, 1), SyscallFailsWithErrno(EBADF));
  struct iovec iov = {&c, 1};
  EXPECT_THAT(readv(-1, &iov, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(writev(1000, &iov, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(pwrite(1000, &c, 1, 0), SyscallFailsWithErrno(EBADF));
  struct stat st;
  EXPECT_THAT(fstat(1000, &st), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(1000, F_GETFL), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(syscall(SYS_ioctl, 1000, TCGETS, &st), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(close(1000), SyscallFailsWithErrno(EBADF));
}

TEST(FdTest, DupWriteClose) {
  const int fd = dup(1);
  ASSERT_THAT(fd, SyscallSucceedsWithValue(Ge(3)));
  constexpr char kMsg[] = "misc_test: through a dup\n";
  EXPECT_THAT(write(fd, kMsg, sizeof(kMsg) - 1), SyscallSucceedsWithValue(sizeof(kMsg) - 1));
  struct stat a, b;
  ASSERT_THAT(fstat(fd, &a), SyscallSucceeds());
  ASSERT_THAT(fstat(1, &b), SyscallSucceeds());
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_EQ(a.st_dev, b.st_dev);
  ASSERT_THAT(close(fd), SyscallSucceeds());
  EXPECT_THAT(write(fd, kMsg, 1), SyscallFailsWithErrno(EBADF));
  // The lowest free number is reused.
  const int again = dup(2);
  EXPECT_EQ(again, fd);
  EXPECT_THAT(close(again), SyscallSucceeds());
}

}  // namespace
}  // namespace test_util
