// eventfd(2): a 64-bit counter as a file. Reads take the count (or one,
// with EFD_SEMAPHORE) and block while it is zero; writes add and block
// while the sum would overflow.
//
//   auto f = std::make_shared<eventfd::EventFd>(initval, flags);
#ifndef SENTRY_FSIMPL_EVENTFD_EVENTFD_H_
#define SENTRY_FSIMPL_EVENTFD_EVENTFD_H_

#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::eventfd {

class EventFd : public vfs::FileDescription {
 public:
  // flags: O_NONBLOCK and EFD_SEMAPHORE (as eventfd2 takes them).
  EventFd(uint64_t initval, int flags);

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src,
                              int64_t offset) override;
  util::ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override { return &queue_; }
  std::string Name() const override { return "anon_inode:[eventfd]"; }

 private:
  util::ErrnoOr<uint64_t> Take();
  util::ErrnoOrVoid Add(uint64_t v);

  const bool semaphore_;
  absl::Mutex mu_;
  uint64_t count_ ABSL_GUARDED_BY(mu_);
  vfs::WaitQueue queue_;
};

}  // namespace sentry::fsimpl::eventfd

#endif  // SENTRY_FSIMPL_EVENTFD_EVENTFD_H_
