#include "sentry/mm/memory_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sentry/mm/user_addr.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace sentry::mm {

absl::StatusOr<std::unique_ptr<MemoryFile>> MemoryFile::Create(uint64_t size) {
  util::UniqueFd fd(memfd_create("sentry-memory", MFD_CLOEXEC));
  if (!fd.valid()) return util::LastErrnoStatus("memfd_create");
  if (ftruncate(fd.get(), static_cast<off_t>(size)) != 0) return util::LastErrnoStatus("ftruncate");
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd.get(), 0);
  if (base == MAP_FAILED) return util::LastErrnoStatus("mmap memory file");
  return std::unique_ptr<MemoryFile>(
      new MemoryFile(std::move(fd), static_cast<uint8_t*>(base), size));
}

MemoryFile::~MemoryFile() { munmap(base_, size_); }

util::ErrnoOr<uint64_t> MemoryFile::Allocate(uint64_t len, uint64_t align) {
  if (len == 0 || !PageAligned(len) || align < kPageSize || (align & (align - 1)) != 0) {
    return util::Errno(EINVAL);
  }
  absl::MutexLock l(&mu_);
  uint64_t start = 0;
  bool found = false;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    uint64_t s = (it->first + align - 1) & ~(align - 1);
    if (s < it->second && it->second - s >= len) {
      uint64_t fs = it->first, fe = it->second;
      free_.erase(it);
      if (fs < s) free_[fs] = s;
      if (s + len < fe) free_[s + len] = fe;
      start = s;
      found = true;
      break;
    }
  }
  if (!found) {
    uint64_t s = (bump_ + align - 1) & ~(align - 1);
    if (s > size_ || size_ - s < len) return util::Errno(ENOMEM);
    if (s > bump_) {
      // Keep the alignment gap usable, coalescing with a free range before it.
      auto prev = free_.lower_bound(bump_);
      if (prev != free_.begin() && std::prev(prev)->second == bump_) {
        std::prev(prev)->second = s;
      } else {
        free_[bump_] = s;
      }
    }
    start = s;
    bump_ = s + len;
  }
  used_[start] = Used{start + len, 1};
  allocated_ += len;
  return start;
}

void MemoryFile::SplitUsedAt(uint64_t at) {
  auto it = used_.upper_bound(at);
  if (it == used_.begin()) return;
  --it;
  if (it->first == at || it->second.end <= at) return;
  Used tail{it->second.end, it->second.refs};
  it->second.end = at;
  used_[at] = tail;
}

void MemoryFile::IncRef(uint64_t off, uint64_t len) {
  absl::MutexLock l(&mu_);
  SplitUsedAt(off);
  SplitUsedAt(off + len);
  for (auto it = used_.lower_bound(off); it != used_.end() && it->first < off + len; ++it) {
    ++it->second.refs;
  }
}

void MemoryFile::DecRef(uint64_t off, uint64_t len) {
  absl::MutexLock l(&mu_);
  SplitUsedAt(off);
  SplitUsedAt(off + len);
  for (auto it = used_.lower_bound(off); it != used_.end() && it->first < off + len;) {
    SK_CHECK(it->second.refs > 0) << "memory file refcount underflow at " << it->first;
    if (--it->second.refs == 0) {
      uint64_t s = it->first, e = it->second.end;
      it = used_.erase(it);
      Release(s, e);
    } else {
      ++it;
    }
  }
}

bool MemoryFile::Exclusive(uint64_t off, uint64_t len) const {
  absl::MutexLock l(&mu_);
  auto it = used_.upper_bound(off);
  if (it != used_.begin()) --it;
  for (; it != used_.end() && it->first < off + len; ++it) {
    if (it->second.end > off && it->second.refs != 1) return false;
  }
  return true;
}

void MemoryFile::Release(uint64_t start, uint64_t end) {
  // Give the pages back to the host; the range reads as zeros when reused.
  fallocate(fd_.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(start),
            static_cast<off_t>(end - start));
  allocated_ -= end - start;
  auto next = free_.lower_bound(start);
  if (next != free_.end() && next->first == end) {
    end = next->second;
    next = free_.erase(next);
  }
  if (next != free_.begin() && std::prev(next)->second == start) {
    std::prev(next)->second = end;
  } else {
    free_[start] = end;
  }
}

uint64_t MemoryFile::AllocatedBytes() const {
  absl::MutexLock l(&mu_);
  return allocated_;
}

}  // namespace sentry::mm
