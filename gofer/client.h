// The sentry's end of the gofer protocol: one method per message, each a blocking round trip
// that answers with the gofer's errno.
//
//   gofer::Client c(std::move(sock));
//   ASSIGN_OR_RETURN_ERRNO(gofer::Inode root, c.Attach());
//   ASSIGN_OR_RETURN_ERRNO(gofer::WalkResponse w, c.Walk(root.handle, {"etc", "hostname"}));
//   if (w.error != 0 || w.walked.size() != 2) ...  // see WalkResponse
//   ASSIGN_OR_RETURN_ERRNO(util::UniqueFd fd, c.Open(w.walked.back().handle, O_RDONLY));
//
// Thread-safe: calls are serialized (one request in flight). Once the gofer is gone (the
// socket hung up, failed, or the peer broke the protocol) every call answers EIO.
//
// Locking: one mutex, mu_, held for a whole round trip (send and receive); nothing else is
// locked under it.
#ifndef GOFER_CLIENT_H_
#define GOFER_CLIENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gofer/protocol.h"
#include "util/errno.h"
#include "util/unique_fd.h"

namespace gofer {

// What Open/OpenAt hand back: the new handle (OpenAt) and the donated host fd.
struct OpenAtResult {
  Inode inode;
  util::UniqueFd fd;
};

using WalkResult = WalkResponse;

class Client {
 public:
  explicit Client(util::UniqueFd sock) : sock_(std::move(sock)) {}
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The protocol version the gofer speaks (EPROTONOSUPPORT if none in [min, max]).
  util::ErrnoOr<uint16_t> Version();
  // A new handle on the root directory.
  util::ErrnoOr<Inode> Attach();
  // Walks `names` from the directory `handle`; see WalkResponse for early stops.
  util::ErrnoOr<WalkResult> Walk(uint64_t handle, std::vector<std::string> names);
  util::ErrnoOr<Attributes> Stat(uint64_t handle);
  // A host fd for I/O on `handle` (open(2) flags, no O_CREAT).
  util::ErrnoOr<util::UniqueFd> Open(uint64_t handle, uint32_t flags);
  // Opens, or with O_CREAT creates, the regular file `name` in `dir`.
  util::ErrnoOr<OpenAtResult> OpenAt(uint64_t dir, std::string name, uint32_t flags, uint32_t mode,
                                     uint32_t uid = kNoId, uint32_t gid = kNoId);
  util::ErrnoOr<Inode> Mkdir(uint64_t dir, std::string name, uint32_t mode, uint32_t uid = kNoId,
                             uint32_t gid = kNoId);
  util::ErrnoOr<Inode> Mknod(uint64_t dir, std::string name, uint32_t mode, uint32_t uid = kNoId,
                             uint32_t gid = kNoId);
  util::ErrnoOr<Inode> Symlink(uint64_t dir, std::string name, std::string target,
                               uint32_t uid = kNoId, uint32_t gid = kNoId);
  util::ErrnoOr<Inode> Link(uint64_t dir, std::string name, uint64_t target);
  util::ErrnoOrVoid Unlink(uint64_t dir, std::string name, uint32_t flags = 0);
  util::ErrnoOrVoid Rename(uint64_t old_dir, std::string old_name, uint64_t new_dir,
                           std::string new_name, uint32_t flags = 0);
  util::ErrnoOr<std::string> Readlink(uint64_t handle);
  util::ErrnoOr<std::vector<Dirent>> Getdents(uint64_t dir, uint64_t cookie, uint32_t max_entries);
  // `req.handle` names the file; answers with the attributes afterwards.
  util::ErrnoOr<Attributes> SetAttr(const SetAttrRequest& req);
  util::ErrnoOr<StatFsInfo> StatFs(uint64_t handle);
  util::ErrnoOr<std::string> GetXattr(uint64_t handle, std::string name);
  util::ErrnoOrVoid SetXattr(uint64_t handle, std::string name, std::string value,
                             uint32_t flags = 0);
  util::ErrnoOr<std::vector<std::string>> ListXattr(uint64_t handle);
  util::ErrnoOrVoid RemoveXattr(uint64_t handle, std::string name);
  util::ErrnoOrVoid Close(std::vector<uint64_t> handles);

  // Whether the gofer is known to be gone (every call answers EIO).
  bool dead() const;

 private:
  // One round trip: encodes `req`, waits for the matching response, decodes it. With `fd`,
  // the response must carry exactly one fd, which is stored there; otherwise fds are closed.
  template <typename Resp, typename Req>
  util::ErrnoOr<Resp> Call(const Req& req, util::UniqueFd* fd = nullptr);
  util::ErrnoOr<std::string> RoundTrip(uint16_t type, const std::string& payload,
                                       util::UniqueFd* fd) ABSL_LOCKS_EXCLUDED(mu_);
  // Marks the gofer gone (logging why, once) and returns EIO.
  util::Errno DieLocked(const char* why, int err) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  util::UniqueFd sock_ ABSL_GUARDED_BY(mu_);
  uint64_t next_tag_ ABSL_GUARDED_BY(mu_) = 1;
  bool dead_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<char> scratch_ ABSL_GUARDED_BY(mu_);
};

}  // namespace gofer

#endif  // GOFER_CLIENT_H_
