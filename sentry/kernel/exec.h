// Finding and loading what execve(2) runs, through the VFS: permission
// checks, `#!` scripts (up to four interpreters deep, as Linux allows), and
// ELF images with their PT_INTERP interpreter.
//
//   ExecRequest req{.start = cwd, .path = "/bin/sh", .argv = {...}, .envv = {...}};
//   ASSIGN_OR_RETURN_ERRNO(ExecImage img, LoadExecutable(vfs, ctx, mm, req));
#ifndef SENTRY_KERNEL_EXEC_H_
#define SENTRY_KERNEL_EXEC_H_

#include <string>
#include <vector>

#include "sentry/loader/loader.h"
#include "sentry/mm/memory_manager.h"
#include "sentry/vfs/vfs.h"
#include "util/errno.h"

namespace sentry::kernel {

struct ExecRequest {
  vfs::Path start;         // where a relative path starts (cwd or dirfd)
  std::string path;        // as the caller named it
  int at_flags = 0;        // AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW (execveat)
  std::string fd_name;     // "/dev/fd/N" for execveat of an fd (scripts see it)
  std::vector<std::string> argv;
  std::vector<std::string> envv;
  uint64_t stack_limit = 8 << 20;
};

struct ExecImage {
  loader::LoadResult loaded;
  vfs::Path exe;          // the executable (after #! the interpreter)
  std::string exe_name;   // its absolute path, for /proc/pid/exe
  std::string comm;       // the name the task takes (basename of the path)
};

util::ErrnoOr<ExecImage> LoadExecutable(vfs::Vfs& vfs, vfs::Context& ctx, mm::MemoryManager& mm,
                                        ExecRequest req);

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_EXEC_H_
