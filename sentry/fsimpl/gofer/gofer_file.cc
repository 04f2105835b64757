// Regular files on a gofer file system: opening (a host fd donated by the gofer), I/O straight
// between that fd and guest memory (or the sentry's, for sendfile and copy_file_range), and
// private mappings read through a kept read-only fd.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi/linux/termios.h"
#include "sentry/fsimpl/gofer/gofer_fs.h"
#include "sentry/fsimpl/host/host_file.h"

namespace sentry::fsimpl::gofer {

// ---- GoferRegularInode ----

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

ErrnoOr<int> GoferRegularInode::MapFd() {
  absl::MutexLock l(&fd_mu_);
  if (!map_fd_.valid()) {
    ASSIGN_OR_RETURN_ERRNO(map_fd_, client().Open(handle(), O_RDONLY));
  }
  return map_fd_.get();
}

uint64_t GoferRegularInode::MappableSize() {
  if (ErrnoOr<int> fd = MapFd(); fd.ok()) {
    struct stat st;
    if (fstat(*fd, &st) == 0) return static_cast<uint64_t>(st.st_size);
  }
  ErrnoOr<::gofer::Attributes> a = Attrs();
  return a.ok() ? a->size : 0;
}

ErrnoOr<size_t> GoferRegularInode::ReadForMap(void* dst, size_t len, uint64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(int fd, MapFd());
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

// ---- GoferFile ----

GoferFile::GoferFile(std::shared_ptr<GoferRegularInode> inode, util::UniqueFd fd, int flags)
    : vfs::FileDescription(flags),
      inode_(std::move(inode)),
      fd_(std::move(fd)),
      host_append_((flags & O_APPEND) != 0) {}

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
  return host::ReadToGuest(fd_.get(), mm, dst, offset);
}

ErrnoOr<size_t> GoferFile::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (!writable()) return Errno(EBADF);
  RETURN_IF_ERRNO(SyncAppendFlag());
  ErrnoOr<size_t> n = host::WriteFromGuest(fd_.get(), mm, src, offset);
  inode_->MarkStale();  // Size, mtime, ctime.
  return n;
}

ErrnoOr<size_t> GoferFile::ReadInternal(void* buf, size_t n, int64_t offset) {
  if (!readable()) return Errno(EBADF);
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
  ssize_t r;
  do {
    r = offset < 0 ? write(fd_.get(), buf, n) : pwrite(fd_.get(), buf, n, offset);
  } while (r < 0 && errno == EINTR);
  int err = errno;
  inode_->MarkStale();  // Size, mtime, ctime.
  if (r < 0) return Errno(err);
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
  int r = ftruncate(fd_.get(), static_cast<off_t>(size));
  int err = errno;
  inode_->MarkStale();
  if (r != 0) return Errno(err);
  return {};
}

ErrnoOrVoid GoferFile::Allocate(int mode, uint64_t offset, uint64_t len) {
  if (!writable()) return Errno(EBADF);
  int r = fallocate(fd_.get(), mode, static_cast<off_t>(offset), static_cast<off_t>(len));
  int err = errno;
  inode_->MarkStale();
  if (r != 0) return Errno(err);
  return {};
}

ErrnoOrVoid GoferFile::Sync() {
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
