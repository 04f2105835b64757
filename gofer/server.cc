// The gofer's request loop, handle table and read-side operations. Mutations are in
// server_mutate.cc.
#include "gofer/server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "abi/linux/dirent.h"
#include "abi/linux/fcntl.h"
#include "gofer/host_unsafe.h"
#include "gofer/server_internal.h"
#include "gofer/transport.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace gofer {

// The protocol carries Linux x86-64 values; the gofer hands them to the host kernel as they
// are, which is only right while the host's libc agrees.
// (libc's O_LARGEFILE is 0 on 64-bit hosts; the protocol carries the kernel's value, which
// openat2 accepts and implies anyway.)
static_assert(O_ACCMODE == abi_linux::kO_ACCMODE && O_RDONLY == abi_linux::kO_RDONLY &&
              O_WRONLY == abi_linux::kO_WRONLY && O_RDWR == abi_linux::kO_RDWR);
static_assert(O_CREAT == abi_linux::kO_CREAT && O_EXCL == abi_linux::kO_EXCL &&
              O_TRUNC == abi_linux::kO_TRUNC && O_APPEND == abi_linux::kO_APPEND &&
              O_NONBLOCK == abi_linux::kO_NONBLOCK && O_DIRECTORY == abi_linux::kO_DIRECTORY &&
              O_NOFOLLOW == abi_linux::kO_NOFOLLOW && O_CLOEXEC == abi_linux::kO_CLOEXEC &&
              O_PATH == abi_linux::kO_PATH && O_TMPFILE == abi_linux::kO_TMPFILE &&
              O_DSYNC == abi_linux::kO_DSYNC && O_SYNC == abi_linux::kO_SYNC &&
              O_DIRECT == abi_linux::kO_DIRECT && O_NOATIME == abi_linux::kO_NOATIME &&
              O_NOCTTY == abi_linux::kO_NOCTTY);
static_assert(AT_REMOVEDIR == abi_linux::kAT_REMOVEDIR && S_IFMT == abi_linux::kS_IFMT &&
              S_IFREG == abi_linux::kS_IFREG && S_IFDIR == abi_linux::kS_IFDIR &&
              S_IFLNK == abi_linux::kS_IFLNK && S_IFIFO == abi_linux::kS_IFIFO &&
              S_IFSOCK == abi_linux::kS_IFSOCK && S_IFCHR == abi_linux::kS_IFCHR &&
              S_IFBLK == abi_linux::kS_IFBLK);
static_assert(UTIME_NOW == abi_linux::kUTIME_NOW && UTIME_OMIT == abi_linux::kUTIME_OMIT);
static_assert(XATTR_CREATE == 1 && XATTR_REPLACE == 2);

namespace internal {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;
using util::UniqueFd;

namespace {

Timestamp ToTimestamp(const struct statx_timestamp& t) {
  return Timestamp{.sec = t.tv_sec, .nsec = t.tv_nsec};
}

// Payload bytes one Dirent takes on the wire.
size_t DirentWireSize(const std::string& name) { return 8 + 8 + 1 + 4 + name.size(); }

// Getdents reads the host directory in chunks of this size.
constexpr size_t kDirentBufferSize = 32 * 1024;

}  // namespace

ErrnoOrVoid ValidateName(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > kMaxNameLength ||
      name.find('/') != std::string::npos || name.find('\0') != std::string::npos) {
    return Errno(EINVAL);
  }
  return {};
}

ErrnoOr<Attributes> StatFd(int fd) {
  struct statx sx {};
  if (::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) != 0) {
    return Errno(errno);
  }
  return Attributes{
      .mode = sx.stx_mode,
      .uid = sx.stx_uid,
      .gid = sx.stx_gid,
      .nlink = sx.stx_nlink,
      .ino = sx.stx_ino,
      .dev = makedev(sx.stx_dev_major, sx.stx_dev_minor),
      .rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor),
      .size = sx.stx_size,
      .blocks = sx.stx_blocks,
      .blksize = sx.stx_blksize,
      .atime = ToTimestamp(sx.stx_atime),
      .mtime = ToTimestamp(sx.stx_mtime),
      .ctime = ToTimestamp(sx.stx_ctime),
  };
}

bool SameFile(const Attributes& a, const Node& n) { return a.dev == n.dev && a.ino == n.ino; }

// ---- The handle table ----

ErrnoOr<NodeRef> Server::Lookup(uint64_t handle) const {
  auto it = handles_.find(handle);
  if (it == handles_.end()) return Errno(EBADF);
  return it->second;
}

ErrnoOr<NodeRef> Server::LookupDir(uint64_t handle) const {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(handle));
  if (n->type != S_IFDIR) return Errno(ENOTDIR);
  return n;
}

ErrnoOr<NodeRef> Server::MakeNode(UniqueFd fd, const NodeRef& dir, const std::string& name,
                                  Attributes* attr) {
  ASSIGN_OR_RETURN_ERRNO(*attr, StatFd(fd.get()));
  auto n = std::make_shared<Node>();
  n->fd = std::move(fd);
  n->type = attr->mode & S_IFMT;
  n->dev = attr->dev;
  n->ino = attr->ino;
  if (n->type != S_IFDIR) {
    n->parent = dir;
    n->name = name;
  }
  return n;
}

Inode Server::Insert(NodeRef node, const Attributes& attr) {
  uint64_t h = next_handle_++;
  handles_.emplace(h, std::move(node));
  return Inode{.handle = h, .attr = attr};
}

ErrnoOr<UniqueFd> Server::OpenChild(const Node& dir, const std::string& name) const {
  if (dir.type != S_IFDIR) return Errno(ENOTDIR);
  RETURN_IF_ERRNO(ValidateName(name));
  return host::Openat2(dir.fd.get(), name.c_str(), O_PATH, 0, host::kConfinedResolve);
}

ErrnoOr<UniqueFd> Server::Reopen(const Node& n, int flags) const {
  // Until the identity check below passes, the name may mean any file, so opening it must have
  // no effect: O_NONBLOCK so a FIFO swapped in cannot block the gofer, and no O_TRUNC (the
  // caller truncates through the checked fd).
  const bool truncate = (flags & O_TRUNC) != 0;
  const int open_flags = (flags & ~O_TRUNC) | O_NOCTTY | O_NONBLOCK;
  UniqueFd fd;
  if (n.type == S_IFDIR) {
    ASSIGN_OR_RETURN_ERRNO(fd,
                           host::Openat2(n.fd.get(), ".", open_flags, 0, host::kConfinedResolve));
  } else if (n.parent != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(fd, host::Openat2(n.parent->fd.get(), n.name.c_str(), open_flags, 0,
                                             host::kConfinedResolve));
  } else {
    return Errno(ESTALE);
  }
  ASSIGN_OR_RETURN_ERRNO(Attributes now, StatFd(fd.get()));
  // The name may have been unlinked and reused, by the guest or by the host.
  if (!SameFile(now, n)) return Errno(ESTALE);
  if ((flags & O_NONBLOCK) == 0) {
    int fl = ::fcntl(fd.get(), F_GETFL);
    if (fl < 0 || ::fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK) != 0) return Errno(errno);
  }
  if (truncate && n.type == S_IFREG) {
    int accmode = flags & O_ACCMODE;
    if (accmode == O_RDONLY) {
      // Linux truncates even then (with write permission): do it through a writable fd.
      ASSIGN_OR_RETURN_ERRNO(UniqueFd w, Reopen(n, O_WRONLY | O_NONBLOCK));
      if (::ftruncate(w.get(), 0) != 0) return Errno(errno);
    } else if (::ftruncate(fd.get(), 0) != 0) {
      return Errno(errno);
    }
  }
  return fd;
}

ErrnoOrVoid Server::CheckWritable() const {
  if (opts_.read_only) return Errno(EROFS);
  return {};
}

ErrnoOr<UniqueFd> Server::OpenForIo(const Node& n, uint32_t flags) const {
  // O_CLOEXEC, O_NOFOLLOW, O_NOCTTY and O_LARGEFILE are implied; O_CREAT/O_EXCL belong to
  // OpenAt; O_PATH, O_TMPFILE and O_ASYNC make no sense for a donated fd.
  constexpr uint32_t kAllowed = O_ACCMODE | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC |
                                O_DIRECT | O_NOATIME | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW |
                                O_NOCTTY | abi_linux::kO_LARGEFILE;
  if ((flags & ~kAllowed) != 0 || (flags & O_ACCMODE) == O_ACCMODE) return Errno(EINVAL);
  const bool writes = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC) != 0;
  if (writes) RETURN_IF_ERRNO(CheckWritable());
  int host_flags = static_cast<int>(flags & ~(O_CLOEXEC | O_NOFOLLOW));
  switch (n.type) {
    case S_IFREG:
      if (flags & O_DIRECTORY) return Errno(ENOTDIR);
      break;
    case S_IFDIR:
      if (writes) return Errno(EISDIR);
      break;
    case S_IFLNK:
      return Errno(ELOOP);  // The sentry resolves symlinks; the host never follows one.
    case S_IFSOCK:
      return Errno(ENXIO);  // As open(2) of a socket.
    case S_IFIFO:
      // Never block the (single-threaded) gofer waiting for the other end of a FIFO. The
      // sentry may clear O_NONBLOCK on the donated fd.
      if (flags & O_DIRECTORY) return Errno(ENOTDIR);
      host_flags |= O_NONBLOCK;
      break;
    default:
      // Device nodes in the root filesystem are not opened on the host: the sentry has its
      // own devices.
      return Errno(EPERM);
  }
  return Reopen(n, host_flags);
}

// ---- The loop ----

template <typename Req, typename Resp>
Server::Reply Server::Call(ErrnoOr<Resp> (Server::*fn)(const Req&), std::string_view payload) {
  Reply reply;
  ErrnoOr<Req> req = Req::Decode(payload);
  if (!req.ok()) {
    reply.error = req.error().value();
    return reply;
  }
  ErrnoOr<Resp> resp = (this->*fn)(*req);
  if (!resp.ok()) {
    reply.error = resp.error().value();
    return reply;
  }
  Encoder e;
  if constexpr (requires { resp->fd; }) {
    resp->resp.Encode(e);
    reply.fd = std::move(resp->fd);
  } else {
    resp->Encode(e);
  }
  if (!e.ok() || e.data().size() > kMaxPayloadSize) {
    // Our own answer does not fit the protocol: a bug or a host file system that breaks the
    // rules (a name longer than NAME_MAX, say). Never send it.
    SK_LOG(ERROR) << "gofer: unencodable "
                  << std::string(MessageTypeName(static_cast<uint16_t>(Req::kType))) << " response";
    reply.fd.reset();
    reply.error = EIO;
    return reply;
  }
  reply.payload = e.Take();
  return reply;
}

Server::Reply Server::Dispatch(uint16_t type, std::string_view payload) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kVersion:
      return Call(&Server::Version, payload);
    case MessageType::kAttach:
      return Call(&Server::Attach, payload);
    case MessageType::kWalk:
      return Call(&Server::Walk, payload);
    case MessageType::kStat:
      return Call(&Server::Stat, payload);
    case MessageType::kOpen:
      return Call(&Server::Open, payload);
    case MessageType::kOpenAt:
      return Call(&Server::OpenAt, payload);
    case MessageType::kMkdir:
      return Call(&Server::Mkdir, payload);
    case MessageType::kMknod:
      return Call(&Server::Mknod, payload);
    case MessageType::kSymlink:
      return Call(&Server::Symlink, payload);
    case MessageType::kLink:
      return Call(&Server::Link, payload);
    case MessageType::kUnlink:
      return Call(&Server::Unlink, payload);
    case MessageType::kRename:
      return Call(&Server::Rename, payload);
    case MessageType::kReadlink:
      return Call(&Server::Readlink, payload);
    case MessageType::kGetdents:
      return Call(&Server::Getdents, payload);
    case MessageType::kSetAttr:
      return Call(&Server::SetAttr, payload);
    case MessageType::kStatFs:
      return Call(&Server::StatFs, payload);
    case MessageType::kGetXattr:
      return Call(&Server::GetXattr, payload);
    case MessageType::kSetXattr:
      return Call(&Server::SetXattr, payload);
    case MessageType::kListXattr:
      return Call(&Server::ListXattr, payload);
    case MessageType::kRemoveXattr:
      return Call(&Server::RemoveXattr, payload);
    case MessageType::kClose:
      return Call(&Server::Close, payload);
  }
  SK_DLOG << "gofer: unknown request type " << type;
  Reply reply;
  reply.error = ENOSYS;
  return reply;
}

absl::Status Server::Run() {
  std::vector<char> scratch;
  for (;;) {
    ErrnoOr<Datagram> got = RecvDatagram(sock_, scratch);
    if (!got.ok()) return util::ErrnoStatus(got.error().value(), "gofer: recvmsg");
    if (got->closed) return absl::OkStatus();
    // Requests never carry fds; any that came are closed with the datagram.
    const Header peek = PeekHeader(got->data);
    Reply reply;
    ErrnoOr<Frame> frame = ParseFrame(got->data);
    if (got->truncated || !got->fds.empty() || !frame.ok() || frame->header.error != 0 ||
        (frame->header.type & kResponseBit) != 0) {
      SK_DLOG << "gofer: malformed request (" << got->data.size() << " bytes)";
      reply.error = EPROTO;
    } else {
      reply = Dispatch(frame->header.type, frame->payload);
    }
    const uint16_t type = static_cast<uint16_t>(peek.type | kResponseBit);
    std::string out = EncodeFrame(type, peek.tag, reply.error, reply.payload);
    ErrnoOrVoid sent = SendDatagram(sock_, out, reply.fd.get());
    if (!sent.ok()) {
      int err = sent.error().value();
      if (err == EPIPE || err == ECONNRESET || err == ENOTCONN) return absl::OkStatus();
      return util::ErrnoStatus(err, "gofer: sendmsg");
    }
  }
}

// ---- Read-side operations ----

ErrnoOr<VersionResponse> Server::Version(const VersionRequest& r) {
  if (r.min_version > kProtocolVersion || r.max_version < kProtocolVersion) {
    return Errno(EPROTONOSUPPORT);
  }
  return VersionResponse{};
}

ErrnoOr<AttachResponse> Server::Attach(const AttachRequest&) {
  ASSIGN_OR_RETURN_ERRNO(
      UniqueFd fd, host::Openat2(root_, ".", O_PATH | O_DIRECTORY, 0, host::kConfinedResolve));
  Attributes attr;
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, MakeNode(std::move(fd), nullptr, "", &attr));
  return AttachResponse{.root = Insert(std::move(n), attr)};
}

ErrnoOr<WalkResponse> Server::Walk(const WalkRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef cur, Lookup(r.handle));
  WalkResponse resp;
  for (const std::string& name : r.names) {
    ErrnoOr<UniqueFd> fd = OpenChild(*cur, name);
    if (!fd.ok()) {
      resp.error = fd.error().value();
      break;
    }
    Attributes attr;
    ErrnoOr<NodeRef> n = MakeNode(std::move(*fd), cur, name, &attr);
    if (!n.ok()) {
      resp.error = n.error().value();
      break;
    }
    NodeRef next = *n;
    resp.walked.push_back(Insert(next, attr));
    // The sentry resolves symlinks itself: stop here, with no error, and let it continue.
    if (next->type == S_IFLNK) break;
    cur = std::move(next);
  }
  return resp;
}

ErrnoOr<StatResponse> Server::Stat(const StatRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  ASSIGN_OR_RETURN_ERRNO(Attributes attr, StatFd(n->fd.get()));
  return StatResponse{.attr = attr};
}

ErrnoOr<WithFd<OpenResponse>> Server::Open(const OpenRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, OpenForIo(*n, r.flags));
  return WithFd<OpenResponse>{.resp = {}, .fd = std::move(fd)};
}

ErrnoOr<ReadlinkResponse> Server::Readlink(const ReadlinkRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  if (n->type != S_IFLNK) return Errno(EINVAL);
  std::string buf(kMaxPathLength + 1, '\0');
  ssize_t len = ::readlinkat(n->fd.get(), "", buf.data(), buf.size());
  if (len < 0) return Errno(errno);
  if (static_cast<size_t>(len) > kMaxPathLength) return Errno(ENAMETOOLONG);
  buf.resize(static_cast<size_t>(len));
  return ReadlinkResponse{.target = std::move(buf)};
}

ErrnoOr<GetdentsResponse> Server::Getdents(const GetdentsRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.dir));
  if (n->type != S_IFDIR) return Errno(ENOTDIR);
  if (r.max_entries == 0) return Errno(EINVAL);
  const size_t max = std::min<size_t>(r.max_entries, kMaxDirents);
  // A fresh description per call: the position lives in the cookie, not in the gofer.
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, Reopen(*n, O_RDONLY | O_DIRECTORY));
  if (::lseek(fd.get(), static_cast<off_t>(r.cookie), SEEK_SET) < 0) return Errno(errno);
  dirent_buf_.resize(kDirentBufferSize);
  GetdentsResponse resp;
  size_t bytes = 4;
  for (;;) {
    ASSIGN_OR_RETURN_ERRNO(std::vector<host::RawDirent> batch,
                           host::Getdents64(fd.get(), dirent_buf_));
    if (batch.empty()) return resp;  // End of directory.
    for (host::RawDirent& d : batch) {
      // "." and ".." are the sentry's business; a name the protocol cannot carry is skipped.
      if (d.name == "." || d.name == ".." || d.name.empty() || d.name.size() > kMaxNameLength) {
        continue;
      }
      bytes += DirentWireSize(d.name);
      if (bytes > kMaxListPayload) return resp;  // The rest next time, from the last cookie.
      resp.entries.push_back(Dirent{.ino = d.ino,
                                    .next = static_cast<uint64_t>(d.off),
                                    .type = d.type,
                                    .name = std::move(d.name)});
      if (resp.entries.size() == max) return resp;
    }
  }
}

ErrnoOr<StatFsResponse> Server::StatFs(const StatFsRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  struct statfs sf {};
  if (::fstatfs(n->fd.get(), &sf) != 0) return Errno(errno);
  return StatFsResponse{.info = {
                            .type = static_cast<uint64_t>(sf.f_type),
                            .bsize = static_cast<uint64_t>(sf.f_bsize),
                            .blocks = sf.f_blocks,
                            .bfree = sf.f_bfree,
                            .bavail = sf.f_bavail,
                            .files = sf.f_files,
                            .ffree = sf.f_ffree,
                            .namelen = static_cast<uint64_t>(sf.f_namelen),
                            .frsize = static_cast<uint64_t>(sf.f_frsize),
                            .flags = static_cast<uint64_t>(sf.f_flags),
                        }};
}

ErrnoOr<GetXattrResponse> Server::GetXattr(const GetXattrRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  if (n->type != S_IFREG && n->type != S_IFDIR) return Errno(EOPNOTSUPP);
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, Reopen(*n, O_RDONLY | O_NONBLOCK));
  std::string value(kMaxXattrValue, '\0');
  ssize_t len = ::fgetxattr(fd.get(), r.name.c_str(), value.data(), value.size());
  if (len < 0) return Errno(errno);
  value.resize(static_cast<size_t>(len));
  return GetXattrResponse{.value = std::move(value)};
}

ErrnoOr<ListXattrResponse> Server::ListXattr(const ListXattrRequest& r) {
  ASSIGN_OR_RETURN_ERRNO(NodeRef n, Lookup(r.handle));
  if (n->type != S_IFREG && n->type != S_IFDIR) return Errno(EOPNOTSUPP);
  ASSIGN_OR_RETURN_ERRNO(UniqueFd fd, Reopen(*n, O_RDONLY | O_NONBLOCK));
  std::string list(kMaxXattrValue, '\0');
  ssize_t len = ::flistxattr(fd.get(), list.data(), list.size());
  if (len < 0) return Errno(errno);
  ListXattrResponse resp;
  size_t bytes = 4;
  std::string_view rest(list.data(), static_cast<size_t>(len));
  while (!rest.empty()) {
    size_t end = rest.find('\0');
    if (end == std::string_view::npos) end = rest.size();
    std::string_view name = rest.substr(0, end);
    rest.remove_prefix(std::min(rest.size(), end + 1));
    if (name.empty()) continue;
    if (name.size() > kMaxNameLength) return Errno(EIO);
    bytes += 4 + name.size();
    if (bytes > kMaxListPayload || resp.names.size() == kMaxXattrNames) return Errno(E2BIG);
    resp.names.emplace_back(name);
  }
  return resp;
}

ErrnoOr<CloseResponse> Server::Close(const CloseRequest& r) {
  bool unknown = false;
  for (uint64_t h : r.handles) {
    if (handles_.erase(h) == 0) unknown = true;
  }
  if (unknown) return Errno(EBADF);
  return CloseResponse{};
}

}  // namespace internal

absl::Status Serve(int sock_fd, int root_dir_fd, const ServerOptions& opts) {
  internal::Server server(sock_fd, root_dir_fd, opts);
  return server.Run();
}

}  // namespace gofer
