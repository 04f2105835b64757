// The character devices the sentry implements itself: /dev/null (1,3),
// /dev/zero (1,5), /dev/full (1,7), /dev/random (1,8), /dev/urandom (1,9)
// and /dev/tty (5,0); devpts (above the kernel) implements /dev/ptmx (5,2)
// and takes over /dev/tty. Whatever file system holds the device node, opening
// it opens one of these (vfs::OpenCharDevice).
//
//   dev::RegisterDevices();  // once, at start-up
//   ASSIGN_OR_RETURN_ERRNO(auto f, vfs::OpenCharDevice(ctx, vfs::MakeDev(1, 5), O_RDONLY));
#ifndef SENTRY_FSIMPL_DEV_DEVICES_H_
#define SENTRY_FSIMPL_DEV_DEVICES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "sentry/mm/mappable.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::dev {

// Registers every device above with vfs::RegisterCharDevice (idempotent).
void RegisterDevices();

// The device numbers, for the nodes in devfs.
struct DeviceNumber {
  const char* name;
  uint32_t major, minor;
  uint32_t mode;  // permission bits of the node
};
inline constexpr DeviceNumber kDevices[] = {
    {"null", 1, 3, 0666},   {"zero", 1, 5, 0666},    {"full", 1, 7, 0666},
    {"random", 1, 8, 0666}, {"urandom", 1, 9, 0666}, {"tty", 5, 0, 0666},
    {"ptmx", 5, 2, 0666},
};

// What a private mapping of /dev/zero maps: zero-filled pages.
class ZeroMappable : public mm::Mappable {
 public:
  uint64_t MappableSize() override { return ~uint64_t{0}; }
  util::ErrnoOr<size_t> ReadForMap(void* dst, size_t len, uint64_t offset) override;
  std::string MapName() const override { return "/dev/zero"; }
};

// The open files of each device (for tests and for code that wants one
// without a device node).
std::shared_ptr<vfs::FileDescription> NewNullFile(int flags);
std::shared_ptr<vfs::FileDescription> NewZeroFile(int flags);
std::shared_ptr<vfs::FileDescription> NewFullFile(int flags);
std::shared_ptr<vfs::FileDescription> NewRandomFile(int flags);

}  // namespace sentry::fsimpl::dev

#endif  // SENTRY_FSIMPL_DEV_DEVICES_H_
