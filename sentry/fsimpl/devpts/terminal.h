// One pseudo-terminal pair and its line discipline, after Linux's n_tty:
// what the master writes is the terminal's input (translated by c_iflag,
// edited into lines under ICANON, echoed, turned into signals under ISIG)
// and is read by the replica; what the replica writes is its output
// (translated by c_oflag) and is read by the master. Both sides share one
// termios, as a Linux pty pair's ioctls on the master reach the replica's.
//
// The terminal knows nothing of processes: signals it raises (ISIG
// characters, window-size changes) go to `signal_group(pgid, sig)`, which
// the devpts glue routes to the kernel; the session and foreground group
// are kept here for it.
//
//   auto t = std::make_shared<Terminal>(0, [](int pgid, int sig) { ... });
//   t->MasterWrite("ls\r", 3, /*nonblock=*/false);
//   char buf[64];
//   ASSIGN_OR_RETURN_ERRNO(size_t n, t->ReplicaRead(buf, sizeof(buf), false));  // "ls\n"
//
// Lock order: mu_ is taken after every kernel lock and never held while
// calling out (signal_group runs with it released).
#ifndef SENTRY_FSIMPL_DEVPTS_TERMINAL_H_
#define SENTRY_FSIMPL_DEVPTS_TERMINAL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "abi/linux/termios.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/waiter.h"
#include "util/errno.h"

namespace sentry::fsimpl::devpts {

// Linux's N_TTY_BUF_SIZE: the line discipline's read buffer.
inline constexpr size_t kInputBufferSize = 4096;
// Input the master has written that the line discipline has not taken yet
// (Linux's flip buffers, TTYB_DEFAULT_MEM_LIMIT).
inline constexpr size_t kPendingInputLimit = 64 << 10;
// Output of the replica not yet read by the master.
inline constexpr size_t kOutputLimit = 64 << 10;

// The session a terminal controls, if any (sid 0: none). `leader` is an
// opaque token for the session leader (the kernel's ThreadGroup).
struct TtySession {
  int sid = 0;
  int fg_pgrp = 0;
  void* leader = nullptr;
};

class Terminal {
 public:
  using SignalGroupFn = std::function<void(int pgid, int sig)>;

  Terminal(uint32_t index, SignalGroupFn signal_group);
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  uint32_t index() const { return index_; }

  // ---- Data ----
  // Blocking unless `nonblock`: EAGAIN when it would block, EINTR when the
  // calling task must take a signal. Writes block until everything is
  // taken (a partial count if interrupted after some).
  util::ErrnoOr<size_t> MasterWrite(const char* buf, size_t n, bool nonblock);
  // EIO once every replica has been closed and the output is drained.
  util::ErrnoOr<size_t> MasterRead(char* buf, size_t n, bool nonblock);
  // 0 (end of file) after a hang-up, and for VEOF at the start of a line.
  util::ErrnoOr<size_t> ReplicaRead(char* buf, size_t n, bool nonblock);
  // EIO after a hang-up.
  util::ErrnoOr<size_t> ReplicaWrite(const char* buf, size_t n, bool nonblock);

  // poll(2) events of each side (POLLIN, POLLOUT, POLLHUP, POLLERR).
  uint32_t MasterReadiness();
  uint32_t ReplicaReadiness();
  vfs::WaitQueue* master_events() { return &master_events_; }
  vfs::WaitQueue* replica_events() { return &replica_events_; }

  // ---- Settings ----
  abi_linux::Termios termios();
  // TCSETS; `flush` (TCSETSF) discards pending input first.
  void SetTermios(const abi_linux::Termios& t, bool flush);
  abi_linux::Winsize winsize();
  // TIOCSWINSZ: SIGWINCH to the foreground group if the size changed.
  void SetWinsize(const abi_linux::Winsize& w);
  // TCFLSH: TCIFLUSH, TCOFLUSH or TCIOFLUSH (EINVAL otherwise).
  util::ErrnoOrVoid Flush(int queue);
  // TCXONC: TCOOFF/TCOON stop and restart the replica's output; TCIOFF/
  // TCION send VSTOP/VSTART to the master.
  util::ErrnoOrVoid FlowControl(int action);
  // FIONREAD on the replica (complete lines under ICANON) and on the
  // master (output not yet read); TIOCOUTQ likewise.
  size_t ReplicaInputQueued();
  size_t MasterInputQueued();
  size_t ReplicaOutputQueued();
  size_t MasterOutputQueued();
  // TIOCPKT / TIOCGPKT (master).
  void SetPacketMode(bool on);
  bool packet_mode();

  // ---- The pair ----
  // TIOCSPTLCK / TIOCGPTLCK.
  void set_locked(bool l);
  bool locked();
  // Opens a replica: EIO while locked or after the master has gone.
  util::ErrnoOrVoid OpenReplica();
  void CloseReplica();
  // The master's last close: a hang-up of the replicas. Answers the
  // session that lost its terminal (the leader gets SIGHUP from the glue).
  TtySession CloseMaster();
  bool hung_up();

  // ---- Session ----
  TtySession session();
  void set_session(TtySession s);
  // Sets the foreground group (TIOCSPGRP), checked by the caller.
  void set_fg_pgrp(int pgid);

 private:
  // Moves pending master input through the line discipline while there
  // is room; collects signals to raise.
  void ProcessInputLocked(std::vector<int>* signals) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes one input byte; false when the line discipline has no room.
  bool InputByteLocked(uint8_t c, std::vector<int>* signals) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Output processing (c_oflag) of one byte into out_.
  void OutputByteLocked(uint8_t c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Echo of one input byte (ECHOCTL's ^X for control characters).
  void EchoLocked(uint8_t c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Erases the last character of the line (VERASE), or the last word
  // (VWERASE), or the whole line (VKILL), echoing as ECHOE/ECHOK say.
  void EraseLocked(uint8_t c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends the canonical line: it becomes readable.
  void CommitLineLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FlushInputLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool CanonicalLocked() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return termios_.c_lflag & abi_linux::kICANON;
  }
  // Bytes a replica read may take now (0: none; lines under ICANON).
  bool ReplicaReadableLocked(size_t want) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  size_t TakeInputLocked(char* buf, size_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Raises the collected signals and announces readiness changes (with mu_
  // released).
  void Finish(const std::vector<int>& signals, int fg_pgrp);
  void NotifyAll();

  const uint32_t index_;
  const SignalGroupFn signal_group_;
  vfs::WaitQueue master_events_;
  vfs::WaitQueue replica_events_;

  absl::Mutex mu_;
  abi_linux::Termios termios_ ABSL_GUARDED_BY(mu_);
  abi_linux::Winsize winsize_ ABSL_GUARDED_BY(mu_){};
  // Master input not yet through the line discipline.
  std::string pending_ ABSL_GUARDED_BY(mu_);
  // Input the replica may read: in_ holds the bytes, in_head_ is the
  // stream offset of in_[0], and line_ends_ the stream offsets where
  // canonical lines end (a VEOF line end adds no byte).
  std::string in_ ABSL_GUARDED_BY(mu_);
  uint64_t in_head_ ABSL_GUARDED_BY(mu_) = 0;
  std::deque<uint64_t> line_ends_ ABSL_GUARDED_BY(mu_);
  // The canonical line being edited.
  std::string line_ ABSL_GUARDED_BY(mu_);
  bool lnext_ ABSL_GUARDED_BY(mu_) = false;  // the next byte is literal (VLNEXT)
  // Output for the master to read.
  std::string out_ ABSL_GUARDED_BY(mu_);
  int column_ ABSL_GUARDED_BY(mu_) = 0;
  bool out_stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool packet_ ABSL_GUARDED_BY(mu_) = false;
  uint8_t packet_status_ ABSL_GUARDED_BY(mu_) = 0;

  bool locked_ ABSL_GUARDED_BY(mu_) = true;
  bool master_open_ ABSL_GUARDED_BY(mu_) = true;
  int replicas_ ABSL_GUARDED_BY(mu_) = 0;
  // Every replica that was opened has been closed (Linux's
  // TTY_OTHER_CLOSED): the master reads EIO and polls POLLHUP.
  bool replica_closed_ ABSL_GUARDED_BY(mu_) = false;
  TtySession session_ ABSL_GUARDED_BY(mu_);
};

}  // namespace sentry::fsimpl::devpts

#endif  // SENTRY_FSIMPL_DEVPTS_TERMINAL_H_
