#include "gofer/gofer_filter.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace gofer {
namespace {

using util::ArgEq;
using util::ArgMaskedEq;
using util::SeccompFilter;

// Newer than libseccomp's table on some systems; the number is the same on every architecture
// (include/uapi/asm-generic/unistd.h).
constexpr int kNrFchmodat2 = 452;

}  // namespace

absl::StatusOr<SeccompProgram> BuildGoferFilter(int sock_fd) {
  const uint64_t sock = static_cast<uint64_t>(sock_fd);
  return SeccompFilter(SCMP_ACT_KILL_PROCESS)
      // The socket to the sentry, and nothing else.
      .AllowIf(SCMP_SYS(recvmsg), {ArgEq(0, sock)}, "receive requests")
      .AllowIf(SCMP_SYS(sendmsg), {ArgEq(0, sock)}, "send responses and donate fds")
      // Opens. Only openat2: the server always passes RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
      // RESOLVE_NO_MAGICLINKS and O_NOFOLLOW (seccomp cannot see inside struct open_how, so
      // open/openat, which cannot express those, stay forbidden).
      .Allow(SCMP_SYS(openat2), "open entries relative to held directory fds")
      .Allow(SCMP_SYS(close), "close handles and donated fds")
      .AllowIf(SCMP_SYS(fcntl), {ArgEq(1, F_GETFL)}, "reopen: read the file status flags")
      .AllowIf(SCMP_SYS(fcntl), {ArgEq(1, F_SETFL)}, "reopen: clear the O_NONBLOCK it added")
      // Reading metadata.
      .Allow(SCMP_SYS(statx), "attributes of held fds (AT_EMPTY_PATH)")
      .Allow(SCMP_SYS(readlinkat), "Readlink of a held symlink fd")
      .Allow(SCMP_SYS(getdents64), "Getdents")
      .Allow(SCMP_SYS(lseek), "Getdents: seek to the cookie")
      .Allow(SCMP_SYS(fstatfs), "StatFs")
      .Allow(SCMP_SYS(fgetxattr), "GetXattr")
      .Allow(SCMP_SYS(flistxattr), "ListXattr")
      // Changing the file system, one name relative to a held directory fd at a time.
      .Allow(SCMP_SYS(mkdirat), "Mkdir")
      .AllowIf(SCMP_SYS(mknodat), {ArgMaskedEq(2, S_IFMT, S_IFREG)}, "Mknod of a regular file")
      .AllowIf(SCMP_SYS(mknodat), {ArgMaskedEq(2, S_IFMT, S_IFIFO)}, "Mknod of a FIFO")
      .AllowIf(SCMP_SYS(mknodat), {ArgMaskedEq(2, S_IFMT, S_IFSOCK)}, "Mknod of a socket")
      .Allow(SCMP_SYS(symlinkat), "Symlink")
      .Allow(SCMP_SYS(linkat), "Link")
      .Allow(SCMP_SYS(unlinkat), "Unlink, and undoing a half-finished create")
      .Allow(SCMP_SYS(renameat2), "Rename with flags")
      .Allow(SCMP_SYS(renameat), "Rename (glibc's renameat2 with no flags)")
      .Allow(kNrFchmodat2, "SetAttr mode on O_PATH fds (AT_EMPTY_PATH)")
      .Allow(SCMP_SYS(fchmod), "SetAttr mode before Linux 6.6, through a reopened fd")
      .Allow(SCMP_SYS(fchownat), "SetAttr owner, and owners of new files (AT_EMPTY_PATH)")
      .Allow(SCMP_SYS(ftruncate), "SetAttr size, through a reopened fd")
      .Allow(SCMP_SYS(utimensat), "SetAttr times (AT_EMPTY_PATH)")
      .Allow(SCMP_SYS(fsetxattr), "SetXattr")
      .Allow(SCMP_SYS(fremovexattr), "RemoveXattr")
      // The process itself.
      .AllowMalloc()
      .AllowFutex()
      .AllowTime()
      .AllowSelfIds()
      .AllowSignalReturn()
      .AllowWriteTo(2, "log lines to stderr")
      .AllowExit()
      .Build();
}

}  // namespace gofer
