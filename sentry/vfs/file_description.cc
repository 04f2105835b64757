#include "sentry/vfs/file_description.h"

#include <fcntl.h>
#include <poll.h>

#include <algorithm>

#include "sentry/vfs/lock.h"

namespace sentry::vfs {

ErrnoOr<size_t> CopyOutFrom(mm::MemoryManager& mm, const IoVec& dst, std::string_view data,
                            uint64_t pos) {
  size_t done = 0;
  for (const IoSeg& seg : dst) {
    if (pos >= data.size()) break;
    size_t want = std::min<uint64_t>(seg.len, data.size() - pos);
    if (want == 0) continue;
    auto n = mm.CopyOut(seg.addr, data.data() + pos, want);
    if (!n.ok()) {
      if (done == 0) return n.error();
      break;
    }
    done += *n;
    pos += *n;
    if (*n < want) break;
  }
  return done;
}

namespace {
thread_local bool (*interrupt_check)(void*) = nullptr;
thread_local void* interrupt_arg = nullptr;
}  // namespace

void SetInterruptCheck(bool (*check)(void*), void* arg) {
  interrupt_check = check;
  interrupt_arg = arg;
}

bool ShouldInterruptWait() { return interrupt_check != nullptr && interrupt_check(interrupt_arg); }

FileDescription::~FileDescription() {
  if (Inode* in = inode()) {
    LockState* ls = in->locks();
    ls->ReleaseFlock(this);
    ls->ReleaseRecordLocks(this);
  }
}

ErrnoOr<size_t> FileDescription::Read(mm::MemoryManager&, const IoVec&, int64_t) {
  return Errno(EINVAL);
}
ErrnoOr<size_t> FileDescription::Write(mm::MemoryManager&, const IoVec&, int64_t) {
  return Errno(EINVAL);
}
ErrnoOr<int64_t> FileDescription::Seek(int64_t, int) { return Errno(ESPIPE); }
ErrnoOr<size_t> FileDescription::ReadInternal(void*, size_t, int64_t) { return Errno(EINVAL); }
ErrnoOr<size_t> FileDescription::WriteInternal(const void*, size_t, int64_t) {
  return Errno(EINVAL);
}
ErrnoOr<abi_linux::Stat> FileDescription::Stat() {
  if (Inode* in = inode()) return in->Stat();
  return Errno(EINVAL);
}
ErrnoOrVoid FileDescription::Getdents(Context&,
                                      const std::function<bool(const Dirent&, int64_t)>&) {
  return Errno(ENOTDIR);
}
ErrnoOrVoid FileDescription::Truncate(uint64_t) { return Errno(EINVAL); }
ErrnoOrVoid FileDescription::Allocate(int, uint64_t, uint64_t) { return Errno(ENODEV); }
ErrnoOr<std::shared_ptr<mm::Mappable>> FileDescription::GetMappable() { return Errno(ENODEV); }
uint32_t FileDescription::Readiness(uint32_t mask) {
  return mask & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
}
ErrnoOr<uint64_t> FileDescription::Ioctl(mm::MemoryManager&, uint32_t, uint64_t) {
  return Errno(ENOTTY);
}

void FileDescription::set_status_flags(int f) {
  // F_SETFL changes only these; the access mode and creation flags stay.
  constexpr int kSettable = O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | O_NONBLOCK;
  flags_ = (flags_ & ~kSettable) | (f & kSettable);
}

bool FileDescription::readable() const {
  int acc = flags_ & O_ACCMODE;
  return acc == O_RDONLY || acc == O_RDWR;
}

bool FileDescription::writable() const {
  int acc = flags_ & O_ACCMODE;
  return acc == O_WRONLY || acc == O_RDWR;
}

}  // namespace sentry::vfs
