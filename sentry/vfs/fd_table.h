// The fd table: small integers to open file descriptions, with the per-fd
// close-on-exec flag. Shared between tasks created with CLONE_FILES.
//
//   ASSIGN_OR_RETURN_ERRNO(int fd, fds.Install(file, /*min=*/0, /*cloexec=*/true, limit));
//   std::shared_ptr<FileDescription> f = fds.Get(fd);  // nullptr: EBADF
//
// Lock order: mu_ is a leaf.
#ifndef SENTRY_VFS_FD_TABLE_H_
#define SENTRY_VFS_FD_TABLE_H_

#include <map>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

class FdTable {
 public:
  FdTable() = default;
  FdTable(const FdTable&) = delete;
  FdTable& operator=(const FdTable&) = delete;

  std::shared_ptr<FileDescription> Get(int fd) const;
  // Lowest free fd >= min below `limit` (RLIMIT_NOFILE): EMFILE when none.
  ErrnoOr<int> Install(std::shared_ptr<FileDescription> f, int min, bool cloexec, uint64_t limit);
  // Puts f at exactly `fd`, closing what was there (dup2/dup3).
  ErrnoOrVoid InstallAt(int fd, std::shared_ptr<FileDescription> f, bool cloexec, uint64_t limit);
  // Removes fd; the description lives on while other references exist.
  ErrnoOr<std::shared_ptr<FileDescription>> Remove(int fd);
  ErrnoOr<bool> GetCloexec(int fd) const;
  ErrnoOrVoid SetCloexec(int fd, bool on);
  // Closes [first, last]; with cloexec_only, marks them close-on-exec.
  void CloseRange(unsigned first, unsigned last, bool cloexec_only);
  int Count() const;
  // Copies every entry into `other` (a new process's or unshared table).
  void CopyInto(FdTable& other) const;
  // execve: closes every close-on-exec fd.
  void CloseCloexec();

 private:
  struct Entry {
    std::shared_ptr<FileDescription> file;
    bool cloexec;
  };
  mutable absl::Mutex mu_;
  std::map<int, Entry> fds_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_FD_TABLE_H_
