// getrandom(2) flags.
//
// Mirrors include/uapi/linux/random.h.
//
// Usage:
//   if (flags & ~(abi_linux::kGRND_NONBLOCK | abi_linux::kGRND_RANDOM |
//                 abi_linux::kGRND_INSECURE)) return -kEINVAL;

#ifndef ABI_LINUX_RANDOM_H_
#define ABI_LINUX_RANDOM_H_


namespace abi_linux {

inline constexpr unsigned kGRND_NONBLOCK = 0x0001;
inline constexpr unsigned kGRND_RANDOM = 0x0002;
inline constexpr unsigned kGRND_INSECURE = 0x0004;

}  // namespace abi_linux

#endif  // ABI_LINUX_RANDOM_H_
