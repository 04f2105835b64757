// fuzz_syscalls: a seeded random-syscall robustness check for the sentry.
//
//   runsc do fuzz_syscalls [SEED [ITERATIONS [--trace]]]
//
// NEVER RUN THIS NATIVELY. It calls the host kernel's memory, signal-mask,
// ioctl and write system calls with random arguments; inside the sandbox every
// one of them is emulated by the sentry, which is what is being tested. The
// program refuses to start unless uname(2) says it is running on the sentry.
//
// Each iteration picks a system call from an allowlist of calls that the
// sandbox implements and that cannot block indefinitely, end the process or
// send a signal, and calls it with arguments drawn from: small integers, -1,
// huge values (1<<47, ~0, 0x7ffffffff000, ...), NULL, unmapped and kernel
// addresses, a scratch region the program owns, its own stack, and its own
// (read-only) text. The sentry must answer every call with a result or an
// errno; a crash shows as runsc dying (134, 139, ...) or as this program dying.
//
// Keeping the program itself alive. The calls that change the address space
// (mmap MAP_FIXED, munmap, mprotect, mremap, madvise, brk) only ever target
// ranges that Linux could not let touch the program's own memory:
//   - the scratch region (64 MiB between two PROT_NONE guard pages, reserved at
//     start and never touched by the program itself),
//   - "void" ranges the program never maps ([0, 64 KiB), [1<<46, 1<<46 +
//     1<<44), and everything from the top of user space up),
//   - or ranges that Linux rejects before changing anything (unaligned
//     addresses, ranges crossing the top of user space, lengths that round to
//     0 or overflow); see the Safe* predicates.
// So if the program dies, the sentry did something Linux would not have done.
// New mappings the sentry places outside the scratch region (mmap without
// MAP_FIXED, mremap moves) are unmapped straight away. brk never goes below
// its value at start. Writes through random pointers (clock_gettime into text,
// uname into a guard page, ...) must fail with EFAULT or stop short; the
// program checks at the end that its text is unchanged and that the canaries
// around its stack sink are intact.
//
// Output: the seed first ("replay with"), then a per-syscall summary of the
// results (ok / each errno / skipped) and "fuzz_syscalls: PASS". Random writes
// go to fds 1 and 2 as well, so the output contains binary noise. --trace
// prints every call with its arguments before making it (to find the call that
// brought the sentry down). Exit status: 0 on success, 1 if a self-check failed,
// 2 on a usage or set-up error.
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096ULL
#define TASK_SIZE 0x7ffffffff000ULL
#define SCRATCH_LEN (64ULL << 20)
#define SCRATCH_PAGES (SCRATCH_LEN / PAGE)
// The stack sink: syscalls may write anywhere in its first kSinkSlack bytes
// plus up to kSinkMaxWrite more.
#define SINK_SLACK 4096ULL
#define SINK_MAX_WRITE (60ULL << 10)
#define SINK_LEN (SINK_SLACK + SINK_MAX_WRITE)
#define CANARY_LEN 256
#define CANARY_BYTE 0xa5

// Linker-provided bounds of the program image (text through bss).
extern char __executable_start[], etext[], _end[];

// ---- Output (no stdio after start-up: it could call malloc, and brk moves) ----

static char out_buf[4096];

static void WriteAll(int fd, const char* s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return;
    }
    s += w;
    n -= (size_t)w;
  }
}

__attribute__((format(printf, 2, 3))) static void Print(int fd, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out_buf, sizeof(out_buf), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof(out_buf)) n = sizeof(out_buf) - 1;
  WriteAll(fd, out_buf, (size_t)n);
}

// ---- Random numbers: splitmix64 ----

static uint64_t rng_state;

static uint64_t Next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
static int Chance(unsigned percent) { return Below(100) < percent; }
static uint64_t Pick(const uint64_t* v, size_t n) { return v[Below(n)]; }
#define PICK(...) \
  Pick((const uint64_t[]){__VA_ARGS__}, sizeof((const uint64_t[]){__VA_ARGS__}) / sizeof(uint64_t))

// ---- The program's own layout ----

static uint64_t scratch_lo, scratch_hi;  // the fuzzable interior
static uint64_t brk_floor;               // brk never goes below this
static uint64_t fs_base;                 // for ARCH_SET_FS with the current value
static uint32_t futex_word = 0x5eed;     // FUTEX_WAIT on it never matches
static const char kSelfExe[] = "/proc/self/exe";
static const struct timespec kOneMs = {0, 1000000};
static const struct timespec kBadTimespec = {0, 1000000000};
static const struct timespec kEpoch = {0, 0};

struct Sink {
  unsigned char before[CANARY_LEN];
  unsigned char bytes[SINK_LEN];
  unsigned char after[CANARY_LEN];
};
static struct Sink* sink;  // lives in main's frame

// Ranges the program never maps (see the top comment).
static const struct {
  uint64_t lo, hi;
} kVoid[] = {
    {0, 0x10000},
    {1ULL << 46, (1ULL << 46) + (1ULL << 44)},
};

static uint64_t PageUp(uint64_t x) { return (x + PAGE - 1) & ~(PAGE - 1); }

// Whether [addr, addr+len) (len already page-rounded, no overflow) lies in
// the scratch interior or in a void range.
static int Contained(uint64_t addr, uint64_t len) {
  if (addr + len < addr) return 0;
  if (addr >= scratch_lo && addr + len <= scratch_hi) return 1;
  for (size_t i = 0; i < sizeof(kVoid) / sizeof(kVoid[0]); ++i) {
    if (addr >= kVoid[i].lo && addr + len <= kVoid[i].hi) return 1;
  }
  return addr >= TASK_SIZE;
}

static int InVoid(uint64_t addr) {
  for (size_t i = 0; i < sizeof(kVoid) / sizeof(kVoid[0]); ++i) {
    if (addr >= kVoid[i].lo && addr < kVoid[i].hi) return 1;
  }
  return addr >= TASK_SIZE;
}

static int InScratch(uint64_t addr, uint64_t len) {
  return addr >= scratch_lo && addr + len >= addr && addr + len <= scratch_hi;
}

// Linux refuses the whole range: the length rounds to 0 or overflows, or the
// range ends past the top of user space.
static int RangeRejected(uint64_t addr, uint64_t len) {
  uint64_t rounded = PageUp(len);
  if (len != 0 && rounded == 0) return 1;  // overflow
  if (rounded == 0) return 1;
  return rounded > TASK_SIZE || addr > TASK_SIZE - rounded;
}

// munmap(2): EINVAL for unaligned or out-of-range; otherwise it unmaps.
static int SafeMunmap(uint64_t addr, uint64_t len) {
  if (addr & (PAGE - 1)) return 1;
  if (RangeRejected(addr, len)) return 1;
  return Contained(addr, PageUp(len));
}

// mmap(2) with MAP_FIXED: EINVAL unaligned, ENOMEM out of range.
static int SafeFixedMmap(uint64_t addr, uint64_t len) { return SafeMunmap(addr, len); }

// mprotect(2): fails at once if nothing is mapped at addr (without
// PROT_GROWSDOWN, which starts at the first VMA in the range).
static int SafeMprotect(uint64_t addr, uint64_t len, uint64_t prot) {
  if (addr & (PAGE - 1)) return 1;
  uint64_t rounded = PageUp(len);
  if (len != 0 && rounded == 0) return 1;
  if (rounded == 0) return 1;
  if (addr + rounded < addr) return 1;  // ENOMEM
  if (Contained(addr, rounded)) return 1;
  return InVoid(addr) && !(prot & (PROT_GROWSDOWN | PROT_GROWSUP));
}

// madvise(2): applies the advice to whatever is mapped in the range.
static int SafeMadvise(uint64_t addr, uint64_t len) {
  if (addr & (PAGE - 1)) return 1;
  uint64_t rounded = PageUp(len);
  if (len != 0 && rounded == 0) return 1;
  if (rounded == 0) return 1;  // 0: nothing to do
  if (addr + rounded < addr) return 1;
  return Contained(addr, rounded);
}

// mremap(2): EFAULT if nothing is mapped at old; a shrink unmaps the old
// tail; MREMAP_FIXED unmaps the destination first.
static int SafeMremap(uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags,
                      uint64_t new_addr) {
  if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return 1;
  if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) && !(flags & MREMAP_MAYMOVE)) return 1;
  if (old & (PAGE - 1)) return 1;
  uint64_t olen = PageUp(old_len), nlen = PageUp(new_len);
  if ((old_len != 0 && olen == 0) || nlen == 0) return 1;
  if (!(InScratch(old, olen) || InVoid(old))) return 0;
  if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
    if (new_addr & (PAGE - 1)) return 1;
    if (nlen > TASK_SIZE || new_addr > TASK_SIZE - nlen) return 1;
    return Contained(new_addr, nlen);
  }
  return 1;
}

// Unmaps a mapping the sentry just made outside the scratch region.
static void DropNewMapping(uint64_t addr, uint64_t len) {
  if (InScratch(addr, PageUp(len))) return;
  syscall(SYS_munmap, addr, PageUp(len));
}

// ---- Argument generators ----

static uint64_t Huge(void) {
  return PICK(1ULL << 47, ~0ULL, TASK_SIZE, ~0ULL - PAGE + 1, 1ULL << 63, 1ULL << 62,
              0x8000000000000000ULL - 1, 0xffff800000000000ULL, 0x0000800000000000ULL,
              (uint64_t)INT_MAX, (uint64_t)UINT_MAX, 1ULL << 32);
}

// An integer argument.
static uint64_t RandInt(void) {
  switch (Below(8)) {
    case 0: return (uint64_t)-1;
    case 1: case 2: return Below(66);
    case 3: return (uint64_t)(int64_t)(int32_t)Next();
    case 4: return Huge();
    case 5: return 1ULL << Below(64);
    case 6: return (uint32_t)Next();
    default: return Next();
  }
}

// A length: 0, small, page multiples, powers of two, huge.
static uint64_t RandLen(void) {
  switch (Below(8)) {
    case 0: return 0;
    case 1: case 2: return 1 + Below(64);
    case 3: return PAGE * (1 + Below(64));
    case 4: return PAGE * (1 + Below(SCRATCH_PAGES));
    case 5: return 1ULL << Below(64);
    case 6: return Huge();
    default: return Next();
  }
}

// A length for mincore/mlock/munlock/msync. The sentry keeps a byte per page
// of the range while checking it: lengths from 2^41 to 2^52 would make it
// allocate 0.5 GiB to 1 TiB, which on a big host is a real allocation rather
// than an immediate failure. Keep to lengths whose buffer is either small or
// impossible.
static uint64_t MemLen(void) {
  uint64_t len = RandLen();
  if (len >= (1ULL << 41) && len < (1ULL << 52)) len = PICK(1ULL << 62, ~0ULL, len >> 20);
  return len;
}

// An address that must not be dereferenced: NULL, low, unmapped, kernel,
// non-canonical, random.
static uint64_t BadAddr(void) {
  switch (Below(9)) {
    case 0: return 0;
    case 1: return 1 + Below(PAGE);
    case 2: return kVoid[1].lo + Below(kVoid[1].hi - kVoid[1].lo);
    case 3: return 0xffff800000000000ULL + Below(1ULL << 40);
    case 4: return 0x0000800000000000ULL + Below(PAGE);
    case 5: return ~0ULL - Below(PAGE);
    case 6: return TASK_SIZE + Below(PAGE);  // just past the top of user space
    case 7: return Huge();
    default: return Next();
  }
}

static uint64_t TextAddr(void) {
  return (uint64_t)(uintptr_t)__executable_start +
         Below((uint64_t)(etext - __executable_start));
}

// An address for the kernel to write up to `need` bytes to. Never anything
// the program uses, except the sink.
static uint64_t WritableAddr(uint64_t need) {
  unsigned r = (unsigned)Below(100);
  if (r < 25) return BadAddr();
  if (r < 35) return TextAddr();  // read-only: EFAULT
  if (r < 60 && need <= SINK_MAX_WRITE) {
    return (uint64_t)(uintptr_t)sink->bytes + Below(SINK_SLACK);
  }
  if (need <= SCRATCH_LEN) {
    if (Chance(10)) return scratch_hi - Below(64);  // runs into the guard page
    return scratch_lo + Below(SCRATCH_LEN - need + 1);
  }
  return BadAddr();
}

// An address for the kernel to read from: anything at all.
static uint64_t ReadableAddr(void) {
  int local;
  switch (Below(10)) {
    case 0: return (uint64_t)(uintptr_t)&rng_state;
    case 1: return (uint64_t)(uintptr_t)&local;
    case 2: return (uint64_t)(uintptr_t)kSelfExe;
    case 3: return (uint64_t)(uintptr_t)environ;
    default: return WritableAddr(SINK_MAX_WRITE);
  }
}

static uint64_t RandFd(void) {
  return PICK(0, 1, 2, (uint64_t)-1, 3, 7, 1000, 1 << 20, INT_MAX, (uint64_t)INT_MIN,
              RandInt());
}

static uint64_t RandPid(void) { return PICK(0, 1, 2, (uint64_t)-1, (uint64_t)getpid(), RandInt()); }

static uint64_t RandClock(void) {
  return PICK(CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
              CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
              CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM, CLOCK_TAI, 12, 16, (uint64_t)-1,
              (uint64_t)-6, (uint64_t)-2, RandInt());
}

// A page-aligned address and length for a call that changes mappings: mostly
// inside the scratch region, sometimes in a void range, sometimes anywhere
// (the Safe* predicates then decide).
static void MemTarget(uint64_t* addr, uint64_t* len) {
  unsigned r = (unsigned)Below(100);
  if (r < 60) {
    uint64_t page = Below(SCRATCH_PAGES);
    *addr = scratch_lo + page * PAGE;
    *len = PAGE * (1 + Below(Chance(70) ? 16 : SCRATCH_PAGES - page));
    if (*len > scratch_hi - *addr) *len = scratch_hi - *addr;
    if (Chance(5)) *addr += 1 + Below(PAGE - 1);
    if (Chance(10)) *len -= Below(PAGE);
  } else if (r < 75) {
    *addr = (kVoid[1].lo + Below(kVoid[1].hi - kVoid[1].lo)) & ~(PAGE - 1);
    *len = RandLen();
  } else {
    *addr = Chance(50) ? BadAddr() : RandInt();
    *len = RandLen();
  }
}

// ---- The calls ----

static int trace;
static long iteration;
static int skipped;  // set by a call that chose not to run

static long Sys(const char* name, long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                uint64_t e, uint64_t f) {
  if (trace) {
    Print(2, "\n[%ld] %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", iteration, name, (long)a,
          (long)b, (long)c, (long)d, (long)e, (long)f);
  }
  errno = 0;
  long r = syscall(nr, a, b, c, d, e, f);
  if (trace) Print(2, "[%ld] = %ld (%s)\n", iteration, r, r == -1 ? strerrorname_np(errno) : "-");
  return r;
}
#define SYS(nr, ...) SysN(#nr, SYS_##nr, __VA_ARGS__)
#define SysN(name, nr, ...) SysPad(name, nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define SysPad(name, nr, a, b, c, d, e, f, ...) \
  Sys(name, nr, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d), (uint64_t)(e), (uint64_t)(f))

static long Skip(void) {
  skipped = 1;
  return 0;
}

// Memory.

static long FuzzMmap(void) {
  uint64_t addr, len;
  MemTarget(&addr, &len);
  if (Chance(30)) len = RandLen();
  uint64_t prot = Chance(90) ? Below(8) : RandInt();
  uint64_t flags = PICK(MAP_PRIVATE, MAP_PRIVATE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, 0);
  if (Chance(90)) flags |= MAP_ANONYMOUS;
  if (Chance(40)) flags |= MAP_FIXED;
  if (Chance(10)) flags |= MAP_FIXED_NOREPLACE;
  if (Chance(5)) flags |= MAP_POPULATE;
  if (Chance(5)) flags |= MAP_NORESERVE;
  if (Chance(5)) flags |= MAP_GROWSDOWN;
  if (Chance(3)) flags |= MAP_LOCKED;
  if (Chance(3)) flags |= MAP_STACK;
  if (Chance(3)) flags |= MAP_HUGETLB;
  if (Chance(3)) flags |= MAP_32BIT;
  if (Chance(3)) flags |= 1ULL << Below(32);
  uint64_t fd = Chance(80) ? (uint64_t)-1 : RandFd();
  uint64_t off = Chance(80) ? 0 : Chance(50) ? PAGE * Below(1 << 20) : RandInt();
  if ((flags & MAP_POPULATE) && len > SCRATCH_LEN && len <= TASK_SIZE) len = SCRATCH_LEN;
  // MAP_FIXED replaces; MAP_FIXED_NOREPLACE alone never does.
  if ((flags & MAP_FIXED) && !SafeFixedMmap(addr, len)) return Skip();
  long r = SYS(mmap, addr, len, prot, flags, fd, off);
  if (r != -1) DropNewMapping((uint64_t)r, len);
  return r;
}

static long FuzzMunmap(void) {
  uint64_t addr, len;
  MemTarget(&addr, &len);
  if (!SafeMunmap(addr, len)) return Skip();
  return SYS(munmap, addr, len);
}

static long FuzzMprotect(void) {
  uint64_t addr, len;
  MemTarget(&addr, &len);
  uint64_t prot = Chance(85) ? Below(8) : Chance(50) ? (Below(8) | PICK(PROT_GROWSDOWN, PROT_GROWSUP,
                                                                        PROT_SEM)) : RandInt();
  if (!SafeMprotect(addr, len, prot)) return Skip();
  return SYS(mprotect, addr, len, prot);
}

static long FuzzMremap(void) {
  uint64_t old, old_len;
  MemTarget(&old, &old_len);
  uint64_t new_len = Chance(70) ? PAGE * (1 + Below(64)) : RandLen();
  uint64_t flags = PICK(0, MREMAP_MAYMOVE, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED,
                        MREMAP_FIXED, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, RandInt());
  uint64_t new_addr, unused;
  MemTarget(&new_addr, &unused);
  if (Chance(10)) old_len = 0;  // a second mapping of shared pages
  if (!SafeMremap(old, old_len, new_len, flags, new_addr)) return Skip();
  long r = SYS(mremap, old, old_len, new_len, flags, new_addr);
  if (r != -1 && (uint64_t)r != old) DropNewMapping((uint64_t)r, new_len);
  return r;
}

static long FuzzMadvise(void) {
  uint64_t addr, len;
  MemTarget(&addr, &len);
  // Never MADV_HWPOISON (100) or MADV_SOFT_OFFLINE (101): if one ever reached
  // the host it would take a page of host memory offline.
  uint64_t advice = Chance(85) ? Below(26) : PICK(102, 103, 200, (uint64_t)-1, 1000, 1 << 20);
  if (!SafeMadvise(addr, len)) return Skip();
  return SYS(madvise, addr, len, advice);
}

// An address for the range-inspecting calls: anything, often page-aligned.
static uint64_t InspectAddr(void) {
  uint64_t a = Chance(50) ? ReadableAddr() : BadAddr();
  return Chance(80) ? a & ~(PAGE - 1) : a;
}

static long FuzzMincore(void) {
  uint64_t addr = InspectAddr(), len = MemLen();
  uint64_t need = PageUp(len) / PAGE;
  uint64_t vec = (PageUp(len) == 0 && len != 0) ? BadAddr() : WritableAddr(need ? need : 1);
  return SYS(mincore, addr, len, vec);
}

static long FuzzMsync(void) {
  uint64_t flags = Chance(80) ? PICK(MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE,
                                     MS_SYNC | MS_INVALIDATE, MS_ASYNC | MS_SYNC, 0)
                              : RandInt();
  return SYS(msync, InspectAddr(), MemLen(), flags);
}

static long FuzzMlock(void) { return SYS(mlock, InspectAddr(), MemLen()); }
static long FuzzMunlock(void) { return SYS(munlock, InspectAddr(), MemLen()); }

static long FuzzBrk(void) {
  uint64_t arg;
  switch (Below(5)) {
    case 0: arg = 0; break;
    case 1: case 2: arg = brk_floor + Below(4 << 20); break;
    case 3: arg = Below(PAGE * 16); break;  // below the heap: ignored
    default: arg = Chance(50) ? Huge() : Next(); break;
  }
  // Shrinking below the start-up break would take memory libc uses. Growing
  // into the void ranges would put memory where the other calls assume there
  // is none: keep growth below 4 GiB.
  if (arg != 0 && arg >= (uint64_t)(uintptr_t)_end && arg < brk_floor) return Skip();
  if (arg >= (1ULL << 32) && arg < TASK_SIZE) arg = brk_floor + Below(64 << 20);
  return SYS(brk, arg);
}

// Identity.

static long FuzzGetpid(void) { return SYS(getpid, RandInt(), RandInt()); }
static long FuzzGetppid(void) { return SYS(getppid, RandInt()); }
static long FuzzGettid(void) { return SYS(gettid, RandInt()); }
static long FuzzGetuid(void) { return SYS(getuid, RandInt()); }
static long FuzzGeteuid(void) { return SYS(geteuid, RandInt()); }
static long FuzzGetgid(void) { return SYS(getgid, RandInt()); }
static long FuzzGetegid(void) { return SYS(getegid, RandInt()); }
static long FuzzGetresuid(void) {
  return SYS(getresuid, WritableAddr(4), WritableAddr(4), WritableAddr(4));
}
static long FuzzGetresgid(void) {
  return SYS(getresgid, WritableAddr(4), WritableAddr(4), WritableAddr(4));
}
static long FuzzGetgroups(void) {
  uint64_t size = Chance(70) ? Below(1024) : RandInt();
  uint64_t list = (size & 0xffffffffULL) <= 1024 ? WritableAddr(size * 4) : BadAddr();
  return SYS(getgroups, size, list);
}

// Time.

static long FuzzClockGettime(void) { return SYS(clock_gettime, RandClock(), WritableAddr(16)); }
static long FuzzClockGetres(void) {
  return SYS(clock_getres, RandClock(), Chance(20) ? 0 : WritableAddr(16));
}
static long FuzzGettimeofday(void) {
  return SYS(gettimeofday, Chance(20) ? 0 : WritableAddr(16), Chance(50) ? 0 : WritableAddr(8));
}
static long FuzzTime(void) { return SYS(time, Chance(30) ? 0 : WritableAddr(8)); }
static long FuzzTimes(void) { return SYS(times, Chance(20) ? 0 : WritableAddr(32)); }

// Miscellaneous.

static long FuzzUname(void) { return SYS(uname, WritableAddr(sizeof(struct utsname))); }
static long FuzzSysinfo(void) { return SYS(sysinfo, WritableAddr(128)); }

static long FuzzGetrandom(void) {
  uint64_t len = Chance(90) ? Below(256) : RandLen();
  uint64_t buf = len < 256 ? WritableAddr(len) : BadAddr();
  uint64_t flags = Chance(70) ? Below(8) : RandInt();
  return SYS(getrandom, buf, len, flags);
}

static long FuzzSchedGetaffinity(void) {
  uint64_t len = Chance(70) ? PICK(8, 16, 128, 1024, 0, 4, 7) : RandLen();
  uint64_t mask = len <= SINK_MAX_WRITE ? WritableAddr(len) : BadAddr();
  return SYS(sched_getaffinity, RandPid(), len, mask);
}

static long FuzzSchedSetaffinity(void) {
  uint64_t len = Chance(70) ? PICK(8, 16, 128, 1024, 0, 4) : RandLen();
  return SYS(sched_setaffinity, RandPid(), len, ReadableAddr());
}

static long FuzzGetcpu(void) {
  return SYS(getcpu, Chance(20) ? 0 : WritableAddr(4), Chance(20) ? 0 : WritableAddr(4),
             Chance(50) ? 0 : BadAddr());
}

static long FuzzPrlimit64(void) {
  // Never a real new limit: a low RLIMIT_CPU or RLIMIT_FSIZE would signal us.
  static const uint64_t kInverted[2] = {100, 10};  // cur > max: EINVAL
  uint64_t new_limit = Chance(60) ? 0 : Chance(50) ? (uint64_t)(uintptr_t)kInverted : BadAddr();
  uint64_t resource = Chance(80) ? Below(18) : RandInt();
  return SYS(prlimit64, RandPid(), resource, new_limit, Chance(20) ? 0 : WritableAddr(16));
}

static long FuzzGetrlimit(void) {
  uint64_t resource = Chance(80) ? Below(18) : RandInt();
  return SYS(getrlimit, resource, WritableAddr(16));
}

static long FuzzUmask(void) { return SYS(umask, Chance(50) ? Below(01000) : RandInt()); }

static long FuzzGetcwd(void) {
  uint64_t size = Chance(70) ? Below(4097) : RandLen();
  uint64_t buf = size <= SINK_MAX_WRITE ? WritableAddr(size) : BadAddr();
  return SYS(getcwd, buf, size);
}

static long FuzzReadlink(void) {
  uint64_t path = Chance(60) ? (uint64_t)(uintptr_t)kSelfExe : Chance(50) ? BadAddr()
                                                                          : WritableAddr(1);
  uint64_t size = Chance(70) ? Below(4097) : RandInt();
  uint64_t buf = size <= SINK_MAX_WRITE ? WritableAddr(size) : BadAddr();
  return SYS(readlink, path, buf, size);
}

static long FuzzArchPrctl(void) {
  switch (Below(6)) {
    case 0: return SYS(arch_prctl, ARCH_GET_FS, WritableAddr(8));
    case 1: return SYS(arch_prctl, ARCH_GET_GS, WritableAddr(8));
    case 2: return SYS(arch_prctl, ARCH_SET_FS, fs_base);  // unchanged
    case 3: return SYS(arch_prctl, ARCH_GET_CPUID, RandInt());
    default:
      // No code in [0x3000, 0x4000) is assigned.
      return SYS(arch_prctl, PICK(0x3000 + Below(0x1000), 0, (uint64_t)-1), RandInt());
  }
}

static long FuzzPrctl(void) {
  // Options that only read state (PR_CAPBSET_READ takes a capability number).
  uint64_t option = Chance(85)
                        ? PICK(PR_GET_PDEATHSIG, PR_GET_DUMPABLE, PR_GET_KEEPCAPS, PR_GET_TIMING,
                               PR_GET_NAME, PR_GET_ENDIAN, PR_GET_FPEMU, PR_GET_FPEXC,
                               PR_GET_UNALIGN, PR_GET_TSC, PR_GET_SECCOMP, PR_CAPBSET_READ,
                               PR_GET_SECUREBITS, PR_GET_TIMERSLACK, PR_MCE_KILL_GET,
                               PR_GET_CHILD_SUBREAPER, PR_GET_NO_NEW_PRIVS, PR_GET_TID_ADDRESS,
                               PR_GET_THP_DISABLE, PR_GET_SPECULATION_CTRL,
                               PR_GET_TAGGED_ADDR_CTRL, PR_GET_FP_MODE)
                        : 1000 + Below(0x40000000 - 1000);  // none assigned there
  uint64_t arg2 = option == PR_CAPBSET_READ ? RandInt() : Chance(80) ? WritableAddr(16) : RandInt();
  uint64_t rest = Chance(70) ? 0 : RandInt();
  return SYS(prctl, option, arg2, rest, Chance(80) ? 0 : RandInt(), Chance(80) ? 0 : RandInt());
}

static long FuzzRtSigprocmask(void) {
  uint64_t how = Chance(80) ? Below(3) : RandInt();
  uint64_t size = Chance(85) ? 8 : PICK(0, 4, 16, 128, RandInt());
  uint64_t set = Chance(30) ? 0 : ReadableAddr();
  uint64_t old = Chance(30) ? 0 : size <= SINK_MAX_WRITE ? WritableAddr(size) : BadAddr();
  return SYS(rt_sigprocmask, how, set, old, size);
}

static long FuzzRtSigpending(void) {
  uint64_t size = Chance(85) ? 8 : PICK(0, 4, 16, RandInt());
  uint64_t set = size <= SINK_MAX_WRITE ? WritableAddr(size) : BadAddr();
  return SYS(rt_sigpending, set, size);
}

static long FuzzFcntl(void) {
  return SYS(fcntl, RandFd(), Chance(90) ? PICK(F_GETFD, F_GETFL) : F_GETFD, RandInt());
}

static long FuzzFstat(void) { return SYS(fstat, RandFd(), WritableAddr(256)); }

static long FuzzDup(void) {
  long r = SYS(dup, RandFd());
  if (r > 2) syscall(SYS_close, r);
  return r;
}

static int stdio_is_tty;

static long FuzzIoctl(void) {
  // Terminal requests on a real terminal would change the host's terminal.
  if (stdio_is_tty) return Skip();
  uint64_t fd = Chance(80) ? PICK(1, 2) : RandFd();
  uint64_t request = Chance(60) ? PICK(FIOCLEX, FIONCLEX, FIONBIO, FIONREAD, TCGETS, TCSETS,
                                       TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ)
                                : Chance(50) ? (uint32_t)Next() : RandInt();
  // The request decides whether arg is read or written: treat it as written.
  uint64_t arg = Chance(70) ? WritableAddr(SINK_MAX_WRITE) : RandInt();
  return SYS(ioctl, fd, request, arg);
}

static long FuzzWrite(void) {
  uint64_t fd = Chance(90) ? PICK(1, 2) : PICK((uint64_t)-1, 1000);
  return SYS(write, fd, ReadableAddr(), Below(64));
}

// An iovec array on the stack: short readable pieces, or bad bases with
// any length (so that nothing big is ever written).
static struct iovec iov_store[16];

static uint64_t RandIovec(uint64_t* count) {
  if (Chance(15)) {
    // A bad array, or one of whatever bytes the calls left in the scratch
    // region (zeros, or random: non-canonical bases).
    *count = Chance(50) ? Below(1100) : RandInt();
    return Chance(50) ? BadAddr() : scratch_lo + Below(SCRATCH_LEN);
  }
  uint64_t n = Below(17);
  for (uint64_t i = 0; i < n; ++i) {
    if (Chance(80)) {
      iov_store[i].iov_base = (void*)(uintptr_t)ReadableAddr();
      iov_store[i].iov_len = Below(64);
    } else {
      iov_store[i].iov_base = (void*)(uintptr_t)BadAddr();
      iov_store[i].iov_len = RandLen();
    }
  }
  *count = Chance(90) ? n : PICK(1025, (uint64_t)-1, 1ULL << 31, RandInt());
  if (*count > 16 && *count <= 1024) *count = n;  // never read past the array
  return (uint64_t)(uintptr_t)iov_store;
}

static long FuzzWritev(void) {
  uint64_t count, iov = RandIovec(&count);
  return SYS(writev, Chance(90) ? PICK(1, 2) : (uint64_t)-1, iov, count);
}

static long FuzzPwrite64(void) {
  uint64_t fd = Chance(90) ? PICK(1, 2) : (uint64_t)-1;
  return SYS(pwrite64, fd, ReadableAddr(), Below(64), Chance(50) ? 0 : RandInt());
}

static long FuzzPwritev(void) {
  uint64_t count, iov = RandIovec(&count);
  return SYS(pwritev, Chance(90) ? PICK(1, 2) : (uint64_t)-1, iov, count,
             Chance(50) ? 0 : RandInt(), RandInt());
}

static long FuzzFutex(void) {
  uint64_t private_flag = Chance(50) ? FUTEX_PRIVATE_FLAG : 0;
  uint64_t word = (uint64_t)(uintptr_t)&futex_word;
  switch (Below(7)) {
    case 0:  // wake: nobody waits
      return SYS(futex, Chance(70) ? ReadableAddr() : BadAddr(), FUTEX_WAKE | private_flag,
                 RandInt(), RandInt(), RandInt(), RandInt());
    case 1:
      return SYS(futex, ReadableAddr(), FUTEX_WAKE_BITSET | private_flag, RandInt(), 0, 0,
                 Chance(20) ? 0 : RandInt());
    case 2:  // wait on a value that is not there: EAGAIN, whatever the timeout
      return SYS(futex, word, FUTEX_WAIT | private_flag, futex_word + 1 + Below(1000),
                 Chance(50) ? 0 : Chance(50) ? ReadableAddr() : BadAddr(), RandInt(), RandInt());
    case 3: {  // wait anywhere, for at most 1 ms (or an invalid/unreadable timeout)
      // Never NULL: the word might match.
      uint64_t bad = BadAddr();
      uint64_t timeout = PICK((uint64_t)(uintptr_t)&kOneMs, (uint64_t)(uintptr_t)&kOneMs,
                              (uint64_t)(uintptr_t)&kBadTimespec, bad ? bad : 1);
      uint64_t addr = Chance(50) ? ReadableAddr() : Chance(50) ? scratch_lo + 4 * Below(1024)
                                                               : BadAddr();
      return SYS(futex, addr, FUTEX_WAIT | private_flag, Chance(50) ? 0 : RandInt(), timeout,
                 RandInt(), RandInt());
    }
    case 4: {  // absolute deadline in the past
      uint64_t op = FUTEX_WAIT_BITSET | private_flag | (Chance(50) ? FUTEX_CLOCK_REALTIME : 0);
      uint64_t addr = Chance(50) ? ReadableAddr() : scratch_lo + 4 * Below(1024);
      return SYS(futex, addr, op, Chance(50) ? 0 : RandInt(), (uint64_t)(uintptr_t)&kEpoch, 0,
                 Chance(10) ? 0 : RandInt());
    }
    case 5:  // FUTEX_CLOCK_REALTIME on a command that does not take it
      return SYS(futex, word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME | private_flag, 1, 0, 0, 0);
    default:  // no such command ([14, 127]: none assigned)
      return SYS(futex, word, (14 + Below(114)) | private_flag, RandInt(), 0, 0, RandInt());
  }
}

static long FuzzUnassigned(void) {
  // x86-64 leaves 335-423 and 451-511 unassigned; 1000 and up is free too
  // (below the x32 bit, 0x40000000).
  uint64_t nr = PICK(335 + Below(89), 451 + Below(61), 1000 + Below(0x40000000 - 1000),
                     (1ULL << 32) | 1000, (uint64_t)-1);
  return Sys("unassigned", (long)nr, RandInt(), RandInt(), RandInt(), RandInt(), RandInt(),
             RandInt());
}

// ---- The table and its results ----

#define MAX_ERRNO 134

struct Call {
  const char* name;
  long (*fn)(void);
  unsigned weight;
  unsigned long calls, ok, skipped;
  unsigned long err[MAX_ERRNO + 1];  // [MAX_ERRNO]: any larger errno
};

#define CALL(name, fn, weight) {name, fn, weight, 0, 0, 0, {0}}

static struct Call calls[] = {
    CALL("mmap", FuzzMmap, 6),
    CALL("munmap", FuzzMunmap, 4),
    CALL("mprotect", FuzzMprotect, 4),
    CALL("mremap", FuzzMremap, 4),
    CALL("madvise", FuzzMadvise, 3),
    CALL("mincore", FuzzMincore, 3),
    CALL("msync", FuzzMsync, 2),
    CALL("brk", FuzzBrk, 2),
    CALL("mlock", FuzzMlock, 2),
    CALL("munlock", FuzzMunlock, 2),
    CALL("getpid", FuzzGetpid, 1),
    CALL("getppid", FuzzGetppid, 1),
    CALL("gettid", FuzzGettid, 1),
    CALL("getuid", FuzzGetuid, 1),
    CALL("geteuid", FuzzGeteuid, 1),
    CALL("getgid", FuzzGetgid, 1),
    CALL("getegid", FuzzGetegid, 1),
    CALL("getresuid", FuzzGetresuid, 1),
    CALL("getresgid", FuzzGetresgid, 1),
    CALL("getgroups", FuzzGetgroups, 1),
    CALL("clock_gettime", FuzzClockGettime, 2),
    CALL("clock_getres", FuzzClockGetres, 1),
    CALL("gettimeofday", FuzzGettimeofday, 1),
    CALL("time", FuzzTime, 1),
    CALL("times", FuzzTimes, 1),
    CALL("uname", FuzzUname, 1),
    CALL("sysinfo", FuzzSysinfo, 1),
    CALL("getrandom", FuzzGetrandom, 2),
    CALL("sched_getaffinity", FuzzSchedGetaffinity, 1),
    CALL("sched_setaffinity", FuzzSchedSetaffinity, 1),
    CALL("getcpu", FuzzGetcpu, 1),
    CALL("prlimit64", FuzzPrlimit64, 2),
    CALL("getrlimit", FuzzGetrlimit, 1),
    CALL("umask", FuzzUmask, 1),
    CALL("getcwd", FuzzGetcwd, 1),
    CALL("readlink", FuzzReadlink, 2),
    CALL("arch_prctl", FuzzArchPrctl, 2),
    CALL("prctl", FuzzPrctl, 3),
    CALL("rt_sigprocmask", FuzzRtSigprocmask, 2),
    CALL("rt_sigpending", FuzzRtSigpending, 1),
    CALL("fcntl", FuzzFcntl, 1),
    CALL("fstat", FuzzFstat, 1),
    CALL("dup", FuzzDup, 1),
    CALL("ioctl", FuzzIoctl, 2),
    CALL("write", FuzzWrite, 1),
    CALL("writev", FuzzWritev, 2),
    CALL("pwrite64", FuzzPwrite64, 1),
    CALL("pwritev", FuzzPwritev, 1),
    CALL("futex", FuzzFutex, 3),
    CALL("unassigned", FuzzUnassigned, 3),
};
#define NUM_CALLS (sizeof(calls) / sizeof(calls[0]))

static struct Call* PickCall(void) {
  static unsigned total;
  if (total == 0) {
    for (size_t i = 0; i < NUM_CALLS; ++i) total += calls[i].weight;
  }
  unsigned r = (unsigned)Below(total);
  for (size_t i = 0; i < NUM_CALLS; ++i) {
    if (r < calls[i].weight) return &calls[i];
    r -= calls[i].weight;
  }
  return &calls[0];
}

static void PrintSummary(void) {
  for (size_t i = 0; i < NUM_CALLS; ++i) {
    const struct Call* c = &calls[i];
    int n = snprintf(out_buf, sizeof(out_buf), "  %-18s calls=%lu ok=%lu", c->name, c->calls,
                     c->ok);
    for (int e = 1; e <= MAX_ERRNO && n > 0 && (size_t)n < sizeof(out_buf); ++e) {
      if (c->err[e] == 0) continue;
      const char* name = e < MAX_ERRNO ? strerrorname_np(e) : NULL;
      n += snprintf(out_buf + n, sizeof(out_buf) - (size_t)n, " %s%s=%lu",
                    name ? name : e < MAX_ERRNO ? "errno" : "errno>=", name ? "" : "", c->err[e]);
    }
    if (c->skipped && n > 0 && (size_t)n < sizeof(out_buf)) {
      n += snprintf(out_buf + n, sizeof(out_buf) - (size_t)n, " skipped=%lu", c->skipped);
    }
    if (n > 0 && (size_t)n < sizeof(out_buf) - 1) {
      out_buf[n++] = '\n';
      WriteAll(1, out_buf, (size_t)n);
    }
  }
}

// ---- Set-up and self-checks ----

static uint64_t Checksum(const unsigned char* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

static int InRange(uint64_t x, uint64_t lo, uint64_t hi) { return x >= lo && x < hi; }

// The program's own memory must not lie in a void range.
static int LayoutOk(void) {
  int local;
  uint64_t own[] = {(uint64_t)(uintptr_t)__executable_start, (uint64_t)(uintptr_t)_end,
                    (uint64_t)(uintptr_t)&local, (uint64_t)(uintptr_t)sbrk(0),
                    (uint64_t)getauxval(AT_SYSINFO_EHDR), scratch_lo - PAGE, scratch_hi + PAGE - 1};
  for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); ++i) {
    if (own[i] == 0) continue;  // no vDSO
    for (size_t v = 0; v < sizeof(kVoid) / sizeof(kVoid[0]); ++v) {
      if (InRange(own[i], kVoid[v].lo, kVoid[v].hi)) {
        Print(2, "fuzz_syscalls: own memory at %#lx is in a void range\n", (long)own[i]);
        return 0;
      }
    }
  }
  return 1;
}

static int InSandbox(void) {
  struct utsname u;
  if (uname(&u) != 0) return 0;
  return strstr(u.version, "sentry") != NULL;
}

int main(int argc, char** argv) {
  if (!InSandbox()) {
    Print(2, "fuzz_syscalls: refusing to run outside the sandbox (uname -v does not say "
             "\"sentry\"): random system calls are not safe on the host. Run it as "
             "`runsc do %s [SEED]`.\n", argv[0]);
    return 2;
  }
  uint64_t seed;
  if (argc > 1) {
    char* end;
    errno = 0;
    seed = strtoull(argv[1], &end, 0);
    if (errno != 0 || *end != '\0') {
      Print(2, "usage: %s [SEED [ITERATIONS [--trace]]]\n", argv[0]);
      return 2;
    }
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec;
  }
  long iterations = argc > 2 ? strtol(argv[2], NULL, 0) : 20000;
  trace = argc > 3 && strcmp(argv[3], "--trace") == 0;
  if (iterations <= 0) {
    Print(2, "usage: %s [SEED [ITERATIONS [--trace]]]\n", argv[0]);
    return 2;
  }
  rng_state = seed;

  // The scratch region: a guard page on either side, never touched directly.
  void* reserve = mmap(NULL, SCRATCH_LEN + 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (reserve == MAP_FAILED) {
    Print(2, "fuzz_syscalls: cannot reserve the scratch region: %s\n", strerror(errno));
    return 2;
  }
  scratch_lo = (uint64_t)(uintptr_t)reserve + PAGE;
  scratch_hi = scratch_lo + SCRATCH_LEN;
  if (mprotect((void*)(uintptr_t)scratch_lo, SCRATCH_LEN, PROT_READ | PROT_WRITE) != 0) {
    Print(2, "fuzz_syscalls: mprotect of the scratch region: %s\n", strerror(errno));
    return 2;
  }

  struct Sink sink_storage;
  memset(&sink_storage, 0, sizeof(sink_storage));
  memset(sink_storage.before, CANARY_BYTE, CANARY_LEN);
  memset(sink_storage.after, CANARY_BYTE, CANARY_LEN);
  sink = &sink_storage;

  if (syscall(SYS_arch_prctl, ARCH_GET_FS, &fs_base) != 0) {
    Print(2, "fuzz_syscalls: ARCH_GET_FS: %s\n", strerror(errno));
    return 2;
  }
  brk_floor = (uint64_t)(uintptr_t)sbrk(0);
  struct termios t;
  stdio_is_tty = tcgetattr(1, &t) == 0 || tcgetattr(2, &t) == 0;
  int fl1 = fcntl(1, F_GETFL), fl2 = fcntl(2, F_GETFL);
  if (!LayoutOk()) return 2;
  const size_t text_len = (size_t)(etext - __executable_start);
  const uint64_t text_sum = Checksum((const unsigned char*)__executable_start, text_len);

  Print(1, "fuzz_syscalls: seed=%#llx iterations=%ld scratch=[%#llx, %#llx)%s\n",
        (unsigned long long)seed, iterations, (unsigned long long)scratch_lo,
        (unsigned long long)scratch_hi, stdio_is_tty ? " (stdio is a terminal: no ioctls)" : "");
  Print(1, "fuzz_syscalls: replay with: runsc do %s %#llx %ld --trace\n", argv[0],
        (unsigned long long)seed, iterations);

  unsigned long total_skipped = 0;
  for (iteration = 0; iteration < iterations; ++iteration) {
    struct Call* c = PickCall();
    skipped = 0;
    long r = c->fn();
    int e = errno;
    c->calls++;
    if (skipped) {
      c->skipped++;
      total_skipped++;
    } else if (r == -1) {
      c->err[e > 0 && e < MAX_ERRNO ? e : MAX_ERRNO]++;
    } else {
      c->ok++;
    }
  }

  // Undo what the calls may have changed about the output.
  if (fl1 != -1) fcntl(1, F_SETFL, fl1);
  if (fl2 != -1) fcntl(2, F_SETFL, fl2);
  Print(1, "\nfuzz_syscalls: done: seed=%#llx iterations=%ld skipped=%lu\n",
        (unsigned long long)seed, iterations, total_skipped);
  PrintSummary();

  int failed = 0;
  for (int i = 0; i < CANARY_LEN; ++i) {
    if (sink->before[i] != CANARY_BYTE || sink->after[i] != CANARY_BYTE) {
      Print(1, "fuzz_syscalls: FAIL: a write ran past the bytes a call may write (stack canary "
               "at %s+%d)\n", sink->before[i] != CANARY_BYTE ? "before" : "after", i);
      failed = 1;
      break;
    }
  }
  if (Checksum((const unsigned char*)__executable_start, text_len) != text_sum) {
    Print(1, "fuzz_syscalls: FAIL: the read-only text changed\n");
    failed = 1;
  }
  if (futex_word != 0x5eed) {
    Print(1, "fuzz_syscalls: FAIL: the futex word changed\n");
    failed = 1;
  }
  Print(1, "fuzz_syscalls: %s\n", failed ? "FAIL" : "PASS");
  return failed;
}
