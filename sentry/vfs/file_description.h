// An open file description: what an fd points at, shared by dup'ed fds and
// (later) across fork. File systems implement the operations they support;
// the defaults give the errno Linux gives for files that lack them.
//
//   std::shared_ptr<FileDescription> f = task.fds().Get(fd);
//   ASSIGN_OR_RETURN_ERRNO(size_t n, f->Read(mm, segs, /*offset=*/-1));
#ifndef SENTRY_VFS_FILE_DESCRIPTION_H_
#define SENTRY_VFS_FILE_DESCRIPTION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "abi/linux/stat.h"
#include "sentry/mm/memory_manager.h"
#include "sentry/mm/mappable.h"
#include "sentry/mm/user_addr.h"
#include "sentry/vfs/vfs.h"
#include "sentry/vfs/waiter.h"
#include "util/errno.h"

namespace sentry::vfs {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

// One piece of a guest I/O vector.
struct IoSeg {
  mm::UserAddr addr;
  uint64_t len;
};
using IoVec = std::vector<IoSeg>;

// Copies `data` from byte `pos` on into the guest's `dst`, as a read of a
// file holding just `data` does: the bytes copied (0 at or past the end),
// EFAULT only when nothing could be copied.
ErrnoOr<size_t> CopyOutFrom(mm::MemoryManager& mm, const IoVec& dst, std::string_view data,
                            uint64_t pos);

// Blocking waits inside file operations give up when the calling task has
// a signal to take or is exiting. The kernel installs the check for each
// task thread; without one, waits are never interrupted.
void SetInterruptCheck(bool (*check)(void*), void* arg);
bool ShouldInterruptWait();

class FileDescription {
 public:
  explicit FileDescription(int flags) : flags_(flags) {}
  // Drops the flock(2) and OFD locks this description holds.
  virtual ~FileDescription();
  FileDescription(const FileDescription&) = delete;
  FileDescription& operator=(const FileDescription&) = delete;

  // Reads into (writes from) guest memory. offset < 0 means the file's own
  // position (read/write); otherwise pread/pwrite at `offset`.
  virtual ErrnoOr<size_t> Read(mm::MemoryManager& mm, const IoVec& dst, int64_t offset);
  virtual ErrnoOr<size_t> Write(mm::MemoryManager& mm, const IoVec& src, int64_t offset);
  virtual ErrnoOr<int64_t> Seek(int64_t offset, int whence);
  // The sentry's own I/O into its memory, for sendfile(2),
  // copy_file_range(2) and copy-up: like Read/Write (offset < 0 uses and
  // advances the file position). EINVAL for files that lack it.
  virtual ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset);
  virtual ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset);
  // Default: the inode's attributes, for files opened through the VFS.
  virtual ErrnoOr<abi_linux::Stat> Stat();
  // Directories: calls emit(entry, next offset) for each entry from the
  // current position, "." and ".." first, until emit answers false (the
  // buffer is full); the position then rests at the entry not taken.
  virtual ErrnoOrVoid Getdents(Context& ctx,
                               const std::function<bool(const Dirent&, int64_t next)>& emit);
  // ftruncate(2) (the file is open for writing; checked).
  virtual ErrnoOrVoid Truncate(uint64_t size);
  // fallocate(2).
  virtual ErrnoOrVoid Allocate(int mode, uint64_t offset, uint64_t len);
  // fsync(2)/fdatasync(2).
  virtual ErrnoOrVoid Sync() { return {}; }
  // poll(2) readiness: the POLL* events of `mask` that hold now. Default:
  // always readable and writable, as Linux's DEFAULT_POLLMASK for files
  // without a poll method (regular files).
  virtual uint32_t Readiness(uint32_t mask);
  // Where changes of readiness are announced; nullptr for files whose
  // readiness never changes, or is re-checked by polling (host files).
  virtual WaitQueue* events() { return nullptr; }
  // What mmap(2) maps, or ENODEV when the file cannot be mapped.
  virtual ErrnoOr<std::shared_ptr<mm::Mappable>> GetMappable();
  // ioctl requests that depend on the file; `arg` is the raw argument.
  virtual ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg);
  // A name for /proc/pid/fd and strace ("pipe:[12]", "/dev/pts/0").
  virtual std::string Name() const { return "anon_inode:[unknown]"; }
  // Pipes and sockets: a write with no reader left raises SIGPIPE.
  virtual bool is_pipe() const { return false; }

  // Where the file was opened (empty for pipes and host stdio). Set once
  // by the VFS right after Inode::Open.
  const Path& path() const { return path_; }
  void set_path(Path p) { path_ = std::move(p); }
  Inode* inode() const { return path_.dentry ? path_.dentry->inode().get() : nullptr; }

  // F_SETSIG: the signal this file's notifications (dnotify.h) send; 0
  // means plain SIGIO.
  int sigio_signal() const { return sigio_signal_.load(); }
  void set_sigio_signal(int sig) { sigio_signal_.store(sig); }

  // Open flags: access mode and status flags (O_APPEND, O_NONBLOCK, ...).
  int flags() const { return flags_; }
  void set_status_flags(int f);
  bool readable() const;
  bool writable() const;

 protected:
  int flags_;
  Path path_;
  std::atomic<int> sigio_signal_{0};
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_FILE_DESCRIPTION_H_
