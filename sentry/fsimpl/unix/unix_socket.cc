#include "sentry/fsimpl/unix/unix_socket.h"
#include "sentry/fsimpl/inet/netdevice.h"
#include "sentry/vfs/blocking.h"
#include "sentry/vfs/iovec.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <map>

#include "abi/linux/termios.h"
#include "absl/base/const_init.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace sentry::fsimpl::unix_socket {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;
namespace L = abi_linux;

namespace {

// The one lock of every unix socket and the name maps (see the header).
ABSL_CONST_INIT absl::Mutex g_mu(absl::kConstInit);

// How often a blocked operation looks for a signal to take.
constexpr absl::Duration kTick = absl::Milliseconds(10);
// A datagram receive queue holds at most this many messages.
constexpr size_t kMaxDgramQueue = 512;

std::atomic<uint64_t> next_ino{1};

struct PathEntry {
  std::shared_ptr<vfs::Inode> inode;  // keeps the key's address from being reused
  std::weak_ptr<UnixSocket> socket;
};

// Guarded by g_mu.
std::map<vfs::Inode*, PathEntry>& PathNames() {
  static auto* m = new std::map<vfs::Inode*, PathEntry>;
  return *m;
}
std::map<std::string, std::weak_ptr<UnixSocket>>& AbstractNames() {
  static auto* m = new std::map<std::string, std::weak_ptr<UnixSocket>>;
  return *m;
}

using vfs::IoCursor;

size_t Total(const vfs::IoVec& v) { return vfs::IoVecTotal(v); }

// Waits, with g_mu held, until `ready` (see vfs/blocking.h).
int WaitLocked(std::function<bool()> ready, absl::Time deadline)
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(g_mu) {
  return vfs::WaitLocked(g_mu, std::move(ready), deadline, kTick);
}

using vfs::Deadline;

}  // namespace

// Holds g_mu. Sockets reached through weak references are kept alive until
// the lock is released, so no socket's destructor (which takes the lock)
// runs under it; readiness notifications are sent after the release too.
class Locked {
 public:
  Locked() { g_mu.Lock(); }
  ~Locked() {
    g_mu.Unlock();
    for (auto& [s, events] : wake_) s->queue_.Notify(events);
  }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;

  UnixSocket* Keep(std::shared_ptr<UnixSocket> s) {
    if (s) keep_.push_back(s);
    return s.get();
  }
  UnixSocket* Peer(UnixSocket& s) { return Keep(s.peer_.lock()); }
  void Wake(UnixSocket* s, uint32_t events) {
    if (s) wake_.emplace_back(s, events);
  }

 private:
  // Declared first: destroyed last, after wake_ has been used.
  std::vector<std::shared_ptr<UnixSocket>> keep_;
  std::vector<std::pair<UnixSocket*, uint32_t>> wake_;
};

UnixSocket::UnixSocket(int type, int flags)
    : vfs::FileDescription(O_RDWR | (flags & O_NONBLOCK)),
      type_(type),
      ino_(next_ino.fetch_add(1)) {}

UnixSocket::~UnixSocket() {
  Locked l;
  if (registered_) {
    if (bound_inode_) {
      auto it = PathNames().find(bound_inode_.get());
      if (it != PathNames().end() && it->second.socket.expired()) PathNames().erase(it);
    } else {
      auto it = AbstractNames().find(name_);
      if (it != AbstractNames().end() && it->second.expired()) AbstractNames().erase(it);
    }
  }
  if (connection_oriented()) {
    if (UnixSocket* peer = l.Peer(*this)) {
      peer->shutdown_ = kRcvShutdown | kSendShutdown;
      // Unread data resets the peer (ECONNRESET once), as Linux does.
      if (!rx_.empty()) peer->error_ = ECONNRESET;
      l.Wake(peer, 0);
    }
  }
  // rx_ (with any files passed) and accept_queue_ are destroyed after the
  // lock is released.
}

std::shared_ptr<UnixSocket> UnixSocket::New(int type, int flags) {
  return std::make_shared<UnixSocket>(type, flags);
}

std::pair<std::shared_ptr<UnixSocket>, std::shared_ptr<UnixSocket>> UnixSocket::NewPair(
    int type, int flags, const L::Ucred& creds) {
  auto a = New(type, flags);
  auto b = New(type, flags);
  Locked l;
  a->peer_ = b;
  b->peer_ = a;
  a->state_ = b->state_ = State::kConnected;
  a->peer_cred_ = b->peer_cred_ = creds;
  return {a, b};
}

ErrnoOrVoid UnixSocket::BindPath(std::shared_ptr<vfs::Inode> inode, std::string name) {
  Locked l;
  if (!name_.empty() || registered_) return Errno(EINVAL);
  PathEntry& e = PathNames()[inode.get()];
  if (!e.socket.expired()) return Errno(EADDRINUSE);
  e.inode = inode;
  e.socket = weak_from_this();
  bound_inode_ = std::move(inode);
  name_ = std::move(name);
  registered_ = true;
  return {};
}

ErrnoOrVoid UnixSocket::BindAbstract(std::string name) {
  Locked l;
  if (!name_.empty() || registered_) return Errno(EINVAL);
  auto& e = AbstractNames()[name];
  if (!e.expired()) return Errno(EADDRINUSE);
  e = weak_from_this();
  name_ = std::move(name);
  registered_ = true;
  return {};
}

ErrnoOrVoid UnixSocket::Autobind() {
  static std::atomic<uint32_t> next{0};
  for (int tries = 0; tries < 0xfffff; ++tries) {
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%05x", next.fetch_add(1) & 0xfffff);
    ErrnoOrVoid r = BindAbstract(std::string(1, '\0') + buf);
    if (r.ok() || r.error() != Errno(EADDRINUSE)) return r;
  }
  return Errno(ENOSPC);
}

bool UnixSocket::bound() {
  Locked l;
  return registered_;
}

std::shared_ptr<UnixSocket> UnixSocket::FindPath(vfs::Inode* inode) {
  absl::MutexLock l(&g_mu);
  auto it = PathNames().find(inode);
  if (it == PathNames().end()) return nullptr;
  // Returned to the caller: the last reference is dropped outside the lock
  // unless the socket is dying, in which case lock() gives nullptr.
  return it->second.socket.lock();
}

std::shared_ptr<UnixSocket> UnixSocket::FindAbstract(const std::string& name) {
  absl::MutexLock l(&g_mu);
  auto it = AbstractNames().find(name);
  if (it == AbstractNames().end()) return nullptr;
  return it->second.lock();
}

ErrnoOrVoid UnixSocket::Listen(int backlog, const L::Ucred& creds) {
  Locked l;
  if (!connection_oriented()) return Errno(EOPNOTSUPP);
  if (state_ == State::kConnected) return Errno(EINVAL);
  if (!registered_) return Errno(EINVAL);
  backlog_ = backlog;
  listen_cred_ = creds;
  if (state_ != State::kListening) {
    state_ = State::kListening;
    l.Wake(this, 0);
  }
  return {};
}

ErrnoOrVoid UnixSocket::Connect(UnixSocket& server, const L::Ucred& creds) {
  Locked l;
  if (server.type_ != type_) return Errno(EPROTOTYPE);
  if (!connection_oriented()) {
    // A datagram socket's default destination (and only source).
    auto p = server.peer_.lock();
    l.Keep(p);
    if (p && p.get() != this) return Errno(EPERM);
    peer_ = server.weak_from_this();
    state_ = State::kConnected;
    l.Wake(this, 0);
    return {};
  }
  if (state_ == State::kConnected) return Errno(EISCONN);
  if (state_ == State::kListening) return Errno(EINVAL);
  if (server.state_ != State::kListening) return Errno(ECONNREFUSED);
  int err = WaitLocked(
      [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
        return server.state_ != State::kListening ||
               server.accept_queue_.size() <= static_cast<size_t>(server.backlog_);
      },
      Deadline(flags_ & O_NONBLOCK, options_.sndtimeo));
  if (err != 0) return Errno(err);
  if (server.state_ != State::kListening) return Errno(ECONNREFUSED);
  if (state_ != State::kUnconnected) return Errno(EISCONN);
  // The server's end, waiting in the accept queue.
  auto end = std::make_shared<UnixSocket>(type_, 0);
  end->state_ = State::kConnected;
  end->name_ = server.name_;
  end->peer_ = weak_from_this();
  end->peer_cred_ = creds;
  end->options_.passcred = server.options_.passcred;
  peer_ = end;
  peer_cred_ = server.listen_cred_;
  state_ = State::kConnected;
  server.accept_queue_.push_back(std::move(end));
  l.Wake(&server, POLLIN | POLLRDNORM);
  l.Wake(this, 0);
  return {};
}

ErrnoOr<std::shared_ptr<UnixSocket>> UnixSocket::Accept(int flags) {
  std::shared_ptr<UnixSocket> s;
  {
    Locked l;
    if (!connection_oriented()) return Errno(EOPNOTSUPP);
    if (state_ != State::kListening) return Errno(EINVAL);
    int err = WaitLocked(
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return !accept_queue_.empty() || state_ != State::kListening;
        },
        Deadline(flags_ & O_NONBLOCK, options_.rcvtimeo));
    if (err != 0) return Errno(err);
    if (accept_queue_.empty()) return Errno(EINVAL);
    s = std::move(accept_queue_.front());
    accept_queue_.pop_front();
    s->flags_ = O_RDWR | (flags & O_NONBLOCK);
    l.Wake(l.Peer(*s), POLLOUT | POLLWRNORM);
  }
  return s;
}

ErrnoOrVoid UnixSocket::Shutdown(int how) {
  Locked l;
  int mode = how + 1;  // SHUT_RD -> RCV, SHUT_WR -> SEND, SHUT_RDWR -> both
  shutdown_ |= mode;
  l.Wake(this, 0);
  if (connection_oriented()) {
    if (UnixSocket* peer = l.Peer(*this)) {
      int mirrored = ((mode & kRcvShutdown) ? kSendShutdown : 0) |
                     ((mode & kSendShutdown) ? kRcvShutdown : 0);
      peer->shutdown_ |= mirrored;
      l.Wake(peer, 0);
    }
  }
  return {};
}

std::string UnixSocket::LocalName() {
  Locked l;
  return name_;
}

ErrnoOr<std::string> UnixSocket::PeerName() {
  Locked l;
  if (state_ != State::kConnected) return Errno(ENOTCONN);
  UnixSocket* peer = l.Peer(*this);
  if (peer == nullptr) return Errno(ENOTCONN);
  return peer->name_;
}

bool UnixSocket::HasRoomLocked(size_t n) const {
  if (!connection_oriented()) {
    if (rx_.empty()) return true;
    return rx_.size() < kMaxDgramQueue && rx_bytes_ + n <= static_cast<size_t>(options_.rcvbuf);
  }
  if (type_ == L::kSOCK_SEQPACKET && rx_.empty()) return true;
  return rx_bytes_ + n <= static_cast<size_t>(options_.rcvbuf);
}

ErrnoOr<size_t> UnixSocket::Send(mm::MemoryManager& mm, const vfs::IoVec& src, SendOptions opts) {
  // The data is gathered first: the guest's memory is read outside the lock.
  size_t total = Total(src);
  std::string data(total, '\0');
  if (total > 0) {
    IoCursor cur(mm, src);
    ASSIGN_OR_RETURN_ERRNO(size_t n, cur.In(data.data(), total));
    if (n < total) return Errno(EFAULT);
  }
  Locked l;
  if (shutdown_ & kSendShutdown) return Errno(EPIPE);
  absl::Time deadline = Deadline(opts.nonblock, options_.sndtimeo);

  if (!connection_oriented()) {
    UnixSocket* target = opts.to;
    if (target == nullptr) {
      target = l.Peer(*this);
      if (target == nullptr) {
        return Errno(state_ == State::kConnected ? ECONNREFUSED : ENOTCONN);
      }
    } else {
      if (target->type_ != type_) return Errno(EPROTOTYPE);
      auto tp = target->peer_.lock();
      l.Keep(tp);
      if (tp && tp.get() != this) return Errno(EPERM);
    }
    if (total > static_cast<size_t>(options_.sndbuf)) return Errno(EMSGSIZE);
    int err = WaitLocked(
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return (target->shutdown_ & kRcvShutdown) || target->HasRoomLocked(total);
        },
        deadline);
    if (err != 0) return Errno(err);
    if (target->shutdown_ & kRcvShutdown) return Errno(EPIPE);
    target->rx_bytes_ += total;
    target->rx_.push_back(Message{std::move(data), std::move(opts.control), name_});
    l.Wake(target, POLLIN | POLLRDNORM);
    return total;
  }

  if (state_ != State::kConnected) return Errno(ENOTCONN);
  UnixSocket* peer = l.Peer(*this);
  if (peer == nullptr || (peer->shutdown_ & kRcvShutdown)) return Errno(EPIPE);

  if (type_ == L::kSOCK_SEQPACKET) {
    if (total > static_cast<size_t>(options_.sndbuf)) return Errno(EMSGSIZE);
    int err = WaitLocked(
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return (shutdown_ & kSendShutdown) || (peer->shutdown_ & kRcvShutdown) ||
                 peer->HasRoomLocked(total);
        },
        deadline);
    if (err != 0) return Errno(err);
    if ((shutdown_ & kSendShutdown) || (peer->shutdown_ & kRcvShutdown)) return Errno(EPIPE);
    peer->rx_bytes_ += total;
    peer->rx_.push_back(Message{std::move(data), std::move(opts.control), name_});
    l.Wake(peer, POLLIN | POLLRDNORM);
    return total;
  }

  // Stream: as much as fits, then (blocking) wait for room for the rest.
  if (total == 0) return size_t{0};
  size_t done = 0;
  while (done < total) {
    int err = WaitLocked(
        [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
          return (shutdown_ & kSendShutdown) || (peer->shutdown_ & kRcvShutdown) ||
                 peer->rx_bytes_ < static_cast<size_t>(peer->options_.rcvbuf);
        },
        deadline);
    if (err != 0) return done ? ErrnoOr<size_t>(done) : Errno(err);
    if ((shutdown_ & kSendShutdown) || (peer->shutdown_ & kRcvShutdown)) {
      return done ? ErrnoOr<size_t>(done) : Errno(EPIPE);
    }
    size_t room = static_cast<size_t>(peer->options_.rcvbuf) - peer->rx_bytes_;
    size_t n = std::min(room, total - done);
    Message m{data.substr(done, n), {}, name_};
    if (done == 0) m.control = std::move(opts.control);
    peer->rx_bytes_ += n;
    peer->rx_.push_back(std::move(m));
    done += n;
    l.Wake(peer, POLLIN | POLLRDNORM);
  }
  return done;
}

namespace {

Control CopyControl(const Control& c) { return c; }

}  // namespace

ErrnoOr<RecvResult> UnixSocket::Recv(mm::MemoryManager& mm, const vfs::IoVec& dst, int flags,
                                     bool nonblock) {
  RecvResult res;
  Locked l;
  if (type_ == L::kSOCK_STREAM && state_ != State::kConnected) return Errno(EINVAL);
  if (type_ == L::kSOCK_SEQPACKET && state_ != State::kConnected) return Errno(ENOTCONN);
  const bool peek = flags & L::kMSG_PEEK;
  absl::Time deadline = Deadline(nonblock, options_.rcvtimeo);
  auto ready = [&]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return !rx_.empty() || (shutdown_ & kRcvShutdown) || error_ != 0;
  };
  int err = WaitLocked(ready, deadline);
  if (err != 0) return Errno(err);
  if (rx_.empty()) {
    if (error_ != 0) {
      int e = error_;
      error_ = 0;
      return Errno(e);
    }
    return res;  // EOF
  }
  size_t want = Total(dst);
  IoCursor cur(mm, dst);
  UnixSocket* peer = l.Peer(*this);

  if (type_ != L::kSOCK_STREAM) {
    Message& m = rx_.front();
    size_t n = std::min(want, m.data.size());
    if (n > 0) {
      ASSIGN_OR_RETURN_ERRNO(size_t k, cur.Out(m.data.data(), n));
      n = k;
    }
    res.copied = n;
    res.length = m.data.size();
    if (res.length > want) res.msg_flags |= L::kMSG_TRUNC;
    res.from = m.from;
    if (peek) {
      res.control = CopyControl(m.control);
    } else {
      res.control = std::move(m.control);
      rx_bytes_ -= m.data.size();
      rx_.pop_front();
      l.Wake(peer, POLLOUT | POLLWRNORM);
      l.Wake(this, POLLOUT | POLLWRNORM);
    }
    return res;
  }

  // Stream: bytes from consecutive messages, never joining data across
  // passed files; with MSG_WAITALL until the buffer is full.
  const bool waitall = (flags & L::kMSG_WAITALL) && !peek && !nonblock;
  size_t done = 0;
  bool first = true;
  for (;;) {
    size_t peek_index = 0, peek_off = 0;
    while (done < want) {
      Message* m;
      size_t off;
      if (peek) {
        if (peek_index >= rx_.size()) break;
        m = &rx_[peek_index];
        off = peek_off;
      } else {
        if (rx_.empty()) break;
        m = &rx_.front();
        off = 0;
      }
      bool has_rights = !m->control.rights.empty();
      if (has_rights && !first) break;
      if (first) {
        res.from = m->from;
        res.control = peek ? CopyControl(m->control) : std::move(m->control);
        if (!peek) m->control = Control{};
        first = false;
      }
      size_t n = std::min(want - done, m->data.size() - off);
      ErrnoOr<size_t> k = cur.Out(m->data.data() + off, n);
      if (!k.ok()) {
        if (done == 0) return k.error();
        res.copied = done;
        return res;
      }
      done += *k;
      if (peek) {
        peek_off += *k;
        if (peek_off == m->data.size()) {
          ++peek_index;
          peek_off = 0;
        }
      } else {
        m->data.erase(0, *k);
        rx_bytes_ -= *k;
        if (m->data.empty()) rx_.pop_front();
        l.Wake(peer, POLLOUT | POLLWRNORM);
      }
      if (*k < n) break;
      if (has_rights) break;
    }
    if (!waitall || done >= want) break;
    err = WaitLocked(ready, deadline);
    if (err != 0 || rx_.empty()) break;
  }
  res.copied = done;
  res.length = done;
  return res;
}

UnixSocket::Options UnixSocket::options() {
  Locked l;
  return options_;
}

void UnixSocket::set_options(const Options& o) {
  Locked l;
  options_ = o;
  l.Wake(this, 0);
}

bool UnixSocket::listening() {
  Locked l;
  return state_ == State::kListening;
}

L::Ucred UnixSocket::PeerCred() {
  Locked l;
  return peer_cred_;
}

int UnixSocket::TakeError() {
  Locked l;
  int e = error_;
  error_ = 0;
  return e;
}

size_t UnixSocket::Pending() {
  Locked l;
  if (state_ == State::kListening) return 0;
  if (type_ == L::kSOCK_STREAM) return rx_bytes_;
  return rx_.empty() ? 0 : rx_.front().data.size();
}

ErrnoOr<size_t> UnixSocket::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  ASSIGN_OR_RETURN_ERRNO(RecvResult r, Recv(mm, dst, 0, flags_ & O_NONBLOCK));
  return r.copied;
}

ErrnoOr<size_t> UnixSocket::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  if (offset >= 0) return Errno(ESPIPE);
  SendOptions o;
  o.nonblock = flags_ & O_NONBLOCK;
  return Send(mm, src, std::move(o));
}

ErrnoOr<L::Stat> UnixSocket::Stat() {
  L::Stat st{};
  st.st_dev = 0x8;  // sockfs
  st.st_ino = ino_;
  st.st_nlink = 1;
  st.st_mode = S_IFSOCK | 0777;
  st.st_blksize = 4096;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  st.st_atim = st.st_mtim = st.st_ctim = {now.tv_sec, now.tv_nsec};
  return st;
}

ErrnoOr<uint64_t> UnixSocket::Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  if (request == L::kSIOCINQ || request == L::kSIOCOUTQ) {
    int n = request == L::kSIOCINQ ? static_cast<int>(Pending()) : 0;
    RETURN_IF_ERRNO(mm.CopyOutObj(mm::UserAddr(arg), n));
    return uint64_t{0};
  }
  // Interface requests work on any socket (if_nametoindex(3) uses AF_UNIX).
  return inet::NetDeviceIoctl(mm, request, arg);
}

uint32_t UnixSocket::Readiness(uint32_t mask) {
  Locked l;
  uint32_t r = 0;
  if (error_ != 0) r |= POLLERR;
  if (shutdown_ == (kRcvShutdown | kSendShutdown)) r |= POLLHUP;
  if (shutdown_ & kRcvShutdown) r |= POLLRDHUP | POLLIN | POLLRDNORM;
  if (!rx_.empty() || !accept_queue_.empty()) r |= POLLIN | POLLRDNORM;
  if (connection_oriented() && state_ == State::kUnconnected) r |= POLLHUP;
  if (state_ != State::kListening) {
    bool writable = true;
    if (UnixSocket* peer = l.Peer(*this)) {
      writable = type_ == L::kSOCK_STREAM
                     ? peer->rx_bytes_ < static_cast<size_t>(peer->options_.rcvbuf)
                     : peer->HasRoomLocked(0);
    }
    if (writable) r |= POLLOUT | POLLWRNORM;
  }
  return r & (mask | POLLHUP | POLLERR);
}

std::string UnixSocket::Name() const { return absl::StrCat("socket:[", ino_, "]"); }

}  // namespace sentry::fsimpl::unix_socket
