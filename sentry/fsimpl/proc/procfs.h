// procfs: /proc, generated from the kernel's state whenever it is read.
//
// Top level: one directory per process (PID/), the self and thread-self
// links, system files (cpuinfo, meminfo, stat, uptime, loadavg, version,
// filesystems, mounts) and sys/ (kernel, fs, vm and net.core values).
// Per process (and per thread under PID/task/TID/): stat, status, statm,
// cmdline, environ, maps, smaps, limits, comm, oom_score(_adj), cgroup,
// mounts, mountinfo, the exe/cwd/root magic links, fd/ (magic links to the
// open files) and fdinfo/.
//
//   auto fs = std::make_shared<proc::ProcFilesystem>();
//   ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> root, proc::NewProcRoot(*fs, kernel));
//   vfs.MountAt(proc_dir, fs, root, kMountNoSuid | kMountNoDev | kMountNoExec, "proc", "");
//
// Locking: inode methods run under the Vfs lock and take the kernel's
// locks briefly (Vfs::mu_ before Kernel::mu_). File contents that need the
// Vfs itself (mounts, mountinfo) are generated at the first read, without
// the Vfs lock.
#ifndef SENTRY_FSIMPL_PROC_PROCFS_H_
#define SENTRY_FSIMPL_PROC_PROCFS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/vfs.h"

namespace sentry::kernel {
class Kernel;
class ThreadGroup;
}

namespace sentry::fsimpl::proc {

class ProcFilesystem : public vfs::Filesystem {
 public:
  ProcFilesystem();
  util::ErrnoOr<vfs::StatFs> Statfs() override;

  // /proc/sys/kernel/random/boot_id: fixed for the instance.
  const std::string& boot_id() const { return boot_id_; }
  // /proc/pid/oom_score_adj, which only procfs uses (0 until written).
  int oom_score_adj(int pid);
  void set_oom_score_adj(int pid, int v);

 private:
  const std::string boot_id_;
  absl::Mutex mu_;
  std::map<int, int> oom_score_adj_ ABSL_GUARDED_BY(mu_);
};

// The root directory of a procfs instance showing `kernel`'s processes.
util::ErrnoOr<std::shared_ptr<vfs::Inode>> NewProcRoot(ProcFilesystem& fs, kernel::Kernel& kernel);

// The process a /proc/PID directory inode shows (not /proc/PID/task/TID,
// nor a thread's /proc/TID), or nullptr: pidfd_send_signal(2) takes such a
// directory as a pidfd, as Linux's tgid_pidfd_to_pid does.
kernel::ThreadGroup* ProcessOfDirectory(vfs::Inode* in);

}  // namespace sentry::fsimpl::proc

#endif  // SENTRY_FSIMPL_PROC_PROCFS_H_
