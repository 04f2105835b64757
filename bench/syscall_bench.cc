// System-call microbenchmarks on Google Benchmark.
//
//   build/bench/syscall_bench                          # natively
//   build/runsc/runsc do build/bench/syscall_bench     # in the sandbox
//   bench/compare.sh                                   # both, side by side
//   BENCH_FILE_SIZE=16M build/bench/syscall_bench      # smaller file benchmarks
//
// Every benchmark reports wall-clock time (UseRealTime): inside the sandbox the
// work happens in the sentry, another process, so the guest's CPU time says
// nothing. static_bench.cc times the same operations (bench_ops.h) without
// Google Benchmark, linked -static (the fallback if dynamic programs stop
// running in the sandbox). The file benchmarks' files are made by FsFixture
// (fs_fixture.h) in a fresh directory under /tmp, before the timed loop.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_ops.h"
#include "bench/fs_fixture.h"

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

// ---- File system ----

void BM_OpenClose(benchmark::State& state) {
  FsFixture& fs = FsFixture::Get();
  const std::string& path = fs.SmallFile();
  if (path.empty()) {
    state.SkipWithError(fs.error().c_str());
    return;
  }
  for (auto _ : state) {
    if (!OpenClose(path.c_str())) {
      state.SkipWithError(ErrnoMessage("open/close").c_str());
      break;
    }
  }
}
SYSCALL_BENCHMARK(BM_OpenClose);

void BM_Stat(benchmark::State& state) {
  FsFixture& fs = FsFixture::Get();
  const std::string& path = fs.SmallFile();
  if (path.empty()) {
    state.SkipWithError(fs.error().c_str());
    return;
  }
  struct stat st {};
  for (auto _ : state) {
    if (!Stat(path.c_str(), &st)) {
      state.SkipWithError(ErrnoMessage("stat").c_str());
      break;
    }
    benchmark::DoNotOptimize(st);
  }
}
SYSCALL_BENCHMARK(BM_Stat);

// One iteration reads the whole file ($BENCH_FILE_SIZE, default 1 GiB) in
// state.range(0)-byte reads. The file is written once and kept until exit.
void BM_SeqReadFile(benchmark::State& state) {
  FsFixture& fs = FsFixture::Get();
  const uint64_t size = fs.FileSize();
  const int fd = size == 0 ? -1 : fs.ReadFile();
  if (fd < 0) {
    state.SkipWithError(fs.error().c_str());
    return;
  }
  std::vector<char> buf(static_cast<size_t>(state.range(0)), 1);  // faulted in before timing
  for (auto _ : state) {
    const int64_t got = ReadWholeFile(fd, buf.data(), buf.size());
    if (got < 0 || static_cast<uint64_t>(got) != size) {
      state.SkipWithError(got < 0 ? ErrnoMessage("read").c_str() : "short read");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(size));
  state.SetLabel(SizeLabel(size));
}
SYSCALL_BENCHMARK(BM_SeqReadFile)->Arg(kFileChunk);

// One iteration empties the file and writes it again, $BENCH_FILE_SIZE bytes
// in state.range(0)-byte writes.
void BM_SeqWriteFile(benchmark::State& state) {
  FsFixture& fs = FsFixture::Get();
  const uint64_t size = fs.FileSize();
  const int fd = size == 0 ? -1 : fs.WriteFile();
  if (fd < 0) {
    state.SkipWithError(fs.error().c_str());
    return;
  }
  const std::vector<char> buf(static_cast<size_t>(state.range(0)), 'w');
  for (auto _ : state) {
    if (!RewriteWholeFile(fd, buf.data(), buf.size(), size)) {
      state.SkipWithError(ErrnoMessage("write").c_str());
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(size));
  state.SetLabel(SizeLabel(size));
}
SYSCALL_BENCHMARK(BM_SeqWriteFile)->Arg(kFileChunk);

// One iteration opens the kDirEntries-entry directory, reads every entry with
// getdents64 and closes it.
void BM_Getdents64(benchmark::State& state) {
  FsFixture& fs = FsFixture::Get();
  const std::string& path = fs.Directory();
  if (path.empty()) {
    state.SkipWithError(fs.error().c_str());
    return;
  }
  std::vector<char> buf(kDirentBuffer);
  for (auto _ : state) {
    const int64_t entries = ReadDirectory(path.c_str(), buf.data(), buf.size());
    if (entries < 0) {
      state.SkipWithError(ErrnoMessage("getdents64").c_str());
      break;
    }
    benchmark::DoNotOptimize(entries);
  }
}
SYSCALL_BENCHMARK(BM_Getdents64)->Arg(kDirEntries);

}  // namespace
}  // namespace bench
