// The ptrace platform. Each guest address space is a stub process whose only
// memory is one page of stub code; guest memory is mapped into it from the
// sentry's memory file. Each guest thread runs on a stub thread traced by the
// sentry thread of its task with PTRACE_SYSEMU, so every guest syscall stops
// before the host would run it. Address-space operations are syscalls the
// sentry injects into a stopped stub thread at the stub's `syscall; int3`.
//
// Every wait here passes __WNOTHREAD: a thread sees only the stops of the
// threads it traces itself (without it, any sentry thread's waitpid could
// consume another tracer's stop).
//
// Lock order: Subprocess::mu_ is a leaf.
#ifndef PLATFORM_PTRACE_PTRACE_PLATFORM_H_
#define PLATFORM_PTRACE_PTRACE_PLATFORM_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "platform/platform.h"

namespace platform::ptrace {

// The file descriptor number of the memory file inside every stub.
inline constexpr int kStubMemoryFileFd = 3;

// The host signal Context::Interrupt sends to a stub thread.
int InterruptSignal();

namespace internal {

// Where the stub code lives: the same page in the sentry and in every stub.
struct StubLayout {
  uint64_t start;          // page-aligned address of the stub code
  uint64_t end;            // end of the stub region
  uint64_t syscall_insn;   // address of `syscall; int3`
  uint64_t clone_insn;     // address of the clone sequence for new threads
};

// Maps the stub code page into the sentry once; returns its layout.
absl::StatusOr<StubLayout> InstallStubCode();

// Forks a stub process from the calling thread, which becomes its tracer.
// The child is left stopped (SIGSTOP) in the stub, with the memory file at
// kStubMemoryFileFd and nothing else mapped. It ignores SIGCHLD, so the
// stubs forked from it (StubMaster's template) leave no zombies behind.
absl::StatusOr<pid_t> ForkStub(const StubLayout& layout, int memory_file_fd);

}  // namespace internal

// A traced thread of a stub process, owned by the sentry thread tracing it.
class StubThread {
 public:
  StubThread(pid_t tid, const abi_linux::PtRegs& initial, uint64_t syscall_insn)
      : tid_(tid), initial_(initial), syscall_insn_(syscall_insn) {}

  pid_t tid() const { return tid_; }
  // Runs one syscall in the stub thread (which must be stopped); returns the
  // raw result (negative errno on failure), or an error if the thread died.
  absl::StatusOr<int64_t> Syscall(uint64_t nr, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                                  uint64_t a4 = 0, uint64_t a5 = 0, uint64_t a6 = 0);
  // The same, entering the stub at `rip` (the clone sequence).
  absl::StatusOr<int64_t> SyscallAt(uint64_t rip, uint64_t nr, uint64_t a1 = 0, uint64_t a2 = 0,
                                    uint64_t a3 = 0, uint64_t a4 = 0, uint64_t a5 = 0,
                                    uint64_t a6 = 0);

 private:
  pid_t tid_;
  abi_linux::PtRegs initial_;
  uint64_t syscall_insn_;
};

class PtracePlatform;

// The sentry thread that forks stub processes. It traces each stub's first
// thread (the "factory"), which never runs guest code: it only clones a
// parked stub thread whenever another sentry thread needs one of its own in
// that address space (a stub thread can be driven only by its tracer).
// The master lives as long as the platform; PTRACE_O_EXITKILL ties every
// stub's life to it.
//
// New stubs are forked from a template stub, not from the sentry: forking
// the sentry copies its page tables (tens of MiB of heap), makes every page
// of its heap copy-on-write until the child has unmapped it all, and costs
// more the bigger the sentry grows; the template has one page mapped. Only
// the template itself is forked from the sentry (ForkStub). A `clone` with
// CLONE_PTRACE injected into the template gives a process that the master
// traces from its first instruction, with the template's ptrace options
// (PTRACE_O_EXITKILL included), stopped by the SIGSTOP that CLONE_PTRACE
// queues.
class StubMaster {
 public:
  StubMaster(const internal::StubLayout& layout, int memory_file_fd);
  ~StubMaster();
  StubMaster(const StubMaster&) = delete;
  StubMaster& operator=(const StubMaster&) = delete;

  absl::StatusOr<pid_t> NewStub();
  // A new thread of `stub`, untraced and parked in the stub's pause loop.
  absl::StatusOr<pid_t> CloneThread(pid_t stub);
  // Kills the stub and reaps it, on the master thread, later: the caller
  // does not wait (a process exit should not pay for a hand-off to the
  // master and back).
  void Release(pid_t stub);

 private:
  // Runs `fn` on the master thread and returns its result.
  absl::StatusOr<pid_t> Run(std::function<absl::StatusOr<pid_t>()> fn);
  // Queues `fn` to run on the master thread and returns at once.
  void Post(std::function<void()> fn);
  void Loop();
  // Reaps killed stubs whose threads are all gone.
  void ReapDead(bool block);
  // Forks a stub from the template (made on first use); master thread only.
  absl::StatusOr<pid_t> ForkFromTemplate();

  const internal::StubLayout layout_;
  const int memory_file_fd_;
  absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Factory threads by stub pid; touched only on the master thread.
  absl::flat_hash_map<pid_t, std::unique_ptr<StubThread>> factories_;
  std::vector<pid_t> dead_;  // killed, not yet reaped; master thread only
  // The stub every other stub is forked from; runs no guest code. Master
  // thread only.
  std::unique_ptr<StubThread> template_;
  std::thread thread_;
};

// A stub process: one guest address space.
class Subprocess : public AddressSpace {
 public:
  ~Subprocess() override;

  absl::Status MapFile(uint64_t addr, uint64_t len, int fd, uint64_t offset, int prot) override;
  absl::Status Protect(uint64_t addr, uint64_t len, int prot) override;
  absl::Status Unmap(uint64_t addr, uint64_t len) override;
  int64_t CpuTimeNs() const override;

  pid_t pid() const { return pid_; }
  // The stub thread traced by the calling sentry thread, created (cloned by
  // the master, then seized by the caller) on first use.
  absl::StatusOr<StubThread*> ThreadForCaller();
  // Ends the calling sentry thread's stub thread, if it has one. A sentry
  // thread must do this before it exits, or PTRACE_O_EXITKILL takes the
  // whole stub process down with it.
  void ReleaseThreadForCaller() override;

 private:
  friend class PtracePlatform;
  Subprocess(PtracePlatform& platform, pid_t pid);
  absl::StatusOr<int64_t> Syscall(uint64_t nr, uint64_t a1, uint64_t a2 = 0, uint64_t a3 = 0,
                                  uint64_t a4 = 0, uint64_t a5 = 0, uint64_t a6 = 0);

  PtracePlatform& platform_;
  const pid_t pid_;
  absl::Mutex mu_;
  // Stub threads by the host tid of the sentry thread that traces them.
  absl::flat_hash_map<pid_t, std::unique_ptr<StubThread>> threads_ ABSL_GUARDED_BY(mu_);
};

class PtraceContext : public Context {
 public:
  SwitchResult Switch(AddressSpace& as, abi_linux::PtRegs& regs) override;
  void Interrupt() override;
  absl::Status GetFpState(std::vector<uint8_t>& out) override;
  absl::Status SetFpState(const std::vector<uint8_t>& in) override;

 private:
  pid_t last_tid_ = 0;  // the stub thread of the last Switch
  // FPU state set before the first Switch (a new thread inherits its
  // creator's), applied once there is a stub thread.
  std::vector<uint8_t> pending_fp_;
  std::atomic<bool> interrupt_pending_{false};
  std::atomic<pid_t> running_tid_{0};
  std::atomic<pid_t> running_pid_{0};
};

class PtracePlatform : public Platform {
 public:
  static absl::StatusOr<std::unique_ptr<Platform>> Create(int memory_file_fd);

  std::string_view Name() const override { return "ptrace"; }
  absl::StatusOr<std::unique_ptr<AddressSpace>> NewAddressSpace() override;
  std::unique_ptr<Context> NewContext() override;
  uint64_t MinUserAddress() const override { return 0x10000; }
  uint64_t MaxUserAddress() const override { return layout_.start; }
  abi_linux::PtRegs InitialRegs() const override;

  int memory_file_fd() const { return memory_file_fd_; }
  const internal::StubLayout& layout() const { return layout_; }
  StubMaster& master() { return *master_; }
  // Puts a stub thread and the calling sentry thread on the same CPU.
  void PinPair(pid_t stub_tid);

 private:
  PtracePlatform(int memory_file_fd, internal::StubLayout layout)
      : memory_file_fd_(memory_file_fd), layout_(layout),
        master_(std::make_unique<StubMaster>(layout, memory_file_fd)) {}

  int memory_file_fd_;
  internal::StubLayout layout_;
  std::unique_ptr<StubMaster> master_;
  std::atomic<unsigned> next_cpu_{0};
};

}  // namespace platform::ptrace

#endif  // PLATFORM_PTRACE_PTRACE_PLATFORM_H_
