// The gofer's request handler, shared by server.cc (the loop, the handle table and the
// read-only operations) and server_mutate.cc (operations that change the file system).
// Not part of the gofer's interface: use Serve() / RunGofer() from gofer/server.h.
#ifndef GOFER_SERVER_INTERNAL_H_
#define GOFER_SERVER_INTERNAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "gofer/protocol.h"
#include "gofer/server.h"
#include "util/errno.h"
#include "util/unique_fd.h"

namespace gofer::internal {

// A file the gofer holds: an O_PATH fd that was opened without following anything.
struct Node {
  util::UniqueFd fd;
  uint32_t type = 0;  // The S_IFMT bits.
  uint64_t dev = 0;   // Identity, to check that a reopen reached the same file.
  uint64_t ino = 0;
  // Non-directories only: the directory the file was found in and its name there, which is how
  // it is reopened for I/O (an O_PATH fd cannot be upgraded without /proc/self/fd, and a
  // directory reopens itself as "."). Renames through the gofer keep them current.
  std::shared_ptr<Node> parent;
  std::string name;
};
using NodeRef = std::shared_ptr<Node>;

// A handler's answer that donates a host fd.
template <typename Resp>
struct WithFd {
  Resp resp;
  util::UniqueFd fd;
};

class Server {
 public:
  Server(int sock_fd, int root_fd, const ServerOptions& opts)
      : sock_(sock_fd), root_(root_fd), opts_(opts) {}
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  absl::Status Run();

  // Reopens a node for I/O with open(2) flags; ESTALE if its name now names another file.
  util::ErrnoOr<util::UniqueFd> Reopen(const Node& n, int flags) const;

 private:
  struct Reply {
    int32_t error = 0;
    std::string payload;
    util::UniqueFd fd;
  };

  Reply Dispatch(uint16_t type, std::string_view payload);
  template <typename Req, typename Resp>
  Reply Call(util::ErrnoOr<Resp> (Server::*fn)(const Req&), std::string_view payload);

  // The handle table.
  util::ErrnoOr<NodeRef> Lookup(uint64_t handle) const;
  util::ErrnoOr<NodeRef> LookupDir(uint64_t handle) const;
  // Wraps an O_PATH fd found as `name` in `dir` (dir may be null for the root) in a Node.
  util::ErrnoOr<NodeRef> MakeNode(util::UniqueFd fd, const NodeRef& dir, const std::string& name,
                                  Attributes* attr);
  Inode Insert(NodeRef node, const Attributes& attr);
  // Opens `name` in `dir` as O_PATH, never following it.
  util::ErrnoOr<util::UniqueFd> OpenChild(const Node& dir, const std::string& name) const;
  // Opens a node for I/O on the sentry's behalf: checks flags, type and read-only mode.
  util::ErrnoOr<util::UniqueFd> OpenForIo(const Node& n, uint32_t flags) const;
  // After creating `name` in `dir`: takes a handle on it, sets its owner and fixes the
  // permission bits the gofer's umask took away. Removes it again if that fails.
  // `created`, if given, is the fd the creating open returned: the name must still be it.
  util::ErrnoOr<Inode> FinishCreate(const NodeRef& dir, const std::string& name, uint32_t perm,
                                    uint32_t uid, uint32_t gid, const util::UniqueFd* created);
  util::ErrnoOrVoid CheckWritable() const;

  // One handler per message type.
  util::ErrnoOr<VersionResponse> Version(const VersionRequest& r);
  util::ErrnoOr<AttachResponse> Attach(const AttachRequest& r);
  util::ErrnoOr<WalkResponse> Walk(const WalkRequest& r);
  util::ErrnoOr<StatResponse> Stat(const StatRequest& r);
  util::ErrnoOr<WithFd<OpenResponse>> Open(const OpenRequest& r);
  util::ErrnoOr<WithFd<OpenAtResponse>> OpenAt(const OpenAtRequest& r);
  util::ErrnoOr<MkdirResponse> Mkdir(const MkdirRequest& r);
  util::ErrnoOr<MknodResponse> Mknod(const MknodRequest& r);
  util::ErrnoOr<SymlinkResponse> Symlink(const SymlinkRequest& r);
  util::ErrnoOr<LinkResponse> Link(const LinkRequest& r);
  util::ErrnoOr<UnlinkResponse> Unlink(const UnlinkRequest& r);
  util::ErrnoOr<RenameResponse> Rename(const RenameRequest& r);
  util::ErrnoOr<ReadlinkResponse> Readlink(const ReadlinkRequest& r);
  util::ErrnoOr<GetdentsResponse> Getdents(const GetdentsRequest& r);
  util::ErrnoOr<SetAttrResponse> SetAttr(const SetAttrRequest& r);
  util::ErrnoOr<StatFsResponse> StatFs(const StatFsRequest& r);
  util::ErrnoOr<GetXattrResponse> GetXattr(const GetXattrRequest& r);
  util::ErrnoOr<SetXattrResponse> SetXattr(const SetXattrRequest& r);
  util::ErrnoOr<ListXattrResponse> ListXattr(const ListXattrRequest& r);
  util::ErrnoOr<RemoveXattrResponse> RemoveXattr(const RemoveXattrRequest& r);
  util::ErrnoOr<CloseResponse> Close(const CloseRequest& r);

  const int sock_;
  const int root_;
  const ServerOptions opts_;
  absl::flat_hash_map<uint64_t, NodeRef> handles_;
  uint64_t next_handle_ = 1;  // 0 is never a handle.
  std::vector<char> dirent_buf_;
};

// Shared helpers (server.cc).
util::ErrnoOrVoid ValidateName(const std::string& name);
util::ErrnoOr<Attributes> StatFd(int fd);
// Whether `a` (a fresh stat) is the file `n` was opened on.
bool SameFile(const Attributes& a, const Node& n);

}  // namespace gofer::internal

#endif  // GOFER_SERVER_INTERNAL_H_
