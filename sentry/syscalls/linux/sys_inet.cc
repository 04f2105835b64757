// ip(7), ipv6(7), tcp(7), udp(7): the inet half of the socket syscalls.
#include "sentry/syscalls/linux/sys_inet.h"

#include <fcntl.h>

#include <algorithm>
#include <cstring>

#include "abi/linux/uio.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::syscalls::inet {

namespace L = abi_linux;
using fsimpl::inet::Addr;
using fsimpl::inet::Endpoint;
using fsimpl::inet::RecvResult;

namespace {

constexpr int kCapNetBindService = 10;
constexpr int kCapNetAdmin = 12;

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

uint16_t Ntohs(uint16_t v) { return __builtin_bswap16(v); }
uint16_t Htons(uint16_t v) { return __builtin_bswap16(v); }

// Socket calls interrupted by a signal restart under SA_RESTART unless the
// socket has a timeout for that direction (Linux's sock_intr_errno).
SyscallResult Restartable(const SyscallResult& r, absl::Duration timeout) {
  if (timeout != absl::ZeroDuration()) return r;
  return r.RestartOnEintr(kernel::kERESTARTSYS);
}

// A guest sockaddr_in/sockaddr_in6 for socket `s`. `v4_on_v6`: an
// AF_INET address is taken by an AF_INET6 socket (UDP sends, as
// udpv6_sendmsg does).
ErrnoOr<Endpoint> CopyInAddress(Task& t, const InetSocket& s, mm::UserAddr addr, int64_t len,
                                bool v4_on_v6 = false) {
  if (len < 0) return Errno(EINVAL);
  L::SockaddrStorage ss{};
  size_t n = std::min<int64_t>(len, sizeof(ss));
  if (n < sizeof(ss.ss_family)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(size_t got, t.CopyIn(addr, &ss, n));
  if (got != n) return Errno(EFAULT);
  if (s.family() == L::kAF_INET || (v4_on_v6 && ss.ss_family == L::kAF_INET)) {
    if (len < static_cast<int64_t>(sizeof(L::SockaddrIn))) return Errno(EINVAL);
    L::SockaddrIn in;
    std::memcpy(&in, &ss, sizeof(in));
    if (in.sin_family != L::kAF_INET) return Errno(EAFNOSUPPORT);
    return Endpoint{Addr::V4(__builtin_bswap32(in.sin_addr.s_addr)), Ntohs(in.sin_port)};
  }
  // SIN6_LEN_RFC2133: the size before sin6_scope_id was added.
  if (len < static_cast<int64_t>(offsetof(L::SockaddrIn6, sin6_scope_id))) return Errno(EINVAL);
  L::SockaddrIn6 in6{};
  std::memcpy(&in6, &ss, std::min(n, sizeof(in6)));
  if (in6.sin6_family != L::kAF_INET6) return Errno(EAFNOSUPPORT);
  Endpoint ep;
  std::memcpy(ep.addr.b.data(), in6.sin6_addr.in6_u.u6_addr8, 16);
  ep.port = Ntohs(in6.sin6_port);
  return ep;
}

// The guest form of `ep` for a socket of `family`; returns its full size.
size_t Encode(int family, const Endpoint& ep, L::SockaddrStorage* ss) {
  *ss = {};
  if (family == L::kAF_INET) {
    L::SockaddrIn in{};
    in.sin_family = L::kAF_INET;
    in.sin_port = Htons(ep.port);
    in.sin_addr.s_addr = __builtin_bswap32(ep.addr.v4());
    std::memcpy(ss, &in, sizeof(in));
    return sizeof(in);
  }
  L::SockaddrIn6 in6{};
  in6.sin6_family = L::kAF_INET6;
  in6.sin6_port = Htons(ep.port);
  std::memcpy(in6.sin6_addr.in6_u.u6_addr8, ep.addr.b.data(), 16);
  std::memcpy(ss, &in6, sizeof(in6));
  return sizeof(in6);
}

// Writes an address as getsockname(2) and accept(2) do: as much as
// *len_addr allows, and the full length back to *len_addr.
ErrnoOrVoid CopyOutAddress(Task& t, int family, const Endpoint& ep, mm::UserAddr addr,
                           mm::UserAddr len_addr) {
  if (addr.IsNull()) return {};
  int32_t len;
  RETURN_IF_ERRNO(t.CopyInObj(len_addr, &len));
  if (len < 0) return Errno(EINVAL);
  L::SockaddrStorage ss;
  int32_t full = Encode(family, ep, &ss);
  size_t n = std::min(len, full);
  if (n > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t k, t.CopyOut(addr, &ss, n));
    if (k != n) return Errno(EFAULT);
  }
  return t.CopyOutObj(len_addr, full);
}

bool NonBlocking(InetSocket& s, int flags) {
  return (s.flags() & O_NONBLOCK) || (flags & L::kMSG_DONTWAIT);
}

// The common tail of every send: EPIPE raises SIGPIPE unless MSG_NOSIGNAL.
ErrnoOr<size_t> DoSend(Task& t, InetSocket& s, const vfs::IoVec& iov, int flags,
                       const Endpoint* to) {
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  ErrnoOr<size_t> r = s.Send(t.mm(), iov, flags, NonBlocking(s, flags), to);
  if (!r.ok() && r.error() == Errno(EPIPE) && !(flags & L::kMSG_NOSIGNAL)) RaiseSigpipe(t);
  return r;
}

// A destination given to sendto(2)/sendmsg(2): UDP takes it; a TCP socket
// ignores it (Linux's tcp_sendmsg does).
ErrnoOr<std::optional<Endpoint>> Destination(Task& t, InetSocket& s, mm::UserAddr addr,
                                             int64_t len) {
  if (addr.IsNull() || len == 0 || s.is_tcp()) return std::optional<Endpoint>();
  ASSIGN_OR_RETURN_ERRNO(Endpoint ep, CopyInAddress(t, s, addr, len, /*v4_on_v6=*/true));
  return std::optional<Endpoint>(ep);
}

}  // namespace

std::shared_ptr<InetSocket> Get(Task& t, int fd) {
  return std::dynamic_pointer_cast<InetSocket>(t.fds().Get(fd));
}

SyscallResult Socket(Task& t, int family, int type, int protocol) {
  int base = type & L::kSOCK_TYPE_MASK;
  if (base == L::kSOCK_STREAM) {
    if (protocol != 0 && protocol != L::kIPPROTO_TCP) return Errno(EPROTONOSUPPORT);
  } else if (base == L::kSOCK_DGRAM) {
    if (protocol == 0) protocol = L::kIPPROTO_UDP;
    if (protocol != L::kIPPROTO_UDP && protocol != L::kIPPROTO_UDPLITE) {
      return Errno(EPROTONOSUPPORT);
    }
  } else if (base == L::kSOCK_RAW) {
    // Raw IP (and ICMP) sockets need packets, which this stack does not
    // have.
    return Errno(EPROTONOSUPPORT);
  } else {
    return Errno(ESOCKTNOSUPPORT);
  }
  if (base == L::kSOCK_STREAM) protocol = L::kIPPROTO_TCP;
  auto s = InetSocket::New(family, base, protocol, type & L::kSOCK_NONBLOCK);
  return t.fds().Install(s, 0, type & L::kSOCK_CLOEXEC, NofileLimit(t));
}

SyscallResult Bind(Task& t, InetSocket& s, const SyscallArgs& a) {
  int64_t len = a.Int(2);
  if (s.family() == L::kAF_INET && len >= static_cast<int64_t>(sizeof(L::SockaddrIn))) {
    // Linux takes AF_UNSPEC with INADDR_ANY as AF_INET, for old programs.
    L::SockaddrIn in;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &in));
    if (in.sin_family == L::kAF_UNSPEC && in.sin_addr.s_addr == 0) {
      return s.Bind(Endpoint{Addr::V4(0), Ntohs(in.sin_port)},
                    t.creds().HasCapability(kCapNetBindService));
    }
  }
  ASSIGN_OR_RETURN_ERRNO(Endpoint ep, CopyInAddress(t, s, a.Addr(1), len));
  return s.Bind(ep, t.creds().HasCapability(kCapNetBindService));
}

SyscallResult Listen(Task&, InetSocket& s, const SyscallArgs& a) {
  int backlog = a.Int(1);
  if (backlog < 0 || backlog > L::kSOMAXCONN) backlog = L::kSOMAXCONN;
  return s.Listen(backlog);
}

SyscallResult Connect(Task& t, InetSocket& s, const SyscallArgs& a) {
  int64_t len = a.Int(2);
  if (len >= static_cast<int64_t>(sizeof(uint16_t))) {
    uint16_t family;
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &family));
    if (family == L::kAF_UNSPEC) return s.Disconnect();
  }
  ASSIGN_OR_RETURN_ERRNO(Endpoint ep, CopyInAddress(t, s, a.Addr(1), len, !s.is_tcp()));
  return Restartable(s.Connect(ep), s.options().sndtimeo);
}

SyscallResult Accept(Task& t, InetSocket& s, mm::UserAddr addr, mm::UserAddr len_addr,
                     int flags) {
  if (flags & ~(L::kSOCK_CLOEXEC | L::kSOCK_NONBLOCK)) return Errno(EINVAL);
  ErrnoOr<std::shared_ptr<InetSocket>> conn = s.Accept(flags & L::kSOCK_NONBLOCK);
  if (!conn.ok()) return Restartable(conn.error(), s.options().rcvtimeo);
  if (!addr.IsNull()) {
    auto peer = (*conn)->PeerName();
    RETURN_IF_ERRNO(CopyOutAddress(t, (*conn)->family(), peer.ok() ? *peer : Endpoint{}, addr,
                                   len_addr));
  }
  return t.fds().Install(*conn, 0, flags & L::kSOCK_CLOEXEC, NofileLimit(t));
}

SyscallResult Shutdown(Task&, InetSocket& s, const SyscallArgs& a) {
  int how = a.Int(1);
  if (how < L::kSHUT_RD || how > L::kSHUT_RDWR) return Errno(EINVAL);
  return s.Shutdown(how);
}

SyscallResult Getsockname(Task& t, InetSocket& s, const SyscallArgs& a) {
  RETURN_IF_ERRNO(CopyOutAddress(t, s.family(), s.LocalName(), a.Addr(1), a.Addr(2)));
  return 0;
}

SyscallResult Getpeername(Task& t, InetSocket& s, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(Endpoint ep, s.PeerName());
  RETURN_IF_ERRNO(CopyOutAddress(t, s.family(), ep, a.Addr(1), a.Addr(2)));
  return 0;
}

SyscallResult Sendto(Task& t, InetSocket& s, const SyscallArgs& a) {
  int flags = a.Int(3);
  vfs::IoVec iov{{a.Addr(1), std::min<uint64_t>(a[2], 0x7ffff000)}};
  ASSIGN_OR_RETURN_ERRNO(std::optional<Endpoint> to, Destination(t, s, a.Addr(4), a.Int(5)));
  return Restartable(DoSend(t, s, iov, flags, to ? &*to : nullptr), s.options().sndtimeo);
}

SyscallResult Recvfrom(Task& t, InetSocket& s, const SyscallArgs& a) {
  int flags = a.Int(3);
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  if (flags & L::kMSG_ERRQUEUE) return Errno(EAGAIN);  // no ICMP errors here
  vfs::IoVec iov{{a.Addr(1), std::min<uint64_t>(a[2], 0x7ffff000)}};
  ErrnoOr<RecvResult> r = s.Recv(t.mm(), iov, flags, NonBlocking(s, flags));
  if (!r.ok()) return Restartable(r.error(), s.options().rcvtimeo);
  if (!a.Addr(4).IsNull() && !s.is_tcp()) {
    RETURN_IF_ERRNO(CopyOutAddress(t, s.family(), r->from, a.Addr(4), a.Addr(5)));
  }
  if ((flags & L::kMSG_TRUNC) && !s.is_tcp()) return r->length;
  return r->copied;
}

ErrnoOr<size_t> SendMsg(Task& t, InetSocket& s, const L::Msghdr& m, int flags) {
  if (m.msg_iovlen > static_cast<uint64_t>(L::kUIO_MAXIOV)) return Errno(EMSGSIZE);
  // Control messages (IP_PKTINFO, IP_TTL, ...) are not supported.
  if (m.msg_control != 0 && m.msg_controllen >= sizeof(L::Cmsghdr)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(vfs::IoVec iov, CopyInIoVec(t, mm::UserAddr(m.msg_iov), m.msg_iovlen));
  ASSIGN_OR_RETURN_ERRNO(std::optional<Endpoint> to,
                         Destination(t, s, mm::UserAddr(m.msg_name), m.msg_namelen));
  return DoSend(t, s, iov, flags, to ? &*to : nullptr);
}

ErrnoOr<size_t> RecvMsg(Task& t, InetSocket& s, L::Msghdr& m, int flags) {
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  if (flags & L::kMSG_ERRQUEUE) return Errno(EAGAIN);
  if (m.msg_iovlen > static_cast<uint64_t>(L::kUIO_MAXIOV)) return Errno(EMSGSIZE);
  ASSIGN_OR_RETURN_ERRNO(vfs::IoVec iov, CopyInIoVec(t, mm::UserAddr(m.msg_iov), m.msg_iovlen));
  ASSIGN_OR_RETURN_ERRNO(RecvResult r, s.Recv(t.mm(), iov, flags, NonBlocking(s, flags)));
  if (m.msg_name != 0 && !s.is_tcp()) {
    if (m.msg_namelen < 0) return Errno(EINVAL);
    L::SockaddrStorage ss;
    int32_t full = Encode(s.family(), r.from, &ss);
    size_t n = std::min(m.msg_namelen, full);
    if (n > 0) RETURN_IF_ERRNO(t.CopyOut(mm::UserAddr(m.msg_name), &ss, n));
    m.msg_namelen = full;
  } else {
    m.msg_namelen = 0;
  }
  m.msg_controllen = 0;
  m.msg_flags = r.msg_flags;
  if ((flags & L::kMSG_TRUNC) && !s.is_tcp()) return r.length;
  return r.copied;
}

// ---- Socket options ----

namespace {

// SO_SNDBUF/SO_RCVBUF: Linux doubles the request (for its bookkeeping) and
// reports the doubled value; net.core.wmem_max/rmem_max cap the request.
constexpr int kBufMax = 212992;
constexpr int kMinSndbuf = 4608, kMinRcvbuf = 2304;

// Plain integer options: kept and read back (nothing on loopback depends
// on them), with Linux's defaults and accepted ranges.
struct IntOption {
  int level, name;
  int def;       // the value before any setsockopt
  int min, max;  // accepted values; others are EINVAL
  bool boolean;  // stored as 0/1
  bool tcp_only;
  bool udplite_only = false;
};

// SOL_UDPLITE and its checksum coverage options (include/net/udplite.h).
constexpr int kSolUdplite = 136, kUdpliteSendCscov = 10, kUdpliteRecvCscov = 11;

constexpr int kIntMax = 0x7fffffff;

constexpr IntOption kIntOptions[] = {
    {L::kSOL_SOCKET, L::kSO_KEEPALIVE, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_SOCKET, L::kSO_BROADCAST, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_SOCKET, L::kSO_OOBINLINE, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_SOCKET, L::kSO_DONTROUTE, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_SOCKET, L::kSO_PRIORITY, 0, 0, 6, false, false},
    {L::kSOL_TCP, L::kTCP_NODELAY, 0, -kIntMax, kIntMax, true, true},
    {L::kSOL_TCP, L::kTCP_CORK, 0, -kIntMax, kIntMax, true, true},
    {L::kSOL_TCP, L::kTCP_QUICKACK, 1, -kIntMax, kIntMax, true, true},
    {L::kSOL_TCP, L::kTCP_KEEPIDLE, 7200, 1, 32767, false, true},
    {L::kSOL_TCP, L::kTCP_KEEPINTVL, 75, 1, 32767, false, true},
    {L::kSOL_TCP, L::kTCP_KEEPCNT, 9, 1, 127, false, true},
    {L::kSOL_TCP, L::kTCP_SYNCNT, 6, 1, 127, false, true},
    {L::kSOL_TCP, L::kTCP_LINGER2, 60, -kIntMax, kIntMax, false, true},
    {L::kSOL_TCP, L::kTCP_USER_TIMEOUT, 0, 0, kIntMax, false, true},
    {L::kSOL_TCP, L::kTCP_NOTSENT_LOWAT, -1, -kIntMax - 1, kIntMax, false, true},
    {L::kSOL_IP, L::kIP_TOS, 0, 0, 255, false, false},
    {L::kSOL_IP, L::kIP_TTL, 64, 1, 255, false, false},
    {L::kSOL_IP, L::kIP_MULTICAST_TTL, 1, 0, 255, false, false},
    {L::kSOL_IP, L::kIP_MULTICAST_LOOP, 1, -kIntMax, kIntMax, true, false},
    {L::kSOL_IP, L::kIP_RECVERR, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_IP, L::kIP_MTU_DISCOVER, 1, 0, 5, false, false},
    {L::kSOL_IP, L::kIP_FREEBIND, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_IP, L::kIP_BIND_ADDRESS_NO_PORT, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_IPV6, L::kIPV6_UNICAST_HOPS, 64, 0, 255, false, false},
    {L::kSOL_IPV6, L::kIPV6_MULTICAST_HOPS, 1, 0, 255, false, false},
    {L::kSOL_IPV6, L::kIPV6_MULTICAST_LOOP, 1, 0, 1, false, false},
    {L::kSOL_IPV6, L::kIPV6_TCLASS, 0, 0, 255, false, false},
    {L::kSOL_IPV6, L::kIPV6_RECVERR, 0, -kIntMax, kIntMax, true, false},
    {L::kSOL_IPV6, L::kIPV6_MTU_DISCOVER, 1, 0, 5, false, false},
    {kSolUdplite, kUdpliteSendCscov, 0, 0, 0xffff, false, false, true},
    {kSolUdplite, kUdpliteRecvCscov, 0, 0, 0xffff, false, false, true},
};

// The option (level, name) names for socket `s`, or nullptr.
const IntOption* FindIntOption(const InetSocket& s, int level, int name) {
  // SOL_IPV6 exists only on AF_INET6 sockets; SOL_TCP only on TCP ones.
  if (level == L::kSOL_IPV6 && s.family() != L::kAF_INET6) return nullptr;
  for (const IntOption& o : kIntOptions) {
    if (o.level == level && o.name == name) {
      if (o.tcp_only && !s.is_tcp()) return nullptr;
      if (o.udplite_only && s.protocol() != L::kIPPROTO_UDPLITE) return nullptr;
      return &o;
    }
  }
  return nullptr;
}

L::Timeval DurationToTimeval(absl::Duration d) {
  int64_t us = absl::ToInt64Microseconds(d);
  return L::Timeval{us / 1000000, us % 1000000};
}

}  // namespace

SyscallResult Getsockopt(Task& t, InetSocket& s, const SyscallArgs& a) {
  int level = a.Int(1), name = a.Int(2);
  int32_t len;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(4), &len));
  if (len < 0) return Errno(EINVAL);
  InetSocket::Options opts = s.options();
  auto put = [&](const void* v, int32_t size) -> SyscallResult {
    int32_t n = std::min(len, size);
    if (n > 0) RETURN_IF_ERRNO(t.CopyOut(a.Addr(3), v, n));
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(4), n));
    return 0;
  };
  auto put_int = [&](int32_t v) { return put(&v, sizeof(v)); };
  if (const IntOption* o = FindIntOption(s, level, name)) {
    auto it = opts.values.find({level, name});
    return put_int(it == opts.values.end() ? o->def : it->second);
  }
  if (level == L::kSOL_SOCKET) {
    switch (name) {
      case L::kSO_TYPE:
        return put_int(s.type());
      case L::kSO_DOMAIN:
        return put_int(s.family());
      case L::kSO_PROTOCOL:
        return put_int(s.protocol());
      case L::kSO_ERROR:
        return put_int(s.TakeError());
      case L::kSO_REUSEADDR:
        return put_int(opts.reuseaddr);
      case L::kSO_REUSEPORT:
        return put_int(opts.reuseport);
      case L::kSO_SNDBUF:
        return put_int(opts.sndbuf);
      case L::kSO_RCVBUF:
        return put_int(opts.rcvbuf);
      case L::kSO_ACCEPTCONN:
        return put_int(s.listening());
      case L::kSO_RCVLOWAT:
      case L::kSO_SNDLOWAT:
        return put_int(1);
      case L::kSO_LINGER:
        return put(&opts.linger, sizeof(opts.linger));
      case L::kSO_RCVTIMEO:
      case L::kSO_SNDTIMEO: {
        L::Timeval tv =
            DurationToTimeval(name == L::kSO_RCVTIMEO ? opts.rcvtimeo : opts.sndtimeo);
        return put(&tv, sizeof(tv));
      }
      default:
        return Errno(ENOPROTOOPT);
    }
  }
  if (level == L::kSOL_IPV6 && name == L::kIPV6_V6ONLY && s.family() == L::kAF_INET6) {
    return put_int(opts.v6only);
  }
  if (level == L::kSOL_TCP && !s.is_tcp()) return Errno(ENOPROTOOPT);
  return Errno(ENOPROTOOPT);
}

SyscallResult Setsockopt(Task& t, InetSocket& s, const SyscallArgs& a) {
  int level = a.Int(1), name = a.Int(2);
  int32_t len = a.Int(4);
  if (len < 0) return Errno(EINVAL);
  InetSocket::Options opts = s.options();
  // An integer argument; SOL_IP also takes a single byte (ip_setsockopt).
  auto get_int = [&](int32_t* v) -> ErrnoOrVoid {
    if (len >= static_cast<int32_t>(sizeof(int32_t))) return t.CopyInObj(a.Addr(3), v);
    if (level == L::kSOL_IP && len >= 1) {
      uint8_t b;
      RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &b));
      *v = b;
      return {};
    }
    return Errno(EINVAL);
  };
  if (const IntOption* o = FindIntOption(s, level, name)) {
    int32_t v;
    RETURN_IF_ERRNO(get_int(&v));
    if (level == L::kSOL_IP && name == L::kIP_TTL && v == -1) {
      opts.values.erase({level, name});  // back to the default
    } else if (level == L::kSOL_IPV6 &&
               (name == L::kIPV6_UNICAST_HOPS || name == L::kIPV6_MULTICAST_HOPS ||
                name == L::kIPV6_TCLASS) &&
               v == -1) {
      opts.values.erase({level, name});
    } else {
      if (v < o->min || v > o->max) return Errno(EINVAL);
      if (level == L::kSOL_SOCKET && name == L::kSO_PRIORITY && v > 6 &&
          !t.creds().HasCapability(kCapNetAdmin)) {
        return Errno(EPERM);
      }
      opts.values[{level, name}] = o->boolean ? (v != 0) : v;
    }
    return s.set_options(opts);
  }
  if (level == L::kSOL_IPV6 && name == L::kIPV6_V6ONLY && s.family() == L::kAF_INET6) {
    int32_t v;
    RETURN_IF_ERRNO(get_int(&v));
    opts.v6only = v != 0;
    return s.set_options(opts);
  }
  if (level != L::kSOL_SOCKET) return Errno(ENOPROTOOPT);
  switch (name) {
    case L::kSO_REUSEADDR:
    case L::kSO_REUSEPORT:
    case L::kSO_SNDBUF:
    case L::kSO_SNDBUFFORCE:
    case L::kSO_RCVBUF:
    case L::kSO_RCVBUFFORCE: {
      int32_t v;
      RETURN_IF_ERRNO(get_int(&v));
      if (name == L::kSO_REUSEADDR) {
        opts.reuseaddr = v != 0;
      } else if (name == L::kSO_REUSEPORT) {
        opts.reuseport = v != 0;
      } else if (name == L::kSO_SNDBUF || name == L::kSO_SNDBUFFORCE) {
        opts.sndbuf = std::max(std::min<uint32_t>(v, kBufMax) * 2, uint32_t{kMinSndbuf});
      } else {
        opts.rcvbuf = std::max(std::min<uint32_t>(v, kBufMax) * 2, uint32_t{kMinRcvbuf});
      }
      break;
    }
    case L::kSO_LINGER: {
      if (len < static_cast<int32_t>(sizeof(L::Linger))) return Errno(EINVAL);
      L::Linger lg;
      RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &lg));
      // Turning lingering off keeps the time (Linux reports it still).
      if (lg.l_onoff != 0) {
        opts.linger = L::Linger{1, std::max(lg.l_linger, 0)};
      } else {
        opts.linger.l_onoff = 0;
      }
      break;
    }
    case L::kSO_RCVTIMEO:
    case L::kSO_SNDTIMEO: {
      ASSIGN_OR_RETURN_ERRNO(absl::Duration d, SocketTimeoutArg(t, a.Addr(3), len));
      (name == L::kSO_RCVTIMEO ? opts.rcvtimeo : opts.sndtimeo) = d;
      break;
    }
    default:
      return Errno(ENOPROTOOPT);
  }
  return s.set_options(opts);
}

}  // namespace sentry::syscalls::inet
