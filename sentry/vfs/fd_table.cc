#include "sentry/vfs/fd_table.h"

#include <vector>

#include "sentry/vfs/dnotify.h"

namespace sentry::vfs {

std::shared_ptr<FileDescription> FdTable::Get(int fd) const {
  absl::MutexLock l(&mu_);
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : it->second.file;
}

ErrnoOr<int> FdTable::Install(std::shared_ptr<FileDescription> f, int min, bool cloexec,
                              uint64_t limit) {
  if (min < 0) return Errno(EINVAL);
  absl::MutexLock l(&mu_);
  int fd = min;
  for (auto it = fds_.lower_bound(min); it != fds_.end() && it->first == fd; ++it) ++fd;
  if (static_cast<uint64_t>(fd) >= limit) return Errno(EMFILE);
  fds_[fd] = Entry{std::move(f), cloexec};
  return fd;
}

ErrnoOrVoid FdTable::InstallAt(int fd, std::shared_ptr<FileDescription> f, bool cloexec,
                               uint64_t limit) {
  if (fd < 0 || static_cast<uint64_t>(fd) >= limit) return Errno(EBADF);
  std::shared_ptr<FileDescription> old;
  {
    absl::MutexLock l(&mu_);
    Entry& e = fds_[fd];
    old = std::move(e.file);  // released outside the lock
    e = Entry{std::move(f), cloexec};
  }
  // Closing an fd drops this table's directory watch on the file (Linux's
  // dnotify_flush in filp_close); so in every path below.
  if (old != nullptr) dnotify::Forget(old.get(), this);
  return {};
}

ErrnoOr<std::shared_ptr<FileDescription>> FdTable::Remove(int fd) {
  absl::MutexLock l(&mu_);
  auto it = fds_.find(fd);
  if (it == fds_.end()) return Errno(EBADF);
  auto f = std::move(it->second.file);
  fds_.erase(it);
  dnotify::Forget(f.get(), this);
  return f;
}

ErrnoOr<bool> FdTable::GetCloexec(int fd) const {
  absl::MutexLock l(&mu_);
  auto it = fds_.find(fd);
  if (it == fds_.end()) return Errno(EBADF);
  return it->second.cloexec;
}

ErrnoOrVoid FdTable::SetCloexec(int fd, bool on) {
  absl::MutexLock l(&mu_);
  auto it = fds_.find(fd);
  if (it == fds_.end()) return Errno(EBADF);
  it->second.cloexec = on;
  return {};
}

void FdTable::CloseRange(unsigned first, unsigned last, bool cloexec_only) {
  std::vector<std::shared_ptr<FileDescription>> closed;
  {
    absl::MutexLock l(&mu_);
    for (auto it = fds_.lower_bound(static_cast<int>(std::min<unsigned>(first, 0x7fffffff)));
         it != fds_.end() && static_cast<unsigned>(it->first) <= last;) {
      if (cloexec_only) {
        it->second.cloexec = true;
        ++it;
      } else {
        closed.push_back(std::move(it->second.file));
        it = fds_.erase(it);
      }
    }
  }
  for (const auto& f : closed) dnotify::Forget(f.get(), this);
}

void FdTable::CopyInto(FdTable& other) const {
  std::map<int, Entry> copy;
  {
    absl::MutexLock l(&mu_);
    copy = fds_;
  }
  absl::MutexLock l(&other.mu_);
  other.fds_ = std::move(copy);
}

void FdTable::CloseCloexec() {
  std::vector<std::shared_ptr<FileDescription>> closed;
  absl::MutexLock l(&mu_);
  for (auto it = fds_.begin(); it != fds_.end();) {
    if (it->second.cloexec) {
      closed.push_back(std::move(it->second.file));
      it = fds_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& f : closed) dnotify::Forget(f.get(), this);
}

int FdTable::Count() const {
  absl::MutexLock l(&mu_);
  return static_cast<int>(fds_.size());
}

}  // namespace sentry::vfs
