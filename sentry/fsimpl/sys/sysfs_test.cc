#include "sentry/fsimpl/sys/sysfs.h"

#include <fcntl.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "sentry/fsimpl/sys/test_util.h"

namespace sentry::fsimpl::sys {
namespace {

using kernfs::testing::Guest;
using kernfs::testing::TestContext;

// Walks `path` from `root` by Lookup.
util::ErrnoOr<std::shared_ptr<vfs::Inode>> Walk(vfs::Context& ctx, std::shared_ptr<vfs::Inode> root,
                                                const std::string& path) {
  std::shared_ptr<vfs::Inode> cur = std::move(root);
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    ASSIGN_OR_RETURN_ERRNO(cur, cur->Lookup(ctx, path.substr(start, slash - start)));
    start = slash + 1;
  }
  return cur;
}

std::string Cat(Guest& g, vfs::Context& ctx, std::shared_ptr<vfs::Inode> root,
                const std::string& path) {
  auto in = Walk(ctx, root, path);
  if (!in.ok()) return "<lookup errno " + std::to_string(in.error().value()) + ">";
  auto f = (*in)->Open(ctx, O_RDONLY);
  if (!f.ok()) return "<open errno " + std::to_string(f.error().value()) + ">";
  return g.ReadAll(**f);
}

TEST(CpuRangeTest, FormatsLikeLinux) {
  EXPECT_EQ(CpuRange(1), "0");
  EXPECT_EQ(CpuRange(4), "0-3");
}

TEST(SysfsTest, CpuListsMatchTheCpuCount) {
  Guest g;
  ASSERT_TRUE(g.ok());
  TestContext ctx;
  SysFilesystem fs;
  auto root = NewSysRoot(fs);
  std::string want = CpuRange(NumCpus()) + "\n";
  for (const char* f : {"online", "possible", "present"}) {
    EXPECT_EQ(Cat(g, ctx, root, std::string("devices/system/cpu/") + f), want) << f;
  }
  for (unsigned i = 0; i < NumCpus(); ++i) {
    auto d = Walk(ctx, root, absl::StrCat("devices/system/cpu/cpu", i));
    ASSERT_TRUE(d.ok()) << i;
    EXPECT_TRUE((*d)->is_dir());
  }
  EXPECT_FALSE(Walk(ctx, root, absl::StrCat("devices/system/cpu/cpu", NumCpus())).ok());
}

TEST(SysfsTest, TransparentHugepageAndCgroupDir) {
  Guest g;
  ASSERT_TRUE(g.ok());
  TestContext ctx;
  SysFilesystem fs;
  auto root = NewSysRoot(fs);
  EXPECT_EQ(Cat(g, ctx, root, "kernel/mm/transparent_hugepage/enabled"),
            "always [madvise] never\n");
  auto cg = Walk(ctx, root, "fs/cgroup");
  ASSERT_TRUE(cg.ok());
  ASSERT_TRUE((*cg)->is_dir());
  auto list = (*cg)->ReadDir(ctx);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(SysfsTest, StatfsAndStat) {
  SysFilesystem fs;
  auto root = NewSysRoot(fs);
  auto s = fs.Statfs();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->type, 0x62656572u);
  auto st = root->Stat();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->st_dev, fs.dev());
  EXPECT_EQ(st->st_mode & 0170000, 0040000u);
  EXPECT_EQ(fs.type(), "sysfs");
}

TEST(SysfsTest, FilesAreNotWritable) {
  Guest g;
  ASSERT_TRUE(g.ok());
  TestContext ctx;
  SysFilesystem fs;
  auto root = NewSysRoot(fs);
  auto in = Walk(ctx, root, "devices/system/cpu/online");
  ASSERT_TRUE(in.ok());
  auto f = (*in)->Open(ctx, O_WRONLY);
  ASSERT_TRUE(f.ok());
  auto w = g.Write(**f, "0");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error(), util::Errno(EINVAL));
  auto c = (*in)->Create(ctx, "x", {.mode = 0100644});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error(), util::Errno(ENOTDIR));
  auto c2 = root->Create(ctx, "x", {.mode = 0100644});
  ASSERT_FALSE(c2.ok());
  EXPECT_EQ(c2.error(), util::Errno(EPERM));
}

}  // namespace
}  // namespace sentry::fsimpl::sys
