// RunGofer: confine the gofer process, then serve. The confinement is in layers: a private
// mount namespace pivoted onto the root filesystem (so the host's tree is not even nameable),
// the server's openat2 rules (so nothing outside the root is reached through a handle), and a
// seccomp allowlist (so a compromised gofer can only do file operations).
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "gofer/gofer_filter.h"
#include "gofer/host_unsafe.h"
#include "gofer/server.h"
#include "util/logging.h"
#include "util/status_macros.h"
#include "util/unique_fd.h"

namespace gofer {
namespace {

// Moves the process into a private mount namespace whose root is `root_path`, and returns an
// fd on the new root. Where that is not permitted (no CAP_SYS_ADMIN), logs why and returns
// `root` unchanged, with the working directory moved there.
absl::StatusOr<util::UniqueFd> EnterRoot(const std::string& root_path, util::UniqueFd root,
                                         bool read_only) {
  auto fallback = [&](const char* what) -> absl::StatusOr<util::UniqueFd> {
    SK_LOG(WARNING) << "gofer: " << what << ": " << std::strerror(errno) << "; serving "
                    << root_path << " without a private mount namespace";
    if (::fchdir(root.get()) != 0) return util::LastErrnoStatus("gofer: fchdir(root)");
    return std::move(root);
  };
  if (::unshare(CLONE_NEWNS) != 0) return fallback("unshare(CLONE_NEWNS)");
  // From here on mount changes stay in this process's namespace, never the host's.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return fallback("making / private");
  }
  if (root_path == "/") {
    // Serving the host's own root: there is nothing to hide by pivoting
    // (and pivot_root cannot move "/" onto itself). The private namespace
    // still lets the root be remounted read-only for this process alone.
    if (read_only &&
        ::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0) {
      SK_LOG(WARNING) << "gofer: read-only remount of /: " << std::strerror(errno);
    }
    if (::fchdir(root.get()) != 0) return util::LastErrnoStatus("gofer: fchdir(root)");
    return root;
  }
  // pivot_root needs the new root to be a mount point.
  if (::mount(root_path.c_str(), root_path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return fallback("bind-mounting the root");
  }
  if (read_only && ::mount(nullptr, root_path.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY,
                           nullptr) != 0) {
    // The server refuses writes itself; the read-only mount is defense in depth.
    SK_LOG(WARNING) << "gofer: read-only remount of " << root_path << ": " << std::strerror(errno);
  }
  if (::chdir(root_path.c_str()) != 0) return fallback("chdir(root)");
  // Stack the old root on the new one, then detach it: afterwards "/" is the container's root.
  util::ErrnoOrVoid pivoted = host::PivotRoot(".", ".");
  if (!pivoted.ok()) {
    errno = pivoted.error().value();
    return fallback("pivot_root");
  }
  if (::umount2(".", MNT_DETACH) != 0) return util::LastErrnoStatus("gofer: detaching old root");
  if (::chdir("/") != 0) return util::LastErrnoStatus("gofer: chdir(/)");
  util::UniqueFd new_root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!new_root.valid()) return util::LastErrnoStatus("gofer: open(/)");
  return new_root;
}

// What serving files as their owners needs: reading and writing past
// permission bits (the sentry checks the guest's), setting owners and
// modes. Everything else a root process holds (mounts, ptrace, raw
// sockets, modules, ...) is dropped for good, bounding set included.
constexpr uint64_t kGoferCapabilities = (1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) |
                                        (1ULL << CAP_DAC_READ_SEARCH) | (1ULL << CAP_FOWNER) |
                                        (1ULL << CAP_FSETID);

absl::Status KeepOnlyGoferCapabilities() {
  __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (::syscall(SYS_capget, &hdr, data) != 0) return util::LastErrnoStatus("gofer: capget");
  uint64_t permitted = data[0].permitted | (uint64_t{data[1].permitted} << 32);
  if (permitted == 0) return absl::OkStatus();  // an unprivileged gofer: nothing to drop
  for (int cap = 0; cap < 64; ++cap) {
    if ((kGoferCapabilities >> cap) & 1) continue;
    // EINVAL past the kernel's last capability.
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) {
      return util::LastErrnoStatus("gofer: PR_CAPBSET_DROP");
    }
  }
  uint64_t keep = permitted & kGoferCapabilities;
  for (int i = 0; i < 2; ++i) {
    data[i].effective = data[i].permitted = static_cast<uint32_t>(keep >> (32 * i));
    data[i].inheritable = 0;
  }
  if (::syscall(SYS_capset, &hdr, data) != 0) return util::LastErrnoStatus("gofer: capset");
  return absl::OkStatus();
}

}  // namespace

absl::Status RunGofer(int sock_fd, const std::string& root_path, bool read_only) {
  // Files are created with exactly the mode the sentry asks for (it applies the guest's umask).
  ::umask(0);
  util::UniqueFd root(::open(root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root.valid()) return util::LastErrnoStatus(absl::StrCat("gofer: open ", root_path));
  ASSIGN_OR_RETURN(SeccompProgram filter, BuildGoferFilter(sock_fd));
  ASSIGN_OR_RETURN(root, EnterRoot(root_path, std::move(root), read_only));
  RETURN_IF_ERROR(KeepOnlyGoferCapabilities());
  RETURN_IF_ERROR(filter.Install());
  SK_DLOG << "gofer: serving " << root_path << (read_only ? " read-only" : "");
  return Serve(sock_fd, root.get(), ServerOptions{.read_only = read_only});
}

}  // namespace gofer
