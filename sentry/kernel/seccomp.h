// Seccomp filters for guests: a checker and an evaluator for the classic BPF
// programs seccomp(2) takes, and the per-thread stack of installed filters.
//
//   ASSIGN_OR_RETURN_ERRNO(seccomp::BpfProgram p, seccomp::BpfProgram::Check(insns));
//   auto f = std::make_shared<const seccomp::Filter>(std::move(p), /*log=*/false, prev);
//   uint32_t ret = seccomp::RunFilters(f.get(), data);  // the most restrictive answer
//
// The checker accepts exactly what Linux's bpf_check_classic and
// seccomp_check_filter accept (EINVAL otherwise): at most 4096 instructions,
// forward jumps that stay inside the program, seccomp's subset of opcodes,
// 32-bit loads of struct seccomp_data at aligned in-bounds offsets, scratch
// words M[0..15] read only after they were written on every path, and a RET
// last. A checked program always terminates and never reads out of bounds.
#ifndef SENTRY_KERNEL_SECCOMP_H_
#define SENTRY_KERNEL_SECCOMP_H_

#include <bitset>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "abi/linux/seccomp.h"
#include "util/errno.h"

namespace sentry::kernel::seccomp {

// Linux's MAX_INSNS_PER_PATH: the instructions of a thread's filters
// together, counting 4 more for each filter below the newest.
inline constexpr size_t kMaxInsnsPerPath = (1u << 18) / sizeof(abi_linux::SockFilter);

// A classic BPF program that passed the seccomp checker.
class BpfProgram {
 public:
  static util::ErrnoOr<BpfProgram> Check(std::span<const abi_linux::SockFilter> insns);

  // Runs the program on `data`: the filter's return value.
  uint32_t Run(const abi_linux::SeccompData& data) const;
  size_t size() const { return insns_.size(); }
  // Whether the program returns SECCOMP_RET_ALLOW for syscall `nr` on
  // x86-64 whatever the arguments and instruction pointer (the program
  // looks at nothing else on its way to that RET), as Linux's filter cache
  // works it out.
  bool AlwaysAllows(uint32_t nr) const;

 private:
  explicit BpfProgram(std::vector<abi_linux::SockFilter> insns) : insns_(std::move(insns)) {}
  std::vector<abi_linux::SockFilter> insns_;
};

// One installed filter and those installed before it (shared, never
// changed once made: threads that inherit a stack share its filters).
struct Filter {
  // Syscall numbers below this have their AlwaysAllows answer cached.
  static constexpr uint32_t kCachedNrs = 512;

  Filter(BpfProgram p, bool l, std::shared_ptr<const Filter> pr);
  BpfProgram program;
  bool log;  // SECCOMP_FILTER_FLAG_LOG
  std::shared_ptr<const Filter> prev;
  // program.AlwaysAllows(nr) for each nr < kCachedNrs: those syscalls skip
  // running this filter.
  std::bitset<kCachedNrs> always_allows;
};

// How many filters the stack ending at `f` has.
int FilterCount(const Filter* f);
// Whether `ancestor` (nullptr: the empty stack) is `f` or below it.
bool IsAncestor(const Filter* ancestor, const Filter* f);

// Runs every filter of the stack, newest first, and returns the most
// restrictive answer (lowest action, compared as signed); between equal
// actions the newest filter's answer (its data) wins.
uint32_t RunFilters(const Filter* newest, const abi_linux::SeccompData& data);

// The action part of a return value, as the kernel orders them.
inline int32_t ActionOf(uint32_t ret) {
  return static_cast<int32_t>(ret & abi_linux::kSECCOMP_RET_ACTION_FULL);
}

// Whether SECCOMP_GET_ACTION_AVAIL reports `action` (a full return value
// with data 0) as available here.
bool ActionAvailable(uint32_t action);

}  // namespace sentry::kernel::seccomp

#endif  // SENTRY_KERNEL_SECCOMP_H_
