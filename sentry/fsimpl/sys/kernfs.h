// Building blocks for the sentry's synthetic file systems (devfs, sysfs,
// procfs), after Linux's kernfs: directories of fixed or generated
// children, files whose text is generated, and symlinks (plain or magic).
//
// A regular file's text is produced when it is opened (or, for files whose
// text needs the Vfs, on the first read: Inode::Open runs with the Vfs lock
// held); reads and seeks are then served from that snapshot.
//
//   auto root = std::make_shared<kernfs::Dir>(fs, 0555);
//   root->Add("online", kernfs::File::Static(fs, 0444, "0-7\n"));
//   root->Add("hostname", std::make_shared<kernfs::File>(
//       fs, 0444, kernfs::Eager([&](vfs::Context&) -> ErrnoOr<std::string> {
//         return name + "\n";
//       })));
//   root->Add("fd", std::make_shared<kernfs::Symlink>(fs, "/proc/self/fd"));
//
// Locking: each node's mu_ is a leaf.
#ifndef SENTRY_FSIMPL_SYS_KERNFS_H_
#define SENTRY_FSIMPL_SYS_KERNFS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"
#include "sentry/vfs/vfs.h"
#include "util/errno.h"

namespace sentry::fsimpl::kernfs {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

// Produces a file's text.
using TextFn = std::function<ErrnoOr<std::string>()>;
// Consumes one write(2) to a file (the bytes written).
using WriteFn = std::function<ErrnoOrVoid(std::string_view)>;

// CLOCK_REALTIME now.
abi_linux::Timespec Now();
// The DT_* type of an S_IF* file type.
uint8_t DirentType(uint32_t type);
// A directory entry for `inode` (its inode number from Stat).
vfs::Dirent DirentFor(const std::string& name, vfs::Inode& inode);

// What every node has: a mode, an owner, an inode number and times.
class Node : public vfs::Inode {
 public:
  // ino 0: a fresh number from fs.
  Node(vfs::Filesystem& fs, uint32_t mode, uint64_t ino = 0);

  ErrnoOr<abi_linux::Stat> Stat() override;
  // Changing mode or owner: EPERM unless set_attrs_settable (devfs); size
  // and time changes are accepted and ignored (O_TRUNC on a proc file).
  ErrnoOrVoid SetAttr(vfs::Context& ctx, const vfs::SetAttrArgs& args) override;

  uint64_t ino() const { return ino_; }
  // Files whose attributes chmod/chown/utimes change (devfs's nodes).
  void set_attrs_settable(bool on) { settable_ = on; }
  void set_owner(uint32_t uid, uint32_t gid);

 protected:
  // The owner (procfs's per-process nodes answer the process's).
  virtual std::pair<uint32_t, uint32_t> Owner();
  virtual uint64_t Nlink() { return 1; }
  virtual int64_t Size() { return 0; }
  virtual uint64_t Rdev() { return 0; }
  void Touch(bool mtime);  // updates ctime (and mtime)

 private:
  const uint64_t ino_;
  bool settable_ = false;
  absl::Mutex mu_;
  uint32_t mode_ ABSL_GUARDED_BY(mu_);  // type and permission bits
  uint32_t uid_ ABSL_GUARDED_BY(mu_) = 0, gid_ ABSL_GUARDED_BY(mu_) = 0;
  abi_linux::Timespec atime_ ABSL_GUARDED_BY(mu_), mtime_ ABSL_GUARDED_BY(mu_),
      ctime_ ABSL_GUARDED_BY(mu_);
};

// The open file of a generated file: the text, taken once, then read and
// sought like a small regular file. Writes go to `write` (EINVAL without).
class SnapshotFile : public vfs::FileDescription {
 public:
  SnapshotFile(int flags, TextFn text, WriteFn write)
      : FileDescription(flags), text_fn_(std::move(text)), write_(std::move(write)) {}

  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) override;
  ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t offset) override;
  ErrnoOr<int64_t> Seek(int64_t offset, int whence) override;

  // Writes larger than this are cut to it (one page, as Linux's proc files).
  static constexpr size_t kMaxWrite = 4096;

 private:
  // Generates the text on first use.
  ErrnoOrVoid EnsureText() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  TextFn text_fn_ ABSL_GUARDED_BY(mu_);
  std::optional<std::string> text_ ABSL_GUARDED_BY(mu_);
  int64_t pos_ ABSL_GUARDED_BY(mu_) = 0;
  const WriteFn write_;
};

// A regular file whose text is generated for each open.
class File : public Node {
 public:
  // Called by Open with the Vfs lock held: either computes the text now
  // (see Eager) or returns a generator that runs at the first read.
  using OpenFn = std::function<ErrnoOr<TextFn>(vfs::Context&)>;

  // For files whose writes depend on the writer: makes the WriteFn of a
  // new open file from the opener.
  using WriteBinder = std::function<WriteFn(vfs::Context&)>;

  File(vfs::Filesystem& fs, uint32_t mode, OpenFn open, WriteFn write = nullptr, uint64_t ino = 0)
      : Node(fs, 0100000 | mode, ino), open_(std::move(open)), write_(std::move(write)) {}
  File(vfs::Filesystem& fs, uint32_t mode, OpenFn open, WriteBinder bind_write, uint64_t ino = 0)
      : Node(fs, 0100000 | mode, ino), open_(std::move(open)), bind_write_(std::move(bind_write)) {}
  // A file whose text never changes.
  static std::shared_ptr<File> Static(vfs::Filesystem& fs, uint32_t mode, std::string text);

  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

 private:
  const OpenFn open_;
  const WriteFn write_;
  const WriteBinder bind_write_;
};

// An OpenFn that computes the text at open time.
File::OpenFn Eager(std::function<ErrnoOr<std::string>(vfs::Context&)> gen);

// A directory with a fixed set of children (added while building the tree).
class Dir : public Node {
 public:
  Dir(vfs::Filesystem& fs, uint32_t mode, uint64_t ino = 0) : Node(fs, 0040000 | mode, ino) {}

  void Add(const std::string& name, std::shared_ptr<vfs::Inode> child);
  // The directory `path` ("a/b/c") below this one, made as needed (0555).
  std::shared_ptr<Dir> MakeDirs(std::string_view path);

  ErrnoOr<std::shared_ptr<vfs::Inode>> Lookup(vfs::Context& ctx, const std::string& name) override;
  ErrnoOr<std::vector<vfs::Dirent>> ReadDir(vfs::Context& ctx) override;
  ErrnoOr<std::shared_ptr<vfs::FileDescription>> Open(vfs::Context& ctx, int flags) override;

 protected:
  uint64_t Nlink() override;
  // Changes to the set of children, for writable directories (devfs).
  std::shared_ptr<vfs::Inode> Child(const std::string& name);
  void Remove(const std::string& name);
  bool Empty();

 private:
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<vfs::Inode>, std::less<>> children_ ABSL_GUARDED_BY(mu_);
};

// A symbolic link: fixed text, or text (and, for magic links, a place)
// computed per caller.
class Symlink : public Node {
 public:
  using TargetFn = std::function<ErrnoOr<std::string>(vfs::Context&)>;
  using MagicFn = std::function<std::optional<ErrnoOr<vfs::Path>>(vfs::Context&)>;

  Symlink(vfs::Filesystem& fs, std::string target, uint64_t ino = 0);
  Symlink(vfs::Filesystem& fs, TargetFn target, MagicFn magic = nullptr, uint32_t mode = 0777,
          uint64_t ino = 0)
      : Node(fs, 0120000 | mode, ino), target_fn_(std::move(target)), magic_(std::move(magic)) {}

  ErrnoOr<std::string> Readlink(vfs::Context& ctx) override;
  std::optional<ErrnoOr<vfs::Path>> FollowMagic(vfs::Context& ctx) override;

 protected:
  int64_t Size() override { return static_cast<int64_t>(fixed_.size()); }

 private:
  const std::string fixed_;
  const TargetFn target_fn_;
  const MagicFn magic_;
};

}  // namespace sentry::fsimpl::kernfs

#endif  // SENTRY_FSIMPL_SYS_KERNFS_H_
