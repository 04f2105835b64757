// The sentry's virtual file system: inodes (what a file system implements),
// dentries (the cached name tree above them), mounts, and paths.
//
// A file system implements Inode: attributes, directory operations on its own
// children, readlink and open. Everything that involves a path (walking
// components, `..` at mount and root boundaries, symlinks, permission checks,
// which mount a name is on) is done once, here and in resolve.cc, never by a
// file system.
//
//   Path root = ...;                       // the task's root
//   ASSIGN_OR_RETURN_ERRNO(Path p, vfs.Resolve(ctx, {.start = cwd}, "/etc/hostname", 0));
//   ASSIGN_OR_RETURN_ERRNO(auto file, vfs.Open(ctx, {.start = cwd}, "/etc/hostname",
//                                              O_RDONLY, 0));
//
// Locking: Vfs::mu_ (a reader/writer lock) guards the dentry tree (names,
// parents, children) and the mount table. Path operations hold it while they
// call into inodes; inode methods must therefore never call back into Vfs.
// File I/O (FileDescription::Read/Write) does not take it.
#ifndef SENTRY_VFS_VFS_H_
#define SENTRY_VFS_VFS_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/linux/stat.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "sentry/auth/credentials.h"
#include "util/errno.h"

namespace sentry::vfs {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

class Dentry;
class FileDescription;
class Inode;
class Mount;
class Vfs;

// A place in the tree: a dentry as seen through a mount.
struct Path {
  std::shared_ptr<Mount> mount;
  std::shared_ptr<Dentry> dentry;
  bool valid() const { return mount != nullptr && dentry != nullptr; }
  bool operator==(const Path& o) const { return mount == o.mount && dentry == o.dentry; }
};

// Who is asking, and from where: the calling task (or the boot code).
// File systems that depend on the caller (procfs's "self") downcast it to
// kernel::Task with dynamic_cast.
class Context {
 public:
  virtual ~Context() = default;
  virtual auth::Credentials creds() const = 0;
  // The caller's root and working directory.
  virtual Path root() const = 0;
  virtual Path cwd() const = 0;
  virtual uint32_t umask() const = 0;
};

// Access wanted, as in access(2): R_OK, W_OK, X_OK.
inline constexpr int kMayRead = 4, kMayWrite = 2, kMayExec = 1;

// The classic owner/group/other check with CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH as Linux's generic_permission applies them.
ErrnoOrVoid GenericPermission(const auth::Credentials& creds, uint32_t mode, uint32_t uid,
                              uint32_t gid, int may);
// Whether creds is in group gid (fsgid or a supplementary group).
bool InGroup(const auth::Credentials& creds, uint32_t gid);

// One directory entry, as getdents reports it.
struct Dirent {
  std::string name;
  uint64_t ino;
  uint8_t type;  // DT_*
};

// What setattr changes (chmod, chown, truncate, utimensat).
struct SetAttrArgs {
  static constexpr uint32_t kMode = 1, kUid = 2, kGid = 4, kSize = 8, kAtime = 16, kMtime = 32,
                            kCtime = 64;
  // chown(2) was called (even with -1, -1): set-id bits of a non-directory
  // are dropped. Not passed on to file systems.
  static constexpr uint32_t kChown = 128;
  uint32_t mask = 0;
  uint32_t mode = 0;  // permission bits and S_ISUID/S_ISGID/S_ISVTX
  uint32_t uid = 0, gid = 0;
  uint64_t size = 0;
  abi_linux::Timespec atime{}, mtime{};  // already resolved (no UTIME_NOW)
};

// What a new inode is made with.
struct CreateArgs {
  uint32_t mode;  // S_IF* type and permission bits (umask applied)
  uint64_t rdev = 0;
  uint32_t uid = 0, gid = 0;
};

struct StatFs {
  uint64_t type = 0;  // f_type magic
  uint64_t bsize = 4096;
  uint64_t blocks = 0, bfree = 0, bavail = 0, files = 0, ffree = 0;
  uint64_t namelen = 255;
  uint64_t frsize = 4096;
  uint64_t flags = 0;
};

// A mounted file system instance: a device number and a name.
class Filesystem {
 public:
  Filesystem(std::string type, uint64_t dev) : type_(std::move(type)), dev_(dev) {}
  virtual ~Filesystem() = default;
  const std::string& type() const { return type_; }
  uint64_t dev() const { return dev_; }
  virtual ErrnoOr<StatFs> Statfs() { return StatFs{}; }
  // Inode numbers unique within this file system.
  uint64_t NextIno() { return next_ino_.fetch_add(1); }
  // A fresh anonymous device number (minor numbers of major 0, as Linux's
  // get_anon_bdev hands out).
  static uint64_t NewAnonDev();
  // The superblock's read-only state (mount(2) with MS_RDONLY, or a remount
  // without MS_BIND): no mount of this file system may write.
  bool read_only() const { return read_only_.load(); }
  void set_read_only(bool ro) { read_only_.store(ro); }

 private:
  const std::string type_;
  const uint64_t dev_;
  std::atomic<uint64_t> next_ino_{2};
  std::atomic<bool> read_only_{false};
};

// What a file system implements for each file. Methods answer with the
// errno Linux gives; the defaults are those of a file that lacks the
// operation. The VFS has already checked permissions, that names are not
// "." or "..", that they fit NAME_MAX, and that the target does or does
// not exist as the operation needs (from the dentry cache or Lookup).
class Inode : public std::enable_shared_from_this<Inode> {
 public:
  Inode(Filesystem& fs, uint32_t type) : fs_(fs), type_(type) {}
  virtual ~Inode();
  Inode(const Inode&) = delete;
  Inode& operator=(const Inode&) = delete;

  Filesystem& fs() const { return fs_; }
  // S_IFMT bits; a file's type never changes.
  uint32_t type() const { return type_; }
  bool is_dir() const { return type_ == 0040000; }
  bool is_symlink() const { return type_ == 0120000; }
  bool is_regular() const { return type_ == 0100000; }

  virtual ErrnoOr<abi_linux::Stat> Stat() = 0;
  virtual ErrnoOrVoid SetAttr(Context& ctx, const SetAttrArgs& args);
  // May the caller access this file? Default: GenericPermission on Stat().
  virtual ErrnoOrVoid CheckPermission(Context& ctx, int may);

  // ---- Directories ----
  // The child called `name`, or ENOENT.
  virtual ErrnoOr<std::shared_ptr<Inode>> Lookup(Context& ctx, const std::string& name);
  // Whether the VFS may cache this directory's children (and their
  // absence). False for directories whose contents change by themselves
  // (procfs).
  virtual bool CacheChildren() const { return true; }
  // Creates a regular file, directory, fifo, socket or device node
  // (args.mode says which).
  virtual ErrnoOr<std::shared_ptr<Inode>> Create(Context& ctx, const std::string& name,
                                                 const CreateArgs& args);
  virtual ErrnoOr<std::shared_ptr<Inode>> Symlink(Context& ctx, const std::string& name,
                                                  const std::string& target, uint32_t uid,
                                                  uint32_t gid);
  // A new name for `target`, which is on the same file system.
  virtual ErrnoOrVoid Link(Context& ctx, const std::string& name,
                           const std::shared_ptr<Inode>& target);
  // Removes `name` (`child` is the inode it names): a non-directory for
  // Unlink, an empty directory for Rmdir (the file system checks emptiness).
  virtual ErrnoOrVoid Unlink(Context& ctx, const std::string& name, Inode& child);
  virtual ErrnoOrVoid Rmdir(Context& ctx, const std::string& name, Inode& child);
  // Moves `name` to `new_dir`/`new_name` (new_dir is on the same file
  // system). `replaced` is what new_name named before, if anything (already
  // checked compatible); flags are RENAME_NOREPLACE/RENAME_EXCHANGE.
  virtual ErrnoOrVoid Rename(Context& ctx, const std::string& name, Inode& child, Inode& new_dir,
                             const std::string& new_name, Inode* replaced, uint32_t flags);
  // Every entry except "." and "..".
  virtual ErrnoOr<std::vector<Dirent>> ReadDir(Context& ctx);

  // ---- Symlinks ----
  virtual ErrnoOr<std::string> Readlink(Context& ctx);
  // procfs's magic links (/proc/pid/cwd, /proc/pid/fd/N) name a place
  // directly rather than by text: when this answers a path, resolution
  // jumps there.
  virtual std::optional<ErrnoOr<Path>> FollowMagic(Context& ctx);

  // ---- Files ----
  // An open file description for this inode (the VFS has checked access
  // and sets the description's path). O_TRUNC has been applied already.
  virtual ErrnoOr<std::shared_ptr<FileDescription>> Open(Context& ctx, int flags);

  // ---- Extended attributes ----
  virtual ErrnoOr<std::string> GetXattr(Context& ctx, const std::string& name);
  virtual ErrnoOrVoid SetXattr(Context& ctx, const std::string& name, const std::string& value,
                               int flags);
  virtual ErrnoOr<std::vector<std::string>> ListXattr(Context& ctx);
  virtual ErrnoOrVoid RemoveXattr(Context& ctx, const std::string& name);

  // Advisory locks (flock(2) and fcntl record locks) on this file.
  struct LockState* locks();

 private:
  Filesystem& fs_;
  const uint32_t type_;
  absl::Mutex locks_mu_;
  std::shared_ptr<struct LockState> locks_ ABSL_GUARDED_BY(locks_mu_);
};

// A name in the tree: a cache over Inode::Lookup. Dentries stay cached
// while reachable; unlink and rmdir drop them from their parent (open
// files keep theirs, now "deleted").
class Dentry {
 public:
  Dentry(std::shared_ptr<Inode> inode, std::string name, std::shared_ptr<Dentry> parent)
      : inode_(std::move(inode)), name_(std::move(name)), parent_(std::move(parent)) {}
  Dentry(const Dentry&) = delete;
  Dentry& operator=(const Dentry&) = delete;

  const std::shared_ptr<Inode>& inode() const { return inode_; }
  // Name and parent change with rename; read them under Vfs::mu_ (or
  // accept a stale answer, as /proc/pid/fd does).
  std::string name() const;
  std::shared_ptr<Dentry> parent() const;
  bool deleted() const { return deleted_.load(); }
  // For files made without a name (memfd_create, O_TMPFILE).
  void set_deleted() { deleted_ = true; }

 private:
  friend class Vfs;
  const std::shared_ptr<Inode> inode_;
  mutable absl::Mutex mu_;  // leaf: name_ and parent_ for readers without Vfs::mu_
  std::string name_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<Dentry> parent_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> deleted_{false};
  // Guarded by Vfs::mu_: cached children; nullptr records that the name does
  // not exist. Under a directory that does not cache its children, only the
  // dentries leading to a mountpoint (Vfs::PinLocked).
  std::map<std::string, std::shared_ptr<Dentry>, std::less<>> children_;
  int mounts_ = 0;  // mounts whose mountpoint this is
  // O_TMPFILE files: whether linkat(AT_EMPTY_PATH) may give them a name
  // (not with O_EXCL).
  enum class Tmpfile : uint8_t { kNo, kLinkable, kExclusive };
  Tmpfile tmpfile_ = Tmpfile::kNo;
};

// Mount flags (MS_* values, as /proc/pid/mountinfo shows them).
inline constexpr uint32_t kMountReadOnly = 1, kMountNoSuid = 2, kMountNoDev = 4,
                          kMountNoExec = 8;

class Mount {
 public:
  Mount(int id, std::shared_ptr<Filesystem> fs, std::shared_ptr<Dentry> root, uint32_t flags,
        std::string source, std::string options)
      : id_(id), fs_(std::move(fs)), root_(std::move(root)), flags_(flags),
        source_(std::move(source)), options_(std::move(options)) {}
  int id() const { return id_; }
  Filesystem& fs() const { return *fs_; }
  const std::shared_ptr<Dentry>& root() const { return root_; }
  // kMount* flags; a remount changes them (Vfs::SetMountFlags).
  uint32_t flags() const { return flags_.load(); }
  bool read_only() const { return flags() & kMountReadOnly; }
  // A bind mount (Vfs::BindMount): another view of a file system already
  // mounted, whose root may be any directory or file in it.
  bool is_bind() const { return bind_; }
  const std::string& source() const { return source_; }
  const std::string& options() const { return options_; }
  // Where it is mounted: parent mount and dentry (none for the root mount).
  // MS_MOVE changes them: read them under the Vfs lock (Vfs::MountTable).
  const std::shared_ptr<Mount>& parent() const { return parent_; }
  const std::shared_ptr<Dentry>& mountpoint() const { return mountpoint_; }

 private:
  friend class Vfs;
  const int id_;
  const std::shared_ptr<Filesystem> fs_;
  const std::shared_ptr<Dentry> root_;
  std::atomic<uint32_t> flags_;
  const std::string source_, options_;
  bool bind_ = false;  // set before the mount is published
  // Guarded by Vfs::mu_.
  std::shared_ptr<Mount> parent_;
  std::shared_ptr<Dentry> mountpoint_;
  // Unmounted with MNT_DETACH: out of the tree, `..` stops at its root.
  bool detached_ = false;
  // umount2(MNT_EXPIRE) marked it once already.
  bool expiry_mark_ = false;
};

// What umount2(2) asks of Vfs::Unmount.
inline constexpr int kUnmountDetach = 1;  // MNT_DETACH: with its submounts, even if in use
inline constexpr int kUnmountIfIdle = 2;  // EBUSY if an open file, cwd or root is on it
inline constexpr int kUnmountExpire = 4;  // MNT_EXPIRE: mark first (EAGAIN), unmount the second time

// One line of the mount table, read under the Vfs lock.
struct MountRecord {
  std::shared_ptr<Mount> mount;
  int parent_id = 0;     // its own id for the top of a tree
  std::string root;      // the mount's root within its file system ("/" but for bind mounts)
  bool super_read_only = false;  // the file system's "ro" (mountinfo's last field)
};

// Resolution flags (Linux's LOOKUP_* and openat2 RESOLVE_*).
inline constexpr int kFollow = 1;          // follow a final symlink
inline constexpr int kDirectory = 2;       // the result must be a directory
inline constexpr int kEmptyPath = 4;       // "" names the start itself (AT_EMPTY_PATH)
inline constexpr int kBeneath = 8;         // RESOLVE_BENEATH: never above start
inline constexpr int kInRoot = 16;         // RESOLVE_IN_ROOT: start acts as root
inline constexpr int kNoSymlinks = 32;     // RESOLVE_NO_SYMLINKS
inline constexpr int kNoMagicLinks = 64;   // RESOLVE_NO_MAGICLINKS
inline constexpr int kNoXdev = 128;        // RESOLVE_NO_XDEV
inline constexpr int kNoAutomount = 256;   // accepted, nothing to do

// Linux follows at most this many symlinks in one resolution.
inline constexpr int kMaxSymlinks = 40;

// Where a relative path starts: the dirfd's path, or the cwd for AT_FDCWD.
struct Start {
  Path start;
};

// The parent directory of a path and its final component, for operations
// that create or remove a name. `name` is empty for "/" (and "." and ".."
// are reported as such: callers reject them with the errno they need).
struct ParentAndName {
  Path parent;
  std::string name;
  bool trailing_slash = false;
};

class Vfs {
 public:
  Vfs() = default;
  Vfs(const Vfs&) = delete;
  Vfs& operator=(const Vfs&) = delete;

  // ---- Mounts ----
  // The root mount of the (single) mount namespace.
  std::shared_ptr<Mount> SetRoot(std::shared_ptr<Filesystem> fs, std::shared_ptr<Inode> root,
                                 uint32_t flags, std::string source, std::string options);
  Path RootPath() const;
  // A mount tree of its own, attached nowhere (a container's root in a
  // sandbox shared by a pod: its tasks have it as their root, as if in a
  // mount namespace of their own). Listed by Mounts() after the main tree.
  Path NewDetachedRoot(std::shared_ptr<Filesystem> fs, std::shared_ptr<Inode> root,
                       uint32_t flags, std::string source, std::string options);
  // Forgets a detached tree made by NewDetachedRoot (and what is mounted
  // in it): it goes once nothing uses it.
  void DropDetachedRoot(const Path& root);
  // Mounts `root` of `fs` on the directory `at` (which may itself be a
  // mount's root: the new mount stacks on top), or a non-directory `root`
  // on a non-directory `at` (a single file bind-mounted).
  ErrnoOr<std::shared_ptr<Mount>> MountAt(const Path& at, std::shared_ptr<Filesystem> fs,
                                          std::shared_ptr<Inode> root, uint32_t flags,
                                          std::string source, std::string options);
  // Removes the mount whose root root_of_mount is (EINVAL if it is not a
  // mount's root or is a tree's top; EBUSY if something is mounted inside
  // it, unless detaching). `how` is kUnmount* flags.
  ErrnoOrVoid Unmount(const Path& root_of_mount, int how = 0);
  // Every mount, parents before children (for /proc/pid/mounts).
  std::vector<std::shared_ptr<Mount>> Mounts() const;
  // The same, with what /proc/pid/mountinfo needs of each.
  std::vector<MountRecord> MountTable() const;

  // ---- Bind mounts, remounts and moves (mount(2)) ----
  // Shows `source` (a directory or a file) again at `at`: a new mount of
  // source's file system rooted at source, with source's mount flags.
  // With `recursive` (MS_REC) the mounts below source come along. ENOTDIR
  // when one of the two is a directory and the other is not.
  ErrnoOr<std::shared_ptr<Mount>> BindMount(const Path& source, const Path& at, bool recursive);
  // Replaces a mount's kMount* flags (`mount -o remount,bind,ro`). EINVAL
  // unless root_of_mount is a mount's root.
  ErrnoOrVoid SetMountFlags(const Path& root_of_mount, uint32_t flags);
  // MS_MOVE: the mount whose root `from` is, with everything on it, moves
  // to `at`. EINVAL unless from is a mount's root (not a tree's top); ELOOP
  // if `at` is on the mount being moved.
  ErrnoOrVoid MoveMount(const Path& from, const Path& at);
  // Whether p is the root of its mount (what mount(2) needs of a remount
  // or propagation change's target).
  static bool IsMountRoot(const Path& p) { return p.valid() && p.dentry == p.mount->root(); }

  // ---- Resolution ----
  ErrnoOr<Path> Resolve(Context& ctx, const Start& s, std::string_view path, int flags);
  // Resolves all but the last component (following symlinks on the way).
  ErrnoOr<ParentAndName> ResolveParent(Context& ctx, const Start& s, std::string_view path,
                                       int flags);
  // The absolute path of p as seen from `root` ("/usr/bin"); a path
  // outside root is shown from its mount's top. Deleted files get
  // " (deleted)" appended, as Linux's d_path does.
  std::string PathName(const Path& root, const Path& p) const;
  // Like PathName, but ENOENT for a deleted directory and whether p is
  // reachable from root (getcwd's "(unreachable)").
  ErrnoOr<std::string> Getcwd(const Path& root, const Path& p, bool* reachable) const;

  // ---- Operations on paths ----
  // open(2): flags are the guest's O_* flags, mode is used with O_CREAT and
  // O_TMPFILE (before umask).
  ErrnoOr<std::shared_ptr<FileDescription>> Open(Context& ctx, const Start& s,
                                                 std::string_view path, int flags, uint32_t mode,
                                                 int resolve_flags = 0);
  // Opens an already resolved path (exec, /proc magic links, O_PATH reopen).
  ErrnoOr<std::shared_ptr<FileDescription>> OpenPath(Context& ctx, const Path& p, int flags);
  // mkdir, mknod (type in mode), symlink, link, unlink, rmdir, rename.
  ErrnoOrVoid Mknod(Context& ctx, const Start& s, std::string_view path, uint32_t mode,
                    uint64_t rdev);
  ErrnoOrVoid Mkdir(Context& ctx, const Start& s, std::string_view path, uint32_t mode);
  ErrnoOrVoid Symlink(Context& ctx, const std::string& target, const Start& s,
                      std::string_view path);
  ErrnoOrVoid Link(Context& ctx, const Start& old_s, std::string_view old_path, int old_flags,
                   const Start& new_s, std::string_view new_path);
  ErrnoOrVoid Unlink(Context& ctx, const Start& s, std::string_view path);
  ErrnoOrVoid Rmdir(Context& ctx, const Start& s, std::string_view path);
  ErrnoOrVoid Rename(Context& ctx, const Start& old_s, std::string_view old_path,
                     const Start& new_s, std::string_view new_path, uint32_t flags);
  // Owner, mode, size and time changes with the checks chmod(2), chown(2),
  // truncate(2) and utimensat(2) make.
  ErrnoOrVoid SetAttr(Context& ctx, const Path& p, const SetAttrArgs& args);
  // access(2)/faccessat(2): `may` with real ids unless `effective`.
  ErrnoOrVoid Access(Context& ctx, const Path& p, int may, bool effective);
  // An empty directory `name` in the mount namespace, for mountpoints the
  // sandbox sets up (e.g. /proc on a root that lacks it) and O_TMPFILE.
  ErrnoOr<Path> MakeDirs(Context& ctx, const Path& root, std::string_view path, uint32_t mode);

  // Whether the inode may be written through this mount (EROFS otherwise).
  static ErrnoOrVoid CheckWritable(const Path& p);

 private:
  struct Walker;
  // One component: the child named `name` of p (through mounts, with ".."
  // handled by the caller).
  ErrnoOr<std::shared_ptr<Dentry>> LookupChildLocked(Context& ctx, const std::shared_ptr<Dentry>& d,
                                                     const std::string& name)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The top of the stack of mounts on p (p itself when nothing is mounted).
  Path FollowMountsLocked(Path p) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  ErrnoOr<Path> ResolveLocked(Context& ctx, const Start& s, std::string_view path, int flags)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ErrnoOr<ParentAndName> ResolveParentLocked(Context& ctx, const Start& s, std::string_view path,
                                             int flags) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Creation and removal of names in a resolved parent: permission checks
  // and cache updates.
  ErrnoOr<std::shared_ptr<Dentry>> CreateLocked(Context& ctx, const Path& parent,
                                                const std::string& name, const CreateArgs& args)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ErrnoOrVoid MayCreateLocked(Context& ctx, const Path& dir) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ErrnoOrVoid MayDeleteLocked(Context& ctx, const Path& dir, Inode& victim)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string PathNameLocked(const Path& root, const Path& p, bool* reachable) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // A new mount of `root` (a dentry of fs) on top of whatever is at `at`.
  std::shared_ptr<Mount> AttachLocked(const Path& at, std::shared_ptr<Filesystem> fs,
                                      std::shared_ptr<Dentry> root, uint32_t flags,
                                      std::string source, std::string options)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes m off its mountpoint.
  void DetachLocked(Mount& m) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Keeps a mountpoint's dentry (and those above it) findable under
  // directories that do not cache their children.
  void PinLocked(std::shared_ptr<Dentry> d) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  ErrnoOr<std::shared_ptr<FileDescription>> OpenResolved(Context& ctx, const Path& p, int flags,
                                                        bool created);
  void DropChildLocked(Dentry& parent, const std::string& name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  CreateArgs NewFileArgs(Context& ctx, const Path& parent, uint32_t mode) const;

  mutable absl::Mutex mu_;
  std::shared_ptr<Mount> root_mount_ ABSL_GUARDED_BY(mu_);
  std::vector<std::shared_ptr<Mount>> detached_roots_ ABSL_GUARDED_BY(mu_);
  // (parent mount, mountpoint dentry) → mounts stacked there, bottom first.
  std::map<std::pair<const Mount*, const Dentry*>, std::vector<std::shared_ptr<Mount>>> mounts_
      ABSL_GUARDED_BY(mu_);
  int next_mount_id_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace sentry::vfs

#endif  // SENTRY_VFS_VFS_H_
