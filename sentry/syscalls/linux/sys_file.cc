// The fd calls: close(2), close_range(2), dup(2), dup2(2), dup3(2),
// fcntl(2) (with record locks), flock(2), fstat(2), ioctl(2), umask(2),
// pipe(2)/pipe2(2). The path calls are in sys_fs.cc.
#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <bit>
#include <sys/file.h>

#include "abi/linux/capability.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/limits.h"
#include "abi/linux/signal.h"
#include "abi/linux/termios.h"
#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/kernel/ipc/mqueue.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"
#include "sentry/vfs/dnotify.h"
#include "sentry/vfs/lock.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

// fcntl's record locks: POSIX locks belong to the process, OFD locks to
// the open file description.
SyscallResult RecordLock(Task& t, const std::shared_ptr<vfs::FileDescription>& f, int cmd,
                         mm::UserAddr arg) {
  vfs::Inode* in = f->inode();
  if (in == nullptr || (f->flags() & O_PATH)) return Errno(EBADF);
  L::Flock fl;
  RETURN_IF_ERRNO(t.CopyInObj(arg, &fl));
  bool ofd = cmd == L::kF_OFD_GETLK || cmd == L::kF_OFD_SETLK || cmd == L::kF_OFD_SETLKW;
  if (ofd && fl.l_pid != 0) return Errno(EINVAL);
  int64_t base;
  switch (fl.l_whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: {
      ASSIGN_OR_RETURN_ERRNO(base, f->Seek(0, SEEK_CUR));
      break;
    }
    case SEEK_END: {
      ASSIGN_OR_RETURN_ERRNO(L::Stat st, f->Stat());
      base = st.st_size;
      break;
    }
    default: return Errno(EINVAL);
  }
  int64_t start = base + fl.l_start;
  uint64_t end;
  if (fl.l_len > 0) {
    end = static_cast<uint64_t>(start + fl.l_len);
  } else if (fl.l_len == 0) {
    end = vfs::kLockToEof;
  } else {
    end = static_cast<uint64_t>(start);
    start += fl.l_len;
  }
  if (start < 0) return Errno(EINVAL);
  if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK && fl.l_type != F_UNLCK) return Errno(EINVAL);
  const void* owner = ofd ? static_cast<const void*>(f.get()) : &t.thread_group();
  vfs::RecordLock want{static_cast<uint64_t>(start), end, fl.l_type, owner,
                       ofd ? -1 : t.thread_group().pid(), ofd};
  vfs::LockState& ls = *in->locks();
  if (cmd == L::kF_GETLK || cmd == L::kF_OFD_GETLK) {
    if (fl.l_type == F_UNLCK) return Errno(EINVAL);
    std::optional<vfs::RecordLock> c = ls.TestRecordLock(want);
    if (!c) {
      fl.l_type = F_UNLCK;
    } else {
      fl.l_type = static_cast<int16_t>(c->type);
      fl.l_whence = SEEK_SET;
      fl.l_start = static_cast<int64_t>(c->start);
      fl.l_len = c->end == vfs::kLockToEof ? 0 : static_cast<int64_t>(c->end - c->start);
      fl.l_pid = c->pid;
    }
    return t.CopyOutObj(arg, fl);
  }
  if (fl.l_type == F_RDLCK && !f->readable()) return Errno(EBADF);
  if (fl.l_type == F_WRLCK && !f->writable()) return Errno(EBADF);
  RETURN_IF_ERRNO(ls.SetRecordLock(want, cmd == L::kF_SETLKW || cmd == L::kF_OFD_SETLKW));
  return 0;
}

}  // namespace

// pipe(2), pipe2(2).
SyscallResult SysPipe2(Task& t, const SyscallArgs& a) {
  int flags = a.Int(1);
  if (flags & ~(L::kO_CLOEXEC | L::kO_NONBLOCK | L::kO_DIRECT)) return Errno(EINVAL);
  auto [r, w] = fsimpl::pipe::NewPipe(flags & L::kO_NONBLOCK);
  bool cloexec = flags & L::kO_CLOEXEC;
  ASSIGN_OR_RETURN_ERRNO(int rfd, t.fds().Install(r, 0, cloexec, NofileLimit(t)));
  auto wfd = t.fds().Install(w, 0, cloexec, NofileLimit(t));
  if (!wfd.ok()) {
    (void)t.fds().Remove(rfd);
    return wfd.error();
  }
  int fds[2] = {rfd, *wfd};
  if (!t.CopyOutObj(a.Addr(0), fds).ok()) {
    (void)t.fds().Remove(rfd);
    (void)t.fds().Remove(*wfd);
    return Errno(EFAULT);
  }
  return 0;
}

SyscallResult SysPipe(Task& t, const SyscallArgs& a) {
  SyscallArgs b{{a[0], 0, 0, 0, 0, 0}};
  return SysPipe2(t, b);
}

SyscallResult SysClose(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(auto f, t.fds().Remove(a.Int(0)));
  // Closing any fd of a file drops the process's POSIX locks on it.
  if (vfs::Inode* in = f->inode()) in->locks()->ReleaseRecordLocks(&t.thread_group());
  // And its POSIX message queue notification registration.
  kernel::ipc::FlushOnClose(*f, t.thread_group().pid());
  return 0;
}

SyscallResult SysCloseRange(Task& t, const SyscallArgs& a) {
  uint32_t first = a.Uint(0), last = a.Uint(1), flags = a.Uint(2);
  if (flags & ~uint32_t{L::kCLOSE_RANGE_UNSHARE | L::kCLOSE_RANGE_CLOEXEC}) return Errno(EINVAL);
  if (first > last) return Errno(EINVAL);
  // Each task has its own table until CLONE_FILES exists, so UNSHARE is a no-op.
  t.fds().CloseRange(first, last, flags & L::kCLOSE_RANGE_CLOEXEC);
  return 0;
}

SyscallResult SysDup(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  return t.fds().Install(std::move(f), 0, false, NofileLimit(t));
}

SyscallResult SysDup2(Task& t, const SyscallArgs& a) {
  int oldfd = a.Int(0), newfd = a.Int(1);
  auto f = t.fds().Get(oldfd);
  if (!f) return Errno(EBADF);
  if (oldfd == newfd) return newfd;
  RETURN_IF_ERRNO(t.fds().InstallAt(newfd, std::move(f), false, NofileLimit(t)));
  return newfd;
}

SyscallResult SysDup3(Task& t, const SyscallArgs& a) {
  int oldfd = a.Int(0), newfd = a.Int(1), flags = a.Int(2);
  if (flags & ~L::kO_CLOEXEC) return Errno(EINVAL);
  if (oldfd == newfd) return Errno(EINVAL);
  auto f = t.fds().Get(oldfd);
  if (!f) return Errno(EBADF);
  RETURN_IF_ERRNO(t.fds().InstallAt(newfd, std::move(f), flags & L::kO_CLOEXEC, NofileLimit(t)));
  return newfd;
}

namespace {

// F_GETPIPE_SZ, F_SETPIPE_SZ (Linux's pipe_fcntl): sizes are whole pages,
// a power of two of them, at most 2 GiB; past /proc/sys/fs/pipe-max-size
// only with CAP_SYS_RESOURCE. Anything but a pipe or FIFO is EBADF.
SyscallResult PipeSize(Task& t, vfs::FileDescription& f, int cmd, uint32_t arg) {
  constexpr uint64_t kPipeMaxSize = 1 << 20;  // /proc/sys/fs/pipe-max-size
  auto* end = dynamic_cast<fsimpl::pipe::PipeEnd*>(&f);
  if (end == nullptr) return Errno(EBADF);
  fsimpl::pipe::Pipe& p = end->pipe();
  if (cmd == L::kF_GETPIPE_SZ) return static_cast<int64_t>(p.capacity());
  if (arg > (1u << 31)) return Errno(EINVAL);
  uint64_t size = std::bit_ceil(std::max<uint64_t>(arg, L::kPageSize));
  if (size > kPipeMaxSize && size > p.capacity() &&
      !t.creds().HasCapability(L::kCAP_SYS_RESOURCE)) {
    return Errno(EPERM);
  }
  RETURN_IF_ERRNO(p.SetCapacity(size));
  return static_cast<int64_t>(size);
}

// F_NOTIFY (Linux's fcntl_dirnotify): watch a directory (dnotify.h) for
// the DN_* events in `arg`; none removes the watch. A firing sends the
// caller's process the file's F_SETSIG signal with the fd in si_fd, or a
// plain SIGIO.
SyscallResult DirNotify(Task& t, int fd, const std::shared_ptr<vfs::FileDescription>& f,
                        uint32_t arg) {
  if ((arg & ~L::kDN_MULTISHOT) == 0) {
    vfs::dnotify::Forget(f.get(), &t.fds());
    return 0;
  }
  vfs::Inode* in = f->inode();
  if (in == nullptr || !in->is_dir()) return Errno(ENOTDIR);
  RETURN_IF_ERRNO(in->CheckPermission(t, vfs::kMayRead));
  kernel::ThreadGroup* owner = &t.thread_group();
  vfs::dnotify::Watch(f, &t.fds(), arg, [owner, fd](int sig) {
    L::Siginfo info{};
    if (sig != 0) {
      info.si_signo = sig;
      info.si_code = L::kPOLL_MSG;
      info.SetBand(POLLIN | POLLRDNORM | POLLMSG);
      info.SetFd(fd);
      if (owner->QueueSignal(info).ok()) return;
      info = L::Siginfo{};  // could not queue: plain SIGIO, as Linux falls back
    }
    info.si_signo = L::kSIGIO;
    info.si_code = L::kSI_KERNEL;
    owner->SendSignal(info);
  });
  return 0;
}

}  // namespace

SyscallResult SysFcntl(Task& t, const SyscallArgs& a) {
  int fd = a.Int(0), cmd = a.Int(1);
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  switch (cmd) {
    case L::kF_DUPFD:
    case L::kF_DUPFD_CLOEXEC: {
      int64_t min = a.Long(2);
      if (min < 0 || static_cast<uint64_t>(min) >= NofileLimit(t)) return Errno(EINVAL);
      return t.fds().Install(std::move(f), static_cast<int>(min), cmd == L::kF_DUPFD_CLOEXEC,
                             NofileLimit(t));
    }
    case L::kF_GETFD: {
      ASSIGN_OR_RETURN_ERRNO(bool cloexec, t.fds().GetCloexec(fd));
      return cloexec ? L::kFD_CLOEXEC : 0;
    }
    case L::kF_SETFD:
      return t.fds().SetCloexec(fd, a[2] & L::kFD_CLOEXEC);
    case L::kF_GETFL:
      return f->flags();
    case L::kF_SETFL:
      f->set_status_flags(a.Int(2));
      return 0;
    case L::kF_GETLK:
    case L::kF_SETLK:
    case L::kF_SETLKW:
    case L::kF_OFD_GETLK:
    case L::kF_OFD_SETLK:
    case L::kF_OFD_SETLKW:
      return RecordLock(t, f, cmd, a.Addr(2));
    case L::kF_GETPIPE_SZ:
    case L::kF_SETPIPE_SZ:
      return PipeSize(t, *f, cmd, a.Uint(2));
    case L::kF_GETSIG:
      if (f->flags() & O_PATH) return Errno(EBADF);
      return f->sigio_signal();
    case L::kF_SETSIG:
      if (f->flags() & O_PATH) return Errno(EBADF);
      if (a[2] > static_cast<uint64_t>(L::kNumSignals)) return Errno(EINVAL);
      f->set_sigio_signal(static_cast<int>(a[2]));
      return 0;
    case L::kF_NOTIFY:
      if (f->flags() & O_PATH) return Errno(EBADF);
      return DirNotify(t, fd, f, a.Uint(2));
    default:
      // Leases, owners and seals are not offered yet.
      return Errno(EINVAL);
  }
}

// fadvise64(2): advice about future access. It is checked and has no
// effect: file data is read through the host (or tmpfs's memory) on
// demand, with no read-ahead of the sentry's own to tune.
SyscallResult SysFadvise64(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f || (f->flags() & O_PATH)) return Errno(EBADF);
  if (dynamic_cast<fsimpl::pipe::PipeEnd*>(f.get()) != nullptr) return Errno(ESPIPE);
  int advice = a.Int(3);
  if (advice < POSIX_FADV_NORMAL || advice > POSIX_FADV_NOREUSE) return Errno(EINVAL);
  return 0;
}

SyscallResult SysFlock(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  int op = a.Int(1);
  bool nb = op & LOCK_NB;
  op &= ~LOCK_NB;
  if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) return Errno(EINVAL);
  vfs::Inode* in = f->inode();
  if (in == nullptr || (f->flags() & O_PATH)) return Errno(EBADF);
  RETURN_IF_ERRNO(in->locks()->Flock(f.get(), op, !nb));
  return 0;
}

SyscallResult SysFstat(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  ASSIGN_OR_RETURN_ERRNO(L::Stat st, StatFile(*f));
  return t.CopyOutObj(a.Addr(1), st);
}

SyscallResult SysIoctl(Task& t, const SyscallArgs& a) {
  int fd = a.Int(0);
  uint32_t request = a.Uint(1);
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  switch (request) {
    case L::kFIOCLEX:
      return t.fds().SetCloexec(fd, true);
    case L::kFIONCLEX:
      return t.fds().SetCloexec(fd, false);
    case L::kFIONBIO: {
      int on;
      RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &on));
      f->set_status_flags(on ? (f->flags() | O_NONBLOCK) : (f->flags() & ~O_NONBLOCK));
      return 0;
    }
    case L::kFIONREAD: {
      vfs::Inode* in = f->inode();
      if (in == nullptr || !in->is_regular()) return f->Ioctl(t.mm(), request, a[2]);
      // A regular file: what is left to read from the position.
      ASSIGN_OR_RETURN_ERRNO(L::Stat st, f->Stat());
      ASSIGN_OR_RETURN_ERRNO(int64_t pos, f->Seek(0, SEEK_CUR));
      int avail = static_cast<int>(std::clamp<int64_t>(st.st_size - pos, 0, INT32_MAX));
      RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), avail));
      return 0;
    }
    default:
      return f->Ioctl(t.mm(), request, a[2]);
  }
}

SyscallResult SysUmask(Task& t, const SyscallArgs& a) {
  absl::MutexLock l(&t.fs().mu);
  uint32_t old = t.fs().umask;
  t.fs().umask = a.Uint(0) & 0777;
  return old;
}

}  // namespace sentry::syscalls
