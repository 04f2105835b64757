// Directory entries as getdents64 and getdents write them.
//
// Mirrors struct linux_dirent64 (include/linux/dirent.h, exported to userspace as glibc's
// struct dirent64) and struct linux_dirent (fs/readdir.c); DT_* from include/linux/fs_types.h
// (the same values as glibc's <dirent.h>).
//
// Usage:
//   uint16_t reclen = abi_linux::Dirent64RecordLength(name.size());
//   abi_linux::Dirent64 hdr{.d_ino = ino, .d_off = next, .d_reclen = reclen, .d_type = kDT_REG};
//   // copy out abi_linux::kDirent64NameOffset bytes of hdr, then the name and a NUL, padded to
//   // reclen with zeros.

#ifndef ABI_LINUX_DIRENT_H_
#define ABI_LINUX_DIRENT_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// d_type values: the file type bits of the mode, shifted (IFTODT).
inline constexpr uint8_t kDT_UNKNOWN = 0;
inline constexpr uint8_t kDT_FIFO = 1;
inline constexpr uint8_t kDT_CHR = 2;
inline constexpr uint8_t kDT_DIR = 4;
inline constexpr uint8_t kDT_BLK = 6;
inline constexpr uint8_t kDT_REG = 8;
inline constexpr uint8_t kDT_LNK = 10;
inline constexpr uint8_t kDT_SOCK = 12;
inline constexpr uint8_t kDT_WHT = 14;
// IFTODT and DTTOIF (libc defines those names as macros).
constexpr uint8_t IfToDt(uint32_t mode) { return static_cast<uint8_t>((mode & 0170000) >> 12); }
constexpr uint32_t DtToIf(uint8_t type) { return static_cast<uint32_t>(type) << 12; }

// struct linux_dirent64 without its trailing name: the name (NUL-terminated) starts at
// kDirent64NameOffset, not at sizeof(Dirent64), and the record is padded to 8 bytes.
struct Dirent64 {
  uint64_t d_ino;
  int64_t d_off;  // Opaque cookie: the position after this entry.
  uint16_t d_reclen;
  uint8_t d_type;  // DT_*.
  // char d_name[]; follows at offset 19.
};
static_assert(offsetof(Dirent64, d_off) == 8);
static_assert(offsetof(Dirent64, d_reclen) == 16);
static_assert(offsetof(Dirent64, d_type) == 18);
static_assert(sizeof(Dirent64) == 24);  // Padding; the name begins inside it.
inline constexpr std::size_t kDirent64NameOffset = 19;

constexpr std::size_t Dirent64RecordLength(std::size_t name_len) {
  return (kDirent64NameOffset + name_len + 1 + 7) & ~std::size_t{7};
}

// struct linux_dirent (old getdents): the name starts at kLinuxDirentNameOffset, and d_type is the
// record's last byte (after the name's NUL and padding).
struct LinuxDirent {
  uint64_t d_ino;
  int64_t d_off;
  uint16_t d_reclen;
  // char d_name[]; follows at offset 18, then padding, then char d_type at d_reclen - 1.
};
static_assert(offsetof(LinuxDirent, d_off) == 8);
static_assert(offsetof(LinuxDirent, d_reclen) == 16);
inline constexpr std::size_t kLinuxDirentNameOffset = 18;

constexpr std::size_t LinuxDirentRecordLength(std::size_t name_len) {
  return (kLinuxDirentNameOffset + name_len + 2 + 7) & ~std::size_t{7};
}

}  // namespace abi_linux

#endif  // ABI_LINUX_DIRENT_H_
