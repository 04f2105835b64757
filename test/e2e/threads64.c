// 64 threads sharing a mutex, a condition variable and a raw futex: a
// token passes round the threads in order (condition variable), each
// increments a shared counter under the mutex, and a futex barrier ends
// each round. Prints the counter; exits non-zero on any inconsistency.
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { kThreads = 64, kRounds = 50 };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn = 0;
static long counter = 0;
static atomic_uint arrived = 0;
static atomic_uint generation = 0;

static void futex_barrier(void) {
  unsigned gen = atomic_load(&generation);
  if (atomic_fetch_add(&arrived, 1) + 1 == kThreads) {
    atomic_store(&arrived, 0);
    atomic_fetch_add(&generation, 1);
    syscall(SYS_futex, &generation, FUTEX_WAKE_PRIVATE, kThreads, NULL, NULL, 0);
    return;
  }
  while (atomic_load(&generation) == gen) {
    syscall(SYS_futex, &generation, FUTEX_WAIT_PRIVATE, gen, NULL, NULL, 0);
  }
}

static void* worker(void* arg) {
  int id = (int)(long)arg;
  for (int round = 0; round < kRounds; ++round) {
    pthread_mutex_lock(&mu);
    while (turn != id) pthread_cond_wait(&cv, &mu);
    ++counter;
    turn = (turn + 1) % kThreads;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    futex_barrier();
  }
  return NULL;
}

int main(void) {
  pthread_t t[kThreads];
  for (long i = 0; i < kThreads; ++i) {
    if (pthread_create(&t[i], NULL, worker, (void*)i) != 0) {
      perror("pthread_create");
      return 2;
    }
  }
  for (int i = 0; i < kThreads; ++i) pthread_join(t[i], NULL);
  printf("%ld\n", counter);
  return counter == (long)kThreads * kRounds ? 0 : 1;
}
