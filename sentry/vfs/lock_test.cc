// Advisory locks: flock, POSIX record locks (merge/split per owner) and OFD locks.
#include "sentry/vfs/lock.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "sentry/vfs/file_description.h"

namespace sentry::vfs {
namespace {

template <typename T>
int ErrnoOf(const util::ErrnoOr<T>& r) {
  return r.ok() ? 0 : r.error().value();
}

// Owners are just distinct addresses.
const int kProcA = 0, kProcB = 0, kFileA = 0, kFileB = 0;
const void* const a = &kProcA;
const void* const b = &kProcB;
const void* const fa = &kFileA;
const void* const fb = &kFileB;

RecordLock Posix(const void* owner, int type, uint64_t start, uint64_t end, int pid = 1) {
  return RecordLock{start, end, type, owner, pid, false};
}
RecordLock Ofd(const void* owner, int type, uint64_t start, uint64_t end) {
  return RecordLock{start, end, type, owner, -1, true};
}

TEST(FlockTest, SharedLocksCoexistExclusiveConflicts) {
  LockState ls;
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, LOCK_SH, false)), 0);
  EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_SH, false)), 0);
  EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_EX, false)), EWOULDBLOCK);
  // The failed conversion dropped fb's shared lock (not atomic, as on Linux).
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, LOCK_EX, false)), 0);
  EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_SH, false)), EWOULDBLOCK);
  // Relocking with the same type is a no-op.
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, LOCK_EX, false)), 0);
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, LOCK_UN, false)), 0);
  EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_EX, false)), 0);
}

TEST(FlockTest, ReleaseFlockDropsOwner) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.Flock(fa, LOCK_EX, false)), 0);
  EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_SH, false)), EWOULDBLOCK);
  ls.ReleaseFlock(fa);
  EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_SH, false)), 0);
}

TEST(FlockTest, InvalidOp) {
  LockState ls;
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, 0, false)), EINVAL);
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, LOCK_SH | LOCK_EX, false)), EINVAL);
}

TEST(FlockTest, BlockingLockReleasedByAnotherThread) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.Flock(fa, LOCK_EX, false)), 0);
  std::atomic<bool> got{false};
  std::thread t([&] {
    EXPECT_EQ(ErrnoOf(ls.Flock(fb, LOCK_EX, true)), 0);
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());
  ASSERT_EQ(ErrnoOf(ls.Flock(fa, LOCK_UN, false)), 0);
  t.join();
  EXPECT_TRUE(got.load());
  EXPECT_EQ(ErrnoOf(ls.Flock(fa, LOCK_SH, false)), EWOULDBLOCK);
}

TEST(RecordLockTest, ReadLocksOfDifferentOwnersDoNotConflict) {
  LockState ls;
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_RDLCK, 0, 100), false)), 0);
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(b, F_RDLCK, 50, 150), false)), 0);
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(b, F_WRLCK, 90, 95), false)), EAGAIN);
  // Beyond a's range b may write-lock.
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(b, F_WRLCK, 100, 150), false)), 0);
  auto c = ls.TestRecordLock(Posix(a, F_WRLCK, 120, 121));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->owner, b);
  EXPECT_EQ(c->type, F_WRLCK);
  EXPECT_EQ(c->start, 100u);
  EXPECT_EQ(c->end, 150u);
}

TEST(RecordLockTest, OwnLocksNeverConflictAndReplace) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 0, 100), false)), 0);
  // a converts the middle to a read lock: now [0,40) W, [40,60) R, [60,100) W.
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_RDLCK, 40, 60), false)), 0);
  EXPECT_FALSE(ls.TestRecordLock(Posix(b, F_RDLCK, 40, 60)).has_value());
  auto left = ls.TestRecordLock(Posix(b, F_RDLCK, 0, 100));
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ(left->start, 0u);
  EXPECT_EQ(left->end, 40u);
  auto right = ls.TestRecordLock(Posix(b, F_RDLCK, 45, 100));
  ASSERT_TRUE(right.has_value());
  EXPECT_EQ(right->start, 60u);
  EXPECT_EQ(right->end, 100u);
  auto mid = ls.TestRecordLock(Posix(b, F_WRLCK, 45, 50));
  ASSERT_TRUE(mid.has_value());
  EXPECT_EQ(mid->type, F_RDLCK);
  EXPECT_EQ(mid->start, 40u);
  EXPECT_EQ(mid->end, 60u);
}

TEST(RecordLockTest, AdjacentLocksOfOneOwnerMerge) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 0, 10), false)), 0);
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 20, 30), false)), 0);
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 10, 20), false)), 0);
  auto c = ls.TestRecordLock(Posix(b, F_RDLCK, 5, 6));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->start, 0u);
  EXPECT_EQ(c->end, 30u);
}

TEST(RecordLockTest, UnlockSplits) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 0, kLockToEof), false)), 0);
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_UNLCK, 100, 200), false)), 0);
  EXPECT_FALSE(ls.TestRecordLock(Posix(b, F_WRLCK, 100, 200)).has_value());
  auto hi = ls.TestRecordLock(Posix(b, F_WRLCK, 150, 250));
  ASSERT_TRUE(hi.has_value());
  EXPECT_EQ(hi->start, 200u);
  EXPECT_EQ(hi->end, kLockToEof);
  ASSERT_TRUE(ls.TestRecordLock(Posix(b, F_WRLCK, 50, 150)).has_value());
  // Unlocking what is not locked succeeds.
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(b, F_UNLCK, 0, 10), false)), 0);
}

TEST(RecordLockTest, InvalidRequests) {
  LockState ls;
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, 7, 0, 10), false)), EINVAL);
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_RDLCK, 10, 10), false)), EINVAL);
}

TEST(RecordLockTest, OfdLocksConflictWithPosixLocks) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 0, 10), false)), 0);
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Ofd(fa, F_RDLCK, 5, 15), false)), EAGAIN);
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Ofd(fa, F_WRLCK, 10, 20), false)), 0);
  // Two OFD locks on different descriptions conflict even in one process.
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Ofd(fb, F_WRLCK, 15, 16), false)), EAGAIN);
  auto c = ls.TestRecordLock(Posix(b, F_RDLCK, 12, 13));
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->ofd);
  EXPECT_EQ(c->pid, -1);
  ls.ReleaseRecordLocks(fa);
  EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Ofd(fb, F_WRLCK, 15, 16), false)), 0);
}

TEST(RecordLockTest, ReleaseRecordLocksDropsOnlyThatOwner) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_RDLCK, 0, 10), false)), 0);
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(b, F_RDLCK, 0, 10), false)), 0);
  ls.ReleaseRecordLocks(a);
  auto c = ls.TestRecordLock(Posix(a, F_WRLCK, 0, 10));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->owner, b);
}

TEST(RecordLockTest, BlockingLockReleasedByAnotherThread) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 0, 100), false)), 0);
  std::atomic<bool> got{false};
  std::thread t([&] {
    EXPECT_EQ(ErrnoOf(ls.SetRecordLock(Posix(b, F_WRLCK, 50, 60, 2), true)), 0);
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());
  // Unlocking a part that does not cover b's range does not let it in.
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_UNLCK, 0, 10), false)), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(got.load());
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_UNLCK, 40, 70), false)), 0);
  t.join();
  EXPECT_TRUE(got.load());
  auto c = ls.TestRecordLock(Posix(a, F_RDLCK, 55, 56));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->pid, 2);
}

std::atomic<bool> interrupt_flag{false};
bool CheckInterrupt(void*) { return interrupt_flag.load(); }

TEST(RecordLockTest, BlockedWaitIsInterrupted) {
  LockState ls;
  ASSERT_EQ(ErrnoOf(ls.SetRecordLock(Posix(a, F_WRLCK, 0, 100), false)), 0);
  ASSERT_EQ(ErrnoOf(ls.Flock(fa, LOCK_EX, false)), 0);
  interrupt_flag = false;
  std::atomic<int> record_err{-1}, flock_err{-1};
  std::thread t([&] {
    SetInterruptCheck(CheckInterrupt, nullptr);
    record_err = ErrnoOf(ls.SetRecordLock(Posix(b, F_RDLCK, 0, 1), true));
    flock_err = ErrnoOf(ls.Flock(fb, LOCK_SH, true));
    SetInterruptCheck(nullptr, nullptr);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(record_err.load(), -1);
  interrupt_flag = true;
  t.join();
  EXPECT_EQ(record_err.load(), EINTR);
  EXPECT_EQ(flock_err.load(), EINTR);
}

}  // namespace
}  // namespace sentry::vfs
