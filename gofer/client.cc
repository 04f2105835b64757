#include "gofer/client.h"

#include <cerrno>
#include <utility>

#include "gofer/transport.h"
#include "util/logging.h"

namespace gofer {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;
using util::UniqueFd;

bool Client::dead() const {
  absl::MutexLock lock(&mu_);
  return dead_;
}

Errno Client::DieLocked(const char* why, int err) {
  if (!dead_) SK_LOG(WARNING) << "gofer client: " << why << " (" << err << "); gofer is gone";
  dead_ = true;
  return Errno(EIO);
}

ErrnoOr<std::string> Client::RoundTrip(uint16_t type, const std::string& payload, UniqueFd* fd) {
  absl::MutexLock lock(&mu_);
  // Any failure of the channel itself means the gofer is gone or cannot be trusted to be in
  // step with us: stop talking to it.
  if (dead_) return Errno(EIO);
  const uint64_t tag = next_tag_++;
  ErrnoOrVoid sent = SendDatagram(sock_.get(), EncodeFrame(type, tag, 0, payload));
  if (!sent.ok()) return DieLocked("send", sent.error().value());
  ErrnoOr<Datagram> got = RecvDatagram(sock_.get(), scratch_);
  if (!got.ok()) return DieLocked("receive", got.error().value());
  if (got->closed) return DieLocked("hang-up", 0);
  if (got->truncated) return DieLocked("oversized response", EPROTO);
  ErrnoOr<Frame> frame = ParseFrame(got->data);
  if (!frame.ok()) return DieLocked("malformed response", frame.error().value());
  const Header& h = frame->header;
  if (h.tag != tag || h.type != (type | kResponseBit)) {
    return DieLocked("out-of-step response", EPROTO);
  }
  if (h.error != 0) return Errno(h.error);  // Unexpected fds close with `got`.
  if (fd != nullptr) {
    if (got->fds.empty()) return Errno(EIO);
    *fd = std::move(got->fds.front());  // Any extra ones close with `got`.
  }
  return std::string(frame->payload);
}

template <typename Resp, typename Req>
ErrnoOr<Resp> Client::Call(const Req& req, UniqueFd* fd) {
  static_assert(Req::kType == Resp::kType);
  Encoder e;
  req.Encode(e);
  // A request the protocol cannot carry (a bad name, too many handles) never leaves.
  if (!e.ok()) return e.error();
  if (e.data().size() > kMaxPayloadSize) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(std::string payload,
                         RoundTrip(static_cast<uint16_t>(Req::kType), e.data(), fd));
  ErrnoOr<Resp> resp = Resp::Decode(payload);
  if (!resp.ok()) {
    if (fd != nullptr) fd->reset();
    absl::MutexLock lock(&mu_);
    return DieLocked("undecodable response", resp.error().value());
  }
  return resp;
}

ErrnoOr<uint16_t> Client::Version() {
  ASSIGN_OR_RETURN_ERRNO(VersionResponse r, Call<VersionResponse>(VersionRequest{}));
  if (r.version != kProtocolVersion) return Errno(EPROTONOSUPPORT);
  return r.version;
}

ErrnoOr<Inode> Client::Attach() {
  ASSIGN_OR_RETURN_ERRNO(AttachResponse r, Call<AttachResponse>(AttachRequest{}));
  return r.root;
}

ErrnoOr<WalkResult> Client::Walk(uint64_t handle, std::vector<std::string> names) {
  const size_t asked = names.size();
  ASSIGN_OR_RETURN_ERRNO(
      WalkResponse r, Call<WalkResponse>(WalkRequest{.handle = handle, .names = std::move(names)}));
  if (r.walked.size() > asked) return Errno(EIO);
  return r;
}

ErrnoOr<Attributes> Client::Stat(uint64_t handle) {
  ASSIGN_OR_RETURN_ERRNO(StatResponse r, Call<StatResponse>(StatRequest{.handle = handle}));
  return r.attr;
}

ErrnoOr<UniqueFd> Client::Open(uint64_t handle, uint32_t flags) {
  UniqueFd fd;
  RETURN_IF_ERRNO(Call<OpenResponse>(OpenRequest{.handle = handle, .flags = flags}, &fd));
  return fd;
}

ErrnoOr<OpenAtResult> Client::OpenAt(uint64_t dir, std::string name, uint32_t flags, uint32_t mode,
                                     uint32_t uid, uint32_t gid) {
  UniqueFd fd;
  ASSIGN_OR_RETURN_ERRNO(OpenAtResponse r,
                         Call<OpenAtResponse>(OpenAtRequest{.dir = dir,
                                                            .name = std::move(name),
                                                            .flags = flags,
                                                            .mode = mode,
                                                            .uid = uid,
                                                            .gid = gid},
                                              &fd));
  return OpenAtResult{.inode = r.inode, .fd = std::move(fd)};
}

ErrnoOr<Inode> Client::Mkdir(uint64_t dir, std::string name, uint32_t mode, uint32_t uid,
                             uint32_t gid) {
  ASSIGN_OR_RETURN_ERRNO(
      MkdirResponse r,
      Call<MkdirResponse>(
          MkdirRequest{.dir = dir, .name = std::move(name), .mode = mode, .uid = uid, .gid = gid}));
  return r.inode;
}

ErrnoOr<Inode> Client::Mknod(uint64_t dir, std::string name, uint32_t mode, uint32_t uid,
                             uint32_t gid) {
  ASSIGN_OR_RETURN_ERRNO(
      MknodResponse r,
      Call<MknodResponse>(
          MknodRequest{.dir = dir, .name = std::move(name), .mode = mode, .uid = uid, .gid = gid}));
  return r.inode;
}

ErrnoOr<Inode> Client::Symlink(uint64_t dir, std::string name, std::string target, uint32_t uid,
                               uint32_t gid) {
  ASSIGN_OR_RETURN_ERRNO(SymlinkResponse r,
                         Call<SymlinkResponse>(SymlinkRequest{.dir = dir,
                                                              .name = std::move(name),
                                                              .target = std::move(target),
                                                              .uid = uid,
                                                              .gid = gid}));
  return r.inode;
}

ErrnoOr<Inode> Client::Link(uint64_t dir, std::string name, uint64_t target) {
  ASSIGN_OR_RETURN_ERRNO(
      LinkResponse r,
      Call<LinkResponse>(LinkRequest{.dir = dir, .name = std::move(name), .target = target}));
  return r.inode;
}

ErrnoOrVoid Client::Unlink(uint64_t dir, std::string name, uint32_t flags) {
  RETURN_IF_ERRNO(
      Call<UnlinkResponse>(UnlinkRequest{.dir = dir, .name = std::move(name), .flags = flags}));
  return {};
}

ErrnoOrVoid Client::Rename(uint64_t old_dir, std::string old_name, uint64_t new_dir,
                           std::string new_name, uint32_t flags) {
  RETURN_IF_ERRNO(Call<RenameResponse>(RenameRequest{.old_dir = old_dir,
                                                     .old_name = std::move(old_name),
                                                     .new_dir = new_dir,
                                                     .new_name = std::move(new_name),
                                                     .flags = flags}));
  return {};
}

ErrnoOr<std::string> Client::Readlink(uint64_t handle) {
  ASSIGN_OR_RETURN_ERRNO(ReadlinkResponse r,
                         Call<ReadlinkResponse>(ReadlinkRequest{.handle = handle}));
  return std::move(r.target);
}

ErrnoOr<std::vector<Dirent>> Client::Getdents(uint64_t dir, uint64_t cookie, uint32_t max_entries) {
  ASSIGN_OR_RETURN_ERRNO(GetdentsResponse r,
                         Call<GetdentsResponse>(GetdentsRequest{
                             .dir = dir, .cookie = cookie, .max_entries = max_entries}));
  if (r.entries.size() > max_entries) return Errno(EIO);
  return std::move(r.entries);
}

ErrnoOr<Attributes> Client::SetAttr(const SetAttrRequest& req) {
  ASSIGN_OR_RETURN_ERRNO(SetAttrResponse r, Call<SetAttrResponse>(req));
  return r.attr;
}

ErrnoOr<StatFsInfo> Client::StatFs(uint64_t handle) {
  ASSIGN_OR_RETURN_ERRNO(StatFsResponse r, Call<StatFsResponse>(StatFsRequest{.handle = handle}));
  return r.info;
}

ErrnoOr<std::string> Client::GetXattr(uint64_t handle, std::string name) {
  ASSIGN_OR_RETURN_ERRNO(GetXattrResponse r, Call<GetXattrResponse>(GetXattrRequest{
                                                 .handle = handle, .name = std::move(name)}));
  return std::move(r.value);
}

ErrnoOrVoid Client::SetXattr(uint64_t handle, std::string name, std::string value, uint32_t flags) {
  RETURN_IF_ERRNO(Call<SetXattrResponse>(SetXattrRequest{
      .handle = handle, .name = std::move(name), .value = std::move(value), .flags = flags}));
  return {};
}

ErrnoOr<std::vector<std::string>> Client::ListXattr(uint64_t handle) {
  ASSIGN_OR_RETURN_ERRNO(ListXattrResponse r,
                         Call<ListXattrResponse>(ListXattrRequest{.handle = handle}));
  return std::move(r.names);
}

ErrnoOrVoid Client::RemoveXattr(uint64_t handle, std::string name) {
  RETURN_IF_ERRNO(
      Call<RemoveXattrResponse>(RemoveXattrRequest{.handle = handle, .name = std::move(name)}));
  return {};
}

ErrnoOrVoid Client::Close(std::vector<uint64_t> handles) {
  RETURN_IF_ERRNO(Call<CloseResponse>(CloseRequest{.handles = std::move(handles)}));
  return {};
}

}  // namespace gofer
