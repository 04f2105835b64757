#include "sentry/fsimpl/eventfd/eventfd.h"
#include "sentry/vfs/iovec.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>

#include <cstring>

namespace sentry::fsimpl::eventfd {

using util::Errno;
using util::ErrnoOr;

namespace {
constexpr uint64_t kMax = 0xfffffffffffffffeULL;
}  // namespace

EventFd::EventFd(uint64_t initval, int flags)
    : vfs::FileDescription(O_RDWR | (flags & O_NONBLOCK)),
      semaphore_(flags & EFD_SEMAPHORE),
      count_(initval) {}

ErrnoOr<uint64_t> EventFd::Take() {
  vfs::Waiter w;
  bool registered = false;
  ErrnoOr<uint64_t> result = Errno(EAGAIN);
  while (true) {
    {
      absl::MutexLock l(&mu_);
      if (count_ > 0) {
        uint64_t v = semaphore_ ? 1 : count_;
        count_ -= v;
        result = v;
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
  if (result.ok()) queue_.Notify(POLLOUT);
  return result;
}

util::ErrnoOrVoid EventFd::Add(uint64_t v) {
  if (v == ~uint64_t{0}) return Errno(EINVAL);
  vfs::Waiter w;
  bool registered = false;
  util::ErrnoOrVoid result = Errno(EAGAIN);
  while (true) {
    {
      absl::MutexLock l(&mu_);
      if (v <= kMax - count_) {
        count_ += v;
        result = {};
        break;
      }
    }
    if (flags() & O_NONBLOCK) break;
    if (!registered) {
      queue_.Add(&w, POLLOUT);
      registered = true;
      continue;
    }
    if (w.Wait(absl::InfiniteFuture()) == vfs::Waiter::Result::kInterrupted) {
      result = Errno(EINTR);
      break;
    }
  }
  if (registered) queue_.Remove(&w);
  if (result.ok() && v > 0) queue_.Notify(POLLIN);
  return result;
}

ErrnoOr<size_t> EventFd::ReadInternal(void* buf, size_t n, int64_t) {
  if (n < sizeof(uint64_t)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(uint64_t v, Take());
  std::memcpy(buf, &v, sizeof(v));
  return sizeof(v);
}

ErrnoOr<size_t> EventFd::WriteInternal(const void* buf, size_t n, int64_t) {
  if (n < sizeof(uint64_t)) return Errno(EINVAL);
  uint64_t v;
  std::memcpy(&v, buf, sizeof(v));
  RETURN_IF_ERRNO(Add(v));
  return sizeof(v);
}

ErrnoOr<size_t> EventFd::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t) {
  return vfs::ReadCounter(mm, dst, [this] { return Take(); });
}

ErrnoOr<size_t> EventFd::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t) {
  uint8_t buf[sizeof(uint64_t)];
  size_t done = 0;
  for (const auto& s : src) {
    if (done == sizeof(buf)) break;
    size_t chunk = std::min<uint64_t>(s.len, sizeof(buf) - done);
    if (chunk == 0) continue;
    ASSIGN_OR_RETURN_ERRNO(size_t n, mm.CopyIn(s.addr, buf + done, chunk));
    done += n;
    if (n < chunk) return Errno(EFAULT);
  }
  if (done < sizeof(buf)) return Errno(EINVAL);
  return WriteInternal(buf, sizeof(buf), -1);
}

ErrnoOr<abi_linux::Stat> EventFd::Stat() {
  abi_linux::Stat st{};
  st.st_mode = 0600;  // anon_inode files have no type bits
  st.st_nlink = 1;
  st.st_blksize = 4096;
  return st;
}

uint32_t EventFd::Readiness(uint32_t mask) {
  absl::MutexLock l(&mu_);
  uint32_t r = 0;
  if (count_ > 0) r |= POLLIN | POLLRDNORM;
  if (count_ < kMax) r |= POLLOUT | POLLWRNORM;
  if (count_ == ~uint64_t{0}) r |= POLLERR;
  return r & (mask | POLLERR);
}

}  // namespace sentry::fsimpl::eventfd
