// The container console: a sentry pty whose master is bridged to a host
// tty (see NewConsole in devpts.h).
#include "sentry/kernel/console.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "sentry/fsimpl/devpts/devpts.h"
#include "util/unique_fd.h"

namespace sentry::fsimpl::devpts {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;

namespace {

// How often the bridge re-reads the host tty's window size.
constexpr int kWinsizePollMs = 200;

// Who opens the console's replica: the sandbox itself, from its root.
class ConsoleContext : public vfs::Context {
 public:
  explicit ConsoleContext(vfs::Path root) : root_(std::move(root)) {}
  auth::Credentials creds() const override { return auth::Credentials::ForIds(0, 0, {}); }
  vfs::Path root() const override { return root_; }
  vfs::Path cwd() const override { return root_; }
  uint32_t umask() const override { return 022; }

 private:
  vfs::Path root_;
};

bool HostWinsize(int fd, L::Winsize* out) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return false;
  *out = L::Winsize{ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel};
  return true;
}

bool WriteAllHost(int fd, const char* buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      poll(&p, 1, 100);
      continue;
    }
    if (w <= 0) return false;
    buf += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// The two directions of the bridge. The host-to-sentry thread owns the
// master: when it stops (the host side is gone, or the other direction
// asked it to), the master closes and the replicas hang up.
struct Bridge {
  std::shared_ptr<util::UniqueFd> host;
  std::shared_ptr<Terminal> terminal;
  util::UniqueFd stop_read, stop_write;  // a pipe: the sentry side has ended

  // Host → sentry: host input is the terminal's input; the window size
  // follows the host's.
  static void HostToSentry(std::shared_ptr<Bridge> b,
                           std::shared_ptr<vfs::FileDescription> master) {
    int fd = b->host->get();
    L::Winsize last{};
    HostWinsize(fd, &last);
    char buf[4096];
    while (true) {
      pollfd p[2] = {{fd, POLLIN, 0}, {b->stop_read.get(), POLLIN, 0}};
      int r = poll(p, 2, kWinsizePollMs);
      if (r < 0 && errno != EINTR) break;
      if (p[1].revents != 0) break;
      L::Winsize now;
      if (HostWinsize(fd, &now) && std::memcmp(&now, &last, sizeof(now)) != 0) {
        last = now;
        b->terminal->SetWinsize(now);
      }
      if (r <= 0 || p[0].revents == 0) continue;
      ssize_t n = read(fd, buf, sizeof(buf));
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) break;  // EOF or EIO: the host master is gone
      size_t off = 0;
      bool stop = false;
      while (off < static_cast<size_t>(n) && !stop) {
        auto w = b->terminal->MasterWrite(buf + off, static_cast<size_t>(n) - off,
                                          /*nonblock=*/true);
        if (w.ok()) {
          off += *w;
          continue;
        }
        // Nobody reads the replica yet: wait a little for room, or a stop.
        pollfd s{b->stop_read.get(), POLLIN, 0};
        if (poll(&s, 1, 10) > 0) stop = true;
      }
      if (stop) break;
    }
    master.reset();  // the hang-up, if replicas are still open
  }

  // Sentry → host: the terminal's output goes to the host tty, until every
  // replica is closed (or the master is).
  static void SentryToHost(std::shared_ptr<Bridge> b) {
    char buf[4096];
    while (true) {
      auto n = b->terminal->MasterRead(buf, sizeof(buf), /*nonblock=*/false);
      if (!n.ok()) {
        if (n.error().value() == EINTR || n.error().value() == EAGAIN) continue;
        break;
      }
      if (!WriteAllHost(b->host->get(), buf, *n)) break;
    }
    char c = 1;
    (void)!write(b->stop_write.get(), &c, 1);
  }
};

}  // namespace

ErrnoOr<kernel::Console> NewConsole(kernel::Kernel& k, int host_fd) {
  std::shared_ptr<DevptsFilesystem> pts;
  for (const auto& m : k.vfs().Mounts()) {
    if (auto* d = dynamic_cast<DevptsFilesystem*>(&m->fs())) pts = d->shared_from_this();
  }
  if (!pts) return Errno(ENODEV);

  int dup = fcntl(host_fd, F_DUPFD_CLOEXEC, 3);
  if (dup < 0) return Errno(errno);
  auto host = std::make_shared<util::UniqueFd>(dup);
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return Errno(errno);
  auto bridge = std::make_shared<Bridge>();
  bridge->host = host;
  bridge->stop_read = util::UniqueFd(pipefd[0]);
  bridge->stop_write = util::UniqueFd(pipefd[1]);

  std::shared_ptr<Terminal> terminal;
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::FileDescription> master,
                         pts->OpenMaster(/*uid=*/0, O_RDWR, &terminal));
  terminal->set_locked(false);
  const uint32_t index = terminal->index();

  // The replica, by its name when /dev/pts is where the guest sees it (so
  // that /proc/PID/fd/0 reads /dev/pts/N).
  std::shared_ptr<vfs::FileDescription> replica;
  ConsoleContext ctx(k.vfs().RootPath());
  auto p =
      k.vfs().Resolve(ctx, vfs::Start{k.vfs().RootPath()}, "/dev/pts/" + std::to_string(index), 0);
  if (p.ok() && p->dentry->inode()->fs().dev() == pts->dev()) {
    ASSIGN_OR_RETURN_ERRNO(replica, k.vfs().OpenPath(ctx, *p, O_RDWR | O_NOCTTY));
  } else {
    ASSIGN_OR_RETURN_ERRNO(replica, pts->OpenReplica(index, O_RDWR));
  }

  L::Winsize ws;
  if (HostWinsize(host->get(), &ws)) terminal->SetWinsize(ws);
  // The host side passes bytes through untouched: the sentry's line
  // discipline is the only one (echo, ^C, CR/NL translation).
  struct termios raw;
  if (tcgetattr(host->get(), &raw) == 0) {
    cfmakeraw(&raw);
    tcsetattr(host->get(), TCSANOW, &raw);
  }

  bridge->terminal = terminal;
  kernel::Console c;
  c.replica = std::move(replica);
  c.attach = [bridge, master, terminal](kernel::ThreadGroup& tg) mutable {
    SetControllingTerminal(*terminal, tg);
    std::thread(&Bridge::HostToSentry, bridge, std::move(master)).detach();
    std::thread(&Bridge::SentryToHost, bridge).detach();
  };
  return c;
}

}  // namespace sentry::fsimpl::devpts
