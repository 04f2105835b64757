// Network interfaces: struct ifreq and struct ifconf (the SIOCGIF* ioctls)
// and the interface flags.
//
// Mirrors include/uapi/linux/if.h and include/uapi/linux/if_arp.h
// (ARPHRD_LOOPBACK).
//
// Usage:
//   abi_linux::Ifreq req;
//   if (std::string(req.ifr_name, strnlen(req.ifr_name, kIFNAMSIZ)) == "lo") ...
#ifndef ABI_LINUX_IF_H_
#define ABI_LINUX_IF_H_

#include <cstddef>
#include <cstdint>

#include "abi/linux/socket.h"

namespace abi_linux {

inline constexpr int kIFNAMSIZ = 16;

// Interface flags (ifr_flags is a short: the flags above bit 15 are not
// reported through it).
inline constexpr int kIFF_UP = 0x1;
inline constexpr int kIFF_BROADCAST = 0x2;
inline constexpr int kIFF_LOOPBACK = 0x8;
inline constexpr int kIFF_RUNNING = 0x40;
inline constexpr int kIFF_LOWER_UP = 0x10000;

inline constexpr uint16_t kARPHRD_LOOPBACK = 772;

// struct ifreq: a name and one of the union's members.
struct Ifreq {
  char ifr_name[kIFNAMSIZ];
  union {
    Sockaddr ifr_addr;  // ifr_addr, ifr_netmask, ifr_hwaddr, ...
    int16_t ifr_flags;
    int32_t ifr_ifindex;  // also ifr_metric, ifr_mtu, ifr_qlen
    char ifr_slave[kIFNAMSIZ];
    uint8_t pad[24];  // struct ifmap, the largest member
  } u;
};
static_assert(sizeof(Ifreq) == 40);
static_assert(offsetof(Ifreq, u) == 16);

// struct ifconf; ifc_buf is a guest address.
struct Ifconf {
  int32_t ifc_len;
  int32_t pad;
  uint64_t ifc_buf;
};
static_assert(sizeof(Ifconf) == 16);
static_assert(offsetof(Ifconf, ifc_buf) == 8);

}  // namespace abi_linux

#endif  // ABI_LINUX_IF_H_
