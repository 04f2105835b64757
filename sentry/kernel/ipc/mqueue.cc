#include "sentry/kernel/ipc/mqueue.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

#include "abi/linux/capability.h"
#include "abi/linux/limits.h"
#include "abi/linux/resource.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/vfs/blocking.h"
#include "sentry/vfs/vfs.h"

namespace sentry::kernel::ipc {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

// What Linux charges to RLIMIT_MSGQUEUE for a queue (mqueue_get_inode):
// the message bytes plus one struct msg_msg per message and one tree node
// per possible priority in use (48 bytes each on x86-64).
constexpr uint64_t kMsgMsgSize = 48;
constexpr uint64_t kTreeNodeSize = 48;

L::Timespec Now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return {ts.tv_sec, ts.tv_nsec};
}

}  // namespace

// ---- MessageQueue ----

MessageQueue::MessageQueue(const Attrs& a, std::shared_ptr<MqAccounting> acct, uint32_t charged_uid,
                           uint64_t bytes)
    : attrs_(a), acct_(std::move(acct)), charged_uid_(charged_uid), charged_bytes_(bytes) {
  atime_ = mtime_ = ctime_ = Now();
  mode_ = a.mode;
  uid_ = a.uid;
  gid_ = a.gid;
  absl::MutexLock l(&acct_->mu);
  acct_->live.insert(this);
}

MessageQueue::~MessageQueue() {
  absl::MutexLock l(&acct_->mu);
  acct_->live.erase(this);
  acct_->queues--;
  auto it = acct_->bytes_by_uid.find(charged_uid_);
  if (it != acct_->bytes_by_uid.end()) {
    it->second -= std::min(it->second, charged_bytes_);
    if (it->second == 0) acct_->bytes_by_uid.erase(it);
  }
}

void MessageQueue::InsertLocked(Received m) {
  qsize_ += m.text.size();
  curmsgs_++;
  messages_[m.prio].push_back(std::move(m.text));
}

MessageQueue::Received MessageQueue::TakeLocked() {
  auto it = messages_.begin();
  Received m{std::move(it->second.front()), it->first};
  it->second.pop_front();
  if (it->second.empty()) messages_.erase(it);
  qsize_ -= m.text.size();
  curmsgs_--;
  return m;
}

void MessageQueue::TouchLocked() { atime_ = mtime_ = ctime_ = Now(); }

ErrnoOrVoid MessageQueue::Send(Task& t, std::string text, uint32_t prio, bool nonblock,
                               absl::Time deadline) {
  std::optional<Registration> fire;
  {
    absl::MutexLock l(&mu_);
    if (curmsgs_ >= attrs_.maxmsg) {
      if (nonblock) return Errno(EAGAIN);
      WaitingSender self{{std::move(text), prio}};
      senders_.push_back(&self);
      int err = vfs::WaitLocked(
          mu_, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return self.done; }, deadline);
      if (!self.done) {
        senders_.remove(&self);
        return Errno(err == EAGAIN ? ETIMEDOUT : EINTR);
      }
      // The receiver that made room queued the message and told pollers.
      return {};
    }
    TouchLocked();
    if (!receivers_.empty()) {
      // Straight to the receiver that has waited longest: the queue stays
      // empty, and no one is notified (a receiver was waiting).
      WaitingReceiver* r = receivers_.front();
      receivers_.pop_front();
      r->msg = Received{std::move(text), prio};
    } else {
      InsertLocked({std::move(text), prio});
      // A registration fires, once, when the queue becomes non-empty.
      if (curmsgs_ == 1 && registration_) {
        fire = registration_;
        registration_.reset();
      }
    }
  }
  events_.Notify(POLLIN | POLLRDNORM);
  if (fire && fire->notify == L::kSIGEV_SIGNAL && fire->signo != 0) {
    // Sent by the kernel on the sender's behalf: no permission check.
    if (ThreadGroup* tg = t.kernel().ThreadGroupByPid(fire->pid)) {
      L::Siginfo info{};
      info.si_signo = fire->signo;
      info.si_code = L::kSI_MESGQ;
      info.SetPid(t.thread_group().pid());
      info.SetUid(t.creds().ruid);
      info.SetValue(fire->value);
      tg->SendSignal(info);
    }
  }
  return {};
}

ErrnoOr<MessageQueue::Received> MessageQueue::Receive(bool nonblock, absl::Time deadline) {
  Received m;
  {
    absl::MutexLock l(&mu_);
    if (curmsgs_ == 0) {
      if (nonblock) return Errno(EAGAIN);
      WaitingReceiver self;
      receivers_.push_back(&self);
      int err = vfs::WaitLocked(
          mu_, [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return self.msg.has_value(); }, deadline);
      if (!self.msg) {
        receivers_.remove(&self);
        return Errno(err == EAGAIN ? ETIMEDOUT : EINTR);
      }
      return std::move(*self.msg);
    }
    m = TakeLocked();
    TouchLocked();
    if (!senders_.empty()) {
      // The room goes to the sender that has waited longest; the queue
      // stays full.
      WaitingSender* s = senders_.front();
      senders_.pop_front();
      InsertLocked(std::move(s->msg));
      s->done = true;
    }
  }
  events_.Notify(POLLOUT | POLLWRNORM);
  return m;
}

ErrnoOrVoid MessageQueue::Notify(int pid, const L::SigEvent* ev) {
  absl::MutexLock l(&mu_);
  if (ev == nullptr) {
    // Only the owner's removal counts; anyone else's is ignored.
    if (registration_ && registration_->pid == pid) {
      registration_.reset();
      atime_ = ctime_ = Now();
    }
    return {};
  }
  if (registration_) return Errno(EBUSY);
  Registration r{pid, ev->sigev_notify, 0, {}};
  if (ev->sigev_notify == L::kSIGEV_SIGNAL) {
    r.signo = ev->sigev_signo;
    r.value = ev->sigev_value;
  }
  registration_ = r;
  atime_ = ctime_ = Now();
  return {};
}

void MessageQueue::DropNotification(int pid) {
  absl::MutexLock l(&mu_);
  if (registration_ && registration_->pid == pid) registration_.reset();
}

int64_t MessageQueue::curmsgs() {
  absl::MutexLock l(&mu_);
  return curmsgs_;
}

std::string MessageQueue::StatusLine() {
  absl::MutexLock l(&mu_);
  const bool reg = registration_.has_value();
  char buf[L::kMqueueFilentSize];
  snprintf(buf, sizeof(buf), "QSIZE:%-10llu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
           static_cast<unsigned long long>(qsize_), reg ? registration_->notify : 0,
           reg && registration_->notify == L::kSIGEV_SIGNAL ? registration_->signo : 0,
           reg ? registration_->pid : 0);
  return buf;
}

uint32_t MessageQueue::Readiness(uint32_t mask) {
  absl::MutexLock l(&mu_);
  uint32_t r = 0;
  if (curmsgs_ > 0) r |= POLLIN | POLLRDNORM;
  if (curmsgs_ < attrs_.maxmsg) r |= POLLOUT | POLLWRNORM;
  return r & mask;
}

L::Stat MessageQueue::Stat() {
  absl::MutexLock l(&mu_);
  L::Stat st{};
  st.st_dev = attrs_.dev;
  st.st_ino = attrs_.ino;
  st.st_mode = S_IFREG | mode_;
  st.st_nlink = unlinked_ ? 0 : 1;
  st.st_uid = uid_;
  st.st_gid = gid_;
  st.st_size = L::kMqueueFilentSize;
  st.st_blksize = 4096;
  st.st_atim = atime_;
  st.st_mtim = mtime_;
  st.st_ctim = ctime_;
  return st;
}

uint32_t MessageQueue::mode() {
  absl::MutexLock l(&mu_);
  return mode_;
}

uint32_t MessageQueue::uid() {
  absl::MutexLock l(&mu_);
  return uid_;
}

uint32_t MessageQueue::gid() {
  absl::MutexLock l(&mu_);
  return gid_;
}

void MessageQueue::SetAttrs(uint32_t mask, uint32_t mode, uint32_t uid, uint32_t gid,
                            const L::Timespec& atime, const L::Timespec& mtime) {
  absl::MutexLock l(&mu_);
  if (mask & vfs::SetAttrArgs::kMode) mode_ = mode & 07777;
  if (mask & vfs::SetAttrArgs::kUid) uid_ = uid;
  if (mask & vfs::SetAttrArgs::kGid) gid_ = gid;
  if (mask & vfs::SetAttrArgs::kAtime) atime_ = atime;
  if (mask & vfs::SetAttrArgs::kMtime) mtime_ = mtime;
  ctime_ = Now();
}

void MessageQueue::set_unlinked() {
  absl::MutexLock l(&mu_);
  unlinked_ = true;
  ctime_ = Now();
}

// ---- MqueueFile ----

ErrnoOr<size_t> MqueueFile::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  const std::string line = queue_->StatusLine();
  absl::MutexLock l(&mu_);
  uint64_t pos = offset >= 0 ? static_cast<uint64_t>(offset) : static_cast<uint64_t>(pos_);
  ASSIGN_OR_RETURN_ERRNO(size_t done, vfs::CopyOutFrom(mm, dst, line, pos));
  if (offset < 0) pos_ = static_cast<int64_t>(pos + done);
  return done;
}

ErrnoOr<int64_t> MqueueFile::Seek(int64_t offset, int whence) {
  absl::MutexLock l(&mu_);
  int64_t base;
  switch (whence) {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = pos_;
      break;
    case SEEK_END:
      base = L::kMqueueFilentSize;  // i_size
      break;
    default:
      return Errno(EINVAL);
  }
  if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return Errno(EINVAL);
  pos_ = base + offset;
  return pos_;
}

void FlushOnClose(vfs::FileDescription& f, int pid) {
  if (auto* mq = dynamic_cast<MqueueFile*>(&f)) mq->queue().DropNotification(pid);
}

// ---- Mqueues ----

Mqueues::Mqueues(std::shared_ptr<const IpcLimits> limits)
    : limits_(std::move(limits)),
      acct_(std::make_shared<MqAccounting>()),
      dev_(vfs::Filesystem::NewAnonDev()) {}

ErrnoOrVoid Mqueues::CheckName(const std::string& name) {
  // Linux looks the name up as one component of the mqueue root.
  if (name.empty() || name == "." || name == "..") return Errno(EACCES);
  if (name.find('/') != std::string::npos) return Errno(EACCES);
  if (name.size() > static_cast<size_t>(L::kNAME_MAX)) return Errno(ENAMETOOLONG);
  return {};
}

ErrnoOr<std::shared_ptr<MqueueFile>> Mqueues::Open(Task& t, const std::string& name, int oflag,
                                                   uint32_t mode, const L::MqAttr* attr) {
  RETURN_IF_ERRNO(CheckName(name));
  const auth::Credentials c = t.creds();
  // The file's flags: the access mode and O_NONBLOCK (mq_getsetattr's
  // one flag); O_CREAT and the like are not kept.
  const int file_flags = oflag & (O_ACCMODE | O_NONBLOCK);
  absl::MutexLock l(&mu_);
  auto it = names_.find(name);
  if (it != names_.end()) {
    if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) return Errno(EEXIST);
    if ((oflag & O_ACCMODE) == O_ACCMODE) return Errno(EINVAL);
    MessageQueue& q = *it->second;
    int acc = (oflag & O_ACCMODE) == O_RDONLY   ? vfs::kMayRead
              : (oflag & O_ACCMODE) == O_WRONLY ? vfs::kMayWrite
                                                : vfs::kMayRead | vfs::kMayWrite;
    RETURN_IF_ERRNO(vfs::GenericPermission(c, S_IFREG | q.mode(), q.uid(), q.gid(), acc));
    return std::make_shared<MqueueFile>(it->second, name, file_flags);
  }
  if (!(oflag & O_CREAT)) return Errno(ENOENT);
  NewQueue args;
  args.mode = mode & ~t.umask() & 07777;
  args.uid = c.fsuid;
  args.gid = c.fsgid;
  args.attr = attr;
  args.charged_uid = c.ruid;
  args.msgqueue_limit = t.thread_group().rlimit(L::kRLIMIT_MSGQUEUE).rlim_cur;
  args.sys_resource = c.HasCapability(L::kCAP_SYS_RESOURCE);
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<MessageQueue> q, CreateLocked(name, args));
  // The creator gets its access mode whatever the queue's mode says.
  return std::make_shared<MqueueFile>(std::move(q), name, file_flags);
}

ErrnoOr<std::shared_ptr<MessageQueue>> Mqueues::Create(const std::string& name,
                                                       const NewQueue& args) {
  RETURN_IF_ERRNO(CheckName(name));
  absl::MutexLock l(&mu_);
  if (names_.count(name)) return Errno(EEXIST);
  return CreateLocked(name, args);
}

ErrnoOr<std::shared_ptr<MessageQueue>> Mqueues::CreateLocked(const std::string& name,
                                                             const NewQueue& args) {
  // Linux's order (mqueue_get_inode, mq_attr_ok): the namespace's queue
  // count, the attributes, then the creator's RLIMIT_MSGQUEUE.
  const IpcLimits& lim = *limits_;
  const int64_t msg_max = lim.mq_msg_max.load(), msgsize_max = lim.mq_msgsize_max.load();
  MessageQueue::Attrs a;
  a.maxmsg = std::min<int64_t>(msg_max, lim.mq_msg_default.load());
  a.msgsize = std::min<int64_t>(msgsize_max, lim.mq_msgsize_default.load());
  if (args.attr != nullptr) {
    a.maxmsg = args.attr->mq_maxmsg;
    a.msgsize = args.attr->mq_msgsize;
  }
  uint64_t bytes;
  {
    absl::MutexLock al(&acct_->mu);
    if (acct_->queues >= lim.mq_queues_max.load() && !args.sys_resource) return Errno(ENOSPC);
    if (args.attr != nullptr) {
      if (a.maxmsg <= 0 || a.msgsize <= 0) return Errno(EINVAL);
      if (args.sys_resource ? (a.maxmsg > L::kHARD_MSGMAX || a.msgsize > L::kHARD_MSGSIZEMAX)
                            : (a.maxmsg > msg_max || a.msgsize > msgsize_max)) {
        return Errno(EINVAL);
      }
    }
    // Both are at most the hard limits here, so nothing overflows.
    const uint64_t maxmsg = static_cast<uint64_t>(a.maxmsg);
    bytes = maxmsg * static_cast<uint64_t>(a.msgsize) + maxmsg * kMsgMsgSize +
            std::min<uint64_t>(maxmsg, L::kMQ_PRIO_MAX) * kTreeNodeSize;
    uint64_t& used = acct_->bytes_by_uid[args.charged_uid];
    if (used + bytes > args.msgqueue_limit) {
      if (used == 0) acct_->bytes_by_uid.erase(args.charged_uid);
      return Errno(EMFILE);
    }
    used += bytes;
    acct_->queues++;
  }
  a.mode = args.mode & 07777;
  a.uid = args.uid;
  a.gid = args.gid;
  a.dev = dev_;
  a.ino = next_ino_++;
  // Charged above; the queue gives it back when it goes.
  auto q = std::make_shared<MessageQueue>(a, acct_, args.charged_uid, bytes);
  names_[name] = q;
  return q;
}

ErrnoOrVoid Mqueues::Unlink(Task& t, const std::string& name) {
  RETURN_IF_ERRNO(CheckName(name));
  const auth::Credentials c = t.creds();
  std::shared_ptr<MessageQueue> q;
  {
    absl::MutexLock l(&mu_);
    auto it = names_.find(name);
    if (it == names_.end()) return Errno(ENOENT);
    // The mqueue root is root's, mode 01777: anyone may unlink, but the
    // sticky bit keeps other users' queues (EPERM).
    if (c.fsuid != it->second->uid() && c.fsuid != 0 && !c.HasCapability(L::kCAP_FOWNER)) {
      return Errno(EPERM);
    }
    q = std::move(it->second);
    names_.erase(it);
  }
  q->set_unlinked();
  return {};
}

std::shared_ptr<MessageQueue> Mqueues::Find(const std::string& name) {
  absl::MutexLock l(&mu_);
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : it->second;
}

std::map<std::string, std::shared_ptr<MessageQueue>> Mqueues::List() {
  absl::MutexLock l(&mu_);
  return names_;
}

ErrnoOrVoid Mqueues::Remove(const std::string& name, const MessageQueue* q) {
  std::shared_ptr<MessageQueue> gone;
  {
    absl::MutexLock l(&mu_);
    auto it = names_.find(name);
    if (it == names_.end() || it->second.get() != q) return Errno(ENOENT);
    gone = std::move(it->second);
    names_.erase(it);
  }
  gone->set_unlinked();
  return {};
}

void Mqueues::ProcessExited(int pid) {
  absl::MutexLock l(&acct_->mu);
  for (MessageQueue* q : acct_->live) q->DropNotification(pid);
}

}  // namespace sentry::kernel::ipc
