// POSIX message queues: mq_open(2), mq_unlink(2), mq_timedsend(2),
// mq_timedreceive(2), mq_notify(2), mq_getsetattr(2). The queues live in
// the kernel's IPC namespace (sentry/kernel/ipc/mqueue.h); these handlers
// check arguments in Linux's order and copy them.
#include <fcntl.h>

#include <memory>
#include <string>

#include "abi/linux/limits.h"
#include "abi/linux/mqueue.h"
#include "abi/linux/resource.h"
#include "abi/linux/signal.h"
#include "abi/linux/time.h"
#include "absl/time/time.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/kernel/ipc/mqueue.h"
#include "sentry/kernel/kernel.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;
using kernel::ipc::MqueueFile;

namespace {

uint64_t NofileLimit(Task& t) { return t.thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur; }

kernel::ipc::Mqueues& Queues(Task& t) { return t.kernel().ipc().mqueues(); }

// A queue's name as the kernel takes it (glibc has stripped the leading
// '/'): EFAULT, ENAMETOOLONG past PATH_MAX, ENOENT when empty.
ErrnoOr<std::string> CopyInName(Task& t, mm::UserAddr addr) {
  ASSIGN_OR_RETURN_ERRNO(std::string name, t.CopyInString(addr, L::kPATH_MAX));
  if (name.empty()) return Errno(ENOENT);
  return name;
}

// The descriptor's queue file, keeping it alive for the call; EBADF for
// anything else.
ErrnoOr<std::shared_ptr<vfs::FileDescription>> GetQueueFile(Task& t, int fd, MqueueFile** mq) {
  std::shared_ptr<vfs::FileDescription> f = t.fds().Get(fd);
  if (!f) return Errno(EBADF);
  *mq = dynamic_cast<MqueueFile*>(f.get());
  if (*mq == nullptr) return Errno(EBADF);
  return f;
}

// An absolute CLOCK_REALTIME timeout; none (blocking for ever) when null.
ErrnoOr<absl::Time> CopyInDeadline(Task& t, mm::UserAddr addr) {
  if (addr.IsNull()) return absl::InfiniteFuture();
  L::Timespec ts;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &ts));
  if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return Errno(EINVAL);
  return absl::FromUnixSeconds(ts.tv_sec) + absl::Nanoseconds(ts.tv_nsec);
}

// A wait cut short by a signal is restarted under SA_RESTART (signal(7)
// lists the mq_* calls among those SA_RESTART restarts); the deadline is
// absolute, so the restarted call keeps it.
SyscallResult Restartable(ErrnoOrVoid r) {
  if (!r.ok() && r.error() == Errno(EINTR)) return Errno(kernel::kERESTARTSYS);
  RETURN_IF_ERRNO(r);
  return 0;
}

}  // namespace

// mq_open(2)
SyscallResult SysMqOpen(Task& t, const SyscallArgs& a) {
  const int oflag = a.Int(1);
  L::MqAttr attr;
  const bool have_attr = !a.Addr(3).IsNull();
  if (have_attr) RETURN_IF_ERRNO(t.CopyInObj(a.Addr(3), &attr));
  ASSIGN_OR_RETURN_ERRNO(std::string name, CopyInName(t, a.Addr(0)));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<MqueueFile> f,
                         Queues(t).Open(t, name, oflag, a.Uint(2), have_attr ? &attr : nullptr));
  // Linux makes every queue descriptor close-on-exec, O_CLOEXEC or not.
  return t.fds().Install(std::move(f), 0, /*cloexec=*/true, NofileLimit(t));
}

// mq_unlink(2)
SyscallResult SysMqUnlink(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(std::string name, CopyInName(t, a.Addr(0)));
  RETURN_IF_ERRNO(Queues(t).Unlink(t, name));
  return 0;
}

// mq_timedsend(2)
SyscallResult SysMqTimedsend(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(absl::Time deadline, CopyInDeadline(t, a.Addr(4)));
  const uint32_t prio = a.Uint(3);
  if (prio >= L::kMQ_PRIO_MAX) return Errno(EINVAL);
  MqueueFile* mq = nullptr;
  ASSIGN_OR_RETURN_ERRNO(auto keep, GetQueueFile(t, a.Int(0), &mq));
  if (!mq->writable()) return Errno(EBADF);
  const uint64_t len = a[2];
  if (len > static_cast<uint64_t>(mq->queue().msgsize())) return Errno(EMSGSIZE);
  std::string text(len, '\0');
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyIn(a.Addr(1), text.data(), len));
  if (n != len) return Errno(EFAULT);
  return Restartable(
      mq->queue().Send(t, std::move(text), prio, mq->flags() & O_NONBLOCK, deadline));
}

// mq_timedreceive(2)
SyscallResult SysMqTimedreceive(Task& t, const SyscallArgs& a) {
  ASSIGN_OR_RETURN_ERRNO(absl::Time deadline, CopyInDeadline(t, a.Addr(4)));
  MqueueFile* mq = nullptr;
  ASSIGN_OR_RETURN_ERRNO(auto keep, GetQueueFile(t, a.Int(0), &mq));
  if (!mq->readable()) return Errno(EBADF);
  if (a[2] < static_cast<uint64_t>(mq->queue().msgsize())) return Errno(EMSGSIZE);
  auto r = mq->queue().Receive(mq->flags() & O_NONBLOCK, deadline);
  if (!r.ok()) return Restartable(r.error());
  // The message is taken already: a bad buffer loses it, as on Linux.
  if (!a.Addr(3).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(3), r->prio));
  ASSIGN_OR_RETURN_ERRNO(size_t n, t.CopyOut(a.Addr(1), r->text.data(), r->text.size()));
  if (n != r->text.size()) return Errno(EFAULT);
  return static_cast<int64_t>(n);
}

// mq_notify(2)
SyscallResult SysMqNotify(Task& t, const SyscallArgs& a) {
  L::SigEvent ev;
  const bool have_ev = !a.Addr(1).IsNull();
  if (have_ev) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &ev));
    switch (ev.sigev_notify) {
      case L::kSIGEV_NONE:
        break;
      case L::kSIGEV_SIGNAL:
        // Linux's valid_signal(): 0 too (registered, but sends nothing).
        if (static_cast<uint32_t>(ev.sigev_signo) > static_cast<uint32_t>(L::kNumSignals)) {
          return Errno(EINVAL);
        }
        break;
      case L::kSIGEV_THREAD: {
        // The notification goes out as a message on a netlink socket
        // (sigev_signo) carrying the cookie at sigev_value. The cookie
        // and the descriptor are checked as Linux does; no socket here
        // is a netlink socket, so a valid socket is EINVAL (and glibc's
        // SIGEV_THREAD, which cannot create its netlink socket, fails
        // with ENOSYS before calling).
        char cookie[L::kNOTIFY_COOKIE_LEN];
        ASSIGN_OR_RETURN_ERRNO(
            size_t n, t.CopyIn(mm::UserAddr(ev.sigev_value.sival_ptr), cookie, sizeof(cookie)));
        if (n != sizeof(cookie)) return Errno(EFAULT);
        std::shared_ptr<vfs::FileDescription> sock = t.fds().Get(ev.sigev_signo);
        if (!sock) return Errno(EBADF);
        ASSIGN_OR_RETURN_ERRNO(L::Stat st, StatFile(*sock));
        if ((st.st_mode & S_IFMT) != S_IFSOCK) return Errno(ENOTSOCK);
        return Errno(EINVAL);
      }
      default:
        return Errno(EINVAL);
    }
  }
  MqueueFile* mq = nullptr;
  ASSIGN_OR_RETURN_ERRNO(auto keep, GetQueueFile(t, a.Int(0), &mq));
  RETURN_IF_ERRNO(mq->queue().Notify(t.thread_group().pid(), have_ev ? &ev : nullptr));
  return 0;
}

// mq_getsetattr(2): only O_NONBLOCK can be set.
SyscallResult SysMqGetsetattr(Task& t, const SyscallArgs& a) {
  L::MqAttr set;
  const bool have_set = !a.Addr(1).IsNull();
  if (have_set) {
    RETURN_IF_ERRNO(t.CopyInObj(a.Addr(1), &set));
    if (set.mq_flags & ~static_cast<int64_t>(O_NONBLOCK)) return Errno(EINVAL);
  }
  MqueueFile* mq = nullptr;
  ASSIGN_OR_RETURN_ERRNO(auto keep, GetQueueFile(t, a.Int(0), &mq));
  L::MqAttr old{};
  old.mq_flags = mq->flags() & O_NONBLOCK;
  old.mq_maxmsg = mq->queue().maxmsg();
  old.mq_msgsize = mq->queue().msgsize();
  old.mq_curmsgs = mq->queue().curmsgs();
  if (have_set) mq->set_status_flags((mq->flags() & ~O_NONBLOCK) | (set.mq_flags & O_NONBLOCK));
  if (!a.Addr(2).IsNull()) RETURN_IF_ERRNO(t.CopyOutObj(a.Addr(2), old));
  return 0;
}

}  // namespace sentry::syscalls
