// System-call microbenchmarks without Google Benchmark, linked -static so the
// sandbox can run them today (it loads only static programs for now; Debian
// ships no static libbenchmark). Same operations as syscall_bench.cc, shared
// through bench_ops.h; output in Google Benchmark's console or JSON format.
//
//   build/bench/static_bench
//   build/bench/static_bench --benchmark_format=json --benchmark_min_time=0.05
//   build/runsc/runsc do build/bench/static_bench --benchmark_format=json
//   bench/compare.sh                                  # native vs sandbox table
//
// Timing. Reading the clock is itself a system call here (raw clock_gettime,
// no vDSO), which costs a ptrace round trip in the sandbox, so the clock is read
// only around batches of iterations. A warm-up phase (a tenth of the budget,
// discarded) estimates the cost of one iteration; the measured phase then runs
// batches sized to last about 1/20 of the budget each, until the budget is
// spent, and reports total time / total iterations. The clock is thus read
// ~40 times per benchmark whatever one iteration costs.
//
// Flags (a subset of Google Benchmark's, same spelling):
//   --benchmark_format=console|json   default console
//   --benchmark_min_time=SECONDS      time budget per benchmark, default 0.3;
//                                     a trailing "s" is accepted
//   --benchmark_filter=REGEX          run only benchmarks whose name matches
//
// The file benchmarks' files live in a fresh directory under /tmp
// (fs_fixture.h); $BENCH_FILE_SIZE sets the size of the sequential read and
// write (default 1 GiB).
#include <fcntl.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_ops.h"
#include "bench/fs_fixture.h"

namespace bench {
namespace {

constexpr double kDefaultMinTimeSeconds = 0.3;
constexpr int kBatchesPerBudget = 20;     // measured batches per benchmark
constexpr double kWarmupFraction = 0.1;   // of the budget, discarded
constexpr int64_t kMaxBatchGrowth = 10;   // a batch is at most 10x the last

// Keeps `value` (and the work that produced it) from being optimised away, as
// Google Benchmark's DoNotOptimize does.
template <typename T>
inline void DoNotOptimize(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

std::string ErrnoMessage(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

// CLOCK_MONOTONIC (or `clock`) in nanoseconds, through the raw system call.
// The benchmark cannot go on without a clock: a failure ends the program.
int64_t NowNs(clockid_t clock = CLOCK_MONOTONIC) {
  timespec ts{};
  if (syscall(SYS_clock_gettime, clock, &ts) != 0) {
    std::fprintf(stderr, "static_bench: clock_gettime(%d): %s\n", static_cast<int>(clock),
                 std::strerror(errno));
    std::exit(1);
  }
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// CPU time of the process, if the kernel (or sandbox) provides it.
std::optional<int64_t> ProcessCpuNs() {
  timespec ts{};
  if (syscall(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return std::nullopt;
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Options {
  bool json = false;
  double min_time_seconds = kDefaultMinTimeSeconds;
  std::optional<std::regex> filter;
};

struct Result {
  std::string name;
  int64_t iterations = 0;
  double real_ns = 0;                // per iteration
  std::optional<double> cpu_ns;      // per iteration, if CPU time was readable
  int64_t bytes_per_iteration = 0;   // 0: no bytes_per_second
  std::string label;                 // Google Benchmark's label, e.g. the file size
  std::string error;                 // non-empty: the benchmark did not run
};

// Runs `n` iterations of one benchmark; returns false with errno set on failure.
using Body = std::function<bool(int64_t n)>;

class Suite {
 public:
  explicit Suite(const Options& options)
      : options_(options),
        budget_ns_(static_cast<int64_t>(options.min_time_seconds * 1e9)) {}

  bool Selected(const std::string& name) const {
    return !options_.filter || std::regex_search(name, *options_.filter);
  }

  // Times `body` for the budget and records the result.
  void Run(const std::string& name, int64_t bytes_per_iteration, const Body& body,
           std::string label = "") {
    Result r;
    r.name = name;
    r.bytes_per_iteration = bytes_per_iteration;
    r.label = std::move(label);
    Measure(body, r);
    results_.push_back(std::move(r));
  }

  // Records a benchmark that could not be set up, as Google Benchmark's
  // SkipWithError does.
  void Skip(const std::string& name, std::string error) {
    Result r;
    r.name = name;
    r.error = std::move(error);
    results_.push_back(std::move(r));
  }

  const std::vector<Result>& results() const { return results_; }

 private:
  // Runs one batch; returns its duration, or nullopt (errno set) on failure.
  static std::optional<int64_t> Batch(const Body& body, int64_t n) {
    const int64_t start = NowNs();
    if (!body(n)) return std::nullopt;
    return NowNs() - start;
  }

  // How many iterations fill `target_ns` at `ns_per_iter`, growing at most
  // kMaxBatchGrowth-fold over `last`.
  static int64_t NextBatch(double ns_per_iter, int64_t target_ns, int64_t last) {
    const double want = ns_per_iter > 0 ? target_ns / ns_per_iter : 1e18;
    const double capped = std::min(want, static_cast<double>(last * kMaxBatchGrowth));
    return std::max<int64_t>(1, static_cast<int64_t>(capped));
  }

  void Measure(const Body& body, Result& r) const {
    const int64_t batch_target = std::max<int64_t>(1, budget_ns_ / kBatchesPerBudget);

    // Warm-up: grow the batch from one iteration until the warm-up budget is
    // spent; what it measures only sizes the batches below.
    int64_t n = 1;
    int64_t warm_ns = 0;
    double ns_per_iter = 0;
    while (warm_ns < static_cast<int64_t>(budget_ns_ * kWarmupFraction)) {
      const std::optional<int64_t> t = Batch(body, n);
      if (!t) {
        r.error = ErrnoMessage(r.name.c_str(), errno);
        return;
      }
      warm_ns += *t;
      ns_per_iter = static_cast<double>(*t) / static_cast<double>(n);
      n = NextBatch(ns_per_iter, batch_target, n);
    }

    // Measured phase.
    const std::optional<int64_t> cpu_start = ProcessCpuNs();
    int64_t total_n = 0;
    int64_t total_ns = 0;
    while (total_ns < budget_ns_) {
      const std::optional<int64_t> t = Batch(body, n);
      if (!t) {
        r.error = ErrnoMessage(r.name.c_str(), errno);
        return;
      }
      total_n += n;
      total_ns += *t;
      ns_per_iter = static_cast<double>(total_ns) / static_cast<double>(total_n);
      // Do not overshoot the budget by more than one batch's worth.
      const int64_t target = std::min(batch_target, std::max<int64_t>(1, budget_ns_ - total_ns));
      n = NextBatch(ns_per_iter, target, n);
    }
    const std::optional<int64_t> cpu_end = ProcessCpuNs();

    r.iterations = total_n;
    r.real_ns = ns_per_iter;
    if (cpu_start && cpu_end) {
      r.cpu_ns = static_cast<double>(*cpu_end - *cpu_start) / static_cast<double>(total_n);
    }
  }

  const Options& options_;
  const int64_t budget_ns_;
  std::vector<Result> results_;
};

// The file-system benchmarks; their files are made by FsFixture, outside the
// timed loop, the first time a selected benchmark needs them.
void RunFileSystem(Suite& suite) {
  FsFixture& fs = FsFixture::Get();

  if (suite.Selected("BM_OpenClose")) {
    const std::string& path = fs.SmallFile();
    if (path.empty()) {
      suite.Skip("BM_OpenClose", fs.error());
    } else {
      suite.Run("BM_OpenClose", 0, [&path](int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
          if (!OpenClose(path.c_str())) return false;
        }
        return true;
      });
    }
  }

  if (suite.Selected("BM_Stat")) {
    const std::string& path = fs.SmallFile();
    if (path.empty()) {
      suite.Skip("BM_Stat", fs.error());
    } else {
      suite.Run("BM_Stat", 0, [&path](int64_t n) {
        struct stat st {};
        for (int64_t i = 0; i < n; ++i) {
          if (!Stat(path.c_str(), &st)) return false;
          DoNotOptimize(st);
        }
        return true;
      });
    }
  }

  // One iteration reads (or writes) the whole file, FileSize() bytes.
  const std::string read_name = "BM_SeqReadFile/" + std::to_string(kFileChunk);
  if (suite.Selected(read_name)) {
    const uint64_t size = fs.FileSize();
    const int fd = size == 0 ? -1 : fs.ReadFile();
    if (fd < 0) {
      suite.Skip(read_name, fs.error());
    } else {
      std::vector<char> buf(kFileChunk, 1);  // faulted in before timing
      suite.Run(
          read_name, static_cast<int64_t>(size),
          [fd, size, &buf](int64_t n) {
            for (int64_t i = 0; i < n; ++i) {
              const int64_t got = ReadWholeFile(fd, buf.data(), buf.size());
              if (got < 0) return false;
              if (static_cast<uint64_t>(got) != size) {  // the file changed size?
                errno = EIO;
                return false;
              }
            }
            return true;
          },
          SizeLabel(size));
      fs.CloseReadFile();  // give the memory back before the next benchmark
    }
  }

  const std::string write_name = "BM_SeqWriteFile/" + std::to_string(kFileChunk);
  if (suite.Selected(write_name)) {
    const uint64_t size = fs.FileSize();
    const int fd = size == 0 ? -1 : fs.WriteFile();
    if (fd < 0) {
      suite.Skip(write_name, fs.error());
    } else {
      const std::vector<char> buf(kFileChunk, 'w');
      suite.Run(
          write_name, static_cast<int64_t>(size),
          [fd, size, &buf](int64_t n) {
            for (int64_t i = 0; i < n; ++i) {
              if (!RewriteWholeFile(fd, buf.data(), buf.size(), size)) return false;
            }
            return true;
          },
          SizeLabel(size));
      fs.CloseWriteFile();
    }
  }

  const std::string dir_name = "BM_Getdents64/" + std::to_string(kDirEntries);
  if (suite.Selected(dir_name)) {
    const std::string& path = fs.Directory();
    if (path.empty()) {
      suite.Skip(dir_name, fs.error());
    } else {
      std::vector<char> buf(kDirentBuffer);
      suite.Run(dir_name, 0, [&path, &buf](int64_t n) {
        for (int64_t i = 0; i < n; ++i) {
          const int64_t entries = ReadDirectory(path.c_str(), buf.data(), buf.size());
          if (entries < 0) return false;
          DoNotOptimize(entries);
        }
        return true;
      });
    }
  }
}

void RunAll(Suite& suite) {
  const size_t page_size = static_cast<size_t>(sysconf(_SC_PAGESIZE));

  if (suite.Selected("BM_Getpid")) {
    suite.Run("BM_Getpid", 0, [](int64_t n) {
      for (int64_t i = 0; i < n; ++i) DoNotOptimize(RawGetpid());
      return true;
    });
  }

  if (suite.Selected("BM_ClockGettime")) {
    suite.Run("BM_ClockGettime", 0, [](int64_t n) {
      timespec ts{};
      for (int64_t i = 0; i < n; ++i) {
        if (RawClockGettimeMonotonic(&ts) != 0) return false;
        DoNotOptimize(ts);
      }
      return true;
    });
  }

  const std::string mmap_name = "BM_MmapMunmap/" + std::to_string(kSmallMapping);
  if (suite.Selected(mmap_name)) {
    suite.Run(mmap_name, 0, [](int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        if (!MmapMunmap(kSmallMapping)) return false;
      }
      return true;
    });
  }

  for (const size_t len : {kTouchSmall, kTouchLarge}) {
    const std::string name = "BM_MmapTouchMunmap/" + std::to_string(len);
    if (!suite.Selected(name)) continue;
    suite.Run(name, static_cast<int64_t>(len), [len, page_size](int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        if (!MmapTouchMunmap(len, page_size)) return false;
      }
      return true;
    });
  }

  if (suite.Selected("BM_ReadDevZero")) {
    const int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      suite.Skip("BM_ReadDevZero", ErrnoMessage("open(/dev/zero)", errno));
    } else {
      suite.Run("BM_ReadDevZero", 0, [fd](int64_t n) {
        char byte = 1;
        for (int64_t i = 0; i < n; ++i) {
          if (ReadOneByte(fd, &byte) != 1) return false;
          DoNotOptimize(byte);
        }
        return true;
      });
      close(fd);
    }
  }

  if (suite.Selected("BM_WriteDevNull")) {
    const int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      suite.Skip("BM_WriteDevNull", ErrnoMessage("open(/dev/null)", errno));
    } else {
      suite.Run("BM_WriteDevNull", 0, [fd](int64_t n) {
        const char byte = 0;
        for (int64_t i = 0; i < n; ++i) {
          if (WriteOneByte(fd, &byte) != 1) return false;
        }
        return true;
      });
      close(fd);
    }
  }

  RunFileSystem(suite);
}

// ---- Output ----------------------------------------------------------------

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string DateUtc() {
  timespec ts{};
  if (syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts) != 0) return "";
  tm utc{};
  gmtime_r(&ts.tv_sec, &utc);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S+00:00", &utc);
  return buf;
}

int NumCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

void PrintJson(const std::vector<Result>& results, const char* argv0) {
  utsname u{};
  const std::string host = uname(&u) == 0 ? u.nodename : "";
  std::printf("{\n  \"context\": {\n");
  std::printf("    \"date\": %s,\n", JsonString(DateUtc()).c_str());
  std::printf("    \"host_name\": %s,\n", JsonString(host).c_str());
  std::printf("    \"executable\": %s,\n", JsonString(argv0).c_str());
  std::printf("    \"num_cpus\": %d,\n", NumCpus());
  std::printf("    \"library_build_type\": \"%s\",\n",
#ifdef NDEBUG
              "release"
#else
              "debug"
#endif
  );
  std::printf("    \"benchmark_program\": \"static_bench\"\n  },\n");
  std::printf("  \"benchmarks\": [");
  for (size_t i = 0; i < results.size(); ++i) {
    const Result& r = results[i];
    std::printf("%s\n    {\n", i == 0 ? "" : ",");
    std::printf("      \"name\": %s,\n", JsonString(r.name).c_str());
    std::printf("      \"family_index\": %zu,\n", i);
    std::printf("      \"per_family_instance_index\": 0,\n");
    std::printf("      \"run_name\": %s,\n", JsonString(r.name).c_str());
    std::printf("      \"run_type\": \"iteration\",\n");
    std::printf("      \"repetitions\": 1,\n      \"repetition_index\": 0,\n");
    std::printf("      \"threads\": 1,\n");
    if (!r.error.empty()) {
      std::printf("      \"error_occurred\": true,\n");
      std::printf("      \"error_message\": %s,\n", JsonString(r.error).c_str());
    }
    if (!r.label.empty()) std::printf("      \"label\": %s,\n", JsonString(r.label).c_str());
    std::printf("      \"iterations\": %" PRId64 ",\n", r.iterations);
    std::printf("      \"real_time\": %.3f,\n", r.real_ns);
    if (r.cpu_ns) std::printf("      \"cpu_time\": %.3f,\n", *r.cpu_ns);
    if (r.bytes_per_iteration != 0 && r.real_ns > 0) {
      std::printf("      \"bytes_per_second\": %.6e,\n",
                  static_cast<double>(r.bytes_per_iteration) * 1e9 / r.real_ns);
    }
    std::printf("      \"time_unit\": \"ns\"\n    }");
  }
  std::printf("\n  ]\n}\n");
}

void PrintConsole(const std::vector<Result>& results) {
  // Inside the sandbox the work happens in the sentry, whose time the guest's
  // CPU clock does not include: Time (wall clock) is the figure to read.
  std::printf("static_bench: Time is wall-clock per operation; CPU is this process's own\n");
  const std::string rule(78, '-');
  std::printf("%s\n%-30s %15s %15s %12s\n%s\n", rule.c_str(), "Benchmark", "Time", "CPU",
              "Iterations", rule.c_str());
  for (const Result& r : results) {
    if (!r.error.empty()) {
      std::printf("%-30s ERROR OCCURRED: '%s'\n", r.name.c_str(), r.error.c_str());
      continue;
    }
    std::string cpu = "-";
    if (r.cpu_ns) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.0f ns", *r.cpu_ns);
      cpu = buf;
    }
    std::printf("%-30s %12.0f ns %15s %12" PRId64, r.name.c_str(), r.real_ns, cpu.c_str(),
                r.iterations);
    if (r.bytes_per_iteration != 0 && r.real_ns > 0) {
      const double mib_per_s = static_cast<double>(r.bytes_per_iteration) * 1e9 / r.real_ns /
                               (1024.0 * 1024.0);
      std::printf(" bytes_per_second=%.1fMi/s", mib_per_s);
    }
    if (!r.label.empty()) std::printf(" %s", r.label.c_str());
    std::printf("\n");
  }
}

// ---- Flags -----------------------------------------------------------------

void Usage(FILE* out) {
  std::fprintf(out,
               "usage: static_bench [--benchmark_format=console|json]\n"
               "                    [--benchmark_min_time=SECONDS] [--benchmark_filter=REGEX]\n");
}

// Parses argv into `options`; returns false (after a message) on a bad flag.
bool ParseFlags(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value_of = [&](std::string_view flag) -> std::optional<std::string> {
      if (arg.substr(0, flag.size()) == flag && arg.size() > flag.size() &&
          arg[flag.size()] == '=') {
        return std::string(arg.substr(flag.size() + 1));
      }
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      Usage(stdout);
      std::exit(0);
    } else if (const auto v = value_of("--benchmark_format")) {
      if (*v != "json" && *v != "console") {
        std::fprintf(stderr, "static_bench: unknown format '%s'\n", v->c_str());
        return false;
      }
      options.json = *v == "json";
    } else if (const auto v = value_of("--benchmark_min_time")) {
      std::string s = *v;
      if (!s.empty() && s.back() == 's') s.pop_back();
      char* end = nullptr;
      const double seconds = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !(seconds > 0)) {
        std::fprintf(stderr, "static_bench: bad --benchmark_min_time '%s'\n", v->c_str());
        return false;
      }
      options.min_time_seconds = seconds;
    } else if (const auto v = value_of("--benchmark_filter")) {
      try {
        options.filter.emplace(*v);
      } catch (const std::regex_error& e) {
        std::fprintf(stderr, "static_bench: bad --benchmark_filter '%s': %s\n", v->c_str(),
                     e.what());
        return false;
      }
    } else {
      std::fprintf(stderr, "static_bench: unrecognized flag '%s'\n", argv[i]);
      Usage(stderr);
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  bench::Options options;
  if (!bench::ParseFlags(argc, argv, options)) return 2;
  bench::Suite suite(options);
  bench::RunAll(suite);
  if (options.json) {
    bench::PrintJson(suite.results(), argv[0]);
  } else {
    bench::PrintConsole(suite.results());
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
