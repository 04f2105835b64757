// pidfd_open(2), pidfd_send_signal(2), pidfd_getfd(2). CLONE_PIDFD is in
// Task::Fork and waitid(P_PIDFD) in sys_process.cc.
#include <fcntl.h>

#include <memory>

#include "abi/linux/capability.h"
#include "abi/linux/resource.h"
#include "abi/linux/signal.h"
#include "sentry/fsimpl/proc/procfs.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/pidfd.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// Whether `tg` has been reaped: then its pid is free for no one (pids are
// never reused) and the process is gone for every purpose.
bool Reaped(kernel::Kernel& k, kernel::ThreadGroup* tg) {
  for (kernel::ThreadGroup* live : k.ThreadGroups()) {
    if (live == tg) return false;
  }
  return true;
}

// Linux's kill_ok_by_cred: the sender's real or effective uid is the
// target's real or saved uid, or CAP_KILL.
bool MaySignal(const kernel::Credentials& c, const kernel::Credentials& target) {
  if (c.HasCapability(L::kCAP_KILL)) return true;
  return c.euid == target.suid || c.euid == target.ruid || c.ruid == target.suid ||
         c.ruid == target.ruid;
}

// ptrace_may_access(PTRACE_MODE_ATTACH_REALCREDS): the caller's real ids
// are all of the target's, and the target is dumpable; or
// CAP_SYS_PTRACE.
bool MayAttach(Task& t, kernel::ThreadGroup& target) {
  if (&t.thread_group() == &target) return true;
  kernel::Credentials c = t.thread_group().creds();
  if (c.HasCapability(L::kCAP_SYS_PTRACE)) return true;
  kernel::Credentials tc = target.creds();
  bool ids = c.ruid == tc.ruid && c.ruid == tc.euid && c.ruid == tc.suid && c.rgid == tc.rgid &&
             c.rgid == tc.egid && c.rgid == tc.sgid;
  return ids && target.dumpable.load();
}

}  // namespace

// pidfd_open(2).
SyscallResult SysPidfdOpen(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0);
  unsigned flags = a.Uint(1);
  if (flags & ~static_cast<unsigned>(O_NONBLOCK)) return Errno(EINVAL);
  if (pid <= 0) return Errno(EINVAL);
  kernel::ThreadGroup* target = nullptr;
  for (kernel::ThreadGroup* tg : t.kernel().ThreadGroups()) {  // zombies too
    if (tg->pid() == pid) target = tg;
  }
  if (target == nullptr) {
    // A thread that does not lead its group: ENOENT, as Linux since 6.9
    // says (EINVAL before).
    if (t.kernel().TaskByTid(pid) != nullptr) return Errno(ENOENT);
    return Errno(ESRCH);
  }
  auto f = std::make_shared<kernel::PidFd>(*target, static_cast<int>(flags));
  return t.fds().Install(std::move(f), 0, /*cloexec=*/true,
                         t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur);
}

// pidfd_send_signal(2).
SyscallResult SysPidfdSendSignal(Task& t, const SyscallArgs& a) {
  int sig = a.Int(1);
  if (a.Uint(3) != 0) return Errno(EINVAL);
  // A pidfd, or an open /proc/PID directory (Linux's pidfd_to_pid).
  std::shared_ptr<vfs::FileDescription> f = t.fds().Get(a.Int(0));
  if (f == nullptr) return Errno(EBADF);
  kernel::ThreadGroup* tg = nullptr;
  if (auto* pidfd = dynamic_cast<kernel::PidFd*>(f.get())) {
    tg = &pidfd->target();
  } else if (f->inode() != nullptr) {
    tg = fsimpl::proc::ProcessOfDirectory(f->inode());
  }
  if (tg == nullptr) return Errno(EBADF);
  kernel::ThreadGroup& target = *tg;
  L::Siginfo info{};
  if (!a.Addr(2).IsNull()) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &info));
    if (info.si_signo != sig) return Errno(EINVAL);
    // Only a process signalling itself may claim to be the kernel or
    // kill/tkill.
    if (&target != &t.thread_group() && (info.si_code >= 0 || info.si_code == L::kSI_TKILL)) {
      return Errno(EPERM);
    }
  } else {
    info.si_signo = sig;
    info.si_code = L::kSI_USER;
    info.SetPid(t.thread_group().pid());
    info.SetUid(t.thread_group().creds().ruid);
  }
  if (Reaped(t.kernel(), &target)) return Errno(ESRCH);
  if (sig < 0 || sig > L::kNumSignals) return Errno(EINVAL);
  if (!MaySignal(t.thread_group().creds(), target.creds())) return Errno(EPERM);
  // A zombie takes the signal and ignores it.
  if (sig == 0 || target.tasks().empty()) return 0;
  if (a.Addr(2).IsNull()) {
    target.SendSignal(info);
    return 0;
  }
  RETURN_IF_ERRNO(target.QueueSignal(info));
  return 0;
}

// pidfd_getfd(2): a duplicate of another process's fd, close-on-exec.
SyscallResult SysPidfdGetfd(Task& t, const SyscallArgs& a) {
  int targetfd = a.Int(1);
  if (a.Uint(2) != 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<kernel::PidFd> pidfd, kernel::PidFdAt(t, a.Int(0)));
  kernel::ThreadGroup& target = pidfd->target();
  if (Reaped(t.kernel(), &target)) return Errno(ESRCH);
  if (!MayAttach(t, target)) return Errno(EPERM);
  std::shared_ptr<vfs::FdTable> fds;
  for (kernel::Task* task : target.tasks()) {
    if ((fds = task->fds_ref())) break;
  }
  // A zombie has no files any more.
  std::shared_ptr<vfs::FileDescription> f = fds ? fds->Get(targetfd) : nullptr;
  if (f == nullptr) return Errno(EBADF);
  return t.fds().Install(std::move(f), 0, /*cloexec=*/true,
                         t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur);
}

}  // namespace sentry::syscalls
