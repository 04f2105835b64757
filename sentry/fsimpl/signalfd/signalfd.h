// signalfd(2): a file that reads the caller's pending signals in its mask
// as signalfd_siginfo records, taking them (they are then not delivered).
// Readable (POLLIN) while one of them is pending.
//
//   auto f = std::make_shared<signalfd::SignalFd>(source, mask, flags);
//   f->set_mask(new_mask);  // signalfd4 on an existing signalfd
//
// The file knows signals only through a SignalSource, which the syscall
// layer implements over the kernel's tasks (fsimpl does not link the
// kernel).
#ifndef SENTRY_FSIMPL_SIGNALFD_SIGNALFD_H_
#define SENTRY_FSIMPL_SIGNALFD_SIGNALFD_H_

#include <atomic>
#include <memory>

#include "abi/linux/signal.h"
#include "abi/linux/signalfd.h"
#include "sentry/vfs/file_description.h"
#include "sentry/vfs/waiter.h"

namespace sentry::fsimpl::signalfd {

// The signals of whoever uses the file (Linux's `current`).
class SignalSource {
 public:
  virtual ~SignalSource() = default;
  // Which signals of `mask` are pending for the calling thread.
  virtual abi_linux::SigSet Pending(abi_linux::SigSet mask) = 0;
  // Takes one of them (lowest number, oldest instance); false if none.
  virtual bool Dequeue(abi_linux::SigSet mask, abi_linux::Siginfo* info) = 0;
  // Notified whenever a signal is queued.
  virtual vfs::WaitQueue* queue() = 0;
};

class SignalFd : public vfs::FileDescription {
 public:
  // flags: O_NONBLOCK (SFD_NONBLOCK).
  SignalFd(std::shared_ptr<SignalSource> source, abi_linux::SigSet mask, int flags);

  abi_linux::SigSet mask() const { return mask_.load(); }
  void set_mask(abi_linux::SigSet m);

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override { return source_->queue(); }
  std::string Name() const override { return "anon_inode:[signalfd]"; }

 private:
  // Fills up to `max` records, blocking for the first unless O_NONBLOCK.
  util::ErrnoOr<size_t> Take(abi_linux::SignalfdSiginfo* out, size_t max);

  std::shared_ptr<SignalSource> source_;
  std::atomic<abi_linux::SigSet> mask_;
};

}  // namespace sentry::fsimpl::signalfd

#endif  // SENTRY_FSIMPL_SIGNALFD_SIGNALFD_H_
