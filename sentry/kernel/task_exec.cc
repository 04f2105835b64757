// execve(2) for a task: a fresh address space with the new image, the
// process's other threads gone, close-on-exec files closed, handled signals
// reset.
#include <cstring>

#include "abi/linux/fcntl.h"
#include "abi/linux/signal.h"
#include "sentry/kernel/exec.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/loader/loader.h"
#include "util/logging.h"

namespace sentry::kernel {

namespace L = abi_linux;

ErrnoOrVoid Task::Exec(int dirfd, const std::string& path, std::vector<std::string> argv,
                       std::vector<std::string> envv, int at_flags) {
  ExecRequest req;
  if (dirfd == L::kAT_FDCWD || (!path.empty() && path[0] == '/')) {
    req.start = cwd();
  } else {
    auto f = fds_->Get(dirfd);
    if (!f) return Errno(EBADF);
    req.start = f->path();
    if (!req.start.valid()) return Errno(path.empty() ? EACCES : ENOTDIR);
    if (path.empty()) req.fd_name = "/dev/fd/" + std::to_string(dirfd);
  }
  req.path = path;
  req.at_flags = at_flags;
  req.argv = std::move(argv);
  req.envv = std::move(envv);
  req.stack_limit = tg_.rlimit(L::kRLIMIT_STACK).rlim_cur;
  auto as = kernel_.platform().NewAddressSpace();
  if (!as.ok()) return Errno(ENOMEM);
  auto mm = std::make_shared<mm::MemoryManager>(kernel_.memory_file(), std::move(*as),
                                                kernel_.platform().MinUserAddress(),
                                                kernel_.platform().MaxUserAddress());
  ASSIGN_OR_RETURN_ERRNO(ExecImage img, LoadExecutable(kernel_.vfs(), *this, *mm, std::move(req)));
  const loader::LoadResult& loaded = img.loaded;

  // Past the point of no return. The other threads of the process go.
  for (Task* other : tg_.tasks()) {
    if (other == this) continue;
    other->exiting_.store(true);
    other->Interrupt();
  }
  while (tg_.tasks().size() > 1) {
    if (tg_.exiting()) return {};  // killed meanwhile: the exit wins
    Sleep(absl::Now() + absl::Milliseconds(1));
  }

  // The old image's robust and PI futexes are released (Linux's
  // futex_exec_release), while its memory is still this task's.
  kernel_.futexes().ExitRobustAndPi(*this, robust_list_head_, /*exiting=*/false);
  // The old image's resident set counts toward the process's peak.
  tg_.NoteResidentKb(ResidentKb(*mm_));
  // POSIX timers go; interval timers stay, counting CPU time on.
  tg_.timers().OnExec(mm_->address_space().CpuTimeNs(), mm->address_space().CpuTimeNs());
  mm_->address_space().ReleaseThreadForCaller();
  std::atomic_store(&mm_, std::move(mm));
  ReleaseVforkParent();
  if (fds_.use_count() > 1) {
    auto own = std::make_shared<vfs::FdTable>();
    fds_->CopyInto(*own);
    std::atomic_store(&fds_, std::move(own));
  }
  fds_->CloseCloexec();
  for (int sig = 1; sig <= L::kNumSignals; ++sig) {
    L::SigAction act = tg_.sigaction(sig);
    if (act.handler != L::kSIG_DFL && act.handler != L::kSIG_IGN) {
      tg_.set_sigaction(sig, L::SigAction{});
    }
  }
  altstack_ = L::StackT{0, L::kSS_DISABLE, 0, 0};
  clear_child_tid_ = 0;
  robust_list_head_ = 0;
  std::memset(control_.comm, 0, sizeof(control_.comm));
  std::memcpy(control_.comm, img.comm.data(), std::min(img.comm.size(), sizeof(control_.comm) - 1));
  tg_.set_exe_path(img.exe_name);
  tg_.set_exe(img.exe);
  tg_.did_exec.store(true);

  regs_ = kernel_.platform().InitialRegs();
  regs_.rip = loaded.entry;
  regs_.rsp = loaded.stack_pointer;
  return {};
}

}  // namespace sentry::kernel
