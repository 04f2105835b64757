// The gofer-backed file system: the container's root (and bind mounts), served by a gofer
// process over a gofer::Client. Every inode holds a gofer handle; the file's data moves through
// host fds the gofer donates, read and written straight into guest memory.
//
//   auto fs = std::make_shared<gofer::GoferFilesystem>(std::move(sock), {.read_only = false});
//   ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> root, fs->Root());
//   vfs.SetRoot(fs, root, 0, "rootfs", "");
//
// Attributes are cached in each inode: the sentry is the only writer through its gofer, so a
// mutation made here marks the inodes it touched stale and their next Stat asks the gofer again.
// An open regular file stats its own host fd (sizes and times right after writes).
//
// A dead gofer makes the client answer EIO for everything; so do these inodes.
//
// Shared mappings (given a memory file in GoferOptions): each regular inode caches, in the
// memory file, the pages shared mappings map (SharedPage fills one from the host file on first
// use). While an inode has cached pages, write(2) through any GoferFile of the inode copies what
// it wrote from the host file into the cached pages, and read(2) first writes back cached pages
// overlapping its range that differ from the host file (stores made through mappings). The mm
// never says when a mapping was written to, so write-back compares each cached page with the
// host file and writes only those that differ (never past the file's size): on read(2) of that
// range, fsync(2), close of any GoferFile of the inode (which also drops the pages no mapping
// references any more) and when the inode goes. A read-only file system never writes back.
//
// Locking: GoferInode::mu_ (cached attributes, path, link target) is a leaf, never held across
// a gofer round trip. For regular files:
//   GoferRegularInode::io_mu_ -> (MemoryManager::mu_ ->) GoferRegularInode::cache_mu_ ->
//   GoferRegularInode::fd_mu_ -> gofer::Client's lock; MemoryFile::mu_ is a leaf.
// io_mu_ is shared by writes (and held across their access to guest memory), exclusive for
// write-back, truncation and fallocate (a write-back racing a write could put stale cached bytes
// over the write's). cache_mu_ (the page map) is taken under MemoryManager::mu_ by faults on
// shared mappings (SharedPage) and private ones (ReadForMap), so it is never held while guest
// memory is touched; it is held across host pread/pwrite. fd_mu_ may be held across a gofer
// round trip (opening the mapping or write-back fd).
#ifndef SENTRY_FSIMPL_GOFER_GOFER_FS_H_
#define SENTRY_FSIMPL_GOFER_GOFER_FS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "gofer/client.h"
#include "gofer/protocol.h"
#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/mm/mappable.h"
#include "sentry/mm/memory_file.h"
#include "sentry/vfs/file_description.h"
#include "sentry/vfs/vfs.h"
#include "util/errno.h"
#include "util/unique_fd.h"

namespace sentry::fsimpl::gofer {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

struct GoferOptions {
  // Every mutation answers EROFS (the gofer refuses them too).
  bool read_only = false;
  // Where regular files cache the pages of MAP_SHARED mappings (the kernel's memory file);
  // nullptr: shared mappings are not offered (ENODEV). Must outlive the file system's inodes.
  mm::MemoryFile* memory_file = nullptr;
};

class GoferFilesystem : public vfs::Filesystem {
 public:
  // `sock` is the sentry's end of a connected gofer socket.
  GoferFilesystem(util::UniqueFd sock, GoferOptions opts);
  ~GoferFilesystem() override;

  // A new inode for the gofer's root directory (Attach).
  ErrnoOr<std::shared_ptr<vfs::Inode>> Root();
  ErrnoOr<vfs::StatFs> Statfs() override;

  bool read_only() const { return opts_.read_only; }
  mm::MemoryFile* memory_file() const { return opts_.memory_file; }
  const std::shared_ptr<::gofer::Client>& client() const { return client_; }

  // Makes the inode for a handle the gofer gave out (taking ownership of the handle). `path` is
  // the file's name inside the file system, for /proc/pid/maps.
  std::shared_ptr<vfs::Inode> MakeInode(const ::gofer::Inode& gi, std::string path);

 private:
  const std::shared_ptr<::gofer::Client> client_;
  const GoferOptions opts_;
  absl::Mutex mu_;
  // A handle on the root kept for StatFs (0: none yet).
  uint64_t statfs_handle_ ABSL_GUARDED_BY(mu_) = 0;
};

// Any file on a gofer file system.
class GoferInode : public vfs::Inode {
 public:
  GoferInode(GoferFilesystem& fs, const ::gofer::Inode& gi, std::string path);
  ~GoferInode() override;

  uint64_t handle() const { return handle_; }
  GoferFilesystem& gofs() const { return gofs_; }
  // The file's gofer inode number (the host's).
  uint64_t ino() const { return ino_; }

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

  // The cached attributes are stale: the next Stat asks the gofer.
  void MarkStale() { stale_.store(true); }
  // The file's path inside its file system when it was looked up (renames through this inode's
  // parent update it; renames of an ancestor do not).
  std::string path() const;

 protected:
  ::gofer::Client& client() const { return *client_; }
  // The cached attributes, refreshed first when stale.
  ErrnoOr<::gofer::Attributes> Attrs();
  void SetAttrs(const ::gofer::Attributes& a);
  abi_linux::Stat StatFromAttrs(const ::gofer::Attributes& a) const;
  ErrnoOrVoid CheckMutableDir() const;

 private:
  // Creates a regular file (OpenAt with O_CREAT|O_EXCL), keeping its fd for the first open.
  ErrnoOr<std::shared_ptr<vfs::Inode>> CreateRegular(const std::string& name,
                                                     const vfs::CreateArgs& args);
  std::string ChildPath(const std::string& name) const;

  GoferFilesystem& gofs_;
  // Shared so that inodes outliving their file system can still close their handles.
  const std::shared_ptr<::gofer::Client> client_;
  const uint64_t handle_;
  const uint64_t ino_;
  std::atomic<bool> stale_{false};
  mutable absl::Mutex mu_;
  ::gofer::Attributes attr_ ABSL_GUARDED_BY(mu_);
  std::string path_ ABSL_GUARDED_BY(mu_);
  std::optional<std::string> link_target_ ABSL_GUARDED_BY(mu_);
  // FIFOs: the sentry's pipe behind this inode (the host FIFO is never opened). Readers and
  // writers meet as long as they open the same (cached) inode.
  const std::unique_ptr<pipe::NamedPipe> fifo_;
};

// A regular file: opens get host fds from the gofer; private mappings read through a read-only
// host fd the inode keeps. Shared mappings map pages the inode caches in the memory file (when
// the file system has one; see the top of this file).
class GoferRegularInode final : public GoferInode, public mm::Mappable {
 public:
  GoferRegularInode(GoferFilesystem& fs, const ::gofer::Inode& gi, std::string path)
      : GoferInode(fs, gi, std::move(path)), mf_(fs.memory_file()), read_only_(fs.read_only()) {}
  // Writes back the cached pages and drops the cache's references (mappings keep theirs).
  ~GoferRegularInode() override;

  // The fd OpenAt returned when this file was created (O_RDWR), used by the first Open.
  void SetCreatedFd(util::UniqueFd fd);

  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;
  // Truncation (kSize) also trims the cached pages.
  ErrnoOrVoid SetAttr(vfs::Context& ctx, const vfs::SetAttrArgs& args) override;

  // mm::Mappable.
  uint64_t MappableSize() override;
  ErrnoOr<size_t> ReadForMap(void* dst, size_t len, uint64_t offset) override;
  bool CanMapShared() const override { return mf_ != nullptr; }
  // The cached page for `offset`, filled from the host file the first time; EFAULT for pages
  // wholly past the end of the file.
  ErrnoOr<uint64_t> SharedPage(uint64_t offset) override;
  // Nothing calls this today (msync only checks its range); stores are found by comparison.
  void MarkDirty() override { MarkStale(); }
  std::string MapName() const override { return path(); }
  uint64_t MapDev() const override { return fs().dev(); }
  uint64_t MapIno() const override { return ino(); }

  // Writes back every cached page that differs from the host file; with `evict`, also drops
  // the pages no mapping references. What GoferFile::Sync and a GoferFile's close do.
  ErrnoOrVoid WriteBackAll(bool evict);
  // Pages cached now (tests).
  size_t cached_pages();

 private:
  friend class GoferFile;

  // The read-only fd for mappings, opened on first use.
  ErrnoOr<int> MapFd();
  // A write-only fd for write-back, opened on first use.
  ErrnoOr<int> WriteBackFd();
  // The host file's size (the mapping fd's), or the cached attributes' when that fails.
  uint64_t HostSize();
  // WriteBackAll with io_mu_ held exclusively.
  ErrnoOrVoid WriteBackAllLocked(bool evict) ABSL_EXCLUSIVE_LOCKS_REQUIRED(io_mu_);
  // Writes back the cached page `idx` (at memory-file offset `page`) if it differs from the
  // host file, bytes below `size` only. io_mu_ held exclusively (or no one else left).
  ErrnoOrVoid WriteBackPageLocked(uint64_t idx, uint64_t page, uint64_t size)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(cache_mu_);
  // Before a read of up to `len` bytes at `offset` (< 0: `fd`'s position): writes back the
  // cached pages overlapping it. Takes io_mu_.
  void WriteBackForRead(int fd, int64_t offset, uint64_t len);
  // After a write of `n` bytes through `fd`: `offset` as given to it (< 0: the position),
  // `append` if the host fd appends, `old_size` the size before (UINT64_MAX: unknown). Copies
  // what the host file now holds in the written range (and the gap it may have opened past the
  // old end) into the cached pages. io_mu_ held shared.
  void RefreshAfterWrite(int fd, int64_t offset, size_t n, bool append, uint64_t old_size);
  // The file's size went from `old_size` to `new_size` (truncate): drops the pages wholly past
  // the new end and zeroes cached bytes between the two sizes. io_mu_ held exclusively.
  void Resized(uint64_t old_size, uint64_t new_size);
  // Re-reads every cached page from the host file, dropping those past its end (after
  // fallocate). io_mu_ held exclusively.
  void ReloadAll();
  // Copies host bytes [start, end) into the cached pages overlapping them (zeros past EOF).
  void RefreshRangeLocked(uint64_t start, uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(cache_mu_);
  bool HasCachedPages();

  mm::MemoryFile* const mf_;
  const bool read_only_;
  absl::Mutex io_mu_;
  absl::Mutex cache_mu_ ABSL_ACQUIRED_AFTER(io_mu_);
  // Page index -> memory-file offset; each entry holds one reference of its own.
  std::map<uint64_t, uint64_t> pages_ ABSL_GUARDED_BY(cache_mu_);
  absl::Mutex fd_mu_ ABSL_ACQUIRED_AFTER(cache_mu_);
  util::UniqueFd created_fd_ ABSL_GUARDED_BY(fd_mu_);
  util::UniqueFd map_fd_ ABSL_GUARDED_BY(fd_mu_);
  util::UniqueFd write_back_fd_ ABSL_GUARDED_BY(fd_mu_);
};

// An open regular file: I/O on the donated host fd, straight to and from guest memory.
class GoferFile final : public vfs::FileDescription {
 public:
  GoferFile(std::shared_ptr<GoferRegularInode> inode, util::UniqueFd fd, int flags);
  // Writes back the inode's cached pages and drops those no mapping holds.
  ~GoferFile() override;

  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) override;
  ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  ErrnoOr<int64_t> Seek(int64_t offset, int whence) override;
  ErrnoOr<abi_linux::Stat> Stat() override;
  ErrnoOrVoid Truncate(uint64_t size) override;
  ErrnoOrVoid Allocate(int mode, uint64_t offset, uint64_t len) override;
  ErrnoOrVoid Sync() override;
  ErrnoOr<std::shared_ptr<mm::Mappable>> GetMappable() override;
  ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  std::string Name() const override;

  int host_fd() const { return fd_.get(); }

 private:
  // Makes the host fd's O_APPEND follow the description's (F_SETFL changes flags_ only).
  ErrnoOrVoid SyncAppendFlag();

  const std::shared_ptr<GoferRegularInode> inode_;
  const util::UniqueFd fd_;
  std::atomic<bool> host_append_;
};

}  // namespace sentry::fsimpl::gofer

#endif  // SENTRY_FSIMPL_GOFER_GOFER_FS_H_
