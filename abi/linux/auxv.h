// ELF auxiliary vector entry types, as placed on a new program's stack by execve.
//
// Mirrors include/uapi/linux/auxvec.h and arch/x86/include/uapi/asm/auxvec.h.
//
// Usage:
//   AuxEntry entries[] = {{abi_linux::kAT_PAGESZ, 4096}, ..., {abi_linux::kAT_NULL, 0}};

#ifndef ABI_LINUX_AUXV_H_
#define ABI_LINUX_AUXV_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

inline constexpr uint64_t kAT_NULL = 0;            // End of vector.
inline constexpr uint64_t kAT_IGNORE = 1;          // Entry should be ignored.
inline constexpr uint64_t kAT_EXECFD = 2;          // File descriptor of program.
inline constexpr uint64_t kAT_PHDR = 3;            // Program headers for program.
inline constexpr uint64_t kAT_PHENT = 4;           // Size of program header entry.
inline constexpr uint64_t kAT_PHNUM = 5;           // Number of program headers.
inline constexpr uint64_t kAT_PAGESZ = 6;          // System page size.
inline constexpr uint64_t kAT_BASE = 7;            // Base address of interpreter.
inline constexpr uint64_t kAT_FLAGS = 8;           // Flags.
inline constexpr uint64_t kAT_ENTRY = 9;           // Entry point of program.
inline constexpr uint64_t kAT_NOTELF = 10;         // Program is not ELF.
inline constexpr uint64_t kAT_UID = 11;            // Real uid.
inline constexpr uint64_t kAT_EUID = 12;           // Effective uid.
inline constexpr uint64_t kAT_GID = 13;            // Real gid.
inline constexpr uint64_t kAT_EGID = 14;           // Effective gid.
inline constexpr uint64_t kAT_PLATFORM = 15;       // Address of a string naming the CPU ("x86_64").
inline constexpr uint64_t kAT_HWCAP = 16;          // CPUID(1).EDX on x86.
inline constexpr uint64_t kAT_CLKTCK = 17;         // Frequency at which times() increments.
inline constexpr uint64_t kAT_SECURE = 23;         // Secure mode boolean (setuid etc.).
inline constexpr uint64_t kAT_BASE_PLATFORM = 24;  // Address of a string naming the real platform.
inline constexpr uint64_t kAT_RANDOM = 25;         // Address of 16 random bytes.
inline constexpr uint64_t kAT_HWCAP2 = 26;         // Extension of AT_HWCAP.
inline constexpr uint64_t kAT_RSEQ_FEATURE_SIZE = 27;  // rseq supported feature size (6.3+).
inline constexpr uint64_t kAT_RSEQ_ALIGN = 28;         // rseq allocation alignment (6.3+).
inline constexpr uint64_t kAT_HWCAP3 = 29;             // Extension of AT_HWCAP (6.9+).
inline constexpr uint64_t kAT_HWCAP4 = 30;             // Extension of AT_HWCAP (6.9+).
inline constexpr uint64_t kAT_EXECFN = 31;             // Address of the filename of program.
inline constexpr uint64_t kAT_SYSINFO = 32;            // i386 only: vsyscall entry point.
inline constexpr uint64_t kAT_SYSINFO_EHDR = 33;       // Address of the vDSO's ELF header.
inline constexpr uint64_t kAT_MINSIGSTKSZ = 51;        // Minimal stack size for signal delivery.

// One auxv entry (Elf64_auxv_t).
struct AuxEntry {
  uint64_t a_type;
  uint64_t a_val;
};
static_assert(sizeof(AuxEntry) == 16);
static_assert(offsetof(AuxEntry, a_type) == 0);
static_assert(offsetof(AuxEntry, a_val) == 8);

}  // namespace abi_linux

#endif  // ABI_LINUX_AUXV_H_
