// Resource usage of a task, a process or its reaped children: what
// getrusage(2), times(2), wait4(2), the CPU-time clocks and /proc/PID/stat
// report.
//
//   TaskUsage u = task.Usage();          // one thread, now
//   TaskUsage p = tg.SelfUsage();        // its process (live + exited threads)
//   abi_linux::Rusage ru = ToRusage(p);
//
// How the sentry measures a task (Task::Run):
//   - user time is the time the task spends inside the platform's Switch,
//     i.e. running guest code (two monotonic clock reads per switch, through
//     the vDSO);
//   - system time is the time spent outside Switch handling what the guest
//     asked for, but never more than the CPU time the task's sentry thread
//     has used: blocking in a syscall (sleep, wait, a futex) is neither, as
//     on Linux. The sentry thread's CPU clock is read only when asked.
// A host CPU the guest shares with other host work makes user time run
// ahead of the guest's real CPU time (it is elapsed time in the guest).
#ifndef SENTRY_KERNEL_USAGE_H_
#define SENTRY_KERNEL_USAGE_H_

#include <algorithm>
#include <cstdint>

#include "abi/linux/resource.h"
#include "sentry/mm/memory_manager.h"

namespace sentry::kernel {

struct TaskUsage {
  int64_t utime_ns = 0;
  int64_t stime_ns = 0;
  int64_t maxrss_kb = 0;  // peak resident set (processes; children: the largest)
  uint64_t minflt = 0;    // guest page faults the sentry resolved
  uint64_t majflt = 0;    // faults that waited for I/O (none: files are read at fault time)

  // Sums times and counts; keeps the larger peak (Linux's accounting of
  // exited threads and of reaped children alike).
  TaskUsage& operator+=(const TaskUsage& o) {
    utime_ns += o.utime_ns;
    stime_ns += o.stime_ns;
    maxrss_kb = std::max(maxrss_kb, o.maxrss_kb);
    minflt += o.minflt;
    majflt += o.majflt;
    return *this;
  }
};

inline abi_linux::Rusage ToRusage(const TaskUsage& u) {
  abi_linux::Rusage r{};
  r.ru_utime = {u.utime_ns / 1000000000, (u.utime_ns % 1000000000) / 1000};
  r.ru_stime = {u.stime_ns / 1000000000, (u.stime_ns % 1000000000) / 1000};
  r.ru_maxrss = u.maxrss_kb;
  r.ru_minflt = static_cast<int64_t>(u.minflt);
  r.ru_majflt = static_cast<int64_t>(u.majflt);
  return r;
}

// The resident set of an address space now, in KiB (what ru_maxrss's peak
// is made of).
inline int64_t ResidentKb(const mm::MemoryManager& mm) {
  uint64_t bytes = 0;
  for (const auto& v : mm.VmaSnapshot()) bytes += v.resident;
  return static_cast<int64_t>(bytes / 1024);
}

// Clock ticks (USER_HZ, 100 a second) as times(2) and /proc report them.
inline constexpr int64_t kUserHz = 100;
inline int64_t NsToTicks(int64_t ns) { return ns / (1000000000 / kUserHz); }

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_USAGE_H_
