// The operations the benchmarks time, shared by syscall_bench (Google
// Benchmark, dynamically linked) and static_bench (self-timed, static), so the
// two programs measure exactly the same work.
//
//   long pid = bench::RawGetpid();                  // always enters the kernel
//   if (!bench::MmapTouchMunmap(64 << 10, page)) …  // errno says why
//
// Every operation is one or a few real system calls: raw syscall(2) where libc
// could otherwise answer without the kernel (getpid is cached by some libcs,
// clock_gettime goes through the vDSO), the plain libc wrapper elsewhere.
#ifndef BENCH_BENCH_OPS_H_
#define BENCH_BENCH_OPS_H_

#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>

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

// Sizes shared by both programs, so their benchmark names agree.
inline constexpr size_t kSmallMapping = 4 << 10;
inline constexpr size_t kTouchSmall = 64 << 10;
inline constexpr size_t kTouchLarge = 1 << 20;

}  // namespace bench

#endif  // BENCH_BENCH_OPS_H_
