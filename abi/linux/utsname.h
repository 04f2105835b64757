// uname(2).
//
// Mirrors struct new_utsname in include/uapi/linux/utsname.h (what x86-64 uname returns).
//
// Usage:
//   abi_linux::Utsname u{};
//   std::strncpy(u.sysname, "Linux", abi_linux::kUtsFieldSize - 1);

#ifndef ABI_LINUX_UTSNAME_H_
#define ABI_LINUX_UTSNAME_H_

#include <cstddef>


namespace abi_linux {

inline constexpr int kNEW_UTS_LEN = 64;  // __NEW_UTS_LEN: characters, without the NUL.
inline constexpr std::size_t kUtsFieldSize = kNEW_UTS_LEN + 1;

struct Utsname {
  char sysname[kUtsFieldSize];
  char nodename[kUtsFieldSize];
  char release[kUtsFieldSize];
  char version[kUtsFieldSize];
  char machine[kUtsFieldSize];
  char domainname[kUtsFieldSize];
};
static_assert(sizeof(Utsname) == 390);
static_assert(offsetof(Utsname, nodename) == 65);
static_assert(offsetof(Utsname, release) == 130);
static_assert(offsetof(Utsname, version) == 195);
static_assert(offsetof(Utsname, machine) == 260);
static_assert(offsetof(Utsname, domainname) == 325);

}  // namespace abi_linux

#endif  // ABI_LINUX_UTSNAME_H_
