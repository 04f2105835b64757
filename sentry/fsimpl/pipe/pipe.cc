#include "sentry/fsimpl/pipe/pipe.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <atomic>

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

size_t Total(const vfs::IoVec& v) {
  size_t n = 0;
  for (const auto& s : v) n += s.len;
  return n;
}

}  // namespace

ErrnoOr<size_t> Pipe::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, bool nonblock) {
  size_t want = Total(dst);
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
  size_t done = 0;
  for (const auto& seg : dst) {
    if (done == buf_.size()) break;
    size_t n = std::min<size_t>(seg.len, buf_.size() - done);
    auto copied = mm.CopyOut(seg.addr, buf_.data() + done, n);
    if (!copied.ok()) {
      if (done == 0) return copied.error();
      break;
    }
    done += *copied;
    if (*copied < n) break;
  }
  buf_.erase(0, done);
  return done;
}

ErrnoOr<size_t> Pipe::Write(mm::MemoryManager& mm, const vfs::IoVec& src, bool nonblock) {
  size_t want = Total(src);
  absl::MutexLock l(&mu_);
  if (readers_ == 0) return Errno(EPIPE);
  if (want == 0) return size_t{0};
  size_t done = 0;
  size_t seg = 0, seg_off = 0;
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
    size_t room = capacity_ - buf_.size();
    while (room > 0 && seg < src.size()) {
      size_t n = std::min<size_t>(room, src[seg].len - seg_off);
      size_t old = buf_.size();
      buf_.resize(old + n);
      auto copied = mm.CopyIn(src[seg].addr + seg_off, buf_.data() + old, n);
      if (!copied.ok() || *copied < n) {
        buf_.resize(old + (copied.ok() ? *copied : 0));
        done += copied.ok() ? *copied : 0;
        if (done == 0) return Errno(EFAULT);
        return done;
      }
      done += n;
      room -= n;
      seg_off += n;
      if (seg_off == src[seg].len) {
        ++seg;
        seg_off = 0;
      }
    }
  }
  return done;
}

size_t Pipe::Buffered() {
  absl::MutexLock l(&mu_);
  return buf_.size();
}

void Pipe::AddEnd(bool reader) {
  absl::MutexLock l(&mu_);
  (reader ? readers_ : writers_)++;
}

void Pipe::RemoveEnd(bool reader) {
  absl::MutexLock l(&mu_);
  (reader ? readers_ : writers_)--;
}

PipeEnd::PipeEnd(std::shared_ptr<Pipe> pipe, bool reader, int flags)
    : vfs::FileDescription((reader ? O_RDONLY : O_WRONLY) | (flags & O_NONBLOCK)),
      pipe_(std::move(pipe)), reader_(reader) {
  pipe_->AddEnd(reader_);
}

PipeEnd::~PipeEnd() { pipe_->RemoveEnd(reader_); }

ErrnoOr<size_t> PipeEnd::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  return pipe_->Read(mm, dst, flags_ & O_NONBLOCK);
}

ErrnoOr<size_t> PipeEnd::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  return pipe_->Write(mm, src, flags_ & O_NONBLOCK);
}

ErrnoOr<abi_linux::Stat> PipeEnd::Stat() {
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

}  // namespace sentry::fsimpl::pipe
