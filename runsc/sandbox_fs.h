// The file systems a sandbox starts with: the container's root, served by
// a gofer process (read-only underneath, with a tmpfs overlay on top unless
// the root is meant to be written), and the synthetic mounts every Linux
// program expects: /proc, /dev (with /dev/shm and /dev/pts), /sys and a
// tmpfs /tmp when the root has none of its own to write to.
//
//   ASSIGN_OR_RETURN(SandboxFs fs, MountSandboxFilesystems(kernel, {.root = "/"}));
//   ... kernel.Run() ...   // fs (and its gofer) must outlive the kernel's tasks
#ifndef RUNSC_SANDBOX_FS_H_
#define RUNSC_SANDBOX_FS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runsc/gofer_process.h"
#include "sentry/kernel/kernel.h"

namespace runsc {

// A host directory bind-mounted into the guest, served by a gofer of its
// own. Writes reach the host (unless read_only): that is what a bind mount
// is for.
struct BindMount {
  std::string source;       // host directory
  std::string destination;  // absolute guest path (made if missing)
  bool read_only = false;
};

struct RootfsOptions {
  std::string root = "/";  // host directory served as the guest's /
  // A tmpfs overlay takes every write, so the host tree is never modified.
  // Without it the root is mounted read-only.
  bool overlay = true;
  // Without the overlay: whether the root is served writable (an OCI
  // bundle's root, whose writes belong in it) or read-only.
  bool root_writable = false;
  // A read-only root gets a writable tmpfs /tmp (runsc do); an OCI
  // bundle's read-only root stays exactly as its config says.
  bool tmp_for_readonly_root = true;
  std::vector<BindMount> binds;
  // Single files bind-mounted (CRI's /etc/hosts, /etc/resolv.conf, ...):
  // each served by a gofer on its directory, which shows only that file.
  std::vector<BindMount> file_binds;
  // Further tmpfs mounts (absolute guest paths), after the binds.
  std::vector<std::string> tmpfs;
  // A tree of its own (Vfs::NewDetachedRoot) rather than the sandbox's
  // root: a further container of a pod sharing the sandbox.
  bool detached = false;
  // Gofers already started (by runsc create, in the host's mount
  // namespace): the root's, then one per bind mount, then one per file bind
  // mount (on its directory), in order. Empty: the sandbox starts its own.
  std::vector<util::UniqueFd> gofer_ends;
};

struct SandboxFs {
  GoferProcess gofer;
  std::vector<GoferProcess> bind_gofers;
  sentry::vfs::Path root;  // the container's root
};

struct Bundle;
// The file systems of an OCI bundle: its root (writable unless
// root.readonly), its bind mounts of directories, its tmpfs mounts; /proc,
// /sys, /dev and /dev/shm are the sentry's own. File bind mounts are
// skipped with a warning.
absl::StatusOr<RootfsOptions> RootfsForBundle(const Bundle& b);

// Parses "HOST:GUEST[:ro|:rw]" (runsc do --volume).
absl::StatusOr<BindMount> ParseVolume(const std::string& spec);

absl::StatusOr<SandboxFs> MountSandboxFilesystems(sentry::kernel::Kernel& k,
                                                  RootfsOptions opts);

}  // namespace runsc

#endif  // RUNSC_SANDBOX_FS_H_
