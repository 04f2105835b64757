#include "runsc/cli.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace runsc {

namespace {

// Splits "--name=value" / "-name=value" into (name, value).
bool SplitFlag(const std::string& arg, std::string* name, std::optional<std::string>* value) {
  if (arg.size() < 2 || arg[0] != '-') return false;
  size_t start = arg[1] == '-' ? 2 : 1;
  if (start >= arg.size()) return false;
  std::string body = arg.substr(start);
  size_t eq = body.find('=');
  if (eq == std::string::npos) {
    *name = body;
    *value = std::nullopt;
  } else {
    *name = body.substr(0, eq);
    *value = body.substr(eq + 1);
  }
  return true;
}

bool ParseBool(const std::optional<std::string>& v, bool* out) {
  if (!v || *v == "true" || *v == "1") {
    *out = true;
    return true;
  }
  if (*v == "false" || *v == "0") {
    *out = false;
    return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& argv) {
  CommandLine cl;
  GlobalFlags& g = cl.global;
  const std::map<std::string, std::string*> strings = {
      {"root", &g.root},           {"platform", &g.platform}, {"log", &g.log},
      {"log-format", &g.log_format}, {"debug-log", &g.debug_log}, {"network", &g.network}};
  const std::map<std::string, bool*> bools = {
      {"debug", &g.debug}, {"strace", &g.strace}, {"systemd-cgroup", &g.systemd_cgroup}};
  size_t i = 1;
  for (; i < argv.size(); ++i) {
    std::string name;
    std::optional<std::string> value;
    if (!SplitFlag(argv[i], &name, &value)) break;
    if (auto it = strings.find(name); it != strings.end()) {
      if (!value) {
        if (i + 1 >= argv.size()) return absl::InvalidArgumentError("flag --" + name + " needs a value");
        value = argv[++i];
      }
      *it->second = *value;
    } else if (auto b = bools.find(name); b != bools.end()) {
      if (!ParseBool(value, b->second)) {
        return absl::InvalidArgumentError("flag --" + name + " takes true or false");
      }
    } else if (name == "version" || name == "v" || name == "help" || name == "h") {
      cl.command = name == "v" ? "version" : name == "h" ? "help" : name;
      return cl;
    } else {
      return absl::InvalidArgumentError("unknown global flag: " + argv[i]);
    }
  }
  if (i >= argv.size()) return absl::InvalidArgumentError("no command given (try `runsc help`)");
  cl.command = argv[i];
  cl.args.assign(argv.begin() + static_cast<long>(i) + 1, argv.end());
  // The sandbox's network is its own loopback (the sentry's inet stack);
  // "none" is the same. Host networking would hand the guest host sockets.
  if (g.network != "sandbox" && g.network != "none") {
    return absl::InvalidArgumentError("--network must be sandbox or none, not " + g.network +
                                      " (the sandbox has a loopback network of its own)");
  }
  if (g.log_format != "text" && g.log_format != "json") {
    return absl::InvalidArgumentError("--log-format must be text or json, not " + g.log_format);
  }
  return cl;
}

std::optional<std::string> ParsedFlags::Get(const std::string& name) const {
  auto it = flags.find(name);
  if (it == flags.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ParsedFlags::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = flags.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

absl::StatusOr<ParsedFlags> ParseFlags(const std::vector<std::string>& args,
                                       const std::map<std::string, bool>& known) {
  ParsedFlags out;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    if (args[i] == "--") {
      ++i;
      break;
    }
    std::string name;
    std::optional<std::string> value;
    if (!SplitFlag(args[i], &name, &value)) break;
    auto it = known.find(name);
    if (it == known.end()) return absl::InvalidArgumentError("unknown flag: " + args[i]);
    if (it->second && !value) {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError("flag --" + name + " needs a value");
      value = args[++i];
    }
    out.flags.emplace(name, value.value_or("true"));
  }
  out.positional.assign(args.begin() + static_cast<long>(i), args.end());
  return out;
}

}  // namespace runsc
