// read(2), write(2), readv(2), writev(2), pread(2), pwrite(2), preadv(2),
// pwritev(2), preadv2(2), pwritev2(2), lseek(2), sendfile(2),
// copy_file_range(2).
#include <fcntl.h>

#include "abi/linux/fcntl.h"
#include "abi/linux/signal.h"
#include "abi/linux/uio.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"
#include "sentry/vfs/dnotify.h"

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
  ErrnoOr<size_t> r = f->Read(t.mm(), iov, offset);
  // A watched directory hears of its entries' data being read (dnotify).
  if (r.ok() && *r > 0 && vfs::dnotify::Active()) {
    vfs::dnotify::NotifyParent(f->path(), L::kDN_ACCESS);
  }
  return r;
}

SyscallResult DoWrite(Task& t, int fd, const vfs::IoVec& iov, int64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(auto f, GetFile(t, fd));
  if (!f->writable()) return Errno(EBADF);
  ErrnoOr<size_t> r = f->Write(t.mm(), iov, offset);
  if (r.ok() && *r > 0 && vfs::dnotify::Active()) {
    vfs::dnotify::NotifyParent(f->path(), L::kDN_MODIFY);
  }
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
  // A wait interrupted by a signal (a pipe, a FIFO, a terminal) restarts
  // under SA_RESTART, as Linux's ERESTARTSYS.
  return SyscallResult(DoRead(t, a.Int(0), Single(a.Addr(1), a[2]), -1))
      .RestartOnEintr(kernel::kERESTARTSYS);
}

SyscallResult SysWrite(Task& t, const SyscallArgs& a) {
  return SyscallResult(DoWrite(t, a.Int(0), Single(a.Addr(1), a[2]), -1))
      .RestartOnEintr(kernel::kERESTARTSYS);
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
  return Vectored(t, a, /*write=*/false, false, false, 0, 0).RestartOnEintr(kernel::kERESTARTSYS);
}
SyscallResult SysWritev(Task& t, const SyscallArgs& a) {
  return Vectored(t, a, /*write=*/true, false, false, 0, 0).RestartOnEintr(kernel::kERESTARTSYS);
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
  // Searching for data or a hole from before the start finds nothing.
  if ((whence == SEEK_DATA || whence == SEEK_HOLE) && a.Long(1) < 0) return Errno(ENXIO);
  return f->Seek(a.Long(1), whence);
}

namespace {

// Moves up to `count` bytes from `in` to `out` through a sentry buffer.
// in_off/out_off < 0 use the files' positions. Stops at EOF or a short
// write; an error after progress reports the progress.
ErrnoOr<size_t> CopyBetween(vfs::FileDescription& in, int64_t in_off, vfs::FileDescription& out,
                            int64_t out_off, size_t count) {
  constexpr size_t kChunk = 256 << 10;
  std::vector<char> buf(std::min(count, kChunk));
  size_t done = 0;
  while (done < count) {
    size_t want = std::min(buf.size(), count - done);
    auto n = in.ReadInternal(buf.data(), want, in_off < 0 ? -1 : in_off + done);
    if (!n.ok()) {
      if (done > 0) break;
      return n.error();
    }
    if (*n == 0) break;
    size_t written = 0;
    while (written < *n) {
      auto w = out.WriteInternal(buf.data() + written, *n - written,
                                 out_off < 0 ? -1 : out_off + done + written);
      if (!w.ok()) {
        if (done + written > 0) return done + written;
        return w.error();
      }
      if (*w == 0) return done + written;
      written += *w;
    }
    done += *n;
    if (*n < want) break;
  }
  return done;
}

}  // namespace

SyscallResult SysSendfile(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(auto out, GetFile(t, a.Int(0)));
  ASSIGN_OR_RETURN_ERRNO(auto in, GetFile(t, a.Int(1)));
  if (!in->readable() || !out->writable()) return Errno(EBADF);
  if (out->flags() & O_APPEND) return Errno(EINVAL);
  int64_t off = -1;
  if (!a.Addr(2).IsNull()) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &off));
    if (off < 0) return Errno(EINVAL);
  }
  size_t count = std::min<uint64_t>(a[3], kMaxRwCount);
  ASSIGN_OR_RETURN_ERRNO(size_t n, CopyBetween(*in, off, *out, -1, count));
  if (off >= 0) {
    int64_t next = off + static_cast<int64_t>(n);
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), next));
  }
  return n;
}

SyscallResult SysCopyFileRange(Task& t, const SyscallArgs& a) {
  if (a.Uint(5) != 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(auto in, GetFile(t, a.Int(0)));
  ASSIGN_OR_RETURN_ERRNO(auto out, GetFile(t, a.Int(2)));
  if (!in->readable() || !out->writable() || (out->flags() & O_APPEND)) return Errno(EBADF);
  vfs::Inode* ii = in->inode();
  vfs::Inode* oi = out->inode();
  if (ii == nullptr || oi == nullptr) return Errno(EINVAL);
  if (ii->is_dir() || oi->is_dir()) return Errno(EISDIR);
  if (!ii->is_regular() || !oi->is_regular()) return Errno(EINVAL);
  int64_t in_off = -1, out_off = -1;
  if (!a.Addr(1).IsNull()) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &in_off));
    if (in_off < 0) return Errno(EINVAL);
  }
  if (!a.Addr(3).IsNull()) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &out_off));
    if (out_off < 0) return Errno(EINVAL);
  }
  size_t count = std::min<uint64_t>(a[4], kMaxRwCount);
  if (ii == oi && in_off >= 0 && out_off >= 0 &&
      static_cast<uint64_t>(in_off) < static_cast<uint64_t>(out_off) + count &&
      static_cast<uint64_t>(out_off) < static_cast<uint64_t>(in_off) + count) {
    return Errno(EINVAL);  // overlapping ranges of one file
  }
  ASSIGN_OR_RETURN_ERRNO(size_t n, CopyBetween(*in, in_off, *out, out_off, count));
  if (in_off >= 0) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), in_off + static_cast<int64_t>(n)));
  if (out_off >= 0) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(3), out_off + static_cast<int64_t>(n)));
  return n;
}

}  // namespace sentry::syscalls
