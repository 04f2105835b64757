// /proc's top level: process directories, self links, system files, sys/.
#include "sentry/fsimpl/proc/procfs.h"

#include <sys/sysinfo.h>
#include <time.h>

#include <algorithm>
#include <optional>

#include "abi/linux/dirent.h"
#include "abi/linux/statfs.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sentry/fsimpl/inet/proc_net.h"
#include "sentry/fsimpl/proc/proc_text.h"
#include "sentry/fsimpl/proc/sysctl.h"
#include "sentry/fsimpl/proc/task_dir.h"
#include "sentry/fsimpl/sys/kernfs.h"

namespace sentry::fsimpl::proc {

using internal::Target;
using util::Errno;
using util::ErrnoOr;

ProcFilesystem::ProcFilesystem() : Filesystem("proc", NewAnonDev()), boot_id_(NewUuid()) {}

ErrnoOr<vfs::StatFs> ProcFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = static_cast<uint64_t>(abi_linux::kPROC_SUPER_MAGIC);
  s.bsize = 4096;
  return s;
}

int ProcFilesystem::oom_score_adj(int pid) {
  absl::MutexLock l(&mu_);
  auto it = oom_score_adj_.find(pid);
  return it == oom_score_adj_.end() ? 0 : it->second;
}

void ProcFilesystem::set_oom_score_adj(int pid, int v) {
  absl::MutexLock l(&mu_);
  oom_score_adj_[pid] = v;
}

namespace {

int64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

std::optional<int> ParsePid(const std::string& s) {
  if (s.empty() || s.size() > 9 || (s[0] == '0' && s.size() > 1)) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int v;
  if (!absl::SimpleAtoi(s, &v)) return std::nullopt;
  return v;
}

// /proc itself: the fixed entries plus one directory per process.
class RootDir : public kernfs::Dir {
 public:
  RootDir(ProcFilesystem& fs, kernel::Kernel& k) : Dir(fs, 0555), fs_(fs), k_(k) {}

  bool CacheChildren() const override { return false; }

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context& ctx, const std::string& name) override {
    if (auto fixed = Dir::Lookup(ctx, name); fixed.ok()) return fixed;
    std::optional<int> pid = ParsePid(name);
    if (!pid) return Errno(ENOENT);
    for (kernel::ThreadGroup* tg : k_.ThreadGroups()) {
      if (tg->pid() == *pid) return internal::NewTaskDir(MakeTarget(tg, nullptr));
    }
    // A thread id works too (hidden from the listing, as on Linux).
    if (kernel::Task* t = k_.TaskByTid(*pid)) {
      return internal::NewTaskDir(MakeTarget(&t->thread_group(), t));
    }
    return Errno(ENOENT);
  }

  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context& ctx) override {
    ASSIGN_OR_RETURN_ERRNO(std::vector<vfs::Dirent> out, Dir::ReadDir(ctx));
    for (kernel::ThreadGroup* tg : k_.ThreadGroups()) {
      // The inode number TaskDir gives the process's directory.
      out.push_back(vfs::Dirent{std::to_string(tg->pid()),
                                (uint64_t{1} << 48) | (uint64_t(tg->pid() & 0xffffff) << 24),
                                abi_linux::kDT_DIR});
    }
    return out;
  }

 private:
  Target MakeTarget(kernel::ThreadGroup* tg, kernel::Task* thread) {
    Target t;
    t.fs = &fs_;
    t.kernel = &k_;
    t.tg = tg;
    t.thread = thread;
    t.leader = tg->leader();
    return t;
  }

  ProcFilesystem& fs_;
  kernel::Kernel& k_;
};

using Gen = std::function<ErrnoOr<std::string>(vfs::Context&)>;

std::shared_ptr<kernfs::File> GenFile(vfs::Filesystem& fs, Gen gen, uint32_t mode = 0444) {
  return std::make_shared<kernfs::File>(fs, mode, kernfs::Eager(std::move(gen)));
}

std::string Line(const std::string& s) { return s + "\n"; }

void AddSys(kernfs::Dir& root, ProcFilesystem& fs, kernel::Kernel& k) {
  kernel::Kernel* kp = &k;
  // The settings the sentry implements (sysctl.h): root may write them.
  for (const Sysctl& s : Sysctls()) {
    const size_t slash = s.path.rfind('/');
    const Sysctl* sp = &s;
    root.MakeDirs("sys/" + s.path.substr(0, slash))
        ->Add(s.path.substr(slash + 1),
              std::make_shared<kernfs::File>(
                  fs, 0644,
                  kernfs::Eager([kp, sp](vfs::Context&) -> ErrnoOr<std::string> {
                    return sp->read(*kp);
                  }),
                  kernfs::WriteFn([kp, sp](std::string_view v) { return sp->write(*kp, v); })));
  }
  auto kern = root.MakeDirs("sys/kernel");
  kern->Add("ostype", kernfs::File::Static(fs, 0444, "Linux\n"));
  kern->Add("osrelease", kernfs::File::Static(fs, 0444, Line(kernel::Kernel::UtsRelease())));
  kern->Add("version", kernfs::File::Static(fs, 0444, Line(kernel::Kernel::UtsVersion())));
  kern->Add("pid_max", kernfs::File::Static(fs, 0444, "4194304\n"));
  kern->Add("threads-max", kernfs::File::Static(fs, 0444, "32768\n"));
  kern->Add("ngroups_max", kernfs::File::Static(fs, 0444, "65536\n"));
  kern->Add("cap_last_cap", kernfs::File::Static(fs, 0444, "40\n"));
  kern->Add("overflowuid", kernfs::File::Static(fs, 0444, "65534\n"));
  kern->Add("overflowgid", kernfs::File::Static(fs, 0444, "65534\n"));
  auto random = kern->MakeDirs("random");
  random->Add("boot_id", kernfs::File::Static(fs, 0444, Line(fs.boot_id())));
  random->Add("uuid",
              GenFile(fs, [](vfs::Context&) -> ErrnoOr<std::string> { return Line(NewUuid()); }));
  random->Add("entropy_avail", kernfs::File::Static(fs, 0444, "256\n"));
  random->Add("poolsize", kernfs::File::Static(fs, 0444, "256\n"));

  auto fsdir = root.MakeDirs("sys/fs");
  fsdir->Add("file-max", kernfs::File::Static(fs, 0444, "9223372036854775807\n"));
  fsdir->Add("nr_open", kernfs::File::Static(fs, 0444, "1048576\n"));
  fsdir->Add("pipe-max-size", kernfs::File::Static(fs, 0444, "1048576\n"));

  auto vm = root.MakeDirs("sys/vm");
  vm->Add("overcommit_memory", kernfs::File::Static(fs, 0444, "0\n"));
  vm->Add("max_map_count", kernfs::File::Static(fs, 0444, "65530\n"));
  vm->Add("mmap_min_addr",
          kernfs::File::Static(fs, 0444, absl::StrCat(k.platform().MinUserAddress(), "\n")));

  root.MakeDirs("sys/net/core")->Add("somaxconn", kernfs::File::Static(fs, 0444, "4096\n"));
}

}  // namespace

ErrnoOr<std::shared_ptr<vfs::Inode>> NewProcRoot(ProcFilesystem& fs, kernel::Kernel& k) {
  auto root = std::make_shared<RootDir>(fs, k);
  kernel::Kernel* kp = &k;

  root->Add("self",
            std::make_shared<kernfs::Symlink>(fs, [](vfs::Context& ctx) -> ErrnoOr<std::string> {
              auto* t = dynamic_cast<kernel::Task*>(&ctx);
              if (t == nullptr) return Errno(ENOENT);
              return std::to_string(t->thread_group().pid());
            }));
  root->Add("thread-self",
            std::make_shared<kernfs::Symlink>(fs, [](vfs::Context& ctx) -> ErrnoOr<std::string> {
              auto* t = dynamic_cast<kernel::Task*>(&ctx);
              if (t == nullptr) return Errno(ENOENT);
              return absl::StrCat(t->thread_group().pid(), "/task/", t->tid());
            }));
  root->Add("mounts", std::make_shared<kernfs::Symlink>(fs, "self/mounts"));

  // The sandbox's one network namespace: its inet sockets.
  auto net = root->MakeDirs("net");
  using fsimpl::inet::ProcNetTable;
  for (auto [name, table] : {std::pair{"tcp", ProcNetTable::kTcp},
                             std::pair{"tcp6", ProcNetTable::kTcp6},
                             std::pair{"udp", ProcNetTable::kUdp},
                             std::pair{"udp6", ProcNetTable::kUdp6}}) {
    net->Add(name, GenFile(fs, [table](vfs::Context&) -> ErrnoOr<std::string> {
               return fsimpl::inet::FormatProcNet(table);
             }));
  }

  // CPUID answers the same for the kernel's lifetime: ask once.
  std::string cpuinfo = FormatCpuinfo(QueryCpu(), internal::NumCpus());
  root->Add("cpuinfo", kernfs::File::Static(fs, 0444, std::move(cpuinfo)));
  root->Add("meminfo", GenFile(fs, [](vfs::Context&) -> ErrnoOr<std::string> {
              struct sysinfo si;
              if (sysinfo(&si) != 0) return Errno(EIO);
              MemInfo m;
              m.total = uint64_t{si.totalram} * si.mem_unit;
              m.free = uint64_t{si.freeram} * si.mem_unit;
              m.buffers = uint64_t{si.bufferram} * si.mem_unit;
              m.shmem = uint64_t{si.sharedram} * si.mem_unit;
              m.available = m.free + m.buffers;
              m.swap_total = uint64_t{si.totalswap} * si.mem_unit;
              m.swap_free = uint64_t{si.freeswap} * si.mem_unit;
              return FormatMeminfo(m);
            }));
  root->Add("uptime", GenFile(fs, [kp](vfs::Context&) -> ErrnoOr<std::string> {
              return FormatUptime(MonotonicNs() - kp->boot_time_ns());
            }));
  root->Add("loadavg", GenFile(fs, [kp](vfs::Context&) -> ErrnoOr<std::string> {
              int total = 0, last = 0;
              for (kernel::ThreadGroup* tg : kp->ThreadGroups()) {
                total += static_cast<int>(tg->tasks().size());
                last = std::max(last, tg->pid());
              }
              return FormatLoadavg(1, std::max(total, 1), last);
            }));
  root->Add("stat", GenFile(fs, [kp](vfs::Context&) -> ErrnoOr<std::string> {
              int64_t up = MonotonicNs() - kp->boot_time_ns();
              int64_t boot = static_cast<int64_t>(time(nullptr)) - up / 1000000000LL;
              int procs = static_cast<int>(kp->ThreadGroups().size());
              return FormatProcStat(internal::NumCpus(), boot, up, procs, 1);
            }));
  root->Add("filesystems",
            kernfs::File::Static(fs, 0444,
                                 "nodev\tsysfs\nnodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tproc\n"
                                 "nodev\tcgroup\nnodev\tcgroup2\nnodev\tpipefs\n"
                                 "nodev\tmqueue\nnodev\toverlay\n"));
  root->Add("version",
            kernfs::File::Static(
                fs, 0444,
                absl::StrCat("Linux version ", kernel::Kernel::UtsRelease(), " (sentry@",
                             k.config().hostname, ") (gcc) ", kernel::Kernel::UtsVersion(), "\n")));
  AddSys(*root, fs, k);
  return std::shared_ptr<vfs::Inode>(root);
}

}  // namespace sentry::fsimpl::proc
