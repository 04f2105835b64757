// IP addresses as the sentry's loopback stack keeps them: every address is
// 16 bytes of IPv6, IPv4 ones in their v4-mapped form (::ffff:a.b.c.d), so
// one comparison serves both families and dual-stack sockets
// (ipv6(7): "IPv4 connections can be handled with the v6 API by using the
// v4-mapped-on-v6 address type").
//
//   Addr a = Addr::V4(0x7f000001);          // 127.0.0.1, host byte order
//   if (a.IsV4() && a.IsLoopback()) ...
#ifndef SENTRY_FSIMPL_INET_ADDRESS_H_
#define SENTRY_FSIMPL_INET_ADDRESS_H_

#include <array>
#include <cstdint>
#include <string>

namespace sentry::fsimpl::inet {

struct Addr {
  std::array<uint8_t, 16> b{};

  // `host` in host byte order.
  static Addr V4(uint32_t host) {
    Addr a;
    a.b[10] = a.b[11] = 0xff;
    a.b[12] = host >> 24;
    a.b[13] = host >> 16;
    a.b[14] = host >> 8;
    a.b[15] = host;
    return a;
  }
  static Addr V6Any() { return Addr{}; }
  static Addr V6Loopback() {
    Addr a;
    a.b[15] = 1;
    return a;
  }

  bool IsV4() const {
    for (int i = 0; i < 10; ++i) {
      if (b[i] != 0) return false;
    }
    return b[10] == 0xff && b[11] == 0xff;
  }
  // The IPv4 address in host byte order (IsV4()).
  uint32_t v4() const {
    return (uint32_t{b[12]} << 24) | (uint32_t{b[13]} << 16) | (uint32_t{b[14]} << 8) | b[15];
  }
  // 0.0.0.0 (v4-mapped) or ::.
  bool IsAny() const { return IsV4() ? v4() == 0 : *this == V6Any(); }
  bool IsV6Any() const { return *this == V6Any(); }
  bool IsV4Any() const { return IsV4() && v4() == 0; }
  // 127.0.0.0/8 or ::1.
  bool IsLoopback() const { return IsV4() ? (v4() >> 24) == 127 : *this == V6Loopback(); }

  bool operator==(const Addr& o) const { return b == o.b; }
  bool operator!=(const Addr& o) const { return b != o.b; }
};

// An address and a port (host byte order).
struct Endpoint {
  Addr addr;
  uint16_t port = 0;
};

}  // namespace sentry::fsimpl::inet

#endif  // SENTRY_FSIMPL_INET_ADDRESS_H_
