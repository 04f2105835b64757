// The container console: a process whose stdio is a terminal the sentry
// emulates, bridged to a host tty (ProcessArgs::console_host_fd, the
// replica of a host pty whose master runsc handed to containerd or
// podman). The terminal emulation (devpts) sits above the kernel and
// registers the factory when the sandbox's /dev/pts is set up.
//
//   kernel::SetConsoleFactory(&devpts::NewConsole);  // devpts::NewDevpts does it
//   ASSIGN_OR_RETURN_ERRNO(kernel::Console c, kernel::NewConsole(k, host_fd));
//   fds.InstallAt(0, c.replica, ...);  // and 1, 2
//   c.attach(tg);  // controlling terminal of tg's session; data starts moving
#ifndef SENTRY_KERNEL_CONSOLE_H_
#define SENTRY_KERNEL_CONSOLE_H_

#include <functional>
#include <memory>

#include "sentry/vfs/file_description.h"
#include "util/errno.h"

namespace sentry::kernel {

class Kernel;
class ThreadGroup;

struct Console {
  // The terminal's replica: the process's fds 0, 1 and 2.
  std::shared_ptr<vfs::FileDescription> replica;
  // Makes the terminal the controlling terminal of tg's session (tg leads
  // it) and starts the bridge with the host fd.
  std::function<void(ThreadGroup& tg)> attach;
};

using ConsoleFactory = util::ErrnoOr<Console> (*)(Kernel& k, int host_fd);

void SetConsoleFactory(ConsoleFactory f);
// ENODEV when no terminal emulation is registered.
util::ErrnoOr<Console> NewConsole(Kernel& k, int host_fd);

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_CONSOLE_H_
