// reboot(2) magic numbers and commands.
//
// Mirrors include/uapi/linux/reboot.h.
//
// Usage:
//   if (magic1 != abi_linux::kLINUX_REBOOT_MAGIC1) return -kEINVAL;

#ifndef ABI_LINUX_REBOOT_H_
#define ABI_LINUX_REBOOT_H_

#include <cstdint>


namespace abi_linux {

inline constexpr uint32_t kLINUX_REBOOT_MAGIC1 = 0xfee1dead;
inline constexpr uint32_t kLINUX_REBOOT_MAGIC2 = 672274793;
inline constexpr uint32_t kLINUX_REBOOT_MAGIC2A = 85072278;
inline constexpr uint32_t kLINUX_REBOOT_MAGIC2B = 369367448;
inline constexpr uint32_t kLINUX_REBOOT_MAGIC2C = 537993216;

inline constexpr uint32_t kLINUX_REBOOT_CMD_RESTART = 0x01234567;
inline constexpr uint32_t kLINUX_REBOOT_CMD_HALT = 0xCDEF0123;
inline constexpr uint32_t kLINUX_REBOOT_CMD_CAD_ON = 0x89ABCDEF;
inline constexpr uint32_t kLINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
inline constexpr uint32_t kLINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC;
inline constexpr uint32_t kLINUX_REBOOT_CMD_RESTART2 = 0xA1B2C3D4;
inline constexpr uint32_t kLINUX_REBOOT_CMD_SW_SUSPEND = 0xD000FCE2;
inline constexpr uint32_t kLINUX_REBOOT_CMD_KEXEC = 0x45584543;

}  // namespace abi_linux

#endif  // ABI_LINUX_REBOOT_H_
