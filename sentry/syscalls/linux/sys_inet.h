// The AF_INET/AF_INET6 half of the socket syscalls (sys_socket.cc
// dispatches here when the fd is an inet socket): guest sockaddr_in and
// sockaddr_in6 parsing, the IP, IPv6 and TCP option levels, and Linux's
// restart rule for socket calls (ERESTARTSYS unless the socket has a
// timeout, then EINTR).
#ifndef SENTRY_SYSCALLS_LINUX_SYS_INET_H_
#define SENTRY_SYSCALLS_LINUX_SYS_INET_H_

#include <memory>

#include "abi/linux/socket.h"
#include "absl/time/time.h"
#include "sentry/fsimpl/inet/inet_socket.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls::inet {

using fsimpl::inet::InetSocket;

// The inet socket behind `fd`, or nullptr (not a socket of ours, or no fd).
std::shared_ptr<InetSocket> Get(Task& t, int fd);

// EPIPE on a socket raises SIGPIPE unless MSG_NOSIGNAL (sys_socket.cc).
void RaiseSigpipe(Task& t);
// SO_RCVTIMEO/SO_SNDTIMEO's struct timeval at addr (optlen len), checked as
// Linux checks it: EINVAL when short, EDOM for bad microseconds.
ErrnoOr<absl::Duration> SocketTimeoutArg(Task& t, mm::UserAddr addr, int32_t len);

// socket(2) for AF_INET/AF_INET6.
SyscallResult Socket(Task& t, int family, int type, int protocol);

// The handlers, each for an fd already known to be an inet socket.
SyscallResult Bind(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Listen(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Connect(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Accept(Task& t, InetSocket& s, mm::UserAddr addr, mm::UserAddr len_addr, int flags);
SyscallResult Shutdown(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Getsockname(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Getpeername(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Sendto(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Recvfrom(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Getsockopt(Task& t, InetSocket& s, const SyscallArgs& a);
SyscallResult Setsockopt(Task& t, InetSocket& s, const SyscallArgs& a);
// sendmsg(2)/recvmsg(2) of one message (also for sendmmsg/recvmmsg);
// RecvMsg fills m's name length, control length and flags.
ErrnoOr<size_t> SendMsg(Task& t, InetSocket& s, const abi_linux::Msghdr& m, int flags);
ErrnoOr<size_t> RecvMsg(Task& t, InetSocket& s, abi_linux::Msghdr& m, int flags);

}  // namespace sentry::syscalls::inet

#endif  // SENTRY_SYSCALLS_LINUX_SYS_INET_H_
