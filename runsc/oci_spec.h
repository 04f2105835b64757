// The OCI runtime spec (config.json) as runsc uses it: parsed with every
// field checked, so a malformed bundle is refused with an error that names
// the field, and what the sandbox cannot honour is reported rather than
// silently dropped.
//
//   ASSIGN_OR_RETURN(runsc::Bundle b, runsc::LoadBundle("/path/to/bundle"));
//   b.spec.process.args ...; b.rootfs  // absolute host path of the root
#ifndef RUNSC_OCI_SPEC_H_
#define RUNSC_OCI_SPEC_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runsc/oci_seccomp.h"

namespace runsc {

struct OciRlimit {
  int resource = 0;  // RLIMIT_*
  uint64_t soft = 0, hard = 0;
};

struct OciProcess {
  bool terminal = false;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> additional_gids;
  std::optional<uint32_t> umask;
  std::vector<OciRlimit> rlimits;
  bool no_new_privileges = false;
  // Capability sets as bit masks; absent sets are empty (the spec's rule).
  uint64_t cap_bounding = 0, cap_effective = 0, cap_inheritable = 0, cap_permitted = 0,
           cap_ambient = 0;
  bool has_capabilities = false;
  std::optional<int> oom_score_adj;
};

struct OciMount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;
};

struct OciHook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds
};

struct OciHooks {
  std::vector<OciHook> prestart, create_runtime, create_container, start_container, poststart,
      poststop;
};

struct OciNamespace {
  std::string type;  // pid, network, mount, ipc, uts, user, cgroup, time
  std::string path;  // joining an existing namespace (pods)
};

struct OciResources {
  std::optional<int64_t> memory_limit;
  std::optional<int64_t> memory_swap;
  std::optional<int64_t> pids_limit;
  std::optional<uint64_t> cpu_shares;
  std::optional<int64_t> cpu_quota;
  std::optional<uint64_t> cpu_period;
  std::string cpuset_cpus, cpuset_mems;
};

struct OciSpec {
  std::string oci_version;
  OciProcess process;
  bool has_process = false;
  std::string root_path;
  bool root_readonly = false;
  std::string hostname, domainname;
  std::vector<OciMount> mounts;
  OciHooks hooks;
  std::map<std::string, std::string> annotations;
  std::vector<OciNamespace> namespaces;
  OciResources resources;
  std::string cgroups_path;
  std::map<std::string, std::string> sysctl;
  std::vector<std::string> masked_paths, readonly_paths;
  // linux.seccomp: applied to the container's processes (oci_seccomp.h).
  std::optional<OciSeccomp> seccomp;
  // Fields present that the sandbox does not apply (reported by create).
  std::vector<std::string> unsupported;
};

// Parses config.json text. Errors name the offending field
// ("process.args[1]: expected a string").
absl::StatusOr<OciSpec> ParseSpec(const std::string& json_text);

// The "process" object alone (runsc exec --process FILE).
absl::StatusOr<OciProcess> ParseProcess(const std::string& json_text);

// Parses "resources" (LinuxResources JSON, runsc update --resources).
absl::StatusOr<OciResources> ParseResources(const std::string& json_text);

struct Bundle {
  std::string dir;     // absolute
  std::string rootfs;  // absolute host path of root.path, checked to be a directory
  OciSpec spec;
  std::string config;  // config.json's text, as read
};

// Reads DIR/config.json and checks the root file system exists.
absl::StatusOr<Bundle> LoadBundle(const std::string& dir);

// A bundle LoadBundle has already read and checked (on the host), from its
// parts: what a sandbox, which opens no host path, is sent.
absl::StatusOr<Bundle> BundleFromConfig(const std::string& dir, const std::string& rootfs,
                                        const std::string& config);

// The config.json `runsc spec` writes: a runnable default like runc's.
std::string DefaultSpecJson(const std::vector<std::string>& args);

// Signal numbers from "SIGTERM", "TERM", "term" or "15"; nullopt if unknown.
std::optional<int> ParseSignal(const std::string& s);

}  // namespace runsc

#endif  // RUNSC_OCI_SPEC_H_
