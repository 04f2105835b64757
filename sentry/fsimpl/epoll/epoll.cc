#include "sentry/fsimpl/epoll/epoll.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>

#include <optional>

namespace sentry::fsimpl::epoll {

using util::Errno;
using util::ErrnoOr;

namespace {

// EPOLL* and POLL* share their bit values for the events that matter.
constexpr uint32_t kEventBits = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLERR | EPOLLHUP | EPOLLRDNORM |
                                EPOLLRDBAND | EPOLLWRNORM | EPOLLWRBAND | EPOLLMSG | EPOLLRDHUP;
constexpr uint32_t kAlways = EPOLLERR | EPOLLHUP;

// Linux's EP_MAX_NESTS: the depth, counted from the epoll being added,
// past which a chain of watched epolls is refused.
constexpr int kMaxNests = 4;

// Held while an epoll is added to another, so that two such adds cannot
// together make a loop that neither sees (Linux's epnested_mutex).
ABSL_CONST_INIT absl::Mutex nesting_mu(absl::kConstInit);

}  // namespace

void EpollFile::Entry::Notify(uint32_t events) {
  // 0 is "anything may have changed".
  if (events != 0 && (events & interest.load()) == 0) return;
  kicked.store(true);
  ep->queue_.Notify(POLLIN);
}

EpollFile::~EpollFile() {
  // Entries leave their files' queues before queue_, which their Notify
  // uses, goes away.
  absl::MutexLock l(&mu_);
  entries_.clear();
}

bool EpollFile::CanWatch(const vfs::FileDescription& file) {
  vfs::Inode* in = file.inode();
  return in == nullptr || !(in->is_regular() || in->is_dir());
}

bool EpollFile::LeadsTo(const EpollFile* target, int depth) {
  std::vector<std::shared_ptr<EpollFile>> inner;
  {
    absl::MutexLock l(&mu_);
    for (auto& [key, e] : entries_) {
      if (auto ep = std::dynamic_pointer_cast<EpollFile>(e->file.lock())) {
        inner.push_back(std::move(ep));
      }
    }
  }
  for (const auto& ep : inner) {
    if (ep.get() == target || depth > kMaxNests) return true;
    if (ep->LeadsTo(target, depth + 1)) return true;
  }
  return false;
}

util::ErrnoOrVoid EpollFile::Ctl(int op, int fd, const std::shared_ptr<vfs::FileDescription>& file,
                                 Event ev) {
  if (!CanWatch(*file)) return Errno(EPERM);
  if (file.get() == this) return Errno(EINVAL);
  if ((ev.events & EPOLLEXCLUSIVE) && op == EPOLL_CTL_MOD) return Errno(EINVAL);
  // Adding an epoll: no loop back to this one, and not too deep.
  std::optional<absl::MutexLock> nesting;
  if (auto inner = std::dynamic_pointer_cast<EpollFile>(file); inner && op == EPOLL_CTL_ADD) {
    nesting.emplace(&nesting_mu);
    if (inner->LeadsTo(this, 0)) return Errno(ELOOP);
  }
  absl::MutexLock l(&mu_);
  Key key{file.get(), fd};
  auto it = entries_.find(key);
  // An entry whose file is gone is not this file's, even at the same
  // address: it goes now.
  if (it != entries_.end() && it->second->file.expired()) {
    entries_.erase(it);
    it = entries_.end();
  }
  switch (op) {
    case EPOLL_CTL_ADD: {
      if (it != entries_.end()) return Errno(EEXIST);
      auto e = std::make_unique<Entry>();
      e->ep = this;
      e->fd = fd;
      e->file = file;
      e->events = ev.events;
      e->interest.store((ev.events & kEventBits) | kAlways);
      e->data = ev.data;
      e->kicked.store(true);  // check it at the next wait
      if (vfs::WaitQueue* q = file->events()) q->Add(e.get(), 0);
      entries_.emplace(key, std::move(e));
      break;
    }
    case EPOLL_CTL_MOD: {
      if (it == entries_.end()) return Errno(ENOENT);
      if (it->second->events & EPOLLEXCLUSIVE) return Errno(EINVAL);
      it->second->events = ev.events;
      it->second->interest.store((ev.events & kEventBits) | kAlways);
      it->second->data = ev.data;
      it->second->disabled = false;
      it->second->last = 0;
      it->second->kicked.store(true);
      break;
    }
    case EPOLL_CTL_DEL: {
      if (it == entries_.end()) return Errno(ENOENT);
      entries_.erase(it);  // ~Entry leaves the file's queue
      return {};
    }
    default:
      return Errno(EINVAL);
  }
  queue_.Notify(POLLIN);
  return {};
}

std::vector<Event> EpollFile::ScanLocked(size_t max) {
  std::vector<Event> out;
  for (auto it = entries_.begin(); it != entries_.end() && out.size() < max;) {
    Entry& e = *it->second;
    auto f = e.file.lock();
    if (!f) {
      it = entries_.erase(it);
      continue;
    }
    ++it;
    if (e.disabled) continue;
    uint32_t want = (e.events & kEventBits) | kAlways;
    uint32_t ready = f->Readiness(want) & want;
    bool kicked = e.kicked.exchange(false);
    if (e.events & EPOLLET) {
      // Edge-triggered: report what became ready since the last report, or
      // anything the file announced.
      bool edge = (ready & ~e.last) != 0 || (kicked && ready != 0);
      e.last = ready;
      if (!edge) continue;
    } else if (ready == 0) {
      continue;
    }
    out.push_back(Event{ready, e.data});
    if (e.events & EPOLLONESHOT) e.disabled = true;
  }
  return out;
}

ErrnoOr<std::vector<Event>> EpollFile::Wait(size_t max, absl::Time deadline) {
  vfs::Waiter w;
  queue_.Add(&w, 0);
  ErrnoOr<std::vector<Event>> result = std::vector<Event>{};
  while (true) {
    {
      absl::MutexLock l(&mu_);
      std::vector<Event> evs = ScanLocked(max);
      if (!evs.empty()) {
        result = std::move(evs);
        break;
      }
    }
    vfs::Waiter::Result r = w.Wait(deadline);
    if (r == vfs::Waiter::Result::kInterrupted) {
      result = Errno(EINTR);
      break;
    }
    if (r == vfs::Waiter::Result::kTimeout) break;
  }
  queue_.Remove(&w);
  return result;
}

uint32_t EpollFile::Readiness(uint32_t mask) {
  absl::MutexLock l(&mu_);
  for (auto& [key, e] : entries_) {
    auto f = e->file.lock();
    if (!f || e->disabled) continue;
    uint32_t want = (e->events & kEventBits) | kAlways;
    if (f->Readiness(want) & want) return mask & (POLLIN | POLLRDNORM);
  }
  return 0;
}

ErrnoOr<abi_linux::Stat> EpollFile::Stat() {
  abi_linux::Stat st{};
  st.st_mode = 0600;
  st.st_nlink = 1;
  st.st_blksize = 4096;
  return st;
}

}  // namespace sentry::fsimpl::epoll
