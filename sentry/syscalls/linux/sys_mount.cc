// mount(2) and umount2(2) over the sentry's single mount namespace: bind
// mounts (MS_BIND, MS_REC), remounts (MS_REMOUNT with and without MS_BIND),
// MS_MOVE, and new mounts of the types fs_types.cc makes. There are no
// other mount namespaces and so no propagation peers: MS_SHARED, MS_SLAVE,
// MS_PRIVATE and MS_UNBINDABLE are checked as Linux checks them and change
// nothing.
#include <cstring>
#include <optional>

#include "abi/linux/capability.h"
#include "abi/linux/limits.h"
#include "abi/linux/mount.h"
#include "sentry/kernel/kernel.h"
#include "sentry/syscalls/linux/fs_types.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

constexpr size_t kPage = 4096;

// A string argument that may be NULL (mount's source and type), as Linux's
// copy_mount_string: EINVAL when longer than PATH_MAX.
ErrnoOr<std::optional<std::string>> OptionalString(Task& t, mm::UserAddr addr) {
  if (addr.value() == 0) return std::optional<std::string>();
  auto s = t.CopyInString(addr, L::kPATH_MAX);
  if (!s.ok()) return s.error().value() == ENAMETOOLONG ? Errno(EINVAL) : s.error();
  return std::optional<std::string>(std::move(s).value());
}

// mount's data: up to a page (less one byte, the terminator Linux puts
// there), cut at the first NUL; a fault past the first page boundary just
// ends it, as copy_mount_options copies what it can.
ErrnoOr<std::optional<std::string>> MountData(Task& t, mm::UserAddr addr) {
  if (addr.value() == 0) return std::optional<std::string>();
  std::string out;
  uint64_t cursor = addr.value();
  char buf[kPage];
  while (out.size() < kPage - 1) {
    size_t chunk = std::min<uint64_t>(kPage - 1 - out.size(), kPage - (cursor % kPage));
    auto n = t.CopyIn(mm::UserAddr(cursor), buf, chunk);
    if (!n.ok() || *n == 0) {
      if (out.empty()) return Errno(EFAULT);
      break;
    }
    size_t len = strnlen(buf, *n);
    out.append(buf, len);
    if (len < *n || *n < chunk) break;
    cursor += chunk;
  }
  return std::optional<std::string>(std::move(out));
}

// Where a path argument starts: the root for absolute paths, else the cwd.
vfs::Start StartOf(Task& t, const std::string& path) {
  return vfs::Start{!path.empty() && path[0] == '/' ? t.root() : t.cwd()};
}

ErrnoOr<vfs::Path> ResolvePath(Task& t, const std::string& path, int flags) {
  if (path.empty()) return Errno(ENOENT);
  vfs::Start s = StartOf(t, path);
  return t.kernel().vfs().Resolve(t, s, path, flags);
}

// The per-mount flags of MS_* flags.
uint32_t MountFlagsOf(uint64_t ms) {
  uint32_t f = 0;
  if (ms & L::kMS_RDONLY) f |= vfs::kMountReadOnly;
  if (ms & L::kMS_NOSUID) f |= vfs::kMountNoSuid;
  if (ms & L::kMS_NODEV) f |= vfs::kMountNoDev;
  if (ms & L::kMS_NOEXEC) f |= vfs::kMountNoExec;
  return f;
}

constexpr uint64_t kPropagation = L::kMS_SHARED | L::kMS_PRIVATE | L::kMS_SLAVE | L::kMS_UNBINDABLE;

bool MayMount(Task& t) { return t.creds().HasCapability(L::kCAP_SYS_ADMIN); }

}  // namespace

// mount(2)
SyscallResult SysMount(Task& t, const SyscallArgs& a) {
  // The strings first, as Linux copies them before looking anything up.
  ASSIGN_OR_RETURN_ERRNO(std::optional<std::string> type, OptionalString(t, a.Addr(2)));
  ASSIGN_OR_RETURN_ERRNO(std::optional<std::string> source, OptionalString(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(std::optional<std::string> data, MountData(t, a.Addr(4)));
  ASSIGN_OR_RETURN_ERRNO(std::string target, t.CopyInString(a.Addr(1)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Path at, ResolvePath(t, target, vfs::kFollow));

  uint64_t flags = a[3];
  if ((flags & L::kMS_MGC_MSK) == L::kMS_MGC_VAL) flags &= ~L::kMS_MGC_MSK;
  if (flags & L::kMS_NOUSER) return Errno(EINVAL);
  if (!MayMount(t)) return Errno(EPERM);
  vfs::Vfs& v = t.kernel().vfs();
  const uint32_t mnt_flags = MountFlagsOf(flags);

  if ((flags & (L::kMS_REMOUNT | L::kMS_BIND)) == (L::kMS_REMOUNT | L::kMS_BIND)) {
    // The mount's own flags only; its file system is left as it is.
    RETURN_IF_ERRNO(v.SetMountFlags(at, mnt_flags));
    return 0;
  }
  if (flags & L::kMS_REMOUNT) {
    // The file system's read-only state and the mount's flags. File system
    // options in data are not parsed again.
    if (!vfs::Vfs::IsMountRoot(at)) return Errno(EINVAL);
    RETURN_IF_ERRNO(v.SetMountFlags(at, mnt_flags));
    at.mount->fs().set_read_only(flags & L::kMS_RDONLY);
    return 0;
  }
  if (flags & L::kMS_BIND) {
    if (!source || source->empty()) return Errno(EINVAL);
    ASSIGN_OR_RETURN_ERRNO(vfs::Path from, ResolvePath(t, *source, vfs::kFollow));
    // The new mount takes the source mount's flags: MS_RDONLY and the rest
    // are ignored here, as Linux ignores them (a read-only bind mount is a
    // bind followed by a remount).
    RETURN_IF_ERRNO(v.BindMount(from, at, flags & L::kMS_REC));
    return 0;
  }
  if (flags & kPropagation) {
    // One propagation type and nothing else but MS_REC/MS_SILENT.
    uint64_t kind = flags & ~(L::kMS_REC | L::kMS_SILENT);
    if ((kind & ~kPropagation) || (kind & (kind - 1)) != 0) return Errno(EINVAL);
    if (!vfs::Vfs::IsMountRoot(at)) return Errno(EINVAL);
    return 0;
  }
  if (flags & L::kMS_MOVE) {
    if (!source || source->empty()) return Errno(EINVAL);
    ASSIGN_OR_RETURN_ERRNO(vfs::Path from, ResolvePath(t, *source, vfs::kFollow));
    RETURN_IF_ERRNO(v.MoveMount(from, at));
    return 0;
  }

  // A new mount.
  if (!type) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(NewFilesystem nf,
                         MakeFilesystem(t.kernel(), *type, data ? *data : std::string()));
  if (!at.dentry->inode()->is_dir()) return Errno(ENOTDIR);
  if ((flags & L::kMS_RDONLY) || nf.read_only) nf.fs->set_read_only(true);
  uint32_t f = mnt_flags | (nf.read_only ? vfs::kMountReadOnly : 0);
  RETURN_IF_ERRNO(v.MountAt(at, nf.fs, nf.root, f, source ? *source : "none", nf.options));
  return 0;
}

// umount2(2)
SyscallResult SysUmount2(Task& t, const SyscallArgs& a) {
  const int flags = a.Int(1);
  if (flags & ~(L::kMNT_FORCE | L::kMNT_DETACH | L::kMNT_EXPIRE | L::kUMOUNT_NOFOLLOW)) {
    return Errno(EINVAL);
  }
  if (!MayMount(t)) return Errno(EPERM);
  ASSIGN_OR_RETURN_ERRNO(std::string target, t.CopyInString(a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p,
                         ResolvePath(t, target, (flags & L::kUMOUNT_NOFOLLOW) ? 0 : vfs::kFollow));
  if (!vfs::Vfs::IsMountRoot(p)) return Errno(EINVAL);
  int how = 0;
  if (flags & L::kMNT_EXPIRE) {
    if (flags & (L::kMNT_FORCE | L::kMNT_DETACH)) return Errno(EINVAL);
    how |= vfs::kUnmountExpire | vfs::kUnmountIfIdle;
  } else if (flags & L::kMNT_DETACH) {
    how |= vfs::kUnmountDetach;
  } else {
    // MNT_FORCE: no file system here has requests to abort, so it is a
    // plain unmount.
    how |= vfs::kUnmountIfIdle;
  }
  RETURN_IF_ERRNO(t.kernel().vfs().Unmount(p, how));
  return 0;
}

}  // namespace sentry::syscalls
