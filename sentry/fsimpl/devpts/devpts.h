// devpts: the sandbox's /dev/pts, and the terminal devices /dev/ptmx (5:2)
// and /dev/tty (5:0). Opening /dev/ptmx (or /dev/pts/ptmx) makes a
// pseudo-terminal pair (terminal.h): the opener gets the master, and the
// replica appears as /dev/pts/N (char 136:N, mode 0620, group tty) until
// the master is closed. The replica's ioctls follow Linux's tty layer:
// termios, window size, the controlling terminal of a session
// (TIOCSCTTY, or the first open without O_NOCTTY by a session leader),
// the foreground process group, and job control (SIGTTIN for background
// readers, SIGTTOU for background writers under TOSTOP and for background
// changes of the settings). devpts shows processes' sessions and groups,
// so it sits above the kernel, like procfs.
//
//   auto pts = devpts::NewDevpts(kernel);  // registers /dev/ptmx, /dev/tty
//   vfs.MountAt(dev_pts_dir, pts, pts->root(), kMountNoSuid | kMountNoExec, "devpts",
//               "gid=5,mode=620,ptmxmode=666");
//
// Lock order: DevptsFilesystem::mu_ and Terminal::mu_ are leaves; the
// kernel is called with neither held.
#ifndef SENTRY_FSIMPL_DEVPTS_DEVPTS_H_
#define SENTRY_FSIMPL_DEVPTS_DEVPTS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/fsimpl/devpts/terminal.h"
#include "sentry/fsimpl/sys/kernfs.h"
#include "sentry/kernel/console.h"
#include "sentry/kernel/kernel.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::devpts {

// Device numbers: the replicas' major (UNIX98_PTY_SLAVE_MAJOR), /dev/ptmx
// and /dev/tty.
inline constexpr uint32_t kReplicaMajor = 136;
inline constexpr uint32_t kTtyAuxMajor = 5;
inline constexpr uint32_t kTtyMinor = 0, kPtmxMinor = 2;
// The group replicas belong to (gid=5 in the mount options).
inline constexpr uint32_t kTtyGid = 5;

class PtsDir;

class DevptsFilesystem : public vfs::Filesystem,
                         public std::enable_shared_from_this<DevptsFilesystem> {
 public:
  explicit DevptsFilesystem(kernel::Kernel& k);
  util::ErrnoOr<vfs::StatFs> Statfs() override;

  kernel::Kernel& kernel() { return kernel_; }
  std::shared_ptr<vfs::Inode> root();

  // A new pty pair (opening /dev/ptmx): the master file, locked until
  // TIOCSPTLCK unlocks it. The replica node is owned by `uid`.
  // `terminal`, if given, receives the pair's terminal.
  util::ErrnoOr<std::shared_ptr<vfs::FileDescription>> OpenMaster(
      uint32_t uid, int flags, std::shared_ptr<Terminal>* terminal = nullptr);
  // A replica file of an open terminal with no path (the console when
  // /dev/pts cannot be resolved).
  util::ErrnoOr<std::shared_ptr<vfs::FileDescription>> OpenReplica(uint32_t index, int flags);
  // The terminals open now.
  std::vector<std::shared_ptr<Terminal>> Terminals();
  // The master's close takes the replica's name away.
  void RemoveReplicaNode(uint32_t index);

 private:
  kernel::Kernel& kernel_;
  std::shared_ptr<PtsDir> root_;
  absl::Mutex mu_;
  std::map<uint32_t, std::weak_ptr<Terminal>> terminals_ ABSL_GUARDED_BY(mu_);
};

// The sandbox's devpts instance, registered as the owner of /dev/ptmx,
// /dev/tty and the container console (kernel/console.h).
std::shared_ptr<DevptsFilesystem> NewDevpts(kernel::Kernel& k);

// The controlling terminal of a process's session (for /proc/PID/stat's
// tty_nr and tpgid), if it has one.
struct ControllingTty {
  uint64_t rdev;  // vfs::MakeDev(136, N)
  int fg_pgrp;
};
std::optional<ControllingTty> ControllingTerminal(kernel::ThreadGroup& tg);

// The container console (kernel/console.h): a new pty pair whose master
// is bridged to `host_fd` (dup'ed; switched to raw mode so that the
// sentry's line discipline is the only one). The bridge copies the host
// tty's window size at start and re-checks it every 200 ms: the sandbox
// process does not take the host tty as its own controlling terminal, so
// no SIGWINCH reaches it, and one TIOCGWINSZ per 200 ms costs nothing.
// The bridge ends when the host side reaches end of file (the master then
// closes: a hang-up) or when every replica has been closed.
util::ErrnoOr<kernel::Console> NewConsole(kernel::Kernel& k, int host_fd);

// Makes `t` the controlling terminal of tg's session (tg leads it), as a
// session leader's first open without O_NOCTTY does.
void SetControllingTerminal(Terminal& t, kernel::ThreadGroup& tg);

}  // namespace sentry::fsimpl::devpts

#endif  // SENTRY_FSIMPL_DEVPTS_DEVPTS_H_
