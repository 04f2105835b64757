#include "sentry/fsimpl/tmpfs/regular_file.h"

#include <fcntl.h>
#include <linux/falloc.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "abi/linux/fcntl.h"

namespace sentry::fsimpl::tmpfs {

namespace {

using mm::kPageSize;

// Linux's MAX_LFS_FILESIZE.
constexpr uint64_t kMaxFileSize = std::numeric_limits<int64_t>::max();
// How much of a transfer is gathered per hold of the page map.
constexpr uint64_t kBatch = uint64_t{1} << 20;

size_t Total(const vfs::IoVec& v) {
  size_t n = 0;
  for (const auto& s : v) {
    if (s.len > kMaxFileSize - n) return kMaxFileSize;
    n += s.len;
  }
  return n;
}

// Walks a guest I/O vector, copying to or from it in pieces.
class IoCursor {
 public:
  IoCursor(mm::MemoryManager& mm, const vfs::IoVec& v) : mm_(mm), v_(v) {}

  // Copies len bytes from `src` (zeros when null) to the guest. Returns how
  // many were copied: fewer at a fault, EFAULT when none could be.
  ErrnoOr<size_t> Out(const uint8_t* src, size_t len) {
    return Move(len, [&](mm::UserAddr a, size_t n, size_t done) {
      return src ? mm_.CopyOut(a, src + done, n) : mm_.ZeroOut(a, n);
    });
  }
  // Copies len bytes from the guest to `dst`.
  ErrnoOr<size_t> In(uint8_t* dst, size_t len) {
    return Move(
        len, [&](mm::UserAddr a, size_t n, size_t done) { return mm_.CopyIn(a, dst + done, n); });
  }

 private:
  template <typename F>
  ErrnoOr<size_t> Move(size_t len, F copy) {
    size_t done = 0;
    while (done < len && seg_ < v_.size()) {
      size_t n = std::min<size_t>(len - done, v_[seg_].len - off_);
      if (n == 0) {
        ++seg_;
        off_ = 0;
        continue;
      }
      ErrnoOr<size_t> r = copy(v_[seg_].addr + off_, n, done);
      if (!r.ok()) {
        if (done == 0) return r.error();
        return done;
      }
      done += *r;
      off_ += *r;
      if (*r < n) {
        if (done == 0) return Errno(EFAULT);
        return done;
      }
    }
    return done;
  }

  mm::MemoryManager& mm_;
  const vfs::IoVec& v_;
  size_t seg_ = 0;
  uint64_t off_ = 0;
};

}  // namespace

RegularFile::~RegularFile() {
  // No other reference exists, so nothing else holds mu_.
  mm::MemoryFile& mf = tfs_.memory_file();
  for (const auto& [idx, off] : pages_) mf.DecRef(off, kPageSize);
  tfs_.ReleasePages(pages_.size());
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> RegularFile::Open(vfs::Context&, int flags) {
  auto self = std::static_pointer_cast<RegularFile>(shared_from_this());
  return std::shared_ptr<vfs::FileDescription>(
      std::make_shared<RegularFileDescription>(std::move(self), flags));
}

void RegularFile::FillStatLocked(abi_linux::Stat& st) {
  st.st_size = static_cast<int64_t>(size_);
  st.st_blocks = static_cast<int64_t>(pages_.size() * (kPageSize / 512));
}

uint64_t RegularFile::size() {
  absl::MutexLock l(&mu_);
  return size_;
}

uint64_t RegularFile::pages() {
  absl::MutexLock l(&mu_);
  return pages_.size();
}

ErrnoOr<uint64_t> RegularFile::PageLocked(uint64_t idx) {
  auto it = pages_.find(idx);
  if (it != pages_.end()) return it->second;
  RETURN_IF_ERRNO(tfs_.ReservePages(1));
  ErrnoOr<uint64_t> off = tfs_.memory_file().Allocate(kPageSize, kPageSize);
  if (!off.ok()) {
    tfs_.ReleasePages(1);
    return Errno(ENOSPC);
  }
  pages_.emplace(idx, *off);
  return *off;
}

ErrnoOr<std::vector<RegularFile::Chunk>> RegularFile::MapRange(uint64_t offset, size_t n,
                                                               bool allocate) {
  // The caller holds io_mu_, so no page found here is freed before it is
  // done (only Truncate and the destructor free pages).
  std::vector<Chunk> chunks;
  mm::MemoryFile& mf = tfs_.memory_file();
  absl::MutexLock l(&mu_);
  uint64_t end = offset + n;
  for (uint64_t pos = offset; pos < end;) {
    uint64_t idx = pos / kPageSize;
    uint64_t in_page = pos % kPageSize;
    size_t len = std::min<uint64_t>(kPageSize - in_page, end - pos);
    if (allocate) {
      ErrnoOr<uint64_t> page = PageLocked(idx);
      if (!page.ok()) {
        if (chunks.empty()) return page.error();
        break;
      }
      chunks.push_back({mf.Access(*page) + in_page, len});
    } else {
      auto it = pages_.find(idx);
      chunks.push_back({it == pages_.end() ? nullptr : mf.Access(it->second) + in_page, len});
    }
    pos += len;
  }
  return chunks;
}

void RegularFile::GrowLocked(uint64_t end) {
  if (end > size_) size_ = end;
}

void RegularFile::ZeroTailLocked() {
  // Bytes past the end in the last page may have been written through a
  // shared mapping; the file must read zeros there once it grows.
  uint64_t in_page = size_ % kPageSize;
  if (in_page == 0) return;
  auto it = pages_.find(size_ / kPageSize);
  if (it == pages_.end()) return;
  std::memset(tfs_.memory_file().Access(it->second) + in_page, 0, kPageSize - in_page);
}

void RegularFile::FreeFromLocked(uint64_t first) {
  mm::MemoryFile& mf = tfs_.memory_file();
  uint64_t freed = 0;
  for (auto it = pages_.lower_bound(first); it != pages_.end();) {
    mf.DecRef(it->second, kPageSize);
    it = pages_.erase(it);
    ++freed;
  }
  tfs_.ReleasePages(freed);
}

ErrnoOr<size_t> RegularFile::ReadForMap(void* dst, size_t len, uint64_t offset) {
  mm::MemoryFile& mf = tfs_.memory_file();
  absl::MutexLock l(&mu_);
  if (offset >= size_) return size_t{0};
  size_t n = std::min<uint64_t>(len, size_ - offset);
  auto* out = static_cast<uint8_t*>(dst);
  for (size_t done = 0; done < n;) {
    uint64_t pos = offset + done;
    uint64_t in_page = pos % kPageSize;
    size_t k = std::min<uint64_t>(kPageSize - in_page, n - done);
    auto it = pages_.find(pos / kPageSize);
    if (it == pages_.end()) {
      std::memset(out + done, 0, k);
    } else {
      std::memcpy(out + done, mf.Access(it->second) + in_page, k);
    }
    done += k;
  }
  return n;
}

ErrnoOr<uint64_t> RegularFile::SharedPage(uint64_t offset) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(uint64_t page, PageLocked(offset / kPageSize));
  tfs_.memory_file().IncRef(page, kPageSize);
  return page;
}

ErrnoOr<size_t> RegularFile::ReadWith(size_t want, uint64_t offset, ReadCopy copy) {
  absl::ReaderMutexLock io(&io_mu_);
  uint64_t size;
  {
    absl::MutexLock l(&mu_);
    size = size_;
  }
  if (offset >= size || want == 0) return size_t{0};
  size_t n = std::min<uint64_t>(want, size - offset);
  size_t done = 0;
  while (done < n) {
    ASSIGN_OR_RETURN_ERRNO(std::vector<Chunk> chunks,
                           MapRange(offset + done, std::min<uint64_t>(n - done, kBatch), false));
    for (const Chunk& c : chunks) {
      ErrnoOr<size_t> r = copy(c.ptr, c.len);
      if (!r.ok()) {
        if (done == 0) return r.error();
        return done;
      }
      done += *r;
      if (*r < c.len) return done;
    }
  }
  return done;
}

ErrnoOr<size_t> RegularFile::WriteWith(size_t n, uint64_t* offset, bool append, WriteCopy copy) {
  absl::MutexLock io(&io_mu_);
  uint64_t off;
  {
    absl::MutexLock l(&mu_);
    if (append) *offset = size_;
    off = *offset;
    if (n == 0) return size_t{0};
    if (off >= kMaxFileSize) return Errno(EFBIG);
    n = std::min<uint64_t>(n, kMaxFileSize - off);
    if (off + n > size_) ZeroTailLocked();
  }
  size_t done = 0;
  ErrnoOr<size_t> result = size_t{0};
  while (done < n) {
    size_t batch = std::min<uint64_t>(n - done, kBatch);
    ErrnoOr<std::vector<Chunk>> chunks = MapRange(off + done, batch, true);
    if (!chunks.ok()) {
      if (done == 0) result = chunks.error();
      break;
    }
    bool stop = false;
    size_t got = 0;
    for (const Chunk& c : *chunks) {
      ErrnoOr<size_t> r = copy(c.ptr, c.len);
      if (!r.ok()) {
        if (done == 0) result = r.error();
        stop = true;
        break;
      }
      done += *r;
      got += *r;
      if (*r < c.len) {
        stop = true;
        break;
      }
    }
    {
      absl::MutexLock l(&mu_);
      GrowLocked(off + done);
    }
    if (stop || got < batch) break;
  }
  if (done > 0) {
    TouchMtimeCtime();
    return done;
  }
  return result;
}

ErrnoOr<size_t> RegularFile::ReadAt(void* dst, size_t n, uint64_t offset) {
  auto* out = static_cast<uint8_t*>(dst);
  return ReadWith(n, offset, [&](const uint8_t* page, size_t len) -> ErrnoOr<size_t> {
    if (page != nullptr) {
      std::memcpy(out, page, len);
    } else {
      std::memset(out, 0, len);
    }
    out += len;
    return len;
  });
}

ErrnoOr<size_t> RegularFile::WriteAt(const void* src, size_t n, uint64_t offset) {
  return WriteAt(src, n, &offset, /*append=*/false);
}

ErrnoOr<size_t> RegularFile::WriteAt(const void* src, size_t n, uint64_t* offset, bool append) {
  const auto* in = static_cast<const uint8_t*>(src);
  return WriteWith(n, offset, append, [&](uint8_t* page, size_t len) -> ErrnoOr<size_t> {
    std::memcpy(page, in, len);
    in += len;
    return len;
  });
}

ErrnoOr<size_t> RegularFile::ReadGuest(mm::MemoryManager& mm, const vfs::IoVec& dst,
                                       uint64_t offset) {
  IoCursor cur(mm, dst);
  return ReadWith(Total(dst), offset,
                  [&](const uint8_t* page, size_t len) { return cur.Out(page, len); });
}

ErrnoOr<size_t> RegularFile::WriteGuest(mm::MemoryManager& mm, const vfs::IoVec& src,
                                        uint64_t* offset, bool append) {
  IoCursor cur(mm, src);
  return WriteWith(Total(src), offset, append,
                   [&](uint8_t* page, size_t len) { return cur.In(page, len); });
}

ErrnoOrVoid RegularFile::Truncate(uint64_t size) {
  if (size > kMaxFileSize) return Errno(EFBIG);
  absl::MutexLock io(&io_mu_);
  {
    absl::MutexLock l(&mu_);
    if (size == size_) return {};
    if (size > size_) {
      ZeroTailLocked();
    } else {
      FreeFromLocked((size + kPageSize - 1) / kPageSize);
      // The new last page keeps nothing past the end.
      size_ = size;
      ZeroTailLocked();
    }
    size_ = size;
  }
  TouchMtimeCtime();
  return {};
}

ErrnoOrVoid RegularFile::Allocate(int mode, uint64_t offset, uint64_t len) {
  if (mode & ~FALLOC_FL_KEEP_SIZE) return Errno(EOPNOTSUPP);
  if (len == 0) return Errno(EINVAL);
  if (offset > kMaxFileSize || len > kMaxFileSize - offset) return Errno(EFBIG);
  absl::MutexLock io(&io_mu_);
  absl::MutexLock l(&mu_);
  uint64_t end = offset + len;
  if (!(mode & FALLOC_FL_KEEP_SIZE) && end > size_) ZeroTailLocked();
  uint64_t first = offset / kPageSize, last = (end - 1) / kPageSize;
  std::vector<uint64_t> added;
  for (uint64_t idx = first; idx <= last; ++idx) {
    if (pages_.count(idx)) continue;
    ErrnoOr<uint64_t> page = PageLocked(idx);
    if (!page.ok()) {
      // All or nothing: give back what this call took.
      for (uint64_t a : added) {
        tfs_.memory_file().DecRef(pages_[a], kPageSize);
        pages_.erase(a);
      }
      tfs_.ReleasePages(added.size());
      return page.error();
    }
    added.push_back(idx);
  }
  if (!(mode & FALLOC_FL_KEEP_SIZE) && end > size_) {
    size_ = end;
    ctime_ = Now();
  }
  return {};
}

ErrnoOr<int64_t> RegularFile::SeekDataHole(int64_t offset, bool data) {
  absl::MutexLock l(&mu_);
  if (offset < 0) return Errno(EINVAL);
  uint64_t off = offset;
  if (off >= size_) return Errno(ENXIO);
  uint64_t idx = off / kPageSize;
  if (data) {
    auto it = pages_.lower_bound(idx);
    if (it == pages_.end() || it->first * kPageSize >= size_) return Errno(ENXIO);
    return static_cast<int64_t>(std::max<uint64_t>(off, it->first * kPageSize));
  }
  // The first page at or after idx that is not allocated.
  auto it = pages_.find(idx);
  while (it != pages_.end() && it->first == idx) {
    ++idx;
    ++it;
  }
  uint64_t hole = std::max<uint64_t>(off, idx * kPageSize);
  return static_cast<int64_t>(std::min<uint64_t>(hole, size_));
}

// ---- RegularFileDescription ----

ErrnoOr<size_t> RegularFileDescription::ReadWith(
    int64_t offset, absl::FunctionRef<ErrnoOr<size_t>(uint64_t off)> read) {
  if (!readable()) return Errno(EBADF);
  ErrnoOr<size_t> n = size_t{0};
  if (offset >= 0) {
    n = read(offset);
  } else {
    absl::MutexLock l(&mu_);
    n = read(pos_);
    if (n.ok()) pos_ += *n;
  }
  if (n.ok() && !(flags_ & O_NOATIME)) file_->TouchAtime();
  return n;
}

ErrnoOr<size_t> RegularFileDescription::WriteWith(
    int64_t offset, absl::FunctionRef<ErrnoOr<size_t>(uint64_t* off, bool append)> write) {
  if (!writable()) return Errno(EBADF);
  // pwrite on an O_APPEND file appends, as on Linux.
  bool append = flags_ & O_APPEND;
  if (offset >= 0) {
    uint64_t off = offset;
    return write(&off, append);
  }
  absl::MutexLock l(&mu_);
  uint64_t off = pos_;
  ASSIGN_OR_RETURN_ERRNO(size_t n, write(&off, append));
  pos_ = static_cast<int64_t>(off + n);
  return n;
}

ErrnoOr<size_t> RegularFileDescription::Read(mm::MemoryManager& mm, const vfs::IoVec& dst,
                                             int64_t offset) {
  return ReadWith(offset, [&](uint64_t off) { return file_->ReadGuest(mm, dst, off); });
}

ErrnoOr<size_t> RegularFileDescription::Write(mm::MemoryManager& mm, const vfs::IoVec& src,
                                              int64_t offset) {
  return WriteWith(
      offset, [&](uint64_t* off, bool append) { return file_->WriteGuest(mm, src, off, append); });
}

ErrnoOr<size_t> RegularFileDescription::ReadInternal(void* buf, size_t n, int64_t offset) {
  return ReadWith(offset, [&](uint64_t off) { return file_->ReadAt(buf, n, off); });
}

ErrnoOr<size_t> RegularFileDescription::WriteInternal(const void* buf, size_t n, int64_t offset) {
  return WriteWith(offset,
                   [&](uint64_t* off, bool append) { return file_->WriteAt(buf, n, off, append); });
}

ErrnoOr<int64_t> RegularFileDescription::Seek(int64_t offset, int whence) {
  absl::MutexLock l(&mu_);
  int64_t base;
  switch (whence) {
    case abi_linux::kSEEK_SET:
      base = 0;
      break;
    case abi_linux::kSEEK_CUR:
      base = pos_;
      break;
    case abi_linux::kSEEK_END:
      base = static_cast<int64_t>(file_->size());
      break;
    case abi_linux::kSEEK_DATA:
    case abi_linux::kSEEK_HOLE: {
      ASSIGN_OR_RETURN_ERRNO(int64_t at,
                             file_->SeekDataHole(offset, whence == abi_linux::kSEEK_DATA));
      pos_ = at;
      return at;
    }
    default:
      return Errno(EINVAL);
  }
  if ((offset > 0 && base > std::numeric_limits<int64_t>::max() - offset)) return Errno(EOVERFLOW);
  int64_t next = base + offset;
  if (next < 0) return Errno(EINVAL);
  pos_ = next;
  return next;
}

ErrnoOr<abi_linux::Stat> RegularFileDescription::Stat() {
  if (inode() != nullptr) return vfs::FileDescription::Stat();
  return file_->Stat();
}

ErrnoOrVoid RegularFileDescription::Truncate(uint64_t size) { return file_->Truncate(size); }

ErrnoOrVoid RegularFileDescription::Allocate(int mode, uint64_t offset, uint64_t len) {
  if (!writable()) return Errno(EBADF);
  return file_->Allocate(mode, offset, len);
}

}  // namespace sentry::fsimpl::tmpfs
