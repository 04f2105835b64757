// Unix-domain sockets (unix(7)): socketpair(2) of each type, bind(2)/
// listen(2)/connect(2)/accept(2) on a path and on an abstract name,
// getsockname(2)/getpeername(2), SO_PEERCRED, SCM_RIGHTS, MSG_PEEK,
// MSG_DONTWAIT, MSG_TRUNC, shutdown(2) and EOF, EPIPE, poll(2) readiness,
// ECONNREFUSED and EADDRINUSE.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// Closes an fd on scope exit.
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

struct Pair {
  Fd a, b;
};

void MakePair(int type, Pair* p) {
  int sv[2];
  ASSERT_THAT(socketpair(AF_UNIX, type, 0, sv), SyscallSucceeds());
  p->a.reset(sv[0]);
  p->b.reset(sv[1]);
}

// A fresh directory under /tmp, removed (with a socket file in it) at the end.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_unix_socket_XXXXXX";
    char* d = mkdtemp(tmpl);
    if (d != nullptr) path_ = d;
  }
  ~TempDir() {
    if (path_.empty()) return;
    unlink((path_ + "/sock").c_str());
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

sockaddr_un PathAddr(const std::string& path, socklen_t* len) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof(sa.sun_path) - 1);
  *len = offsetof(sockaddr_un, sun_path) + path.size() + 1;
  return sa;
}

sockaddr_un AbstractAddr(const std::string& name, socklen_t* len) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path + 1, name.data(), name.size());
  *len = offsetof(sockaddr_un, sun_path) + 1 + name.size();
  return sa;
}

TEST(UnixSocketTest, StreamPairMovesBytes) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  ASSERT_THAT(write(p.a.get(), "hello", 5), SyscallSucceedsWithValue(5));
  ASSERT_THAT(send(p.a.get(), " world", 6, 0), SyscallSucceedsWithValue(6));
  char buf[32] = {};
  // A byte stream: both writes arrive as one.
  ASSERT_THAT(RetryEINTR(recv)(p.b.get(), buf, sizeof(buf), MSG_WAITALL | MSG_DONTWAIT),
              SyscallSucceedsWithValue(11));
  EXPECT_EQ(std::string(buf, 11), "hello world");
  // And back the other way.
  ASSERT_THAT(write(p.b.get(), "x", 1), SyscallSucceedsWithValue(1));
  ASSERT_THAT(read(p.a.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(1));
  EXPECT_EQ(buf[0], 'x');
}

TEST(UnixSocketTest, DgramPairKeepsBoundariesAndTruncates) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_DGRAM, &p));
  ASSERT_THAT(send(p.a.get(), "abc", 3, 0), SyscallSucceedsWithValue(3));
  ASSERT_THAT(send(p.a.get(), "defgh", 5, 0), SyscallSucceedsWithValue(5));
  char buf[16] = {};
  ASSERT_THAT(recv(p.b.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "abc");
  // A short buffer: the rest of the datagram is dropped; MSG_TRUNC reports
  // the real length.
  ASSERT_THAT(recv(p.b.get(), buf, 2, MSG_TRUNC), SyscallSucceedsWithValue(5));
  EXPECT_EQ(std::string(buf, 2), "de");
  EXPECT_THAT(recv(p.b.get(), buf, sizeof(buf), MSG_DONTWAIT), SyscallFailsWithErrno(EAGAIN));
}

TEST(UnixSocketTest, SeqpacketPairKeepsBoundaries) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_SEQPACKET, &p));
  ASSERT_THAT(send(p.a.get(), "one", 3, 0), SyscallSucceedsWithValue(3));
  ASSERT_THAT(send(p.a.get(), "three", 5, 0), SyscallSucceedsWithValue(5));
  char buf[16] = {};
  iovec iov{buf, 4};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  ASSERT_THAT(recvmsg(p.b.get(), &m, 0), SyscallSucceedsWithValue(3));
  EXPECT_EQ(m.msg_flags & MSG_TRUNC, 0);
  ASSERT_THAT(recvmsg(p.b.get(), &m, 0), SyscallSucceedsWithValue(4));
  EXPECT_NE(m.msg_flags & MSG_TRUNC, 0);
  EXPECT_EQ(std::string(buf, 4), "thre");
}

TEST(UnixSocketTest, PeekLeavesDataQueued) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  ASSERT_THAT(write(p.a.get(), "peek", 4), SyscallSucceedsWithValue(4));
  char buf[8] = {};
  ASSERT_THAT(recv(p.b.get(), buf, sizeof(buf), MSG_PEEK), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "peek");
  std::memset(buf, 0, sizeof(buf));
  ASSERT_THAT(recv(p.b.get(), buf, sizeof(buf), 0), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "peek");
}

TEST(UnixSocketTest, DontwaitOnEmptySocketIsEagain) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  char c;
  EXPECT_THAT(recv(p.a.get(), &c, 1, MSG_DONTWAIT), SyscallFailsWithErrno(EAGAIN));
}

TEST(UnixSocketTest, NonblockingWriterFillsUp) {
  int sv[2];
  ASSERT_THAT(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), SyscallSucceeds());
  Fd a(sv[0]), b(sv[1]);
  std::string chunk(65536, 'z');
  ssize_t total = 0, n;
  while ((n = write(a.get(), chunk.data(), chunk.size())) > 0) total += n;
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_GT(total, 0);
  pollfd pfd{a.get(), POLLOUT, 0};
  EXPECT_THAT(poll(&pfd, 1, 0), SyscallSucceedsWithValue(0));
}

TEST(UnixSocketTest, ShutdownGivesEofAndEpipe) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  ASSERT_THAT(write(p.a.get(), "z", 1), SyscallSucceedsWithValue(1));
  ASSERT_THAT(shutdown(p.a.get(), SHUT_WR), SyscallSucceeds());
  char c;
  // Queued data first, then EOF.
  ASSERT_THAT(read(p.b.get(), &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_THAT(read(p.b.get(), &c, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(send(p.a.get(), "y", 1, MSG_NOSIGNAL), SyscallFailsWithErrno(EPIPE));
  // The other direction still works.
  ASSERT_THAT(write(p.b.get(), "w", 1), SyscallSucceedsWithValue(1));
  ASSERT_THAT(read(p.a.get(), &c, 1), SyscallSucceedsWithValue(1));
}

TEST(UnixSocketTest, PeerCloseGivesEofAndEpipe) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  p.b.reset();
  char c;
  EXPECT_THAT(read(p.a.get(), &c, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(send(p.a.get(), "y", 1, MSG_NOSIGNAL), SyscallFailsWithErrno(EPIPE));
  pollfd pfd{p.a.get(), POLLIN | POLLRDHUP, 0};
  ASSERT_THAT(poll(&pfd, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_NE(pfd.revents & POLLHUP, 0);
  EXPECT_NE(pfd.revents & POLLRDHUP, 0);
}

TEST(UnixSocketTest, EpipeWithoutNosignalRaisesSigpipe) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  p.b.reset();
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  ASSERT_THAT(sigprocmask(SIG_BLOCK, &set, &old), SyscallSucceeds());
  EXPECT_THAT(send(p.a.get(), "y", 1, 0), SyscallFailsWithErrno(EPIPE));
  sigset_t pending;
  sigpending(&pending);
  EXPECT_TRUE(sigismember(&pending, SIGPIPE));
  int sig;
  sigwait(&set, &sig);
  sigprocmask(SIG_SETMASK, &old, nullptr);
}

TEST(UnixSocketTest, PollReadiness) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  pollfd pfd{p.b.get(), POLLIN | POLLOUT, 0};
  ASSERT_THAT(poll(&pfd, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(pfd.revents, POLLOUT);
  ASSERT_THAT(write(p.a.get(), "r", 1), SyscallSucceedsWithValue(1));
  ASSERT_THAT(poll(&pfd, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(pfd.revents, POLLIN | POLLOUT);
}

TEST(UnixSocketTest, PollWakesOnDataFromChild) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  pid_t pid = fork();
  ASSERT_THAT(pid, SyscallSucceeds());
  if (pid == 0) {
    _exit(write(p.a.get(), "c", 1) == 1 ? 0 : 1);
  }
  pollfd pfd{p.b.get(), POLLIN, 0};
  ASSERT_THAT(RetryEINTR(poll)(&pfd, 1, 10000), SyscallSucceedsWithValue(1));
  EXPECT_NE(pfd.revents & POLLIN, 0);
  int status;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

void ServeOnce(const sockaddr_un& sa, socklen_t len, bool check_name) {
  Fd srv(socket(AF_UNIX, SOCK_STREAM, 0));
  ASSERT_THAT(srv.get(), SyscallSucceeds());
  ASSERT_THAT(bind(srv.get(), reinterpret_cast<const sockaddr*>(&sa), len), SyscallSucceeds());
  // The name is taken now.
  Fd other(socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_THAT(bind(other.get(), reinterpret_cast<const sockaddr*>(&sa), len),
              SyscallFailsWithErrno(EADDRINUSE));
  ASSERT_THAT(listen(srv.get(), 4), SyscallSucceeds());
  int acc = 0;
  socklen_t alen = sizeof(acc);
  ASSERT_THAT(getsockopt(srv.get(), SOL_SOCKET, SO_ACCEPTCONN, &acc, &alen), SyscallSucceeds());
  EXPECT_EQ(acc, 1);

  Fd cli(socket(AF_UNIX, SOCK_STREAM, 0));
  ASSERT_THAT(connect(cli.get(), reinterpret_cast<const sockaddr*>(&sa), len), SyscallSucceeds());
  // A pending connection makes the listener readable.
  pollfd pfd{srv.get(), POLLIN, 0};
  ASSERT_THAT(poll(&pfd, 1, 0), SyscallSucceedsWithValue(1));
  sockaddr_un peer{};
  socklen_t plen = sizeof(peer);
  Fd conn(accept4(srv.get(), reinterpret_cast<sockaddr*>(&peer), &plen, SOCK_CLOEXEC));
  ASSERT_THAT(conn.get(), SyscallSucceeds());
  EXPECT_EQ(plen, offsetof(sockaddr_un, sun_path));  // the client is unnamed
  EXPECT_EQ(fcntl(conn.get(), F_GETFD), FD_CLOEXEC);

  // Names: the server's on the accepted end and as the client's peer.
  sockaddr_un got{};
  socklen_t glen = sizeof(got);
  ASSERT_THAT(getsockname(srv.get(), reinterpret_cast<sockaddr*>(&got), &glen), SyscallSucceeds());
  EXPECT_EQ(glen, len);
  EXPECT_EQ(std::memcmp(&got, &sa, len), 0);
  if (check_name) {
    glen = sizeof(got);
    ASSERT_THAT(getpeername(cli.get(), reinterpret_cast<sockaddr*>(&got), &glen),
                SyscallSucceeds());
    EXPECT_EQ(glen, len);
    EXPECT_EQ(std::memcmp(&got, &sa, len), 0);
  }
  glen = sizeof(got);
  ASSERT_THAT(getsockname(cli.get(), reinterpret_cast<sockaddr*>(&got), &glen), SyscallSucceeds());
  EXPECT_EQ(glen, offsetof(sockaddr_un, sun_path));

  ASSERT_THAT(write(cli.get(), "ping", 4), SyscallSucceedsWithValue(4));
  char buf[8] = {};
  ASSERT_THAT(read(conn.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "ping");
  ASSERT_THAT(write(conn.get(), "pong", 4), SyscallSucceedsWithValue(4));
  ASSERT_THAT(read(cli.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "pong");

  // SO_PEERCRED: this process on both ends.
  ucred cr{};
  socklen_t crlen = sizeof(cr);
  ASSERT_THAT(getsockopt(conn.get(), SOL_SOCKET, SO_PEERCRED, &cr, &crlen), SyscallSucceeds());
  EXPECT_EQ(cr.pid, getpid());
  EXPECT_EQ(cr.uid, geteuid());
  EXPECT_EQ(cr.gid, getegid());
  crlen = sizeof(cr);
  ASSERT_THAT(getsockopt(cli.get(), SOL_SOCKET, SO_PEERCRED, &cr, &crlen), SyscallSucceeds());
  EXPECT_EQ(cr.pid, getpid());
}

TEST(UnixSocketTest, PathBindListenConnectAccept) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  socklen_t len;
  sockaddr_un sa = PathAddr(dir.path() + "/sock", &len);
  ASSERT_NO_FATAL_FAILURE(ServeOnce(sa, len, true));
  struct stat st;
  ASSERT_THAT(stat(sa.sun_path, &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  // Nobody listens any more.
  Fd cli(socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_THAT(connect(cli.get(), reinterpret_cast<sockaddr*>(&sa), len),
              SyscallFailsWithErrno(ECONNREFUSED));
  // The file stays: binding again finds the name in use.
  EXPECT_THAT(bind(cli.get(), reinterpret_cast<sockaddr*>(&sa), len),
              SyscallFailsWithErrno(EADDRINUSE));
}

TEST(UnixSocketTest, AbstractBindListenConnectAccept) {
  socklen_t len;
  std::string name = "sk_unix_socket_test." + std::to_string(getpid());
  sockaddr_un sa = AbstractAddr(name, &len);
  ASSERT_NO_FATAL_FAILURE(ServeOnce(sa, len, true));
  // The name is free again once its socket is closed.
  Fd s(socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_THAT(connect(s.get(), reinterpret_cast<sockaddr*>(&sa), len),
              SyscallFailsWithErrno(ECONNREFUSED));
  EXPECT_THAT(bind(s.get(), reinterpret_cast<sockaddr*>(&sa), len), SyscallSucceeds());
}

TEST(UnixSocketTest, ConnectToMissingPathFails) {
  TempDir dir;
  socklen_t len;
  sockaddr_un sa = PathAddr(dir.path() + "/sock", &len);
  Fd s(socket(AF_UNIX, SOCK_STREAM, 0));
  EXPECT_THAT(connect(s.get(), reinterpret_cast<sockaddr*>(&sa), len),
              SyscallFailsWithErrno(ENOENT));
}

TEST(UnixSocketTest, AutobindGivesAbstractName) {
  Fd s(socket(AF_UNIX, SOCK_DGRAM, 0));
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  ASSERT_THAT(bind(s.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa_family_t)),
              SyscallSucceeds());
  sockaddr_un got{};
  socklen_t glen = sizeof(got);
  ASSERT_THAT(getsockname(s.get(), reinterpret_cast<sockaddr*>(&got), &glen), SyscallSucceeds());
  EXPECT_EQ(glen, offsetof(sockaddr_un, sun_path) + 6);
  EXPECT_EQ(got.sun_path[0], '\0');
}

TEST(UnixSocketTest, DgramSendtoAddress) {
  socklen_t len;
  std::string name = "sk_unix_dgram." + std::to_string(getpid());
  sockaddr_un sa = AbstractAddr(name, &len);
  Fd r(socket(AF_UNIX, SOCK_DGRAM, 0));
  ASSERT_THAT(bind(r.get(), reinterpret_cast<sockaddr*>(&sa), len), SyscallSucceeds());
  Fd w(socket(AF_UNIX, SOCK_DGRAM, 0));
  ASSERT_THAT(sendto(w.get(), "dg", 2, 0, reinterpret_cast<sockaddr*>(&sa), len),
              SyscallSucceedsWithValue(2));
  char buf[4];
  sockaddr_un from{};
  socklen_t flen = sizeof(from);
  ASSERT_THAT(recvfrom(r.get(), buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &flen),
              SyscallSucceedsWithValue(2));
  EXPECT_EQ(flen, 0u);  // unnamed sender
}

TEST(UnixSocketTest, ScmRightsPassesPipe) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_STREAM, &p));
  int pfd[2];
  ASSERT_THAT(pipe(pfd), SyscallSucceeds());
  Fd pr(pfd[0]), pw(pfd[1]);

  char data = 'm';
  iovec iov{&data, 1};
  alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = cbuf;
  m.msg_controllen = sizeof(cbuf);
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &pfd[1], sizeof(int));
  ASSERT_THAT(sendmsg(p.a.get(), &m, 0), SyscallSucceedsWithValue(1));
  pw.reset();  // only the passed copy of the write end is left in flight

  char got = 0;
  iovec riov{&got, 1};
  alignas(cmsghdr) char rbuf[CMSG_SPACE(sizeof(int))] = {};
  msghdr rm{};
  rm.msg_iov = &riov;
  rm.msg_iovlen = 1;
  rm.msg_control = rbuf;
  rm.msg_controllen = sizeof(rbuf);
  ASSERT_THAT(recvmsg(p.b.get(), &rm, MSG_CMSG_CLOEXEC), SyscallSucceedsWithValue(1));
  EXPECT_EQ(got, 'm');
  EXPECT_EQ(rm.msg_flags & MSG_CTRUNC, 0);
  cmsghdr* rc = CMSG_FIRSTHDR(&rm);
  ASSERT_NE(rc, nullptr);
  EXPECT_EQ(rc->cmsg_level, SOL_SOCKET);
  EXPECT_EQ(rc->cmsg_type, SCM_RIGHTS);
  ASSERT_EQ(rc->cmsg_len, CMSG_LEN(sizeof(int)));
  int passed;
  std::memcpy(&passed, CMSG_DATA(rc), sizeof(int));
  Fd w(passed);
  EXPECT_EQ(fcntl(passed, F_GETFD), FD_CLOEXEC);
  // The received fd is the pipe's write end.
  ASSERT_THAT(write(passed, "via", 3), SyscallSucceedsWithValue(3));
  char buf[4] = {};
  ASSERT_THAT(read(pr.get(), buf, 3), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "via");
  // Closing it leaves the pipe without writers.
  w.reset();
  EXPECT_THAT(read(pr.get(), buf, 1), SyscallSucceedsWithValue(0));
}

TEST(UnixSocketTest, ScmRightsShortBufferTruncates) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_DGRAM, &p));
  char data = 'm';
  iovec iov{&data, 1};
  alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = cbuf;
  m.msg_controllen = sizeof(cbuf);
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  int one = 1;
  std::memcpy(CMSG_DATA(c), &one, sizeof(int));
  ASSERT_THAT(sendmsg(p.a.get(), &m, 0), SyscallSucceedsWithValue(1));
  msghdr rm{};
  rm.msg_iov = &iov;
  rm.msg_iovlen = 1;
  ASSERT_THAT(recvmsg(p.b.get(), &rm, 0), SyscallSucceedsWithValue(1));
  EXPECT_NE(rm.msg_flags & MSG_CTRUNC, 0);
  EXPECT_EQ(rm.msg_controllen, 0u);
}

TEST(UnixSocketTest, ScmCredentialsWithPasscred) {
  Pair p;
  ASSERT_NO_FATAL_FAILURE(MakePair(SOCK_DGRAM, &p));
  int on = 1;
  ASSERT_THAT(setsockopt(p.b.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), SyscallSucceeds());
  ASSERT_THAT(send(p.a.get(), "c", 1, 0), SyscallSucceedsWithValue(1));
  char got;
  iovec iov{&got, 1};
  alignas(cmsghdr) char rbuf[CMSG_SPACE(sizeof(ucred))] = {};
  msghdr rm{};
  rm.msg_iov = &iov;
  rm.msg_iovlen = 1;
  rm.msg_control = rbuf;
  rm.msg_controllen = sizeof(rbuf);
  ASSERT_THAT(recvmsg(p.b.get(), &rm, 0), SyscallSucceedsWithValue(1));
  cmsghdr* rc = CMSG_FIRSTHDR(&rm);
  ASSERT_NE(rc, nullptr);
  EXPECT_EQ(rc->cmsg_type, SCM_CREDENTIALS);
  ucred cr;
  std::memcpy(&cr, CMSG_DATA(rc), sizeof(cr));
  EXPECT_EQ(cr.pid, getpid());
  EXPECT_EQ(cr.uid, getuid());
}

TEST(UnixSocketTest, SocketOptions) {
  Fd s(socket(AF_UNIX, SOCK_SEQPACKET, 0));
  int v = 0;
  socklen_t len = sizeof(v);
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_TYPE, &v, &len), SyscallSucceeds());
  EXPECT_EQ(v, SOCK_SEQPACKET);
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_DOMAIN, &v, &len), SyscallSucceeds());
  EXPECT_EQ(v, AF_UNIX);
  v = 32768;
  ASSERT_THAT(setsockopt(s.get(), SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)), SyscallSucceeds());
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_SNDBUF, &v, &len), SyscallSucceeds());
  EXPECT_EQ(v, 65536);
  ASSERT_THAT(getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &v, &len), SyscallSucceeds());
  EXPECT_EQ(v, 0);
}

TEST(UnixSocketTest, UnsupportedFamiliesAndTypes) {
  EXPECT_THAT(socket(AF_UNIX, SOCK_DCCP, 0), SyscallFailsWithErrno(ESOCKTNOSUPPORT));
  EXPECT_THAT(socket(AF_UNIX, SOCK_STREAM, 7), SyscallFailsWithErrno(EPROTONOSUPPORT));
  int fd = 0;
  EXPECT_THAT(listen(fd = socket(AF_UNIX, SOCK_DGRAM, 0), 1), SyscallFailsWithErrno(EOPNOTSUPP));
  close(fd);
  int pfd[2];
  ASSERT_THAT(pipe(pfd), SyscallSucceeds());
  Fd r(pfd[0]), w(pfd[1]);
  sockaddr_un sa{};
  socklen_t len = sizeof(sa);
  EXPECT_THAT(getsockname(r.get(), reinterpret_cast<sockaddr*>(&sa), &len),
              SyscallFailsWithErrno(ENOTSOCK));
}

}  // namespace
}  // namespace test_util
