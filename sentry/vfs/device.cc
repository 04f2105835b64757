#include "sentry/vfs/device.h"

#include <map>

#include "absl/synchronization/mutex.h"

namespace sentry::vfs {

namespace {
absl::Mutex devices_mu(absl::kConstInit);
std::map<std::pair<uint32_t, uint32_t>, DeviceOpener>& Devices() {
  static auto* m = new std::map<std::pair<uint32_t, uint32_t>, DeviceOpener>();
  return *m;
}
}  // namespace

void RegisterCharDevice(uint32_t major, uint32_t minor, DeviceOpener open) {
  absl::MutexLock l(&devices_mu);
  Devices()[{major, minor}] = std::move(open);
}

ErrnoOr<std::shared_ptr<FileDescription>> OpenCharDevice(Context& ctx, uint64_t rdev, int flags) {
  DeviceOpener open;
  {
    absl::MutexLock l(&devices_mu);
    auto it = Devices().find({DevMajor(rdev), DevMinor(rdev)});
    if (it == Devices().end()) return Errno(ENXIO);
    open = it->second;
  }
  return open(ctx, flags);
}

}  // namespace sentry::vfs
