// devfs: the sandbox's /dev. A small in-memory tree (directories, device
// nodes and symlinks can be made and removed, as on Linux's devtmpfs;
// regular files cannot) that starts with the devices the sentry implements
// (null, zero, full, random, urandom, tty), the fd/stdin/stdout/stderr
// links into /proc/self/fd, and empty shm/ and pts/ directories for the
// tmpfs and devpts mounted over them.
//
//   dev::RegisterDevices();
//   auto fs = std::make_shared<dev::DevFilesystem>();
//   std::shared_ptr<vfs::Inode> root = dev::NewDevRoot(*fs);
//   vfs.MountAt(dev_dir, fs, root, kMountNoSuid | kMountNoExec, "devtmpfs", "mode=755");
#ifndef SENTRY_FSIMPL_DEV_DEVFS_H_
#define SENTRY_FSIMPL_DEV_DEVFS_H_

#include <memory>
#include <string>

#include "sentry/fsimpl/sys/kernfs.h"
#include "sentry/vfs/vfs.h"

namespace sentry::fsimpl::dev {

class DevFilesystem : public vfs::Filesystem {
 public:
  DevFilesystem() : Filesystem("devtmpfs", NewAnonDev()) {}
  util::ErrnoOr<vfs::StatFs> Statfs() override;
};

// The root directory of a new devfs, populated as described above.
std::shared_ptr<vfs::Inode> NewDevRoot(DevFilesystem& fs);

// A device node: opening it opens the sentry's device with its number.
class DeviceNode : public kernfs::Node {
 public:
  DeviceNode(vfs::Filesystem& fs, uint32_t mode, uint64_t rdev) : Node(fs, mode), rdev_(rdev) {
    set_attrs_settable(true);
  }
  util::ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

 protected:
  uint64_t Rdev() override { return rdev_; }

 private:
  const uint64_t rdev_;
};

// A devfs directory: kernfs::Dir plus the operations that make and remove
// names.
class DevDir : public kernfs::Dir {
 public:
  DevDir(vfs::Filesystem& fs, uint32_t mode) : Dir(fs, mode) { set_attrs_settable(true); }

  util::ErrnoOr<std::shared_ptr<vfs::Inode>> Create(vfs::Context& ctx, const std::string& name,
                                                    const vfs::CreateArgs& args) override;
  util::ErrnoOr<std::shared_ptr<vfs::Inode>> Symlink(vfs::Context& ctx, const std::string& name,
                                                     const std::string& target, uint32_t uid,
                                                     uint32_t gid) override;
  util::ErrnoOrVoid Unlink(vfs::Context& ctx, const std::string& name, vfs::Inode& child) override;
  util::ErrnoOrVoid Rmdir(vfs::Context& ctx, const std::string& name, vfs::Inode& child) override;
  util::ErrnoOrVoid Rename(vfs::Context& ctx, const std::string& name, vfs::Inode& child,
                           vfs::Inode& new_dir, const std::string& new_name, vfs::Inode* replaced,
                           uint32_t flags) override;
};

}  // namespace sentry::fsimpl::dev

#endif  // SENTRY_FSIMPL_DEV_DEVFS_H_
