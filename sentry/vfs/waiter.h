// Readiness events: files that can become ready (pipes, eventfds, epoll
// instances) keep a WaitQueue and notify it when their readiness may have
// changed; poll(2), select(2) and epoll wait on Waiters registered there.
//
//   vfs::Waiter w;
//   file->events()->Add(&w, POLLIN);
//   if (file->Readiness(POLLIN) == 0) w.Wait(deadline);
//   file->events()->Remove(&w);
//
// A wait also ends, within 10 ms, when the calling task has a signal to
// take (ShouldInterruptWait), and files without a queue (host files) are
// re-checked at that pace too.
//
// Either side may go first: a Waiter destroyed while still on a queue
// leaves it, and a WaitQueue destroyed with waiters on it lets them go (a
// pipe's queue outlives the end an epoll entry watches; the entry outlives
// the pipe). A Waiter subclass whose Notify uses its own members calls
// LeaveQueues() first thing in its destructor. Lock order: the
// registration lock (waiter.cc), then WaitQueue::mu_, then Waiter::mu_ (a
// leaf).
#ifndef SENTRY_VFS_WAITER_H_
#define SENTRY_VFS_WAITER_H_

#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace sentry::vfs {

class WaitQueue;

class Waiter {
 public:
  Waiter() = default;
  virtual ~Waiter() { LeaveQueues(); }
  Waiter(const Waiter&) = delete;
  Waiter& operator=(const Waiter&) = delete;

  // Called by a WaitQueue with the events that happened (a superset is
  // fine: waiters re-check readiness).
  virtual void Notify(uint32_t events);

  enum class Result { kNotified, kTick, kTimeout, kInterrupted };
  // Waits for a notification, the deadline, or at most `tick`; kInterrupted
  // when the task has a signal to take. Clears the notification.
  Result Wait(absl::Time deadline, absl::Duration tick = absl::Milliseconds(10));

 protected:
  // Removes this waiter from every queue it is on; once it returns, no
  // Notify is running or will run on it.
  void LeaveQueues();

 private:
  friend class WaitQueue;

  absl::Mutex mu_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  // The queues this waiter is on, once per Add (guarded by the
  // registration lock in waiter.cc).
  std::vector<WaitQueue*> queues_;
};

class WaitQueue {
 public:
  WaitQueue() = default;
  ~WaitQueue();
  WaitQueue(const WaitQueue&) = delete;
  WaitQueue& operator=(const WaitQueue&) = delete;

  // Interest in `mask` events (POLL* bits; 0 means all).
  void Add(Waiter* w, uint32_t mask);
  void Remove(Waiter* w);
  void Notify(uint32_t events);

 private:
  friend class Waiter;

  absl::Mutex mu_;
  std::vector<std::pair<Waiter*, uint32_t>> waiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_WAITER_H_
