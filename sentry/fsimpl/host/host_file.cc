#include "sentry/fsimpl/host/host_file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "abi/linux/termios.h"
#include "absl/strings/str_cat.h"

namespace sentry::fsimpl::host {

using util::Errno;
using util::ErrnoOr;

namespace {

// Pins each guest segment (the accessible prefix of the vector) for host I/O.
ErrnoOr<std::vector<mm::PinnedRanges>> PinAll(mm::MemoryManager& mm, const vfs::IoVec& segs,
                                              mm::AccessType at) {
  std::vector<mm::PinnedRanges> pins;
  for (const vfs::IoSeg& s : segs) {
    if (s.len == 0) continue;
    auto p = mm.Pin(s.addr, s.len, at);
    if (!p.ok()) {
      if (pins.empty()) return p.error();
      break;
    }
    bool short_pin = p->total() < s.len;
    pins.push_back(std::move(p).value());
    if (short_pin) break;
  }
  return pins;
}

std::vector<iovec> Flatten(const std::vector<mm::PinnedRanges>& pins) {
  std::vector<iovec> out;
  for (const auto& p : pins) out.insert(out.end(), p.iovecs().begin(), p.iovecs().end());
  return out;
}

// Host readv/writev accept at most IOV_MAX pieces per call.
template <typename Op>
ErrnoOr<size_t> Transfer(const std::vector<iovec>& iov, Op op) {
  size_t done = 0;
  for (size_t i = 0; i < iov.size(); i += IOV_MAX) {
    int cnt = static_cast<int>(std::min<size_t>(IOV_MAX, iov.size() - i));
    size_t want = 0;
    for (int j = 0; j < cnt; ++j) want += iov[i + j].iov_len;
    ssize_t n = op(&iov[i], cnt, done);
    if (n < 0) {
      if (done > 0) return done;
      return Errno(errno);
    }
    done += n;
    if (static_cast<size_t>(n) < want) break;
  }
  return done;
}

}  // namespace

HostFile::HostFile(util::UniqueFd fd, int flags) : vfs::FileDescription(flags), fd_(std::move(fd)) {
  int host_flags = fcntl(fd_.get(), F_GETFL);
  if (host_flags >= 0) flags_ = (flags_ & ~O_ACCMODE) | (host_flags & O_ACCMODE);
}

ErrnoOr<size_t> ReadToGuest(int fd, mm::MemoryManager& mm, const vfs::IoVec& dst,
                            int64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(auto pins, PinAll(mm, dst, mm::AccessType::kWrite));
  std::vector<iovec> iov = Flatten(pins);
  if (iov.empty()) {
    // Nothing to move, but the host still says whether the call is valid
    // (ESPIPE for a positioned read of a pipe).
    ssize_t n = offset < 0 ? read(fd, nullptr, 0) : pread(fd, nullptr, 0, offset);
    if (n < 0) return Errno(errno);
    return size_t{0};
  }
  return Transfer(iov, [&](const iovec* v, int cnt, size_t done) -> ssize_t {
    ssize_t n;
    do {
      n = offset < 0 ? readv(fd, v, cnt) : preadv(fd, v, cnt, offset + done);
    } while (n < 0 && errno == EINTR);
    return n;
  });
}

ErrnoOr<size_t> WriteFromGuest(int fd, mm::MemoryManager& mm, const vfs::IoVec& src,
                               int64_t offset) {
  ASSIGN_OR_RETURN_ERRNO(auto pins, PinAll(mm, src, mm::AccessType::kRead));
  std::vector<iovec> iov = Flatten(pins);
  if (iov.empty()) {
    ssize_t n = offset < 0 ? write(fd, nullptr, 0) : pwrite(fd, nullptr, 0, offset);
    if (n < 0) return Errno(errno);
    return size_t{0};
  }
  return Transfer(iov, [&](const iovec* v, int cnt, size_t done) -> ssize_t {
    ssize_t n;
    do {
      n = offset < 0 ? writev(fd, v, cnt) : pwritev(fd, v, cnt, offset + done);
    } while (n < 0 && errno == EINTR);
    return n;
  });
}

ErrnoOr<size_t> HostFile::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  return ReadToGuest(fd_.get(), mm, dst, offset);
}

ErrnoOr<size_t> HostFile::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) {
  return WriteFromGuest(fd_.get(), mm, src, offset);
}

ErrnoOr<size_t> HostFile::ReadInternal(void* buf, size_t n, int64_t offset) {
  ssize_t r;
  do {
    r = offset < 0 ? read(fd_.get(), buf, n) : pread(fd_.get(), buf, n, offset);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return Errno(errno);
  return static_cast<size_t>(r);
}

ErrnoOr<size_t> HostFile::WriteInternal(const void* buf, size_t n, int64_t offset) {
  ssize_t r;
  do {
    r = offset < 0 ? write(fd_.get(), buf, n) : pwrite(fd_.get(), buf, n, offset);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return Errno(errno);
  return static_cast<size_t>(r);
}

ErrnoOr<int64_t> HostFile::Seek(int64_t offset, int whence) {
  off_t r = lseek(fd_.get(), offset, whence);
  if (r < 0) return Errno(errno);
  return static_cast<int64_t>(r);
}

abi_linux::Stat StatFromHost(const struct stat& st) {
  abi_linux::Stat s{};
  s.st_dev = st.st_dev;
  s.st_ino = st.st_ino;
  s.st_nlink = st.st_nlink;
  s.st_mode = st.st_mode;
  s.st_uid = st.st_uid;
  s.st_gid = st.st_gid;
  s.st_rdev = st.st_rdev;
  s.st_size = st.st_size;
  s.st_blksize = st.st_blksize;
  s.st_blocks = st.st_blocks;
  s.st_atim = {st.st_atim.tv_sec, st.st_atim.tv_nsec};
  s.st_mtim = {st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
  s.st_ctim = {st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
  return s;
}

uint32_t HostFile::Readiness(uint32_t mask) {
  pollfd p{fd_.get(), static_cast<int16_t>(mask | POLLIN | POLLOUT), 0};
  if (poll(&p, 1, 0) < 0) return mask & (POLLIN | POLLOUT);
  // Errors and hang-ups are always reported.
  return static_cast<uint16_t>(p.revents) & (mask | POLLERR | POLLHUP | POLLNVAL);
}

util::ErrnoOrVoid HostFile::Truncate(uint64_t size) {
  if (ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) return Errno(errno);
  return {};
}

ErrnoOr<abi_linux::Stat> HostFile::Stat() {
  struct stat st;
  if (fstat(fd_.get(), &st) != 0) return Errno(errno);
  return StatFromHost(st);
}

ErrnoOr<uint64_t> HostFile::Ioctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  namespace L = abi_linux;
  mm::UserAddr addr(arg);
  switch (request) {
    case L::kTCGETS: {
      struct termios host;
      if (tcgetattr(fd_.get(), &host) != 0) return Errno(errno);
      L::Termios t{};
      t.c_iflag = host.c_iflag;
      t.c_oflag = host.c_oflag;
      t.c_cflag = host.c_cflag;
      t.c_lflag = host.c_lflag;
      t.c_line = host.c_line;
      static_assert(sizeof(t.c_cc) <= sizeof(host.c_cc));
      std::memcpy(t.c_cc, host.c_cc, sizeof(t.c_cc));
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, t));
      return uint64_t{0};
    }
    case L::kTCSETS:
    case L::kTCSETSW:
    case L::kTCSETSF: {
      L::Termios t;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &t));
      struct termios host;
      if (tcgetattr(fd_.get(), &host) != 0) return Errno(errno);
      host.c_iflag = t.c_iflag;
      host.c_oflag = t.c_oflag;
      host.c_cflag = t.c_cflag;
      host.c_lflag = t.c_lflag;
      host.c_line = t.c_line;
      std::memcpy(host.c_cc, t.c_cc, sizeof(t.c_cc));
      int when = request == L::kTCSETS ? TCSANOW : request == L::kTCSETSW ? TCSADRAIN : TCSAFLUSH;
      if (tcsetattr(fd_.get(), when, &host) != 0) return Errno(errno);
      return uint64_t{0};
    }
    case L::kTIOCGWINSZ: {
      struct winsize ws;
      if (ioctl(fd_.get(), TIOCGWINSZ, &ws) != 0) return Errno(errno);
      L::Winsize w{ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel};
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, w));
      return uint64_t{0};
    }
    case L::kTIOCSWINSZ: {
      L::Winsize w;
      RETURN_IF_ERRNO(mm.CopyInObj(addr, &w));
      struct winsize ws{w.ws_row, w.ws_col, w.ws_xpixel, w.ws_ypixel};
      if (ioctl(fd_.get(), TIOCSWINSZ, &ws) != 0) return Errno(errno);
      return uint64_t{0};
    }
    case L::kFIONREAD: {
      int n = 0;
      if (ioctl(fd_.get(), FIONREAD, &n) != 0) return Errno(errno);
      RETURN_IF_ERRNO(mm.CopyOutObj(addr, n));
      return uint64_t{0};
    }
    default:
      return Errno(ENOTTY);
  }
}

std::string HostFile::Name() const {
  char buf[4096];
  ssize_t n = readlink(absl::StrCat("/proc/self/fd/", fd_.get()).c_str(), buf, sizeof(buf));
  if (n > 0) return std::string(buf, static_cast<size_t>(n));
  // A hardened sentry reads no host path (its filter fails readlink): pipes
  // and sockets are named as Linux names them, from their inode.
  struct stat st;
  if (fstat(fd_.get(), &st) == 0) {
    if (S_ISFIFO(st.st_mode)) return absl::StrCat("pipe:[", st.st_ino, "]");
    if (S_ISSOCK(st.st_mode)) return absl::StrCat("socket:[", st.st_ino, "]");
  }
  return "host:[" + std::to_string(fd_.get()) + "]";
}

}  // namespace sentry::fsimpl::host
