// The gofer server and client together, over a socketpair, against a temporary tree.
#include "gofer/server.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gofer/client.h"
#include "gofer/protocol.h"
#include "gofer/test_util.h"
#include "gofer/transport.h"
#include "util/unique_fd.h"

namespace gofer {
namespace {

using testing::ReadFd;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;
using util::UniqueFd;

#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                             \
  auto GOFER_TEST_CONCAT_(got_, __LINE__) = (expr);                                 \
  ASSERT_TRUE(GOFER_TEST_CONCAT_(got_, __LINE__).ok())                              \
      << #expr << ": errno " << GOFER_TEST_CONCAT_(got_, __LINE__).error().value(); \
  lhs = std::move(GOFER_TEST_CONCAT_(got_, __LINE__)).value()
#define GOFER_TEST_CONCAT_INNER_(a, b) a##b
#define GOFER_TEST_CONCAT_(a, b) GOFER_TEST_CONCAT_INNER_(a, b)

// The errno of a failed ErrnoOr, or 0 if it succeeded.
template <typename T>
int ErrnoOf(const util::ErrnoOr<T>& r) {
  return r.ok() ? 0 : r.error().value();
}

int CountOpenFds() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

class GoferServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    root_ = tmp_ / "root";
    outside_ = tmp_ / "outside";
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir(outside_.c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(outside_ + "/secret", "secret"));
    ASSERT_TRUE(WriteFile(root_ + "/file.txt", "hello gofer"));
    ASSERT_EQ(mkdir((root_ + "/dir").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root_ + "/dir/sub").c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(root_ + "/dir/sub/deep.txt", "deep"));
    ASSERT_TRUE(WriteFile(root_ + "/dir/a.txt", "a"));
    ASSERT_EQ(symlink("/etc/passwd", (root_ + "/link_passwd").c_str()), 0);
    ASSERT_EQ(symlink("../../..", (root_ + "/link_up").c_str()), 0);
    ASSERT_EQ(symlink("/etc", (root_ + "/link_dir").c_str()), 0);
    ASSERT_EQ(symlink((outside_ + "/secret").c_str(), (root_ + "/link_outside").c_str()), 0);
    ASSERT_EQ(mkfifo((root_ + "/fifo").c_str(), 0644), 0);
  }

  void TearDown() override {
    client_.reset();
    raw_.reset();
    if (thread_.joinable()) thread_.join();
    EXPECT_TRUE(status_.ok()) << status_;
    // Nothing outside the root changed.
    EXPECT_EQ(ReadFile(outside_ + "/secret"), "secret");
  }

  // Starts Serve on a thread. With `raw`, the test keeps the socket instead of a Client.
  void Start(ServerOptions opts = {}, bool raw = false) {
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    server_sock_ = UniqueFd(sv[0]);
    root_fd_ = UniqueFd(open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_fd_.valid());
    thread_ = std::thread([this, opts] {
      status_ = Serve(server_sock_.get(), root_fd_.get(), opts);
      server_sock_.reset();  // As a dying gofer process would.
    });
    if (raw) {
      raw_ = std::make_unique<UniqueFd>(sv[1]);
    } else {
      client_ = std::make_unique<Client>(UniqueFd(sv[1]));
    }
  }

  Client& c() { return *client_; }

  uint64_t Root() {
    auto r = c().Attach();
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->handle : 0;
  }

  // Walks `names` from the root; all must succeed. Returns the last handle (0 on failure).
  uint64_t WalkAll(std::vector<std::string> names) {
    size_t n = names.size();
    auto w = c().Walk(Root(), std::move(names));
    EXPECT_TRUE(w.ok());
    if (!w.ok()) return 0;
    EXPECT_EQ(w->error, 0);
    EXPECT_EQ(w->walked.size(), n);
    if (w->walked.size() != n) return 0;
    return w->walked.back().handle;
  }

  // Raw mode: one request, one response.
  Frame RawCall(const std::string& datagram, std::string& storage, int fd = -1) {
    EXPECT_TRUE(SendDatagram(raw_->get(), datagram, fd).ok());
    std::vector<char> scratch;
    auto got = RecvDatagram(raw_->get(), scratch);
    EXPECT_TRUE(got.ok());
    storage = got.ok() ? got->data : "";
    auto f = ParseFrame(storage);
    EXPECT_TRUE(f.ok());
    return f.ok() ? *f : Frame{};
  }

  TempDir tmp_;
  std::string root_;
  std::string outside_;
  UniqueFd server_sock_;
  UniqueFd root_fd_;
  std::thread thread_;
  absl::Status status_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<UniqueFd> raw_;
};

TEST_F(GoferServerTest, VersionAndAttach) {
  Start();
  auto v = c().Version();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, kProtocolVersion);
  auto root = c().Attach();
  ASSERT_TRUE(root.ok());
  EXPECT_NE(root->handle, 0u);
  EXPECT_TRUE(S_ISDIR(root->attr.mode));
  struct stat st;
  ASSERT_EQ(stat(root_.c_str(), &st), 0);
  EXPECT_EQ(root->attr.ino, st.st_ino);
  EXPECT_EQ(root->attr.dev, st.st_dev);
  // Each Attach is a new handle.
  auto again = c().Attach();
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->handle, root->handle);
}

TEST_F(GoferServerTest, WalkStatOpenRead) {
  Start();
  auto w = c().Walk(Root(), {"dir", "sub", "deep.txt"});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->error, 0);
  ASSERT_EQ(w->walked.size(), 3u);
  EXPECT_TRUE(S_ISDIR(w->walked[0].attr.mode));
  EXPECT_TRUE(S_ISDIR(w->walked[1].attr.mode));
  const Inode& file = w->walked[2];
  EXPECT_TRUE(S_ISREG(file.attr.mode));
  EXPECT_EQ(file.attr.size, 4u);
  struct stat st;
  ASSERT_EQ(lstat((root_ + "/dir/sub/deep.txt").c_str(), &st), 0);
  EXPECT_EQ(file.attr.ino, st.st_ino);
  EXPECT_EQ(file.attr.nlink, 1u);
  EXPECT_EQ(file.attr.mtime.sec, st.st_mtim.tv_sec);
  EXPECT_EQ(file.attr.mtime.nsec, static_cast<uint32_t>(st.st_mtim.tv_nsec));

  auto s = c().Stat(file.handle);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, file.attr);

  ASSERT_OK_AND_ASSIGN(UniqueFd fd, c().Open(file.handle, O_RDONLY));
  EXPECT_EQ(ReadFd(fd.get()), "deep");
  EXPECT_NE(fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(fcntl(fd.get(), F_GETFL) & O_ACCMODE, O_RDONLY);
  // Read-only fd: a write fails on the host.
  EXPECT_LT(write(fd.get(), "x", 1), 0);

  // Open for writing and write through the donated fd.
  ASSERT_OK_AND_ASSIGN(UniqueFd wfd, c().Open(file.handle, O_WRONLY | O_TRUNC));
  ASSERT_EQ(write(wfd.get(), "new", 3), 3);
  EXPECT_EQ(ReadFile(root_ + "/dir/sub/deep.txt"), "new");

  // Directories open read-only, never for writing.
  ASSERT_OK_AND_ASSIGN(UniqueFd dfd, c().Open(w->walked[0].handle, O_RDONLY | O_DIRECTORY));
  EXPECT_EQ(ErrnoOf(c().Open(w->walked[0].handle, O_RDWR)), EISDIR);
  EXPECT_EQ(ErrnoOf(c().Open(file.handle, O_RDONLY | O_DIRECTORY)), ENOTDIR);
  // O_CREAT and friends belong to OpenAt.
  EXPECT_EQ(ErrnoOf(c().Open(file.handle, O_RDONLY | O_CREAT)), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Open(file.handle, O_PATH)), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Open(file.handle, O_ACCMODE)), EINVAL);
}

TEST_F(GoferServerTest, WalkStopsAtTheFirstError) {
  Start();
  uint64_t root = Root();
  auto w = c().Walk(root, {"dir", "missing", "x"});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->walked.size(), 1u);
  EXPECT_EQ(w->error, ENOENT);
  // The handles walked before the error are usable.
  EXPECT_TRUE(c().Stat(w->walked[0].handle).ok());

  auto through_file = c().Walk(root, {"file.txt", "x"});
  ASSERT_TRUE(through_file.ok());
  EXPECT_EQ(through_file->walked.size(), 1u);
  EXPECT_EQ(through_file->error, ENOTDIR);

  auto empty = c().Walk(root, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->walked.empty());
  EXPECT_EQ(empty->error, 0);

  EXPECT_EQ(ErrnoOf(c().Walk(12345, {"dir"})), EBADF);
  EXPECT_EQ(ErrnoOf(c().Walk(root, std::vector<std::string>(kMaxWalkNames + 1, "dir"))), EINVAL);
}

TEST_F(GoferServerTest, WalkRejectsEscapes) {
  Start();
  uint64_t root = Root();
  uint64_t dir = WalkAll({"dir"});
  for (const char* bad : {"..", ".", "a/b", "dir/sub", "/etc", "/"}) {
    SCOPED_TRACE(bad);
    auto w = c().Walk(dir, {bad});
    ASSERT_TRUE(w.ok());
    EXPECT_TRUE(w->walked.empty());
    EXPECT_EQ(w->error, EINVAL);
  }
  // After a good component too.
  auto w = c().Walk(root, {"dir", ".."});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->walked.size(), 1u);
  EXPECT_EQ(w->error, EINVAL);
  // The client refuses names the protocol cannot carry.
  EXPECT_EQ(ErrnoOf(c().Walk(root, {""})), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Walk(root, {std::string(256, 'a')})), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Walk(root, {std::string("file.txt\0x", 10)})), EINVAL);
  // Other requests that take a name apply the same rules.
  EXPECT_EQ(ErrnoOf(c().OpenAt(dir, "..", O_RDONLY, 0)), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Mkdir(dir, "../escape", 0755)), EINVAL);
  EXPECT_EQ(c().Unlink(dir, "..", AT_REMOVEDIR).error().value(), EINVAL);
  EXPECT_EQ(c().Rename(dir, "a.txt", dir, "../a.txt").error().value(), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Symlink(dir, "sub/x", "y")), EINVAL);
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "escape"));
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "a.txt"));
}

TEST_F(GoferServerTest, SymlinksAreNeverFollowed) {
  Start();
  uint64_t root = Root();
  struct Case {
    const char* name;
    const char* target;
  };
  std::string outside_target = outside_ + "/secret";
  for (const Case& k : {Case{"link_passwd", "/etc/passwd"}, Case{"link_up", "../../.."},
                        Case{"link_dir", "/etc"}, Case{"link_outside", outside_target.c_str()}}) {
    SCOPED_TRACE(k.name);
    // Walking through it stops at it, with no error: the sentry resolves symlinks.
    auto w = c().Walk(root, {k.name, "passwd"});
    ASSERT_TRUE(w.ok());
    ASSERT_EQ(w->walked.size(), 1u);
    EXPECT_EQ(w->error, 0);
    const Inode& link = w->walked[0];
    EXPECT_TRUE(S_ISLNK(link.attr.mode));
    auto text = c().Readlink(link.handle);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, k.target);
    EXPECT_EQ(ErrnoOf(c().Open(link.handle, O_RDONLY)), ELOOP);
    EXPECT_EQ(ErrnoOf(c().Open(link.handle, O_WRONLY | O_TRUNC)), ELOOP);
    EXPECT_EQ(ErrnoOf(c().OpenAt(root, k.name, O_RDONLY, 0)), ELOOP);
    // O_CREAT through a symlink neither follows it nor replaces it.
    EXPECT_EQ(ErrnoOf(c().OpenAt(root, k.name, O_CREAT | O_WRONLY | O_TRUNC, 0644)), ELOOP);
    EXPECT_EQ(ErrnoOf(c().OpenAt(root, k.name, O_CREAT | O_EXCL | O_WRONLY, 0644)), EEXIST);
    // A symlink is not a directory to walk from.
    auto from = c().Walk(link.handle, {"x"});
    ASSERT_TRUE(from.ok());
    EXPECT_EQ(from->error, ENOTDIR);
    // Xattrs and getdents are not done through it either.
    EXPECT_EQ(ErrnoOf(c().Getdents(link.handle, 0, 10)), ENOTDIR);
    EXPECT_EQ(ErrnoOf(c().GetXattr(link.handle, "user.x")), EOPNOTSUPP);
  }
  // Readlink of something else is EINVAL, as readlink(2).
  EXPECT_EQ(ErrnoOf(c().Readlink(WalkAll({"file.txt"}))), EINVAL);
  EXPECT_EQ(ReadFile(outside_ + "/secret"), "secret");
}

TEST_F(GoferServerTest, SocketsAndFifos) {
  Start();
  uint64_t root = Root();
  auto fifo = c().Walk(root, {"fifo"});
  ASSERT_TRUE(fifo.ok());
  ASSERT_EQ(fifo->walked.size(), 1u);
  EXPECT_TRUE(S_ISFIFO(fifo->walked[0].attr.mode));
  // No writer exists: the gofer must not block (it adds O_NONBLOCK).
  ASSERT_OK_AND_ASSIGN(UniqueFd r, c().Open(fifo->walked[0].handle, O_RDONLY));
  EXPECT_NE(fcntl(r.get(), F_GETFL) & O_NONBLOCK, 0);

  auto sock = c().Mknod(root, "sock", S_IFSOCK | 0600);
  ASSERT_TRUE(sock.ok());
  EXPECT_TRUE(S_ISSOCK(sock->attr.mode));
  EXPECT_EQ(ErrnoOf(c().Open(sock->handle, O_RDWR)), ENXIO);
}

TEST_F(GoferServerTest, CreateFiles) {
  Start();
  uint64_t root = Root();
  auto created = c().OpenAt(root, "new.txt", O_CREAT | O_EXCL | O_RDWR, 0640);
  ASSERT_TRUE(created.ok()) << ErrnoOf(created);
  EXPECT_TRUE(S_ISREG(created->inode.attr.mode));
  // Exactly the mode asked for, whatever the process umask.
  EXPECT_EQ(created->inode.attr.mode & 07777, 0640u);
  ASSERT_EQ(write(created->fd.get(), "abc", 3), 3);
  EXPECT_EQ(ReadFile(root_ + "/new.txt"), "abc");
  auto st = c().Stat(created->inode.handle);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->size, 3u);

  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "new.txt", O_CREAT | O_EXCL | O_RDWR, 0640)), EEXIST);
  // Without O_EXCL an existing file is opened as it is (with O_TRUNC: truncated).
  auto reopened = c().OpenAt(root, "new.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->inode.attr.mode & 07777, 0640u);
  EXPECT_EQ(reopened->inode.attr.size, 0u);
  EXPECT_EQ(reopened->inode.attr.ino, created->inode.attr.ino);
  // Without O_CREAT it is Walk + Open in one round trip.
  auto plain = c().OpenAt(root, "file.txt", O_RDONLY, 0);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(ReadFd(plain->fd.get()), "hello gofer");
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "nope", O_RDONLY, 0)), ENOENT);
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "d", O_CREAT | O_DIRECTORY | O_RDONLY, 0755)), EINVAL);
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "d", O_CREAT | O_RDONLY, S_IFDIR | 0755)), EINVAL);
  EXPECT_EQ(ErrnoOf(c().OpenAt(WalkAll({"file.txt"}), "x", O_CREAT | O_RDWR, 0644)), ENOTDIR);

  // Owners of new files are set as asked (the test runs as root where it can check that).
  if (geteuid() == 0) {
    auto owned = c().OpenAt(root, "owned", O_CREAT | O_EXCL | O_WRONLY, 04755, 1234, 5678);
    ASSERT_TRUE(owned.ok());
    EXPECT_EQ(owned->inode.attr.uid, 1234u);
    EXPECT_EQ(owned->inode.attr.gid, 5678u);
    // chown clears set-id bits; the gofer puts the asked-for mode back.
    EXPECT_EQ(owned->inode.attr.mode & 07777, 04755u);
  }
}

TEST_F(GoferServerTest, MkdirMknodSymlinkLink) {
  Start();
  uint64_t root = Root();
  auto d = c().Mkdir(root, "newdir", 0750);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(S_ISDIR(d->attr.mode));
  EXPECT_EQ(d->attr.mode & 07777, 0750u);
  EXPECT_TRUE(std::filesystem::is_directory(root_ + "/newdir"));
  EXPECT_EQ(ErrnoOf(c().Mkdir(root, "newdir", 0750)), EEXIST);
  EXPECT_EQ(ErrnoOf(c().Mkdir(root, "bad", S_IFDIR | 0750)), EINVAL);
  // The new handle is a directory one can create in.
  auto inner = c().OpenAt(d->handle, "inner", O_CREAT | O_WRONLY, 0600);
  ASSERT_TRUE(inner.ok());
  EXPECT_TRUE(std::filesystem::exists(root_ + "/newdir/inner"));

  auto fifo = c().Mknod(root, "fifo2", S_IFIFO | 0620);
  ASSERT_TRUE(fifo.ok());
  EXPECT_TRUE(S_ISFIFO(fifo->attr.mode));
  EXPECT_EQ(fifo->attr.mode & 07777, 0620u);
  auto reg = c().Mknod(root, "reg", 0600);  // Type 0 is a regular file.
  ASSERT_TRUE(reg.ok());
  EXPECT_TRUE(S_ISREG(reg->attr.mode));
  EXPECT_EQ(ErrnoOf(c().Mknod(root, "null", S_IFCHR | 0666)), EPERM);
  EXPECT_EQ(ErrnoOf(c().Mknod(root, "blk", S_IFBLK | 0666)), EPERM);
  EXPECT_EQ(ErrnoOf(c().Mknod(root, "dir", S_IFDIR | 0666)), EINVAL);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/null"));

  auto sl = c().Symlink(root, "sl", "../../outside/secret");
  ASSERT_TRUE(sl.ok());
  EXPECT_TRUE(S_ISLNK(sl->attr.mode));
  auto text = c().Readlink(sl->handle);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "../../outside/secret");
  EXPECT_EQ(ErrnoOf(c().Open(sl->handle, O_RDONLY)), ELOOP);
  EXPECT_EQ(ErrnoOf(c().Symlink(root, "empty", "")), ENOENT);

  uint64_t file = WalkAll({"file.txt"});
  auto hard = c().Link(root, "hard", file);
  ASSERT_TRUE(hard.ok());
  EXPECT_EQ(hard->attr.nlink, 2u);
  EXPECT_EQ(ReadFile(root_ + "/hard"), "hello gofer");
  EXPECT_EQ(ErrnoOf(c().Link(root, "dirlink", d->handle)), EPERM);
  EXPECT_EQ(ErrnoOf(c().Link(root, "hard", file)), EEXIST);
  // A hard link to a symlink links the symlink itself.
  auto hard_sl = c().Link(root, "sl2", sl->handle);
  ASSERT_TRUE(hard_sl.ok());
  EXPECT_TRUE(S_ISLNK(hard_sl->attr.mode));
}

TEST_F(GoferServerTest, UnlinkAndRename) {
  Start();
  uint64_t root = Root();
  uint64_t dir = WalkAll({"dir"});
  EXPECT_EQ(c().Unlink(root, "dir").error().value(), EISDIR);
  EXPECT_EQ(c().Unlink(root, "dir", AT_REMOVEDIR).error().value(), ENOTEMPTY);
  EXPECT_EQ(c().Unlink(root, "file.txt", 0x1).error().value(), EINVAL);
  EXPECT_EQ(c().Unlink(root, "missing").error().value(), ENOENT);
  EXPECT_TRUE(c().Unlink(dir, "a.txt").ok());
  EXPECT_FALSE(std::filesystem::exists(root_ + "/dir/a.txt"));
  ASSERT_TRUE(c().Mkdir(root, "empty", 0755).ok());
  EXPECT_TRUE(c().Unlink(root, "empty", AT_REMOVEDIR).ok());
  EXPECT_FALSE(std::filesystem::exists(root_ + "/empty"));

  // Rename keeps handles on the moved file working.
  uint64_t file = WalkAll({"file.txt"});
  ASSERT_TRUE(c().Rename(root, "file.txt", dir, "moved.txt").ok());
  EXPECT_EQ(ReadFile(root_ + "/dir/moved.txt"), "hello gofer");
  EXPECT_FALSE(std::filesystem::exists(root_ + "/file.txt"));
  {
    ASSERT_OK_AND_ASSIGN(UniqueFd fd, c().Open(file, O_RDONLY));
    EXPECT_EQ(ReadFd(fd.get()), "hello gofer");
  }

  // NOREPLACE and EXCHANGE.
  ASSERT_TRUE(WriteFile(root_ + "/x", "X"));
  ASSERT_TRUE(WriteFile(root_ + "/y", "Y"));
  uint64_t x = WalkAll({"x"});
  uint64_t y = WalkAll({"y"});
  EXPECT_EQ(c().Rename(root, "x", root, "y", RENAME_NOREPLACE).error().value(), EEXIST);
  EXPECT_EQ(c().Rename(root, "x", root, "y", RENAME_NOREPLACE | RENAME_EXCHANGE).error().value(),
            EINVAL);
  ASSERT_TRUE(c().Rename(root, "x", root, "y", RENAME_EXCHANGE).ok());
  EXPECT_EQ(ReadFile(root_ + "/x"), "Y");
  EXPECT_EQ(ReadFile(root_ + "/y"), "X");
  {
    // Each handle still names the same file, under its new name.
    ASSERT_OK_AND_ASSIGN(UniqueFd fx, c().Open(x, O_RDONLY));
    EXPECT_EQ(ReadFd(fx.get()), "X");
    ASSERT_OK_AND_ASSIGN(UniqueFd fy, c().Open(y, O_RDONLY));
    EXPECT_EQ(ReadFd(fy.get()), "Y");
  }
  // Through a second handle on the same directory as well.
  uint64_t root2 = Root();
  ASSERT_TRUE(c().Rename(root2, "x", root2, "z").ok());
  {
    ASSERT_OK_AND_ASSIGN(UniqueFd fx, c().Open(x, O_RDONLY));
    EXPECT_EQ(ReadFd(fx.get()), "X");
  }
}

TEST_F(GoferServerTest, StaleHandleNeverReachesANewFile) {
  Start();
  uint64_t root = Root();
  uint64_t file = WalkAll({"file.txt"});
  // Replaced behind the gofer's back, as the host or another container could.
  ASSERT_EQ(unlink((root_ + "/file.txt").c_str()), 0);
  ASSERT_TRUE(WriteFile(root_ + "/file.txt", "impostor"));
  EXPECT_EQ(ErrnoOf(c().Open(file, O_RDONLY)), ESTALE);
  // Stat still describes the file the handle holds.
  auto st = c().Stat(file);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->nlink, 0u);
  // Replaced by a symlink to the outside: still refused.
  uint64_t a = WalkAll({"dir", "a.txt"});
  ASSERT_EQ(unlink((root_ + "/dir/a.txt").c_str()), 0);
  ASSERT_EQ(symlink((outside_ + "/secret").c_str(), (root_ + "/dir/a.txt").c_str()), 0);
  int err = ErrnoOf(c().Open(a, O_RDWR | O_TRUNC));
  EXPECT_TRUE(err == ELOOP || err == ESTALE) << err;
  (void)root;
}

TEST_F(GoferServerTest, ReopenHasNoEffectOnAReplacedName) {
  Start();
  uint64_t file = WalkAll({"file.txt"});
  uint64_t a = WalkAll({"dir", "a.txt"});
  // A FIFO with no writer in place of the file: the gofer must neither block nor open it.
  ASSERT_EQ(unlink((root_ + "/file.txt").c_str()), 0);
  ASSERT_EQ(mkfifo((root_ + "/file.txt").c_str(), 0644), 0);
  EXPECT_EQ(ErrnoOf(c().Open(file, O_RDONLY)), ESTALE);
  int err = ErrnoOf(c().Open(file, O_WRONLY));
  EXPECT_TRUE(err == ESTALE || err == ENXIO) << err;  // ENXIO: a FIFO without a reader.
  // Another file in its place is not truncated by an O_TRUNC meant for the old one.
  ASSERT_EQ(unlink((root_ + "/dir/a.txt").c_str()), 0);
  ASSERT_TRUE(WriteFile(root_ + "/dir/a.txt", "someone else's"));
  EXPECT_EQ(ErrnoOf(c().Open(a, O_WRONLY | O_TRUNC)), ESTALE);
  EXPECT_EQ(ErrnoOf(c().Open(a, O_RDONLY | O_TRUNC)), ESTALE);
  EXPECT_EQ(ErrnoOf(c().SetAttr({.handle = a, .mask = kSetAttrSize, .size = 0})), ESTALE);
  EXPECT_EQ(ReadFile(root_ + "/dir/a.txt"), "someone else's");
  // The same, done by the guest through the gofer.
  uint64_t dir = WalkAll({"dir"});
  ASSERT_TRUE(WriteFile(root_ + "/dir/b.txt", "B"));
  uint64_t b = WalkAll({"dir", "b.txt"});
  ASSERT_TRUE(c().Rename(dir, "a.txt", dir, "b.txt").ok());
  EXPECT_EQ(ErrnoOf(c().Open(b, O_WRONLY | O_TRUNC)), ESTALE);
  EXPECT_EQ(ReadFile(root_ + "/dir/b.txt"), "someone else's");
  // O_TRUNC on the right file truncates, and O_NONBLOCK is only there when asked for.
  uint64_t now_b = WalkAll({"dir", "b.txt"});
  ASSERT_OK_AND_ASSIGN(UniqueFd fd, c().Open(now_b, O_RDONLY | O_TRUNC));
  EXPECT_EQ(ReadFile(root_ + "/dir/b.txt"), "");
  EXPECT_EQ(fcntl(fd.get(), F_GETFL) & (O_NONBLOCK | O_ACCMODE), O_RDONLY);
}

TEST_F(GoferServerTest, Getdents) {
  Start();
  ASSERT_EQ(mkdir((root_ + "/many").c_str(), 0755), 0);
  std::set<std::string> want;
  for (int i = 0; i < 50; ++i) {
    std::string name = "entry" + std::to_string(i);
    ASSERT_TRUE(WriteFile(root_ + "/many/" + name, ""));
    want.insert(name);
  }
  ASSERT_EQ(mkdir((root_ + "/many/subdir").c_str(), 0755), 0);
  want.insert("subdir");
  uint64_t many = WalkAll({"many"});
  std::set<std::string> got;
  uint64_t cookie = 0;
  int calls = 0;
  for (;;) {
    auto ents = c().Getdents(many, cookie, 7);
    ASSERT_TRUE(ents.ok());
    if (ents->empty()) break;
    ASSERT_LE(ents->size(), 7u);
    ASSERT_LT(++calls, 100);
    for (const Dirent& d : *ents) {
      EXPECT_NE(d.name, ".");
      EXPECT_NE(d.name, "..");
      EXPECT_TRUE(got.insert(d.name).second) << "duplicate " << d.name;
      EXPECT_EQ(d.type, d.name == "subdir" ? DT_DIR : DT_REG) << d.name;
      EXPECT_NE(d.ino, 0u);
    }
    cookie = ents->back().next;
  }
  EXPECT_EQ(got, want);
  EXPECT_GE(calls, 8);
  // Reading again from 0 starts over (no state in the gofer).
  auto first = c().Getdents(many, 0, 1000);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), want.size());
  EXPECT_EQ(ErrnoOf(c().Getdents(many, 0, 0)), EINVAL);
  EXPECT_EQ(ErrnoOf(c().Getdents(WalkAll({"file.txt"}), 0, 10)), ENOTDIR);
}

TEST_F(GoferServerTest, SetAttr) {
  Start();
  uint64_t file = WalkAll({"file.txt"});
  auto set = [&](SetAttrRequest r) {
    r.handle = file;
    return c().SetAttr(r);
  };
  auto a = set({.mask = kSetAttrMode, .mode = 0600});
  ASSERT_TRUE(a.ok()) << ErrnoOf(a);
  EXPECT_EQ(a->mode & 07777, 0600u);
  struct stat st;
  ASSERT_EQ(stat((root_ + "/file.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  a = set({.mask = kSetAttrSize, .size = 5});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size, 5u);
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello");

  a = set({.mask = kSetAttrAtime | kSetAttrMtime,
           .atime = {.sec = 1000, .nsec = 5},
           .mtime = {.sec = 2000, .nsec = 6}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->atime, (Timestamp{.sec = 1000, .nsec = 5}));
  EXPECT_EQ(a->mtime, (Timestamp{.sec = 2000, .nsec = 6}));
  // UTIME_OMIT leaves a time alone; UTIME_NOW sets it to now.
  a = set({.mask = kSetAttrAtime | kSetAttrMtime,
           .atime = {.sec = 0, .nsec = static_cast<uint32_t>(UTIME_OMIT)},
           .mtime = {.sec = 0, .nsec = static_cast<uint32_t>(UTIME_NOW)}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->atime, (Timestamp{.sec = 1000, .nsec = 5}));
  EXPECT_GT(a->mtime.sec, time(nullptr) - 60);
  // Only the masked time changes.
  a = set({.mask = kSetAttrAtime, .atime = {.sec = 3000, .nsec = 0}});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->atime.sec, 3000);
  EXPECT_GT(a->mtime.sec, 2000);

  if (geteuid() == 0) {
    a = set({.mask = kSetAttrUid | kSetAttrGid, .uid = 4321, .gid = 8765});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->uid, 4321u);
    EXPECT_EQ(a->gid, 8765u);
    a = set({.mask = kSetAttrGid, .gid = 1});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->uid, 4321u);
    EXPECT_EQ(a->gid, 1u);
  }

  // Bad requests change nothing.
  EXPECT_EQ(ErrnoOf(set({.mask = 1u << 10})), EINVAL);
  EXPECT_EQ(ErrnoOf(set({.mask = kSetAttrMode | kSetAttrSize, .mode = S_IFREG | 0777, .size = 0})),
            EINVAL);
  EXPECT_EQ(ErrnoOf(set({.mask = kSetAttrMtime, .mtime = {.sec = 1, .nsec = 1000000000}})), EINVAL);
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello");
  // Type-specific refusals.
  uint64_t dir = WalkAll({"dir"});
  EXPECT_EQ(ErrnoOf(c().SetAttr({.handle = dir, .mask = kSetAttrSize, .size = 0})), EISDIR);
  uint64_t link = WalkAll({"link_passwd"});
  EXPECT_EQ(ErrnoOf(c().SetAttr({.handle = link, .mask = kSetAttrMode, .mode = 0777})), EOPNOTSUPP);
  EXPECT_EQ(ErrnoOf(c().SetAttr({.handle = link, .mask = kSetAttrSize, .size = 0})), EINVAL);
  // Times of a symlink are its own, not its target's.
  auto lt = c().SetAttr({.handle = link, .mask = kSetAttrMtime, .mtime = {.sec = 4242, .nsec = 0}});
  ASSERT_TRUE(lt.ok());
  EXPECT_EQ(lt->mtime.sec, 4242);
  struct stat passwd;
  ASSERT_EQ(stat("/etc/passwd", &passwd), 0);
  EXPECT_NE(passwd.st_mtim.tv_sec, 4242);
  // A directory's mode.
  auto dm = c().SetAttr({.handle = dir, .mask = kSetAttrMode, .mode = 0711});
  ASSERT_TRUE(dm.ok());
  EXPECT_EQ(dm->mode & 07777, 0711u);
}

TEST_F(GoferServerTest, StatFs) {
  Start();
  auto fs = c().StatFs(Root());
  ASSERT_TRUE(fs.ok());
  struct statfs want;
  ASSERT_EQ(statfs(root_.c_str(), &want), 0);
  EXPECT_EQ(fs->type, static_cast<uint64_t>(want.f_type));
  EXPECT_EQ(fs->bsize, static_cast<uint64_t>(want.f_bsize));
  EXPECT_EQ(fs->namelen, static_cast<uint64_t>(want.f_namelen));
  EXPECT_GT(fs->blocks, 0u);
}

TEST_F(GoferServerTest, Xattrs) {
  Start();
  uint64_t file = WalkAll({"file.txt"});
  auto set = c().SetXattr(file, "user.gofer", std::string("v\0al", 4));
  if (!set.ok() && (set.error().value() == ENOTSUP || set.error().value() == EOPNOTSUPP)) {
    GTEST_SKIP() << "no user xattrs on " << root_;
  }
  ASSERT_TRUE(set.ok()) << set.error().value();
  char buf[16];
  ASSERT_EQ(getxattr((root_ + "/file.txt").c_str(), "user.gofer", buf, sizeof(buf)), 4);
  auto got = c().GetXattr(file, "user.gofer");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, std::string("v\0al", 4));
  auto list = c().ListXattr(file);
  ASSERT_TRUE(list.ok());
  EXPECT_NE(std::find(list->begin(), list->end(), "user.gofer"), list->end());
  EXPECT_EQ(c().SetXattr(file, "user.gofer", "x", XATTR_CREATE).error().value(), EEXIST);
  EXPECT_EQ(c().SetXattr(file, "user.none", "x", XATTR_REPLACE).error().value(), ENODATA);
  EXPECT_EQ(c().SetXattr(file, "user.x", "x", 0x10).error().value(), EINVAL);
  // A value of a few KiB (ext4 keeps values within one block).
  ASSERT_TRUE(c().SetXattr(file, "user.big", std::string(4000, 'b')).ok());
  auto big = c().GetXattr(file, "user.big");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->size(), 4000u);
  ASSERT_TRUE(c().RemoveXattr(file, "user.gofer").ok());
  EXPECT_EQ(ErrnoOf(c().GetXattr(file, "user.gofer")), ENODATA);
  EXPECT_EQ(c().RemoveXattr(file, "user.gofer").error().value(), ENODATA);
  // On a directory too.
  uint64_t dir = WalkAll({"dir"});
  ASSERT_TRUE(c().SetXattr(dir, "user.d", "1").ok());
  auto dl = c().ListXattr(dir);
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(*dl, std::vector<std::string>{"user.d"});
}

TEST_F(GoferServerTest, Close) {
  Start();
  uint64_t file = WalkAll({"file.txt"});
  uint64_t dir = WalkAll({"dir"});
  ASSERT_TRUE(c().Close({file, dir}).ok());
  EXPECT_EQ(ErrnoOf(c().Stat(file)), EBADF);
  EXPECT_EQ(ErrnoOf(c().Open(file, O_RDONLY)), EBADF);
  EXPECT_EQ(c().Close({file}).error().value(), EBADF);
  // Known handles in a list with unknown ones are still closed.
  uint64_t other = WalkAll({"dir"});
  EXPECT_EQ(c().Close({999999, other}).error().value(), EBADF);
  EXPECT_EQ(ErrnoOf(c().Stat(other)), EBADF);
  // A file whose directory handle was closed can still be reopened.
  auto w = c().Walk(Root(), {"dir", "a.txt"});
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->walked.size(), 2u);
  ASSERT_TRUE(c().Close({w->walked[0].handle}).ok());
  ASSERT_OK_AND_ASSIGN(UniqueFd fd, c().Open(w->walked[1].handle, O_RDONLY));
  EXPECT_EQ(ReadFd(fd.get()), "a");
}

TEST_F(GoferServerTest, ReadOnlyRefusesWrites) {
  Start(ServerOptions{.read_only = true});
  uint64_t root = Root();
  uint64_t file = WalkAll({"file.txt"});
  uint64_t dir = WalkAll({"dir"});
  {
    ASSERT_OK_AND_ASSIGN(UniqueFd fd, c().Open(file, O_RDONLY));
    EXPECT_EQ(ReadFd(fd.get()), "hello gofer");
  }
  EXPECT_EQ(ErrnoOf(c().Open(file, O_WRONLY)), EROFS);
  EXPECT_EQ(ErrnoOf(c().Open(file, O_RDWR)), EROFS);
  EXPECT_EQ(ErrnoOf(c().Open(file, O_RDONLY | O_TRUNC)), EROFS);
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "new", O_CREAT | O_WRONLY, 0644)), EROFS);
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "new", O_CREAT | O_RDONLY, 0644)), EROFS);
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "file.txt", O_CREAT | O_EXCL | O_RDONLY, 0644)), EROFS);
  EXPECT_EQ(ErrnoOf(c().OpenAt(root, "file.txt", O_WRONLY, 0)), EROFS);
  // O_CREAT of an existing file, read-only, is just an open.
  EXPECT_TRUE(c().OpenAt(root, "file.txt", O_CREAT | O_RDONLY, 0644).ok());
  EXPECT_EQ(ErrnoOf(c().Mkdir(root, "d", 0755)), EROFS);
  EXPECT_EQ(ErrnoOf(c().Mknod(root, "f", S_IFIFO | 0644)), EROFS);
  EXPECT_EQ(ErrnoOf(c().Symlink(root, "s", "t")), EROFS);
  EXPECT_EQ(ErrnoOf(c().Link(root, "h", file)), EROFS);
  EXPECT_EQ(c().Unlink(root, "file.txt").error().value(), EROFS);
  EXPECT_EQ(c().Unlink(dir, "sub", AT_REMOVEDIR).error().value(), EROFS);
  EXPECT_EQ(c().Rename(root, "file.txt", root, "g").error().value(), EROFS);
  EXPECT_EQ(ErrnoOf(c().SetAttr({.handle = file, .mask = kSetAttrMode, .mode = 0777})), EROFS);
  EXPECT_EQ(ErrnoOf(c().SetAttr({.handle = file, .mask = kSetAttrSize, .size = 0})), EROFS);
  EXPECT_EQ(c().SetXattr(file, "user.x", "y").error().value(), EROFS);
  EXPECT_EQ(c().RemoveXattr(file, "user.x").error().value(), EROFS);
  // Reading still works.
  EXPECT_TRUE(c().Stat(file).ok());
  EXPECT_TRUE(c().Getdents(root, 0, 100).ok());
  EXPECT_TRUE(c().StatFs(root).ok());
  EXPECT_TRUE(c().SetAttr({.handle = file, .mask = 0}).ok());  // Changes nothing.
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello gofer");
  EXPECT_FALSE(std::filesystem::exists(root_ + "/new"));
  EXPECT_FALSE(std::filesystem::exists(root_ + "/d"));
}

TEST_F(GoferServerTest, BadRequestsGetErrorsAndTheLoopContinues) {
  Start({}, /*raw=*/true);
  std::string storage;
  // Garbage shorter than a header.
  Frame f = RawCall("junk", storage);
  EXPECT_EQ(f.header.error, EPROTO);
  EXPECT_EQ(f.header.type, kResponseBit);
  // Bad magic, with a tag to echo.
  std::string bad_magic = EncodeFrame(MessageType::kAttach, 77, 0, "");
  bad_magic[0] = 'X';
  f = RawCall(bad_magic, storage);
  EXPECT_EQ(f.header.error, EPROTO);
  EXPECT_EQ(f.header.tag, 77u);
  // Unknown type.
  f = RawCall(EncodeFrame(999, 5, 0, ""), storage);
  EXPECT_EQ(f.header.error, ENOSYS);
  EXPECT_EQ(f.header.tag, 5u);
  EXPECT_EQ(f.header.type, 999 | kResponseBit);
  // A response sent as a request.
  f = RawCall(EncodeFrame(ResponseType(MessageType::kAttach), 6, 0, ""), storage);
  EXPECT_EQ(f.header.error, EPROTO);
  // A request with an error set.
  f = RawCall(EncodeFrame(MessageType::kAttach, 6, EIO, ""), storage);
  EXPECT_EQ(f.header.error, EPROTO);
  // Truncated and overlong payloads.
  f = RawCall(EncodeFrame(MessageType::kStat, 7, 0, "\x01\x02\x03"), storage);
  EXPECT_EQ(f.header.error, EPROTO);
  f = RawCall(EncodeFrame(MessageType::kAttach, 8, 0, "x"), storage);
  EXPECT_EQ(f.header.error, EPROTO);
  // A datagram beyond the frame limit.
  f = RawCall(std::string(kMaxFrameSize + 100, 'z'), storage);
  EXPECT_EQ(f.header.error, EPROTO);
  // Unknown handle.
  Encoder e;
  StatRequest{.handle = 4242}.Encode(e);
  f = RawCall(EncodeFrame(MessageType::kStat, 9, 0, e.data()), storage);
  EXPECT_EQ(f.header.error, EBADF);
  // Forged names the client would never send.
  Encoder forged;
  forged.U64(1);  // No handle yet: EBADF comes after decoding, so decoding must fail first.
  forged.U32(1);
  forged.U32(0);  // An empty name.
  f = RawCall(EncodeFrame(MessageType::kWalk, 10, 0, forged.data()), storage);
  EXPECT_EQ(f.header.error, EINVAL);
  Encoder long_name;
  long_name.U64(1);
  long_name.U32(1);
  long_name.U32(300);
  long_name.RawBytes(std::string(300, 'a'));
  f = RawCall(EncodeFrame(MessageType::kWalk, 11, 0, long_name.data()), storage);
  EXPECT_EQ(f.header.error, EINVAL);
  // A request carrying an fd: refused, and the fd is not kept by the gofer.
  int before = CountOpenFds();
  {
    UniqueFd extra(open("/dev/null", O_RDONLY | O_CLOEXEC));
    f = RawCall(EncodeFrame(MessageType::kAttach, 12, 0, ""), storage, extra.get());
    EXPECT_EQ(f.header.error, EPROTO);
  }
  EXPECT_EQ(CountOpenFds(), before);
  // After all that, the loop still answers.
  f = RawCall(EncodeFrame(MessageType::kAttach, 13, 0, ""), storage);
  EXPECT_EQ(f.header.error, 0);
  EXPECT_EQ(f.header.tag, 13u);
  auto attach = AttachResponse::Decode(f.payload);
  ASSERT_TRUE(attach.ok());
  EXPECT_TRUE(S_ISDIR(attach->root.attr.mode));
}

TEST_F(GoferServerTest, ConcurrentCallsAreSerialized) {
  Start();
  uint64_t file = WalkAll({"file.txt"});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto s = c().Stat(file);
        if (!s.ok() || s->size != 11) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(GoferServerTest, DeadGoferGivesEio) {
  Start();
  uint64_t root = Root();
  // The gofer goes away (its loop sees the socket shut and returns; its end is closed).
  ASSERT_EQ(shutdown(server_sock_.get(), SHUT_RDWR), 0);
  thread_.join();
  EXPECT_EQ(ErrnoOf(c().Stat(root)), EIO);
  EXPECT_TRUE(c().dead());
  EXPECT_EQ(ErrnoOf(c().Attach()), EIO);
  EXPECT_EQ(ErrnoOf(c().Open(root, O_RDONLY)), EIO);
  EXPECT_EQ(c().Close({root}).error().value(), EIO);
}

// A fake gofer, to misbehave in ways the real one does not.
class FakeGoferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    fake_ = UniqueFd(sv[0]);
    client_ = std::make_unique<Client>(UniqueFd(sv[1]));
  }
  // Runs `respond(request_frame)` for the next request on a thread.
  template <typename F>
  std::thread Serve1(F respond) {
    return std::thread([this, respond] {
      std::vector<char> scratch;
      auto got = RecvDatagram(fake_.get(), scratch);
      if (!got.ok() || got->closed) return;
      auto f = ParseFrame(got->data);
      if (!f.ok()) return;
      respond(f->header);
    });
  }
  UniqueFd fake_;
  std::unique_ptr<Client> client_;
};

TEST_F(FakeGoferTest, HangUpMidCallIsEio) {
  std::thread t = Serve1([this](const Header&) { fake_.reset(); });
  EXPECT_EQ(ErrnoOf(client_->Attach()), EIO);
  t.join();
  EXPECT_EQ(ErrnoOf(client_->Attach()), EIO);
}

TEST_F(FakeGoferTest, WrongTagIsEioAndFinal) {
  std::thread t = Serve1([this](const Header& h) {
    Encoder e;
    AttachResponse{}.Encode(e);
    (void)SendDatagram(fake_.get(), EncodeFrame(h.type | kResponseBit, h.tag + 1, 0, e.data()));
  });
  EXPECT_EQ(ErrnoOf(client_->Attach()), EIO);
  t.join();
  EXPECT_TRUE(client_->dead());
}

TEST_F(FakeGoferTest, GarbageResponseIsEio) {
  std::thread t = Serve1([this](const Header& h) {
    (void)SendDatagram(fake_.get(), EncodeFrame(h.type | kResponseBit, h.tag, 0, "trailing"));
  });
  EXPECT_EQ(ErrnoOf(client_->Attach()), EIO);
  t.join();
  EXPECT_TRUE(client_->dead());
}

TEST_F(FakeGoferTest, ErrorResponsesPassThrough) {
  std::thread t = Serve1([this](const Header& h) {
    (void)SendDatagram(fake_.get(), EncodeFrame(h.type | kResponseBit, h.tag, EACCES, ""));
  });
  EXPECT_EQ(ErrnoOf(client_->Attach()), EACCES);
  t.join();
  EXPECT_FALSE(client_->dead());
}

TEST_F(FakeGoferTest, ExtraFdsAreClosed) {
  TempDir tmp;
  ASSERT_TRUE(WriteFile(tmp / "f", "data"));
  const int before = CountOpenFds();
  std::thread t = Serve1([this, &tmp](const Header& h) {
    // Three fds where one is expected.
    int fds[3];
    for (int& fd : fds) fd = open((tmp / "f").c_str(), O_RDONLY | O_CLOEXEC);
    std::string frame = EncodeFrame(h.type | kResponseBit, h.tag, 0, "");
    iovec iov{.iov_base = frame.data(), .iov_len = frame.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(fds))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(fds));
    std::memcpy(CMSG_DATA(cm), fds, sizeof(fds));
    (void)sendmsg(fake_.get(), &msg, MSG_NOSIGNAL);
    for (int fd : fds) close(fd);
  });
  {
    auto fd = client_->Open(1, O_RDONLY);
    t.join();
    ASSERT_TRUE(fd.ok());
    EXPECT_EQ(ReadFd(fd->get()), "data");
    EXPECT_NE(fcntl(fd->get(), F_GETFD) & FD_CLOEXEC, 0);
  }
  EXPECT_EQ(CountOpenFds(), before);
}

TEST_F(FakeGoferTest, MissingFdIsEio) {
  std::thread t = Serve1([this](const Header& h) {
    (void)SendDatagram(fake_.get(), EncodeFrame(h.type | kResponseBit, h.tag, 0, ""));
  });
  EXPECT_EQ(ErrnoOf(client_->Open(1, O_RDONLY)), EIO);
  t.join();
}

}  // namespace
}  // namespace gofer
