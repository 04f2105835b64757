// Process file descriptors: pidfd_open(2), pidfd_send_signal(2),
// pidfd_getfd(2), CLONE_PIDFD (clone(2) and clone3(2)), waitid(P_PIDFD),
// readiness for poll(2)/epoll(7) when the process exits, and how /proc shows
// a pidfd.
//
// Children block on a pipe until the test lets them go, so "still running"
// and "exited" are states the test chooses, never timings.
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif

namespace test_util {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;

int PidfdOpen(pid_t pid, unsigned flags) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, flags));
}
int PidfdSendSignal(int pidfd, int sig, siginfo_t* info, unsigned flags) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags));
}
int PidfdGetfd(int pidfd, int fd, unsigned flags) {
  return static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, flags));
}
int WaitidRaw(int idtype, int id, siginfo_t* info, int options) {
  return static_cast<int>(syscall(SYS_waitid, idtype, id, info, options, nullptr));
}

class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// A child that waits until Release() (or until it is killed) and then exits
// with status 7.
class BlockedChild {
 public:
  BlockedChild() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[1]);
      char c;
      while (read(fds[0], &c, 1) < 0 && errno == EINTR) {
      }
      _exit(7);
    }
    close(fds[0]);
    release_fd_ = fds[1];
  }
  ~BlockedChild() {
    Release();
    if (pid_ > 0 && !reaped_) waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }
  void Release() {
    if (release_fd_ >= 0) close(release_fd_);
    release_fd_ = -1;
  }
  void set_reaped() { reaped_ = true; }

 private:
  pid_t pid_ = -1;
  int release_fd_ = -1;
  bool reaped_ = false;
};

int PollNow(int fd, int timeout_ms = 0) {
  pollfd p{fd, POLLIN, 0};
  int n = poll(&p, 1, timeout_ms);
  if (n < 0) return -1;
  return p.revents;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PidfdOpenTest, RejectsBadArguments) {
  EXPECT_THAT(PidfdOpen(getpid(), 0x1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdOpen(0, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdOpen(-1, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdOpen(0x3fffffff, 0), SyscallFailsWithErrno(ESRCH));
}

TEST(PidfdOpenTest, SelfIsCloseOnExecAndNamedPidfd) {
  int fd = PidfdOpen(getpid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  EXPECT_THAT(fcntl(fd, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  EXPECT_THAT(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
  char buf[64] = {};
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ASSERT_THAT(readlink(link.c_str(), buf, sizeof(buf) - 1), SyscallSucceeds());
  EXPECT_STREQ(buf, "anon_inode:[pidfd]");
  std::string info = ReadFile("/proc/self/fdinfo/" + std::to_string(fd));
  EXPECT_THAT(info, HasSubstr("Pid:\t" + std::to_string(getpid()) + "\n"));
  // A running process is not readable.
  EXPECT_EQ(PollNow(fd), 0);
  // pidfds are not for reading.
  EXPECT_THAT(read(fd, buf, sizeof(buf)), SyscallFailsWithErrno(EINVAL));
}

TEST(PidfdOpenTest, NonblockFlagIsTheFilesFlag) {
  int fd = PidfdOpen(getpid(), PIDFD_NONBLOCK);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
}

TEST(PidfdOpenTest, ThreadThatIsNotALeaderIsRejected) {
  pid_t tid = 0;
  int ready[2], done[2];
  ASSERT_THAT(pipe(ready), SyscallSucceeds());
  ASSERT_THAT(pipe(done), SyscallSucceeds());
  std::thread th([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    char c = 0;
    (void)!write(ready[1], &c, 1);
    (void)!read(done[0], &c, 1);  // stays alive until the main thread is done
  });
  char c = 0;
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  // EINVAL before Linux 6.9, ENOENT since.
  EXPECT_THAT(PidfdOpen(tid, 0),
              AnyOf(SyscallFailsWithErrno(EINVAL), SyscallFailsWithErrno(ENOENT)));
  EXPECT_THAT(write(done[1], &c, 1), SyscallSucceedsWithValue(1));
  th.join();
  for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
}

TEST(PidfdTest, PollReportsExitAndWaitidReaps) {
  BlockedChild child;
  ASSERT_GT(child.pid(), 0);
  int fd = PidfdOpen(child.pid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  EXPECT_EQ(PollNow(fd), 0);

  int ep = epoll_create1(EPOLL_CLOEXEC);
  ASSERT_THAT(ep, SyscallSucceeds());
  ScopedFd ep_closer(ep);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 42;
  ASSERT_THAT(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), SyscallSucceeds());
  epoll_event out{};
  EXPECT_THAT(epoll_wait(ep, &out, 1, 0), SyscallSucceedsWithValue(0));

  child.Release();
  // Blocks until the child has exited: poll must be woken by the exit.
  EXPECT_EQ(PollNow(fd, -1) & POLLIN, POLLIN);
  ASSERT_THAT(RetryEINTR(epoll_wait)(ep, &out, 1, -1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(out.data.u64, 42u);

  siginfo_t info{};
  ASSERT_THAT(WaitidRaw(P_PIDFD, fd, &info, WEXITED), SyscallSucceeds());
  child.set_reaped();
  EXPECT_EQ(info.si_pid, child.pid());
  EXPECT_EQ(info.si_code, CLD_EXITED);
  EXPECT_EQ(info.si_status, 7);
  // Still readable once reaped; the process is gone for every other use.
  EXPECT_EQ(PollNow(fd) & POLLIN, POLLIN);
  EXPECT_THAT(PidfdSendSignal(fd, SIGTERM, nullptr, 0), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(WaitidRaw(P_PIDFD, fd, &info, WEXITED), SyscallFailsWithErrno(ECHILD));
  EXPECT_THAT(PidfdOpen(child.pid(), 0), SyscallFailsWithErrno(ESRCH));
}

TEST(PidfdTest, WaitidBlocksUntilExit) {
  BlockedChild child;
  ASSERT_GT(child.pid(), 0);
  int fd = PidfdOpen(child.pid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  std::thread releaser([&] { child.Release(); });
  siginfo_t info{};
  ASSERT_THAT(RetryEINTR(WaitidRaw)(P_PIDFD, fd, &info, WEXITED), SyscallSucceeds());
  releaser.join();
  child.set_reaped();
  EXPECT_EQ(info.si_pid, child.pid());
  EXPECT_EQ(info.si_status, 7);
}

TEST(PidfdTest, NonblockingWaitid) {
  BlockedChild child;
  ASSERT_GT(child.pid(), 0);
  int fd = PidfdOpen(child.pid(), PIDFD_NONBLOCK);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  siginfo_t info{};
  EXPECT_THAT(WaitidRaw(P_PIDFD, fd, &info, WEXITED), SyscallFailsWithErrno(EAGAIN));
  info.si_pid = 99;
  EXPECT_THAT(WaitidRaw(P_PIDFD, fd, &info, WEXITED | WNOHANG), SyscallSucceedsWithValue(0));
  EXPECT_EQ(info.si_pid, 0);
}

TEST(PidfdTest, WaitidErrors) {
  siginfo_t info{};
  EXPECT_THAT(WaitidRaw(P_PIDFD, -1, &info, WEXITED), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(WaitidRaw(P_PIDFD, 1000, &info, WEXITED), SyscallFailsWithErrno(EBADF));
  int p[2];
  ASSERT_THAT(pipe(p), SyscallSucceeds());
  EXPECT_THAT(WaitidRaw(P_PIDFD, p[0], &info, WEXITED), SyscallFailsWithErrno(EBADF));
  close(p[0]);
  close(p[1]);
  // Not a child of the caller.
  int self = PidfdOpen(getpid(), 0);
  ASSERT_THAT(self, SyscallSucceeds());
  EXPECT_THAT(WaitidRaw(P_PIDFD, self, &info, WEXITED | WNOHANG), SyscallFailsWithErrno(ECHILD));
  close(self);
}

TEST(PidfdTest, ZombieCanBeOpenedAndIsReadable) {
  pid_t pid = fork();
  if (pid == 0) _exit(3);
  ASSERT_THAT(pid, SyscallSucceeds());
  siginfo_t info{};
  // Wait for the exit but leave the zombie.
  ASSERT_THAT(RetryEINTR(WaitidRaw)(P_PID, pid, &info, WEXITED | WNOWAIT), SyscallSucceeds());
  int fd = PidfdOpen(pid, 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  EXPECT_EQ(PollNow(fd) & POLLIN, POLLIN);
  ASSERT_THAT(WaitidRaw(P_PIDFD, fd, &info, WEXITED), SyscallSucceeds());
  EXPECT_EQ(info.si_pid, pid);
  EXPECT_EQ(info.si_status, 3);
}

TEST(PidfdSendSignalTest, KillsTheProcess) {
  BlockedChild child;
  ASSERT_GT(child.pid(), 0);
  int fd = PidfdOpen(child.pid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  EXPECT_THAT(PidfdSendSignal(fd, 0, nullptr, 0), SyscallSucceeds());
  ASSERT_THAT(PidfdSendSignal(fd, SIGKILL, nullptr, 0), SyscallSucceeds());
  siginfo_t info{};
  ASSERT_THAT(RetryEINTR(WaitidRaw)(P_PIDFD, fd, &info, WEXITED), SyscallSucceeds());
  child.set_reaped();
  EXPECT_EQ(info.si_code, CLD_KILLED);
  EXPECT_EQ(info.si_status, SIGKILL);
}

TEST(PidfdSendSignalTest, Errors) {
  int fd = PidfdOpen(getpid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  EXPECT_THAT(PidfdSendSignal(fd, 0, nullptr, 0x100), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdSendSignal(fd, 65, nullptr, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdSendSignal(-1, 0, nullptr, 0), SyscallFailsWithErrno(EBADF));
  int p[2];
  ASSERT_THAT(pipe(p), SyscallSucceeds());
  EXPECT_THAT(PidfdSendSignal(p[0], 0, nullptr, 0), SyscallFailsWithErrno(EBADF));
  close(p[0]);
  close(p[1]);
  siginfo_t info{};
  info.si_signo = SIGUSR2;  // not the signal sent
  info.si_code = SI_QUEUE;
  EXPECT_THAT(PidfdSendSignal(fd, SIGUSR1, &info, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdSendSignal(fd, SIGUSR1, reinterpret_cast<siginfo_t*>(8), 0),
              SyscallFailsWithErrno(EFAULT));
}

// pidfd_send_signal(2) also takes an open /proc/PID directory (what it was
// first designed for); a thread's /proc/PID/task/TID or any other directory
// is not a process.
TEST(PidfdSendSignalTest, ProcPidDirectoryNamesTheProcess) {
  BlockedChild child;
  ASSERT_GT(child.pid(), 0);
  std::string dir = "/proc/" + std::to_string(child.pid());
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  int task_fd = open((dir + "/task/" + std::to_string(child.pid())).c_str(),
                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_THAT(task_fd, SyscallSucceeds());
  ScopedFd task_closer(task_fd);
  EXPECT_THAT(PidfdSendSignal(task_fd, SIGKILL, nullptr, 0), SyscallFailsWithErrno(EBADF));
  int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_THAT(proc_fd, SyscallSucceeds());
  ScopedFd proc_closer(proc_fd);
  EXPECT_THAT(PidfdSendSignal(proc_fd, SIGKILL, nullptr, 0), SyscallFailsWithErrno(EBADF));
  // Not a pidfd for the other calls.
  EXPECT_THAT(PidfdGetfd(fd, 0, 0), SyscallFailsWithErrno(EBADF));

  EXPECT_THAT(PidfdSendSignal(fd, 0, nullptr, 0), SyscallSucceeds());
  ASSERT_THAT(PidfdSendSignal(fd, SIGKILL, nullptr, 0), SyscallSucceeds());
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(child.pid(), &status, 0), SyscallSucceedsWithValue(child.pid()));
  child.set_reaped();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
  // Reaped: the directory names no process any more.
  EXPECT_THAT(PidfdSendSignal(fd, 0, nullptr, 0), SyscallFailsWithErrno(ESRCH));
}

TEST(PidfdSendSignalTest, QueuesInfoToSelf) {
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  ASSERT_THAT(sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceeds());
  int fd = PidfdOpen(getpid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  siginfo_t info{};
  info.si_signo = SIGUSR1;
  info.si_code = SI_QUEUE;
  info.si_value.sival_int = 1234;
  ASSERT_THAT(PidfdSendSignal(fd, SIGUSR1, &info, 0), SyscallSucceeds());
  siginfo_t got{};
  timespec zero{};
  ASSERT_THAT(sigtimedwait(&set, &got, &zero), SyscallSucceedsWithValue(SIGUSR1));
  EXPECT_EQ(got.si_code, SI_QUEUE);
  EXPECT_EQ(got.si_value.sival_int, 1234);
  // Without info: SI_USER from the caller.
  ASSERT_THAT(PidfdSendSignal(fd, SIGUSR1, nullptr, 0), SyscallSucceeds());
  ASSERT_THAT(sigtimedwait(&set, &got, &zero), SyscallSucceedsWithValue(SIGUSR1));
  EXPECT_EQ(got.si_code, SI_USER);
  EXPECT_EQ(got.si_pid, getpid());
  sigprocmask(SIG_SETMASK, &old, nullptr);
}

TEST(PidfdSendSignalTest, ForgedKernelInfoToAnotherProcessIsRefused) {
  BlockedChild child;
  ASSERT_GT(child.pid(), 0);
  int fd = PidfdOpen(child.pid(), 0);
  ASSERT_THAT(fd, SyscallSucceeds());
  ScopedFd closer(fd);
  siginfo_t info{};
  info.si_signo = SIGTERM;
  info.si_code = SI_KERNEL;
  EXPECT_THAT(PidfdSendSignal(fd, SIGTERM, &info, 0), SyscallFailsWithErrno(EPERM));
}

TEST(PidfdGetfdTest, DupsAFileOfTheTarget) {
  // The child makes a pipe after fork, writes into it, and tells the parent
  // the read end's number; the parent takes that end with pidfd_getfd.
  int report[2], release[2];
  ASSERT_THAT(pipe(report), SyscallSucceeds());
  ASSERT_THAT(pipe(release), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    close(report[0]);
    close(release[1]);
    int p[2];
    if (pipe(p) != 0) _exit(1);
    if (write(p[1], "secret", 6) != 6) _exit(2);
    if (write(report[1], &p[0], sizeof(int)) != sizeof(int)) _exit(3);
    char c;
    while (read(release[0], &c, 1) < 0 && errno == EINTR) {
    }
    _exit(0);
  }
  ASSERT_THAT(pid, SyscallSucceeds());
  close(report[1]);
  close(release[0]);
  int child_fd = -1;
  ASSERT_THAT(read(report[0], &child_fd, sizeof(int)), SyscallSucceedsWithValue(sizeof(int)));
  int pidfd = PidfdOpen(pid, 0);
  ASSERT_THAT(pidfd, SyscallSucceeds());
  ScopedFd closer(pidfd);

  EXPECT_THAT(PidfdGetfd(pidfd, child_fd, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(PidfdGetfd(pidfd, 900, 0), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(PidfdGetfd(report[0], child_fd, 0), SyscallFailsWithErrno(EBADF));
  int got = PidfdGetfd(pidfd, child_fd, 0);
  ASSERT_THAT(got, SyscallSucceeds());
  ScopedFd got_closer(got);
  EXPECT_THAT(fcntl(got, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  char buf[8] = {};
  EXPECT_THAT(read(got, buf, sizeof(buf)), SyscallSucceedsWithValue(6));
  EXPECT_STREQ(buf, "secret");

  close(release[1]);
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  close(report[0]);
  // The process is gone.
  EXPECT_THAT(PidfdGetfd(pidfd, 0, 0), SyscallFailsWithErrno(ESRCH));
}

TEST(PidfdGetfdTest, AnotherUserIsRefused) {
  int self = PidfdOpen(getpid(), 0);
  ASSERT_THAT(self, SyscallSucceeds());
  ScopedFd closer(self);
  pid_t pid = fork();
  if (pid == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(10);
    int fd = PidfdGetfd(self, 0, 0);
    _exit(fd < 0 && errno == EPERM ? 0 : 11);
  }
  ASSERT_THAT(pid, SyscallSucceeds());
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(ClonePidfdTest, Clone3ReturnsAPidfd) {
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uintptr_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof(args));
  if (pid == 0) _exit(5);
  ASSERT_THAT(pid, SyscallSucceeds());
  ASSERT_GE(pidfd, 0);
  ScopedFd closer(pidfd);
  EXPECT_THAT(fcntl(pidfd, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  siginfo_t info{};
  ASSERT_THAT(RetryEINTR(WaitidRaw)(P_PIDFD, pidfd, &info, WEXITED), SyscallSucceeds());
  EXPECT_EQ(info.si_pid, pid);
  EXPECT_EQ(info.si_status, 5);
}

TEST(ClonePidfdTest, CloneStoresThePidfdAtParentTid) {
  int pidfd = -1;
  long pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, nullptr, &pidfd, nullptr, nullptr);
  if (pid == 0) _exit(6);
  ASSERT_THAT(pid, SyscallSucceeds());
  ASSERT_GE(pidfd, 0);
  ScopedFd closer(pidfd);
  siginfo_t info{};
  ASSERT_THAT(RetryEINTR(WaitidRaw)(P_PIDFD, pidfd, &info, WEXITED), SyscallSucceeds());
  EXPECT_EQ(info.si_pid, pid);
  EXPECT_EQ(info.si_status, 6);
}

TEST(ClonePidfdTest, Errors) {
  int pidfd = -1;
  // clone(2) has one slot for both.
  EXPECT_THAT(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, nullptr, &pidfd,
                      nullptr, nullptr),
              SyscallFailsWithErrno(EINVAL));
  clone_args args{};
  args.flags = CLONE_PIDFD;
  args.pidfd = 8;  // unwritable
  args.exit_signal = SIGCHLD;
  EXPECT_THAT(syscall(SYS_clone3, &args, sizeof(args)), SyscallFailsWithErrno(EFAULT));
}

}  // namespace
}  // namespace test_util
