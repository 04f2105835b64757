#include "sentry/kernel/thread_group.h"

#include <algorithm>

#include "sentry/kernel/kernel.h"
#include "sentry/kernel/task.h"

namespace sentry::kernel {

namespace L = abi_linux;

DefaultAction DefaultActionFor(int sig) {
  switch (sig) {
    case L::kSIGCHLD:
    case L::kSIGURG:
    case L::kSIGWINCH:
      return DefaultAction::kIgnore;
    case L::kSIGSTOP:
    case L::kSIGTSTP:
    case L::kSIGTTIN:
    case L::kSIGTTOU:
      return DefaultAction::kStop;
    case L::kSIGCONT:
      return DefaultAction::kContinue;
    case L::kSIGQUIT:
    case L::kSIGILL:
    case L::kSIGTRAP:
    case L::kSIGABRT:
    case L::kSIGBUS:
    case L::kSIGFPE:
    case L::kSIGSEGV:
    case L::kSIGXCPU:
    case L::kSIGXFSZ:
    case L::kSIGSYS:
      return DefaultAction::kCore;
    default:
      return DefaultAction::kTerminate;
  }
}

void ThreadGroup::AddTask(Task* t) {
  absl::MutexLock l(&mu_);
  tasks_.push_back(t);
}

bool ThreadGroup::RemoveTask(Task* t) {
  absl::MutexLock l(&mu_);
  tasks_.erase(std::remove(tasks_.begin(), tasks_.end(), t), tasks_.end());
  // Under the same lock as the list, so SelfUsage counts it exactly once.
  exited_usage_ += t->Usage();
  return tasks_.empty();
}

TaskUsage ThreadGroup::SelfUsage() const {
  absl::MutexLock l(&mu_);
  TaskUsage u = exited_usage_;
  for (const Task* t : tasks_) u += t->Usage();
  return u;
}

std::vector<Task*> ThreadGroup::tasks() const {
  absl::MutexLock l(&mu_);
  return tasks_;
}

Task* ThreadGroup::leader() const {
  absl::MutexLock l(&mu_);
  for (Task* t : tasks_) {
    if (t->tid() == pid_) return t;
  }
  return tasks_.empty() ? nullptr : tasks_.front();
}

void ThreadGroup::BeginExit(int wait_status) {
  std::vector<Task*> tasks;
  {
    absl::MutexLock l(&mu_);
    if (exiting_) return;
    exiting_ = true;
    exit_status_ = wait_status;
    tasks = tasks_;
  }
  for (Task* t : tasks) t->Interrupt();
}

bool ThreadGroup::IsIgnored(int sig) const {
  L::SigAction act = sigaction(sig);
  if (act.handler == L::kSIG_IGN) return true;
  if (act.handler != L::kSIG_DFL) return false;
  // SIGCONT's default action (continuing) happens when it is sent.
  DefaultAction d = DefaultActionFor(sig);
  return d == DefaultAction::kIgnore || d == DefaultAction::kContinue;
}

namespace {
constexpr L::SigSet kStopSignals = L::SignalBit(L::kSIGSTOP) | L::SignalBit(L::kSIGTSTP) |
                                   L::SignalBit(L::kSIGTTIN) | L::SignalBit(L::kSIGTTOU);
}  // namespace

void ThreadGroup::PrepareSignal(int sig) {
  if (sig == L::kSIGCONT) {
    for (Task* t : tasks()) t->DiscardSignals(kStopSignals);
    bool continued = false;
    {
      absl::MutexLock l(&mu_);
      if (stopped_ && !exiting_) {
        stopped_ = false;
        stop_flag_.store(false);
        wait_stop_sig_ = 0;
        wait_continued_ = true;
        continued = true;
      }
    }
    if (continued) {
      NotifyParentJobControl(L::kCLD_CONTINUED, L::kSIGCONT);
      kernel_.WakeWaiters();
    }
  } else if (kStopSignals & L::SignalBit(sig)) {
    for (Task* t : tasks()) t->DiscardSignals(L::SignalBit(L::kSIGCONT));
  }
}

void ThreadGroup::Stop(int sig) {
  std::vector<Task*> ts;
  {
    absl::MutexLock l(&mu_);
    if (exiting_ || stopped_) return;
    stopped_ = true;
    stop_flag_.store(true);
    wait_stop_sig_ = sig;
    wait_continued_ = false;
    ts = tasks_;
  }
  for (Task* t : ts) t->Interrupt();
  NotifyParentJobControl(L::kCLD_STOPPED, sig);
  kernel_.WakeWaiters();
}

void ThreadGroup::WaitWhileStopped() {
  absl::MutexLock l(&mu_);
  mu_.Await(absl::Condition(
      +[](ThreadGroup* tg) ABSL_EXCLUSIVE_LOCKS_REQUIRED(tg->mu_) {
        return !tg->stopped_ || tg->exiting_;
      },
      this));
}

int ThreadGroup::TakeStopReport(bool consume) {
  absl::MutexLock l(&mu_);
  int sig = wait_stop_sig_;
  if (consume) wait_stop_sig_ = 0;
  return sig;
}

bool ThreadGroup::TakeContinueReport(bool consume) {
  absl::MutexLock l(&mu_);
  bool c = wait_continued_;
  if (consume) wait_continued_ = false;
  return c;
}

void ThreadGroup::NotifyParentJobControl(int code, int status) {
  ThreadGroup* p = parent();
  if (p == nullptr) return;
  if (p->sigaction(L::kSIGCHLD).flags & L::kSA_NOCLDSTOP) return;
  L::Siginfo info{};
  info.si_signo = L::kSIGCHLD;
  info.si_code = code;
  info.SetPid(pid_);
  info.SetUid(creds().ruid);
  info.SetStatus(status);
  p->SendSignal(info);
}

void ThreadGroup::SendSignal(const L::Siginfo& info) { (void)QueueSignal(info); }

util::ErrnoOrVoid ThreadGroup::QueueSignal(const L::Siginfo& info) {
  int sig = info.si_signo;
  if (sig == L::kSIGKILL) {
    BeginExit(sig);
    return {};
  }
  PrepareSignal(sig);
  std::vector<Task*> ts = tasks();
  if (ts.empty()) return {};
  // Prefer a thread that does not block the signal.
  Task* target = nullptr;
  for (Task* t : ts) {
    if (!(t->signal_mask() & L::SignalBit(sig))) {
      target = t;
      break;
    }
  }
  if (target == nullptr) {
    // Blocked everywhere: queued even if ignored, since the disposition may
    // change before it is unblocked.
    Task* l = leader();
    return l ? l->QueueSignal(sig, info) : util::ErrnoOrVoid{};
  }
  if (IsIgnored(sig)) return {};
  return target->QueueSignal(sig, info);
}

void ThreadGroup::DiscardPending(int sig) {
  for (Task* t : tasks()) t->ClearPendingSignal(sig);
}

}  // namespace sentry::kernel
