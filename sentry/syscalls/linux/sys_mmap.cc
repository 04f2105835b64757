// brk(2), mmap(2), munmap(2), mprotect(2), mremap(2), madvise(2),
// mincore(2), msync(2), mlock(2), munlock(2).
#include <fcntl.h>

#include <algorithm>

#include "abi/linux/mman.h"
#include "sentry/kernel/kernel.h"
#include "sentry/syscalls/linux/handlers.h"
#include "sentry/vfs/file_description.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// A file mapping as the mapping process named the file: /proc/pid/maps
// shows the device and inode its fstat reports (an overlay file's, not its
// layer's) and its path.
class NamedMappable : public mm::Mappable {
 public:
  NamedMappable(std::shared_ptr<mm::Mappable> inner, std::string name, uint64_t dev, uint64_t ino)
      : inner_(std::move(inner)), name_(std::move(name)), dev_(dev), ino_(ino) {}
  uint64_t MappableSize() override { return inner_->MappableSize(); }
  ErrnoOr<size_t> ReadForMap(void* dst, size_t len, uint64_t offset) override {
    return inner_->ReadForMap(dst, len, offset);
  }
  bool CanMapShared() const override { return inner_->CanMapShared(); }
  ErrnoOr<uint64_t> SharedPage(uint64_t offset) override { return inner_->SharedPage(offset); }
  void MarkDirty() override { inner_->MarkDirty(); }
  std::string MapName() const override { return name_; }
  uint64_t MapDev() const override { return dev_; }
  uint64_t MapIno() const override { return ino_; }

 private:
  const std::shared_ptr<mm::Mappable> inner_;
  const std::string name_;
  const uint64_t dev_, ino_;
};

}  // namespace

SyscallResult SysBrk(Task& t, const SyscallArgs& a) { return t.mm().Brk(a[0]); }

SyscallResult SysMmap(Task& t, const SyscallArgs& a) {
  uint64_t addr = a[0], len = a[1];
  int prot = a.Int(2), flags = a.Int(3), fd = a.Int(4);
  uint64_t off = a[5];
  if (off & mm::kPageMask) return Errno(EINVAL);
  int type = flags & L::kMAP_TYPE;
  if (type != L::kMAP_SHARED && type != L::kMAP_PRIVATE && type != L::kMAP_SHARED_VALIDATE) {
    return Errno(EINVAL);
  }
  constexpr int kKnownFlags =
      L::kMAP_TYPE | L::kMAP_FIXED | L::kMAP_ANONYMOUS | L::kMAP_32BIT | L::kMAP_GROWSDOWN |
      L::kMAP_DENYWRITE | L::kMAP_EXECUTABLE | L::kMAP_LOCKED | L::kMAP_NORESERVE |
      L::kMAP_POPULATE | L::kMAP_NONBLOCK | L::kMAP_STACK | L::kMAP_HUGETLB | L::kMAP_SYNC |
      L::kMAP_FIXED_NOREPLACE | (L::kMAP_HUGE_MASK << L::kMAP_HUGE_SHIFT);
  if (type == L::kMAP_SHARED_VALIDATE && (flags & ~kKnownFlags)) return Errno(EOPNOTSUPP);
  if (prot & ~(L::kPROT_READ | L::kPROT_WRITE | L::kPROT_EXEC | L::kPROT_SEM)) {
    return Errno(EINVAL);
  }
  if (len == 0) return Errno(EINVAL);
  if (flags & L::kMAP_HUGETLB) return Errno(ENOMEM);  // no huge page pool
  mm::MMapOpts opts;
  if (!(flags & L::kMAP_ANONYMOUS)) {
    auto f = t.fds().Get(fd);
    if (!f) return Errno(EBADF);
    if (f->flags() & O_PATH) return Errno(EBADF);
    // Linux's checks: the file must be readable; a shared writable mapping
    // needs it open for writing (and not append-only).
    if (!f->readable()) return Errno(EACCES);
    bool shared = type != L::kMAP_PRIVATE;
    if (shared && (prot & L::kPROT_WRITE) && (!f->writable() || (f->flags() & O_APPEND))) {
      return Errno(EACCES);
    }
    if (off > (uint64_t{1} << 62)) return Errno(EOVERFLOW);
    ASSIGN_OR_RETURN_ERRNO(opts.mappable, f->GetMappable());
    opts.file_offset = off;
    if (f->path().valid()) {
      std::string name = t.kernel().vfs().PathName(t.root(), f->path());
      ASSIGN_OR_RETURN_ERRNO(L::Stat st, StatFile(*f));
      opts.mappable =
          std::make_shared<NamedMappable>(std::move(opts.mappable), name, st.st_dev, st.st_ino);
    }
    if (shared && !f->writable()) opts.max_prot &= ~L::kPROT_WRITE;
    if (f->path().valid() && (f->path().mount->flags() & vfs::kMountNoExec)) {
      if (prot & L::kPROT_EXEC) return Errno(EPERM);
      opts.max_prot &= ~L::kPROT_EXEC;
    }
  }
  opts.addr = addr;
  opts.length = len;
  opts.prot = prot;
  opts.shared = type != L::kMAP_PRIVATE;
  // MAP_FIXED_NOREPLACE wins over MAP_FIXED: never replace.
  opts.fixed_noreplace = flags & L::kMAP_FIXED_NOREPLACE;
  opts.fixed = (flags & L::kMAP_FIXED) && !opts.fixed_noreplace;
  opts.growsdown = flags & L::kMAP_GROWSDOWN;
  return t.mm().MMap(opts);
}

SyscallResult SysMunmap(Task& t, const SyscallArgs& a) { return t.mm().MUnmap(a[0], a[1]); }

SyscallResult SysMprotect(Task& t, const SyscallArgs& a) {
  int prot = a.Int(2);
  if (prot & ~(L::kPROT_READ | L::kPROT_WRITE | L::kPROT_EXEC | L::kPROT_SEM |
               L::kPROT_GROWSDOWN | L::kPROT_GROWSUP)) {
    return Errno(EINVAL);
  }
  if ((prot & L::kPROT_GROWSDOWN) && (prot & L::kPROT_GROWSUP)) return Errno(EINVAL);
  return t.mm().MProtect(a[0], a[1], prot & (L::kPROT_READ | L::kPROT_WRITE | L::kPROT_EXEC));
}

SyscallResult SysMremap(Task& t, const SyscallArgs& a) {
  return t.mm().MRemap(a[0], a[1], a[2], a.Int(3), a[4]);
}

SyscallResult SysMadvise(Task& t, const SyscallArgs& a) {
  return t.mm().MAdvise(a[0], a[1], a.Int(2));
}

SyscallResult SysMincore(Task& t, const SyscallArgs& a) {
  uint64_t addr = a[0];
  if (addr & mm::kPageMask) return Errno(EINVAL);
  std::optional<uint64_t> len = mm::PageUp(a[1]);
  if (!len) return Errno(ENOMEM);
  RETURN_IF_ERRNO(t.mm().IsMapped(addr, *len));
  // In chunks, so a huge mapping never needs a huge buffer here.
  for (uint64_t done = 0; done < *len;) {
    uint64_t chunk = std::min(*len - done, mm::MemoryManager::kMaxMInCoreBytes);
    ASSIGN_OR_RETURN_ERRNO(std::vector<uint8_t> vec, t.mm().MInCore(addr + done, chunk));
    ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(2) + done / mm::kPageSize, vec.data(),
                                               vec.size()));
    if (n != vec.size()) return Errno(EFAULT);
    done += chunk;
  }
  return 0;
}

SyscallResult SysMsync(Task& t, const SyscallArgs& a) {
  int flags = a.Int(2);
  if (flags & ~(L::kMS_ASYNC | L::kMS_INVALIDATE | L::kMS_SYNC)) return Errno(EINVAL);
  if ((flags & L::kMS_ASYNC) && (flags & L::kMS_SYNC)) return Errno(EINVAL);
  // Shared file mappings map the file's own pages (tmpfs) and private ones
  // are copies: nothing to write back. The range must be mapped.
  return t.mm().IsMapped(a[0], a[1]);
}

// Memory in the memory file is never swapped out by the sandbox, so locking
// has nothing further to do once the range is known to be mapped.
SyscallResult SysMlock(Task& t, const SyscallArgs& a) {
  uint64_t start = mm::PageDown(a[0]);
  uint64_t len = a[1] + (a[0] - start);
  if (len < a[1]) return Errno(ENOMEM);
  return t.mm().IsMapped(start, len);
}

SyscallResult SysMunlock(Task& t, const SyscallArgs& a) { return SysMlock(t, a); }

}  // namespace sentry::syscalls
