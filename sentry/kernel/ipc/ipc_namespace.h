// System V IPC: the IPC namespace the kernel owns, and what its three
// kinds of objects (shared memory segments, semaphore sets, message
// queues) have in common: a key, an id, an owner and a mode, and a
// registry that finds them by key, id or index as Linux's ipc/util.c does.
//
//   ipc::IpcNamespace& ns = kernel.ipc();
//   ASSIGN_OR_RETURN_ERRNO(int id, ns.shm().Get(t, key, size, flags));
//
// Ids are Linux's: index + seq * IPCMNI, so a stale id (an object removed
// and its index reused) is EINVAL, not the new object.
//
// Lock order: MemoryManager::mu_ (a shm detach runs under it), then each
// kind's own mutex (Shm::mu_, Sem::mu_, Msg::mu_), then MemoryFile::mu_.
#ifndef SENTRY_KERNEL_IPC_IPC_NAMESPACE_H_
#define SENTRY_KERNEL_IPC_IPC_NAMESPACE_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>

#include "abi/linux/ipc.h"
#include "sentry/auth/credentials.h"
#include "sentry/kernel/ipc/limits.h"
#include "util/errno.h"

namespace sentry::mm {
class MemoryFile;
}

namespace sentry::kernel::ipc {

class Shm;
class Sem;
class Msg;
class Mqueues;

// struct kern_ipc_perm, less the id.
struct Perm {
  int32_t key = 0;
  uint32_t uid = 0, gid = 0, cuid = 0, cgid = 0;
  uint32_t mode = 0;  // permission bits, plus SHM_DEST / SHM_LOCKED for shm
  uint16_t seq = 0;
};

// Linux's ipcperms(): whether `c` may use an object whose permissions are
// `p` for `flag`'s permission bits (0444-style read, 0222-style write, or
// the bits a *get call asks for). CAP_IPC_OWNER may do anything.
bool MayAccess(const auth::Credentials& c, const Perm& p, int flag);
// IPC_SET and IPC_RMID: the owner or creator, or CAP_SYS_ADMIN.
bool IsOwner(const auth::Credentials& c, const Perm& p);
// The struct ipc64_perm a *ctl IPC_STAT reports.
abi_linux::IpcPerm ToAbi(const Perm& p);
// A new object's permissions: the caller as owner and creator, mode from
// the low 9 bits of the *get flags.
Perm NewPerm(const auth::Credentials& c, int32_t key, int flags);
// Seconds since the epoch, as the *_time fields hold them.
int64_t NowSeconds();

// The objects of one kind, by index (what *_STAT takes), id and key.
// Not thread-safe: each kind guards its registry with its own mutex.
template <typename T>
class Registry {
 public:
  // The object with this id: nullptr if none (EINVAL for the caller).
  std::shared_ptr<T> ById(int id) const {
    if (id < 0) return nullptr;
    auto it = by_index_.find(id % abi_linux::kIPCMNI);
    if (it == by_index_.end() || it->second->id != id) return nullptr;
    return it->second;
  }
  std::shared_ptr<T> ByIndex(int index) const {
    auto it = by_index_.find(index);
    return it == by_index_.end() ? nullptr : it->second;
  }
  // The object with this key (never IPC_PRIVATE).
  std::shared_ptr<T> ByKey(int32_t key) const {
    auto it = by_key_.find(key);
    return it == by_key_.end() ? nullptr : ByIndex(it->second);
  }
  // Adds obj at the lowest free index and gives it its id; ENOSPC when
  // `max` objects (the kind's *mni limit, at most IPCMNI) exist already.
  util::ErrnoOr<int> Add(std::shared_ptr<T> obj, int max) {
    if (static_cast<int>(by_index_.size()) >= std::min(max, abi_linux::kIPCMNI)) {
      return util::Errno(ENOSPC);
    }
    int index = 0;
    for (const auto& [i, o] : by_index_) {
      if (i != index) break;
      ++index;
    }
    obj->perm.seq = seq_++;
    obj->id = index + (obj->perm.seq & 0x7fff) * abi_linux::kIPCMNI;
    if (obj->perm.key != abi_linux::kIPC_PRIVATE) by_key_[obj->perm.key] = index;
    by_index_[index] = std::move(obj);
    return by_index_[index]->id;
  }
  // Forgets obj's key: it can no longer be found by key (IPC_RMID of a
  // segment still attached).
  void DropKey(T& obj) {
    if (obj.perm.key != abi_linux::kIPC_PRIVATE) by_key_.erase(obj.perm.key);
    obj.perm.key = abi_linux::kIPC_PRIVATE;
  }
  void Remove(T& obj) {
    DropKey(obj);
    by_index_.erase(obj.id % abi_linux::kIPCMNI);
  }
  // The highest index in use, or -1 (what IPC_INFO returns).
  int MaxIndex() const { return by_index_.empty() ? -1 : by_index_.rbegin()->first; }
  int size() const { return static_cast<int>(by_index_.size()); }
  const std::map<int, std::shared_ptr<T>>& objects() const { return by_index_; }

 private:
  uint16_t seq_ = 0;
  std::map<int, std::shared_ptr<T>> by_index_;
  std::map<int32_t, int> by_key_;
};

// Finds or creates the object for a *get call: IPC_PRIVATE always
// creates; a key creates with IPC_CREAT, and with IPC_CREAT|IPC_EXCL must
// not exist yet. An existing object must allow the flags' permission bits
// (EACCES) and pass `check` (shmget's size, semget's count: EINVAL). At
// most `max` objects may exist (ENOSPC).
template <typename T, typename Make, typename Check>
util::ErrnoOr<int> GetOrCreate(Registry<T>& r, const auth::Credentials& c, int32_t key, int flags,
                               int max, Make make, Check check) {
  if (key != abi_linux::kIPC_PRIVATE) {
    if (std::shared_ptr<T> obj = r.ByKey(key)) {
      if ((flags & abi_linux::kIPC_CREAT) && (flags & abi_linux::kIPC_EXCL)) {
        return util::Errno(EEXIST);
      }
      if (!MayAccess(c, obj->perm, flags)) return util::Errno(EACCES);
      RETURN_IF_ERRNO(check(*obj));
      return obj->id;
    }
    if (!(flags & abi_linux::kIPC_CREAT)) return util::Errno(ENOENT);
  }
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<T> obj, make());
  obj->perm = NewPerm(c, key, flags);
  return r.Add(std::move(obj), max);
}

// The kernel's one IPC namespace.
class IpcNamespace {
 public:
  explicit IpcNamespace(mm::MemoryFile& mf);
  ~IpcNamespace();
  IpcNamespace(const IpcNamespace&) = delete;
  IpcNamespace& operator=(const IpcNamespace&) = delete;

  Shm& shm() { return *shm_; }
  Sem& sem() { return *sem_; }
  Msg& msg() { return *msg_; }
  // The namespace's tunable limits (/proc/sys/kernel, /proc/sys/fs/mqueue).
  IpcLimits& limits() { return *limits_; }
  // POSIX message queues (mqueue.h).
  Mqueues& mqueues() { return *mqueues_; }

  // A process has exited: its semaphore adjustments (SEM_UNDO) are
  // applied and its message queue notification registrations dropped.
  void ProcessExited(int pid);

 private:
  // Shared with each kind, which may outlive the namespace (shm).
  std::shared_ptr<IpcLimits> limits_;
  // Shared: attachments (VMAs) outlive nothing they point at.
  std::shared_ptr<Shm> shm_;
  std::unique_ptr<Sem> sem_;
  std::unique_ptr<Msg> msg_;
  std::unique_ptr<Mqueues> mqueues_;
};

}  // namespace sentry::kernel::ipc

#endif  // SENTRY_KERNEL_IPC_IPC_NAMESPACE_H_
