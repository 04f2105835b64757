// statfs/fstatfs results and file system magic numbers.
//
// Mirrors include/uapi/asm-generic/statfs.h (x86-64: 64-bit words), include/linux/statfs.h
// (ST_* flags in f_flags) and include/uapi/linux/magic.h.
//
// Usage:
//   abi_linux::Statfs st{};
//   st.f_type = abi_linux::kTMPFS_MAGIC;
//   st.f_flags = abi_linux::kST_VALID | abi_linux::kST_NOSUID;

#ifndef ABI_LINUX_STATFS_H_
#define ABI_LINUX_STATFS_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// struct statfs (and statfs64: identical on x86-64).
struct Statfs {
  int64_t f_type;  // *_MAGIC.
  int64_t f_bsize;
  uint64_t f_blocks;
  uint64_t f_bfree;
  uint64_t f_bavail;
  uint64_t f_files;
  uint64_t f_ffree;
  int32_t f_fsid[2];  // __kernel_fsid_t val[2].
  int64_t f_namelen;
  int64_t f_frsize;
  int64_t f_flags;  // ST_*.
  int64_t f_spare[4];
};
static_assert(sizeof(Statfs) == 120);
static_assert(offsetof(Statfs, f_bsize) == 8);
static_assert(offsetof(Statfs, f_blocks) == 16);
static_assert(offsetof(Statfs, f_bavail) == 32);
static_assert(offsetof(Statfs, f_files) == 40);
static_assert(offsetof(Statfs, f_ffree) == 48);
static_assert(offsetof(Statfs, f_fsid) == 56);
static_assert(offsetof(Statfs, f_namelen) == 64);
static_assert(offsetof(Statfs, f_frsize) == 72);
static_assert(offsetof(Statfs, f_flags) == 80);
static_assert(offsetof(Statfs, f_spare) == 88);

// f_flags bits.
inline constexpr int64_t kST_RDONLY = 0x0001;
inline constexpr int64_t kST_NOSUID = 0x0002;
inline constexpr int64_t kST_NODEV = 0x0004;
inline constexpr int64_t kST_NOEXEC = 0x0008;
inline constexpr int64_t kST_SYNCHRONOUS = 0x0010;
inline constexpr int64_t kST_VALID = 0x0020;  // f_flags is supported.
inline constexpr int64_t kST_MANDLOCK = 0x0040;
inline constexpr int64_t kST_NOATIME = 0x0400;
inline constexpr int64_t kST_NODIRATIME = 0x0800;
inline constexpr int64_t kST_RELATIME = 0x1000;
inline constexpr int64_t kST_NOSYMFOLLOW = 0x2000;

// File system magic numbers (f_type).
inline constexpr int64_t kANON_INODE_FS_MAGIC = 0x09041934;
inline constexpr int64_t kBINFMTFS_MAGIC = 0x42494e4d;
inline constexpr int64_t kBPF_FS_MAGIC = 0xcafe4a11;
inline constexpr int64_t kBTRFS_SUPER_MAGIC = 0x9123683E;
inline constexpr int64_t kCGROUP_SUPER_MAGIC = 0x27e0eb;
inline constexpr int64_t kCGROUP2_SUPER_MAGIC = 0x63677270;
inline constexpr int64_t kDEBUGFS_MAGIC = 0x64626720;
inline constexpr int64_t kDEVPTS_SUPER_MAGIC = 0x1cd1;
inline constexpr int64_t kEXT2_SUPER_MAGIC = 0xEF53;
inline constexpr int64_t kEXT3_SUPER_MAGIC = 0xEF53;
inline constexpr int64_t kEXT4_SUPER_MAGIC = 0xEF53;
inline constexpr int64_t kFUSE_SUPER_MAGIC = 0x65735546;
inline constexpr int64_t kHUGETLBFS_MAGIC = 0x958458f6;
inline constexpr int64_t kMQUEUE_MAGIC = 0x19800202;  // ipc/mqueue.c.
inline constexpr int64_t kNFS_SUPER_MAGIC = 0x6969;
inline constexpr int64_t kNSFS_MAGIC = 0x6e736673;
inline constexpr int64_t kOVERLAYFS_SUPER_MAGIC = 0x794c7630;
inline constexpr int64_t kPIPEFS_MAGIC = 0x50495045;
inline constexpr int64_t kPROC_SUPER_MAGIC = 0x9fa0;
inline constexpr int64_t kRAMFS_MAGIC = 0x858458f6;
inline constexpr int64_t kSECURITYFS_MAGIC = 0x73636673;
inline constexpr int64_t kSELINUX_MAGIC = 0xf97cff8c;
inline constexpr int64_t kSOCKFS_MAGIC = 0x534F434B;
inline constexpr int64_t kSQUASHFS_MAGIC = 0x73717368;
inline constexpr int64_t kSYSFS_MAGIC = 0x62656572;
inline constexpr int64_t kTMPFS_MAGIC = 0x01021994;
inline constexpr int64_t kTRACEFS_MAGIC = 0x74726163;
inline constexpr int64_t kV9FS_MAGIC = 0x01021997;
inline constexpr int64_t kXFS_SUPER_MAGIC = 0x58465342;

}  // namespace abi_linux

#endif  // ABI_LINUX_STATFS_H_
