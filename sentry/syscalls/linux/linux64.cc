#include "sentry/syscalls/linux/linux64.h"

#include "abi/linux/syscalls.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace {

using namespace abi_linux;  // NOLINT: the kNR_* names read best bare here.
using kernel::Error;
using kernel::Partial;
using kernel::Supported;

// Sorted by number; numbers not listed return ENOSYS and are counted.
constexpr kernel::SyscallEntry kEntries[] = {
    Supported(kNR_read, SysRead),
    Supported(kNR_write, SysWrite),
    Supported(kNR_close, SysClose),
    Partial(kNR_fstat, SysFstat, "the container's stdio only until the VFS"),
    Supported(kNR_lseek, SysLseek),
    Partial(kNR_mmap, SysMmap, "anonymous memory; file mappings need the VFS (ENODEV)"),
    Supported(kNR_mprotect, SysMprotect),
    Supported(kNR_munmap, SysMunmap),
    Supported(kNR_brk, SysBrk),
    Partial(kNR_rt_sigaction, SysRtSigaction, "real-time signals do not queue more than one instance"),
    Supported(kNR_rt_sigprocmask, SysRtSigprocmask),
    Supported(kNR_rt_sigreturn, SysRtSigreturn),
    Partial(kNR_ioctl, SysIoctl, "FIOCLEX FIONCLEX FIONBIO FIONREAD; terminal get/set attrs and window size"),
    Supported(kNR_pread64, SysPread64),
    Supported(kNR_pwrite64, SysPwrite64),
    Supported(kNR_readv, SysReadv),
    Supported(kNR_writev, SysWritev),
    Partial(kNR_pipe, SysPipe, "no F_SETPIPE_SZ; blocked ends notice signals within 10 ms"),
    Supported(kNR_sched_yield, SysSchedYield),
    Partial(kNR_mremap, SysMremap, "no MREMAP_DONTUNMAP, no growing shared mappings"),
    Supported(kNR_msync, SysMsync),
    Supported(kNR_mincore, SysMincore),
    Supported(kNR_madvise, SysMadvise),
    Supported(kNR_dup, SysDup),
    Supported(kNR_dup2, SysDup2),
    Supported(kNR_pause, SysPause),
    Partial(kNR_nanosleep, SysNanosleep, "EINTR on any signal; no restart after stops"),
    Supported(kNR_getpid, SysGetpid),
    Partial(kNR_clone, SysClone, "threads and fork; no vfork, CLONE_VM processes, pidfds or namespaces"),
    Supported(kNR_fork, SysFork),
    Error(kNR_vfork, ENOSYS, "needs execve"),
    Partial(kNR_execve, SysExecve, "static programs read from the host root until the gofer; "
                                   "no #! scripts or dynamic programs yet"),
    Supported(kNR_exit, SysExit),
    Partial(kNR_wait4, SysWait4, "exits only (no job-control stops); process groups are the process; no rusage"),
    Partial(kNR_kill, SysKill, "no process groups yet"),
    Supported(kNR_uname, SysUname),
    Partial(kNR_fcntl, SysFcntl, "F_DUPFD F_DUPFD_CLOEXEC F_GETFD F_SETFD F_GETFL F_SETFL"),
    Partial(kNR_getcwd, SysGetcwd, "the working directory is fixed until the VFS"),
    Partial(kNR_readlink, SysReadlink, "/proc/self/exe only until the VFS"),
    Supported(kNR_umask, SysUmask),
    Supported(kNR_gettimeofday, SysGettimeofday),
    Supported(kNR_getrlimit, SysGetrlimit),
    Partial(kNR_sysinfo, SysSysinfo, "memory figures are the host's"),
    Supported(kNR_times, SysTimes),
    Supported(kNR_getuid, SysGetuid),
    Supported(kNR_getgid, SysGetgid),
    Supported(kNR_geteuid, SysGeteuid),
    Supported(kNR_getegid, SysGetegid),
    Supported(kNR_getppid, SysGetppid),
    Supported(kNR_getgroups, SysGetgroups),
    Supported(kNR_setgroups, SysSetgroups),
    Supported(kNR_getresuid, SysGetresuid),
    Supported(kNR_getresgid, SysGetresgid),
    Supported(kNR_rt_sigpending, SysRtSigpending),
    Supported(kNR_rt_sigsuspend, SysRtSigsuspend),
    Supported(kNR_sigaltstack, SysSigaltstack),
    Error(kNR_uselib, ENOSYS, "obsolete"),
    Partial(kNR_mlock, SysMlock, "sandbox memory is never swapped; checks the range"),
    Partial(kNR_munlock, SysMunlock, "sandbox memory is never swapped; checks the range"),
    Partial(kNR_prctl, SysPrctl, "name, death signal, dumpable, no_new_privs, subreaper, "
            "keepcaps, timer slack, THP; no seccomp, PR_SET_MM or capability changes"),
    Partial(kNR_arch_prctl, SysArchPrctl, "no cpuid faulting"),
    Supported(kNR_setrlimit, SysSetrlimit),
    Error(kNR_create_module, ENOSYS, "obsolete"),
    Error(kNR_get_kernel_syms, ENOSYS, "obsolete"),
    Error(kNR_query_module, ENOSYS, "obsolete"),
    Error(kNR_nfsservctl, ENOSYS, "obsolete"),
    Supported(kNR_gettid, SysGettid),
    Supported(kNR_tkill, SysTkill),
    Supported(kNR_time, SysTime),
    Partial(kNR_futex, SysFutex, "WAIT WAKE WAIT_BITSET WAKE_BITSET"),
    Partial(kNR_sched_setaffinity, SysSchedSetaffinity, "validated, not pinned"),
    Supported(kNR_sched_getaffinity, SysSchedGetaffinity),
    Error(kNR_set_thread_area, ENOSYS, "32-bit only"),
    Error(kNR_get_thread_area, ENOSYS, "32-bit only"),
    Supported(kNR_set_tid_address, SysSetTidAddress),
    Supported(kNR_clock_gettime, SysClockGettime),
    Supported(kNR_clock_getres, SysClockGetres),
    Partial(kNR_clock_nanosleep, SysClockNanosleep, "EINTR on any signal; no restart after stops"),
    Supported(kNR_exit_group, SysExitGroup),
    Supported(kNR_tgkill, SysTgkill),
    Partial(kNR_waitid, SysWaitid, "exits only; P_ALL P_PID P_PGID; no rusage"),
    Partial(kNR_newfstatat, SysNewfstatat, "AT_EMPTY_PATH on an fd until the VFS"),
    Partial(kNR_readlinkat, SysReadlinkat, "/proc/self/exe only until the VFS"),
    Supported(kNR_set_robust_list, SysSetRobustList),
    Supported(kNR_get_robust_list, SysGetRobustList),
    Supported(kNR_dup3, SysDup3),
    Partial(kNR_pipe2, SysPipe2, "as pipe; O_DIRECT (packet mode) is accepted but not honoured"),
    Supported(kNR_preadv, SysPreadv),
    Supported(kNR_pwritev, SysPwritev),
    Supported(kNR_prlimit64, SysPrlimit64),
    Supported(kNR_getcpu, SysGetcpu),
    Supported(kNR_getrandom, SysGetrandom),
    Partial(kNR_execveat, SysExecveat, "AT_FDCWD only, as execve"),
    Supported(kNR_preadv2, SysPreadv2),
    Supported(kNR_pwritev2, SysPwritev2),
    Error(kNR_rseq, ENOSYS,
          "the ptrace platform cannot see preemption to restart critical sections; "
          "glibc falls back"),
    Partial(kNR_clone3, SysClone3, "as clone"),
    Supported(kNR_close_range, SysCloseRange),
};

static_assert(kernel::SortedAndUnique(kEntries), "syscall table must be sorted and unique");

constexpr kernel::SyscallTable kTable(kEntries);

}  // namespace

const kernel::SyscallTable& Linux64() { return kTable; }

}  // namespace sentry::syscalls
