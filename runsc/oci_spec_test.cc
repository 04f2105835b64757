#include "runsc/oci_spec.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "runsc/cgroup.h"

namespace runsc {
namespace {

constexpr char kSpec[] = R"({
  "ociVersion": "1.0.2",
  "process": {
    "terminal": true,
    "user": {"uid": 1000, "gid": 100, "additionalGids": [5, 6], "umask": 18},
    "args": ["/bin/sh", "-c", "true"],
    "env": ["PATH=/bin"],
    "cwd": "/home",
    "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024}],
    "noNewPrivileges": true,
    "capabilities": {"bounding": ["CAP_KILL", "NET_BIND_SERVICE"], "effective": ["CAP_KILL"]},
    "oomScoreAdj": 100
  },
  "root": {"path": "rootfs", "readonly": true},
  "hostname": "box",
  "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
             {"destination": "/data", "type": "bind", "source": "/srv", "options": ["rbind", "ro"]}],
  "hooks": {"prestart": [{"path": "/bin/true", "args": ["true"], "timeout": 5}]},
  "annotations": {"a": "b"},
  "linux": {
    "namespaces": [{"type": "pid"}, {"type": "network", "path": "/proc/1/ns/net"}],
    "resources": {"memory": {"limit": 67108864}, "pids": {"limit": 64}, "cpu": {"shares": 512}},
    "cgroupsPath": "/ns/id",
    "sysctl": {"net.ipv4.ip_forward": "1"},
    "maskedPaths": ["/proc/kcore"],
    "seccomp": {"defaultAction": "SCMP_ACT_ALLOW"}
  }
})";

TEST(OciSpecTest, ParsesEveryField) {
  auto s = ParseSpec(kSpec);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->process.terminal);
  EXPECT_EQ(s->process.uid, 1000u);
  EXPECT_EQ(s->process.gid, 100u);
  EXPECT_EQ(s->process.additional_gids, (std::vector<uint32_t>{5, 6}));
  EXPECT_EQ(s->process.umask, 18u);
  EXPECT_EQ(s->process.args.size(), 3u);
  EXPECT_EQ(s->process.cwd, "/home");
  ASSERT_EQ(s->process.rlimits.size(), 1u);
  EXPECT_EQ(s->process.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(s->process.rlimits[0].soft, 512u);
  EXPECT_TRUE(s->process.no_new_privileges);
  EXPECT_EQ(s->process.cap_bounding, (uint64_t{1} << 5) | (uint64_t{1} << 10));
  EXPECT_EQ(s->process.cap_effective, uint64_t{1} << 5);
  EXPECT_EQ(s->process.cap_permitted, 0u);  // absent sets are empty
  EXPECT_TRUE(s->root_readonly);
  EXPECT_EQ(s->hostname, "box");
  ASSERT_EQ(s->mounts.size(), 2u);
  EXPECT_EQ(s->mounts[1].options, (std::vector<std::string>{"rbind", "ro"}));
  ASSERT_EQ(s->hooks.prestart.size(), 1u);
  EXPECT_EQ(s->hooks.prestart[0].timeout, 5);
  EXPECT_EQ(s->annotations.at("a"), "b");
  EXPECT_EQ(s->namespaces[1].path, "/proc/1/ns/net");
  EXPECT_EQ(s->resources.memory_limit, 67108864);
  EXPECT_EQ(s->resources.pids_limit, 64);
  EXPECT_EQ(s->resources.cpu_shares, 512u);
  EXPECT_EQ(s->cgroups_path, "/ns/id");
  EXPECT_EQ(s->sysctl, (std::map<std::string, std::string>{{"net.ipv4.ip_forward", "1"}}));
  // What the sandbox does not apply is reported (linux.sysctl and
  // linux.seccomp it applies, or create fails).
  EXPECT_TRUE(s->unsupported.empty());
  ASSERT_TRUE(s->seccomp.has_value());
  EXPECT_EQ(s->seccomp->default_action, "SCMP_ACT_ALLOW");
}

// Each malformed field is refused with an error naming it.
TEST(OciSpecTest, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* field;
  } cases[] = {
      {R"({"root": {"path": "r"}})", "ociVersion"},
      {R"({"ociVersion": "2.0.0", "root": {"path": "r"}})", "ociVersion"},
      {R"({"ociVersion": "1.0.2"})", "root"},
      {R"({"ociVersion": "1.0.2", "root": {"path": 3}})", "root.path"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": ["a", 1], "cwd": "/"}})",
       "process.args[1]"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": [], "cwd": "/"}})",
       "process.args"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": ["a"], "cwd": "rel"}})",
       "process.cwd"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": ["a"], "cwd": "/",
          "user": {"uid": -1}}})",
       "process.user.uid"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": ["a"], "cwd": "/",
          "rlimits": [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]}})",
       "process.rlimits[0].type"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": ["a"], "cwd": "/",
          "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 2, "hard": 1}]}})",
       "process.rlimits[0]"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "process": {"args": ["a"], "cwd": "/",
          "capabilities": {"bounding": ["CAP_FLY"]}}})",
       "process.capabilities.bounding[0]"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "mounts": [{"destination": "rel"}]})",
       "mounts[0].destination"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "hooks": {"poststop": [{"path": "x"}]}})",
       "hooks.poststop[0].path"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "linux": {"namespaces": [{"type": "foo"}]}})",
       "linux.namespaces[0].type"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "linux": {"resources": {"memory": {"limit": "1G"}}}})",
       "linux.resources.memory.limit"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "linux": {"seccomp": {"defaultAction": "SCMP_ACT_NOPE"}}})",
       "linux.seccomp.defaultAction"},
      {R"({"ociVersion": "1.0.2", "root": {"path": "r"}, "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}}})",
       "linux.seccomp.syscalls[0].args[0].index"},
  };
  for (const Case& c : cases) {
    auto s = ParseSpec(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_NE(std::string(s.status().message()).find(std::string(c.field) + ":"), std::string::npos)
        << "want the error to name " << c.field << ", got: " << s.status();
  }
  EXPECT_FALSE(ParseSpec("{not json").ok());
  EXPECT_FALSE(ParseSpec("[]").ok());
}

TEST(OciSpecTest, LoadBundleChecksTheRoot) {
  char dir[] = "/tmp/oci_spec_test.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string d = dir;
  EXPECT_TRUE(absl::IsNotFound(LoadBundle(d).status()));  // no config.json
  std::ofstream(d + "/config.json")
      << R"({"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "process": {"args": ["sh"], "cwd": "/"}})";
  auto missing = LoadBundle(d);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(std::string(missing.status().message()).find("rootfs"), std::string::npos);
  ASSERT_EQ(mkdir((d + "/rootfs").c_str(), 0755), 0);
  auto b = LoadBundle(d);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->rootfs, d + "/rootfs");
  EXPECT_EQ(b->dir, d);
  EXPECT_TRUE(absl::IsNotFound(LoadBundle(d + "/nope").status()));
  rmdir((d + "/rootfs").c_str());
  unlink((d + "/config.json").c_str());
  rmdir(dir);
}

TEST(OciSpecTest, DefaultSpecParses) {
  auto s = ParseSpec(DefaultSpecJson({"/bin/echo", "hi"}));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->process.args, (std::vector<std::string>{"/bin/echo", "hi"}));
  EXPECT_EQ(s->root_path, "rootfs");
  // As runc's: the IPC namespace's queues and the container's cgroup.
  auto has = [&](const std::string& type, const std::string& dest) {
    return std::any_of(s->mounts.begin(), s->mounts.end(), [&](const OciMount& m) {
      return m.type == type && m.destination == dest;
    });
  };
  EXPECT_TRUE(has("mqueue", "/dev/mqueue"));
  EXPECT_TRUE(has("cgroup", "/sys/fs/cgroup"));
}

TEST(OciSpecTest, Signals) {
  EXPECT_EQ(ParseSignal("9"), SIGKILL);
  EXPECT_EQ(ParseSignal("SIGTERM"), SIGTERM);
  EXPECT_EQ(ParseSignal("term"), SIGTERM);
  EXPECT_EQ(ParseSignal("KILL"), SIGKILL);
  EXPECT_EQ(ParseSignal("SIGRTMIN"), 34);
  EXPECT_EQ(ParseSignal("RTMIN+2"), 36);
  EXPECT_EQ(ParseSignal("SIGRTMAX-1"), 63);
  EXPECT_EQ(ParseSignal("0"), std::nullopt);
  EXPECT_EQ(ParseSignal("65"), std::nullopt);
  EXPECT_EQ(ParseSignal("SIGFOO"), std::nullopt);
}

TEST(CgroupTest, Paths) {
  EXPECT_EQ(CgroupPathFor("", "c1", false), "/runsc/c1");
  EXPECT_EQ(CgroupPathFor("/default/c1", "c1", false), "/default/c1");
  EXPECT_EQ(CgroupPathFor("rel/c1", "c1", false), "/rel/c1");
  EXPECT_EQ(CgroupPathFor("system.slice:runsc:c1", "c1", true), "/system.slice/runsc-c1.scope");
}

}  // namespace
}  // namespace runsc
