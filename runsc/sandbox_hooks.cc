#include "runsc/sandbox_hooks.h"

#include <fcntl.h>
#include <sys/wait.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sentry/fsimpl/pipe/pipe.h"
#include "sentry/kernel/task.h"
#include "sentry/kernel/thread_group.h"
#include "util/status_macros.h"

namespace runsc {

namespace {

namespace pipe = sentry::fsimpl::pipe;
using sentry::kernel::ProcessArgs;

// How much of a failed hook's output its error quotes.
constexpr size_t kOutputQuoted = 2048;
// How long a hook killed at its timeout may take to go.
constexpr absl::Duration kKillGrace = absl::Seconds(5);

// Set by the hook's exit callback (on the sentry's thread of its last task).
struct HookExit {
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  int wait_status ABSL_GUARDED_BY(mu) = 0;
};

// Reads what is buffered in the output pipe, keeping the first
// kOutputQuoted bytes.
void Drain(pipe::PipeEnd& out, std::string* kept) {
  char buf[4096];
  while (true) {
    auto n = out.pipe().ReadInternal(buf, sizeof(buf), /*nonblock=*/true);
    if (!n.ok() || *n == 0) return;
    if (kept->size() < kOutputQuoted) {
      kept->append(buf, std::min(*n, kOutputQuoted - kept->size()));
    }
  }
}

// ": OUTPUT" without its trailing blank lines, or nothing.
std::string Quote(const std::string& out) {
  size_t end = out.find_last_not_of(" \n");
  if (end == std::string::npos) return std::string();
  return absl::StrCat(": ", absl::string_view(out).substr(0, end + 1));
}

absl::Status RunGuestHook(sentry::kernel::Kernel& k, const OciHook& h, const std::string& state,
                          const std::string& kind, const ProcessArgs& container) {
  const std::string name = absl::StrCat(kind, " hook ", h.path);
  ProcessArgs pa;
  pa.filename = h.path;
  pa.argv = h.args.empty() ? std::vector<std::string>{h.path} : h.args;
  pa.envv = h.env;  // and cwd "/", ProcessArgs's own
  pa.creds = sentry::kernel::Credentials::ForIds(0, 0, {});
  pa.rlimits = container.rlimits;
  pa.umask = container.umask;
  pa.root = container.root;
  pa.container_id = container.container_id;
  pa.stdio = {-1, -1, -1};  // sentry pipes, installed below
  pa.start_later = true;

  // stdin: the state, then end of file.
  auto [in_r, in_w] = pipe::NewPipe(0);
  size_t capacity = pipe::kDefaultCapacity;
  while (capacity < state.size()) capacity *= 2;
  if (capacity != pipe::kDefaultCapacity) (void)in_w->pipe().SetCapacity(capacity);
  auto wrote = in_w->pipe().WriteInternal(state.data(), state.size(), /*nonblock=*/true);
  if (!wrote.ok() || *wrote != state.size()) {
    return absl::InternalError(name + ": the state does not fit its stdin pipe");
  }
  in_w.reset();
  // stdout and stderr: one pipe, read here.
  auto [out_r, out_w] = pipe::NewPipe(0);

  auto ended = std::make_shared<HookExit>();
  auto task = k.CreateProcess(pa, [ended](int wait_status) {
    absl::MutexLock l(&ended->mu);
    ended->done = true;
    ended->wait_status = wait_status;
  });
  if (!task.ok()) {
    return absl::Status(task.status().code(), name + ": " + std::string(task.status().message()));
  }
  sentry::kernel::Task* t = *task;
  (void)t->fds().InstallAt(0, std::move(in_r), false, 3);
  (void)t->fds().InstallAt(1, out_w, false, 3);
  (void)t->fds().InstallAt(2, std::move(out_w), false, 3);
  k.StartProcess(t);

  std::string output;
  const absl::Time deadline =
      h.timeout ? absl::Now() + absl::Seconds(*h.timeout) : absl::InfiniteFuture();
  bool timed_out = false;
  while (true) {
    Drain(*out_r, &output);
    {
      absl::MutexLock l(&ended->mu);
      ended->mu.AwaitWithTimeout(absl::Condition(&ended->done), absl::Milliseconds(10));
      if (ended->done) break;
    }
    const absl::Time now = absl::Now();
    if (!timed_out && now >= deadline) {
      timed_out = true;
      abi_linux::Siginfo info{};
      info.si_signo = abi_linux::kSIGKILL;
      info.si_code = abi_linux::kSI_USER;
      t->thread_group().SendSignal(info);
    } else if (timed_out && now >= deadline + kKillGrace) {
      break;
    }
  }
  Drain(*out_r, &output);
  if (timed_out) {
    return absl::DeadlineExceededError(
        absl::StrCat(name, " timed out after ", *h.timeout, "s", Quote(output)));
  }
  int ws;
  {
    absl::MutexLock l(&ended->mu);
    ws = ended->wait_status;
  }
  if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
    return absl::InternalError(absl::StrCat(name, " failed (status ",
                                            WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws),
                                            ")", Quote(output)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunGuestHooks(sentry::kernel::Kernel& k, const std::vector<OciHook>& hooks,
                           const std::string& state, const std::string& kind,
                           const ProcessArgs& container) {
  for (const OciHook& h : hooks) RETURN_IF_ERROR(RunGuestHook(k, h, state, kind, container));
  return absl::OkStatus();
}

}  // namespace runsc
