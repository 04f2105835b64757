// Signal delivery for a task: default actions, handler frames laid out as
// Linux's x86-64 rt_sigframe, rt_sigreturn and the alternate stack.
#include <cstring>

#include "abi/linux/signal.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "util/logging.h"

namespace sentry::kernel {

namespace L = abi_linux;

namespace {

constexpr uint64_t kUserCs = 0x33;
constexpr uint64_t kTaskSizeMax = 0x7ffffffff000ULL;
constexpr uint64_t kUserSs = 0x2b;
constexpr uint64_t kRedZone = 128;
// Flags sigreturn may restore (the kernel's FIX_EFLAGS).
constexpr uint64_t kFixEflags = 0x50dd5;
// Flags cleared when entering a handler: TF, DF, RF.
constexpr uint64_t kHandlerClearEflags = 0x100 | 0x400 | 0x10000;
// Where the software-reserved bytes sit in the XSAVE legacy area, and the
// XSAVE header's XSTATE_BV.
constexpr size_t kSwReservedOffset = 464;
constexpr size_t kXstateBvOffset = 512;
constexpr size_t kMaxFpState = 64 << 10;

// The rt_sigframe that the handler's `ret` reads pretcode from.
struct RtSigframe {
  uint64_t pretcode;
  L::UContext uc;
  L::Siginfo info;
};
static_assert(sizeof(RtSigframe) == 440, "struct rt_sigframe on x86-64");

}  // namespace

ErrnoOrVoid Task::QueueSignal(int sig, const L::Siginfo& info) {
  bool realtime = sig >= L::kSIGRTMIN;
  uint64_t limit = realtime ? tg_.rlimit(L::kRLIMIT_SIGPENDING).rlim_cur : 0;
  {
    absl::MutexLock l(&sig_mu_);
    std::deque<L::Siginfo>& q = pending_info_[sig - 1];
    if (!realtime) {
      // Standard signals do not queue: a second instance merges into the first.
      if (q.empty()) q.push_back(info);
    } else if (tg_.queued_signals.load() >= limit) {
      // Past RLIMIT_SIGPENDING: sigqueue fails, kill still marks it pending.
      if (info.si_code < 0 && info.si_code != L::kSI_TKILL) return Errno(EAGAIN);
      if (q.empty()) {
        q.push_back(info);
        tg_.queued_signals.fetch_add(1);
      }
    } else {
      q.push_back(info);
      tg_.queued_signals.fetch_add(1);
    }
    pending_.fetch_or(L::SignalBit(sig));
  }
  Interrupt();
  tg_.signal_events().Notify(0x1 /* POLLIN */);
  return {};
}

void Task::DiscardSignals(L::SigSet set) {
  absl::MutexLock l(&sig_mu_);
  L::SigSet present = pending_.load() & set;
  while (present != 0) {
    int sig = __builtin_ctzll(present) + 1;
    present &= present - 1;
    if (sig >= L::kSIGRTMIN) tg_.queued_signals.fetch_sub(pending_info_[sig - 1].size());
    pending_info_[sig - 1].clear();
  }
  pending_.fetch_and(~set);
}

bool Task::DequeueSignal(L::SigSet set, L::Siginfo* info) {
  absl::MutexLock l(&sig_mu_);
  L::SigSet present = pending_.load() & set;
  if (present == 0) return false;
  int sig = __builtin_ctzll(present) + 1;
  std::deque<L::Siginfo>& q = pending_info_[sig - 1];
  if (q.empty()) {
    // Cannot happen (the bit follows the queue), but never hand out garbage.
    pending_.fetch_and(~L::SignalBit(sig));
    return false;
  }
  *info = q.front();
  info->si_signo = sig;
  q.pop_front();
  if (sig >= L::kSIGRTMIN) tg_.queued_signals.fetch_sub(1);
  if (q.empty()) pending_.fetch_and(~L::SignalBit(sig));
  return true;
}

ErrnoOr<int> Task::SigTimedWait(L::SigSet set, absl::Time deadline, L::Siginfo* info) {
  set &= ~L::kUnblockableSignals;
  // A signal sent to the process while every thread blocked it waits on
  // another thread: take it from there too.
  auto take = [&]() {
    if (DequeueSignal(set, info)) return true;
    for (Task* other : tg_.tasks()) {
      if (other == this) continue;
      if (other->DequeueSignal(set & other->signal_mask(), info)) return true;
    }
    return false;
  };
  if (take()) return info->si_signo;
  // While waiting, the awaited signals are unblocked so that they wake
  // this thread (and process-directed ones are sent here); they are taken
  // before any handler could see them.
  L::SigSet old = sigmask_.load();
  set_signal_mask(old & ~set);
  ErrnoOr<int> result = Errno(EAGAIN);
  while (true) {
    if (take()) {
      result = info->si_signo;
      break;
    }
    if (absl::Now() >= deadline) break;
    if (!Sleep(deadline)) {
      if (take()) {
        result = info->si_signo;
      } else {
        result = Errno(EINTR);
      }
      break;
    }
  }
  set_signal_mask(old);
  return result;
}

SyscallResult Task::RunRestartBlock() {
  if (!restart_block_) return Errno(EINTR);  // Linux's do_no_restart_syscall
  std::function<SyscallResult(Task&)> fn = std::move(restart_block_);
  restart_block_ = nullptr;
  return fn(*this);
}

void Task::HandleRestart(const L::SigAction* act) {
  int e = restart_errno_;
  restart_errno_ = 0;
  if (e == 0) return;
  bool restart = true;
  if (act != nullptr) {
    switch (e) {
      case kERESTARTSYS:
        restart = act->flags & L::kSA_RESTART;
        break;
      case kERESTARTNOINTR:
        restart = true;
        break;
      default:  // ERESTARTNOHAND, ERESTART_RESTARTBLOCK
        restart = false;
        break;
    }
  }
  if (!restart) {
    regs_.rax = static_cast<uint64_t>(-static_cast<int64_t>(EINTR));
    return;
  }
  // Back over the 2-byte `syscall` instruction, with the number in rax again.
  regs_.rip -= 2;
  regs_.rax = e == kERESTART_RESTARTBLOCK ? static_cast<uint64_t>(L::kNR_restart_syscall)
                                          : regs_.orig_rax;
}

void Task::WaitWhileStopped() {
  if (tg_.stopped()) tg_.WaitWhileStopped();
}

bool Task::DefaultSignalAction(int sig) {
  switch (DefaultActionFor(sig)) {
    case DefaultAction::kTerminate:
      ExitGroup(sig);
      return true;
    case DefaultAction::kCore:
      ExitGroup(sig | 0x80);
      return true;
    case DefaultAction::kStop:
      tg_.Stop(sig);
      return false;
    case DefaultAction::kIgnore:
    case DefaultAction::kContinue:  // done when it was sent (PrepareSignal)
      return false;
  }
  return false;
}

void Task::SetTemporarySignalMask(L::SigSet mask) {
  if (!saved_mask_) saved_mask_ = sigmask_.load();
  set_signal_mask(mask);
}

ErrnoOrVoid Task::SigSuspend(L::SigSet mask) {
  saved_mask_ = sigmask_.load();
  set_signal_mask(mask);
  while (Sleep(absl::InfiniteFuture())) {
  }
  return Errno(kERESTARTNOHAND);
}

void Task::ProcessSignals() {
  struct RestoreMask {
    Task* t;
    ~RestoreMask() {
      // No handler took the saved mask: it comes back now.
      if (t->saved_mask_) {
        t->set_signal_mask(*t->saved_mask_);
        t->saved_mask_.reset();
      }
    }
  } restore{this};
  while (true) {
    // A stopped process runs no guest code until SIGCONT or SIGKILL.
    WaitWhileStopped();
    if (exiting_.load() || tg_.exiting()) return;
    L::SigSet deliverable = pending_.load() & ~sigmask_.load();
    if (deliverable == 0) break;
    L::Siginfo info;
    if (!DequeueSignal(deliverable, &info)) continue;
    int sig = info.si_signo;
    L::SigAction act = tg_.sigaction(sig);
    if (act.handler == L::kSIG_IGN) continue;
    if (act.handler == L::kSIG_DFL) {
      if (DefaultSignalAction(sig)) return;
      continue;
    }
    HandleRestart(&act);
    if (!SetupSignalFrame(sig, act, info)) {
      // The frame could not be written: the kernel's force_sigsegv.
      tg_.set_sigaction(L::kSIGSEGV, L::SigAction{});
      ExitGroup(L::kSIGSEGV | 0x80);
    }
    return;  // one frame per return to the guest
  }
  // No handler ran: an interrupted syscall starts again.
  HandleRestart(nullptr);
}

void Task::ForceSignal(const L::Siginfo& info) {
  int sig = info.si_signo;
  L::SigAction act = tg_.sigaction(sig);
  bool blocked = sigmask_.load() & L::SignalBit(sig);
  if (blocked || act.handler == L::kSIG_IGN) {
    // A fault cannot be ignored or postponed: reset to the default action.
    act = L::SigAction{};
    tg_.set_sigaction(sig, act);
    sigmask_.fetch_and(~L::SignalBit(sig));
  }
  if (act.handler == L::kSIG_DFL) {
    if (!DefaultSignalAction(sig)) ExitGroup(sig | 0x80);
    return;
  }
  if (!SetupSignalFrame(sig, act, info)) ExitGroup(L::kSIGSEGV | 0x80);
}

bool Task::OnAltstack(uint64_t sp) const {
  return !(altstack_.ss_flags & L::kSS_DISABLE) && sp - altstack_.ss_sp < altstack_.ss_size;
}

L::StackT Task::altstack() const {
  L::StackT ss = altstack_;
  if (OnAltstack(regs_.rsp)) {
    ss.ss_flags = L::kSS_ONSTACK | (altstack_.ss_flags & L::kSS_AUTODISARM);
  }
  return ss;
}

ErrnoOrVoid Task::SetAltstack(const L::StackT& ss) {
  if (OnAltstack(regs_.rsp)) return Errno(EPERM);
  int mode = ss.ss_flags & ~static_cast<int>(L::kSS_FLAG_BITS);
  if (mode != 0 && mode != L::kSS_DISABLE && mode != L::kSS_ONSTACK) return Errno(EINVAL);
  if (mode == L::kSS_DISABLE) {
    altstack_ = L::StackT{0, L::kSS_DISABLE, 0, 0};
    return {};
  }
  if (ss.ss_size < L::kMINSIGSTKSZ) return Errno(ENOMEM);
  altstack_ = ss;
  altstack_.ss_flags = ss.ss_flags & static_cast<int>(L::kSS_FLAG_BITS);
  return {};
}

bool Task::SetupSignalFrame(int sig, const L::SigAction& act, const L::Siginfo& info) {
  if (!(act.flags & L::kSA_RESTORER)) return false;  // x86-64 needs a restorer
  std::vector<uint8_t> fp;
  if (absl::Status s = ctx_->GetFpState(fp); !s.ok() || fp.size() < kXstateBvOffset + 64) {
    SK_LOG(ERROR) << "task " << tid_ << ": cannot read FPU state for a signal frame";
    return false;
  }
  L::StackT uc_stack = altstack();
  uint64_t sp = regs_.rsp;
  if ((act.flags & L::kSA_ONSTACK) && !(altstack_.ss_flags & L::kSS_DISABLE) && !OnAltstack(sp)) {
    sp = altstack_.ss_sp + altstack_.ss_size;
    if (altstack_.ss_flags & L::kSS_AUTODISARM) altstack_ = L::StackT{0, L::kSS_DISABLE, 0, 0};
  } else {
    sp -= kRedZone;
  }

  // The FPU state, 64-byte aligned, with the software bytes describing it
  // and FP_XSTATE_MAGIC2 after it.
  uint32_t xstate_size = static_cast<uint32_t>(fp.size());
  uint32_t extended = xstate_size + static_cast<uint32_t>(L::kFP_XSTATE_MAGIC2_SIZE);
  L::FpxSwBytes sw{};
  sw.magic1 = L::kFP_XSTATE_MAGIC1;
  sw.extended_size = extended;
  std::memcpy(&sw.xfeatures, fp.data() + kXstateBvOffset, sizeof(sw.xfeatures));
  sw.xstate_size = xstate_size;
  std::memcpy(fp.data() + kSwReservedOffset, &sw, sizeof(sw));
  fp.resize(extended);
  std::memcpy(fp.data() + xstate_size, &L::kFP_XSTATE_MAGIC2, L::kFP_XSTATE_MAGIC2_SIZE);
  sp = (sp - extended) & ~uint64_t{63};
  uint64_t fp_addr = sp;

  sp = ((sp - sizeof(RtSigframe)) & ~uint64_t{15}) - 8;
  RtSigframe frame{};
  frame.pretcode = act.restorer;
  frame.info = info;
  frame.info.si_signo = sig;
  L::UContext& uc = frame.uc;
  uc.uc_flags = L::kUC_FP_XSTATE | L::kUC_SIGCONTEXT_SS | L::kUC_STRICT_RESTORE_SS;
  uc.uc_stack = uc_stack;
  L::SigContext& sc = uc.uc_mcontext;
  sc.r8 = regs_.r8;
  sc.r9 = regs_.r9;
  sc.r10 = regs_.r10;
  sc.r11 = regs_.r11;
  sc.r12 = regs_.r12;
  sc.r13 = regs_.r13;
  sc.r14 = regs_.r14;
  sc.r15 = regs_.r15;
  sc.rdi = regs_.rdi;
  sc.rsi = regs_.rsi;
  sc.rbp = regs_.rbp;
  sc.rbx = regs_.rbx;
  sc.rdx = regs_.rdx;
  sc.rax = regs_.rax;
  sc.rcx = regs_.rcx;
  sc.rsp = regs_.rsp;
  sc.rip = regs_.rip;
  sc.eflags = regs_.eflags;
  sc.cs = kUserCs;
  sc.ss = kUserSs;
  if (sig == L::kSIGSEGV || sig == L::kSIGBUS) {
    sc.trapno = 14;  // page fault
    sc.cr2 = info._sifields._sigfault._addr;
  }
  // After rt_sigsuspend the handler returns to the mask from before it.
  L::SigSet old_mask = saved_mask_.value_or(sigmask_.load());
  L::SigSet base_mask = sigmask_.load();
  sc.oldmask = old_mask;
  sc.fpstate = fp_addr;
  uc.uc_sigmask = old_mask;

  if (!mm_->CopyOutObj(mm::UserAddr(sp), frame).ok()) return false;
  auto n = mm_->CopyOut(mm::UserAddr(fp_addr), fp.data(), fp.size());
  if (!n.ok() || *n != fp.size()) return false;

  regs_.rsp = sp;
  regs_.rip = act.handler;
  regs_.rdi = static_cast<uint64_t>(sig);
  regs_.rsi = sp + offsetof(RtSigframe, info);
  regs_.rdx = sp + offsetof(RtSigframe, uc);
  regs_.rax = 0;
  regs_.eflags &= ~kHandlerClearEflags;
  regs_.cs = kUserCs;
  regs_.ss = kUserSs;

  L::SigSet mask = base_mask | act.mask;
  if (!(act.flags & L::kSA_NODEFER)) mask |= L::SignalBit(sig);
  set_signal_mask(mask);
  saved_mask_.reset();
  if (act.flags & L::kSA_RESETHAND) {
    L::SigAction reset{};
    tg_.set_sigaction(sig, reset);
  }
  return true;
}

ErrnoOrVoid Task::SigReturn() {
  // The handler's `ret` popped pretcode: rsp points at the ucontext.
  uint64_t frame = regs_.rsp - 8;
  RtSigframe f;
  RETURN_IF_ERRNO(mm_->CopyInObj(mm::UserAddr(frame), &f));
  const L::SigContext& sc = f.uc.uc_mcontext;
  // A non-canonical instruction pointer cannot be returned to (the platform
  // would refuse the registers): the guest gets SIGSEGV, as on Linux.
  if (sc.rip >= kTaskSizeMax) return Errno(EFAULT);

  std::vector<uint8_t> fp;
  if (sc.fpstate != 0) {
    L::FpxSwBytes sw;
    RETURN_IF_ERRNO(mm_->CopyInObj(mm::UserAddr(sc.fpstate + kSwReservedOffset), &sw));
    if (sw.magic1 != L::kFP_XSTATE_MAGIC1 || sw.xstate_size < kXstateBvOffset + 64 ||
        sw.xstate_size > kMaxFpState) {
      return Errno(EFAULT);  // Only the XSAVE frames we write are restored.
    }
    fp.resize(sw.xstate_size);
    auto n = mm_->CopyIn(mm::UserAddr(sc.fpstate), fp.data(), fp.size());
    if (!n.ok() || *n != fp.size()) return Errno(EFAULT);
    if (!ctx_->SetFpState(fp).ok()) return Errno(EFAULT);
  }

  regs_.r8 = sc.r8;
  regs_.r9 = sc.r9;
  regs_.r10 = sc.r10;
  regs_.r11 = sc.r11;
  regs_.r12 = sc.r12;
  regs_.r13 = sc.r13;
  regs_.r14 = sc.r14;
  regs_.r15 = sc.r15;
  regs_.rdi = sc.rdi;
  regs_.rsi = sc.rsi;
  regs_.rbp = sc.rbp;
  regs_.rbx = sc.rbx;
  regs_.rdx = sc.rdx;
  regs_.rax = sc.rax;
  regs_.rcx = sc.rcx;
  regs_.rsp = sc.rsp;
  regs_.rip = sc.rip;
  regs_.eflags = (regs_.eflags & ~kFixEflags) | (sc.eflags & kFixEflags);
  regs_.cs = kUserCs;
  regs_.ss = kUserSs;
  regs_.orig_rax = ~uint64_t{0};  // no syscall restart
  restart_block_ = nullptr;       // restart_syscall now fails with EINTR, as on Linux
  set_signal_mask(f.uc.uc_sigmask);
  // sigreturn also restores the alternate stack settings; failures are
  // ignored as Linux does.
  (void)SetAltstack(f.uc.uc_stack);
  return {};
}

}  // namespace sentry::kernel
