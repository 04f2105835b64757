// /proc/sys files that change the kernel's behaviour when written: the IPC
// namespace's limits (fs/mqueue/*, kernel/shm*, kernel/msg*, kernel/sem),
// the UTS names and the network stack's unprivileged port start.
//
// Each test runs in a child that first takes IPC, UTS and network
// namespaces of its own (natively, so the host's settings never change; the
// sandbox has no unshare(2), ENOSYS, and its settings are its own), and
// puts back what it changed.
#include <fcntl.h>
#include <mqueue.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

std::string Read(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return "";
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

// 0, or the errno of the open or the write.
int Write(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY);
  if (fd < 0) return errno;
  int err = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) ? 0 : errno;
  close(fd);
  return err;
}

// Runs `body` in a child with namespaces of its own where the host allows
// them; its exit status is the number of the step that failed (0: none).
// Skips when natively no namespace can be had.
void InOwnNamespaces(const std::function<int()>& body) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (unshare(CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET) != 0 && errno != ENOSYS) _exit(99);
    _exit(body());
  }
  int status = 0;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  if (WEXITSTATUS(status) == 99) GTEST_SKIP() << "no namespaces of its own to change";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "step that failed: " << WEXITSTATUS(status);
}

// Runs f as nobody (no capabilities) in a grandchild: its exit status.
int AsNobody(const std::function<int()>& f) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(100);
    _exit(f());
  }
  int status = 0;
  if (RetryEINTR(waitpid)(pid, &status, 0) != pid) return 101;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 102;
}

int MqOpenWith(const char* name, long maxmsg, long msgsize) {
  mq_attr attr{};
  attr.mq_maxmsg = maxmsg;
  attr.mq_msgsize = msgsize;
  mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
  if (q < 0) return errno;
  mq_close(q);
  mq_unlink(name);
  return 0;
}

constexpr char kMsgMax[] = "/proc/sys/fs/mqueue/msg_max";

// fs.mqueue.msg_max bounds mq_maxmsg for those without CAP_SYS_RESOURCE.
TEST(SysctlTest, MqueueMsgMaxTakesEffect) {
  InOwnNamespaces([] {
    const std::string old = Read(kMsgMax);
    if (old.empty()) return 1;
    if (Write(kMsgMax, "5\n") != 0) return 2;
    if (Read(kMsgMax) != "5\n") return 3;
    int r = AsNobody([] {
      std::string name = "/sk_sysctl_" + std::to_string(getpid());
      if (MqOpenWith(name.c_str(), 6, 16) != EINVAL) return 1;
      if (MqOpenWith(name.c_str(), 5, 16) != 0) return 2;
      return 0;
    });
    if (r != 0) return 10 + r;
    // Raised, the bigger queue is allowed.
    if (Write(kMsgMax, "20") != 0) return 4;
    r = AsNobody([] {
      std::string name = "/sk_sysctl_" + std::to_string(getpid());
      return MqOpenWith(name.c_str(), 20, 16) == 0 ? 0 : 1;
    });
    if (r != 0) return 20 + r;
    if (Write(kMsgMax, old) != 0) return 5;
    return 0;
  });
}

// A queue made without attributes gets msg_default and msgsize_default.
TEST(SysctlTest, MqueueDefaults) {
  InOwnNamespaces([] {
    const std::string old_msg = Read("/proc/sys/fs/mqueue/msg_default");
    const std::string old_size = Read("/proc/sys/fs/mqueue/msgsize_default");
    if (Write("/proc/sys/fs/mqueue/msg_default", "3") != 0) return 1;
    if (Write("/proc/sys/fs/mqueue/msgsize_default", "256") != 0) return 2;
    std::string name = "/sk_sysctl_def_" + std::to_string(getpid());
    mqd_t q = mq_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr);
    if (q < 0) return 3;
    mq_attr attr{};
    int bad = mq_getattr(q, &attr) != 0 || attr.mq_maxmsg != 3 || attr.mq_msgsize != 256;
    mq_close(q);
    mq_unlink(name.c_str());
    if (bad) return 4;
    Write("/proc/sys/fs/mqueue/msg_default", old_msg);
    Write("/proc/sys/fs/mqueue/msgsize_default", old_size);
    return 0;
  });
}

// fs.mqueue.queues_max: ENOSPC past it without CAP_SYS_RESOURCE.
TEST(SysctlTest, MqueueQueuesMax) {
  InOwnNamespaces([] {
    const std::string path = "/proc/sys/fs/mqueue/queues_max";
    const std::string old = Read(path);
    std::string first = "/sk_sysctl_qa_" + std::to_string(getpid());
    std::string second = "/sk_sysctl_qb_" + std::to_string(getpid());
    mqd_t a = mq_open(first.c_str(), O_RDWR | O_CREAT | O_EXCL, 0666, nullptr);
    if (a < 0) return 2;
    // With the limit at the count (the namespace holds only this queue),
    // those without CAP_SYS_RESOURCE can make no more.
    if (Write(path, "1") != 0) return 3;
    int r = AsNobody([&] {
      mqd_t b = mq_open(second.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600, nullptr);
      if (b >= 0) {
        mq_close(b);
        mq_unlink(second.c_str());
        return 1;
      }
      return errno == ENOSPC ? 0 : 2;
    });
    mq_close(a);
    mq_unlink(first.c_str());
    Write(path, old);
    return r == 0 ? 0 : 10 + r;
  });
}

// Bad values are refused with EINVAL and change nothing.
TEST(SysctlTest, BadValuesRefused) {
  InOwnNamespaces([] {
    const std::string old = Read(kMsgMax);
    if (Write(kMsgMax, "abc") != EINVAL) return 1;
    if (Write(kMsgMax, "0") != EINVAL) return 2;
    if (Write(kMsgMax, "65537") != EINVAL) return 3;
    if (Write(kMsgMax, "12x") != EINVAL) return 4;
    if (Write(kMsgMax, "  ") != EINVAL) return 7;
    if (Write(kMsgMax, "-3") != EINVAL) return 8;
    if (Read(kMsgMax) != old) return 5;
    if (Write("/proc/sys/kernel/shmmax", "-1") != EINVAL) return 6;
    return 0;
  });
}

// Only root may write them.
TEST(SysctlTest, NotWritableByOthers) {
  InOwnNamespaces([] {
    return AsNobody([] {
      if (Write(kMsgMax, "5") != EACCES) return 1;
      if (Write("/proc/sys/kernel/shmmax", "4096") != EACCES) return 2;
      return 0;
    });
  });
}

// kernel.shmmax bounds shmget's size; IPC_INFO reports it.
TEST(SysctlTest, ShmmaxTakesEffect) {
  InOwnNamespaces([] {
    const std::string path = "/proc/sys/kernel/shmmax";
    const std::string old = Read(path);
    if (Write(path, "8192") != 0) return 1;
    if (Read(path) != "8192\n") return 2;
    if (shmget(IPC_PRIVATE, 8193, IPC_CREAT | 0600) != -1 || errno != EINVAL) return 3;
    int id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
    if (id < 0) return 4;
    shmctl(id, IPC_RMID, nullptr);
    struct shminfo info {};
    if (shmctl(0, IPC_INFO, reinterpret_cast<shmid_ds*>(&info)) < 0 || info.shmmax != 8192) {
      return 5;
    }
    if (Write(path, old) != 0) return 6;
    return 0;
  });
}

// kernel.msgmax bounds msgsnd's size; kernel.msgmnb a new queue's bytes.
TEST(SysctlTest, MsgmaxAndMsgmnbTakeEffect) {
  InOwnNamespaces([] {
    const std::string old_max = Read("/proc/sys/kernel/msgmax");
    const std::string old_mnb = Read("/proc/sys/kernel/msgmnb");
    if (Write("/proc/sys/kernel/msgmax", "100") != 0) return 1;
    if (Write("/proc/sys/kernel/msgmnb", "300") != 0) return 2;
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (id < 0) return 3;
    struct {
      long type;
      char text[200];
    } m{1, {}};
    int step = 0;
    if (msgsnd(id, &m, 101, IPC_NOWAIT) != -1 || errno != EINVAL) step = 4;
    msqid_ds ds{};
    if (!step && (msgctl(id, IPC_STAT, &ds) != 0 || ds.msg_qbytes != 300)) step = 5;
    if (!step && msgsnd(id, &m, 100, IPC_NOWAIT) != 0) step = 6;
    msgctl(id, IPC_RMID, nullptr);
    Write("/proc/sys/kernel/msgmax", old_max);
    Write("/proc/sys/kernel/msgmnb", old_mnb);
    return step;
  });
}

// kernel.sem: SEMMSL SEMMNS SEMOPM SEMMNI.
TEST(SysctlTest, SemTakesEffect) {
  InOwnNamespaces([] {
    const std::string path = "/proc/sys/kernel/sem";
    const std::string old = Read(path);
    if (Write(path, "10 100 5 20") != 0) return 1;
    if (Read(path) != "10\t100\t5\t20\n") return 2;
    if (semget(IPC_PRIVATE, 11, IPC_CREAT | 0600) != -1 || errno != EINVAL) return 3;
    int id = semget(IPC_PRIVATE, 10, IPC_CREAT | 0600);
    if (id < 0) return 4;
    sembuf ops[6] = {};
    int step = 0;
    if (semop(id, ops, 6) != -1 || errno != E2BIG) step = 5;
    semctl(id, 0, IPC_RMID);
    // SEMMNI beyond IPCMNI (32768) is out of range and stays; the others
    // given change.
    if (!step && Write(path, "11 101 6 40000") != ERANGE) step = 6;
    if (!step && Read(path) != "11\t101\t6\t20\n") step = 7;
    // Fewer values change the first ones.
    if (!step && (Write(path, "12") != 0 || Read(path) != "12\t101\t6\t20\n")) step = 8;
    Write(path, old);
    return step;
  });
}

// kernel.hostname is the UTS name uname(2) reports.
TEST(SysctlTest, HostnameWritable) {
  InOwnNamespaces([] {
    if (Write("/proc/sys/kernel/hostname", "sysctl-host\n") != 0) return 1;
    struct utsname u;
    if (uname(&u) != 0 || strcmp(u.nodename, "sysctl-host") != 0) return 2;
    if (Read("/proc/sys/kernel/hostname") != "sysctl-host\n") return 3;
    return 0;
  });
}

// net.ipv4.ip_unprivileged_port_start: binding below it takes
// CAP_NET_BIND_SERVICE.
TEST(SysctlTest, UnprivilegedPortStart) {
  InOwnNamespaces([] {
    const std::string path = "/proc/sys/net/ipv4/ip_unprivileged_port_start";
    const std::string old = Read(path);
    if (old.empty()) return 1;
    if (Write(path, "900") != 0) return 2;
    int r = AsNobody([] {
      auto bind_port = [](int port) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0) return -1;
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        int err = bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 ? 0 : errno;
        close(s);
        return err;
      };
      if (bind_port(899) != EACCES) return 1;
      if (bind_port(901) != 0) return 2;
      return 0;
    });
    if (r != 0) return 10 + r;
    // It may not reach into the ephemeral range.
    if (Write(path, "40000") != EINVAL) return 3;
    if (Write(path, old) != 0) return 4;
    return 0;
  });
}

// net.ipv4.ip_local_port_range: where bind(2) to port 0 picks a port.
TEST(SysctlTest, LocalPortRange) {
  InOwnNamespaces([] {
    const std::string path = "/proc/sys/net/ipv4/ip_local_port_range";
    const std::string old = Read(path);
    if (old.empty()) return 1;
    if (Write(path, "40123 40123") != 0) return 2;
    if (Read(path) != "40123\t40123\n") return 3;
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) return 4;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    socklen_t len = sizeof(a);
    int step = 0;
    if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) step = 5;
    if (!step && getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) step = 6;
    if (!step && ntohs(a.sin_port) != 40123) step = 7;
    close(s);
    // Upside down, or below the unprivileged port start: EINVAL.
    if (!step && Write(path, "40000 39999") != EINVAL) step = 8;
    if (!step && Write(path, "80 40000") != EINVAL) step = 9;
    if (Write(path, old) != 0 && !step) step = 10;
    return step;
  });
}

}  // namespace
}  // namespace test_util
