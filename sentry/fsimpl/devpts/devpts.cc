#include "sentry/fsimpl/devpts/devpts.h"

#include <fcntl.h>
#include <poll.h>

#include <algorithm>
#include <string>

#include "abi/linux/capability.h"
#include "abi/linux/errno.h"
#include "abi/linux/resource.h"
#include "abi/linux/signal.h"
#include "abi/linux/statfs.h"
#include "abi/linux/termios.h"
#include "sentry/kernel/console.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/vfs/device.h"

namespace sentry::fsimpl::devpts {

namespace L = abi_linux;
using kernel::Task;
using kernel::ThreadGroup;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

constexpr uint32_t kIfChr = 0020000;
// Bytes moved through the sentry per step of a read or write.
constexpr size_t kChunk = 16 << 10;

absl::Mutex instance_mu(absl::kConstInit);
std::weak_ptr<DevptsFilesystem>& Instance() {
  static auto* fs = new std::weak_ptr<DevptsFilesystem>();
  return *fs;
}

std::shared_ptr<DevptsFilesystem> CurrentInstance() {
  absl::MutexLock l(&instance_mu);
  return Instance().lock();
}

void SendTo(ThreadGroup& tg, int sig) {
  L::Siginfo info{};
  info.si_signo = sig;
  info.si_code = L::kSI_KERNEL;
  tg.SendSignal(info);
}

void SignalGroup(kernel::Kernel& k, int pgid, int sig) {
  for (ThreadGroup* tg : k.ProcessGroup(pgid)) SendTo(*tg, sig);
}

// A session is gone once its leader is exiting (Linux disassociates the
// terminal when the leader exits).
bool SessionAlive(const TtySession& s) {
  auto* leader = static_cast<ThreadGroup*>(s.leader);
  return s.sid != 0 && leader != nullptr && !leader->exiting() && leader->sid() == s.sid;
}

bool IsControllingTerminalOf(Terminal& t, ThreadGroup& tg) {
  TtySession s = t.session();
  return SessionAlive(s) && s.sid == tg.sid();
}

std::shared_ptr<Terminal> ControllingTerminalOf(ThreadGroup& tg) {
  auto fs = CurrentInstance();
  if (!fs) return nullptr;
  for (auto& t : fs->Terminals()) {
    if (IsControllingTerminalOf(*t, tg)) return t;
  }
  return nullptr;
}

// Whether no member of process group pgid has a parent in another group
// of the same session (POSIX's orphaned process group): job-control
// signals would stop it for good, so Linux answers EIO instead.
bool OrphanedGroup(kernel::Kernel& k, int pgid) {
  for (ThreadGroup* tg : k.ProcessGroup(pgid)) {
    ThreadGroup* parent = tg->parent();
    if (parent != nullptr && parent->pgid() != pgid && parent->sid() == tg->sid()) return false;
  }
  return true;
}

// Linux's __tty_check_change: a process of a background group touching
// its controlling terminal gets `sig` (SIGTTIN for reads, SIGTTOU for
// writes and setting changes) and the call restarts after it continues;
// with the signal ignored or blocked, SIGTTOU lets the call go on and
// SIGTTIN fails it with EIO; an orphaned group gets EIO.
ErrnoOrVoid CheckJobControl(Terminal& t, int sig) {
  Task* task = Task::Current();
  if (task == nullptr) return {};
  ThreadGroup& tg = task->thread_group();
  TtySession s = t.session();
  if (!SessionAlive(s) || s.sid != tg.sid()) return {};
  if (s.fg_pgrp == 0 || tg.pgid() == s.fg_pgrp) return {};
  bool blocked = task->signal_mask() & L::SignalBit(sig);
  if (tg.IsIgnored(sig) || blocked) {
    if (sig == L::kSIGTTIN) return Errno(EIO);
    return {};
  }
  if (OrphanedGroup(task->kernel(), tg.pgid())) return Errno(EIO);
  SignalGroup(task->kernel(), tg.pgid(), sig);
  return Errno(L::kERESTARTSYS);
}

// Linux's new_encode_dev, as TIOCGDEV answers it.
uint32_t EncodeDev(uint32_t major, uint32_t minor) {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

// ---- Nodes ----

class ReplicaNode : public kernfs::Node {
 public:
  ReplicaNode(DevptsFilesystem& fs, std::shared_ptr<Terminal> t, uint32_t uid)
      : Node(fs, kIfChr | 0620), fs_(fs), terminal_(std::move(t)) {
    set_attrs_settable(true);  // grantpt's chmod/chown
    set_owner(uid, kTtyGid);
  }
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;
  std::shared_ptr<Terminal> terminal() { return terminal_.lock(); }

 protected:
  uint64_t Rdev() override {
    auto t = terminal_.lock();
    return vfs::MakeDev(kReplicaMajor, t ? t->index() : 0);
  }

 private:
  DevptsFilesystem& fs_;
  // The node goes when the master closes; the terminal may outlive it.
  std::weak_ptr<Terminal> terminal_;
};

class PtmxNode : public kernfs::Node {
 public:
  explicit PtmxNode(DevptsFilesystem& fs) : Node(fs, kIfChr | 0666) {}
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override {
    return vfs::OpenCharDevice(ctx, Rdev(), flags);
  }

 protected:
  uint64_t Rdev() override { return vfs::MakeDev(kTtyAuxMajor, kPtmxMinor); }
};

}  // namespace

// The root directory: ptmx and one node per open master. Its children
// change by themselves, so the VFS does not cache them.
class PtsDir : public kernfs::Dir {
 public:
  explicit PtsDir(DevptsFilesystem& fs) : Dir(fs, 0755) {}
  bool CacheChildren() const override { return false; }
  void RemoveChild(const std::string& name) { Remove(name); }
};

namespace {

// ---- Open files ----

// What the master and the replicas share: data through the terminal and
// the tty ioctls.
class PtyFile : public vfs::FileDescription {
 public:
  PtyFile(int flags, std::shared_ptr<Terminal> t, std::shared_ptr<DevptsFilesystem> fs, bool master)
      : FileDescription(flags), terminal_(std::move(t)), fs_(std::move(fs)), master_(master) {}

  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) override;
  ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t offset) override;
  ErrnoOr<size_t> WriteInternal(const void* buf, size_t n, int64_t offset) override;
  ErrnoOr<int64_t> Seek(int64_t, int) override { return Errno(ESPIPE); }
  uint32_t Readiness(uint32_t mask) override {
    uint32_t r = master_ ? terminal_->MasterReadiness() : terminal_->ReplicaReadiness();
    return r & (mask | POLLHUP | POLLERR);
  }
  vfs::WaitQueue* events() override {
    return master_ ? terminal_->master_events() : terminal_->replica_events();
  }
  ErrnoOr<uint64_t> Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) override;
  std::string Name() const override {
    return master_ ? "/dev/ptmx" : "/dev/pts/" + std::to_string(terminal_->index());
  }

  Terminal& terminal() { return *terminal_; }

 protected:
  // The two sides' data calls, from and to sentry memory.
  ErrnoOr<size_t> ReadSome(char* buf, size_t n);
  ErrnoOr<size_t> WriteSome(const char* buf, size_t n);
  bool nonblock() const { return flags() & O_NONBLOCK; }
  // Ioctls of the master only.
  ErrnoOr<uint64_t> MasterIoctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg);
  // The controlling-terminal ioctls.
  ErrnoOr<uint64_t> SessionIoctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg);

  std::shared_ptr<Terminal> terminal_;
  std::shared_ptr<DevptsFilesystem> fs_;
  const bool master_;
};

class MasterFile : public PtyFile {
 public:
  using PtyFile::PtyFile;
  ~MasterFile() override {
    TtySession lost = terminal_->CloseMaster();
    fs_->RemoveReplicaNode(terminal_->index());
    // The hang-up: the session that had this terminal loses it; its
    // leader gets SIGHUP and SIGCONT (tty_signal_session_leader).
    if (SessionAlive(lost)) {
      auto* leader = static_cast<ThreadGroup*>(lost.leader);
      SendTo(*leader, L::kSIGHUP);
      SendTo(*leader, L::kSIGCONT);
    }
  }
};

class ReplicaFile : public PtyFile {
 public:
  ReplicaFile(int flags, std::shared_ptr<Terminal> t, std::shared_ptr<DevptsFilesystem> fs)
      : PtyFile(flags, std::move(t), std::move(fs), /*master=*/false) {}
  ~ReplicaFile() override { terminal_->CloseReplica(); }
  // Opened by a path (/dev/pts/N, /dev/tty): that inode's attributes;
  // otherwise (the console's fallback) the replica's device.
  ErrnoOr<L::Stat> Stat() override {
    if (path().valid()) return FileDescription::Stat();
    L::Stat st{};
    st.st_dev = fs_->dev();
    st.st_mode = kIfChr | 0620;
    st.st_gid = kTtyGid;
    st.st_nlink = 1;
    st.st_rdev = vfs::MakeDev(kReplicaMajor, terminal_->index());
    st.st_blksize = 1024;
    return st;
  }
};

ErrnoOr<size_t> PtyFile::ReadSome(char* buf, size_t n) {
  if (master_) return terminal_->MasterRead(buf, n, nonblock());
  RETURN_IF_ERRNO(CheckJobControl(*terminal_, L::kSIGTTIN));
  return terminal_->ReplicaRead(buf, n, nonblock());
}

ErrnoOr<size_t> PtyFile::WriteSome(const char* buf, size_t n) {
  if (master_) return terminal_->MasterWrite(buf, n, nonblock());
  if (!terminal_->hung_up() && (terminal_->termios().c_lflag & L::kTOSTOP)) {
    RETURN_IF_ERRNO(CheckJobControl(*terminal_, L::kSIGTTOU));
  }
  return terminal_->ReplicaWrite(buf, n, nonblock());
}

ErrnoOr<size_t> PtyFile::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  uint64_t total = 0;
  for (const auto& s : dst) total += s.len;
  std::string buf(std::min<uint64_t>(total, kChunk), '\0');
  ASSIGN_OR_RETURN_ERRNO(size_t n, ReadSome(buf.data(), buf.size()));
  size_t done = 0;
  for (const auto& s : dst) {
    if (done == n) break;
    size_t len = std::min<uint64_t>(s.len, n - done);
    if (len == 0) continue;
    auto c = mm.CopyOut(s.addr, buf.data() + done, len);
    if (!c.ok()) return done > 0 ? ErrnoOr<size_t>(done) : c.error();
    done += *c;
    if (*c < len) break;
  }
  return done;
}

ErrnoOr<size_t> PtyFile::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  std::string buf;
  size_t done = 0;
  for (const auto& s : src) {
    uint64_t off = 0;
    while (off < s.len) {
      size_t want = std::min<uint64_t>(s.len - off, kChunk);
      buf.resize(want);
      auto c = mm.CopyIn(s.addr + off, buf.data(), want);
      if (!c.ok()) return done > 0 ? ErrnoOr<size_t>(done) : c.error();
      auto w = WriteSome(buf.data(), *c);
      if (!w.ok()) return done > 0 ? ErrnoOr<size_t>(done) : w.error();
      done += *w;
      off += *w;
      if (*w < want) return done;
    }
  }
  if (done == 0 && !master_ && terminal_->hung_up()) return Errno(EIO);
  return done;
}

ErrnoOr<size_t> PtyFile::ReadInternal(void* buf, size_t n, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  return ReadSome(static_cast<char*>(buf), n);
}

ErrnoOr<size_t> PtyFile::WriteInternal(const void* buf, size_t n, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  return WriteSome(static_cast<const char*>(buf), n);
}

ErrnoOr<uint64_t> PtyFile::MasterIoctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  mm::UserAddr addr(arg);
  Terminal& t = *terminal_;
  switch (request) {
    case L::kTIOCGPTN: {
      uint32_t n = t.index();
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, n));
      return 0;
    }
    case L::kTIOCSPTLCK: {
      int32_t lock;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &lock));
      t.set_locked(lock != 0);
      return 0;
    }
    case L::kTIOCGPTLCK: {
      int32_t lock = t.locked() ? 1 : 0;
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, lock));
      return 0;
    }
    case L::kTIOCPKT: {
      int32_t on;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &on));
      t.SetPacketMode(on != 0);
      return 0;
    }
    case L::kTIOCGPKT: {
      int32_t on = t.packet_mode() ? 1 : 0;
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, on));
      return 0;
    }
    case L::kTIOCSIG: {
      // The master sends a signal to the foreground group.
      int sig = static_cast<int>(arg);
      if (sig <= 0 || sig > L::kNumSignals) return Errno(EINVAL);
      TtySession s = t.session();
      if (SessionAlive(s) && s.fg_pgrp > 0) SignalGroup(fs_->kernel(), s.fg_pgrp, sig);
      return 0;
    }
    case L::kTIOCGPTPEER: {
      // Opens the replica as /dev/pts/N would (EIO while locked).
      int flags = static_cast<int>(arg);
      if (flags & ~(O_ACCMODE | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) return Errno(EINVAL);
      Task* task = Task::Current();
      if (task == nullptr) return Errno(EPERM);
      kernel::Kernel& k = task->kernel();
      std::shared_ptr<vfs::FileDescription> f;
      auto p = k.vfs().Resolve(*task, vfs::Start{k.vfs().RootPath()},
                               "/dev/pts/" + std::to_string(t.index()), 0);
      if (p.ok() && p->dentry->inode()->fs().dev() == fs_->dev()) {
        ASSIGN_OR_RETURN_ERRNO(f, k.vfs().OpenPath(*task, *p, flags & ~O_CLOEXEC));
      } else {
        ASSIGN_OR_RETURN_ERRNO(f, fs_->OpenReplica(t.index(), flags & ~O_CLOEXEC));
      }
      uint64_t limit = task->thread_group().rlimit(L::kRLIMIT_NOFILE).rlim_cur;
      ASSIGN_OR_RETURN_ERRNO(int fd,
                             task->fds().Install(std::move(f), 0, flags & O_CLOEXEC, limit));
      return static_cast<uint64_t>(fd);
    }
    default:
      return Errno(ENOTTY);
  }
}

ErrnoOr<uint64_t> PtyFile::SessionIoctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  mm::UserAddr addr(arg);
  Terminal& t = *terminal_;
  Task* task = Task::Current();
  if (task == nullptr) return Errno(ENOTTY);
  ThreadGroup& tg = task->thread_group();
  const bool ours = IsControllingTerminalOf(t, tg);
  switch (request) {
    case L::kTIOCSCTTY: {
      if (tg.sid() != tg.pid()) return Errno(EPERM);  // not a session leader
      if (ours) return 0;
      if (ControllingTerminalOf(tg) != nullptr) return Errno(EPERM);
      if (SessionAlive(t.session())) {
        // Another session's terminal: only stolen with arg 1 and
        // CAP_SYS_ADMIN.
        if (arg != 1 || !task->creds().HasCapability(L::kCAP_SYS_ADMIN)) return Errno(EPERM);
      }
      SetControllingTerminal(t, tg);
      return 0;
    }
    case L::kTIOCNOTTY: {
      if (!ours) return Errno(ENOTTY);
      if (tg.sid() == tg.pid()) {
        // The leader gives it up: its foreground group hears of it.
        TtySession s = t.session();
        t.set_session(TtySession{});
        if (s.fg_pgrp > 0) {
          SignalGroup(task->kernel(), s.fg_pgrp, L::kSIGHUP);
          SignalGroup(task->kernel(), s.fg_pgrp, L::kSIGCONT);
        }
      }
      // A member other than the leader keeps seeing the session's
      // terminal: the sentry keeps the controlling terminal per session.
      return 0;
    }
    case L::kTIOCGPGRP: {
      if (!master_ && !ours) return Errno(ENOTTY);
      TtySession s = t.session();
      int32_t pgrp = SessionAlive(s) ? s.fg_pgrp : 0;
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, pgrp));
      return 0;
    }
    case L::kTIOCSPGRP: {
      if (!ours) return Errno(ENOTTY);
      RETURN_IF_ERRNO(CheckJobControl(t, L::kSIGTTOU));
      int32_t pgrp;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &pgrp));
      if (pgrp < 0) return Errno(EINVAL);
      auto members = task->kernel().ProcessGroup(pgrp);
      if (members.empty()) return Errno(ESRCH);
      for (ThreadGroup* m : members) {
        if (m->sid() != tg.sid()) return Errno(EPERM);
      }
      t.set_fg_pgrp(pgrp);
      return 0;
    }
    case L::kTIOCGSID: {
      if (!master_ && !ours) return Errno(ENOTTY);
      TtySession s = t.session();
      if (!SessionAlive(s)) return Errno(ENOTTY);
      int32_t sid = s.sid;
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, sid));
      return 0;
    }
    default:
      return Errno(ENOTTY);
  }
}

ErrnoOr<uint64_t> PtyFile::Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  mm::UserAddr addr(arg);
  Terminal& t = *terminal_;
  if (!master_ && t.hung_up()) {
    // A hung-up terminal's files answer nothing more (hung_up_tty_ioctl).
    return Errno(request == L::kTIOCSPGRP ? ENOTTY : EIO);
  }
  switch (request) {
    case L::kTCGETS: {
      L::Termios tio = t.termios();
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, tio));
      return 0;
    }
    case L::kTCSETS:
    case L::kTCSETSW:
    case L::kTCSETSF: {
      L::Termios tio;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &tio));
      if (!master_) RETURN_IF_ERRNO(CheckJobControl(t, L::kSIGTTOU));
      // TCSETSW waits for output to drain: a pty's output is drained as
      // soon as it is written (the master holds it).
      t.SetTermios(tio, request == L::kTCSETSF);
      return 0;
    }
    case L::kTIOCGWINSZ: {
      L::Winsize w = t.winsize();
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, w));
      return 0;
    }
    case L::kTIOCSWINSZ: {
      L::Winsize w;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &w));
      t.SetWinsize(w);
      return 0;
    }
    case L::kTCFLSH:
      if (!master_) RETURN_IF_ERRNO(CheckJobControl(t, L::kSIGTTOU));
      RETURN_IF_ERRNO(t.Flush(static_cast<int>(arg)));
      return 0;
    case L::kTCXONC:
      if (!master_) RETURN_IF_ERRNO(CheckJobControl(t, L::kSIGTTOU));
      RETURN_IF_ERRNO(t.FlowControl(static_cast<int>(arg)));
      return 0;
    case L::kFIONREAD: {
      int32_t n = static_cast<int32_t>(
          std::min<size_t>(master_ ? t.MasterInputQueued() : t.ReplicaInputQueued(), INT32_MAX));
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, n));
      return 0;
    }
    case L::kTIOCOUTQ: {
      int32_t n = static_cast<int32_t>(
          std::min<size_t>(master_ ? t.MasterOutputQueued() : t.ReplicaOutputQueued(), INT32_MAX));
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, n));
      return 0;
    }
    case L::kTIOCGDEV: {
      uint32_t dev = EncodeDev(kReplicaMajor, t.index());
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, dev));
      return 0;
    }
    case L::kTCSBRK:
    case L::kTCSBRKP:
      return 0;  // no line to break; output is never pending
    case L::kTIOCGETD: {
      int32_t ldisc = L::kN_TTY;
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, ldisc));
      return 0;
    }
    case L::kTIOCSETD: {
      int32_t ldisc;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &ldisc));
      return ldisc == L::kN_TTY ? ErrnoOr<uint64_t>(0) : Errno(EINVAL);
    }
    case L::kTIOCSCTTY:
    case L::kTIOCNOTTY:
    case L::kTIOCGPGRP:
    case L::kTIOCSPGRP:
    case L::kTIOCGSID:
      return SessionIoctl(mm, request, arg);
    default:
      if (master_) return MasterIoctl(mm, request, arg);
      return Errno(ENOTTY);
  }
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> ReplicaNode::Open(vfs::Context& ctx, int flags) {
  auto t = terminal_.lock();
  if (!t) return Errno(EIO);
  ASSIGN_OR_RETURN_ERRNO(auto f, fs_.OpenReplica(t->index(), flags & ~O_NOCTTY));
  // A session leader without a controlling terminal takes this one, unless
  // O_NOCTTY or it belongs to another session.
  auto* task = dynamic_cast<Task*>(&ctx);
  if (task != nullptr && !(flags & O_NOCTTY)) {
    ThreadGroup& tg = task->thread_group();
    if (tg.sid() == tg.pid() && !SessionAlive(t->session()) &&
        ControllingTerminalOf(tg) == nullptr) {
      SetControllingTerminal(*t, tg);
    }
  }
  return f;
}

}  // namespace

// ---- The file system ----

DevptsFilesystem::DevptsFilesystem(kernel::Kernel& k)
    : Filesystem("devpts", NewAnonDev()), kernel_(k) {
  root_ = std::make_shared<PtsDir>(*this);
  root_->Add("ptmx", std::make_shared<PtmxNode>(*this));
}

ErrnoOr<vfs::StatFs> DevptsFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = static_cast<uint64_t>(L::kDEVPTS_SUPER_MAGIC);
  s.bsize = 4096;
  return s;
}

std::shared_ptr<vfs::Inode> DevptsFilesystem::root() { return root_; }

std::vector<std::shared_ptr<Terminal>> DevptsFilesystem::Terminals() {
  absl::MutexLock l(&mu_);
  std::vector<std::shared_ptr<Terminal>> out;
  for (auto& [index, weak] : terminals_) {
    if (auto t = weak.lock()) out.push_back(std::move(t));
  }
  return out;
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> DevptsFilesystem::OpenMaster(
    uint32_t uid, int flags, std::shared_ptr<Terminal>* terminal) {
  kernel::Kernel* k = &kernel_;
  std::shared_ptr<Terminal> t;
  {
    absl::MutexLock l(&mu_);
    // The lowest number no terminal holds (a terminal holds its number
    // until both sides are closed).
    uint32_t index = 0;
    for (auto it = terminals_.begin(); it != terminals_.end();) {
      if (it->second.expired()) {
        it = terminals_.erase(it);
        continue;
      }
      if (it->first != index) break;
      ++index;
      ++it;
    }
    constexpr uint32_t kMaxPtys = 4096;  // /proc/sys/kernel/pty/max's default
    if (index >= kMaxPtys) return Errno(ENOSPC);
    t = std::make_shared<Terminal>(index, [k](int pgid, int sig) { SignalGroup(*k, pgid, sig); });
    terminals_[index] = t;
  }
  root_->Add(std::to_string(t->index()), std::make_shared<ReplicaNode>(*this, t, uid));
  if (terminal != nullptr) *terminal = t;
  return std::shared_ptr<vfs::FileDescription>(
      std::make_shared<MasterFile>(flags & ~O_NOCTTY, t, shared_from_this(), /*master=*/true));
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> DevptsFilesystem::OpenReplica(uint32_t index,
                                                                             int flags) {
  std::shared_ptr<Terminal> t;
  {
    absl::MutexLock l(&mu_);
    auto it = terminals_.find(index);
    if (it != terminals_.end()) t = it->second.lock();
  }
  if (!t) return Errno(EIO);
  RETURN_IF_ERRNO(t->OpenReplica());
  return std::shared_ptr<vfs::FileDescription>(
      std::make_shared<ReplicaFile>(flags & ~O_NOCTTY, t, shared_from_this()));
}

void DevptsFilesystem::RemoveReplicaNode(uint32_t index) {
  root_->RemoveChild(std::to_string(index));
}

void SetControllingTerminal(Terminal& t, ThreadGroup& tg) {
  t.set_session(TtySession{tg.sid(), tg.pgid(), &tg});
}

std::optional<ControllingTty> ControllingTerminal(ThreadGroup& tg) {
  auto t = ControllingTerminalOf(tg);
  if (!t) return std::nullopt;
  return ControllingTty{vfs::MakeDev(kReplicaMajor, t->index()), t->session().fg_pgrp};
}

std::shared_ptr<DevptsFilesystem> NewDevpts(kernel::Kernel& k) {
  std::shared_ptr<DevptsFilesystem> fs;
  {
    // One instance per kernel, whatever the number of mounts (a pod's
    // containers share the sandbox's terminals, as Linux's single devpts
    // instance is shared by mounts without newinstance).
    absl::MutexLock l(&instance_mu);
    fs = Instance().lock();
    if (fs && &fs->kernel() == &k) return fs;
    fs = std::make_shared<DevptsFilesystem>(k);
    Instance() = fs;
  }
  using Result = ErrnoOr<std::shared_ptr<vfs::FileDescription>>;
  // /dev/ptmx: a new pair of the current instance.
  vfs::RegisterCharDevice(kTtyAuxMajor, kPtmxMinor, [](vfs::Context& ctx, int flags) -> Result {
    auto fs = CurrentInstance();
    if (!fs) return Errno(ENODEV);
    return fs->OpenMaster(ctx.creds().fsuid, flags);
  });
  // /dev/tty: the caller's controlling terminal.
  vfs::RegisterCharDevice(kTtyAuxMajor, kTtyMinor, [](vfs::Context& ctx, int flags) -> Result {
    auto* task = dynamic_cast<Task*>(&ctx);
    if (task == nullptr) return Errno(ENXIO);
    auto t = ControllingTerminalOf(task->thread_group());
    auto fs = CurrentInstance();
    if (!t || !fs) return Errno(ENXIO);
    return fs->OpenReplica(t->index(), flags);
  });
  kernel::SetConsoleFactory(&NewConsole);
  return fs;
}

}  // namespace sentry::fsimpl::devpts
