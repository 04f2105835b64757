// startContainer hooks, run by the sandbox (runsc boot) inside the
// container at `runsc start`, before the container's first process runs:
// each is a guest process of the container, its path resolved in the
// container's root (the sentry's VFS), as root with every capability, in
// "/", with the hook's args and env and the container's state JSON on its
// stdin (a sentry pipe). Its stdout and stderr go to a sentry pipe whose
// start is quoted when it fails.
//
//   sentry::kernel::ProcessArgs base = ...;  // the container's first process
//   RETURN_IF_ERROR(RunGuestHooks(kernel, spec.hooks.start_container, state_json,
//                                 "startContainer", base));
#ifndef RUNSC_SANDBOX_HOOKS_H_
#define RUNSC_SANDBOX_HOOKS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "runsc/oci_spec.h"
#include "sentry/kernel/kernel.h"

namespace runsc {

// Runs `hooks` in order, each made from `container` (its root, container
// id, rlimits and umask) with the hook's own path, args and env; the first
// that exits non-zero, dies of a signal or outlives its timeout (it is then
// killed) ends the run with an error naming it.
absl::Status RunGuestHooks(sentry::kernel::Kernel& k, const std::vector<OciHook>& hooks,
                           const std::string& state, const std::string& kind,
                           const sentry::kernel::ProcessArgs& container);

}  // namespace runsc

#endif  // RUNSC_SANDBOX_HOOKS_H_
