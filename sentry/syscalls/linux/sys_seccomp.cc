// seccomp(2), and the PR_SET_SECCOMP / PR_GET_SECCOMP options of prctl(2)
// (which prctl's handler forwards here).
#include <vector>

#include "abi/linux/capability.h"
#include "abi/linux/prctl.h"
#include "abi/linux/seccomp.h"
#include "sentry/kernel/seccomp.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

constexpr unsigned kKnownFilterFlags =
    L::kSECCOMP_FILTER_FLAG_TSYNC | L::kSECCOMP_FILTER_FLAG_LOG |
    L::kSECCOMP_FILTER_FLAG_SPEC_ALLOW | L::kSECCOMP_FILTER_FLAG_NEW_LISTENER |
    L::kSECCOMP_FILTER_FLAG_TSYNC_ESRCH | L::kSECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;

SyscallResult SetModeFilter(Task& t, unsigned flags, mm::UserAddr uargs) {
  if (flags & ~kKnownFilterFlags) return Errno(EINVAL);
  // User notification needs a listener fd, which the sandbox cannot make:
  // refused as a kernel without the flag refuses it (before reading the
  // program, which is how libseccomp probes for it).
  if (flags & (L::kSECCOMP_FILTER_FLAG_NEW_LISTENER | L::kSECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
    return Errno(EINVAL);
  }
  L::SockFprog fprog{};
  RETURN_IF_ERRNO(t.CopyInObj(uargs, &fprog));
  if (fprog.len == 0 || fprog.len > L::kBPF_MAXINSNS) return Errno(EINVAL);
  // Only a process that cannot gain privileges, or an administrator, may
  // constrain what a privileged program it execs does.
  if (!t.thread_group().no_new_privs.load() &&
      !t.creds().HasCapability(L::kCAP_SYS_ADMIN)) {
    return Errno(EACCES);
  }
  std::vector<L::SockFilter> insns(fprog.len);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(mm::UserAddr(fprog.filter), insns.data(),
                                            insns.size() * sizeof(L::SockFilter)));
  if (n != insns.size() * sizeof(L::SockFilter)) return Errno(EFAULT);
  ASSIGN_OR_RETURN_ERRNO(kernel::seccomp::BpfProgram prog, kernel::seccomp::BpfProgram::Check(insns));
  // SPEC_ALLOW (no speculation mitigation forced on the thread) is
  // accepted: nothing here forces one.
  return t.AddSeccompFilter(std::move(prog), flags);
}

}  // namespace

SyscallResult DoSeccomp(Task& t, unsigned op, unsigned flags, mm::UserAddr uargs) {
  switch (op) {
    case L::kSECCOMP_SET_MODE_STRICT:
      if (flags != 0 || uargs.value() != 0) return Errno(EINVAL);
      return t.SetSeccompStrict();
    case L::kSECCOMP_SET_MODE_FILTER:
      return SetModeFilter(t, flags, uargs);
    case L::kSECCOMP_GET_ACTION_AVAIL: {
      if (flags != 0) return Errno(EINVAL);
      uint32_t action = 0;
      RETURN_IF_ERRNO(t.CopyInObj(uargs, &action));
      return kernel::seccomp::ActionAvailable(action) ? SyscallResult(0)
                                                      : SyscallResult(Errno(EOPNOTSUPP));
    }
    case L::kSECCOMP_GET_NOTIF_SIZES: {
      if (flags != 0) return Errno(EINVAL);
      L::SeccompNotifSizes sizes{sizeof(L::SeccompNotif), sizeof(L::SeccompNotifResp),
                                 sizeof(L::SeccompData)};
      return t.CopyOutObj(uargs, sizes);
    }
    default:
      return Errno(EINVAL);
  }
}

// seccomp(2)
SyscallResult SysSeccomp(Task& t, const SyscallArgs& a) {
  return DoSeccomp(t, a.Uint(0), a.Uint(1), a.Addr(2));
}

SyscallResult PrctlSeccomp(Task& t, const SyscallArgs& a) {
  if (a.Int(0) == L::kPR_GET_SECCOMP) return t.seccomp_mode();
  switch (a[1]) {
    case L::kSECCOMP_MODE_STRICT:
      return DoSeccomp(t, L::kSECCOMP_SET_MODE_STRICT, 0, mm::UserAddr(0));
    case L::kSECCOMP_MODE_FILTER:
      return DoSeccomp(t, L::kSECCOMP_SET_MODE_FILTER, 0, a.Addr(2));
    default:
      return Errno(EINVAL);
  }
}

}  // namespace sentry::syscalls
