// eventfd2 flags.
//
// Mirrors include/linux/eventfd.h (the flags are not in a uapi header; they equal the O_* values
// of include/uapi/asm-generic/fcntl.h).
//
// Usage:
//   if (flags & ~abi_linux::kEFD_FLAGS_SET) return -kEINVAL;

#ifndef ABI_LINUX_EVENTFD_H_
#define ABI_LINUX_EVENTFD_H_

#include <cstdint>


namespace abi_linux {

inline constexpr int kEFD_SEMAPHORE = 1 << 0;
inline constexpr int kEFD_CLOEXEC = 02000000;   // O_CLOEXEC.
inline constexpr int kEFD_NONBLOCK = 00004000;  // O_NONBLOCK.
inline constexpr int kEFD_SHARED_FCNTL_FLAGS = kEFD_CLOEXEC | kEFD_NONBLOCK;
inline constexpr int kEFD_FLAGS_SET = kEFD_SHARED_FCNTL_FLAGS | kEFD_SEMAPHORE;

// The largest value the counter holds (ULLONG_MAX - 1): a write that would push it higher
// blocks, or fails with EAGAIN; writing 0xffffffffffffffff itself fails with EINVAL.
inline constexpr uint64_t kEventfdMax = 0xfffffffffffffffeULL;

}  // namespace abi_linux

#endif  // ABI_LINUX_EVENTFD_H_
