#include "sentry/fsimpl/sys/kernfs.h"

#include <fcntl.h>

#include "abi/linux/dirent.h"
#include "gtest/gtest.h"
#include "sentry/fsimpl/sys/test_util.h"

namespace sentry::fsimpl::kernfs {
namespace {

using testing::Guest;
using testing::TestContext;

class KernfsTest : public ::testing::Test {
 protected:
  vfs::Filesystem fs_{"test", vfs::Filesystem::NewAnonDev()};
  TestContext ctx_;
  Guest guest_;
};

TEST_F(KernfsTest, StaticFileReadsSeeksAndPreads) {
  ASSERT_TRUE(guest_.ok());
  auto f = File::Static(fs_, 0444, "hello world\n");
  auto fd = f->Open(ctx_, O_RDONLY);
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(guest_.Read(**fd, 5), "hello");
  EXPECT_EQ(guest_.Read(**fd, 100), " world\n");
  EXPECT_EQ(guest_.Read(**fd, 100), "");
  EXPECT_EQ(guest_.Read(**fd, 5, 6), "world");  // pread leaves the position
  auto end = (*fd)->Seek(0, SEEK_END);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(*end, 12);
  ASSERT_TRUE((*fd)->Seek(-6, SEEK_CUR).ok());
  EXPECT_EQ(guest_.ReadAll(**fd), "world\n");
  EXPECT_FALSE((*fd)->Seek(-1, SEEK_SET).ok());
}

TEST_F(KernfsTest, EagerTextIsSnapshotAtOpen) {
  ASSERT_TRUE(guest_.ok());
  int n = 0;
  auto f = std::make_shared<File>(fs_, 0444, Eager([&n](vfs::Context&) -> ErrnoOr<std::string> {
                                    return std::to_string(++n) + "\n";
                                  }));
  auto a = f->Open(ctx_, O_RDONLY);
  auto b = f->Open(ctx_, O_RDONLY);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(n, 2);
  EXPECT_EQ(guest_.ReadAll(**a), "1\n");
  EXPECT_EQ(guest_.ReadAll(**b), "2\n");
  ASSERT_TRUE((*a)->Seek(0, SEEK_SET).ok());
  EXPECT_EQ(guest_.ReadAll(**a), "1\n");  // the same snapshot again
}

TEST_F(KernfsTest, DeferredTextIsMadeAtFirstRead) {
  ASSERT_TRUE(guest_.ok());
  int calls = 0;
  auto f = std::make_shared<File>(fs_, 0444, [&calls](vfs::Context&) -> ErrnoOr<TextFn> {
    return TextFn([&calls]() -> ErrnoOr<std::string> {
      ++calls;
      return std::string("late\n");
    });
  });
  auto fd = f->Open(ctx_, O_RDONLY);
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(guest_.ReadAll(**fd), "late\n");
  EXPECT_EQ(calls, 1);
}

TEST_F(KernfsTest, WritesGoToTheWriteFunctionOrFailWithEinval) {
  ASSERT_TRUE(guest_.ok());
  std::string got;
  auto w = std::make_shared<File>(
      fs_, 0644, Eager([](vfs::Context&) -> ErrnoOr<std::string> { return std::string("0\n"); }),
      [&got](std::string_view d) -> ErrnoOrVoid {
        if (d == "bad") return Errno(EINVAL);
        got = std::string(d);
        return {};
      });
  auto fd = w->Open(ctx_, O_RDWR);
  ASSERT_TRUE(fd.ok());
  auto n = guest_.Write(**fd, "42\n");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(got, "42\n");
  auto bad = guest_.Write(**fd, "bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(), Errno(EINVAL));

  auto ro = File::Static(fs_, 0444, "x");
  auto rfd = ro->Open(ctx_, O_RDWR);
  ASSERT_TRUE(rfd.ok());
  auto r = guest_.Write(**rfd, "1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), Errno(EINVAL));
}

TEST_F(KernfsTest, WriteBinderSeesTheOpener) {
  ASSERT_TRUE(guest_.ok());
  std::vector<uint32_t> writers;
  File::WriteBinder bind = [&writers](vfs::Context& ctx) -> WriteFn {
    uint32_t uid = ctx.creds().euid;
    return [&writers, uid](std::string_view) -> ErrnoOrVoid {
      if (uid != 0) return Errno(EACCES);
      writers.push_back(uid);
      return {};
    };
  };
  auto f = std::make_shared<File>(
      fs_, 0666, Eager([](vfs::Context&) -> ErrnoOr<std::string> { return std::string(); }),
      std::move(bind));
  TestContext user(1000, 1000);
  auto as_root = f->Open(ctx_, O_WRONLY);
  auto as_user = f->Open(user, O_WRONLY);
  ASSERT_TRUE(as_root.ok() && as_user.ok());
  EXPECT_TRUE(guest_.Write(**as_root, "1").ok());
  auto denied = guest_.Write(**as_user, "1");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error(), Errno(EACCES));
  EXPECT_EQ(writers, std::vector<uint32_t>{0});
}

TEST_F(KernfsTest, ReadIntoUnmappedMemoryIsEfault) {
  ASSERT_TRUE(guest_.ok());
  auto f = File::Static(fs_, 0444, "abc");
  auto fd = f->Open(ctx_, O_RDONLY);
  ASSERT_TRUE(fd.ok());
  auto r = (*fd)->Read(guest_.mm(), {{mm::UserAddr(0x20000), 3}}, -1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), Errno(EFAULT));
}

TEST_F(KernfsTest, DirListsLooksUpAndCountsLinks) {
  auto root = std::make_shared<Dir>(fs_, 0555);
  auto sub = root->MakeDirs("a/b");
  root->Add("f", File::Static(fs_, 0444, "x"));
  root->Add("l", std::make_shared<Symlink>(fs_, "/target"));
  EXPECT_EQ(root->MakeDirs("a/b"), sub);
  auto st = root->Stat();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->st_nlink, 3u);
  EXPECT_EQ(st->st_mode, 0040555u);
  EXPECT_EQ(st->st_dev, fs_.dev());
  EXPECT_EQ(st->st_blksize, 4096);
  auto list = root->ReadDir(ctx_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "a");
  EXPECT_EQ((*list)[0].type, abi_linux::kDT_DIR);
  EXPECT_EQ((*list)[1].type, abi_linux::kDT_REG);
  EXPECT_EQ((*list)[2].type, abi_linux::kDT_LNK);
  auto missing = root->Lookup(ctx_, "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), Errno(ENOENT));
  auto l = root->Lookup(ctx_, "l");
  ASSERT_TRUE(l.ok());
  auto target = (*l)->Readlink(ctx_);
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(*target, "/target");
  EXPECT_FALSE((*l)->FollowMagic(ctx_).has_value());
  auto lst = (*l)->Stat();
  ASSERT_TRUE(lst.ok());
  EXPECT_EQ(lst->st_size, 7);
  auto dfd = root->Open(ctx_, O_RDWR);
  ASSERT_FALSE(dfd.ok());
  EXPECT_EQ(dfd.error(), Errno(EISDIR));
}

TEST_F(KernfsTest, InodeNumbersAreDistinctAndStable) {
  auto a = File::Static(fs_, 0444, "");
  auto b = File::Static(fs_, 0444, "");
  EXPECT_NE(a->ino(), b->ino());
  EXPECT_EQ(a->Stat()->st_ino, a->Stat()->st_ino);
}

TEST_F(KernfsTest, ProcStyleSetAttrRefusesModeButAcceptsTruncate) {
  auto f = File::Static(fs_, 0644, "");
  vfs::SetAttrArgs chmod;
  chmod.mask = vfs::SetAttrArgs::kMode;
  chmod.mode = 0600;
  auto r = f->SetAttr(ctx_, chmod);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), Errno(EPERM));
  vfs::SetAttrArgs trunc;
  trunc.mask = vfs::SetAttrArgs::kSize;
  EXPECT_TRUE(f->SetAttr(ctx_, trunc).ok());
}

}  // namespace
}  // namespace sentry::fsimpl::kernfs
