#include "util/seccomp_filter.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace util {
namespace {

std::string SyscallName(int nr) {
  char* name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
  if (name == nullptr) return absl::StrCat("syscall ", nr);
  std::string s(name);
  std::free(name);
  return s;
}

absl::Status ErrnoError(int err, const std::string& what) {
  return absl::Status(absl::ErrnoToStatusCode(err), absl::StrCat(what, ": ", std::strerror(err)));
}

}  // namespace

bool SeccompFilter::IsRisky(int nr) {
  // Calls that create processes or change what the process can reach. A filter that allows
  // one of these should say why, through RiskyRelaxation.
  static const int kRisky[] = {
      SCMP_SYS(execve),
      SCMP_SYS(execveat),
      SCMP_SYS(fork),
      SCMP_SYS(vfork),
      SCMP_SYS(clone),
      SCMP_SYS(clone3),
      SCMP_SYS(ptrace),
      SCMP_SYS(process_vm_readv),
      SCMP_SYS(process_vm_writev),
      SCMP_SYS(mount),
      SCMP_SYS(umount2),
      SCMP_SYS(pivot_root),
      SCMP_SYS(chroot),
      SCMP_SYS(unshare),
      SCMP_SYS(setns),
      SCMP_SYS(open),
      SCMP_SYS(openat),
      SCMP_SYS(open_by_handle_at),
      SCMP_SYS(bpf),
      SCMP_SYS(perf_event_open),
      SCMP_SYS(userfaultfd),
      SCMP_SYS(kexec_load),
      SCMP_SYS(kexec_file_load),
      SCMP_SYS(init_module),
      SCMP_SYS(finit_module),
      SCMP_SYS(delete_module),
      SCMP_SYS(keyctl),
      SCMP_SYS(add_key),
      SCMP_SYS(request_key),
      SCMP_SYS(mprotect),
      SCMP_SYS(mmap),
      SCMP_SYS(ioctl),
      SCMP_SYS(seccomp),
      SCMP_SYS(prctl),
      SCMP_SYS(personality),
      SCMP_SYS(kill),
      SCMP_SYS(tkill),
      SCMP_SYS(tgkill),
      SCMP_SYS(io_uring_setup),
  };
  return std::find(std::begin(kRisky), std::end(kRisky), nr) != std::end(kRisky);
}

SeccompFilter& SeccompFilter::Add(int nr, uint32_t action, std::vector<ArgCondition> conditions,
                                  std::string_view reason, bool risky_ok) {
  rules_.push_back(Rule{nr, action, std::move(conditions), std::string(reason), risky_ok});
  return *this;
}

SeccompFilter& SeccompFilter::Allow(int nr, std::string_view reason) {
  return Add(nr, SCMP_ACT_ALLOW, {}, reason, /*risky_ok=*/false);
}

SeccompFilter& SeccompFilter::Allow(int nr, const RiskyRelaxation& risky, std::string_view reason) {
  std::string why(reason);
  if (!why.empty() && !risky.justification.empty()) {
    why = absl::StrCat(why, " [risky: ", risky.justification, "]");
  } else {
    why.clear();  // Both are required; Build() reports it.
  }
  return Add(nr, SCMP_ACT_ALLOW, {}, why, /*risky_ok=*/true);
}

SeccompFilter& SeccompFilter::AllowIf(int nr, std::initializer_list<ArgCondition> conditions,
                                      std::string_view reason) {
  // A condition narrows the call, which is what makes a risky one acceptable here.
  return Add(nr, SCMP_ACT_ALLOW, std::vector<ArgCondition>(conditions), reason,
             /*risky_ok=*/conditions.size() > 0);
}

SeccompFilter& SeccompFilter::Fail(int nr, int err, std::string_view reason) {
  return Add(nr, SCMP_ACT_ERRNO(static_cast<uint16_t>(err)), {}, reason, /*risky_ok=*/true);
}

SeccompFilter& SeccompFilter::AllowExit() {
  Allow(SCMP_SYS(exit), "thread exit");
  return Allow(SCMP_SYS(exit_group), "process exit");
}

SeccompFilter& SeccompFilter::AllowMalloc() {
  Allow(SCMP_SYS(brk), "malloc: grow the heap");
  AllowIf(SCMP_SYS(mmap), {ArgMaskedEq(2, PROT_EXEC, 0)},
          "malloc: large blocks and arenas (never executable)");
  Allow(SCMP_SYS(munmap), "malloc: free large blocks");
  Allow(SCMP_SYS(mremap), "malloc: realloc of large blocks");
  return Allow(SCMP_SYS(madvise), "malloc: return freed memory");
}

SeccompFilter& SeccompFilter::AllowFutex() {
  return Allow(SCMP_SYS(futex), "mutexes and condition variables");
}

SeccompFilter& SeccompFilter::AllowTime() {
  Allow(SCMP_SYS(clock_gettime), "timestamps (vDSO fallback)");
  return Allow(SCMP_SYS(gettimeofday), "timestamps (vDSO fallback)");
}

SeccompFilter& SeccompFilter::AllowSignalReturn() {
  Allow(SCMP_SYS(rt_sigreturn), "return from a signal handler");
  return Allow(SCMP_SYS(restart_syscall), "restart a call a signal interrupted");
}

SeccompFilter& SeccompFilter::AllowSelfIds() {
  Allow(SCMP_SYS(getpid), "log lines name the process");
  return Allow(SCMP_SYS(gettid), "log lines name the thread");
}

SeccompFilter& SeccompFilter::AllowWriteTo(int fd, std::string_view reason) {
  return AllowIf(SCMP_SYS(write), {ArgEq(0, static_cast<uint64_t>(fd))}, reason);
}

absl::StatusOr<SeccompProgram> SeccompFilter::Build() const {
  // Check every rule before touching libseccomp, so the first mistake is the one reported.
  for (size_t i = 0; i < rules_.size(); ++i) {
    const Rule& r = rules_[i];
    if (r.nr < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("seccomp rule ", i, ": unknown syscall (", r.nr, ")"));
    }
    std::string name = SyscallName(r.nr);
    if (r.reason.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("seccomp rule for ", name, ": no reason"));
    }
    if (!r.risky_ok && IsRisky(r.nr)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "seccomp rule for ", name, ": risky syscall allowed without RiskyRelaxation"));
    }
    for (size_t j = 0; j < i; ++j) {
      const Rule& o = rules_[j];
      if (o.nr != r.nr) continue;
      bool both_conditional =
          !o.conditions.empty() && !r.conditions.empty() && o.action == r.action;
      if (!both_conditional) {
        return absl::InvalidArgumentError(absl::StrCat(
            "seccomp rule for ", name, ": conflicts with an earlier rule (", o.reason, ")"));
      }
    }
    if (r.conditions.size() > 6) {
      return absl::InvalidArgumentError(
          absl::StrCat("seccomp rule for ", name, ": more than 6 conditions"));
    }
  }

  SeccompProgram program(seccomp_init(default_action_), {});
  if (program.ctx_ == nullptr) return absl::InternalError("seccomp_init failed");
  void* ctx = program.ctx_.get();
  // A syscall made through another ABI (int 0x80, x32) is not what the rules describe.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  if (rc != 0) return ErrnoError(-rc, "seccomp_attr_set(ACT_BADARCH)");
  for (const Rule& r : rules_) {
    std::vector<scmp_arg_cmp> cmps;
    for (const ArgCondition& c : r.conditions) {
      cmps.push_back(scmp_arg_cmp{c.arg, c.op, c.a, c.b});
    }
    std::string name = SyscallName(r.nr);
    rc = seccomp_rule_add_exact_array(ctx, r.action, r.nr, static_cast<unsigned>(cmps.size()),
                                      cmps.empty() ? nullptr : cmps.data());
    if (rc != 0) return ErrnoError(-rc, absl::StrCat("seccomp rule for ", name));
    std::string line = absl::StrCat(name, r.conditions.empty() ? "" : " (conditional)");
    if (r.action != SCMP_ACT_ALLOW) absl::StrAppend(&line, " (fails)");
    program.description_.push_back(absl::StrCat(line, ": ", r.reason));
  }
  return program;
}

absl::Status SeccompProgram::Install() {
  if (ctx_ == nullptr) return absl::FailedPreconditionError("seccomp program moved from");
  int rc = seccomp_load(ctx_.get());
  if (rc != 0) return ErrnoError(-rc, "seccomp_load");
  return absl::OkStatus();
}

absl::Status SeccompProgram::InstallOnAllThreads() {
  if (ctx_ == nullptr) return absl::FailedPreconditionError("seccomp program moved from");
  int rc = seccomp_attr_set(ctx_.get(), SCMP_FLTATR_CTL_TSYNC, 1);
  if (rc != 0) return ErrnoError(-rc, "seccomp_attr_set(CTL_TSYNC)");
  return Install();
}

std::string SeccompProgram::Describe() const {
  std::string out;
  for (const std::string& line : description_) absl::StrAppend(&out, line, "\n");
  return out;
}

}  // namespace util
