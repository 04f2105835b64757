// The raw host system calls the gofer makes that libc does not wrap (openat2, fchmodat2,
// pivot_root) and the parsing of getdents64 records. Everything else goes through libc.
#ifndef GOFER_HOST_UNSAFE_H_
#define GOFER_HOST_UNSAFE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "util/errno.h"
#include "util/unique_fd.h"

namespace gofer::host {

// RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS: the resolution every gofer
// open uses. With single-component names it means "this entry of this directory, nothing else".
extern const uint64_t kConfinedResolve;

// openat2(dirfd, path, {flags | O_NOFOLLOW | O_CLOEXEC, mode, resolve}).
util::ErrnoOr<util::UniqueFd> Openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode,
                                      uint64_t resolve);

// fchmodat2(fd, path, mode, flags) (Linux 6.6+; ENOSYS before).
util::ErrnoOrVoid Fchmodat2(int dirfd, const char* path, uint32_t mode, int flags);

// pivot_root(new_root, put_old).
util::ErrnoOrVoid PivotRoot(const char* new_root, const char* put_old);

struct RawDirent {
  uint64_t ino;
  int64_t off;  // d_off: the position after this entry.
  uint8_t type;
  std::string name;
};

// One getdents64 call on `fd` into `buf` (its size is the request size), parsed. An empty
// vector is the end of the directory. EIO if the kernel's records do not parse.
util::ErrnoOr<std::vector<RawDirent>> Getdents64(int fd, std::vector<char>& buf);

}  // namespace gofer::host

#endif  // GOFER_HOST_UNSAFE_H_
