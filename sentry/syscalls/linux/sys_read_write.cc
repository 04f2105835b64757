// read(2), write(2), readv(2), writev(2), pread(2), pwrite(2), preadv(2),
// pwritev(2), preadv2(2), pwritev2(2), lseek(2).
#include <fcntl.h>

#include "abi/linux/signal.h"
#include "abi/linux/uio.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// Linux caps a single transfer at MAX_RW_COUNT (INT_MAX rounded down to a page).
constexpr uint64_t kMaxRwCount = 0x7ffff000;

ErrnoOr<std::shared_ptr<vfs::FileDescription>> GetFile(Task& t, int fd) {
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  return f;
}

vfs::IoVec Single(mm::UserAddr addr, uint64_t len) {
  return {vfs::IoSeg{addr, std::min(len, kMaxRwCount)}};
}

SyscallResult DoRead(Task& t, int fd, const vfs::IoVec& iov, int64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(auto f, GetFile(t, fd));
  if (!f->readable()) return Errno(EBADF);
  return f->Read(t.mm(), iov, offset);
}

SyscallResult DoWrite(Task& t, int fd, const vfs::IoVec& iov, int64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(auto f, GetFile(t, fd));
  if (!f->writable()) return Errno(EBADF);
  ErrnoOr<size_t> r = f->Write(t.mm(), iov, offset);
  if (!r.ok() && r.error() == Errno(EPIPE) && f->is_pipe()) {
    // Writing to a pipe nobody reads: SIGPIPE, as well as EPIPE.
    L::Siginfo info{};
    info.si_signo = L::kSIGPIPE;
    info.si_code = L::kSI_USER;
    info.SetPid(t.thread_group().pid());
    info.SetUid(t.thread_group().creds().ruid);
    if ((t.signal_mask() & L::SignalBit(L::kSIGPIPE)) ||
        !t.thread_group().IsIgnored(L::kSIGPIPE)) {
      t.AddPendingSignal(L::kSIGPIPE, info);
    }
  }
  return r;
}

}  // namespace

ErrnoOr<vfs::IoVec> CopyInIoVec(Task& t, mm::UserAddr addr, int64_t count) {
  if (count < 0 || count > L::kUIO_MAXIOV) return Errno(EINVAL);
  std::vector<L::Iovec> raw(count);
  if (count > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(addr, raw.data(), raw.size() * sizeof(L::Iovec)));
    if (n != raw.size() * sizeof(L::Iovec)) return Errno(EFAULT);
  }
  vfs::IoVec out;
  uint64_t total = 0;
  for (const auto& v : raw) {
    if (static_cast<int64_t>(v.iov_len) < 0) return Errno(EINVAL);
    uint64_t len = std::min(v.iov_len, kMaxRwCount - total);
    total += len;
    out.push_back({mm::UserAddr(v.iov_base), len});
  }
  return out;
}

SyscallResult SysRead(Task& t, const SyscallArgs& a) {
  return DoRead(t, a.Int(0), Single(a.Addr(1), a[2]), -1);
}

SyscallResult SysWrite(Task& t, const SyscallArgs& a) {
  return DoWrite(t, a.Int(0), Single(a.Addr(1), a[2]), -1);
}

SyscallResult SysPread64(Task& t, const SyscallArgs& a) {
  if (a.Long(3) < 0) return Errno(EINVAL);
  return DoRead(t, a.Int(0), Single(a.Addr(1), a[2]), a.Long(3));
}

SyscallResult SysPwrite64(Task& t, const SyscallArgs& a) {
  if (a.Long(3) < 0) return Errno(EINVAL);
  return DoWrite(t, a.Int(0), Single(a.Addr(1), a[2]), a.Long(3));
}

namespace {

// readv/writev and the positioned and flagged variants: checks the offset
// (-1 means the file position where `allow_current` says so) and the flags,
// then moves data through the guest's iovec array.
SyscallResult Vectored(Task& t, const SyscallArgs& a, bool write, bool positioned,
                       bool allow_current, uint64_t flags, uint64_t known_flags) {
  if (flags & ~known_flags) return Errno(EOPNOTSUPP);
  int64_t off = positioned ? a.Long(3) : -1;
  if (positioned && (off < -1 || (off == -1 && !allow_current))) return Errno(EINVAL);
  // EBADF before the iovec array is read, as Linux orders it.
  if (!t.fds().Get(a.Int(0))) return Errno(EBADF);
  ASSIGN_OR_RETURN_ERRNO(vfs::IoVec iov, CopyInIoVec(t, a.Addr(1), a.Long(2)));
  return write ? DoWrite(t, a.Int(0), iov, off) : DoRead(t, a.Int(0), iov, off);
}

constexpr uint64_t kReadFlags = L::kRWF_HIPRI | L::kRWF_DSYNC | L::kRWF_SYNC | L::kRWF_NOWAIT;
constexpr uint64_t kWriteFlags = L::kRWF_HIPRI | L::kRWF_DSYNC | L::kRWF_SYNC | L::kRWF_APPEND;

}  // namespace

SyscallResult SysReadv(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/false, false, false, 0, 0);
}
SyscallResult SysWritev(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/true, false, false, 0, 0);
}
SyscallResult SysPreadv(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/false, true, false, 0, 0);
}
SyscallResult SysPwritev(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/true, true, false, 0, 0);
}
// preadv2/pwritev2: offset -1 means the file position; RWF_* flags that
// only tune performance are accepted.
SyscallResult SysPreadv2(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/false, true, true, a[5], kReadFlags);
}
SyscallResult SysPwritev2(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/true, true, true, a[5], kWriteFlags);
}

SyscallResult SysLseek(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(auto f, GetFile(t, a.Int(0)));
  int whence = a.Int(2);
  if (whence < SEEK_SET || whence > SEEK_HOLE) return Errno(EINVAL);
  return f->Seek(a.Long(1), whence);
}

}  // namespace sentry::syscalls
