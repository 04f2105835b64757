// A Task is one guest thread. It runs on a sentry host thread of its own,
// in a loop: switch into the guest through the platform; handle why it came
// back (a syscall, a fault, an interruption); switch back.
//
//   Task& t = ...;  // inside a syscall handler
//   ASSIGN_OR_RETURN_ERRNO(std::string path, t.CopyInString(a.Addr(0), PATH_MAX));
//   RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), result));
#ifndef SENTRY_KERNEL_TASK_H_
#define SENTRY_KERNEL_TASK_H_

#include <array>
#include <cstring>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "abi/linux/limits.h"
#include "abi/linux/ptrace_regs.h"
#include "abi/linux/signal.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "platform/platform.h"
#include "sentry/kernel/seccomp.h"
#include "sentry/kernel/syscall_table.h"
#include "sentry/kernel/usage.h"
#include "sentry/mm/memory_manager.h"
#include "sentry/vfs/fd_table.h"
#include "sentry/vfs/vfs.h"

namespace sentry::kernel {

class Kernel;
class ThreadGroup;

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

// What CLONE_FS shares: working directory, root and umask.
struct FsContext {
  mutable absl::Mutex mu;
  vfs::Path root ABSL_GUARDED_BY(mu);
  vfs::Path cwd ABSL_GUARDED_BY(mu);
  uint32_t umask ABSL_GUARDED_BY(mu) = 022;
};

// Per-thread state set by prctl(2).
struct TaskControl {
  char comm[16] = {};  // PR_SET_NAME: NUL-padded
  int pdeath_signal = 0;
  bool keep_caps = false;
  uint64_t timer_slack_ns = 50000;
};

class Task : public vfs::Context {
 public:
  Task(Kernel& k, ThreadGroup& tg, int tid, std::shared_ptr<mm::MemoryManager> mm,
       std::shared_ptr<vfs::FdTable> fds, std::shared_ptr<FsContext> fs);
  ~Task() override;
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  // Starts the task's host thread; once only (later calls do nothing).
  void Start();
  void Join();

  Kernel& kernel() { return kernel_; }
  ThreadGroup& thread_group() { return tg_; }
  int tid() const { return tid_; }
  mm::MemoryManager& mm() { return *mm_; }
  vfs::FdTable& fds() { return *fds_; }
  FsContext& fs() { return *fs_; }

  // ---- vfs::Context: who is asking, from where ----
  auth::Credentials creds() const override;
  vfs::Path root() const override;
  vfs::Path cwd() const override;
  uint32_t umask() const override;
  abi_linux::PtRegs& regs() { return regs_; }
  platform::Context& context() { return *ctx_; }

  // ---- Guest memory, through this task's address space ----
  ErrnoOr<size_t> CopyIn(mm::UserAddr src, void* dst, size_t n) { return mm_->CopyIn(src, dst, n); }
  ErrnoOr<size_t> CopyOut(mm::UserAddr dst, const void* src, size_t n) {
    return mm_->CopyOut(dst, src, n);
  }
  template <typename T>
  ErrnoOrVoid CopyInObj(mm::UserAddr src, T* obj) { return mm_->CopyInObj(src, obj); }
  template <typename T>
  ErrnoOrVoid CopyOutObj(mm::UserAddr dst, const T& obj) { return mm_->CopyOutObj(dst, obj); }
  ErrnoOr<std::string> CopyInString(mm::UserAddr src, size_t max = abi_linux::kPATH_MAX) {
    return mm_->CopyInString(src, max);
  }

  // ---- Thread state set by syscalls ----
  uint64_t clear_child_tid() const { return clear_child_tid_; }
  void set_clear_child_tid(uint64_t a) { clear_child_tid_ = a; }
  void set_robust_list(uint64_t head, uint64_t len) {
    robust_list_head_ = head;
    robust_list_len_ = len;
  }
  uint64_t robust_list_head() const { return robust_list_head_; }
  // setpriority(2)'s nice value, -20..19, per thread; clone and fork copy
  // it. Bookkeeping only: the host schedules every task alike.
  int nice() const { return nice_.load(); }
  void set_nice(int n) { nice_.store(n); }
  // sched_setscheduler(2)'s policy (with SCHED_RESET_ON_FORK) and
  // real-time priority, per thread; bookkeeping like nice().
  int sched_policy() const { return sched_policy_.load(); }
  int rt_priority() const { return rt_priority_.load(); }
  void set_sched(int policy, int rt_priority) {
    sched_policy_.store(policy);
    rt_priority_.store(rt_priority);
  }
  abi_linux::SigSet signal_mask() const { return sigmask_.load(); }
  void set_signal_mask(abi_linux::SigSet m);
  abi_linux::SigSet pending_signals() const { return pending_.load(); }
  // Queues a signal for this thread and interrupts it. Standard signals
  // coalesce (one instance per number); each real-time signal is queued
  // with its siginfo, up to the process's RLIMIT_SIGPENDING: past it,
  // EAGAIN for sigqueue-style senders (si_code < 0, except tkill), and the
  // signal is merged into a pending instance otherwise.
  ErrnoOrVoid QueueSignal(int sig, const abi_linux::Siginfo& info);
  void AddPendingSignal(int sig, const abi_linux::Siginfo& info) { (void)QueueSignal(sig, info); }
  // Drops every pending instance of the signals in `set`.
  void DiscardSignals(abi_linux::SigSet set);
  void ClearPendingSignal(int sig) { DiscardSignals(abi_linux::SignalBit(sig)); }
  // Takes the lowest pending signal in `set` (its oldest instance), even if
  // blocked. False if none is pending.
  bool DequeueSignal(abi_linux::SigSet set, abi_linux::Siginfo* info);
  // rt_sigtimedwait: waits until a signal in `set` is pending and takes it
  // (its number); EAGAIN at the deadline, EINTR when another signal
  // interrupts.
  ErrnoOr<int> SigTimedWait(abi_linux::SigSet set, absl::Time deadline, abi_linux::Siginfo* info);
  // The task whose host thread is calling (nullptr outside task threads).
  static Task* Current();

  // ---- Syscall restart ----
  // restart_syscall(2): what ERESTART_RESTARTBLOCK continues with (the
  // rest of a nanosleep). Set by the handler before it returns the code.
  void set_restart_block(std::function<SyscallResult(Task&)> fn) {
    restart_block_ = std::move(fn);
  }
  SyscallResult RunRestartBlock();
  // A synchronous signal (a fault): delivered now, even if blocked or
  // ignored (then with the default action), as Linux's force_sig does.
  void ForceSignal(const abi_linux::Siginfo& info);
  // rt_sigreturn: restores the context saved in the signal frame at rsp.
  ErrnoOrVoid SigReturn();
  // rt_sigsuspend/pause: waits with `mask` until a signal is taken; the
  // mask from before comes back when the handler returns.
  ErrnoOrVoid SigSuspend(abi_linux::SigSet mask);
  // ppoll/pselect6/epoll_pwait: `mask` is the signal mask for the rest of
  // this syscall; the mask from before comes back when it returns (or, if
  // a handler interrupts it, when the handler returns).
  void SetTemporarySignalMask(abi_linux::SigSet mask);
  abi_linux::StackT altstack() const;
  ErrnoOrVoid SetAltstack(const abi_linux::StackT& ss);

  // Ends this thread (exit) or its whole group (exit_group), with a Linux
  // wait status. The task's loop stops after the current syscall.
  void Exit(int wait_status);
  void ExitGroup(int wait_status);
  // Asks the task to leave the guest promptly (another thread is killing
  // the group, a signal arrived); also ends a Sleep.
  void Interrupt();
  // Makes running guest code trap out, and nothing else (Kernel::Pause).
  void Kick() { ctx_->Interrupt(); }
  // Blocks until `deadline` (absl::InfiniteFuture() for ever): false when
  // interrupted first (a signal is pending or the task is exiting).
  bool Sleep(absl::Time deadline);
  // Whether a Sleep or other wait should give up now.
  bool ShouldInterruptWait() const;
  bool exiting() const { return exiting_.load(); }
  int thread_exit_status() const { return thread_exit_status_; }

  TaskControl& control() { return control_; }

  // ---- Seccomp (task_seccomp.cc) ----
  // This thread's SECCOMP_MODE_*.
  int seccomp_mode() const { return seccomp_mode_.load(std::memory_order_relaxed); }
  // The newest of this thread's filters (nullptr: none).
  std::shared_ptr<const seccomp::Filter> seccomp_filter() const;
  // SECCOMP_SET_MODE_STRICT; EINVAL once in filter mode.
  ErrnoOrVoid SetSeccompStrict();
  // SECCOMP_SET_MODE_FILTER: `prog` goes on top of this thread's filters
  // (flags: SECCOMP_FILTER_FLAG_LOG, _TSYNC, _TSYNC_ESRCH). Returns 0; with
  // TSYNC, the tid of a thread whose filters are not an ancestor of this
  // one's (nothing installed then). EINVAL in strict mode, ENOMEM past
  // seccomp::kMaxInsnsPerPath.
  ErrnoOr<int> AddSeccompFilter(seccomp::BpfProgram prog, unsigned flags);
  // The filter a process started from outside (runsc) runs under, set
  // before it first runs.
  void SetInitialSeccompFilter(std::shared_ptr<const seccomp::Filter> f);

  // Creates a thread of this task's process (clone with CLONE_VM |
  // CLONE_THREAD): it starts from a copy of this task's registers with rax
  // 0, on `stack` if not 0. Returns the new thread's id.
  ErrnoOr<int> CloneThread(uint64_t flags, uint64_t stack, uint64_t parent_tid,
                           uint64_t child_tid, uint64_t tls);
  // Replaces the process image (execve). On success the registers are the
  // new program's; on failure nothing changed.
  // `dirfd` and `at_flags` as execveat(2) takes them (AT_FDCWD, 0 for
  // execve).
  ErrnoOrVoid Exec(int dirfd, const std::string& path, std::vector<std::string> argv,
                   std::vector<std::string> envv, int at_flags);
  // Creates a process (fork): a copy-on-write copy of this task's address
  // space, run by a new thread group. Returns the child's pid. With
  // CLONE_PIDFD, a pidfd for the child is installed (close-on-exec) and its
  // number stored as an int at `pidfd_addr`.
  ErrnoOr<int> Fork(uint64_t flags, uint64_t stack, uint64_t parent_tid, uint64_t child_tid,
                    uint64_t tls, uint64_t pidfd_addr = 0);

  // ---- Read by procfs from other threads ----
  // The address space and fd table (nullptr once the task has exited).
  // The task swaps them with std::atomic_store (exec, exit).
  std::shared_ptr<mm::MemoryManager> mm_ref() const { return std::atomic_load(&mm_); }
  std::shared_ptr<vfs::FdTable> fds_ref() const { return std::atomic_load(&fds_); }
  std::string comm() const {
    return std::string(control_.comm, strnlen(control_.comm, sizeof(control_.comm)));
  }

  // ---- Resource usage (usage.h) ----
  // This thread's figures so far (the final ones once it has exited);
  // callable from any thread. maxrss is left to the process.
  TaskUsage Usage() const;

 private:
  void Run();
  void HandleSyscall();
  // Strict mode's rule or the filters' verdict on a syscall about to run:
  // the result it has instead (or the task was killed), nullopt to run it.
  std::optional<SyscallResult> SeccompCheck(int64_t nr, const SyscallArgs& args);
  // Gives `child` (a new thread or process) this thread's seccomp state.
  void InheritSeccomp(Task& child);
  void HandleFault(const platform::SwitchResult& r);
  void ExitThreadCleanup();
  // Wakes the parent blocked in vfork (after exec or at exit).
  void ReleaseVforkParent();
  // Registers, signal mask, name and FPU state a new task starts with.
  ErrnoOrVoid PrepareChild(Task& child, uint64_t flags, uint64_t stack, uint64_t tls);
  // Delivers pending, unblocked signals: default actions, or a frame for
  // the handler.
  void ProcessSignals();
  // Builds the handler's frame on the guest stack and points the registers
  // at the handler. False if the frame cannot be written.
  bool SetupSignalFrame(int sig, const abi_linux::SigAction& act, const abi_linux::Siginfo& info);
  // Runs the default action of sig; true if the task is now exiting.
  bool DefaultSignalAction(int sig);
  bool OnAltstack(uint64_t sp) const;
  // Applies the pending syscall-restart decision (restart_errno_): with a
  // handler about to run (`act`), or none (nullptr).
  void HandleRestart(const abi_linux::SigAction* act);
  // Group stop: waits while the process is stopped (SIGSTOP & co.) until
  // SIGCONT or SIGKILL.
  void WaitWhileStopped();

  // Freezes the usage figures at exit, before the process adds them to
  // its exited threads' (ThreadGroup::RemoveTask).
  void FinalizeUsage();
  // CPU time of this task's sentry thread (from any thread).
  int64_t SentryThreadCpuNs() const;

  Kernel& kernel_;
  ThreadGroup& tg_;
  const int tid_;
  std::shared_ptr<mm::MemoryManager> mm_;
  std::shared_ptr<vfs::FdTable> fds_;
  std::shared_ptr<FsContext> fs_;
  std::unique_ptr<platform::Context> ctx_;
  abi_linux::PtRegs regs_{};
  std::thread thread_;
  std::atomic<bool> started_{false};

  uint64_t clear_child_tid_ = 0;
  // Where the last fault found its page already mapped (see HandleFault).
  uint64_t spurious_fault_addr_ = 0;
  uint64_t robust_list_head_ = 0;
  uint64_t robust_list_len_ = 0;
  // Usage accounting: written by the task's own thread, read by any.
  std::atomic<int64_t> guest_ns_{0};         // inside Switch: user time
  std::atomic<int64_t> handler_ns_{0};       // between Switches
  std::atomic<int64_t> switch_start_ns_{0};  // when the running Switch began; 0 outside
  std::atomic<uint64_t> minflt_{0};
  std::atomic<int> host_tid_{0};             // the sentry thread's, for its CPU clock
  std::atomic<bool> usage_final_{false};
  TaskUsage final_usage_;                    // set before usage_final_
  int64_t last_switch_end_ns_ = 0;
  std::atomic<abi_linux::SigSet> sigmask_{0};
  std::atomic<abi_linux::SigSet> pending_{0};
  mutable absl::Mutex sig_mu_;
  // Pending instances per signal; a bit of pending_ is set iff its queue
  // is not empty.
  std::array<std::deque<abi_linux::Siginfo>, abi_linux::kNumSignals> pending_info_
      ABSL_GUARDED_BY(sig_mu_);
  // The kERESTART* code the last syscall returned (0: none), until the
  // next return to the guest decides.
  int restart_errno_ = 0;
  std::function<SyscallResult(Task&)> restart_block_;
  abi_linux::StackT altstack_{0, abi_linux::kSS_DISABLE, 0, 0};
  // The mask to restore after a handler interrupts rt_sigsuspend.
  std::optional<abi_linux::SigSet> saved_mask_;
  std::atomic<bool> exiting_{false};
  std::atomic<int> nice_{0};
  std::atomic<int> sched_policy_{0};
  std::atomic<int> rt_priority_{0};
  int thread_exit_status_ = 0;
  TaskControl control_;
  // Seccomp: the mode is read on every syscall (a relaxed load), the filter
  // stack only when the mode is not SECCOMP_MODE_DISABLED. Other threads
  // write both (TSYNC).
  std::atomic<int> seccomp_mode_{0};
  mutable absl::Mutex seccomp_mu_;
  std::shared_ptr<const seccomp::Filter> seccomp_filter_ ABSL_GUARDED_BY(seccomp_mu_);
  // Set in a CLONE_VFORK child: notified when it execs or exits.
  std::shared_ptr<absl::Notification> vfork_done_;
  absl::Mutex wait_mu_;
  bool woken_ ABSL_GUARDED_BY(wait_mu_) = false;
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_TASK_H_
