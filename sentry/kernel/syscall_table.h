// The syscall table: one entry per implemented or deliberately refused
// syscall number, declared as data by sentry/syscalls/linux. Numbers with
// no entry return ENOSYS, are logged once and counted.
//
//   constexpr SyscallEntry kEntries[] = {
//       Supported(kNR_read, SysRead),
//       Partial(kNR_ioctl, SysIoctl, "terminal and FIONREAD requests"),
//       Error(kNR_uselib, ENOSYS, "obsolete"),
//   };
#ifndef SENTRY_KERNEL_SYSCALL_TABLE_H_
#define SENTRY_KERNEL_SYSCALL_TABLE_H_

#include <cerrno>
#include <cstdint>
#include <span>
#include <string_view>

#include "abi/linux/syscalls.h"
#include "sentry/mm/user_addr.h"
#include "util/errno.h"

namespace sentry::kernel {

class Task;

// The six argument registers of a syscall.
struct SyscallArgs {
  uint64_t raw[6];
  uint64_t operator[](int i) const { return raw[i]; }
  mm::UserAddr Addr(int i) const { return mm::UserAddr(raw[i]); }
  int Int(int i) const { return static_cast<int>(raw[i]); }
  uint32_t Uint(int i) const { return static_cast<uint32_t>(raw[i]); }
  int64_t Long(int i) const { return static_cast<int64_t>(raw[i]); }
};

// Internal "restart me" errors (include/linux/errno.h). A handler
// interrupted by a signal returns one of them; signal delivery
// (Task::ProcessSignals) turns it into EINTR or rewinds the guest to run
// the syscall again. They never reach the guest.
inline constexpr int kERESTARTSYS = 512;            // restart if SA_RESTART or no handler
inline constexpr int kERESTARTNOINTR = 513;         // always restart
inline constexpr int kERESTARTNOHAND = 514;         // restart only if no handler ran
inline constexpr int kERESTART_RESTARTBLOCK = 516;  // like NOHAND, through restart_syscall(2)

constexpr bool IsRestartErrno(int e) {
  return e == kERESTARTSYS || e == kERESTARTNOINTR || e == kERESTARTNOHAND ||
         e == kERESTART_RESTARTBLOCK;
}

// A handler's answer: a value for rax, an errno, or "the handler already
// set the registers" (exit, execve, rt_sigreturn).
class SyscallResult {
 public:
  SyscallResult(uint64_t v) : v_(v) {}  // NOLINT: implicit by design.
  SyscallResult(int64_t v) : v_(static_cast<uint64_t>(v)) {}  // NOLINT
  SyscallResult(int v) : v_(static_cast<uint64_t>(static_cast<int64_t>(v))) {}  // NOLINT
  SyscallResult(uint32_t v) : v_(v) {}  // NOLINT
  SyscallResult(util::Errno e) : v_(static_cast<uint64_t>(-static_cast<int64_t>(e.value()))) {}  // NOLINT
  template <typename T>
  SyscallResult(const util::ErrnoOr<T>& r)  // NOLINT
      : v_(r.ok() ? static_cast<uint64_t>(r.value())
                  : static_cast<uint64_t>(-static_cast<int64_t>(r.error().value()))) {}
  SyscallResult(const util::ErrnoOrVoid& r)  // NOLINT
      : v_(r.ok() ? 0 : static_cast<uint64_t>(-static_cast<int64_t>(r.error().value()))) {}
  static SyscallResult RegsSet() {
    SyscallResult r(uint64_t{0});
    r.regs_set_ = true;
    return r;
  }
  uint64_t value() const { return v_; }
  bool regs_set() const { return regs_set_; }
  bool is_error() const { return v_ > static_cast<uint64_t>(-4096); }
  // The errno of an error result, 0 otherwise.
  int error() const { return is_error() ? static_cast<int>(-static_cast<int64_t>(v_)) : 0; }
  // EINTR becomes `restart_code` (one of the kERESTART* codes above).
  SyscallResult RestartOnEintr(int restart_code) const {
    if (error() != EINTR) return *this;
    return SyscallResult(util::Errno(restart_code));
  }

 private:
  uint64_t v_;
  bool regs_set_ = false;
};

using SyscallHandler = SyscallResult (*)(Task&, const SyscallArgs&);

enum class Support { kSupported, kPartial, kError };

struct SyscallEntry {
  int nr;
  SyscallHandler handler;  // nullptr for kError
  Support support;
  int error;               // kError: the errno returned
  std::string_view note;
};

constexpr SyscallEntry Supported(int nr, SyscallHandler h) {
  return {nr, h, Support::kSupported, 0, {}};
}
constexpr SyscallEntry Partial(int nr, SyscallHandler h, std::string_view note) {
  return {nr, h, Support::kPartial, 0, note};
}
constexpr SyscallEntry Error(int nr, int err, std::string_view note) {
  return {nr, nullptr, Support::kError, err, note};
}

// Checks at compile time that entries are sorted by number and unique.
constexpr bool SortedAndUnique(std::span<const SyscallEntry> entries) {
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i - 1].nr >= entries[i].nr) return false;
  }
  return true;
}

class SyscallTable {
 public:
  explicit constexpr SyscallTable(std::span<const SyscallEntry> entries) : entries_(entries) {}
  // The entry for nr, or nullptr (ENOSYS).
  const SyscallEntry* Lookup(int64_t nr) const;
  std::span<const SyscallEntry> entries() const { return entries_; }

 private:
  std::span<const SyscallEntry> entries_;
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_SYSCALL_TABLE_H_
