// alarm(2), getitimer(2), setitimer(2), timer_create(2), timer_settime(2),
// timer_gettime(2), timer_getoverrun(2), timer_delete(2),
// timerfd_create(2), timerfd_settime(2), timerfd_gettime(2).
//
// The timers run on the kernel's timer thread (sentry/kernel/timers.h);
// a process's own are kept by its ThreadGroup. Wall-clock timers count on
// the host's clocks; CPU-time ones (ITIMER_VIRTUAL, ITIMER_PROF,
// CLOCK_PROCESS_CPUTIME_ID) on the CPU time the platform measures for the
// guest process, checked every 10 ms.
#include <memory>

#include "abi/linux/resource.h"
#include "abi/linux/signal.h"
#include "abi/linux/time.h"
#include "abi/linux/timerfd.h"
#include "sentry/fsimpl/timerfd/timerfd.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/kernel/timers.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;
using kernel::kNsPerSec;
using kernel::TimerClock;
using kernel::TimerValue;

namespace {

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

int64_t SatNs(int64_t sec, int64_t sub_ns) {
  if (sec > (INT64_MAX - sub_ns) / kNsPerSec) return INT64_MAX;
  return sec * kNsPerSec + sub_ns;
}

ErrnoOr<int64_t> TimespecNs(const L::Timespec& ts) {
  if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= kNsPerSec) return Errno(EINVAL);
  return SatNs(ts.tv_sec, ts.tv_nsec);
}

ErrnoOr<int64_t> TimevalNs(const L::Timeval& tv) {
  if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000) return Errno(EINVAL);
  return SatNs(tv.tv_sec, tv.tv_usec * 1000);
}

L::Timespec NsTimespec(int64_t ns) { return {ns / kNsPerSec, ns % kNsPerSec}; }

// Microseconds, rounded up so an armed timer never reads as disarmed.
L::Timeval NsTimeval(int64_t ns) {
  int64_t us = ns / 1000 + (ns % 1000 != 0);
  return {us / 1000000, us % 1000000};
}

L::Itimerspec ToItimerspec(TimerValue v) {
  return {NsTimespec(v.period_ns), NsTimespec(v.value_ns)};
}

L::Itimerval ToItimerval(TimerValue v) { return {NsTimeval(v.period_ns), NsTimeval(v.value_ns)}; }

ErrnoOr<TimerValue> CopyInItimerspec(Task& t, mm::UserAddr addr) {
  L::Itimerspec its;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &its));
  ASSIGN_OR_RETURN_ERRNO(int64_t value, TimespecNs(its.it_value));
  ASSIGN_OR_RETURN_ERRNO(int64_t period, TimespecNs(its.it_interval));
  return TimerValue{value, period};
}

// The clock of a POSIX timer (timer_create) or a timer file.
ErrnoOr<TimerClock> ClockFor(Task& t, int id, bool timerfd) {
  switch (id) {
    case L::kCLOCK_REALTIME:
    case L::kCLOCK_REALTIME_ALARM:
      return TimerClock::kRealtime;
    case L::kCLOCK_MONOTONIC:
      return TimerClock::kMonotonic;
    case L::kCLOCK_BOOTTIME:
    case L::kCLOCK_BOOTTIME_ALARM:
      return TimerClock::kBoottime;
    default:
      break;
  }
  if (timerfd) return Errno(EINVAL);
  if (id == L::kCLOCK_PROCESS_CPUTIME_ID || id == L::kCLOCK_THREAD_CPUTIME_ID) {
    return TimerClock::kCpu;
  }
  if (id < 0) {
    // A CPU clock by pid (clock_getcpuclockid): only this process's.
    if ((id & L::kCPUCLOCK_CLOCK_MASK) == L::kCLOCKFD) return Errno(EINVAL);
    int pid = ~(id >> 3);
    bool mine = pid == 0 || pid == t.thread_group().pid();
    if (!mine && (id & L::kCPUCLOCK_PERTHREAD_MASK)) {
      Task* thread = t.kernel().TaskByTid(pid);
      mine = thread != nullptr && &thread->thread_group() == &t.thread_group();
    }
    if (!mine) return Errno(EINVAL);
    return TimerClock::kCpu;
  }
  if (id == L::kCLOCK_MONOTONIC_RAW || id == L::kCLOCK_REALTIME_COARSE ||
      id == L::kCLOCK_MONOTONIC_COARSE) {
    return Errno(EOPNOTSUPP);  // Linux has no timers on these
  }
  return Errno(EINVAL);  // CLOCK_TAI timers are not offered
}

// ---- timerfd ----

// A timer file's countdown: a kernel timer whose expiries it counts.
class KernelCountdown : public fsimpl::timerfd::Countdown {
 public:
  KernelCountdown(kernel::TimerQueue& q, TimerClock clock,
                  std::weak_ptr<fsimpl::timerfd::TimerFd> file)
      : listener_(std::make_shared<Listener>(std::move(file))),
        timer_(q.NewTimer(clock, listener_)) {}

  fsimpl::timerfd::Setting Set(fsimpl::timerfd::Setting s, bool absolute) override {
    TimerValue old = timer_->Set({s.value_ns, s.period_ns}, absolute);
    return {old.value_ns, old.period_ns};
  }
  fsimpl::timerfd::Setting Get() override {
    TimerValue v = timer_->Get();
    return {v.value_ns, v.period_ns};
  }

 private:
  struct Listener : kernel::TimerListener {
    explicit Listener(std::weak_ptr<fsimpl::timerfd::TimerFd> f) : file(std::move(f)) {}
    void Expired(uint64_t count) override {
      if (auto f = file.lock()) f->AddExpirations(count);
    }
    std::weak_ptr<fsimpl::timerfd::TimerFd> file;
  };
  std::shared_ptr<Listener> listener_;
  std::unique_ptr<kernel::Timer> timer_;
};

ErrnoOr<std::shared_ptr<fsimpl::timerfd::TimerFd>> GetTimerFd(Task& t, int fd) {
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  auto tf = std::dynamic_pointer_cast<fsimpl::timerfd::TimerFd>(f);
  if (!tf) return Errno(EINVAL);
  return tf;
}

}  // namespace

// ---- Interval timers ----

SyscallResult SysGetitimer(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(TimerValue v, t.thread_group().timers().GetItimer(a.Int(0)));
  return t.CopyOutObj(a.Addr(1), ToItimerval(v));
}

SyscallResult SysSetitimer(Task& t, const SyscallArgs& a) {
  int which = a.Int(0);
  TimerValue v;
  if (!a.Addr(1).IsNull()) {  // Linux takes NULL as a zero value
    L::Itimerval itv;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &itv));
    ASSIGN_OR_RETURN_ERRNO(v.value_ns, TimevalNs(itv.it_value));
    ASSIGN_OR_RETURN_ERRNO(v.period_ns, TimevalNs(itv.it_interval));
  }
  ASSIGN_OR_RETURN_ERRNO(TimerValue old, t.thread_group().timers().SetItimer(which, v));
  if (!a.Addr(2).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), ToItimerval(old)));
  return 0;
}

SyscallResult SysAlarm(Task& t, const SyscallArgs& a) {
  TimerValue v{static_cast<int64_t>(a.Uint(0)) * kNsPerSec, 0};
  ASSIGN_OR_RETURN_ERRNO(TimerValue old,
                         t.thread_group().timers().SetItimer(L::kITIMER_REAL, v));
  // Whole seconds left, rounded to nearest, and never 0 for an armed timer.
  L::Timeval tv = NsTimeval(old.value_ns);
  int64_t secs = tv.tv_sec;
  if ((secs == 0 && tv.tv_usec != 0) || tv.tv_usec >= 500000) ++secs;
  return secs;
}

// ---- POSIX timers ----

SyscallResult SysTimerCreate(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(TimerClock clock, ClockFor(t, a.Int(0), /*timerfd=*/false));
  L::SigEvent ev{};
  bool have_ev = !a.Addr(1).IsNull();
  if (have_ev) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &ev));
    switch (ev.sigev_notify) {
      case L::kSIGEV_NONE:
        break;
      case L::kSIGEV_THREAD_ID: {
        Task* target = t.kernel().TaskByTid(ev._sigev_un._tid);
        if (target == nullptr || &target->thread_group() != &t.thread_group()) {
          return Errno(EINVAL);
        }
        [[fallthrough]];
      }
      case L::kSIGEV_SIGNAL:
        if (ev.sigev_signo <= 0 || ev.sigev_signo > L::kNumSignals) return Errno(EINVAL);
        break;
      default:
        return Errno(EINVAL);
    }
  }
  kernel::ProcessTimers& timers = t.thread_group().timers();
  ASSIGN_OR_RETURN_ERRNO(int id, timers.CreateTimer(clock, have_ev ? &ev : nullptr));
  int32_t id32 = id;
  if (!t.CopyOutObj(a.Addr(2), id32).ok()) {
    (void)timers.DeleteTimer(id);
    return Errno(EFAULT);
  }
  return 0;
}

SyscallResult SysTimerSettime(Task& t, const SyscallArgs& a) {
  int flags = a.Int(1);
  ASSIGN_OR_RETURN_ERRNO(TimerValue v, CopyInItimerspec(t, a.Addr(2)));
  ASSIGN_OR_RETURN_ERRNO(TimerValue old, t.thread_group().timers().SetTimer(
                                             a.Int(0), v, flags & L::kTIMER_ABSTIME));
  if (!a.Addr(3).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(3), ToItimerspec(old)));
  return 0;
}

SyscallResult SysTimerGettime(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(TimerValue v, t.thread_group().timers().GetTimer(a.Int(0)));
  return t.CopyOutObj(a.Addr(1), ToItimerspec(v));
}

SyscallResult SysTimerGetoverrun(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(int n, t.thread_group().timers().GetOverrun(a.Int(0)));
  return n;
}

SyscallResult SysTimerDelete(Task& t, const SyscallArgs& a) {
  return t.thread_group().timers().DeleteTimer(a.Int(0));
}

// ---- timerfd ----

SyscallResult SysTimerfdCreate(Task& t, const SyscallArgs& a) {
  int flags = a.Int(1);
  if (flags & ~L::kTFD_CREATE_FLAGS) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(TimerClock clock, ClockFor(t, a.Int(0), /*timerfd=*/true));
  auto f = std::make_shared<fsimpl::timerfd::TimerFd>(flags & L::kTFD_NONBLOCK);
  f->set_countdown(std::make_unique<KernelCountdown>(t.kernel().timers(), clock, f));
  return t.fds().Install(std::move(f), 0, flags & L::kTFD_CLOEXEC, NofileLimit(t));
}

SyscallResult SysTimerfdSettime(Task& t, const SyscallArgs& a) {
  int flags = a.Int(1);
  if (flags & ~L::kTFD_SETTIME_FLAGS) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(auto f, GetTimerFd(t, a.Int(0)));
  ASSIGN_OR_RETURN_ERRNO(TimerValue v, CopyInItimerspec(t, a.Addr(2)));
  fsimpl::timerfd::Setting old =
      f->SetTime({v.value_ns, v.period_ns}, flags & L::kTFD_TIMER_ABSTIME);
  if (!a.Addr(3).IsNull()) {
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(3), ToItimerspec({old.value_ns, old.period_ns})));
  }
  return 0;
}

SyscallResult SysTimerfdGettime(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(auto f, GetTimerFd(t, a.Int(0)));
  fsimpl::timerfd::Setting s = f->GetTime();
  return t.CopyOutObj(a.Addr(1), ToItimerspec({s.value_ns, s.period_ns}));
}

}  // namespace sentry::syscalls
