#include "sentry/kernel/syscall_table.h"

#include <algorithm>

namespace sentry::kernel {

const SyscallEntry* SyscallTable::Lookup(int64_t nr) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), nr,
                             [](const SyscallEntry& e, int64_t n) { return e.nr < n; });
  if (it == entries_.end() || it->nr != nr) return nullptr;
  return &*it;
}

}  // namespace sentry::kernel
