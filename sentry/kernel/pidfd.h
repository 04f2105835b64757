// A process file descriptor (pidfd_open(2), CLONE_PIDFD): a file that
// names one process. It becomes readable (POLLIN) once every thread of the
// process has exited, and pidfd_send_signal(2), pidfd_getfd(2) and
// waitid(P_PIDFD) act on the process it names.
//
//   auto f = std::make_shared<kernel::PidFd>(tg, O_NONBLOCK);
//   ASSIGN_OR_RETURN_ERRNO(int fd, t.fds().Install(f, 0, /*cloexec=*/true, limit));
//   ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<kernel::PidFd> p, kernel::PidFdAt(t, fd));
//
// The file borrows the ThreadGroup: the kernel keeps every ThreadGroup it
// made until it is destroyed itself (kernel.h), after every task and so
// every fd table. Pids are never reused, so the pointer always names the
// process the pidfd was opened for, zombie or reaped.
#ifndef SENTRY_KERNEL_PIDFD_H_
#define SENTRY_KERNEL_PIDFD_H_

#include <memory>
#include <string>

#include "sentry/vfs/file_description.h"

namespace sentry::kernel {

class Task;
class ThreadGroup;

class PidFd : public vfs::FileDescription {
 public:
  // flags: O_NONBLOCK (PIDFD_NONBLOCK) or 0.
  PidFd(ThreadGroup& tg, int flags);

  ThreadGroup& target() const { return tg_; }

  util::ErrnoOr<abi_linux::Stat> Stat() override;
  // POLLIN once the process has no threads left (exited, maybe a zombie).
  uint32_t Readiness(uint32_t mask) override;
  vfs::WaitQueue* events() override;
  std::string Name() const override { return "anon_inode:[pidfd]"; }

 private:
  ThreadGroup& tg_;
};

// The process the pidfd at `fd` names: EBADF when fd is not open or not a
// pidfd.
util::ErrnoOr<std::shared_ptr<PidFd>> PidFdAt(Task& t, int fd);

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_PIDFD_H_
