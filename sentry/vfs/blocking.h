// Blocking inside a file operation that keeps its state under a mutex
// (sockets): wait for a condition on that mutex, giving up at a deadline or
// when the calling task has a signal to take.
//
//   absl::MutexLock l(&mu);
//   int err = vfs::WaitLocked(mu, [&] { return !queue.empty(); },
//                             vfs::Deadline(nonblock, rcvtimeo));
//   if (err != 0) return Errno(err);  // EAGAIN or EINTR
#ifndef SENTRY_VFS_BLOCKING_H_
#define SENTRY_VFS_BLOCKING_H_

#include <algorithm>
#include <functional>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

// The deadline of an operation: none for non-blocking calls (the wait fails
// at once), the socket's timeout (SO_RCVTIMEO/SO_SNDTIMEO; zero means none)
// otherwise.
inline absl::Time Deadline(bool nonblock, absl::Duration timeout) {
  if (nonblock) return absl::InfinitePast();
  if (timeout == absl::ZeroDuration()) return absl::InfiniteFuture();
  return absl::Now() + timeout;
}

// Waits, with `mu` held, until `ready`: 0, or EAGAIN at the deadline, or
// EINTR when the task must take a signal (noticed within `tick`; state
// changes that make `ready` true wake the wait at once, since absl
// re-evaluates the condition whenever `mu` is released).
inline int WaitLocked(absl::Mutex& mu, std::function<bool()> ready, absl::Time deadline,
                      absl::Duration tick = absl::Milliseconds(10))
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
  while (!ready()) {
    if (ShouldInterruptWait()) return EINTR;
    absl::Time now = absl::Now();
    if (now >= deadline) return EAGAIN;
    mu.AwaitWithDeadline(
        absl::Condition(+[](std::function<bool()>* f) { return (*f)(); }, &ready),
        std::min(deadline, now + tick));
  }
  return 0;
}

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_BLOCKING_H_
