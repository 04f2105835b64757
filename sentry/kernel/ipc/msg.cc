#include "sentry/kernel/ipc/msg.h"

#include <algorithm>
#include <optional>

#include "abi/linux/capability.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::kernel::ipc {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

// Linux's include/uapi/linux/msg.h: MSGSSZ, MSGPOOL, MSGMAP, MSGTQL, MSGSEG.
constexpr int kMsgssz = 16;
constexpr int kMsgpool = L::kMSGMNI * L::kMSGMNB / 1024;
constexpr int kMsgmap = L::kMSGMNB;
constexpr int kMsgtql = L::kMSGMNB;
constexpr int kMsgseg = 0xffff;

// Blocks on `q`'s queue until `ready` (called under mu) says the call can
// go on, or gives its error. EINTR on a signal.
template <typename Ready>
ErrnoOrVoid WaitFor(absl::Mutex& mu, MsgQueue& q, Ready ready) {
  vfs::Waiter w;
  bool registered = false;
  ErrnoOrVoid result = {};
  while (true) {
    {
      absl::MutexLock l(&mu);
      std::optional<ErrnoOrVoid> r = ready();
      if (r) {
        result = *r;
        break;
      }
      if (!registered) {
        // Register, then look again: a change in between is not missed.
        q.queue.Add(&w, 0);
        registered = true;
        continue;
      }
    }
    if (w.Wait(absl::InfiniteFuture()) == vfs::Waiter::Result::kInterrupted) {
      // Never restarted, even after a stop and SIGCONT (signal(7)).
      result = Errno(EINTR);
      break;
    }
  }
  if (registered) q.queue.Remove(&w);
  return result;
}

}  // namespace

ErrnoOr<int> Msg::Get(Task& t, int32_t key, int flags) {
  auth::Credentials c = t.creds();
  absl::MutexLock l(&mu_);
  auto make = [&]() -> ErrnoOr<std::shared_ptr<MsgQueue>> {
    auto q = std::make_shared<MsgQueue>();
    q->max_bytes = static_cast<uint64_t>(std::max(limits_->msgmnb.load(), 0));
    q->ctime = NowSeconds();
    return q;
  };
  auto check = [](const MsgQueue&) -> ErrnoOrVoid { return {}; };
  return GetOrCreate(queues_, c, key, flags, limits_->msgmni.load(), make, check);
}

ErrnoOrVoid Msg::Send(Task& t, int id, Message m, int flags) {
  auth::Credentials c = t.creds();
  std::shared_ptr<MsgQueue> q;
  {
    absl::MutexLock l(&mu_);
    q = queues_.ById(id);
    if (q == nullptr) return Errno(EINVAL);
  }
  const uint64_t size = m.text.size();
  return WaitFor(mu_, *q, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> std::optional<ErrnoOrVoid> {
    if (!MayAccess(c, q->perm, 0222)) return Errno(EACCES);
    if (q->removed) return Errno(EIDRM);
    if (q->bytes + size <= q->max_bytes && q->messages.size() + 1 <= q->max_bytes) {
      q->bytes += size;
      q->messages.push_back(std::move(m));
      q->lspid = t.thread_group().pid();
      q->stime = NowSeconds();
      q->queue.Notify(0);
      return ErrnoOrVoid{};
    }
    if (flags & L::kIPC_NOWAIT) return Errno(EAGAIN);
    return std::nullopt;
  });
}

ErrnoOr<Message> Msg::Receive(Task& t, int id, uint64_t max, int64_t msgtyp, int flags) {
  const bool copy = flags & L::kMSG_COPY;
  if (copy && ((flags & L::kMSG_EXCEPT) || !(flags & L::kIPC_NOWAIT))) return Errno(EINVAL);
  auth::Credentials c = t.creds();
  std::shared_ptr<MsgQueue> q;
  {
    absl::MutexLock l(&mu_);
    q = queues_.ById(id);
    if (q == nullptr) return Errno(EINVAL);
  }
  // Which message a call takes: the first (msgtyp 0), the first of type
  // msgtyp (or, with MSG_EXCEPT, of another type), the first of the lowest
  // type up to -msgtyp, or (MSG_COPY) the msgtyp'th.
  auto find = [&](const std::deque<Message>& msgs) -> std::optional<size_t> {
    std::optional<size_t> best;
    for (size_t i = 0; i < msgs.size(); ++i) {
      const int64_t type = msgs[i].type;
      if (copy) {
        if (static_cast<int64_t>(i) == msgtyp) return i;
      } else if (msgtyp == 0) {
        return i;
      } else if (msgtyp > 0) {
        if ((flags & L::kMSG_EXCEPT) ? type != msgtyp : type == msgtyp) return i;
      } else if (type <= -msgtyp && (!best || type < msgs[*best].type)) {
        best = i;
      }
    }
    return best;
  };
  Message out;
  RETURN_IF_ERRNO(
      WaitFor(mu_, *q, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> std::optional<ErrnoOrVoid> {
        if (!MayAccess(c, q->perm, 0444)) return Errno(EACCES);
        if (q->removed) return Errno(EIDRM);
        if (std::optional<size_t> i = find(q->messages)) {
          Message& m = q->messages[*i];
          if (m.text.size() > max && !(flags & L::kMSG_NOERROR)) return Errno(E2BIG);
          if (copy) {
            out = m;
          } else {
            out = std::move(m);
            q->bytes -= out.text.size();
            q->messages.erase(q->messages.begin() + static_cast<ptrdiff_t>(*i));
            q->lrpid = t.thread_group().pid();
            q->rtime = NowSeconds();
            q->queue.Notify(0);
          }
          if (out.text.size() > max) out.text.resize(max);
          return ErrnoOrVoid{};
        }
        if (flags & L::kIPC_NOWAIT) return Errno(ENOMSG);
        return std::nullopt;
      }));
  return out;
}

ErrnoOr<int> Msg::Ctl(Task& t, int id, int cmd, mm::UserAddr buf) {
  auth::Credentials c = t.creds();
  switch (cmd) {
    case L::kIPC_INFO:
    case L::kMSG_INFO: {
      L::MsgInfo info{};
      info.msgmni = limits_->msgmni.load();
      info.msgmax = limits_->msgmax.load();
      info.msgmnb = limits_->msgmnb.load();
      info.msgssz = kMsgssz;
      info.msgseg = kMsgseg;
      int max;
      {
        absl::MutexLock l(&mu_);
        if (cmd == L::kMSG_INFO) {
          info.msgpool = queues_.size();
          uint64_t msgs = 0, bytes = 0;
          for (const auto& [index, q] : queues_.objects()) {
            msgs += q->messages.size();
            bytes += q->bytes;
          }
          info.msgmap = static_cast<int32_t>(std::min<uint64_t>(msgs, INT32_MAX));
          info.msgtql = static_cast<int32_t>(std::min<uint64_t>(bytes, INT32_MAX));
        } else {
          info.msgpool = kMsgpool;
          info.msgmap = kMsgmap;
          info.msgtql = kMsgtql;
        }
        max = queues_.MaxIndex();
      }
      RETURN_IF_ERRNO(t.CopyOutObj(buf, info));
      return max < 0 ? 0 : max;
    }
    case L::kIPC_STAT:
    case L::kMSG_STAT:
    case L::kMSG_STAT_ANY: {
      L::MsqidDs ds{};
      int ret = 0;
      {
        absl::MutexLock l(&mu_);
        std::shared_ptr<MsgQueue> q = cmd == L::kIPC_STAT ? queues_.ById(id) : queues_.ByIndex(id);
        if (q == nullptr) return Errno(EINVAL);
        if (cmd != L::kMSG_STAT_ANY && !MayAccess(c, q->perm, 0444)) return Errno(EACCES);
        ds.msg_perm = ToAbi(q->perm);
        ds.msg_stime = q->stime;
        ds.msg_rtime = q->rtime;
        ds.msg_ctime = q->ctime;
        ds.msg_curbytes = q->bytes;
        ds.msg_qnum = q->messages.size();
        ds.msg_qbytes = q->max_bytes;
        ds.msg_lspid = q->lspid;
        ds.msg_lrpid = q->lrpid;
        if (cmd != L::kIPC_STAT) ret = q->id;
      }
      RETURN_IF_ERRNO(t.CopyOutObj(buf, ds));
      return ret;
    }
    case L::kIPC_SET: {
      L::MsqidDs ds;
      RETURN_IF_ERRNO(t.CopyInObj(buf, &ds));
      absl::MutexLock l(&mu_);
      std::shared_ptr<MsgQueue> q = queues_.ById(id);
      if (q == nullptr) return Errno(EINVAL);
      if (!IsOwner(c, q->perm)) return Errno(EPERM);
      if (ds.msg_qbytes > static_cast<uint64_t>(std::max(limits_->msgmnb.load(), 0)) &&
          !c.HasCapability(L::kCAP_SYS_RESOURCE)) {
        return Errno(EPERM);
      }
      q->max_bytes = ds.msg_qbytes;
      q->perm.uid = ds.msg_perm.uid;
      q->perm.gid = ds.msg_perm.gid;
      q->perm.mode = (q->perm.mode & ~0777u) | (ds.msg_perm.mode & 0777);
      q->ctime = NowSeconds();
      q->queue.Notify(0);  // there may be room now, or no permission
      return 0;
    }
    case L::kIPC_RMID: {
      absl::MutexLock l(&mu_);
      std::shared_ptr<MsgQueue> q = queues_.ById(id);
      if (q == nullptr) return Errno(EINVAL);
      if (!IsOwner(c, q->perm)) return Errno(EPERM);
      q->removed = true;
      queues_.Remove(*q);
      q->queue.Notify(0);  // waiters leave with EIDRM
      return 0;
    }
    default:
      return Errno(EINVAL);
  }
}

}  // namespace sentry::kernel::ipc
