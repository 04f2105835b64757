// Futex wait queues. A futex is keyed by the address space and guest
// address of its word.
//
//   ErrnoOrVoid r = kernel.futexes().Wait(t, addr, expected, bitset, deadline);
//   int woken = kernel.futexes().Wake(&t.mm(), addr, n, bitset);
//
// Lock order: mu_ is taken before MemoryManager::mu_ (Wait reads the word
// under it, so a wake cannot slip between the check and the sleep).
#ifndef SENTRY_KERNEL_FUTEX_H_
#define SENTRY_KERNEL_FUTEX_H_

#include <cstdint>
#include <list>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sentry/mm/memory_manager.h"
#include "util/errno.h"

namespace sentry::kernel {

class Task;

class Futexes {
 public:
  // Sleeps while the word at addr equals `expected`: EAGAIN if it does not,
  // ETIMEDOUT at the deadline, EINTR if the task is interrupted.
  util::ErrnoOrVoid Wait(Task& t, uint64_t addr, uint32_t expected, uint32_t bitset,
                         std::optional<absl::Time> deadline);
  // Wakes up to n waiters whose bitset intersects; returns how many.
  int Wake(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset);
  // FUTEX_REQUEUE/FUTEX_CMP_REQUEUE: wakes up to n_wake waiters on addr
  // and moves up to n_requeue of the rest to addr2. With `expected`, EAGAIN
  // unless the word at addr still holds it. Returns woken (+ requeued when
  // `count_requeued`).
  util::ErrnoOr<int> Requeue(Task& t, uint64_t addr, uint64_t addr2, int n_wake, int n_requeue,
                             std::optional<uint32_t> expected, bool count_requeued);
  // FUTEX_WAKE_OP: applies the encoded operation to the word at addr2,
  // wakes n on addr and, if the old value passes the encoded comparison,
  // n2 on addr2. Returns how many were woken.
  util::ErrnoOr<int> WakeOp(Task& t, uint64_t addr, uint64_t addr2, int n, int n2,
                            uint32_t encoded_op);
  // Wakes the task's wait, if any, with EINTR.
  void Interrupt(const Task* t);

 private:
  struct Waiter {
    const Task* task;
    const mm::MemoryManager* mm;
    uint64_t addr;
    uint32_t bitset;
    bool woken = false;
    bool interrupted = false;
  };
  int WakeLocked(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::list<Waiter*> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_FUTEX_H_
