// strace for the guest: every syscall with decoded arguments and its
// result, one line each, written when the syscall returns.
//
//   KernelConfig cfg;
//   strace::Enable(cfg);  // lines go to the log destination (stderr or --debug-log)
#ifndef SENTRY_STRACE_STRACE_H_
#define SENTRY_STRACE_STRACE_H_

#include <cstdint>
#include <string>

#include "sentry/kernel/kernel.h"

namespace sentry::strace {

void Enable(kernel::KernelConfig& cfg);

// The line strace prints for a finished syscall (exposed for tests).
std::string FormatSyscall(kernel::Task& t, int64_t nr, const kernel::SyscallArgs& args,
                          const kernel::SyscallResult& result);

}  // namespace sentry::strace

#endif  // SENTRY_STRACE_STRACE_H_
