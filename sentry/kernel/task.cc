#include "sentry/kernel/task.h"

#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "util/logging.h"

namespace sentry::kernel {

namespace L = abi_linux;

Task::Task(Kernel& k, ThreadGroup& tg, int tid, std::shared_ptr<mm::MemoryManager> mm,
           std::shared_ptr<vfs::FdTable> fds, std::shared_ptr<FsContext> fs)
    : kernel_(k), tg_(tg), tid_(tid), mm_(std::move(mm)), fds_(std::move(fds)),
      fs_(std::move(fs)), ctx_(k.platform().NewContext()) {}

Task::~Task() { Join(); }

void Task::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Task::Join() {
  if (thread_.joinable()) thread_.join();
}

void Task::set_signal_mask(L::SigSet m) { sigmask_.store(m & ~L::kUnblockableSignals); }

void Task::AddPendingSignal(int sig) {
  pending_.fetch_or(L::SignalBit(sig));
  Interrupt();
}

void Task::Interrupt() {
  ctx_->Interrupt();
  kernel_.futexes().Interrupt(this);
}

void Task::Exit(int wait_status) {
  // The last thread's exit is its group's exit.
  if (tg_.tasks().size() <= 1) tg_.BeginExit(wait_status);
  exiting_.store(true);
}

void Task::ExitGroup(int wait_status) {
  tg_.BeginExit(wait_status);
  exiting_.store(true);
}

void Task::Run() {
  while (!exiting_.load() && !tg_.exiting()) {
    ProcessSignals();
    if (exiting_.load() || tg_.exiting()) break;
    platform::SwitchResult r = ctx_->Switch(mm_->address_space(), regs_);
    switch (r.reason) {
      case platform::StopReason::kSyscall:
        HandleSyscall();
        break;
      case platform::StopReason::kFault:
        HandleFault(r);
        break;
      case platform::StopReason::kSignal:
        // A host signal sent to the stub from outside the sandbox: the guest
        // receives it as if sent to its process.
        tg_.SendSignal(r.signo);
        break;
      case platform::StopReason::kInterrupted:
        break;
      case platform::StopReason::kDied:
        SK_LOG(ERROR) << "task " << tid_ << ": the platform lost the guest thread";
        tg_.BeginExit(L::kSIGKILL);
        break;
    }
  }
  // Give back this thread's stub thread, then drop the address space (and,
  // with its last user, the stub) and files before saying we are gone.
  mm_->address_space().ReleaseThreadForCaller();
  mm_.reset();
  fds_.reset();
  kernel_.TaskExited(this);
}

void Task::HandleSyscall() {
  int64_t nr = static_cast<int64_t>(regs_.orig_rax);
  SyscallArgs args{{regs_.rdi, regs_.rsi, regs_.rdx, regs_.r10, regs_.r8, regs_.r9}};
  const KernelConfig& cfg = kernel_.config();
  if (cfg.syscall_enter_hook) cfg.syscall_enter_hook(*this, nr, args);
  const SyscallEntry* e = kernel_.syscalls().Lookup(nr);
  SyscallResult res = Errno(ENOSYS);
  if (e == nullptr) {
    kernel_.CountUnimplemented(nr);
  } else if (e->support == Support::kError) {
    res = Errno(e->error);
  } else {
    res = e->handler(*this, args);
  }
  if (!res.regs_set()) regs_.rax = res.value();
  if (cfg.syscall_exit_hook) cfg.syscall_exit_hook(*this, nr, args, res);
}

void Task::HandleFault(const platform::SwitchResult& r) {
  int sig = r.signo;
  if (sig == L::kSIGSEGV || sig == L::kSIGBUS) {
    auto err = mm_->HandleFault(r.fault_addr, mm::AccessType::kRead);
    if (!err) return;  // mapped: run the instruction again
    sig = L::kSIGSEGV;
  }
  // A synchronous signal. Handlers run once signal frames exist; until
  // then the default action applies, which for these signals is a core
  // dump.
  L::SigAction act = tg_.sigaction(sig);
  if (act.handler != L::kSIG_DFL && act.handler != L::kSIG_IGN) {
    SK_LOG(WARNING) << "task " << tid_ << ": signal " << sig
                    << " has a handler, but handler delivery is not implemented; terminating";
  }
  SK_DLOG << "task " << tid_ << ": fatal signal " << sig << " at rip 0x" << std::hex << regs_.rip
          << " addr 0x" << r.fault_addr;
  ExitGroup(sig | 0x80);
}

void Task::ProcessSignals() {
  L::SigSet deliverable = pending_.load() & ~sigmask_.load();
  if (deliverable == 0) return;
  for (int sig = 1; sig <= L::kNumSignals; ++sig) {
    if (!(deliverable & L::SignalBit(sig))) continue;
    L::SigAction act = tg_.sigaction(sig);
    if (act.handler == L::kSIG_DFL) {
      pending_.fetch_and(~L::SignalBit(sig));
      switch (DefaultActionFor(sig)) {
        case DefaultAction::kTerminate:
          ExitGroup(sig);
          return;
        case DefaultAction::kCore:
          ExitGroup(sig | 0x80);
          return;
        case DefaultAction::kIgnore:
        case DefaultAction::kContinue:
        case DefaultAction::kStop:  // Job control stops arrive with process groups.
          break;
      }
    } else if (act.handler == L::kSIG_IGN) {
      pending_.fetch_and(~L::SignalBit(sig));
    } else if (!warned_handler_) {
      warned_handler_ = true;
      SK_LOG(WARNING) << "task " << tid_ << ": signal " << sig
                      << " has a handler; handler delivery is not implemented, it stays pending";
    }
  }
}

}  // namespace sentry::kernel
