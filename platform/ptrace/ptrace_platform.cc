#include "platform/ptrace/ptrace_platform.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
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

pid_t HostTid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

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
  ASSIGN_OR_RETURN(pid_t pid, internal::ForkStub(layout_, memory_file_fd_));
  PtRegs regs;
  absl::Status s = GetRegs(pid, regs);
  if (!s.ok()) {
    kill(pid, SIGKILL);
    return s;
  }
  auto first = std::make_unique<StubThread>(pid, regs, layout_.syscall_insn);
  return std::unique_ptr<AddressSpace>(new Subprocess(*this, pid, HostTid(), std::move(first)));
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

// ---- Subprocess ----

Subprocess::Subprocess(PtracePlatform& platform, pid_t pid, pid_t tracer,
                       std::unique_ptr<StubThread> first)
    : platform_(platform), pid_(pid) {
  absl::MutexLock l(&mu_);
  threads_[tracer] = std::move(first);
}

Subprocess::~Subprocess() {
  // SIGKILL ends every stub thread; the tracers' waits reap them. The process
  // itself is our child, so reap it here if it is not reaped elsewhere.
  kill(pid_, SIGKILL);
  int status;
  while (waitpid(pid_, &status, __WALL) < 0 && errno == EINTR) {
  }
}

absl::StatusOr<StubThread*> Subprocess::ThreadForCaller() {
  absl::MutexLock l(&mu_);
  auto it = threads_.find(HostTid());
  if (it != threads_.end()) return it->second.get();
  // A second sentry thread in one address space needs a stub thread of its
  // own, cloned by a thread that can inject syscalls into this stub. That
  // arrives with multithreaded guests.
  return absl::UnimplementedError("this sentry thread has no stub thread in this address space");
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
  if (interrupt_pending_.exchange(false)) return {StopReason::kInterrupted};
  running_pid_.store(sub.pid());
  running_tid_.store(tid);
  struct ClearRunning {
    PtraceContext* c;
    ~ClearRunning() { c->running_tid_.store(0); }
  } clear{this};

  if (!SetRegs(tid, regs).ok()) return {StopReason::kDied};
  if (::ptrace(PTRACE_SYSEMU, tid, 0, 0) != 0) return {StopReason::kDied};
  while (true) {
    int status = 0;
    pid_t r = waitpid(tid, &status, __WALL);
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

void PtraceContext::Interrupt() {
  interrupt_pending_.store(true);
  pid_t tid = running_tid_.load();
  if (tid != 0) syscall(SYS_tgkill, running_pid_.load(), tid, InterruptSignal());
}

}  // namespace platform::ptrace
