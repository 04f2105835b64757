// Nice values: getpriority(2) and setpriority(2) for PRIO_PROCESS (one
// thread), PRIO_PGRP and PRIO_USER, their permission rules (CAP_SYS_NICE,
// RLIMIT_NICE, same user) and inheritance by threads and fork(2). Then the
// scheduling policy calls: sched_get_priority_min/max(2),
// sched_getscheduler/sched_setscheduler(2), sched_getparam/sched_setparam(2)
// and sched_rr_get_interval(2). Real-time policies are only ever refused
// here (a real-time test process could starve the host).
//
// The raw getpriority syscall returns 20 - nice (1..40); glibc's wrapper
// turns it back into the nice value. Every test that changes a nice value
// does it in a forked child, which reports through its exit status.
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

long RawGetpriority(int which, int who) { return syscall(SYS_getpriority, which, who); }
long RawSetpriority(int which, int who, int nice) {
  return syscall(SYS_setpriority, which, who, nice);
}

// Runs `body` in a forked child; it returns 0 on success or a number that
// says which check failed.
void InChild(const std::function<int()>& body) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0) << ErrnoName(errno);
  if (pid == 0) _exit(body());
  int status = 0;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << "failed check " << WEXITSTATUS(status);
}

// A child that sleeps in pause(2) until killed.
class Sleeper {
 public:
  Sleeper() {
    pid_ = fork();
    if (pid_ == 0) {
      while (true) pause();
    }
  }
  ~Sleeper() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_;
};

TEST(PriorityTest, RawGetpriorityIsTwentyMinusNice) {
  InChild([] {
    if (RawSetpriority(PRIO_PROCESS, 0, 5) != 0) return 1;
    if (RawGetpriority(PRIO_PROCESS, 0) != 15) return 2;
    if (RawGetpriority(PRIO_PROCESS, getpid()) != 15) return 3;
    errno = 0;
    if (getpriority(PRIO_PROCESS, 0) != 5 || errno != 0) return 4;
    return 0;
  });
}

TEST(PriorityTest, ValuesAreClampedToTheNiceRange) {
  InChild([] {
    if (RawSetpriority(PRIO_PROCESS, 0, 100) != 0) return 1;
    if (RawGetpriority(PRIO_PROCESS, 0) != 1) return 2;  // nice 19
    if (RawSetpriority(PRIO_PROCESS, 0, -100) != 0) return 3;
    if (RawGetpriority(PRIO_PROCESS, 0) != 40) return 4;  // nice -20
    return 0;
  });
}

TEST(PriorityTest, BadWhichFailsEinvalAndUnknownWhoEsrch) {
  EXPECT_THAT(RawGetpriority(3, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(RawSetpriority(-1, 0, 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(RawGetpriority(PRIO_PROCESS, 999999), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(RawSetpriority(PRIO_PROCESS, 999999, 0), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(RawGetpriority(PRIO_PGRP, 999999), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(RawGetpriority(PRIO_USER, 54321), SyscallFailsWithErrno(ESRCH));
}

TEST(PriorityTest, ForkAndThreadsInheritAndProcessMeansOneThread) {
  InChild([] {
    if (RawSetpriority(PRIO_PROCESS, 0, 3) != 0) return 1;
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) _exit(RawGetpriority(PRIO_PROCESS, 0) == 17 ? 0 : 1);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return 3;
    }
    // A thread starts with its creator's value; PRIO_PROCESS with its tid
    // (or 0 from the thread) changes that thread only.
    struct Result {
      long inherited = -1;
      pid_t tid = 0;
    } r;
    pthread_t th;
    if (pthread_create(
            &th, nullptr,
            [](void* arg) -> void* {
              auto* r = static_cast<Result*>(arg);
              r->inherited = RawGetpriority(PRIO_PROCESS, 0);
              r->tid = static_cast<pid_t>(syscall(SYS_gettid));
              RawSetpriority(PRIO_PROCESS, 0, 9);
              return nullptr;
            },
            &r) != 0) {
      return 4;
    }
    pthread_join(th, nullptr);
    if (r.inherited != 17) return 5;
    if (RawGetpriority(PRIO_PROCESS, 0) != 17) return 6;
    return 0;
  });
}

TEST(PriorityTest, ProcessGroupTakesEveryMemberAndReportsTheHighest) {
  InChild([] {
    if (setpgid(0, 0) != 0) return 1;
    if (RawSetpriority(PRIO_PGRP, 0, 6) != 0) return 2;
    if (RawGetpriority(PRIO_PROCESS, 0) != 14) return 3;
    int ready[2];
    if (pipe(ready) != 0) return 4;
    pid_t pid = fork();  // in the same group
    if (pid < 0) return 4;
    if (pid == 0) {
      RawSetpriority(PRIO_PROCESS, 0, 2);
      (void)!write(ready[1], "x", 1);
      while (true) pause();
    }
    // Once the child has lowered its nice value.
    char c;
    if (read(ready[0], &c, 1) != 1) return 4;
    int result = 0;
    if (RawGetpriority(PRIO_PROCESS, pid) != 18) result = 5;
    if (result == 0 && RawGetpriority(PRIO_PGRP, 0) != 18) result = 6;  // the highest
    if (result == 0 && RawGetpriority(PRIO_PGRP, getpgrp()) != 18) result = 7;
    if (result == 0 && RawSetpriority(PRIO_PGRP, getpgrp(), 11) != 0) result = 8;
    if (result == 0 && RawGetpriority(PRIO_PROCESS, pid) != 9) result = 9;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return result;
  });
}

TEST(PriorityTest, UserMeansEveryProcessOfThatRealUid) {
  InChild([] {
    if (setresuid(65533, 65533, 65533) != 0) return 1;
    if (RawSetpriority(PRIO_USER, 0, 12) != 0) return 2;
    if (RawGetpriority(PRIO_USER, 0) != 8) return 3;
    if (RawGetpriority(PRIO_USER, 65533) != 8) return 4;
    if (RawGetpriority(PRIO_PROCESS, 0) != 8) return 5;
    return 0;
  });
}

TEST(PriorityTest, UnprivilegedMayRaiseNiceButLowerItOnlyWithinRlimitNice) {
  InChild([] {
    if (RawSetpriority(PRIO_PROCESS, 0, 10) != 0) return 1;
    // RLIMIT_NICE 0: no nice value may be lowered to (20 - nice > 0).
    rlimit rl{0, 0};
    if (setrlimit(RLIMIT_NICE, &rl) != 0) return 2;
    if (setresuid(65534, 65534, 65534) != 0) return 3;
    if (RawSetpriority(PRIO_PROCESS, 0, 12) != 0) return 4;
    if (RawSetpriority(PRIO_PROCESS, 0, 12) != 0) return 5;  // not lower: fine
    if (RawSetpriority(PRIO_PROCESS, 0, 11) != -1 || errno != EACCES) return 6;
    if (RawGetpriority(PRIO_PROCESS, 0) != 8) return 7;
    return 0;
  });
}

TEST(PriorityTest, AnotherUsersProcessFailsEperm) {
  Sleeper target;  // runs as root
  ASSERT_GT(target.pid(), 0) << ErrnoName(errno);
  pid_t victim = target.pid();
  InChild([victim] {
    if (setresuid(65534, 65534, 65534) != 0) return 1;
    // Reading is allowed; changing is not.
    if (RawGetpriority(PRIO_PROCESS, victim) < 1) return 2;
    if (RawSetpriority(PRIO_PROCESS, victim, 19) != -1 || errno != EPERM) return 3;
    return 0;
  });
}

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE 6
#endif

long GetScheduler(pid_t pid) { return syscall(SYS_sched_getscheduler, pid); }
long SetScheduler(pid_t pid, int policy, const sched_param* p) {
  return syscall(SYS_sched_setscheduler, pid, policy, p);
}

TEST(SchedTest, PriorityRangeOfEachPolicy) {
  EXPECT_THAT(sched_get_priority_min(SCHED_FIFO), SyscallSucceedsWithValue(1));
  EXPECT_THAT(sched_get_priority_max(SCHED_FIFO), SyscallSucceedsWithValue(99));
  EXPECT_THAT(sched_get_priority_min(SCHED_RR), SyscallSucceedsWithValue(1));
  EXPECT_THAT(sched_get_priority_max(SCHED_RR), SyscallSucceedsWithValue(99));
  for (int policy : {SCHED_OTHER, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE}) {
    EXPECT_THAT(sched_get_priority_min(policy), SyscallSucceedsWithValue(0)) << policy;
    EXPECT_THAT(sched_get_priority_max(policy), SyscallSucceedsWithValue(0)) << policy;
  }
  for (int policy : {-1, 4, 8, SCHED_OTHER | SCHED_RESET_ON_FORK}) {
    EXPECT_THAT(sched_get_priority_min(policy), SyscallFailsWithErrno(EINVAL)) << policy;
    EXPECT_THAT(sched_get_priority_max(policy), SyscallFailsWithErrno(EINVAL)) << policy;
  }
}

TEST(SchedTest, GettersAndTheirErrors) {
  EXPECT_THAT(GetScheduler(0), SyscallSucceedsWithValue(SCHED_OTHER));
  EXPECT_THAT(GetScheduler(getpid()), SyscallSucceedsWithValue(SCHED_OTHER));
  EXPECT_THAT(GetScheduler(-1), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(GetScheduler(999999), SyscallFailsWithErrno(ESRCH));
  sched_param p{7};
  EXPECT_THAT(syscall(SYS_sched_getparam, 0, &p), SyscallSucceedsWithValue(0));
  EXPECT_EQ(p.sched_priority, 0);
  EXPECT_THAT(syscall(SYS_sched_getparam, 0, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_sched_getparam, -1, &p), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(syscall(SYS_sched_getparam, 999999, &p), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(syscall(SYS_sched_getparam, 0, reinterpret_cast<void*>(8)),
              SyscallFailsWithErrno(EFAULT));
}

TEST(SchedTest, SetschedulerValidatesPolicyAndPriority) {
  InChild([] {
    sched_param zero{0}, one{1}, high{100};
    if (SetScheduler(0, SCHED_OTHER, &one) != -1 || errno != EINVAL) return 1;
    if (SetScheduler(0, SCHED_FIFO, &zero) != -1 || errno != EINVAL) return 2;
    if (SetScheduler(0, SCHED_RR, &high) != -1 || errno != EINVAL) return 3;
    if (SetScheduler(0, 4, &zero) != -1 || errno != EINVAL) return 4;
    if (SetScheduler(0, -1, &zero) != -1 || errno != EINVAL) return 5;
    if (SetScheduler(0, SCHED_DEADLINE, &zero) != -1 || errno != EINVAL) return 6;
    if (SetScheduler(0, SCHED_OTHER, nullptr) != -1 || errno != EINVAL) return 7;
    if (SetScheduler(-1, SCHED_OTHER, &zero) != -1 || errno != EINVAL) return 8;
    if (SetScheduler(999999, SCHED_OTHER, &zero) != -1 || errno != ESRCH) return 9;
    if (SetScheduler(0, SCHED_OTHER, reinterpret_cast<sched_param*>(8)) != -1 || errno != EFAULT) {
      return 10;
    }
    if (syscall(SYS_sched_setparam, 0, &one) != -1 || errno != EINVAL) return 11;
    if (syscall(SYS_sched_setparam, 0, &zero) != 0) return 12;
    return 0;
  });
}

TEST(SchedTest, BatchIdleAndBackAreKept) {
  InChild([] {
    sched_param zero{0};
    if (SetScheduler(0, SCHED_BATCH, &zero) != 0) return 1;
    if (GetScheduler(0) != SCHED_BATCH) return 2;
    if (SetScheduler(0, SCHED_IDLE, &zero) != 0) return 3;
    if (GetScheduler(0) != SCHED_IDLE) return 4;
    // sched_setparam keeps the policy.
    if (syscall(SYS_sched_setparam, 0, &zero) != 0) return 5;
    if (GetScheduler(0) != SCHED_IDLE) return 6;
    if (SetScheduler(0, SCHED_OTHER, &zero) != 0) return 7;
    if (GetScheduler(0) != SCHED_OTHER) return 8;
    return 0;
  });
}

TEST(SchedTest, ResetOnForkIsReportedAndResetsTheChild) {
  InChild([] {
    sched_param zero{0};
    if (setpriority(PRIO_PROCESS, 0, -5) != 0) return 1;
    if (SetScheduler(0, SCHED_BATCH | SCHED_RESET_ON_FORK, &zero) != 0) return 2;
    if (GetScheduler(0) != (SCHED_BATCH | SCHED_RESET_ON_FORK)) return 3;
    pid_t pid = fork();
    if (pid < 0) return 4;
    if (pid == 0) {
      // The flag is gone, a negative nice value is 0 again, a
      // non-real-time policy stays.
      if (GetScheduler(0) != SCHED_BATCH) _exit(1);
      if (RawGetpriority(PRIO_PROCESS, 0) != 20) _exit(2);
      _exit(0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 5;
    if (WEXITSTATUS(status) != 0) return 10 + WEXITSTATUS(status);
    return 0;
  });
}

TEST(SchedTest, UnprivilegedLimits) {
  Sleeper other;  // root's
  ASSERT_GT(other.pid(), 0) << ErrnoName(errno);
  pid_t victim = other.pid();
  InChild([victim] {
    sched_param zero{0}, one{1};
    if (SetScheduler(0, SCHED_IDLE | SCHED_RESET_ON_FORK, &zero) != 0) return 1;
    rlimit rl{0, 0};
    if (setrlimit(RLIMIT_RTPRIO, &rl) != 0 || setrlimit(RLIMIT_NICE, &rl) != 0) return 2;
    if (setresuid(65534, 65534, 65534) != 0) return 3;
    // A real-time policy needs RLIMIT_RTPRIO.
    if (SetScheduler(0, SCHED_FIFO, &one) != -1 || errno != EPERM) return 4;
    // Leaving SCHED_IDLE is lowering the nice value from 20.
    if (SetScheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &zero) != -1 || errno != EPERM) {
      return 5;
    }
    // The reset-on-fork flag cannot be cleared.
    if (SetScheduler(0, SCHED_IDLE, &zero) != -1 || errno != EPERM) return 6;
    if (SetScheduler(0, SCHED_IDLE | SCHED_RESET_ON_FORK, &zero) != 0) return 7;
    // Someone else's thread.
    if (SetScheduler(victim, SCHED_BATCH, &zero) != -1 || errno != EPERM) return 8;
    if (GetScheduler(victim) != SCHED_OTHER) return 9;
    return 0;
  });
}

TEST(SchedTest, RrGetInterval) {
  timespec ts{-1, -1};
  ASSERT_THAT(sched_rr_get_interval(0, &ts), SyscallSucceeds());
  EXPECT_EQ(ts.tv_sec, 0);
  EXPECT_GE(ts.tv_nsec, 0);
  EXPECT_THAT(sched_rr_get_interval(-1, &ts), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(sched_rr_get_interval(999999, &ts), SyscallFailsWithErrno(ESRCH));
  EXPECT_THAT(syscall(SYS_sched_rr_get_interval, 0, reinterpret_cast<void*>(8)),
              SyscallFailsWithErrno(EFAULT));
}

}  // namespace
}  // namespace test_util
