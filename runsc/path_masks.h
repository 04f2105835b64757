// An OCI config's linux.maskedPaths and linux.readonlyPaths, applied to a
// container's tree once its file systems are mounted, as runc applies them:
//
//   - a masked directory gets an empty read-only tmpfs over it;
//   - a masked file (or anything else not a directory) gets the tree's
//     /dev/null bind-mounted over it, read-only;
//   - a read-only path is bind-mounted over itself (with what is mounted
//     below it) and that mount made read-only, keeping its nosuid, nodev
//     and noexec;
//   - a path that does not exist is skipped; any other failure is an error
//     naming the path.
//
//   RETURN_IF_ERROR(ApplyPathMasks(kernel.vfs(), ctx, kernel.memory_file(),
//                                  spec.masked_paths, spec.readonly_paths));
#ifndef RUNSC_PATH_MASKS_H_
#define RUNSC_PATH_MASKS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sentry/mm/memory_file.h"
#include "sentry/vfs/vfs.h"

namespace runsc {

// Paths resolve from ctx.root() (the container's root), following symlinks
// as mount(2) does.
absl::Status ApplyPathMasks(sentry::vfs::Vfs& v, sentry::vfs::Context& ctx,
                            sentry::mm::MemoryFile& mf, const std::vector<std::string>& masked,
                            const std::vector<std::string>& readonly);

}  // namespace runsc

#endif  // RUNSC_PATH_MASKS_H_
