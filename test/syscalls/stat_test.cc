// File status: stat(2), lstat(2), fstat(2), newfstatat(2), statx(2), and
// access(2), faccessat(2), faccessat2(2).
//
// The legacy calls are made as raw syscalls (glibc's stat() calls
// newfstatat). Timestamps are compared by ordering against times the test set
// itself, never against the clock. Every test works in its own fresh directory
// under /tmp, removed with its contents at the end.
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <linux/stat.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

// A fresh directory /tmp/sk_stat_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_stat_XXXXXX";
    if (mkdtemp(tmpl) != nullptr) path_ = tmpl;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (!path_.empty()) nftw(path_.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS);
  }
  const std::string& path() const { return path_; }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Closes an fd on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(long fd) : fd_(static_cast<int>(fd)) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

bool WriteFile(const std::string& path, const std::string& data, mode_t mode = 0644) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) return false;
  const bool ok = write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  close(fd);
  return ok && chmod(path.c_str(), mode) == 0;
}

long SysStat(const char* path, struct stat* st) { return syscall(SYS_stat, path, st); }
long SysLstat(const char* path, struct stat* st) { return syscall(SYS_lstat, path, st); }
long SysFstat(int fd, struct stat* st) { return syscall(SYS_fstat, fd, st); }
long SysFstatat(int dirfd, const char* path, struct stat* st, int flags) {
  return syscall(SYS_newfstatat, dirfd, path, st, flags);
}
long SysStatx(int dirfd, const char* path, int flags, unsigned mask, struct statx* stx) {
  return syscall(SYS_statx, dirfd, path, flags, mask, stx);
}
long SysAccess(const char* path, int mode) { return syscall(SYS_access, path, mode); }
long SysFaccessat(int dirfd, const char* path, int mode) {
  return syscall(SYS_faccessat, dirfd, path, mode);
}
long SysFaccessat2(int dirfd, const char* path, int mode, int flags) {
  return syscall(SYS_faccessat2, dirfd, path, mode, flags);
}

// Runs fn in a forked child with the given real and effective uid/gid (65534
// is "nobody") and no supplementary groups; returns its exit status, or 100 +
// the signal that killed it.
template <typename F>
int RunWithIds(uid_t ruid, uid_t euid, F fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgroups(0, nullptr) != 0 || setresgid(ruid, euid, euid) != 0 ||
        setresuid(ruid, euid, euid) != 0) {
      _exit(99);
    }
    _exit(fn());
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

bool Before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

class StatTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()) << ErrnoName(errno); }
  std::string P(const std::string& name) const { return dir_.Path(name); }
  TempDir dir_;
};

// stat(2), lstat(2), fstat(2)

TEST_F(StatTest, RegularFile) {
  ASSERT_TRUE(WriteFile(P("f"), "hello world", 0640));
  struct stat st;
  ASSERT_THAT(SysStat(P("f").c_str(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_size, 11);
  EXPECT_EQ(st.st_nlink, 1u);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_gid, getegid());
  EXPECT_GT(st.st_blksize, 0);
  EXPECT_EQ(st.st_blksize % 512, 0);
  EXPECT_NE(st.st_ino, 0u);
  EXPECT_EQ(st.st_rdev, 0u);
}

TEST_F(StatTest, FstatAndLstatAgreeWithStat) {
  ASSERT_TRUE(WriteFile(P("f"), "abc"));
  struct stat a, b, c;
  ASSERT_THAT(SysStat(P("f").c_str(), &a), SyscallSucceeds());
  ASSERT_THAT(SysLstat(P("f").c_str(), &b), SyscallSucceeds());
  ScopedFd fd(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(SysFstat(fd.get(), &c), SyscallSucceeds());
  EXPECT_TRUE(SameFile(a, b));
  EXPECT_TRUE(SameFile(a, c));
  EXPECT_EQ(a.st_mode, c.st_mode);
  EXPECT_EQ(a.st_size, c.st_size);
  // An O_PATH fd can be fstat'ed too.
  ScopedFd path_fd(open(P("f").c_str(), O_PATH));
  ASSERT_THAT(path_fd.get(), SyscallSucceeds());
  ASSERT_THAT(SysFstat(path_fd.get(), &c), SyscallSucceeds());
  EXPECT_TRUE(SameFile(a, c));
}

TEST_F(StatTest, SizeFollowsWritesAndTruncation) {
  ScopedFd fd(open(P("f").c_str(), O_CREAT | O_RDWR, 0644));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(SysFstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_size, 0);
  ASSERT_THAT(pwrite(fd.get(), "x", 1, 9999), SyscallSucceedsWithValue(1));
  ASSERT_THAT(SysFstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_size, 10000);
  ASSERT_THAT(ftruncate(fd.get(), 5), SyscallSucceeds());
  ASSERT_THAT(SysFstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_size, 5);
}

TEST_F(StatTest, SymlinkIsFollowedByStatNotLstat) {
  ASSERT_TRUE(WriteFile(P("target"), "12345"));
  ASSERT_THAT(symlink("target", P("link").c_str()), SyscallSucceeds());
  struct stat st, lst, target;
  ASSERT_THAT(SysStat(P("target").c_str(), &target), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("link").c_str(), &st), SyscallSucceeds());
  ASSERT_THAT(SysLstat(P("link").c_str(), &lst), SyscallSucceeds());
  EXPECT_TRUE(SameFile(st, target));
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_TRUE(S_ISLNK(lst.st_mode));
  EXPECT_FALSE(SameFile(lst, target));
  // A symlink's size is the length of its target, without a NUL.
  EXPECT_EQ(lst.st_size, 6);
  EXPECT_EQ(lst.st_mode & 0777, 0777u);
  // A dangling link: stat fails, lstat works.
  ASSERT_THAT(symlink("missing", P("dangling").c_str()), SyscallSucceeds());
  EXPECT_THAT(SysStat(P("dangling").c_str(), &st), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysLstat(P("dangling").c_str(), &st), SyscallSucceeds());
}

TEST_F(StatTest, TypeBits) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  ASSERT_THAT(mkfifo(P("p").c_str(), 0644), SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(SysLstat(P("f").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & S_IFMT, S_IFREG);
  ASSERT_THAT(SysLstat(P("d").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & S_IFMT, S_IFDIR);
  ASSERT_THAT(SysLstat(P("l").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & S_IFMT, S_IFLNK);
  ASSERT_THAT(SysLstat(P("p").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & S_IFMT, S_IFIFO);
  ASSERT_THAT(SysStat("/dev/null", &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & S_IFMT, S_IFCHR);
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  ASSERT_THAT(SysFstat(fds[0], &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & S_IFMT, S_IFIFO);
  close(fds[0]);
  close(fds[1]);
}

TEST_F(StatTest, DirectoryLinkCountCountsSubdirectories) {
  struct stat st;
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("d").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_nlink, 2u);
  ASSERT_THAT(mkdir(P("d/a").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("d/b").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/file"), ""));
  ASSERT_THAT(SysStat(P("d").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_nlink, 4u);
  ASSERT_THAT(rmdir(P("d/a").c_str()), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("d").c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_nlink, 3u);
  // "." and ".." are the directory and its parent.
  struct stat dot, dotdot, parent;
  ASSERT_THAT(SysStat(P("d/.").c_str(), &dot), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("d/b/..").c_str(), &dotdot), SyscallSucceeds());
  ASSERT_THAT(SysStat(dir_.path().c_str(), &parent), SyscallSucceeds());
  EXPECT_TRUE(SameFile(dot, st));
  EXPECT_TRUE(SameFile(dotdot, st));
  ASSERT_THAT(SysStat(P("d/..").c_str(), &dot), SyscallSucceeds());
  EXPECT_TRUE(SameFile(dot, parent));
}

TEST_F(StatTest, HardLinksShareTheInodeAndCount) {
  ASSERT_TRUE(WriteFile(P("a"), "x"));
  ASSERT_THAT(link(P("a").c_str(), P("b").c_str()), SyscallSucceeds());
  struct stat a, b;
  ASSERT_THAT(SysStat(P("a").c_str(), &a), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("b").c_str(), &b), SyscallSucceeds());
  EXPECT_TRUE(SameFile(a, b));
  EXPECT_EQ(a.st_nlink, 2u);
  ASSERT_THAT(unlink(P("a").c_str()), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("b").c_str(), &b), SyscallSucceeds());
  EXPECT_EQ(b.st_nlink, 1u);
  // An open file that loses its last name has a link count of 0.
  ScopedFd fd(open(P("b").c_str(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(unlink(P("b").c_str()), SyscallSucceeds());
  ASSERT_THAT(SysFstat(fd.get(), &b), SyscallSucceeds());
  EXPECT_EQ(b.st_nlink, 0u);
}

TEST_F(StatTest, PathErrors) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  struct stat st;
  EXPECT_THAT(SysStat(P("missing").c_str(), &st), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysStat(P("f/x").c_str(), &st), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysStat(P("f/").c_str(), &st), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysLstat(P("f/").c_str(), &st), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysStat("", &st), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysStat(P(std::string(256, 'x')).c_str(), &st), SyscallFailsWithErrno(ENAMETOOLONG));
  EXPECT_THAT(SysStat(nullptr, &st), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(SysStat(P("f").c_str(), nullptr), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(SysFstat(-1, &st), SyscallFailsWithErrno(EBADF));
}

TEST_F(StatTest, WriteAdvancesMtimeAndCtime) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  // Put the timestamps in the past so that any update is visible.
  const timespec old[2] = {{946684800, 0}, {946684800, 0}};  // 2000-01-01
  ASSERT_THAT(utimensat(AT_FDCWD, P("f").c_str(), old, 0), SyscallSucceeds());
  struct stat before, after;
  ASSERT_THAT(SysStat(P("f").c_str(), &before), SyscallSucceeds());
  EXPECT_EQ(before.st_mtim.tv_sec, 946684800);
  ScopedFd fd(open(P("f").c_str(), O_WRONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(write(fd.get(), "y", 1), SyscallSucceedsWithValue(1));
  ASSERT_THAT(SysFstat(fd.get(), &after), SyscallSucceeds());
  EXPECT_TRUE(Before(before.st_mtim, after.st_mtim));
  EXPECT_FALSE(Before(after.st_ctim, before.st_ctim));
  EXPECT_FALSE(Before(after.st_ctim, after.st_mtim));
  // chmod changes ctime but not mtime.
  ASSERT_THAT(utimensat(AT_FDCWD, P("f").c_str(), old, 0), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("f").c_str(), &before), SyscallSucceeds());
  ASSERT_THAT(chmod(P("f").c_str(), 0600), SyscallSucceeds());
  ASSERT_THAT(SysStat(P("f").c_str(), &after), SyscallSucceeds());
  EXPECT_EQ(after.st_mtim.tv_sec, 946684800);
  EXPECT_FALSE(Before(after.st_ctim, before.st_ctim));
}

TEST_F(StatTest, CreatingAnEntryAdvancesTheDirectoryMtime) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  const timespec old[2] = {{946684800, 0}, {946684800, 0}};
  ASSERT_THAT(utimensat(AT_FDCWD, P("d").c_str(), old, 0), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/f"), ""));
  struct stat st;
  ASSERT_THAT(SysStat(P("d").c_str(), &st), SyscallSucceeds());
  EXPECT_GT(st.st_mtim.tv_sec, 946684800);
}

// newfstatat(2)

TEST_F(StatTest, FstatatFlags) {
  ASSERT_TRUE(WriteFile(P("f"), "abc"));
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  struct stat st, f;
  ASSERT_THAT(SysFstatat(dir.get(), "f", &f, 0), SyscallSucceeds());
  ASSERT_THAT(SysFstatat(dir.get(), "l", &st, 0), SyscallSucceeds());
  EXPECT_TRUE(SameFile(st, f));
  ASSERT_THAT(SysFstatat(dir.get(), "l", &st, AT_SYMLINK_NOFOLLOW), SyscallSucceeds());
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  // AT_EMPTY_PATH: the fd itself.
  ScopedFd fd(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(SysFstatat(fd.get(), "", &st, AT_EMPTY_PATH), SyscallSucceeds());
  EXPECT_TRUE(SameFile(st, f));
  EXPECT_THAT(SysFstatat(fd.get(), "", &st, 0), SyscallFailsWithErrno(ENOENT));
  // A relative path against a non-directory fd.
  EXPECT_THAT(SysFstatat(fd.get(), "x", &st, 0), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysFstatat(-1, "f", &st, 0), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(SysFstatat(dir.get(), "f", &st, 0x8000000), SyscallFailsWithErrno(EINVAL));
  // AT_FDCWD with an absolute path, and an absolute path ignores a bad dirfd.
  EXPECT_THAT(SysFstatat(AT_FDCWD, P("f").c_str(), &st, 0), SyscallSucceeds());
  EXPECT_THAT(SysFstatat(-1, P("f").c_str(), &st, 0), SyscallSucceeds());
}

// statx(2)

TEST_F(StatTest, StatxBasicStatsAgreeWithStat) {
  ASSERT_TRUE(WriteFile(P("f"), "0123456789", 0604));
  struct stat st;
  ASSERT_THAT(SysStat(P("f").c_str(), &st), SyscallSucceeds());
  struct statx stx;
  memset(&stx, 0xff, sizeof(stx));
  ASSERT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), 0, STATX_BASIC_STATS, &stx), SyscallSucceeds());
  EXPECT_EQ(stx.stx_mask & STATX_BASIC_STATS, static_cast<unsigned>(STATX_BASIC_STATS));
  EXPECT_EQ(stx.stx_mode, st.st_mode);
  EXPECT_EQ(stx.stx_size, 10u);
  EXPECT_EQ(stx.stx_ino, st.st_ino);
  EXPECT_EQ(stx.stx_nlink, 1u);
  EXPECT_EQ(stx.stx_uid, st.st_uid);
  EXPECT_EQ(stx.stx_gid, st.st_gid);
  EXPECT_EQ(stx.stx_blksize, static_cast<uint32_t>(st.st_blksize));
  EXPECT_EQ(stx.stx_blocks, static_cast<uint64_t>(st.st_blocks));
  EXPECT_EQ(makedev(stx.stx_dev_major, stx.stx_dev_minor), st.st_dev);
  EXPECT_EQ(stx.stx_mtime.tv_sec, st.st_mtim.tv_sec);
  EXPECT_EQ(stx.stx_mtime.tv_nsec, static_cast<uint32_t>(st.st_mtim.tv_nsec));
  // A mask of just the type and mode still works (more may be returned).
  ASSERT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), 0, STATX_TYPE | STATX_MODE, &stx),
              SyscallSucceeds());
  EXPECT_NE(stx.stx_mask & STATX_TYPE, 0u);
  EXPECT_EQ(stx.stx_mode, st.st_mode);
}

TEST_F(StatTest, StatxFlags) {
  ASSERT_TRUE(WriteFile(P("f"), "abc"));
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  struct statx stx;
  ASSERT_THAT(SysStatx(AT_FDCWD, P("l").c_str(), 0, STATX_BASIC_STATS, &stx), SyscallSucceeds());
  EXPECT_TRUE(S_ISREG(stx.stx_mode));
  ASSERT_THAT(SysStatx(AT_FDCWD, P("l").c_str(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx),
              SyscallSucceeds());
  EXPECT_TRUE(S_ISLNK(stx.stx_mode));
  EXPECT_EQ(stx.stx_size, 1u);
  ScopedFd fd(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(SysStatx(fd.get(), "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx), SyscallSucceeds());
  EXPECT_EQ(stx.stx_size, 3u);
  EXPECT_THAT(SysStatx(fd.get(), "", 0, STATX_BASIC_STATS, &stx), SyscallFailsWithErrno(ENOENT));
  // Sync flags are accepted, but not both at once.
  EXPECT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &stx),
              SyscallSucceeds());
  EXPECT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC,
                       STATX_BASIC_STATS, &stx),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), 0x8000000, STATX_BASIC_STATS, &stx),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), 0, STATX__RESERVED, &stx),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(SysStatx(AT_FDCWD, P("missing").c_str(), 0, STATX_BASIC_STATS, &stx),
              SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysStatx(AT_FDCWD, P("f").c_str(), 0, STATX_BASIC_STATS, nullptr),
              SyscallFailsWithErrno(EFAULT));
}

// access(2), faccessat(2), faccessat2(2)

TEST_F(StatTest, AccessAsRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  ASSERT_TRUE(WriteFile(P("none"), "", 0));
  ASSERT_TRUE(WriteFile(P("exec"), "", 0100));
  EXPECT_THAT(SysAccess(P("none").c_str(), F_OK), SyscallSucceeds());
  // Root may read and write anything...
  EXPECT_THAT(SysAccess(P("none").c_str(), R_OK | W_OK), SyscallSucceeds());
  // ...but execute a file only if some execute bit is set.
  EXPECT_THAT(SysAccess(P("none").c_str(), X_OK), SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(SysAccess(P("exec").c_str(), X_OK), SyscallSucceeds());
  // Directories are always searchable by root.
  ASSERT_THAT(mkdir(P("d").c_str(), 0), SyscallSucceeds());
  EXPECT_THAT(SysAccess(P("d").c_str(), R_OK | W_OK | X_OK), SyscallSucceeds());
}

TEST_F(StatTest, AccessErrors) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  EXPECT_THAT(SysAccess(P("missing").c_str(), F_OK), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysAccess(P("f/x").c_str(), F_OK), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysAccess(P("f").c_str(), 8), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(SysAccess(nullptr, F_OK), SyscallFailsWithErrno(EFAULT));
  ASSERT_THAT(symlink("missing", P("dangling").c_str()), SyscallSucceeds());
  EXPECT_THAT(SysAccess(P("dangling").c_str(), F_OK), SyscallFailsWithErrno(ENOENT));
}

TEST_F(StatTest, FaccessatIsRelativeToTheDirfd) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  EXPECT_THAT(SysFaccessat(dir.get(), "f", R_OK), SyscallSucceeds());
  EXPECT_THAT(SysFaccessat(dir.get(), "g", F_OK), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysFaccessat(-1, "f", F_OK), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(SysFaccessat(AT_FDCWD, P("f").c_str(), F_OK), SyscallSucceeds());
}

TEST_F(StatTest, Faccessat2Flags) {
  ASSERT_THAT(symlink("missing", P("dangling").c_str()), SyscallSucceeds());
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  EXPECT_THAT(SysFaccessat2(dir.get(), "dangling", F_OK, 0), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysFaccessat2(dir.get(), "dangling", F_OK, AT_SYMLINK_NOFOLLOW), SyscallSucceeds());
  EXPECT_THAT(SysFaccessat2(dir.get(), "", F_OK, AT_EMPTY_PATH), SyscallSucceeds());
  EXPECT_THAT(SysFaccessat2(dir.get(), "", F_OK, 0), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysFaccessat2(dir.get(), "dangling", F_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW),
              SyscallSucceeds());
  EXPECT_THAT(SysFaccessat2(dir.get(), "dangling", F_OK, 0x8000000), SyscallFailsWithErrno(EINVAL));
}

TEST_F(StatTest, AccessChecksTheRealIdsUnlessAtEaccess) {
  ASSERT_THAT(chmod(dir_.path().c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("private"), "", 0600));
  ASSERT_TRUE(WriteFile(P("public"), "", 0644));
  const std::string priv = P("private"), pub = P("public");
  // Real uid nobody, effective uid root.
  const int status = RunWithIds(65534, 0, [&] {
    if (SysAccess(pub.c_str(), R_OK) != 0) return 1;
    if (SysAccess(pub.c_str(), W_OK) != -1 || errno != EACCES) return 2;
    if (SysAccess(priv.c_str(), R_OK) != -1 || errno != EACCES) return 3;
    if (SysFaccessat2(AT_FDCWD, priv.c_str(), R_OK | W_OK, AT_EACCESS) != 0) return 4;
    // open(2) uses the effective ids.
    const int fd = open(priv.c_str(), O_RDWR);
    if (fd < 0) return 5;
    close(fd);
    return 0;
  });
  EXPECT_EQ(status, 0);
  // Entirely nobody: F_OK still works, R_OK does not.
  const int status2 = RunWithIds(65534, 65534, [&] {
    if (SysAccess(priv.c_str(), F_OK) != 0) return 1;
    if (SysFaccessat2(AT_FDCWD, priv.c_str(), R_OK, AT_EACCESS) != -1 || errno != EACCES) return 2;
    return 0;
  });
  EXPECT_EQ(status2, 0);
}

TEST_F(StatTest, NonRootNeedsSearchPermissionOnTheParent) {
  ASSERT_THAT(mkdir(P("closed").c_str(), 0700), SyscallSucceeds());
  ASSERT_THAT(chmod(dir_.path().c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("closed/f"), "", 0644));
  const std::string f = P("closed/f");
  const int status = RunWithIds(65534, 65534, [&] {
    struct stat st;
    if (SysStat(f.c_str(), &st) != -1 || errno != EACCES) return 1;
    if (SysAccess(f.c_str(), F_OK) != -1 || errno != EACCES) return 2;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace test_util
