// The loader: maps an ELF executable into a fresh address space and builds
// the initial stack (argv, envp, auxv) as Linux does.
//
//   loader::LoadArgs args{.host_path = "/bin/busybox", .argv = {...}, ...};
//   ASSIGN_OR_RETURN_ERRNO(loader::LoadResult r, loader::Load(mm, args));
//   regs.rip = r.entry; regs.rsp = r.stack_pointer;
//
// Static and static-PIE executables. Until the gofer serves files, the
// sentry reads the executable from the host path itself.
#ifndef SENTRY_LOADER_LOADER_H_
#define SENTRY_LOADER_LOADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sentry/mm/memory_manager.h"
#include "util/errno.h"

namespace sentry::loader {

struct LoadArgs {
  std::string host_path;  // where the sentry reads the executable
  std::string execfn;     // AT_EXECFN: the path as the caller named it
  std::vector<std::string> argv;
  std::vector<std::string> envv;
  uint32_t uid = 0, euid = 0, gid = 0, egid = 0;
  uint64_t stack_limit = 8 << 20;  // RLIMIT_STACK soft limit
};

struct LoadResult {
  uint64_t entry;          // where the program starts
  uint64_t stack_pointer;  // points at argc
  uint64_t load_bias;      // 0 for ET_EXEC
  uint64_t brk_start;
};

// ENOENT/EACCES for a missing or unreadable file, ENOEXEC for what is not a
// loadable x86-64 ELF, E2BIG when arguments exceed the stack budget.
util::ErrnoOr<LoadResult> Load(mm::MemoryManager& mm, const LoadArgs& args);

}  // namespace sentry::loader

#endif  // SENTRY_LOADER_LOADER_H_
