// An OCI config's linux.seccomp profile: parsed, compiled with libseccomp
// into a classic BPF program for x86-64 (on the host, before the sandbox is
// hardened, or by runsc create for a pod's container), and turned into the
// filter the sentry installs on the container's processes, as runc installs
// it: after their credentials are set, before they run.
//
//   ASSIGN_OR_RETURN(std::vector<abi_linux::SockFilter> bpf, CompileSeccomp(*spec.seccomp));
//   ASSIGN_OR_RETURN(pa.seccomp_filter, GuestSeccompFilter(bpf, *spec.seccomp));
//
// Like runc: syscall names libseccomp does not know are skipped, a rule
// whose action is the default action is dropped, and a rule naming one
// argument twice becomes one rule per condition (OR) instead of one with
// all of them (AND). SCMP_ACT_NOTIFY is refused: the sandbox has no seccomp
// user notification, so no listener could ever answer.
#ifndef RUNSC_OCI_SECCOMP_H_
#define RUNSC_OCI_SECCOMP_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "abi/linux/seccomp.h"
#include "absl/status/statusor.h"
#include "nlohmann/json_fwd.hpp"
#include "sentry/kernel/seccomp.h"

namespace runsc {

struct OciSeccompArg {
  unsigned index = 0;
  uint64_t value = 0, value_two = 0;
  std::string op;  // SCMP_CMP_*
};

struct OciSeccompRule {
  std::vector<std::string> names;
  std::string action;  // SCMP_ACT_*
  std::optional<uint32_t> errno_ret;
  std::vector<OciSeccompArg> args;
};

struct OciSeccomp {
  std::string default_action;  // SCMP_ACT_*
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;  // SCMP_ARCH_*
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::vector<OciSeccompRule> syscalls;
};

// Parses linux.seccomp (`field` names it in errors), checking action,
// operator, architecture and flag names.
absl::StatusOr<OciSeccomp> ParseSeccomp(const nlohmann::json& j, const std::string& field);

// Compiles the profile for x86-64. Host syscalls (libseccomp, a memfd):
// not for a hardened sentry.
absl::StatusOr<std::vector<abi_linux::SockFilter>> CompileSeccomp(const OciSeccomp& profile);

// The filter the sentry runs a container's processes under, from a
// compiled program (checked as seccomp(2) checks a guest's).
absl::StatusOr<std::shared_ptr<const sentry::kernel::seccomp::Filter>> GuestSeccompFilter(
    const std::vector<abi_linux::SockFilter>& bpf, const OciSeccomp& profile);

// A compiled program as text for the control socket, and back.
std::string EncodeBpf(const std::vector<abi_linux::SockFilter>& bpf);
absl::StatusOr<std::vector<abi_linux::SockFilter>> DecodeBpf(const std::string& text);

}  // namespace runsc

#endif  // RUNSC_OCI_SECCOMP_H_
