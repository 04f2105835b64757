// execve(2) for a task: a fresh address space with the new image, the
// process's other threads gone, close-on-exec files closed, handled signals
// reset.
#include <limits.h>
#include <stdlib.h>

#include <cstring>

#include "abi/linux/signal.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/loader/loader.h"
#include "util/logging.h"

namespace sentry::kernel {

namespace L = abi_linux;

ErrnoOrVoid Task::Exec(const std::string& path, std::vector<std::string> argv,
                       std::vector<std::string> envv) {
  // Until the gofer serves files the executable is read from the host,
  // whose root is the guest's for `runsc do`.
  std::string host_path = path;
  if (path.empty()) return Errno(ENOENT);
  if (path[0] != '/') {
    absl::MutexLock l(&fs_->mu);
    host_path = fs_->cwd + "/" + path;
  }
  auto as = kernel_.platform().NewAddressSpace();
  if (!as.ok()) return Errno(ENOMEM);
  auto mm = std::make_shared<mm::MemoryManager>(kernel_.memory_file(), std::move(*as),
                                                kernel_.platform().MinUserAddress(),
                                                kernel_.platform().MaxUserAddress());
  Credentials creds = tg_.creds();
  loader::LoadArgs load;
  load.host_path = host_path;
  load.execfn = path;
  load.argv = std::move(argv);
  load.envv = std::move(envv);
  load.uid = creds.ruid;
  load.euid = creds.euid;
  load.gid = creds.rgid;
  load.egid = creds.egid;
  load.stack_limit = tg_.rlimit(L::kRLIMIT_STACK).rlim_cur;
  ASSIGN_OR_RETURN_ERRNO(loader::LoadResult loaded, loader::Load(*mm, load));

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

  mm_->address_space().ReleaseThreadForCaller();
  mm_ = std::move(mm);
  if (fds_.use_count() > 1) {
    auto own = std::make_shared<vfs::FdTable>();
    fds_->CopyInto(*own);
    fds_ = std::move(own);
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
  std::string base = path.substr(path.rfind('/') + 1);
  std::memset(control_.comm, 0, sizeof(control_.comm));
  std::memcpy(control_.comm, base.data(), std::min(base.size(), sizeof(control_.comm) - 1));
  char real[PATH_MAX];
  tg_.set_exe_path(realpath(host_path.c_str(), real) ? real : host_path);

  regs_ = kernel_.platform().InitialRegs();
  regs_.rip = loaded.entry;
  regs_.rsp = loaded.stack_pointer;
  return {};
}

}  // namespace sentry::kernel
