#include "runsc/container.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "util/status_macros.h"

namespace runsc {

using json = nlohmann::json;

absl::Status ValidateId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("container id must not be empty");
  if (id == "." || id == ".." || id.size() > 1024) {
    return absl::InvalidArgumentError("invalid container id \"" + id + "\"");
  }
  for (char c : id) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
          c == '+')) {
      return absl::InvalidArgumentError("invalid container id \"" + id + "\"");
    }
  }
  return absl::OkStatus();
}

std::string ContainerDir(const std::string& root, const std::string& id) {
  return root + "/" + id;
}

std::string ControlSocketPath(const std::string& root, const std::string& id) {
  return ContainerDir(root, id) + "/control.sock";
}

absl::Status SaveState(const std::string& root, const ContainerState& st) {
  json j = {{"id", st.id},
            {"bundle", st.bundle},
            {"rootfs", st.rootfs},
            {"pid", st.pid},
            {"pid_start", st.pid_start},
            {"created", st.created},
            {"owner", st.owner},
            {"cgroups_path", st.cgroups_path},
            {"annotations", st.annotations},
            {"cgroup_dirs", st.cgroup_dirs},
            {"sandbox_id", st.sandbox_id}};
  std::string dir = ContainerDir(root, st.id);
  std::string tmp = dir + "/state.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out) return absl::InternalError("cannot write " + tmp);
  }
  if (rename(tmp.c_str(), (dir + "/state.json").c_str()) != 0) {
    return absl::InternalError("cannot write " + dir + "/state.json: " + strerror(errno));
  }
  return absl::OkStatus();
}

absl::StatusOr<ContainerState> LoadState(const std::string& root, const std::string& id) {
  RETURN_IF_ERROR(ValidateId(id));
  std::ifstream in(ContainerDir(root, id) + "/state.json");
  if (!in) return absl::NotFoundError("container \"" + id + "\" does not exist");
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError("container \"" + id + "\": state file is corrupt");
  }
  ContainerState st;
  st.id = j.value("id", id);
  st.bundle = j.value("bundle", "");
  st.rootfs = j.value("rootfs", "");
  st.pid = j.value("pid", 0);
  st.pid_start = j.value("pid_start", uint64_t{0});
  st.created = j.value("created", "");
  st.owner = j.value("owner", "");
  st.cgroups_path = j.value("cgroups_path", "");
  st.annotations = j.value("annotations", std::map<std::string, std::string>{});
  st.cgroup_dirs = j.value("cgroup_dirs", std::vector<std::string>{});
  st.sandbox_id = j.value("sandbox_id", "");
  return st;
}

std::vector<std::string> ListContainers(const std::string& root) {
  std::vector<std::string> ids;
  DIR* d = opendir(root.c_str());
  if (d == nullptr) return ids;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (stat((root + "/" + name + "/state.json").c_str(), &st) == 0) ids.push_back(name);
  }
  closedir(d);
  std::sort(ids.begin(), ids.end());
  return ids;
}

uint64_t ProcessStartTime(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  // comm may hold spaces and parentheses: the fields start after the last ')'.
  size_t close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::vector<std::string> fields = absl::StrSplit(line.substr(close + 2), ' ');
  // fields[0] is field 3 (state); starttime is field 22.
  if (fields.size() < 20) return 0;
  if (fields[0] == "Z" || fields[0] == "X") return 0;  // dead, waiting to be reaped
  uint64_t start = 0;
  if (!absl::SimpleAtoi(fields[19], &start)) return 0;
  return start;
}

bool SandboxAlive(const ContainerState& st) {
  return st.pid > 0 && ProcessStartTime(st.pid) == st.pid_start && st.pid_start != 0;
}

std::string ContainerStatus(const std::string& root, const ContainerState& st) {
  if (!SandboxAlive(st)) return "stopped";
  auto r = ContainerCall(root, st, {{"cmd", "status"}});
  if (!r.ok()) return "stopped";
  return r->value("status", "stopped");
}

absl::Status SendMessage(int fd, const json& msg, const std::vector<int>& fds) {
  std::string data = msg.dump();
  iovec iov{data.data(), data.size()};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.resize(CMSG_SPACE(sizeof(int) * fds.size()));
    mh.msg_control = control.data();
    mh.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  while (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0) {
    if (errno != EINTR) return util::LastErrnoStatus("send to the sandbox");
  }
  return absl::OkStatus();
}

absl::StatusOr<json> RecvMessage(int fd, std::vector<util::UniqueFd>* fds) {
  std::string buf(1 << 20, '\0');
  iovec iov{buf.data(), buf.size()};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 16)];
  mh.msg_control = control;
  mh.msg_controllen = sizeof(control);
  ssize_t n;
  while ((n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC)) < 0) {
    if (errno != EINTR) return util::LastErrnoStatus("receive from the control socket");
  }
  for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c != nullptr; c = CMSG_NXTHDR(&mh, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int f;
      memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (fds != nullptr) {
        fds->emplace_back(f);
      } else {
        close(f);
      }
    }
  }
  if (n == 0) return absl::NotFoundError("the sandbox hung up");
  json j = json::parse(buf.substr(0, static_cast<size_t>(n)), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::DataLossError("malformed control message");
  }
  return j;
}

absl::StatusOr<util::UniqueFd> ConnectControl(const std::string& root, const std::string& id) {
  util::UniqueFd fd(socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return util::LastErrnoStatus("socket");
  std::string path = ControlSocketPath(root, id);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  // Long --root paths: connect through /proc/self/fd of the directory.
  util::UniqueFd dirfd;
  if (path.size() >= sizeof(addr.sun_path)) {
    dirfd = util::UniqueFd(open(ContainerDir(root, id).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dirfd.valid()) return util::LastErrnoStatus("open " + ContainerDir(root, id));
    path = "/proc/self/fd/" + std::to_string(dirfd.get()) + "/control.sock";
  }
  strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return absl::UnavailableError("container \"" + id + "\" is not running (its sandbox is gone)");
  }
  return fd;
}

absl::StatusOr<util::UniqueFd> ConnectContainer(const std::string& root, const ContainerState& st,
                                                json* req) {
  if (st.sandbox_id.empty()) return ConnectControl(root, st.id);
  (*req)["container"] = st.id;
  return ConnectControl(root, st.sandbox_id);
}

absl::StatusOr<json> ContainerCall(const std::string& root, const ContainerState& st, json req,
                                   const std::vector<int>& fds) {
  if (st.sandbox_id.empty()) return ControlCall(root, st.id, req, fds);
  req["container"] = st.id;
  return ControlCall(root, st.sandbox_id, req, fds);
}

absl::StatusOr<json> ControlCall(const std::string& root, const std::string& id,
                                 const json& req, const std::vector<int>& fds) {
  ASSIGN_OR_RETURN(util::UniqueFd fd, ConnectControl(root, id));
  RETURN_IF_ERROR(SendMessage(fd.get(), req, fds));
  ASSIGN_OR_RETURN(json reply, RecvMessage(fd.get()));
  if (reply.contains("error")) {
    return absl::FailedPreconditionError(reply["error"].get<std::string>());
  }
  return reply;
}

}  // namespace runsc
