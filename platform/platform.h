// The platform: how guest code runs and how it traps back into the sentry.
//
// A Platform makes AddressSpaces (one per guest process image) and Contexts
// (one per guest task). The sentry owns every guest register and every guest
// mapping; a platform only caches them in whatever really runs the code.
//
//   ASSIGN_OR_RETURN(auto platform, platform::Platform::Create("ptrace", mf_fd));
//   ASSIGN_OR_RETURN(auto as, platform->NewAddressSpace());
//   auto ctx = platform->NewContext();
//   as->MapFile(addr, len, mf_fd, offset, PROT_READ | PROT_WRITE);
//   platform::SwitchResult r = ctx->Switch(*as, regs);  // regs: abi_linux::PtRegs
//   if (r.reason == platform::StopReason::kSyscall) { ... regs.rax = result; }
//
// Back ends: platform/ptrace (PTRACE_SYSEMU). systrap and kvm plug in behind
// the same three interfaces.
#ifndef PLATFORM_PLATFORM_H_
#define PLATFORM_PLATFORM_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "abi/linux/ptrace_regs.h"
#include "absl/status/statusor.h"

namespace platform {

// Why Context::Switch returned to the sentry.
enum class StopReason {
  kSyscall,      // The guest executed a system call; regs.orig_rax is its number.
  kFault,        // A synchronous fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP).
  kSignal,       // The host delivered another signal to the guest thread.
  kInterrupted,  // Context::Interrupt was called.
  kDied,         // The thread that ran the guest is gone (killed from outside).
};

struct SwitchResult {
  StopReason reason = StopReason::kSyscall;
  int signo = 0;           // kFault/kSignal: the host signal number.
  int code = 0;            // kFault: si_code (SEGV_MAPERR, SEGV_ACCERR, ...).
  uint64_t fault_addr = 0; // kFault: si_addr.
};

// A guest address space. Mappings here are a cache of the sentry's memory
// manager: dropping one is always safe, it is refilled on the next fault.
class AddressSpace {
 public:
  virtual ~AddressSpace() = default;
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  // Maps [addr, addr+len) to the sentry host file `fd` at `offset`, shared.
  // `prot` is a PROT_* mask. Everything is page-aligned.
  virtual absl::Status MapFile(uint64_t addr, uint64_t len, int fd, uint64_t offset, int prot) = 0;
  virtual absl::Status Protect(uint64_t addr, uint64_t len, int prot) = 0;
  virtual absl::Status Unmap(uint64_t addr, uint64_t len) = 0;

  // Called by a sentry thread that will run no more guest code in this
  // address space (its task exits or moves on), before it exits.
  virtual void ReleaseThreadForCaller() {}

  // CPU time the guest has spent running in this address space, in ns.
  virtual int64_t CpuTimeNs() const = 0;

 protected:
  AddressSpace() = default;
};

// One guest thread of execution, used from a single sentry thread.
class Context {
 public:
  virtual ~Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Runs the guest in `as` from `regs` until it traps; `regs` is updated to
  // the guest's registers at the trap. FPU state stays with the context.
  virtual SwitchResult Switch(AddressSpace& as, abi_linux::PtRegs& regs) = 0;

  // Callable from any thread: makes a running or future Switch return
  // kInterrupted promptly.
  virtual void Interrupt() = 0;

  // The guest's FPU/vector state in the XSAVE layout Linux puts in signal
  // frames (legacy area with the software-reserved bytes filled, XSAVE
  // header, extended state), as of the last Switch.
  virtual absl::Status GetFpState(std::vector<uint8_t>& out) = 0;
  virtual absl::Status SetFpState(const std::vector<uint8_t>& in) = 0;

 protected:
  Context() = default;
};

class Platform {
 public:
  virtual ~Platform() = default;

  // Chooses a back end by name ("ptrace"). `memory_file_fd` is the sentry's
  // memory file; every address space can map it.
  static absl::StatusOr<std::unique_ptr<Platform>> Create(std::string_view name,
                                                          int memory_file_fd);

  virtual std::string_view Name() const = 0;
  virtual absl::StatusOr<std::unique_ptr<AddressSpace>> NewAddressSpace() = 0;
  virtual std::unique_ptr<Context> NewContext() = 0;

  // Guest mappings must lie in [MinUserAddress(), MaxUserAddress()).
  virtual uint64_t MinUserAddress() const = 0;
  virtual uint64_t MaxUserAddress() const = 0;

  // Registers a fresh thread starts with (segment selectors, flags).
  virtual abi_linux::PtRegs InitialRegs() const = 0;
};

}  // namespace platform

#endif  // PLATFORM_PLATFORM_H_
