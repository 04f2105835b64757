// seccomp(2) and prctl(PR_SET_SECCOMP / PR_GET_SECCOMP): filter actions
// (ERRNO, TRAP, KILL_PROCESS, KILL_THREAD, TRACE, LOG), argument matching,
// stacking, inheritance across fork and execve, TSYNC, strict mode, the
// permission rule (no_new_privs or CAP_SYS_ADMIN) and malformed programs.
//
// Filters cannot be removed: every case runs in a forked child, which
// checks what it sees and reports through its exit status.
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

constexpr char kExecChildFlag[] = "--seccomp-exec-child";
// si_code of a SECCOMP_RET_TRAP SIGSYS (the kernel's SYS_SECCOMP).
constexpr int kSysSeccomp = 1;

// A failed check in a child: say where, exit 1.
#define CHILD_CHECK(cond)                                                                 \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: child check failed: %s (errno %d)\n", __FILE__, __LINE__, \
                   #cond, errno);                                                         \
      _exit(1);                                                                           \
    }                                                                                     \
  } while (0)

long Seccomp(unsigned op, unsigned flags, const void* args) {
  return syscall(SYS_seccomp, op, flags, args);
}

// "nr == `nr` (and, if given, args[0] == `arg0`) ? `hit` : ALLOW", for
// x86-64 only.
std::vector<sock_filter> Match(int nr, uint32_t hit, std::optional<uint32_t> arg0 = {}) {
  std::vector<sock_filter> p = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
  };
  if (arg0) {
    p.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(nr), 0, 3));
    p.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, args[0])));
    p.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, *arg0, 0, 1));
  } else {
    p.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(nr), 0, 1));
  }
  p.push_back(BPF_STMT(BPF_RET | BPF_K, hit));
  p.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  return p;
}

long Install(std::vector<sock_filter> p, unsigned flags = 0) {
  sock_fprog prog{static_cast<unsigned short>(p.size()), p.data()};
  return Seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog);
}

void SetNoNewPrivs() { CHILD_CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0); }

// Runs `fn` in a forked child (which exits 0 if `fn` returns) and returns
// its wait status.
int RunInChild(const std::function<void()>& fn) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    fn();
    _exit(0);
  }
  int status = -1;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return "exited " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

MATCHER(ExitedCleanly, "") {
  *result_listener << Describe(arg);
  return WIFEXITED(arg) && WEXITSTATUS(arg) == 0;
}

MATCHER_P(KilledBy, sig, "") {
  *result_listener << Describe(arg);
  return WIFSIGNALED(arg) && WTERMSIG(arg) == sig;
}

// A "Name:\tvalue" line of /proc/self/status (or of `path`).
std::string StatusField(const std::string& name, const std::string& path = "/proc/self/status") {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + ":", 0) == 0) {
      std::string v = line.substr(name.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  }
  return "<missing>";
}

// What the SIGSYS handler saw.
struct TrapRecord {
  int count;
  int signo, code, err, nr;
  unsigned arch;
  void* call_addr;
  long long rip, rax;
};
TrapRecord g_trap;

void OnSigsys(int sig, siginfo_t* info, void* uc_void) {
  auto* uc = static_cast<ucontext_t*>(uc_void);
  g_trap.count++;
  g_trap.signo = sig;
  g_trap.code = info->si_code;
  g_trap.err = info->si_errno;
  g_trap.nr = info->si_syscall;
  g_trap.arch = info->si_arch;
  g_trap.call_addr = info->si_call_addr;
  g_trap.rip = uc->uc_mcontext.gregs[REG_RIP];
  g_trap.rax = uc->uc_mcontext.gregs[REG_RAX];
}

void CatchSigsys() {
  struct sigaction sa = {};
  sa.sa_sigaction = OnSigsys;
  sa.sa_flags = SA_SIGINFO;
  CHILD_CHECK(sigaction(SIGSYS, &sa, nullptr) == 0);
}

// The exec'd image of SurvivesExecve: runs before main (glibc hands
// constructors argc and argv) and checks it inherited the filter.
__attribute__((constructor)) void ExecChildMain(int argc, char** argv, char**) {
  if (argc != 2 || std::strcmp(argv[1], kExecChildFlag) != 0) return;
  errno = 0;
  CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == EMLINK);
  CHILD_CHECK(StatusField("Seccomp") == "2");
  CHILD_CHECK(StatusField("Seccomp_filters") == "1");
  CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2);
  _exit(0);
}

TEST(SeccompTest, ErrnoAction) {
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | EMLINK)) == 0);
                errno = 0;
                CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == EMLINK);
                CHILD_CHECK(syscall(SYS_getppid) >= 0);
                // Data past MAX_ERRNO is capped at 4095.
                CHILD_CHECK(Install(Match(SYS_getuid, SECCOMP_RET_ERRNO | 5000)) == 0);
                CHILD_CHECK(syscall(SYS_getuid) == -1 && errno == 4095);
                // Data 0: the call is skipped and "returns" 0.
                CHILD_CHECK(Install(Match(SYS_getppid, SECCOMP_RET_ERRNO | 0)) == 0);
                CHILD_CHECK(syscall(SYS_getppid) == 0);
              }),
              ExitedCleanly());
}

TEST(SeccompTest, TrapDeliversSigsysAndSkipsTheCall) {
  EXPECT_THAT(RunInChild([] {
                int fds[2];
                CHILD_CHECK(pipe(fds) == 0);
                CatchSigsys();
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_close, SECCOMP_RET_TRAP | 0x123,
                                          static_cast<uint32_t>(fds[0]))) == 0);
                long r = syscall(SYS_close, fds[0]);
                CHILD_CHECK(g_trap.count == 1);
                CHILD_CHECK(g_trap.signo == SIGSYS);
                CHILD_CHECK(g_trap.code == kSysSeccomp);
                CHILD_CHECK(g_trap.err == 0x123);
                CHILD_CHECK(g_trap.nr == SYS_close);
                CHILD_CHECK(g_trap.arch == AUDIT_ARCH_X86_64);
                // The address after the syscall instruction, where the
                // thread resumes; rax holds the syscall number again.
                CHILD_CHECK(reinterpret_cast<long long>(g_trap.call_addr) == g_trap.rip);
                CHILD_CHECK(g_trap.rax == SYS_close);
                CHILD_CHECK(r == SYS_close);
                // Not run: the descriptor is still open.
                CHILD_CHECK(fcntl(fds[0], F_GETFD) >= 0);
                // Another descriptor is not matched.
                CHILD_CHECK(syscall(SYS_close, fds[1]) == 0);
                CHILD_CHECK(g_trap.count == 1);
              }),
              ExitedCleanly());
}

TEST(SeccompTest, TrapWithSigsysBlockedStillKills) {
  EXPECT_THAT(RunInChild([] {
                sigset_t set;
                sigemptyset(&set);
                sigaddset(&set, SIGSYS);
                CHILD_CHECK(sigprocmask(SIG_BLOCK, &set, nullptr) == 0);
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_TRAP)) == 0);
                syscall(SYS_getpid);
                _exit(3);
              }),
              KilledBy(SIGSYS));
}

TEST(SeccompTest, KillProcessEndsEveryThread) {
  EXPECT_THAT(RunInChild([] {
                std::thread([] {
                  while (true) pause();
                }).detach();
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_KILL_PROCESS)) == 0);
                syscall(SYS_getpid);
                _exit(3);
              }),
              KilledBy(SIGSYS));
}

TEST(SeccompTest, KillThreadEndsOnlyTheThread) {
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_KILL_THREAD)) == 0);
                std::atomic<bool> after{false};
                std::thread t([&] {
                  syscall(SYS_getpid);
                  after = true;
                });
                t.join();  // its tid word is cleared as it dies
                CHILD_CHECK(!after.load());
              }),
              ExitedCleanly());
  // The last thread takes the process with it.
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_KILL_THREAD)) == 0);
                syscall(SYS_getpid);
                _exit(3);
              }),
              KilledBy(SIGSYS));
}

TEST(SeccompTest, TraceWithoutTracerFailsWithEnosysAndLogRuns) {
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_TRACE | 5)) == 0);
                CHILD_CHECK(Install(Match(SYS_getppid, SECCOMP_RET_LOG)) == 0);
                errno = 0;
                CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == ENOSYS);
                CHILD_CHECK(syscall(SYS_getppid) == getppid());
              }),
              ExitedCleanly());
}

TEST(SeccompTest, ArgumentFiltering) {
  EXPECT_THAT(RunInChild([] {
                int fds[2];
                CHILD_CHECK(pipe(fds) == 0);
                SetNoNewPrivs();
                // Only write(2, ...) fails.
                CHILD_CHECK(Install(Match(SYS_write, SECCOMP_RET_ERRNO | EPERM, 2)) == 0);
                errno = 0;
                CHILD_CHECK(write(2, "x", 1) == -1 && errno == EPERM);
                CHILD_CHECK(write(fds[1], "y", 1) == 1);
                char c = 0;
                CHILD_CHECK(read(fds[0], &c, 1) == 1 && c == 'y');
              }),
              ExitedCleanly());
}

TEST(SeccompTest, StackedFiltersMostRestrictiveWins) {
  EXPECT_THAT(RunInChild([] {
                CatchSigsys();
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 1)) == 0);
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 2)) == 0);
                // Equal actions: the newest filter's data.
                CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == 2);
                // A less restrictive newer filter changes nothing.
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ALLOW)) == 0);
                CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == 2);
                // TRAP is more restrictive than ERRNO, even below it.
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 3)) == 0);
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_TRAP | 7)) == 0);
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 4)) == 0);
                syscall(SYS_getpid);
                CHILD_CHECK(g_trap.count == 1 && g_trap.err == 7);
                CHILD_CHECK(StatusField("Seccomp") == "2");
                CHILD_CHECK(StatusField("Seccomp_filters") == "6");
              }),
              ExitedCleanly());
}

TEST(SeccompTest, InheritedAcrossForkAndClone) {
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | EMLINK)) == 0);
                int status = RunInChild([] {
                  CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == EMLINK);
                  CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2);
                });
                CHILD_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                std::atomic<bool> ok{false};
                std::thread([&] { ok = syscall(SYS_getpid) == -1 && errno == EMLINK; }).join();
                CHILD_CHECK(ok.load());
              }),
              ExitedCleanly());
}

TEST(SeccompTest, SurvivesExecve) {
  const std::string exe = SelfExePath();
  ASSERT_FALSE(exe.empty());
  EXPECT_THAT(RunInChild([&] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | EMLINK)) == 0);
                char* argv[] = {const_cast<char*>(exe.c_str()), const_cast<char*>(kExecChildFlag),
                                nullptr};
                execv(exe.c_str(), argv);
                _exit(4);
              }),
              ExitedCleanly());
}

TEST(SeccompTest, TsyncAppliesToEveryThread) {
  EXPECT_THAT(RunInChild([] {
                std::atomic<int> stage{0};
                std::atomic<bool> ok{false};
                std::thread t([&] {
                  while (stage.load() == 0) usleep(1000);
                  ok = syscall(SYS_getpid) == -1 && errno == EMLINK;
                });
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | EMLINK),
                                    SECCOMP_FILTER_FLAG_TSYNC) == 0);
                stage = 1;
                t.join();
                CHILD_CHECK(ok.load());
              }),
              ExitedCleanly());
}

TEST(SeccompTest, TsyncReportsTheThreadInTheWay) {
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                std::atomic<int> stage{0};
                std::atomic<long> tid{0};
                std::thread t([&] {
                  tid = syscall(SYS_gettid);
                  // A filter of its own: not an ancestor of the caller's.
                  CHILD_CHECK(Install(Match(SYS_getuid, SECCOMP_RET_ERRNO | 1)) == 0);
                  stage = 1;
                  while (stage.load() != 2) usleep(1000);
                });
                while (stage.load() != 1) usleep(1000);
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | EMLINK),
                                    SECCOMP_FILTER_FLAG_TSYNC) == tid.load());
                errno = 0;
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | EMLINK),
                                    SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH) ==
                                -1 &&
                            errno == ESRCH);
                // Nothing was installed on the caller.
                CHILD_CHECK(syscall(SYS_getpid) > 0);
                CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0);
                stage = 2;
                t.join();
              }),
              ExitedCleanly());
}

TEST(SeccompTest, NeedsNoNewPrivsOrCapSysAdmin) {
  EXPECT_THAT(RunInChild([] {
                if (getuid() == 0) {
                  // Root with CAP_SYS_ADMIN needs no no_new_privs...
                  int status = RunInChild([] {
                    CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 1)) == 0);
                  });
                  CHILD_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                  // ...an ordinary user (who has no capabilities) does.
                  CHILD_CHECK(setresgid(65534, 65534, 65534) == 0);
                  CHILD_CHECK(setresuid(65534, 65534, 65534) == 0);
                }
                CHILD_CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0);
                errno = 0;
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 1)) == -1 &&
                            errno == EACCES);
                std::vector<sock_filter> p = Match(SYS_getpid, SECCOMP_RET_ERRNO | 1);
                sock_fprog prog{static_cast<unsigned short>(p.size()), p.data()};
                errno = 0;
                CHILD_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == -1 &&
                            errno == EACCES);
                CHILD_CHECK(syscall(SYS_getpid) > 0);
                SetNoNewPrivs();
                CHILD_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0);
                CHILD_CHECK(syscall(SYS_getpid) == -1 && errno == 1);
              }),
              ExitedCleanly());
}

TEST(SeccompTest, MalformedRequestsAreRefused) {
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                auto fails = [](long r, int e) { return r == -1 && errno == e; };
                CHILD_CHECK(fails(Seccomp(SECCOMP_SET_MODE_FILTER, 0, nullptr), EFAULT));
                sock_fprog bad_ptr{4, reinterpret_cast<sock_filter*>(8)};
                CHILD_CHECK(fails(Seccomp(SECCOMP_SET_MODE_FILTER, 0, &bad_ptr), EFAULT));
                std::vector<sock_filter> ok = Match(SYS_getpid, SECCOMP_RET_ERRNO | 1);
                sock_fprog empty{0, ok.data()};
                CHILD_CHECK(fails(Seccomp(SECCOMP_SET_MODE_FILTER, 0, &empty), EINVAL));
                sock_fprog too_long{BPF_MAXINSNS + 1, ok.data()};
                CHILD_CHECK(fails(Seccomp(SECCOMP_SET_MODE_FILTER, 0, &too_long), EINVAL));
                CHILD_CHECK(fails(Install(ok, 1u << 30), EINVAL));
                CHILD_CHECK(fails(Seccomp(99, 0, nullptr), EINVAL));
                // Not seccomp's: a byte load, a load past seccomp_data, an
                // unaligned load, a jump out of the program, no RET last, a
                // scratch word read before it is written.
                std::vector<std::vector<sock_filter>> bad = {
                    {BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_K, 0)},
                    {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), BPF_STMT(BPF_RET | BPF_K, 0)},
                    {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 1), BPF_STMT(BPF_RET | BPF_K, 0)},
                    {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), BPF_STMT(BPF_RET | BPF_K, 0)},
                    {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)},
                    {BPF_STMT(BPF_LD | BPF_MEM, 0), BPF_STMT(BPF_RET | BPF_K, 0)},
                    {BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), BPF_STMT(BPF_RET | BPF_K, 0)},
                };
                for (auto& p : bad) CHILD_CHECK(fails(Install(p), EINVAL));
                CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0);
                errno = 0;
                CHILD_CHECK(fails(prctl(PR_SET_SECCOMP, 7, 0, 0, 0), EINVAL));
                CHILD_CHECK(fails(Seccomp(SECCOMP_SET_MODE_STRICT, 1, nullptr), EINVAL));
              }),
              ExitedCleanly());
}

TEST(SeccompTest, StrictModeAllowsOnlyReadWriteExitSigreturn) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  EXPECT_THAT(RunInChild([&] {
                CHILD_CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) == 0);
                if (write(fds[1], "ok", 2) != 2) syscall(SYS_exit, 5);
                syscall(SYS_getpid);
                syscall(SYS_exit, 6);
              }),
              KilledBy(SIGKILL));
  char buf[3] = {};
  EXPECT_EQ(read(fds[0], buf, 2), 2);
  EXPECT_STREQ(buf, "ok");
  // exit (not exit_group) is allowed; so is the seccomp(2) spelling.
  EXPECT_THAT(RunInChild([] {
                CHILD_CHECK(Seccomp(SECCOMP_SET_MODE_STRICT, 0, nullptr) == 0);
                syscall(SYS_exit, 0);
              }),
              ExitedCleanly());
  // A filter cannot be added in strict mode, nor strict mode in filter mode.
  EXPECT_THAT(RunInChild([] {
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 1)) == 0);
                errno = 0;
                CHILD_CHECK(Seccomp(SECCOMP_SET_MODE_STRICT, 0, nullptr) == -1 && errno == EINVAL);
              }),
              ExitedCleanly());
  close(fds[0]);
  close(fds[1]);
}

TEST(SeccompTest, GetSeccompAndProcStatus) {
  EXPECT_THAT(RunInChild([] {
                CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0);
                CHILD_CHECK(StatusField("Seccomp") == "0");
                CHILD_CHECK(StatusField("Seccomp_filters") == "0");
                SetNoNewPrivs();
                CHILD_CHECK(Install(Match(SYS_getpid, SECCOMP_RET_ERRNO | 1)) == 0);
                CHILD_CHECK(Install(Match(SYS_getuid, SECCOMP_RET_ERRNO | 1)) == 0);
                CHILD_CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2);
                CHILD_CHECK(StatusField("Seccomp") == "2");
                CHILD_CHECK(StatusField("Seccomp_filters") == "2");
              }),
              ExitedCleanly());
}

TEST(SeccompTest, GetActionAvailAndNotifSizes) {
  for (uint32_t action : {SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_TRAP,
                          SECCOMP_RET_ERRNO, SECCOMP_RET_TRACE, SECCOMP_RET_LOG,
                          SECCOMP_RET_ALLOW}) {
    EXPECT_THAT(Seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &action), SyscallSucceedsWithValue(0))
        << std::hex << action;
  }
  uint32_t bogus = 0x12340000;
  EXPECT_THAT(Seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &bogus), SyscallFailsWithErrno(EOPNOTSUPP));
  uint32_t allow = SECCOMP_RET_ALLOW;
  EXPECT_THAT(Seccomp(SECCOMP_GET_ACTION_AVAIL, 1, &allow), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Seccomp(SECCOMP_GET_ACTION_AVAIL, 0, nullptr), SyscallFailsWithErrno(EFAULT));
  seccomp_notif_sizes sizes = {};
  ASSERT_THAT(Seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sizes), SyscallSucceedsWithValue(0));
  EXPECT_GE(sizes.seccomp_notif, sizeof(seccomp_notif));
  EXPECT_GE(sizes.seccomp_notif_resp, sizeof(seccomp_notif_resp));
  EXPECT_EQ(sizes.seccomp_data, sizeof(seccomp_data));
  // This process has no filter.
  EXPECT_THAT(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), SyscallSucceedsWithValue(0));
}

}  // namespace
}  // namespace test_util
