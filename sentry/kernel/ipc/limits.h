// The tunable limits of an IPC namespace: what /proc/sys/kernel/{shm*,msg*,
// sem} and /proc/sys/fs/mqueue/* show and set (Linux's ipc_namespace
// fields). Each is read when it applies (an object's creation, a send), so
// a change takes effect at once for what comes after it.
//
//   IpcLimits& l = kernel.ipc().limits();
//   if (size > l.shmmax.load()) return Errno(EINVAL);
//   l.mq_msg_max.store(20);
#ifndef SENTRY_KERNEL_IPC_LIMITS_H_
#define SENTRY_KERNEL_IPC_LIMITS_H_

#include <atomic>
#include <cstdint>

#include "abi/linux/ipc.h"
#include "abi/linux/mqueue.h"

namespace sentry::kernel::ipc {

struct IpcLimits {
  // System V shared memory: largest segment (bytes), all segments (pages),
  // number of segments.
  std::atomic<uint64_t> shmmax{abi_linux::kSHMMAX};
  std::atomic<uint64_t> shmall{abi_linux::kSHMALL};
  std::atomic<int> shmmni{static_cast<int>(abi_linux::kSHMMNI)};
  // System V message queues: largest message, a new queue's byte limit,
  // number of queues.
  std::atomic<int> msgmax{abi_linux::kMSGMAX};
  std::atomic<int> msgmnb{abi_linux::kMSGMNB};
  std::atomic<int> msgmni{abi_linux::kMSGMNI};
  // System V semaphores (kernel.sem's four): per set, in all, per semop,
  // number of sets.
  std::atomic<int> semmsl{abi_linux::kSEMMSL};
  std::atomic<int> semmns{abi_linux::kSEMMNS};
  std::atomic<int> semopm{abi_linux::kSEMOPM};
  std::atomic<int> semmni{abi_linux::kSEMMNI};
  // POSIX message queues: queues without CAP_SYS_RESOURCE, the largest
  // mq_maxmsg and mq_msgsize without it, and a new queue's defaults.
  std::atomic<int> mq_queues_max{abi_linux::kDFLT_QUEUESMAX};
  std::atomic<int> mq_msg_max{static_cast<int>(abi_linux::kDFLT_MSGMAX)};
  std::atomic<int> mq_msgsize_max{static_cast<int>(abi_linux::kDFLT_MSGSIZEMAX)};
  std::atomic<int> mq_msg_default{static_cast<int>(abi_linux::kDFLT_MSG)};
  std::atomic<int> mq_msgsize_default{static_cast<int>(abi_linux::kDFLT_MSGSIZE)};
};

}  // namespace sentry::kernel::ipc

#endif  // SENTRY_KERNEL_IPC_LIMITS_H_
