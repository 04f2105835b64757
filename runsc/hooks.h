// OCI hooks run by the runtime side of runsc (create, start, delete): host
// binaries, each given the container's state JSON on stdin, run in order;
// the first that fails (non-zero exit, death by a signal, its timeout) ends
// the run with an error naming it.
//
//   // createRuntime: in runsc's own namespaces.
//   RETURN_IF_ERROR(RunHostHooks(spec.hooks.create_runtime, state, "createRuntime"));
//   // createContainer: in the sandbox process's namespaces and cgroups.
//   RETURN_IF_ERROR(RunHostHooks(spec.hooks.create_container, state, "createContainer",
//                                {.namespaces_of = sandbox_pid, .cgroup_dirs = leaves}));
//
// startContainer hooks run inside the sandbox instead, as guest processes
// (sandbox_hooks.h).
#ifndef RUNSC_HOOKS_H_
#define RUNSC_HOOKS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "runsc/oci_spec.h"

namespace runsc {

// Where a hook runs.
struct HookPlace {
  // A process whose namespaces (user, cgroup, ipc, uts, net, pid for the
  // hook itself, mount) the hook joins; 0: runsc's own. The path is
  // resolved in the joined mount namespace, which for a sandbox is a copy
  // of the host's made when it started.
  pid_t namespaces_of = 0;
  // Host cgroup directories the hook is moved into (the container's).
  std::vector<std::string> cgroup_dirs;
};

// Runs `hooks` in order; `kind` ("createContainer") names them in errors.
absl::Status RunHostHooks(const std::vector<OciHook>& hooks, const nlohmann::json& state,
                          const std::string& kind, const HookPlace& place = {});

}  // namespace runsc

#endif  // RUNSC_HOOKS_H_
