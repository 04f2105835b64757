// The Linux x86-64 syscall table served by the sentry.
//
//   KernelConfig cfg{.syscalls = &syscalls::Linux64()};
#ifndef SENTRY_SYSCALLS_LINUX_LINUX64_H_
#define SENTRY_SYSCALLS_LINUX_LINUX64_H_

#include "sentry/kernel/syscall_table.h"

namespace sentry::syscalls {

const kernel::SyscallTable& Linux64();

}  // namespace sentry::syscalls

#endif  // SENTRY_SYSCALLS_LINUX_LINUX64_H_
