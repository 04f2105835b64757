// poll/ppoll events and struct pollfd.
//
// Mirrors include/uapi/asm-generic/poll.h (x86-64 uses the generic values).
//
// Usage:
//   abi_linux::PollFd fds[n];  // copied in
//   fds[i].revents = ready & (fds[i].events | abi_linux::kPOLLERR | abi_linux::kPOLLHUP);

#ifndef ABI_LINUX_POLL_H_
#define ABI_LINUX_POLL_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

inline constexpr int16_t kPOLLIN = 0x0001;
inline constexpr int16_t kPOLLPRI = 0x0002;
inline constexpr int16_t kPOLLOUT = 0x0004;
inline constexpr int16_t kPOLLERR = 0x0008;
inline constexpr int16_t kPOLLHUP = 0x0010;
inline constexpr int16_t kPOLLNVAL = 0x0020;
inline constexpr int16_t kPOLLRDNORM = 0x0040;
inline constexpr int16_t kPOLLRDBAND = 0x0080;
inline constexpr int16_t kPOLLWRNORM = 0x0100;
inline constexpr int16_t kPOLLWRBAND = 0x0200;
inline constexpr int16_t kPOLLMSG = 0x0400;
inline constexpr int16_t kPOLLREMOVE = 0x1000;
inline constexpr int16_t kPOLLRDHUP = 0x2000;

// struct pollfd.
struct PollFd {
  int32_t fd;
  int16_t events;   // Requested events.
  int16_t revents;  // Returned events.
};
static_assert(sizeof(PollFd) == 8);
static_assert(offsetof(PollFd, events) == 4);
static_assert(offsetof(PollFd, revents) == 6);

}  // namespace abi_linux

#endif  // ABI_LINUX_POLL_H_
