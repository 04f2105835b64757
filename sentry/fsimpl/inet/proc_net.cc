#include "sentry/fsimpl/inet/proc_net.h"

#include <cstring>

#include "absl/strings/str_format.h"
#include "sentry/fsimpl/inet/inet_socket.h"

namespace sentry::fsimpl::inet {

namespace L = abi_linux;

namespace {

// Linux prints each 32-bit word of the address as the host reads it from
// memory (network byte order in a little-endian integer): 127.0.0.1 is
// 0100007F.
std::string HexAddr(const Addr& a, bool v6) {
  auto word = [&](int i) {
    uint32_t w;
    std::memcpy(&w, a.b.data() + 4 * i, 4);
    return absl::StrFormat("%08X", w);
  };
  if (!v6) return word(3);
  return word(0) + word(1) + word(2) + word(3);
}

}  // namespace

std::string FormatProcNet(ProcNetTable table) {
  const bool tcp = table == ProcNetTable::kTcp || table == ProcNetTable::kTcp6;
  const bool v6 = table == ProcNetTable::kTcp6 || table == ProcNetTable::kUdp6;
  std::string out =
      v6 ? "  sl  local_address                         remote_address                        st "
           "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
         : "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
           "timeout inode\n";
  int n = 0;
  for (const InetSocket::Info& i : InetSocket::Snapshot()) {
    if ((i.type == L::kSOCK_STREAM) != tcp) continue;
    if ((i.family == L::kAF_INET6) != v6) continue;
    // Timers, retransmits and the owner's uid are not kept: shown as 0.
    absl::StrAppendFormat(&out, "%4d: %s:%04X %s:%04X %02X %08X:%08X 00:00000000 %08X %5u %8d %u\n",
                          n++, HexAddr(i.local.addr, v6), i.local.port, HexAddr(i.remote.addr, v6),
                          i.remote.port, i.state, i.tx_queue, i.rx_queue, 0, 0, 0, i.ino);
  }
  return out;
}

}  // namespace sentry::fsimpl::inet
