// stat/fstat/lstat/newfstatat and statx results.
//
// Mirrors arch/x86/include/uapi/asm/stat.h (the x86-64 struct stat) and include/uapi/linux/stat.h
// (struct statx, STATX_*). File type and permission bits (S_IF*, S_I*) are in abi/linux/fcntl.h.
//
// Usage:
//   abi_linux::Stat st{};
//   st.st_mode = abi_linux::kS_IFREG | 0644;
//   st.st_mtim = {.tv_sec = 1, .tv_nsec = 0};

#ifndef ABI_LINUX_STAT_H_
#define ABI_LINUX_STAT_H_

#include <cstddef>
#include <cstdint>

#include "abi/linux/time.h"

namespace abi_linux {

// struct stat, x86-64. The kernel declares each time as two fields, st_atime and st_atime_nsec;
// they are spelled here as one Timespec, st_atim, with the same layout, because libc #defines
// st_atime (as st_atim.tv_sec) and the sentry includes libc headers. With <sys/stat.h> included,
// st.st_atime still works, through that macro.
struct Stat {
  uint64_t st_dev;
  uint64_t st_ino;
  uint64_t st_nlink;
  uint32_t st_mode;
  uint32_t st_uid;
  uint32_t st_gid;
  uint32_t pad0;
  uint64_t st_rdev;
  int64_t st_size;
  int64_t st_blksize;
  int64_t st_blocks;  // Number of 512-byte blocks allocated.
  Timespec st_atim;   // Kernel: st_atime, st_atime_nsec.
  Timespec st_mtim;   // Kernel: st_mtime, st_mtime_nsec.
  Timespec st_ctim;   // Kernel: st_ctime, st_ctime_nsec.
  int64_t unused[3];
};
static_assert(sizeof(Stat) == 144);
static_assert(offsetof(Stat, st_ino) == 8);
static_assert(offsetof(Stat, st_nlink) == 16);
static_assert(offsetof(Stat, st_mode) == 24);
static_assert(offsetof(Stat, st_uid) == 28);
static_assert(offsetof(Stat, st_gid) == 32);
static_assert(offsetof(Stat, st_rdev) == 40);
static_assert(offsetof(Stat, st_size) == 48);
static_assert(offsetof(Stat, st_blksize) == 56);
static_assert(offsetof(Stat, st_blocks) == 64);
static_assert(offsetof(Stat, st_atim) == 72);
static_assert(offsetof(Stat, st_mtim) == 88);
static_assert(offsetof(Stat, st_ctim) == 104);
static_assert(offsetof(Stat, unused) == 120);

// struct statx_timestamp.
struct StatxTimestamp {
  int64_t tv_sec;
  uint32_t tv_nsec;
  int32_t reserved;
};
static_assert(sizeof(StatxTimestamp) == 16);
static_assert(offsetof(StatxTimestamp, tv_nsec) == 8);

// struct statx. The fields after stx_dio_offset_align were spare before the version noted.
struct Statx {
  uint32_t stx_mask;        // STATX_* bits: what results were written.
  uint32_t stx_blksize;     // Preferred general I/O size.
  uint64_t stx_attributes;  // STATX_ATTR_* flags.
  uint32_t stx_nlink;
  uint32_t stx_uid;
  uint32_t stx_gid;
  uint16_t stx_mode;
  uint16_t spare0[1];
  uint64_t stx_ino;
  uint64_t stx_size;
  uint64_t stx_blocks;           // Number of 512-byte blocks allocated.
  uint64_t stx_attributes_mask;  // Which STATX_ATTR_* bits stx_attributes can report.
  StatxTimestamp stx_atime;
  StatxTimestamp stx_btime;  // Creation time.
  StatxTimestamp stx_ctime;
  StatxTimestamp stx_mtime;
  uint32_t stx_rdev_major;  // Device of a special file.
  uint32_t stx_rdev_minor;
  uint32_t stx_dev_major;  // Device containing the file.
  uint32_t stx_dev_minor;
  uint64_t stx_mnt_id;
  uint32_t stx_dio_mem_align;              // Memory buffer alignment for direct I/O (6.1+).
  uint32_t stx_dio_offset_align;           // File offset alignment for direct I/O (6.1+).
  uint64_t stx_subvol;                     // Subvolume identifier (6.10+).
  uint32_t stx_atomic_write_unit_min;      // 6.11+.
  uint32_t stx_atomic_write_unit_max;      // 6.11+.
  uint32_t stx_atomic_write_segments_max;  // 6.11+.
  uint32_t spare1[1];
  uint64_t spare3[9];
};
static_assert(sizeof(Statx) == 256);
static_assert(offsetof(Statx, stx_blksize) == 0x04);
static_assert(offsetof(Statx, stx_attributes) == 0x08);
static_assert(offsetof(Statx, stx_nlink) == 0x10);
static_assert(offsetof(Statx, stx_uid) == 0x14);
static_assert(offsetof(Statx, stx_gid) == 0x18);
static_assert(offsetof(Statx, stx_mode) == 0x1c);
static_assert(offsetof(Statx, stx_ino) == 0x20);
static_assert(offsetof(Statx, stx_size) == 0x28);
static_assert(offsetof(Statx, stx_blocks) == 0x30);
static_assert(offsetof(Statx, stx_attributes_mask) == 0x38);
static_assert(offsetof(Statx, stx_atime) == 0x40);
static_assert(offsetof(Statx, stx_btime) == 0x50);
static_assert(offsetof(Statx, stx_ctime) == 0x60);
static_assert(offsetof(Statx, stx_mtime) == 0x70);
static_assert(offsetof(Statx, stx_rdev_major) == 0x80);
static_assert(offsetof(Statx, stx_rdev_minor) == 0x84);
static_assert(offsetof(Statx, stx_dev_major) == 0x88);
static_assert(offsetof(Statx, stx_dev_minor) == 0x8c);
static_assert(offsetof(Statx, stx_mnt_id) == 0x90);
static_assert(offsetof(Statx, stx_dio_mem_align) == 0x98);
static_assert(offsetof(Statx, stx_dio_offset_align) == 0x9c);
static_assert(offsetof(Statx, stx_subvol) == 0xa0);
static_assert(offsetof(Statx, stx_atomic_write_unit_min) == 0xa8);
static_assert(offsetof(Statx, stx_atomic_write_segments_max) == 0xb0);
static_assert(offsetof(Statx, spare3) == 0xb8);

// statx mask bits (requested in the mask argument, reported in stx_mask).
inline constexpr uint32_t kSTATX_TYPE = 0x00000001u;
inline constexpr uint32_t kSTATX_MODE = 0x00000002u;
inline constexpr uint32_t kSTATX_NLINK = 0x00000004u;
inline constexpr uint32_t kSTATX_UID = 0x00000008u;
inline constexpr uint32_t kSTATX_GID = 0x00000010u;
inline constexpr uint32_t kSTATX_ATIME = 0x00000020u;
inline constexpr uint32_t kSTATX_MTIME = 0x00000040u;
inline constexpr uint32_t kSTATX_CTIME = 0x00000080u;
inline constexpr uint32_t kSTATX_INO = 0x00000100u;
inline constexpr uint32_t kSTATX_SIZE = 0x00000200u;
inline constexpr uint32_t kSTATX_BLOCKS = 0x00000400u;
inline constexpr uint32_t kSTATX_BASIC_STATS = 0x000007ffu;
inline constexpr uint32_t kSTATX_BTIME = 0x00000800u;
inline constexpr uint32_t kSTATX_ALL = 0x00000fffu;  // Deprecated.
inline constexpr uint32_t kSTATX_MNT_ID = 0x00001000u;
inline constexpr uint32_t kSTATX_DIOALIGN = 0x00002000u;
inline constexpr uint32_t kSTATX_MNT_ID_UNIQUE = 0x00004000u;  // 6.8+.
inline constexpr uint32_t kSTATX_SUBVOL = 0x00008000u;         // 6.10+.
inline constexpr uint32_t kSTATX_WRITE_ATOMIC = 0x00010000u;   // 6.11+.
inline constexpr uint32_t kSTATX__RESERVED = 0x80000000u;      // Must be rejected (EINVAL).

// stx_attributes bits.
inline constexpr uint64_t kSTATX_ATTR_COMPRESSED = 0x00000004;
inline constexpr uint64_t kSTATX_ATTR_IMMUTABLE = 0x00000010;
inline constexpr uint64_t kSTATX_ATTR_APPEND = 0x00000020;
inline constexpr uint64_t kSTATX_ATTR_NODUMP = 0x00000040;
inline constexpr uint64_t kSTATX_ATTR_ENCRYPTED = 0x00000800;
inline constexpr uint64_t kSTATX_ATTR_AUTOMOUNT = 0x00001000;
inline constexpr uint64_t kSTATX_ATTR_MOUNT_ROOT = 0x00002000;
inline constexpr uint64_t kSTATX_ATTR_VERITY = 0x00100000;
inline constexpr uint64_t kSTATX_ATTR_DAX = 0x00200000;
inline constexpr uint64_t kSTATX_ATTR_WRITE_ATOMIC = 0x00400000;  // 6.11+.

}  // namespace abi_linux

#endif  // ABI_LINUX_STAT_H_
