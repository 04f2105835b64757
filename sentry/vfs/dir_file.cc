#include "sentry/vfs/dir_file.h"

#include <dirent.h>

namespace sentry::vfs {

ErrnoOr<size_t> DirectoryFile::Read(mm::MemoryManager&, const IoVec&, int64_t) {
  return Errno(EISDIR);
}
ErrnoOr<size_t> DirectoryFile::Write(mm::MemoryManager&, const IoVec&, int64_t) {
  return Errno(EBADF);
}

ErrnoOr<int64_t> DirectoryFile::Seek(int64_t offset, int whence) {
  absl::MutexLock l(&mu_);
  int64_t base;
  switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = pos_; break;
    default: return Errno(EINVAL);
  }
  int64_t next = base + offset;
  if (next < 0) return Errno(EINVAL);
  pos_ = next;
  if (pos_ == 0) have_ = false;
  return pos_;
}

ErrnoOrVoid DirectoryFile::Getdents(Context& ctx,
                                    const std::function<bool(const Dirent&, int64_t)>& emit) {
  absl::MutexLock l(&mu_);
  if (!have_ || pos_ == 0) {
    Inode* in = inode();
    if (in == nullptr) return Errno(ENOTDIR);
    ASSIGN_OR_RETURN_ERRNO(std::vector<Dirent> list, in->ReadDir(ctx));
    ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat self, in->Stat());
    uint64_t parent_ino = self.st_ino;
    if (auto parent = path_.dentry->parent()) {
      if (auto ps = parent->inode()->Stat(); ps.ok()) parent_ino = ps->st_ino;
    }
    entries_.clear();
    entries_.push_back({".", self.st_ino, DT_DIR});
    entries_.push_back({"..", parent_ino, DT_DIR});
    for (auto& e : list) entries_.push_back(std::move(e));
    have_ = true;
  }
  while (pos_ < static_cast<int64_t>(entries_.size())) {
    if (!emit(entries_[pos_], pos_ + 1)) break;
    ++pos_;
  }
  return {};
}

}  // namespace sentry::vfs
