#include "sentry/fsimpl/cgroup/cgroupfs.h"

#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "abi/linux/statfs.h"
#include "absl/strings/str_cat.h"
#include "sentry/fsimpl/sys/kernfs.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"

namespace sentry::fsimpl::cgroup {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

std::string MaxOr(const std::optional<int64_t>& v) {
  return v ? absl::StrCat(*v, "\n") : std::string("max\n");
}

// The live (not zombie) processes of one container.
std::vector<kernel::ThreadGroup*> ProcessesOf(kernel::Kernel& k, const std::string& cid) {
  std::vector<kernel::ThreadGroup*> out;
  for (kernel::ThreadGroup* tg : k.ThreadGroups()) {
    if (tg->container_id == cid && !k.IsZombie(*tg)) out.push_back(tg);
  }
  std::sort(out.begin(), out.end(),
            [](kernel::ThreadGroup* a, kernel::ThreadGroup* b) { return a->pid() < b->pid(); });
  return out;
}

}  // namespace

CgroupFilesystem::CgroupFilesystem(kernel::Kernel& k, std::string cid, CgroupLimits limits)
    : Filesystem("cgroup2", NewAnonDev()) {
  auto root = std::make_shared<kernfs::Dir>(*this, 0755);
  kernel::Kernel* kp = &k;
  // Interface files are written by no one: the limits are the host
  // cgroup's, set by runsc.
  const kernfs::WriteFn refuse = [](std::string_view) -> ErrnoOrVoid { return Errno(EPERM); };
  auto add = [&](const char* name, uint32_t mode, std::function<std::string()> text) {
    root->Add(name, std::make_shared<kernfs::File>(
                        *this, mode,
                        kernfs::Eager([text = std::move(text)](vfs::Context&) -> ErrnoOr<std::string> {
                          return text();
                        }),
                        (mode & 0200) ? refuse : kernfs::WriteFn()));
  };
  auto fixed = [](std::string s) { return [s = std::move(s)] { return s; }; };

  add("cgroup.controllers", 0444, fixed("cpu memory pids\n"));
  add("cgroup.subtree_control", 0644, fixed("\n"));
  add("cgroup.type", 0644, fixed("domain\n"));
  add("cgroup.max.depth", 0644, fixed("max\n"));
  add("cgroup.max.descendants", 0644, fixed("max\n"));
  add("cgroup.stat", 0444, fixed("nr_descendants 0\nnr_dying_descendants 0\n"));
  add("cgroup.procs", 0644, [kp, cid] {
    std::string out;
    for (kernel::ThreadGroup* tg : ProcessesOf(*kp, cid)) absl::StrAppend(&out, tg->pid(), "\n");
    return out;
  });
  add("cgroup.threads", 0644, [kp, cid] {
    std::vector<int> tids;
    for (kernel::ThreadGroup* tg : ProcessesOf(*kp, cid)) {
      for (kernel::Task* t : tg->tasks()) tids.push_back(t->tid());
    }
    std::sort(tids.begin(), tids.end());
    std::string out;
    for (int tid : tids) absl::StrAppend(&out, tid, "\n");
    return out;
  });

  add("memory.max", 0644, fixed(MaxOr(limits.memory_max)));
  add("memory.swap.max", 0644, fixed(MaxOr(limits.memory_swap_max)));
  add("memory.current", 0444,
      [kp] { return absl::StrCat(kp->memory_file().AllocatedBytes(), "\n"); });

  add("pids.max", 0644, fixed(MaxOr(limits.pids_max)));
  add("pids.current", 0444, [kp, cid] {
    size_t n = 0;
    for (kernel::ThreadGroup* tg : ProcessesOf(*kp, cid)) n += tg->tasks().size();
    return absl::StrCat(n, "\n");
  });

  add("cpu.max", 0644,
      fixed(absl::StrCat(limits.cpu_quota_us ? absl::StrCat(*limits.cpu_quota_us) : "max", " ",
                         limits.cpu_period_us, "\n")));
  add("cpu.weight", 0644, fixed(absl::StrCat(limits.cpu_weight, "\n")));
  root_ = std::move(root);
}

ErrnoOr<vfs::StatFs> CgroupFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = static_cast<uint64_t>(abi_linux::kCGROUP2_SUPER_MAGIC);
  s.bsize = 4096;
  s.frsize = 4096;
  return s;
}

}  // namespace sentry::fsimpl::cgroup
