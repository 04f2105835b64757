// The stub: the only code a stub process has of its own, and the raw host
// calls that create it and drive it.

#include <grp.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "platform/ptrace/ptrace_platform.h"
#include "util/status_macros.h"

// SAFETY: position-independent code that touches no memory: it runs in the
// stub after everything but its own page has been unmapped, and later only
// at sk_stub_syscall with registers the sentry set.
//
// Entry (from ForkStub's child): rdi = length of [0, stub) to unmap,
// rsi = start of the region above the stub, rdx = its length.
asm(R"(
  .pushsection .text
  .balign 4096
  .globl sk_stub_code_start
sk_stub_code_start:
  mov %rsi, %r12
  mov %rdx, %r13
  mov %rdi, %rsi
  xor %edi, %edi
  mov $11, %eax          /* munmap(0, stub) */
  syscall
  mov %r12, %rdi
  mov %r13, %rsi
  mov $11, %eax          /* munmap(above stub) */
  syscall
  mov $39, %eax          /* getpid */
  syscall
  mov %eax, %edi
  mov $19, %esi          /* SIGSTOP */
  mov $62, %eax          /* kill: stop for the tracer */
  syscall
  ud2                    /* never resumed here with these registers */
  .globl sk_stub_syscall
sk_stub_syscall:
  syscall
  int3
  ud2
  /* clone(2) for a new stub thread: the parent traps as above, the child
     parks in pause(2) until a sentry thread seizes it. */
  .globl sk_stub_clone
sk_stub_clone:
  syscall
  test %rax, %rax
  jz sk_stub_thread_loop
  int3
  ud2
sk_stub_thread_loop:
  mov $34, %eax          /* pause */
  syscall
  jmp sk_stub_thread_loop
  .globl sk_stub_code_end
sk_stub_code_end:
  .popsection
)");

extern "C" char sk_stub_code_start[];
extern "C" char sk_stub_syscall[];
extern "C" char sk_stub_clone[];
extern "C" char sk_stub_code_end[];

namespace platform::ptrace {

using abi_linux::PtRegs;

static_assert(sizeof(PtRegs) == sizeof(user_regs_struct), "PtRegs must match the host's ptrace regs");

int InterruptSignal() { return SIGSTKFLT; }

namespace internal {
namespace {

// The highest user address on x86-64 with 4-level paging.
constexpr uint64_t kTaskSize = 0x7ffffffff000ULL;

// The host user and group stubs run as: unprivileged, no capabilities
// ("nobody"; the sentry drops to the same once its sandbox is set up, so it
// can still trace them).
constexpr uint64_t kStubUid = 65534;
constexpr uint64_t kStubGid = 65534;

// The stub's seccomp filter, built before forking (the child may not
// allocate). Guest syscalls never reach it: PTRACE_SYSEMU stops them before
// seccomp runs. What it sees are the calls the stub's own page makes for
// the sentry, and the kernel's vsyscall emulation (the legacy page at
// 0xffffffffff600000, whose three calls read the time or the CPU). Any
// other syscall means the stub escaped its tracer: the process is killed.
struct StubFilter {
  sock_filter insns[16];
  sock_fprog prog;
};

constexpr uint32_t kVsyscallHigh = 0xffffffff;
constexpr uint32_t kVsyscallLow = 0xff600000;

constexpr uint32_t Lo(uint64_t v) { return static_cast<uint32_t>(v); }
constexpr uint32_t Hi(uint64_t v) { return static_cast<uint32_t>(v >> 32); }

void BuildStubFilter(const StubLayout& layout, StubFilter& f) {
  constexpr uint32_t kArch = offsetof(seccomp_data, arch);
  constexpr uint32_t kIpLow = offsetof(seccomp_data, instruction_pointer);
  constexpr uint32_t kIpHigh = kIpLow + 4;
  // Jump offsets count instructions after the current one.
  const sock_filter insns[] = {
      /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArch),
      /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 11),   // else kill
      /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kIpHigh),
      /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, Hi(layout.start), 0, 4),     // else 8
      /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kIpLow),
      /* 5 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, Lo(layout.start), 0, 7),     // else kill
      /* 6 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, Lo(layout.end), 6, 5),       // kill : allow
      /* 7 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      /* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kVsyscallHigh, 0, 4),        // else kill
      /* 9 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kIpLow),
      /* 10 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, kVsyscallLow, 0, 2),        // else kill
      /* 11 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, kVsyscallLow + 0x1000, 1, 0),  // kill : allow
      /* 12 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      /* 13 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
  };
  static_assert(sizeof(insns) <= sizeof(f.insns));
  std::memcpy(f.insns, insns, sizeof(insns));
  f.prog.len = static_cast<unsigned short>(sizeof(insns) / sizeof(insns[0]));
  f.prog.filter = f.insns;
}

// Never returns; runs in the child of ForkStub on a copy of the parent's
// memory, so only async-signal-safe raw calls are allowed here.
[[noreturn]] void StubChild(const StubLayout& layout, int memory_file_fd,
                            const StubFilter& filter) {
  // SAFETY: raw syscalls only; no locks, no allocation (we are the sole
  // thread of a forked copy of a multithreaded process).
  syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  // The kernel writes to these per-thread areas of the sentry's memory on
  // return to user mode or exit; they are about to be unmapped.
  // glibc registers 32 bytes even where __rseq_size reports the 20-byte
  // feature size, and unregistering needs the registered length.
  if (__rseq_size > 0) {
    char* area = static_cast<char*>(__builtin_thread_pointer()) + __rseq_offset;
    if (syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0) {
      syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
    }
  }
  syscall(SYS_set_tid_address, nullptr);
  syscall(SYS_set_robust_list, nullptr, 0);
  // Terminal signals go to the sentry, which forwards what the guest gets.
  syscall(SYS_setpgid, 0, 0);
  uint64_t empty_mask = 0;
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty_mask, nullptr, sizeof(empty_mask));
  // Stubs forked from this one (StubMaster's template) are reaped by the
  // master, their tracer; ignoring SIGCHLD makes the kernel release them
  // then instead of leaving them zombies of this process. The kernel's
  // struct sigaction: handler, flags, restorer, mask.
  const uint64_t ignore_sigchld[4] = {reinterpret_cast<uint64_t>(SIG_IGN), 0, 0, 0};
  syscall(SYS_rt_sigaction, SIGCHLD, ignore_sigchld, nullptr, sizeof(uint64_t));
  if (memory_file_fd != kStubMemoryFileFd) {
    if (syscall(SYS_dup2, memory_file_fd, kStubMemoryFileFd) < 0) syscall(SYS_exit_group, 126);
  }
  syscall(SYS_close_range, 0, kStubMemoryFileFd - 1, 0);
  syscall(SYS_close_range, kStubMemoryFileFd + 1, ~0U, 0);
  if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0) < 0) syscall(SYS_exit_group, 127);
  // Guest code runs in this process: it gets no privilege of the host's.
  if (syscall(SYS_geteuid) == 0) {
    if (syscall(SYS_setgroups, 0, nullptr) != 0 ||
        syscall(SYS_setresgid, kStubGid, kStubGid, kStubGid) != 0 ||
        syscall(SYS_setresuid, kStubUid, kStubUid, kStubUid) != 0) {
      syscall(SYS_exit_group, 125);
    }
  }
  // Changing ids made the process undumpable, which only a tracer with
  // CAP_SYS_PTRACE could get past; the sentry will have none.
  syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
  if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter.prog) != 0) {
    syscall(SYS_exit_group, 124);
  }
  auto entry = reinterpret_cast<void (*)(uint64_t, uint64_t, uint64_t)>(layout.start);
  entry(layout.start, layout.end, kTaskSize - layout.end);
  __builtin_unreachable();
}

}  // namespace

absl::StatusOr<StubLayout> InstallStubCode() {
  size_t code_len = sk_stub_code_end - sk_stub_code_start;
  size_t len = (code_len + 4095) & ~size_t{4095};
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return util::LastErrnoStatus("mmap stub code");
  std::memcpy(p, sk_stub_code_start, code_len);
  if (mprotect(p, len, PROT_READ | PROT_EXEC) != 0) return util::LastErrnoStatus("mprotect stub");
  uint64_t start = reinterpret_cast<uint64_t>(p);
  return StubLayout{start, start + len,
                    start + static_cast<uint64_t>(sk_stub_syscall - sk_stub_code_start),
                    start + static_cast<uint64_t>(sk_stub_clone - sk_stub_code_start)};
}

absl::StatusOr<pid_t> ForkStub(const StubLayout& layout, int memory_file_fd) {
  // The stub region must lie in one 4 GiB window for the filter's checks.
  if (Hi(layout.start) != Hi(layout.end - 1)) {
    return absl::InternalError("stub code straddles a 4 GiB boundary");
  }
  StubFilter filter;
  BuildStubFilter(layout, filter);
  // SAFETY: a raw fork (no atfork handlers, no libc locks taken); the child
  // runs only StubChild.
  long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
  if (pid < 0) return util::LastErrnoStatus("clone stub");
  if (pid == 0) StubChild(layout, memory_file_fd, filter);
  int status = 0;
  while (true) {
    pid_t r = waitpid(static_cast<pid_t>(pid), &status, __WALL | __WNOTHREAD);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return util::LastErrnoStatus("wait for stub");
    break;
  }
  if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
    kill(static_cast<pid_t>(pid), SIGKILL);
    return absl::InternalError(absl::StrCat("stub did not start: wait status 0x",
                                            absl::Hex(status)));
  }
  if (::ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) != 0) {
    absl::Status s = util::LastErrnoStatus("PTRACE_SETOPTIONS");
    kill(static_cast<pid_t>(pid), SIGKILL);
    return s;
  }
  return static_cast<pid_t>(pid);
}

}  // namespace internal

absl::Status GetRegs(pid_t tid, PtRegs& regs) {
  if (::ptrace(PTRACE_GETREGS, tid, 0, &regs) != 0) return util::LastErrnoStatus("PTRACE_GETREGS");
  return absl::OkStatus();
}

absl::Status SetRegs(pid_t tid, const PtRegs& regs) {
  if (::ptrace(PTRACE_SETREGS, tid, 0, &regs) != 0) return util::LastErrnoStatus("PTRACE_SETREGS");
  return absl::OkStatus();
}

absl::StatusOr<int64_t> StubThread::Syscall(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3,
                                            uint64_t a4, uint64_t a5, uint64_t a6) {
  return SyscallAt(syscall_insn_, nr, a1, a2, a3, a4, a5, a6);
}

absl::StatusOr<int64_t> StubThread::SyscallAt(uint64_t rip, uint64_t nr, uint64_t a1, uint64_t a2,
                                              uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6) {
  PtRegs regs = initial_;
  regs.rip = rip;
  regs.rax = nr;
  regs.orig_rax = ~0ULL;  // no syscall restart on resume
  regs.rdi = a1;
  regs.rsi = a2;
  regs.rdx = a3;
  regs.r10 = a4;
  regs.r8 = a5;
  regs.r9 = a6;
  RETURN_IF_ERROR(SetRegs(tid_, regs));
  if (::ptrace(PTRACE_CONT, tid_, 0, 0) != 0) return util::LastErrnoStatus("PTRACE_CONT");
  while (true) {
    int status = 0;
    pid_t r = waitpid(tid_, &status, __WALL | __WNOTHREAD);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return util::LastErrnoStatus("waitpid stub");
    if (!WIFSTOPPED(status)) return absl::UnavailableError("stub thread exited");
    int sig = WSTOPSIG(status);
    if (sig == SIGTRAP) break;
    // Some other signal arrived first (an interrupt, a signal from outside):
    // drop it and let the injected syscall run.
    if (::ptrace(PTRACE_CONT, tid_, 0, 0) != 0) return util::LastErrnoStatus("PTRACE_CONT");
  }
  RETURN_IF_ERROR(GetRegs(tid_, regs));
  return static_cast<int64_t>(regs.rax);
}

}  // namespace platform::ptrace
