#include "sentry/fsimpl/proc/sysctl.h"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "abi/linux/ipc.h"
#include "abi/linux/mqueue.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sentry/fsimpl/inet/inet_socket.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/kernel/kernel.h"

namespace sentry::fsimpl::proc {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Up to `max` numbers, as Linux's proc_dointvec and proc_doulongvec read
// them: white space between, each in C syntax (strtoul base 0, so "0x10"
// and "010" too) with an optional '-', followed by white space or the end.
// Only white space is EINVAL; numbers past `max` are ignored.
struct Number {
  bool negative;
  uint64_t magnitude;
};
ErrnoOr<std::vector<Number>> ParseNumbers(std::string_view v, size_t max) {
  std::string s(v);  // strtoull wants a terminated string
  std::vector<Number> out;
  size_t i = 0;
  while (out.size() < max) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i == s.size()) break;
    Number n{false, 0};
    if (s[i] == '-') {
      n.negative = true;
      ++i;
    }
    if (i == s.size() || s[i] < '0' || s[i] > '9') return Errno(EINVAL);
    errno = 0;
    char* end = nullptr;
    unsigned long long m = strtoull(s.c_str() + i, &end, 0);
    if (errno == ERANGE) return Errno(EINVAL);
    i = static_cast<size_t>(end - s.c_str());
    if (i < s.size() && !IsSpace(s[i])) return Errno(EINVAL);
    n.magnitude = m;
    out.push_back(n);
  }
  if (out.empty()) return Errno(EINVAL);
  return out;
}

// Ints (proc_dointvec_minmax): each in [min, max].
ErrnoOr<std::vector<int>> ParseInts(std::string_view v, size_t count, int64_t min, int64_t max) {
  ASSIGN_OR_RETURN_ERRNO(std::vector<Number> nums, ParseNumbers(v, count));
  std::vector<int> out;
  for (const Number& n : nums) {
    if (n.magnitude > (n.negative ? uint64_t{1} << 31 : uint64_t{INT_MAX})) return Errno(EINVAL);
    int64_t x = n.negative ? -static_cast<int64_t>(n.magnitude) : static_cast<int64_t>(n.magnitude);
    if (x < min || x > max) return Errno(EINVAL);
    out.push_back(static_cast<int>(x));
  }
  return out;
}

std::string IntsText(const std::vector<int>& v) { return absl::StrJoin(v, "\t") + "\n"; }

using IntField = std::atomic<int>& (*)(kernel::Kernel&);
using UlongField = std::atomic<uint64_t>& (*)(kernel::Kernel&);

kernel::ipc::IpcLimits& Ipc(kernel::Kernel& k) { return k.ipc().limits(); }

// One int of the kernel's, in [min, max].
Sysctl IntSysctl(std::string path, IntField field, int64_t min, int64_t max) {
  return Sysctl{
      std::move(path),
      [field](kernel::Kernel& k) { return IntsText({field(k).load()}); },
      [field, min, max](kernel::Kernel& k, std::string_view v) -> ErrnoOrVoid {
        ASSIGN_OR_RETURN_ERRNO(std::vector<int> x, ParseInts(v, 1, min, max));
        field(k).store(x[0]);
        return {};
      }};
}

// One unsigned long (proc_doulongvec_minmax without bounds): negative
// numbers are EINVAL.
Sysctl UlongSysctl(std::string path, UlongField field) {
  return Sysctl{std::move(path),
                [field](kernel::Kernel& k) { return absl::StrCat(field(k).load(), "\n"); },
                [field](kernel::Kernel& k, std::string_view v) -> ErrnoOrVoid {
                  ASSIGN_OR_RETURN_ERRNO(std::vector<Number> x, ParseNumbers(v, 1));
                  if (x[0].negative) return Errno(EINVAL);
                  field(k).store(x[0].magnitude);
                  return {};
                }};
}

// A UTS name (proc_do_uts_string): the text up to the first newline, cut
// to 64 bytes.
Sysctl UtsSysctl(std::string path, bool host) {
  return Sysctl{std::move(path),
                [host](kernel::Kernel& k) {
                  return (host ? k.hostname() : k.domainname()) + "\n";
                },
                [host](kernel::Kernel& k, std::string_view v) -> ErrnoOrVoid {
                  std::string_view name = v.substr(0, v.find('\n'));
                  name = name.substr(0, name.find('\0'));
                  name = name.substr(0, 64);
                  if (host) {
                    k.set_hostname(std::string(name));
                  } else {
                    k.set_domainname(std::string(name));
                  }
                  return {};
                }};
}

std::vector<Sysctl> MakeTable() {
  constexpr int64_t kIntMax = INT_MAX, kIntMin = INT_MIN;
  const int64_t mni = L::kIPCMNI;
  std::vector<Sysctl> t;
  t.push_back(UtsSysctl("kernel/hostname", true));
  t.push_back(UtsSysctl("kernel/domainname", false));
  // System V IPC (ipc/ipc_sysctl.c).
  t.push_back(UlongSysctl("kernel/shmmax", [](kernel::Kernel& k) -> std::atomic<uint64_t>& {
    return Ipc(k).shmmax;
  }));
  t.push_back(UlongSysctl("kernel/shmall", [](kernel::Kernel& k) -> std::atomic<uint64_t>& {
    return Ipc(k).shmall;
  }));
  t.push_back(IntSysctl(
      "kernel/shmmni", [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).shmmni; }, 0,
      mni));
  t.push_back(IntSysctl(
      "kernel/msgmax", [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).msgmax; }, 0,
      kIntMax));
  t.push_back(IntSysctl(
      "kernel/msgmnb", [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).msgmnb; }, 0,
      kIntMax));
  t.push_back(IntSysctl(
      "kernel/msgmni", [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).msgmni; }, 0,
      mni));
  // SEMMSL SEMMNS SEMOPM SEMMNI; a write may give fewer (the first ones
  // change). A SEMMNI outside 0..IPCMNI is ERANGE and stays as it was (the
  // others given do change, as on Linux).
  t.push_back(Sysctl{
      "kernel/sem",
      [](kernel::Kernel& k) {
        auto& l = Ipc(k);
        return IntsText({l.semmsl.load(), l.semmns.load(), l.semopm.load(), l.semmni.load()});
      },
      [](kernel::Kernel& k, std::string_view v) -> ErrnoOrVoid {
        ASSIGN_OR_RETURN_ERRNO(std::vector<int> x, ParseInts(v, 4, kIntMin, kIntMax));
        auto& l = Ipc(k);
        std::atomic<int>* fields[] = {&l.semmsl, &l.semmns, &l.semopm, &l.semmni};
        const bool bad_semmni = x.size() == 4 && (x[3] < 0 || x[3] > L::kIPCMNI);
        for (size_t i = 0; i < x.size() && !(i == 3 && bad_semmni); ++i) fields[i]->store(x[i]);
        if (bad_semmni) return Errno(ERANGE);
        return {};
      }});
  // POSIX message queues (ipc/mq_sysctl.c).
  t.push_back(IntSysctl(
      "fs/mqueue/queues_max",
      [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).mq_queues_max; }, kIntMin,
      kIntMax));
  t.push_back(IntSysctl(
      "fs/mqueue/msg_max", [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).mq_msg_max; },
      1, L::kHARD_MSGMAX));
  t.push_back(IntSysctl(
      "fs/mqueue/msgsize_max",
      [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).mq_msgsize_max; }, 128,
      L::kHARD_MSGSIZEMAX));
  t.push_back(IntSysctl(
      "fs/mqueue/msg_default",
      [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).mq_msg_default; }, 1,
      L::kHARD_MSGMAX));
  t.push_back(IntSysctl(
      "fs/mqueue/msgsize_default",
      [](kernel::Kernel& k) -> std::atomic<int>& { return Ipc(k).mq_msgsize_default; }, 128,
      L::kHARD_MSGSIZEMAX));
  // The loopback stack's ports.
  t.push_back(Sysctl{"net/ipv4/ip_unprivileged_port_start",
                     [](kernel::Kernel&) { return IntsText({inet::UnprivilegedPortStart()}); },
                     [](kernel::Kernel&, std::string_view v) -> ErrnoOrVoid {
                       ASSIGN_OR_RETURN_ERRNO(std::vector<int> x, ParseInts(v, 1, 0, 65535));
                       return inet::SetUnprivilegedPortStart(x[0]);
                     }});
  t.push_back(Sysctl{"net/ipv4/ip_local_port_range",
                     [](kernel::Kernel&) {
                       auto [lo, hi] = inet::LocalPortRange();
                       return IntsText({lo, hi});
                     },
                     [](kernel::Kernel&, std::string_view v) -> ErrnoOrVoid {
                       ASSIGN_OR_RETURN_ERRNO(std::vector<int> x, ParseInts(v, 2, 1, 65535));
                       if (x.size() != 2) return Errno(EINVAL);
                       return inet::SetLocalPortRange(x[0], x[1]);
                     }});
  return t;
}

}  // namespace

const std::vector<Sysctl>& Sysctls() {
  static const auto* table = [] {
    auto* t = new std::vector<Sysctl>(MakeTable());
    // A write of nothing changes nothing, whatever the setting.
    for (Sysctl& s : *t) {
      s.write = [w = std::move(s.write)](kernel::Kernel& k, std::string_view v) -> ErrnoOrVoid {
        if (v.empty()) return {};
        return w(k, v);
      };
    }
    return t;
  }();
  return *table;
}

const Sysctl* FindSysctl(std::string_view key) {
  std::string path(key);
  // runc's rule: a key with no slash uses dots as separators.
  if (path.find('/') == std::string::npos) {
    for (char& c : path) {
      if (c == '.') c = '/';
    }
  }
  while (!path.empty() && path[0] == '/') path.erase(0, 1);
  for (const Sysctl& s : Sysctls()) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

ErrnoOrVoid WriteSysctl(kernel::Kernel& k, std::string_view key, std::string_view value) {
  const Sysctl* s = FindSysctl(key);
  if (s == nullptr) return Errno(ENOENT);
  return s->write(k, value);
}

}  // namespace sentry::fsimpl::proc
