// The runc-compatible OCI lifecycle: create, start, state, kill, delete,
// run, list, ps, exec, pause, resume, update, wait, events, spec, features.
// Each container is a record under --root and a sandbox process (runsc
// boot) reached over its control socket; see container.h and cmd_boot.cc.
#include <fcntl.h>
#include <sched.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runsc/cgroup.h"
#include "runsc/cli.h"
#include "runsc/container.h"
#include "runsc/gofer_process.h"
#include "runsc/hooks.h"
#include "runsc/oci_seccomp.h"
#include "runsc/oci_spec.h"
#include "runsc/sandbox_fs.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace runsc {

namespace {

using json = nlohmann::json;

constexpr char kOciVersion[] = "1.0.2";

// An error for the user: on stderr, and as a JSON line ("level":"error")
// in --log, where containerd's shim looks for it.
int Fail(const GlobalFlags& g, const std::string& msg) {
  std::fprintf(stderr, "runsc: %s\n", msg.c_str());
  if (!g.log.empty()) {
    std::string line = g.log_format == "json"
                           ? util::JsonLogLine("error", msg)
                           : absl::StrCat("level=error msg=\"", msg, "\"\n");
    int fd = open(g.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      (void)!write(fd, line.data(), line.size());
      close(fd);
    }
  }
  return 1;
}

int Fail(const GlobalFlags& g, const absl::Status& s) { return Fail(g, std::string(s.message())); }

std::string Rfc3339Now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[16];
  snprintf(frac, sizeof(frac), ".%09ldZ", ts.tv_nsec);
  return std::string(buf) + frac;
}

absl::Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".runsc-tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << data;
    out.flush();
    if (!out) return absl::InternalError("cannot write " + path);
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    return util::LastErrnoStatus("write " + path);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadAll(const std::string& path) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json StateJson(const ContainerState& st, const std::string& status) {
  json j = {{"ociVersion", kOciVersion},
            {"id", st.id},
            {"pid", status == "stopped" ? 0 : st.pid},
            {"status", status},
            {"bundle", st.bundle},
            {"rootfs", st.rootfs},
            {"created", st.created},
            {"owner", st.owner}};
  if (!st.annotations.empty()) j["annotations"] = st.annotations;
  return j;
}

// runc's console-socket protocol: the pty master goes to the caller over
// the unix socket at `path`, with SCM_RIGHTS.
absl::Status SendConsole(const std::string& path, int master) {
  util::UniqueFd s(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.valid()) return util::LastErrnoStatus("socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError("console socket path too long: " + path);
  }
  strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return util::LastErrnoStatus("connect to console socket " + path);
  }
  std::string name = "/dev/ptmx";
  iovec iov{name.data(), name.size()};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  mh.msg_control = control;
  mh.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&mh);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof(int));
  if (sendmsg(s.get(), &mh, MSG_NOSIGNAL) < 0) return util::LastErrnoStatus("send console");
  return absl::OkStatus();
}

// A host pty whose master goes to the console socket; answers the replica,
// which becomes the container's stdio (the sentry's tty ioctls reach it).
absl::StatusOr<util::UniqueFd> OpenConsole(const std::string& console_socket) {
  util::UniqueFd master(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master.valid()) return util::LastErrnoStatus("posix_openpt");
  if (grantpt(master.get()) != 0 || unlockpt(master.get()) != 0) {
    return util::LastErrnoStatus("unlockpt");
  }
  char name[128];
  if (ptsname_r(master.get(), name, sizeof(name)) != 0) return util::LastErrnoStatus("ptsname");
  util::UniqueFd replica(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!replica.valid()) return util::LastErrnoStatus(std::string("open ") + name);
  RETURN_IF_ERROR(SendConsole(console_socket, master.get()));
  return replica;
}

bool WaitGone(const ContainerState& st, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 5) {
    if (!SandboxAlive(st)) return true;
    usleep(5000);
  }
  return !SandboxAlive(st);
}

std::vector<std::string> CgroupLeaves(const ContainerState& st) {
  std::vector<std::string> leaves;
  for (const std::string& d : st.cgroup_dirs) {
    if (d.size() >= st.cgroups_path.size() &&
        d.compare(d.size() - st.cgroups_path.size(), std::string::npos, st.cgroups_path) == 0) {
      leaves.push_back(d);
    }
  }
  return leaves;
}

// The hooks create runs, in order: prestart and createRuntime in the
// runtime's namespaces, createContainer in those of `sandbox_pid` and the
// container's host cgroups. The first failure stops them.
absl::Status RunCreateHooks(const OciHooks& hooks, const json& state, pid_t sandbox_pid,
                            const ContainerState& st) {
  RETURN_IF_ERROR(RunHostHooks(hooks.prestart, state, "prestart"));
  RETURN_IF_ERROR(RunHostHooks(hooks.create_runtime, state, "createRuntime"));
  return RunHostHooks(hooks.create_container, state, "createContainer",
                      {.namespaces_of = sandbox_pid, .cgroup_dirs = CgroupLeaves(st)});
}

struct CreateOptions {
  std::string bundle = ".";
  std::string pid_file;
  std::string console_socket;
  int preserve_fds = 0;
  bool use_own_tty = false;  // runsc run in the foreground with terminal: our stdio
};

// Exit status conventions: a foreground runsc exits 128+N for a process
// killed by N; a process a shim reaps (detached exec) dies of N itself.
int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

[[noreturn]] void ExitLike(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    kill(getpid(), sig);
  }
  _exit(ExitCodeOf(wait_status));
}

constexpr unsigned long kSandboxNamespaces =
    CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS;

constexpr char kContainerTypeAnnotation[] = "io.kubernetes.cri.container-type";
constexpr char kSandboxIdAnnotation[] = "io.kubernetes.cri.sandbox-id";

absl::Status MakeStateDir(const GlobalFlags& g, const std::string& id) {
  // --root and its parents, as runc makes them.
  for (size_t slash = 1; slash != std::string::npos;) {
    slash = g.root.find('/', slash + 1);
    std::string part = g.root.substr(0, slash);
    if (mkdir(part.c_str(), 0711) != 0 && errno != EEXIST) {
      return util::LastErrnoStatus("make state directory " + part);
    }
  }
  std::string dir = ContainerDir(g.root, id);
  if (mkdir(dir.c_str(), 0711) != 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError("container \"" + id + "\" already exists");
    return util::LastErrnoStatus("make " + dir);
  }
  return absl::OkStatus();
}

void RemoveStateDir(const GlobalFlags& g, const std::string& id) {
  std::string dir = ContainerDir(g.root, id);
  unlink((dir + "/control.sock").c_str());
  unlink((dir + "/state.json").c_str());
  rmdir(dir.c_str());
}

// A container of a Kubernetes pod: it runs in the sandbox of the pod's
// sandbox container, with its own root file systems. Its pid-file process
// is a runsc process that waits for its first process and ends with its
// status.
absl::StatusOr<pid_t> CreateInPod(const GlobalFlags& g, const std::string& id,
                                  const CreateOptions& o, const Bundle& bundle,
                                  const std::string& sandbox_id) {
  auto pod = LoadState(g.root, sandbox_id);
  if (!pod.ok() || !SandboxAlive(*pod) || !pod->sandbox_id.empty()) {
    return absl::FailedPreconditionError("the pod's sandbox \"" + sandbox_id +
                                         "\" is not running");
  }
  util::UniqueFd replica;
  if (bundle.spec.process.terminal) {
    if (o.console_socket.empty()) {
      return absl::InvalidArgumentError(
          "process.terminal is set: --console-socket is needed to hand over the terminal");
    }
    ASSIGN_OR_RETURN(replica, OpenConsole(o.console_socket));
  }
  // The container's gofers start here, in the host's mount namespace: the
  // shim mounted its root after the pod's sandbox (in a mount namespace of
  // its own) began. Their sockets go to the sandbox after the stdio fds.
  // The pod's sandbox is hardened and cannot run libseccomp: the
  // container's profile is compiled here.
  std::vector<abi_linux::SockFilter> seccomp_bpf;
  if (bundle.spec.seccomp) {
    ASSIGN_OR_RETURN(seccomp_bpf, CompileSeccomp(*bundle.spec.seccomp));
  }
  ASSIGN_OR_RETURN(RootfsOptions rootfs, RootfsForBundle(bundle));
  std::vector<util::UniqueFd> gofers;
  {
    const bool root_ro = !rootfs.root_writable;
    ASSIGN_OR_RETURN(util::UniqueFd root_gofer, StartDetachedGofer(rootfs.root, root_ro));
    gofers.push_back(std::move(root_gofer));
    for (const BindMount& b : rootfs.binds) {
      ASSIGN_OR_RETURN(util::UniqueFd bind_gofer, StartDetachedGofer(b.source, b.read_only));
      gofers.push_back(std::move(bind_gofer));
    }
    for (const BindMount& b : rootfs.file_binds) {
      std::string dir = b.source.substr(0, b.source.rfind('/'));
      ASSIGN_OR_RETURN(util::UniqueFd file_gofer,
                       StartDetachedGofer(dir.empty() ? "/" : dir, b.read_only));
      gofers.push_back(std::move(file_gofer));
    }
  }
  RETURN_IF_ERROR(MakeStateDir(g, id));
  std::vector<int> fds = {0, 1, 2};
  if (replica.valid()) fds = {replica.get(), replica.get(), replica.get()};
  for (const auto& gf : gofers) fds.push_back(gf.get());
  json create_req = {{"cmd", "create-container"},
                     {"container", id},
                     {"bundle", bundle.dir},
                     {"rootfs", bundle.rootfs},
                     {"config", bundle.config},
                     {"mounts", RootfsOptionsToJson(rootfs)}};
  if (bundle.spec.seccomp) create_req["seccomp_bpf"] = EncodeBpf(seccomp_bpf);
  auto created = ControlCall(g.root, sandbox_id, create_req, fds);
  // The sandbox holds its own copies now: once it hangs up, the gofers end.
  gofers.clear();
  replica = util::UniqueFd();
  if (!created.ok()) {
    RemoveStateDir(g, id);
    return created.status();
  }
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) return util::LastErrnoStatus("pipe");
  pid_t waiter = fork();
  if (waiter < 0) return util::LastErrnoStatus("fork");
  if (waiter == 0) {
    close(ready[0]);
    setsid();
    prctl(PR_SET_NAME, "runsc-wait");
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int null = open("/dev/null", O_RDWR);
    for (int i = 0; i < 3; ++i) dup2(null, i);
    auto conn = ConnectControl(g.root, sandbox_id);
    if (!conn.ok() ||
        !SendMessage(conn->get(), {{"cmd", "wait-container"}, {"container", id}}).ok()) {
      _exit(137);
    }
    (void)!write(ready[1], "r", 1);
    close(ready[1]);
    auto done = RecvMessage(conn->get());
    // The pod's sandbox went away: the container was killed with it.
    if (!done.ok() || !done->contains("exit_status")) ExitLike(SIGKILL);
    ExitLike((*done)["exit_status"].get<int>());
  }
  close(ready[1]);
  char c;
  while (read(ready[0], &c, 1) < 0 && errno == EINTR) {
  }
  close(ready[0]);
  ContainerState st;
  st.id = id;
  st.bundle = bundle.dir;
  st.rootfs = bundle.rootfs;
  st.pid = waiter;
  st.pid_start = ProcessStartTime(waiter);
  st.created = Rfc3339Now();
  struct passwd* pw = getpwuid(getuid());
  st.owner = pw ? pw->pw_name : std::to_string(getuid());
  st.annotations = bundle.spec.annotations;
  st.sandbox_id = sandbox_id;
  st.cgroups_path = CgroupPathFor(bundle.spec.cgroups_path, id, g.systemd_cgroup);
  auto fail = [&](const absl::Status& s) {
    (void)ControlCall(g.root, sandbox_id, {{"cmd", "delete-container"}, {"container", id}});
    kill(waiter, SIGKILL);
    waitpid(waiter, nullptr, 0);
    RemoveCgroup(st.cgroup_dirs);
    RemoveStateDir(g, id);
    return s;
  };
  // The container's host cgroup holds its pid-file process; what it runs
  // is in the sandbox, under the pod's cgroup, which bounds them all.
  auto dirs = JoinCgroup(st.cgroups_path, waiter, bundle.spec.resources);
  if (!dirs.ok()) return fail(dirs.status());
  st.cgroup_dirs = *dirs;
  if (absl::Status s = SaveState(g.root, st); !s.ok()) return fail(s);
  json state = StateJson(st, "created");
  // createContainer: in the namespaces of the pod's sandbox, where the
  // container's processes run.
  if (absl::Status s = RunCreateHooks(bundle.spec.hooks, state, pod->pid, st); !s.ok()) {
    return fail(s);
  }
  if (!o.pid_file.empty()) {
    if (absl::Status s = WriteFileAtomic(o.pid_file, std::to_string(waiter)); !s.ok()) {
      return fail(s);
    }
  }
  return waiter;
}

// Creates the container: the sandbox process is started and waits for
// `start`. Answers its pid (a child of the caller).
absl::StatusOr<pid_t> Create(const GlobalFlags& g, const std::string& id,
                             const CreateOptions& o) {
  RETURN_IF_ERROR(ValidateId(id));
  ASSIGN_OR_RETURN(Bundle bundle, LoadBundle(o.bundle));
  for (const std::string& u : bundle.spec.unsupported) {
    SK_LOG(WARNING) << "container " << id << ": " << u << " is not applied by the sandbox";
  }
  if (auto type = bundle.spec.annotations.find(kContainerTypeAnnotation);
      type != bundle.spec.annotations.end() && type->second == "container") {
    auto sandbox = bundle.spec.annotations.find(kSandboxIdAnnotation);
    if (sandbox != bundle.spec.annotations.end() && !sandbox->second.empty() &&
        sandbox->second != id) {
      return CreateInPod(g, id, o, bundle, sandbox->second);
    }
  }
  util::UniqueFd replica;
  if (bundle.spec.process.terminal && !o.use_own_tty) {
    if (o.console_socket.empty()) {
      return absl::InvalidArgumentError(
          "process.terminal is set: --console-socket is needed to hand over the terminal");
    }
    ASSIGN_OR_RETURN(replica, OpenConsole(o.console_socket));
  }
  RETURN_IF_ERROR(MakeStateDir(g, id));
  auto cleanup_dir = [&] { RemoveStateDir(g, id); };

  int sync[2], go[2];
  if (pipe2(sync, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0) {
    cleanup_dir();
    return util::LastErrnoStatus("pipe");
  }
  const int sync_fd = 3 + o.preserve_fds;
  std::vector<std::string> args = {"/proc/self/exe", "--root", g.root, "--platform", g.platform};
  if (!g.log.empty()) args.insert(args.end(), {"--log", g.log, "--log-format", g.log_format});
  if (!g.debug_log.empty()) args.insert(args.end(), {"--debug-log", g.debug_log});
  if (g.debug) args.push_back("--debug");
  if (g.strace) args.push_back("--strace");
  args.insert(args.end(), {"boot", "--bundle", bundle.dir, "--sync-fd", std::to_string(sync_fd),
                           "--preserve-fds", std::to_string(o.preserve_fds), id});
  // The sandbox gets namespaces of its own (defense in depth: it sees no
  // host process, network, SysV IPC or host name, and its /proc is its
  // own pid namespace's), and is the init of its pid namespace: clients
  // that look at the pid file's namespace (podman top) see the sandbox,
  // never the host. Without the privilege for them, a plain child.
  pid_t pid = static_cast<pid_t>(syscall(SYS_clone, kSandboxNamespaces | SIGCHLD, nullptr,
                                         nullptr, nullptr, 0));
  if (pid < 0 && (errno == EPERM || errno == EINVAL)) pid = fork();
  if (pid < 0) {
    cleanup_dir();
    return util::LastErrnoStatus("fork");
  }
  if (pid == 0) {
    // The sandbox waits until it is in its cgroup, so that everything it
    // starts is too.
    close(go[1]);
    close(sync[0]);
    // The sandbox starts with no signal blocked, whatever the caller blocks.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    char c;
    while (read(go[0], &c, 1) < 0 && errno == EINTR) {
    }
    if (replica.valid()) {
      for (int i = 0; i < 3; ++i) dup2(replica.get(), i);
    }
    // fds 3.. the preserved ones, then the sync pipe; nothing else.
    int s = fcntl(sync[1], F_DUPFD_CLOEXEC, sync_fd + 1);
    dup2(s, sync_fd);
    for (int i = 3; i < sync_fd; ++i) fcntl(i, F_SETFD, 0);
    close_range(static_cast<unsigned>(sync_fd + 1), ~0U, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    _exit(127);
  }
  close(sync[1]);
  close(go[0]);
  replica = util::UniqueFd();

  ContainerState st;
  st.id = id;
  st.bundle = bundle.dir;
  st.rootfs = bundle.rootfs;
  st.pid = pid;
  st.created = Rfc3339Now();
  struct passwd* pw = getpwuid(getuid());
  st.owner = pw ? pw->pw_name : std::to_string(getuid());
  st.annotations = bundle.spec.annotations;
  st.cgroups_path = CgroupPathFor(bundle.spec.cgroups_path, id, g.systemd_cgroup);
  auto fail = [&](const absl::Status& s) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    close(sync[0]);
    close(go[1]);
    RemoveCgroup(st.cgroup_dirs);
    cleanup_dir();
    return s;
  };
  auto dirs = JoinCgroup(st.cgroups_path, pid, bundle.spec.resources);
  if (!dirs.ok()) return fail(dirs.status());
  st.cgroup_dirs = *dirs;
  (void)!write(go[1], "g", 1);
  close(go[1]);
  std::string msg;
  char buf[4096];
  ssize_t n;
  while ((n = read(sync[0], buf, sizeof(buf))) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    msg.append(buf, static_cast<size_t>(n));
  }
  close(sync[0]);
  if (msg != "ok") {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    RemoveCgroup(st.cgroup_dirs);
    cleanup_dir();
    return absl::FailedPreconditionError(msg.empty() ? "the sandbox failed to start" : msg);
  }
  st.pid_start = ProcessStartTime(pid);
  if (absl::Status s = SaveState(g.root, st); !s.ok()) return fail(s);
  json state = StateJson(st, "created");
  // createContainer: in the sandbox process's namespaces (the container's,
  // as far as the host goes: see docs/architecture.md).
  if (absl::Status s = RunCreateHooks(bundle.spec.hooks, state, pid, st); !s.ok()) return fail(s);
  if (!o.pid_file.empty()) {
    if (absl::Status s = WriteFileAtomic(o.pid_file, std::to_string(pid)); !s.ok()) return fail(s);
  }
  return pid;
}

absl::Status Start(const GlobalFlags& g, const std::string& id) {
  ASSIGN_OR_RETURN(ContainerState st, LoadState(g.root, id));
  std::string status = ContainerStatus(g.root, st);
  if (status != "created") {
    return absl::FailedPreconditionError("cannot start container \"" + id + "\": it is " + status +
                                         ", not created");
  }
  ASSIGN_OR_RETURN(Bundle bundle, LoadBundle(st.bundle));
  // The sandbox runs the startContainer hooks (the ones create saw) in the
  // container before its first process: a failing one fails the start and
  // stops the container.
  RETURN_IF_ERROR(
      ContainerCall(g.root, st, {{"cmd", "start"}, {"state", StateJson(st, "created")}}).status());
  // poststart failures are reported, not fatal (the spec's rule).
  if (absl::Status s =
          RunHostHooks(bundle.spec.hooks.poststart, StateJson(st, "running"), "poststart");
      !s.ok()) {
    SK_LOG(WARNING) << s.message();
  }
  return absl::OkStatus();
}

absl::Status Delete(const GlobalFlags& g, const std::string& id, bool force) {
  auto loaded = LoadState(g.root, id);
  if (!loaded.ok()) {
    if (force && absl::IsNotFound(loaded.status())) return absl::OkStatus();
    return loaded.status();
  }
  ContainerState st = *loaded;
  std::string status = ContainerStatus(g.root, st);
  if (status == "running" || status == "paused") {
    if (!force) {
      return absl::FailedPreconditionError("cannot delete container \"" + id +
                                           "\" that is not stopped: " + status);
    }
  }
  if (!st.sandbox_id.empty()) {
    // Its processes and file systems in the pod's sandbox go first.
    (void)ContainerCall(g.root, st, {{"cmd", "delete-container"}});
  }
  if (SandboxAlive(st)) {
    kill(st.pid, SIGKILL);
    if (!WaitGone(st, 5000)) {
      return absl::DeadlineExceededError("container \"" + id + "\": sandbox " +
                                         std::to_string(st.pid) + " did not exit");
    }
  }
  RemoveCgroup(st.cgroup_dirs);
  auto bundle = LoadBundle(st.bundle);
  std::string dir = ContainerDir(g.root, id);
  unlink((dir + "/control.sock").c_str());
  unlink((dir + "/state.json").c_str());
  if (rmdir(dir.c_str()) != 0 && errno != ENOENT) return util::LastErrnoStatus("remove " + dir);
  if (bundle.ok()) {
    if (absl::Status s =
            RunHostHooks(bundle->spec.hooks.poststop, StateJson(st, "stopped"), "poststop");
        !s.ok()) {
      SK_LOG(WARNING) << s.message();
    }
  }
  return absl::OkStatus();
}


int CmdCreate(const GlobalFlags& g, const std::vector<std::string>& args, bool run) {
  auto p = ParseFlags(args, {{"bundle", true},
                             {"b", true},
                             {"pid-file", true},
                             {"console-socket", true},
                             {"no-pivot", false},
                             {"no-new-keyring", false},
                             {"preserve-fds", true},
                             {"detach", false},
                             {"d", false},
                             {"keep", false},
                             {"no-subreaper", false}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) {
    return Fail(g, absl::StrCat(run ? "run" : "create", ": exactly one container id expected"));
  }
  const std::string& id = p->positional[0];
  CreateOptions o;
  o.bundle = p->Get("bundle").value_or(p->Get("b").value_or("."));
  o.pid_file = p->Get("pid-file").value_or("");
  o.console_socket = p->Get("console-socket").value_or("");
  if (auto pf = p->Get("preserve-fds")) {
    if (!absl::SimpleAtoi(*pf, &o.preserve_fds) || o.preserve_fds < 0 || o.preserve_fds > 1000) {
      return Fail(g, "--preserve-fds wants a count, got " + *pf);
    }
  }
  bool detach = p->Has("detach") || p->Has("d");
  if (run && !detach && o.console_socket.empty()) o.use_own_tty = true;
  // Signals that arrive while a foreground run waits go to the container.
  sigset_t fwd;
  sigemptyset(&fwd);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH}) sigaddset(&fwd, s);
  if (run && !detach) {
    sigset_t block = fwd;
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, nullptr);
  }
  auto pid = Create(g, id, o);
  if (!pid.ok()) return Fail(g, pid.status());
  if (!run) return 0;
  if (absl::Status s = Start(g, id); !s.ok()) {
    (void)Delete(g, id, true);
    return Fail(g, s);
  }
  if (detach) return 0;
  // Foreground: forward signals, wait for the sandbox (its SIGCHLD wakes
  // the wait at once), clean up.
  sigset_t waited = fwd;
  sigaddset(&waited, SIGCHLD);
  int status = 0;
  while (true) {
    pid_t r = waitpid(*pid, &status, WNOHANG);
    if (r == *pid) break;
    if (r < 0 && errno != EINTR) break;
    timespec ts{1, 0};
    siginfo_t si;
    int sig = sigtimedwait(&waited, &si, &ts);
    if (sig > 0 && sig != SIGCHLD) kill(*pid, sig);
  }
  if (!p->Has("keep")) (void)Delete(g, id, true);
  return ExitCodeOf(status);
}

int CmdStart(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) return Fail(g, "start: exactly one container id expected");
  if (absl::Status s = Start(g, p->positional[0]); !s.ok()) return Fail(g, s);
  return 0;
}

int CmdState(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) return Fail(g, "state: exactly one container id expected");
  auto st = LoadState(g.root, p->positional[0]);
  if (!st.ok()) return Fail(g, st.status());
  std::printf("%s\n", StateJson(*st, ContainerStatus(g.root, *st)).dump(2).c_str());
  return 0;
}

int CmdKill(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"all", false}, {"a", false}, {"pid", true}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.empty() || p->positional.size() > 2) {
    return Fail(g, "kill: usage: runsc kill [--all] ID [SIGNAL]");
  }
  const std::string& id = p->positional[0];
  std::string signame = p->positional.size() == 2 ? p->positional[1] : "SIGTERM";
  std::optional<int> sig = ParseSignal(signame);
  if (!sig) return Fail(g, "unknown signal \"" + signame + "\"");
  auto st = LoadState(g.root, id);
  if (!st.ok()) return Fail(g, st.status());
  if (!SandboxAlive(*st)) return Fail(g, "container not running");
  if (*sig == SIGKILL && st->sandbox_id.empty()) {
    // SIGKILL of a container's first process ends the whole container (its
    // pid namespace) at once, as under runc: the sandbox process goes, and
    // whoever reaps it sees SIGKILL.
    if (kill(st->pid, SIGKILL) != 0) return Fail(g, "container not running");
    return 0;
  }
  auto r = ContainerCall(g.root, *st,
                       {{"cmd", "kill"}, {"signal", *sig}, {"all", p->Has("all") || p->Has("a")}});
  if (!r.ok()) {
    return Fail(g, absl::IsUnavailable(r.status()) ? "container not running"
                                                   : std::string(r.status().message()));
  }
  return 0;
}

int CmdDelete(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"force", false}, {"f", false}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.empty()) return Fail(g, "delete: container id expected");
  int rc = 0;
  for (const std::string& id : p->positional) {
    if (absl::Status s = Delete(g, id, p->Has("force") || p->Has("f")); !s.ok()) rc = Fail(g, s);
  }
  return rc;
}

int CmdList(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"format", true}, {"f", true}, {"quiet", false}, {"q", false}});
  if (!p.ok()) return Fail(g, p.status());
  std::string format = p->Get("format").value_or(p->Get("f").value_or("table"));
  bool quiet = p->Has("quiet") || p->Has("q");
  json all = json::array();
  std::vector<std::vector<std::string>> rows;
  for (const std::string& id : ListContainers(g.root)) {
    auto st = LoadState(g.root, id);
    if (!st.ok()) continue;
    std::string status = ContainerStatus(g.root, *st);
    json j = StateJson(*st, status);
    all.push_back(j);
    rows.push_back({id, std::to_string(j["pid"].get<int>()), status, st->bundle, st->created,
                    st->owner});
  }
  if (quiet) {
    for (auto& r : rows) std::printf("%s\n", r[0].c_str());
  } else if (format == "json") {
    std::printf("%s\n", all.dump().c_str());
  } else if (format == "table") {
    std::printf("%-12s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
                "OWNER");
    for (auto& r : rows) {
      std::printf("%-12s %-8s %-10s %-40s %-32s %s\n", r[0].c_str(), r[1].c_str(), r[2].c_str(),
                  r[3].c_str(), r[4].c_str(), r[5].c_str());
    }
  } else {
    return Fail(g, "--format must be table or json, not " + format);
  }
  return 0;
}

int CmdPs(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"format", true}, {"f", true}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.empty()) return Fail(g, "ps: container id expected");
  std::string format = p->Get("format").value_or(p->Get("f").value_or("table"));
  const std::string& id = p->positional[0];
  auto st = LoadState(g.root, id);
  if (!st.ok()) return Fail(g, st.status());
  if (!SandboxAlive(*st)) return Fail(g, "container \"" + id + "\" is not running");
  // A pod's container: its first process stands for the pid-file process.
  auto r = ContainerCall(g.root, *st, {{"cmd", "ps"}, {"init_host_pid", st->pid}});
  if (!r.ok()) return Fail(g, r.status());
  const json& procs = (*r)["processes"];
  if (format == "json") {
    json pids = json::array();
    // Host pids where a process has one (the first process: the sandbox;
    // an exec'd one: its runsc exec), as the shim matches them with its
    // pid files; the sandbox's own pid otherwise.
    for (const auto& pr : procs) pids.push_back(pr.contains("host_pid") ? pr["host_pid"] : pr["pid"]);
    std::printf("%s\n", pids.dump().c_str());
  } else if (format == "table") {
    std::printf("%-8s %-8s %-8s %-8s %s\n", "UID", "PID", "PPID", "HOSTPID", "CMD");
    for (const auto& pr : procs) {
      std::string host = pr.contains("host_pid") ? std::to_string(pr["host_pid"].get<int>()) : "-";
      std::printf("%-8u %-8d %-8d %-8s %s\n", pr["uid"].get<uint32_t>(), pr["pid"].get<int>(),
                  pr["ppid"].get<int>(), host.c_str(), pr["comm"].get<std::string>().c_str());
    }
  } else {
    return Fail(g, "--format must be table or json, not " + format);
  }
  return 0;
}

int CmdPauseResume(const GlobalFlags& g, const std::vector<std::string>& args, const char* cmd) {
  auto p = ParseFlags(args, {});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) return Fail(g, std::string(cmd) + ": container id expected");
  const std::string& id = p->positional[0];
  auto st = LoadState(g.root, id);
  if (!st.ok()) return Fail(g, st.status());
  if (!SandboxAlive(*st)) return Fail(g, "container \"" + id + "\" is not running");
  auto r = ContainerCall(g.root, *st, {{"cmd", cmd}});
  if (!r.ok()) return Fail(g, r.status());
  return 0;
}

int CmdUpdate(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"resources", true},
                             {"r", true},
                             {"memory", true},
                             {"pids-limit", true},
                             {"cpu-shares", true},
                             {"cpu-quota", true},
                             {"cpu-period", true}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) return Fail(g, "update: container id expected");
  auto st = LoadState(g.root, p->positional[0]);
  if (!st.ok()) return Fail(g, st.status());
  OciResources r;
  if (auto file = p->Get("resources").has_value() ? p->Get("resources") : p->Get("r")) {
    auto text = ReadAll(*file);
    if (!text.ok()) return Fail(g, text.status());
    auto parsed = ParseResources(*text);
    if (!parsed.ok()) return Fail(g, parsed.status());
    r = *parsed;
  }
  auto num = [&](const char* flag, auto* out) -> bool {
    auto v = p->Get(flag);
    if (!v) return true;
    std::remove_reference_t<decltype(**out)> n;
    if (!absl::SimpleAtoi(*v, &n)) return false;
    *out = n;
    return true;
  };
  if (!num("memory", &r.memory_limit) || !num("pids-limit", &r.pids_limit) ||
      !num("cpu-shares", &r.cpu_shares) || !num("cpu-quota", &r.cpu_quota) ||
      !num("cpu-period", &r.cpu_period)) {
    return Fail(g, "update: a limit flag wants a number");
  }
  if (absl::Status s = ApplyResources(CgroupLeaves(*st), r); !s.ok()) return Fail(g, s);
  return 0;
}

int CmdWait(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) return Fail(g, "wait: container id expected");
  const std::string& id = p->positional[0];
  auto st = LoadState(g.root, id);
  if (!st.ok()) return Fail(g, st.status());
  json req = {{"cmd", "wait"}};
  auto conn = ConnectContainer(g.root, *st, &req);
  if (!conn.ok() || !SendMessage(conn->get(), req).ok()) {
    return Fail(g, "container \"" + id + "\" is not running");
  }
  auto r = RecvMessage(conn->get());
  if (r.ok() && r->contains("error")) return Fail(g, (*r)["error"].get<std::string>());
  // A sandbox that goes without answering was killed (runsc kill ID 9
  // ends it outright).
  int ws = r.ok() && r->contains("exit_status") ? (*r)["exit_status"].get<int>() : SIGKILL;
  std::printf("%s\n", json({{"id", id}, {"exitStatus", ExitCodeOf(ws)}}).dump().c_str());
  return 0;
}

int CmdEvents(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"stats", false}, {"interval", true}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.size() != 1) return Fail(g, "events: container id expected");
  const std::string& id = p->positional[0];
  int interval_s = 5;
  if (auto iv = p->Get("interval")) {
    std::string v = *iv;
    if (!v.empty() && v.back() == 's') v.pop_back();
    if (!absl::SimpleAtoi(v, &interval_s) || interval_s <= 0) {
      return Fail(g, "--interval wants seconds, got " + *iv);
    }
  }
  while (true) {
    auto st = LoadState(g.root, id);
    if (!st.ok()) return Fail(g, st.status());
    if (!SandboxAlive(*st)) return Fail(g, "container \"" + id + "\" is not running");
    CgroupStats cs = ReadCgroupStats(CgroupLeaves(*st));
    json ev = {{"type", "stats"},
               {"id", id},
               {"data",
                {{"memory", {{"usage", {{"usage", cs.memory_usage}, {"limit", cs.memory_limit}}}}},
                 {"pids", {{"current", cs.pids_current}, {"limit", cs.pids_limit}}},
                 {"cpu", {{"usage", {{"total", cs.cpu_usage_ns}}}}}}}};
    std::printf("%s\n", ev.dump().c_str());
    std::fflush(stdout);
    if (p->Has("stats")) return 0;
    sleep(static_cast<unsigned>(interval_s));
  }
}

int CmdExec(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"process", true},
                             {"p", true},
                             {"detach", false},
                             {"d", false},
                             {"pid-file", true},
                             {"console-socket", true},
                             {"tty", false},
                             {"t", false},
                             {"cwd", true},
                             {"env", true},
                             {"e", true},
                             {"user", true},
                             {"u", true},
                             {"additional-gids", true},
                             {"g", true},
                             {"cap", true},
                             {"c", true},
                             {"no-new-privs", false},
                             {"preserve-fds", true},
                             {"process-label", true},
                             {"apparmor", true},
                             {"ignore-paused", false},
                             {"cgroup", true}});
  if (!p.ok()) return Fail(g, p.status());
  if (p->positional.empty()) return Fail(g, "exec: container id expected");
  const std::string& id = p->positional[0];
  auto st = LoadState(g.root, id);
  if (!st.ok()) return Fail(g, st.status());
  json process;
  std::string process_file = p->Get("process").value_or(p->Get("p").value_or(""));
  if (!process_file.empty()) {
    auto text = ReadAll(process_file);
    if (!text.ok()) return Fail(g, text.status());
    process = json::parse(*text, nullptr, false);
    if (process.is_discarded()) return Fail(g, "the process file " + process_file + " is not JSON");
  } else {
    if (p->positional.size() < 2) return Fail(g, "exec: a command (or --process) is needed");
    // Defaults from the container's own process.
    auto bundle = LoadBundle(st->bundle);
    if (!bundle.ok()) return Fail(g, bundle.status());
    const OciProcess& base = bundle->spec.process;
    std::vector<std::string> env = base.env;
    for (const std::string& kv : p->GetAll("env")) env.push_back(kv);
    for (const std::string& kv : p->GetAll("e")) env.push_back(kv);
    process = {{"args", std::vector<std::string>(p->positional.begin() + 1, p->positional.end())},
               {"env", env},
               {"cwd", p->Get("cwd").value_or(base.cwd)},
               {"terminal", p->Has("tty") || p->Has("t")},
               {"user", {{"uid", base.uid}, {"gid", base.gid}}}};
    if (auto u = p->Get("user").has_value() ? p->Get("user") : p->Get("u")) {
      std::vector<std::string> ug = absl::StrSplit(*u, ':');
      uint32_t uid = 0, gid = 0;
      if (!absl::SimpleAtoi(ug[0], &uid) || (ug.size() > 1 && !absl::SimpleAtoi(ug[1], &gid))) {
        return Fail(g, "--user wants UID[:GID], got " + *u);
      }
      process["user"] = {{"uid", uid}, {"gid", ug.size() > 1 ? gid : 0}};
    }
    if (p->Has("no-new-privs")) process["noNewPrivileges"] = true;
  }
  auto parsed = ParseProcess(process.dump());
  if (!parsed.ok()) return Fail(g, parsed.status());
  bool detach = p->Has("detach") || p->Has("d");
  std::string console = p->Get("console-socket").value_or("");
  util::UniqueFd replica;
  std::vector<int> stdio = {0, 1, 2};
  if (parsed->terminal && !console.empty()) {
    auto r = OpenConsole(console);
    if (!r.ok()) return Fail(g, r.status());
    replica = *std::move(r);
    stdio = {replica.get(), replica.get(), replica.get()};
  } else if (parsed->terminal && detach) {
    return Fail(g, "exec: a terminal with --detach needs --console-socket");
  }
  if (!SandboxAlive(*st)) return Fail(g, "cannot exec in container \"" + id + "\": it is not running");
  json req = {{"cmd", "exec"}, {"process", process}};
  if (p->Has("ignore-paused")) req["ignore_paused"] = true;
  auto conn = ConnectContainer(g.root, *st, &req);
  if (!conn.ok()) return Fail(g, conn.status());
  if (!detach) req["host_pid"] = getpid();
  if (absl::Status s = SendMessage(conn->get(), req, stdio);
      !s.ok()) {
    return Fail(g, s);
  }
  replica = util::UniqueFd();
  auto reply = RecvMessage(conn->get());
  if (!reply.ok()) return Fail(g, reply.status());
  if (reply->contains("error")) return Fail(g, (*reply)["error"].get<std::string>());
  std::string pid_file = p->Get("pid-file").value_or("");
  if (detach) {
    // A process that lives as long as the exec'd one and ends with its
    // status: its pid is the one the caller is given.
    pid_t child = fork();
    if (child < 0) return Fail(g, util::LastErrnoStatus("fork"));
    if (child == 0) {
      setsid();
      int null = open("/dev/null", O_RDWR);
      for (int i = 0; i < 3; ++i) dup2(null, i);
      auto done = RecvMessage(conn->get());
      if (!done.ok()) _exit(137);  // the sandbox went away: the process was killed with it
      ExitLike((*done)["exit_status"].get<int>());
    }
    (void)ControlCall(g.root, st->sandbox_id.empty() ? id : st->sandbox_id,
                      {{"cmd", "host-pid"}, {"pid", (*reply)["pid"]}, {"host_pid", child}});
    if (!pid_file.empty()) {
      if (absl::Status s = WriteFileAtomic(pid_file, std::to_string(child)); !s.ok()) {
        kill(child, SIGKILL);
        return Fail(g, s);
      }
    }
    return 0;
  }
  if (!pid_file.empty()) (void)WriteFileAtomic(pid_file, std::to_string(getpid()));
  auto done = RecvMessage(conn->get());
  if (!done.ok()) return 137;
  return ExitCodeOf((*done)["exit_status"].get<int>());
}

int CmdSpec(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto p = ParseFlags(args, {{"bundle", true}, {"b", true}, {"rootless", false}});
  if (!p.ok()) return Fail(g, p.status());
  std::string dir = p->Get("bundle").value_or(p->Get("b").value_or("."));
  std::string path = dir + "/config.json";
  struct stat sb;
  if (stat(path.c_str(), &sb) == 0) return Fail(g, "File " + path + " exists. Remove it first");
  std::ofstream out(path);
  out << DefaultSpecJson(p->positional);
  if (!out) return Fail(g, "cannot write " + path);
  return 0;
}

int CmdFeatures(const GlobalFlags& g, const std::vector<std::string>& args) {
  (void)g;
  (void)args;
  json f = {
      {"ociVersionMin", "1.0.0"},
      {"ociVersionMax", "1.1.0"},
      {"hooks", {"prestart", "createRuntime", "createContainer", "startContainer", "poststart",
                 "poststop"}},
      {"mountOptions", {"bind", "rbind", "ro", "rw", "nosuid", "nodev", "noexec"}},
      {"linux",
       {{"namespaces", {"pid", "network", "mount", "ipc", "uts", "user", "cgroup"}},
        {"cgroup", {{"v1", true}, {"v2", true}, {"systemd", false}}},
        {"seccomp",
         {{"enabled", true},
          {"actions", {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
                       "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"}},
          {"operators", {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
                         "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
          {"archs", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
          {"knownFlags", {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                          "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                          "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"}},
          {"supportedFlags", {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                              "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}}}}}},
      {"annotations", {{"org.opencontainers.runtime-spec.features", "runsc: the sentry sandbox"}}}};
  std::printf("%s\n", f.dump(2).c_str());
  return 0;
}

}  // namespace

std::optional<int> RunOciCommand(const GlobalFlags& g, const std::string& command,
                                 const std::vector<std::string>& args) {
  static const char* kCommands[] = {"create", "run",  "start",  "state",  "kill",  "delete",
                                    "list",   "ps",   "exec",   "pause",  "resume", "update",
                                    "wait",   "events", "spec", "features", "boot"};
  if (std::find_if(std::begin(kCommands), std::end(kCommands),
                   [&](const char* c) { return command == c; }) == std::end(kCommands)) {
    return std::nullopt;
  }
  if (command == "boot") return CmdBoot(g, args);
  // The runtime's own warnings go to --log (never to a container's stdio).
  if (!g.debug_log.empty()) {
    util::SetLogFile(g.debug_log);
  } else if (!g.log.empty()) {
    util::SetLogFile(g.log);
    util::SetLogJson(g.log_format == "json");
  }
  util::SetDebugLogging(g.debug);
  if (command == "create") return CmdCreate(g, args, false);
  if (command == "run") return CmdCreate(g, args, true);
  if (command == "start") return CmdStart(g, args);
  if (command == "state") return CmdState(g, args);
  if (command == "kill") return CmdKill(g, args);
  if (command == "delete") return CmdDelete(g, args);
  if (command == "list") return CmdList(g, args);
  if (command == "ps") return CmdPs(g, args);
  if (command == "exec") return CmdExec(g, args);
  if (command == "pause") return CmdPauseResume(g, args, "pause");
  if (command == "resume") return CmdPauseResume(g, args, "resume");
  if (command == "update") return CmdUpdate(g, args);
  if (command == "wait") return CmdWait(g, args);
  if (command == "events") return CmdEvents(g, args);
  if (command == "spec") return CmdSpec(g, args);
  return CmdFeatures(g, args);
}

}  // namespace runsc
