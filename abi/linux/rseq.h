// Restartable sequences: struct rseq (registered per thread with rseq(2)) and struct rseq_cs.
//
// Mirrors include/uapi/linux/rseq.h.
//
// Usage:
//   if (rseq_len != sizeof(abi_linux::Rseq) || addr % abi_linux::kRseqAlign != 0) ...
//   if (flags & abi_linux::kRSEQ_FLAG_UNREGISTER) ...

#ifndef ABI_LINUX_RSEQ_H_
#define ABI_LINUX_RSEQ_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// cpu_id values before registration / after a failed one.
inline constexpr int32_t kRSEQ_CPU_ID_UNINITIALIZED = -1;
inline constexpr int32_t kRSEQ_CPU_ID_REGISTRATION_FAILED = -2;

// rseq(2) flags.
inline constexpr int kRSEQ_FLAG_UNREGISTER = 1 << 0;

// rseq_cs flags (and the deprecated struct rseq flags).
inline constexpr uint32_t kRSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT = 1u << 0;
inline constexpr uint32_t kRSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL = 1u << 1;
inline constexpr uint32_t kRSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE = 1u << 2;

// The abort signature glibc registers on x86 (the 4 bytes before each abort_ip).
inline constexpr uint32_t kRSEQ_SIG_GLIBC_X86 = 0x53053053;

inline constexpr std::size_t kRseqAlign = 32;

// struct rseq_cs: a critical section descriptor (in guest memory).
struct alignas(32) RseqCs {
  uint32_t version;  // 0.
  uint32_t flags;    // RSEQ_CS_FLAG_*.
  uint64_t start_ip;
  uint64_t post_commit_offset;  // From start_ip.
  uint64_t abort_ip;
};
static_assert(sizeof(RseqCs) == 32);
static_assert(offsetof(RseqCs, flags) == 4);
static_assert(offsetof(RseqCs, start_ip) == 8);
static_assert(offsetof(RseqCs, post_commit_offset) == 16);
static_assert(offsetof(RseqCs, abort_ip) == 24);

// struct rseq: the per-thread area. The original ABI is 32 bytes (rseq_len == 32); node_id and
// mm_cid (6.3+) sit in what was its padding. Newer kernels report the feature size in
// AT_RSEQ_FEATURE_SIZE.
struct alignas(32) Rseq {
  uint32_t cpu_id_start;  // Always a valid CPU number once registered.
  uint32_t cpu_id;        // CPU number, or RSEQ_CPU_ID_*.
  uint64_t rseq_cs;       // Guest address of the current RseqCs, or 0.
  uint32_t flags;         // Deprecated; must be 0.
  uint32_t node_id;       // NUMA node (6.3+).
  uint32_t mm_cid;        // Concurrency id within the mm (6.3+).
};
static_assert(sizeof(Rseq) == 32);
static_assert(alignof(Rseq) == 32);
static_assert(offsetof(Rseq, cpu_id) == 4);
static_assert(offsetof(Rseq, rseq_cs) == 8);
static_assert(offsetof(Rseq, flags) == 16);
static_assert(offsetof(Rseq, node_id) == 20);
static_assert(offsetof(Rseq, mm_cid) == 24);
inline constexpr std::size_t kRseqOrigSize = 32;  // ORIG_RSEQ_SIZE.

}  // namespace abi_linux

#endif  // ABI_LINUX_RSEQ_H_
