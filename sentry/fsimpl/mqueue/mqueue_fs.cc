#include "sentry/fsimpl/mqueue/mqueue_fs.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "abi/linux/capability.h"
#include "abi/linux/dirent.h"
#include "abi/linux/resource.h"
#include "sentry/fsimpl/sys/kernfs.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/vfs/dir_file.h"

namespace sentry::fsimpl::mqueue {

namespace L = abi_linux;
using kernel::ipc::MessageQueue;
using kernel::ipc::MqueueFile;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

// A queue as a file.
class QueueInode : public vfs::Inode {
 public:
  QueueInode(vfs::Filesystem& fs, std::string name, std::shared_ptr<MessageQueue> q)
      : Inode(fs, S_IFREG), name_(std::move(name)), queue_(std::move(q)) {}

  const MessageQueue* queue() const { return queue_.get(); }

  ErrnoOr<L::Stat> Stat() override { return queue_->Stat(); }

  // chmod, chown and utimensat (checked by the VFS); a size change (O_TRUNC)
  // has nothing to cut.
  ErrnoOrVoid SetAttr(vfs::Context&, const vfs::SetAttrArgs& args) override {
    using A = vfs::SetAttrArgs;
    if (args.mask & (A::kMode | A::kUid | A::kGid | A::kAtime | A::kMtime | A::kCtime)) {
      queue_->SetAttrs(args.mask, args.mode, args.uid, args.gid, args.atime, args.mtime);
    }
    return {};
  }

  // The descriptor open(2) gives is a queue descriptor, as mq_open's is.
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context&, int flags) override {
    return std::shared_ptr<vfs::FileDescription>(
        std::make_shared<MqueueFile>(queue_, name_, flags));
  }

 private:
  const std::string name_;
  const std::shared_ptr<MessageQueue> queue_;
};

// The directory of queues: root's, mode 01777 (anyone may make a queue;
// only its owner or root may remove it).
class RootDir : public kernfs::Node {
 public:
  explicit RootDir(MqueueFilesystem& fs) : Node(fs, S_IFDIR | 01777, 1), fs_(fs) {}

  bool CacheChildren() const override { return false; }

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context&, const std::string& name) override {
    std::shared_ptr<MessageQueue> q = fs_.queues().Find(name);
    if (q == nullptr) return Errno(ENOENT);
    return fs_.InodeFor(name, q);
  }

  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context&) override {
    std::vector<vfs::Dirent> out;
    for (const auto& [name, q] : fs_.queues().List()) {
      out.push_back(vfs::Dirent{name, q->Stat().st_ino, L::kDT_REG});
    }
    return out;
  }

  // open(2) with O_CREAT (and mknod of a regular file): a queue with the
  // namespace's default attributes. Nothing else can be made here.
  ErrnoOr<std::shared_ptr<vfs::Inode>> Create(vfs::Context& ctx, const std::string& name,
                                              const vfs::CreateArgs& args) override {
    if ((args.mode & S_IFMT) != S_IFREG) return Errno(EPERM);
    const auth::Credentials c = ctx.creds();
    kernel::ipc::Mqueues::NewQueue nq;
    nq.mode = args.mode & 07777;
    // The creator's fsuid and fsgid, as mq_open's queues get them (the
    // directory is never set-group-ID).
    nq.uid = c.fsuid;
    nq.gid = c.fsgid;
    nq.charged_uid = c.ruid;
    nq.sys_resource = c.HasCapability(L::kCAP_SYS_RESOURCE);
    if (auto* t = dynamic_cast<kernel::Task*>(&ctx)) {
      nq.msgqueue_limit = t->thread_group().rlimit(L::kRLIMIT_MSGQUEUE).rlim_cur;
    }
    ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<MessageQueue> q, fs_.queues().Create(name, nq));
    Touch(/*mtime=*/true);
    return fs_.InodeFor(name, q);
  }

  ErrnoOrVoid Unlink(vfs::Context&, const std::string& name, vfs::Inode& child) override {
    auto* qi = dynamic_cast<QueueInode*>(&child);
    if (qi == nullptr) return Errno(ENOENT);
    RETURN_IF_ERRNO(fs_.queues().Remove(name, qi->queue()));
    Touch(/*mtime=*/true);
    return {};
  }

  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context&, int flags) override {
    if ((flags & O_ACCMODE) != O_RDONLY) return Errno(EISDIR);
    return std::shared_ptr<vfs::FileDescription>(std::make_shared<vfs::DirectoryFile>(flags));
  }

 protected:
  uint64_t Nlink() override { return 2; }

 private:
  MqueueFilesystem& fs_;
};

}  // namespace

MqueueFilesystem::MqueueFilesystem(kernel::ipc::Mqueues& queues)
    : Filesystem("mqueue", queues.dev()), queues_(queues), root_(std::make_shared<RootDir>(*this)) {}

ErrnoOr<vfs::StatFs> MqueueFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = kMqueueMagic;
  s.bsize = 4096;
  s.frsize = 4096;
  return s;
}

std::shared_ptr<vfs::Inode> MqueueFilesystem::InodeFor(const std::string& name,
                                                       const std::shared_ptr<MessageQueue>& q) {
  absl::MutexLock l(&mu_);
  for (auto it = inodes_.begin(); it != inodes_.end();) {
    it = it->second.expired() ? inodes_.erase(it) : std::next(it);
  }
  if (auto it = inodes_.find(q.get()); it != inodes_.end()) {
    if (std::shared_ptr<vfs::Inode> in = it->second.lock()) return in;
  }
  auto in = std::make_shared<QueueInode>(*this, name, q);
  inodes_[q.get()] = in;
  return in;
}

}  // namespace sentry::fsimpl::mqueue
