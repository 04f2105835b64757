// A container's record under --root, and the control socket through which
// runsc commands reach its sandbox.
//
//   <root>/<id>/state.json    the record (ContainerState), written by create
//   <root>/<id>/control.sock  the sandbox's control socket (SOCK_SEQPACKET)
//
// A request is one JSON object in one packet, with host fds attached
// (SCM_RIGHTS) when it carries stdio; the sandbox answers with one JSON
// object ({"error": "..."} on failure). `exec` and `wait` keep the
// connection open: a second packet carries the exit status.
#ifndef RUNSC_CONTAINER_H_
#define RUNSC_CONTAINER_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "util/unique_fd.h"

namespace runsc {

struct ContainerState {
  std::string id;
  std::string bundle;
  std::string rootfs;
  int pid = 0;             // the sandbox process (the pid file's)
  uint64_t pid_start = 0;  // its start time in clock ticks, against pid reuse
  std::string created;     // RFC 3339
  std::string owner;
  std::string cgroups_path;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> cgroup_dirs;  // host cgroup directories made for it
  // A container of a Kubernetes pod runs in its pod's sandbox (this is the
  // sandbox container's id); its pid is then the process that waits for it.
  std::string sandbox_id;
};

// Checks an id is a safe single path component ([A-Za-z0-9_.+-], no dots only).
absl::Status ValidateId(const std::string& id);

std::string ContainerDir(const std::string& root, const std::string& id);
std::string ControlSocketPath(const std::string& root, const std::string& id);

absl::Status SaveState(const std::string& root, const ContainerState& st);
// NotFound "container ID does not exist" when there is no record.
absl::StatusOr<ContainerState> LoadState(const std::string& root, const std::string& id);
std::vector<std::string> ListContainers(const std::string& root);

// The start time (field 22 of /proc/PID/stat) of a live process, 0 if none.
uint64_t ProcessStartTime(pid_t pid);
// Whether the record's sandbox process is still the one it started.
bool SandboxAlive(const ContainerState& st);

// "created", "running", "paused" (asked of the sandbox) or "stopped".
std::string ContainerStatus(const std::string& root, const ContainerState& st);

// The control protocol's framing.
absl::Status SendMessage(int fd, const nlohmann::json& msg, const std::vector<int>& fds = {});
// Receives one message; `fds` gets any attached fds. NotFound on EOF.
absl::StatusOr<nlohmann::json> RecvMessage(int fd, std::vector<util::UniqueFd>* fds = nullptr);

// Connects to a container's control socket.
absl::StatusOr<util::UniqueFd> ConnectControl(const std::string& root, const std::string& id);
// A request about a container, sent to its sandbox (its own, or its pod's
// with "container" naming it).
absl::StatusOr<nlohmann::json> ContainerCall(const std::string& root, const ContainerState& st,
                                             nlohmann::json req,
                                             const std::vector<int>& fds = {});
absl::StatusOr<util::UniqueFd> ConnectContainer(const std::string& root, const ContainerState& st,
                                                nlohmann::json* req);
// One request and its answer; an {"error"} answer becomes an error status.
absl::StatusOr<nlohmann::json> ControlCall(const std::string& root, const std::string& id,
                                           const nlohmann::json& req,
                                           const std::vector<int>& fds = {});

}  // namespace runsc

#endif  // RUNSC_CONTAINER_H_
