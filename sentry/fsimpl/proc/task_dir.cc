// /proc/PID and /proc/PID/task/TID: the per-process and per-thread files.
#include "sentry/fsimpl/proc/task_dir.h"

#include <fcntl.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "abi/linux/dirent.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sentry/fsimpl/devpts/devpts.h"
#include "sentry/fsimpl/proc/path_name.h"
#include "sentry/fsimpl/proc/proc_text.h"
#include "sentry/fsimpl/sys/kernfs.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/pidfd.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/vfs/anon.h"
#include "sentry/vfs/device.h"
#include "sentry/vfs/dir_file.h"
#include "sentry/vfs/fd_table.h"

namespace sentry::fsimpl::proc::internal {

namespace L = abi_linux;
using kernfs::TextFn;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

unsigned NumCpus() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

int Target::tid() const { return thread != nullptr ? thread->tid() : tg->pid(); }

kernel::Task* Target::task() const {
  if (thread != nullptr) {
    std::vector<kernel::Task*> ts = tg->tasks();
    return std::find(ts.begin(), ts.end(), thread) != ts.end() ? thread : nullptr;
  }
  return tg->leader();
}

bool MayAccess(vfs::Context& ctx, const Target& t) {
  constexpr int kCapSysPtrace = 19;
  auth::Credentials c = ctx.creds();
  if (c.HasCapability(kCapSysPtrace)) return true;
  if (auto* self = dynamic_cast<kernel::Task*>(&ctx); self && &self->thread_group() == t.tg) {
    return true;
  }
  if (!t.tg->dumpable.load()) return false;
  auth::Credentials tc = t.tg->creds();
  return c.fsuid == tc.euid && c.fsuid == tc.ruid && c.fsuid == tc.suid && c.fsgid == tc.egid &&
         c.fsgid == tc.rgid && c.fsgid == tc.sgid;
}

namespace {

// Inode numbers of per-process nodes: stable for a given (view, tid, entry).
enum InoKind : uint64_t {
  kProcessEntry = 1,
  kThreadEntry = 2,
  kFdLink = 3,
  kFdInfo = 5,
};
uint64_t Ino(const Target& t, uint64_t kind, uint64_t index) {
  if (t.thread != nullptr && (kind == kFdLink || kind == kFdInfo)) kind += 1;
  if (t.thread != nullptr && kind == kProcessEntry) kind = kThreadEntry;
  return (kind << 48) | ((static_cast<uint64_t>(t.tid()) & 0xffffff) << 24) | (index & 0xffffff);
}

// Linux's task_dump_owner: the process's effective ids while it is
// dumpable, root otherwise.
std::pair<uint32_t, uint32_t> TargetOwner(const Target& t) {
  if (!t.tg->dumpable.load()) return {0, 0};
  auth::Credentials c = t.tg->creds();
  return {c.euid, c.egid};
}

// A kernfs node owned as the process is.
template <typename Base>
class Owned : public Base {
 public:
  template <typename... Args>
  explicit Owned(const Target& t, Args&&... args) : Base(std::forward<Args>(args)...), t_(t) {}

 protected:
  std::pair<uint32_t, uint32_t> Owner() override { return TargetOwner(t_); }
  const Target t_;
};

// What every per-process directory shares.
class PidDir : public kernfs::Node {
 public:
  PidDir(const Target& t, uint32_t mode, uint64_t ino) : Node(*t.fs, 0040000 | mode, ino), t_(t) {}
  bool CacheChildren() const override { return false; }
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context&, int flags) override {
    if ((flags & O_ACCMODE) != O_RDONLY) return Errno(EISDIR);
    return std::shared_ptr<vfs::FileDescription>(std::make_shared<vfs::DirectoryFile>(flags));
  }

 protected:
  std::pair<uint32_t, uint32_t> Owner() override { return TargetOwner(t_); }
  const Target t_;
};

// A decimal name ("42"; not "042", "+4" or "-1").
std::optional<int> ParseNumber(const std::string& s) {
  if (s.empty() || s.size() > 9 || (s[0] == '0' && s.size() > 1)) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int v;
  if (!absl::SimpleAtoi(s, &v)) return std::nullopt;
  return v;
}

bool IsZombie(const Target& t) { return t.kernel->IsZombie(*t.tg); }

// ---- Gathering ----

ProcessStat Gather(const Target& t, vfs::Context& ctx) {
  ProcessStat s;
  kernel::ThreadGroup& tg = *t.tg;
  kernel::Task* task = t.task();
  kernel::Task* named = task != nullptr ? task : (t.thread != nullptr ? t.thread : t.leader);
  s.tgid = tg.pid();
  s.pid = t.tid();
  kernel::ThreadGroup* parent = tg.parent();
  s.ppid = parent != nullptr ? parent->pid() : 0;
  s.pgid = tg.pgid();
  s.sid = tg.sid();
  if (auto tty = fsimpl::devpts::ControllingTerminal(tg)) {
    uint32_t major = vfs::DevMajor(tty->rdev), minor = vfs::DevMinor(tty->rdev);
    s.tty_nr = (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
    s.tpgid = tty->fg_pgrp;
  }
  bool zombie = IsZombie(t) || task == nullptr;
  auto* caller = dynamic_cast<kernel::Task*>(&ctx);
  s.state = zombie ? 'Z' : (caller != nullptr && caller == task) ? 'R' : 'S';
  if (named != nullptr) s.comm = named->comm();
  std::vector<kernel::Task*> threads = tg.tasks();
  s.num_threads = std::max<int>(1, static_cast<int>(threads.size()));
  auth::Credentials c = tg.creds();
  s.ruid = c.ruid, s.euid = c.euid, s.suid = c.suid, s.fsuid = c.fsuid;
  s.rgid = c.rgid, s.egid = c.egid, s.sgid = c.sgid, s.fsgid = c.fsgid;
  s.groups = c.groups;
  s.cap_inheritable = c.cap_inheritable;
  s.cap_permitted = c.cap_permitted;
  s.cap_effective = c.cap_effective;
  s.cap_bounding = c.cap_bounding;
  s.cap_ambient = c.cap_ambient;
  s.no_new_privs = tg.no_new_privs.load();
  if (named != nullptr) {
    s.seccomp_mode = named->seccomp_mode();
    s.seccomp_filters = kernel::seccomp::FilterCount(named->seccomp_filter().get());
  }
  for (int sig = 1; sig <= L::kNumSignals; ++sig) {
    L::SigAction act = tg.sigaction(sig);
    uint64_t bit = uint64_t{1} << (sig - 1);
    if (act.handler == L::kSIG_IGN) {
      s.sig_ignored |= bit;
    } else if (act.handler != L::kSIG_DFL) {
      s.sig_caught |= bit;
    }
  }
  s.exit_signal = tg.exit_signal;
  {
    // A thread's own times in its task directory, the process's in /proc/PID.
    kernel::TaskUsage self = t.thread != nullptr ? t.thread->Usage() : tg.SelfUsage();
    kernel::TaskUsage children = tg.ChildrenUsage();
    s.utime_ticks = kernel::NsToTicks(self.utime_ns);
    s.stime_ticks = kernel::NsToTicks(self.stime_ns);
    s.cutime_ticks = kernel::NsToTicks(children.utime_ns);
    s.cstime_ticks = kernel::NsToTicks(children.stime_ns);
    s.minflt = self.minflt;
    s.majflt = self.majflt;
    s.cminflt = children.minflt;
    s.cmajflt = children.majflt;
  }
  s.rsslim = tg.rlimit(L::kRLIMIT_RSS).rlim_cur;
  s.ncpus = NumCpus();
  if (zombie) {
    s.exit_code = tg.exit_status();
    return s;
  }
  s.umask = task->umask();
  s.sig_pending = task->pending_signals();
  s.sig_blocked = task->signal_mask();
  if (std::shared_ptr<vfs::FdTable> fds = task->fds_ref()) {
    int n = fds->Count();
    while (s.fd_size < n) s.fd_size *= 2;
  }
  if (std::shared_ptr<mm::MemoryManager> mm = task->mm_ref()) {
    AddMemoryStats(mm->VmaSnapshot(), s);
    s.args = mm->arg_env_range();
    s.start_brk = mm->BrkRange().first;
  }
  return s;
}

// Bytes [start, end) of the process's memory: cmdline and environ.
std::string ReadMemoryRange(const Target& t, bool env) {
  kernel::Task* task = t.task();
  if (task == nullptr) return "";
  std::shared_ptr<mm::MemoryManager> mm = task->mm_ref();
  if (!mm) return "";
  mm::MemoryManager::ArgEnvRange r = mm->arg_env_range();
  uint64_t start = env ? r.env_start : r.arg_start, end = env ? r.env_end : r.arg_end;
  if (end <= start) return "";
  constexpr uint64_t kMax = 4 << 20;  // the loader keeps these below a quarter of the stack
  std::string buf(std::min(end - start, kMax), '\0');
  auto n = mm->CopyIn(mm::UserAddr(start), buf.data(), buf.size());
  if (!n.ok()) return "";
  buf.resize(*n);
  return buf;
}

std::vector<mm::MemoryManager::VmaInfo> Vmas(const Target& t) {
  kernel::Task* task = t.task();
  if (task == nullptr) return {};
  std::shared_ptr<mm::MemoryManager> mm = task->mm_ref();
  if (!mm) return {};
  return mm->VmaSnapshot();
}

// The mount table as the target process sees it (from its root).
ErrnoOr<std::string> MountsText(kernel::Kernel* k, vfs::Path root, bool info) {
  vfs::Vfs& v = k->vfs();
  if (!root.valid()) root = v.RootPath();
  std::vector<MountEntry> entries;
  for (const vfs::MountRecord& r : v.MountTable()) {
    const std::shared_ptr<vfs::Mount>& m = r.mount;
    bool reachable = false;
    auto name = v.Getcwd(root, vfs::Path{m, m->root()}, &reachable);
    if (!name.ok() || !reachable) continue;
    MountEntry e;
    e.id = m->id();
    e.parent_id = r.parent_id;
    e.dev = m->fs().dev();
    e.root = r.root;
    e.super_read_only = r.super_read_only;
    e.mountpoint = *name;
    e.flags = m->flags();
    e.fstype = m->fs().type();
    e.source = m->source();
    e.options = m->options();
    entries.push_back(std::move(e));
  }
  return info ? FormatMountinfo(entries) : FormatMounts(entries);
}

std::vector<int> ListFds(const vfs::FdTable& fds, uint64_t limit) {
  // FdTable has no listing of its own: probe up to the count it reports.
  int count = fds.Count();
  std::vector<int> out;
  uint64_t cap = std::min<uint64_t>(limit, uint64_t{1} << 20);
  for (uint64_t i = 0; i < cap && static_cast<int>(out.size()) < count; ++i) {
    if (fds.Get(static_cast<int>(i))) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::shared_ptr<vfs::FileDescription> GetFile(const Target& t, int fd) {
  kernel::Task* task = t.task();
  if (task == nullptr) return nullptr;
  std::shared_ptr<vfs::FdTable> fds = task->fds_ref();
  return fds ? fds->Get(fd) : nullptr;
}

// ---- fd/ and fdinfo/ ----

class FdDir : public PidDir {
 public:
  FdDir(const Target& t, bool info, uint64_t ino) : PidDir(t, 0500, ino), info_(info) {}

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context& ctx, const std::string& name) override {
    if (!MayAccess(ctx, t_)) return Errno(EACCES);
    std::optional<int> fd = ParseNumber(name);
    if (!fd) return Errno(ENOENT);
    std::shared_ptr<vfs::FileDescription> file = GetFile(t_, *fd);
    if (!file) return Errno(ENOENT);
    if (info_) return NewInfo(*fd);
    return NewLink(*fd, *file);
  }

  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context& ctx) override {
    if (!MayAccess(ctx, t_)) return Errno(EACCES);
    std::vector<vfs::Dirent> out;
    kernel::Task* task = t_.task();
    if (task == nullptr) return out;
    std::shared_ptr<vfs::FdTable> fds = task->fds_ref();
    if (!fds) return out;
    for (int fd : ListFds(*fds, t_.tg->rlimit(L::kRLIMIT_NOFILE).rlim_cur)) {
      out.push_back(vfs::Dirent{std::to_string(fd), Ino(t_, info_ ? kFdInfo : kFdLink, fd),
                                info_ ? L::kDT_REG : L::kDT_LNK});
    }
    return out;
  }

 private:
  std::shared_ptr<vfs::Inode> NewLink(int fd, vfs::FileDescription& file) {
    Target t = t_;
    // lr-x------ / l-wx------ / lrwx------ as the file is open.
    uint32_t mode = (file.readable() ? 0500 : 0) | (file.writable() ? 0300 : 0);
    auto target = [t, fd](vfs::Context& ctx) -> ErrnoOr<std::string> {
      if (!MayAccess(ctx, t)) return Errno(EACCES);
      std::shared_ptr<vfs::FileDescription> f = GetFile(t, fd);
      if (!f) return Errno(ENOENT);
      if (f->path().valid()) return PathFromRoot(ctx.root(), f->path());
      return f->Name();
    };
    auto magic = [t, fd](vfs::Context& ctx) -> std::optional<ErrnoOr<vfs::Path>> {
      if (!MayAccess(ctx, t)) return ErrnoOr<vfs::Path>(Errno(EACCES));
      std::shared_ptr<vfs::FileDescription> f = GetFile(t, fd);
      if (!f) return ErrnoOr<vfs::Path>(Errno(ENOENT));
      // Files without a place in the tree (pipes, host stdio) reopen as
      // themselves.
      if (!f->path().valid()) return vfs::AnonPathFor(f);
      return ErrnoOr<vfs::Path>(f->path());
    };
    return std::make_shared<Owned<kernfs::Symlink>>(t, *t.fs, target, magic, mode,
                                                    Ino(t, kFdLink, fd));
  }

  std::shared_ptr<vfs::Inode> NewInfo(int fd) {
    Target t = t_;
    auto gen = [t, fd](vfs::Context& ctx) -> ErrnoOr<std::string> {
      if (!MayAccess(ctx, t)) return Errno(EACCES);
      kernel::Task* task = t.task();
      std::shared_ptr<vfs::FdTable> fds = task ? task->fds_ref() : nullptr;
      std::shared_ptr<vfs::FileDescription> f = fds ? fds->Get(fd) : nullptr;
      if (!f) return Errno(ENOENT);
      auto pos = f->Seek(0, SEEK_CUR);
      auto cloexec = fds->GetCloexec(fd);
      int flags = f->flags() | (cloexec.ok() && *cloexec ? O_CLOEXEC : 0);
      uint64_t ino = 0;
      if (auto st = f->Stat(); st.ok()) ino = st->st_ino;
      std::string text = FormatFdinfo(pos.ok() ? *pos : 0, flags,
                                      f->path().mount ? f->path().mount->id() : 0, ino);
      // A pidfd adds the process it names, -1 once reaped (one PID
      // namespace: NSpid is the same).
      if (auto* pidfd = dynamic_cast<kernel::PidFd*>(f.get())) {
        kernel::ThreadGroup& tg = pidfd->target();
        std::vector<kernel::ThreadGroup*> live = tg.kernel().ThreadGroups();
        int pid = std::find(live.begin(), live.end(), &tg) != live.end() ? tg.pid() : -1;
        text += "Pid:\t" + std::to_string(pid) + "\nNSpid:\t" + std::to_string(pid) + "\n";
      }
      return text;
    };
    return std::make_shared<Owned<kernfs::File>>(t, *t.fs, 0400, kernfs::Eager(gen),
                                                 kernfs::WriteFn(), Ino(t, kFdInfo, fd));
  }

  const bool info_;
};

// ---- task/ ----

class TaskListDir : public PidDir {
 public:
  TaskListDir(const Target& t, uint64_t ino) : PidDir(t, 0555, ino) {}

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context&, const std::string& name) override {
    std::optional<int> tid = ParseNumber(name);
    if (!tid) return Errno(ENOENT);
    for (kernel::Task* task : t_.tg->tasks()) {
      if (task->tid() == *tid) {
        Target t = t_;
        t.thread = task;
        return NewTaskDir(t);
      }
    }
    return Errno(ENOENT);
  }

  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context&) override {
    std::vector<int> tids;
    for (kernel::Task* task : t_.tg->tasks()) tids.push_back(task->tid());
    std::sort(tids.begin(), tids.end());
    std::vector<vfs::Dirent> out;
    for (int tid : tids) {
      // The inode number TaskDir gives the thread's directory.
      out.push_back(vfs::Dirent{std::to_string(tid),
                                (uint64_t{kThreadEntry} << 48) | (uint64_t(tid & 0xffffff) << 24),
                                L::kDT_DIR});
    }
    return out;
  }
};

// ---- /proc/PID ----

enum class Entry {
  kCgroup,
  kCmdline,
  kComm,
  kCwd,
  kEnviron,
  kExe,
  kFd,
  kFdinfo,
  kLimits,
  kMaps,
  kMountinfo,
  kMounts,
  kOomScore,
  kOomScoreAdj,
  kRoot,
  kSmaps,
  kStat,
  kStatm,
  kStatus,
  kTask,
};
struct Spec {
  const char* name;
  Entry entry;
  uint32_t mode;  // type and permissions
};
constexpr Spec kSpecs[] = {
    {"cgroup", Entry::kCgroup, 0100444},
    {"cmdline", Entry::kCmdline, 0100444},
    {"comm", Entry::kComm, 0100644},
    {"cwd", Entry::kCwd, 0120777},
    {"environ", Entry::kEnviron, 0100400},
    {"exe", Entry::kExe, 0120777},
    {"fd", Entry::kFd, 0040500},
    {"fdinfo", Entry::kFdinfo, 0040500},
    {"limits", Entry::kLimits, 0100444},
    {"maps", Entry::kMaps, 0100444},
    {"mountinfo", Entry::kMountinfo, 0100444},
    {"mounts", Entry::kMounts, 0100444},
    {"oom_score", Entry::kOomScore, 0100444},
    {"oom_score_adj", Entry::kOomScoreAdj, 0100644},
    {"root", Entry::kRoot, 0120777},
    {"smaps", Entry::kSmaps, 0100444},
    {"stat", Entry::kStat, 0100444},
    {"statm", Entry::kStatm, 0100444},
    {"status", Entry::kStatus, 0100444},
    {"task", Entry::kTask, 0040555},
};
constexpr size_t kNumSpecs = sizeof(kSpecs) / sizeof(kSpecs[0]);

bool InView(const Target& t, const Spec& s) {
  return !(t.thread != nullptr && s.entry == Entry::kTask);
}

// A text file generated at open.
std::shared_ptr<vfs::Inode> TextFile(const Target& t, const Spec& s, uint64_t ino,
                                     std::function<ErrnoOr<std::string>(vfs::Context&)> gen,
                                     kernfs::WriteFn write = nullptr) {
  return std::make_shared<Owned<kernfs::File>>(
      t, *t.fs, s.mode & 07777, kernfs::Eager(std::move(gen)), std::move(write), ino);
}

// A text file generated at the first read (it reads the process's memory
// or the Vfs).
std::shared_ptr<vfs::Inode> LazyFile(const Target& t, const Spec& s, uint64_t ino,
                                     std::function<ErrnoOr<TextFn>(vfs::Context&)> open) {
  return std::make_shared<Owned<kernfs::File>>(t, *t.fs, s.mode & 07777, std::move(open),
                                               kernfs::WriteFn(), ino);
}

// The cwd and root magic links.
std::shared_ptr<vfs::Inode> FsLink(const Target& t, uint64_t ino, bool root) {
  auto place = [t, root](vfs::Context& ctx) -> ErrnoOr<vfs::Path> {
    if (!MayAccess(ctx, t)) return Errno(EACCES);
    kernel::Task* task = t.task();
    if (task == nullptr || IsZombie(t)) return Errno(ENOENT);
    vfs::Path p = root ? task->root() : task->cwd();
    if (!p.valid()) return Errno(ENOENT);
    return p;
  };
  auto target = [place](vfs::Context& ctx) -> ErrnoOr<std::string> {
    ASSIGN_OR_RETURN_ERRNO(vfs::Path p, place(ctx));
    return PathFromRoot(ctx.root(), p);
  };
  auto magic = [place](vfs::Context& ctx) -> std::optional<ErrnoOr<vfs::Path>> {
    return place(ctx);
  };
  return std::make_shared<Owned<kernfs::Symlink>>(t, *t.fs, target, magic, 0777, ino);
}

std::shared_ptr<vfs::Inode> MakeEntry(const Target& t, size_t index) {
  const Spec& s = kSpecs[index];
  uint64_t ino = Ino(t, kProcessEntry, index + 1);
  switch (s.entry) {
    case Entry::kCgroup:
      return TextFile(t, s, ino,
                      [](vfs::Context&) -> ErrnoOr<std::string> { return std::string("0::/\n"); });
    case Entry::kCmdline:
    case Entry::kEnviron: {
      bool env = s.entry == Entry::kEnviron;
      return LazyFile(t, s, ino, [t, env](vfs::Context& ctx) -> ErrnoOr<TextFn> {
        if (env && !MayAccess(ctx, t)) return Errno(EACCES);
        return TextFn([t, env]() -> ErrnoOr<std::string> { return ReadMemoryRange(t, env); });
      });
    }
    case Entry::kComm: {
      auto read = [t](vfs::Context&) -> ErrnoOr<std::string> {
        kernel::Task* task = t.task();
        kernel::Task* named = task ? task : (t.thread ? t.thread : t.leader);
        return (named ? named->comm() : std::string()) + "\n";
      };
      // Only threads of the same process may rename (else EINVAL), as
      // Linux's comm_write; the writer is known at open.
      kernfs::File::WriteBinder bind = [t](vfs::Context& ctx) -> kernfs::WriteFn {
        auto* writer = dynamic_cast<kernel::Task*>(&ctx);
        bool same = writer != nullptr && &writer->thread_group() == t.tg;
        return [t, same](std::string_view data) -> ErrnoOrVoid {
          if (!same) return Errno(EINVAL);
          kernel::Task* task = t.task();
          if (task == nullptr) return Errno(ESRCH);
          if (!data.empty() && data.back() == '\n') data.remove_suffix(1);
          char name[16] = {};
          std::memcpy(name, data.data(), std::min(data.size(), sizeof(name) - 1));
          std::memcpy(task->control().comm, name, sizeof(name));
          return {};
        };
      };
      return std::make_shared<Owned<kernfs::File>>(t, *t.fs, s.mode & 07777, kernfs::Eager(read),
                                                   std::move(bind), ino);
    }
    case Entry::kCwd:
      return FsLink(t, ino, /*root=*/false);
    case Entry::kRoot:
      return FsLink(t, ino, /*root=*/true);
    case Entry::kExe: {
      auto target = [t](vfs::Context& ctx) -> ErrnoOr<std::string> {
        if (!MayAccess(ctx, t)) return Errno(EACCES);
        if (t.task() == nullptr || IsZombie(t)) return Errno(ENOENT);
        std::string p = t.tg->exe_path();
        if (p.empty()) return Errno(ENOENT);
        return p;
      };
      // Followed as an ordinary link to that path (there is no Path for
      // the executable yet).
      return std::make_shared<Owned<kernfs::Symlink>>(t, *t.fs, target, nullptr, 0777, ino);
    }
    case Entry::kFd:
      return std::make_shared<FdDir>(t, /*info=*/false, ino);
    case Entry::kFdinfo:
      return std::make_shared<FdDir>(t, /*info=*/true, ino);
    case Entry::kLimits:
      return TextFile(t, s, ino, [t](vfs::Context&) -> ErrnoOr<std::string> {
        std::array<L::Rlimit64, 16> lim;
        for (int i = 0; i < 16; ++i) lim[i] = t.tg->rlimit(i);
        return FormatLimits(lim);
      });
    case Entry::kMaps:
    case Entry::kSmaps: {
      bool smaps = s.entry == Entry::kSmaps;
      return LazyFile(t, s, ino, [t, smaps](vfs::Context&) -> ErrnoOr<TextFn> {
        return TextFn([t, smaps]() -> ErrnoOr<std::string> {
          auto vmas = Vmas(t);
          return smaps ? FormatSmaps(vmas) : FormatMaps(vmas);
        });
      });
    }
    case Entry::kMounts:
    case Entry::kMountinfo: {
      bool info = s.entry == Entry::kMountinfo;
      return LazyFile(t, s, ino, [t, info](vfs::Context& ctx) -> ErrnoOr<TextFn> {
        kernel::Task* task = t.task();
        vfs::Path root = task != nullptr ? task->root() : ctx.root();
        kernel::Kernel* k = t.kernel;
        return TextFn([k, root, info]() { return MountsText(k, root, info); });
      });
    }
    case Entry::kOomScore:
      return TextFile(t, s, ino,
                      [](vfs::Context&) -> ErrnoOr<std::string> { return std::string("0\n"); });
    case Entry::kOomScoreAdj: {
      // Lowering the value needs CAP_SYS_RESOURCE (EACCES otherwise); the
      // writer's credentials are taken at open.
      constexpr int kCapSysResource = 24;
      kernfs::File::WriteBinder bind = [t](vfs::Context& ctx) -> kernfs::WriteFn {
        bool privileged = ctx.creds().HasCapability(kCapSysResource);
        return [t, privileged](std::string_view data) -> ErrnoOrVoid {
          std::optional<int> v = ParseOomScoreAdj(data);
          if (!v) return Errno(EINVAL);
          if (t.task() == nullptr) return Errno(ESRCH);
          int pid = t.tg->pid();
          if (*v < std::min(0, t.fs->oom_score_adj(pid)) && !privileged) return Errno(EACCES);
          t.fs->set_oom_score_adj(pid, *v);
          return {};
        };
      };
      auto read = [t](vfs::Context&) -> ErrnoOr<std::string> {
        return absl::StrCat(t.fs->oom_score_adj(t.tg->pid()), "\n");
      };
      return std::make_shared<Owned<kernfs::File>>(t, *t.fs, s.mode & 07777, kernfs::Eager(read),
                                                   std::move(bind), ino);
    }
    case Entry::kStat:
      return TextFile(t, s, ino, [t](vfs::Context& ctx) -> ErrnoOr<std::string> {
        return FormatStat(Gather(t, ctx));
      });
    case Entry::kStatm:
      return TextFile(t, s, ino, [t](vfs::Context& ctx) -> ErrnoOr<std::string> {
        return FormatStatm(Gather(t, ctx));
      });
    case Entry::kStatus:
      return TextFile(t, s, ino, [t](vfs::Context& ctx) -> ErrnoOr<std::string> {
        return FormatStatus(Gather(t, ctx));
      });
    case Entry::kTask:
      return std::make_shared<TaskListDir>(t, ino);
  }
  return nullptr;
}

class TaskDir : public PidDir {
 public:
  explicit TaskDir(const Target& t) : PidDir(t, 0555, Ino(t, kProcessEntry, 0)) {}
  const Target& target() const { return t_; }

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context&, const std::string& name) override {
    for (size_t i = 0; i < kNumSpecs; ++i) {
      if (name == kSpecs[i].name && InView(t_, kSpecs[i])) {
        std::shared_ptr<vfs::Inode> in = MakeEntry(t_, i);
        if (!in) return Errno(ENOENT);
        return in;
      }
    }
    return Errno(ENOENT);
  }

  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context&) override {
    std::vector<vfs::Dirent> out;
    for (size_t i = 0; i < kNumSpecs; ++i) {
      if (!InView(t_, kSpecs[i])) continue;
      out.push_back(vfs::Dirent{kSpecs[i].name, Ino(t_, kProcessEntry, i + 1),
                                kernfs::DirentType(kSpecs[i].mode)});
    }
    return out;
  }

 protected:
  uint64_t Nlink() override { return t_.thread != nullptr ? 4 : 5; }
};

}  // namespace

std::shared_ptr<vfs::Inode> NewTaskDir(const Target& t) { return std::make_shared<TaskDir>(t); }

}  // namespace sentry::fsimpl::proc::internal

namespace sentry::fsimpl::proc {

kernel::ThreadGroup* ProcessOfDirectory(vfs::Inode* in) {
  auto* dir = dynamic_cast<internal::TaskDir*>(in);
  if (dir == nullptr || dir->target().thread != nullptr) return nullptr;
  return dir->target().tg;
}

}  // namespace sentry::fsimpl::proc
