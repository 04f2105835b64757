// Limits the kernel enforces: path and name lengths, pipe atomicity, exec argument sizes,
// symlink depth, iovec count, page size.
//
// Mirrors include/uapi/linux/limits.h, plus the kernel-internal limits user space observes:
// MAX_ARG_STRLEN/MAX_ARG_STRINGS (include/uapi/linux/binfmts.h), MAXSYMLINKS
// (include/linux/namei.h), UIO_MAXIOV (include/uapi/linux/uio.h) and PAGE_SIZE on x86-64.
//
// Usage:
//   if (path.size() >= abi_linux::kPATH_MAX) return -kENAMETOOLONG;

#ifndef ABI_LINUX_LIMITS_H_
#define ABI_LINUX_LIMITS_H_

#include <cstdint>


namespace abi_linux {

inline constexpr int kNR_OPEN = 1024;
inline constexpr int kNGROUPS_MAX = 65536;  // Supplementary groups.
inline constexpr int kARG_MAX = 131072;     // Historical; execve really allows 1/4 of the stack.
inline constexpr int kLINK_MAX = 127;
inline constexpr int kMAX_CANON = 255;
inline constexpr int kMAX_INPUT = 255;
inline constexpr int kNAME_MAX = 255;   // Bytes in a path component, excluding the NUL.
inline constexpr int kPATH_MAX = 4096;  // Bytes in a path, including the NUL.
inline constexpr int kPIPE_BUF = 4096;  // Writes up to this size to a pipe are atomic.
inline constexpr int kXATTR_NAME_MAX = 255;
inline constexpr int kXATTR_SIZE_MAX = 65536;
inline constexpr int kXATTR_LIST_MAX = 65536;
inline constexpr int kRTSIG_MAX = 32;

// execve: the longest single argument or environment string (including its NUL), and the most
// strings.
inline constexpr int64_t kPageSize = 4096;
inline constexpr int kPageShift = 12;
inline constexpr int64_t kMAX_ARG_STRLEN = kPageSize * 32;
inline constexpr int kMAX_ARG_STRINGS = 0x7FFFFFFF;
inline constexpr int kBINPRM_BUF_SIZE = 256;  // Bytes of the file execve reads (#! line limit).

// Symlinks followed in one path walk before ELOOP.
inline constexpr int kMaxSymlinkTraversals = 40;  // MAXSYMLINKS.

// iovecs per readv/writev/sendmsg.
inline constexpr int kIOV_MAX = 1024;  // UIO_MAXIOV.

// Bytes a single read/write transfers at most (MAX_RW_COUNT: INT_MAX rounded down to a page).
inline constexpr int64_t kMAX_RW_COUNT = 0x7fffffff & ~(kPageSize - 1);

// The default and minimum pipe capacity (16 pages; F_SETPIPE_SZ may not go below one page) and
// the default /proc/sys/fs/pipe-max-size.
inline constexpr int64_t kPipeDefaultSize = 16 * kPageSize;
inline constexpr int64_t kPipeMinSize = kPageSize;
inline constexpr int64_t kPipeMaxSizeDefault = 1048576;

// Host name and domain name lengths (sethostname/setdomainname), without the NUL.
inline constexpr int kHOST_NAME_MAX = 64;

}  // namespace abi_linux

#endif  // ABI_LINUX_LIMITS_H_
