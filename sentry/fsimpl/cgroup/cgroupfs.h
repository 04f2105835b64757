// The cgroup file system a container sees at /sys/fs/cgroup: a cgroup v2
// view of its own cgroup, as Linux shows a container its cgroup through a
// cgroup namespace. The limits are those runsc applied to the sandbox's
// host cgroup (the config's linux.resources); the figures are the
// sentry's own: the container's processes in the sentry's pid numbering
// (cgroup.procs, pids.current) and the guest memory in use
// (memory.current). Nothing here is written: interface files answer EPERM,
// mkdir(2) EPERM.
//
//   auto fs = std::make_shared<cgroup::CgroupFilesystem>(kernel, "", kernel.config().cgroup);
//   vfs.MountAt(sys_fs_cgroup, fs, fs->root(), kMountReadOnly | ..., "cgroup", "ro");
//
// Files: cgroup.controllers, cgroup.subtree_control, cgroup.procs,
// cgroup.threads, cgroup.type, cgroup.max.depth, cgroup.max.descendants,
// cgroup.stat, memory.max, memory.swap.max, memory.current, pids.max,
// pids.current, cpu.max, cpu.weight.
#ifndef SENTRY_FSIMPL_CGROUP_CGROUPFS_H_
#define SENTRY_FSIMPL_CGROUP_CGROUPFS_H_

#include <memory>
#include <string>

#include "sentry/kernel/cgroup_limits.h"
#include "sentry/vfs/vfs.h"

namespace sentry::kernel {
class Kernel;
}

namespace sentry::fsimpl::cgroup {

using kernel::CgroupLimits;

class CgroupFilesystem : public vfs::Filesystem {
 public:
  // The cgroup of the processes of container `container_id` (empty: the
  // sandbox's first container) of `kernel`.
  CgroupFilesystem(kernel::Kernel& kernel, std::string container_id, CgroupLimits limits);

  util::ErrnoOr<vfs::StatFs> Statfs() override;
  const std::shared_ptr<vfs::Inode>& root() const { return root_; }

 private:
  std::shared_ptr<vfs::Inode> root_;
};

}  // namespace sentry::fsimpl::cgroup

#endif  // SENTRY_FSIMPL_CGROUP_CGROUPFS_H_
