#include "sentry/fsimpl/signalfd/signalfd.h"

#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "abi/linux/signalfd.h"

namespace sentry::fsimpl::signalfd {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;

namespace {

// signalfd_siginfo from a siginfo, field by field as Linux's
// signalfd_copyinfo does.
L::SignalfdSiginfo ToRecord(const L::Siginfo& info) {
  L::SignalfdSiginfo r{};
  r.ssi_signo = static_cast<uint32_t>(info.si_signo);
  r.ssi_errno = info.si_errno;
  r.ssi_code = info.si_code;
  r.ssi_pid = static_cast<uint32_t>(info.Pid());
  r.ssi_uid = info.Uid();
  r.ssi_fd = info.Fd();
  r.ssi_tid = static_cast<uint32_t>(info.TimerId());
  r.ssi_band = static_cast<uint32_t>(info.Band());
  r.ssi_overrun = static_cast<uint32_t>(info.Overrun());
  r.ssi_status = info.Status();
  r.ssi_int = info.Value().sival_int;
  r.ssi_ptr = info.Value().sival_ptr;
  r.ssi_utime = static_cast<uint64_t>(info.Utime());
  r.ssi_stime = static_cast<uint64_t>(info.Stime());
  r.ssi_addr = info.Addr();
  r.ssi_syscall = info.Syscall();
  r.ssi_call_addr = info.CallAddr();
  r.ssi_arch = info.Arch();
  return r;
}

constexpr L::SigSet kNeverRead = L::kUnblockableSignals;

}  // namespace

SignalFd::SignalFd(std::shared_ptr<SignalSource> source, L::SigSet mask, int flags)
    : vfs::FileDescription(O_RDONLY | (flags & O_NONBLOCK)),
      source_(std::move(source)),
      mask_(mask & ~kNeverRead) {}

void SignalFd::set_mask(L::SigSet m) {
  mask_.store(m & ~kNeverRead);
  source_->queue()->Notify(POLLIN);  // waiters re-check against the new mask
}

ErrnoOr<size_t> SignalFd::Take(L::SignalfdSiginfo* out, size_t max) {
  vfs::Waiter w;
  bool registered = false;
  ErrnoOr<size_t> result = Errno(EAGAIN);
  while (true) {
    size_t n = 0;
    L::Siginfo info;
    while (n < max && source_->Dequeue(mask_.load(), &info)) out[n++] = ToRecord(info);
    if (n > 0) {
      result = n;
      break;
    }
    if (flags() & O_NONBLOCK) break;
    if (!registered) {
      source_->queue()->Add(&w, POLLIN);
      registered = true;
      continue;  // re-check after registering
    }
    if (w.Wait(absl::InfiniteFuture()) == vfs::Waiter::Result::kInterrupted) {
      result = Errno(EINTR);
      break;
    }
  }
  if (registered) source_->queue()->Remove(&w);
  return result;
}

ErrnoOr<size_t> SignalFd::ReadInternal(void* buf, size_t n, int64_t) {
  size_t max = n / sizeof(L::SignalfdSiginfo);
  if (max == 0) return Errno(EINVAL);
  std::vector<L::SignalfdSiginfo> recs(max);
  ASSIGN_OR_RETURN_ERRNO(size_t got, Take(recs.data(), max));
  std::memcpy(buf, recs.data(), got * sizeof(L::SignalfdSiginfo));
  return got * sizeof(L::SignalfdSiginfo);
}

ErrnoOr<size_t> SignalFd::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t) {
  uint64_t total = 0;
  for (const auto& s : dst) total += s.len;
  size_t max = static_cast<size_t>(std::min<uint64_t>(total / sizeof(L::SignalfdSiginfo), 64));
  if (max == 0) return Errno(EINVAL);
  // Check the buffer before taking signals, so a bad pointer loses none.
  for (const auto& s : dst) {
    if (s.len == 0) continue;
    uint8_t probe = 0;
    ASSIGN_OR_RETURN_ERRNO(size_t n, mm.CopyIn(s.addr, &probe, 1));
    (void)n;
    break;
  }
  std::vector<L::SignalfdSiginfo> recs(max);
  ASSIGN_OR_RETURN_ERRNO(size_t got, Take(recs.data(), max));
  const uint8_t* p = reinterpret_cast<const uint8_t*>(recs.data());
  size_t want = got * sizeof(L::SignalfdSiginfo);
  size_t done = 0;
  for (const auto& s : dst) {
    if (done == want) break;
    size_t chunk = std::min<uint64_t>(s.len, want - done);
    ASSIGN_OR_RETURN_ERRNO(size_t n, mm.CopyOut(s.addr, p + done, chunk));
    done += n;
    if (n < chunk) break;
  }
  if (done < sizeof(L::SignalfdSiginfo)) return Errno(EFAULT);
  return done - done % sizeof(L::SignalfdSiginfo);
}

ErrnoOr<size_t> SignalFd::WriteInternal(const void*, size_t, int64_t) { return Errno(EINVAL); }

ErrnoOr<L::Stat> SignalFd::Stat() {
  L::Stat st{};
  st.st_mode = 0600;  // anon_inode files have no type bits
  st.st_nlink = 1;
  st.st_blksize = 4096;
  return st;
}

uint32_t SignalFd::Readiness(uint32_t mask) {
  uint32_t r = source_->Pending(mask_.load()) ? (POLLIN | POLLRDNORM) : 0;
  return r & mask;
}

}  // namespace sentry::fsimpl::signalfd
