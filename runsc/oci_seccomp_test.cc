#include "runsc/oci_seccomp.h"

#include <sys/syscall.h>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace runsc {
namespace {

namespace L = abi_linux;

// Parses, compiles and checks `profile_json`; the filter the sentry would run.
std::shared_ptr<const sentry::kernel::seccomp::Filter> Build(const std::string& profile_json) {
  auto p = ParseSeccomp(nlohmann::json::parse(profile_json), "linux.seccomp");
  EXPECT_TRUE(p.ok()) << p.status();
  if (!p.ok()) return nullptr;
  auto bpf = CompileSeccomp(*p);
  EXPECT_TRUE(bpf.ok()) << bpf.status();
  if (!bpf.ok()) return nullptr;
  // Through the control socket's encoding, as a pod's container gets it.
  auto decoded = DecodeBpf(EncodeBpf(*bpf));
  EXPECT_TRUE(decoded.ok());
  if (!decoded.ok()) return nullptr;
  auto f = GuestSeccompFilter(*decoded, *p);
  EXPECT_TRUE(f.ok()) << f.status();
  return f.ok() ? *f : nullptr;
}

uint32_t Verdict(const sentry::kernel::seccomp::Filter& f, int nr,
                 std::initializer_list<uint64_t> args = {}) {
  L::SeccompData d{};
  d.nr = nr;
  d.arch = L::kAUDIT_ARCH_X86_64;
  int i = 0;
  for (uint64_t a : args) d.args[i++] = a;
  return sentry::kernel::seccomp::RunFilters(&f, d);
}

TEST(OciSeccompTest, DenyOneSyscall) {
  auto f = Build(R"({"defaultAction": "SCMP_ACT_ALLOW",
                     "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                     "syscalls": [{"names": ["mkdir", "mkdirat", "no_such_call"],
                                   "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]})");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Verdict(*f, SYS_mkdir), L::kSECCOMP_RET_ERRNO | 1);
  EXPECT_EQ(Verdict(*f, SYS_mkdirat), L::kSECCOMP_RET_ERRNO | 1);
  EXPECT_EQ(Verdict(*f, SYS_getpid), L::kSECCOMP_RET_ALLOW);
  // Another architecture's data is not x86-64's.
  L::SeccompData d{};
  d.nr = SYS_getpid;
  d.arch = 0x12345678;
  EXPECT_NE(sentry::kernel::seccomp::RunFilters(f.get(), d), L::kSECCOMP_RET_ALLOW);
}

TEST(OciSeccompTest, AllowListWithDefaultErrno) {
  auto f = Build(R"({"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                     "syscalls": [{"names": ["read", "write", "exit_group"],
                                   "action": "SCMP_ACT_ALLOW"},
                                  {"names": ["getpid"], "action": "SCMP_ACT_ERRNO"}]})");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Verdict(*f, SYS_read), L::kSECCOMP_RET_ALLOW);
  EXPECT_EQ(Verdict(*f, SYS_openat), L::kSECCOMP_RET_ERRNO | 38);
  // A rule with its own action: EPERM when errnoRet is absent.
  EXPECT_EQ(Verdict(*f, SYS_getpid), L::kSECCOMP_RET_ERRNO | 1);
}

TEST(OciSeccompTest, ArgumentConditions) {
  // AND of conditions on different arguments.
  auto f = Build(R"({"defaultAction": "SCMP_ACT_ALLOW",
                     "syscalls": [{"names": ["write"], "action": "SCMP_ACT_KILL_PROCESS",
                                   "args": [{"index": 0, "value": 2, "op": "SCMP_CMP_EQ"},
                                            {"index": 2, "value": 10, "op": "SCMP_CMP_GT"}]},
                                  {"names": ["personality"], "action": "SCMP_ACT_TRAP",
                                   "args": [{"index": 0, "value": 4294967295, "valueTwo": 8,
                                             "op": "SCMP_CMP_MASKED_EQ"}]}]})");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Verdict(*f, SYS_write, {2, 0, 11}), L::kSECCOMP_RET_KILL_PROCESS);
  EXPECT_EQ(Verdict(*f, SYS_write, {2, 0, 10}), L::kSECCOMP_RET_ALLOW);
  EXPECT_EQ(Verdict(*f, SYS_write, {1, 0, 11}), L::kSECCOMP_RET_ALLOW);
  EXPECT_EQ(Verdict(*f, SYS_personality, {8}), L::kSECCOMP_RET_TRAP);
  EXPECT_EQ(Verdict(*f, SYS_personality, {0}), L::kSECCOMP_RET_ALLOW);
  // The same argument twice: one rule per condition (OR), as runc does.
  auto g = Build(R"({"defaultAction": "SCMP_ACT_ALLOW",
                     "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                                   "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"},
                                            {"index": 1, "value": 19, "op": "SCMP_CMP_EQ"}]}]})");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(Verdict(*g, SYS_kill, {1, 9}), L::kSECCOMP_RET_ERRNO | 13);
  EXPECT_EQ(Verdict(*g, SYS_kill, {1, 19}), L::kSECCOMP_RET_ERRNO | 13);
  EXPECT_EQ(Verdict(*g, SYS_kill, {1, 15}), L::kSECCOMP_RET_ALLOW);
}

TEST(OciSeccompTest, RefusesWhatCannotBeHonoured) {
  for (const char* bad : {
           R"({"defaultAction": "SCMP_ACT_NOTIFY"})",
           R"({"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/l.sock"})",
           R"({"defaultAction": "SCMP_ACT_ALLOW",
               "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]})",
           R"({"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_BOGUS"]})",
           R"({"defaultAction": "SCMP_ACT_ALLOW",
               "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                             "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ALMOST"}]}]})",
           R"({"syscalls": []})",
       }) {
    EXPECT_FALSE(ParseSeccomp(nlohmann::json::parse(bad), "linux.seccomp").ok()) << bad;
  }
  auto arch = ParseSeccomp(nlohmann::json::parse(
                               R"({"defaultAction": "SCMP_ACT_ALLOW",
                                   "architectures": ["SCMP_ARCH_VAX"]})"),
                           "linux.seccomp");
  ASSERT_TRUE(arch.ok());
  EXPECT_FALSE(CompileSeccomp(*arch).ok());
  EXPECT_FALSE(DecodeBpf("not base64!").ok());
}

}  // namespace
}  // namespace runsc
