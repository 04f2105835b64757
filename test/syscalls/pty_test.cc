// Pseudo-terminals: /dev/ptmx and /dev/pts (posix_openpt, grantpt,
// unlockpt, ptsname, TIOCGPTPEER), the line discipline (canonical editing,
// echo, raw mode, input and output translation, VMIN/VTIME), signals from
// the terminal (ISIG, SIGWINCH, SIGHUP at hang-up, SIGTTIN for background
// readers), the controlling terminal and /dev/tty, and poll readiness.
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <string>

#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace {

using ::test_util::RetryEINTR;
using ::test_util::SyscallFailsWithErrno;
using ::test_util::SyscallSucceeds;
using ::test_util::SyscallSucceedsWithValue;

// An fd closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// A new pty master, unlocked, and the replica's name.
Fd OpenMaster(int extra_flags, std::string* name) {
  int m = posix_openpt(O_RDWR | O_NOCTTY | extra_flags);
  if (m < 0) return Fd();
  if (grantpt(m) != 0 || unlockpt(m) != 0) {
    close(m);
    return Fd();
  }
  if (name != nullptr) *name = ptsname(m);
  return Fd(m);
}

// What poll(2) reports for fd now.
int Revents(int fd, int events = POLLIN | POLLOUT) {
  pollfd p{fd, static_cast<int16_t>(events), 0};
  if (poll(&p, 1, 0) < 0) return -1;
  return p.revents;
}

// Waits (up to 10 s) until fd is readable. Linux moves pty data from one
// side to the other asynchronously, so a test waits for it to arrive.
bool WaitReadable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 10000) == 1 && (p.revents & POLLIN);
}

// Reads what is available on a non-blocking fd (up to 4 KiB) once there is
// something.
std::string ReadAvailable(int fd) {
  if (!WaitReadable(fd)) return std::string();
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof(buf));
  return n > 0 ? std::string(buf, n) : std::string();
}

// Reads from a non-blocking fd until n bytes have come (or none come for
// 10 s).
std::string ReadExactly(int fd, size_t n) {
  std::string out;
  while (out.size() < n && WaitReadable(fd)) {
    char buf[4096];
    ssize_t r = read(fd, buf, std::min(sizeof(buf), n - out.size()));
    if (r <= 0) break;
    out.append(buf, r);
  }
  return out;
}

// Whether fd becomes readable within a moment (for draining what may come).
bool WaitReadableBriefly(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 100) == 1 && (p.revents & POLLIN);
}

// Reads exactly n bytes (blocking fd).
std::string ReadN(int fd, size_t n) {
  std::string out;
  while (out.size() < n) {
    char buf[256];
    ssize_t r = read(fd, buf, std::min(sizeof(buf), n - out.size()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    out.append(buf, r);
  }
  return out;
}

bool WriteAll(int fd, const std::string& s) {
  return write(fd, s.data(), s.size()) == static_cast<ssize_t>(s.size());
}

// Runs fn in a forked child; answers its wait status.
int InChild(const std::function<int()>& fn) {
  pid_t pid = fork();
  if (pid == 0) _exit(fn());
  int status = -1;
  if (pid < 0) return -1;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

volatile sig_atomic_t g_signal_seen = 0;
void Record(int sig) { g_signal_seen = sig; }

TEST(PtyTest, OpenptUnlockPtsname) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_THAT(m, SyscallSucceeds());
  Fd master(m);
  EXPECT_TRUE(isatty(m));
  unsigned n = ~0u;
  ASSERT_THAT(ioctl(m, TIOCGPTN, &n), SyscallSucceeds());
  std::string name = "/dev/pts/" + std::to_string(n);
  int locked = 0;
  ASSERT_THAT(ioctl(m, TIOCGPTLCK, &locked), SyscallSucceeds());
  EXPECT_EQ(locked, 1);
  // A locked replica cannot be opened.
  EXPECT_THAT(open(name.c_str(), O_RDWR | O_NOCTTY), SyscallFailsWithErrno(EIO));
  ASSERT_THAT(grantpt(m), SyscallSucceeds());
  ASSERT_THAT(unlockpt(m), SyscallSucceeds());
  ASSERT_THAT(ioctl(m, TIOCGPTLCK, &locked), SyscallSucceeds());
  EXPECT_EQ(locked, 0);
  ASSERT_NE(ptsname(m), nullptr);
  EXPECT_EQ(std::string(ptsname(m)), name);

  struct stat st;
  ASSERT_THAT(stat(name.c_str(), &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(major(st.st_rdev), 136u);
  EXPECT_EQ(minor(st.st_rdev), n);
  ASSERT_THAT(fstat(m, &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(major(st.st_rdev), 5u);
  EXPECT_EQ(minor(st.st_rdev), 2u);

  int r = open(name.c_str(), O_RDWR | O_NOCTTY);
  ASSERT_THAT(r, SyscallSucceeds());
  Fd replica(r);
  EXPECT_TRUE(isatty(r));
  char tn[64] = {};
  ASSERT_EQ(ttyname_r(r, tn, sizeof(tn)), 0);
  EXPECT_EQ(std::string(tn), name);
  // The replica is no master: the pty-number ioctls do not apply.
  EXPECT_THAT(ioctl(r, TIOCGPTN, &n), SyscallFailsWithErrno(ENOTTY));
  // Not a tty at all.
  Fd null(open("/dev/null", O_RDONLY));
  EXPECT_THAT(ioctl(null.get(), TIOCGPTN, &n), SyscallFailsWithErrno(ENOTTY));

  // Closing the master removes the replica's name.
  master.reset();
  EXPECT_THAT(open(name.c_str(), O_RDWR | O_NOCTTY), SyscallFailsWithErrno(ENOENT));
}

TEST(PtyTest, PeerIoctlOpensTheReplica) {
  std::string name;
  Fd m = OpenMaster(0, &name);
  ASSERT_GE(m.get(), 0);
  int p = ioctl(m.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_THAT(p, SyscallSucceeds());
  Fd peer(p);
  EXPECT_EQ(fcntl(p, F_GETFD), FD_CLOEXEC);
  char link[64] = {};
  std::string self = "/proc/self/fd/" + std::to_string(p);
  ASSERT_THAT(readlink(self.c_str(), link, sizeof(link) - 1), SyscallSucceeds());
  EXPECT_EQ(std::string(link), name);
  ASSERT_TRUE(WriteAll(p, "hi\n"));
  EXPECT_EQ(ReadN(m.get(), 4), "hi\r\n");
}

TEST(PtyTest, CanonicalModeEditsAndEchoes) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK));
  ASSERT_GE(r.get(), 0);

  // Nothing is readable before the line ends.
  ASSERT_TRUE(WriteAll(m.get(), "ab"));
  EXPECT_THAT(read(r.get(), nullptr, 0), SyscallSucceedsWithValue(0));
  char c;
  EXPECT_THAT(read(r.get(), &c, 1), SyscallFailsWithErrno(EAGAIN));
  EXPECT_EQ(Revents(r.get(), POLLIN), 0);
  // DEL erases (ECHOE: backspace, space, backspace), CR becomes NL (ICRNL).
  ASSERT_TRUE(WriteAll(m.get(),
                       "\x7f"
                       "c\r"));
  ASSERT_TRUE(WaitReadable(r.get()));
  EXPECT_EQ(Revents(r.get(), POLLIN), POLLIN);
  int avail = 0;
  ASSERT_THAT(ioctl(r.get(), FIONREAD, &avail), SyscallSucceeds());
  EXPECT_EQ(avail, 3);
  EXPECT_EQ(ReadAvailable(r.get()), "ac\n");
  EXPECT_EQ(ReadExactly(m.get(), 8), "ab\b \bc\r\n");

  // One line per read; ^U kills the line; ^W erases a word.
  ASSERT_TRUE(WriteAll(m.get(),
                       "one\ntwo\nxyz\x15"
                       "four five\x17six\n"));
  EXPECT_EQ(ReadAvailable(r.get()), "one\n");
  EXPECT_EQ(ReadAvailable(r.get()), "two\n");
  EXPECT_EQ(ReadAvailable(r.get()), "four six\n");
  // The echo: everything typed, ^U as a newline (no ECHOKE erasing here
  // would differ), so only its end is checked.
  EXPECT_NE(ReadExactly(m.get(), 2).size(), 0u);
  while (WaitReadableBriefly(m.get())) (void)ReadAvailable(m.get());

  // ^D ends a line without a newline; at the start of a line it is EOF.
  ASSERT_TRUE(WriteAll(m.get(), "end\x04\x04"));
  EXPECT_EQ(ReadAvailable(r.get()), "end");
  EXPECT_THAT(read(r.get(), &c, 1), SyscallSucceedsWithValue(0));

  // A short buffer takes the line in pieces.
  ASSERT_TRUE(WriteAll(m.get(), "12345\n"));
  char two[2];
  ASSERT_THAT(read(r.get(), two, 2), SyscallSucceedsWithValue(2));
  EXPECT_EQ(std::string(two, 2), "12");
  EXPECT_EQ(ReadAvailable(r.get()), "345\n");

  // ECHOCTL shows control characters as ^X.
  ASSERT_TRUE(WriteAll(m.get(), "\x01\n"));
  EXPECT_EQ(ReadAvailable(r.get()), "\x01\n");
  while (WaitReadableBriefly(m.get())) {
    std::string echo = ReadAvailable(m.get());
    if (echo.find("^A") != std::string::npos) {
      EXPECT_EQ(echo.substr(echo.find("^A")), "^A\r\n");
      break;
    }
  }
}

TEST(PtyTest, OutputProcessing) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK));
  ASSERT_GE(r.get(), 0);
  ASSERT_TRUE(WriteAll(r.get(), "a\nb\n"));
  EXPECT_EQ(ReadExactly(m.get(), 6), "a\r\nb\r\n");
  int queued = -1;
  ASSERT_THAT(ioctl(r.get(), TIOCOUTQ, &queued), SyscallSucceeds());
  EXPECT_EQ(queued, 0);
  // Without OPOST, bytes pass unchanged.
  struct termios t;
  ASSERT_THAT(tcgetattr(r.get(), &t), SyscallSucceeds());
  t.c_oflag &= ~OPOST;
  ASSERT_THAT(tcsetattr(r.get(), TCSANOW, &t), SyscallSucceeds());
  ASSERT_TRUE(WriteAll(r.get(), "a\nb\n"));
  EXPECT_EQ(ReadExactly(m.get(), 4), "a\nb\n");
  // The master's TCGETS reads the same settings.
  struct termios mt;
  ASSERT_THAT(tcgetattr(m.get(), &mt), SyscallSucceeds());
  EXPECT_EQ(mt.c_oflag, t.c_oflag);
}

TEST(PtyTest, RawMode) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK));
  ASSERT_GE(r.get(), 0);
  struct termios t;
  ASSERT_THAT(tcgetattr(r.get(), &t), SyscallSucceeds());
  cfmakeraw(&t);
  ASSERT_THAT(tcsetattr(r.get(), TCSANOW, &t), SyscallSucceeds());
  struct termios back;
  ASSERT_THAT(tcgetattr(r.get(), &back), SyscallSucceeds());
  EXPECT_EQ(back.c_lflag & (ICANON | ECHO | ISIG), 0u);

  ASSERT_TRUE(WriteAll(m.get(), std::string("a\rb\x03\x7f\n", 6)));
  ASSERT_TRUE(WaitReadable(r.get()));
  EXPECT_EQ(Revents(r.get(), POLLIN), POLLIN);
  EXPECT_EQ(ReadExactly(r.get(), 6), std::string("a\rb\x03\x7f\n", 6));
  char c;
  EXPECT_THAT(read(m.get(), &c, 1), SyscallFailsWithErrno(EAGAIN)) << "no echo";
  ASSERT_TRUE(WriteAll(r.get(), "x\n"));
  EXPECT_EQ(ReadExactly(m.get(), 2), "x\n");

  // VMIN 0, VTIME 0 on a blocking fd: a read returns what there is, even 0.
  Fd rb(open(name.c_str(), O_RDWR | O_NOCTTY));
  ASSERT_GE(rb.get(), 0);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  ASSERT_THAT(tcsetattr(rb.get(), TCSANOW, &t), SyscallSucceeds());
  EXPECT_THAT(read(rb.get(), &c, 1), SyscallSucceedsWithValue(0));
  // VMIN 3: a blocking read waits for three bytes.
  t.c_cc[VMIN] = 3;
  ASSERT_THAT(tcsetattr(rb.get(), TCSANOW, &t), SyscallSucceeds());
  ASSERT_TRUE(WriteAll(m.get(), "xyz"));
  char buf[8];
  EXPECT_THAT(read(rb.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(3));
}

TEST(PtyTest, FlushAndQueues) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK));
  ASSERT_GE(r.get(), 0);
  struct termios t;
  ASSERT_THAT(tcgetattr(r.get(), &t), SyscallSucceeds());
  cfmakeraw(&t);
  ASSERT_THAT(tcsetattr(r.get(), TCSANOW, &t), SyscallSucceeds());
  ASSERT_TRUE(WriteAll(m.get(), "12345"));
  ASSERT_TRUE(WaitReadable(r.get()));
  int n = 0;
  for (int i = 0; i < 1000 && ioctl(r.get(), TIOCINQ, &n) == 0 && n < 5; ++i) {
    WaitReadable(r.get());
  }
  ASSERT_THAT(ioctl(r.get(), TIOCINQ, &n), SyscallSucceeds());
  EXPECT_EQ(n, 5);
  ASSERT_THAT(tcflush(r.get(), TCIFLUSH), SyscallSucceeds());
  ASSERT_THAT(ioctl(r.get(), TIOCINQ, &n), SyscallSucceeds());
  EXPECT_EQ(n, 0);
  char c;
  EXPECT_THAT(read(r.get(), &c, 1), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(ioctl(r.get(), TCFLSH, 7), SyscallFailsWithErrno(EINVAL));
}

TEST(PtyTest, WriterFillsTheBufferThenWaits) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK));
  ASSERT_GE(r.get(), 0);
  std::string chunk(1024, 'x');
  size_t total = 0;
  ssize_t w = 0;
  // Nobody reads the master: the replica's writes stop with EAGAIN.
  while (total < (8u << 20) && (w = write(r.get(), chunk.data(), chunk.size())) > 0) total += w;
  EXPECT_EQ(w, -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_GT(total, 0u);
  EXPECT_EQ(Revents(r.get(), POLLOUT), 0);
  ASSERT_TRUE(WaitReadable(m.get()));
  // Reading the master makes room again.
  size_t drained = 0;
  while (drained < total && WaitReadable(m.get())) {
    char buf[4096];
    ssize_t n = read(m.get(), buf, sizeof(buf));
    if (n <= 0) break;
    drained += n;
  }
  EXPECT_EQ(drained, total);
  pollfd p{r.get(), POLLOUT, 0};
  EXPECT_THAT(poll(&p, 1, 10000), SyscallSucceedsWithValue(1));
  EXPECT_THAT(write(r.get(), "y", 1), SyscallSucceedsWithValue(1));
}

TEST(PtyTest, HangupWhenTheMasterCloses) {
  std::string name;
  Fd m = OpenMaster(0, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK));
  ASSERT_GE(r.get(), 0);
  EXPECT_EQ(Revents(r.get()) & (POLLHUP | POLLERR), 0);
  m.reset();
  EXPECT_EQ(Revents(r.get()) & POLLHUP, POLLHUP);
  char c;
  EXPECT_THAT(read(r.get(), &c, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(write(r.get(), "x", 1), SyscallFailsWithErrno(EIO));
  struct termios t;
  EXPECT_THAT(tcgetattr(r.get(), &t), SyscallFailsWithErrno(EIO));
}

TEST(PtyTest, MasterSeesTheReplicaClose) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  char c;
  // No replica opened yet: nothing to read, no hang-up.
  EXPECT_THAT(read(m.get(), &c, 1), SyscallFailsWithErrno(EAGAIN));
  EXPECT_EQ(Revents(m.get()), POLLOUT);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY));
  ASSERT_GE(r.get(), 0);
  ASSERT_TRUE(WriteAll(r.get(), "zz"));
  r.reset();
  ASSERT_TRUE(WaitReadable(m.get()));
  EXPECT_EQ(Revents(m.get()), POLLIN | POLLOUT | POLLHUP);
  // Data written before the close is still read, then EIO.
  EXPECT_EQ(ReadExactly(m.get(), 2), "zz");
  EXPECT_THAT(read(m.get(), &c, 1), SyscallFailsWithErrno(EIO));
  // A new open of the replica ends the hang-up.
  r.reset(open(name.c_str(), O_RDWR | O_NOCTTY));
  ASSERT_GE(r.get(), 0);
  EXPECT_EQ(Revents(m.get()), POLLOUT);
}

TEST(PtyTest, ControllingTerminalAndDevTty) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  int status = InChild([&]() -> int {
    if (setsid() < 0) return 1;
    // A new session has no controlling terminal.
    if (open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO) return 2;
    // O_NOCTTY does not take it.
    int r0 = open(name.c_str(), O_RDWR | O_NOCTTY);
    if (r0 < 0) return 3;
    if (tcgetpgrp(r0) >= 0 || errno != ENOTTY) return 4;
    // The first open without O_NOCTTY by a session leader does.
    int r = open(name.c_str(), O_RDWR);
    if (r < 0) return 5;
    if (tcgetpgrp(r) != getpid()) return 6;
    pid_t sid = -1;
    if (ioctl(r, TIOCGSID, &sid) != 0 || sid != getpid()) return 7;
    int tty = open("/dev/tty", O_RDWR);
    if (tty < 0) return 8;
    if (write(tty, "via tty\n", 8) != 8) return 9;
    // /proc/self/stat's tty_nr (field 7) and tpgid (field 8).
    FILE* f = fopen("/proc/self/stat", "r");
    if (f == nullptr) return 10;
    char line[1024] = {};
    if (fgets(line, sizeof(line), f) == nullptr) return 11;
    fclose(f);
    const char* p = strrchr(line, ')');
    int pid, ppid, pgrp, session, tty_nr, tpgid;
    char state;
    if (p == nullptr ||
        sscanf(p + 2, "%c %d %d %d %d %d", &state, &ppid, &pgrp, &session, &tty_nr, &tpgid) != 6) {
      return 12;
    }
    (void)pid;
    struct stat st;
    if (fstat(r, &st) != 0 || static_cast<dev_t>(tty_nr) != st.st_rdev) return 13;
    if (tpgid != getpid()) return 14;
    // TIOCSCTTY on the terminal it already has succeeds; TIOCNOTTY gives
    // it up (the leader's foreground group gets SIGHUP, ignored here).
    if (ioctl(r, TIOCSCTTY, 0) != 0) return 15;
    signal(SIGHUP, SIG_IGN);
    if (ioctl(r, TIOCNOTTY) != 0) return 16;
    if (open("/dev/tty", O_RDWR) >= 0 || errno != ENXIO) return 17;
    // TIOCSCTTY takes it back.
    if (ioctl(r0, TIOCSCTTY, 0) != 0) return 18;
    if (tcgetpgrp(r0) != getpid()) return 19;
    return 0;
  });
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::string out = ReadExactly(m.get(), 9);
  EXPECT_NE(out.find("via tty\r\n"), std::string::npos) << out;
}

TEST(PtyTest, SignalsToTheForegroundGroup) {
  std::string name;
  Fd m = OpenMaster(O_NONBLOCK, &name);
  ASSERT_GE(m.get(), 0);
  int ready[2];
  ASSERT_THAT(pipe(ready), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    signal(SIGINT, Record);
    signal(SIGWINCH, Record);
    signal(SIGQUIT, Record);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGQUIT);
    sigprocmask(SIG_BLOCK, &block, &old);
    if (setsid() < 0) _exit(1);
    int r = open(name.c_str(), O_RDWR);
    if (r < 0) _exit(2);
    // SIGINT from ^C, SIGWINCH from a size change, SIGQUIT from ^\, in turn.
    for (int want : {SIGINT, SIGWINCH, SIGQUIT}) {
      g_signal_seen = 0;
      if (write(ready[1], "r", 1) != 1) _exit(3);
      while (g_signal_seen == 0) sigsuspend(&old);
      if (g_signal_seen != want) _exit(10 + want);
    }
    struct winsize ws = {};
    if (ioctl(r, TIOCGWINSZ, &ws) != 0 || ws.ws_row != 33 || ws.ws_col != 99) _exit(4);
    _exit(0);
  }
  close(ready[1]);
  Fd ready_r(ready[0]);
  char c;
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  ASSERT_TRUE(WriteAll(m.get(), "\x03"));
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  struct winsize ws = {};
  ws.ws_row = 33;
  ws.ws_col = 99;
  ASSERT_THAT(ioctl(m.get(), TIOCSWINSZ, &ws), SyscallSucceeds());
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  ASSERT_TRUE(WriteAll(m.get(), "\x1c"));
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // The interrupt character is echoed as ^C.
  EXPECT_EQ(ReadExactly(m.get(), 2), "^C");
}

TEST(PtyTest, HangupSignalsTheSessionLeader) {
  std::string name;
  Fd m = OpenMaster(0, &name);
  ASSERT_GE(m.get(), 0);
  int ready[2];
  ASSERT_THAT(pipe(ready), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    m.reset();
    signal(SIGHUP, Record);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    if (setsid() < 0) _exit(1);
    int r = open(name.c_str(), O_RDWR);
    if (r < 0) _exit(2);
    if (write(ready[1], "r", 1) != 1) _exit(3);
    while (g_signal_seen == 0) sigsuspend(&old);
    _exit(g_signal_seen == SIGHUP ? 0 : 4);
  }
  close(ready[1]);
  char c;
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  close(ready[0]);
  m.reset();
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(PtyTest, BackgroundReaderGetsSigttin) {
  std::string name;
  Fd m = OpenMaster(0, &name);
  ASSERT_GE(m.get(), 0);
  int status = InChild([&]() -> int {
    if (setsid() < 0) return 1;
    int r = open(name.c_str(), O_RDWR);
    if (r < 0) return 2;
    pid_t bg = fork();
    if (bg == 0) {
      setpgid(0, 0);  // a background group of the same session
      char c;
      read(r, &c, 1);  // stops with SIGTTIN
      _exit(0);
    }
    setpgid(bg, bg);
    int st = 0;
    if (waitpid(bg, &st, WUNTRACED) != bg) return 3;
    if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTTIN) return 4;
    // With SIGTTOU ignored, the leader may make the group the foreground.
    signal(SIGTTOU, SIG_IGN);
    if (tcsetpgrp(r, bg) != 0) return 5;
    if (tcgetpgrp(r) != bg) return 6;
    // A group of another session is refused.
    if (tcsetpgrp(r, 1) == 0 || errno != EPERM) return 7;
    kill(bg, SIGKILL);
    waitpid(bg, &st, 0);
    return 0;
  });
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(PtyTest, PollWakesAReader) {
  std::string name;
  Fd m = OpenMaster(0, &name);
  ASSERT_GE(m.get(), 0);
  Fd r(open(name.c_str(), O_RDWR | O_NOCTTY));
  ASSERT_GE(r.get(), 0);
  pid_t pid = fork();
  if (pid == 0) {
    // Wait for the parent's poll to start blocking is not observable; the
    // poll below has no timeout limit either way.
    _exit(WriteAll(m.get(), "line\n") ? 0 : 1);
  }
  pollfd p{r.get(), POLLIN, 0};
  ASSERT_THAT(RetryEINTR(poll)(&p, 1, -1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(p.revents, POLLIN);
  EXPECT_EQ(ReadN(r.get(), 5), "line\n");
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_EQ(status, 0);
}

}  // namespace
