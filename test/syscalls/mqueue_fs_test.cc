// The mqueue file system (mq_overview(7)): the IPC namespace's POSIX
// message queues as files of one directory, the same queues mq_open(2)
// sees. Creating a file makes a queue, unlink(2) removes one, read(2) of
// a queue gives its status line, and its descriptor is a queue descriptor.
//
// The directory is /dev/mqueue when it holds an mqueue file system (the
// sandbox mounts one there); natively, where it may not, the test (root in
// a mount namespace of its own) mounts one on a directory of its own.
// Natively the queues are the host's: every name is unique and every
// queue made is unlinked.
#include <dirent.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

constexpr long kMqueueMagic = 0x19800202;

bool IsMqueueDir(const std::string& dir) {
  struct statfs sfs;
  return statfs(dir.c_str(), &sfs) == 0 && sfs.f_type == kMqueueMagic;
}

// Where the queues show: /dev/mqueue, or a mount of our own.
const std::string& MqueueDir() {
  static const std::string* dir = [] {
    if (IsMqueueDir("/dev/mqueue")) return new std::string("/dev/mqueue");
    char tmpl[] = "/tmp/mqueue_fs_test.XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return new std::string();
    if (mount("mqueue", tmpl, "mqueue", 0, nullptr) != 0) {
      rmdir(tmpl);
      return new std::string();
    }
    static std::string mounted;
    mounted = tmpl;
    atexit([] {
      umount(mounted.c_str());
      rmdir(mounted.c_str());
    });
    return new std::string(tmpl);
  }();
  return *dir;
}

// "sk_mqfs_<pid>_<random>_<n>" (no leading slash): unique on the host.
std::string UniqueName() {
  static std::atomic<int> counter{0};
  uint32_t r = 0;
  if (getrandom(&r, sizeof(r), 0) != sizeof(r)) r = static_cast<uint32_t>(time(nullptr));
  return "sk_mqfs_" + std::to_string(getpid()) + "_" + std::to_string(r) + "_" +
         std::to_string(counter.fetch_add(1));
}

// A name whose queue (if any) is unlinked at the end.
class ScopedName {
 public:
  ScopedName() : name_(UniqueName()) {}
  ~ScopedName() { mq_unlink(("/" + name_).c_str()); }
  ScopedName(const ScopedName&) = delete;
  ScopedName& operator=(const ScopedName&) = delete;
  const std::string& name() const { return name_; }
  std::string mq() const { return "/" + name_; }           // for mq_open
  std::string path() const { return MqueueDir() + "/" + name_; }  // in the file system

 private:
  std::string name_;
};

std::string ReadAll(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

std::set<std::string> List(const std::string& dir) {
  std::set<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* e = readdir(d)) names.insert(e->d_name);
  closedir(d);
  return names;
}

std::string StatusLine(unsigned long qsize, int notify, int signo, int pid) {
  char buf[128];
  snprintf(buf, sizeof(buf), "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize,
           notify, signo, pid);
  return buf;
}

class MqueueFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (MqueueDir().empty()) GTEST_SKIP() << "no mqueue file system to look at";
  }
};

TEST_F(MqueueFsTest, IsAnMqueueFileSystem) {
  struct statfs sfs;
  ASSERT_THAT(statfs(MqueueDir().c_str(), &sfs), SyscallSucceeds());
  EXPECT_EQ(sfs.f_type, kMqueueMagic);
  struct stat st;
  ASSERT_THAT(stat(MqueueDir().c_str(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 01777u);
  EXPECT_EQ(st.st_uid, 0u);
}

// A queue made by mq_open is a file with its mode and owner, the same
// inode as the descriptor's, listed until unlinked.
TEST_F(MqueueFsTest, MqOpenQueueIsAFile) {
  ScopedName n;
  mq_attr attr{};
  attr.mq_maxmsg = 4;
  attr.mq_msgsize = 64;
  mqd_t q = mq_open(n.mq().c_str(), O_RDWR | O_CREAT | O_EXCL, 0640, &attr);
  ASSERT_THAT(q, SyscallSucceeds());
  struct stat st, fst;
  ASSERT_THAT(stat(n.path().c_str(), &st), SyscallSucceeds());
  ASSERT_THAT(fstat(q, &fst), SyscallSucceeds());
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0640u & ~static_cast<unsigned>(umask(umask(0))));
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_gid, getegid());
  EXPECT_EQ(st.st_ino, fst.st_ino);
  EXPECT_EQ(st.st_dev, fst.st_dev);
  EXPECT_EQ(st.st_nlink, 1u);
  EXPECT_EQ(List(MqueueDir()).count(n.name()), 1u);

  ASSERT_THAT(mq_unlink(n.mq().c_str()), SyscallSucceeds());
  EXPECT_THAT(stat(n.path().c_str(), &st), SyscallFailsWithErrno(ENOENT));
  EXPECT_EQ(List(MqueueDir()).count(n.name()), 0u);
  mq_close(q);
}

// read(2) of the file: QSIZE (bytes queued), and who is registered for
// notification with which signal.
TEST_F(MqueueFsTest, ReadGivesStatusLine) {
  ScopedName n;
  mq_attr attr{};
  attr.mq_maxmsg = 4;
  attr.mq_msgsize = 64;
  mqd_t q = mq_open(n.mq().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
  ASSERT_THAT(q, SyscallSucceeds());
  ASSERT_THAT(mq_send(q, "hello", 5, 1), SyscallSucceeds());
  ASSERT_THAT(mq_send(q, "goodbye", 7, 2), SyscallSucceeds());

  int fd = open(n.path().c_str(), O_RDONLY);
  ASSERT_THAT(fd, SyscallSucceeds());
  EXPECT_EQ(ReadAll(fd), StatusLine(12, 0, 0, 0));
  close(fd);

  sigevent ev{};
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ASSERT_THAT(mq_notify(q, &ev), SyscallSucceeds());
  fd = open(n.path().c_str(), O_RDONLY);
  ASSERT_THAT(fd, SyscallSucceeds());
  EXPECT_EQ(ReadAll(fd), StatusLine(12, SIGEV_SIGNAL, SIGUSR1, getpid()));
  // pread from the start gives it again.
  char buf[128] = {};
  EXPECT_THAT(pread(fd, buf, sizeof(buf), 0),
              SyscallSucceedsWithValue(static_cast<ssize_t>(StatusLine(12, SIGEV_SIGNAL, SIGUSR1,
                                                                      getpid())
                                                               .size())));
  close(fd);
  ASSERT_THAT(mq_notify(q, nullptr), SyscallSucceeds());
  mq_close(q);
}

// open(2) with O_CREAT makes a queue with the namespace's defaults; its
// descriptor is a queue descriptor, and mq_open finds the queue.
TEST_F(MqueueFsTest, OpenCreatMakesQueue) {
  ScopedName n;
  int fd = open(n.path().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  ASSERT_THAT(fd, SyscallSucceeds());
  mq_attr attr{};
  ASSERT_THAT(mq_getattr(fd, &attr), SyscallSucceeds());
  // The defaults are min(msg_max, msg_default), min(msgsize_max, msgsize_default).
  auto read_long = [](const char* path) {
    int f = open(path, O_RDONLY);
    std::string s = f >= 0 ? ReadAll(f) : "";
    if (f >= 0) close(f);
    return atol(s.c_str());
  };
  long msg_max = read_long("/proc/sys/fs/mqueue/msg_max");
  long msg_default = read_long("/proc/sys/fs/mqueue/msg_default");
  long msgsize_max = read_long("/proc/sys/fs/mqueue/msgsize_max");
  long msgsize_default = read_long("/proc/sys/fs/mqueue/msgsize_default");
  EXPECT_EQ(attr.mq_maxmsg, std::min(msg_max, msg_default));
  EXPECT_EQ(attr.mq_msgsize, std::min(msgsize_max, msgsize_default));
  EXPECT_EQ(attr.mq_curmsgs, 0);

  ASSERT_THAT(mq_send(fd, "via open", 8, 3), SyscallSucceeds());
  mqd_t q = mq_open(n.mq().c_str(), O_RDWR);
  ASSERT_THAT(q, SyscallSucceeds());
  char buf[16384];
  unsigned prio = 0;
  ASSERT_THAT(mq_receive(q, buf, sizeof(buf), &prio), SyscallSucceedsWithValue(8));
  EXPECT_EQ(std::string(buf, 8), "via open");
  EXPECT_EQ(prio, 3u);
  // Both are the one queue: what one end sends, the other receives.
  ASSERT_THAT(mq_send(q, "back", 4, 0), SyscallSucceeds());
  ASSERT_THAT(mq_receive(fd, buf, sizeof(buf), &prio), SyscallSucceedsWithValue(4));

  // A name taken: EEXIST for O_EXCL, the queue otherwise.
  EXPECT_THAT(open(n.path().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600),
              SyscallFailsWithErrno(EEXIST));
  int again = open(n.path().c_str(), O_RDONLY | O_CREAT, 0600);
  EXPECT_THAT(again, SyscallSucceeds());
  if (again >= 0) close(again);
  mq_close(q);
  close(fd);
}

// unlink(2) is mq_unlink: the name goes, open descriptors keep the queue.
TEST_F(MqueueFsTest, UnlinkRemovesQueue) {
  ScopedName n;
  mqd_t q = mq_open(n.mq().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr);
  ASSERT_THAT(q, SyscallSucceeds());
  ASSERT_THAT(unlink(n.path().c_str()), SyscallSucceeds());
  EXPECT_THAT(mq_open(n.mq().c_str(), O_RDWR), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(unlink(n.path().c_str()), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(mq_unlink(n.mq().c_str()), SyscallFailsWithErrno(ENOENT));
  struct stat st;
  ASSERT_THAT(fstat(q, &st), SyscallSucceeds());
  EXPECT_EQ(st.st_nlink, 0u);
  ASSERT_THAT(mq_send(q, "x", 1, 0), SyscallSucceeds());
  char buf[16384];
  EXPECT_THAT(mq_receive(q, buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(1));
  // The name is free for a new queue.
  int fd = open(n.path().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
  EXPECT_THAT(fd, SyscallSucceeds());
  if (fd >= 0) close(fd);
  mq_close(q);
}

// chmod(2) and chown(2) change who may open the queue with mq_open.
TEST_F(MqueueFsTest, ChmodAndChownApplyToMqOpen) {
  ScopedName n;
  mqd_t q = mq_open(n.mq().c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr);
  ASSERT_THAT(q, SyscallSucceeds());
  ASSERT_THAT(chmod(n.path().c_str(), 0604), SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(fstat(q, &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & 07777, 0604u);
  // Another user may now read, not write.
  pid_t pid = fork();
  if (pid == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(100);
    mqd_t r = mq_open(n.mq().c_str(), O_RDONLY);
    if (r < 0) _exit(1);
    if (mq_open(n.mq().c_str(), O_WRONLY) != -1 || errno != EACCES) _exit(2);
    // The sticky directory keeps root's queue from others.
    if (unlink(n.path().c_str()) != -1 || errno != EPERM) _exit(3);
    _exit(0);
  }
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;

  // Given to that user, the queue is theirs to open for writing.
  ASSERT_THAT(chown(n.path().c_str(), 65534, 65534), SyscallSucceeds());
  ASSERT_THAT(stat(n.path().c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_uid, 65534u);
  EXPECT_EQ(st.st_gid, 65534u);
  pid = fork();
  if (pid == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(100);
    mqd_t w = mq_open(n.mq().c_str(), O_WRONLY);
    _exit(w >= 0 ? 0 : 1);
  }
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  mq_close(q);
}

// Only queues live here: no directories, no other kinds of files.
TEST_F(MqueueFsTest, OnlyQueuesCanBeMade) {
  ScopedName n;
  EXPECT_THAT(mkdir(n.path().c_str(), 0700), SyscallFailsWithErrno(EPERM));
  EXPECT_THAT(mknod(n.path().c_str(), S_IFIFO | 0600, 0), SyscallFailsWithErrno(EPERM));
  EXPECT_THAT(symlink("x", n.path().c_str()), SyscallFailsWithErrno(EPERM));
  struct stat st;
  EXPECT_THAT(stat(n.path().c_str(), &st), SyscallFailsWithErrno(ENOENT));
}

}  // namespace
}  // namespace test_util
