// POSIX message queues: struct mq_attr and the limits Linux applies.
//
// Mirrors include/uapi/linux/mqueue.h (struct mq_attr, MQ_PRIO_MAX,
// NOTIFY_COOKIE_LEN) and include/linux/ipc_namespace.h (the DFLT_* and
// HARD_* limits behind /proc/sys/fs/mqueue).
//
// Usage:
//   abi_linux::MqAttr attr;
//   RETURN_IF_ERRNO(t.CopyInObj(addr, &attr));
//   if (attr.mq_maxmsg <= 0 || attr.mq_maxmsg > abi_linux::kDFLT_MSGMAX) ...

#ifndef ABI_LINUX_MQUEUE_H_
#define ABI_LINUX_MQUEUE_H_

#include <cstddef>
#include <cstdint>

namespace abi_linux {

struct MqAttr {
  int64_t mq_flags;    // O_NONBLOCK or 0
  int64_t mq_maxmsg;   // messages the queue holds
  int64_t mq_msgsize;  // bytes a message holds
  int64_t mq_curmsgs;  // messages queued now
  int64_t reserved[4];
};
static_assert(sizeof(MqAttr) == 64);
static_assert(offsetof(MqAttr, mq_curmsgs) == 24);

// Priorities are 0 .. MQ_PRIO_MAX - 1.
inline constexpr uint32_t kMQ_PRIO_MAX = 32768;
// The bytes of a SIGEV_THREAD cookie (sigev_value.sival_ptr points at it).
inline constexpr int kNOTIFY_COOKIE_LEN = 32;

// /proc/sys/fs/mqueue defaults: queues_max, msg_max, msgsize_max,
// msg_default, msgsize_default.
inline constexpr int kDFLT_QUEUESMAX = 256;
inline constexpr int64_t kDFLT_MSGMAX = 10;
inline constexpr int64_t kDFLT_MSGSIZEMAX = 8192;
inline constexpr int64_t kDFLT_MSG = 10;
inline constexpr int64_t kDFLT_MSGSIZE = 8192;
// What CAP_SYS_RESOURCE may ask for.
inline constexpr int64_t kHARD_MSGMAX = 65536;
inline constexpr int64_t kHARD_MSGSIZEMAX = 16 * 1024 * 1024;

// What a queue's read(2) reports at most (FILENT_SIZE), also its st_size.
inline constexpr int kMqueueFilentSize = 80;

}  // namespace abi_linux

#endif  // ABI_LINUX_MQUEUE_H_
