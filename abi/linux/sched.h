// Process creation and scheduling: clone/clone3/unshare/setns flags, struct clone_args,
// scheduling policies and parameters.
//
// Mirrors include/uapi/linux/sched.h and include/uapi/linux/sched/types.h.
//
// Usage:
//   if (flags & abi_linux::kCLONE_THREAD) ...
//   int exit_signal = flags & abi_linux::kCSIGNAL;  // clone(2) only; clone3 has a field.

#ifndef ABI_LINUX_SCHED_H_
#define ABI_LINUX_SCHED_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// clone flags. The low byte of clone(2)'s flags is the exit signal (CSIGNAL).
inline constexpr uint64_t kCSIGNAL = 0x000000ff;
inline constexpr uint64_t kCLONE_NEWTIME = 0x00000080;  // In CSIGNAL's byte: clone3/unshare only.
inline constexpr uint64_t kCLONE_VM = 0x00000100;
inline constexpr uint64_t kCLONE_FS = 0x00000200;
inline constexpr uint64_t kCLONE_FILES = 0x00000400;
inline constexpr uint64_t kCLONE_SIGHAND = 0x00000800;
inline constexpr uint64_t kCLONE_PIDFD = 0x00001000;
inline constexpr uint64_t kCLONE_PTRACE = 0x00002000;
inline constexpr uint64_t kCLONE_VFORK = 0x00004000;
inline constexpr uint64_t kCLONE_PARENT = 0x00008000;
inline constexpr uint64_t kCLONE_THREAD = 0x00010000;
inline constexpr uint64_t kCLONE_NEWNS = 0x00020000;
inline constexpr uint64_t kCLONE_SYSVSEM = 0x00040000;
inline constexpr uint64_t kCLONE_SETTLS = 0x00080000;
inline constexpr uint64_t kCLONE_PARENT_SETTID = 0x00100000;
inline constexpr uint64_t kCLONE_CHILD_CLEARTID = 0x00200000;
inline constexpr uint64_t kCLONE_DETACHED = 0x00400000;  // Unused, ignored.
inline constexpr uint64_t kCLONE_UNTRACED = 0x00800000;
inline constexpr uint64_t kCLONE_CHILD_SETTID = 0x01000000;
inline constexpr uint64_t kCLONE_NEWCGROUP = 0x02000000;
inline constexpr uint64_t kCLONE_NEWUTS = 0x04000000;
inline constexpr uint64_t kCLONE_NEWIPC = 0x08000000;
inline constexpr uint64_t kCLONE_NEWUSER = 0x10000000;
inline constexpr uint64_t kCLONE_NEWPID = 0x20000000;
inline constexpr uint64_t kCLONE_NEWNET = 0x40000000;
inline constexpr uint64_t kCLONE_IO = 0x80000000;
inline constexpr uint64_t kCLONE_CLEAR_SIGHAND = 0x100000000ULL;  // clone3 only.
inline constexpr uint64_t kCLONE_INTO_CGROUP = 0x200000000ULL;    // clone3 only.

// All namespace flags (setns nstype and unshare).
inline constexpr uint64_t kCLONE_NEWNS_ALL = kCLONE_NEWNS | kCLONE_NEWCGROUP | kCLONE_NEWUTS |
                                             kCLONE_NEWIPC | kCLONE_NEWUSER | kCLONE_NEWPID |
                                             kCLONE_NEWNET | kCLONE_NEWTIME;

// struct clone_args (clone3). Extensible: the size is passed alongside.
struct CloneArgs {
  uint64_t flags;        // CLONE_* (no CSIGNAL byte).
  uint64_t pidfd;        // Guest int*: where to store the pidfd (CLONE_PIDFD).
  uint64_t child_tid;    // Guest pid_t*: CLONE_CHILD_SETTID / CLONE_CHILD_CLEARTID.
  uint64_t parent_tid;   // Guest pid_t*: CLONE_PARENT_SETTID.
  uint64_t exit_signal;  // Signal sent to the parent when the child exits.
  uint64_t stack;        // Lowest address of the child's stack.
  uint64_t stack_size;
  uint64_t tls;           // CLONE_SETTLS: the new fs_base.
  uint64_t set_tid;       // Guest pid_t array: TIDs to use, innermost namespace first (v1).
  uint64_t set_tid_size;  // Entries in set_tid (v1).
  uint64_t cgroup;        // cgroup fd, with CLONE_INTO_CGROUP (v2).
};
static_assert(sizeof(CloneArgs) == 88);
static_assert(offsetof(CloneArgs, pidfd) == 8);
static_assert(offsetof(CloneArgs, child_tid) == 16);
static_assert(offsetof(CloneArgs, parent_tid) == 24);
static_assert(offsetof(CloneArgs, exit_signal) == 32);
static_assert(offsetof(CloneArgs, stack) == 40);
static_assert(offsetof(CloneArgs, stack_size) == 48);
static_assert(offsetof(CloneArgs, tls) == 56);
static_assert(offsetof(CloneArgs, set_tid) == 64);
static_assert(offsetof(CloneArgs, set_tid_size) == 72);
static_assert(offsetof(CloneArgs, cgroup) == 80);
inline constexpr std::size_t kCLONE_ARGS_SIZE_VER0 = 64;
inline constexpr std::size_t kCLONE_ARGS_SIZE_VER1 = 80;
inline constexpr std::size_t kCLONE_ARGS_SIZE_VER2 = 88;

// Scheduling policies.
inline constexpr int kSCHED_NORMAL = 0;  // SCHED_OTHER.
inline constexpr int kSCHED_OTHER = kSCHED_NORMAL;
inline constexpr int kSCHED_FIFO = 1;
inline constexpr int kSCHED_RR = 2;
inline constexpr int kSCHED_BATCH = 3;
inline constexpr int kSCHED_IDLE = 5;
inline constexpr int kSCHED_DEADLINE = 6;
inline constexpr int kSCHED_EXT = 7;  // 6.12+.
// Or'ed into the policy of sched_setscheduler.
inline constexpr int kSCHED_RESET_ON_FORK = 0x40000000;

// sched_setattr flags (struct sched_attr sched_flags).
inline constexpr uint64_t kSCHED_FLAG_RESET_ON_FORK = 0x01;
inline constexpr uint64_t kSCHED_FLAG_RECLAIM = 0x02;
inline constexpr uint64_t kSCHED_FLAG_DL_OVERRUN = 0x04;
inline constexpr uint64_t kSCHED_FLAG_KEEP_POLICY = 0x08;
inline constexpr uint64_t kSCHED_FLAG_KEEP_PARAMS = 0x10;
inline constexpr uint64_t kSCHED_FLAG_UTIL_CLAMP_MIN = 0x20;
inline constexpr uint64_t kSCHED_FLAG_UTIL_CLAMP_MAX = 0x40;
inline constexpr uint64_t kSCHED_FLAG_KEEP_ALL = kSCHED_FLAG_KEEP_POLICY | kSCHED_FLAG_KEEP_PARAMS;
inline constexpr uint64_t kSCHED_FLAG_UTIL_CLAMP =
    kSCHED_FLAG_UTIL_CLAMP_MIN | kSCHED_FLAG_UTIL_CLAMP_MAX;
inline constexpr uint64_t kSCHED_FLAG_ALL = kSCHED_FLAG_RESET_ON_FORK | kSCHED_FLAG_RECLAIM |
                                            kSCHED_FLAG_DL_OVERRUN | kSCHED_FLAG_KEEP_ALL |
                                            kSCHED_FLAG_UTIL_CLAMP;

// struct sched_param.
struct SchedParam {
  int32_t sched_priority;
};
static_assert(sizeof(SchedParam) == 4);

// struct sched_attr (sched_setattr/sched_getattr). Extensible: `size` says how much is valid.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;       // SCHED_NORMAL, SCHED_BATCH.
  uint32_t sched_priority;  // SCHED_FIFO, SCHED_RR.
  uint64_t sched_runtime;   // SCHED_DEADLINE (ns).
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;  // Utilization hints (v1).
  uint32_t sched_util_max;
};
static_assert(sizeof(SchedAttr) == 56);
static_assert(offsetof(SchedAttr, sched_flags) == 8);
static_assert(offsetof(SchedAttr, sched_nice) == 16);
static_assert(offsetof(SchedAttr, sched_priority) == 20);
static_assert(offsetof(SchedAttr, sched_runtime) == 24);
static_assert(offsetof(SchedAttr, sched_deadline) == 32);
static_assert(offsetof(SchedAttr, sched_period) == 40);
static_assert(offsetof(SchedAttr, sched_util_min) == 48);
static_assert(offsetof(SchedAttr, sched_util_max) == 52);
inline constexpr std::size_t kSCHED_ATTR_SIZE_VER0 = 48;
inline constexpr std::size_t kSCHED_ATTR_SIZE_VER1 = 56;

}  // namespace abi_linux

#endif  // ABI_LINUX_SCHED_H_
