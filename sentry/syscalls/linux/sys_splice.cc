// splice(2) and tee(2): moving data into, out of and between pipes
// (fsimpl/pipe), with Linux's do_splice checks. The other end is any file
// that reads or writes through ReadInternal/WriteInternal; the bytes pass
// through the sentry, there are no page references to move.
#include <fcntl.h>

#include <algorithm>
#include <memory>

#include "abi/linux/fcntl.h"
#include "abi/linux/limits.h"
#include "abi/linux/signal.h"
#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"
#include "sentry/vfs/dnotify.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

constexpr uint32_t kSpliceFMove = 1, kSpliceFNonblock = 2, kSpliceFMore = 4, kSpliceFGift = 8;
constexpr uint32_t kSpliceFAll = kSpliceFMove | kSpliceFNonblock | kSpliceFMore | kSpliceFGift;
constexpr uint64_t kMaxRwCount = L::kMAX_RW_COUNT;

fsimpl::pipe::PipeEnd* AsPipe(const std::shared_ptr<vfs::FileDescription>& f) {
  return dynamic_cast<fsimpl::pipe::PipeEnd*>(f.get());
}

// A pipe with no reader: EPIPE, and SIGPIPE to the caller (Linux's
// send_sig(SIGPIPE, current, 0)).
ErrnoOr<size_t> WithSigpipe(Task& t, ErrnoOr<size_t> r) {
  if (r.ok() || r.error() != Errno(EPIPE)) return r;
  L::Siginfo info{};
  info.si_signo = L::kSIGPIPE;
  info.si_code = L::kSI_USER;
  info.SetPid(t.thread_group().pid());
  info.SetUid(t.thread_group().creds().ruid);
  if ((t.signal_mask() & L::SignalBit(L::kSIGPIPE)) || !t.thread_group().IsIgnored(L::kSIGPIPE)) {
    t.AddPendingSignal(L::kSIGPIPE, info);
  }
  return r;
}

// The offset splice(2) reads at `addr` for a file end: -1 (use the file
// position) when there is none.
ErrnoOr<int64_t> ReadOffset(Task& t, mm::UserAddr addr) {
  if (addr.IsNull()) return int64_t{-1};
  int64_t off;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &off));
  if (off < 0) return Errno(EINVAL);
  return off;
}

// The common part: fds, modes, and which ends are pipes.
struct Ends {
  std::shared_ptr<vfs::FileDescription> in, out;
  fsimpl::pipe::PipeEnd* in_pipe;
  fsimpl::pipe::PipeEnd* out_pipe;
};

ErrnoOr<Ends> GetEnds(Task& t, int in_fd, int out_fd) {
  Ends e;
  e.in = t.fds().Get(in_fd);
  if (e.in == nullptr) return Errno(EBADF);
  e.out = t.fds().Get(out_fd);
  if (e.out == nullptr) return Errno(EBADF);
  if (!e.in->readable() || !e.out->writable()) return Errno(EBADF);
  e.in_pipe = AsPipe(e.in);
  e.out_pipe = AsPipe(e.out);
  return e;
}

}  // namespace

SyscallResult SysSplice(Task& t, const SyscallArgs& a) {
  mm::UserAddr off_in = a.Addr(1), off_out = a.Addr(3);
  size_t len = std::min<uint64_t>(a[4], kMaxRwCount);
  uint32_t flags = a.Uint(5);
  if (len == 0) return 0;
  if (flags & ~kSpliceFAll) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(Ends e, GetEnds(t, a.Int(0), a.Int(2)));
  bool nonblock = flags & kSpliceFNonblock;
  ErrnoOr<size_t> r = size_t{0};
  if (e.in_pipe != nullptr && e.out_pipe != nullptr) {
    if (!off_in.IsNull() || !off_out.IsNull()) return Errno(ESPIPE);
    if (&e.in_pipe->pipe() == &e.out_pipe->pipe()) return Errno(EINVAL);
    nonblock |= ((e.in->flags() | e.out->flags()) & O_NONBLOCK) != 0;
    r = WithSigpipe(t, fsimpl::pipe::Pipe::Transfer(e.in_pipe->pipe(), e.out_pipe->pipe(), len,
                                                    nonblock, /*consume=*/true));
  } else if (e.in_pipe != nullptr) {
    if (!off_in.IsNull()) return Errno(ESPIPE);
    ASSIGN_OR_RETURN_ERRNO(int64_t off, ReadOffset(t, off_out));
    if (e.out->flags() & O_APPEND) return Errno(EINVAL);
    nonblock |= (e.in->flags() & O_NONBLOCK) != 0;
    vfs::FileDescription& out = *e.out;
    r = e.in_pipe->pipe().SpliceOut(
        len, nonblock, [&](const char* buf, size_t n) -> ErrnoOr<size_t> {
          size_t done = 0;
          while (done < n) {
            auto w = out.WriteInternal(buf + done, n - done,
                                       off < 0 ? -1 : off + static_cast<int64_t>(done));
            if (!w.ok()) return done > 0 ? ErrnoOr<size_t>(done) : w.error();
            if (*w == 0) break;
            done += *w;
          }
          return done;
        });
    if (r.ok() && off >= 0) {
      RETURN_IF_ERRNO(t.CopyOutObj(off_out, off + static_cast<int64_t>(*r)));
    }
  } else if (e.out_pipe != nullptr) {
    if (!off_out.IsNull()) return Errno(ESPIPE);
    ASSIGN_OR_RETURN_ERRNO(int64_t off, ReadOffset(t, off_in));
    nonblock |= (e.out->flags() & O_NONBLOCK) != 0;
    vfs::FileDescription& in = *e.in;
    r = WithSigpipe(t, e.out_pipe->pipe().SpliceIn(len, nonblock, [&](char* buf, size_t n) {
      return in.ReadInternal(buf, n, off);
    }));
    if (r.ok() && off >= 0) {
      RETURN_IF_ERRNO(t.CopyOutObj(off_in, off + static_cast<int64_t>(*r)));
    }
  } else {
    return Errno(EINVAL);
  }
  if (r.ok() && *r > 0 && vfs::dnotify::Active()) {
    // As read(2) and write(2) tell watched directories (Linux's do_splice).
    vfs::dnotify::NotifyParent(e.in->path(), L::kDN_ACCESS);
    vfs::dnotify::NotifyParent(e.out->path(), L::kDN_MODIFY);
  }
  // A wait interrupted by a signal restarts under SA_RESTART.
  return SyscallResult(r).RestartOnEintr(kernel::kERESTARTSYS);
}

SyscallResult SysTee(Task& t, const SyscallArgs& a) {
  size_t len = std::min<uint64_t>(a[2], kMaxRwCount);
  uint32_t flags = a.Uint(3);
  if (len == 0) return 0;
  if (flags & ~kSpliceFAll) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(Ends e, GetEnds(t, a.Int(0), a.Int(1)));
  if (e.in_pipe == nullptr || e.out_pipe == nullptr ||
      &e.in_pipe->pipe() == &e.out_pipe->pipe()) {
    return Errno(EINVAL);
  }
  bool nonblock = (flags & kSpliceFNonblock) || ((e.in->flags() | e.out->flags()) & O_NONBLOCK);
  ErrnoOr<size_t> r = WithSigpipe(t, fsimpl::pipe::Pipe::Transfer(e.in_pipe->pipe(),
                                                                  e.out_pipe->pipe(), len,
                                                                  nonblock, /*consume=*/false));
  return SyscallResult(r).RestartOnEintr(kernel::kERESTARTSYS);
}

}  // namespace sentry::syscalls
