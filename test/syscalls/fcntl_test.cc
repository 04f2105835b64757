// fcntl(2) commands beyond descriptor flags and record locks (those are in
// file_io_test): a pipe's capacity (F_GETPIPE_SZ, F_SETPIPE_SZ), directory
// notification (F_NOTIFY, dnotify) and the signal it sends (F_SETSIG,
// F_GETSIG); and posix_fadvise(2), the other advisory per-file call.
//
// Files are made in fresh directories /tmp/sk_fcntl_XXXXXX, removed at the
// end. A dnotify signal is sent while the changing call runs, so it is
// pending when that call returns: the tests block it and take it with a
// zero-timeout sigtimedwait(2).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// Both ends of a pipe, closed on scope exit.
class Pipe {
 public:
  explicit Pipe(int flags = 0) {
    if (pipe2(fds_, flags) != 0) fds_[0] = fds_[1] = -1;
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    if (fds_[0] >= 0) close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  int r() const { return fds_[0]; }
  int w() const { return fds_[1]; }

 private:
  int fds_[2];
};

TEST(PipeSizeTest, DefaultIs64KiBOnBothEnds) {
  Pipe p;
  ASSERT_GE(p.r(), 0) << ErrnoName(errno);
  EXPECT_THAT(fcntl(p.r(), F_GETPIPE_SZ), SyscallSucceedsWithValue(65536));
  EXPECT_THAT(fcntl(p.w(), F_GETPIPE_SZ), SyscallSucceedsWithValue(65536));
}

TEST(PipeSizeTest, SetRoundsUpToAPowerOfTwoNumberOfPages) {
  Pipe p;
  ASSERT_GE(p.r(), 0) << ErrnoName(errno);
  EXPECT_THAT(fcntl(p.w(), F_SETPIPE_SZ, 5000), SyscallSucceedsWithValue(8192));
  EXPECT_THAT(fcntl(p.r(), F_GETPIPE_SZ), SyscallSucceedsWithValue(8192));
  // Below a page: one page, the minimum POSIX asks for (PIPE_BUF).
  EXPECT_THAT(fcntl(p.r(), F_SETPIPE_SZ, 0), SyscallSucceedsWithValue(4096));
  EXPECT_THAT(fcntl(p.w(), F_SETPIPE_SZ, 3 * 65536), SyscallSucceedsWithValue(4 * 65536));
  EXPECT_THAT(fcntl(p.w(), F_GETPIPE_SZ), SyscallSucceedsWithValue(4 * 65536));
}

TEST(PipeSizeTest, CapacityBoundsWhatAWriteTakes) {
  Pipe p(O_NONBLOCK);
  ASSERT_GE(p.r(), 0) << ErrnoName(errno);
  ASSERT_THAT(fcntl(p.w(), F_SETPIPE_SZ, 8192), SyscallSucceedsWithValue(8192));
  std::vector<char> buf(3 * 8192, 'x');
  EXPECT_THAT(write(p.w(), buf.data(), buf.size()), SyscallSucceedsWithValue(8192));
  EXPECT_THAT(write(p.w(), buf.data(), 1), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(read(p.r(), buf.data(), buf.size()), SyscallSucceedsWithValue(8192));
  // Growing it makes room for more.
  ASSERT_THAT(fcntl(p.w(), F_SETPIPE_SZ, 16384), SyscallSucceedsWithValue(16384));
  EXPECT_THAT(write(p.w(), buf.data(), buf.size()), SyscallSucceedsWithValue(16384));
}

TEST(PipeSizeTest, ShrinkingBelowWhatIsBufferedFailsEbusy) {
  Pipe p(O_NONBLOCK);
  ASSERT_GE(p.r(), 0) << ErrnoName(errno);
  std::vector<char> buf(4 * 4096, 'x');
  ASSERT_THAT(write(p.w(), buf.data(), buf.size()), SyscallSucceedsWithValue(buf.size()));
  EXPECT_THAT(fcntl(p.w(), F_SETPIPE_SZ, 4096), SyscallFailsWithErrno(EBUSY));
  EXPECT_THAT(fcntl(p.w(), F_GETPIPE_SZ), SyscallSucceedsWithValue(65536));
  // Exactly what is buffered fits.
  EXPECT_THAT(fcntl(p.w(), F_SETPIPE_SZ, buf.size()), SyscallSucceedsWithValue(buf.size()));
  EXPECT_THAT(read(p.r(), buf.data(), buf.size()), SyscallSucceedsWithValue(buf.size()));
}

TEST(PipeSizeTest, MoreThan2GiBFailsEinval) {
  Pipe p;
  ASSERT_GE(p.r(), 0) << ErrnoName(errno);
  EXPECT_THAT(fcntl(p.w(), F_SETPIPE_SZ, (1u << 31) + 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(fcntl(p.w(), F_GETPIPE_SZ), SyscallSucceedsWithValue(65536));
}

TEST(PipeSizeTest, NotAPipeFailsEbadf) {
  int fd = open("/dev/null", O_RDWR);
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  EXPECT_THAT(fcntl(fd, F_GETPIPE_SZ), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(fd, F_SETPIPE_SZ, 8192), SyscallFailsWithErrno(EBADF));
  close(fd);
}

TEST(PipeSizeTest, AboveTheMaximumNeedsCapSysResource) {
  // /proc/sys/fs/pipe-max-size is 1 MiB by default; an unprivileged
  // process may go up to it, not past it.
  pid_t pid = fork();
  ASSERT_GE(pid, 0) << ErrnoName(errno);
  if (pid == 0) {
    int fds[2];
    if (pipe(fds) != 0) _exit(1);
    if (setresuid(65534, 65534, 65534) != 0) _exit(2);
    if (fcntl(fds[1], F_SETPIPE_SZ, 2 << 20) != -1 || errno != EPERM) _exit(3);
    if (fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) != (1 << 20)) _exit(4);
    _exit(0);
  }
  int status = 0;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(PipeSizeTest, AFifoHasOneCapacityForEveryOpen) {
  char tmpl[] = "/tmp/sk_fcntl_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr) << ErrnoName(errno);
  std::string dir = tmpl;
  std::string path = dir + "/fifo";
  ASSERT_THAT(mkfifo(path.c_str(), 0600), SyscallSucceeds());
  int a = open(path.c_str(), O_RDWR);
  int b = open(path.c_str(), O_RDONLY | O_NONBLOCK);
  EXPECT_GE(a, 0) << ErrnoName(errno);
  EXPECT_GE(b, 0) << ErrnoName(errno);
  EXPECT_THAT(fcntl(a, F_GETPIPE_SZ), SyscallSucceedsWithValue(65536));
  EXPECT_THAT(fcntl(a, F_SETPIPE_SZ, 4096), SyscallSucceedsWithValue(4096));
  EXPECT_THAT(fcntl(b, F_GETPIPE_SZ), SyscallSucceedsWithValue(4096));
  if (a >= 0) close(a);
  if (b >= 0) close(b);
  unlink(path.c_str());
  rmdir(dir.c_str());
}

// A fresh directory, opened, with files made in it; removed at the end.
class NotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sk_fcntl_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr) << ErrnoName(errno);
    dir_ = tmpl;
    dirfd_ = open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(dirfd_, 0) << ErrnoName(errno);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGIO);
    sigaddset(&set, SIGRTMIN + 1);
    ASSERT_THAT(sigprocmask(SIG_BLOCK, &set, &old_mask_), SyscallSucceeds());
  }
  void TearDown() override {
    if (dirfd_ >= 0) close(dirfd_);
    for (const char* name : {"a", "b", "c"}) unlink(P(name).c_str());
    rmdir(dir_.c_str());
    // Nothing may stay pending for the next test.
    while (Take(SIGIO) > 0 || Take(SIGRTMIN + 1) > 0) {
    }
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  std::string P(const std::string& name) const { return dir_ + "/" + name; }
  void MakeFile(const std::string& name) {
    int fd = open(P(name).c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_GE(fd, 0) << ErrnoName(errno);
    close(fd);
  }
  // The pending signal `sig`, taken: its number, or -1 if none is pending.
  static int Take(int sig, siginfo_t* info = nullptr) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    timespec zero{0, 0};
    siginfo_t local;
    return sigtimedwait(&set, info != nullptr ? info : &local, &zero);
  }

  std::string dir_;
  int dirfd_ = -1;
  sigset_t old_mask_;
};

TEST_F(NotifyTest, OnlyADirectoryCanBeWatchedButAnyFileUnwatched) {
  MakeFile("a");
  int fd = open(P("a").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  EXPECT_THAT(fcntl(fd, F_NOTIFY, DN_CREATE), SyscallFailsWithErrno(ENOTDIR));
  // No event asked for: it removes a watch, whatever the file.
  EXPECT_THAT(fcntl(fd, F_NOTIFY, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(fd, F_NOTIFY, DN_MULTISHOT), SyscallSucceedsWithValue(0));
  close(fd);
  EXPECT_THAT(fcntl(dirfd_, F_NOTIFY, DN_MULTISHOT), SyscallSucceedsWithValue(0));
}

TEST_F(NotifyTest, CreateSendsSigioOnce) {
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_CREATE), SyscallSucceedsWithValue(0));
  EXPECT_EQ(Take(SIGIO), -1);
  MakeFile("a");
  siginfo_t info{};
  EXPECT_EQ(Take(SIGIO, &info), SIGIO);
  EXPECT_EQ(info.si_code, SI_KERNEL);
  // Not DN_MULTISHOT: the watch is gone after it fired.
  MakeFile("b");
  EXPECT_EQ(Take(SIGIO), -1);
}

TEST_F(NotifyTest, OnlyTheEventsAskedForFire) {
  MakeFile("a");
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_DELETE | DN_MULTISHOT), SyscallSucceedsWithValue(0));
  MakeFile("b");
  ASSERT_THAT(chmod(P("a").c_str(), 0600), SyscallSucceeds());
  EXPECT_EQ(Take(SIGIO), -1);
  ASSERT_THAT(unlink(P("a").c_str()), SyscallSucceeds());
  EXPECT_EQ(Take(SIGIO), SIGIO);
  ASSERT_THAT(unlink(P("b").c_str()), SyscallSucceeds());
  EXPECT_EQ(Take(SIGIO), SIGIO);
}

TEST_F(NotifyTest, RenameAttribAndModifyOfEntries) {
  MakeFile("a");
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_RENAME | DN_MULTISHOT), SyscallSucceedsWithValue(0));
  ASSERT_THAT(rename(P("a").c_str(), P("b").c_str()), SyscallSucceeds());
  EXPECT_EQ(Take(SIGIO), SIGIO);
  EXPECT_EQ(Take(SIGIO), -1);

  // A second F_NOTIFY adds to the events of the same watch.
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_ATTRIB | DN_MULTISHOT), SyscallSucceedsWithValue(0));
  ASSERT_THAT(chmod(P("b").c_str(), 0600), SyscallSucceeds());
  EXPECT_EQ(Take(SIGIO), SIGIO);
  ASSERT_THAT(rename(P("b").c_str(), P("a").c_str()), SyscallSucceeds());
  EXPECT_EQ(Take(SIGIO), SIGIO);

  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_MODIFY | DN_MULTISHOT), SyscallSucceedsWithValue(0));
  int fd = open(P("a").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  EXPECT_EQ(Take(SIGIO), -1);  // opening changes nothing
  ASSERT_THAT(write(fd, "x", 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(Take(SIGIO), SIGIO);
  close(fd);
}

TEST_F(NotifyTest, SetsigSendsThatSignalWithTheFdAndBand) {
  EXPECT_THAT(fcntl(dirfd_, F_GETSIG), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(dirfd_, F_SETSIG, 65), SyscallFailsWithErrno(EINVAL));
  ASSERT_THAT(fcntl(dirfd_, F_SETSIG, SIGRTMIN + 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(dirfd_, F_GETSIG), SyscallSucceedsWithValue(SIGRTMIN + 1));
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_CREATE | DN_MULTISHOT), SyscallSucceedsWithValue(0));
  MakeFile("a");
  MakeFile("b");
  for (int i = 0; i < 2; ++i) {
    siginfo_t info{};
    ASSERT_EQ(Take(SIGRTMIN + 1, &info), SIGRTMIN + 1) << "event " << i;
    EXPECT_EQ(info.si_code, POLL_MSG);
    EXPECT_EQ(info.si_fd, dirfd_);
    EXPECT_EQ(info.si_band, POLLIN | POLLRDNORM | POLLMSG);
  }
  EXPECT_EQ(Take(SIGRTMIN + 1), -1);
  EXPECT_EQ(Take(SIGIO), -1);
}

TEST_F(NotifyTest, NoEventsRemovesTheWatch) {
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, DN_CREATE | DN_MULTISHOT), SyscallSucceedsWithValue(0));
  ASSERT_THAT(fcntl(dirfd_, F_NOTIFY, 0), SyscallSucceedsWithValue(0));
  MakeFile("a");
  EXPECT_EQ(Take(SIGIO), -1);
}

TEST(FadviseTest, AdviceIsCheckedAndAccepted) {
  char tmpl[] = "/tmp/sk_fcntl_XXXXXX";
  int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  unlink(tmpl);
  ASSERT_THAT(write(fd, "data", 4), SyscallSucceedsWithValue(4));
  for (int advice : {POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL,
                     POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE}) {
    EXPECT_THAT(syscall(SYS_fadvise64, fd, 0, 0, advice), SyscallSucceedsWithValue(0)) << advice;
  }
  EXPECT_THAT(syscall(SYS_fadvise64, fd, 0, 0, 6), SyscallFailsWithErrno(EINVAL));
  // The offset is not checked.
  EXPECT_THAT(syscall(SYS_fadvise64, fd, -1, 0, POSIX_FADV_NORMAL), SyscallSucceedsWithValue(0));
  close(fd);
  EXPECT_THAT(syscall(SYS_fadvise64, fd, 0, 0, POSIX_FADV_NORMAL), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(syscall(SYS_fadvise64, -42, 0, 0, POSIX_FADV_WILLNEED), SyscallFailsWithErrno(EBADF));
  int path_fd = open("/tmp", O_PATH);
  ASSERT_GE(path_fd, 0) << ErrnoName(errno);
  EXPECT_THAT(syscall(SYS_fadvise64, path_fd, 0, 0, POSIX_FADV_NORMAL),
              SyscallFailsWithErrno(EBADF));
  close(path_fd);
  Pipe p;
  ASSERT_GE(p.r(), 0) << ErrnoName(errno);
  EXPECT_THAT(syscall(SYS_fadvise64, p.r(), 0, 0, POSIX_FADV_NORMAL),
              SyscallFailsWithErrno(ESPIPE));
}

}  // namespace
}  // namespace test_util
