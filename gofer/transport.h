// Sending and receiving one gofer datagram over a SOCK_SEQPACKET socket, with at most one
// donated file descriptor (SCM_RIGHTS). Shared by the gofer (server.cc) and the sentry's
// client (client.cc).
//
//   RETURN_IF_ERRNO(SendDatagram(sock, frame, fd.get()));
//   ASSIGN_OR_RETURN_ERRNO(Datagram d, RecvDatagram(sock, scratch_));
//   if (d.closed) ...  // the peer hung up
#ifndef GOFER_TRANSPORT_H_
#define GOFER_TRANSPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "util/errno.h"
#include "util/unique_fd.h"

namespace gofer {

// Sends `data` as one datagram, with `fd` attached if it is >= 0. Never raises SIGPIPE (a
// vanished peer is EPIPE). Retries EINTR.
util::ErrnoOrVoid SendDatagram(int sock, std::string_view data, int fd = -1);

struct Datagram {
  bool closed = false;     // The peer hung up (recvmsg returned 0 or ECONNRESET).
  bool truncated = false;  // Longer than kMaxFrameSize: data holds only the beginning.
  std::string data;
  std::vector<util::UniqueFd> fds;  // Every fd that came with it, close-on-exec.
};

// Receives one datagram (blocking) through `scratch`, a buffer the caller keeps between calls
// (grown to kMaxFrameSize once). Fds are received with MSG_CMSG_CLOEXEC; all of them are handed
// to the caller, who closes any it did not expect. Retries EINTR.
util::ErrnoOr<Datagram> RecvDatagram(int sock, std::vector<char>& scratch);

}  // namespace gofer

#endif  // GOFER_TRANSPORT_H_
