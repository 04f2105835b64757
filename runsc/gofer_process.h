// Starting the gofer: a child process running `runsc gofer` on a container's root, connected
// to the sentry by a SOCK_SEQPACKET socketpair.
//
//   ASSIGN_OR_RETURN(runsc::GoferProcess g, runsc::StartGofer("/path/to/rootfs", false));
//   auto fs = std::make_shared<sentry::fsimpl::gofer::GoferFilesystem>(
//       std::move(g.sentry_end), sentry::fsimpl::gofer::GoferOptions{});
//   ...
//   absl::StatusOr<int> status = g.Wait();  // after the sentry hung up; or g.Kill()
//
// The child is `/proc/self/exe gofer --root ROOT --sock-fd 3 [--read-only]` with its end of
// the socket at fd 3, stdin and stdout on /dev/null, stderr inherited (for its logs) and every
// other fd closed. It dies with SIGKILL when the thread that started it exits
// (PR_SET_PDEATHSIG follows the parent thread, not its process): start it from a thread that
// lives as long as the sandbox, such as the main thread.
#ifndef RUNSC_GOFER_PROCESS_H_
#define RUNSC_GOFER_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "util/unique_fd.h"

namespace runsc {

// A running gofer child. Move-only; destroying one that was neither waited for nor killed
// kills and reaps the child.
struct GoferProcess {
  GoferProcess() = default;
  GoferProcess(pid_t p, util::UniqueFd end) : pid(p), sentry_end(std::move(end)) {}
  GoferProcess(GoferProcess&& o) noexcept;
  GoferProcess& operator=(GoferProcess&& o) noexcept;
  GoferProcess(const GoferProcess&) = delete;
  GoferProcess& operator=(const GoferProcess&) = delete;
  ~GoferProcess();

  // SIGKILLs the child and reaps it. Answers its wait status.
  absl::StatusOr<int> Kill();
  // Waits for the child to exit (it does once the sentry's end is closed) and reaps it.
  // Answers its wait status (as waitpid(2) gives it).
  absl::StatusOr<int> Wait();

  pid_t pid = -1;  // -1 once reaped
  util::UniqueFd sentry_end;
};

// Starts `exe gofer --root ROOT --sock-fd 3 [--read-only]`; `exe` is this program by default
// (runsc), which must dispatch the `gofer` subcommand to CmdGofer.
absl::StatusOr<GoferProcess> StartGofer(const std::string& root, bool read_only,
                                        const std::string& exe = "/proc/self/exe");

// A gofer that outlives its starter (runsc create of a pod's container
// starts it in the host's mount namespace and hands its socket to the
// pod's sandbox): no death signal, no stderr, ended by the sentry hanging
// up. Answers the sentry's end; whoever inherits the child reaps it.
absl::StatusOr<util::UniqueFd> StartDetachedGofer(const std::string& root, bool read_only,
                                                  const std::string& exe = "/proc/self/exe");

// `runsc gofer --root DIR --sock-fd N [--read-only]`: serves DIR on the connected socket fd N
// (gofer::RunGofer) until the sentry hangs up. Exits 0 then, 1 on failure, 2 on bad usage.
int CmdGofer(const std::vector<std::string>& args);

}  // namespace runsc

#endif  // RUNSC_GOFER_PROCESS_H_
