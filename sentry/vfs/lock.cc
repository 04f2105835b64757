// Advisory locks: flock(2) and fcntl(2) record locks (POSIX and OFD).
//
// Record locks of one owner never overlap each other: a new lock first
// carves its range out of the owner's existing locks (splitting a lock that
// straddles it), then merges with the owner's locks of the same type that
// touch it, as Linux's posix_lock_inode does. Conflicts are only between
// different owners, and only when one of the two is a write lock.
#include "sentry/vfs/lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <algorithm>

#include "absl/time/time.h"
#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

namespace {

// How often a blocked request checks whether its task must take a signal.
constexpr absl::Duration kInterruptPoll = absl::Milliseconds(10);

bool Overlaps(const RecordLock& a, const RecordLock& b) {
  return a.start < b.end && b.start < a.end;
}

bool SameOwner(const RecordLock& a, const RecordLock& b) {
  return a.owner == b.owner && a.ofd == b.ofd;
}

}  // namespace

bool LockState::FlockConflictsLocked(const void* owner, int op) const {
  for (const FlockHolder& h : flocks_) {
    if (h.owner == owner) continue;
    if (h.exclusive || op == LOCK_EX) return true;
  }
  return false;
}

util::ErrnoOrVoid LockState::Flock(const void* owner, int op, bool block) {
  op &= ~LOCK_NB;
  if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  auto mine = std::find_if(flocks_.begin(), flocks_.end(),
                           [owner](const FlockHolder& h) { return h.owner == owner; });
  if (mine != flocks_.end()) {
    if (op != LOCK_UN && mine->exclusive == (op == LOCK_EX)) return {};
    // Unlock, or convert: Linux drops the old lock first (the conversion is
    // not atomic) and wakes whoever waited on it.
    flocks_.erase(mine);
    changed_.SignalAll();
  }
  if (op == LOCK_UN) return {};
  while (FlockConflictsLocked(owner, op)) {
    if (!block) return util::Errno(EWOULDBLOCK);
    if (ShouldInterruptWait()) return util::Errno(EINTR);
    changed_.WaitWithTimeout(&mu_, kInterruptPoll);
  }
  flocks_.push_back({owner, op == LOCK_EX});
  return {};
}

const RecordLock* LockState::RecordConflictLocked(const RecordLock& want) const {
  for (const RecordLock& r : records_) {
    if (SameOwner(r, want) || !Overlaps(r, want)) continue;
    if (r.type == F_WRLCK || want.type == F_WRLCK) return &r;
  }
  return nullptr;
}

void LockState::ApplyLocked(const RecordLock& want) {
  std::vector<RecordLock> out;
  out.reserve(records_.size() + 2);
  RecordLock merged = want;
  for (const RecordLock& r : records_) {
    if (!SameOwner(r, want)) {
      out.push_back(r);
      continue;
    }
    if (r.type == want.type && want.type != F_UNLCK && r.start <= merged.end &&
        merged.start <= r.end) {
      // Same type, overlapping or adjacent: absorbed into the new lock.
      merged.start = std::min(merged.start, r.start);
      merged.end = std::max(merged.end, r.end);
      continue;
    }
    if (!Overlaps(r, want)) {
      out.push_back(r);
      continue;
    }
    // A different type (or an unlock) over part of r: keep what lies outside.
    if (r.start < want.start) {
      RecordLock left = r;
      left.end = want.start;
      out.push_back(left);
    }
    if (want.end < r.end) {
      RecordLock right = r;
      right.start = want.end;
      out.push_back(right);
    }
  }
  if (want.type != F_UNLCK) out.push_back(merged);
  std::sort(out.begin(), out.end(),
            [](const RecordLock& a, const RecordLock& b) { return a.start < b.start; });
  records_ = std::move(out);
}

util::ErrnoOrVoid LockState::SetRecordLock(const RecordLock& want, bool block) {
  if (want.type != F_RDLCK && want.type != F_WRLCK && want.type != F_UNLCK) {
    return util::Errno(EINVAL);
  }
  if (want.start >= want.end) return util::Errno(EINVAL);
  absl::MutexLock l(&mu_);
  if (want.type != F_UNLCK) {
    while (RecordConflictLocked(want) != nullptr) {
      if (!block) return util::Errno(EAGAIN);
      if (ShouldInterruptWait()) return util::Errno(EINTR);
      changed_.WaitWithTimeout(&mu_, kInterruptPoll);
    }
  }
  ApplyLocked(want);
  // An unlock, a downgrade or a merge may have let a waiter through.
  changed_.SignalAll();
  return {};
}

std::optional<RecordLock> LockState::TestRecordLock(const RecordLock& want) {
  absl::MutexLock l(&mu_);
  const RecordLock* r = RecordConflictLocked(want);
  if (r == nullptr) return std::nullopt;
  return *r;
}

void LockState::ReleaseFlock(const void* owner) {
  absl::MutexLock l(&mu_);
  auto it = std::remove_if(flocks_.begin(), flocks_.end(),
                           [owner](const FlockHolder& h) { return h.owner == owner; });
  if (it == flocks_.end()) return;
  flocks_.erase(it, flocks_.end());
  changed_.SignalAll();
}

void LockState::ReleaseRecordLocks(const void* owner) {
  absl::MutexLock l(&mu_);
  auto it = std::remove_if(records_.begin(), records_.end(),
                           [owner](const RecordLock& r) { return r.owner == owner; });
  if (it == records_.end()) return;
  records_.erase(it, records_.end());
  changed_.SignalAll();
}

}  // namespace sentry::vfs
