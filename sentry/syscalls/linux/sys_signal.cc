// rt_sigaction(2), rt_sigprocmask(2), rt_sigpending(2), rt_sigreturn(2),
// sigaltstack(2), kill(2), tgkill(2), tkill(2), rt_sigqueueinfo(2),
// rt_tgsigqueueinfo(2), rt_sigtimedwait(2), signalfd(2), signalfd4(2).
#include <fcntl.h>

#include <limits>
#include <memory>

#include "abi/linux/resource.h"
#include "abi/linux/signal.h"
#include "abi/linux/signalfd.h"
#include "abi/linux/time.h"
#include "sentry/fsimpl/signalfd/signalfd.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

bool ValidSignal(int sig) { return sig >= 1 && sig <= L::kNumSignals; }

L::Siginfo FromSender(Task& t, int sig, int code) {
  L::Siginfo info{};
  info.si_signo = sig;
  info.si_code = code;
  info.SetPid(t.thread_group().pid());
  info.SetUid(t.thread_group().creds().ruid);
  return info;
}

// Sends `info` to one thread: SIGKILL kills its process; a signal that is
// blocked is queued even when ignored (the disposition may change before
// it is unblocked).
SyscallResult SignalThread(kernel::Task& target, const L::Siginfo& info) {
  int sig = info.si_signo;
  if (sig == L::kSIGKILL) {
    target.thread_group().SendSignal(info);
    return 0;
  }
  target.thread_group().PrepareSignal(sig);
  if ((target.signal_mask() & L::SignalBit(sig)) || !target.thread_group().IsIgnored(sig)) {
    RETURN_IF_ERRNO(target.QueueSignal(sig, info));
  }
  return 0;
}

// The siginfo of rt_sigqueueinfo/rt_tgsigqueueinfo. Only the caller may
// send itself one that claims to come from the kernel or kill/tkill
// (si_code >= 0 or SI_TKILL).
ErrnoOr<L::Siginfo> QueuedInfo(Task& t, int target_pid, int sig, mm::UserAddr addr) {
  L::Siginfo info;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &info));
  if ((info.si_code >= 0 || info.si_code == L::kSI_TKILL) && target_pid != t.tid()) {
    return Errno(EPERM);
  }
  info.si_signo = sig;
  return info;
}

}  // namespace

SyscallResult SysRtSigaction(Task& t, const SyscallArgs& a) {
  int sig = a.Int(0);
  if (a[3] != sizeof(L::SigSet)) return Errno(EINVAL);
  if (!ValidSignal(sig)) return Errno(EINVAL);
  L::SigAction old = t.thread_group().sigaction(sig);
  if (!a.Addr(1).IsNull()) {
    L::SigAction act;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &act));
    if (sig == L::kSIGKILL || sig == L::kSIGSTOP) return Errno(EINVAL);
    act.mask &= ~L::kUnblockableSignals;
    t.thread_group().set_sigaction(sig, act);
    if (t.thread_group().IsIgnored(sig)) t.thread_group().DiscardPending(sig);
  }
  if (!a.Addr(2).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), old));
  return 0;
}

SyscallResult SysRtSigprocmask(Task& t, const SyscallArgs& a) {
  int how = a.Int(0);
  if (a[3] != sizeof(L::SigSet)) return Errno(EINVAL);
  L::SigSet old = t.signal_mask();
  if (!a.Addr(1).IsNull()) {
    L::SigSet set;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &set));
    switch (how) {
      case L::kSIG_BLOCK:
        t.set_signal_mask(old | set);
        break;
      case L::kSIG_UNBLOCK:
        t.set_signal_mask(old & ~set);
        break;
      case L::kSIG_SETMASK:
        t.set_signal_mask(set);
        break;
      default:
        return Errno(EINVAL);
    }
  }
  if (!a.Addr(2).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), old));
  return 0;
}

SyscallResult SysRtSigpending(Task& t, const SyscallArgs& a) {
  if (a[1] > sizeof(L::SigSet)) return Errno(EINVAL);
  L::SigSet pending = t.pending_signals() & t.signal_mask();
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(0), &pending, a[1]));
  (void)n;
  return 0;
}

SyscallResult SysKill(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0), sig = a.Int(1);
  if (sig < 0 || sig > L::kNumSignals) return Errno(EINVAL);
  // pid > 0: that process; 0: the caller's process group; -1: every
  // process but init and the caller; < -1: the group -pid.
  std::vector<kernel::ThreadGroup*> targets;
  if (pid > 0) {
    if (kernel::ThreadGroup* tg = t.kernel().ThreadGroupByPid(pid)) targets.push_back(tg);
  } else if (pid == -1) {
    for (kernel::ThreadGroup* tg : t.kernel().LiveProcesses()) {
      if (tg->pid() != 1 && tg != &t.thread_group()) targets.push_back(tg);
    }
  } else {
    if (pid == std::numeric_limits<int>::min()) return Errno(ESRCH);
    targets = t.kernel().ProcessGroup(pid == 0 ? t.thread_group().pgid() : -pid);
  }
  if (targets.empty()) return Errno(ESRCH);
  if (sig != 0) {
    for (kernel::ThreadGroup* tg : targets) tg->SendSignal(FromSender(t, sig, L::kSI_USER));
  }
  return 0;
}

SyscallResult SysTgkill(Task& t, const SyscallArgs& a) {
  int tgid = a.Int(0), tid = a.Int(1), sig = a.Int(2);
  if (tgid <= 0 || tid <= 0 || sig < 0 || sig > L::kNumSignals) return Errno(EINVAL);
  kernel::Task* target = t.kernel().TaskByTid(tid);
  if (target == nullptr || target->thread_group().pid() != tgid) return Errno(ESRCH);
  if (sig == 0) return 0;
  return SignalThread(*target, FromSender(t, sig, L::kSI_TKILL));
}

SyscallResult SysTkill(Task& t, const SyscallArgs& a) {
  int tid = a.Int(0);
  if (tid <= 0) return Errno(EINVAL);
  kernel::Task* target = t.kernel().TaskByTid(tid);
  if (target == nullptr) return Errno(ESRCH);
  SyscallArgs b{{static_cast<uint64_t>(target->thread_group().pid()), a[0], a[1], 0, 0, 0}};
  return SysTgkill(t, b);
}

SyscallResult SysRtSigsuspend(Task& t, const SyscallArgs& a) {
  if (a[1] != sizeof(L::SigSet)) return Errno(EINVAL);
  L::SigSet mask;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(0), &mask));
  return t.SigSuspend(mask);
}

SyscallResult SysPause(Task& t, const SyscallArgs&) {
  // Waits with the current mask (no mask is saved: SigSuspend saves it and
  // gives it back, unchanged).
  return t.SigSuspend(t.signal_mask());
}

SyscallResult SysRtSigreturn(Task& t, const SyscallArgs&) {
  if (!t.SigReturn().ok()) {
    L::Siginfo info{};
    info.si_signo = L::kSIGSEGV;
    info.si_code = L::kSI_KERNEL;
    t.ForceSignal(info);
  }
  return SyscallResult::RegsSet();
}

SyscallResult SysSigaltstack(Task& t, const SyscallArgs& a) {
  L::StackT old = t.altstack();
  if (!a.Addr(0).IsNull()) {
    L::StackT ss;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(0), &ss));
    RETURN_IF_ERRNO(t.SetAltstack(ss));
  }
  if (!a.Addr(1).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), old));
  return 0;
}

// rt_sigqueueinfo(2): a signal with a caller-made siginfo, to a process.
SyscallResult SysRtSigqueueinfo(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0), sig = a.Int(1);
  if (!ValidSignal(sig)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(L::Siginfo info, QueuedInfo(t, pid, sig, a.Addr(2)));
  if (pid <= 0) return Errno(ESRCH);
  kernel::ThreadGroup* tg = t.kernel().ThreadGroupByPid(pid);
  if (tg == nullptr) return Errno(ESRCH);
  RETURN_IF_ERRNO(tg->QueueSignal(info));
  return 0;
}

// rt_tgsigqueueinfo(2): the same, to one thread.
SyscallResult SysRtTgsigqueueinfo(Task& t, const SyscallArgs& a) {
  int tgid = a.Int(0), tid = a.Int(1), sig = a.Int(2);
  if (tgid <= 0 || tid <= 0 || !ValidSignal(sig)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(L::Siginfo info, QueuedInfo(t, tgid, sig, a.Addr(3)));
  kernel::Task* target = t.kernel().TaskByTid(tid);
  if (target == nullptr || target->thread_group().pid() != tgid) return Errno(ESRCH);
  return SignalThread(*target, info);
}

// rt_sigtimedwait(2): takes a pending signal of the set, waiting for one
// until the timeout (EAGAIN).
SyscallResult SysRtSigtimedwait(Task& t, const SyscallArgs& a) {
  if (a[3] != sizeof(L::SigSet)) return Errno(EINVAL);
  L::SigSet set;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(0), &set));
  absl::Time deadline = absl::InfiniteFuture();
  if (!a.Addr(2).IsNull()) {
    L::Timespec ts;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &ts));
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return Errno(EINVAL);
    deadline = absl::Now() + absl::Seconds(ts.tv_sec) + absl::Nanoseconds(ts.tv_nsec);
  }
  L::Siginfo info{};
  ASSIGN_OR_RETURN_ERRNO(int sig, t.SigTimedWait(set, deadline, &info));
  if (!a.Addr(1).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), info));
  return sig;
}

namespace {

// A signalfd's signals: those of the thread reading it, plus, for a
// signal sent to the process while every thread blocked it, those parked
// on another thread of the process that blocks them.
class ThreadGroupSignals : public fsimpl::signalfd::SignalSource {
 public:
  explicit ThreadGroupSignals(kernel::ThreadGroup& tg) : tg_(tg) {}

  L::SigSet Pending(L::SigSet mask) override {
    L::SigSet p = 0;
    kernel::Task* self = Self();
    if (self) p |= self->pending_signals() & mask;
    for (kernel::Task* other : tg_.tasks()) {
      if (other != self) p |= other->pending_signals() & other->signal_mask() & mask;
    }
    return p;
  }
  bool Dequeue(L::SigSet mask, L::Siginfo* info) override {
    kernel::Task* self = Self();
    if (self && self->DequeueSignal(mask, info)) return true;
    for (kernel::Task* other : tg_.tasks()) {
      if (other != self && other->DequeueSignal(mask & other->signal_mask(), info)) return true;
    }
    return false;
  }
  vfs::WaitQueue* queue() override { return &tg_.signal_events(); }

 private:
  // Linux reads the signals of `current`; a thread of another process
  // (an inherited fd) sees this process's.
  kernel::Task* Self() {
    kernel::Task* t = kernel::Task::Current();
    return t && &t->thread_group() == &tg_ ? t : nullptr;
  }
  kernel::ThreadGroup& tg_;
};

}  // namespace

// signalfd4(2): a file reading the pending signals of `mask`; on an
// existing signalfd, changes its mask.
SyscallResult SysSignalfd4(Task& t, const SyscallArgs& a) {
  int fd = a.Int(0), flags = a.Int(3);
  if (a[2] != sizeof(L::SigSet)) return Errno(EINVAL);
  if (flags & ~(L::kSFD_CLOEXEC | L::kSFD_NONBLOCK)) return Errno(EINVAL);
  L::SigSet mask;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &mask));
  if (fd != -1) {
    std::shared_ptr<vfs::FileDescription> f = t.fds().Get(fd);
    if (!f) return Errno(EBADF);
    auto* sfd = dynamic_cast<fsimpl::signalfd::SignalFd*>(f.get());
    if (sfd == nullptr) return Errno(EINVAL);
    sfd->set_mask(mask);
    return fd;
  }
  auto src = std::make_shared<ThreadGroupSignals>(t.thread_group());
  auto f = std::make_shared<fsimpl::signalfd::SignalFd>(std::move(src), mask,
                                                        flags & L::kSFD_NONBLOCK);
  return t.fds().Install(std::move(f), 0, flags & L::kSFD_CLOEXEC,
                         t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur);
}

// signalfd(2): signalfd4 without flags.
SyscallResult SysSignalfd(Task& t, const SyscallArgs& a) {
  return SysSignalfd4(t, SyscallArgs{{a[0], a[1], a[2], 0, 0, 0}});
}

}  // namespace sentry::syscalls
