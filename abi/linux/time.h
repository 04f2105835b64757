// Time: timespec/timeval and friends, clock ids, interval timers, times(2), adjtimex.
//
// Mirrors include/uapi/linux/time.h, include/uapi/linux/time_types.h (__kernel_timespec),
// include/uapi/linux/times.h, include/uapi/linux/timex.h and the CPU-clock id encoding of
// include/linux/posix-timers_types.h. On x86-64 time_t and long are 64 bits, so struct timespec and
// struct __kernel_timespec agree.
//
// Usage:
//   abi_linux::Timespec ts;  // copied in from the guest
//   if (ts.tv_nsec < 0 || ts.tv_nsec >= 1'000'000'000) return -kEINVAL;

#ifndef ABI_LINUX_TIME_H_
#define ABI_LINUX_TIME_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

struct Timespec {
  int64_t tv_sec;
  int64_t tv_nsec;
};
static_assert(sizeof(Timespec) == 16);
static_assert(offsetof(Timespec, tv_nsec) == 8);

struct Timeval {
  int64_t tv_sec;
  int64_t tv_usec;
};
static_assert(sizeof(Timeval) == 16);
static_assert(offsetof(Timeval, tv_usec) == 8);

struct Timezone {
  int32_t tz_minuteswest;
  int32_t tz_dsttime;
};
static_assert(sizeof(Timezone) == 8);
static_assert(offsetof(Timezone, tz_dsttime) == 4);

struct Itimerspec {
  Timespec it_interval;
  Timespec it_value;
};
static_assert(sizeof(Itimerspec) == 32);
static_assert(offsetof(Itimerspec, it_value) == 16);

struct Itimerval {
  Timeval it_interval;
  Timeval it_value;
};
static_assert(sizeof(Itimerval) == 32);
static_assert(offsetof(Itimerval, it_value) == 16);

// struct tms (times(2)); clock_t is long, in USER_HZ ticks.
struct Tms {
  int64_t tms_utime;
  int64_t tms_stime;
  int64_t tms_cutime;
  int64_t tms_cstime;
};
static_assert(sizeof(Tms) == 32);
static_assert(offsetof(Tms, tms_stime) == 8);
static_assert(offsetof(Tms, tms_cutime) == 16);
static_assert(offsetof(Tms, tms_cstime) == 24);

// Clock ids.
inline constexpr int kCLOCK_REALTIME = 0;
inline constexpr int kCLOCK_MONOTONIC = 1;
inline constexpr int kCLOCK_PROCESS_CPUTIME_ID = 2;
inline constexpr int kCLOCK_THREAD_CPUTIME_ID = 3;
inline constexpr int kCLOCK_MONOTONIC_RAW = 4;
inline constexpr int kCLOCK_REALTIME_COARSE = 5;
inline constexpr int kCLOCK_MONOTONIC_COARSE = 6;
inline constexpr int kCLOCK_BOOTTIME = 7;
inline constexpr int kCLOCK_REALTIME_ALARM = 8;
inline constexpr int kCLOCK_BOOTTIME_ALARM = 9;
inline constexpr int kCLOCK_SGI_CYCLE = 10;  // Unused.
inline constexpr int kCLOCK_TAI = 11;
inline constexpr int kMAX_CLOCKS = 16;

// Negative clock ids name a process's or thread's CPU clock (clock_getcpuclockid,
// pthread_getcpuclockid): id = (~pid << 3) | (perthread ? CPUCLOCK_PERTHREAD_MASK : 0) | which.
// A clockid with which == CLOCKFD is a dynamic clock backed by an fd: id = (~fd << 3) | 3.
inline constexpr int kCPUCLOCK_PROF = 0;
inline constexpr int kCPUCLOCK_VIRT = 1;
inline constexpr int kCPUCLOCK_SCHED = 2;
inline constexpr int kCPUCLOCK_MAX = 3;
inline constexpr int kCLOCKFD = kCPUCLOCK_MAX;
inline constexpr int kCLOCKFD_MASK = 4 | 3;  // CPUCLOCK_PERTHREAD_MASK | CPUCLOCK_CLOCK_MASK.
inline constexpr int kCPUCLOCK_PERTHREAD_MASK = 4;
inline constexpr int kCPUCLOCK_CLOCK_MASK = 3;

// clock_nanosleep / timer_settime / timerfd_settime flag.
inline constexpr int kTIMER_ABSTIME = 0x01;

// Interval timers (setitimer/getitimer).
inline constexpr int kITIMER_REAL = 0;
inline constexpr int kITIMER_VIRTUAL = 1;
inline constexpr int kITIMER_PROF = 2;

// Ticks per second of the clock_t values the kernel reports (times(2), /proc/<pid>/stat);
// the value of AT_CLKTCK and sysconf(_SC_CLK_TCK).
inline constexpr int64_t kUSER_HZ = 100;

// struct timex (adjtimex, clock_adjtime), x86-64: identical to struct __kernel_timex.
struct Timex {
  uint32_t modes;  // ADJ_* mode selector.
  int32_t pad0;
  int64_t offset;    // Time offset (usec, or nsec with STA_NANO).
  int64_t freq;      // Frequency offset (scaled ppm).
  int64_t maxerror;  // Maximum error (usec).
  int64_t esterror;  // Estimated error (usec).
  int32_t status;    // STA_* clock command/status.
  int32_t pad1;
  int64_t constant;   // PLL time constant.
  int64_t precision;  // Clock precision (usec, read-only).
  int64_t tolerance;  // Clock frequency tolerance (ppm, read-only).
  Timeval time;       // Current time (read-only, except for ADJ_SETOFFSET).
  int64_t tick;       // Usecs between clock ticks.
  int64_t ppsfreq;    // PPS frequency (read-only).
  int64_t jitter;     // PPS jitter (read-only).
  int32_t shift;      // Interval duration (s) (shift) (read-only).
  int32_t pad2;
  int64_t stabil;  // PPS stability (read-only).
  int64_t jitcnt;  // Jitter limit exceeded (read-only).
  int64_t calcnt;  // Calibration intervals (read-only).
  int64_t errcnt;  // Calibration errors (read-only).
  int64_t stbcnt;  // Stability limit exceeded (read-only).
  int32_t tai;     // TAI offset (read-only).
  int32_t reserved[11];
};
static_assert(sizeof(Timex) == 208);
static_assert(offsetof(Timex, offset) == 8);
static_assert(offsetof(Timex, status) == 40);
static_assert(offsetof(Timex, constant) == 48);
static_assert(offsetof(Timex, time) == 72);
static_assert(offsetof(Timex, tick) == 88);
static_assert(offsetof(Timex, shift) == 112);
static_assert(offsetof(Timex, stabil) == 120);
static_assert(offsetof(Timex, tai) == 160);

// Timex modes.
inline constexpr uint32_t kADJ_OFFSET = 0x0001;
inline constexpr uint32_t kADJ_FREQUENCY = 0x0002;
inline constexpr uint32_t kADJ_MAXERROR = 0x0004;
inline constexpr uint32_t kADJ_ESTERROR = 0x0008;
inline constexpr uint32_t kADJ_STATUS = 0x0010;
inline constexpr uint32_t kADJ_TIMECONST = 0x0020;
inline constexpr uint32_t kADJ_TAI = 0x0080;
inline constexpr uint32_t kADJ_SETOFFSET = 0x0100;
inline constexpr uint32_t kADJ_MICRO = 0x1000;
inline constexpr uint32_t kADJ_NANO = 0x2000;
inline constexpr uint32_t kADJ_TICK = 0x4000;
inline constexpr uint32_t kADJ_OFFSET_SINGLESHOT = 0x8001;
inline constexpr uint32_t kADJ_OFFSET_SS_READ = 0xa001;

// Timex status bits.
inline constexpr int32_t kSTA_PLL = 0x0001;
inline constexpr int32_t kSTA_PPSFREQ = 0x0002;
inline constexpr int32_t kSTA_PPSTIME = 0x0004;
inline constexpr int32_t kSTA_FLL = 0x0008;
inline constexpr int32_t kSTA_INS = 0x0010;
inline constexpr int32_t kSTA_DEL = 0x0020;
inline constexpr int32_t kSTA_UNSYNC = 0x0040;
inline constexpr int32_t kSTA_FREQHOLD = 0x0080;
inline constexpr int32_t kSTA_PPSSIGNAL = 0x0100;
inline constexpr int32_t kSTA_PPSJITTER = 0x0200;
inline constexpr int32_t kSTA_PPSWANDER = 0x0400;
inline constexpr int32_t kSTA_PPSERROR = 0x0800;
inline constexpr int32_t kSTA_CLOCKERR = 0x1000;
inline constexpr int32_t kSTA_NANO = 0x2000;
inline constexpr int32_t kSTA_MODE = 0x4000;
inline constexpr int32_t kSTA_CLK = 0x8000;

// adjtimex return values (clock state).
inline constexpr int kTIME_OK = 0;
inline constexpr int kTIME_INS = 1;
inline constexpr int kTIME_DEL = 2;
inline constexpr int kTIME_OOP = 3;
inline constexpr int kTIME_WAIT = 4;
inline constexpr int kTIME_ERROR = 5;

}  // namespace abi_linux

#endif  // ABI_LINUX_TIME_H_
