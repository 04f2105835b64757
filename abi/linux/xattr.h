// Extended attributes: setxattr flags, size limits and namespace prefixes.
//
// Mirrors include/uapi/linux/xattr.h and include/uapi/linux/limits.h (XATTR_*_MAX).
//
// Usage:
//   if (name.starts_with(abi_linux::kXATTR_USER_PREFIX)) ...

#ifndef ABI_LINUX_XATTR_H_
#define ABI_LINUX_XATTR_H_

#include <string_view>

#include "abi/linux/limits.h"  // IWYU pragma: export

namespace abi_linux {

inline constexpr int kXATTR_CREATE = 0x1;   // Fail if the attribute exists.
inline constexpr int kXATTR_REPLACE = 0x2;  // Fail if the attribute does not exist.

// kXATTR_NAME_MAX, kXATTR_SIZE_MAX and kXATTR_LIST_MAX come from abi/linux/limits.h.

inline constexpr std::string_view kXATTR_SECURITY_PREFIX = "security.";
inline constexpr std::string_view kXATTR_SYSTEM_PREFIX = "system.";
inline constexpr std::string_view kXATTR_TRUSTED_PREFIX = "trusted.";
inline constexpr std::string_view kXATTR_USER_PREFIX = "user.";
inline constexpr std::string_view kXATTR_NAME_CAPS = "security.capability";
inline constexpr std::string_view kXATTR_NAME_POSIX_ACL_ACCESS = "system.posix_acl_access";
inline constexpr std::string_view kXATTR_NAME_POSIX_ACL_DEFAULT = "system.posix_acl_default";

}  // namespace abi_linux

#endif  // ABI_LINUX_XATTR_H_
