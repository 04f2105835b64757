#include "platform/ptrace/ptrace_platform.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <elf.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <time.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace platform::ptrace {

using abi_linux::PtRegs;

// Defined in stub_unsafe.cc.
absl::Status GetRegs(pid_t tid, PtRegs& regs);
absl::Status SetRegs(pid_t tid, const PtRegs& regs);

namespace {

// The calling sentry thread's host tid, asked of the host once per thread
// (Switch looks it up on every guest syscall).
pid_t HostTid() {
  thread_local const pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
  return tid;
}

absl::Status FromSyscall(absl::StatusOr<int64_t> r, absl::string_view what) {
  if (!r.ok()) return r.status();
  if (*r < 0 && *r > -4096) return util::ErrnoStatus(static_cast<int>(-*r), what);
  return absl::OkStatus();
}

}  // namespace

// ---- PtracePlatform ----

absl::StatusOr<std::unique_ptr<Platform>> PtracePlatform::Create(int memory_file_fd) {
  ASSIGN_OR_RETURN(internal::StubLayout layout, internal::InstallStubCode());
  return std::unique_ptr<Platform>(new PtracePlatform(memory_file_fd, layout));
}

absl::StatusOr<std::unique_ptr<AddressSpace>> PtracePlatform::NewAddressSpace() {
  ASSIGN_OR_RETURN(pid_t pid, master_->NewStub());
  return std::unique_ptr<AddressSpace>(new Subprocess(*this, pid));
}

void PtracePlatform::PinPair(pid_t stub_tid) {
  // Every switch hands the CPU from the sentry thread to its stub thread
  // and back; on one CPU that is a direct hand-off, across CPUs it costs
  // an inter-processor wake-up each way (about twice the time here). Pairs
  // are spread over the CPUs the sandbox may use.
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0) return;
  int count = CPU_COUNT(&allowed);
  if (count <= 0) return;
  int pick = static_cast<int>(next_cpu_.fetch_add(1) % static_cast<unsigned>(count));
  int cpu = -1;
  for (int i = 0, seen = 0; i < CPU_SETSIZE; ++i) {
    if (CPU_ISSET(i, &allowed) && seen++ == pick) {
      cpu = i;
      break;
    }
  }
  if (cpu < 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  sched_setaffinity(stub_tid, sizeof(one), &one);
  sched_setaffinity(0, sizeof(one), &one);
}

std::unique_ptr<Context> PtracePlatform::NewContext() {
  return std::unique_ptr<Context>(new PtraceContext());
}

PtRegs PtracePlatform::InitialRegs() const {
  PtRegs regs{};
  regs.cs = 0x33;  // __USER_CS
  regs.ss = 0x2b;  // __USER_DS
  regs.eflags = 0x202;
  return regs;
}

// ---- StubMaster ----

StubMaster::StubMaster(const internal::StubLayout& layout, int memory_file_fd)
    : layout_(layout), memory_file_fd_(memory_file_fd), thread_([this] { Loop(); }) {}

StubMaster::~StubMaster() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void StubMaster::Loop() {
  while (true) {
    std::function<void()> fn;
    {
      absl::MutexLock l(&mu_);
      mu_.Await(absl::Condition(
          +[](StubMaster* m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(m->mu_) {
            return m->stopping_ || !m->queue_.empty();
          },
          this));
      if (queue_.empty()) break;  // stopping
      fn = std::move(queue_.front());
      queue_.pop_front();
    }
    fn();
    ReapDead(/*block=*/false);
  }
  // Leaving kills every stub we still trace (PTRACE_O_EXITKILL); reap them.
  // By now the sentry threads that traced their other threads are gone.
  for (auto& [pid, factory] : factories_) {
    kill(pid, SIGKILL);
    dead_.push_back(pid);
  }
  factories_.clear();
  if (template_ != nullptr) {
    kill(template_->tid(), SIGKILL);
    dead_.push_back(template_->tid());
    template_.reset();
  }
  ReapDead(/*block=*/true);
}

absl::StatusOr<pid_t> StubMaster::Run(std::function<absl::StatusOr<pid_t>()> fn) {
  absl::StatusOr<pid_t> result = absl::InternalError("not run");
  bool done = false;
  {
    absl::MutexLock l(&mu_);
    queue_.push_back([&] {
      absl::StatusOr<pid_t> r = fn();
      absl::MutexLock l2(&mu_);
      result = std::move(r);
      done = true;
    });
    mu_.Await(absl::Condition(&done));
  }
  return result;
}

absl::StatusOr<pid_t> StubMaster::ForkFromTemplate() {
  if (template_ == nullptr) {
    ASSIGN_OR_RETURN(pid_t pid, internal::ForkStub(layout_, memory_file_fd_));
    PtRegs regs;
    if (absl::Status s = GetRegs(pid, regs); !s.ok()) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, __WALL | __WNOTHREAD);
      return s;
    }
    template_ = std::make_unique<StubThread>(pid, regs, layout_.syscall_insn);
  }
  // A plain fork (own fd table, SIGCHLD to the template, which ignores it:
  // once the master has reaped a dead stub nobody else has to).
  ASSIGN_OR_RETURN(int64_t r, template_->Syscall(SYS_clone, CLONE_PTRACE | SIGCHLD, 0, 0, 0, 0));
  if (r < 0) return util::ErrnoStatus(static_cast<int>(-r), "clone stub from template");
  const pid_t pid = static_cast<pid_t>(r);
  int status = 0;
  while (waitpid(pid, &status, __WALL | __WNOTHREAD) < 0) {
    if (errno != EINTR) return util::LastErrnoStatus("wait for new stub");
  }
  if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
    kill(pid, SIGKILL);
    dead_.push_back(pid);
    return absl::InternalError(absl::StrCat("stub from template did not stop: wait status 0x",
                                            absl::Hex(status)));
  }
  return pid;
}

absl::StatusOr<pid_t> StubMaster::NewStub() {
  return Run([this]() -> absl::StatusOr<pid_t> {
    ASSIGN_OR_RETURN(pid_t pid, ForkFromTemplate());
    // Stopped in its SIGSTOP's signal-delivery stop: every injected syscall
    // resumes it with no signal, which drops the SIGSTOP.
    PtRegs regs;
    absl::Status s = GetRegs(pid, regs);
    if (!s.ok()) {
      kill(pid, SIGKILL);
      dead_.push_back(pid);
      return s;
    }
    factories_[pid] = std::make_unique<StubThread>(pid, regs, layout_.syscall_insn);
    return pid;
  });
}

absl::StatusOr<pid_t> StubMaster::CloneThread(pid_t stub) {
  return Run([this, stub]() -> absl::StatusOr<pid_t> {
    auto it = factories_.find(stub);
    if (it == factories_.end()) return absl::NotFoundError("no such stub");
    constexpr uint64_t kFlags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                                CLONE_SYSVSEM | CLONE_UNTRACED;
    ASSIGN_OR_RETURN(int64_t tid, it->second->SyscallAt(layout_.clone_insn, SYS_clone, kFlags));
    if (tid < 0) return util::ErrnoStatus(static_cast<int>(-tid), "clone in stub");
    return static_cast<pid_t>(tid);
  });
}

void StubMaster::Post(std::function<void()> fn) {
  absl::MutexLock l(&mu_);
  queue_.push_back(std::move(fn));
}

void StubMaster::Release(pid_t stub) {
  // The master's loop runs every queued function before it stops, so a
  // stub released during shutdown is still killed and reaped.
  Post([this, stub] {
    kill(stub, SIGKILL);
    factories_.erase(stub);
    // The stub's threads traced by other sentry threads stay zombies until
    // their tracers reap them (or exit), and the process cannot be reaped
    // before that: reap what we can now, the rest later.
    dead_.push_back(stub);
    ReapDead(/*block=*/false);
  });
}

void StubMaster::ReapDead(bool block) {
  for (auto it = dead_.begin(); it != dead_.end();) {
    int status;
    pid_t r = waitpid(*it, &status, __WALL | __WNOTHREAD | (block ? 0 : WNOHANG));
    if (r == *it || (r < 0 && errno == ECHILD)) {
      it = dead_.erase(it);
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else {
      ++it;
    }
  }
}

// ---- Subprocess ----

Subprocess::Subprocess(PtracePlatform& platform, pid_t pid) : platform_(platform), pid_(pid) {}

Subprocess::~Subprocess() {
  // SIGKILL ends every stub thread. We reap our own; other tracers reap
  // theirs when they exit; the master reaps the process after that.
  kill(pid_, SIGKILL);
  std::unique_ptr<StubThread> mine;
  {
    absl::MutexLock l(&mu_);
    auto it = threads_.find(HostTid());
    if (it != threads_.end()) mine = std::move(it->second);
  }
  if (mine) {
    int status;
    while (waitpid(mine->tid(), &status, __WALL | __WNOTHREAD) < 0 && errno == EINTR) {
    }
  }
  platform_.master().Release(pid_);
}

absl::StatusOr<StubThread*> Subprocess::ThreadForCaller() {
  pid_t me = HostTid();
  {
    absl::MutexLock l(&mu_);
    auto it = threads_.find(me);
    if (it != threads_.end()) return it->second.get();
  }
  ASSIGN_OR_RETURN(pid_t tid, platform_.master().CloneThread(pid_));
  if (::ptrace(PTRACE_SEIZE, tid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) != 0) {
    return util::LastErrnoStatus("PTRACE_SEIZE stub thread");
  }
  if (::ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0) return util::LastErrnoStatus("PTRACE_INTERRUPT");
  int status = 0;
  while (waitpid(tid, &status, __WALL | __WNOTHREAD) < 0) {
    if (errno != EINTR) return util::LastErrnoStatus("wait for new stub thread");
  }
  if (!WIFSTOPPED(status)) return absl::InternalError("new stub thread did not stop");
  PtRegs regs;
  RETURN_IF_ERROR(GetRegs(tid, regs));
  regs.orig_rax = ~0ULL;
  platform_.PinPair(tid);
  auto thread = std::make_unique<StubThread>(tid, regs, platform_.layout().syscall_insn);
  StubThread* t = thread.get();
  absl::MutexLock l(&mu_);
  threads_[me] = std::move(thread);
  return t;
}

void Subprocess::ReleaseThreadForCaller() {
  std::unique_ptr<StubThread> t;
  {
    absl::MutexLock l(&mu_);
    auto it = threads_.find(HostTid());
    if (it == threads_.end()) return;
    t = std::move(it->second);
    threads_.erase(it);
  }
  // exit(2) ends just that thread; the injection sees it gone.
  auto r = t->Syscall(SYS_exit, 0);
  if (r.ok()) SK_LOG(WARNING) << "stub thread " << t->tid() << " survived exit";
}

absl::StatusOr<int64_t> Subprocess::Syscall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
                                            uint64_t a4, uint64_t a5, uint64_t a6) {
  ASSIGN_OR_RETURN(StubThread * t, ThreadForCaller());
  return t->Syscall(nr, a1, a2, a3, a4, a5, a6);
}

absl::Status Subprocess::MapFile(uint64_t addr, uint64_t len, int fd, uint64_t offset, int prot) {
  if (fd != platform_.memory_file_fd()) {
    return absl::UnimplementedError("only the memory file can be mapped into a stub yet");
  }
  auto r = Syscall(SYS_mmap, addr, len, prot, MAP_SHARED | MAP_FIXED, kStubMemoryFileFd, offset);
  if (r.ok() && static_cast<uint64_t>(*r) != addr && *r > -4096 && *r < 0) {
    return util::ErrnoStatus(static_cast<int>(-*r), "stub mmap");
  }
  return r.status();
}

absl::Status Subprocess::Protect(uint64_t addr, uint64_t len, int prot) {
  return FromSyscall(Syscall(SYS_mprotect, addr, len, prot), "stub mprotect");
}

absl::Status Subprocess::Unmap(uint64_t addr, uint64_t len) {
  return FromSyscall(Syscall(SYS_munmap, addr, len), "stub munmap");
}

int64_t Subprocess::CpuTimeNs() const {
  // The host's CPU clock of the stub process (MAKE_PROCESS_CPUCLOCK(pid,
  // CPUCLOCK_SCHED)); readable for any process.
  clockid_t id = static_cast<clockid_t>((~static_cast<unsigned>(pid_) << 3) | 2);
  timespec ts;
  if (clock_gettime(id, &ts) != 0) return 0;
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// ---- PtraceContext ----

SwitchResult PtraceContext::Switch(AddressSpace& as, PtRegs& regs) {
  auto& sub = static_cast<Subprocess&>(as);
  auto thread = sub.ThreadForCaller();
  if (!thread.ok()) {
    SK_LOG(ERROR) << "switch: " << thread.status();
    return {StopReason::kDied};
  }
  pid_t tid = (*thread)->tid();
  last_tid_ = tid;
  if (!pending_fp_.empty()) {
    std::vector<uint8_t> fp = std::move(pending_fp_);
    pending_fp_.clear();
    if (absl::Status s = SetFpState(fp); !s.ok()) SK_LOG(WARNING) << "initial FPU state: " << s;
  }
  if (interrupt_pending_.exchange(false)) return {StopReason::kInterrupted};
  running_pid_.store(sub.pid());
  running_tid_.store(tid);
  struct ClearRunning {
    PtraceContext* c;
    ~ClearRunning() { c->running_tid_.store(0); }
  } clear{this};

  // orig_rax = -1: the host must never restart a syscall on resume (the
  // sentry restarts guest syscalls itself).
  uint64_t orig_rax = regs.orig_rax;
  regs.orig_rax = ~0ULL;
  bool set = SetRegs(tid, regs).ok();
  regs.orig_rax = orig_rax;
  if (!set) return {StopReason::kDied};
  if (::ptrace(PTRACE_SYSEMU, tid, 0, 0) != 0) return {StopReason::kDied};
  while (true) {
    int status = 0;
    pid_t r = waitpid(tid, &status, __WALL | __WNOTHREAD);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 || !WIFSTOPPED(status)) return {StopReason::kDied};
    int sig = WSTOPSIG(status);
    if (sig == (SIGTRAP | 0x80)) {
      if (!GetRegs(tid, regs).ok()) return {StopReason::kDied};
      return {StopReason::kSyscall};
    }
    if (status >> 16 != 0) {
      // A ptrace event stop we did not ask for: carry on.
      if (::ptrace(PTRACE_SYSEMU, tid, 0, 0) != 0) return {StopReason::kDied};
      continue;
    }
    siginfo_t info{};
    if (::ptrace(PTRACE_GETSIGINFO, tid, 0, &info) != 0) return {StopReason::kDied};
    if (!GetRegs(tid, regs).ok()) return {StopReason::kDied};
    if (sig == InterruptSignal() && info.si_code <= 0) {
      interrupt_pending_.store(false);
      return {StopReason::kInterrupted};
    }
    bool synchronous = info.si_code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
                                            sig == SIGFPE || sig == SIGTRAP);
    SwitchResult res;
    res.reason = synchronous ? StopReason::kFault : StopReason::kSignal;
    res.signo = sig;
    res.code = info.si_code;
    res.fault_addr = reinterpret_cast<uint64_t>(info.si_addr);
    return res;
  }
}

absl::Status PtraceContext::GetFpState(std::vector<uint8_t>& out) {
  if (last_tid_ == 0) return absl::FailedPreconditionError("no guest thread yet");
  out.assign(64 << 10, 0);
  iovec iov{out.data(), out.size()};
  if (::ptrace(PTRACE_GETREGSET, last_tid_, NT_X86_XSTATE, &iov) != 0) {
    return util::LastErrnoStatus("PTRACE_GETREGSET NT_X86_XSTATE");
  }
  out.resize(iov.iov_len);
  return absl::OkStatus();
}

absl::Status PtraceContext::SetFpState(const std::vector<uint8_t>& in) {
  if (last_tid_ == 0) {
    pending_fp_ = in;
    return absl::OkStatus();
  }
  iovec iov{const_cast<uint8_t*>(in.data()), in.size()};
  if (::ptrace(PTRACE_SETREGSET, last_tid_, NT_X86_XSTATE, &iov) != 0) {
    return util::LastErrnoStatus("PTRACE_SETREGSET NT_X86_XSTATE");
  }
  return absl::OkStatus();
}

void PtraceContext::Interrupt() {
  interrupt_pending_.store(true);
  pid_t tid = running_tid_.load();
  if (tid != 0) syscall(SYS_tgkill, running_pid_.load(), tid, InterruptSignal());
}

}  // namespace platform::ptrace
