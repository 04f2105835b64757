// System-call microbenchmarks on Google Benchmark.
//
//   build/bench/syscall_bench                          # natively
//   build/runsc/runsc do build/bench/syscall_bench     # once dynamic programs run
//   bench/compare.sh --program=syscall_bench           # both, side by side
//
// Every benchmark reports wall-clock time (UseRealTime): inside the sandbox the
// work happens in the sentry, another process, so the guest's CPU time says
// nothing. static_bench.cc times the same operations (bench_ops.h) without
// Google Benchmark, for the sandbox while it only runs static programs.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "bench/bench_ops.h"

namespace bench {
namespace {

// Long enough to average over scheduler noise, short enough that the whole run
// stays around 10-20 s when each sandboxed system call costs ~20 µs.
constexpr double kMinTimeSeconds = 0.2;

size_t PageSize() {
  static const size_t page_size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page_size;
}

// BENCHMARK with the settings every benchmark here shares: wall-clock time in
// nanoseconds, at least kMinTimeSeconds per benchmark. Google Benchmark appends
// "/min_time:0.200/real_time" to each name because of them; compare.sh strips
// that suffix when it matches runs up.
#define SYSCALL_BENCHMARK(fn)                                          \
  BENCHMARK(fn)->UseRealTime()->MinTime(kMinTimeSeconds)->Unit(        \
      benchmark::kNanosecond)

std::string ErrnoMessage(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

void BM_Getpid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(RawGetpid());
}
SYSCALL_BENCHMARK(BM_Getpid);

void BM_ClockGettime(benchmark::State& state) {
  timespec ts{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(RawClockGettimeMonotonic(&ts));
    benchmark::DoNotOptimize(ts);
  }
}
SYSCALL_BENCHMARK(BM_ClockGettime);

// mmap + munmap of state.range(0) bytes, never touched.
void BM_MmapMunmap(benchmark::State& state) {
  const size_t len = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    if (!MmapMunmap(len)) {
      state.SkipWithError(ErrnoMessage("mmap/munmap").c_str());
      break;
    }
  }
}
SYSCALL_BENCHMARK(BM_MmapMunmap)->Arg(kSmallMapping);

// mmap + one write per page + munmap of state.range(0) bytes: one page fault
// per page on top of the two system calls.
void BM_MmapTouchMunmap(benchmark::State& state) {
  const size_t len = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    if (!MmapTouchMunmap(len, PageSize())) {
      state.SkipWithError(ErrnoMessage("mmap/munmap").c_str());
      break;
    }
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(len));
}
SYSCALL_BENCHMARK(BM_MmapTouchMunmap)->Arg(kTouchSmall)->Arg(kTouchLarge);

void BM_ReadDevZero(benchmark::State& state) {
  const int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    state.SkipWithError(ErrnoMessage("open(/dev/zero)").c_str());
    return;
  }
  char byte = 1;
  for (auto _ : state) {
    if (ReadOneByte(fd, &byte) != 1) {
      state.SkipWithError(ErrnoMessage("read(/dev/zero)").c_str());
      break;
    }
    benchmark::DoNotOptimize(byte);
  }
  close(fd);
}
SYSCALL_BENCHMARK(BM_ReadDevZero);

void BM_WriteDevNull(benchmark::State& state) {
  const int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    state.SkipWithError(ErrnoMessage("open(/dev/null)").c_str());
    return;
  }
  const char byte = 0;
  for (auto _ : state) {
    if (WriteOneByte(fd, &byte) != 1) {
      state.SkipWithError(ErrnoMessage("write(/dev/null)").c_str());
      break;
    }
  }
  close(fd);
}
SYSCALL_BENCHMARK(BM_WriteDevNull);

}  // namespace
}  // namespace bench
