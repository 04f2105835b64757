// I/O on regular files and their metadata: read(2)/write(2) and the
// positional and vectored variants, lseek(2), truncate(2), fallocate(2), the
// sync calls, sendfile(2), copy_file_range(2), chmod(2)/chown(2)/utimensat(2)
// and friends, statfs(2), mknod(2) of a FIFO, memfd_create(2), flock(2), fcntl
// record locks and status flags, and ioctl(2) on a regular file.
//
// Legacy calls (chown, lchown, utime, utimes, futimesat, mknod, fchmodat) are
// made as raw syscalls so that glibc cannot substitute a newer one. Every test
// works in its own fresh directory under /tmp, removed at the end.
#include <fcntl.h>
#include <ftw.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>
#include <utime.h>

#include <cerrno>
#include <cstdint>
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

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

// A fresh directory /tmp/sk_file_io_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_file_io_XXXXXX";
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

std::string PreadAll(int fd, size_t len, off_t off = 0) {
  std::string s(len, '\0');
  const ssize_t n = pread(fd, s.data(), len, off);
  s.resize(n < 0 ? 0 : n);
  return s;
}

struct stat StatOf(const std::string& path) {
  struct stat st = {};
  lstat(path.c_str(), &st);
  return st;
}

struct stat FstatOf(int fd) {
  struct stat st = {};
  fstat(fd, &st);
  return st;
}

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()) << ErrnoName(errno); }
  std::string P(const std::string& name) const { return dir_.Path(name); }
  // Creates (or truncates) P(name) with `data` and opens it O_RDWR.
  int Make(const std::string& name, const std::string& data = "") {
    const int fd = open(P(name).c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || pwrite(fd, data.data(), data.size(), 0) == static_cast<ssize_t>(data.size())) {
      return fd;
    }
    close(fd);
    return -1;
  }
  TempDir dir_;
};

// read(2), write(2), pread64(2), pwrite64(2)

TEST_F(FileIoTest, ReadWriteMoveTheOffset) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(write(fd.get(), "hello ", 6), SyscallSucceedsWithValue(6));
  ASSERT_THAT(write(fd.get(), "world", 5), SyscallSucceedsWithValue(5));
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(11));
  char buf[32];
  EXPECT_THAT(read(fd.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(0));
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(read(fd.get(), buf, 5), SyscallSucceedsWithValue(5));
  ASSERT_THAT(read(fd.get(), buf + 5, sizeof(buf) - 5), SyscallSucceedsWithValue(6));
  EXPECT_EQ(std::string(buf, 11), "hello world");
  EXPECT_THAT(write(fd.get(), buf, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(read(fd.get(), nullptr, 0), SyscallSucceedsWithValue(0));
  // At EOF a bad buffer is never touched; before it, it is EFAULT.
  EXPECT_THAT(syscall(SYS_read, fd.get(), nullptr, 1), SyscallSucceedsWithValue(0));
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_read, fd.get(), nullptr, 1), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_write, fd.get(), nullptr, 1), SyscallFailsWithErrno(EFAULT));
}

TEST_F(FileIoTest, PreadPwriteKeepTheOffset) {
  ScopedFd fd(Make("f", "0123456789"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(lseek(fd.get(), 2, SEEK_SET), SyscallSucceeds());
  char buf[4];
  ASSERT_THAT(pread(fd.get(), buf, 4, 5), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "5678");
  ASSERT_THAT(pwrite(fd.get(), "AB", 2, 8), SyscallSucceedsWithValue(2));
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(2));
  EXPECT_THAT(pread(fd.get(), buf, 4, 100), SyscallSucceedsWithValue(0));
  EXPECT_EQ(PreadAll(fd.get(), 10), "01234567AB");
  EXPECT_THAT(pread(fd.get(), buf, 1, -1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(pwrite(fd.get(), buf, 1, -1), SyscallFailsWithErrno(EINVAL));
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  EXPECT_THAT(pread(fds[0], buf, 1, 0), SyscallFailsWithErrno(ESPIPE));
  EXPECT_THAT(pwrite(fds[1], buf, 1, 0), SyscallFailsWithErrno(ESPIPE));
  close(fds[0]);
  close(fds[1]);
}

// readv(2), writev(2), preadv(2), pwritev(2), preadv2(2), pwritev2(2)

TEST_F(FileIoTest, VectoredIo) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  char a[] = "abc", b[] = "", c[] = "defg";
  iovec out[3] = {{a, 3}, {b, 0}, {c, 4}};
  ASSERT_THAT(writev(fd.get(), out, 3), SyscallSucceedsWithValue(7));
  ASSERT_THAT(pwritev(fd.get(), out, 1, 10), SyscallSucceedsWithValue(3));
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(7));
  EXPECT_EQ(PreadAll(fd.get(), 20), std::string("abcdefg\0\0\0abc", 13));
  char x[2], y[5];
  iovec in[2] = {{x, 2}, {y, 5}};
  ASSERT_THAT(preadv(fd.get(), in, 2, 1), SyscallSucceedsWithValue(7));
  EXPECT_EQ(std::string(x, 2) + std::string(y, 5), std::string("bcdefg\0", 7));
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(readv(fd.get(), in, 2), SyscallSucceedsWithValue(7));
  EXPECT_EQ(std::string(x, 2) + std::string(y, 5), "abcdefg");
  EXPECT_THAT(readv(fd.get(), in, 0), SyscallSucceedsWithValue(0));
  // More than IOV_MAX (1024) iovecs, or a negative count.
  EXPECT_THAT(syscall(SYS_readv, fd.get(), in, 1025), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_writev, fd.get(), out, -1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(preadv(fd.get(), in, 2, -1), SyscallFailsWithErrno(EINVAL));
}

TEST_F(FileIoTest, Preadv2AndPwritev2) {
  ScopedFd fd(Make("f", "0123456789"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  char buf[3];
  iovec iov = {buf, 3};
  // Offset -1 means the file offset, which then advances.
  ASSERT_THAT(preadv2(fd.get(), &iov, 1, -1, 0), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "012");
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(3));
  ASSERT_THAT(preadv2(fd.get(), &iov, 1, 6, 0), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "678");
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(3));
  char w[] = "XY";
  iovec wiov = {w, 2};
  ASSERT_THAT(pwritev2(fd.get(), &wiov, 1, -1, 0), SyscallSucceedsWithValue(2));
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(5));
  ASSERT_THAT(pwritev2(fd.get(), &wiov, 1, 0, RWF_DSYNC), SyscallSucceedsWithValue(2));
  EXPECT_EQ(PreadAll(fd.get(), 10), "XY2XY56789");
  EXPECT_THAT(preadv2(fd.get(), &iov, 1, 0, 0x80000000), SyscallFailsWithErrno(EOPNOTSUPP));
}

// lseek(2)

TEST_F(FileIoTest, Lseek) {
  ScopedFd fd(Make("f", "0123456789"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(lseek(fd.get(), 4, SEEK_SET), SyscallSucceedsWithValue(4));
  EXPECT_THAT(lseek(fd.get(), 2, SEEK_CUR), SyscallSucceedsWithValue(6));
  EXPECT_THAT(lseek(fd.get(), -1, SEEK_CUR), SyscallSucceedsWithValue(5));
  EXPECT_THAT(lseek(fd.get(), -3, SEEK_END), SyscallSucceedsWithValue(7));
  EXPECT_THAT(lseek(fd.get(), 5, SEEK_END), SyscallSucceedsWithValue(15));
  EXPECT_THAT(lseek(fd.get(), -1, SEEK_SET), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(lseek(fd.get(), -100, SEEK_CUR), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(lseek(fd.get(), -11, SEEK_END), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(lseek(fd.get(), 0, 42), SyscallFailsWithErrno(EINVAL));
  // A failed seek leaves the offset alone.
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(15));
  // Writing past the end leaves a hole that reads as zeros.
  ASSERT_THAT(write(fd.get(), "E", 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(PreadAll(fd.get(), 32), std::string("0123456789\0\0\0\0\0E", 16));
}

TEST_F(FileIoTest, LseekDataAndHole) {
  ScopedFd fd(Make("f", std::string(8192, 'd')));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_DATA), SyscallSucceedsWithValue(0));
  EXPECT_THAT(lseek(fd.get(), 100, SEEK_DATA), SyscallSucceedsWithValue(100));
  // There is always a hole at the end of the file.
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_HOLE), SyscallSucceedsWithValue(8192));
  EXPECT_THAT(lseek(fd.get(), 8192, SEEK_DATA), SyscallFailsWithErrno(ENXIO));
  EXPECT_THAT(lseek(fd.get(), 8192, SEEK_HOLE), SyscallFailsWithErrno(ENXIO));
  EXPECT_THAT(lseek(fd.get(), -1, SEEK_DATA), SyscallFailsWithErrno(ENXIO));
}

// truncate(2), ftruncate(2), fallocate(2)

TEST_F(FileIoTest, TruncateGrowsWithZerosAndShrinks) {
  ScopedFd fd(Make("f", "abcdef"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(ftruncate(fd.get(), 3), SyscallSucceeds());
  EXPECT_EQ(PreadAll(fd.get(), 16), "abc");
  ASSERT_THAT(truncate(P("f").c_str(), 6), SyscallSucceeds());
  EXPECT_EQ(PreadAll(fd.get(), 16), std::string("abc\0\0\0", 6));
  EXPECT_EQ(FstatOf(fd.get()).st_size, 6);
  // The offset is not changed.
  ASSERT_THAT(lseek(fd.get(), 5, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(ftruncate(fd.get(), 0), SyscallSucceeds());
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(5));
}

TEST_F(FileIoTest, TruncateErrors) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ScopedFd ro(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(ro.get(), SyscallSucceeds());
  EXPECT_THAT(ftruncate(fd.get(), -1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(truncate(P("f").c_str(), -1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(ftruncate(ro.get(), 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(truncate(dir_.path().c_str(), 0), SyscallFailsWithErrno(EISDIR));
  EXPECT_THAT(truncate(P("missing").c_str(), 0), SyscallFailsWithErrno(ENOENT));
}

TEST_F(FileIoTest, FallocateExtendsWithZeros) {
  ScopedFd fd(Make("f", "xy"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(fallocate(fd.get(), 0, 0, 10000), SyscallSucceeds());
  EXPECT_EQ(FstatOf(fd.get()).st_size, 10000);
  EXPECT_EQ(PreadAll(fd.get(), 4), std::string("xy\0\0", 4));
  // Inside the file it changes nothing.
  ASSERT_THAT(fallocate(fd.get(), 0, 0, 10), SyscallSucceeds());
  EXPECT_EQ(FstatOf(fd.get()).st_size, 10000);
  EXPECT_THAT(fallocate(fd.get(), 0, 0, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(fallocate(fd.get(), 0, -1, 10), SyscallFailsWithErrno(EINVAL));
  ScopedFd ro(open(P("f").c_str(), O_RDONLY));
  EXPECT_THAT(fallocate(ro.get(), 0, 0, 20000), SyscallFailsWithErrno(EBADF));
}

// fsync(2), fdatasync(2), sync(2), syncfs(2)

TEST_F(FileIoTest, SyncCalls) {
  ScopedFd fd(Make("f", "data"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(fsync(fd.get()), SyscallSucceeds());
  EXPECT_THAT(fdatasync(fd.get()), SyscallSucceeds());
  EXPECT_THAT(syncfs(fd.get()), SyscallSucceeds());
  sync();
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  EXPECT_THAT(fsync(dir.get()), SyscallSucceeds());
  EXPECT_THAT(fsync(-1), SyscallFailsWithErrno(EBADF));
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  EXPECT_THAT(fsync(fds[0]), SyscallFailsWithErrno(EINVAL));
  close(fds[0]);
  close(fds[1]);
}

// sendfile(2), copy_file_range(2)

TEST_F(FileIoTest, SendfileFileToFile) {
  ScopedFd in(Make("in", "0123456789"));
  ScopedFd out(Make("out"));
  ASSERT_THAT(in.get(), SyscallSucceeds());
  ASSERT_THAT(out.get(), SyscallSucceeds());
  // With an offset pointer: the pointer advances, the file offset does not.
  off_t off = 2;
  ASSERT_THAT(sendfile(out.get(), in.get(), &off, 5), SyscallSucceedsWithValue(5));
  EXPECT_EQ(off, 7);
  EXPECT_THAT(lseek(in.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(0));
  // Without one, the input's file offset is used and advanced.
  ASSERT_THAT(lseek(in.get(), 8, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(sendfile(out.get(), in.get(), nullptr, 100), SyscallSucceedsWithValue(2));
  EXPECT_THAT(lseek(in.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(10));
  EXPECT_THAT(sendfile(out.get(), in.get(), nullptr, 100), SyscallSucceedsWithValue(0));
  EXPECT_EQ(PreadAll(out.get(), 16), "2345689");
  ScopedFd ro(open(P("in").c_str(), O_RDONLY));
  EXPECT_THAT(sendfile(ro.get(), in.get(), nullptr, 1), SyscallFailsWithErrno(EBADF));
}

TEST_F(FileIoTest, SendfileFileToPipe) {
  ScopedFd in(Make("in", "piped data"));
  ASSERT_THAT(in.get(), SyscallSucceeds());
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  ScopedFd r(fds[0]), w(fds[1]);
  ASSERT_THAT(sendfile(w.get(), in.get(), nullptr, 64), SyscallSucceedsWithValue(10));
  char buf[16];
  ASSERT_THAT(read(r.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(10));
  EXPECT_EQ(std::string(buf, 10), "piped data");
}

TEST_F(FileIoTest, CopyFileRange) {
  ScopedFd in(Make("in", "0123456789"));
  ScopedFd out(Make("out", "abcdefghij"));
  ASSERT_THAT(in.get(), SyscallSucceeds());
  ASSERT_THAT(out.get(), SyscallSucceeds());
  loff_t in_off = 3, out_off = 5;
  ASSERT_THAT(copy_file_range(in.get(), &in_off, out.get(), &out_off, 4, 0),
              SyscallSucceedsWithValue(4));
  EXPECT_EQ(in_off, 7);
  EXPECT_EQ(out_off, 9);
  EXPECT_EQ(PreadAll(out.get(), 16), "abcde3456j");
  // With null offsets, the file offsets are used and advanced.
  ASSERT_THAT(lseek(in.get(), 8, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(copy_file_range(in.get(), nullptr, out.get(), nullptr, 10, 0),
              SyscallSucceedsWithValue(2));
  EXPECT_THAT(lseek(in.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(10));
  EXPECT_THAT(lseek(out.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(2));
  EXPECT_EQ(PreadAll(out.get(), 16), "89cde3456j");
  // Overlapping ranges of one file, and flags, are EINVAL.
  in_off = 0;
  out_off = 2;
  EXPECT_THAT(copy_file_range(in.get(), &in_off, in.get(), &out_off, 4, 0),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(copy_file_range(in.get(), nullptr, out.get(), nullptr, 1, 1),
              SyscallFailsWithErrno(EINVAL));
}

uint64_t Fnv1a(const uint8_t* p, size_t len) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

TEST_F(FileIoTest, FourMebibyteRoundTrip) {
  constexpr size_t kSize = 4 << 20;
  std::vector<uint8_t> data(kSize), back(kSize);
  uint32_t x = 12345;
  for (auto& b : data) b = static_cast<uint8_t>((x = x * 1103515245u + 12345u) >> 16);
  ScopedFd fd(Make("big"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  // A regular file takes a whole write at once.
  ASSERT_THAT(write(fd.get(), data.data(), kSize), SyscallSucceedsWithValue(kSize));
  EXPECT_EQ(FstatOf(fd.get()).st_size, static_cast<off_t>(kSize));
  ScopedFd rd(open(P("big").c_str(), O_RDONLY));
  ASSERT_THAT(rd.get(), SyscallSucceeds());
  size_t got = 0;
  for (ssize_t n; got < kSize && (n = read(rd.get(), back.data() + got, 65536 + 7)) > 0;) got += n;
  ASSERT_EQ(got, kSize);
  EXPECT_EQ(Fnv1a(back.data(), kSize), Fnv1a(data.data(), kSize));
}

// chmod(2), fchmod(2), fchmodat(2)

TEST_F(FileIoTest, ChmodFamily) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(syscall(SYS_chmod, P("f").c_str(), 0600), SyscallSucceeds());
  EXPECT_EQ(StatOf(P("f")).st_mode, S_IFREG | 0600);
  ASSERT_THAT(fchmod(fd.get(), 04751), SyscallSucceeds());
  EXPECT_EQ(StatOf(P("f")).st_mode, S_IFREG | 04751);
  // File type bits in the mode are ignored.
  ASSERT_THAT(fchmod(fd.get(), S_IFDIR | 0644), SyscallSucceeds());
  EXPECT_EQ(StatOf(P("f")).st_mode, S_IFREG | 0644);
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(syscall(SYS_fchmodat, dir.get(), "f", 0444), SyscallSucceeds());
  EXPECT_EQ(StatOf(P("f")).st_mode, S_IFREG | 0444);
  // chmod follows symlinks.
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  ASSERT_THAT(syscall(SYS_chmod, P("l").c_str(), 0640), SyscallSucceeds());
  EXPECT_EQ(StatOf(P("f")).st_mode, S_IFREG | 0640);
  EXPECT_THAT(syscall(SYS_chmod, P("missing").c_str(), 0640), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(fchmod(-1, 0640), SyscallFailsWithErrno(EBADF));
  ScopedFd path(open(P("f").c_str(), O_PATH));
  EXPECT_THAT(fchmod(path.get(), 0640), SyscallFailsWithErrno(EBADF));
}

// chown(2), fchown(2), lchown(2), fchownat(2)

TEST_F(FileIoTest, ChownFamilyToTheCurrentIds) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  EXPECT_THAT(syscall(SYS_chown, P("f").c_str(), uid, gid), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_chown, P("f").c_str(), -1, -1), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_fchown, fd.get(), uid, -1), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_fchown, fd.get(), -1, gid), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_lchown, P("l").c_str(), uid, gid), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_fchownat, AT_FDCWD, P("l").c_str(), uid, gid, AT_SYMLINK_NOFOLLOW),
              SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_fchownat, fd.get(), "", -1, -1, AT_EMPTY_PATH), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_fchownat, AT_FDCWD, P("f").c_str(), uid, gid, 0x8000000),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_chown, P("missing").c_str(), uid, gid), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(syscall(SYS_fchown, -1, uid, gid), SyscallFailsWithErrno(EBADF));
  const struct stat st = StatOf(P("f"));
  EXPECT_EQ(st.st_uid, uid);
  EXPECT_EQ(st.st_gid, gid);
}

TEST_F(FileIoTest, ChownClearsSetuid) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(fchmod(fd.get(), 06755), SyscallSucceeds());
  // Even a no-op chown of a regular file drops set-user-ID, and set-group-ID
  // when group-executable.
  ASSERT_THAT(syscall(SYS_fchown, fd.get(), -1, -1), SyscallSucceeds());
  EXPECT_EQ(FstatOf(fd.get()).st_mode, S_IFREG | 0755);
}

// utime(2), utimes(2), utimensat(2), futimesat(2)

// "atime-sec.nsec mtime-sec.nsec" of a path, for comparisons.
std::string Times(const std::string& path) {
  const struct stat st = StatOf(path);
  return std::to_string(st.st_atim.tv_sec) + "." + std::to_string(st.st_atim.tv_nsec) + " " +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

TEST_F(FileIoTest, ExplicitTimesReadBack) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  const utimbuf ub = {1000000000, 1100000000};
  ASSERT_THAT(syscall(SYS_utime, P("f").c_str(), &ub), SyscallSucceeds());
  EXPECT_EQ(Times(P("f")), "1000000000.0 1100000000.0");
  const timeval tv[2] = {{1200000000, 5}, {1300000000, 7}};
  ASSERT_THAT(syscall(SYS_utimes, P("f").c_str(), tv), SyscallSucceeds());
  EXPECT_EQ(Times(P("f")), "1200000000.5000 1300000000.7000");
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  const timeval tv2[2] = {{1400000000, 0}, {1500000000, 0}};
  ASSERT_THAT(syscall(SYS_futimesat, dir.get(), "f", tv2), SyscallSucceeds());
  EXPECT_EQ(Times(P("f")), "1400000000.0 1500000000.0");
  const timespec ts[2] = {{1600000000, 123456789}, {1700000000, 987654321}};
  ASSERT_THAT(utimensat(dir.get(), "f", ts, 0), SyscallSucceeds());
  EXPECT_EQ(Times(P("f")), "1600000000.123456789 1700000000.987654321");
  // Times before 1970 are allowed.
  const timespec neg[2] = {{-1000, 0}, {-2000, 0}};
  ASSERT_THAT(futimens(fd.get(), neg), SyscallSucceeds());
  EXPECT_EQ(Times(P("f")), "-1000.0 -2000.0");
}

TEST_F(FileIoTest, UtimensatNowAndOmit) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  const timespec old[2] = {{946684800, 0}, {946684800, 0}};
  ASSERT_THAT(utimensat(AT_FDCWD, P("f").c_str(), old, 0), SyscallSucceeds());
  const timespec now_omit[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};
  ASSERT_THAT(utimensat(AT_FDCWD, P("f").c_str(), now_omit, 0), SyscallSucceeds());
  struct stat st = StatOf(P("f"));
  EXPECT_GT(st.st_atim.tv_sec, 946684800);
  EXPECT_EQ(st.st_mtim.tv_sec, 946684800);
  // A null times array means both now.
  ASSERT_THAT(utimensat(AT_FDCWD, P("f").c_str(), nullptr, 0), SyscallSucceeds());
  st = StatOf(P("f"));
  EXPECT_GT(st.st_mtim.tv_sec, 946684800);
  // Both UTIME_OMIT: nothing changes.
  const timespec omit[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
  const struct stat before = StatOf(P("f"));
  ASSERT_THAT(utimensat(AT_FDCWD, P("f").c_str(), omit, 0), SyscallSucceeds());
  st = StatOf(P("f"));
  EXPECT_EQ(st.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(st.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  // A null path with a dirfd: the fd itself (a Linux extension).
  ASSERT_THAT(syscall(SYS_utimensat, fd.get(), nullptr, old, 0), SyscallSucceeds());
  EXPECT_EQ(FstatOf(fd.get()).st_mtim.tv_sec, 946684800);
  const timespec bad[2] = {{0, 1000000000}, {0, 0}};
  EXPECT_THAT(utimensat(AT_FDCWD, P("f").c_str(), bad, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(utimensat(AT_FDCWD, P("f").c_str(), old, 0x8000000), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(utimensat(AT_FDCWD, P("missing").c_str(), old, 0), SyscallFailsWithErrno(ENOENT));
}

TEST_F(FileIoTest, UtimensatNofollowChangesTheLink) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(symlink("f", P("l").c_str()), SyscallSucceeds());
  const timespec t1[2] = {{1000000000, 0}, {1000000000, 0}};
  const timespec t2[2] = {{1200000000, 0}, {1200000000, 0}};
  ASSERT_THAT(utimensat(AT_FDCWD, P("l").c_str(), t1, 0), SyscallSucceeds());
  ASSERT_THAT(utimensat(AT_FDCWD, P("l").c_str(), t2, AT_SYMLINK_NOFOLLOW), SyscallSucceeds());
  EXPECT_EQ(StatOf(P("f")).st_mtime, 1000000000);
  EXPECT_EQ(StatOf(P("l")).st_mtime, 1200000000);
}

// statfs(2), fstatfs(2)

TEST_F(FileIoTest, Statfs) {
  ScopedFd fd(Make("f"));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  struct statfs a, b;
  ASSERT_THAT(statfs(dir_.path().c_str(), &a), SyscallSucceeds());
  ASSERT_THAT(fstatfs(fd.get(), &b), SyscallSucceeds());
  EXPECT_NE(a.f_type, 0);
  EXPECT_GT(a.f_bsize, 0);
  EXPECT_EQ(a.f_type, b.f_type);
  EXPECT_EQ(a.f_bsize, b.f_bsize);
  EXPECT_GT(a.f_namelen, 0);
  EXPECT_LE(a.f_bfree, a.f_blocks);
  EXPECT_LE(a.f_bavail, a.f_bfree);
  EXPECT_THAT(statfs(P("missing").c_str(), &a), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(fstatfs(-1, &a), SyscallFailsWithErrno(EBADF));
}

// mknod(2), mknodat(2)

TEST_F(FileIoTest, MknodFifoCarriesData) {
  ASSERT_THAT(syscall(SYS_mknod, P("fifo").c_str(), S_IFIFO | 0600, 0), SyscallSucceeds());
  EXPECT_TRUE(S_ISFIFO(StatOf(P("fifo")).st_mode));
  // O_RDWR on a FIFO does not wait for a peer (Linux).
  ScopedFd fd(open(P("fifo").c_str(), O_RDWR));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(write(fd.get(), "through", 7), SyscallSucceedsWithValue(7));
  char buf[16];
  ASSERT_THAT(read(fd.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(7));
  EXPECT_EQ(std::string(buf, 7), "through");
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallFailsWithErrno(ESPIPE));
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(mknodat(dir.get(), "fifo2", S_IFIFO | 0644, 0), SyscallSucceeds());
  EXPECT_TRUE(S_ISFIFO(StatOf(P("fifo2")).st_mode));
  EXPECT_THAT(mknodat(dir.get(), "fifo2", S_IFIFO | 0644, 0), SyscallFailsWithErrno(EEXIST));
  // A zero type means a regular file.
  ASSERT_THAT(syscall(SYS_mknod, P("reg").c_str(), 0644, 0), SyscallSucceeds());
  EXPECT_TRUE(S_ISREG(StatOf(P("reg")).st_mode));
  // A directory is EPERM (use mkdir), an unknown type EINVAL.
  EXPECT_THAT(syscall(SYS_mknod, P("dir").c_str(), S_IFDIR | 0755, 0),
              SyscallFailsWithErrno(EPERM));
  EXPECT_THAT(syscall(SYS_mknod, P("bad").c_str(), S_IFMT | 0755, 0),
              SyscallFailsWithErrno(EINVAL));
}

// memfd_create(2)

TEST_F(FileIoTest, MemfdCreate) {
  ScopedFd fd(memfd_create("sk_memfd", MFD_CLOEXEC));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(fd.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  EXPECT_EQ(fcntl(fd.get(), F_GETFL) & O_ACCMODE, O_RDWR);
  EXPECT_TRUE(S_ISREG(FstatOf(fd.get()).st_mode));
  ASSERT_THAT(write(fd.get(), "memory", 6), SyscallSucceedsWithValue(6));
  EXPECT_EQ(PreadAll(fd.get(), 16), "memory");
  ASSERT_THAT(ftruncate(fd.get(), 4096), SyscallSucceeds());
  EXPECT_EQ(FstatOf(fd.get()).st_size, 4096);
  EXPECT_EQ(FstatOf(fd.get()).st_nlink, 0u);
  ScopedFd plain(memfd_create("sk_memfd2", 0));
  ASSERT_THAT(plain.get(), SyscallSucceeds());
  EXPECT_THAT(fcntl(plain.get(), F_GETFD), SyscallSucceedsWithValue(0));
  EXPECT_THAT(memfd_create("x", 0x1000), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(memfd_create(std::string(250, 'n').c_str(), 0), SyscallFailsWithErrno(EINVAL));
}

// flock(2)

TEST_F(FileIoTest, FlockConflictsBetweenOpenFileDescriptions) {
  ScopedFd a(Make("f"));
  ScopedFd b(open(P("f").c_str(), O_RDONLY));
  ASSERT_THAT(a.get(), SyscallSucceeds());
  ASSERT_THAT(b.get(), SyscallSucceeds());
  ASSERT_THAT(flock(a.get(), LOCK_SH), SyscallSucceeds());
  EXPECT_THAT(flock(b.get(), LOCK_SH | LOCK_NB), SyscallSucceeds());
  EXPECT_THAT(flock(b.get(), LOCK_EX | LOCK_NB), SyscallFailsWithErrno(EWOULDBLOCK));
  ASSERT_THAT(flock(b.get(), LOCK_UN), SyscallSucceeds());
  // a upgrades to exclusive; b cannot get any lock.
  ASSERT_THAT(flock(a.get(), LOCK_EX | LOCK_NB), SyscallSucceeds());
  EXPECT_THAT(flock(b.get(), LOCK_SH | LOCK_NB), SyscallFailsWithErrno(EWOULDBLOCK));
  // A duplicate shares a's lock rather than conflicting with it.
  ScopedFd a2(dup(a.get()));
  EXPECT_THAT(flock(a2.get(), LOCK_EX | LOCK_NB), SyscallSucceeds());
  ASSERT_THAT(flock(a2.get(), LOCK_UN), SyscallSucceeds());
  EXPECT_THAT(flock(b.get(), LOCK_EX | LOCK_NB), SyscallSucceeds());
  EXPECT_THAT(flock(a.get(), 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(flock(-1, LOCK_SH), SyscallFailsWithErrno(EBADF));
  // Closing the last fd of a description releases its lock.
  {
    ScopedFd c(open(P("f").c_str(), O_RDONLY));
    ASSERT_THAT(flock(b.get(), LOCK_UN), SyscallSucceeds());
    ASSERT_THAT(flock(c.get(), LOCK_EX | LOCK_NB), SyscallSucceeds());
    EXPECT_THAT(flock(b.get(), LOCK_EX | LOCK_NB), SyscallFailsWithErrno(EWOULDBLOCK));
  }
  EXPECT_THAT(flock(b.get(), LOCK_EX | LOCK_NB), SyscallSucceeds());
}

// fcntl(2) record locks

TEST_F(FileIoTest, ProcessLocksDoNotConflictWithinTheProcess) {
  ScopedFd a(Make("f", "0123456789"));
  ScopedFd b(open(P("f").c_str(), O_RDWR));
  struct flock fl = {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 10;
  ASSERT_THAT(fcntl(a.get(), F_SETLK, &fl), SyscallSucceeds());
  // The same process owns it, whichever fd asks.
  EXPECT_THAT(fcntl(b.get(), F_SETLK, &fl), SyscallSucceeds());
  fl.l_pid = 12345;
  ASSERT_THAT(fcntl(b.get(), F_GETLK, &fl), SyscallSucceeds());
  EXPECT_EQ(fl.l_type, F_UNLCK);
  fl.l_type = F_UNLCK;
  EXPECT_THAT(fcntl(a.get(), F_SETLK, &fl), SyscallSucceeds());
  // A write lock needs a writable fd; a read lock a readable one.
  ScopedFd ro(open(P("f").c_str(), O_RDONLY));
  fl.l_type = F_WRLCK;
  EXPECT_THAT(fcntl(ro.get(), F_SETLK, &fl), SyscallFailsWithErrno(EBADF));
  fl.l_type = 42;
  EXPECT_THAT(fcntl(a.get(), F_SETLK, &fl), SyscallFailsWithErrno(EINVAL));
}

TEST_F(FileIoTest, OfdLocksConflictBetweenDescriptions) {
  ScopedFd a(Make("f", "0123456789"));
  ScopedFd b(open(P("f").c_str(), O_RDWR));
  struct flock fl = {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 2;
  fl.l_len = 5;
  ASSERT_THAT(fcntl(a.get(), F_OFD_SETLK, &fl), SyscallSucceeds());
  struct flock q = {};
  q.l_type = F_RDLCK;
  q.l_whence = SEEK_SET;
  q.l_start = 0;
  q.l_len = 0;  // to the end of the file
  ASSERT_THAT(fcntl(b.get(), F_OFD_GETLK, &q), SyscallSucceeds());
  EXPECT_EQ(q.l_type, F_WRLCK);
  EXPECT_EQ(q.l_start, 2);
  EXPECT_EQ(q.l_len, 5);
  EXPECT_EQ(q.l_pid, -1);
  // The holder itself sees no conflict.
  q = {};
  q.l_type = F_WRLCK;
  ASSERT_THAT(fcntl(a.get(), F_OFD_GETLK, &q), SyscallSucceeds());
  EXPECT_EQ(q.l_type, F_UNLCK);
  q = {};
  q.l_type = F_RDLCK;
  q.l_start = 4;
  q.l_len = 1;
  EXPECT_THAT(fcntl(b.get(), F_OFD_SETLK, &q), SyscallFailsWithErrno(EAGAIN));
  // A non-overlapping range is free.
  q.l_start = 7;
  q.l_len = 3;
  EXPECT_THAT(fcntl(b.get(), F_OFD_SETLK, &q), SyscallSucceeds());
  // OFD locks conflict with classic locks, even of the same process.
  q.l_type = F_WRLCK;
  q.l_start = 0;
  q.l_len = 3;
  EXPECT_THAT(fcntl(b.get(), F_SETLK, &q), SyscallFailsWithErrno(EAGAIN));
  fl.l_type = F_UNLCK;
  ASSERT_THAT(fcntl(a.get(), F_OFD_SETLK, &fl), SyscallSucceeds());
  q.l_start = 2;
  q.l_len = 5;
  EXPECT_THAT(fcntl(b.get(), F_OFD_SETLK, &q), SyscallSucceeds());
  // l_pid must be 0 for OFD requests.
  q.l_pid = 1;
  EXPECT_THAT(fcntl(b.get(), F_OFD_SETLK, &q), SyscallFailsWithErrno(EINVAL));
}

// fcntl(2) flags and ioctl(2)

TEST_F(FileIoTest, StatusFlags) {
  ScopedFd fd(Make("f", "abc"));
  const int flags = fcntl(fd.get(), F_GETFL);
  ASSERT_THAT(flags, SyscallSucceeds());
  EXPECT_EQ(flags & O_ACCMODE, O_RDWR);
  EXPECT_EQ(flags & (O_APPEND | O_NONBLOCK), 0);
  ASSERT_THAT(fcntl(fd.get(), F_SETFL, flags | O_APPEND | O_NONBLOCK), SyscallSucceeds());
  EXPECT_EQ(fcntl(fd.get(), F_GETFL) & (O_APPEND | O_NONBLOCK), O_APPEND | O_NONBLOCK);
  ASSERT_THAT(lseek(fd.get(), 0, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(write(fd.get(), "d", 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(PreadAll(fd.get(), 8), "abcd");
  ASSERT_THAT(fcntl(fd.get(), F_SETFL, flags), SyscallSucceeds());
  EXPECT_EQ(fcntl(fd.get(), F_GETFL), flags);
  ScopedFd dup_fd(fcntl(fd.get(), F_DUPFD_CLOEXEC, 10));
  EXPECT_THAT(dup_fd.get(), SyscallSucceedsWithValue(::testing::Ge(10)));
  EXPECT_THAT(fcntl(dup_fd.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
}

TEST_F(FileIoTest, IoctlOnARegularFile) {
  ScopedFd fd(Make("f", "0123456789"));
  int n = -1;
  ASSERT_THAT(ioctl(fd.get(), FIONREAD, &n), SyscallSucceeds());
  EXPECT_EQ(n, 10);
  ASSERT_THAT(lseek(fd.get(), 4, SEEK_SET), SyscallSucceeds());
  ASSERT_THAT(ioctl(fd.get(), FIONREAD, &n), SyscallSucceeds());
  EXPECT_EQ(n, 6);
  ASSERT_THAT(ioctl(fd.get(), FIOCLEX), SyscallSucceeds());
  EXPECT_THAT(fcntl(fd.get(), F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  ASSERT_THAT(ioctl(fd.get(), FIONCLEX), SyscallSucceeds());
  EXPECT_THAT(fcntl(fd.get(), F_GETFD), SyscallSucceedsWithValue(0));
  int on = 1;
  ASSERT_THAT(ioctl(fd.get(), FIONBIO, &on), SyscallSucceeds());
  EXPECT_NE(fcntl(fd.get(), F_GETFL) & O_NONBLOCK, 0);
  on = 0;
  ASSERT_THAT(ioctl(fd.get(), FIONBIO, &on), SyscallSucceeds());
  EXPECT_EQ(fcntl(fd.get(), F_GETFL) & O_NONBLOCK, 0);
  termios t;
  EXPECT_THAT(ioctl(fd.get(), TCGETS, &t), SyscallFailsWithErrno(ENOTTY));
}

}  // namespace
}  // namespace test_util
