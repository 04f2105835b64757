// The sandbox's network interfaces as netdevice(7) ioctls show them: only
// lo (index 1, 127.0.0.1/8 and ::1, MTU 65536). Linux answers these on
// every socket, whatever its family (glibc's if_nametoindex(3) asks an
// AF_UNIX socket), so unix sockets use this too.
//
//   return inet::NetDeviceIoctl(mm, request, arg);  // ENOTTY if not one
#ifndef SENTRY_FSIMPL_INET_NETDEVICE_H_
#define SENTRY_FSIMPL_INET_NETDEVICE_H_

#include <cstdint>
#include <string>

#include "sentry/mm/memory_manager.h"
#include "util/errno.h"

namespace sentry::fsimpl::inet {

// lo, the only interface.
inline constexpr int kLoopbackIndex = 1;
inline constexpr char kLoopbackName[] = "lo";
inline constexpr int kLoopbackMtu = 65536;

// SIOCGIFCONF, SIOCGIFNAME, SIOCGIFINDEX, SIOCGIFFLAGS, SIOCGIFADDR,
// SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFMETRIC,
// SIOCGIFTXQLEN on guest memory at `arg`; ENOTTY for other requests,
// ENODEV for names other than lo.
util::ErrnoOr<uint64_t> NetDeviceIoctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg);

}  // namespace sentry::fsimpl::inet

#endif  // SENTRY_FSIMPL_INET_NETDEVICE_H_
