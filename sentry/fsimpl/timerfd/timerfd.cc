#include "sentry/fsimpl/timerfd/timerfd.h"
#include "sentry/vfs/iovec.h"

#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <cstring>

namespace sentry::fsimpl::timerfd {

using util::Errno;
using util::ErrnoOr;

TimerFd::TimerFd(int flags) : vfs::FileDescription(O_RDWR | (flags & O_NONBLOCK)) {}

// The countdown goes first: no expiry reaches a half-destroyed file.
TimerFd::~TimerFd() { countdown_.reset(); }

Setting TimerFd::SetTime(Setting s, bool absolute) {
  {
    absl::MutexLock l(&mu_);
    count_ = 0;
  }
  return countdown_->Set(s, absolute);
}

void TimerFd::AddExpirations(uint64_t n) {
  {
    absl::MutexLock l(&mu_);
    count_ = n > ~uint64_t{0} - count_ ? ~uint64_t{0} : count_ + n;
  }
  queue_.Notify(POLLIN | POLLRDNORM);
}

ErrnoOr<uint64_t> TimerFd::Take() {
  vfs::Waiter w;
  bool registered = false;
  ErrnoOr<uint64_t> result = Errno(EAGAIN);
  while (true) {
    {
      absl::MutexLock l(&mu_);
      if (count_ > 0) {
        result = count_;
        count_ = 0;
        break;
      }
    }
    if (flags() & O_NONBLOCK) break;
    if (!registered) {
      queue_.Add(&w, POLLIN);
      registered = true;
      continue;
    }
    if (w.Wait(absl::InfiniteFuture()) == vfs::Waiter::Result::kInterrupted) {
      result = Errno(EINTR);
      break;
    }
  }
  if (registered) queue_.Remove(&w);
  return result;
}

ErrnoOr<size_t> TimerFd::ReadInternal(void* buf, size_t n, int64_t) {
  if (n < sizeof(uint64_t)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(uint64_t v, Take());
  std::memcpy(buf, &v, sizeof(v));
  return sizeof(v);
}

ErrnoOr<size_t> TimerFd::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t) {
  return vfs::ReadCounter(mm, dst, [this] { return Take(); });
}

ErrnoOr<abi_linux::Stat> TimerFd::Stat() {
  abi_linux::Stat st{};
  st.st_mode = 0600;  // anon_inode files have no type bits
  st.st_nlink = 1;
  st.st_blksize = 4096;
  return st;
}

uint32_t TimerFd::Readiness(uint32_t mask) {
  absl::MutexLock l(&mu_);
  uint32_t r = count_ > 0 ? (POLLIN | POLLRDNORM) : 0;
  return r & mask;
}

}  // namespace sentry::fsimpl::timerfd
