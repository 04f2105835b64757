// mount(2) and umount2(2): new tmpfs, proc and sysfs mounts, bind mounts of
// directories and files (with and without MS_REC), read-only remounts of a
// bind mount and of a whole file system, MS_MOVE, the propagation flags,
// what /proc/self/mountinfo shows, and the errors Linux gives.
//
// Natively the program runs as root in the fresh mount namespace
// run_both.sh's `unshare --pid --fork --mount-proc` makes (its mounts are
// private: nothing reaches the host). Every mount is made under the test's
// own directory /tmp/sk_mount_XXXXXX and undone before it is removed.
#include <fcntl.h>
#include <ftw.h>
#include <mqueue.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

namespace test_util {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFile(const std::string& path, const std::string& data) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  bool ok = write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  close(fd);
  return ok;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// One line of /proc/self/mountinfo.
struct MountInfo {
  std::string root, mountpoint, mount_options, fstype, source, super_options;
};

// The last (topmost) mountinfo line whose mount point is `where`.
std::optional<MountInfo> FindMount(const std::string& where) {
  std::optional<MountInfo> found;
  std::istringstream in(ReadFile("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    size_t dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream a(line.substr(0, dash)), b(line.substr(dash + 3));
    std::string id, parent, dev;
    MountInfo m;
    a >> id >> parent >> dev >> m.root >> m.mountpoint >> m.mount_options;
    b >> m.fstype >> m.source >> m.super_options;
    if (m.mountpoint == where) found = m;
  }
  return found;
}

// Whether `option` is one of the comma-separated options.
bool HasOption(const std::string& options, const std::string& option) {
  std::istringstream in(options);
  std::string o;
  while (std::getline(in, o, ',')) {
    if (o == option) return true;
  }
  return false;
}

class MountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sk_mount_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr) << strerror(errno);
    dir_ = tmpl;
  }
  void TearDown() override {
    // Whatever a failed test left mounted goes first, innermost first.
    for (auto it = mounted_.rbegin(); it != mounted_.rend(); ++it) {
      umount2(it->c_str(), MNT_DETACH);
    }
    if (!dir_.empty()) nftw(dir_.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS);
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string MakeDir(const std::string& name) {
    std::string p = Path(name);
    EXPECT_THAT(mkdir(p.c_str(), 0755), SyscallSucceeds());
    return p;
  }
  // Remembers a mount point for the clean-up.
  void Mounted(const std::string& where) { mounted_.push_back(where); }
  int MountTmpfs(const std::string& where, unsigned long flags = 0, const char* data = nullptr) {
    int rc = mount("tmpfs", where.c_str(), "tmpfs", flags, data);
    if (rc == 0) Mounted(where);
    return rc;
  }
  int Bind(const std::string& from, const std::string& to, unsigned long flags = 0) {
    int rc = mount(from.c_str(), to.c_str(), nullptr, MS_BIND | flags, nullptr);
    if (rc == 0) Mounted(to);
    return rc;
  }

  std::string dir_;
  std::vector<std::string> mounted_;
};

TEST_F(MountTest, TmpfsMountShowsAndUnmounts) {
  const std::string d = MakeDir("t");
  struct stat before, after;
  ASSERT_THAT(stat(d.c_str(), &before), SyscallSucceeds());
  ASSERT_THAT(MountTmpfs(d, MS_NOSUID, "size=1m,mode=0700"), SyscallSucceeds());
  ASSERT_THAT(stat(d.c_str(), &after), SyscallSucceeds());
  EXPECT_NE(after.st_dev, before.st_dev);
  EXPECT_EQ(after.st_mode & 07777, 0700u);
  EXPECT_TRUE(WriteFile(d + "/f", "data"));

  std::optional<MountInfo> m = FindMount(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->root, "/");
  EXPECT_EQ(m->fstype, "tmpfs");
  EXPECT_EQ(m->source, "tmpfs");
  EXPECT_TRUE(HasOption(m->mount_options, "rw")) << m->mount_options;
  EXPECT_TRUE(HasOption(m->mount_options, "nosuid")) << m->mount_options;
  EXPECT_TRUE(HasOption(m->super_options, "size=1024k")) << m->super_options;
  EXPECT_TRUE(HasOption(m->super_options, "mode=700")) << m->super_options;
  EXPECT_THAT(ReadFile("/proc/self/mounts"), HasSubstr("tmpfs " + d + " tmpfs rw,nosuid"));

  ASSERT_THAT(umount2(d.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
  EXPECT_FALSE(Exists(d + "/f"));
  ASSERT_THAT(stat(d.c_str(), &after), SyscallSucceeds());
  EXPECT_EQ(after.st_dev, before.st_dev);
  EXPECT_FALSE(FindMount(d).has_value());
}

// mount -t mqueue: the IPC namespace's POSIX queues, the ones mq_open sees.
TEST_F(MountTest, MqueueShowsTheNamespacesQueues) {
  const std::string d = MakeDir("mq");
  ASSERT_THAT(mount("mqueue", d.c_str(), "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
              SyscallSucceeds());
  Mounted(d);
  std::optional<MountInfo> m = FindMount(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->fstype, "mqueue");
  const char* name = "/sk_mount_test_q";
  mq_unlink(name);
  mqd_t q = mq_open(name, O_CREAT | O_RDWR, 0640, nullptr);
  ASSERT_NE(q, static_cast<mqd_t>(-1)) << strerror(errno);
  struct stat st;
  EXPECT_THAT(stat((d + name).c_str(), &st), SyscallSucceeds());
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_THAT(ReadFile(d + name), HasSubstr("QSIZE:0"));
  // Unlinking the file removes the queue.
  EXPECT_THAT(unlink((d + name).c_str()), SyscallSucceeds());
  EXPECT_THAT(mq_unlink(name), SyscallFailsWithErrno(ENOENT));
  mq_close(q);
  // It takes no options.
  const std::string e = MakeDir("mq2");
  EXPECT_THAT(mount("mqueue", e.c_str(), "mqueue", 0, "size=1"), SyscallFailsWithErrno(EINVAL));
}

TEST_F(MountTest, ReadOnlyTmpfs) {
  const std::string d = MakeDir("t");
  ASSERT_THAT(MountTmpfs(d, MS_RDONLY), SyscallSucceeds());
  EXPECT_THAT(mkdir((d + "/x").c_str(), 0755), SyscallFailsWithErrno(EROFS));
  EXPECT_THAT(open((d + "/f").c_str(), O_WRONLY | O_CREAT, 0644), SyscallFailsWithErrno(EROFS));
  struct statvfs sv;
  ASSERT_THAT(statvfs(d.c_str(), &sv), SyscallSucceeds());
  EXPECT_NE(sv.f_flag & ST_RDONLY, 0u);
  std::optional<MountInfo> m = FindMount(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(HasOption(m->mount_options, "ro")) << m->mount_options;
  EXPECT_TRUE(HasOption(m->super_options, "ro")) << m->super_options;
  ASSERT_THAT(umount2(d.c_str(), 0), SyscallSucceeds());
}

TEST_F(MountTest, ProcAndSysfs) {
  const std::string p = MakeDir("p");
  ASSERT_THAT(mount("proc", p.c_str(), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr),
              SyscallSucceeds());
  Mounted(p);
  EXPECT_THAT(ReadFile(p + "/self/status"), HasSubstr("Pid:"));
  std::optional<MountInfo> m = FindMount(p);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->fstype, "proc");
  // A read-only bind of a procfs directory over itself, as an OCI
  // runtime makes /proc/sys read-only.
  const std::string sys = p + "/sys";
  ASSERT_THAT(Bind(sys, sys), SyscallSucceeds());
  ASSERT_THAT(mount(nullptr, sys.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr),
              SyscallSucceeds());
  EXPECT_THAT(open((sys + "/kernel/domainname").c_str(), O_WRONLY), SyscallFailsWithErrno(EROFS));
  m = FindMount(sys);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->root, "/sys");
  EXPECT_THAT(m->mount_options, StartsWith("ro"));
  ASSERT_THAT(umount2(sys.c_str(), 0), SyscallSucceeds());
  ASSERT_THAT(umount2(p.c_str(), 0), SyscallSucceeds());

  const std::string s = MakeDir("s");
  ASSERT_THAT(mount("sysfs", s.c_str(), "sysfs", MS_RDONLY, nullptr), SyscallSucceeds());
  Mounted(s);
  EXPECT_TRUE(Exists(s + "/devices/system/cpu"));
  m = FindMount(s);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->fstype, "sysfs");
  ASSERT_THAT(umount2(s.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, BindDirectory) {
  const std::string a = MakeDir("a"), b = MakeDir("b");
  ASSERT_TRUE(WriteFile(a + "/f", "hello"));
  ASSERT_THAT(Bind(a, b), SyscallSucceeds());
  EXPECT_EQ(ReadFile(b + "/f"), "hello");
  // The same files: a write through one name shows through the other.
  ASSERT_TRUE(WriteFile(b + "/g", "through b"));
  EXPECT_EQ(ReadFile(a + "/g"), "through b");
  struct stat sa, sb;
  ASSERT_THAT(stat(a.c_str(), &sa), SyscallSucceeds());
  ASSERT_THAT(stat(b.c_str(), &sb), SyscallSucceeds());
  EXPECT_EQ(sa.st_ino, sb.st_ino);
  EXPECT_EQ(sa.st_dev, sb.st_dev);
  // A rename between the two mounts crosses a mount: EXDEV, as on Linux.
  EXPECT_THAT(rename((a + "/f").c_str(), (b + "/f2").c_str()), SyscallFailsWithErrno(EXDEV));

  // mountinfo: the root field names the bound directory within its file
  // system.
  std::optional<MountInfo> m = FindMount(b);
  ASSERT_TRUE(m.has_value());
  EXPECT_THAT(m->root, EndsWith(Basename(dir_) + "/a"));
  ASSERT_THAT(umount2(b.c_str(), 0), SyscallSucceeds());
  EXPECT_FALSE(Exists(b + "/f"));
  mounted_.clear();
}

TEST_F(MountTest, BindFile) {
  const std::string fa = Path("fa"), fb = Path("fb");
  ASSERT_TRUE(WriteFile(fa, "file a"));
  ASSERT_TRUE(WriteFile(fb, "file b"));
  ASSERT_THAT(Bind(fa, fb), SyscallSucceeds());
  EXPECT_EQ(ReadFile(fb), "file a");
  std::optional<MountInfo> m = FindMount(fb);
  ASSERT_TRUE(m.has_value());
  EXPECT_THAT(m->root, EndsWith(Basename(dir_) + "/fa"));
  // A file on a directory, a directory on a file: ENOTDIR.
  const std::string d = MakeDir("d");
  EXPECT_THAT(mount(fa.c_str(), d.c_str(), nullptr, MS_BIND, nullptr),
              SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(mount(d.c_str(), fa.c_str(), nullptr, MS_BIND, nullptr),
              SyscallFailsWithErrno(ENOTDIR));
  ASSERT_THAT(umount2(fb.c_str(), 0), SyscallSucceeds());
  EXPECT_EQ(ReadFile(fb), "file b");
  mounted_.clear();
}

TEST_F(MountTest, BindRecursive) {
  const std::string a = MakeDir("a"), b = MakeDir("b"), sub = MakeDir("a/sub");
  ASSERT_THAT(MountTmpfs(sub), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(sub + "/x", "in tmpfs"));

  // Without MS_REC the tmpfs below a is not part of the bind mount.
  ASSERT_THAT(Bind(a, b), SyscallSucceeds());
  EXPECT_TRUE(Exists(b + "/sub"));
  EXPECT_FALSE(Exists(b + "/sub/x"));
  ASSERT_THAT(umount2(b.c_str(), 0), SyscallSucceeds());
  mounted_.pop_back();

  ASSERT_THAT(Bind(a, b, MS_REC), SyscallSucceeds());
  EXPECT_EQ(ReadFile(b + "/sub/x"), "in tmpfs");
  ASSERT_TRUE(FindMount(b + "/sub").has_value());
  // Something is mounted inside b: EBUSY; MNT_DETACH takes both.
  EXPECT_THAT(umount2(b.c_str(), 0), SyscallFailsWithErrno(EBUSY));
  ASSERT_THAT(umount2(b.c_str(), MNT_DETACH), SyscallSucceeds());
  mounted_.pop_back();
  EXPECT_FALSE(FindMount(b).has_value());
  EXPECT_FALSE(FindMount(b + "/sub").has_value());
  EXPECT_EQ(ReadFile(sub + "/x"), "in tmpfs");
  ASSERT_THAT(umount2(sub.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, ReadOnlyBindRemount) {
  const std::string a = MakeDir("a"), b = MakeDir("b");
  ASSERT_TRUE(WriteFile(a + "/f", "x"));
  ASSERT_THAT(Bind(a, b), SyscallSucceeds());
  ASSERT_THAT(mount(nullptr, b.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr),
              SyscallSucceeds());
  EXPECT_THAT(open((b + "/new").c_str(), O_WRONLY | O_CREAT, 0644), SyscallFailsWithErrno(EROFS));
  EXPECT_THAT(open((b + "/f").c_str(), O_WRONLY), SyscallFailsWithErrno(EROFS));
  EXPECT_THAT(mkdir((b + "/d").c_str(), 0755), SyscallFailsWithErrno(EROFS));
  EXPECT_THAT(unlink((b + "/f").c_str()), SyscallFailsWithErrno(EROFS));
  EXPECT_EQ(ReadFile(b + "/f"), "x");
  // The other mount of the same directory is still writable.
  EXPECT_TRUE(WriteFile(a + "/g", "y"));
  struct statvfs sv;
  ASSERT_THAT(statvfs(b.c_str(), &sv), SyscallSucceeds());
  EXPECT_NE(sv.f_flag & ST_RDONLY, 0u);
  std::optional<MountInfo> m = FindMount(b);
  ASSERT_TRUE(m.has_value());
  EXPECT_THAT(m->mount_options, StartsWith("ro"));
  // Only the mount is read-only, not its file system.
  EXPECT_THAT(m->super_options, StartsWith("rw"));

  ASSERT_THAT(mount(nullptr, b.c_str(), nullptr, MS_REMOUNT | MS_BIND, nullptr), SyscallSucceeds());
  EXPECT_TRUE(WriteFile(b + "/h", "z"));
  ASSERT_THAT(umount2(b.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, RemountFileSystemReadOnly) {
  const std::string a = MakeDir("a"), b = MakeDir("b");
  ASSERT_THAT(MountTmpfs(a), SyscallSucceeds());
  ASSERT_THAT(Bind(a, b), SyscallSucceeds());
  // Without MS_BIND the file system itself becomes read-only: every mount
  // of it refuses writes.
  ASSERT_THAT(mount(nullptr, a.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr),
              SyscallSucceeds());
  EXPECT_THAT(mkdir((a + "/x").c_str(), 0755), SyscallFailsWithErrno(EROFS));
  EXPECT_THAT(mkdir((b + "/x").c_str(), 0755), SyscallFailsWithErrno(EROFS));
  std::optional<MountInfo> m = FindMount(b);
  ASSERT_TRUE(m.has_value());
  EXPECT_THAT(m->super_options, StartsWith("ro"));
  ASSERT_THAT(mount(nullptr, a.c_str(), nullptr, MS_REMOUNT, nullptr), SyscallSucceeds());
  EXPECT_THAT(mkdir((a + "/x").c_str(), 0755), SyscallSucceeds());
  EXPECT_THAT(mkdir((b + "/y").c_str(), 0755), SyscallSucceeds());
  ASSERT_THAT(umount2(b.c_str(), 0), SyscallSucceeds());
  ASSERT_THAT(umount2(a.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, UmountBusyAndDetach) {
  const std::string d = MakeDir("t");
  ASSERT_THAT(MountTmpfs(d), SyscallSucceeds());
  int fd = open((d + "/f").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_THAT(fd, SyscallSucceeds());
  EXPECT_THAT(umount2(d.c_str(), 0), SyscallFailsWithErrno(EBUSY));
  EXPECT_THAT(umount2(d.c_str(), MNT_FORCE), SyscallFailsWithErrno(EBUSY));
  // A lazy unmount takes it out of the tree at once; the open file works on.
  ASSERT_THAT(umount2(d.c_str(), MNT_DETACH), SyscallSucceeds());
  mounted_.clear();
  EXPECT_FALSE(Exists(d + "/f"));
  EXPECT_FALSE(FindMount(d).has_value());
  EXPECT_THAT(write(fd, "abc", 3), SyscallSucceedsWithValue(3));
  char buf[3];
  EXPECT_THAT(pread(fd, buf, 3, 0), SyscallSucceedsWithValue(3));
  EXPECT_EQ(std::string(buf, 3), "abc");
  close(fd);

  // Closed again: a plain unmount works.
  ASSERT_THAT(MountTmpfs(d), SyscallSucceeds());
  fd = open((d + "/f").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_THAT(fd, SyscallSucceeds());
  EXPECT_THAT(umount2(d.c_str(), 0), SyscallFailsWithErrno(EBUSY));
  close(fd);
  EXPECT_THAT(umount2(d.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, UmountExpire) {
  const std::string d = MakeDir("t");
  ASSERT_THAT(MountTmpfs(d), SyscallSucceeds());
  EXPECT_THAT(umount2(d.c_str(), MNT_EXPIRE | MNT_DETACH), SyscallFailsWithErrno(EINVAL));
  // The first MNT_EXPIRE marks it; the second unmounts it.
  EXPECT_THAT(umount2(d.c_str(), MNT_EXPIRE), SyscallFailsWithErrno(EAGAIN));
  EXPECT_THAT(umount2(d.c_str(), MNT_EXPIRE), SyscallSucceeds());
  EXPECT_FALSE(FindMount(d).has_value());
  mounted_.clear();
}

TEST_F(MountTest, UmountNoFollow) {
  const std::string d = MakeDir("t"), link = Path("link");
  ASSERT_THAT(symlink(d.c_str(), link.c_str()), SyscallSucceeds());
  ASSERT_THAT(MountTmpfs(d), SyscallSucceeds());
  // The link itself is no mount point.
  EXPECT_THAT(umount2(link.c_str(), UMOUNT_NOFOLLOW), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(umount2(link.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, Move) {
  const std::string a = MakeDir("a"), b = MakeDir("b");
  ASSERT_THAT(MountTmpfs(a), SyscallSucceeds());
  ASSERT_TRUE(WriteFile(a + "/f", "moved"));
  ASSERT_THAT(mkdir((a + "/inner").c_str(), 0755), SyscallSucceeds());
  // Not onto itself.
  EXPECT_THAT(mount(a.c_str(), (a + "/inner").c_str(), nullptr, MS_MOVE, nullptr),
              SyscallFailsWithErrno(ELOOP));
  // Only a mount's root moves.
  EXPECT_THAT(mount((a + "/inner").c_str(), b.c_str(), nullptr, MS_MOVE, nullptr),
              SyscallFailsWithErrno(EINVAL));
  ASSERT_THAT(mount(a.c_str(), b.c_str(), nullptr, MS_MOVE, nullptr), SyscallSucceeds());
  mounted_ = {b};
  EXPECT_EQ(ReadFile(b + "/f"), "moved");
  EXPECT_FALSE(Exists(a + "/f"));
  EXPECT_FALSE(FindMount(a).has_value());
  EXPECT_TRUE(FindMount(b).has_value());
  ASSERT_THAT(umount2(b.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, PropagationFlags) {
  const std::string d = MakeDir("t"), plain = MakeDir("plain");
  ASSERT_THAT(MountTmpfs(d), SyscallSucceeds());
  for (unsigned long f : std::vector<unsigned long>{MS_PRIVATE, MS_SLAVE, MS_SHARED, MS_UNBINDABLE,
                                                    MS_PRIVATE | MS_REC}) {
    EXPECT_THAT(mount(nullptr, d.c_str(), nullptr, f, nullptr), SyscallSucceeds()) << f;
  }
  // Back to private, so that nothing propagates from here natively.
  ASSERT_THAT(mount(nullptr, d.c_str(), nullptr, MS_PRIVATE, nullptr), SyscallSucceeds());
  // One type at a time, and nothing else.
  EXPECT_THAT(mount(nullptr, d.c_str(), nullptr, MS_PRIVATE | MS_SHARED, nullptr),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mount(nullptr, d.c_str(), nullptr, MS_PRIVATE | MS_NOSUID, nullptr),
              SyscallFailsWithErrno(EINVAL));
  // Only on a mount's root.
  EXPECT_THAT(mount(nullptr, plain.c_str(), nullptr, MS_PRIVATE, nullptr),
              SyscallFailsWithErrno(EINVAL));
  ASSERT_THAT(umount2(d.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

TEST_F(MountTest, Errors) {
  const std::string d = MakeDir("t"), f = Path("file");
  ASSERT_TRUE(WriteFile(f, ""));
  EXPECT_THAT(mount("tmpfs", Path("missing").c_str(), "tmpfs", 0, nullptr),
              SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(mount("tmpfs", (f + "/x").c_str(), "tmpfs", 0, nullptr),
              SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(mount("none", d.c_str(), "sk_no_such_fs", 0, nullptr), SyscallFailsWithErrno(ENODEV));
  EXPECT_THAT(mount("none", d.c_str(), nullptr, 0, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mount("tmpfs", f.c_str(), "tmpfs", 0, nullptr), SyscallFailsWithErrno(ENOTDIR));
  EXPECT_THAT(mount("tmpfs", d.c_str(), "tmpfs", 0, "size=lots"), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mount("tmpfs", d.c_str(), "tmpfs", 0, "sk_bogus_option"),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mount(Path("missing").c_str(), d.c_str(), nullptr, MS_BIND, nullptr),
              SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(mount("", d.c_str(), nullptr, MS_BIND, nullptr), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mount(nullptr, d.c_str(), nullptr, MS_BIND, nullptr), SyscallFailsWithErrno(EINVAL));
  // Remounting something that is not a mount's root.
  EXPECT_THAT(mount(nullptr, d.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(mount(nullptr, d.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr),
              SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(umount2(d.c_str(), 0), SyscallFailsWithErrno(EINVAL));
  EXPECT_THAT(umount2(Path("missing").c_str(), 0), SyscallFailsWithErrno(ENOENT));
  EXPECT_THAT(umount2(d.c_str(), 0x100), SyscallFailsWithErrno(EINVAL));
  // Bad pointers.
  char* bad = reinterpret_cast<char*>(1);
  EXPECT_THAT(syscall(SYS_mount, "tmpfs", bad, "tmpfs", 0, nullptr), SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_mount, "tmpfs", d.c_str(), bad, 0, nullptr),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_mount, bad, d.c_str(), "tmpfs", 0, nullptr),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_mount, "tmpfs", d.c_str(), "tmpfs", 0, bad),
              SyscallFailsWithErrno(EFAULT));
  EXPECT_THAT(syscall(SYS_umount2, bad, 0), SyscallFailsWithErrno(EFAULT));
  // Nothing above mounted anything.
  EXPECT_FALSE(FindMount(d).has_value());
}

TEST_F(MountTest, NeedsCapSysAdmin) {
  const std::string d = MakeDir("t"), m = MakeDir("m");
  ASSERT_THAT(MountTmpfs(m), SyscallSucceeds());
  // The paths are looked up first (EACCES in a 0700 directory): let the
  // child through to the permission check.
  ASSERT_THAT(chmod(dir_.c_str(), 0755), SyscallSucceeds());
  pid_t pid = fork();
  ASSERT_THAT(pid, SyscallSucceeds());
  if (pid == 0) {
    // Without root ids the effective capabilities are gone.
    if (setresuid(65534, 65534, 65534) != 0) _exit(10);
    if (mount("tmpfs", d.c_str(), "tmpfs", 0, nullptr) == 0 || errno != EPERM) _exit(11);
    if (mount(m.c_str(), d.c_str(), nullptr, MS_BIND, nullptr) == 0 || errno != EPERM) _exit(12);
    if (umount2(m.c_str(), 0) == 0 || errno != EPERM) _exit(13);
    // An invalid flag is EINVAL before the permission check.
    if (umount2(m.c_str(), 0x100) == 0 || errno != EINVAL) _exit(14);
    _exit(0);
  }
  int status;
  ASSERT_THAT(waitpid(pid, &status, 0), SyscallSucceedsWithValue(pid));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_THAT(umount2(m.c_str(), 0), SyscallSucceeds());
  mounted_.clear();
}

}  // namespace
}  // namespace test_util
