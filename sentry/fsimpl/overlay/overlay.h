// overlay: Linux's overlayfs model. One writable upper layer (a tmpfs tree)
// over one read-only lower layer (any inode tree; in practice the gofer's
// view of the container image). What the guest sees:
//   - a name in the upper layer wins; a whiteout there (a character device
//     0:0, as Linux makes them) hides the lower name; an upper directory
//     with trusted.overlay.opaque="y" hides the lower directory's entries;
//   - otherwise the lower name shows, read-only in place: the first change
//     (open for writing, truncate, setattr, xattr change, link) copies it up
//     — parent directories first, with their modes, owners and times — and
//     the change goes to the copy;
//   - removing a name the lower layer has leaves a whiteout; mkdir over a
//     whiteout makes an opaque directory; rename of a directory that has
//     lower content fails with EXDEV (Linux without redirect_dir), files
//     rename fine (copied up first);
//   - readdir merges both layers minus whiteouts; stat shows the overlay's
//     st_dev and an inode number that survives copy-up.
//
// Requirements on the layers: the upper tree is tmpfs (copy-up writes file
// data with tmpfs::RegularFile::WriteAt and keeps its bookkeeping in
// trusted.overlay.* xattrs, which the guest never sees). Lower regular
// files must be readable from the sentry through mm::Mappable::ReadForMap:
// either the lower inode is itself an mm::Mappable, or a read-only open of
// it has a GetMappable() (the gofer's files do). Copy-up reads 1 MiB at a
// time and leaves all-zero pages as holes.
//
//   auto upper_fs = std::make_shared<tmpfs::TmpfsFilesystem>(mf, tmpfs::TmpfsOptions{.mode =
//   0755}); auto ofs = std::make_shared<overlay::OverlayFilesystem>(upper_fs, gofer_fs); auto root
//   = overlay::NewOverlayRoot(*ofs, tmpfs::NewRoot(*upper_fs), gofer_root); vfs.SetRoot(ofs, root,
//   0, "overlay", "");
//
// Lock order: OverlayFilesystem::copy_up_mu_ (held across one copy-up,
// parents included), then the layers' own locks; OverlayInode::mu_ and
// OverlayFilesystem::mu_ are leaves, never held while calling a layer.
#ifndef SENTRY_FSIMPL_OVERLAY_OVERLAY_H_
#define SENTRY_FSIMPL_OVERLAY_OVERLAY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/vfs.h"
#include "util/errno.h"

namespace sentry::fsimpl::overlay {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

class OverlayInode;

// Names of the overlay's bookkeeping in the upper layer.
inline constexpr char kOpaqueXattr[] = "trusted.overlay.opaque";
inline constexpr char kOriginXattr[] = "trusted.overlay.origin";
inline constexpr char kPrivateXattrPrefix[] = "trusted.overlay.";
// Inode numbers of files that exist only in the upper layer are the upper
// inode's with this bit set, so they never collide with lower ones.
inline constexpr uint64_t kUpperInoBit = uint64_t{1} << 48;

class OverlayFilesystem : public vfs::Filesystem {
 public:
  // Keeps the layers' file systems alive as long as the overlay (either
  // may be null when the caller keeps it alive).
  explicit OverlayFilesystem(std::shared_ptr<vfs::Filesystem> upper_fs = nullptr,
                             std::shared_ptr<vfs::Filesystem> lower_fs = nullptr);
  ~OverlayFilesystem() override;

  // The upper layer's space, with the overlay's magic.
  ErrnoOr<vfs::StatFs> Statfs() override;

 private:
  friend class OverlayInode;
  friend std::shared_ptr<vfs::Inode> NewOverlayRoot(OverlayFilesystem& fs,
                                                    std::shared_ptr<vfs::Inode> upper_root,
                                                    std::shared_ptr<vfs::Inode> lower_root);

  // The overlay inode for this (upper, lower) pair, made if there is none:
  // one object per upper inode, and per lower (st_dev, st_ino) while not
  // copied up. `lower` is the directory to merge for directories, the
  // file's lower self otherwise.
  ErrnoOr<std::shared_ptr<OverlayInode>> Get(vfs::Context& ctx, std::shared_ptr<vfs::Inode> upper,
                                             std::shared_ptr<vfs::Inode> lower,
                                             const std::shared_ptr<OverlayInode>& parent,
                                             const std::string& name);
  // Copy-up done: the inode is now found by its upper inode.
  void Rekey(OverlayInode& in, const vfs::Inode* upper);
  void Forget(OverlayInode& in);

  const std::shared_ptr<vfs::Filesystem> upper_fs_, lower_fs_;
  // The upper root's file system, for Statfs.
  vfs::Filesystem* upper_root_fs_ = nullptr;
  // Serializes copy-ups.
  absl::Mutex copy_up_mu_;
  absl::Mutex mu_;
  std::map<const vfs::Inode*, std::weak_ptr<OverlayInode>> by_upper_ ABSL_GUARDED_BY(mu_);
  std::map<std::pair<uint64_t, uint64_t>, std::weak_ptr<OverlayInode>> by_lower_
      ABSL_GUARDED_BY(mu_);
};

// The root of an overlay: upper_root is a tmpfs directory, lower_root any
// directory (or null for an overlay with nothing below).
std::shared_ptr<vfs::Inode> NewOverlayRoot(OverlayFilesystem& fs,
                                           std::shared_ptr<vfs::Inode> upper_root,
                                           std::shared_ptr<vfs::Inode> lower_root);

class OverlayInode : public vfs::Inode {
 public:
  OverlayInode(OverlayFilesystem& fs, uint32_t type, std::shared_ptr<vfs::Inode> upper,
               std::shared_ptr<vfs::Inode> lower, std::pair<uint64_t, uint64_t> lower_key,
               uint64_t ino, std::shared_ptr<OverlayInode> parent, std::string name);
  ~OverlayInode() override;

  // The upper inode (null until copied up) and the lower one (null for
  // upper-only files and unmerged directories).
  std::shared_ptr<vfs::Inode> upper() const;
  const std::shared_ptr<vfs::Inode>& lower() const { return lower_; }

  ErrnoOr<abi_linux::Stat> Stat() override;
  ErrnoOrVoid SetAttr(vfs::Context& ctx, const vfs::SetAttrArgs& args) override;

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

  ErrnoOr<std::string> Readlink(vfs::Context& ctx) override;
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

  ErrnoOr<std::string> GetXattr(vfs::Context& ctx, const std::string& name) override;
  ErrnoOrVoid SetXattr(vfs::Context& ctx, const std::string& name, const std::string& value,
                       int flags) override;
  ErrnoOr<std::vector<std::string>> ListXattr(vfs::Context& ctx) override;
  ErrnoOrVoid RemoveXattr(vfs::Context& ctx, const std::string& name) override;

  // Makes sure the file is in the upper layer, copying it (and its
  // parents) up if not. At most `data_limit` bytes of a regular file's data
  // are copied (for truncation). ENOENT when the file has lost the name it
  // was reached by.
  ErrnoOrVoid CopyUp(vfs::Context& ctx, uint64_t data_limit = ~uint64_t{0});

 private:
  friend class OverlayFilesystem;

  ErrnoOrVoid CopyUpLocked(vfs::Context& ctx, uint64_t data_limit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(ofs_.copy_up_mu_);
  // This directory's upper inode, copied up if needed.
  ErrnoOr<std::shared_ptr<vfs::Inode>> UpperDir(vfs::Context& ctx);
  // Whether the lower layer has `name` in this (merged) directory.
  bool LowerHas(vfs::Context& ctx, const std::string& name);
  // Where the file was reached from, for copy-up; moved by rename and
  // cleared when the name goes.
  void SetLocation(std::shared_ptr<OverlayInode> parent, std::string name);
  void ClearLocation(const OverlayInode* parent, const std::string& name);
  std::pair<std::shared_ptr<OverlayInode>, std::string> Location() const;

  OverlayFilesystem& ofs_;
  const std::shared_ptr<vfs::Inode> lower_;
  const std::pair<uint64_t, uint64_t> lower_key_;
  const uint64_t ino_;
  mutable absl::Mutex mu_;
  std::shared_ptr<vfs::Inode> upper_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<OverlayInode> parent_ ABSL_GUARDED_BY(mu_);
  std::string name_ ABSL_GUARDED_BY(mu_);
  bool located_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace sentry::fsimpl::overlay

#endif  // SENTRY_FSIMPL_OVERLAY_OVERLAY_H_
