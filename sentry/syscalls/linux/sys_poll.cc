// poll(2), ppoll(2), select(2), pselect6(2), the epoll family and
// eventfd(2). Waiting is on the files' wait queues (vfs/waiter.h); a signal
// ends a wait with EINTR.
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>

#include "abi/linux/signal.h"
#include "abi/linux/time.h"
#include "sentry/fsimpl/epoll/epoll.h"
#include "sentry/fsimpl/eventfd/eventfd.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

struct PollItem {
  int fd;
  uint32_t events;  // what the caller asked for (POLLERR/POLLHUP always)
  uint32_t revents = 0;
  std::shared_ptr<vfs::FileDescription> file;
};

// The core of poll and select: fills revents, waiting until something is
// ready, the deadline passes, or a signal arrives (EINTR).
ErrnoOr<int> DoPollItems(Task& t, std::vector<PollItem>& items, absl::Time deadline) {
  for (PollItem& it : items) {
    if (it.fd >= 0) it.file = t.fds().Get(it.fd);
  }
  vfs::Waiter w;
  std::vector<vfs::WaitQueue*> registered;
  ErrnoOr<int> result = 0;
  while (true) {
    int n = 0;
    for (PollItem& it : items) {
      it.revents = 0;
      if (it.fd < 0) continue;
      if (!it.file) {
        it.revents = POLLNVAL;
      } else {
        uint32_t want = it.events | POLLERR | POLLHUP;
        it.revents = it.file->Readiness(want) & want;
      }
      if (it.revents != 0) ++n;
    }
    if (n > 0 || absl::Now() >= deadline) {
      result = n;
      break;
    }
    if (registered.empty()) {
      for (PollItem& it : items) {
        if (!it.file) continue;
        if (vfs::WaitQueue* q = it.file->events()) {
          q->Add(&w, 0);
          registered.push_back(q);
        }
      }
      if (!registered.empty()) continue;  // re-check after registering
      registered.push_back(nullptr);      // nothing to register: just tick
    }
    vfs::Waiter::Result r = w.Wait(deadline);
    if (r == vfs::Waiter::Result::kInterrupted) {
      result = Errno(EINTR);
      break;
    }
  }
  for (vfs::WaitQueue* q : registered) {
    if (q) q->Remove(&w);
  }
  return result;
}

absl::Time DeadlineFromMs(int ms) {
  if (ms < 0) return absl::InfiniteFuture();
  return absl::Now() + absl::Milliseconds(ms);
}

ErrnoOr<absl::Time> DeadlineFromTimespec(Task& t, mm::UserAddr addr) {
  if (addr.IsNull()) return absl::InfiniteFuture();
  L::Timespec ts;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &ts));
  if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return Errno(EINVAL);
  return absl::Now() + absl::Seconds(ts.tv_sec) + absl::Nanoseconds(ts.tv_nsec);
}

// Writes back the time left, as Linux does for ppoll, select and pselect.
void WriteBackTimespec(Task& t, mm::UserAddr addr, absl::Time deadline) {
  if (addr.IsNull() || deadline == absl::InfiniteFuture()) return;
  absl::Duration left = std::max(absl::ZeroDuration(), deadline - absl::Now());
  L::Timespec ts{absl::ToInt64Seconds(left),
                 absl::ToInt64Nanoseconds(left % absl::Seconds(1))};
  (void)t.CopyOutObj(addr, ts);
}

ErrnoOrVoid SetWaitMask(Task& t, mm::UserAddr mask_addr, uint64_t size) {
  if (mask_addr.IsNull()) return {};
  if (size != sizeof(L::SigSet)) return Errno(EINVAL);
  L::SigSet mask;
  RETURN_IF_ERRNO(t.CopyInObj(mask_addr, &mask));
  mask &= ~(L::SignalBit(L::kSIGKILL) | L::SignalBit(L::kSIGSTOP));
  t.SetTemporarySignalMask(mask);
  return {};
}

// Linux's restore_saved_sigmask_unless(interrupted): the mask a call set
// for its wait stays only for the signal delivery an interrupted call
// leads to. A call that returns anything else puts the caller's mask
// (`old`) back first, so a signal that only the wait's mask let through
// stays pending.
void EndWaitMask(Task& t, mm::UserAddr mask_addr, L::SigSet old, const SyscallResult& r) {
  if (!mask_addr.IsNull() && r.error() != EINTR) t.set_signal_mask(old);
}

SyscallResult PollCommon(Task& t, mm::UserAddr fds_addr, uint64_t nfds, absl::Time deadline) {
  if (nfds > NofileLimit(t) && nfds > 16) return Errno(EINVAL);
  std::vector<pollfd> raw(nfds);
  if (nfds > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(fds_addr, raw.data(), nfds * sizeof(pollfd)));
    if (n != nfds * sizeof(pollfd)) return Errno(EFAULT);
  }
  std::vector<PollItem> items;
  items.reserve(nfds);
  for (const pollfd& p : raw) items.push_back(PollItem{p.fd, static_cast<uint16_t>(p.events), 0, nullptr});
  ASSIGN_OR_RETURN_ERRNO(int n, DoPollItems(t, items, deadline));
  for (size_t i = 0; i < nfds; ++i) raw[i].revents = static_cast<int16_t>(items[i].revents);
  if (nfds > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t w, t.CopyOut(fds_addr, raw.data(), nfds * sizeof(pollfd)));
    if (w != nfds * sizeof(pollfd)) return Errno(EFAULT);
  }
  return n;
}

// select's sets as poll items; POLLIN_SET etc. as Linux's select maps them.
constexpr uint32_t kInSet = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
constexpr uint32_t kOutSet = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
constexpr uint32_t kExSet = POLLPRI;

SyscallResult SelectCommon(Task& t, int nfds, mm::UserAddr rd, mm::UserAddr wr, mm::UserAddr ex,
                           absl::Time deadline) {
  if (nfds < 0) return Errno(EINVAL);
  nfds = std::min<int>(nfds, static_cast<int>(std::min<uint64_t>(NofileLimit(t), 1 << 20)));
  size_t bytes = (static_cast<size_t>(nfds) + 63) / 64 * 8;
  std::vector<uint64_t> sets[3];
  mm::UserAddr addrs[3] = {rd, wr, ex};
  for (int k = 0; k < 3; ++k) {
    sets[k].assign(bytes / 8, 0);
    if (!addrs[k].IsNull() && bytes > 0) {
      ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(addrs[k], sets[k].data(), bytes));
      if (n != bytes) return Errno(EFAULT);
    }
  }
  std::vector<PollItem> items;
  for (int fd = 0; fd < nfds; ++fd) {
    uint32_t ev = 0;
    uint64_t bit = uint64_t{1} << (fd % 64);
    if (sets[0][fd / 64] & bit) ev |= POLLIN;
    if (sets[1][fd / 64] & bit) ev |= POLLOUT;
    if (sets[2][fd / 64] & bit) ev |= POLLPRI;
    if (ev == 0) continue;
    if (!t.fds().Get(fd)) return Errno(EBADF);
    items.push_back(PollItem{fd, ev, 0, nullptr});
  }
  ASSIGN_OR_RETURN_ERRNO(int ignored, DoPollItems(t, items, deadline));
  (void)ignored;
  for (auto& s : sets) std::fill(s.begin(), s.end(), 0);
  int count = 0;
  for (const PollItem& it : items) {
    uint64_t bit = uint64_t{1} << (it.fd % 64);
    if ((it.events & POLLIN) && (it.revents & kInSet)) {
      sets[0][it.fd / 64] |= bit;
      ++count;
    }
    if ((it.events & POLLOUT) && (it.revents & kOutSet)) {
      sets[1][it.fd / 64] |= bit;
      ++count;
    }
    if ((it.events & POLLPRI) && (it.revents & kExSet)) {
      sets[2][it.fd / 64] |= bit;
      ++count;
    }
  }
  for (int k = 0; k < 3; ++k) {
    if (!addrs[k].IsNull() && bytes > 0) {
      ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(addrs[k], sets[k].data(), bytes));
      if (n != bytes) return Errno(EFAULT);
    }
  }
  return count;
}

}  // namespace

SyscallResult SysPoll(Task& t, const SyscallArgs& a) {
  // Interrupted waits restart when no handler runs (Linux's ERESTARTNOHAND).
  return PollCommon(t, a.Addr(0), a[1], DeadlineFromMs(a.Int(2)))
      .RestartOnEintr(kernel::kERESTARTNOHAND);
}

SyscallResult SysPpoll(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(absl::Time deadline, DeadlineFromTimespec(t, a.Addr(2)));
  const L::SigSet old_mask = t.signal_mask();
  RETURN_IF_ERRNO(SetWaitMask(t, a.Addr(3), a[4]));
  SyscallResult r = PollCommon(t, a.Addr(0), a[1], deadline);
  EndWaitMask(t, a.Addr(3), old_mask, r);
  WriteBackTimespec(t, a.Addr(2), deadline);
  return r.RestartOnEintr(kernel::kERESTARTNOHAND);
}

SyscallResult SysSelect(Task& t, const SyscallArgs& a) {
  absl::Time deadline = absl::InfiniteFuture();
  if (!a.Addr(4).IsNull()) {
    L::Timeval tv;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(4), &tv));
    // As Linux takes it: whole seconds in tv_usec carry into tv_sec, and
    // only a negative result is invalid.
    int64_t sec;
    if (__builtin_add_overflow(tv.tv_sec, tv.tv_usec / 1000000, &sec)) sec = INT64_MAX;
    const int64_t usec = tv.tv_usec % 1000000;
    if (sec < 0 || usec < 0) return Errno(EINVAL);
    deadline = absl::Now() + absl::Seconds(sec) + absl::Microseconds(usec);
  }
  SyscallResult r = SelectCommon(t, a.Int(0), a.Addr(1), a.Addr(2), a.Addr(3), deadline);
  if (!a.Addr(4).IsNull()) {
    absl::Duration left = std::max(absl::ZeroDuration(), deadline - absl::Now());
    L::Timeval tv{absl::ToInt64Seconds(left),
                  absl::ToInt64Microseconds(left % absl::Seconds(1))};
    (void)t.CopyOutObj(a.Addr(4), tv);
  }
  return r.RestartOnEintr(kernel::kERESTARTNOHAND);
}

SyscallResult SysPselect6(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(absl::Time deadline, DeadlineFromTimespec(t, a.Addr(4)));
  const L::SigSet old_mask = t.signal_mask();
  mm::UserAddr mask_addr;
  if (!a.Addr(5).IsNull()) {
    struct {
      uint64_t ss;
      uint64_t len;
    } sig;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(5), &sig));
    mask_addr = mm::UserAddr(sig.ss);
    RETURN_IF_ERRNO(SetWaitMask(t, mask_addr, sig.len));
  }
  SyscallResult r = SelectCommon(t, a.Int(0), a.Addr(1), a.Addr(2), a.Addr(3), deadline);
  EndWaitMask(t, mask_addr, old_mask, r);
  WriteBackTimespec(t, a.Addr(4), deadline);
  return r.RestartOnEintr(kernel::kERESTARTNOHAND);
}

// ---- epoll ----

namespace {

ErrnoOr<std::shared_ptr<fsimpl::epoll::EpollFile>> GetEpoll(Task& t, int fd) {
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  auto ep = std::dynamic_pointer_cast<fsimpl::epoll::EpollFile>(f);
  if (!ep) return Errno(EINVAL);
  return ep;
}

// struct epoll_event is packed on x86-64: 4 bytes of events, 8 of data.
struct __attribute__((packed)) EpollEvent {
  uint32_t events;
  uint64_t data;
};
static_assert(sizeof(EpollEvent) == 12);

SyscallResult EpollWaitCommon(Task& t, int epfd, mm::UserAddr out, int max, absl::Time deadline) {
  if (max <= 0 || static_cast<uint64_t>(max) > (uint64_t{INT32_MAX} / sizeof(EpollEvent))) {
    return Errno(EINVAL);
  }
  ASSIGN_OR_RETURN_ERRNO(auto ep, GetEpoll(t, epfd));
  // The buffer must be writable before anything is consumed.
  EpollEvent probe{};
  RETURN_IF_ERRNO(t.CopyOutObj(out, probe));
  ASSIGN_OR_RETURN_ERRNO(std::vector<fsimpl::epoll::Event> evs, ep->Wait(max, deadline));
  std::vector<EpollEvent> raw;
  raw.reserve(evs.size());
  for (const auto& e : evs) raw.push_back(EpollEvent{e.events, e.data});
  if (!raw.empty()) {
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(out, raw.data(), raw.size() * sizeof(EpollEvent)));
    if (n != raw.size() * sizeof(EpollEvent)) return Errno(EFAULT);
  }
  return raw.size();
}

}  // namespace

SyscallResult SysEpollCreate1(Task& t, const SyscallArgs& a) {
  int flags = a.Int(0);
  if (flags & ~EPOLL_CLOEXEC) return Errno(EINVAL);
  auto ep = std::make_shared<fsimpl::epoll::EpollFile>(0);
  return t.fds().Install(std::move(ep), 0, flags & EPOLL_CLOEXEC, NofileLimit(t));
}

SyscallResult SysEpollCreate(Task& t, const SyscallArgs& a) {
  if (a.Int(0) <= 0) return Errno(EINVAL);
  return SysEpollCreate1(t, SyscallArgs{{0, 0, 0, 0, 0, 0}});
}

SyscallResult SysEpollCtl(Task& t, const SyscallArgs& a) {
  int op = a.Int(1), fd = a.Int(2);
  // Linux's order: the event (EFAULT), both fds (EBADF), whether the target
  // can be watched (EPERM), and only then whether epfd is an epoll (EINVAL).
  EpollEvent ev{};
  if (op != EPOLL_CTL_DEL) RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &ev));
  auto epf = t.fds().Get(a.Int(0));
  if (!epf) return Errno(EBADF);
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  if (!fsimpl::epoll::EpollFile::CanWatch(*f)) return Errno(EPERM);
  auto ep = std::dynamic_pointer_cast<fsimpl::epoll::EpollFile>(epf);
  if (!ep) return Errno(EINVAL);
  RETURN_IF_ERRNO(ep->Ctl(op, fd, f, fsimpl::epoll::Event{ev.events, ev.data}));
  return 0;
}

SyscallResult SysEpollWait(Task& t, const SyscallArgs& a) {
  return EpollWaitCommon(t, a.Int(0), a.Addr(1), a.Int(2), DeadlineFromMs(a.Int(3)));
}

SyscallResult SysEpollPwait(Task& t, const SyscallArgs& a) {
  const L::SigSet old_mask = t.signal_mask();
  RETURN_IF_ERRNO(SetWaitMask(t, a.Addr(4), a[5]));
  SyscallResult r = EpollWaitCommon(t, a.Int(0), a.Addr(1), a.Int(2), DeadlineFromMs(a.Int(3)));
  EndWaitMask(t, a.Addr(4), old_mask, r);
  return r;
}

SyscallResult SysEpollPwait2(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(absl::Time deadline, DeadlineFromTimespec(t, a.Addr(3)));
  const L::SigSet old_mask = t.signal_mask();
  RETURN_IF_ERRNO(SetWaitMask(t, a.Addr(4), a[5]));
  SyscallResult r = EpollWaitCommon(t, a.Int(0), a.Addr(1), a.Int(2), deadline);
  EndWaitMask(t, a.Addr(4), old_mask, r);
  return r;
}

// ---- eventfd ----

SyscallResult SysEventfd2(Task& t, const SyscallArgs& a) {
  int flags = a.Int(1);
  if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE)) return Errno(EINVAL);
  auto f = std::make_shared<fsimpl::eventfd::EventFd>(a.Uint(0), flags);
  return t.fds().Install(std::move(f), 0, flags & EFD_CLOEXEC, NofileLimit(t));
}

SyscallResult SysEventfd(Task& t, const SyscallArgs& a) {
  return SysEventfd2(t, SyscallArgs{{a[0], 0, 0, 0, 0, 0}});
}

}  // namespace sentry::syscalls
