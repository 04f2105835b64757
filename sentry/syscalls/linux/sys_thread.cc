// exit(2), exit_group(2), arch_prctl(2), set_tid_address(2),
// set_robust_list(2), get_robust_list(2), sched_yield(2),
// sched_getaffinity(2), sched_setaffinity(2), getcpu(2), prlimit(2),
// getrlimit(2), setrlimit(2), getrandom(2), uname(2), sysinfo(2), futex(2).
#include <sched.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <time.h>

#include <cstring>

#include "abi/linux/capability.h"
#include "abi/linux/futex.h"
#include "abi/linux/prctl.h"
#include "abi/linux/random.h"
#include "abi/linux/sched.h"
#include "abi/linux/resource.h"
#include "abi/linux/sysinfo.h"
#include "abi/linux/time.h"
#include "abi/linux/utsname.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

// The kernel version the sandbox reports.
constexpr char kRelease[] = "6.1.0";
constexpr char kVersion[] = "#1 SMP PREEMPT_DYNAMIC sentry";

namespace {

// clone(2)/clone3(2): threads (CLONE_VM | CLONE_THREAD | CLONE_SIGHAND),
// new processes with copy-on-write memory, and processes sharing the
// caller's memory (CLONE_VM, as vfork and posix_spawn make them), with
// CLONE_VFORK holding the caller until the child execs or exits.
// With CLONE_PIDFD, the child's pidfd is stored at `pidfd` (an int).
SyscallResult DoClone(Task& t, uint64_t flags, uint64_t stack, uint64_t parent_tid,
                      uint64_t child_tid, uint64_t tls, uint64_t pidfd) {
  if ((flags & L::kCLONE_THREAD) && !(flags & L::kCLONE_SIGHAND)) return Errno(EINVAL);
  if ((flags & L::kCLONE_SIGHAND) && !(flags & L::kCLONE_VM)) return Errno(EINVAL);
  if ((flags & L::kCLONE_THREAD) && (flags & L::kCLONE_NEWNS_ALL)) return Errno(EINVAL);
  // A pidfd names a process (Linux 6.1: no thread pidfds).
  if ((flags & L::kCLONE_PIDFD) && (flags & (L::kCLONE_THREAD | L::kCLONE_DETACHED))) {
    return Errno(EINVAL);
  }
  if (flags & L::kCLONE_NEWNS_ALL) return Errno(ENOSYS);  // namespaces: not yet
  if (!(flags & L::kCLONE_THREAD)) {
    if ((flags & 0xff) > static_cast<uint64_t>(L::kNumSignals)) return Errno(EINVAL);
    return t.Fork(flags, stack, parent_tid, child_tid, tls, pidfd);
  }
  if ((flags & 0xff) != 0) return Errno(EINVAL);  // no exit signal for threads
  if (flags & L::kCLONE_VFORK) return Errno(EINVAL);
  return t.CloneThread(flags, stack, parent_tid, child_tid, tls);
}

}  // namespace

// clone(2): x86-64 argument order is flags, stack, parent_tid, child_tid, tls.
// clone(2) stores the pidfd where the parent's tid would go, so the two
// cannot be asked for together.
SyscallResult SysClone(Task& t, const SyscallArgs& a) {
  if ((a[0] & L::kCLONE_PIDFD) && (a[0] & L::kCLONE_PARENT_SETTID)) return Errno(EINVAL);
  return DoClone(t, a[0], a[1], a[2], a[3], a[4], a[2]);
}

SyscallResult SysClone3(Task& t, const SyscallArgs& a) {
  uint64_t size = a[1];
  if (size < 64 || size > 4096) return Errno(EINVAL);  // CLONE_ARGS_SIZE_VER0
  L::CloneArgs args{};
  size_t n = std::min<uint64_t>(size, sizeof(args));
  ASSIGN_OR_RETURN_ERRNO(size_t got, t.CopyIn(a.Addr(0), &args, n));
  if (got != n) return Errno(EFAULT);
  if (args.exit_signal != 0 && (args.flags & L::kCLONE_THREAD)) return Errno(EINVAL);
  if (args.exit_signal > static_cast<uint64_t>(L::kNumSignals) || (args.flags & 0xff)) {
    return Errno(EINVAL);
  }
  if (args.set_tid || args.set_tid_size || args.cgroup) return Errno(EINVAL);
  uint64_t stack = args.stack ? args.stack + args.stack_size : 0;
  return DoClone(t, args.flags | args.exit_signal, stack, args.parent_tid, args.child_tid,
                 args.tls, args.pidfd);
}

SyscallResult SysExit(Task& t, const SyscallArgs& a) {
  t.Exit((a.Int(0) & 0xff) << 8);
  return SyscallResult::RegsSet();
}

SyscallResult SysExitGroup(Task& t, const SyscallArgs& a) {
  t.ExitGroup((a.Int(0) & 0xff) << 8);
  return SyscallResult::RegsSet();
}

SyscallResult SysArchPrctl(Task& t, const SyscallArgs& a) {
  // Canonical user addresses only, as Linux checks for FS/GS bases.
  constexpr uint64_t kTaskSizeMax = 0x7ffffffff000ULL;
  switch (a.Int(0)) {
    case L::kARCH_SET_FS:
      if (a[1] >= kTaskSizeMax) return Errno(EPERM);
      t.regs().fs_base = a[1];
      return 0;
    case L::kARCH_SET_GS:
      if (a[1] >= kTaskSizeMax) return Errno(EPERM);
      t.regs().gs_base = a[1];
      return 0;
    case L::kARCH_GET_FS:
      return t.CopyOutObj(a.Addr(1), t.regs().fs_base);
    case L::kARCH_GET_GS:
      return t.CopyOutObj(a.Addr(1), t.regs().gs_base);
    case L::kARCH_GET_CPUID:
      return 1;  // cpuid is not trapped
    case L::kARCH_SET_CPUID:
      return Errno(ENODEV);  // cpuid faulting is not available
    default:
      return Errno(EINVAL);
  }
}

SyscallResult SysSetTidAddress(Task& t, const SyscallArgs& a) {
  t.set_clear_child_tid(a[0]);
  return t.tid();
}

SyscallResult SysSetRobustList(Task& t, const SyscallArgs& a) {
  if (a[1] != sizeof(L::RobustListHead)) return Errno(EINVAL);
  t.set_robust_list(a[0], a[1]);
  return 0;
}

SyscallResult SysGetRobustList(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0);
  if (pid != 0 && pid != t.tid()) return Errno(ESRCH);
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), t.robust_list_head()));
  uint64_t len = sizeof(L::RobustListHead);
  return t.CopyOutObj(a.Addr(2), len);
}

SyscallResult SysSchedYield(Task&, const SyscallArgs&) {
  sched_yield();
  return 0;
}

namespace {

// The CPUs the sandbox may run on: the host's affinity of the sentry.
ErrnoOr<cpu_set_t> SandboxCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return Errno(errno);
  return set;
}

bool OwnThread(Task& t, int pid) { return pid == 0 || pid == t.tid(); }

}  // namespace

SyscallResult SysSchedGetaffinity(Task& t, const SyscallArgs& a) {
  if (!OwnThread(t, a.Int(0))) {
    return t.kernel().TaskByTid(a.Int(0)) ? SyscallResult(Errno(EPERM)) : Errno(ESRCH);
  }
  uint64_t len = a[1];
  ASSIGN_OR_RETURN_ERRNO(cpu_set_t set, SandboxCpus());
  // The kernel's mask size: nr_cpu_ids bits, rounded up to longs.
  int max_cpu = 0;
  for (int i = 0; i < CPU_SETSIZE; ++i) {
    if (CPU_ISSET(i, &set)) max_cpu = i;
  }
  uint64_t need = ((max_cpu / 64) + 1) * 8;
  if (len < need || (len & 7)) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(2), &set, need));
  if (n != need) return Errno(EFAULT);
  return need;
}

SyscallResult SysSchedSetaffinity(Task& t, const SyscallArgs& a) {
  if (!OwnThread(t, a.Int(0))) {
    return t.kernel().TaskByTid(a.Int(0)) ? SyscallResult(Errno(EPERM)) : Errno(ESRCH);
  }
  cpu_set_t want;
  CPU_ZERO(&want);
  size_t len = std::min<uint64_t>(a[1], sizeof(want));
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(a.Addr(2), &want, len));
  if (n != len) return Errno(EFAULT);
  ASSIGN_OR_RETURN_ERRNO(cpu_set_t have, SandboxCpus());
  cpu_set_t both;
  CPU_AND(&both, &want, &have);
  if (CPU_COUNT(&both) == 0) return Errno(EINVAL);
  // The sandbox schedules guest threads itself and keeps no per-thread
  // placement: a valid mask is accepted without pinning.
  return 0;
}

SyscallResult SysGetcpu(Task& t, const SyscallArgs& a) {
  int cpu = sched_getcpu();
  if (cpu < 0) cpu = 0;
  uint32_t c = cpu, node = 0;
  if (!a.Addr(0).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(0), c));
  if (!a.Addr(1).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), node));
  return 0;
}

namespace {

ErrnoOr<L::Rlimit64> DoPrlimit(Task& t, int resource, const L::Rlimit64* new_limit) {
  if (resource < 0 || resource >= L::kRLIM_NLIMITS) return Errno(EINVAL);
  kernel::ThreadGroup& tg = t.thread_group();
  L::Rlimit64 old = tg.rlimit(resource);
  if (new_limit) {
    if (new_limit->rlim_cur > new_limit->rlim_max) return Errno(EINVAL);
    if (new_limit->rlim_max > old.rlim_max &&
        !tg.creds().HasCapability(L::kCAP_SYS_RESOURCE)) {
      return Errno(EPERM);
    }
    if (resource == L::kRLIMIT_NOFILE && new_limit->rlim_max > (1 << 20)) return Errno(EPERM);
    tg.set_rlimit(resource, *new_limit);
  }
  return old;
}

}  // namespace

SyscallResult SysPrlimit64(Task& t, const SyscallArgs& a) {
  int pid = a.Int(0);
  if (pid != 0 && pid != t.thread_group().pid()) {
    return t.kernel().ThreadGroupByPid(pid) ? SyscallResult(Errno(EPERM)) : Errno(ESRCH);
  }
  L::Rlimit64 want;
  bool set = !a.Addr(2).IsNull();
  if (set) RETURN_IF_ERRNO(t.CopyInObj(a.Addr(2), &want));
  ASSIGN_OR_RETURN_ERRNO(L::Rlimit64 old, DoPrlimit(t, a.Int(1), set ? &want : nullptr));
  if (!a.Addr(3).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(3), old));
  return 0;
}

SyscallResult SysGetrlimit(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(L::Rlimit64 old, DoPrlimit(t, a.Int(0), nullptr));
  return t.CopyOutObj(a.Addr(1), L::Rlimit{old.rlim_cur, old.rlim_max});
}

SyscallResult SysSetrlimit(Task& t, const SyscallArgs& a) {
  L::Rlimit want;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &want));
  L::Rlimit64 w{want.rlim_cur, want.rlim_max};
  ASSIGN_OR_RETURN_ERRNO(L::Rlimit64 old, DoPrlimit(t, a.Int(0), &w));
  (void)old;
  return 0;
}

SyscallResult SysGetrandom(Task& t, const SyscallArgs& a) {
  unsigned flags = a.Uint(2);
  if (flags & ~(L::kGRND_NONBLOCK | L::kGRND_RANDOM | L::kGRND_INSECURE)) return Errno(EINVAL);
  if ((flags & L::kGRND_INSECURE) && (flags & L::kGRND_RANDOM)) return Errno(EINVAL);
  size_t len = std::min<uint64_t>(a[1], 1 << 25);
  if (len == 0) return 0;
  ASSIGN_OR_RETURN_ERRNO(mm::PinnedRanges pins, t.mm().Pin(a.Addr(0), len, mm::AccessType::kWrite));
  size_t done = 0;
  for (const iovec& v : pins.iovecs()) {
    size_t off = 0;
    while (off < v.iov_len) {
      ssize_t n = getrandom(static_cast<char*>(v.iov_base) + off, v.iov_len - off, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return done ? SyscallResult(uint64_t{done}) : Errno(errno);
      off += n;
      done += n;
    }
  }
  return uint64_t{done};
}

SyscallResult SysUname(Task& t, const SyscallArgs& a) {
  L::Utsname u{};
  auto set = [](char* field, const std::string& v) {
    std::strncpy(field, v.c_str(), L::kUtsFieldSize - 1);
  };
  set(u.sysname, "Linux");
  set(u.nodename, t.kernel().hostname());
  set(u.release, kRelease);
  set(u.version, kVersion);
  set(u.machine, "x86_64");
  set(u.domainname, t.kernel().domainname());
  return t.CopyOutObj(a.Addr(0), u);
}

namespace {

// sethostname/setdomainname: CAP_SYS_ADMIN in the sandbox's UTS namespace,
// at most 64 bytes (__NEW_UTS_LEN), not NUL-terminated.
ErrnoOr<std::string> UtsNameArg(Task& t, const SyscallArgs& a) {
  if (!t.creds().HasCapability(L::kCAP_SYS_ADMIN)) return Errno(EPERM);
  int64_t len = static_cast<int64_t>(a[1]);
  if (len < 0 || len > static_cast<int64_t>(L::kUtsFieldSize) - 1) return Errno(EINVAL);
  std::string name(static_cast<size_t>(len), '\0');
  if (len > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(a.Addr(0), name.data(), name.size()));
    (void)n;
  }
  return name;
}

}  // namespace

SyscallResult SysSethostname(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string name, UtsNameArg(t, a));
  t.kernel().set_hostname(std::move(name));
  return 0;
}

SyscallResult SysSetdomainname(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string name, UtsNameArg(t, a));
  t.kernel().set_domainname(std::move(name));
  return 0;
}

SyscallResult SysSysinfo(Task& t, const SyscallArgs& a) {
  struct sysinfo host;
  if (sysinfo(&host) != 0) return Errno(errno);
  L::Sysinfo s{};
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  s.uptime = (now.tv_sec * 1000000000LL + now.tv_nsec - t.kernel().boot_time_ns()) / 1000000000LL;
  s.totalram = host.totalram;
  s.freeram = host.freeram;
  s.sharedram = host.sharedram;
  s.bufferram = host.bufferram;
  s.procs = 1;
  s.mem_unit = host.mem_unit;
  return t.CopyOutObj(a.Addr(0), s);
}

SyscallResult SysFutex(Task& t, const SyscallArgs& a) {
  uint64_t addr = a[0];
  int op = a.Int(1);
  int cmd = op & L::kFUTEX_CMD_MASK;
  uint32_t val = a.Uint(2);
  if ((op & L::kFUTEX_CLOCK_REALTIME) && cmd != L::kFUTEX_WAIT_BITSET &&
      cmd != L::kFUTEX_WAIT_REQUEUE_PI && cmd != L::kFUTEX_LOCK_PI2) {
    return Errno(ENOSYS);
  }
  // Without FUTEX_PRIVATE_FLAG, a word in shared memory is one futex for
  // every process that maps it.
  const bool is_private = op & L::kFUTEX_PRIVATE_FLAG;
  switch (cmd) {
    case L::kFUTEX_WAIT:
    case L::kFUTEX_WAIT_BITSET: {
      uint32_t bitset = cmd == L::kFUTEX_WAIT ? L::kFUTEX_BITSET_MATCH_ANY : a.Uint(5);
      if (bitset == 0) return Errno(EINVAL);
      std::optional<absl::Time> deadline;
      if (!a.Addr(3).IsNull()) {
        L::Timespec ts;
        RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &ts));
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return Errno(EINVAL);
        absl::Duration d = absl::Seconds(ts.tv_sec) + absl::Nanoseconds(ts.tv_nsec);
        if (cmd == L::kFUTEX_WAIT) {
          deadline = absl::Now() + d;  // relative
        } else if (op & L::kFUTEX_CLOCK_REALTIME) {
          deadline = absl::UnixEpoch() + d;
        } else {
          timespec mono;
          clock_gettime(CLOCK_MONOTONIC, &mono);
          deadline = absl::Now() + (d - (absl::Seconds(mono.tv_sec) + absl::Nanoseconds(mono.tv_nsec)));
        }
      }
      SyscallResult r = t.kernel().futexes().Wait(t, addr, val, bitset, deadline, is_private);
      if (r.error() != EINTR) return r;
      if (!deadline) return Errno(kernel::kERESTARTSYS);
      // A timed wait continues to the same deadline through restart_syscall.
      t.set_restart_block([addr, val, bitset, deadline, is_private](Task& t) -> SyscallResult {
        SyscallResult r = t.kernel().futexes().Wait(t, addr, val, bitset, deadline, is_private);
        return r.error() == EINTR ? SyscallResult(Errno(kernel::kERESTARTSYS)) : r;
      });
      return Errno(kernel::kERESTART_RESTARTBLOCK);
    }
    case L::kFUTEX_WAKE:
    case L::kFUTEX_WAKE_BITSET: {
      uint32_t bitset = cmd == L::kFUTEX_WAKE ? L::kFUTEX_BITSET_MATCH_ANY : a.Uint(5);
      if (bitset == 0) return Errno(EINVAL);
      if (addr & 3) return Errno(EINVAL);
      int n = static_cast<int>(std::min<uint32_t>(val, INT32_MAX));
      ASSIGN_OR_RETURN_ERRNO(kernel::Futexes::Key key,
                             kernel::Futexes::KeyOf(t.mm(), addr, is_private));
      return t.kernel().futexes().WakeChecked(key.space, key.addr, n, bitset);
    }
    case L::kFUTEX_REQUEUE:
    case L::kFUTEX_CMP_REQUEUE: {
      // The fourth argument is a count here, not a timeout.
      int n_wake = static_cast<int>(std::min<uint32_t>(val, INT32_MAX));
      int64_t n_requeue = static_cast<int64_t>(a[3]);
      if (n_requeue < 0 || static_cast<int32_t>(val) < 0) return Errno(EINVAL);
      std::optional<uint32_t> expected;
      if (cmd == L::kFUTEX_CMP_REQUEUE) expected = a.Uint(5);
      return t.kernel().futexes().Requeue(
          t, addr, a[4], n_wake, static_cast<int>(std::min<int64_t>(n_requeue, INT32_MAX)),
          expected, cmd == L::kFUTEX_CMP_REQUEUE, is_private);
    }
    case L::kFUTEX_WAKE_OP: {
      int n = static_cast<int>(std::min<uint32_t>(val, INT32_MAX));
      int n2 = static_cast<int>(std::min<uint64_t>(a[3] & 0xffffffff, INT32_MAX));
      return t.kernel().futexes().WakeOp(t, addr, a[4], n, n2, a.Uint(5), is_private);
    }
    case L::kFUTEX_LOCK_PI:
    case L::kFUTEX_LOCK_PI2:
    case L::kFUTEX_TRYLOCK_PI:
    case L::kFUTEX_UNLOCK_PI:
    case L::kFUTEX_WAIT_REQUEUE_PI:
    case L::kFUTEX_CMP_REQUEUE_PI:
      return FutexPi(t, a);  // sys_futex_pi.cc
    default:
      return Errno(ENOSYS);  // FUTEX_FD (gone since 2.6.26), unknown commands
  }
}

}  // namespace sentry::syscalls

namespace sentry::syscalls {

// prctl(2): the options that concern a process's own state.
SyscallResult SysPrctl(Task& t, const SyscallArgs& a) {
  kernel::ThreadGroup& tg = t.thread_group();
  kernel::TaskControl& c = t.control();
  uint64_t arg = a[1];
  switch (a.Int(0)) {
    case L::kPR_SET_NAME: {
      char name[16] = {};
      ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(a.Addr(1), name, sizeof(name) - 1));
      (void)n;
      name[sizeof(name) - 1] = 0;
      // Like strncpy_from_user: up to the NUL, then zero padding.
      size_t len = strnlen(name, sizeof(name));
      std::memset(name + len, 0, sizeof(name) - len);
      std::memcpy(c.comm, name, sizeof(c.comm));
      return 0;
    }
    case L::kPR_GET_NAME:
      return t.CopyOut(a.Addr(1), c.comm, sizeof(c.comm)).ok() ? SyscallResult(0)
                                                                : SyscallResult(Errno(EFAULT));
    case L::kPR_SET_PDEATHSIG:
      if (arg > static_cast<uint64_t>(L::kNumSignals)) return Errno(EINVAL);
      c.pdeath_signal = static_cast<int>(arg);
      return 0;
    case L::kPR_GET_PDEATHSIG:
      return t.CopyOutObj(a.Addr(1), c.pdeath_signal);
    case L::kPR_SET_DUMPABLE:
      if (arg > 1) return Errno(EINVAL);
      tg.dumpable = arg == 1;
      return 0;
    case L::kPR_GET_DUMPABLE:
      return tg.dumpable.load() ? 1 : 0;
    case L::kPR_SET_NO_NEW_PRIVS:
      if (arg != 1 || a[2] || a[3] || a[4]) return Errno(EINVAL);
      tg.no_new_privs = true;
      return 0;
    case L::kPR_GET_NO_NEW_PRIVS:
      if (a[1] || a[2] || a[3] || a[4]) return Errno(EINVAL);
      return tg.no_new_privs.load() ? 1 : 0;
    case L::kPR_SET_CHILD_SUBREAPER:
      tg.child_subreaper = arg != 0;
      return 0;
    case L::kPR_GET_CHILD_SUBREAPER: {
      int v = tg.child_subreaper.load() ? 1 : 0;
      return t.CopyOutObj(a.Addr(1), v);
    }
    case L::kPR_GET_TID_ADDRESS:
      return t.CopyOutObj(a.Addr(1), t.clear_child_tid());
    case L::kPR_CAPBSET_READ:
      if (arg > 40) return Errno(EINVAL);
      return (tg.creds().cap_bounding >> arg) & 1 ? 1 : 0;
    case L::kPR_SET_KEEPCAPS:
      if (arg > 1) return Errno(EINVAL);
      c.keep_caps = arg == 1;
      return 0;
    case L::kPR_GET_KEEPCAPS:
      return c.keep_caps ? 1 : 0;
    case L::kPR_GET_SECUREBITS:
      return 0;
    case L::kPR_SET_TIMERSLACK:
      c.timer_slack_ns = arg == 0 ? 50000 : arg;
      return 0;
    case L::kPR_GET_TIMERSLACK:
      return c.timer_slack_ns;
    case L::kPR_SET_THP_DISABLE:
      tg.thp_disable = arg != 0;
      return 0;
    case L::kPR_GET_THP_DISABLE:
      return tg.thp_disable.load() ? 1 : 0;
    case L::kPR_GET_SECCOMP:
    case L::kPR_SET_SECCOMP:
      return PrctlSeccomp(t, a);  // sys_seccomp.cc
    default:
      return Errno(EINVAL);
  }
}

}  // namespace sentry::syscalls
