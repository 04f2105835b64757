// Changing credentials: setuid(2), setgid(2), setreuid(2), setregid(2),
// setresuid(2), setresgid(2), setfsuid(2), setfsgid(2), capget(2), capset(2),
// and the capability effects of uid changes (capabilities(7)). Every change
// happens in a forked child, so the test process itself stays root; a child
// reports a failed check on stderr and exits with status 1.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

// Ids no account on the host needs to have.
constexpr uint32_t kA = 1001, kB = 1002, kC = 1003, kD = 1004;
constexpr uint32_t kNoChange = static_cast<uint32_t>(-1);

// Capabilities that follow the file-system uid (Linux's CAP_FS_SET).
constexpr uint64_t Bit(int cap) { return uint64_t{1} << cap; }
constexpr uint64_t kFsCaps = Bit(CAP_CHOWN) | Bit(CAP_MKNOD) | Bit(CAP_DAC_OVERRIDE) |
                             Bit(CAP_DAC_READ_SEARCH) | Bit(CAP_FOWNER) | Bit(CAP_FSETID) |
                             Bit(CAP_MAC_OVERRIDE) | Bit(CAP_LINUX_IMMUTABLE);

// In a child: stops it with status 1 when `cond` is false, saying why.
#define CHILD_CHECK(cond)                                                                    \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: child check failed: %s (errno %s)\n", __FILE__, __LINE__, \
                   #cond, ErrnoName(errno).c_str());                                         \
      _exit(1);                                                                              \
    }                                                                                        \
  } while (0)

// A call that must fail with errno `e`.
#define CHILD_CHECK_FAILS(call, e) CHILD_CHECK((call) == -1 && errno == (e))

// Runs fn in a forked child; its exit status (0 when every check passed).
template <typename F>
int InChild(F fn) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    fn();
    _exit(0);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct Ids {
  uint32_t r, e, s;
  bool operator==(const Ids&) const = default;
};

Ids Resuid() {
  Ids ids{};
  if (syscall(SYS_getresuid, &ids.r, &ids.e, &ids.s) != 0) return {kD, kD, kD};
  return ids;
}

Ids Resgid() {
  Ids ids{};
  if (syscall(SYS_getresgid, &ids.r, &ids.e, &ids.s) != 0) return {kD, kD, kD};
  return ids;
}

long SetResuid(uint32_t r, uint32_t e, uint32_t s) { return syscall(SYS_setresuid, r, e, s); }
long SetResgid(uint32_t r, uint32_t e, uint32_t s) { return syscall(SYS_setresgid, r, e, s); }
long SetReuid(uint32_t r, uint32_t e) { return syscall(SYS_setreuid, r, e); }
long SetRegid(uint32_t r, uint32_t e) { return syscall(SYS_setregid, r, e); }
long SetUid(uint32_t id) { return syscall(SYS_setuid, id); }
long SetGid(uint32_t id) { return syscall(SYS_setgid, id); }
// setfsuid/setfsgid answer the previous id; -1 changes nothing.
uint32_t SetFsuid(uint32_t id) { return static_cast<uint32_t>(syscall(SYS_setfsuid, id)); }
uint32_t SetFsgid(uint32_t id) { return static_cast<uint32_t>(syscall(SYS_setfsgid, id)); }
uint32_t Fsuid() { return SetFsuid(kNoChange); }
uint32_t Fsgid() { return SetFsgid(kNoChange); }

struct Caps {
  uint64_t effective = 0, permitted = 0, inheritable = 0;
  bool operator==(const Caps&) const = default;
};

// capget(2) version 3 of `pid` (0: the caller); all ones on failure.
Caps GetCaps(pid_t pid = 0) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, pid};
  __user_cap_data_struct d[2] = {};
  if (syscall(SYS_capget, &hdr, d) != 0) return {~0ull, ~0ull, ~0ull};
  auto join = [](uint32_t lo, uint32_t hi) { return uint64_t{lo} | (uint64_t{hi} << 32); };
  return {join(d[0].effective, d[1].effective), join(d[0].permitted, d[1].permitted),
          join(d[0].inheritable, d[1].inheritable)};
}

// capset(2) version 3 of the caller.
long SetCaps(const Caps& c, pid_t pid = 0) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, pid};
  __user_cap_data_struct d[2] = {};
  for (int i = 0; i < 2; ++i) {
    d[i].effective = static_cast<uint32_t>(c.effective >> (32 * i));
    d[i].permitted = static_cast<uint32_t>(c.permitted >> (32 * i));
    d[i].inheritable = static_cast<uint32_t>(c.inheritable >> (32 * i));
  }
  return syscall(SYS_capset, &hdr, d);
}

// Both runs (native and sandboxed) start as root with CAP_SETUID, CAP_SETGID
// and CAP_SETPCAP.
class CredsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root";
    start_ = GetCaps();
    constexpr uint64_t kNeeded = Bit(CAP_SETUID) | Bit(CAP_SETGID) | Bit(CAP_SETPCAP) |
                                 Bit(CAP_CHOWN) | Bit(CAP_FOWNER) | Bit(CAP_DAC_OVERRIDE);
    ASSERT_EQ(start_.effective & kNeeded, kNeeded);
    ASSERT_EQ(start_.permitted, start_.effective);
  }
  Caps start_;
};

// ---- setresuid(2) and the capability effects of uid changes ----

TEST_F(CredsTest, SetresuidToNonRootDropsCapabilities) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResuid(kA, kB, kC) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kB, kC}));
    CHILD_CHECK(Fsuid() == kB);  // follows the effective uid
    const Caps c = GetCaps();
    CHILD_CHECK(c.effective == 0);
    CHILD_CHECK(c.permitted == 0);
    CHILD_CHECK(c.inheritable == start_.inheritable);
    // Unprivileged now: any arrangement of its own ids, nothing else.
    CHILD_CHECK(SetResuid(kC, kA, kB) == 0);
    CHILD_CHECK((Resuid() == Ids{kC, kA, kB}));
    CHILD_CHECK(Fsuid() == kA);
    CHILD_CHECK(SetResuid(kNoChange, kNoChange, kNoChange) == 0);
    CHILD_CHECK((Resuid() == Ids{kC, kA, kB}));
    CHILD_CHECK_FAILS(SetResuid(0, kNoChange, kNoChange), EPERM);
    CHILD_CHECK_FAILS(SetResuid(kNoChange, kD, kNoChange), EPERM);
    CHILD_CHECK_FAILS(SetResuid(kNoChange, kNoChange, 0), EPERM);
    CHILD_CHECK_FAILS(SetResuid(kA, kA, kD), EPERM);  // all or nothing
    CHILD_CHECK((Resuid() == Ids{kC, kA, kB}));
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, SavedRootKeepsPermittedAndRegainsEffective) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResuid(kA, kA, 0) == 0);
    Caps c = GetCaps();
    CHILD_CHECK(c.effective == 0);  // euid left 0
    CHILD_CHECK(c.permitted == start_.permitted);
    // Back to euid 0: the effective set is the permitted set again.
    CHILD_CHECK(SetResuid(kNoChange, 0, kNoChange) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, 0, 0}));
    CHILD_CHECK(Fsuid() == 0);
    c = GetCaps();
    CHILD_CHECK(c.effective == start_.permitted);
    CHILD_CHECK(c.permitted == start_.permitted);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, EffectiveRootKeepsCapabilities) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResuid(kA, 0, 0) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, 0, 0}));
    CHILD_CHECK(GetCaps() == start_);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, KeepCapsKeepsPermittedButNotEffective) {
  const int status = InChild([&] {
    CHILD_CHECK(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == 0);
    CHILD_CHECK(SetResuid(kA, kA, kA) == 0);
    Caps c = GetCaps();
    CHILD_CHECK(c.effective == 0);
    CHILD_CHECK(c.permitted == start_.permitted);
    // The effective set can be raised again from the permitted one;
    // CAP_SETUID then allows any ids, and the capabilities stay.
    CHILD_CHECK(SetCaps({start_.permitted, start_.permitted, start_.inheritable}) == 0);
    CHILD_CHECK(SetResuid(kB, kC, kD) == 0);
    CHILD_CHECK((Resuid() == Ids{kB, kC, kD}));
    c = GetCaps();
    CHILD_CHECK(c.effective == start_.permitted);
    CHILD_CHECK(c.permitted == start_.permitted);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, WithoutCapSetuidOnlyOwnIds) {
  const int status = InChild([&] {
    CHILD_CHECK(
        SetCaps({start_.effective & ~Bit(CAP_SETUID), start_.permitted, start_.inheritable}) == 0);
    CHILD_CHECK_FAILS(SetResuid(kA, kA, kA), EPERM);
    CHILD_CHECK_FAILS(SetUid(kA), EPERM);
    CHILD_CHECK(SetResuid(0, 0, 0) == 0);  // nothing changes
    CHILD_CHECK((Resuid() == Ids{0, 0, 0}));
  });
  EXPECT_EQ(status, 0);
}

// ---- setuid(2), setreuid(2) ----

TEST_F(CredsTest, SetuidAsRootSetsEveryId) {
  const int status = InChild([&] {
    CHILD_CHECK(SetUid(kA) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kA, kA}));
    CHILD_CHECK(Fsuid() == kA);
    CHILD_CHECK((GetCaps() == Caps{0, 0, GetCaps().inheritable}));
    CHILD_CHECK_FAILS(SetUid(0), EPERM);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, SetuidUnprivilegedSetsTheEffectiveIdToRealOrSaved) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResuid(kA, kB, kC) == 0);
    CHILD_CHECK(SetUid(kC) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kC, kC}));
    CHILD_CHECK(Fsuid() == kC);
    CHILD_CHECK_FAILS(SetUid(kB), EPERM);
    CHILD_CHECK(SetUid(kA) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kA, kC}));
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, SetuidAndSetgidOfMinusOneAreEinval) {
  const int status = InChild([&] {
    CHILD_CHECK_FAILS(SetUid(kNoChange), EINVAL);
    CHILD_CHECK_FAILS(SetGid(kNoChange), EINVAL);
    CHILD_CHECK((Resuid() == Ids{0, 0, 0}));
    CHILD_CHECK((Resgid() == Ids{0, 0, 0}));
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, SetreuidRules) {
  const int status = InChild([&] {
    // Setting the real id makes the saved id the new effective id.
    CHILD_CHECK(SetReuid(kA, kB) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kB, kB}));
    CHILD_CHECK(GetCaps().permitted == 0);
    // An effective id equal to the old real id leaves the saved id.
    CHILD_CHECK(SetReuid(kNoChange, kA) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kA, kB}));
    // The real id may become the old effective id only.
    CHILD_CHECK_FAILS(SetReuid(kB, kNoChange), EPERM);
    // The effective id may be any of the three; moving it away from
    // the real id moves the saved id along.
    CHILD_CHECK(SetReuid(kNoChange, kB) == 0);
    CHILD_CHECK((Resuid() == Ids{kA, kB, kB}));
    CHILD_CHECK(SetReuid(kB, kA) == 0);  // swap
    CHILD_CHECK((Resuid() == Ids{kB, kA, kA}));
    CHILD_CHECK(Fsuid() == kA);
    CHILD_CHECK_FAILS(SetReuid(kC, kNoChange), EPERM);
    CHILD_CHECK_FAILS(SetReuid(kNoChange, kC), EPERM);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, SetreuidAwayFromRootAndBack) {
  const int status = InChild([&] {
    // Real uid 0 stays: the permitted set stays, the effective one goes.
    CHILD_CHECK(SetReuid(kNoChange, kA) == 0);
    CHILD_CHECK((Resuid() == Ids{0, kA, kA}));
    Caps c = GetCaps();
    CHILD_CHECK(c.effective == 0);
    CHILD_CHECK(c.permitted == start_.permitted);
    // Back to the real id without any capability.
    CHILD_CHECK(SetReuid(kNoChange, 0) == 0);
    CHILD_CHECK((Resuid() == Ids{0, 0, kA}));
    c = GetCaps();
    CHILD_CHECK(c.effective == start_.permitted);
  });
  EXPECT_EQ(status, 0);
}

// ---- The gid calls ----

TEST_F(CredsTest, GidCallsAsRoot) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResgid(kA, kB, kC) == 0);
    CHILD_CHECK((Resgid() == Ids{kA, kB, kC}));
    CHILD_CHECK(Fsgid() == kB);
    CHILD_CHECK(GetCaps() == start_);  // gids do not touch capabilities
    CHILD_CHECK((Resuid() == Ids{0, 0, 0}));
    CHILD_CHECK(SetGid(kD) == 0);
    CHILD_CHECK((Resgid() == Ids{kD, kD, kD}));
    CHILD_CHECK(Fsgid() == kD);
    CHILD_CHECK(SetRegid(kA, kB) == 0);
    CHILD_CHECK((Resgid() == Ids{kA, kB, kB}));
    CHILD_CHECK(GetCaps() == start_);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, GidCallsWithoutCapSetgid) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResgid(kA, kB, kC) == 0);
    CHILD_CHECK(
        SetCaps({start_.effective & ~Bit(CAP_SETGID), start_.permitted, start_.inheritable}) == 0);
    // setresgid: own ids only.
    CHILD_CHECK(SetResgid(kC, kA, kB) == 0);
    CHILD_CHECK((Resgid() == Ids{kC, kA, kB}));
    CHILD_CHECK(Fsgid() == kA);
    CHILD_CHECK_FAILS(SetResgid(kD, kNoChange, kNoChange), EPERM);
    CHILD_CHECK_FAILS(SetResgid(kNoChange, 0, kNoChange), EPERM);
    // setgid: the real or saved id, into the effective id only.
    CHILD_CHECK_FAILS(SetGid(kA), EPERM);
    CHILD_CHECK(SetGid(kB) == 0);
    CHILD_CHECK((Resgid() == Ids{kC, kB, kB}));
    // setregid: real from real or effective, effective from any.
    CHILD_CHECK_FAILS(SetRegid(kD, kNoChange), EPERM);
    CHILD_CHECK_FAILS(SetRegid(kNoChange, kD), EPERM);
    CHILD_CHECK(SetRegid(kB, kC) == 0);
    CHILD_CHECK((Resgid() == Ids{kB, kC, kC}));
    CHILD_CHECK(Fsgid() == kC);
  });
  EXPECT_EQ(status, 0);
}

// ---- setfsuid(2), setfsgid(2) ----

TEST_F(CredsTest, SetfsuidAsRootDropsAndRestoresFileSystemCapabilities) {
  const int status = InChild([&] {
    CHILD_CHECK(Fsuid() == 0);
    CHILD_CHECK(SetFsuid(kA) == 0);  // answers the old fsuid
    CHILD_CHECK(Fsuid() == kA);
    CHILD_CHECK((Resuid() == Ids{0, 0, 0}));
    Caps c = GetCaps();
    CHILD_CHECK(c.effective == (start_.effective & ~kFsCaps));
    CHILD_CHECK(c.permitted == start_.permitted);
    CHILD_CHECK(SetFsuid(0) == kA);
    CHILD_CHECK(Fsuid() == 0);
    CHILD_CHECK(GetCaps() == start_);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, SetfsuidUnprivileged) {
  const int status = InChild([&] {
    CHILD_CHECK(SetResuid(kA, kB, kC) == 0);
    CHILD_CHECK(Fsuid() == kB);
    CHILD_CHECK(SetFsuid(kD) == kB);  // refused: not one of its ids
    CHILD_CHECK(Fsuid() == kB);
    CHILD_CHECK(SetFsuid(0) == kB);
    CHILD_CHECK(Fsuid() == kB);
    CHILD_CHECK(SetFsuid(kC) == kB);
    CHILD_CHECK(Fsuid() == kC);
    CHILD_CHECK((Resuid() == Ids{kA, kB, kC}));
    // Any later change of the effective uid resets it.
    CHILD_CHECK(SetResuid(kNoChange, kA, kNoChange) == 0);
    CHILD_CHECK(Fsuid() == kA);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, Setfsgid) {
  const int status = InChild([&] {
    CHILD_CHECK(SetFsgid(kA) == 0);
    CHILD_CHECK(Fsgid() == kA);
    CHILD_CHECK((Resgid() == Ids{0, 0, 0}));
    CHILD_CHECK(GetCaps() == start_);
    CHILD_CHECK(
        SetCaps({start_.effective & ~Bit(CAP_SETGID), start_.permitted, start_.inheritable}) == 0);
    CHILD_CHECK(SetFsgid(kB) == kA);  // refused
    CHILD_CHECK(Fsgid() == kA);
    CHILD_CHECK(SetFsgid(0) == kA);  // the real gid
    CHILD_CHECK(Fsgid() == 0);
  });
  EXPECT_EQ(status, 0);
}

// ---- capget(2) ----

TEST_F(CredsTest, CapgetVersions) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct v3[2] = {};
  ASSERT_THAT(syscall(SYS_capget, &hdr, v3), SyscallSucceeds());
  EXPECT_EQ(v3[0].effective, static_cast<uint32_t>(start_.effective));
  EXPECT_EQ(v3[1].permitted, static_cast<uint32_t>(start_.permitted >> 32));

  hdr = {_LINUX_CAPABILITY_VERSION_2, 0};
  __user_cap_data_struct v2[2] = {};
  ASSERT_THAT(syscall(SYS_capget, &hdr, v2), SyscallSucceeds());
  EXPECT_EQ(v2[1].effective, v3[1].effective);
  EXPECT_EQ(v2[0].permitted, v3[0].permitted);

  // Version 1: one structure, the low 32 bits.
  hdr = {_LINUX_CAPABILITY_VERSION_1, 0};
  __user_cap_data_struct v1[2];
  v1[1] = {0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a};
  ASSERT_THAT(syscall(SYS_capget, &hdr, v1), SyscallSucceeds());
  EXPECT_EQ(v1[0].effective, v3[0].effective);
  EXPECT_EQ(v1[0].permitted, v3[0].permitted);
  EXPECT_EQ(v1[0].inheritable, v3[0].inheritable);
  EXPECT_EQ(v1[1].effective, 0x5a5a5a5au);

  // An unknown version: EINVAL, and the preferred version written back.
  hdr = {0x12345678, 0};
  EXPECT_THAT(syscall(SYS_capget, &hdr, v2), SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(hdr.version, static_cast<uint32_t>(_LINUX_CAPABILITY_VERSION_3));
  // Asking with no data pointer is how libcap probes: success.
  hdr = {0, 0};
  EXPECT_THAT(syscall(SYS_capget, &hdr, nullptr), SyscallSucceeds());
  EXPECT_EQ(hdr.version, static_cast<uint32_t>(_LINUX_CAPABILITY_VERSION_3));
  hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  EXPECT_THAT(syscall(SYS_capget, &hdr, nullptr), SyscallSucceeds());
  EXPECT_THAT(syscall(SYS_capget, nullptr, v3), SyscallFailsWithErrno(EFAULT));
}

TEST_F(CredsTest, CapgetPids) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, getpid()};
  __user_cap_data_struct d[2] = {};
  ASSERT_THAT(syscall(SYS_capget, &hdr, d), SyscallSucceeds());
  EXPECT_EQ(d[0].permitted, static_cast<uint32_t>(start_.permitted));
  hdr = {_LINUX_CAPABILITY_VERSION_3, -1};
  EXPECT_THAT(syscall(SYS_capget, &hdr, d), SyscallFailsWithErrno(EINVAL));
  hdr = {_LINUX_CAPABILITY_VERSION_3, 99999};  // no such process in this PID namespace
  EXPECT_THAT(syscall(SYS_capget, &hdr, d), SyscallFailsWithErrno(ESRCH));
}

TEST_F(CredsTest, CapgetOfAnotherProcess) {
  int ready[2], done[2];
  ASSERT_THAT(pipe(ready), SyscallSucceeds());
  ASSERT_THAT(pipe(done), SyscallSucceeds());
  std::fflush(nullptr);
  const pid_t pid = fork();
  ASSERT_THAT(pid, SyscallSucceeds());
  if (pid == 0) {
    close(ready[0]);
    close(done[1]);
    if (SetResuid(kA, kA, kA) != 0) _exit(1);
    char c = 'x';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    (void)!read(done[0], &c, 1);  // until the parent closes its end
    _exit(0);
  }
  close(ready[1]);
  close(done[0]);
  char c;
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(GetCaps(pid), (Caps{0, 0, start_.inheritable}));
  EXPECT_EQ(GetCaps(), start_);  // the caller's own are untouched
  close(done[1]);
  close(ready[0]);
  int status = 0;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// ---- capset(2) ----

TEST_F(CredsTest, CapsetSubsetRules) {
  const int status = InChild([&] {
    const uint64_t perm = start_.permitted & ~Bit(CAP_CHOWN) & ~Bit(CAP_FOWNER);
    const uint64_t inh = start_.inheritable;
    // Effective within permitted; it can drop and come back.
    CHILD_CHECK(SetCaps({start_.permitted & ~Bit(CAP_KILL), start_.permitted, inh}) == 0);
    CHILD_CHECK(GetCaps().effective == (start_.permitted & ~Bit(CAP_KILL)));
    CHILD_CHECK(SetCaps({start_.permitted, start_.permitted, inh}) == 0);
    CHILD_CHECK_FAILS(SetCaps({start_.permitted, perm, inh}), EPERM);
    // Permitted only shrinks.
    CHILD_CHECK(SetCaps({perm, perm, inh}) == 0);
    CHILD_CHECK((GetCaps() == Caps{perm, perm, inh}));
    CHILD_CHECK_FAILS(SetCaps({perm, start_.permitted, inh}), EPERM);
    // Inheritable: with CAP_SETPCAP, anything in the bounding set.
    CHILD_CHECK(SetCaps({perm, perm, inh | Bit(CAP_CHOWN)}) == 0);
    // Without it, only what is permitted or already inheritable.
    const uint64_t eff = perm & ~Bit(CAP_SETPCAP);
    CHILD_CHECK(SetCaps({eff, perm, inh | Bit(CAP_CHOWN)}) == 0);
    CHILD_CHECK_FAILS(SetCaps({eff, perm, inh | Bit(CAP_CHOWN) | Bit(CAP_FOWNER)}), EPERM);
    CHILD_CHECK(SetCaps({eff, perm, inh | Bit(CAP_CHOWN) | Bit(CAP_DAC_OVERRIDE)}) == 0);
    CHILD_CHECK((GetCaps() == Caps{eff, perm, inh | Bit(CAP_CHOWN) | Bit(CAP_DAC_OVERRIDE)}));
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, CapsetOnlyTheCaller) {
  const int status = InChild([&] {
    const Caps less{start_.effective & ~Bit(CAP_KILL), start_.permitted, start_.inheritable};
    CHILD_CHECK_FAILS(SetCaps(less, getppid()), EPERM);
    CHILD_CHECK_FAILS(SetCaps(less, 99999), EPERM);
    CHILD_CHECK(GetCaps() == start_);
    CHILD_CHECK(SetCaps(less, getpid()) == 0);  // its own tid
    CHILD_CHECK(GetCaps() == less);
  });
  EXPECT_EQ(status, 0);
}

TEST_F(CredsTest, CapsetVersions) {
  const int status = InChild([&] {
    __user_cap_header_struct hdr{0x12345678, 0};
    __user_cap_data_struct d[2] = {};
    CHILD_CHECK_FAILS(syscall(SYS_capset, &hdr, d), EINVAL);
    CHILD_CHECK(hdr.version == _LINUX_CAPABILITY_VERSION_3);
    CHILD_CHECK(GetCaps() == start_);
    // Version 1 sets the low 32 bits; the others become 0.
    hdr = {_LINUX_CAPABILITY_VERSION_1, 0};
    d[0] = {static_cast<uint32_t>(start_.effective), static_cast<uint32_t>(start_.permitted),
            static_cast<uint32_t>(start_.inheritable)};
    d[1] = {~0u, ~0u, ~0u};  // not read
    CHILD_CHECK(syscall(SYS_capset, &hdr, d) == 0);
    const uint64_t low = 0xffffffffu;
    CHILD_CHECK((GetCaps() ==
                 Caps{start_.effective & low, start_.permitted & low, start_.inheritable & low}));
  });
  EXPECT_EQ(status, 0);
}

}  // namespace
}  // namespace test_util
