// Freezing one container's processes (Kernel::FreezeContainer): runsc pause
// of a pod's later container, which shares the sentry with its siblings.
// The tasks park where the whole-kernel pause parks them, in
// Kernel::WaitWhilePaused before their next return to the guest; a frozen
// ThreadGroup says so there without a lock.
#include <string>

#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::kernel {

void Kernel::FreezeContainer(const std::string& id) {
  absl::MutexLock l(&mu_);
  if (!frozen_containers_.insert(id).second) return;
  // Processes forked from here on take the flag in NewProcess (under mu_,
  // so a fork in flight is either seen here or sees the set).
  for (auto& tg : thread_groups_) {
    if (tg->container_id != id || tg->zombie) continue;
    tg->frozen.store(true);
    // Guest code that is running traps out; the task then parks in
    // WaitWhilePaused. A task in a syscall parks when the syscall is done.
    for (Task* t : tg->tasks()) t->Kick();
  }
}

void Kernel::ThawContainer(const std::string& id) {
  absl::MutexLock l(&mu_);
  if (frozen_containers_.erase(id) == 0) return;
  for (auto& tg : thread_groups_) {
    if (tg->container_id == id) tg->frozen.store(false);
  }
  // Releasing mu_ re-evaluates the waits in WaitWhilePaused; pending
  // signals are delivered as each task goes round its loop again.
}

bool Kernel::ContainerFrozen(const std::string& id) {
  absl::MutexLock l(&mu_);
  return frozen_containers_.count(id) != 0;
}

}  // namespace sentry::kernel
