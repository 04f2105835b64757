#include "sentry/fsimpl/tmpfs/tmpfs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <optional>

#include "abi/linux/fcntl.h"
#include "abi/linux/statfs.h"
#include "abi/linux/xattr.h"
#include "sentry/fsimpl/tmpfs/regular_file.h"
#include "sentry/vfs/device.h"
#include "sentry/vfs/dir_file.h"

namespace sentry::fsimpl::tmpfs {

namespace {

// Linux's tmpfs reports directory sizes in these units per entry
// (BOGO_DIRENT_SIZE), "." and ".." included.
constexpr uint64_t kBogoDirentSize = 20;

bool Before(const abi_linux::Timespec& a, const abi_linux::Timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

// Which xattr namespaces tmpfs keeps; EOPNOTSUPP for the others, EINVAL
// for a bare prefix, ERANGE for names Linux rejects as too long or empty.
ErrnoOrVoid CheckXattrName(const std::string& name) {
  if (name.empty() || name.size() > static_cast<size_t>(abi_linux::kXATTR_NAME_MAX)) {
    return Errno(ERANGE);
  }
  for (std::string_view prefix :
       {abi_linux::kXATTR_USER_PREFIX, abi_linux::kXATTR_TRUSTED_PREFIX}) {
    if (name.starts_with(prefix)) {
      if (name.size() == prefix.size()) return Errno(EINVAL);
      return {};
    }
  }
  return Errno(EOPNOTSUPP);
}

}  // namespace

abi_linux::Timespec Now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return {ts.tv_sec, ts.tv_nsec};
}

// ---- TmpfsFilesystem ----

TmpfsFilesystem::TmpfsFilesystem(mm::MemoryFile& mf, TmpfsOptions opts)
    : vfs::Filesystem("tmpfs", NewAnonDev()), mf_(mf), opts_(opts) {}

ErrnoOr<vfs::StatFs> TmpfsFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = abi_linux::kTMPFS_MAGIC;
  s.bsize = s.frsize = mm::kPageSize;
  uint64_t limit = opts_.size_limit ? opts_.size_limit : mf_.size();
  s.blocks = limit / mm::kPageSize;
  uint64_t used = pages_used_.load();
  s.bfree = s.bavail = used < s.blocks ? s.blocks - used : 0;
  // Inodes are not limited; report a large, plausible count.
  s.files = uint64_t{1} << 20;
  s.ffree = s.files;
  s.namelen = 255;
  return s;
}

ErrnoOrVoid TmpfsFilesystem::ReservePages(uint64_t n) {
  if (opts_.size_limit == 0) {
    pages_used_.fetch_add(n);
    return {};
  }
  uint64_t max = opts_.size_limit / mm::kPageSize;
  uint64_t cur = pages_used_.load();
  do {
    if (cur + n > max || cur + n < cur) return Errno(ENOSPC);
  } while (!pages_used_.compare_exchange_weak(cur, cur + n));
  return {};
}

void TmpfsFilesystem::ReleasePages(uint64_t n) { pages_used_.fetch_sub(n); }

std::shared_ptr<vfs::Inode> NewRoot(TmpfsFilesystem& fs) {
  const TmpfsOptions& o = fs.options();
  return std::make_shared<Directory>(
      fs, vfs::CreateArgs{.mode = S_IFDIR | (o.mode & 07777), .uid = o.uid, .gid = o.gid});
}

// ---- TmpfsInode ----

TmpfsInode::TmpfsInode(TmpfsFilesystem& fs, const vfs::CreateArgs& args)
    : vfs::Inode(fs, args.mode & S_IFMT),
      tfs_(fs),
      ino_(fs.NextIno()),
      rdev_(args.rdev),
      mode_(args.mode & 07777),
      uid_(args.uid),
      gid_(args.gid),
      nlink_((args.mode & S_IFMT) == S_IFDIR ? 2 : 1) {
  atime_ = mtime_ = ctime_ = Now();
}

ErrnoOr<abi_linux::Stat> TmpfsInode::Stat() {
  abi_linux::Stat st{};
  st.st_dev = fs().dev();
  st.st_ino = ino_;
  st.st_rdev = rdev_;
  st.st_blksize = mm::kPageSize;
  absl::MutexLock l(&mu_);
  st.st_mode = type() | mode_;
  st.st_uid = uid_;
  st.st_gid = gid_;
  st.st_nlink = nlink_;
  st.st_atim = atime_;
  st.st_mtim = mtime_;
  st.st_ctim = ctime_;
  FillStatLocked(st);
  return st;
}

ErrnoOrVoid TmpfsInode::SetSize(uint64_t) { return Errno(EINVAL); }

ErrnoOrVoid TmpfsInode::SetAttr(vfs::Context&, const vfs::SetAttrArgs& args) {
  using A = vfs::SetAttrArgs;
  if (args.mask & A::kSize) RETURN_IF_ERRNO(SetSize(args.size));
  absl::MutexLock l(&mu_);
  if (args.mask & A::kMode) mode_ = args.mode & 07777;
  if (args.mask & A::kUid) uid_ = args.uid;
  if (args.mask & A::kGid) gid_ = args.gid;
  if (args.mask & A::kAtime) atime_ = args.atime;
  if (args.mask & A::kMtime) mtime_ = args.mtime;
  if (args.mask & (A::kMode | A::kUid | A::kGid | A::kAtime | A::kMtime | A::kCtime)) {
    ctime_ = Now();
  }
  return {};
}

ErrnoOr<std::string> TmpfsInode::GetXattr(vfs::Context&, const std::string& name) {
  RETURN_IF_ERRNO(CheckXattrName(name));
  absl::MutexLock l(&mu_);
  auto it = xattrs_.find(name);
  if (it == xattrs_.end()) return Errno(ENODATA);
  return it->second;
}

ErrnoOrVoid TmpfsInode::SetXattr(vfs::Context&, const std::string& name, const std::string& value,
                                 int flags) {
  RETURN_IF_ERRNO(CheckXattrName(name));
  if (flags & ~(abi_linux::kXATTR_CREATE | abi_linux::kXATTR_REPLACE)) return Errno(EINVAL);
  if (value.size() > static_cast<size_t>(abi_linux::kXATTR_SIZE_MAX)) return Errno(E2BIG);
  absl::MutexLock l(&mu_);
  auto it = xattrs_.find(name);
  if ((flags & abi_linux::kXATTR_CREATE) && it != xattrs_.end()) return Errno(EEXIST);
  if ((flags & abi_linux::kXATTR_REPLACE) && it == xattrs_.end()) return Errno(ENODATA);
  xattrs_[name] = value;
  ctime_ = Now();
  return {};
}

ErrnoOr<std::vector<std::string>> TmpfsInode::ListXattr(vfs::Context&) {
  absl::MutexLock l(&mu_);
  std::vector<std::string> names;
  names.reserve(xattrs_.size());
  for (const auto& [name, value] : xattrs_) names.push_back(name);
  return names;
}

ErrnoOrVoid TmpfsInode::RemoveXattr(vfs::Context&, const std::string& name) {
  RETURN_IF_ERRNO(CheckXattrName(name));
  absl::MutexLock l(&mu_);
  if (xattrs_.erase(name) == 0) return Errno(ENODATA);
  ctime_ = Now();
  return {};
}

void TmpfsInode::IncLinks() {
  absl::MutexLock l(&mu_);
  ++nlink_;
  ctime_ = Now();
}

void TmpfsInode::DecLinks() {
  absl::MutexLock l(&mu_);
  if (nlink_ > 0) --nlink_;
  ctime_ = Now();
}

void TmpfsInode::ClearLinks() {
  absl::MutexLock l(&mu_);
  nlink_ = 0;
  ctime_ = Now();
}

void TmpfsInode::TouchCtime() {
  absl::MutexLock l(&mu_);
  ctime_ = Now();
}

void TmpfsInode::TouchMtimeCtime() {
  absl::MutexLock l(&mu_);
  mtime_ = ctime_ = Now();
}

void TmpfsInode::TouchAtime() {
  abi_linux::Timespec now = Now();
  absl::MutexLock l(&mu_);
  // relatime: only when the last access predates the last change, or is a
  // day old.
  if (Before(atime_, mtime_) || Before(atime_, ctime_) || now.tv_sec - atime_.tv_sec >= 86400) {
    atime_ = now;
  }
}

// ---- Directory ----

Directory::Directory(TmpfsFilesystem& fs, const vfs::CreateArgs& args) : TmpfsInode(fs, args) {}

void Directory::FillStatLocked(abi_linux::Stat& st) {
  st.st_size = static_cast<int64_t>((children_.size() + 2) * kBogoDirentSize);
}

ErrnoOrVoid Directory::SetSize(uint64_t) { return Errno(EISDIR); }

bool Directory::Empty() {
  absl::MutexLock l(&mu_);
  return children_.empty();
}

ErrnoOr<std::shared_ptr<vfs::Inode>> Directory::Lookup(vfs::Context&, const std::string& name) {
  absl::MutexLock l(&mu_);
  auto it = children_.find(name);
  if (it == children_.end()) return Errno(ENOENT);
  return std::shared_ptr<vfs::Inode>(it->second);
}

ErrnoOr<std::shared_ptr<vfs::Inode>> Directory::AddChild(const std::string& name,
                                                         std::shared_ptr<TmpfsInode> child) {
  absl::MutexLock l(&mu_);
  if (nlink_ == 0) return Errno(ENOENT);  // removed directory
  auto [it, inserted] = children_.emplace(name, child);
  if (!inserted) return Errno(EEXIST);
  if (child->is_dir()) ++nlink_;
  mtime_ = ctime_ = Now();
  return std::shared_ptr<vfs::Inode>(std::move(child));
}

ErrnoOr<std::shared_ptr<vfs::Inode>> Directory::Create(vfs::Context&, const std::string& name,
                                                       const vfs::CreateArgs& args) {
  std::shared_ptr<TmpfsInode> child;
  switch (args.mode & S_IFMT) {
    case S_IFREG:
      child = std::make_shared<RegularFile>(tfs_, args);
      break;
    case S_IFDIR:
      child = std::make_shared<Directory>(tfs_, args);
      break;
    case S_IFIFO:
    case S_IFSOCK:
    case S_IFCHR:
    case S_IFBLK:
      child = std::make_shared<SpecialInode>(tfs_, args);
      break;
    default:
      return Errno(EINVAL);
  }
  return AddChild(name, std::move(child));
}

ErrnoOr<std::shared_ptr<vfs::Inode>> Directory::Symlink(vfs::Context&, const std::string& name,
                                                        const std::string& target, uint32_t uid,
                                                        uint32_t gid) {
  auto child = std::make_shared<SymlinkInode>(
      tfs_, vfs::CreateArgs{.mode = S_IFLNK | 0777, .uid = uid, .gid = gid}, target);
  return AddChild(name, std::move(child));
}

ErrnoOrVoid Directory::Link(vfs::Context&, const std::string& name,
                            const std::shared_ptr<vfs::Inode>& target) {
  auto t = std::dynamic_pointer_cast<TmpfsInode>(target);
  if (t == nullptr || &t->fs() != &fs()) return Errno(EXDEV);
  if (t->is_dir()) return Errno(EPERM);
  // Whether a file whose last name is gone may get a new one (O_TMPFILE
  // files may) is the VFS's decision.
  {
    absl::MutexLock l(&mu_);
    if (nlink_ == 0) return Errno(ENOENT);
    auto [it, inserted] = children_.emplace(name, t);
    if (!inserted) return Errno(EEXIST);
    mtime_ = ctime_ = Now();
  }
  t->IncLinks();
  return {};
}

ErrnoOrVoid Directory::Unlink(vfs::Context&, const std::string& name, vfs::Inode& child) {
  std::shared_ptr<TmpfsInode> victim;
  {
    absl::MutexLock l(&mu_);
    auto it = children_.find(name);
    if (it == children_.end() || it->second.get() != &child) return Errno(ENOENT);
    if (it->second->is_dir()) return Errno(EISDIR);
    victim = std::move(it->second);
    children_.erase(it);
    mtime_ = ctime_ = Now();
  }
  // The file's data goes when the last reference (name, open file,
  // dentry) does: see ~RegularFile.
  victim->DecLinks();
  return {};
}

ErrnoOrVoid Directory::Rmdir(vfs::Context&, const std::string& name, vfs::Inode& child) {
  auto* dir = dynamic_cast<Directory*>(&child);
  if (dir == nullptr) return Errno(ENOTDIR);
  if (!dir->Empty()) return Errno(ENOTEMPTY);
  std::shared_ptr<TmpfsInode> victim;
  {
    absl::MutexLock l(&mu_);
    auto it = children_.find(name);
    if (it == children_.end() || it->second.get() != &child) return Errno(ENOENT);
    victim = std::move(it->second);
    children_.erase(it);
    --nlink_;
    mtime_ = ctime_ = Now();
  }
  victim->ClearLinks();
  return {};
}

ErrnoOrVoid Directory::Rename(vfs::Context&, const std::string& name, vfs::Inode& child,
                              vfs::Inode& new_dir, const std::string& new_name,
                              vfs::Inode* replaced, uint32_t flags) {
  auto* nd = dynamic_cast<Directory*>(&new_dir);
  if (nd == nullptr || &nd->fs() != &fs()) return Errno(EXDEV);
  const bool exchange = flags & abi_linux::kRENAME_EXCHANGE;
  if (flags & ~(abi_linux::kRENAME_NOREPLACE | abi_linux::kRENAME_EXCHANGE)) return Errno(EINVAL);
  if (exchange && (flags & abi_linux::kRENAME_NOREPLACE)) return Errno(EINVAL);
  if (nd == this && name == new_name) return {};
  // Two names of one file: rename(2) does nothing.
  if (replaced == &child) return {};
  if (exchange && replaced == nullptr) return Errno(ENOENT);
  if ((flags & abi_linux::kRENAME_NOREPLACE) && replaced != nullptr) return Errno(EEXIST);
  if (!exchange && replaced != nullptr && replaced->is_dir()) {
    auto* rd = dynamic_cast<Directory*>(replaced);
    if (rd == nullptr) return Errno(ENOTDIR);
    if (!rd->Empty()) return Errno(ENOTEMPTY);
  }

  absl::MutexLock rename_lock(&tfs_.rename_mu_);
  std::shared_ptr<TmpfsInode> moved, victim;
  {
    // Both directories, in address order.
    Directory* first = this;
    Directory* second = nd == this ? nullptr : nd;
    if (second != nullptr && second < first) std::swap(first, second);
    absl::MutexLock l1(&first->mu_);
    std::optional<absl::MutexLock> l2;
    if (second != nullptr) l2.emplace(&second->mu_);
    // Tell the thread-safety analysis which locks those were.
    mu_.AssertHeld();
    nd->mu_.AssertHeld();
    RETURN_IF_ERRNO(RenameLocked(name, child, *nd, new_name, replaced, flags, &moved, &victim));
  }
  moved->TouchCtime();
  if (victim != nullptr) {
    if (flags & abi_linux::kRENAME_EXCHANGE) {
      victim->TouchCtime();
    } else if (victim->is_dir()) {
      victim->ClearLinks();
    } else {
      victim->DecLinks();
    }
  }
  return {};
}

ErrnoOrVoid Directory::RenameLocked(const std::string& name, vfs::Inode& child, Directory& nd,
                                    const std::string& new_name, vfs::Inode* replaced,
                                    uint32_t flags, std::shared_ptr<TmpfsInode>* moved_out,
                                    std::shared_ptr<TmpfsInode>* victim_out) {
  const bool exchange = flags & abi_linux::kRENAME_EXCHANGE;
  if (nd.nlink_ == 0) return Errno(ENOENT);
  auto src = children_.find(name);
  if (src == children_.end() || src->second.get() != &child) return Errno(ENOENT);
  auto dst = nd.children_.find(new_name);
  std::shared_ptr<TmpfsInode> moved = src->second;
  std::shared_ptr<TmpfsInode> victim;
  if (dst != nd.children_.end()) {
    if (flags & abi_linux::kRENAME_NOREPLACE) return Errno(EEXIST);
    if (replaced == nullptr) return Errno(EEXIST);
    if (dst->second.get() != replaced) return Errno(ENOENT);
    victim = dst->second;
  } else if (replaced != nullptr) {
    return Errno(ENOENT);
  }

  if (exchange) {
    std::swap(src->second, dst->second);
    if (&nd != this && moved->is_dir() != victim->is_dir()) {
      // ".." of the directory moved across changes which parent it counts.
      if (moved->is_dir()) {
        --nlink_;
        ++nd.nlink_;
      } else {
        ++nlink_;
        --nd.nlink_;
      }
    }
  } else {
    children_.erase(src);
    if (victim != nullptr) {
      nd.children_[new_name] = moved;
      if (victim->is_dir()) --nd.nlink_;
    } else {
      nd.children_.emplace(new_name, moved);
    }
    if (moved->is_dir() && &nd != this) {
      --nlink_;
      ++nd.nlink_;
    }
  }
  abi_linux::Timespec now = Now();
  mtime_ = ctime_ = now;
  nd.mtime_ = nd.ctime_ = now;
  *moved_out = std::move(moved);
  *victim_out = std::move(victim);
  return {};
}

ErrnoOr<std::vector<vfs::Dirent>> Directory::ReadDir(vfs::Context&) {
  absl::MutexLock l(&mu_);
  std::vector<vfs::Dirent> out;
  out.reserve(children_.size());
  for (const auto& [name, child] : children_) {
    // DT_* is the S_IF* type shifted down.
    out.push_back({name, child->ino(), static_cast<uint8_t>(child->type() >> 12)});
  }
  return out;
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> Directory::Open(vfs::Context&, int flags) {
  return std::shared_ptr<vfs::FileDescription>(std::make_shared<vfs::DirectoryFile>(flags));
}

// ---- SymlinkInode ----

ErrnoOr<std::string> SymlinkInode::Readlink(vfs::Context&) { return target_; }

void SymlinkInode::FillStatLocked(abi_linux::Stat& st) {
  st.st_size = static_cast<int64_t>(target_.size());
}

// ---- SpecialInode ----

ErrnoOr<std::shared_ptr<vfs::FileDescription>> SpecialInode::Open(vfs::Context& ctx, int flags) {
  switch (type()) {
    case S_IFIFO:
      return pipe_.Open(flags);
    case S_IFCHR:
      return vfs::OpenCharDevice(ctx, rdev_, flags);
    default:
      return Errno(ENXIO);
  }
}

}  // namespace sentry::fsimpl::tmpfs
