// runsc boot: the sandbox process of one OCI container. Started by
// `runsc create`, it sets up the sentry (kernel, gofers, file systems,
// the container's first process, loaded but not yet running), listens on
// the container's control socket, reports readiness on --sync-fd and waits
// for `start`. It lives exactly as long as the container's first process
// and exits with its status, or dies of the same signal, so whoever reaps
// it (containerd's shim) sees the container's own status.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "runsc/cli.h"
#include "runsc/container.h"
#include "runsc/oci_seccomp.h"
#include "runsc/oci_spec.h"
#include "runsc/sandbox_fs.h"
#include "runsc/sentry_hardening.h"
#include "runsc/sandbox_hooks.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/strace/strace.h"
#include "sentry/syscalls/linux/linux64.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace runsc {

namespace {

using json = nlohmann::json;
using sentry::kernel::Kernel;

sentry::kernel::ProcessArgs ProcessArgsFor(const OciProcess& p) {
  sentry::kernel::ProcessArgs pa;
  pa.argv = p.args;
  pa.filename = p.args[0];
  pa.envv = p.env;
  pa.cwd = p.cwd;
  pa.creds = sentry::kernel::Credentials::ForIds(p.uid, p.gid, p.additional_gids);
  if (p.has_capabilities) {
    pa.creds.cap_bounding = p.cap_bounding;
    pa.creds.cap_effective = p.cap_effective;
    pa.creds.cap_inheritable = p.cap_inheritable;
    pa.creds.cap_permitted = p.cap_permitted;
    pa.creds.cap_ambient = p.cap_ambient;
  }
  // Defaults as a container's process gets them, then the spec's own.
  for (int r = 0; r < 16; ++r) {
    struct rlimit rl;
    if (getrlimit(r, &rl) == 0) pa.rlimits[r] = {rl.rlim_cur, rl.rlim_max};
  }
  for (const OciRlimit& l : p.rlimits) {
    if (l.resource >= 0 && l.resource < 16) pa.rlimits[l.resource] = {l.soft, l.hard};
  }
  pa.umask = p.umask.value_or(022);
  if (p.terminal) pa.console_host_fd = 0;  // stdio is the host pty's replica (a sentry pty's bridge)
  return pa;
}

// Dies of `sig` as the container's first process did (no core file).
// The sandbox is usually the init of a pid namespace of its own, which no
// signal it sends itself can kill: it dies of a fault signal by taking
// that fault (a fault kills a namespace's init), and otherwise exits
// 128+sig, the status clients report for a death by sig. (SIGKILL from
// runsc kill reaches it from outside and kills it outright.)
[[noreturn]] void DieOfSignal(int sig) {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  if (getpid() != 1) {
    kill(getpid(), sig);
  } else if (sig == SIGSEGV) {
    *static_cast<volatile int*>(nullptr) = 0;
  } else if (sig == SIGILL) {
    __builtin_trap();
  } else if (sig == SIGTRAP) {
    asm volatile("int3");
  } else if (sig == SIGFPE) {
    volatile int zero = 0;
    volatile int x = 1 / zero;
    (void)x;
  }
  // Signals whose default is to be ignored or stop, or that a namespace's
  // init cannot send itself: exit as a shell would report them.
  _exit(128 + sig);
}

void IgnoreSignal(int) {}

bool DefaultIgnored(int sig) {
  return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}


class Sandbox {
 public:
  Sandbox(std::string root, std::string id) : root_(std::move(root)), id_(std::move(id)) {}

  absl::Status Setup(const GlobalFlags& g, const Bundle& b, int preserve_fds);
  absl::Status Listen();
  // Waits for start (or a kill before it), runs the container, and
  // answers waiters. Returns the first process's wait status.
  int Serve();
  // Tears the kernel down, then the gofers.
  void Shutdown() {
    kernel_.reset();
    fs_.reset();
  }

 private:
  void AcceptLoop();
  void Handle(util::UniqueFd conn);
  json Dispatch(int conn, const json& req, std::vector<util::UniqueFd>& fds, bool* keep);
  json Exec(std::shared_ptr<util::UniqueFd> conn, const json& req,
            std::vector<util::UniqueFd>& fds);
  // `start`: runs the startContainer hooks in the container, then lets its
  // first process run. A failing hook fails the start (`failed` is set: the
  // sandbox ends once the answer is sent).
  json Start(const json& req, bool* failed);
  std::string Status();

  std::string root_, id_;
  // Declared before the kernel: the kernel (and the inodes holding gofer
  // handles) goes before the gofers do.
  std::optional<SandboxFs> fs_;
  std::unique_ptr<Kernel> kernel_;
  util::UniqueFd listener_;
  // The container's startContainer hooks, and the process they are made
  // from (its first process's rlimits and umask).
  std::vector<OciHook> start_hooks_;
  sentry::kernel::ProcessArgs hook_base_;
  // The container's linux.seccomp filter (nullptr: none): its first
  // process and every exec start under it.
  std::shared_ptr<const sentry::kernel::seccomp::Filter> seccomp_;

  absl::Mutex mu_;
  enum class Phase { kCreated, kRunning, kStopped } phase_ ABSL_GUARDED_BY(mu_) = Phase::kCreated;
  bool start_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool starting_ ABSL_GUARDED_BY(mu_) = false;      // its startContainer hooks run
  bool start_failed_ ABSL_GUARDED_BY(mu_) = false;  // one of them failed
  int kill_before_start_ ABSL_GUARDED_BY(mu_) = 0;
  int exit_status_ ABSL_GUARDED_BY(mu_) = 0;
  // Host pids standing for guest processes (ps --format json reports
  // these, as the shim matches them with its pid files): the sandbox for
  // the first process, each exec's runsc process for what it started.
  std::map<int, int> host_pids_ ABSL_GUARDED_BY(mu_);

  // Further containers of a pod sharing this sandbox (CRI annotations
  // io.kubernetes.cri.container-type=container and sandbox-id): each with
  // its own root file systems (a detached mount tree) and first process.
  struct SubContainer {
    std::optional<SandboxFs> fs;
    sentry::kernel::Task* init = nullptr;
    int init_pid = 0;
    Phase phase = Phase::kCreated;
    bool starting = false;  // its startContainer hooks run
    int exit_status = 0;
    // Its startContainer hooks and the process they are made from (root
    // unset: fs->root when they run).
    std::vector<OciHook> start_hooks;
    sentry::kernel::ProcessArgs hook_base;
    // Its own linux.seccomp filter (nullptr: none), for its execs too.
    std::shared_ptr<const sentry::kernel::seccomp::Filter> seccomp;
    // The connection of its pid-file process (runsc create's waiter),
    // told the exit status.
    std::shared_ptr<util::UniqueFd> waiter;
  };
  std::map<std::string, std::unique_ptr<SubContainer>> subs_ ABSL_GUARDED_BY(mu_);
  json CreateContainer(const json& req, std::vector<util::UniqueFd>& fds);
  json StartContainer(const std::string& cid, const json& req);
  json ContainerCommand(const std::string& cid, const std::string& cmd, const json& req,
                        std::shared_ptr<util::UniqueFd> conn);
  std::vector<sentry::kernel::ThreadGroup*> ProcessesOf(const std::string& cid);

  // Gofers die with the thread that started them (PR_SET_PDEATHSIG): those
  // of later containers are started by this long-lived thread.
  void RunOnLauncher(std::function<void()> fn);
  absl::Mutex launch_mu_;
  std::vector<std::function<void()>> launch_queue_ ABSL_GUARDED_BY(launch_mu_);
  bool launcher_started_ ABSL_GUARDED_BY(launch_mu_) = false;
};

absl::Status Sandbox::Setup(const GlobalFlags& g, const Bundle& b, int preserve_fds) {
  const OciSpec& spec = b.spec;
  ASSIGN_OR_RETURN(RootfsOptions rootfs, RootfsForBundle(b));

  sentry::kernel::KernelConfig cfg;
  cfg.platform = g.platform;
  cfg.syscalls = &sentry::syscalls::Linux64();
  cfg.hostname = spec.hostname.empty() ? id_.substr(0, 63) : spec.hostname;
  if (!spec.domainname.empty()) cfg.domainname = spec.domainname;
  cfg.cgroup = rootfs.cgroup_limits;
  if (g.strace) sentry::strace::Enable(cfg);
  absl::Time t0 = absl::Now();
  ASSIGN_OR_RETURN(kernel_, Kernel::Create(cfg));
  absl::Time t1 = absl::Now();
  ASSIGN_OR_RETURN(SandboxFs fs, MountSandboxFilesystems(*kernel_, std::move(rootfs)));
  fs_ = std::move(fs);
  RETURN_IF_ERROR(ApplySysctls(*kernel_, spec.sysctl));
  absl::Time t2 = absl::Now();

  sentry::kernel::ProcessArgs pa = ProcessArgsFor(spec.process);
  for (int i = 0; i < preserve_fds; ++i) pa.extra_fds.push_back(3 + i);
  // Compiled now, while the sandbox may still use the host (libseccomp).
  if (spec.seccomp) {
    ASSIGN_OR_RETURN(std::vector<abi_linux::SockFilter> bpf, CompileSeccomp(*spec.seccomp));
    ASSIGN_OR_RETURN(seccomp_, GuestSeccompFilter(bpf, *spec.seccomp));
    pa.seccomp_filter = seccomp_;
  }
  ASSIGN_OR_RETURN(sentry::kernel::Task * init, kernel_->CreateInitProcess(pa));
  start_hooks_ = spec.hooks.start_container;
  hook_base_ = pa;
  hook_base_.seccomp_filter = nullptr;  // hooks are the runtime's, not the container's
  if (spec.process.no_new_privileges) init->thread_group().no_new_privs.store(true);
  SK_DLOG << "sandbox set-up: kernel " << absl::FormatDuration(t1 - t0) << ", file systems "
          << absl::FormatDuration(t2 - t1) << ", first process "
          << absl::FormatDuration(absl::Now() - t2);
  return absl::OkStatus();
}

absl::Status Sandbox::Listen() {
  listener_ = util::UniqueFd(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!listener_.valid()) return util::LastErrnoStatus("socket");
  std::string dir = ContainerDir(root_, id_);
  util::UniqueFd dirfd(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dirfd.valid()) return util::LastErrnoStatus("open " + dir);
  std::string path = "/proc/self/fd/" + std::to_string(dirfd.get()) + "/control.sock";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  unlink(path.c_str());
  if (bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return util::LastErrnoStatus("bind " + ControlSocketPath(root_, id_));
  }
  chmod(path.c_str(), 0600);
  if (listen(listener_.get(), 64) != 0) return util::LastErrnoStatus("listen");
  std::thread([this] { AcceptLoop(); }).detach();
  return absl::OkStatus();
}

void Sandbox::AcceptLoop() {
  while (true) {
    int c = accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    std::thread([this, c] { Handle(util::UniqueFd(c)); }).detach();
  }
}

std::string Sandbox::Status() {
  absl::MutexLock l(&mu_);
  switch (phase_) {
    case Phase::kCreated: return "created";
    case Phase::kRunning: return kernel_->paused() ? "paused" : "running";
    case Phase::kStopped: return "stopped";
  }
  return "stopped";
}

void Sandbox::Handle(util::UniqueFd conn) {
  std::vector<util::UniqueFd> fds;
  auto req = RecvMessage(conn.get(), &fds);
  if (!req.ok()) return;
  auto shared = std::make_shared<util::UniqueFd>(std::move(conn));
  std::string cmd = req->value("cmd", "");
  std::string cid = req->value("container", "");
  if (cmd == "create-container") {
    (void)SendMessage(shared->get(), CreateContainer(*req, fds));
    return;
  }
  if (cmd == "start") {
    bool failed = false;
    json reply = !cid.empty() && cid != id_ ? StartContainer(cid, *req) : Start(*req, &failed);
    (void)SendMessage(shared->get(), reply);
    if (failed) {
      absl::MutexLock l(&mu_);
      start_failed_ = true;
    }
    return;
  }
  if (!cid.empty() && cid != id_ && cmd != "exec") {
    json reply = ContainerCommand(cid, cmd, *req, shared);
    if (!reply.is_null()) (void)SendMessage(shared->get(), reply);
    return;
  }
  if (cmd == "exec") {
    json reply = Exec(shared, *req, fds);
    (void)SendMessage(shared->get(), reply);
    return;
  }
  bool keep = false;
  json reply = Dispatch(shared->get(), *req, fds, &keep);
  (void)SendMessage(shared->get(), reply);
}

json Sandbox::Dispatch(int conn, const json& req, std::vector<util::UniqueFd>& fds, bool* keep) {
  (void)fds;
  (void)keep;
  std::string cmd = req.value("cmd", "");
  if (cmd == "status") return {{"status", Status()}};
  if (cmd == "kill") {
    int sig = req.value("signal", SIGTERM);
    bool all = req.value("all", false);
    {
      absl::MutexLock l(&mu_);
      if (phase_ == Phase::kStopped || start_failed_) return {{"error", "container not running"}};
      if (phase_ == Phase::kCreated && !start_requested_) {
        // Nothing runs yet: the container dies of the signal at once,
        // unless the signal is one a process ignores by default.
        if (!DefaultIgnored(sig)) kill_before_start_ = sig;
        return {{"ok", true}};
      }
    }
    // As runc's kill from the host: the container's init only takes the
    // signals it handles, and SIGKILL.
    if (all) {
      for (auto* tg : ProcessesOf("")) {
        abi_linux::Siginfo info{};
        info.si_signo = sig;
        info.si_code = abi_linux::kSI_USER;
        bool init_ignores = tg->pid() == 1 && sig != SIGKILL && sig != SIGSTOP &&
                            tg->sigaction(sig).handler == abi_linux::kSIG_DFL;
        if (!init_ignores) tg->SendSignal(info);
      }
    } else {
      kernel_->SignalInit(sig, /*from_parent_namespace=*/true);
    }
    return {{"ok", true}};
  }
  if (cmd == "host-pid") {
    absl::MutexLock l(&mu_);
    int pid = req.value("pid", 0);
    if (kernel_->ThreadGroupByPid(pid) == nullptr) return {{"error", "no such process"}};
    host_pids_[pid] = req.value("host_pid", 0);
    return {{"ok", true}};
  }
  if (cmd == "ps") {
    std::map<int, int> host_pids;
    {
      absl::MutexLock l(&mu_);
      host_pids = host_pids_;
    }
    // The sandbox stands for the first process; its host pid is the
    // caller's to give (in its own pid namespace it is 1).
    host_pids[1] = req.value("init_host_pid", getpid());
    json procs = json::array();
    for (auto* tg : kernel_->ThreadGroups()) {
      if (kernel_->IsZombie(*tg) || !tg->container_id.empty()) continue;
      std::string comm;
      if (!tg->tasks().empty()) comm = tg->tasks().front()->comm();
      procs.push_back({{"pid", tg->pid()},
                       {"ppid", tg->parent() ? tg->parent()->pid() : 0},
                       {"uid", tg->creds().ruid},
                       {"comm", comm}});
      if (auto it = host_pids.find(tg->pid()); it != host_pids.end()) {
        procs.back()["host_pid"] = it->second;
      }
    }
    return {{"processes", procs}};
  }
  if (cmd == "pause" || cmd == "resume") {
    absl::MutexLock l(&mu_);
    if (phase_ != Phase::kRunning) return {{"error", "container \"" + id_ + "\" is not running"}};
    if (cmd == "pause") {
      if (kernel_->paused()) return {{"error", "container \"" + id_ + "\" is already paused"}};
      kernel_->Pause();
    } else {
      if (!kernel_->paused()) return {{"error", "container \"" + id_ + "\" is not paused"}};
      kernel_->Resume();
    }
    return {{"ok", true}};
  }
  if (cmd == "wait") {
    absl::MutexLock l(&mu_);
    mu_.Await(absl::Condition(
        +[](Phase* p) { return *p == Phase::kStopped; }, &phase_));
    (void)conn;
    return {{"exit_status", exit_status_}};
  }
  return {{"error", "unknown control command \"" + cmd + "\""}};
}

json Sandbox::Start(const json& req, bool* failed) {
  {
    absl::MutexLock l(&mu_);
    if (phase_ != Phase::kCreated || start_requested_ || starting_ || start_failed_ ||
        kill_before_start_ != 0) {
      return {{"error", "container \"" + id_ + "\" is not in created state"}};
    }
    starting_ = true;
  }
  // The hooks run before the first process (created, not yet running): in
  // the container's root, as its processes, with pids after its first.
  absl::Status s = RunGuestHooks(*kernel_, start_hooks_, req.value("state", json::object()).dump(),
                                 "startContainer", hook_base_);
  absl::MutexLock l(&mu_);
  starting_ = false;
  if (!s.ok()) {
    // As runc's init does when a startContainer hook fails: the container
    // stops without its process having run.
    *failed = true;
    return {{"error", std::string(s.message())}};
  }
  if (kill_before_start_ != 0) {
    return {{"error", "container \"" + id_ + "\" was killed while starting"}};
  }
  start_requested_ = true;
  return {{"ok", true}};
}

json Sandbox::Exec(std::shared_ptr<util::UniqueFd> conn, const json& req,
                   std::vector<util::UniqueFd>& fds) {
  {
    absl::MutexLock l(&mu_);
    if (phase_ != Phase::kRunning) {
      return {{"error", "cannot exec in container \"" + id_ + "\": it is not running"}};
    }
  }
  // As runc: a paused container takes no exec unless asked (the process
  // then starts frozen with it).
  constexpr const char* kExecPaused =
      "cannot exec in a paused container (use --ignore-paused to override)";
  bool ignore_paused = req.value("ignore_paused", false);
  auto p = ParseProcess(req.value("process", json::object()).dump());
  if (!p.ok()) return {{"error", std::string(p.status().message())}};
  sentry::kernel::ProcessArgs pa = ProcessArgsFor(*p);
  // As runc does: an exec'd process runs under its container's profile.
  pa.seccomp_filter = seccomp_;
  if (std::string cid = req.value("container", ""); !cid.empty() && cid != id_) {
    absl::MutexLock l(&mu_);
    auto it = subs_.find(cid);
    if (it == subs_.end() || it->second->phase != Phase::kRunning) {
      return {{"error", "cannot exec in container \"" + cid + "\": it is not running"}};
    }
    if (!ignore_paused && (kernel_->paused() || kernel_->ContainerFrozen(cid))) {
      return {{"error", kExecPaused}};
    }
    pa.root = it->second->fs->root;
    pa.container_id = cid;
    pa.seccomp_filter = it->second->seccomp;
  } else if (!ignore_paused && kernel_->paused()) {
    return {{"error", kExecPaused}};
  }
  for (int i = 0; i < 3; ++i) pa.stdio[i] = i < static_cast<int>(fds.size()) ? fds[i].get() : -1;
  if (pa.console_host_fd >= 0) pa.console_host_fd = pa.stdio[0];  // the exec's own host pty
  auto guest_pid = std::make_shared<std::atomic<int>>(0);
  auto task = kernel_->CreateProcess(pa, [this, conn, guest_pid](int wait_status) {
    {
      absl::MutexLock l(&mu_);
      host_pids_.erase(guest_pid->load());
    }
    (void)SendMessage(conn->get(), {{"exit_status", wait_status}});
  });
  if (!task.ok()) return {{"error", std::string(task.status().message())}};
  guest_pid->store((*task)->tid());
  if (int host = req.value("host_pid", 0); host > 0) {
    absl::MutexLock l(&mu_);
    host_pids_[(*task)->tid()] = host;
  }
  if (p->no_new_privileges) (*task)->thread_group().no_new_privs.store(true);
  return {{"pid", (*task)->tid()}};
}

void Sandbox::RunOnLauncher(std::function<void()> fn) {
  absl::Mutex done_mu;
  bool done = false;
  {
    absl::MutexLock l(&launch_mu_);
    launch_queue_.push_back([&] {
      fn();
      absl::MutexLock d(&done_mu);
      done = true;
    });
    if (!launcher_started_) {
      launcher_started_ = true;
      std::thread([this] {
        while (true) {
          std::vector<std::function<void()>> work;
          {
            absl::MutexLock l(&launch_mu_);
            launch_mu_.Await(absl::Condition(
                +[](std::vector<std::function<void()>>* q) { return !q->empty(); },
                &launch_queue_));
            work.swap(launch_queue_);
          }
          for (auto& w : work) w();
        }
      }).detach();
    }
  }
  absl::MutexLock d(&done_mu);
  done_mu.Await(absl::Condition(&done));
}

std::vector<sentry::kernel::ThreadGroup*> Sandbox::ProcessesOf(const std::string& cid) {
  std::vector<sentry::kernel::ThreadGroup*> out;
  for (auto* tg : kernel_->LiveProcesses()) {
    if (tg->container_id == cid) out.push_back(tg);
  }
  return out;
}

json Sandbox::CreateContainer(const json& req, std::vector<util::UniqueFd>& fds) {
  std::string cid = req.value("container", "");
  {
    absl::MutexLock l(&mu_);
    if (phase_ != Phase::kRunning) {
      return {{"error", "the pod's sandbox \"" + id_ + "\" is not running"}};
    }
    if (cid.empty() || cid == id_ || subs_.count(cid)) {
      return {{"error", "container \"" + cid + "\" already exists"}};
    }
  }
  // runsc create read the bundle and worked out its mounts on the host:
  // the sandbox opens no host path.
  if (!req.contains("config") || !req["config"].is_string() || !req.contains("mounts")) {
    return {{"error", "create-container: no config or mounts in the request"}};
  }
  auto bundle = BundleFromConfig(req.value("bundle", ""), req.value("rootfs", ""),
                                 req["config"].get<std::string>());
  if (!bundle.ok()) return {{"error", std::string(bundle.status().message())}};
  auto rootfs = RootfsOptionsFromJson(req["mounts"], bundle->spec);
  if (!rootfs.ok()) return {{"error", std::string(rootfs.status().message())}};
  // Its profile, compiled by runsc create on the host (this sandbox can no
  // longer run libseccomp).
  std::shared_ptr<const sentry::kernel::seccomp::Filter> seccomp;
  if (bundle->spec.seccomp) {
    if (!req.contains("seccomp_bpf") || !req["seccomp_bpf"].is_string()) {
      return {{"error", "create-container: linux.seccomp without a compiled program"}};
    }
    auto bpf = DecodeBpf(req["seccomp_bpf"].get<std::string>());
    if (!bpf.ok()) return {{"error", std::string(bpf.status().message())}};
    auto filter = GuestSeccompFilter(*bpf, *bundle->spec.seccomp);
    if (!filter.ok()) return {{"error", std::string(filter.status().message())}};
    seccomp = *std::move(filter);
  }
  rootfs->detached = true;
  rootfs->container_id = cid;
  // Its gofers were started by runsc create, in the host's mount namespace
  // (where the container's root was mounted after this sandbox began):
  // their sockets follow the three stdio fds.
  for (size_t i = 3; i < fds.size(); ++i) rootfs->gofer_ends.push_back(std::move(fds[i]));
  fds.resize(std::min<size_t>(fds.size(), 3));
  absl::StatusOr<SandboxFs> fs = absl::UnknownError("not started");
  RunOnLauncher([&] { fs = MountSandboxFilesystems(*kernel_, *std::move(rootfs)); });
  if (!fs.ok()) return {{"error", std::string(fs.status().message())}};
  auto sub = std::make_unique<SubContainer>();
  SubContainer* c = sub.get();
  sentry::kernel::ProcessArgs pa = ProcessArgsFor(bundle->spec.process);
  c->start_hooks = bundle->spec.hooks.start_container;
  c->hook_base = pa;
  c->hook_base.container_id = cid;
  for (int i = 0; i < 3; ++i) pa.stdio[i] = i < static_cast<int>(fds.size()) ? fds[i].get() : -1;
  if (pa.console_host_fd >= 0) pa.console_host_fd = pa.stdio[0];  // the container's own host pty
  pa.root = fs->root;
  pa.container_id = cid;
  pa.start_later = true;
  pa.seccomp_filter = seccomp;
  c->seccomp = seccomp;
  {
    absl::MutexLock l(&mu_);
    subs_[cid] = std::move(sub);
  }
  auto task = kernel_->CreateProcess(pa, [this, cid](int wait_status) {
    std::shared_ptr<util::UniqueFd> waiter;
    {
      absl::MutexLock l(&mu_);
      auto it = subs_.find(cid);
      if (it == subs_.end()) return;
      it->second->phase = Phase::kStopped;
      it->second->exit_status = wait_status;
      it->second->init = nullptr;
      waiter = std::move(it->second->waiter);
    }
    if (waiter) (void)SendMessage(waiter->get(), {{"exit_status", wait_status}});
  });
  if (!task.ok()) {
    absl::MutexLock l(&mu_);
    kernel_->vfs().DropDetachedRoot(fs->root);
    subs_.erase(cid);
    return {{"error", std::string(task.status().message())}};
  }
  if (bundle->spec.process.no_new_privileges) (*task)->thread_group().no_new_privs.store(true);
  absl::MutexLock l(&mu_);
  c->fs = *std::move(fs);
  c->init = *task;
  c->init_pid = (*task)->tid();
  return {{"pid", c->init_pid}};
}

json Sandbox::StartContainer(const std::string& cid, const json& req) {
  std::vector<OciHook> hooks;
  sentry::kernel::ProcessArgs base;
  {
    absl::MutexLock l(&mu_);
    auto it = subs_.find(cid);
    if (it == subs_.end()) return {{"error", "container \"" + cid + "\" does not exist"}};
    SubContainer& c = *it->second;
    if (c.phase != Phase::kCreated || c.starting || c.init == nullptr || !c.fs) {
      return {{"error", "container \"" + cid + "\" is not in created state"}};
    }
    c.starting = true;
    hooks = c.start_hooks;
    base = c.hook_base;
    base.root = c.fs->root;
  }
  // In the container's detached root, before its first process runs.
  absl::Status s = RunGuestHooks(*kernel_, hooks, req.value("state", json::object()).dump(),
                                 "startContainer", base);
  absl::MutexLock l(&mu_);
  auto it = subs_.find(cid);
  if (it == subs_.end()) return {{"error", "container \"" + cid + "\" was deleted while starting"}};
  SubContainer& c = *it->second;
  c.starting = false;
  if (c.phase != Phase::kCreated) {
    return {{"error", "container \"" + cid + "\" was killed while starting"}};
  }
  c.phase = Phase::kRunning;
  kernel_->StartProcess(c.init);
  if (!s.ok()) {
    // The container stops: its first process is killed before its first
    // instruction, and its pid-file process ends with that.
    abi_linux::Siginfo info{};
    info.si_signo = SIGKILL;
    info.si_code = abi_linux::kSI_USER;
    c.init->thread_group().SendSignal(info);
    return {{"error", std::string(s.message())}};
  }
  return {{"ok", true}};
}

json Sandbox::ContainerCommand(const std::string& cid, const std::string& cmd, const json& req,
                               std::shared_ptr<util::UniqueFd> conn) {
  absl::MutexLock l(&mu_);
  auto it = subs_.find(cid);
  if (it == subs_.end()) return {{"error", "container \"" + cid + "\" does not exist"}};
  SubContainer& c = *it->second;
  if (cmd == "status") {
    const char* st = c.phase == Phase::kCreated                           ? "created"
                     : c.phase == Phase::kStopped                         ? "stopped"
                     : kernel_->paused() || kernel_->ContainerFrozen(cid) ? "paused"
                                                                          : "running";
    return {{"status", st}};
  }
  if (cmd == "wait-container" || cmd == "wait") {
    if (c.phase == Phase::kStopped) return {{"exit_status", c.exit_status}};
    if (cmd == "wait-container") {
      c.waiter = conn;
      return nullptr;  // answered when the container's first process exits
    }
    mu_.Await(absl::Condition(
        +[](SubContainer* s) { return s->phase == Phase::kStopped; }, &c));
    return {{"exit_status", c.exit_status}};
  }
  if (cmd == "kill") {
    int sig = req.value("signal", SIGTERM);
    if (c.phase == Phase::kStopped) return {{"error", "container not running"}};
    if (c.phase == Phase::kCreated) {
      // Started only to take the signal before its first instruction.
      c.phase = Phase::kRunning;
      kernel_->StartProcess(c.init);
    }
    for (auto* tg : kernel_->LiveProcesses()) {
      if (tg->container_id != cid) continue;
      bool is_init = tg->pid() == c.init_pid;
      if (!is_init && !req.value("all", false)) continue;
      // The container's first process keeps the rule for a namespace's init.
      if (is_init && sig != SIGKILL && sig != SIGSTOP &&
          tg->sigaction(sig).handler == abi_linux::kSIG_DFL) {
        continue;
      }
      abi_linux::Siginfo info{};
      info.si_signo = sig;
      info.si_code = abi_linux::kSI_USER;
      tg->SendSignal(info);
    }
    return {{"ok", true}};
  }
  if (cmd == "ps") {
    json procs = json::array();
    for (auto* tg : kernel_->ThreadGroups()) {
      if (kernel_->IsZombie(*tg) || tg->container_id != cid) continue;
      std::string comm;
      if (!tg->tasks().empty()) comm = tg->tasks().front()->comm();
      procs.push_back({{"pid", tg->pid()},
                       {"ppid", tg->parent() ? tg->parent()->pid() : 0},
                       {"uid", tg->creds().ruid},
                       {"comm", comm}});
      if (auto h = host_pids_.find(tg->pid()); h != host_pids_.end()) {
        procs.back()["host_pid"] = h->second;
      }
    }
    if (int host = req.value("init_host_pid", 0); host > 0) {
      for (auto& p : procs) {
        if (p["pid"] == c.init_pid) p["host_pid"] = host;
      }
    }
    return {{"processes", procs}};
  }
  if (cmd == "delete-container") {
    // Processes its first process left behind go too (a stopped container
    // may leave some, frozen ones if it was paused).
    if (c.phase != Phase::kCreated) {
      for (auto* tg : kernel_->LiveProcesses()) {
        if (tg->container_id != cid) continue;
        abi_linux::Siginfo info{};
        info.si_signo = SIGKILL;
        info.si_code = abi_linux::kSI_USER;
        tg->SendSignal(info);
      }
    }
    if (c.phase == Phase::kRunning) {
      mu_.AwaitWithTimeout(absl::Condition(
          +[](SubContainer* s) { return s->phase == Phase::kStopped; }, &c), absl::Seconds(5));
    }
    // A paused container's id is free for a new one (SIGKILL reaches frozen
    // processes too).
    kernel_->ThawContainer(cid);
    if (c.fs) kernel_->vfs().DropDetachedRoot(c.fs->root);
    std::unique_ptr<SubContainer> gone = std::move(it->second);
    subs_.erase(it);
    mu_.Unlock();
    gone.reset();  // its gofers go
    mu_.Lock();
    return {{"ok", true}};
  }
  if (cmd == "pause" || cmd == "resume") {
    // Only this container's processes are frozen (Kernel::FreezeContainer);
    // the pod's other containers run on.
    if (c.phase != Phase::kRunning) return {{"error", "container \"" + cid + "\" is not running"}};
    bool frozen = kernel_->ContainerFrozen(cid);
    if (cmd == "pause") {
      if (frozen || kernel_->paused()) {
        return {{"error", "container \"" + cid + "\" is already paused"}};
      }
      kernel_->FreezeContainer(cid);
    } else {
      if (!frozen) {
        return {{"error", kernel_->paused()
                              ? "container \"" + cid + "\" is paused with its pod's sandbox \"" +
                                    id_ + "\": resume that"
                              : "container \"" + cid + "\" is not paused"}};
      }
      kernel_->ThawContainer(cid);
    }
    return {{"ok", true}};
  }
  return {{"error", "unknown control command \"" + cmd + "\""}};
}

int Sandbox::Serve() {
  // Signals sent to the sandbox process go to the container's first
  // process (before start, the container dies of them).
  std::thread([this] {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) sigaddset(&set, s);
    while (true) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      absl::MutexLock l(&mu_);
      if (phase_ == Phase::kCreated && !start_requested_) {
        if (!DefaultIgnored(sig)) kill_before_start_ = sig;
      } else {
        kernel_->SignalInit(sig, /*from_parent_namespace=*/true);
      }
    }
  }).detach();
  int kill_sig = 0;
  bool hooks_running = false;
  {
    absl::MutexLock l(&mu_);
    mu_.Await(absl::Condition(
        +[](Sandbox* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) {
          return s->start_requested_ || s->start_failed_ || s->kill_before_start_ != 0;
        },
        this));
    kill_sig = kill_before_start_;
    // A failed startContainer hook: the container's process is killed.
    if (kill_sig == 0 && start_failed_) kill_sig = SIGKILL;
    if (kill_sig == 0) phase_ = Phase::kRunning;
    hooks_running = starting_;
  }
  if (kill_sig != 0) {
    // startContainer hooks still running use the kernel: it goes with the
    // process then.
    if (!hooks_running) Shutdown();
    DieOfSignal(kill_sig);
  }
  int status = kernel_->Run();
  {
    absl::MutexLock l(&mu_);
    phase_ = Phase::kStopped;
    exit_status_ = status;
  }
  // Waiters are answered before the process goes. (The control socket
  // stays: once the process has gone, connecting to it is refused, which
  // clients take as a stopped container; removing it is delete's job, as
  // the unprivileged sandbox may not.)
  usleep(1000);
  return status;
}

}  // namespace

int CmdBoot(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto parsed = ParseFlags(args, {{"bundle", true}, {"sync-fd", true}, {"preserve-fds", true}});
  if (!parsed.ok() || parsed->positional.size() != 1) {
    std::fprintf(stderr, "runsc boot: usage: runsc boot --bundle DIR --sync-fd N ID\n");
    return 2;
  }
  std::string id = parsed->positional[0];
  int sync_fd = std::atoi(parsed->Get("sync-fd").value_or("-1").c_str());
  int preserve = std::atoi(parsed->Get("preserve-fds").value_or("0").c_str());
  // Runtime logs never go to the container's stdio.
  if (!g.debug_log.empty()) {
    util::SetLogFile(g.debug_log);
  } else if (!g.log.empty()) {
    util::SetLogFile(g.log);
    util::SetLogJson(g.log_format == "json");
  } else {
    util::SetLogFile("/dev/null");
  }
  util::SetDebugLogging(g.debug);
  auto report = [&](const absl::Status& s) {
    std::string msg = s.ok() ? "ok" : std::string(s.message());
    if (sync_fd >= 0) {
      (void)!write(sync_fd, msg.data(), msg.size());
      close(sync_fd);
      sync_fd = -1;
    }
  };
  prctl(PR_SET_NAME, "runsc-sandbox");
  // In a pid and mount namespace of its own (runsc create), /proc is
  // mounted anew for it: the host's processes are not the sandbox's to see.
  // Host mounts made later still reach it where the host shares them.
  if (getpid() == 1) {
    (void)mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr);
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
      SK_LOG(WARNING) << "cannot mount the sandbox's own /proc: " << strerror(errno);
    }
  }
  // Out of the caller's session: signals for its terminal or process group
  // are not the sandbox's.
  setsid();
  // The kernel's host threads must not take the signals forwarded below.
  // A handler of sorts is installed too: a pid namespace's init (as the
  // sandbox usually is) never receives signals it leaves at their default.
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) {
    sigaddset(&forwarded, s);
    signal(s, IgnoreSignal);
  }
  pthread_sigmask(SIG_BLOCK, &forwarded, nullptr);

  auto bundle = LoadBundle(parsed->Get("bundle").value_or("."));
  if (!bundle.ok()) {
    report(bundle.status());
    return 1;
  }
  Sandbox sandbox(g.root, id);
  absl::Status s = sandbox.Setup(g, *bundle, preserve);
  if (s.ok()) s = sandbox.Listen();
  for (int i = 0; i < preserve; ++i) close(3 + i);
  // Everything the sandbox needs from the host is open now: from here on
  // it runs unprivileged, under the sentry's seccomp allowlist.
  if (s.ok()) s = HardenSentry();
  report(s);
  if (!s.ok()) return 1;
  int status = sandbox.Serve();
  sandbox.Shutdown();
  if (WIFSIGNALED(status)) DieOfSignal(WTERMSIG(status));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace runsc
