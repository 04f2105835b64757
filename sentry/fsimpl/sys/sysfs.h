// sysfs: the parts of /sys that programs read to learn about the machine:
// which CPUs exist (devices/system/cpu/{online,possible,present,cpuN}),
// transparent huge page policy, and an empty fs/cgroup to mount on.
//
//   auto fs = std::make_shared<sys::SysFilesystem>();
//   std::shared_ptr<vfs::Inode> root = sys::NewSysRoot(*fs);
//   vfs.MountAt(sys_dir, fs, root, kMountReadOnly | kMountNoSuid | kMountNoDev | kMountNoExec,
//               "sysfs", "");
#ifndef SENTRY_FSIMPL_SYS_SYSFS_H_
#define SENTRY_FSIMPL_SYS_SYSFS_H_

#include <memory>
#include <string>

#include "sentry/vfs/vfs.h"

namespace sentry::fsimpl::sys {

class SysFilesystem : public vfs::Filesystem {
 public:
  SysFilesystem() : Filesystem("sysfs", NewAnonDev()) {}
  util::ErrnoOr<vfs::StatFs> Statfs() override;
};

// The root directory of a sysfs instance.
std::shared_ptr<vfs::Inode> NewSysRoot(SysFilesystem& fs);

// "0-N" for CPUs 0..n-1 ("0" for one), as the cpu lists in sysfs read.
std::string CpuRange(unsigned n);
// How many CPUs the sandbox shows (the host's, at least 1).
unsigned NumCpus();

}  // namespace sentry::fsimpl::sys

#endif  // SENTRY_FSIMPL_SYS_SYSFS_H_
