#include "sentry/fsimpl/inet/inet_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <random>

#include "absl/base/const_init.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "sentry/fsimpl/inet/netdevice.h"
#include "sentry/vfs/blocking.h"
#include "sentry/vfs/iovec.h"

namespace sentry::fsimpl::inet {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;
namespace L = abi_linux;

namespace {

// The one lock of every inet socket and the port tables (see the header).
ABSL_CONST_INIT absl::Mutex g_mu(absl::kConstInit);

std::atomic<uint64_t> next_ino{1};

// The port sysctls, guarded by g_mu.
int g_unprivileged_port_start = 1024;
int g_local_port_low = kEphemeralLow;
int g_local_port_high = kEphemeralHigh;

// Largest UDP payloads: 65535 less the IP and UDP headers (IPv6 has no
// header checksum field to count, but its 40-byte header is larger).
constexpr size_t kMaxUdpV4 = 65507, kMaxUdpV6 = 65527;
// A queued datagram costs its payload and about this much bookkeeping
// against SO_RCVBUF, as an skb's truesize does on Linux.
constexpr size_t kDatagramOverhead = 256;

enum Proto { kTcp = 0, kUdp = 1, kUdpLite = 2 };

// Sockets with a local port, by protocol and port, in bind order. Entries
// are removed by the socket's destructor under the lock, so a pointer
// found under the lock is valid until it is released.
std::map<std::pair<int, uint16_t>, std::vector<InetSocket*>>& Ports() {
  static auto* m = new std::map<std::pair<int, uint16_t>, std::vector<InetSocket*>>;
  return *m;
}

// Which addresses a binding covers: per family, none, all, or one.
enum class Part { kNone, kAll, kOne };
struct Cover {
  Part v4 = Part::kNone, v6 = Part::kNone;
};

Cover CoverOf(const Addr& a, bool v6only) {
  Cover c;
  if (a.IsV6Any()) {
    c.v6 = Part::kAll;
    c.v4 = v6only ? Part::kNone : Part::kAll;
  } else if (a.IsV4()) {
    c.v4 = a.IsV4Any() ? Part::kAll : Part::kOne;
  } else {
    c.v6 = Part::kOne;
  }
  return c;
}

bool PartsOverlap(Part x, Part y, const Addr& a, const Addr& b) {
  if (x == Part::kNone || y == Part::kNone) return false;
  if (x == Part::kAll || y == Part::kAll) return true;
  return a == b;
}

bool AddressesOverlap(const Addr& a, bool a_v6only, const Addr& b, bool b_v6only) {
  Cover ca = CoverOf(a, a_v6only), cb = CoverOf(b, b_v6only);
  return PartsOverlap(ca.v4, cb.v4, a, b) || PartsOverlap(ca.v6, cb.v6, a, b);
}

// The source address traffic to `dest` leaves from: lo's address of the
// destination's family (Linux's local routes name 127.0.0.1 as the source
// for all of 127.0.0.0/8).
Addr SourceFor(const Addr& dest) {
  return dest.IsV4() ? Addr::V4(L::kINADDR_LOOPBACK) : Addr::V6Loopback();
}

bool EndpointsEqual(const Endpoint& a, const Endpoint& b) {
  return a.port == b.port && a.addr == b.addr;
}

}  // namespace

// Holds the lock; sockets reached through weak references are kept alive
// (and so destroyed, taking the lock, only) after it is released, and
// readiness notifications are sent after the release too.
class Locked {
 public:
  Locked() { g_mu.Lock(); }
  ~Locked() {
    g_mu.Unlock();
    for (auto& [s, events] : wake_) s->queue_.Notify(events);
  }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;

  InetSocket* Keep(std::shared_ptr<InetSocket> s) {
    if (s) keep_.push_back(s);
    return s.get();
  }
  InetSocket* Peer(InetSocket& s) { return Keep(s.peer_.lock()); }
  void Wake(InetSocket* s, uint32_t events) {
    if (s) wake_.emplace_back(s, events);
  }

 private:
  // Declared first: destroyed last, after wake_ has been used.
  std::vector<std::shared_ptr<InetSocket>> keep_;
  std::vector<std::pair<InetSocket*, uint32_t>> wake_;
};

// Finding sockets by address, under the lock.
class Stack {
 public:
  // Where traffic from `s` to `dest` really goes: the unspecified address
  // means this host; anything off lo is unreachable.
  static ErrnoOr<Addr> Route(const InetSocket& s, const Addr& dest) {
    if (s.family_ == L::kAF_INET && !dest.IsV4()) return Errno(EAFNOSUPPORT);
    if (dest.IsV4() && s.family_ == L::kAF_INET6 && s.options_.v6only) {
      return Errno(ENETUNREACH);
    }
    if (dest.IsAny()) return SourceFor(dest);
    if (!dest.IsLoopback()) return Errno(ENETUNREACH);
    return dest;
  }

  // The socket of protocol `proto` bound to dest:port that should get
  // traffic from `src`: a listener for TCP, a matching (unconnected or
  // connected-to-src) socket for UDP. Exact addresses beat wildcards, and
  // an AF_INET socket beats a dual-stack one for IPv4, as Linux scores
  // them; among equals SO_REUSEPORT groups spread by the source port and
  // otherwise the latest bind wins.
  static InetSocket* Find(int proto, const Addr& dest, uint16_t port, const Endpoint& src) {
    auto it = Ports().find({proto, port});
    if (it == Ports().end()) return nullptr;
    std::vector<InetSocket*> best;
    int best_score = -1;
    for (InetSocket* s : it->second) {
      if (proto == kTcp && s->state_ != InetSocket::State::kListen) continue;
      if (proto != kTcp && s->connected_ && !EndpointsEqual(s->remote_, src)) continue;
      const Addr& a = s->local_.addr;
      int score;
      if (a == dest) {
        score = 4;
      } else if (a.IsV4Any() && dest.IsV4()) {
        score = 2;
      } else if (a.IsV6Any() && (!dest.IsV4() || !s->options_.v6only)) {
        score = 2;
      } else {
        continue;
      }
      if (dest.IsV4() && s->family_ == L::kAF_INET) score += 1;
      if (score > best_score) {
        best.clear();
        best_score = score;
      }
      if (score == best_score) best.push_back(s);
    }
    if (best.empty()) return nullptr;
    if (best.size() > 1 && best.back()->options_.reuseport) {
      std::vector<InetSocket*> group;
      for (InetSocket* s : best) {
        if (s->options_.reuseport) group.push_back(s);
      }
      return group[src.port % group.size()];
    }
    return best.back();
  }

  static int ProtoOf(const InetSocket& s) {
    if (s.is_tcp()) return kTcp;
    return s.protocol_ == L::kIPPROTO_UDPLITE ? kUdpLite : kUdp;
  }
};

InetSocket::InetSocket(int family, int type, int protocol, int flags)
    : vfs::FileDescription(O_RDWR | (flags & O_NONBLOCK)),
      family_(family),
      type_(type),
      protocol_(protocol),
      ino_(next_ino.fetch_add(1)) {
  options_.sndbuf = is_tcp() ? kTcpDefaultSndbuf : kUdpDefaultBuf;
  options_.rcvbuf = is_tcp() ? kTcpDefaultRcvbuf : kUdpDefaultBuf;
  local_.addr = family == L::kAF_INET ? Addr::V4(L::kINADDR_ANY) : Addr::V6Any();
}

InetSocket::~InetSocket() {
  Locked l;
  UnbindLocked();
  if (!is_tcp()) return;
  if (InetSocket* peer = l.Peer(*this)) {
    peer->peer_.reset();
    peer->peer_ptr_ = nullptr;
    // Unread data, or SO_LINGER with a zero timeout, resets the
    // connection; otherwise the peer sees our FIN, and its next write
    // reaches a closed socket.
    if (rx_bytes_ > 0 || (options_.linger.l_onoff && options_.linger.l_linger == 0)) {
      peer->ResetLocked(ECONNRESET);
    } else {
      peer->fin_received_ = true;
      peer->peer_gone_ = true;
    }
    l.Wake(peer, 0);
  }
  // accept_queue_ (connections never accepted, which reset their clients
  // as they go) is destroyed after the lock is released.
}

std::shared_ptr<InetSocket> InetSocket::New(int family, int type, int protocol, int flags) {
  return std::make_shared<InetSocket>(family, type, protocol, flags);
}

bool InetSocket::CanBindLocked(const Addr& addr, uint16_t port) const {
  auto it = Ports().find({Stack::ProtoOf(*this), port});
  if (it == Ports().end()) return true;
  for (InetSocket* o : it->second) {
    if (o == this) continue;
    if (!AddressesOverlap(addr, family_ == L::kAF_INET6 && options_.v6only, o->local_.addr,
                          o->family_ == L::kAF_INET6 && o->options_.v6only)) {
      continue;
    }
    if (options_.reuseport && o->options_.reuseport) continue;
    if (options_.reuseaddr && o->options_.reuseaddr) {
      // TCP: SO_REUSEADDR allows sharing with sockets that do not listen
      // (so of two such sockets only the first may listen).
      if (!is_tcp() || o->state_ != State::kListen) continue;
    }
    return false;
  }
  return true;
}

int UnprivilegedPortStart() {
  absl::MutexLock l(&g_mu);
  return g_unprivileged_port_start;
}

ErrnoOrVoid SetUnprivilegedPortStart(int port) {
  absl::MutexLock l(&g_mu);
  if (port < 0 || port > 65535 || port > g_local_port_low) return Errno(EINVAL);
  g_unprivileged_port_start = port;
  return {};
}

std::pair<int, int> LocalPortRange() {
  absl::MutexLock l(&g_mu);
  return {g_local_port_low, g_local_port_high};
}

ErrnoOrVoid SetLocalPortRange(int low, int high) {
  absl::MutexLock l(&g_mu);
  if (low < 1 || high > 65535 || high < low || low < g_unprivileged_port_start) {
    return Errno(EINVAL);
  }
  g_local_port_low = low;
  g_local_port_high = high;
  return {};
}

ErrnoOrVoid InetSocket::BindLocked(const Endpoint& ep, bool privileged) {
  if (BoundLocked()) return Errno(EINVAL);
  if (!ep.addr.IsAny() && !ep.addr.IsLoopback()) return Errno(EADDRNOTAVAIL);
  uint16_t port = ep.port;
  if (port != 0 && port < g_unprivileged_port_start && !privileged) return Errno(EACCES);
  if (port == 0) {
    // An ephemeral port no one else uses, from a random place in the range.
    static std::minstd_rand rng(std::random_device{}());
    const uint32_t n = static_cast<uint32_t>(g_local_port_high - g_local_port_low + 1);
    uint32_t start = rng() % n;
    for (uint32_t i = 0; i < n; ++i) {
      uint16_t p = static_cast<uint16_t>(g_local_port_low + (start + i) % n);
      if (Ports().count({Stack::ProtoOf(*this), p}) == 0) {
        port = p;
        break;
      }
    }
    if (port == 0) return Errno(EADDRINUSE);
  } else if (!CanBindLocked(ep.addr, port)) {
    return Errno(EADDRINUSE);
  }
  local_ = Endpoint{ep.addr, port};
  Ports()[{Stack::ProtoOf(*this), port}].push_back(this);
  return {};
}

void InetSocket::UnbindLocked() {
  if (!BoundLocked()) return;
  auto it = Ports().find({Stack::ProtoOf(*this), local_.port});
  if (it != Ports().end()) {
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), this), v.end());
    if (v.empty()) Ports().erase(it);
  }
  local_.port = 0;
}

ErrnoOrVoid InetSocket::Bind(const Endpoint& ep, bool privileged) {
  Locked l;
  if (family_ == L::kAF_INET && !ep.addr.IsV4()) return Errno(EAFNOSUPPORT);
  if (family_ == L::kAF_INET6 && ep.addr.IsV4() && options_.v6only) return Errno(EINVAL);
  RETURN_IF_ERRNO(BindLocked(ep, privileged));
  addr_locked_ = !ep.addr.IsAny();
  port_locked_ = true;
  return {};
}

bool InetSocket::bound() {
  Locked l;
  return BoundLocked();
}

ErrnoOrVoid InetSocket::Listen(int backlog) {
  Locked l;
  if (!is_tcp()) return Errno(EOPNOTSUPP);
  if (state_ == State::kConnected) return Errno(EINVAL);
  if (!BoundLocked()) {
    RETURN_IF_ERRNO(BindLocked(Endpoint{local_.addr, 0}, false));
  } else if (state_ != State::kListen && !CanBindLocked(local_.addr, local_.port)) {
    return Errno(EADDRINUSE);
  }
  backlog_ = backlog;
  state_ = State::kListen;
  l.Wake(this, 0);
  return {};
}

void InetSocket::ResetLocked(int err) {
  error_ = err;
  state_ = State::kClosed;
  rcv_shutdown_ = snd_shutdown_ = true;
  peer_.reset();
  peer_ptr_ = nullptr;
  peer_gone_ = false;
}

ErrnoOrVoid InetSocket::Connect(const Endpoint& to) {
  Locked l;
  ASSIGN_OR_RETURN_ERRNO(Addr dest, Stack::Route(*this, to.addr));
  if (!is_tcp()) {
    if (!BoundLocked()) RETURN_IF_ERRNO(BindLocked(Endpoint{local_.addr, 0}, false));
    // The local address becomes the route's source unless bind(2) chose
    // one (Linux rehashes the socket under it).
    if (local_.addr.IsAny()) local_.addr = SourceFor(dest);
    remote_ = Endpoint{dest, to.port};
    connected_ = true;
    state_ = State::kConnected;
    l.Wake(this, 0);
    return {};
  }
  if (state_ == State::kListen) return Errno(EISCONN);
  if (state_ == State::kConnected || connected_) {
    if (report_connect_) {
      report_connect_ = false;
      return {};
    }
    return Errno(EISCONN);
  }
  const bool nonblock = flags_ & O_NONBLOCK;
  if (int e = error_; e != 0 && !nonblock) {
    error_ = 0;
    return Errno(e);
  }
  if (!BoundLocked()) {
    RETURN_IF_ERRNO(BindLocked(Endpoint{SourceFor(dest), 0}, false));
  } else if (local_.addr.IsAny()) {
    local_.addr = SourceFor(dest);
  }
  Endpoint me = local_;
  InetSocket* server = Stack::Find(kTcp, dest, to.port, me);
  auto refuse = [&]() -> ErrnoOrVoid {
    if (!port_locked_) UnbindLocked();
    if (!addr_locked_) local_.addr = family_ == L::kAF_INET ? Addr::V4(0) : Addr::V6Any();
    if (nonblock) {
      // The refusal arrives after connect(2) returns, as on Linux.
      error_ = ECONNREFUSED;
      l.Wake(this, 0);
      return Errno(EINPROGRESS);
    }
    return Errno(ECONNREFUSED);
  };
  if (server == nullptr) return refuse();
  auto server_ref = server->weak_from_this().lock();
  if (!server_ref) return refuse();
  l.Keep(server_ref);
  // A full backlog holds a blocking connect (Linux's SYN retries); a
  // non-blocking one is queued anyway, as the handshake would complete
  // once the listener accepts.
  if (!nonblock) {
    int err = vfs::WaitLocked(
        g_mu,
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return server->state_ != State::kListen ||
                 server->accept_queue_.size() <= static_cast<size_t>(server->backlog_);
        },
        vfs::Deadline(false, options_.sndtimeo));
    if (err == EAGAIN) return Errno(ETIMEDOUT);
    if (err != 0) return Errno(err);
    if (server->state_ != State::kListen) return refuse();
    if (state_ != State::kClosed) return Errno(EISCONN);
  }
  // The server's end of the connection, waiting for accept(2): it
  // inherits the listener's options, as Linux's clone of the listener does.
  auto end = std::make_shared<InetSocket>(server->family_, type_, protocol_, 0);
  end->options_ = server->options_;
  end->local_ = Endpoint{dest, server->local_.port};
  end->addr_locked_ = end->port_locked_ = true;
  Ports()[{kTcp, end->local_.port}].push_back(end.get());
  end->remote_ = me;
  end->connected_ = true;
  end->state_ = State::kConnected;
  end->peer_ = weak_from_this();
  end->peer_ptr_ = this;
  peer_ = end;
  peer_ptr_ = end.get();
  remote_ = Endpoint{dest, to.port};
  connected_ = true;
  state_ = State::kConnected;
  error_ = 0;
  server->accept_queue_.push_back(std::move(end));
  l.Wake(server, POLLIN | POLLRDNORM);
  l.Wake(this, POLLOUT | POLLWRNORM);
  if (nonblock) {
    report_connect_ = true;
    return Errno(EINPROGRESS);
  }
  return {};
}

ErrnoOrVoid InetSocket::Disconnect() {
  Locked l;
  if (is_tcp()) {
    if (state_ == State::kConnected) return Errno(EISCONN);
    return {};
  }
  connected_ = false;
  state_ = State::kClosed;
  remote_ = Endpoint{};
  if (!addr_locked_) local_.addr = family_ == L::kAF_INET ? Addr::V4(0) : Addr::V6Any();
  if (!port_locked_) UnbindLocked();
  return {};
}

ErrnoOr<std::shared_ptr<InetSocket>> InetSocket::Accept(int flags) {
  std::shared_ptr<InetSocket> s;
  {
    Locked l;
    if (!is_tcp()) return Errno(EOPNOTSUPP);
    if (state_ != State::kListen) return Errno(EINVAL);
    int err = vfs::WaitLocked(
        g_mu,
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return !accept_queue_.empty() || state_ != State::kListen;
        },
        vfs::Deadline(flags_ & O_NONBLOCK, options_.rcvtimeo));
    if (err != 0) return Errno(err);
    if (accept_queue_.empty()) return Errno(EINVAL);
    s = std::move(accept_queue_.front());
    accept_queue_.pop_front();
    s->flags_ = O_RDWR | (flags & O_NONBLOCK);
    l.Wake(l.Peer(*s), POLLOUT | POLLWRNORM);
  }
  return s;
}

ErrnoOrVoid InetSocket::Shutdown(int how) {
  std::deque<std::shared_ptr<InetSocket>> dropped;  // released after the lock
  Locked l;
  const bool rd = how == L::kSHUT_RD || how == L::kSHUT_RDWR;
  const bool wr = how == L::kSHUT_WR || how == L::kSHUT_RDWR;
  if (state_ == State::kListen) {
    // Shutting a listener's receive side closes it: pending connections
    // are reset and accept(2) fails.
    if (rd) {
      state_ = State::kClosed;
      dropped.swap(accept_queue_);
      l.Wake(this, 0);
    }
    return {};
  }
  if (is_tcp() && state_ != State::kConnected) {
    // Linux reports ENOTCONN but still records the shutdown, which wakes
    // pollers.
    rcv_shutdown_ |= rd;
    snd_shutdown_ |= wr;
    l.Wake(this, 0);
    return Errno(ENOTCONN);
  }
  rcv_shutdown_ |= rd;
  snd_shutdown_ |= wr;
  l.Wake(this, 0);
  if (!is_tcp()) return connected_ ? ErrnoOrVoid() : Errno(ENOTCONN);
  if (wr) {
    if (InetSocket* peer = l.Peer(*this)) {
      peer->fin_received_ = true;
      l.Wake(peer, 0);
    }
  }
  return {};
}

Endpoint InetSocket::LocalName() {
  Locked l;
  return local_;
}

ErrnoOr<Endpoint> InetSocket::PeerName() {
  Locked l;
  if (!connected_ || (is_tcp() && state_ != State::kConnected)) return Errno(ENOTCONN);
  return remote_;
}

size_t InetSocket::RoomLocked(const InetSocket& sender) const {
  size_t cap = static_cast<size_t>(options_.rcvbuf) + static_cast<size_t>(sender.options_.sndbuf);
  return rx_bytes_ >= cap ? 0 : cap - rx_bytes_;
}

ErrnoOr<size_t> InetSocket::Send(mm::MemoryManager& mm, const vfs::IoVec& src, int flags,
                                 bool nonblock, const Endpoint* to) {
  (void)flags;
  vfs::IoCursor cur(mm, src);
  return SendFrom(vfs::IoVecTotal(src), [&](char* dst, size_t n) { return cur.In(dst, n); },
                  nonblock, to);
}

ErrnoOr<size_t> InetSocket::WriteInternal(const void* buf, size_t n, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  size_t at = 0;
  return SendFrom(
      n,
      [&](char* dst, size_t k) -> ErrnoOr<size_t> {
        std::memcpy(dst, static_cast<const char*>(buf) + at, k);
        at += k;
        return k;
      },
      flags_ & O_NONBLOCK, nullptr);
}

ErrnoOr<size_t> InetSocket::SendFrom(size_t total, const Source& in, bool nonblock,
                                     const Endpoint* to) {
  Locked l;

  if (!is_tcp()) {
    if (snd_shutdown_) return Errno(EPIPE);
    Endpoint dest;
    if (to != nullptr) {
      ASSIGN_OR_RETURN_ERRNO(dest.addr, Stack::Route(*this, to->addr));
      dest.port = to->port;
    } else {
      if (!connected_) return Errno(EDESTADDRREQ);
      dest = remote_;
    }
    if (dest.port == 0) return Errno(EINVAL);
    if (total > (dest.addr.IsV4() ? kMaxUdpV4 : kMaxUdpV6)) return Errno(EMSGSIZE);
    std::string data(total, '\0');
    if (total > 0) {
      ASSIGN_OR_RETURN_ERRNO(size_t n, in(data.data(), total));
      if (n < total) return Errno(EFAULT);
    }
    if (!BoundLocked()) RETURN_IF_ERRNO(BindLocked(Endpoint{local_.addr, 0}, false));
    Endpoint from{local_.addr.IsAny() ? SourceFor(dest.addr) : local_.addr, local_.port};
    // Nobody bound there, or no room: the datagram is lost, as on the wire.
    InetSocket* target = Stack::Find(Stack::ProtoOf(*this), dest.addr, dest.port, from);
    if (target != nullptr && !target->rcv_shutdown_) {
      size_t used = target->rx_bytes_;
      if (target->dgrams_.empty() ||
          used + total + kDatagramOverhead <= static_cast<size_t>(target->options_.rcvbuf)) {
        target->rx_bytes_ += total + kDatagramOverhead;
        target->dgrams_.push_back(Datagram{std::move(data), from});
        l.Wake(target, POLLIN | POLLRDNORM);
      }
    }
    return total;
  }

  // TCP.
  auto take_error = [&]() -> ErrnoOr<size_t> {
    if (error_ != 0) {
      int e = error_;
      error_ = 0;
      return Errno(e);
    }
    return Errno(EPIPE);
  };
  if (error_ != 0 || snd_shutdown_) return take_error();
  if (state_ != State::kConnected) return Errno(EPIPE);
  if (peer_gone_) {
    // The peer has closed: the data reaches a socket that answers with a
    // reset, which the next call reports.
    ResetLocked(EPIPE);
    l.Wake(this, 0);
    return total;
  }
  if (total == 0) return size_t{0};
  absl::Time deadline = vfs::Deadline(nonblock, options_.sndtimeo);
  size_t done = 0;
  while (done < total) {
    int err = vfs::WaitLocked(
        g_mu,
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          InetSocket* p = PeerLocked();
          return error_ != 0 || snd_shutdown_ || p == nullptr || peer_gone_ ||
                 p->RoomLocked(*this) > 0;
        },
        deadline);
    if (err != 0) return done ? ErrnoOr<size_t>(done) : Errno(err);
    InetSocket* peer = l.Peer(*this);
    if (error_ != 0 || snd_shutdown_ || peer == nullptr || peer_gone_) {
      if (done) return done;
      if (peer_gone_ && error_ == 0) {
        ResetLocked(EPIPE);
        l.Wake(this, 0);
        return total;
      }
      return take_error();
    }
    size_t n = std::min(peer->RoomLocked(*this), total - done);
    std::string chunk(n, '\0');
    ErrnoOr<size_t> k = in(chunk.data(), n);
    if (!k.ok()) return done ? ErrnoOr<size_t>(done) : k.error();
    chunk.resize(*k);
    peer->rx_bytes_ += *k;
    peer->rx_.push_back(std::move(chunk));
    done += *k;
    l.Wake(peer, POLLIN | POLLRDNORM);
    if (*k < n) break;
  }
  return done;
}

ErrnoOr<RecvResult> InetSocket::Recv(mm::MemoryManager& mm, const vfs::IoVec& dst, int flags,
                                     bool nonblock) {
  RecvResult res;
  Locked l;
  const bool peek = flags & L::kMSG_PEEK;
  const size_t want = vfs::IoVecTotal(dst);
  vfs::IoCursor cur(mm, dst);
  absl::Time deadline = vfs::Deadline(nonblock, options_.rcvtimeo);

  if (!is_tcp()) {
    int err = vfs::WaitLocked(
        g_mu,
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return !dgrams_.empty() || rcv_shutdown_ || error_ != 0;
        },
        deadline);
    if (err != 0) return Errno(err);
    if (dgrams_.empty()) {
      if (error_ != 0) {
        int e = error_;
        error_ = 0;
        return Errno(e);
      }
      return res;  // shut down
    }
    Datagram& d = dgrams_.front();
    size_t n = std::min(want, d.data.size());
    if (n > 0) {
      ASSIGN_OR_RETURN_ERRNO(size_t k, cur.Out(d.data.data(), n));
      n = k;
    }
    res.copied = n;
    res.length = d.data.size();
    if (res.length > want) res.msg_flags |= L::kMSG_TRUNC;
    res.from = d.from;
    if (!peek) {
      rx_bytes_ -= d.data.size() + kDatagramOverhead;
      dgrams_.pop_front();
    }
    return res;
  }

  // TCP.
  if (state_ == State::kListen) return Errno(ENOTCONN);
  if (state_ == State::kClosed && !connected_) return Errno(ENOTCONN);
  res.from = remote_;
  // Linux's order: queued data, then EOF once the peer's FIN is in, then
  // a pending error, then a local shutdown or a dead connection.
  auto ready = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return rx_bytes_ > 0 || fin_received_ || error_ != 0 || rcv_shutdown_ ||
           state_ != State::kConnected;
  };
  const bool waitall = (flags & L::kMSG_WAITALL) && !peek && !nonblock;
  const bool discard = flags & L::kMSG_TRUNC;  // TCP: drop the bytes instead of copying
  size_t done = 0;
  for (;;) {
    int err = vfs::WaitLocked(g_mu, ready, deadline);
    if (err != 0) {
      if (done) break;
      return Errno(err);
    }
    if (rx_bytes_ == 0) {
      if (done || fin_received_) break;
      if (error_ != 0) {
        int e = error_;
        error_ = 0;
        return Errno(e);
      }
      break;  // shut down or closed: EOF
    }
    // Copy from the chunks, from where the last read (or this one) left off.
    size_t index = 0, off = rx_off_, copied_now = 0;
    bool fault = false;
    while (done < want && index < rx_.size()) {
      const std::string& c = rx_[index];
      size_t n = std::min(want - done, c.size() - off);
      size_t k = n;
      if (!discard) {
        ErrnoOr<size_t> r = cur.Out(c.data() + off, n);
        if (!r.ok()) {
          if (done == 0) return r.error();
          fault = true;
          break;
        }
        k = *r;
      }
      done += k;
      copied_now += k;
      off += k;
      if (off == c.size()) {
        ++index;
        off = 0;
      }
      if (k < n) break;
    }
    if (!peek) {
      rx_.erase(rx_.begin(), rx_.begin() + index);
      rx_off_ = off;
      rx_bytes_ -= copied_now;
      if (InetSocket* peer = l.Peer(*this)) l.Wake(peer, POLLOUT | POLLWRNORM);
    }
    if (fault || !waitall || done >= want) break;
  }
  res.copied = done;
  res.length = done;
  return res;
}

InetSocket::Options InetSocket::options() {
  Locked l;
  return options_;
}

ErrnoOrVoid InetSocket::set_options(const Options& o) {
  Locked l;
  if (o.v6only != options_.v6only && BoundLocked()) return Errno(EINVAL);
  options_ = o;
  l.Wake(this, 0);
  return {};
}

bool InetSocket::listening() {
  Locked l;
  return state_ == State::kListen;
}

int InetSocket::TakeError() {
  Locked l;
  int e = error_;
  error_ = 0;
  return e;
}

int InetSocket::LinuxStateLocked() const {
  // include/net/tcp_states.h.
  constexpr int kEstablished = 1, kClose = 7, kCloseWait = 8, kListen = 10, kFinWait2 = 5;
  switch (state_) {
    case State::kListen:
      return kListen;
    case State::kConnected:
      if (fin_received_) return kCloseWait;
      if (snd_shutdown_) return kFinWait2;
      return kEstablished;
    case State::kClosed:
      return kClose;
  }
  return kClose;
}

std::vector<InetSocket::Info> InetSocket::Snapshot() {
  Locked l;
  std::vector<Info> out;
  for (const auto& [key, sockets] : Ports()) {
    for (InetSocket* s : sockets) {
      Info i{s->family_, s->type_, s->local_, s->remote_, 0, 0, 0, s->ino_};
      if (s->is_tcp()) {
        i.state = s->LinuxStateLocked();
        i.rx_queue = s->state_ == State::kListen ? s->accept_queue_.size() : s->rx_bytes_;
      } else {
        i.state = s->connected_ ? 1 : 7;  // UDP shows TCP_ESTABLISHED / TCP_CLOSE
        i.rx_queue = s->rx_bytes_;
      }
      if (!s->connected_) i.remote = Endpoint{};
      out.push_back(i);
    }
  }
  return out;
}

ErrnoOr<size_t> InetSocket::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  ASSIGN_OR_RETURN_ERRNO(RecvResult r, Recv(mm, dst, 0, flags_ & O_NONBLOCK));
  return r.copied;
}

ErrnoOr<size_t> InetSocket::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  return Send(mm, src, 0, flags_ & O_NONBLOCK, nullptr);
}

ErrnoOr<L::Stat> InetSocket::Stat() {
  L::Stat st{};
  st.st_dev = 0x8;  // sockfs
  st.st_ino = ino_;
  st.st_nlink = 1;
  st.st_mode = S_IFSOCK | 0777;
  st.st_blksize = 4096;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  st.st_atim = st.st_mtim = st.st_ctim = {now.tv_sec, now.tv_nsec};
  return st;
}

ErrnoOr<uint64_t> InetSocket::Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  if (request == L::kSIOCINQ || request == L::kSIOCOUTQ) {
    int n = 0;
    {
      Locked l;
      if (is_tcp() && state_ == State::kListen) return Errno(EINVAL);
      if (request == L::kSIOCINQ) {
        n = is_tcp() ? static_cast<int>(rx_bytes_)
                     : (dgrams_.empty() ? 0 : static_cast<int>(dgrams_.front().data.size()));
      } else if (is_tcp()) {
        // Our bytes the peer's receive buffer has not taken yet.
        if (InetSocket* peer = l.Peer(*this)) {
          size_t rcv = static_cast<size_t>(peer->options_.rcvbuf);
          n = peer->rx_bytes_ > rcv ? static_cast<int>(peer->rx_bytes_ - rcv) : 0;
        }
      }
    }
    RETURN_IF_ERRNO(mm.CopyOutObj(mm::UserAddr(arg), n));
    return uint64_t{0};
  }
  return NetDeviceIoctl(mm, request, arg);
}

uint32_t InetSocket::Readiness(uint32_t mask) {
  Locked l;
  uint32_t r = 0;
  if (error_ != 0) r |= POLLERR;
  if (!is_tcp()) {
    if (rcv_shutdown_) r |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (rcv_shutdown_ && snd_shutdown_) r |= POLLHUP;
    if (!dgrams_.empty()) r |= POLLIN | POLLRDNORM;
    r |= POLLOUT | POLLWRNORM;
    return r & (mask | POLLHUP | POLLERR);
  }
  if (state_ == State::kListen) {
    if (!accept_queue_.empty()) r |= POLLIN | POLLRDNORM;
    return r & (mask | POLLHUP | POLLERR);
  }
  // As tcp_poll.
  const bool rcv_shut = rcv_shutdown_ || fin_received_;
  if ((rcv_shut && snd_shutdown_) || state_ == State::kClosed) r |= POLLHUP;
  if (rcv_shut) r |= POLLIN | POLLRDNORM | POLLRDHUP;
  if (rx_bytes_ > 0) r |= POLLIN | POLLRDNORM;
  if (snd_shutdown_ || state_ != State::kConnected || peer_gone_) {
    r |= POLLOUT | POLLWRNORM;
  } else if (InetSocket* peer = PeerLocked(); peer == nullptr || peer->RoomLocked(*this) > 0) {
    r |= POLLOUT | POLLWRNORM;
  }
  return r & (mask | POLLHUP | POLLERR);
}

std::string InetSocket::Name() const { return absl::StrCat("socket:[", ino_, "]"); }

}  // namespace sentry::fsimpl::inet
