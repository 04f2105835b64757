#include "sentry/fsimpl/dev/devfs.h"

#include <fcntl.h>

#include <cstring>
#include <set>

#include "gtest/gtest.h"
#include "sentry/fsimpl/dev/devices.h"
#include "sentry/fsimpl/sys/test_util.h"
#include "sentry/vfs/device.h"

namespace sentry::fsimpl::dev {
namespace {

using kernfs::testing::Guest;
using kernfs::testing::TestContext;
using util::Errno;

class DevfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterDevices();
    root_ = NewDevRoot(fs_);
    ASSERT_TRUE(guest_.ok());
  }
  std::shared_ptr<vfs::FileDescription> OpenDev(const std::string& name, int flags) {
    auto in = root_->Lookup(ctx_, name);
    EXPECT_TRUE(in.ok()) << name;
    if (!in.ok()) return nullptr;
    auto f = (*in)->Open(ctx_, flags);
    EXPECT_TRUE(f.ok()) << name;
    return f.ok() ? *f : nullptr;
  }

  DevFilesystem fs_;
  std::shared_ptr<vfs::Inode> root_;
  TestContext ctx_;
  Guest guest_;
};

TEST_F(DevfsTest, RootHoldsDevicesLinksAndDirs) {
  auto list = root_->ReadDir(ctx_);
  ASSERT_TRUE(list.ok());
  std::set<std::string> names;
  for (auto& e : *list) names.insert(e.name);
  for (const char* n : {"null", "zero", "full", "random", "urandom", "tty", "fd", "stdin", "stdout",
                        "stderr", "shm", "pts"}) {
    EXPECT_TRUE(names.count(n)) << n;
  }
  auto null = root_->Lookup(ctx_, "null");
  ASSERT_TRUE(null.ok());
  auto st = (*null)->Stat();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->st_mode, 0020666u);
  EXPECT_EQ(vfs::DevMajor(st->st_rdev), 1u);
  EXPECT_EQ(vfs::DevMinor(st->st_rdev), 3u);
  EXPECT_EQ(st->st_dev, fs_.dev());
  auto fd = root_->Lookup(ctx_, "stderr");
  ASSERT_TRUE(fd.ok());
  EXPECT_EQ(*(*fd)->Readlink(ctx_), "/proc/self/fd/2");
  auto shm = root_->Lookup(ctx_, "shm");
  ASSERT_TRUE(shm.ok());
  EXPECT_EQ((*shm)->Stat()->st_mode, 0041777u);
  EXPECT_EQ(fs_.Statfs()->type, 0x01021994u);
}

TEST_F(DevfsTest, NullReadsEofAndSwallowsWrites) {
  auto f = OpenDev("null", O_RDWR);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(guest_.Read(*f, 100), "");
  auto w = guest_.Write(*f, "hello");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, 5u);
  EXPECT_EQ(*f->Seek(100, SEEK_SET), 0);
}

TEST_F(DevfsTest, ZeroReadsZerosAndMapsZeroPages) {
  auto f = OpenDev("zero", O_RDWR);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(guest_.mm().CopyOut(guest_.buf(), "xxxxxxxx", 8).ok());
  EXPECT_EQ(guest_.Read(*f, 8), std::string(8, '\0'));
  EXPECT_EQ(guest_.Read(*f, 100000), std::string(100000, '\0'));
  auto w = guest_.Write(*f, "abc");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, 3u);
  auto m = f->GetMappable();
  ASSERT_TRUE(m.ok());
  char page[4096];
  std::memset(page, 'x', sizeof(page));
  auto n = (*m)->ReadForMap(page, sizeof(page), 8192);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, sizeof(page));
  EXPECT_EQ(std::string(page, sizeof(page)), std::string(sizeof(page), '\0'));
  EXPECT_EQ((*m)->MapName(), "/dev/zero");
}

TEST_F(DevfsTest, ZeroReadIntoBadMemoryIsEfault) {
  auto f = OpenDev("zero", O_RDONLY);
  ASSERT_NE(f, nullptr);
  auto r = f->Read(guest_.mm(), {{mm::UserAddr(0x20000), 1}}, -1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), Errno(EFAULT));
}

TEST_F(DevfsTest, FullRefusesWritesWithEnospc) {
  auto f = OpenDev("full", O_RDWR);
  ASSERT_NE(f, nullptr);
  auto w = guest_.Write(*f, "x");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error(), Errno(ENOSPC));
  EXPECT_EQ(guest_.Read(*f, 16), std::string(16, '\0'));
}

TEST_F(DevfsTest, RandomAndUrandomGiveDifferentBytes) {
  for (const char* name : {"random", "urandom"}) {
    auto f = OpenDev(name, O_RDONLY);
    ASSERT_NE(f, nullptr);
    std::string a = guest_.Read(*f, 64), b = guest_.Read(*f, 64);
    EXPECT_EQ(a.size(), 64u) << name;
    EXPECT_NE(a, b) << name;
    auto w = guest_.Write(*f, "seed");
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(*w, 4u);
  }
  auto big = OpenDev("urandom", O_RDONLY);
  EXPECT_EQ(guest_.Read(*big, 200000).size(), 200000u);
}

// The sentry's own reads and writes (sendfile(2), copy_file_range(2)).
TEST_F(DevfsTest, InternalIo) {
  char buf[256];
  auto null = OpenDev("null", O_RDWR);
  ASSERT_NE(null, nullptr);
  EXPECT_EQ(*null->ReadInternal(buf, sizeof(buf), -1), 0u);
  EXPECT_EQ(*null->WriteInternal("hello", 5, -1), 5u);
  EXPECT_EQ(*null->WriteInternal("hello", 5, 1000), 5u);

  for (const char* name : {"zero", "full"}) {
    auto f = OpenDev(name, O_RDWR);
    ASSERT_NE(f, nullptr);
    std::memset(buf, 'x', sizeof(buf));
    ASSERT_EQ(*f->ReadInternal(buf, sizeof(buf), -1), sizeof(buf)) << name;
    EXPECT_EQ(std::string(buf, sizeof(buf)), std::string(sizeof(buf), '\0')) << name;
    ASSERT_EQ(*f->ReadInternal(buf, 10, 4096), 10u) << name;
    EXPECT_EQ(*f->WriteInternal("", 0, -1), 0u) << name;
  }
  auto zero = OpenDev("zero", O_WRONLY);
  EXPECT_EQ(*zero->WriteInternal("abc", 3, -1), 3u);
  auto full = OpenDev("full", O_WRONLY);
  auto w = full->WriteInternal("abc", 3, -1);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error(), Errno(ENOSPC));

  for (const char* name : {"random", "urandom"}) {
    auto f = OpenDev(name, O_RDWR);
    ASSERT_NE(f, nullptr);
    char a[64], b[64];
    ASSERT_EQ(*f->ReadInternal(a, sizeof(a), -1), sizeof(a)) << name;
    ASSERT_EQ(*f->ReadInternal(b, sizeof(b), -1), sizeof(b)) << name;
    EXPECT_NE(std::string(a, sizeof(a)), std::string(b, sizeof(b))) << name;
    EXPECT_EQ(*f->WriteInternal("seed", 4, -1), 4u) << name;
  }
  // Larger than one getrandom step.
  auto big = OpenDev("urandom", O_RDONLY);
  std::string data(200000, '\0');
  ASSERT_EQ(*big->ReadInternal(data.data(), data.size(), -1), data.size());
  EXPECT_NE(data.substr(data.size() - 64), std::string(64, '\0'));
}

TEST_F(DevfsTest, TtyWithoutControllingTerminalIsEnxio) {
  auto in = root_->Lookup(ctx_, "tty");
  ASSERT_TRUE(in.ok());
  auto f = (*in)->Open(ctx_, O_RDWR);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Errno(ENXIO));
}

TEST_F(DevfsTest, MakeAndRemoveNames) {
  auto made = root_->Create(ctx_, "mynull", {.mode = 0020600, .rdev = vfs::MakeDev(1, 3)});
  ASSERT_TRUE(made.ok());
  auto f = (*made)->Open(ctx_, O_WRONLY);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*guest_.Write(**f, "abc"), 3u);

  auto dir = root_->Create(ctx_, "mqueue", {.mode = 0040700, .uid = 5, .gid = 6});
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ((*dir)->Stat()->st_uid, 5u);
  auto link = (*dir)->Symlink(ctx_, "l", "/x", 1, 2);
  ASSERT_TRUE(link.ok());
  auto busy = root_->Rmdir(ctx_, "mqueue", **dir);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error(), Errno(ENOTEMPTY));
  ASSERT_TRUE((*dir)->Unlink(ctx_, "l", **link).ok());
  ASSERT_TRUE(root_->Rmdir(ctx_, "mqueue", **dir).ok());
  EXPECT_FALSE(root_->Lookup(ctx_, "mqueue").ok());

  auto reg = root_->Create(ctx_, "file", {.mode = 0100644});
  ASSERT_FALSE(reg.ok());
  EXPECT_EQ(reg.error(), Errno(EACCES));
  auto fifo = root_->Create(ctx_, "fifo", {.mode = 0010644});
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.error(), Errno(EPERM));
}

TEST_F(DevfsTest, RenameMovesAndReplaces) {
  auto a = root_->Create(ctx_, "a", {.mode = 0020666, .rdev = vfs::MakeDev(1, 5)});
  auto b = root_->Create(ctx_, "b", {.mode = 0020666, .rdev = vfs::MakeDev(1, 3)});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(root_->Rename(ctx_, "a", **a, *root_, "b", b->get(), 0).ok());
  EXPECT_FALSE(root_->Lookup(ctx_, "a").ok());
  auto now = root_->Lookup(ctx_, "b");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->get(), a->get());
}

TEST_F(DevfsTest, ChmodOfADeviceNodeSticks) {
  auto in = root_->Lookup(ctx_, "null");
  ASSERT_TRUE(in.ok());
  vfs::SetAttrArgs args;
  args.mask = vfs::SetAttrArgs::kMode;
  args.mode = 0600;
  ASSERT_TRUE((*in)->SetAttr(ctx_, args).ok());
  EXPECT_EQ((*in)->Stat()->st_mode, 0020600u);
}

TEST_F(DevfsTest, OpenCharDeviceFindsRegisteredDevices) {
  auto f = vfs::OpenCharDevice(ctx_, vfs::MakeDev(1, 5), O_RDONLY);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(guest_.Read(**f, 3), std::string(3, '\0'));
  auto none = vfs::OpenCharDevice(ctx_, vfs::MakeDev(1, 99), O_RDONLY);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error(), Errno(ENXIO));
}

}  // namespace
}  // namespace sentry::fsimpl::dev
