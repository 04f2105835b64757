#include "runsc/cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace runsc {

namespace {

constexpr char kCgroupRoot[] = "/sys/fs/cgroup";
// v1 controllers the sandbox joins (the ones its resources touch, and the
// freezer and cpuacct for accounting).
constexpr const char* kV1Controllers[] = {"memory", "pids", "cpu", "cpuacct", "freezer"};

bool Exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

bool IsV2() { return Exists(absl::StrCat(kCgroupRoot, "/cgroup.controllers")); }

absl::Status WriteFile(const std::string& path, const std::string& value) {
  std::ofstream out(path);
  out << value;
  out.flush();
  if (!out) {
    return absl::InternalError(absl::StrCat("cannot write \"", value, "\" to ", path, ": ",
                                            strerror(errno)));
  }
  return absl::OkStatus();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return std::string(absl::StripTrailingAsciiWhitespace(ss.str()));
}

// Makes `rel` under `base`, component by component; records the ones made.
absl::Status MakePath(const std::string& base, const std::string& rel,
                      std::vector<std::string>* made) {
  std::string cur = base;
  for (absl::string_view part : absl::StrSplit(rel, '/', absl::SkipEmpty())) {
    if (part == "." || part == "..") {
      return absl::InvalidArgumentError("cgroup path " + rel + " must not contain . or ..");
    }
    absl::StrAppend(&cur, "/", part);
    if (mkdir(cur.c_str(), 0755) == 0) {
      made->push_back(cur);
    } else if (errno != EEXIST) {
      return absl::InternalError("cannot make cgroup " + cur + ": " + strerror(errno));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyTo(const std::string& dir, bool v2, const OciResources& r) {
  auto has = [&](const char* f) { return Exists(dir + "/" + f); };
  absl::Status s;
  auto w = [&](const char* file, const std::string& value) {
    if (!has(file)) return;
    absl::Status e = WriteFile(dir + "/" + file, value);
    if (s.ok() && !e.ok()) s = e;
  };
  if (v2) {
    if (r.memory_limit) w("memory.max", *r.memory_limit < 0 ? "max" : absl::StrCat(*r.memory_limit));
    if (r.memory_swap && r.memory_limit && *r.memory_swap >= *r.memory_limit) {
      w("memory.swap.max", absl::StrCat(*r.memory_swap - *r.memory_limit));
    }
    if (r.pids_limit) w("pids.max", *r.pids_limit <= 0 ? "max" : absl::StrCat(*r.pids_limit));
    if (r.cpu_shares && *r.cpu_shares > 0) {
      w("cpu.weight", absl::StrCat(CpuWeightForShares(*r.cpu_shares)));
    }
    if (r.cpu_quota || r.cpu_period) {
      std::string quota = r.cpu_quota && *r.cpu_quota > 0 ? absl::StrCat(*r.cpu_quota) : "max";
      w("cpu.max", absl::StrCat(quota, " ", r.cpu_period.value_or(100000)));
    }
  } else {
    if (r.memory_limit) {
      w("memory.limit_in_bytes", absl::StrCat(*r.memory_limit));
      if (r.memory_swap) w("memory.memsw.limit_in_bytes", absl::StrCat(*r.memory_swap));
    }
    if (r.pids_limit) w("pids.max", *r.pids_limit <= 0 ? "max" : absl::StrCat(*r.pids_limit));
    if (r.cpu_shares) w("cpu.shares", absl::StrCat(*r.cpu_shares));
    if (r.cpu_period) w("cpu.cfs_period_us", absl::StrCat(*r.cpu_period));
    if (r.cpu_quota) w("cpu.cfs_quota_us", absl::StrCat(*r.cpu_quota));
  }
  return s;
}

}  // namespace

std::string CgroupPathFor(const std::string& cgroups_path, const std::string& id, bool systemd) {
  if (cgroups_path.empty()) return "/runsc/" + id;
  if (systemd || (cgroups_path.find(':') != std::string::npos && cgroups_path[0] != '/')) {
    // slice:prefix:name → slice/prefix-name.scope
    std::vector<std::string> parts = absl::StrSplit(cgroups_path, ':');
    if (parts.size() == 3) {
      std::string slice = parts[0].empty() ? "system.slice" : parts[0];
      return absl::StrCat("/", slice, "/", parts[1], "-", parts[2], ".scope");
    }
  }
  return cgroups_path[0] == '/' ? cgroups_path : "/" + cgroups_path;
}

absl::StatusOr<std::vector<std::string>> JoinCgroup(const std::string& path, pid_t pid,
                                                    const OciResources& r) {
  std::vector<std::string> made;
  bool v2 = IsV2();
  std::vector<std::string> bases;
  if (v2) {
    bases.push_back(kCgroupRoot);
  } else {
    for (const char* c : kV1Controllers) {
      std::string base = absl::StrCat(kCgroupRoot, "/", c);
      if (Exists(base + "/cgroup.procs")) bases.push_back(base);
    }
  }
  std::vector<std::string> leaves;
  for (const std::string& base : bases) {
    absl::Status s = MakePath(base, path, &made);
    if (!s.ok()) {
      RemoveCgroup(made);
      return s;
    }
    leaves.push_back(base + path);
  }
  for (const std::string& leaf : leaves) {
    absl::Status s = ApplyTo(leaf, v2, r);
    if (s.ok()) s = WriteFile(leaf + "/cgroup.procs", absl::StrCat(pid));
    if (!s.ok()) {
      RemoveCgroup(made);
      return s;
    }
  }
  // Only what was made here is removed at delete; the leaves always are
  // ours (a container's own cgroup).
  for (const std::string& leaf : leaves) {
    if (std::find(made.begin(), made.end(), leaf) == made.end()) made.push_back(leaf);
  }
  return made;
}

absl::Status ApplyResources(const std::vector<std::string>& dirs, const OciResources& r) {
  bool v2 = IsV2();
  for (const std::string& d : dirs) {
    absl::Status s = ApplyTo(d, v2, r);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

void RemoveCgroup(const std::vector<std::string>& dirs) {
  std::vector<std::string> sorted = dirs;
  // Deepest first.
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& d : sorted) {
    for (int i = 0; i < 50 && rmdir(d.c_str()) != 0 && errno == EBUSY; ++i) usleep(10000);
  }
}

uint64_t CpuWeightForShares(uint64_t shares) {
  shares = std::clamp<uint64_t>(shares, 2, 262144);
  return 1 + ((shares - 2) * 9999) / 262142;
}

CgroupStats ReadCgroupStats(const std::vector<std::string>& dirs) {
  CgroupStats st;
  auto num = [](const std::string& text) {
    uint64_t v = 0;
    (void)absl::SimpleAtoi(text, &v);
    return v;
  };
  for (const std::string& d : dirs) {
    if (Exists(d + "/memory.usage_in_bytes")) {
      st.memory_usage = num(ReadFile(d + "/memory.usage_in_bytes"));
      st.memory_limit = num(ReadFile(d + "/memory.limit_in_bytes"));
    }
    if (Exists(d + "/memory.current")) {
      st.memory_usage = num(ReadFile(d + "/memory.current"));
      st.memory_limit = num(ReadFile(d + "/memory.max"));
    }
    if (Exists(d + "/pids.current")) {
      st.pids_current = num(ReadFile(d + "/pids.current"));
      st.pids_limit = num(ReadFile(d + "/pids.max"));
    }
    if (Exists(d + "/cpuacct.usage")) st.cpu_usage_ns = num(ReadFile(d + "/cpuacct.usage"));
    if (Exists(d + "/cpu.stat") && !Exists(d + "/cpuacct.usage")) {
      for (absl::string_view line : absl::StrSplit(ReadFile(d + "/cpu.stat"), '\n')) {
        if (absl::ConsumePrefix(&line, "usage_usec ")) st.cpu_usage_ns = num(std::string(line)) * 1000;
      }
    }
  }
  return st;
}

}  // namespace runsc
