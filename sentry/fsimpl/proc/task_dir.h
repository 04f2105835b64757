// procfs internals: the per-process and per-thread directories
// (/proc/PID, /proc/PID/task/TID) and what they need from the kernel.
#ifndef SENTRY_FSIMPL_PROC_TASK_DIR_H_
#define SENTRY_FSIMPL_PROC_TASK_DIR_H_

#include <memory>

#include "sentry/fsimpl/proc/procfs.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/vfs/vfs.h"

namespace sentry::fsimpl::proc::internal {

// Whom a per-process node describes. Kernel, ThreadGroup and Task objects
// live as long as the kernel, so the pointers stay valid; whether the
// process still runs is checked on each use.
struct Target {
  ProcFilesystem* fs = nullptr;
  kernel::Kernel* kernel = nullptr;
  kernel::ThreadGroup* tg = nullptr;
  // The thread for /proc/PID/task/TID (and /proc/TID); nullptr for the
  // process view /proc/PID.
  kernel::Task* thread = nullptr;
  // The leader when the node was made (for a zombie's name).
  kernel::Task* leader = nullptr;

  int tid() const;
  // A task to read per-thread state from: the thread, or a live thread of
  // the process (the leader if none is left).
  kernel::Task* task() const;
};

// The directory /proc/PID (thread == nullptr) or /proc/PID/task/TID.
std::shared_ptr<vfs::Inode> NewTaskDir(const Target& t);

// Whether the caller may see the target's private state (environ, fd,
// cwd, ...): Linux's ptrace_may_access in PTRACE_MODE_READ_FSCREDS mode.
bool MayAccess(vfs::Context& ctx, const Target& t);

// How many CPUs procfs shows.
unsigned NumCpus();

}  // namespace sentry::fsimpl::proc::internal

#endif  // SENTRY_FSIMPL_PROC_TASK_DIR_H_
