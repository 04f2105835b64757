// Threads: clone(2) with CLONE_VM|CLONE_THREAD, futex(2) between threads,
// set_tid_address(2)/CLONE_CHILD_CLEARTID (pthread_join), thread-local
// storage (CLONE_SETTLS), signals to one thread.
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace {

thread_local int tls_value = 0;

TEST(ThreadTest, ThreadsRunAndJoin) {
  std::atomic<int> ran{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i) ts.emplace_back([&] { ++ran; });
  for (auto& t : ts) t.join();
  EXPECT_EQ(ran.load(), 8);
}

TEST(ThreadTest, IdsAreDistinctAndShareThePid) {
  pid_t pid = getpid();
  std::mutex mu;
  std::set<pid_t> tids;
  std::vector<std::thread> ts;
  for (int i = 0; i < 8; ++i) {
    ts.emplace_back([&] {
      pid_t tid = static_cast<pid_t>(syscall(SYS_gettid));
      EXPECT_EQ(getpid(), pid);
      std::lock_guard<std::mutex> l(mu);
      tids.insert(tid);
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(tids.size(), 8u);
  EXPECT_EQ(tids.count(pid), 0u);
}

TEST(ThreadTest, ThreadLocalStorageIsPerThread) {
  tls_value = 1;
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i) {
    ts.emplace_back([&, i] {
      EXPECT_EQ(tls_value, 0);
      tls_value = 100 + i;
      usleep(1000);
      if (tls_value == 100 + i) ++ok;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(tls_value, 1);
}

TEST(ThreadTest, MutexesAndConditionVariables) {
  std::mutex mu;
  std::condition_variable cv;
  long counter = 0;
  int turn = 0;
  constexpr int kThreads = 4, kRounds = 200;
  std::vector<std::thread> ts;
  for (int id = 0; id < kThreads; ++id) {
    ts.emplace_back([&, id] {
      for (int r = 0; r < kRounds; ++r) {
        std::unique_lock<std::mutex> l(mu);
        cv.wait(l, [&] { return turn == id; });
        ++counter;
        turn = (turn + 1) % kThreads;
        cv.notify_all();
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(counter, kThreads * kRounds);
}

TEST(ThreadTest, ManyThreadsContendOnOneMutex) {
  std::mutex mu;
  long counter = 0;
  std::vector<std::thread> ts;
  for (int i = 0; i < 16; ++i) {
    ts.emplace_back([&] {
      for (int j = 0; j < 500; ++j) {
        std::lock_guard<std::mutex> l(mu);
        ++counter;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(counter, 16 * 500);
}

std::atomic<int> g_handled_by{0};
void OnUsr1(int) { g_handled_by = static_cast<int>(syscall(SYS_gettid)); }

TEST(ThreadTest, TgkillTargetsOneThread) {
  signal(SIGUSR1, OnUsr1);
  std::atomic<pid_t> tid{0};
  std::atomic<bool> done{false};
  std::thread t([&] {
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    while (!done) usleep(1000);
  });
  while (tid == 0) usleep(1000);
  ASSERT_EQ(syscall(SYS_tgkill, getpid(), tid.load(), SIGUSR1), 0);
  for (int i = 0; i < 1000 && g_handled_by == 0; ++i) usleep(1000);
  EXPECT_EQ(g_handled_by.load(), tid.load());
  done = true;
  t.join();
  signal(SIGUSR1, SIG_DFL);
}

TEST(ThreadTest, SleepingThreadDoesNotHoldUpOthers) {
  std::atomic<bool> woke{false};
  std::thread sleeper([&] {
    usleep(200 * 1000);
    woke = true;
  });
  std::atomic<int> quick{0};
  std::thread other([&] { ++quick; });
  other.join();
  EXPECT_EQ(quick.load(), 1);
  EXPECT_FALSE(woke.load());
  sleeper.join();
  EXPECT_TRUE(woke.load());
}

}  // namespace
