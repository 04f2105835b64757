// epoll: event bits, epoll_ctl operations, struct epoll_event.
//
// Mirrors include/uapi/linux/eventpoll.h.
//
// Usage:
//   abi_linux::EpollEvent ev;  // copied in by epoll_ctl
//   bool edge = ev.events & abi_linux::kEPOLLET;

#ifndef ABI_LINUX_EPOLL_H_
#define ABI_LINUX_EPOLL_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// epoll_create1 flag (= O_CLOEXEC).
inline constexpr int kEPOLL_CLOEXEC = 02000000;

// epoll_ctl operations.
inline constexpr int kEPOLL_CTL_ADD = 1;
inline constexpr int kEPOLL_CTL_DEL = 2;
inline constexpr int kEPOLL_CTL_MOD = 3;

// Event bits (__poll_t). The low 16 bits are the POLL* values.
inline constexpr uint32_t kEPOLLIN = 0x00000001;
inline constexpr uint32_t kEPOLLPRI = 0x00000002;
inline constexpr uint32_t kEPOLLOUT = 0x00000004;
inline constexpr uint32_t kEPOLLERR = 0x00000008;
inline constexpr uint32_t kEPOLLHUP = 0x00000010;
inline constexpr uint32_t kEPOLLNVAL = 0x00000020;
inline constexpr uint32_t kEPOLLRDNORM = 0x00000040;
inline constexpr uint32_t kEPOLLRDBAND = 0x00000080;
inline constexpr uint32_t kEPOLLWRNORM = 0x00000100;
inline constexpr uint32_t kEPOLLWRBAND = 0x00000200;
inline constexpr uint32_t kEPOLLMSG = 0x00000400;
inline constexpr uint32_t kEPOLLRDHUP = 0x00002000;
// Input-only flags.
inline constexpr uint32_t kEPOLL_URING_WAKE = 1u << 27;  // Kernel-internal (io_uring).
inline constexpr uint32_t kEPOLLEXCLUSIVE = 1u << 28;
inline constexpr uint32_t kEPOLLWAKEUP = 1u << 29;
inline constexpr uint32_t kEPOLLONESHOT = 1u << 30;
inline constexpr uint32_t kEPOLLET = 1u << 31;

// struct epoll_event: packed on x86-64 (12 bytes), so `data` is unaligned.
struct __attribute__((packed)) EpollEvent {
  uint32_t events;
  uint64_t data;  // User data, returned verbatim.
};
static_assert(sizeof(EpollEvent) == 12);
static_assert(offsetof(EpollEvent, data) == 4);

// Maximum maxevents for epoll_wait (EP_MAX_EVENTS in fs/eventpoll.c).
inline constexpr int kEP_MAX_EVENTS = 0x7fffffff / static_cast<int>(sizeof(EpollEvent));

}  // namespace abi_linux

#endif  // ABI_LINUX_EPOLL_H_
