// The file system types mount(2) makes by name: one table, type name to
// constructor. A new file system type is one more row in kFsTypes
// (fs_types.cc).
//
//   ASSIGN_OR_RETURN_ERRNO(NewFilesystem nf, MakeFilesystem(kernel, "tmpfs", "size=1m,mode=755"));
//   vfs.MountAt(at, nf.fs, nf.root, flags, source, nf.options);
#ifndef SENTRY_SYSCALLS_LINUX_FS_TYPES_H_
#define SENTRY_SYSCALLS_LINUX_FS_TYPES_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sentry/kernel/kernel.h"
#include "sentry/vfs/vfs.h"
#include "util/errno.h"

namespace sentry::syscalls {

// A file system instance ready to be mounted.
struct NewFilesystem {
  std::shared_ptr<vfs::Filesystem> fs;
  std::shared_ptr<vfs::Inode> root;
  // The options as /proc/pid/mounts shows them (the file system's own,
  // without ro/rw).
  std::string options;
  // "ro" was among the options: the file system is read-only.
  bool read_only = false;
};

// A new instance of the file system `type`, with mount(2)'s data string
// `data` (comma-separated options). ENODEV for a type the sentry does not
// have; EINVAL for an option the type does not take or a bad value.
util::ErrnoOr<NewFilesystem> MakeFilesystem(kernel::Kernel& k, std::string_view type,
                                            std::string_view data);

// The names MakeFilesystem knows, in table order.
std::vector<std::string> FilesystemTypeNames();

namespace internal {

// One option of a data string: "key" or "key=value".
struct MountOption {
  std::string key, value;
  bool has_value = false;
};
// Splits a data string at commas (empty pieces dropped). Options that
// every file system takes (ro, rw, sync, async, dirsync, lazytime,
// nolazytime, mand, nomand, silent) are taken out; *read_only says whether
// the last of ro/rw was ro.
std::vector<MountOption> SplitMountOptions(std::string_view data, bool* read_only);
// "1024", "64k", "2m", "1g" (binary multiples), as Linux's memparse.
util::ErrnoOr<uint64_t> ParseMemSize(std::string_view s);

}  // namespace internal

}  // namespace sentry::syscalls

#endif  // SENTRY_SYSCALLS_LINUX_FS_TYPES_H_
