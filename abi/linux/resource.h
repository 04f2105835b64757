// Resource limits and usage: getrlimit/setrlimit/prlimit64, getrusage/wait4, get/setpriority.
//
// Mirrors include/uapi/linux/resource.h and include/uapi/asm-generic/resource.h (x86-64 uses the
// generic numbering).
//
// Usage:
//   abi_linux::Rlimit64 lim{.rlim_cur = abi_linux::kRLIM_INFINITY, .rlim_max = ...};

#ifndef ABI_LINUX_RESOURCE_H_
#define ABI_LINUX_RESOURCE_H_

#include <cstddef>
#include <cstdint>

#include "abi/linux/time.h"

namespace abi_linux {

// Resources.
inline constexpr int kRLIMIT_CPU = 0;          // CPU time in seconds.
inline constexpr int kRLIMIT_FSIZE = 1;        // Maximum file size.
inline constexpr int kRLIMIT_DATA = 2;         // Maximum data size.
inline constexpr int kRLIMIT_STACK = 3;        // Maximum stack size.
inline constexpr int kRLIMIT_CORE = 4;         // Maximum core file size.
inline constexpr int kRLIMIT_RSS = 5;          // Maximum resident set size.
inline constexpr int kRLIMIT_NPROC = 6;        // Maximum number of processes.
inline constexpr int kRLIMIT_NOFILE = 7;       // Maximum number of open files.
inline constexpr int kRLIMIT_MEMLOCK = 8;      // Maximum locked-in-memory address space.
inline constexpr int kRLIMIT_AS = 9;           // Address space limit.
inline constexpr int kRLIMIT_LOCKS = 10;       // Maximum file locks held.
inline constexpr int kRLIMIT_SIGPENDING = 11;  // Maximum number of pending signals.
inline constexpr int kRLIMIT_MSGQUEUE = 12;    // Maximum bytes in POSIX message queues.
inline constexpr int kRLIMIT_NICE = 13;        // Maximum nice priority allowed to raise to.
inline constexpr int kRLIMIT_RTPRIO = 14;      // Maximum realtime priority.
inline constexpr int kRLIMIT_RTTIME = 15;      // Timeout for RT tasks in microseconds.
inline constexpr int kRLIM_NLIMITS = 16;

inline constexpr uint64_t kRLIM_INFINITY = ~0ULL;
inline constexpr uint64_t kRLIM64_INFINITY = ~0ULL;

// Default limits the kernel starts init with (INIT_RLIMITS in include/asm-generic/resource.h,
// from include/uapi/linux/resource.h and include/uapi/linux/fs.h).
inline constexpr uint64_t k_STK_LIM = 8 * 1024 * 1024;
inline constexpr uint64_t kMLOCK_LIMIT = 8 * 1024 * 1024;
inline constexpr uint64_t kINR_OPEN_CUR = 1024;  // RLIMIT_NOFILE soft.
inline constexpr uint64_t kINR_OPEN_MAX = 4096;  // RLIMIT_NOFILE hard.

// struct rlimit (getrlimit/setrlimit; unsigned long on x86-64).
struct Rlimit {
  uint64_t rlim_cur;
  uint64_t rlim_max;
};
static_assert(sizeof(Rlimit) == 16);
static_assert(offsetof(Rlimit, rlim_max) == 8);

// struct rlimit64 (prlimit64).
struct Rlimit64 {
  uint64_t rlim_cur;
  uint64_t rlim_max;
};
static_assert(sizeof(Rlimit64) == 16);
static_assert(offsetof(Rlimit64, rlim_max) == 8);

// getrusage who.
inline constexpr int kRUSAGE_SELF = 0;
inline constexpr int kRUSAGE_CHILDREN = -1;
inline constexpr int kRUSAGE_BOTH = -2;  // Kernel-internal (wait4).
inline constexpr int kRUSAGE_THREAD = 1;

struct Rusage {
  Timeval ru_utime;     // User time used.
  Timeval ru_stime;     // System time used.
  int64_t ru_maxrss;    // Maximum resident set size (KiB).
  int64_t ru_ixrss;     // Integral shared memory size.
  int64_t ru_idrss;     // Integral unshared data size.
  int64_t ru_isrss;     // Integral unshared stack size.
  int64_t ru_minflt;    // Page reclaims.
  int64_t ru_majflt;    // Page faults.
  int64_t ru_nswap;     // Swaps.
  int64_t ru_inblock;   // Block input operations.
  int64_t ru_oublock;   // Block output operations.
  int64_t ru_msgsnd;    // Messages sent.
  int64_t ru_msgrcv;    // Messages received.
  int64_t ru_nsignals;  // Signals received.
  int64_t ru_nvcsw;     // Voluntary context switches.
  int64_t ru_nivcsw;    // Involuntary context switches.
};
static_assert(sizeof(Rusage) == 144);
static_assert(offsetof(Rusage, ru_stime) == 16);
static_assert(offsetof(Rusage, ru_maxrss) == 32);
static_assert(offsetof(Rusage, ru_minflt) == 64);
static_assert(offsetof(Rusage, ru_nvcsw) == 128);
static_assert(offsetof(Rusage, ru_nivcsw) == 136);

// get/setpriority.
inline constexpr int kPRIO_MIN = -20;
inline constexpr int kPRIO_MAX = 20;
inline constexpr int kPRIO_PROCESS = 0;
inline constexpr int kPRIO_PGRP = 1;
inline constexpr int kPRIO_USER = 2;

}  // namespace abi_linux

#endif  // ABI_LINUX_RESOURCE_H_
