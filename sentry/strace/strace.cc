#include "sentry/strace/strace.h"

#include <string_view>

#include "abi/linux/errno.h"
#include "abi/linux/syscalls.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "sentry/kernel/task.h"
#include "util/logging.h"

namespace sentry::strace {

namespace {

// Argument formats, one letter per argument:
//   i int   u unsigned   x hex   o octal   p pointer
//   s string (a path)    b bytes in, length in the next argument
//   B bytes out, length is the result
const absl::flat_hash_map<std::string_view, std::string_view>& Formats() {
  static const auto* formats = new absl::flat_hash_map<std::string_view, std::string_view>{
      {"read", "iBu"}, {"write", "ibu"}, {"open", "sxo"}, {"close", "i"},
      {"stat", "sp"}, {"fstat", "ip"}, {"lstat", "sp"}, {"lseek", "iii"},
      {"mmap", "pxxxii"}, {"mprotect", "pxx"}, {"munmap", "px"}, {"brk", "p"},
      {"rt_sigaction", "ippu"}, {"rt_sigprocmask", "ippu"}, {"ioctl", "ixp"},
      {"pread64", "iBui"}, {"pwrite64", "ibui"}, {"readv", "ipi"}, {"writev", "ipi"},
      {"access", "so"}, {"pipe", "p"}, {"mremap", "pxxxp"}, {"madvise", "pxi"},
      {"dup", "i"}, {"dup2", "ii"}, {"nanosleep", "pp"}, {"getpid", ""},
      {"exit", "i"}, {"kill", "ii"}, {"uname", "p"}, {"fcntl", "iix"},
      {"getcwd", "Bu"}, {"chdir", "s"}, {"mkdir", "so"}, {"rmdir", "s"},
      {"unlink", "s"}, {"readlink", "sBu"}, {"umask", "o"}, {"getuid", ""},
      {"getgid", ""}, {"geteuid", ""}, {"getegid", ""}, {"getppid", ""},
      {"gettid", ""}, {"arch_prctl", "xp"}, {"futex", "pxuppu"},
      {"set_tid_address", "p"}, {"clock_gettime", "ip"}, {"clock_getres", "ip"},
      {"clock_nanosleep", "iipp"}, {"exit_group", "i"}, {"tgkill", "iii"},
      {"openat", "isxo"}, {"newfstatat", "ispx"}, {"readlinkat", "isBu"},
      {"set_robust_list", "pu"}, {"prlimit64", "iipp"}, {"getrandom", "pux"},
      {"rseq", "puxx"}, {"execve", "spp"}, {"wait4", "ipxp"}, {"sched_getaffinity", "iup"},
      {"getdents64", "ipu"}, {"dup3", "iix"}, {"close_range", "uux"}, {"time", "p"},
      {"gettimeofday", "pp"}, {"sysinfo", "p"}, {"getrlimit", "ip"}, {"setrlimit", "ip"},
  };
  return *formats;
}

std::string Quote(std::string_view data, size_t limit = 64) {
  std::string out = "\"";
  for (size_t i = 0; i < data.size() && i < limit; ++i) {
    unsigned char c = data[i];
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c >= 32 && c < 127) {
          out += static_cast<char>(c);
        } else {
          absl::StrAppendFormat(&out, "\\x%02x", c);
        }
    }
  }
  out += "\"";
  if (data.size() > limit) out += "...";
  return out;
}

std::string Bytes(kernel::Task& t, mm::UserAddr addr, int64_t len) {
  if (len <= 0) return absl::StrFormat("%#x", addr.value());
  std::string buf(std::min<int64_t>(len, 64), '\0');
  auto n = t.CopyIn(addr, buf.data(), buf.size());
  if (!n.ok()) return absl::StrFormat("%#x", addr.value());
  buf.resize(*n);
  return Quote(buf) + (len > 64 ? "..." : "");
}

std::string Arg(kernel::Task& t, char kind, const kernel::SyscallArgs& a, int i,
                const kernel::SyscallResult& r) {
  uint64_t v = a[i];
  switch (kind) {
    case 'i': return absl::StrCat(static_cast<int64_t>(static_cast<int>(v)));
    case 'u': return absl::StrCat(v);
    case 'o': return absl::StrFormat("%#o", v);
    case 's': {
      auto s = t.CopyInString(a.Addr(i));
      return s.ok() ? Quote(*s, 256) : absl::StrFormat("%#x", v);
    }
    case 'b': return Bytes(t, a.Addr(i), i + 1 < 6 ? static_cast<int64_t>(a[i + 1]) : 0);
    case 'B':
      return r.is_error() ? absl::StrFormat("%#x", v)
                          : Bytes(t, a.Addr(i), static_cast<int64_t>(r.value()));
    case 'p': return v == 0 ? "NULL" : absl::StrFormat("%#x", v);
    default: return absl::StrFormat("%#x", v);
  }
}

void OnExit(kernel::Task& t, int64_t nr, const kernel::SyscallArgs& args,
            const kernel::SyscallResult& r) {
  util::WriteLogLine(FormatSyscall(t, nr, args, r) + "\n");
}

}  // namespace

std::string FormatSyscall(kernel::Task& t, int64_t nr, const kernel::SyscallArgs& args,
                          const kernel::SyscallResult& r) {
  std::string_view name = abi_linux::SyscallName(static_cast<int>(nr));
  std::string line = absl::StrFormat("[%4d] ", t.tid());
  std::string_view fmt = "xxxxxx";
  if (name.empty()) {
    absl::StrAppend(&line, "syscall_", nr);
  } else {
    line.append(name);
    auto it = Formats().find(name);
    if (it != Formats().end()) fmt = it->second;
  }
  line += "(";
  for (size_t i = 0; i < fmt.size() && i < 6; ++i) {
    if (i) line += ", ";
    line += Arg(t, fmt[i], args, static_cast<int>(i), r);
  }
  line += ")";
  if (r.regs_set()) {
    line += " = ?";
  } else if (r.is_error()) {
    int err = static_cast<int>(-static_cast<int64_t>(r.value()));
    std::string_view ename = abi_linux::ErrnoName(err);
    absl::StrAppend(&line, " = -1 ", ename.empty() ? absl::StrCat("errno ", err) : std::string(ename));
  } else if (name == "mmap" || name == "brk" || name == "mremap") {
    absl::StrAppendFormat(&line, " = %#x", r.value());
  } else {
    absl::StrAppend(&line, " = ", static_cast<int64_t>(r.value()));
  }
  return line;
}

void Enable(kernel::KernelConfig& cfg) { cfg.syscall_exit_hook = &OnExit; }

}  // namespace sentry::strace
