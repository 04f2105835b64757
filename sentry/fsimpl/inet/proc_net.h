// The text of /proc/net/tcp, tcp6, udp and udp6: one line per inet socket
// with a port, in Linux's layout (addresses as the raw 32-bit words in
// hex, ports and states in hex), so netstat-like tools can read them.
//
//   std::string text = inet::FormatProcNet(inet::ProcNetTable::kTcp6);
#ifndef SENTRY_FSIMPL_INET_PROC_NET_H_
#define SENTRY_FSIMPL_INET_PROC_NET_H_

#include <string>

namespace sentry::fsimpl::inet {

enum class ProcNetTable { kTcp, kTcp6, kUdp, kUdp6 };

std::string FormatProcNet(ProcNetTable table);

}  // namespace sentry::fsimpl::inet

#endif  // SENTRY_FSIMPL_INET_PROC_NET_H_
