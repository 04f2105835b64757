#include "sentry/kernel/timers.h"

#include <time.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::kernel {

namespace L = abi_linux;

namespace {

// How often a CPU-clock timer is re-checked: the sentry cannot be told when
// the guest's CPU time reaches a value, so it looks.
constexpr int64_t kCpuPollNs = 10'000'000;

int64_t SatAdd(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) return std::numeric_limits<int64_t>::max();
  return a + b;
}

}  // namespace

// ---- TimerQueue ----

int64_t TimerQueue::HostClockNs(int clock_id) {
  timespec ts;
  if (clock_gettime(clock_id, &ts) != 0) return 0;
  return ts.tv_sec * kNsPerSec + ts.tv_nsec;
}

int64_t TimerQueue::MonotonicNs() { return HostClockNs(CLOCK_MONOTONIC); }

TimerQueue::TimerQueue() : thread_([this] { Loop(); }) {}

TimerQueue::~TimerQueue() { Shutdown(); }

void TimerQueue::Shutdown() {
  {
    absl::MutexLock l(&mu_);
    if (stop_) return;
    stop_ = true;
    cv_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<Timer> TimerQueue::NewTimer(TimerClock clock, std::weak_ptr<TimerListener> listener,
                                            std::function<int64_t()> cpu_now) {
  return std::unique_ptr<Timer>(new Timer(*this, clock, std::move(listener), std::move(cpu_now)));
}

void TimerQueue::EnqueueLocked(Timer* t) {
  int64_t mono = MonotonicNs();
  int64_t remaining = std::max<int64_t>(0, t->next_ - t->Now());
  if (t->clock_ == TimerClock::kCpu) remaining = std::min(remaining, kCpuPollNs);
  t->wake_ = std::max<int64_t>(1, SatAdd(mono, remaining));
  queue_.insert({t->wake_, t});
  cv_.Signal();
}

void TimerQueue::DequeueLocked(Timer* t) {
  if (t->wake_ == 0) return;
  queue_.erase({t->wake_, t});
  t->wake_ = 0;
}

void TimerQueue::Loop() {
  std::vector<std::pair<std::shared_ptr<TimerListener>, uint64_t>> fire;
  mu_.Lock();
  while (!stop_) {
    int64_t mono = MonotonicNs();
    while (!queue_.empty() && queue_.begin()->first <= mono) {
      Timer* t = queue_.begin()->second;
      queue_.erase(queue_.begin());
      t->wake_ = 0;
      int64_t now = t->Now();
      if (now < t->next_) {  // the clock moved differently (wall clock, CPU time)
        EnqueueLocked(t);
        continue;
      }
      uint64_t count = 1;
      if (t->period_ > 0) {
        count += static_cast<uint64_t>((now - t->next_) / t->period_);
        int64_t advance = static_cast<int64_t>(
            std::min<uint64_t>(count, std::numeric_limits<int64_t>::max() / t->period_)) *
            t->period_;
        t->next_ = SatAdd(t->next_, advance);
        EnqueueLocked(t);
      } else {
        t->next_ = 0;
      }
      if (auto listener = t->listener_.lock()) fire.push_back({std::move(listener), count});
    }
    if (!fire.empty()) {
      // Listeners send signals, which take kernel locks: none of ours held.
      mu_.Unlock();
      for (auto& [listener, count] : fire) listener->Expired(count);
      fire.clear();  // a listener's last reference may go here, unlocked
      mu_.Lock();
      continue;
    }
    if (queue_.empty()) {
      cv_.Wait(&mu_);
    } else {
      cv_.WaitWithTimeout(&mu_, absl::Nanoseconds(queue_.begin()->first - mono));
    }
  }
  mu_.Unlock();
}

// ---- Timer ----

Timer::~Timer() {
  absl::MutexLock l(&queue_.mu_);
  queue_.DequeueLocked(this);
  next_ = 0;
}

int64_t Timer::Now() const {
  switch (clock_) {
    case TimerClock::kRealtime:
      return TimerQueue::HostClockNs(CLOCK_REALTIME);
    case TimerClock::kMonotonic:
      return TimerQueue::HostClockNs(CLOCK_MONOTONIC);
    case TimerClock::kBoottime:
      return TimerQueue::HostClockNs(CLOCK_BOOTTIME);
    case TimerClock::kCpu:
      return cpu_now_ ? cpu_now_() : 0;
  }
  return 0;
}

TimerValue Timer::Get() {
  absl::MutexLock l(&queue_.mu_);
  if (next_ == 0) return {0, period_};
  // Due but not yet processed: still armed, so never reported as 0.
  return {std::max<int64_t>(1, next_ - Now()), period_};
}

TimerValue Timer::Set(TimerValue v, bool absolute) {
  absl::MutexLock l(&queue_.mu_);
  TimerValue old{0, period_};
  int64_t now = Now();
  if (next_ != 0) old.value_ns = std::max<int64_t>(1, next_ - now);
  queue_.DequeueLocked(this);
  if (v.value_ns <= 0) {
    next_ = 0;
    period_ = 0;
    return old;
  }
  next_ = absolute ? v.value_ns : SatAdd(now, v.value_ns);
  period_ = std::max<int64_t>(0, v.period_ns);
  queue_.EnqueueLocked(this);
  return old;
}

// ---- ProcessTimers ----

// A timer whose expiry is a signal: an interval timer (si_code SI_KERNEL,
// to the process) or a POSIX timer (SI_TIMER, to the process or a thread,
// or nothing with SIGEV_NONE).
class ProcessTimers::SignalTimer : public TimerListener {
 public:
  SignalTimer(ThreadGroup& tg, int id, const L::SigEvent& ev, int si_code)
      : tg_(tg), id_(id), ev_(ev), si_code_(si_code) {}

  void Expired(uint64_t count) override {
    if (dead_.load() || ev_.sigev_notify == L::kSIGEV_NONE) return;
    int sig = ev_.sigev_signo;
    Task* thread = nullptr;
    if (ev_.sigev_notify == L::kSIGEV_THREAD_ID) {
      thread = tg_.kernel().TaskByTid(ev_._sigev_un._tid);
      if (thread == nullptr || &thread->thread_group() != &tg_) return;  // the thread is gone
    }
    // A timer has one signal in flight: expiries while it is still pending
    // are overruns (timer_getoverrun), not more signals. The queued
    // siginfo cannot be changed, so its si_overrun stays what it was.
    bool pending = false;
    if (thread != nullptr) {
      pending = thread->pending_signals() & L::SignalBit(sig);
    } else {
      for (Task* t : tg_.tasks()) pending |= (t->pending_signals() & L::SignalBit(sig)) != 0;
    }
    int overrun;
    {
      absl::MutexLock l(&mu_);
      if (pending) {
        // Merged into the signal already pending: its overrun grows.
        overrun_ = std::min<uint64_t>(overrun_ + count, std::numeric_limits<int>::max());
        overrun_last_ = static_cast<int>(overrun_);
        return;
      }
      // A new signal; the last one has been taken, and timer_getoverrun
      // keeps reporting its count until this one has overruns of its own.
      overrun_ = std::min<uint64_t>(count - 1, std::numeric_limits<int>::max());
      if (overrun_ > 0) overrun_last_ = static_cast<int>(overrun_);
      overrun = static_cast<int>(overrun_);
    }
    if (dead_.load()) return;
    L::Siginfo info{};
    info.si_signo = sig;
    info.si_code = si_code_;
    if (si_code_ == L::kSI_TIMER) {
      info.SetTimerId(id_);
      info.SetOverrun(overrun);
      info.SetValue(ev_.sigev_value);
    }
    if (thread == nullptr) {
      tg_.SendSignal(info);
      return;
    }
    if (!(thread->signal_mask() & L::SignalBit(sig)) && tg_.IsIgnored(sig)) return;
    thread->AddPendingSignal(sig, info);
  }

  int overrun_last() {
    absl::MutexLock l(&mu_);
    return overrun_last_;
  }
  void Kill() { dead_.store(true); }

  std::unique_ptr<Timer> timer;

 private:
  ThreadGroup& tg_;
  const int id_;
  const L::SigEvent ev_;
  const int si_code_;
  std::atomic<bool> dead_{false};
  absl::Mutex mu_;
  uint64_t overrun_ ABSL_GUARDED_BY(mu_) = 0;  // of the latest signal sent
  int overrun_last_ ABSL_GUARDED_BY(mu_) = 0;
};

ProcessTimers::ProcessTimers(ThreadGroup& tg) : tg_(tg) {}

ProcessTimers::~ProcessTimers() { DestroyAll(); }

int64_t ProcessTimers::CpuNs() {
  std::vector<Task*> ts = tg_.tasks();
  std::shared_ptr<mm::MemoryManager> mm = ts.empty() ? nullptr : ts.front()->mm_ref();
  int64_t as_ns = mm ? mm->address_space().CpuTimeNs() : -1;
  absl::MutexLock l(&cpu_mu_);
  if (as_ns >= 0) cpu_last_ = std::max(cpu_last_, cpu_offset_ + as_ns);
  return cpu_last_;
}

ErrnoOr<TimerValue> ProcessTimers::SetItimer(int which, TimerValue v) {
  if (which < L::kITIMER_REAL || which > L::kITIMER_PROF) return Errno(EINVAL);
  absl::MutexLock l(&mu_);
  if (dead_) return TimerValue{};
  auto& st = itimers_[which];
  if (!st) {
    static constexpr int kSignals[3] = {L::kSIGALRM, L::kSIGVTALRM, L::kSIGPROF};
    L::SigEvent ev{};
    ev.sigev_notify = L::kSIGEV_SIGNAL;
    ev.sigev_signo = kSignals[which];
    st = std::make_shared<SignalTimer>(tg_, -1, ev, L::kSI_KERNEL);
    if (which == L::kITIMER_REAL) {
      st->timer = tg_.kernel().timers().NewTimer(TimerClock::kMonotonic, st);
    } else {
      st->timer = tg_.kernel().timers().NewTimer(TimerClock::kCpu, st, [this] { return CpuNs(); });
    }
  }
  return st->timer->Set(v, /*absolute=*/false);
}

ErrnoOr<TimerValue> ProcessTimers::GetItimer(int which) {
  if (which < L::kITIMER_REAL || which > L::kITIMER_PROF) return Errno(EINVAL);
  absl::MutexLock l(&mu_);
  if (!itimers_[which]) return TimerValue{};
  return itimers_[which]->timer->Get();
}

ErrnoOr<int> ProcessTimers::CreateTimer(TimerClock clock, const L::SigEvent* ev) {
  absl::MutexLock l(&mu_);
  if (dead_) return Errno(EAGAIN);
  // Linux's per-process ids: the lowest free from a moving start.
  constexpr int kMaxTimers = 1 << 15;
  if (posix_.size() >= kMaxTimers) return Errno(EAGAIN);
  int id = next_id_;
  while (posix_.count(id)) id = (id + 1) % std::numeric_limits<int>::max();
  next_id_ = (id + 1) % std::numeric_limits<int>::max();
  L::SigEvent e{};
  if (ev != nullptr) {
    e = *ev;
  } else {
    e.sigev_notify = L::kSIGEV_SIGNAL;
    e.sigev_signo = L::kSIGALRM;
    e.sigev_value.sival_ptr = 0;
    e.sigev_value.sival_int = id;
  }
  auto st = std::make_shared<SignalTimer>(tg_, id, e, L::kSI_TIMER);
  std::function<int64_t()> cpu;
  if (clock == TimerClock::kCpu) cpu = [this] { return CpuNs(); };
  st->timer = tg_.kernel().timers().NewTimer(clock, st, std::move(cpu));
  posix_[id] = std::move(st);
  return id;
}

ErrnoOr<TimerValue> ProcessTimers::SetTimer(int id, TimerValue v, bool absolute) {
  absl::MutexLock l(&mu_);
  auto it = posix_.find(id);
  if (it == posix_.end()) return Errno(EINVAL);
  return it->second->timer->Set(v, absolute);
}

ErrnoOr<TimerValue> ProcessTimers::GetTimer(int id) {
  absl::MutexLock l(&mu_);
  auto it = posix_.find(id);
  if (it == posix_.end()) return Errno(EINVAL);
  return it->second->timer->Get();
}

ErrnoOr<int> ProcessTimers::GetOverrun(int id) {
  std::shared_ptr<SignalTimer> st;
  {
    absl::MutexLock l(&mu_);
    auto it = posix_.find(id);
    if (it == posix_.end()) return Errno(EINVAL);
    st = it->second;
  }
  return st->overrun_last();
}

ErrnoOrVoid ProcessTimers::DeleteTimer(int id) {
  std::shared_ptr<SignalTimer> st;
  {
    absl::MutexLock l(&mu_);
    auto it = posix_.find(id);
    if (it == posix_.end()) return Errno(EINVAL);
    st = std::move(it->second);
    posix_.erase(it);
  }
  st->Kill();
  st->timer.reset();
  return {};
}

void ProcessTimers::OnExec(int64_t old_as_cpu_ns, int64_t new_as_cpu_ns) {
  std::map<int, std::shared_ptr<SignalTimer>> gone;
  {
    absl::MutexLock l(&mu_);
    gone.swap(posix_);
  }
  for (auto& [id, st] : gone) {
    st->Kill();
    st->timer.reset();
  }
  absl::MutexLock l(&cpu_mu_);
  cpu_offset_ += old_as_cpu_ns - new_as_cpu_ns;
}

void ProcessTimers::DestroyAll() {
  std::vector<std::shared_ptr<SignalTimer>> gone;
  {
    absl::MutexLock l(&mu_);
    dead_ = true;
    for (auto& it : itimers_) {
      if (it) gone.push_back(std::move(it));
    }
    for (auto& [id, st] : posix_) gone.push_back(std::move(st));
    posix_.clear();
  }
  for (auto& st : gone) {
    st->Kill();
    st->timer.reset();
  }
}

}  // namespace sentry::kernel
