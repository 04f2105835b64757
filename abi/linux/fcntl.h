// open/openat/openat2 flags, *at() flags, fcntl commands, file locks, seals, file mode bits,
// lseek whence, access modes, rename and close_range flags.
//
// Mirrors include/uapi/asm-generic/fcntl.h (x86-64 uses the generic values), include/uapi/linux/
// fcntl.h, include/uapi/linux/openat2.h, include/uapi/linux/stat.h (S_*), include/uapi/linux/fs.h
// (SEEK_*, RENAME_*), include/uapi/linux/close_range.h, include/linux/stat.h (UTIME_*) and
// include/uapi/linux/unistd.h-era access modes (F_OK...).
//
// Usage:
//   if ((flags & abi_linux::kO_ACCMODE) == abi_linux::kO_WRONLY) ...
//   if (dirfd == abi_linux::kAT_FDCWD) ...
//   if ((mode & abi_linux::kS_IFMT) == abi_linux::kS_IFDIR) ...

#ifndef ABI_LINUX_FCNTL_H_
#define ABI_LINUX_FCNTL_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// open flags (octal, as in the kernel headers).
inline constexpr int kO_ACCMODE = 00000003;
inline constexpr int kO_RDONLY = 00000000;
inline constexpr int kO_WRONLY = 00000001;
inline constexpr int kO_RDWR = 00000002;
inline constexpr int kO_CREAT = 00000100;
inline constexpr int kO_EXCL = 00000200;
inline constexpr int kO_NOCTTY = 00000400;
inline constexpr int kO_TRUNC = 00001000;
inline constexpr int kO_APPEND = 00002000;
inline constexpr int kO_NONBLOCK = 00004000;
inline constexpr int kO_NDELAY = kO_NONBLOCK;
inline constexpr int kO_DSYNC = 00010000;
inline constexpr int kFASYNC = 00020000;  // O_ASYNC.
inline constexpr int kO_ASYNC = kFASYNC;
inline constexpr int kO_DIRECT = 00040000;
inline constexpr int kO_LARGEFILE = 00100000;
inline constexpr int kO_DIRECTORY = 00200000;
inline constexpr int kO_NOFOLLOW = 00400000;
inline constexpr int kO_NOATIME = 01000000;
inline constexpr int kO_CLOEXEC = 02000000;
inline constexpr int k__O_SYNC = 04000000;
inline constexpr int kO_SYNC = k__O_SYNC | kO_DSYNC;
inline constexpr int kO_RSYNC = kO_SYNC;
inline constexpr int kO_PATH = 010000000;
inline constexpr int k__O_TMPFILE = 020000000;
inline constexpr int kO_TMPFILE = k__O_TMPFILE | kO_DIRECTORY;
inline constexpr int kO_TMPFILE_MASK = k__O_TMPFILE | kO_DIRECTORY | kO_CREAT;

// The only flags F_SETFL changes (SETFL_MASK in fs/fcntl.c); it ignores the others.
inline constexpr int kSETFL_MASK =
    kO_APPEND | kO_NONBLOCK | kO_NDELAY | kFASYNC | kO_DIRECT | kO_NOATIME;

// Special dirfd and *at() flags.
inline constexpr int kAT_FDCWD = -100;
inline constexpr int kAT_SYMLINK_NOFOLLOW = 0x100;
inline constexpr int kAT_EACCESS = 0x200;    // faccessat: use effective ids.
inline constexpr int kAT_REMOVEDIR = 0x200;  // unlinkat: remove a directory.
inline constexpr int kAT_SYMLINK_FOLLOW = 0x400;
inline constexpr int kAT_NO_AUTOMOUNT = 0x800;
inline constexpr int kAT_EMPTY_PATH = 0x1000;
inline constexpr int kAT_STATX_SYNC_TYPE = 0x6000;
inline constexpr int kAT_STATX_SYNC_AS_STAT = 0x0000;
inline constexpr int kAT_STATX_FORCE_SYNC = 0x2000;
inline constexpr int kAT_STATX_DONT_SYNC = 0x4000;
inline constexpr int kAT_RECURSIVE = 0x8000;

// fcntl commands.
inline constexpr int kF_DUPFD = 0;
inline constexpr int kF_GETFD = 1;
inline constexpr int kF_SETFD = 2;
inline constexpr int kF_GETFL = 3;
inline constexpr int kF_SETFL = 4;
inline constexpr int kF_GETLK = 5;
inline constexpr int kF_SETLK = 6;
inline constexpr int kF_SETLKW = 7;
inline constexpr int kF_SETOWN = 8;
inline constexpr int kF_GETOWN = 9;
inline constexpr int kF_SETSIG = 10;
inline constexpr int kF_GETSIG = 11;
inline constexpr int kF_SETOWN_EX = 15;
inline constexpr int kF_GETOWN_EX = 16;
inline constexpr int kF_GETOWNER_UIDS = 17;
inline constexpr int kF_OFD_GETLK = 36;
inline constexpr int kF_OFD_SETLK = 37;
inline constexpr int kF_OFD_SETLKW = 38;
inline constexpr int kF_LINUX_SPECIFIC_BASE = 1024;
inline constexpr int kF_SETLEASE = kF_LINUX_SPECIFIC_BASE + 0;
inline constexpr int kF_GETLEASE = kF_LINUX_SPECIFIC_BASE + 1;
inline constexpr int kF_NOTIFY = kF_LINUX_SPECIFIC_BASE + 2;
inline constexpr int kF_DUPFD_QUERY = kF_LINUX_SPECIFIC_BASE + 3;    // 6.10+.
inline constexpr int kF_CREATED_QUERY = kF_LINUX_SPECIFIC_BASE + 4;  // 6.12+.
inline constexpr int kF_CANCELLK = kF_LINUX_SPECIFIC_BASE + 5;
inline constexpr int kF_DUPFD_CLOEXEC = kF_LINUX_SPECIFIC_BASE + 6;
inline constexpr int kF_SETPIPE_SZ = kF_LINUX_SPECIFIC_BASE + 7;
inline constexpr int kF_GETPIPE_SZ = kF_LINUX_SPECIFIC_BASE + 8;
inline constexpr int kF_ADD_SEALS = kF_LINUX_SPECIFIC_BASE + 9;
inline constexpr int kF_GET_SEALS = kF_LINUX_SPECIFIC_BASE + 10;
inline constexpr int kF_GET_RW_HINT = kF_LINUX_SPECIFIC_BASE + 11;
inline constexpr int kF_SET_RW_HINT = kF_LINUX_SPECIFIC_BASE + 12;
inline constexpr int kF_GET_FILE_RW_HINT = kF_LINUX_SPECIFIC_BASE + 13;
inline constexpr int kF_SET_FILE_RW_HINT = kF_LINUX_SPECIFIC_BASE + 14;

// F_GETFD/F_SETFD flag.
inline constexpr int kFD_CLOEXEC = 1;

// F_SETOWN_EX owner types.
inline constexpr int kF_OWNER_TID = 0;
inline constexpr int kF_OWNER_PID = 1;
inline constexpr int kF_OWNER_PGRP = 2;

// Seals (F_ADD_SEALS / F_GET_SEALS).
inline constexpr int kF_SEAL_SEAL = 0x0001;
inline constexpr int kF_SEAL_SHRINK = 0x0002;
inline constexpr int kF_SEAL_GROW = 0x0004;
inline constexpr int kF_SEAL_WRITE = 0x0008;
inline constexpr int kF_SEAL_FUTURE_WRITE = 0x0010;
inline constexpr int kF_SEAL_EXEC = 0x0020;  // 6.3+.

// Record lock types (struct flock l_type) and F_SETLEASE arguments.
inline constexpr int kF_RDLCK = 0;
inline constexpr int kF_WRLCK = 1;
inline constexpr int kF_UNLCK = 2;
inline constexpr int kF_EXLCK = 4;
inline constexpr int kF_SHLCK = 8;

// flock(2) operations.
inline constexpr int kLOCK_SH = 1;
inline constexpr int kLOCK_EX = 2;
inline constexpr int kLOCK_NB = 4;
inline constexpr int kLOCK_UN = 8;
inline constexpr int kLOCK_MAND = 32;

// F_NOTIFY (dnotify) events.
inline constexpr uint32_t kDN_ACCESS = 0x00000001;
inline constexpr uint32_t kDN_MODIFY = 0x00000002;
inline constexpr uint32_t kDN_CREATE = 0x00000004;
inline constexpr uint32_t kDN_DELETE = 0x00000008;
inline constexpr uint32_t kDN_RENAME = 0x00000010;
inline constexpr uint32_t kDN_ATTRIB = 0x00000020;
inline constexpr uint32_t kDN_MULTISHOT = 0x80000000;

// F_SET_RW_HINT values.
inline constexpr uint64_t kRWH_WRITE_LIFE_NOT_SET = 0;
inline constexpr uint64_t kRWH_WRITE_LIFE_NONE = 1;
inline constexpr uint64_t kRWH_WRITE_LIFE_SHORT = 2;
inline constexpr uint64_t kRWH_WRITE_LIFE_MEDIUM = 3;
inline constexpr uint64_t kRWH_WRITE_LIFE_LONG = 4;
inline constexpr uint64_t kRWH_WRITE_LIFE_EXTREME = 5;

// struct flock (x86-64; identical to struct flock64).
struct Flock {
  int16_t l_type;    // F_RDLCK, F_WRLCK, F_UNLCK.
  int16_t l_whence;  // SEEK_SET, SEEK_CUR, SEEK_END.
  int64_t l_start;
  int64_t l_len;  // 0 means "to end of file".
  int32_t l_pid;
};
static_assert(sizeof(Flock) == 32);
static_assert(offsetof(Flock, l_whence) == 2);
static_assert(offsetof(Flock, l_start) == 8);
static_assert(offsetof(Flock, l_len) == 16);
static_assert(offsetof(Flock, l_pid) == 24);

// struct f_owner_ex (F_GETOWN_EX / F_SETOWN_EX).
struct FOwnerEx {
  int32_t type;  // F_OWNER_*.
  int32_t pid;
};
static_assert(sizeof(FOwnerEx) == 8);
static_assert(offsetof(FOwnerEx, pid) == 4);

// openat2 resolve flags (struct open_how resolve).
inline constexpr uint64_t kRESOLVE_NO_XDEV = 0x01;
inline constexpr uint64_t kRESOLVE_NO_MAGICLINKS = 0x02;
inline constexpr uint64_t kRESOLVE_NO_SYMLINKS = 0x04;
inline constexpr uint64_t kRESOLVE_BENEATH = 0x08;
inline constexpr uint64_t kRESOLVE_IN_ROOT = 0x10;
inline constexpr uint64_t kRESOLVE_CACHED = 0x20;

// struct open_how (openat2). Extensible: the size is passed alongside; this is version 0.
struct OpenHow {
  uint64_t flags;    // O_*.
  uint64_t mode;     // Creation mode for O_CREAT/O_TMPFILE.
  uint64_t resolve;  // RESOLVE_*.
};
static_assert(sizeof(OpenHow) == 24);
static_assert(offsetof(OpenHow, mode) == 8);
static_assert(offsetof(OpenHow, resolve) == 16);
inline constexpr std::size_t kOPEN_HOW_SIZE_VER0 = 24;
inline constexpr std::size_t kOPEN_HOW_SIZE_LATEST = kOPEN_HOW_SIZE_VER0;

// renameat2 flags.
inline constexpr unsigned kRENAME_NOREPLACE = 1u << 0;
inline constexpr unsigned kRENAME_EXCHANGE = 1u << 1;
inline constexpr unsigned kRENAME_WHITEOUT = 1u << 2;

// close_range flags.
inline constexpr unsigned kCLOSE_RANGE_UNSHARE = 1u << 1;
inline constexpr unsigned kCLOSE_RANGE_CLOEXEC = 1u << 2;

// File type bits of a mode.
inline constexpr uint32_t kS_IFMT = 00170000;
inline constexpr uint32_t kS_IFSOCK = 0140000;
inline constexpr uint32_t kS_IFLNK = 0120000;
inline constexpr uint32_t kS_IFREG = 0100000;
inline constexpr uint32_t kS_IFBLK = 0060000;
inline constexpr uint32_t kS_IFDIR = 0040000;
inline constexpr uint32_t kS_IFCHR = 0020000;
inline constexpr uint32_t kS_IFIFO = 0010000;

// Permission bits of a mode.
inline constexpr uint32_t kS_ISUID = 0004000;
inline constexpr uint32_t kS_ISGID = 0002000;
inline constexpr uint32_t kS_ISVTX = 0001000;
inline constexpr uint32_t kS_IRWXU = 00700;
inline constexpr uint32_t kS_IRUSR = 00400;
inline constexpr uint32_t kS_IWUSR = 00200;
inline constexpr uint32_t kS_IXUSR = 00100;
inline constexpr uint32_t kS_IRWXG = 00070;
inline constexpr uint32_t kS_IRGRP = 00040;
inline constexpr uint32_t kS_IWGRP = 00020;
inline constexpr uint32_t kS_IXGRP = 00010;
inline constexpr uint32_t kS_IRWXO = 00007;
inline constexpr uint32_t kS_IROTH = 00004;
inline constexpr uint32_t kS_IWOTH = 00002;
inline constexpr uint32_t kS_IXOTH = 00001;
inline constexpr uint32_t kS_IRWXUGO = kS_IRWXU | kS_IRWXG | kS_IRWXO;
inline constexpr uint32_t kS_IALLUGO = kS_ISUID | kS_ISGID | kS_ISVTX | kS_IRWXUGO;

// utimensat special tv_nsec values.
inline constexpr int64_t kUTIME_NOW = (1LL << 30) - 1;
inline constexpr int64_t kUTIME_OMIT = (1LL << 30) - 2;

// lseek whence.
inline constexpr int kSEEK_SET = 0;
inline constexpr int kSEEK_CUR = 1;
inline constexpr int kSEEK_END = 2;
inline constexpr int kSEEK_DATA = 3;
inline constexpr int kSEEK_HOLE = 4;
inline constexpr int kSEEK_MAX = kSEEK_HOLE;

// access/faccessat modes.
inline constexpr int kF_OK = 0;
inline constexpr int kX_OK = 1;
inline constexpr int kW_OK = 2;
inline constexpr int kR_OK = 4;

}  // namespace abi_linux

#endif  // ABI_LINUX_FCNTL_H_
