#include "runsc/sentry_hardening.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/logging.h"
#include "util/status_macros.h"

namespace runsc {

namespace {

using util::ArgEq;
using util::ArgMaskedEq;
using util::RiskyRelaxation;
using util::SeccompFilter;

// SIGSYS from the filter: a host call the allowlist does not have. It is a
// bug in the sentry (a guest cannot choose the sentry's host calls), so it
// is logged by name and the sandbox ends, rather than carrying on with a
// call that silently failed.
void OnSigsys(int, siginfo_t* info, void*) {
  // SAFETY: snprintf of integers into a stack buffer and write(2): no
  // locks, no allocation (the call may have trapped inside malloc).
  char line[160];
  int n = std::snprintf(line, sizeof(line),
                        "sentry: host syscall %d is not in the sentry's seccomp allowlist "
                        "(ausyscall %d names it); ending the sandbox\n",
                        info->si_syscall, info->si_syscall);
  if (n > 0) util::WriteLogLine(std::string_view(line, static_cast<size_t>(n)));
  _exit(128 + SIGSYS);
}

}  // namespace

absl::StatusOr<util::SeccompProgram> BuildSentryFilter() {
  const RiskyRelaxation tracing("the sentry traces the stub processes guest code runs in");
  return SeccompFilter(SCMP_ACT_TRAP)
      // Tracing the stubs: every guest syscall, fault and signal.
      .Allow(SCMP_SYS(ptrace), tracing, "run and stop stub threads, read and set registers")
      .Allow(SCMP_SYS(wait4), "wait for stub stops and exits")
      .Allow(SCMP_SYS(waitid), "wait for stub stops and exits")
      .Allow(SCMP_SYS(kill), tracing, "kill stub processes")
      .Allow(SCMP_SYS(tgkill), tracing, "interrupt a running stub thread; signal own threads")
      .Allow(SCMP_SYS(sched_setaffinity), "pin a sentry thread and its stub thread together")
      .Allow(SCMP_SYS(sched_getaffinity), "the CPUs the sandbox may use")
      .Allow(SCMP_SYS(sched_yield), "spin-wait hand-offs")
      .Allow(SCMP_SYS(sched_getparam), "new threads inherit the creator's scheduling")
      .Allow(SCMP_SYS(sched_getscheduler), "new threads inherit the creator's scheduling")
      .Allow(SCMP_SYS(sched_rr_get_interval), "the host's time slice, for the guest's")
      // No host path is opened any more. Libraries that look at one lazily
      // (glibc's CPU count reads /sys) get an error and use their fallback.
      .Fail(SCMP_SYS(open), EACCES, "no host paths")
      .Fail(SCMP_SYS(openat), EACCES, "no host paths")
      .Fail(SCMP_SYS(readlink), EACCES, "no host paths (host fds are named from fstat)")
      .Fail(SCMP_SYS(readlinkat), EACCES, "no host paths (host fds are named from fstat)")
      // I/O on descriptors already held: gofer sockets, the memory file,
      // host stdio, the control socket and what it hands in.
      .Allow(SCMP_SYS(read), "read held fds")
      .Allow(SCMP_SYS(write), "write held fds, the log")
      .Allow(SCMP_SYS(readv), "read held fds")
      .Allow(SCMP_SYS(writev), "write held fds")
      .Allow(SCMP_SYS(pread64), "file data from gofer-donated fds")
      .Allow(SCMP_SYS(pwrite64), "file data to gofer-donated fds")
      .Allow(SCMP_SYS(preadv), "file data from gofer-donated fds into guest pages")
      .Allow(SCMP_SYS(pwritev), "file data from guest pages to gofer-donated fds")
      .Allow(SCMP_SYS(sendmsg), "gofer requests, control replies, fds to clients")
      .Allow(SCMP_SYS(recvmsg), "gofer replies with fds, control requests")
      .Allow(SCMP_SYS(accept4), "control socket connections")
      .Allow(SCMP_SYS(close), "drop held fds")
      .Allow(SCMP_SYS(dup), "keep a received fd")
      .Allow(SCMP_SYS(fcntl), "fd flags (O_NONBLOCK, FD_CLOEXEC)")
      .Allow(SCMP_SYS(lseek), "offsets of host fds")
      .Allow(SCMP_SYS(fstat), "attributes of held fds")
      .AllowIf(SCMP_SYS(newfstatat), {ArgMaskedEq(3, AT_EMPTY_PATH, AT_EMPTY_PATH)},
               "fstat of held fds (glibc's fstat)")
      .Allow(SCMP_SYS(ftruncate), "grow the memory file")
      .Allow(SCMP_SYS(fallocate), "allocate and punch memory-file pages")
      .Allow(SCMP_SYS(fsync), "write back gofer files")
      .Allow(SCMP_SYS(fdatasync), "write back gofer files")
      .Allow(SCMP_SYS(poll), "wait on host fds (stdio, gofer)")
      .Allow(SCMP_SYS(ppoll), "wait on host fds (stdio, gofer)")
      .Allow(SCMP_SYS(pipe2), "internal wake-ups")
      .Allow(SCMP_SYS(eventfd2), "internal wake-ups")
      .Allow(SCMP_SYS(epoll_create1), "wait on host fds")
      .Allow(SCMP_SYS(epoll_ctl), "wait on host fds")
      .Allow(SCMP_SYS(epoll_wait), "wait on host fds")
      .Allow(SCMP_SYS(epoll_pwait), "wait on host fds")
      .AllowIf(SCMP_SYS(ioctl), {ArgEq(1, TCGETS)}, "host terminal attributes")
      .AllowIf(SCMP_SYS(ioctl), {ArgEq(1, TCSETS)}, "host terminal attributes")
      .AllowIf(SCMP_SYS(ioctl), {ArgEq(1, TIOCGWINSZ)}, "host terminal size")
      .AllowIf(SCMP_SYS(ioctl), {ArgEq(1, TIOCSWINSZ)}, "host terminal size")
      .AllowIf(SCMP_SYS(ioctl), {ArgEq(1, FIONREAD)}, "bytes waiting on a host fd")
      .AllowIf(SCMP_SYS(ioctl), {ArgEq(1, FIONBIO)}, "non-blocking host fds")
      // Memory: guest memory is the memory file mapped shared; nothing new
      // is ever made executable.
      .AllowIf(SCMP_SYS(mmap), {ArgMaskedEq(2, PROT_EXEC, 0)}, "map the memory file, malloc")
      .AllowIf(SCMP_SYS(mprotect), {ArgMaskedEq(2, PROT_EXEC, 0)}, "guard pages, malloc")
      .Allow(SCMP_SYS(munmap), "unmap")
      .Allow(SCMP_SYS(mremap), "realloc of large blocks")
      .Allow(SCMP_SYS(madvise), "return freed memory")
      .Allow(SCMP_SYS(brk), "malloc: grow the heap")
      // Threads: one host thread per guest thread. glibc tries clone3
      // first and falls back to clone, whose flags the filter can see.
      .AllowIf(SCMP_SYS(clone), {ArgMaskedEq(0, CLONE_THREAD, CLONE_THREAD)}, "new threads")
      .Fail(SCMP_SYS(clone3), ENOSYS, "glibc falls back to clone, whose flags are checked")
      .Allow(SCMP_SYS(set_robust_list), "new threads")
      .Allow(SCMP_SYS(rseq), "new threads")
      .Allow(SCMP_SYS(futex), "mutexes, condition variables, guest futexes")
      .Allow(SCMP_SYS(exit), "thread exit")
      .Allow(SCMP_SYS(exit_group), "process exit")
      .AllowIf(SCMP_SYS(prctl), {ArgEq(0, PR_SET_NAME)}, "name threads")
      .AllowIf(SCMP_SYS(prctl), {ArgEq(0, PR_GET_NAME)}, "name threads")
      // Time and signals.
      .Allow(SCMP_SYS(clock_gettime), "timestamps")
      .Allow(SCMP_SYS(gettimeofday), "timestamps")
      .Allow(SCMP_SYS(clock_nanosleep), "sleeps, timers")
      .Allow(SCMP_SYS(nanosleep), "sleeps, timers")
      .Allow(SCMP_SYS(timerfd_create), "guest timers")
      .Allow(SCMP_SYS(timerfd_settime), "guest timers")
      .Allow(SCMP_SYS(timerfd_gettime), "guest timers")
      .Allow(SCMP_SYS(rt_sigaction), "signal handlers")
      .Allow(SCMP_SYS(rt_sigprocmask), "signal masks")
      .Allow(SCMP_SYS(rt_sigtimedwait), "the signal-forwarding thread's sigwait")
      .Allow(SCMP_SYS(rt_sigreturn), "return from a signal handler")
      .Allow(SCMP_SYS(restart_syscall), "restart an interrupted call")
      .Allow(SCMP_SYS(sigaltstack), "signal stacks")
      // The process itself.
      .Allow(SCMP_SYS(getpid), "own pid")
      .Allow(SCMP_SYS(gettid), "own tid")
      .Allow(SCMP_SYS(getrandom), "guest getrandom, AT_RANDOM")
      .Allow(SCMP_SYS(getrusage), "guest usage figures")
      .Allow(SCMP_SYS(sysinfo), "guest sysinfo: memory and load figures")
      .Allow(SCMP_SYS(prlimit64), "resource limits")
      .Allow(SCMP_SYS(setrlimit), "no core file when dying of a guest's signal")
      .Allow(SCMP_SYS(getuid), "ids")
      .Allow(SCMP_SYS(geteuid), "ids")
      .Allow(SCMP_SYS(getgid), "ids")
      .Allow(SCMP_SYS(getegid), "ids")
      .Build();
}

absl::Status HardenSentry() {
  ASSIGN_OR_RETURN(util::SeccompProgram filter, BuildSentryFilter());
  if (geteuid() == 0) {
    // As kSandboxUid, RLIMIT_NPROC would count every sandbox's threads
    // together (root is exempt); what limits a sandbox is its cgroup.
    struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
    (void)setrlimit(RLIMIT_NPROC, &unlimited);
    // glibc applies these to every thread of the process.
    if (setgroups(0, nullptr) != 0) return util::LastErrnoStatus("setgroups");
    if (setresgid(kSandboxGid, kSandboxGid, kSandboxGid) != 0) {
      return util::LastErrnoStatus("setresgid");
    }
    // Leaving uid 0 clears every capability of every thread.
    if (setresuid(kSandboxUid, kSandboxUid, kSandboxUid) != 0) {
      return util::LastErrnoStatus("setresuid");
    }
  }
  struct sigaction sa {};
  sa.sa_sigaction = OnSigsys;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSYS, &sa, nullptr) != 0) return util::LastErrnoStatus("sigaction(SIGSYS)");
  return filter.InstallOnAllThreads();
}

}  // namespace runsc
