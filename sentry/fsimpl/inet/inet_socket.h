// AF_INET and AF_INET6 sockets on the sandbox's own loopback network: the
// interface lo with 127.0.0.0/8 and ::1, nothing else, and nothing that
// reaches the host's network. TCP (SOCK_STREAM) and UDP (SOCK_DGRAM) are
// modelled as applications see them, not as packets: connect(2) to a
// listener queues an established server end for accept(2) at once, a
// stream write lands in the peer's receive queue, a datagram in the
// receiving socket's queue. The syscall layer (sys_inet.cc) parses guest
// addresses and options; this file keeps ports, queues and connection state.
//
//   auto s = inet::InetSocket::New(kAF_INET, kSOCK_STREAM, 0);
//   RETURN_IF_ERRNO(s->Bind({Addr::V4(0x7f000001), 0}, /*privileged=*/false));
//   RETURN_IF_ERRNO(s->Listen(16));
//
// Addresses are kept in v4-mapped IPv6 form (address.h); an AF_INET6
// socket without IPV6_V6ONLY bound to :: also takes IPv4 traffic.
//
// What a connection does that applications notice: flow control (a
// writer waits while the peer's receive queue and its own send buffer,
// SO_RCVBUF + SO_SNDBUF, are full), half-close (shutdown(SHUT_WR) is the
// peer's EOF), close with unread data or SO_LINGER {1, 0} resets the peer
// (ECONNRESET), a write to a peer that has closed is answered by a reset
// (the next write fails with EPIPE), and a connect(2) with nobody
// listening is refused. Not modelled: TIME_WAIT, urgent data, the
// handshake's timing (a non-blocking connect completes before it returns
// EINPROGRESS), ICMP errors for UDP.
//
// Locking: one mutex guards every inet socket and the port tables, so
// operations on two sockets need no lock order. It is a leaf: readiness
// queues are notified, and sockets released, only after it is dropped.
#ifndef SENTRY_FSIMPL_INET_INET_SOCKET_H_
#define SENTRY_FSIMPL_INET_INET_SOCKET_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "abi/linux/socket.h"
#include "absl/time/time.h"
#include "sentry/fsimpl/inet/address.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::inet {

// Socket buffer defaults: net.core.rmem_default/wmem_default for UDP,
// net.ipv4.tcp_rmem/tcp_wmem's defaults for TCP.
inline constexpr int kUdpDefaultBuf = 212992;
inline constexpr int kTcpDefaultRcvbuf = 131072;
inline constexpr int kTcpDefaultSndbuf = 16384;
// Ephemeral ports (net.ipv4.ip_local_port_range) by default.
inline constexpr uint16_t kEphemeralLow = 32768, kEphemeralHigh = 60999;

// The stack's port sysctls. net.ipv4.ip_unprivileged_port_start: binding
// a port below it takes CAP_NET_BIND_SERVICE (1024 by default).
// net.ipv4.ip_local_port_range: where ephemeral ports are picked. As on
// Linux the two may not overlap (EINVAL), and the range must be ordered
// within 1..65535.
int UnprivilegedPortStart();
util::ErrnoOrVoid SetUnprivilegedPortStart(int port);
std::pair<int, int> LocalPortRange();
util::ErrnoOrVoid SetLocalPortRange(int low, int high);

struct RecvResult {
  size_t copied = 0;  // bytes placed in the caller's buffer
  size_t length = 0;  // UDP: the datagram's real length
  int msg_flags = 0;  // MSG_TRUNC
  Endpoint from;      // the sender
};

class InetSocket : public vfs::FileDescription, public std::enable_shared_from_this<InetSocket> {
 public:
  // `family` AF_INET or AF_INET6; `type` SOCK_STREAM (TCP) or SOCK_DGRAM
  // with `protocol` IPPROTO_UDP or IPPROTO_UDPLITE (UDP-Lite's partial
  // checksums mean nothing on loopback: it is UDP with ports of its own);
  // `flags` may hold O_NONBLOCK.
  InetSocket(int family, int type, int protocol, int flags);
  ~InetSocket() override;
  static std::shared_ptr<InetSocket> New(int family, int type, int protocol, int flags);

  int family() const { return family_; }
  int type() const { return type_; }
  int protocol() const { return protocol_; }
  bool is_tcp() const { return type_ == abi_linux::kSOCK_STREAM; }

  // bind(2): a local address (loopback or wildcard) and port (0: an
  // ephemeral one). `privileged`: the caller may bind ports below
  // ip_unprivileged_port_start.
  util::ErrnoOrVoid Bind(const Endpoint& ep, bool privileged);
  // listen(2) (TCP); binds an ephemeral port first when unbound.
  util::ErrnoOrVoid Listen(int backlog);
  // connect(2). TCP: EINPROGRESS for a non-blocking socket (the outcome
  // is then in SO_ERROR and readiness); UDP: sets the default peer.
  util::ErrnoOrVoid Connect(const Endpoint& to);
  // connect(2) with AF_UNSPEC: a UDP socket forgets its peer.
  util::ErrnoOrVoid Disconnect();
  util::ErrnoOr<std::shared_ptr<InetSocket>> Accept(int flags);
  util::ErrnoOrVoid Shutdown(int how);

  // getsockname(2) (the wildcard address and port 0 when unbound) and
  // getpeername(2).
  Endpoint LocalName();
  util::ErrnoOr<Endpoint> PeerName();

  // sendmsg(2)/recvmsg(2) on guest memory. `to` (UDP) overrides the
  // connected peer; EPIPE is returned for the caller to raise SIGPIPE.
  util::ErrnoOr<size_t> Send(mm::MemoryManager& mm, const vfs::IoVec& src, int flags,
                             bool nonblock, const Endpoint* to);
  util::ErrnoOr<RecvResult> Recv(mm::MemoryManager& mm, const vfs::IoVec& dst, int flags,
                                 bool nonblock);

  // Options the stack acts on, and the plain values it only keeps
  // (TCP_NODELAY, IP_TTL, ...: nothing to do on loopback, but programs
  // read back what they set), keyed by (level, name).
  struct Options {
    bool reuseaddr = false;
    bool reuseport = false;
    bool v6only = false;
    int sndbuf = 0;
    int rcvbuf = 0;
    absl::Duration rcvtimeo = absl::ZeroDuration();  // zero: none
    absl::Duration sndtimeo = absl::ZeroDuration();
    abi_linux::Linger linger{0, 0};
    std::map<std::pair<int, int>, int> values;
  };
  Options options();
  // EINVAL when an option that only applies before bind(2) changes after.
  util::ErrnoOrVoid set_options(const Options& o);
  bool listening();
  bool bound();
  // SO_ERROR: the pending error, cleared.
  int TakeError();

  // For /proc/net/{tcp,udp}{,6}: one line's worth of each live socket.
  struct Info {
    int family, type;
    Endpoint local, remote;
    int state;  // Linux's TCP_* state numbers (TCP_ESTABLISHED = 1, ...)
    size_t rx_queue, tx_queue;
    uint64_t ino;
  };
  static std::vector<Info> Snapshot();

  // ---- vfs::FileDescription ----
  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src,
                              int64_t offset) override;
  // sendfile(2) into the socket.
  util::ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  util::ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override { return &queue_; }
  std::string Name() const override;
  bool is_pipe() const override { return true; }  // EPIPE raises SIGPIPE on write(2)

 private:
  friend class Locked;
  friend class Stack;
  enum class State { kClosed, kListen, kConnected };
  struct Datagram {
    std::string data;
    Endpoint from;
  };

  // Moves the next n bytes of what is being sent to dst: how many moved
  // (fewer at a fault), or an error when none could be.
  using Source = std::function<util::ErrnoOr<size_t>(char* dst, size_t n)>;
  util::ErrnoOr<size_t> SendFrom(size_t total, const Source& in, bool nonblock,
                                 const Endpoint* to);

  // All with the lock held.
  bool BoundLocked() const { return local_.port != 0; }
  bool CanBindLocked(const Addr& addr, uint16_t port) const;
  util::ErrnoOrVoid BindLocked(const Endpoint& ep, bool privileged);
  void UnbindLocked();
  // Bytes that may still be queued at this (receiving) end by `sender`.
  size_t RoomLocked(const InetSocket& sender) const;
  // Linux's TCP_* state for /proc/net/tcp.
  int LinuxStateLocked() const;
  InetSocket* PeerLocked() const { return peer_.expired() ? nullptr : peer_ptr_; }
  // Drops a TCP connection as a reset from the peer does.
  void ResetLocked(int err);

  const int family_;
  const int type_;
  const int protocol_;
  const uint64_t ino_;
  vfs::WaitQueue queue_;

  // Guarded by the stack's mutex.
  State state_ = State::kClosed;
  Endpoint local_;              // port 0: unbound
  bool addr_locked_ = false;    // bind(2) chose the address (not connect)
  bool port_locked_ = false;    // bind(2) chose the port
  Endpoint remote_;
  bool connected_ = false;      // remote_ is set (TCP: was established)
  bool report_connect_ = false; // a non-blocking connect is yet to be reported as done
  std::weak_ptr<InetSocket> peer_;  // TCP
  // The peer itself, for use under the lock while peer_ has not expired
  // (a dying peer clears both in its destructor).
  InetSocket* peer_ptr_ = nullptr;
  bool peer_gone_ = false;      // TCP: the peer closed; the next write draws a reset
  bool fin_received_ = false;   // TCP: the peer will send no more (EOF after rx_)
  bool rcv_shutdown_ = false, snd_shutdown_ = false;
  int error_ = 0;
  // TCP: received bytes, in chunks; rx_off_ into the first.
  std::deque<std::string> rx_;
  size_t rx_off_ = 0;
  size_t rx_bytes_ = 0;
  // UDP: received datagrams.
  std::deque<Datagram> dgrams_;
  // TCP listeners.
  std::deque<std::shared_ptr<InetSocket>> accept_queue_;
  int backlog_ = 0;
  Options options_;
};

}  // namespace sentry::fsimpl::inet

#endif  // SENTRY_FSIMPL_INET_INET_SOCKET_H_
