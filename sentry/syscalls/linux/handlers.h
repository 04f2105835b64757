// Every syscall handler of the Linux x86-64 table. A handler is a free
// function of the task and the six argument registers; it returns a value
// or an errno. One file per family: sys_<family>.cc.
#ifndef SENTRY_SYSCALLS_LINUX_HANDLERS_H_
#define SENTRY_SYSCALLS_LINUX_HANDLERS_H_

#include "sentry/kernel/syscall_table.h"
#include "sentry/kernel/task.h"
#include "sentry/vfs/file_description.h"

namespace sentry::syscalls {

using kernel::SyscallArgs;
using kernel::SyscallResult;
using kernel::Task;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

// fstat of an open file: the attributes of the inode it was opened through
// (an overlay file's, not its layer's), or the file's own (pipes, stdio).
inline ErrnoOr<abi_linux::Stat> StatFile(vfs::FileDescription& f) {
  if (vfs::Inode* in = f.inode()) return in->Stat();
  return f.Stat();
}

#define SK_DECLARE_SYSCALL(name) SyscallResult name(Task& t, const SyscallArgs& a)

// sys_read_write.cc
SK_DECLARE_SYSCALL(SysRead);
SK_DECLARE_SYSCALL(SysWrite);
SK_DECLARE_SYSCALL(SysReadv);
SK_DECLARE_SYSCALL(SysWritev);
SK_DECLARE_SYSCALL(SysPread64);
SK_DECLARE_SYSCALL(SysPwrite64);
SK_DECLARE_SYSCALL(SysPreadv);
SK_DECLARE_SYSCALL(SysPwritev);
SK_DECLARE_SYSCALL(SysPreadv2);
SK_DECLARE_SYSCALL(SysPwritev2);
SK_DECLARE_SYSCALL(SysLseek);
SK_DECLARE_SYSCALL(SysSendfile);
SK_DECLARE_SYSCALL(SysCopyFileRange);
// sys_file.cc
SK_DECLARE_SYSCALL(SysClose);
SK_DECLARE_SYSCALL(SysPipe);
SK_DECLARE_SYSCALL(SysPipe2);
SK_DECLARE_SYSCALL(SysCloseRange);
SK_DECLARE_SYSCALL(SysDup);
SK_DECLARE_SYSCALL(SysDup2);
SK_DECLARE_SYSCALL(SysDup3);
SK_DECLARE_SYSCALL(SysFcntl);
SK_DECLARE_SYSCALL(SysFadvise64);
// sys_splice.cc
SK_DECLARE_SYSCALL(SysSplice);
SK_DECLARE_SYSCALL(SysTee);
SK_DECLARE_SYSCALL(SysFstat);
SK_DECLARE_SYSCALL(SysIoctl);
SK_DECLARE_SYSCALL(SysFlock);
SK_DECLARE_SYSCALL(SysUmask);
// sys_fs.cc
SK_DECLARE_SYSCALL(SysOpen);
SK_DECLARE_SYSCALL(SysOpenat);
SK_DECLARE_SYSCALL(SysOpenat2);
SK_DECLARE_SYSCALL(SysCreat);
SK_DECLARE_SYSCALL(SysStat);
SK_DECLARE_SYSCALL(SysLstat);
SK_DECLARE_SYSCALL(SysNewfstatat);
SK_DECLARE_SYSCALL(SysStatx);
SK_DECLARE_SYSCALL(SysAccess);
SK_DECLARE_SYSCALL(SysFaccessat);
SK_DECLARE_SYSCALL(SysFaccessat2);
SK_DECLARE_SYSCALL(SysGetdents);
SK_DECLARE_SYSCALL(SysGetdents64);
SK_DECLARE_SYSCALL(SysMkdir);
SK_DECLARE_SYSCALL(SysMkdirat);
SK_DECLARE_SYSCALL(SysMknod);
SK_DECLARE_SYSCALL(SysMknodat);
SK_DECLARE_SYSCALL(SysRmdir);
SK_DECLARE_SYSCALL(SysUnlink);
SK_DECLARE_SYSCALL(SysUnlinkat);
SK_DECLARE_SYSCALL(SysSymlink);
SK_DECLARE_SYSCALL(SysSymlinkat);
SK_DECLARE_SYSCALL(SysLink);
SK_DECLARE_SYSCALL(SysLinkat);
SK_DECLARE_SYSCALL(SysRename);
SK_DECLARE_SYSCALL(SysRenameat);
SK_DECLARE_SYSCALL(SysRenameat2);
SK_DECLARE_SYSCALL(SysReadlink);
SK_DECLARE_SYSCALL(SysReadlinkat);
SK_DECLARE_SYSCALL(SysChmod);
SK_DECLARE_SYSCALL(SysFchmod);
SK_DECLARE_SYSCALL(SysFchmodat);
SK_DECLARE_SYSCALL(SysChown);
SK_DECLARE_SYSCALL(SysLchown);
SK_DECLARE_SYSCALL(SysFchown);
SK_DECLARE_SYSCALL(SysFchownat);
SK_DECLARE_SYSCALL(SysTruncate);
SK_DECLARE_SYSCALL(SysFtruncate);
SK_DECLARE_SYSCALL(SysFallocate);
SK_DECLARE_SYSCALL(SysUtime);
SK_DECLARE_SYSCALL(SysUtimes);
SK_DECLARE_SYSCALL(SysUtimensat);
SK_DECLARE_SYSCALL(SysFutimesat);
SK_DECLARE_SYSCALL(SysChdir);
SK_DECLARE_SYSCALL(SysFchdir);
SK_DECLARE_SYSCALL(SysChroot);
SK_DECLARE_SYSCALL(SysGetcwd);
SK_DECLARE_SYSCALL(SysFsync);
SK_DECLARE_SYSCALL(SysSync);
SK_DECLARE_SYSCALL(SysSyncfs);
SK_DECLARE_SYSCALL(SysStatfs);
SK_DECLARE_SYSCALL(SysFstatfs);
SK_DECLARE_SYSCALL(SysGetxattr);
SK_DECLARE_SYSCALL(SysLgetxattr);
SK_DECLARE_SYSCALL(SysFgetxattr);
SK_DECLARE_SYSCALL(SysSetxattr);
SK_DECLARE_SYSCALL(SysLsetxattr);
SK_DECLARE_SYSCALL(SysFsetxattr);
SK_DECLARE_SYSCALL(SysListxattr);
SK_DECLARE_SYSCALL(SysLlistxattr);
SK_DECLARE_SYSCALL(SysFlistxattr);
SK_DECLARE_SYSCALL(SysRemovexattr);
SK_DECLARE_SYSCALL(SysLremovexattr);
SK_DECLARE_SYSCALL(SysFremovexattr);
SK_DECLARE_SYSCALL(SysMemfdCreate);
// sys_mount.cc
SK_DECLARE_SYSCALL(SysMount);
SK_DECLARE_SYSCALL(SysUmount2);
// sys_poll.cc
SK_DECLARE_SYSCALL(SysPoll);
SK_DECLARE_SYSCALL(SysPpoll);
SK_DECLARE_SYSCALL(SysSelect);
SK_DECLARE_SYSCALL(SysPselect6);
SK_DECLARE_SYSCALL(SysEpollCreate);
SK_DECLARE_SYSCALL(SysEpollCreate1);
SK_DECLARE_SYSCALL(SysEpollCtl);
SK_DECLARE_SYSCALL(SysEpollWait);
SK_DECLARE_SYSCALL(SysEpollPwait);
SK_DECLARE_SYSCALL(SysEpollPwait2);
SK_DECLARE_SYSCALL(SysEventfd);
SK_DECLARE_SYSCALL(SysEventfd2);
// sys_mmap.cc
SK_DECLARE_SYSCALL(SysBrk);
SK_DECLARE_SYSCALL(SysMmap);
SK_DECLARE_SYSCALL(SysMunmap);
SK_DECLARE_SYSCALL(SysMprotect);
SK_DECLARE_SYSCALL(SysMremap);
SK_DECLARE_SYSCALL(SysMadvise);
SK_DECLARE_SYSCALL(SysMincore);
SK_DECLARE_SYSCALL(SysMsync);
SK_DECLARE_SYSCALL(SysMlock);
SK_DECLARE_SYSCALL(SysMunlock);
// sys_identity.cc
SK_DECLARE_SYSCALL(SysGetpid);
SK_DECLARE_SYSCALL(SysGetppid);
SK_DECLARE_SYSCALL(SysGettid);
SK_DECLARE_SYSCALL(SysGetuid);
SK_DECLARE_SYSCALL(SysGeteuid);
SK_DECLARE_SYSCALL(SysGetgid);
SK_DECLARE_SYSCALL(SysGetegid);
SK_DECLARE_SYSCALL(SysGetresuid);
SK_DECLARE_SYSCALL(SysGetresgid);
SK_DECLARE_SYSCALL(SysGetgroups);
SK_DECLARE_SYSCALL(SysSetgroups);
SK_DECLARE_SYSCALL(SysSetuid);
SK_DECLARE_SYSCALL(SysSetgid);
SK_DECLARE_SYSCALL(SysSetreuid);
SK_DECLARE_SYSCALL(SysSetregid);
SK_DECLARE_SYSCALL(SysSetresuid);
SK_DECLARE_SYSCALL(SysSetresgid);
SK_DECLARE_SYSCALL(SysSetfsuid);
SK_DECLARE_SYSCALL(SysSetfsgid);
SK_DECLARE_SYSCALL(SysCapget);
SK_DECLARE_SYSCALL(SysCapset);
// sys_time.cc
SK_DECLARE_SYSCALL(SysClockGettime);
SK_DECLARE_SYSCALL(SysClockGetres);
SK_DECLARE_SYSCALL(SysGettimeofday);
SK_DECLARE_SYSCALL(SysTime);
SK_DECLARE_SYSCALL(SysNanosleep);
SK_DECLARE_SYSCALL(SysClockNanosleep);
SK_DECLARE_SYSCALL(SysRestartSyscall);
SK_DECLARE_SYSCALL(SysTimes);
SK_DECLARE_SYSCALL(SysGetrusage);
// sys_thread.cc
SK_DECLARE_SYSCALL(SysClone);
// sys_process.cc
SK_DECLARE_SYSCALL(SysFork);
SK_DECLARE_SYSCALL(SysVfork);
SK_DECLARE_SYSCALL(SysSetpgid);
SK_DECLARE_SYSCALL(SysGetpgid);
SK_DECLARE_SYSCALL(SysGetpgrp);
SK_DECLARE_SYSCALL(SysSetsid);
SK_DECLARE_SYSCALL(SysGetsid);
SK_DECLARE_SYSCALL(SysWait4);
SK_DECLARE_SYSCALL(SysWaitid);
SK_DECLARE_SYSCALL(SysExecve);
SK_DECLARE_SYSCALL(SysExecveat);
SK_DECLARE_SYSCALL(SysClone3);
// sys_ipc.cc
SK_DECLARE_SYSCALL(SysShmget);
SK_DECLARE_SYSCALL(SysShmat);
SK_DECLARE_SYSCALL(SysShmdt);
SK_DECLARE_SYSCALL(SysShmctl);
SK_DECLARE_SYSCALL(SysSemget);
SK_DECLARE_SYSCALL(SysSemop);
SK_DECLARE_SYSCALL(SysSemtimedop);
SK_DECLARE_SYSCALL(SysSemctl);
SK_DECLARE_SYSCALL(SysMsgget);
SK_DECLARE_SYSCALL(SysMsgsnd);
SK_DECLARE_SYSCALL(SysMsgrcv);
SK_DECLARE_SYSCALL(SysMsgctl);
// sys_mqueue.cc
SK_DECLARE_SYSCALL(SysMqOpen);
SK_DECLARE_SYSCALL(SysMqUnlink);
SK_DECLARE_SYSCALL(SysMqTimedsend);
SK_DECLARE_SYSCALL(SysMqTimedreceive);
SK_DECLARE_SYSCALL(SysMqNotify);
SK_DECLARE_SYSCALL(SysMqGetsetattr);
// sys_priority.cc
SK_DECLARE_SYSCALL(SysGetpriority);
SK_DECLARE_SYSCALL(SysSetpriority);
SK_DECLARE_SYSCALL(SysSchedSetparam);
SK_DECLARE_SYSCALL(SysSchedGetparam);
SK_DECLARE_SYSCALL(SysSchedSetscheduler);
SK_DECLARE_SYSCALL(SysSchedGetscheduler);
SK_DECLARE_SYSCALL(SysSchedGetPriorityMax);
SK_DECLARE_SYSCALL(SysSchedGetPriorityMin);
SK_DECLARE_SYSCALL(SysSchedRrGetInterval);
// sys_pidfd.cc
SK_DECLARE_SYSCALL(SysPidfdOpen);
SK_DECLARE_SYSCALL(SysPidfdSendSignal);
SK_DECLARE_SYSCALL(SysPidfdGetfd);
SK_DECLARE_SYSCALL(SysExit);
SK_DECLARE_SYSCALL(SysExitGroup);
SK_DECLARE_SYSCALL(SysArchPrctl);
SK_DECLARE_SYSCALL(SysSetTidAddress);
SK_DECLARE_SYSCALL(SysSetRobustList);
SK_DECLARE_SYSCALL(SysGetRobustList);
SK_DECLARE_SYSCALL(SysSchedYield);
SK_DECLARE_SYSCALL(SysSchedGetaffinity);
SK_DECLARE_SYSCALL(SysSchedSetaffinity);
SK_DECLARE_SYSCALL(SysGetcpu);
SK_DECLARE_SYSCALL(SysPrlimit64);
SK_DECLARE_SYSCALL(SysGetrlimit);
SK_DECLARE_SYSCALL(SysSetrlimit);
SK_DECLARE_SYSCALL(SysGetrandom);
SK_DECLARE_SYSCALL(SysUname);
SK_DECLARE_SYSCALL(SysSethostname);
SK_DECLARE_SYSCALL(SysSetdomainname);
SK_DECLARE_SYSCALL(SysSysinfo);
SK_DECLARE_SYSCALL(SysFutex);
// The priority-inheritance commands of futex(2), from SysFutex.
SyscallResult FutexPi(Task& t, const SyscallArgs& a);
SK_DECLARE_SYSCALL(SysPrctl);
// sys_seccomp.cc
SK_DECLARE_SYSCALL(SysSeccomp);
// prctl's PR_SET_SECCOMP and PR_GET_SECCOMP, from SysPrctl.
SyscallResult PrctlSeccomp(Task& t, const SyscallArgs& a);
// sys_signal.cc
SK_DECLARE_SYSCALL(SysRtSigaction);
SK_DECLARE_SYSCALL(SysRtSigprocmask);
SK_DECLARE_SYSCALL(SysRtSigpending);
SK_DECLARE_SYSCALL(SysRtSigreturn);
SK_DECLARE_SYSCALL(SysRtSigsuspend);
SK_DECLARE_SYSCALL(SysRtSigqueueinfo);
SK_DECLARE_SYSCALL(SysRtTgsigqueueinfo);
SK_DECLARE_SYSCALL(SysRtSigtimedwait);
SK_DECLARE_SYSCALL(SysSignalfd);
SK_DECLARE_SYSCALL(SysSignalfd4);
SK_DECLARE_SYSCALL(SysPause);
SK_DECLARE_SYSCALL(SysSigaltstack);
SK_DECLARE_SYSCALL(SysKill);
SK_DECLARE_SYSCALL(SysTgkill);
SK_DECLARE_SYSCALL(SysTkill);

// sys_timer.cc
SK_DECLARE_SYSCALL(SysAlarm);
SK_DECLARE_SYSCALL(SysGetitimer);
SK_DECLARE_SYSCALL(SysSetitimer);
SK_DECLARE_SYSCALL(SysTimerCreate);
SK_DECLARE_SYSCALL(SysTimerSettime);
SK_DECLARE_SYSCALL(SysTimerGettime);
SK_DECLARE_SYSCALL(SysTimerGetoverrun);
SK_DECLARE_SYSCALL(SysTimerDelete);
SK_DECLARE_SYSCALL(SysTimerfdCreate);
SK_DECLARE_SYSCALL(SysTimerfdSettime);
SK_DECLARE_SYSCALL(SysTimerfdGettime);

// sys_socket.cc
SK_DECLARE_SYSCALL(SysSocket);
SK_DECLARE_SYSCALL(SysSocketpair);
SK_DECLARE_SYSCALL(SysBind);
SK_DECLARE_SYSCALL(SysListen);
SK_DECLARE_SYSCALL(SysAccept);
SK_DECLARE_SYSCALL(SysAccept4);
SK_DECLARE_SYSCALL(SysConnect);
SK_DECLARE_SYSCALL(SysShutdown);
SK_DECLARE_SYSCALL(SysGetsockname);
SK_DECLARE_SYSCALL(SysGetpeername);
SK_DECLARE_SYSCALL(SysSendto);
SK_DECLARE_SYSCALL(SysRecvfrom);
SK_DECLARE_SYSCALL(SysSendmsg);
SK_DECLARE_SYSCALL(SysRecvmsg);
SK_DECLARE_SYSCALL(SysSendmmsg);
SK_DECLARE_SYSCALL(SysRecvmmsg);
SK_DECLARE_SYSCALL(SysGetsockopt);
SK_DECLARE_SYSCALL(SysSetsockopt);

#undef SK_DECLARE_SYSCALL

// Reads a guest iovec array (readv/writev): EINVAL for a bad count.
ErrnoOr<vfs::IoVec> CopyInIoVec(Task& t, mm::UserAddr addr, int64_t count);

}  // namespace sentry::syscalls

#endif  // SENTRY_SYSCALLS_LINUX_HANDLERS_H_
