// POSIX message queues (mq_overview(7)): named queues of prioritized
// messages, each open queue a file descriptor. They belong to the IPC
// namespace, as Linux's do, and live until unlinked and closed.
//
//   Mqueues& mq = kernel.ipc().mqueues();
//   ASSIGN_OR_RETURN_ERRNO(auto file, mq.Open(t, "name", O_RDWR | O_CREAT, 0600, nullptr));
//   auto* f = dynamic_cast<MqueueFile*>(file.get());
//   RETURN_IF_ERRNO(f->queue().Send(t, *f, std::move(text), prio, deadline));
//
// A receiver blocked on an empty queue is handed the next message directly
// (it never shows in mq_curmsgs), and a sender blocked on a full queue has
// its message put in when a receiver makes room, as Linux's pipelined
// send and receive do; either wait is interrupted by a signal (the caller
// restarts it under SA_RESTART) or ends at an absolute CLOCK_REALTIME
// deadline.
//
// The mqueue file system (sentry/fsimpl/mqueue) shows the same queues as
// files: Find, List, Create and Remove are its way in.
//
// Lock order: Mqueues::mu_, then MqAccounting::mu, then MessageQueue::mu_,
// then WaitQueue locks. Signals are sent with none of these held.
#ifndef SENTRY_KERNEL_IPC_MQUEUE_H_
#define SENTRY_KERNEL_IPC_MQUEUE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "abi/linux/mqueue.h"
#include "abi/linux/signal.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "sentry/kernel/ipc/limits.h"
#include "sentry/vfs/file_description.h"
#include "sentry/vfs/waiter.h"
#include "util/errno.h"

namespace sentry::kernel {
class Task;
}

namespace sentry::kernel::ipc {

class MessageQueue;

// What every queue of a namespace shares, and outlives the registry by
// as long as an open queue needs it: the queue count (queues_max), the
// bytes charged to each user (RLIMIT_MSGQUEUE), and the live queues (a
// process's exit drops its notification registrations on all of them).
struct MqAccounting {
  absl::Mutex mu;
  int queues ABSL_GUARDED_BY(mu) = 0;
  std::map<uint32_t, uint64_t> bytes_by_uid ABSL_GUARDED_BY(mu);
  std::set<MessageQueue*> live ABSL_GUARDED_BY(mu);
};

// One queue: its messages, waiters, notification registration and the
// attributes of its inode.
class MessageQueue {
 public:
  struct Attrs {
    int64_t maxmsg = 0, msgsize = 0;
    uint32_t mode = 0, uid = 0, gid = 0;
    uint64_t dev = 0, ino = 0;
  };
  // Charged `bytes` to `charged_uid` in `acct` (released on destruction).
  MessageQueue(const Attrs& a, std::shared_ptr<MqAccounting> acct, uint32_t charged_uid,
               uint64_t bytes);
  ~MessageQueue();
  MessageQueue(const MessageQueue&) = delete;
  MessageQueue& operator=(const MessageQueue&) = delete;

  int64_t maxmsg() const { return attrs_.maxmsg; }
  int64_t msgsize() const { return attrs_.msgsize; }
  // The inode's permission bits and owner (chmod and chown change them).
  uint32_t mode();
  uint32_t uid();
  uint32_t gid();
  // chmod(2), chown(2) and utimensat(2) through the mqueue file system:
  // the fields of `mask` (vfs::SetAttrArgs's bits) change, ctime too.
  void SetAttrs(uint32_t mask, uint32_t mode, uint32_t uid, uint32_t gid,
                const abi_linux::Timespec& atime, const abi_linux::Timespec& mtime);

  // mq_timedsend(2) once the arguments are checked: blocks while the queue
  // is full unless `nonblock` (EAGAIN), until `deadline` (ETIMEDOUT), or
  // until a signal (EINTR).
  util::ErrnoOrVoid Send(Task& t, std::string text, uint32_t prio, bool nonblock,
                         absl::Time deadline);
  struct Received {
    std::string text;
    uint32_t prio;
  };
  // mq_timedreceive(2): the oldest message of the highest priority;
  // blocks while the queue is empty, as Send does.
  util::ErrnoOr<Received> Receive(bool nonblock, absl::Time deadline);

  // mq_notify(2) for process `pid`: registers `ev` (SIGEV_SIGNAL or
  // SIGEV_NONE, checked by the caller), or with nullptr removes pid's
  // registration (nothing if another process holds it). EBUSY when
  // someone is registered already.
  util::ErrnoOrVoid Notify(int pid, const abi_linux::SigEvent* ev);
  // Removes pid's registration, if it holds it (close(2), exit).
  void DropNotification(int pid);

  // mq_curmsgs.
  int64_t curmsgs();
  // The line read(2) gives: QSIZE (bytes queued), NOTIFY, SIGNO, NOTIFY_PID.
  std::string StatusLine();
  // POLLIN when a message is queued, POLLOUT when there is room.
  uint32_t Readiness(uint32_t mask);
  vfs::WaitQueue* events() { return &events_; }

  // The queue's inode: fstat(2), and mq_unlink (nlink 0).
  abi_linux::Stat Stat();
  void set_unlinked();

 private:
  struct Registration {
    int pid;
    int notify;  // SIGEV_SIGNAL or SIGEV_NONE
    int signo;
    abi_linux::Sigval value;
  };
  // A receiver blocked on the empty queue, handed a message by a sender.
  struct WaitingReceiver {
    std::optional<Received> msg;
  };
  // A sender blocked on the full queue; done once a receiver has queued
  // its message.
  struct WaitingSender {
    Received msg;
    bool done = false;
  };

  void InsertLocked(Received m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Received TakeLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void TouchLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Attrs attrs_;  // mode, uid and gid as made (mode_, uid_, gid_ now)
  const std::shared_ptr<MqAccounting> acct_;
  const uint32_t charged_uid_;
  const uint64_t charged_bytes_;

  absl::Mutex mu_;
  // By priority, highest first; FIFO within one.
  std::map<uint32_t, std::deque<std::string>, std::greater<>> messages_ ABSL_GUARDED_BY(mu_);
  int64_t curmsgs_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t qsize_ ABSL_GUARDED_BY(mu_) = 0;  // bytes of all queued messages
  std::list<WaitingReceiver*> receivers_ ABSL_GUARDED_BY(mu_);
  std::list<WaitingSender*> senders_ ABSL_GUARDED_BY(mu_);
  std::optional<Registration> registration_ ABSL_GUARDED_BY(mu_);
  bool unlinked_ ABSL_GUARDED_BY(mu_) = false;
  uint32_t mode_ ABSL_GUARDED_BY(mu_), uid_ ABSL_GUARDED_BY(mu_), gid_ ABSL_GUARDED_BY(mu_);
  abi_linux::Timespec atime_ ABSL_GUARDED_BY(mu_), mtime_ ABSL_GUARDED_BY(mu_),
      ctime_ ABSL_GUARDED_BY(mu_);
  // Readiness changes (poll, select, epoll).
  vfs::WaitQueue events_;
};

// An open queue: mq_open's descriptor. read(2) gives the status line;
// the access mode decides who may send (writable) and receive (readable).
class MqueueFile : public vfs::FileDescription {
 public:
  MqueueFile(std::shared_ptr<MessageQueue> q, std::string name, int flags)
      : FileDescription(flags), queue_(std::move(q)), name_(std::move(name)) {}

  MessageQueue& queue() { return *queue_; }

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<int64_t> Seek(int64_t offset, int whence) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override { return queue_->Stat(); }
  uint32_t Readiness(uint32_t mask) override { return queue_->Readiness(mask); }
  vfs::WaitQueue* events() override { return queue_->events(); }
  // The queue's path in the mqueue file system, as /proc/pid/fd shows it.
  std::string Name() const override { return "/" + name_; }

 private:
  const std::shared_ptr<MessageQueue> queue_;
  const std::string name_;
  absl::Mutex mu_;
  int64_t pos_ ABSL_GUARDED_BY(mu_) = 0;
};

// close(2) by process `pid` of a descriptor for `f`: if `f` is a queue,
// pid's notification registration on it goes (Linux's mqueue flush). Any
// other file is left alone.
void FlushOnClose(vfs::FileDescription& f, int pid);

// The queues of one IPC namespace, by name (without the leading '/').
class Mqueues {
 public:
  explicit Mqueues(std::shared_ptr<const IpcLimits> limits);
  Mqueues(const Mqueues&) = delete;
  Mqueues& operator=(const Mqueues&) = delete;

  // mq_open(2): finds or creates (O_CREAT, O_EXCL; mode less the umask;
  // attr or the defaults, checked against the limits and the creator's
  // RLIMIT_MSGQUEUE) the queue and opens it with oflag's access mode and
  // O_NONBLOCK. Permission is checked when an existing queue is opened.
  util::ErrnoOr<std::shared_ptr<MqueueFile>> Open(Task& t, const std::string& name, int oflag,
                                                  uint32_t mode, const abi_linux::MqAttr* attr);
  // mq_unlink(2): the name goes; the queue lives on while open.
  util::ErrnoOrVoid Unlink(Task& t, const std::string& name);
  // A process has exited: its notification registrations go.
  void ProcessExited(int pid);

  // ---- For the mqueue file system ----
  // The queue called `name`, or nullptr.
  std::shared_ptr<MessageQueue> Find(const std::string& name);
  // Every queue, by name.
  std::map<std::string, std::shared_ptr<MessageQueue>> List();
  // What a new queue is made with: its inode's mode (permission bits,
  // umask applied) and owner, its attributes (nullptr: the namespace's
  // defaults), and what its creator may do.
  struct NewQueue {
    uint32_t mode = 0, uid = 0, gid = 0;
    const abi_linux::MqAttr* attr = nullptr;
    uint32_t charged_uid = 0;  // whose RLIMIT_MSGQUEUE pays (the real uid)
    uint64_t msgqueue_limit = ~uint64_t{0};  // that RLIMIT_MSGQUEUE
    bool sys_resource = false;  // CAP_SYS_RESOURCE: past the namespace's limits
  };
  // Makes queue `name` (EEXIST if it exists), with Linux's checks in its
  // order: the namespace's queue count (ENOSPC), the attributes (EINVAL),
  // the creator's RLIMIT_MSGQUEUE (EMFILE).
  util::ErrnoOr<std::shared_ptr<MessageQueue>> Create(const std::string& name,
                                                      const NewQueue& args);
  // Removes the name `name` if it still names `q` (ENOENT otherwise);
  // permission is the caller's to check.
  util::ErrnoOrVoid Remove(const std::string& name, const MessageQueue* q);
  // The device number of every queue's inode.
  uint64_t dev() const { return dev_; }

 private:
  // EACCES for what cannot be a single path component, ENAMETOOLONG
  // beyond NAME_MAX.
  static util::ErrnoOrVoid CheckName(const std::string& name);
  util::ErrnoOr<std::shared_ptr<MessageQueue>> CreateLocked(const std::string& name,
                                                            const NewQueue& args)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::shared_ptr<const IpcLimits> limits_;
  const std::shared_ptr<MqAccounting> acct_;
  const uint64_t dev_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<MessageQueue>> names_ ABSL_GUARDED_BY(mu_);
  uint64_t next_ino_ ABSL_GUARDED_BY(mu_) = 2;  // 1 is the mqueue root's
};

}  // namespace sentry::kernel::ipc

#endif  // SENTRY_KERNEL_IPC_MQUEUE_H_
