// Processes: fork(2), wait4(2), waitid(2), execve(2), pipe(2), SIGCHLD.
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace {

using ::test_util::SyscallFailsWithErrno;
using ::test_util::SyscallSucceeds;

TEST(ProcessTest, ForkAndWaitForExitCode) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(42);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42);
  EXPECT_THAT(waitpid(child, &status, 0), SyscallFailsWithErrno(ECHILD));
}

TEST(ProcessTest, ChildSeesItsOwnIdsAndParent) {
  pid_t parent = getpid();
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pid_t ids[2] = {getpid(), getppid()};
    _exit(write(fds[1], ids, sizeof(ids)) == sizeof(ids) ? 0 : 1);
  }
  pid_t ids[2];
  ASSERT_EQ(read(fds[0], ids, sizeof(ids)), static_cast<ssize_t>(sizeof(ids)));
  EXPECT_EQ(ids[0], child);
  EXPECT_EQ(ids[1], parent);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(status, 0);
  close(fds[0]);
  close(fds[1]);
}

TEST(ProcessTest, MemoryIsCopiedOnWrite) {
  constexpr size_t kLen = 16 << 20;
  char* mem = static_cast<char*>(
      mmap(nullptr, kLen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(mem, MAP_FAILED);
  memset(mem, 'p', kLen);
  char* shared = static_cast<char*>(
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(shared, MAP_FAILED);
  shared[0] = 's';
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    bool ok = mem[0] == 'p' && mem[kLen - 1] == 'p';
    mem[0] = 'c';
    shared[0] = 'c';
    _exit(ok ? 0 : 1);
  }
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(mem[0], 'p') << "the child's write must not reach the parent";
  EXPECT_EQ(shared[0], 'c') << "MAP_SHARED memory stays shared";
  munmap(mem, kLen);
  munmap(shared, 4096);
}

TEST(ProcessTest, KilledChildReportsTheSignal) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    kill(getpid(), SIGTERM);
    _exit(0);
  }
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST(ProcessTest, WaitNohangAndWaitid) {
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char c;
    (void)!read(fds[0], &c, 1);  // until the parent says go
    _exit(7);
  }
  int status;
  EXPECT_EQ(waitpid(child, &status, WNOHANG), 0);
  ASSERT_EQ(write(fds[1], "g", 1), 1);
  siginfo_t info = {};
  ASSERT_THAT(waitid(P_PID, child, &info, WEXITED | WNOWAIT), SyscallSucceeds());
  EXPECT_EQ(info.si_pid, child);
  EXPECT_EQ(info.si_code, CLD_EXITED);
  EXPECT_EQ(info.si_status, 7);
  // WNOWAIT left it to be reaped again.
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 7);
  close(fds[0]);
  close(fds[1]);
}

TEST(ProcessTest, WaitWithoutChildrenFailsEchild) {
  EXPECT_THAT(wait(nullptr), SyscallFailsWithErrno(ECHILD));
  EXPECT_THAT(waitpid(-1, nullptr, 0x1000), SyscallFailsWithErrno(EINVAL));
}

volatile sig_atomic_t g_chld = 0;
void OnChld(int) { g_chld = 1; }

TEST(ProcessTest, ParentGetsSigchld) {
  g_chld = 0;
  signal(SIGCHLD, OnChld);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  for (int i = 0; i < 100 && !g_chld; ++i) usleep(1000);
  EXPECT_EQ(g_chld, 1);
  signal(SIGCHLD, SIG_DFL);
}

TEST(ProcessTest, PipeCarriesDataAndEof) {
  int fds[2];
  ASSERT_THAT(pipe2(fds, O_CLOEXEC), SyscallSucceeds());
  EXPECT_EQ(fcntl(fds[0], F_GETFD), FD_CLOEXEC);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    std::string big(200000, 'x');
    size_t done = 0;
    while (done < big.size()) {
      ssize_t n = write(fds[1], big.data() + done, big.size() - done);
      if (n <= 0) _exit(1);
      done += n;
    }
    _exit(0);
  }
  close(fds[1]);
  size_t total = 0;
  char buf[8192];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) total += n;
  EXPECT_EQ(n, 0);
  EXPECT_EQ(total, 200000u);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(status, 0);
  close(fds[0]);
}

TEST(ProcessTest, WriteToPipeWithoutReaderIsEpipe) {
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  signal(SIGPIPE, SIG_IGN);
  close(fds[0]);
  EXPECT_THAT(write(fds[1], "x", 1), SyscallFailsWithErrno(EPIPE));
  close(fds[1]);
  signal(SIGPIPE, SIG_DFL);
  int p2[2];
  ASSERT_THAT(pipe2(p2, O_NONBLOCK), SyscallSucceeds());
  char c;
  EXPECT_THAT(read(p2[0], &c, 1), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(pwrite(p2[1], "x", 1, 0), SyscallFailsWithErrno(ESPIPE));
  EXPECT_THAT(pipe2(p2, 0x12345678), SyscallFailsWithErrno(EINVAL));
}

TEST(ProcessTest, ExecveRunsAnotherProgram) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const char* argv[] = {"busybox", "sh", "-c", "exit 5", nullptr};
    const char* envp[] = {"PATH=/bin", nullptr};
    execve("/bin/busybox", const_cast<char**>(argv), const_cast<char**>(envp));
    _exit(99);
  }
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 5);
  EXPECT_THAT(syscall(SYS_execve, "/nonexistent/program", nullptr, nullptr),
              SyscallFailsWithErrno(ENOENT));
}

}  // namespace
