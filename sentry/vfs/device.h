// Character devices by number. Opening a device node (S_IFCHR) on any file
// system — devfs, tmpfs, or the container's root served by the gofer —
// opens the device the sentry implements for that number, never the host's.
//
//   RegisterCharDevice(1, 3, [](Context&, int flags) { return NewNullFile(flags); });
//   ASSIGN_OR_RETURN_ERRNO(auto f, OpenCharDevice(ctx, st.st_rdev, flags));  // ENXIO if unknown
#ifndef SENTRY_VFS_DEVICE_H_
#define SENTRY_VFS_DEVICE_H_

#include <functional>
#include <memory>

#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

using DeviceOpener = std::function<ErrnoOr<std::shared_ptr<FileDescription>>(Context&, int flags)>;

void RegisterCharDevice(uint32_t major, uint32_t minor, DeviceOpener open);
ErrnoOr<std::shared_ptr<FileDescription>> OpenCharDevice(Context& ctx, uint64_t rdev, int flags);

inline uint32_t DevMajor(uint64_t dev) {
  return static_cast<uint32_t>(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff));
}
inline uint32_t DevMinor(uint64_t dev) {
  return static_cast<uint32_t>(((dev >> 12) & 0xffffff00) | (dev & 0xff));
}
inline uint64_t MakeDev(uint32_t major, uint32_t minor) {
  return (uint64_t{major & 0xfffff000} << 32) | (uint64_t{major & 0xfff} << 8) |
         (uint64_t{minor & 0xffffff00} << 12) | uint64_t{minor & 0xff};
}

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_DEVICE_H_
