// Pipes: a buffer in the sentry with a read end and a write end, as
// pipe(2) makes them. 64 KiB of capacity, writes of up to PIPE_BUF bytes
// are atomic, EOF when no writer is left, EPIPE when no reader is.
//
//   auto [r, w] = pipe::NewPipe(O_NONBLOCK);
#ifndef SENTRY_FSIMPL_PIPE_PIPE_H_
#define SENTRY_FSIMPL_PIPE_PIPE_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::pipe {

inline constexpr size_t kDefaultCapacity = 64 << 10;
inline constexpr size_t kPipeBuf = 4096;

class Pipe {
 public:
  explicit Pipe(uint64_t ino) : ino_(ino) {}
  uint64_t ino() const { return ino_; }

  // Blocking unless `nonblock`; EAGAIN when it would block, EINTR when the
  // task must take a signal first.
  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, bool nonblock);
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, bool nonblock);
  size_t Buffered();
  void AddEnd(bool reader);
  void RemoveEnd(bool reader);

 private:
  const uint64_t ino_;
  absl::Mutex mu_;
  std::string buf_ ABSL_GUARDED_BY(mu_);
  size_t capacity_ ABSL_GUARDED_BY(mu_) = kDefaultCapacity;
  int readers_ ABSL_GUARDED_BY(mu_) = 0;
  int writers_ ABSL_GUARDED_BY(mu_) = 0;
};

class PipeEnd : public vfs::FileDescription {
 public:
  PipeEnd(std::shared_ptr<Pipe> pipe, bool reader, int flags);
  ~PipeEnd() override;

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  util::ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  std::string Name() const override;
  bool is_pipe() const override { return true; }

 private:
  std::shared_ptr<Pipe> pipe_;
  bool reader_;
};

// A new pipe: (read end, write end). `flags` may hold O_NONBLOCK.
std::pair<std::shared_ptr<PipeEnd>, std::shared_ptr<PipeEnd>> NewPipe(int flags);

}  // namespace sentry::fsimpl::pipe

#endif  // SENTRY_FSIMPL_PIPE_PIPE_H_
