// System V semaphores: sets of counters that semop(2) changes atomically,
// blocking until every operation of a call can be done together.
//
//   ASSIGN_OR_RETURN_ERRNO(int id, sem.Get(t, key, nsems, flags));
//   RETURN_IF_ERRNO(sem.Op(t, id, ops, deadline));  // ops copied in already
//
// SEM_UNDO adjustments are kept per process (Linux shares them only with
// CLONE_SYSVSEM, which threads use) and applied when the process exits
// (IpcNamespace::ProcessExited).
#ifndef SENTRY_KERNEL_IPC_SEM_H_
#define SENTRY_KERNEL_IPC_SEM_H_

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/mm/user_addr.h"
#include "sentry/vfs/waiter.h"
#include "util/errno.h"

namespace sentry::kernel {
class Task;
}

namespace sentry::kernel::ipc {

struct SemSet {
  struct Semaphore {
    uint16_t value = 0;
    int pid = 0;   // last to change it (GETPID)
    int ncnt = 0;  // tasks waiting for it to grow (GETNCNT)
    int zcnt = 0;  // tasks waiting for it to be zero (GETZCNT)
  };
  Perm perm;
  int id = 0;
  std::vector<Semaphore> sems;
  int64_t otime = 0, ctime = 0;
  bool removed = false;
  // Notified whenever values change or the set is removed.
  vfs::WaitQueue queue;
};

class Sem {
 public:
  explicit Sem(std::shared_ptr<const IpcLimits> limits) : limits_(std::move(limits)) {}

  // semget(2).
  util::ErrnoOr<int> Get(Task& t, int32_t key, int nsems, int flags);
  // semop(2)/semtimedop(2) with the operations copied in; `deadline` is
  // absl::InfiniteFuture() without a timeout.
  util::ErrnoOrVoid Op(Task& t, int id, const std::vector<abi_linux::Sembuf>& ops,
                       absl::Time deadline);
  // semctl(2): cmd without IPC_64; `arg` is the raw union semun.
  util::ErrnoOr<int> Ctl(Task& t, int id, int semnum, int cmd, uint64_t arg);

  // Applies and forgets the SEM_UNDO adjustments of process `pid`.
  void ProcessExited(int pid);

 private:
  // Tries the whole of `ops` on `set`: true when done; false, with the
  // index of the operation that must wait in *blocked, when it cannot be
  // done yet; ERANGE past SEMVMX.
  util::ErrnoOr<bool> TryOps(SemSet& set, const std::vector<abi_linux::Sembuf>& ops, int pid,
                             size_t* blocked) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forgets every process's adjustments to set `id` (semnum -1: all).
  void ClearUndo(int id, int semnum) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<const IpcLimits> limits_;
  absl::Mutex mu_;
  Registry<SemSet> sets_ ABSL_GUARDED_BY(mu_);
  int total_sems_ ABSL_GUARDED_BY(mu_) = 0;
  // pid → (set id, semaphore) → adjustment.
  std::map<int, std::map<std::pair<int, int>, int>> undo_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::kernel::ipc

#endif  // SENTRY_KERNEL_IPC_SEM_H_
