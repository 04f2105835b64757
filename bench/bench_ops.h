// The operations the benchmarks time, shared by syscall_bench (Google
// Benchmark, dynamically linked) and static_bench (self-timed, static), so the
// two programs measure exactly the same work.
//
//   long pid = bench::RawGetpid();                  // always enters the kernel
//   if (!bench::MmapTouchMunmap(64 << 10, page)) …  // errno says why
//   if (!bench::OpenClose(path)) …                  // the files: fs_fixture.h
//
// Every operation is one or a few real system calls: raw syscall(2) where libc
// could otherwise answer without the kernel (getpid is cached by some libcs,
// clock_gettime goes through the vDSO), the plain libc wrapper elsewhere.
#ifndef BENCH_BENCH_OPS_H_
#define BENCH_BENCH_OPS_H_

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bench {

// getpid(2) as a raw system call: the cheapest round trip into the kernel.
inline long RawGetpid() { return syscall(SYS_getpid); }

// clock_gettime(CLOCK_MONOTONIC) as a raw system call, bypassing the vDSO.
// Returns 0 or -1 with errno set.
inline long RawClockGettimeMonotonic(timespec* ts) {
  return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts);
}

// Maps `len` bytes of private anonymous memory, writes one byte to each page
// when `page_size` is non-zero (so every page is faulted in), and unmaps it.
// Returns false with errno set if mmap or munmap fails.
[[nodiscard]] inline bool MmapTouchMunmap(size_t len, size_t page_size) {
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
  if (p == MAP_FAILED) return false;
  if (page_size != 0) {
    volatile char* bytes = static_cast<volatile char*>(p);
    for (size_t off = 0; off < len; off += page_size) bytes[off] = 1;
  }
  return munmap(p, len) == 0;
}

// Maps and unmaps `len` bytes without touching them: the cost of the two
// system calls and the VMA bookkeeping alone.
[[nodiscard]] inline bool MmapMunmap(size_t len) { return MmapTouchMunmap(len, 0); }

// Reads one byte from `fd` (expected: /dev/zero). Returns what read(2) returns.
inline ssize_t ReadOneByte(int fd, char* byte) { return read(fd, byte, 1); }

// Writes one byte to `fd` (expected: /dev/null). Returns what write(2) returns.
inline ssize_t WriteOneByte(int fd, const char* byte) { return write(fd, byte, 1); }

// ---- File system ----
// The files and directories these work on are made by FsFixture
// (fs_fixture.h), outside the timed loop.

// open(2) of an existing file read-only, then close(2): a path lookup, a
// file description and an fd, and their release. Returns false with errno set
// on failure.
[[nodiscard]] inline bool OpenClose(const char* path) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  return close(fd) == 0;
}

// stat(2) of `path` (glibc issues newfstatat). Returns false with errno set.
[[nodiscard]] inline bool Stat(const char* path, struct stat* st) { return stat(path, st) == 0; }

// Reads `fd` from offset 0 to end of file with read(2) calls of `chunk` bytes
// into `buf` (one lseek, size/chunk reads, one read returning 0). Returns the
// number of bytes read, or -1 with errno set.
[[nodiscard]] inline int64_t ReadWholeFile(int fd, char* buf, size_t chunk) {
  if (lseek(fd, 0, SEEK_SET) != 0) return -1;
  int64_t total = 0;
  for (;;) {
    const ssize_t n = read(fd, buf, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return total;
    total += n;
  }
}

// Empties `fd` (ftruncate to 0, freeing what the last call wrote) and writes
// `total` bytes of `buf` from offset 0 with write(2) calls of `chunk` bytes:
// what `dd bs=<chunk>` does to an existing file, allocation included. Returns
// false with errno set on failure; a write that makes no progress is ENOSPC.
[[nodiscard]] inline bool RewriteWholeFile(int fd, const char* buf, size_t chunk,
                                           uint64_t total) {
  if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) return false;
  uint64_t done = 0;
  while (done < total) {
    const size_t want = total - done < chunk ? static_cast<size_t>(total - done) : chunk;
    const ssize_t n = write(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {
      errno = ENOSPC;
      return false;
    }
    done += static_cast<uint64_t>(n);
  }
  return true;
}

// Opens the directory `path`, reads every entry with getdents64(2) into `buf`
// (`len` bytes per call), and closes it. Returns the number of entries other
// than "." and "..", or -1 with errno set.
[[nodiscard]] inline int64_t ReadDirectory(const char* path, char* buf, size_t len) {
  const int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -1;
  int64_t entries = 0;
  for (;;) {
    const long n = syscall(SYS_getdents64, fd, buf, len);
    if (n < 0) {
      const int err = errno;
      close(fd);
      errno = err;
      return -1;
    }
    if (n == 0) break;
    // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type,
    // char d_name[] (NUL-terminated).
    constexpr size_t kReclenOffset = 16;
    constexpr size_t kNameOffset = 19;
    for (long off = 0; off < n;) {
      uint16_t reclen = 0;
      std::memcpy(&reclen, buf + off + kReclenOffset, sizeof(reclen));
      if (reclen == 0) {  // a malformed buffer: do not loop forever
        close(fd);
        errno = EIO;
        return -1;
      }
      const char* name = buf + off + kNameOffset;
      const bool dot = name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
      if (!dot) ++entries;
      off += reclen;
    }
  }
  return close(fd) == 0 ? entries : -1;
}

// Sizes shared by both programs, so their benchmark names agree.
inline constexpr size_t kSmallMapping = 4 << 10;
inline constexpr size_t kTouchSmall = 64 << 10;
inline constexpr size_t kTouchLarge = 1 << 20;
// Sequential file I/O: 1 MiB per read(2)/write(2); the file is
// kDefaultFileSize bytes unless $BENCH_FILE_SIZE says otherwise (fs_fixture.h).
inline constexpr size_t kFileChunk = 1 << 20;
inline constexpr uint64_t kDefaultFileSize = uint64_t{1} << 30;
// The directory BM_Getdents64 lists, and the getdents64 buffer (glibc's
// readdir uses 32 KiB as well).
inline constexpr int kDirEntries = 10000;
inline constexpr size_t kDirentBuffer = 32 << 10;

}  // namespace bench

#endif  // BENCH_BENCH_OPS_H_
