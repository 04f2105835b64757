// A guest address space as the sentry sees it: the truth about every
// mapping (VMAs) and the memory behind it (PMAs), with the platform's
// AddressSpace as a cache filled on faults.
//
//   MemoryManager mm(memory_file, std::move(address_space), min, max);
//   ASSIGN_OR_RETURN_ERRNO(uint64_t addr, mm.MMap({.length = len, .prot = PROT_READ|PROT_WRITE,
//                                                   .private_ = true, .anonymous = true}));
//   RETURN_IF_ERRNO(mm.CopyOutObj(UserAddr(addr), value));
//
// Lock order: MemoryManager::mu_, then MemoryFile::mu_.
#ifndef SENTRY_MM_MEMORY_MANAGER_H_
#define SENTRY_MM_MEMORY_MANAGER_H_

#include <sys/mman.h>
#include <sys/uio.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "platform/platform.h"
#include "sentry/mm/mappable.h"
#include "sentry/mm/memory_file.h"
#include "sentry/mm/user_addr.h"
#include "util/errno.h"

namespace sentry::mm {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

struct MMapOpts {
  uint64_t addr = 0;     // hint, or exact with fixed
  uint64_t length = 0;   // bytes, not yet rounded
  int prot = 0;          // PROT_*
  bool shared = false;   // MAP_SHARED (else private)
  bool fixed = false;    // MAP_FIXED: replace what is there
  bool fixed_noreplace = false;
  bool growsdown = false;
  std::string name;      // shown in /proc/pid/maps: "[heap]", "[stack]"
  // A file mapping: what is mapped, from which file offset (page aligned),
  // and the most the mapping may ever allow (mprotect beyond: EACCES).
  std::shared_ptr<Mappable> mappable;
  uint64_t file_offset = 0;
  int max_prot = PROT_READ | PROT_WRITE | PROT_EXEC;
};

// Memory of the sentry pinned for host I/O: iovecs into the memory file,
// kept alive until destruction even if the guest unmaps the range.
class PinnedRanges {
 public:
  PinnedRanges() = default;
  PinnedRanges(PinnedRanges&&) = default;
  PinnedRanges& operator=(PinnedRanges&&) = default;
  ~PinnedRanges();
  const std::vector<iovec>& iovecs() const { return iovs_; }
  size_t total() const { return total_; }

 private:
  friend class MemoryManager;
  MemoryFile* mf_ = nullptr;
  std::vector<iovec> iovs_;
  std::vector<std::pair<uint64_t, uint64_t>> refs_;  // (file offset, length)
  size_t total_ = 0;
};

// Result of a guest fault the memory manager could not resolve.
struct FaultError {
  int si_code;             // SEGV_MAPERR or SEGV_ACCERR; BUS_ADRERR with SIGBUS
  int signo = 11;          // SIGSEGV, or SIGBUS past the end of a mapped file
  // The page was already mapped with everything its VMA allows: either the
  // access is not allowed, or another thread of the address space mapped
  // it between this fault and its handling (a spurious fault, to retry).
  bool already_mapped = false;
};

class MemoryManager {
 public:
  MemoryManager(MemoryFile& mf, std::unique_ptr<platform::AddressSpace> as, uint64_t min_addr,
                uint64_t max_addr);
  ~MemoryManager();
  MemoryManager(const MemoryManager&) = delete;
  MemoryManager& operator=(const MemoryManager&) = delete;

  // The platform address space caching this one's mappings.
  platform::AddressSpace& address_space() { return *as_; }
  MemoryFile& memory_file() { return mf_; }
  uint64_t min_addr() const { return min_addr_; }
  uint64_t max_addr() const { return max_addr_; }

  // ---- Mappings (the mmap family), with Linux's argument checks. ----
  ErrnoOr<uint64_t> MMap(const MMapOpts& opts);
  ErrnoOrVoid MUnmap(uint64_t addr, uint64_t length);
  ErrnoOrVoid MProtect(uint64_t addr, uint64_t length, int prot);
  ErrnoOr<uint64_t> MRemap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
                           uint64_t new_addr);
  ErrnoOrVoid MAdvise(uint64_t addr, uint64_t length, int advice);
  // One byte per page: 1 when backed by memory. At most kMaxMInCoreBytes
  // of address space per call.
  static constexpr uint64_t kMaxMInCoreBytes = uint64_t{1} << 30;
  ErrnoOr<std::vector<uint8_t>> MInCore(uint64_t addr, uint64_t length);
  // ENOMEM unless all of [addr, addr+length) is mapped (EINVAL: unaligned).
  ErrnoOrVoid IsMapped(uint64_t addr, uint64_t length) const;

  // The program break. SetBrkStart is the loader's.
  void SetBrkStart(uint64_t addr);
  uint64_t Brk(uint64_t addr);

  // Where top-down mmap placement starts (below the stack).
  void SetMmapBase(uint64_t addr);

  // ---- Guest memory access ----
  // Copies as much as is accessible from the start; Errno(EFAULT) when not
  // even the first byte is. `force` ignores protections (the loader's and
  // ptrace's writes into read-only text).
  ErrnoOr<size_t> CopyIn(UserAddr src, void* dst, size_t n);
  ErrnoOr<size_t> CopyOut(UserAddr dst, const void* src, size_t n, bool force = false);
  // Whole-object copies: all or EFAULT.
  template <typename T>
  ErrnoOrVoid CopyInObj(UserAddr src, T* obj) {
    return CopyExact(CopyIn(src, obj, sizeof(T)), sizeof(T));
  }
  template <typename T>
  ErrnoOrVoid CopyOutObj(UserAddr dst, const T& obj) {
    return CopyExact(CopyOut(dst, &obj, sizeof(T)), sizeof(T));
  }
  // A NUL-terminated string of at most `max` bytes (ENAMETOOLONG beyond).
  ErrnoOr<std::string> CopyInString(UserAddr src, size_t max);
  // Zeroes guest memory.
  ErrnoOr<size_t> ZeroOut(UserAddr dst, size_t n);

  // Where the word at `addr` lives in the memory file when its mapping is
  // shared (MAP_SHARED, anonymous or of a file), faulting the page in:
  // every process mapping it sees the same offset, which keys a shared
  // futex. nullopt for private memory; EFAULT for no mapping.
  ErrnoOr<std::optional<uint64_t>> SharedOffset(UserAddr addr);

  // Pins up to `n` bytes at `addr` for host I/O (the accessible prefix).
  ErrnoOr<PinnedRanges> Pin(UserAddr addr, size_t n, AccessType at);

  // Resolves a guest page fault by mapping memory, or says why it cannot.
  std::optional<FaultError> HandleFault(uint64_t addr, AccessType at);

  // A copy-on-write copy of this address space for a forked child, backed
  // by `as`.
  ErrnoOr<std::unique_ptr<MemoryManager>> Fork(std::unique_ptr<platform::AddressSpace> as);

  // ---- Read by procfs (/proc/pid/{maps,smaps,stat,statm,cmdline,environ}) ----
  // One mapping as /proc/pid/maps shows it.
  struct VmaInfo {
    uint64_t start = 0, end = 0;
    int prot = 0;
    bool shared = false;
    bool growsdown = false;
    uint64_t offset = 0;    // file offset of `start` (0: anonymous)
    uint64_t dev = 0;       // the mapped file's device and inode (0: anonymous)
    uint64_t ino = 0;
    std::string name;       // "[stack]", "[heap]", a file's path, or empty
    uint64_t resident = 0;  // bytes backed by memory now
  };
  std::vector<VmaInfo> VmaSnapshot() const;
  // Where the argv and envp strings are on the initial stack (Linux's
  // mm->arg_start/arg_end/env_start/env_end); set by the loader.
  struct ArgEnvRange {
    uint64_t arg_start = 0, arg_end = 0, env_start = 0, env_end = 0;
  };
  void SetArgEnvRange(const ArgEnvRange& r);
  ArgEnvRange arg_env_range() const;
  // The program break: where the heap starts and where it is now.
  std::pair<uint64_t, uint64_t> BrkRange() const;


 private:
  struct Vma {
    uint64_t end;
    int prot;
    int max_prot;
    bool shared;
    bool growsdown;
    // Shared anonymous memory: the range [shm_offset, +len) of the memory
    // file backs the VMA from its start. kNoShm for private memory.
    uint64_t shm_offset;
    std::string name;
    // File mappings: the file and its offset at the VMA's start.
    std::shared_ptr<Mappable> mappable = nullptr;
    uint64_t file_offset = 0;
  };
  static constexpr uint64_t kNoShm = ~uint64_t{0};
  struct Pma {
    uint64_t end;
    uint64_t file_offset;
    int mapped_prot;  // what the platform has mapped, or -1 when not mapped
    // Private memory shared with another address space since fork: mapped
    // without PROT_WRITE, and copied (or claimed, when no longer shared)
    // one page at a time on the first write.
    bool cow = false;
  };

  static ErrnoOrVoid CopyExact(ErrnoOr<size_t> r, size_t want) {
    if (!r.ok()) return r.error();
    if (*r != want) return Errno(EFAULT);
    return {};
  }

  // Splits the VMA/PMA that straddles `at` so that one begins there.
  void SplitVmaAt(uint64_t at) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SplitPmaAt(uint64_t at) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void MergeVmasAround(uint64_t start, uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Removes mappings and memory in [start, end) (no argument checks).
  void UnmapLocked(uint64_t start, uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropPmasLocked(uint64_t start, uint64_t end) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool RangeFree(uint64_t start, uint64_t end) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  ErrnoOrVoid CheckMapped(uint64_t addr, uint64_t len) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::optional<uint64_t> FindUnmapped(uint64_t len) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The VMA containing addr, or end().
  std::map<uint64_t, Vma>::iterator FindVma(uint64_t addr) ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Makes sure [addr, page end) has a PMA; returns it.
  ErrnoOr<std::map<uint64_t, Pma>::iterator> EnsurePma(uint64_t addr,
                                                       std::map<uint64_t, Vma>::iterator vma)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // EnsurePma for a file mapping: [lo, hi) is the free window around `page`.
  ErrnoOr<std::map<uint64_t, Pma>::iterator> EnsureFilePma(uint64_t lo, uint64_t hi, uint64_t page,
                                                           std::map<uint64_t, Vma>::iterator vma)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes the page at `page` (inside a copy-on-write PMA) this address
  // space's own; returns the PMA now covering exactly that page.
  // With `replaced` (the fault path, which maps the page again at once),
  // a copy leaves the platform's mapping of the shared page in place for
  // that MAP_FIXED to replace, saving an unmap, and sets *replaced to the
  // shared page's offset, still referenced: the caller drops it once the
  // old mapping is gone, so the page cannot change hands while this
  // address space can still see it. *replaced is kNoShm if nothing is left
  // to drop.
  ErrnoOr<std::map<uint64_t, Pma>::iterator> BreakCow(uint64_t page, uint64_t* replaced = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Walks [addr, addr+n) calling fn(file_offset, len) on accessible memory.
  template <typename Fn>
  ErrnoOr<size_t> ForEachBacked(uint64_t addr, size_t n, AccessType at, bool force, Fn&& fn)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  MemoryFile& mf_;
  std::unique_ptr<platform::AddressSpace> as_;
  const uint64_t min_addr_;
  const uint64_t max_addr_;

  mutable absl::Mutex mu_;
  std::map<uint64_t, Vma> vmas_ ABSL_GUARDED_BY(mu_);  // start → VMA
  std::map<uint64_t, Pma> pmas_ ABSL_GUARDED_BY(mu_);  // start → PMA
  uint64_t brk_start_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t brk_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t mmap_base_ ABSL_GUARDED_BY(mu_);
  ArgEnvRange arg_env_ ABSL_GUARDED_BY(mu_);  // procfs
};

}  // namespace sentry::mm

#endif  // SENTRY_MM_MEMORY_MANAGER_H_
