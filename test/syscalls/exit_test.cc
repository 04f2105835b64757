// The first process of a PID namespace: getpid(2), getppid(2), gettid(2).
// Exit statuses themselves are checked end to end (test/e2e), since observing
// _exit(2) needs a parent.
#include <sys/syscall.h>
#include <unistd.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

TEST(ExitTest, InitProcessIsPidOne) {
  EXPECT_THAT(getpid(), SyscallSucceedsWithValue(1));
  EXPECT_THAT(syscall(SYS_getpid), SyscallSucceedsWithValue(1));
}

TEST(ExitTest, InitProcessHasNoParentInItsNamespace) {
  EXPECT_THAT(getppid(), SyscallSucceedsWithValue(0));
  EXPECT_THAT(syscall(SYS_getppid), SyscallSucceedsWithValue(0));
}

TEST(ExitTest, MainThreadTidIsPid) {
  EXPECT_THAT(syscall(SYS_gettid), SyscallSucceedsWithValue(getpid()));
  EXPECT_EQ(gettid(), getpid());
}

TEST(ExitTest, IdsAreStable) {
  const pid_t pid = getpid();
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(syscall(SYS_getpid), pid);
    ASSERT_EQ(syscall(SYS_gettid), pid);
  }
}

}  // namespace
}  // namespace test_util
