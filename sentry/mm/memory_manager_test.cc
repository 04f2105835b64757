#include "sentry/mm/memory_manager.h"

#include <sys/mman.h>

#include <cstring>
#include <vector>

#include "gtest/gtest.h"

namespace sentry::mm {
namespace {

// Records what the memory manager asks of the platform.
class FakeAddressSpace : public platform::AddressSpace {
 public:
  absl::Status MapFile(uint64_t addr, uint64_t len, int, uint64_t, int prot) override {
    maps.push_back({addr, len, prot});
    return absl::OkStatus();
  }
  absl::Status Protect(uint64_t, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Unmap(uint64_t addr, uint64_t len) override {
    unmaps.push_back({addr, len, 0});
    return absl::OkStatus();
  }
  int64_t CpuTimeNs() const override { return 0; }
  struct Op {
    uint64_t addr, len;
    int prot;
  };
  std::vector<Op> maps, unmaps;
};

constexpr uint64_t kMin = 0x10000, kMax = 0x7f0000000000;

class MemoryManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mf = MemoryFile::Create(uint64_t{1} << 30);
    ASSERT_TRUE(mf.ok());
    mf_ = std::move(*mf);
    auto as = std::make_unique<FakeAddressSpace>();
    as_ = as.get();
    mm_ = std::make_unique<MemoryManager>(*mf_, std::move(as), kMin, kMax);
  }
  void TearDown() override {
    mm_.reset();
    EXPECT_EQ(mf_->AllocatedBytes(), 0u) << "memory leaked in the memory file";
  }
  uint64_t Map(uint64_t len, int prot = PROT_READ | PROT_WRITE, uint64_t fixed = 0) {
    MMapOpts o;
    o.length = len;
    o.prot = prot;
    o.addr = fixed;
    o.fixed = fixed != 0;
    auto r = mm_->MMap(o);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : 0;
  }

  std::unique_ptr<MemoryFile> mf_;
  FakeAddressSpace* as_;
  std::unique_ptr<MemoryManager> mm_;
};

TEST_F(MemoryManagerTest, FreshMemoryReadsZeroAndKeepsWrites) {
  uint64_t a = Map(8 << 20);
  std::vector<uint8_t> buf(8 << 20, 0xff);
  ASSERT_EQ(*mm_->CopyIn(UserAddr(a), buf.data(), buf.size()), buf.size());
  for (uint8_t b : buf) ASSERT_EQ(b, 0);
  const char msg[] = "hello";
  ASSERT_EQ(*mm_->CopyOut(UserAddr(a + 4090), msg, sizeof(msg)), sizeof(msg));
  char back[sizeof(msg)];
  ASSERT_TRUE(mm_->CopyInObj(UserAddr(a + 4090), &back).ok());
  EXPECT_STREQ(back, "hello");
}

TEST_F(MemoryManagerTest, BadAddressesFaultCleanly) {
  char c;
  EXPECT_EQ(mm_->CopyIn(UserAddr(8), &c, 1).error(), util::Errno(EFAULT));
  uint64_t a = Map(2 * kPageSize);
  ASSERT_TRUE(mm_->MUnmap(a + kPageSize, kPageSize).ok());
  char buf[64];
  // A range running into a hole copies the accessible prefix.
  EXPECT_EQ(*mm_->CopyIn(UserAddr(a + kPageSize - 16), buf, sizeof(buf)), 16u);
  uint64_t ro = Map(kPageSize, PROT_READ);
  EXPECT_EQ(mm_->CopyOut(UserAddr(ro), buf, 1).error(), util::Errno(EFAULT));
  EXPECT_TRUE(mm_->CopyOut(UserAddr(ro), buf, 1, /*force=*/true).ok());
}

TEST_F(MemoryManagerTest, FaultsMapWindowsAndDetectViolations) {
  uint64_t a = Map(4 << 20, PROT_READ);
  EXPECT_FALSE(mm_->HandleFault(a + 5, AccessType::kRead).has_value());
  ASSERT_EQ(as_->maps.size(), 1u);
  EXPECT_EQ(as_->maps[0].prot, PROT_READ);
  EXPECT_GT(as_->maps[0].len, kPageSize);  // fault-around
  // Faulting again on a page mapped as the VMA allows is a real violation.
  auto err = mm_->HandleFault(a + 5, AccessType::kRead);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->si_code, SEGV_ACCERR);
  EXPECT_EQ(mm_->HandleFault(0x1000, AccessType::kRead)->si_code, SEGV_MAPERR);
}

TEST_F(MemoryManagerTest, MprotectSplitsAndMerges) {
  uint64_t a = Map(4 * kPageSize);
  ASSERT_TRUE(mm_->MProtect(a + kPageSize, kPageSize, PROT_READ).ok());
  char c = 1;
  EXPECT_FALSE(mm_->CopyOut(UserAddr(a + kPageSize), &c, 1).ok());
  EXPECT_TRUE(mm_->CopyOut(UserAddr(a), &c, 1).ok());
  ASSERT_TRUE(mm_->MProtect(a + kPageSize, kPageSize, PROT_READ | PROT_WRITE).ok());
  // Merged back: mremap of the whole range works as one mapping.
  auto r = mm_->MRemap(a, 4 * kPageSize, 8 * kPageSize, MREMAP_MAYMOVE, 0);
  ASSERT_TRUE(r.ok());
  char back;
  ASSERT_TRUE(mm_->CopyInObj(UserAddr(*r), &back).ok());
  EXPECT_EQ(back, 1);
  EXPECT_EQ(mm_->MProtect(0x20000, kPageSize, PROT_READ).error(), util::Errno(ENOMEM));
}

TEST_F(MemoryManagerTest, BrkGrowsAndShrinks) {
  mm_->SetBrkStart(0x600000);
  EXPECT_EQ(mm_->Brk(0), 0x600000u);
  EXPECT_EQ(mm_->Brk(0x600000 + 10000), 0x600000u + 10000);
  char c = 7;
  EXPECT_TRUE(mm_->CopyOut(UserAddr(0x600000 + 9999), &c, 1).ok());
  EXPECT_EQ(mm_->Brk(0x600000), 0x600000u);
  EXPECT_FALSE(mm_->CopyOut(UserAddr(0x600000 + 10), &c, 1).ok());
  // Growing into an existing mapping fails and leaves the break.
  Map(kPageSize, PROT_READ, 0x602000);
  EXPECT_EQ(mm_->Brk(0x600000 + 3 * kPageSize), 0x600000u);
}

TEST_F(MemoryManagerTest, DontneedZeroesPrivateMemory) {
  uint64_t a = Map(kPageSize);
  char c = 9;
  ASSERT_TRUE(mm_->CopyOutObj(UserAddr(a), c).ok());
  ASSERT_TRUE(mm_->MAdvise(a, kPageSize, MADV_DONTNEED).ok());
  ASSERT_TRUE(mm_->CopyInObj(UserAddr(a), &c).ok());
  EXPECT_EQ(c, 0);
}

TEST_F(MemoryManagerTest, SharedMemorySurvivesDontneed) {
  MMapOpts o;
  o.length = kPageSize;
  o.prot = PROT_READ | PROT_WRITE;
  o.shared = true;
  uint64_t a = *mm_->MMap(o);
  char c = 9;
  ASSERT_TRUE(mm_->CopyOutObj(UserAddr(a), c).ok());
  ASSERT_TRUE(mm_->MAdvise(a, kPageSize, MADV_DONTNEED).ok());
  ASSERT_TRUE(mm_->CopyInObj(UserAddr(a), &c).ok());
  EXPECT_EQ(c, 9);
}

TEST_F(MemoryManagerTest, ForkCopiesOnWrite) {
  uint64_t a = Map(3 * kPageSize);
  char v = 1;
  ASSERT_TRUE(mm_->CopyOutObj(UserAddr(a), v).ok());
  ASSERT_TRUE(mm_->CopyOutObj(UserAddr(a + kPageSize), v).ok());
  // The parent had the pages mapped writable: fork must take write away.
  ASSERT_FALSE(mm_->HandleFault(a, AccessType::kWrite).has_value());
  uint64_t before = mf_->AllocatedBytes();
  auto child = mm_->Fork(std::make_unique<FakeAddressSpace>());
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(mf_->AllocatedBytes(), before) << "fork must not copy memory";
  char p = 2, c = 3, got;
  ASSERT_TRUE(mm_->CopyOutObj(UserAddr(a), p).ok());
  ASSERT_TRUE((*child)->CopyOutObj(UserAddr(a + kPageSize), c).ok());
  ASSERT_TRUE((*child)->CopyInObj(UserAddr(a), &got).ok());
  EXPECT_EQ(got, 1);
  ASSERT_TRUE(mm_->CopyInObj(UserAddr(a + kPageSize), &got).ok());
  EXPECT_EQ(got, 1);
  ASSERT_TRUE((*child)->CopyInObj(UserAddr(a + kPageSize), &got).ok());
  EXPECT_EQ(got, 3);
  EXPECT_EQ(mf_->AllocatedBytes(), before + 2 * kPageSize) << "each write copied one page";
  // The parent has its own page 0 now, so the child's page 0 is no longer
  // shared: writing it claims it without a copy.
  ASSERT_TRUE((*child)->CopyOutObj(UserAddr(a), c).ok());
  EXPECT_EQ(mf_->AllocatedBytes(), before + 2 * kPageSize);
  // A fault on a copy-on-write page maps it read-only, then a second fault
  // (the write) gives the child its own page.
  EXPECT_FALSE((*child)->HandleFault(a + 2 * kPageSize, AccessType::kRead).has_value());
  EXPECT_FALSE((*child)->HandleFault(a + 2 * kPageSize, AccessType::kRead).has_value());
  child->reset();
}

}  // namespace
}  // namespace sentry::mm
