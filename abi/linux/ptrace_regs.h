// x86-64 general-purpose register set as exchanged with ptrace (PTRACE_GETREGS/SETREGS,
// PTRACE_GETREGSET NT_PRSTATUS) and found in an ELF core's prstatus.
//
// Mirrors struct user_regs_struct in arch/x86/include/asm/user_64.h (exported to userspace as
// <sys/user.h>); struct pt_regs in arch/x86/include/uapi/asm/ptrace.h holds the same registers in
// the same order up to ss, without the segment bases and selectors that follow.
//
// Usage:
//   abi_linux::PtRegs regs;  // filled by the platform from PTRACE_GETREGS
//   int nr = static_cast<int>(regs.orig_rax);
//   uint64_t arg0 = regs.rdi;

#ifndef ABI_LINUX_PTRACE_REGS_H_
#define ABI_LINUX_PTRACE_REGS_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

struct PtRegs {
  uint64_t r15;
  uint64_t r14;
  uint64_t r13;
  uint64_t r12;
  uint64_t rbp;
  uint64_t rbx;
  uint64_t r11;
  uint64_t r10;
  uint64_t r9;
  uint64_t r8;
  uint64_t rax;
  uint64_t rcx;
  uint64_t rdx;
  uint64_t rsi;
  uint64_t rdi;
  uint64_t orig_rax;  // Syscall number on syscall entry; -1 otherwise.
  uint64_t rip;
  uint64_t cs;
  uint64_t eflags;
  uint64_t rsp;
  uint64_t ss;
  uint64_t fs_base;
  uint64_t gs_base;
  uint64_t ds;
  uint64_t es;
  uint64_t fs;
  uint64_t gs;
};
static_assert(sizeof(PtRegs) == 27 * 8);
static_assert(offsetof(PtRegs, r15) == 0 * 8);
static_assert(offsetof(PtRegs, rbp) == 4 * 8);
static_assert(offsetof(PtRegs, r10) == 7 * 8);
static_assert(offsetof(PtRegs, rax) == 10 * 8);
static_assert(offsetof(PtRegs, rdi) == 14 * 8);
static_assert(offsetof(PtRegs, orig_rax) == 15 * 8);
static_assert(offsetof(PtRegs, rip) == 16 * 8);
static_assert(offsetof(PtRegs, eflags) == 18 * 8);
static_assert(offsetof(PtRegs, rsp) == 19 * 8);
static_assert(offsetof(PtRegs, fs_base) == 21 * 8);
static_assert(offsetof(PtRegs, gs_base) == 22 * 8);
static_assert(offsetof(PtRegs, gs) == 26 * 8);

// Byte offsets into the register set, for PTRACE_PEEKUSER/POKEUSER (struct user begins with it).
inline constexpr std::size_t kPtRegsOffsetOrigRax = offsetof(PtRegs, orig_rax);
inline constexpr std::size_t kPtRegsOffsetRip = offsetof(PtRegs, rip);
inline constexpr std::size_t kPtRegsOffsetRsp = offsetof(PtRegs, rsp);
inline constexpr std::size_t kPtRegsOffsetRax = offsetof(PtRegs, rax);
inline constexpr std::size_t kPtRegsOffsetFsBase = offsetof(PtRegs, fs_base);

// x86-64 syscall argument registers, in order: rdi rsi rdx r10 r8 r9; result in rax.
inline constexpr int kSyscallArgCount = 6;

// Segment selectors a 64-bit user task runs with (arch/x86/include/asm/segment.h).
inline constexpr uint64_t kUserCs = 0x33;    // __USER_CS
inline constexpr uint64_t kUserDs = 0x2b;    // __USER_DS (also ss)
inline constexpr uint64_t kUser32Cs = 0x23;  // __USER32_CS (compat mode)

// EFLAGS bits (arch/x86/include/uapi/asm/processor-flags.h).
inline constexpr uint64_t kX86_EFLAGS_CF = 1ULL << 0;
inline constexpr uint64_t kX86_EFLAGS_FIXED = 1ULL << 1;  // Always set.
inline constexpr uint64_t kX86_EFLAGS_PF = 1ULL << 2;
inline constexpr uint64_t kX86_EFLAGS_AF = 1ULL << 4;
inline constexpr uint64_t kX86_EFLAGS_ZF = 1ULL << 6;
inline constexpr uint64_t kX86_EFLAGS_SF = 1ULL << 7;
inline constexpr uint64_t kX86_EFLAGS_TF = 1ULL << 8;
inline constexpr uint64_t kX86_EFLAGS_IF = 1ULL << 9;
inline constexpr uint64_t kX86_EFLAGS_DF = 1ULL << 10;
inline constexpr uint64_t kX86_EFLAGS_OF = 1ULL << 11;
inline constexpr uint64_t kX86_EFLAGS_IOPL = 3ULL << 12;
inline constexpr uint64_t kX86_EFLAGS_NT = 1ULL << 14;
inline constexpr uint64_t kX86_EFLAGS_RF = 1ULL << 16;
inline constexpr uint64_t kX86_EFLAGS_VM = 1ULL << 17;
inline constexpr uint64_t kX86_EFLAGS_AC = 1ULL << 18;
inline constexpr uint64_t kX86_EFLAGS_VIF = 1ULL << 19;
inline constexpr uint64_t kX86_EFLAGS_VIP = 1ULL << 20;
inline constexpr uint64_t kX86_EFLAGS_ID = 1ULL << 21;

// Flags a user task may change through sigreturn/ptrace (FIX_EFLAGS in
// arch/x86/kernel/signal.c): AC OF DF TF SF ZF AF PF CF RF.
inline constexpr uint64_t kX86_EFLAGS_USER_MASK =
    kX86_EFLAGS_AC | kX86_EFLAGS_OF | kX86_EFLAGS_DF | kX86_EFLAGS_TF | kX86_EFLAGS_SF |
    kX86_EFLAGS_ZF | kX86_EFLAGS_AF | kX86_EFLAGS_PF | kX86_EFLAGS_CF | kX86_EFLAGS_RF;

}  // namespace abi_linux

#endif  // ABI_LINUX_PTRACE_REGS_H_
