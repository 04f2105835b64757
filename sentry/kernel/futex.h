// Futex wait queues. A private futex (FUTEX_PRIVATE_FLAG, or a word in
// private memory) is keyed by the address space and guest address of its
// word; a shared one in shared memory (MAP_SHARED, anonymous or of a file)
// by the word's place in the memory file, so processes mapping it at any
// address meet (Python's multiprocessing semaphores, process-shared
// pthread objects).
//
//   ErrnoOrVoid r = kernel.futexes().Wait(t, addr, expected, bitset, deadline);
//   int woken = kernel.futexes().Wake(&t.mm(), addr, n, bitset);
//   RETURN_IF_ERRNO(kernel.futexes().LockPi(t, addr, deadline, /*trylock=*/false));
//
// Priority-inheritance futexes follow Linux's word protocol exactly: the
// owner's TID in the low 30 bits, FUTEX_WAITERS when someone sleeps in the
// kernel (the owner must then release through FUTEX_UNLOCK_PI, which hands
// the lock to the first waiter), FUTEX_OWNER_DIED after a robust owner died.
// The priority boosting itself means nothing here: guest threads are host
// threads the host schedules, and the sentry has no priorities to lend. The
// word is updated with atomic read-modify-writes on the memory file, so the
// guest's own user-space fast paths (cmpxchg on the word) race correctly
// with the sentry.
//
// Lock order: mu_ is taken before Kernel::mu_ (looking up a PI owner) and
// MemoryManager::mu_ (Wait reads the word under it, so a wake cannot slip
// between the check and the sleep). Nothing calls in here holding either.
#ifndef SENTRY_KERNEL_FUTEX_H_
#define SENTRY_KERNEL_FUTEX_H_

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <unordered_set>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sentry/mm/memory_manager.h"
#include "util/errno.h"

namespace sentry::kernel {

class Task;

class Futexes {
 public:
  // What identifies a futex: (address space, guest address), or (the
  // shared space, memory-file offset).
  struct Key {
    const mm::MemoryManager* space;
    uint64_t addr;
  };
  // The key of the word at addr in mm: EFAULT where nothing is mapped.
  static util::ErrnoOr<Key> KeyOf(mm::MemoryManager& mm, uint64_t addr, bool is_private);

  // Sleeps while the word at addr equals `expected`: EAGAIN if it does not,
  // ETIMEDOUT at the deadline, EINTR if the task is interrupted.
  util::ErrnoOrVoid Wait(Task& t, uint64_t addr, uint32_t expected, uint32_t bitset,
                         std::optional<absl::Time> deadline, bool is_private = true);
  // Wakes up to n waiters whose bitset intersects; returns how many.
  int Wake(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset);
  // FUTEX_REQUEUE/FUTEX_CMP_REQUEUE: wakes up to n_wake waiters on addr
  // and moves up to n_requeue of the rest to addr2. With `expected`, EAGAIN
  // unless the word at addr still holds it. Returns woken (+ requeued when
  // `count_requeued`).
  util::ErrnoOr<int> Requeue(Task& t, uint64_t addr, uint64_t addr2, int n_wake, int n_requeue,
                             std::optional<uint32_t> expected, bool count_requeued,
                             bool is_private = true);
  // FUTEX_WAKE_OP: applies the encoded operation to the word at addr2,
  // wakes n on addr and, if the old value passes the encoded comparison,
  // n2 on addr2. Returns how many were woken.
  util::ErrnoOr<int> WakeOp(Task& t, uint64_t addr, uint64_t addr2, int n, int n2,
                            uint32_t encoded_op, bool is_private = true);
  // Wakes the task's wait, if any, with EINTR.
  void Interrupt(const Task* t);

  // FUTEX_WAKE for the syscall: as Wake, but EINVAL when a waiter on the
  // word waits for a PI lock (Linux refuses to wake those this way).
  util::ErrnoOr<int> WakeChecked(const mm::MemoryManager* mm, uint64_t addr, int n,
                                 uint32_t bitset);

  // ---- Priority inheritance ----
  // FUTEX_LOCK_PI/FUTEX_LOCK_PI2 (FUTEX_TRYLOCK_PI with `trylock`): takes
  // the lock at addr for t, sleeping while another thread owns it. EDEADLK
  // if t owns it, ESRCH if the owner named in the word is gone, EAGAIN for
  // a trylock of a held lock, ETIMEDOUT at the deadline, EINTR when the
  // task is interrupted.
  util::ErrnoOrVoid LockPi(Task& t, uint64_t addr, std::optional<absl::Time> deadline,
                           bool trylock);
  // FUTEX_UNLOCK_PI: releases t's lock, handing it to the first waiter.
  // EPERM unless t owns it.
  util::ErrnoOrVoid UnlockPi(Task& t, uint64_t addr);
  // FUTEX_WAIT_REQUEUE_PI: waits on addr (while it holds `expected`) until
  // FUTEX_CMP_REQUEUE_PI moves t to the PI lock addr2; returns once t owns
  // addr2. EINTR only before the requeue; EAGAIN for an interruption after.
  util::ErrnoOrVoid WaitRequeuePi(Task& t, uint64_t addr, uint32_t expected, uint64_t addr2,
                                  std::optional<absl::Time> deadline);
  // FUTEX_CMP_REQUEUE_PI: takes addr2 for the first waiter on addr if it is
  // free (waking it), and moves up to n_requeue others to wait for addr2.
  // Returns how many were woken or moved.
  util::ErrnoOr<int> CmpRequeuePi(Task& t, uint64_t addr, uint64_t addr2, int n_requeue,
                                  uint32_t expected);

  // At thread exit (`exiting`) and exec: walks t's robust list, marking
  // the locks t holds FUTEX_OWNER_DIED and waking a waiter of each non-PI
  // one, then hands every PI lock t owns to its first waiter. After an
  // exit, a PI lock naming t gives ESRCH.
  void ExitRobustAndPi(Task& t, uint64_t robust_list_head, bool exiting);

 private:
  struct Waiter {
    const Task* task;
    const mm::MemoryManager* mm;
    uint64_t addr;
    uint32_t bitset;
    bool woken = false;
    bool interrupted = false;
    // Waiting for the PI lock at addr (LOCK_PI, or moved there by
    // CMP_REQUEUE_PI); woken only by being given it.
    bool pi = false;
    // FUTEX_WAIT_REQUEUE_PI: the PI lock CMP_REQUEUE_PI may move it to.
    uint64_t requeue_pi_addr = 0;
    int tid = 0;
    mm::MemoryManager* pi_mm = nullptr;  // the waiter's own, for handing over
  };
  // Who the sentry last saw owning a PI lock that has waiters: what a
  // thread's exit hands over.
  struct PiKey {
    const mm::MemoryManager* mm;
    uint64_t addr;
    bool operator<(const PiKey& o) const {
      return mm != o.mm ? std::less<const mm::MemoryManager*>()(mm, o.mm) : addr < o.addr;
    }
  };
  int WakeLocked(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Waiter* FirstPiWaiterLocked(const mm::MemoryManager* mm, uint64_t addr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether `tid` names a task that can own a PI lock (alive, its futex
  // exit not yet done).
  bool OwnerAliveLocked(Task& t, uint32_t tid) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The atomic part of LOCK_PI for `tid` on the pinned word: 1 taken, 0
  // held by someone alive (FUTEX_WAITERS set unless `trylock`), or an error.
  util::ErrnoOr<int> LockPiAtomicLocked(Task& t, mm::MemoryManager& mm, uint64_t addr, int tid,
                                        bool trylock, bool set_waiters)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Gives the PI lock at (mm, addr) to its first waiter, keeping
  // FUTEX_OWNER_DIED if `keep_owner_died`; false if nobody waits.
  bool HandOverLocked(mm::MemoryManager& mm, uint64_t addr, bool keep_owner_died)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ExitRobustListLocked(Task& t, uint64_t head) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sleeps on w until woken, interrupted or the deadline; removes it.
  void SleepLocked(Waiter& w, std::optional<absl::Time> deadline)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::list<Waiter*> waiters_ ABSL_GUARDED_BY(mu_);
  std::map<PiKey, int> pi_owners_ ABSL_GUARDED_BY(mu_);
  // Tasks whose futex exit is done (Task objects live as long as the
  // kernel, and TIDs are not reused, so pointers identify them).
  std::unordered_set<const Task*> exited_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_FUTEX_H_
