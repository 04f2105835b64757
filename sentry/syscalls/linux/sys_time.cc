// clock_gettime(2), clock_getres(2), gettimeofday(2), time(2),
// nanosleep(2), clock_nanosleep(2), times(2), getrusage(2).
//
// Wall and monotonic clocks are the host's. The process CPU-time clock is
// the CPU time of the stub process that runs the guest (what the interval
// timers count); the thread clock, times(2) and getrusage(2) are the
// sentry's per-task accounting (sentry/kernel/usage.h).
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "abi/linux/resource.h"
#include "abi/linux/time.h"
#include "absl/strings/str_cat.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

constexpr int64_t kNsPerSec = 1000000000;

bool ValidClock(int id) { return id >= L::kCLOCK_REALTIME && id <= L::kCLOCK_TAI && id != 10; }

L::Timespec FromNs(int64_t ns) { return {ns / kNsPerSec, ns % kNsPerSec}; }

// The guest process's CPU time as the platform measures it.
int64_t GuestCpuNs(Task& t) { return t.mm().address_space().CpuTimeNs(); }

// The calling thread's user and system time.
int64_t ThreadCpuNs(Task& t) {
  kernel::TaskUsage u = t.Usage();
  return u.utime_ns + u.stime_ns;
}

ErrnoOr<int64_t> ClockNow(Task& t, int id) {
  if (!ValidClock(id)) return Errno(EINVAL);
  if (id == L::kCLOCK_PROCESS_CPUTIME_ID) return GuestCpuNs(t);
  if (id == L::kCLOCK_THREAD_CPUTIME_ID) return ThreadCpuNs(t);
  if (id == L::kCLOCK_REALTIME_ALARM) id = L::kCLOCK_REALTIME;
  if (id == L::kCLOCK_BOOTTIME_ALARM) id = L::kCLOCK_BOOTTIME;
  timespec ts;
  if (clock_gettime(id, &ts) != 0) return Errno(errno);
  return ts.tv_sec * kNsPerSec + ts.tv_nsec;
}

ErrnoOr<int64_t> CopyInTimespecNs(Task& t, mm::UserAddr addr) {
  L::Timespec ts;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &ts));
  if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= kNsPerSec) return Errno(EINVAL);
  if (ts.tv_sec > INT64_MAX / kNsPerSec - 1) return INT64_MAX;
  return ts.tv_sec * kNsPerSec + ts.tv_nsec;
}

// Sleeps until `deadline` of clock `id` (absolute), or until a signal
// interrupts the task: then EINTR, with the time left in *left_ns.
ErrnoOrVoid SleepUntil(Task& t, int id, int64_t deadline, int64_t* left_ns) {
  while (true) {
    ASSIGN_OR_RETURN_ERRNO(int64_t now, ClockNow(t, id));
    if (now >= deadline) return {};
    // The task waits on the sentry's clock; re-check the guest clock after.
    absl::Time until = absl::Now() + absl::Nanoseconds(deadline - now);
    if (!t.Sleep(until)) {
      ASSIGN_OR_RETURN_ERRNO(now, ClockNow(t, id));
      if (left_ns) *left_ns = std::max<int64_t>(0, deadline - now);
      return Errno(EINTR);
    }
  }
}

}  // namespace

SyscallResult SysClockGettime(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(int64_t ns, ClockNow(t, a.Int(0)));
  return t.CopyOutObj(a.Addr(1), FromNs(ns));
}

SyscallResult SysClockGetres(Task& t, const SyscallArgs& a) {
  int id = a.Int(0);
  if (!ValidClock(id)) return Errno(EINVAL);
  if (a.Addr(1).IsNull()) return 0;
  int64_t res = 1;
  if (id == L::kCLOCK_REALTIME_COARSE || id == L::kCLOCK_MONOTONIC_COARSE) {
    timespec ts;
    if (clock_getres(id, &ts) == 0) res = ts.tv_sec * kNsPerSec + ts.tv_nsec;
  }
  return t.CopyOutObj(a.Addr(1), FromNs(res));
}

SyscallResult SysGettimeofday(Task& t, const SyscallArgs& a) {
  if (!a.Addr(0).IsNull()) {
    ASSIGN_OR_RETURN_ERRNO(int64_t ns, ClockNow(t, L::kCLOCK_REALTIME));
    L::Timeval tv{ns / kNsPerSec, (ns % kNsPerSec) / 1000};
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(0), tv));
  }
  if (!a.Addr(1).IsNull()) {
    L::Timezone tz{0, 0};
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), tz));
  }
  return 0;
}

SyscallResult SysTime(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(int64_t ns, ClockNow(t, L::kCLOCK_REALTIME));
  int64_t secs = ns / kNsPerSec;
  if (!a.Addr(0).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(0), secs));
  return secs;
}

namespace {

// The end of nanosleep/clock_nanosleep: an interrupted relative sleep
// writes the time left to `rem` and continues, if restarted, through
// restart_syscall(2) to the same deadline (ERESTART_RESTARTBLOCK); an
// absolute one simply runs again (ERESTARTNOHAND).
SyscallResult SleepAndRestart(Task& t, int id, int64_t deadline, bool relative, mm::UserAddr rem) {
  int64_t left = 0;
  ErrnoOrVoid r = SleepUntil(t, id, deadline, &left);
  if (r.ok() || r.error() != Errno(EINTR)) return r;
  if (!relative) return Errno(kernel::kERESTARTNOHAND);
  if (!rem.IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(rem, FromNs(left)));
  t.set_restart_block([id, deadline, rem](Task& t) {
    return SleepAndRestart(t, id, deadline, /*relative=*/true, rem);
  });
  return Errno(kernel::kERESTART_RESTARTBLOCK);
}

}  // namespace

SyscallResult SysNanosleep(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(int64_t dur, CopyInTimespecNs(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(int64_t now, ClockNow(t, L::kCLOCK_MONOTONIC));
  int64_t deadline = dur > INT64_MAX - now ? INT64_MAX : now + dur;
  return SleepAndRestart(t, L::kCLOCK_MONOTONIC, deadline, /*relative=*/true, a.Addr(1));
}

SyscallResult SysClockNanosleep(Task& t, const SyscallArgs& a) {
  int id = a.Int(0), flags = a.Int(1);
  if (id == L::kCLOCK_THREAD_CPUTIME_ID) return Errno(EINVAL);
  if (!ValidClock(id)) return Errno(EINVAL);
  if (id == L::kCLOCK_PROCESS_CPUTIME_ID || id == L::kCLOCK_MONOTONIC_RAW ||
      id == L::kCLOCK_REALTIME_COARSE || id == L::kCLOCK_MONOTONIC_COARSE) {
    return Errno(EOPNOTSUPP);  // Linux refuses to sleep on these
  }
  ASSIGN_OR_RETURN_ERRNO(int64_t value, CopyInTimespecNs(t, a.Addr(2)));
  if (id == L::kCLOCK_REALTIME_ALARM) id = L::kCLOCK_REALTIME;
  if (id == L::kCLOCK_BOOTTIME_ALARM) id = L::kCLOCK_BOOTTIME;
  int64_t deadline = value;
  bool relative = !(flags & L::kTIMER_ABSTIME);
  if (relative) {
    ASSIGN_OR_RETURN_ERRNO(int64_t now, ClockNow(t, id));
    deadline = value > INT64_MAX - now ? INT64_MAX : now + value;
  }
  return SleepAndRestart(t, id, deadline, relative, a.Addr(3));
}

// restart_syscall(2): continues the syscall a signal interrupted with
// ERESTART_RESTARTBLOCK.
SyscallResult SysRestartSyscall(Task& t, const SyscallArgs&) { return t.RunRestartBlock(); }

SyscallResult SysTimes(Task& t, const SyscallArgs& a) {
  if (!a.Addr(0).IsNull()) {
    kernel::TaskUsage self = t.thread_group().SelfUsage();
    kernel::TaskUsage children = t.thread_group().ChildrenUsage();
    L::Tms tms{kernel::NsToTicks(self.utime_ns), kernel::NsToTicks(self.stime_ns),
               kernel::NsToTicks(children.utime_ns), kernel::NsToTicks(children.stime_ns)};
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(0), tms));
  }
  // Ticks since an arbitrary point: the host's monotonic clock.
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return kernel::NsToTicks(ts.tv_sec * kNsPerSec + ts.tv_nsec);
}

SyscallResult SysGetrusage(Task& t, const SyscallArgs& a) {
  kernel::ThreadGroup& tg = t.thread_group();
  kernel::TaskUsage u;
  switch (a.Int(0)) {
    case L::kRUSAGE_SELF:
    case L::kRUSAGE_THREAD: {
      // The peak resident set includes the present one.
      tg.NoteResidentKb(kernel::ResidentKb(t.mm()));
      u = a.Int(0) == L::kRUSAGE_SELF ? tg.SelfUsage() : t.Usage();
      // Linux gives a thread its process's peak (the address space's).
      if (a.Int(0) == L::kRUSAGE_THREAD) u.maxrss_kb = tg.SelfUsage().maxrss_kb;
      break;
    }
    case L::kRUSAGE_CHILDREN:
      u = tg.ChildrenUsage();
      break;
    default:
      return Errno(EINVAL);
  }
  return t.CopyOutObj(a.Addr(1), kernel::ToRusage(u));
}

}  // namespace sentry::syscalls
