// getpid(2), getppid(2), gettid(2), getuid(2) and friends, getresuid(2),
// getresgid(2), getgroups(2), setgroups(2); changing ids: setuid(2),
// setgid(2), setreuid(2), setregid(2), setresuid(2), setresgid(2),
// setfsuid(2), setfsgid(2); capget(2), capset(2).
//
// Id changes follow kernel/sys.c and their capability effects
// security/commoncap.c (capabilities(7), "Effect of user ID changes on
// capabilities"), for the initial user namespace. Credentials are kept per
// process, so a change applies to every thread, as glibc's wrappers make it.
#include <algorithm>
#include <cstddef>

#include "abi/linux/capability.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// Linux's NGROUPS_MAX.
constexpr int64_t kNgroupsMax = 65536;

// An id argument of -1: "leave this id alone" (and never a valid id).
constexpr uint32_t kNoId = ~uint32_t{0};

// The capabilities that follow the file-system uid (Linux's CAP_FS_SET).
constexpr uint64_t kFsCapabilities =
    L::CapabilityBit(L::kCAP_CHOWN) | L::CapabilityBit(L::kCAP_MKNOD) |
    L::CapabilityBit(L::kCAP_DAC_OVERRIDE) | L::CapabilityBit(L::kCAP_DAC_READ_SEARCH) |
    L::CapabilityBit(L::kCAP_FOWNER) | L::CapabilityBit(L::kCAP_FSETID) |
    L::CapabilityBit(L::kCAP_MAC_OVERRIDE) | L::CapabilityBit(L::kCAP_LINUX_IMMUTABLE);

bool AnyRoot(uint32_t r, uint32_t e, uint32_t s) { return r == 0 || e == 0 || s == 0; }

// The capability effects of a change of the real, effective or saved uid
// (commoncap.c's cap_emulate_setxuid): giving up uid 0 everywhere clears
// the permitted and effective sets (unless PR_SET_KEEPCAPS) and the ambient
// set; leaving euid 0 clears the effective set; becoming euid 0 raises it to
// the permitted set.
void FixCapsForUidChange(kernel::Credentials& c, const kernel::Credentials& old, bool keep_caps) {
  if (AnyRoot(old.ruid, old.euid, old.suid) && !AnyRoot(c.ruid, c.euid, c.suid)) {
    if (!keep_caps) c.cap_permitted = c.cap_effective = 0;
    c.cap_ambient = 0;
  }
  if (old.euid == 0 && c.euid != 0) c.cap_effective = 0;
  if (old.euid != 0 && c.euid == 0) c.cap_effective = c.cap_permitted;
}

// The same for a change of the file-system uid alone (setfsuid(2)): only
// the file-system capabilities follow it.
void FixCapsForFsuidChange(kernel::Credentials& c, const kernel::Credentials& old) {
  if (old.fsuid == 0 && c.fsuid != 0) c.cap_effective &= ~kFsCapabilities;
  if (old.fsuid != 0 && c.fsuid == 0) c.cap_effective |= c.cap_permitted & kFsCapabilities;
}

// The uid and gid calls share their rules; IdKind says which ids they set.
enum class IdKind { kUser, kGroup };

// Real, effective, saved and file-system ids of one kind.
struct Ids {
  uint32_t r, e, s, fs;
};

Ids GetIds(const kernel::Credentials& c, IdKind kind) {
  if (kind == IdKind::kUser) return {c.ruid, c.euid, c.suid, c.fsuid};
  return {c.rgid, c.egid, c.sgid, c.fsgid};
}

// Whether the caller may set ids of this kind to anything.
bool MaySetAnyId(const kernel::Credentials& c, IdKind kind) {
  return c.HasCapability(kind == IdKind::kUser ? L::kCAP_SETUID : L::kCAP_SETGID);
}

// Stores the new ids; uid changes get their capability effects.
SyscallResult Commit(Task& t, const kernel::Credentials& old, IdKind kind, const Ids& n) {
  kernel::Credentials c = old;
  if (kind == IdKind::kUser) {
    c.ruid = n.r;
    c.euid = n.e;
    c.suid = n.s;
    c.fsuid = n.fs;
    FixCapsForUidChange(c, old, t.control().keep_caps);
  } else {
    c.rgid = n.r;
    c.egid = n.e;
    c.sgid = n.s;
    c.fsgid = n.fs;
  }
  t.thread_group().set_creds(std::move(c));
  return 0;
}

// setuid(2)/setgid(2).
SyscallResult SetId(Task& t, uint32_t id, IdKind kind) {
  if (id == kNoId) return Errno(EINVAL);
  const kernel::Credentials old = t.thread_group().creds();
  const Ids o = GetIds(old, kind);
  Ids n = o;
  if (MaySetAnyId(old, kind)) {
    n.r = n.s = id;
  } else if (id != o.r && id != o.s) {
    return Errno(EPERM);
  }
  n.e = n.fs = id;
  return Commit(t, old, kind, n);
}

// setreuid(2)/setregid(2).
SyscallResult SetReId(Task& t, uint32_t r, uint32_t e, IdKind kind) {
  const kernel::Credentials old = t.thread_group().creds();
  const Ids o = GetIds(old, kind);
  Ids n = o;
  const bool privileged = MaySetAnyId(old, kind);
  if (r != kNoId) {
    if (r != o.r && r != o.e && !privileged) return Errno(EPERM);
    n.r = r;
  }
  if (e != kNoId) {
    if (e != o.r && e != o.e && e != o.s && !privileged) return Errno(EPERM);
    n.e = e;
  }
  // The saved id follows the effective one when the real id is set or the
  // effective one moves away from the old real id.
  if (r != kNoId || (e != kNoId && e != o.r)) n.s = n.e;
  n.fs = n.e;
  return Commit(t, old, kind, n);
}

// setresuid(2)/setresgid(2).
SyscallResult SetResId(Task& t, uint32_t r, uint32_t e, uint32_t s, IdKind kind) {
  const kernel::Credentials old = t.thread_group().creds();
  const Ids o = GetIds(old, kind);
  Ids n = o;
  // Nothing changes: succeed without checking anything.
  if ((r == kNoId || r == o.r) && (e == kNoId || (e == o.e && e == o.fs)) &&
      (s == kNoId || s == o.s)) {
    return 0;
  }
  // An unprivileged caller may only use ids it already has.
  auto is_new = [&](uint32_t id) { return id != kNoId && id != o.r && id != o.e && id != o.s; };
  if ((is_new(r) || is_new(e) || is_new(s)) && !MaySetAnyId(old, kind)) {
    return Errno(EPERM);
  }
  if (r != kNoId) n.r = r;
  if (e != kNoId) n.e = e;
  if (s != kNoId) n.s = s;
  n.fs = n.e;
  return Commit(t, old, kind, n);
}

// setfsuid(2)/setfsgid(2): always answers the previous file-system id.
SyscallResult SetFsId(Task& t, uint32_t id, IdKind kind) {
  const kernel::Credentials old = t.thread_group().creds();
  const Ids o = GetIds(old, kind);
  const uint32_t prev = o.fs;
  if (id == kNoId || id == prev) return prev;
  if (id != o.r && id != o.e && id != o.s && !MaySetAnyId(old, kind)) {
    return prev;
  }
  kernel::Credentials c = old;
  if (kind == IdKind::kUser) {
    c.fsuid = id;
    FixCapsForFsuidChange(c, old);
  } else {
    c.fsgid = id;
  }
  t.thread_group().set_creds(std::move(c));
  return prev;
}

// capget/capset: checks the header's version; a version the kernel does not
// know gets the preferred one written back and EINVAL. Returns how many
// CapUserData structures the version uses.
ErrnoOr<int> CapVersion(Task& t, mm::UserAddr header) {
  uint32_t version;
  RETURN_IF_ERRNO(t.CopyInObj(header, &version));
  switch (version) {
    case L::k_LINUX_CAPABILITY_VERSION_1:
      return L::k_LINUX_CAPABILITY_U32S_1;
    case L::k_LINUX_CAPABILITY_VERSION_2:
    case L::k_LINUX_CAPABILITY_VERSION_3:
      return L::k_LINUX_CAPABILITY_U32S_3;
    default:
      RETURN_IF_ERRNO(t.CopyOutObj(header, L::k_LINUX_CAPABILITY_VERSION_3));
      return Errno(EINVAL);
  }
}

mm::UserAddr HeaderPid(mm::UserAddr header) { return header + offsetof(L::CapUserHeader, pid); }

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

// setuid(2)
SyscallResult SysSetuid(Task& t, const SyscallArgs& a) {
  return SetId(t, a.Uint(0), IdKind::kUser);
}
// setgid(2)
SyscallResult SysSetgid(Task& t, const SyscallArgs& a) {
  return SetId(t, a.Uint(0), IdKind::kGroup);
}

// setreuid(2)
SyscallResult SysSetreuid(Task& t, const SyscallArgs& a) {
  return SetReId(t, a.Uint(0), a.Uint(1), IdKind::kUser);
}
// setregid(2)
SyscallResult SysSetregid(Task& t, const SyscallArgs& a) {
  return SetReId(t, a.Uint(0), a.Uint(1), IdKind::kGroup);
}

// setresuid(2)
SyscallResult SysSetresuid(Task& t, const SyscallArgs& a) {
  return SetResId(t, a.Uint(0), a.Uint(1), a.Uint(2), IdKind::kUser);
}
// setresgid(2)
SyscallResult SysSetresgid(Task& t, const SyscallArgs& a) {
  return SetResId(t, a.Uint(0), a.Uint(1), a.Uint(2), IdKind::kGroup);
}

// setfsuid(2)
SyscallResult SysSetfsuid(Task& t, const SyscallArgs& a) {
  return SetFsId(t, a.Uint(0), IdKind::kUser);
}
// setfsgid(2)
SyscallResult SysSetfsgid(Task& t, const SyscallArgs& a) {
  return SetFsId(t, a.Uint(0), IdKind::kGroup);
}

// capget(2): a null data pointer only checks (or asks for) the version.
SyscallResult SysCapget(Task& t, const SyscallArgs& a) {
  const mm::UserAddr header = a.Addr(0), data = a.Addr(1);
  ErrnoOr<int> words = CapVersion(t, header);
  if (data.IsNull()) {
    return words.ok() || words.error() == Errno(EINVAL) ? SyscallResult(0)
                                                        : SyscallResult(words.error());
  }
  if (!words.ok()) return words.error();
  int32_t pid;
  RETURN_IF_ERRNO(t.CopyInObj(HeaderPid(header), &pid));
  if (pid < 0) return Errno(EINVAL);
  kernel::Credentials c;
  if (pid == 0 || pid == t.tid()) {
    c = t.thread_group().creds();
  } else {
    kernel::Task* target = t.kernel().TaskByTid(pid);
    if (target == nullptr) return Errno(ESRCH);
    c = target->thread_group().creds();
  }
  L::CapUserData out[2] = {};
  for (int i = 0; i < 2; ++i) {
    out[i].effective = static_cast<uint32_t>(c.cap_effective >> (32 * i));
    out[i].permitted = static_cast<uint32_t>(c.cap_permitted >> (32 * i));
    out[i].inheritable = static_cast<uint32_t>(c.cap_inheritable >> (32 * i));
  }
  const size_t bytes = *words * sizeof(L::CapUserData);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(data, out, bytes));
  if (n != bytes) return Errno(EFAULT);
  return 0;
}

// capset(2): only the caller's own sets (pid 0 or its own tid). The new
// permitted set must be a subset of the old one and the new effective set
// of the new permitted one; the inheritable set may only gain what is in
// the bounding set and, without CAP_SETPCAP, what is permitted.
SyscallResult SysCapset(Task& t, const SyscallArgs& a) {
  const mm::UserAddr header = a.Addr(0), data = a.Addr(1);
  ASSIGN_OR_RETURN_ERRNO(int words, CapVersion(t, header));
  int32_t pid;
  RETURN_IF_ERRNO(t.CopyInObj(HeaderPid(header), &pid));
  if (pid != 0 && pid != t.tid()) return Errno(EPERM);
  L::CapUserData in[2] = {};
  const size_t bytes = words * sizeof(L::CapUserData);
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(data, in, bytes));
  if (n != bytes) return Errno(EFAULT);
  auto join = [](uint32_t lo, uint32_t hi) {
    return (uint64_t{lo} | (uint64_t{hi} << 32)) & L::kAllCapabilities;
  };
  const uint64_t effective = join(in[0].effective, in[1].effective);
  const uint64_t permitted = join(in[0].permitted, in[1].permitted);
  const uint64_t inheritable = join(in[0].inheritable, in[1].inheritable);

  kernel::ThreadGroup& tg = t.thread_group();
  kernel::Credentials c = tg.creds();
  auto subset = [](uint64_t a, uint64_t b) { return (a & ~b) == 0; };
  if (!c.HasCapability(L::kCAP_SETPCAP) &&
      !subset(inheritable, c.cap_inheritable | c.cap_permitted)) {
    return Errno(EPERM);
  }
  if (!subset(inheritable, c.cap_inheritable | c.cap_bounding)) return Errno(EPERM);
  if (!subset(permitted, c.cap_permitted)) return Errno(EPERM);
  if (!subset(effective, permitted)) return Errno(EPERM);
  c.cap_effective = effective;
  c.cap_permitted = permitted;
  c.cap_inheritable = inheritable;
  // Ambient capabilities must stay both permitted and inheritable.
  c.cap_ambient &= permitted & inheritable;
  tg.set_creds(std::move(c));
  return 0;
}

}  // namespace sentry::syscalls
