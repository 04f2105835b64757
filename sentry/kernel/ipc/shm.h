// System V shared memory: segments whose pages live in the memory file (a
// tmpfs file each, as Linux backs them with shmem), attached by shmat(2)
// as shared mappings, so every process that attaches one sees the same
// pages.
//
//   ASSIGN_OR_RETURN_ERRNO(int id, shm.Get(t, key, size, flags));
//   ASSIGN_OR_RETURN_ERRNO(uint64_t addr, shm.Attach(t, id, 0, 0));
//   RETURN_IF_ERRNO(shm.Detach(t, addr));
//
// Attach counts are the mappings' own: every VMA of an attachment holds a
// reference to the segment's ShmMapping (fork copies them, munmap, exit and
// exec drop them), so shm_nattch is that object's use count, and the last
// one going destroys a segment marked for removal (IPC_RMID).
#ifndef SENTRY_KERNEL_IPC_SHM_H_
#define SENTRY_KERNEL_IPC_SHM_H_

#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/mm/user_addr.h"
#include "util/errno.h"

namespace sentry::fsimpl::tmpfs {
class TmpfsFilesystem;
class RegularFile;
}  // namespace sentry::fsimpl::tmpfs

namespace sentry::kernel {
class Task;
}

namespace sentry::kernel::ipc {

class ShmMapping;

struct ShmSegment {
  Perm perm;
  int id = 0;
  uint64_t size = 0;
  // The file's file system goes after it (attachments may outlive Shm).
  std::shared_ptr<fsimpl::tmpfs::TmpfsFilesystem> fs;
  std::shared_ptr<fsimpl::tmpfs::RegularFile> file;
  // The attachments' shared mappable; expired when nothing is attached.
  std::weak_ptr<ShmMapping> mapping;
  int64_t atime = 0, dtime = 0, ctime = 0;
  int cpid = 0, lpid = 0;
};

class Shm : public std::enable_shared_from_this<Shm> {
 public:
  Shm(mm::MemoryFile& mf, std::shared_ptr<const IpcLimits> limits);
  ~Shm();

  // shmget(2).
  util::ErrnoOr<int> Get(Task& t, int32_t key, uint64_t size, int flags);
  // shmat(2): the address of the attachment.
  util::ErrnoOr<uint64_t> Attach(Task& t, int id, uint64_t addr, int flags);
  // shmdt(2).
  util::ErrnoOrVoid Detach(Task& t, uint64_t addr);
  // shmctl(2): cmd without IPC_64; `buf` is the guest's argument.
  util::ErrnoOr<int> Ctl(Task& t, int id, int cmd, mm::UserAddr buf);

 private:
  friend class ShmMapping;
  // The last attachment of `seg` went away (its ShmMapping is being
  // destroyed).
  void Detached(ShmSegment& seg);

  std::shared_ptr<fsimpl::tmpfs::TmpfsFilesystem> fs_;
  const std::shared_ptr<const IpcLimits> limits_;
  absl::Mutex mu_;
  Registry<ShmSegment> segments_ ABSL_GUARDED_BY(mu_);
  uint64_t total_pages_ ABSL_GUARDED_BY(mu_) = 0;  // of all segments' sizes
};

}  // namespace sentry::kernel::ipc

#endif  // SENTRY_KERNEL_IPC_SHM_H_
