#include "runsc/hooks.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"
#include "util/unique_fd.h"

namespace runsc {

namespace {

// A namespace the hook joins: its fd was opened (from /proc/PID/ns/NAME)
// before the fork.
struct JoinedNamespace {
  const char* name;
  int type;  // CLONE_NEW*
  util::UniqueFd fd;
};

// Opens the namespaces of `pid` that differ from runsc's own, in the order
// they are joined: the user namespace first (it grants the rights for the
// rest), the mount namespace last (it changes the root the other paths were
// opened from; they are all open by then).
absl::StatusOr<std::vector<JoinedNamespace>> OpenNamespaces(pid_t pid) {
  static constexpr std::pair<const char*, int> kOrder[] = {
      {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC},
      {"uts", CLONE_NEWUTS},   {"net", CLONE_NEWNET},       {"pid", CLONE_NEWPID},
      {"mnt", CLONE_NEWNS}};
  std::vector<JoinedNamespace> out;
  for (auto [name, type] : kOrder) {
    std::string theirs = absl::StrCat("/proc/", pid, "/ns/", name);
    std::string ours = absl::StrCat("/proc/self/ns/", name);
    struct stat a, b;
    if (stat(theirs.c_str(), &a) != 0) {
      // A kernel without this namespace type has it for nobody.
      if (errno == ENOENT && stat(ours.c_str(), &b) != 0) continue;
      return util::LastErrnoStatus("the sandbox's namespace " + theirs);
    }
    if (stat(ours.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) continue;
    util::UniqueFd fd(open(theirs.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return util::LastErrnoStatus("open " + theirs);
    out.push_back({name, type, std::move(fd)});
  }
  return out;
}

// What the child reports through the error pipe when it cannot go on: the
// step (an index into kSteps, or -1 - i for joining namespace i) and errno.
struct ChildError {
  int step;
  int err;
};
enum Step { kCgroup, kFork, kExec };
constexpr const char* kSteps[] = {"cannot join the container's cgroup", "cannot fork",
                                  "cannot execute"};

[[noreturn]] void ChildFail(int err_fd, int step) {
  ChildError e{step, errno};
  (void)!write(err_fd, &e, sizeof(e));
  _exit(127);
}

// The forked child: joins the cgroups and namespaces, then forks the hook
// (a child is what enters a joined pid namespace) and ends as it does.
// Only async-signal-safe calls: everything was prepared before the fork.
[[noreturn]] void RunChild(int stdin_fd, int err_fd, const std::vector<JoinedNamespace>& ns,
                           const std::vector<std::string>& cgroup_procs, const char* path,
                           char* const* argv, char* const* envp) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (const std::string& procs : cgroup_procs) {
    int fd = open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, "0", 1) != 1) ChildFail(err_fd, kCgroup);
    close(fd);
  }
  for (size_t i = 0; i < ns.size(); ++i) {
    if (setns(ns[i].fd.get(), ns[i].type) != 0) ChildFail(err_fd, -1 - static_cast<int>(i));
  }
  pid_t parent = getpid();
  pid_t hook = ns.empty() ? 0 : fork();
  if (hook < 0) ChildFail(err_fd, kFork);
  if (hook == 0) {
    if (!ns.empty()) {
      // Dies with the process that waits for it (runsc kills that one at
      // the timeout). Its parent is outside its pid namespace: 0 here.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      pid_t pp = getppid();
      if (pp != 0 && pp != parent) _exit(127);
    }
    if (stdin_fd == 0) {
      fcntl(0, F_SETFD, 0);
    } else {
      dup2(stdin_fd, 0);
    }
    execve(path, argv, envp);
    ChildFail(err_fd, kExec);
  }
  close(err_fd);
  int status = 0;
  while (waitpid(hook, &status, 0) < 0) {
    if (errno != EINTR) _exit(127);
  }
  if (WIFSIGNALED(status)) {
    signal(WTERMSIG(status), SIG_DFL);
    kill(getpid(), WTERMSIG(status));
  }
  _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 127);
}

absl::Status RunHook(const OciHook& h, const std::string& input, const std::string& kind,
                     const HookPlace& place) {
  std::vector<JoinedNamespace> ns;
  if (place.namespaces_of > 0) {
    ASSIGN_OR_RETURN(ns, OpenNamespaces(place.namespaces_of));
  }
  std::vector<std::string> cgroup_procs;
  for (const std::string& dir : place.cgroup_dirs) cgroup_procs.push_back(dir + "/cgroup.procs");
  std::vector<std::string> args = h.args.empty() ? std::vector<std::string>{h.path} : h.args;
  std::vector<std::string> env = h.env;
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  // The state goes into the pipe before the hook starts: a hook that never
  // reads it cannot block runsc (or end it with SIGPIPE).
  int in[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return util::LastErrnoStatus("pipe");
  util::UniqueFd in_r(in[0]), in_w(in[1]);
  if (input.size() > 65536) (void)fcntl(in_w.get(), F_SETPIPE_SZ, static_cast<int>(input.size()));
  if (write(in_w.get(), input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    return util::LastErrnoStatus(kind + " hook " + h.path + ": the state does not fit a pipe");
  }
  in_w = util::UniqueFd();
  if (pipe2(err, O_CLOEXEC) != 0) return util::LastErrnoStatus("pipe");
  util::UniqueFd err_r(err[0]), err_w(err[1]);

  pid_t pid = fork();
  if (pid < 0) return util::LastErrnoStatus("fork");
  if (pid == 0) {
    err_r = util::UniqueFd();
    RunChild(in_r.get(), err_w.get(), ns, cgroup_procs, h.path.c_str(), argv.data(), envp.data());
  }
  err_w = util::UniqueFd();
  in_r = util::UniqueFd();
  int status = 0;
  int waited_ms = 0;
  const int limit_ms = h.timeout ? *h.timeout * 1000 : -1;
  bool timed_out = false;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (limit_ms >= 0 && waited_ms >= limit_ms) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      timed_out = true;
      break;
    }
    usleep(2000);
    waited_ms += 2;
  }
  if (timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat(kind, " hook ", h.path, " timed out after ", *h.timeout, "s"));
  }
  fcntl(err_r.get(), F_SETFL, O_NONBLOCK);
  ChildError e;
  if (read(err_r.get(), &e, sizeof(e)) == sizeof(e) &&
      e.step < static_cast<int>(std::size(kSteps)) && -1 - e.step < static_cast<int>(ns.size())) {
    std::string step = e.step >= 0
                           ? kSteps[e.step]
                           : absl::StrCat("cannot join the sandbox's ",
                                          ns[static_cast<size_t>(-1 - e.step)].name, " namespace");
    return absl::Status(absl::ErrnoToStatusCode(e.err),
                        absl::StrCat(kind, " hook ", h.path, ": ", step, ": ", strerror(e.err)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat(kind, " hook ", h.path, " failed (status ",
                     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunHostHooks(const std::vector<OciHook>& hooks, const nlohmann::json& state,
                          const std::string& kind, const HookPlace& place) {
  std::string input = state.dump();
  for (const OciHook& h : hooks) RETURN_IF_ERROR(RunHook(h, input, kind, place));
  return absl::OkStatus();
}

}  // namespace runsc
