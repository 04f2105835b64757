// brk(2), called directly: the raw syscall returns the new break on success
// and the unchanged break on failure.
//
// malloc in a static program also grows the break, so a test never lets an
// allocation happen while the break is moved: between changing the break and
// putting it back it makes only raw syscalls and plain memory accesses, and it
// asserts afterwards.
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

int g_data_canary = 0x5a5a5a5a;  // In .data, below the start of the heap.

uintptr_t Brk(uintptr_t addr) { return static_cast<uintptr_t>(syscall(SYS_brk, addr)); }

uintptr_t PageRoundUp(uintptr_t a) { return (a + kPageSize - 1) & ~(kPageSize - 1); }

// Whether the page at `addr` is mapped, without allocating.
bool PageIsMapped(uintptr_t addr) {
  unsigned char vec;
  return mincore(reinterpret_cast<void*>(addr & ~(kPageSize - 1)), kPageSize, &vec) == 0;
}

// The first nonzero byte of [start, end), or end.
uintptr_t FirstNonzero(uintptr_t start, uintptr_t end) {
  for (uintptr_t p = start; p < end; ++p) {
    if (*reinterpret_cast<volatile const char*>(p) != 0) return p;
  }
  return end;
}

TEST(BrkTest, ZeroReturnsCurrentBreak) {
  const uintptr_t cur = Brk(0);
  EXPECT_NE(cur, 0u);
  EXPECT_EQ(Brk(0), cur);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(sbrk(0)), cur);
  // The page below the break is the heap's: mapped.
  EXPECT_TRUE(PageIsMapped(cur - 1));
}

TEST(BrkTest, BelowStartLeavesBreakAlone) {
  const uintptr_t cur = Brk(0);
  EXPECT_EQ(Brk(1), cur);
  EXPECT_EQ(Brk(kPageSize), cur);
  // Shrinking into the program's data would unmap it: refused.
  EXPECT_EQ(Brk(reinterpret_cast<uintptr_t>(&g_data_canary)), cur);
  EXPECT_EQ(Brk(0), cur);
  EXPECT_EQ(g_data_canary, 0x5a5a5a5a);
}

TEST(BrkTest, GrowIsZeroedAndWritableAndShrinkReleases) {
  constexpr uintptr_t kGrow = 256 * kPageSize + 123;  // An unaligned break on purpose.
  const uintptr_t old = Brk(0);
  const uintptr_t base = PageRoundUp(old);
  const uintptr_t target = base + kGrow;

  const uintptr_t grown = Brk(target);
  const uintptr_t queried = Brk(0);
  uintptr_t first_nonzero = 0, bad_readback = 0;
  bool last_page_mapped = false;
  if (grown == target) {
    first_nonzero = FirstNonzero(base, target);
    for (uintptr_t p = base; p < target; p += 61) *reinterpret_cast<volatile char*>(p) = 'x';
    bad_readback = target;
    for (uintptr_t p = base; p < target; p += 61) {
      if (*reinterpret_cast<volatile char*>(p) != 'x') {
        bad_readback = p;
        break;
      }
    }
    last_page_mapped = PageIsMapped(target - 1);
  }
  const uintptr_t shrunk = Brk(old);
  const bool released = !PageIsMapped(base) && !PageIsMapped(target - 1);
  // Growing again gives fresh zeroed pages, not what was written before.
  const uintptr_t regrown = Brk(target);
  uintptr_t first_nonzero_again = 0;
  if (regrown == target) first_nonzero_again = FirstNonzero(base, target);
  const uintptr_t restored = Brk(old);

  ASSERT_EQ(restored, old);
  ASSERT_EQ(grown, target);
  EXPECT_EQ(queried, target);
  EXPECT_EQ(first_nonzero, target) << "nonzero byte at offset " << first_nonzero - base;
  EXPECT_EQ(bad_readback, target) << "write lost at offset " << bad_readback - base;
  EXPECT_TRUE(last_page_mapped);
  EXPECT_EQ(shrunk, old);
  EXPECT_TRUE(released);
  ASSERT_EQ(regrown, target);
  EXPECT_EQ(first_nonzero_again, target) << "stale byte at offset " << first_nonzero_again - base;
}

TEST(BrkTest, CannotGrowIntoAMapping) {
  const uintptr_t old = Brk(0);
  const uintptr_t base = PageRoundUp(old);
  const uintptr_t blocker_addr = base + 16 * kPageSize;
  void* const blocker =
      mmap(reinterpret_cast<void*>(blocker_addr), kPageSize, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  const int mmap_errno = errno;
  uintptr_t over = 0, onto = 0, below = 0, restored = old;
  if (blocker != MAP_FAILED) {
    static_cast<char*>(blocker)[0] = 'b';
    over = Brk(blocker_addr + 16 * kPageSize);
    onto = Brk(blocker_addr + kPageSize);
    below = Brk(base + 8 * kPageSize);
    restored = Brk(old);
  }
  ASSERT_NE(blocker, MAP_FAILED) << ErrnoName(mmap_errno);
  Mapping owned(blocker, kPageSize);

  ASSERT_EQ(restored, old);
  EXPECT_EQ(over, old);
  EXPECT_EQ(onto, old);
  EXPECT_EQ(below, base + 8 * kPageSize);
  EXPECT_EQ(owned.ptr()[0], 'b');
}

}  // namespace
}  // namespace test_util
