// The file descriptor table, exercised with duplicates of fd 1: dup(2),
// dup2(2), dup3(2), fcntl(2) F_DUPFD/F_DUPFD_CLOEXEC/F_GETFD/F_SETFD/F_GETFL/
// F_SETFL, close(2), close_range(2), ioctl(2) FIOCLEX/FIONCLEX, and fstat(2)
// of a duplicate.
//
// A duplicate shares the open file description (offset, status flags) with
// the original but has its own descriptor flags (FD_CLOEXEC). Every test
// closes the descriptors it made and puts back the status flags of fd 1.
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// The fd 1 is duplicated; its file is whatever the runner gave it.
constexpr int kOrig = 1;

// Closes an fd on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1 || errno != EBADF; }

// The lowest fd not in use.
int LowestFreeFd() {
  int fd = 0;
  while (IsOpen(fd)) ++fd;
  return fd;
}

// The soft RLIMIT_NOFILE.
int FdLimit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return -1;
  return static_cast<int>(rl.rlim_cur);
}

// dup(2), dup2(2), dup3(2)

TEST(DupTest, ReturnsTheLowestFreeFd) {
  const int lowest = LowestFreeFd();
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceedsWithValue(lowest));
  const int next = LowestFreeFd();
  ASSERT_GT(next, lowest);
  ScopedFd b(dup(kOrig));
  ASSERT_THAT(b.get(), SyscallSucceedsWithValue(next));
  // Closing the first leaves a hole that the next dup fills.
  ASSERT_THAT(close(a.release()), SyscallSucceeds());
  ScopedFd c(dup(kOrig));
  EXPECT_THAT(c.get(), SyscallSucceedsWithValue(lowest));
}

TEST(DupTest, BadFdFailsEbadf) {
  EXPECT_THAT(dup(-1), SyscallFailsWithErrno(EBADF));
  const int free_fd = LowestFreeFd();
  EXPECT_THAT(dup(free_fd), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(dup(1 << 30), SyscallFailsWithErrno(EBADF));
}

TEST(Dup2Test, OntoItselfReturnsTheFd) {
  EXPECT_THAT(dup2(kOrig, kOrig), SyscallSucceedsWithValue(kOrig));
  EXPECT_THAT(syscall(SYS_dup2, kOrig, kOrig), SyscallSucceedsWithValue(kOrig));
  // Of a closed fd, it is EBADF.
  const int free_fd = LowestFreeFd();
  EXPECT_THAT(syscall(SYS_dup2, free_fd, free_fd), SyscallFailsWithErrno(EBADF));
}

TEST(Dup2Test, ChoosesTheTargetAndReplacesIt) {
  const int target = LowestFreeFd() + 10;
  ASSERT_FALSE(IsOpen(target));
  ScopedFd a(dup2(kOrig, target));
  ASSERT_THAT(a.get(), SyscallSucceedsWithValue(target));
  // Onto an open fd: it is closed first, silently.
  ScopedFd b(dup(kOrig));
  ASSERT_THAT(b.get(), SyscallSucceeds());
  EXPECT_THAT(dup2(b.get(), target), SyscallSucceedsWithValue(target));
  EXPECT_TRUE(IsOpen(target));
}

TEST(Dup2Test, TargetAtTheLimitFailsEbadf) {
  const int limit = FdLimit();
  ASSERT_GT(limit, 0);
  EXPECT_THAT(syscall(SYS_dup2, kOrig, limit), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(syscall(SYS_dup2, kOrig, limit + 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(syscall(SYS_dup2, kOrig, -1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(syscall(SYS_dup3, kOrig, limit, 0), SyscallFailsWithErrno(EBADF));
}

TEST(Dup3Test, SameFdFailsEinval) {
  EXPECT_THAT(syscall(SYS_dup3, kOrig, kOrig, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_dup3, kOrig, kOrig, O_CLOEXEC), SyscallFailsWithErrno(EINVAL));
}

TEST(Dup3Test, BadFlagsFailEinval) {
  const int target = LowestFreeFd() + 10;
  EXPECT_THAT(syscall(SYS_dup3, kOrig, target, O_NONBLOCK), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_dup3, kOrig, target, O_CLOEXEC | O_APPEND),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_dup3, kOrig, target, ~0), SyscallFailsWithErrno(EINVAL));
  EXPECT_FALSE(IsOpen(target));
}

TEST(Dup3Test, CloexecFlagSetsFdCloexec) {
  const int target = LowestFreeFd() + 10;
  ScopedFd a(static_cast<int>(syscall(SYS_dup3, kOrig, target, O_CLOEXEC)));
  ASSERT_THAT(a.get(), SyscallSucceedsWithValue(target));
  EXPECT_THAT(fcntl(target, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  // Without the flag, a dup3 over it clears it.
  ASSERT_THAT(syscall(SYS_dup3, kOrig, target, 0), SyscallSucceedsWithValue(target));
  EXPECT_THAT(fcntl(target, F_GETFD), SyscallSucceedsWithValue(0));
}

// fcntl(2): descriptor flags

TEST(FcntlTest, CloexecRoundTrip) {
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(0));
  ASSERT_THAT(fcntl(a.get(), F_SETFD, FD_CLOEXEC), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  ASSERT_THAT(fcntl(a.get(), F_SETFD, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(0));
  // Bits other than FD_CLOEXEC are dropped.
  ASSERT_THAT(fcntl(a.get(), F_SETFD, ~0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
}

TEST(FcntlTest, DupClearsCloexec) {
  ScopedFd a(fcntl(kOrig, F_DUPFD_CLOEXEC, 0));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ASSERT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  ScopedFd b(dup(a.get()));
  ASSERT_THAT(b.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(b.get(), F_GETFD), SyscallSucceedsWithValue(0));
  const int target = LowestFreeFd() + 10;
  ScopedFd c(dup2(a.get(), target));
  ASSERT_THAT(c.get(), SyscallSucceedsWithValue(target));
  EXPECT_THAT(fcntl(c.get(), F_GETFD), SyscallSucceedsWithValue(0));
  ScopedFd d(fcntl(a.get(), F_DUPFD, 0));
  ASSERT_THAT(d.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(d.get(), F_GETFD), SyscallSucceedsWithValue(0));
}

TEST(FcntlTest, CloexecIsPerFd) {
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ASSERT_THAT(fcntl(a.get(), F_SETFD, FD_CLOEXEC), SyscallSucceeds());
  EXPECT_THAT(fcntl(kOrig, F_GETFD), SyscallSucceedsWithValue(0));
}

TEST(FcntlTest, DupfdCloexecSetsCloexec) {
  ScopedFd a(fcntl(kOrig, F_DUPFD_CLOEXEC, 0));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
}

TEST(FcntlTest, DupfdHonorsTheMinimum) {
  const int min = LowestFreeFd() + 20;
  ScopedFd a(fcntl(kOrig, F_DUPFD, min));
  ASSERT_THAT(a.get(), SyscallSucceedsWithValue(min));
  // The next one is the lowest free fd at or above min.
  ScopedFd b(fcntl(kOrig, F_DUPFD, min));
  EXPECT_THAT(b.get(), SyscallSucceedsWithValue(min + 1));
  ScopedFd c(fcntl(kOrig, F_DUPFD_CLOEXEC, min));
  EXPECT_THAT(c.get(), SyscallSucceedsWithValue(min + 2));
  // A minimum below the free fds gives the lowest free one.
  const int lowest = LowestFreeFd();
  ScopedFd d(fcntl(kOrig, F_DUPFD, 0));
  EXPECT_THAT(d.get(), SyscallSucceedsWithValue(lowest));
}

TEST(FcntlTest, DupfdMinimumAtTheLimitFailsEinval) {
  const int limit = FdLimit();
  ASSERT_GT(limit, 0);
  EXPECT_THAT(fcntl(kOrig, F_DUPFD, limit), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(fcntl(kOrig, F_DUPFD_CLOEXEC, limit), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(fcntl(kOrig, F_DUPFD, -1), SyscallFailsWithErrno(EINVAL));
}

TEST(FcntlTest, BadFdFailsEbadf) {
  const int free_fd = LowestFreeFd();
  EXPECT_THAT(fcntl(free_fd, F_GETFD), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(free_fd, F_SETFD, FD_CLOEXEC), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(free_fd, F_GETFL), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(free_fd, F_DUPFD, 0), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(-1, F_GETFD), SyscallFailsWithErrno(EBADF));
}

// fcntl(2): status flags, shared through the open file description

TEST(FcntlTest, DupHasTheSameAccessMode) {
  const int orig = fcntl(kOrig, F_GETFL);
  ASSERT_THAT(orig, SyscallSucceeds());
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  const int dup_flags = fcntl(a.get(), F_GETFL);
  ASSERT_THAT(dup_flags, SyscallSucceeds());
  EXPECT_EQ(dup_flags & O_ACCMODE, orig & O_ACCMODE);
  EXPECT_EQ(dup_flags, orig);
  // fd 1 can be written.
  EXPECT_NE(orig & O_ACCMODE, O_RDONLY);
}

// Restores fd 1's status flags on scope exit (the runner's output goes
// through it).
class StatusFlagsRestorer {
 public:
  StatusFlagsRestorer() : saved_(fcntl(kOrig, F_GETFL)) {}
  ~StatusFlagsRestorer() {
    if (saved_ != -1) fcntl(kOrig, F_SETFL, saved_);
  }
  int saved() const { return saved_; }

 private:
  int saved_;
};

TEST(FcntlTest, StatusFlagsAreSharedButCloexecIsNot) {
  StatusFlagsRestorer restore;
  ASSERT_THAT(restore.saved(), SyscallSucceeds());
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  const int set = O_APPEND | O_NONBLOCK;

  ASSERT_THAT(fcntl(a.get(), F_SETFL, restore.saved() | set), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(kOrig, F_GETFL), SyscallSucceedsWithValue(restore.saved() | set));
  EXPECT_THAT(fcntl(a.get(), F_GETFL), SyscallSucceedsWithValue(restore.saved() | set));
  // The descriptor flag stays per-fd.
  ASSERT_THAT(fcntl(a.get(), F_SETFD, FD_CLOEXEC), SyscallSucceeds());
  EXPECT_THAT(fcntl(kOrig, F_GETFD), SyscallSucceedsWithValue(0));

  ASSERT_THAT(fcntl(kOrig, F_SETFL, restore.saved() & ~set), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFL), SyscallSucceedsWithValue(restore.saved() & ~set));
}

TEST(FcntlTest, SetflIgnoresTheAccessMode) {
  StatusFlagsRestorer restore;
  ASSERT_THAT(restore.saved(), SyscallSucceeds());
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  const int other_mode = (restore.saved() & O_ACCMODE) == O_RDONLY ? O_WRONLY : O_RDONLY;
  ASSERT_THAT(fcntl(a.get(), F_SETFL, (restore.saved() & ~O_ACCMODE) | other_mode),
              SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFL), SyscallSucceedsWithValue(restore.saved()));
}

// close(2), close_range(2)

TEST(CloseTest, ClosedFdFailsEbadf) {
  const int fd = dup(kOrig);
  ASSERT_THAT(fd, SyscallSucceeds());
  ASSERT_THAT(close(fd), SyscallSucceeds());
  EXPECT_THAT(close(fd), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(close(-1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(fcntl(fd, F_GETFD), SyscallFailsWithErrno(EBADF));
}

long CloseRange(unsigned first, unsigned last, unsigned flags) {
  return syscall(SYS_close_range, first, last, flags);
}

TEST(CloseRangeTest, FirstAfterLastFailsEinval) {
  EXPECT_THAT(CloseRange(5, 3, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(CloseRange(5, 3, CLOSE_RANGE_CLOEXEC), SyscallFailsWithErrno(EINVAL));
}

TEST(CloseRangeTest, UnknownFlagsFailEinval) {
  const int fd = LowestFreeFd() + 10;
  EXPECT_THAT(CloseRange(fd, fd, 0x80000000u), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(CloseRange(fd, fd, 1), SyscallFailsWithErrno(EINVAL));
}

TEST(CloseRangeTest, CloexecFlagSetsFdCloexec) {
  const int base = LowestFreeFd() + 10;
  ScopedFd a(dup2(kOrig, base));
  ScopedFd b(dup2(kOrig, base + 1));
  ScopedFd c(dup2(kOrig, base + 2));
  ASSERT_THAT(a.get(), SyscallSucceedsWithValue(base));
  ASSERT_THAT(b.get(), SyscallSucceedsWithValue(base + 1));
  ASSERT_THAT(c.get(), SyscallSucceedsWithValue(base + 2));
  ASSERT_THAT(CloseRange(base, base + 1, CLOSE_RANGE_CLOEXEC), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(base, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  EXPECT_THAT(fcntl(base + 1, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  EXPECT_THAT(fcntl(base + 2, F_GETFD), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(kOrig, F_GETFD), SyscallSucceedsWithValue(0));
}

TEST(CloseRangeTest, ClosesTheRangeOnly) {
  const int base = LowestFreeFd() + 10;
  ASSERT_THAT(dup2(kOrig, base), SyscallSucceedsWithValue(base));
  ASSERT_THAT(dup2(kOrig, base + 2), SyscallSucceedsWithValue(base + 2));
  ScopedFd keep(dup2(kOrig, base + 3));
  ASSERT_THAT(keep.get(), SyscallSucceedsWithValue(base + 3));
  // Holes in the range are fine.
  ASSERT_THAT(CloseRange(base, base + 2, 0), SyscallSucceedsWithValue(0));
  EXPECT_FALSE(IsOpen(base));
  EXPECT_FALSE(IsOpen(base + 2));
  EXPECT_TRUE(IsOpen(base + 3));
  // A range with nothing open, reaching to the top, succeeds.
  EXPECT_THAT(CloseRange(base + 100, ~0u, 0), SyscallSucceedsWithValue(0));
  EXPECT_TRUE(IsOpen(base + 3));
}

// ioctl(2): FIOCLEX, FIONCLEX

TEST(IoctlCloexecTest, SetAndClear) {
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ASSERT_THAT(ioctl(a.get(), FIOCLEX), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  EXPECT_THAT(fcntl(kOrig, F_GETFD), SyscallSucceedsWithValue(0));
  ASSERT_THAT(ioctl(a.get(), FIONCLEX), SyscallSucceedsWithValue(0));
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(0));
  EXPECT_THAT(ioctl(LowestFreeFd(), FIOCLEX), SyscallFailsWithErrno(EBADF));
}

// fstat(2)

TEST(FstatTest, DupIsTheSameFile) {
  struct stat orig, copy;
  ASSERT_THAT(fstat(kOrig, &orig), SyscallSucceeds());
  ScopedFd a(dup(kOrig));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ASSERT_THAT(fstat(a.get(), &copy), SyscallSucceeds());
  EXPECT_EQ(copy.st_dev, orig.st_dev);
  EXPECT_EQ(copy.st_ino, orig.st_ino);
  EXPECT_EQ(copy.st_mode, orig.st_mode);
  EXPECT_EQ(copy.st_rdev, orig.st_rdev);
  EXPECT_THAT(fstat(LowestFreeFd(), &copy), SyscallFailsWithErrno(EBADF));
}

}  // namespace
}  // namespace test_util
