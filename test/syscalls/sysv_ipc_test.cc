// System V IPC: shared memory (shmget, shmat, shmdt, shmctl), semaphores
// (semget, semop, semtimedop, semctl) and message queues (msgget, msgsnd,
// msgrcv, msgctl).
//
// Natively the test shares the host's IPC namespace, so it uses
// IPC_PRIVATE or random keys, removes every object it creates, and never
// counts objects it did not make. Blocking calls are released by another
// thread or process whichever runs first, or interrupted by a signal the
// blocked thread is sent (SIGUSR1 repeatedly, until the call returns).
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/random.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

union semun {
  int val;
  semid_ds* buf;
  unsigned short* array;
  seminfo* info;
};

// A key no one else is using (retried by callers on EEXIST).
key_t RandomKey() {
  uint32_t r = 0;
  while (r == 0 || static_cast<key_t>(r) == IPC_PRIVATE) {
    if (getrandom(&r, sizeof(r), 0) != sizeof(r)) r = static_cast<uint32_t>(time(nullptr));
    r &= 0x7fffffff;
  }
  return static_cast<key_t>(r);
}

class ScopedShm {
 public:
  explicit ScopedShm(int id) : id_(id) {}
  ~ScopedShm() {
    if (id_ >= 0) shmctl(id_, IPC_RMID, nullptr);
  }
  int get() const { return id_; }

 private:
  int id_;
};
class ScopedSem {
 public:
  explicit ScopedSem(int id) : id_(id) {}
  ~ScopedSem() {
    if (id_ >= 0) semctl(id_, 0, IPC_RMID);
  }
  int get() const { return id_; }

 private:
  int id_;
};
class ScopedMsg {
 public:
  explicit ScopedMsg(int id) : id_(id) {}
  ~ScopedMsg() {
    if (id_ >= 0) msgctl(id_, IPC_RMID, nullptr);
  }
  int get() const { return id_; }

 private:
  int id_;
};

// The id an object at the same index had or will have: never valid now.
int StaleId(int id) { return id ^ 0x8000; }

void* const kShmFailed = reinterpret_cast<void*>(-1);

uint64_t Nattch(int id) {
  shmid_ds ds{};
  if (shmctl(id, IPC_STAT, &ds) != 0) return ~uint64_t{0};
  return ds.shm_nattch;
}

// Runs fn in a child as user/group 65534 and returns its exit status.
template <typename Fn>
int AsNobody(Fn fn) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(100);
    _exit(fn());
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

// Interrupts `tid` with SIGUSR1 (caught by an empty handler, no
// SA_RESTART) until *done.
void InterruptUntil(pid_t tid, const std::atomic<bool>* done) {
  while (!done->load()) {
    syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
    sched_yield();
  }
}

void EmptyHandler(int) {}

class SignalHandler {
 public:
  SignalHandler() {
    struct sigaction sa {};
    sa.sa_handler = EmptyHandler;
    sigaction(SIGUSR1, &sa, &old_);
  }
  ~SignalHandler() { sigaction(SIGUSR1, &old_, nullptr); }

 private:
  struct sigaction old_ {};
};

// ---------------------------------------------------------------------------
// Shared memory

TEST(ShmTest, GetErrors) {
  EXPECT_THAT(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), SyscallFailsWithErrno(EINVAL));
  key_t key = RandomKey();
  EXPECT_THAT(shmget(key, 4096, 0600), SyscallFailsWithErrno(ENOENT));
  int id = shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedShm s(id);
  EXPECT_THAT(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(shmget(key, 4096, 0), SyscallSucceedsWithValue(id));
  EXPECT_THAT(shmget(key, 4096, IPC_CREAT | 0600), SyscallSucceedsWithValue(id));
  // Bigger than the segment.
  EXPECT_THAT(shmget(key, 3 * 4096, 0600), SyscallFailsWithErrno(EINVAL));
  // Another user, no permission for others.
  EXPECT_EQ(AsNobody([&] { return shmget(key, 4096, 0400) < 0 && errno == EACCES ? 0 : 1; }), 0);
  EXPECT_THAT(shmctl(StaleId(id), IPC_STAT, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(shmctl(-1, IPC_STAT, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(shmctl(id, 1234, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(shmctl(id, IPC_STAT, reinterpret_cast<shmid_ds*>(8)), SyscallFailsWithErrno(EFAULT));
}

TEST(ShmTest, StatReportsSegment) {
  int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0640);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedShm s(id);
  shmid_ds ds{};
  ASSERT_THAT(shmctl(id, IPC_STAT, &ds), SyscallSucceeds());
  EXPECT_EQ(ds.shm_segsz, 10000u);
  EXPECT_EQ(ds.shm_perm.mode & 0777, 0640u);
  EXPECT_EQ(ds.shm_perm.__key, IPC_PRIVATE);
  EXPECT_EQ(ds.shm_perm.uid, geteuid());
  EXPECT_EQ(ds.shm_perm.cuid, geteuid());
  EXPECT_EQ(ds.shm_cpid, getpid());
  EXPECT_EQ(ds.shm_nattch, 0u);
  EXPECT_NE(ds.shm_ctime, 0);

  ds.shm_perm.mode = 0600;
  ASSERT_THAT(shmctl(id, IPC_SET, &ds), SyscallSucceeds());
  shmid_ds after{};
  ASSERT_THAT(shmctl(id, IPC_STAT, &after), SyscallSucceeds());
  EXPECT_EQ(after.shm_perm.mode & 0777, 0600u);

  // SHM_STAT takes an index and returns the id.
  shminfo info{};
  int max_index = shmctl(0, IPC_INFO, reinterpret_cast<shmid_ds*>(&info));
  ASSERT_THAT(max_index, SyscallSucceeds());
  EXPECT_GE(info.shmmni, 1u);
  EXPECT_GT(info.shmmax, 10000u);
  bool found = false;
  for (int i = 0; i <= max_index; ++i) {
    shmid_ds d{};
    int got = shmctl(i, SHM_STAT, &d);
    if (got == id) found = true;
  }
  EXPECT_TRUE(found);
  shm_info sinfo{};
  EXPECT_THAT(shmctl(0, SHM_INFO, reinterpret_cast<shmid_ds*>(&sinfo)), SyscallSucceeds());
  EXPECT_GE(sinfo.used_ids, 1);

  // Only the owner may change or remove it.
  EXPECT_EQ(AsNobody([&] {
              shmid_ds d{};
              if (shmctl(id, IPC_RMID, nullptr) == 0 || errno != EPERM) return 1;
              if (shmctl(id, IPC_SET, &d) == 0 || errno != EPERM) return 2;
              if (shmctl(id, IPC_STAT, &d) == 0 || errno != EACCES) return 3;
              return 0;
            }),
            0);
}

TEST(ShmTest, AttachSharesPagesWithChild) {
  int id = shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedShm s(id);
  auto* p = static_cast<volatile char*>(shmat(id, nullptr, 0));
  ASSERT_NE(p, kShmFailed);
  EXPECT_EQ(p[0], 0);
  p[0] = 'a';
  p[2 * 4096] = 'b';
  EXPECT_EQ(Nattch(id), 1u);

  int ready[2], go[2];
  ASSERT_THAT(pipe(ready), SyscallSucceeds());
  ASSERT_THAT(pipe(go), SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    // The fork's copy of the attachment is the same memory.
    if (p[0] != 'a' || p[2 * 4096] != 'b') _exit(1);
    p[1] = 'c';
    // A second, independent attachment sees the same pages.
    auto* q = static_cast<volatile char*>(shmat(id, nullptr, SHM_RDONLY));
    if (q == kShmFailed || q[1] != 'c') _exit(2);
    char c = 0;
    if (write(ready[1], &c, 1) != 1) _exit(3);
    if (read(go[0], &c, 1) != 1) _exit(4);
    if (shmdt(const_cast<char*>(q)) != 0) _exit(5);
    _exit(0);
  }
  ASSERT_THAT(pid, SyscallSucceeds());
  char c;
  ASSERT_THAT(read(ready[0], &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(p[1], 'c');
  EXPECT_EQ(Nattch(id), 3u);  // ours, the child's copy, the child's own
  shmid_ds ds{};
  ASSERT_THAT(shmctl(id, IPC_STAT, &ds), SyscallSucceeds());
  EXPECT_EQ(ds.shm_lpid, pid);
  ASSERT_THAT(write(go[1], &c, 1), SyscallSucceedsWithValue(1));
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Nattch(id), 1u);  // the child's exit dropped its copy
  EXPECT_THAT(shmdt(const_cast<char*>(p)), SyscallSucceeds());
  EXPECT_EQ(Nattch(id), 0u);
  for (int fd : {ready[0], ready[1], go[0], go[1]}) close(fd);

  // The data outlives attachments until the segment is removed.
  auto* again = static_cast<char*>(shmat(id, nullptr, 0));
  ASSERT_NE(again, kShmFailed);
  EXPECT_EQ(again[0], 'a');
  EXPECT_THAT(shmdt(again), SyscallSucceeds());
}

TEST(ShmTest, ReadOnlyAttach) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedShm s(id);
  void* p = shmat(id, nullptr, SHM_RDONLY);
  ASSERT_NE(p, kShmFailed);
  // Not writable, and cannot be made so.
  EXPECT_THAT(mprotect(p, 4096, PROT_READ | PROT_WRITE), SyscallFailsWithErrno(EACCES));
  pid_t pid = fork();
  if (pid == 0) {
    static_cast<volatile char*>(p)[0] = 1;
    _exit(0);
  }
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) << status;
  EXPECT_THAT(shmdt(p), SyscallSucceeds());
}

TEST(ShmTest, AttachAndDetachErrors) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedShm s(id);
  EXPECT_EQ(shmat(StaleId(id), nullptr, 0), kShmFailed);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(shmat(-1, nullptr, 0), kShmFailed);
  EXPECT_EQ(errno, EINVAL);
  // Unaligned without SHM_RND; SHM_REMAP without an address.
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * 4096), SyscallSucceeds());
  EXPECT_EQ(shmat(id, m.ptr() + 1, 0), kShmFailed);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(shmat(id, nullptr, SHM_REMAP), kShmFailed);
  EXPECT_EQ(errno, EINVAL);
  // Over an existing mapping: only with SHM_REMAP.
  EXPECT_EQ(shmat(id, m.ptr(), 0), kShmFailed);
  EXPECT_EQ(errno, EINVAL);
  void* p = shmat(id, m.ptr() + 1, SHM_RND | SHM_REMAP);
  EXPECT_EQ(p, m.ptr());
  EXPECT_THAT(shmdt(m.ptr() + 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(shmdt(m.ptr() + 4096), SyscallFailsWithErrno(EINVAL));  // anonymous memory
  EXPECT_THAT(shmdt(p), SyscallSucceeds());
  EXPECT_THAT(shmdt(p), SyscallFailsWithErrno(EINVAL));
  // Other users: no access to a 0600 segment.
  EXPECT_EQ(AsNobody([&] {
              return shmat(id, nullptr, SHM_RDONLY) == kShmFailed && errno == EACCES ? 0 : 1;
            }),
            0);
}

TEST(ShmTest, RemovedSegmentLivesUntilLastDetach) {
  key_t key = RandomKey();
  int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  auto* p = static_cast<char*>(shmat(id, nullptr, 0));
  ASSERT_NE(p, kShmFailed);
  p[0] = 'z';
  ASSERT_THAT(shmctl(id, IPC_RMID, nullptr), SyscallSucceeds());
  // Still there by id, marked, and no longer found by its key.
  shmid_ds ds{};
  ASSERT_THAT(shmctl(id, IPC_STAT, &ds), SyscallSucceeds());
  EXPECT_EQ(ds.shm_perm.mode & SHM_DEST, static_cast<unsigned>(SHM_DEST));
  EXPECT_EQ(ds.shm_perm.__key, IPC_PRIVATE);
  EXPECT_EQ(ds.shm_nattch, 1u);
  EXPECT_THAT(shmget(key, 4096, 0600), SyscallFailsWithErrno(ENOENT));
  EXPECT_EQ(p[0], 'z');
  ASSERT_THAT(shmdt(p), SyscallSucceeds());
  EXPECT_THAT(shmctl(id, IPC_STAT, &ds), SyscallFailsWithErrno(EINVAL));
}

TEST(ShmTest, ExitDetachesRemovedSegment) {
  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  pid_t pid = fork();
  if (pid == 0) {
    if (shmat(id, nullptr, 0) == kShmFailed) _exit(1);
    if (shmctl(id, IPC_RMID, nullptr) != 0) _exit(2);
    _exit(0);  // the exit is the last detach
  }
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_THAT(shmctl(id, IPC_STAT, nullptr), SyscallFailsWithErrno(EINVAL));
}

// ---------------------------------------------------------------------------
// Semaphores

TEST(SemTest, GetErrors) {
  EXPECT_THAT(semget(IPC_PRIVATE, 0, IPC_CREAT | 0600), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(semget(IPC_PRIVATE, -1, IPC_CREAT | 0600), SyscallFailsWithErrno(EINVAL));
  key_t key = RandomKey();
  EXPECT_THAT(semget(key, 1, 0600), SyscallFailsWithErrno(ENOENT));
  int id = semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  EXPECT_THAT(semget(key, 2, IPC_CREAT | IPC_EXCL | 0600), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(semget(key, 3, 0600), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(semget(key, 0, 0600), SyscallSucceedsWithValue(id));
  EXPECT_EQ(AsNobody([&] { return semget(key, 1, 0400) < 0 && errno == EACCES ? 0 : 1; }), 0);
}

TEST(SemTest, SetGetValues) {
  int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  EXPECT_THAT(semctl(id, 0, GETVAL), SyscallSucceedsWithValue(0));
  semun arg{};
  arg.val = 5;
  ASSERT_THAT(semctl(id, 1, SETVAL, arg), SyscallSucceeds());
  EXPECT_THAT(semctl(id, 1, GETVAL), SyscallSucceedsWithValue(5));
  EXPECT_THAT(semctl(id, 1, GETPID), SyscallSucceedsWithValue(getpid()));
  arg.val = 40000;
  EXPECT_THAT(semctl(id, 1, SETVAL, arg), SyscallFailsWithErrno(ERANGE));
  arg.val = -1;
  EXPECT_THAT(semctl(id, 1, SETVAL, arg), SyscallFailsWithErrno(ERANGE));
  arg.val = 1;
  EXPECT_THAT(semctl(id, 3, SETVAL, arg), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(semctl(id, 3, GETVAL), SyscallFailsWithErrno(EINVAL));

  unsigned short vals[3] = {7, 8, 9};
  arg.array = vals;
  ASSERT_THAT(semctl(id, 0, SETALL, arg), SyscallSucceeds());
  unsigned short got[3] = {};
  arg.array = got;
  ASSERT_THAT(semctl(id, 0, GETALL, arg), SyscallSucceeds());
  EXPECT_EQ(got[0], 7);
  EXPECT_EQ(got[1], 8);
  EXPECT_EQ(got[2], 9);
  arg.array = reinterpret_cast<unsigned short*>(8);
  EXPECT_THAT(semctl(id, 0, GETALL, arg), SyscallFailsWithErrno(EFAULT));

  semid_ds ds{};
  arg.buf = &ds;
  ASSERT_THAT(semctl(id, 0, IPC_STAT, arg), SyscallSucceeds());
  EXPECT_EQ(ds.sem_nsems, 3u);
  EXPECT_EQ(ds.sem_perm.mode & 0777, 0600u);
  ds.sem_perm.mode = 0644;
  ASSERT_THAT(semctl(id, 0, IPC_SET, arg), SyscallSucceeds());
  semid_ds after{};
  arg.buf = &after;
  ASSERT_THAT(semctl(id, 0, IPC_STAT, arg), SyscallSucceeds());
  EXPECT_EQ(after.sem_perm.mode & 0777, 0644u);

  seminfo info{};
  arg.info = &info;
  EXPECT_THAT(semctl(0, 0, IPC_INFO, arg), SyscallSucceeds());
  EXPECT_EQ(info.semvmx, 32767);
  EXPECT_GT(info.semmsl, 0);
  EXPECT_THAT(semctl(0, 0, SEM_INFO, arg), SyscallSucceeds());
  EXPECT_GE(info.semusz, 1);
  EXPECT_THAT(semctl(id, 0, 4321), SyscallFailsWithErrno(EINVAL));

  // Others may read (0644) but not change.
  EXPECT_EQ(AsNobody([&] {
              semun a{};
              a.val = 1;
              if (semctl(id, 0, GETVAL) != 7) return 1;
              if (semctl(id, 0, SETVAL, a) == 0 || errno != EACCES) return 2;
              if (semctl(id, 0, IPC_RMID) == 0 || errno != EPERM) return 3;
              sembuf op{0, 1, 0};
              if (semop(id, &op, 1) == 0 || errno != EACCES) return 4;
              return 0;
            }),
            0);
}

TEST(SemTest, OpErrors) {
  int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  sembuf op{0, -1, IPC_NOWAIT};
  EXPECT_THAT(semop(id, &op, 1), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(semop(id, &op, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(semop(-1, &op, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(semop(StaleId(id), &op, 1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(semop(id, reinterpret_cast<sembuf*>(8), 1), SyscallFailsWithErrno(EFAULT));
  sembuf big{5, 1, 0};
  EXPECT_THAT(semop(id, &big, 1), SyscallFailsWithErrno(EFBIG));
  static sembuf many[1000];
  EXPECT_THAT(semop(id, many, 1000), SyscallFailsWithErrno(E2BIG));
  sembuf range{0, 32767, 0};
  ASSERT_THAT(semop(id, &range, 1), SyscallSucceeds());
  sembuf over{0, 1, 0};
  EXPECT_THAT(semop(id, &over, 1), SyscallFailsWithErrno(ERANGE));
  // A timeout that expires: EAGAIN; a bad one: EINVAL.
  sembuf zero{0, 0, 0};
  timespec ts{0, 1000};
  EXPECT_THAT(semtimedop(id, &zero, 1, &ts), SyscallFailsWithErrno(EAGAIN));
  ts.tv_nsec = 2000000000;
  EXPECT_THAT(semtimedop(id, &zero, 1, &ts), SyscallFailsWithErrno(EINVAL));
}

TEST(SemTest, OpsAreAllOrNothing) {
  int id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  sembuf ops[2] = {{0, 1, 0}, {1, -1, IPC_NOWAIT}};
  EXPECT_THAT(semop(id, ops, 2), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(semctl(id, 0, GETVAL), SyscallSucceedsWithValue(0));
  sembuf up[2] = {{0, 2, 0}, {1, 3, 0}};
  ASSERT_THAT(semop(id, up, 2), SyscallSucceeds());
  EXPECT_THAT(semop(id, ops, 2), SyscallSucceeds());
  EXPECT_THAT(semctl(id, 0, GETVAL), SyscallSucceedsWithValue(3));
  EXPECT_THAT(semctl(id, 1, GETVAL), SyscallSucceedsWithValue(2));
  semid_ds ds{};
  semun arg{};
  arg.buf = &ds;
  ASSERT_THAT(semctl(id, 0, IPC_STAT, arg), SyscallSucceeds());
  EXPECT_NE(ds.sem_otime, 0);
}

TEST(SemTest, BlockedOpIsWokenAndCounted) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  pid_t pid = fork();
  if (pid == 0) {
    sembuf down{0, -2, 0};
    while (semop(id, &down, 1) != 0) {
      if (errno != EINTR) _exit(1);
    }
    _exit(0);
  }
  ASSERT_THAT(pid, SyscallSucceeds());
  // Wait until the child is counted as waiting.
  while (semctl(id, 0, GETNCNT) == 0) sched_yield();
  EXPECT_THAT(semctl(id, 0, GETNCNT), SyscallSucceedsWithValue(1));
  EXPECT_THAT(semctl(id, 0, GETZCNT), SyscallSucceedsWithValue(0));
  sembuf up{0, 1, 0};
  ASSERT_THAT(semop(id, &up, 1), SyscallSucceeds());
  ASSERT_THAT(semop(id, &up, 1), SyscallSucceeds());
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_THAT(semctl(id, 0, GETVAL), SyscallSucceedsWithValue(0));
  EXPECT_THAT(semctl(id, 0, GETNCNT), SyscallSucceedsWithValue(0));
  EXPECT_THAT(semctl(id, 0, GETPID), SyscallSucceedsWithValue(pid));
}

TEST(SemTest, UndoAtExit) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  pid_t pid = fork();
  if (pid == 0) {
    sembuf up{0, 3, SEM_UNDO};
    if (semop(id, &up, 1) != 0) _exit(1);
    sembuf down{0, -1, SEM_UNDO};
    if (semop(id, &down, 1) != 0) _exit(2);
    _exit(semctl(id, 0, GETVAL) == 2 ? 0 : 3);
  }
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  // The child's +2 is undone.
  EXPECT_THAT(semctl(id, 0, GETVAL), SyscallSucceedsWithValue(0));
}

TEST(SemTest, BlockedOpInterruptedBySignal) {
  SignalHandler handler;
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedSem s(id);
  std::atomic<bool> done{false};
  std::atomic<pid_t> tid{0};
  int result = 0, err = 0;
  std::thread waiter([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    sembuf down{0, -1, 0};
    result = semop(id, &down, 1);
    err = errno;
    done = true;
  });
  while (tid.load() == 0) sched_yield();
  InterruptUntil(tid.load(), &done);
  waiter.join();
  EXPECT_EQ(result, -1);
  EXPECT_EQ(err, EINTR);
}

TEST(SemTest, RemovalWakesWaitersWithEidrm) {
  int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  int result = 0, err = 0;
  std::thread waiter([&] {
    sembuf down{0, -1, 0};
    result = semop(id, &down, 1);
    err = errno;
  });
  while (semctl(id, 0, GETNCNT) == 0) sched_yield();
  ASSERT_THAT(semctl(id, 0, IPC_RMID), SyscallSucceeds());
  waiter.join();
  EXPECT_EQ(result, -1);
  EXPECT_EQ(err, EIDRM);
  EXPECT_THAT(semctl(id, 0, GETVAL), SyscallFailsWithErrno(EINVAL));
}

// ---------------------------------------------------------------------------
// Message queues

struct TestMsg {
  long mtype;
  char mtext[64];
};

int Send(int id, long type, const std::string& text, int flags = 0) {
  TestMsg m{};
  m.mtype = type;
  memcpy(m.mtext, text.data(), text.size());
  return msgsnd(id, &m, text.size(), flags);
}

TEST(MsgTest, GetErrors) {
  key_t key = RandomKey();
  EXPECT_THAT(msgget(key, 0600), SyscallFailsWithErrno(ENOENT));
  int id = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedMsg q(id);
  EXPECT_THAT(msgget(key, IPC_CREAT | IPC_EXCL | 0600), SyscallFailsWithErrno(EEXIST));
  EXPECT_THAT(msgget(key, 0), SyscallSucceedsWithValue(id));
  EXPECT_EQ(AsNobody([&] { return msgget(key, 0200) < 0 && errno == EACCES ? 0 : 1; }), 0);
}

TEST(MsgTest, SendReceiveByType) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedMsg q(id);
  ASSERT_THAT(Send(id, 5, "five"), SyscallSucceeds());
  ASSERT_THAT(Send(id, 2, "two"), SyscallSucceeds());
  ASSERT_THAT(Send(id, 7, "seven"), SyscallSucceeds());
  ASSERT_THAT(Send(id, 2, "two again"), SyscallSucceeds());

  msqid_ds ds{};
  ASSERT_THAT(msgctl(id, IPC_STAT, &ds), SyscallSucceeds());
  EXPECT_EQ(ds.msg_qnum, 4u);
  EXPECT_EQ(ds.__msg_cbytes, 4u + 3 + 5 + 9);
  EXPECT_EQ(ds.msg_lspid, getpid());

  TestMsg m{};
  // Type 7 exactly.
  ASSERT_THAT(msgrcv(id, &m, sizeof(m.mtext), 7, IPC_NOWAIT), SyscallSucceedsWithValue(5));
  EXPECT_EQ(m.mtype, 7);
  EXPECT_EQ(std::string(m.mtext, 5), "seven");
  // Anything but 5: the first such.
  ASSERT_THAT(msgrcv(id, &m, sizeof(m.mtext), 5, IPC_NOWAIT | MSG_EXCEPT),
              SyscallSucceedsWithValue(3));
  EXPECT_EQ(m.mtype, 2);
  // The lowest type up to 6.
  Send(id, 1, "one");
  ASSERT_THAT(msgrcv(id, &m, sizeof(m.mtext), -6, IPC_NOWAIT), SyscallSucceedsWithValue(3));
  EXPECT_EQ(m.mtype, 1);
  // The first in line.
  ASSERT_THAT(msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), SyscallSucceedsWithValue(4));
  EXPECT_EQ(m.mtype, 5);
  // Too big without MSG_NOERROR; cut with it.
  EXPECT_THAT(msgrcv(id, &m, 3, 0, IPC_NOWAIT), SyscallFailsWithErrno(E2BIG));
  memset(&m, 0, sizeof(m));
  ASSERT_THAT(msgrcv(id, &m, 3, 0, IPC_NOWAIT | MSG_NOERROR), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(m.mtext), "two");
  EXPECT_THAT(msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), SyscallFailsWithErrno(ENOMSG));
  ASSERT_THAT(msgctl(id, IPC_STAT, &ds), SyscallSucceeds());
  EXPECT_EQ(ds.msg_qnum, 0u);
  EXPECT_EQ(ds.msg_lrpid, getpid());
}

TEST(MsgTest, SendErrors) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedMsg q(id);
  EXPECT_THAT(Send(id, 0, "x"), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Send(-1, 1, "x"), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(Send(StaleId(id), 1, "x"), SyscallFailsWithErrno(EINVAL));
  static TestMsg big[200];
  big[0].mtype = 1;
  EXPECT_THAT(msgsnd(id, big, 8193, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(msgsnd(id, reinterpret_cast<void*>(8), 1, 0), SyscallFailsWithErrno(EFAULT));
  TestMsg m{};
  EXPECT_THAT(msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), SyscallFailsWithErrno(ENOMSG));
  EXPECT_THAT(msgrcv(id, &m, -1, 0, IPC_NOWAIT), SyscallFailsWithErrno(EINVAL));
  // A full queue.
  msqid_ds ds{};
  ASSERT_THAT(msgctl(id, IPC_STAT, &ds), SyscallSucceeds());
  ds.msg_qbytes = 10;
  ASSERT_THAT(msgctl(id, IPC_SET, &ds), SyscallSucceeds());
  ASSERT_THAT(Send(id, 1, "123456789"), SyscallSucceeds());
  EXPECT_THAT(Send(id, 1, "ab", IPC_NOWAIT), SyscallFailsWithErrno(EAGAIN));
  // Others: no access to a 0600 queue.
  EXPECT_EQ(AsNobody([&] {
              if (Send(id, 1, "x", IPC_NOWAIT) == 0 || errno != EACCES) return 1;
              msqid_ds d{};
              if (msgctl(id, IPC_RMID, &d) == 0 || errno != EPERM) return 2;
              return 0;
            }),
            0);
  msginfo info{};
  EXPECT_THAT(msgctl(0, IPC_INFO, reinterpret_cast<msqid_ds*>(&info)), SyscallSucceeds());
  EXPECT_EQ(info.msgmax, 8192);
  EXPECT_THAT(msgctl(0, MSG_INFO, reinterpret_cast<msqid_ds*>(&info)), SyscallSucceeds());
  EXPECT_GE(info.msgpool, 1);
  EXPECT_THAT(msgctl(id, 999, nullptr), SyscallFailsWithErrno(EINVAL));
}

TEST(MsgTest, BlockedReceiveGetsMessageFromChild) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedMsg q(id);
  pid_t pid = fork();
  if (pid == 0) _exit(Send(id, 3, "hello") == 0 ? 0 : 1);
  TestMsg m{};
  ASSERT_THAT(RetryEINTR(msgrcv)(id, &m, sizeof(m.mtext), 3, 0), SyscallSucceedsWithValue(5));
  EXPECT_EQ(std::string(m.mtext, 5), "hello");
  int status;
  ASSERT_THAT(RetryEINTR(waitpid)(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(MsgTest, BlockedSendWaitsForRoom) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedMsg q(id);
  msqid_ds ds{};
  ASSERT_THAT(msgctl(id, IPC_STAT, &ds), SyscallSucceeds());
  ds.msg_qbytes = 4;
  ASSERT_THAT(msgctl(id, IPC_SET, &ds), SyscallSucceeds());
  ASSERT_THAT(Send(id, 1, "abcd"), SyscallSucceeds());
  std::thread reader([&] {
    TestMsg m{};
    (void)!msgrcv(id, &m, sizeof(m.mtext), 0, 0);
  });
  EXPECT_THAT(RetryEINTR(Send)(id, 2, "efgh", 0), SyscallSucceeds());
  reader.join();
  TestMsg m{};
  ASSERT_THAT(msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT), SyscallSucceedsWithValue(4));
  EXPECT_EQ(m.mtype, 2);
}

TEST(MsgTest, BlockedReceiveInterruptedBySignal) {
  SignalHandler handler;
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  ScopedMsg q(id);
  std::atomic<bool> done{false};
  std::atomic<pid_t> tid{0};
  int result = 0, err = 0;
  std::thread waiter([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    TestMsg m{};
    result = static_cast<int>(msgrcv(id, &m, sizeof(m.mtext), 0, 0));
    err = errno;
    done = true;
  });
  while (tid.load() == 0) sched_yield();
  InterruptUntil(tid.load(), &done);
  waiter.join();
  EXPECT_EQ(result, -1);
  EXPECT_EQ(err, EINTR);
}

TEST(MsgTest, RemovalWakesReceiverWithEidrm) {
  int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  ASSERT_THAT(id, SyscallSucceeds());
  std::atomic<bool> started{false};
  int result = 0, err = 0;
  std::thread waiter([&] {
    started = true;
    TestMsg m{};
    result = static_cast<int>(msgrcv(id, &m, sizeof(m.mtext), 0, 0));
    err = errno;
  });
  while (!started.load()) sched_yield();
  // Removal before the receiver blocks is EINVAL for it, after is EIDRM:
  // both say the queue is gone.
  ASSERT_THAT(msgctl(id, IPC_RMID, nullptr), SyscallSucceeds());
  waiter.join();
  EXPECT_EQ(result, -1);
  EXPECT_TRUE(err == EIDRM || err == EINVAL) << err;
  EXPECT_THAT(msgctl(id, IPC_STAT, nullptr), SyscallFailsWithErrno(EINVAL));
}

}  // namespace
}  // namespace test_util
