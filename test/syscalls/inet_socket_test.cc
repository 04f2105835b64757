// AF_INET and AF_INET6 sockets over loopback (ip(7), ipv6(7), tcp(7),
// udp(7)): connect/accept with the addresses each end sees, refused and
// non-blocking connects, EADDRINUSE and SO_REUSEADDR/SO_REUSEPORT, flow
// control (a full connection makes writers wait), EOF, EPIPE and resets,
// MSG_PEEK/MSG_WAITALL/MSG_DONTWAIT, socket options read back, timeouts,
// signals interrupting a blocked recv (EINTR, SA_RESTART), UDP datagrams
// (boundaries, MSG_TRUNC, connect, sendmmsg/recvmmsg), dual-stack v4-mapped
// peers and IPV6_V6ONLY, poll readiness (POLLRDHUP, POLLHUP), and the
// loopback interface's ioctls. Natively only 127.0.0.1 and ::1 are used;
// without ::1 on the host the IPv6 cases skip.
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::Ge;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// A socket address of either family.
struct Addr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
  sockaddr* sa() { return reinterpret_cast<sockaddr*>(&ss); }
  uint16_t port() const {
    return ntohs(ss.ss_family == AF_INET ? reinterpret_cast<const sockaddr_in*>(&ss)->sin_port
                                         : reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  }
  std::string ip() const {
    char buf[64] = {};
    if (ss.ss_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, buf, sizeof(buf));
    } else {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, buf,
                sizeof(buf));
    }
    return buf;
  }
};

Addr Make(int family, const char* ip, uint16_t port) {
  Addr a;
  if (family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&a.ss);
    in->sin_family = AF_INET;
    in->sin_port = htons(port);
    inet_pton(AF_INET, ip, &in->sin_addr);
    a.len = sizeof(sockaddr_in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&a.ss);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    inet_pton(AF_INET6, ip, &in6->sin6_addr);
    a.len = sizeof(sockaddr_in6);
  }
  return a;
}

Addr SockName(int fd) {
  Addr a;
  a.len = sizeof(a.ss);
  getsockname(fd, a.sa(), &a.len);
  return a;
}

Addr PeerName(int fd) {
  Addr a;
  a.len = sizeof(a.ss);
  getpeername(fd, a.sa(), &a.len);
  return a;
}

const char* Loopback(int family) { return family == AF_INET ? "127.0.0.1" : "::1"; }
const char* Any(int family) { return family == AF_INET ? "0.0.0.0" : "::"; }

bool HaveIpv6Loopback() {
  int fd = socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0) return false;
  Addr a = Make(AF_INET6, "::1", 0);
  bool ok = bind(fd, a.sa(), a.len) == 0;
  close(fd);
  return ok;
}

short PollEvents(int fd, short events, int timeout_ms = 0) {
  pollfd p{fd, events, 0};
  if (poll(&p, 1, timeout_ms) < 0) return -1;
  return p.revents;
}

class InetTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    family_ = GetParam();
    if (family_ == AF_INET6 && !HaveIpv6Loopback()) GTEST_SKIP() << "no ::1 on this host";
  }

  // A listening TCP socket on the loopback address, port chosen by the stack.
  void Listen(Fd* l, Addr* at, int backlog = 16) {
    l->reset(socket(family_, SOCK_STREAM, 0));
    ASSERT_THAT(l->get(), SyscallSucceeds());
    Addr a = Make(family_, Loopback(family_), 0);
    ASSERT_THAT(bind(l->get(), a.sa(), a.len), SyscallSucceeds());
    ASSERT_THAT(listen(l->get(), backlog), SyscallSucceeds());
    *at = SockName(l->get());
    ASSERT_NE(at->port(), 0);
  }

  // A connected pair: client c, accepted server end s.
  void Connected(Fd* c, Fd* s) {
    Fd l;
    Addr at;
    ASSERT_NO_FATAL_FAILURE(Listen(&l, &at));
    c->reset(socket(family_, SOCK_STREAM, 0));
    ASSERT_THAT(connect(c->get(), at.sa(), at.len), SyscallSucceeds());
    s->reset(accept(l.get(), nullptr, nullptr));
    ASSERT_THAT(s->get(), SyscallSucceeds());
  }

  int family_ = AF_INET;
};

TEST_P(InetTest, TcpConnectAcceptAddresses) {
  Fd l;
  Addr at;
  ASSERT_NO_FATAL_FAILURE(Listen(&l, &at));
  EXPECT_EQ(at.ip(), Loopback(family_));
  int v = 0;
  socklen_t vl = sizeof(v);
  ASSERT_THAT(getsockopt(l.get(), SOL_SOCKET, SO_ACCEPTCONN, &v, &vl), SyscallSucceeds());
  EXPECT_EQ(v, 1);

  Fd c(socket(family_, SOCK_STREAM, 0));
  // Not connected yet.
  Addr none;
  none.len = sizeof(none.ss);
  EXPECT_THAT(getpeername(c.get(), none.sa(), &none.len), SyscallFailsWithErrno(ENOTCONN));
  ASSERT_THAT(connect(c.get(), at.sa(), at.len), SyscallSucceeds());
  EXPECT_THAT(connect(c.get(), at.sa(), at.len), SyscallFailsWithErrno(EISCONN));

  Addr from;
  from.len = sizeof(from.ss);
  Fd s(accept4(l.get(), from.sa(), &from.len, SOCK_NONBLOCK | SOCK_CLOEXEC));
  ASSERT_THAT(s.get(), SyscallSucceeds());
  EXPECT_NE(fcntl(s.get(), F_GETFL) & O_NONBLOCK, 0);
  EXPECT_NE(fcntl(s.get(), F_GETFD) & FD_CLOEXEC, 0);

  Addr cl = SockName(c.get());
  EXPECT_EQ(cl.ip(), Loopback(family_));
  EXPECT_NE(cl.port(), 0);
  EXPECT_NE(cl.port(), at.port());
  EXPECT_EQ(from.port(), cl.port());
  EXPECT_EQ(from.ip(), cl.ip());
  EXPECT_EQ(PeerName(c.get()).port(), at.port());
  EXPECT_EQ(SockName(s.get()).port(), at.port());
  EXPECT_EQ(PeerName(s.get()).port(), cl.port());

  int type = 0, domain = 0, proto = -1;
  vl = sizeof(int);
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_TYPE, &type, &vl), SyscallSucceeds());
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_DOMAIN, &domain, &vl), SyscallSucceeds());
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_PROTOCOL, &proto, &vl), SyscallSucceeds());
  EXPECT_EQ(type, SOCK_STREAM);
  EXPECT_EQ(domain, family_);
  EXPECT_EQ(proto, IPPROTO_TCP);
}

TEST_P(InetTest, TcpMovesBytesBothWaysAndHalfCloses) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  ASSERT_THAT(write(c.get(), "hello", 5), SyscallSucceedsWithValue(5));
  ASSERT_THAT(send(c.get(), " world", 6, 0), SyscallSucceedsWithValue(6));
  char buf[64] = {};
  ASSERT_THAT(RetryEINTR(recv)(s.get(), buf, 11, MSG_WAITALL), SyscallSucceedsWithValue(11));
  EXPECT_EQ(std::string(buf, 11), "hello world");
  ASSERT_THAT(write(s.get(), "back", 4), SyscallSucceedsWithValue(4));
  ASSERT_THAT(read(c.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(4));

  // Half-close: the server reads EOF after the data, and can still write.
  ASSERT_THAT(send(c.get(), "tail", 4, 0), SyscallSucceedsWithValue(4));
  ASSERT_THAT(shutdown(c.get(), SHUT_WR), SyscallSucceeds());
  EXPECT_THAT(send(c.get(), "x", 1, MSG_NOSIGNAL), SyscallFailsWithErrno(EPIPE));
  EXPECT_EQ(PollEvents(s.get(), POLLIN | POLLRDHUP, 5000) & (POLLIN | POLLRDHUP),
            POLLIN | POLLRDHUP);
  // MSG_WAITALL stops at EOF.
  ASSERT_THAT(RetryEINTR(recv)(s.get(), buf, sizeof(buf), MSG_WAITALL),
              SyscallSucceedsWithValue(4));
  EXPECT_THAT(recv(s.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(0));
  ASSERT_THAT(send(s.get(), "reply", 5, 0), SyscallSucceedsWithValue(5));
  ASSERT_THAT(RetryEINTR(recv)(c.get(), buf, 5, MSG_WAITALL), SyscallSucceedsWithValue(5));
  EXPECT_EQ(std::string(buf, 5), "reply");

  // Both directions closed: POLLHUP for the server end.
  ASSERT_THAT(shutdown(s.get(), SHUT_WR), SyscallSucceeds());
  EXPECT_NE(PollEvents(s.get(), POLLIN, 5000) & POLLHUP, 0);
  EXPECT_NE(PollEvents(c.get(), POLLIN, 5000) & POLLHUP, 0);
}

TEST_P(InetTest, PeekDontwaitAndFionread) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  char buf[16] = {};
  EXPECT_THAT(recv(s.get(), buf, sizeof(buf), MSG_DONTWAIT), SyscallFailsWithErrno(EAGAIN));
  EXPECT_EQ(PollEvents(s.get(), POLLIN | POLLOUT), POLLOUT);
  ASSERT_THAT(send(c.get(), "abcdef", 6, 0), SyscallSucceedsWithValue(6));
  EXPECT_NE(PollEvents(s.get(), POLLIN, 5000) & POLLIN, 0);
  int n = 0;
  ASSERT_THAT(ioctl(s.get(), FIONREAD, &n), SyscallSucceeds());
  EXPECT_EQ(n, 6);
  ASSERT_THAT(recv(s.get(), buf, 3, MSG_PEEK), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "abc");
  ASSERT_THAT(recv(s.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(6));
  EXPECT_EQ(std::string(buf, 6), "abcdef");
  ASSERT_THAT(ioctl(s.get(), FIONREAD, &n), SyscallSucceeds());
  EXPECT_EQ(n, 0);
  ASSERT_THAT(ioctl(c.get(), TIOCOUTQ, &n), SyscallSucceeds());
  EXPECT_GE(n, 0);
}

TEST_P(InetTest, ConnectRefused) {
  // A port that was bound and released: nobody listens there.
  Fd l;
  Addr at;
  ASSERT_NO_FATAL_FAILURE(Listen(&l, &at));
  l.reset();
  Fd c(socket(family_, SOCK_STREAM, 0));
  EXPECT_THAT(connect(c.get(), at.sa(), at.len), SyscallFailsWithErrno(ECONNREFUSED));

  Fd nb(socket(family_, SOCK_STREAM | SOCK_NONBLOCK, 0));
  int r = connect(nb.get(), at.sa(), at.len);
  int e = errno;
  if (r < 0 && e == EINPROGRESS) {
    short ev = PollEvents(nb.get(), POLLOUT, 5000);
    EXPECT_NE(ev & POLLERR, 0);
    int err = 0;
    socklen_t el = sizeof(err);
    ASSERT_THAT(getsockopt(nb.get(), SOL_SOCKET, SO_ERROR, &err, &el), SyscallSucceeds());
    EXPECT_EQ(err, ECONNREFUSED);
    // SO_ERROR is cleared by reading it.
    ASSERT_THAT(getsockopt(nb.get(), SOL_SOCKET, SO_ERROR, &err, &el), SyscallSucceeds());
    EXPECT_EQ(err, 0);
  } else {
    EXPECT_EQ(r, -1);
    EXPECT_EQ(e, ECONNREFUSED);
  }
}

TEST_P(InetTest, NonBlockingConnect) {
  Fd l;
  Addr at;
  ASSERT_NO_FATAL_FAILURE(Listen(&l, &at));
  Fd c(socket(family_, SOCK_STREAM | SOCK_NONBLOCK, 0));
  EXPECT_THAT(connect(c.get(), at.sa(), at.len), SyscallFailsWithErrno(EINPROGRESS));
  EXPECT_NE(PollEvents(c.get(), POLLOUT, 5000) & POLLOUT, 0);
  int err = -1;
  socklen_t el = sizeof(err);
  ASSERT_THAT(getsockopt(c.get(), SOL_SOCKET, SO_ERROR, &err, &el), SyscallSucceeds());
  EXPECT_EQ(err, 0);
  EXPECT_NE(PollEvents(l.get(), POLLIN, 5000) & POLLIN, 0);
  Fd s(accept(l.get(), nullptr, nullptr));
  ASSERT_THAT(s.get(), SyscallSucceeds());
  // Once established, a further connect reports it once, then EISCONN.
  ASSERT_THAT(connect(c.get(), at.sa(), at.len), SyscallSucceeds());
  EXPECT_THAT(connect(c.get(), at.sa(), at.len), SyscallFailsWithErrno(EISCONN));
  // A non-blocking accept with nothing pending.
  int fl = fcntl(l.get(), F_GETFL);
  ASSERT_THAT(fcntl(l.get(), F_SETFL, fl | O_NONBLOCK), SyscallSucceeds());
  EXPECT_THAT(accept(l.get(), nullptr, nullptr), SyscallFailsWithErrno(EAGAIN));
}

TEST_P(InetTest, BindConflictsAndReuse) {
  Fd a(socket(family_, SOCK_STREAM, 0));
  Addr any = Make(family_, Loopback(family_), 0);
  ASSERT_THAT(bind(a.get(), any.sa(), any.len), SyscallSucceeds());
  EXPECT_THAT(bind(a.get(), any.sa(), any.len), SyscallFailsWithErrno(EINVAL));
  Addr at = SockName(a.get());
  Fd b(socket(family_, SOCK_STREAM, 0));
  EXPECT_THAT(bind(b.get(), at.sa(), at.len), SyscallFailsWithErrno(EADDRINUSE));
  // The wildcard address overlaps the loopback one.
  Addr wild = Make(family_, Any(family_), at.port());
  EXPECT_THAT(bind(b.get(), wild.sa(), wild.len), SyscallFailsWithErrno(EADDRINUSE));

  // SO_REUSEADDR on both: binding is allowed while neither listens, and the
  // second listen fails.
  int one = 1;
  ASSERT_THAT(setsockopt(a.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), SyscallSucceeds());
  ASSERT_THAT(setsockopt(b.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), SyscallSucceeds());
  ASSERT_THAT(bind(b.get(), at.sa(), at.len), SyscallSucceeds());
  ASSERT_THAT(listen(a.get(), 4), SyscallSucceeds());
  EXPECT_THAT(listen(b.get(), 4), SyscallFailsWithErrno(EADDRINUSE));
  Fd c(socket(family_, SOCK_STREAM, 0));
  ASSERT_THAT(setsockopt(c.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), SyscallSucceeds());
  EXPECT_THAT(bind(c.get(), at.sa(), at.len), SyscallFailsWithErrno(EADDRINUSE));

  // SO_REUSEPORT on both: two listeners on one port.
  Fd p(socket(family_, SOCK_STREAM, 0)), q(socket(family_, SOCK_STREAM, 0));
  ASSERT_THAT(setsockopt(p.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)), SyscallSucceeds());
  ASSERT_THAT(setsockopt(q.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)), SyscallSucceeds());
  ASSERT_THAT(bind(p.get(), any.sa(), any.len), SyscallSucceeds());
  Addr pat = SockName(p.get());
  ASSERT_THAT(bind(q.get(), pat.sa(), pat.len), SyscallSucceeds());
  ASSERT_THAT(listen(p.get(), 4), SyscallSucceeds());
  ASSERT_THAT(listen(q.get(), 4), SyscallSucceeds());

  // Not a local address.
  Fd r(socket(family_, SOCK_STREAM, 0));
  Addr far = Make(family_, family_ == AF_INET ? "192.0.2.1" : "2001:db8::1", 0);
  EXPECT_THAT(bind(r.get(), far.sa(), far.len), SyscallFailsWithErrno(EADDRNOTAVAIL));
}

TEST_P(InetTest, FullConnectionMakesWritersWait) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  int small = 8192;
  ASSERT_THAT(setsockopt(c.get(), SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)),
              SyscallSucceeds());
  int v = 0;
  socklen_t vl = sizeof(v);
  ASSERT_THAT(getsockopt(c.get(), SOL_SOCKET, SO_SNDBUF, &v, &vl), SyscallSucceeds());
  EXPECT_EQ(v, 2 * small);  // Linux doubles the request
  std::vector<char> chunk(65536, 'z');
  size_t total = 0;
  for (int i = 0; i < 10000; ++i) {
    ssize_t n = send(c.get(), chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (n < 0) {
      ASSERT_EQ(errno, EAGAIN);
      break;
    }
    total += n;
  }
  ASSERT_GT(total, 0u);
  ASSERT_LT(total, 10000u * chunk.size());  // the connection filled up
  EXPECT_EQ(PollEvents(c.get(), POLLOUT) & POLLOUT, 0);
  // Draining the receiver makes room again.
  size_t got = 0;
  while (got < total) {
    ssize_t n = RetryEINTR(recv)(s.get(), chunk.data(), chunk.size(), 0);
    ASSERT_GT(n, 0);
    got += n;
    for (ssize_t i = 0; i < n; ++i) ASSERT_EQ(chunk[i], 'z');
  }
  EXPECT_NE(PollEvents(c.get(), POLLOUT, 5000) & POLLOUT, 0);
}

TEST_P(InetTest, PeerCloseGivesEofThenEpipe) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  s.reset();
  char buf[8];
  EXPECT_NE(PollEvents(c.get(), POLLIN | POLLRDHUP, 5000) & POLLRDHUP, 0);
  EXPECT_THAT(recv(c.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(0));
  // The first write reaches a closed socket, which answers with a reset.
  EXPECT_THAT(send(c.get(), "x", 1, MSG_NOSIGNAL), SyscallSucceedsWithValue(1));
  EXPECT_NE(PollEvents(c.get(), POLLIN, 5000) & POLLHUP, 0);
  // Then EPIPE, with SIGPIPE unless MSG_NOSIGNAL.
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  ASSERT_THAT(sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceeds());
  EXPECT_THAT(send(c.get(), "x", 1, 0), SyscallFailsWithErrno(EPIPE));
  sigset_t pending;
  sigpending(&pending);
  EXPECT_TRUE(sigismember(&pending, SIGPIPE));
  timespec zero{0, 0};
  EXPECT_THAT(sigtimedwait(&set, nullptr, &zero), SyscallSucceedsWithValue(SIGPIPE));
  EXPECT_THAT(send(c.get(), "x", 1, MSG_NOSIGNAL), SyscallFailsWithErrno(EPIPE));
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
  ASSERT_THAT(sigprocmask(SIG_SETMASK, &old, nullptr), SyscallSucceeds());
}

TEST_P(InetTest, CloseWithUnreadDataResets) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  ASSERT_THAT(send(c.get(), "unread", 6, 0), SyscallSucceedsWithValue(6));
  EXPECT_NE(PollEvents(s.get(), POLLIN, 5000) & POLLIN, 0);
  s.reset();
  EXPECT_NE(PollEvents(c.get(), POLLIN, 5000) & POLLERR, 0);
  char buf[8];
  EXPECT_THAT(recv(c.get(), buf, sizeof(buf), 0), SyscallFailsWithErrno(ECONNRESET));
}

TEST_P(InetTest, SocketOptionsReadBack) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  int v = 0;
  socklen_t vl = sizeof(v);
  ASSERT_THAT(getsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &v, &vl), SyscallSucceeds());
  EXPECT_EQ(v, 0);
  int one = 1;
  ASSERT_THAT(setsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), SyscallSucceeds());
  ASSERT_THAT(getsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &v, &vl), SyscallSucceeds());
  EXPECT_EQ(v, 1);
  ASSERT_THAT(setsockopt(c.get(), SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)), SyscallSucceeds());
  ASSERT_THAT(getsockopt(c.get(), SOL_SOCKET, SO_KEEPALIVE, &v, &vl), SyscallSucceeds());
  EXPECT_EQ(v, 1);
  int idle = 30;
  ASSERT_THAT(setsockopt(c.get(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)),
              SyscallSucceeds());
  ASSERT_THAT(getsockopt(c.get(), IPPROTO_TCP, TCP_KEEPIDLE, &v, &vl), SyscallSucceeds());
  EXPECT_EQ(v, 30);
  int zero = 0;
  EXPECT_THAT(setsockopt(c.get(), IPPROTO_TCP, TCP_KEEPIDLE, &zero, sizeof(zero)),
              SyscallFailsWithErrno(EINVAL));
  ASSERT_THAT(getsockopt(c.get(), IPPROTO_IP + (family_ == AF_INET ? 0 : IPPROTO_IPV6),
                         family_ == AF_INET ? IP_TTL : IPV6_UNICAST_HOPS, &v, &vl),
              SyscallSucceeds());
  EXPECT_EQ(v, 64);
  linger lg{1, 5}, lg2{};
  socklen_t ll = sizeof(lg2);
  ASSERT_THAT(setsockopt(c.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), SyscallSucceeds());
  ASSERT_THAT(getsockopt(c.get(), SOL_SOCKET, SO_LINGER, &lg2, &ll), SyscallSucceeds());
  EXPECT_EQ(lg2.l_onoff, 1);
  EXPECT_EQ(lg2.l_linger, 5);
  EXPECT_THAT(setsockopt(c.get(), IPPROTO_TCP, 9999, &one, sizeof(one)),
              SyscallFailsWithErrno(ENOPROTOOPT));

  // SO_RCVTIMEO: a blocking recv gives up with EAGAIN.
  timeval tv{0, 20000}, tv2{};
  socklen_t tl = sizeof(tv2);
  ASSERT_THAT(setsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), SyscallSucceeds());
  ASSERT_THAT(getsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &tv2, &tl), SyscallSucceeds());
  EXPECT_EQ(tv2.tv_usec, 20000);
  char buf[4];
  EXPECT_THAT(recv(c.get(), buf, sizeof(buf), 0), SyscallFailsWithErrno(EAGAIN));
}

std::atomic<int> g_alarms{0};
std::atomic<int> g_reply_fd{-1};

void OnAlarm(int) {
  // The second alarm sends the byte the interrupted recv waits for.
  if (++g_alarms == 2 && g_reply_fd >= 0) {
    (void)!write(g_reply_fd, "!", 1);
  }
}

TEST_P(InetTest, SignalInterruptsBlockedRecv) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  struct sigaction sa {}, old {};
  sa.sa_handler = OnAlarm;
  ASSERT_THAT(sigaction(SIGALRM, &sa, &old), SyscallSucceeds());
  itimerval it{{0, 20000}, {0, 20000}}, off{};
  g_alarms = 0;
  g_reply_fd = -1;
  ASSERT_THAT(setitimer(ITIMER_REAL, &it, nullptr), SyscallSucceeds());
  char buf[4];
  // Without SA_RESTART: EINTR.
  EXPECT_THAT(recv(c.get(), buf, sizeof(buf), 0), SyscallFailsWithErrno(EINTR));
  setitimer(ITIMER_REAL, &off, nullptr);

  // With SA_RESTART the recv carries on until the data comes.
  sa.sa_flags = SA_RESTART;
  ASSERT_THAT(sigaction(SIGALRM, &sa, nullptr), SyscallSucceeds());
  g_alarms = 0;
  g_reply_fd = s.get();
  ASSERT_THAT(setitimer(ITIMER_REAL, &it, nullptr), SyscallSucceeds());
  EXPECT_THAT(recv(c.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(1));
  setitimer(ITIMER_REAL, &off, nullptr);
  EXPECT_GE(g_alarms, 2);
  g_reply_fd = -1;
  sigaction(SIGALRM, &old, nullptr);
}

TEST_P(InetTest, EpollSeesDataAndRdhup) {
  Fd c, s;
  ASSERT_NO_FATAL_FAILURE(Connected(&c, &s));
  Fd ep(epoll_create1(0));
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = s.get();
  ASSERT_THAT(epoll_ctl(ep.get(), EPOLL_CTL_ADD, s.get(), &ev), SyscallSucceeds());
  epoll_event out{};
  EXPECT_THAT(epoll_wait(ep.get(), &out, 1, 0), SyscallSucceedsWithValue(0));
  ASSERT_THAT(send(c.get(), "e", 1, 0), SyscallSucceeds());
  ASSERT_THAT(RetryEINTR(epoll_wait)(ep.get(), &out, 1, 5000), SyscallSucceedsWithValue(1));
  EXPECT_EQ(out.events, static_cast<uint32_t>(EPOLLIN));
  c.reset();
  // Wait until the FIN is seen.
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(RetryEINTR(epoll_wait)(ep.get(), &out, 1, 5000), SyscallSucceedsWithValue(1));
    if (out.events & EPOLLRDHUP) break;
  }
  EXPECT_EQ(out.events, static_cast<uint32_t>(EPOLLIN | EPOLLRDHUP));
}

TEST_P(InetTest, UdpDatagrams) {
  Fd a(socket(family_, SOCK_DGRAM, 0)), b(socket(family_, SOCK_DGRAM, 0));
  Addr lo = Make(family_, Loopback(family_), 0);
  ASSERT_THAT(bind(a.get(), lo.sa(), lo.len), SyscallSucceeds());
  Addr aat = SockName(a.get());
  ASSERT_THAT(sendto(b.get(), "one", 3, 0, aat.sa(), aat.len), SyscallSucceedsWithValue(3));
  ASSERT_THAT(sendto(b.get(), "three", 5, 0, aat.sa(), aat.len), SyscallSucceedsWithValue(5));
  Addr bat = SockName(b.get());  // bound implicitly by the first send
  EXPECT_NE(bat.port(), 0);

  EXPECT_NE(PollEvents(a.get(), POLLIN, 5000) & POLLIN, 0);
  int n = 0;
  ASSERT_THAT(ioctl(a.get(), FIONREAD, &n), SyscallSucceeds());
  EXPECT_EQ(n, 3);  // the next datagram
  char buf[16] = {};
  Addr from;
  from.len = sizeof(from.ss);
  ASSERT_THAT(recvfrom(a.get(), buf, sizeof(buf), 0, from.sa(), &from.len),
              SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "one");
  EXPECT_EQ(from.port(), bat.port());
  EXPECT_EQ(from.ip(), Loopback(family_));
  // A short buffer truncates; MSG_TRUNC returns the real length.
  ASSERT_THAT(RetryEINTR(recv)(a.get(), buf, 2, MSG_TRUNC), SyscallSucceedsWithValue(5));
  EXPECT_EQ(std::string(buf, 2), "th");
  EXPECT_THAT(recv(a.get(), buf, sizeof(buf), MSG_DONTWAIT), SyscallFailsWithErrno(EAGAIN));

  // recvmsg flags a truncated datagram.
  ASSERT_THAT(sendto(b.get(), "abcdef", 6, 0, aat.sa(), aat.len), SyscallSucceeds());
  iovec iov{buf, 4};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  ASSERT_THAT(RetryEINTR(recvmsg)(a.get(), &m, 0), SyscallSucceedsWithValue(4));
  EXPECT_NE(m.msg_flags & MSG_TRUNC, 0);

  // A connected socket: send(2) without an address, peers only.
  ASSERT_THAT(connect(a.get(), bat.sa(), bat.len), SyscallSucceeds());
  EXPECT_EQ(PeerName(a.get()).port(), bat.port());
  ASSERT_THAT(send(a.get(), "hi", 2, 0), SyscallSucceedsWithValue(2));
  ASSERT_THAT(RetryEINTR(recv)(b.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(2));
  EXPECT_EQ(std::string(buf, 2), "hi");
  Fd other(socket(family_, SOCK_DGRAM, 0));
  ASSERT_THAT(sendto(other.get(), "no", 2, 0, aat.sa(), aat.len), SyscallSucceeds());
  ASSERT_THAT(sendto(b.get(), "ok", 2, 0, aat.sa(), aat.len), SyscallSucceeds());
  ASSERT_THAT(RetryEINTR(recv)(a.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(2));
  EXPECT_EQ(std::string(buf, 2), "ok");  // the stranger's datagram was not delivered

  // Unconnected and without an address.
  Fd lone(socket(family_, SOCK_DGRAM, 0));
  EXPECT_THAT(send(lone.get(), "x", 1, 0), SyscallFailsWithErrno(EDESTADDRREQ));
}

TEST_P(InetTest, UdpConnectChoosesLoopbackSource) {
  Fd a(socket(family_, SOCK_DGRAM, 0));
  Addr to = Make(family_, Loopback(family_), 9);
  ASSERT_THAT(connect(a.get(), to.sa(), to.len), SyscallSucceeds());
  Addr me = SockName(a.get());
  EXPECT_EQ(me.ip(), Loopback(family_));
  EXPECT_NE(me.port(), 0);
}

TEST_P(InetTest, SendmmsgRecvmmsg) {
  Fd a(socket(family_, SOCK_DGRAM, 0)), b(socket(family_, SOCK_DGRAM, 0));
  Addr lo = Make(family_, Loopback(family_), 0);
  ASSERT_THAT(bind(a.get(), lo.sa(), lo.len), SyscallSucceeds());
  Addr aat = SockName(a.get());
  ASSERT_THAT(connect(b.get(), aat.sa(), aat.len), SyscallSucceeds());
  char x[] = "xx", y[] = "yyy";
  iovec iv[2] = {{x, 2}, {y, 3}};
  mmsghdr msgs[2] = {};
  msgs[0].msg_hdr.msg_iov = &iv[0];
  msgs[0].msg_hdr.msg_iovlen = 1;
  msgs[1].msg_hdr.msg_iov = &iv[1];
  msgs[1].msg_hdr.msg_iovlen = 1;
  ASSERT_THAT(sendmmsg(b.get(), msgs, 2, 0), SyscallSucceedsWithValue(2));
  EXPECT_EQ(msgs[0].msg_len, 2u);
  EXPECT_EQ(msgs[1].msg_len, 3u);
  char r0[8], r1[8];
  iovec ov[2] = {{r0, sizeof(r0)}, {r1, sizeof(r1)}};
  mmsghdr in[2] = {};
  in[0].msg_hdr.msg_iov = &ov[0];
  in[0].msg_hdr.msg_iovlen = 1;
  in[1].msg_hdr.msg_iov = &ov[1];
  in[1].msg_hdr.msg_iovlen = 1;
  EXPECT_NE(PollEvents(a.get(), POLLIN, 5000) & POLLIN, 0);
  int got = 0;
  while (got < 2) {
    int n = recvmmsg(a.get(), in + got, 2 - got, MSG_DONTWAIT, nullptr);
    if (n < 0 && errno == EAGAIN) {
      PollEvents(a.get(), POLLIN, 5000);
      continue;
    }
    ASSERT_THAT(n, SyscallSucceeds());
    got += n;
  }
  EXPECT_EQ(in[0].msg_len, 2u);
  EXPECT_EQ(in[1].msg_len, 3u);
  EXPECT_EQ(std::string(r1, 3), "yyy");
}

TEST_P(InetTest, ProcNetListsListener) {
  Fd l;
  Addr at;
  ASSERT_NO_FATAL_FAILURE(Listen(&l, &at));
  std::string path = family_ == AF_INET ? "/proc/net/tcp" : "/proc/net/tcp6";
  int fd = open(path.c_str(), O_RDONLY);
  ASSERT_THAT(fd, SyscallSucceeds());
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) text.append(buf, n);
  close(fd);
  // "<address>:<PORT> <remote> 0A" (TCP_LISTEN), the port in upper-case hex.
  char port[16];
  snprintf(port, sizeof(port), ":%04X ", at.port());
  bool found = false;
  size_t pos = 0;
  while ((pos = text.find(port, pos)) != std::string::npos) {
    size_t eol = text.find('\n', pos);
    std::string rest = text.substr(pos, eol - pos);
    // local:port remote:port st
    std::istringstream fields(rest.substr(6));
    std::string remote, st;
    fields >> remote >> st;
    if (st == "0A") found = true;
    pos = eol;
  }
  EXPECT_TRUE(found) << text;
}

INSTANTIATE_TEST_SUITE_P(Families, InetTest, ::testing::Values(AF_INET, AF_INET6),
                         [](const ::testing::TestParamInfo<int>& i) {
                           return i.param == AF_INET ? std::string("V4") : std::string("V6");
                         });

class DualStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveIpv6Loopback()) GTEST_SKIP() << "no ::1 on this host";
  }
};

TEST_F(DualStackTest, V4ClientReachesV6Listener) {
  Fd l(socket(AF_INET6, SOCK_STREAM, 0));
  int zero = 0;
  ASSERT_THAT(setsockopt(l.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)),
              SyscallSucceeds());
  Addr any = Make(AF_INET6, "::", 0);
  ASSERT_THAT(bind(l.get(), any.sa(), any.len), SyscallSucceeds());
  ASSERT_THAT(listen(l.get(), 4), SyscallSucceeds());
  uint16_t port = SockName(l.get()).port();

  Fd c(socket(AF_INET, SOCK_STREAM, 0));
  Addr to = Make(AF_INET, "127.0.0.1", port);
  ASSERT_THAT(connect(c.get(), to.sa(), to.len), SyscallSucceeds());
  Addr from;
  from.len = sizeof(from.ss);
  Fd s(accept(l.get(), from.sa(), &from.len));
  ASSERT_THAT(s.get(), SyscallSucceeds());
  EXPECT_EQ(from.ss.ss_family, AF_INET6);
  EXPECT_EQ(from.ip(), "::ffff:127.0.0.1");
  EXPECT_EQ(SockName(s.get()).ip(), "::ffff:127.0.0.1");

  // A v4-mapped address from a v6 client too.
  Fd c6(socket(AF_INET6, SOCK_STREAM, 0));
  Addr mapped = Make(AF_INET6, "::ffff:127.0.0.1", port);
  ASSERT_THAT(connect(c6.get(), mapped.sa(), mapped.len), SyscallSucceeds());
  EXPECT_EQ(SockName(c6.get()).ip(), "::ffff:127.0.0.1");
}

TEST_F(DualStackTest, V6OnlyRefusesV4) {
  Fd l(socket(AF_INET6, SOCK_STREAM, 0));
  int one = 1;
  ASSERT_THAT(setsockopt(l.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)),
              SyscallSucceeds());
  Addr any = Make(AF_INET6, "::", 0);
  ASSERT_THAT(bind(l.get(), any.sa(), any.len), SyscallSucceeds());
  ASSERT_THAT(listen(l.get(), 4), SyscallSucceeds());
  uint16_t port = SockName(l.get()).port();
  // The v4 side of that port is free.
  Fd v4(socket(AF_INET, SOCK_STREAM, 0));
  Addr to = Make(AF_INET, "127.0.0.1", port);
  EXPECT_THAT(connect(v4.get(), to.sa(), to.len), SyscallFailsWithErrno(ECONNREFUSED));
  Fd b(socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_THAT(bind(b.get(), to.sa(), to.len), SyscallSucceeds());
}

TEST(InetIoctlTest, LoopbackInterface) {
  Fd s(socket(AF_INET, SOCK_DGRAM, 0));
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "lo");
  ASSERT_THAT(ioctl(s.get(), SIOCGIFINDEX, &ifr), SyscallSucceeds());
  int index = ifr.ifr_ifindex;
  EXPECT_GT(index, 0);
  EXPECT_EQ(if_nametoindex("lo"), static_cast<unsigned>(index));
  ASSERT_THAT(ioctl(s.get(), SIOCGIFFLAGS, &ifr), SyscallSucceeds());
  EXPECT_EQ(ifr.ifr_flags & (IFF_UP | IFF_LOOPBACK), IFF_UP | IFF_LOOPBACK);
  std::strcpy(ifr.ifr_name, "nosuchif0");
  EXPECT_THAT(ioctl(s.get(), SIOCGIFINDEX, &ifr), SyscallFailsWithErrno(ENODEV));

  // SIOCGIFCONF lists lo with 127.0.0.1; a null buffer asks for the size.
  ifconf conf{};
  ASSERT_THAT(ioctl(s.get(), SIOCGIFCONF, &conf), SyscallSucceeds());
  ASSERT_GE(conf.ifc_len, static_cast<int>(sizeof(ifreq)));
  std::vector<ifreq> reqs(conf.ifc_len / sizeof(ifreq));
  conf.ifc_req = reqs.data();
  ASSERT_THAT(ioctl(s.get(), SIOCGIFCONF, &conf), SyscallSucceeds());
  bool found = false;
  for (int i = 0; i < conf.ifc_len / static_cast<int>(sizeof(ifreq)); ++i) {
    if (std::string(reqs[i].ifr_name) != "lo") continue;
    auto* in = reinterpret_cast<sockaddr_in*>(&reqs[i].ifr_addr);
    EXPECT_EQ(in->sin_family, AF_INET);
    EXPECT_EQ(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(InetSocketTest, BadArguments) {
  EXPECT_THAT(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), SyscallFailsWithErrno(EPROTONOSUPPORT));
  EXPECT_THAT(socket(AF_INET, SOCK_SEQPACKET, 0), SyscallFailsWithErrno(ESOCKTNOSUPPORT));
  Fd s(socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in short_addr{};
  short_addr.sin_family = AF_INET;
  EXPECT_THAT(bind(s.get(), reinterpret_cast<sockaddr*>(&short_addr), 4),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(bind(s.get(), reinterpret_cast<sockaddr*>(8), sizeof(sockaddr_in)),
              SyscallFailsWithErrno(EFAULT));
  char b;
  EXPECT_THAT(send(s.get(), &b, 1, MSG_NOSIGNAL), SyscallFailsWithErrno(EPIPE));
  EXPECT_THAT(recv(s.get(), &b, 1, 0), SyscallFailsWithErrno(ENOTCONN));
  EXPECT_THAT(accept(s.get(), nullptr, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(shutdown(s.get(), SHUT_RDWR), SyscallFailsWithErrno(ENOTCONN));
  // A fresh TCP socket polls as writable and hung up.
  Fd f(socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_EQ(PollEvents(f.get(), POLLIN | POLLOUT), POLLOUT | POLLHUP);
}

}  // namespace
}  // namespace test_util
