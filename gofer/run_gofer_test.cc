// RunGofer in a forked child: namespaces, pivot and the real seccomp filter, driven by a Client.
// If the allowlist misses a call the server makes, the child dies of SIGSYS and the test says so.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "gofer/client.h"
#include "gofer/gofer_filter.h"
#include "gofer/server.h"
#include "gofer/test_util.h"

namespace gofer {
namespace {

using testing::ReadFd;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;
using util::UniqueFd;

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return std::string("killed by ") + strsignal(WTERMSIG(status)) +
           (WTERMSIG(status) == SIGSYS ? " (a syscall the gofer filter does not allow)" : "");
  }
  return "status " + std::to_string(status);
}

class RunGoferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    root_ = tmp_ / "root";
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(root_ + "/file.txt", "hello"));
    ASSERT_EQ(mkdir((root_ + "/dir").c_str(), 0755), 0);
    ASSERT_EQ(symlink("/etc/passwd", (root_ + "/escape").c_str()), 0);
  }

  // Forks a gofer serving root_; returns the client end.
  std::unique_ptr<Client> Fork(bool read_only) {
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    pid_ = fork();
    if (pid_ == 0) {
      close(sv[1]);
      absl::Status s = RunGofer(sv[0], root_, read_only);
      if (!s.ok()) {
        std::string msg = s.ToString() + "\n";
        (void)!write(2, msg.data(), msg.size());
      }
      _exit(s.ok() ? 0 : 1);
    }
    close(sv[0]);
    return std::make_unique<Client>(UniqueFd(sv[1]));
  }

  int Wait() {
    int status = 0;
    EXPECT_EQ(waitpid(pid_, &status, 0), pid_);
    return status;
  }

  TempDir tmp_;
  std::string root_;
  pid_t pid_ = -1;
};

TEST_F(RunGoferTest, ServesEverythingUnderItsFilter) {
  std::unique_ptr<Client> c = Fork(/*read_only=*/false);
  // Owners the test can ask for: root's, or "leave unchanged" when not root.
  const uint32_t id = geteuid() == 0 ? 0 : kNoId;
  {
    ASSERT_TRUE(c->Version().ok());
    auto root = c->Attach();
    ASSERT_TRUE(root.ok()) << "gofer died early: " << DescribeStatus(Wait());
    uint64_t r = root->handle;
    auto w = c->Walk(r, {"file.txt"});
    ASSERT_TRUE(w.ok());
    ASSERT_EQ(w->walked.size(), 1u);
    uint64_t file = w->walked[0].handle;
    EXPECT_TRUE(c->Stat(file).ok());
    auto fd = c->Open(file, O_RDONLY);
    ASSERT_TRUE(fd.ok());
    EXPECT_EQ(ReadFd(fd->get()), "hello");

    auto created = c->OpenAt(r, "new", O_CREAT | O_EXCL | O_RDWR, 0600, id, id);
    ASSERT_TRUE(created.ok());
    ASSERT_EQ(write(created->fd.get(), "xyz", 3), 3);
    auto d = c->Mkdir(r, "newdir", 0700, id, id);
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(c->Mknod(d->handle, "fifo", S_IFIFO | 0600, id, id).ok());
    EXPECT_TRUE(c->Mknod(d->handle, "sock", S_IFSOCK | 0600).ok());
    EXPECT_TRUE(c->Mknod(d->handle, "reg", S_IFREG | 0600).ok());
    // A device node is refused by the server before the filter would see it.
    EXPECT_FALSE(c->Mknod(d->handle, "dev", S_IFCHR | 0600).ok());
    auto sl = c->Symlink(r, "sl", "/etc/shadow", id, id);
    ASSERT_TRUE(sl.ok());
    auto text = c->Readlink(sl->handle);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "/etc/shadow");
    EXPECT_TRUE(c->Link(r, "hard", file).ok());
    EXPECT_TRUE(c->Rename(r, "hard", d->handle, "moved").ok());
    EXPECT_TRUE(c->Rename(r, "new", r, "file.txt", RENAME_EXCHANGE).ok());
    auto ents = c->Getdents(r, 0, 100);
    ASSERT_TRUE(ents.ok());
    EXPECT_GE(ents->size(), 5u);
    EXPECT_TRUE(
        c->SetAttr({.handle = file,
                    .mask = id == 0 ? kSetAttrAll : kSetAttrAll & ~(kSetAttrUid | kSetAttrGid),
                    .mode = 0640,
                    .uid = 0,
                    .gid = 0,
                    .size = 2,
                    .atime = {.sec = 1, .nsec = 0},
                    .mtime = {.sec = 0, .nsec = static_cast<uint32_t>(UTIME_NOW)}})
            .ok());
    EXPECT_TRUE(c->SetAttr({.handle = d->handle, .mask = kSetAttrMode, .mode = 0755}).ok());
    EXPECT_TRUE(c->StatFs(r).ok());
    auto xs = c->SetXattr(file, "user.k", "v");
    if (xs.ok()) {
      EXPECT_TRUE(c->GetXattr(file, "user.k").ok());
      EXPECT_TRUE(c->ListXattr(file).ok());
      EXPECT_TRUE(c->RemoveXattr(file, "user.k").ok());
    }
    // The escape attempts of the unconfined tests, under confinement.
    auto esc = c->Walk(r, {"escape"});
    ASSERT_TRUE(esc.ok());
    ASSERT_EQ(esc->walked.size(), 1u);
    EXPECT_EQ(c->Open(esc->walked[0].handle, O_RDONLY).error().value(), ELOOP);
    auto dots = c->Walk(r, {".."});
    ASSERT_TRUE(dots.ok());
    EXPECT_EQ(dots->error, EINVAL);
    // Bad requests are answered, not fatal.
    EXPECT_EQ(c->Stat(987654).error().value(), EBADF);
    EXPECT_TRUE(c->Unlink(d->handle, "fifo").ok());
    EXPECT_TRUE(c->Close({file, r}).ok());
    EXPECT_FALSE(c->dead());
  }
  c.reset();  // Hang up: the gofer returns OK and exits.
  int status = Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << DescribeStatus(status);
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "xyz");
  EXPECT_EQ(ReadFile(root_ + "/new"), "he");
}

TEST_F(RunGoferTest, ReadOnly) {
  std::unique_ptr<Client> c = Fork(/*read_only=*/true);
  auto root = c->Attach();
  ASSERT_TRUE(root.ok()) << DescribeStatus(Wait());
  EXPECT_EQ(c->Mkdir(root->handle, "d", 0755).error().value(), EROFS);
  auto w = c->Walk(root->handle, {"file.txt"});
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->walked.size(), 1u);
  EXPECT_EQ(c->Open(w->walked[0].handle, O_WRONLY).error().value(), EROFS);
  EXPECT_TRUE(c->Open(w->walked[0].handle, O_RDONLY).ok());
  c.reset();
  int status = Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << DescribeStatus(status);
}

TEST_F(RunGoferTest, MissingRootIsAnError) {
  root_ = tmp_ / "missing";
  std::unique_ptr<Client> c = Fork(false);
  int status = Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << DescribeStatus(status);
  EXPECT_EQ(c->Attach().error().value(), EIO);
}

// What the gofer filter forbids, each in a child of its own.
int UnderGoferFilter(const std::function<void(int sock)>& body) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    auto p = BuildGoferFilter(sv[0]);
    if (!p.ok() || !p->Install().ok()) _exit(10);
    body(sv[0]);
    _exit(0);
  }
  close(sv[0]);
  close(sv[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(GoferFilterTest, Builds) {
  auto p = BuildGoferFilter(3);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_GT(p->rule_count(), 30u);
}

TEST(GoferFilterTest, AllowsItsOwnSocketAndStderr) {
  int status = UnderGoferFilter([](int sock) {
    char b;
    iovec iov{.iov_base = &b, .iov_len = 1};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    (void)sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)!write(2, "", 0);
    void* m = malloc(1 << 20);  // mmap
    free(m);
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << DescribeStatus(status);
}

TEST(GoferFilterTest, KillsEverythingElse) {
  struct Case {
    const char* what;
    std::function<void(int)> body;
  };
  const Case cases[] = {
      {"openat", [](int) { (void)openat(AT_FDCWD, "/etc/passwd", O_RDONLY); }},
      {"open", [](int) { (void)syscall(SYS_open, "/etc/passwd", O_RDONLY); }},
      {"execve", [](int) { (void)execl("/bin/true", "true", nullptr); }},
      {"fork", [](int) { (void)syscall(SYS_fork); }},
      {"ptrace", [](int) { (void)syscall(SYS_ptrace, 0, 0, 0, 0); }},
      {"socket", [](int) { (void)socket(AF_INET, SOCK_STREAM, 0); }},
      {"mknod device", [](int) { (void)mknodat(AT_FDCWD, "x", S_IFCHR | 0600, 0); }},
      {"sendmsg on another fd",
       [](int sock) {
         msghdr msg{};
         (void)sendmsg(sock + 100, &msg, 0);
       }},
      {"write to stdout", [](int) { (void)!write(1, "", 0); }},
      {"executable mmap",
       [](int) {
         (void)mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
       }},
      {"mprotect", [](int) { (void)syscall(SYS_mprotect, 0, 0, PROT_READ | PROT_EXEC); }},
  };
  for (const Case& k : cases) {
    int status = UnderGoferFilter(k.body);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
        << k.what << ": " << DescribeStatus(status);
  }
}

}  // namespace
}  // namespace gofer
