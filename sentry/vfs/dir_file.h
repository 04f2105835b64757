// The open file description of a directory, for any file system: getdents
// lists "." and "..", then a snapshot of Inode::ReadDir taken when reading
// starts at position 0 (a rewind takes a new one). The position is an
// index into that listing.
//
//   ErrnoOr<std::shared_ptr<FileDescription>> MyDir::Open(Context&, int flags) {
//     return std::make_shared<vfs::DirectoryFile>(flags);
//   }
#ifndef SENTRY_VFS_DIR_FILE_H_
#define SENTRY_VFS_DIR_FILE_H_

#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

class DirectoryFile : public FileDescription {
 public:
  explicit DirectoryFile(int flags) : FileDescription(flags) {}

  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const IoVec& dst, int64_t offset) override;
  ErrnoOr<size_t> Write(mm::MemoryManager& mm, const IoVec& src, int64_t offset) override;
  ErrnoOr<int64_t> Seek(int64_t offset, int whence) override;
  ErrnoOrVoid Getdents(Context& ctx,
                       const std::function<bool(const Dirent&, int64_t next)>& emit) override;

 private:
  absl::Mutex mu_;
  int64_t pos_ ABSL_GUARDED_BY(mu_) = 0;
  bool have_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Dirent> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_DIR_FILE_H_
