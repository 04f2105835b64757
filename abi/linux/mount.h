// mount/umount2 flags and the new mount API (open_tree, move_mount, fsopen, fsmount,
// mount_setattr).
//
// Mirrors include/uapi/linux/mount.h (MS_*, MOVE_MOUNT_*, MOUNT_ATTR_*, struct mount_attr) and the
// umount2 flags of include/linux/fs.h (MNT_*, UMOUNT_NOFOLLOW).
//
// Usage:
//   if (flags & abi_linux::kMS_BIND) ...
//   if (flags & abi_linux::kMNT_DETACH) ...

#ifndef ABI_LINUX_MOUNT_H_
#define ABI_LINUX_MOUNT_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// mount(2) flags.
inline constexpr uint64_t kMS_RDONLY = 1;
inline constexpr uint64_t kMS_NOSUID = 2;
inline constexpr uint64_t kMS_NODEV = 4;
inline constexpr uint64_t kMS_NOEXEC = 8;
inline constexpr uint64_t kMS_SYNCHRONOUS = 16;
inline constexpr uint64_t kMS_REMOUNT = 32;
inline constexpr uint64_t kMS_MANDLOCK = 64;
inline constexpr uint64_t kMS_DIRSYNC = 128;
inline constexpr uint64_t kMS_NOSYMFOLLOW = 256;
inline constexpr uint64_t kMS_NOATIME = 1024;
inline constexpr uint64_t kMS_NODIRATIME = 2048;
inline constexpr uint64_t kMS_BIND = 4096;
inline constexpr uint64_t kMS_MOVE = 8192;
inline constexpr uint64_t kMS_REC = 16384;
inline constexpr uint64_t kMS_VERBOSE = 32768;
inline constexpr uint64_t kMS_SILENT = 32768;
inline constexpr uint64_t kMS_POSIXACL = 1 << 16;
inline constexpr uint64_t kMS_UNBINDABLE = 1 << 17;
inline constexpr uint64_t kMS_PRIVATE = 1 << 18;
inline constexpr uint64_t kMS_SLAVE = 1 << 19;
inline constexpr uint64_t kMS_SHARED = 1 << 20;
inline constexpr uint64_t kMS_RELATIME = 1 << 21;
inline constexpr uint64_t kMS_KERNMOUNT = 1 << 22;
inline constexpr uint64_t kMS_I_VERSION = 1 << 23;
inline constexpr uint64_t kMS_STRICTATIME = 1 << 24;
inline constexpr uint64_t kMS_LAZYTIME = 1 << 25;
// Internal flags, rejected from user space.
inline constexpr uint64_t kMS_SUBMOUNT = 1 << 26;
inline constexpr uint64_t kMS_NOREMOTELOCK = 1 << 27;
inline constexpr uint64_t kMS_NOSEC = 1 << 28;
inline constexpr uint64_t kMS_BORN = 1 << 29;
inline constexpr uint64_t kMS_ACTIVE = 1 << 30;
inline constexpr uint64_t kMS_NOUSER = 1ULL << 31;
// Flags that may change on remount.
inline constexpr uint64_t kMS_RMT_MASK =
    kMS_RDONLY | kMS_SYNCHRONOUS | kMS_MANDLOCK | kMS_I_VERSION | kMS_LAZYTIME;
// Old magic in the high 16 bits of the flags, ignored.
inline constexpr uint64_t kMS_MGC_VAL = 0xC0ED0000;
inline constexpr uint64_t kMS_MGC_MSK = 0xffff0000;

// umount2 flags.
inline constexpr int kMNT_FORCE = 0x00000001;
inline constexpr int kMNT_DETACH = 0x00000002;
inline constexpr int kMNT_EXPIRE = 0x00000004;
inline constexpr int kUMOUNT_NOFOLLOW = 0x00000008;
inline constexpr int kUMOUNT_UNUSED = static_cast<int>(0x80000000u);  // Must be rejected.

// open_tree flags.
inline constexpr unsigned kOPEN_TREE_CLONE = 1;
inline constexpr unsigned kOPEN_TREE_CLOEXEC = 02000000;  // O_CLOEXEC.

// move_mount flags.
inline constexpr unsigned kMOVE_MOUNT_F_SYMLINKS = 0x00000001;
inline constexpr unsigned kMOVE_MOUNT_F_AUTOMOUNTS = 0x00000002;
inline constexpr unsigned kMOVE_MOUNT_F_EMPTY_PATH = 0x00000004;
inline constexpr unsigned kMOVE_MOUNT_T_SYMLINKS = 0x00000010;
inline constexpr unsigned kMOVE_MOUNT_T_AUTOMOUNTS = 0x00000020;
inline constexpr unsigned kMOVE_MOUNT_T_EMPTY_PATH = 0x00000040;
inline constexpr unsigned kMOVE_MOUNT_SET_GROUP = 0x00000100;
inline constexpr unsigned kMOVE_MOUNT__MASK = 0x00000177;

// fsopen / fsmount flags.
inline constexpr unsigned kFSOPEN_CLOEXEC = 0x00000001;
inline constexpr unsigned kFSMOUNT_CLOEXEC = 0x00000001;

// Mount attributes (fsmount, mount_setattr).
inline constexpr uint64_t kMOUNT_ATTR_RDONLY = 0x00000001;
inline constexpr uint64_t kMOUNT_ATTR_NOSUID = 0x00000002;
inline constexpr uint64_t kMOUNT_ATTR_NODEV = 0x00000004;
inline constexpr uint64_t kMOUNT_ATTR_NOEXEC = 0x00000008;
inline constexpr uint64_t kMOUNT_ATTR__ATIME = 0x00000070;
inline constexpr uint64_t kMOUNT_ATTR_RELATIME = 0x00000000;
inline constexpr uint64_t kMOUNT_ATTR_NOATIME = 0x00000010;
inline constexpr uint64_t kMOUNT_ATTR_STRICTATIME = 0x00000020;
inline constexpr uint64_t kMOUNT_ATTR_NODIRATIME = 0x00000080;
inline constexpr uint64_t kMOUNT_ATTR_IDMAP = 0x00100000;
inline constexpr uint64_t kMOUNT_ATTR_NOSYMFOLLOW = 0x00200000;

// struct mount_attr (mount_setattr). Extensible: the size is passed alongside.
struct MountAttr {
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;  // MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE.
  uint64_t userns_fd;    // With MOUNT_ATTR_IDMAP.
};
static_assert(sizeof(MountAttr) == 32);
static_assert(offsetof(MountAttr, attr_clr) == 8);
static_assert(offsetof(MountAttr, propagation) == 16);
static_assert(offsetof(MountAttr, userns_fd) == 24);
inline constexpr std::size_t kMOUNT_ATTR_SIZE_VER0 = 32;

}  // namespace abi_linux

#endif  // ABI_LINUX_MOUNT_H_
