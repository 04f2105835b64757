// Scatter/gather I/O: readv/writev/preadv2/pwritev2, process_vm_readv.
//
// Mirrors include/uapi/linux/uio.h and the RWF_* flags of include/uapi/linux/fs.h.
//
// Usage:
//   abi_linux::Iovec iov[abi_linux::kUIO_MAXIOV];  // copied in, iov_base is a guest address

#ifndef ABI_LINUX_UIO_H_
#define ABI_LINUX_UIO_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// struct iovec. iov_base is a guest address, never dereferenced by the sentry.
struct Iovec {
  uint64_t iov_base;
  uint64_t iov_len;
};
static_assert(sizeof(Iovec) == 16);
static_assert(offsetof(Iovec, iov_len) == 8);

inline constexpr int kUIO_FASTIOV = 8;
inline constexpr int kUIO_MAXIOV = 1024;

// preadv2/pwritev2 flags (__kernel_rwf_t).
inline constexpr int kRWF_HIPRI = 0x00000001;
inline constexpr int kRWF_DSYNC = 0x00000002;
inline constexpr int kRWF_SYNC = 0x00000004;
inline constexpr int kRWF_NOWAIT = 0x00000008;
inline constexpr int kRWF_APPEND = 0x00000010;
inline constexpr int kRWF_NOAPPEND = 0x00000020;   // 6.9+.
inline constexpr int kRWF_ATOMIC = 0x00000040;     // 6.11+.
inline constexpr int kRWF_DONTCACHE = 0x00000080;  // 6.14+.
// The flags the host headers' kernel (6.1) supports.
inline constexpr int kRWF_SUPPORTED_6_1 =
    kRWF_HIPRI | kRWF_DSYNC | kRWF_SYNC | kRWF_NOWAIT | kRWF_APPEND;

}  // namespace abi_linux

#endif  // ABI_LINUX_UIO_H_
