// uname(2): what kernel the program believes it runs on.
#include <sched.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::MatchesRegex;

// Whether `s` is NUL-terminated within its field.
template <size_t N>
bool Terminated(const char (&s)[N]) {
  return memchr(s, '\0', N) != nullptr;
}

TEST(UnameTest, Succeeds) {
  struct utsname u;
  memset(&u, 0xff, sizeof(u));
  ASSERT_THAT(syscall(SYS_uname, &u), SyscallSucceeds());
  EXPECT_TRUE(Terminated(u.sysname));
  EXPECT_TRUE(Terminated(u.nodename));
  EXPECT_TRUE(Terminated(u.release));
  EXPECT_TRUE(Terminated(u.version));
  EXPECT_TRUE(Terminated(u.machine));
  EXPECT_TRUE(Terminated(u.domainname));
}

TEST(UnameTest, SysnameAndMachine) {
  struct utsname u;
  ASSERT_THAT(uname(&u), SyscallSucceeds());
  EXPECT_STREQ(u.sysname, "Linux");
  EXPECT_STREQ(u.machine, "x86_64");
}

TEST(UnameTest, ReleaseIsMajorDotMinor) {
  struct utsname u;
  ASSERT_THAT(uname(&u), SyscallSucceeds());
  EXPECT_THAT(std::string(u.release), MatchesRegex("[0-9]+\\.[0-9]+.*"));
  int major = 0, minor = 0;
  ASSERT_EQ(sscanf(u.release, "%d.%d", &major, &minor), 2);
  // Static glibc refuses to start on kernels older than it supports (3.2), so
  // a sane release is at least that.
  EXPECT_GE(major * 1000 + minor, 3002);
}

TEST(UnameTest, NodenameAndVersion) {
  struct utsname u;
  ASSERT_THAT(uname(&u), SyscallSucceeds());
  EXPECT_GT(strlen(u.nodename), 0u);
  EXPECT_GT(strlen(u.version), 0u);
}

TEST(UnameTest, Stable) {
  struct utsname a, b;
  ASSERT_THAT(uname(&a), SyscallSucceeds());
  ASSERT_THAT(syscall(SYS_uname, &b), SyscallSucceeds());
  EXPECT_STREQ(a.sysname, b.sysname);
  EXPECT_STREQ(a.nodename, b.nodename);
  EXPECT_STREQ(a.release, b.release);
  EXPECT_STREQ(a.version, b.version);
  EXPECT_STREQ(a.machine, b.machine);
}

// sethostname/setdomainname change what uname and /proc/sys/kernel report.
// Natively the child first takes a UTS namespace of its own, so the host's
// name never changes; the sandbox has its own UTS namespace (and no
// unshare(2), ENOSYS).
TEST(UnameTest, SethostnameAndSetdomainname) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (unshare(CLONE_NEWUTS) != 0 && errno != ENOSYS) _exit(2);
    const char name[] = "uts-test-host";
    if (sethostname(name, strlen(name)) != 0) _exit(3);
    struct utsname u;
    if (uname(&u) != 0 || strcmp(u.nodename, name) != 0) _exit(4);
    std::ifstream proc("/proc/sys/kernel/hostname");
    std::string line;
    if (!std::getline(proc, line) || line != name) _exit(5);
    char longname[80];
    memset(longname, 'x', sizeof(longname));
    if (sethostname(longname, 65) == 0 || errno != EINVAL) _exit(6);
    if (syscall(SYS_sethostname, 8, 5) == 0 || errno != EFAULT) _exit(7);
    if (setdomainname("dom.example", 11) != 0) _exit(8);
    if (uname(&u) != 0 || strcmp(u.domainname, "dom.example") != 0 ||
        strcmp(u.nodename, name) != 0) {
      _exit(9);
    }
    // The empty name is allowed.
    if (sethostname("", 0) != 0 || uname(&u) != 0 || u.nodename[0] != '\0') _exit(10);
    // Without CAP_SYS_ADMIN: EPERM.
    if (setresuid(65534, 65534, 65534) != 0) _exit(11);
    if (sethostname(name, strlen(name)) == 0 || errno != EPERM) _exit(12);
    _exit(0);
  }
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 2) GTEST_SKIP() << "no UTS namespace of its own to change";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "step that failed: " << WEXITSTATUS(status);
}

}  // namespace
}  // namespace test_util
