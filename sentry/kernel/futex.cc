#include "sentry/kernel/futex.h"

#include "sentry/kernel/task.h"

namespace sentry::kernel {

util::ErrnoOrVoid Futexes::Wait(Task& t, uint64_t addr, uint32_t expected, uint32_t bitset,
                                std::optional<absl::Time> deadline) {
  if (addr & 3) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  uint32_t value;
  RETURN_IF_ERRNO(t.mm().CopyInObj(mm::UserAddr(addr), &value));
  if (value != expected) return util::Errno(EAGAIN);
  Waiter w{&t, &t.mm(), addr, bitset};
  waiters_.push_back(&w);
  auto done = [&w] { return w.woken || w.interrupted; };
  bool timed_out = false;
  if (deadline) {
    timed_out = !mu_.AwaitWithDeadline(absl::Condition(&done), *deadline);
  } else {
    mu_.Await(absl::Condition(&done));
  }
  waiters_.remove(&w);
  if (w.woken) return {};
  if (w.interrupted) return util::Errno(EINTR);
  (void)timed_out;
  return util::Errno(ETIMEDOUT);
}

int Futexes::Wake(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset) {
  absl::MutexLock l(&mu_);
  int woken = 0;
  for (Waiter* w : waiters_) {
    if (woken >= n) break;
    if (w->woken || w->mm != mm || w->addr != addr || !(w->bitset & bitset)) continue;
    w->woken = true;
    ++woken;
  }
  return woken;
}

void Futexes::Interrupt(const Task* t) {
  absl::MutexLock l(&mu_);
  for (Waiter* w : waiters_) {
    if (w->task == t) w->interrupted = true;
  }
}

}  // namespace sentry::kernel
