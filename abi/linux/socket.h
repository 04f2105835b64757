// Sockets: address families, socket types and flags, socket-level options, message flags,
// control messages, socket addresses (unix, inet, inet6, netlink, packet), msghdr, and the IP/TCP
// option numbers the sentry's network stack handles.
//
// Mirrors include/linux/socket.h (AF_*, MSG_*, SOL_*, struct user_msghdr, cmsghdr, ucred),
// include/uapi/asm-generic/socket.h (SO_*, SCM_*), include/linux/net.h and
// include/uapi/linux/net.h (SOCK_*), include/uapi/linux/un.h, include/uapi/linux/in.h,
// include/uapi/linux/in6.h, include/uapi/linux/tcp.h, include/uapi/linux/netlink.h,
// include/uapi/linux/if_packet.h, include/uapi/linux/sockios.h and
// include/uapi/linux/socket.h (sockaddr_storage).
//
// Usage:
//   if (domain == abi_linux::kAF_UNIX && (type & abi_linux::kSOCK_TYPE_MASK) == kSOCK_STREAM)
//   bool cloexec = type & abi_linux::kSOCK_CLOEXEC;

#ifndef ABI_LINUX_SOCKET_H_
#define ABI_LINUX_SOCKET_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// Address families (also the protocol families, PF_*).
inline constexpr int kAF_UNSPEC = 0;
inline constexpr int kAF_UNIX = 1;
inline constexpr int kAF_LOCAL = kAF_UNIX;
inline constexpr int kAF_INET = 2;
inline constexpr int kAF_AX25 = 3;
inline constexpr int kAF_IPX = 4;
inline constexpr int kAF_APPLETALK = 5;
inline constexpr int kAF_NETROM = 6;
inline constexpr int kAF_BRIDGE = 7;
inline constexpr int kAF_ATMPVC = 8;
inline constexpr int kAF_X25 = 9;
inline constexpr int kAF_INET6 = 10;
inline constexpr int kAF_ROSE = 11;
inline constexpr int kAF_DECnet = 12;
inline constexpr int kAF_NETBEUI = 13;
inline constexpr int kAF_SECURITY = 14;
inline constexpr int kAF_KEY = 15;
inline constexpr int kAF_NETLINK = 16;
inline constexpr int kAF_ROUTE = kAF_NETLINK;
inline constexpr int kAF_PACKET = 17;
inline constexpr int kAF_ASH = 18;
inline constexpr int kAF_ECONET = 19;
inline constexpr int kAF_ATMSVC = 20;
inline constexpr int kAF_RDS = 21;
inline constexpr int kAF_SNA = 22;
inline constexpr int kAF_IRDA = 23;
inline constexpr int kAF_PPPOX = 24;
inline constexpr int kAF_WANPIPE = 25;
inline constexpr int kAF_LLC = 26;
inline constexpr int kAF_IB = 27;
inline constexpr int kAF_MPLS = 28;
inline constexpr int kAF_CAN = 29;
inline constexpr int kAF_TIPC = 30;
inline constexpr int kAF_BLUETOOTH = 31;
inline constexpr int kAF_IUCV = 32;
inline constexpr int kAF_RXRPC = 33;
inline constexpr int kAF_ISDN = 34;
inline constexpr int kAF_PHONET = 35;
inline constexpr int kAF_IEEE802154 = 36;
inline constexpr int kAF_CAIF = 37;
inline constexpr int kAF_ALG = 38;
inline constexpr int kAF_NFC = 39;
inline constexpr int kAF_VSOCK = 40;
inline constexpr int kAF_KCM = 41;
inline constexpr int kAF_QIPCRTR = 42;
inline constexpr int kAF_SMC = 43;
inline constexpr int kAF_XDP = 44;
inline constexpr int kAF_MCTP = 45;
inline constexpr int kAF_MAX = 46;  // As of 6.1.

// Socket types, and the flags or'ed into the type argument of socket/socketpair/accept4.
inline constexpr int kSOCK_STREAM = 1;
inline constexpr int kSOCK_DGRAM = 2;
inline constexpr int kSOCK_RAW = 3;
inline constexpr int kSOCK_RDM = 4;
inline constexpr int kSOCK_SEQPACKET = 5;
inline constexpr int kSOCK_DCCP = 6;
inline constexpr int kSOCK_PACKET = 10;
inline constexpr int kSOCK_TYPE_MASK = 0xf;
inline constexpr int kSOCK_CLOEXEC = 02000000;   // O_CLOEXEC.
inline constexpr int kSOCK_NONBLOCK = 00004000;  // O_NONBLOCK.

// listen backlog cap (net.core.somaxconn default since 5.4).
inline constexpr int kSOMAXCONN = 4096;

// shutdown how.
inline constexpr int kSHUT_RD = 0;
inline constexpr int kSHUT_WR = 1;
inline constexpr int kSHUT_RDWR = 2;

// Option levels.
inline constexpr int kSOL_IP = 0;
inline constexpr int kSOL_SOCKET = 1;
inline constexpr int kSOL_TCP = 6;
inline constexpr int kSOL_UDP = 17;
inline constexpr int kSOL_IPV6 = 41;
inline constexpr int kSOL_ICMPV6 = 58;
inline constexpr int kSOL_RAW = 255;
inline constexpr int kSOL_PACKET = 263;
inline constexpr int kSOL_NETLINK = 270;

// SOL_SOCKET options.
inline constexpr int kSO_DEBUG = 1;
inline constexpr int kSO_REUSEADDR = 2;
inline constexpr int kSO_TYPE = 3;
inline constexpr int kSO_ERROR = 4;
inline constexpr int kSO_DONTROUTE = 5;
inline constexpr int kSO_BROADCAST = 6;
inline constexpr int kSO_SNDBUF = 7;
inline constexpr int kSO_RCVBUF = 8;
inline constexpr int kSO_KEEPALIVE = 9;
inline constexpr int kSO_OOBINLINE = 10;
inline constexpr int kSO_NO_CHECK = 11;
inline constexpr int kSO_PRIORITY = 12;
inline constexpr int kSO_LINGER = 13;
inline constexpr int kSO_BSDCOMPAT = 14;
inline constexpr int kSO_REUSEPORT = 15;
inline constexpr int kSO_PASSCRED = 16;
inline constexpr int kSO_PEERCRED = 17;
inline constexpr int kSO_RCVLOWAT = 18;
inline constexpr int kSO_SNDLOWAT = 19;
inline constexpr int kSO_RCVTIMEO_OLD = 20;
inline constexpr int kSO_SNDTIMEO_OLD = 21;
inline constexpr int kSO_SECURITY_AUTHENTICATION = 22;
inline constexpr int kSO_SECURITY_ENCRYPTION_TRANSPORT = 23;
inline constexpr int kSO_SECURITY_ENCRYPTION_NETWORK = 24;
inline constexpr int kSO_BINDTODEVICE = 25;
inline constexpr int kSO_ATTACH_FILTER = 26;
inline constexpr int kSO_DETACH_FILTER = 27;
inline constexpr int kSO_GET_FILTER = kSO_ATTACH_FILTER;
inline constexpr int kSO_PEERNAME = 28;
inline constexpr int kSO_TIMESTAMP_OLD = 29;
inline constexpr int kSO_ACCEPTCONN = 30;
inline constexpr int kSO_PEERSEC = 31;
inline constexpr int kSO_SNDBUFFORCE = 32;
inline constexpr int kSO_RCVBUFFORCE = 33;
inline constexpr int kSO_PASSSEC = 34;
inline constexpr int kSO_TIMESTAMPNS_OLD = 35;
inline constexpr int kSO_MARK = 36;
inline constexpr int kSO_TIMESTAMPING_OLD = 37;
inline constexpr int kSO_PROTOCOL = 38;
inline constexpr int kSO_DOMAIN = 39;
inline constexpr int kSO_RXQ_OVFL = 40;
inline constexpr int kSO_WIFI_STATUS = 41;
inline constexpr int kSO_PEEK_OFF = 42;
inline constexpr int kSO_NOFCS = 43;
inline constexpr int kSO_LOCK_FILTER = 44;
inline constexpr int kSO_SELECT_ERR_QUEUE = 45;
inline constexpr int kSO_BUSY_POLL = 46;
inline constexpr int kSO_MAX_PACING_RATE = 47;
inline constexpr int kSO_BPF_EXTENSIONS = 48;
inline constexpr int kSO_INCOMING_CPU = 49;
inline constexpr int kSO_ATTACH_BPF = 50;
inline constexpr int kSO_DETACH_BPF = kSO_DETACH_FILTER;
inline constexpr int kSO_ATTACH_REUSEPORT_CBPF = 51;
inline constexpr int kSO_ATTACH_REUSEPORT_EBPF = 52;
inline constexpr int kSO_CNX_ADVICE = 53;
inline constexpr int kSO_MEMINFO = 55;
inline constexpr int kSO_INCOMING_NAPI_ID = 56;
inline constexpr int kSO_COOKIE = 57;
inline constexpr int kSO_PEERGROUPS = 59;
inline constexpr int kSO_ZEROCOPY = 60;
inline constexpr int kSO_TXTIME = 61;
inline constexpr int kSO_BINDTOIFINDEX = 62;
inline constexpr int kSO_TIMESTAMP_NEW = 63;
inline constexpr int kSO_TIMESTAMPNS_NEW = 64;
inline constexpr int kSO_TIMESTAMPING_NEW = 65;
inline constexpr int kSO_RCVTIMEO_NEW = 66;
inline constexpr int kSO_SNDTIMEO_NEW = 67;
inline constexpr int kSO_DETACH_REUSEPORT_BPF = 68;
inline constexpr int kSO_PREFER_BUSY_POLL = 69;
inline constexpr int kSO_BUSY_POLL_BUDGET = 70;
inline constexpr int kSO_NETNS_COOKIE = 71;
inline constexpr int kSO_BUF_LOCK = 72;
inline constexpr int kSO_RESERVE_MEM = 73;
inline constexpr int kSO_TXREHASH = 74;
inline constexpr int kSO_RCVMARK = 75;
inline constexpr int kSO_PASSPIDFD = 76;  // 6.5+.
inline constexpr int kSO_PEERPIDFD = 77;  // 6.5+.
// On x86-64 time_t is 64 bits, so the plain names are the _OLD ones.
inline constexpr int kSO_TIMESTAMP = kSO_TIMESTAMP_OLD;
inline constexpr int kSO_TIMESTAMPNS = kSO_TIMESTAMPNS_OLD;
inline constexpr int kSO_TIMESTAMPING = kSO_TIMESTAMPING_OLD;
inline constexpr int kSO_RCVTIMEO = kSO_RCVTIMEO_OLD;
inline constexpr int kSO_SNDTIMEO = kSO_SNDTIMEO_OLD;

// Control message types at SOL_SOCKET.
inline constexpr int kSCM_RIGHTS = 0x01;
inline constexpr int kSCM_CREDENTIALS = 0x02;
inline constexpr int kSCM_SECURITY = 0x03;
inline constexpr int kSCM_PIDFD = 0x04;  // 6.5+.
inline constexpr int kSCM_TIMESTAMP = kSO_TIMESTAMP;
inline constexpr int kSCM_TIMESTAMPNS = kSO_TIMESTAMPNS;
inline constexpr int kSCM_TIMESTAMPING = kSO_TIMESTAMPING;
// Maximum number of fds in one SCM_RIGHTS message.
inline constexpr int kSCM_MAX_FD = 253;

// send/recv flags.
inline constexpr int kMSG_OOB = 0x1;
inline constexpr int kMSG_PEEK = 0x2;
inline constexpr int kMSG_DONTROUTE = 0x4;
inline constexpr int kMSG_TRYHARD = 0x4;
inline constexpr int kMSG_CTRUNC = 0x8;
inline constexpr int kMSG_PROBE = 0x10;
inline constexpr int kMSG_PROXY = 0x10;
inline constexpr int kMSG_TRUNC = 0x20;
inline constexpr int kMSG_DONTWAIT = 0x40;
inline constexpr int kMSG_EOR = 0x80;
inline constexpr int kMSG_WAITALL = 0x100;
inline constexpr int kMSG_FIN = 0x200;
inline constexpr int kMSG_SYN = 0x400;
inline constexpr int kMSG_CONFIRM = 0x800;
inline constexpr int kMSG_RST = 0x1000;
inline constexpr int kMSG_ERRQUEUE = 0x2000;
inline constexpr int kMSG_NOSIGNAL = 0x4000;
inline constexpr int kMSG_MORE = 0x8000;
inline constexpr int kMSG_WAITFORONE = 0x10000;
inline constexpr int kMSG_BATCH = 0x40000;
inline constexpr int kMSG_ZEROCOPY = 0x4000000;
inline constexpr int kMSG_FASTOPEN = 0x20000000;
inline constexpr int kMSG_CMSG_CLOEXEC = 0x40000000;

// struct sockaddr.
struct Sockaddr {
  uint16_t sa_family;
  char sa_data[14];
};
static_assert(sizeof(Sockaddr) == 16);

// struct __kernel_sockaddr_storage: large enough for any address.
struct alignas(8) SockaddrStorage {
  uint16_t ss_family;
  char data[126];
};
static_assert(sizeof(SockaddrStorage) == 128);
static_assert(alignof(SockaddrStorage) == 8);

// struct sockaddr_un.
inline constexpr int kUNIX_PATH_MAX = 108;
struct SockaddrUn {
  uint16_t sun_family;            // AF_UNIX.
  char sun_path[kUNIX_PATH_MAX];  // Not necessarily NUL-terminated; sun_path[0] == 0: abstract.
};
static_assert(sizeof(SockaddrUn) == 110);
static_assert(offsetof(SockaddrUn, sun_path) == 2);

// struct in_addr; s_addr is in network byte order.
struct InAddr {
  uint32_t s_addr;
};
static_assert(sizeof(InAddr) == 4);

// Addresses in host byte order.
inline constexpr uint32_t kINADDR_ANY = 0x00000000;
inline constexpr uint32_t kINADDR_BROADCAST = 0xffffffff;
inline constexpr uint32_t kINADDR_NONE = 0xffffffff;
inline constexpr uint32_t kINADDR_LOOPBACK = 0x7f000001;

// struct sockaddr_in; sin_port is in network byte order.
struct SockaddrIn {
  uint16_t sin_family;  // AF_INET.
  uint16_t sin_port;
  InAddr sin_addr;
  uint8_t sin_zero[8];
};
static_assert(sizeof(SockaddrIn) == 16);
static_assert(offsetof(SockaddrIn, sin_port) == 2);
static_assert(offsetof(SockaddrIn, sin_addr) == 4);
static_assert(offsetof(SockaddrIn, sin_zero) == 8);

// struct in6_addr. libc #defines s6_addr (to its own union member names), so the kernel's
// underlying names are kept: s6_addr is in6_u.u6_addr8.
struct In6Addr {
  union {
    uint8_t u6_addr8[16];
    uint16_t u6_addr16[8];
    uint32_t u6_addr32[4];
  } in6_u;
};
static_assert(sizeof(In6Addr) == 16);

// struct sockaddr_in6.
struct SockaddrIn6 {
  uint16_t sin6_family;  // AF_INET6.
  uint16_t sin6_port;    // Network byte order.
  uint32_t sin6_flowinfo;
  In6Addr sin6_addr;
  uint32_t sin6_scope_id;
};
static_assert(sizeof(SockaddrIn6) == 28);
static_assert(offsetof(SockaddrIn6, sin6_port) == 2);
static_assert(offsetof(SockaddrIn6, sin6_flowinfo) == 4);
static_assert(offsetof(SockaddrIn6, sin6_addr) == 8);
static_assert(offsetof(SockaddrIn6, sin6_scope_id) == 24);

// struct sockaddr_nl.
struct SockaddrNl {
  uint16_t nl_family;  // AF_NETLINK.
  uint16_t nl_pad;
  uint32_t nl_pid;     // Port id.
  uint32_t nl_groups;  // Multicast groups mask.
};
static_assert(sizeof(SockaddrNl) == 12);
static_assert(offsetof(SockaddrNl, nl_pid) == 4);
static_assert(offsetof(SockaddrNl, nl_groups) == 8);

// struct sockaddr_ll (AF_PACKET).
struct SockaddrLl {
  uint16_t sll_family;
  uint16_t sll_protocol;  // Network byte order.
  int32_t sll_ifindex;
  uint16_t sll_hatype;
  uint8_t sll_pkttype;
  uint8_t sll_halen;
  uint8_t sll_addr[8];
};
static_assert(sizeof(SockaddrLl) == 20);
static_assert(offsetof(SockaddrLl, sll_ifindex) == 4);
static_assert(offsetof(SockaddrLl, sll_hatype) == 8);
static_assert(offsetof(SockaddrLl, sll_addr) == 12);

// struct user_msghdr (sendmsg/recvmsg). Pointers are guest addresses.
struct Msghdr {
  uint64_t msg_name;
  int32_t msg_namelen;
  int32_t pad0;
  uint64_t msg_iov;     // Guest Iovec array.
  uint64_t msg_iovlen;  // Number of Iovecs.
  uint64_t msg_control;
  uint64_t msg_controllen;
  uint32_t msg_flags;
  int32_t pad1;
};
static_assert(sizeof(Msghdr) == 56);
static_assert(offsetof(Msghdr, msg_namelen) == 8);
static_assert(offsetof(Msghdr, msg_iov) == 16);
static_assert(offsetof(Msghdr, msg_iovlen) == 24);
static_assert(offsetof(Msghdr, msg_control) == 32);
static_assert(offsetof(Msghdr, msg_controllen) == 40);
static_assert(offsetof(Msghdr, msg_flags) == 48);

// struct mmsghdr (sendmmsg/recvmmsg).
struct Mmsghdr {
  Msghdr msg_hdr;
  uint32_t msg_len;  // Bytes transferred.
  int32_t pad0;
};
static_assert(sizeof(Mmsghdr) == 64);
static_assert(offsetof(Mmsghdr, msg_len) == 56);

// struct cmsghdr; cmsg_len counts the header and the data, not the trailing padding.
struct Cmsghdr {
  uint64_t cmsg_len;
  int32_t cmsg_level;
  int32_t cmsg_type;
};
static_assert(sizeof(Cmsghdr) == 16);
static_assert(offsetof(Cmsghdr, cmsg_level) == 8);
static_assert(offsetof(Cmsghdr, cmsg_type) == 12);

// CMSG_ALIGN, CMSG_LEN, CMSG_SPACE (libc defines those names as macros).
constexpr uint64_t CmsgAlign(uint64_t len) {
  return (len + sizeof(uint64_t) - 1) & ~(sizeof(uint64_t) - 1);
}
constexpr uint64_t CmsgLen(uint64_t data_len) { return CmsgAlign(sizeof(Cmsghdr)) + data_len; }
constexpr uint64_t CmsgSpace(uint64_t data_len) {
  return CmsgAlign(sizeof(Cmsghdr)) + CmsgAlign(data_len);
}

// struct ucred (SO_PEERCRED, SCM_CREDENTIALS).
struct Ucred {
  int32_t pid;
  uint32_t uid;
  uint32_t gid;
};
static_assert(sizeof(Ucred) == 12);
static_assert(offsetof(Ucred, uid) == 4);
static_assert(offsetof(Ucred, gid) == 8);

// struct linger (SO_LINGER).
struct Linger {
  int32_t l_onoff;
  int32_t l_linger;  // Seconds.
};
static_assert(sizeof(Linger) == 8);
static_assert(offsetof(Linger, l_linger) == 4);

// IP protocols.
inline constexpr int kIPPROTO_IP = 0;
inline constexpr int kIPPROTO_ICMP = 1;
inline constexpr int kIPPROTO_IGMP = 2;
inline constexpr int kIPPROTO_IPIP = 4;
inline constexpr int kIPPROTO_TCP = 6;
inline constexpr int kIPPROTO_EGP = 8;
inline constexpr int kIPPROTO_PUP = 12;
inline constexpr int kIPPROTO_UDP = 17;
inline constexpr int kIPPROTO_IDP = 22;
inline constexpr int kIPPROTO_TP = 29;
inline constexpr int kIPPROTO_DCCP = 33;
inline constexpr int kIPPROTO_IPV6 = 41;
inline constexpr int kIPPROTO_RSVP = 46;
inline constexpr int kIPPROTO_GRE = 47;
inline constexpr int kIPPROTO_ESP = 50;
inline constexpr int kIPPROTO_AH = 51;
inline constexpr int kIPPROTO_ICMPV6 = 58;
inline constexpr int kIPPROTO_MTP = 92;
inline constexpr int kIPPROTO_BEETPH = 94;
inline constexpr int kIPPROTO_ENCAP = 98;
inline constexpr int kIPPROTO_PIM = 103;
inline constexpr int kIPPROTO_COMP = 108;
inline constexpr int kIPPROTO_L2TP = 115;
inline constexpr int kIPPROTO_SCTP = 132;
inline constexpr int kIPPROTO_UDPLITE = 136;
inline constexpr int kIPPROTO_MPLS = 137;
inline constexpr int kIPPROTO_ETHERNET = 143;
inline constexpr int kIPPROTO_RAW = 255;
inline constexpr int kIPPROTO_MPTCP = 262;

// SOL_IP options.
inline constexpr int kIP_TOS = 1;
inline constexpr int kIP_TTL = 2;
inline constexpr int kIP_HDRINCL = 3;
inline constexpr int kIP_OPTIONS = 4;
inline constexpr int kIP_RECVOPTS = 6;
inline constexpr int kIP_RETOPTS = 7;
inline constexpr int kIP_PKTINFO = 8;
inline constexpr int kIP_PKTOPTIONS = 9;
inline constexpr int kIP_MTU_DISCOVER = 10;
inline constexpr int kIP_RECVERR = 11;
inline constexpr int kIP_RECVTTL = 12;
inline constexpr int kIP_RECVTOS = 13;
inline constexpr int kIP_MTU = 14;
inline constexpr int kIP_FREEBIND = 15;
inline constexpr int kIP_TRANSPARENT = 19;
inline constexpr int kIP_BIND_ADDRESS_NO_PORT = 24;
inline constexpr int kIP_MULTICAST_IF = 32;
inline constexpr int kIP_MULTICAST_TTL = 33;
inline constexpr int kIP_MULTICAST_LOOP = 34;
inline constexpr int kIP_ADD_MEMBERSHIP = 35;
inline constexpr int kIP_DROP_MEMBERSHIP = 36;

// SOL_IPV6 options.
inline constexpr int kIPV6_ADDRFORM = 1;
inline constexpr int kIPV6_UNICAST_HOPS = 16;
inline constexpr int kIPV6_MULTICAST_IF = 17;
inline constexpr int kIPV6_MULTICAST_HOPS = 18;
inline constexpr int kIPV6_MULTICAST_LOOP = 19;
inline constexpr int kIPV6_ADD_MEMBERSHIP = 20;
inline constexpr int kIPV6_DROP_MEMBERSHIP = 21;
inline constexpr int kIPV6_MTU_DISCOVER = 23;
inline constexpr int kIPV6_MTU = 24;
inline constexpr int kIPV6_RECVERR = 25;
inline constexpr int kIPV6_V6ONLY = 26;
inline constexpr int kIPV6_RECVPKTINFO = 49;
inline constexpr int kIPV6_PKTINFO = 50;
inline constexpr int kIPV6_RECVTCLASS = 66;
inline constexpr int kIPV6_TCLASS = 67;

// SOL_TCP options.
inline constexpr int kTCP_NODELAY = 1;
inline constexpr int kTCP_MAXSEG = 2;
inline constexpr int kTCP_CORK = 3;
inline constexpr int kTCP_KEEPIDLE = 4;
inline constexpr int kTCP_KEEPINTVL = 5;
inline constexpr int kTCP_KEEPCNT = 6;
inline constexpr int kTCP_SYNCNT = 7;
inline constexpr int kTCP_LINGER2 = 8;
inline constexpr int kTCP_DEFER_ACCEPT = 9;
inline constexpr int kTCP_WINDOW_CLAMP = 10;
inline constexpr int kTCP_INFO = 11;
inline constexpr int kTCP_QUICKACK = 12;
inline constexpr int kTCP_CONGESTION = 13;
inline constexpr int kTCP_MD5SIG = 14;
inline constexpr int kTCP_THIN_LINEAR_TIMEOUTS = 16;
inline constexpr int kTCP_THIN_DUPACK = 17;
inline constexpr int kTCP_USER_TIMEOUT = 18;
inline constexpr int kTCP_REPAIR = 19;
inline constexpr int kTCP_REPAIR_QUEUE = 20;
inline constexpr int kTCP_QUEUE_SEQ = 21;
inline constexpr int kTCP_REPAIR_OPTIONS = 22;
inline constexpr int kTCP_FASTOPEN = 23;
inline constexpr int kTCP_TIMESTAMP = 24;
inline constexpr int kTCP_NOTSENT_LOWAT = 25;
inline constexpr int kTCP_CC_INFO = 26;
inline constexpr int kTCP_SAVE_SYN = 27;
inline constexpr int kTCP_SAVED_SYN = 28;
inline constexpr int kTCP_REPAIR_WINDOW = 29;
inline constexpr int kTCP_FASTOPEN_CONNECT = 30;
inline constexpr int kTCP_ULP = 31;
inline constexpr int kTCP_MD5SIG_EXT = 32;
inline constexpr int kTCP_FASTOPEN_KEY = 33;
inline constexpr int kTCP_FASTOPEN_NO_COOKIE = 34;
inline constexpr int kTCP_ZEROCOPY_RECEIVE = 35;
inline constexpr int kTCP_INQ = 36;
inline constexpr int kTCP_TX_DELAY = 37;

// Socket ioctls (include/uapi/linux/sockios.h).
inline constexpr uint32_t kFIOSETOWN = 0x8901;
inline constexpr uint32_t kSIOCSPGRP = 0x8902;
inline constexpr uint32_t kFIOGETOWN = 0x8903;
inline constexpr uint32_t kSIOCGPGRP = 0x8904;
inline constexpr uint32_t kSIOCATMARK = 0x8905;
inline constexpr uint32_t kSIOCGSTAMP_OLD = 0x8906;
inline constexpr uint32_t kSIOCGSTAMPNS_OLD = 0x8907;
inline constexpr uint32_t kSIOCGIFNAME = 0x8910;
inline constexpr uint32_t kSIOCGIFCONF = 0x8912;
inline constexpr uint32_t kSIOCGIFFLAGS = 0x8913;
inline constexpr uint32_t kSIOCSIFFLAGS = 0x8914;
inline constexpr uint32_t kSIOCGIFADDR = 0x8915;
inline constexpr uint32_t kSIOCGIFBRDADDR = 0x8919;
inline constexpr uint32_t kSIOCGIFNETMASK = 0x891b;
inline constexpr uint32_t kSIOCGIFMETRIC = 0x891d;
inline constexpr uint32_t kSIOCGIFMTU = 0x8921;
inline constexpr uint32_t kSIOCGIFHWADDR = 0x8927;
inline constexpr uint32_t kSIOCGIFINDEX = 0x8933;
inline constexpr uint32_t kSIOCGIFTXQLEN = 0x8942;
inline constexpr uint32_t kSIOCOUTQ = 0x5411;  // TIOCOUTQ.
inline constexpr uint32_t kSIOCINQ = 0x541B;   // FIONREAD.

}  // namespace abi_linux

#endif  // ABI_LINUX_SOCKET_H_
