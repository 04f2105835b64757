// runsc's command line: global flags in runc/gVisor style, then a
// subcommand with flags of its own.
//
//   runsc [--platform=ptrace] [--strace] [--debug] [--debug-log=FILE] do CMD...
//   runsc syscalls [--format=table|json]
#ifndef RUNSC_CLI_H_
#define RUNSC_CLI_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace runsc {

struct GlobalFlags {
  std::string root = "/run/runsc";
  std::string platform = "ptrace";
  std::string log;
  std::string log_format = "text";
  std::string debug_log;
  std::string network = "sandbox";
  bool debug = false;
  bool strace = false;
  bool systemd_cgroup = false;
};

struct CommandLine {
  GlobalFlags global;
  std::string command;            // "do", "syscalls", ...
  std::vector<std::string> args;  // everything after the subcommand
};

// Parses global flags up to the subcommand. Flags take `--name=value` or
// `--name value`; single-dash spellings are accepted too.
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& argv);

// Subcommand flags: splits `args` into flags (from `known`, each saying
// whether it takes a value) and the positional rest, stopping at the first
// positional argument or `--`. Repeated flags accumulate.
struct ParsedFlags {
  std::multimap<std::string, std::string> flags;
  std::vector<std::string> positional;
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  bool Has(const std::string& name) const { return flags.count(name) > 0; }
};
absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::map<std::string, bool>& known);

int CmdDo(const GlobalFlags& g, const std::vector<std::string>& args);
int CmdSyscalls(const GlobalFlags& g, const std::vector<std::string>& args);
// The OCI lifecycle (cmd_oci.cc) and the sandbox process (cmd_boot.cc).
int CmdBoot(const GlobalFlags& g, const std::vector<std::string>& args);
// Runs an OCI subcommand (create, start, state, ...); nullopt if `command`
// is not one.
std::optional<int> RunOciCommand(const GlobalFlags& g, const std::string& command,
                                 const std::vector<std::string>& args);

}  // namespace runsc

#endif  // RUNSC_CLI_H_
