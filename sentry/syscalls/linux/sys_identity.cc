// getpid(2), getppid(2), gettid(2), getuid(2) and friends, getresuid(2),
// getresgid(2), getgroups(2), setgroups(2).
#include <algorithm>

#include "abi/linux/capability.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// Linux's NGROUPS_MAX.
constexpr int64_t kNgroupsMax = 65536;

}  // namespace

SyscallResult SysGetpid(Task& t, const SyscallArgs&) { return t.thread_group().pid(); }

SyscallResult SysGetppid(Task& t, const SyscallArgs&) {
  kernel::ThreadGroup* parent = t.thread_group().parent();
  return parent ? parent->pid() : 0;
}

SyscallResult SysGettid(Task& t, const SyscallArgs&) { return t.tid(); }
SyscallResult SysGetuid(Task& t, const SyscallArgs&) { return t.thread_group().creds().ruid; }
SyscallResult SysGeteuid(Task& t, const SyscallArgs&) { return t.thread_group().creds().euid; }
SyscallResult SysGetgid(Task& t, const SyscallArgs&) { return t.thread_group().creds().rgid; }
SyscallResult SysGetegid(Task& t, const SyscallArgs&) { return t.thread_group().creds().egid; }

SyscallResult SysGetresuid(Task& t, const SyscallArgs& a) {
  kernel::Credentials c = t.thread_group().creds();
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(0), c.ruid));
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), c.euid));
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), c.suid));
  return 0;
}

SyscallResult SysGetresgid(Task& t, const SyscallArgs& a) {
  kernel::Credentials c = t.thread_group().creds();
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(0), c.rgid));
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), c.egid));
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), c.sgid));
  return 0;
}

SyscallResult SysGetgroups(Task& t, const SyscallArgs& a) {
  int64_t size = static_cast<int>(a[0]);
  if (size < 0) return Errno(EINVAL);
  kernel::Credentials c = t.thread_group().creds();
  int64_t count = static_cast<int64_t>(c.groups.size());
  if (size == 0) return count;
  if (size < count) return Errno(EINVAL);
  if (count == 0) return 0;
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(1), c.groups.data(), count * sizeof(uint32_t)));
  if (n != count * sizeof(uint32_t)) return Errno(EFAULT);
  return count;
}

SyscallResult SysSetgroups(Task& t, const SyscallArgs& a) {
  int64_t size = static_cast<int>(a[0]);
  if (size < 0 || size > kNgroupsMax) return Errno(EINVAL);
  kernel::Credentials c = t.thread_group().creds();
  if (!c.HasCapability(L::kCAP_SETGID)) return Errno(EPERM);
  std::vector<uint32_t> groups(size);
  if (size > 0) {
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(a.Addr(1), groups.data(), size * sizeof(uint32_t)));
    if (n != size * sizeof(uint32_t)) return Errno(EFAULT);
  }
  std::sort(groups.begin(), groups.end());  // Linux keeps them sorted
  c.groups = std::move(groups);
  t.thread_group().set_creds(std::move(c));
  return 0;
}

}  // namespace sentry::syscalls
