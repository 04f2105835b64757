#include "sentry/vfs/waiter.h"

#include <algorithm>

#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

void Waiter::Notify(uint32_t) {
  absl::MutexLock l(&mu_);
  notified_ = true;
}

Waiter::Result Waiter::Wait(absl::Time deadline, absl::Duration tick) {
  absl::MutexLock l(&mu_);
  if (!notified_) {
    absl::Time until = std::min(deadline, absl::Now() + tick);
    mu_.AwaitWithDeadline(absl::Condition(&notified_), until);
  }
  if (notified_) {
    notified_ = false;
    return Result::kNotified;
  }
  if (ShouldInterruptWait()) return Result::kInterrupted;
  if (absl::Now() >= deadline) return Result::kTimeout;
  return Result::kTick;
}

void WaitQueue::Add(Waiter* w, uint32_t mask) {
  absl::MutexLock l(&mu_);
  waiters_.emplace_back(w, mask);
}

void WaitQueue::Remove(Waiter* w) {
  absl::MutexLock l(&mu_);
  waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(),
                                [w](const auto& e) { return e.first == w; }),
                 waiters_.end());
}

void WaitQueue::Notify(uint32_t events) {
  absl::MutexLock l(&mu_);
  for (auto& [w, mask] : waiters_) {
    if (mask == 0 || (mask & events) || events == 0) w->Notify(events);
  }
}

}  // namespace sentry::vfs
