// epoll(7): an interest list of (file, fd) pairs and the readiness events
// epoll_wait reports, level- or edge-triggered, with EPOLLONESHOT.
//
//   auto ep = std::make_shared<epoll::EpollFile>(O_CLOEXEC);
//   RETURN_IF_ERRNO(ep->Ctl(EPOLL_CTL_ADD, fd, file, {EPOLLIN, data}));
//   ASSIGN_OR_RETURN_ERRNO(auto evs, ep->Wait(max, deadline));
//
// Entries register on their file's WaitQueue; files without one (host
// files) are re-checked every wait tick. An entry goes away with the last
// reference to its file description, as Linux's do. An epoll may watch
// another, but not one that leads back to it or nests deeper than Linux's
// limit (ELOOP). Lock order: the nesting lock (epoll.cc), then
// EpollFile::mu_ (an outer epoll's before an inner one's), then the wait
// queues' registration lock (vfs/waiter.cc), then a file's WaitQueue, then
// EpollFile::queue_.
#ifndef SENTRY_FSIMPL_EPOLL_EPOLL_H_
#define SENTRY_FSIMPL_EPOLL_EPOLL_H_

#include <fcntl.h>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::epoll {

struct Event {
  uint32_t events;
  uint64_t data;
};

class EpollFile : public vfs::FileDescription,
                  public std::enable_shared_from_this<EpollFile> {
 public:
  explicit EpollFile(int flags) : vfs::FileDescription(O_RDWR | flags) {}
  ~EpollFile() override;

  // EPOLL_CTL_ADD/MOD/DEL with Linux's errors (EEXIST, ENOENT, EINVAL for
  // adding an epoll to itself, EPERM for files that cannot be polled,
  // ELOOP for a loop of epolls or too deep a nesting).
  util::ErrnoOrVoid Ctl(int op, int fd, const std::shared_ptr<vfs::FileDescription>& file,
                        Event ev);
  // Up to `max` ready events, waiting until `deadline` for the first;
  // EINTR when a signal arrives first.
  util::ErrnoOr<std::vector<Event>> Wait(size_t max, absl::Time deadline);
  // Whether epoll can watch `file` at all: not regular files and
  // directories (Linux: EPERM, checked before anything else about the call).
  static bool CanWatch(const vfs::FileDescription& file);

  util::ErrnoOr<size_t> Read(mm::MemoryManager&, const vfs::IoVec&, int64_t) override {
    return util::Errno(EINVAL);
  }
  util::ErrnoOr<size_t> Write(mm::MemoryManager&, const vfs::IoVec&, int64_t) override {
    return util::Errno(EINVAL);
  }
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override { return &queue_; }
  std::string Name() const override { return "anon_inode:[eventpoll]"; }

 private:
  struct Entry : vfs::Waiter {
    // Off the file's queue before the members Notify uses go away.
    ~Entry() override { LeaveQueues(); }
    EpollFile* ep = nullptr;
    int fd = 0;
    std::weak_ptr<vfs::FileDescription> file;
    uint32_t events = 0;  // EPOLL* interest and flags
    uint64_t data = 0;
    bool disabled = false;           // EPOLLONESHOT fired; re-armed by MOD
    uint32_t last = 0;               // edge-triggered: what was last reported
    std::atomic<bool> kicked{false};  // the file announced a change
    // The events whose announcement kicks the entry: the interest plus
    // EPOLLERR|EPOLLHUP (Linux's ep_poll_callback ignores the rest).
    std::atomic<uint32_t> interest{0};
    void Notify(uint32_t events) override;
  };
  using Key = std::pair<const vfs::FileDescription*, int>;

  // Collects ready events (mu_ held); drops entries whose file is gone.
  std::vector<Event> ScanLocked(size_t max) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether this epoll, or one it watches (to the nesting limit), watches
  // `target`; true as well when the nesting goes deeper than Linux allows.
  bool LeadsTo(const EpollFile* target, int depth);

  absl::Mutex mu_;
  std::map<Key, std::unique_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);
  vfs::WaitQueue queue_;  // epoll_wait callers, and epolls watching this one
};

}  // namespace sentry::fsimpl::epoll

#endif  // SENTRY_FSIMPL_EPOLL_EPOLL_H_
