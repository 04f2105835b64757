// wait4/waitid options and id types, and the wait status encoding.
//
// Mirrors include/uapi/linux/wait.h; the status encoding is the kernel's (kernel/exit.c) and
// matches glibc's W* macros.
//
// Usage:
//   if (options & ~(abi_linux::kWNOHANG | abi_linux::kWUNTRACED | ...)) return -kEINVAL;
//   int status = abi_linux::WaitStatusExited(code);

#ifndef ABI_LINUX_WAIT_H_
#define ABI_LINUX_WAIT_H_

#include <cstdint>


namespace abi_linux {

inline constexpr int kWNOHANG = 0x00000001;
inline constexpr int kWUNTRACED = 0x00000002;
inline constexpr int kWSTOPPED = kWUNTRACED;
inline constexpr int kWEXITED = 0x00000004;
inline constexpr int kWCONTINUED = 0x00000008;
inline constexpr int kWNOWAIT = 0x01000000;    // Don't reap, just poll status.
inline constexpr int kWNOTHREAD = 0x20000000;  // __WNOTHREAD: only this thread's children.
inline constexpr int kWALL = 0x40000000;       // __WALL: all children, regardless of type.
inline constexpr int kWCLONE = static_cast<int>(0x80000000u);  // __WCLONE: non-SIGCHLD only.

// waitid idtype.
inline constexpr int kP_ALL = 0;
inline constexpr int kP_PID = 1;
inline constexpr int kP_PGID = 2;
inline constexpr int kP_PIDFD = 3;

// The int that wait4 stores: exit code in bits 8..15 and 0 in the low byte for a normal exit;
// the signal in bits 0..6 (plus 0x80 if a core was dumped) for a kill; 0x7f in the low byte and
// the stop signal in bits 8..15 for a stop; 0xffff for a continue. The ptrace event stop adds
// the event in bits 16..23.
inline constexpr int kWCOREFLAG = 0x80;
inline constexpr int kWSTOPPEDFLAG = 0x7f;
inline constexpr int kWCONTINUEDSTATUS = 0xffff;
constexpr int WaitStatusExited(int code) { return (code & 0xff) << 8; }
constexpr int WaitStatusSignaled(int sig, bool core) { return (sig & 0x7f) | (core ? 0x80 : 0); }
constexpr int WaitStatusStopped(int sig) { return ((sig & 0xff) << 8) | kWSTOPPEDFLAG; }

}  // namespace abi_linux

#endif  // ABI_LINUX_WAIT_H_
