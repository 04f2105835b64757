// A small fluent builder for host seccomp filters over libseccomp. Every allowed call carries
// the reason it is needed; mistakes (a missing reason, an unknown or duplicated syscall, a
// dangerous syscall allowed without saying so) are reported once, by Build().
//
//   ASSIGN_OR_RETURN(SeccompProgram p,
//                    SeccompFilter()
//                        .Allow(SCMP_SYS(read), "reads requests")
//                        .AllowIf(SCMP_SYS(write), {ArgEq(0, 2)}, "logs to stderr")
//                        .AllowMalloc()
//                        .AllowExit()
//                        .Build());
//   RETURN_IF_ERROR(p.Install());  // irreversible; sets no_new_privs
//
// Self-contained on purpose (libseccomp and abseil status, nothing of ours): the gofer, the
// sentry and the stub build their filters with it.
#ifndef UTIL_SECCOMP_FILTER_H_
#define UTIL_SECCOMP_FILTER_H_

#include <seccomp.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace util {

// A condition on one syscall argument (libseccomp's scmp_arg_cmp).
struct ArgCondition {
  unsigned arg;
  scmp_compare op;
  uint64_t a;
  uint64_t b = 0;
};
inline ArgCondition ArgEq(unsigned arg, uint64_t v) { return {arg, SCMP_CMP_EQ, v}; }
// (argument & mask) == v.
inline ArgCondition ArgMaskedEq(unsigned arg, uint64_t mask, uint64_t v) {
  return {arg, SCMP_CMP_MASKED_EQ, mask, v};
}

// Tag for allowing a syscall the builder calls risky (process creation, exec, mounts, ptrace,
// path-based opens, ...): the call site has to spell out why.
struct RiskyRelaxation {
  explicit RiskyRelaxation(std::string_view why) : justification(why) {}
  std::string justification;
};

// A compiled filter, not yet loaded.
class SeccompProgram {
 public:
  SeccompProgram(SeccompProgram&&) noexcept = default;
  SeccompProgram& operator=(SeccompProgram&&) noexcept = default;
  SeccompProgram(const SeccompProgram&) = delete;
  SeccompProgram& operator=(const SeccompProgram&) = delete;

  // Loads the filter into the calling thread (and its future children). Irreversible.
  [[nodiscard]] absl::Status Install();
  // Loads the filter into every thread of the process at once (SECCOMP_FILTER_FLAG_TSYNC), for
  // a process that already runs threads. Irreversible.
  [[nodiscard]] absl::Status InstallOnAllThreads();
  // One line per rule: "<syscall>: <reason>".
  std::string Describe() const;
  size_t rule_count() const { return description_.size(); }

 private:
  friend class SeccompFilter;
  struct Release {
    void operator()(void* ctx) const { seccomp_release(ctx); }
  };
  SeccompProgram(void* ctx, std::vector<std::string> description)
      : ctx_(ctx), description_(std::move(description)) {}

  std::unique_ptr<void, Release> ctx_;
  std::vector<std::string> description_;
};

class SeccompFilter {
 public:
  // Every syscall no rule matches gets `default_action` (e.g. SCMP_ACT_KILL_PROCESS).
  explicit SeccompFilter(uint32_t default_action = SCMP_ACT_KILL_PROCESS)
      : default_action_(default_action) {}

  // Allows `nr` with any arguments. Risky syscalls need the RiskyRelaxation overload.
  SeccompFilter& Allow(int nr, std::string_view reason);
  SeccompFilter& Allow(int nr, const RiskyRelaxation& risky, std::string_view reason);
  // Allows `nr` when every condition holds. Several AllowIf rules for one syscall are OR-ed.
  SeccompFilter& AllowIf(int nr, std::initializer_list<ArgCondition> conditions,
                         std::string_view reason);
  // Makes `nr` fail with `err` instead of the default action (for calls libraries make
  // speculatively and cope with failing).
  SeccompFilter& Fail(int nr, int err, std::string_view reason);

  // Intent-named groups.
  SeccompFilter& AllowExit();          // exit, exit_group.
  SeccompFilter& AllowMalloc();        // brk, munmap, mremap, madvise, mmap without PROT_EXEC.
  SeccompFilter& AllowFutex();         // futex (mutexes, condition variables).
  SeccompFilter& AllowTime();          // clock_gettime, gettimeofday (vDSO fallbacks).
  SeccompFilter& AllowSignalReturn();  // rt_sigreturn, restart_syscall.
  SeccompFilter& AllowSelfIds();       // getpid, gettid (log lines).
  SeccompFilter& AllowWriteTo(int fd, std::string_view reason);  // write(fd, ...) only.

  // Compiles the rules. Fails, naming the first bad rule, if a reason is empty, a syscall is
  // unknown, allowed twice unconditionally (or both with and without conditions), or risky
  // without a RiskyRelaxation.
  absl::StatusOr<SeccompProgram> Build() const;

  // True for syscalls that Allow() refuses without a RiskyRelaxation.
  static bool IsRisky(int nr);

 private:
  struct Rule {
    int nr;
    uint32_t action;
    std::vector<ArgCondition> conditions;
    std::string reason;
    bool risky_ok;
  };
  SeccompFilter& Add(int nr, uint32_t action, std::vector<ArgCondition> conditions,
                     std::string_view reason, bool risky_ok);

  uint32_t default_action_;
  std::vector<Rule> rules_;
};

}  // namespace util

#endif  // UTIL_SECCOMP_FILTER_H_
