// Early-return macros for absl::Status / absl::StatusOr, which Debian's abseil
// lacks. Used for set-up and cross-process work (runsc, gofer, platform init).
//
//   absl::Status Start() {
//     RETURN_IF_ERROR(OpenThings());
//     ASSIGN_OR_RETURN(int fd, OpenFd());
//   }
#ifndef UTIL_STATUS_MACROS_H_
#define UTIL_STATUS_MACROS_H_

#include <cerrno>
#include <cstring>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

#define SK_CONCAT_INNER_(a, b) a##b
#define SK_CONCAT_(a, b) SK_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                  \
  do {                                         \
    ::absl::Status sk_status_ = (expr);        \
    if (!sk_status_.ok()) return sk_status_;   \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  SK_ASSIGN_OR_RETURN_IMPL_(SK_CONCAT_(sk_statusor_, __LINE__), lhs, expr)
#define SK_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                              \
  if (!var.ok()) return std::move(var).status();  \
  lhs = std::move(var).value()

namespace util {

// An absl::Status for a failed host call, naming what was attempted.
inline absl::Status ErrnoStatus(int err, absl::string_view what) {
  return absl::Status(absl::ErrnoToStatusCode(err),
                      absl::StrCat(what, ": ", std::strerror(err)));
}
inline absl::Status LastErrnoStatus(absl::string_view what) { return ErrnoStatus(errno, what); }

}  // namespace util

#endif  // UTIL_STATUS_MACROS_H_
