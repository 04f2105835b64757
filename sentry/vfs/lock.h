// Advisory file locks: flock(2) locks and fcntl(2) record locks, both the
// per-process POSIX kind and open-file-description (OFD) locks, kept per
// inode. Locks are owned: flock and OFD locks by an open file description,
// POSIX locks by a process (its thread-group id).
//
//   LockState& ls = *inode->locks();
//   RETURN_IF_ERRNO(ls.Flock(file.get(), LOCK_EX, /*block=*/true));
//   ls.ReleaseOwner(file.get());            // on the last close
//
// Blocking requests wait until the conflict goes or the caller has a signal
// to take (ShouldInterruptWait): EINTR then. Lock order: LockState::mu_ is
// a leaf.
#ifndef SENTRY_VFS_LOCK_H_
#define SENTRY_VFS_LOCK_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "util/errno.h"

namespace sentry::vfs {

// A byte range [start, end); end == kLockToEof covers to the end of file and
// beyond.
inline constexpr uint64_t kLockToEof = ~uint64_t{0};

struct RecordLock {
  uint64_t start;
  uint64_t end;
  int type;           // F_RDLCK or F_WRLCK
  const void* owner;  // thread group (POSIX) or file description (OFD)
  int pid;            // reported by F_GETLK: the owner's pid, or -1 for OFD locks
  bool ofd;
};

struct LockState {
  // flock(2): op is LOCK_SH, LOCK_EX or LOCK_UN; converting a lock is not
  // atomic (as on Linux). EWOULDBLOCK when !block and it conflicts.
  util::ErrnoOrVoid Flock(const void* owner, int op, bool block);

  // F_SETLK/F_SETLKW and F_OFD_SETLK/F_OFD_SETLKW: type F_RDLCK, F_WRLCK or
  // F_UNLCK over [start, end). POSIX locks of one owner merge and split as
  // Linux's do. EAGAIN when !block and it conflicts; EDEADLK is not
  // detected.
  util::ErrnoOrVoid SetRecordLock(const RecordLock& want, bool block);
  // F_GETLK/F_OFD_GETLK: the first lock that would conflict with `want`, or
  // nothing (the caller reports F_UNLCK).
  std::optional<RecordLock> TestRecordLock(const RecordLock& want);

  // Drops every lock `owner` holds: flock and OFD locks when a file
  // description goes away; POSIX locks when a process closes any fd of the
  // file or exits.
  void ReleaseFlock(const void* owner);
  void ReleaseRecordLocks(const void* owner);

 private:
  bool FlockConflictsLocked(const void* owner, int op) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  const RecordLock* RecordConflictLocked(const RecordLock& want) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void ApplyLocked(const RecordLock& want) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  absl::CondVar changed_;
  struct FlockHolder {
    const void* owner;
    bool exclusive;
  };
  std::vector<FlockHolder> flocks_ ABSL_GUARDED_BY(mu_);
  std::vector<RecordLock> records_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_LOCK_H_
