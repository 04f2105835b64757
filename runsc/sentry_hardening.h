// What the sentry's host process gives up once its sandbox is set up and
// before guest code runs (DESIGN: "without capabilities, under a seccomp
// allowlist"):
//
//   1. Privileges: it becomes the unprivileged user and group kSandboxUid
//      (every thread at once), so it holds no capabilities and owns nothing
//      on the host. The stubs it traces made the same change when they
//      were forked (platform/ptrace/stub_unsafe.cc).
//   2. Host syscalls: a seccomp allowlist on every thread. What is left is
//      what serving guests takes: ptrace and waiting on the stubs, I/O on
//      the file descriptors it already holds (gofer sockets, the memory
//      file, host stdio, the control socket), memory management, threads,
//      timers and signals. Opening host paths, exec, mounts, namespaces,
//      new sockets and process creation are gone. A call outside the list
//      is reported in the log, by name, and ends the sandbox.
//
//   RETURN_IF_ERROR(HardenSentry());   // irreversible
#ifndef RUNSC_SENTRY_HARDENING_H_
#define RUNSC_SENTRY_HARDENING_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "util/seccomp_filter.h"

namespace runsc {

// The host user and group the sentry runs as once hardened ("nobody").
inline constexpr unsigned kSandboxUid = 65534;
inline constexpr unsigned kSandboxGid = 65534;

// The sentry's allowlist, compiled but not installed.
absl::StatusOr<util::SeccompProgram> BuildSentryFilter();

// Drops to kSandboxUid/kSandboxGid (if the process is root) and installs
// BuildSentryFilter() on every thread.
absl::Status HardenSentry();

}  // namespace runsc

#endif  // RUNSC_SENTRY_HARDENING_H_
