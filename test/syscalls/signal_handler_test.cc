// Signal handlers: rt_sigaction(2) with handlers, the signal frame,
// rt_sigreturn(2), sigaltstack(2), synchronous signals from faults.
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>

#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace {

using ::test_util::SyscallFailsWithErrno;

volatile sig_atomic_t g_count = 0;
volatile int g_signo = 0;
volatile int g_code = 0;
volatile pid_t g_pid = 0;
volatile void* g_addr = nullptr;
volatile uint64_t g_mask_in_handler = 0;
volatile uintptr_t g_stack_in_handler = 0;
sigjmp_buf g_jmp;

void Install(int sig, void (*fn)(int, siginfo_t*, void*), int flags = 0) {
  struct sigaction sa = {};
  sa.sa_sigaction = fn;
  sa.sa_flags = SA_SIGINFO | flags;
  sigemptyset(&sa.sa_mask);
  ASSERT_EQ(sigaction(sig, &sa, nullptr), 0);
}

void Restore(int sig) { signal(sig, SIG_DFL); }

void Record(int sig, siginfo_t* info, void*) {
  g_count = g_count + 1;
  g_signo = sig;
  g_code = info->si_code;
  g_pid = info->si_pid;
  sigset_t cur;
  sigprocmask(SIG_BLOCK, nullptr, &cur);
  uint64_t m = 0;
  memcpy(&m, &cur, sizeof(m));
  g_mask_in_handler = m;
  int local;
  g_stack_in_handler = reinterpret_cast<uintptr_t>(&local);
}

TEST(SignalHandlerTest, RaiseRunsHandlerWithSiginfo) {
  g_count = 0;
  Install(SIGUSR1, Record);
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  EXPECT_EQ(g_count, 1);
  EXPECT_EQ(g_signo, SIGUSR1);
  EXPECT_EQ(g_code, SI_USER);
  EXPECT_EQ(g_pid, getpid());
  // The signal itself is blocked while its handler runs, and unblocked after.
  EXPECT_TRUE(g_mask_in_handler & (1ull << (SIGUSR1 - 1)));
  sigset_t cur;
  sigprocmask(SIG_BLOCK, nullptr, &cur);
  EXPECT_FALSE(sigismember(&cur, SIGUSR1));
  Restore(SIGUSR1);
}

TEST(SignalHandlerTest, TgkillHasSiTkill) {
  g_count = 0;
  Install(SIGUSR2, Record);
  ASSERT_EQ(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2), 0);
  EXPECT_EQ(g_count, 1);
  EXPECT_EQ(g_code, SI_TKILL);
  Restore(SIGUSR2);
}

TEST(SignalHandlerTest, BlockedSignalRunsWhenUnblocked) {
  g_count = 0;
  Install(SIGUSR1, Record);
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &set, &old), 0);
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  EXPECT_EQ(g_count, 0);
  ASSERT_EQ(sigprocmask(SIG_SETMASK, &old, nullptr), 0);
  EXPECT_EQ(g_count, 1);
  Restore(SIGUSR1);
}

TEST(SignalHandlerTest, ResetHandRestoresDefault) {
  Install(SIGUSR1, Record, SA_RESETHAND);
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  struct sigaction now;
  ASSERT_EQ(sigaction(SIGUSR1, nullptr, &now), 0);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST(SignalHandlerTest, NodeferLeavesSignalUnblocked) {
  Install(SIGUSR1, Record, SA_NODEFER);
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  EXPECT_FALSE(g_mask_in_handler & (1ull << (SIGUSR1 - 1)));
  Restore(SIGUSR1);
}

void ClobberFp(int, siginfo_t*, void*) {
  volatile double x = 1.0;
  for (int i = 0; i < 10; ++i) x = x * 3.5 + 1.25;
  asm volatile("pxor %%xmm7, %%xmm7" ::: "xmm7");
  g_count = g_count + 1;
}

TEST(SignalHandlerTest, RegistersAndFpStateSurviveTheHandler) {
  Install(SIGUSR1, ClobberFp);
  uint64_t in = 0x1234567890abcdefull, out = 0;
  // Put a value in xmm7, take the signal, read xmm7 back.
  asm volatile(
      "movq %1, %%xmm7\n\t"
      "mov $62, %%eax\n\t"  // kill(getpid(), SIGUSR1)
      "syscall\n\t"
      "movq %%xmm7, %0\n\t"
      : "=r"(out)
      : "r"(in), "D"(static_cast<long>(getpid())), "S"(static_cast<long>(SIGUSR1))
      : "rax", "rcx", "r11", "memory", "xmm7");
  EXPECT_EQ(out, in);
  Restore(SIGUSR1);
}

void SegvJump(int sig, siginfo_t* info, void*) {
  g_signo = sig;
  g_code = info->si_code;
  g_addr = info->si_addr;
  siglongjmp(g_jmp, 1);
}

TEST(SignalHandlerTest, FaultDeliversSigsegvWithAddress) {
  Install(SIGSEGV, SegvJump);
  void* p = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  if (sigsetjmp(g_jmp, 1) == 0) {
    *static_cast<volatile char*>(p) = 1;
    FAIL() << "write to PROT_NONE memory succeeded";
  }
  EXPECT_EQ(g_signo, SIGSEGV);
  EXPECT_EQ(g_code, SEGV_ACCERR);
  EXPECT_EQ(g_addr, p);
  munmap(p, 4096);
  // Launder the address so the compiler cannot see it is bogus.
  volatile uintptr_t low = 16;
  if (sigsetjmp(g_jmp, 1) == 0) {
    *reinterpret_cast<volatile char*>(low) = 1;
    FAIL() << "write to address 16 succeeded";
  }
  EXPECT_EQ(g_code, SEGV_MAPERR);
  EXPECT_EQ(g_addr, reinterpret_cast<void*>(16));
  Restore(SIGSEGV);
}

TEST(SignalHandlerTest, AltstackIsUsedWithSaOnstack) {
  static char stack[64 << 10];
  stack_t ss = {};
  ss.ss_sp = stack;
  ss.ss_size = sizeof(stack);
  ASSERT_EQ(sigaltstack(&ss, nullptr), 0);
  Install(SIGUSR1, Record, SA_ONSTACK);
  ASSERT_EQ(kill(getpid(), SIGUSR1), 0);
  EXPECT_GE(g_stack_in_handler, reinterpret_cast<uintptr_t>(stack));
  EXPECT_LT(g_stack_in_handler, reinterpret_cast<uintptr_t>(stack) + sizeof(stack));
  stack_t now;
  ASSERT_EQ(sigaltstack(nullptr, &now), 0);
  EXPECT_EQ(now.ss_sp, stack);
  EXPECT_EQ(now.ss_flags, 0);
  ss.ss_flags = SS_DISABLE;
  ASSERT_EQ(sigaltstack(&ss, nullptr), 0);
  ASSERT_EQ(sigaltstack(nullptr, &now), 0);
  EXPECT_EQ(now.ss_flags, SS_DISABLE);
  Restore(SIGUSR1);
}

TEST(SignalHandlerTest, SigaltstackErrors) {
  stack_t ss = {};
  static char small[1024];
  ss.ss_sp = small;
  ss.ss_size = sizeof(small);
  EXPECT_THAT(sigaltstack(&ss, nullptr), SyscallFailsWithErrno(ENOMEM));
  ss.ss_flags = 0x1234;
  EXPECT_THAT(sigaltstack(&ss, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_sigaltstack, reinterpret_cast<stack_t*>(1), nullptr),
              SyscallFailsWithErrno(EFAULT));
}

}  // namespace
