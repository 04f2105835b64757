// runsc do: run a command in a fresh sandbox, with the host's root file
// system (or --rootfs DIR) as its root, served by a gofer with a tmpfs
// overlay on top, the caller's stdio, environment and working directory,
// and exit with the command's status.
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "runsc/cli.h"
#include "runsc/sandbox_fs.h"
#include "runsc/sentry_hardening.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/strace/strace.h"
#include "sentry/syscalls/linux/linux64.h"
#include "util/logging.h"

extern char** environ;

namespace runsc {

namespace {

using sentry::kernel::Kernel;

void SetEnv(std::vector<std::string>& env, const std::string& kv) {
  std::string key = kv.substr(0, kv.find('='));
  for (auto& e : env) {
    if (e.substr(0, e.find('=')) == key) {
      e = kv;
      return;
    }
  }
  env.push_back(kv);
}

// Signals runsc forwards to the sandbox's first process.
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

}  // namespace

int CmdDo(const GlobalFlags& g, const std::vector<std::string>& args) {
  auto parsed =
      ParseFlags(args, {{"cwd", true}, {"env", true}, {"rootfs", true}, {"volume", true}});
  if (!parsed.ok() || parsed->positional.empty()) {
    std::fprintf(stderr,
                 "runsc do: %s\nusage: runsc do [--rootfs DIR] [--volume HOST:GUEST[:ro]]... [--cwd DIR] "
                 "[--env K=V]... CMD [ARGS...]\n",
                 parsed.ok() ? "no command given" : std::string(parsed.status().message()).c_str());
    return 2;
  }
  if (!g.debug_log.empty() && !util::SetLogFile(g.debug_log)) {
    std::fprintf(stderr, "runsc do: cannot open debug log %s\n", g.debug_log.c_str());
    return 2;
  }
  util::SetDebugLogging(g.debug);
  RootfsOptions rootfs;
  if (auto r = parsed->Get("rootfs")) {
    struct stat st;
    if (r->empty() || stat(r->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      std::fprintf(stderr, "runsc do: --rootfs %s is not a directory\n", r->c_str());
      return 2;
    }
    char* real = realpath(r->c_str(), nullptr);
    rootfs.root = real ? real : *r;
    free(real);
  }
  for (const std::string& v : parsed->GetAll("volume")) {
    auto b = ParseVolume(v);
    if (!b.ok()) {
      std::fprintf(stderr, "runsc do: %s\n", std::string(b.status().message()).c_str());
      return 2;
    }
    rootfs.binds.push_back(*std::move(b));
  }
  // The IPC namespace's POSIX queues at /dev/mqueue, as container runtimes
  // mount them.
  rootfs.synthetic.push_back(
      {"mqueue", "/dev/mqueue",
       sentry::vfs::kMountNoSuid | sentry::vfs::kMountNoDev | sentry::vfs::kMountNoExec});

  sentry::kernel::ProcessArgs pa;
  for (char** e = environ; *e; ++e) pa.envv.push_back(*e);
  for (const std::string& kv : parsed->GetAll("env")) {
    if (kv.find('=') == std::string::npos) {
      std::fprintf(stderr, "runsc do: --env wants KEY=VALUE, got \"%s\"\n", kv.c_str());
      return 2;
    }
    SetEnv(pa.envv, kv);
  }
  pa.argv = parsed->positional;
  // The command is found on the guest's PATH, in the guest's file system.
  pa.filename = pa.argv[0];
  // The working directory: the caller's when the host's root is served,
  // the root of another root file system otherwise.
  char cwd[4096];
  std::string default_cwd = rootfs.root == "/" && getcwd(cwd, sizeof(cwd)) ? cwd : "/";
  pa.cwd = parsed->Get("cwd").value_or(default_cwd);
  if (pa.cwd.empty() || pa.cwd[0] != '/') {
    std::fprintf(stderr, "runsc do: working directory %s is not an absolute path\n",
                 pa.cwd.c_str());
    return 2;
  }
  std::vector<gid_t> groups(getgroups(0, nullptr) > 0 ? getgroups(0, nullptr) : 0);
  if (!groups.empty() && getgroups(static_cast<int>(groups.size()), groups.data()) < 0) groups.clear();
  pa.creds = sentry::kernel::Credentials::ForIds(getuid(), getgid(),
                                                std::vector<uint32_t>(groups.begin(), groups.end()));
  for (int r = 0; r < 16; ++r) {
    struct rlimit rl;
    if (getrlimit(r, &rl) == 0) pa.rlimits[r] = {rl.rlim_cur, rl.rlim_max};
  }
  pa.umask = umask(022);
  umask(pa.umask);

  sentry::kernel::KernelConfig cfg;
  cfg.platform = g.platform;
  cfg.syscalls = &sentry::syscalls::Linux64();
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) cfg.hostname = host;
  if (g.strace) sentry::strace::Enable(cfg);

  // Forwarded signals are taken by one thread with sigwait; every other
  // thread (and so every task thread) has them blocked.
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int s : kForwarded) sigaddset(&forwarded, s);
  pthread_sigmask(SIG_BLOCK, &forwarded, nullptr);

  auto kernel = Kernel::Create(cfg);
  if (!kernel.ok()) {
    std::fprintf(stderr, "runsc do: cannot start the sandbox: %s\n",
                 std::string(kernel.status().message()).c_str());
    return 125;
  }
  auto fs = MountSandboxFilesystems(**kernel, std::move(rootfs));
  if (!fs.ok()) {
    std::fprintf(stderr, "runsc do: cannot set up the file systems: %s\n",
                 std::string(fs.status().message()).c_str());
    return 125;
  }
  auto init = (*kernel)->CreateInitProcess(pa);
  if (!init.ok()) {
    std::fprintf(stderr, "runsc do: %s\n", std::string(init.status().message()).c_str());
    return 127;
  }
  Kernel* k = kernel->get();
  std::thread([k, forwarded] {
    while (true) {
      int sig = 0;
      if (sigwait(&forwarded, &sig) == 0) k->SignalInit(sig);
    }
  }).detach();

  // Everything the sentry needs from the host is open now: from here on
  // it runs unprivileged, under its seccomp allowlist.
  if (absl::Status h = HardenSentry(); !h.ok()) {
    std::fprintf(stderr, "runsc do: cannot harden the sentry: %s\n",
                 std::string(h.message()).c_str());
    return 125;
  }
  int status = k->Run();
  if (g.debug) {
    for (auto [nr, count] : k->UnimplementedCounts()) {
      SK_LOG(INFO) << "unimplemented syscall " << nr << " called " << count << " times";
    }
  }
  // The kernel (and the inodes holding gofer handles) goes before the
  // gofers do.
  kernel->reset();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace runsc
