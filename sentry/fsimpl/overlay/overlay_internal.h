// Helpers shared by the overlay's source files: how whiteouts, opaque
// directories and the overlay's own xattrs look in the upper layer.
//
//   ASSIGN_OR_RETURN_ERRNO(auto u, internal::LookupOrNull(ctx, *upper_dir, name));
//   if (u != nullptr && internal::IsWhiteout(*u)) return Errno(ENOENT);
#ifndef SENTRY_FSIMPL_OVERLAY_OVERLAY_INTERNAL_H_
#define SENTRY_FSIMPL_OVERLAY_OVERLAY_INTERNAL_H_

#include <memory>
#include <string>

#include "sentry/fsimpl/overlay/overlay.h"

namespace sentry::fsimpl::overlay {

// trusted.overlay.*: the overlay's bookkeeping, hidden from the guest.
inline bool IsPrivateXattr(const std::string& name) {
  return name.starts_with(kPrivateXattrPrefix);
}

namespace internal {

// A whiteout: a character device with device number 0:0.
bool IsWhiteout(vfs::Inode& in);
// An upper directory that hides the lower one.
bool IsOpaque(vfs::Context& ctx, vfs::Inode& upper_dir);
// dir's child `name`, or nullptr when there is none.
ErrnoOr<std::shared_ptr<vfs::Inode>> LookupOrNull(vfs::Context& ctx, vfs::Inode& dir,
                                                  const std::string& name);
// Credentials for the overlay's own work where no caller is at hand.
class InternalContext : public vfs::Context {
 public:
  auth::Credentials creds() const override { return auth::Credentials::ForIds(0, 0, {}); }
  vfs::Path root() const override { return {}; }
  vfs::Path cwd() const override { return {}; }
  uint32_t umask() const override { return 0; }
};

}  // namespace internal
}  // namespace sentry::fsimpl::overlay

#endif  // SENTRY_FSIMPL_OVERLAY_OVERLAY_INTERNAL_H_
