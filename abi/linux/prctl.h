// prctl(2) options and arch_prctl(2) codes.
//
// Mirrors include/uapi/linux/prctl.h and arch/x86/include/uapi/asm/prctl.h.
//
// Usage:
//   switch (option) { case abi_linux::kPR_SET_NAME: ... }
//   if (code == abi_linux::kARCH_SET_FS) regs.fs_base = addr;

#ifndef ABI_LINUX_PRCTL_H_
#define ABI_LINUX_PRCTL_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// arch_prctl codes (x86-64).
inline constexpr int kARCH_SET_GS = 0x1001;
inline constexpr int kARCH_SET_FS = 0x1002;
inline constexpr int kARCH_GET_FS = 0x1003;
inline constexpr int kARCH_GET_GS = 0x1004;
inline constexpr int kARCH_GET_CPUID = 0x1011;
inline constexpr int kARCH_SET_CPUID = 0x1012;
inline constexpr int kARCH_GET_XCOMP_SUPP = 0x1021;
inline constexpr int kARCH_GET_XCOMP_PERM = 0x1022;
inline constexpr int kARCH_REQ_XCOMP_PERM = 0x1023;
inline constexpr int kARCH_GET_XCOMP_GUEST_PERM = 0x1024;
inline constexpr int kARCH_REQ_XCOMP_GUEST_PERM = 0x1025;
inline constexpr int kARCH_MAP_VDSO_X32 = 0x2001;
inline constexpr int kARCH_MAP_VDSO_32 = 0x2002;
inline constexpr int kARCH_MAP_VDSO_64 = 0x2003;
inline constexpr int kARCH_GET_UNTAG_MASK = 0x4001;      // 6.4+ (LAM).
inline constexpr int kARCH_ENABLE_TAGGED_ADDR = 0x4002;  // 6.4+.
inline constexpr int kARCH_GET_MAX_TAG_BITS = 0x4003;    // 6.4+.
inline constexpr int kARCH_FORCE_TAGGED_SVA = 0x4004;    // 6.4+.
inline constexpr int kARCH_SHSTK_ENABLE = 0x5001;        // 6.6+.
inline constexpr int kARCH_SHSTK_DISABLE = 0x5002;       // 6.6+.
inline constexpr int kARCH_SHSTK_LOCK = 0x5003;          // 6.6+.
inline constexpr int kARCH_SHSTK_UNLOCK = 0x5004;        // 6.6+.
inline constexpr int kARCH_SHSTK_STATUS = 0x5005;        // 6.6+.

// The length of a task's comm (PR_SET_NAME/PR_GET_NAME, /proc/<pid>/comm), including the NUL.
inline constexpr int kTASK_COMM_LEN = 16;

// prctl options.
inline constexpr int kPR_SET_PDEATHSIG = 1;
inline constexpr int kPR_GET_PDEATHSIG = 2;
inline constexpr int kPR_GET_DUMPABLE = 3;
inline constexpr int kPR_SET_DUMPABLE = 4;
inline constexpr int kPR_GET_UNALIGN = 5;
inline constexpr int kPR_SET_UNALIGN = 6;
inline constexpr int kPR_GET_KEEPCAPS = 7;
inline constexpr int kPR_SET_KEEPCAPS = 8;
inline constexpr int kPR_GET_FPEMU = 9;
inline constexpr int kPR_SET_FPEMU = 10;
inline constexpr int kPR_GET_FPEXC = 11;
inline constexpr int kPR_SET_FPEXC = 12;
inline constexpr int kPR_GET_TIMING = 13;
inline constexpr int kPR_SET_TIMING = 14;
inline constexpr int kPR_SET_NAME = 15;
inline constexpr int kPR_GET_NAME = 16;
inline constexpr int kPR_GET_ENDIAN = 19;
inline constexpr int kPR_SET_ENDIAN = 20;
inline constexpr int kPR_GET_SECCOMP = 21;
inline constexpr int kPR_SET_SECCOMP = 22;
inline constexpr int kPR_CAPBSET_READ = 23;
inline constexpr int kPR_CAPBSET_DROP = 24;
inline constexpr int kPR_GET_TSC = 25;
inline constexpr int kPR_SET_TSC = 26;
inline constexpr int kPR_GET_SECUREBITS = 27;
inline constexpr int kPR_SET_SECUREBITS = 28;
inline constexpr int kPR_SET_TIMERSLACK = 29;
inline constexpr int kPR_GET_TIMERSLACK = 30;
inline constexpr int kPR_TASK_PERF_EVENTS_DISABLE = 31;
inline constexpr int kPR_TASK_PERF_EVENTS_ENABLE = 32;
inline constexpr int kPR_MCE_KILL = 33;
inline constexpr int kPR_MCE_KILL_GET = 34;
inline constexpr int kPR_SET_MM = 35;
inline constexpr int kPR_SET_CHILD_SUBREAPER = 36;
inline constexpr int kPR_GET_CHILD_SUBREAPER = 37;
inline constexpr int kPR_SET_NO_NEW_PRIVS = 38;
inline constexpr int kPR_GET_NO_NEW_PRIVS = 39;
inline constexpr int kPR_GET_TID_ADDRESS = 40;
inline constexpr int kPR_SET_THP_DISABLE = 41;
inline constexpr int kPR_GET_THP_DISABLE = 42;
inline constexpr int kPR_MPX_ENABLE_MANAGEMENT = 43;   // Obsolete; EINVAL.
inline constexpr int kPR_MPX_DISABLE_MANAGEMENT = 44;  // Obsolete; EINVAL.
inline constexpr int kPR_SET_FP_MODE = 45;
inline constexpr int kPR_GET_FP_MODE = 46;
inline constexpr int kPR_CAP_AMBIENT = 47;
inline constexpr int kPR_SVE_SET_VL = 50;
inline constexpr int kPR_SVE_GET_VL = 51;
inline constexpr int kPR_GET_SPECULATION_CTRL = 52;
inline constexpr int kPR_SET_SPECULATION_CTRL = 53;
inline constexpr int kPR_PAC_RESET_KEYS = 54;
inline constexpr int kPR_SET_TAGGED_ADDR_CTRL = 55;
inline constexpr int kPR_GET_TAGGED_ADDR_CTRL = 56;
inline constexpr int kPR_SET_IO_FLUSHER = 57;
inline constexpr int kPR_GET_IO_FLUSHER = 58;
inline constexpr int kPR_SET_SYSCALL_USER_DISPATCH = 59;
inline constexpr int kPR_PAC_SET_ENABLED_KEYS = 60;
inline constexpr int kPR_PAC_GET_ENABLED_KEYS = 61;
inline constexpr int kPR_SCHED_CORE = 62;
inline constexpr int kPR_SME_SET_VL = 63;
inline constexpr int kPR_SME_GET_VL = 64;
inline constexpr int kPR_SET_MDWE = 65;          // 6.3+.
inline constexpr int kPR_GET_MDWE = 66;          // 6.3+.
inline constexpr int kPR_SET_MEMORY_MERGE = 67;  // 6.4+.
inline constexpr int kPR_GET_MEMORY_MERGE = 68;  // 6.4+.
inline constexpr int kPR_SET_PTRACER = 0x59616d61;
inline constexpr int kPR_SET_VMA = 0x53564d41;

// PR_SET_PTRACER argument: any process may trace the caller.
inline constexpr uint64_t kPR_SET_PTRACER_ANY = ~0ULL;

// PR_SET_UNALIGN / PR_SET_FPEMU / PR_SET_TIMING / PR_SET_ENDIAN / PR_SET_TSC arguments.
inline constexpr int kPR_UNALIGN_NOPRINT = 1;
inline constexpr int kPR_UNALIGN_SIGBUS = 2;
inline constexpr int kPR_FPEMU_NOPRINT = 1;
inline constexpr int kPR_FPEMU_SIGFPE = 2;
inline constexpr int kPR_TIMING_STATISTICAL = 0;
inline constexpr int kPR_TIMING_TIMESTAMP = 1;
inline constexpr int kPR_ENDIAN_BIG = 0;
inline constexpr int kPR_ENDIAN_LITTLE = 1;
inline constexpr int kPR_ENDIAN_PPC_LITTLE = 2;
inline constexpr int kPR_TSC_ENABLE = 1;
inline constexpr int kPR_TSC_SIGSEGV = 2;

// PR_MCE_KILL arguments.
inline constexpr int kPR_MCE_KILL_CLEAR = 0;
inline constexpr int kPR_MCE_KILL_SET = 1;
inline constexpr int kPR_MCE_KILL_LATE = 0;
inline constexpr int kPR_MCE_KILL_EARLY = 1;
inline constexpr int kPR_MCE_KILL_DEFAULT = 2;

// PR_SET_MM sub-options.
inline constexpr int kPR_SET_MM_START_CODE = 1;
inline constexpr int kPR_SET_MM_END_CODE = 2;
inline constexpr int kPR_SET_MM_START_DATA = 3;
inline constexpr int kPR_SET_MM_END_DATA = 4;
inline constexpr int kPR_SET_MM_START_STACK = 5;
inline constexpr int kPR_SET_MM_START_BRK = 6;
inline constexpr int kPR_SET_MM_BRK = 7;
inline constexpr int kPR_SET_MM_ARG_START = 8;
inline constexpr int kPR_SET_MM_ARG_END = 9;
inline constexpr int kPR_SET_MM_ENV_START = 10;
inline constexpr int kPR_SET_MM_ENV_END = 11;
inline constexpr int kPR_SET_MM_AUXV = 12;
inline constexpr int kPR_SET_MM_EXE_FILE = 13;
inline constexpr int kPR_SET_MM_MAP = 14;
inline constexpr int kPR_SET_MM_MAP_SIZE = 15;

// struct prctl_mm_map (PR_SET_MM_MAP).
struct PrctlMmMap {
  uint64_t start_code;
  uint64_t end_code;
  uint64_t start_data;
  uint64_t end_data;
  uint64_t start_brk;
  uint64_t brk;
  uint64_t start_stack;
  uint64_t arg_start;
  uint64_t arg_end;
  uint64_t env_start;
  uint64_t env_end;
  uint64_t auxv;  // Guest address of the auxv array.
  uint32_t auxv_size;
  uint32_t exe_fd;
};
static_assert(sizeof(PrctlMmMap) == 104);
static_assert(offsetof(PrctlMmMap, auxv) == 88);
static_assert(offsetof(PrctlMmMap, auxv_size) == 96);
static_assert(offsetof(PrctlMmMap, exe_fd) == 100);

// PR_CAP_AMBIENT sub-options.
inline constexpr int kPR_CAP_AMBIENT_IS_SET = 1;
inline constexpr int kPR_CAP_AMBIENT_RAISE = 2;
inline constexpr int kPR_CAP_AMBIENT_LOWER = 3;
inline constexpr int kPR_CAP_AMBIENT_CLEAR_ALL = 4;

// PR_GET/SET_SPECULATION_CTRL.
inline constexpr int kPR_SPEC_STORE_BYPASS = 0;
inline constexpr int kPR_SPEC_INDIRECT_BRANCH = 1;
inline constexpr int kPR_SPEC_L1D_FLUSH = 2;
inline constexpr uint64_t kPR_SPEC_NOT_AFFECTED = 0;
inline constexpr uint64_t kPR_SPEC_PRCTL = 1ULL << 0;
inline constexpr uint64_t kPR_SPEC_ENABLE = 1ULL << 1;
inline constexpr uint64_t kPR_SPEC_DISABLE = 1ULL << 2;
inline constexpr uint64_t kPR_SPEC_FORCE_DISABLE = 1ULL << 3;
inline constexpr uint64_t kPR_SPEC_DISABLE_NOEXEC = 1ULL << 4;

// PR_SET_SYSCALL_USER_DISPATCH.
inline constexpr int kPR_SYS_DISPATCH_OFF = 0;
inline constexpr int kPR_SYS_DISPATCH_ON = 1;
inline constexpr int kSYSCALL_DISPATCH_FILTER_ALLOW = 0;
inline constexpr int kSYSCALL_DISPATCH_FILTER_BLOCK = 1;

// PR_SCHED_CORE sub-options and scopes.
inline constexpr int kPR_SCHED_CORE_GET = 0;
inline constexpr int kPR_SCHED_CORE_CREATE = 1;
inline constexpr int kPR_SCHED_CORE_SHARE_TO = 2;
inline constexpr int kPR_SCHED_CORE_SHARE_FROM = 3;
inline constexpr int kPR_SCHED_CORE_MAX = 4;
inline constexpr int kPR_SCHED_CORE_SCOPE_THREAD = 0;
inline constexpr int kPR_SCHED_CORE_SCOPE_THREAD_GROUP = 1;
inline constexpr int kPR_SCHED_CORE_SCOPE_PROCESS_GROUP = 2;

// PR_SET_VMA sub-option.
inline constexpr int kPR_SET_VMA_ANON_NAME = 0;

// PR_SET_MDWE flags.
inline constexpr uint64_t kPR_MDWE_REFUSE_EXEC_GAIN = 1ULL << 0;  // 6.3+.
inline constexpr uint64_t kPR_MDWE_NO_INHERIT = 1ULL << 1;        // 6.6+.

// Values of PR_GET_DUMPABLE / PR_SET_DUMPABLE (include/linux/sched/coredump.h SUID_DUMP_*).
inline constexpr int kSUID_DUMP_DISABLE = 0;
inline constexpr int kSUID_DUMP_USER = 1;
inline constexpr int kSUID_DUMP_ROOT = 2;  // Not settable through prctl.

}  // namespace abi_linux

#endif  // ABI_LINUX_PRCTL_H_
