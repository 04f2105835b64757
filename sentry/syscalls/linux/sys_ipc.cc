// System V IPC: shmget(2), shmat(2), shmdt(2), shmctl(2), semget(2),
// semop(2), semtimedop(2), semctl(2), msgget(2), msgsnd(2), msgrcv(2),
// msgctl(2). The objects live in the kernel's IPC namespace
// (sentry/kernel/ipc); these handlers check arguments and copy them.
#include <algorithm>
#include <string>
#include <vector>

#include "abi/linux/ipc.h"
#include "abi/linux/time.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/kernel/ipc/msg.h"
#include "sentry/kernel/ipc/sem.h"
#include "sentry/kernel/ipc/shm.h"
#include "sentry/kernel/kernel.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// x86-64 programs may or may not or IPC_64 into a *ctl command; the
// layouts are the 64-bit ones either way.
int CtlCmd(int cmd) { return cmd & ~L::kIPC_64; }

kernel::ipc::IpcNamespace& Ipc(Task& t) { return t.kernel().ipc(); }

SyscallResult DoSemop(Task& t, int id, mm::UserAddr sops, int64_t nsops, mm::UserAddr timeout) {
  if (nsops < 1 || id < 0) return Errno(EINVAL);
  if (nsops > Ipc(t).limits().semopm.load()) return Errno(E2BIG);
  std::vector<L::Sembuf> ops(static_cast<size_t>(nsops));
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(sops, ops.data(), ops.size() * sizeof(L::Sembuf)));
  if (n != ops.size() * sizeof(L::Sembuf)) return Errno(EFAULT);
  absl::Time deadline = absl::InfiniteFuture();
  if (!timeout.IsNull()) {
    L::Timespec ts;
    RETURN_IF_ERRNO(t.CopyInObj(timeout, &ts));
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return Errno(EINVAL);
    deadline = absl::Now() + absl::Seconds(ts.tv_sec) + absl::Nanoseconds(ts.tv_nsec);
  }
  RETURN_IF_ERRNO(Ipc(t).sem().Op(t, id, ops, deadline));
  return 0;
}

}  // namespace

// ---- Shared memory ----

SyscallResult SysShmget(Task& t, const SyscallArgs& a) {
  return Ipc(t).shm().Get(t, a.Int(0), a[1], a.Int(2));
}

SyscallResult SysShmat(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(uint64_t addr, Ipc(t).shm().Attach(t, a.Int(0), a[1], a.Int(2)));
  return static_cast<int64_t>(addr);
}

SyscallResult SysShmdt(Task& t, const SyscallArgs& a) {
  RETURN_IF_ERRNO(Ipc(t).shm().Detach(t, a[0]));
  return 0;
}

SyscallResult SysShmctl(Task& t, const SyscallArgs& a) {
  if (a.Int(0) < 0) return Errno(EINVAL);
  return Ipc(t).shm().Ctl(t, a.Int(0), CtlCmd(a.Int(1)), a.Addr(2));
}

// ---- Semaphores ----

SyscallResult SysSemget(Task& t, const SyscallArgs& a) {
  return Ipc(t).sem().Get(t, a.Int(0), a.Int(1), a.Int(2));
}

SyscallResult SysSemop(Task& t, const SyscallArgs& a) {
  return DoSemop(t, a.Int(0), a.Addr(1), static_cast<int64_t>(a[2]), mm::UserAddr(0));
}

SyscallResult SysSemtimedop(Task& t, const SyscallArgs& a) {
  return DoSemop(t, a.Int(0), a.Addr(1), static_cast<int64_t>(a[2]), a.Addr(3));
}

SyscallResult SysSemctl(Task& t, const SyscallArgs& a) {
  if (a.Int(0) < 0) return Errno(EINVAL);
  return Ipc(t).sem().Ctl(t, a.Int(0), a.Int(1), CtlCmd(a.Int(2)), a[3]);
}

// ---- Message queues ----

SyscallResult SysMsgget(Task& t, const SyscallArgs& a) {
  return Ipc(t).msg().Get(t, a.Int(0), a.Int(1));
}

// msgsnd(2): msgp points at a long type followed by the text.
SyscallResult SysMsgsnd(Task& t, const SyscallArgs& a) {
  int id = a.Int(0);
  int64_t size = static_cast<int64_t>(a[2]);
  int64_t type;
  RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &type));
  if (size > Ipc(t).limits().msgmax.load() || size < 0 || id < 0) return Errno(EINVAL);
  if (type < 1) return Errno(EINVAL);
  kernel::ipc::Message m;
  m.type = type;
  m.text.resize(static_cast<size_t>(size));
  ASSIGN_OR_RETURN_ERRNO(size_t n,
                         t.CopyIn(a.Addr(1) + sizeof(int64_t), m.text.data(), m.text.size()));
  if (n != m.text.size()) return Errno(EFAULT);
  RETURN_IF_ERRNO(Ipc(t).msg().Send(t, id, std::move(m), a.Int(3)));
  return 0;
}

SyscallResult SysMsgrcv(Task& t, const SyscallArgs& a) {
  int id = a.Int(0);
  int64_t size = static_cast<int64_t>(a[2]);
  if (size < 0 || id < 0) return Errno(EINVAL);
  // MSG_COPY reads at most MSGMAX bytes.
  uint64_t max = static_cast<uint64_t>(size);
  if (a.Int(4) & L::kMSG_COPY) {
    const int msgmax = std::max(Ipc(t).limits().msgmax.load(), 0);
    max = std::min<uint64_t>(max, static_cast<uint64_t>(msgmax));
  }
  ASSIGN_OR_RETURN_ERRNO(kernel::ipc::Message m,
                         Ipc(t).msg().Receive(t, id, max, static_cast<int64_t>(a[3]), a.Int(4)));
  RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(1), m.type));
  ASSIGN_OR_RETURN_ERRNO(size_t n,
                         t.CopyOut(a.Addr(1) + sizeof(int64_t), m.text.data(), m.text.size()));
  if (n != m.text.size()) return Errno(EFAULT);
  return static_cast<int64_t>(m.text.size());
}

SyscallResult SysMsgctl(Task& t, const SyscallArgs& a) {
  if (a.Int(0) < 0) return Errno(EINVAL);
  return Ipc(t).msg().Ctl(t, a.Int(0), CtlCmd(a.Int(1)), a.Addr(2));
}

}  // namespace sentry::syscalls
