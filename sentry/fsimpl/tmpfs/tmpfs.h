// tmpfs: a file system kept in sentry memory. Directories, symlinks and
// special files live in the sentry's heap; regular files keep their data in
// the memory file, one 4 KiB page at a time, so MAP_SHARED mappings and
// read(2)/write(2) see the same bytes (see regular_file.h).
//
//   auto fs = std::make_shared<tmpfs::TmpfsFilesystem>(memory_file,
//                                                      tmpfs::TmpfsOptions{.mode = 01777});
//   std::shared_ptr<vfs::Inode> root = tmpfs::NewRoot(*fs);
//   vfs.MountAt(at, fs, root, 0, "tmpfs", "mode=1777");
//
// Lock order: TmpfsFilesystem::rename_mu_, then directory inodes' mu_ (two
// directories in address order), then RegularFile::io_mu_, then any
// inode's mu_ (never two non-directories at once), then
// MemoryManager::mu_ and MemoryFile::mu_. A directory's mu_ is never held
// while taking a child's.
#ifndef SENTRY_FSIMPL_TMPFS_TMPFS_H_
#define SENTRY_FSIMPL_TMPFS_TMPFS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "abi/linux/stat.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/mm/memory_file.h"
#include "sentry/vfs/vfs.h"
#include "util/errno.h"

namespace sentry::fsimpl::tmpfs {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

struct TmpfsOptions {
  uint32_t mode = 01777;  // the root directory's permission bits
  uint32_t uid = 0, gid = 0;
  // Bytes of file data the file system may hold (size=); 0 is unlimited.
  // Writes beyond it fail with ENOSPC.
  uint64_t size_limit = 0;
};

class TmpfsFilesystem : public vfs::Filesystem {
 public:
  TmpfsFilesystem(mm::MemoryFile& mf, TmpfsOptions opts = {});

  mm::MemoryFile& memory_file() const { return mf_; }
  const TmpfsOptions& options() const { return opts_; }
  ErrnoOr<vfs::StatFs> Statfs() override;

  // Page accounting against size_limit: ENOSPC when the pages do not fit.
  ErrnoOrVoid ReservePages(uint64_t n);
  void ReleasePages(uint64_t n);
  uint64_t pages_used() const { return pages_used_.load(); }

  // Serializes renames, so two renames never lock the same two
  // directories in opposite orders.
  absl::Mutex rename_mu_;

 private:
  mm::MemoryFile& mf_;
  const TmpfsOptions opts_;
  std::atomic<uint64_t> pages_used_{0};
};

// The root directory of a new tmpfs instance, with the options' mode and owner.
std::shared_ptr<vfs::Inode> NewRoot(TmpfsFilesystem& fs);

// The current time (CLOCK_REALTIME) as the kernel keeps timestamps.
abi_linux::Timespec Now();

// What every tmpfs inode has: attributes and extended attributes.
class TmpfsInode : public vfs::Inode {
 public:
  TmpfsInode(TmpfsFilesystem& fs, const vfs::CreateArgs& args);

  TmpfsFilesystem& tfs() const { return tfs_; }
  uint64_t ino() const { return ino_; }

  ErrnoOr<abi_linux::Stat> Stat() override;
  ErrnoOrVoid SetAttr(vfs::Context& ctx, const vfs::SetAttrArgs& args) override;

  // user.* and trusted.* attributes (values up to 64 KiB); other
  // namespaces are EOPNOTSUPP.
  ErrnoOr<std::string> GetXattr(vfs::Context& ctx, const std::string& name) override;
  ErrnoOrVoid SetXattr(vfs::Context& ctx, const std::string& name, const std::string& value,
                       int flags) override;
  ErrnoOr<std::vector<std::string>> ListXattr(vfs::Context& ctx) override;
  ErrnoOrVoid RemoveXattr(vfs::Context& ctx, const std::string& name) override;

  // Link count changes by directory operations; each also updates ctime.
  void IncLinks();
  void DecLinks();
  void ClearLinks();
  // Notes a change of the inode (ctime) or of its contents (mtime and ctime).
  void TouchCtime();
  void TouchMtimeCtime();
  // Notes a read (atime, with relatime's rule).
  void TouchAtime();

 protected:
  // Type-specific parts of Stat (size, blocks), filled with mu_ held.
  virtual void FillStatLocked(abi_linux::Stat& st) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { (void)st; }
  // Applies a size change (only regular files have one).
  virtual ErrnoOrVoid SetSize(uint64_t size);

  TmpfsFilesystem& tfs_;
  const uint64_t ino_;
  const uint64_t rdev_;
  mutable absl::Mutex mu_;
  uint32_t mode_ ABSL_GUARDED_BY(mu_);  // permission bits (07777)
  uint32_t uid_ ABSL_GUARDED_BY(mu_);
  uint32_t gid_ ABSL_GUARDED_BY(mu_);
  uint64_t nlink_ ABSL_GUARDED_BY(mu_);
  abi_linux::Timespec atime_ ABSL_GUARDED_BY(mu_);
  abi_linux::Timespec mtime_ ABSL_GUARDED_BY(mu_);
  abi_linux::Timespec ctime_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> xattrs_ ABSL_GUARDED_BY(mu_);
};

class Directory : public TmpfsInode {
 public:
  Directory(TmpfsFilesystem& fs, const vfs::CreateArgs& args);

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context& ctx, const std::string& name) override;
  ErrnoOr<std::shared_ptr<vfs::Inode>> Create(vfs::Context& ctx, const std::string& name,
                                              const vfs::CreateArgs& args) override;
  ErrnoOr<std::shared_ptr<vfs::Inode>> Symlink(vfs::Context& ctx, const std::string& name,
                                               const std::string& target, uint32_t uid,
                                               uint32_t gid) override;
  ErrnoOrVoid Link(vfs::Context& ctx, const std::string& name,
                   const std::shared_ptr<vfs::Inode>& target) override;
  ErrnoOrVoid Unlink(vfs::Context& ctx, const std::string& name, vfs::Inode& child) override;
  ErrnoOrVoid Rmdir(vfs::Context& ctx, const std::string& name, vfs::Inode& child) override;
  ErrnoOrVoid Rename(vfs::Context& ctx, const std::string& name, vfs::Inode& child,
                     vfs::Inode& new_dir, const std::string& new_name, vfs::Inode* replaced,
                     uint32_t flags) override;
  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context& ctx) override;
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

  bool Empty();

 protected:
  void FillStatLocked(abi_linux::Stat& st) override ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ErrnoOrVoid SetSize(uint64_t size) override;

 private:
  // Adds a new child (EEXIST if the name is taken).
  ErrnoOr<std::shared_ptr<vfs::Inode>> AddChild(const std::string& name,
                                                std::shared_ptr<TmpfsInode> child);
  // The name changes of Rename, with both directories locked. Returns the
  // moved inode and the one replaced (or exchanged), if any.
  ErrnoOrVoid RenameLocked(const std::string& name, vfs::Inode& child, Directory& nd,
                           const std::string& new_name, vfs::Inode* replaced, uint32_t flags,
                           std::shared_ptr<TmpfsInode>* moved, std::shared_ptr<TmpfsInode>* victim)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_, nd.mu_);

  std::map<std::string, std::shared_ptr<TmpfsInode>> children_ ABSL_GUARDED_BY(mu_);
};

class SymlinkInode : public TmpfsInode {
 public:
  SymlinkInode(TmpfsFilesystem& fs, const vfs::CreateArgs& args, std::string target)
      : TmpfsInode(fs, args), target_(std::move(target)) {}
  ErrnoOr<std::string> Readlink(vfs::Context& ctx) override;

 protected:
  void FillStatLocked(abi_linux::Stat& st) override ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

 private:
  const std::string target_;
};

// FIFOs, sockets and device nodes: attributes only. A FIFO opens its one
// named pipe; a character device opens the sentry's device of that
// number; sockets and block devices cannot be opened (ENXIO), as on Linux.
class SpecialInode : public TmpfsInode {
 public:
  SpecialInode(TmpfsFilesystem& fs, const vfs::CreateArgs& args) : TmpfsInode(fs, args) {}
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

 private:
  pipe::NamedPipe pipe_;
};

}  // namespace sentry::fsimpl::tmpfs

#endif  // SENTRY_FSIMPL_TMPFS_TMPFS_H_
