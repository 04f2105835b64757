// Walking a guest I/O vector from sentry code that moves bytes in pieces
// (pipes and sockets, whose buffers are not one contiguous range).
//
//   vfs::IoCursor cur(mm, iov);
//   ASSIGN_OR_RETURN_ERRNO(size_t n, cur.Out(buf, len));  // next bytes of iov
#ifndef SENTRY_VFS_IOVEC_H_
#define SENTRY_VFS_IOVEC_H_

#include <algorithm>

#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

inline size_t IoVecTotal(const IoVec& v) {
  size_t n = 0;
  for (const auto& s : v) n += s.len;
  return n;
}

// Each call moves the next bytes of the vector. Returns how many were
// moved, fewer at a fault; EFAULT (or the copy's error) when none could be.
class IoCursor {
 public:
  IoCursor(mm::MemoryManager& mm, const IoVec& v) : mm_(mm), v_(v) {}

  // Copies n bytes from `src` to the vector.
  ErrnoOr<size_t> Out(const char* src, size_t n) {
    return Move(n, [&](mm::UserAddr a, size_t k, size_t done) {
      return mm_.CopyOut(a, src + done, k);
    });
  }
  // Copies n bytes from the vector to `dst`.
  ErrnoOr<size_t> In(char* dst, size_t n) {
    return Move(n, [&](mm::UserAddr a, size_t k, size_t done) {
      return mm_.CopyIn(a, dst + done, k);
    });
  }

 private:
  template <typename F>
  ErrnoOr<size_t> Move(size_t len, F copy) {
    size_t done = 0;
    while (done < len && seg_ < v_.size()) {
      size_t k = std::min<uint64_t>(len - done, v_[seg_].len - off_);
      if (k == 0) {
        ++seg_;
        off_ = 0;
        continue;
      }
      ErrnoOr<size_t> r = copy(v_[seg_].addr + off_, k, done);
      if (!r.ok()) {
        if (done == 0) return r.error();
        return done;
      }
      done += *r;
      off_ += *r;
      if (*r < k) break;
    }
    if (done == 0 && len > 0) return Errno(EFAULT);
    return done;
  }

  mm::MemoryManager& mm_;
  const IoVec& v_;
  size_t seg_ = 0;
  uint64_t off_ = 0;
};

// read(2) of a file that hands out one 8-byte counter (eventfd, timerfd):
// EINVAL for a buffer under 8 bytes; the buffer is checked before `take`
// consumes the value, so a bad pointer loses nothing.
template <typename Take>
ErrnoOr<size_t> ReadCounter(mm::MemoryManager& mm, const IoVec& dst, Take take) {
  if (IoVecTotal(dst) < sizeof(uint64_t)) return Errno(EINVAL);
  for (const auto& s : dst) {
    if (s.len == 0) continue;
    uint8_t probe = 0;
    ASSIGN_OR_RETURN_ERRNO(size_t n, mm.CopyIn(s.addr, &probe, 1));
    (void)n;
    break;
  }
  ASSIGN_OR_RETURN_ERRNO(uint64_t v, take());
  IoCursor cur(mm, dst);
  ASSIGN_OR_RETURN_ERRNO(size_t n, cur.Out(reinterpret_cast<const char*>(&v), sizeof(v)));
  if (n < sizeof(v)) return Errno(EFAULT);
  return sizeof(v);
}

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_IOVEC_H_
