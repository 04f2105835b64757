// Kernel::FreezeContainer on real guest processes: busybox shells, on a
// tmpfs root, each printing a tick into a host pipe every 20 ms (forking a
// `sleep` for each); one is the sandbox's own process, one belongs to a
// pod's container "app".
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "sentry/fsimpl/tmpfs/regular_file.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/thread_group.h"
#include "sentry/syscalls/linux/linux64.h"

namespace sentry::kernel {
namespace {

constexpr char kBusybox[] = "/bin/busybox";
constexpr char kTicker[] = "while :; do echo x; sleep 0.02; done";

class RootContext : public vfs::Context {
 public:
  auth::Credentials creds() const override { return auth::Credentials::ForIds(0, 0, {}); }
  vfs::Path root() const override { return {}; }
  vfs::Path cwd() const override { return {}; }
  uint32_t umask() const override { return 022; }
};

// A host pipe a guest process writes its ticks to.
class Ticks {
 public:
  Ticks() {
    EXPECT_EQ(pipe2(fds_, O_CLOEXEC), 0);
    EXPECT_EQ(fcntl(fds_[0], F_SETFL, O_NONBLOCK), 0);
  }
  ~Ticks() {
    close(fds_[0]);
    close(fds_[1]);
  }
  int write_end() const { return fds_[1]; }
  // Bytes that arrive within `d`.
  size_t Count(absl::Duration d) {
    size_t n = 0;
    absl::Time end = absl::Now() + d;
    char buf[4096];
    while (absl::Now() < end) {
      ssize_t r = read(fds_[0], buf, sizeof(buf));
      if (r > 0) n += static_cast<size_t>(r);
      if (r <= 0) absl::SleepFor(absl::Milliseconds(5));
    }
    return n;
  }
  // Whether a tick arrives within `d`.
  bool Advances(absl::Duration d) {
    absl::Time end = absl::Now() + d;
    while (absl::Now() < end) {
      if (Count(absl::Milliseconds(20)) > 0) return true;
    }
    return false;
  }

 private:
  int fds_[2] = {-1, -1};
};

class FreezerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream in(kBusybox, std::ios::binary);
    if (!in) GTEST_SKIP() << kBusybox << " is missing (busybox-static)";
    // Ticks written to a pipe whose reader has gone fail with EPIPE.
    signal(SIGPIPE, SIG_IGN);
    std::string image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    KernelConfig cfg;
    cfg.syscalls = &syscalls::Linux64();
    auto k = Kernel::Create(cfg);
    ASSERT_TRUE(k.ok()) << k.status();
    kernel_ = std::move(*k);
    // A root with /bin/busybox, and /bin/sh and /bin/sleep naming it.
    fs_ = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(kernel_->memory_file());
    std::shared_ptr<vfs::Inode> root = fsimpl::tmpfs::NewRoot(*fs_);
    RootContext ctx;
    auto bin = root->Create(ctx, "bin", {.mode = S_IFDIR | 0755});
    ASSERT_TRUE(bin.ok());
    auto bb = (*bin)->Create(ctx, "busybox", {.mode = S_IFREG | 0755});
    ASSERT_TRUE(bb.ok());
    auto* file = static_cast<fsimpl::tmpfs::RegularFile*>(bb->get());
    auto written = file->WriteAt(image.data(), image.size(), uint64_t{0});
    ASSERT_TRUE(written.ok() && *written == image.size());
    for (const char* applet : {"sh", "sleep"}) {
      ASSERT_TRUE((*bin)->Symlink(ctx, applet, "busybox", 0, 0).ok());
    }
    kernel_->vfs().SetRoot(fs_, root, 0, "tmpfs", "");
  }

  void TearDown() override {
    if (!kernel_) return;
    if (run_.joinable()) {
      // The init process's end ends every other one.
      kernel_->SignalAll(SIGKILL);
      run_.join();
    }
    kernel_.reset();
  }

  ProcessArgs Ticker(const Ticks& out, const std::string& container) {
    ProcessArgs pa;
    pa.filename = "/bin/sh";
    pa.argv = {"sh", "-c", kTicker};
    pa.envv = {"PATH=/bin"};
    pa.creds = auth::Credentials::ForIds(0, 0, {});
    for (int r = 0; r < 16; ++r) {
      struct rlimit rl;
      if (getrlimit(r, &rl) == 0) pa.rlimits[r] = {rl.rlim_cur, rl.rlim_max};
    }
    pa.stdio = {-1, out.write_end(), -1};
    pa.container_id = container;
    return pa;
  }

  // Starts the sandbox's own ticker (init) and a ticker of container "app".
  void StartBoth() {
    auto init = kernel_->CreateInitProcess(Ticker(pod_, ""));
    ASSERT_TRUE(init.ok()) << init.status();
    run_ = std::thread([this] { kernel_->Run(); });
    auto app = kernel_->CreateProcess(Ticker(app_ticks_, "app"), [this](int wait_status) {
      absl::MutexLock l(&mu_);
      app_status_ = wait_status;
    });
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = *app;
    ASSERT_TRUE(pod_.Advances(absl::Seconds(10)));
    ASSERT_TRUE(app_ticks_.Advances(absl::Seconds(10)));
  }

  void SendToApp(int sig) {
    abi_linux::Siginfo info{};
    info.si_signo = sig;
    info.si_code = abi_linux::kSI_USER;
    app_->thread_group().SendSignal(info);
  }

  // The app's wait status once it has exited (-1 until then), waiting up to `d`.
  int AppStatus(absl::Duration d) {
    absl::MutexLock l(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(
                             +[](int* s) { return *s != -1; }, &app_status_),
                         d);
    return app_status_;
  }

  std::unique_ptr<Kernel> kernel_;
  std::shared_ptr<fsimpl::tmpfs::TmpfsFilesystem> fs_;
  std::thread run_;
  Ticks pod_;
  Ticks app_ticks_;
  Task* app_ = nullptr;
  absl::Mutex mu_;
  int app_status_ ABSL_GUARDED_BY(mu_) = -1;
};

TEST_F(FreezerTest, FreezesOnlyThatContainerUntilThawed) {
  StartBoth();
  kernel_->FreezeContainer("app");
  EXPECT_TRUE(kernel_->ContainerFrozen("app"));
  EXPECT_FALSE(kernel_->ContainerFrozen(""));
  EXPECT_FALSE(kernel_->paused());
  (void)app_ticks_.Count(absl::Milliseconds(500));  // a tick already in a write lands
  EXPECT_EQ(app_ticks_.Count(absl::Milliseconds(500)), 0u);
  EXPECT_TRUE(pod_.Advances(absl::Seconds(5))) << "the sandbox's own process stopped too";
  // The `sleep` children it forks are frozen with it: nothing moves.
  EXPECT_EQ(app_ticks_.Count(absl::Milliseconds(300)), 0u);
  kernel_->ThawContainer("app");
  EXPECT_FALSE(kernel_->ContainerFrozen("app"));
  EXPECT_TRUE(app_ticks_.Advances(absl::Seconds(5)));
  EXPECT_TRUE(pod_.Advances(absl::Seconds(5)));
}

TEST_F(FreezerTest, SignalsWaitForTheThawButSigkillDoesNot) {
  StartBoth();
  kernel_->FreezeContainer("app");
  (void)app_ticks_.Count(absl::Milliseconds(500));
  // SIGTERM, left at its default (terminate), stays pending while frozen.
  SendToApp(SIGTERM);
  EXPECT_EQ(AppStatus(absl::Milliseconds(500)), -1) << "a frozen process took a signal";
  kernel_->ThawContainer("app");
  EXPECT_EQ(AppStatus(absl::Seconds(5)), SIGTERM);
  // SIGKILL ends a frozen process at once (cgroup v2's freezer).
  auto again = kernel_->CreateProcess(Ticker(app_ticks_, "app"), [this](int wait_status) {
    absl::MutexLock l(&mu_);
    app_status_ = wait_status;
  });
  ASSERT_TRUE(again.ok());
  app_ = *again;
  {
    absl::MutexLock l(&mu_);
    app_status_ = -1;
  }
  ASSERT_TRUE(app_ticks_.Advances(absl::Seconds(10)));
  kernel_->FreezeContainer("app");
  SendToApp(SIGKILL);
  EXPECT_EQ(AppStatus(absl::Seconds(5)), SIGKILL);
  EXPECT_TRUE(kernel_->ContainerFrozen("app"));
  kernel_->ThawContainer("app");
}

TEST_F(FreezerTest, ProcessesStartedWhileFrozenStartFrozen) {
  StartBoth();
  kernel_->FreezeContainer("app");
  Ticks late;
  auto p = kernel_->CreateProcess(Ticker(late, "app"), nullptr);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE((*p)->thread_group().frozen.load());
  EXPECT_EQ(late.Count(absl::Milliseconds(500)), 0u);
  kernel_->ThawContainer("app");
  EXPECT_TRUE(late.Advances(absl::Seconds(5)));
}

TEST_F(FreezerTest, WholeKernelPauseStillStopsEveryone) {
  StartBoth();
  kernel_->Pause();
  (void)pod_.Count(absl::Milliseconds(500));
  (void)app_ticks_.Count(absl::Milliseconds(1));
  EXPECT_EQ(pod_.Count(absl::Milliseconds(400)) + app_ticks_.Count(absl::Milliseconds(100)), 0u);
  kernel_->Resume();
  EXPECT_TRUE(pod_.Advances(absl::Seconds(5)));
  EXPECT_TRUE(app_ticks_.Advances(absl::Seconds(5)));
}

}  // namespace
}  // namespace sentry::kernel
