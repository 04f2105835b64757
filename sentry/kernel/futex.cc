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
  return WakeLocked(mm, addr, n, bitset);
}

int Futexes::WakeLocked(const mm::MemoryManager* mm, uint64_t addr, int n, uint32_t bitset) {
  int woken = 0;
  for (Waiter* w : waiters_) {
    if (woken >= n) break;
    if (w->woken || w->mm != mm || w->addr != addr || !(w->bitset & bitset)) continue;
    w->woken = true;
    ++woken;
  }
  return woken;
}

util::ErrnoOr<int> Futexes::Requeue(Task& t, uint64_t addr, uint64_t addr2, int n_wake,
                                    int n_requeue, std::optional<uint32_t> expected,
                                    bool count_requeued) {
  if ((addr & 3) || (addr2 & 3)) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  if (expected) {
    uint32_t value;
    RETURN_IF_ERRNO(t.mm().CopyInObj(mm::UserAddr(addr), &value));
    if (value != *expected) return util::Errno(EAGAIN);
  }
  const mm::MemoryManager* mm = &t.mm();
  int woken = WakeLocked(mm, addr, n_wake, ~uint32_t{0});
  int moved = 0;
  for (Waiter* w : waiters_) {
    if (moved >= n_requeue) break;
    if (w->woken || w->mm != mm || w->addr != addr) continue;
    w->addr = addr2;
    ++moved;
  }
  return count_requeued ? woken + moved : woken;
}

util::ErrnoOr<int> Futexes::WakeOp(Task& t, uint64_t addr, uint64_t addr2, int n, int n2,
                                   uint32_t encoded_op) {
  if ((addr & 3) || (addr2 & 3)) return util::Errno(EINVAL);
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
  const mm::MemoryManager* mm = &t.mm();
  int woken = WakeLocked(mm, addr, n, ~uint32_t{0});
  if (pass) woken += WakeLocked(mm, addr2, n2, ~uint32_t{0});
  return woken;
}

void Futexes::Interrupt(const Task* t) {
  absl::MutexLock l(&mu_);
  for (Waiter* w : waiters_) {
    if (w->task == t) w->interrupted = true;
  }
}

}  // namespace sentry::kernel
