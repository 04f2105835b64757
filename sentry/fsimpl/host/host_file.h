// A file description backed by a host fd the sentry was given at start-up:
// the container's stdio. Data moves between the host fd and guest memory
// directly (the guest's pages are pinned in the memory file); terminal
// ioctls are passed through.
//
//   auto f = std::make_shared<HostFile>(util::UniqueFd(dup(0)), O_RDWR);
#ifndef SENTRY_FSIMPL_HOST_HOST_FILE_H_
#define SENTRY_FSIMPL_HOST_HOST_FILE_H_

#include <sys/stat.h>

#include "sentry/vfs/file_description.h"
#include "util/unique_fd.h"

namespace sentry::fsimpl::host {

class HostFile : public vfs::FileDescription {
 public:
  // `flags` are the guest-visible open flags; the access mode is taken from
  // the host fd when it can be read.
  HostFile(util::UniqueFd fd, int flags);

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst,
                             int64_t offset) override;
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src,
                              int64_t offset) override;
  util::ErrnoOr<int64_t> Seek(int64_t offset, int whence) override;
  util::ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  // The host fd's readiness (a zero-timeout poll); waiters re-check it.
  uint32_t Readiness(uint32_t mask) override;
  // The container's stdio may be a regular file: ftruncate(2) and
  // O_TRUNC through /dev/stdout reach it.
  util::ErrnoOrVoid Truncate(uint64_t size) override;
  util::ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  std::string Name() const override;

  int host_fd() const { return fd_.get(); }

 private:
  util::UniqueFd fd_;
};

// Moves data between a host fd and guest memory without a copy through the
// sentry: the guest's pages are pinned and handed to readv/preadv (writev/
// pwritev). offset < 0 uses the fd's own position.
util::ErrnoOr<size_t> ReadToGuest(int fd, mm::MemoryManager& mm, const vfs::IoVec& dst,
                                  int64_t offset);
util::ErrnoOr<size_t> WriteFromGuest(int fd, mm::MemoryManager& mm, const vfs::IoVec& src,
                                     int64_t offset);

// Converts a host struct stat (same x86-64 layout) to the guest's.
abi_linux::Stat StatFromHost(const struct stat& st);

}  // namespace sentry::fsimpl::host

#endif  // SENTRY_FSIMPL_HOST_HOST_FILE_H_
