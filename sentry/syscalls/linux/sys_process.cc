// fork(2), vfork(2), wait4(2), waitid(2) (P_PIDFD too).
#include <fcntl.h>
#include <sys/wait.h>

#include "abi/linux/fcntl.h"
#include "abi/linux/resource.h"
#include "abi/linux/sched.h"
#include "abi/linux/signal.h"
#include "abi/linux/wait.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/pidfd.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

SyscallResult SysFork(Task& t, const SyscallArgs&) { return t.Fork(L::kSIGCHLD, 0, 0, 0, 0); }

SyscallResult SysVfork(Task& t, const SyscallArgs&) {
  return t.Fork(L::kCLONE_VM | L::kCLONE_VFORK | L::kSIGCHLD, 0, 0, 0, 0);
}

SyscallResult SysWait4(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0);
  int options = a.Int(2);
  if (options & ~(L::kWNOHANG | L::kWUNTRACED | L::kWCONTINUED | L::kWNOTHREAD | L::kWALL |
                  L::kWCLONE)) {
    return Errno(EINVAL);
  }
  if (pid == INT32_MIN) return Errno(ESRCH);
  kernel::Kernel::WaitOptions o;
  o.nohang = options & L::kWNOHANG;
  o.stopped = options & L::kWUNTRACED;
  o.continued = options & L::kWCONTINUED;
  auto waited = t.kernel().Wait(t, pid, o);
  if (!waited.ok()) {
    if (waited.error() == Errno(EINTR)) return Errno(kernel::kERESTARTSYS);
    return waited.error();
  }
  kernel::Kernel::WaitResult r = *waited;
  if (r.pid == 0) return 0;
  if (!a.Addr(1).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), r.wait_status));
  if (!a.Addr(3).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(3), kernel::ToRusage(r.usage)));
  return r.pid;
}

SyscallResult SysSetpgid(Task& t, const SyscallArgs& a) {
  RETURN_IF_ERRNO(t.kernel().SetPgid(t, a.Int(0), a.Int(1)));
  return 0;
}

SyscallResult SysGetpgid(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0);
  if (pid == 0) return t.thread_group().pgid();
  kernel::ThreadGroup* tg = t.kernel().ThreadGroupByPid(pid);
  if (tg == nullptr) return Errno(ESRCH);
  return tg->pgid();
}

SyscallResult SysGetpgrp(Task& t, const SyscallArgs&) { return t.thread_group().pgid(); }

SyscallResult SysSetsid(Task& t, const SyscallArgs&) { return t.kernel().SetSid(t); }

SyscallResult SysGetsid(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0);
  if (pid == 0) return t.thread_group().sid();
  kernel::ThreadGroup* tg = t.kernel().ThreadGroupByPid(pid);
  if (tg == nullptr) return Errno(ESRCH);
  return tg->sid();
}

SyscallResult SysWaitid(Task& t, const SyscallArgs& a) {
  int idtype = a.Int(0);
  int id = a.Int(1);
  int options = a.Int(3);
  if (options & ~(L::kWNOHANG | L::kWNOWAIT | L::kWEXITED | L::kWSTOPPED | L::kWCONTINUED |
                  L::kWNOTHREAD | L::kWALL | L::kWCLONE)) {
    return Errno(EINVAL);
  }
  if (!(options & (L::kWEXITED | L::kWSTOPPED | L::kWCONTINUED))) return Errno(EINVAL);
  int pid;
  bool pidfd_nonblock = false;
  switch (idtype) {
    case L::kP_ALL:
      pid = -1;
      break;
    case L::kP_PID:
      if (id <= 0) return Errno(EINVAL);
      pid = id;
      break;
    case L::kP_PGID:
      if (id < 0) return Errno(EINVAL);
      pid = id == 0 ? 0 : -id;
      break;
    case L::kP_PIDFD: {
      if (id < 0) return Errno(EINVAL);
      ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<kernel::PidFd> pidfd, kernel::PidFdAt(t, id));
      pid = pidfd->target().pid();
      // A PIDFD_NONBLOCK pidfd makes the wait non-blocking: EAGAIN rather
      // than 0 when the caller did not ask for WNOHANG itself.
      pidfd_nonblock = (pidfd->flags() & O_NONBLOCK) && !(options & L::kWNOHANG);
      break;
    }
    default:
      return Errno(EINVAL);
  }
  kernel::Kernel::WaitOptions o;
  o.nohang = (options & L::kWNOHANG) || pidfd_nonblock;
  o.reap = !(options & L::kWNOWAIT);
  o.exited = options & L::kWEXITED;
  o.stopped = options & L::kWSTOPPED;
  o.continued = options & L::kWCONTINUED;
  auto waited = t.kernel().Wait(t, pid, o);
  if (!waited.ok()) {
    if (waited.error() == Errno(EINTR)) return Errno(kernel::kERESTARTSYS);
    return waited.error();
  }
  kernel::Kernel::WaitResult r = *waited;
  if (r.pid == 0 && pidfd_nonblock) return Errno(EAGAIN);
  if (!a.Addr(2).IsNull()) {
    L::Siginfo info{};
    if (r.pid != 0) {
      info.si_signo = L::kSIGCHLD;
      info.si_code = r.code;
      info.SetStatus(r.status);
      info.SetPid(r.pid);
      info.SetUid(r.uid);
    }
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), info));
  }
  // Like Linux, the rusage is written only when a child was reported.
  if (!a.Addr(4).IsNull() && r.pid != 0) {
    RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(4), kernel::ToRusage(r.usage)));
  }
  return 0;
}

}  // namespace sentry::syscalls

namespace sentry::syscalls {

namespace {

// Linux's limits on an exec's arguments: MAX_ARG_STRINGS, MAX_ARG_STRLEN.
constexpr size_t kMaxArgStrings = 0x7fffffff;
constexpr size_t kMaxArgStrlen = 32 * 4096;
constexpr size_t kMaxArgTotal = 2 << 20;  // a quarter of an 8 MiB stack

ErrnoOr<std::vector<std::string>> CopyInStringArray(Task& t, mm::UserAddr addr) {
  std::vector<std::string> out;
  if (addr.IsNull()) return out;
  size_t total = 0;
  for (size_t i = 0; i < kMaxArgStrings; ++i) {
    uint64_t p;
    RETURN_IF_ERRNO(t.CopyInObj(addr + i * sizeof(uint64_t), &p));
    if (p == 0) break;
    auto s = t.mm().CopyInString(mm::UserAddr(p), kMaxArgStrlen);
    if (!s.ok()) return s.error() == Errno(ENAMETOOLONG) ? Errno(E2BIG) : s.error();
    total += s->size() + 1 + sizeof(uint64_t);
    if (total > kMaxArgTotal) return Errno(E2BIG);
    out.push_back(std::move(s).value());
  }
  return out;
}

SyscallResult DoExecve(Task& t, int dirfd, mm::UserAddr path_addr, mm::UserAddr argv_addr,
                       mm::UserAddr envp_addr, int at_flags) {
  ASSIGN_OR_RETURN_ERRNO(std::string path, t.CopyInString(path_addr));
  ASSIGN_OR_RETURN_ERRNO(std::vector<std::string> argv, CopyInStringArray(t, argv_addr));
  ASSIGN_OR_RETURN_ERRNO(std::vector<std::string> envv, CopyInStringArray(t, envp_addr));
  RETURN_IF_ERRNO(t.Exec(dirfd, path, std::move(argv), std::move(envv), at_flags));
  return SyscallResult::RegsSet();
}

}  // namespace

SyscallResult SysExecve(Task& t, const SyscallArgs& a) {
  return DoExecve(t, L::kAT_FDCWD, a.Addr(0), a.Addr(1), a.Addr(2), 0);
}

SyscallResult SysExecveat(Task& t, const SyscallArgs& a) {
  int flags = a.Int(4);
  if (flags & ~(L::kAT_EMPTY_PATH | L::kAT_SYMLINK_NOFOLLOW)) return Errno(EINVAL);
  return DoExecve(t, a.Int(0), a.Addr(1), a.Addr(2), a.Addr(3), flags);
}

}  // namespace sentry::syscalls
