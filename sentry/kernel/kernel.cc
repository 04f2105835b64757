#include "sentry/kernel/kernel.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "abi/linux/syscalls.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "sentry/fsimpl/host/host_file.h"
#include "sentry/kernel/console.h"
#include "sentry/kernel/exec.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/loader/loader.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace sentry::kernel {

absl::StatusOr<std::unique_ptr<Kernel>> Kernel::Create(KernelConfig config) {
  if (config.syscalls == nullptr) return absl::InvalidArgumentError("no syscall table");
  std::unique_ptr<Kernel> k(new Kernel(std::move(config)));
  ASSIGN_OR_RETURN(k->memory_file_, mm::MemoryFile::Create());
  ASSIGN_OR_RETURN(k->platform_,
                   platform::Platform::Create(k->config_.platform, k->memory_file_->fd()));
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  k->boot_time_ns_ = ts.tv_sec * 1000000000LL + ts.tv_nsec;
  k->timers_ = std::make_unique<TimerQueue>();
  k->ipc_ = std::make_shared<ipc::IpcNamespace>(*k->memory_file_);
  return k;
}

Kernel::~Kernel() {
  // No timer fires into the processes from here on.
  if (timers_) timers_->Shutdown();
  std::vector<std::unique_ptr<Task>> tasks;
  {
    absl::MutexLock l(&mu_);
    tasks = std::move(all_tasks_);
  }
  for (auto& t : tasks) t->Join();
}

namespace {

// Who resolves the first program's path: its credentials, from the root.
class BootContext : public vfs::Context {
 public:
  BootContext(const ProcessArgs& args, vfs::Path root, vfs::Path cwd)
      : args_(args), root_(std::move(root)), cwd_(std::move(cwd)) {}
  auth::Credentials creds() const override { return args_.creds; }
  vfs::Path root() const override { return root_; }
  vfs::Path cwd() const override { return cwd_; }
  uint32_t umask() const override { return args_.umask; }

 private:
  const ProcessArgs& args_;
  vfs::Path root_, cwd_;
};

}  // namespace

absl::StatusOr<Task*> Kernel::CreateInitProcess(const ProcessArgs& args) {
  return SpawnProcess(args, /*init=*/true, nullptr);
}

absl::StatusOr<Task*> Kernel::CreateProcess(const ProcessArgs& args,
                                            std::function<void(int)> on_exit) {
  {
    absl::MutexLock l(&mu_);
    if (init_ == nullptr || init_exited_) {
      return absl::FailedPreconditionError("the sandbox's first process is not running");
    }
  }
  return SpawnProcess(args, /*init=*/false, std::move(on_exit));
}

absl::StatusOr<Task*> Kernel::SpawnProcess(const ProcessArgs& args, bool init,
                                           std::function<void(int)> on_exit) {
  vfs::Path root = args.root.valid() ? args.root : vfs_.RootPath();
  if (!root.valid()) return absl::FailedPreconditionError("no root file system");
  BootContext boot(args, root, root);
  auto cwd = vfs_.Resolve(boot, vfs::Start{root}, args.cwd, vfs::kFollow | vfs::kDirectory);
  if (!cwd.ok()) {
    return util::ErrnoStatus(cwd.error().value(), "working directory " + args.cwd);
  }
  BootContext ctx(args, root, *cwd);
  ASSIGN_OR_RETURN(auto as, platform_->NewAddressSpace());
  auto mm = std::make_shared<mm::MemoryManager>(*memory_file_, std::move(as),
                                                platform_->MinUserAddress(),
                                                platform_->MaxUserAddress());
  ExecRequest req;
  req.start = *cwd;
  req.path = args.filename;
  if (req.path.find('/') == std::string::npos) {
    // A bare command name: searched on the guest's PATH, as execvp does.
    std::string search = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const auto& e : args.envv) {
      if (e.rfind("PATH=", 0) == 0) search = e.substr(5);
    }
    for (absl::string_view dir : absl::StrSplit(search, ':')) {
      std::string candidate = absl::StrCat(dir.empty() ? "." : dir, "/", args.filename);
      auto p = vfs_.Resolve(ctx, vfs::Start{*cwd}, candidate, vfs::kFollow);
      if (p.ok() && p->dentry->inode()->is_regular() &&
          p->dentry->inode()->CheckPermission(ctx, vfs::kMayExec).ok()) {
        req.path = candidate;
        break;
      }
    }
    if (req.path.find('/') == std::string::npos) {
      return absl::NotFoundError(args.filename + ": command not found");
    }
  }
  req.argv = args.argv;
  req.envv = args.envv;
  req.stack_limit = args.rlimits[abi_linux::kRLIMIT_STACK].rlim_cur;
  auto image = LoadExecutable(vfs_, ctx, *mm, std::move(req));
  if (!image.ok()) {
    return util::ErrnoStatus(image.error().value(), "cannot execute " + args.filename);
  }
  const loader::LoadResult* loaded = &image->loaded;

  auto fds = std::make_shared<vfs::FdTable>();
  std::optional<Console> console;
  if (args.console_host_fd >= 0) {
    auto c = NewConsole(*this, args.console_host_fd);
    if (!c.ok()) return util::ErrnoStatus(c.error().value(), "console");
    console = std::move(c).value();
    for (int i = 0; i < 3; ++i) (void)fds->InstallAt(i, console->replica, false, 3);
  }
  for (int i = 0; i < 3 && !console; ++i) {
    if (args.stdio[i] < 0) continue;
    int fd = fcntl(args.stdio[i], F_DUPFD_CLOEXEC, 3);
    if (fd < 0) continue;
    auto f = std::make_shared<fsimpl::host::HostFile>(util::UniqueFd(fd), O_RDWR);
    (void)fds->InstallAt(i, std::move(f), false, 3);
  }
  for (size_t i = 0; i < args.extra_fds.size(); ++i) {
    int fd = fcntl(args.extra_fds[i], F_DUPFD_CLOEXEC, 3);
    if (fd < 0) continue;
    auto f = std::make_shared<fsimpl::host::HostFile>(util::UniqueFd(fd), O_RDWR);
    int guest_fd = static_cast<int>(3 + i);
    (void)fds->InstallAt(guest_fd, std::move(f), false, guest_fd + 1);
  }
  auto fs = std::make_shared<FsContext>();
  {
    absl::MutexLock l(&fs->mu);
    fs->root = root;
    fs->cwd = *cwd;
    fs->umask = args.umask;
  }

  absl::MutexLock l(&mu_);
  int tid = next_tid_++;
  auto tg = std::make_unique<ThreadGroup>(*this, tid, nullptr, args.creds);
  tg->set_rlimits(args.rlimits);
  tg->set_exe_path(image->exe_name);
  tg->set_exe(image->exe);
  auto task = std::make_unique<Task>(*this, *tg, tid, std::move(mm), std::move(fds), std::move(fs));
  abi_linux::PtRegs& regs = task->regs();
  regs = platform_->InitialRegs();
  regs.rip = loaded->entry;
  regs.rsp = loaded->stack_pointer;
  Task* t = task.get();
  std::strncpy(t->control().comm, image->comm.c_str(), sizeof(t->control().comm) - 1);
  t->SetInitialSeccompFilter(args.seccomp_filter);
  tg->AddTask(t);
  tasks_[tid] = t;
  if (init) init_ = tg.get();
  if (on_exit) exit_callbacks_[tg.get()] = std::move(on_exit);
  tg->container_id = args.container_id;
  tg->frozen.store(frozen_containers_.count(tg->container_id) != 0);
  // The first process, and each one started from outside, leads its own
  // session and group.
  tg->set_pgid(tid);
  tg->set_sid(tid);
  if (console) console->attach(*tg);
  thread_groups_.push_back(std::move(tg));
  all_tasks_.push_back(std::move(task));
  ++live_tasks_;
  if (!init && running_ && !args.start_later) t->Start();
  return t;
}

void Kernel::StartProcess(Task* t) { t->Start(); }

void Kernel::JoinExited() {
  std::vector<Task*> done;
  {
    absl::MutexLock l(&mu_);
    done.swap(exited_);
  }
  // Task objects stay (other threads may still hold pointers to them); the
  // finished threads' stacks are what is worth giving back.
  for (Task* t : done) t->Join();
}

util::ErrnoOr<Task*> Kernel::NewThread(Task& parent, std::shared_ptr<mm::MemoryManager> mm,
                                       std::shared_ptr<vfs::FdTable> fds,
                                       std::shared_ptr<FsContext> fs) {
  ThreadGroup& tg = parent.thread_group();
  if (tg.exiting()) return util::Errno(EAGAIN);
  JoinExited();
  absl::MutexLock l(&mu_);
  // RLIMIT_NPROC-like guard against runaway thread creation.
  constexpr int kMaxTasks = 32768;
  if (live_tasks_ >= kMaxTasks) return util::Errno(EAGAIN);
  int tid = next_tid_++;
  auto task = std::make_unique<Task>(*this, tg, tid, std::move(mm), std::move(fds), std::move(fs));
  Task* t = task.get();
  tg.AddTask(t);
  tasks_[tid] = t;
  all_tasks_.push_back(std::move(task));
  ++live_tasks_;
  return t;
}

int Kernel::Run() {
  std::vector<Task*> start;
  {
    absl::MutexLock l(&mu_);
    running_ = true;
    for (auto& t : all_tasks_) start.push_back(t.get());
  }
  // Those already running (a container's startContainer hooks) are passed over.
  for (Task* t : start) t->Start();
  absl::MutexLock l(&mu_);
  mu_.Await(absl::Condition(
      +[](Kernel* k) ABSL_EXCLUSIVE_LOCKS_REQUIRED(k->mu_) {
        return k->init_exited_ && k->live_tasks_ == 0;
      },
      this));
  return init_->exit_status();
}

std::string Kernel::hostname() {
  absl::MutexLock l(&uts_mu_);
  return uts_set_ ? hostname_ : config_.hostname;
}

std::string Kernel::domainname() {
  absl::MutexLock l(&uts_mu_);
  return uts_set_ ? domainname_ : config_.domainname;
}

void Kernel::set_hostname(std::string name) {
  absl::MutexLock l(&uts_mu_);
  if (!uts_set_) domainname_ = config_.domainname;
  uts_set_ = true;
  hostname_ = std::move(name);
}

void Kernel::set_domainname(std::string name) {
  absl::MutexLock l(&uts_mu_);
  if (!uts_set_) hostname_ = config_.hostname;
  uts_set_ = true;
  domainname_ = std::move(name);
}

void Kernel::Pause() {
  paused_.store(true);
  absl::MutexLock l(&mu_);
  // Guest code that is running traps out; the task then waits in
  // WaitWhilePaused before going back.
  for (auto& [tid, t] : tasks_) t->Kick();
}

void Kernel::Resume() {
  paused_.store(false);
  absl::MutexLock l(&mu_);
  ++child_events_;  // re-evaluates the waits in WaitWhilePaused
}

bool Kernel::paused() { return paused_.load(); }

void Kernel::WaitWhilePaused(Task& t) {
  if (!paused_.load() && !t.thread_group().frozen.load()) return;
  std::pair<Kernel*, Task*> arg{this, &t};
  absl::MutexLock l(&mu_);
  mu_.Await(absl::Condition(
      +[](std::pair<Kernel*, Task*>* a) {
        return (!a->first->paused_.load() && !a->second->thread_group().frozen.load()) ||
               a->second->exiting() || a->second->thread_group().exiting();
      },
      &arg));
}

namespace {

// A pid namespace's init ignores, from an ancestor namespace, every signal
// it has no handler for but SIGKILL and SIGSTOP.
bool InitIgnores(ThreadGroup& init, int sig) {
  if (sig == abi_linux::kSIGKILL || sig == abi_linux::kSIGSTOP) return false;
  return init.sigaction(sig).handler == abi_linux::kSIG_DFL;
}

void SendFromOutside(ThreadGroup& tg, int sig) {
  abi_linux::Siginfo info{};
  info.si_signo = sig;
  info.si_code = abi_linux::kSI_USER;  // from outside the sandbox: pid 0
  tg.SendSignal(info);
}

}  // namespace

void Kernel::SignalInit(int sig, bool from_parent_namespace) {
  ThreadGroup* init;
  {
    absl::MutexLock l(&mu_);
    if (init_exited_ || init_ == nullptr) return;
    init = init_;
  }
  if (from_parent_namespace && InitIgnores(*init, sig)) return;
  SendFromOutside(*init, sig);
}

void Kernel::SignalAll(int sig, bool from_parent_namespace) {
  ThreadGroup* init;
  {
    absl::MutexLock l(&mu_);
    init = init_;
  }
  for (ThreadGroup* tg : LiveProcesses()) {
    if (from_parent_namespace && tg == init && InitIgnores(*tg, sig)) continue;
    SendFromOutside(*tg, sig);
  }
}

Task* Kernel::TaskByTid(int tid) {
  absl::MutexLock l(&mu_);
  auto it = tasks_.find(tid);
  return it == tasks_.end() ? nullptr : it->second;
}

ThreadGroup* Kernel::ThreadGroupByPid(int pid) {
  absl::MutexLock l(&mu_);
  for (auto& tg : thread_groups_) {
    if (tg->pid() == pid && !tg->tasks().empty()) return tg.get();
  }
  return nullptr;
}

void Kernel::TaskExited(Task* t) {
  ThreadGroup& tg = t->thread_group();
  bool last = tg.RemoveTask(t);
  // Every thread left with exit(2): the last one's status is the group's.
  if (last) tg.BeginExit(t->thread_exit_status());
  // A dead process's timers go now: none fires into it.
  if (last) tg.timers().DestroyAll();
  // Its semaphore adjustments (SEM_UNDO) are undone.
  if (last) ipc_->ProcessExited(tg.pid());
  // A process started from outside tells whoever started it, and nobody
  // reaps it: it goes at once.
  std::function<void(int)> on_exit;
  if (last) {
    absl::MutexLock l(&mu_);
    if (auto it = exit_callbacks_.find(&tg); it != exit_callbacks_.end()) {
      on_exit = std::move(it->second);
      exit_callbacks_.erase(it);
      tg.reaped = true;
    }
  }
  if (on_exit) on_exit(tg.exit_status());
  std::vector<std::pair<ThreadGroup*, int>> notify;
  std::vector<std::pair<ThreadGroup*, int>> pdeath;
  std::vector<ThreadGroup*> to_kill;
  {
    absl::MutexLock l(&mu_);
    tasks_.erase(t->tid());
    --live_tasks_;
    exited_.push_back(t);
    if (last) {
      // Children that asked for a signal at their parent's death
      // (PR_SET_PDEATHSIG) get it once the parent is gone.
      for (ThreadGroup* child : tg.children) {
        if (child->reaped || child->zombie) continue;
        for (Task* ct : child->tasks()) {
          if (int sig = ct->control().pdeath_signal; sig > 0) pdeath.push_back({child, sig});
        }
      }
      ProcessExitedLocked(tg, &notify);
      if (&tg == init_) {
        init_exited_ = true;
        // The namespace's init is gone: every other process dies.
        for (auto& other : thread_groups_) {
          if (!other->zombie && other.get() != &tg) to_kill.push_back(other.get());
        }
      }
    }
  }
  for (auto [child, sig] : pdeath) {
    abi_linux::Siginfo info{};
    info.si_signo = sig;
    info.si_code = abi_linux::kSI_USER;
    child->SendSignal(info);
  }
  for (auto [parent, sig] : notify) {
    abi_linux::Siginfo info{};
    info.si_signo = sig;
    info.si_code = WIFEXITED(tg.exit_status()) ? abi_linux::kCLD_EXITED
                   : (tg.exit_status() & 0x80) ? abi_linux::kCLD_DUMPED
                                                 : abi_linux::kCLD_KILLED;
    info.SetPid(tg.pid());
    info.SetUid(tg.creds().ruid);
    info.SetStatus(WIFEXITED(tg.exit_status()) ? WEXITSTATUS(tg.exit_status())
                                               : WTERMSIG(tg.exit_status()));
    parent->SendSignal(info);
  }
  for (ThreadGroup* other : to_kill) other->BeginExit(abi_linux::kSIGKILL);
  if (last) tg.exit_events().Notify(POLLIN);
  WakeWaiters();
}

void Kernel::ProcessExitedLocked(ThreadGroup& tg,
                                 std::vector<std::pair<ThreadGroup*, int>>* notify) {
  // Orphans go to the nearest living ancestor that made itself a child
  // subreaper (PR_SET_CHILD_SUBREAPER), or else to init.
  ThreadGroup* reaper = init_;
  for (ThreadGroup* a = tg.parent(); a != nullptr; a = a->parent()) {
    if (a->child_subreaper.load() && !a->zombie && !a->exiting()) {
      reaper = a;
      break;
    }
  }
  for (ThreadGroup* child : tg.children) {
    if (child->reaped) continue;
    child->set_parent(reaper);
    if (reaper != nullptr && reaper != &tg) reaper->children.push_back(child);
  }
  tg.children.clear();
  tg.zombie = true;
  ++child_events_;
  ThreadGroup* parent = tg.parent();
  if (parent == nullptr) return;
  // A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) leaves no zombie.
  abi_linux::SigAction act = parent->sigaction(abi_linux::kSIGCHLD);
  if (act.handler == abi_linux::kSIG_IGN || (act.flags & abi_linux::kSA_NOCLDWAIT)) {
    tg.reaped = true;
  }
  if (tg.exit_signal > 0) notify->push_back({parent, tg.exit_signal});
}

void Kernel::WakeWaiters() {
  absl::MutexLock l(&mu_);
  ++child_events_;
}

util::ErrnoOr<Kernel::WaitResult> Kernel::Wait(Task& waiter, int pid, bool nohang, bool reap) {
  WaitOptions o;
  o.nohang = nohang;
  o.reap = reap;
  return Wait(waiter, pid, o);
}

util::ErrnoOr<Kernel::WaitResult> Kernel::Wait(Task& waiter, int pid, const WaitOptions& o) {
  ThreadGroup& me = waiter.thread_group();
  absl::MutexLock l(&mu_);
  while (true) {
    bool any = false;
    for (ThreadGroup* child : me.children) {
      if (child->reaped) continue;
      bool match = pid == -1 || (pid > 0 && child->pid() == pid) ||
                   (pid == 0 && child->pgid() == me.pgid()) ||
                   (pid < -1 && child->pgid() == -pid);
      if (!match) continue;
      any = true;
      uint32_t uid = child->creds().ruid;
      if (child->zombie) {
        if (!o.exited) continue;
        int ws = child->exit_status();
        WaitResult r;
        r.pid = child->pid();
        r.wait_status = ws;
        r.uid = uid;
        if (WIFEXITED(ws)) {
          r.code = abi_linux::kCLD_EXITED;
          r.status = WEXITSTATUS(ws);
        } else {
          r.code = (ws & 0x80) ? abi_linux::kCLD_DUMPED : abi_linux::kCLD_KILLED;
          r.status = WTERMSIG(ws);
        }
        // wait4's rusage: the child's own and its reaped children's, which
        // the parent's children totals take over when it reaps.
        r.usage = child->SelfUsage();
        r.usage += child->ChildrenUsage();
        if (o.reap) {
          child->reaped = true;
          me.AddChildUsage(r.usage);
        }
        return r;
      }
      if (o.stopped) {
        if (int sig = child->TakeStopReport(o.reap)) {
          WaitResult r;
          r.pid = child->pid();
          r.wait_status = ((sig & 0xff) << 8) | 0x7f;
          r.uid = uid;
          r.code = abi_linux::kCLD_STOPPED;
          r.status = sig;
          r.usage = child->SelfUsage();
          r.usage += child->ChildrenUsage();
          return r;
        }
      }
      if (o.continued && child->TakeContinueReport(o.reap)) {
        WaitResult r;
        r.pid = child->pid();
        r.wait_status = 0xffff;
        r.uid = uid;
        r.code = abi_linux::kCLD_CONTINUED;
        r.status = abi_linux::kSIGCONT;
        r.usage = child->SelfUsage();
        r.usage += child->ChildrenUsage();
        return r;
      }
    }
    if (!any) return util::Errno(ECHILD);
    if (o.nohang) return WaitResult{};
    if (waiter.ShouldInterruptWait()) return util::Errno(EINTR);
    std::pair<Kernel*, uint64_t> seen{this, child_events_};
    mu_.Await(absl::Condition(
        +[](std::pair<Kernel*, uint64_t>* a) ABSL_EXCLUSIVE_LOCKS_REQUIRED(a->first->mu_) {
          return a->first->child_events_ != a->second;
        },
        &seen));
  }
}

util::ErrnoOr<Task*> Kernel::NewProcess(Task& parent, bool clone_parent, int exit_signal,
                                        std::shared_ptr<mm::MemoryManager> mm,
                                        std::shared_ptr<vfs::FdTable> fds,
                                        std::shared_ptr<FsContext> fs) {
  ThreadGroup& ptg = parent.thread_group();
  JoinExited();
  absl::MutexLock l(&mu_);
  constexpr int kMaxTasks = 32768;
  if (live_tasks_ >= kMaxTasks) return util::Errno(EAGAIN);
  ThreadGroup* owner = clone_parent && ptg.parent() ? ptg.parent() : &ptg;
  int pid = next_tid_++;
  auto tg = std::make_unique<ThreadGroup>(*this, pid, owner, ptg.creds());
  for (int r = 0; r < 16; ++r) tg->set_rlimit(r, ptg.rlimit(r));
  for (int sig = 1; sig <= abi_linux::kNumSignals; ++sig) tg->set_sigaction(sig, ptg.sigaction(sig));
  tg->set_exe_path(ptg.exe_path());
  tg->exit_signal = exit_signal;
  tg->container_id = ptg.container_id;
  tg->frozen.store(frozen_containers_.count(tg->container_id) != 0);
  tg->set_pgid(ptg.pgid());
  tg->set_sid(ptg.sid());
  owner->children.push_back(tg.get());
  auto task = std::make_unique<Task>(*this, *tg, pid, std::move(mm), std::move(fds), std::move(fs));
  Task* t = task.get();
  tg->AddTask(t);
  tasks_[pid] = t;
  thread_groups_.push_back(std::move(tg));
  all_tasks_.push_back(std::move(task));
  ++live_tasks_;
  return t;
}

void Kernel::CountUnimplemented(int64_t nr) {
  absl::MutexLock l(&mu_);
  if (unimplemented_[nr]++ == 0) {
    std::string_view name = abi_linux::SyscallName(static_cast<int>(nr));
    SK_DLOG << "unimplemented syscall " << nr << " ("
                    << (name.empty() ? "unknown" : std::string(name)) << "): ENOSYS";
  }
}

std::map<int64_t, uint64_t> Kernel::UnimplementedCounts() {
  absl::MutexLock l(&mu_);
  return unimplemented_;
}

// ---- Read by procfs ----

std::vector<ThreadGroup*> Kernel::ThreadGroups() {
  absl::MutexLock l(&mu_);
  std::vector<ThreadGroup*> out;
  for (auto& tg : thread_groups_) {
    if (!tg->reaped) out.push_back(tg.get());
  }
  std::sort(out.begin(), out.end(),
            [](ThreadGroup* a, ThreadGroup* b) { return a->pid() < b->pid(); });
  return out;
}

bool Kernel::IsZombie(const ThreadGroup& tg) {
  absl::MutexLock l(&mu_);
  return tg.zombie;
}

// ---- Process groups and sessions ----

util::ErrnoOrVoid Kernel::SetPgid(Task& caller, int pid, int pgid) {
  if (pgid < 0) return util::Errno(EINVAL);
  ThreadGroup& me = caller.thread_group();
  absl::MutexLock l(&mu_);
  ThreadGroup* target = nullptr;
  if (pid == 0 || pid == me.pid()) {
    target = &me;
  } else {
    for (ThreadGroup* c : me.children) {
      if (c->pid() == pid && !c->reaped) target = c;
    }
    if (target == nullptr) return util::Errno(ESRCH);
    if (target->sid() != me.sid()) return util::Errno(EPERM);
    if (target->did_exec) return util::Errno(EACCES);
  }
  if (pgid == 0) pgid = target->pid();
  if (target->sid() == target->pid()) return util::Errno(EPERM);  // a session leader
  if (pgid != target->pid()) {
    // Joining a group: it must exist in the same session.
    bool found = false;
    for (auto& tg : thread_groups_) {
      if (!tg->reaped && tg->pgid() == pgid && tg->sid() == me.sid()) found = true;
    }
    if (!found) return util::Errno(EPERM);
  }
  target->set_pgid(pgid);
  return {};
}

util::ErrnoOr<int> Kernel::SetSid(Task& caller) {
  ThreadGroup& me = caller.thread_group();
  absl::MutexLock l(&mu_);
  for (auto& tg : thread_groups_) {
    if (!tg->reaped && tg->pgid() == me.pid()) return util::Errno(EPERM);  // a group leader
  }
  me.set_sid(me.pid());
  me.set_pgid(me.pid());
  return me.pid();
}

std::vector<ThreadGroup*> Kernel::ProcessGroup(int pgid) {
  absl::MutexLock l(&mu_);
  std::vector<ThreadGroup*> out;
  for (auto& tg : thread_groups_) {
    if (!tg->reaped && !tg->zombie && tg->pgid() == pgid) out.push_back(tg.get());
  }
  return out;
}

std::vector<ThreadGroup*> Kernel::LiveProcesses() {
  absl::MutexLock l(&mu_);
  std::vector<ThreadGroup*> out;
  for (auto& tg : thread_groups_) {
    if (!tg->reaped && !tg->zombie) out.push_back(tg.get());
  }
  return out;
}

}  // namespace sentry::kernel
