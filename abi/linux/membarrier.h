// membarrier(2) commands and flags.
//
// Mirrors include/uapi/linux/membarrier.h.
//
// Usage:
//   if (cmd == abi_linux::kMEMBARRIER_CMD_QUERY) return supported_mask;

#ifndef ABI_LINUX_MEMBARRIER_H_
#define ABI_LINUX_MEMBARRIER_H_


namespace abi_linux {

inline constexpr int kMEMBARRIER_CMD_QUERY = 0;
inline constexpr int kMEMBARRIER_CMD_GLOBAL = 1 << 0;
inline constexpr int kMEMBARRIER_CMD_SHARED = kMEMBARRIER_CMD_GLOBAL;
inline constexpr int kMEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1;
inline constexpr int kMEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;
inline constexpr int kMEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3;
inline constexpr int kMEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
inline constexpr int kMEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
inline constexpr int kMEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6;
inline constexpr int kMEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7;
inline constexpr int kMEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8;
inline constexpr int kMEMBARRIER_CMD_GET_REGISTRATIONS = 1 << 9;  // 6.3+.

inline constexpr int kMEMBARRIER_CMD_FLAG_CPU = 1 << 0;

}  // namespace abi_linux

#endif  // ABI_LINUX_MEMBARRIER_H_
