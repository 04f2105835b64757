// personality(2) domains and flags.
//
// Mirrors include/uapi/linux/personality.h.
//
// Usage:
//   if (persona & abi_linux::kADDR_NO_RANDOMIZE) ...  // no ASLR for this process

#ifndef ABI_LINUX_PERSONALITY_H_
#define ABI_LINUX_PERSONALITY_H_

#include <cstdint>


namespace abi_linux {

// Flags (high bits of the personality).
inline constexpr uint32_t kUNAME26 = 0x0020000;
inline constexpr uint32_t kADDR_NO_RANDOMIZE = 0x0040000;
inline constexpr uint32_t kFDPIC_FUNCPTRS = 0x0080000;
inline constexpr uint32_t kMMAP_PAGE_ZERO = 0x0100000;
inline constexpr uint32_t kADDR_COMPAT_LAYOUT = 0x0200000;
inline constexpr uint32_t kREAD_IMPLIES_EXEC = 0x0400000;
inline constexpr uint32_t kADDR_LIMIT_32BIT = 0x0800000;
inline constexpr uint32_t kSHORT_INODE = 0x1000000;
inline constexpr uint32_t kWHOLE_SECONDS = 0x2000000;
inline constexpr uint32_t kSTICKY_TIMEOUTS = 0x4000000;
inline constexpr uint32_t kADDR_LIMIT_3GB = 0x8000000;

// Flags cleared when executing a setuid/setgid program.
inline constexpr uint32_t kPER_CLEAR_ON_SETID =
    kREAD_IMPLIES_EXEC | kADDR_NO_RANDOMIZE | kADDR_COMPAT_LAYOUT | kMMAP_PAGE_ZERO;

// Execution domains (low byte).
inline constexpr uint32_t kPER_LINUX = 0x0000;
inline constexpr uint32_t kPER_LINUX_32BIT = 0x0000 | kADDR_LIMIT_32BIT;
inline constexpr uint32_t kPER_LINUX_FDPIC = 0x0000 | kFDPIC_FUNCPTRS;
inline constexpr uint32_t kPER_SVR4 = 0x0001 | kSTICKY_TIMEOUTS | kMMAP_PAGE_ZERO;
inline constexpr uint32_t kPER_SVR3 = 0x0002 | kSTICKY_TIMEOUTS | kSHORT_INODE;
inline constexpr uint32_t kPER_BSD = 0x0006;
inline constexpr uint32_t kPER_LINUX32 = 0x0008;
inline constexpr uint32_t kPER_LINUX32_3GB = 0x0008 | kADDR_LIMIT_3GB;
inline constexpr uint32_t kPER_MASK = 0x00ff;

// personality(0xffffffff) queries without changing.
inline constexpr uint32_t kPersonalityQuery = 0xffffffff;

}  // namespace abi_linux

#endif  // ABI_LINUX_PERSONALITY_H_
