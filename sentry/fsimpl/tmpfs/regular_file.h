// tmpfs regular files: data in the memory file, one 4 KiB page at a time.
// A sparse map (page index → memory-file offset) holds the pages written so
// far; holes read as zeros and cost nothing. The file is its own
// mm::Mappable: shared mappings map the very pages read(2) and write(2)
// use (SharedPage hands out references to them).
//
//   ASSIGN_OR_RETURN_ERRNO(auto in, dir->Create(ctx, "f", {.mode = S_IFREG | 0644}));
//   auto* file = static_cast<tmpfs::RegularFile*>(in.get());
//   file->WriteAt("hi", 2, 0);                       // sentry-side I/O (copy-up, tests)
//   ASSIGN_OR_RETURN_ERRNO(auto fd, in->Open(ctx, O_RDWR));
//   fd->Write(mm, {{addr, len}}, -1);                 // guest I/O
//
// Lock order: RegularFileDescription::mu_ (the file position), then
// RegularFile::io_mu_ (held across a read or write, like Linux's i_rwsem),
// then RegularFile::mu_ (the page map; never held while guest memory is
// touched, since a fault on a shared mapping of the file takes it under
// MemoryManager::mu_).
#ifndef SENTRY_FSIMPL_TMPFS_REGULAR_FILE_H_
#define SENTRY_FSIMPL_TMPFS_REGULAR_FILE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"
#include "sentry/mm/mappable.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::tmpfs {

class RegularFile : public TmpfsInode, public mm::Mappable {
 public:
  RegularFile(TmpfsFilesystem& fs, const vfs::CreateArgs& args) : TmpfsInode(fs, args) {}
  // Releases the pages (mappings keep their own references).
  ~RegularFile() override;

  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

  // ---- Sentry-side I/O (no guest memory) ----
  // Reads up to n bytes at `offset`; short at end of file.
  ErrnoOr<size_t> ReadAt(void* dst, size_t n, uint64_t offset);
  // Writes n bytes at `offset`, growing the file; short (or ENOSPC) when
  // the file system is full.
  ErrnoOr<size_t> WriteAt(const void* src, size_t n, uint64_t offset);
  // The same with WriteGuest's interface: appends when `append` (and
  // reports where the write started in *offset).
  ErrnoOr<size_t> WriteAt(const void* src, size_t n, uint64_t* offset, bool append);
  uint64_t size();
  // Pages allocated now.
  uint64_t pages();

  // ---- Guest I/O, for RegularFileDescription ----
  ErrnoOr<size_t> ReadGuest(mm::MemoryManager& mm, const vfs::IoVec& dst, uint64_t offset);
  // Appends when `offset` is null (and reports where the write started).
  ErrnoOr<size_t> WriteGuest(mm::MemoryManager& mm, const vfs::IoVec& src, uint64_t* offset,
                             bool append);
  ErrnoOrVoid Truncate(uint64_t size);
  // fallocate(2): mode 0 and FALLOC_FL_KEEP_SIZE.
  ErrnoOrVoid Allocate(int mode, uint64_t offset, uint64_t len);
  // SEEK_DATA / SEEK_HOLE from `offset`.
  ErrnoOr<int64_t> SeekDataHole(int64_t offset, bool data);

  // ---- mm::Mappable ----
  uint64_t MappableSize() override { return size(); }
  ErrnoOr<size_t> ReadForMap(void* dst, size_t len, uint64_t offset) override;
  bool CanMapShared() const override { return true; }
  ErrnoOr<uint64_t> SharedPage(uint64_t offset) override;
  void MarkDirty() override { TouchMtimeCtime(); }
  // Empty: the VFS knows the path the file was mapped by.
  std::string MapName() const override { return ""; }
  uint64_t MapDev() const override { return fs().dev(); }
  uint64_t MapIno() const override { return ino(); }

 protected:
  void FillStatLocked(abi_linux::Stat& st) override ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ErrnoOrVoid SetSize(uint64_t size) override { return Truncate(size); }

 private:
  // One piece of a data transfer: `len` bytes at sentry address `ptr`
  // (nullptr for a hole, which reads as zeros).
  struct Chunk {
    uint8_t* ptr;
    size_t len;
  };
  // Moves `len` bytes between the file's data at `page` (nullptr: a hole,
  // read as zeros) and the caller's memory, continuing where the previous
  // call of the same transfer stopped. Returns how many were moved: fewer
  // at a fault, an error when none could be.
  using ReadCopy = absl::FunctionRef<ErrnoOr<size_t>(const uint8_t* page, size_t len)>;
  using WriteCopy = absl::FunctionRef<ErrnoOr<size_t>(uint8_t* page, size_t len)>;
  // The reads and writes of both worlds, but for the copying: up to `want`
  // bytes at `offset` (short at end of file); `n` bytes at *offset or
  // appended.
  ErrnoOr<size_t> ReadWith(size_t want, uint64_t offset, ReadCopy copy);
  ErrnoOr<size_t> WriteWith(size_t n, uint64_t* offset, bool append, WriteCopy copy);
  // The pages behind [offset, offset+n), allocating missing ones if
  // `allocate` (stopping early, with a shorter total, when the file system
  // fills up after some pages). io_mu_ held: no page found is freed before
  // the caller is done.
  ErrnoOr<std::vector<Chunk>> MapRange(uint64_t offset, size_t n, bool allocate);
  // Allocates the page at index `idx` if missing. mu_ held.
  ErrnoOr<uint64_t> PageLocked(uint64_t idx) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets the size after data was written up to `end`.
  void GrowLocked(uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Zeroes the last page past the end of the file.
  void ZeroTailLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops every page at or after index `first`.
  void FreeFromLocked(uint64_t first) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex io_mu_;
  uint64_t size_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, uint64_t> pages_ ABSL_GUARDED_BY(mu_);  // page index → memory-file offset
};

// An open tmpfs regular file.
class RegularFileDescription : public vfs::FileDescription {
 public:
  RegularFileDescription(std::shared_ptr<RegularFile> file, int flags)
      : vfs::FileDescription(flags), file_(std::move(file)) {}

  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) override;
  ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  ErrnoOr<int64_t> Seek(int64_t offset, int whence) override;
  // The inode the VFS opened (an overlay's, say) once the path is set;
  // before that, the tmpfs file's own attributes.
  ErrnoOr<abi_linux::Stat> Stat() override;
  ErrnoOrVoid Truncate(uint64_t size) override;
  ErrnoOrVoid Allocate(int mode, uint64_t offset, uint64_t len) override;
  ErrnoOr<std::shared_ptr<mm::Mappable>> GetMappable() override {
    return std::shared_ptr<mm::Mappable>(file_);
  }

  const std::shared_ptr<RegularFile>& file() const { return file_; }

 private:
  // read(2)/pread(2) and write(2)/pwrite(2) around a transfer at a file
  // offset: access checks, the position, O_APPEND, atime.
  ErrnoOr<size_t> ReadWith(int64_t offset, absl::FunctionRef<ErrnoOr<size_t>(uint64_t off)> read);
  ErrnoOr<size_t> WriteWith(int64_t offset,
                            absl::FunctionRef<ErrnoOr<size_t>(uint64_t* off, bool append)> write);

  const std::shared_ptr<RegularFile> file_;
  absl::Mutex mu_;  // the file position lock
  int64_t pos_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace sentry::fsimpl::tmpfs

#endif  // SENTRY_FSIMPL_TMPFS_REGULAR_FILE_H_
