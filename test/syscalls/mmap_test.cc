// Anonymous memory: mmap(2), munmap(2), mprotect(2), mremap(2), madvise(2),
// mincore(2).
//
// Without signal handlers a test cannot touch memory it expects to fault, so
// "not mapped" is observed with mincore(2) (ENOMEM) and "not accessible" is
// left to efault_test, which makes the kernel do the touching.
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

constexpr int kRW = PROT_READ | PROT_WRITE;
constexpr int kPrivateAnon = MAP_PRIVATE | MAP_ANONYMOUS;

// Whether [p, p+len) is all zero.
bool IsZero(const char* p, size_t len) {
  for (size_t i = 0; i < len; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Whether every byte of [p, p+len) is c.
bool IsFilled(const char* p, size_t len, char c) {
  for (size_t i = 0; i < len; ++i) {
    if (p[i] != c) return false;
  }
  return true;
}

bool IsPageAligned(const void* p) {
  return (reinterpret_cast<uintptr_t>(p) & (kPageSize - 1)) == 0;
}

// A page-aligned address with nothing mapped at it: mapped, then unmapped.
void* UnmappedAddress(size_t len) {
  void* p = mmap(nullptr, len, PROT_NONE, kPrivateAnon, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  munmap(p, len);
  return p;
}

TEST(MmapTest, PrivateAnonymousIsZeroedAndWritable) {
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 4 * kPageSize, kRW, kPrivateAnon), SyscallSucceeds());
  EXPECT_TRUE(IsPageAligned(m.addr()));
  EXPECT_TRUE(IsZero(m.ptr(), m.len()));
  memset(m.ptr(), 'p', m.len());
  EXPECT_TRUE(IsFilled(m.ptr(), m.len(), 'p'));
}

TEST(MmapTest, SharedAnonymousIsZeroedAndWritable) {
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 4 * kPageSize, kRW, MAP_SHARED | MAP_ANONYMOUS), SyscallSucceeds());
  EXPECT_TRUE(IsPageAligned(m.addr()));
  EXPECT_TRUE(IsZero(m.ptr(), m.len()));
  memset(m.ptr(), 's', m.len());
  EXPECT_TRUE(IsFilled(m.ptr(), m.len(), 's'));
}

TEST(MmapTest, SharedAnonymousAliasSeesWrites) {
  // mremap with old_len 0 maps the same shared pages a second time.
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, kRW, MAP_SHARED | MAP_ANONYMOUS), SyscallSucceeds());
  void* alias = mremap(m.addr(), 0, 2 * kPageSize, MREMAP_MAYMOVE);
  ASSERT_THAT(alias, SyscallSucceeds());
  Mapping owned_alias(alias, 2 * kPageSize);
  ASSERT_NE(alias, m.addr());
  m.ptr()[10] = 'a';
  owned_alias.ptr()[kPageSize + 20] = 'b';
  EXPECT_EQ(owned_alias.ptr()[10], 'a');
  EXPECT_EQ(m.ptr()[kPageSize + 20], 'b');
}

TEST(MmapTest, PrivateMappingCannotBeAliased) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize), SyscallSucceeds());
  EXPECT_THAT(mremap(m.addr(), 0, kPageSize, MREMAP_MAYMOVE), SyscallFailsWithErrno(EINVAL));
}

TEST(MmapTest, LargeFreshMappingReadsAsZeros) {
  constexpr size_t kLen = 8 << 20;
  Mapping m;
  ASSERT_THAT(m.MapAnon(kLen), SyscallSucceeds());
  const auto* words = reinterpret_cast<const uint64_t*>(m.ptr());
  size_t first_nonzero = kLen / 8;
  for (size_t i = 0; i < kLen / 8; ++i) {
    if (words[i] != 0) {
      first_nonzero = i;
      break;
    }
  }
  EXPECT_EQ(first_nonzero, kLen / 8) << "nonzero word at byte offset " << first_nonzero * 8;
  // And it is all really there: write the last byte of every page.
  for (size_t off = kPageSize - 1; off < kLen; off += kPageSize) m.ptr()[off] = 1;
  EXPECT_EQ(m.ptr()[kLen - 1], 1);
}

TEST(MmapTest, HintIsOnlyAHint) {
  // A non-fixed address that is taken does not fail and does not replace.
  Mapping first;
  ASSERT_THAT(first.MapAnon(kPageSize), SyscallSucceeds());
  first.ptr()[0] = 'f';
  Mapping second;
  ASSERT_THAT(second.Map(first.addr(), kPageSize, kRW, kPrivateAnon), SyscallSucceeds());
  EXPECT_NE(second.addr(), first.addr());
  EXPECT_EQ(first.ptr()[0], 'f');
}

TEST(MmapTest, FixedReplacesExistingPages) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(3 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 'o', m.len());
  char* middle = m.ptr() + kPageSize;
  ASSERT_THAT(mmap(middle, kPageSize, kRW, kPrivateAnon | MAP_FIXED, -1, 0),
              SyscallSucceedsWithValue(reinterpret_cast<int64_t>(middle)));
  EXPECT_TRUE(IsFilled(m.ptr(), kPageSize, 'o'));
  EXPECT_TRUE(IsZero(middle, kPageSize));
  EXPECT_TRUE(IsFilled(m.ptr() + 2 * kPageSize, kPageSize, 'o'));
}

TEST(MmapTest, FixedNoreplaceOverExistingFailsEexist) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
  m.ptr()[kPageSize] = 'k';
  EXPECT_THAT(mmap(m.ptr() + kPageSize, kPageSize, kRW, kPrivateAnon | MAP_FIXED_NOREPLACE, -1, 0),
              SyscallFailsWithErrno(EEXIST));
  // Overlapping only partly is refused too.
  EXPECT_THAT(
      mmap(m.ptr() + kPageSize, 4 * kPageSize, kRW, kPrivateAnon | MAP_FIXED_NOREPLACE, -1, 0),
      SyscallFailsWithErrno(EEXIST));
  EXPECT_EQ(m.ptr()[kPageSize], 'k');
}

TEST(MmapTest, FixedNoreplaceOnFreeRangeMapsThere) {
  void* hole = UnmappedAddress(2 * kPageSize);
  ASSERT_NE(hole, nullptr);
  Mapping m;
  ASSERT_THAT(m.Map(hole, 2 * kPageSize, kRW, kPrivateAnon | MAP_FIXED_NOREPLACE),
              SyscallSucceedsWithValue(reinterpret_cast<int64_t>(hole)));
  EXPECT_TRUE(IsZero(m.ptr(), m.len()));
}

TEST(MmapTest, FixedUnalignedFailsEinval) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
  m.ptr()[0] = 'u';
  EXPECT_THAT(mmap(m.ptr() + 1, kPageSize, kRW, kPrivateAnon | MAP_FIXED, -1, 0),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_EQ(m.ptr()[0], 'u');
}

TEST(MmapTest, ZeroLengthFailsEinval) {
  EXPECT_THAT(mmap(nullptr, 0, kRW, kPrivateAnon, -1, 0), SyscallFailsWithErrno(EINVAL));
}

TEST(MmapTest, NeitherPrivateNorSharedFailsEinval) {
  EXPECT_THAT(mmap(nullptr, kPageSize, kRW, MAP_ANONYMOUS, -1, 0), SyscallFailsWithErrno(EINVAL));
}

TEST(MmapTest, FileMappingOfBadFdFailsEbadf) {
  EXPECT_THAT(mmap(nullptr, kPageSize, PROT_READ, MAP_PRIVATE, 1000, 0),
              SyscallFailsWithErrno(EBADF));
  EXPECT_THAT(mmap(nullptr, kPageSize, PROT_READ, MAP_SHARED, -1, 0), SyscallFailsWithErrno(EBADF));
}

TEST(MmapTest, HugeLengthFailsEnomem) {
  EXPECT_THAT(mmap(nullptr, size_t{1} << 62, kRW, kPrivateAnon, -1, 0),
              SyscallFailsWithErrno(ENOMEM));
}

TEST(MmapTest, ProtNoneThenMprotectReadWrite) {
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, PROT_NONE, kPrivateAnon), SyscallSucceeds());
  EXPECT_TRUE(RangeIsMapped(m.addr(), m.len()));
  ASSERT_THAT(mprotect(m.addr(), m.len(), kRW), SyscallSucceeds());
  EXPECT_TRUE(IsZero(m.ptr(), m.len()));
  memset(m.ptr(), 'n', m.len());
  EXPECT_TRUE(IsFilled(m.ptr(), m.len(), 'n'));
}

TEST(MunmapTest, UnalignedFailsEinval) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
  EXPECT_THAT(munmap(m.ptr() + 1, kPageSize), SyscallFailsWithErrno(EINVAL));
  EXPECT_TRUE(RangeIsMapped(m.addr(), m.len()));
}

TEST(MunmapTest, ZeroLengthFailsEinval) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize), SyscallSucceeds());
  EXPECT_THAT(munmap(m.addr(), 0), SyscallFailsWithErrno(EINVAL));
}

TEST(MunmapTest, NothingMappedSucceeds) {
  void* hole = UnmappedAddress(4 * kPageSize);
  ASSERT_NE(hole, nullptr);
  EXPECT_THAT(munmap(hole, 4 * kPageSize), SyscallSucceeds());
}

TEST(MunmapTest, UnmapsTheWholeRange) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(3 * kPageSize), SyscallSucceeds());
  void* addr = m.addr();
  m.Release();
  ASSERT_THAT(munmap(addr, 3 * kPageSize), SyscallSucceeds());
  unsigned char vec[3];
  EXPECT_THAT(mincore(addr, kPageSize, vec), SyscallFailsWithErrno(ENOMEM));
  EXPECT_THAT(mincore(static_cast<char*>(addr) + 2 * kPageSize, kPageSize, vec),
              SyscallFailsWithErrno(ENOMEM));
}

TEST(MunmapTest, PartialUnmapSplitsTheMapping) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(3 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 'h', m.len());
  char* middle = m.ptr() + kPageSize;
  char* last = m.ptr() + 2 * kPageSize;
  ASSERT_THAT(munmap(middle, kPageSize), SyscallSucceeds());

  unsigned char vec[3];
  EXPECT_THAT(mincore(m.addr(), kPageSize, vec), SyscallSucceeds());
  EXPECT_THAT(mincore(middle, kPageSize, vec), SyscallFailsWithErrno(ENOMEM));
  EXPECT_THAT(mincore(last, kPageSize, vec), SyscallSucceeds());
  EXPECT_THAT(mincore(m.addr(), 3 * kPageSize, vec), SyscallFailsWithErrno(ENOMEM));
  // Both halves keep their data and stay writable.
  EXPECT_TRUE(IsFilled(m.ptr(), kPageSize, 'h'));
  EXPECT_TRUE(IsFilled(last, kPageSize, 'h'));
  m.ptr()[0] = 'A';
  last[kPageSize - 1] = 'Z';
  EXPECT_EQ(m.ptr()[0], 'A');
  EXPECT_EQ(last[kPageSize - 1], 'Z');
  // An mprotect over the hole fails; over each half it works.
  EXPECT_THAT(mprotect(m.addr(), 3 * kPageSize, PROT_READ), SyscallFailsWithErrno(ENOMEM));
  EXPECT_THAT(mprotect(last, kPageSize, PROT_READ), SyscallSucceeds());
  EXPECT_EQ(last[0], 'h');
}

TEST(MprotectTest, ReadOnlyAndBackKeepsData) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
  for (size_t i = 0; i < m.len(); ++i) m.ptr()[i] = static_cast<char>(i % 251);
  ASSERT_THAT(mprotect(m.addr(), m.len(), PROT_READ), SyscallSucceeds());
  for (size_t i = 0; i < m.len(); ++i) ASSERT_EQ(m.ptr()[i], static_cast<char>(i % 251)) << i;
  ASSERT_THAT(mprotect(m.addr(), m.len(), kRW), SyscallSucceeds());
  for (size_t i = 0; i < m.len(); ++i) ASSERT_EQ(m.ptr()[i], static_cast<char>(i % 251)) << i;
  m.ptr()[0] = 'w';
  EXPECT_EQ(m.ptr()[0], 'w');
}

TEST(MprotectTest, PartOfAMapping) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(3 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 'q', m.len());
  ASSERT_THAT(mprotect(m.ptr() + kPageSize, kPageSize, PROT_READ), SyscallSucceeds());
  m.ptr()[0] = 'a';
  m.ptr()[2 * kPageSize] = 'c';
  EXPECT_EQ(m.ptr()[kPageSize], 'q');
  EXPECT_EQ(m.ptr()[0], 'a');
  EXPECT_EQ(m.ptr()[2 * kPageSize], 'c');
}

TEST(MprotectTest, UnmappedFailsEnomem) {
  void* hole = UnmappedAddress(2 * kPageSize);
  ASSERT_NE(hole, nullptr);
  EXPECT_THAT(mprotect(hole, 2 * kPageSize, PROT_READ), SyscallFailsWithErrno(ENOMEM));
}

TEST(MprotectTest, UnalignedFailsEinval) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize), SyscallSucceeds());
  EXPECT_THAT(mprotect(m.ptr() + 1, kPageSize - 1, PROT_READ), SyscallFailsWithErrno(EINVAL));
}

TEST(MremapTest, GrowMayMoveKeepsContents) {
  // Three pages, the last made a separate mapping so that the first two
  // cannot grow in place and have to move.
  Mapping region;
  ASSERT_THAT(region.MapAnon(3 * kPageSize), SyscallSucceeds());
  ASSERT_THAT(mprotect(region.ptr() + 2 * kPageSize, kPageSize, PROT_READ), SyscallSucceeds());
  constexpr size_t kOldLen = 2 * kPageSize;
  for (size_t i = 0; i < kOldLen; ++i) region.ptr()[i] = static_cast<char>(i % 253);

  void* grown = mremap(region.addr(), kOldLen, 16 * kPageSize, MREMAP_MAYMOVE);
  ASSERT_THAT(grown, SyscallSucceeds());
  Mapping owned(grown, 16 * kPageSize);
  EXPECT_NE(grown, region.addr());
  for (size_t i = 0; i < kOldLen; ++i) {
    ASSERT_EQ(owned.ptr()[i], static_cast<char>(i % 253)) << i;
  }
  EXPECT_TRUE(IsZero(owned.ptr() + kOldLen, owned.len() - kOldLen));
  owned.ptr()[owned.len() - 1] = 'e';
  EXPECT_EQ(owned.ptr()[owned.len() - 1], 'e');
  // The old range is gone; the page after it is untouched.
  unsigned char vec[2];
  EXPECT_THAT(mincore(region.addr(), kOldLen, vec), SyscallFailsWithErrno(ENOMEM));
  EXPECT_THAT(mincore(region.ptr() + kOldLen, kPageSize, vec), SyscallSucceeds());
}

TEST(MremapTest, ShrinkKeepsHeadAndUnmapsTail) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(4 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 'k', m.len());
  void* addr = m.addr();
  EXPECT_THAT(mremap(addr, 4 * kPageSize, kPageSize, 0),
              SyscallSucceedsWithValue(reinterpret_cast<int64_t>(addr)));
  m.Release();
  Mapping owned(addr, kPageSize);
  EXPECT_TRUE(IsFilled(owned.ptr(), kPageSize, 'k'));
  unsigned char vec[3];
  EXPECT_THAT(mincore(owned.ptr() + kPageSize, 3 * kPageSize, vec), SyscallFailsWithErrno(ENOMEM));
}

TEST(MremapTest, GrowInPlaceWithoutMayMoveFailsEnomemWhenBlocked) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(2 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 'g', m.len());
  // The second page becomes a separate mapping that blocks the first's growth.
  ASSERT_THAT(mprotect(m.ptr() + kPageSize, kPageSize, PROT_READ), SyscallSucceeds());
  EXPECT_THAT(mremap(m.addr(), kPageSize, 2 * kPageSize, 0), SyscallFailsWithErrno(ENOMEM));
  EXPECT_TRUE(IsFilled(m.ptr(), 2 * kPageSize, 'g'));
  m.ptr()[0] = 'w';  // Still writable, still where it was.
  EXPECT_EQ(m.ptr()[0], 'w');
}

TEST(MremapTest, GrowInPlaceWhenFree) {
  void* hole = UnmappedAddress(4 * kPageSize);
  ASSERT_NE(hole, nullptr);
  Mapping m;
  ASSERT_THAT(m.Map(hole, kPageSize, kRW, kPrivateAnon | MAP_FIXED_NOREPLACE), SyscallSucceeds());
  m.ptr()[0] = 'i';
  void* addr = m.addr();
  ASSERT_THAT(mremap(addr, kPageSize, 4 * kPageSize, 0),
              SyscallSucceedsWithValue(reinterpret_cast<int64_t>(addr)));
  m.Release();
  Mapping owned(addr, 4 * kPageSize);
  EXPECT_EQ(owned.ptr()[0], 'i');
  EXPECT_TRUE(IsZero(owned.ptr() + kPageSize, 3 * kPageSize));
  owned.ptr()[4 * kPageSize - 1] = 'j';
}

TEST(MadviseTest, DontneedZeroesPrivateAnonymous) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(4 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 'd', m.len());
  ASSERT_THAT(madvise(m.ptr() + kPageSize, 2 * kPageSize, MADV_DONTNEED), SyscallSucceeds());
  EXPECT_TRUE(IsFilled(m.ptr(), kPageSize, 'd'));
  EXPECT_TRUE(IsZero(m.ptr() + kPageSize, 2 * kPageSize));
  EXPECT_TRUE(IsFilled(m.ptr() + 3 * kPageSize, kPageSize, 'd'));
  // Still mapped and writable.
  m.ptr()[kPageSize] = 'x';
  EXPECT_EQ(m.ptr()[kPageSize], 'x');
}

TEST(MadviseTest, DontneedKeepsSharedAnonymous) {
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, 2 * kPageSize, kRW, MAP_SHARED | MAP_ANONYMOUS), SyscallSucceeds());
  memset(m.ptr(), 'S', m.len());
  ASSERT_THAT(madvise(m.addr(), m.len(), MADV_DONTNEED), SyscallSucceeds());
  EXPECT_TRUE(IsFilled(m.ptr(), m.len(), 'S'));
}

TEST(MincoreTest, MappedRangeSucceeds) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(4 * kPageSize), SyscallSucceeds());
  memset(m.ptr(), 1, m.len());
  std::vector<unsigned char> vec(4, 0xff);
  ASSERT_THAT(mincore(m.addr(), m.len(), vec.data()), SyscallSucceeds());
  // Pages just written are resident; only bit 0 is defined.
  for (unsigned char v : vec) EXPECT_EQ(v & 0xfe, 0);
  for (unsigned char v : vec) EXPECT_EQ(v & 1, 1);
}

TEST(MincoreTest, UnmappedRangeFailsEnomem) {
  void* hole = UnmappedAddress(2 * kPageSize);
  ASSERT_NE(hole, nullptr);
  unsigned char vec[2];
  EXPECT_THAT(mincore(hole, 2 * kPageSize, vec), SyscallFailsWithErrno(ENOMEM));
}

TEST(MincoreTest, UnalignedFailsEinval) {
  Mapping m;
  ASSERT_THAT(m.MapAnon(kPageSize), SyscallSucceeds());
  unsigned char vec[1];
  EXPECT_THAT(mincore(m.ptr() + 1, 1, vec), SyscallFailsWithErrno(EINVAL));
}

}  // namespace
}  // namespace test_util
