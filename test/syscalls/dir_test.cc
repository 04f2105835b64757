// Directories and names: mkdir(2), mkdirat(2), rmdir(2), getdents(2),
// getdents64(2), chdir(2), fchdir(2), getcwd(2), rename(2), renameat(2),
// renameat2(2), unlink(2), unlinkat(2), link(2), linkat(2), symlink(2),
// symlinkat(2), readlink(2), readlinkat(2).
//
// Every test works in its own fresh directory under /tmp, removed with its
// contents at the end; a test that changes the working directory puts it back.
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

// A fresh directory /tmp/sk_dir_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_dir_XXXXXX";
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

// Returns to the working directory of its construction on scope exit.
class CwdRestorer {
 public:
  CwdRestorer() : fd_(open(".", O_RDONLY | O_DIRECTORY)) {}
  ~CwdRestorer() {
    if (fd_ >= 0) {
      if (fchdir(fd_) != 0) ADD_FAILURE() << "cannot restore the cwd";
      close(fd_);
    }
  }

 private:
  int fd_;
};

bool WriteFile(const std::string& path, const std::string& data) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  const bool ok = write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  close(fd);
  return ok;
}

std::string ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return "<" + ErrnoName(errno) + ">";
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  close(fd);
  return out;
}

ino_t InoOf(const std::string& path) {
  struct stat st = {};
  return lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

nlink_t NlinkOf(const std::string& path) {
  struct stat st = {};
  return lstat(path.c_str(), &st) == 0 ? st.st_nlink : 0;
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

long SysGetcwd(char* buf, size_t size) { return syscall(SYS_getcwd, buf, size); }
long Renameat2(int olddir, const char* oldpath, int newdir, const char* newpath, unsigned flags) {
  return syscall(SYS_renameat2, olddir, oldpath, newdir, newpath, flags);
}

struct Dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  uint16_t d_reclen;
  uint8_t d_type;
  char d_name[];
};

// (name, d_type) of every entry left in fd, read with getdents64 (or the old
// getdents when `old`) into a buffer of buf_size bytes. Empty with errno set
// on failure.
std::vector<std::pair<std::string, int>> ReadEntries(int fd, size_t buf_size, bool old = false) {
  std::vector<std::pair<std::string, int>> out;
  std::vector<char> buf(buf_size);
  while (true) {
    const long n = syscall(old ? SYS_getdents : SYS_getdents64, fd, buf.data(), buf.size());
    if (n < 0) return {};
    if (n == 0) return out;
    for (long pos = 0; pos < n;) {
      const char* rec = buf.data() + pos;
      uint16_t reclen;
      if (old) {
        // struct linux_dirent: d_ino, d_off (longs), d_reclen, d_name, ...,
        // d_type in the record's last byte.
        memcpy(&reclen, rec + 16, sizeof(reclen));
        out.emplace_back(std::string(rec + 18), rec[reclen - 1]);
      } else {
        const auto* d = reinterpret_cast<const Dirent64*>(rec);
        reclen = d->d_reclen;
        out.emplace_back(std::string(d->d_name), d->d_type);
      }
      if (reclen == 0) return {};
      pos += reclen;
    }
  }
}

class DirTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()) << ErrnoName(errno); }
  std::string P(const std::string& name) const { return dir_.Path(name); }
  TempDir dir_;
};

// mkdir(2), mkdirat(2), rmdir(2)

TEST_F(DirTest, MkdirCreatesWithTheUmaskApplied) {
  const mode_t old = umask(027);
  const long ret = syscall(SYS_mkdir, P("d").c_str(), 0777);
  umask(old);
  ASSERT_THAT(ret, SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(stat(P("d").c_str(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_EQ(st.st_nlink, 2u);
  // A trailing slash is fine for mkdir.
  EXPECT_THAT(mkdir(P("e/").c_str(), 0755), SyscallSucceeds());
}

TEST_F(DirTest, MkdirErrors) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(symlink("missing", P("dangling").c_str()), SyscallSucceeds());
  EXPECT_THAT(mkdir(P("d").c_str(), 0755), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(mkdir(P("f").c_str(), 0755), SyscallFailsWithErrno(EEXIST));
  // mkdir does not follow a dangling symlink.
  EXPECT_THAT(mkdir(P("dangling").c_str(), 0755), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(mkdir(P("no/d").c_str(), 0755), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(mkdir(P("f/d").c_str(), 0755), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(mkdir(P(std::string(256, 'n')).c_str(), 0755), SyscallFailsWithErrno(ENAMETOOLONG));
  EXPECT_THAT(mkdir("", 0755), SyscallFailsWithErrno(ENOENT));
}

TEST_F(DirTest, MkdiratIsRelativeToTheDirfd) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ScopedFd dfd(open(P("d").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dfd.get(), SyscallSucceeds());
  ASSERT_THAT(mkdirat(dfd.get(), "sub", 0755), SyscallSucceeds());
  EXPECT_TRUE(Exists(P("d/sub")));
  EXPECT_THAT(mkdirat(dfd.get(), "sub", 0755), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(mkdirat(-1, "x", 0755), SyscallFailsWithErrno(EBADF));
}

TEST_F(DirTest, RmdirErrors) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("d/sub").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("f"), ""));
  EXPECT_THAT(rmdir(P("d").c_str()), SyscallFailsWithErrno(ENOTEMPTY));
  EXPECT_THAT(rmdir(P("d/sub/.").c_str()), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(rmdir(P("d/sub/..").c_str()), SyscallFailsWithErrno(ENOTEMPTY));
  EXPECT_THAT(rmdir(P("f").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(rmdir(P("missing").c_str()), SyscallFailsWithErrno(ENOENT));
  ASSERT_THAT(symlink("d/sub", P("l").c_str()), SyscallSucceeds());
  EXPECT_THAT(rmdir(P("l").c_str()), SyscallFailsWithErrno(ENOTDIR));
  {
    CwdRestorer restore;
    ASSERT_THAT(chdir(P("d/sub").c_str()), SyscallSucceeds());
    EXPECT_THAT(rmdir("."), SyscallFailsWithErrno(EINVAL));
  }
  EXPECT_THAT(rmdir(P("d/sub/").c_str()), SyscallSucceeds());
  EXPECT_THAT(rmdir(P("d").c_str()), SyscallSucceeds());
  EXPECT_FALSE(Exists(P("d")));
}

// getdents64(2), getdents(2)

TEST_F(DirTest, GetdentsListsEverythingWithTypes) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("d/sub").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/file"), "x"));
  ASSERT_THAT(symlink("file", P("d/link").c_str()), SyscallSucceeds());
  ASSERT_THAT(mkfifo(P("d/fifo").c_str(), 0644), SyscallSucceeds());
  ScopedFd fd(open(P("d").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  const auto expected =
      UnorderedElementsAre(Pair(".", DT_DIR), Pair("..", DT_DIR), Pair("sub", DT_DIR),
                           Pair("file", DT_REG), Pair("link", DT_LNK), Pair("fifo", DT_FIFO));
  EXPECT_THAT(ReadEntries(fd.get(), 4096), expected);
  // At the end, it returns 0; after seeking back to 0 the listing repeats.
  char buf[512];
  EXPECT_THAT(syscall(SYS_getdents64, fd.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(0));
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceedsWithValue(0));
  EXPECT_THAT(ReadEntries(fd.get(), 4096), expected);
  // The old getdents gives the same.
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceedsWithValue(0));
  EXPECT_THAT(ReadEntries(fd.get(), 4096, /*old=*/true), expected);
}

TEST_F(DirTest, GetdentsInodeNumbersMatchStat) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ScopedFd fd(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  alignas(8) char buf[4096];
  const long n = syscall(SYS_getdents64, fd.get(), buf, sizeof(buf));
  ASSERT_THAT(n, SyscallSucceeds());
  int seen = 0;
  for (long pos = 0; pos < n;) {
    const auto* d = reinterpret_cast<const Dirent64*>(buf + pos);
    EXPECT_EQ(d->d_reclen % 8, 0) << d->d_name;
    if (strcmp(d->d_name, "f") == 0) {
      EXPECT_EQ(d->d_ino, InoOf(P("f")));
      ++seen;
    } else if (strcmp(d->d_name, ".") == 0) {
      EXPECT_EQ(d->d_ino, InoOf(dir_.path()));
      ++seen;
    }
    pos += d->d_reclen;
  }
  EXPECT_EQ(seen, 2);
}

TEST_F(DirTest, GetdentsOfTwoThousandEntriesListsEachOnce) {
  constexpr int kCount = 2000;
  ASSERT_THAT(mkdir(P("big").c_str(), 0755), SyscallSucceeds());
  ScopedFd dfd(open(P("big").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dfd.get(), SyscallSucceeds());
  for (int i = 0; i < kCount; ++i) {
    const std::string name = "entry_" + std::to_string(i);
    const int fd = openat(dfd.get(), name.c_str(), O_CREAT | O_WRONLY, 0644);
    ASSERT_THAT(fd, SyscallSucceeds()) << name;
    close(fd);
  }
  // A small buffer makes it take many calls.
  const auto entries = ReadEntries(dfd.get(), 1024);
  ASSERT_EQ(entries.size(), static_cast<size_t>(kCount + 2)) << ErrnoName(errno);
  std::map<std::string, int> counts;
  for (const auto& [name, type] : entries) {
    ++counts[name];
    if (name != "." && name != "..") {
      EXPECT_EQ(type, DT_REG) << name;
    }
  }
  EXPECT_EQ(counts.size(), static_cast<size_t>(kCount + 2));
  for (int i = 0; i < kCount; ++i) {
    EXPECT_EQ(counts["entry_" + std::to_string(i)], 1) << i;
  }
}

TEST_F(DirTest, GetdentsErrors) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ScopedFd file(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(file.get(), SyscallSucceeds());
  char buf[512];
  EXPECT_THAT(syscall(SYS_getdents64, file.get(), buf, sizeof(buf)),
              SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(syscall(SYS_getdents, file.get(), buf, sizeof(buf)), SyscallFailsWithErrno(ENOTDIR));
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  // Too small for even one entry.
  EXPECT_THAT(syscall(SYS_getdents64, dir.get(), buf, 8), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_getdents64, dir.get(), nullptr, 4096), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_getdents64, -1, buf, sizeof(buf)), SyscallFailsWithErrno(EBADF));
  ScopedFd path(open(dir_.path().c_str(), O_PATH));
  ASSERT_THAT(path.get(), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_getdents64, path.get(), buf, sizeof(buf)), SyscallFailsWithErrno(EBADF));
}

TEST_F(DirTest, GetdentsAfterRemovalOmitsTheEntry) {
  ASSERT_TRUE(WriteFile(P("a"), ""));
  ASSERT_TRUE(WriteFile(P("b"), ""));
  ASSERT_THAT(unlink(P("a").c_str()), SyscallSucceeds());
  ScopedFd fd(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(ReadEntries(fd.get(), 4096),
              UnorderedElementsAre(Pair(".", DT_DIR), Pair("..", DT_DIR), Pair("b", DT_REG)));
}

// chdir(2), fchdir(2), getcwd(2)

TEST_F(DirTest, ChdirAndGetcwd) {
  CwdRestorer restore;
  ASSERT_THAT(mkdir(P("a").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("a/b").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(chdir(P("a/b").c_str()), SyscallSucceeds());
  char buf[4096];
  ASSERT_THAT(SysGetcwd(buf, sizeof(buf)),
              SyscallSucceedsWithValue(static_cast<long>(P("a/b").size() + 1)));
  EXPECT_EQ(std::string(buf), P("a/b"));
  ASSERT_THAT(chdir(".."), SyscallSucceeds());
  ASSERT_THAT(SysGetcwd(buf, sizeof(buf)), SyscallSucceeds());
  EXPECT_EQ(std::string(buf), P("a"));
  // Relative paths resolve from the new cwd.
  ASSERT_THAT(chdir("b/../b/."), SyscallSucceeds());
  ASSERT_THAT(SysGetcwd(buf, sizeof(buf)), SyscallSucceeds());
  EXPECT_EQ(std::string(buf), P("a/b"));
  ASSERT_TRUE(WriteFile("rel", "r"));
  EXPECT_EQ(ReadFile(P("a/b/rel")), "r");
  // Through a symlink, getcwd reports the real path.
  ASSERT_THAT(symlink("a/b", P("lb").c_str()), SyscallSucceeds());
  ASSERT_THAT(chdir(P("lb").c_str()), SyscallSucceeds());
  ASSERT_THAT(SysGetcwd(buf, sizeof(buf)), SyscallSucceeds());
  EXPECT_EQ(std::string(buf), P("a/b"));
}

TEST_F(DirTest, GetcwdErrors) {
  CwdRestorer restore;
  ASSERT_THAT(chdir(dir_.path().c_str()), SyscallSucceeds());
  const size_t len = dir_.path().size() + 1;
  char buf[4096];
  memset(buf, 'z', sizeof(buf));
  EXPECT_THAT(SysGetcwd(buf, len - 1), SyscallFailsWithErrno(ERANGE));
  EXPECT_THAT(SysGetcwd(buf, 1), SyscallFailsWithErrno(ERANGE));
  EXPECT_THAT(SysGetcwd(buf, 0), SyscallFailsWithErrno(ERANGE));
  EXPECT_THAT(SysGetcwd(buf, len), SyscallSucceedsWithValue(static_cast<long>(len)));
  EXPECT_THAT(SysGetcwd(nullptr, sizeof(buf)), SyscallFailsWithErrno(EFAULT));
  // Once the cwd is removed, getcwd fails with ENOENT.
  ASSERT_THAT(mkdir(P("gone").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(chdir(P("gone").c_str()), SyscallSucceeds());
  ASSERT_THAT(rmdir(P("gone").c_str()), SyscallSucceeds());
  EXPECT_THAT(SysGetcwd(buf, sizeof(buf)), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(open("new", O_CREAT | O_RDWR, 0644), SyscallFailsWithErrno(ENOENT));
}

TEST_F(DirTest, ChdirAndFchdirErrors) {
  CwdRestorer restore;
  ASSERT_TRUE(WriteFile(P("f"), ""));
  EXPECT_THAT(chdir(P("f").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(chdir(P("missing").c_str()), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(syscall(SYS_chdir, nullptr), SyscallFailsWithErrno(EFAULT));
  ScopedFd file(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(file.get(), SyscallSucceeds());
  EXPECT_THAT(fchdir(file.get()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(fchdir(-1), SyscallFailsWithErrno(EBADF));
  // fchdir to a directory (even an O_PATH one).
  ScopedFd dir(open(dir_.path().c_str(), O_PATH | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  ASSERT_THAT(fchdir(dir.get()), SyscallSucceeds());
  EXPECT_EQ(ReadFile("f"), "");
  char buf[4096];
  ASSERT_THAT(SysGetcwd(buf, sizeof(buf)), SyscallSucceeds());
  EXPECT_EQ(std::string(buf), dir_.path());
}

// rename(2), renameat(2), renameat2(2)

TEST_F(DirTest, RenameMovesAndReplaces) {
  ASSERT_TRUE(WriteFile(P("a"), "A"));
  ASSERT_TRUE(WriteFile(P("b"), "B"));
  const ino_t a_ino = InoOf(P("a"));
  ASSERT_THAT(rename(P("a").c_str(), P("c").c_str()), SyscallSucceeds());
  EXPECT_FALSE(Exists(P("a")));
  EXPECT_EQ(InoOf(P("c")), a_ino);
  // Over an existing file: the old one is replaced atomically.
  ASSERT_THAT(rename(P("c").c_str(), P("b").c_str()), SyscallSucceeds());
  EXPECT_EQ(ReadFile(P("b")), "A");
  EXPECT_FALSE(Exists(P("c")));
  // Renaming a name onto another link of the same file does nothing.
  ASSERT_THAT(link(P("b").c_str(), P("b2").c_str()), SyscallSucceeds());
  ASSERT_THAT(rename(P("b").c_str(), P("b2").c_str()), SyscallSucceeds());
  EXPECT_TRUE(Exists(P("b")));
  EXPECT_TRUE(Exists(P("b2")));
  // Renaming to itself too.
  EXPECT_THAT(rename(P("b").c_str(), P("b").c_str()), SyscallSucceeds());
}

TEST_F(DirTest, RenameDirectories) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/f"), "in d"));
  ASSERT_THAT(mkdir(P("empty").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("full").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("full/x"), ""));
  ASSERT_TRUE(WriteFile(P("file"), ""));
  EXPECT_THAT(rename(P("d").c_str(), P("full").c_str()), SyscallFailsWithErrno(ENOTEMPTY));
  EXPECT_THAT(rename(P("d").c_str(), P("file").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(rename(P("file").c_str(), P("empty").c_str()), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(rename(P("d").c_str(), P("d/sub").c_str()), SyscallFailsWithErrno(EINVAL));
  ASSERT_THAT(mkdir(P("d/inner").c_str(), 0755), SyscallSucceeds());
  EXPECT_THAT(rename(P("d").c_str(), P("d/inner/deeper").c_str()), SyscallFailsWithErrno(EINVAL));
  // A directory over an empty directory replaces it.
  ASSERT_THAT(rename(P("d").c_str(), P("empty/").c_str()), SyscallSucceeds());
  EXPECT_EQ(ReadFile(P("empty/f")), "in d");
  // Moving a directory to another parent updates both link counts.
  const nlink_t before = NlinkOf(P("full"));
  ASSERT_THAT(rename(P("empty").c_str(), P("full/moved").c_str()), SyscallSucceeds());
  EXPECT_EQ(NlinkOf(P("full")), before + 1);
  EXPECT_EQ(ReadFile(P("full/moved/f")), "in d");
  struct stat dotdot;
  ASSERT_THAT(stat(P("full/moved/..").c_str(), &dotdot), SyscallSucceeds());
  EXPECT_EQ(dotdot.st_ino, InoOf(P("full")));
}

TEST_F(DirTest, RenameErrors) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  EXPECT_THAT(rename(P("missing").c_str(), P("x").c_str()), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(rename(P("f").c_str(), P("no/x").c_str()), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(rename(P("f").c_str(), P("f/x").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(rename(P("f/").c_str(), P("g").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(rename(P("f").c_str(), P("g/").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_TRUE(Exists(P("f")));
}

TEST_F(DirTest, RenameatUsesBothDirfds) {
  ASSERT_THAT(mkdir(P("src").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(mkdir(P("dst").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("src/f"), "moving"));
  ScopedFd src(open(P("src").c_str(), O_RDONLY | O_DIRECTORY));
  ScopedFd dst(open(P("dst").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(src.get(), SyscallSucceeds());
  ASSERT_THAT(dst.get(), SyscallSucceeds());
  ASSERT_THAT(renameat(src.get(), "f", dst.get(), "g"), SyscallSucceeds());
  EXPECT_EQ(ReadFile(P("dst/g")), "moving");
  EXPECT_THAT(renameat(-1, "g", dst.get(), "h"), SyscallFailsWithErrno(EBADF));
}

TEST_F(DirTest, Renameat2NoreplaceAndExchange) {
  ASSERT_TRUE(WriteFile(P("a"), "A"));
  ASSERT_TRUE(WriteFile(P("b"), "B"));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  EXPECT_THAT(Renameat2(AT_FDCWD, P("a").c_str(), AT_FDCWD, P("b").c_str(), RENAME_NOREPLACE),
              SyscallFailsWithErrno(EEXIST));
  EXPECT_EQ(ReadFile(P("b")), "B");
  ASSERT_THAT(Renameat2(AT_FDCWD, P("a").c_str(), AT_FDCWD, P("c").c_str(), RENAME_NOREPLACE),
              SyscallSucceeds());
  // RENAME_EXCHANGE swaps two names, even a file and a directory.
  const ino_t c_ino = InoOf(P("c")), d_ino = InoOf(P("d"));
  ASSERT_THAT(Renameat2(AT_FDCWD, P("c").c_str(), AT_FDCWD, P("d").c_str(), RENAME_EXCHANGE),
              SyscallSucceeds());
  EXPECT_EQ(InoOf(P("c")), d_ino);
  EXPECT_EQ(InoOf(P("d")), c_ino);
  EXPECT_EQ(ReadFile(P("d")), "A");
  EXPECT_THAT(Renameat2(AT_FDCWD, P("b").c_str(), AT_FDCWD, P("missing").c_str(), RENAME_EXCHANGE),
              SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(Renameat2(AT_FDCWD, P("b").c_str(), AT_FDCWD, P("d").c_str(),
                        RENAME_EXCHANGE | RENAME_NOREPLACE),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Renameat2(AT_FDCWD, P("b").c_str(), AT_FDCWD, P("d").c_str(), 0x80),
              SyscallFailsWithErrno(EINVAL));
}

// unlink(2), unlinkat(2)

TEST_F(DirTest, UnlinkRemovesTheNameButNotOpenData) {
  ASSERT_TRUE(WriteFile(P("f"), "still here"));
  ScopedFd fd(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(unlink(P("f").c_str()), SyscallSucceeds());
  EXPECT_FALSE(Exists(P("f")));
  char buf[32];
  EXPECT_THAT(read(fd.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(10));
  // Unlinking a symlink removes the link, not its target.
  ASSERT_TRUE(WriteFile(P("t"), ""));
  ASSERT_THAT(symlink("t", P("l").c_str()), SyscallSucceeds());
  ASSERT_THAT(unlink(P("l").c_str()), SyscallSucceeds());
  EXPECT_TRUE(Exists(P("t")));
}

TEST_F(DirTest, UnlinkErrors) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("f"), ""));
  // Linux gives EISDIR (POSIX says EPERM).
  EXPECT_THAT(unlink(P("d").c_str()), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(unlink(P("missing").c_str()), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(unlink(P("f/x").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(unlink(P("f/").c_str()), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(unlink(""), SyscallFailsWithErrno(ENOENT));
}

TEST_F(DirTest, UnlinkatRemovedir) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  EXPECT_THAT(unlinkat(dir.get(), "d", 0), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(unlinkat(dir.get(), "f", AT_REMOVEDIR), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(unlinkat(dir.get(), "f", 0x8000000), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(unlinkat(dir.get(), "d", AT_REMOVEDIR), SyscallSucceeds());
  EXPECT_THAT(unlinkat(dir.get(), "f", 0), SyscallSucceeds());
  EXPECT_FALSE(Exists(P("d")));
  EXPECT_FALSE(Exists(P("f")));
  EXPECT_THAT(unlinkat(dir.get(), "f", 0), SyscallFailsWithErrno(ENOENT));
}

// link(2), linkat(2)

TEST_F(DirTest, LinkCountsNames) {
  ASSERT_TRUE(WriteFile(P("a"), "data"));
  ASSERT_THAT(link(P("a").c_str(), P("b").c_str()), SyscallSucceeds());
  ASSERT_THAT(linkat(AT_FDCWD, P("b").c_str(), AT_FDCWD, P("c").c_str(), 0), SyscallSucceeds());
  EXPECT_EQ(NlinkOf(P("a")), 3u);
  EXPECT_EQ(InoOf(P("c")), InoOf(P("a")));
  EXPECT_EQ(ReadFile(P("c")), "data");
  ASSERT_THAT(unlink(P("a").c_str()), SyscallSucceeds());
  EXPECT_EQ(NlinkOf(P("b")), 2u);
  EXPECT_THAT(link(P("b").c_str(), P("c").c_str()), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(link(P("missing").c_str(), P("x").c_str()), SyscallFailsWithErrno(ENOENT));
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  EXPECT_THAT(link(P("d").c_str(), P("d2").c_str()), SyscallFailsWithErrno(EPERM));
  EXPECT_THAT(linkat(AT_FDCWD, P("b").c_str(), AT_FDCWD, P("e").c_str(), 0x8000000),
              SyscallFailsWithErrno(EINVAL));
}

TEST_F(DirTest, LinkatSymlinkFollow) {
  ASSERT_TRUE(WriteFile(P("target"), ""));
  ASSERT_THAT(symlink("target", P("sym").c_str()), SyscallSucceeds());
  // Without the flag, the new name is another link to the symlink itself.
  ASSERT_THAT(linkat(AT_FDCWD, P("sym").c_str(), AT_FDCWD, P("l1").c_str(), 0), SyscallSucceeds());
  EXPECT_EQ(InoOf(P("l1")), InoOf(P("sym")));
  EXPECT_EQ(NlinkOf(P("sym")), 2u);
  ASSERT_THAT(linkat(AT_FDCWD, P("sym").c_str(), AT_FDCWD, P("l2").c_str(), AT_SYMLINK_FOLLOW),
              SyscallSucceeds());
  EXPECT_EQ(InoOf(P("l2")), InoOf(P("target")));
  EXPECT_EQ(NlinkOf(P("target")), 2u);
}

// symlink(2), symlinkat(2), readlink(2), readlinkat(2)

TEST_F(DirTest, ReadlinkReturnsTheTargetWithoutNul) {
  ASSERT_THAT(symlink("some/target", P("l").c_str()), SyscallSucceeds());
  char buf[64];
  memset(buf, 'z', sizeof(buf));
  ASSERT_THAT(syscall(SYS_readlink, P("l").c_str(), buf, sizeof(buf)),
              SyscallSucceedsWithValue(11));
  EXPECT_EQ(std::string(buf, 11), "some/target");
  EXPECT_EQ(buf[11], 'z');
  // A short buffer gets the prefix, without a NUL.
  memset(buf, 'z', sizeof(buf));
  ASSERT_THAT(syscall(SYS_readlink, P("l").c_str(), buf, 4), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 5), "somez");
}

TEST_F(DirTest, ReadlinkErrors) {
  ASSERT_TRUE(WriteFile(P("f"), ""));
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  char buf[64];
  EXPECT_THAT(readlink(P("f").c_str(), buf, sizeof(buf)), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(readlink(dir_.path().c_str(), buf, sizeof(buf)), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(readlink(P("missing").c_str(), buf, sizeof(buf)), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(syscall(SYS_readlink, P("l").c_str(), buf, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_readlink, P("l").c_str(), nullptr, 64), SyscallFailsWithErrno(EFAULT));
}

TEST_F(DirTest, SymlinkatAndReadlinkat) {
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ScopedFd dir(open(P("d").c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  ASSERT_THAT(symlinkat("../elsewhere", dir.get(), "l"), SyscallSucceeds());
  char buf[64];
  ASSERT_THAT(readlinkat(dir.get(), "l", buf, sizeof(buf)), SyscallSucceedsWithValue(12));
  EXPECT_EQ(std::string(buf, 12), "../elsewhere");
  // With an empty path, readlinkat reads the symlink an O_PATH fd refers to.
  ScopedFd link(open(P("d/l").c_str(), O_PATH | O_NOFOLLOW));
  ASSERT_THAT(link.get(), SyscallSucceeds());
  ASSERT_THAT(readlinkat(link.get(), "", buf, sizeof(buf)), SyscallSucceedsWithValue(12));
  EXPECT_THAT(symlinkat("x", dir.get(), "l"), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(symlinkat("", dir.get(), "empty"), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(symlinkat("x", -1, "y"), SyscallFailsWithErrno(EBADF));
}

TEST_F(DirTest, SymlinkTargetsResolveFromTheLinksDirectory) {
  CwdRestorer restore;
  ASSERT_THAT(mkdir(P("d").c_str(), 0755), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(P("d/f"), "relative"));
  ASSERT_TRUE(WriteFile(P("f"), "wrong"));
  ASSERT_THAT(symlink("f", P("d/rel").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink(P("d/f").c_str(), P("abs").c_str()), SyscallSucceeds());
  // The cwd does not matter for a relative target.
  ASSERT_THAT(chdir(dir_.path().c_str()), SyscallSucceeds());
  EXPECT_EQ(ReadFile("d/rel"), "relative");
  EXPECT_EQ(ReadFile("abs"), "relative");
  // Symlinks inside a path are followed as directories.
  ASSERT_THAT(symlink("d", P("ld").c_str()), SyscallSucceeds());
  EXPECT_EQ(ReadFile("ld/rel"), "relative");
  // ".." after a symlink is relative to the target, not the link.
  ASSERT_THAT(mkdir(P("d/sub").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(symlink("d/sub", P("lsub").c_str()), SyscallSucceeds());
  EXPECT_EQ(ReadFile("lsub/../f"), "relative");
}

TEST_F(DirTest, SymlinkLoopsAndChainLimit) {
  ASSERT_THAT(symlink("loop2", P("loop1").c_str()), SyscallSucceeds());
  ASSERT_THAT(symlink("loop1", P("loop2").c_str()), SyscallSucceeds());
  struct stat st;
  EXPECT_THAT(stat(P("loop1").c_str(), &st), SyscallFailsWithErrno(ELOOP));
  EXPECT_THAT(lstat(P("loop1").c_str(), &st), SyscallSucceeds());
  EXPECT_THAT(chdir(P("loop1").c_str()), SyscallFailsWithErrno(ELOOP));
  // A chain of 40 symlinks is followed; one more is ELOOP.
  ASSERT_TRUE(WriteFile(P("end"), "end"));
  std::string prev = "end";
  for (int i = 1; i <= 41; ++i) {
    const std::string name = "chain" + std::to_string(i);
    ASSERT_THAT(symlink(prev.c_str(), P(name).c_str()), SyscallSucceeds());
    prev = name;
  }
  EXPECT_EQ(ReadFile(P("chain40")), "end");
  EXPECT_THAT(stat(P("chain41").c_str(), &st), SyscallFailsWithErrno(ELOOP));
}

TEST_F(DirTest, DanglingSymlinks) {
  ASSERT_THAT(symlink("target", P("dangling").c_str()), SyscallSucceeds());
  struct stat st;
  EXPECT_THAT(stat(P("dangling").c_str(), &st), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(open(P("dangling").c_str(), O_RDONLY), SyscallFailsWithErrno(ENOENT));
  // O_CREAT through a dangling symlink creates its target...
  {
    ScopedFd fd(open(P("dangling").c_str(), O_CREAT | O_WRONLY, 0644));
    ASSERT_THAT(fd.get(), SyscallSucceeds());
    ASSERT_THAT(write(fd.get(), "made", 4), SyscallSucceedsWithValue(4));
  }
  EXPECT_EQ(ReadFile(P("target")), "made");
  ASSERT_THAT(lstat(P("dangling").c_str(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  // ...but not with O_EXCL, and not when the target's directory is missing.
  ASSERT_THAT(symlink("target2", P("dangling2").c_str()), SyscallSucceeds());
  EXPECT_THAT(open(P("dangling2").c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644),
              SyscallFailsWithErrno(EEXIST));
  ASSERT_THAT(symlink("nodir/t", P("dangling3").c_str()), SyscallSucceeds());
  EXPECT_THAT(open(P("dangling3").c_str(), O_CREAT | O_WRONLY, 0644),
              SyscallFailsWithErrno(ENOENT));
  EXPECT_FALSE(Exists(P("target2")));
}

}  // namespace
}  // namespace test_util
