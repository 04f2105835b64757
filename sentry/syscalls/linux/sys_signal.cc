// rt_sigaction(2), rt_sigprocmask(2), rt_sigpending(2), rt_sigreturn(2),
// sigaltstack(2), kill(2), tgkill(2), tkill(2).
#include "abi/linux/signal.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

#include <limits>

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
  L::Siginfo info = FromSender(t, sig, L::kSI_TKILL);
  if (sig == L::kSIGKILL) {
    target->thread_group().SendSignal(info);
  } else if ((target->signal_mask() & L::SignalBit(sig)) ||
             !target->thread_group().IsIgnored(sig)) {
    // Blocked signals are queued even when ignored: the disposition may
    // change before they are unblocked.
    target->AddPendingSignal(sig, info);
  }
  return 0;
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

SyscallResult SysPause(Task& t, const SyscallArgs&) { return t.SigSuspend(t.signal_mask()); }

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

}  // namespace sentry::syscalls
