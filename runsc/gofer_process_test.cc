// StartGofer: a real gofer child on a temporary tree, spoken to with gofer::Client. This binary
// is also the gofer it starts: run as `... gofer --root ...`, main() hands over to CmdGofer.
#include "runsc/gofer_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gofer/client.h"
#include "gofer/test_util.h"

namespace runsc {
namespace {

using gofer::testing::ReadFd;
using gofer::testing::TempDir;
using gofer::testing::WriteFile;

class GoferProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    ASSERT_TRUE(WriteFile(tmp_ / "hello.txt", "hello from the gofer"));
    ASSERT_EQ(mkdir((tmp_ / "sub").c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(tmp_ / "sub/deep.txt", "deep"));
  }

  // Attach + Walk + Open + read of sub/deep.txt and hello.txt through the child.
  void ReadThrough(gofer::Client& c) {
    auto root = c.Attach();
    ASSERT_TRUE(root.ok()) << root.error().value();
    auto w = c.Walk(root->handle, {"sub", "deep.txt"});
    ASSERT_TRUE(w.ok());
    ASSERT_EQ(w->error, 0);
    ASSERT_EQ(w->walked.size(), 2u);
    auto fd = c.Open(w->walked.back().handle, O_RDONLY);
    ASSERT_TRUE(fd.ok()) << fd.error().value();
    EXPECT_EQ(ReadFd(fd->get()), "deep");
    auto h = c.Walk(root->handle, {"hello.txt"});
    ASSERT_TRUE(h.ok());
    ASSERT_EQ(h->walked.size(), 1u);
    auto hfd = c.Open(h->walked[0].handle, O_RDONLY);
    ASSERT_TRUE(hfd.ok());
    EXPECT_EQ(ReadFd(hfd->get()), "hello from the gofer");
  }

  TempDir tmp_;
};

TEST_F(GoferProcessTest, ServesFilesAndExitsOnHangUp) {
  auto g = StartGofer(tmp_.path(), /*read_only=*/false);
  ASSERT_TRUE(g.ok()) << g.status();
  ASSERT_GT(g->pid, 0);
  {
    gofer::Client c(std::move(g->sentry_end));
    ReadThrough(c);
    // A mutation works when not read-only.
    auto root = c.Attach();
    ASSERT_TRUE(root.ok());
    EXPECT_TRUE(c.Mkdir(root->handle, "made", 0755).ok());
  }
  struct stat st;
  EXPECT_EQ(stat((tmp_ / "made").c_str(), &st), 0);
  // The client is gone: the gofer sees the hang-up and exits 0.
  auto status = g->Wait();
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_TRUE(WIFEXITED(*status)) << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_EQ(g->pid, -1);
}

TEST_F(GoferProcessTest, ReadOnly) {
  auto g = StartGofer(tmp_.path(), /*read_only=*/true);
  ASSERT_TRUE(g.ok()) << g.status();
  gofer::Client c(std::move(g->sentry_end));
  ReadThrough(c);
  auto root = c.Attach();
  ASSERT_TRUE(root.ok());
  auto made = c.Mkdir(root->handle, "made", 0755);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().value(), EROFS);
  auto status = g->Kill();
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(WIFSIGNALED(*status));
  // The client now sees a dead gofer.
  auto again = c.Attach();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().value(), EIO);
}

TEST_F(GoferProcessTest, ChildGetsOnlyItsSocket) {
  // An fd of ours without O_CLOEXEC must not reach the gofer; a gofer that inherited it would
  // keep this pipe's write end open, and the read below would block instead of seeing EOF.
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  auto g = StartGofer(tmp_.path(), false);
  ASSERT_TRUE(g.ok()) << g.status();
  close(p[1]);
  char b;
  EXPECT_EQ(read(p[0], &b, 1), 0);
  close(p[0]);
  // Its end of the socket is at fd 3.
  char link[64] = {};
  std::string fd3 = "/proc/" + std::to_string(g->pid) + "/fd/3";
  ASSERT_GT(readlink(fd3.c_str(), link, sizeof(link) - 1), 0);
  EXPECT_EQ(std::string(link).rfind("socket:", 0), 0u) << link;
  EXPECT_TRUE(g->Kill().ok());
}

TEST_F(GoferProcessTest, DestructorKillsAndReaps) {
  pid_t pid;
  {
    auto g = StartGofer(tmp_.path(), false);
    ASSERT_TRUE(g.ok()) << g.status();
    pid = g->pid;
  }
  // Reaped: no such child any more.
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

// Whether `pid` is gone or a zombie.
bool Dead(pid_t pid) {
  std::string stat = gofer::testing::ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat == "<missing>") return true;
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

TEST_F(GoferProcessTest, DiesWithItsParent) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  pid_t helper = fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    close(p[0]);
    auto g = StartGofer(tmp_.path(), false);
    // A grandchild keeps the sentry's end of the socket open, so the gofer cannot exit on a
    // hang-up: only the death signal ends it.
    pid_t pids[2] = {g.ok() ? g->pid : -1, fork()};
    if (pids[1] == 0) {
      pause();
      _exit(0);
    }
    (void)!write(p[1], pids, sizeof(pids));
    _exit(0);  // Without reaping or killing the gofer.
  }
  close(p[1]);
  pid_t pids[2] = {-1, -1};
  ASSERT_EQ(read(p[0], pids, sizeof(pids)), static_cast<ssize_t>(sizeof(pids)));
  close(p[0]);
  const pid_t gofer_pid = pids[0];
  ASSERT_GT(gofer_pid, 0);
  ASSERT_GT(pids[1], 0);
  int status;
  ASSERT_EQ(waitpid(helper, &status, 0), helper);
  bool dead = false;
  for (int i = 0; i < 500 && !dead; ++i) {
    dead = Dead(gofer_pid);
    if (!dead) usleep(10000);
  }
  EXPECT_TRUE(dead) << "gofer " << gofer_pid << " outlived its parent";
  kill(pids[1], SIGKILL);
}

TEST_F(GoferProcessTest, BadUsage) {
  EXPECT_EQ(CmdGofer({"--root", tmp_.path()}), 2);
  EXPECT_EQ(CmdGofer({"--sock-fd", "3"}), 2);
  EXPECT_EQ(CmdGofer({"--root", tmp_.path(), "--sock-fd", "x"}), 2);
  // Our stdin is not a seqpacket socket.
  EXPECT_EQ(CmdGofer({"--root", tmp_.path(), "--sock-fd", "0"}), 2);
}

#ifdef RUNSC_BINARY
TEST_F(GoferProcessTest, RealRunscBinary) {
  if (access(RUNSC_BINARY, X_OK) != 0) GTEST_SKIP() << RUNSC_BINARY << " not built";
  auto g = StartGofer(tmp_.path(), false, RUNSC_BINARY);
  ASSERT_TRUE(g.ok()) << g.status();
  {
    gofer::Client c(std::move(g->sentry_end));
    ReadThrough(c);
  }
  auto status = g->Wait();
  ASSERT_TRUE(status.ok());
  ASSERT_TRUE(WIFEXITED(*status)) << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}
#endif

}  // namespace
}  // namespace runsc

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "gofer") {
    return runsc::CmdGofer(std::vector<std::string>(argv + 2, argv + argc));
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
