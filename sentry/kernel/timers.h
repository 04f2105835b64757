// Timers: a countdown on a clock, run by the kernel's timer thread. What an
// expiry does is the listener's business: a signal (alarm, setitimer,
// timer_create; see ProcessTimers) or a count (timerfd).
//
//   std::unique_ptr<Timer> timer = kernel.timers().NewTimer(
//       TimerClock::kMonotonic, listener /* std::weak_ptr<TimerListener> */);
//   TimerValue old = timer->Set({.value_ns = 1'000'000'000, .period_ns = 0},
//                               /*absolute=*/false);
//
// The timer thread calls TimerListener::Expired with no lock of its own
// held, so a listener may send signals (which take kernel, thread-group and
// task locks). It holds a std::shared_ptr to the listener during the call:
// a listener destroyed meanwhile is simply not called.
//
// Lock order: ProcessTimers::mu_, then TimerQueue::mu_, then (reading a
// CPU clock) ThreadGroup::mu_. TimerQueue::mu_ is never held while a
// listener runs.
#ifndef SENTRY_KERNEL_TIMERS_H_
#define SENTRY_KERNEL_TIMERS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <utility>

#include "abi/linux/signal.h"
#include "abi/linux/time.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "util/errno.h"

namespace sentry::kernel {

class ThreadGroup;
class TimerQueue;

inline constexpr int64_t kNsPerSec = 1000000000;

// The clocks a timer can count on.
enum class TimerClock {
  kRealtime,   // CLOCK_REALTIME (and _ALARM, TAI: the host's clock of that id)
  kMonotonic,  // CLOCK_MONOTONIC
  kBoottime,   // CLOCK_BOOTTIME (and _ALARM)
  kCpu,        // a process's CPU time, read through a function (polled)
};

class TimerListener {
 public:
  virtual ~TimerListener() = default;
  // `count` (>= 1) expirations happened since the last call. Runs on the
  // timer thread, no timer lock held.
  virtual void Expired(uint64_t count) = 0;
};

// A timer's setting, as timer_gettime(2) reports it: time to the next
// expiry (0: disarmed) and the period (0: one-shot).
struct TimerValue {
  int64_t value_ns = 0;
  int64_t period_ns = 0;
};

class Timer {
 public:
  ~Timer();  // disarms; the listener is not called after this returns
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Arms the timer to expire at `v.value_ns` (absolute, on the timer's
  // clock) or that long from now (relative), then every `v.period_ns`;
  // value 0 disarms. Returns the setting it had.
  TimerValue Set(TimerValue v, bool absolute);
  TimerValue Get();
  // Now on the timer's clock.
  int64_t Now() const;

 private:
  friend class TimerQueue;
  Timer(TimerQueue& q, TimerClock clock, std::weak_ptr<TimerListener> l,
        std::function<int64_t()> cpu_now)
      : queue_(q), clock_(clock), listener_(std::move(l)), cpu_now_(std::move(cpu_now)) {}

  TimerQueue& queue_;
  const TimerClock clock_;
  const std::weak_ptr<TimerListener> listener_;
  const std::function<int64_t()> cpu_now_;
  // Guarded by queue_.mu_.
  int64_t next_ = 0;    // absolute on clock_; 0: disarmed
  int64_t period_ = 0;
  int64_t wake_ = 0;    // the queue key (host monotonic ns) while armed
};

// One thread per kernel that sleeps until the earliest armed timer is due.
class TimerQueue {
 public:
  TimerQueue();
  ~TimerQueue();  // stops the thread
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // `cpu_now` reads the clock for TimerClock::kCpu (unused otherwise).
  std::unique_ptr<Timer> NewTimer(TimerClock clock, std::weak_ptr<TimerListener> listener,
                                  std::function<int64_t()> cpu_now = {});
  // Stops the thread: no listener runs after this returns.
  void Shutdown();

  // Host CLOCK_MONOTONIC, ns.
  static int64_t MonotonicNs();
  // The host clock `clock_id` (a CLOCK_* id), ns.
  static int64_t HostClockNs(int clock_id);

 private:
  friend class Timer;
  void Loop();
  // Queues t (armed) by when the thread should look at it.
  void EnqueueLocked(Timer* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DequeueLocked(Timer* t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  absl::CondVar cv_;
  std::set<std::pair<int64_t, Timer*>> queue_ ABSL_GUARDED_BY(mu_);
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// A process's timers: the three interval timers (alarm, setitimer) and its
// POSIX timers (timer_create). Owned by the ThreadGroup; nothing is
// inherited by fork; exec keeps the interval timers and deletes the POSIX
// ones; at exit all go, and none fires afterwards.
class ProcessTimers {
 public:
  explicit ProcessTimers(ThreadGroup& tg);
  ~ProcessTimers();
  ProcessTimers(const ProcessTimers&) = delete;
  ProcessTimers& operator=(const ProcessTimers&) = delete;

  // setitimer/getitimer: which is ITIMER_REAL, _VIRTUAL or _PROF.
  util::ErrnoOr<TimerValue> SetItimer(int which, TimerValue v);
  util::ErrnoOr<TimerValue> GetItimer(int which);

  // timer_create: `ev` already validated (notify SIGEV_SIGNAL, SIGEV_NONE
  // or SIGEV_THREAD_ID with a thread of this process); nullptr means
  // SIGALRM to the process with the timer's id as the value. Returns the id.
  util::ErrnoOr<int> CreateTimer(TimerClock clock, const abi_linux::SigEvent* ev);
  util::ErrnoOr<TimerValue> SetTimer(int id, TimerValue v, bool absolute);
  util::ErrnoOr<TimerValue> GetTimer(int id);
  util::ErrnoOr<int> GetOverrun(int id);
  util::ErrnoOrVoid DeleteTimer(int id);

  // exec: POSIX timers are deleted; the CPU clock continues across the new
  // address space (whose own count starts again near 0).
  void OnExec(int64_t old_as_cpu_ns, int64_t new_as_cpu_ns);
  // Process exit: every timer goes and none fires again.
  void DestroyAll();

  // The process's CPU time (the platform's count for its address space,
  // continued across exec).
  int64_t CpuNs();

  class SignalTimer;

 private:
  ThreadGroup& tg_;
  absl::Mutex mu_;
  bool dead_ ABSL_GUARDED_BY(mu_) = false;
  std::shared_ptr<SignalTimer> itimers_[3] ABSL_GUARDED_BY(mu_);
  std::map<int, std::shared_ptr<SignalTimer>> posix_ ABSL_GUARDED_BY(mu_);
  int next_id_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Mutex cpu_mu_;
  int64_t cpu_offset_ ABSL_GUARDED_BY(cpu_mu_) = 0;
  int64_t cpu_last_ ABSL_GUARDED_BY(cpu_mu_) = 0;
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_TIMERS_H_
