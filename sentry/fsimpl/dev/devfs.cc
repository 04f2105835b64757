#include "sentry/fsimpl/dev/devfs.h"

#include "abi/linux/statfs.h"
#include "sentry/fsimpl/dev/devices.h"
#include "sentry/vfs/device.h"

namespace sentry::fsimpl::dev {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {
constexpr uint32_t kIfMt = 0170000, kIfDir = 0040000, kIfChr = 0020000, kIfBlk = 0060000,
                   kIfReg = 0100000;
constexpr uint32_t kRenameNoReplace = 1, kRenameExchange = 2;
}  // namespace

ErrnoOr<vfs::StatFs> DevFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = static_cast<uint64_t>(abi_linux::kTMPFS_MAGIC);
  return s;
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> DeviceNode::Open(vfs::Context& ctx, int flags) {
  if (type() == kIfBlk) return Errno(ENXIO);  // no block devices
  return vfs::OpenCharDevice(ctx, rdev_, flags);
}

ErrnoOr<std::shared_ptr<vfs::Inode>> DevDir::Create(vfs::Context&, const std::string& name,
                                                    const vfs::CreateArgs& args) {
  std::shared_ptr<kernfs::Node> node;
  switch (args.mode & kIfMt) {
    case kIfDir:
      node = std::make_shared<DevDir>(fs(), args.mode & 07777);
      break;
    case kIfChr:
    case kIfBlk:
      node = std::make_shared<DeviceNode>(fs(), args.mode, args.rdev);
      break;
    case kIfReg:
      // Regular files need file data, which devfs does not keep (Linux
      // answers EACCES for a directory without ->create).
      return Errno(EACCES);
    default:
      return Errno(EPERM);  // fifos and sockets: no ->mknod for them
  }
  node->set_owner(args.uid, args.gid);
  Add(name, node);
  Touch(/*mtime=*/true);
  return std::shared_ptr<vfs::Inode>(node);
}

ErrnoOr<std::shared_ptr<vfs::Inode>> DevDir::Symlink(vfs::Context&, const std::string& name,
                                                     const std::string& target, uint32_t uid,
                                                     uint32_t gid) {
  auto link = std::make_shared<kernfs::Symlink>(fs(), target);
  link->set_owner(uid, gid);
  Add(name, link);
  Touch(/*mtime=*/true);
  return std::shared_ptr<vfs::Inode>(link);
}

ErrnoOrVoid DevDir::Unlink(vfs::Context&, const std::string& name, vfs::Inode& child) {
  if (child.is_dir()) return Errno(EISDIR);
  if (Child(name).get() != &child) return Errno(ENOENT);
  Remove(name);
  Touch(/*mtime=*/true);
  return {};
}

ErrnoOrVoid DevDir::Rmdir(vfs::Context&, const std::string& name, vfs::Inode& child) {
  auto* dir = dynamic_cast<DevDir*>(&child);
  if (dir == nullptr) return Errno(ENOTDIR);
  if (Child(name).get() != &child) return Errno(ENOENT);
  if (!dir->Empty()) return Errno(ENOTEMPTY);
  Remove(name);
  Touch(/*mtime=*/true);
  return {};
}

ErrnoOrVoid DevDir::Rename(vfs::Context&, const std::string& name, vfs::Inode& child,
                           vfs::Inode& new_dir, const std::string& new_name, vfs::Inode* replaced,
                           uint32_t flags) {
  auto* dst = dynamic_cast<DevDir*>(&new_dir);
  if (dst == nullptr) return Errno(EXDEV);
  std::shared_ptr<vfs::Inode> moving = Child(name);
  if (moving.get() != &child) return Errno(ENOENT);
  std::shared_ptr<vfs::Inode> other = dst->Child(new_name);
  if (other.get() != replaced) return Errno(ENOENT);
  if ((flags & kRenameNoReplace) && other) return Errno(EEXIST);
  if (flags & kRenameExchange) {
    if (!other) return Errno(ENOENT);
    dst->Add(new_name, moving);
    Add(name, other);
  } else {
    if (other) {
      if (auto* od = dynamic_cast<DevDir*>(other.get()); od != nullptr && !od->Empty()) {
        return Errno(ENOTEMPTY);
      }
    }
    Remove(name);
    dst->Add(new_name, moving);
  }
  Touch(/*mtime=*/true);
  if (dst != this) dst->Touch(/*mtime=*/true);
  return {};
}

std::shared_ptr<vfs::Inode> NewDevRoot(DevFilesystem& fs) {
  auto root = std::make_shared<DevDir>(fs, 0755);
  for (const DeviceNumber& d : kDevices) {
    root->Add(d.name,
              std::make_shared<DeviceNode>(fs, kIfChr | d.mode, vfs::MakeDev(d.major, d.minor)));
  }
  root->Add("fd", std::make_shared<kernfs::Symlink>(fs, "/proc/self/fd"));
  root->Add("stdin", std::make_shared<kernfs::Symlink>(fs, "/proc/self/fd/0"));
  root->Add("stdout", std::make_shared<kernfs::Symlink>(fs, "/proc/self/fd/1"));
  root->Add("stderr", std::make_shared<kernfs::Symlink>(fs, "/proc/self/fd/2"));
  root->Add("shm", std::make_shared<DevDir>(fs, 01777));
  root->Add("pts", std::make_shared<DevDir>(fs, 0755));
  return root;
}

}  // namespace sentry::fsimpl::dev
