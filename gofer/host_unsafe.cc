#include "gofer/host_unsafe.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "abi/linux/dirent.h"
#include "abi/linux/fcntl.h"
#include "abi/linux/syscalls.h"

namespace gofer::host {
namespace {

// fchmodat2 is newer than the generated syscall table (include/uapi/asm-generic/unistd.h: 452
// on every architecture).
constexpr long kNrFchmodat2 = 452;

}  // namespace

const uint64_t kConfinedResolve = abi_linux::kRESOLVE_BENEATH | abi_linux::kRESOLVE_NO_MAGICLINKS |
                                  abi_linux::kRESOLVE_NO_SYMLINKS;

util::ErrnoOr<util::UniqueFd> Openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode,
                                      uint64_t resolve) {
  abi_linux::OpenHow how{.flags = flags | O_NOFOLLOW | O_CLOEXEC, .mode = mode, .resolve = resolve};
  for (int attempt = 0;; ++attempt) {
    // SAFETY: `how` and `path` outlive the call; the kernel reads sizeof(how) bytes of it, the
    // version-0 layout abi/linux/fcntl.h checks.
    long fd = ::syscall(abi_linux::kNR_openat2, dirfd, path, &how, sizeof(how));
    if (fd >= 0) return util::UniqueFd(static_cast<int>(fd));
    // EAGAIN: a concurrent rename raced the RESOLVE_BENEATH check; retrying is what the
    // kernel asks for, a bounded number of times.
    if (errno == EINTR || (errno == EAGAIN && attempt < 16)) continue;
    return util::Errno(errno);
  }
}

util::ErrnoOrVoid Fchmodat2(int dirfd, const char* path, uint32_t mode, int flags) {
  // SAFETY: plain integer and string arguments.
  if (::syscall(kNrFchmodat2, dirfd, path, mode, flags) != 0) return util::Errno(errno);
  return {};
}

util::ErrnoOrVoid PivotRoot(const char* new_root, const char* put_old) {
  // SAFETY: plain string arguments.
  if (::syscall(SYS_pivot_root, new_root, put_old) != 0) return util::Errno(errno);
  return {};
}

util::ErrnoOr<std::vector<RawDirent>> Getdents64(int fd, std::vector<char>& buf) {
  ssize_t n;
  do {
    n = ::getdents64(fd, buf.data(), buf.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return util::Errno(errno);
  std::vector<RawDirent> out;
  size_t pos = 0;
  const size_t end = static_cast<size_t>(n);
  // SAFETY: every read is a memcpy from inside [0, end), checked before it happens; the kernel
  // wrote the records, but a record is still not trusted to stay inside the buffer.
  while (pos < end) {
    if (end - pos < abi_linux::kDirent64NameOffset) return util::Errno(EIO);
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
    std::memcpy(&ino, buf.data() + pos + offsetof(abi_linux::Dirent64, d_ino), sizeof(ino));
    std::memcpy(&off, buf.data() + pos + offsetof(abi_linux::Dirent64, d_off), sizeof(off));
    std::memcpy(&reclen, buf.data() + pos + offsetof(abi_linux::Dirent64, d_reclen),
                sizeof(reclen));
    std::memcpy(&type, buf.data() + pos + offsetof(abi_linux::Dirent64, d_type), sizeof(type));
    if (reclen <= abi_linux::kDirent64NameOffset || reclen > end - pos) return util::Errno(EIO);
    const char* name = buf.data() + pos + abi_linux::kDirent64NameOffset;
    size_t max_len = reclen - abi_linux::kDirent64NameOffset;
    const void* nul = std::memchr(name, '\0', max_len);
    if (nul == nullptr) return util::Errno(EIO);
    out.push_back(
        RawDirent{ino, off, type, std::string(name, static_cast<const char*>(nul) - name)});
    pos += reclen;
  }
  return out;
}

}  // namespace gofer::host
