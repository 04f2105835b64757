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
      case platform::StopReason::kSignal: {
        // A host signal sent to the stub from outside the sandbox: the guest
        // receives it as if sent to its process by the kernel.
        L::Siginfo info{};
        info.si_signo = r.signo;
        info.si_code = L::kSI_KERNEL;
        tg_.SendSignal(info);
        break;
      }
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
  L::Siginfo info{};
  info.si_signo = r.signo;
  info.si_code = r.code;
  info.SetAddr(r.fault_addr);
  if (r.signo == L::kSIGSEGV || r.signo == L::kSIGBUS) {
    auto err = mm_->HandleFault(r.fault_addr, mm::AccessType::kRead);
    if (!err) return;  // mapped: run the instruction again
    info.si_signo = L::kSIGSEGV;
    info.si_code = err->si_code;
  }
  SK_DLOG << "task " << tid_ << ": signal " << info.si_signo << " at rip 0x" << std::hex
          << regs_.rip << " addr 0x" << r.fault_addr;
  ForceSignal(info);
}

}  // namespace sentry::kernel
