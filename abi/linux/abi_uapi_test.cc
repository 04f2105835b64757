// Compile-time checks of abi/linux against the kernel's own uapi headers, for the layouts libc
// defines differently or not at all: the kernel's struct stat, termios, sigaction, siginfo,
// sigcontext/ucontext/_fpstate, clone_args, sched_attr, statfs, the ipc64 structures, ... These
// headers cannot share a translation unit with libc's (both define struct stat, struct termios,
// struct sigaction, ...), so this file includes no libc header and no gtest; every check is a
// static_assert, and abi_test.cc calls UapiLayoutsChecked() to show the file is linked in.
//
// As in abi_test.cc, the host headers come first, so a kernel macro that collides with an abi
// name (si_pid, s6_addr, ...) fails here.

// clang-format off
#include <linux/limits.h>  // Before <climits>, which would #undef NR_OPEN, ARG_MAX, LINK_MAX.
#include <climits>
#include <asm/ipcbuf.h>
#include <asm/msgbuf.h>
#include <asm/sembuf.h>
#include <asm/shmbuf.h>
#include <asm/sigcontext.h>
#include <asm/siginfo.h>
#include <asm/signal.h>
#include <asm/stat.h>
#include <asm/statfs.h>
#include <asm/termios.h>
#include <asm/ucontext.h>
#include <linux/eventpoll.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <linux/msg.h>
#include <linux/mqueue.h>
#include <linux/signal.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time_types.h>
#include <linux/utsname.h>
// clang-format on

#include <cstddef>
#include <utility>

#include "abi/linux/epoll.h"
#include "abi/linux/ipc.h"
#include "abi/linux/limits.h"
#include "abi/linux/mman.h"
#include "abi/linux/mount.h"
#include "abi/linux/mqueue.h"
#include "abi/linux/resource.h"
#include "abi/linux/sched.h"
#include "abi/linux/signal.h"
#include "abi/linux/socket.h"
#include "abi/linux/stat.h"
#include "abi/linux/statfs.h"
#include "abi/linux/sysinfo.h"
#include "abi/linux/termios.h"
#include "abi/linux/time.h"
#include "abi/linux/utsname.h"

namespace abi_linux {
namespace {

#define CHECK_VALUE(name) static_assert(std::cmp_equal(+k##name, +(name)), #name)

#define CHECK_SIZE(ours, host) static_assert(sizeof(ours) == sizeof(host), #ours)

#define CHECK_SAME_FIELD(ours, host, ofield, hfield)                                              \
  static_assert(offsetof(ours, ofield) == offsetof(host, hfield), #ours "." #ofield);             \
  static_assert(                                                                                  \
      sizeof(static_cast<ours*>(nullptr)->ofield) == sizeof(static_cast<host*>(nullptr)->hfield), \
      #ours "." #ofield " size")

#define CHECK_FIELD(ours, host, field) CHECK_SAME_FIELD(ours, host, field, field)

// ---- stat.h: arch/x86/include/uapi/asm/stat.h, include/uapi/linux/stat.h ----

using KStat = struct stat;
CHECK_SIZE(Stat, KStat);
CHECK_FIELD(Stat, KStat, st_dev);
CHECK_FIELD(Stat, KStat, st_ino);
CHECK_FIELD(Stat, KStat, st_nlink);
CHECK_FIELD(Stat, KStat, st_mode);
CHECK_FIELD(Stat, KStat, st_uid);
CHECK_FIELD(Stat, KStat, st_gid);
CHECK_SAME_FIELD(Stat, KStat, pad0, __pad0);
CHECK_FIELD(Stat, KStat, st_rdev);
CHECK_FIELD(Stat, KStat, st_size);
CHECK_FIELD(Stat, KStat, st_blksize);
CHECK_FIELD(Stat, KStat, st_blocks);
CHECK_SAME_FIELD(Stat, KStat, st_atim.tv_sec, st_atime);
CHECK_SAME_FIELD(Stat, KStat, st_atim.tv_nsec, st_atime_nsec);
CHECK_SAME_FIELD(Stat, KStat, st_mtim.tv_sec, st_mtime);
CHECK_SAME_FIELD(Stat, KStat, st_mtim.tv_nsec, st_mtime_nsec);
CHECK_SAME_FIELD(Stat, KStat, st_ctim.tv_sec, st_ctime);
CHECK_SAME_FIELD(Stat, KStat, st_ctim.tv_nsec, st_ctime_nsec);
CHECK_SAME_FIELD(Stat, KStat, unused, __unused);

using KStatx = struct statx;
CHECK_SIZE(Statx, KStatx);
CHECK_FIELD(Statx, KStatx, stx_mask);
CHECK_FIELD(Statx, KStatx, stx_mode);
CHECK_SAME_FIELD(Statx, KStatx, spare0, __spare0);
CHECK_FIELD(Statx, KStatx, stx_atime);
CHECK_SAME_FIELD(Statx, KStatx, stx_atime.reserved, stx_atime.__reserved);
CHECK_FIELD(Statx, KStatx, stx_mnt_id);
CHECK_FIELD(Statx, KStatx, stx_dio_mem_align);
CHECK_FIELD(Statx, KStatx, stx_dio_offset_align);
static_assert(offsetof(Statx, stx_subvol) == offsetof(KStatx, __spare3));  // 6.10+ field.
CHECK_VALUE(STATX_DIOALIGN);

// ---- time.h: include/uapi/linux/time_types.h ----

using KTimespec = struct __kernel_timespec;
CHECK_SIZE(Timespec, KTimespec);
CHECK_FIELD(Timespec, KTimespec, tv_sec);
CHECK_FIELD(Timespec, KTimespec, tv_nsec);
using KItimerspec = struct __kernel_itimerspec;
CHECK_SIZE(Itimerspec, KItimerspec);
CHECK_FIELD(Itimerspec, KItimerspec, it_interval);
CHECK_FIELD(Itimerspec, KItimerspec, it_value);
using KTimeval = struct __kernel_old_timeval;
CHECK_SIZE(Timeval, KTimeval);
CHECK_FIELD(Timeval, KTimeval, tv_sec);
CHECK_FIELD(Timeval, KTimeval, tv_usec);

// ---- resource.h: include/uapi/linux/resource.h ----

using KRusage = struct rusage;
CHECK_SIZE(Rusage, KRusage);
CHECK_FIELD(Rusage, KRusage, ru_utime);
CHECK_FIELD(Rusage, KRusage, ru_stime);
CHECK_FIELD(Rusage, KRusage, ru_maxrss);
CHECK_FIELD(Rusage, KRusage, ru_nivcsw);
using KRlimit = struct rlimit;
CHECK_SIZE(Rlimit, KRlimit);
CHECK_FIELD(Rlimit, KRlimit, rlim_cur);
CHECK_FIELD(Rlimit, KRlimit, rlim_max);
using KRlimit64 = struct rlimit64;
CHECK_SIZE(Rlimit64, KRlimit64);
CHECK_FIELD(Rlimit64, KRlimit64, rlim_cur);
CHECK_FIELD(Rlimit64, KRlimit64, rlim_max);
CHECK_VALUE(RUSAGE_BOTH);
CHECK_VALUE(_STK_LIM);
CHECK_VALUE(MLOCK_LIMIT);

// ---- termios.h: include/uapi/asm-generic/termbits.h, termios.h, ioctls.h ----

CHECK_VALUE(NCCS);
CHECK_VALUE(NCC);
using KTermios = struct termios;
CHECK_SIZE(Termios, KTermios);
CHECK_FIELD(Termios, KTermios, c_iflag);
CHECK_FIELD(Termios, KTermios, c_oflag);
CHECK_FIELD(Termios, KTermios, c_cflag);
CHECK_FIELD(Termios, KTermios, c_lflag);
CHECK_FIELD(Termios, KTermios, c_line);
CHECK_FIELD(Termios, KTermios, c_cc);
using KTermios2 = struct termios2;
CHECK_SIZE(Termios2, KTermios2);
CHECK_FIELD(Termios2, KTermios2, c_cc);
CHECK_FIELD(Termios2, KTermios2, c_ispeed);
CHECK_FIELD(Termios2, KTermios2, c_ospeed);
using KTermio = struct termio;
CHECK_SIZE(Termio, KTermio);
CHECK_FIELD(Termio, KTermio, c_iflag);
CHECK_FIELD(Termio, KTermio, c_oflag);
CHECK_FIELD(Termio, KTermio, c_cflag);
CHECK_FIELD(Termio, KTermio, c_lflag);
CHECK_FIELD(Termio, KTermio, c_line);
CHECK_FIELD(Termio, KTermio, c_cc);
using KWinsize = struct winsize;
CHECK_SIZE(Winsize, KWinsize);
CHECK_FIELD(Winsize, KWinsize, ws_row);
CHECK_FIELD(Winsize, KWinsize, ws_col);
CHECK_FIELD(Winsize, KWinsize, ws_xpixel);
CHECK_FIELD(Winsize, KWinsize, ws_ypixel);
CHECK_VALUE(TCGETS2);
CHECK_VALUE(TCSETS2);
CHECK_VALUE(TCSETSW2);
CHECK_VALUE(TCSETSF2);
CHECK_VALUE(BOTHER);
CHECK_VALUE(ADDRB);
CHECK_VALUE(IBSHIFT);

// ---- signal.h: arch/x86/include/uapi/asm/signal.h, asm-generic/siginfo.h, sigcontext.h,
// ucontext.h ----

CHECK_VALUE(SA_RESTORER);
CHECK_VALUE(SA_UNSUPPORTED);
CHECK_VALUE(SA_EXPOSE_TAGBITS);
CHECK_VALUE(MINSIGSTKSZ);
CHECK_VALUE(SIGSTKSZ);
CHECK_VALUE(SIGRTMIN);
CHECK_VALUE(SS_AUTODISARM);
CHECK_VALUE(SS_FLAG_BITS);
CHECK_VALUE(SI_MAX_SIZE);
CHECK_VALUE(SIGEV_MAX_SIZE);
CHECK_VALUE(TRAP_PERF);
CHECK_VALUE(SYS_USER_DISPATCH);
CHECK_VALUE(SYS_SECCOMP);
static_assert(kSigSetSize == sizeof(sigset_t));

using KSigaction = struct sigaction;
CHECK_SIZE(SigAction, KSigaction);
CHECK_SAME_FIELD(SigAction, KSigaction, handler, sa_handler);
CHECK_SAME_FIELD(SigAction, KSigaction, flags, sa_flags);
CHECK_SAME_FIELD(SigAction, KSigaction, restorer, sa_restorer);
CHECK_SAME_FIELD(SigAction, KSigaction, mask, sa_mask);

CHECK_SIZE(StackT, stack_t);
CHECK_FIELD(StackT, stack_t, ss_sp);
CHECK_FIELD(StackT, stack_t, ss_flags);
CHECK_FIELD(StackT, stack_t, ss_size);

CHECK_SIZE(Sigval, sigval_t);

// The kernel's si_* macros expand to the same member names Siginfo uses.
CHECK_SIZE(Siginfo, siginfo_t);
CHECK_FIELD(Siginfo, siginfo_t, si_signo);
CHECK_FIELD(Siginfo, siginfo_t, si_errno);
CHECK_FIELD(Siginfo, siginfo_t, si_code);
CHECK_FIELD(Siginfo, siginfo_t, _sifields);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._kill._pid, si_pid);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._kill._uid, si_uid);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._timer._tid, si_tid);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._timer._overrun, si_overrun);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._timer._sys_private, si_sys_private);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigchld._status, si_status);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigchld._utime, si_utime);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigchld._stime, si_stime);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._rt._sigval, si_value);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr, si_addr);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._trapno, si_trapno);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_lsb, si_addr_lsb);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_bnd._lower, si_lower);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_bnd._upper, si_upper);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_pkey._pkey, si_pkey);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._perf._data, si_perf_data);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._perf._type, si_perf_type);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._perf._flags, si_perf_flags);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigpoll._band, si_band);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigpoll._fd, si_fd);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigsys._call_addr, si_call_addr);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigsys._syscall, si_syscall);
CHECK_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigsys._arch, si_arch);

CHECK_SIZE(SigEvent, sigevent_t);
CHECK_FIELD(SigEvent, sigevent_t, sigev_value);
CHECK_FIELD(SigEvent, sigevent_t, sigev_signo);
CHECK_FIELD(SigEvent, sigevent_t, sigev_notify);
CHECK_FIELD(SigEvent, sigevent_t, _sigev_un);
CHECK_FIELD(SigEvent, sigevent_t, _sigev_un._tid);
CHECK_FIELD(SigEvent, sigevent_t, _sigev_un._sigev_thread._function);
CHECK_FIELD(SigEvent, sigevent_t, _sigev_un._sigev_thread._attribute);

CHECK_VALUE(FP_XSTATE_MAGIC1);
CHECK_VALUE(FP_XSTATE_MAGIC2);
CHECK_VALUE(FP_XSTATE_MAGIC2_SIZE);
CHECK_VALUE(X86_FXSR_MAGIC);
CHECK_VALUE(UC_FP_XSTATE);
CHECK_VALUE(UC_SIGCONTEXT_SS);
CHECK_VALUE(UC_STRICT_RESTORE_SS);

using KSwBytes = struct _fpx_sw_bytes;
CHECK_SIZE(FpxSwBytes, KSwBytes);
CHECK_FIELD(FpxSwBytes, KSwBytes, magic1);
CHECK_FIELD(FpxSwBytes, KSwBytes, extended_size);
CHECK_FIELD(FpxSwBytes, KSwBytes, xfeatures);
CHECK_FIELD(FpxSwBytes, KSwBytes, xstate_size);
CHECK_FIELD(FpxSwBytes, KSwBytes, padding);

using KFpstate = struct _fpstate_64;
CHECK_SIZE(FpState, KFpstate);
CHECK_FIELD(FpState, KFpstate, cwd);
CHECK_FIELD(FpState, KFpstate, swd);
CHECK_FIELD(FpState, KFpstate, twd);
CHECK_FIELD(FpState, KFpstate, fop);
CHECK_FIELD(FpState, KFpstate, rip);
CHECK_FIELD(FpState, KFpstate, rdp);
CHECK_FIELD(FpState, KFpstate, mxcsr);
CHECK_FIELD(FpState, KFpstate, mxcsr_mask);
CHECK_FIELD(FpState, KFpstate, st_space);
CHECK_FIELD(FpState, KFpstate, xmm_space);
CHECK_FIELD(FpState, KFpstate, reserved2);
CHECK_FIELD(FpState, KFpstate, reserved3);
CHECK_FIELD(FpState, KFpstate, sw_reserved);

using KHeader = struct _header;
CHECK_SIZE(XstateHeader, KHeader);
CHECK_FIELD(XstateHeader, KHeader, xfeatures);
CHECK_FIELD(XstateHeader, KHeader, reserved1);
CHECK_FIELD(XstateHeader, KHeader, reserved2);
using KYmmh = struct _ymmh_state;
CHECK_SIZE(YmmhState, KYmmh);
using KXstate = struct _xstate;
CHECK_SIZE(Xstate, KXstate);
CHECK_FIELD(Xstate, KXstate, fpstate);
CHECK_FIELD(Xstate, KXstate, xstate_hdr);
CHECK_FIELD(Xstate, KXstate, ymmh);

using KSigcontext = struct sigcontext;
CHECK_SIZE(SigContext, KSigcontext);
CHECK_FIELD(SigContext, KSigcontext, r8);
CHECK_FIELD(SigContext, KSigcontext, r9);
CHECK_FIELD(SigContext, KSigcontext, r10);
CHECK_FIELD(SigContext, KSigcontext, r11);
CHECK_FIELD(SigContext, KSigcontext, r12);
CHECK_FIELD(SigContext, KSigcontext, r13);
CHECK_FIELD(SigContext, KSigcontext, r14);
CHECK_FIELD(SigContext, KSigcontext, r15);
CHECK_FIELD(SigContext, KSigcontext, rdi);
CHECK_FIELD(SigContext, KSigcontext, rsi);
CHECK_FIELD(SigContext, KSigcontext, rbp);
CHECK_FIELD(SigContext, KSigcontext, rbx);
CHECK_FIELD(SigContext, KSigcontext, rdx);
CHECK_FIELD(SigContext, KSigcontext, rax);
CHECK_FIELD(SigContext, KSigcontext, rcx);
CHECK_FIELD(SigContext, KSigcontext, rsp);
CHECK_FIELD(SigContext, KSigcontext, rip);
CHECK_FIELD(SigContext, KSigcontext, eflags);
CHECK_FIELD(SigContext, KSigcontext, cs);
CHECK_FIELD(SigContext, KSigcontext, gs);
CHECK_FIELD(SigContext, KSigcontext, fs);
CHECK_FIELD(SigContext, KSigcontext, ss);
CHECK_FIELD(SigContext, KSigcontext, err);
CHECK_FIELD(SigContext, KSigcontext, trapno);
CHECK_FIELD(SigContext, KSigcontext, oldmask);
CHECK_FIELD(SigContext, KSigcontext, cr2);
CHECK_FIELD(SigContext, KSigcontext, fpstate);
CHECK_FIELD(SigContext, KSigcontext, reserved1);

using KUcontext = struct ucontext;
CHECK_SIZE(UContext, KUcontext);
CHECK_FIELD(UContext, KUcontext, uc_flags);
CHECK_FIELD(UContext, KUcontext, uc_link);
CHECK_FIELD(UContext, KUcontext, uc_stack);
CHECK_FIELD(UContext, KUcontext, uc_mcontext);
CHECK_FIELD(UContext, KUcontext, uc_sigmask);

// struct rt_sigframe (arch/x86/include/asm/sigframe.h, not exported): pretcode, then the
// ucontext and the siginfo.
struct KRtSigframe {
  char* pretcode;
  KUcontext uc;
  siginfo_t info;
};
CHECK_SIZE(RtSigframe, KRtSigframe);
CHECK_FIELD(RtSigframe, KRtSigframe, pretcode);
CHECK_FIELD(RtSigframe, KRtSigframe, uc);
CHECK_FIELD(RtSigframe, KRtSigframe, info);

// ---- sched.h: include/uapi/linux/sched.h, sched/types.h ----

CHECK_VALUE(CLONE_CLEAR_SIGHAND);
CHECK_VALUE(CLONE_INTO_CGROUP);
CHECK_VALUE(CLONE_NEWTIME);
CHECK_VALUE(CLONE_ARGS_SIZE_VER0);
CHECK_VALUE(CLONE_ARGS_SIZE_VER1);
CHECK_VALUE(CLONE_ARGS_SIZE_VER2);
using KCloneArgs = struct clone_args;
CHECK_SIZE(CloneArgs, KCloneArgs);
CHECK_FIELD(CloneArgs, KCloneArgs, flags);
CHECK_FIELD(CloneArgs, KCloneArgs, pidfd);
CHECK_FIELD(CloneArgs, KCloneArgs, child_tid);
CHECK_FIELD(CloneArgs, KCloneArgs, parent_tid);
CHECK_FIELD(CloneArgs, KCloneArgs, exit_signal);
CHECK_FIELD(CloneArgs, KCloneArgs, stack);
CHECK_FIELD(CloneArgs, KCloneArgs, stack_size);
CHECK_FIELD(CloneArgs, KCloneArgs, tls);
CHECK_FIELD(CloneArgs, KCloneArgs, set_tid);
CHECK_FIELD(CloneArgs, KCloneArgs, set_tid_size);
CHECK_FIELD(CloneArgs, KCloneArgs, cgroup);
CHECK_VALUE(SCHED_NORMAL);
CHECK_VALUE(SCHED_FLAG_RESET_ON_FORK);
CHECK_VALUE(SCHED_FLAG_RECLAIM);
CHECK_VALUE(SCHED_FLAG_DL_OVERRUN);
CHECK_VALUE(SCHED_FLAG_KEEP_POLICY);
CHECK_VALUE(SCHED_FLAG_KEEP_PARAMS);
CHECK_VALUE(SCHED_FLAG_UTIL_CLAMP_MIN);
CHECK_VALUE(SCHED_FLAG_UTIL_CLAMP_MAX);
CHECK_VALUE(SCHED_FLAG_KEEP_ALL);
CHECK_VALUE(SCHED_FLAG_UTIL_CLAMP);
CHECK_VALUE(SCHED_FLAG_ALL);
CHECK_VALUE(SCHED_ATTR_SIZE_VER0);
CHECK_VALUE(SCHED_ATTR_SIZE_VER1);
using KSchedAttr = struct sched_attr;
CHECK_SIZE(SchedAttr, KSchedAttr);
CHECK_FIELD(SchedAttr, KSchedAttr, size);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_policy);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_flags);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_nice);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_priority);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_runtime);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_deadline);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_period);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_util_min);
CHECK_FIELD(SchedAttr, KSchedAttr, sched_util_max);

// ---- statfs.h: include/uapi/asm-generic/statfs.h ----

using KStatfs = struct statfs;
CHECK_SIZE(Statfs, KStatfs);
CHECK_FIELD(Statfs, KStatfs, f_type);
CHECK_FIELD(Statfs, KStatfs, f_bsize);
CHECK_FIELD(Statfs, KStatfs, f_blocks);
CHECK_FIELD(Statfs, KStatfs, f_bfree);
CHECK_FIELD(Statfs, KStatfs, f_bavail);
CHECK_FIELD(Statfs, KStatfs, f_files);
CHECK_FIELD(Statfs, KStatfs, f_ffree);
CHECK_FIELD(Statfs, KStatfs, f_fsid);
CHECK_FIELD(Statfs, KStatfs, f_namelen);
CHECK_FIELD(Statfs, KStatfs, f_frsize);
CHECK_FIELD(Statfs, KStatfs, f_flags);
CHECK_FIELD(Statfs, KStatfs, f_spare);

// ---- ipc.h: asm-generic/ipcbuf.h, shmbuf.h, msgbuf.h, arch/x86 sembuf.h, linux/shm.h ... ----

using KIpcPerm = struct ipc64_perm;
CHECK_SIZE(IpcPerm, KIpcPerm);
CHECK_FIELD(IpcPerm, KIpcPerm, key);
CHECK_FIELD(IpcPerm, KIpcPerm, uid);
CHECK_FIELD(IpcPerm, KIpcPerm, gid);
CHECK_FIELD(IpcPerm, KIpcPerm, cuid);
CHECK_FIELD(IpcPerm, KIpcPerm, cgid);
CHECK_FIELD(IpcPerm, KIpcPerm, mode);
CHECK_FIELD(IpcPerm, KIpcPerm, seq);
CHECK_SAME_FIELD(IpcPerm, KIpcPerm, pad2, __pad2);
CHECK_SAME_FIELD(IpcPerm, KIpcPerm, unused1, __unused1);
CHECK_SAME_FIELD(IpcPerm, KIpcPerm, unused2, __unused2);
using KShmid = struct shmid64_ds;
CHECK_SIZE(ShmidDs, KShmid);
CHECK_FIELD(ShmidDs, KShmid, shm_perm);
CHECK_FIELD(ShmidDs, KShmid, shm_segsz);
CHECK_FIELD(ShmidDs, KShmid, shm_atime);
CHECK_FIELD(ShmidDs, KShmid, shm_dtime);
CHECK_FIELD(ShmidDs, KShmid, shm_ctime);
CHECK_FIELD(ShmidDs, KShmid, shm_cpid);
CHECK_FIELD(ShmidDs, KShmid, shm_lpid);
CHECK_FIELD(ShmidDs, KShmid, shm_nattch);
using KShminfo = struct shminfo64;
CHECK_SIZE(ShmInfo64, KShminfo);
CHECK_FIELD(ShmInfo64, KShminfo, shmmax);
CHECK_FIELD(ShmInfo64, KShminfo, shmmin);
CHECK_FIELD(ShmInfo64, KShminfo, shmmni);
CHECK_FIELD(ShmInfo64, KShminfo, shmseg);
CHECK_FIELD(ShmInfo64, KShminfo, shmall);
using KShmInfo = struct shm_info;
CHECK_SIZE(ShmInfo, KShmInfo);
CHECK_FIELD(ShmInfo, KShmInfo, used_ids);
CHECK_FIELD(ShmInfo, KShmInfo, shm_tot);
CHECK_FIELD(ShmInfo, KShmInfo, swap_successes);
using KSemid = struct semid64_ds;
CHECK_SIZE(SemidDs, KSemid);
CHECK_FIELD(SemidDs, KSemid, sem_perm);
CHECK_FIELD(SemidDs, KSemid, sem_otime);
CHECK_FIELD(SemidDs, KSemid, sem_ctime);
CHECK_FIELD(SemidDs, KSemid, sem_nsems);
using KSembuf = struct sembuf;
CHECK_SIZE(Sembuf, KSembuf);
CHECK_FIELD(Sembuf, KSembuf, sem_num);
CHECK_FIELD(Sembuf, KSembuf, sem_op);
CHECK_FIELD(Sembuf, KSembuf, sem_flg);
using KSeminfo = struct seminfo;
CHECK_SIZE(SemInfo, KSeminfo);
using KMsqid = struct msqid64_ds;
CHECK_SIZE(MsqidDs, KMsqid);
CHECK_FIELD(MsqidDs, KMsqid, msg_perm);
CHECK_FIELD(MsqidDs, KMsqid, msg_stime);
CHECK_FIELD(MsqidDs, KMsqid, msg_rtime);
CHECK_FIELD(MsqidDs, KMsqid, msg_ctime);
CHECK_SAME_FIELD(MsqidDs, KMsqid, msg_curbytes, msg_cbytes);
CHECK_FIELD(MsqidDs, KMsqid, msg_qnum);
CHECK_FIELD(MsqidDs, KMsqid, msg_qbytes);
CHECK_FIELD(MsqidDs, KMsqid, msg_lspid);
CHECK_FIELD(MsqidDs, KMsqid, msg_lrpid);
using KMsginfo = struct msginfo;
CHECK_SIZE(MsgInfo, KMsginfo);
CHECK_FIELD(MsgInfo, KMsginfo, msgseg);
CHECK_VALUE(IPC_64);
CHECK_VALUE(IPC_OLD);
CHECK_VALUE(SEMMNI);
CHECK_VALUE(SEMMSL);
CHECK_VALUE(SEMMNS);
CHECK_VALUE(SEMOPM);
CHECK_VALUE(SEMVMX);
CHECK_VALUE(SEMAEM);
CHECK_VALUE(MSGMNI);
CHECK_VALUE(MSGMAX);
CHECK_VALUE(MSGMNB);
CHECK_VALUE(SHMMIN);
CHECK_VALUE(SHMMNI);
CHECK_VALUE(SHMMAX);
CHECK_VALUE(SHMALL);
CHECK_VALUE(SHMSEG);

// ---- mqueue.h: include/uapi/linux/mqueue.h ----

using KMqAttr = struct mq_attr;
CHECK_SIZE(MqAttr, KMqAttr);
CHECK_FIELD(MqAttr, KMqAttr, mq_flags);
CHECK_FIELD(MqAttr, KMqAttr, mq_maxmsg);
CHECK_FIELD(MqAttr, KMqAttr, mq_msgsize);
CHECK_FIELD(MqAttr, KMqAttr, mq_curmsgs);
CHECK_VALUE(MQ_PRIO_MAX);
CHECK_VALUE(NOTIFY_COOKIE_LEN);

// ---- mount.h: include/uapi/linux/mount.h ----

using KMountAttr = struct mount_attr;
CHECK_SIZE(MountAttr, KMountAttr);
CHECK_FIELD(MountAttr, KMountAttr, attr_set);
CHECK_FIELD(MountAttr, KMountAttr, attr_clr);
CHECK_FIELD(MountAttr, KMountAttr, propagation);
CHECK_FIELD(MountAttr, KMountAttr, userns_fd);
CHECK_VALUE(MOVE_MOUNT__MASK);
CHECK_VALUE(MOUNT_ATTR_SIZE_VER0);

// ---- epoll.h, sysinfo.h, utsname.h ----

using KEpollEvent = struct epoll_event;
CHECK_SIZE(EpollEvent, KEpollEvent);
CHECK_FIELD(EpollEvent, KEpollEvent, events);
CHECK_FIELD(EpollEvent, KEpollEvent, data);
CHECK_VALUE(EPOLL_URING_WAKE);
CHECK_VALUE(EPOLLNVAL);

using KSysinfo = struct sysinfo;
CHECK_SIZE(Sysinfo, KSysinfo);
CHECK_FIELD(Sysinfo, KSysinfo, uptime);
CHECK_FIELD(Sysinfo, KSysinfo, procs);
CHECK_FIELD(Sysinfo, KSysinfo, pad);
CHECK_FIELD(Sysinfo, KSysinfo, mem_unit);

using KUtsname = struct new_utsname;
CHECK_SIZE(Utsname, KUtsname);
CHECK_FIELD(Utsname, KUtsname, sysname);
CHECK_FIELD(Utsname, KUtsname, domainname);
static_assert(kNEW_UTS_LEN == __NEW_UTS_LEN);

// ---- mman.h: include/uapi/linux/mman.h ----

CHECK_VALUE(MAP_HUGE_SHIFT);
CHECK_VALUE(MAP_HUGE_MASK);
CHECK_VALUE(MAP_HUGE_64KB);
CHECK_VALUE(MAP_HUGE_2MB);
CHECK_VALUE(MAP_HUGE_1GB);
CHECK_VALUE(MAP_UNINITIALIZED);
CHECK_VALUE(OVERCOMMIT_NEVER);

// ---- limits.h: include/uapi/linux/limits.h ----

CHECK_VALUE(NR_OPEN);
CHECK_VALUE(ARG_MAX);
CHECK_VALUE(LINK_MAX);

// ---- socket.h: include/uapi/linux/in.h, in6.h ----

CHECK_VALUE(IPPROTO_L2TP);
CHECK_VALUE(IPPROTO_MPTCP);
CHECK_VALUE(IP_TRANSPARENT);
CHECK_VALUE(IPV6_V6ONLY);
using KSockaddrIn = struct sockaddr_in;
CHECK_SIZE(SockaddrIn, KSockaddrIn);
CHECK_FIELD(SockaddrIn, KSockaddrIn, sin_family);
CHECK_FIELD(SockaddrIn, KSockaddrIn, sin_port);
CHECK_FIELD(SockaddrIn, KSockaddrIn, sin_addr);
CHECK_SAME_FIELD(SockaddrIn, KSockaddrIn, sin_zero, __pad);
using KSockaddrIn6 = struct sockaddr_in6;
CHECK_SIZE(SockaddrIn6, KSockaddrIn6);
CHECK_FIELD(SockaddrIn6, KSockaddrIn6, sin6_flowinfo);
CHECK_FIELD(SockaddrIn6, KSockaddrIn6, sin6_addr);
CHECK_FIELD(SockaddrIn6, KSockaddrIn6, sin6_addr.in6_u.u6_addr8);
CHECK_FIELD(SockaddrIn6, KSockaddrIn6, sin6_addr.in6_u.u6_addr32);
CHECK_FIELD(SockaddrIn6, KSockaddrIn6, sin6_scope_id);

}  // namespace

bool UapiLayoutsChecked() { return true; }

}  // namespace abi_linux
