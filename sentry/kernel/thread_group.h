// A thread group: a process. Owns what its threads share: credentials,
// resource limits, signal dispositions, the exit status.
#ifndef SENTRY_KERNEL_THREAD_GROUP_H_
#define SENTRY_KERNEL_THREAD_GROUP_H_

#include <algorithm>
#include <array>
#include <atomic>
#include <string>
#include <vector>

#include "abi/linux/resource.h"
#include "abi/linux/signal.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/kernel/credentials.h"
#include "sentry/kernel/timers.h"
#include "sentry/kernel/usage.h"
#include "sentry/vfs/vfs.h"
#include "sentry/vfs/waiter.h"
#include "util/errno.h"

namespace sentry::kernel {

class Kernel;
class Task;

class ThreadGroup {
 public:
  ThreadGroup(Kernel& k, int pid, ThreadGroup* parent, Credentials creds)
      : kernel_(k), pid_(pid), parent_(parent), creds_(std::move(creds)) {}

  Kernel& kernel() { return kernel_; }
  int pid() const { return pid_; }
  // The process tree (parent, children, zombie state) is guarded by the
  // kernel's lock; parent() is a snapshot.
  ThreadGroup* parent() const { return parent_.load(); }

  Credentials creds() const {
    absl::MutexLock l(&mu_);
    return creds_;
  }
  void set_creds(Credentials c) {
    absl::MutexLock l(&mu_);
    creds_ = std::move(c);
  }

  abi_linux::Rlimit64 rlimit(int resource) const {
    absl::MutexLock l(&mu_);
    return rlimits_[resource];
  }
  void set_rlimit(int resource, abi_linux::Rlimit64 v) {
    absl::MutexLock l(&mu_);
    rlimits_[resource] = v;
  }
  void set_rlimits(const std::array<abi_linux::Rlimit64, 16>& r) {
    absl::MutexLock l(&mu_);
    rlimits_ = r;
  }

  abi_linux::SigAction sigaction(int sig) const {
    absl::MutexLock l(&mu_);
    return actions_[sig - 1];
  }
  void set_sigaction(int sig, const abi_linux::SigAction& a) {
    absl::MutexLock l(&mu_);
    actions_[sig - 1] = a;
  }

  void AddTask(Task* t);
  // Removes t; true when it was the last one.
  bool RemoveTask(Task* t);
  std::vector<Task*> tasks() const;
  Task* leader() const;

  // Starts the group's exit with a wait status (exit_group, fatal signal).
  // The first caller wins; every thread is interrupted to exit.
  void BeginExit(int wait_status);
  bool exiting() const {
    absl::MutexLock l(&mu_);
    return exiting_;
  }
  int exit_status() const {
    absl::MutexLock l(&mu_);
    return exit_status_;
  }

  // Sends a signal to the process (kill). Dispositions decide: ignored,
  // fatal (the group exits), or left pending for a handler.
  void SendSignal(const abi_linux::Siginfo& info);
  // The same, saying whether it was queued: EAGAIN when a real-time signal
  // from sigqueue is past RLIMIT_SIGPENDING.
  util::ErrnoOrVoid QueueSignal(const abi_linux::Siginfo& info);
  // Whether a signal's disposition discards it (SIG_IGN, or SIG_DFL whose
  // default is to ignore).
  bool IsIgnored(int sig) const;
  // Drops pending instances of sig in every thread (the disposition became
  // "ignore").
  void DiscardPending(int sig);
  // What sending `sig` does before it is queued, whatever its disposition
  // (Linux's prepare_signal): SIGCONT continues a stopped process and
  // discards pending stop signals; a stop signal discards pending SIGCONT.
  void PrepareSignal(int sig);

  // ---- Job control (group stop) ----
  // A stop signal's default action: every thread stops before its next
  // return to the guest; the parent gets SIGCHLD (CLD_STOPPED).
  void Stop(int sig);
  // Whether the group is stopped (threads re-check on their way out).
  bool stopped() const { return stop_flag_.load(); }
  // Blocks the calling thread while the group is stopped and not exiting.
  void WaitWhileStopped();
  // wait(2) reports: the stop signal (0: none) and whether a continue is
  // unreported; `consume` clears them (not WNOWAIT). Under Kernel::mu_.
  int TakeStopReport(bool consume);
  bool TakeContinueReport(bool consume);

  // signalfd(2): notified (POLLIN) whenever a signal is queued to one of
  // the group's threads.
  vfs::WaitQueue& signal_events() { return signal_events_; }
  // pidfds (pidfd.h): notified (POLLIN) when the group's last thread has
  // exited.
  vfs::WaitQueue& exit_events() { return exit_events_; }
  // Real-time signal instances queued in the group (RLIMIT_SIGPENDING).
  std::atomic<uint64_t> queued_signals{0};

  // Process-wide prctl(2) state.
  std::atomic<bool> dumpable{true};
  std::atomic<bool> no_new_privs{false};
  std::atomic<bool> child_subreaper{false};
  std::atomic<bool> thp_disable{false};

  // The OCI container (of a pod sharing this sandbox) the process belongs
  // to; "" for the sandbox's own. Set at creation, inherited by fork.
  std::string container_id;
  // Its container is frozen (Kernel::FreezeContainer): its threads do not
  // return to the guest. Written under Kernel::mu_.
  std::atomic<bool> frozen{false};

  std::string exe_path() const {
    absl::MutexLock l(&mu_);
    return exe_path_;
  }
  // The executable (/proc/pid/exe's target).
  vfs::Path exe() const {
    absl::MutexLock l(&mu_);
    return exe_;
  }
  void set_exe(vfs::Path p) {
    absl::MutexLock l(&mu_);
    exe_ = std::move(p);
  }
  void set_exe_path(std::string p) {
    absl::MutexLock l(&mu_);
    exe_path_ = std::move(p);
  }

  // alarm/setitimer and timer_create timers (timers.h). Not inherited by
  // fork; destroyed when the last thread exits.
  ProcessTimers& timers() { return timers_; }

  // ---- Resource usage (usage.h) ----
  // The process's own: its live threads' figures plus those of the
  // threads that have exited, and its peak resident set.
  TaskUsage SelfUsage() const;
  // Its reaped children's (and their reaped children's), added at reap.
  TaskUsage ChildrenUsage() const {
    absl::MutexLock l(&mu_);
    return children_usage_;
  }
  void AddChildUsage(const TaskUsage& u) {
    absl::MutexLock l(&mu_);
    children_usage_ += u;
  }
  // Records the resident set size seen now (KiB) toward the peak.
  void NoteResidentKb(int64_t kb) {
    absl::MutexLock l(&mu_);
    exited_usage_.maxrss_kb = std::max(exited_usage_.maxrss_kb, kb);
  }

 private:
  Kernel& kernel_;
  const int pid_;
  std::atomic<ThreadGroup*> parent_;

 public:
  // ---- Process tree; all guarded by Kernel::mu_ ----
  std::vector<ThreadGroup*> children;
  int exit_signal = 0;   // sent to the parent at exit (SIGCHLD for fork)
  bool zombie = false;   // every thread has exited; waiting to be reaped
  bool reaped = false;
  std::atomic<bool> did_exec{false};  // setpgid on a child that has execed: EACCES
  void set_parent(ThreadGroup* p) { parent_.store(p); }
  // Process group and session ids: changed under Kernel::mu_ (setpgid,
  // setsid), readable at any time.
  int pgid() const { return pgid_.load(); }
  int sid() const { return sid_.load(); }
  void set_pgid(int p) { pgid_.store(p); }
  void set_sid(int s) { sid_.store(s); }

 private:
  std::atomic<int> pgid_{0};
  std::atomic<int> sid_{0};

 public:

 private:
  mutable absl::Mutex mu_;
  std::string exe_path_ ABSL_GUARDED_BY(mu_);
  vfs::Path exe_ ABSL_GUARDED_BY(mu_);
  Credentials creds_ ABSL_GUARDED_BY(mu_);
  std::array<abi_linux::Rlimit64, 16> rlimits_ ABSL_GUARDED_BY(mu_){};
  std::array<abi_linux::SigAction, abi_linux::kNumSignals> actions_ ABSL_GUARDED_BY(mu_){};
  std::vector<Task*> tasks_ ABSL_GUARDED_BY(mu_);
  TaskUsage exited_usage_ ABSL_GUARDED_BY(mu_);    // and the peak RSS
  TaskUsage children_usage_ ABSL_GUARDED_BY(mu_);
  bool exiting_ ABSL_GUARDED_BY(mu_) = false;
  int exit_status_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> stop_flag_{false};  // mirrors stopped_ for lock-free checks
  int wait_stop_sig_ ABSL_GUARDED_BY(mu_) = 0;
  bool wait_continued_ ABSL_GUARDED_BY(mu_) = false;
  vfs::WaitQueue signal_events_;
  vfs::WaitQueue exit_events_;

  // Sends the parent SIGCHLD for a stop or continue (unless SA_NOCLDSTOP).
  void NotifyParentJobControl(int code, int status);

  // Last, so that it goes first (its timers signal this group).
  ProcessTimers timers_{*this};
};

// Linux's default action for a signal with SIG_DFL.
enum class DefaultAction { kTerminate, kCore, kIgnore, kStop, kContinue };
DefaultAction DefaultActionFor(int sig);

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_THREAD_GROUP_H_
