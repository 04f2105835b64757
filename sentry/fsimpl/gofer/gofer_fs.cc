// The gofer file system and its inodes' metadata and directory operations. Regular files'
// opens, I/O and mappings are in gofer_file.cc.
#include "sentry/fsimpl/gofer/gofer_fs.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <utility>

#include "abi/linux/fcntl.h"
#include "sentry/vfs/device.h"
#include "sentry/vfs/dir_file.h"

namespace sentry::fsimpl::gofer {

namespace {

// statfs(2)'s ST_RDONLY.
constexpr uint64_t kStRdonly = 1;

// Runs `op(uid, gid)`; when the gofer may not give the file away (EPERM: it runs without
// CAP_CHOWN), runs it again leaving the owner as the gofer creates it.
template <typename Op>
auto WithOwner(uint32_t uid, uint32_t gid, Op op) -> decltype(op(uid, gid)) {
  auto r = op(uid, gid);
  if (!r.ok() && r.error() == Errno(EPERM)) return op(::gofer::kNoId, ::gofer::kNoId);
  return r;
}

}  // namespace

// ---- GoferFilesystem ----

GoferFilesystem::GoferFilesystem(util::UniqueFd sock, GoferOptions opts)
    // Linux names the gofer-like remote file system "9p"; gVisor's gofer mounts do too.
    : vfs::Filesystem("9p", NewAnonDev()),
      client_(std::make_shared<::gofer::Client>(std::move(sock))),
      opts_(opts) {}

GoferFilesystem::~GoferFilesystem() {
  absl::MutexLock l(&mu_);
  if (statfs_handle_ != 0) (void)client_->Close({statfs_handle_});
}

ErrnoOr<std::shared_ptr<vfs::Inode>> GoferFilesystem::Root() {
  ASSIGN_OR_RETURN_ERRNO(::gofer::Inode gi, client_->Attach());
  if ((gi.attr.mode & S_IFMT) != S_IFDIR) {
    (void)client_->Close({gi.handle});
    return Errno(ENOTDIR);
  }
  return MakeInode(gi, "/");
}

ErrnoOr<vfs::StatFs> GoferFilesystem::Statfs() {
  uint64_t h;
  {
    absl::MutexLock l(&mu_);
    if (statfs_handle_ == 0) {
      ASSIGN_OR_RETURN_ERRNO(::gofer::Inode gi, client_->Attach());
      statfs_handle_ = gi.handle;
    }
    h = statfs_handle_;
  }
  ASSIGN_OR_RETURN_ERRNO(::gofer::StatFsInfo info, client_->StatFs(h));
  vfs::StatFs s;
  s.type = info.type;
  s.bsize = info.bsize;
  s.blocks = info.blocks;
  s.bfree = info.bfree;
  s.bavail = info.bavail;
  s.files = info.files;
  s.ffree = info.ffree;
  s.namelen = info.namelen;
  s.frsize = info.frsize;
  s.flags = info.flags | (opts_.read_only ? kStRdonly : 0);
  return s;
}

std::shared_ptr<vfs::Inode> GoferFilesystem::MakeInode(const ::gofer::Inode& gi, std::string path) {
  if ((gi.attr.mode & S_IFMT) == S_IFREG) {
    return std::make_shared<GoferRegularInode>(*this, gi, std::move(path));
  }
  return std::make_shared<GoferInode>(*this, gi, std::move(path));
}

// ---- GoferInode: attributes ----

GoferInode::GoferInode(GoferFilesystem& fs, const ::gofer::Inode& gi, std::string path)
    : vfs::Inode(fs, gi.attr.mode & S_IFMT),
      gofs_(fs),
      client_(fs.client()),
      handle_(gi.handle),
      ino_(gi.attr.ino),
      attr_(gi.attr),
      path_(std::move(path)),
      fifo_(type() == S_IFIFO ? std::make_unique<pipe::NamedPipe>() : nullptr) {}

GoferInode::~GoferInode() {
  // Errors (a dead gofer) leave nothing to do: the gofer's handles die with it.
  (void)client_->Close({handle_});
}

std::string GoferInode::path() const {
  absl::MutexLock l(&mu_);
  return path_;
}

std::string GoferInode::ChildPath(const std::string& name) const {
  absl::MutexLock l(&mu_);
  return path_ == "/" ? "/" + name : path_ + "/" + name;
}

ErrnoOr<::gofer::Attributes> GoferInode::Attrs() {
  if (stale_.exchange(false)) {
    auto a = client_->Stat(handle_);
    if (!a.ok()) {
      stale_.store(true);
      return a.error();
    }
    SetAttrs(*a);
  }
  absl::MutexLock l(&mu_);
  return attr_;
}

void GoferInode::SetAttrs(const ::gofer::Attributes& a) {
  absl::MutexLock l(&mu_);
  attr_ = a;
}

abi_linux::Stat GoferInode::StatFromAttrs(const ::gofer::Attributes& a) const {
  abi_linux::Stat s{};
  s.st_dev = fs().dev();
  s.st_ino = ino_;
  s.st_nlink = a.nlink;
  // The type is the one the inode was made with; a gofer cannot change it under us.
  s.st_mode = type() | (a.mode & 07777);
  s.st_uid = a.uid;
  s.st_gid = a.gid;
  s.st_rdev = a.rdev;
  s.st_size = static_cast<int64_t>(a.size);
  s.st_blksize = 4096;
  s.st_blocks = static_cast<int64_t>(a.blocks);
  s.st_atim = {a.atime.sec, a.atime.nsec};
  s.st_mtim = {a.mtime.sec, a.mtime.nsec};
  s.st_ctim = {a.ctime.sec, a.ctime.nsec};
  return s;
}

ErrnoOr<abi_linux::Stat> GoferInode::Stat() {
  ASSIGN_OR_RETURN_ERRNO(::gofer::Attributes a, Attrs());
  return StatFromAttrs(a);
}

ErrnoOrVoid GoferInode::SetAttr(vfs::Context&, const vfs::SetAttrArgs& args) {
  if (gofs_.read_only()) return Errno(EROFS);
  ::gofer::SetAttrRequest req;
  req.handle = handle_;
  if (args.mask & vfs::SetAttrArgs::kMode) {
    req.mask |= ::gofer::kSetAttrMode;
    req.mode = args.mode & 07777;
  }
  if (args.mask & vfs::SetAttrArgs::kUid) {
    req.mask |= ::gofer::kSetAttrUid;
    req.uid = args.uid;
  }
  if (args.mask & vfs::SetAttrArgs::kGid) {
    req.mask |= ::gofer::kSetAttrGid;
    req.gid = args.gid;
  }
  if (args.mask & vfs::SetAttrArgs::kSize) {
    if (is_dir()) return Errno(EISDIR);
    if (!is_regular()) return Errno(EINVAL);
    req.mask |= ::gofer::kSetAttrSize;
    req.size = args.size;
  }
  if (args.mask & vfs::SetAttrArgs::kAtime) {
    req.mask |= ::gofer::kSetAttrAtime;
    req.atime = {args.atime.tv_sec, static_cast<uint32_t>(args.atime.tv_nsec)};
  }
  if (args.mask & vfs::SetAttrArgs::kMtime) {
    req.mask |= ::gofer::kSetAttrMtime;
    req.mtime = {args.mtime.tv_sec, static_cast<uint32_t>(args.mtime.tv_nsec)};
  }
  if (req.mask == 0) {
    // Only ctime: the host sets it itself with any change; there is nothing to send.
    MarkStale();
    return {};
  }
  ASSIGN_OR_RETURN_ERRNO(::gofer::Attributes after, client_->SetAttr(req));
  SetAttrs(after);
  return {};
}

// ---- GoferInode: directories ----

ErrnoOrVoid GoferInode::CheckMutableDir() const {
  if (!is_dir()) return Errno(ENOTDIR);
  if (gofs_.read_only()) return Errno(EROFS);
  return {};
}

ErrnoOr<std::shared_ptr<vfs::Inode>> GoferInode::Lookup(vfs::Context&, const std::string& name) {
  if (!is_dir()) return Errno(ENOTDIR);
  ASSIGN_OR_RETURN_ERRNO(::gofer::WalkResult w, client_->Walk(handle_, {name}));
  if (w.error != 0) {
    if (!w.walked.empty()) {
      std::vector<uint64_t> handles;
      for (const auto& gi : w.walked) handles.push_back(gi.handle);
      (void)client_->Close(std::move(handles));
    }
    return Errno(w.error);
  }
  if (w.walked.size() != 1) {
    // A gofer that answers one name with none or several broke the protocol.
    std::vector<uint64_t> handles;
    for (const auto& gi : w.walked) handles.push_back(gi.handle);
    if (!handles.empty()) (void)client_->Close(std::move(handles));
    return Errno(w.walked.empty() ? ENOENT : EIO);
  }
  return gofs_.MakeInode(w.walked[0], ChildPath(name));
}

ErrnoOr<std::shared_ptr<vfs::Inode>> GoferInode::CreateRegular(const std::string& name,
                                                               const vfs::CreateArgs& args) {
  const uint32_t perm = args.mode & 07777;
  ASSIGN_OR_RETURN_ERRNO(
      ::gofer::OpenAtResult r, WithOwner(args.uid, args.gid, [&](uint32_t uid, uint32_t gid) {
        return client_->OpenAt(handle_, name, O_RDWR | O_CREAT | O_EXCL, perm, uid, gid);
      }));
  if ((r.inode.attr.mode & S_IFMT) != S_IFREG) {
    (void)client_->Close({r.inode.handle});
    return Errno(EIO);
  }
  auto inode = std::make_shared<GoferRegularInode>(gofs_, r.inode, ChildPath(name));
  inode->SetCreatedFd(std::move(r.fd));
  return std::shared_ptr<vfs::Inode>(std::move(inode));
}

ErrnoOr<std::shared_ptr<vfs::Inode>> GoferInode::Create(vfs::Context&, const std::string& name,
                                                        const vfs::CreateArgs& args) {
  RETURN_IF_ERRNO(CheckMutableDir());
  const uint32_t type = args.mode & S_IFMT;
  const uint32_t perm = args.mode & 07777;
  ErrnoOr<::gofer::Inode> made = Errno(EINVAL);
  switch (type) {
    case 0:
    case S_IFREG: {
      ErrnoOr<std::shared_ptr<vfs::Inode>> r = CreateRegular(name, args);
      MarkStale();
      return r;
    }
    case S_IFDIR:
      made = WithOwner(args.uid, args.gid, [&](uint32_t uid, uint32_t gid) {
        return client_->Mkdir(handle_, name, perm, uid, gid);
      });
      break;
    case S_IFIFO:
    case S_IFSOCK:
      made = WithOwner(args.uid, args.gid, [&](uint32_t uid, uint32_t gid) {
        return client_->Mknod(handle_, name, type | perm, uid, gid);
      });
      break;
    case S_IFCHR:
    case S_IFBLK:
      // The gofer never makes device nodes on the host (the sentry's devices are its own).
      return Errno(EPERM);
    default:
      return Errno(EINVAL);
  }
  MarkStale();
  if (!made.ok()) return made.error();
  if ((made->attr.mode & S_IFMT) != type) {
    (void)client_->Close({made->handle});
    return Errno(EIO);
  }
  return gofs_.MakeInode(*made, ChildPath(name));
}

ErrnoOr<std::shared_ptr<vfs::Inode>> GoferInode::Symlink(vfs::Context&, const std::string& name,
                                                         const std::string& target, uint32_t uid,
                                                         uint32_t gid) {
  RETURN_IF_ERRNO(CheckMutableDir());
  ErrnoOr<::gofer::Inode> made = WithOwner(uid, gid, [&](uint32_t u, uint32_t g) {
    return client_->Symlink(handle_, name, target, u, g);
  });
  MarkStale();
  if (!made.ok()) return made.error();
  if ((made->attr.mode & S_IFMT) != S_IFLNK) {
    (void)client_->Close({made->handle});
    return Errno(EIO);
  }
  auto inode = std::make_shared<GoferInode>(gofs_, *made, ChildPath(name));
  {
    absl::MutexLock l(&inode->mu_);
    inode->link_target_ = target;
  }
  return std::shared_ptr<vfs::Inode>(std::move(inode));
}

ErrnoOrVoid GoferInode::Link(vfs::Context&, const std::string& name,
                             const std::shared_ptr<vfs::Inode>& target) {
  RETURN_IF_ERRNO(CheckMutableDir());
  auto* t = dynamic_cast<GoferInode*>(target.get());
  if (t == nullptr || &t->gofs_ != &gofs_) return Errno(EXDEV);
  if (t->is_dir()) return Errno(EPERM);
  ErrnoOr<::gofer::Inode> made = client_->Link(handle_, name, t->handle_);
  MarkStale();
  t->MarkStale();
  if (!made.ok()) return made.error();
  // The VFS looks the new name up when it needs it; this handle is not kept.
  (void)client_->Close({made->handle});
  return {};
}

ErrnoOrVoid GoferInode::Unlink(vfs::Context&, const std::string& name, vfs::Inode& child) {
  RETURN_IF_ERRNO(CheckMutableDir());
  ErrnoOrVoid r = client_->Unlink(handle_, name, 0);
  MarkStale();
  if (auto* c = dynamic_cast<GoferInode*>(&child)) c->MarkStale();
  return r;
}

ErrnoOrVoid GoferInode::Rmdir(vfs::Context&, const std::string& name, vfs::Inode& child) {
  RETURN_IF_ERRNO(CheckMutableDir());
  ErrnoOrVoid r = client_->Unlink(handle_, name, AT_REMOVEDIR);
  MarkStale();
  if (auto* c = dynamic_cast<GoferInode*>(&child)) c->MarkStale();
  return r;
}

ErrnoOrVoid GoferInode::Rename(vfs::Context&, const std::string& name, vfs::Inode& child,
                               vfs::Inode& new_dir, const std::string& new_name,
                               vfs::Inode* replaced, uint32_t flags) {
  RETURN_IF_ERRNO(CheckMutableDir());
  auto* nd = dynamic_cast<GoferInode*>(&new_dir);
  if (nd == nullptr || &nd->gofs_ != &gofs_) return Errno(EXDEV);
  if (!nd->is_dir()) return Errno(ENOTDIR);
  ErrnoOrVoid r = client_->Rename(handle_, name, nd->handle_, new_name, flags);
  MarkStale();
  nd->MarkStale();
  auto* c = dynamic_cast<GoferInode*>(&child);
  auto* rep = dynamic_cast<GoferInode*>(replaced);
  if (c != nullptr) c->MarkStale();
  if (rep != nullptr) rep->MarkStale();
  if (!r.ok()) return r;
  std::string new_path = nd->ChildPath(new_name);
  std::string old_path = ChildPath(name);
  if (c != nullptr) {
    absl::MutexLock l(&c->mu_);
    c->path_ = std::move(new_path);
  }
  if (rep != nullptr && (flags & abi_linux::kRENAME_EXCHANGE)) {
    absl::MutexLock l(&rep->mu_);
    rep->path_ = std::move(old_path);
  }
  return {};
}

ErrnoOr<std::vector<vfs::Dirent>> GoferInode::ReadDir(vfs::Context&) {
  if (!is_dir()) return Errno(ENOTDIR);
  std::vector<vfs::Dirent> out;
  uint64_t cookie = 0;
  for (;;) {
    ASSIGN_OR_RETURN_ERRNO(std::vector<::gofer::Dirent> batch,
                           client_->Getdents(handle_, cookie, ::gofer::kMaxDirents));
    if (batch.empty()) break;
    for (auto& e : batch) out.push_back({std::move(e.name), e.ino, e.type});
    uint64_t next = batch.back().next;
    // A cookie that does not move on would list the directory forever.
    if (next == cookie) return Errno(EIO);
    cookie = next;
  }
  return out;
}

ErrnoOr<std::string> GoferInode::Readlink(vfs::Context&) {
  if (!is_symlink()) return Errno(EINVAL);
  {
    absl::MutexLock l(&mu_);
    if (link_target_) return *link_target_;
  }
  ASSIGN_OR_RETURN_ERRNO(std::string target, client_->Readlink(handle_));
  absl::MutexLock l(&mu_);
  link_target_ = target;
  return target;
}

// ---- GoferInode: opening non-regular files ----

ErrnoOr<std::shared_ptr<vfs::FileDescription>> GoferInode::Open(vfs::Context& ctx, int flags) {
  switch (type()) {
    case S_IFDIR:
      if ((flags & O_ACCMODE) != O_RDONLY) return Errno(EISDIR);
      return std::shared_ptr<vfs::FileDescription>(std::make_shared<vfs::DirectoryFile>(flags));
    case S_IFCHR: {
      ASSIGN_OR_RETURN_ERRNO(::gofer::Attributes a, Attrs());
      return vfs::OpenCharDevice(ctx, a.rdev, flags);
    }
    case S_IFLNK:
      return Errno(ELOOP);
    case S_IFIFO:
      if (fifo_ == nullptr) return Errno(ENXIO);
      return fifo_->Open(flags);
    default:
      // Sockets, and block devices (the sentry has none).
      return Errno(ENXIO);
  }
}

// ---- GoferInode: extended attributes ----

ErrnoOr<std::string> GoferInode::GetXattr(vfs::Context&, const std::string& name) {
  return client_->GetXattr(handle_, name);
}

ErrnoOrVoid GoferInode::SetXattr(vfs::Context&, const std::string& name, const std::string& value,
                                 int flags) {
  if (gofs_.read_only()) return Errno(EROFS);
  ErrnoOrVoid r = client_->SetXattr(handle_, name, value, static_cast<uint32_t>(flags));
  MarkStale();  // ctime.
  return r;
}

ErrnoOr<std::vector<std::string>> GoferInode::ListXattr(vfs::Context&) {
  return client_->ListXattr(handle_);
}

ErrnoOrVoid GoferInode::RemoveXattr(vfs::Context&, const std::string& name) {
  if (gofs_.read_only()) return Errno(EROFS);
  ErrnoOrVoid r = client_->RemoveXattr(handle_, name);
  MarkStale();
  return r;
}

}  // namespace sentry::fsimpl::gofer
