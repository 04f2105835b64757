// Numbers with no system call behind them fail with ENOSYS, and the process
// carries on.
#include <sys/syscall.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

TEST(EnosysTest, FarOutOfRange) {
  EXPECT_THAT(syscall(100000), SyscallFailsWithErrno(ENOSYS));
  EXPECT_THAT(syscall(0x7fffffffL), SyscallFailsWithErrno(ENOSYS));
}

TEST(EnosysTest, MinusOne) { EXPECT_THAT(syscall(-1), SyscallFailsWithErrno(ENOSYS)); }

TEST(EnosysTest, UnassignedGap) {
  // x86-64 leaves 387..423 unassigned so that new calls (from 424) get the
  // same number on every architecture. (335 and 336 are no longer free:
  // recent kernels use them for uretprobe and uprobe.)
  EXPECT_THAT(syscall(387), SyscallFailsWithErrno(ENOSYS));
  EXPECT_THAT(syscall(400), SyscallFailsWithErrno(ENOSYS));
  EXPECT_THAT(syscall(423), SyscallFailsWithErrno(ENOSYS));
}

TEST(EnosysTest, X32NumbersAreNotX86_64Calls) {
  // 512..547 are x32-only entry points; from a 64-bit program they are not
  // system calls.
  EXPECT_THAT(syscall(512), SyscallFailsWithErrno(ENOSYS));
  EXPECT_THAT(syscall(547), SyscallFailsWithErrno(ENOSYS));
}

TEST(EnosysTest, ArgumentsDoNotMatter) {
  EXPECT_THAT(syscall(400, 1, 2, 3, 4, 5, 6), SyscallFailsWithErrno(ENOSYS));
}

TEST(EnosysTest, ProcessContinuesAfterwards) {
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(syscall(100000 + i), SyscallFailsWithErrno(ENOSYS));
  }
  EXPECT_THAT(syscall(SYS_getpid), SyscallSucceedsWithValue(getpid()));
}

}  // namespace
}  // namespace test_util
