#include "runsc/oci_spec.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace runsc {

namespace {

using json = nlohmann::json;

absl::Status FieldError(const std::string& field, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("config.json: ", field, ": ", what));
}

// Typed getters: a missing optional field is fine, a field of the wrong
// type is an error naming it.
absl::Status GetString(const json& obj, const char* key, const std::string& field,
                       std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return FieldError(field, "expected a string");
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status GetBool(const json& obj, const char* key, const std::string& field, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_boolean()) return FieldError(field, "expected true or false");
  *out = it->get<bool>();
  return absl::OkStatus();
}

template <typename T>
absl::Status GetInt(const json& obj, const char* key, const std::string& field,
                    std::optional<T>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_number_integer()) return FieldError(field, "expected an integer");
  if (std::is_unsigned_v<T> && it->is_number_integer() && !it->is_number_unsigned() &&
      it->get<int64_t>() < 0) {
    return FieldError(field, "must not be negative");
  }
  *out = it->get<T>();
  return absl::OkStatus();
}

absl::Status GetStrings(const json& obj, const char* key, const std::string& field,
                        std::vector<std::string>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_array()) return FieldError(field, "expected an array of strings");
  out->clear();
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return FieldError(absl::StrCat(field, "[", i, "]"), "expected a string");
    }
    out->push_back((*it)[i].get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status CheckObject(const json& j, const std::string& field) {
  if (!j.is_object()) return FieldError(field, "expected an object");
  return absl::OkStatus();
}

#define RETURN_IF_ERROR_SPEC(expr)   \
  do {                               \
    absl::Status s_ = (expr);        \
    if (!s_.ok()) return s_;         \
  } while (0)

struct NamedNumber {
  const char* name;
  int value;
};

constexpr NamedNumber kRlimits[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},       {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},     {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},   {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},   {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO}, {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

constexpr const char* kCapabilities[] = {
    "CAP_CHOWN",          "CAP_DAC_OVERRIDE",  "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",         "CAP_KILL",          "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",        "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",      "CAP_NET_RAW",       "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",     "CAP_SYS_RAWIO",     "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",      "CAP_SYS_ADMIN",     "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",   "CAP_SYS_TIME",      "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",          "CAP_AUDIT_WRITE",   "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",   "CAP_MAC_ADMIN",     "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",  "CAP_AUDIT_READ",    "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

absl::Status ParseCapSet(const json& caps, const char* key, const std::string& field,
                         uint64_t* out) {
  std::vector<std::string> names;
  RETURN_IF_ERROR_SPEC(GetStrings(caps, key, field, &names));
  for (size_t i = 0; i < names.size(); ++i) {
    std::string n = absl::AsciiStrToUpper(names[i]);
    if (n.rfind("CAP_", 0) != 0) n = "CAP_" + n;
    bool found = false;
    for (size_t c = 0; c < std::size(kCapabilities); ++c) {
      if (n == kCapabilities[c]) {
        *out |= uint64_t{1} << c;
        found = true;
      }
    }
    if (!found) {
      return FieldError(absl::StrCat(field, "[", i, "]"), "unknown capability " + names[i]);
    }
  }
  return absl::OkStatus();
}

absl::Status ParseProcessJson(const json& p, const std::string& f, OciProcess* out) {
  RETURN_IF_ERROR_SPEC(CheckObject(p, f));
  RETURN_IF_ERROR_SPEC(GetBool(p, "terminal", f + ".terminal", &out->terminal));
  RETURN_IF_ERROR_SPEC(GetStrings(p, "args", f + ".args", &out->args));
  if (out->args.empty()) return FieldError(f + ".args", "must name the program to run");
  RETURN_IF_ERROR_SPEC(GetStrings(p, "env", f + ".env", &out->env));
  RETURN_IF_ERROR_SPEC(GetString(p, "cwd", f + ".cwd", &out->cwd));
  if (out->cwd.empty() || out->cwd[0] != '/') {
    return FieldError(f + ".cwd", "must be an absolute path, not \"" + out->cwd + "\"");
  }
  if (auto u = p.find("user"); u != p.end() && !u->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*u, f + ".user"));
    std::optional<uint32_t> uid, gid, umask;
    RETURN_IF_ERROR_SPEC(GetInt(*u, "uid", f + ".user.uid", &uid));
    RETURN_IF_ERROR_SPEC(GetInt(*u, "gid", f + ".user.gid", &gid));
    RETURN_IF_ERROR_SPEC(GetInt(*u, "umask", f + ".user.umask", &umask));
    out->uid = uid.value_or(0);
    out->gid = gid.value_or(0);
    out->umask = umask;
    if (auto g = u->find("additionalGids"); g != u->end() && !g->is_null()) {
      if (!g->is_array()) return FieldError(f + ".user.additionalGids", "expected an array");
      for (size_t i = 0; i < g->size(); ++i) {
        if (!(*g)[i].is_number_unsigned()) {
          return FieldError(absl::StrCat(f, ".user.additionalGids[", i, "]"),
                            "expected a group id");
        }
        out->additional_gids.push_back((*g)[i].get<uint32_t>());
      }
    }
    std::string username;
    RETURN_IF_ERROR_SPEC(GetString(*u, "username", f + ".user.username", &username));
  }
  if (auto r = p.find("rlimits"); r != p.end() && !r->is_null()) {
    if (!r->is_array()) return FieldError(f + ".rlimits", "expected an array");
    for (size_t i = 0; i < r->size(); ++i) {
      std::string rf = absl::StrCat(f, ".rlimits[", i, "]");
      const json& e = (*r)[i];
      RETURN_IF_ERROR_SPEC(CheckObject(e, rf));
      std::string type;
      std::optional<uint64_t> soft, hard;
      RETURN_IF_ERROR_SPEC(GetString(e, "type", rf + ".type", &type));
      RETURN_IF_ERROR_SPEC(GetInt(e, "soft", rf + ".soft", &soft));
      RETURN_IF_ERROR_SPEC(GetInt(e, "hard", rf + ".hard", &hard));
      OciRlimit lim;
      bool found = false;
      for (const auto& n : kRlimits) {
        if (type == n.name) {
          lim.resource = n.value;
          found = true;
        }
      }
      if (!found) return FieldError(rf + ".type", "unknown resource limit \"" + type + "\"");
      if (!soft || !hard) return FieldError(rf, "needs soft and hard");
      if (*soft > *hard) return FieldError(rf, "soft limit above the hard limit");
      lim.soft = *soft;
      lim.hard = *hard;
      out->rlimits.push_back(lim);
    }
  }
  RETURN_IF_ERROR_SPEC(
      GetBool(p, "noNewPrivileges", f + ".noNewPrivileges", &out->no_new_privileges));
  if (auto c = p.find("capabilities"); c != p.end() && !c->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*c, f + ".capabilities"));
    out->has_capabilities = true;
    std::string cf = f + ".capabilities.";
    RETURN_IF_ERROR_SPEC(ParseCapSet(*c, "bounding", cf + "bounding", &out->cap_bounding));
    RETURN_IF_ERROR_SPEC(ParseCapSet(*c, "effective", cf + "effective", &out->cap_effective));
    RETURN_IF_ERROR_SPEC(
        ParseCapSet(*c, "inheritable", cf + "inheritable", &out->cap_inheritable));
    RETURN_IF_ERROR_SPEC(ParseCapSet(*c, "permitted", cf + "permitted", &out->cap_permitted));
    RETURN_IF_ERROR_SPEC(ParseCapSet(*c, "ambient", cf + "ambient", &out->cap_ambient));
  }
  std::optional<int> oom;
  RETURN_IF_ERROR_SPEC(GetInt(p, "oomScoreAdj", f + ".oomScoreAdj", &oom));
  out->oom_score_adj = oom;
  return absl::OkStatus();
}

absl::Status ParseResourcesJson(const json& r, const std::string& f, OciResources* out) {
  RETURN_IF_ERROR_SPEC(CheckObject(r, f));
  if (auto m = r.find("memory"); m != r.end() && !m->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*m, f + ".memory"));
    RETURN_IF_ERROR_SPEC(GetInt(*m, "limit", f + ".memory.limit", &out->memory_limit));
    RETURN_IF_ERROR_SPEC(GetInt(*m, "swap", f + ".memory.swap", &out->memory_swap));
  }
  if (auto p = r.find("pids"); p != r.end() && !p->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*p, f + ".pids"));
    RETURN_IF_ERROR_SPEC(GetInt(*p, "limit", f + ".pids.limit", &out->pids_limit));
  }
  if (auto c = r.find("cpu"); c != r.end() && !c->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*c, f + ".cpu"));
    RETURN_IF_ERROR_SPEC(GetInt(*c, "shares", f + ".cpu.shares", &out->cpu_shares));
    RETURN_IF_ERROR_SPEC(GetInt(*c, "quota", f + ".cpu.quota", &out->cpu_quota));
    RETURN_IF_ERROR_SPEC(GetInt(*c, "period", f + ".cpu.period", &out->cpu_period));
    RETURN_IF_ERROR_SPEC(GetString(*c, "cpus", f + ".cpu.cpus", &out->cpuset_cpus));
    RETURN_IF_ERROR_SPEC(GetString(*c, "mems", f + ".cpu.mems", &out->cpuset_mems));
  }
  return absl::OkStatus();
}

absl::Status ParseHooks(const json& h, const char* key, const std::string& f,
                        std::vector<OciHook>* out) {
  auto it = h.find(key);
  if (it == h.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_array()) return FieldError(f, "expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    std::string hf = absl::StrCat(f, "[", i, "]");
    const json& e = (*it)[i];
    RETURN_IF_ERROR_SPEC(CheckObject(e, hf));
    OciHook hook;
    RETURN_IF_ERROR_SPEC(GetString(e, "path", hf + ".path", &hook.path));
    if (hook.path.empty() || hook.path[0] != '/') {
      return FieldError(hf + ".path", "must be an absolute path");
    }
    RETURN_IF_ERROR_SPEC(GetStrings(e, "args", hf + ".args", &hook.args));
    RETURN_IF_ERROR_SPEC(GetStrings(e, "env", hf + ".env", &hook.env));
    std::optional<int> timeout;
    RETURN_IF_ERROR_SPEC(GetInt(e, "timeout", hf + ".timeout", &timeout));
    if (timeout && *timeout <= 0) return FieldError(hf + ".timeout", "must be positive");
    hook.timeout = timeout;
    out->push_back(std::move(hook));
  }
  return absl::OkStatus();
}

absl::StatusOr<json> ParseJson(const std::string& text, const std::string& what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError(what + " is not valid JSON");
  return j;
}

}  // namespace

absl::StatusOr<OciProcess> ParseProcess(const std::string& json_text) {
  auto j = ParseJson(json_text, "the process file");
  if (!j.ok()) return j.status();
  OciProcess p;
  RETURN_IF_ERROR_SPEC(ParseProcessJson(*j, "process", &p));
  return p;
}

absl::StatusOr<OciResources> ParseResources(const std::string& json_text) {
  auto j = ParseJson(json_text, "the resources");
  if (!j.ok()) return j.status();
  OciResources r;
  RETURN_IF_ERROR_SPEC(ParseResourcesJson(*j, "resources", &r));
  return r;
}

absl::StatusOr<OciSpec> ParseSpec(const std::string& json_text) {
  auto parsed = ParseJson(json_text, "config.json");
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  RETURN_IF_ERROR_SPEC(CheckObject(j, "(top level)"));
  OciSpec s;
  RETURN_IF_ERROR_SPEC(GetString(j, "ociVersion", "ociVersion", &s.oci_version));
  if (s.oci_version.empty()) return FieldError("ociVersion", "missing");
  if (s.oci_version[0] != '1') {
    return FieldError("ociVersion", "unsupported version " + s.oci_version);
  }
  if (auto p = j.find("process"); p != j.end() && !p->is_null()) {
    RETURN_IF_ERROR_SPEC(ParseProcessJson(*p, "process", &s.process));
    s.has_process = true;
  }
  auto root = j.find("root");
  if (root == j.end() || root->is_null()) return FieldError("root", "missing");
  RETURN_IF_ERROR_SPEC(CheckObject(*root, "root"));
  RETURN_IF_ERROR_SPEC(GetString(*root, "path", "root.path", &s.root_path));
  if (s.root_path.empty()) return FieldError("root.path", "missing");
  RETURN_IF_ERROR_SPEC(GetBool(*root, "readonly", "root.readonly", &s.root_readonly));
  RETURN_IF_ERROR_SPEC(GetString(j, "hostname", "hostname", &s.hostname));
  RETURN_IF_ERROR_SPEC(GetString(j, "domainname", "domainname", &s.domainname));
  if (auto m = j.find("mounts"); m != j.end() && !m->is_null()) {
    if (!m->is_array()) return FieldError("mounts", "expected an array");
    for (size_t i = 0; i < m->size(); ++i) {
      std::string mf = absl::StrCat("mounts[", i, "]");
      const json& e = (*m)[i];
      RETURN_IF_ERROR_SPEC(CheckObject(e, mf));
      OciMount mount;
      RETURN_IF_ERROR_SPEC(GetString(e, "destination", mf + ".destination", &mount.destination));
      if (mount.destination.empty() || mount.destination[0] != '/') {
        return FieldError(mf + ".destination", "must be an absolute path");
      }
      RETURN_IF_ERROR_SPEC(GetString(e, "type", mf + ".type", &mount.type));
      RETURN_IF_ERROR_SPEC(GetString(e, "source", mf + ".source", &mount.source));
      RETURN_IF_ERROR_SPEC(GetStrings(e, "options", mf + ".options", &mount.options));
      s.mounts.push_back(std::move(mount));
    }
  }
  if (auto h = j.find("hooks"); h != j.end() && !h->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*h, "hooks"));
    RETURN_IF_ERROR_SPEC(ParseHooks(*h, "prestart", "hooks.prestart", &s.hooks.prestart));
    RETURN_IF_ERROR_SPEC(
        ParseHooks(*h, "createRuntime", "hooks.createRuntime", &s.hooks.create_runtime));
    RETURN_IF_ERROR_SPEC(
        ParseHooks(*h, "createContainer", "hooks.createContainer", &s.hooks.create_container));
    RETURN_IF_ERROR_SPEC(
        ParseHooks(*h, "startContainer", "hooks.startContainer", &s.hooks.start_container));
    RETURN_IF_ERROR_SPEC(ParseHooks(*h, "poststart", "hooks.poststart", &s.hooks.poststart));
    RETURN_IF_ERROR_SPEC(ParseHooks(*h, "poststop", "hooks.poststop", &s.hooks.poststop));
  }
  if (auto a = j.find("annotations"); a != j.end() && !a->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*a, "annotations"));
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (!it.value().is_string()) {
        return FieldError("annotations." + it.key(), "expected a string");
      }
      s.annotations[it.key()] = it.value().get<std::string>();
    }
  }
  if (auto l = j.find("linux"); l != j.end() && !l->is_null()) {
    RETURN_IF_ERROR_SPEC(CheckObject(*l, "linux"));
    if (auto n = l->find("namespaces"); n != l->end() && !n->is_null()) {
      if (!n->is_array()) return FieldError("linux.namespaces", "expected an array");
      static const char* kTypes[] = {"pid",  "network", "mount",  "ipc",
                                     "uts",  "user",    "cgroup", "time"};
      for (size_t i = 0; i < n->size(); ++i) {
        std::string nf = absl::StrCat("linux.namespaces[", i, "]");
        RETURN_IF_ERROR_SPEC(CheckObject((*n)[i], nf));
        OciNamespace ns;
        RETURN_IF_ERROR_SPEC(GetString((*n)[i], "type", nf + ".type", &ns.type));
        RETURN_IF_ERROR_SPEC(GetString((*n)[i], "path", nf + ".path", &ns.path));
        if (std::find_if(std::begin(kTypes), std::end(kTypes), [&](const char* t) {
              return ns.type == t;
            }) == std::end(kTypes)) {
          return FieldError(nf + ".type", "unknown namespace type \"" + ns.type + "\"");
        }
        s.namespaces.push_back(std::move(ns));
      }
    }
    if (auto r = l->find("resources"); r != l->end() && !r->is_null()) {
      RETURN_IF_ERROR_SPEC(ParseResourcesJson(*r, "linux.resources", &s.resources));
    }
    RETURN_IF_ERROR_SPEC(GetString(*l, "cgroupsPath", "linux.cgroupsPath", &s.cgroups_path));
    if (auto sc = l->find("sysctl"); sc != l->end() && !sc->is_null()) {
      RETURN_IF_ERROR_SPEC(CheckObject(*sc, "linux.sysctl"));
      for (auto it = sc->begin(); it != sc->end(); ++it) {
        if (!it.value().is_string()) {
          return FieldError("linux.sysctl." + it.key(), "expected a string");
        }
        s.sysctl[it.key()] = it.value().get<std::string>();
      }
    }
    RETURN_IF_ERROR_SPEC(GetStrings(*l, "maskedPaths", "linux.maskedPaths", &s.masked_paths));
    RETURN_IF_ERROR_SPEC(
        GetStrings(*l, "readonlyPaths", "linux.readonlyPaths", &s.readonly_paths));
    // The guest's filter: the sentry runs it on the container's syscalls.
    if (auto sc = l->find("seccomp"); sc != l->end() && !sc->is_null()) {
      auto profile = ParseSeccomp(*sc, "linux.seccomp");
      if (!profile.ok()) return profile.status();
      s.seccomp = *std::move(profile);
    }
    if (l->contains("uidMappings") && !(*l)["uidMappings"].empty()) {
      s.unsupported.push_back("linux.uidMappings");
    }
  }
  return s;
}

absl::StatusOr<Bundle> LoadBundle(const std::string& dir) {
  Bundle b;
  char* real = realpath(dir.c_str(), nullptr);
  if (real == nullptr) {
    return absl::NotFoundError("bundle " + dir + " does not exist");
  }
  b.dir = real;
  free(real);
  std::ifstream in(b.dir + "/config.json");
  if (!in) return absl::NotFoundError("bundle " + b.dir + " has no config.json");
  std::stringstream ss;
  ss << in.rdbuf();
  b.config = ss.str();
  auto spec = ParseSpec(b.config);
  if (!spec.ok()) return spec.status();
  b.spec = *std::move(spec);
  if (!b.spec.has_process) return FieldError("process", "missing");
  std::string root =
      b.spec.root_path[0] == '/' ? b.spec.root_path : b.dir + "/" + b.spec.root_path;
  struct stat st;
  if (stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::NotFoundError("root file system " + root + " is not a directory");
  }
  real = realpath(root.c_str(), nullptr);
  b.rootfs = real ? real : root;
  free(real);
  return b;
}

absl::StatusOr<Bundle> BundleFromConfig(const std::string& dir, const std::string& rootfs,
                                        const std::string& config) {
  Bundle b;
  b.dir = dir;
  b.rootfs = rootfs;
  b.config = config;
  auto spec = ParseSpec(config);
  if (!spec.ok()) return spec.status();
  b.spec = *std::move(spec);
  if (!b.spec.has_process) return FieldError("process", "missing");
  return b;
}

std::string DefaultSpecJson(const std::vector<std::string>& args) {
  json caps = json::array({"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"});
  json spec = {
      {"ociVersion", "1.0.2"},
      {"process",
       {{"terminal", false},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", args.empty() ? std::vector<std::string>{"sh"} : args},
        {"env", {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                 "TERM=xterm"}},
        {"cwd", "/"},
        {"capabilities",
         {{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}}},
        {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
        {"noNewPrivileges", true}}},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "runsc"},
      {"mounts",
       json::array({{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
                    {{"destination", "/dev"},
                     {"type", "tmpfs"},
                     {"source", "tmpfs"},
                     {"options", {"nosuid", "strictatime", "mode=755", "size=65536k"}}},
                    {{"destination", "/dev/mqueue"},
                     {"type", "mqueue"},
                     {"source", "mqueue"},
                     {"options", {"nosuid", "noexec", "nodev"}}},
                    {{"destination", "/sys"},
                     {"type", "sysfs"},
                     {"source", "sysfs"},
                     {"options", {"nosuid", "noexec", "nodev", "ro"}}},
                    {{"destination", "/sys/fs/cgroup"},
                     {"type", "cgroup"},
                     {"source", "cgroup"},
                     {"options", {"nosuid", "noexec", "nodev", "relatime", "ro"}}}})},
      {"linux",
       {{"namespaces", json::array({{{"type", "pid"}},
                                    {{"type", "network"}},
                                    {{"type", "ipc"}},
                                    {{"type", "uts"}},
                                    {{"type", "mount"}}})},
        {"maskedPaths", {"/proc/kcore", "/proc/keys", "/proc/timer_list"}},
        {"readonlyPaths", {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys"}}}}};
  return spec.dump(2) + "\n";
}

std::optional<int> ParseSignal(const std::string& s) {
  int n = 0;
  if (absl::SimpleAtoi(s, &n)) {
    if (n > 0 && n < 65) return n;
    return std::nullopt;
  }
  std::string name = absl::AsciiStrToUpper(s);
  if (name.rfind("SIG", 0) == 0) name = name.substr(3);
  static const NamedNumber kSignals[] = {
      {"HUP", SIGHUP},   {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
      {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},   {"IOT", SIGIOT},   {"BUS", SIGBUS},
      {"FPE", SIGFPE},   {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
      {"USR2", SIGUSR2}, {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
      {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},
      {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},   {"TTOU", SIGTTOU}, {"URG", SIGURG},
      {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},   {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
      {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGPOLL}, {"PWR", SIGPWR},
      {"SYS", SIGSYS},
  };
  for (const auto& sig : kSignals) {
    if (name == sig.name) return sig.value;
  }
  if (name.rfind("RTMIN", 0) == 0 || name.rfind("RTMAX", 0) == 0) {
    int base = name[2] == 'M' && name[3] == 'I' ? 34 : 64;
    std::string rest = name.substr(5);
    int off = 0;
    if (!rest.empty() && !absl::SimpleAtoi(rest, &off)) return std::nullopt;
    int sig = base + off;
    if (sig >= 34 && sig <= 64) return sig;
  }
  return std::nullopt;
}

}  // namespace runsc
