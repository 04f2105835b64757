// A place in no directory for files that have none (pipes, sockets, the
// container's stdio): what /proc/pid/fd/N leads to when such a file is
// reopened through it, as `echo hi > /dev/stdout` does. Opening the place
// gives back the same open file description.
//
//   ASSIGN_OR_RETURN_ERRNO(vfs::Path p, vfs::AnonPathFor(file));
#ifndef SENTRY_VFS_ANON_H_
#define SENTRY_VFS_ANON_H_

#include <memory>

#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

ErrnoOr<Path> AnonPathFor(const std::shared_ptr<FileDescription>& file);

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_ANON_H_
