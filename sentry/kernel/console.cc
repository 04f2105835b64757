#include "sentry/kernel/console.h"

#include <atomic>

namespace sentry::kernel {

namespace {
std::atomic<ConsoleFactory> factory{nullptr};
}  // namespace

void SetConsoleFactory(ConsoleFactory f) { factory.store(f); }

util::ErrnoOr<Console> NewConsole(Kernel& k, int host_fd) {
  ConsoleFactory f = factory.load();
  if (f == nullptr) return util::Errno(ENODEV);
  return f(k, host_fd);
}

}  // namespace sentry::kernel
