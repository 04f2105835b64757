// A task's seccomp state: strict mode, its stack of filters (inherited by
// clone and fork, kept across execve), TSYNC, and the check every syscall
// of a filtered task goes through before it is dispatched.
//
// Lock order: the process-wide sync mutex (installs, TSYNC, clone's copy),
// then a task's seccomp_mu_.
#include <algorithm>

#include "abi/linux/seccomp.h"
#include "abi/linux/signal.h"
#include "abi/linux/syscalls.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "util/logging.h"

namespace sentry::kernel {

namespace L = abi_linux;

namespace {

// Serialises changes to filter stacks with clone's copy of them, so a
// thread being cloned during a TSYNC install gets the new stack.
absl::Mutex& SeccompSyncMutex() {
  static absl::Mutex mu(absl::kConstInit);
  return mu;
}

constexpr int kMaxErrno = 4095;

}  // namespace

std::shared_ptr<const seccomp::Filter> Task::seccomp_filter() const {
  absl::MutexLock l(&seccomp_mu_);
  return seccomp_filter_;
}

void Task::SetInitialSeccompFilter(std::shared_ptr<const seccomp::Filter> f) {
  if (f == nullptr) return;
  absl::MutexLock sync(&SeccompSyncMutex());
  absl::MutexLock l(&seccomp_mu_);
  seccomp_filter_ = std::move(f);
  seccomp_mode_.store(L::kSECCOMP_MODE_FILTER);
}

void Task::InheritSeccomp(Task& child) {
  absl::MutexLock sync(&SeccompSyncMutex());
  std::shared_ptr<const seccomp::Filter> f = seccomp_filter();
  absl::MutexLock l(&child.seccomp_mu_);
  child.seccomp_filter_ = std::move(f);
  child.seccomp_mode_.store(seccomp_mode());
}

ErrnoOrVoid Task::SetSeccompStrict() {
  int mode = seccomp_mode();
  if (mode != L::kSECCOMP_MODE_DISABLED && mode != L::kSECCOMP_MODE_STRICT) return Errno(EINVAL);
  seccomp_mode_.store(L::kSECCOMP_MODE_STRICT);
  return {};
}

ErrnoOr<int> Task::AddSeccompFilter(seccomp::BpfProgram prog, unsigned flags) {
  absl::MutexLock sync(&SeccompSyncMutex());
  int mode = seccomp_mode();
  if (mode != L::kSECCOMP_MODE_DISABLED && mode != L::kSECCOMP_MODE_FILTER) return Errno(EINVAL);
  std::shared_ptr<const seccomp::Filter> mine = seccomp_filter();
  size_t total = prog.size();
  for (const seccomp::Filter* f = mine.get(); f != nullptr; f = f->prev.get()) {
    total += f->program.size() + 4;
  }
  if (total > seccomp::kMaxInsnsPerPath) return Errno(ENOMEM);

  std::vector<Task*> others;
  if (flags & L::kSECCOMP_FILTER_FLAG_TSYNC) {
    for (Task* t : tg_.tasks()) {
      if (t == this) continue;
      int their_mode = t->seccomp_mode();
      if (their_mode == L::kSECCOMP_MODE_DISABLED ||
          (their_mode == L::kSECCOMP_MODE_FILTER &&
           seccomp::IsAncestor(t->seccomp_filter().get(), mine.get()))) {
        others.push_back(t);
        continue;
      }
      // Nothing is installed: the caller learns which thread is in the way.
      if (flags & L::kSECCOMP_FILTER_FLAG_TSYNC_ESRCH) return Errno(ESRCH);
      return t->tid();
    }
  }
  auto filter = std::make_shared<const seccomp::Filter>(
      std::move(prog), (flags & L::kSECCOMP_FILTER_FLAG_LOG) != 0, std::move(mine));
  {
    absl::MutexLock l(&seccomp_mu_);
    seccomp_filter_ = filter;
  }
  seccomp_mode_.store(L::kSECCOMP_MODE_FILTER);
  for (Task* t : others) {
    if (t->exiting()) continue;
    absl::MutexLock l(&t->seccomp_mu_);
    t->seccomp_filter_ = filter;
    t->seccomp_mode_.store(L::kSECCOMP_MODE_FILTER);
  }
  return 0;
}

std::optional<SyscallResult> Task::SeccompCheck(int64_t nr, const SyscallArgs& args) {
  if (seccomp_mode() == L::kSECCOMP_MODE_STRICT) {
    if (nr == L::kNR_read || nr == L::kNR_write || nr == L::kNR_exit ||
        nr == L::kNR_rt_sigreturn) {
      return std::nullopt;
    }
    SK_LOG(INFO) << "seccomp: strict mode kills task " << tid_ << " for syscall " << nr;
    Exit(L::kSIGKILL);
    return SyscallResult::RegsSet();
  }
  std::shared_ptr<const seccomp::Filter> filter = seccomp_filter();
  L::SeccompData data{};
  data.nr = static_cast<int32_t>(nr);
  data.arch = L::kAUDIT_ARCH_X86_64;
  data.instruction_pointer = regs_.rip;
  std::copy(std::begin(args.raw), std::end(args.raw), std::begin(data.args));
  const uint32_t ret = seccomp::RunFilters(filter.get(), data);
  const uint32_t value = ret & L::kSECCOMP_RET_DATA;
  switch (ret & L::kSECCOMP_RET_ACTION_FULL) {
    case L::kSECCOMP_RET_ALLOW:
      return std::nullopt;
    case L::kSECCOMP_RET_LOG:
      // Debug level: a guest must not be able to flood the runtime's log.
      SK_DLOG << "seccomp: task " << tid_ << " syscall " << nr << " logged";
      return std::nullopt;
    case L::kSECCOMP_RET_ERRNO:
      // Not run; data 0 makes it "succeed" with 0.
      return SyscallResult(Errno(std::min<int>(static_cast<int>(value), kMaxErrno)));
    case L::kSECCOMP_RET_TRAP: {
      // Not run: rax holds the syscall number again (the kernel's
      // syscall_rollback) and SIGSYS describes the call.
      regs_.rax = regs_.orig_rax;
      L::Siginfo info{};
      info.si_signo = L::kSIGSYS;
      info.si_errno = static_cast<int32_t>(value);
      info.si_code = L::kSYS_SECCOMP;
      info.SetCallAddr(regs_.rip);
      info.SetSyscall(static_cast<int32_t>(nr));
      info.SetArch(L::kAUDIT_ARCH_X86_64);
      ForceSignal(info);
      return SyscallResult::RegsSet();
    }
    case L::kSECCOMP_RET_TRACE:
      // No tracer can attach here: what Linux does when none is attached.
    case L::kSECCOMP_RET_USER_NOTIF:
      // No listener can be made here: what Linux does without one.
      return SyscallResult(Errno(ENOSYS));
    case L::kSECCOMP_RET_KILL_THREAD:
      if (tg_.tasks().size() > 1) {
        SK_LOG(INFO) << "seccomp: syscall " << nr << " kills thread " << tid_;
        Exit(L::kSIGSYS);
        return SyscallResult::RegsSet();
      }
      [[fallthrough]];  // the last thread takes its process with it
    default:
      // SECCOMP_RET_KILL_PROCESS, and any action Linux does not know: the
      // process dies of SIGSYS as of a core-dumping signal.
      SK_LOG(INFO) << "seccomp: syscall " << nr << " of task " << tid_ << " kills its process";
      ExitGroup(L::kSIGSYS | 0x80);
      return SyscallResult::RegsSet();
  }
}

}  // namespace sentry::kernel
