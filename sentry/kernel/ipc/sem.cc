#include "sentry/kernel/ipc/sem.h"

#include <algorithm>

#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::kernel::ipc {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

// SEMMNU, SEMMAP, SEMUME and SEMUSZ, as Linux's include/uapi/linux/sem.h
// defines them.
constexpr int kSemmnu = L::kSEMMNS;
constexpr int kSemmap = L::kSEMMNS;
constexpr int kSemume = L::kSEMOPM;
constexpr int kSemusz = 20;

}  // namespace

ErrnoOr<int> Sem::Get(Task& t, int32_t key, int nsems, int flags) {
  if (nsems < 0 || nsems > limits_->semmsl.load()) return Errno(EINVAL);
  auth::Credentials c = t.creds();
  absl::MutexLock l(&mu_);
  auto make = [&]() -> ErrnoOr<std::shared_ptr<SemSet>> {
    if (nsems == 0) return Errno(EINVAL);
    if (static_cast<int64_t>(total_sems_) + nsems > limits_->semmns.load()) return Errno(ENOSPC);
    auto set = std::make_shared<SemSet>();
    set->sems.resize(nsems);
    set->ctime = NowSeconds();
    total_sems_ += nsems;
    return set;
  };
  auto check = [&](const SemSet& set) -> ErrnoOrVoid {
    if (static_cast<size_t>(nsems) > set.sems.size()) return Errno(EINVAL);
    return {};
  };
  return GetOrCreate(sets_, c, key, flags, limits_->semmni.load(), make, check);
}

ErrnoOr<bool> Sem::TryOps(SemSet& set, const std::vector<L::Sembuf>& ops, int pid,
                          size_t* blocked) {
  std::vector<int> values(set.sems.size());
  for (size_t i = 0; i < values.size(); ++i) values[i] = set.sems[i].value;
  std::map<std::pair<int, int>, int> adj;  // the caller's adjustments after the ops
  auto mine = undo_.find(pid);
  auto current = [&](const std::pair<int, int>& k) {
    if (auto it = adj.find(k); it != adj.end()) return it->second;
    if (mine == undo_.end()) return 0;
    auto it = mine->second.find(k);
    return it == mine->second.end() ? 0 : it->second;
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const L::Sembuf& op = ops[i];
    int& v = values[op.sem_num];
    if ((op.sem_op == 0 && v != 0) || v + op.sem_op < 0) {
      *blocked = i;
      return false;
    }
    v += op.sem_op;
    if (v > L::kSEMVMX) return Errno(ERANGE);
    if (op.sem_flg & L::kSEM_UNDO) {
      std::pair<int, int> k{set.id, op.sem_num};
      int next = current(k) - op.sem_op;
      if (next < -L::kSEMAEM - 1 || next > L::kSEMAEM) return Errno(ERANGE);
      adj[k] = next;
    }
  }
  for (size_t i = 0; i < values.size(); ++i) set.sems[i].value = static_cast<uint16_t>(values[i]);
  for (const L::Sembuf& op : ops) set.sems[op.sem_num].pid = pid;
  if (!adj.empty()) {
    auto& undo = undo_[pid];
    for (const auto& [k, v] : adj) {
      if (v == 0) {
        undo.erase(k);
      } else {
        undo[k] = v;
      }
    }
    if (undo.empty()) undo_.erase(pid);
  }
  set.otime = NowSeconds();
  return true;
}

ErrnoOrVoid Sem::Op(Task& t, int id, const std::vector<L::Sembuf>& ops, absl::Time deadline) {
  auth::Credentials c = t.creds();
  int pid = t.thread_group().pid();
  size_t max = 0;
  bool alter = false;
  for (const L::Sembuf& op : ops) {
    max = std::max<size_t>(max, op.sem_num);
    alter |= op.sem_op != 0;
  }
  std::shared_ptr<SemSet> set;
  {
    absl::MutexLock l(&mu_);
    set = sets_.ById(id);
    if (set == nullptr) return Errno(EINVAL);
    if (max >= set->sems.size()) return Errno(EFBIG);
    if (!MayAccess(c, set->perm, alter ? 0222 : 0444)) return Errno(EACCES);
  }
  vfs::Waiter w;
  bool registered = false;
  ErrnoOrVoid result = {};
  while (true) {
    size_t blocked = 0;
    {
      absl::MutexLock l(&mu_);
      if (set->removed) {
        result = Errno(EIDRM);
        break;
      }
      ErrnoOr<bool> done = TryOps(*set, ops, pid, &blocked);
      if (!done.ok()) {
        result = done.error();
        break;
      }
      if (*done) {
        set->queue.Notify(0);
        break;
      }
      if (ops[blocked].sem_flg & L::kIPC_NOWAIT) {
        result = Errno(EAGAIN);
        break;
      }
      if (!registered) {
        // Register, then look again: a change in between is not missed.
        set->queue.Add(&w, 0);
        registered = true;
        continue;
      }
      SemSet::Semaphore& s = set->sems[ops[blocked].sem_num];
      ++(ops[blocked].sem_op == 0 ? s.zcnt : s.ncnt);
    }
    vfs::Waiter::Result r = w.Wait(deadline);
    {
      absl::MutexLock l(&mu_);
      SemSet::Semaphore& s = set->sems[ops[blocked].sem_num];
      --(ops[blocked].sem_op == 0 ? s.zcnt : s.ncnt);
    }
    if (r == vfs::Waiter::Result::kInterrupted) {
      // Never restarted, even after a stop and SIGCONT (signal(7)).
      result = Errno(EINTR);
      break;
    }
    if (r == vfs::Waiter::Result::kTimeout) {
      result = Errno(EAGAIN);
      break;
    }
  }
  if (registered) set->queue.Remove(&w);
  return result;
}

void Sem::ClearUndo(int id, int semnum) {
  for (auto it = undo_.begin(); it != undo_.end();) {
    auto& adj = it->second;
    for (auto a = adj.begin(); a != adj.end();) {
      if (a->first.first == id && (semnum < 0 || a->first.second == semnum)) {
        a = adj.erase(a);
      } else {
        ++a;
      }
    }
    it = adj.empty() ? undo_.erase(it) : std::next(it);
  }
}

void Sem::ProcessExited(int pid) {
  absl::MutexLock l(&mu_);
  auto it = undo_.find(pid);
  if (it == undo_.end()) return;
  for (const auto& [k, adj] : it->second) {
    std::shared_ptr<SemSet> set = sets_.ById(k.first);
    if (set == nullptr || set->removed) continue;
    SemSet::Semaphore& s = set->sems[k.second];
    int v = std::clamp(static_cast<int>(s.value) + adj, 0, L::kSEMVMX);
    s.value = static_cast<uint16_t>(v);
    s.pid = pid;
    set->queue.Notify(0);
  }
  undo_.erase(it);
}

ErrnoOr<int> Sem::Ctl(Task& t, int id, int semnum, int cmd, uint64_t arg) {
  auth::Credentials c = t.creds();
  int pid = t.thread_group().pid();
  mm::UserAddr ptr(arg);
  switch (cmd) {
    case L::kIPC_INFO:
    case L::kSEM_INFO: {
      L::SemInfo info{};
      info.semmni = limits_->semmni.load();
      info.semmns = limits_->semmns.load();
      info.semmsl = limits_->semmsl.load();
      info.semopm = limits_->semopm.load();
      info.semvmx = L::kSEMVMX;
      info.semmnu = kSemmnu;
      info.semmap = kSemmap;
      info.semume = kSemume;
      int max;
      {
        absl::MutexLock l(&mu_);
        if (cmd == L::kSEM_INFO) {
          info.semusz = sets_.size();
          info.semaem = total_sems_;
        } else {
          info.semusz = kSemusz;
          info.semaem = L::kSEMAEM;
        }
        max = sets_.MaxIndex();
      }
      RETURN_IF_ERRNO(t.CopyOutObj(ptr, info));
      return max < 0 ? 0 : max;
    }
    case L::kIPC_STAT:
    case L::kSEM_STAT:
    case L::kSEM_STAT_ANY: {
      L::SemidDs ds{};
      int ret = 0;
      {
        absl::MutexLock l(&mu_);
        std::shared_ptr<SemSet> set = cmd == L::kIPC_STAT ? sets_.ById(id) : sets_.ByIndex(id);
        if (set == nullptr) return Errno(EINVAL);
        if (cmd != L::kSEM_STAT_ANY && !MayAccess(c, set->perm, 0444)) return Errno(EACCES);
        ds.sem_perm = ToAbi(set->perm);
        ds.sem_otime = set->otime;
        ds.sem_ctime = set->ctime;
        ds.sem_nsems = set->sems.size();
        if (cmd != L::kIPC_STAT) ret = set->id;
      }
      RETURN_IF_ERRNO(t.CopyOutObj(ptr, ds));
      return ret;
    }
    case L::kIPC_SET: {
      L::SemidDs ds;
      RETURN_IF_ERRNO(t.CopyInObj(ptr, &ds));
      absl::MutexLock l(&mu_);
      std::shared_ptr<SemSet> set = sets_.ById(id);
      if (set == nullptr) return Errno(EINVAL);
      if (!IsOwner(c, set->perm)) return Errno(EPERM);
      set->perm.uid = ds.sem_perm.uid;
      set->perm.gid = ds.sem_perm.gid;
      set->perm.mode = (set->perm.mode & ~0777u) | (ds.sem_perm.mode & 0777);
      set->ctime = NowSeconds();
      return 0;
    }
    case L::kIPC_RMID: {
      absl::MutexLock l(&mu_);
      std::shared_ptr<SemSet> set = sets_.ById(id);
      if (set == nullptr) return Errno(EINVAL);
      if (!IsOwner(c, set->perm)) return Errno(EPERM);
      set->removed = true;
      total_sems_ -= static_cast<int>(set->sems.size());
      sets_.Remove(*set);
      ClearUndo(id, -1);
      set->queue.Notify(0);  // waiters leave with EIDRM
      return 0;
    }
    case L::kSETVAL: {
      int val = static_cast<int>(arg);
      if (val < 0 || val > L::kSEMVMX) return Errno(ERANGE);
      absl::MutexLock l(&mu_);
      std::shared_ptr<SemSet> set = sets_.ById(id);
      if (set == nullptr) return Errno(EINVAL);
      if (semnum < 0 || static_cast<size_t>(semnum) >= set->sems.size()) return Errno(EINVAL);
      if (!MayAccess(c, set->perm, 0222)) return Errno(EACCES);
      ClearUndo(id, semnum);
      set->sems[semnum].value = static_cast<uint16_t>(val);
      set->sems[semnum].pid = pid;
      set->ctime = NowSeconds();
      set->queue.Notify(0);
      return 0;
    }
    case L::kGETVAL:
    case L::kGETPID:
    case L::kGETNCNT:
    case L::kGETZCNT:
    case L::kGETALL:
    case L::kSETALL: {
      std::vector<uint16_t> values;
      std::shared_ptr<SemSet> set;
      {
        absl::MutexLock l(&mu_);
        set = sets_.ById(id);
        if (set == nullptr) return Errno(EINVAL);
        if (!MayAccess(c, set->perm, cmd == L::kSETALL ? 0222 : 0444)) return Errno(EACCES);
        if (cmd == L::kGETALL) {
          for (const auto& s : set->sems) values.push_back(s.value);
        } else if (cmd != L::kSETALL) {
          if (semnum < 0 || static_cast<size_t>(semnum) >= set->sems.size()) {
            return Errno(EINVAL);
          }
          const SemSet::Semaphore& s = set->sems[semnum];
          switch (cmd) {
            case L::kGETVAL:
              return s.value;
            case L::kGETPID:
              return s.pid;
            case L::kGETNCNT:
              return s.ncnt;
            default:
              return s.zcnt;
          }
        } else {
          values.resize(set->sems.size());
        }
      }
      if (cmd == L::kGETALL) {
        ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(ptr, values.data(), values.size() * 2));
        if (n != values.size() * 2) return Errno(EFAULT);
        return 0;
      }
      // SETALL.
      ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(ptr, values.data(), values.size() * 2));
      if (n != values.size() * 2) return Errno(EFAULT);
      for (uint16_t v : values) {
        if (v > L::kSEMVMX) return Errno(ERANGE);
      }
      absl::MutexLock l(&mu_);
      if (set->removed) return Errno(EIDRM);
      ClearUndo(id, -1);
      for (size_t i = 0; i < values.size(); ++i) {
        set->sems[i].value = values[i];
        set->sems[i].pid = pid;
      }
      set->ctime = NowSeconds();
      set->queue.Notify(0);
      return 0;
    }
    default:
      return Errno(EINVAL);
  }
}

}  // namespace sentry::kernel::ipc
