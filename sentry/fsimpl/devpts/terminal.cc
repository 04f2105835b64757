#include "sentry/fsimpl/devpts/terminal.h"

#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "abi/linux/signal.h"
#include "sentry/vfs/blocking.h"

namespace sentry::fsimpl::devpts {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

// A control character c_cc slot is disabled when it holds
// _POSIX_VDISABLE (0).
bool Is(uint8_t c, uint8_t cc) { return cc != 0 && c == cc; }

bool IsControl(uint8_t c) { return c < 0x20 || c == 0x7f; }

// Echo of output beyond the limit is dropped rather than blocking the
// writer of the input (Linux overwrites its echo buffer the same way).
constexpr size_t kEchoSlack = 4096;

}  // namespace

Terminal::Terminal(uint32_t index, SignalGroupFn signal_group)
    : index_(index), signal_group_(std::move(signal_group)), termios_(L::kTtyStdTermios) {}

// ---- Input: master → line discipline → replica ----

void Terminal::FlushInputLocked() {
  in_head_ += in_.size();
  in_.clear();
  line_ends_.clear();
  line_.clear();
  pending_.clear();
  lnext_ = false;
}

void Terminal::CommitLineLocked() {
  in_ += line_;
  line_.clear();
  line_ends_.push_back(in_head_ + in_.size());
}

void Terminal::EchoLocked(uint8_t c) {
  if (out_.size() >= kOutputLimit + kEchoSlack) return;
  if ((termios_.c_lflag & L::kECHOCTL) && IsControl(c) && c != '\t' && c != '\n') {
    OutputByteLocked('^');
    OutputByteLocked(c ^ 0100);
    return;
  }
  OutputByteLocked(c);
}

void Terminal::EraseLocked(uint8_t c) {
  const uint32_t lflag = termios_.c_lflag;
  const bool echo = lflag & L::kECHO;
  if (line_.empty()) return;
  const bool kill = Is(c, termios_.c_cc[L::kVKILL]);
  const bool word = !kill && Is(c, termios_.c_cc[L::kVWERASE]);
  if (kill && (!echo || !(lflag & L::kECHOK) || !(lflag & L::kECHOKE) || !(lflag & L::kECHOE))) {
    // Unless ECHOE, ECHOK and ECHOKE all hold, the kill character is
    // shown, then (ECHOK) a newline.
    line_.clear();
    if (echo) {
      EchoLocked(c);
      if (lflag & L::kECHOK) EchoLocked('\n');
    }
    return;
  }
  bool seen_word = false;
  while (!line_.empty()) {
    uint8_t last = static_cast<uint8_t>(line_.back());
    if (word) {
      if (std::isalnum(last) || last == '_') {
        seen_word = true;
      } else if (seen_word) {
        break;
      }
    }
    line_.pop_back();
    if (echo) {
      if (!kill && !word && !(lflag & L::kECHOE)) {
        EchoLocked(c);
      } else {
        // A control character shown as ^X takes two columns.
        int cols = ((lflag & L::kECHOCTL) && IsControl(last) && last != '\t') ? 2 : 1;
        for (int i = 0; i < cols; ++i) out_ += "\b \b";
        column_ = std::max(0, column_ - cols);
      }
    }
    if (!kill && !word) break;
  }
}

bool Terminal::InputByteLocked(uint8_t c, std::vector<int>* signals) {
  const uint32_t iflag = termios_.c_iflag, lflag = termios_.c_lflag;
  const uint8_t* cc = termios_.c_cc;
  const bool canon = lflag & L::kICANON;
  // Room: the read buffer holds kInputBufferSize - 1 bytes. A canonical
  // line with no complete line ahead of it keeps taking (and dropping)
  // characters so that its newline can still end it.
  const size_t used = in_.size() + line_.size();
  if (used >= kInputBufferSize - 1 && (!canon || !line_ends_.empty())) return false;

  if (iflag & L::kISTRIP) c &= 0x7f;
  if (lnext_) {
    lnext_ = false;
    if (lflag & L::kECHO) EchoLocked(c);
    if (canon) {
      if (used < kInputBufferSize - 1) line_.push_back(static_cast<char>(c));
    } else {
      in_.push_back(static_cast<char>(c));
    }
    return true;
  }
  if (iflag & L::kIXON) {
    if (Is(c, cc[L::kVSTOP])) {
      out_stopped_ = true;
      return true;
    }
    if (Is(c, cc[L::kVSTART])) {
      out_stopped_ = false;
      return true;
    }
    if ((iflag & L::kIXANY) && out_stopped_) out_stopped_ = false;
  }
  if (lflag & L::kISIG) {
    int sig = Is(c, cc[L::kVINTR])   ? L::kSIGINT
              : Is(c, cc[L::kVQUIT]) ? L::kSIGQUIT
              : Is(c, cc[L::kVSUSP]) ? L::kSIGTSTP
                                     : 0;
    if (sig != 0) {
      if (!(lflag & L::kNOFLSH)) {
        // The rest of this write is still processed (Linux flushes the
        // read buffer, not the input already on its way).
        in_head_ += in_.size();
        in_.clear();
        line_ends_.clear();
        line_.clear();
        // A pty's output flush leaves what the master has not read yet
        // (pty_flush_buffer only tells a packet-mode master).
        packet_status_ |= L::kTIOCPKT_FLUSHREAD | L::kTIOCPKT_FLUSHWRITE;
      }
      if (lflag & L::kECHO) EchoLocked(c);
      signals->push_back(sig);
      return true;
    }
  }
  if (c == '\r') {
    if (iflag & L::kIGNCR) return true;
    if (iflag & L::kICRNL) c = '\n';
  } else if (c == '\n' && (iflag & L::kINLCR)) {
    c = '\r';
  }
  if ((iflag & L::kIUCLC) && (lflag & L::kIEXTEN)) c = static_cast<uint8_t>(std::tolower(c));

  if (!canon) {
    in_.push_back(static_cast<char>(c));
    if (lflag & L::kECHO) EchoLocked(c);
    return true;
  }
  if (Is(c, cc[L::kVERASE]) || Is(c, cc[L::kVKILL]) ||
      ((lflag & L::kIEXTEN) && Is(c, cc[L::kVWERASE]))) {
    EraseLocked(c);
    return true;
  }
  if ((lflag & L::kIEXTEN) && Is(c, cc[L::kVLNEXT])) {
    lnext_ = true;
    if ((lflag & L::kECHO) && (lflag & L::kECHOCTL)) {
      OutputByteLocked('^');
      OutputByteLocked('\b');
    }
    return true;
  }
  if ((lflag & L::kIEXTEN) && Is(c, cc[L::kVREPRINT])) {
    if (lflag & L::kECHO) {
      EchoLocked(c);
      OutputByteLocked('\n');
      for (char ch : line_) EchoLocked(static_cast<uint8_t>(ch));
    }
    return true;
  }
  if (Is(c, cc[L::kVEOF])) {
    // Ends the line without a byte of its own; at a line's start, EOF.
    CommitLineLocked();
    return true;
  }
  bool eol = c == '\n' || Is(c, cc[L::kVEOL]) || ((lflag & L::kIEXTEN) && Is(c, cc[L::kVEOL2]));
  if (eol) {
    if ((lflag & L::kECHO) || (c == '\n' && (lflag & L::kECHONL))) EchoLocked(c);
    line_.push_back(static_cast<char>(c));
    CommitLineLocked();
    return true;
  }
  if (used >= kInputBufferSize - 1) return true;  // dropped: the line is full
  line_.push_back(static_cast<char>(c));
  if (lflag & L::kECHO) EchoLocked(c);
  return true;
}

void Terminal::ProcessInputLocked(std::vector<int>* signals) {
  size_t taken = 0;
  while (taken < pending_.size() &&
         InputByteLocked(static_cast<uint8_t>(pending_[taken]), signals)) {
    ++taken;
  }
  pending_.erase(0, taken);
}

ErrnoOr<size_t> Terminal::MasterWrite(const char* buf, size_t n, bool nonblock) {
  std::vector<int> signals;
  size_t done = 0;
  int err = 0;
  int fg;
  {
    absl::MutexLock l(&mu_);
    while (done < n) {
      err = vfs::WaitLocked(
          mu_, [&] { return pending_.size() < kPendingInputLimit; },
          nonblock ? absl::InfinitePast() : absl::InfiniteFuture());
      if (err != 0) break;
      size_t take = std::min(n - done, kPendingInputLimit - pending_.size());
      pending_.append(buf + done, take);
      done += take;
      ProcessInputLocked(&signals);
    }
    fg = session_.fg_pgrp;
  }
  Finish(signals, fg);
  if (done == 0 && err != 0) return Errno(err);
  return done;
}

bool Terminal::ReplicaReadableLocked(size_t want) const {
  if (CanonicalLocked()) return !line_ends_.empty();
  return in_.size() >= std::max<size_t>(want, 1);
}

size_t Terminal::TakeInputLocked(char* buf, size_t n) {
  size_t avail = in_.size();
  if (CanonicalLocked()) {
    if (line_ends_.empty()) return 0;
    avail = static_cast<size_t>(line_ends_.front() - in_head_);
  }
  size_t take = std::min(n, avail);
  std::copy(in_.begin(), in_.begin() + static_cast<ptrdiff_t>(take), buf);
  in_.erase(0, take);
  in_head_ += take;
  // Line ends now at or before the head are consumed; under ICANON one
  // line at most per read.
  if (CanonicalLocked()) {
    if (!line_ends_.empty() && line_ends_.front() <= in_head_) line_ends_.pop_front();
  } else {
    while (!line_ends_.empty() && line_ends_.front() <= in_head_) line_ends_.pop_front();
  }
  return take;
}

ErrnoOr<size_t> Terminal::ReplicaRead(char* buf, size_t n, bool nonblock) {
  std::vector<int> signals;
  size_t got = 0;
  int fg;
  {
    absl::MutexLock l(&mu_);
    if (!master_open_) return size_t{0};
    if (n == 0) return size_t{0};
    absl::Time deadline = nonblock ? absl::InfinitePast() : absl::InfiniteFuture();
    size_t want = 1;
    if (!CanonicalLocked()) {
      const uint8_t vmin = termios_.c_cc[L::kVMIN], vtime = termios_.c_cc[L::kVTIME];
      if (!nonblock) {
        if (vmin == 0) {
          // VMIN 0: a timed read (VTIME tenths of a second) or a poll.
          deadline =
              vtime == 0 ? absl::InfinitePast() : absl::Now() + absl::Milliseconds(100 * vtime);
        } else {
          want = std::min<size_t>(vmin, n);
        }
      }
    }
    auto ready = [&] { return !master_open_ || ReplicaReadableLocked(1); };
    int err = vfs::WaitLocked(mu_, ready, deadline);
    if (err == EAGAIN && !nonblock && !CanonicalLocked() && termios_.c_cc[L::kVMIN] == 0) {
      return size_t{0};  // VTIME ran out (or VMIN = VTIME = 0)
    }
    if (err != 0) return Errno(err);
    if (!master_open_) return size_t{0};
    if (want > 1) {
      // VMIN > 1: wait for the rest, with VTIME as the inter-byte timer.
      const uint8_t vtime = termios_.c_cc[L::kVTIME];
      while (in_.size() < want && master_open_) {
        size_t have = in_.size();
        absl::Time until =
            vtime == 0 ? absl::InfiniteFuture() : absl::Now() + absl::Milliseconds(100 * vtime);
        int e = vfs::WaitLocked(
            mu_, [&] { return !master_open_ || in_.size() != have || CanonicalLocked(); }, until);
        if (e != 0 || CanonicalLocked()) break;  // timer, signal: return what there is
      }
    }
    got = TakeInputLocked(buf, n);
    ProcessInputLocked(&signals);  // room was made
    fg = session_.fg_pgrp;
  }
  Finish(signals, fg);
  return got;
}

// ---- Output: replica → master ----

void Terminal::OutputByteLocked(uint8_t c) {
  const uint32_t oflag = termios_.c_oflag;
  if (!(oflag & L::kOPOST)) {
    out_.push_back(static_cast<char>(c));
    return;
  }
  if (oflag & L::kOLCUC) c = static_cast<uint8_t>(std::toupper(c));
  switch (c) {
    case '\n':
      if (oflag & L::kONLCR) {
        out_ += "\r\n";
        column_ = 0;
        return;
      }
      if (oflag & L::kONLRET) column_ = 0;
      break;
    case '\r':
      if ((oflag & L::kONOCR) && column_ == 0) return;
      if (oflag & L::kOCRNL) {
        c = '\n';
        if (oflag & L::kONLRET) column_ = 0;
      } else {
        column_ = 0;
      }
      break;
    case '\t': {
      int spaces = 8 - (column_ & 7);
      if ((oflag & L::kTABDLY) == L::kXTABS) {
        out_.append(static_cast<size_t>(spaces), ' ');
        column_ += spaces;
        return;
      }
      column_ += spaces;
      break;
    }
    case '\b':
      if (column_ > 0) --column_;
      break;
    default:
      if (!IsControl(c)) ++column_;
  }
  out_.push_back(static_cast<char>(c));
}

ErrnoOr<size_t> Terminal::ReplicaWrite(const char* buf, size_t n, bool nonblock) {
  size_t done = 0;
  {
    absl::MutexLock l(&mu_);
    if (!master_open_) return Errno(EIO);
    while (done < n) {
      int err = vfs::WaitLocked(
          mu_, [&] { return !master_open_ || (!out_stopped_ && out_.size() < kOutputLimit); },
          nonblock ? absl::InfinitePast() : absl::InfiniteFuture());
      if (err != 0 || !master_open_) {
        if (done > 0) break;
        return Errno(master_open_ ? err : EIO);
      }
      size_t take = std::min(n - done, kOutputLimit - out_.size());
      for (size_t i = 0; i < take; ++i) OutputByteLocked(static_cast<uint8_t>(buf[done + i]));
      done += take;
    }
  }
  NotifyAll();
  return done;
}

ErrnoOr<size_t> Terminal::MasterRead(char* buf, size_t n, bool nonblock) {
  std::vector<int> none;
  size_t got = 0;
  {
    absl::MutexLock l(&mu_);
    if (n == 0) return size_t{0};
    // (The master side is only closed under a reader in the console's
    // bridge, which then stops.)
    auto ready = [&] {
      return !out_.empty() || replica_closed_ || !master_open_ || (packet_ && packet_status_);
    };
    int err = vfs::WaitLocked(mu_, ready, nonblock ? absl::InfinitePast() : absl::InfiniteFuture());
    if (err != 0) return Errno(err);
    if (packet_ && packet_status_ != 0) {
      // TIOCPKT: a status byte on its own.
      buf[0] = static_cast<char>(packet_status_);
      packet_status_ = 0;
      return size_t{1};
    }
    if (out_.empty()) return Errno(EIO);  // every replica is closed
    size_t off = 0;
    if (packet_) {
      buf[0] = static_cast<char>(L::kTIOCPKT_DATA);
      off = 1;
    }
    size_t take = std::min(n - off, out_.size());
    std::copy(out_.begin(), out_.begin() + static_cast<ptrdiff_t>(take), buf + off);
    out_.erase(0, take);
    got = take + off;
  }
  NotifyAll();
  return got;
}

// ---- Readiness ----

uint32_t Terminal::MasterReadiness() {
  absl::MutexLock l(&mu_);
  uint32_t r = 0;
  if (!out_.empty() || (packet_ && packet_status_)) r |= POLLIN | POLLRDNORM;
  if (pending_.size() < kPendingInputLimit) r |= POLLOUT | POLLWRNORM;
  if (replica_closed_) r |= POLLHUP;
  return r;
}

uint32_t Terminal::ReplicaReadiness() {
  absl::MutexLock l(&mu_);
  if (!master_open_) return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
  uint32_t r = 0;
  size_t want = 1;
  const uint8_t vmin = termios_.c_cc[L::kVMIN], vtime = termios_.c_cc[L::kVTIME];
  if (!CanonicalLocked() && vtime == 0 && vmin > 1) want = vmin;
  if (ReplicaReadableLocked(want)) r |= POLLIN | POLLRDNORM;
  if (!out_stopped_ && out_.size() < kOutputLimit) r |= POLLOUT | POLLWRNORM;
  return r;
}

void Terminal::NotifyAll() {
  master_events_.Notify(POLLIN | POLLOUT | POLLHUP);
  replica_events_.Notify(POLLIN | POLLOUT | POLLHUP);
}

void Terminal::Finish(const std::vector<int>& signals, int fg_pgrp) {
  NotifyAll();
  if (fg_pgrp > 0 && signal_group_) {
    for (int sig : signals) signal_group_(fg_pgrp, sig);
  }
}

// ---- Settings ----

L::Termios Terminal::termios() {
  absl::MutexLock l(&mu_);
  return termios_;
}

void Terminal::SetTermios(const L::Termios& t, bool flush) {
  std::vector<int> signals;
  int fg;
  {
    absl::MutexLock l(&mu_);
    if (flush) FlushInputLocked();
    bool was_canon = CanonicalLocked();
    termios_ = t;
    bool canon = CanonicalLocked();
    if (was_canon && !canon) {
      // What was typed becomes readable as it is.
      in_ += line_;
      line_.clear();
    } else if (!was_canon && canon && !in_.empty()) {
      // Raw input already there is pushed as one line (Linux's "push").
      line_ends_.push_back(in_head_ + in_.size());
    }
    if (!(termios_.c_iflag & L::kIXON)) out_stopped_ = false;
    ProcessInputLocked(&signals);
    fg = session_.fg_pgrp;
  }
  Finish(signals, fg);
}

L::Winsize Terminal::winsize() {
  absl::MutexLock l(&mu_);
  return winsize_;
}

void Terminal::SetWinsize(const L::Winsize& w) {
  int fg = 0;
  bool changed;
  {
    absl::MutexLock l(&mu_);
    changed = std::memcmp(&w, &winsize_, sizeof(w)) != 0;
    winsize_ = w;
    fg = session_.fg_pgrp;
  }
  if (changed && fg > 0 && signal_group_) signal_group_(fg, L::kSIGWINCH);
}

ErrnoOrVoid Terminal::Flush(int queue) {
  {
    absl::MutexLock l(&mu_);
    switch (queue) {
      case L::kTCIFLUSH:
        FlushInputLocked();
        packet_status_ |= L::kTIOCPKT_FLUSHREAD;
        break;
      case L::kTCOFLUSH:
        out_.clear();
        packet_status_ |= L::kTIOCPKT_FLUSHWRITE;
        break;
      case L::kTCIOFLUSH:
        FlushInputLocked();
        out_.clear();
        packet_status_ |= L::kTIOCPKT_FLUSHREAD | L::kTIOCPKT_FLUSHWRITE;
        break;
      default:
        return Errno(EINVAL);
    }
  }
  NotifyAll();
  return {};
}

ErrnoOrVoid Terminal::FlowControl(int action) {
  {
    absl::MutexLock l(&mu_);
    switch (action) {
      case L::kTCOOFF:
        out_stopped_ = true;
        packet_status_ |= L::kTIOCPKT_STOP;
        break;
      case L::kTCOON:
        out_stopped_ = false;
        packet_status_ |= L::kTIOCPKT_START;
        break;
      case L::kTCIOFF:
        if (termios_.c_cc[L::kVSTOP] != 0)
          out_.push_back(static_cast<char>(termios_.c_cc[L::kVSTOP]));
        break;
      case L::kTCION:
        if (termios_.c_cc[L::kVSTART] != 0) {
          out_.push_back(static_cast<char>(termios_.c_cc[L::kVSTART]));
        }
        break;
      default:
        return Errno(EINVAL);
    }
  }
  NotifyAll();
  return {};
}

size_t Terminal::ReplicaInputQueued() {
  absl::MutexLock l(&mu_);
  if (!CanonicalLocked()) return in_.size();
  if (line_ends_.empty()) return 0;
  return static_cast<size_t>(line_ends_.back() - in_head_);
}

size_t Terminal::MasterInputQueued() {
  absl::MutexLock l(&mu_);
  return out_.size();
}

size_t Terminal::ReplicaOutputQueued() {
  absl::MutexLock l(&mu_);
  return out_.size();
}

size_t Terminal::MasterOutputQueued() {
  absl::MutexLock l(&mu_);
  return pending_.size();
}

void Terminal::SetPacketMode(bool on) {
  absl::MutexLock l(&mu_);
  packet_ = on;
  packet_status_ = 0;
}

bool Terminal::packet_mode() {
  absl::MutexLock l(&mu_);
  return packet_;
}

// ---- The pair ----

void Terminal::set_locked(bool on) {
  absl::MutexLock l(&mu_);
  locked_ = on;
}

bool Terminal::locked() {
  absl::MutexLock l(&mu_);
  return locked_;
}

ErrnoOrVoid Terminal::OpenReplica() {
  {
    absl::MutexLock l(&mu_);
    if (locked_ || !master_open_) return Errno(EIO);
    ++replicas_;
    replica_closed_ = false;
  }
  NotifyAll();
  return {};
}

void Terminal::CloseReplica() {
  {
    absl::MutexLock l(&mu_);
    if (--replicas_ == 0) replica_closed_ = true;
  }
  NotifyAll();
}

TtySession Terminal::CloseMaster() {
  TtySession lost;
  {
    absl::MutexLock l(&mu_);
    master_open_ = false;
    // A hang-up discards what was queued for the replicas.
    FlushInputLocked();
    lost = session_;
    session_ = TtySession{};
  }
  NotifyAll();
  return lost;
}

bool Terminal::hung_up() {
  absl::MutexLock l(&mu_);
  return !master_open_;
}

TtySession Terminal::session() {
  absl::MutexLock l(&mu_);
  return session_;
}

void Terminal::set_session(TtySession s) {
  absl::MutexLock l(&mu_);
  session_ = s;
}

void Terminal::set_fg_pgrp(int pgid) {
  absl::MutexLock l(&mu_);
  session_.fg_pgrp = pgid;
}

}  // namespace sentry::fsimpl::devpts
