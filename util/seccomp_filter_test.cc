#include "util/seccomp_filter.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace util {
namespace {

// Runs `body` in a forked child and returns its wait status. The child exits 0 on success.
int InChild(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(SeccompFilterTest, BuildsAndDescribes) {
  auto p = SeccompFilter()
               .Allow(SCMP_SYS(read), "reads")
               .AllowIf(SCMP_SYS(write), {ArgEq(0, 2)}, "stderr")
               .AllowIf(SCMP_SYS(write), {ArgEq(0, 1)}, "stdout")
               .AllowMalloc()
               .AllowExit()
               .Build();
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->rule_count(), 10u);
  std::string d = p->Describe();
  EXPECT_NE(d.find("read: reads"), std::string::npos) << d;
  EXPECT_NE(d.find("write (conditional): stderr"), std::string::npos) << d;
}

TEST(SeccompFilterTest, EveryRuleNeedsAReason) {
  auto p = SeccompFilter().Allow(SCMP_SYS(read), "").Build();
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("no reason"), std::string::npos);
}

TEST(SeccompFilterTest, RiskyCallsNeedATag) {
  auto p = SeccompFilter().Allow(SCMP_SYS(execve), "run things").Build();
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("risky"), std::string::npos);
  auto tagged = SeccompFilter()
                    .Allow(SCMP_SYS(execve), RiskyRelaxation("the test says so"), "run things")
                    .Build();
  EXPECT_TRUE(tagged.ok()) << tagged.status();
  auto unjustified =
      SeccompFilter().Allow(SCMP_SYS(execve), RiskyRelaxation(""), "run things").Build();
  EXPECT_FALSE(unjustified.ok());
  // A condition narrows a risky call enough.
  auto narrowed =
      SeccompFilter().AllowIf(SCMP_SYS(mmap), {ArgMaskedEq(2, 4, 0)}, "no exec").Build();
  EXPECT_TRUE(narrowed.ok()) << narrowed.status();
}

TEST(SeccompFilterTest, DuplicatesAndUnknownsAreErrors) {
  EXPECT_FALSE(SeccompFilter().Allow(SCMP_SYS(read), "a").Allow(SCMP_SYS(read), "b").Build().ok());
  EXPECT_FALSE(SeccompFilter()
                   .Allow(SCMP_SYS(write), "a")
                   .AllowIf(SCMP_SYS(write), {ArgEq(0, 1)}, "b")
                   .Build()
                   .ok());
  EXPECT_FALSE(SeccompFilter().Allow(-1, "unknown").Build().ok());
}

TEST(SeccompFilterTest, InstalledFilterEnforces) {
  // Allowed calls work, a Fail() rule returns its errno, everything else kills.
  int status = InChild([] {
    auto p = SeccompFilter(SCMP_ACT_KILL_PROCESS)
                 .AllowWriteTo(2, "stderr")
                 .Fail(SCMP_SYS(getppid), EPERM, "test")
                 .AllowMalloc()
                 .AllowExit()
                 .Build();
    if (!p.ok() || !p->Install().ok()) return 10;
    if (syscall(SYS_getppid) != -1 || errno != EPERM) return 11;
    if (write(2, "", 0) != 0) return 12;
    syscall(SYS_getuid);  // Not allowed: the process dies here.
    return 13;
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGSYS);

  // Conditions are enforced: write to fd 1 is not write to fd 2.
  status = InChild([] {
    auto p = SeccompFilter().AllowWriteTo(2, "stderr").AllowExit().Build();
    if (!p.ok() || !p->Install().ok()) return 10;
    (void)!write(1, "", 0);
    return 13;
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGSYS);
}

}  // namespace
}  // namespace util
