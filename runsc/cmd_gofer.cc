// runsc gofer: the gofer process's entry point (see gofer/server.h). Started by StartGofer
// (runsc/gofer_process.h) with its end of the sentry's socket already at --sock-fd.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "gofer/server.h"
#include "runsc/cli.h"
#include "runsc/gofer_process.h"

namespace runsc {

namespace {

constexpr char kGoferUsage[] = "usage: runsc gofer --root DIR --sock-fd N [--read-only]\n";

int Usage(const std::string& why) {
  std::fprintf(stderr, "runsc gofer: %s\n%s", why.c_str(), kGoferUsage);
  return 2;
}

}  // namespace

int CmdGofer(const std::vector<std::string>& args) {
  prctl(PR_SET_NAME, "runsc-gofer");
  auto parsed = ParseFlags(args, {{"root", true}, {"sock-fd", true}, {"read-only", false}});
  if (!parsed.ok()) return Usage(std::string(parsed.status().message()));
  if (!parsed->positional.empty()) return Usage("unexpected argument " + parsed->positional[0]);
  std::optional<std::string> root = parsed->Get("root");
  std::optional<std::string> fd_flag = parsed->Get("sock-fd");
  if (!root || root->empty()) return Usage("--root is required");
  if (!fd_flag) return Usage("--sock-fd is required");
  int sock = -1;
  if (!absl::SimpleAtoi(*fd_flag, &sock) || sock < 0) return Usage("bad --sock-fd " + *fd_flag);
  bool read_only = false;
  if (std::optional<std::string> ro = parsed->Get("read-only")) {
    if (*ro != "true" && *ro != "false") return Usage("--read-only takes true or false");
    read_only = *ro == "true";
  }
  // The fd must be the connected SOCK_SEQPACKET socket StartGofer handed down.
  int type = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) {
    return Usage("--sock-fd " + *fd_flag + " is not a SOCK_SEQPACKET socket");
  }
  // Not inherited by anything the gofer might start (it starts nothing; be safe).
  fcntl(sock, F_SETFD, FD_CLOEXEC);

  absl::Status s = gofer::RunGofer(sock, *root, read_only);
  if (!s.ok()) {
    std::fprintf(stderr, "runsc gofer: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace runsc
