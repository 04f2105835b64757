// The gofer's operations that change the file system. Each one checks read-only mode first,
// then its handles and names, and only then touches the host.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <utility>

#include "abi/linux/fcntl.h"
#include "gofer/host_unsafe.h"
#include "gofer/server_internal.h"

namespace gofer::internal {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;
using util::UniqueFd;

namespace {

constexpr uint32_t kPermBits = 07777;

// Sets the permission bits of the file `n` holds.
ErrnoOrVoid ChmodNode(const Server& s, const Node& n, uint32_t mode) {
  if (n.type == S_IFLNK) return Errno(EOPNOTSUPP);  // Linux has no symlink modes.
  ErrnoOrVoid done = host::Fchmodat2(n.fd.get(), "", mode, AT_EMPTY_PATH);
  if (done.ok() || done.error().value() != ENOSYS) return done;
  // Before Linux 6.6 an O_PATH fd cannot be chmod-ed: go through a real fd.
  if (n.type != S_IFREG && n.type != S_IFDIR) return Errno(EOPNOTSUPP);
  int flags = O_RDONLY | O_NONBLOCK | (n.type == S_IFDIR ? O_DIRECTORY : 0);
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, s.Reopen(n, flags));
  if (::fchmod(fd.get(), mode) != 0) return Errno(errno);
  return {};
}

ErrnoOrVoid ValidateTime(const Timestamp& t) {
  if (t.nsec < 1000000000u || t.nsec == UTIME_NOW || t.nsec == UTIME_OMIT) return {};
  return Errno(EINVAL);
}

}  // namespace

ErrnoOr<Inode> Server::FinishCreate(const NodeRef& dir, const std::string& name, uint32_t perm,
                                    uint32_t uid, uint32_t gid, const UniqueFd* created) {
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, OpenChild(*dir, name));
  Attributes attr;
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, MakeNode(std::move(fd), dir, name, &attr));
  if (created != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(Attributes c, StatFd(created->get()));
    // Someone replaced what we created: it is not ours to finish, or to remove.
    if (!SameFile(c, *n)) return Errno(ESTALE);
  }
  auto undo = [&](Errno err) -> Errno {
    ::unlinkat(dir->fd.get(), name.c_str(), n->type == S_IFDIR ? AT_REMOVEDIR : 0);
    return err;
  };
  if (uid != kNoId || gid != kNoId) {
    if (::fchownat(n->fd.get(), "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
      return undo(Errno(errno));
    }
  }
  if (n->type != S_IFLNK) {
    // The gofer's umask, and chown (which clears set-id bits), may have changed the mode the
    // sentry asked for. mkdir(2) never sets S_ISUID/S_ISGID from the mode: leave those be.
    const uint32_t settable = n->type == S_IFDIR ? 01777 : kPermBits;
    ErrnoOr<Attributes> now = StatFd(n->fd.get());
    if (!now.ok()) return undo(now.error());
    if ((now->mode & settable) != (perm & settable)) {
      uint32_t want = (now->mode & kPermBits & ~settable) | (perm & settable);
      ErrnoOrVoid done = ChmodNode(*this, *n, want);
      if (!done.ok()) return undo(done.error());
    }
  }
  ASSIGN_OR_RETURN_ERRNO(attr, StatFd(n->fd.get()));
  return Insert(std::move(n), attr);
}

ErrnoOr<WithFd<OpenAtResponse>> Server::OpenAt(const OpenAtRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef dir, LookupDir(r.dir));
  RETURN_IF_ERRNO(ValidateName(r.name));
  if ((r.mode & ~kPermBits) != 0 && (r.mode & ~kPermBits) != S_IFREG) return Errno(EINVAL);
  const uint32_t perm = r.mode & kPermBits;
  const bool create = (r.flags & O_CREAT) != 0;
  if (create && (r.flags & O_DIRECTORY)) return Errno(EINVAL);
  if ((r.flags & O_EXCL) && !create) return Errno(EINVAL);
  const uint32_t open_flags = r.flags & ~(O_CREAT | O_EXCL);

  // An existing file: the same as Walk + Open, in one round trip.
  auto open_existing = [&]() -> ErrnoOr<WithFd<OpenAtResponse>> {
    ASSIGN_OR_RETURN_ERRNO(UniqueFd path_fd, OpenChild(*dir, r.name));
    Attributes attr;
    ASSIGN_OR_RETURN_ERRNO(NodeRef n, MakeNode(std::move(path_fd), dir, r.name, &attr));
    ASSIGN_OR_RETURN_ERRNO(UniqueFd io, OpenForIo(*n, open_flags));
    ASSIGN_OR_RETURN_ERRNO(attr, StatFd(io.get()));  // O_TRUNC may have changed it.
    return WithFd<OpenAtResponse>{.resp = {.inode = Insert(std::move(n), attr)},
                                  .fd = std::move(io)};
  };
  if (!create) return open_existing();
  if (opts_.read_only) {
    // As on a read-only mount: O_CREAT of an existing file is just an open.
    if (r.flags & O_EXCL) return Errno(EROFS);
    ErrnoOr<WithFd<OpenAtResponse>> got = open_existing();
    if (!got.ok() && got.error().value() == ENOENT) return Errno(EROFS);
    return got;
  }
  // Validate the flags once, the way an open of the new file would (it cannot be a FIFO or a
  // directory, so what OpenForIo checks beyond the flags does not apply).
  constexpr uint32_t kAllowed = O_ACCMODE | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC |
                                O_DIRECT | O_NOATIME | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
                                abi_linux::kO_LARGEFILE;
  if ((open_flags & ~kAllowed) != 0 || (open_flags & O_ACCMODE) == O_ACCMODE) {
    return Errno(EINVAL);
  }
  const uint64_t host_flags =
      (open_flags & ~(O_CLOEXEC | O_NOFOLLOW)) | O_CREAT | O_EXCL | O_NOCTTY;
  // Create exclusively, so the gofer knows whether the file is new (and needs an owner) or
  // was there already (and is opened as it is). Loop while the name flickers between the two.
  for (int attempt = 0; attempt < 8; ++attempt) {
    ErrnoOr<UniqueFd> io =
        host::Openat2(dir->fd.get(), r.name.c_str(), host_flags, perm, host::kConfinedResolve);
    if (io.ok()) {
      ASSIGN_OR_RETURN_ERRNO(Inode inode, FinishCreate(dir, r.name, perm, r.uid, r.gid, &*io));
      return WithFd<OpenAtResponse>{.resp = {.inode = inode}, .fd = std::move(*io)};
    }
    if (io.error().value() != EEXIST || (r.flags & O_EXCL)) return io.error();
    ErrnoOr<WithFd<OpenAtResponse>> got = open_existing();
    if (got.ok() || got.error().value() != ENOENT) return got;
  }
  return Errno(EAGAIN);
}

ErrnoOr<MkdirResponse> Server::Mkdir(const MkdirRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef dir, LookupDir(r.dir));
  RETURN_IF_ERRNO(ValidateName(r.name));
  if ((r.mode & ~kPermBits) != 0) return Errno(EINVAL);
  if (::mkdirat(dir->fd.get(), r.name.c_str(), r.mode) != 0) return Errno(errno);
  ASSIGN_OR_RETURN_ERRNO(Inode inode, FinishCreate(dir, r.name, r.mode, r.uid, r.gid, nullptr));
  return MkdirResponse{.inode = inode};
}

ErrnoOr<MknodResponse> Server::Mknod(const MknodRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef dir, LookupDir(r.dir));
  RETURN_IF_ERRNO(ValidateName(r.name));
  uint32_t type = r.mode & S_IFMT;
  if (type == 0) type = S_IFREG;
  if (type == S_IFCHR || type == S_IFBLK) return Errno(EPERM);  // Devices are the sentry's.
  if (type != S_IFREG && type != S_IFIFO && type != S_IFSOCK) return Errno(EINVAL);
  if ((r.mode & ~(S_IFMT | kPermBits)) != 0) return Errno(EINVAL);
  const uint32_t perm = r.mode & kPermBits;
  if (::mknodat(dir->fd.get(), r.name.c_str(), type | perm, 0) != 0) return Errno(errno);
  ASSIGN_OR_RETURN_ERRNO(Inode inode, FinishCreate(dir, r.name, perm, r.uid, r.gid, nullptr));
  return MknodResponse{.inode = inode};
}

ErrnoOr<SymlinkResponse> Server::Symlink(const SymlinkRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef dir, LookupDir(r.dir));
  RETURN_IF_ERRNO(ValidateName(r.name));
  if (r.target.empty()) return Errno(ENOENT);  // As symlink(2).
  // The target is only text to the gofer: stored, never resolved.
  if (::symlinkat(r.target.c_str(), dir->fd.get(), r.name.c_str()) != 0) return Errno(errno);
  ASSIGN_OR_RETURN_ERRNO(Inode inode, FinishCreate(dir, r.name, 0777, r.uid, r.gid, nullptr));
  return SymlinkResponse{.inode = inode};
}

ErrnoOr<LinkResponse> Server::Link(const LinkRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef dir, LookupDir(r.dir));
  RETURN_IF_ERRNO(ValidateName(r.name));
  ASSIGN_OR_RETURN_ERRNO(NodeRef target, Lookup(r.target));
  if (target->type == S_IFDIR) return Errno(EPERM);
  if (::linkat(target->fd.get(), "", dir->fd.get(), r.name.c_str(), AT_EMPTY_PATH) != 0) {
    // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH before Linux 6.10. Fall back to the name the
    // file was found under (linkat never follows a symlink there without AT_SYMLINK_FOLLOW);
    // the identity check below catches a name that now means another file.
    if (errno != EPERM && errno != ENOENT) return Errno(errno);
    if (target->parent == nullptr) return Errno(errno);
    if (::linkat(target->parent->fd.get(), target->name.c_str(), dir->fd.get(), r.name.c_str(),
                 0) != 0) {
      return Errno(errno);
    }
  }
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, OpenChild(*dir, r.name));
  Attributes attr;
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, MakeNode(std::move(fd), dir, r.name, &attr));
  if (n->dev != target->dev || n->ino != target->ino) {
    ::unlinkat(dir->fd.get(), r.name.c_str(), 0);
    return Errno(ESTALE);
  }
  return LinkResponse{.inode = Insert(std::move(n), attr)};
}

ErrnoOr<UnlinkResponse> Server::Unlink(const UnlinkRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef dir, LookupDir(r.dir));
  RETURN_IF_ERRNO(ValidateName(r.name));
  if ((r.flags & ~static_cast<uint32_t>(AT_REMOVEDIR)) != 0) return Errno(EINVAL);
  if (::unlinkat(dir->fd.get(), r.name.c_str(), static_cast<int>(r.flags)) != 0) {
    return Errno(errno);
  }
  // Handles on the removed file stay valid for Stat; a reopen by name fails the identity
  // check (ESTALE) rather than reaching a file created later under the same name.
  return UnlinkResponse{};
}

ErrnoOr<RenameResponse> Server::Rename(const RenameRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef old_dir, LookupDir(r.old_dir));
  ASSIGN_OR_RETURN_ERRNO(NodeRef new_dir, LookupDir(r.new_dir));
  RETURN_IF_ERRNO(ValidateName(r.old_name));
  RETURN_IF_ERRNO(ValidateName(r.new_name));
  const uint32_t kKnown = RENAME_NOREPLACE | RENAME_EXCHANGE;
  if ((r.flags & ~kKnown) != 0 || r.flags == kKnown) return Errno(EINVAL);
  if (::renameat2(old_dir->fd.get(), r.old_name.c_str(), new_dir->fd.get(), r.new_name.c_str(),
                  r.flags) != 0) {
    return Errno(errno);
  }
  // Keep reopen-by-name working for handles on the moved files. Directories are matched by
  // identity: two handles may hold the same directory.
  const bool exchange = (r.flags & RENAME_EXCHANGE) != 0;
  auto in = [](const Node& n, const Node& dir, const std::string& name) {
    return n.parent != nullptr && n.parent->dev == dir.dev && n.parent->ino == dir.ino &&
           n.name == name;
  };
  for (auto& [handle, n] : handles_) {
    if (in(*n, *old_dir, r.old_name)) {
      n->parent = new_dir;
      n->name = r.new_name;
    } else if (exchange && in(*n, *new_dir, r.new_name)) {
      n->parent = old_dir;
      n->name = r.old_name;
    }
  }
  return RenameResponse{};
}

ErrnoOr<SetAttrResponse> Server::SetAttr(const SetAttrRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  // Check everything first, so that a bad request changes nothing.
  if ((r.mask & ~kSetAttrAll) != 0) return Errno(EINVAL);
  if (r.mask != 0) RETURN_IF_ERRNO(CheckWritable());
  if ((r.mask & kSetAttrMode) && (r.mode & ~kPermBits) != 0) return Errno(EINVAL);
  if (r.mask & kSetAttrSize) {
    if (n->type == S_IFDIR) return Errno(EISDIR);
    if (n->type != S_IFREG) return Errno(EINVAL);
    if (r.size > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) return Errno(EFBIG);
  }
  if (r.mask & kSetAttrAtime) RETURN_IF_ERRNO(ValidateTime(r.atime));
  if (r.mask & kSetAttrMtime) RETURN_IF_ERRNO(ValidateTime(r.mtime));

  // Size first (it moves mtime), then owner (which clears set-id bits), mode, times.
  if (r.mask & kSetAttrSize) {
    ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, Reopen(*n, O_WRONLY | O_NONBLOCK));
    if (::ftruncate(fd.get(), static_cast<off_t>(r.size)) != 0) return Errno(errno);
  }
  if (r.mask & (kSetAttrUid | kSetAttrGid)) {
    uid_t uid = (r.mask & kSetAttrUid) ? r.uid : static_cast<uid_t>(-1);
    gid_t gid = (r.mask & kSetAttrGid) ? r.gid : static_cast<gid_t>(-1);
    if (::fchownat(n->fd.get(), "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
      return Errno(errno);
    }
  }
  if (r.mask & kSetAttrMode) RETURN_IF_ERRNO(ChmodNode(*this, *n, r.mode));
  if (r.mask & (kSetAttrAtime | kSetAttrMtime)) {
    struct timespec ts[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    if (r.mask & kSetAttrAtime) ts[0] = {static_cast<time_t>(r.atime.sec), r.atime.nsec};
    if (r.mask & kSetAttrMtime) ts[1] = {static_cast<time_t>(r.mtime.sec), r.mtime.nsec};
    if (::utimensat(n->fd.get(), "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0) {
      return Errno(errno);
    }
  }
  ASSIGN_OR_RETURN_ERRNO(Attributes attr, StatFd(n->fd.get()));
  return SetAttrResponse{.attr = attr};
}

ErrnoOr<SetXattrResponse> Server::SetXattr(const SetXattrRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  if ((r.flags & ~static_cast<uint32_t>(XATTR_CREATE | XATTR_REPLACE)) != 0) return Errno(EINVAL);
  if (n->type != S_IFREG && n->type != S_IFDIR) return Errno(EOPNOTSUPP);
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, Reopen(*n, O_RDONLY | O_NONBLOCK));
  if (::fsetxattr(fd.get(), r.name.c_str(), r.value.data(), r.value.size(),
                  static_cast<int>(r.flags)) != 0) {
    return Errno(errno);
  }
  return SetXattrResponse{};
}

ErrnoOr<RemoveXattrResponse> Server::RemoveXattr(const RemoveXattrRequest& r) {
  RETURN_IF_ERRNO(CheckWritable());
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  if (n->type != S_IFREG && n->type != S_IFDIR) return Errno(EOPNOTSUPP);
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, Reopen(*n, O_RDONLY | O_NONBLOCK));
  if (::fremovexattr(fd.get(), r.name.c_str()) != 0) return Errno(errno);
  return RemoveXattrResponse{};
}

}  // namespace gofer::internal
