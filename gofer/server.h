// The gofer: the process that owns a container's root filesystem and answers the sentry's file
// requests (gofer/protocol.h) over a SOCK_SEQPACKET socket.
//
//   // runsc gofer, in a fresh process:
//   absl::Status s = gofer::RunGofer(sock_fd, "/path/to/rootfs", /*read_only=*/false);
//
//   // A test, on a thread (no namespaces, no seccomp):
//   std::thread t([&] { status = gofer::Serve(sock, root_fd, {}); });
//
// Security rules (see gofer/README.md): every host open is openat2 relative to a held directory
// fd with O_NOFOLLOW and RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS, of a
// single name component ("", ".", "..", names with '/' or NUL are refused with EINVAL). Symlinks
// are handed out as symlinks and never followed; /proc/self/fd is never used.
#ifndef GOFER_SERVER_H_
#define GOFER_SERVER_H_

#include <string>

#include "absl/status/status.h"

namespace gofer {

struct ServerOptions {
  // Refuse every mutating request, and every open for writing or truncation, with EROFS.
  bool read_only = false;
};

// Serves requests on `sock_fd` until the peer hangs up (then OK) or the socket fails. Handles
// are opened relative to `root_dir_fd`, a directory fd (O_PATH is enough) that the caller keeps
// open. Single-threaded: one request at a time, answered in order. Neither fd is closed.
absl::Status Serve(int sock_fd, int root_dir_fd, const ServerOptions& opts);

// The gofer process's entry point: opens `root_path`, moves into a private mount namespace
// pivoted onto it (when permitted; otherwise logs and only chdirs to it), installs the gofer's
// seccomp filter (gofer/gofer_filter.h), then Serve()s. Irreversibly confines the calling
// process: call it in a process of its own.
absl::Status RunGofer(int sock_fd, const std::string& root_path, bool read_only);

}  // namespace gofer

#endif  // GOFER_SERVER_H_
