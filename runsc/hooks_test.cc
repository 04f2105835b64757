#include "runsc/hooks.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace runsc {
namespace {

using json = nlohmann::json;

class HostHooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hooks_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { (void)!system(("rm -rf " + dir_).c_str()); }

  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static OciHook Shell(const std::string& script, std::vector<std::string> env = {}) {
    OciHook h;
    h.path = "/bin/sh";
    h.args = {"sh", "-c", script};
    h.env = std::move(env);
    return h;
  }

  std::string dir_;
  json state_ = {{"id", "c1"}, {"status", "created"}, {"pid", 1234}};
};

TEST_F(HostHooksTest, GetsTheStateOnStdinWithItsArgsAndEnv) {
  OciHook h = Shell("cat > " + dir_ + "/state; echo \"$0 $HOOK_VAR\" > " + dir_ + "/args",
                    {"HOOK_VAR=set"});
  h.args.push_back("arg0");
  ASSERT_TRUE(RunHostHooks({h}, state_, "createRuntime").ok());
  EXPECT_EQ(json::parse(Read(dir_ + "/state")), state_);
  EXPECT_EQ(Read(dir_ + "/args"), "arg0 set\n");
}

TEST_F(HostHooksTest, RunsInOrderAndStopsAtTheFirstFailure) {
  absl::Status s = RunHostHooks({Shell("echo one >> " + dir_ + "/order"), Shell("exit 3"),
                                 Shell("echo three >> " + dir_ + "/order")},
                                state_, "createContainer");
  EXPECT_EQ(s.message(), "createContainer hook /bin/sh failed (status 3)");
  EXPECT_EQ(Read(dir_ + "/order"), "one\n");
}

TEST_F(HostHooksTest, AHookThatNeverReadsItsStdinStillRuns) {
  json big = state_;
  big["annotations"] = {{"big", std::string(300000, 'x')}};
  EXPECT_TRUE(RunHostHooks({Shell("exit 0")}, big, "prestart").ok());
}

TEST_F(HostHooksTest, AMissingBinaryIsNamed) {
  OciHook h;
  h.path = "/no/such/hook";
  absl::Status s = RunHostHooks({h}, state_, "createContainer");
  EXPECT_EQ(s.message(),
            "createContainer hook /no/such/hook: cannot execute: No such file or directory");
}

TEST_F(HostHooksTest, TimeoutKillsTheHook) {
  OciHook h = Shell("echo $$ > " + dir_ + "/pid; exec sleep 30");
  h.timeout = 1;
  auto start = std::chrono::steady_clock::now();
  absl::Status s = RunHostHooks({h}, state_, "createContainer");
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_EQ(s.message(), "createContainer hook /bin/sh timed out after 1s");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  pid_t pid = std::atoi(Read(dir_ + "/pid").c_str());
  ASSERT_GT(pid, 0);
  EXPECT_NE(kill(pid, 0), 0);  // killed and reaped
}

// A process in namespaces of its own (as the sandbox is), with the host
// name "hooked"; 0 (and the test skipped) without the privilege for them.
pid_t StartInNamespaces() {
  int ready[2];
  if (pipe(ready) != 0) return 0;
  pid_t target = fork();
  if (target < 0) return 0;
  if (target == 0) {
    close(ready[0]);
    char ok = unshare(CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS) == 0 &&
                      sethostname("hooked", 6) == 0
                  ? 'y'
                  : 'n';
    (void)!write(ready[1], &ok, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char ok = 'n';
  (void)!read(ready[0], &ok, 1);
  close(ready[0]);
  if (ok == 'y') return target;
  kill(target, SIGKILL);
  waitpid(target, nullptr, 0);
  return 0;
}

void Stop(pid_t target) {
  kill(target, SIGKILL);
  waitpid(target, nullptr, 0);
}

TEST_F(HostHooksTest, JoinsTheNamespacesOfAProcess) {
  pid_t target = StartInNamespaces();
  if (target == 0) GTEST_SKIP() << "no privilege for namespaces";
  std::string out = dir_ + "/where";
  absl::Status s = RunHostHooks(
      {Shell("hostname > " + out + "; readlink /proc/self/ns/net /proc/self/ns/uts >> " + out)},
      state_, "createContainer", {.namespaces_of = target, .cgroup_dirs = {}});
  std::string ns = "/proc/" + std::to_string(target) + "/ns/";
  std::string net = std::filesystem::read_symlink(ns + "net");
  std::string uts = std::filesystem::read_symlink(ns + "uts");
  Stop(target);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Read(out), "hooked\n" + net + "\n" + uts + "\n");
  EXPECT_NE(net, std::string(std::filesystem::read_symlink("/proc/self/ns/net")));
}

TEST_F(HostHooksTest, AHookInJoinedNamespacesReportsHowItEnded) {
  pid_t target = StartInNamespaces();
  if (target == 0) GTEST_SKIP() << "no privilege for namespaces";
  absl::Status killed = RunHostHooks({Shell("kill -TERM $$")}, state_, "createContainer",
                                     {.namespaces_of = target, .cgroup_dirs = {}});
  absl::Status exited = RunHostHooks({Shell("exit 5")}, state_, "createContainer",
                                     {.namespaces_of = target, .cgroup_dirs = {}});
  OciHook slow = Shell("exec sleep 30");
  slow.timeout = 1;
  absl::Status timed_out =
      RunHostHooks({slow}, state_, "createContainer", {.namespaces_of = target, .cgroup_dirs = {}});
  Stop(target);
  EXPECT_EQ(killed.message(), "createContainer hook /bin/sh failed (status 143)");
  EXPECT_EQ(exited.message(), "createContainer hook /bin/sh failed (status 5)");
  EXPECT_TRUE(absl::IsDeadlineExceeded(timed_out)) << timed_out;
}

}  // namespace
}  // namespace runsc
