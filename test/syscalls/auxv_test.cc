// What the loader hands a new program: the auxiliary vector, argv and envp.
// The program is static, so the auxv describes it alone (no interpreter).
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

// Defined by the linker: this program's ELF header and entry point.
extern "C" const ElfW(Ehdr) __ehdr_start;
extern "C" void _start();

namespace test_util {
namespace {

using ::testing::AnyOf;
using ::testing::StrEq;

TEST(AuxvTest, PageSize) {
  EXPECT_EQ(getauxval(AT_PAGESZ), 4096u);
  EXPECT_EQ(sysconf(_SC_PAGESIZE), 4096);
}

TEST(AuxvTest, ProgramHeadersAreThisProgramsOwn) {
  const ElfW(Ehdr)* ehdr = &__ehdr_start;
  ASSERT_EQ(memcmp(ehdr->e_ident, ELFMAG, SELFMAG), 0);
  const uintptr_t phdr = getauxval(AT_PHDR);
  ASSERT_NE(phdr, 0u);
  EXPECT_EQ(phdr, reinterpret_cast<uintptr_t>(ehdr) + ehdr->e_phoff);
  EXPECT_EQ(getauxval(AT_PHENT), sizeof(ElfW(Phdr)));
  EXPECT_EQ(getauxval(AT_PHENT), ehdr->e_phentsize);
  EXPECT_EQ(getauxval(AT_PHNUM), ehdr->e_phnum);

  // The headers found there describe a loaded program: PT_LOAD segments, one
  // of which contains the ELF header.
  const auto* ph = reinterpret_cast<const ElfW(Phdr)*>(phdr);
  const uintptr_t bias = reinterpret_cast<uintptr_t>(ehdr) - [&] {
    for (size_t i = 0; i < getauxval(AT_PHNUM); ++i) {
      if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) return ph[i].p_vaddr;
    }
    return ElfW(Addr){0};
  }();
  int loads = 0;
  bool found_ehdr = false;
  for (size_t i = 0; i < getauxval(AT_PHNUM); ++i) {
    if (ph[i].p_type != PT_LOAD) continue;
    ++loads;
    const uintptr_t start = bias + ph[i].p_vaddr;
    if (start <= reinterpret_cast<uintptr_t>(ehdr) &&
        reinterpret_cast<uintptr_t>(ehdr) < start + ph[i].p_memsz) {
      found_ehdr = true;
    }
  }
  EXPECT_GT(loads, 0);
  EXPECT_TRUE(found_ehdr);
}

TEST(AuxvTest, EntryIsStart) {
  EXPECT_EQ(getauxval(AT_ENTRY), reinterpret_cast<uintptr_t>(&_start));
}

TEST(AuxvTest, NoInterpreter) {
  // AT_BASE is the interpreter's load address; a static program has none.
  EXPECT_EQ(getauxval(AT_BASE), 0u);
  EXPECT_EQ(getauxval(AT_FLAGS), 0u);
}

TEST(AuxvTest, RandomBytes) {
  const auto* random = reinterpret_cast<const unsigned char*>(getauxval(AT_RANDOM));
  ASSERT_NE(random, nullptr);
  EXPECT_TRUE(RangeIsMapped(random, 16));
  // 16 random bytes are all zero with probability 2^-128.
  bool nonzero = false;
  for (int i = 0; i < 16; ++i) nonzero |= random[i] != 0;
  EXPECT_TRUE(nonzero);
}

TEST(AuxvTest, ExecFn) {
  const char* execfn = reinterpret_cast<const char*>(getauxval(AT_EXECFN));
  ASSERT_NE(execfn, nullptr);
  ASSERT_GT(strlen(execfn), 0u);
  // The path that was exec'd: argv[0] as given, or where it resolved to.
  EXPECT_THAT(execfn, AnyOf(StrEq(program_invocation_name), StrEq(SelfExePath())));
  EXPECT_EQ(Basename(execfn), Basename(SelfExePath()));
}

TEST(AuxvTest, Platform) {
  const char* platform = reinterpret_cast<const char*>(getauxval(AT_PLATFORM));
  ASSERT_NE(platform, nullptr);
  EXPECT_STREQ(platform, "x86_64");
}

TEST(AuxvTest, Credentials) {
  EXPECT_EQ(getauxval(AT_UID), getuid());
  EXPECT_EQ(getauxval(AT_EUID), geteuid());
  EXPECT_EQ(getauxval(AT_GID), getgid());
  EXPECT_EQ(getauxval(AT_EGID), getegid());
  EXPECT_EQ(getauxval(AT_SECURE), 0u);
}

TEST(AuxvTest, ClockTicks) {
  EXPECT_EQ(getauxval(AT_CLKTCK), 100u);
  EXPECT_EQ(sysconf(_SC_CLK_TCK), 100);
}

TEST(AuxvTest, Hwcap) { EXPECT_NE(getauxval(AT_HWCAP), 0u); }

TEST(AuxvTest, VdsoIfPresentIsAnElfImage) {
  // Whether there is a vDSO is up to the kernel; if AT_SYSINFO_EHDR is given,
  // libc calls into it, so it must be a mapped ELF image.
  const auto* vdso = reinterpret_cast<const unsigned char*>(getauxval(AT_SYSINFO_EHDR));
  // Without one there is nothing to check (the sandbox has none yet); a
  // skip would make the native and sandboxed results differ.
  if (vdso == nullptr) return;
  ASSERT_TRUE(RangeIsMapped(vdso, kPageSize));
  EXPECT_EQ(memcmp(vdso, ELFMAG, SELFMAG), 0);
}

TEST(AuxvTest, Argv) {
  ASSERT_NE(program_invocation_name, nullptr);
  EXPECT_GT(strlen(program_invocation_name), 0u);
  EXPECT_EQ(Basename(program_invocation_name), Basename(SelfExePath()));
  const std::vector<std::string> argv = ::testing::internal::GetArgvs();
  ASSERT_FALSE(argv.empty());
  EXPECT_EQ(argv[0], program_invocation_name);
  // run_both.sh passes --gtest_color=no through to both runs.
  if (getenv("SYSCALL_TEST_MARKER") != nullptr) {
    EXPECT_THAT(argv, ::testing::Contains("--gtest_color=no"));
  }
}

TEST(AuxvTest, Environment) {
  // run_both.sh exports this into both runs.
  const char* marker = getenv("SYSCALL_TEST_MARKER");
  if (marker == nullptr) GTEST_SKIP() << "not run by run_both.sh";
  EXPECT_STREQ(marker, "1");
  bool found = false;
  for (char** e = environ; *e != nullptr; ++e) {
    found |= strcmp(*e, "SYSCALL_TEST_MARKER=1") == 0;
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace test_util
