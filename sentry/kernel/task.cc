#include "sentry/kernel/task.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "abi/linux/futex.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/resource.h"
#include "abi/linux/sched.h"
#include "abi/linux/seccomp.h"
#include "abi/linux/syscalls.h"

#include "sentry/kernel/kernel.h"
#include "sentry/kernel/pidfd.h"
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
  if (started_.exchange(true)) return;
  thread_ = std::thread([this] { Run(); });
}

void Task::Join() {
  if (thread_.joinable()) thread_.join();
}

void Task::set_signal_mask(L::SigSet m) { sigmask_.store(m & ~L::kUnblockableSignals); }

void Task::Interrupt() {
  ctx_->Interrupt();
  kernel_.futexes().Interrupt(this);
  {
    absl::MutexLock l(&wait_mu_);
    woken_ = true;
  }
  kernel_.WakeWaiters();
}

bool Task::ShouldInterruptWait() const {
  return exiting_.load() || tg_.exiting() || tg_.stopped() ||
         (pending_.load() & ~sigmask_.load()) != 0;
}

namespace {

thread_local Task* current_task = nullptr;

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// Single-writer counters: a plain load and store, no locked instruction.
template <typename T>
void AddRelaxed(std::atomic<T>& a, T d) {
  a.store(a.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
}

// Syscalls whose handlers live outside the kernel's files and report an
// interrupted wait as EINTR, which Linux restarts (ERESTARTSYS): blocking
// record locks, flock, and opening a FIFO that waits for its peer.
int RestartCodeForEintr(int64_t nr, const SyscallArgs& args) {
  switch (nr) {
    case L::kNR_flock:
    case L::kNR_open:
    case L::kNR_openat:
    case L::kNR_openat2:
    case L::kNR_creat:
      return kERESTARTSYS;
    case L::kNR_fcntl:
      if (args.Int(1) == L::kF_SETLKW || args.Int(1) == L::kF_OFD_SETLKW) return kERESTARTSYS;
      return 0;
    default:
      return 0;
  }
}

}  // namespace

Task* Task::Current() { return current_task; }

int64_t Task::SentryThreadCpuNs() const {
  timespec ts;
  if (current_task == this) {
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  } else {
    // Another thread of the sentry's own process: its thread CPU clock
    // (MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)) is readable from here.
    int tid = host_tid_.load(std::memory_order_relaxed);
    if (tid == 0) return 0;  // not started
    clockid_t id = static_cast<clockid_t>((~static_cast<unsigned>(tid) << 3) | 4 | 2);
    if (clock_gettime(id, &ts) != 0) return 0;  // gone: see Usage()
  }
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

TaskUsage Task::Usage() const {
  if (usage_final_.load(std::memory_order_acquire)) return final_usage_;
  TaskUsage u;
  u.utime_ns = guest_ns_.load(std::memory_order_relaxed);
  // Guest code running right now counts too.
  if (int64_t start = switch_start_ns_.load(std::memory_order_relaxed); start != 0) {
    u.utime_ns += std::max<int64_t>(0, MonotonicNs() - start);
  }
  int64_t cpu = SentryThreadCpuNs();
  // The thread may have finished (and its host TID been reused) while the
  // clock was read: its final figures are the ones then.
  if (usage_final_.load(std::memory_order_acquire)) return final_usage_;
  u.stime_ns = std::min(handler_ns_.load(std::memory_order_relaxed), cpu);
  u.minflt = minflt_.load(std::memory_order_relaxed);
  return u;
}

void Task::FinalizeUsage() {
  final_usage_ = Usage();
  usage_final_.store(true, std::memory_order_release);
}

bool Task::Sleep(absl::Time deadline) {
  absl::MutexLock l(&wait_mu_);
  while (true) {
    if (ShouldInterruptWait()) return false;
    woken_ = false;
    bool woke = wait_mu_.AwaitWithDeadline(absl::Condition(&woken_), deadline);
    if (!woke) return !ShouldInterruptWait();
  }
}

ErrnoOrVoid Task::PrepareChild(Task& child, uint64_t flags, uint64_t stack, uint64_t tls) {
  std::vector<uint8_t> fp;
  if (!ctx_->GetFpState(fp).ok()) return Errno(EAGAIN);
  L::PtRegs regs = regs_;
  regs.rax = 0;
  if (stack != 0) regs.rsp = stack;
  if (flags & L::kCLONE_SETTLS) {
    if (tls >= 0x7ffffffff000ULL) return Errno(EPERM);
    regs.fs_base = tls;
  }
  child.regs_ = regs;
  child.sigmask_.store(sigmask_.load());
  std::memcpy(child.control_.comm, control_.comm, sizeof(control_.comm));
  child.nice_.store(nice_.load());
  child.sched_policy_.store(sched_policy_.load());
  child.rt_priority_.store(rt_priority_.load());
  InheritSeccomp(child);
  if (sched_policy_.load() & L::kSCHED_RESET_ON_FORK) {
    // Linux's sched_fork: the child leaves a real-time policy and a
    // negative nice value, and does not keep the flag.
    int policy = sched_policy_.load() & ~L::kSCHED_RESET_ON_FORK;
    if (policy == L::kSCHED_FIFO || policy == L::kSCHED_RR) {
      policy = L::kSCHED_NORMAL;
      child.rt_priority_.store(0);
    }
    child.sched_policy_.store(policy);
    if (nice_.load() < 0) child.nice_.store(0);
  }
  (void)child.ctx_->SetFpState(fp);  // kept until the child first runs
  return {};
}

namespace {

std::shared_ptr<vfs::FdTable> FilesFor(uint64_t flags, const std::shared_ptr<vfs::FdTable>& mine) {
  if (flags & L::kCLONE_FILES) return mine;
  auto fds = std::make_shared<vfs::FdTable>();
  mine->CopyInto(*fds);
  return fds;
}

std::shared_ptr<FsContext> FsFor(uint64_t flags, const std::shared_ptr<FsContext>& mine) {
  if (flags & L::kCLONE_FS) return mine;
  auto fs = std::make_shared<FsContext>();
  absl::MutexLock l1(&mine->mu);
  absl::MutexLock l2(&fs->mu);
  fs->root = mine->root;
  fs->cwd = mine->cwd;
  fs->umask = mine->umask;
  return fs;
}

}  // namespace

auth::Credentials Task::creds() const { return tg_.creds(); }

vfs::Path Task::root() const {
  absl::MutexLock l(&fs_->mu);
  return fs_->root;
}

vfs::Path Task::cwd() const {
  absl::MutexLock l(&fs_->mu);
  return fs_->cwd;
}

uint32_t Task::umask() const {
  absl::MutexLock l(&fs_->mu);
  return fs_->umask;
}

ErrnoOr<int> Task::CloneThread(uint64_t flags, uint64_t stack, uint64_t parent_tid,
                               uint64_t child_tid, uint64_t tls) {
  if ((flags & L::kCLONE_SETTLS) && tls >= 0x7ffffffff000ULL) return Errno(EPERM);
  ASSIGN_OR_RETURN_ERRNO(Task * child, kernel_.NewThread(*this, mm_, FilesFor(flags, fds_),
                                                         FsFor(flags, fs_)));
  if (!PrepareChild(*child, flags, stack, tls).ok()) {
    child->exiting_.store(true);  // never run: it just leaves
    child->Start();
    return Errno(EAGAIN);
  }
  // Threads do not inherit the alternate signal stack.
  int tid = child->tid();
  if (flags & L::kCLONE_PARENT_SETTID) (void)mm_->CopyOutObj(mm::UserAddr(parent_tid), tid);
  if (flags & L::kCLONE_CHILD_SETTID) (void)mm_->CopyOutObj(mm::UserAddr(child_tid), tid);
  if (flags & L::kCLONE_CHILD_CLEARTID) child->clear_child_tid_ = child_tid;
  child->Start();
  return tid;
}

ErrnoOr<int> Task::Fork(uint64_t flags, uint64_t stack, uint64_t parent_tid, uint64_t child_tid,
                        uint64_t tls, uint64_t pidfd_addr) {
  if ((flags & L::kCLONE_SETTLS) && tls >= 0x7ffffffff000ULL) return Errno(EPERM);
  // Linux fails the clone, with no child made, when the pidfd cannot be
  // stored: find that out before there is a child.
  if (flags & L::kCLONE_PIDFD) RETURN_IF_ERRNO(mm_->CopyOutObj(mm::UserAddr(pidfd_addr), -1));
  std::shared_ptr<mm::MemoryManager> child_mm;
  if (flags & L::kCLONE_VM) {
    // A process sharing this one's memory (vfork, posix_spawn): another
    // thread of the same address space, in a thread group of its own.
    child_mm = mm_;
  } else {
    auto as = kernel_.platform().NewAddressSpace();
    if (!as.ok()) {
      SK_LOG(WARNING) << "fork: " << as.status();
      return Errno(EAGAIN);
    }
    ASSIGN_OR_RETURN_ERRNO(std::unique_ptr<mm::MemoryManager> forked, mm_->Fork(std::move(*as)));
    child_mm = std::move(forked);
  }
  ASSIGN_OR_RETURN_ERRNO(
      Task * child, kernel_.NewProcess(*this, flags & L::kCLONE_PARENT, static_cast<int>(flags & 0xff),
                                       child_mm, FilesFor(flags, fds_), FsFor(flags, fs_)));
  ErrnoOrVoid prepared = PrepareChild(*child, flags, stack, tls);
  if (prepared.ok() && (flags & L::kCLONE_PIDFD)) {
    auto pidfd = std::make_shared<PidFd>(child->thread_group(), 0);
    auto fd = fds_->Install(std::move(pidfd), 0, /*cloexec=*/true,
                            tg_.rlimit(L::kRLIMIT_NOFILE).rlim_cur);
    if (fd.ok()) {
      prepared = mm_->CopyOutObj(mm::UserAddr(pidfd_addr), *fd);
      if (!prepared.ok()) (void)fds_->Remove(*fd);
    } else {
      prepared = fd.error();
    }
  }
  if (!prepared.ok()) {
    child->exiting_.store(true);
    child->Start();
    return prepared.error() == Errno(EMFILE) || prepared.error() == Errno(EFAULT)
               ? prepared.error()
               : Errno(EAGAIN);
  }
  child->altstack_ = altstack_;
  int pid = child->tid();
  if (flags & L::kCLONE_PARENT_SETTID) (void)mm_->CopyOutObj(mm::UserAddr(parent_tid), pid);
  if (flags & L::kCLONE_CHILD_SETTID) (void)child_mm->CopyOutObj(mm::UserAddr(child_tid), pid);
  if (flags & L::kCLONE_CHILD_CLEARTID) child->clear_child_tid_ = child_tid;
  std::shared_ptr<absl::Notification> vfork_done;
  if (flags & L::kCLONE_VFORK) {
    vfork_done = std::make_shared<absl::Notification>();
    child->vfork_done_ = vfork_done;
  }
  child->Start();
  if (vfork_done) {
    // The parent sleeps until the child has execed or exited, giving up
    // only when it is itself being killed (Linux's wait is killable).
    while (!vfork_done->WaitForNotificationWithTimeout(absl::Milliseconds(10))) {
      if (tg_.exiting() || exiting_.load()) break;
    }
  }
  return pid;
}

void Task::Exit(int wait_status) {
  // The last thread's exit is its group's exit (see Kernel::TaskExited).
  thread_exit_status_ = wait_status;
  exiting_.store(true);
}

void Task::ReleaseVforkParent() {
  if (vfork_done_) {
    vfork_done_->Notify();
    vfork_done_.reset();
  }
}

void Task::ExitThreadCleanup() {
  ReleaseVforkParent();
  // Robust futexes held by this thread are marked FUTEX_OWNER_DIED (their
  // waiters woken), PI locks go to their waiters; before the TID is
  // cleared, as Linux's mm_release orders it.
  kernel_.futexes().ExitRobustAndPi(*this, robust_list_head_, /*exiting=*/true);
  // CLONE_CHILD_CLEARTID / set_tid_address: clear the word and wake one
  // waiter (pthread_join), unless the whole address space is going away.
  if (clear_child_tid_ != 0 && mm_.use_count() > 1) {
    uint32_t zero = 0;
    if (mm_->CopyOutObj(mm::UserAddr(clear_child_tid_), zero).ok()) {
      // A shared wake, as Linux's: the word may be in shared memory.
      auto key = Futexes::KeyOf(*mm_, clear_child_tid_, /*is_private=*/false);
      if (key.ok()) kernel_.futexes().Wake(key->space, key->addr, 1, L::kFUTEX_BITSET_MATCH_ANY);
    }
  }
}

void Task::ExitGroup(int wait_status) {
  tg_.BeginExit(wait_status);
  exiting_.store(true);
}

void Task::Run() {
  current_task = this;
  host_tid_.store(static_cast<int>(gettid()), std::memory_order_relaxed);
  vfs::SetInterruptCheck(+[](void* t) { return static_cast<Task*>(t)->ShouldInterruptWait(); },
                         this);
  while (!exiting_.load() && !tg_.exiting()) {
    // Paused or frozen: parked before signals are taken, so that they stay
    // pending until resume (SIGKILL ends the wait).
    kernel_.WaitWhilePaused(*this);
    if (exiting_.load() || tg_.exiting()) break;
    ProcessSignals();
    if (exiting_.load() || tg_.exiting()) break;
    // Usage accounting: two vDSO clock reads per switch (usage.h).
    int64_t enter = MonotonicNs();
    if (last_switch_end_ns_ != 0) AddRelaxed(handler_ns_, enter - last_switch_end_ns_);
    switch_start_ns_.store(enter, std::memory_order_relaxed);
    platform::SwitchResult r = ctx_->Switch(mm_->address_space(), regs_);
    last_switch_end_ns_ = MonotonicNs();
    switch_start_ns_.store(0, std::memory_order_relaxed);
    AddRelaxed(guest_ns_, last_switch_end_ns_ - enter);
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
  ExitThreadCleanup();
  // The last user of the address space skips the release (an injected exit,
  // a ptrace round trip and a wait): dropping mm_ below destroys the stub
  // process, which kills and reaps this thread's stub thread with the rest.
  // Anyone else still holding the memory manager (procfs, briefly) only
  // reads it through the memory file and never runs in it.
  if (mm_.use_count() > 1) mm_->address_space().ReleaseThreadForCaller();
  // The last user of the address space records its resident set toward
  // the process's peak (ru_maxrss) before it goes.
  if (mm_.use_count() == 1) tg_.NoteResidentKb(ResidentKb(*mm_));
  // procfs reads these from other threads (mm_ref, fds_ref).
  std::atomic_store(&mm_, std::shared_ptr<mm::MemoryManager>());
  std::atomic_store(&fds_, std::shared_ptr<vfs::FdTable>());
  FinalizeUsage();
  kernel_.TaskExited(this);
}

void Task::HandleSyscall() {
  spurious_fault_addr_ = 0;
  int64_t nr = static_cast<int64_t>(regs_.orig_rax);
  SyscallArgs args{{regs_.rdi, regs_.rsi, regs_.rdx, regs_.r10, regs_.r8, regs_.r9}};
  const KernelConfig& cfg = kernel_.config();
  if (cfg.syscall_enter_hook) cfg.syscall_enter_hook(*this, nr, args);
  // Seccomp before dispatch: a task without filters pays one relaxed load.
  std::optional<SyscallResult> denied;
  if (seccomp_mode_.load(std::memory_order_relaxed) != L::kSECCOMP_MODE_DISABLED) {
    denied = SeccompCheck(nr, args);
  }
  SyscallResult res = Errno(ENOSYS);
  if (denied) {
    res = *denied;
  } else if (const SyscallEntry* e = kernel_.syscalls().Lookup(nr); e == nullptr) {
    kernel_.CountUnimplemented(nr);
  } else if (e->support == Support::kError) {
    res = Errno(e->error);
  } else {
    res = e->handler(*this, args);
  }
  if (!denied && !res.regs_set() && res.error() == EINTR) {
    if (int code = RestartCodeForEintr(nr, args)) res = Errno(code);
  }
  // An interrupted syscall: the next return to the guest decides between
  // EINTR and running it again (ProcessSignals).
  restart_errno_ = !res.regs_set() && IsRestartErrno(res.error()) ? res.error() : 0;
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
    if (!err) {
      spurious_fault_addr_ = 0;
      AddRelaxed(minflt_, uint64_t{1});
      return;  // mapped: run the instruction again
    }
    if (err->already_mapped && spurious_fault_addr_ != r.fault_addr) {
      // Another thread may have mapped the page after this fault: run the
      // instruction once more; a second fault there is a real violation.
      spurious_fault_addr_ = r.fault_addr;
      return;
    }
    spurious_fault_addr_ = 0;
    info.si_signo = err->signo;
    info.si_code = err->si_code;
  }
  SK_DLOG << "task " << tid_ << ": signal " << info.si_signo << " code " << info.si_code
          << " at rip 0x" << std::hex << regs_.rip << " addr 0x" << r.fault_addr;
  ForceSignal(info);
}

}  // namespace sentry::kernel
