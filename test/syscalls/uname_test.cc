// uname(2): what kernel the program believes it runs on.
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
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

}  // namespace
}  // namespace test_util
