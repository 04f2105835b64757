#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/vfs/iovec.h"

#include <poll.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>

#include "abi/linux/termios.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace sentry::fsimpl::pipe {

using util::Errno;
using util::ErrnoOr;

namespace {

// How often a blocked pipe operation looks for a signal to take. Waking
// the waiter directly from signal delivery comes with the general wait
// queues; this bounds the delay.
constexpr absl::Duration kInterruptPoll = absl::Milliseconds(10);

std::atomic<uint64_t> next_ino{1};

using vfs::IoCursor;

size_t Total(const vfs::IoVec& v) { return vfs::IoVecTotal(v); }

}  // namespace

ErrnoOr<size_t> Pipe::ReadWith(size_t want, bool nonblock, ReadCopy copy) {
  if (want == 0) return size_t{0};
  absl::MutexLock l(&mu_);
  while (buf_.empty()) {
    if (writers_ == 0) return size_t{0};  // EOF
    if (nonblock) return Errno(EAGAIN);
    if (vfs::ShouldInterruptWait()) return Errno(EINTR);
    mu_.AwaitWithTimeout(absl::Condition(
                             +[](Pipe* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
                               return !p->buf_.empty() || p->writers_ == 0;
                             },
                             this),
                         kInterruptPoll);
  }
  ASSIGN_OR_RETURN_ERRNO(size_t done, copy(buf_.data(), std::min(want, buf_.size())));
  buf_.erase(0, done);
  return done;
}

ErrnoOr<size_t> Pipe::WriteWith(size_t want, bool nonblock, WriteCopy copy) {
  absl::MutexLock l(&mu_);
  if (readers_ == 0) return Errno(EPIPE);
  if (want == 0) return size_t{0};
  size_t done = 0;
  while (done < want) {
    // Writes of at most PIPE_BUF bytes go in whole, never interleaved.
    size_t need = want <= kPipeBuf ? want : 1;
    while (capacity_ - buf_.size() < need) {
      if (readers_ == 0) return done ? ErrnoOr<size_t>(done) : Errno(EPIPE);
      if (nonblock) return done ? ErrnoOr<size_t>(done) : Errno(EAGAIN);
      if (vfs::ShouldInterruptWait()) return done ? ErrnoOr<size_t>(done) : Errno(EINTR);
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](Pipe* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
                                 return p->buf_.size() < p->capacity_ || p->readers_ == 0;
                               },
                               this),
                           kInterruptPoll);
    }
    if (readers_ == 0) return done ? ErrnoOr<size_t>(done) : Errno(EPIPE);
    size_t n = std::min(capacity_ - buf_.size(), want - done);
    size_t old = buf_.size();
    buf_.resize(old + n);
    ErrnoOr<size_t> copied = copy(buf_.data() + old, n);
    size_t moved = copied.ok() ? *copied : 0;
    buf_.resize(old + moved);
    done += moved;
    if (moved < n) return done ? ErrnoOr<size_t>(done) : Errno(EFAULT);
  }
  return done;
}

namespace {

// Tells waiters what a transfer changed: a read makes room, a write data.
ErrnoOr<size_t> Announce(vfs::WaitQueue& q, ErrnoOr<size_t> r, uint32_t events) {
  if (r.ok() && *r > 0) q.Notify(events);
  return r;
}

}  // namespace

ErrnoOr<size_t> Pipe::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, bool nonblock) {
  IoCursor cur(mm, dst);
  return Announce(queue_,
                  ReadWith(Total(dst), nonblock,
                           [&](const char* buf, size_t n) { return cur.Out(buf, n); }),
                  POLLOUT | POLLWRNORM);
}

ErrnoOr<size_t> Pipe::Write(mm::MemoryManager& mm, const vfs::IoVec& src, bool nonblock) {
  IoCursor cur(mm, src);
  return Announce(
      queue_,
      WriteWith(Total(src), nonblock, [&](char* buf, size_t n) { return cur.In(buf, n); }),
      POLLIN | POLLRDNORM);
}

ErrnoOr<size_t> Pipe::ReadInternal(void* dst, size_t n, bool nonblock) {
  return Announce(queue_,
                  ReadWith(n, nonblock,
                           [&](const char* buf, size_t k) -> ErrnoOr<size_t> {
                             std::memcpy(dst, buf, k);
                             return k;
                           }),
                  POLLOUT | POLLWRNORM);
}

ErrnoOr<size_t> Pipe::WriteInternal(const void* src, size_t n, bool nonblock) {
  const char* next = static_cast<const char*>(src);
  return Announce(queue_,
                  WriteWith(n, nonblock,
                            [&](char* buf, size_t k) -> ErrnoOr<size_t> {
                              std::memcpy(buf, next, k);
                              next += k;
                              return k;
                            }),
                  POLLIN | POLLRDNORM);
}

ErrnoOr<size_t> Pipe::SpliceIn(size_t max, bool nonblock, Fill fill) {
  if (max == 0) return size_t{0};
  ErrnoOr<size_t> r = [&]() -> ErrnoOr<size_t> {
    absl::MutexLock l(&mu_);
    while (readers_ > 0 && buf_.size() >= capacity_) {
      if (nonblock) return Errno(EAGAIN);
      if (vfs::ShouldInterruptWait()) return Errno(EINTR);
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](Pipe* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
                                 return p->buf_.size() < p->capacity_ || p->readers_ == 0;
                               },
                               this),
                           kInterruptPoll);
    }
    if (readers_ == 0) return Errno(EPIPE);
    size_t n = std::min(max, capacity_ - buf_.size());
    size_t old = buf_.size();
    buf_.resize(old + n);
    ErrnoOr<size_t> got = fill(buf_.data() + old, n);
    buf_.resize(old + (got.ok() ? std::min(*got, n) : 0));
    if (!got.ok()) return got.error();
    return std::min(*got, n);
  }();
  return Announce(queue_, r, POLLIN | POLLRDNORM);
}

ErrnoOr<size_t> Pipe::SpliceOut(size_t max, bool nonblock, Drain drain) {
  if (max == 0) return size_t{0};
  ErrnoOr<size_t> r = [&]() -> ErrnoOr<size_t> {
    absl::MutexLock l(&mu_);
    while (buf_.empty()) {
      if (writers_ == 0) return size_t{0};
      if (nonblock) return Errno(EAGAIN);
      if (vfs::ShouldInterruptWait()) return Errno(EINTR);
      mu_.AwaitWithTimeout(absl::Condition(
                               +[](Pipe* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
                                 return !p->buf_.empty() || p->writers_ == 0;
                               },
                               this),
                           kInterruptPoll);
    }
    ErrnoOr<size_t> put = drain(buf_.data(), std::min(max, buf_.size()));
    if (!put.ok()) return put.error();
    size_t n = std::min(*put, buf_.size());
    buf_.erase(0, n);
    return n;
  }();
  return Announce(queue_, r, POLLOUT | POLLWRNORM);
}

ErrnoOr<size_t> Pipe::Transfer(Pipe& from, Pipe& to, size_t max, bool nonblock, bool consume) {
  if (max == 0) return size_t{0};
  while (true) {
    {  // Data in `from`, or its end.
      absl::MutexLock l(&from.mu_);
      while (from.buf_.empty()) {
        if (from.writers_ == 0) return size_t{0};
        if (nonblock) return Errno(EAGAIN);
        if (vfs::ShouldInterruptWait()) return Errno(EINTR);
        from.mu_.AwaitWithTimeout(absl::Condition(
                                      +[](Pipe* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
                                        return !p->buf_.empty() || p->writers_ == 0;
                                      },
                                      &from),
                                  kInterruptPoll);
      }
    }
    {  // Room in `to`.
      absl::MutexLock l(&to.mu_);
      while (to.readers_ > 0 && to.buf_.size() >= to.capacity_) {
        if (nonblock) return Errno(EAGAIN);
        if (vfs::ShouldInterruptWait()) return Errno(EINTR);
        to.mu_.AwaitWithTimeout(absl::Condition(
                                    +[](Pipe* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
                                      return p->buf_.size() < p->capacity_ || p->readers_ == 0;
                                    },
                                    &to),
                                kInterruptPoll);
      }
      if (to.readers_ == 0) return Errno(EPIPE);
    }
    size_t n = 0;
    {
      // Both at once, in address order (Linux's pipe_double_lock); another
      // reader or writer may have come between, then wait again.
      bool from_first = std::less<Pipe*>()(&from, &to);
      absl::MutexLock l1(from_first ? &from.mu_ : &to.mu_);
      absl::MutexLock l2(from_first ? &to.mu_ : &from.mu_);
      if (to.readers_ == 0) return Errno(EPIPE);
      if (from.buf_.empty() && from.writers_ == 0) return size_t{0};
      if (!from.buf_.empty() && to.buf_.size() < to.capacity_) {
        n = std::min({max, from.buf_.size(), to.capacity_ - to.buf_.size()});
        to.buf_.append(from.buf_, 0, n);
        if (consume) from.buf_.erase(0, n);
      }
    }
    if (n == 0) continue;
    to.queue_.Notify(POLLIN | POLLRDNORM);
    if (consume) from.queue_.Notify(POLLOUT | POLLWRNORM);
    return n;
  }
}

uint32_t Pipe::Readiness(bool reader, bool writer, uint32_t mask) {
  absl::MutexLock l(&mu_);
  uint32_t r = 0;
  if (reader) {
    if (!buf_.empty()) r |= POLLIN | POLLRDNORM;
    // A reader sees POLLHUP once every writer is gone (after one existed).
    if (writers_ == 0 && writer_opens_ > 0) r |= POLLHUP;
  }
  if (writer) {
    if (capacity_ - buf_.size() >= kPipeBuf) r |= POLLOUT | POLLWRNORM;
    if (readers_ == 0) r |= POLLERR;
  }
  return r & (mask | POLLHUP | POLLERR);
}

size_t Pipe::Buffered() {
  absl::MutexLock l(&mu_);
  return buf_.size();
}

size_t Pipe::capacity() {
  absl::MutexLock l(&mu_);
  return capacity_;
}

util::ErrnoOrVoid Pipe::SetCapacity(size_t bytes) {
  {
    absl::MutexLock l(&mu_);
    if (buf_.size() > bytes) return Errno(EBUSY);
    capacity_ = bytes;
  }
  // A larger pipe may have room for a blocked writer now.
  queue_.Notify(POLLOUT | POLLWRNORM);
  return {};
}

void Pipe::AddEnd(bool reader) {
  {
    absl::MutexLock l(&mu_);
    (reader ? readers_ : writers_)++;
    (reader ? reader_opens_ : writer_opens_)++;
  }
  queue_.Notify(0);
}

void Pipe::RemoveEnd(bool reader) {
  {
    absl::MutexLock l(&mu_);
    (reader ? readers_ : writers_)--;
  }
  queue_.Notify(0);  // hang-up or error for the other side
}

int Pipe::readers() {
  absl::MutexLock l(&mu_);
  return readers_;
}

int Pipe::writers() {
  absl::MutexLock l(&mu_);
  return writers_;
}

bool Pipe::Unused() {
  absl::MutexLock l(&mu_);
  return readers_ == 0 && writers_ == 0;
}

uint64_t Pipe::ReaderOpens() {
  absl::MutexLock l(&mu_);
  return reader_opens_;
}

uint64_t Pipe::WriterOpens() {
  absl::MutexLock l(&mu_);
  return writer_opens_;
}

bool Pipe::WaitForPeer(bool want_reader, uint64_t seen) {
  absl::MutexLock l(&mu_);
  uint64_t* opens = want_reader ? &reader_opens_ : &writer_opens_;
  while (*opens == seen) {
    if (vfs::ShouldInterruptWait()) return false;
    struct Arg {
      uint64_t* opens;
      uint64_t seen;
    } arg{opens, seen};
    mu_.AwaitWithTimeout(absl::Condition(
                             +[](Arg* a) { return *a->opens != a->seen; }, &arg),
                         kInterruptPoll);
  }
  return true;
}

PipeEnd::PipeEnd(std::shared_ptr<Pipe> pipe, bool reader, int flags)
    : vfs::FileDescription((reader ? O_RDONLY : O_WRONLY) | (flags & O_NONBLOCK)),
      pipe_(std::move(pipe)),
      reader_(reader),
      writer_(!reader) {
  pipe_->AddEnd(reader_);
}

PipeEnd::PipeEnd(std::shared_ptr<Pipe> pipe, int flags)
    : vfs::FileDescription(flags &
                           (O_ACCMODE | O_NONBLOCK | O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME)),
      pipe_(std::move(pipe)),
      reader_((flags & O_ACCMODE) != O_WRONLY),
      writer_((flags & O_ACCMODE) != O_RDONLY),
      named_(true) {
  if (reader_) pipe_->AddEnd(true);
  if (writer_) pipe_->AddEnd(false);
}

PipeEnd::~PipeEnd() {
  if (reader_) pipe_->RemoveEnd(true);
  if (writer_) pipe_->RemoveEnd(false);
}

ErrnoOr<size_t> PipeEnd::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  if (!reader_) return Errno(EBADF);
  return pipe_->Read(mm, dst, flags_ & O_NONBLOCK);
}

ErrnoOr<size_t> PipeEnd::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  if (!writer_) return Errno(EBADF);
  return pipe_->Write(mm, src, flags_ & O_NONBLOCK);
}

ErrnoOr<size_t> PipeEnd::ReadInternal(void* buf, size_t n, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  if (!reader_) return Errno(EBADF);
  return pipe_->ReadInternal(buf, n, flags_ & O_NONBLOCK);
}

ErrnoOr<size_t> PipeEnd::WriteInternal(const void* buf, size_t n, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  if (!writer_) return Errno(EBADF);
  return pipe_->WriteInternal(buf, n, flags_ & O_NONBLOCK);
}

ErrnoOr<abi_linux::Stat> PipeEnd::Stat() {
  if (named_ && inode() != nullptr) return inode()->Stat();
  abi_linux::Stat st{};
  st.st_dev = 0xc;  // pipefs
  st.st_ino = pipe_->ino();
  st.st_nlink = 1;
  st.st_mode = S_IFIFO | 0600;
  st.st_blksize = 4096;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  st.st_atim = st.st_mtim = st.st_ctim = {now.tv_sec, now.tv_nsec};
  return st;
}

ErrnoOr<uint64_t> PipeEnd::Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  if (request == abi_linux::kFIONREAD) {
    int n = static_cast<int>(pipe_->Buffered());
    RETURN_IF_ERRNO(mm.CopyOutObj(mm::UserAddr(arg), n));
    return uint64_t{0};
  }
  return Errno(ENOTTY);
}

std::string PipeEnd::Name() const { return absl::StrCat("pipe:[", pipe_->ino(), "]"); }

std::pair<std::shared_ptr<PipeEnd>, std::shared_ptr<PipeEnd>> NewPipe(int flags) {
  auto p = std::make_shared<Pipe>(next_ino.fetch_add(1));
  return {std::make_shared<PipeEnd>(p, true, flags), std::make_shared<PipeEnd>(p, false, flags)};
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> NamedPipe::Open(int flags) {
  int acc = flags & O_ACCMODE;
  bool nonblock = flags & O_NONBLOCK;
  if (acc != O_RDONLY && acc != O_WRONLY && acc != O_RDWR) return Errno(EINVAL);
  std::shared_ptr<Pipe> p;
  std::shared_ptr<PipeEnd> end;
  uint64_t seen = 0;
  {
    // Joining the pipe under mu_ keeps another open from replacing it
    // between choosing it and joining it.
    absl::MutexLock l(&mu_);
    if (pipe_ == nullptr || pipe_->Unused()) pipe_ = std::make_shared<Pipe>(next_ino.fetch_add(1));
    p = pipe_;
    if (acc == O_WRONLY && nonblock && p->readers() == 0) return Errno(ENXIO);
    seen = acc == O_RDONLY ? p->WriterOpens() : p->ReaderOpens();
    end = std::make_shared<PipeEnd>(p, flags);
  }
  if (acc == O_RDWR || nonblock) return std::shared_ptr<vfs::FileDescription>(end);
  bool want_reader = acc == O_WRONLY;
  if ((want_reader ? p->readers() : p->writers()) > 0) {
    return std::shared_ptr<vfs::FileDescription>(end);
  }
  if (!p->WaitForPeer(want_reader, seen)) return Errno(EINTR);  // `end` closes.
  return std::shared_ptr<vfs::FileDescription>(end);
}

}  // namespace sentry::fsimpl::pipe
