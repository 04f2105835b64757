#include "sentry/kernel/seccomp.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace sentry::kernel::seccomp {
namespace {

namespace L = abi_linux;
using L::BpfJump;
using L::BpfStmt;

constexpr uint16_t kLdAbs = L::kBPF_LD | L::kBPF_W | L::kBPF_ABS;
constexpr uint16_t kRetK = L::kBPF_RET | L::kBPF_K;
constexpr uint16_t kJeqK = L::kBPF_JMP | L::kBPF_JEQ | L::kBPF_K;
constexpr uint32_t kNrOff = offsetof(L::SeccompData, nr);
constexpr uint32_t kArchOff = offsetof(L::SeccompData, arch);
constexpr uint32_t kArg0Lo = offsetof(L::SeccompData, args);

L::SeccompData Data(int nr, uint64_t arg0 = 0) {
  L::SeccompData d{};
  d.nr = nr;
  d.arch = L::kAUDIT_ARCH_X86_64;
  d.instruction_pointer = 0x401000;
  d.args[0] = arg0;
  return d;
}

int Check(std::vector<L::SockFilter> p) {
  auto r = BpfProgram::Check(p);
  return r.ok() ? 0 : r.error().value();
}

uint32_t RunOne(std::vector<L::SockFilter> p, const L::SeccompData& d) {
  auto r = BpfProgram::Check(p);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return 0xdeadbeef;
  return r->Run(d);
}

// "nr == `nr` ? `hit` : ALLOW".
std::vector<L::SockFilter> Match(int nr, uint32_t hit) {
  return {BpfStmt(kLdAbs, kNrOff), BpfJump(kJeqK, static_cast<uint32_t>(nr), 0, 1),
          BpfStmt(kRetK, hit), BpfStmt(kRetK, L::kSECCOMP_RET_ALLOW)};
}

TEST(SeccompCheckTest, AcceptsATypicalFilter) {
  EXPECT_EQ(Check({BpfStmt(kLdAbs, kArchOff), BpfJump(kJeqK, L::kAUDIT_ARCH_X86_64, 1, 0),
                   BpfStmt(kRetK, L::kSECCOMP_RET_KILL_PROCESS), BpfStmt(kLdAbs, kNrOff),
                   BpfJump(kJeqK, 39, 0, 1), BpfStmt(kRetK, L::kSECCOMP_RET_ERRNO | 1),
                   BpfStmt(kRetK, L::kSECCOMP_RET_ALLOW)}),
            0);
}

TEST(SeccompCheckTest, RejectsEmptyAndOversized) {
  EXPECT_EQ(Check({}), EINVAL);
  std::vector<L::SockFilter> big(L::kBPF_MAXINSNS + 1, BpfStmt(kRetK, 0));
  EXPECT_EQ(Check(big), EINVAL);
  big.pop_back();
  EXPECT_EQ(Check(big), 0);
}

TEST(SeccompCheckTest, MustEndInRet) {
  EXPECT_EQ(Check({BpfStmt(kLdAbs, kNrOff)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_RET | L::kBPF_A, 0)}), 0);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_RET | L::kBPF_X, 0)}), EINVAL);  // not an opcode
}

TEST(SeccompCheckTest, LoadsOnlyAlignedWordsInsideSeccompData) {
  EXPECT_EQ(Check({BpfStmt(kLdAbs, 60), BpfStmt(kRetK, 0)}), 0);
  EXPECT_EQ(Check({BpfStmt(kLdAbs, 64), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(kLdAbs, 2), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(kLdAbs, 0xfffff000), BpfStmt(kRetK, 0)}), EINVAL);  // ancillary
  // Half-word, byte and indirect loads are classic BPF but not seccomp.
  EXPECT_EQ(Check({BpfStmt(L::kBPF_LD | L::kBPF_H | L::kBPF_ABS, 0), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_LD | L::kBPF_B | L::kBPF_ABS, 0), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_LD | L::kBPF_W | L::kBPF_IND, 0), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_LDX | L::kBPF_B | L::kBPF_MSH, 0), BpfStmt(kRetK, 0)}),
            EINVAL);
}

TEST(SeccompCheckTest, JumpsStayInside) {
  EXPECT_EQ(Check({BpfJump(kJeqK, 0, 0, 1), BpfStmt(kRetK, 0), BpfStmt(kRetK, 1)}), 0);
  EXPECT_EQ(Check({BpfJump(kJeqK, 0, 0, 2), BpfStmt(kRetK, 0), BpfStmt(kRetK, 1)}), EINVAL);
  EXPECT_EQ(Check({BpfJump(kJeqK, 0, 2, 0), BpfStmt(kRetK, 0), BpfStmt(kRetK, 1)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_JMP | L::kBPF_JA, 1), BpfStmt(kRetK, 0), BpfStmt(kRetK, 1)}),
            0);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_JMP | L::kBPF_JA, 2), BpfStmt(kRetK, 0), BpfStmt(kRetK, 1)}),
            EINVAL);
  // A "backward" jump is a huge forward one: out of bounds.
  EXPECT_EQ(Check({BpfStmt(kRetK, 0), BpfStmt(L::kBPF_JMP | L::kBPF_JA, 0xffffffff),
                   BpfStmt(kRetK, 1)}),
            EINVAL);
}

TEST(SeccompCheckTest, ArithmeticLimits) {
  EXPECT_EQ(Check({BpfStmt(L::kBPF_ALU | L::kBPF_DIV | L::kBPF_K, 0), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_ALU | L::kBPF_LSH | L::kBPF_K, 32), BpfStmt(kRetK, 0)}), EINVAL);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_ALU | L::kBPF_RSH | L::kBPF_K, 31), BpfStmt(kRetK, 0)}), 0);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_ALU | L::kBPF_MOD | L::kBPF_K, 3), BpfStmt(kRetK, 0)}), EINVAL);
}

TEST(SeccompCheckTest, ScratchMemory) {
  EXPECT_EQ(Check({BpfStmt(L::kBPF_ST, 15), BpfStmt(L::kBPF_LD | L::kBPF_MEM, 15),
                   BpfStmt(kRetK, 0)}),
            0);
  EXPECT_EQ(Check({BpfStmt(L::kBPF_ST, 16), BpfStmt(kRetK, 0)}), EINVAL);
  // Read before any write.
  EXPECT_EQ(Check({BpfStmt(L::kBPF_LDX | L::kBPF_MEM, 3), BpfStmt(kRetK, 0)}), EINVAL);
  // Written on one path only.
  EXPECT_EQ(Check({BpfJump(kJeqK, 0, 0, 1), BpfStmt(L::kBPF_ST, 2),
                   BpfStmt(L::kBPF_LD | L::kBPF_MEM, 2), BpfStmt(kRetK, 0)}),
            EINVAL);
  // Written before the branch: fine on both.
  EXPECT_EQ(Check({BpfStmt(L::kBPF_STX, 2), BpfJump(kJeqK, 0, 0, 1), BpfStmt(kRetK, 1),
                   BpfStmt(L::kBPF_LD | L::kBPF_MEM, 2), BpfStmt(kRetK, 0)}),
            0);
}

TEST(SeccompCheckTest, RandomProgramsNeverCrash) {
  std::mt19937 rng(42);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<L::SockFilter> p(1 + rng() % 12);
    for (auto& in : p) {
      in.code = static_cast<uint16_t>(rng() & 0xff);
      in.jt = static_cast<uint8_t>(rng() % 4);
      in.jf = static_cast<uint8_t>(rng() % 4);
      in.k = rng() % 3 == 0 ? rng() : rng() % 70;
    }
    p.back() = BpfStmt(kRetK, rng());
    auto r = BpfProgram::Check(p);
    if (!r.ok()) {
      EXPECT_EQ(r.error().value(), EINVAL);
      continue;
    }
    ++accepted;
    (void)r->Run(Data(static_cast<int>(rng() % 400), rng()));
  }
  EXPECT_GT(accepted, 100);
}

TEST(SeccompRunTest, MatchesOnNrAndArgs) {
  auto p = Match(39, L::kSECCOMP_RET_ERRNO | 5);
  EXPECT_EQ(RunOne(p, Data(39)), L::kSECCOMP_RET_ERRNO | 5);
  EXPECT_EQ(RunOne(p, Data(40)), L::kSECCOMP_RET_ALLOW);
  // write(2, ...) only: args[0]'s low word.
  std::vector<L::SockFilter> w = {
      BpfStmt(kLdAbs, kNrOff),  BpfJump(kJeqK, 1, 0, 3), BpfStmt(kLdAbs, kArg0Lo),
      BpfJump(kJeqK, 2, 0, 1),  BpfStmt(kRetK, L::kSECCOMP_RET_ERRNO | 9),
      BpfStmt(kRetK, L::kSECCOMP_RET_ALLOW)};
  EXPECT_EQ(RunOne(w, Data(1, 2)), L::kSECCOMP_RET_ERRNO | 9);
  EXPECT_EQ(RunOne(w, Data(1, 1)), L::kSECCOMP_RET_ALLOW);
  EXPECT_EQ(RunOne(w, Data(0, 2)), L::kSECCOMP_RET_ALLOW);
}

TEST(SeccompRunTest, AluScratchAndLen) {
  // ((nr + 3) * 2) ^ 1, stored and reloaded through X.
  std::vector<L::SockFilter> p = {
      BpfStmt(kLdAbs, kNrOff),
      BpfStmt(L::kBPF_ALU | L::kBPF_ADD | L::kBPF_K, 3),
      BpfStmt(L::kBPF_ALU | L::kBPF_MUL | L::kBPF_K, 2),
      BpfStmt(L::kBPF_ALU | L::kBPF_XOR | L::kBPF_K, 1),
      BpfStmt(L::kBPF_ST, 0),
      BpfStmt(L::kBPF_LD | L::kBPF_IMM, 0),
      BpfStmt(L::kBPF_LDX | L::kBPF_MEM, 0),
      BpfStmt(L::kBPF_MISC | L::kBPF_TXA, 0),
      BpfStmt(L::kBPF_RET | L::kBPF_A, 0)};
  EXPECT_EQ(RunOne(p, Data(4)), ((4u + 3) * 2) ^ 1);
  EXPECT_EQ(RunOne({BpfStmt(L::kBPF_LD | L::kBPF_W | L::kBPF_LEN, 0),
                    BpfStmt(L::kBPF_RET | L::kBPF_A, 0)},
                   Data(0)),
            64u);
  // Division by a zero X returns 0 (SECCOMP_RET_KILL_THREAD).
  EXPECT_EQ(RunOne({BpfStmt(L::kBPF_LD | L::kBPF_IMM, 7),
                    BpfStmt(L::kBPF_ALU | L::kBPF_DIV | L::kBPF_X, 0),
                    BpfStmt(kRetK, L::kSECCOMP_RET_ALLOW)},
                   Data(0)),
            0u);
  EXPECT_EQ(RunOne({BpfStmt(L::kBPF_LD | L::kBPF_IMM, 1), BpfStmt(L::kBPF_ALU | L::kBPF_NEG, 0),
                    BpfStmt(L::kBPF_RET | L::kBPF_A, 0)},
                   Data(0)),
            0xffffffffu);
}

std::shared_ptr<const Filter> Push(std::vector<L::SockFilter> p, std::shared_ptr<const Filter> prev) {
  auto r = BpfProgram::Check(p);
  EXPECT_TRUE(r.ok());
  return std::make_shared<const Filter>(std::move(r).value(), false, std::move(prev));
}

TEST(SeccompRunTest, MostRestrictiveWinsNewestOnTies) {
  auto f1 = Push(Match(39, L::kSECCOMP_RET_ERRNO | 1), nullptr);
  auto f2 = Push(Match(39, L::kSECCOMP_RET_TRAP | 7), f1);
  auto f3 = Push(Match(39, L::kSECCOMP_RET_ERRNO | 2), f2);
  EXPECT_EQ(RunFilters(f3.get(), Data(39)), L::kSECCOMP_RET_TRAP | 7);
  EXPECT_EQ(RunFilters(f3.get(), Data(40)), L::kSECCOMP_RET_ALLOW);
  auto g = Push(Match(39, L::kSECCOMP_RET_ERRNO | 3), f1);
  EXPECT_EQ(RunFilters(g.get(), Data(39)), L::kSECCOMP_RET_ERRNO | 3);
  auto k = Push(Match(39, L::kSECCOMP_RET_KILL_PROCESS), f3);
  EXPECT_EQ(RunFilters(k.get(), Data(39)), L::kSECCOMP_RET_KILL_PROCESS);
  auto l = Push(Match(39, L::kSECCOMP_RET_LOG), nullptr);
  EXPECT_EQ(RunFilters(l.get(), Data(39)), L::kSECCOMP_RET_LOG);
  EXPECT_EQ(RunFilters(nullptr, Data(39)), L::kSECCOMP_RET_ALLOW);
  EXPECT_EQ(FilterCount(f3.get()), 3);
  EXPECT_TRUE(IsAncestor(f1.get(), f3.get()));
  EXPECT_TRUE(IsAncestor(nullptr, f3.get()));
  EXPECT_FALSE(IsAncestor(g.get(), f3.get()));
}

TEST(SeccompRunTest, AllowCacheOnlyWhereArgumentsDoNotMatter) {
  // write(2, ...) fails; everything else is allowed.
  std::vector<L::SockFilter> w = {
      BpfStmt(kLdAbs, kArchOff), BpfJump(kJeqK, L::kAUDIT_ARCH_X86_64, 1, 0),
      BpfStmt(kRetK, L::kSECCOMP_RET_KILL_PROCESS), BpfStmt(kLdAbs, kNrOff),
      BpfJump(kJeqK, 1, 0, 3), BpfStmt(kLdAbs, kArg0Lo), BpfJump(kJeqK, 2, 0, 1),
      BpfStmt(kRetK, L::kSECCOMP_RET_ERRNO | 9), BpfStmt(kRetK, L::kSECCOMP_RET_ALLOW)};
  auto f = Push(w, nullptr);
  EXPECT_TRUE(f->program.AlwaysAllows(39));
  EXPECT_TRUE(f->always_allows[39]);
  EXPECT_FALSE(f->always_allows[1]);  // depends on args[0]
  EXPECT_EQ(RunFilters(f.get(), Data(1, 2)), L::kSECCOMP_RET_ERRNO | 9);
  EXPECT_EQ(RunFilters(f.get(), Data(1, 1)), L::kSECCOMP_RET_ALLOW);
  // A denied number is never cached, nor one a LOG or ERRNO answers.
  auto g = Push(Match(39, L::kSECCOMP_RET_LOG), f);
  EXPECT_FALSE(g->always_allows[39]);
  EXPECT_TRUE(g->always_allows[40]);
  EXPECT_EQ(RunFilters(g.get(), Data(39)), L::kSECCOMP_RET_LOG);
  // Cached and uncached runs agree for every number, on a random filter stack.
  std::mt19937 rng(7);
  std::shared_ptr<const Filter> stack;
  for (int i = 0; i < 4; ++i) {
    stack = Push(Match(static_cast<int>(rng() % 64), L::kSECCOMP_RET_ERRNO | (i + 1)), stack);
  }
  for (int nr = 0; nr < 600; ++nr) {
    uint32_t expect = L::kSECCOMP_RET_ALLOW;
    for (const Filter* p = stack.get(); p != nullptr; p = p->prev.get()) {
      uint32_t cur = p->program.Run(Data(nr));
      if (ActionOf(cur) < ActionOf(expect)) expect = cur;
    }
    EXPECT_EQ(RunFilters(stack.get(), Data(nr)), expect) << nr;
  }
}

TEST(SeccompRunTest, ActionsAvailable) {
  EXPECT_TRUE(ActionAvailable(L::kSECCOMP_RET_KILL_PROCESS));
  EXPECT_TRUE(ActionAvailable(L::kSECCOMP_RET_LOG));
  EXPECT_FALSE(ActionAvailable(L::kSECCOMP_RET_USER_NOTIF));
  EXPECT_FALSE(ActionAvailable(0x12340000));
  EXPECT_FALSE(ActionAvailable(L::kSECCOMP_RET_ERRNO | 1));
}

}  // namespace
}  // namespace sentry::kernel::seccomp
