// Memory-mapped regular files: mmap(2) with MAP_PRIVATE and MAP_SHARED,
// coherence with read(2)/write(2), msync(2), file offsets, SIGBUS past the end
// of the file, mincore(2), and the access checks against the fd.
//
// A touch that must fault happens in a forked child, which the parent expects
// to be killed by the signal (there are no signal handlers). Every test works
// in its own fresh directory under /tmp, removed with its contents at the end.
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

constexpr int kRW = PROT_READ | PROT_WRITE;

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

// A fresh directory /tmp/sk_mmap_file_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_mmap_file_XXXXXX";
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

// Forks a child that runs fn and exits 0; returns the wait status. The child
// dumps no core if fn kills it.
template <typename F>
int StatusOfChild(F fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    const rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    fn();
    _exit(0);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return status;
}

class MmapFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()) << ErrnoName(errno); }
  // A file "f" of `pages` pages, page i filled with 'a' + i, open O_RDWR.
  int MakePages(int pages) {
    const int fd = open(dir_.Path("f").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return -1;
    for (int i = 0; i < pages; ++i) {
      const std::string page(kPageSize, static_cast<char>('a' + i));
      if (write(fd, page.data(), page.size()) != static_cast<ssize_t>(kPageSize)) {
        close(fd);
        return -1;
      }
    }
    return fd;
  }
  TempDir dir_;
};

TEST_F(MmapFileTest, PrivateMappingReadsTheFile) {
  ScopedFd fd(MakePages(2));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, PROT_READ, MAP_PRIVATE, fd.get(), 0),
              SyscallSucceeds());
  EXPECT_EQ(m.ptr()[0], 'a');
  EXPECT_EQ(m.ptr()[kPageSize - 1], 'a');
  EXPECT_EQ(m.ptr()[kPageSize], 'b');
  EXPECT_EQ(m.ptr()[2 * kPageSize - 1], 'b');
}

TEST_F(MmapFileTest, PrivateWritesDoNotReachTheFile) {
  ScopedFd fd(MakePages(1));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, kPageSize, kRW, MAP_PRIVATE, fd.get(), 0), SyscallSucceeds());
  memcpy(m.ptr(), "private", 7);
  EXPECT_EQ(PreadAll(fd.get(), 7), "aaaaaaa");
  Mapping other;
  ASSERT_THAT(other.Map(nullptr, kPageSize, PROT_READ, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  EXPECT_EQ(other.ptr()[0], 'a');
  EXPECT_EQ(std::string(m.ptr(), 7), "private");
  ASSERT_THAT(msync(m.ptr(), kPageSize, MS_SYNC), SyscallSucceeds());
  EXPECT_EQ(PreadAll(fd.get(), 7), "aaaaaaa");
}

TEST_F(MmapFileTest, SharedMappingIsCoherentWithReadAndWrite) {
  ScopedFd fd(MakePages(2));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, kRW, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  // Stores through the mapping are visible to read(2) at once.
  memcpy(m.ptr() + kPageSize + 10, "shared", 6);
  EXPECT_EQ(PreadAll(fd.get(), 6, kPageSize + 10), "shared");
  // And write(2) is visible through the mapping.
  ASSERT_THAT(pwrite(fd.get(), "written", 7, 100), SyscallSucceedsWithValue(7));
  EXPECT_EQ(std::string(m.ptr() + 100, 7), "written");
  // A private mapping made now sees the shared changes until it writes.
  Mapping p;
  ASSERT_THAT(p.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, fd.get(), 0), SyscallSucceeds());
  EXPECT_EQ(std::string(p.ptr() + 100, 7), "written");
  ASSERT_THAT(msync(m.ptr(), m.len(), MS_SYNC), SyscallSucceeds());
  // Data stays in the file after unmapping and closing.
  m.Reset();
  ScopedFd again(open(dir_.Path("f").c_str(), O_RDONLY));
  EXPECT_EQ(PreadAll(again.get(), 6, kPageSize + 10), "shared");
}

TEST_F(MmapFileTest, TwoSharedMappingsSeeEachOther) {
  ScopedFd fd(MakePages(1));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ScopedFd fd2(open(dir_.Path("f").c_str(), O_RDWR));
  ASSERT_THAT(fd2.get(), SyscallSucceeds());
  Mapping a, b;
  ASSERT_THAT(a.Map(nullptr, kPageSize, kRW, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  ASSERT_THAT(b.Map(nullptr, kPageSize, kRW, MAP_SHARED, fd2.get(), 0), SyscallSucceeds());
  a.ptr()[5] = 'X';
  EXPECT_EQ(b.ptr()[5], 'X');
  // The mapping outlives the fd.
  Mapping c;
  {
    ScopedFd fd3(open(dir_.Path("f").c_str(), O_RDWR));
    ASSERT_THAT(c.Map(nullptr, kPageSize, kRW, MAP_SHARED, fd3.get(), 0), SyscallSucceeds());
  }
  c.ptr()[6] = 'Y';
  EXPECT_EQ(a.ptr()[6], 'Y');
}

TEST_F(MmapFileTest, SharedMappingIsSharedWithAForkedChild) {
  ScopedFd fd(MakePages(1));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, kPageSize, kRW, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  char* p = m.ptr();
  const int status = StatusOfChild([p] { p[0] = 'c'; });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(p[0], 'c');
  EXPECT_EQ(PreadAll(fd.get(), 1), "c");
}

TEST_F(MmapFileTest, Msync) {
  ScopedFd fd(MakePages(2));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, kRW, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  m.ptr()[0] = 'z';
  EXPECT_THAT(msync(m.ptr(), m.len(), MS_SYNC), SyscallSucceeds());
  EXPECT_THAT(msync(m.ptr(), kPageSize, MS_ASYNC), SyscallSucceeds());
  EXPECT_THAT(msync(m.ptr(), kPageSize, MS_INVALIDATE), SyscallSucceeds());
  EXPECT_THAT(msync(m.ptr(), kPageSize, MS_SYNC | MS_ASYNC), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(msync(m.ptr() + 1, kPageSize, MS_SYNC), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(msync(m.ptr(), kPageSize, 0x100), SyscallFailsWithErrno(EINVAL));
  // A range that is not (all) mapped.
  void* hole = m.ptr() + kPageSize;
  ASSERT_THAT(munmap(hole, kPageSize), SyscallSucceeds());
  EXPECT_THAT(msync(m.ptr(), 2 * kPageSize, MS_SYNC), SyscallFailsWithErrno(ENOMEM));
  EXPECT_EQ(PreadAll(fd.get(), 1), "z");
}

TEST_F(MmapFileTest, FileOffset) {
  ScopedFd fd(MakePages(3));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, PROT_READ, MAP_SHARED, fd.get(), kPageSize),
              SyscallSucceeds());
  EXPECT_EQ(m.ptr()[0], 'b');
  EXPECT_EQ(m.ptr()[kPageSize], 'c');
  Mapping bad;
  EXPECT_THAT(bad.Map(nullptr, kPageSize, PROT_READ, MAP_SHARED, fd.get(), 100),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(bad.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, fd.get(), kPageSize / 2),
              SyscallFailsWithErrno(EINVAL));
  // A negative (aligned) offset wraps the page offset: EOVERFLOW.
  EXPECT_THAT(bad.Map(nullptr, kPageSize, PROT_READ, MAP_SHARED, fd.get(), -off_t{kPageSize}),
              SyscallFailsWithErrno(EOVERFLOW));
  // A zero length is EINVAL as well.
  EXPECT_THAT(bad.Map(nullptr, 0, PROT_READ, MAP_SHARED, fd.get(), 0),
              SyscallFailsWithErrno(EINVAL));
}

TEST_F(MmapFileTest, PastTheEndOfFile) {
  // A 100-byte file mapped over two pages: the rest of the first page reads as
  // zeros, the second page is past the end and faults with SIGBUS.
  ScopedFd fd(open(dir_.Path("f").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(write(fd.get(), std::string(100, 'x').data(), 100), SyscallSucceedsWithValue(100));
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, kRW, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  EXPECT_EQ(m.ptr()[99], 'x');
  EXPECT_EQ(m.ptr()[100], 0);
  EXPECT_EQ(m.ptr()[kPageSize - 1], 0);
  // Stores past EOF within the last page do not change the file size.
  m.ptr()[200] = 'y';
  struct stat st;
  ASSERT_THAT(fstat(fd.get(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_size, 100);
  volatile char* past = m.ptr() + kPageSize;
  int status = StatusOfChild([past] { (void)*past; });
  EXPECT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGBUS);
  status = StatusOfChild([past] { *past = 1; });
  EXPECT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGBUS);
  // Once the file grows, the page becomes accessible.
  ASSERT_THAT(ftruncate(fd.get(), 2 * kPageSize), SyscallSucceeds());
  EXPECT_EQ(past[0], 0);
  // And shrinking it takes the page away again, for private mappings too.
  Mapping p;
  ASSERT_THAT(p.Map(nullptr, 2 * kPageSize, PROT_READ, MAP_PRIVATE, fd.get(), 0),
              SyscallSucceeds());
  ASSERT_THAT(ftruncate(fd.get(), 100), SyscallSucceeds());
  volatile char* ppast = p.ptr() + kPageSize;
  status = StatusOfChild([ppast] { (void)*ppast; });
  EXPECT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGBUS);
}

TEST_F(MmapFileTest, Mincore) {
  ScopedFd fd(MakePages(2));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, PROT_READ, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  EXPECT_EQ(static_cast<volatile char*>(m.ptr())[0], 'a');
  unsigned char vec[2] = {0xff, 0xff};
  ASSERT_THAT(mincore(m.addr(), m.len(), vec), SyscallSucceeds());
  // Only bit 0 is defined; the page just read is resident.
  EXPECT_EQ(vec[0] & ~1, 0);
  EXPECT_EQ(vec[1] & ~1, 0);
  EXPECT_EQ(vec[0] & 1, 1);
  EXPECT_THAT(mincore(m.ptr() + 1, kPageSize, vec), SyscallFailsWithErrno(EINVAL));
  void* addr = m.addr();
  m.Reset();
  EXPECT_THAT(mincore(addr, kPageSize, vec), SyscallFailsWithErrno(ENOMEM));
}

TEST_F(MmapFileTest, AccessModeOfTheFd) {
  ScopedFd rw(MakePages(1));
  ASSERT_THAT(rw.get(), SyscallSucceeds());
  ScopedFd ro(open(dir_.Path("f").c_str(), O_RDONLY));
  ScopedFd wo(open(dir_.Path("f").c_str(), O_WRONLY));
  ASSERT_THAT(ro.get(), SyscallSucceeds());
  ASSERT_THAT(wo.get(), SyscallSucceeds());
  Mapping m;
  EXPECT_THAT(m.Map(nullptr, kPageSize, kRW, MAP_SHARED, ro.get(), 0),
              SyscallFailsWithErrno(EACCES));
  // A private writable mapping only needs read access.
  ASSERT_THAT(m.Map(nullptr, kPageSize, kRW, MAP_PRIVATE, ro.get(), 0), SyscallSucceeds());
  m.ptr()[0] = 'p';
  // A read-only shared mapping of a read-only fd cannot be made writable.
  ASSERT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_SHARED, ro.get(), 0), SyscallSucceeds());
  EXPECT_THAT(mprotect(m.addr(), kPageSize, kRW), SyscallFailsWithErrno(EACCES));
  // Every mapping needs read access, even a write-only one.
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_WRITE, MAP_SHARED, wo.get(), 0),
              SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, wo.get(), 0),
              SyscallFailsWithErrno(EACCES));
}

TEST_F(MmapFileTest, UnmappableFds) {
  ScopedFd dir(open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(dir.get(), SyscallSucceeds());
  Mapping m;
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, dir.get(), 0),
              SyscallFailsWithErrno(ENODEV));
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_SHARED, dir.get(), 0),
              SyscallFailsWithErrno(ENODEV));
  ScopedFd path(open(dir_.path().c_str(), O_PATH));
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, path.get(), 0),
              SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, -1, 0),
              SyscallFailsWithErrno(EBADF));
  int fds[2];
  ASSERT_THAT(pipe(fds), SyscallSucceeds());
  EXPECT_THAT(m.Map(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, fds[0], 0),
              SyscallFailsWithErrno(ENODEV));
  close(fds[0]);
  close(fds[1]);
}

TEST_F(MmapFileTest, MapFixedOverAFileMapping) {
  ScopedFd fd(MakePages(3));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 3 * kPageSize, PROT_READ, MAP_SHARED, fd.get(), 0), SyscallSucceeds());
  // Replace the middle page with page 2 of the file.
  void* mid = m.ptr() + kPageSize;
  ASSERT_THAT(mmap(mid, kPageSize, PROT_READ, MAP_SHARED | MAP_FIXED, fd.get(), 2 * kPageSize),
              SyscallSucceedsWithValue(reinterpret_cast<intptr_t>(mid)));
  EXPECT_EQ(m.ptr()[0], 'a');
  EXPECT_EQ(m.ptr()[kPageSize], 'c');
  EXPECT_EQ(m.ptr()[2 * kPageSize], 'c');
}

}  // namespace
}  // namespace test_util
