// Memory mapping: mmap, mprotect, mremap, madvise, msync, mlock(all), pkeys.
//
// Mirrors include/uapi/asm-generic/mman-common.h, include/uapi/asm-generic/mman.h,
// arch/x86/include/uapi/asm/mman.h, include/uapi/linux/mman.h and
// include/uapi/asm-generic/hugetlb_encode.h.
//
// Usage:
//   if (prot & ~(abi_linux::kPROT_READ | abi_linux::kPROT_WRITE | abi_linux::kPROT_EXEC)) ...
//   bool fixed = flags & abi_linux::kMAP_FIXED;

#ifndef ABI_LINUX_MMAN_H_
#define ABI_LINUX_MMAN_H_


namespace abi_linux {

// mmap/mprotect prot.
inline constexpr int kPROT_NONE = 0x0;
inline constexpr int kPROT_READ = 0x1;
inline constexpr int kPROT_WRITE = 0x2;
inline constexpr int kPROT_EXEC = 0x4;
inline constexpr int kPROT_SEM = 0x8;
inline constexpr int kPROT_GROWSDOWN = 0x01000000;  // mprotect only.
inline constexpr int kPROT_GROWSUP = 0x02000000;    // mprotect only.

// mmap flags: mapping type (MAP_TYPE bits).
inline constexpr int kMAP_SHARED = 0x01;
inline constexpr int kMAP_PRIVATE = 0x02;
inline constexpr int kMAP_SHARED_VALIDATE = 0x03;  // MAP_SHARED, rejecting unknown flags.
inline constexpr int kMAP_TYPE = 0x0f;

// mmap flags.
inline constexpr int kMAP_FIXED = 0x10;
inline constexpr int kMAP_ANONYMOUS = 0x20;
inline constexpr int kMAP_ANON = kMAP_ANONYMOUS;
inline constexpr int kMAP_32BIT = 0x40;  // x86-64 only.
inline constexpr int kMAP_FILE = 0;
inline constexpr int kMAP_GROWSDOWN = 0x0100;
inline constexpr int kMAP_DENYWRITE = 0x0800;   // Ignored.
inline constexpr int kMAP_EXECUTABLE = 0x1000;  // Ignored.
inline constexpr int kMAP_LOCKED = 0x2000;
inline constexpr int kMAP_NORESERVE = 0x4000;
inline constexpr int kMAP_POPULATE = 0x008000;
inline constexpr int kMAP_NONBLOCK = 0x010000;
inline constexpr int kMAP_STACK = 0x020000;
inline constexpr int kMAP_HUGETLB = 0x040000;
inline constexpr int kMAP_SYNC = 0x080000;  // Only with MAP_SHARED_VALIDATE.
inline constexpr int kMAP_FIXED_NOREPLACE = 0x100000;
inline constexpr int kMAP_UNINITIALIZED = 0x4000000;

// Huge page size encoding in mmap flags (and memfd_create, shmget) with MAP_HUGETLB: log2 of the
// page size in bits [26:31].
inline constexpr int kMAP_HUGE_SHIFT = 26;
inline constexpr int kMAP_HUGE_MASK = 0x3f;
inline constexpr int kMAP_HUGE_64KB = 16 << kMAP_HUGE_SHIFT;
inline constexpr int kMAP_HUGE_2MB = 21 << kMAP_HUGE_SHIFT;
inline constexpr int kMAP_HUGE_1GB = 30 << kMAP_HUGE_SHIFT;

// mremap flags.
inline constexpr int kMREMAP_MAYMOVE = 1;
inline constexpr int kMREMAP_FIXED = 2;
inline constexpr int kMREMAP_DONTUNMAP = 4;

// madvise advice.
inline constexpr int kMADV_NORMAL = 0;
inline constexpr int kMADV_RANDOM = 1;
inline constexpr int kMADV_SEQUENTIAL = 2;
inline constexpr int kMADV_WILLNEED = 3;
inline constexpr int kMADV_DONTNEED = 4;
inline constexpr int kMADV_FREE = 8;
inline constexpr int kMADV_REMOVE = 9;
inline constexpr int kMADV_DONTFORK = 10;
inline constexpr int kMADV_DOFORK = 11;
inline constexpr int kMADV_MERGEABLE = 12;
inline constexpr int kMADV_UNMERGEABLE = 13;
inline constexpr int kMADV_HUGEPAGE = 14;
inline constexpr int kMADV_NOHUGEPAGE = 15;
inline constexpr int kMADV_DONTDUMP = 16;
inline constexpr int kMADV_DODUMP = 17;
inline constexpr int kMADV_WIPEONFORK = 18;
inline constexpr int kMADV_KEEPONFORK = 19;
inline constexpr int kMADV_COLD = 20;
inline constexpr int kMADV_PAGEOUT = 21;
inline constexpr int kMADV_POPULATE_READ = 22;
inline constexpr int kMADV_POPULATE_WRITE = 23;
inline constexpr int kMADV_DONTNEED_LOCKED = 24;
inline constexpr int kMADV_COLLAPSE = 25;
inline constexpr int kMADV_HWPOISON = 100;
inline constexpr int kMADV_SOFT_OFFLINE = 101;

// msync flags.
inline constexpr int kMS_ASYNC = 1;
inline constexpr int kMS_INVALIDATE = 2;
inline constexpr int kMS_SYNC = 4;

// mlockall flags.
inline constexpr int kMCL_CURRENT = 1;
inline constexpr int kMCL_FUTURE = 2;
inline constexpr int kMCL_ONFAULT = 4;

// mlock2 flags.
inline constexpr int kMLOCK_ONFAULT = 0x01;

// pkey_alloc access rights.
inline constexpr int kPKEY_DISABLE_ACCESS = 0x1;
inline constexpr int kPKEY_DISABLE_WRITE = 0x2;
inline constexpr int kPKEY_ACCESS_MASK = kPKEY_DISABLE_ACCESS | kPKEY_DISABLE_WRITE;

// /proc/sys/vm/overcommit_memory.
inline constexpr int kOVERCOMMIT_GUESS = 0;
inline constexpr int kOVERCOMMIT_ALWAYS = 1;
inline constexpr int kOVERCOMMIT_NEVER = 2;

}  // namespace abi_linux

#endif  // ABI_LINUX_MMAN_H_
