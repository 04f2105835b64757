// NUMA memory policy: set_mempolicy/get_mempolicy/mbind modes and flags.
//
// Mirrors include/uapi/linux/mempolicy.h.
//
// Usage:
//   int mode = arg & ~abi_linux::kMPOL_MODE_FLAGS;
//   if (mode >= abi_linux::kMPOL_MAX) return -kEINVAL;

#ifndef ABI_LINUX_MEMPOLICY_H_
#define ABI_LINUX_MEMPOLICY_H_


namespace abi_linux {

// Policy modes.
inline constexpr int kMPOL_DEFAULT = 0;
inline constexpr int kMPOL_PREFERRED = 1;
inline constexpr int kMPOL_BIND = 2;
inline constexpr int kMPOL_INTERLEAVE = 3;
inline constexpr int kMPOL_LOCAL = 4;
inline constexpr int kMPOL_PREFERRED_MANY = 5;
inline constexpr int kMPOL_WEIGHTED_INTERLEAVE = 6;  // 6.9+.
// One past the last mode, as of the 6.1 uapi headers (6.9 adds MPOL_WEIGHTED_INTERLEAVE).
inline constexpr int kMPOL_MAX = kMPOL_PREFERRED_MANY + 1;

// Optional mode flags (or'ed into the mode).
inline constexpr int kMPOL_F_STATIC_NODES = 1 << 15;
inline constexpr int kMPOL_F_RELATIVE_NODES = 1 << 14;
inline constexpr int kMPOL_F_NUMA_BALANCING = 1 << 13;
inline constexpr int kMPOL_MODE_FLAGS =
    kMPOL_F_STATIC_NODES | kMPOL_F_RELATIVE_NODES | kMPOL_F_NUMA_BALANCING;

// get_mempolicy flags.
inline constexpr int kMPOL_F_NODE = 1 << 0;
inline constexpr int kMPOL_F_ADDR = 1 << 1;
inline constexpr int kMPOL_F_MEMS_ALLOWED = 1 << 2;

// mbind flags.
inline constexpr int kMPOL_MF_STRICT = 1 << 0;
inline constexpr int kMPOL_MF_MOVE = 1 << 1;
inline constexpr int kMPOL_MF_MOVE_ALL = 1 << 2;
inline constexpr int kMPOL_MF_LAZY = 1 << 3;
inline constexpr int kMPOL_MF_VALID = kMPOL_MF_STRICT | kMPOL_MF_MOVE | kMPOL_MF_MOVE_ALL;

}  // namespace abi_linux

#endif  // ABI_LINUX_MEMPOLICY_H_
