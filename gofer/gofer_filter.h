// The gofer process's seccomp allowlist: file operations relative to held fds, the one socket,
// and what malloc and logging need. Everything else kills the process.
//
//   ASSIGN_OR_RETURN(SeccompProgram p, BuildGoferFilter(sock_fd));
//   RETURN_IF_ERROR(p.Install());
#ifndef GOFER_GOFER_FILTER_H_
#define GOFER_GOFER_FILTER_H_

#include "absl/status/statusor.h"
#include "util/seccomp_filter.h"

namespace gofer {

using util::SeccompProgram;

// recvmsg/sendmsg are allowed on `sock_fd` only; write on stderr only.
absl::StatusOr<SeccompProgram> BuildGoferFilter(int sock_fd);

}  // namespace gofer

#endif  // GOFER_GOFER_FILTER_H_
