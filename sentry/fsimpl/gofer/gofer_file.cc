// Regular files on a gofer file system: opening (a host fd donated by the gofer), I/O straight
// between that fd and guest memory (or the sentry's, for sendfile and copy_file_range), private
// mappings read through a kept read-only fd, and the page cache behind shared mappings.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "abi/linux/termios.h"
#include "sentry/fsimpl/gofer/gofer_fs.h"
#include "sentry/fsimpl/host/host_file.h"
#include "sentry/mm/user_addr.h"
#include "util/logging.h"

namespace sentry::fsimpl::gofer {

namespace {

using mm::kPageSize;
constexpr uint64_t kNoSize = std::numeric_limits<uint64_t>::max();

// pread until `len` bytes or end of file; short only at end of file (or an error after some).
ErrnoOr<size_t> PreadFull(int fd, void* dst, size_t len, uint64_t offset) {
  char* out = static_cast<char*>(dst);
  size_t done = 0;
  while (done < len) {
    ssize_t n = pread(fd, out + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      if (done > 0) break;
      return Errno(errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

ErrnoOrVoid PwriteFull(int fd, const void* src, size_t len, uint64_t offset) {
  const char* in = static_cast<const char*>(src);
  size_t done = 0;
  while (done < len) {
    ssize_t n = pwrite(fd, in + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno(errno);
    }
    if (n == 0) return Errno(EIO);
    done += static_cast<size_t>(n);
  }
  return {};
}

uint64_t IoVecLen(const vfs::IoVec& v) {
  uint64_t total = 0;
  for (const vfs::IoSeg& s : v) total = s.len > kNoSize - total ? kNoSize : total + s.len;
  return total;
}

uint64_t FdSize(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return kNoSize;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

// ---- GoferRegularInode ----

GoferRegularInode::~GoferRegularInode() {
  if (mf_ == nullptr) return;
  absl::MutexLock io(&io_mu_);
  absl::MutexLock l(&cache_mu_);
  if (pages_.empty()) return;
  const uint64_t size = HostSize();
  for (const auto& [idx, page] : pages_) {
    if (ErrnoOrVoid r = WriteBackPageLocked(idx, page, size); !r.ok()) {
      SK_LOG(WARNING) << "gofer: writing back " << path() << " page " << idx << ": errno "
                      << r.error().value();
    }
    mf_->DecRef(page, kPageSize);
  }
  pages_.clear();
}

void GoferRegularInode::SetCreatedFd(util::UniqueFd fd) {
  absl::MutexLock l(&fd_mu_);
  created_fd_ = std::move(fd);
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> GoferRegularInode::Open(vfs::Context&, int flags) {
  const int acc = flags & O_ACCMODE;
  // Access mode 3 ("no access", for ioctl-only opens) gets a read-only host fd that the
  // description never reads.
  const int host_acc = acc == O_ACCMODE ? O_RDONLY : acc;
  if (host_acc != O_RDONLY && gofs().read_only()) return Errno(EROFS);
  // O_TRUNC has been applied by the VFS (SetAttr); O_NOATIME needs the host file's owner, which
  // the gofer may not be, and only changes access times.
  constexpr int kPassed = O_APPEND | O_DSYNC | O_SYNC | O_DIRECT;
  const int host_flags = host_acc | (flags & kPassed);

  util::UniqueFd fd;
  {
    absl::MutexLock l(&fd_mu_);
    // The fd the file was created with (O_RDWR) serves the first open, unless that open wants
    // flags F_SETFL cannot add.
    if (created_fd_.valid() && (flags & (O_DSYNC | O_SYNC | O_DIRECT)) == 0) {
      fd = std::move(created_fd_);
      if (flags & O_APPEND) {
        int fl = fcntl(fd.get(), F_GETFL);
        if (fl < 0 || fcntl(fd.get(), F_SETFL, fl | O_APPEND) != 0) fd.reset();
      }
    }
  }
  if (!fd.valid()) {
    ASSIGN_OR_RETURN_ERRNO(fd, client().Open(handle(), static_cast<uint32_t>(host_flags)));
  }
  auto self = std::static_pointer_cast<GoferRegularInode>(shared_from_this());
  return std::shared_ptr<vfs::FileDescription>(
      std::make_shared<GoferFile>(std::move(self), std::move(fd), flags));
}

ErrnoOrVoid GoferRegularInode::SetAttr(vfs::Context& ctx, const vfs::SetAttrArgs& args) {
  if ((args.mask & vfs::SetAttrArgs::kSize) == 0 || mf_ == nullptr) {
    return GoferInode::SetAttr(ctx, args);
  }
  absl::MutexLock io(&io_mu_);
  const uint64_t old_size = HostSize();
  RETURN_IF_ERRNO(GoferInode::SetAttr(ctx, args));
  Resized(old_size, args.size);
  return {};
}

ErrnoOr<int> GoferRegularInode::MapFd() {
  absl::MutexLock l(&fd_mu_);
  if (!map_fd_.valid()) {
    ASSIGN_OR_RETURN_ERRNO(map_fd_, client().Open(handle(), O_RDONLY));
  }
  return map_fd_.get();
}

ErrnoOr<int> GoferRegularInode::WriteBackFd() {
  absl::MutexLock l(&fd_mu_);
  if (!write_back_fd_.valid()) {
    ASSIGN_OR_RETURN_ERRNO(write_back_fd_, client().Open(handle(), O_WRONLY));
  }
  return write_back_fd_.get();
}

uint64_t GoferRegularInode::HostSize() {
  if (ErrnoOr<int> fd = MapFd(); fd.ok()) {
    if (uint64_t size = FdSize(*fd); size != kNoSize) return size;
  }
  ErrnoOr<::gofer::Attributes> a = Attrs();
  return a.ok() ? a->size : 0;
}

uint64_t GoferRegularInode::MappableSize() { return HostSize(); }

ErrnoOr<size_t> GoferRegularInode::ReadForMap(void* dst, size_t len, uint64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(int fd, MapFd());
  ASSIGN_OR_RETURN_ERRNO(size_t done, PreadFull(fd, dst, len, offset));
  if (mf_ == nullptr || done == 0) return done;
  // Cached pages may hold stores not yet written back: they are the file's contents.
  absl::MutexLock l(&cache_mu_);
  const uint64_t end = offset + done;
  for (auto it = pages_.lower_bound(offset / kPageSize);
       it != pages_.end() && it->first * kPageSize < end; ++it) {
    const uint64_t ps = it->first * kPageSize;
    const uint64_t a = std::max(offset, ps), b = std::min(end, ps + kPageSize);
    std::memcpy(static_cast<char*>(dst) + (a - offset), mf_->Access(it->second) + (a - ps), b - a);
  }
  return done;
}

ErrnoOr<uint64_t> GoferRegularInode::SharedPage(uint64_t offset) {
  if (mf_ == nullptr) return Errno(ENODEV);
  const uint64_t idx = offset / kPageSize, start = idx * kPageSize;
  absl::MutexLock l(&cache_mu_);
  const uint64_t size = HostSize();
  if (start >= size) return Errno(EFAULT);  // The mm makes this SIGBUS.
  if (auto it = pages_.find(idx); it != pages_.end()) {
    mf_->IncRef(it->second, kPageSize);
    return it->second;
  }
  ASSIGN_OR_RETURN_ERRNO(int fd, MapFd());
  ASSIGN_OR_RETURN_ERRNO(uint64_t page, mf_->Allocate(kPageSize, kPageSize));  // zeroed
  ErrnoOr<size_t> n = PreadFull(fd, mf_->Access(page), std::min(kPageSize, size - start), start);
  if (!n.ok()) {
    mf_->DecRef(page, kPageSize);
    return n.error();
  }
  pages_.emplace(idx, page);      // The cache's reference...
  mf_->IncRef(page, kPageSize);  // ...and the caller's.
  return page;
}

size_t GoferRegularInode::cached_pages() {
  absl::MutexLock l(&cache_mu_);
  return pages_.size();
}

bool GoferRegularInode::HasCachedPages() {
  if (mf_ == nullptr) return false;
  absl::MutexLock l(&cache_mu_);
  return !pages_.empty();
}

ErrnoOrVoid GoferRegularInode::WriteBackPageLocked(uint64_t idx, uint64_t page, uint64_t size) {
  if (read_only_) return {};
  const uint64_t start = idx * kPageSize;
  if (start >= size) return {};
  const size_t len = std::min(kPageSize, size - start);
  const uint8_t* data = mf_->Access(page);
  // Only pages that differ from the host file: nothing tells which ones mappings stored into,
  // and writing clean ones would change the file's mtime (and need a writable fd).
  ASSIGN_OR_RETURN_ERRNO(int rfd, MapFd());
  uint8_t host[kPageSize];
  ErrnoOr<size_t> got = PreadFull(rfd, host, len, start);
  if (got.ok() && *got == len && std::memcmp(host, data, len) == 0) return {};
  ASSIGN_OR_RETURN_ERRNO(int wfd, WriteBackFd());
  RETURN_IF_ERRNO(PwriteFull(wfd, data, len, start));
  MarkStale();  // mtime, ctime.
  return {};
}

ErrnoOrVoid GoferRegularInode::WriteBackAll(bool evict) {
  if (mf_ == nullptr) return {};
  absl::MutexLock io(&io_mu_);
  return WriteBackAllLocked(evict);
}

ErrnoOrVoid GoferRegularInode::WriteBackAllLocked(bool evict) {
  if (mf_ == nullptr) return {};
  absl::MutexLock l(&cache_mu_);
  if (pages_.empty()) return {};
  const uint64_t size = HostSize();
  ErrnoOrVoid result;
  for (auto it = pages_.begin(); it != pages_.end();) {
    if (ErrnoOrVoid r = WriteBackPageLocked(it->first, it->second, size); !r.ok()) {
      SK_LOG(WARNING) << "gofer: writing back " << path() << " page " << it->first << ": errno "
                      << r.error().value();
      if (result.ok()) result = r;
      ++it;
      continue;
    }
    // Only the cache references the page: no mapping can store into it any more (a new one
    // would come through SharedPage, under cache_mu_).
    if (evict && mf_->Exclusive(it->second, kPageSize)) {
      mf_->DecRef(it->second, kPageSize);
      it = pages_.erase(it);
    } else {
      ++it;
    }
  }
  return result;
}

void GoferRegularInode::WriteBackForRead(int fd, int64_t offset, uint64_t len) {
  if (read_only_ || len == 0 || !HasCachedPages()) return;
  uint64_t start;
  if (offset >= 0) {
    start = static_cast<uint64_t>(offset);
  } else {
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (pos < 0) return;
    start = static_cast<uint64_t>(pos);
  }
  const uint64_t end = len > kNoSize - start ? kNoSize : start + len;
  absl::MutexLock io(&io_mu_);
  absl::MutexLock l(&cache_mu_);
  if (pages_.empty()) return;
  const uint64_t size = HostSize();
  for (auto it = pages_.lower_bound(start / kPageSize);
       it != pages_.end() && it->first * kPageSize < end; ++it) {
    if (ErrnoOrVoid r = WriteBackPageLocked(it->first, it->second, size); !r.ok()) {
      SK_LOG(WARNING) << "gofer: writing back " << path() << " page " << it->first << ": errno "
                      << r.error().value();
    }
  }
}

void GoferRegularInode::RefreshRangeLocked(uint64_t start, uint64_t end) {
  if (start >= end) return;
  ErrnoOr<int> fd = MapFd();
  for (auto it = pages_.lower_bound(start / kPageSize);
       it != pages_.end() && it->first * kPageSize < end; ++it) {
    const uint64_t ps = it->first * kPageSize;
    const uint64_t a = std::max(start, ps), b = std::min(end, ps + kPageSize);
    uint8_t* dst = mf_->Access(it->second) + (a - ps);
    size_t got = 0;
    if (fd.ok()) {
      ErrnoOr<size_t> n = PreadFull(*fd, dst, b - a, a);
      if (n.ok()) got = *n;
    }
    // Past the end of the file: zeros (a failed read leaves the cache as it was).
    if (fd.ok() && got < b - a) std::memset(dst + got, 0, b - a - got);
  }
}

void GoferRegularInode::RefreshAfterWrite(int fd, int64_t offset, size_t n, bool append,
                                          uint64_t old_size) {
  if (mf_ == nullptr || n == 0) return;
  absl::MutexLock l(&cache_mu_);
  if (pages_.empty()) return;
  uint64_t start, end;
  if (append) {
    end = FdSize(fd);
    if (end == kNoSize) end = HostSize();
    start = end >= n ? end - n : 0;
  } else if (offset >= 0) {
    start = static_cast<uint64_t>(offset);
    end = start + n;
  } else {
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (pos < 0) {
      start = 0;
      end = kNoSize;
    } else {
      end = static_cast<uint64_t>(pos);
      start = end >= n ? end - n : 0;
    }
  }
  // A write past the end also makes the gap (and whatever a mapping stored past the old end of
  // its last page) read as the host file has it: zeros.
  RefreshRangeLocked(std::min(start, old_size), end);
}

void GoferRegularInode::Resized(uint64_t old_size, uint64_t new_size) {
  if (mf_ == nullptr) return;
  absl::MutexLock l(&cache_mu_);
  const uint64_t keep = new_size / kPageSize + (new_size % kPageSize != 0 ? 1 : 0);
  for (auto it = pages_.lower_bound(keep); it != pages_.end();) {
    mf_->DecRef(it->second, kPageSize);  // Mappings keep their own references.
    it = pages_.erase(it);
  }
  // Bytes between the two ends are gone (shrinking) or new zeros (growing, where the last page
  // may hold stores made past the old end).
  const uint64_t lo = std::min(old_size, new_size), hi = std::max(old_size, new_size);
  RefreshRangeLocked(lo, hi > kNoSize - kPageSize ? kNoSize : (hi + kPageSize - 1) & ~mm::kPageMask);
}

void GoferRegularInode::ReloadAll() {
  if (mf_ == nullptr) return;
  absl::MutexLock l(&cache_mu_);
  if (pages_.empty()) return;
  const uint64_t size = HostSize();
  for (auto it = pages_.begin(); it != pages_.end();) {
    if (it->first * kPageSize >= size) {
      mf_->DecRef(it->second, kPageSize);
      it = pages_.erase(it);
    } else {
      ++it;
    }
  }
  RefreshRangeLocked(0, kNoSize);
}

// ---- GoferFile ----

GoferFile::GoferFile(std::shared_ptr<GoferRegularInode> inode, util::UniqueFd fd, int flags)
    : vfs::FileDescription(flags),
      inode_(std::move(inode)),
      fd_(std::move(fd)),
      host_append_((flags & O_APPEND) != 0) {}

GoferFile::~GoferFile() { (void)inode_->WriteBackAll(/*evict=*/true); }

ErrnoOrVoid GoferFile::SyncAppendFlag() {
  const bool want = (flags() & O_APPEND) != 0;
  if (want == host_append_.load()) return {};
  int fl = fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return Errno(errno);
  if (fcntl(fd_.get(), F_SETFL, want ? (fl | O_APPEND) : (fl & ~O_APPEND)) != 0) {
    return Errno(errno);
  }
  host_append_.store(want);
  return {};
}

ErrnoOr<size_t> GoferFile::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  if (!readable()) return Errno(EBADF);
  inode_->WriteBackForRead(fd_.get(), offset, IoVecLen(dst));
  return host::ReadToGuest(fd_.get(), mm, dst, offset);
}

ErrnoOr<size_t> GoferFile::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (!writable()) return Errno(EBADF);
  RETURN_IF_ERRNO(SyncAppendFlag());
  absl::ReaderMutexLock io(&inode_->io_mu_);
  const uint64_t old_size = inode_->HasCachedPages() ? FdSize(fd_.get()) : kNoSize;
  ErrnoOr<size_t> n = host::WriteFromGuest(fd_.get(), mm, src, offset);
  inode_->MarkStale();  // Size, mtime, ctime.
  if (n.ok()) inode_->RefreshAfterWrite(fd_.get(), offset, *n, host_append_.load(), old_size);
  return n;
}

ErrnoOr<size_t> GoferFile::ReadInternal(void* buf, size_t n, int64_t offset) {
  if (!readable()) return Errno(EBADF);
  inode_->WriteBackForRead(fd_.get(), offset, n);
  ssize_t r;
  do {
    r = offset < 0 ? read(fd_.get(), buf, n) : pread(fd_.get(), buf, n, offset);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return Errno(errno);
  return static_cast<size_t>(r);
}

ErrnoOr<size_t> GoferFile::WriteInternal(const void* buf, size_t n, int64_t offset) {
  if (!writable()) return Errno(EBADF);
  RETURN_IF_ERRNO(SyncAppendFlag());
  absl::ReaderMutexLock io(&inode_->io_mu_);
  const uint64_t old_size = inode_->HasCachedPages() ? FdSize(fd_.get()) : kNoSize;
  ssize_t r;
  do {
    r = offset < 0 ? write(fd_.get(), buf, n) : pwrite(fd_.get(), buf, n, offset);
  } while (r < 0 && errno == EINTR);
  int err = errno;
  inode_->MarkStale();  // Size, mtime, ctime.
  if (r < 0) return Errno(err);
  inode_->RefreshAfterWrite(fd_.get(), offset, static_cast<size_t>(r), host_append_.load(),
                            old_size);
  return static_cast<size_t>(r);
}

ErrnoOr<int64_t> GoferFile::Seek(int64_t offset, int whence) {
  // SEEK_SET/CUR/END/DATA/HOLE as the host file system answers them.
  off_t r = lseek(fd_.get(), offset, whence);
  if (r < 0) return Errno(errno);
  return static_cast<int64_t>(r);
}

ErrnoOr<abi_linux::Stat> GoferFile::Stat() {
  struct stat st;
  if (fstat(fd_.get(), &st) != 0) return Errno(errno);
  abi_linux::Stat s = host::StatFromHost(st);
  s.st_dev = inode_->fs().dev();
  s.st_ino = inode_->ino();
  s.st_blksize = 4096;
  return s;
}

ErrnoOrVoid GoferFile::Truncate(uint64_t size) {
  if (!writable()) return Errno(EINVAL);
  if (size > static_cast<uint64_t>(INT64_MAX)) return Errno(EINVAL);
  absl::MutexLock io(&inode_->io_mu_);
  const uint64_t old_size = FdSize(fd_.get());
  int r = ftruncate(fd_.get(), static_cast<off_t>(size));
  int err = errno;
  inode_->MarkStale();
  if (r != 0) return Errno(err);
  if (old_size != kNoSize) inode_->Resized(old_size, size);
  return {};
}

ErrnoOrVoid GoferFile::Allocate(int mode, uint64_t offset, uint64_t len) {
  if (!writable()) return Errno(EBADF);
  absl::MutexLock io(&inode_->io_mu_);
  // fallocate may move or zero data (punch, collapse, insert, zero range): the cache writes
  // its stores back first and reads everything again after.
  const bool cached = inode_->HasCachedPages();
  if (cached) (void)inode_->WriteBackAllLocked(/*evict=*/false);
  int r = fallocate(fd_.get(), mode, static_cast<off_t>(offset), static_cast<off_t>(len));
  int err = errno;
  inode_->MarkStale();
  if (cached) inode_->ReloadAll();
  if (r != 0) return Errno(err);
  return {};
}

ErrnoOrVoid GoferFile::Sync() {
  // Stores made through shared mappings first (msync does not reach the file system).
  RETURN_IF_ERRNO(inode_->WriteBackAll(/*evict=*/true));
  if (fsync(fd_.get()) != 0) return Errno(errno);
  return {};
}

ErrnoOr<std::shared_ptr<mm::Mappable>> GoferFile::GetMappable() {
  return std::shared_ptr<mm::Mappable>(inode_);
}

ErrnoOr<uint64_t> GoferFile::Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  if (request == abi_linux::kFIONREAD) {
    // Bytes from the position to the end of file, as Linux answers for regular files.
    int n = 0;
    if (ioctl(fd_.get(), FIONREAD, &n) != 0) return Errno(errno);
    RETURN_IF_ERRNO(mm.CopyOutObj(mm::UserAddr(arg), n));
    return uint64_t{0};
  }
  return Errno(ENOTTY);
}

std::string GoferFile::Name() const { return inode_->path(); }

}  // namespace sentry::fsimpl::gofer
