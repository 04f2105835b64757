#include "sentry/mm/memory_manager.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "abi/linux/signal.h"
#include "util/logging.h"

namespace sentry::mm {

namespace {

// The top of the x86-64 user address space (4-level paging): Linux's
// TASK_SIZE, against which it checks munmap/mremap/mincore arguments.
constexpr uint64_t kTaskSize = 0x7ffffffff000ULL;

// Faults map memory in windows of this size (clipped to the VMA), so that a
// program touching fresh memory page by page traps once per window.
constexpr uint64_t kFaultWindow = uint64_t{2} << 20;

}  // namespace

PinnedRanges::~PinnedRanges() {
  if (mf_ == nullptr) return;
  for (auto [off, len] : refs_) mf_->DecRef(off, len);
}

MemoryManager::MemoryManager(MemoryFile& mf, std::unique_ptr<platform::AddressSpace> as,
                             uint64_t min_addr, uint64_t max_addr)
    : mf_(mf), as_(std::move(as)), min_addr_(min_addr), max_addr_(max_addr),
      mmap_base_(max_addr) {}

MemoryManager::~MemoryManager() {
  absl::MutexLock l(&mu_);
  for (auto& [start, pma] : pmas_) mf_.DecRef(pma.file_offset, pma.end - start);
  for (auto& [start, vma] : vmas_) {
    if (vma.shm_offset != kNoShm) mf_.DecRef(vma.shm_offset, vma.end - start);
  }
}

// ---- Structure helpers ----

std::map<uint64_t, MemoryManager::Vma>::iterator MemoryManager::FindVma(uint64_t addr) {
  auto it = vmas_.upper_bound(addr);
  if (it == vmas_.begin()) return vmas_.end();
  --it;
  return addr < it->second.end ? it : vmas_.end();
}

void MemoryManager::SplitVmaAt(uint64_t at) {
  auto it = FindVma(at);
  if (it == vmas_.end() || it->first == at) return;
  Vma tail = it->second;
  if (tail.shm_offset != kNoShm) tail.shm_offset += at - it->first;
  if (tail.mappable) tail.file_offset += at - it->first;
  it->second.end = at;
  vmas_.emplace(at, std::move(tail));
}

void MemoryManager::SplitPmaAt(uint64_t at) {
  auto it = pmas_.upper_bound(at);
  if (it == pmas_.begin()) return;
  --it;
  if (it->first == at || it->second.end <= at) return;
  Pma tail = it->second;
  tail.file_offset += at - it->first;
  it->second.end = at;
  pmas_.emplace(at, tail);
}

void MemoryManager::MergeVmasAround(uint64_t start, uint64_t end) {
  auto it = vmas_.upper_bound(start);
  if (it != vmas_.begin()) --it;
  if (it != vmas_.begin()) --it;
  while (it != vmas_.end() && it->first <= end) {
    auto next = std::next(it);
    if (next == vmas_.end()) break;
    Vma& a = it->second;
    const Vma& b = next->second;
    bool contiguous_shm = a.shm_offset == kNoShm
                              ? b.shm_offset == kNoShm
                              : b.shm_offset == a.shm_offset + (a.end - it->first);
    bool contiguous_file = a.mappable == b.mappable &&
                           (!a.mappable || b.file_offset == a.file_offset + (a.end - it->first));
    if (a.end == next->first && a.prot == b.prot && a.max_prot == b.max_prot &&
        a.shared == b.shared && a.growsdown == b.growsdown && a.name == b.name && contiguous_shm &&
        contiguous_file) {
      a.end = b.end;
      vmas_.erase(next);
      continue;
    }
    it = next;
  }
}

bool MemoryManager::RangeFree(uint64_t start, uint64_t end) const {
  if (start < min_addr_ || end > max_addr_ || start >= end) return false;
  auto it = vmas_.upper_bound(start);
  if (it != vmas_.begin() && std::prev(it)->second.end > start) return false;
  return it == vmas_.end() || it->first >= end;
}

std::optional<uint64_t> MemoryManager::FindUnmapped(uint64_t len) const {
  // Top-down from the mmap base, as Linux does.
  uint64_t top = mmap_base_;
  auto it = vmas_.lower_bound(top);
  while (true) {
    uint64_t gap_end = top;
    uint64_t gap_start = min_addr_;
    if (it != vmas_.begin()) {
      auto prev = std::prev(it);
      gap_start = std::max(prev->second.end, min_addr_);
      if (prev->second.end > top) {  // a VMA straddles the base
        top = prev->first;
        it = prev;
        continue;
      }
    }
    if (gap_end >= gap_start && gap_end - gap_start >= len) return gap_end - len;
    if (it == vmas_.begin()) break;
    --it;
    top = it->first;
  }
  // Nothing below the base: try above it.
  uint64_t cursor = mmap_base_;
  for (auto up = vmas_.lower_bound(mmap_base_); cursor < max_addr_; ++up) {
    uint64_t gap_end = up == vmas_.end() ? max_addr_ : up->first;
    if (gap_end > cursor && gap_end - cursor >= len) return cursor;
    if (up == vmas_.end()) break;
    cursor = std::max(cursor, up->second.end);
  }
  return std::nullopt;
}

void MemoryManager::DropPmasLocked(uint64_t start, uint64_t end) {
  SplitPmaAt(start);
  SplitPmaAt(end);
  bool any_mapped = false;
  for (auto it = pmas_.lower_bound(start); it != pmas_.end() && it->first < end;) {
    any_mapped |= it->second.mapped_prot >= 0;
    mf_.DecRef(it->second.file_offset, it->second.end - it->first);
    it = pmas_.erase(it);
  }
  if (any_mapped) {
    absl::Status s = as_->Unmap(start, end - start);
    if (!s.ok()) SK_LOG(WARNING) << "address space unmap: " << s;
  }
}

void MemoryManager::UnmapLocked(uint64_t start, uint64_t end) {
  DropPmasLocked(start, end);
  SplitVmaAt(start);
  SplitVmaAt(end);
  for (auto it = vmas_.lower_bound(start); it != vmas_.end() && it->first < end;) {
    if (it->second.shm_offset != kNoShm) mf_.DecRef(it->second.shm_offset, it->second.end - it->first);
    it = vmas_.erase(it);
  }
}

// ---- mmap family ----

ErrnoOr<uint64_t> MemoryManager::MMap(const MMapOpts& opts) {
  if (opts.length == 0) return Errno(EINVAL);
  std::optional<uint64_t> len = PageUp(opts.length);
  if (!len || *len > max_addr_ - min_addr_) return Errno(ENOMEM);
  absl::MutexLock l(&mu_);
  uint64_t addr;
  if (opts.fixed || opts.fixed_noreplace) {
    if (!PageAligned(opts.addr)) return Errno(EINVAL);
    if (opts.addr < min_addr_ || opts.addr > max_addr_ - *len) return Errno(ENOMEM);
    addr = opts.addr;
    if (opts.fixed_noreplace && !RangeFree(addr, addr + *len)) return Errno(EEXIST);
  } else {
    uint64_t hint = PageDown(opts.addr);
    if (hint != 0 && hint <= max_addr_ - *len && RangeFree(hint, hint + *len)) {
      addr = hint;
    } else {
      std::optional<uint64_t> found = FindUnmapped(*len);
      if (!found) return Errno(ENOMEM);
      addr = *found;
    }
  }
  uint64_t shm = kNoShm;
  if (opts.mappable) {
    if (!PageAligned(opts.file_offset)) return Errno(EINVAL);
    if (opts.shared && !opts.mappable->CanMapShared()) return Errno(ENODEV);
  } else if (opts.shared) {
    ASSIGN_OR_RETURN_ERRNO(shm, mf_.Allocate(*len, kPageSize));
  }
  UnmapLocked(addr, addr + *len);
  vmas_.emplace(addr, Vma{addr + *len, opts.prot, opts.max_prot, opts.shared, opts.growsdown, shm,
                          opts.name, opts.mappable, opts.file_offset});
  MergeVmasAround(addr, addr + *len);
  return addr;
}

ErrnoOrVoid MemoryManager::MUnmap(uint64_t addr, uint64_t length) {
  if (!PageAligned(addr)) return Errno(EINVAL);
  std::optional<uint64_t> len = PageUp(length);
  if (!len || *len == 0) return Errno(EINVAL);
  if (addr > kTaskSize || *len > kTaskSize - addr) return Errno(EINVAL);
  absl::MutexLock l(&mu_);
  uint64_t start = std::max(addr, min_addr_);
  uint64_t end = std::min(addr + *len, max_addr_);
  if (start < end) UnmapLocked(start, end);
  return {};
}

ErrnoOrVoid MemoryManager::MProtect(uint64_t addr, uint64_t length, int prot) {
  if (!PageAligned(addr)) return Errno(EINVAL);
  std::optional<uint64_t> len = PageUp(length);
  if (!len || addr > ~uint64_t{0} - *len) return Errno(ENOMEM);
  if (*len == 0) return {};
  uint64_t end = addr + *len;
  absl::MutexLock l(&mu_);
  // The whole range must be mapped.
  for (uint64_t cursor = addr; cursor < end;) {
    auto it = FindVma(cursor);
    if (it == vmas_.end()) return Errno(ENOMEM);
    if ((prot & ~it->second.max_prot) != 0) return Errno(EACCES);
    cursor = it->second.end;
  }
  SplitVmaAt(addr);
  SplitVmaAt(end);
  for (auto it = vmas_.lower_bound(addr); it != vmas_.end() && it->first < end; ++it) {
    it->second.prot = prot;
  }
  SplitPmaAt(addr);
  SplitPmaAt(end);
  for (auto it = pmas_.lower_bound(addr); it != pmas_.end() && it->first < end; ++it) {
    int want = it->second.cow ? (prot & ~PROT_WRITE) : prot;
    if (it->second.mapped_prot < 0 || it->second.mapped_prot == want) continue;
    absl::Status s = as_->Protect(it->first, it->second.end - it->first, want);
    if (!s.ok()) {
      SK_LOG(WARNING) << "address space protect: " << s;
      continue;
    }
    it->second.mapped_prot = want;
  }
  MergeVmasAround(addr, end);
  return {};
}

ErrnoOr<uint64_t> MemoryManager::MRemap(uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                                        int flags, uint64_t new_addr) {
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return Errno(EINVAL);
  if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE)) {
    return Errno(EINVAL);
  }
  if (flags & MREMAP_DONTUNMAP) return Errno(EINVAL);  // Partial: not supported yet.
  if (!PageAligned(old_addr)) return Errno(EINVAL);
  std::optional<uint64_t> olen = PageUp(old_len);
  std::optional<uint64_t> nlen = PageUp(new_len);
  if (!olen || !nlen || *nlen == 0) return Errno(EINVAL);
  if (*nlen > kTaskSize || (flags & MREMAP_FIXED && new_addr > kTaskSize - *nlen)) {
    return Errno(EINVAL);
  }
  if (old_addr > kTaskSize || *olen > kTaskSize - old_addr) return Errno(EFAULT);
  absl::MutexLock l(&mu_);
  auto vma = FindVma(old_addr);
  if (*olen == 0) {
    // A second mapping of the same shared pages.
    if (vma == vmas_.end() || !vma->second.shared) return Errno(EINVAL);
    if (!(flags & MREMAP_MAYMOVE)) return Errno(ENOMEM);
    // The pages must exist: stay within this mapping's shared memory.
    if (*nlen > vma->second.end - old_addr) return Errno(EINVAL);
    uint64_t dest;
    if (flags & MREMAP_FIXED) {
      if (!PageAligned(new_addr)) return Errno(EINVAL);
      if (*nlen > max_addr_ - min_addr_ || new_addr < min_addr_ || new_addr > max_addr_ - *nlen) {
        return Errno(EINVAL);
      }
      dest = new_addr;
    } else {
      std::optional<uint64_t> found = FindUnmapped(*nlen);
      if (!found) return Errno(ENOMEM);
      dest = *found;
    }
    Vma alias = vma->second;
    if (alias.mappable) {
      alias.file_offset += old_addr - vma->first;
    } else {
      alias.shm_offset += old_addr - vma->first;
      mf_.IncRef(alias.shm_offset, *nlen);
    }
    alias.end = dest + *nlen;
    UnmapLocked(dest, dest + *nlen);
    vmas_.emplace(dest, std::move(alias));
    return dest;
  }
  if (vma == vmas_.end() || vma->second.end < old_addr + *olen) return Errno(EFAULT);
  bool fixed = flags & MREMAP_FIXED;
  if (!fixed && *nlen <= *olen) {
    if (*nlen < *olen) UnmapLocked(old_addr + *nlen, old_addr + *olen);
    return old_addr;
  }
  if (vma->second.shared && *nlen > *olen) return Errno(ENOMEM);  // shared growth: not supported
  uint64_t old_end = old_addr + *olen;
  if (!fixed && *nlen <= max_addr_ - old_addr && RangeFree(old_end, old_addr + *nlen)) {
    // Grow in place.
    SplitVmaAt(old_addr);
    SplitVmaAt(old_end);
    auto it = vmas_.find(old_addr);
    it->second.end = old_addr + *nlen;
    MergeVmasAround(old_addr, old_addr + *nlen);
    return old_addr;
  }
  if (!(flags & MREMAP_MAYMOVE)) return Errno(ENOMEM);
  uint64_t dest;
  if (fixed) {
    if (!PageAligned(new_addr)) return Errno(EINVAL);
    if (*nlen > max_addr_ - min_addr_ || new_addr < min_addr_ || new_addr > max_addr_ - *nlen) {
      return Errno(EINVAL);
    }
    if (new_addr < old_end && old_addr < new_addr + *nlen) return Errno(EINVAL);
    dest = new_addr;
    UnmapLocked(dest, dest + *nlen);
  } else {
    std::optional<uint64_t> found = FindUnmapped(*nlen);
    if (!found) return Errno(ENOMEM);
    dest = *found;
  }
  // Move the VMA piece and its memory; the platform refills on faults.
  SplitVmaAt(old_addr);
  SplitVmaAt(old_end);
  auto it = vmas_.find(old_addr);
  Vma moved = it->second;
  vmas_.erase(it);
  if (*nlen < *olen) {
    UnmapLocked(old_addr + *nlen, old_end);  // nothing there now but memory
  }
  uint64_t keep = std::min(*olen, *nlen);
  if (moved.shm_offset != kNoShm && *nlen < *olen) {
    mf_.DecRef(moved.shm_offset + *nlen, *olen - *nlen);
  }
  moved.end = dest + *nlen;
  SplitPmaAt(old_addr);
  SplitPmaAt(old_addr + keep);
  std::vector<std::pair<uint64_t, Pma>> pieces;
  bool any_mapped = false;
  for (auto p = pmas_.lower_bound(old_addr); p != pmas_.end() && p->first < old_addr + keep;) {
    any_mapped |= p->second.mapped_prot >= 0;
    Pma pma = p->second;
    pma.end = pma.end - old_addr + dest;
    pma.mapped_prot = -1;
    pieces.emplace_back(p->first - old_addr + dest, pma);
    p = pmas_.erase(p);
  }
  if (any_mapped) {
    absl::Status s = as_->Unmap(old_addr, *olen);
    if (!s.ok()) SK_LOG(WARNING) << "address space unmap: " << s;
  }
  vmas_.emplace(dest, std::move(moved));
  for (auto& [start, pma] : pieces) pmas_.emplace(start, pma);
  MergeVmasAround(dest, dest + *nlen);
  return dest;
}

ErrnoOrVoid MemoryManager::MAdvise(uint64_t addr, uint64_t length, int advice) {
  if (!PageAligned(addr)) return Errno(EINVAL);
  std::optional<uint64_t> len = PageUp(length);
  if (!len || addr > ~uint64_t{0} - *len) return Errno(EINVAL);
  bool drop = false;
  switch (advice) {
    case MADV_DONTNEED:
    case MADV_FREE:
      drop = true;
      break;
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
    case MADV_DONTFORK: case MADV_DOFORK: case MADV_MERGEABLE: case MADV_UNMERGEABLE:
    case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
    case MADV_COLD: case MADV_PAGEOUT: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
      break;  // Advice only: no change in what the guest observes.
    default:
      return Errno(EINVAL);
  }
  if (*len == 0) return {};
  uint64_t end = addr + *len;
  absl::MutexLock l(&mu_);
  bool hole = false;
  for (uint64_t cursor = addr; cursor < end;) {
    auto it = FindVma(cursor);
    if (it == vmas_.end()) {
      hole = true;
      auto next = vmas_.upper_bound(cursor);
      if (next == vmas_.end()) break;
      cursor = next->first;
      continue;
    }
    uint64_t stop = std::min(end, it->second.end);
    if (drop) {
      if (advice == MADV_FREE && it->second.shared) return Errno(EINVAL);
      DropPmasLocked(cursor, stop);
    }
    cursor = stop;
  }
  if (hole) return Errno(ENOMEM);
  return {};
}

ErrnoOrVoid MemoryManager::CheckMapped(uint64_t addr, uint64_t len) const {
  if (addr > kTaskSize || len > kTaskSize - addr) return Errno(ENOMEM);
  for (uint64_t cursor = addr; cursor < addr + len;) {
    auto it = vmas_.upper_bound(cursor);
    if (it == vmas_.begin()) return Errno(ENOMEM);
    --it;
    if (it->second.end <= cursor) return Errno(ENOMEM);
    cursor = it->second.end;
  }
  return {};
}

ErrnoOrVoid MemoryManager::IsMapped(uint64_t addr, uint64_t length) const {
  if (!PageAligned(addr)) return Errno(EINVAL);
  std::optional<uint64_t> len = PageUp(length);
  if (!len) return Errno(ENOMEM);
  absl::MutexLock l(&mu_);
  return CheckMapped(addr, *len);
}

ErrnoOr<std::vector<uint8_t>> MemoryManager::MInCore(uint64_t addr, uint64_t length) {
  if (!PageAligned(addr)) return Errno(EINVAL);
  std::optional<uint64_t> len = PageUp(length);
  if (!len) return Errno(ENOMEM);
  if (*len > kMaxMInCoreBytes) return Errno(EINVAL);  // callers go in chunks
  absl::MutexLock l(&mu_);
  RETURN_IF_ERRNO(CheckMapped(addr, *len));
  std::vector<uint8_t> out(*len / kPageSize, 0);
  auto it = pmas_.upper_bound(addr);
  if (it != pmas_.begin() && std::prev(it)->second.end > addr) --it;
  for (; it != pmas_.end() && it->first < addr + *len; ++it) {
    uint64_t s = std::max(it->first, addr), e = std::min(it->second.end, addr + *len);
    for (uint64_t p = s; p < e; p += kPageSize) out[(p - addr) / kPageSize] = 1;
  }
  return out;
}

void MemoryManager::SetBrkStart(uint64_t addr) {
  absl::MutexLock l(&mu_);
  brk_start_ = brk_ = addr;
}

void MemoryManager::SetMmapBase(uint64_t addr) {
  absl::MutexLock l(&mu_);
  mmap_base_ = addr;
}

uint64_t MemoryManager::Brk(uint64_t addr) {
  absl::MutexLock l(&mu_);
  if (addr < brk_start_) return brk_;
  std::optional<uint64_t> new_end = PageUp(addr);
  uint64_t old_end = *PageUp(brk_);
  if (!new_end || *new_end > max_addr_) return brk_;
  if (*new_end < old_end) {
    UnmapLocked(*new_end, old_end);
  } else if (*new_end > old_end) {
    if (!RangeFree(old_end, *new_end)) return brk_;
    vmas_.emplace(old_end, Vma{*new_end, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE | PROT_EXEC,
                               false, false, kNoShm, "[heap]"});
    MergeVmasAround(old_end, *new_end);
  }
  brk_ = addr;
  return brk_;
}


// ---- Memory behind mappings ----

ErrnoOr<std::map<uint64_t, MemoryManager::Pma>::iterator> MemoryManager::EnsurePma(
    uint64_t addr, std::map<uint64_t, Vma>::iterator vma) {
  uint64_t page = PageDown(addr);
  auto next = pmas_.upper_bound(page);
  if (next != pmas_.begin()) {
    auto prev = std::prev(next);
    if (prev->second.end > page) return prev;
  }
  // A window around the page, inside the VMA, not overlapping other PMAs.
  uint64_t lo = std::max(vma->first, page & ~(kFaultWindow - 1));
  uint64_t hi = std::min(vma->second.end, (page & ~(kFaultWindow - 1)) + kFaultWindow);
  if (next != pmas_.begin()) lo = std::max(lo, std::prev(next)->second.end);
  if (next != pmas_.end()) hi = std::min(hi, next->first);
  const Vma& v = vma->second;
  if (v.mappable) return EnsureFilePma(lo, hi, page, vma);
  uint64_t off;
  if (v.shm_offset != kNoShm) {
    off = v.shm_offset + (lo - vma->first);
    mf_.IncRef(off, hi - lo);
  } else {
    ASSIGN_OR_RETURN_ERRNO(off, mf_.Allocate(hi - lo, kPageSize));
  }
  return pmas_.emplace(lo, Pma{hi, off, -1}).first;
}

ErrnoOr<std::map<uint64_t, MemoryManager::Pma>::iterator> MemoryManager::EnsureFilePma(
    uint64_t lo, uint64_t hi, uint64_t page, std::map<uint64_t, Vma>::iterator vma) {
  const Vma& v = vma->second;
  // Pages wholly past the end of the file are not there: SIGBUS.
  uint64_t size = v.mappable->MappableSize();
  uint64_t file_pages_end = PageUp(size).value_or(size);
  uint64_t page_off = v.file_offset + (page - vma->first);
  if (page_off >= file_pages_end) return Errno(EFAULT);
  uint64_t lo_off = v.file_offset + (lo - vma->first);
  if (file_pages_end > lo_off) hi = std::min(hi, lo + (file_pages_end - lo_off));
  if (v.shared) {
    // The file's own pages, one at a time (they need not be contiguous in
    // the memory file); consecutive ones share a PMA.
    std::map<uint64_t, Pma>::iterator result = pmas_.end();
    uint64_t run_start = 0;
    for (uint64_t a = lo; a < hi; a += kPageSize) {
      auto off = v.mappable->SharedPage(v.file_offset + (a - vma->first));
      if (!off.ok()) {
        if (a <= page) return off.error();
        break;
      }
      if (result != pmas_.end() && result->second.end == a &&
          result->second.file_offset + (a - run_start) == *off) {
        result->second.end = a + kPageSize;
      } else {
        result = pmas_.emplace(a, Pma{a + kPageSize, *off, -1}).first;
        run_start = a;
      }
    }
    auto it = pmas_.upper_bound(page);
    return std::prev(it);
  }
  // Private: a copy of the file's bytes in fresh memory.
  ASSIGN_OR_RETURN_ERRNO(uint64_t off, mf_.Allocate(hi - lo, kPageSize));
  uint8_t* dst = mf_.Access(off);
  auto n = v.mappable->ReadForMap(dst, hi - lo, lo_off);
  if (!n.ok()) {
    mf_.DecRef(off, hi - lo);
    return n.error();
  }
  if (*n < hi - lo) std::memset(dst + *n, 0, hi - lo - *n);
  return pmas_.emplace(lo, Pma{hi, off, -1}).first;
}

ErrnoOr<std::map<uint64_t, MemoryManager::Pma>::iterator> MemoryManager::BreakCow(
    uint64_t page, uint64_t* replaced) {
  if (replaced != nullptr) *replaced = kNoShm;
  SplitPmaAt(page);
  SplitPmaAt(page + kPageSize);
  auto it = pmas_.find(page);
  SK_CHECK(it != pmas_.end()) << "no PMA to break at " << page;
  Pma& p = it->second;
  if (!mf_.Exclusive(p.file_offset, kPageSize)) {
    ASSIGN_OR_RETURN_ERRNO(uint64_t copy, mf_.Allocate(kPageSize, kPageSize));
    std::memcpy(mf_.Access(copy), mf_.Access(p.file_offset), kPageSize);
    const uint64_t shared = p.file_offset;
    p.file_offset = copy;
    if (replaced != nullptr && p.mapped_prot >= 0) {
      // The caller's MAP_FIXED replaces the mapping, then drops `shared`.
      *replaced = shared;
      p.mapped_prot = -1;
      p.cow = false;
      return it;
    }
    mf_.DecRef(shared, kPageSize);
    if (p.mapped_prot >= 0) {
      // The platform still maps the shared page: drop it, the next access
      // maps the copy.
      absl::Status s = as_->Unmap(page, kPageSize);
      if (!s.ok()) SK_LOG(WARNING) << "address space unmap: " << s;
      p.mapped_prot = -1;
    }
  }
  p.cow = false;
  return it;
}

ErrnoOr<std::unique_ptr<MemoryManager>> MemoryManager::Fork(
    std::unique_ptr<platform::AddressSpace> as) {
  auto child = std::make_unique<MemoryManager>(mf_, std::move(as), min_addr_, max_addr_);
  absl::MutexLock l(&mu_);
  absl::MutexLock cl(&child->mu_);
  child->vmas_ = vmas_;
  for (auto& [start, vma] : vmas_) {
    if (vma.shm_offset != kNoShm) mf_.IncRef(vma.shm_offset, vma.end - start);
  }
  for (auto& [start, p] : pmas_) {
    auto vma = FindVma(start);
    bool shared = vma != vmas_.end() && vma->second.shared;
    mf_.IncRef(p.file_offset, p.end - start);
    Pma copy = p;
    copy.mapped_prot = -1;
    if (!shared) {
      copy.cow = true;
      if (!p.cow && p.mapped_prot >= 0 && (p.mapped_prot & PROT_WRITE)) {
        int ro = p.mapped_prot & ~PROT_WRITE;
        if (as_->Protect(start, p.end - start, ro).ok()) {
          p.mapped_prot = ro;
        } else {
          // Never leave a writable mapping of a shared page behind.
          absl::Status s = as_->Unmap(start, p.end - start);
          if (!s.ok()) SK_LOG(ERROR) << "address space unmap after fork: " << s;
          p.mapped_prot = -1;
        }
      }
      p.cow = true;
    }
    child->pmas_.emplace(start, copy);
  }
  child->brk_start_ = brk_start_;
  child->brk_ = brk_;
  child->mmap_base_ = mmap_base_;
  child->arg_env_ = arg_env_;
  return child;
}

template <typename Fn>
ErrnoOr<size_t> MemoryManager::ForEachBacked(uint64_t addr, size_t n, AccessType at, bool force,
                                             Fn&& fn) {
  if (n == 0) return size_t{0};
  size_t done = 0;
  uint64_t cursor = addr;
  while (done < n) {
    auto vma = FindVma(cursor);
    if (vma == vmas_.end()) break;
    int prot = vma->second.prot;
    if (!force) {
      if (at == AccessType::kWrite && !(prot & PROT_WRITE)) break;
      if (at != AccessType::kWrite && prot == PROT_NONE) break;
    }
    auto pma = EnsurePma(cursor, vma);
    if (pma.ok() && at == AccessType::kWrite && (*pma)->second.cow) pma = BreakCow(PageDown(cursor));
    if (!pma.ok()) {
      if (done == 0) return pma.error();
      break;
    }
    uint64_t stop = std::min({(*pma)->second.end, vma->second.end,
                              cursor + static_cast<uint64_t>(n - done)});
    if (stop <= cursor) break;  // address wrap
    uint64_t len = stop - cursor;
    fn((*pma)->second.file_offset + (cursor - (*pma)->first), len);
    done += len;
    cursor = stop;
  }
  if (done == 0) return Errno(EFAULT);
  return done;
}

ErrnoOr<std::optional<uint64_t>> MemoryManager::SharedOffset(UserAddr addr) {
  absl::MutexLock l(&mu_);
  auto vma = FindVma(addr.value());
  if (vma == vmas_.end() || vma->second.prot == PROT_NONE) return Errno(EFAULT);
  if (!vma->second.shared) return std::optional<uint64_t>();
  auto pma = EnsurePma(addr.value(), vma);
  if (!pma.ok()) return pma.error();
  return std::optional<uint64_t>((*pma)->second.file_offset + (addr.value() - (*pma)->first));
}

ErrnoOr<size_t> MemoryManager::CopyIn(UserAddr src, void* dst, size_t n) {
  absl::MutexLock l(&mu_);
  auto* out = static_cast<uint8_t*>(dst);
  return ForEachBacked(src.value(), n, AccessType::kRead, false, [&](uint64_t off, uint64_t len) {
    std::memcpy(out, mf_.Access(off), len);
    out += len;
  });
}

ErrnoOr<size_t> MemoryManager::CopyOut(UserAddr dst, const void* src, size_t n, bool force) {
  absl::MutexLock l(&mu_);
  auto* in = static_cast<const uint8_t*>(src);
  return ForEachBacked(dst.value(), n, AccessType::kWrite, force, [&](uint64_t off, uint64_t len) {
    std::memcpy(mf_.Access(off), in, len);
    in += len;
  });
}

ErrnoOr<size_t> MemoryManager::ZeroOut(UserAddr dst, size_t n) {
  absl::MutexLock l(&mu_);
  return ForEachBacked(dst.value(), n, AccessType::kWrite, false,
                       [&](uint64_t off, uint64_t len) { std::memset(mf_.Access(off), 0, len); });
}

ErrnoOr<std::string> MemoryManager::CopyInString(UserAddr src, size_t max) {
  std::string out;
  uint64_t cursor = src.value();
  while (out.size() < max) {
    size_t chunk = std::min<uint64_t>(max - out.size(), kPageSize - (cursor & kPageMask));
    char buf[kPageSize];
    auto n = CopyIn(UserAddr(cursor), buf, chunk);
    if (!n.ok()) return n.error();
    size_t len = strnlen(buf, *n);
    out.append(buf, len);
    if (len < *n) return out;
    if (*n < chunk) return Errno(EFAULT);
    cursor += chunk;
  }
  return Errno(ENAMETOOLONG);
}

ErrnoOr<PinnedRanges> MemoryManager::Pin(UserAddr addr, size_t n, AccessType at) {
  absl::MutexLock l(&mu_);
  PinnedRanges pins;
  pins.mf_ = &mf_;
  auto r = ForEachBacked(addr.value(), n, at, false, [&](uint64_t off, uint64_t len) {
    mf_.IncRef(off, len);
    pins.refs_.emplace_back(off, len);
    if (!pins.iovs_.empty()) {
      iovec& last = pins.iovs_.back();
      if (static_cast<uint8_t*>(last.iov_base) + last.iov_len == mf_.Access(off)) {
        last.iov_len += len;
        return;
      }
    }
    pins.iovs_.push_back(iovec{mf_.Access(off), len});
  });
  if (!r.ok()) return r.error();
  pins.total_ = *r;
  return pins;
}

std::optional<FaultError> MemoryManager::HandleFault(uint64_t addr, AccessType at) {
  absl::MutexLock l(&mu_);
  auto vma = FindVma(addr);
  if (vma == vmas_.end()) return FaultError{abi_linux::kSEGV_MAPERR};
  int prot = vma->second.prot;
  if (prot == PROT_NONE) return FaultError{abi_linux::kSEGV_ACCERR};
  if (at == AccessType::kWrite && !(prot & PROT_WRITE)) return FaultError{abi_linux::kSEGV_ACCERR};
  auto pma = EnsurePma(addr, vma);
  // A shared page a copy-on-write break replaced, dropped once the mapping
  // of the copy has replaced the platform's mapping of it (BreakCow).
  uint64_t replaced = kNoShm;
  if (!pma.ok()) {
    if (vma->second.mappable) return FaultError{abi_linux::kBUS_ADRERR, abi_linux::kSIGBUS};
    return FaultError{abi_linux::kSEGV_MAPERR};  // out of memory: Linux would OOM-kill
  }
  if ((*pma)->second.cow && (prot & PROT_WRITE)) {
    if ((*pma)->second.mapped_prot == (prot & ~PROT_WRITE)) {
      // Mapped read-only for copy-on-write and faulting again: a write.
      Pma& whole = (*pma)->second;
      if (mf_.Exclusive(whole.file_offset, whole.end - (*pma)->first)) {
        // No one else references any page of it any more (the other side
        // of the fork exited or execed): the whole PMA is ours again, and
        // one mapping below makes all of it writable instead of a fault
        // and a mapping per page.
        whole.cow = false;
      } else {
        pma = BreakCow(PageDown(addr), &replaced);
        if (!pma.ok()) return FaultError{abi_linux::kSEGV_MAPERR};
      }
    } else {
      prot &= ~PROT_WRITE;  // reads share the page; a write faults again
    }
  }
  Pma& p = (*pma)->second;
  if (p.mapped_prot == prot) {
    // Already mapped as the VMA allows: the access itself is not allowed,
    // unless another thread mapped it meanwhile (the caller decides).
    return FaultError{abi_linux::kSEGV_ACCERR, abi_linux::kSIGSEGV, /*already_mapped=*/true};
  }
  absl::Status s = as_->MapFile((*pma)->first, p.end - (*pma)->first, mf_.fd(), p.file_offset, prot);
  if (!s.ok()) {
    SK_LOG(ERROR) << "address space map: " << s;
    if (replaced != kNoShm) {
      // The shared page may still be mapped: never leave it behind.
      absl::Status u = as_->Unmap((*pma)->first, p.end - (*pma)->first);
      if (!u.ok()) SK_LOG(ERROR) << "address space unmap: " << u;
      mf_.DecRef(replaced, kPageSize);
    }
    return FaultError{abi_linux::kSEGV_MAPERR};
  }
  p.mapped_prot = prot;
  if (replaced != kNoShm) mf_.DecRef(replaced, kPageSize);
  return std::nullopt;
}

// ---- Read by procfs ----

std::vector<MemoryManager::VmaInfo> MemoryManager::VmaSnapshot() const {
  std::vector<VmaInfo> out;
  // The mapped files, asked for their names after mu_ is released.
  std::vector<std::shared_ptr<Mappable>> files;
  {
    absl::MutexLock l(&mu_);
    out.reserve(vmas_.size());
    files.reserve(vmas_.size());
    for (const auto& [start, vma] : vmas_) {
      VmaInfo v;
      v.start = start;
      v.end = vma.end;
      v.prot = vma.prot;
      v.shared = vma.shared;
      v.growsdown = vma.growsdown;
      v.name = vma.name;
      v.offset = vma.mappable ? vma.file_offset : 0;
      // Resident: the PMAs overlapping [start, end).
      auto p = pmas_.upper_bound(start);
      if (p != pmas_.begin()) --p;
      for (; p != pmas_.end() && p->first < vma.end; ++p) {
        uint64_t lo = std::max(p->first, start), hi = std::min(p->second.end, vma.end);
        if (lo < hi) v.resident += hi - lo;
      }
      out.push_back(std::move(v));
      files.push_back(vma.mappable);
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (!files[i]) continue;
    if (out[i].name.empty()) out[i].name = files[i]->MapName();
    out[i].dev = files[i]->MapDev();
    out[i].ino = files[i]->MapIno();
  }
  return out;
}

void MemoryManager::SetArgEnvRange(const ArgEnvRange& r) {
  absl::MutexLock l(&mu_);
  arg_env_ = r;
}

MemoryManager::ArgEnvRange MemoryManager::arg_env_range() const {
  absl::MutexLock l(&mu_);
  return arg_env_;
}

std::pair<uint64_t, uint64_t> MemoryManager::BrkRange() const {
  absl::MutexLock l(&mu_);
  return {brk_start_, brk_};
}

}  // namespace sentry::mm
