// runsc do: run a command in a fresh sandbox, with the host's root file
// system as its root, the caller's stdio, environment and working
// directory, and exit with the command's status.
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "absl/strings/str_split.h"
#include "runsc/cli.h"
#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"
#include "sentry/strace/strace.h"
#include "sentry/syscalls/linux/linux64.h"
#include "util/logging.h"

extern char** environ;

namespace runsc {

namespace {

using sentry::kernel::Kernel;

// Finds `cmd` on PATH (from the guest's environment) as a shell would.
std::string ResolveCommand(const std::string& cmd, const std::vector<std::string>& env) {
  if (cmd.find('/') != std::string::npos) return cmd;
  std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  }
  for (absl::string_view dir : absl::StrSplit(path, ':')) {
    std::string candidate = std::string(dir.empty() ? "." : dir) + "/" + cmd;
    struct stat st;
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return cmd;
}

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
  auto parsed = ParseFlags(args, {{"cwd", true}, {"env", true}, {"root", true}});
  if (!parsed.ok() || parsed->positional.empty()) {
    std::fprintf(stderr, "runsc do: %s\nusage: runsc do [--cwd DIR] [--env K=V]... CMD [ARGS...]\n",
                 parsed.ok() ? "no command given" : std::string(parsed.status().message()).c_str());
    return 2;
  }
  if (!g.debug_log.empty() && !util::SetLogFile(g.debug_log)) {
    std::fprintf(stderr, "runsc do: cannot open debug log %s\n", g.debug_log.c_str());
    return 2;
  }
  util::SetDebugLogging(g.debug);
  if (parsed->Has("root")) {
    std::fprintf(stderr, "runsc do: --rootfs/--root of another directory needs the gofer\n");
    return 2;
  }

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
  pa.filename = ResolveCommand(pa.argv[0], pa.envv);
  char cwd[4096];
  pa.cwd = parsed->Get("cwd").value_or(getcwd(cwd, sizeof(cwd)) ? cwd : "/");
  struct stat st;
  if (pa.cwd.empty() || pa.cwd[0] != '/' || stat(pa.cwd.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    std::fprintf(stderr, "runsc do: working directory %s is not an absolute path to a directory\n",
                 pa.cwd.c_str());
    return 2;
  }
  // The host root is the guest's root, so the host's resolution of the
  // executable is the guest's /proc/self/exe.
  std::string host_path =
      pa.filename[0] == '/' ? pa.filename : pa.cwd + "/" + pa.filename;
  if (char* real = realpath(host_path.c_str(), nullptr)) {
    pa.exe_path = real;
    free(real);
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

  int status = k->Run();
  if (g.debug) {
    for (auto [nr, count] : k->UnimplementedCounts()) {
      SK_LOG(INFO) << "unimplemented syscall " << nr << " called " << count << " times";
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace runsc
