// POSIX capabilities: capget/capset, capability numbers, file capability xattrs, securebits.
//
// Mirrors include/uapi/linux/capability.h and include/uapi/linux/securebits.h.
//
// Usage:
//   uint64_t effective = ...;
//   bool can_chown = effective & abi_linux::CapabilityBit(abi_linux::kCAP_CHOWN);

#ifndef ABI_LINUX_CAPABILITY_H_
#define ABI_LINUX_CAPABILITY_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

inline constexpr uint32_t k_LINUX_CAPABILITY_VERSION_1 = 0x19980330;
inline constexpr int k_LINUX_CAPABILITY_U32S_1 = 1;
inline constexpr uint32_t k_LINUX_CAPABILITY_VERSION_2 = 0x20071026;  // Deprecated.
inline constexpr int k_LINUX_CAPABILITY_U32S_2 = 2;
inline constexpr uint32_t k_LINUX_CAPABILITY_VERSION_3 = 0x20080522;
inline constexpr int k_LINUX_CAPABILITY_U32S_3 = 2;

// struct __user_cap_header_struct.
struct CapUserHeader {
  uint32_t version;  // _LINUX_CAPABILITY_VERSION_*.
  int32_t pid;
};
static_assert(sizeof(CapUserHeader) == 8);
static_assert(offsetof(CapUserHeader, pid) == 4);

// struct __user_cap_data_struct. Versions 2 and 3 pass an array of two: bits 0..31, 32..63.
struct CapUserData {
  uint32_t effective;
  uint32_t permitted;
  uint32_t inheritable;
};
static_assert(sizeof(CapUserData) == 12);
static_assert(offsetof(CapUserData, permitted) == 4);
static_assert(offsetof(CapUserData, inheritable) == 8);

// Capabilities.
inline constexpr int kCAP_CHOWN = 0;
inline constexpr int kCAP_DAC_OVERRIDE = 1;
inline constexpr int kCAP_DAC_READ_SEARCH = 2;
inline constexpr int kCAP_FOWNER = 3;
inline constexpr int kCAP_FSETID = 4;
inline constexpr int kCAP_KILL = 5;
inline constexpr int kCAP_SETGID = 6;
inline constexpr int kCAP_SETUID = 7;
inline constexpr int kCAP_SETPCAP = 8;
inline constexpr int kCAP_LINUX_IMMUTABLE = 9;
inline constexpr int kCAP_NET_BIND_SERVICE = 10;
inline constexpr int kCAP_NET_BROADCAST = 11;
inline constexpr int kCAP_NET_ADMIN = 12;
inline constexpr int kCAP_NET_RAW = 13;
inline constexpr int kCAP_IPC_LOCK = 14;
inline constexpr int kCAP_IPC_OWNER = 15;
inline constexpr int kCAP_SYS_MODULE = 16;
inline constexpr int kCAP_SYS_RAWIO = 17;
inline constexpr int kCAP_SYS_CHROOT = 18;
inline constexpr int kCAP_SYS_PTRACE = 19;
inline constexpr int kCAP_SYS_PACCT = 20;
inline constexpr int kCAP_SYS_ADMIN = 21;
inline constexpr int kCAP_SYS_BOOT = 22;
inline constexpr int kCAP_SYS_NICE = 23;
inline constexpr int kCAP_SYS_RESOURCE = 24;
inline constexpr int kCAP_SYS_TIME = 25;
inline constexpr int kCAP_SYS_TTY_CONFIG = 26;
inline constexpr int kCAP_MKNOD = 27;
inline constexpr int kCAP_LEASE = 28;
inline constexpr int kCAP_AUDIT_WRITE = 29;
inline constexpr int kCAP_AUDIT_CONTROL = 30;
inline constexpr int kCAP_SETFCAP = 31;
inline constexpr int kCAP_MAC_OVERRIDE = 32;
inline constexpr int kCAP_MAC_ADMIN = 33;
inline constexpr int kCAP_SYSLOG = 34;
inline constexpr int kCAP_WAKE_ALARM = 35;
inline constexpr int kCAP_BLOCK_SUSPEND = 36;
inline constexpr int kCAP_AUDIT_READ = 37;
inline constexpr int kCAP_PERFMON = 38;
inline constexpr int kCAP_BPF = 39;
inline constexpr int kCAP_CHECKPOINT_RESTORE = 40;
inline constexpr int kCAP_LAST_CAP = kCAP_CHECKPOINT_RESTORE;

// A capability set as one 64-bit mask.
constexpr uint64_t CapabilityBit(int cap) { return uint64_t{1} << cap; }
inline constexpr uint64_t kAllCapabilities = (uint64_t{1} << (kCAP_LAST_CAP + 1)) - 1;

// File capabilities (the security.capability xattr, struct vfs_cap_data / vfs_ns_cap_data).
inline constexpr uint32_t kVFS_CAP_REVISION_MASK = 0xFF000000;
inline constexpr uint32_t kVFS_CAP_REVISION_SHIFT = 24;
inline constexpr uint32_t kVFS_CAP_FLAGS_MASK = ~kVFS_CAP_REVISION_MASK;
inline constexpr uint32_t kVFS_CAP_FLAGS_EFFECTIVE = 0x000001;
inline constexpr uint32_t kVFS_CAP_REVISION_1 = 0x01000000;
inline constexpr uint32_t kVFS_CAP_REVISION_2 = 0x02000000;
inline constexpr uint32_t kVFS_CAP_REVISION_3 = 0x03000000;
inline constexpr std::size_t kXATTR_CAPS_SZ_1 = 4 * (1 + 2 * 1);
inline constexpr std::size_t kXATTR_CAPS_SZ_2 = 4 * (1 + 2 * 2);
inline constexpr std::size_t kXATTR_CAPS_SZ_3 = 4 * (2 + 2 * 2);

// Securebits (PR_GET_SECUREBITS/PR_SET_SECUREBITS).
inline constexpr int kSECURE_NOROOT = 0;
inline constexpr int kSECURE_NOROOT_LOCKED = 1;
inline constexpr int kSECURE_NO_SETUID_FIXUP = 2;
inline constexpr int kSECURE_NO_SETUID_FIXUP_LOCKED = 3;
inline constexpr int kSECURE_KEEP_CAPS = 4;
inline constexpr int kSECURE_KEEP_CAPS_LOCKED = 5;
inline constexpr int kSECURE_NO_CAP_AMBIENT_RAISE = 6;
inline constexpr int kSECURE_NO_CAP_AMBIENT_RAISE_LOCKED = 7;
inline constexpr uint32_t kSECBIT_NOROOT = 1u << kSECURE_NOROOT;
inline constexpr uint32_t kSECBIT_NOROOT_LOCKED = 1u << kSECURE_NOROOT_LOCKED;
inline constexpr uint32_t kSECBIT_NO_SETUID_FIXUP = 1u << kSECURE_NO_SETUID_FIXUP;
inline constexpr uint32_t kSECBIT_NO_SETUID_FIXUP_LOCKED = 1u << kSECURE_NO_SETUID_FIXUP_LOCKED;
inline constexpr uint32_t kSECBIT_KEEP_CAPS = 1u << kSECURE_KEEP_CAPS;
inline constexpr uint32_t kSECBIT_KEEP_CAPS_LOCKED = 1u << kSECURE_KEEP_CAPS_LOCKED;
inline constexpr uint32_t kSECBIT_NO_CAP_AMBIENT_RAISE = 1u << kSECURE_NO_CAP_AMBIENT_RAISE;
inline constexpr uint32_t kSECBIT_NO_CAP_AMBIENT_RAISE_LOCKED =
    1u << kSECURE_NO_CAP_AMBIENT_RAISE_LOCKED;
inline constexpr uint32_t kSECURE_ALL_BITS =
    kSECBIT_NOROOT | kSECBIT_NO_SETUID_FIXUP | kSECBIT_KEEP_CAPS | kSECBIT_NO_CAP_AMBIENT_RAISE;
inline constexpr uint32_t kSECURE_ALL_LOCKS = kSECURE_ALL_BITS << 1;

}  // namespace abi_linux

#endif  // ABI_LINUX_CAPABILITY_H_
