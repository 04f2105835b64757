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
  return tasks_.empty();
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
  return act.handler == L::kSIG_IGN ||
         (act.handler == L::kSIG_DFL && DefaultActionFor(sig) == DefaultAction::kIgnore);
}

void ThreadGroup::SendSignal(const L::Siginfo& info) {
  int sig = info.si_signo;
  if (sig == L::kSIGKILL) {
    BeginExit(sig);
    return;
  }
  std::vector<Task*> ts = tasks();
  if (ts.empty()) return;
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
    leader()->AddPendingSignal(sig, info);
    return;
  }
  if (IsIgnored(sig)) return;
  target->AddPendingSignal(sig, info);
}

void ThreadGroup::DiscardPending(int sig) {
  for (Task* t : tasks()) t->ClearPendingSignal(sig);
}

}  // namespace sentry::kernel
