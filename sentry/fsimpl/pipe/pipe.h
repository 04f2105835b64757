// Pipes: a buffer in the sentry with a read end and a write end, as
// pipe(2) makes them. 64 KiB of capacity, writes of up to PIPE_BUF bytes
// are atomic, EOF when no writer is left, EPIPE when no reader is.
// NamedPipe is the pipe behind a FIFO inode (mkfifo(3)), opened by path
// with fifo(7)'s blocking rules; any file system's FIFO inode keeps one.
//
//   auto [r, w] = pipe::NewPipe(O_NONBLOCK);
//
//   class MyFifoInode : public vfs::Inode {
//     ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context&, int flags) override {
//       return pipe_.Open(flags);  // pipe::NamedPipe pipe_;
//     }
//   };
//
// Lock order: NamedPipe::mu_, then Pipe::mu_.
#ifndef SENTRY_FSIMPL_PIPE_PIPE_H_
#define SENTRY_FSIMPL_PIPE_PIPE_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
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
  // The same, to and from sentry memory (sendfile(2), copy_file_range(2)).
  util::ErrnoOr<size_t> ReadInternal(void* dst, size_t n, bool nonblock);
  util::ErrnoOr<size_t> WriteInternal(const void* src, size_t n, bool nonblock);
  size_t Buffered();
  // The capacity in bytes (F_GETPIPE_SZ), and a change of it
  // (F_SETPIPE_SZ) to `bytes`, already rounded by the caller; EBUSY when
  // more than that is buffered.
  size_t capacity();
  util::ErrnoOrVoid SetCapacity(size_t bytes);

  // ---- splice(2) and tee(2) ----
  // Each waits as read(2)/write(2) do: EAGAIN instead when `nonblock`,
  // EINTR when the task must take a signal first.
  using Fill = absl::FunctionRef<util::ErrnoOr<size_t>(char* buf, size_t n)>;
  using Drain = absl::FunctionRef<util::ErrnoOr<size_t>(const char* buf, size_t n)>;
  // Fills the pipe from a source: waits for room (EPIPE when no reader is
  // left), then calls `fill` once with the free space, at most `max`
  // bytes, to write into; what it wrote (0: the source is at its end) is
  // what the pipe gained. Holding the pipe's lock, so nothing is lost to a
  // racing writer.
  util::ErrnoOr<size_t> SpliceIn(size_t max, bool nonblock, Fill fill);
  // Drains the pipe into a sink: waits for data (0 when it is empty and no
  // writer is left), then calls `drain` once with up to `max` buffered
  // bytes; what it took leaves the pipe.
  util::ErrnoOr<size_t> SpliceOut(size_t max, bool nonblock, Drain drain);
  // Moves up to `max` bytes from `from` to `to` (or, unless `consume`,
  // copies them, for tee(2)): waits for data in `from` (0 when empty with
  // no writer) and room in `to` (EPIPE when no reader). The two must
  // differ.
  static util::ErrnoOr<size_t> Transfer(Pipe& from, Pipe& to, size_t max, bool nonblock,
                                        bool consume);
  // poll(2) events for an end that reads and/or writes; changes are
  // announced on events().
  uint32_t Readiness(bool reader, bool writer, uint32_t mask);
  vfs::WaitQueue* events() { return &queue_; }
  void AddEnd(bool reader);
  void RemoveEnd(bool reader);

  // Ends open now.
  int readers();
  int writers();
  // Whether no end is open.
  bool Unused();
  // For FIFO opens (fifo(7)): how many read (write) ends were ever opened,
  // and a wait until that count moves past `seen` (a peer opened). False
  // when the wait gave up because the task must take a signal.
  uint64_t ReaderOpens();
  uint64_t WriterOpens();
  bool WaitForPeer(bool want_reader, uint64_t seen);

 private:
  // Moves bytes between the pipe's buffer and the caller's memory: `n`
  // bytes at `buf` (out of the buffer for a read, into it for a write),
  // continuing where the previous call for the same transfer stopped.
  // Returns how many were moved: fewer at a fault, an error (EFAULT) when
  // none could be. Called with mu_ held; it must not take it.
  using ReadCopy = absl::FunctionRef<util::ErrnoOr<size_t>(const char* buf, size_t n)>;
  using WriteCopy = absl::FunctionRef<util::ErrnoOr<size_t>(char* buf, size_t n)>;
  // The whole of read(2) and write(2) but the copying, for `want` bytes.
  util::ErrnoOr<size_t> ReadWith(size_t want, bool nonblock, ReadCopy copy);
  util::ErrnoOr<size_t> WriteWith(size_t want, bool nonblock, WriteCopy copy);

  const uint64_t ino_;
  vfs::WaitQueue queue_;  // notified with mu_ released
  absl::Mutex mu_;
  std::string buf_ ABSL_GUARDED_BY(mu_);
  size_t capacity_ ABSL_GUARDED_BY(mu_) = kDefaultCapacity;
  int readers_ ABSL_GUARDED_BY(mu_) = 0;
  int writers_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t reader_opens_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t writer_opens_ ABSL_GUARDED_BY(mu_) = 0;
};

class PipeEnd : public vfs::FileDescription {
 public:
  PipeEnd(std::shared_ptr<Pipe> pipe, bool reader, int flags);
  // An end of a named pipe: the access mode of `flags` says which roles it
  // has (O_RDWR is both a reader and a writer, as Linux's FIFOs allow).
  // Its Stat is the FIFO inode's once the VFS has set its path.
  PipeEnd(std::shared_ptr<Pipe> pipe, int flags);
  ~PipeEnd() override;

  util::ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  util::ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src,
                              int64_t offset) override;
  util::ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  util::ErrnoOr<abi_linux::Stat> Stat() override;
  util::ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  std::string Name() const override;
  bool is_pipe() const override { return true; }
  uint32_t Readiness(uint32_t mask) override { return pipe_->Readiness(reader_, writer_, mask); }
  Pipe& pipe() { return *pipe_; }
  vfs::WaitQueue* events() override { return pipe_->events(); }

 private:
  std::shared_ptr<Pipe> pipe_;
  bool reader_;
  bool writer_;
  bool named_ = false;
};

// A new pipe: (read end, write end). `flags` may hold O_NONBLOCK.
std::pair<std::shared_ptr<PipeEnd>, std::shared_ptr<PipeEnd>> NewPipe(int flags);

// The pipe of one FIFO inode. All opens share one Pipe while any end of it
// is open; once every end is closed the buffer is gone and the next open
// starts a fresh one, as Linux frees a FIFO's pipe_inode_info.
class NamedPipe {
 public:
  NamedPipe() = default;
  NamedPipe(const NamedPipe&) = delete;
  NamedPipe& operator=(const NamedPipe&) = delete;

  // open(2) of the FIFO, as fifo(7) describes: O_RDONLY waits for a writer
  // unless O_NONBLOCK; O_WRONLY waits for a reader, or fails with ENXIO
  // under O_NONBLOCK when there is none; O_RDWR never waits. A wait gives up
  // with EINTR when the task must take a signal (vfs::ShouldInterruptWait).
  util::ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(int flags);

 private:
  absl::Mutex mu_;
  // The shared pipe, made anew by an open that finds no end of it open.
  std::shared_ptr<Pipe> pipe_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::fsimpl::pipe

#endif  // SENTRY_FSIMPL_PIPE_PIPE_H_
