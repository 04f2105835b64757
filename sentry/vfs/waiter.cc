#include "sentry/vfs/waiter.h"

#include <algorithm>

#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

namespace {

// Orders registration changes against the destruction of either side, so
// that a Waiter and a WaitQueue can each find the other still alive.
ABSL_CONST_INIT absl::Mutex registration_mu(absl::kConstInit);

void EraseAll(std::vector<WaitQueue*>& v, WaitQueue* q) {
  v.erase(std::remove(v.begin(), v.end(), q), v.end());
}

}  // namespace

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

void Waiter::LeaveQueues() {
  absl::MutexLock r(&registration_mu);
  std::vector<WaitQueue*> queues;
  queues.swap(queues_);
  for (WaitQueue* q : queues) {
    absl::MutexLock l(&q->mu_);
    q->waiters_.erase(std::remove_if(q->waiters_.begin(), q->waiters_.end(),
                                     [this](const auto& e) { return e.first == this; }),
                      q->waiters_.end());
  }
}

WaitQueue::~WaitQueue() {
  absl::MutexLock r(&registration_mu);
  absl::MutexLock l(&mu_);
  for (auto& [w, mask] : waiters_) EraseAll(w->queues_, this);
  waiters_.clear();
}

void WaitQueue::Add(Waiter* w, uint32_t mask) {
  absl::MutexLock r(&registration_mu);
  absl::MutexLock l(&mu_);
  waiters_.emplace_back(w, mask);
  w->queues_.push_back(this);
}

void WaitQueue::Remove(Waiter* w) {
  absl::MutexLock r(&registration_mu);
  absl::MutexLock l(&mu_);
  waiters_.erase(std::remove_if(waiters_.begin(), waiters_.end(),
                                [w](const auto& e) { return e.first == w; }),
                 waiters_.end());
  EraseAll(w->queues_, this);
}

void WaitQueue::Notify(uint32_t events) {
  absl::MutexLock l(&mu_);
  for (auto& [w, mask] : waiters_) {
    if (mask == 0 || (mask & events) || events == 0) w->Notify(events);
  }
}

}  // namespace sentry::vfs
