// socket(2), socketpair(2), bind(2), listen(2), accept(2), accept4(2),
// connect(2), shutdown(2), getsockname(2), getpeername(2), sendto(2),
// recvfrom(2), sendmsg(2), recvmsg(2), sendmmsg(2), recvmmsg(2),
// getsockopt(2), setsockopt(2): unix(7) sockets in the sentry
// (fsimpl/unix); AF_INET and AF_INET6 ones (fsimpl/inet) are handled in
// sys_inet.cc, reached from here. Other address families are not offered.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "abi/linux/signal.h"
#include "abi/linux/socket.h"
#include "abi/linux/uio.h"
#include "sentry/fsimpl/unix/unix_socket.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"
#include "sentry/syscalls/linux/sys_inet.h"

namespace sentry::syscalls {

namespace L = abi_linux;
using fsimpl::unix_socket::Control;
using fsimpl::unix_socket::RecvResult;
using fsimpl::unix_socket::SendOptions;
using fsimpl::unix_socket::UnixSocket;

namespace {

constexpr int kSunPathOffset = 2;  // offsetof(sockaddr_un, sun_path)
// Control data accepted by one sendmsg (Linux: sysctl_optmem_max).
constexpr uint64_t kMaxControl = 64 << 10;

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

ErrnoOr<std::shared_ptr<UnixSocket>> GetSocket(Task& t, int fd) {
  auto f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  auto s = std::dynamic_pointer_cast<UnixSocket>(f);
  if (!s) return Errno(ENOTSOCK);
  return s;
}

// SO_PEERCRED's view of the caller: process id, effective ids.
L::Ucred PeerCreds(Task& t) {
  auth::Credentials c = t.creds();
  return L::Ucred{t.thread_group().pid(), c.euid, c.egid};
}

// SCM_CREDENTIALS's default: process id, real ids (as Linux's scm_send).
L::Ucred SendCreds(Task& t) {
  auth::Credentials c = t.creds();
  return L::Ucred{t.thread_group().pid(), c.ruid, c.rgid};
}

// A guest sockaddr_un: its sun_path bytes (a path with its NUL, or an
// abstract name starting with NUL); empty for a bare family (autobind).
ErrnoOr<std::string> CopyInAddress(Task& t, mm::UserAddr addr, int64_t len) {
  if (len < kSunPathOffset || len > static_cast<int64_t>(sizeof(L::SockaddrUn))) {
    return Errno(EINVAL);
  }
  L::SockaddrUn sa{};
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(addr, &sa, len));
  if (n != static_cast<size_t>(len)) return Errno(EFAULT);
  if (sa.sun_family != L::kAF_UNIX) return Errno(EINVAL);
  size_t plen = len - kSunPathOffset;
  if (plen == 0) return std::string();
  if (sa.sun_path[0] == '\0') return std::string(sa.sun_path, plen);
  std::string path(sa.sun_path, strnlen(sa.sun_path, plen));
  path.push_back('\0');
  return path;
}

// Writes an address for getsockname(2), accept(2), recvfrom(2): as much as
// *len_addr allows, and the full length to *len_addr.
ErrnoOrVoid CopyOutAddress(Task& t, mm::UserAddr addr, mm::UserAddr len_addr,
                           const std::string& name, bool unnamed_is_empty = false) {
  if (addr.IsNull()) return {};
  int32_t len;
  RETURN_IF_ERRNO(t.CopyInObj(len_addr, &len));
  if (len < 0) return Errno(EINVAL);
  int32_t full = (name.empty() && unnamed_is_empty) ? 0 : kSunPathOffset + name.size();
  L::SockaddrUn sa{};
  sa.sun_family = L::kAF_UNIX;
  std::memcpy(sa.sun_path, name.data(), std::min(name.size(), sizeof(sa.sun_path)));
  size_t n = std::min<int32_t>(len, full);
  if (n > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t k, t.CopyOut(addr, &sa, n));
    if (k != n) return Errno(EFAULT);
  }
  return t.CopyOutObj(len_addr, full);
}

vfs::Start StartFor(Task& t, const std::string& path) {
  return vfs::Start{!path.empty() && path[0] == '/' ? t.root() : t.cwd()};
}

// The socket an address names (connect(2), sendto(2)).
ErrnoOr<std::shared_ptr<UnixSocket>> Lookup(Task& t, const std::string& name) {
  if (name.empty()) return Errno(EINVAL);
  if (name[0] == '\0') {
    auto s = UnixSocket::FindAbstract(name);
    if (!s) return Errno(ECONNREFUSED);
    return s;
  }
  std::string path(name.data());  // up to the NUL
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p,
                         t.kernel().vfs().Resolve(t, StartFor(t, path), path, vfs::kFollow));
  vfs::Inode* inode = p.dentry->inode().get();
  RETURN_IF_ERRNO(inode->CheckPermission(t, vfs::kMayWrite));
  if (inode->type() != S_IFSOCK) return Errno(ECONNREFUSED);
  auto s = UnixSocket::FindPath(inode);
  if (!s) return Errno(ECONNREFUSED);
  return s;
}

}  // namespace

// EPIPE on a socket raises SIGPIPE unless MSG_NOSIGNAL, as pipes do.
ErrnoOr<absl::Duration> inet::SocketTimeoutArg(Task& t, mm::UserAddr addr, int32_t len) {
  if (len < static_cast<int32_t>(sizeof(L::Timeval))) return Errno(EINVAL);
  L::Timeval tv;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &tv));
  if (tv.tv_usec < 0 || tv.tv_usec >= 1000000) return Errno(EDOM);
  // A negative time means no timeout, as Linux's sock_set_timeout takes it.
  return tv.tv_sec < 0 ? absl::ZeroDuration()
                       : absl::Seconds(tv.tv_sec) + absl::Microseconds(tv.tv_usec);
}

void inet::RaiseSigpipe(Task& t) {
  L::Siginfo info{};
  info.si_signo = L::kSIGPIPE;
  info.si_code = L::kSI_USER;
  info.SetPid(t.thread_group().pid());
  info.SetUid(t.thread_group().creds().ruid);
  if ((t.signal_mask() & L::SignalBit(L::kSIGPIPE)) ||
      !t.thread_group().IsIgnored(L::kSIGPIPE)) {
    t.AddPendingSignal(L::kSIGPIPE, info);
  }
}

namespace {

using inet::RaiseSigpipe;
using inet::SocketTimeoutArg;

bool NonBlocking(UnixSocket& s, int flags) {
  return (s.flags() & O_NONBLOCK) || (flags & L::kMSG_DONTWAIT);
}

// Parses sendmsg(2)'s control messages: SCM_RIGHTS and SCM_CREDENTIALS.
ErrnoOr<Control> ParseControl(Task& t, mm::UserAddr addr, uint64_t len) {
  Control c;
  if (len == 0) return c;
  if (len > kMaxControl) return Errno(ENOBUFS);
  std::vector<char> buf(len);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(addr, buf.data(), len));
  if (n != len) return Errno(EFAULT);
  uint64_t off = 0;
  while (off + sizeof(L::Cmsghdr) <= len) {
    L::Cmsghdr h;
    std::memcpy(&h, buf.data() + off, sizeof(h));
    if (h.cmsg_len < sizeof(L::Cmsghdr) || h.cmsg_len > len - off) return Errno(EINVAL);
    const char* data = buf.data() + off + L::CmsgLen(0);
    uint64_t dlen = h.cmsg_len - L::CmsgLen(0);
    if (h.cmsg_level == L::kSOL_SOCKET) {
      if (h.cmsg_type == L::kSCM_RIGHTS) {
        size_t count = dlen / sizeof(int32_t);
        if (c.rights.size() + count > static_cast<size_t>(L::kSCM_MAX_FD)) return Errno(EINVAL);
        for (size_t i = 0; i < count; ++i) {
          int32_t fd;
          std::memcpy(&fd, data + i * sizeof(fd), sizeof(fd));
          auto f = t.fds().Get(fd);
          if (!f) return Errno(EBADF);
          c.rights.push_back(std::move(f));
        }
      } else if (h.cmsg_type == L::kSCM_CREDENTIALS) {
        if (dlen != sizeof(L::Ucred)) return Errno(EINVAL);
        L::Ucred u;
        std::memcpy(&u, data, sizeof(u));
        auth::Credentials cr = t.creds();
        bool admin = cr.HasCapability(21 /* CAP_SYS_ADMIN */);
        if (u.pid != t.thread_group().pid() && !admin) return Errno(EPERM);
        if (u.uid != cr.ruid && u.uid != cr.euid && u.uid != cr.suid &&
            !cr.HasCapability(7 /* CAP_SETUID */)) {
          return Errno(EPERM);
        }
        if (u.gid != cr.rgid && u.gid != cr.egid && u.gid != cr.sgid &&
            !cr.HasCapability(6 /* CAP_SETGID */)) {
          return Errno(EPERM);
        }
        c.creds = u;
      } else {
        return Errno(EINVAL);
      }
    }
    off += L::CmsgAlign(h.cmsg_len);
  }
  return c;
}

ErrnoOr<size_t> DoSendMsg(Task& t, int fd, const L::Msghdr& m, int flags) {
  if (auto in = inet::Get(t, fd)) return inet::SendMsg(t, *in, m, flags);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, fd));
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  if (m.msg_iovlen > static_cast<uint64_t>(L::kUIO_MAXIOV)) return Errno(EMSGSIZE);
  ASSIGN_OR_RETURN_ERRNO(vfs::IoVec iov,
                         CopyInIoVec(t, mm::UserAddr(m.msg_iov), m.msg_iovlen));
  SendOptions o;
  o.flags = flags;
  o.nonblock = NonBlocking(*s, flags);
  ASSIGN_OR_RETURN_ERRNO(o.control,
                         ParseControl(t, mm::UserAddr(m.msg_control), m.msg_controllen));
  if (!o.control.creds) o.control.creds = SendCreds(t);
  std::shared_ptr<UnixSocket> to;
  if (m.msg_name != 0 && m.msg_namelen != 0) {
    if (s->type() == L::kSOCK_STREAM) {
      return Errno(s->PeerName().ok() ? EISCONN : EOPNOTSUPP);
    }
    if (s->type() == L::kSOCK_DGRAM) {
      ASSIGN_OR_RETURN_ERRNO(std::string name,
                             CopyInAddress(t, mm::UserAddr(m.msg_name), m.msg_namelen));
      ASSIGN_OR_RETURN_ERRNO(to, Lookup(t, name));
      o.to = to.get();
    }
  }
  if (s->type() == L::kSOCK_DGRAM && s->options().passcred && !s->bound()) {
    RETURN_IF_ERRNO(s->Autobind());
  }
  ErrnoOr<size_t> r = s->Send(t.mm(), iov, std::move(o));
  if (!r.ok() && r.error() == Errno(EPIPE) && !(flags & L::kMSG_NOSIGNAL)) RaiseSigpipe(t);
  return r;
}

// recvmsg(2): fills *m's name, control and flags; returns the byte count.
ErrnoOr<size_t> DoRecvMsg(Task& t, int fd, L::Msghdr& m, int flags) {
  if (auto in = inet::Get(t, fd)) return inet::RecvMsg(t, *in, m, flags);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, fd));
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  if (flags & L::kMSG_ERRQUEUE) return Errno(EAGAIN);
  if (m.msg_iovlen > static_cast<uint64_t>(L::kUIO_MAXIOV)) return Errno(EMSGSIZE);
  ASSIGN_OR_RETURN_ERRNO(vfs::IoVec iov,
                         CopyInIoVec(t, mm::UserAddr(m.msg_iov), m.msg_iovlen));
  ASSIGN_OR_RETURN_ERRNO(RecvResult r, s->Recv(t.mm(), iov, flags, NonBlocking(*s, flags)));

  // The sender's address.
  if (m.msg_name != 0) {
    if (m.msg_namelen < 0) return Errno(EINVAL);
    int32_t full = r.from.empty() ? 0 : kSunPathOffset + r.from.size();
    L::SockaddrUn sa{};
    sa.sun_family = L::kAF_UNIX;
    std::memcpy(sa.sun_path, r.from.data(), std::min(r.from.size(), sizeof(sa.sun_path)));
    size_t n = std::min<int32_t>(m.msg_namelen, full);
    if (n > 0) RETURN_IF_ERRNO(t.CopyOut(mm::UserAddr(m.msg_name), &sa, n));
    m.msg_namelen = full;
  } else {
    m.msg_namelen = 0;
  }

  // Control messages: credentials (SO_PASSCRED), then passed files.
  int msg_flags = r.msg_flags;
  std::vector<char> out;
  uint64_t space = m.msg_control != 0 ? m.msg_controllen : 0;
  auto put = [&](int type, const void* data, size_t len) {
    uint64_t need = L::CmsgLen(len);
    if (out.size() + need > space) {
      msg_flags |= L::kMSG_CTRUNC;
      return;
    }
    L::Cmsghdr h{need, L::kSOL_SOCKET, type};
    size_t at = out.size();
    out.resize(at + std::min<uint64_t>(L::CmsgSpace(len), space - at), 0);
    std::memcpy(out.data() + at, &h, sizeof(h));
    std::memcpy(out.data() + at + L::CmsgLen(0), data, len);
  };
  if (r.control.creds && s->options().passcred) put(L::kSCM_CREDENTIALS, &*r.control.creds,
                                                    sizeof(L::Ucred));
  if (!r.control.rights.empty()) {
    uint64_t room = space > out.size() + L::CmsgLen(0) ? space - out.size() - L::CmsgLen(0) : 0;
    size_t fit = std::min<size_t>(room / sizeof(int32_t), r.control.rights.size());
    if (fit < r.control.rights.size()) msg_flags |= L::kMSG_CTRUNC;
    std::vector<int32_t> fds;
    bool cloexec = flags & L::kMSG_CMSG_CLOEXEC;
    for (size_t i = 0; i < fit; ++i) {
      ErrnoOr<int> nfd = t.fds().Install(r.control.rights[i], 0, cloexec, NofileLimit(t));
      if (!nfd.ok()) {
        msg_flags |= L::kMSG_CTRUNC;
        break;
      }
      fds.push_back(*nfd);
    }
    if (!fds.empty()) put(L::kSCM_RIGHTS, fds.data(), fds.size() * sizeof(int32_t));
  }
  if (!out.empty()) RETURN_IF_ERRNO(t.CopyOut(mm::UserAddr(m.msg_control), out.data(), out.size()));
  m.msg_controllen = out.size();
  m.msg_flags = msg_flags;
  if ((flags & L::kMSG_TRUNC) && s->type() != L::kSOCK_STREAM) return r.length;
  return r.copied;
}

SyscallResult Accept(Task& t, int fd, mm::UserAddr addr, mm::UserAddr len_addr, int flags) {
  if (auto in = inet::Get(t, fd)) return inet::Accept(t, *in, addr, len_addr, flags);
  if (flags & ~(L::kSOCK_CLOEXEC | L::kSOCK_NONBLOCK)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, fd));
  ASSIGN_OR_RETURN_ERRNO(auto conn, s->Accept(flags & L::kSOCK_NONBLOCK));
  if (!addr.IsNull()) {
    auto peer = conn->PeerName();
    RETURN_IF_ERRNO(CopyOutAddress(t, addr, len_addr, peer.ok() ? *peer : std::string()));
  }
  return t.fds().Install(conn, 0, flags & L::kSOCK_CLOEXEC, NofileLimit(t));
}

// Checks socket(2)'s arguments: the socket type, or an errno.
ErrnoOr<int> SocketType(int domain, int type, int protocol) {
  if (domain != L::kAF_UNIX) return Errno(EAFNOSUPPORT);
  if (type & ~(L::kSOCK_TYPE_MASK | L::kSOCK_CLOEXEC | L::kSOCK_NONBLOCK)) return Errno(EINVAL);
  int base = type & L::kSOCK_TYPE_MASK;
  if (base == L::kSOCK_RAW) base = L::kSOCK_DGRAM;  // as unix_create does
  if (base != L::kSOCK_STREAM && base != L::kSOCK_DGRAM && base != L::kSOCK_SEQPACKET) {
    return Errno(ESOCKTNOSUPPORT);
  }
  if (protocol != 0 && protocol != L::kAF_UNIX) return Errno(EPROTONOSUPPORT);
  return base;
}

}  // namespace

SyscallResult SysSocket(Task& t, const SyscallArgs& a) {
  int type = a.Int(1);
  if (a.Int(0) == L::kAF_INET || a.Int(0) == L::kAF_INET6) {
    if (type & ~(L::kSOCK_TYPE_MASK | L::kSOCK_CLOEXEC | L::kSOCK_NONBLOCK)) return Errno(EINVAL);
    return inet::Socket(t, a.Int(0), type, a.Int(2));
  }
  ASSIGN_OR_RETURN_ERRNO(int base, SocketType(a.Int(0), type, a.Int(2)));
  auto s = UnixSocket::New(base, type & L::kSOCK_NONBLOCK);
  return t.fds().Install(s, 0, type & L::kSOCK_CLOEXEC, NofileLimit(t));
}

SyscallResult SysSocketpair(Task& t, const SyscallArgs& a) {
  int type = a.Int(1);
  ASSIGN_OR_RETURN_ERRNO(int base, SocketType(a.Int(0), type, a.Int(2)));
  auto [x, y] = UnixSocket::NewPair(base, type & L::kSOCK_NONBLOCK, PeerCreds(t));
  bool cloexec = type & L::kSOCK_CLOEXEC;
  ASSIGN_OR_RETURN_ERRNO(int fx, t.fds().Install(x, 0, cloexec, NofileLimit(t)));
  auto fy = t.fds().Install(y, 0, cloexec, NofileLimit(t));
  if (!fy.ok()) {
    (void)t.fds().Remove(fx);
    return fy.error();
  }
  int32_t fds[2] = {fx, *fy};
  if (!t.CopyOutObj(a.Addr(3), fds).ok()) {
    (void)t.fds().Remove(fx);
    (void)t.fds().Remove(*fy);
    return Errno(EFAULT);
  }
  return 0;
}

SyscallResult SysBind(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Bind(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  ASSIGN_OR_RETURN_ERRNO(std::string name, CopyInAddress(t, a.Addr(1), a.Long(2)));
  if (name.empty()) return s->Autobind();
  const std::string path(name.c_str());  // up to the first NUL
  if (path.empty()) return s->BindAbstract(std::move(name));
  if (s->bound()) return Errno(EINVAL);
  vfs::Vfs& vfs = t.kernel().vfs();
  ErrnoOrVoid made = vfs.Mknod(t, StartFor(t, path), path, S_IFSOCK | 0777, 0);
  if (!made.ok()) return made.error() == Errno(EEXIST) ? Errno(EADDRINUSE) : made.error();
  ASSIGN_OR_RETURN_ERRNO(vfs::Path p, vfs.Resolve(t, StartFor(t, path), path, 0));
  return s->BindPath(p.dentry->inode(), std::move(name));
}

SyscallResult SysListen(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Listen(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  int backlog = a.Int(1);
  if (backlog < 0 || backlog > L::kSOMAXCONN) backlog = L::kSOMAXCONN;
  return s->Listen(backlog, PeerCreds(t));
}

SyscallResult SysAccept(Task& t, const SyscallArgs& a) {
  return Accept(t, a.Int(0), a.Addr(1), a.Addr(2), 0);
}

SyscallResult SysAccept4(Task& t, const SyscallArgs& a) {
  return Accept(t, a.Int(0), a.Addr(1), a.Addr(2), a.Int(3));
}

SyscallResult SysConnect(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Connect(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  ASSIGN_OR_RETURN_ERRNO(std::string name, CopyInAddress(t, a.Addr(1), a.Long(2)));
  ASSIGN_OR_RETURN_ERRNO(auto server, Lookup(t, name));
  if (s->options().passcred && !s->bound()) RETURN_IF_ERRNO(s->Autobind());
  return s->Connect(*server, PeerCreds(t));
}

SyscallResult SysShutdown(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Shutdown(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  int how = a.Int(1);
  if (how < L::kSHUT_RD || how > L::kSHUT_RDWR) return Errno(EINVAL);
  return s->Shutdown(how);
}

SyscallResult SysGetsockname(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Getsockname(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  RETURN_IF_ERRNO(CopyOutAddress(t, a.Addr(1), a.Addr(2), s->LocalName()));
  return 0;
}

SyscallResult SysGetpeername(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Getpeername(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  ASSIGN_OR_RETURN_ERRNO(std::string name, s->PeerName());
  RETURN_IF_ERRNO(CopyOutAddress(t, a.Addr(1), a.Addr(2), name));
  return 0;
}

SyscallResult SysSendto(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Sendto(t, *in, a);
  // A one-segment message; msg_iov points at a sentry-side copy below.
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  int flags = a.Int(3);
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  vfs::IoVec iov{{a.Addr(1), std::min<uint64_t>(a[2], 0x7ffff000)}};
  SendOptions o;
  o.flags = flags;
  o.nonblock = NonBlocking(*s, flags);
  o.control.creds = SendCreds(t);
  std::shared_ptr<UnixSocket> to;
  if (!a.Addr(4).IsNull() && a.Int(5) != 0) {
    if (s->type() == L::kSOCK_STREAM) return Errno(s->PeerName().ok() ? EISCONN : EOPNOTSUPP);
    if (s->type() == L::kSOCK_DGRAM) {
      ASSIGN_OR_RETURN_ERRNO(std::string name, CopyInAddress(t, a.Addr(4), a.Int(5)));
      ASSIGN_OR_RETURN_ERRNO(to, Lookup(t, name));
      o.to = to.get();
    }
  }
  if (s->type() == L::kSOCK_DGRAM && s->options().passcred && !s->bound()) {
    RETURN_IF_ERRNO(s->Autobind());
  }
  ErrnoOr<size_t> r = s->Send(t.mm(), iov, std::move(o));
  if (!r.ok() && r.error() == Errno(EPIPE) && !(flags & L::kMSG_NOSIGNAL)) RaiseSigpipe(t);
  return r;
}

SyscallResult SysRecvfrom(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Recvfrom(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  int flags = a.Int(3);
  if (flags & L::kMSG_OOB) return Errno(EOPNOTSUPP);
  vfs::IoVec iov{{a.Addr(1), std::min<uint64_t>(a[2], 0x7ffff000)}};
  ASSIGN_OR_RETURN_ERRNO(RecvResult r, s->Recv(t.mm(), iov, flags, NonBlocking(*s, flags)));
  if (!a.Addr(4).IsNull()) {
    RETURN_IF_ERRNO(CopyOutAddress(t, a.Addr(4), a.Addr(5), r.from, /*unnamed_is_empty=*/true));
  }
  if ((flags & L::kMSG_TRUNC) && s->type() != L::kSOCK_STREAM) return r.length;
  return r.copied;
}

SyscallResult SysSendmsg(Task& t, const SyscallArgs& a) {
  L::Msghdr m;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &m));
  return DoSendMsg(t, a.Int(0), m, a.Int(2));
}

SyscallResult SysRecvmsg(Task& t, const SyscallArgs& a) {
  L::Msghdr m;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &m));
  ASSIGN_OR_RETURN_ERRNO(size_t n, DoRecvMsg(t, a.Int(0), m, a.Int(2)));
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), m));
  return n;
}

SyscallResult SysSendmmsg(Task& t, const SyscallArgs& a) {
  uint32_t vlen = std::min<uint32_t>(a.Uint(2), L::kUIO_MAXIOV);
  int flags = a.Int(3);
  uint32_t done = 0;
  for (; done < vlen; ++done) {
    mm::UserAddr at = a.Addr(1) + done * sizeof(L::Mmsghdr);
    L::Mmsghdr mh;
    ErrnoOrVoid in = t.CopyInObj(at, &mh);
    if (!in.ok()) {
      if (done == 0) return in.error();
      break;
    }
    ErrnoOr<size_t> n = DoSendMsg(t, a.Int(0), mh.msg_hdr, flags);
    if (!n.ok()) {
      if (done == 0) return n.error();
      break;
    }
    mh.msg_len = static_cast<uint32_t>(*n);
    if (!t.CopyOutObj(at + offsetof(L::Mmsghdr, msg_len), mh.msg_len).ok()) break;
  }
  return done;
}

SyscallResult SysRecvmmsg(Task& t, const SyscallArgs& a) {
  uint32_t vlen = std::min<uint32_t>(a.Uint(2), L::kUIO_MAXIOV);
  int flags = a.Int(3);
  uint32_t done = 0;
  for (; done < vlen; ++done) {
    mm::UserAddr at = a.Addr(1) + done * sizeof(L::Mmsghdr);
    L::Mmsghdr mh;
    ErrnoOrVoid in = t.CopyInObj(at, &mh);
    if (!in.ok()) {
      if (done == 0) return in.error();
      break;
    }
    int f = flags & ~L::kMSG_WAITFORONE;
    if (done > 0 && (flags & L::kMSG_WAITFORONE)) f |= L::kMSG_DONTWAIT;
    ErrnoOr<size_t> n = DoRecvMsg(t, a.Int(0), mh.msg_hdr, f);
    if (!n.ok()) {
      if (done == 0) return n.error();
      break;
    }
    mh.msg_len = static_cast<uint32_t>(*n);
    if (!t.CopyOutObj(at, mh).ok()) break;
  }
  return done;
}

namespace {

// SO_SNDBUF/SO_RCVBUF: Linux doubles the request (for its bookkeeping) and
// reports the doubled value; net.core.wmem_max/rmem_max cap the request.
constexpr int kBufMax = 212992;
constexpr int kMinSndbuf = 4608, kMinRcvbuf = 2304;

L::Timeval DurationToTimeval(absl::Duration d) {
  int64_t us = absl::ToInt64Microseconds(d);
  return L::Timeval{us / 1000000, us % 1000000};
}

}  // namespace

SyscallResult SysGetsockopt(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Getsockopt(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  int level = a.Int(1), name = a.Int(2);
  int32_t len;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(4), &len));
  if (len < 0) return Errno(EINVAL);
  if (level != L::kSOL_SOCKET) return Errno(EOPNOTSUPP);
  auto opts = s->options();
  auto put = [&](const void* v, int32_t size) -> SyscallResult {
    int32_t n = std::min(len, size);
    if (n > 0) RETURN_IF_ERRNO(t.CopyOut(a.Addr(3), v, n));
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(4), n));
    return 0;
  };
  auto put_int = [&](int32_t v) { return put(&v, sizeof(v)); };
  switch (name) {
    case L::kSO_TYPE:
      return put_int(s->type());
    case L::kSO_DOMAIN:
      return put_int(L::kAF_UNIX);
    case L::kSO_PROTOCOL:
      return put_int(0);
    case L::kSO_ERROR:
      return put_int(s->TakeError());
    case L::kSO_PASSCRED:
      return put_int(opts.passcred);
    case L::kSO_REUSEADDR:
      return put_int(opts.reuseaddr);
    case L::kSO_SNDBUF:
      return put_int(opts.sndbuf);
    case L::kSO_RCVBUF:
      return put_int(opts.rcvbuf);
    case L::kSO_ACCEPTCONN:
      return put_int(s->listening());
    case L::kSO_KEEPALIVE:
    case L::kSO_BROADCAST:
    case L::kSO_OOBINLINE:
    case L::kSO_DONTROUTE:
      return put_int(0);
    case L::kSO_PEERCRED: {
      L::Ucred c = s->PeerCred();
      return put(&c, sizeof(c));
    }
    case L::kSO_LINGER: {
      L::Linger l{0, 0};
      return put(&l, sizeof(l));
    }
    case L::kSO_RCVTIMEO:
    case L::kSO_SNDTIMEO: {
      L::Timeval tv = DurationToTimeval(name == L::kSO_RCVTIMEO ? opts.rcvtimeo : opts.sndtimeo);
      return put(&tv, sizeof(tv));
    }
    default:
      return Errno(ENOPROTOOPT);
  }
}

SyscallResult SysSetsockopt(Task& t, const SyscallArgs& a) {
  if (auto in = inet::Get(t, a.Int(0))) return inet::Setsockopt(t, *in, a);
  ASSIGN_OR_RETURN_ERRNO(auto s, GetSocket(t, a.Int(0)));
  int level = a.Int(1), name = a.Int(2);
  int32_t len = a.Int(4);
  if (len < 0) return Errno(EINVAL);
  if (level != L::kSOL_SOCKET) return Errno(EOPNOTSUPP);
  auto opts = s->options();
  int32_t v = 0;
  bool is_int = name != L::kSO_RCVTIMEO && name != L::kSO_SNDTIMEO && name != L::kSO_LINGER;
  if (is_int) {
    if (len < static_cast<int32_t>(sizeof(int32_t))) return Errno(EINVAL);
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &v));
  }
  switch (name) {
    case L::kSO_PASSCRED:
      opts.passcred = v != 0;
      break;
    case L::kSO_REUSEADDR:
      opts.reuseaddr = v != 0;
      break;
    case L::kSO_SNDBUF:
    case L::kSO_SNDBUFFORCE:
      opts.sndbuf = std::max(std::min<uint32_t>(v, kBufMax) * 2, uint32_t{kMinSndbuf});
      break;
    case L::kSO_RCVBUF:
    case L::kSO_RCVBUFFORCE:
      opts.rcvbuf = std::max(std::min<uint32_t>(v, kBufMax) * 2, uint32_t{kMinRcvbuf});
      break;
    case L::kSO_KEEPALIVE:
    case L::kSO_BROADCAST:
    case L::kSO_OOBINLINE:
    case L::kSO_DONTROUTE:
      break;  // accepted; nothing to do for unix sockets
    case L::kSO_LINGER:
      if (len < static_cast<int32_t>(sizeof(L::Linger))) return Errno(EINVAL);
      break;
    case L::kSO_RCVTIMEO:
    case L::kSO_SNDTIMEO: {
      ASSIGN_OR_RETURN_ERRNO(absl::Duration d, SocketTimeoutArg(t, a.Addr(3), len));
      (name == L::kSO_RCVTIMEO ? opts.rcvtimeo : opts.sndtimeo) = d;
      break;
    }
    default:
      return Errno(ENOPROTOOPT);
  }
  s->set_options(opts);
  return 0;
}

}  // namespace sentry::syscalls
