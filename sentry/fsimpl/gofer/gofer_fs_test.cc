// The gofer file system against a real gofer (gofer::Serve on a thread) over a temporary tree.
#include "sentry/fsimpl/gofer/gofer_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "abi/linux/fcntl.h"
#include "gofer/server.h"
#include "gofer/test_util.h"
#include "sentry/mm/memory_manager.h"
#include "sentry/vfs/device.h"
#include "util/unique_fd.h"

namespace sentry::fsimpl::gofer {
namespace {

using ::gofer::testing::ReadFile;
using ::gofer::testing::TempDir;
using ::gofer::testing::WriteFile;
using util::UniqueFd;

#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                           \
  auto GFS_TEST_CONCAT_(got_, __LINE__) = (expr);                                 \
  ASSERT_TRUE(GFS_TEST_CONCAT_(got_, __LINE__).ok())                              \
      << #expr << ": errno " << GFS_TEST_CONCAT_(got_, __LINE__).error().value(); \
  lhs = std::move(GFS_TEST_CONCAT_(got_, __LINE__)).value()
#define GFS_TEST_CONCAT_INNER_(a, b) a##b
#define GFS_TEST_CONCAT_(a, b) GFS_TEST_CONCAT_INNER_(a, b)

template <typename T>
int ErrnoOf(const util::ErrnoOr<T>& r) {
  return r.ok() ? 0 : r.error().value();
}

class TestContext : public vfs::Context {
 public:
  auth::Credentials creds() const override { return auth::Credentials::ForIds(0, 0, {}); }
  vfs::Path root() const override { return {}; }
  vfs::Path cwd() const override { return {}; }
  uint32_t umask() const override { return 022; }
};

// A platform address space that maps nothing (the memory manager's bookkeeping is enough for
// CopyIn/CopyOut/Pin).
class NullAddressSpace : public platform::AddressSpace {
 public:
  absl::Status MapFile(uint64_t, uint64_t, int, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Protect(uint64_t, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Unmap(uint64_t, uint64_t) override { return absl::OkStatus(); }
  int64_t CpuTimeNs() const override { return 0; }
};

std::string MapAll(GoferRegularInode& in) {
  std::string out(in.MappableSize(), '\0');
  auto n = in.ReadForMap(out.data(), out.size(), 0);
  if (!n.ok()) return "<error>";
  out.resize(*n);
  return out;
}

class GoferFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(tmp_.path().empty());
    root_ = tmp_ / "root";
    ASSERT_EQ(mkdir(root_.c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(root_ + "/file.txt", "hello gofer"));
    ASSERT_EQ(mkdir((root_ + "/dir").c_str(), 0755), 0);
    ASSERT_TRUE(WriteFile(root_ + "/dir/a.txt", "a"));
    ASSERT_EQ(symlink("/etc/passwd", (root_ + "/link").c_str()), 0);
    ASSERT_EQ(mkfifo((root_ + "/fifo").c_str(), 0644), 0);
  }

  void TearDown() override {
    root_inode_.reset();
    fs_.reset();  // Closes the client's socket: the server sees the hang-up.
    if (thread_.joinable()) thread_.join();
    EXPECT_TRUE(status_.ok()) << status_;
  }

  // With `shared_pages`, the file system gets a memory file for shared mappings (mf_).
  void Start(bool read_only = false, bool shared_pages = false) {
    if (shared_pages) NewMemoryFile();
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    server_sock_ = UniqueFd(sv[0]);
    root_fd_ = UniqueFd(open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_fd_.valid());
    ::gofer::ServerOptions opts;
    opts.read_only = read_only;
    thread_ = std::thread([this, opts] {
      status_ = ::gofer::Serve(server_sock_.get(), root_fd_.get(), opts);
      server_sock_.reset();
    });
    fs_ = std::make_shared<GoferFilesystem>(
        UniqueFd(sv[1]), GoferOptions{read_only, shared_pages ? mf_.get() : nullptr});
    ASSERT_OK_AND_ASSIGN(root_inode_, fs_->Root());
    ASSERT_TRUE(root_inode_->is_dir());
  }

  vfs::Inode& root() { return *root_inode_; }

  std::shared_ptr<vfs::Inode> Lookup(vfs::Inode& dir, const std::string& name) {
    auto r = dir.Lookup(ctx_, name);
    EXPECT_TRUE(r.ok()) << name << ": errno " << ErrnoOf(r);
    return r.ok() ? *r : nullptr;
  }

  // A memory manager with one read/write anonymous mapping, for I/O through guest memory.
  void NewMemoryFile() {
    if (mf_) return;
    auto mf = mm::MemoryFile::Create(uint64_t{1} << 28);
    ASSERT_TRUE(mf.ok());
    mf_ = std::move(*mf);
  }

  void MakeMemory() {
    NewMemoryFile();
    mm_ = std::make_unique<mm::MemoryManager>(*mf_, std::make_unique<NullAddressSpace>(), 0x10000,
                                              0x7f0000000000);
    mm::MMapOpts o;
    o.length = 1 << 16;
    o.prot = PROT_READ | PROT_WRITE;
    auto a = mm_->MMap(o);
    ASSERT_TRUE(a.ok());
    buf_ = *a;
  }

  TempDir tmp_;
  std::string root_;
  TestContext ctx_;
  UniqueFd server_sock_, root_fd_;
  std::thread thread_;
  absl::Status status_;
  std::shared_ptr<GoferFilesystem> fs_;
  std::shared_ptr<vfs::Inode> root_inode_;
  std::unique_ptr<mm::MemoryFile> mf_;
  std::unique_ptr<mm::MemoryManager> mm_;
  uint64_t buf_ = 0;
};

TEST_F(GoferFsTest, LookupAndStat) {
  Start();
  auto f = Lookup(root(), "file.txt");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->is_regular());
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, f->Stat());
  struct stat host;
  ASSERT_EQ(stat((root_ + "/file.txt").c_str(), &host), 0);
  EXPECT_EQ(st.st_size, 11);
  EXPECT_EQ(st.st_ino, host.st_ino);
  EXPECT_EQ(st.st_dev, fs_->dev());
  EXPECT_EQ(st.st_mode, host.st_mode);
  EXPECT_EQ(st.st_blksize, 4096);
  EXPECT_EQ(st.st_nlink, 1u);

  EXPECT_EQ(ErrnoOf(root().Lookup(ctx_, "missing")), ENOENT);
  EXPECT_EQ(ErrnoOf(f->Lookup(ctx_, "x")), ENOTDIR);
  auto link = Lookup(root(), "link");
  ASSERT_NE(link, nullptr);
  EXPECT_TRUE(link->is_symlink());
  ASSERT_OK_AND_ASSIGN(std::string target, link->Readlink(ctx_));
  EXPECT_EQ(target, "/etc/passwd");
  EXPECT_EQ(ErrnoOf(f->Readlink(ctx_)), EINVAL);
  auto dir = Lookup(root(), "dir");
  ASSERT_NE(dir, nullptr);
  EXPECT_TRUE(dir->is_dir());
  auto a = Lookup(*dir, "a.txt");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(static_cast<GoferRegularInode&>(*a).MapName(), "/dir/a.txt");
}

TEST_F(GoferFsTest, ReadThroughMappable) {
  Start();
  auto f = Lookup(root(), "file.txt");
  ASSERT_NE(f, nullptr);
  auto& reg = static_cast<GoferRegularInode&>(*f);
  EXPECT_EQ(reg.MappableSize(), 11u);
  EXPECT_FALSE(reg.CanMapShared());
  EXPECT_EQ(reg.MapIno(), static_cast<uint64_t>(f->Stat()->st_ino));
  char buf[64] = {};
  ASSERT_OK_AND_ASSIGN(size_t n, reg.ReadForMap(buf, sizeof(buf), 6));
  EXPECT_EQ(std::string(buf, n), "gofer");
  // Through an open file's GetMappable too.
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDONLY));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mm::Mappable> m, file->GetMappable());
  ASSERT_OK_AND_ASSIGN(n, m->ReadForMap(buf, 5, 0));
  EXPECT_EQ(std::string(buf, n), "hello");
}

TEST_F(GoferFsTest, ReadWriteThroughGuestMemory) {
  Start();
  MakeMemory();
  auto f = Lookup(root(), "file.txt");
  ASSERT_NE(f, nullptr);
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDWR));
  ASSERT_OK_AND_ASSIGN(size_t n, file->Read(*mm_, {{mm::UserAddr(buf_), 5}}, -1));
  ASSERT_EQ(n, 5u);
  char got[16] = {};
  ASSERT_TRUE(mm_->CopyIn(mm::UserAddr(buf_), got, 5).ok());
  EXPECT_EQ(std::string(got, 5), "hello");

  const std::string data = " WORLD, longer now";
  ASSERT_TRUE(mm_->CopyOut(mm::UserAddr(buf_ + 100), data.data(), data.size()).ok());
  ASSERT_OK_AND_ASSIGN(n, file->Write(*mm_, {{mm::UserAddr(buf_ + 100), data.size()}}, -1));
  EXPECT_EQ(n, data.size());
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello WORLD, longer now");
  // The inode's attributes follow the write; so does the open file's Stat.
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, f->Stat());
  EXPECT_EQ(st.st_size, 23);
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat fst, file->Stat());
  EXPECT_EQ(fst.st_size, 23);
  EXPECT_EQ(fst.st_dev, fs_->dev());
  EXPECT_EQ(fst.st_ino, st.st_ino);

  // pread at an offset; SEEK_END.
  ASSERT_OK_AND_ASSIGN(n, file->Read(*mm_, {{mm::UserAddr(buf_), 5}}, 6));
  ASSERT_TRUE(mm_->CopyIn(mm::UserAddr(buf_), got, 5).ok());
  EXPECT_EQ(std::string(got, 5), "WORLD");
  ASSERT_OK_AND_ASSIGN(int64_t pos, file->Seek(0, SEEK_END));
  EXPECT_EQ(pos, 23);

  // A read-only description refuses writes; O_APPEND set later appends.
  ASSERT_OK_AND_ASSIGN(auto ro, f->Open(ctx_, O_RDONLY));
  EXPECT_EQ(ErrnoOf(ro->Write(*mm_, {{mm::UserAddr(buf_), 1}}, -1)), EBADF);
  ASSERT_OK_AND_ASSIGN(auto wr, f->Open(ctx_, O_WRONLY));
  EXPECT_EQ(ErrnoOf(wr->Read(*mm_, {{mm::UserAddr(buf_), 1}}, -1)), EBADF);
  wr->set_status_flags(O_APPEND);
  ASSERT_TRUE(mm_->CopyOut(mm::UserAddr(buf_), "!", 1).ok());
  ASSERT_OK_AND_ASSIGN(n, wr->Write(*mm_, {{mm::UserAddr(buf_), 1}}, -1));
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello WORLD, longer now!");
}

// The sentry's own reads and writes (sendfile(2), copy_file_range(2)) on the donated fd.
TEST_F(GoferFsTest, InternalReadWrite) {
  Start();
  auto f = Lookup(root(), "file.txt");
  ASSERT_NE(f, nullptr);
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat before, f->Stat());  // cached
  ASSERT_EQ(before.st_size, 11);
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDWR));
  char buf[64] = {};
  ASSERT_OK_AND_ASSIGN(size_t n, file->ReadInternal(buf, 5, -1));
  EXPECT_EQ(std::string(buf, n), "hello");
  ASSERT_OK_AND_ASSIGN(n, file->ReadInternal(buf, 5, 6));  // pread: the position stays
  EXPECT_EQ(std::string(buf, n), "gofer");
  ASSERT_OK_AND_ASSIGN(int64_t pos, file->Seek(0, SEEK_CUR));
  EXPECT_EQ(pos, 5);
  ASSERT_OK_AND_ASSIGN(n, file->WriteInternal(" GOFER, more", 12, -1));
  EXPECT_EQ(n, 12u);
  ASSERT_OK_AND_ASSIGN(pos, file->Seek(0, SEEK_CUR));
  EXPECT_EQ(pos, 17);
  ASSERT_OK_AND_ASSIGN(n, file->ReadInternal(buf, sizeof(buf), -1));
  EXPECT_EQ(n, 0u);                                         // EOF
  ASSERT_OK_AND_ASSIGN(n, file->WriteInternal("H", 1, 0));  // pwrite
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "Hello GOFER, more");
  // The write marked the inode's cached attributes stale.
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat after, f->Stat());
  EXPECT_EQ(after.st_size, 17);

  // Access modes; O_APPEND set later (F_SETFL) appends, even for a positioned write.
  ASSERT_OK_AND_ASSIGN(auto ro, f->Open(ctx_, O_RDONLY));
  EXPECT_EQ(ErrnoOf(ro->WriteInternal("x", 1, -1)), EBADF);
  ASSERT_OK_AND_ASSIGN(auto wr, f->Open(ctx_, O_WRONLY));
  EXPECT_EQ(ErrnoOf(wr->ReadInternal(buf, 1, -1)), EBADF);
  wr->set_status_flags(O_APPEND);
  ASSERT_OK_AND_ASSIGN(n, wr->WriteInternal("!", 1, -1));
  ASSERT_OK_AND_ASSIGN(n, wr->WriteInternal("?", 1, 0));
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "Hello GOFER, more!?");
  ASSERT_OK_AND_ASSIGN(after, f->Stat());
  EXPECT_EQ(after.st_size, 19);
}

TEST_F(GoferFsTest, CreateOpenTruncateAllocate) {
  Start();
  ASSERT_OK_AND_ASSIGN(auto in, root().Create(ctx_, "new.txt", {.mode = S_IFREG | 0640}));
  ASSERT_TRUE(in->is_regular());
  struct stat host;
  ASSERT_EQ(stat((root_ + "/new.txt").c_str(), &host), 0);
  EXPECT_EQ(host.st_mode & 07777, 0640u);
  EXPECT_EQ(ErrnoOf(root().Create(ctx_, "new.txt", {.mode = S_IFREG | 0640})), EEXIST);

  ASSERT_OK_AND_ASSIGN(auto file, in->Open(ctx_, O_WRONLY));
  auto* gf = dynamic_cast<GoferFile*>(file.get());
  ASSERT_NE(gf, nullptr);
  ASSERT_EQ(write(gf->host_fd(), "0123456789", 10), 10);
  EXPECT_EQ(ReadFile(root_ + "/new.txt"), "0123456789");
  ASSERT_TRUE(file->Truncate(4).ok());
  EXPECT_EQ(ReadFile(root_ + "/new.txt"), "0123");
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, in->Stat());
  EXPECT_EQ(st.st_size, 4);
  EXPECT_EQ(static_cast<GoferRegularInode&>(*in).MappableSize(), 4u);
  ASSERT_TRUE(file->Allocate(0, 0, 8192).ok());
  ASSERT_OK_AND_ASSIGN(st, file->Stat());
  EXPECT_EQ(st.st_size, 8192);
  EXPECT_TRUE(file->Sync().ok());
  ASSERT_OK_AND_ASSIGN(int64_t data, file->Seek(0, SEEK_DATA));
  EXPECT_EQ(data, 0);

  // The parent's mtime moved with the new entry.
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat rs, root().Stat());
  ASSERT_EQ(stat(root_.c_str(), &host), 0);
  EXPECT_EQ(rs.st_mtim.tv_sec, host.st_mtim.tv_sec);
  EXPECT_EQ(rs.st_mtim.tv_nsec, host.st_mtim.tv_nsec);
}

TEST_F(GoferFsTest, MkdirMknodAndDevices) {
  Start();
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat before, root().Stat());
  ASSERT_OK_AND_ASSIGN(auto d, root().Create(ctx_, "sub", {.mode = S_IFDIR | 0750}));
  EXPECT_TRUE(d->is_dir());
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat after, root().Stat());
  EXPECT_EQ(after.st_nlink, before.st_nlink + 1);
  ASSERT_OK_AND_ASSIGN(auto fifo, d->Create(ctx_, "p", {.mode = S_IFIFO | 0600}));
  EXPECT_EQ(fifo->type(), static_cast<uint32_t>(S_IFIFO));
  ASSERT_OK_AND_ASSIGN(auto sock, d->Create(ctx_, "s", {.mode = S_IFSOCK | 0600}));
  EXPECT_EQ(sock->type(), static_cast<uint32_t>(S_IFSOCK));
  EXPECT_EQ(ErrnoOf(sock->Open(ctx_, O_RDONLY)), ENXIO);
  EXPECT_EQ(ErrnoOf(d->Create(ctx_, "null", {.mode = S_IFCHR | 0666, .rdev = vfs::MakeDev(1, 3)})),
            EPERM);
  struct stat host;
  ASSERT_EQ(lstat((root_ + "/sub/p").c_str(), &host), 0);
  EXPECT_TRUE(S_ISFIFO(host.st_mode));
  ASSERT_EQ(lstat((root_ + "/sub/s").c_str(), &host), 0);
  EXPECT_TRUE(S_ISSOCK(host.st_mode));
}

TEST_F(GoferFsTest, ReadDir) {
  Start();
  auto dir = Lookup(root(), "dir");
  ASSERT_NE(dir, nullptr);
  for (int i = 0; i < 1500; ++i) {
    ASSERT_TRUE(WriteFile(root_ + "/dir/f" + std::to_string(i), ""));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<vfs::Dirent> ents, dir->ReadDir(ctx_));
  EXPECT_EQ(ents.size(), 1501u);
  ASSERT_OK_AND_ASSIGN(ents, root().ReadDir(ctx_));
  std::map<std::string, vfs::Dirent> by_name;
  for (auto& e : ents) by_name[e.name] = e;
  ASSERT_EQ(by_name.size(), 4u);
  EXPECT_EQ(by_name.count("."), 0u);
  EXPECT_EQ(by_name["dir"].type, DT_DIR);
  EXPECT_EQ(by_name["file.txt"].type, DT_REG);
  EXPECT_EQ(by_name["link"].type, DT_LNK);
  EXPECT_EQ(by_name["fifo"].type, DT_FIFO);
  struct stat host;
  ASSERT_EQ(stat((root_ + "/file.txt").c_str(), &host), 0);
  EXPECT_EQ(by_name["file.txt"].ino, host.st_ino);
  auto f = Lookup(root(), "file.txt");
  EXPECT_EQ(ErrnoOf(f->ReadDir(ctx_)), ENOTDIR);
}

TEST_F(GoferFsTest, OpenByType) {
  Start();
  ASSERT_OK_AND_ASSIGN(auto d, Lookup(root(), "dir")->Open(ctx_, O_RDONLY));
  EXPECT_NE(d, nullptr);
  EXPECT_EQ(ErrnoOf(Lookup(root(), "dir")->Open(ctx_, O_RDWR)), EISDIR);
  EXPECT_EQ(ErrnoOf(Lookup(root(), "link")->Open(ctx_, O_RDONLY)), ELOOP);
  // FIFOs are the sentry's own pipes: a non-blocking writer with no reader gets ENXIO; a
  // reader and a writer of one inode share a pipe.
  auto fifo = Lookup(root(), "fifo");
  ASSERT_NE(fifo, nullptr);
  EXPECT_EQ(ErrnoOf(fifo->Open(ctx_, O_WRONLY | O_NONBLOCK)), ENXIO);
  ASSERT_OK_AND_ASSIGN(auto r, fifo->Open(ctx_, O_RDONLY | O_NONBLOCK));
  ASSERT_OK_AND_ASSIGN(auto w, fifo->Open(ctx_, O_WRONLY | O_NONBLOCK));
  EXPECT_TRUE(r->is_pipe());
  EXPECT_TRUE(w->is_pipe());
}

TEST_F(GoferFsTest, RenameUnlinkRmdir) {
  Start();
  auto f = Lookup(root(), "file.txt");
  auto dir = Lookup(root(), "dir");
  ASSERT_NE(f, nullptr);
  ASSERT_NE(dir, nullptr);
  ASSERT_TRUE(root().Rename(ctx_, "file.txt", *f, *dir, "moved.txt", nullptr, 0).ok());
  EXPECT_EQ(ReadFile(root_ + "/dir/moved.txt"), "hello gofer");
  EXPECT_EQ(access((root_ + "/file.txt").c_str(), F_OK), -1);
  EXPECT_EQ(static_cast<GoferRegularInode&>(*f).MapName(), "/dir/moved.txt");
  // The handle still works after the rename (the gofer tracks the new name).
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDONLY));
  EXPECT_EQ(MapAll(static_cast<GoferRegularInode&>(*f)), "hello gofer");

  auto a = Lookup(*dir, "a.txt");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(ErrnoOf(dir->Rename(ctx_, "moved.txt", *f, *dir, "a.txt", a.get(),
                                abi_linux::kRENAME_NOREPLACE)),
            EEXIST);
  ASSERT_TRUE(
      dir->Rename(ctx_, "moved.txt", *f, *dir, "a.txt", a.get(), abi_linux::kRENAME_EXCHANGE).ok());
  EXPECT_EQ(ReadFile(root_ + "/dir/a.txt"), "hello gofer");
  EXPECT_EQ(ReadFile(root_ + "/dir/moved.txt"), "a");
  EXPECT_EQ(static_cast<GoferRegularInode&>(*a).MapName(), "/dir/moved.txt");

  EXPECT_EQ(ErrnoOf(root().Rmdir(ctx_, "dir", *dir)), ENOTEMPTY);
  ASSERT_TRUE(dir->Unlink(ctx_, "a.txt", *f).ok());
  ASSERT_TRUE(dir->Unlink(ctx_, "moved.txt", *a).ok());
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, f->Stat());
  EXPECT_EQ(st.st_nlink, 0u);
  EXPECT_EQ(ErrnoOf(dir->Unlink(ctx_, "a.txt", *f)), ENOENT);
  ASSERT_TRUE(root().Rmdir(ctx_, "dir", *dir).ok());
  EXPECT_EQ(access((root_ + "/dir").c_str(), F_OK), -1);
  // The open file still reads (unlinked but open, as on Linux).
  auto* gf = dynamic_cast<GoferFile*>(file.get());
  ASSERT_NE(gf, nullptr);
  char buf[5];
  EXPECT_EQ(pread(gf->host_fd(), buf, 5, 0), 5);
}

TEST_F(GoferFsTest, SymlinkAndLink) {
  Start();
  ASSERT_OK_AND_ASSIGN(auto l, root().Symlink(ctx_, "sl", "dir/a.txt", 0, 0));
  EXPECT_TRUE(l->is_symlink());
  ASSERT_OK_AND_ASSIGN(std::string t, l->Readlink(ctx_));
  EXPECT_EQ(t, "dir/a.txt");
  char buf[64] = {};
  ASSERT_GT(readlink((root_ + "/sl").c_str(), buf, sizeof(buf)), 0);
  EXPECT_STREQ(buf, "dir/a.txt");
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat lst, l->Stat());
  EXPECT_EQ(lst.st_mode & S_IFMT, static_cast<uint32_t>(S_IFLNK));

  auto f = Lookup(root(), "file.txt");
  ASSERT_TRUE(root().Link(ctx_, "hard", f).ok());
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, f->Stat());
  EXPECT_EQ(st.st_nlink, 2u);
  EXPECT_EQ(ReadFile(root_ + "/hard"), "hello gofer");
  EXPECT_EQ(ErrnoOf(root().Link(ctx_, "hard2", Lookup(root(), "dir"))), EPERM);
  EXPECT_EQ(ErrnoOf(root().Link(ctx_, "hard", f)), EEXIST);
}

TEST_F(GoferFsTest, SetAttr) {
  Start();
  auto f = Lookup(root(), "file.txt");
  vfs::SetAttrArgs args;
  args.mask = vfs::SetAttrArgs::kMode | vfs::SetAttrArgs::kSize | vfs::SetAttrArgs::kAtime |
              vfs::SetAttrArgs::kMtime;
  args.mode = 0600;
  args.size = 5;
  args.atime = {1000, 1};
  args.mtime = {2000, 2};
  ASSERT_TRUE(f->SetAttr(ctx_, args).ok());
  struct stat host;
  ASSERT_EQ(stat((root_ + "/file.txt").c_str(), &host), 0);
  EXPECT_EQ(host.st_mode & 07777, 0600u);
  EXPECT_EQ(host.st_size, 5);
  EXPECT_EQ(host.st_mtim.tv_sec, 2000);
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, f->Stat());
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(st.st_size, 5);
  EXPECT_EQ(st.st_atim.tv_sec, 1000);
  EXPECT_EQ(st.st_atim.tv_nsec, 1);
  EXPECT_EQ(st.st_mtim.tv_sec, 2000);

  vfs::SetAttrArgs own;
  own.mask = vfs::SetAttrArgs::kUid | vfs::SetAttrArgs::kGid;
  own.uid = 1234;
  own.gid = 5678;
  ASSERT_TRUE(f->SetAttr(ctx_, own).ok());
  ASSERT_OK_AND_ASSIGN(st, f->Stat());
  EXPECT_EQ(st.st_uid, 1234u);
  EXPECT_EQ(st.st_gid, 5678u);

  vfs::SetAttrArgs trunc_dir;
  trunc_dir.mask = vfs::SetAttrArgs::kSize;
  EXPECT_EQ(ErrnoOf(Lookup(root(), "dir")->SetAttr(ctx_, trunc_dir)), EISDIR);
}

TEST_F(GoferFsTest, Xattrs) {
  if (setxattr((root_ + "/file.txt").c_str(), "user.probe", "x", 1, 0) != 0) {
    GTEST_SKIP() << "the host file system has no user xattrs: " << strerror(errno);
  }
  ASSERT_EQ(removexattr((root_ + "/file.txt").c_str(), "user.probe"), 0);
  Start();
  auto f = Lookup(root(), "file.txt");
  ASSERT_TRUE(f->SetXattr(ctx_, "user.k", "value", 0).ok());
  ASSERT_OK_AND_ASSIGN(std::string v, f->GetXattr(ctx_, "user.k"));
  EXPECT_EQ(v, "value");
  EXPECT_EQ(ErrnoOf(f->SetXattr(ctx_, "user.k", "v2", XATTR_CREATE)), EEXIST);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> names, f->ListXattr(ctx_));
  EXPECT_NE(std::find(names.begin(), names.end(), "user.k"), names.end());
  ASSERT_TRUE(f->RemoveXattr(ctx_, "user.k").ok());
  EXPECT_EQ(ErrnoOf(f->GetXattr(ctx_, "user.k")), ENODATA);
  char buf[16];
  EXPECT_EQ(getxattr((root_ + "/file.txt").c_str(), "user.k", buf, sizeof(buf)), -1);
}

TEST_F(GoferFsTest, Statfs) {
  Start();
  ASSERT_OK_AND_ASSIGN(vfs::StatFs s, fs_->Statfs());
  EXPECT_GT(s.bsize, 0u);
  EXPECT_EQ(s.namelen, 255u);
  EXPECT_EQ(fs_->type(), "9p");
}

TEST_F(GoferFsTest, ReadOnly) {
  Start(/*read_only=*/true);
  auto f = Lookup(root(), "file.txt");
  auto dir = Lookup(root(), "dir");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(ErrnoOf(root().Create(ctx_, "n", {.mode = S_IFREG | 0644})), EROFS);
  EXPECT_EQ(ErrnoOf(root().Create(ctx_, "n", {.mode = S_IFDIR | 0755})), EROFS);
  EXPECT_EQ(ErrnoOf(root().Symlink(ctx_, "n", "x", 0, 0)), EROFS);
  EXPECT_EQ(ErrnoOf(root().Link(ctx_, "n", f)), EROFS);
  EXPECT_EQ(ErrnoOf(root().Unlink(ctx_, "file.txt", *f)), EROFS);
  EXPECT_EQ(ErrnoOf(root().Rmdir(ctx_, "dir", *dir)), EROFS);
  EXPECT_EQ(ErrnoOf(root().Rename(ctx_, "file.txt", *f, root(), "x", nullptr, 0)), EROFS);
  vfs::SetAttrArgs args;
  args.mask = vfs::SetAttrArgs::kMode;
  args.mode = 0777;
  EXPECT_EQ(ErrnoOf(f->SetAttr(ctx_, args)), EROFS);
  EXPECT_EQ(ErrnoOf(f->SetXattr(ctx_, "user.k", "v", 0)), EROFS);
  EXPECT_EQ(ErrnoOf(f->RemoveXattr(ctx_, "user.k")), EROFS);
  EXPECT_EQ(ErrnoOf(f->Open(ctx_, O_RDWR)), EROFS);
  EXPECT_EQ(ErrnoOf(f->Open(ctx_, O_WRONLY)), EROFS);
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDONLY));
  EXPECT_EQ(MapAll(static_cast<GoferRegularInode&>(*f)), "hello gofer");
  ASSERT_OK_AND_ASSIGN(vfs::StatFs s, fs_->Statfs());
  EXPECT_NE(s.flags & 1, 0u);  // ST_RDONLY.
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello gofer");
}

TEST_F(GoferFsTest, DeadGoferAnswersEio) {
  Start();
  auto f = Lookup(root(), "file.txt");
  ASSERT_NE(f, nullptr);
  auto dir = Lookup(root(), "dir");
  ASSERT_OK_AND_ASSIGN(auto open_file, f->Open(ctx_, O_RDONLY));
  // Make an attribute refresh necessary, then kill the gofer.
  static_cast<GoferInode&>(*f).MarkStale();
  ASSERT_EQ(shutdown(server_sock_.get(), SHUT_RDWR), 0);
  thread_.join();
  EXPECT_EQ(ErrnoOf(root().Lookup(ctx_, "dir")), EIO);
  EXPECT_EQ(ErrnoOf(f->Stat()), EIO);
  EXPECT_EQ(ErrnoOf(root().ReadDir(ctx_)), EIO);
  EXPECT_EQ(ErrnoOf(root().Create(ctx_, "n", {.mode = S_IFREG | 0644})), EIO);
  EXPECT_EQ(ErrnoOf(root().Unlink(ctx_, "file.txt", *f)), EIO);
  EXPECT_EQ(ErrnoOf(f->Open(ctx_, O_RDONLY)), EIO);
  EXPECT_EQ(ErrnoOf(fs_->Statfs()), EIO);
  EXPECT_EQ(ErrnoOf(fs_->Root()), EIO);
  // Already open files keep working on their host fds.
  ASSERT_OK_AND_ASSIGN(abi_linux::Stat st, open_file->Stat());
  EXPECT_EQ(st.st_size, 11);
  char buf[11];
  auto* gf = dynamic_cast<GoferFile*>(open_file.get());
  ASSERT_NE(gf, nullptr);
  EXPECT_EQ(pread(gf->host_fd(), buf, sizeof(buf), 0), 11);
  // Mappings cannot open their fd any more: they fail, without crashing.
  EXPECT_EQ(ErrnoOf(static_cast<GoferRegularInode&>(*f).ReadForMap(buf, 1, 0)), EIO);
  EXPECT_EQ(static_cast<GoferRegularInode&>(*f).MappableSize(), 0u);
}

TEST_F(GoferFsTest, HandlesAreClosedWithTheirInodes) {
  Start();
  // Many lookups of inodes that are dropped straight away must not pile up handles (the
  // gofer's fds): Close goes out as each inode dies. The gofer would run out of fds long
  // before 20000 otherwise only with a low limit, so check the fd count of this process
  // (the gofer is a thread here).
  auto count = [] {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
      ++n;
    }
    return n;
  };
  { auto warm = Lookup(root(), "file.txt"); }
  int before = count();
  for (int i = 0; i < 200; ++i) {
    auto f = Lookup(root(), "file.txt");
    ASSERT_NE(f, nullptr);
  }
  EXPECT_EQ(count(), before);
}

}  // namespace
}  // namespace sentry::fsimpl::gofer

namespace sentry::fsimpl::gofer {
namespace {

std::string PageText(mm::MemoryFile& mf, uint64_t page, size_t n) {
  return std::string(reinterpret_cast<const char*>(mf.Access(page)), n);
}

TEST_F(GoferFsTest, SharedPagesCacheTheFile) {
  Start(/*read_only=*/false, /*shared_pages=*/true);
  auto f = Lookup(root(), "file.txt");
  ASSERT_NE(f, nullptr);
  auto& reg = static_cast<GoferRegularInode&>(*f);
  EXPECT_TRUE(reg.CanMapShared());

  // The page holds the file's contents, zeros after them; past the end there is no page.
  ASSERT_OK_AND_ASSIGN(uint64_t page, reg.SharedPage(0));
  EXPECT_EQ(PageText(*mf_, page, 11), "hello gofer");
  EXPECT_EQ(mf_->Access(page)[11], 0);
  EXPECT_EQ(mf_->Access(page)[4095], 0);
  EXPECT_EQ(ErrnoOf(reg.SharedPage(4096)), EFAULT);
  EXPECT_EQ(reg.cached_pages(), 1u);
  // The same page again (another reference).
  ASSERT_OK_AND_ASSIGN(uint64_t again, reg.SharedPage(100));
  EXPECT_EQ(again, page);
  mf_->DecRef(again, mm::kPageSize);

  // A store through the "mapping" reaches the host file on fsync.
  std::memcpy(mf_->Access(page), "HELLO", 5);
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello gofer");
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDWR));
  ASSERT_TRUE(file->Sync().ok());
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "HELLO gofer");
  EXPECT_EQ(reg.cached_pages(), 1u);  // Still mapped: kept.

  // write(2) through the file shows in the page.
  ASSERT_OK_AND_ASSIGN(size_t n, file->WriteInternal("GOFER", 5, 6));
  EXPECT_EQ(n, 5u);
  EXPECT_EQ(PageText(*mf_, page, 11), "HELLO GOFER");
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "HELLO GOFER");

  // read(2) sees stores not yet written back; so do private mappings.
  mf_->Access(page)[0] = 'J';
  char buf[64] = {};
  ASSERT_OK_AND_ASSIGN(n, file->ReadInternal(buf, sizeof(buf), 0));
  EXPECT_EQ(std::string(buf, n), "JELLO GOFER");
  mf_->Access(page)[1] = 'Z';
  EXPECT_EQ(MapAll(reg), "JZLLO GOFER");
  ASSERT_OK_AND_ASSIGN(n, file->ReadInternal(buf, sizeof(buf), 0));
  EXPECT_EQ(std::string(buf, n), "JZLLO GOFER");
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "JZLLO GOFER");

  // Stores past the end of the file are not written back, and read as zeros once a write (or a
  // truncation) grows the file over them.
  mf_->Access(page)[20] = 'x';
  ASSERT_TRUE(file->Sync().ok());
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "JZLLO GOFER");
  ASSERT_OK_AND_ASSIGN(n, file->WriteInternal("!", 1, 30));
  EXPECT_EQ(mf_->Access(page)[20], 0);
  EXPECT_EQ(mf_->Access(page)[30], '!');
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), std::string("JZLLO GOFER") + std::string(19, '\0') + "!");

  // Truncation zeroes the cut bytes of a kept page and drops pages past the end (the mapping's
  // reference keeps the page itself).
  ASSERT_TRUE(file->Truncate(3).ok());
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "JZL");
  EXPECT_EQ(PageText(*mf_, page, 4), std::string("JZL") + '\0');
  EXPECT_EQ(mf_->Access(page)[30], 0);
  EXPECT_EQ(reg.cached_pages(), 1u);
  ASSERT_TRUE(file->Truncate(0).ok());
  EXPECT_EQ(reg.cached_pages(), 0u);
  EXPECT_EQ(ErrnoOf(reg.SharedPage(0)), EFAULT);
  mf_->Access(page)[0] = 'Q';  // The old page, no longer the file's.
  ASSERT_OK_AND_ASSIGN(n, file->WriteInternal("new", 3, 0));
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "new");
  mf_->DecRef(page, mm::kPageSize);

  // Truncation through SetAttr (truncate(2), O_TRUNC) too.
  ASSERT_OK_AND_ASSIGN(page, reg.SharedPage(0));
  EXPECT_EQ(PageText(*mf_, page, 3), "new");
  vfs::SetAttrArgs args;
  args.mask = vfs::SetAttrArgs::kSize;
  args.size = 1;
  ASSERT_TRUE(f->SetAttr(ctx_, args).ok());
  EXPECT_EQ(PageText(*mf_, page, 3), std::string("n") + '\0' + '\0');
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "n");

  // Once no mapping holds a page, closing a file of the inode writes it back and drops it.
  mf_->Access(page)[0] = 'N';
  mf_->DecRef(page, mm::kPageSize);
  EXPECT_EQ(reg.cached_pages(), 1u);
  file.reset();
  EXPECT_EQ(reg.cached_pages(), 0u);
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "N");
  EXPECT_EQ(mf_->AllocatedBytes(), 0u);
}

// Stores through a shared mapping made by the memory manager, read back with read(2).
TEST_F(GoferFsTest, SharedMappingThroughMemoryManager) {
  Start(/*read_only=*/false, /*shared_pages=*/true);
  MakeMemory();
  ASSERT_TRUE(WriteFile(root_ + "/big", std::string(5000, 'a')));
  auto f = Lookup(root(), "big");
  ASSERT_NE(f, nullptr);
  ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDWR));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<mm::Mappable> m, file->GetMappable());
  mm::MMapOpts o;
  o.length = 3 * 4096;
  o.prot = PROT_READ | PROT_WRITE;
  o.shared = true;
  o.mappable = m;
  ASSERT_OK_AND_ASSIGN(uint64_t addr, mm_->MMap(o));
  ASSERT_TRUE(mm_->CopyOut(mm::UserAddr(addr + 4094), "XYZ", 3).ok());
  char got[8] = {};
  ASSERT_TRUE(mm_->CopyIn(mm::UserAddr(addr + 4094), got, 3).ok());
  EXPECT_EQ(std::string(got, 3), "XYZ");
  // Past the end of the file's last page: no page (SIGBUS for the guest).
  EXPECT_FALSE(mm_->CopyIn(mm::UserAddr(addr + 8192 + 10), got, 1).ok());
  // write(2) shows through the mapping.
  ASSERT_TRUE(file->WriteInternal("W", 1, 10).ok());
  ASSERT_TRUE(mm_->CopyIn(mm::UserAddr(addr + 9), got, 3).ok());
  EXPECT_EQ(std::string(got, 3), "aWa");
  ASSERT_TRUE(mm_->MUnmap(addr, 3 * 4096).ok());
  m.reset();

  // read(2) into guest memory sees the stores.
  ASSERT_OK_AND_ASSIGN(size_t n, file->Read(*mm_, {{mm::UserAddr(buf_), 4}}, 4093));
  ASSERT_EQ(n, 4u);
  ASSERT_TRUE(mm_->CopyIn(mm::UserAddr(buf_), got, 4).ok());
  EXPECT_EQ(std::string(got, 4), "aXYZ");
  std::string host = ReadFile(root_ + "/big");
  ASSERT_EQ(host.size(), 5000u);
  EXPECT_EQ(host.substr(4093, 4), "aXYZ");
  EXPECT_EQ(host.substr(9, 3), "aWa");
  file.reset();
  auto& reg = static_cast<GoferRegularInode&>(*f);
  EXPECT_EQ(reg.cached_pages(), 0u);
  mm_.reset();
}

// The inode writes back its pages when it goes; read-only file systems never write.
TEST_F(GoferFsTest, SharedPagesWrittenBackWhenInodeGoes) {
  Start(/*read_only=*/false, /*shared_pages=*/true);
  {
    auto f = Lookup(root(), "file.txt");
    ASSERT_NE(f, nullptr);
    ASSERT_OK_AND_ASSIGN(uint64_t page, static_cast<GoferRegularInode&>(*f).SharedPage(0));
    std::memcpy(mf_->Access(page) + 6, "GOPHER", 6);  // Past the end: only "GOPHE" fits.
    mf_->DecRef(page, mm::kPageSize);
  }
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello GOPHE");
  EXPECT_EQ(mf_->AllocatedBytes(), 0u);
}

TEST_F(GoferFsTest, SharedPagesOnReadOnlyFilesystem) {
  Start(/*read_only=*/true, /*shared_pages=*/true);
  {
    auto f = Lookup(root(), "file.txt");
    ASSERT_NE(f, nullptr);
    auto& reg = static_cast<GoferRegularInode&>(*f);
    EXPECT_TRUE(reg.CanMapShared());
    ASSERT_OK_AND_ASSIGN(uint64_t page, reg.SharedPage(0));
    EXPECT_EQ(PageText(*mf_, page, 11), "hello gofer");
    ASSERT_OK_AND_ASSIGN(auto file, f->Open(ctx_, O_RDONLY));
    mf_->Access(page)[0] = 'J';
    char buf[16] = {};
    ASSERT_OK_AND_ASSIGN(size_t n, file->ReadInternal(buf, sizeof(buf), 0));
    EXPECT_EQ(std::string(buf, n), "hello gofer");
    EXPECT_TRUE(file->Sync().ok());
    mf_->DecRef(page, mm::kPageSize);
  }
  EXPECT_EQ(ReadFile(root_ + "/file.txt"), "hello gofer");
  EXPECT_EQ(mf_->AllocatedBytes(), 0u);
}

}  // namespace
}  // namespace sentry::fsimpl::gofer
