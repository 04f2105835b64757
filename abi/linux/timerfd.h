// timerfd_create/timerfd_settime flags and ioctls.
//
// Mirrors include/uapi/linux/timerfd.h.
//
// Usage:
//   bool absolute = flags & abi_linux::kTFD_TIMER_ABSTIME;

#ifndef ABI_LINUX_TIMERFD_H_
#define ABI_LINUX_TIMERFD_H_

#include <cstdint>

#include "abi/linux/ioctl.h"

namespace abi_linux {

// timerfd_settime flags.
inline constexpr int kTFD_TIMER_ABSTIME = 1 << 0;
inline constexpr int kTFD_TIMER_CANCEL_ON_SET = 1 << 1;
inline constexpr int kTFD_SETTIME_FLAGS = kTFD_TIMER_ABSTIME | kTFD_TIMER_CANCEL_ON_SET;

// timerfd_create flags.
inline constexpr int kTFD_CLOEXEC = 02000000;   // O_CLOEXEC.
inline constexpr int kTFD_NONBLOCK = 00004000;  // O_NONBLOCK.
inline constexpr int kTFD_CREATE_FLAGS = kTFD_CLOEXEC | kTFD_NONBLOCK;

inline constexpr uint32_t kTFD_IOC_SET_TICKS = IOW('T', 0, sizeof(uint64_t));

}  // namespace abi_linux

#endif  // ABI_LINUX_TIMERFD_H_
