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

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "runsc/gofer_process.h"
#include "sentry/fsimpl/cgroup/cgroupfs.h"
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

// A synthetic file system the config asks for at a place of its choosing:
// "mqueue" (the IPC namespace's POSIX queues) or "cgroup" (a cgroup v2
// view of the container's cgroup, for cgroup and cgroup2 mounts).
struct SyntheticMount {
  std::string type;
  std::string destination;
  uint32_t flags = 0;  // vfs::kMount* from the mount's options
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
  // mqueue and cgroup mounts, after the tmpfs ones.
  std::vector<SyntheticMount> synthetic;
  // What cgroup mounts show: the container's limits (linux.resources) and
  // whose processes (ThreadGroup::container_id; empty for the first).
  sentry::fsimpl::cgroup::CgroupLimits cgroup_limits;
  std::string container_id;
  // linux.maskedPaths and linux.readonlyPaths, applied after every mount
  // above (path_masks.h).
  std::vector<std::string> masked_paths, readonly_paths;
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
struct OciSpec;
// The file systems of an OCI bundle: its root (writable unless
// root.readonly), its bind mounts of directories, its tmpfs, mqueue and
// cgroup mounts, its maskedPaths and readonlyPaths; /proc, /sys, /dev and
// /dev/shm are the sentry's own. File bind mounts are skipped with a
// warning.
absl::StatusOr<RootfsOptions> RootfsForBundle(const Bundle& b);

// Applies config.json's linux.sysctl to the sandbox's kernel as runc
// writes each key to /proc/sys: every key must name a setting the sentry
// has (sentry/fsimpl/proc/sysctl.h) and take its value, or the error names
// the key.
absl::Status ApplySysctls(sentry::kernel::Kernel& k,
                          const std::map<std::string, std::string>& sysctl);

// RootfsOptions as data (all but container_id, detached and gofer_ends),
// for a pod's later container: runsc create works them out on the host
// (stat of mount sources, mountpoints made in the image) and the sandbox,
// which opens no host path, mounts what it is told. The cgroup limits come
// from `spec` again.
nlohmann::json RootfsOptionsToJson(const RootfsOptions& o);
absl::StatusOr<RootfsOptions> RootfsOptionsFromJson(const nlohmann::json& j,
                                                    const OciSpec& spec);

// Parses "HOST:GUEST[:ro|:rw]" (runsc do --volume).
absl::StatusOr<BindMount> ParseVolume(const std::string& spec);

absl::StatusOr<SandboxFs> MountSandboxFilesystems(sentry::kernel::Kernel& k,
                                                  RootfsOptions opts);

}  // namespace runsc

#endif  // RUNSC_SANDBOX_FS_H_
