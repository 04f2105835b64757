// Opening files: open(2), openat(2), openat2(2), creat(2) and their flags
// (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW,
// O_PATH, O_TMPFILE), path errors, dirfd-relative opens, shared offsets, and
// the umask.
//
// open(2) and creat(2) are called as SYS_open and SYS_creat: glibc's open()
// calls openat. Every test works in its own fresh directory under /tmp,
// removed with its contents at the end; a test that needs a non-root identity
// takes it in a forked child.
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

// A fresh directory /tmp/sk_open_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_open_XXXXXX";
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

// Sets the umask, putting the old one back on scope exit.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(umask(mask)) {}
  ~ScopedUmask() { umask(old_); }

 private:
  mode_t old_;
};

long SysOpen(const char* path, int flags, mode_t mode = 0) {
  return syscall(SYS_open, path, flags, mode);
}
long SysOpenat(int dirfd, const char* path, int flags, mode_t mode = 0) {
  return syscall(SYS_openat, dirfd, path, flags, mode);
}
long SysCreat(const char* path, mode_t mode) { return syscall(SYS_creat, path, mode); }
long Openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  open_how how = {};
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

bool WriteFile(const std::string& path, const std::string& data, mode_t mode = 0644) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0) return false;
  const bool ok = write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  close(fd);
  return ok;
}

std::string ReadFd(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  return out;
}

std::string ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return "<open failed>";
  std::string out = ReadFd(fd);
  close(fd);
  return out;
}

mode_t ModeOf(const std::string& path) {
  struct stat st = {};
  if (lstat(path.c_str(), &st) != 0) return 0;
  return st.st_mode;
}

// Runs fn in a forked child as uid/gid 65534 with no supplementary groups and
// returns its exit status (or 100 + the signal that killed it).
template <typename F>
int RunAsNobody(F fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgroups(0, nullptr) != 0 || setresgid(65534, 65534, 65534) != 0 ||
        setresuid(65534, 65534, 65534) != 0) {
      _exit(99);
    }
    _exit(fn());
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

class OpenTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()) << ErrnoName(errno); }
  std::string P(const std::string& name) const { return dir_.Path(name); }
  TempDir dir_;
};

// O_CREAT, O_EXCL, O_TRUNC, creat(2), umask

TEST_F(OpenTest, CreateAppliesTheUmask) {
  ScopedUmask mask(022);
  ScopedFd fd(SysOpen(P("f").c_str(), O_CREAT | O_WRONLY, 0777));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(ModeOf(P("f")), S_IFREG | 0755);
  umask(077);
  ScopedFd fd2(SysOpenat(AT_FDCWD, P("g").c_str(), O_CREAT | O_RDWR, 0666));
  ASSERT_THAT(fd2.get(), SyscallSucceeds());
  EXPECT_EQ(ModeOf(P("g")), S_IFREG | 0600);
  // The setuid/setgid/sticky bits pass through, minus the umask.
  umask(0);
  ScopedFd fd3(SysOpen(P("h").c_str(), O_CREAT | O_RDWR, 07755));
  ASSERT_THAT(fd3.get(), SyscallSucceeds());
  EXPECT_EQ(ModeOf(P("h")) & 07777, 07755u);
}

TEST_F(OpenTest, CreateOfAnExistingFileKeepsItsModeAndData) {
  ASSERT_TRUE(WriteFile(P("f"), "data", 0640));
  ScopedFd fd(SysOpen(P("f").c_str(), O_CREAT | O_RDWR, 0777));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(ModeOf(P("f")), S_IFREG | 0640);
  EXPECT_EQ(ReadFd(fd.get()), "data");
}

TEST_F(OpenTest, ExclFailsOnAnythingExisting) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(symlink("missing", P("dangling").c_str()), SyscallSucceeds());
  for (const char* name : {"f", "d", "dangling"}) {
    EXPECT_THAT(SysOpen(P(name).c_str(), O_CREAT | O_EXCL | O_RDWR, 0644),
                SyscallFailsWithErrno(EEXIST))
        << name;
  }
  // O_CREAT|O_EXCL does not follow the dangling symlink.
  EXPECT_THAT(access(P("missing").c_str(), F_OK), SyscallFailsWithErrno(ENOENT));
  ScopedFd fd(SysOpen(P("new").c_str(), O_CREAT | O_EXCL | O_RDWR, 0644));
  EXPECT_THAT(fd.get(), SyscallSucceeds());
}

TEST_F(OpenTest, TruncEmptiesTheFile) {
  ASSERT_TRUE(WriteFile(P("f"), "0123456789"));
  {
    ScopedFd fd(SysOpen(P("f").c_str(), O_WRONLY | O_TRUNC));
    ASSERT_THAT(fd.get(), SyscallSucceeds());
  }
  EXPECT_EQ(ReadFile(P("f")), "");
  // Linux truncates even with O_RDONLY (POSIX leaves it unspecified).
  ASSERT_TRUE(WriteFile(P("f"), "0123456789"));
  ScopedFd fd(SysOpen(P("f").c_str(), O_RDONLY | O_TRUNC));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(ReadFile(P("f")), "");
}

TEST_F(OpenTest, CreatTruncatesAndOpensWriteOnly) {
  ASSERT_TRUE(WriteFile(P("f"), "old contents"));
  ScopedFd fd(SysCreat(P("f").c_str(), 0600));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(fcntl(fd.get(), F_GETFL) & O_ACCMODE, O_WRONLY);
  char c;
  EXPECT_THAT(read(fd.get(), &c, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(write(fd.get(), "new", 3), SyscallSucceedsWithValue(3));
  EXPECT_EQ(ReadFile(P("f")), "new");
  ScopedUmask mask(0);
  ScopedFd fd2(SysCreat(P("g").c_str(), 0604));
  ASSERT_THAT(fd2.get(), SyscallSucceeds());
  EXPECT_EQ(ModeOf(P("g")), S_IFREG | 0604);
}

TEST_F(OpenTest, AccessModeIsEnforcedPerDescription) {
  ASSERT_TRUE(WriteFile(P("f"), "abc"));
  ScopedFd ro(SysOpen(P("f").c_str(), O_RDONLY));
  ScopedFd wo(SysOpen(P("f").c_str(), O_WRONLY));
  ASSERT_THAT(ro.get(), SyscallSucceeds());
  ASSERT_THAT(wo.get(), SyscallSucceeds());
  char c;
  EXPECT_THAT(write(ro.get(), "x", 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(read(wo.get(), &c, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(read(ro.get(), &c, 1), SyscallSucceedsWithValue(1));
}

// Path errors

TEST_F(OpenTest, MissingFileOrParentFailsEnoent) {
  EXPECT_THAT(SysOpen(P("missing").c_str(), O_RDONLY), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysOpen(P("nodir/f").c_str(), O_CREAT | O_RDWR, 0644), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysOpen("", O_RDONLY), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(SysOpenat(AT_FDCWD, "", O_RDONLY), SyscallFailsWithErrno(ENOENT));
}

TEST_F(OpenTest, FileAsADirectoryFailsEnotdir) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  EXPECT_THAT(SysOpen(P("f/x").c_str(), O_RDONLY), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysOpen(P("f/x").c_str(), O_CREAT | O_RDWR, 0644), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysOpen(P("f").c_str(), O_RDONLY | O_DIRECTORY), SyscallFailsWithErrno(ENOTDIR));
}

TEST_F(OpenTest, DirectoryForWritingFailsEisdir) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  EXPECT_THAT(SysOpen(P("d").c_str(), O_WRONLY), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(SysOpen(P("d").c_str(), O_RDWR), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(SysOpen(P("d").c_str(), O_CREAT | O_RDONLY, 0644), SyscallFailsWithErrno(EISDIR));
  ScopedFd fd(SysOpen(P("d").c_str(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  char c;
  EXPECT_THAT(read(fd.get(), &c, 1), SyscallFailsWithErrno(EISDIR));
  ScopedFd fd2(SysOpen(P("d").c_str(), O_RDONLY | O_DIRECTORY));
  EXPECT_THAT(fd2.get(), SyscallSucceeds());
}

TEST_F(OpenTest, CreatWithDirectoryFailsEinval) {
  // Since Linux 6.4, O_CREAT|O_DIRECTORY is rejected outright.
  EXPECT_THAT(SysOpen(P("new").c_str(), O_CREAT | O_DIRECTORY | O_RDONLY, 0755),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(access(P("new").c_str(), F_OK), SyscallFailsWithErrno(ENOENT));
}

TEST_F(OpenTest, TrailingSlash) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  EXPECT_THAT(SysOpen(P("f/").c_str(), O_RDONLY), SyscallFailsWithErrno(ENOTDIR));
  ScopedFd d(SysOpen(P("d/").c_str(), O_RDONLY));
  EXPECT_THAT(d.get(), SyscallSucceeds());
  ScopedFd d2(SysOpen(P("d//.//").c_str(), O_RDONLY));
  EXPECT_THAT(d2.get(), SyscallSucceeds());
  // With O_CREAT a trailing slash is EISDIR, whether or not the name exists.
  EXPECT_THAT(SysOpen(P("new/").c_str(), O_CREAT | O_RDWR, 0644), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(SysOpen(P("f/").c_str(), O_CREAT | O_RDWR, 0644), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(access(P("new").c_str(), F_OK), SyscallFailsWithErrno(ENOENT));
}

TEST_F(OpenTest, SymlinkLoopFailsEloop) {
  ASSERT_THAT(symlink("b", P("a").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink("a", P("b").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink("self", P("self").c_str()), SyscallSucceeds());
  EXPECT_THAT(SysOpen(P("a").c_str(), O_RDONLY), SyscallFailsWithErrno(ELOOP));
  EXPECT_THAT(SysOpen(P("self").c_str(), O_RDONLY), SyscallFailsWithErrno(ELOOP));
  EXPECT_THAT(SysOpen(P("a/x").c_str(), O_RDONLY), SyscallFailsWithErrno(ELOOP));
  EXPECT_THAT(SysOpen(P("a").c_str(), O_CREAT | O_RDWR, 0644), SyscallFailsWithErrno(ELOOP));
}

TEST_F(OpenTest, LongNamesFailEnametoolong) {
  const std::string component(256, 'n');
  EXPECT_THAT(SysOpen(P(component).c_str(), O_RDONLY), SyscallFailsWithErrno(ENAMETOOLONG));
  EXPECT_THAT(SysOpen(P(component).c_str(), O_CREAT | O_RDWR, 0644),
              SyscallFailsWithErrno(ENAMETOOLONG));
  // A 255-byte name is fine.
  ScopedFd fd(SysOpen(P(std::string(255, 'n')).c_str(), O_CREAT | O_RDWR, 0644));
  EXPECT_THAT(fd.get(), SyscallSucceeds());
  // A path of PATH_MAX bytes or more, before any lookup.
  std::string long_path = "/";
  while (long_path.size() < 4096) long_path += "./";
  EXPECT_THAT(SysOpen(long_path.c_str(), O_RDONLY), SyscallFailsWithErrno(ENAMETOOLONG));
}

TEST_F(OpenTest, BadPathPointerFailsEfault) {
  EXPECT_THAT(SysOpen(nullptr, O_RDONLY), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(SysOpen(reinterpret_cast<const char*>(1), O_RDONLY), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(SysOpenat(AT_FDCWD, nullptr, O_RDONLY), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(SysCreat(nullptr, 0644), SyscallFailsWithErrno(EFAULT));
}

// Flags

TEST_F(OpenTest, CloexecSetsFdCloexec) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  ScopedFd a(SysOpen(P("f").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(a.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  ScopedFd b(SysOpen(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(b.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(b.get(), F_GETFD), SyscallSucceedsWithValue(0));
  // O_CLOEXEC is a descriptor flag, not a status flag.
  EXPECT_EQ(fcntl(a.get(), F_GETFL) & O_CLOEXEC, 0);
}

TEST_F(OpenTest, NofollowRefusesAFinalSymlinkOnly) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/f"), "x"));
  ASSERT_THAT(symlink("d/f", P("lf").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink("d", P("ld").c_str()), SyscallSucceeds());
  EXPECT_THAT(SysOpen(P("lf").c_str(), O_RDONLY | O_NOFOLLOW), SyscallFailsWithErrno(ELOOP));
  EXPECT_THAT(SysOpen(P("lf").c_str(), O_CREAT | O_RDWR | O_NOFOLLOW, 0644),
              SyscallFailsWithErrno(ELOOP));
  // A symlink earlier in the path is followed.
  ScopedFd fd(SysOpen(P("ld/f").c_str(), O_RDONLY | O_NOFOLLOW));
  EXPECT_THAT(fd.get(), SyscallSucceeds());
  // With O_PATH the symlink itself is opened.
  ScopedFd link(SysOpen(P("lf").c_str(), O_PATH | O_NOFOLLOW));
  ASSERT_THAT(link.get(), SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(fstatat(link.get(), "", &st, AT_EMPTY_PATH), SyscallSucceeds());
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST_F(OpenTest, PathFdCannotReadOrWrite) {
  ASSERT_TRUE(WriteFile(P("f"), "abc"));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ScopedFd fd(SysOpen(P("f").c_str(), O_PATH));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  char c;
  EXPECT_THAT(read(fd.get(), &c, 1), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(write(fd.get(), "x", 1), SyscallFailsWithErrno(EBADF));
  EXPECT_NE(fcntl(fd.get(), F_GETFL) & O_PATH, 0);
  struct stat st;
  ASSERT_THAT(fstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_size, 3);
  // An O_PATH directory works as a dirfd.
  ScopedFd dfd(SysOpen(P("d").c_str(), O_PATH | O_DIRECTORY));
  ASSERT_THAT(dfd.get(), SyscallSucceeds());
  ScopedFd inner(SysOpenat(dfd.get(), "g", O_CREAT | O_RDWR, 0644));
  EXPECT_THAT(inner.get(), SyscallSucceeds());
  EXPECT_THAT(access(P("d/g").c_str(), F_OK), SyscallSucceeds());
}

TEST_F(OpenTest, TmpfileIsUnnamedUntilLinked) {
  ScopedFd fd(SysOpen(dir_.path().c_str(), O_TMPFILE | O_RDWR, 0600));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(fstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_nlink, 0u);
  EXPECT_THAT(write(fd.get(), "tmp", 3), SyscallSucceedsWithValue(3));
  ASSERT_THAT(linkat(fd.get(), "", AT_FDCWD, P("named").c_str(), AT_EMPTY_PATH), SyscallSucceeds());
  EXPECT_EQ(ReadFile(P("named")), "tmp");
  ASSERT_THAT(fstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST_F(OpenTest, TmpfileErrors) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  // It needs write access...
  EXPECT_THAT(SysOpen(dir_.path().c_str(), O_TMPFILE | O_RDONLY, 0600),
              SyscallFailsWithErrno(EINVAL));
  // ...and a directory.
  EXPECT_THAT(SysOpen(P("f").c_str(), O_TMPFILE | O_RDWR, 0600), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(SysOpen(P("missing").c_str(), O_TMPFILE | O_RDWR, 0600),
              SyscallFailsWithErrno(ENOENT));
  // With O_EXCL it can never be linked.
  ScopedFd fd(SysOpen(dir_.path().c_str(), O_TMPFILE | O_EXCL | O_RDWR, 0600));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(linkat(fd.get(), "", AT_FDCWD, P("named").c_str(), AT_EMPTY_PATH),
              SyscallFailsWithErrno(ENOENT));
}

// O_APPEND and offsets

TEST_F(OpenTest, AppendWritesAtTheEnd) {
  ASSERT_TRUE(WriteFile(P("f"), "0123"));
  ScopedFd fd(SysOpen(P("f").c_str(), O_RDWR | O_APPEND));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(0));
  ASSERT_THAT(lseek(fd.get(), 1, SEEK_SET), SyscallSucceedsWithValue(1));
  ASSERT_THAT(write(fd.get(), "ab", 2), SyscallSucceedsWithValue(2));
  // The offset moves to the new end.
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(6));
  // Reads still honour the offset.
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceeds());
  char buf[2];
  EXPECT_THAT(read(fd.get(), buf, 2), SyscallSucceedsWithValue(2));
  EXPECT_EQ(std::string(buf, 2), "01");
  // Linux quirk (see pwrite(2) BUGS): pwrite on O_APPEND appends too.
  ASSERT_THAT(pwrite(fd.get(), "Z", 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(ReadFile(P("f")), "0123abZ");
}

TEST_F(OpenTest, DupAndDup2ShareTheOffset) {
  ASSERT_TRUE(WriteFile(P("f"), "0123456789"));
  ScopedFd a(SysOpen(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ScopedFd b(dup(a.get()));
  ASSERT_THAT(b.get(), SyscallSucceeds());
  char buf[4];
  ASSERT_THAT(read(a.get(), buf, 3), SyscallSucceedsWithValue(3));
  EXPECT_THAT(lseek(b.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(3));
  ASSERT_THAT(read(b.get(), buf, 2), SyscallSucceedsWithValue(2));
  EXPECT_EQ(std::string(buf, 2), "34");
  const int target = b.get() + 5;
  ScopedFd c(dup2(a.get(), target));
  ASSERT_THAT(c.get(), SyscallSucceedsWithValue(target));
  ASSERT_THAT(lseek(c.get(), 8, SEEK_SET), SyscallSucceeds());
  EXPECT_THAT(lseek(a.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(8));
  // A second open is a new description with its own offset.
  ScopedFd d(SysOpen(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(d.get(), SyscallSucceeds());
  EXPECT_THAT(lseek(d.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(0));
  ASSERT_THAT(read(d.get(), buf, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(buf[0], '0');
}

// openat(2) and dirfds

TEST_F(OpenTest, OpenatIsRelativeToTheDirfd) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ScopedFd dfd(SysOpen(P("d").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dfd.get(), SyscallSucceeds());
  ScopedFd f(SysOpenat(dfd.get(), "f", O_CREAT | O_RDWR, 0644));
  ASSERT_THAT(f.get(), SyscallSucceeds());
  EXPECT_THAT(access(P("d/f").c_str(), F_OK), SyscallSucceeds());
  // An absolute path ignores the dirfd, even a bad one.
  ScopedFd g(SysOpenat(-1, P("d/f").c_str(), O_RDONLY));
  EXPECT_THAT(g.get(), SyscallSucceeds());
  // A relative path needs a valid directory.
  EXPECT_THAT(SysOpenat(-1, "f", O_RDONLY), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(SysOpenat(f.get(), "f", O_RDONLY), SyscallFailsWithErrno(ENOTDIR));
  // ".." from the dirfd.
  ScopedFd up(SysOpenat(dfd.get(), "../d/f", O_RDONLY));
  EXPECT_THAT(up.get(), SyscallSucceeds());
}

TEST_F(OpenTest, AtFdcwdFollowsChdir) {
  ScopedFd saved(SysOpen(".", O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(saved.get(), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("f"), "here"));
  ASSERT_THAT(chdir(dir_.path().c_str()), SyscallSucceeds());
  ScopedFd a(SysOpenat(AT_FDCWD, "f", O_RDONLY));
  ScopedFd b(SysOpen("./f", O_RDONLY));
  ScopedFd c(SysOpen("g", O_CREAT | O_RDWR, 0644));
  ASSERT_THAT(fchdir(saved.get()), SyscallSucceeds());
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ASSERT_THAT(b.get(), SyscallSucceeds());
  ASSERT_THAT(c.get(), SyscallSucceeds());
  EXPECT_EQ(ReadFd(a.get()), "here");
  EXPECT_THAT(access(P("g").c_str(), F_OK), SyscallSucceeds());
}

// openat2(2)

TEST_F(OpenTest, Openat2BehavesLikeOpenat) {
  ScopedUmask mask(0);
  ScopedFd fd(Openat2(AT_FDCWD, P("f").c_str(), O_CREAT | O_RDWR, 0604, 0));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_EQ(ModeOf(P("f")), S_IFREG | 0604);
  EXPECT_THAT(Openat2(AT_FDCWD, P("f").c_str(), O_CREAT | O_EXCL | O_RDWR, 0600, 0),
              SyscallFailsWithErrno(EEXIST));
}

TEST_F(OpenTest, Openat2ValidatesItsArguments) {
  ASSERT_TRUE(WriteFile(P("f"), "x"));
  const std::string path = P("f");
  const char* f = path.c_str();
  // Unlike open(2), unknown flags are rejected.
  EXPECT_THAT(Openat2(AT_FDCWD, f, 1ull << 40, 0, 0), SyscallFailsWithErrno(EINVAL));
  // A mode without O_CREAT or O_TMPFILE, or a mode beyond 07777.
  EXPECT_THAT(Openat2(AT_FDCWD, f, O_RDONLY, 0644, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Openat2(AT_FDCWD, P("g").c_str(), O_CREAT | O_RDWR, 010000, 0),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Openat2(AT_FDCWD, f, O_RDONLY, 0, 1ull << 40), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Openat2(AT_FDCWD, f, O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT),
              SyscallFailsWithErrno(EINVAL));
  // The struct size: too small is EINVAL, larger is fine while the tail is zero.
  struct {
    open_how how;
    uint64_t extra;
  } big = {};
  EXPECT_THAT(syscall(SYS_openat2, AT_FDCWD, f, &big.how, 16), SyscallFailsWithErrno(EINVAL));
  ScopedFd fd(syscall(SYS_openat2, AT_FDCWD, f, &big, sizeof(big)));
  EXPECT_THAT(fd.get(), SyscallSucceeds());
  big.extra = 1;
  EXPECT_THAT(syscall(SYS_openat2, AT_FDCWD, f, &big, sizeof(big)), SyscallFailsWithErrno(E2BIG));
  EXPECT_THAT(syscall(SYS_openat2, AT_FDCWD, f, nullptr, sizeof(open_how)),
              SyscallFailsWithErrno(EFAULT));
}

TEST_F(OpenTest, Openat2ResolveBeneath) {
  ASSERT_THAT(mkdir(P("root").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("root/sub").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("root/f"), "in"));
  ASSERT_TRUE(WriteFile(P("outside"), "out"));
  ASSERT_THAT(symlink("../outside", P("root/up").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink(P("root/f").c_str(), P("root/abs").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink("sub/../f", P("root/rel").c_str()), SyscallSucceeds());
  ScopedFd root(SysOpen(P("root").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(root.get(), SyscallSucceeds());
  ScopedFd ok(Openat2(root.get(), "sub/../f", O_RDONLY, 0, RESOLVE_BENEATH));
  EXPECT_THAT(ok.get(), SyscallSucceeds());
  ScopedFd ok2(Openat2(root.get(), "rel", O_RDONLY, 0, RESOLVE_BENEATH));
  EXPECT_THAT(ok2.get(), SyscallSucceeds());
  EXPECT_THAT(Openat2(root.get(), "../outside", O_RDONLY, 0, RESOLVE_BENEATH),
              SyscallFailsWithErrno(EXDEV));
  EXPECT_THAT(Openat2(root.get(), "up", O_RDONLY, 0, RESOLVE_BENEATH),
              SyscallFailsWithErrno(EXDEV));
  EXPECT_THAT(Openat2(root.get(), "abs", O_RDONLY, 0, RESOLVE_BENEATH),
              SyscallFailsWithErrno(EXDEV));
  EXPECT_THAT(Openat2(root.get(), P("root/f").c_str(), O_RDONLY, 0, RESOLVE_BENEATH),
              SyscallFailsWithErrno(EXDEV));
}

TEST_F(OpenTest, Openat2ResolveNoSymlinks) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/f"), "x"));
  ASSERT_THAT(symlink("d/f", P("lf").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink("d", P("ld").c_str()), SyscallSucceeds());
  ScopedFd dir(SysOpen(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  ScopedFd ok(Openat2(dir.get(), "d/f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
  EXPECT_THAT(ok.get(), SyscallSucceeds());
  EXPECT_THAT(Openat2(dir.get(), "lf", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
              SyscallFailsWithErrno(ELOOP));
  EXPECT_THAT(Openat2(dir.get(), "ld/f", O_RDONLY, 0, RESOLVE_NO_SYMLINKS),
              SyscallFailsWithErrno(ELOOP));
}

TEST_F(OpenTest, Openat2ResolveInRoot) {
  ASSERT_THAT(mkdir(P("root").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("root/f"), "inner"));
  ASSERT_TRUE(WriteFile(P("f"), "outer"));
  ASSERT_THAT(symlink("/f", P("root/abs").c_str()), SyscallSucceeds());
  ScopedFd root(SysOpen(P("root").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(root.get(), SyscallSucceeds());
  // "/" and ".." at the top both mean the dirfd, also inside symlinks.
  for (const char* path : {"/f", "../f", "../../../f", "abs"}) {
    ScopedFd fd(Openat2(root.get(), path, O_RDONLY, 0, RESOLVE_IN_ROOT));
    ASSERT_THAT(fd.get(), SyscallSucceeds()) << path;
    EXPECT_EQ(ReadFd(fd.get()), "inner") << path;
  }
}

// Permissions, as a non-root user in a child

TEST_F(OpenTest, PermissionBitsApplyToNonRoot) {
  ASSERT_THAT(chmod(dir_.path().c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("private"), "x", 0600));
  ASSERT_TRUE(WriteFile(P("public"), "x", 0644));
  const std::string priv = P("private"), pub = P("public"), newf = P("new");
  const int status = RunAsNobody([&] {
    const int ok = static_cast<int>(SysOpen(pub.c_str(), O_RDONLY));
    if (ok < 0) return 1;
    if (SysOpen(pub.c_str(), O_WRONLY) != -1 || errno != EACCES) return 2;
    if (SysOpen(priv.c_str(), O_RDONLY) != -1 || errno != EACCES) return 3;
    // Creating needs write permission on the directory.
    if (SysOpen(newf.c_str(), O_CREAT | O_RDWR, 0644) != -1 || errno != EACCES) return 4;
    return 0;
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace test_util
