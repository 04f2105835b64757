// POSIX message queues: mq_open(2), mq_unlink(2), mq_timedsend(2),
// mq_timedreceive(2), mq_notify(2), mq_getsetattr(2), and the queue
// descriptor as a file (poll, epoll, read, fstat, close).
//
// Natively the queues are the host's: every queue has a name no one else
// uses (pid, random bits and a counter) and is unlinked by the test that
// made it. Nothing here counts queues it did not make. The limits checked
// are Linux's defaults (msg_max 10, msgsize_max 8192, HARD_MSGMAX 65536 for
// CAP_SYS_RESOURCE). A blocked call is released by another thread,
// whichever of the two runs first, or interrupted by signals sent until it
// returns.
#include <fcntl.h>
#include <linux/capability.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// Linux's defaults (ipc/mq_sysctl.c, include/linux/ipc_namespace.h).
constexpr long kDefaultMaxMsg = 10;
constexpr long kDefaultMsgSize = 8192;
constexpr long kHardMsgMax = 65536;
constexpr unsigned kMqPrioMax = 32768;

// "/sk_mq_<pid>_<random>_<n>": unique on the host.
std::string UniqueName() {
  static std::atomic<int> counter{0};
  uint32_t r = 0;
  if (getrandom(&r, sizeof(r), 0) != sizeof(r)) r = static_cast<uint32_t>(time(nullptr));
  return "/sk_mq_" + std::to_string(getpid()) + "_" + std::to_string(r) + "_" +
         std::to_string(counter.fetch_add(1));
}

// A queue created by the test and unlinked (and its descriptor closed) at
// the end.
class ScopedQueue {
 public:
  ScopedQueue(long maxmsg, long msgsize, int oflag = O_RDWR, mode_t mode = 0600)
      : name_(UniqueName()) {
    mq_attr attr{};
    attr.mq_maxmsg = maxmsg;
    attr.mq_msgsize = msgsize;
    fd_ = mq_open(name_.c_str(), oflag | O_CREAT | O_EXCL, mode, &attr);
  }
  ~ScopedQueue() {
    if (fd_ >= 0) mq_close(fd_);
    mq_unlink(name_.c_str());
  }
  ScopedQueue(const ScopedQueue&) = delete;
  ScopedQueue& operator=(const ScopedQueue&) = delete;

  mqd_t fd() const { return fd_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  mqd_t fd_ = -1;
};

timespec AbsoluteIn(long ms) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (ms % 1000) * 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000;
  }
  return ts;
}

bool HasCapability(int cap) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return (data[cap / 32].effective >> (cap % 32)) & 1;
}

pid_t Gettid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

std::atomic<int> g_handled{0};
void CountSignal(int) { g_handled.fetch_add(1); }

// Installs CountSignal for `sig` with `flags`; restores the old action on
// destruction.
class ScopedHandler {
 public:
  ScopedHandler(int sig, int flags) : sig_(sig) {
    struct sigaction sa {};
    sa.sa_handler = CountSignal;
    sa.sa_flags = flags;
    sigaction(sig, &sa, &old_);
  }
  ~ScopedHandler() { sigaction(sig_, &old_, nullptr); }

 private:
  int sig_;
  struct sigaction old_ {};
};

// Runs `f` in a child process whose ids are nobody's; returns its exit
// status (200 + signal when killed).
template <typename F>
int RunAsNobody(F f) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(100);
    _exit(f());
  }
  int status = 0;
  if (RetryEINTR(waitpid)(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// ---- mq_open and mq_unlink ----

TEST(MqueueTest, CreateWithAttrAndDefaults) {
  ScopedQueue q(4, 64);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  mq_attr attr{};
  ASSERT_THAT(mq_getattr(q.fd(), &attr), SyscallSucceeds());
  EXPECT_EQ(attr.mq_flags, 0);
  EXPECT_EQ(attr.mq_maxmsg, 4);
  EXPECT_EQ(attr.mq_msgsize, 64);
  EXPECT_EQ(attr.mq_curmsgs, 0);

  std::string name = UniqueName();
  mqd_t d = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, nullptr);
  ASSERT_THAT(d, SyscallSucceeds());
  ASSERT_THAT(mq_getattr(d, &attr), SyscallSucceeds());
  EXPECT_EQ(attr.mq_flags, O_NONBLOCK);
  EXPECT_EQ(attr.mq_maxmsg, kDefaultMaxMsg);
  EXPECT_EQ(attr.mq_msgsize, kDefaultMsgSize);
  // Opening it again finds the same queue; attr is ignored then.
  mq_attr other{};
  other.mq_maxmsg = 1;
  other.mq_msgsize = 1;
  mqd_t d2 = mq_open(name.c_str(), O_RDONLY | O_CREAT, 0600, &other);
  ASSERT_THAT(d2, SyscallSucceeds());
  ASSERT_THAT(mq_send(d, "hi", 2, 0), SyscallSucceeds());
  ASSERT_THAT(mq_getattr(d2, &attr), SyscallSucceeds());
  EXPECT_EQ(attr.mq_maxmsg, kDefaultMaxMsg);
  EXPECT_EQ(attr.mq_curmsgs, 1);
  EXPECT_THAT(mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr),
              SyscallFailsWithErrno(EEXIST));
  mq_close(d2);
  mq_close(d);
  EXPECT_THAT(mq_unlink(name.c_str()), SyscallSucceeds());
  EXPECT_THAT(mq_unlink(name.c_str()), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(mq_open(name.c_str(), O_RDWR), SyscallFailsWithErrno(ENOENT));
}

TEST(MqueueTest, NameErrors) {
  // glibc wants the leading '/' and strips it; the kernel sees the rest.
  EXPECT_THAT(mq_open("noslash", O_RDWR | O_CREAT, 0600, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mq_open("/", O_RDWR | O_CREAT, 0600, nullptr), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(mq_open("/a/b", O_RDWR | O_CREAT, 0600, nullptr), SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(syscall(SYS_mq_open, "/abc", O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(syscall(SYS_mq_open, ".", O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(syscall(SYS_mq_open, "..", O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(syscall(SYS_mq_open, "", O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(syscall(SYS_mq_open, reinterpret_cast<char*>(8), O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_mq_unlink, "a/b"), SyscallFailsWithErrno(EACCES));
  EXPECT_THAT(mq_unlink("noslash"), SyscallFailsWithErrno(EINVAL));

  // NAME_MAX (255) bytes is the longest name.
  std::string base = UniqueName().substr(1);
  std::string longest = base + std::string(255 - base.size(), 'x');
  EXPECT_THAT(syscall(SYS_mq_open, (longest + "x").c_str(), O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(ENAMETOOLONG));
  EXPECT_THAT(syscall(SYS_mq_open, std::string(5000, 'x').c_str(), O_RDWR | O_CREAT, 0600, nullptr),
              SyscallFailsWithErrno(ENAMETOOLONG));
  int fd = static_cast<int>(syscall(SYS_mq_open, longest.c_str(), O_RDWR | O_CREAT, 0600, nullptr));
  ASSERT_THAT(fd, SyscallSucceeds());
  close(fd);
  EXPECT_THAT(syscall(SYS_mq_unlink, longest.c_str()), SyscallSucceeds());
}

TEST(MqueueTest, AttrLimits) {
  std::string name = UniqueName();
  auto open_with = [&](long maxmsg, long msgsize) {
    mq_attr attr{};
    attr.mq_maxmsg = maxmsg;
    attr.mq_msgsize = msgsize;
    int fd = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    if (fd >= 0) {
      mq_close(fd);
      mq_unlink(name.c_str());
    }
    return fd;
  };
  EXPECT_THAT(open_with(0, 16), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(open_with(4, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(open_with(-1, 16), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(open_with(4, -1), SyscallFailsWithErrno(EINVAL));
  // CAP_SYS_RESOURCE allows up to HARD_MSGMAX messages (root may lack
  // it, in a container).
  if (HasCapability(CAP_SYS_RESOURCE)) {
    EXPECT_THAT(open_with(kDefaultMaxMsg + 1, 16), SyscallSucceeds());
  } else {
    EXPECT_THAT(open_with(kDefaultMaxMsg + 1, 16), SyscallFailsWithErrno(EINVAL));
  }
  EXPECT_THAT(open_with(kHardMsgMax + 1, 16), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_mq_open, name.substr(1).c_str(), O_RDWR | O_CREAT, 0600,
                      reinterpret_cast<mq_attr*>(8)),
              SyscallFailsWithErrno(EFAULT));

  // Others are held to msg_max and msgsize_max.
  EXPECT_EQ(RunAsNobody([&] {
              if (open_with(kDefaultMaxMsg + 1, 16) != -1 || errno != EINVAL) return 1;
              if (open_with(4, kDefaultMsgSize + 1) != -1 || errno != EINVAL) return 2;
              if (open_with(kDefaultMaxMsg, kDefaultMsgSize) < 0) return 3;
              return 0;
            }),
            0);

  // RLIMIT_MSGQUEUE bounds the bytes a user's queues may hold (EMFILE).
  pid_t pid = fork();
  if (pid == 0) {
    rlimit rl{1000, 1000};
    if (setrlimit(RLIMIT_MSGQUEUE, &rl) != 0) _exit(1);
    if (open_with(kDefaultMaxMsg, kDefaultMsgSize) != -1 || errno != EMFILE) _exit(2);
    _exit(0);
  }
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(MqueueTest, PermissionsAndAccessModes) {
  ScopedQueue priv(2, 16, O_RDWR, 0600);
  ASSERT_THAT(priv.fd(), SyscallSucceeds());
  ScopedQueue readable(2, 16, O_RDWR, 0644);
  ASSERT_THAT(readable.fd(), SyscallSucceeds());
  EXPECT_THAT(mq_open(priv.name().c_str(), O_RDWR | O_WRONLY), SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(RunAsNobody([&] {
              if (mq_open(priv.name().c_str(), O_RDONLY) != -1 || errno != EACCES) return 1;
              int fd = mq_open(readable.name().c_str(), O_RDONLY);
              if (fd < 0) return 2;
              mq_close(fd);
              if (mq_open(readable.name().c_str(), O_WRONLY) != -1 || errno != EACCES) return 3;
              // The directory is sticky: another user's queue cannot be
              // removed (the kernel's EPERM, which glibc reports as EACCES).
              if (mq_unlink(readable.name().c_str()) != -1 || errno != EACCES) return 4;
              if (syscall(SYS_mq_unlink, readable.name().c_str() + 1) != -1 || errno != EPERM) {
                return 5;
              }
              return 0;
            }),
            0);

  // The creator gets its access mode whatever the queue's mode says.
  std::string name = UniqueName();
  mqd_t d = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0, nullptr);
  ASSERT_THAT(d, SyscallSucceeds());
  EXPECT_THAT(mq_send(d, "x", 1, 0), SyscallSucceeds());
  mq_close(d);
  EXPECT_THAT(mq_unlink(name.c_str()), SyscallSucceeds());
}

TEST(MqueueTest, UmaskAndFstat) {
  mode_t old = umask(027);
  ScopedQueue q(2, 16, O_RDWR, 0666);
  umask(old);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  struct stat st {};
  ASSERT_THAT(fstat(q.fd(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISREG(st.st_mode)) << std::oct << st.st_mode;
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_gid, getegid());
  EXPECT_EQ(st.st_nlink, 1u);
  EXPECT_EQ(st.st_size, 80);  // FILENT_SIZE, what read(2) gives at most
  ASSERT_THAT(mq_unlink(q.name().c_str()), SyscallSucceeds());
  ASSERT_THAT(fstat(q.fd(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_nlink, 0u);
}

TEST(MqueueTest, AlwaysCloexecAndProcFdName) {
  std::string name = UniqueName();
  mqd_t d = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, nullptr);
  ASSERT_THAT(d, SyscallSucceeds());
  EXPECT_THAT(fcntl(d, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  // Linux makes every queue descriptor close-on-exec, asked or not.
  mqd_t d2 = mq_open(name.c_str(), O_RDONLY);
  ASSERT_THAT(d2, SyscallSucceeds());
  EXPECT_THAT(fcntl(d2, F_GETFD), SyscallSucceedsWithValue(FD_CLOEXEC));
  char buf[512] = {};
  std::string link = "/proc/self/fd/" + std::to_string(d);
  ASSERT_THAT(readlink(link.c_str(), buf, sizeof(buf) - 1), SyscallSucceeds());
  EXPECT_EQ(std::string(buf), name);
  mq_close(d2);
  mq_close(d);
  mq_unlink(name.c_str());
}

// ---- Sending and receiving ----

TEST(MqueueTest, PriorityOrderFifoWithinPriority) {
  ScopedQueue q(8, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  struct Msg {
    const char* text;
    unsigned prio;
  };
  const Msg sent[] = {{"a1", 1}, {"b5", 5}, {"c3", 3}, {"d5", 5}, {"e0", 0}, {"f3", 3}};
  for (const Msg& m : sent) {
    ASSERT_THAT(mq_send(q.fd(), m.text, strlen(m.text), m.prio), SyscallSucceeds());
  }
  mq_attr attr{};
  ASSERT_THAT(mq_getattr(q.fd(), &attr), SyscallSucceeds());
  EXPECT_EQ(attr.mq_curmsgs, 6);
  const Msg want[] = {{"b5", 5}, {"d5", 5}, {"c3", 3}, {"f3", 3}, {"a1", 1}, {"e0", 0}};
  for (const Msg& m : want) {
    char buf[16] = {};
    unsigned prio = 99;
    ASSERT_THAT(mq_receive(q.fd(), buf, sizeof(buf), &prio), SyscallSucceedsWithValue(2));
    EXPECT_EQ(std::string(buf, 2), m.text);
    EXPECT_EQ(prio, m.prio);
  }
  // An empty message, and a null priority pointer.
  ASSERT_THAT(mq_send(q.fd(), "", 0, kMqPrioMax - 1), SyscallSucceeds());
  char buf[16];
  EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(0));
}

TEST(MqueueTest, SizeAndArgumentErrors) {
  ScopedQueue q(2, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  char big[17] = {};
  EXPECT_THAT(mq_send(q.fd(), big, 17, 0), SyscallFailsWithErrno(EMSGSIZE));
  EXPECT_THAT(mq_send(q.fd(), big, 16, kMqPrioMax), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mq_send(q.fd(), reinterpret_cast<char*>(8), 4, 0), SyscallFailsWithErrno(EFAULT));
  ASSERT_THAT(mq_send(q.fd(), big, 16, 0), SyscallSucceeds());
  char small[15];
  EXPECT_THAT(mq_receive(q.fd(), small, sizeof(small), nullptr), SyscallFailsWithErrno(EMSGSIZE));
  timespec bad{0, 1000000000};
  char buf[16];
  EXPECT_THAT(mq_timedreceive(q.fd(), buf, sizeof(buf), nullptr, &bad),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_mq_timedreceive, q.fd(), buf, sizeof(buf), nullptr,
                      reinterpret_cast<timespec*>(8)),
              SyscallFailsWithErrno(EFAULT));
  // A bad buffer loses the message, as on Linux (it is taken first).
  EXPECT_THAT(mq_receive(q.fd(), reinterpret_cast<char*>(8), 16, nullptr),
              SyscallFailsWithErrno(EFAULT));
  mq_attr attr{};
  ASSERT_THAT(mq_getattr(q.fd(), &attr), SyscallSucceeds());
  EXPECT_EQ(attr.mq_curmsgs, 0);

  int pipefd[2];
  ASSERT_THAT(pipe(pipefd), SyscallSucceeds());
  EXPECT_THAT(mq_send(pipefd[1], "x", 1, 0), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(mq_receive(pipefd[0], buf, sizeof(buf), nullptr), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(mq_getattr(pipefd[0], &attr), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(mq_notify(pipefd[0], nullptr), SyscallFailsWithErrno(EBADF));
  close(pipefd[0]);
  close(pipefd[1]);
  EXPECT_THAT(mq_send(-1, "x", 1, 0), SyscallFailsWithErrno(EBADF));
}

TEST(MqueueTest, AccessModeChecked) {
  ScopedQueue q(2, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  mqd_t r = mq_open(q.name().c_str(), O_RDONLY);
  ASSERT_THAT(r, SyscallSucceeds());
  mqd_t w = mq_open(q.name().c_str(), O_WRONLY);
  ASSERT_THAT(w, SyscallSucceeds());
  char buf[16];
  EXPECT_THAT(mq_send(r, "x", 1, 0), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(mq_receive(w, buf, sizeof(buf), nullptr), SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(mq_send(w, "x", 1, 0), SyscallSucceeds());
  EXPECT_THAT(mq_receive(r, buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(1));
  mq_close(r);
  mq_close(w);
}

TEST(MqueueTest, NonblockingAndTimeouts) {
  ScopedQueue q(1, 16, O_RDWR | O_NONBLOCK);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  char buf[16];
  EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallFailsWithErrno(EAGAIN));
  ASSERT_THAT(mq_send(q.fd(), "x", 1, 0), SyscallSucceeds());
  EXPECT_THAT(mq_send(q.fd(), "y", 1, 0), SyscallFailsWithErrno(EAGAIN));

  // Blocking again: a deadline gone by (or soon reached) is ETIMEDOUT.
  mq_attr attr{};
  ASSERT_THAT(mq_setattr(q.fd(), &attr, nullptr), SyscallSucceeds());
  timespec past = AbsoluteIn(-1000);
  EXPECT_THAT(mq_timedsend(q.fd(), "y", 1, 0, &past), SyscallFailsWithErrno(ETIMEDOUT));
  timespec soon = AbsoluteIn(20);
  EXPECT_THAT(mq_timedsend(q.fd(), "y", 1, 0, &soon), SyscallFailsWithErrno(ETIMEDOUT));
  // A message there is taken whatever the deadline.
  EXPECT_THAT(mq_timedreceive(q.fd(), buf, sizeof(buf), nullptr, &past),
              SyscallSucceedsWithValue(1));
  EXPECT_THAT(mq_timedreceive(q.fd(), buf, sizeof(buf), nullptr, &past),
              SyscallFailsWithErrno(ETIMEDOUT));
  soon = AbsoluteIn(20);
  EXPECT_THAT(mq_timedreceive(q.fd(), buf, sizeof(buf), nullptr, &soon),
              SyscallFailsWithErrno(ETIMEDOUT));
}

TEST(MqueueTest, BlockedReceiveGetsMessageFromAnotherThread) {
  ScopedQueue q(2, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  std::thread sender([&] { EXPECT_THAT(mq_send(q.fd(), "hello", 5, 7), SyscallSucceeds()); });
  char buf[16] = {};
  unsigned prio = 0;
  EXPECT_THAT(RetryEINTR(mq_receive)(q.fd(), buf, sizeof(buf), &prio), SyscallSucceedsWithValue(5));
  EXPECT_EQ(std::string(buf, 5), "hello");
  EXPECT_EQ(prio, 7u);
  sender.join();
}

TEST(MqueueTest, BlockedSendProceedsWhenRoomIsMade) {
  ScopedQueue q(1, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  ASSERT_THAT(mq_send(q.fd(), "first", 5, 0), SyscallSucceeds());
  std::thread receiver([&] {
    char buf[16];
    EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(5));
  });
  EXPECT_THAT(RetryEINTR(mq_send)(q.fd(), "second", 6, 0), SyscallSucceeds());
  receiver.join();
  char buf[16] = {};
  EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(6));
  EXPECT_EQ(std::string(buf, 6), "second");
}

TEST(MqueueTest, BlockedReceiveInterruptedWithoutSaRestart) {
  ScopedHandler h(SIGUSR1, 0);
  ScopedQueue q(2, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  pid_t me = Gettid();
  std::atomic<bool> done{false};
  std::thread signaller([&] {
    while (!done.load()) {
      syscall(SYS_tgkill, getpid(), me, SIGUSR1);
      usleep(5000);
    }
  });
  char buf[16];
  EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallFailsWithErrno(EINTR));
  done = true;
  signaller.join();
}

// mq_timedreceive and mq_timedsend are restarted under SA_RESTART
// (signal(7)); the absolute deadline stays the same.
TEST(MqueueTest, BlockedReceiveRestartsWithSaRestart) {
  ScopedHandler h(SIGUSR1, SA_RESTART);
  g_handled = 0;
  ScopedQueue q(2, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  pid_t me = Gettid();
  std::thread sender([&] {
    for (int i = 0; i < 20; ++i) {
      syscall(SYS_tgkill, getpid(), me, SIGUSR1);
      usleep(2000);
    }
    while (g_handled.load() == 0) usleep(1000);
    EXPECT_THAT(mq_send(q.fd(), "late", 4, 0), SyscallSucceeds());
  });
  char buf[16] = {};
  EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(4));
  EXPECT_EQ(std::string(buf, 4), "late");
  sender.join();
  EXPECT_GE(g_handled.load(), 1);
}

TEST(MqueueTest, UnlinkedQueueLivesWhileOpen) {
  std::string name = UniqueName();
  mqd_t d = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr);
  ASSERT_THAT(d, SyscallSucceeds());
  ASSERT_THAT(mq_send(d, "kept", 4, 1), SyscallSucceeds());
  ASSERT_THAT(mq_unlink(name.c_str()), SyscallSucceeds());
  EXPECT_THAT(mq_open(name.c_str(), O_RDWR), SyscallFailsWithErrno(ENOENT));
  // The name is free for a new, different queue.
  mqd_t d2 = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr);
  ASSERT_THAT(d2, SyscallSucceeds());
  mq_attr attr{};
  ASSERT_THAT(mq_getattr(d2, &attr), SyscallSucceeds());
  EXPECT_EQ(attr.mq_curmsgs, 0);
  char buf[kDefaultMsgSize];
  EXPECT_THAT(mq_receive(d, buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(4));
  EXPECT_THAT(mq_send(d, "more", 4, 1), SyscallSucceeds());
  EXPECT_THAT(mq_receive(d, buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(4));
  mq_close(d2);
  mq_close(d);
  EXPECT_THAT(mq_unlink(name.c_str()), SyscallSucceeds());
}

TEST(MqueueTest, SharedAcrossFork) {
  ScopedQueue q(4, 32);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  // The reply travels on a queue of its own: on one queue the child could
  // take back its own message before the parent does.
  ScopedQueue reply(4, 32);
  ASSERT_THAT(reply.fd(), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    mqd_t d = mq_open(q.name().c_str(), O_WRONLY);
    if (d < 0) _exit(1);
    if (mq_send(d, "from child", 10, 2) != 0) _exit(2);
    char buf[32];
    unsigned prio = 0;
    // The parent's reply, through the inherited descriptor.
    if (RetryEINTR(mq_receive)(reply.fd(), buf, sizeof(buf), &prio) != 5 || prio != 9) _exit(3);
    _exit(0);
  }
  char buf[32] = {};
  unsigned prio = 0;
  ASSERT_THAT(RetryEINTR(mq_receive)(q.fd(), buf, sizeof(buf), &prio),
              SyscallSucceedsWithValue(10));
  EXPECT_EQ(std::string(buf, 10), "from child");
  EXPECT_EQ(prio, 2u);
  ASSERT_THAT(mq_send(reply.fd(), "reply", 5, 9), SyscallSucceeds());
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// ---- mq_getsetattr ----

TEST(MqueueTest, SetattrChangesOnlyNonblock) {
  ScopedQueue q(3, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  mq_attr set{};
  set.mq_flags = O_NONBLOCK;
  set.mq_maxmsg = 100;  // ignored
  set.mq_msgsize = 100;
  mq_attr old{};
  ASSERT_THAT(mq_setattr(q.fd(), &set, &old), SyscallSucceeds());
  EXPECT_EQ(old.mq_flags, 0);
  EXPECT_EQ(old.mq_maxmsg, 3);
  mq_attr now{};
  ASSERT_THAT(mq_getattr(q.fd(), &now), SyscallSucceeds());
  EXPECT_EQ(now.mq_flags, O_NONBLOCK);
  EXPECT_EQ(now.mq_maxmsg, 3);
  EXPECT_EQ(now.mq_msgsize, 16);
  // It is the file's status flag.
  EXPECT_THAT(fcntl(q.fd(), F_GETFL), SyscallSucceedsWithValue(O_RDWR | O_NONBLOCK));
  char buf[16];
  EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallFailsWithErrno(EAGAIN));
  set.mq_flags = O_NONBLOCK | O_APPEND;
  EXPECT_THAT(mq_setattr(q.fd(), &set, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_mq_getsetattr, q.fd(), reinterpret_cast<mq_attr*>(8), nullptr),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_mq_getsetattr, q.fd(), nullptr, reinterpret_cast<mq_attr*>(8)),
              SyscallFailsWithErrno(EFAULT));
  ASSERT_THAT(mq_send(q.fd(), "ab", 2, 0), SyscallSucceeds());
  ASSERT_THAT(mq_getattr(q.fd(), &now), SyscallSucceeds());
  EXPECT_EQ(now.mq_curmsgs, 1);
}

// ---- The descriptor as a file ----

TEST(MqueueTest, PollReadiness) {
  ScopedQueue q(2, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  pollfd p{q.fd(), POLLIN | POLLOUT, 0};
  ASSERT_THAT(poll(&p, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(p.revents, POLLOUT);
  ASSERT_THAT(mq_send(q.fd(), "a", 1, 0), SyscallSucceeds());
  ASSERT_THAT(poll(&p, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(p.revents, POLLIN | POLLOUT);
  ASSERT_THAT(mq_send(q.fd(), "b", 1, 0), SyscallSucceeds());
  ASSERT_THAT(poll(&p, 1, 0), SyscallSucceedsWithValue(1));
  EXPECT_EQ(p.revents, POLLIN);

  fd_set rd, wr;
  FD_ZERO(&rd);
  FD_ZERO(&wr);
  FD_SET(q.fd(), &rd);
  FD_SET(q.fd(), &wr);
  timeval tv{0, 0};
  ASSERT_THAT(select(q.fd() + 1, &rd, &wr, nullptr, &tv), SyscallSucceedsWithValue(1));
  EXPECT_TRUE(FD_ISSET(q.fd(), &rd));
  EXPECT_FALSE(FD_ISSET(q.fd(), &wr));
}

TEST(MqueueTest, EpollWakesOnSendAndReceive) {
  ScopedQueue q(1, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  int ep = epoll_create1(EPOLL_CLOEXEC);
  ASSERT_THAT(ep, SyscallSucceeds());
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u32 = 42;
  ASSERT_THAT(epoll_ctl(ep, EPOLL_CTL_ADD, q.fd(), &ev), SyscallSucceeds());
  std::thread sender([&] { EXPECT_THAT(mq_send(q.fd(), "x", 1, 0), SyscallSucceeds()); });
  epoll_event out{};
  ASSERT_THAT(RetryEINTR(epoll_wait)(ep, &out, 1, -1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(out.events, static_cast<uint32_t>(EPOLLIN));
  EXPECT_EQ(out.data.u32, 42u);
  sender.join();

  // Full: waiting for room ends when another thread takes the message.
  ev.events = EPOLLOUT;
  ASSERT_THAT(epoll_ctl(ep, EPOLL_CTL_MOD, q.fd(), &ev), SyscallSucceeds());
  ASSERT_THAT(epoll_wait(ep, &out, 1, 0), SyscallSucceedsWithValue(0));
  std::thread receiver([&] {
    char buf[16];
    EXPECT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(1));
  });
  ASSERT_THAT(RetryEINTR(epoll_wait)(ep, &out, 1, -1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(out.events, static_cast<uint32_t>(EPOLLOUT));
  receiver.join();
  close(ep);
}

std::string StatusLine(size_t qsize, int notify, int signo, int pid) {
  char buf[128];
  snprintf(buf, sizeof(buf), "QSIZE:%-10zu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize, notify,
           signo, pid);
  return buf;
}

std::string ReadAt(int fd, off_t off) {
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof(buf), off);
  return n < 0 ? "error " + ErrnoName(errno) : std::string(buf, static_cast<size_t>(n));
}

TEST(MqueueTest, ReadGivesStatusLine) {
  ScopedQueue q(4, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(0, 0, 0, 0));
  ASSERT_THAT(mq_send(q.fd(), "hello", 5, 0), SyscallSucceeds());
  ASSERT_THAT(mq_send(q.fd(), "abc", 3, 0), SyscallSucceeds());
  sigevent sev{};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR2;
  ASSERT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
  EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(8, SIGEV_SIGNAL, SIGUSR2, getpid()));
  ASSERT_THAT(mq_notify(q.fd(), nullptr), SyscallSucceeds());
  sev.sigev_notify = SIGEV_NONE;
  ASSERT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
  std::string line = StatusLine(8, SIGEV_NONE, 0, getpid());
  EXPECT_EQ(ReadAt(q.fd(), 0), line);
  EXPECT_EQ(ReadAt(q.fd(), 6), line.substr(6));

  // read(2) moves the position; lseek works as on a small file.
  char buf[256];
  ASSERT_THAT(read(q.fd(), buf, 10), SyscallSucceedsWithValue(10));
  EXPECT_THAT(read(q.fd(), buf, sizeof(buf)),
              SyscallSucceedsWithValue(static_cast<ssize_t>(line.size() - 10)));
  EXPECT_THAT(read(q.fd(), buf, sizeof(buf)), SyscallSucceedsWithValue(0));
  EXPECT_THAT(lseek(q.fd(), 0, SEEK_SET), SyscallSucceedsWithValue(0));
  EXPECT_THAT(read(q.fd(), buf, sizeof(buf)),
              SyscallSucceedsWithValue(static_cast<ssize_t>(line.size())));
  EXPECT_THAT(write(q.fd(), "x", 1), SyscallFailsWithErrno(EINVAL));
  mqd_t w = mq_open(q.name().c_str(), O_WRONLY);
  ASSERT_THAT(w, SyscallSucceeds());
  EXPECT_THAT(read(w, buf, sizeof(buf)), SyscallFailsWithErrno(EBADF));
  mq_close(w);
}

// ---- mq_notify ----

// Blocks `sig` for the scope (the notification is then taken with
// sigtimedwait), discarding what is left pending at the end.
class ScopedBlock {
 public:
  explicit ScopedBlock(int sig) : sig_(sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    pthread_sigmask(SIG_BLOCK, &s, &old_);
  }
  ~ScopedBlock() {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig_);
    timespec zero{0, 0};
    while (sigtimedwait(&s, nullptr, &zero) == sig_) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  int sig_;
  sigset_t old_;
};

bool Pending(int sig) {
  sigset_t s;
  sigpending(&s);
  return sigismember(&s, sig);
}

TEST(MqueueTest, NotifySignalOnEmptyToNonEmpty) {
  ScopedBlock block(SIGUSR2);
  ScopedQueue q(4, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  sigevent sev{};
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = SIGUSR2;
  sev.sigev_value.sival_int = 4242;
  ASSERT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
  // One registration per queue, even for the same process.
  EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallFailsWithErrno(EBUSY));
  ASSERT_THAT(mq_send(q.fd(), "a", 1, 0), SyscallSucceeds());

  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR2);
  siginfo_t info{};
  timespec wait{10, 0};
  ASSERT_THAT(sigtimedwait(&s, &info, &wait), SyscallSucceedsWithValue(SIGUSR2));
  EXPECT_EQ(info.si_code, SI_MESGQ);
  EXPECT_EQ(info.si_value.sival_int, 4242);
  EXPECT_EQ(info.si_pid, getpid());
  EXPECT_EQ(info.si_uid, getuid());

  // The registration was used up: more messages send nothing, and a new
  // registration is accepted.
  ASSERT_THAT(mq_send(q.fd(), "b", 1, 0), SyscallSucceeds());
  EXPECT_FALSE(Pending(SIGUSR2));
  ASSERT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
  // The queue is not empty: only a change from empty notifies.
  ASSERT_THAT(mq_send(q.fd(), "c", 1, 0), SyscallSucceeds());
  EXPECT_FALSE(Pending(SIGUSR2));
  char buf[16];
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(mq_receive(q.fd(), buf, sizeof(buf), nullptr), SyscallSucceedsWithValue(1));
  }
  EXPECT_FALSE(Pending(SIGUSR2));
  ASSERT_THAT(mq_send(q.fd(), "d", 1, 0), SyscallSucceeds());
  ASSERT_THAT(sigtimedwait(&s, &info, &wait), SyscallSucceedsWithValue(SIGUSR2));
  EXPECT_EQ(info.si_code, SI_MESGQ);
}

TEST(MqueueTest, NotifyRegistrationIsPerQueueAndOwner) {
  ScopedQueue q(4, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  sigevent sev{};
  sev.sigev_notify = SIGEV_NONE;
  ASSERT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    // Another process: EBUSY, and its removal request is ignored.
    if (mq_notify(q.fd(), &sev) != -1 || errno != EBUSY) _exit(1);
    if (mq_notify(q.fd(), nullptr) != 0) _exit(2);
    _exit(0);
  }
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // Still ours (the child's exit, closing its copy, did not drop it).
  EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(0, SIGEV_NONE, 0, getpid()));
  ASSERT_THAT(mq_notify(q.fd(), nullptr), SyscallSucceeds());
  EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(0, 0, 0, 0));
  ASSERT_THAT(mq_notify(q.fd(), nullptr), SyscallSucceeds());

  // SIGEV_NONE is used up by a message all the same.
  ASSERT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
  ASSERT_THAT(mq_send(q.fd(), "x", 1, 0), SyscallSucceeds());
  EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(1, 0, 0, 0));

  sev.sigev_notify = 99;
  EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallFailsWithErrno(EINVAL));
  sev.sigev_notify = SIGEV_SIGNAL;
  sev.sigev_signo = 65;
  EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_mq_notify, q.fd(), reinterpret_cast<sigevent*>(8)),
              SyscallFailsWithErrno(EFAULT));
}

TEST(MqueueTest, CloseDropsTheCallersRegistration) {
  ScopedQueue q(4, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  mqd_t d = mq_open(q.name().c_str(), O_RDONLY);
  ASSERT_THAT(d, SyscallSucceeds());
  sigevent sev{};
  sev.sigev_notify = SIGEV_NONE;
  ASSERT_THAT(mq_notify(d, &sev), SyscallSucceeds());
  EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallFailsWithErrno(EBUSY));
  ASSERT_THAT(mq_close(d), SyscallSucceeds());
  EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());

  // A process that exits leaves the queue free too.
  ASSERT_THAT(mq_notify(q.fd(), nullptr), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) _exit(mq_notify(q.fd(), &sev) == 0 ? 0 : 1);
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
}

// SIGEV_THREAD is carried by a netlink socket, which the kernel checks:
// the cookie must be readable and sigev_signo a netlink socket.
TEST(MqueueTest, NotifyThreadNeedsNetlinkSocket) {
  ScopedQueue q(4, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  char cookie[32] = {};
  sigevent sev{};
  sev.sigev_notify = SIGEV_THREAD;
  sev.sigev_value.sival_ptr = nullptr;
  sev.sigev_signo = -1;
  EXPECT_THAT(syscall(SYS_mq_notify, q.fd(), &sev), SyscallFailsWithErrno(EFAULT));
  sev.sigev_value.sival_ptr = cookie;
  EXPECT_THAT(syscall(SYS_mq_notify, q.fd(), &sev), SyscallFailsWithErrno(EBADF));
  int pipefd[2];
  ASSERT_THAT(pipe(pipefd), SyscallSucceeds());
  sev.sigev_signo = pipefd[0];
  EXPECT_THAT(syscall(SYS_mq_notify, q.fd(), &sev), SyscallFailsWithErrno(ENOTSOCK));
  close(pipefd[0]);
  close(pipefd[1]);
  int sv[2];
  ASSERT_THAT(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), SyscallSucceeds());
  sev.sigev_signo = sv[0];
  EXPECT_THAT(syscall(SYS_mq_notify, q.fd(), &sev), SyscallFailsWithErrno(EINVAL));
  close(sv[0]);
  close(sv[1]);
  // Nothing was registered.
  EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(0, 0, 0, 0));
}

std::atomic<int> g_thread_notified{0};
void OnNotifyThread(sigval v) { g_thread_notified.store(v.sival_int); }

// glibc's SIGEV_THREAD needs a netlink socket; where there is none (the
// sandbox) it fails with ENOSYS and nothing is registered. Where it works,
// the function runs when a message arrives.
TEST(MqueueTest, GlibcNotifyThreadWorksOrFailsCleanly) {
  ScopedQueue q(4, 16);
  ASSERT_THAT(q.fd(), SyscallSucceeds());
  sigevent sev{};
  sev.sigev_notify = SIGEV_THREAD;
  sev.sigev_notify_function = OnNotifyThread;
  sev.sigev_value.sival_int = 77;
  g_thread_notified = 0;
  if (mq_notify(q.fd(), &sev) != 0) {
    EXPECT_EQ(errno, ENOSYS) << ErrnoName(errno);
    EXPECT_EQ(ReadAt(q.fd(), 0), StatusLine(0, 0, 0, 0));
    sev.sigev_notify = SIGEV_NONE;
    EXPECT_THAT(mq_notify(q.fd(), &sev), SyscallSucceeds());
    return;
  }
  ASSERT_THAT(mq_send(q.fd(), "x", 1, 0), SyscallSucceeds());
  while (g_thread_notified.load() == 0) usleep(1000);
  EXPECT_EQ(g_thread_notified.load(), 77);
}

}  // namespace
}  // namespace test_util
