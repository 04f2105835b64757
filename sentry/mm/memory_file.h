// The memory file: one memfd backing all guest anonymous and tmpfs memory.
// The sentry maps the whole file once, so a file offset is also a pointer;
// platforms map ranges of the same file into guest address spaces.
//
//   ASSIGN_OR_RETURN(auto mf, MemoryFile::Create());
//   ASSIGN_OR_RETURN_ERRNO(uint64_t off, mf->Allocate(len, kPageSize));  // refcount 1, zeroed
//   std::memcpy(mf->Access(off), data, n);
//   mf->DecRef(off, len);  // frees (and zeroes) at refcount 0
//
// Lock order: mu_ is a leaf.
#ifndef SENTRY_MM_MEMORY_FILE_H_
#define SENTRY_MM_MEMORY_FILE_H_

#include <cstdint>
#include <map>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "util/errno.h"
#include "util/unique_fd.h"

namespace sentry::mm {

class MemoryFile {
 public:
  // `size` bounds the file (virtual only: pages cost memory once touched).
  static absl::StatusOr<std::unique_ptr<MemoryFile>> Create(uint64_t size = uint64_t{64} << 30);
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  int fd() const { return fd_.get(); }
  uint64_t size() const { return size_; }

  // A zero-filled range of `len` bytes (page multiple), offset aligned to
  // `align` (a power of two, at least a page), with reference count 1.
  util::ErrnoOr<uint64_t> Allocate(uint64_t len, uint64_t align);
  void IncRef(uint64_t off, uint64_t len);
  void DecRef(uint64_t off, uint64_t len);
  // True when nothing but one holder references any page of the range.
  bool Exclusive(uint64_t off, uint64_t len) const;

  // The sentry's view of offset `off`.
  uint8_t* Access(uint64_t off) const { return base_ + off; }

  // Bytes currently allocated (for accounting and tests).
  uint64_t AllocatedBytes() const;

 private:
  MemoryFile(util::UniqueFd fd, uint8_t* base, uint64_t size)
      : fd_(std::move(fd)), base_(base), size_(size) {}
  struct Used {
    uint64_t end;
    uint32_t refs;
  };
  // Splits the used segment containing `at` (if any) so one starts at `at`.
  void SplitUsedAt(uint64_t at) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Release(uint64_t start, uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  util::UniqueFd fd_;
  uint8_t* base_;
  uint64_t size_;
  mutable absl::Mutex mu_;
  std::map<uint64_t, Used> used_ ABSL_GUARDED_BY(mu_);         // start → segment
  std::map<uint64_t, uint64_t> free_ ABSL_GUARDED_BY(mu_);     // start → end, coalesced
  uint64_t bump_ ABSL_GUARDED_BY(mu_) = 0;                     // never-used space starts here
  uint64_t allocated_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace sentry::mm

#endif  // SENTRY_MM_MEMORY_FILE_H_
