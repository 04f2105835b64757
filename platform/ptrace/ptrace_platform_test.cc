#include "platform/ptrace/ptrace_platform.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "util/unique_fd.h"

namespace platform::ptrace {
namespace {

constexpr uint64_t kCodeAddr = 0x400000;

class PtracePlatformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    memfd_ = util::UniqueFd(memfd_create("test-memory", MFD_CLOEXEC));
    ASSERT_TRUE(memfd_.valid());
    ASSERT_EQ(ftruncate(memfd_.get(), 1 << 20), 0);
    view_ = static_cast<uint8_t*>(
        mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED, memfd_.get(), 0));
    ASSERT_NE(view_, MAP_FAILED);
    auto p = Platform::Create("ptrace", memfd_.get());
    ASSERT_TRUE(p.ok()) << p.status();
    platform_ = std::move(*p);
  }
  void TearDown() override { munmap(view_, 1 << 20); }

  util::UniqueFd memfd_;
  uint8_t* view_ = nullptr;
  std::unique_ptr<Platform> platform_;
};

TEST_F(PtracePlatformTest, GuestSyscallStopsBeforeTheHostRunsIt) {
  // mov $39, %eax; syscall; mov $60, %eax; syscall
  const uint8_t code[] = {0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xb8, 60, 0, 0, 0, 0x0f, 0x05};
  std::memcpy(view_, code, sizeof(code));
  auto as = platform_->NewAddressSpace();
  ASSERT_TRUE(as.ok()) << as.status();
  ASSERT_TRUE((*as)->MapFile(kCodeAddr, 4096, memfd_.get(), 0, PROT_READ | PROT_EXEC).ok());
  auto ctx = platform_->NewContext();
  abi_linux::PtRegs regs = platform_->InitialRegs();
  regs.rip = kCodeAddr;
  SwitchResult r = ctx->Switch(**as, regs);
  ASSERT_EQ(r.reason, StopReason::kSyscall)
      << "signal " << r.signo << " code " << r.code << " addr " << r.fault_addr << " rip " << regs.rip;
  EXPECT_EQ(regs.orig_rax, 39u);
  EXPECT_EQ(regs.rip, kCodeAddr + 7);
  regs.rax = 12345;  // the "result" of getpid
  r = ctx->Switch(**as, regs);
  ASSERT_EQ(r.reason, StopReason::kSyscall);
  EXPECT_EQ(regs.orig_rax, 60u);  // exit was trapped too, so the stub still lives
  r = ctx->Switch(**as, regs);    // and runs on into zeros: add %al,(%rax)
  EXPECT_EQ(r.reason, StopReason::kFault);
}

TEST_F(PtracePlatformTest, FaultsReportAddressAndCause) {
  // mov (0x12345678), %rax
  const uint8_t code[] = {0x48, 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12};
  std::memcpy(view_, code, sizeof(code));
  auto as = platform_->NewAddressSpace();
  ASSERT_TRUE(as.ok());
  ASSERT_TRUE((*as)->MapFile(kCodeAddr, 4096, memfd_.get(), 0, PROT_READ | PROT_EXEC).ok());
  auto ctx = platform_->NewContext();
  abi_linux::PtRegs regs = platform_->InitialRegs();
  regs.rip = kCodeAddr;
  SwitchResult r = ctx->Switch(**as, regs);
  ASSERT_EQ(r.reason, StopReason::kFault);
  EXPECT_EQ(r.signo, SIGSEGV);
  EXPECT_EQ(r.code, SEGV_MAPERR);
  EXPECT_EQ(r.fault_addr, 0x12345678u);
  EXPECT_EQ(regs.rip, kCodeAddr);
  // Map the page and retry: the load now succeeds and runs into zeros
  // (add %al,(%rax)), faulting at 0 + whatever rax is; a write to a
  // read-only page is an access error.
  ASSERT_TRUE((*as)->MapFile(0x12345000, 4096, memfd_.get(), 4096, PROT_READ).ok());
  view_[4096 + 0x678] = 0x42;
  r = ctx->Switch(**as, regs);
  ASSERT_EQ(r.reason, StopReason::kFault);
  EXPECT_EQ(regs.rax, 0x42u);
}

TEST_F(PtracePlatformTest, InterruptStopsARunningGuest) {
  const uint8_t code[] = {0xeb, 0xfe};  // jmp .
  std::memcpy(view_, code, sizeof(code));
  auto as = platform_->NewAddressSpace();
  ASSERT_TRUE(as.ok());
  ASSERT_TRUE((*as)->MapFile(kCodeAddr, 4096, memfd_.get(), 0, PROT_READ | PROT_EXEC).ok());
  auto ctx = platform_->NewContext();
  abi_linux::PtRegs regs = platform_->InitialRegs();
  regs.rip = kCodeAddr;
  std::thread t([&] {
    usleep(50000);
    ctx->Interrupt();
  });
  SwitchResult r = ctx->Switch(**as, regs);
  t.join();
  EXPECT_EQ(r.reason, StopReason::kInterrupted);
}

}  // namespace
}  // namespace platform::ptrace

namespace platform::ptrace {
namespace {

TEST_F(PtracePlatformTest, EverySentryThreadGetsItsOwnStubThread) {
  // getpid; loop back to it.
  const uint8_t code[] = {0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7};
  std::memcpy(view_, code, sizeof(code));
  auto as = platform_->NewAddressSpace();
  ASSERT_TRUE(as.ok()) << as.status();
  ASSERT_TRUE((*as)->MapFile(kCodeAddr, 4096, memfd_.get(), 0, PROT_READ | PROT_EXEC).ok());
  std::atomic<int> ok{0};
  auto run = [&] {
    auto ctx = platform_->NewContext();
    abi_linux::PtRegs regs = platform_->InitialRegs();
    regs.rip = kCodeAddr;
    for (int i = 0; i < 100; ++i) {
      SwitchResult r = ctx->Switch(**as, regs);
      if (r.reason != StopReason::kSyscall || regs.orig_rax != 39) return;
    }
    (*as)->ReleaseThreadForCaller();
    ++ok;
  };
  std::thread a(run), b(run), c(run);
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(ok.load(), 3);
  // The stub survives its threads' release, and a new thread can join.
  std::thread d(run);
  d.join();
  EXPECT_EQ(ok.load(), 4);
}

}  // namespace
}  // namespace platform::ptrace

namespace platform::ptrace {
namespace {

TEST_F(PtracePlatformTest, InjectionSurvivesAPendingInterrupt) {
  // getpid; loop back to it.
  const uint8_t code[] = {0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xf7};
  std::memcpy(view_, code, sizeof(code));
  auto as = platform_->NewAddressSpace();
  ASSERT_TRUE(as.ok()) << as.status();
  ASSERT_TRUE((*as)->MapFile(kCodeAddr, 4096, memfd_.get(), 0, PROT_READ | PROT_EXEC).ok());
  auto* sub = static_cast<Subprocess*>(as->get());
  auto ctx = platform_->NewContext();
  abi_linux::PtRegs regs = platform_->InitialRegs();
  regs.rip = kCodeAddr;
  for (int i = 0; i < 200; ++i) {
    SwitchResult r = ctx->Switch(**as, regs);
    ASSERT_EQ(r.reason, StopReason::kSyscall);
    // An interrupt that arrives after the stop: it is pending while the
    // sentry injects address-space syscalls.
    auto t = sub->ThreadForCaller();
    ASSERT_TRUE(t.ok());
    syscall(SYS_tgkill, sub->pid(), (*t)->tid(), InterruptSignal());
    ASSERT_TRUE((*as)->Protect(kCodeAddr, 4096, PROT_READ | PROT_EXEC).ok());
  }
}

}  // namespace
}  // namespace platform::ptrace
