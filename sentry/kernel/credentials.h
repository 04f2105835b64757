// The kernel's name for the credentials type, which lives in sentry/auth so
// that the VFS below the kernel can check permissions with it.
#ifndef SENTRY_KERNEL_CREDENTIALS_H_
#define SENTRY_KERNEL_CREDENTIALS_H_

#include "sentry/auth/credentials.h"

namespace sentry::kernel {
using auth::Credentials;
using auth::kAllCapabilities;
}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_CREDENTIALS_H_
