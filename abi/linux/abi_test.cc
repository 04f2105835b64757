// Checks abi/linux against the host's libc headers (and the kernel uapi headers that coexist with
// them). On x86-64 the host's ABI is the guest's, so every constant and layout must agree; only
// this test may include host headers. abi_uapi_test.cc checks, at compile time, the layouts that
// only the kernel's own headers define (struct stat from <asm/stat.h>, the kernel's termios,
// sigaction, ucontext, ...), which cannot share a translation unit with libc's.
//
// The host headers come first, so that an abi field named like a libc macro (st_atime, si_pid,
// sa_handler, msg_cbytes, s6_addr, ...) breaks this build rather than the sentry's.

// clang-format off
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/ucontext.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <linux/audit.h>
#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/magic.h>
#include <linux/membarrier.h>
#include <linux/mempolicy.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/reboot.h>
#include <linux/rseq.h>
#include <linux/seccomp.h>
#include <linux/sockios.h>
// clang-format on

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "abi/linux/auxv.h"
#include "abi/linux/capability.h"
#include "abi/linux/dirent.h"
#include "abi/linux/elf.h"
#include "abi/linux/epoll.h"
#include "abi/linux/errno.h"
#include "abi/linux/eventfd.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/futex.h"
#include "abi/linux/inotify.h"
#include "abi/linux/ioctl.h"
#include "abi/linux/ipc.h"
#include "abi/linux/limits.h"
#include "abi/linux/membarrier.h"
#include "abi/linux/mempolicy.h"
#include "abi/linux/mman.h"
#include "abi/linux/mount.h"
#include "abi/linux/personality.h"
#include "abi/linux/poll.h"
#include "abi/linux/prctl.h"
#include "abi/linux/ptrace_regs.h"
#include "abi/linux/random.h"
#include "abi/linux/reboot.h"
#include "abi/linux/resource.h"
#include "abi/linux/rseq.h"
#include "abi/linux/sched.h"
#include "abi/linux/seccomp.h"
#include "abi/linux/signal.h"
#include "abi/linux/signalfd.h"
#include "abi/linux/socket.h"
#include "abi/linux/stat.h"
#include "abi/linux/statfs.h"
#include "abi/linux/syscalls.h"
#include "abi/linux/sysinfo.h"
#include "abi/linux/termios.h"
#include "abi/linux/time.h"
#include "abi/linux/timerfd.h"
#include "abi/linux/uio.h"
#include "abi/linux/utsname.h"
#include "abi/linux/wait.h"
#include "abi/linux/xattr.h"
#include "gtest/gtest.h"

namespace abi_linux {

// Defined in abi_uapi_test.cc, whose checks are static_asserts.
bool UapiLayoutsChecked();

namespace {

// Whether an abi constant and the host's have the same value. Values of different signedness
// or width (e.g. int -2147483648 and 0x80000000u) are compared as bit patterns of the narrower
// type.
template <typename A, typename B>
bool SameValue(A ours, B host) {
  if (std::cmp_equal(ours, host)) return true;
  constexpr std::size_t kBits = 8 * (sizeof(A) < sizeof(B) ? sizeof(A) : sizeof(B));
  constexpr uint64_t kMask = kBits >= 64 ? ~uint64_t{0} : (uint64_t{1} << kBits) - 1;
  return (static_cast<uint64_t>(ours) & kMask) == (static_cast<uint64_t>(host) & kMask);
}

// abi_linux::kFOO must equal the host's FOO.
#define EXPECT_ABI(name)                                                                          \
  EXPECT_TRUE(SameValue(+k##name, +(name))) << #name << ": abi " << static_cast<int64_t>(k##name) \
                                            << ", host " << static_cast<int64_t>(name)

// An abi field and a host field must sit at the same offset with the same size.
#define EXPECT_SAME_FIELD(ours, host, ofield, hfield)                     \
  do {                                                                    \
    EXPECT_EQ(offsetof(ours, ofield), offsetof(host, hfield)) << #ofield; \
    EXPECT_EQ(sizeof(static_cast<ours*>(nullptr)->ofield),                \
              sizeof(static_cast<host*>(nullptr)->hfield))                \
        << #ofield;                                                       \
  } while (0)

// Same field name on both sides.
#define EXPECT_FIELD(ours, host, field) EXPECT_SAME_FIELD(ours, host, field, field)

#define EXPECT_SAME_SIZE(ours, host) EXPECT_EQ(sizeof(ours), sizeof(host))

TEST(AbiTest, UapiTranslationUnitIsLinked) { EXPECT_TRUE(UapiLayoutsChecked()); }

// ---- syscalls.h ----

struct NrRow {
  int ours;
  long host;
  std::string_view name;
};

TEST(SyscallsTest, EveryNumberMatchesHost) {
  constexpr NrRow kRows[] = {
      {kNR_read, SYS_read, "read"},
      {kNR_write, SYS_write, "write"},
      {kNR_open, SYS_open, "open"},
      {kNR_close, SYS_close, "close"},
      {kNR_stat, SYS_stat, "stat"},
      {kNR_fstat, SYS_fstat, "fstat"},
      {kNR_lstat, SYS_lstat, "lstat"},
      {kNR_poll, SYS_poll, "poll"},
      {kNR_lseek, SYS_lseek, "lseek"},
      {kNR_mmap, SYS_mmap, "mmap"},
      {kNR_mprotect, SYS_mprotect, "mprotect"},
      {kNR_munmap, SYS_munmap, "munmap"},
      {kNR_brk, SYS_brk, "brk"},
      {kNR_rt_sigaction, SYS_rt_sigaction, "rt_sigaction"},
      {kNR_rt_sigprocmask, SYS_rt_sigprocmask, "rt_sigprocmask"},
      {kNR_rt_sigreturn, SYS_rt_sigreturn, "rt_sigreturn"},
      {kNR_ioctl, SYS_ioctl, "ioctl"},
      {kNR_pread64, SYS_pread64, "pread64"},
      {kNR_pwrite64, SYS_pwrite64, "pwrite64"},
      {kNR_readv, SYS_readv, "readv"},
      {kNR_writev, SYS_writev, "writev"},
      {kNR_access, SYS_access, "access"},
      {kNR_pipe, SYS_pipe, "pipe"},
      {kNR_select, SYS_select, "select"},
      {kNR_sched_yield, SYS_sched_yield, "sched_yield"},
      {kNR_mremap, SYS_mremap, "mremap"},
      {kNR_msync, SYS_msync, "msync"},
      {kNR_mincore, SYS_mincore, "mincore"},
      {kNR_madvise, SYS_madvise, "madvise"},
      {kNR_shmget, SYS_shmget, "shmget"},
      {kNR_shmat, SYS_shmat, "shmat"},
      {kNR_shmctl, SYS_shmctl, "shmctl"},
      {kNR_dup, SYS_dup, "dup"},
      {kNR_dup2, SYS_dup2, "dup2"},
      {kNR_pause, SYS_pause, "pause"},
      {kNR_nanosleep, SYS_nanosleep, "nanosleep"},
      {kNR_getitimer, SYS_getitimer, "getitimer"},
      {kNR_alarm, SYS_alarm, "alarm"},
      {kNR_setitimer, SYS_setitimer, "setitimer"},
      {kNR_getpid, SYS_getpid, "getpid"},
      {kNR_sendfile, SYS_sendfile, "sendfile"},
      {kNR_socket, SYS_socket, "socket"},
      {kNR_connect, SYS_connect, "connect"},
      {kNR_accept, SYS_accept, "accept"},
      {kNR_sendto, SYS_sendto, "sendto"},
      {kNR_recvfrom, SYS_recvfrom, "recvfrom"},
      {kNR_sendmsg, SYS_sendmsg, "sendmsg"},
      {kNR_recvmsg, SYS_recvmsg, "recvmsg"},
      {kNR_shutdown, SYS_shutdown, "shutdown"},
      {kNR_bind, SYS_bind, "bind"},
      {kNR_listen, SYS_listen, "listen"},
      {kNR_getsockname, SYS_getsockname, "getsockname"},
      {kNR_getpeername, SYS_getpeername, "getpeername"},
      {kNR_socketpair, SYS_socketpair, "socketpair"},
      {kNR_setsockopt, SYS_setsockopt, "setsockopt"},
      {kNR_getsockopt, SYS_getsockopt, "getsockopt"},
      {kNR_clone, SYS_clone, "clone"},
      {kNR_fork, SYS_fork, "fork"},
      {kNR_vfork, SYS_vfork, "vfork"},
      {kNR_execve, SYS_execve, "execve"},
      {kNR_exit, SYS_exit, "exit"},
      {kNR_wait4, SYS_wait4, "wait4"},
      {kNR_kill, SYS_kill, "kill"},
      {kNR_uname, SYS_uname, "uname"},
      {kNR_semget, SYS_semget, "semget"},
      {kNR_semop, SYS_semop, "semop"},
      {kNR_semctl, SYS_semctl, "semctl"},
      {kNR_shmdt, SYS_shmdt, "shmdt"},
      {kNR_msgget, SYS_msgget, "msgget"},
      {kNR_msgsnd, SYS_msgsnd, "msgsnd"},
      {kNR_msgrcv, SYS_msgrcv, "msgrcv"},
      {kNR_msgctl, SYS_msgctl, "msgctl"},
      {kNR_fcntl, SYS_fcntl, "fcntl"},
      {kNR_flock, SYS_flock, "flock"},
      {kNR_fsync, SYS_fsync, "fsync"},
      {kNR_fdatasync, SYS_fdatasync, "fdatasync"},
      {kNR_truncate, SYS_truncate, "truncate"},
      {kNR_ftruncate, SYS_ftruncate, "ftruncate"},
      {kNR_getdents, SYS_getdents, "getdents"},
      {kNR_getcwd, SYS_getcwd, "getcwd"},
      {kNR_chdir, SYS_chdir, "chdir"},
      {kNR_fchdir, SYS_fchdir, "fchdir"},
      {kNR_rename, SYS_rename, "rename"},
      {kNR_mkdir, SYS_mkdir, "mkdir"},
      {kNR_rmdir, SYS_rmdir, "rmdir"},
      {kNR_creat, SYS_creat, "creat"},
      {kNR_link, SYS_link, "link"},
      {kNR_unlink, SYS_unlink, "unlink"},
      {kNR_symlink, SYS_symlink, "symlink"},
      {kNR_readlink, SYS_readlink, "readlink"},
      {kNR_chmod, SYS_chmod, "chmod"},
      {kNR_fchmod, SYS_fchmod, "fchmod"},
      {kNR_chown, SYS_chown, "chown"},
      {kNR_fchown, SYS_fchown, "fchown"},
      {kNR_lchown, SYS_lchown, "lchown"},
      {kNR_umask, SYS_umask, "umask"},
      {kNR_gettimeofday, SYS_gettimeofday, "gettimeofday"},
      {kNR_getrlimit, SYS_getrlimit, "getrlimit"},
      {kNR_getrusage, SYS_getrusage, "getrusage"},
      {kNR_sysinfo, SYS_sysinfo, "sysinfo"},
      {kNR_times, SYS_times, "times"},
      {kNR_ptrace, SYS_ptrace, "ptrace"},
      {kNR_getuid, SYS_getuid, "getuid"},
      {kNR_syslog, SYS_syslog, "syslog"},
      {kNR_getgid, SYS_getgid, "getgid"},
      {kNR_setuid, SYS_setuid, "setuid"},
      {kNR_setgid, SYS_setgid, "setgid"},
      {kNR_geteuid, SYS_geteuid, "geteuid"},
      {kNR_getegid, SYS_getegid, "getegid"},
      {kNR_setpgid, SYS_setpgid, "setpgid"},
      {kNR_getppid, SYS_getppid, "getppid"},
      {kNR_getpgrp, SYS_getpgrp, "getpgrp"},
      {kNR_setsid, SYS_setsid, "setsid"},
      {kNR_setreuid, SYS_setreuid, "setreuid"},
      {kNR_setregid, SYS_setregid, "setregid"},
      {kNR_getgroups, SYS_getgroups, "getgroups"},
      {kNR_setgroups, SYS_setgroups, "setgroups"},
      {kNR_setresuid, SYS_setresuid, "setresuid"},
      {kNR_getresuid, SYS_getresuid, "getresuid"},
      {kNR_setresgid, SYS_setresgid, "setresgid"},
      {kNR_getresgid, SYS_getresgid, "getresgid"},
      {kNR_getpgid, SYS_getpgid, "getpgid"},
      {kNR_setfsuid, SYS_setfsuid, "setfsuid"},
      {kNR_setfsgid, SYS_setfsgid, "setfsgid"},
      {kNR_getsid, SYS_getsid, "getsid"},
      {kNR_capget, SYS_capget, "capget"},
      {kNR_capset, SYS_capset, "capset"},
      {kNR_rt_sigpending, SYS_rt_sigpending, "rt_sigpending"},
      {kNR_rt_sigtimedwait, SYS_rt_sigtimedwait, "rt_sigtimedwait"},
      {kNR_rt_sigqueueinfo, SYS_rt_sigqueueinfo, "rt_sigqueueinfo"},
      {kNR_rt_sigsuspend, SYS_rt_sigsuspend, "rt_sigsuspend"},
      {kNR_sigaltstack, SYS_sigaltstack, "sigaltstack"},
      {kNR_utime, SYS_utime, "utime"},
      {kNR_mknod, SYS_mknod, "mknod"},
      {kNR_uselib, SYS_uselib, "uselib"},
      {kNR_personality, SYS_personality, "personality"},
      {kNR_ustat, SYS_ustat, "ustat"},
      {kNR_statfs, SYS_statfs, "statfs"},
      {kNR_fstatfs, SYS_fstatfs, "fstatfs"},
      {kNR_sysfs, SYS_sysfs, "sysfs"},
      {kNR_getpriority, SYS_getpriority, "getpriority"},
      {kNR_setpriority, SYS_setpriority, "setpriority"},
      {kNR_sched_setparam, SYS_sched_setparam, "sched_setparam"},
      {kNR_sched_getparam, SYS_sched_getparam, "sched_getparam"},
      {kNR_sched_setscheduler, SYS_sched_setscheduler, "sched_setscheduler"},
      {kNR_sched_getscheduler, SYS_sched_getscheduler, "sched_getscheduler"},
      {kNR_sched_get_priority_max, SYS_sched_get_priority_max, "sched_get_priority_max"},
      {kNR_sched_get_priority_min, SYS_sched_get_priority_min, "sched_get_priority_min"},
      {kNR_sched_rr_get_interval, SYS_sched_rr_get_interval, "sched_rr_get_interval"},
      {kNR_mlock, SYS_mlock, "mlock"},
      {kNR_munlock, SYS_munlock, "munlock"},
      {kNR_mlockall, SYS_mlockall, "mlockall"},
      {kNR_munlockall, SYS_munlockall, "munlockall"},
      {kNR_vhangup, SYS_vhangup, "vhangup"},
      {kNR_modify_ldt, SYS_modify_ldt, "modify_ldt"},
      {kNR_pivot_root, SYS_pivot_root, "pivot_root"},
      {kNR__sysctl, SYS__sysctl, "_sysctl"},
      {kNR_prctl, SYS_prctl, "prctl"},
      {kNR_arch_prctl, SYS_arch_prctl, "arch_prctl"},
      {kNR_adjtimex, SYS_adjtimex, "adjtimex"},
      {kNR_setrlimit, SYS_setrlimit, "setrlimit"},
      {kNR_chroot, SYS_chroot, "chroot"},
      {kNR_sync, SYS_sync, "sync"},
      {kNR_acct, SYS_acct, "acct"},
      {kNR_settimeofday, SYS_settimeofday, "settimeofday"},
      {kNR_mount, SYS_mount, "mount"},
      {kNR_umount2, SYS_umount2, "umount2"},
      {kNR_swapon, SYS_swapon, "swapon"},
      {kNR_swapoff, SYS_swapoff, "swapoff"},
      {kNR_reboot, SYS_reboot, "reboot"},
      {kNR_sethostname, SYS_sethostname, "sethostname"},
      {kNR_setdomainname, SYS_setdomainname, "setdomainname"},
      {kNR_iopl, SYS_iopl, "iopl"},
      {kNR_ioperm, SYS_ioperm, "ioperm"},
      {kNR_create_module, SYS_create_module, "create_module"},
      {kNR_init_module, SYS_init_module, "init_module"},
      {kNR_delete_module, SYS_delete_module, "delete_module"},
      {kNR_get_kernel_syms, SYS_get_kernel_syms, "get_kernel_syms"},
      {kNR_query_module, SYS_query_module, "query_module"},
      {kNR_quotactl, SYS_quotactl, "quotactl"},
      {kNR_nfsservctl, SYS_nfsservctl, "nfsservctl"},
      {kNR_getpmsg, SYS_getpmsg, "getpmsg"},
      {kNR_putpmsg, SYS_putpmsg, "putpmsg"},
      {kNR_afs_syscall, SYS_afs_syscall, "afs_syscall"},
      {kNR_tuxcall, SYS_tuxcall, "tuxcall"},
      {kNR_security, SYS_security, "security"},
      {kNR_gettid, SYS_gettid, "gettid"},
      {kNR_readahead, SYS_readahead, "readahead"},
      {kNR_setxattr, SYS_setxattr, "setxattr"},
      {kNR_lsetxattr, SYS_lsetxattr, "lsetxattr"},
      {kNR_fsetxattr, SYS_fsetxattr, "fsetxattr"},
      {kNR_getxattr, SYS_getxattr, "getxattr"},
      {kNR_lgetxattr, SYS_lgetxattr, "lgetxattr"},
      {kNR_fgetxattr, SYS_fgetxattr, "fgetxattr"},
      {kNR_listxattr, SYS_listxattr, "listxattr"},
      {kNR_llistxattr, SYS_llistxattr, "llistxattr"},
      {kNR_flistxattr, SYS_flistxattr, "flistxattr"},
      {kNR_removexattr, SYS_removexattr, "removexattr"},
      {kNR_lremovexattr, SYS_lremovexattr, "lremovexattr"},
      {kNR_fremovexattr, SYS_fremovexattr, "fremovexattr"},
      {kNR_tkill, SYS_tkill, "tkill"},
      {kNR_time, SYS_time, "time"},
      {kNR_futex, SYS_futex, "futex"},
      {kNR_sched_setaffinity, SYS_sched_setaffinity, "sched_setaffinity"},
      {kNR_sched_getaffinity, SYS_sched_getaffinity, "sched_getaffinity"},
      {kNR_set_thread_area, SYS_set_thread_area, "set_thread_area"},
      {kNR_io_setup, SYS_io_setup, "io_setup"},
      {kNR_io_destroy, SYS_io_destroy, "io_destroy"},
      {kNR_io_getevents, SYS_io_getevents, "io_getevents"},
      {kNR_io_submit, SYS_io_submit, "io_submit"},
      {kNR_io_cancel, SYS_io_cancel, "io_cancel"},
      {kNR_get_thread_area, SYS_get_thread_area, "get_thread_area"},
      {kNR_lookup_dcookie, SYS_lookup_dcookie, "lookup_dcookie"},
      {kNR_epoll_create, SYS_epoll_create, "epoll_create"},
      {kNR_epoll_ctl_old, SYS_epoll_ctl_old, "epoll_ctl_old"},
      {kNR_epoll_wait_old, SYS_epoll_wait_old, "epoll_wait_old"},
      {kNR_remap_file_pages, SYS_remap_file_pages, "remap_file_pages"},
      {kNR_getdents64, SYS_getdents64, "getdents64"},
      {kNR_set_tid_address, SYS_set_tid_address, "set_tid_address"},
      {kNR_restart_syscall, SYS_restart_syscall, "restart_syscall"},
      {kNR_semtimedop, SYS_semtimedop, "semtimedop"},
      {kNR_fadvise64, SYS_fadvise64, "fadvise64"},
      {kNR_timer_create, SYS_timer_create, "timer_create"},
      {kNR_timer_settime, SYS_timer_settime, "timer_settime"},
      {kNR_timer_gettime, SYS_timer_gettime, "timer_gettime"},
      {kNR_timer_getoverrun, SYS_timer_getoverrun, "timer_getoverrun"},
      {kNR_timer_delete, SYS_timer_delete, "timer_delete"},
      {kNR_clock_settime, SYS_clock_settime, "clock_settime"},
      {kNR_clock_gettime, SYS_clock_gettime, "clock_gettime"},
      {kNR_clock_getres, SYS_clock_getres, "clock_getres"},
      {kNR_clock_nanosleep, SYS_clock_nanosleep, "clock_nanosleep"},
      {kNR_exit_group, SYS_exit_group, "exit_group"},
      {kNR_epoll_wait, SYS_epoll_wait, "epoll_wait"},
      {kNR_epoll_ctl, SYS_epoll_ctl, "epoll_ctl"},
      {kNR_tgkill, SYS_tgkill, "tgkill"},
      {kNR_utimes, SYS_utimes, "utimes"},
      {kNR_vserver, SYS_vserver, "vserver"},
      {kNR_mbind, SYS_mbind, "mbind"},
      {kNR_set_mempolicy, SYS_set_mempolicy, "set_mempolicy"},
      {kNR_get_mempolicy, SYS_get_mempolicy, "get_mempolicy"},
      {kNR_mq_open, SYS_mq_open, "mq_open"},
      {kNR_mq_unlink, SYS_mq_unlink, "mq_unlink"},
      {kNR_mq_timedsend, SYS_mq_timedsend, "mq_timedsend"},
      {kNR_mq_timedreceive, SYS_mq_timedreceive, "mq_timedreceive"},
      {kNR_mq_notify, SYS_mq_notify, "mq_notify"},
      {kNR_mq_getsetattr, SYS_mq_getsetattr, "mq_getsetattr"},
      {kNR_kexec_load, SYS_kexec_load, "kexec_load"},
      {kNR_waitid, SYS_waitid, "waitid"},
      {kNR_add_key, SYS_add_key, "add_key"},
      {kNR_request_key, SYS_request_key, "request_key"},
      {kNR_keyctl, SYS_keyctl, "keyctl"},
      {kNR_ioprio_set, SYS_ioprio_set, "ioprio_set"},
      {kNR_ioprio_get, SYS_ioprio_get, "ioprio_get"},
      {kNR_inotify_init, SYS_inotify_init, "inotify_init"},
      {kNR_inotify_add_watch, SYS_inotify_add_watch, "inotify_add_watch"},
      {kNR_inotify_rm_watch, SYS_inotify_rm_watch, "inotify_rm_watch"},
      {kNR_migrate_pages, SYS_migrate_pages, "migrate_pages"},
      {kNR_openat, SYS_openat, "openat"},
      {kNR_mkdirat, SYS_mkdirat, "mkdirat"},
      {kNR_mknodat, SYS_mknodat, "mknodat"},
      {kNR_fchownat, SYS_fchownat, "fchownat"},
      {kNR_futimesat, SYS_futimesat, "futimesat"},
      {kNR_newfstatat, SYS_newfstatat, "newfstatat"},
      {kNR_unlinkat, SYS_unlinkat, "unlinkat"},
      {kNR_renameat, SYS_renameat, "renameat"},
      {kNR_linkat, SYS_linkat, "linkat"},
      {kNR_symlinkat, SYS_symlinkat, "symlinkat"},
      {kNR_readlinkat, SYS_readlinkat, "readlinkat"},
      {kNR_fchmodat, SYS_fchmodat, "fchmodat"},
      {kNR_faccessat, SYS_faccessat, "faccessat"},
      {kNR_pselect6, SYS_pselect6, "pselect6"},
      {kNR_ppoll, SYS_ppoll, "ppoll"},
      {kNR_unshare, SYS_unshare, "unshare"},
      {kNR_set_robust_list, SYS_set_robust_list, "set_robust_list"},
      {kNR_get_robust_list, SYS_get_robust_list, "get_robust_list"},
      {kNR_splice, SYS_splice, "splice"},
      {kNR_tee, SYS_tee, "tee"},
      {kNR_sync_file_range, SYS_sync_file_range, "sync_file_range"},
      {kNR_vmsplice, SYS_vmsplice, "vmsplice"},
      {kNR_move_pages, SYS_move_pages, "move_pages"},
      {kNR_utimensat, SYS_utimensat, "utimensat"},
      {kNR_epoll_pwait, SYS_epoll_pwait, "epoll_pwait"},
      {kNR_signalfd, SYS_signalfd, "signalfd"},
      {kNR_timerfd_create, SYS_timerfd_create, "timerfd_create"},
      {kNR_eventfd, SYS_eventfd, "eventfd"},
      {kNR_fallocate, SYS_fallocate, "fallocate"},
      {kNR_timerfd_settime, SYS_timerfd_settime, "timerfd_settime"},
      {kNR_timerfd_gettime, SYS_timerfd_gettime, "timerfd_gettime"},
      {kNR_accept4, SYS_accept4, "accept4"},
      {kNR_signalfd4, SYS_signalfd4, "signalfd4"},
      {kNR_eventfd2, SYS_eventfd2, "eventfd2"},
      {kNR_epoll_create1, SYS_epoll_create1, "epoll_create1"},
      {kNR_dup3, SYS_dup3, "dup3"},
      {kNR_pipe2, SYS_pipe2, "pipe2"},
      {kNR_inotify_init1, SYS_inotify_init1, "inotify_init1"},
      {kNR_preadv, SYS_preadv, "preadv"},
      {kNR_pwritev, SYS_pwritev, "pwritev"},
      {kNR_rt_tgsigqueueinfo, SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo"},
      {kNR_perf_event_open, SYS_perf_event_open, "perf_event_open"},
      {kNR_recvmmsg, SYS_recvmmsg, "recvmmsg"},
      {kNR_fanotify_init, SYS_fanotify_init, "fanotify_init"},
      {kNR_fanotify_mark, SYS_fanotify_mark, "fanotify_mark"},
      {kNR_prlimit64, SYS_prlimit64, "prlimit64"},
      {kNR_name_to_handle_at, SYS_name_to_handle_at, "name_to_handle_at"},
      {kNR_open_by_handle_at, SYS_open_by_handle_at, "open_by_handle_at"},
      {kNR_clock_adjtime, SYS_clock_adjtime, "clock_adjtime"},
      {kNR_syncfs, SYS_syncfs, "syncfs"},
      {kNR_sendmmsg, SYS_sendmmsg, "sendmmsg"},
      {kNR_setns, SYS_setns, "setns"},
      {kNR_getcpu, SYS_getcpu, "getcpu"},
      {kNR_process_vm_readv, SYS_process_vm_readv, "process_vm_readv"},
      {kNR_process_vm_writev, SYS_process_vm_writev, "process_vm_writev"},
      {kNR_kcmp, SYS_kcmp, "kcmp"},
      {kNR_finit_module, SYS_finit_module, "finit_module"},
      {kNR_sched_setattr, SYS_sched_setattr, "sched_setattr"},
      {kNR_sched_getattr, SYS_sched_getattr, "sched_getattr"},
      {kNR_renameat2, SYS_renameat2, "renameat2"},
      {kNR_seccomp, SYS_seccomp, "seccomp"},
      {kNR_getrandom, SYS_getrandom, "getrandom"},
      {kNR_memfd_create, SYS_memfd_create, "memfd_create"},
      {kNR_kexec_file_load, SYS_kexec_file_load, "kexec_file_load"},
      {kNR_bpf, SYS_bpf, "bpf"},
      {kNR_execveat, SYS_execveat, "execveat"},
      {kNR_userfaultfd, SYS_userfaultfd, "userfaultfd"},
      {kNR_membarrier, SYS_membarrier, "membarrier"},
      {kNR_mlock2, SYS_mlock2, "mlock2"},
      {kNR_copy_file_range, SYS_copy_file_range, "copy_file_range"},
      {kNR_preadv2, SYS_preadv2, "preadv2"},
      {kNR_pwritev2, SYS_pwritev2, "pwritev2"},
      {kNR_pkey_mprotect, SYS_pkey_mprotect, "pkey_mprotect"},
      {kNR_pkey_alloc, SYS_pkey_alloc, "pkey_alloc"},
      {kNR_pkey_free, SYS_pkey_free, "pkey_free"},
      {kNR_statx, SYS_statx, "statx"},
      {kNR_io_pgetevents, SYS_io_pgetevents, "io_pgetevents"},
      {kNR_rseq, SYS_rseq, "rseq"},
      {kNR_pidfd_send_signal, SYS_pidfd_send_signal, "pidfd_send_signal"},
      {kNR_io_uring_setup, SYS_io_uring_setup, "io_uring_setup"},
      {kNR_io_uring_enter, SYS_io_uring_enter, "io_uring_enter"},
      {kNR_io_uring_register, SYS_io_uring_register, "io_uring_register"},
      {kNR_open_tree, SYS_open_tree, "open_tree"},
      {kNR_move_mount, SYS_move_mount, "move_mount"},
      {kNR_fsopen, SYS_fsopen, "fsopen"},
      {kNR_fsconfig, SYS_fsconfig, "fsconfig"},
      {kNR_fsmount, SYS_fsmount, "fsmount"},
      {kNR_fspick, SYS_fspick, "fspick"},
      {kNR_pidfd_open, SYS_pidfd_open, "pidfd_open"},
      {kNR_clone3, SYS_clone3, "clone3"},
      {kNR_close_range, SYS_close_range, "close_range"},
      {kNR_openat2, SYS_openat2, "openat2"},
      {kNR_pidfd_getfd, SYS_pidfd_getfd, "pidfd_getfd"},
      {kNR_faccessat2, SYS_faccessat2, "faccessat2"},
      {kNR_process_madvise, SYS_process_madvise, "process_madvise"},
      {kNR_epoll_pwait2, SYS_epoll_pwait2, "epoll_pwait2"},
      {kNR_mount_setattr, SYS_mount_setattr, "mount_setattr"},
      {kNR_quotactl_fd, SYS_quotactl_fd, "quotactl_fd"},
      {kNR_landlock_create_ruleset, SYS_landlock_create_ruleset, "landlock_create_ruleset"},
      {kNR_landlock_add_rule, SYS_landlock_add_rule, "landlock_add_rule"},
      {kNR_landlock_restrict_self, SYS_landlock_restrict_self, "landlock_restrict_self"},
      {kNR_memfd_secret, SYS_memfd_secret, "memfd_secret"},
      {kNR_process_mrelease, SYS_process_mrelease, "process_mrelease"},
      {kNR_futex_waitv, SYS_futex_waitv, "futex_waitv"},
      {kNR_set_mempolicy_home_node, SYS_set_mempolicy_home_node, "set_mempolicy_home_node"},
  };
  EXPECT_EQ(std::size(kRows), static_cast<std::size_t>(kNumSyscalls));
  for (const NrRow& row : kRows) {
    EXPECT_EQ(row.ours, row.host) << row.name;
    EXPECT_EQ(SyscallName(row.ours), row.name);
    EXPECT_EQ(SyscallNumber(row.name), row.ours);
  }
}

TEST(SyscallsTest, Names) {
  EXPECT_EQ(SyscallName(0), "read");
  EXPECT_EQ(SyscallName(kNR_rt_sigaction), "rt_sigaction");
  EXPECT_EQ(SyscallName(kNR_clone3), "clone3");
  EXPECT_EQ(SyscallName(kSyscallTableSize - 1), "set_mempolicy_home_node");
  EXPECT_EQ(SyscallName(kSyscallTableSize), "");
  EXPECT_EQ(SyscallName(100000), "");
  EXPECT_EQ(SyscallName(-1), "");
  EXPECT_EQ(SyscallName(335), "");  // Between 334 (rseq) and 424 (pidfd_send_signal).
  EXPECT_EQ(SyscallName(423), "");
  EXPECT_EQ(SyscallNumber("no_such_syscall"), -1);
  EXPECT_EQ(SyscallNumber(""), -1);
  static_assert(SyscallName(kNR_openat) == "openat");
  static_assert(SyscallNumber("exit_group") == kNR_exit_group);
  int named = 0;
  for (int nr = 0; nr < kSyscallTableSize; ++nr) named += !SyscallName(nr).empty();
  EXPECT_EQ(named, kNumSyscalls);
}

// ---- errno.h ----

TEST(ErrnoTest, ValuesMatchHost) {
  EXPECT_ABI(EPERM);
  EXPECT_ABI(ENOENT);
  EXPECT_ABI(EINTR);
  EXPECT_ABI(EAGAIN);
  EXPECT_ABI(EWOULDBLOCK);
  EXPECT_ABI(EDEADLK);
  EXPECT_ABI(EDEADLOCK);
  EXPECT_ABI(ENOSYS);
  EXPECT_ABI(ELOOP);
  EXPECT_ABI(EOPNOTSUPP);
  EXPECT_ABI(ENOTRECOVERABLE);
  EXPECT_ABI(EHWPOISON);
  EXPECT_EQ(kMaxUserErrno, 133);
  EXPECT_EQ(kMaxErrno, 4095);
}

TEST(ErrnoTest, EveryNameMatchesHostLibc) {
  for (int e = 1; e <= kMaxUserErrno; ++e) {
    const char* host = strerrorname_np(e);
    EXPECT_EQ(ErrnoName(e), host == nullptr ? "" : std::string_view(host)) << e;
  }
}

TEST(ErrnoTest, Names) {
  EXPECT_EQ(ErrnoName(kEPERM), "EPERM");
  EXPECT_EQ(ErrnoName(kEHWPOISON), "EHWPOISON");
  EXPECT_EQ(ErrnoName(kEWOULDBLOCK), "EAGAIN");
  EXPECT_EQ(ErrnoName(41), "");
  EXPECT_EQ(ErrnoName(0), "");
  EXPECT_EQ(ErrnoName(-1), "");
  EXPECT_EQ(ErrnoName(134), "");
  EXPECT_EQ(ErrnoName(kERESTARTSYS), "ERESTARTSYS");
  EXPECT_EQ(ErrnoName(kERESTARTNOINTR), "ERESTARTNOINTR");
  EXPECT_EQ(ErrnoName(kERESTARTNOHAND), "ERESTARTNOHAND");
  EXPECT_EQ(ErrnoName(kENOIOCTLCMD), "ENOIOCTLCMD");
  EXPECT_EQ(ErrnoName(kERESTART_RESTARTBLOCK), "ERESTART_RESTARTBLOCK");
  EXPECT_EQ(ErrnoName(511), "");
  EXPECT_EQ(ErrnoName(517), "");
  EXPECT_EQ(kERESTARTSYS, 512);
  EXPECT_EQ(kERESTARTNOINTR, 513);
  EXPECT_EQ(kERESTARTNOHAND, 514);
  EXPECT_EQ(kENOIOCTLCMD, 515);
  EXPECT_EQ(kERESTART_RESTARTBLOCK, 516);
}

// ---- ptrace_regs.h ----

TEST(PtraceRegsTest, LayoutMatchesUserRegsStruct) {
  using Host = struct user_regs_struct;
  EXPECT_SAME_SIZE(PtRegs, Host);
  EXPECT_FIELD(PtRegs, Host, r15);
  EXPECT_FIELD(PtRegs, Host, r14);
  EXPECT_FIELD(PtRegs, Host, r13);
  EXPECT_FIELD(PtRegs, Host, r12);
  EXPECT_FIELD(PtRegs, Host, rbp);
  EXPECT_FIELD(PtRegs, Host, rbx);
  EXPECT_FIELD(PtRegs, Host, r11);
  EXPECT_FIELD(PtRegs, Host, r10);
  EXPECT_FIELD(PtRegs, Host, r9);
  EXPECT_FIELD(PtRegs, Host, r8);
  EXPECT_FIELD(PtRegs, Host, rax);
  EXPECT_FIELD(PtRegs, Host, rcx);
  EXPECT_FIELD(PtRegs, Host, rdx);
  EXPECT_FIELD(PtRegs, Host, rsi);
  EXPECT_FIELD(PtRegs, Host, rdi);
  EXPECT_FIELD(PtRegs, Host, orig_rax);
  EXPECT_FIELD(PtRegs, Host, rip);
  EXPECT_FIELD(PtRegs, Host, cs);
  EXPECT_FIELD(PtRegs, Host, eflags);
  EXPECT_FIELD(PtRegs, Host, rsp);
  EXPECT_FIELD(PtRegs, Host, ss);
  EXPECT_FIELD(PtRegs, Host, fs_base);
  EXPECT_FIELD(PtRegs, Host, gs_base);
  EXPECT_FIELD(PtRegs, Host, ds);
  EXPECT_FIELD(PtRegs, Host, es);
  EXPECT_FIELD(PtRegs, Host, fs);
  EXPECT_FIELD(PtRegs, Host, gs);
  EXPECT_EQ(kPtRegsOffsetOrigRax, offsetof(struct user, regs.orig_rax));
}

// ---- mman.h ----

TEST(MmanTest, ConstantsMatchHost) {
  EXPECT_ABI(PROT_NONE);
  EXPECT_ABI(PROT_READ);
  EXPECT_ABI(PROT_WRITE);
  EXPECT_ABI(PROT_EXEC);
  EXPECT_ABI(PROT_GROWSDOWN);
  EXPECT_ABI(PROT_GROWSUP);
  EXPECT_ABI(MAP_SHARED);
  EXPECT_ABI(MAP_PRIVATE);
  EXPECT_ABI(MAP_SHARED_VALIDATE);
  EXPECT_ABI(MAP_TYPE);
  EXPECT_ABI(MAP_FIXED);
  EXPECT_ABI(MAP_ANONYMOUS);
  EXPECT_ABI(MAP_32BIT);
  EXPECT_ABI(MAP_GROWSDOWN);
  EXPECT_ABI(MAP_DENYWRITE);
  EXPECT_ABI(MAP_EXECUTABLE);
  EXPECT_ABI(MAP_LOCKED);
  EXPECT_ABI(MAP_NORESERVE);
  EXPECT_ABI(MAP_POPULATE);
  EXPECT_ABI(MAP_NONBLOCK);
  EXPECT_ABI(MAP_STACK);
  EXPECT_ABI(MAP_HUGETLB);
  EXPECT_ABI(MAP_SYNC);
  EXPECT_ABI(MAP_FIXED_NOREPLACE);
  EXPECT_ABI(MAP_HUGE_SHIFT);
  EXPECT_ABI(MAP_HUGE_MASK);
  EXPECT_ABI(MREMAP_MAYMOVE);
  EXPECT_ABI(MREMAP_FIXED);
  EXPECT_ABI(MREMAP_DONTUNMAP);
  EXPECT_ABI(MADV_NORMAL);
  EXPECT_ABI(MADV_RANDOM);
  EXPECT_ABI(MADV_SEQUENTIAL);
  EXPECT_ABI(MADV_WILLNEED);
  EXPECT_ABI(MADV_DONTNEED);
  EXPECT_ABI(MADV_FREE);
  EXPECT_ABI(MADV_REMOVE);
  EXPECT_ABI(MADV_DONTFORK);
  EXPECT_ABI(MADV_DOFORK);
  EXPECT_ABI(MADV_MERGEABLE);
  EXPECT_ABI(MADV_UNMERGEABLE);
  EXPECT_ABI(MADV_HUGEPAGE);
  EXPECT_ABI(MADV_NOHUGEPAGE);
  EXPECT_ABI(MADV_DONTDUMP);
  EXPECT_ABI(MADV_DODUMP);
  EXPECT_ABI(MADV_WIPEONFORK);
  EXPECT_ABI(MADV_KEEPONFORK);
  EXPECT_ABI(MADV_COLD);
  EXPECT_ABI(MADV_PAGEOUT);
  EXPECT_ABI(MADV_POPULATE_READ);
  EXPECT_ABI(MADV_POPULATE_WRITE);
  EXPECT_ABI(MADV_HWPOISON);
  EXPECT_ABI(MS_ASYNC);
  EXPECT_ABI(MS_INVALIDATE);
  EXPECT_ABI(MS_SYNC);
  EXPECT_ABI(MCL_CURRENT);
  EXPECT_ABI(MCL_FUTURE);
  EXPECT_ABI(MCL_ONFAULT);
  EXPECT_ABI(MLOCK_ONFAULT);
  EXPECT_ABI(PKEY_DISABLE_ACCESS);
  EXPECT_ABI(PKEY_DISABLE_WRITE);
}

// ---- auxv.h ----

TEST(AuxvTest, ConstantsMatchHost) {
  EXPECT_ABI(AT_NULL);
  EXPECT_ABI(AT_IGNORE);
  EXPECT_ABI(AT_EXECFD);
  EXPECT_ABI(AT_PHDR);
  EXPECT_ABI(AT_PHENT);
  EXPECT_ABI(AT_PHNUM);
  EXPECT_ABI(AT_PAGESZ);
  EXPECT_ABI(AT_BASE);
  EXPECT_ABI(AT_FLAGS);
  EXPECT_ABI(AT_ENTRY);
  EXPECT_ABI(AT_NOTELF);
  EXPECT_ABI(AT_UID);
  EXPECT_ABI(AT_EUID);
  EXPECT_ABI(AT_GID);
  EXPECT_ABI(AT_EGID);
  EXPECT_ABI(AT_PLATFORM);
  EXPECT_ABI(AT_HWCAP);
  EXPECT_ABI(AT_CLKTCK);
  EXPECT_ABI(AT_SECURE);
  EXPECT_ABI(AT_BASE_PLATFORM);
  EXPECT_ABI(AT_RANDOM);
  EXPECT_ABI(AT_HWCAP2);
  EXPECT_ABI(AT_EXECFN);
  EXPECT_ABI(AT_SYSINFO);
  EXPECT_ABI(AT_SYSINFO_EHDR);
  EXPECT_ABI(AT_MINSIGSTKSZ);
#ifdef AT_RSEQ_FEATURE_SIZE
  EXPECT_ABI(AT_RSEQ_FEATURE_SIZE);
  EXPECT_ABI(AT_RSEQ_ALIGN);
#endif
  EXPECT_SAME_SIZE(AuxEntry, Elf64_auxv_t);
  EXPECT_SAME_FIELD(AuxEntry, Elf64_auxv_t, a_val, a_un.a_val);
}

// ---- elf.h ----

TEST(ElfTest, ConstantsMatchHost) {
  EXPECT_ABI(EI_NIDENT);
  EXPECT_ABI(EI_MAG0);
  EXPECT_ABI(EI_CLASS);
  EXPECT_ABI(EI_DATA);
  EXPECT_ABI(EI_VERSION);
  EXPECT_ABI(EI_OSABI);
  EXPECT_ABI(EI_ABIVERSION);
  EXPECT_ABI(EI_PAD);
  EXPECT_ABI(ELFMAG0);
  EXPECT_ABI(ELFMAG1);
  EXPECT_ABI(ELFMAG2);
  EXPECT_ABI(ELFMAG3);
  EXPECT_EQ(std::string_view(kELFMAG), std::string_view(ELFMAG));
  EXPECT_ABI(SELFMAG);
  EXPECT_ABI(ELFCLASS32);
  EXPECT_ABI(ELFCLASS64);
  EXPECT_ABI(ELFDATA2LSB);
  EXPECT_ABI(ELFDATA2MSB);
  EXPECT_ABI(EV_CURRENT);
  EXPECT_ABI(ELFOSABI_LINUX);
  EXPECT_ABI(ET_REL);
  EXPECT_ABI(ET_EXEC);
  EXPECT_ABI(ET_DYN);
  EXPECT_ABI(ET_CORE);
  EXPECT_ABI(EM_386);
  EXPECT_ABI(EM_X86_64);
  EXPECT_ABI(EM_AARCH64);
  EXPECT_ABI(PT_NULL);
  EXPECT_ABI(PT_LOAD);
  EXPECT_ABI(PT_DYNAMIC);
  EXPECT_ABI(PT_INTERP);
  EXPECT_ABI(PT_NOTE);
  EXPECT_ABI(PT_SHLIB);
  EXPECT_ABI(PT_PHDR);
  EXPECT_ABI(PT_TLS);
  EXPECT_ABI(PT_LOOS);
  EXPECT_ABI(PT_GNU_EH_FRAME);
  EXPECT_ABI(PT_GNU_STACK);
  EXPECT_ABI(PT_GNU_RELRO);
  EXPECT_ABI(PT_GNU_PROPERTY);
  EXPECT_ABI(PF_X);
  EXPECT_ABI(PF_W);
  EXPECT_ABI(PF_R);
  EXPECT_ABI(SHT_PROGBITS);
  EXPECT_ABI(SHT_SYMTAB);
  EXPECT_ABI(SHT_STRTAB);
  EXPECT_ABI(SHT_DYNAMIC);
  EXPECT_ABI(SHT_NOTE);
  EXPECT_ABI(SHT_NOBITS);
  EXPECT_ABI(SHT_DYNSYM);
  EXPECT_ABI(SHT_GNU_HASH);
  EXPECT_ABI(SHT_GNU_versym);
  EXPECT_ABI(SHF_ALLOC);
  EXPECT_ABI(SHN_UNDEF);
  EXPECT_ABI(SHN_ABS);
  EXPECT_ABI(SHN_XINDEX);
  EXPECT_ABI(STB_GLOBAL);
  EXPECT_ABI(STB_WEAK);
  EXPECT_ABI(STT_FUNC);
  EXPECT_ABI(STT_TLS);
  EXPECT_ABI(STT_GNU_IFUNC);
  EXPECT_ABI(STV_HIDDEN);
  EXPECT_ABI(DT_NULL);
  EXPECT_ABI(DT_NEEDED);
  EXPECT_ABI(DT_HASH);
  EXPECT_ABI(DT_STRTAB);
  EXPECT_ABI(DT_SYMTAB);
  EXPECT_ABI(DT_STRSZ);
  EXPECT_ABI(DT_SYMENT);
  EXPECT_ABI(DT_SONAME);
  EXPECT_ABI(DT_JMPREL);
  EXPECT_ABI(DT_FLAGS);
  EXPECT_ABI(DT_GNU_HASH);
  EXPECT_ABI(DT_VERSYM);
  EXPECT_ABI(DT_FLAGS_1);
  EXPECT_ABI(DT_VERDEF);
  EXPECT_ABI(DT_VERDEFNUM);
  EXPECT_ABI(DT_VERNEED);
  EXPECT_ABI(DT_VERNEEDNUM);
  EXPECT_ABI(NT_PRSTATUS);
  EXPECT_ABI(NT_PRFPREG);
  EXPECT_ABI(NT_PRPSINFO);
  EXPECT_ABI(NT_AUXV);
  EXPECT_ABI(NT_SIGINFO);
  EXPECT_ABI(NT_FILE);
  EXPECT_ABI(NT_PRXFPREG);
  EXPECT_ABI(NT_X86_XSTATE);
  EXPECT_ABI(NT_GNU_ABI_TAG);
  EXPECT_ABI(NT_GNU_BUILD_ID);
  EXPECT_ABI(NT_GNU_PROPERTY_TYPE_0);
  EXPECT_ABI(GNU_PROPERTY_X86_FEATURE_1_AND);
  EXPECT_ABI(GNU_PROPERTY_X86_FEATURE_1_IBT);
  EXPECT_ABI(GNU_PROPERTY_X86_FEATURE_1_SHSTK);
  EXPECT_EQ(Elf64StBind(0x12), ELF64_ST_BIND(0x12));
  EXPECT_EQ(Elf64StType(0x12), ELF64_ST_TYPE(0x12));
}

TEST(ElfTest, LayoutsMatchHost) {
  EXPECT_SAME_SIZE(Elf64Ehdr, Elf64_Ehdr);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_ident);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_type);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_machine);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_version);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_entry);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_phoff);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_shoff);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_flags);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_ehsize);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_phentsize);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_phnum);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_shentsize);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_shnum);
  EXPECT_FIELD(Elf64Ehdr, Elf64_Ehdr, e_shstrndx);
  EXPECT_SAME_SIZE(Elf64Phdr, Elf64_Phdr);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_type);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_flags);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_offset);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_vaddr);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_paddr);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_filesz);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_memsz);
  EXPECT_FIELD(Elf64Phdr, Elf64_Phdr, p_align);
  EXPECT_SAME_SIZE(Elf64Shdr, Elf64_Shdr);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_name);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_type);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_flags);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_addr);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_offset);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_size);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_link);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_info);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_addralign);
  EXPECT_FIELD(Elf64Shdr, Elf64_Shdr, sh_entsize);
  EXPECT_SAME_SIZE(Elf64Sym, Elf64_Sym);
  EXPECT_FIELD(Elf64Sym, Elf64_Sym, st_name);
  EXPECT_FIELD(Elf64Sym, Elf64_Sym, st_info);
  EXPECT_FIELD(Elf64Sym, Elf64_Sym, st_other);
  EXPECT_FIELD(Elf64Sym, Elf64_Sym, st_shndx);
  EXPECT_FIELD(Elf64Sym, Elf64_Sym, st_value);
  EXPECT_FIELD(Elf64Sym, Elf64_Sym, st_size);
  EXPECT_SAME_SIZE(Elf64Dyn, Elf64_Dyn);
  EXPECT_FIELD(Elf64Dyn, Elf64_Dyn, d_tag);
  EXPECT_FIELD(Elf64Dyn, Elf64_Dyn, d_un);
  EXPECT_FIELD(Elf64Dyn, Elf64_Dyn, d_un.d_val);
  EXPECT_FIELD(Elf64Dyn, Elf64_Dyn, d_un.d_ptr);
  EXPECT_SAME_SIZE(Elf64Rela, Elf64_Rela);
  EXPECT_FIELD(Elf64Rela, Elf64_Rela, r_offset);
  EXPECT_FIELD(Elf64Rela, Elf64_Rela, r_info);
  EXPECT_FIELD(Elf64Rela, Elf64_Rela, r_addend);
  EXPECT_SAME_SIZE(Elf64Nhdr, Elf64_Nhdr);
  EXPECT_FIELD(Elf64Nhdr, Elf64_Nhdr, n_namesz);
  EXPECT_FIELD(Elf64Nhdr, Elf64_Nhdr, n_descsz);
  EXPECT_FIELD(Elf64Nhdr, Elf64_Nhdr, n_type);
}

// ---- fcntl.h ----

TEST(FcntlTest, ConstantsMatchHost) {
  EXPECT_ABI(O_ACCMODE);
  EXPECT_ABI(O_RDONLY);
  EXPECT_ABI(O_WRONLY);
  EXPECT_ABI(O_RDWR);
  EXPECT_ABI(O_CREAT);
  EXPECT_ABI(O_EXCL);
  EXPECT_ABI(O_NOCTTY);
  EXPECT_ABI(O_TRUNC);
  EXPECT_ABI(O_APPEND);
  EXPECT_ABI(O_NONBLOCK);
  EXPECT_ABI(O_NDELAY);
  EXPECT_ABI(O_DSYNC);
  EXPECT_ABI(FASYNC);
  EXPECT_ABI(O_ASYNC);
  EXPECT_ABI(O_DIRECT);
  EXPECT_ABI(O_DIRECTORY);
  EXPECT_ABI(O_NOFOLLOW);
  EXPECT_ABI(O_NOATIME);
  EXPECT_ABI(O_CLOEXEC);
  EXPECT_ABI(O_SYNC);
  EXPECT_ABI(O_RSYNC);
  EXPECT_ABI(O_PATH);
  EXPECT_ABI(O_TMPFILE);
  EXPECT_EQ(kO_LARGEFILE, 0100000);  // glibc defines O_LARGEFILE as 0 on x86-64.
  EXPECT_ABI(AT_FDCWD);
  EXPECT_ABI(AT_SYMLINK_NOFOLLOW);
  EXPECT_ABI(AT_EACCESS);
  EXPECT_ABI(AT_REMOVEDIR);
  EXPECT_ABI(AT_SYMLINK_FOLLOW);
  EXPECT_ABI(AT_NO_AUTOMOUNT);
  EXPECT_ABI(AT_EMPTY_PATH);
  EXPECT_ABI(AT_STATX_SYNC_TYPE);
  EXPECT_ABI(AT_STATX_SYNC_AS_STAT);
  EXPECT_ABI(AT_STATX_FORCE_SYNC);
  EXPECT_ABI(AT_STATX_DONT_SYNC);
  EXPECT_ABI(AT_RECURSIVE);
  EXPECT_ABI(F_DUPFD);
  EXPECT_ABI(F_GETFD);
  EXPECT_ABI(F_SETFD);
  EXPECT_ABI(F_GETFL);
  EXPECT_ABI(F_SETFL);
  EXPECT_ABI(F_GETLK);
  EXPECT_ABI(F_SETLK);
  EXPECT_ABI(F_SETLKW);
  EXPECT_ABI(F_SETOWN);
  EXPECT_ABI(F_GETOWN);
  EXPECT_ABI(F_SETSIG);
  EXPECT_ABI(F_GETSIG);
  EXPECT_ABI(F_SETOWN_EX);
  EXPECT_ABI(F_GETOWN_EX);
  EXPECT_ABI(F_OFD_GETLK);
  EXPECT_ABI(F_OFD_SETLK);
  EXPECT_ABI(F_OFD_SETLKW);
  EXPECT_ABI(F_SETLEASE);
  EXPECT_ABI(F_GETLEASE);
  EXPECT_ABI(F_NOTIFY);
  EXPECT_ABI(F_DUPFD_CLOEXEC);
  EXPECT_ABI(F_SETPIPE_SZ);
  EXPECT_ABI(F_GETPIPE_SZ);
  EXPECT_ABI(F_ADD_SEALS);
  EXPECT_ABI(F_GET_SEALS);
  EXPECT_ABI(F_GET_RW_HINT);
  EXPECT_ABI(F_SET_RW_HINT);
  EXPECT_ABI(F_GET_FILE_RW_HINT);
  EXPECT_ABI(F_SET_FILE_RW_HINT);
  EXPECT_ABI(F_SEAL_SEAL);
  EXPECT_ABI(F_SEAL_SHRINK);
  EXPECT_ABI(F_SEAL_GROW);
  EXPECT_ABI(F_SEAL_WRITE);
  EXPECT_ABI(F_SEAL_FUTURE_WRITE);
  EXPECT_ABI(FD_CLOEXEC);
  EXPECT_ABI(F_OWNER_TID);
  EXPECT_ABI(F_OWNER_PID);
  EXPECT_ABI(F_OWNER_PGRP);
  EXPECT_ABI(F_RDLCK);
  EXPECT_ABI(F_WRLCK);
  EXPECT_ABI(F_UNLCK);
  EXPECT_ABI(F_EXLCK);
  EXPECT_ABI(F_SHLCK);
  EXPECT_ABI(LOCK_SH);
  EXPECT_ABI(LOCK_EX);
  EXPECT_ABI(LOCK_NB);
  EXPECT_ABI(LOCK_UN);
  EXPECT_ABI(DN_ACCESS);
  EXPECT_ABI(DN_MULTISHOT);
  EXPECT_ABI(RWH_WRITE_LIFE_EXTREME);
  EXPECT_ABI(RESOLVE_NO_XDEV);
  EXPECT_ABI(RESOLVE_NO_MAGICLINKS);
  EXPECT_ABI(RESOLVE_NO_SYMLINKS);
  EXPECT_ABI(RESOLVE_BENEATH);
  EXPECT_ABI(RESOLVE_IN_ROOT);
  EXPECT_ABI(RESOLVE_CACHED);
  EXPECT_ABI(RENAME_NOREPLACE);
  EXPECT_ABI(RENAME_EXCHANGE);
  EXPECT_ABI(RENAME_WHITEOUT);
  EXPECT_ABI(CLOSE_RANGE_UNSHARE);
  EXPECT_ABI(CLOSE_RANGE_CLOEXEC);
  EXPECT_ABI(S_IFMT);
  EXPECT_ABI(S_IFSOCK);
  EXPECT_ABI(S_IFLNK);
  EXPECT_ABI(S_IFREG);
  EXPECT_ABI(S_IFBLK);
  EXPECT_ABI(S_IFDIR);
  EXPECT_ABI(S_IFCHR);
  EXPECT_ABI(S_IFIFO);
  EXPECT_ABI(S_ISUID);
  EXPECT_ABI(S_ISGID);
  EXPECT_ABI(S_ISVTX);
  EXPECT_ABI(S_IRWXU);
  EXPECT_ABI(S_IRUSR);
  EXPECT_ABI(S_IWUSR);
  EXPECT_ABI(S_IXUSR);
  EXPECT_ABI(S_IRWXG);
  EXPECT_ABI(S_IRGRP);
  EXPECT_ABI(S_IWGRP);
  EXPECT_ABI(S_IXGRP);
  EXPECT_ABI(S_IRWXO);
  EXPECT_ABI(S_IROTH);
  EXPECT_ABI(S_IWOTH);
  EXPECT_ABI(S_IXOTH);
  EXPECT_ABI(UTIME_NOW);
  EXPECT_ABI(UTIME_OMIT);
  EXPECT_ABI(SEEK_SET);
  EXPECT_ABI(SEEK_CUR);
  EXPECT_ABI(SEEK_END);
  EXPECT_ABI(SEEK_DATA);
  EXPECT_ABI(SEEK_HOLE);
  EXPECT_ABI(F_OK);
  EXPECT_ABI(R_OK);
  EXPECT_ABI(W_OK);
  EXPECT_ABI(X_OK);
}

TEST(FcntlTest, LayoutsMatchHost) {
  using HostFlock = struct flock;
  EXPECT_SAME_SIZE(Flock, HostFlock);
  EXPECT_FIELD(Flock, HostFlock, l_type);
  EXPECT_FIELD(Flock, HostFlock, l_whence);
  EXPECT_FIELD(Flock, HostFlock, l_start);
  EXPECT_FIELD(Flock, HostFlock, l_len);
  EXPECT_FIELD(Flock, HostFlock, l_pid);
  using HostOwner = struct f_owner_ex;
  EXPECT_SAME_SIZE(FOwnerEx, HostOwner);
  EXPECT_FIELD(FOwnerEx, HostOwner, type);
  EXPECT_FIELD(FOwnerEx, HostOwner, pid);
  using HostHow = struct open_how;
  EXPECT_SAME_SIZE(OpenHow, HostHow);
  EXPECT_FIELD(OpenHow, HostHow, flags);
  EXPECT_FIELD(OpenHow, HostHow, mode);
  EXPECT_FIELD(OpenHow, HostHow, resolve);
}

// ---- stat.h ----

TEST(StatTest, ConstantsMatchHost) {
  EXPECT_ABI(STATX_TYPE);
  EXPECT_ABI(STATX_MODE);
  EXPECT_ABI(STATX_NLINK);
  EXPECT_ABI(STATX_UID);
  EXPECT_ABI(STATX_GID);
  EXPECT_ABI(STATX_ATIME);
  EXPECT_ABI(STATX_MTIME);
  EXPECT_ABI(STATX_CTIME);
  EXPECT_ABI(STATX_INO);
  EXPECT_ABI(STATX_SIZE);
  EXPECT_ABI(STATX_BLOCKS);
  EXPECT_ABI(STATX_BASIC_STATS);
  EXPECT_ABI(STATX_BTIME);
  EXPECT_ABI(STATX_ALL);
  EXPECT_ABI(STATX_MNT_ID);
  EXPECT_ABI(STATX__RESERVED);
  EXPECT_ABI(STATX_ATTR_COMPRESSED);
  EXPECT_ABI(STATX_ATTR_IMMUTABLE);
  EXPECT_ABI(STATX_ATTR_APPEND);
  EXPECT_ABI(STATX_ATTR_NODUMP);
  EXPECT_ABI(STATX_ATTR_ENCRYPTED);
  EXPECT_ABI(STATX_ATTR_AUTOMOUNT);
  EXPECT_ABI(STATX_ATTR_MOUNT_ROOT);
  EXPECT_ABI(STATX_ATTR_VERITY);
  EXPECT_ABI(STATX_ATTR_DAX);
#ifdef STATX_DIOALIGN
  EXPECT_ABI(STATX_DIOALIGN);
#endif
}

TEST(StatTest, StatMatchesHost) {
  using Host = struct stat;
  EXPECT_SAME_SIZE(Stat, Host);
  EXPECT_FIELD(Stat, Host, st_dev);
  EXPECT_FIELD(Stat, Host, st_ino);
  EXPECT_FIELD(Stat, Host, st_nlink);
  EXPECT_FIELD(Stat, Host, st_mode);
  EXPECT_FIELD(Stat, Host, st_uid);
  EXPECT_FIELD(Stat, Host, st_gid);
  EXPECT_FIELD(Stat, Host, st_rdev);
  EXPECT_FIELD(Stat, Host, st_size);
  EXPECT_FIELD(Stat, Host, st_blksize);
  EXPECT_FIELD(Stat, Host, st_blocks);
  EXPECT_FIELD(Stat, Host, st_atim);
  EXPECT_FIELD(Stat, Host, st_mtim);
  EXPECT_FIELD(Stat, Host, st_ctim);
  EXPECT_FIELD(Stat, Host, st_atim.tv_nsec);
  // With <sys/stat.h> included, libc's st_atime macro reads through our Timespec.
  Stat st{};
  st.st_atim.tv_sec = 42;
  st.st_mtim.tv_sec = 43;
  EXPECT_EQ(st.st_atime, 42);
  EXPECT_EQ(st.st_mtime, 43);
}

TEST(StatTest, StatxMatchesHost) {
  using Host = struct statx;
  using HostTs = struct statx_timestamp;
  EXPECT_SAME_SIZE(StatxTimestamp, HostTs);
  EXPECT_FIELD(StatxTimestamp, HostTs, tv_sec);
  EXPECT_FIELD(StatxTimestamp, HostTs, tv_nsec);
  EXPECT_SAME_SIZE(Statx, Host);
  EXPECT_FIELD(Statx, Host, stx_mask);
  EXPECT_FIELD(Statx, Host, stx_blksize);
  EXPECT_FIELD(Statx, Host, stx_attributes);
  EXPECT_FIELD(Statx, Host, stx_nlink);
  EXPECT_FIELD(Statx, Host, stx_uid);
  EXPECT_FIELD(Statx, Host, stx_gid);
  EXPECT_FIELD(Statx, Host, stx_mode);
  EXPECT_FIELD(Statx, Host, stx_ino);
  EXPECT_FIELD(Statx, Host, stx_size);
  EXPECT_FIELD(Statx, Host, stx_blocks);
  EXPECT_FIELD(Statx, Host, stx_attributes_mask);
  EXPECT_FIELD(Statx, Host, stx_atime);
  EXPECT_FIELD(Statx, Host, stx_btime);
  EXPECT_FIELD(Statx, Host, stx_ctime);
  EXPECT_FIELD(Statx, Host, stx_mtime);
  EXPECT_FIELD(Statx, Host, stx_rdev_major);
  EXPECT_FIELD(Statx, Host, stx_rdev_minor);
  EXPECT_FIELD(Statx, Host, stx_dev_major);
  EXPECT_FIELD(Statx, Host, stx_dev_minor);
  EXPECT_FIELD(Statx, Host, stx_mnt_id);
}

// ---- time.h ----

TEST(TimeTest, ConstantsMatchHost) {
  EXPECT_ABI(CLOCK_REALTIME);
  EXPECT_ABI(CLOCK_MONOTONIC);
  EXPECT_ABI(CLOCK_PROCESS_CPUTIME_ID);
  EXPECT_ABI(CLOCK_THREAD_CPUTIME_ID);
  EXPECT_ABI(CLOCK_MONOTONIC_RAW);
  EXPECT_ABI(CLOCK_REALTIME_COARSE);
  EXPECT_ABI(CLOCK_MONOTONIC_COARSE);
  EXPECT_ABI(CLOCK_BOOTTIME);
  EXPECT_ABI(CLOCK_REALTIME_ALARM);
  EXPECT_ABI(CLOCK_BOOTTIME_ALARM);
  EXPECT_ABI(CLOCK_TAI);
  EXPECT_ABI(TIMER_ABSTIME);
  EXPECT_ABI(ITIMER_REAL);
  EXPECT_ABI(ITIMER_VIRTUAL);
  EXPECT_ABI(ITIMER_PROF);
  EXPECT_ABI(ADJ_OFFSET);
  EXPECT_ABI(ADJ_FREQUENCY);
  EXPECT_ABI(ADJ_MAXERROR);
  EXPECT_ABI(ADJ_ESTERROR);
  EXPECT_ABI(ADJ_STATUS);
  EXPECT_ABI(ADJ_TIMECONST);
  EXPECT_ABI(ADJ_TAI);
  EXPECT_ABI(ADJ_SETOFFSET);
  EXPECT_ABI(ADJ_MICRO);
  EXPECT_ABI(ADJ_NANO);
  EXPECT_ABI(ADJ_TICK);
  EXPECT_ABI(ADJ_OFFSET_SINGLESHOT);
  EXPECT_ABI(ADJ_OFFSET_SS_READ);
  EXPECT_ABI(STA_PLL);
  EXPECT_ABI(STA_UNSYNC);
  EXPECT_ABI(STA_NANO);
  EXPECT_ABI(STA_CLK);
  EXPECT_ABI(TIME_OK);
  EXPECT_ABI(TIME_INS);
  EXPECT_ABI(TIME_DEL);
  EXPECT_ABI(TIME_OOP);
  EXPECT_ABI(TIME_WAIT);
  EXPECT_ABI(TIME_ERROR);
}

TEST(TimeTest, LayoutsMatchHost) {
  using HostTs = struct timespec;
  EXPECT_SAME_SIZE(Timespec, HostTs);
  EXPECT_FIELD(Timespec, HostTs, tv_sec);
  EXPECT_FIELD(Timespec, HostTs, tv_nsec);
  using HostTv = struct timeval;
  EXPECT_SAME_SIZE(Timeval, HostTv);
  EXPECT_FIELD(Timeval, HostTv, tv_sec);
  EXPECT_FIELD(Timeval, HostTv, tv_usec);
  using HostTz = struct timezone;
  EXPECT_SAME_SIZE(Timezone, HostTz);
  EXPECT_FIELD(Timezone, HostTz, tz_minuteswest);
  EXPECT_FIELD(Timezone, HostTz, tz_dsttime);
  using HostIts = struct itimerspec;
  EXPECT_SAME_SIZE(Itimerspec, HostIts);
  EXPECT_FIELD(Itimerspec, HostIts, it_interval);
  EXPECT_FIELD(Itimerspec, HostIts, it_value);
  using HostItv = struct itimerval;
  EXPECT_SAME_SIZE(Itimerval, HostItv);
  EXPECT_FIELD(Itimerval, HostItv, it_interval);
  EXPECT_FIELD(Itimerval, HostItv, it_value);
  using HostTms = struct tms;
  EXPECT_SAME_SIZE(Tms, HostTms);
  EXPECT_FIELD(Tms, HostTms, tms_utime);
  EXPECT_FIELD(Tms, HostTms, tms_stime);
  EXPECT_FIELD(Tms, HostTms, tms_cutime);
  EXPECT_FIELD(Tms, HostTms, tms_cstime);
  using HostTimex = struct timex;
  EXPECT_SAME_SIZE(Timex, HostTimex);
  EXPECT_FIELD(Timex, HostTimex, modes);
  EXPECT_FIELD(Timex, HostTimex, offset);
  EXPECT_FIELD(Timex, HostTimex, freq);
  EXPECT_FIELD(Timex, HostTimex, maxerror);
  EXPECT_FIELD(Timex, HostTimex, esterror);
  EXPECT_FIELD(Timex, HostTimex, status);
  EXPECT_FIELD(Timex, HostTimex, constant);
  EXPECT_FIELD(Timex, HostTimex, precision);
  EXPECT_FIELD(Timex, HostTimex, tolerance);
  EXPECT_FIELD(Timex, HostTimex, time);
  EXPECT_FIELD(Timex, HostTimex, tick);
  EXPECT_FIELD(Timex, HostTimex, ppsfreq);
  EXPECT_FIELD(Timex, HostTimex, jitter);
  EXPECT_FIELD(Timex, HostTimex, shift);
  EXPECT_FIELD(Timex, HostTimex, stabil);
  EXPECT_FIELD(Timex, HostTimex, jitcnt);
  EXPECT_FIELD(Timex, HostTimex, calcnt);
  EXPECT_FIELD(Timex, HostTimex, errcnt);
  EXPECT_FIELD(Timex, HostTimex, stbcnt);
  EXPECT_FIELD(Timex, HostTimex, tai);
}

TEST(TimeTest, CpuClockEncodingMatchesHostLibc) {
  // glibc's clock_getcpuclockid(pid) is MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED).
  clockid_t id;
  const pid_t pid = getpid();
  ASSERT_EQ(clock_getcpuclockid(pid, &id), 0);
  EXPECT_EQ(id, ((~pid) << 3) | kCPUCLOCK_SCHED);
  EXPECT_EQ(sysconf(_SC_CLK_TCK), kUSER_HZ);
}

// ---- utsname.h ----

TEST(UtsnameTest, LayoutMatchesHost) {
  using Host = struct utsname;
  EXPECT_SAME_SIZE(Utsname, Host);
  EXPECT_FIELD(Utsname, Host, sysname);
  EXPECT_FIELD(Utsname, Host, nodename);
  EXPECT_FIELD(Utsname, Host, release);
  EXPECT_FIELD(Utsname, Host, version);
  EXPECT_FIELD(Utsname, Host, machine);
  EXPECT_FIELD(Utsname, Host, domainname);
}

// ---- resource.h ----

TEST(ResourceTest, ConstantsMatchHost) {
  EXPECT_ABI(RLIMIT_CPU);
  EXPECT_ABI(RLIMIT_FSIZE);
  EXPECT_ABI(RLIMIT_DATA);
  EXPECT_ABI(RLIMIT_STACK);
  EXPECT_ABI(RLIMIT_CORE);
  EXPECT_ABI(RLIMIT_RSS);
  EXPECT_ABI(RLIMIT_NPROC);
  EXPECT_ABI(RLIMIT_NOFILE);
  EXPECT_ABI(RLIMIT_MEMLOCK);
  EXPECT_ABI(RLIMIT_AS);
  EXPECT_ABI(RLIMIT_LOCKS);
  EXPECT_ABI(RLIMIT_SIGPENDING);
  EXPECT_ABI(RLIMIT_MSGQUEUE);
  EXPECT_ABI(RLIMIT_NICE);
  EXPECT_ABI(RLIMIT_RTPRIO);
  EXPECT_ABI(RLIMIT_RTTIME);
  EXPECT_ABI(RLIM_NLIMITS);
  EXPECT_ABI(RLIM_INFINITY);
  EXPECT_ABI(RLIM64_INFINITY);
  EXPECT_ABI(RUSAGE_SELF);
  EXPECT_ABI(RUSAGE_CHILDREN);
  EXPECT_ABI(RUSAGE_THREAD);
  EXPECT_ABI(PRIO_MIN);
  EXPECT_ABI(PRIO_MAX);
  EXPECT_ABI(PRIO_PROCESS);
  EXPECT_ABI(PRIO_PGRP);
  EXPECT_ABI(PRIO_USER);
}

TEST(ResourceTest, LayoutsMatchHost) {
  using HostRlimit = struct rlimit;
  EXPECT_SAME_SIZE(Rlimit, HostRlimit);
  EXPECT_FIELD(Rlimit, HostRlimit, rlim_cur);
  EXPECT_FIELD(Rlimit, HostRlimit, rlim_max);
  using HostRlimit64 = struct rlimit64;
  EXPECT_SAME_SIZE(Rlimit64, HostRlimit64);
  EXPECT_FIELD(Rlimit64, HostRlimit64, rlim_cur);
  EXPECT_FIELD(Rlimit64, HostRlimit64, rlim_max);
  using Host = struct rusage;
  EXPECT_SAME_SIZE(Rusage, Host);
  EXPECT_FIELD(Rusage, Host, ru_utime);
  EXPECT_FIELD(Rusage, Host, ru_stime);
  EXPECT_FIELD(Rusage, Host, ru_maxrss);
  EXPECT_FIELD(Rusage, Host, ru_ixrss);
  EXPECT_FIELD(Rusage, Host, ru_idrss);
  EXPECT_FIELD(Rusage, Host, ru_isrss);
  EXPECT_FIELD(Rusage, Host, ru_minflt);
  EXPECT_FIELD(Rusage, Host, ru_majflt);
  EXPECT_FIELD(Rusage, Host, ru_nswap);
  EXPECT_FIELD(Rusage, Host, ru_inblock);
  EXPECT_FIELD(Rusage, Host, ru_oublock);
  EXPECT_FIELD(Rusage, Host, ru_msgsnd);
  EXPECT_FIELD(Rusage, Host, ru_msgrcv);
  EXPECT_FIELD(Rusage, Host, ru_nsignals);
  EXPECT_FIELD(Rusage, Host, ru_nvcsw);
  EXPECT_FIELD(Rusage, Host, ru_nivcsw);
}

// ---- uio.h ----

TEST(UioTest, MatchesHost) {
  using Host = struct iovec;
  EXPECT_SAME_SIZE(Iovec, Host);
  EXPECT_FIELD(Iovec, Host, iov_base);
  EXPECT_FIELD(Iovec, Host, iov_len);
  EXPECT_EQ(kUIO_MAXIOV, IOV_MAX);
  EXPECT_ABI(RWF_HIPRI);
  EXPECT_ABI(RWF_DSYNC);
  EXPECT_ABI(RWF_SYNC);
  EXPECT_ABI(RWF_NOWAIT);
  EXPECT_ABI(RWF_APPEND);
}

// ---- prctl.h ----

TEST(PrctlTest, ConstantsMatchHost) {
  EXPECT_ABI(ARCH_SET_GS);
  EXPECT_ABI(ARCH_SET_FS);
  EXPECT_ABI(ARCH_GET_FS);
  EXPECT_ABI(ARCH_GET_GS);
  EXPECT_ABI(ARCH_GET_CPUID);
  EXPECT_ABI(ARCH_SET_CPUID);
  EXPECT_ABI(ARCH_GET_XCOMP_SUPP);
  EXPECT_ABI(ARCH_GET_XCOMP_PERM);
  EXPECT_ABI(ARCH_REQ_XCOMP_PERM);
  EXPECT_ABI(ARCH_GET_XCOMP_GUEST_PERM);
  EXPECT_ABI(ARCH_REQ_XCOMP_GUEST_PERM);
  EXPECT_ABI(ARCH_MAP_VDSO_X32);
  EXPECT_ABI(ARCH_MAP_VDSO_32);
  EXPECT_ABI(ARCH_MAP_VDSO_64);
  EXPECT_ABI(PR_SET_PDEATHSIG);
  EXPECT_ABI(PR_GET_PDEATHSIG);
  EXPECT_ABI(PR_GET_DUMPABLE);
  EXPECT_ABI(PR_SET_DUMPABLE);
  EXPECT_ABI(PR_GET_UNALIGN);
  EXPECT_ABI(PR_SET_UNALIGN);
  EXPECT_ABI(PR_GET_KEEPCAPS);
  EXPECT_ABI(PR_SET_KEEPCAPS);
  EXPECT_ABI(PR_GET_FPEMU);
  EXPECT_ABI(PR_SET_FPEMU);
  EXPECT_ABI(PR_GET_FPEXC);
  EXPECT_ABI(PR_SET_FPEXC);
  EXPECT_ABI(PR_GET_TIMING);
  EXPECT_ABI(PR_SET_TIMING);
  EXPECT_ABI(PR_SET_NAME);
  EXPECT_ABI(PR_GET_NAME);
  EXPECT_ABI(PR_GET_ENDIAN);
  EXPECT_ABI(PR_SET_ENDIAN);
  EXPECT_ABI(PR_GET_SECCOMP);
  EXPECT_ABI(PR_SET_SECCOMP);
  EXPECT_ABI(PR_CAPBSET_READ);
  EXPECT_ABI(PR_CAPBSET_DROP);
  EXPECT_ABI(PR_GET_TSC);
  EXPECT_ABI(PR_SET_TSC);
  EXPECT_ABI(PR_GET_SECUREBITS);
  EXPECT_ABI(PR_SET_SECUREBITS);
  EXPECT_ABI(PR_SET_TIMERSLACK);
  EXPECT_ABI(PR_GET_TIMERSLACK);
  EXPECT_ABI(PR_TASK_PERF_EVENTS_DISABLE);
  EXPECT_ABI(PR_TASK_PERF_EVENTS_ENABLE);
  EXPECT_ABI(PR_MCE_KILL);
  EXPECT_ABI(PR_MCE_KILL_GET);
  EXPECT_ABI(PR_SET_MM);
  EXPECT_ABI(PR_SET_CHILD_SUBREAPER);
  EXPECT_ABI(PR_GET_CHILD_SUBREAPER);
  EXPECT_ABI(PR_SET_NO_NEW_PRIVS);
  EXPECT_ABI(PR_GET_NO_NEW_PRIVS);
  EXPECT_ABI(PR_GET_TID_ADDRESS);
  EXPECT_ABI(PR_SET_THP_DISABLE);
  EXPECT_ABI(PR_GET_THP_DISABLE);
  EXPECT_ABI(PR_MPX_ENABLE_MANAGEMENT);
  EXPECT_ABI(PR_MPX_DISABLE_MANAGEMENT);
  EXPECT_ABI(PR_SET_FP_MODE);
  EXPECT_ABI(PR_GET_FP_MODE);
  EXPECT_ABI(PR_CAP_AMBIENT);
  EXPECT_ABI(PR_SVE_SET_VL);
  EXPECT_ABI(PR_SVE_GET_VL);
  EXPECT_ABI(PR_GET_SPECULATION_CTRL);
  EXPECT_ABI(PR_SET_SPECULATION_CTRL);
  EXPECT_ABI(PR_PAC_RESET_KEYS);
  EXPECT_ABI(PR_SET_TAGGED_ADDR_CTRL);
  EXPECT_ABI(PR_GET_TAGGED_ADDR_CTRL);
  EXPECT_ABI(PR_SET_IO_FLUSHER);
  EXPECT_ABI(PR_GET_IO_FLUSHER);
  EXPECT_ABI(PR_SET_SYSCALL_USER_DISPATCH);
  EXPECT_ABI(PR_PAC_SET_ENABLED_KEYS);
  EXPECT_ABI(PR_PAC_GET_ENABLED_KEYS);
  EXPECT_ABI(PR_SCHED_CORE);
  EXPECT_ABI(PR_SME_SET_VL);
  EXPECT_ABI(PR_SME_GET_VL);
  EXPECT_ABI(PR_SET_PTRACER);
  EXPECT_ABI(PR_SET_PTRACER_ANY);
  EXPECT_ABI(PR_SET_VMA);
  EXPECT_ABI(PR_SET_VMA_ANON_NAME);
  EXPECT_ABI(PR_SET_MM_START_CODE);
  EXPECT_ABI(PR_SET_MM_END_CODE);
  EXPECT_ABI(PR_SET_MM_START_DATA);
  EXPECT_ABI(PR_SET_MM_END_DATA);
  EXPECT_ABI(PR_SET_MM_START_STACK);
  EXPECT_ABI(PR_SET_MM_START_BRK);
  EXPECT_ABI(PR_SET_MM_BRK);
  EXPECT_ABI(PR_SET_MM_ARG_START);
  EXPECT_ABI(PR_SET_MM_ARG_END);
  EXPECT_ABI(PR_SET_MM_ENV_START);
  EXPECT_ABI(PR_SET_MM_ENV_END);
  EXPECT_ABI(PR_SET_MM_AUXV);
  EXPECT_ABI(PR_SET_MM_EXE_FILE);
  EXPECT_ABI(PR_SET_MM_MAP);
  EXPECT_ABI(PR_SET_MM_MAP_SIZE);
  EXPECT_ABI(PR_CAP_AMBIENT_IS_SET);
  EXPECT_ABI(PR_CAP_AMBIENT_RAISE);
  EXPECT_ABI(PR_CAP_AMBIENT_LOWER);
  EXPECT_ABI(PR_CAP_AMBIENT_CLEAR_ALL);
  EXPECT_ABI(PR_SPEC_STORE_BYPASS);
  EXPECT_ABI(PR_SPEC_INDIRECT_BRANCH);
  EXPECT_ABI(PR_SPEC_L1D_FLUSH);
  EXPECT_ABI(PR_SPEC_PRCTL);
  EXPECT_ABI(PR_SPEC_ENABLE);
  EXPECT_ABI(PR_SPEC_DISABLE);
  EXPECT_ABI(PR_SPEC_FORCE_DISABLE);
  EXPECT_ABI(PR_SPEC_DISABLE_NOEXEC);
  EXPECT_ABI(PR_SYS_DISPATCH_OFF);
  EXPECT_ABI(PR_SYS_DISPATCH_ON);
  EXPECT_ABI(PR_SCHED_CORE_SHARE_FROM);
  EXPECT_ABI(PR_SCHED_CORE_SCOPE_PROCESS_GROUP);
  EXPECT_ABI(PR_UNALIGN_SIGBUS);
  EXPECT_ABI(PR_TSC_SIGSEGV);
  EXPECT_ABI(PR_MCE_KILL_DEFAULT);
  using Host = struct prctl_mm_map;
  EXPECT_SAME_SIZE(PrctlMmMap, Host);
  EXPECT_FIELD(PrctlMmMap, Host, start_code);
  EXPECT_FIELD(PrctlMmMap, Host, env_end);
  EXPECT_FIELD(PrctlMmMap, Host, auxv);
  EXPECT_FIELD(PrctlMmMap, Host, auxv_size);
  EXPECT_FIELD(PrctlMmMap, Host, exe_fd);
}

// ---- ioctl.h and termios.h ----

TEST(IoctlTest, EncodingMatchesHost) {
  EXPECT_EQ(IO('T', 0x41), _IO('T', 0x41));
  EXPECT_EQ(IOR('T', 0x30, 4), _IOR('T', 0x30, uint32_t));
  EXPECT_EQ(IOW('T', 0x31, 4), _IOW('T', 0x31, int32_t));
  EXPECT_EQ(IOWR('!', 0, 80), _IOWR('!', 0, char[80]));
  constexpr uint32_t kCmd = _IOWR('x', 0x12, char[300]);
  EXPECT_EQ(IOC_DIR(kCmd), _IOC_DIR(kCmd));
  EXPECT_EQ(IOC_TYPE(kCmd), _IOC_TYPE(kCmd));
  EXPECT_EQ(IOC_NR(kCmd), _IOC_NR(kCmd));
  EXPECT_EQ(IOC_SIZE(kCmd), _IOC_SIZE(kCmd));
  EXPECT_EQ(kIOC_READ, _IOC_READ);
  EXPECT_EQ(kIOC_WRITE, _IOC_WRITE);
  EXPECT_EQ(kIOC_NONE, _IOC_NONE);
}

TEST(TermiosTest, IoctlsMatchHost) {
  EXPECT_ABI(TCGETS);
  EXPECT_ABI(TCSETS);
  EXPECT_ABI(TCSETSW);
  EXPECT_ABI(TCSETSF);
  EXPECT_ABI(TCGETA);
  EXPECT_ABI(TCSETA);
  EXPECT_ABI(TCSETAW);
  EXPECT_ABI(TCSETAF);
  EXPECT_ABI(TCSBRK);
  EXPECT_ABI(TCXONC);
  EXPECT_ABI(TCFLSH);
  EXPECT_ABI(TIOCEXCL);
  EXPECT_ABI(TIOCNXCL);
  EXPECT_ABI(TIOCSCTTY);
  EXPECT_ABI(TIOCGPGRP);
  EXPECT_ABI(TIOCSPGRP);
  EXPECT_ABI(TIOCOUTQ);
  EXPECT_ABI(TIOCSTI);
  EXPECT_ABI(TIOCGWINSZ);
  EXPECT_ABI(TIOCSWINSZ);
  EXPECT_ABI(TIOCMGET);
  EXPECT_ABI(TIOCMBIS);
  EXPECT_ABI(TIOCMBIC);
  EXPECT_ABI(TIOCMSET);
  EXPECT_ABI(TIOCGSOFTCAR);
  EXPECT_ABI(TIOCSSOFTCAR);
  EXPECT_ABI(FIONREAD);
  EXPECT_ABI(TIOCINQ);
  EXPECT_ABI(TIOCLINUX);
  EXPECT_ABI(TIOCCONS);
  EXPECT_ABI(TIOCGSERIAL);
  EXPECT_ABI(TIOCSSERIAL);
  EXPECT_ABI(TIOCPKT);
  EXPECT_ABI(FIONBIO);
  EXPECT_ABI(TIOCNOTTY);
  EXPECT_ABI(TIOCSETD);
  EXPECT_ABI(TIOCGETD);
  EXPECT_ABI(TCSBRKP);
  EXPECT_ABI(TIOCSBRK);
  EXPECT_ABI(TIOCCBRK);
  EXPECT_ABI(TIOCGSID);
  EXPECT_ABI(TIOCGRS485);
  EXPECT_ABI(TIOCSRS485);
  EXPECT_ABI(TIOCGPTN);
  EXPECT_ABI(TIOCSPTLCK);
  EXPECT_ABI(TIOCGDEV);
  EXPECT_ABI(TCGETX);
  EXPECT_ABI(TCSETX);
  EXPECT_ABI(TCSETXF);
  EXPECT_ABI(TCSETXW);
  EXPECT_ABI(TIOCSIG);
  EXPECT_ABI(TIOCVHANGUP);
  EXPECT_ABI(TIOCGPKT);
  EXPECT_ABI(TIOCGPTLCK);
  EXPECT_ABI(TIOCGEXCL);
  EXPECT_ABI(TIOCGPTPEER);
  EXPECT_ABI(FIONCLEX);
  EXPECT_ABI(FIOCLEX);
  EXPECT_ABI(FIOASYNC);
  EXPECT_ABI(TIOCSERCONFIG);
  EXPECT_ABI(TIOCSERGWILD);
  EXPECT_ABI(TIOCSERSWILD);
  EXPECT_ABI(TIOCGLCKTRMIOS);
  EXPECT_ABI(TIOCSLCKTRMIOS);
  EXPECT_ABI(TIOCSERGSTRUCT);
  EXPECT_ABI(TIOCSERGETLSR);
  EXPECT_ABI(TIOCSERGETMULTI);
  EXPECT_ABI(TIOCSERSETMULTI);
  EXPECT_ABI(TIOCMIWAIT);
  EXPECT_ABI(TIOCGICOUNT);
  EXPECT_ABI(FIOQSIZE);
  EXPECT_ABI(TIOCPKT_DATA);
  EXPECT_ABI(TIOCPKT_FLUSHREAD);
  EXPECT_ABI(TIOCPKT_FLUSHWRITE);
  EXPECT_ABI(TIOCPKT_STOP);
  EXPECT_ABI(TIOCPKT_START);
  EXPECT_ABI(TIOCPKT_NOSTOP);
  EXPECT_ABI(TIOCPKT_DOSTOP);
  EXPECT_ABI(TIOCPKT_IOCTL);
  EXPECT_ABI(TIOCM_LE);
  EXPECT_ABI(TIOCM_DTR);
  EXPECT_ABI(TIOCM_RTS);
  EXPECT_ABI(TIOCM_ST);
  EXPECT_ABI(TIOCM_SR);
  EXPECT_ABI(TIOCM_CTS);
  EXPECT_ABI(TIOCM_CAR);
  EXPECT_ABI(TIOCM_RNG);
  EXPECT_ABI(TIOCM_DSR);
  EXPECT_ABI(N_TTY);
}

TEST(TermiosTest, FlagsMatchHost) {
  EXPECT_ABI(VINTR);
  EXPECT_ABI(VQUIT);
  EXPECT_ABI(VERASE);
  EXPECT_ABI(VKILL);
  EXPECT_ABI(VEOF);
  EXPECT_ABI(VTIME);
  EXPECT_ABI(VMIN);
  EXPECT_ABI(VSWTC);
  EXPECT_ABI(VSTART);
  EXPECT_ABI(VSTOP);
  EXPECT_ABI(VSUSP);
  EXPECT_ABI(VEOL);
  EXPECT_ABI(VREPRINT);
  EXPECT_ABI(VDISCARD);
  EXPECT_ABI(VWERASE);
  EXPECT_ABI(VLNEXT);
  EXPECT_ABI(VEOL2);
  EXPECT_ABI(IGNBRK);
  EXPECT_ABI(BRKINT);
  EXPECT_ABI(IGNPAR);
  EXPECT_ABI(PARMRK);
  EXPECT_ABI(INPCK);
  EXPECT_ABI(ISTRIP);
  EXPECT_ABI(INLCR);
  EXPECT_ABI(IGNCR);
  EXPECT_ABI(ICRNL);
  EXPECT_ABI(IUCLC);
  EXPECT_ABI(IXON);
  EXPECT_ABI(IXANY);
  EXPECT_ABI(IXOFF);
  EXPECT_ABI(IMAXBEL);
  EXPECT_ABI(IUTF8);
  EXPECT_ABI(OPOST);
  EXPECT_ABI(OLCUC);
  EXPECT_ABI(ONLCR);
  EXPECT_ABI(OCRNL);
  EXPECT_ABI(ONOCR);
  EXPECT_ABI(ONLRET);
  EXPECT_ABI(OFILL);
  EXPECT_ABI(OFDEL);
  EXPECT_ABI(NLDLY);
  EXPECT_ABI(CRDLY);
  EXPECT_ABI(CR3);
  EXPECT_ABI(TABDLY);
  EXPECT_ABI(TAB3);
  EXPECT_ABI(XTABS);
  EXPECT_ABI(BSDLY);
  EXPECT_ABI(VTDLY);
  EXPECT_ABI(FFDLY);
  EXPECT_ABI(CBAUD);
  EXPECT_ABI(CSIZE);
  EXPECT_ABI(CS5);
  EXPECT_ABI(CS6);
  EXPECT_ABI(CS7);
  EXPECT_ABI(CS8);
  EXPECT_ABI(CSTOPB);
  EXPECT_ABI(CREAD);
  EXPECT_ABI(PARENB);
  EXPECT_ABI(PARODD);
  EXPECT_ABI(HUPCL);
  EXPECT_ABI(CLOCAL);
  EXPECT_ABI(CBAUDEX);
  EXPECT_ABI(CIBAUD);
  EXPECT_ABI(CMSPAR);
  EXPECT_ABI(CRTSCTS);
  EXPECT_ABI(B0);
  EXPECT_ABI(B9600);
  EXPECT_ABI(B38400);
  EXPECT_ABI(B57600);
  EXPECT_ABI(B115200);
  EXPECT_ABI(B4000000);
  EXPECT_ABI(ISIG);
  EXPECT_ABI(ICANON);
  EXPECT_ABI(XCASE);
  EXPECT_ABI(ECHO);
  EXPECT_ABI(ECHOE);
  EXPECT_ABI(ECHOK);
  EXPECT_ABI(ECHONL);
  EXPECT_ABI(NOFLSH);
  EXPECT_ABI(TOSTOP);
  EXPECT_ABI(ECHOCTL);
  EXPECT_ABI(ECHOPRT);
  EXPECT_ABI(ECHOKE);
  EXPECT_ABI(FLUSHO);
  EXPECT_ABI(PENDIN);
  EXPECT_ABI(IEXTEN);
  EXPECT_ABI(EXTPROC);
  EXPECT_ABI(TCOOFF);
  EXPECT_ABI(TCOON);
  EXPECT_ABI(TCIOFF);
  EXPECT_ABI(TCION);
  EXPECT_ABI(TCIFLUSH);
  EXPECT_ABI(TCOFLUSH);
  EXPECT_ABI(TCIOFLUSH);
  EXPECT_ABI(TCSANOW);
  EXPECT_ABI(TCSADRAIN);
  EXPECT_ABI(TCSAFLUSH);
}

TEST(TermiosTest, LayoutsMatchHost) {
  using HostWs = struct winsize;
  EXPECT_SAME_SIZE(Winsize, HostWs);
  EXPECT_FIELD(Winsize, HostWs, ws_row);
  EXPECT_FIELD(Winsize, HostWs, ws_col);
  EXPECT_FIELD(Winsize, HostWs, ws_xpixel);
  EXPECT_FIELD(Winsize, HostWs, ws_ypixel);
  using HostTermio = struct termio;
  EXPECT_SAME_SIZE(Termio, HostTermio);
  EXPECT_FIELD(Termio, HostTermio, c_iflag);
  EXPECT_FIELD(Termio, HostTermio, c_lflag);
  EXPECT_FIELD(Termio, HostTermio, c_line);
  EXPECT_FIELD(Termio, HostTermio, c_cc);
  // glibc's struct termios appends speeds and a larger c_cc, but its prefix is the kernel's.
  using HostTermios = struct termios;
  EXPECT_FIELD(Termios, HostTermios, c_iflag);
  EXPECT_FIELD(Termios, HostTermios, c_oflag);
  EXPECT_FIELD(Termios, HostTermios, c_cflag);
  EXPECT_FIELD(Termios, HostTermios, c_lflag);
  EXPECT_FIELD(Termios, HostTermios, c_line);
  EXPECT_EQ(offsetof(Termios, c_cc), offsetof(HostTermios, c_cc));
}

TEST(TermiosTest, StdTermiosMatchesAFreshPty) {
  // A new pty replica starts from tty_std_termios with its own c_cflag (no HUPCL); compare the
  // rest.
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) GTEST_SKIP() << "no /dev/ptmx: " << strerror(errno);
  if (grantpt(master) != 0 || unlockpt(master) != 0) {
    close(master);
    GTEST_SKIP() << "cannot unlock a pty: " << strerror(errno);
  }
  int replica = open(ptsname(master), O_RDWR | O_NOCTTY);
  if (replica < 0) {
    close(master);
    GTEST_SKIP() << "cannot open the pty replica: " << strerror(errno);
  }
  Termios t{};
  ASSERT_EQ(ioctl(replica, TCGETS, &t), 0);
  EXPECT_EQ(t.c_iflag, kTtyStdTermios.c_iflag);
  EXPECT_EQ(t.c_oflag, kTtyStdTermios.c_oflag);
  EXPECT_EQ(t.c_lflag, kTtyStdTermios.c_lflag);
  EXPECT_EQ(t.c_line, kTtyStdTermios.c_line);
  for (int i = 0; i < kNCCS; ++i) EXPECT_EQ(t.c_cc[i], kTtyStdTermios.c_cc[i]) << i;
  close(replica);
  close(master);
}

// ---- futex.h ----

TEST(FutexTest, MatchesHost) {
  EXPECT_ABI(FUTEX_WAIT);
  EXPECT_ABI(FUTEX_WAKE);
  EXPECT_ABI(FUTEX_FD);
  EXPECT_ABI(FUTEX_REQUEUE);
  EXPECT_ABI(FUTEX_CMP_REQUEUE);
  EXPECT_ABI(FUTEX_WAKE_OP);
  EXPECT_ABI(FUTEX_LOCK_PI);
  EXPECT_ABI(FUTEX_UNLOCK_PI);
  EXPECT_ABI(FUTEX_TRYLOCK_PI);
  EXPECT_ABI(FUTEX_WAIT_BITSET);
  EXPECT_ABI(FUTEX_WAKE_BITSET);
  EXPECT_ABI(FUTEX_WAIT_REQUEUE_PI);
  EXPECT_ABI(FUTEX_CMP_REQUEUE_PI);
  EXPECT_ABI(FUTEX_LOCK_PI2);
  EXPECT_ABI(FUTEX_PRIVATE_FLAG);
  EXPECT_ABI(FUTEX_CLOCK_REALTIME);
  EXPECT_ABI(FUTEX_CMD_MASK);
  EXPECT_ABI(FUTEX_WAIT_PRIVATE);
  EXPECT_ABI(FUTEX_WAKE_PRIVATE);
  EXPECT_ABI(FUTEX_REQUEUE_PRIVATE);
  EXPECT_ABI(FUTEX_CMP_REQUEUE_PRIVATE);
  EXPECT_ABI(FUTEX_WAKE_OP_PRIVATE);
  EXPECT_ABI(FUTEX_LOCK_PI_PRIVATE);
  EXPECT_ABI(FUTEX_LOCK_PI2_PRIVATE);
  EXPECT_ABI(FUTEX_UNLOCK_PI_PRIVATE);
  EXPECT_ABI(FUTEX_TRYLOCK_PI_PRIVATE);
  EXPECT_ABI(FUTEX_WAIT_BITSET_PRIVATE);
  EXPECT_ABI(FUTEX_WAKE_BITSET_PRIVATE);
  EXPECT_ABI(FUTEX_WAIT_REQUEUE_PI_PRIVATE);
  EXPECT_ABI(FUTEX_CMP_REQUEUE_PI_PRIVATE);
  EXPECT_ABI(FUTEX_BITSET_MATCH_ANY);
  EXPECT_ABI(FUTEX_WAITERS);
  EXPECT_ABI(FUTEX_OWNER_DIED);
  EXPECT_ABI(FUTEX_TID_MASK);
  EXPECT_ABI(FUTEX_OP_SET);
  EXPECT_ABI(FUTEX_OP_ADD);
  EXPECT_ABI(FUTEX_OP_OR);
  EXPECT_ABI(FUTEX_OP_ANDN);
  EXPECT_ABI(FUTEX_OP_XOR);
  EXPECT_ABI(FUTEX_OP_OPARG_SHIFT);
  EXPECT_ABI(FUTEX_OP_CMP_EQ);
  EXPECT_ABI(FUTEX_OP_CMP_NE);
  EXPECT_ABI(FUTEX_OP_CMP_LT);
  EXPECT_ABI(FUTEX_OP_CMP_LE);
  EXPECT_ABI(FUTEX_OP_CMP_GT);
  EXPECT_ABI(FUTEX_OP_CMP_GE);
  EXPECT_ABI(ROBUST_LIST_LIMIT);
  EXPECT_ABI(FUTEX_32);
  EXPECT_ABI(FUTEX_WAITV_MAX);
  EXPECT_EQ(EncodeFutexOp(kFUTEX_OP_ADD, 1, kFUTEX_OP_CMP_GT, 0),
            static_cast<uint32_t>(FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0)));
  EXPECT_EQ(EncodeFutexOp(kFUTEX_OP_OR | kFUTEX_OP_OPARG_SHIFT, 0xfff, kFUTEX_OP_CMP_GE, 0x123),
            static_cast<uint32_t>(
                FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 0xfff, FUTEX_OP_CMP_GE, 0x123)));
  using HostHead = struct robust_list_head;
  EXPECT_SAME_SIZE(RobustListHead, HostHead);
  EXPECT_FIELD(RobustListHead, HostHead, list);
  EXPECT_FIELD(RobustListHead, HostHead, futex_offset);
  EXPECT_FIELD(RobustListHead, HostHead, list_op_pending);
  using HostWaitv = struct futex_waitv;
  EXPECT_SAME_SIZE(FutexWaitv, HostWaitv);
  EXPECT_FIELD(FutexWaitv, HostWaitv, val);
  EXPECT_FIELD(FutexWaitv, HostWaitv, uaddr);
  EXPECT_FIELD(FutexWaitv, HostWaitv, flags);
  EXPECT_SAME_FIELD(FutexWaitv, HostWaitv, reserved, __reserved);
}

// ---- random.h ----

TEST(RandomTest, MatchesHost) {
  EXPECT_ABI(GRND_NONBLOCK);
  EXPECT_ABI(GRND_RANDOM);
  EXPECT_ABI(GRND_INSECURE);
}

// ---- sched.h ----

TEST(SchedTest, MatchesHost) {
  EXPECT_ABI(CSIGNAL);
  EXPECT_ABI(CLONE_VM);
  EXPECT_ABI(CLONE_FS);
  EXPECT_ABI(CLONE_FILES);
  EXPECT_ABI(CLONE_SIGHAND);
  EXPECT_ABI(CLONE_PIDFD);
  EXPECT_ABI(CLONE_PTRACE);
  EXPECT_ABI(CLONE_VFORK);
  EXPECT_ABI(CLONE_PARENT);
  EXPECT_ABI(CLONE_THREAD);
  EXPECT_ABI(CLONE_NEWNS);
  EXPECT_ABI(CLONE_SYSVSEM);
  EXPECT_ABI(CLONE_SETTLS);
  EXPECT_ABI(CLONE_PARENT_SETTID);
  EXPECT_ABI(CLONE_CHILD_CLEARTID);
  EXPECT_ABI(CLONE_DETACHED);
  EXPECT_ABI(CLONE_UNTRACED);
  EXPECT_ABI(CLONE_CHILD_SETTID);
  EXPECT_ABI(CLONE_NEWCGROUP);
  EXPECT_ABI(CLONE_NEWUTS);
  EXPECT_ABI(CLONE_NEWIPC);
  EXPECT_ABI(CLONE_NEWUSER);
  EXPECT_ABI(CLONE_NEWPID);
  EXPECT_ABI(CLONE_NEWNET);
  EXPECT_ABI(CLONE_IO);
  EXPECT_ABI(CLONE_NEWTIME);
  EXPECT_ABI(SCHED_OTHER);
  EXPECT_ABI(SCHED_FIFO);
  EXPECT_ABI(SCHED_RR);
  EXPECT_ABI(SCHED_BATCH);
  EXPECT_ABI(SCHED_IDLE);
  EXPECT_ABI(SCHED_DEADLINE);
  EXPECT_ABI(SCHED_RESET_ON_FORK);
  using Host = struct sched_param;
  EXPECT_SAME_SIZE(SchedParam, Host);
  EXPECT_FIELD(SchedParam, Host, sched_priority);
}

// ---- signal.h ----

TEST(SignalTest, ConstantsMatchHost) {
  EXPECT_ABI(SIGHUP);
  EXPECT_ABI(SIGINT);
  EXPECT_ABI(SIGQUIT);
  EXPECT_ABI(SIGILL);
  EXPECT_ABI(SIGTRAP);
  EXPECT_ABI(SIGABRT);
  EXPECT_ABI(SIGIOT);
  EXPECT_ABI(SIGBUS);
  EXPECT_ABI(SIGFPE);
  EXPECT_ABI(SIGKILL);
  EXPECT_ABI(SIGUSR1);
  EXPECT_ABI(SIGSEGV);
  EXPECT_ABI(SIGUSR2);
  EXPECT_ABI(SIGPIPE);
  EXPECT_ABI(SIGALRM);
  EXPECT_ABI(SIGTERM);
  EXPECT_ABI(SIGSTKFLT);
  EXPECT_ABI(SIGCHLD);
  EXPECT_ABI(SIGCONT);
  EXPECT_ABI(SIGSTOP);
  EXPECT_ABI(SIGTSTP);
  EXPECT_ABI(SIGTTIN);
  EXPECT_ABI(SIGTTOU);
  EXPECT_ABI(SIGURG);
  EXPECT_ABI(SIGXCPU);
  EXPECT_ABI(SIGXFSZ);
  EXPECT_ABI(SIGVTALRM);
  EXPECT_ABI(SIGPROF);
  EXPECT_ABI(SIGWINCH);
  EXPECT_ABI(SIGIO);
  EXPECT_ABI(SIGPOLL);
  EXPECT_ABI(SIGPWR);
  EXPECT_ABI(SIGSYS);
  EXPECT_EQ(kNumSignals + 1, NSIG);  // glibc's NSIG is _NSIG + 1.
  EXPECT_EQ(kSIGRTMAX, __SIGRTMAX);
  EXPECT_EQ(kSIGRTMIN, __SIGRTMIN);
  EXPECT_ABI(SA_NOCLDSTOP);
  EXPECT_ABI(SA_NOCLDWAIT);
  EXPECT_ABI(SA_SIGINFO);
  EXPECT_ABI(SA_ONSTACK);
  EXPECT_ABI(SA_RESTART);
  EXPECT_ABI(SA_NODEFER);
  EXPECT_ABI(SA_RESETHAND);
  EXPECT_ABI(SA_NOMASK);
  EXPECT_ABI(SA_ONESHOT);
  EXPECT_ABI(SIG_BLOCK);
  EXPECT_ABI(SIG_UNBLOCK);
  EXPECT_ABI(SIG_SETMASK);
  EXPECT_EQ(kSIG_DFL, reinterpret_cast<uint64_t>(SIG_DFL));
  EXPECT_EQ(kSIG_IGN, reinterpret_cast<uint64_t>(SIG_IGN));
  EXPECT_EQ(kSIG_ERR, reinterpret_cast<uint64_t>(SIG_ERR));
  EXPECT_ABI(SS_ONSTACK);
  EXPECT_ABI(SS_DISABLE);
  EXPECT_ABI(SI_USER);
  EXPECT_ABI(SI_KERNEL);
  EXPECT_ABI(SI_QUEUE);
  EXPECT_ABI(SI_TIMER);
  EXPECT_ABI(SI_MESGQ);
  EXPECT_ABI(SI_ASYNCIO);
  EXPECT_ABI(SI_SIGIO);
  EXPECT_ABI(SI_TKILL);
  EXPECT_ABI(SI_DETHREAD);
  EXPECT_ABI(SI_ASYNCNL);
  EXPECT_ABI(ILL_ILLOPC);
  EXPECT_ABI(ILL_ILLOPN);
  EXPECT_ABI(ILL_ILLADR);
  EXPECT_ABI(ILL_ILLTRP);
  EXPECT_ABI(ILL_PRVOPC);
  EXPECT_ABI(ILL_PRVREG);
  EXPECT_ABI(ILL_COPROC);
  EXPECT_ABI(ILL_BADSTK);
  EXPECT_ABI(ILL_BADIADDR);
  EXPECT_ABI(FPE_INTDIV);
  EXPECT_ABI(FPE_INTOVF);
  EXPECT_ABI(FPE_FLTDIV);
  EXPECT_ABI(FPE_FLTOVF);
  EXPECT_ABI(FPE_FLTUND);
  EXPECT_ABI(FPE_FLTRES);
  EXPECT_ABI(FPE_FLTINV);
  EXPECT_ABI(FPE_FLTSUB);
  EXPECT_ABI(FPE_FLTUNK);
  EXPECT_ABI(FPE_CONDTRAP);
  EXPECT_ABI(SEGV_MAPERR);
  EXPECT_ABI(SEGV_ACCERR);
  EXPECT_ABI(SEGV_BNDERR);
  EXPECT_ABI(SEGV_PKUERR);
  EXPECT_ABI(SEGV_ACCADI);
  EXPECT_ABI(SEGV_ADIDERR);
  EXPECT_ABI(SEGV_ADIPERR);
  EXPECT_ABI(SEGV_MTEAERR);
  EXPECT_ABI(SEGV_MTESERR);
  EXPECT_ABI(BUS_ADRALN);
  EXPECT_ABI(BUS_ADRERR);
  EXPECT_ABI(BUS_OBJERR);
  EXPECT_ABI(BUS_MCEERR_AR);
  EXPECT_ABI(BUS_MCEERR_AO);
  EXPECT_ABI(TRAP_BRKPT);
  EXPECT_ABI(TRAP_TRACE);
  EXPECT_ABI(TRAP_BRANCH);
  EXPECT_ABI(TRAP_HWBKPT);
  EXPECT_ABI(TRAP_UNK);
  EXPECT_ABI(CLD_EXITED);
  EXPECT_ABI(CLD_KILLED);
  EXPECT_ABI(CLD_DUMPED);
  EXPECT_ABI(CLD_TRAPPED);
  EXPECT_ABI(CLD_STOPPED);
  EXPECT_ABI(CLD_CONTINUED);
  EXPECT_ABI(POLL_IN);
  EXPECT_ABI(POLL_OUT);
  EXPECT_ABI(POLL_MSG);
  EXPECT_ABI(POLL_ERR);
  EXPECT_ABI(POLL_PRI);
  EXPECT_ABI(POLL_HUP);
  EXPECT_ABI(SIGEV_SIGNAL);
  EXPECT_ABI(SIGEV_NONE);
  EXPECT_ABI(SIGEV_THREAD);
  EXPECT_ABI(SIGEV_THREAD_ID);
}

TEST(SignalTest, Names) {
  for (int sig = 1; sig < kSIGRTMIN; ++sig) {
    const char* abbrev = sigabbrev_np(sig);
    ASSERT_NE(abbrev, nullptr) << sig;
    std::string host = std::string("SIG") + abbrev;
    // glibc calls 29 SIGPOLL; the kernel and strace call it SIGIO.
    if (sig == kSIGIO) host = "SIGIO";
    EXPECT_EQ(SignalName(sig), host) << sig;
  }
  EXPECT_EQ(SignalName(kSIGKILL), "SIGKILL");
  EXPECT_EQ(SignalName(0), "");
  EXPECT_EQ(SignalName(kSIGRTMIN), "");
  EXPECT_EQ(SignalName(65), "");
  EXPECT_EQ(SignalBit(kSIGHUP), 1u);
  EXPECT_EQ(SignalBit(kSIGRTMAX), 1ULL << 63);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGKILL);
  sigaddset(&set, SIGSTOP);
  SigSet ours;
  memcpy(&ours, &set, sizeof(ours));  // The kernel's sigset is the first word of glibc's.
  EXPECT_EQ(ours, kUnblockableSignals);
}

TEST(SignalTest, SiginfoMatchesHost) {
  EXPECT_SAME_SIZE(Siginfo, siginfo_t);
  EXPECT_FIELD(Siginfo, siginfo_t, si_signo);
  EXPECT_FIELD(Siginfo, siginfo_t, si_errno);
  EXPECT_FIELD(Siginfo, siginfo_t, si_code);
  // glibc's si_* macros expand to its union members; ours are the kernel's.
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._kill._pid, si_pid);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._kill._uid, si_uid);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._timer._tid, si_timerid);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._timer._overrun, si_overrun);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._rt._sigval, si_value);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigchld._status, si_status);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigchld._utime, si_utime);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigchld._stime, si_stime);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr, si_addr);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_lsb, si_addr_lsb);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_bnd._lower, si_lower);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_bnd._upper, si_upper);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigfault._addr_pkey._pkey, si_pkey);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigpoll._band, si_band);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigpoll._fd, si_fd);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigsys._call_addr, si_call_addr);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigsys._syscall, si_syscall);
  EXPECT_SAME_FIELD(Siginfo, siginfo_t, _sifields._sigsys._arch, si_arch);
  // The accessors read what libc's macros read.
  siginfo_t host{};
  host.si_pid = 77;
  host.si_status = 3;
  Siginfo ours;
  memcpy(&ours, &host, sizeof(ours));
  EXPECT_EQ(ours.Pid(), 77);
  EXPECT_EQ(ours.Status(), 3);
  ours.SetAddr(0x1234);
  memcpy(&host, &ours, sizeof(ours));
  EXPECT_EQ(reinterpret_cast<uint64_t>(host.si_addr), 0x1234u);
}

TEST(SignalTest, SigEventMatchesHost) {
  using Host = struct sigevent;
  EXPECT_SAME_SIZE(SigEvent, Host);
  EXPECT_FIELD(SigEvent, Host, sigev_value);
  EXPECT_FIELD(SigEvent, Host, sigev_signo);
  EXPECT_FIELD(SigEvent, Host, sigev_notify);
  EXPECT_FIELD(SigEvent, Host, _sigev_un._tid);
  EXPECT_SAME_FIELD(SigEvent, Host, _sigev_un._sigev_thread._function, sigev_notify_function);
  EXPECT_SAME_FIELD(SigEvent, Host, _sigev_un._sigev_thread._attribute, sigev_notify_attributes);
  EXPECT_SAME_SIZE(Sigval, union sigval);
}

TEST(SignalTest, StackAndContextMatchHost) {
  EXPECT_SAME_SIZE(StackT, stack_t);
  EXPECT_FIELD(StackT, stack_t, ss_sp);
  EXPECT_FIELD(StackT, stack_t, ss_flags);
  EXPECT_FIELD(StackT, stack_t, ss_size);
  // glibc's ucontext_t extends the kernel's (a 1024-bit uc_sigmask, then the FP save area), but
  // agrees up to uc_sigmask; its mcontext_t is the kernel's sigcontext with gregs[] in REG_*
  // order.
  EXPECT_FIELD(UContext, ucontext_t, uc_flags);
  EXPECT_FIELD(UContext, ucontext_t, uc_link);
  EXPECT_FIELD(UContext, ucontext_t, uc_stack);
  EXPECT_FIELD(UContext, ucontext_t, uc_mcontext);
  EXPECT_EQ(offsetof(UContext, uc_sigmask), offsetof(ucontext_t, uc_sigmask));
  EXPECT_SAME_SIZE(MContext, mcontext_t);
  EXPECT_EQ(offsetof(SigContext, r8), offsetof(mcontext_t, gregs[REG_R8]));
  EXPECT_EQ(offsetof(SigContext, r15), offsetof(mcontext_t, gregs[REG_R15]));
  EXPECT_EQ(offsetof(SigContext, rdi), offsetof(mcontext_t, gregs[REG_RDI]));
  EXPECT_EQ(offsetof(SigContext, rsi), offsetof(mcontext_t, gregs[REG_RSI]));
  EXPECT_EQ(offsetof(SigContext, rbp), offsetof(mcontext_t, gregs[REG_RBP]));
  EXPECT_EQ(offsetof(SigContext, rbx), offsetof(mcontext_t, gregs[REG_RBX]));
  EXPECT_EQ(offsetof(SigContext, rdx), offsetof(mcontext_t, gregs[REG_RDX]));
  EXPECT_EQ(offsetof(SigContext, rax), offsetof(mcontext_t, gregs[REG_RAX]));
  EXPECT_EQ(offsetof(SigContext, rcx), offsetof(mcontext_t, gregs[REG_RCX]));
  EXPECT_EQ(offsetof(SigContext, rsp), offsetof(mcontext_t, gregs[REG_RSP]));
  EXPECT_EQ(offsetof(SigContext, rip), offsetof(mcontext_t, gregs[REG_RIP]));
  EXPECT_EQ(offsetof(SigContext, eflags), offsetof(mcontext_t, gregs[REG_EFL]));
  EXPECT_EQ(offsetof(SigContext, cs), offsetof(mcontext_t, gregs[REG_CSGSFS]));
  EXPECT_EQ(offsetof(SigContext, err), offsetof(mcontext_t, gregs[REG_ERR]));
  EXPECT_EQ(offsetof(SigContext, trapno), offsetof(mcontext_t, gregs[REG_TRAPNO]));
  EXPECT_EQ(offsetof(SigContext, oldmask), offsetof(mcontext_t, gregs[REG_OLDMASK]));
  EXPECT_EQ(offsetof(SigContext, cr2), offsetof(mcontext_t, gregs[REG_CR2]));
  EXPECT_EQ(offsetof(SigContext, fpstate), offsetof(mcontext_t, fpregs));
  using HostFp = struct _libc_fpstate;
  EXPECT_SAME_SIZE(FpState, HostFp);
  EXPECT_FIELD(FpState, HostFp, cwd);
  EXPECT_FIELD(FpState, HostFp, swd);
  EXPECT_SAME_FIELD(FpState, HostFp, twd, ftw);
  EXPECT_FIELD(FpState, HostFp, fop);
  EXPECT_FIELD(FpState, HostFp, rip);
  EXPECT_FIELD(FpState, HostFp, rdp);
  EXPECT_FIELD(FpState, HostFp, mxcsr);
  EXPECT_SAME_FIELD(FpState, HostFp, mxcsr_mask, mxcr_mask);
  EXPECT_SAME_FIELD(FpState, HostFp, st_space, _st);
  EXPECT_SAME_FIELD(FpState, HostFp, xmm_space, _xmm);
}

// ---- wait.h ----

TEST(WaitTest, MatchesHost) {
  EXPECT_ABI(WNOHANG);
  EXPECT_ABI(WUNTRACED);
  EXPECT_ABI(WSTOPPED);
  EXPECT_ABI(WEXITED);
  EXPECT_ABI(WCONTINUED);
  EXPECT_ABI(WNOWAIT);
  EXPECT_TRUE(SameValue(kWNOTHREAD, __WNOTHREAD));
  EXPECT_TRUE(SameValue(kWALL, __WALL));
  EXPECT_TRUE(SameValue(kWCLONE, __WCLONE));
  EXPECT_ABI(P_ALL);
  EXPECT_ABI(P_PID);
  EXPECT_ABI(P_PGID);
  EXPECT_ABI(P_PIDFD);
  int exited = WaitStatusExited(42);
  EXPECT_TRUE(WIFEXITED(exited));
  EXPECT_EQ(WEXITSTATUS(exited), 42);
  int killed = WaitStatusSignaled(kSIGKILL, false);
  EXPECT_TRUE(WIFSIGNALED(killed));
  EXPECT_EQ(WTERMSIG(killed), SIGKILL);
  EXPECT_FALSE(WCOREDUMP(killed));
  EXPECT_TRUE(WCOREDUMP(WaitStatusSignaled(kSIGSEGV, true)));
  int stopped = WaitStatusStopped(kSIGTSTP);
  EXPECT_TRUE(WIFSTOPPED(stopped));
  EXPECT_EQ(WSTOPSIG(stopped), SIGTSTP);
  EXPECT_TRUE(WIFCONTINUED(kWCONTINUEDSTATUS));
}

// ---- capability.h ----

TEST(CapabilityTest, MatchesHost) {
  EXPECT_ABI(_LINUX_CAPABILITY_VERSION_1);
  EXPECT_ABI(_LINUX_CAPABILITY_U32S_1);
  EXPECT_ABI(_LINUX_CAPABILITY_VERSION_2);
  EXPECT_ABI(_LINUX_CAPABILITY_U32S_2);
  EXPECT_ABI(_LINUX_CAPABILITY_VERSION_3);
  EXPECT_ABI(_LINUX_CAPABILITY_U32S_3);
  EXPECT_ABI(CAP_CHOWN);
  EXPECT_ABI(CAP_DAC_OVERRIDE);
  EXPECT_ABI(CAP_DAC_READ_SEARCH);
  EXPECT_ABI(CAP_FOWNER);
  EXPECT_ABI(CAP_FSETID);
  EXPECT_ABI(CAP_KILL);
  EXPECT_ABI(CAP_SETGID);
  EXPECT_ABI(CAP_SETUID);
  EXPECT_ABI(CAP_SETPCAP);
  EXPECT_ABI(CAP_LINUX_IMMUTABLE);
  EXPECT_ABI(CAP_NET_BIND_SERVICE);
  EXPECT_ABI(CAP_NET_BROADCAST);
  EXPECT_ABI(CAP_NET_ADMIN);
  EXPECT_ABI(CAP_NET_RAW);
  EXPECT_ABI(CAP_IPC_LOCK);
  EXPECT_ABI(CAP_IPC_OWNER);
  EXPECT_ABI(CAP_SYS_MODULE);
  EXPECT_ABI(CAP_SYS_RAWIO);
  EXPECT_ABI(CAP_SYS_CHROOT);
  EXPECT_ABI(CAP_SYS_PTRACE);
  EXPECT_ABI(CAP_SYS_PACCT);
  EXPECT_ABI(CAP_SYS_ADMIN);
  EXPECT_ABI(CAP_SYS_BOOT);
  EXPECT_ABI(CAP_SYS_NICE);
  EXPECT_ABI(CAP_SYS_RESOURCE);
  EXPECT_ABI(CAP_SYS_TIME);
  EXPECT_ABI(CAP_SYS_TTY_CONFIG);
  EXPECT_ABI(CAP_MKNOD);
  EXPECT_ABI(CAP_LEASE);
  EXPECT_ABI(CAP_AUDIT_WRITE);
  EXPECT_ABI(CAP_AUDIT_CONTROL);
  EXPECT_ABI(CAP_SETFCAP);
  EXPECT_ABI(CAP_MAC_OVERRIDE);
  EXPECT_ABI(CAP_MAC_ADMIN);
  EXPECT_ABI(CAP_SYSLOG);
  EXPECT_ABI(CAP_WAKE_ALARM);
  EXPECT_ABI(CAP_BLOCK_SUSPEND);
  EXPECT_ABI(CAP_AUDIT_READ);
  EXPECT_ABI(CAP_PERFMON);
  EXPECT_ABI(CAP_BPF);
  EXPECT_ABI(CAP_CHECKPOINT_RESTORE);
  EXPECT_ABI(CAP_LAST_CAP);
  EXPECT_ABI(VFS_CAP_REVISION_MASK);
  EXPECT_ABI(VFS_CAP_FLAGS_EFFECTIVE);
  EXPECT_ABI(VFS_CAP_REVISION_2);
  EXPECT_ABI(VFS_CAP_REVISION_3);
  EXPECT_ABI(XATTR_CAPS_SZ_2);
  EXPECT_ABI(XATTR_CAPS_SZ_3);
  EXPECT_EQ(CapabilityBit(kCAP_SYS_ADMIN) >> 32, 0u);
  EXPECT_EQ(static_cast<uint32_t>(CapabilityBit(kCAP_SYSLOG) >> 32), CAP_TO_MASK(CAP_SYSLOG));
  using HostHdr = struct __user_cap_header_struct;
  EXPECT_SAME_SIZE(CapUserHeader, HostHdr);
  EXPECT_FIELD(CapUserHeader, HostHdr, version);
  EXPECT_FIELD(CapUserHeader, HostHdr, pid);
  using HostData = struct __user_cap_data_struct;
  EXPECT_SAME_SIZE(CapUserData, HostData);
  EXPECT_FIELD(CapUserData, HostData, effective);
  EXPECT_FIELD(CapUserData, HostData, permitted);
  EXPECT_FIELD(CapUserData, HostData, inheritable);
}

// ---- poll.h and epoll.h ----

TEST(PollTest, MatchesHost) {
  EXPECT_ABI(POLLIN);
  EXPECT_ABI(POLLPRI);
  EXPECT_ABI(POLLOUT);
  EXPECT_ABI(POLLERR);
  EXPECT_ABI(POLLHUP);
  EXPECT_ABI(POLLNVAL);
  EXPECT_ABI(POLLRDNORM);
  EXPECT_ABI(POLLRDBAND);
  EXPECT_ABI(POLLWRNORM);
  EXPECT_ABI(POLLWRBAND);
  EXPECT_ABI(POLLMSG);
  EXPECT_ABI(POLLREMOVE);
  EXPECT_ABI(POLLRDHUP);
  using Host = struct pollfd;
  EXPECT_SAME_SIZE(PollFd, Host);
  EXPECT_FIELD(PollFd, Host, fd);
  EXPECT_FIELD(PollFd, Host, events);
  EXPECT_FIELD(PollFd, Host, revents);
}

TEST(EpollTest, MatchesHost) {
  EXPECT_ABI(EPOLL_CLOEXEC);
  EXPECT_ABI(EPOLL_CTL_ADD);
  EXPECT_ABI(EPOLL_CTL_DEL);
  EXPECT_ABI(EPOLL_CTL_MOD);
  EXPECT_ABI(EPOLLIN);
  EXPECT_ABI(EPOLLPRI);
  EXPECT_ABI(EPOLLOUT);
  EXPECT_ABI(EPOLLERR);
  EXPECT_ABI(EPOLLHUP);
  EXPECT_ABI(EPOLLRDNORM);
  EXPECT_ABI(EPOLLRDBAND);
  EXPECT_ABI(EPOLLWRNORM);
  EXPECT_ABI(EPOLLWRBAND);
  EXPECT_ABI(EPOLLMSG);
  EXPECT_ABI(EPOLLRDHUP);
  EXPECT_ABI(EPOLLEXCLUSIVE);
  EXPECT_ABI(EPOLLWAKEUP);
  EXPECT_ABI(EPOLLONESHOT);
  EXPECT_ABI(EPOLLET);
  using Host = struct epoll_event;
  EXPECT_SAME_SIZE(EpollEvent, Host);
  EXPECT_EQ(offsetof(EpollEvent, events), offsetof(Host, events));
  EXPECT_EQ(offsetof(EpollEvent, data), offsetof(Host, data));
}

// ---- eventfd.h, timerfd.h, signalfd.h, inotify.h ----

TEST(EventfdTest, MatchesHost) {
  EXPECT_ABI(EFD_SEMAPHORE);
  EXPECT_ABI(EFD_CLOEXEC);
  EXPECT_ABI(EFD_NONBLOCK);
}

TEST(TimerfdTest, MatchesHost) {
  EXPECT_ABI(TFD_TIMER_ABSTIME);
  EXPECT_ABI(TFD_TIMER_CANCEL_ON_SET);
  EXPECT_ABI(TFD_CLOEXEC);
  EXPECT_ABI(TFD_NONBLOCK);
#ifdef TFD_IOC_SET_TICKS
  EXPECT_ABI(TFD_IOC_SET_TICKS);
#endif
  EXPECT_EQ(kTFD_IOC_SET_TICKS, _IOW('T', 0, uint64_t));
}

TEST(SignalfdTest, MatchesHost) {
  EXPECT_ABI(SFD_CLOEXEC);
  EXPECT_ABI(SFD_NONBLOCK);
  using Host = struct signalfd_siginfo;
  EXPECT_SAME_SIZE(SignalfdSiginfo, Host);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_signo);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_errno);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_code);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_pid);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_uid);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_fd);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_tid);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_band);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_overrun);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_trapno);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_status);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_int);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_ptr);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_utime);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_stime);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_addr);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_addr_lsb);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_syscall);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_call_addr);
  EXPECT_FIELD(SignalfdSiginfo, Host, ssi_arch);
}

TEST(InotifyTest, MatchesHost) {
  EXPECT_ABI(IN_ACCESS);
  EXPECT_ABI(IN_MODIFY);
  EXPECT_ABI(IN_ATTRIB);
  EXPECT_ABI(IN_CLOSE_WRITE);
  EXPECT_ABI(IN_CLOSE_NOWRITE);
  EXPECT_ABI(IN_OPEN);
  EXPECT_ABI(IN_MOVED_FROM);
  EXPECT_ABI(IN_MOVED_TO);
  EXPECT_ABI(IN_CREATE);
  EXPECT_ABI(IN_DELETE);
  EXPECT_ABI(IN_DELETE_SELF);
  EXPECT_ABI(IN_MOVE_SELF);
  EXPECT_ABI(IN_CLOSE);
  EXPECT_ABI(IN_MOVE);
  EXPECT_ABI(IN_ALL_EVENTS);
  EXPECT_ABI(IN_UNMOUNT);
  EXPECT_ABI(IN_Q_OVERFLOW);
  EXPECT_ABI(IN_IGNORED);
  EXPECT_ABI(IN_ONLYDIR);
  EXPECT_ABI(IN_DONT_FOLLOW);
  EXPECT_ABI(IN_EXCL_UNLINK);
  EXPECT_ABI(IN_MASK_CREATE);
  EXPECT_ABI(IN_MASK_ADD);
  EXPECT_ABI(IN_ISDIR);
  EXPECT_ABI(IN_ONESHOT);
  EXPECT_ABI(IN_CLOEXEC);
  EXPECT_ABI(IN_NONBLOCK);
  using Host = struct inotify_event;
  EXPECT_SAME_SIZE(InotifyEvent, Host);
  EXPECT_FIELD(InotifyEvent, Host, wd);
  EXPECT_FIELD(InotifyEvent, Host, mask);
  EXPECT_FIELD(InotifyEvent, Host, cookie);
  EXPECT_FIELD(InotifyEvent, Host, len);
}

// ---- socket.h ----

TEST(SocketTest, ConstantsMatchHost) {
  EXPECT_ABI(AF_UNSPEC);
  EXPECT_ABI(AF_UNIX);
  EXPECT_ABI(AF_LOCAL);
  EXPECT_ABI(AF_INET);
  EXPECT_ABI(AF_AX25);
  EXPECT_ABI(AF_IPX);
  EXPECT_ABI(AF_APPLETALK);
  EXPECT_ABI(AF_NETROM);
  EXPECT_ABI(AF_BRIDGE);
  EXPECT_ABI(AF_ATMPVC);
  EXPECT_ABI(AF_X25);
  EXPECT_ABI(AF_INET6);
  EXPECT_ABI(AF_ROSE);
  EXPECT_ABI(AF_DECnet);
  EXPECT_ABI(AF_NETBEUI);
  EXPECT_ABI(AF_SECURITY);
  EXPECT_ABI(AF_KEY);
  EXPECT_ABI(AF_NETLINK);
  EXPECT_ABI(AF_ROUTE);
  EXPECT_ABI(AF_PACKET);
  EXPECT_ABI(AF_ASH);
  EXPECT_ABI(AF_ECONET);
  EXPECT_ABI(AF_ATMSVC);
  EXPECT_ABI(AF_RDS);
  EXPECT_ABI(AF_SNA);
  EXPECT_ABI(AF_IRDA);
  EXPECT_ABI(AF_PPPOX);
  EXPECT_ABI(AF_WANPIPE);
  EXPECT_ABI(AF_LLC);
  EXPECT_ABI(AF_IB);
  EXPECT_ABI(AF_MPLS);
  EXPECT_ABI(AF_CAN);
  EXPECT_ABI(AF_TIPC);
  EXPECT_ABI(AF_BLUETOOTH);
  EXPECT_ABI(AF_IUCV);
  EXPECT_ABI(AF_RXRPC);
  EXPECT_ABI(AF_ISDN);
  EXPECT_ABI(AF_PHONET);
  EXPECT_ABI(AF_IEEE802154);
  EXPECT_ABI(AF_CAIF);
  EXPECT_ABI(AF_ALG);
  EXPECT_ABI(AF_NFC);
  EXPECT_ABI(AF_VSOCK);
  EXPECT_ABI(AF_KCM);
  EXPECT_ABI(AF_QIPCRTR);
  EXPECT_ABI(AF_SMC);
  EXPECT_ABI(AF_XDP);
  EXPECT_ABI(AF_MCTP);
  EXPECT_ABI(AF_MAX);
  EXPECT_ABI(SOCK_STREAM);
  EXPECT_ABI(SOCK_DGRAM);
  EXPECT_ABI(SOCK_RAW);
  EXPECT_ABI(SOCK_RDM);
  EXPECT_ABI(SOCK_SEQPACKET);
  EXPECT_ABI(SOCK_DCCP);
  EXPECT_ABI(SOCK_PACKET);
  EXPECT_ABI(SOCK_CLOEXEC);
  EXPECT_ABI(SOCK_NONBLOCK);
  EXPECT_ABI(SOMAXCONN);
  EXPECT_ABI(SHUT_RD);
  EXPECT_ABI(SHUT_WR);
  EXPECT_ABI(SHUT_RDWR);
  EXPECT_ABI(SOL_IP);
  EXPECT_ABI(SOL_SOCKET);
  EXPECT_ABI(SOL_TCP);
  EXPECT_ABI(SOL_UDP);
  EXPECT_ABI(SOL_IPV6);
  EXPECT_ABI(SOL_ICMPV6);
  EXPECT_ABI(SOL_RAW);
  EXPECT_ABI(SOL_PACKET);
  EXPECT_ABI(SOL_NETLINK);
  EXPECT_ABI(SO_DEBUG);
  EXPECT_ABI(SO_REUSEADDR);
  EXPECT_ABI(SO_TYPE);
  EXPECT_ABI(SO_ERROR);
  EXPECT_ABI(SO_DONTROUTE);
  EXPECT_ABI(SO_BROADCAST);
  EXPECT_ABI(SO_SNDBUF);
  EXPECT_ABI(SO_RCVBUF);
  EXPECT_ABI(SO_SNDBUFFORCE);
  EXPECT_ABI(SO_RCVBUFFORCE);
  EXPECT_ABI(SO_KEEPALIVE);
  EXPECT_ABI(SO_OOBINLINE);
  EXPECT_ABI(SO_NO_CHECK);
  EXPECT_ABI(SO_PRIORITY);
  EXPECT_ABI(SO_LINGER);
  EXPECT_ABI(SO_BSDCOMPAT);
  EXPECT_ABI(SO_REUSEPORT);
  EXPECT_ABI(SO_PASSCRED);
  EXPECT_ABI(SO_PEERCRED);
  EXPECT_ABI(SO_RCVLOWAT);
  EXPECT_ABI(SO_SNDLOWAT);
  EXPECT_ABI(SO_RCVTIMEO_OLD);
  EXPECT_ABI(SO_SNDTIMEO_OLD);
  EXPECT_ABI(SO_RCVTIMEO);
  EXPECT_ABI(SO_SNDTIMEO);
  EXPECT_ABI(SO_BINDTODEVICE);
  EXPECT_ABI(SO_ATTACH_FILTER);
  EXPECT_ABI(SO_DETACH_FILTER);
  EXPECT_ABI(SO_PEERNAME);
  EXPECT_ABI(SO_TIMESTAMP);
  EXPECT_ABI(SO_TIMESTAMPNS);
  EXPECT_ABI(SO_TIMESTAMPING);
  EXPECT_ABI(SO_ACCEPTCONN);
  EXPECT_ABI(SO_PEERSEC);
  EXPECT_ABI(SO_PASSSEC);
  EXPECT_ABI(SO_MARK);
  EXPECT_ABI(SO_PROTOCOL);
  EXPECT_ABI(SO_DOMAIN);
  EXPECT_ABI(SO_RXQ_OVFL);
  EXPECT_ABI(SO_PEEK_OFF);
  EXPECT_ABI(SO_BUSY_POLL);
  EXPECT_ABI(SO_INCOMING_CPU);
  EXPECT_ABI(SO_ATTACH_BPF);
  EXPECT_ABI(SO_COOKIE);
  EXPECT_ABI(SO_PEERGROUPS);
  EXPECT_ABI(SO_ZEROCOPY);
  EXPECT_ABI(SO_TXTIME);
  EXPECT_ABI(SO_BINDTOIFINDEX);
  EXPECT_ABI(SO_TIMESTAMP_NEW);
  EXPECT_ABI(SO_RCVTIMEO_NEW);
  EXPECT_ABI(SO_SNDTIMEO_NEW);
  EXPECT_ABI(SO_DETACH_REUSEPORT_BPF);
  EXPECT_ABI(SO_PREFER_BUSY_POLL);
  EXPECT_ABI(SO_BUSY_POLL_BUDGET);
  EXPECT_ABI(SO_NETNS_COOKIE);
  EXPECT_ABI(SO_BUF_LOCK);
  EXPECT_ABI(SO_RESERVE_MEM);
  EXPECT_ABI(SO_TXREHASH);
  EXPECT_ABI(SO_RCVMARK);
  EXPECT_ABI(SCM_RIGHTS);
  EXPECT_ABI(SCM_CREDENTIALS);
  EXPECT_EQ(kSCM_SECURITY, 3);  // Not exported by libc or the uapi headers.
  EXPECT_ABI(SCM_TIMESTAMP);
  EXPECT_ABI(SCM_TIMESTAMPNS);
  EXPECT_ABI(SCM_TIMESTAMPING);
#ifdef SCM_PIDFD
  EXPECT_ABI(SCM_PIDFD);
#endif
  EXPECT_ABI(MSG_OOB);
  EXPECT_ABI(MSG_PEEK);
  EXPECT_ABI(MSG_DONTROUTE);
  EXPECT_ABI(MSG_TRYHARD);
  EXPECT_ABI(MSG_CTRUNC);
  EXPECT_ABI(MSG_PROXY);
  EXPECT_ABI(MSG_TRUNC);
  EXPECT_ABI(MSG_DONTWAIT);
  EXPECT_ABI(MSG_EOR);
  EXPECT_ABI(MSG_WAITALL);
  EXPECT_ABI(MSG_FIN);
  EXPECT_ABI(MSG_SYN);
  EXPECT_ABI(MSG_CONFIRM);
  EXPECT_ABI(MSG_RST);
  EXPECT_ABI(MSG_ERRQUEUE);
  EXPECT_ABI(MSG_NOSIGNAL);
  EXPECT_ABI(MSG_MORE);
  EXPECT_ABI(MSG_WAITFORONE);
  EXPECT_ABI(MSG_BATCH);
  EXPECT_ABI(MSG_ZEROCOPY);
  EXPECT_ABI(MSG_FASTOPEN);
  EXPECT_ABI(MSG_CMSG_CLOEXEC);
  EXPECT_ABI(INADDR_ANY);
  EXPECT_ABI(INADDR_BROADCAST);
  EXPECT_ABI(INADDR_NONE);
  EXPECT_ABI(INADDR_LOOPBACK);
  EXPECT_ABI(IPPROTO_IP);
  EXPECT_ABI(IPPROTO_ICMP);
  EXPECT_ABI(IPPROTO_IGMP);
  EXPECT_ABI(IPPROTO_IPIP);
  EXPECT_ABI(IPPROTO_TCP);
  EXPECT_ABI(IPPROTO_EGP);
  EXPECT_ABI(IPPROTO_PUP);
  EXPECT_ABI(IPPROTO_UDP);
  EXPECT_ABI(IPPROTO_IDP);
  EXPECT_ABI(IPPROTO_TP);
  EXPECT_ABI(IPPROTO_DCCP);
  EXPECT_ABI(IPPROTO_IPV6);
  EXPECT_ABI(IPPROTO_RSVP);
  EXPECT_ABI(IPPROTO_GRE);
  EXPECT_ABI(IPPROTO_ESP);
  EXPECT_ABI(IPPROTO_AH);
  EXPECT_ABI(IPPROTO_ICMPV6);
  EXPECT_ABI(IPPROTO_MTP);
  EXPECT_ABI(IPPROTO_BEETPH);
  EXPECT_ABI(IPPROTO_ENCAP);
  EXPECT_ABI(IPPROTO_PIM);
  EXPECT_ABI(IPPROTO_COMP);
  EXPECT_ABI(IPPROTO_SCTP);
  EXPECT_ABI(IPPROTO_UDPLITE);
  EXPECT_ABI(IPPROTO_MPLS);
  EXPECT_ABI(IPPROTO_ETHERNET);
  EXPECT_ABI(IPPROTO_RAW);
  EXPECT_ABI(IPPROTO_MPTCP);
  EXPECT_ABI(IP_TOS);
  EXPECT_ABI(IP_TTL);
  EXPECT_ABI(IP_HDRINCL);
  EXPECT_ABI(IP_OPTIONS);
  EXPECT_ABI(IP_RECVOPTS);
  EXPECT_ABI(IP_RETOPTS);
  EXPECT_ABI(IP_PKTINFO);
  EXPECT_ABI(IP_PKTOPTIONS);
  EXPECT_ABI(IP_MTU_DISCOVER);
  EXPECT_ABI(IP_RECVERR);
  EXPECT_ABI(IP_RECVTTL);
  EXPECT_ABI(IP_RECVTOS);
  EXPECT_ABI(IP_MTU);
  EXPECT_ABI(IP_FREEBIND);
  EXPECT_ABI(IP_TRANSPARENT);
  EXPECT_ABI(IP_BIND_ADDRESS_NO_PORT);
  EXPECT_ABI(IP_MULTICAST_IF);
  EXPECT_ABI(IP_MULTICAST_TTL);
  EXPECT_ABI(IP_MULTICAST_LOOP);
  EXPECT_ABI(IP_ADD_MEMBERSHIP);
  EXPECT_ABI(IP_DROP_MEMBERSHIP);
  EXPECT_ABI(IPV6_ADDRFORM);
  EXPECT_ABI(IPV6_UNICAST_HOPS);
  EXPECT_ABI(IPV6_MULTICAST_IF);
  EXPECT_ABI(IPV6_MULTICAST_HOPS);
  EXPECT_ABI(IPV6_MULTICAST_LOOP);
  EXPECT_ABI(IPV6_ADD_MEMBERSHIP);
  EXPECT_ABI(IPV6_DROP_MEMBERSHIP);
  EXPECT_ABI(IPV6_MTU_DISCOVER);
  EXPECT_ABI(IPV6_MTU);
  EXPECT_ABI(IPV6_RECVERR);
  EXPECT_ABI(IPV6_V6ONLY);
  EXPECT_ABI(IPV6_RECVPKTINFO);
  EXPECT_ABI(IPV6_PKTINFO);
  EXPECT_ABI(IPV6_RECVTCLASS);
  EXPECT_ABI(IPV6_TCLASS);
  EXPECT_ABI(TCP_NODELAY);
  EXPECT_ABI(TCP_MAXSEG);
  EXPECT_ABI(TCP_CORK);
  EXPECT_ABI(TCP_KEEPIDLE);
  EXPECT_ABI(TCP_KEEPINTVL);
  EXPECT_ABI(TCP_KEEPCNT);
  EXPECT_ABI(TCP_SYNCNT);
  EXPECT_ABI(TCP_LINGER2);
  EXPECT_ABI(TCP_DEFER_ACCEPT);
  EXPECT_ABI(TCP_WINDOW_CLAMP);
  EXPECT_ABI(TCP_INFO);
  EXPECT_ABI(TCP_QUICKACK);
  EXPECT_ABI(TCP_CONGESTION);
  EXPECT_ABI(TCP_MD5SIG);
  EXPECT_ABI(TCP_THIN_LINEAR_TIMEOUTS);
  EXPECT_ABI(TCP_THIN_DUPACK);
  EXPECT_ABI(TCP_USER_TIMEOUT);
  EXPECT_ABI(TCP_REPAIR);
  EXPECT_ABI(TCP_REPAIR_QUEUE);
  EXPECT_ABI(TCP_QUEUE_SEQ);
  EXPECT_ABI(TCP_REPAIR_OPTIONS);
  EXPECT_ABI(TCP_FASTOPEN);
  EXPECT_ABI(TCP_TIMESTAMP);
  EXPECT_ABI(TCP_NOTSENT_LOWAT);
  EXPECT_ABI(TCP_CC_INFO);
  EXPECT_ABI(TCP_SAVE_SYN);
  EXPECT_ABI(TCP_SAVED_SYN);
  EXPECT_ABI(TCP_REPAIR_WINDOW);
  EXPECT_ABI(TCP_FASTOPEN_CONNECT);
  EXPECT_ABI(TCP_ULP);
  EXPECT_ABI(TCP_MD5SIG_EXT);
  EXPECT_ABI(TCP_FASTOPEN_KEY);
  EXPECT_ABI(TCP_FASTOPEN_NO_COOKIE);
  EXPECT_ABI(TCP_ZEROCOPY_RECEIVE);
  EXPECT_ABI(TCP_INQ);
  EXPECT_ABI(TCP_TX_DELAY);
  EXPECT_ABI(FIOSETOWN);
  EXPECT_ABI(SIOCSPGRP);
  EXPECT_ABI(FIOGETOWN);
  EXPECT_ABI(SIOCGPGRP);
  EXPECT_ABI(SIOCATMARK);
  EXPECT_ABI(SIOCGSTAMP_OLD);
  EXPECT_ABI(SIOCGSTAMPNS_OLD);
  EXPECT_ABI(SIOCGIFNAME);
  EXPECT_ABI(SIOCGIFCONF);
  EXPECT_ABI(SIOCGIFFLAGS);
  EXPECT_ABI(SIOCSIFFLAGS);
  EXPECT_ABI(SIOCGIFADDR);
  EXPECT_ABI(SIOCGIFBRDADDR);
  EXPECT_ABI(SIOCGIFNETMASK);
  EXPECT_ABI(SIOCGIFMETRIC);
  EXPECT_ABI(SIOCGIFMTU);
  EXPECT_ABI(SIOCGIFHWADDR);
  EXPECT_ABI(SIOCGIFINDEX);
  EXPECT_ABI(SIOCGIFTXQLEN);
  EXPECT_ABI(SIOCOUTQ);
  EXPECT_ABI(SIOCINQ);
}

TEST(SocketTest, LayoutsMatchHost) {
  using HostSa = struct sockaddr;
  EXPECT_SAME_SIZE(Sockaddr, HostSa);
  EXPECT_FIELD(Sockaddr, HostSa, sa_family);
  EXPECT_FIELD(Sockaddr, HostSa, sa_data);
  using HostSs = struct sockaddr_storage;
  EXPECT_SAME_SIZE(SockaddrStorage, HostSs);
  EXPECT_EQ(alignof(SockaddrStorage), alignof(HostSs));
  EXPECT_FIELD(SockaddrStorage, HostSs, ss_family);
  using HostUn = struct sockaddr_un;
  EXPECT_SAME_SIZE(SockaddrUn, HostUn);
  EXPECT_FIELD(SockaddrUn, HostUn, sun_family);
  EXPECT_FIELD(SockaddrUn, HostUn, sun_path);
  using HostIn = struct sockaddr_in;
  EXPECT_SAME_SIZE(SockaddrIn, HostIn);
  EXPECT_FIELD(SockaddrIn, HostIn, sin_family);
  EXPECT_FIELD(SockaddrIn, HostIn, sin_port);
  EXPECT_FIELD(SockaddrIn, HostIn, sin_addr);
  EXPECT_FIELD(SockaddrIn, HostIn, sin_addr.s_addr);
  EXPECT_FIELD(SockaddrIn, HostIn, sin_zero);
  using HostIn6 = struct sockaddr_in6;
  EXPECT_SAME_SIZE(SockaddrIn6, HostIn6);
  EXPECT_FIELD(SockaddrIn6, HostIn6, sin6_family);
  EXPECT_FIELD(SockaddrIn6, HostIn6, sin6_port);
  EXPECT_FIELD(SockaddrIn6, HostIn6, sin6_flowinfo);
  EXPECT_FIELD(SockaddrIn6, HostIn6, sin6_addr);
  EXPECT_SAME_FIELD(SockaddrIn6, HostIn6, sin6_addr.in6_u.u6_addr8, sin6_addr.s6_addr);
  EXPECT_FIELD(SockaddrIn6, HostIn6, sin6_scope_id);
  using HostNl = struct sockaddr_nl;
  EXPECT_SAME_SIZE(SockaddrNl, HostNl);
  EXPECT_FIELD(SockaddrNl, HostNl, nl_family);
  EXPECT_FIELD(SockaddrNl, HostNl, nl_pad);
  EXPECT_FIELD(SockaddrNl, HostNl, nl_pid);
  EXPECT_FIELD(SockaddrNl, HostNl, nl_groups);
  using HostLl = struct sockaddr_ll;
  EXPECT_SAME_SIZE(SockaddrLl, HostLl);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_family);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_protocol);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_ifindex);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_hatype);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_pkttype);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_halen);
  EXPECT_FIELD(SockaddrLl, HostLl, sll_addr);
  using HostMsg = struct msghdr;
  EXPECT_SAME_SIZE(Msghdr, HostMsg);
  EXPECT_FIELD(Msghdr, HostMsg, msg_name);
  EXPECT_FIELD(Msghdr, HostMsg, msg_namelen);
  EXPECT_FIELD(Msghdr, HostMsg, msg_iov);
  EXPECT_FIELD(Msghdr, HostMsg, msg_iovlen);
  EXPECT_FIELD(Msghdr, HostMsg, msg_control);
  EXPECT_FIELD(Msghdr, HostMsg, msg_controllen);
  EXPECT_FIELD(Msghdr, HostMsg, msg_flags);
  using HostMmsg = struct mmsghdr;
  EXPECT_SAME_SIZE(Mmsghdr, HostMmsg);
  EXPECT_FIELD(Mmsghdr, HostMmsg, msg_hdr);
  EXPECT_FIELD(Mmsghdr, HostMmsg, msg_len);
  using HostCmsg = struct cmsghdr;
  EXPECT_SAME_SIZE(Cmsghdr, HostCmsg);
  EXPECT_FIELD(Cmsghdr, HostCmsg, cmsg_len);
  EXPECT_FIELD(Cmsghdr, HostCmsg, cmsg_level);
  EXPECT_FIELD(Cmsghdr, HostCmsg, cmsg_type);
  for (uint64_t n : {0, 1, 4, 7, 8, 12, 13, 4 * 253}) {
    EXPECT_EQ(CmsgLen(n), CMSG_LEN(n)) << n;
    EXPECT_EQ(CmsgSpace(n), CMSG_SPACE(n)) << n;
  }
  using HostUcred = struct ucred;
  EXPECT_SAME_SIZE(Ucred, HostUcred);
  EXPECT_FIELD(Ucred, HostUcred, pid);
  EXPECT_FIELD(Ucred, HostUcred, uid);
  EXPECT_FIELD(Ucred, HostUcred, gid);
  using HostLinger = struct linger;
  EXPECT_SAME_SIZE(Linger, HostLinger);
  EXPECT_FIELD(Linger, HostLinger, l_onoff);
  EXPECT_FIELD(Linger, HostLinger, l_linger);
}

// ---- dirent.h ----

TEST(DirentTest, MatchesHost) {
  EXPECT_ABI(DT_UNKNOWN);
  EXPECT_ABI(DT_FIFO);
  EXPECT_ABI(DT_CHR);
  EXPECT_ABI(DT_DIR);
  EXPECT_ABI(DT_BLK);
  EXPECT_ABI(DT_REG);
  EXPECT_ABI(DT_LNK);
  EXPECT_ABI(DT_SOCK);
  EXPECT_ABI(DT_WHT);
  EXPECT_EQ(IfToDt(S_IFDIR | 0755), IFTODT(S_IFDIR | 0755));
  EXPECT_EQ(IfToDt(S_IFLNK), DT_LNK);
  EXPECT_EQ(DtToIf(DT_SOCK), DTTOIF(DT_SOCK));
  using Host = struct dirent64;
  EXPECT_FIELD(Dirent64, Host, d_ino);
  EXPECT_FIELD(Dirent64, Host, d_off);
  EXPECT_FIELD(Dirent64, Host, d_reclen);
  EXPECT_FIELD(Dirent64, Host, d_type);
  EXPECT_EQ(kDirent64NameOffset, offsetof(Host, d_name));
  EXPECT_EQ(Dirent64RecordLength(1), 24u);  // "." : 19 + 1 + NUL, rounded up to 8.
  EXPECT_EQ(Dirent64RecordLength(4), 24u);
  EXPECT_EQ(Dirent64RecordLength(5), 32u);
  EXPECT_EQ(LinuxDirentRecordLength(1), 24u);  // 18 + 1 + NUL + d_type, rounded up to 8.
  EXPECT_EQ(LinuxDirentRecordLength(4), 24u);
  EXPECT_EQ(LinuxDirentRecordLength(5), 32u);
}

// ---- statfs.h ----

TEST(StatfsTest, MatchesHost) {
  using Host = struct statfs;
  EXPECT_SAME_SIZE(Statfs, Host);
  EXPECT_FIELD(Statfs, Host, f_type);
  EXPECT_FIELD(Statfs, Host, f_bsize);
  EXPECT_FIELD(Statfs, Host, f_blocks);
  EXPECT_FIELD(Statfs, Host, f_bfree);
  EXPECT_FIELD(Statfs, Host, f_bavail);
  EXPECT_FIELD(Statfs, Host, f_files);
  EXPECT_FIELD(Statfs, Host, f_ffree);
  EXPECT_FIELD(Statfs, Host, f_fsid);
  EXPECT_FIELD(Statfs, Host, f_namelen);
  EXPECT_FIELD(Statfs, Host, f_frsize);
  EXPECT_FIELD(Statfs, Host, f_flags);
  EXPECT_FIELD(Statfs, Host, f_spare);
  EXPECT_ABI(ST_RDONLY);
  EXPECT_ABI(ST_NOSUID);
  EXPECT_ABI(ST_NODEV);
  EXPECT_ABI(ST_NOEXEC);
  EXPECT_ABI(ST_SYNCHRONOUS);
  EXPECT_ABI(ST_MANDLOCK);
  EXPECT_ABI(ST_NOATIME);
  EXPECT_ABI(ST_NODIRATIME);
  EXPECT_ABI(ST_RELATIME);
  EXPECT_ABI(ANON_INODE_FS_MAGIC);
  EXPECT_ABI(BINFMTFS_MAGIC);
  EXPECT_ABI(BPF_FS_MAGIC);
  EXPECT_ABI(BTRFS_SUPER_MAGIC);
  EXPECT_ABI(CGROUP_SUPER_MAGIC);
  EXPECT_ABI(CGROUP2_SUPER_MAGIC);
  EXPECT_ABI(DEBUGFS_MAGIC);
  EXPECT_ABI(DEVPTS_SUPER_MAGIC);
  EXPECT_ABI(EXT2_SUPER_MAGIC);
  EXPECT_ABI(EXT3_SUPER_MAGIC);
  EXPECT_ABI(EXT4_SUPER_MAGIC);
  EXPECT_ABI(FUSE_SUPER_MAGIC);
  EXPECT_ABI(HUGETLBFS_MAGIC);
  EXPECT_ABI(NFS_SUPER_MAGIC);
  EXPECT_ABI(NSFS_MAGIC);
  EXPECT_ABI(OVERLAYFS_SUPER_MAGIC);
  EXPECT_ABI(PIPEFS_MAGIC);
  EXPECT_ABI(PROC_SUPER_MAGIC);
  EXPECT_ABI(RAMFS_MAGIC);
  EXPECT_ABI(SECURITYFS_MAGIC);
  EXPECT_ABI(SELINUX_MAGIC);
  EXPECT_ABI(SOCKFS_MAGIC);
  EXPECT_ABI(SQUASHFS_MAGIC);
  EXPECT_ABI(SYSFS_MAGIC);
  EXPECT_ABI(TMPFS_MAGIC);
  EXPECT_ABI(TRACEFS_MAGIC);
  EXPECT_ABI(V9FS_MAGIC);
  EXPECT_ABI(XFS_SUPER_MAGIC);
  // The sentry reports these magics in statfs; check one against the running kernel.
  struct statfs proc;
  if (statfs("/proc", &proc) == 0) {
    EXPECT_EQ(proc.f_type, kPROC_SUPER_MAGIC);
  }
}

// ---- limits.h ----

TEST(LimitsTest, MatchesHost) {
  EXPECT_ABI(NGROUPS_MAX);
  EXPECT_ABI(MAX_CANON);
  EXPECT_ABI(MAX_INPUT);
  EXPECT_ABI(NAME_MAX);
  EXPECT_ABI(PATH_MAX);
  EXPECT_ABI(PIPE_BUF);
  EXPECT_ABI(XATTR_NAME_MAX);
  EXPECT_ABI(XATTR_SIZE_MAX);
  EXPECT_ABI(XATTR_LIST_MAX);
  EXPECT_ABI(RTSIG_MAX);
  EXPECT_ABI(IOV_MAX);
  EXPECT_ABI(HOST_NAME_MAX);
  EXPECT_ABI(MAX_ARG_STRLEN);
  EXPECT_ABI(MAX_ARG_STRINGS);
  EXPECT_ABI(BINPRM_BUF_SIZE);
  EXPECT_EQ(kPageSize, sysconf(_SC_PAGESIZE));
  EXPECT_EQ(int64_t{1} << kPageShift, kPageSize);
  EXPECT_EQ(kMaxSymlinkTraversals, 40);
  EXPECT_EQ(kMAX_RW_COUNT, 0x7ffff000);
}

// ---- sysinfo.h, utsname.h, xattr.h ----

TEST(SysinfoTest, MatchesHost) {
  using Host = struct sysinfo;
  EXPECT_SAME_SIZE(Sysinfo, Host);
  EXPECT_FIELD(Sysinfo, Host, uptime);
  EXPECT_FIELD(Sysinfo, Host, loads);
  EXPECT_FIELD(Sysinfo, Host, totalram);
  EXPECT_FIELD(Sysinfo, Host, freeram);
  EXPECT_FIELD(Sysinfo, Host, sharedram);
  EXPECT_FIELD(Sysinfo, Host, bufferram);
  EXPECT_FIELD(Sysinfo, Host, totalswap);
  EXPECT_FIELD(Sysinfo, Host, freeswap);
  EXPECT_FIELD(Sysinfo, Host, procs);
  EXPECT_FIELD(Sysinfo, Host, totalhigh);
  EXPECT_FIELD(Sysinfo, Host, freehigh);
  EXPECT_FIELD(Sysinfo, Host, mem_unit);
  EXPECT_ABI(SI_LOAD_SHIFT);
}

TEST(XattrTest, MatchesHost) {
  EXPECT_ABI(XATTR_CREATE);
  EXPECT_ABI(XATTR_REPLACE);
  EXPECT_EQ(kXATTR_USER_PREFIX, "user.");
}

// ---- mount.h ----

TEST(MountTest, MatchesHost) {
  EXPECT_ABI(MS_RDONLY);
  EXPECT_ABI(MS_NOSUID);
  EXPECT_ABI(MS_NODEV);
  EXPECT_ABI(MS_NOEXEC);
  EXPECT_ABI(MS_SYNCHRONOUS);
  EXPECT_ABI(MS_REMOUNT);
  EXPECT_ABI(MS_MANDLOCK);
  EXPECT_ABI(MS_DIRSYNC);
  EXPECT_ABI(MS_NOSYMFOLLOW);
  EXPECT_ABI(MS_NOATIME);
  EXPECT_ABI(MS_NODIRATIME);
  EXPECT_ABI(MS_BIND);
  EXPECT_ABI(MS_MOVE);
  EXPECT_ABI(MS_REC);
  EXPECT_ABI(MS_SILENT);
  EXPECT_ABI(MS_POSIXACL);
  EXPECT_ABI(MS_UNBINDABLE);
  EXPECT_ABI(MS_PRIVATE);
  EXPECT_ABI(MS_SLAVE);
  EXPECT_ABI(MS_SHARED);
  EXPECT_ABI(MS_RELATIME);
  EXPECT_ABI(MS_KERNMOUNT);
  EXPECT_ABI(MS_I_VERSION);
  EXPECT_ABI(MS_STRICTATIME);
  EXPECT_ABI(MS_LAZYTIME);
  EXPECT_ABI(MS_ACTIVE);
  EXPECT_ABI(MS_NOUSER);
  EXPECT_ABI(MS_RMT_MASK);
  EXPECT_ABI(MS_MGC_VAL);
  EXPECT_ABI(MS_MGC_MSK);
  EXPECT_ABI(MNT_FORCE);
  EXPECT_ABI(MNT_DETACH);
  EXPECT_ABI(MNT_EXPIRE);
  EXPECT_ABI(UMOUNT_NOFOLLOW);
#ifdef MOUNT_ATTR_IDMAP
  EXPECT_ABI(OPEN_TREE_CLONE);
  EXPECT_ABI(OPEN_TREE_CLOEXEC);
  EXPECT_ABI(MOVE_MOUNT_F_SYMLINKS);
  EXPECT_ABI(MOVE_MOUNT_F_AUTOMOUNTS);
  EXPECT_ABI(MOVE_MOUNT_F_EMPTY_PATH);
  EXPECT_ABI(MOVE_MOUNT_T_SYMLINKS);
  EXPECT_ABI(MOVE_MOUNT_T_AUTOMOUNTS);
  EXPECT_ABI(MOVE_MOUNT_T_EMPTY_PATH);
  EXPECT_ABI(MOVE_MOUNT_SET_GROUP);
  EXPECT_ABI(FSOPEN_CLOEXEC);
  EXPECT_ABI(FSMOUNT_CLOEXEC);
  EXPECT_ABI(MOUNT_ATTR_RDONLY);
  EXPECT_ABI(MOUNT_ATTR_NOSUID);
  EXPECT_ABI(MOUNT_ATTR_NODEV);
  EXPECT_ABI(MOUNT_ATTR_NOEXEC);
  EXPECT_ABI(MOUNT_ATTR__ATIME);
  EXPECT_ABI(MOUNT_ATTR_RELATIME);
  EXPECT_ABI(MOUNT_ATTR_NOATIME);
  EXPECT_ABI(MOUNT_ATTR_STRICTATIME);
  EXPECT_ABI(MOUNT_ATTR_NODIRATIME);
  EXPECT_ABI(MOUNT_ATTR_IDMAP);
  EXPECT_ABI(MOUNT_ATTR_NOSYMFOLLOW);
  EXPECT_ABI(MOUNT_ATTR_SIZE_VER0);
  using Host = struct mount_attr;
  EXPECT_SAME_SIZE(MountAttr, Host);
  EXPECT_FIELD(MountAttr, Host, attr_set);
  EXPECT_FIELD(MountAttr, Host, attr_clr);
  EXPECT_FIELD(MountAttr, Host, propagation);
  EXPECT_FIELD(MountAttr, Host, userns_fd);
#endif
}

// ---- ipc.h ----

TEST(IpcTest, ConstantsMatchHost) {
  EXPECT_ABI(IPC_PRIVATE);
  EXPECT_ABI(IPC_CREAT);
  EXPECT_ABI(IPC_EXCL);
  EXPECT_ABI(IPC_NOWAIT);
  EXPECT_ABI(IPC_RMID);
  EXPECT_ABI(IPC_SET);
  EXPECT_ABI(IPC_STAT);
  EXPECT_ABI(IPC_INFO);
  EXPECT_ABI(SHM_R);
  EXPECT_ABI(SHM_W);
  EXPECT_ABI(SHM_HUGETLB);
  EXPECT_ABI(SHM_NORESERVE);
  EXPECT_ABI(SHM_RDONLY);
  EXPECT_ABI(SHM_RND);
  EXPECT_ABI(SHM_REMAP);
  EXPECT_ABI(SHM_EXEC);
  EXPECT_ABI(SHM_LOCK);
  EXPECT_ABI(SHM_UNLOCK);
  EXPECT_ABI(SHM_STAT);
  EXPECT_ABI(SHM_INFO);
  EXPECT_ABI(SHM_STAT_ANY);
  EXPECT_ABI(SHM_DEST);
  EXPECT_ABI(SHM_LOCKED);
  EXPECT_ABI(SEM_UNDO);
  EXPECT_ABI(GETPID);
  EXPECT_ABI(GETVAL);
  EXPECT_ABI(GETALL);
  EXPECT_ABI(GETNCNT);
  EXPECT_ABI(GETZCNT);
  EXPECT_ABI(SETVAL);
  EXPECT_ABI(SETALL);
  EXPECT_ABI(SEM_STAT);
  EXPECT_ABI(SEM_INFO);
  EXPECT_ABI(SEM_STAT_ANY);
  EXPECT_ABI(MSG_NOERROR);
  EXPECT_ABI(MSG_EXCEPT);
  EXPECT_ABI(MSG_COPY);
  EXPECT_ABI(MSG_STAT);
  EXPECT_ABI(MSG_INFO);
  EXPECT_ABI(MSG_STAT_ANY);
}

TEST(IpcTest, LayoutsMatchHost) {
  using HostPerm = struct ipc_perm;
  EXPECT_SAME_SIZE(IpcPerm, HostPerm);
  EXPECT_SAME_FIELD(IpcPerm, HostPerm, key, __key);
  EXPECT_FIELD(IpcPerm, HostPerm, uid);
  EXPECT_FIELD(IpcPerm, HostPerm, gid);
  EXPECT_FIELD(IpcPerm, HostPerm, cuid);
  EXPECT_FIELD(IpcPerm, HostPerm, cgid);
  EXPECT_EQ(offsetof(IpcPerm, mode), offsetof(HostPerm, mode));  // glibc: u16 + padding.
  EXPECT_SAME_FIELD(IpcPerm, HostPerm, seq, __seq);
  using HostShm = struct shmid_ds;
  EXPECT_SAME_SIZE(ShmidDs, HostShm);
  EXPECT_FIELD(ShmidDs, HostShm, shm_perm);
  EXPECT_FIELD(ShmidDs, HostShm, shm_segsz);
  EXPECT_FIELD(ShmidDs, HostShm, shm_atime);
  EXPECT_FIELD(ShmidDs, HostShm, shm_dtime);
  EXPECT_FIELD(ShmidDs, HostShm, shm_ctime);
  EXPECT_FIELD(ShmidDs, HostShm, shm_cpid);
  EXPECT_FIELD(ShmidDs, HostShm, shm_lpid);
  EXPECT_FIELD(ShmidDs, HostShm, shm_nattch);
  using HostShmInfo = struct shminfo;
  EXPECT_SAME_SIZE(ShmInfo64, HostShmInfo);
  EXPECT_FIELD(ShmInfo64, HostShmInfo, shmmax);
  EXPECT_FIELD(ShmInfo64, HostShmInfo, shmall);
  using HostShmStat = struct shm_info;
  EXPECT_SAME_SIZE(ShmInfo, HostShmStat);
  EXPECT_FIELD(ShmInfo, HostShmStat, used_ids);
  EXPECT_FIELD(ShmInfo, HostShmStat, shm_tot);
  EXPECT_FIELD(ShmInfo, HostShmStat, shm_rss);
  EXPECT_FIELD(ShmInfo, HostShmStat, shm_swp);
  EXPECT_FIELD(ShmInfo, HostShmStat, swap_attempts);
  EXPECT_FIELD(ShmInfo, HostShmStat, swap_successes);
  using HostSem = struct semid_ds;
  EXPECT_SAME_SIZE(SemidDs, HostSem);
  EXPECT_FIELD(SemidDs, HostSem, sem_perm);
  EXPECT_FIELD(SemidDs, HostSem, sem_otime);
  EXPECT_FIELD(SemidDs, HostSem, sem_ctime);
  EXPECT_FIELD(SemidDs, HostSem, sem_nsems);
  using HostSembuf = struct sembuf;
  EXPECT_SAME_SIZE(Sembuf, HostSembuf);
  EXPECT_FIELD(Sembuf, HostSembuf, sem_num);
  EXPECT_FIELD(Sembuf, HostSembuf, sem_op);
  EXPECT_FIELD(Sembuf, HostSembuf, sem_flg);
  using HostSemInfo = struct seminfo;
  EXPECT_SAME_SIZE(SemInfo, HostSemInfo);
  EXPECT_FIELD(SemInfo, HostSemInfo, semmap);
  EXPECT_FIELD(SemInfo, HostSemInfo, semaem);
  using HostMsq = struct msqid_ds;
  EXPECT_SAME_SIZE(MsqidDs, HostMsq);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_perm);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_stime);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_rtime);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_ctime);
  EXPECT_SAME_FIELD(MsqidDs, HostMsq, msg_curbytes, msg_cbytes);  // libc macro: __msg_cbytes.
  EXPECT_FIELD(MsqidDs, HostMsq, msg_qnum);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_qbytes);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_lspid);
  EXPECT_FIELD(MsqidDs, HostMsq, msg_lrpid);
  using HostMsgInfo = struct msginfo;
  EXPECT_SAME_SIZE(MsgInfo, HostMsgInfo);
  EXPECT_FIELD(MsgInfo, HostMsgInfo, msgpool);
  EXPECT_FIELD(MsgInfo, HostMsgInfo, msgtql);
  EXPECT_FIELD(MsgInfo, HostMsgInfo, msgseg);
}

// ---- seccomp.h ----

TEST(SeccompTest, MatchesHost) {
  EXPECT_ABI(SECCOMP_MODE_DISABLED);
  EXPECT_ABI(SECCOMP_MODE_STRICT);
  EXPECT_ABI(SECCOMP_MODE_FILTER);
  EXPECT_ABI(SECCOMP_SET_MODE_STRICT);
  EXPECT_ABI(SECCOMP_SET_MODE_FILTER);
  EXPECT_ABI(SECCOMP_GET_ACTION_AVAIL);
  EXPECT_ABI(SECCOMP_GET_NOTIF_SIZES);
  EXPECT_ABI(SECCOMP_FILTER_FLAG_TSYNC);
  EXPECT_ABI(SECCOMP_FILTER_FLAG_LOG);
  EXPECT_ABI(SECCOMP_FILTER_FLAG_SPEC_ALLOW);
  EXPECT_ABI(SECCOMP_FILTER_FLAG_NEW_LISTENER);
  EXPECT_ABI(SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
  EXPECT_ABI(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
  EXPECT_ABI(SECCOMP_RET_KILL_PROCESS);
  EXPECT_ABI(SECCOMP_RET_KILL_THREAD);
  EXPECT_ABI(SECCOMP_RET_KILL);
  EXPECT_ABI(SECCOMP_RET_TRAP);
  EXPECT_ABI(SECCOMP_RET_ERRNO);
  EXPECT_ABI(SECCOMP_RET_USER_NOTIF);
  EXPECT_ABI(SECCOMP_RET_TRACE);
  EXPECT_ABI(SECCOMP_RET_LOG);
  EXPECT_ABI(SECCOMP_RET_ALLOW);
  EXPECT_ABI(SECCOMP_RET_ACTION_FULL);
  EXPECT_ABI(SECCOMP_RET_ACTION);
  EXPECT_ABI(SECCOMP_RET_DATA);
  EXPECT_ABI(SECCOMP_USER_NOTIF_FLAG_CONTINUE);
  EXPECT_ABI(SECCOMP_ADDFD_FLAG_SETFD);
  EXPECT_ABI(SECCOMP_ADDFD_FLAG_SEND);
  EXPECT_ABI(SECCOMP_IOCTL_NOTIF_RECV);
  EXPECT_ABI(SECCOMP_IOCTL_NOTIF_SEND);
  EXPECT_ABI(SECCOMP_IOCTL_NOTIF_ID_VALID);
  EXPECT_ABI(SECCOMP_IOCTL_NOTIF_ADDFD);
  EXPECT_ABI(AUDIT_ARCH_X86_64);
  EXPECT_ABI(AUDIT_ARCH_I386);
  EXPECT_ABI(BPF_MAXINSNS);
  EXPECT_ABI(BPF_MEMWORDS);
  EXPECT_ABI(BPF_LD);
  EXPECT_ABI(BPF_LDX);
  EXPECT_ABI(BPF_ST);
  EXPECT_ABI(BPF_STX);
  EXPECT_ABI(BPF_ALU);
  EXPECT_ABI(BPF_JMP);
  EXPECT_ABI(BPF_RET);
  EXPECT_ABI(BPF_MISC);
  EXPECT_ABI(BPF_W);
  EXPECT_ABI(BPF_H);
  EXPECT_ABI(BPF_B);
  EXPECT_ABI(BPF_IMM);
  EXPECT_ABI(BPF_ABS);
  EXPECT_ABI(BPF_IND);
  EXPECT_ABI(BPF_MEM);
  EXPECT_ABI(BPF_LEN);
  EXPECT_ABI(BPF_MSH);
  EXPECT_ABI(BPF_ADD);
  EXPECT_ABI(BPF_SUB);
  EXPECT_ABI(BPF_MUL);
  EXPECT_ABI(BPF_DIV);
  EXPECT_ABI(BPF_OR);
  EXPECT_ABI(BPF_AND);
  EXPECT_ABI(BPF_LSH);
  EXPECT_ABI(BPF_RSH);
  EXPECT_ABI(BPF_NEG);
  EXPECT_ABI(BPF_MOD);
  EXPECT_ABI(BPF_XOR);
  EXPECT_ABI(BPF_JA);
  EXPECT_ABI(BPF_JEQ);
  EXPECT_ABI(BPF_JGT);
  EXPECT_ABI(BPF_JGE);
  EXPECT_ABI(BPF_JSET);
  EXPECT_ABI(BPF_K);
  EXPECT_ABI(BPF_X);
  EXPECT_ABI(BPF_A);
  EXPECT_ABI(BPF_TAX);
  EXPECT_ABI(BPF_TXA);
  constexpr uint16_t kCode = BPF_JMP | BPF_JEQ | BPF_K;
  EXPECT_EQ(BpfClass(kCode), BPF_CLASS(kCode));
  EXPECT_EQ(BpfOp(kCode), BPF_OP(kCode));
  EXPECT_EQ(BpfSrc(kCode), BPF_SRC(kCode));
  constexpr uint16_t kLoad = BPF_LD | BPF_W | BPF_ABS;
  EXPECT_EQ(BpfSize(kLoad), BPF_SIZE(kLoad));
  EXPECT_EQ(BpfMode(kLoad), BPF_MODE(kLoad));
  EXPECT_EQ(BpfRval(BPF_RET | BPF_A), BPF_RVAL(BPF_RET | BPF_A));
  EXPECT_EQ(BpfMiscOp(BPF_MISC | BPF_TXA), BPF_MISCOP(BPF_MISC | BPF_TXA));
  constexpr struct sock_filter kHostJump =
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  constexpr SockFilter kOurJump = BpfJump(kCode, kAUDIT_ARCH_X86_64, 1, 0);
  EXPECT_EQ(kOurJump.code, kHostJump.code);
  EXPECT_EQ(kOurJump.jt, kHostJump.jt);
  EXPECT_EQ(kOurJump.jf, kHostJump.jf);
  EXPECT_EQ(kOurJump.k, kHostJump.k);
  EXPECT_EQ(BpfStmt(kLoad, 4).k, 4u);
  using HostData = struct seccomp_data;
  EXPECT_SAME_SIZE(SeccompData, HostData);
  EXPECT_FIELD(SeccompData, HostData, nr);
  EXPECT_FIELD(SeccompData, HostData, arch);
  EXPECT_FIELD(SeccompData, HostData, instruction_pointer);
  EXPECT_FIELD(SeccompData, HostData, args);
  using HostSizes = struct seccomp_notif_sizes;
  EXPECT_SAME_SIZE(SeccompNotifSizes, HostSizes);
  using HostNotif = struct seccomp_notif;
  EXPECT_SAME_SIZE(SeccompNotif, HostNotif);
  EXPECT_FIELD(SeccompNotif, HostNotif, id);
  EXPECT_FIELD(SeccompNotif, HostNotif, pid);
  EXPECT_FIELD(SeccompNotif, HostNotif, flags);
  EXPECT_FIELD(SeccompNotif, HostNotif, data);
  using HostResp = struct seccomp_notif_resp;
  EXPECT_SAME_SIZE(SeccompNotifResp, HostResp);
  EXPECT_FIELD(SeccompNotifResp, HostResp, id);
  EXPECT_FIELD(SeccompNotifResp, HostResp, val);
  EXPECT_FIELD(SeccompNotifResp, HostResp, error);
  EXPECT_FIELD(SeccompNotifResp, HostResp, flags);
  using HostAddfd = struct seccomp_notif_addfd;
  EXPECT_SAME_SIZE(SeccompNotifAddfd, HostAddfd);
  EXPECT_FIELD(SeccompNotifAddfd, HostAddfd, id);
  EXPECT_FIELD(SeccompNotifAddfd, HostAddfd, flags);
  EXPECT_FIELD(SeccompNotifAddfd, HostAddfd, srcfd);
  EXPECT_FIELD(SeccompNotifAddfd, HostAddfd, newfd);
  EXPECT_FIELD(SeccompNotifAddfd, HostAddfd, newfd_flags);
  using HostFilter = struct sock_filter;
  EXPECT_SAME_SIZE(SockFilter, HostFilter);
  EXPECT_FIELD(SockFilter, HostFilter, code);
  EXPECT_FIELD(SockFilter, HostFilter, jt);
  EXPECT_FIELD(SockFilter, HostFilter, jf);
  EXPECT_FIELD(SockFilter, HostFilter, k);
  using HostProg = struct sock_fprog;
  EXPECT_SAME_SIZE(SockFprog, HostProg);
  EXPECT_FIELD(SockFprog, HostProg, len);
  EXPECT_FIELD(SockFprog, HostProg, filter);
}

// ---- rseq.h, membarrier.h, personality.h, mempolicy.h, reboot.h ----

TEST(RseqTest, MatchesHost) {
  EXPECT_ABI(RSEQ_CPU_ID_UNINITIALIZED);
  EXPECT_ABI(RSEQ_CPU_ID_REGISTRATION_FAILED);
  EXPECT_ABI(RSEQ_FLAG_UNREGISTER);
  EXPECT_ABI(RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT);
  EXPECT_ABI(RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL);
  EXPECT_ABI(RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE);
  using Host = struct rseq;
  EXPECT_SAME_SIZE(Rseq, Host);
  EXPECT_EQ(alignof(Rseq), alignof(Host));
  EXPECT_FIELD(Rseq, Host, cpu_id_start);
  EXPECT_FIELD(Rseq, Host, cpu_id);
  EXPECT_FIELD(Rseq, Host, rseq_cs);
  EXPECT_FIELD(Rseq, Host, flags);
  using HostCs = struct rseq_cs;
  EXPECT_SAME_SIZE(RseqCs, HostCs);
  EXPECT_EQ(alignof(RseqCs), alignof(HostCs));
  EXPECT_FIELD(RseqCs, HostCs, version);
  EXPECT_FIELD(RseqCs, HostCs, flags);
  EXPECT_FIELD(RseqCs, HostCs, start_ip);
  EXPECT_FIELD(RseqCs, HostCs, post_commit_offset);
  EXPECT_FIELD(RseqCs, HostCs, abort_ip);
}

TEST(MembarrierTest, MatchesHost) {
  EXPECT_ABI(MEMBARRIER_CMD_QUERY);
  EXPECT_ABI(MEMBARRIER_CMD_GLOBAL);
  EXPECT_ABI(MEMBARRIER_CMD_SHARED);
  EXPECT_ABI(MEMBARRIER_CMD_GLOBAL_EXPEDITED);
  EXPECT_ABI(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
  EXPECT_ABI(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
  EXPECT_ABI(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
  EXPECT_ABI(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE);
  EXPECT_ABI(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE);
  EXPECT_ABI(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ);
  EXPECT_ABI(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ);
  EXPECT_ABI(MEMBARRIER_CMD_FLAG_CPU);
}

TEST(PersonalityTest, MatchesHost) {
  EXPECT_ABI(UNAME26);
  EXPECT_ABI(ADDR_NO_RANDOMIZE);
  EXPECT_ABI(FDPIC_FUNCPTRS);
  EXPECT_ABI(MMAP_PAGE_ZERO);
  EXPECT_ABI(ADDR_COMPAT_LAYOUT);
  EXPECT_ABI(READ_IMPLIES_EXEC);
  EXPECT_ABI(ADDR_LIMIT_32BIT);
  EXPECT_ABI(SHORT_INODE);
  EXPECT_ABI(WHOLE_SECONDS);
  EXPECT_ABI(STICKY_TIMEOUTS);
  EXPECT_ABI(ADDR_LIMIT_3GB);
  EXPECT_ABI(PER_LINUX);
  EXPECT_ABI(PER_LINUX_32BIT);
  EXPECT_ABI(PER_LINUX_FDPIC);
  EXPECT_ABI(PER_SVR4);
  EXPECT_ABI(PER_SVR3);
  EXPECT_ABI(PER_BSD);
  EXPECT_ABI(PER_LINUX32);
  EXPECT_ABI(PER_LINUX32_3GB);
  EXPECT_ABI(PER_MASK);
}

TEST(MempolicyTest, MatchesHost) {
  EXPECT_ABI(MPOL_DEFAULT);
  EXPECT_ABI(MPOL_PREFERRED);
  EXPECT_ABI(MPOL_BIND);
  EXPECT_ABI(MPOL_INTERLEAVE);
  EXPECT_ABI(MPOL_LOCAL);
  EXPECT_ABI(MPOL_PREFERRED_MANY);
  EXPECT_ABI(MPOL_MAX);
  EXPECT_ABI(MPOL_F_STATIC_NODES);
  EXPECT_ABI(MPOL_F_RELATIVE_NODES);
  EXPECT_ABI(MPOL_F_NUMA_BALANCING);
  EXPECT_ABI(MPOL_MODE_FLAGS);
  EXPECT_ABI(MPOL_F_NODE);
  EXPECT_ABI(MPOL_F_ADDR);
  EXPECT_ABI(MPOL_F_MEMS_ALLOWED);
  EXPECT_ABI(MPOL_MF_STRICT);
  EXPECT_ABI(MPOL_MF_MOVE);
  EXPECT_ABI(MPOL_MF_MOVE_ALL);
  EXPECT_ABI(MPOL_MF_LAZY);
  EXPECT_ABI(MPOL_MF_VALID);
}

TEST(RebootTest, MatchesHost) {
  EXPECT_ABI(LINUX_REBOOT_MAGIC1);
  EXPECT_ABI(LINUX_REBOOT_MAGIC2);
  EXPECT_ABI(LINUX_REBOOT_MAGIC2A);
  EXPECT_ABI(LINUX_REBOOT_MAGIC2B);
  EXPECT_ABI(LINUX_REBOOT_MAGIC2C);
  EXPECT_ABI(LINUX_REBOOT_CMD_RESTART);
  EXPECT_ABI(LINUX_REBOOT_CMD_HALT);
  EXPECT_ABI(LINUX_REBOOT_CMD_CAD_ON);
  EXPECT_ABI(LINUX_REBOOT_CMD_CAD_OFF);
  EXPECT_ABI(LINUX_REBOOT_CMD_POWER_OFF);
  EXPECT_ABI(LINUX_REBOOT_CMD_RESTART2);
  EXPECT_ABI(LINUX_REBOOT_CMD_SW_SUSPEND);
  EXPECT_ABI(LINUX_REBOOT_CMD_KEXEC);
}

}  // namespace
}  // namespace abi_linux
