// Inode defaults (the errno of a file that lacks an operation), the generic
// permission check and anonymous device numbers.
#include <fcntl.h>

#include "sentry/vfs/file_description.h"
#include "sentry/vfs/lock.h"
#include "sentry/vfs/vfs.h"

namespace sentry::vfs {

namespace {
constexpr int kCapChown = 0, kCapDacOverride = 1, kCapDacReadSearch = 2, kCapFowner = 3;
}  // namespace

bool InGroup(const auth::Credentials& creds, uint32_t gid) {
  if (creds.fsgid == gid) return true;
  for (uint32_t g : creds.groups) {
    if (g == gid) return true;
  }
  return false;
}

ErrnoOrVoid GenericPermission(const auth::Credentials& creds, uint32_t mode, uint32_t uid,
                              uint32_t gid, int may) {
  uint32_t bits;
  if (creds.fsuid == uid) {
    bits = (mode >> 6) & 7;
  } else if (InGroup(creds, gid)) {
    bits = (mode >> 3) & 7;
  } else {
    bits = mode & 7;
  }
  if ((bits & may) == static_cast<uint32_t>(may)) return {};
  bool is_dir = (mode & S_IFMT) == S_IFDIR;
  // CAP_DAC_OVERRIDE: anything, except executing a non-directory no one
  // may execute.
  if (creds.HasCapability(kCapDacOverride)) {
    if (!(may & kMayExec) || is_dir || (mode & 0111)) return {};
  }
  // CAP_DAC_READ_SEARCH: reading anything, searching directories.
  if (creds.HasCapability(kCapDacReadSearch)) {
    if (may == kMayRead || (is_dir && !(may & kMayWrite))) return {};
  }
  return Errno(EACCES);
}

uint64_t Filesystem::NewAnonDev() {
  static std::atomic<uint64_t> next{16};
  uint64_t minor = next.fetch_add(1);
  // makedev(0, minor).
  return ((minor & 0xffffff00ULL) << 12) | (minor & 0xff);
}

ErrnoOrVoid Inode::SetAttr(Context&, const SetAttrArgs&) { return Errno(EPERM); }

ErrnoOrVoid Inode::CheckPermission(Context& ctx, int may) {
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat st, Stat());
  return GenericPermission(ctx.creds(), st.st_mode, st.st_uid, st.st_gid, may);
}

ErrnoOr<std::shared_ptr<Inode>> Inode::Lookup(Context&, const std::string&) {
  return Errno(ENOTDIR);
}
ErrnoOr<std::shared_ptr<Inode>> Inode::Create(Context&, const std::string&, const CreateArgs&) {
  return Errno(is_dir() ? EPERM : ENOTDIR);
}
ErrnoOr<std::shared_ptr<Inode>> Inode::Symlink(Context&, const std::string&, const std::string&,
                                               uint32_t, uint32_t) {
  return Errno(is_dir() ? EPERM : ENOTDIR);
}
ErrnoOrVoid Inode::Link(Context&, const std::string&, const std::shared_ptr<Inode>&) {
  return Errno(is_dir() ? EPERM : ENOTDIR);
}
ErrnoOrVoid Inode::Unlink(Context&, const std::string&, Inode&) {
  return Errno(is_dir() ? EPERM : ENOTDIR);
}
ErrnoOrVoid Inode::Rmdir(Context&, const std::string&, Inode&) {
  return Errno(is_dir() ? EPERM : ENOTDIR);
}
ErrnoOrVoid Inode::Rename(Context&, const std::string&, Inode&, Inode&, const std::string&, Inode*,
                          uint32_t) {
  return Errno(is_dir() ? EPERM : ENOTDIR);
}
ErrnoOr<std::vector<Dirent>> Inode::ReadDir(Context&) { return Errno(ENOTDIR); }
ErrnoOr<std::string> Inode::Readlink(Context&) { return Errno(EINVAL); }
std::optional<ErrnoOr<Path>> Inode::FollowMagic(Context&) { return std::nullopt; }
ErrnoOr<std::shared_ptr<FileDescription>> Inode::Open(Context&, int) { return Errno(ENXIO); }
ErrnoOr<std::string> Inode::GetXattr(Context&, const std::string&) { return Errno(EOPNOTSUPP); }
ErrnoOrVoid Inode::SetXattr(Context&, const std::string&, const std::string&, int) {
  return Errno(EOPNOTSUPP);
}
ErrnoOr<std::vector<std::string>> Inode::ListXattr(Context&) {
  return std::vector<std::string>{};
}
ErrnoOrVoid Inode::RemoveXattr(Context&, const std::string&) { return Errno(EOPNOTSUPP); }

LockState* Inode::locks() {
  absl::MutexLock l(&locks_mu_);
  if (!locks_) locks_ = std::make_shared<LockState>();
  return locks_.get();
}

Inode::~Inode() = default;

std::string Dentry::name() const {
  absl::MutexLock l(&mu_);
  return name_;
}

std::shared_ptr<Dentry> Dentry::parent() const {
  absl::MutexLock l(&mu_);
  return parent_;
}

}  // namespace sentry::vfs
