#include "runsc/path_masks.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <memory>

#include "gtest/gtest.h"
#include "sentry/fsimpl/dev/devfs.h"
#include "sentry/fsimpl/dev/devices.h"
#include "sentry/fsimpl/sys/test_util.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"

namespace runsc {
namespace {

namespace vfs = sentry::vfs;
namespace tmpfs = sentry::fsimpl::tmpfs;
namespace dev = sentry::fsimpl::dev;

class RootContext : public vfs::Context {
 public:
  explicit RootContext(vfs::Path root) : root_(std::move(root)) {}
  sentry::auth::Credentials creds() const override {
    return sentry::auth::Credentials::ForIds(0, 0, {});
  }
  vfs::Path root() const override { return root_; }
  vfs::Path cwd() const override { return root_; }
  uint32_t umask() const override { return 022; }

 private:
  vfs::Path root_;
};

// A tmpfs root with devfs on /dev, /etc/secret, /hidden/file and /ro/file,
// and a tmpfs on /ro/sub holding x.
class PathMasksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mf = sentry::mm::MemoryFile::Create(uint64_t{1} << 28);
    ASSERT_TRUE(mf.ok());
    mf_ = std::move(*mf);
    ASSERT_TRUE(guest_.ok());
    auto root_fs =
        std::make_shared<tmpfs::TmpfsFilesystem>(*mf_, tmpfs::TmpfsOptions{.mode = 0755});
    v_.SetRoot(root_fs, tmpfs::NewRoot(*root_fs), 0, "rootfs", "");
    ctx_ = std::make_unique<RootContext>(v_.RootPath());
    for (const char* d : {"/dev", "/etc", "/hidden", "/ro", "/ro/sub"}) {
      ASSERT_TRUE(v_.Mkdir(*ctx_, Start(), d, 0755).ok()) << d;
    }
    dev::RegisterDevices();
    auto devfs = std::make_shared<dev::DevFilesystem>();
    ASSERT_TRUE(v_.MountAt(Resolve("/dev"), devfs, dev::NewDevRoot(*devfs),
                           vfs::kMountNoSuid | vfs::kMountNoExec, "none", "")
                    .ok());
    auto sub = std::make_shared<tmpfs::TmpfsFilesystem>(*mf_);
    ASSERT_TRUE(v_.MountAt(Resolve("/ro/sub"), sub, tmpfs::NewRoot(*sub), 0, "tmpfs", "").ok());
    Write("/etc/secret", "secret");
    Write("/hidden/file", "hidden");
    Write("/ro/file", "ro");
    Write("/ro/sub/x", "x");
  }

  vfs::Start Start() { return vfs::Start{ctx_->root()}; }
  vfs::Path Resolve(const std::string& path) {
    auto p = v_.Resolve(*ctx_, Start(), path, vfs::kFollow);
    EXPECT_TRUE(p.ok()) << path;
    return p.ok() ? *p : vfs::Path{};
  }
  int ResolveErrno(const std::string& path) {
    auto p = v_.Resolve(*ctx_, Start(), path, vfs::kFollow);
    return p.ok() ? 0 : p.error().value();
  }
  void Write(const std::string& path, const std::string& data) {
    auto f = v_.Open(*ctx_, Start(), path, O_WRONLY | O_CREAT, 0644);
    ASSERT_TRUE(f.ok()) << path;
    ASSERT_TRUE(guest_.Write(**f, data).ok()) << path;
  }
  std::string Read(const std::string& path) {
    auto f = v_.Open(*ctx_, Start(), path, O_RDONLY, 0);
    if (!f.ok()) return "<errno " + std::to_string(f.error().value()) + ">";
    return guest_.ReadAll(**f);
  }
  int CreateErrno(const std::string& path) {
    auto r = v_.Mknod(*ctx_, Start(), path, S_IFREG | 0644, 0);
    return r.ok() ? 0 : r.error().value();
  }
  // The topmost mount whose root is at `path`.
  std::shared_ptr<vfs::Mount> MountOn(const std::string& path) { return Resolve(path).mount; }
  std::string RootInFs(const std::shared_ptr<vfs::Mount>& m) {
    for (const vfs::MountRecord& r : v_.MountTable()) {
      if (r.mount == m) return r.root;
    }
    return "<not in the table>";
  }

  std::unique_ptr<sentry::mm::MemoryFile> mf_;
  sentry::fsimpl::kernfs::testing::Guest guest_;
  vfs::Vfs v_;
  std::unique_ptr<RootContext> ctx_;
};

TEST_F(PathMasksTest, MasksFilesAndDirectories) {
  ASSERT_TRUE(
      ApplyPathMasks(v_, *ctx_, *mf_, {"/etc/secret", "/hidden", "/missing", "/no/such/dir"}, {})
          .ok());
  // The file reads as /dev/null does: empty, and it is the device now.
  EXPECT_EQ(Read("/etc/secret"), "");
  auto st = Resolve("/etc/secret").dentry->inode()->Stat();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->st_mode & S_IFMT, static_cast<uint32_t>(S_IFCHR));
  std::shared_ptr<vfs::Mount> m = MountOn("/etc/secret");
  EXPECT_TRUE(m->is_bind());
  EXPECT_TRUE(m->read_only());
  EXPECT_EQ(RootInFs(m), "/null");
  // The directory is an empty read-only tmpfs.
  EXPECT_EQ(ResolveErrno("/hidden/file"), ENOENT);
  EXPECT_EQ(CreateErrno("/hidden/new"), EROFS);
  m = MountOn("/hidden");
  EXPECT_EQ(m->fs().type(), "tmpfs");
  EXPECT_TRUE(m->read_only());
  EXPECT_TRUE(m->fs().read_only());
  // Elsewhere nothing changed.
  EXPECT_EQ(Read("/ro/file"), "ro");
  EXPECT_EQ(CreateErrno("/etc/other"), 0);
}

TEST_F(PathMasksTest, ReadOnlyPathsAreRecursiveReadOnlyBinds) {
  ASSERT_TRUE(ApplyPathMasks(v_, *ctx_, *mf_, {}, {"/ro", "/dev", "/missing"}).ok());
  EXPECT_EQ(Read("/ro/file"), "ro");
  EXPECT_EQ(CreateErrno("/ro/new"), EROFS);
  std::shared_ptr<vfs::Mount> m = MountOn("/ro");
  EXPECT_TRUE(m->is_bind());
  EXPECT_TRUE(m->read_only());
  EXPECT_FALSE(m->fs().read_only());  // only this mount
  EXPECT_EQ(RootInFs(m), "/ro");
  // What was mounted below came along (and keeps its own flags, as runc's
  // remount of the top mount leaves them).
  EXPECT_EQ(Read("/ro/sub/x"), "x");
  EXPECT_NE(MountOn("/ro/sub"), nullptr);
  EXPECT_TRUE(MountOn("/ro/sub")->is_bind());
  // The original tree is still writable.
  EXPECT_EQ(CreateErrno("/etc/new"), 0);
  // nosuid and noexec are kept.
  m = MountOn("/dev");
  EXPECT_EQ(m->flags(), vfs::kMountReadOnly | vfs::kMountNoSuid | vfs::kMountNoExec);
  EXPECT_EQ(CreateErrno("/dev/new"), EROFS);
}

TEST_F(PathMasksTest, ErrorsNameThePath) {
  absl::Status s = ApplyPathMasks(v_, *ctx_, *mf_, {"/etc/secret/x"}, {});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("maskedPaths"), std::string::npos) << s;
  EXPECT_NE(s.message().find("/etc/secret/x"), std::string::npos) << s;
  s = ApplyPathMasks(v_, *ctx_, *mf_, {}, {"/etc/secret/y"});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("readonlyPaths"), std::string::npos) << s;
  EXPECT_NE(s.message().find("/etc/secret/y"), std::string::npos) << s;
}

}  // namespace
}  // namespace runsc
