#include "sentry/syscalls/linux/fs_types.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace sentry::syscalls {
namespace {

using internal::MountOption;
using internal::ParseMemSize;
using internal::SplitMountOptions;

TEST(ParseMemSizeTest, SuffixesAreBinaryMultiples) {
  EXPECT_EQ(*ParseMemSize("4096"), 4096u);
  EXPECT_EQ(*ParseMemSize("64k"), 64u << 10);
  EXPECT_EQ(*ParseMemSize("2M"), 2u << 20);
  EXPECT_EQ(*ParseMemSize("1g"), uint64_t{1} << 30);
  EXPECT_EQ(*ParseMemSize("3t"), uint64_t{3} << 40);
  EXPECT_FALSE(ParseMemSize("").ok());
  EXPECT_FALSE(ParseMemSize("k").ok());
  EXPECT_FALSE(ParseMemSize("12q").ok());
  EXPECT_FALSE(ParseMemSize("1kk").ok());
  EXPECT_FALSE(ParseMemSize("99999999999999999999").ok());
  EXPECT_FALSE(ParseMemSize("17e").ok());  // overflows 64 bits
}

TEST(SplitMountOptionsTest, GenericOptionsAreTakenOut) {
  bool ro = false;
  std::vector<MountOption> o = SplitMountOptions("rw,size=1m,,nosuid_x,ro,sync,mode=0755", &ro);
  EXPECT_TRUE(ro);
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].key, "size");
  EXPECT_EQ(o[0].value, "1m");
  EXPECT_TRUE(o[0].has_value);
  EXPECT_EQ(o[1].key, "nosuid_x");
  EXPECT_FALSE(o[1].has_value);
  EXPECT_EQ(o[2].key, "mode");
  EXPECT_EQ(o[2].value, "0755");
  // The last of ro and rw wins.
  SplitMountOptions("ro,rw", &ro);
  EXPECT_FALSE(ro);
  EXPECT_TRUE(SplitMountOptions("", &ro).empty());
}

TEST(FilesystemTypeNamesTest, ListsTheTable) {
  std::vector<std::string> names = FilesystemTypeNames();
  for (const char* want : {"tmpfs", "proc", "sysfs"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
}

}  // namespace
}  // namespace sentry::syscalls
