// An open file description: what an fd points at, shared by dup'ed fds and
// (later) across fork. File systems implement the operations they support;
// the defaults give the errno Linux gives for files that lack them.
//
//   std::shared_ptr<FileDescription> f = task.fds().Get(fd);
//   ASSIGN_OR_RETURN_ERRNO(size_t n, f->Read(mm, segs, /*offset=*/-1));
#ifndef SENTRY_VFS_FILE_DESCRIPTION_H_
#define SENTRY_VFS_FILE_DESCRIPTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "abi/linux/stat.h"
#include "sentry/mm/memory_manager.h"
#include "sentry/mm/user_addr.h"
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

// Blocking waits inside file operations give up when the calling task has
// a signal to take or is exiting. The kernel installs the check for each
// task thread; without one, waits are never interrupted.
void SetInterruptCheck(bool (*check)(void*), void* arg);
bool ShouldInterruptWait();

class FileDescription {
 public:
  explicit FileDescription(int flags) : flags_(flags) {}
  virtual ~FileDescription() = default;
  FileDescription(const FileDescription&) = delete;
  FileDescription& operator=(const FileDescription&) = delete;

  // Reads into (writes from) guest memory. offset < 0 means the file's own
  // position (read/write); otherwise pread/pwrite at `offset`.
  virtual ErrnoOr<size_t> Read(mm::MemoryManager& mm, const IoVec& dst, int64_t offset);
  virtual ErrnoOr<size_t> Write(mm::MemoryManager& mm, const IoVec& src, int64_t offset);
  virtual ErrnoOr<int64_t> Seek(int64_t offset, int whence);
  virtual ErrnoOr<abi_linux::Stat> Stat();
  // ioctl requests that depend on the file; `arg` is the raw argument.
  virtual ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg);
  // A name for /proc/pid/fd and strace ("pipe:[12]", "/dev/pts/0").
  virtual std::string Name() const { return "anon_inode:[unknown]"; }
  // Pipes and sockets: a write with no reader left raises SIGPIPE.
  virtual bool is_pipe() const { return false; }

  // Open flags: access mode and status flags (O_APPEND, O_NONBLOCK, ...).
  int flags() const { return flags_; }
  void set_status_flags(int f);
  bool readable() const;
  bool writable() const;

 protected:
  int flags_;
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_FILE_DESCRIPTION_H_
