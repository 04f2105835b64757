// seccomp(2) and prctl(PR_SET_SECCOMP): modes, operations, filter flags, return actions,
// struct seccomp_data, user notification, and the classic BPF program format filters use.
//
// Mirrors include/uapi/linux/seccomp.h, include/uapi/linux/filter.h,
// include/uapi/linux/bpf_common.h and the AUDIT_ARCH_* values of include/uapi/linux/audit.h.
//
// Usage:
//   uint32_t action = ret & abi_linux::kSECCOMP_RET_ACTION_FULL;
//   if (action == abi_linux::kSECCOMP_RET_ERRNO) return -(ret & abi_linux::kSECCOMP_RET_DATA);

#ifndef ABI_LINUX_SECCOMP_H_
#define ABI_LINUX_SECCOMP_H_

#include <cstddef>
#include <cstdint>

#include "abi/linux/ioctl.h"

namespace abi_linux {

// Modes (PR_GET_SECCOMP, /proc/<pid>/status Seccomp:).
inline constexpr int kSECCOMP_MODE_DISABLED = 0;
inline constexpr int kSECCOMP_MODE_STRICT = 1;
inline constexpr int kSECCOMP_MODE_FILTER = 2;

// seccomp(2) operations.
inline constexpr unsigned kSECCOMP_SET_MODE_STRICT = 0;
inline constexpr unsigned kSECCOMP_SET_MODE_FILTER = 1;
inline constexpr unsigned kSECCOMP_GET_ACTION_AVAIL = 2;
inline constexpr unsigned kSECCOMP_GET_NOTIF_SIZES = 3;

// SECCOMP_SET_MODE_FILTER flags.
inline constexpr unsigned kSECCOMP_FILTER_FLAG_TSYNC = 1u << 0;
inline constexpr unsigned kSECCOMP_FILTER_FLAG_LOG = 1u << 1;
inline constexpr unsigned kSECCOMP_FILTER_FLAG_SPEC_ALLOW = 1u << 2;
inline constexpr unsigned kSECCOMP_FILTER_FLAG_NEW_LISTENER = 1u << 3;
inline constexpr unsigned kSECCOMP_FILTER_FLAG_TSYNC_ESRCH = 1u << 4;
inline constexpr unsigned kSECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 1u << 5;

// Filter return values: the action in the high 16 bits (most restrictive wins, compared as
// signed), data in the low 16.
inline constexpr uint32_t kSECCOMP_RET_KILL_PROCESS = 0x80000000u;
inline constexpr uint32_t kSECCOMP_RET_KILL_THREAD = 0x00000000u;
inline constexpr uint32_t kSECCOMP_RET_KILL = kSECCOMP_RET_KILL_THREAD;
inline constexpr uint32_t kSECCOMP_RET_TRAP = 0x00030000u;
inline constexpr uint32_t kSECCOMP_RET_ERRNO = 0x00050000u;
inline constexpr uint32_t kSECCOMP_RET_USER_NOTIF = 0x7fc00000u;
inline constexpr uint32_t kSECCOMP_RET_TRACE = 0x7ff00000u;
inline constexpr uint32_t kSECCOMP_RET_LOG = 0x7ffc0000u;
inline constexpr uint32_t kSECCOMP_RET_ALLOW = 0x7fff0000u;
inline constexpr uint32_t kSECCOMP_RET_ACTION_FULL = 0xffff0000u;
inline constexpr uint32_t kSECCOMP_RET_ACTION = 0x7fff0000u;
inline constexpr uint32_t kSECCOMP_RET_DATA = 0x0000ffffu;

// AUDIT_ARCH_* (seccomp_data.arch, siginfo si_arch).
inline constexpr uint32_t k__AUDIT_ARCH_64BIT = 0x80000000u;
inline constexpr uint32_t k__AUDIT_ARCH_LE = 0x40000000u;
inline constexpr uint32_t kAUDIT_ARCH_X86_64 = 62 | k__AUDIT_ARCH_64BIT | k__AUDIT_ARCH_LE;
inline constexpr uint32_t kAUDIT_ARCH_I386 = 3 | k__AUDIT_ARCH_LE;

// struct seccomp_data: the input a filter reads with BPF_LD|BPF_W|BPF_ABS.
struct SeccompData {
  int32_t nr;     // Syscall number.
  uint32_t arch;  // AUDIT_ARCH_*.
  uint64_t instruction_pointer;
  uint64_t args[6];
};
static_assert(sizeof(SeccompData) == 64);
static_assert(offsetof(SeccompData, arch) == 4);
static_assert(offsetof(SeccompData, instruction_pointer) == 8);
static_assert(offsetof(SeccompData, args) == 16);

// User notification (SECCOMP_FILTER_FLAG_NEW_LISTENER).
struct SeccompNotifSizes {
  uint16_t seccomp_notif;
  uint16_t seccomp_notif_resp;
  uint16_t seccomp_data;
};
static_assert(sizeof(SeccompNotifSizes) == 6);

struct SeccompNotif {
  uint64_t id;
  uint32_t pid;
  uint32_t flags;
  SeccompData data;
};
static_assert(sizeof(SeccompNotif) == 80);
static_assert(offsetof(SeccompNotif, pid) == 8);
static_assert(offsetof(SeccompNotif, data) == 16);

inline constexpr uint32_t kSECCOMP_USER_NOTIF_FLAG_CONTINUE = 1u << 0;

struct SeccompNotifResp {
  uint64_t id;
  int64_t val;
  int32_t error;
  uint32_t flags;
};
static_assert(sizeof(SeccompNotifResp) == 24);
static_assert(offsetof(SeccompNotifResp, val) == 8);
static_assert(offsetof(SeccompNotifResp, error) == 16);
static_assert(offsetof(SeccompNotifResp, flags) == 20);

inline constexpr uint32_t kSECCOMP_ADDFD_FLAG_SETFD = 1u << 0;
inline constexpr uint32_t kSECCOMP_ADDFD_FLAG_SEND = 1u << 1;

struct SeccompNotifAddfd {
  uint64_t id;
  uint32_t flags;
  uint32_t srcfd;
  uint32_t newfd;
  uint32_t newfd_flags;
};
static_assert(sizeof(SeccompNotifAddfd) == 24);
static_assert(offsetof(SeccompNotifAddfd, srcfd) == 12);

inline constexpr uint32_t kSECCOMP_IOC_MAGIC = '!';
inline constexpr uint32_t kSECCOMP_IOCTL_NOTIF_RECV =
    IOWR(kSECCOMP_IOC_MAGIC, 0, sizeof(SeccompNotif));
inline constexpr uint32_t kSECCOMP_IOCTL_NOTIF_SEND =
    IOWR(kSECCOMP_IOC_MAGIC, 1, sizeof(SeccompNotifResp));
inline constexpr uint32_t kSECCOMP_IOCTL_NOTIF_ID_VALID =
    IOW(kSECCOMP_IOC_MAGIC, 2, sizeof(uint64_t));
inline constexpr uint32_t kSECCOMP_IOCTL_NOTIF_ADDFD =
    IOW(kSECCOMP_IOC_MAGIC, 3, sizeof(SeccompNotifAddfd));

// ---- Classic BPF (include/uapi/linux/filter.h, bpf_common.h). ----
//
// The field extractors BPF_CLASS, BPF_SIZE, ... and the builders BPF_STMT, BPF_JUMP are kernel
// macros, so they are spelled BpfClass, BpfSize, ..., BpfStmt, BpfJump here.

// struct sock_filter: one instruction.
struct SockFilter {
  uint16_t code;
  uint8_t jt;  // Jump offset if true.
  uint8_t jf;  // Jump offset if false.
  uint32_t k;
};
static_assert(sizeof(SockFilter) == 8);
static_assert(offsetof(SockFilter, jt) == 2);
static_assert(offsetof(SockFilter, jf) == 3);
static_assert(offsetof(SockFilter, k) == 4);

// struct sock_fprog: a program (filter is a guest address of len SockFilters).
struct SockFprog {
  uint16_t len;
  uint8_t pad[6];
  uint64_t filter;
};
static_assert(sizeof(SockFprog) == 16);
static_assert(offsetof(SockFprog, filter) == 8);

inline constexpr int kBPF_MAXINSNS = 4096;
inline constexpr int kBPF_MEMWORDS = 16;

// Instruction classes.
inline constexpr uint16_t kBPF_LD = 0x00;
inline constexpr uint16_t kBPF_LDX = 0x01;
inline constexpr uint16_t kBPF_ST = 0x02;
inline constexpr uint16_t kBPF_STX = 0x03;
inline constexpr uint16_t kBPF_ALU = 0x04;
inline constexpr uint16_t kBPF_JMP = 0x05;
inline constexpr uint16_t kBPF_RET = 0x06;
inline constexpr uint16_t kBPF_MISC = 0x07;
constexpr uint16_t BpfClass(uint16_t code) { return code & 0x07; }
// Load/store size and mode.
inline constexpr uint16_t kBPF_W = 0x00;
inline constexpr uint16_t kBPF_H = 0x08;
inline constexpr uint16_t kBPF_B = 0x10;
inline constexpr uint16_t kBPF_IMM = 0x00;
inline constexpr uint16_t kBPF_ABS = 0x20;
inline constexpr uint16_t kBPF_IND = 0x40;
inline constexpr uint16_t kBPF_MEM = 0x60;
inline constexpr uint16_t kBPF_LEN = 0x80;
inline constexpr uint16_t kBPF_MSH = 0xa0;
constexpr uint16_t BpfSize(uint16_t code) { return code & 0x18; }
constexpr uint16_t BpfMode(uint16_t code) { return code & 0xe0; }
// ALU and jump operations.
inline constexpr uint16_t kBPF_ADD = 0x00;
inline constexpr uint16_t kBPF_SUB = 0x10;
inline constexpr uint16_t kBPF_MUL = 0x20;
inline constexpr uint16_t kBPF_DIV = 0x30;
inline constexpr uint16_t kBPF_OR = 0x40;
inline constexpr uint16_t kBPF_AND = 0x50;
inline constexpr uint16_t kBPF_LSH = 0x60;
inline constexpr uint16_t kBPF_RSH = 0x70;
inline constexpr uint16_t kBPF_NEG = 0x80;
inline constexpr uint16_t kBPF_MOD = 0x90;
inline constexpr uint16_t kBPF_XOR = 0xa0;
inline constexpr uint16_t kBPF_JA = 0x00;
inline constexpr uint16_t kBPF_JEQ = 0x10;
inline constexpr uint16_t kBPF_JGT = 0x20;
inline constexpr uint16_t kBPF_JGE = 0x30;
inline constexpr uint16_t kBPF_JSET = 0x40;
constexpr uint16_t BpfOp(uint16_t code) { return code & 0xf0; }
// Operand source.
inline constexpr uint16_t kBPF_K = 0x00;
inline constexpr uint16_t kBPF_X = 0x08;
constexpr uint16_t BpfSrc(uint16_t code) { return code & 0x08; }
// BPF_RET value source and BPF_MISC operations.
inline constexpr uint16_t kBPF_A = 0x10;
inline constexpr uint16_t kBPF_TAX = 0x00;
inline constexpr uint16_t kBPF_TXA = 0x80;
constexpr uint16_t BpfRval(uint16_t code) { return code & 0x18; }
constexpr uint16_t BpfMiscOp(uint16_t code) { return code & 0xf8; }

// BPF_STMT / BPF_JUMP builders.
constexpr SockFilter BpfStmt(uint16_t code, uint32_t k) { return {code, 0, 0, k}; }
constexpr SockFilter BpfJump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) {
  return {code, jt, jf, k};
}

}  // namespace abi_linux

#endif  // ABI_LINUX_SECCOMP_H_
