// A task's credentials: user and group ids, supplementary groups and
// capability sets, checked by the sentry against its own objects (never by
// the host).
#ifndef SENTRY_AUTH_CREDENTIALS_H_
#define SENTRY_AUTH_CREDENTIALS_H_

#include <cstdint>
#include <vector>

namespace sentry::auth {

struct Credentials {
  uint32_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
  uint32_t rgid = 0, egid = 0, sgid = 0, fsgid = 0;
  std::vector<uint32_t> groups;
  uint64_t cap_effective = 0, cap_permitted = 0, cap_inheritable = 0, cap_bounding = 0;
  uint64_t cap_ambient = 0;

  bool HasCapability(int cap) const { return (cap_effective >> cap) & 1; }

  // Root with every capability, or an ordinary user with none.
  static Credentials ForIds(uint32_t uid, uint32_t gid, std::vector<uint32_t> groups);
};

// CAP_LAST_CAP + 1 bits.
inline constexpr uint64_t kAllCapabilities = (uint64_t{1} << 41) - 1;

inline Credentials Credentials::ForIds(uint32_t uid, uint32_t gid, std::vector<uint32_t> groups) {
  Credentials c;
  c.ruid = c.euid = c.suid = c.fsuid = uid;
  c.rgid = c.egid = c.sgid = c.fsgid = gid;
  c.groups = std::move(groups);
  c.cap_bounding = kAllCapabilities;
  if (uid == 0) c.cap_effective = c.cap_permitted = kAllCapabilities;
  return c;
}

}  // namespace sentry::auth

#endif  // SENTRY_AUTH_CREDENTIALS_H_
