// splice(2) between a pipe and a file or another pipe, and tee(2): what
// moves, which offsets change, blocking and SPLICE_F_NONBLOCK, EPIPE with
// SIGPIPE, and the argument errors.
//
// Files are made in a fresh directory /tmp/sk_splice_XXXXXX, removed at
// the end. A wake-up from another thread uses std::thread; the waiting side
// is correct whichever of the two runs first.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

class Pipe {
 public:
  explicit Pipe(int flags = 0) {
    if (pipe2(fds_, flags) != 0) fds_[0] = fds_[1] = -1;
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  int r() const { return fds_[0]; }
  int w() const { return fds_[1]; }
  void CloseRead() {
    if (fds_[0] >= 0) close(fds_[0]);
    fds_[0] = -1;
  }
  void CloseWrite() {
    if (fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2];
};

std::string ReadSome(int fd, size_t n) {
  std::string s(n, '\0');
  ssize_t got = read(fd, s.data(), n);
  s.resize(got < 0 ? 0 : got);
  return s;
}

class SpliceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sk_splice_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr) << ErrnoName(errno);
    dir_ = tmpl;
  }
  void TearDown() override {
    for (const char* name : {"f", "g"}) unlink((dir_ + "/" + name).c_str());
    rmdir(dir_.c_str());
  }
  // A file holding `data`, opened with `flags`.
  int MakeFile(const std::string& data, int flags = O_RDWR) {
    std::string path = dir_ + "/f";
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
      return -1;
    }
    close(fd);
    return open(path.c_str(), flags);
  }
  std::string FileData() {
    int fd = open((dir_ + "/f").c_str(), O_RDONLY);
    std::string s = ReadSome(fd, 4096);
    close(fd);
    return s;
  }

  std::string dir_;
};

TEST_F(SpliceTest, FileToPipeWithAndWithoutAnOffset) {
  int fd = MakeFile("hello world");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  Pipe p;
  ASSERT_GE(p.r(), 0);
  loff_t off = 6;
  // An offset is used and advanced; the file position stays.
  EXPECT_THAT(splice(fd, &off, p.w(), nullptr, 100, 0), SyscallSucceedsWithValue(5));
  EXPECT_EQ(off, 11);
  EXPECT_THAT(lseek(fd, 0, SEEK_CUR), SyscallSucceedsWithValue(0));
  EXPECT_EQ(ReadSome(p.r(), 100), "world");
  // Without one, the file position is.
  EXPECT_THAT(splice(fd, nullptr, p.w(), nullptr, 5, 0), SyscallSucceedsWithValue(5));
  EXPECT_THAT(lseek(fd, 0, SEEK_CUR), SyscallSucceedsWithValue(5));
  EXPECT_EQ(ReadSome(p.r(), 100), "hello");
  // At the end of the file: 0.
  off = 11;
  EXPECT_THAT(splice(fd, &off, p.w(), nullptr, 5, 0), SyscallSucceedsWithValue(0));
  close(fd);
}

TEST_F(SpliceTest, PipeToFile) {
  int fd = MakeFile("0123456789");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  Pipe p;
  ASSERT_GE(p.r(), 0);
  ASSERT_THAT(write(p.w(), "abcdef", 6), SyscallSucceedsWithValue(6));
  loff_t off = 2;
  EXPECT_THAT(splice(p.r(), nullptr, fd, &off, 4, 0), SyscallSucceedsWithValue(4));
  EXPECT_EQ(off, 6);
  EXPECT_THAT(lseek(fd, 0, SEEK_CUR), SyscallSucceedsWithValue(0));
  EXPECT_THAT(splice(p.r(), nullptr, fd, nullptr, 100, 0), SyscallSucceedsWithValue(2));
  EXPECT_THAT(lseek(fd, 0, SEEK_CUR), SyscallSucceedsWithValue(2));
  EXPECT_EQ(FileData(), "efabcd6789");
  close(fd);
}

TEST_F(SpliceTest, PipeToPipeMovesWhatIsAskedFor) {
  Pipe a, b;
  ASSERT_GE(a.r(), 0);
  ASSERT_GE(b.r(), 0);
  ASSERT_THAT(write(a.w(), "0123456789", 10), SyscallSucceedsWithValue(10));
  EXPECT_THAT(splice(a.r(), nullptr, b.w(), nullptr, 4, 0), SyscallSucceedsWithValue(4));
  EXPECT_EQ(ReadSome(b.r(), 100), "0123");
  EXPECT_EQ(ReadSome(a.r(), 100), "456789");
}

TEST_F(SpliceTest, ArgumentErrors) {
  int fd = MakeFile("data");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  Pipe p;
  ASSERT_GE(p.r(), 0);
  loff_t off = 0;
  // A zero length succeeds before anything is looked at.
  EXPECT_THAT(splice(-1, nullptr, -1, nullptr, 0, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(splice(fd, nullptr, p.w(), nullptr, 4, 0x10), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(splice(-1, nullptr, p.w(), nullptr, 4, 0), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(splice(fd, nullptr, -1, nullptr, 4, 0), SyscallFailsWithErrno(EBADF));
  // The wrong direction of an end.
  EXPECT_THAT(splice(p.w(), nullptr, fd, nullptr, 4, 0), SyscallFailsWithErrno(EBADF));
  // Neither is a pipe.
  int fd2 = open((dir_ + "/g").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd2, 0) << ErrnoName(errno);
  EXPECT_THAT(splice(fd, nullptr, fd2, nullptr, 4, 0), SyscallFailsWithErrno(EINVAL));
  // An offset for the pipe's side.
  EXPECT_THAT(splice(fd, nullptr, p.w(), &off, 4, 0), SyscallFailsWithErrno(ESPIPE));
  ASSERT_THAT(write(p.w(), "x", 1), SyscallSucceedsWithValue(1));
  EXPECT_THAT(splice(p.r(), &off, fd, nullptr, 4, 0), SyscallFailsWithErrno(ESPIPE));
  // A pipe into itself.
  EXPECT_THAT(splice(p.r(), nullptr, p.w(), nullptr, 4, 0), SyscallFailsWithErrno(EINVAL));
  // An append-only destination.
  int app = open((dir_ + "/g").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(app, 0) << ErrnoName(errno);
  EXPECT_THAT(splice(p.r(), nullptr, app, nullptr, 4, 0), SyscallFailsWithErrno(EINVAL));
  // A bad offset pointer.
  EXPECT_THAT(splice(fd, reinterpret_cast<loff_t*>(8), p.w(), nullptr, 4, 0),
              SyscallFailsWithErrno(EFAULT));
  close(app);
  close(fd2);
  close(fd);
}

TEST_F(SpliceTest, NonblockingEmptyAndFullPipes) {
  int fd = MakeFile("data");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  Pipe p;
  ASSERT_GE(p.r(), 0);
  EXPECT_THAT(splice(p.r(), nullptr, fd, nullptr, 4, SPLICE_F_NONBLOCK),
              SyscallFailsWithErrno(EAGAIN));
  // Full: nothing fits.
  ASSERT_THAT(fcntl(p.w(), F_SETPIPE_SZ, 4096), SyscallSucceedsWithValue(4096));
  std::vector<char> fill(4096, 'x');
  ASSERT_THAT(write(p.w(), fill.data(), fill.size()), SyscallSucceedsWithValue(4096));
  EXPECT_THAT(splice(fd, nullptr, p.w(), nullptr, 4, SPLICE_F_NONBLOCK),
              SyscallFailsWithErrno(EAGAIN));
  // An O_NONBLOCK pipe end does the same without the flag.
  ASSERT_THAT(fcntl(p.w(), F_SETFL, O_NONBLOCK), SyscallSucceeds());
  EXPECT_THAT(splice(fd, nullptr, p.w(), nullptr, 4, 0), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(lseek(fd, 0, SEEK_CUR), SyscallSucceedsWithValue(0));
  // No writer left and empty: end of file.
  ASSERT_THAT(read(p.r(), fill.data(), fill.size()), SyscallSucceedsWithValue(4096));
  p.CloseWrite();
  EXPECT_THAT(splice(p.r(), nullptr, fd, nullptr, 4, 0), SyscallSucceedsWithValue(0));
  close(fd);
}

TEST_F(SpliceTest, NoReaderIsEpipeWithSigpipe) {
  int fd = MakeFile("data");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  Pipe p;
  ASSERT_GE(p.r(), 0);
  p.CloseRead();
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  ASSERT_THAT(sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceeds());
  EXPECT_THAT(splice(fd, nullptr, p.w(), nullptr, 4, 0), SyscallFailsWithErrno(EPIPE));
  timespec zero{0, 0};
  EXPECT_THAT(sigtimedwait(&set, nullptr, &zero), SyscallSucceedsWithValue(SIGPIPE));
  sigprocmask(SIG_SETMASK, &old, nullptr);
  close(fd);
}

TEST_F(SpliceTest, BlockingSpliceWokenByAWriter) {
  int fd = MakeFile("");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  Pipe p;
  ASSERT_GE(p.r(), 0);
  std::thread writer([&] { (void)!write(p.w(), "late", 4); });
  EXPECT_THAT(splice(p.r(), nullptr, fd, nullptr, 4, 0), SyscallSucceedsWithValue(4));
  writer.join();
  EXPECT_EQ(FileData(), "late");
  close(fd);
}

TEST_F(SpliceTest, WritingIntoAFileTellsAWatchedDirectory) {
  int fd = MakeFile("");
  ASSERT_GE(fd, 0) << ErrnoName(errno);
  int dirfd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(dirfd, 0) << ErrnoName(errno);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGIO);
  ASSERT_THAT(sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceeds());
  ASSERT_THAT(fcntl(dirfd, F_NOTIFY, DN_MODIFY), SyscallSucceeds());
  Pipe p;
  ASSERT_GE(p.r(), 0);
  ASSERT_THAT(write(p.w(), "abc", 3), SyscallSucceedsWithValue(3));
  EXPECT_THAT(splice(p.r(), nullptr, fd, nullptr, 3, 0), SyscallSucceedsWithValue(3));
  timespec zero{0, 0};
  EXPECT_THAT(sigtimedwait(&set, nullptr, &zero), SyscallSucceedsWithValue(SIGIO));
  sigprocmask(SIG_SETMASK, &old, nullptr);
  close(dirfd);
  close(fd);
}

TEST(TeeTest, CopiesWithoutConsuming) {
  Pipe a, b;
  ASSERT_GE(a.r(), 0);
  ASSERT_GE(b.r(), 0);
  ASSERT_THAT(write(a.w(), "abcdef", 6), SyscallSucceedsWithValue(6));
  EXPECT_THAT(tee(a.r(), b.w(), 4, 0), SyscallSucceedsWithValue(4));
  EXPECT_EQ(ReadSome(b.r(), 100), "abcd");
  EXPECT_EQ(ReadSome(a.r(), 100), "abcdef");
}

TEST(TeeTest, Errors) {
  Pipe a(O_NONBLOCK), b;
  ASSERT_GE(a.r(), 0);
  ASSERT_GE(b.r(), 0);
  EXPECT_THAT(tee(a.r(), b.w(), 0, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(tee(a.r(), b.w(), 4, 0x10), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(tee(a.r(), a.w(), 4, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(tee(-1, b.w(), 4, 0), SyscallFailsWithErrno(EBADF));
  int null = open("/dev/null", O_RDWR);
  ASSERT_GE(null, 0) << ErrnoName(errno);
  EXPECT_THAT(tee(a.r(), null, 4, 0), SyscallFailsWithErrno(EINVAL));
  close(null);
  // Empty: EAGAIN when non-blocking, 0 once no writer is left.
  EXPECT_THAT(tee(a.r(), b.w(), 4, 0), SyscallFailsWithErrno(EAGAIN));
  a.CloseWrite();
  EXPECT_THAT(tee(a.r(), b.w(), 4, 0), SyscallSucceedsWithValue(0));
}

}  // namespace
}  // namespace test_util
