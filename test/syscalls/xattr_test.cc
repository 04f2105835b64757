// Extended attributes in the "user." namespace: setxattr(2), getxattr(2),
// lgetxattr(2), fgetxattr(2), listxattr(2), removexattr(2) and their l/f
// variants.
//
// Each test first probes with setxattr on a file in its own fresh directory
// under /tmp and skips if the file system does not support user xattrs; the
// directory is removed with its contents at the end.
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::Contains;
using ::testing::Not;

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

// A fresh directory /tmp/sk_xattr_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_xattr_XXXXXX";
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

// The names in a listxattr buffer of `len` bytes.
std::vector<std::string> SplitNames(const char* buf, ssize_t len) {
  std::vector<std::string> names;
  for (ssize_t pos = 0; pos < len;) {
    names.emplace_back(buf + pos);
    pos += names.back().size() + 1;
  }
  return names;
}

class XattrTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty()) << ErrnoName(errno);
    file_ = dir_.Path("f");
    const int fd = open(file_.c_str(), O_CREAT | O_RDWR, 0644);
    ASSERT_THAT(fd, SyscallSucceeds());
    close(fd);
    if (setxattr(file_.c_str(), "user.probe", "p", 1, 0) != 0) {
      if (errno == ENOTSUP || errno == EOPNOTSUPP) {
        GTEST_SKIP() << "no user xattrs on the file system of " << dir_.path();
      }
      FAIL() << "probe setxattr: " << ErrnoName(errno);
    }
    ASSERT_THAT(removexattr(file_.c_str(), "user.probe"), SyscallSucceeds());
  }
  const char* f() const { return file_.c_str(); }
  TempDir dir_;
  std::string file_;
};

TEST_F(XattrTest, SetThenGet) {
  ASSERT_THAT(setxattr(f(), "user.color", "blue", 4, 0), SyscallSucceeds());
  char buf[64];
  ASSERT_THAT(getxattr(f(), "user.color", buf, sizeof(buf)), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "blue");
  // Values are binary: NULs survive.
  ASSERT_THAT(setxattr(f(), "user.bin", "a\0b", 3, 0), SyscallSucceeds());
  ASSERT_THAT(getxattr(f(), "user.bin", buf, sizeof(buf)), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), std::string("a\0b", 3));
  // An empty value is allowed.
  ASSERT_THAT(setxattr(f(), "user.empty", "", 0, 0), SyscallSucceeds());
  EXPECT_THAT(getxattr(f(), "user.empty", buf, sizeof(buf)), SyscallSucceedsWithValue(0));
  // A new set replaces the value.
  ASSERT_THAT(setxattr(f(), "user.color", "red", 3, 0), SyscallSucceeds());
  ASSERT_THAT(getxattr(f(), "user.color", buf, sizeof(buf)), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "red");
}

TEST_F(XattrTest, SizeQueryAndErange) {
  ASSERT_THAT(setxattr(f(), "user.long", "0123456789", 10, 0), SyscallSucceeds());
  // Size 0 asks for the length.
  EXPECT_THAT(getxattr(f(), "user.long", nullptr, 0), SyscallSucceedsWithValue(10));
  char buf[16];
  memset(buf, 'z', sizeof(buf));
  EXPECT_THAT(getxattr(f(), "user.long", buf, 9), SyscallFailsWithErrno(ERANGE));
  EXPECT_EQ(buf[0], 'z');
  EXPECT_THAT(getxattr(f(), "user.long", buf, 10), SyscallSucceedsWithValue(10));
}

TEST_F(XattrTest, MissingNameIsEnodata) {
  char buf[16];
  EXPECT_THAT(getxattr(f(), "user.missing", buf, sizeof(buf)), SyscallFailsWithErrno(ENODATA));
  EXPECT_THAT(getxattr(f(), "user.missing", nullptr, 0), SyscallFailsWithErrno(ENODATA));
  EXPECT_THAT(removexattr(f(), "user.missing"), SyscallFailsWithErrno(ENODATA));
}

TEST_F(XattrTest, CreateAndReplaceFlags) {
  EXPECT_THAT(setxattr(f(), "user.k", "v1", 2, XATTR_REPLACE), SyscallFailsWithErrno(ENODATA));
  ASSERT_THAT(setxattr(f(), "user.k", "v1", 2, XATTR_CREATE), SyscallSucceeds());
  EXPECT_THAT(setxattr(f(), "user.k", "v2", 2, XATTR_CREATE), SyscallFailsWithErrno(EEXIST));
  ASSERT_THAT(setxattr(f(), "user.k", "v3", 2, XATTR_REPLACE), SyscallSucceeds());
  char buf[4];
  ASSERT_THAT(getxattr(f(), "user.k", buf, sizeof(buf)), SyscallSucceedsWithValue(2));
  EXPECT_EQ(std::string(buf, 2), "v3");
  EXPECT_THAT(setxattr(f(), "user.k", "v", 1, 4), SyscallFailsWithErrno(EINVAL));
}

TEST_F(XattrTest, ListAndRemove) {
  ASSERT_THAT(setxattr(f(), "user.a", "1", 1, 0), SyscallSucceeds());
  ASSERT_THAT(setxattr(f(), "user.bb", "2", 1, 0), SyscallSucceeds());
  // The needed size, then the names, each NUL-terminated. Other namespaces
  // (security.*) may be listed too.
  const ssize_t need = listxattr(f(), nullptr, 0);
  ASSERT_THAT(need, SyscallSucceedsWithValue(::testing::Ge(7 + 8)));
  std::vector<char> buf(need);
  ASSERT_THAT(listxattr(f(), buf.data(), buf.size()), SyscallSucceedsWithValue(need));
  EXPECT_EQ(buf.back(), '\0');
  auto names = SplitNames(buf.data(), need);
  EXPECT_THAT(names, Contains("user.a"));
  EXPECT_THAT(names, Contains("user.bb"));
  EXPECT_THAT(listxattr(f(), buf.data(), need - 1), SyscallFailsWithErrno(ERANGE));
  ASSERT_THAT(removexattr(f(), "user.a"), SyscallSucceeds());
  const ssize_t after = listxattr(f(), buf.data(), buf.size());
  ASSERT_THAT(after, SyscallSucceedsWithValue(need - 7));
  names = SplitNames(buf.data(), after);
  EXPECT_THAT(names, Not(Contains("user.a")));
  EXPECT_THAT(names, Contains("user.bb"));
}

TEST_F(XattrTest, FdVariants) {
  ScopedFd fd(open(f(), O_RDONLY));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  // A read-only fd can still set xattrs: permission is on the inode.
  ASSERT_THAT(fsetxattr(fd.get(), "user.fd", "val", 3, 0), SyscallSucceeds());
  char buf[16];
  ASSERT_THAT(fgetxattr(fd.get(), "user.fd", buf, sizeof(buf)), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "val");
  ASSERT_THAT(getxattr(f(), "user.fd", buf, sizeof(buf)), SyscallSucceedsWithValue(3));
  const ssize_t n = flistxattr(fd.get(), buf, sizeof(buf));
  ASSERT_THAT(n, SyscallSucceeds());
  EXPECT_THAT(SplitNames(buf, n), Contains("user.fd"));
  ASSERT_THAT(fremovexattr(fd.get(), "user.fd"), SyscallSucceeds());
  EXPECT_THAT(fgetxattr(fd.get(), "user.fd", buf, sizeof(buf)), SyscallFailsWithErrno(ENODATA));
  EXPECT_THAT(fgetxattr(-1, "user.fd", buf, sizeof(buf)), SyscallFailsWithErrno(EBADF));
  // O_PATH fds cannot be used.
  ScopedFd path(open(f(), O_PATH));
  EXPECT_THAT(fgetxattr(path.get(), "user.fd", buf, sizeof(buf)), SyscallFailsWithErrno(EBADF));
}

TEST_F(XattrTest, SymlinksAreFollowedUnlessL) {
  const std::string link = dir_.Path("l");
  ASSERT_THAT(symlink("f", link.c_str()), SyscallSucceeds());
  ASSERT_THAT(setxattr(link.c_str(), "user.via", "link", 4, 0), SyscallSucceeds());
  char buf[16];
  ASSERT_THAT(getxattr(f(), "user.via", buf, sizeof(buf)), SyscallSucceedsWithValue(4));
  ASSERT_THAT(lgetxattr(f(), "user.via", buf, sizeof(buf)), SyscallSucceedsWithValue(4));
  // User xattrs are only for regular files and directories: on the symlink
  // itself a read finds nothing and a write is refused.
  EXPECT_THAT(lgetxattr(link.c_str(), "user.via", buf, sizeof(buf)),
              SyscallFailsWithErrno(ENODATA));
  EXPECT_THAT(lsetxattr(link.c_str(), "user.x", "1", 1, 0), SyscallFailsWithErrno(EPERM));
  const ssize_t n = llistxattr(link.c_str(), buf, sizeof(buf));
  ASSERT_THAT(n, SyscallSucceeds());
  EXPECT_THAT(SplitNames(buf, n), Not(Contains("user.via")));
}

TEST_F(XattrTest, Directories) {
  ASSERT_THAT(setxattr(dir_.path().c_str(), "user.dir", "d", 1, 0), SyscallSucceeds());
  char buf[4];
  EXPECT_THAT(getxattr(dir_.path().c_str(), "user.dir", buf, sizeof(buf)),
              SyscallSucceedsWithValue(1));
}

TEST_F(XattrTest, NameAndValueLimits) {
  // A name without a known namespace prefix.
  EXPECT_THAT(setxattr(f(), "nonamespace", "v", 1, 0), SyscallFailsWithErrno(EOPNOTSUPP));
  EXPECT_THAT(setxattr(f(), "", "v", 1, 0), SyscallFailsWithErrno(ERANGE));
  // Names are at most 255 bytes.
  const std::string longest = "user." + std::string(250, 'n');
  EXPECT_THAT(setxattr(f(), longest.c_str(), "v", 1, 0), SyscallSucceeds());
  const std::string too_long = longest + "n";
  EXPECT_THAT(setxattr(f(), too_long.c_str(), "v", 1, 0), SyscallFailsWithErrno(ERANGE));
  char buf[4];
  EXPECT_THAT(getxattr(f(), too_long.c_str(), buf, sizeof(buf)), SyscallFailsWithErrno(ERANGE));
  // Values are at most 64 KiB.
  std::vector<char> big(65537, 'v');
  EXPECT_THAT(setxattr(f(), "user.big", big.data(), big.size(), 0), SyscallFailsWithErrno(E2BIG));
  EXPECT_THAT(syscall(SYS_setxattr, f(), "user.x", nullptr, 1, 0), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(getxattr(dir_.Path("missing").c_str(), "user.x", buf, sizeof(buf)),
              SyscallFailsWithErrno(ENOENT));
}

}  // namespace
}  // namespace test_util
