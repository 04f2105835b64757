// timerfd_create(2): a timer as a file. Reads return how many times the
// timer expired since the last read (8 bytes) and block while none did;
// the file is readable (POLLIN) while the count is not zero.
//
// The countdown itself runs on the kernel's timer thread, which lives above
// this library: the kernel supplies it as a Countdown and reports expiries
// through AddExpirations.
//
//   auto f = std::make_shared<timerfd::TimerFd>(flags);
//   f->set_countdown(std::make_unique<KernelCountdown>(..., std::weak_ptr(f)));
//   f->SetTime({.value_ns = 1'000'000, .period_ns = 0}, /*absolute=*/false);
#ifndef SENTRY_FSIMPL_TIMERFD_TIMERFD_H_
#define SENTRY_FSIMPL_TIMERFD_TIMERFD_H_

#include <cstdint>
#include <memory>

#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::timerfd {

// A setting as timerfd_gettime(2) reports it: ns to the next expiry (0:
// disarmed) and the period (0: one-shot).
struct Setting {
  int64_t value_ns = 0;
  int64_t period_ns = 0;
};

// The timer behind a TimerFd.
class Countdown {
 public:
  virtual ~Countdown() = default;
  // Arms (value > 0: absolute on the timer's clock, or relative) or
  // disarms; returns the previous setting.
  virtual Setting Set(Setting s, bool absolute) = 0;
  virtual Setting Get() = 0;
};

class TimerFd : public vfs::FileDescription {
 public:
  // flags: O_NONBLOCK (TFD_NONBLOCK).
  explicit TimerFd(int flags);
  ~TimerFd() override;

  void set_countdown(std::unique_ptr<Countdown> c) { countdown_ = std::move(c); }
  // timerfd_settime: clears the expiration count and re-arms.
  Setting SetTime(Setting s, bool absolute);
  Setting GetTime() { return countdown_->Get(); }
  // Called by the countdown when the timer expired `n` times.
  void AddExpirations(uint64_t n);

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override { return &queue_; }
  std::string Name() const override { return "anon_inode:[timerfd]"; }

 private:
  util::ErrnoOr<uint64_t> Take();

  std::unique_ptr<Countdown> countdown_;
  absl::Mutex mu_;
  uint64_t count_ ABSL_GUARDED_BY(mu_) = 0;
  vfs::WaitQueue queue_;
};

}  // namespace sentry::fsimpl::timerfd

#endif  // SENTRY_FSIMPL_TIMERFD_TIMERFD_H_
