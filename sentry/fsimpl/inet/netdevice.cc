#include "sentry/fsimpl/inet/netdevice.h"

#include <cstring>

#include "abi/linux/if.h"
#include "abi/linux/socket.h"

namespace sentry::fsimpl::inet {

using util::Errno;
using util::ErrnoOr;
namespace L = abi_linux;

namespace {

// An AF_INET sockaddr for `host` (host byte order), as ifr_addr holds it.
L::Sockaddr InetSockaddr(uint32_t host) {
  L::SockaddrIn in{};
  in.sin_family = L::kAF_INET;
  in.sin_addr.s_addr = __builtin_bswap32(host);
  L::Sockaddr sa;
  static_assert(sizeof(sa) == sizeof(in));
  std::memcpy(&sa, &in, sizeof(sa));
  return sa;
}

}  // namespace

ErrnoOr<uint64_t> NetDeviceIoctl(mm::MemoryManager& mm, uint32_t request, uint64_t arg) {
  mm::UserAddr at(arg);
  if (request == L::kSIOCGIFCONF) {
    L::Ifconf conf;
    RETURN_IF_ERRNO(mm.CopyInObj(at, &conf));
    // One entry per interface with an IPv4 address: lo.
    L::Ifreq lo{};
    std::memcpy(lo.ifr_name, kLoopbackName, sizeof(kLoopbackName));
    lo.u.ifr_addr = InetSockaddr(L::kINADDR_LOOPBACK);
    if (conf.ifc_buf == 0) {
      conf.ifc_len = sizeof(L::Ifreq);  // the size needed
    } else if (conf.ifc_len < static_cast<int32_t>(sizeof(L::Ifreq))) {
      conf.ifc_len = 0;
    } else {
      RETURN_IF_ERRNO(mm.CopyOutObj(mm::UserAddr(conf.ifc_buf), lo));
      conf.ifc_len = sizeof(L::Ifreq);
    }
    RETURN_IF_ERRNO(mm.CopyOutObj(at, conf));
    return uint64_t{0};
  }
  switch (request) {
    case L::kSIOCGIFNAME:
    case L::kSIOCGIFINDEX:
    case L::kSIOCGIFFLAGS:
    case L::kSIOCGIFADDR:
    case L::kSIOCGIFNETMASK:
    case L::kSIOCGIFBRDADDR:
    case L::kSIOCGIFMTU:
    case L::kSIOCGIFHWADDR:
    case L::kSIOCGIFMETRIC:
    case L::kSIOCGIFTXQLEN:
      break;
    default:
      return Errno(ENOTTY);
  }
  L::Ifreq req;
  RETURN_IF_ERRNO(mm.CopyInObj(at, &req));
  if (request == L::kSIOCGIFNAME) {
    if (req.u.ifr_ifindex != kLoopbackIndex) return Errno(ENODEV);
    std::memset(req.ifr_name, 0, sizeof(req.ifr_name));
    std::memcpy(req.ifr_name, kLoopbackName, sizeof(kLoopbackName));
    RETURN_IF_ERRNO(mm.CopyOutObj(at, req));
    return uint64_t{0};
  }
  if (strnlen(req.ifr_name, L::kIFNAMSIZ) == L::kIFNAMSIZ) return Errno(ENODEV);
  if (std::strcmp(req.ifr_name, kLoopbackName) != 0) return Errno(ENODEV);
  std::memset(&req.u, 0, sizeof(req.u));
  switch (request) {
    case L::kSIOCGIFINDEX:
      req.u.ifr_ifindex = kLoopbackIndex;
      break;
    case L::kSIOCGIFFLAGS:
      req.u.ifr_flags = L::kIFF_UP | L::kIFF_LOOPBACK | L::kIFF_RUNNING;
      break;
    case L::kSIOCGIFADDR:
      req.u.ifr_addr = InetSockaddr(L::kINADDR_LOOPBACK);
      break;
    case L::kSIOCGIFNETMASK:
      req.u.ifr_addr = InetSockaddr(0xff000000);
      break;
    case L::kSIOCGIFBRDADDR:
      // lo has no broadcast address: Linux reports 0.0.0.0.
      req.u.ifr_addr = InetSockaddr(0);
      break;
    case L::kSIOCGIFMTU:
      req.u.ifr_ifindex = kLoopbackMtu;
      break;
    case L::kSIOCGIFHWADDR:
      req.u.ifr_addr.sa_family = L::kARPHRD_LOOPBACK;
      break;
    case L::kSIOCGIFMETRIC:
      req.u.ifr_ifindex = 0;
      break;
    case L::kSIOCGIFTXQLEN:
      req.u.ifr_ifindex = 1000;  // lo's default tx_queue_len
      break;
  }
  RETURN_IF_ERRNO(mm.CopyOutObj(at, req));
  return uint64_t{0};
}

}  // namespace sentry::fsimpl::inet
