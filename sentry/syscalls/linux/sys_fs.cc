// The path syscalls: open and its relatives, stat, access, directories,
// links, renames, attributes, the working directory and root, xattrs and
// statfs. Each copies its arguments in, names where a relative path starts
// (the cwd or a dirfd), and hands the rest to the VFS.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/xattr.h>

#include "abi/linux/fcntl.h"
#include "abi/linux/stat.h"
#include "abi/linux/statfs.h"
#include "absl/strings/str_cat.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"
#include "sentry/vfs/device.h"
#include "sentry/vfs/file_description.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

constexpr int kAtFdcwd = -100;
constexpr uint64_t kXattrNameMax = 255;
constexpr uint64_t kXattrSizeMax = 65536;
constexpr uint64_t kXattrListMax = 65536;

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

vfs::Vfs& Vfs(Task& t) { return t.kernel().vfs(); }

// Where `path` starts: the root for absolute paths, the cwd for AT_FDCWD,
// else the directory dirfd is open on. With allow_empty, an empty path
// names dirfd itself (any file).
ErrnoOr<vfs::Start> StartAt(Task& t, int dirfd, const std::string& path, bool allow_empty = false) {
  if (path.empty() && !allow_empty) return Errno(ENOENT);
  if (!path.empty() && path[0] == '/') return vfs::Start{t.root()};
  if (dirfd == kAtFdcwd) return vfs::Start{t.cwd()};
  auto f = t.fds().Get(dirfd);
  if (!f) return Errno(EBADF);
  vfs::Path p = f->path();
  if (path.empty() && allow_empty) {
    if (!p.valid()) return Errno(EBADF);  // pipes and host files have no path
    return vfs::Start{p};
  }
  if (!p.valid() || !p.dentry->inode()->is_dir()) return Errno(ENOTDIR);
  return vfs::Start{p};
}

ErrnoOr<std::string> PathArg(Task& t, mm::UserAddr addr) { return t.CopyInString(addr); }

// Resolves (dirfd, path) for the calls that take AT_SYMLINK_NOFOLLOW and
// AT_EMPTY_PATH.
ErrnoOr<vfs::Path> ResolveAt(Task& t, int dirfd, mm::UserAddr path_addr, int at_flags,
                             bool follow_default = true) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, path_addr));
  bool empty = at_flags & L::kAT_EMPTY_PATH;
  if (path.empty() && empty && dirfd != kAtFdcwd) {
    auto f = t.fds().Get(dirfd);
    if (!f) return Errno(EBADF);
    if (!f->path().valid()) return Errno(EBADF);
    return f->path();
  }
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, dirfd, path, empty));
  int flags = 0;
  if (follow_default && !(at_flags & L::kAT_SYMLINK_NOFOLLOW)) flags |= vfs::kFollow;
  if (empty) flags |= vfs::kEmptyPath;
  return Vfs(t).Resolve(t, s, path, flags);
}

SyscallResult InstallFile(Task& t, ErrnoOr<std::shared_ptr<vfs::FileDescription>> f, int flags) {
  if (!f.ok()) return f.error();
  return t.fds().Install(std::move(f).value(), 0, flags & O_CLOEXEC, NofileLimit(t));
}

SyscallResult DoOpen(Task& t, int dirfd, mm::UserAddr path_addr, int flags, uint32_t mode,
                     int resolve = 0) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, path_addr));
  if ((flags & O_TMPFILE) == O_TMPFILE && (flags & O_CREAT)) return Errno(EINVAL);
  // Since Linux 6.4 O_CREAT|O_DIRECTORY is refused outright.
  if ((flags & O_CREAT) && (flags & O_DIRECTORY) && (flags & O_TMPFILE) != O_TMPFILE) {
    return Errno(EINVAL);
  }
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, dirfd, path));
  // Opening a path takes O_LARGEFILE as given on x86-64 (it is the
  // default); the flags a file keeps are the access mode and status flags.
  return InstallFile(t, Vfs(t).Open(t, s, path, flags & ~O_LARGEFILE, mode, resolve), flags);
}

}  // namespace

// ---- open(2) and friends ----

SyscallResult SysOpen(Task& t, const SyscallArgs& a) {
  return DoOpen(t, kAtFdcwd, a.Addr(0), a.Int(1), a.Uint(2));
}

SyscallResult SysOpenat(Task& t, const SyscallArgs& a) {
  return DoOpen(t, a.Int(0), a.Addr(1), a.Int(2), a.Uint(3));
}

SyscallResult SysCreat(Task& t, const SyscallArgs& a) {
  return DoOpen(t, kAtFdcwd, a.Addr(0), O_CREAT | O_WRONLY | O_TRUNC, a.Uint(1));
}

SyscallResult SysOpenat2(Task& t, const SyscallArgs& a) {
  uint64_t size = a[3];
  if (size < sizeof(open_how)) return Errno(EINVAL);
  if (size > 4096) return Errno(E2BIG);
  open_how how{};
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &how));
  // Bytes past the struct we know must be zero.
  for (uint64_t off = sizeof(how); off < size; ++off) {
    uint8_t b;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2) + off, &b));
    if (b != 0) return Errno(E2BIG);
  }
  if (how.flags >> 32) return Errno(EINVAL);
  int flags = static_cast<int>(how.flags);
  constexpr uint64_t kKnownFlags = O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |
                                   O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | O_LARGEFILE |
                                   O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC |
                                   O_PATH | O_TMPFILE;
  if (how.flags & ~kKnownFlags) return Errno(EINVAL);
  if (how.mode & ~uint64_t{07777}) return Errno(EINVAL);
  if (how.mode != 0 && !(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE) {
    return Errno(EINVAL);
  }
  if (how.resolve & ~uint64_t{RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |
                              RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED}) {
    return Errno(EINVAL);
  }
  if ((how.resolve & RESOLVE_BENEATH) && (how.resolve & RESOLVE_IN_ROOT)) return Errno(EINVAL);
  int resolve = 0;
  if (how.resolve & RESOLVE_NO_XDEV) resolve |= vfs::kNoXdev;
  if (how.resolve & RESOLVE_NO_MAGICLINKS) resolve |= vfs::kNoMagicLinks;
  if (how.resolve & RESOLVE_NO_SYMLINKS) resolve |= vfs::kNoSymlinks;
  if (how.resolve & RESOLVE_BENEATH) resolve |= vfs::kBeneath;
  if (how.resolve & RESOLVE_IN_ROOT) resolve |= vfs::kInRoot;
  if (how.resolve & RESOLVE_CACHED) return Errno(EAGAIN);
  // BENEATH and IN_ROOT are relative to dirfd even for absolute paths.
  if (resolve & (vfs::kBeneath | vfs::kInRoot)) {
    ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(1)));
    vfs::Path base;
    if (a.Int(0) == kAtFdcwd) {
      base = t.cwd();
    } else {
      auto f = t.fds().Get(a.Int(0));
      if (!f) return Errno(EBADF);
      base = f->path();
      if (!base.valid() || !base.dentry->inode()->is_dir()) return Errno(ENOTDIR);
    }
    return InstallFile(t, Vfs(t).Open(t, vfs::Start{base}, path, flags & ~O_LARGEFILE,
                                      static_cast<uint32_t>(how.mode), resolve),
                       flags);
  }
  return DoOpen(t, a.Int(0), a.Addr(1), flags, static_cast<uint32_t>(how.mode), resolve);
}

// ---- stat ----

namespace {

SyscallResult StatOut(Task& t, const vfs::Path& p, mm::UserAddr out) {
  ASSIGN_OR_RETURN_ERRNO(L::Stat st, p.dentry->inode()->Stat());
  return t.CopyOutObj(out, st);
}

}  // namespace

SyscallResult SysStat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), 0));
  return StatOut(t, p, a.Addr(1));
}

SyscallResult SysLstat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), L::kAT_SYMLINK_NOFOLLOW));
  return StatOut(t, p, a.Addr(1));
}

SyscallResult SysNewfstatat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(3);
  if (flags & ~(L::kAT_EMPTY_PATH | L::kAT_SYMLINK_NOFOLLOW | L::kAT_NO_AUTOMOUNT)) {
    return Errno(EINVAL);
  }
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(1)));
  if (path.empty() && (flags & L::kAT_EMPTY_PATH)) {
    // fstat of dirfd (any file, including pipes).
    if (a.Int(0) == kAtFdcwd) {
      vfs::Path cwd = t.cwd();
      return StatOut(t, cwd, a.Addr(2));
    }
    auto f = t.fds().Get(a.Int(0));
    if (!f) return Errno(EBADF);
    ASSIGN_OR_RETURN_ERRNO(L::Stat st, StatFile(*f));
    return t.CopyOutObj(a.Addr(2), st);
  }
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, a.Int(0), a.Addr(1), flags));
  return StatOut(t, p, a.Addr(2));
}

SyscallResult SysStatx(Task& t, const SyscallArgs& a) {
  int flags = a.Int(2);
  uint32_t mask = a.Uint(3);
  constexpr int kSyncMask = 0x6000;  // AT_STATX_SYNC_TYPE
  if (flags & ~(L::kAT_EMPTY_PATH | L::kAT_SYMLINK_NOFOLLOW | L::kAT_NO_AUTOMOUNT | kSyncMask)) {
    return Errno(EINVAL);
  }
  if ((flags & kSyncMask) == kSyncMask) return Errno(EINVAL);
  if (mask & 0x80000000u) return Errno(EINVAL);  // STATX__RESERVED
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(1)));
  L::Stat st;
  if (path.empty() && (flags & L::kAT_EMPTY_PATH) && a.Int(0) != kAtFdcwd) {
    auto f = t.fds().Get(a.Int(0));
    if (!f) return Errno(EBADF);
    ASSIGN_OR_RETURN_ERRNO(st, StatFile(*f));
  } else {
    ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, a.Int(0), a.Addr(1), flags));
    ASSIGN_OR_RETURN_ERRNO(st, p.dentry->inode()->Stat());
  }
  L::Statx sx{};
  sx.stx_mask = 0x7ff;  // STATX_BASIC_STATS
  sx.stx_blksize = static_cast<uint32_t>(st.st_blksize);
  sx.stx_nlink = static_cast<uint32_t>(st.st_nlink);
  sx.stx_uid = st.st_uid;
  sx.stx_gid = st.st_gid;
  sx.stx_mode = static_cast<uint16_t>(st.st_mode);
  sx.stx_ino = st.st_ino;
  sx.stx_size = st.st_size;
  sx.stx_blocks = st.st_blocks;
  sx.stx_atime = {st.st_atim.tv_sec, static_cast<uint32_t>(st.st_atim.tv_nsec), 0};
  sx.stx_mtime = {st.st_mtim.tv_sec, static_cast<uint32_t>(st.st_mtim.tv_nsec), 0};
  sx.stx_ctime = {st.st_ctim.tv_sec, static_cast<uint32_t>(st.st_ctim.tv_nsec), 0};
  sx.stx_rdev_major = static_cast<uint32_t>((st.st_rdev >> 8) & 0xfff);
  sx.stx_rdev_minor = static_cast<uint32_t>((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & 0xfff00));
  sx.stx_dev_major = static_cast<uint32_t>((st.st_dev >> 8) & 0xfff);
  sx.stx_dev_minor = static_cast<uint32_t>((st.st_dev & 0xff) | ((st.st_dev >> 12) & 0xfff00));
  return t.CopyOutObj(a.Addr(4), sx);
}

// ---- access ----

namespace {

SyscallResult DoAccess(Task& t, int dirfd, mm::UserAddr path, int mode, int flags) {
  if (mode & ~7) return Errno(EINVAL);
  if (flags & ~(L::kAT_EACCESS | L::kAT_SYMLINK_NOFOLLOW | L::kAT_EMPTY_PATH)) {
    return Errno(EINVAL);
  }
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, dirfd, path, flags));
  RETURN_IF_ERRNO(Vfs(t).Access(t, p, mode, flags & L::kAT_EACCESS));
  return 0;
}

}  // namespace

SyscallResult SysAccess(Task& t, const SyscallArgs& a) {
  return DoAccess(t, kAtFdcwd, a.Addr(0), a.Int(1), 0);
}
SyscallResult SysFaccessat(Task& t, const SyscallArgs& a) {
  return DoAccess(t, a.Int(0), a.Addr(1), a.Int(2), 0);
}
SyscallResult SysFaccessat2(Task& t, const SyscallArgs& a) {
  return DoAccess(t, a.Int(0), a.Addr(1), a.Int(2), a.Int(3));
}

// ---- directories ----

namespace {

// Appends one linux_dirent64 (or, old style, linux_dirent) to buf.
bool PackDirent(std::vector<uint8_t>& buf, size_t cap, const vfs::Dirent& d, int64_t next,
                bool is64) {
  size_t namelen = d.name.size();
  size_t reclen = is64 ? (19 + namelen + 1 + 7) & ~size_t{7} : (18 + namelen + 2 + 7) & ~size_t{7};
  if (buf.size() + reclen > cap) return false;
  size_t at = buf.size();
  buf.resize(at + reclen, 0);
  uint8_t* p = buf.data() + at;
  uint64_t ino = d.ino;
  std::memcpy(p, &ino, 8);
  std::memcpy(p + 8, &next, 8);
  uint16_t rl = static_cast<uint16_t>(reclen);
  std::memcpy(p + 16, &rl, 2);
  if (is64) {
    p[18] = d.type;
    std::memcpy(p + 19, d.name.data(), namelen);
  } else {
    std::memcpy(p + 18, d.name.data(), namelen);
    p[reclen - 1] = d.type;  // d_type is the record's last byte
  }
  return true;
}

SyscallResult DoGetdents(Task& t, const SyscallArgs& a, bool is64) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  size_t cap = std::min<uint64_t>(a[2], 1 << 20);
  std::vector<uint8_t> buf;
  buf.reserve(std::min<size_t>(cap, 64 << 10));
  bool any = false, too_small = false;
  RETURN_IF_ERRNO(f->Getdents(t, [&](const vfs::Dirent& d, int64_t next) {
    if (!PackDirent(buf, cap, d, next, is64)) {
      too_small = !any;
      return false;
    }
    any = true;
    return true;
  }));
  if (too_small) return Errno(EINVAL);
  if (buf.empty()) return 0;
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(1), buf.data(), buf.size()));
  if (n != buf.size()) return Errno(EFAULT);
  return static_cast<uint64_t>(n);
}

}  // namespace

SyscallResult SysGetdents(Task& t, const SyscallArgs& a) { return DoGetdents(t, a, false); }
SyscallResult SysGetdents64(Task& t, const SyscallArgs& a) { return DoGetdents(t, a, true); }

SyscallResult SysMkdirat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(1)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, a.Int(0), path));
  RETURN_IF_ERRNO(Vfs(t).Mkdir(t, s, path, a.Uint(2)));
  return 0;
}
SyscallResult SysMkdir(Task& t, const SyscallArgs& a) {
  return SysMkdirat(t, SyscallArgs{{static_cast<uint64_t>(kAtFdcwd), a[0], a[1], 0, 0, 0}});
}

SyscallResult SysMknodat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(1)));
  uint32_t mode = a.Uint(2);
  uint32_t type = mode & S_IFMT;
  if (type == 0) type = S_IFREG;
  if (type == S_IFDIR) return Errno(EPERM);
  if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK && type != S_IFCHR &&
      type != S_IFBLK) {
    return Errno(EINVAL);
  }
  if ((type == S_IFCHR || type == S_IFBLK) && !t.creds().HasCapability(27 /* CAP_MKNOD */)) {
    return Errno(EPERM);
  }
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, a.Int(0), path));
  // The dev_t argument is the 32-bit old encoding (major << 8 | minor, with
  // high minor bits above).
  uint32_t dev = a.Uint(3);
  uint64_t rdev = vfs::MakeDev((dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00));
  RETURN_IF_ERRNO(Vfs(t).Mknod(t, s, path, type | (mode & 07777), rdev));
  return 0;
}
SyscallResult SysMknod(Task& t, const SyscallArgs& a) {
  return SysMknodat(t, SyscallArgs{{static_cast<uint64_t>(kAtFdcwd), a[0], a[1], a[2], 0, 0}});
}

SyscallResult SysRmdir(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, kAtFdcwd, path));
  RETURN_IF_ERRNO(Vfs(t).Rmdir(t, s, path));
  return 0;
}

SyscallResult SysUnlinkat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(2);
  if (flags & ~L::kAT_REMOVEDIR) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(1)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, a.Int(0), path));
  if (flags & L::kAT_REMOVEDIR) {
    RETURN_IF_ERRNO(Vfs(t).Rmdir(t, s, path));
  } else {
    RETURN_IF_ERRNO(Vfs(t).Unlink(t, s, path));
  }
  return 0;
}
SyscallResult SysUnlink(Task& t, const SyscallArgs& a) {
  return SysUnlinkat(t, SyscallArgs{{static_cast<uint64_t>(kAtFdcwd), a[0], 0, 0, 0, 0}});
}

SyscallResult SysSymlinkat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string target, PathArg(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(2)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, a.Int(1), path));
  RETURN_IF_ERRNO(Vfs(t).Symlink(t, target, s, path));
  return 0;
}
SyscallResult SysSymlink(Task& t, const SyscallArgs& a) {
  return SysSymlinkat(t, SyscallArgs{{a[0], static_cast<uint64_t>(kAtFdcwd), a[1], 0, 0, 0}});
}

SyscallResult SysLinkat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(4);
  if (flags & ~(L::kAT_SYMLINK_FOLLOW | L::kAT_EMPTY_PATH)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(std::string old_path, PathArg(t, a.Addr(1)));
  ASSIGN_OR_RETURN_ERRNO(std::string new_path, PathArg(t, a.Addr(3)));
  bool empty = flags & L::kAT_EMPTY_PATH;
  if (empty && !t.creds().HasCapability(2 /* CAP_DAC_READ_SEARCH */)) return Errno(ENOENT);
  ASSIGN_OR_RETURN_ERRNO(vfs::Start os, StartAt(t, a.Int(0), old_path, empty));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start ns, StartAt(t, a.Int(2), new_path));
  int rf = (flags & L::kAT_SYMLINK_FOLLOW) ? vfs::kFollow : 0;
  if (empty) rf |= vfs::kEmptyPath;
  RETURN_IF_ERRNO(Vfs(t).Link(t, os, old_path, rf, ns, new_path));
  return 0;
}
SyscallResult SysLink(Task& t, const SyscallArgs& a) {
  return SysLinkat(t, SyscallArgs{{static_cast<uint64_t>(kAtFdcwd), a[0],
                                   static_cast<uint64_t>(kAtFdcwd), a[1], 0, 0}});
}

SyscallResult SysRenameat2(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string old_path, PathArg(t, a.Addr(1)));
  ASSIGN_OR_RETURN_ERRNO(std::string new_path, PathArg(t, a.Addr(3)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start os, StartAt(t, a.Int(0), old_path));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start ns, StartAt(t, a.Int(2), new_path));
  RETURN_IF_ERRNO(Vfs(t).Rename(t, os, old_path, ns, new_path, a.Uint(4)));
  return 0;
}
SyscallResult SysRenameat(Task& t, const SyscallArgs& a) {
  return SysRenameat2(t, SyscallArgs{{a[0], a[1], a[2], a[3], 0, 0}});
}
SyscallResult SysRename(Task& t, const SyscallArgs& a) {
  return SysRenameat2(t, SyscallArgs{{static_cast<uint64_t>(kAtFdcwd), a[0],
                                      static_cast<uint64_t>(kAtFdcwd), a[1], 0, 0}});
}

// ---- readlink ----

namespace {

SyscallResult DoReadlink(Task& t, int dirfd, mm::UserAddr path_addr, mm::UserAddr buf,
                         int64_t size) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, path_addr));
  if (size <= 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p,
                         ResolveAt(t, dirfd, mm::UserAddr(path_addr),
                                   L::kAT_SYMLINK_NOFOLLOW | (path.empty() ? L::kAT_EMPTY_PATH : 0)));
  vfs::Inode& in = *p.dentry->inode();
  if (!in.is_symlink()) return Errno(path.empty() ? ENOENT : EINVAL);
  ASSIGN_OR_RETURN_ERRNO(std::string target, in.Readlink(t));
  size_t n = std::min<size_t>(target.size(), static_cast<size_t>(size));
  return t.CopyOut(buf, target.data(), n);
}

}  // namespace

SyscallResult SysReadlink(Task& t, const SyscallArgs& a) {
  return DoReadlink(t, kAtFdcwd, a.Addr(0), a.Addr(1), a.Long(2));
}
SyscallResult SysReadlinkat(Task& t, const SyscallArgs& a) {
  return DoReadlink(t, a.Int(0), a.Addr(1), a.Addr(2), a.Long(3));
}

// ---- attributes ----

namespace {

SyscallResult SetAttrAt(Task& t, const vfs::Path& p, const vfs::SetAttrArgs& args) {
  RETURN_IF_ERRNO(Vfs(t).SetAttr(t, p, args));
  return 0;
}

ErrnoOr<vfs::Path> FdPath(Task& t, int fd, bool allow_opath = false) {
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  if ((f->flags() & O_PATH) && !allow_opath) return Errno(EBADF);
  if (!f->path().valid()) return Errno(EINVAL);
  return f->path();
}

vfs::SetAttrArgs ModeArgs(uint32_t mode) {
  vfs::SetAttrArgs s;
  s.mask = vfs::SetAttrArgs::kMode;
  s.mode = mode & 07777;
  return s;
}

vfs::SetAttrArgs OwnerArgs(uint32_t uid, uint32_t gid) {
  vfs::SetAttrArgs s;
  s.mask = vfs::SetAttrArgs::kChown;
  if (uid != ~0u) {
    s.mask |= vfs::SetAttrArgs::kUid;
    s.uid = uid;
  }
  if (gid != ~0u) {
    s.mask |= vfs::SetAttrArgs::kGid;
    s.gid = gid;
  }
  return s;
}

}  // namespace

SyscallResult SysChmod(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), 0));
  return SetAttrAt(t, p, ModeArgs(a.Uint(1)));
}
SyscallResult SysFchmod(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, FdPath(t, a.Int(0)));
  return SetAttrAt(t, p, ModeArgs(a.Uint(1)));
}
SyscallResult SysFchmodat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, a.Int(0), a.Addr(1), 0));
  return SetAttrAt(t, p, ModeArgs(a.Uint(2)));
}

SyscallResult SysChown(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), 0));
  return SetAttrAt(t, p, OwnerArgs(a.Uint(1), a.Uint(2)));
}
SyscallResult SysLchown(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), L::kAT_SYMLINK_NOFOLLOW));
  return SetAttrAt(t, p, OwnerArgs(a.Uint(1), a.Uint(2)));
}
SyscallResult SysFchown(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, FdPath(t, a.Int(0)));
  return SetAttrAt(t, p, OwnerArgs(a.Uint(1), a.Uint(2)));
}
SyscallResult SysFchownat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(4);
  if (flags & ~(L::kAT_SYMLINK_NOFOLLOW | L::kAT_EMPTY_PATH)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, a.Int(0), a.Addr(1), flags));
  return SetAttrAt(t, p, OwnerArgs(a.Uint(2), a.Uint(3)));
}

SyscallResult SysTruncate(Task& t, const SyscallArgs& a) {
  if (a.Long(1) < 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), 0));
  vfs::Inode& in = *p.dentry->inode();
  if (in.is_dir()) return Errno(EISDIR);
  if (!in.is_regular()) return Errno(EINVAL);
  RETURN_IF_ERRNO(in.CheckPermission(t, vfs::kMayWrite));
  vfs::SetAttrArgs s;
  s.mask = vfs::SetAttrArgs::kSize;
  s.size = a[1];
  return SetAttrAt(t, p, s);
}

SyscallResult SysFtruncate(Task& t, const SyscallArgs& a) {
  if (a.Long(1) < 0) return Errno(EINVAL);
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  if (!f->writable()) return Errno(f->path().valid() ? EINVAL : EBADF);
  vfs::Inode* in = f->inode();
  if (in == nullptr || !in->is_regular()) return Errno(EINVAL);
  if (f->flags() & O_APPEND) {
    // Linux allows it; nothing special.
  }
  RETURN_IF_ERRNO(f->Truncate(a[1]));
  return 0;
}

SyscallResult SysFallocate(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  int64_t off = a.Long(2), len = a.Long(3);
  if (off < 0 || len <= 0) return Errno(EINVAL);
  if (!f->writable()) return Errno(EBADF);
  vfs::Inode* in = f->inode();
  if (in == nullptr) return Errno(ESPIPE);
  if (in->is_dir()) return Errno(EISDIR);
  if (!in->is_regular()) return Errno(ENODEV);
  RETURN_IF_ERRNO(f->Allocate(a.Int(1), off, len));
  return 0;
}

namespace {

// Resolves a timespec pair (utimensat's UTIME_NOW/UTIME_OMIT) into args,
// with the permission rule: explicit times need ownership; "now" for both
// needs ownership or write access.
SyscallResult DoUtimes(Task& t, const vfs::Path& p, const L::Timespec* times) {
  vfs::SetAttrArgs s;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  L::Timespec nowl{now.tv_sec, now.tv_nsec};
  bool explicit_time = false;
  auto apply = [&](const L::Timespec* ts, uint32_t bit, L::Timespec* out) -> ErrnoOrVoid {
    if (ts == nullptr) {
      s.mask |= bit;
      *out = nowl;
      return {};
    }
    if (ts->tv_nsec == L::kUTIME_OMIT) return {};
    if (ts->tv_nsec == L::kUTIME_NOW) {
      s.mask |= bit;
      *out = nowl;
      return {};
    }
    if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) return Errno(EINVAL);
    s.mask |= bit;
    *out = *ts;
    explicit_time = true;
    return {};
  };
  RETURN_IF_ERRNO(apply(times ? &times[0] : nullptr, vfs::SetAttrArgs::kAtime, &s.atime));
  RETURN_IF_ERRNO(apply(times ? &times[1] : nullptr, vfs::SetAttrArgs::kMtime, &s.mtime));
  if (s.mask == 0) return 0;
  RETURN_IF_ERRNO(vfs::Vfs::CheckWritable(p));
  ASSIGN_OR_RETURN_ERRNO(L::Stat st, p.dentry->inode()->Stat());
  auth::Credentials c = t.creds();
  bool owner = c.fsuid == st.st_uid || c.HasCapability(3 /* CAP_FOWNER */);
  if (explicit_time && !owner) return Errno(EPERM);
  if (!owner) {
    auto w = p.dentry->inode()->CheckPermission(t, vfs::kMayWrite);
    if (!w.ok()) return Errno(EACCES);
  }
  s.mask |= vfs::SetAttrArgs::kCtime;
  // Time changes carry their own permission rule (above); the generic
  // ownership check in Vfs::SetAttr is for modes and owners.
  RETURN_IF_ERRNO(p.dentry->inode()->SetAttr(t, s));
  return 0;
}

}  // namespace

SyscallResult SysUtimensat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(3);
  if (flags & ~(L::kAT_SYMLINK_NOFOLLOW | L::kAT_EMPTY_PATH)) return Errno(EINVAL);
  L::Timespec times[2];
  bool have = !a.Addr(2).IsNull();
  if (have) RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &times));
  vfs::Path p;
  if (a.Addr(1).IsNull()) {
    // futimens: the fd itself.
    ASSIGN_OR_RETURN_ERRNO(p, FdPath(t, a.Int(0)));
  } else {
    ASSIGN_OR_RETURN_ERRNO(p, ResolveAt(t, a.Int(0), a.Addr(1), flags));
  }
  return DoUtimes(t, p, have ? times : nullptr);
}

SyscallResult SysFutimesat(Task& t, const SyscallArgs& a) {
  L::Timespec times[2];
  bool have = !a.Addr(2).IsNull();
  if (have) {
    L::Timeval tv[2];
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &tv));
    for (int i = 0; i < 2; ++i) {
      if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) return Errno(EINVAL);
      times[i] = {tv[i].tv_sec, tv[i].tv_usec * 1000};
    }
  }
  vfs::Path p;
  if (a.Addr(1).IsNull()) {
    ASSIGN_OR_RETURN_ERRNO(p, FdPath(t, a.Int(0)));
  } else {
    ASSIGN_OR_RETURN_ERRNO(p, ResolveAt(t, a.Int(0), a.Addr(1), 0));
  }
  return DoUtimes(t, p, have ? times : nullptr);
}

SyscallResult SysUtimes(Task& t, const SyscallArgs& a) {
  return SysFutimesat(t, SyscallArgs{{static_cast<uint64_t>(kAtFdcwd), a[0], a[1], 0, 0, 0}});
}

SyscallResult SysUtime(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), 0));
  if (a.Addr(1).IsNull()) return DoUtimes(t, p, nullptr);
  struct {
    int64_t actime, modtime;
  } ub;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &ub));
  L::Timespec times[2] = {{ub.actime, 0}, {ub.modtime, 0}};
  return DoUtimes(t, p, times);
}

// ---- cwd and root ----

SyscallResult SysChdir(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, kAtFdcwd, path));
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, Vfs(t).Resolve(t, s, path, vfs::kFollow | vfs::kDirectory));
  RETURN_IF_ERRNO(p.dentry->inode()->CheckPermission(t, vfs::kMayExec));
  absl::MutexLock l(&t.fs().mu);
  t.fs().cwd = std::move(p);
  return 0;
}

SyscallResult SysFchdir(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, FdPath(t, a.Int(0), /*allow_opath=*/true));
  if (!p.dentry->inode()->is_dir()) return Errno(ENOTDIR);
  RETURN_IF_ERRNO(p.dentry->inode()->CheckPermission(t, vfs::kMayExec));
  absl::MutexLock l(&t.fs().mu);
  t.fs().cwd = std::move(p);
  return 0;
}

SyscallResult SysChroot(Task& t, const SyscallArgs& a) {
  if (!t.creds().HasCapability(18 /* CAP_SYS_CHROOT */)) return Errno(EPERM);
  ASSIGN_OR_RETURN_ERRNO(std::string path, PathArg(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Start s, StartAt(t, kAtFdcwd, path));
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, Vfs(t).Resolve(t, s, path, vfs::kFollow | vfs::kDirectory));
  RETURN_IF_ERRNO(p.dentry->inode()->CheckPermission(t, vfs::kMayExec));
  absl::MutexLock l(&t.fs().mu);
  t.fs().root = std::move(p);
  return 0;
}

SyscallResult SysGetcwd(Task& t, const SyscallArgs& a) {
  bool reachable = true;
  ASSIGN_OR_RETURN_ERRNO(std::string cwd, Vfs(t).Getcwd(t.root(), t.cwd(), &reachable));
  if (!reachable) cwd = "(unreachable)" + cwd;
  uint64_t size = a[1];
  if (size < cwd.size() + 1) return Errno(ERANGE);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(0), cwd.c_str(), cwd.size() + 1));
  if (n != cwd.size() + 1) return Errno(EFAULT);
  return static_cast<uint64_t>(n);
}

// ---- sync ----

SyscallResult SysFsync(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  if (!f->path().valid()) return Errno(EINVAL);
  RETURN_IF_ERRNO(f->Sync());
  return 0;
}

SyscallResult SysSync(Task&, const SyscallArgs&) {
  // Data written through the gofer's donated fds is in the host's page
  // cache already; the sandbox has nothing of its own to flush.
  return 0;
}

SyscallResult SysSyncfs(Task& t, const SyscallArgs& a) {
  if (!t.fds().Get(a.Int(0))) return Errno(EBADF);
  return 0;
}

// ---- statfs ----

namespace {

SyscallResult StatfsOut(Task& t, const vfs::Path& p, mm::UserAddr out) {
  ASSIGN_OR_RETURN_ERRNO(vfs::StatFs s, p.dentry->inode()->fs().Statfs());
  L::Statfs st{};
  st.f_type = s.type;
  st.f_bsize = s.bsize;
  st.f_blocks = s.blocks;
  st.f_bfree = s.bfree;
  st.f_bavail = s.bavail;
  st.f_files = s.files;
  st.f_ffree = s.ffree;
  st.f_namelen = s.namelen;
  st.f_frsize = s.frsize;
  // ST_RDONLY, ST_NOSUID, ST_NODEV and ST_NOEXEC have the mount flags'
  // values; read-only if the mount or its file system is.
  st.f_flags = s.flags | p.mount->flags() | (p.mount->fs().read_only() ? 1 /* ST_RDONLY */ : 0);
  uint64_t dev = p.dentry->inode()->fs().dev();
  st.f_fsid[0] = static_cast<int32_t>(dev & 0xffffffff);
  st.f_fsid[1] = static_cast<int32_t>(dev >> 32);
  return t.CopyOutObj(out, st);
}

}  // namespace

SyscallResult SysStatfs(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, ResolveAt(t, kAtFdcwd, a.Addr(0), 0));
  return StatfsOut(t, p, a.Addr(1));
}

SyscallResult SysFstatfs(Task& t, const SyscallArgs& a) {
  auto f = t.fds().Get(a.Int(0));
  if (!f) return Errno(EBADF);
  if (!f->path().valid()) {
    // Pipes and host files: pipefs-like answers.
    L::Statfs st{};
    st.f_type = 0x50495045;  // PIPEFS_MAGIC
    st.f_bsize = 4096;
    st.f_namelen = 255;
    st.f_frsize = 4096;
    return t.CopyOutObj(a.Addr(1), st);
  }
  return StatfsOut(t, f->path(), a.Addr(1));
}

// ---- extended attributes ----

namespace {

enum class XattrTarget { kFollow, kNoFollow, kFd };

ErrnoOr<vfs::Path> XattrPath(Task& t, XattrTarget how, uint64_t arg) {
  if (how == XattrTarget::kFd) return FdPath(t, static_cast<int>(arg));
  return ResolveAt(t, kAtFdcwd, mm::UserAddr(arg),
                   how == XattrTarget::kNoFollow ? L::kAT_SYMLINK_NOFOLLOW : 0);
}

ErrnoOr<std::string> XattrName(Task& t, mm::UserAddr addr) {
  auto name = t.CopyInString(addr, kXattrNameMax + 1);
  if (!name.ok()) return name.error() == Errno(ENAMETOOLONG) ? Errno(ERANGE) : name.error();
  if (name->empty() || name->size() > kXattrNameMax) return Errno(ERANGE);
  return name;
}

// Names outside the namespaces a sandbox offers are not supported.
ErrnoOrVoid CheckXattrNamespace(const std::string& name) {
  for (const char* ns : {"user.", "trusted.", "security.", "system."}) {
    if (name.rfind(ns, 0) == 0) return {};
  }
  return Errno(EOPNOTSUPP);
}

SyscallResult DoGetxattr(Task& t, XattrTarget how, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, XattrPath(t, how, a[0]));
  ASSIGN_OR_RETURN_ERRNO(std::string name, XattrName(t, a.Addr(1)));
  RETURN_IF_ERRNO(CheckXattrNamespace(name));
  vfs::Inode& in = *p.dentry->inode();
  RETURN_IF_ERRNO(in.CheckPermission(t, vfs::kMayRead));
  ASSIGN_OR_RETURN_ERRNO(std::string value, in.GetXattr(t, name));
  uint64_t size = a[3];
  if (size == 0) return value.size();
  if (value.size() > size) return Errno(ERANGE);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(2), value.data(), value.size()));
  if (n != value.size()) return Errno(EFAULT);
  return value.size();
}

SyscallResult DoSetxattr(Task& t, XattrTarget how, const SyscallArgs& a) {
  int flags = a.Int(4);
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, XattrPath(t, how, a[0]));
  ASSIGN_OR_RETURN_ERRNO(std::string name, XattrName(t, a.Addr(1)));
  RETURN_IF_ERRNO(CheckXattrNamespace(name));
  uint64_t size = a[3];
  if (size > kXattrSizeMax) return Errno(E2BIG);
  std::string value(size, '\0');
  if (size > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(a.Addr(2), value.data(), size));
    if (n != size) return Errno(EFAULT);
  }
  RETURN_IF_ERRNO(vfs::Vfs::CheckWritable(p));
  vfs::Inode& in = *p.dentry->inode();
  if (name.rfind("user.", 0) == 0 && !in.is_regular() && !in.is_dir()) return Errno(EPERM);
  if (name.rfind("trusted.", 0) == 0 && !t.creds().HasCapability(21 /* CAP_SYS_ADMIN */)) {
    return Errno(EPERM);
  }
  RETURN_IF_ERRNO(in.CheckPermission(t, vfs::kMayWrite));
  RETURN_IF_ERRNO(in.SetXattr(t, name, value, flags));
  return 0;
}

SyscallResult DoListxattr(Task& t, XattrTarget how, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, XattrPath(t, how, a[0]));
  ASSIGN_OR_RETURN_ERRNO(std::vector<std::string> names, p.dentry->inode()->ListXattr(t));
  std::string buf;
  for (const auto& n : names) {
    if (n.rfind("trusted.", 0) == 0 && !t.creds().HasCapability(21)) continue;
    buf.append(n);
    buf.push_back('\0');
  }
  uint64_t size = a[2];
  if (size == 0) return buf.size();
  if (buf.size() > size) return Errno(ERANGE);
  if (buf.size() > kXattrListMax) return Errno(E2BIG);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(1), buf.data(), buf.size()));
  if (n != buf.size()) return Errno(EFAULT);
  return buf.size();
}

SyscallResult DoRemovexattr(Task& t, XattrTarget how, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, XattrPath(t, how, a[0]));
  ASSIGN_OR_RETURN_ERRNO(std::string name, XattrName(t, a.Addr(1)));
  RETURN_IF_ERRNO(CheckXattrNamespace(name));
  RETURN_IF_ERRNO(vfs::Vfs::CheckWritable(p));
  vfs::Inode& in = *p.dentry->inode();
  RETURN_IF_ERRNO(in.CheckPermission(t, vfs::kMayWrite));
  RETURN_IF_ERRNO(in.RemoveXattr(t, name));
  return 0;
}

}  // namespace

SyscallResult SysGetxattr(Task& t, const SyscallArgs& a) {
  return DoGetxattr(t, XattrTarget::kFollow, a);
}
SyscallResult SysLgetxattr(Task& t, const SyscallArgs& a) {
  return DoGetxattr(t, XattrTarget::kNoFollow, a);
}
SyscallResult SysFgetxattr(Task& t, const SyscallArgs& a) {
  return DoGetxattr(t, XattrTarget::kFd, a);
}
SyscallResult SysSetxattr(Task& t, const SyscallArgs& a) {
  return DoSetxattr(t, XattrTarget::kFollow, a);
}
SyscallResult SysLsetxattr(Task& t, const SyscallArgs& a) {
  return DoSetxattr(t, XattrTarget::kNoFollow, a);
}
SyscallResult SysFsetxattr(Task& t, const SyscallArgs& a) {
  return DoSetxattr(t, XattrTarget::kFd, a);
}
SyscallResult SysListxattr(Task& t, const SyscallArgs& a) {
  return DoListxattr(t, XattrTarget::kFollow, a);
}
SyscallResult SysLlistxattr(Task& t, const SyscallArgs& a) {
  return DoListxattr(t, XattrTarget::kNoFollow, a);
}
SyscallResult SysFlistxattr(Task& t, const SyscallArgs& a) {
  return DoListxattr(t, XattrTarget::kFd, a);
}
SyscallResult SysRemovexattr(Task& t, const SyscallArgs& a) {
  return DoRemovexattr(t, XattrTarget::kFollow, a);
}
SyscallResult SysLremovexattr(Task& t, const SyscallArgs& a) {
  return DoRemovexattr(t, XattrTarget::kNoFollow, a);
}
SyscallResult SysFremovexattr(Task& t, const SyscallArgs& a) {
  return DoRemovexattr(t, XattrTarget::kFd, a);
}

// ---- memfd_create ----

namespace {

// The internal tmpfs memfds live on, as Linux keeps them on its own
// internal shm mount.
struct MemfdMount {
  std::shared_ptr<fsimpl::tmpfs::TmpfsFilesystem> fs;
  std::shared_ptr<vfs::Mount> mount;
  std::shared_ptr<vfs::Inode> root;
};

MemfdMount& Memfds(Task& t) {
  static MemfdMount* m = [&] {
    auto* mm = new MemfdMount;
    mm->fs = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(
        t.kernel().memory_file(), fsimpl::tmpfs::TmpfsOptions{.mode = 01777});
    mm->root = fsimpl::tmpfs::NewRoot(*mm->fs);
    auto d = std::make_shared<vfs::Dentry>(mm->root, "/", nullptr);
    mm->mount = std::make_shared<vfs::Mount>(0, mm->fs, d, 0, "memfd", "");
    return mm;
  }();
  return *m;
}

}  // namespace

SyscallResult SysMemfdCreate(Task& t, const SyscallArgs& a) {
  constexpr uint32_t kCloexec = 1, kAllowSealing = 2, kHugetlb = 4, kNoexecSeal = 8, kExec = 16;
  uint32_t flags = a.Uint(1);
  if (flags & ~(kCloexec | kAllowSealing | kHugetlb | kNoexecSeal | kExec)) return Errno(EINVAL);
  if ((flags & kNoexecSeal) && (flags & kExec)) return Errno(EINVAL);
  if (flags & kHugetlb) return Errno(EINVAL);  // no huge page pool
  auto name = t.CopyInString(a.Addr(0), 250);
  if (!name.ok()) return name.error() == Errno(ENAMETOOLONG) ? Errno(EINVAL) : name.error();
  MemfdMount& m = Memfds(t);
  static std::atomic<uint64_t> seq{0};
  std::string internal = absl::StrCat("memfd-", seq.fetch_add(1));
  auth::Credentials c = t.creds();
  vfs::CreateArgs args{.mode = S_IFREG | 0777, .rdev = 0, .uid = c.fsuid, .gid = c.fsgid};
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> in, m.root->Create(t, internal, args));
  RETURN_IF_ERRNO(m.root->Unlink(t, internal, *in));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::FileDescription> f,
                         in->Open(t, O_RDWR | O_LARGEFILE));
  auto d = std::make_shared<vfs::Dentry>(in, "memfd:" + *name, m.mount->root());
  d->set_deleted();
  f->set_path(vfs::Path{m.mount, d});
  return t.fds().Install(std::move(f), 0, flags & kCloexec, NofileLimit(t));
}

}  // namespace sentry::syscalls
