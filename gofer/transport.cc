#include "gofer/transport.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "gofer/protocol.h"

namespace gofer {
namespace {

// Fds one datagram may bring; a peer that sends more loses the rest (MSG_CTRUNC: the kernel
// closes them) and the datagram is still delivered.
constexpr int kMaxFdsPerDatagram = 4;

}  // namespace

util::ErrnoOrVoid SendDatagram(int sock, std::string_view data, int fd) {
  iovec iov{.iov_base = const_cast<char*>(data.data()), .iov_len = data.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  }
  for (;;) {
    ssize_t n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n >= 0) {
      // A seqpacket send is all or nothing.
      if (static_cast<size_t>(n) != data.size()) return util::Errno(EIO);
      return {};
    }
    if (errno != EINTR) return util::Errno(errno);
  }
}

util::ErrnoOr<Datagram> RecvDatagram(int sock, std::vector<char>& scratch) {
  Datagram d;
  if (scratch.size() < kMaxFrameSize) scratch.resize(kMaxFrameSize);
  iovec iov{.iov_base = scratch.data(), .iov_len = kMaxFrameSize};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerDatagram)];
  msghdr msg{};
  ssize_t n;
  for (;;) {
    msg = msghdr{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n >= 0) break;
    if (errno == EINTR) continue;
    if (errno == ECONNRESET) {
      d.closed = true;
      return d;
    }
    return util::Errno(errno);
  }
  // Take every fd first so none leaks, whatever else is wrong with the datagram.
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      d.fds.emplace_back(fd);
    }
  }
  if (n == 0) {
    // Our frames are never empty: zero bytes is the peer's end of stream.
    d.closed = true;
    return d;
  }
  d.truncated = (msg.msg_flags & MSG_TRUNC) != 0;
  d.data.assign(scratch.data(), static_cast<size_t>(n));
  return d;
}

}  // namespace gofer
