// sysinfo(2).
//
// Mirrors include/uapi/linux/sysinfo.h (x86-64: the libc5 padding _f is empty).
//
// Usage:
//   abi_linux::Sysinfo si{};
//   si.uptime = seconds; si.mem_unit = 1;

#ifndef ABI_LINUX_SYSINFO_H_
#define ABI_LINUX_SYSINFO_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// Load averages are fixed-point with this many fractional bits.
inline constexpr int kSI_LOAD_SHIFT = 16;

struct Sysinfo {
  int64_t uptime;      // Seconds since boot.
  uint64_t loads[3];   // 1, 5 and 15 minute load averages (<< SI_LOAD_SHIFT).
  uint64_t totalram;   // Total usable main memory, in mem_unit.
  uint64_t freeram;    // Available memory.
  uint64_t sharedram;  // Shared memory.
  uint64_t bufferram;  // Memory used by buffers.
  uint64_t totalswap;  // Total swap space.
  uint64_t freeswap;   // Swap space still available.
  uint16_t procs;      // Number of current processes.
  uint16_t pad;
  uint64_t totalhigh;  // Total high memory (0 on x86-64).
  uint64_t freehigh;
  uint32_t mem_unit;  // Memory unit size in bytes.
};
static_assert(sizeof(Sysinfo) == 112);
static_assert(offsetof(Sysinfo, loads) == 8);
static_assert(offsetof(Sysinfo, totalram) == 32);
static_assert(offsetof(Sysinfo, freeswap) == 72);
static_assert(offsetof(Sysinfo, procs) == 80);
static_assert(offsetof(Sysinfo, totalhigh) == 88);
static_assert(offsetof(Sysinfo, freehigh) == 96);
static_assert(offsetof(Sysinfo, mem_unit) == 104);

}  // namespace abi_linux

#endif  // ABI_LINUX_SYSINFO_H_
