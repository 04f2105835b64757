// The name of a place in the tree, built from dentries alone, for procfs's
// links (/proc/pid/fd/N, cwd, root), whose Readlink runs with the Vfs lock
// held and so cannot call Vfs::PathName.
//
//   std::string name = proc::PathFromRoot(ctx.root(), file->path());  // "/tmp/x (deleted)"
#ifndef SENTRY_FSIMPL_PROC_PATH_NAME_H_
#define SENTRY_FSIMPL_PROC_PATH_NAME_H_

#include <string>

#include "sentry/vfs/vfs.h"

namespace sentry::fsimpl::proc {

// The absolute path of p as seen from root, crossing mounts upward through
// their mountpoints. A place outside root is named from the top of the
// mount tree; a deleted file gets " (deleted)", as Linux's d_path does.
// Names may be stale if a rename races (as Linux's /proc/pid/fd may be).
std::string PathFromRoot(const vfs::Path& root, const vfs::Path& p);

}  // namespace sentry::fsimpl::proc

#endif  // SENTRY_FSIMPL_PROC_PATH_NAME_H_
