// Guest addresses are their own type: a UserAddr cannot be dereferenced, only
// handed to the memory manager's CopyIn/CopyOut.
//
//   UserAddr buf = a.Addr(1);
//   RETURN_IF_ERRNO(t.CopyOutObj(buf, stat));
#ifndef SENTRY_MM_USER_ADDR_H_
#define SENTRY_MM_USER_ADDR_H_

#include <cstdint>
#include <optional>

namespace sentry::mm {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kPageMask = kPageSize - 1;

constexpr uint64_t PageDown(uint64_t v) { return v & ~kPageMask; }
// Rounds up to a page; nullopt on overflow.
constexpr std::optional<uint64_t> PageUp(uint64_t v) {
  if (v > ~uint64_t{0} - kPageMask) return std::nullopt;
  return (v + kPageMask) & ~kPageMask;
}
constexpr bool PageAligned(uint64_t v) { return (v & kPageMask) == 0; }

class UserAddr {
 public:
  constexpr UserAddr() = default;
  constexpr explicit UserAddr(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }
  constexpr bool IsNull() const { return v_ == 0; }
  constexpr UserAddr operator+(uint64_t n) const { return UserAddr(v_ + n); }
  friend constexpr bool operator==(UserAddr a, UserAddr b) { return a.v_ == b.v_; }

 private:
  uint64_t v_ = 0;
};

enum class AccessType { kRead, kWrite, kExec };

}  // namespace sentry::mm

#endif  // SENTRY_MM_USER_ADDR_H_
