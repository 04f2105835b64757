#include "sentry/kernel/pidfd.h"

#include <fcntl.h>
#include <poll.h>

#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::kernel {

PidFd::PidFd(ThreadGroup& tg, int flags)
    : vfs::FileDescription(O_RDWR | (flags & O_NONBLOCK)), tg_(tg) {}

util::ErrnoOr<abi_linux::Stat> PidFd::Stat() {
  abi_linux::Stat st{};
  st.st_mode = 0600;  // anon_inode files have no type bits
  st.st_nlink = 1;
  st.st_blksize = 4096;
  return st;
}

uint32_t PidFd::Readiness(uint32_t mask) {
  // Linux: readable when the leader is a zombie and the group is empty;
  // here a group's last thread leaving is that moment.
  uint32_t r = tg_.tasks().empty() ? (POLLIN | POLLRDNORM) : 0;
  return r & mask;
}

vfs::WaitQueue* PidFd::events() { return &tg_.exit_events(); }

util::ErrnoOr<std::shared_ptr<PidFd>> PidFdAt(Task& t, int fd) {
  auto p = std::dynamic_pointer_cast<PidFd>(t.fds().Get(fd));
  if (p == nullptr) return util::Errno(EBADF);
  return p;
}

}  // namespace sentry::kernel
