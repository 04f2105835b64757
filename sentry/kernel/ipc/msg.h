// System V message queues: typed messages, sent and received whole.
//
//   ASSIGN_OR_RETURN_ERRNO(int id, msg.Get(t, key, flags));
//   RETURN_IF_ERRNO(msg.Send(t, id, type, std::move(text), flags));
//   ASSIGN_OR_RETURN_ERRNO(Message m, msg.Receive(t, id, max, msgtyp, flags));
#ifndef SENTRY_KERNEL_IPC_MSG_H_
#define SENTRY_KERNEL_IPC_MSG_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/mm/user_addr.h"
#include "sentry/vfs/waiter.h"
#include "util/errno.h"

namespace sentry::kernel {
class Task;
}

namespace sentry::kernel::ipc {

struct Message {
  int64_t type = 0;
  std::string text;
};

struct MsgQueue {
  Perm perm;
  int id = 0;
  std::deque<Message> messages;
  uint64_t bytes = 0;  // of all messages' text
  uint64_t max_bytes = 0;  // msg_qbytes: msgmnb when made
  int64_t stime = 0, rtime = 0, ctime = 0;
  int lspid = 0, lrpid = 0;
  bool removed = false;
  // Notified when a message arrives or leaves, or the queue is removed.
  vfs::WaitQueue queue;
};

class Msg {
 public:
  explicit Msg(std::shared_ptr<const IpcLimits> limits) : limits_(std::move(limits)) {}

  // msgget(2).
  util::ErrnoOr<int> Get(Task& t, int32_t key, int flags);
  // msgsnd(2), the message copied in; blocks while the queue is full.
  util::ErrnoOrVoid Send(Task& t, int id, Message m, int flags);
  // msgrcv(2): takes (MSG_COPY: copies the msgtyp'th) a message of at most
  // `max` bytes (more: E2BIG, or cut with MSG_NOERROR); blocks while none
  // matches.
  util::ErrnoOr<Message> Receive(Task& t, int id, uint64_t max, int64_t msgtyp, int flags);
  // msgctl(2): cmd without IPC_64.
  util::ErrnoOr<int> Ctl(Task& t, int id, int cmd, mm::UserAddr buf);

 private:
  const std::shared_ptr<const IpcLimits> limits_;
  absl::Mutex mu_;
  Registry<MsgQueue> queues_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::kernel::ipc

#endif  // SENTRY_KERNEL_IPC_MSG_H_
