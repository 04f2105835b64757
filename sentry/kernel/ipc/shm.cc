#include "sentry/kernel/ipc/shm.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <optional>
#include <vector>

#include "abi/linux/capability.h"
#include "absl/strings/str_format.h"
#include "sentry/fsimpl/tmpfs/regular_file.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/mm/mappable.h"

namespace sentry::kernel::ipc {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

// Shared memory attaches at multiples of SHMLBA: the page size on x86-64.
constexpr uint64_t kShmLba = 4096;

// What every attachment of a segment maps: its file's pages, named as
// Linux names them in /proc/pid/maps.
class ShmMapping : public mm::Mappable {
 public:
  ShmMapping(std::weak_ptr<Shm> shm, std::shared_ptr<ShmSegment> seg, uint64_t dev)
      : shm_(std::move(shm)),
        seg_(std::move(seg)),
        dev_(dev),
        name_(absl::StrFormat("/SYSV%08x (deleted)", static_cast<uint32_t>(seg_->perm.key))) {}
  ~ShmMapping() override {
    if (auto shm = shm_.lock()) shm->Detached(*seg_);
  }

  uint64_t MappableSize() override { return seg_->size; }
  ErrnoOr<size_t> ReadForMap(void* dst, size_t len, uint64_t offset) override {
    return seg_->file->ReadForMap(dst, len, offset);
  }
  bool CanMapShared() const override { return true; }
  ErrnoOr<uint64_t> SharedPage(uint64_t offset) override { return seg_->file->SharedPage(offset); }
  std::string MapName() const override { return name_; }
  uint64_t MapDev() const override { return dev_; }
  // The segment's id: shmdt finds its attachments by it.
  uint64_t MapIno() const override { return static_cast<uint64_t>(seg_->id); }

 private:
  const std::weak_ptr<Shm> shm_;
  const std::shared_ptr<ShmSegment> seg_;
  const uint64_t dev_;
  const std::string name_;
};

namespace {

uint64_t Pages(uint64_t size) { return (size + 4095) / 4096; }

L::ShmidDs ToAbi(const ShmSegment& s) {
  L::ShmidDs ds{};
  ds.shm_perm = ipc::ToAbi(s.perm);
  ds.shm_segsz = s.size;
  ds.shm_atime = s.atime;
  ds.shm_dtime = s.dtime;
  ds.shm_ctime = s.ctime;
  ds.shm_cpid = s.cpid;
  ds.shm_lpid = s.lpid;
  ds.shm_nattch = static_cast<uint64_t>(s.mapping.use_count());
  return ds;
}

}  // namespace

Shm::Shm(mm::MemoryFile& mf, std::shared_ptr<const IpcLimits> limits)
    : fs_(std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(mf, fsimpl::tmpfs::TmpfsOptions{})),
      limits_(std::move(limits)) {}

Shm::~Shm() = default;

ErrnoOr<int> Shm::Get(Task& t, int32_t key, uint64_t size, int flags) {
  auth::Credentials c = t.creds();
  int pid = t.thread_group().pid();
  absl::MutexLock l(&mu_);
  auto make = [&]() -> ErrnoOr<std::shared_ptr<ShmSegment>> {
    if (size < L::kSHMMIN || size > limits_->shmmax.load()) return Errno(EINVAL);
    if (flags & L::kSHM_HUGETLB) return Errno(ENOMEM);  // no huge page pool
    const uint64_t shmall = limits_->shmall.load();
    if (total_pages_ + Pages(size) < total_pages_ || total_pages_ + Pages(size) > shmall) {
      return Errno(ENOSPC);
    }
    auto seg = std::make_shared<ShmSegment>();
    seg->size = size;
    vfs::CreateArgs args{.mode = static_cast<uint32_t>(S_IFREG | (flags & 0777)),
                         .rdev = 0,
                         .uid = c.euid,
                         .gid = c.egid};
    seg->fs = fs_;
    seg->file = std::make_shared<fsimpl::tmpfs::RegularFile>(*fs_, args);
    RETURN_IF_ERRNO(seg->file->Truncate(size));
    seg->cpid = pid;
    seg->ctime = NowSeconds();
    total_pages_ += Pages(size);
    return seg;
  };
  auto check = [&](const ShmSegment& seg) -> ErrnoOrVoid {
    if (seg.size < size) return Errno(EINVAL);
    return {};
  };
  return GetOrCreate(segments_, c, key, flags, limits_->shmmni.load(), make, check);
}

ErrnoOr<uint64_t> Shm::Attach(Task& t, int id, uint64_t addr, int flags) {
  if (addr & (kShmLba - 1)) {
    if (!(flags & L::kSHM_RND)) return Errno(EINVAL);
    addr &= ~(kShmLba - 1);
    if (addr == 0 && (flags & L::kSHM_REMAP)) return Errno(EINVAL);
  }
  if (addr == 0 && (flags & L::kSHM_REMAP)) return Errno(EINVAL);
  int prot = PROT_READ, access = 0444;
  if (!(flags & L::kSHM_RDONLY)) {
    prot |= PROT_WRITE;
    access |= 0222;
  }
  if (flags & L::kSHM_EXEC) {
    prot |= PROT_EXEC;
    access |= 0111;
  }
  auth::Credentials c = t.creds();
  // Declared before the lock: if this is the last reference when the call
  // ends, its destructor takes mu_.
  std::shared_ptr<ShmMapping> mapping;
  std::shared_ptr<ShmSegment> seg;
  {
    absl::MutexLock l(&mu_);
    seg = segments_.ById(id);
    if (seg == nullptr) return Errno(EINVAL);
    if (!MayAccess(c, seg->perm, access)) return Errno(EACCES);
    mapping = seg->mapping.lock();
    if (mapping == nullptr) {
      mapping = std::make_shared<ShmMapping>(weak_from_this(), seg, fs_->dev());
      seg->mapping = mapping;
    }
  }
  mm::MMapOpts opts;
  opts.addr = addr;
  opts.length = seg->size;
  opts.prot = prot;
  opts.shared = true;
  // An address replaces what is mapped there only with SHM_REMAP.
  opts.fixed = addr != 0 && (flags & L::kSHM_REMAP);
  opts.fixed_noreplace = addr != 0 && !(flags & L::kSHM_REMAP);
  opts.mappable = mapping;
  opts.file_offset = 0;
  opts.max_prot =
      (flags & L::kSHM_RDONLY) ? (PROT_READ | PROT_EXEC) : (PROT_READ | PROT_WRITE | PROT_EXEC);
  ErrnoOr<uint64_t> mapped = t.mm().MMap(opts);
  if (!mapped.ok()) return mapped.error() == Errno(EEXIST) ? Errno(EINVAL) : mapped.error();
  absl::MutexLock l(&mu_);
  seg->atime = NowSeconds();
  seg->lpid = t.thread_group().pid();
  return *mapped;
}

ErrnoOrVoid Shm::Detach(Task& t, uint64_t addr) {
  if (addr & (kShmLba - 1)) return Errno(EINVAL);
  std::vector<mm::MemoryManager::VmaInfo> vmas = t.mm().VmaSnapshot();
  // The attachment starting at addr: a mapping of one of our segments from
  // its start.
  std::optional<uint64_t> ino;
  for (const auto& v : vmas) {
    if (v.start == addr && v.dev == fs_->dev() && v.offset == 0 && v.shared) ino = v.ino;
  }
  if (!ino) return Errno(EINVAL);
  std::shared_ptr<ShmSegment> seg;
  {
    absl::MutexLock l(&mu_);
    seg = segments_.ById(static_cast<int>(*ino));
  }
  // Attached, so still registered (removal waits for the last detach).
  if (seg == nullptr) return Errno(EINVAL);
  uint64_t end = addr + ((seg->size + kShmLba - 1) & ~(kShmLba - 1));
  // Every piece of this attachment (mprotect may have split it), and no
  // other mapping.
  for (const auto& v : vmas) {
    if (v.start < addr || v.end > end || v.dev != fs_->dev() || v.ino != *ino) continue;
    if (v.offset != v.start - addr) continue;
    RETURN_IF_ERRNO(t.mm().MUnmap(v.start, v.end - v.start));
  }
  absl::MutexLock l(&mu_);
  seg->dtime = NowSeconds();
  seg->lpid = t.thread_group().pid();
  return {};
}

void Shm::Detached(ShmSegment& seg) {
  absl::MutexLock l(&mu_);
  seg.dtime = NowSeconds();
  // A new attachment may have come since; otherwise a segment marked for
  // removal goes now.
  if ((seg.perm.mode & L::kSHM_DEST) && seg.mapping.expired() && segments_.ById(seg.id)) {
    total_pages_ -= Pages(seg.size);
    segments_.Remove(seg);
  }
}

ErrnoOr<int> Shm::Ctl(Task& t, int id, int cmd, mm::UserAddr buf) {
  auth::Credentials c = t.creds();
  switch (cmd) {
    case L::kIPC_INFO: {
      L::ShmInfo64 info{};
      info.shmmax = limits_->shmmax.load();
      info.shmmin = L::kSHMMIN;
      info.shmmni = limits_->shmmni.load();
      info.shmseg = L::kSHMSEG;
      info.shmall = limits_->shmall.load();
      int max;
      {
        absl::MutexLock l(&mu_);
        max = segments_.MaxIndex();
      }
      RETURN_IF_ERRNO(t.CopyOutObj(buf, info));
      return max < 0 ? 0 : max;
    }
    case L::kSHM_INFO: {
      L::ShmInfo info{};
      int max;
      {
        absl::MutexLock l(&mu_);
        info.used_ids = segments_.size();
        for (const auto& [index, seg] : segments_.objects()) {
          info.shm_tot += Pages(seg->size);
          info.shm_rss += seg->file->pages();
        }
        max = segments_.MaxIndex();
      }
      RETURN_IF_ERRNO(t.CopyOutObj(buf, info));
      return max < 0 ? 0 : max;
    }
    case L::kIPC_STAT:
    case L::kSHM_STAT:
    case L::kSHM_STAT_ANY: {
      L::ShmidDs ds;
      int ret = 0;
      {
        absl::MutexLock l(&mu_);
        std::shared_ptr<ShmSegment> seg =
            cmd == L::kIPC_STAT ? segments_.ById(id) : segments_.ByIndex(id);
        if (seg == nullptr) return Errno(EINVAL);
        if (cmd != L::kSHM_STAT_ANY && !MayAccess(c, seg->perm, 0444)) return Errno(EACCES);
        ds = ToAbi(*seg);
        if (cmd != L::kIPC_STAT) ret = seg->id;
      }
      RETURN_IF_ERRNO(t.CopyOutObj(buf, ds));
      return ret;
    }
    case L::kIPC_SET: {
      L::ShmidDs ds;
      RETURN_IF_ERRNO(t.CopyInObj(buf, &ds));
      absl::MutexLock l(&mu_);
      std::shared_ptr<ShmSegment> seg = segments_.ById(id);
      if (seg == nullptr) return Errno(EINVAL);
      if (!IsOwner(c, seg->perm)) return Errno(EPERM);
      seg->perm.uid = ds.shm_perm.uid;
      seg->perm.gid = ds.shm_perm.gid;
      seg->perm.mode = (seg->perm.mode & ~0777u) | (ds.shm_perm.mode & 0777);
      seg->ctime = NowSeconds();
      return 0;
    }
    case L::kIPC_RMID: {
      absl::MutexLock l(&mu_);
      std::shared_ptr<ShmSegment> seg = segments_.ById(id);
      if (seg == nullptr) return Errno(EINVAL);
      if (!IsOwner(c, seg->perm)) return Errno(EPERM);
      if (seg->mapping.expired()) {
        total_pages_ -= Pages(seg->size);
        segments_.Remove(*seg);
      } else {
        // Destroyed at the last detach; until then only its id finds it.
        seg->perm.mode |= L::kSHM_DEST;
        segments_.DropKey(*seg);
      }
      return 0;
    }
    case L::kSHM_LOCK:
    case L::kSHM_UNLOCK: {
      absl::MutexLock l(&mu_);
      std::shared_ptr<ShmSegment> seg = segments_.ById(id);
      if (seg == nullptr) return Errno(EINVAL);
      if (!c.HasCapability(L::kCAP_IPC_LOCK) && c.euid != seg->perm.uid &&
          c.euid != seg->perm.cuid) {
        return Errno(EPERM);
      }
      // Memory-file pages are never swapped out: locking is the mode bit.
      if (cmd == L::kSHM_LOCK) {
        seg->perm.mode |= L::kSHM_LOCKED;
      } else {
        seg->perm.mode &= ~L::kSHM_LOCKED;
      }
      return 0;
    }
    default:
      return Errno(EINVAL);
  }
}

}  // namespace sentry::kernel::ipc
