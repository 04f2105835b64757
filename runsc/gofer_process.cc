// Forking and exec'ing the gofer child (see gofer_process.h).
#include "runsc/gofer_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "util/status_macros.h"

namespace runsc {

namespace {

// The fd the child finds its end of the socket at.
constexpr int kChildSockFd = 3;
// Where the parent parks fds before fork, clear of the ones the child rearranges (0-3).
constexpr int kParkFdMin = 10;

// Closes every fd >= `from` (async-signal-safe: runs between fork and exec).
void CloseFrom(int from) {
  if (syscall(SYS_close_range, from, ~0U, 0) == 0) return;
  struct rlimit rl;
  int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (1u << 20)
                ? static_cast<int>(rl.rlim_cur)
                : 1 << 16;
  for (int fd = from; fd < max; ++fd) close(fd);
}

// The child between fork and exec: only async-signal-safe calls.
[[noreturn]] void ExecChild(pid_t parent, int sock, int devnull, const char* exe, char** argv,
                            bool detached) {
  // Die with the parent; if it is already gone, the death signal was never armed for it.
  if (!detached && (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)) _exit(127);
  if (detached) {
    setsid();
    if (dup2(devnull, STDERR_FILENO) < 0) _exit(127);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  // dup2 clears FD_CLOEXEC on the new fds; the parked ones (all >= kParkFdMin) close below.
  if (dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0 ||
      dup2(sock, kChildSockFd) < 0) {
    _exit(127);
  }
  CloseFrom(kChildSockFd + 1);
  execv(exe, argv);
  _exit(127);
}

}  // namespace

GoferProcess::GoferProcess(GoferProcess&& o) noexcept
    : pid(std::exchange(o.pid, -1)), sentry_end(std::move(o.sentry_end)) {}

GoferProcess& GoferProcess::operator=(GoferProcess&& o) noexcept {
  if (this != &o) {
    if (pid > 0) (void)Kill();
    pid = std::exchange(o.pid, -1);
    sentry_end = std::move(o.sentry_end);
  }
  return *this;
}

GoferProcess::~GoferProcess() {
  if (pid > 0) (void)Kill();
}

absl::StatusOr<int> GoferProcess::Kill() {
  if (pid <= 0) return absl::FailedPreconditionError("gofer already reaped");
  if (kill(pid, SIGKILL) != 0 && errno != ESRCH) return util::LastErrnoStatus("kill gofer");
  return Wait();
}

absl::StatusOr<int> GoferProcess::Wait() {
  if (pid <= 0) return absl::FailedPreconditionError("gofer already reaped");
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid, &status, __WALL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return util::LastErrnoStatus("waitpid gofer");
  pid = -1;
  return status;
}

namespace {

absl::StatusOr<GoferProcess> Start(const std::string& root, bool read_only,
                                   const std::string& exe, bool detached) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return util::LastErrnoStatus("socketpair for the gofer");
  }
  util::UniqueFd sentry_end(sv[0]);
  util::UniqueFd child_end(sv[1]);
  // Park the child's fds above the ones it rearranges, so no dup2 clobbers another.
  util::UniqueFd sock(fcntl(child_end.get(), F_DUPFD_CLOEXEC, kParkFdMin));
  if (!sock.valid()) return util::LastErrnoStatus("dup gofer socket");
  child_end.reset();
  util::UniqueFd null_raw(open("/dev/null", O_RDWR | O_CLOEXEC));
  if (!null_raw.valid()) return util::LastErrnoStatus("open /dev/null");
  util::UniqueFd devnull(fcntl(null_raw.get(), F_DUPFD_CLOEXEC, kParkFdMin));
  if (!devnull.valid()) return util::LastErrnoStatus("dup /dev/null");
  null_raw.reset();

  // Everything the child needs is built before fork: it must not allocate.
  std::vector<std::string> args = {"runsc", "gofer",     "--root",
                                   root,    "--sock-fd", std::to_string(kChildSockFd)};
  if (read_only) args.push_back("--read-only");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return util::LastErrnoStatus("fork gofer");
  if (pid == 0) ExecChild(parent, sock.get(), devnull.get(), exe.c_str(), argv.data(), detached);
  return GoferProcess(pid, std::move(sentry_end));
}

}  // namespace

absl::StatusOr<GoferProcess> StartGofer(const std::string& root, bool read_only,
                                        const std::string& exe) {
  return Start(root, read_only, exe, /*detached=*/false);
}

absl::StatusOr<util::UniqueFd> StartDetachedGofer(const std::string& root, bool read_only,
                                                  const std::string& exe) {
  auto g = Start(root, read_only, exe, /*detached=*/true);
  if (!g.ok()) return g.status();
  g->pid = -1;  // not ours to kill or reap
  return std::move(g->sentry_end);
}

}  // namespace runsc
