// getpriority(2), setpriority(2): nice values, kept per thread (Task::nice)
// with Linux's targets and permission rules; and the scheduling policy
// calls (sched_setscheduler(2) and friends), kept the same way
// (Task::sched_policy). The sandbox does not pass either on to the host
// scheduler: every task runs as an ordinary host thread.
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <vector>

#include "abi/linux/capability.h"
#include "abi/linux/resource.h"
#include "abi/linux/sched.h"
#include "abi/linux/time.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

constexpr int kMinNice = -20;
constexpr int kMaxNice = 19;

// Linux's nice_to_rlimit: what getpriority returns, 1 (nice 19) .. 40
// (nice -20), and what RLIMIT_NICE is compared with.
int NiceToRlimit(int nice) { return kMaxNice - nice + 1; }

// The threads `which` and `who` name: one thread (PRIO_PROCESS, by tid),
// every thread of every process in a group (PRIO_PGRP) or of a real uid
// (PRIO_USER); who == 0 is the caller's own. Zombies are not included.
ErrnoOr<std::vector<kernel::Task*>> Targets(Task& t, int which, int who) {
  kernel::Kernel& k = t.kernel();
  std::vector<kernel::Task*> out;
  auto add_all = [&](kernel::ThreadGroup* tg) {
    for (kernel::Task* task : tg->tasks()) {
      if (!task->exiting()) out.push_back(task);
    }
  };
  switch (which) {
    case L::kPRIO_PROCESS:
      if (who == 0) {
        out.push_back(&t);
      } else if (kernel::Task* p = k.TaskByTid(who); p != nullptr && !p->exiting()) {
        out.push_back(p);
      }
      return out;
    case L::kPRIO_PGRP: {
      int pgid = who != 0 ? who : t.thread_group().pgid();
      if (pgid < 0) return out;
      for (kernel::ThreadGroup* tg : k.ProcessGroup(pgid)) add_all(tg);
      return out;
    }
    case L::kPRIO_USER: {
      uint32_t uid = who != 0 ? static_cast<uint32_t>(who) : t.thread_group().creds().ruid;
      for (kernel::ThreadGroup* tg : k.LiveProcesses()) {
        if (tg->creds().ruid == uid) add_all(tg);
      }
      return out;
    }
    default:
      return Errno(EINVAL);
  }
}

}  // namespace

SyscallResult SysGetpriority(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::vector<kernel::Task*> targets, Targets(t, a.Int(0), a.Int(1)));
  if (targets.empty()) return Errno(ESRCH);
  int best = 0;
  for (kernel::Task* p : targets) best = std::max(best, NiceToRlimit(p->nice()));
  return best;
}

SyscallResult SysSetpriority(Task& t, const SyscallArgs& a) {
  int nice = std::clamp(a.Int(2), kMinNice, kMaxNice);
  ASSIGN_OR_RETURN_ERRNO(std::vector<kernel::Task*> targets, Targets(t, a.Int(0), a.Int(1)));
  if (targets.empty()) return Errno(ESRCH);
  kernel::Credentials me = t.thread_group().creds();
  bool cap_nice = me.HasCapability(L::kCAP_SYS_NICE);
  // As Linux's set_one_prio: each target is tried; the result is the last
  // failure, or success if no target failed.
  util::ErrnoOrVoid result;
  for (kernel::Task* p : targets) {
    kernel::ThreadGroup& tg = p->thread_group();
    kernel::Credentials pc = tg.creds();
    if (pc.ruid != me.euid && pc.euid != me.euid && !cap_nice) {
      result = Errno(EPERM);
      continue;
    }
    // Lowering the value (more priority) within RLIMIT_NICE, or with
    // CAP_SYS_NICE.
    if (nice < p->nice() &&
        static_cast<uint64_t>(NiceToRlimit(nice)) > tg.rlimit(L::kRLIMIT_NICE).rlim_cur &&
        !cap_nice) {
      result = Errno(EACCES);
      continue;
    }
    p->set_nice(nice);
  }
  RETURN_IF_ERRNO(result);
  return 0;
}

namespace {

constexpr int kMaxRtPrio = 99;
// /proc/sys/kernel/sched_rr_timeslice_ms's default.
constexpr absl::Duration kRrTimeslice = absl::Milliseconds(100);

bool IsRealtime(int policy) { return policy == L::kSCHED_FIFO || policy == L::kSCHED_RR; }

bool ValidPolicy(int policy) {
  return policy == L::kSCHED_NORMAL || IsRealtime(policy) || policy == L::kSCHED_BATCH ||
         policy == L::kSCHED_IDLE || policy == L::kSCHED_DEADLINE;
}

// The thread a sched_* call names: 0 is the caller; ESRCH if none.
ErrnoOr<kernel::Task*> FindThread(Task& t, int pid) {
  if (pid == 0) return &t;
  kernel::Task* p = t.kernel().TaskByTid(pid);
  if (p == nullptr || p->exiting()) return Errno(ESRCH);
  return p;
}

// Linux's __sched_setscheduler for a sched_param: `policy` -1 keeps the
// thread's policy (sched_setparam).
SyscallResult SetScheduler(Task& t, int pid, int policy, mm::UserAddr param) {
  if (param.IsNull() || pid < 0) return Errno(EINVAL);
  int32_t prio;
  RETURN_IF_ERRNO(t.CopyInObj(param, &prio));
  ASSIGN_OR_RETURN_ERRNO(kernel::Task * p, FindThread(t, pid));
  int old = p->sched_policy();
  int old_policy = old & ~L::kSCHED_RESET_ON_FORK;
  bool reset_on_fork = old & L::kSCHED_RESET_ON_FORK;
  if (policy < 0) {
    policy = old_policy;
  } else {
    reset_on_fork = policy & L::kSCHED_RESET_ON_FORK;
    policy &= ~L::kSCHED_RESET_ON_FORK;
    if (!ValidPolicy(policy)) return Errno(EINVAL);
  }
  // Real-time policies take 1..99, the others 0; a deadline needs
  // sched_setattr's parameters.
  if (static_cast<uint32_t>(prio) > kMaxRtPrio) return Errno(EINVAL);
  if (policy == L::kSCHED_DEADLINE || IsRealtime(policy) != (prio != 0)) return Errno(EINVAL);

  kernel::Credentials me = t.thread_group().creds();
  if (!me.HasCapability(L::kCAP_SYS_NICE)) {
    uint64_t rtprio_limit = p->thread_group().rlimit(L::kRLIMIT_RTPRIO).rlim_cur;
    if (IsRealtime(policy)) {
      if (policy != old_policy && rtprio_limit == 0) return Errno(EPERM);
      if (prio > p->rt_priority() && static_cast<uint64_t>(prio) > rtprio_limit) {
        return Errno(EPERM);
      }
    }
    // SCHED_IDLE counts as nice 20: leaving it lowers the nice value to
    // the thread's own, within RLIMIT_NICE.
    if (old_policy == L::kSCHED_IDLE && policy != L::kSCHED_IDLE &&
        static_cast<uint64_t>(NiceToRlimit(p->nice())) >
            p->thread_group().rlimit(L::kRLIMIT_NICE).rlim_cur) {
      return Errno(EPERM);
    }
    kernel::Credentials pc = p->thread_group().creds();
    if (me.euid != pc.euid && me.euid != pc.ruid) return Errno(EPERM);
    if ((old & L::kSCHED_RESET_ON_FORK) && !reset_on_fork) return Errno(EPERM);
  }
  p->set_sched(policy | (reset_on_fork ? L::kSCHED_RESET_ON_FORK : 0),
               IsRealtime(policy) ? prio : 0);
  return 0;
}

}  // namespace

SyscallResult SysSchedGetPriorityMax(Task&, const SyscallArgs& a) {
  int policy = a.Int(0);
  if (IsRealtime(policy)) return kMaxRtPrio;
  if (ValidPolicy(policy)) return 0;
  return Errno(EINVAL);
}

SyscallResult SysSchedGetPriorityMin(Task&, const SyscallArgs& a) {
  int policy = a.Int(0);
  if (IsRealtime(policy)) return 1;
  if (ValidPolicy(policy)) return 0;
  return Errno(EINVAL);
}

SyscallResult SysSchedGetscheduler(Task& t, const SyscallArgs& a) {
  if (a.Int(0) < 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(kernel::Task * p, FindThread(t, a.Int(0)));
  return p->sched_policy();
}

SyscallResult SysSchedGetparam(Task& t, const SyscallArgs& a) {
  if (a.Addr(1).IsNull() || a.Int(0) < 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(kernel::Task * p, FindThread(t, a.Int(0)));
  int32_t prio = IsRealtime(p->sched_policy() & ~L::kSCHED_RESET_ON_FORK) ? p->rt_priority() : 0;
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), prio));
  return 0;
}

SyscallResult SysSchedSetscheduler(Task& t, const SyscallArgs& a) {
  if (a.Int(1) < 0) return Errno(EINVAL);
  return SetScheduler(t, a.Int(0), a.Int(1), a.Addr(2));
}

SyscallResult SysSchedSetparam(Task& t, const SyscallArgs& a) {
  return SetScheduler(t, a.Int(0), -1, a.Addr(1));
}

SyscallResult SysSchedRrGetInterval(Task& t, const SyscallArgs& a) {
  if (a.Int(0) < 0) return Errno(EINVAL);
  ASSIGN_OR_RETURN_ERRNO(kernel::Task * p, FindThread(t, a.Int(0)));
  int policy = p->sched_policy() & ~L::kSCHED_RESET_ON_FORK;
  absl::Duration slice = absl::ZeroDuration();
  if (policy == L::kSCHED_RR) {
    slice = kRrTimeslice;
  } else if (policy != L::kSCHED_FIFO) {
    // The others are scheduled by the host as ordinary threads: its slice
    // for this one (the caller's host thread) is theirs.
    struct timespec host{};
    if (::sched_rr_get_interval(0, &host) == 0) slice = absl::DurationFromTimespec(host);
  }
  L::Timespec ts{absl::ToInt64Seconds(slice),
                 absl::ToInt64Nanoseconds(slice % absl::Seconds(1))};
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), ts));
  return 0;
}

}  // namespace sentry::syscalls
