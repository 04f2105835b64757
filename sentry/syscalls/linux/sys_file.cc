// close(2), close_range(2), dup(2), dup2(2), dup3(2), fcntl(2), fstat(2),
// newfstatat(2), ioctl(2), readlink(2), getcwd(2), umask(2).
//
// Paths are resolved by the VFS, which arrives with the gofer; until then
// the path forms of these calls answer ENOSYS, and readlink knows only the
// task's own /proc/self/exe.
#include <fcntl.h>

#include "abi/linux/fcntl.h"
#include "abi/linux/limits.h"
#include "abi/linux/termios.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

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
    default:
      // Record locks, leases, owners and pipe sizes arrive with the files
      // and IPC layers.
      return Errno(EINVAL);
  }
}

SyscallResult SysFstat(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  ASSIGN_OR_RETURN_ERRNO(L::Stat st, f->Stat());
  return t.CopyOutObj(a.Addr(1), st);
}

SyscallResult SysNewfstatat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(3);
  if (flags & ~(L::kAT_EMPTY_PATH | L::kAT_SYMLINK_NOFOLLOW | L::kAT_NO_AUTOMOUNT)) {
    return Errno(EINVAL);
  }
  ASSIGN_OR_RETURN_ERRNO(std::string path, t.CopyInString(a.Addr(1)));
  if (!path.empty() || !(flags & L::kAT_EMPTY_PATH)) return Errno(ENOSYS);  // needs the VFS
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  ASSIGN_OR_RETURN_ERRNO(L::Stat st, f->Stat());
  return t.CopyOutObj(a.Addr(2), st);
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
    default:
      return f->Ioctl(t.mm(), request, a[2]);
  }
}

namespace {

// The target of a /proc/<pid>/exe link for this task, if `path` is one.
std::optional<std::string> OwnExeLink(Task& t, const std::string& path) {
  constexpr std::string_view kProc = "/proc/";
  if (path.rfind(kProc, 0) != 0 || path.size() < 4 || path.substr(path.size() - 4) != "/exe") {
    return std::nullopt;
  }
  std::string who = path.substr(kProc.size(), path.size() - kProc.size() - 4);
  int pid;
  if (who == "self" || who == "thread-self" ||
      (absl::SimpleAtoi(who, &pid) && (pid == t.thread_group().pid() || pid == t.tid()))) {
    return t.thread_group().exe_path();
  }
  return std::nullopt;
}

SyscallResult DoReadlink(Task& t, mm::UserAddr path_addr, mm::UserAddr buf, int64_t size) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, t.CopyInString(path_addr));
  if (size <= 0) return Errno(EINVAL);
  if (path.empty()) return Errno(ENOENT);
  std::optional<std::string> target = OwnExeLink(t, path);
  if (!target) return Errno(ENOSYS);  // needs the VFS and procfs
  size_t n = std::min<size_t>(target->size(), size);
  return t.CopyOut(buf, target->data(), n);
}

}  // namespace

SyscallResult SysReadlink(Task& t, const SyscallArgs& a) {
  return DoReadlink(t, a.Addr(0), a.Addr(1), a.Long(2));
}

SyscallResult SysReadlinkat(Task& t, const SyscallArgs& a) {
  return DoReadlink(t, a.Addr(1), a.Addr(2), a.Long(3));
}

SyscallResult SysGetcwd(Task& t, const SyscallArgs& a) {
  std::string cwd;
  {
    absl::MutexLock l(&t.fs().mu);
    cwd = t.fs().cwd;
  }
  uint64_t size = a[1];
  if (size < cwd.size() + 1) return Errno(ERANGE);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(0), cwd.c_str(), cwd.size() + 1));
  if (n != cwd.size() + 1) return Errno(EFAULT);
  return static_cast<uint64_t>(n);
}

SyscallResult SysUmask(Task& t, const SyscallArgs& a) {
  absl::MutexLock l(&t.fs().mu);
  uint32_t old = t.fs().umask;
  t.fs().umask = a.Uint(0) & 0777;
  return old;
}

}  // namespace sentry::syscalls
