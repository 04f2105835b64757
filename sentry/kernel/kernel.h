// The kernel: owner of the platform, the memory file, the PID namespace and
// the syscall table; it starts the first process and reports how the
// sandbox ended.
//
//   ASSIGN_OR_RETURN(auto k, Kernel::Create(config));
//   ASSIGN_OR_RETURN(Task* init, k->CreateInitProcess(args));
//   int wait_status = k->Run();  // blocks until the init process is gone
//
// Lock order: Kernel::mu_, then ThreadGroup::mu_, then Task::mu_, then
// MemoryManager::mu_, then MemoryFile::mu_.
// The timer thread (timers.h) holds no lock while it sends a timer's
// signal; its own TimerQueue::mu_ comes after ProcessTimers::mu_ and before
// ThreadGroup::mu_ (read for a process's CPU clock).
#ifndef SENTRY_KERNEL_KERNEL_H_
#define SENTRY_KERNEL_KERNEL_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "abi/linux/resource.h"
#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/platform.h"
#include "sentry/kernel/cgroup_limits.h"
#include "sentry/kernel/usage.h"
#include "sentry/kernel/credentials.h"
#include "sentry/vfs/vfs.h"
#include "sentry/kernel/futex.h"
#include "sentry/kernel/syscall_table.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/kernel/timers.h"
#include "sentry/mm/memory_file.h"

namespace sentry::kernel {

class Task;
class ThreadGroup;
namespace ipc {
class IpcNamespace;
}

struct KernelConfig {
  std::string platform = "ptrace";
  const SyscallTable* syscalls = nullptr;
  // Called around every syscall when set (strace).
  void (*syscall_enter_hook)(Task&, int64_t nr, const SyscallArgs&) = nullptr;
  void (*syscall_exit_hook)(Task&, int64_t nr, const SyscallArgs&, const SyscallResult&) = nullptr;
  std::string hostname = "sandbox";
  std::string domainname = "(none)";
  // The first container's cgroup limits (its linux.resources), as the
  // cgroup file system shows them.
  CgroupLimits cgroup;
};

struct ProcessArgs {
  std::string filename;              // the executable, resolved in the guest's file system
  std::vector<std::string> argv;
  std::vector<std::string> envv;
  std::string cwd = "/";            // in the guest's file system
  Credentials creds;
  std::array<abi_linux::Rlimit64, 16> rlimits;
  uint32_t umask = 022;
  // Host fds that become the guest's fds 0, 1, 2 (-1: none). Dup'ed.
  std::array<int, 3> stdio = {0, 1, 2};
  // Further host fds that become the guest's fds 3, 4, ... (runsc create
  // --preserve-fds). Dup'ed.
  std::vector<int> extra_fds;
  // A host tty (the replica of a host pty) for a terminal: when set, the
  // process's fds 0, 1 and 2 are a sentry pty bridged to it, the
  // controlling terminal of its session (console.h); `stdio` is unused.
  int console_host_fd = -1;
  // The process's root (and where cwd is resolved): the VFS root when not
  // valid; a detached container root for a pod's container.
  vfs::Path root;
  // ThreadGroup::container_id of the new process (and its descendants).
  std::string container_id;
  // CreateProcess: load it now, run it at StartProcess (runsc create/start
  // of a pod's container).
  bool start_later = false;
  // The seccomp filter stack it starts under (the OCI config's
  // linux.seccomp); nullptr: none.
  std::shared_ptr<const seccomp::Filter> seccomp_filter;
};

class Kernel {
 public:
  static absl::StatusOr<std::unique_ptr<Kernel>> Create(KernelConfig config);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // Loads the first process (PID 1); it starts running in Run().
  absl::StatusOr<Task*> CreateInitProcess(const ProcessArgs& args);
  // A further process started from outside (runsc exec): no parent in the
  // sandbox, a session and group of its own, running at once if Run() has
  // begun. `on_exit` is called with its wait status when it has exited
  // (nothing reaps it otherwise).
  absl::StatusOr<Task*> CreateProcess(const ProcessArgs& args,
                                      std::function<void(int wait_status)> on_exit);
  // Starts a process made by CreateProcess with start_later.
  void StartProcess(Task* t);
  // Runs until the init process has exited; returns its wait status.
  int Run();
  // Freezes every task (runsc pause): running guest code is stopped and no
  // task returns to the guest until Resume(). Blocked syscalls stay blocked.
  void Pause();
  void Resume();
  bool paused();
  // Called by a task before it enters the guest: blocks while paused, or
  // while its container is frozen.
  void WaitWhilePaused(Task& t);
  // Freezes one container's processes (ThreadGroup::container_id == id:
  // runsc pause of a pod's later container), as Linux's cgroup v2 freezer
  // does, and nothing else: each of their tasks stops before its next
  // return to the guest (a syscall in progress finishes first and keeps its
  // result), processes they create meanwhile start frozen, and signals sent
  // to them stay pending until ThawContainer, except SIGKILL, which kills
  // at once. Freezing a frozen container, or thawing one that is not, does
  // nothing.
  void FreezeContainer(const std::string& id);
  void ThawContainer(const std::string& id);
  bool ContainerFrozen(const std::string& id);
  // Sends `sig` to the init process from outside (runsc forwarding a
  // signal it received). With `from_parent_namespace`, Linux's rule for a
  // pid namespace's init holds: a signal it has no handler for is dropped,
  // except SIGKILL and SIGSTOP (runsc kill, as runc's kill from the host).
  void SignalInit(int sig, bool from_parent_namespace = false);
  // The same for every live process (runsc kill --all).
  void SignalAll(int sig, bool from_parent_namespace = false);

  platform::Platform& platform() { return *platform_; }
  // The file system tree (the mount namespace) every task sees.
  vfs::Vfs& vfs() { return vfs_; }
  mm::MemoryFile& memory_file() { return *memory_file_; }
  const KernelConfig& config() const { return config_; }
  // The UTS namespace: starts as the config's names; sethostname(2) and
  // setdomainname(2) change them.
  std::string hostname();
  std::string domainname();
  void set_hostname(std::string name);
  void set_domainname(std::string name);
  const SyscallTable& syscalls() const { return *config_.syscalls; }
  Futexes& futexes() { return futexes_; }
  // The timer thread behind alarm, setitimer, timer_create and timerfd.
  TimerQueue& timers() { return *timers_; }
  // System V IPC objects (shm, semaphores, message queues).
  ipc::IpcNamespace& ipc() { return *ipc_; }
  // Monotonic nanoseconds when the kernel started.
  int64_t boot_time_ns() const { return boot_time_ns_; }

  // A new thread in `parent`'s thread group, not yet started.
  util::ErrnoOr<Task*> NewThread(Task& parent, std::shared_ptr<mm::MemoryManager> mm,
                                 std::shared_ptr<vfs::FdTable> fds,
                                 std::shared_ptr<FsContext> fs);

  // A new process (fork): a thread group whose parent is `parent`'s (or,
  // with CLONE_PARENT, its parent's), with `mm`. Not yet started.
  util::ErrnoOr<Task*> NewProcess(Task& parent, bool clone_parent, int exit_signal,
                                  std::shared_ptr<mm::MemoryManager> mm,
                                  std::shared_ptr<vfs::FdTable> fds,
                                  std::shared_ptr<FsContext> fs);

  // wait4/waitid: finds a child of `waiter` matching `pid` (>0: that pid;
  // -1: any; 0 or < -1: a process group, which is the process itself until
  // job control exists). Blocks unless `nohang`; `reap` false leaves it a
  // zombie (WNOWAIT).
  struct WaitResult {
    int pid = 0;          // 0: no child has changed state (WNOHANG)
    int wait_status = 0;  // Linux wait status
    uint32_t uid = 0;
    int code = 0;         // CLD_EXITED, CLD_KILLED, CLD_DUMPED, CLD_STOPPED, CLD_CONTINUED
    int status = 0;       // exit code or signal, as waitid's si_status
    TaskUsage usage;      // the child's and its reaped children's (wait4's rusage)
  };
  struct WaitOptions {
    bool nohang = false;
    bool reap = true;        // false: WNOWAIT (nothing is consumed)
    bool exited = true;      // WEXITED
    bool stopped = false;    // WUNTRACED / WSTOPPED
    bool continued = false;  // WCONTINUED
  };
  util::ErrnoOr<WaitResult> Wait(Task& waiter, int pid, bool nohang, bool reap);
  util::ErrnoOr<WaitResult> Wait(Task& waiter, int pid, const WaitOptions& opts);

  // ---- Process groups and sessions ----
  // setpgid(2) by `caller`: pid 0 is the caller, pgid 0 is pid.
  util::ErrnoOrVoid SetPgid(Task& caller, int pid, int pgid);
  // setsid(2): the caller's process becomes a session and group leader.
  util::ErrnoOr<int> SetSid(Task& caller);
  // Every process in group pgid (not reaped, not a zombie).
  std::vector<ThreadGroup*> ProcessGroup(int pgid);
  // Every live process (kill(-1)).
  std::vector<ThreadGroup*> LiveProcesses();

  // ---- PID namespace ----
  Task* TaskByTid(int tid);
  ThreadGroup* ThreadGroupByPid(int pid);

  // Called by a task's host thread as its last act.
  void TaskExited(Task* t);

  // ENOSYS accounting for the compatibility report.
  void CountUnimplemented(int64_t nr);
  std::map<int64_t, uint64_t> UnimplementedCounts();

  // ---- Read by procfs ----
  // Every process not yet reaped (zombies included), by pid. The pointers
  // stay valid for the kernel's lifetime.
  std::vector<ThreadGroup*> ThreadGroups();
  // Whether tg's threads have all exited (it waits to be reaped).
  bool IsZombie(const ThreadGroup& tg);
  // uname(2)'s release and version strings.
  static constexpr const char* UtsRelease() { return "6.1.0"; }
  static constexpr const char* UtsVersion() { return "#1 SMP PREEMPT_DYNAMIC sentry"; }

 private:
  explicit Kernel(KernelConfig config) : config_(std::move(config)) {}

  KernelConfig config_;
  std::unique_ptr<mm::MemoryFile> memory_file_;
  std::unique_ptr<platform::Platform> platform_;
  vfs::Vfs vfs_;
  int64_t boot_time_ns_ = 0;
  Futexes futexes_;
  // Declared before the processes, which own timers: destroyed after them.
  std::unique_ptr<TimerQueue> timers_;
  // Before the processes too: destroyed after their mappings of segments.
  std::shared_ptr<ipc::IpcNamespace> ipc_;

  absl::Mutex mu_;
  std::map<int, Task*> tasks_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<ThreadGroup>> thread_groups_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<Task>> all_tasks_ ABSL_GUARDED_BY(mu_);
  // Tasks whose host thread has finished its work but is not yet joined.
  std::vector<Task*> exited_ ABSL_GUARDED_BY(mu_);
  int next_tid_ ABSL_GUARDED_BY(mu_) = 1;
  ThreadGroup* init_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool init_exited_ ABSL_GUARDED_BY(mu_) = false;
  int live_tasks_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<int64_t, uint64_t> unimplemented_ ABSL_GUARDED_BY(mu_);
  absl::Mutex uts_mu_;
  std::string hostname_ ABSL_GUARDED_BY(uts_mu_);
  std::string domainname_ ABSL_GUARDED_BY(uts_mu_);
  bool uts_set_ ABSL_GUARDED_BY(uts_mu_) = false;  // names changed from the config's
  bool running_ ABSL_GUARDED_BY(mu_) = false;  // Run() has started the first tasks
  std::atomic<bool> paused_{false};
  // Containers frozen by FreezeContainer (their processes' ThreadGroup::frozen).
  std::set<std::string> frozen_containers_ ABSL_GUARDED_BY(mu_);
  std::map<ThreadGroup*, std::function<void(int)>> exit_callbacks_ ABSL_GUARDED_BY(mu_);
  uint64_t child_events_ ABSL_GUARDED_BY(mu_) = 0;  // bumped when a process exits

 public:
  // Wakes tasks blocked in Wait so they re-check for signals.
  void WakeWaiters();

 private:
  // Joins the host threads of tasks that have exited (their stacks go
  // back), except the caller's own.
  void JoinExited() ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<Task*> SpawnProcess(const ProcessArgs& args, bool init,
                                     std::function<void(int)> on_exit);
  // Makes tg a zombie, hands its children to init and tells its parent.
  void ProcessExitedLocked(ThreadGroup& tg, std::vector<std::pair<ThreadGroup*, int>>* notify)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_KERNEL_H_
