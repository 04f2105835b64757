// The sandbox's host cgroup: the container's linux.resources (memory, pids,
// cpu) applied to the sandbox process and everything it starts (the
// sentry's threads and the gofers), on cgroup v2 or on v1 controllers.
#ifndef RUNSC_CGROUP_H_
#define RUNSC_CGROUP_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runsc/oci_spec.h"

namespace runsc {

// The cgroup path for a container: linux.cgroupsPath ("/a/b", or with
// --systemd-cgroup "slice:prefix:name"), "/runsc/ID" when empty.
std::string CgroupPathFor(const std::string& cgroups_path, const std::string& id, bool systemd);

// Makes the cgroup directories, applies `r`, and moves `pid` in. Answers
// the directories made (to remove at delete).
absl::StatusOr<std::vector<std::string>> JoinCgroup(const std::string& path, pid_t pid,
                                                    const OciResources& r);
// Applies `r` to directories made by JoinCgroup (runsc update).
absl::Status ApplyResources(const std::vector<std::string>& dirs, const OciResources& r);
// Removes the directories (deepest first); the processes must be gone.
void RemoveCgroup(const std::vector<std::string>& dirs);

// cgroup v2's cpu.weight for v1 cpu shares: the conversion runc and crun
// use (2 → 1, 1024 → 39, 262144 → 10000).
uint64_t CpuWeightForShares(uint64_t shares);

// Memory use and pid count for `runsc events --stats`.
struct CgroupStats {
  uint64_t memory_usage = 0, memory_limit = 0;
  uint64_t pids_current = 0, pids_limit = 0;
  uint64_t cpu_usage_ns = 0;
};
CgroupStats ReadCgroupStats(const std::vector<std::string>& dirs);

}  // namespace runsc

#endif  // RUNSC_CGROUP_H_
