// runsc: an OCI runtime whose containers run on the sentry.
#include <cstdio>
#include <string>
#include <vector>

#include "runsc/cli.h"
#include "runsc/gofer_process.h"

namespace {

constexpr char kUsage[] = R"(usage: runsc [global flags] COMMAND [flags] [args]

commands:
  do [--rootfs DIR] [--volume HOST:GUEST[:ro]]... [--cwd DIR] [--env K=V]... CMD [ARGS...]
                                               run CMD in a fresh sandbox
  syscalls [--format=table|json]               the syscall compatibility table

OCI lifecycle (runc-compatible; state under --root):
  create --bundle DIR [--pid-file F] [--console-socket S] [--preserve-fds N] ID
  start ID | state ID | kill [--all] ID [SIGNAL] | delete [--force] ID
  run [--bundle DIR] [-d] [--pid-file F] [--console-socket S] ID
  exec [--process FILE | CMD...] [--detach] [--pid-file F] [--console-socket S] [--tty]
       [--cwd DIR] [--env K=V]... [--user UID[:GID]] ID
  list [--format table|json] | ps [--format table|json] ID | pause ID | resume ID
  update --resources FILE|- ID | wait ID | events [--stats] ID | spec [--bundle DIR]
  features
  gofer --root DIR --sock-fd N [--read-only]   serve DIR to a sentry (started by runsc itself)
  version                                      print the version

global flags:
  --platform=ptrace    how guest code runs
  --strace             print every guest syscall
  --debug              verbose runtime logging
  --debug-log=FILE     runtime logs (and strace) go to FILE instead of stderr
  --root=DIR           state directory (default /run/runsc)
  --log=FILE           errors (and runtime warnings) for the caller, e.g. containerd's shim
  --log-format=text|json
  --network=sandbox|none  the sandbox's own loopback network (no host networking)
  --systemd-cgroup     linux.cgroupsPath is slice:prefix:name
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  auto cl = runsc::ParseCommandLine(args);
  if (!cl.ok()) {
    std::fprintf(stderr, "runsc: %s\n%s", std::string(cl.status().message()).c_str(), kUsage);
    return 2;
  }
  if (cl->command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cl->command == "version") {
    std::printf("runsc version 0.1.0\nspec: 1.1.0\n");
    return 0;
  }
  if (cl->command == "do") return runsc::CmdDo(cl->global, cl->args);
  if (cl->command == "syscalls") return runsc::CmdSyscalls(cl->global, cl->args);
  if (cl->command == "gofer") return runsc::CmdGofer(cl->args);
  if (auto rc = runsc::RunOciCommand(cl->global, cl->command, cl->args)) return *rc;
  std::fprintf(stderr, "runsc: unknown command \"%s\"\n%s", cl->command.c_str(), kUsage);
  return 2;
}
