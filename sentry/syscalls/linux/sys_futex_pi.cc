// futex(2)'s priority-inheritance commands: FUTEX_LOCK_PI, FUTEX_LOCK_PI2,
// FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI, FUTEX_WAIT_REQUEUE_PI and
// FUTEX_CMP_REQUEUE_PI. The word protocol is Linux's (see
// sentry/kernel/futex.h); glibc's PTHREAD_PRIO_INHERIT and robust mutexes
// rely on it. There is no priority to inherit: guest threads are host
// threads the host schedules, so the "PI" part is a no-op by design.
#include <time.h>

#include <optional>

#include "abi/linux/futex.h"
#include "abi/linux/time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sentry/kernel/kernel.h"
#include "sentry/syscalls/linux/handlers.h"

namespace sentry::syscalls {

namespace L = abi_linux;

namespace {

// An absolute deadline on CLOCK_REALTIME or CLOCK_MONOTONIC, as the sentry's
// clock sees it. nullopt: no timeout (a null pointer).
ErrnoOr<std::optional<absl::Time>> AbsoluteDeadline(Task& t, mm::UserAddr addr, bool realtime) {
  if (addr.IsNull()) return std::optional<absl::Time>();
  L::Timespec ts;
  RETURN_IF_ERRNO(t.CopyInObj(addr, &ts));
  if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return Errno(EINVAL);
  absl::Duration d = absl::Seconds(ts.tv_sec) + absl::Nanoseconds(ts.tv_nsec);
  if (realtime) return std::optional<absl::Time>(absl::UnixEpoch() + d);
  timespec mono;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  absl::Duration now = absl::Seconds(mono.tv_sec) + absl::Nanoseconds(mono.tv_nsec);
  return std::optional<absl::Time>(absl::Now() + (d - now));
}

}  // namespace

SyscallResult FutexPi(Task& t, const SyscallArgs& a) {
  const uint64_t addr = a[0];
  const int op = a.Int(1);
  const int cmd = op & L::kFUTEX_CMD_MASK;
  const bool clock_realtime = op & L::kFUTEX_CLOCK_REALTIME;
  kernel::Futexes& futexes = t.kernel().futexes();
  switch (cmd) {
    case L::kFUTEX_LOCK_PI:
    case L::kFUTEX_LOCK_PI2: {
      // LOCK_PI's deadline is always on CLOCK_REALTIME; LOCK_PI2 lets the
      // caller choose, CLOCK_MONOTONIC by default.
      bool realtime = cmd == L::kFUTEX_LOCK_PI || clock_realtime;
      ASSIGN_OR_RETURN_ERRNO(std::optional<absl::Time> deadline,
                             AbsoluteDeadline(t, a.Addr(3), realtime));
      ErrnoOrVoid r = futexes.LockPi(t, addr, deadline, /*trylock=*/false);
      // The deadline is absolute: the lock attempt simply runs again after
      // a handler.
      if (!r.ok() && r.error() == Errno(EINTR)) return Errno(kernel::kERESTARTNOINTR);
      return r;
    }
    case L::kFUTEX_TRYLOCK_PI:
      return futexes.LockPi(t, addr, std::nullopt, /*trylock=*/true);
    case L::kFUTEX_UNLOCK_PI:
      return futexes.UnlockPi(t, addr);
    case L::kFUTEX_WAIT_REQUEUE_PI: {
      ASSIGN_OR_RETURN_ERRNO(std::optional<absl::Time> deadline,
                             AbsoluteDeadline(t, a.Addr(3), clock_realtime));
      ErrnoOrVoid r = futexes.WaitRequeuePi(t, addr, a.Uint(2), a[4], deadline);
      if (!r.ok() && r.error() == Errno(EINTR)) return Errno(kernel::kERESTARTNOINTR);
      return r;
    }
    case L::kFUTEX_CMP_REQUEUE_PI: {
      // nr_wake must be 1: the one waiter that may be given the lock.
      if (a.Uint(2) != 1) return Errno(EINVAL);
      // The fourth argument is a count here, an int as Linux reads it.
      int n_requeue = static_cast<int32_t>(a[3]);
      if (n_requeue < 0) return Errno(EINVAL);
      return futexes.CmpRequeuePi(t, addr, a[4], n_requeue, a.Uint(5));
    }
    default:
      return Errno(ENOSYS);
  }
}

}  // namespace sentry::syscalls
