// The loader: maps an ELF executable into a fresh address space and builds
// the initial stack (argv, envp, auxv) as Linux does.
//
//   loader::LoadArgs args{.file = exe_mappable, .open_interp = ..., .argv = {...}, ...};
//   ASSIGN_OR_RETURN_ERRNO(loader::LoadResult r, loader::Load(mm, args));
//   regs.rip = r.entry; regs.rsp = r.stack_pointer;
//
// Static, static-PIE and dynamically linked executables: the interpreter
// named by PT_INTERP (the container's own ld.so) is loaded too and started
// first, with AT_BASE telling it where it is. Segments are private file
// mappings of the executable (shown by name in /proc/pid/maps). `#!`
// scripts are the caller's (the kernel's exec), which knows about paths.
#ifndef SENTRY_LOADER_LOADER_H_
#define SENTRY_LOADER_LOADER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sentry/mm/memory_manager.h"
#include "util/errno.h"

namespace sentry::loader {

struct LoadArgs {
  std::shared_ptr<mm::Mappable> file;  // the executable, opened for reading
  // Opens the interpreter a PT_INTERP names (resolved in the guest's file
  // system by the caller).
  std::function<util::ErrnoOr<std::shared_ptr<mm::Mappable>>(const std::string& path)> open_interp;
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
  uint64_t interp_base;    // AT_BASE: where the interpreter is, 0 without one
};

// ENOEXEC for what is not a loadable x86-64 ELF (or a bad interpreter),
// ELIBBAD for an interpreter that is not one, E2BIG when arguments exceed
// the stack budget, and the interpreter's open error.
util::ErrnoOr<LoadResult> Load(mm::MemoryManager& mm, const LoadArgs& args);

}  // namespace sentry::loader

#endif  // SENTRY_LOADER_LOADER_H_
