#include "sentry/fsimpl/overlay/overlay.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "abi/linux/fcntl.h"
#include "gtest/gtest.h"
#include "sentry/fsimpl/overlay/overlay_internal.h"
#include "sentry/fsimpl/tmpfs/regular_file.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"

namespace sentry::fsimpl::overlay {
namespace {

using util::Errno;

class RootContext : public vfs::Context {
 public:
  auth::Credentials creds() const override { return auth::Credentials::ForIds(0, 0, {}); }
  vfs::Path root() const override { return {}; }
  vfs::Path cwd() const override { return {}; }
  uint32_t umask() const override { return 022; }
};

class OverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mf = mm::MemoryFile::Create(uint64_t{1} << 30);
    ASSERT_TRUE(mf.ok());
    mf_ = std::move(*mf);
    lower_fs_ = std::make_shared<tmpfs::TmpfsFilesystem>(*mf_, tmpfs::TmpfsOptions{.mode = 0755});
    upper_fs_ = std::make_shared<tmpfs::TmpfsFilesystem>(*mf_, tmpfs::TmpfsOptions{.mode = 0755});
    lower_ = tmpfs::NewRoot(*lower_fs_);
    upper_ = tmpfs::NewRoot(*upper_fs_);

    // The lower tree:
    //   /etc/passwd "root:x:0:0"   (uid 5, mode 0640, user.tag xattr)
    //   /dir/{a,b} /dir/sub/c       (dir mode 0750, uid 9)
    //   /lnk -> etc/passwd
    //   /big: 3 pages, the middle one a hole
    auto etc = Mk(*lower_, "etc", S_IFDIR | 0755);
    passwd_ = File(*etc, "passwd", "root:x:0:0", 0640, 5);
    ASSERT_TRUE(passwd_->SetXattr(ctx_, "user.tag", "v", 0).ok());
    vfs::SetAttrArgs t;
    t.mask = vfs::SetAttrArgs::kMtime | vfs::SetAttrArgs::kAtime;
    t.atime = {1000, 5};
    t.mtime = {2000, 7};
    ASSERT_TRUE(passwd_->SetAttr(ctx_, t).ok());
    auto dir = Mk(*lower_, "dir", S_IFDIR | 0750, 9);
    File(*dir, "a", "AAAA");
    File(*dir, "b", "BBBB");
    auto sub = Mk(*dir, "sub", S_IFDIR | 0755);
    File(*sub, "c", "CCCC");
    ASSERT_TRUE(dir->SetAttr(ctx_, t).ok());
    ASSERT_TRUE(lower_->Symlink(ctx_, "lnk", "etc/passwd", 0, 0).ok());
    auto big = File(*lower_, "big", "");
    auto* rf = dynamic_cast<tmpfs::RegularFile*>(big.get());
    std::string page(4096, 'x');
    ASSERT_EQ(*rf->WriteAt(page.data(), page.size(), 0), 4096u);
    ASSERT_EQ(*rf->WriteAt(page.data(), page.size(), 8192), 4096u);

    ofs_ = std::make_shared<OverlayFilesystem>(upper_fs_, lower_fs_);
    root_ = NewOverlayRoot(*ofs_, upper_, lower_);
  }

  std::shared_ptr<vfs::Inode> Mk(vfs::Inode& dir, const std::string& name, uint32_t mode,
                                 uint32_t uid = 0) {
    auto r = dir.Create(ctx_, name, {.mode = mode, .uid = uid, .gid = uid});
    EXPECT_TRUE(r.ok()) << name;
    return r.ok() ? *r : nullptr;
  }
  std::shared_ptr<vfs::Inode> File(vfs::Inode& dir, const std::string& name,
                                   const std::string& data, uint32_t mode = 0644,
                                   uint32_t uid = 0) {
    auto f = Mk(dir, name, S_IFREG | mode, uid);
    auto* rf = dynamic_cast<tmpfs::RegularFile*>(f.get());
    EXPECT_NE(rf, nullptr);
    if (rf != nullptr && !data.empty()) {
      EXPECT_EQ(*rf->WriteAt(data.data(), data.size(), 0), data.size());
    }
    return f;
  }
  // Walks a path ("dir/a") from `root`.
  ErrnoOr<std::shared_ptr<vfs::Inode>> Walk(const std::shared_ptr<vfs::Inode>& root,
                                            const std::string& path) {
    std::shared_ptr<vfs::Inode> cur = root;
    size_t pos = 0;
    while (pos <= path.size()) {
      size_t next = path.find('/', pos);
      if (next == std::string::npos) next = path.size();
      ASSIGN_OR_RETURN_ERRNO(cur, cur->Lookup(ctx_, path.substr(pos, next - pos)));
      pos = next + 1;
    }
    return cur;
  }
  std::shared_ptr<vfs::Inode> O(const std::string& path) {
    auto r = Walk(root_, path);
    EXPECT_TRUE(r.ok()) << path;
    return r.ok() ? *r : nullptr;
  }
  // The data of a regular file, read through its mm::Mappable.
  std::string Contents(vfs::Inode& in) {
    auto* m = dynamic_cast<mm::Mappable*>(&in);
    if (m == nullptr) {
      auto* o = dynamic_cast<OverlayInode*>(&in);
      if (o == nullptr) return "<not a file>";
      auto u = o->upper();
      return Contents(u ? *u : *o->lower());
    }
    std::string s(m->MappableSize(), '\0');
    EXPECT_EQ(*m->ReadForMap(s.data(), s.size(), 0), s.size());
    return s;
  }
  std::vector<std::string> Names(vfs::Inode& dir) {
    auto r = dir.ReadDir(ctx_);
    EXPECT_TRUE(r.ok());
    std::vector<std::string> out;
    if (r.ok()) {
      for (auto& e : *r) out.push_back(e.name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  abi_linux::Stat StatOf(vfs::Inode& in) {
    auto st = in.Stat();
    EXPECT_TRUE(st.ok());
    return st.ok() ? *st : abi_linux::Stat{};
  }
  bool UpperHas(const std::string& path) { return Walk(upper_, path).ok(); }

  RootContext ctx_;
  std::unique_ptr<mm::MemoryFile> mf_;
  std::shared_ptr<tmpfs::TmpfsFilesystem> lower_fs_, upper_fs_;
  std::shared_ptr<vfs::Inode> lower_, upper_, passwd_;
  std::shared_ptr<OverlayFilesystem> ofs_;
  std::shared_ptr<vfs::Inode> root_;
};

TEST_F(OverlayTest, LookupShowsBothLayersUpperWinning) {
  File(*upper_, "only_upper", "U");
  File(*upper_, "big", "upper big");
  EXPECT_EQ(Contents(*O("etc/passwd")), "root:x:0:0");
  EXPECT_EQ(Contents(*O("only_upper")), "U");
  EXPECT_EQ(Contents(*O("big")), "upper big");
  EXPECT_EQ(root_->Lookup(ctx_, "nope").error(), Errno(ENOENT));
  EXPECT_EQ(*O("lnk")->Readlink(ctx_), "etc/passwd");
  // One overlay inode per file.
  EXPECT_EQ(O("etc/passwd"), O("etc/passwd"));
  EXPECT_EQ(O("dir"), O("dir"));
}

TEST_F(OverlayTest, StatShowsOverlayDeviceAndLowerInode) {
  auto p = O("etc/passwd");
  abi_linux::Stat st = StatOf(*p);
  EXPECT_EQ(st.st_dev, ofs_->dev());
  EXPECT_EQ(st.st_ino, StatOf(*passwd_).st_ino);
  EXPECT_EQ(st.st_mode, S_IFREG | 0640u);
  EXPECT_EQ(st.st_uid, 5u);
  EXPECT_EQ(st.st_size, 10);
  EXPECT_EQ(StatOf(*root_).st_dev, ofs_->dev());
}

TEST_F(OverlayTest, ReadOnlyOpenDoesNotCopyUp) {
  auto fd = O("etc/passwd")->Open(ctx_, O_RDONLY);
  ASSERT_TRUE(fd.ok());
  EXPECT_FALSE(UpperHas("etc"));
}

TEST_F(OverlayTest, WriteOpenCopiesUpWithParentsAndLeavesLowerAlone) {
  auto p = O("etc/passwd");
  uint64_t ino = StatOf(*p).st_ino;
  auto fd = p->Open(ctx_, O_RDWR);
  ASSERT_TRUE(fd.ok());
  ASSERT_TRUE(UpperHas("etc/passwd"));
  auto up = *Walk(upper_, "etc/passwd");
  abi_linux::Stat ust = StatOf(*up);
  EXPECT_EQ(ust.st_mode, S_IFREG | 0640u);
  EXPECT_EQ(ust.st_uid, 5u);
  EXPECT_EQ(ust.st_mtim.tv_sec, 2000);
  EXPECT_EQ(ust.st_mtim.tv_nsec, 7);
  EXPECT_EQ(ust.st_atim.tv_sec, 1000);
  EXPECT_EQ(Contents(*up), "root:x:0:0");
  EXPECT_EQ(*up->GetXattr(ctx_, "user.tag"), "v");
  // Changes go to the copy.
  auto* rf = dynamic_cast<tmpfs::RegularFile*>(up.get());
  ASSERT_NE(rf, nullptr);
  ASSERT_EQ(*rf->WriteAt("ROOT", 4, 0), 4u);
  EXPECT_EQ(Contents(*O("etc/passwd")), "ROOT:x:0:0");
  EXPECT_EQ(Contents(*passwd_), "root:x:0:0");
  // Same inode object and number as before.
  EXPECT_EQ(O("etc/passwd"), p);
  EXPECT_EQ(StatOf(*p).st_ino, ino);
  EXPECT_EQ(StatOf(*p).st_dev, ofs_->dev());
}

TEST_F(OverlayTest, CopyUpKeepsParentAttributes) {
  ASSERT_TRUE(O("dir/sub/c")->Open(ctx_, O_WRONLY).ok());
  auto d = *Walk(upper_, "dir");
  abi_linux::Stat st = StatOf(*d);
  EXPECT_EQ(st.st_mode, S_IFDIR | 0750u);
  EXPECT_EQ(st.st_uid, 9u);
  EXPECT_EQ(st.st_mtim.tv_sec, 2000);
  EXPECT_TRUE(UpperHas("dir/sub/c"));
  EXPECT_FALSE(UpperHas("dir/a"));
  // The copied-up directory still merges.
  EXPECT_EQ(Names(*O("dir")), (std::vector<std::string>{"a", "b", "sub"}));
}

TEST_F(OverlayTest, CopyUpKeepsHoles) {
  ASSERT_TRUE(O("big")->Open(ctx_, O_RDWR).ok());
  auto up = *Walk(upper_, "big");
  abi_linux::Stat st = StatOf(*up);
  EXPECT_EQ(st.st_size, 3 * 4096);
  EXPECT_EQ(st.st_blocks, 16);
  std::string want = std::string(4096, 'x') + std::string(4096, '\0') + std::string(4096, 'x');
  EXPECT_EQ(Contents(*up), want);
}

TEST_F(OverlayTest, TruncateCopiesUpOnlyWhatIsKept) {
  auto a = O("dir/a");
  ASSERT_TRUE(a->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kSize, .size = 2}).ok());
  EXPECT_EQ(Contents(*a), "AA");
  EXPECT_EQ(StatOf(*a).st_size, 2);
  EXPECT_EQ(Contents(**Walk(lower_, "dir/a")), "AAAA");
  // O_TRUNC opens copy up nothing.
  ASSERT_TRUE(O("dir/b")->Open(ctx_, O_WRONLY | O_TRUNC).ok());
  EXPECT_EQ(StatOf(**Walk(upper_, "dir/b")).st_size, 0);
}

TEST_F(OverlayTest, ChmodAndXattrCopyUp) {
  auto p = O("etc/passwd");
  ASSERT_TRUE(p->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kMode, .mode = 0600}).ok());
  EXPECT_EQ(StatOf(*p).st_mode, S_IFREG | 0600u);
  EXPECT_EQ(StatOf(*passwd_).st_mode, S_IFREG | 0640u);

  auto a = O("dir/a");
  ASSERT_TRUE(a->SetXattr(ctx_, "user.x", "1", 0).ok());
  EXPECT_TRUE(UpperHas("dir/a"));
  EXPECT_EQ(*a->GetXattr(ctx_, "user.x"), "1");
  EXPECT_EQ((**Walk(lower_, "dir/a")).GetXattr(ctx_, "user.x").error(), Errno(ENODATA));
  // The overlay's own attributes stay out of sight.
  EXPECT_EQ(*a->ListXattr(ctx_), std::vector<std::string>{"user.x"});
  EXPECT_EQ(a->GetXattr(ctx_, kOriginXattr).error(), Errno(ENODATA));
  EXPECT_EQ(a->SetXattr(ctx_, kOpaqueXattr, "y", 0).error(), Errno(EPERM));
}

TEST_F(OverlayTest, SymlinkCopyUp) {
  auto l = O("lnk");
  ASSERT_TRUE(l->SetAttr(ctx_, {.mask = vfs::SetAttrArgs::kUid, .uid = 42}).ok());
  auto ul = *Walk(upper_, "lnk");
  EXPECT_TRUE(ul->is_symlink());
  EXPECT_EQ(*ul->Readlink(ctx_), "etc/passwd");
  EXPECT_EQ(StatOf(*l).st_uid, 42u);
}

TEST_F(OverlayTest, UnlinkOfLowerFileLeavesWhiteout) {
  auto dir = O("dir");
  auto a = O("dir/a");
  ASSERT_TRUE(dir->Unlink(ctx_, "a", *a).ok());
  EXPECT_EQ(dir->Lookup(ctx_, "a").error(), Errno(ENOENT));
  auto w = *Walk(upper_, "dir/a");
  abi_linux::Stat wst = StatOf(*w);
  EXPECT_EQ(wst.st_mode & S_IFMT, static_cast<uint32_t>(S_IFCHR));
  EXPECT_EQ(wst.st_rdev, 0u);
  EXPECT_EQ(Names(*dir), (std::vector<std::string>{"b", "sub"}));
  EXPECT_EQ(Contents(**Walk(lower_, "dir/a")), "AAAA");
  // A new file takes the whiteout's place.
  auto n = dir->Create(ctx_, "a", {.mode = S_IFREG | 0600});
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(Contents(**n), "");
  EXPECT_EQ(Names(*dir), (std::vector<std::string>{"a", "b", "sub"}));
  // Unlinking an upper-only file leaves nothing behind.
  File(*upper_, "u", "x");
  auto u = O("u");
  ASSERT_TRUE(root_->Unlink(ctx_, "u", *u).ok());
  EXPECT_FALSE(UpperHas("u"));
}

TEST_F(OverlayTest, ReadDirMergesLayers) {
  auto dir = O("dir");
  ASSERT_TRUE(dir->Create(ctx_, "new", {.mode = S_IFREG | 0644}).ok());
  ASSERT_TRUE(dir->Unlink(ctx_, "b", *O("dir/b")).ok());
  auto entries = dir->ReadDir(ctx_);
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> names;
  for (const auto& e : *entries) {
    names.push_back(e.name);
    auto child = O("dir/" + e.name);
    EXPECT_EQ(e.ino, StatOf(*child).st_ino) << e.name;
    EXPECT_EQ(e.type, StatOf(*child).st_mode >> 12) << e.name;
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "new", "sub"}));
  EXPECT_EQ(Names(*root_), (std::vector<std::string>{"big", "dir", "etc", "lnk"}));
}

TEST_F(OverlayTest, RmdirSeesMergedDirectory) {
  auto dir = O("dir");
  auto sub = O("dir/sub");
  EXPECT_EQ(dir->Rmdir(ctx_, "sub", *sub).error(), Errno(ENOTEMPTY));
  ASSERT_TRUE(sub->Unlink(ctx_, "c", *O("dir/sub/c")).ok());
  EXPECT_TRUE(Names(*sub).empty());
  ASSERT_TRUE(dir->Rmdir(ctx_, "sub", *sub).ok());
  EXPECT_EQ(dir->Lookup(ctx_, "sub").error(), Errno(ENOENT));
  EXPECT_TRUE(internal::IsWhiteout(**Walk(upper_, "dir/sub")));
  EXPECT_TRUE(Walk(lower_, "dir/sub/c").ok());
  // mkdir over the whiteout: an opaque directory that hides the lower one.
  auto again = dir->Create(ctx_, "sub", {.mode = S_IFDIR | 0700});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(Names(**again).empty());
  EXPECT_EQ(O("dir/sub")->Lookup(ctx_, "c").error(), Errno(ENOENT));
  EXPECT_EQ(StatOf(**again).st_mode, S_IFDIR | 0700u);
}

TEST_F(OverlayTest, RenameOfFilesCopiesUp) {
  auto dir = O("dir");
  auto a = O("dir/a");
  ASSERT_TRUE(dir->Rename(ctx_, "a", *a, *root_, "moved", nullptr, 0).ok());
  EXPECT_EQ(dir->Lookup(ctx_, "a").error(), Errno(ENOENT));
  EXPECT_EQ(Contents(*O("moved")), "AAAA");
  EXPECT_EQ(O("moved"), a);
  EXPECT_TRUE(Walk(lower_, "dir/a").ok());
  // Over a lower file.
  auto b = O("dir/b");
  ASSERT_TRUE(root_->Rename(ctx_, "moved", *a, *dir, "b", b.get(), 0).ok());
  EXPECT_EQ(Contents(*O("dir/b")), "AAAA");
  EXPECT_EQ(Names(*dir), (std::vector<std::string>{"b", "sub"}));
  EXPECT_EQ(Names(*root_), (std::vector<std::string>{"big", "dir", "etc", "lnk"}));
  // Directories with lower content do not move.
  auto sub = O("dir/sub");
  EXPECT_EQ(dir->Rename(ctx_, "sub", *sub, *root_, "sub2", nullptr, 0).error(), Errno(EXDEV));
  // New directories do, and hide what is below where they land.
  auto nd = dir->Create(ctx_, "nd", {.mode = S_IFDIR | 0755});
  ASSERT_TRUE(nd.ok());
  ASSERT_TRUE(sub->Unlink(ctx_, "c", *O("dir/sub/c")).ok());
  ASSERT_TRUE(dir->Rename(ctx_, "nd", **nd, *dir, "sub", sub.get(), 0).ok());
  EXPECT_TRUE(Names(*O("dir/sub")).empty());
}

TEST_F(OverlayTest, LinkCopiesUpTarget) {
  auto p = O("etc/passwd");
  ASSERT_TRUE(root_->Link(ctx_, "hard", p).ok());
  EXPECT_EQ(StatOf(*p).st_nlink, 2u);
  EXPECT_EQ(Contents(*O("hard")), "root:x:0:0");
  EXPECT_EQ(StatOf(*O("hard")).st_ino, StatOf(*p).st_ino);
}

TEST_F(OverlayTest, StatfsIsTheUpperLayersWithOverlayMagic) {
  auto st = ofs_->Statfs();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->type, 0x794c7630u);
}

}  // namespace
}  // namespace sentry::fsimpl::overlay
