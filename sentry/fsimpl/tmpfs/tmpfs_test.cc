#include "sentry/fsimpl/tmpfs/tmpfs.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cstring>
#include <string>
#include <thread>

#include "abi/linux/fcntl.h"
#include "abi/linux/xattr.h"
#include "gtest/gtest.h"
#include "sentry/fsimpl/tmpfs/regular_file.h"
#include "sentry/vfs/dir_file.h"

namespace sentry::fsimpl::tmpfs {
namespace {

using util::Errno;

class RootContext : public vfs::Context {
 public:
  auth::Credentials creds() const override { return auth::Credentials::ForIds(0, 0, {}); }
  vfs::Path root() const override { return {}; }
  vfs::Path cwd() const override { return {}; }
  uint32_t umask() const override { return 022; }
};

class FakeAddressSpace : public platform::AddressSpace {
 public:
  absl::Status MapFile(uint64_t, uint64_t, int, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Protect(uint64_t, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Unmap(uint64_t, uint64_t) override { return absl::OkStatus(); }
  int64_t CpuTimeNs() const override { return 0; }
};

constexpr uint64_t kMin = 0x10000, kMax = 0x7f0000000000;

class TmpfsTest : public ::testing::Test {
 protected:
  void SetUp() override { Make(TmpfsOptions{}); }
  void Make(TmpfsOptions opts) {
    root_.reset();
    fs_.reset();
    mm_.reset();
    if (!mf_) {
      auto mf = mm::MemoryFile::Create(uint64_t{1} << 30);
      ASSERT_TRUE(mf.ok());
      mf_ = std::move(*mf);
    }
    fs_ = std::make_unique<TmpfsFilesystem>(*mf_, opts);
    root_ = NewRoot(*fs_);
    mm_ =
        std::make_unique<mm::MemoryManager>(*mf_, std::make_unique<FakeAddressSpace>(), kMin, kMax);
    mm::MMapOpts o;
    o.length = 1 << 20;
    o.prot = PROT_READ | PROT_WRITE;
    auto a = mm_->MMap(o);
    ASSERT_TRUE(a.ok());
    buf_ = *a;
  }
  void TearDown() override {
    root_.reset();
    fs_.reset();
    mm_.reset();
    EXPECT_EQ(mf_->AllocatedBytes(), 0u) << "memory leaked in the memory file";
  }

  std::shared_ptr<vfs::Inode> Create(vfs::Inode& dir, const std::string& name, uint32_t mode,
                                     uint64_t rdev = 0) {
    auto r = dir.Create(ctx_, name, {.mode = mode, .rdev = rdev, .uid = 1, .gid = 2});
    EXPECT_TRUE(r.ok()) << name;
    return r.ok() ? *r : nullptr;
  }
  abi_linux::Stat StatOf(vfs::Inode& in) {
    auto st = in.Stat();
    EXPECT_TRUE(st.ok());
    return st.ok() ? *st : abi_linux::Stat{};
  }
  std::shared_ptr<vfs::FileDescription> Open(vfs::Inode& in, int flags) {
    auto f = in.Open(ctx_, flags);
    EXPECT_TRUE(f.ok());
    return f.ok() ? *f : nullptr;
  }
  // write(2)/pwrite(2) of `data` through guest memory.
  ErrnoOr<size_t> Write(vfs::FileDescription& f, const std::string& data, int64_t off = -1) {
    EXPECT_TRUE(mm_->CopyOut(mm::UserAddr(buf_), data.data(), data.size()).ok());
    return f.Write(*mm_, {{mm::UserAddr(buf_), data.size()}}, off);
  }
  std::string Read(vfs::FileDescription& f, size_t n, int64_t off = -1) {
    auto r = f.Read(*mm_, {{mm::UserAddr(buf_), n}}, off);
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return "<error>";
    std::string s(*r, '\0');
    EXPECT_TRUE(mm_->CopyIn(mm::UserAddr(buf_), s.data(), s.size()).ok());
    return s;
  }
  std::vector<std::string> Names(vfs::Inode& dir) {
    auto r = dir.ReadDir(ctx_);
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    if (r.ok()) {
      for (auto& e : *r) out.push_back(e.name);
    }
    return out;
  }

  RootContext ctx_;
  std::unique_ptr<mm::MemoryFile> mf_;
  std::unique_ptr<TmpfsFilesystem> fs_;
  std::shared_ptr<vfs::Inode> root_;
  std::unique_ptr<mm::MemoryManager> mm_;
  uint64_t buf_ = 0;
};

TEST_F(TmpfsTest, RootHasOptionsModeAndOwner) {
  Make({.mode = 0755, .uid = 7, .gid = 8});
  abi_linux::Stat st = StatOf(*root_);
  EXPECT_EQ(st.st_mode, S_IFDIR | 0755u);
  EXPECT_EQ(st.st_uid, 7u);
  EXPECT_EQ(st.st_gid, 8u);
  EXPECT_EQ(st.st_nlink, 2u);
  EXPECT_EQ(st.st_dev, fs_->dev());
  EXPECT_EQ(st.st_blksize, 4096);
}

TEST_F(TmpfsTest, CreateLookupAndReadDir) {
  auto f = Create(*root_, "file", S_IFREG | 0644);
  auto d = Create(*root_, "dir", S_IFDIR | 0755);
  auto p = Create(*root_, "fifo", S_IFIFO | 0600);
  auto s = Create(*root_, "sock", S_IFSOCK | 0600);
  auto c = Create(*root_, "null", S_IFCHR | 0666, (1 << 8) | 3);
  auto l = root_->Symlink(ctx_, "link", "file", 3, 4);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(root_->Create(ctx_, "file", {.mode = S_IFREG | 0644}).error(), Errno(EEXIST));
  EXPECT_EQ(root_->Lookup(ctx_, "nope").error(), Errno(ENOENT));
  EXPECT_EQ(*root_->Lookup(ctx_, "file"), f);
  EXPECT_EQ(StatOf(*root_).st_nlink, 3u);  // "dir" counts
  EXPECT_EQ(StatOf(*f).st_uid, 1u);
  EXPECT_EQ(StatOf(*f).st_gid, 2u);
  EXPECT_EQ(StatOf(*c).st_rdev, (1u << 8) | 3);
  EXPECT_EQ(StatOf(**l).st_size, 4);
  EXPECT_EQ(*(*l)->Readlink(ctx_), "file");

  auto entries = root_->ReadDir(ctx_);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 6u);
  for (const auto& e : *entries) {
    auto child = *root_->Lookup(ctx_, e.name);
    EXPECT_EQ(e.ino, StatOf(*child).st_ino) << e.name;
    EXPECT_EQ(e.type, StatOf(*child).st_mode >> 12) << e.name;
  }
}

TEST_F(TmpfsTest, WriteReadSeekAndAppend) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_EQ(*Write(*fd, "hello world"), 11u);
  EXPECT_EQ(StatOf(*f).st_size, 11);
  EXPECT_EQ(*fd->Seek(0, abi_linux::kSEEK_SET), 0);
  EXPECT_EQ(Read(*fd, 5), "hello");
  EXPECT_EQ(Read(*fd, 100), " world");
  EXPECT_EQ(Read(*fd, 100), "");
  EXPECT_EQ(Read(*fd, 5, 6), "world");  // pread leaves the position alone
  EXPECT_EQ(*fd->Seek(0, abi_linux::kSEEK_CUR), 11);
  EXPECT_EQ(*Write(*fd, "HELLO", 0), 5u);
  EXPECT_EQ(Read(*fd, 100, 0), "HELLO world");
  EXPECT_EQ(fd->Seek(-1, abi_linux::kSEEK_SET).error(), Errno(EINVAL));

  auto app = Open(*f, O_WRONLY | O_APPEND);
  ASSERT_EQ(*Write(*app, "!"), 1u);
  EXPECT_EQ(*app->Seek(0, abi_linux::kSEEK_CUR), 12);
  EXPECT_EQ(Read(*fd, 100, 0), "HELLO world!");
  EXPECT_EQ(app->Read(*mm_, {{mm::UserAddr(buf_), 1}}, -1).error(), Errno(EBADF));
}

TEST_F(TmpfsTest, WriteFromBadAddressFaults) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  EXPECT_EQ(fd->Write(*mm_, {{mm::UserAddr(8), 10}}, -1).error(), Errno(EFAULT));
  EXPECT_EQ(StatOf(*f).st_size, 0);
}

TEST_F(TmpfsTest, HolesReadAsZerosAndCostNothing) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_EQ(*Write(*fd, "x", 3 * 4096 + 10), 1u);
  abi_linux::Stat st = StatOf(*f);
  EXPECT_EQ(st.st_size, 3 * 4096 + 11);
  EXPECT_EQ(st.st_blocks, 8);  // one page
  std::string all = Read(*fd, 5 * 4096, 0);
  ASSERT_EQ(all.size(), 3u * 4096 + 11);
  EXPECT_EQ(all.back(), 'x');
  EXPECT_EQ(all.find_first_not_of('\0'), 3u * 4096 + 10);

  EXPECT_EQ(*fd->Seek(0, abi_linux::kSEEK_DATA), 3 * 4096);
  EXPECT_EQ(*fd->Seek(0, abi_linux::kSEEK_HOLE), 0);
  EXPECT_EQ(*fd->Seek(3 * 4096 + 5, abi_linux::kSEEK_HOLE), 3 * 4096 + 11);
  EXPECT_EQ(fd->Seek(3 * 4096 + 11, abi_linux::kSEEK_DATA).error(), Errno(ENXIO));
}

TEST_F(TmpfsTest, TruncateFreesPagesAndZeroesOnRegrowth) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  std::string data(3 * 4096, 'a');
  ASSERT_EQ(*Write(*fd, data), data.size());
  EXPECT_EQ(fs_->pages_used(), 3u);
  ASSERT_TRUE(fd->Truncate(100).ok());
  EXPECT_EQ(StatOf(*f).st_size, 100);
  EXPECT_EQ(fs_->pages_used(), 1u);
  EXPECT_EQ(StatOf(*f).st_blocks, 8);
  ASSERT_TRUE(fd->Truncate(8192).ok());
  std::string back = Read(*fd, 8192, 0);
  EXPECT_EQ(back.substr(0, 100), std::string(100, 'a'));
  EXPECT_EQ(back.substr(100), std::string(8192 - 100, '\0'));
  // Through SetAttr too.
  ASSERT_TRUE(f->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kSize, .size = 0}).ok());
  EXPECT_EQ(StatOf(*f).st_size, 0);
  EXPECT_EQ(fs_->pages_used(), 0u);
}

TEST_F(TmpfsTest, SizeLimitGivesEnospc) {
  Make({.size_limit = 2 * 4096});
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  std::string data(3 * 4096, 'a');
  EXPECT_EQ(*Write(*fd, data), 2u * 4096);  // short
  EXPECT_EQ(Write(*fd, "b").error(), Errno(ENOSPC));
  auto st = fs_->Statfs();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->blocks, 2u);
  EXPECT_EQ(st->bfree, 0u);
  EXPECT_EQ(fd->Allocate(0, 8192, 4096).error(), Errno(ENOSPC));
}

TEST_F(TmpfsTest, Fallocate) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_TRUE(fd->Allocate(FALLOC_FL_KEEP_SIZE, 0, 8192).ok());
  EXPECT_EQ(StatOf(*f).st_size, 0);
  EXPECT_EQ(StatOf(*f).st_blocks, 16);
  ASSERT_TRUE(fd->Allocate(0, 4096, 3 * 4096).ok());
  EXPECT_EQ(StatOf(*f).st_size, 4 * 4096);
  EXPECT_EQ(StatOf(*f).st_blocks, 32);
  EXPECT_EQ(fd->Allocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096).error(),
            Errno(EOPNOTSUPP));
}

TEST_F(TmpfsTest, SharedPagesAreTheFileData) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_EQ(*Write(*fd, "abc"), 3u);
  auto mappable = fd->GetMappable();
  ASSERT_TRUE(mappable.ok());
  EXPECT_TRUE((*mappable)->CanMapShared());
  EXPECT_EQ((*mappable)->MappableSize(), 3u);
  auto page = (*mappable)->SharedPage(0);
  ASSERT_TRUE(page.ok());
  uint8_t* p = mf_->Access(*page);
  EXPECT_EQ(std::memcmp(p, "abc", 3), 0);
  p[1] = 'X';  // a store through a shared mapping
  EXPECT_EQ(Read(*fd, 3, 0), "aXc");
  ASSERT_EQ(*Write(*fd, "Z", 2), 1u);
  EXPECT_EQ(p[2], 'Z');
  // Bytes past the end written through the mapping do not show when the
  // file grows.
  p[10] = 'G';
  ASSERT_TRUE(fd->Truncate(20).ok());
  EXPECT_EQ(Read(*fd, 20, 0), std::string("aXZ") + std::string(17, '\0'));

  char buf[8] = {};
  EXPECT_EQ(*(*mappable)->ReadForMap(buf, sizeof(buf), 1), 8u);
  EXPECT_EQ(std::string(buf, 2), "XZ");
  // The mapping's reference keeps the page after the file lets it go.
  fd.reset();
  mappable->reset();
  ASSERT_TRUE(root_->Unlink(ctx_, "f", *f).ok());
  f.reset();
  EXPECT_EQ(mf_->AllocatedBytes() > 0, true);
  mf_->DecRef(*page, 4096);
}

TEST_F(TmpfsTest, SharedPageAllocatesZeroedPage) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  ASSERT_TRUE(f->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kSize, .size = 8192}).ok());
  auto* rf = dynamic_cast<RegularFile*>(f.get());
  ASSERT_NE(rf, nullptr);
  EXPECT_EQ(rf->pages(), 0u);
  auto page = rf->SharedPage(4096 + 17);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(rf->pages(), 1u);
  EXPECT_EQ(mf_->Access(*page)[0], 0);
  mf_->Access(*page)[5] = 'q';
  char c = 0;
  ASSERT_EQ(*rf->ReadAt(&c, 1, 4096 + 5), 1u);
  EXPECT_EQ(c, 'q');
  mf_->DecRef(*page, 4096);
}

TEST_F(TmpfsTest, UnlinkOfOpenFileKeepsDataUntilClose) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_EQ(*Write(*fd, std::string(5000, 'z')), 5000u);
  ASSERT_TRUE(root_->Unlink(ctx_, "f", *f).ok());
  EXPECT_EQ(StatOf(*f).st_nlink, 0u);
  EXPECT_EQ(root_->Lookup(ctx_, "f").error(), Errno(ENOENT));
  f.reset();
  EXPECT_EQ(Read(*fd, 5000, 0), std::string(5000, 'z'));
  EXPECT_EQ(fs_->pages_used(), 2u);
  fd.reset();
  EXPECT_EQ(fs_->pages_used(), 0u);
}

TEST_F(TmpfsTest, LinkCountsAndTimes) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  abi_linux::Timespec before = StatOf(*root_).st_mtim;
  ASSERT_TRUE(root_->Link(ctx_, "g", f).ok());
  EXPECT_EQ(StatOf(*f).st_nlink, 2u);
  EXPECT_EQ(*root_->Lookup(ctx_, "g"), f);
  abi_linux::Timespec after = StatOf(*root_).st_mtim;
  EXPECT_TRUE(after.tv_sec > before.tv_sec ||
              (after.tv_sec == before.tv_sec && after.tv_nsec >= before.tv_nsec));
  auto d = Create(*root_, "d", S_IFDIR | 0755);
  EXPECT_EQ(root_->Link(ctx_, "d2", d).error(), Errno(EPERM));
  EXPECT_EQ(root_->Link(ctx_, "g", f).error(), Errno(EEXIST));
  ASSERT_TRUE(root_->Unlink(ctx_, "f", *f).ok());
  EXPECT_EQ(StatOf(*f).st_nlink, 1u);
  EXPECT_EQ(root_->Unlink(ctx_, "d", *d).error(), Errno(EISDIR));
}

TEST_F(TmpfsTest, RmdirNeedsEmptyDirectory) {
  auto d = Create(*root_, "d", S_IFDIR | 0755);
  auto sub = Create(*d, "sub", S_IFDIR | 0755);
  EXPECT_EQ(StatOf(*d).st_nlink, 3u);
  EXPECT_EQ(root_->Rmdir(ctx_, "d", *d).error(), Errno(ENOTEMPTY));
  ASSERT_TRUE(d->Rmdir(ctx_, "sub", *sub).ok());
  EXPECT_EQ(StatOf(*sub).st_nlink, 0u);
  EXPECT_EQ(StatOf(*d).st_nlink, 2u);
  ASSERT_TRUE(root_->Rmdir(ctx_, "d", *d).ok());
  EXPECT_EQ(StatOf(*root_).st_nlink, 2u);
  // A removed directory takes no new entries.
  EXPECT_EQ(d->Create(ctx_, "x", {.mode = S_IFREG | 0644}).error(), Errno(ENOENT));
  auto f = Create(*root_, "f", S_IFREG | 0644);
  EXPECT_EQ(root_->Rmdir(ctx_, "f", *f).error(), Errno(ENOTDIR));
}

TEST_F(TmpfsTest, RenameMovesReplacesAndCountsLinks) {
  auto a = Create(*root_, "a", S_IFDIR | 0755);
  auto b = Create(*root_, "b", S_IFDIR | 0755);
  auto f = Create(*a, "f", S_IFREG | 0644);
  auto g = Create(*b, "g", S_IFREG | 0644);
  // Replacing g: g loses its name.
  ASSERT_TRUE(a->Rename(ctx_, "f", *f, *b, "g", g.get(), 0).ok());
  EXPECT_EQ(*b->Lookup(ctx_, "g"), f);
  EXPECT_EQ(a->Lookup(ctx_, "f").error(), Errno(ENOENT));
  EXPECT_EQ(StatOf(*g).st_nlink, 0u);
  // Directories carry their ".." along.
  auto sub = Create(*a, "sub", S_IFDIR | 0755);
  EXPECT_EQ(StatOf(*a).st_nlink, 3u);
  ASSERT_TRUE(a->Rename(ctx_, "sub", *sub, *b, "sub", nullptr, 0).ok());
  EXPECT_EQ(StatOf(*a).st_nlink, 2u);
  EXPECT_EQ(StatOf(*b).st_nlink, 3u);
  // Over an empty directory, and not over a full one.
  auto empty = Create(*a, "empty", S_IFDIR | 0755);
  auto full = Create(*a, "full", S_IFDIR | 0755);
  Create(*full, "x", S_IFREG | 0644);
  EXPECT_EQ(b->Rename(ctx_, "sub", *sub, *a, "full", full.get(), 0).error(), Errno(ENOTEMPTY));
  ASSERT_TRUE(b->Rename(ctx_, "sub", *sub, *a, "empty", empty.get(), 0).ok());
  EXPECT_EQ(StatOf(*empty).st_nlink, 0u);
  EXPECT_EQ(StatOf(*a).st_nlink, 4u);  // sub (as "empty") and full
  EXPECT_EQ(StatOf(*b).st_nlink, 2u);
  // NOREPLACE.
  EXPECT_EQ(b->Rename(ctx_, "g", *f, *a, "full", full.get(), abi_linux::kRENAME_NOREPLACE).error(),
            Errno(EEXIST));
  // Two names of one file: nothing happens.
  ASSERT_TRUE(b->Link(ctx_, "h", f).ok());
  ASSERT_TRUE(b->Rename(ctx_, "g", *f, *b, "h", f.get(), 0).ok());
  EXPECT_EQ(Names(*b), (std::vector<std::string>{"g", "h"}));
}

TEST_F(TmpfsTest, RenameExchange) {
  auto a = Create(*root_, "a", S_IFDIR | 0755);
  auto b = Create(*root_, "b", S_IFDIR | 0755);
  auto d = Create(*a, "d", S_IFDIR | 0755);
  auto f = Create(*b, "f", S_IFREG | 0644);
  ASSERT_TRUE(a->Rename(ctx_, "d", *d, *b, "f", f.get(), abi_linux::kRENAME_EXCHANGE).ok());
  EXPECT_EQ(*a->Lookup(ctx_, "d"), f);
  EXPECT_EQ(*b->Lookup(ctx_, "f"), d);
  EXPECT_EQ(StatOf(*a).st_nlink, 2u);
  EXPECT_EQ(StatOf(*b).st_nlink, 3u);
  EXPECT_EQ(StatOf(*f).st_nlink, 1u);
  EXPECT_EQ(a->Rename(ctx_, "d", *f, *b, "nothing", nullptr, abi_linux::kRENAME_EXCHANGE).error(),
            Errno(ENOENT));
}

TEST_F(TmpfsTest, SetAttrAppliesAndUpdatesCtime) {
  auto f = Create(*root_, "f", S_IFREG | 04755);
  EXPECT_EQ(StatOf(*f).st_mode, S_IFREG | 04755u);
  vfs::SetAttrArgs a;
  a.mask = vfs::SetAttrArgs::kMode | vfs::SetAttrArgs::kUid | vfs::SetAttrArgs::kGid |
           vfs::SetAttrArgs::kAtime | vfs::SetAttrArgs::kMtime;
  a.mode = 0600;
  a.uid = 10;
  a.gid = 20;
  a.atime = {100, 1};
  a.mtime = {200, 2};
  ASSERT_TRUE(f->SetAttr(ctx_, a).ok());
  abi_linux::Stat st = StatOf(*f);
  EXPECT_EQ(st.st_mode, S_IFREG | 0600u);
  EXPECT_EQ(st.st_uid, 10u);
  EXPECT_EQ(st.st_gid, 20u);
  EXPECT_EQ(st.st_atim.tv_sec, 100);
  EXPECT_EQ(st.st_mtim.tv_sec, 200);
  EXPECT_EQ(st.st_mtim.tv_nsec, 2);
  EXPECT_GT(st.st_ctim.tv_sec, 200);
  EXPECT_EQ(root_->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kSize, .size = 1}).error(),
            Errno(EISDIR));
}

TEST_F(TmpfsTest, Xattrs) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  EXPECT_EQ(f->GetXattr(ctx_, "user.a").error(), Errno(ENODATA));
  ASSERT_TRUE(f->SetXattr(ctx_, "user.a", "1", 0).ok());
  ASSERT_TRUE(f->SetXattr(ctx_, "trusted.b", std::string("\0x", 2), 0).ok());
  EXPECT_EQ(*f->GetXattr(ctx_, "user.a"), "1");
  EXPECT_EQ(*f->GetXattr(ctx_, "trusted.b"), std::string("\0x", 2));
  EXPECT_EQ(f->SetXattr(ctx_, "user.a", "2", abi_linux::kXATTR_CREATE).error(), Errno(EEXIST));
  EXPECT_EQ(f->SetXattr(ctx_, "user.c", "2", abi_linux::kXATTR_REPLACE).error(), Errno(ENODATA));
  ASSERT_TRUE(f->SetXattr(ctx_, "user.a", "2", abi_linux::kXATTR_REPLACE).ok());
  EXPECT_EQ(*f->GetXattr(ctx_, "user.a"), "2");
  EXPECT_EQ(*f->ListXattr(ctx_), (std::vector<std::string>{"trusted.b", "user.a"}));
  EXPECT_EQ(f->SetXattr(ctx_, "user.big", std::string(65537, 'x'), 0).error(), Errno(E2BIG));
  ASSERT_TRUE(f->SetXattr(ctx_, "user.max", std::string(65536, 'x'), 0).ok());
  EXPECT_EQ(f->SetXattr(ctx_, "security.selinux", "x", 0).error(), Errno(EOPNOTSUPP));
  EXPECT_EQ(f->GetXattr(ctx_, "system.posix_acl_access").error(), Errno(EOPNOTSUPP));
  ASSERT_TRUE(f->RemoveXattr(ctx_, "user.a").ok());
  EXPECT_EQ(f->RemoveXattr(ctx_, "user.a").error(), Errno(ENODATA));
  EXPECT_EQ(f->GetXattr(ctx_, "user.a").error(), Errno(ENODATA));
}

TEST_F(TmpfsTest, DirectoryOpensAsDirectoryFile) {
  auto fd = Open(*root_, O_RDONLY | O_DIRECTORY);
  EXPECT_NE(dynamic_cast<vfs::DirectoryFile*>(fd.get()), nullptr);
}

TEST_F(TmpfsTest, SocketsAndUnknownDevicesDoNotOpen) {
  auto s = Create(*root_, "s", S_IFSOCK | 0644);
  EXPECT_EQ(s->Open(ctx_, O_RDWR).error(), Errno(ENXIO));
  auto c = Create(*root_, "c", S_IFCHR | 0644, (250u << 8) | 77);
  EXPECT_EQ(c->Open(ctx_, O_RDWR).error(), Errno(ENXIO));
}

TEST_F(TmpfsTest, FifoNonblockingOpenRules) {
  auto p = Create(*root_, "p", S_IFIFO | 0644);
  // No reader: a nonblocking writer fails; a nonblocking reader opens.
  EXPECT_EQ(p->Open(ctx_, O_WRONLY | O_NONBLOCK).error(), Errno(ENXIO));
  auto r = Open(*p, O_RDONLY | O_NONBLOCK);
  auto w = Open(*p, O_WRONLY | O_NONBLOCK);
  ASSERT_EQ(*Write(*w, "ping"), 4u);
  EXPECT_EQ(Read(*r, 10), "ping");
  EXPECT_TRUE(w->is_pipe());
  // O_RDWR never blocks, and is both ends.
  auto rw = Open(*p, O_RDWR);
  ASSERT_EQ(*Write(*rw, "x"), 1u);
  EXPECT_EQ(Read(*rw, 10), "x");
}

TEST_F(TmpfsTest, FifoBlockingOpenWaitsForPeerAndSharesOnePipe) {
  auto p = Create(*root_, "p", S_IFIFO | 0644);
  std::shared_ptr<vfs::FileDescription> r;
  std::thread reader([&] {
    auto f = p->Open(ctx_, O_RDONLY);
    ASSERT_TRUE(f.ok());
    r = *f;
  });
  auto w = Open(*p, O_WRONLY);  // waits for the reader (or finds it)
  reader.join();
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(*Write(*w, "data"), 4u);
  EXPECT_EQ(Read(*r, 10), "data");
  // Once every end is closed, the next opens start a fresh, empty pipe.
  ASSERT_EQ(*Write(*w, "stale"), 5u);
  r.reset();
  w.reset();
  auto rw = Open(*p, O_RDWR | O_NONBLOCK);
  EXPECT_EQ(rw->Read(*mm_, {{mm::UserAddr(buf_), 10}}, -1).error(), Errno(EAGAIN));
}

bool AlwaysInterrupt(void*) { return true; }

TEST_F(TmpfsTest, FifoBlockingOpenIsInterruptible) {
  auto p = Create(*root_, "p", S_IFIFO | 0644);
  vfs::SetInterruptCheck(&AlwaysInterrupt, nullptr);
  EXPECT_EQ(p->Open(ctx_, O_RDONLY).error(), Errno(EINTR));
  EXPECT_EQ(p->Open(ctx_, O_WRONLY).error(), Errno(EINTR));
  vfs::SetInterruptCheck(nullptr, nullptr);
  // The interrupted opens left no ends behind.
  EXPECT_EQ(p->Open(ctx_, O_WRONLY | O_NONBLOCK).error(), Errno(ENXIO));
}

TEST_F(TmpfsTest, SentrySideIo) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto* rf = dynamic_cast<RegularFile*>(f.get());
  ASSERT_NE(rf, nullptr);
  std::string data(10000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  ASSERT_EQ(*rf->WriteAt(data.data(), data.size(), 100), data.size());
  EXPECT_EQ(rf->size(), 10100u);
  std::string back(10100, '\1');
  ASSERT_EQ(*rf->ReadAt(back.data(), back.size(), 0), 10100u);
  EXPECT_EQ(back.substr(0, 100), std::string(100, '\0'));
  EXPECT_EQ(back.substr(100), data);
}

// The sentry's own reads and writes through an open file (sendfile(2),
// copy_file_range(2)) follow read(2)/write(2): the position, pread/pwrite,
// O_APPEND, EOF, access modes.
TEST_F(TmpfsTest, InternalIoUsesAndAdvancesThePosition) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_EQ(*fd->WriteInternal("hello world", 11, -1), 11u);
  EXPECT_EQ(*fd->Seek(0, abi_linux::kSEEK_CUR), 11);
  EXPECT_EQ(StatOf(*f).st_size, 11);
  ASSERT_EQ(*fd->Seek(0, abi_linux::kSEEK_SET), 0);
  char buf[32] = {};
  ASSERT_EQ(*fd->ReadInternal(buf, 5, -1), 5u);
  EXPECT_EQ(std::string(buf, 5), "hello");
  ASSERT_EQ(*fd->ReadInternal(buf, sizeof(buf), -1), 6u);  // short at EOF
  EXPECT_EQ(std::string(buf, 6), " world");
  EXPECT_EQ(*fd->ReadInternal(buf, sizeof(buf), -1), 0u);  // EOF
  // pread/pwrite leave the position alone.
  ASSERT_EQ(*fd->WriteInternal("WORLD", 5, 6), 5u);
  ASSERT_EQ(*fd->ReadInternal(buf, 5, 0), 5u);
  EXPECT_EQ(std::string(buf, 5), "hello");
  EXPECT_EQ(*fd->ReadInternal(buf, 5, 100), 0u);
  EXPECT_EQ(*fd->Seek(0, abi_linux::kSEEK_CUR), 11);
  // Both worlds see the same data.
  EXPECT_EQ(Read(*fd, 100, 0), "hello WORLD");
}

TEST_F(TmpfsTest, InternalIoWritesPastEndLeaveZerosAndHonorAppend) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto fd = Open(*f, O_RDWR);
  ASSERT_EQ(*fd->WriteInternal("x", 1, 2 * 4096 + 1), 1u);
  EXPECT_EQ(StatOf(*f).st_size, 2 * 4096 + 2);
  EXPECT_EQ(StatOf(*f).st_blocks, 8);  // one page: the hole costs nothing
  std::string back(2 * 4096 + 2, '\1');
  ASSERT_EQ(*fd->ReadInternal(back.data(), back.size(), 0), back.size());
  EXPECT_EQ(back, std::string(2 * 4096 + 1, '\0') + "x");

  auto app = Open(*f, O_WRONLY | O_APPEND);
  ASSERT_EQ(*app->WriteInternal("ab", 2, -1), 2u);
  EXPECT_EQ(*app->Seek(0, abi_linux::kSEEK_CUR), 2 * 4096 + 4);
  // pwrite on an O_APPEND file appends too, as on Linux.
  ASSERT_EQ(*app->WriteInternal("cd", 2, 0), 2u);
  EXPECT_EQ(Read(*fd, 10, 2 * 4096 + 1), "xabcd");
  EXPECT_EQ(*app->Seek(0, abi_linux::kSEEK_CUR), 2 * 4096 + 4);
}

TEST_F(TmpfsTest, InternalIoChecksAccessModeAndSpace) {
  Make({.size_limit = 2 * 4096});
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto ro = Open(*f, O_RDONLY);
  auto wo = Open(*f, O_WRONLY);
  char c = 0;
  EXPECT_EQ(ro->WriteInternal("x", 1, -1).error(), Errno(EBADF));
  EXPECT_EQ(wo->ReadInternal(&c, 1, -1).error(), Errno(EBADF));
  std::string data(3 * 4096, 'a');
  EXPECT_EQ(*wo->WriteInternal(data.data(), data.size(), -1), 2u * 4096);  // short
  EXPECT_EQ(wo->WriteInternal("b", 1, -1).error(), Errno(ENOSPC));
  EXPECT_EQ(*wo->Seek(0, abi_linux::kSEEK_CUR), 2 * 4096);
  EXPECT_EQ(*wo->WriteInternal("", 0, -1), 0u);
}

TEST_F(TmpfsTest, InternalReadTouchesAtimeUnlessNoatime) {
  auto f = Create(*root_, "f", S_IFREG | 0644);
  auto rf = std::static_pointer_cast<RegularFile>(f);
  ASSERT_EQ(*rf->WriteAt("data", 4, 0), 4u);
  ASSERT_TRUE(f->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kAtime, .atime = {1, 0}}).ok());
  char buf[4];
  auto noatime = Open(*f, O_RDONLY | O_NOATIME);
  ASSERT_EQ(*noatime->ReadInternal(buf, 4, 0), 4u);
  EXPECT_EQ(StatOf(*f).st_atim.tv_sec, 1);
  auto fd = Open(*f, O_RDONLY);
  ASSERT_EQ(*fd->ReadInternal(buf, 4, 0), 4u);
  EXPECT_GT(StatOf(*f).st_atim.tv_sec, 1);
}

}  // namespace
}  // namespace sentry::fsimpl::tmpfs
