// ioctl request number encoding: direction, type, number and argument size packed in 32 bits.
//
// Mirrors include/uapi/asm-generic/ioctl.h (x86-64 uses the generic layout: 8-bit nr, 8-bit type,
// 14-bit size, 2-bit direction).
//
// Usage:
//   constexpr uint32_t kTIOCGPTN = abi_linux::IOR('T', 0x30, sizeof(uint32_t));
//   if (abi_linux::IOC_DIR(cmd) & abi_linux::kIOC_READ) ...  // copies out IOC_SIZE(cmd) bytes

#ifndef ABI_LINUX_IOCTL_H_
#define ABI_LINUX_IOCTL_H_

#include <cstdint>


namespace abi_linux {

inline constexpr uint32_t kIOC_NRBITS = 8;
inline constexpr uint32_t kIOC_TYPEBITS = 8;
inline constexpr uint32_t kIOC_SIZEBITS = 14;
inline constexpr uint32_t kIOC_DIRBITS = 2;

inline constexpr uint32_t kIOC_NRMASK = (1u << kIOC_NRBITS) - 1;
inline constexpr uint32_t kIOC_TYPEMASK = (1u << kIOC_TYPEBITS) - 1;
inline constexpr uint32_t kIOC_SIZEMASK = (1u << kIOC_SIZEBITS) - 1;
inline constexpr uint32_t kIOC_DIRMASK = (1u << kIOC_DIRBITS) - 1;

inline constexpr uint32_t kIOC_NRSHIFT = 0;
inline constexpr uint32_t kIOC_TYPESHIFT = kIOC_NRSHIFT + kIOC_NRBITS;
inline constexpr uint32_t kIOC_SIZESHIFT = kIOC_TYPESHIFT + kIOC_TYPEBITS;
inline constexpr uint32_t kIOC_DIRSHIFT = kIOC_SIZESHIFT + kIOC_SIZEBITS;

// Direction bits, from the caller's point of view: _IOC_READ means the kernel writes to user
// memory.
inline constexpr uint32_t kIOC_NONE = 0u;
inline constexpr uint32_t kIOC_WRITE = 1u;
inline constexpr uint32_t kIOC_READ = 2u;

// _IOC(dir, type, nr, size).
constexpr uint32_t IOC(uint32_t dir, uint32_t type, uint32_t nr, uint32_t size) {
  return (dir << kIOC_DIRSHIFT) | (type << kIOC_TYPESHIFT) | (nr << kIOC_NRSHIFT) |
         (size << kIOC_SIZESHIFT);
}

// _IO, _IOR, _IOW, _IOWR. `size` is the argument's size in bytes (sizeof of the kernel's type).
constexpr uint32_t IO(uint32_t type, uint32_t nr) { return IOC(kIOC_NONE, type, nr, 0); }
constexpr uint32_t IOR(uint32_t type, uint32_t nr, uint32_t size) {
  return IOC(kIOC_READ, type, nr, size);
}
constexpr uint32_t IOW(uint32_t type, uint32_t nr, uint32_t size) {
  return IOC(kIOC_WRITE, type, nr, size);
}
constexpr uint32_t IOWR(uint32_t type, uint32_t nr, uint32_t size) {
  return IOC(kIOC_READ | kIOC_WRITE, type, nr, size);
}

// _IOC_DIR, _IOC_TYPE, _IOC_NR, _IOC_SIZE.
constexpr uint32_t IOC_DIR(uint32_t cmd) { return (cmd >> kIOC_DIRSHIFT) & kIOC_DIRMASK; }
constexpr uint32_t IOC_TYPE(uint32_t cmd) { return (cmd >> kIOC_TYPESHIFT) & kIOC_TYPEMASK; }
constexpr uint32_t IOC_NR(uint32_t cmd) { return (cmd >> kIOC_NRSHIFT) & kIOC_NRMASK; }
constexpr uint32_t IOC_SIZE(uint32_t cmd) { return (cmd >> kIOC_SIZESHIFT) & kIOC_SIZEMASK; }

}  // namespace abi_linux

#endif  // ABI_LINUX_IOCTL_H_
