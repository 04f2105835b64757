// The mqueue file system (mq_overview(7)): one directory listing the POSIX
// message queues of the kernel's IPC namespace, the very queues mq_open(2)
// opens. Each queue is a file: read(2) gives Linux's status line ("QSIZE:…
// NOTIFY:… SIGNO:… NOTIFY_PID:…"), and its descriptor is a queue
// descriptor (mq_timedsend(2) takes it); open(2) with O_CREAT makes a queue
// with the namespace's default attributes, unlink(2) is mq_unlink(2),
// chmod(2) and chown(2) change who may open it.
//
//   auto fs = std::make_shared<mqueue::MqueueFilesystem>(kernel.ipc().mqueues());
//   vfs.MountAt(dev_mqueue, fs, fs->root(), kMountNoSuid | kMountNoDev | kMountNoExec,
//               "mqueue", "rw");
//
// Every instance shows the same queues (Linux's mounts of one IPC
// namespace share one superblock); inode numbers and the device are the
// queues' own, as fstat(2) of an mq_open descriptor reports them.
//
// Locking: MqueueFilesystem::mu_ (the inode cache) is taken inside
// Vfs::mu_ and before the Mqueues locks (mqueue.h).
#ifndef SENTRY_FSIMPL_MQUEUE_MQUEUE_FS_H_
#define SENTRY_FSIMPL_MQUEUE_MQUEUE_FS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/kernel/ipc/mqueue.h"
#include "sentry/vfs/vfs.h"

namespace sentry::fsimpl::mqueue {

// Linux's MQUEUE_MAGIC (statfs f_type).
inline constexpr uint64_t kMqueueMagic = 0x19800202;

class MqueueFilesystem : public vfs::Filesystem {
 public:
  explicit MqueueFilesystem(kernel::ipc::Mqueues& queues);

  util::ErrnoOr<vfs::StatFs> Statfs() override;
  kernel::ipc::Mqueues& queues() { return queues_; }
  // The directory of queues.
  const std::shared_ptr<vfs::Inode>& root() const { return root_; }

  // The one inode of queue `q`, called `name` (made on first use), so that
  // every lookup of a name finds the same file.
  std::shared_ptr<vfs::Inode> InodeFor(const std::string& name,
                                       const std::shared_ptr<kernel::ipc::MessageQueue>& q);

 private:
  kernel::ipc::Mqueues& queues_;
  std::shared_ptr<vfs::Inode> root_;
  absl::Mutex mu_;
  std::map<const kernel::ipc::MessageQueue*, std::weak_ptr<vfs::Inode>> inodes_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::fsimpl::mqueue

#endif  // SENTRY_FSIMPL_MQUEUE_MQUEUE_FS_H_
