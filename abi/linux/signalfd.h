// signalfd: flags and the record read(2) returns.
//
// Mirrors include/uapi/linux/signalfd.h.
//
// Usage:
//   abi_linux::SignalfdSiginfo si{};
//   si.ssi_signo = info.si_signo;

#ifndef ABI_LINUX_SIGNALFD_H_
#define ABI_LINUX_SIGNALFD_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

inline constexpr int kSFD_CLOEXEC = 02000000;   // O_CLOEXEC.
inline constexpr int kSFD_NONBLOCK = 00004000;  // O_NONBLOCK.

// struct signalfd_siginfo: fixed 128 bytes.
struct SignalfdSiginfo {
  uint32_t ssi_signo;
  int32_t ssi_errno;
  int32_t ssi_code;
  uint32_t ssi_pid;
  uint32_t ssi_uid;
  int32_t ssi_fd;
  uint32_t ssi_tid;  // Kernel timer id.
  uint32_t ssi_band;
  uint32_t ssi_overrun;
  uint32_t ssi_trapno;
  int32_t ssi_status;
  int32_t ssi_int;
  uint64_t ssi_ptr;
  uint64_t ssi_utime;
  uint64_t ssi_stime;
  uint64_t ssi_addr;
  uint16_t ssi_addr_lsb;
  uint16_t pad2;
  int32_t ssi_syscall;
  uint64_t ssi_call_addr;
  uint32_t ssi_arch;
  uint8_t pad[28];
};
static_assert(sizeof(SignalfdSiginfo) == 128);
static_assert(offsetof(SignalfdSiginfo, ssi_errno) == 4);
static_assert(offsetof(SignalfdSiginfo, ssi_pid) == 12);
static_assert(offsetof(SignalfdSiginfo, ssi_status) == 40);
static_assert(offsetof(SignalfdSiginfo, ssi_ptr) == 48);
static_assert(offsetof(SignalfdSiginfo, ssi_utime) == 56);
static_assert(offsetof(SignalfdSiginfo, ssi_addr) == 72);
static_assert(offsetof(SignalfdSiginfo, ssi_addr_lsb) == 80);
static_assert(offsetof(SignalfdSiginfo, ssi_syscall) == 84);
static_assert(offsetof(SignalfdSiginfo, ssi_call_addr) == 88);
static_assert(offsetof(SignalfdSiginfo, ssi_arch) == 96);
static_assert(offsetof(SignalfdSiginfo, pad) == 100);

}  // namespace abi_linux

#endif  // ABI_LINUX_SIGNALFD_H_
