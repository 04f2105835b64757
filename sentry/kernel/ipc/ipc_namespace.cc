#include "sentry/kernel/ipc/ipc_namespace.h"

#include <algorithm>

#include "abi/linux/capability.h"
#include "absl/time/clock.h"
#include "sentry/kernel/ipc/mqueue.h"
#include "sentry/kernel/ipc/msg.h"
#include "sentry/kernel/ipc/sem.h"
#include "sentry/kernel/ipc/shm.h"

namespace sentry::kernel::ipc {

namespace L = abi_linux;

namespace {

bool InGroup(const auth::Credentials& c, uint32_t gid) {
  return c.fsgid == gid || std::find(c.groups.begin(), c.groups.end(), gid) != c.groups.end();
}

}  // namespace

bool MayAccess(const auth::Credentials& c, const Perm& p, int flag) {
  int requested = ((flag >> 6) | (flag >> 3) | flag) & 07;
  uint32_t granted = p.mode;
  if (c.euid == p.cuid || c.euid == p.uid) {
    granted >>= 6;
  } else if (InGroup(c, p.cgid) || InGroup(c, p.gid)) {
    granted >>= 3;
  }
  if ((requested & ~granted & 07) == 0) return true;
  return c.HasCapability(L::kCAP_IPC_OWNER);
}

bool IsOwner(const auth::Credentials& c, const Perm& p) {
  return c.euid == p.cuid || c.euid == p.uid || c.HasCapability(L::kCAP_SYS_ADMIN);
}

L::IpcPerm ToAbi(const Perm& p) {
  L::IpcPerm out{};
  out.key = p.key;
  out.uid = p.uid;
  out.gid = p.gid;
  out.cuid = p.cuid;
  out.cgid = p.cgid;
  out.mode = p.mode;
  out.seq = p.seq;
  return out;
}

Perm NewPerm(const auth::Credentials& c, int32_t key, int flags) {
  Perm p;
  p.key = key;
  p.uid = p.cuid = c.euid;
  p.gid = p.cgid = c.egid;
  p.mode = flags & 0777;
  return p;
}

int64_t NowSeconds() { return absl::ToUnixSeconds(absl::Now()); }

IpcNamespace::IpcNamespace(mm::MemoryFile& mf)
    : limits_(std::make_shared<IpcLimits>()),
      shm_(std::make_shared<Shm>(mf, limits_)),
      sem_(std::make_unique<Sem>(limits_)),
      msg_(std::make_unique<Msg>(limits_)),
      mqueues_(std::make_unique<Mqueues>(limits_)) {}

IpcNamespace::~IpcNamespace() = default;

void IpcNamespace::ProcessExited(int pid) {
  sem_->ProcessExited(pid);
  mqueues_->ProcessExited(pid);
}

}  // namespace sentry::kernel::ipc
