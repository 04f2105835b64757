// Credentials: getuid(2) and friends, getresuid(2), getgroups(2)/setgroups(2).
// run_both.sh exports the runner's ids as SYSCALL_TEST_UID/SYSCALL_TEST_GID:
// the program must see the same ids natively and in the sandbox.
#include <grp.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::ElementsAreArray;
using ::testing::Ge;

// The id the runner exported in `var`, or -1 if it did not.
long RunnerId(const char* var) {
  const char* v = getenv(var);
  return v == nullptr ? -1 : std::stol(v);
}

TEST(IdentityTest, RealAndEffectiveAgree) {
  EXPECT_EQ(getuid(), geteuid());
  EXPECT_EQ(getgid(), getegid());
  EXPECT_THAT(syscall(SYS_getuid), SyscallSucceedsWithValue(syscall(SYS_geteuid)));
  EXPECT_THAT(syscall(SYS_getgid), SyscallSucceedsWithValue(syscall(SYS_getegid)));
}

TEST(IdentityTest, MatchesRunner) {
  const long uid = RunnerId("SYSCALL_TEST_UID");
  const long gid = RunnerId("SYSCALL_TEST_GID");
  if (uid < 0 || gid < 0) GTEST_SKIP() << "not run by run_both.sh";
  EXPECT_EQ(static_cast<long>(getuid()), uid);
  EXPECT_EQ(static_cast<long>(geteuid()), uid);
  EXPECT_EQ(static_cast<long>(getgid()), gid);
  EXPECT_EQ(static_cast<long>(getegid()), gid);
}

TEST(IdentityTest, GetresidsAgree) {
  uid_t r = 1234, e = 1234, s = 1234;
  ASSERT_THAT(getresuid(&r, &e, &s), SyscallSucceeds());
  EXPECT_EQ(r, getuid());
  EXPECT_EQ(e, geteuid());
  EXPECT_EQ(s, geteuid());
  gid_t rg = 1234, eg = 1234, sg = 1234;
  ASSERT_THAT(getresgid(&rg, &eg, &sg), SyscallSucceeds());
  EXPECT_EQ(rg, getgid());
  EXPECT_EQ(eg, getegid());
  EXPECT_EQ(sg, getegid());
}

TEST(IdentityTest, GetgroupsCount) {
  const long n = syscall(SYS_getgroups, 0, nullptr);
  ASSERT_THAT(n, SyscallSucceedsWithValue(Ge(0)));
  std::vector<gid_t> groups(static_cast<size_t>(n) + 1);
  EXPECT_THAT(syscall(SYS_getgroups, groups.size(), groups.data()), SyscallSucceedsWithValue(n));
}

TEST(IdentityTest, GetgroupsNegativeSize) {
  gid_t g[1];
  EXPECT_THAT(syscall(SYS_getgroups, -1, g), SyscallFailsWithErrno(EINVAL));
}

// Replaces the supplementary groups with `groups` for the life of the object,
// then restores them.
class ScopedGroups {
 public:
  explicit ScopedGroups(const std::vector<gid_t>& groups) {
    const int n = getgroups(0, nullptr);
    saved_.resize(static_cast<size_t>(n > 0 ? n : 0));
    if (n > 0 && getgroups(n, saved_.data()) != n) return;
    ok_ = syscall(SYS_setgroups, groups.size(), groups.data()) == 0;
  }
  ~ScopedGroups() {
    if (ok_) syscall(SYS_setgroups, saved_.size(), saved_.data());
  }
  bool ok() const { return ok_; }

 private:
  std::vector<gid_t> saved_;
  bool ok_ = false;
};

// setgroups needs CAP_SETGID; the tests run as root natively and in the sandbox.
class GroupsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to set supplementary groups";
  }
  const std::vector<gid_t> kGroups = {1, 20, 300};
};

TEST_F(GroupsTest, SetgroupsRoundTrips) {
  ScopedGroups scoped(kGroups);
  ASSERT_TRUE(scoped.ok()) << ErrnoName(errno);
  ASSERT_THAT(syscall(SYS_getgroups, 0, nullptr), SyscallSucceedsWithValue(3));
  std::vector<gid_t> got(3);
  ASSERT_THAT(syscall(SYS_getgroups, got.size(), got.data()), SyscallSucceedsWithValue(3));
  EXPECT_THAT(got, ElementsAreArray(kGroups));
}

TEST_F(GroupsTest, SizeTooSmallFailsEinval) {
  ScopedGroups scoped(kGroups);
  ASSERT_TRUE(scoped.ok()) << ErrnoName(errno);
  gid_t got[2] = {4242, 4242};
  EXPECT_THAT(syscall(SYS_getgroups, 1, got), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_getgroups, 2, got), SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(got[0], 4242u);  // Nothing copied out on failure.
}

TEST_F(GroupsTest, BadPointerFailsEfault) {
  ScopedGroups scoped(kGroups);
  ASSERT_TRUE(scoped.ok()) << ErrnoName(errno);
  EXPECT_THAT(syscall(SYS_getgroups, 3, reinterpret_cast<gid_t*>(1)),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_getgroups, 100, reinterpret_cast<gid_t*>(1)),
              SyscallFailsWithErrno(EFAULT));
}

TEST_F(GroupsTest, EmptyGroupList) {
  ScopedGroups scoped({});
  ASSERT_TRUE(scoped.ok()) << ErrnoName(errno);
  EXPECT_THAT(syscall(SYS_getgroups, 0, nullptr), SyscallSucceedsWithValue(0));
  // With no groups nothing is copied, so even a bad pointer succeeds.
  EXPECT_THAT(syscall(SYS_getgroups, 4, reinterpret_cast<gid_t*>(1)), SyscallSucceedsWithValue(0));
}

TEST_F(GroupsTest, SetgroupsBadPointerFailsEfault) {
  EXPECT_THAT(syscall(SYS_setgroups, 2, reinterpret_cast<gid_t*>(1)),
              SyscallFailsWithErrno(EFAULT));
}

}  // namespace
}  // namespace test_util
