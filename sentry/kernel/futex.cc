#include "sentry/kernel/futex.h"

#include <atomic>

#include "abi/linux/futex.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"

namespace sentry::kernel {

namespace L = abi_linux;

namespace {

// A futex word pinned for atomic read-modify-write through the sentry's
// mapping of the memory file: the same page the guest has mapped, so a
// compare-and-swap here is atomic against guest threads running on other
// CPUs. Pinning for writing breaks copy-on-write first; memory the guest
// cannot write gives EFAULT, as Linux's futex_atomic_cmpxchg does.
class PinnedWord {
 public:
  static util::ErrnoOr<PinnedWord> Pin(mm::MemoryManager& mm, uint64_t addr) {
    ASSIGN_OR_RETURN_ERRNO(mm::PinnedRanges pins,
                           mm.Pin(mm::UserAddr(addr), sizeof(uint32_t), mm::AccessType::kWrite));
    if (pins.total() != sizeof(uint32_t) || pins.iovecs().size() != 1) {
      return util::Errno(EFAULT);
    }
    auto* p = static_cast<uint32_t*>(pins.iovecs()[0].iov_base);
    return PinnedWord(std::move(pins), p);
  }
  uint32_t Load() const { return std::atomic_ref<uint32_t>(*p_).load(); }
  // Replaces `old` with `next`; false (and nothing written) if the word
  // no longer holds `old`.
  bool Cas(uint32_t old, uint32_t next) {
    return std::atomic_ref<uint32_t>(*p_).compare_exchange_strong(old, next);
  }

 private:
  PinnedWord(mm::PinnedRanges pins, uint32_t* p) : pins_(std::move(pins)), p_(p) {}
  mm::PinnedRanges pins_;
  uint32_t* p_;
};

}  // namespace

namespace {
// The space shared futexes are keyed in (never a real address space).
const char kSharedSpace = 0;
}  // namespace

util::ErrnoOr<Futexes::Key> Futexes::KeyOf(mm::MemoryManager& mm, uint64_t addr,
                                           bool is_private) {
  if (is_private) return Key{&mm, addr};
  ASSIGN_OR_RETURN_ERRNO(std::optional<uint64_t> offset, mm.SharedOffset(mm::UserAddr(addr)));
  if (!offset) return Key{&mm, addr};
  return Key{reinterpret_cast<const mm::MemoryManager*>(&kSharedSpace), *offset};
}

util::ErrnoOrVoid Futexes::Wait(Task& t, uint64_t addr, uint32_t expected, uint32_t bitset,
                                std::optional<absl::Time> deadline, bool is_private) {
  if (addr & 3) return util::Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(Key key, KeyOf(t.mm(), addr, is_private));
  absl::MutexLock l(&mu_);
  uint32_t value;
  RETURN_IF_ERRNO(t.mm().CopyInObj(mm::UserAddr(addr), &value));
  if (value != expected) return util::Errno(EAGAIN);
  Waiter w{&t, key.space, key.addr, bitset};
  waiters_.push_back(&w);
  SleepLocked(w, deadline);
  if (w.woken) return {};
  if (w.interrupted) return util::Errno(EINTR);
  return util::Errno(ETIMEDOUT);
}

void Futexes::SleepLocked(Waiter& w, std::optional<absl::Time> deadline) {
  // A signal queued before the waiter was listed found nothing to
  // interrupt (Task::Interrupt): look now, under mu_, which Interrupt takes.
  if (w.task->ShouldInterruptWait()) w.interrupted = true;
  auto done = [&w] { return w.woken || w.interrupted; };
  if (deadline) {
    mu_.AwaitWithDeadline(absl::Condition(&done), *deadline);
  } else {
    mu_.Await(absl::Condition(&done));
  }
  waiters_.remove(&w);
  // A PI waiter that gave up: the owner it waited for is worth tracking
  // only while someone still waits.
  if (w.pi && !w.woken && FirstPiWaiterLocked(w.mm, w.addr) == nullptr) {
    pi_owners_.erase(PiKey{w.mm, w.addr});
  }
}

int Futexes::Wake(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset) {
  absl::MutexLock l(&mu_);
  return WakeLocked(mm, addr, n, bitset);
}

util::ErrnoOr<int> Futexes::WakeChecked(const mm::MemoryManager* mm, uint64_t addr, int n,
                                        uint32_t bitset) {
  absl::MutexLock l(&mu_);
  for (Waiter* w : waiters_) {
    if (!w->woken && w->mm == mm && w->addr == addr && (w->pi || w->requeue_pi_addr != 0)) {
      return util::Errno(EINVAL);
    }
  }
  return WakeLocked(mm, addr, n, bitset);
}

int Futexes::WakeLocked(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset) {
  int woken = 0;
  for (Waiter* w : waiters_) {
    if (woken >= n) break;
    if (w->woken || w->mm != mm || w->addr != addr || !(w->bitset & bitset)) continue;
    // PI waiters are only ever woken by being given their lock.
    if (w->pi || w->requeue_pi_addr != 0) continue;
    w->woken = true;
    ++woken;
  }
  return woken;
}

util::ErrnoOr<int> Futexes::Requeue(Task& t, uint64_t addr, uint64_t addr2, int n_wake,
                                    int n_requeue, std::optional<uint32_t> expected,
                                    bool count_requeued, bool is_private) {
  if ((addr & 3) || (addr2 & 3)) return util::Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(Key from, KeyOf(t.mm(), addr, is_private));
  ASSIGN_OR_RETURN_ERRNO(Key to, KeyOf(t.mm(), addr2, is_private));
  absl::MutexLock l(&mu_);
  if (expected) {
    uint32_t value;
    RETURN_IF_ERRNO(t.mm().CopyInObj(mm::UserAddr(addr), &value));
    if (value != *expected) return util::Errno(EAGAIN);
  }
  for (Waiter* w : waiters_) {
    // Waiters for a PI lock move only with FUTEX_CMP_REQUEUE_PI.
    if (!w->woken && w->mm == from.space && w->addr == from.addr &&
        (w->pi || w->requeue_pi_addr != 0)) {
      return util::Errno(EINVAL);
    }
  }
  int woken = WakeLocked(from.space, from.addr, n_wake, ~uint32_t{0});
  int moved = 0;
  for (Waiter* w : waiters_) {
    if (moved >= n_requeue) break;
    if (w->woken || w->mm != from.space || w->addr != from.addr) continue;
    w->mm = to.space;
    w->addr = to.addr;
    ++moved;
  }
  return count_requeued ? woken + moved : woken;
}

util::ErrnoOr<int> Futexes::WakeOp(Task& t, uint64_t addr, uint64_t addr2, int n, int n2,
                                   uint32_t encoded_op, bool is_private) {
  if ((addr & 3) || (addr2 & 3)) return util::Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(Key key1, KeyOf(t.mm(), addr, is_private));
  ASSIGN_OR_RETURN_ERRNO(Key key2, KeyOf(t.mm(), addr2, is_private));
  int op = (encoded_op >> 28) & 7;
  bool shift = (encoded_op >> 28) & 8;
  int cmp = (encoded_op >> 24) & 15;
  // 12-bit signed arguments.
  int32_t oparg = static_cast<int32_t>((encoded_op >> 12) & 0xfff);
  if (oparg & 0x800) oparg -= 0x1000;
  int32_t cmparg = static_cast<int32_t>(encoded_op & 0xfff);
  if (cmparg & 0x800) cmparg -= 0x1000;
  if (shift) {
    if (oparg < 0 || oparg > 31) return util::Errno(EINVAL);
    oparg = 1 << oparg;
  }
  absl::MutexLock l(&mu_);
  uint32_t old;
  RETURN_IF_ERRNO(t.mm().CopyInObj(mm::UserAddr(addr2), &old));
  uint32_t next;
  switch (op) {
    case 0: next = static_cast<uint32_t>(oparg); break;          // FUTEX_OP_SET
    case 1: next = old + static_cast<uint32_t>(oparg); break;    // FUTEX_OP_ADD
    case 2: next = old | static_cast<uint32_t>(oparg); break;    // FUTEX_OP_OR
    case 3: next = old & ~static_cast<uint32_t>(oparg); break;   // FUTEX_OP_ANDN
    case 4: next = old ^ static_cast<uint32_t>(oparg); break;    // FUTEX_OP_XOR
    default: return util::Errno(ENOSYS);
  }
  // Not atomic against guest threads running on other CPUs at this
  // instant; waiters and wakers in the sentry are serialized by mu_.
  RETURN_IF_ERRNO(t.mm().CopyOutObj(mm::UserAddr(addr2), next));
  int32_t o = static_cast<int32_t>(old);
  bool pass;
  switch (cmp) {
    case 0: pass = o == cmparg; break;
    case 1: pass = o != cmparg; break;
    case 2: pass = o < cmparg; break;
    case 3: pass = o <= cmparg; break;
    case 4: pass = o > cmparg; break;
    case 5: pass = o >= cmparg; break;
    default: return util::Errno(ENOSYS);
  }
  int woken = WakeLocked(key1.space, key1.addr, n, ~uint32_t{0});
  if (pass) woken += WakeLocked(key2.space, key2.addr, n2, ~uint32_t{0});
  return woken;
}

void Futexes::Interrupt(const Task* t) {
  absl::MutexLock l(&mu_);
  for (Waiter* w : waiters_) {
    if (w->task == t) w->interrupted = true;
  }
}

// ---- Priority inheritance ----

Futexes::Waiter* Futexes::FirstPiWaiterLocked(const mm::MemoryManager* mm, uint64_t addr) {
  for (Waiter* w : waiters_) {
    if (w->pi && !w->woken && w->mm == mm && w->addr == addr) return w;
  }
  return nullptr;
}

bool Futexes::OwnerAliveLocked(Task& t, uint32_t tid) {
  // The owner's exit takes mu_ to release its PI locks, so under mu_ it
  // has either done so (exited_) or will hand over what waiters attach now.
  Task* owner = t.kernel().TaskByTid(static_cast<int>(tid));
  return owner != nullptr && !exited_.contains(owner);
}

util::ErrnoOr<int> Futexes::LockPiAtomicLocked(Task& t, mm::MemoryManager& mm, uint64_t addr,
                                               int tid, bool trylock, bool set_waiters) {
  ASSIGN_OR_RETURN_ERRNO(PinnedWord word, PinnedWord::Pin(mm, addr));
  const PiKey key{&mm, addr};
  while (true) {
    uint32_t uval = word.Load();
    uint32_t owner = uval & L::kFUTEX_TID_MASK;
    if (owner == static_cast<uint32_t>(tid)) return util::Errno(EDEADLK);
    if (owner == 0) {
      // Free (perhaps with FUTEX_OWNER_DIED, which the new owner sees and
      // keeps: that is how a robust mutex reports EOWNERDEAD).
      bool waiters = set_waiters || FirstPiWaiterLocked(&mm, addr) != nullptr;
      uint32_t next = (uval & L::kFUTEX_OWNER_DIED) | static_cast<uint32_t>(tid) |
                      (waiters ? L::kFUTEX_WAITERS : 0);
      if (!word.Cas(uval, next)) continue;
      if (waiters) pi_owners_[key] = tid;
      return 1;
    }
    if (!OwnerAliveLocked(t, owner)) {
      // Linux's handle_exit_race: a word that changed meanwhile is looked
      // at again; one still naming a dead thread (no robust list cleaned
      // it up, or it is simply bogus) gives ESRCH.
      if (word.Load() != uval) continue;
      return util::Errno(ESRCH);
    }
    if (trylock) return 0;
    // The owner must now release through the kernel.
    if (!(uval & L::kFUTEX_WAITERS) && !word.Cas(uval, uval | L::kFUTEX_WAITERS)) continue;
    pi_owners_[key] = static_cast<int>(owner);
    return 0;
  }
}

util::ErrnoOrVoid Futexes::LockPi(Task& t, uint64_t addr, std::optional<absl::Time> deadline,
                                  bool trylock) {
  if (addr & 3) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  mm::MemoryManager& mm = t.mm();
  ASSIGN_OR_RETURN_ERRNO(int taken, LockPiAtomicLocked(t, mm, addr, t.tid(), trylock, false));
  if (taken) return {};
  if (trylock) return util::Errno(EAGAIN);
  Waiter w{&t, &mm, addr, L::kFUTEX_BITSET_MATCH_ANY};
  w.pi = true;
  w.tid = t.tid();
  w.pi_mm = &mm;
  waiters_.push_back(&w);
  SleepLocked(w, deadline);
  // Woken means given the lock, even if a signal or the deadline came too.
  if (w.woken) return {};
  return util::Errno(w.interrupted ? EINTR : ETIMEDOUT);
}

bool Futexes::HandOverLocked(mm::MemoryManager& mm, uint64_t addr, bool keep_owner_died) {
  const PiKey key{&mm, addr};
  Waiter* next_owner = FirstPiWaiterLocked(&mm, addr);
  if (next_owner == nullptr) {
    pi_owners_.erase(key);
    return false;
  }
  auto word = PinnedWord::Pin(mm, addr);
  if (!word.ok()) {
    // The lock word is gone (unmapped): nobody can be given it.
    pi_owners_.erase(key);
    return false;
  }
  while (true) {
    uint32_t uval = word->Load();
    // FUTEX_WAITERS stays set while the sentry tracks the lock, so the new
    // owner's release comes back here.
    uint32_t next = static_cast<uint32_t>(next_owner->tid) | L::kFUTEX_WAITERS |
                    (keep_owner_died ? (uval & L::kFUTEX_OWNER_DIED) : 0);
    if (word->Cas(uval, next)) break;
  }
  next_owner->woken = true;
  if (FirstPiWaiterLocked(&mm, addr) != nullptr) {
    pi_owners_[key] = next_owner->tid;
  } else {
    pi_owners_.erase(key);
  }
  return true;
}

util::ErrnoOrVoid Futexes::UnlockPi(Task& t, uint64_t addr) {
  if (addr & 3) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  mm::MemoryManager& mm = t.mm();
  ASSIGN_OR_RETURN_ERRNO(PinnedWord word, PinnedWord::Pin(mm, addr));
  while (true) {
    uint32_t uval = word.Load();
    if ((uval & L::kFUTEX_TID_MASK) != static_cast<uint32_t>(t.tid())) return util::Errno(EPERM);
    if (FirstPiWaiterLocked(&mm, addr) != nullptr) {
      // The releasing owner is alive and well: FUTEX_OWNER_DIED goes.
      HandOverLocked(mm, addr, /*keep_owner_died=*/false);
      return {};
    }
    // Nobody waits in the kernel: free, whatever state bits were left.
    if (!word.Cas(uval, 0)) continue;
    pi_owners_.erase(PiKey{&mm, addr});
    return {};
  }
}

util::ErrnoOrVoid Futexes::WaitRequeuePi(Task& t, uint64_t addr, uint32_t expected,
                                         uint64_t addr2, std::optional<absl::Time> deadline) {
  if ((addr & 3) || (addr2 & 3)) return util::Errno(EINVAL);
  if (addr == addr2) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  mm::MemoryManager& mm = t.mm();
  uint32_t value;
  RETURN_IF_ERRNO(mm.CopyInObj(mm::UserAddr(addr), &value));
  if (value != expected) return util::Errno(EAGAIN);
  Waiter w{&t, &mm, addr, L::kFUTEX_BITSET_MATCH_ANY};
  w.requeue_pi_addr = addr2;
  w.tid = t.tid();
  w.pi_mm = &mm;
  waiters_.push_back(&w);
  SleepLocked(w, deadline);
  if (w.woken) return {};  // owns addr2
  if (w.pi) {
    // Already moved to the lock: Linux does not restart (the condition
    // word has changed) and reports EAGAIN for an interruption.
    return util::Errno(w.interrupted ? EAGAIN : ETIMEDOUT);
  }
  return util::Errno(w.interrupted ? EINTR : ETIMEDOUT);
}

util::ErrnoOr<int> Futexes::CmpRequeuePi(Task& t, uint64_t addr, uint64_t addr2, int n_requeue,
                                         uint32_t expected) {
  if ((addr & 3) || (addr2 & 3)) return util::Errno(EINVAL);
  if (addr == addr2) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  mm::MemoryManager& mm = t.mm();
  uint32_t value;
  RETURN_IF_ERRNO(mm.CopyInObj(mm::UserAddr(addr), &value));
  if (value != expected) return util::Errno(EAGAIN);
  std::vector<Waiter*> queue;
  for (Waiter* w : waiters_) {
    if (w->woken || w->mm != &mm || w->addr != addr) continue;
    // Only FUTEX_WAIT_REQUEUE_PI waiters bound for addr2 may be moved.
    if (w->pi || w->requeue_pi_addr != addr2) return util::Errno(EINVAL);
    queue.push_back(w);
  }
  if (queue.empty()) return 0;
  // Take the lock for the first waiter if it is free (then it is woken
  // owning it); otherwise it queues on the lock like the others. The
  // lock's FUTEX_WAITERS is set either way, as Linux does.
  int count = 0;
  size_t i = 0;
  ASSIGN_OR_RETURN_ERRNO(int taken,
                         LockPiAtomicLocked(t, mm, addr2, queue[0]->tid, false, true));
  if (taken) {
    queue[0]->woken = true;
    ++count;
    i = 1;
  }
  // nr_wake is 1 and, as in Linux, at most nr_requeue more move after it.
  const int64_t limit = int64_t{n_requeue} + 1;
  for (; i < queue.size() && count < limit; ++i) {
    Waiter* w = queue[i];
    w->addr = addr2;
    w->requeue_pi_addr = 0;
    w->pi = true;
    ++count;
  }
  if (taken && FirstPiWaiterLocked(&mm, addr2) == nullptr) pi_owners_.erase(PiKey{&mm, addr2});
  return count;
}

// ---- Thread exit ----

void Futexes::ExitRobustListLocked(Task& t, uint64_t head_addr) {
  mm::MemoryManager& mm = t.mm();
  const uint32_t tid = static_cast<uint32_t>(t.tid());
  // Linux's handle_futex_death for one lock word.
  auto death = [&](uint64_t uaddr, bool pi, bool pending_op) {
    if (uaddr & 3) return;
    auto word = PinnedWord::Pin(mm, uaddr);
    if (!word.ok()) return;
    while (true) {
      uint32_t uval = word->Load();
      uint32_t owner = uval & L::kFUTEX_TID_MASK;
      // A non-PI lock released in user space whose wake-up the dying
      // thread never got to make: wake one waiter for it.
      // Linux wakes these as shared futexes: for a lock in shared memory
      // the waiters may be in other processes.
      auto wake_one = [&] {
        auto key = KeyOf(mm, uaddr, /*is_private=*/false);
        if (key.ok()) WakeLocked(key->space, key->addr, 1, L::kFUTEX_BITSET_MATCH_ANY);
      };
      if (pending_op && !pi && owner == 0) {
        wake_one();
        return;
      }
      if (owner != tid) return;
      uint32_t next = (uval & L::kFUTEX_WAITERS) | L::kFUTEX_OWNER_DIED;
      if (!word->Cas(uval, next)) continue;
      // PI locks are handed over with the thread's other PI locks.
      if (!pi && (uval & L::kFUTEX_WAITERS)) wake_one();
      return;
    }
  };
  L::RobustListHead head;
  if (!mm.CopyInObj(mm::UserAddr(head_addr), &head).ok()) return;
  // Bit 0 of every link marks a PI lock.
  uint64_t entry = head.list.next & ~uint64_t{1};
  bool pi = head.list.next & 1;
  uint64_t pending = head.list_op_pending & ~uint64_t{1};
  bool pending_pi = head.list_op_pending & 1;
  const uint64_t offset = static_cast<uint64_t>(head.futex_offset);
  int limit = L::kROBUST_LIST_LIMIT;
  while (entry != head_addr) {
    // The next link is read before the lock is released: once released,
    // another thread may take it and put it on its own list.
    L::RobustList next;
    bool fetched = mm.CopyInObj(mm::UserAddr(entry), &next).ok();
    if (entry != pending) death(entry + offset, pi, false);
    if (!fetched) return;
    entry = next.next & ~uint64_t{1};
    pi = next.next & 1;
    // A circular or overlong list ends here, like Linux's
    // ROBUST_LIST_LIMIT.
    if (--limit == 0) break;
  }
  if (pending != 0) death(pending + offset, pending_pi, true);
}

void Futexes::ExitRobustAndPi(Task& t, uint64_t robust_list_head, bool exiting) {
  absl::MutexLock l(&mu_);
  if (robust_list_head != 0) ExitRobustListLocked(t, robust_list_head);
  // Every PI lock the thread owns that has waiters goes to the first of
  // them, keeping FUTEX_OWNER_DIED if the robust list set it.
  std::vector<std::pair<mm::MemoryManager*, uint64_t>> owned;
  for (const auto& [key, owner] : pi_owners_) {
    if (owner != t.tid()) continue;
    Waiter* w = FirstPiWaiterLocked(key.mm, key.addr);
    if (w != nullptr) owned.emplace_back(w->pi_mm, key.addr);
  }
  for (auto [mm, addr] : owned) HandOverLocked(*mm, addr, /*keep_owner_died=*/true);
  if (exiting) exited_.insert(&t);
}

}  // namespace sentry::kernel
