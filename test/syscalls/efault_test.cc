// Bad user pointers: a system call that reads from or writes to memory the
// program cannot access fails with EFAULT (or stops short), and the process
// carries on. Raw syscall() is used throughout so that libc (and the vDSO)
// never touch the pointer first.
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Ge;
using ::testing::Le;

// Whether writes to fd 1 are dropped unread (/dev/null, /dev/zero), in which
// case the kernel never looks at the buffer.
bool StdoutDiscardsWrites() {
  struct stat st;
  if (fstat(1, &st) != 0 || !S_ISCHR(st.st_mode)) return false;
  return st.st_rdev == makedev(1, 3) || st.st_rdev == makedev(1, 5);
}

enum class BadAddress {
  kNullPage,      // 1: below any mapping.
  kUnmapped,      // A page that was mapped and then unmapped.
  kProtNone,      // A mapped PROT_NONE page.
  kReadOnly,      // A mapped PROT_READ page: bad only for the kernel to write.
  kKernel,        // In the kernel's half of the address space.
  kNonCanonical,  // Just past the top of the user address space.
};

std::string BadAddressName(const ::testing::TestParamInfo<BadAddress>& info) {
  switch (info.param) {
    case BadAddress::kNullPage:
      return "NullPage";
    case BadAddress::kUnmapped:
      return "Unmapped";
    case BadAddress::kProtNone:
      return "ProtNone";
    case BadAddress::kReadOnly:
      return "ReadOnly";
    case BadAddress::kKernel:
      return "Kernel";
    case BadAddress::kNonCanonical:
      return "NonCanonical";
  }
  return "Unknown";
}

constexpr char kReadOnlyFill = 'r';

class BadAddressTest : public ::testing::TestWithParam<BadAddress> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case BadAddress::kNullPage:
        addr_ = reinterpret_cast<void*>(1);
        break;
      case BadAddress::kUnmapped: {
        Mapping m;
        ASSERT_THAT(m.MapAnon(kPageSize), SyscallSucceeds());
        addr_ = m.addr();
        break;  // m unmaps it here.
      }
      case BadAddress::kProtNone:
        ASSERT_THAT(mapping_.MapAnon(kPageSize, PROT_NONE), SyscallSucceeds());
        addr_ = mapping_.addr();
        break;
      case BadAddress::kReadOnly:
        ASSERT_THAT(mapping_.MapAnon(kPageSize), SyscallSucceeds());
        memset(mapping_.ptr(), kReadOnlyFill, kPageSize);
        ASSERT_THAT(mprotect(mapping_.addr(), kPageSize, PROT_READ), SyscallSucceeds());
        addr_ = mapping_.addr();
        break;
      case BadAddress::kKernel:
        addr_ = reinterpret_cast<void*>(0xffff888000000000);
        break;
      case BadAddress::kNonCanonical:
        addr_ = reinterpret_cast<void*>(0x0000800000000000);
        break;
    }
  }

  void TearDown() override {
    // The kernel failed instead of writing: a read-only page is unchanged.
    if (GetParam() == BadAddress::kReadOnly && mapping_.valid()) {
      for (size_t i = 0; i < kPageSize; ++i) {
        ASSERT_EQ(mapping_.ptr()[i], kReadOnlyFill) << "written at offset " << i;
      }
    }
  }

  void* addr_ = nullptr;
  Mapping mapping_;
};

// Calls that read the bad address (copy in). A read-only page is readable, so
// it is not among the parameters.
using CopyInTest = BadAddressTest;

TEST_P(CopyInTest, Write) {
  if (StdoutDiscardsWrites()) GTEST_SKIP() << "stdout discards writes unread";
  EXPECT_THAT(syscall(SYS_write, 1, addr_, 10), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyInTest, WritevIovecArray) {
  EXPECT_THAT(syscall(SYS_writev, 1, addr_, 2), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyInTest, WritevIovecBase) {
  if (StdoutDiscardsWrites()) GTEST_SKIP() << "stdout discards writes unread";
  struct iovec iov[1] = {{addr_, 10}};
  EXPECT_THAT(syscall(SYS_writev, 1, iov, 1), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyInTest, Nanosleep) {
  EXPECT_THAT(syscall(SYS_nanosleep, addr_, nullptr), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, addr_, nullptr),
              SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyInTest, Setrlimit) {
  EXPECT_THAT(syscall(SYS_setrlimit, RLIMIT_NOFILE, addr_), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, addr_, nullptr),
              SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyInTest, SchedSetaffinity) {
  EXPECT_THAT(syscall(SYS_sched_setaffinity, 0, sizeof(cpu_set_t), addr_),
              SyscallFailsWithErrno(EFAULT));
}

INSTANTIATE_TEST_SUITE_P(EfaultTest, CopyInTest,
                         ::testing::Values(BadAddress::kNullPage, BadAddress::kUnmapped,
                                           BadAddress::kProtNone, BadAddress::kKernel,
                                           BadAddress::kNonCanonical),
                         BadAddressName);

// Calls that write to the bad address (copy out).
using CopyOutTest = BadAddressTest;

TEST_P(CopyOutTest, ClockGettime) {
  EXPECT_THAT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, addr_), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_clock_gettime, CLOCK_REALTIME, addr_), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, ClockGetres) {
  EXPECT_THAT(syscall(SYS_clock_getres, CLOCK_MONOTONIC, addr_), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Gettimeofday) {
  EXPECT_THAT(syscall(SYS_gettimeofday, addr_, nullptr), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Uname) {
  EXPECT_THAT(syscall(SYS_uname, addr_), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Getrandom) {
  EXPECT_THAT(syscall(SYS_getrandom, addr_, 16, 0), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, SchedGetaffinity) {
  EXPECT_THAT(syscall(SYS_sched_getaffinity, 0, sizeof(cpu_set_t), addr_),
              SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Getcwd) {
  EXPECT_THAT(syscall(SYS_getcwd, addr_, 4096), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Sysinfo) {
  EXPECT_THAT(syscall(SYS_sysinfo, addr_), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Getrlimit) {
  EXPECT_THAT(syscall(SYS_getrlimit, RLIMIT_NOFILE, addr_), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, nullptr, addr_),
              SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Fstat) {
  EXPECT_THAT(syscall(SYS_fstat, 1, addr_), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Getresuid) {
  uid_t r, e;
  EXPECT_THAT(syscall(SYS_getresuid, &r, &e, addr_), SyscallFailsWithErrno(EFAULT));
}

TEST_P(CopyOutTest, Times) {
  EXPECT_THAT(syscall(SYS_times, addr_), SyscallFailsWithErrno(EFAULT));
}

INSTANTIATE_TEST_SUITE_P(EfaultTest, CopyOutTest,
                         ::testing::Values(BadAddress::kNullPage, BadAddress::kUnmapped,
                                           BadAddress::kProtNone, BadAddress::kReadOnly,
                                           BadAddress::kKernel, BadAddress::kNonCanonical),
                         BadAddressName);

// A buffer whose end runs into an unmapped page.
class StraddleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_THAT(mapping_.MapAnon(2 * kPageSize), SyscallSucceeds());
    ASSERT_THAT(munmap(mapping_.ptr() + kPageSize, kPageSize), SyscallSucceeds());
  }
  char* page_end() const { return mapping_.ptr() + kPageSize; }

  Mapping mapping_;
};

TEST_F(StraddleTest, WriteStopsShortOrFails) {
  if (StdoutDiscardsWrites()) GTEST_SKIP() << "stdout discards writes unread";
  constexpr char kTail[] = "(partial)\n";  // The 10 bytes before the hole.
  char* start = page_end() - 10;
  memcpy(start, kTail, 10);
  EXPECT_THAT(syscall(SYS_write, 1, start, 20),
              AnyOf(SyscallSucceedsWithValue(AllOf(Ge(1), Le(10))), SyscallFailsWithErrno(EFAULT)));
}

TEST_F(StraddleTest, CopyOutFails) {
  // The timespec's second half is in the hole.
  EXPECT_THAT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, page_end() - 8),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_uname, page_end() - 100), SyscallFailsWithErrno(EFAULT));
}

TEST_F(StraddleTest, CopyInFails) {
  // A struct timespec half in the hole.
  EXPECT_THAT(syscall(SYS_nanosleep, page_end() - 8, nullptr), SyscallFailsWithErrno(EFAULT));
}

TEST_F(StraddleTest, JustBeforeTheHoleIsFine) {
  char* ts = page_end() - sizeof(struct timespec);
  EXPECT_THAT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts), SyscallSucceeds());
  char* uts = page_end() - sizeof(struct utsname);
  EXPECT_THAT(syscall(SYS_uname, uts), SyscallSucceeds());
  EXPECT_STREQ(reinterpret_cast<struct utsname*>(uts)->sysname, "Linux");
}

TEST(EfaultTest, NormalCallsStillWork) {
  constexpr char kMsg[] = "efault_test: still alive\n";
  EXPECT_THAT(write(1, kMsg, sizeof(kMsg) - 1), SyscallSucceedsWithValue(sizeof(kMsg) - 1));
  struct timespec ts;
  EXPECT_THAT(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts), SyscallSucceeds());
}

// After every test has run, the process is alive and its calls still work.
class SurvivalCheck : public ::testing::Environment {
 public:
  void TearDown() override {
    constexpr char kMsg[] = "efault_test: survived every bad pointer\n";
    EXPECT_THAT(write(1, kMsg, sizeof(kMsg) - 1), SyscallSucceedsWithValue(sizeof(kMsg) - 1));
    EXPECT_THAT(syscall(SYS_getpid), SyscallSucceedsWithValue(getpid()));
  }
};

[[maybe_unused]] ::testing::Environment* const kSurvivalCheck =
    ::testing::AddGlobalTestEnvironment(new SurvivalCheck);

}  // namespace
}  // namespace test_util
