#include "runsc/path_masks.h"

#include <cerrno>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"
#include "util/status_macros.h"

namespace runsc {

namespace {

namespace vfs = sentry::vfs;

// The place `path` names in the container, or nullopt when it does not
// exist.
absl::StatusOr<std::optional<vfs::Path>> Find(vfs::Vfs& v, vfs::Context& ctx,
                                              const std::string& what, const std::string& path) {
  auto p = v.Resolve(ctx, vfs::Start{ctx.root()}, path, vfs::kFollow);
  if (p.ok()) return std::optional<vfs::Path>(*p);
  if (p.error().value() == ENOENT) return std::optional<vfs::Path>();
  return util::ErrnoStatus(p.error().value(), what + " " + path);
}

// Adds kMountReadOnly to the flags of mount m (a bind mount just made).
absl::Status MakeReadOnly(vfs::Vfs& v, const std::shared_ptr<vfs::Mount>& m,
                          const std::string& what, const std::string& path) {
  auto r = v.SetMountFlags(vfs::Path{m, m->root()}, m->flags() | vfs::kMountReadOnly);
  if (!r.ok()) return util::ErrnoStatus(r.error().value(), what + " " + path);
  return absl::OkStatus();
}

absl::Status Mask(vfs::Vfs& v, vfs::Context& ctx, sentry::mm::MemoryFile& mf,
                  const std::string& path) {
  const std::string what = "maskedPaths:";
  ASSIGN_OR_RETURN(std::optional<vfs::Path> at, Find(v, ctx, what, path));
  if (!at) return absl::OkStatus();
  if (at->dentry->inode()->is_dir()) {
    // An empty tmpfs with the default options, read-only as a file system
    // and as a mount (runc's mount("tmpfs", path, "tmpfs", MS_RDONLY)).
    namespace tmpfs = sentry::fsimpl::tmpfs;
    auto fs = std::make_shared<tmpfs::TmpfsFilesystem>(mf, tmpfs::TmpfsOptions{.mode = 01777});
    fs->set_read_only(true);
    auto m = v.MountAt(*at, fs, tmpfs::NewRoot(*fs), vfs::kMountReadOnly, "tmpfs", "");
    if (!m.ok()) return util::ErrnoStatus(m.error().value(), what + " " + path);
    return absl::OkStatus();
  }
  auto null = v.Resolve(ctx, vfs::Start{ctx.root()}, "/dev/null", vfs::kFollow);
  if (!null.ok()) {
    return util::ErrnoStatus(null.error().value(), what + " " + path + ": /dev/null");
  }
  auto m = v.BindMount(*null, *at, /*recursive=*/false);
  if (!m.ok()) return util::ErrnoStatus(m.error().value(), what + " " + path);
  return MakeReadOnly(v, *m, what, path);
}

absl::Status ReadOnly(vfs::Vfs& v, vfs::Context& ctx, const std::string& path) {
  const std::string what = "readonlyPaths:";
  ASSIGN_OR_RETURN(std::optional<vfs::Path> at, Find(v, ctx, what, path));
  if (!at) return absl::OkStatus();
  auto m = v.BindMount(*at, *at, /*recursive=*/true);
  if (!m.ok()) return util::ErrnoStatus(m.error().value(), what + " " + path);
  return MakeReadOnly(v, *m, what, path);
}

}  // namespace

absl::Status ApplyPathMasks(vfs::Vfs& v, vfs::Context& ctx, sentry::mm::MemoryFile& mf,
                            const std::vector<std::string>& masked,
                            const std::vector<std::string>& readonly) {
  // runc's order: read-only paths first, then masks (a mask inside a
  // read-only path still goes on).
  for (const std::string& p : readonly) RETURN_IF_ERROR(ReadOnly(v, ctx, p));
  for (const std::string& p : masked) RETURN_IF_ERROR(Mask(v, ctx, mf, p));
  return absl::OkStatus();
}

}  // namespace runsc
