// Fast user-space mutexes: futex(2) operations and flags, FUTEX_WAKE_OP encoding, PI futex word
// bits, robust lists, futex_waitv.
//
// Mirrors include/uapi/linux/futex.h.
//
// Usage:
//   int cmd = op & abi_linux::kFUTEX_CMD_MASK;
//   bool is_private = op & abi_linux::kFUTEX_PRIVATE_FLAG;
//   if (cmd == abi_linux::kFUTEX_WAIT) ...

#ifndef ABI_LINUX_FUTEX_H_
#define ABI_LINUX_FUTEX_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// Operations (the low bits of futex_op).
inline constexpr int kFUTEX_WAIT = 0;
inline constexpr int kFUTEX_WAKE = 1;
inline constexpr int kFUTEX_FD = 2;  // Removed in 2.6.26; ENOSYS.
inline constexpr int kFUTEX_REQUEUE = 3;
inline constexpr int kFUTEX_CMP_REQUEUE = 4;
inline constexpr int kFUTEX_WAKE_OP = 5;
inline constexpr int kFUTEX_LOCK_PI = 6;
inline constexpr int kFUTEX_UNLOCK_PI = 7;
inline constexpr int kFUTEX_TRYLOCK_PI = 8;
inline constexpr int kFUTEX_WAIT_BITSET = 9;
inline constexpr int kFUTEX_WAKE_BITSET = 10;
inline constexpr int kFUTEX_WAIT_REQUEUE_PI = 11;
inline constexpr int kFUTEX_CMP_REQUEUE_PI = 12;
inline constexpr int kFUTEX_LOCK_PI2 = 13;

// Flags or'ed into futex_op.
inline constexpr int kFUTEX_PRIVATE_FLAG = 128;
inline constexpr int kFUTEX_CLOCK_REALTIME = 256;
inline constexpr int kFUTEX_CMD_MASK = ~(kFUTEX_PRIVATE_FLAG | kFUTEX_CLOCK_REALTIME);

inline constexpr int kFUTEX_WAIT_PRIVATE = kFUTEX_WAIT | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_WAKE_PRIVATE = kFUTEX_WAKE | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_REQUEUE_PRIVATE = kFUTEX_REQUEUE | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_CMP_REQUEUE_PRIVATE = kFUTEX_CMP_REQUEUE | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_WAKE_OP_PRIVATE = kFUTEX_WAKE_OP | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_LOCK_PI_PRIVATE = kFUTEX_LOCK_PI | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_LOCK_PI2_PRIVATE = kFUTEX_LOCK_PI2 | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_UNLOCK_PI_PRIVATE = kFUTEX_UNLOCK_PI | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_TRYLOCK_PI_PRIVATE = kFUTEX_TRYLOCK_PI | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_WAIT_BITSET_PRIVATE = kFUTEX_WAIT_BITSET | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_WAKE_BITSET_PRIVATE = kFUTEX_WAKE_BITSET | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_WAIT_REQUEUE_PI_PRIVATE = kFUTEX_WAIT_REQUEUE_PI | kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_CMP_REQUEUE_PI_PRIVATE = kFUTEX_CMP_REQUEUE_PI | kFUTEX_PRIVATE_FLAG;

// FUTEX_WAIT_BITSET/FUTEX_WAKE_BITSET: match any waiter.
inline constexpr uint32_t kFUTEX_BITSET_MATCH_ANY = 0xffffffff;

// PI and robust futex word bits: the owner's TID plus two state bits.
inline constexpr uint32_t kFUTEX_WAITERS = 0x80000000;
inline constexpr uint32_t kFUTEX_OWNER_DIED = 0x40000000;
inline constexpr uint32_t kFUTEX_TID_MASK = 0x3fffffff;

// FUTEX_WAKE_OP: the operation on *uaddr2 (bits 28..31, plus the OPARG_SHIFT flag) ...
inline constexpr int kFUTEX_OP_SET = 0;          // *uaddr2 = oparg.
inline constexpr int kFUTEX_OP_ADD = 1;          // *uaddr2 += oparg.
inline constexpr int kFUTEX_OP_OR = 2;           // *uaddr2 |= oparg.
inline constexpr int kFUTEX_OP_ANDN = 3;         // *uaddr2 &= ~oparg.
inline constexpr int kFUTEX_OP_XOR = 4;          // *uaddr2 ^= oparg.
inline constexpr int kFUTEX_OP_OPARG_SHIFT = 8;  // Use (1 << oparg) instead of oparg.
// ... and the comparison of its old value (bits 24..27) that decides whether to wake uaddr2.
inline constexpr int kFUTEX_OP_CMP_EQ = 0;
inline constexpr int kFUTEX_OP_CMP_NE = 1;
inline constexpr int kFUTEX_OP_CMP_LT = 2;
inline constexpr int kFUTEX_OP_CMP_LE = 3;
inline constexpr int kFUTEX_OP_CMP_GT = 4;
inline constexpr int kFUTEX_OP_CMP_GE = 5;

// FUTEX_OP(op, oparg, cmp, cmparg): the val3 argument of FUTEX_WAKE_OP. oparg and cmparg are
// 12-bit fields, sign-extended by the kernel.
constexpr uint32_t EncodeFutexOp(uint32_t op, uint32_t oparg, uint32_t cmp, uint32_t cmparg) {
  return ((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff);
}

// struct robust_list: one entry of a thread's robust futex list (a guest address).
struct RobustList {
  uint64_t next;
};
static_assert(sizeof(RobustList) == 8);

// struct robust_list_head (set_robust_list; its size is the len argument).
struct RobustListHead {
  RobustList list;           // Head of the list; points back to itself when empty.
  int64_t futex_offset;      // Offset from a list entry to its futex word.
  uint64_t list_op_pending;  // Entry being acquired or released, if any.
};
static_assert(sizeof(RobustListHead) == 24);
static_assert(offsetof(RobustListHead, futex_offset) == 8);
static_assert(offsetof(RobustListHead, list_op_pending) == 16);

// Maximum number of robust list entries the kernel walks at exit.
inline constexpr int kROBUST_LIST_LIMIT = 2048;

// futex_waitv(2).
inline constexpr uint32_t kFUTEX_32 = 2;  // FUTEX2_SIZE_U32: the only size futex_waitv accepts.
inline constexpr uint32_t kFUTEX2_SIZE_U8 = 0x00;
inline constexpr uint32_t kFUTEX2_SIZE_U16 = 0x01;
inline constexpr uint32_t kFUTEX2_SIZE_U32 = 0x02;
inline constexpr uint32_t kFUTEX2_SIZE_U64 = 0x03;
inline constexpr uint32_t kFUTEX2_NUMA = 0x04;
inline constexpr uint32_t kFUTEX2_PRIVATE = kFUTEX_PRIVATE_FLAG;
inline constexpr int kFUTEX_WAITV_MAX = 128;

// struct futex_waitv.
struct FutexWaitv {
  uint64_t val;    // Expected value at uaddr.
  uint64_t uaddr;  // Guest address to wait on.
  uint32_t flags;  // FUTEX2_* (size and FUTEX2_PRIVATE).
  uint32_t reserved;
};
static_assert(sizeof(FutexWaitv) == 24);
static_assert(offsetof(FutexWaitv, uaddr) == 8);
static_assert(offsetof(FutexWaitv, flags) == 16);
static_assert(offsetof(FutexWaitv, reserved) == 20);

}  // namespace abi_linux

#endif  // ABI_LINUX_FUTEX_H_
