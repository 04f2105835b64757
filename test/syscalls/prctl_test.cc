// prctl(2): the options that concern the calling process's own state: its
// name (PR_SET_NAME/PR_GET_NAME), parent-death signal, dumpable flag,
// no_new_privs, child subreaper, keepcaps, capability bounding set, timer
// slack and clear_child_tid address.
//
// Raw syscall() is used so that libc never rewrites an argument. Each test
// puts back what it changed, except no_new_privs, which cannot be cleared.
#include <linux/capability.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::AnyOf;
using ::testing::Gt;

long Prctl(long option, unsigned long a2 = 0, unsigned long a3 = 0, unsigned long a4 = 0,
           unsigned long a5 = 0) {
  return syscall(SYS_prctl, option, a2, a3, a4, a5);
}

unsigned long Arg(const void* p) { return reinterpret_cast<unsigned long>(p); }

// The task name, read with PR_GET_NAME (16 bytes including the NUL).
std::string GetName() {
  char name[16];
  memset(name, 'x', sizeof(name));
  if (Prctl(PR_GET_NAME, Arg(name)) != 0) return "<PR_GET_NAME failed>";
  if (memchr(name, '\0', sizeof(name)) == nullptr) return "<not NUL-terminated>";
  return name;
}

// Restores the task name on scope exit.
class NameRestorer {
 public:
  NameRestorer() : saved_(GetName()) {}
  ~NameRestorer() { Prctl(PR_SET_NAME, Arg(saved_.c_str())); }

 private:
  std::string saved_;
};

// PR_SET_NAME / PR_GET_NAME

TEST(PrctlNameTest, InitialNameIsTheTruncatedBasename) {
  const std::string exe = SelfExePath();
  ASSERT_FALSE(exe.empty()) << ErrnoName(errno);
  EXPECT_EQ(GetName(), Basename(exe).substr(0, 15));
}

TEST(PrctlNameTest, RoundTrip) {
  NameRestorer restore;
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg("hello")), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetName(), "hello");
  // The empty name is a name too.
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg("")), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetName(), "");
}

TEST(PrctlNameTest, GetNameWritesSixteenBytesNulPadded) {
  NameRestorer restore;
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg("abc")), SyscallSucceedsWithValue(0));
  char name[20];
  memset(name, 'x', sizeof(name));
  ASSERT_THAT(Prctl(PR_GET_NAME, Arg(name)), SyscallSucceedsWithValue(0));
  EXPECT_EQ(std::string(name, 3), "abc");
  for (int i = 3; i < 16; ++i) EXPECT_EQ(name[i], '\0') << "byte " << i;
  // Nothing past the 16 bytes.
  for (int i = 16; i < 20; ++i) EXPECT_EQ(name[i], 'x') << "byte " << i;
}

TEST(PrctlNameTest, LongNamesAreTruncatedToFifteenCharacters) {
  NameRestorer restore;
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg("0123456789abcdefghij")), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetName(), "0123456789abcde");
  // Exactly 15 characters fit.
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg("ABCDEFGHIJKLMNO")), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetName(), "ABCDEFGHIJKLMNO");
  // 16 characters do not: the name is not left unterminated.
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg("ABCDEFGHIJKLMNOP")), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetName(), "ABCDEFGHIJKLMNO");
}

TEST(PrctlNameTest, ShortNameAtTheEndOfAMapping) {
  // The kernel reads a string, not 16 bytes: a short name in the last bytes
  // before an inaccessible page is fine.
  NameRestorer restore;
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
  ASSERT_THAT(mprotect(m.ptr() + kPageSize, kPageSize, PROT_NONE), SyscallSucceeds());
  char* s = m.ptr() + kPageSize - 4;
  memcpy(s, "end", 4);
  ASSERT_THAT(Prctl(PR_SET_NAME, Arg(s)), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetName(), "end");
}

TEST(PrctlNameTest, BadPointersFailEfault) {
  NameRestorer restore;
  EXPECT_THAT(Prctl(PR_SET_NAME, 0), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Prctl(PR_GET_NAME, 0), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(Prctl(PR_GET_NAME, 1), SyscallFailsWithErrno(EFAULT));
}

// PR_SET_PDEATHSIG / PR_GET_PDEATHSIG

int GetPdeathsig() {
  int sig = -1;
  if (Prctl(PR_GET_PDEATHSIG, Arg(&sig)) != 0) return -2;
  return sig;
}

TEST(PrctlPdeathsigTest, InitiallyZero) { EXPECT_EQ(GetPdeathsig(), 0); }

TEST(PrctlPdeathsigTest, RoundTrip) {
  ASSERT_THAT(Prctl(PR_SET_PDEATHSIG, SIGUSR1), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetPdeathsig(), SIGUSR1);
  ASSERT_THAT(Prctl(PR_SET_PDEATHSIG, SIGRTMAX), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetPdeathsig(), SIGRTMAX);
  ASSERT_THAT(Prctl(PR_SET_PDEATHSIG, 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetPdeathsig(), 0);
}

TEST(PrctlPdeathsigTest, InvalidSignalFailsEinval) {
  EXPECT_THAT(Prctl(PR_SET_PDEATHSIG, 65), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_PDEATHSIG, ~0ul), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_PDEATHSIG, 1ul << 32 | SIGUSR1), SyscallFailsWithErrno(EINVAL));
  // And the setting is unchanged.
  EXPECT_EQ(GetPdeathsig(), 0);
}

TEST(PrctlPdeathsigTest, GetWithBadPointerFailsEfault) {
  EXPECT_THAT(Prctl(PR_GET_PDEATHSIG, 0), SyscallFailsWithErrno(EFAULT));
}

// PR_SET_DUMPABLE / PR_GET_DUMPABLE

TEST(PrctlDumpableTest, RoundTrip) {
  const long initial = Prctl(PR_GET_DUMPABLE);
  ASSERT_THAT(initial, SyscallSucceedsWithValue(1));
  ASSERT_THAT(Prctl(PR_SET_DUMPABLE, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_DUMPABLE), SyscallSucceedsWithValue(0));
  ASSERT_THAT(Prctl(PR_SET_DUMPABLE, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_DUMPABLE), SyscallSucceedsWithValue(1));
}

TEST(PrctlDumpableTest, OnlyZeroAndOneAreAccepted) {
  // 2 is SUID_DUMP_ROOT, which only the sysctl may set.
  EXPECT_THAT(Prctl(PR_SET_DUMPABLE, 2), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_DUMPABLE, 3), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_DUMPABLE, ~0ul), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_DUMPABLE), SyscallSucceedsWithValue(1));
}

// PR_SET_NO_NEW_PRIVS / PR_GET_NO_NEW_PRIVS

TEST(PrctlNoNewPrivsTest, SetIsSticky) {
  ASSERT_THAT(Prctl(PR_GET_NO_NEW_PRIVS), SyscallSucceeds());
  ASSERT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_NO_NEW_PRIVS), SyscallSucceedsWithValue(1));
  // It cannot be cleared: 0 is not a valid argument.
  EXPECT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_NO_NEW_PRIVS), SyscallSucceedsWithValue(1));
  // Setting it again is fine.
  EXPECT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 1), SyscallSucceedsWithValue(0));
}

TEST(PrctlNoNewPrivsTest, ExtraArgumentsFailEinval) {
  EXPECT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 2), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 1, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_NO_NEW_PRIVS, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_NO_NEW_PRIVS, 0, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 1), SyscallFailsWithErrno(EINVAL));
}

// PR_SET_CHILD_SUBREAPER / PR_GET_CHILD_SUBREAPER

int GetSubreaper() {
  int v = -1;
  if (Prctl(PR_GET_CHILD_SUBREAPER, Arg(&v)) != 0) return -2;
  return v;
}

TEST(PrctlSubreaperTest, RoundTrip) {
  EXPECT_EQ(GetSubreaper(), 0);
  ASSERT_THAT(Prctl(PR_SET_CHILD_SUBREAPER, 1), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetSubreaper(), 1);
  ASSERT_THAT(Prctl(PR_SET_CHILD_SUBREAPER, 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetSubreaper(), 0);
  // Any non-zero value means "set", and reads back as 1.
  ASSERT_THAT(Prctl(PR_SET_CHILD_SUBREAPER, 42), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetSubreaper(), 1);
  ASSERT_THAT(Prctl(PR_SET_CHILD_SUBREAPER, 0), SyscallSucceedsWithValue(0));
  EXPECT_EQ(GetSubreaper(), 0);
}

// An orphan goes to its nearest subreaper ancestor, which waits for it.
TEST(PrctlSubreaperTest, OrphansGoToTheSubreaper) {
  pid_t reaper = fork();
  ASSERT_GE(reaper, 0);
  if (reaper == 0) {
    if (Prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) _exit(10);
    int fds[2];
    if (pipe(fds) != 0) _exit(11);
    pid_t middle = fork();
    if (middle < 0) _exit(12);
    if (middle == 0) {
      const pid_t middle_pid = getpid();
      pid_t grandchild = fork();
      if (grandchild < 0) _exit(1);
      if (grandchild == 0) {
        // Waits for the middle process to go, then says who its parent is.
        while (getppid() == middle_pid) usleep(1000);
        pid_t ppid = getppid();
        (void)!write(fds[1], &ppid, sizeof(ppid));
        _exit(7);
      }
      _exit(0);
    }
    close(fds[1]);
    int status = 0;
    if (waitpid(middle, &status, 0) != middle || !WIFEXITED(status)) _exit(13);
    pid_t seen = 0;
    if (read(fds[0], &seen, sizeof(seen)) != sizeof(seen)) _exit(14);
    if (seen != getpid()) _exit(15);
    // The orphan is this process's child now: wait(-1) reaps it.
    pid_t got = waitpid(-1, &status, 0);
    if (got <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 7) _exit(16);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(RetryEINTR(waitpid)(reaper, &status, 0), reaper);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "step that failed: " << WEXITSTATUS(status);
}

// PR_SET_PDEATHSIG: the signal arrives when the parent dies.
TEST(PrctlPdeathsigTest, SignalArrivesWhenTheParentDies) {
  int ready[2], done[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(done), 0);
  pid_t middle = fork();
  ASSERT_GE(middle, 0);
  if (middle == 0) {
    pid_t child = fork();
    if (child < 0) _exit(1);
    if (child == 0) {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGUSR1);
      sigprocmask(SIG_BLOCK, &set, nullptr);
      if (prctl(PR_SET_PDEATHSIG, SIGUSR1) != 0) _exit(2);
      int got = 0;
      if (prctl(PR_GET_PDEATHSIG, &got) != 0 || got != SIGUSR1) _exit(3);
      (void)!write(ready[1], "r", 1);
      timespec limit{20, 0};
      int sig = sigtimedwait(&set, nullptr, &limit);
      (void)!write(done[1], sig == SIGUSR1 ? "k" : "t", 1);
      _exit(0);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) _exit(4);
    _exit(0);  // the child's parent dies now
  }
  close(ready[1]);
  close(done[1]);
  int status = 0;
  ASSERT_EQ(RetryEINTR(waitpid)(middle, &status, 0), middle);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  char c = 0;
  ASSERT_EQ(RetryEINTR(read)(done[0], &c, 1), 1);
  EXPECT_EQ(c, 'k') << "the child never got its parent-death signal";
  close(ready[0]);
  close(done[0]);
  // The orphan went to this process's namespace's init (this process when
  // it is pid 1): reap it if it is ours.
  while (waitpid(-1, &status, WNOHANG) > 0) {
  }
}

TEST(PrctlSubreaperTest, GetWithBadPointerFailsEfault) {
  EXPECT_THAT(Prctl(PR_GET_CHILD_SUBREAPER, 0), SyscallFailsWithErrno(EFAULT));
}

// PR_SET_KEEPCAPS / PR_GET_KEEPCAPS

TEST(PrctlKeepcapsTest, RoundTrip) {
  EXPECT_THAT(Prctl(PR_GET_KEEPCAPS), SyscallSucceedsWithValue(0));
  ASSERT_THAT(Prctl(PR_SET_KEEPCAPS, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_KEEPCAPS), SyscallSucceedsWithValue(1));
  ASSERT_THAT(Prctl(PR_SET_KEEPCAPS, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_KEEPCAPS), SyscallSucceedsWithValue(0));
}

TEST(PrctlKeepcapsTest, OnlyZeroAndOneAreAccepted) {
  EXPECT_THAT(Prctl(PR_SET_KEEPCAPS, 2), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_SET_KEEPCAPS, ~0ul), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_GET_KEEPCAPS), SyscallSucceedsWithValue(0));
}

// PR_CAPBSET_READ

TEST(PrctlCapbsetTest, RootHasCapSysAdminInTheBoundingSet) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  EXPECT_THAT(Prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN), SyscallSucceedsWithValue(1));
  EXPECT_THAT(Prctl(PR_CAPBSET_READ, CAP_CHOWN), SyscallSucceedsWithValue(1));
}

TEST(PrctlCapbsetTest, ResultIsABoolean) {
  for (unsigned long cap = 0; cap <= CAP_AUDIT_READ; ++cap) {
    EXPECT_THAT(Prctl(PR_CAPBSET_READ, cap), SyscallSucceedsWithValue(AnyOf(0, 1)))
        << "cap " << cap;
  }
}

TEST(PrctlCapbsetTest, InvalidCapabilityFailsEinval) {
  EXPECT_THAT(Prctl(PR_CAPBSET_READ, 1000), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_CAPBSET_READ, ~0ul), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(PR_CAPBSET_READ, 1ul << 32), SyscallFailsWithErrno(EINVAL));
}

// PR_SET_TIMERSLACK / PR_GET_TIMERSLACK

TEST(PrctlTimerslackTest, RoundTripAndResetToDefault) {
  const long initial = Prctl(PR_GET_TIMERSLACK);
  ASSERT_THAT(initial, SyscallSucceedsWithValue(Gt(0)));
  ASSERT_THAT(Prctl(PR_SET_TIMERSLACK, 12345), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_TIMERSLACK), SyscallSucceedsWithValue(12345));
  ASSERT_THAT(Prctl(PR_SET_TIMERSLACK, 1), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_TIMERSLACK), SyscallSucceedsWithValue(1));
  // 0 resets the slack to the default, which is what the process started
  // with (its parent's slack at fork).
  ASSERT_THAT(Prctl(PR_SET_TIMERSLACK, 0), SyscallSucceedsWithValue(0));
  EXPECT_THAT(Prctl(PR_GET_TIMERSLACK), SyscallSucceedsWithValue(initial));
}

// PR_GET_TID_ADDRESS

uintptr_t GetTidAddress() {
  uintptr_t addr = 1;
  if (Prctl(PR_GET_TID_ADDRESS, Arg(&addr)) != 0) return 1;
  return addr;
}

TEST(PrctlTidAddressTest, ReportsWhatSetTidAddressSet) {
  const uintptr_t original = GetTidAddress();
  ASSERT_NE(original, 1u) << ErrnoName(errno);
  // libc registers the thread's tid word at start-up.
  EXPECT_NE(original, 0u);

  static int word;
  ASSERT_THAT(syscall(SYS_set_tid_address, &word), SyscallSucceedsWithValue(gettid()));
  EXPECT_EQ(GetTidAddress(), reinterpret_cast<uintptr_t>(&word));
  ASSERT_THAT(syscall(SYS_set_tid_address, nullptr), SyscallSucceedsWithValue(gettid()));
  EXPECT_EQ(GetTidAddress(), 0u);
  ASSERT_THAT(syscall(SYS_set_tid_address, original), SyscallSucceedsWithValue(gettid()));
  EXPECT_EQ(GetTidAddress(), original);
}

TEST(PrctlTidAddressTest, BadPointerFailsEfault) {
  EXPECT_THAT(Prctl(PR_GET_TID_ADDRESS, 0), SyscallFailsWithErrno(EFAULT));
}

// Unknown options

TEST(PrctlTest, UnknownOptionFailsEinval) {
  EXPECT_THAT(Prctl(0x7fff), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(-1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Prctl(0x3fffffff, 1, 2, 3, 4), SyscallFailsWithErrno(EINVAL));
}

}  // namespace
}  // namespace test_util
