#include "runsc/oci_seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "util/unique_fd.h"

namespace runsc {

namespace {

using json = nlohmann::json;
namespace L = abi_linux;

absl::Status FieldError(const std::string& field, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("config.json: ", field, ": ", what));
}

#define RETURN_IF_ERROR_SECCOMP(expr) \
  do {                                \
    absl::Status s_ = (expr);         \
    if (!s_.ok()) return s_;          \
  } while (0)

absl::Status GetString(const json& obj, const char* key, const std::string& field,
                       std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_string()) return FieldError(field, "expected a string");
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status GetStrings(const json& obj, const char* key, const std::string& field,
                        std::vector<std::string>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_array()) return FieldError(field, "expected an array of strings");
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return FieldError(absl::StrCat(field, "[", i, "]"), "expected a string");
    }
    out->push_back((*it)[i].get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status GetU64(const json& obj, const char* key, const std::string& field,
                    std::optional<uint64_t>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_number_integer()) return FieldError(field, "expected an integer");
  if (!it->is_number_unsigned() && it->get<int64_t>() < 0) {
    return FieldError(field, "must not be negative");
  }
  *out = it->get<uint64_t>();
  return absl::OkStatus();
}

absl::Status GetErrnoRet(const json& obj, const std::string& field,
                         std::optional<uint32_t>* out) {
  std::optional<uint64_t> v;
  RETURN_IF_ERROR_SECCOMP(GetU64(obj, "errnoRet", field, &v));
  if (v && *v > 0xffff) return FieldError(field, "out of range");
  if (v) *out = static_cast<uint32_t>(*v);
  return absl::OkStatus();
}

constexpr const char* kActions[] = {
    "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
    "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE",       "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
    "SCMP_ACT_NOTIFY"};

absl::Status CheckAction(const std::string& action, const std::string& field) {
  for (const char* a : kActions) {
    if (action == a) {
      if (action == "SCMP_ACT_NOTIFY") {
        return FieldError(field, "SCMP_ACT_NOTIFY is not supported: the sandbox has no seccomp "
                                 "user notification");
      }
      return absl::OkStatus();
    }
  }
  return FieldError(field, "unknown action \"" + action + "\"");
}

std::optional<scmp_compare> CompareOp(const std::string& op) {
  static const std::pair<const char*, scmp_compare> kOps[] = {
      {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT},
      {"SCMP_CMP_LE", SCMP_CMP_LE}, {"SCMP_CMP_EQ", SCMP_CMP_EQ},
      {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
  for (const auto& [name, value] : kOps) {
    if (op == name) return value;
  }
  return std::nullopt;
}

constexpr const char* kFlags[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                  "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                  "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};

// libseccomp's action for an OCI action name (checked by ParseSeccomp).
uint32_t LibseccompAction(const std::string& action, std::optional<uint32_t> errno_ret) {
  if (action == "SCMP_ACT_KILL" || action == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (action == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (action == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  // runc's default for both: EPERM.
  if (action == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
  if (action == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(errno_ret.value_or(EPERM));
  if (action == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  return SCMP_ACT_ALLOW;
}

struct ReleaseCtx {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

}  // namespace

absl::StatusOr<OciSeccomp> ParseSeccomp(const json& j, const std::string& field) {
  if (!j.is_object()) return FieldError(field, "expected an object");
  OciSeccomp p;
  RETURN_IF_ERROR_SECCOMP(GetString(j, "defaultAction", field + ".defaultAction", &p.default_action));
  if (p.default_action.empty()) return FieldError(field + ".defaultAction", "missing");
  RETURN_IF_ERROR_SECCOMP(CheckAction(p.default_action, field + ".defaultAction"));
  if (auto it = j.find("defaultErrnoRet"); it != j.end() && !it->is_null()) {
    std::optional<uint64_t> v;
    RETURN_IF_ERROR_SECCOMP(GetU64(j, "defaultErrnoRet", field + ".defaultErrnoRet", &v));
    if (*v > 0xffff) return FieldError(field + ".defaultErrnoRet", "out of range");
    p.default_errno_ret = static_cast<uint32_t>(*v);
  }
  RETURN_IF_ERROR_SECCOMP(
      GetStrings(j, "architectures", field + ".architectures", &p.architectures));
  for (size_t i = 0; i < p.architectures.size(); ++i) {
    if (!absl::StartsWith(p.architectures[i], "SCMP_ARCH_")) {
      return FieldError(absl::StrCat(field, ".architectures[", i, "]"),
                        "unknown architecture \"" + p.architectures[i] + "\"");
    }
  }
  RETURN_IF_ERROR_SECCOMP(GetStrings(j, "flags", field + ".flags", &p.flags));
  for (size_t i = 0; i < p.flags.size(); ++i) {
    bool known = false;
    for (const char* f : kFlags) known = known || p.flags[i] == f;
    if (!known) {
      return FieldError(absl::StrCat(field, ".flags[", i, "]"),
                        "unsupported flag \"" + p.flags[i] + "\"");
    }
  }
  std::string listener;
  RETURN_IF_ERROR_SECCOMP(GetString(j, "listenerPath", field + ".listenerPath", &listener));
  if (!listener.empty()) {
    return FieldError(field + ".listenerPath",
                      "not supported: the sandbox has no seccomp user notification");
  }
  auto sc = j.find("syscalls");
  if (sc == j.end() || sc->is_null()) return p;
  if (!sc->is_array()) return FieldError(field + ".syscalls", "expected an array");
  for (size_t i = 0; i < sc->size(); ++i) {
    std::string rf = absl::StrCat(field, ".syscalls[", i, "]");
    const json& r = (*sc)[i];
    if (!r.is_object()) return FieldError(rf, "expected an object");
    OciSeccompRule rule;
    RETURN_IF_ERROR_SECCOMP(GetStrings(r, "names", rf + ".names", &rule.names));
    RETURN_IF_ERROR_SECCOMP(GetString(r, "action", rf + ".action", &rule.action));
    if (rule.action.empty()) return FieldError(rf + ".action", "missing");
    RETURN_IF_ERROR_SECCOMP(CheckAction(rule.action, rf + ".action"));
    RETURN_IF_ERROR_SECCOMP(GetErrnoRet(r, rf + ".errnoRet", &rule.errno_ret));
    if (auto a = r.find("args"); a != r.end() && !a->is_null()) {
      if (!a->is_array()) return FieldError(rf + ".args", "expected an array");
      for (size_t k = 0; k < a->size(); ++k) {
        std::string af = absl::StrCat(rf, ".args[", k, "]");
        const json& aj = (*a)[k];
        if (!aj.is_object()) return FieldError(af, "expected an object");
        OciSeccompArg arg;
        std::optional<uint64_t> index, value, value_two;
        RETURN_IF_ERROR_SECCOMP(GetU64(aj, "index", af + ".index", &index));
        RETURN_IF_ERROR_SECCOMP(GetU64(aj, "value", af + ".value", &value));
        RETURN_IF_ERROR_SECCOMP(GetU64(aj, "valueTwo", af + ".valueTwo", &value_two));
        RETURN_IF_ERROR_SECCOMP(GetString(aj, "op", af + ".op", &arg.op));
        if (!index || *index >= 6) return FieldError(af + ".index", "must be 0 to 5");
        if (!CompareOp(arg.op)) return FieldError(af + ".op", "unknown operator \"" + arg.op + "\"");
        arg.index = static_cast<unsigned>(*index);
        arg.value = value.value_or(0);
        arg.value_two = value_two.value_or(0);
        rule.args.push_back(arg);
      }
    }
    p.syscalls.push_back(std::move(rule));
  }
  return p;
}

absl::StatusOr<std::vector<L::SockFilter>> CompileSeccomp(const OciSeccomp& profile) {
  const uint32_t default_action =
      LibseccompAction(profile.default_action, profile.default_errno_ret);
  std::unique_ptr<void, ReleaseCtx> ctx(seccomp_init(default_action));
  if (!ctx) return absl::InternalError("linux.seccomp: libseccomp cannot make a filter");
  // The filter is only compiled here, never loaded by this process.
  (void)seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
  for (const std::string& name : profile.architectures) {
    std::string lower = absl::AsciiStrToLower(name.substr(strlen("SCMP_ARCH_")));
    uint32_t arch = seccomp_arch_resolve_name(lower.c_str());
    if (arch == 0) {
      return absl::InvalidArgumentError("config.json: linux.seccomp.architectures: unknown "
                                        "architecture \"" + name + "\"");
    }
    int rc = seccomp_arch_add(ctx.get(), arch);
    if (rc != 0 && rc != -EEXIST) {
      return absl::InternalError(absl::StrCat("linux.seccomp: adding ", name, ": ", strerror(-rc)));
    }
  }
  for (size_t i = 0; i < profile.syscalls.size(); ++i) {
    const OciSeccompRule& rule = profile.syscalls[i];
    const uint32_t action = LibseccompAction(rule.action, rule.errno_ret);
    // libseccomp refuses a rule that repeats the default; it changes nothing.
    if (action == default_action) continue;
    std::vector<scmp_arg_cmp> conds;
    int per_index[6] = {};
    for (const OciSeccompArg& a : rule.args) {
      conds.push_back({a.index, *CompareOp(a.op), a.value, a.value_two});
      ++per_index[a.index];
    }
    const bool repeated = std::any_of(std::begin(per_index), std::end(per_index),
                                      [](int n) { return n > 1; });
    for (const std::string& name : rule.names) {
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) continue;  // unknown to libseccomp: skipped, as runc does
      auto add = [&](unsigned count, const scmp_arg_cmp* c) -> absl::Status {
        int rc = seccomp_rule_add_array(ctx.get(), action, nr, count, c);
        if (rc == 0) return absl::OkStatus();
        return absl::InvalidArgumentError(
            absl::StrCat("config.json: linux.seccomp.syscalls[", i, "]: cannot add a rule for ",
                         name, ": ", strerror(-rc)));
      };
      if (!repeated) {
        RETURN_IF_ERROR_SECCOMP(add(conds.size(), conds.data()));
      } else {
        for (const scmp_arg_cmp& c : conds) RETURN_IF_ERROR_SECCOMP(add(1, &c));
      }
    }
  }
  util::UniqueFd mem(memfd_create("runsc-seccomp", MFD_CLOEXEC));
  if (!mem.valid()) return absl::InternalError(absl::StrCat("memfd_create: ", strerror(errno)));
  if (int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc != 0) {
    return absl::InternalError(absl::StrCat("linux.seccomp: exporting the filter: ", strerror(-rc)));
  }
  off_t size = lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(L::SockFilter) != 0) {
    return absl::InternalError("linux.seccomp: libseccomp exported a malformed program");
  }
  std::vector<L::SockFilter> bpf(static_cast<size_t>(size) / sizeof(L::SockFilter));
  if (pread(mem.get(), bpf.data(), static_cast<size_t>(size), 0) != size) {
    return absl::InternalError(absl::StrCat("reading the exported filter: ", strerror(errno)));
  }
  return bpf;
}

absl::StatusOr<std::shared_ptr<const sentry::kernel::seccomp::Filter>> GuestSeccompFilter(
    const std::vector<L::SockFilter>& bpf, const OciSeccomp& profile) {
  if (bpf.size() > static_cast<size_t>(L::kBPF_MAXINSNS)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config.json: linux.seccomp: the profile compiles to ", bpf.size(),
        " instructions, more than seccomp's ", L::kBPF_MAXINSNS));
  }
  auto prog = sentry::kernel::seccomp::BpfProgram::Check(bpf);
  if (!prog.ok()) {
    return absl::InvalidArgumentError("linux.seccomp: the compiled program is not a valid "
                                      "seccomp filter");
  }
  bool log = false;
  for (const std::string& f : profile.flags) log = log || f == "SECCOMP_FILTER_FLAG_LOG";
  return std::make_shared<const sentry::kernel::seccomp::Filter>(std::move(prog).value(), log,
                                                                 nullptr);
}

std::string EncodeBpf(const std::vector<L::SockFilter>& bpf) {
  std::string raw(bpf.size() * sizeof(L::SockFilter), '\0');
  if (!raw.empty()) std::memcpy(raw.data(), bpf.data(), raw.size());
  return absl::Base64Escape(raw);
}

absl::StatusOr<std::vector<L::SockFilter>> DecodeBpf(const std::string& text) {
  std::string raw;
  if (!absl::Base64Unescape(text, &raw) || raw.size() % sizeof(L::SockFilter) != 0) {
    return absl::InvalidArgumentError("malformed seccomp program");
  }
  std::vector<L::SockFilter> bpf(raw.size() / sizeof(L::SockFilter));
  if (!raw.empty()) std::memcpy(bpf.data(), raw.data(), raw.size());
  return bpf;
}

}  // namespace runsc
