// Unix-domain sockets (unix(7)) in the sentry: stream, datagram and
// seqpacket sockets, connected in pairs (socketpair(2)) or through names
// (bind(2)/connect(2)); no host socket is involved. The syscall layer
// (sys_socket.cc) parses guest addresses and control messages; this file
// moves data, rights (open file descriptions) and credentials.
//
//   auto [a, b] = unix_socket::UnixSocket::NewPair(kSOCK_STREAM, 0, creds);
//   ASSIGN_OR_RETURN_ERRNO(size_t n, a->Write(mm, iov, -1));
//
//   auto s = unix_socket::UnixSocket::New(kSOCK_STREAM, 0);
//   RETURN_IF_ERRNO(s->BindAbstract(std::string("\0name", 5)));
//   RETURN_IF_ERRNO(s->Listen(16, creds));
//
// Names: a path-bound socket is found through its S_IFSOCK inode (the
// sentry-wide map from vfs::Inode* to the bound socket), an abstract one
// through a sentry-wide map of names.
//
// Locking: one mutex (internal::Mu()) guards the state of every unix
// socket and both name maps, so operations that touch two or three sockets
// (connect, send) need no lock order. It is a leaf: readiness queues are
// notified, and the last references to sockets and passed files dropped,
// only after it is released.
#ifndef SENTRY_FSIMPL_UNIX_UNIX_SOCKET_H_
#define SENTRY_FSIMPL_UNIX_UNIX_SOCKET_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "abi/linux/socket.h"
#include "absl/time/time.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::unix_socket {

// SO_SNDBUF/SO_RCVBUF defaults (net.core.wmem_default/rmem_default).
inline constexpr int kDefaultBuf = 212992;

// What travels beside the data: passed files (SCM_RIGHTS) and the
// sender's credentials (shown as SCM_CREDENTIALS to SO_PASSCRED readers).
struct Control {
  std::vector<std::shared_ptr<vfs::FileDescription>> rights;
  std::optional<abi_linux::Ucred> creds;
};

struct SendOptions {
  int flags = 0;          // MSG_* flags
  bool nonblock = false;  // O_NONBLOCK or MSG_DONTWAIT
  Control control;        // rights to pass; creds: the sender's (default or SCM_CREDENTIALS)
  // Datagram sockets: the destination given to sendto(2)/sendmsg(2), or
  // nullptr for the connected peer.
  class UnixSocket* to = nullptr;
};

struct RecvResult {
  size_t copied = 0;   // bytes placed in the caller's buffer
  size_t length = 0;   // datagram/seqpacket: the message's real length
  int msg_flags = 0;   // MSG_TRUNC (and MSG_EOR for seqpacket)
  std::string from;    // the sender's address (sun_path bytes); empty: unnamed
  Control control;
};

class UnixSocket : public vfs::FileDescription, public std::enable_shared_from_this<UnixSocket> {
 public:
  // `type` is SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET; `flags` may hold
  // O_NONBLOCK.
  UnixSocket(int type, int flags);
  ~UnixSocket() override;

  static std::shared_ptr<UnixSocket> New(int type, int flags);
  // socketpair(2): connected to each other, each with the other's creds.
  static std::pair<std::shared_ptr<UnixSocket>, std::shared_ptr<UnixSocket>> NewPair(
      int type, int flags, const abi_linux::Ucred& creds);

  int type() const { return type_; }

  // bind(2). `name` is the address's sun_path bytes: a path with its
  // terminating NUL, or an abstract name starting with NUL. EINVAL when
  // already bound, EADDRINUSE for a taken abstract name.
  util::ErrnoOrVoid BindPath(std::shared_ptr<vfs::Inode> inode, std::string name);
  util::ErrnoOrVoid BindAbstract(std::string name);
  // bind(2) with an empty name, and implicit binds: a fresh abstract name.
  util::ErrnoOrVoid Autobind();
  bool bound();
  // The socket bound to a path's inode or an abstract name (nullptr: none).
  static std::shared_ptr<UnixSocket> FindPath(vfs::Inode* inode);
  static std::shared_ptr<UnixSocket> FindAbstract(const std::string& name);

  // listen(2); `creds` become the SO_PEERCRED of sockets that connect.
  util::ErrnoOrVoid Listen(int backlog, const abi_linux::Ucred& creds);
  // connect(2) to `server` (a listener, or for datagram sockets any
  // socket of that type). Blocks while the backlog is full.
  util::ErrnoOrVoid Connect(UnixSocket& server, const abi_linux::Ucred& creds);
  // accept(2): the next pending connection, with `flags` (O_NONBLOCK).
  util::ErrnoOr<std::shared_ptr<UnixSocket>> Accept(int flags);
  // shutdown(2): SHUT_RD, SHUT_WR or SHUT_RDWR.
  util::ErrnoOrVoid Shutdown(int how);

  // The local and peer addresses (sun_path bytes; empty when unnamed).
  std::string LocalName();
  util::ErrnoOr<std::string> PeerName();

  // sendmsg(2)/recvmsg(2) on guest memory. Send returns the bytes sent.
  util::ErrnoOr<size_t> Send(mm::MemoryManager& mm, const vfs::IoVec& src, SendOptions opts);
  util::ErrnoOr<RecvResult> Recv(mm::MemoryManager& mm, const vfs::IoVec& dst, int flags,
                                 bool nonblock);

  // Socket options (SOL_SOCKET) the socket keeps.
  struct Options {
    bool passcred = false;
    bool reuseaddr = false;
    int sndbuf = kDefaultBuf;
    int rcvbuf = kDefaultBuf;
    absl::Duration rcvtimeo = absl::ZeroDuration();  // zero: none
    absl::Duration sndtimeo = absl::ZeroDuration();
  };
  Options options();
  void set_options(const Options& o);
  bool listening();
  // SO_PEERCRED: the peer's credentials when it connected; ENOTCONN-like
  // {0, -1, -1} (as Linux reports) when there is none.
  abi_linux::Ucred PeerCred();
  // SO_ERROR: the pending error, cleared.
  int TakeError();
  // Bytes queued for reading (FIONREAD/SIOCINQ).
  size_t Pending();

  // ---- vfs::FileDescription ----
  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src,
                              int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  util::ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override { return &queue_; }
  std::string Name() const override;
  bool is_pipe() const override { return true; }  // EPIPE raises SIGPIPE on write(2)

 private:
  friend class Locked;
  struct Message {
    std::string data;
    Control control;
    std::string from;
  };
  enum class State { kUnconnected, kListening, kConnected };
  // sk_shutdown bits.
  static constexpr int kRcvShutdown = 1, kSendShutdown = 2;

  bool connection_oriented() const { return type_ != abi_linux::kSOCK_DGRAM; }
  // Whether `n` more bytes (one message for datagrams) fit in the receive
  // queue. Called with the lock held.
  bool HasRoomLocked(size_t n) const;

  const int type_;
  const uint64_t ino_;
  vfs::WaitQueue queue_;

  // Guarded by internal::Mu().
  State state_ = State::kUnconnected;
  std::string name_;                 // bound address; empty when unbound
  bool registered_ = false;          // name_ is in a name map (not an accepted end)
  std::shared_ptr<vfs::Inode> bound_inode_;  // for path names
  std::weak_ptr<UnixSocket> peer_;   // connected peer / datagram default destination
  int shutdown_ = 0;
  std::deque<Message> rx_;
  size_t rx_bytes_ = 0;
  std::deque<std::shared_ptr<UnixSocket>> accept_queue_;
  int backlog_ = 0;
  abi_linux::Ucred peer_cred_{0, static_cast<uint32_t>(-1), static_cast<uint32_t>(-1)};
  abi_linux::Ucred listen_cred_{};
  int error_ = 0;
  Options options_;
};

}  // namespace sentry::fsimpl::unix_socket

#endif  // SENTRY_FSIMPL_UNIX_UNIX_SOCKET_H_
