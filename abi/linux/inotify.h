// inotify: event masks, flags and the event record.
//
// Mirrors include/uapi/linux/inotify.h.
//
// Usage:
//   abi_linux::InotifyEvent ev{.wd = wd, .mask = abi_linux::kIN_CREATE, .cookie = 0, .len = n};

#ifndef ABI_LINUX_INOTIFY_H_
#define ABI_LINUX_INOTIFY_H_

#include <cstddef>
#include <cstdint>

#include "abi/linux/ioctl.h"

namespace abi_linux {

// Events (inotify_add_watch mask, InotifyEvent::mask).
inline constexpr uint32_t kIN_ACCESS = 0x00000001;
inline constexpr uint32_t kIN_MODIFY = 0x00000002;
inline constexpr uint32_t kIN_ATTRIB = 0x00000004;
inline constexpr uint32_t kIN_CLOSE_WRITE = 0x00000008;
inline constexpr uint32_t kIN_CLOSE_NOWRITE = 0x00000010;
inline constexpr uint32_t kIN_OPEN = 0x00000020;
inline constexpr uint32_t kIN_MOVED_FROM = 0x00000040;
inline constexpr uint32_t kIN_MOVED_TO = 0x00000080;
inline constexpr uint32_t kIN_CREATE = 0x00000100;
inline constexpr uint32_t kIN_DELETE = 0x00000200;
inline constexpr uint32_t kIN_DELETE_SELF = 0x00000400;
inline constexpr uint32_t kIN_MOVE_SELF = 0x00000800;
inline constexpr uint32_t kIN_CLOSE = kIN_CLOSE_WRITE | kIN_CLOSE_NOWRITE;
inline constexpr uint32_t kIN_MOVE = kIN_MOVED_FROM | kIN_MOVED_TO;
inline constexpr uint32_t kIN_ALL_EVENTS =
    kIN_ACCESS | kIN_MODIFY | kIN_ATTRIB | kIN_CLOSE_WRITE | kIN_CLOSE_NOWRITE | kIN_OPEN |
    kIN_MOVED_FROM | kIN_MOVED_TO | kIN_DELETE | kIN_CREATE | kIN_DELETE_SELF | kIN_MOVE_SELF;

// Events sent by the kernel regardless of the mask.
inline constexpr uint32_t kIN_UNMOUNT = 0x00002000;
inline constexpr uint32_t kIN_Q_OVERFLOW = 0x00004000;
inline constexpr uint32_t kIN_IGNORED = 0x00008000;

// inotify_add_watch flags.
inline constexpr uint32_t kIN_ONLYDIR = 0x01000000;
inline constexpr uint32_t kIN_DONT_FOLLOW = 0x02000000;
inline constexpr uint32_t kIN_EXCL_UNLINK = 0x04000000;
inline constexpr uint32_t kIN_MASK_CREATE = 0x10000000;
inline constexpr uint32_t kIN_MASK_ADD = 0x20000000;
inline constexpr uint32_t kIN_ISDIR = 0x40000000;  // In events: the subject is a directory.
inline constexpr uint32_t kIN_ONESHOT = 0x80000000;

// inotify_init1 flags.
inline constexpr int kIN_CLOEXEC = 02000000;   // O_CLOEXEC.
inline constexpr int kIN_NONBLOCK = 00004000;  // O_NONBLOCK.

inline constexpr uint32_t kINOTIFY_IOC_SETNEXTWD = IOW('I', 0, sizeof(int32_t));

// struct inotify_event; `len` bytes of NUL-padded name follow.
struct InotifyEvent {
  int32_t wd;
  uint32_t mask;
  uint32_t cookie;  // Pairs IN_MOVED_FROM with IN_MOVED_TO.
  uint32_t len;
};
static_assert(sizeof(InotifyEvent) == 16);
static_assert(offsetof(InotifyEvent, mask) == 4);
static_assert(offsetof(InotifyEvent, cookie) == 8);
static_assert(offsetof(InotifyEvent, len) == 12);

}  // namespace abi_linux

#endif  // ABI_LINUX_INOTIFY_H_
