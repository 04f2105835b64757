// System V IPC: flags and commands, and the x86-64 layouts of ipc_perm, shmid_ds, semid_ds,
// msqid_ds (the kernel's *64_ds versions, which x86-64 always uses), sembuf and the *info
// structures.
//
// Mirrors include/uapi/linux/ipc.h, include/uapi/asm-generic/ipcbuf.h (ipc64_perm; on x86-64
// __kernel_mode_t is 32 bits), include/uapi/asm-generic/shmbuf.h, arch/x86/include/uapi/asm/
// sembuf.h, include/uapi/asm-generic/msgbuf.h, include/uapi/linux/shm.h, include/uapi/linux/sem.h
// and include/uapi/linux/msg.h.
//
// Usage:
//   int cmd = cmd_arg & ~abi_linux::kIPC_64;  // x86-64 programs may or may not set IPC_64.
//   if (cmd == abi_linux::kIPC_STAT) { abi_linux::ShmidDs ds{}; ... }

#ifndef ABI_LINUX_IPC_H_
#define ABI_LINUX_IPC_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// Key and flags (shmget/semget/msgget).
inline constexpr int32_t kIPC_PRIVATE = 0;
inline constexpr int kIPC_CREAT = 00001000;
inline constexpr int kIPC_EXCL = 00002000;
inline constexpr int kIPC_NOWAIT = 00004000;

// Control commands common to all three.
inline constexpr int kIPC_RMID = 0;
inline constexpr int kIPC_SET = 1;
inline constexpr int kIPC_STAT = 2;
inline constexpr int kIPC_INFO = 3;
// Version flag or'ed into the command; x86-64 always uses the 64 layouts.
inline constexpr int kIPC_OLD = 0;
inline constexpr int kIPC_64 = 0x0100;

// The maximum number of ids per kind (IPCMNI, include/linux/ipc_namespace.h).
inline constexpr int kIPCMNI = 32768;

// struct ipc64_perm.
struct IpcPerm {
  int32_t key;
  uint32_t uid;
  uint32_t gid;
  uint32_t cuid;
  uint32_t cgid;
  uint32_t mode;  // Permission bits, plus SHM_DEST/SHM_LOCKED for shm.
  uint16_t seq;
  uint16_t pad2;
  uint64_t unused1;
  uint64_t unused2;
};
static_assert(sizeof(IpcPerm) == 48);
static_assert(offsetof(IpcPerm, uid) == 4);
static_assert(offsetof(IpcPerm, gid) == 8);
static_assert(offsetof(IpcPerm, cuid) == 12);
static_assert(offsetof(IpcPerm, cgid) == 16);
static_assert(offsetof(IpcPerm, mode) == 20);
static_assert(offsetof(IpcPerm, seq) == 24);
static_assert(offsetof(IpcPerm, unused1) == 32);

// ---- Shared memory. ----

// shmget flags (with IPC_CREAT/IPC_EXCL and the permission bits).
inline constexpr int kSHM_R = 0400;
inline constexpr int kSHM_W = 0200;
inline constexpr int kSHM_HUGETLB = 04000;
inline constexpr int kSHM_NORESERVE = 010000;
// shmat flags.
inline constexpr int kSHM_RDONLY = 010000;
inline constexpr int kSHM_RND = 020000;
inline constexpr int kSHM_REMAP = 040000;
inline constexpr int kSHM_EXEC = 0100000;
// shmctl commands.
inline constexpr int kSHM_LOCK = 11;
inline constexpr int kSHM_UNLOCK = 12;
inline constexpr int kSHM_STAT = 13;
inline constexpr int kSHM_INFO = 14;
inline constexpr int kSHM_STAT_ANY = 15;
// Mode bits reported in shm_perm.mode (include/linux/shm.h).
inline constexpr uint32_t kSHM_DEST = 01000;    // Destroy when the last attach goes.
inline constexpr uint32_t kSHM_LOCKED = 02000;  // SHM_LOCK'ed.
// Limits.
inline constexpr uint64_t kSHMMIN = 1;
inline constexpr uint64_t kSHMMNI = 4096;
inline constexpr uint64_t kSHMMAX = ~0ULL - (1ULL << 24);
inline constexpr uint64_t kSHMALL = ~0ULL - (1ULL << 24);  // In pages.
inline constexpr uint64_t kSHMSEG = kSHMMNI;

// struct shmid64_ds.
struct ShmidDs {
  IpcPerm shm_perm;
  uint64_t shm_segsz;  // Size in bytes.
  int64_t shm_atime;   // Last attach time.
  int64_t shm_dtime;   // Last detach time.
  int64_t shm_ctime;   // Last change time.
  int32_t shm_cpid;    // Creator.
  int32_t shm_lpid;    // Last shmat/shmdt.
  uint64_t shm_nattch;
  uint64_t unused4;
  uint64_t unused5;
};
static_assert(sizeof(ShmidDs) == 112);
static_assert(offsetof(ShmidDs, shm_segsz) == 48);
static_assert(offsetof(ShmidDs, shm_atime) == 56);
static_assert(offsetof(ShmidDs, shm_dtime) == 64);
static_assert(offsetof(ShmidDs, shm_ctime) == 72);
static_assert(offsetof(ShmidDs, shm_cpid) == 80);
static_assert(offsetof(ShmidDs, shm_lpid) == 84);
static_assert(offsetof(ShmidDs, shm_nattch) == 88);

// struct shminfo64 (IPC_INFO).
struct ShmInfo64 {
  uint64_t shmmax;
  uint64_t shmmin;
  uint64_t shmmni;
  uint64_t shmseg;
  uint64_t shmall;
  uint64_t unused1;
  uint64_t unused2;
  uint64_t unused3;
  uint64_t unused4;
};
static_assert(sizeof(ShmInfo64) == 72);

// struct shm_info (SHM_INFO).
struct ShmInfo {
  int32_t used_ids;
  int32_t pad0;
  uint64_t shm_tot;  // Total allocated shm, in pages.
  uint64_t shm_rss;  // Resident, in pages.
  uint64_t shm_swp;  // Swapped, in pages.
  uint64_t swap_attempts;
  uint64_t swap_successes;
};
static_assert(sizeof(ShmInfo) == 48);
static_assert(offsetof(ShmInfo, shm_tot) == 8);

// ---- Semaphores. ----

inline constexpr int kSEM_UNDO = 0x1000;  // sembuf sem_flg.
// semctl commands.
inline constexpr int kGETPID = 11;
inline constexpr int kGETVAL = 12;
inline constexpr int kGETALL = 13;
inline constexpr int kGETNCNT = 14;
inline constexpr int kGETZCNT = 15;
inline constexpr int kSETVAL = 16;
inline constexpr int kSETALL = 17;
inline constexpr int kSEM_STAT = 18;
inline constexpr int kSEM_INFO = 19;
inline constexpr int kSEM_STAT_ANY = 20;
// Limits.
inline constexpr int kSEMMNI = 32000;
inline constexpr int kSEMMSL = 32000;
inline constexpr int kSEMMNS = kSEMMNI * kSEMMSL;
inline constexpr int kSEMOPM = 500;
inline constexpr int kSEMVMX = 32767;
inline constexpr int kSEMAEM = kSEMVMX;

// struct semid64_ds (x86-64).
struct SemidDs {
  IpcPerm sem_perm;
  int64_t sem_otime;  // Last semop time.
  uint64_t unused1;
  int64_t sem_ctime;  // Last change time.
  uint64_t unused2;
  uint64_t sem_nsems;
  uint64_t unused3;
  uint64_t unused4;
};
static_assert(sizeof(SemidDs) == 104);
static_assert(offsetof(SemidDs, sem_otime) == 48);
static_assert(offsetof(SemidDs, sem_ctime) == 64);
static_assert(offsetof(SemidDs, sem_nsems) == 80);

// struct sembuf (semop).
struct Sembuf {
  uint16_t sem_num;
  int16_t sem_op;
  int16_t sem_flg;  // IPC_NOWAIT, SEM_UNDO.
};
static_assert(sizeof(Sembuf) == 6);
static_assert(offsetof(Sembuf, sem_op) == 2);
static_assert(offsetof(Sembuf, sem_flg) == 4);

// struct seminfo (IPC_INFO, SEM_INFO).
struct SemInfo {
  int32_t semmap;
  int32_t semmni;
  int32_t semmns;
  int32_t semmnu;
  int32_t semmsl;
  int32_t semopm;
  int32_t semume;
  int32_t semusz;
  int32_t semvmx;
  int32_t semaem;
};
static_assert(sizeof(SemInfo) == 40);

// ---- Message queues. ----

// msgrcv flags.
inline constexpr int kMSG_NOERROR = 010000;
inline constexpr int kMSG_EXCEPT = 020000;
inline constexpr int kMSG_COPY = 040000;
// msgctl commands.
inline constexpr int kMSG_STAT = 11;
inline constexpr int kMSG_INFO = 12;
inline constexpr int kMSG_STAT_ANY = 13;
// Limits.
inline constexpr int kMSGMNI = 32000;
inline constexpr int kMSGMAX = 8192;
inline constexpr int kMSGMNB = 16384;

// struct msqid64_ds. libc #defines msg_cbytes, so that field is spelled msg_curbytes here.
struct MsqidDs {
  IpcPerm msg_perm;
  int64_t msg_stime;      // Last msgsnd time.
  int64_t msg_rtime;      // Last msgrcv time.
  int64_t msg_ctime;      // Last change time.
  uint64_t msg_curbytes;  // Kernel: msg_cbytes. Bytes on the queue now.
  uint64_t msg_qnum;      // Messages on the queue.
  uint64_t msg_qbytes;    // Maximum bytes on the queue.
  int32_t msg_lspid;      // Last msgsnd.
  int32_t msg_lrpid;      // Last msgrcv.
  uint64_t unused4;
  uint64_t unused5;
};
static_assert(sizeof(MsqidDs) == 120);
static_assert(offsetof(MsqidDs, msg_stime) == 48);
static_assert(offsetof(MsqidDs, msg_rtime) == 56);
static_assert(offsetof(MsqidDs, msg_ctime) == 64);
static_assert(offsetof(MsqidDs, msg_curbytes) == 72);
static_assert(offsetof(MsqidDs, msg_qnum) == 80);
static_assert(offsetof(MsqidDs, msg_qbytes) == 88);
static_assert(offsetof(MsqidDs, msg_lspid) == 96);
static_assert(offsetof(MsqidDs, msg_lrpid) == 100);

// struct msginfo (IPC_INFO, MSG_INFO).
struct MsgInfo {
  int32_t msgpool;
  int32_t msgmap;
  int32_t msgmax;
  int32_t msgmnb;
  int32_t msgmni;
  int32_t msgssz;
  int32_t msgtql;
  uint16_t msgseg;
};
static_assert(sizeof(MsgInfo) == 32);
static_assert(offsetof(MsgInfo, msgseg) == 28);

}  // namespace abi_linux

#endif  // ABI_LINUX_IPC_H_
