#include "runsc/sentry_hardening.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <string>
#include <thread>

namespace runsc {
namespace {

// Runs `body` in a forked child with stderr (where the log goes) on a pipe;
// returns the wait status and what the child logged.
int InChild(const std::function<int()>& body, std::string* log) {
  int p[2];
  if (pipe(p) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 2);
    close(p[0]);
    _exit(body());
  }
  close(p[1]);
  char buf[512];
  ssize_t n;
  while ((n = read(p[0], buf, sizeof(buf))) > 0) log->append(buf, static_cast<size_t>(n));
  close(p[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(SentryHardeningTest, FilterBuildsWithAReasonForEveryRule) {
  auto p = BuildSentryFilter();
  ASSERT_TRUE(p.ok()) << p.status();
  std::string d = p->Describe();
  EXPECT_NE(d.find("ptrace: run and stop stub threads"), std::string::npos) << d;
  EXPECT_NE(d.find("clone (conditional)"), std::string::npos) << d;
  EXPECT_EQ(d.find("execve"), std::string::npos) << d;
  EXPECT_EQ(d.find("socket:"), std::string::npos) << d;
}

TEST(SentryHardeningTest, HardenedProcessIsUnprivilegedAndFiltered) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (it drops from root)";
  std::string log;
  int status = InChild(
      [] {
        if (!HardenSentry().ok()) return 10;
        if (getuid() != kSandboxUid || getgid() != kSandboxGid) return 11;
        // No host path opens (capabilities are checked from outside, by
        // test/e2e/hardening_test.sh).
        if (open("/proc/self/status", O_RDONLY) != -1 || errno != EACCES) return 13;
        // Threads still start (glibc falls back from clone3 to clone).
        bool ran = false;
        std::thread([&] { ran = true; }).join();
        if (!ran) return 14;
        // What the sentry never does ends the process, with a log line.
        syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
        return 15;
      },
      &log);
  ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status << "\n" << log;
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGSYS) << log;
  EXPECT_NE(log.find("host syscall 41 is not in the sentry's seccomp allowlist"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace runsc
