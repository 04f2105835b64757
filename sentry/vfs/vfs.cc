// Path resolution and the path operations of the VFS. Linux's namei.c is
// the model: components are walked one at a time from the root or the
// start directory, with search permission checked on every directory, `..`
// stopping at the caller's root and crossing mounts upward, mounts crossed
// downward after each step, and symlinks spliced into the remaining path.
#include "sentry/vfs/vfs.h"

#include <fcntl.h>
#include <linux/openat2.h>

#include <algorithm>
#include <deque>

#include "abi/linux/fcntl.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sentry/vfs/dnotify.h"
#include "sentry/vfs/file_description.h"

namespace sentry::vfs {

namespace {

constexpr int kCapChown = 0, kCapFowner = 3, kCapFsetid = 4;
constexpr size_t kNameMax = 255;
constexpr size_t kPathMax = 4096;

bool IsDir(const std::shared_ptr<Dentry>& d) { return d->inode()->is_dir(); }

// A file opened with O_PATH: a place, not an open file.
class PathFile : public FileDescription {
 public:
  explicit PathFile(int flags) : FileDescription(flags) {}
  ErrnoOr<size_t> Read(mm::MemoryManager&, const IoVec&, int64_t) override {
    return Errno(EBADF);
  }
  ErrnoOr<size_t> Write(mm::MemoryManager&, const IoVec&, int64_t) override {
    return Errno(EBADF);
  }
  ErrnoOr<int64_t> Seek(int64_t, int) override { return Errno(EBADF); }
  ErrnoOr<uint64_t> Ioctl(mm::MemoryManager&, uint32_t, uint64_t) override {
    return Errno(EBADF);
  }
  ErrnoOr<std::shared_ptr<mm::Mappable>> GetMappable() override { return Errno(EBADF); }
  ErrnoOrVoid Getdents(Context&, const std::function<bool(const Dirent&, int64_t)>&) override {
    return Errno(EBADF);
  }
  ErrnoOrVoid Truncate(uint64_t) override { return Errno(EBADF); }
  ErrnoOrVoid Allocate(int, uint64_t, uint64_t) override { return Errno(EBADF); }
  ErrnoOrVoid Sync() override { return Errno(EBADF); }
};

// The caller's context with other credentials (access(2) checks with the
// real ids).
class CredsOverride : public Context {
 public:
  CredsOverride(Context& base, auth::Credentials creds) : base_(base), creds_(std::move(creds)) {}
  auth::Credentials creds() const override { return creds_; }
  Path root() const override { return base_.root(); }
  Path cwd() const override { return base_.cwd(); }
  uint32_t umask() const override { return base_.umask(); }

 private:
  Context& base_;
  auth::Credentials creds_;
};

// Splits a path into components, dropping empty ones ("a//b") and noting a
// trailing slash.
std::deque<std::string> Split(std::string_view path, bool* trailing_slash) {
  std::deque<std::string> out;
  for (absl::string_view c : absl::StrSplit(absl::string_view(path.data(), path.size()), '/',
                                            absl::SkipEmpty())) {
    out.emplace_back(c);
  }
  *trailing_slash = !path.empty() && path.back() == '/';
  return out;
}

bool IsDotOrDotDot(const std::string& n) { return n == "." || n == ".."; }

}  // namespace

// ---- Mounts ----

std::shared_ptr<Mount> Vfs::SetRoot(std::shared_ptr<Filesystem> fs, std::shared_ptr<Inode> root,
                                    uint32_t flags, std::string source, std::string options) {
  absl::MutexLock l(&mu_);
  auto d = std::make_shared<Dentry>(std::move(root), "/", nullptr);
  root_mount_ = std::make_shared<Mount>(next_mount_id_++, std::move(fs), std::move(d), flags,
                                        std::move(source), std::move(options));
  return root_mount_;
}

Path Vfs::NewDetachedRoot(std::shared_ptr<Filesystem> fs, std::shared_ptr<Inode> root,
                          uint32_t flags, std::string source, std::string options) {
  absl::MutexLock l(&mu_);
  auto d = std::make_shared<Dentry>(std::move(root), "/", nullptr);
  auto m = std::make_shared<Mount>(next_mount_id_++, std::move(fs), std::move(d), flags,
                                   std::move(source), std::move(options));
  detached_roots_.push_back(m);
  return Path{m, m->root_};
}

void Vfs::DropDetachedRoot(const Path& root) {
  absl::MutexLock l(&mu_);
  std::vector<Mount*> gone = {root.mount.get()};
  std::erase(detached_roots_, root.mount);
  // Everything mounted inside the tree goes with it.
  for (size_t i = 0; i < gone.size(); ++i) {
    for (auto it = mounts_.begin(); it != mounts_.end();) {
      if (it->first.first == gone[i]) {
        for (const auto& m : it->second) {
          gone.push_back(m.get());
          m->mountpoint_->mounts_--;
        }
        it = mounts_.erase(it);
      } else {
        ++it;
      }
    }
  }
}

Path Vfs::RootPath() const {
  absl::ReaderMutexLock l(&mu_);
  if (!root_mount_) return {};
  return Path{root_mount_, root_mount_->root_};
}

ErrnoOr<std::shared_ptr<Mount>> Vfs::MountAt(const Path& at, std::shared_ptr<Filesystem> fs,
                                             std::shared_ptr<Inode> root, uint32_t flags,
                                             std::string source, std::string options) {
  if (!at.valid()) return Errno(ENOENT);
  // A directory on a directory, or a file on a file (a bind mount of one
  // file, such as a container's /etc/hosts).
  if (IsDir(at.dentry) != root->is_dir()) return Errno(IsDir(at.dentry) ? EISDIR : ENOTDIR);
  absl::MutexLock l(&mu_);
  // Not on a mount that was lazily unmounted (it is in no tree).
  if (at.mount->detached_) return Errno(EINVAL);
  auto d = std::make_shared<Dentry>(std::move(root), "/", nullptr);
  return AttachLocked(at, std::move(fs), std::move(d), flags, std::move(source),
                      std::move(options));
}

std::shared_ptr<Mount> Vfs::AttachLocked(const Path& at, std::shared_ptr<Filesystem> fs,
                                         std::shared_ptr<Dentry> root, uint32_t flags,
                                         std::string source, std::string options) {
  Path top = FollowMountsLocked(at);
  auto m = std::make_shared<Mount>(next_mount_id_++, std::move(fs), std::move(root), flags,
                                   std::move(source), std::move(options));
  m->parent_ = top.mount;
  m->mountpoint_ = top.dentry;
  mounts_[{top.mount.get(), top.dentry.get()}].push_back(m);
  top.dentry->mounts_++;
  PinLocked(top.dentry);
  return m;
}

void Vfs::PinLocked(std::shared_ptr<Dentry> d) {
  // Directories that do not cache their children (procfs) would make a new
  // dentry at the next lookup, one no mount is on: such a directory keeps
  // the dentries that lead to a mountpoint.
  for (int guard = 0; guard < 4096; ++guard) {
    std::shared_ptr<Dentry> parent = d->parent();
    if (!parent) return;
    if (!parent->inode()->CacheChildren()) parent->children_[d->name()] = d;
    d = std::move(parent);
  }
}

void Vfs::DetachLocked(Mount& m) {
  auto it = mounts_.find({m.parent_.get(), m.mountpoint_.get()});
  if (it == mounts_.end()) return;
  auto pos = std::find_if(it->second.begin(), it->second.end(),
                          [&](const std::shared_ptr<Mount>& x) { return x.get() == &m; });
  if (pos == it->second.end()) return;
  it->second.erase(pos);
  m.mountpoint_->mounts_--;
  if (it->second.empty()) mounts_.erase(it);
}

namespace {

// Whether d is `ancestor` or below it (in the dentry tree of one file
// system): Linux's is_subdir.
bool IsSubdir(std::shared_ptr<Dentry> d, const std::shared_ptr<Dentry>& ancestor) {
  for (int guard = 0; d && guard < 4096; ++guard) {
    if (d == ancestor) return true;
    d = d->parent();
  }
  return false;
}

}  // namespace

ErrnoOr<std::shared_ptr<Mount>> Vfs::BindMount(const Path& source, const Path& at,
                                               bool recursive) {
  if (!source.valid() || !at.valid()) return Errno(ENOENT);
  absl::MutexLock l(&mu_);
  if (source.mount->detached_ || at.mount->detached_) return Errno(EINVAL);
  Path top = FollowMountsLocked(at);
  if (IsDir(top.dentry) != IsDir(source.dentry)) return Errno(ENOTDIR);
  auto clone = [&](const Mount& m, std::shared_ptr<Dentry> root) {
    auto c = std::make_shared<Mount>(next_mount_id_++, m.fs_, std::move(root), m.flags(),
                                     m.source_, m.options_);
    c->bind_ = true;
    return c;
  };
  std::shared_ptr<Mount> first = clone(*source.mount, source.dentry);
  // The copies of the mounts below source (MS_REC), each on the copy of its
  // parent, collected before any is attached: `at` may itself be below
  // source (mount --rbind /a /a/b) and must not be copied into itself.
  std::vector<std::shared_ptr<Mount>> below;
  if (recursive) {
    std::map<const Mount*, std::shared_ptr<Mount>> copy_of{{source.mount.get(), first}};
    std::vector<const Mount*> todo = {source.mount.get()};
    for (size_t i = 0; i < todo.size(); ++i) {
      for (const auto& [key, stack] : mounts_) {
        if (key.first != todo[i] || stack.empty()) continue;
        // Under the source mount, only what is mounted below source itself.
        if (i == 0 && !IsSubdir(stack.front()->mountpoint_, source.dentry)) continue;
        for (const auto& m : stack) {
          auto c = clone(*m, m->root_);
          c->parent_ = copy_of[todo[i]];
          c->mountpoint_ = m->mountpoint_;
          copy_of[m.get()] = c;
          todo.push_back(m.get());
          below.push_back(std::move(c));
        }
      }
    }
  }
  first->parent_ = top.mount;
  first->mountpoint_ = top.dentry;
  for (const auto& m : below) {
    mounts_[{m->parent_.get(), m->mountpoint_.get()}].push_back(m);
    m->mountpoint_->mounts_++;
  }
  mounts_[{top.mount.get(), top.dentry.get()}].push_back(first);
  top.dentry->mounts_++;
  PinLocked(top.dentry);
  return first;
}

ErrnoOrVoid Vfs::SetMountFlags(const Path& root_of_mount, uint32_t flags) {
  absl::MutexLock l(&mu_);
  if (!IsMountRoot(root_of_mount) || root_of_mount.mount->detached_) return Errno(EINVAL);
  root_of_mount.mount->flags_.store(flags);
  return {};
}

ErrnoOrVoid Vfs::MoveMount(const Path& from, const Path& at) {
  if (!at.valid()) return Errno(ENOENT);
  absl::MutexLock l(&mu_);
  const std::shared_ptr<Mount>& m = from.mount;
  if (!IsMountRoot(from) || !m->parent_ || m->detached_ || at.mount->detached_) {
    return Errno(EINVAL);
  }
  Path top = FollowMountsLocked(at);
  for (const Mount* p = top.mount.get(); p != nullptr; p = p->parent_.get()) {
    if (p == m.get()) return Errno(ELOOP);
  }
  if (IsDir(top.dentry) != IsDir(m->root_)) return Errno(ENOTDIR);
  std::shared_ptr<Mount> keep = m;
  DetachLocked(*keep);
  keep->parent_ = top.mount;
  keep->mountpoint_ = top.dentry;
  mounts_[{top.mount.get(), top.dentry.get()}].push_back(keep);
  top.dentry->mounts_++;
  PinLocked(top.dentry);
  return {};
}

ErrnoOrVoid Vfs::Unmount(const Path& root_of_mount, int how) {
  absl::MutexLock l(&mu_);
  // No copy of the caller's reference: the use count below counts it.
  const std::shared_ptr<Mount>& m = root_of_mount.mount;
  if (!IsMountRoot(root_of_mount) || !m->parent_ || m->detached_) return Errno(EINVAL);
  bool has_children = false;
  for (const auto& [key, stack] : mounts_) {
    if (key.first == m.get() && !stack.empty()) has_children = true;
  }
  // In use: held by more than its place in the tree and the caller's path
  // (open files, working directories and roots hold the mount).
  const bool busy = has_children || ((how & kUnmountIfIdle) && m.use_count() > 2);
  if (how & kUnmountExpire) {
    if (busy) return Errno(EBUSY);
    if (!m->expiry_mark_) {
      m->expiry_mark_ = true;
      return Errno(EAGAIN);
    }
  }
  if (!(how & kUnmountDetach) && busy) return Errno(EBUSY);
  std::shared_ptr<Mount> keep = m;
  // With MNT_DETACH the whole subtree leaves at once; open files keep
  // their mounts.
  std::vector<std::shared_ptr<Mount>> gone = {keep};
  for (size_t i = 0; i < gone.size(); ++i) {
    for (const auto& [key, stack] : mounts_) {
      if (key.first == gone[i].get()) gone.insert(gone.end(), stack.begin(), stack.end());
    }
  }
  for (auto it = gone.rbegin(); it != gone.rend(); ++it) {
    DetachLocked(**it);
    (*it)->detached_ = true;
  }
  return {};
}

std::vector<std::shared_ptr<Mount>> Vfs::Mounts() const {
  absl::ReaderMutexLock l(&mu_);
  std::vector<std::shared_ptr<Mount>> out;
  if (!root_mount_) return out;
  out.push_back(root_mount_);
  out.insert(out.end(), detached_roots_.begin(), detached_roots_.end());
  // Breadth-first from the root: parents come before their children, and
  // a mount's children come in the order they were made.
  for (size_t i = 0; i < out.size(); ++i) {
    size_t first = out.size();
    for (const auto& [key, stack] : mounts_) {
      if (key.first != out[i].get()) continue;
      out.insert(out.end(), stack.begin(), stack.end());
    }
    std::sort(out.begin() + first, out.end(),
              [](const std::shared_ptr<Mount>& a, const std::shared_ptr<Mount>& b) {
                return a->id() < b->id();
              });
  }
  return out;
}

std::vector<MountRecord> Vfs::MountTable() const {
  std::vector<std::shared_ptr<Mount>> mounts = Mounts();
  absl::ReaderMutexLock l(&mu_);
  std::vector<MountRecord> out;
  out.reserve(mounts.size());
  for (auto& m : mounts) {
    if (m->detached_) continue;  // unmounted since Mounts() answered
    MountRecord r;
    r.parent_id = m->parent_ ? m->parent_->id() : m->id();
    // The root's path within its file system: up the dentries to the top.
    std::vector<std::string> parts;
    std::shared_ptr<Dentry> d = m->root_;
    for (int guard = 0; guard < 4096; ++guard) {
      std::shared_ptr<Dentry> up = d->parent();
      if (!up) break;
      parts.push_back(d->name());
      d = std::move(up);
    }
    std::reverse(parts.begin(), parts.end());
    r.root = absl::StrCat("/", absl::StrJoin(parts, "/"));
    // Mounts made whole (not binds) with kMountReadOnly show it as the
    // file system's too, as a read-only mount(2) makes it.
    r.super_read_only = m->fs_->read_only() || (m->read_only() && !m->bind_);
    r.mount = std::move(m);
    out.push_back(std::move(r));
  }
  return out;
}

Path Vfs::FollowMountsLocked(Path p) const {
  while (p.dentry->mounts_ > 0) {
    auto it = mounts_.find({p.mount.get(), p.dentry.get()});
    if (it == mounts_.end() || it->second.empty()) break;
    const auto& top = it->second.back();
    p = Path{top, top->root_};
  }
  return p;
}

// ---- Resolution ----

ErrnoOr<std::shared_ptr<Dentry>> Vfs::LookupChildLocked(Context& ctx,
                                                        const std::shared_ptr<Dentry>& d,
                                                        const std::string& name) {
  Inode& dir = *d->inode();
  bool cache = dir.CacheChildren();
  if (cache) {
    auto it = d->children_.find(name);
    if (it != d->children_.end()) {
      if (!it->second) return Errno(ENOENT);
      return it->second;
    }
  }
  auto child = dir.Lookup(ctx, name);
  if (!child.ok()) {
    if (child.error().value() == ENOENT && cache) d->children_[name] = nullptr;
    return child.error();
  }
  if (!cache) {
    // A dentry pinned here because a mount sits on or below it (PinLocked)
    // is the name's while it still names the same inode.
    auto it = d->children_.find(name);
    if (it != d->children_.end() && it->second && it->second->inode() == *child) {
      return it->second;
    }
  }
  auto nd = std::make_shared<Dentry>(std::move(child).value(), name, d);
  if (cache) d->children_[name] = nd;
  return nd;
}

ErrnoOr<Path> Vfs::Resolve(Context& ctx, const Start& s, std::string_view path, int flags) {
  absl::MutexLock l(&mu_);
  return ResolveLocked(ctx, s, path, flags);
}

ErrnoOr<Path> Vfs::ResolveLocked(Context& ctx, const Start& s, std::string_view path, int flags) {
  if (path.size() >= kPathMax) return Errno(ENAMETOOLONG);
  if (path.empty()) {
    if ((flags & kEmptyPath) && s.start.valid()) return s.start;
    return Errno(ENOENT);
  }
  if (!s.start.valid()) return Errno(ENOENT);
  const bool in_root = flags & (kInRoot | kBeneath);
  Path root = in_root ? s.start : ctx.root();
  if (!root.valid()) root = Path{root_mount_, root_mount_->root_};
  if ((flags & kBeneath) && path[0] == '/') return Errno(EXDEV);

  bool must_dir = false;
  std::deque<std::string> comps = Split(path, &must_dir);
  Path cur = path[0] == '/' ? root : s.start;
  cur = FollowMountsLocked(cur);
  int symlinks = 0;
  while (!comps.empty()) {
    std::string name = std::move(comps.front());
    comps.pop_front();
    const bool last = comps.empty();
    Inode& dir = *cur.dentry->inode();
    if (!dir.is_dir()) return Errno(ENOTDIR);
    RETURN_IF_ERRNO(dir.CheckPermission(ctx, kMayExec));
    if (name == ".") continue;
    if (name == "..") {
      if (cur == root) {
        if (flags & kBeneath) return Errno(EXDEV);
        continue;
      }
      // Climb out of mounts whose root this is, then to the parent.
      while (cur.dentry == cur.mount->root_ && cur.mount->parent_ && !cur.mount->detached_ &&
             !(cur == root)) {
        if (flags & kNoXdev) return Errno(EXDEV);
        cur = Path{cur.mount->parent_, cur.mount->mountpoint_};
      }
      if (cur == root) continue;
      if (auto parent = cur.dentry->parent(); parent && cur.dentry != cur.mount->root_) {
        cur.dentry = std::move(parent);
      }
      cur = FollowMountsLocked(cur);
      continue;
    }
    if (name.size() > kNameMax) return Errno(ENAMETOOLONG);
    ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Dentry> child, LookupChildLocked(ctx, cur.dentry, name));
    Path next = FollowMountsLocked(Path{cur.mount, child});
    if ((flags & kNoXdev) && next.mount != cur.mount) return Errno(EXDEV);
    Inode& ci = *next.dentry->inode();
    if (ci.is_symlink() && (!last || (flags & kFollow) || must_dir)) {
      if (flags & kNoSymlinks) return Errno(ELOOP);
      if (++symlinks > kMaxSymlinks) return Errno(ELOOP);
      if (auto magic = ci.FollowMagic(ctx)) {
        if (flags & (kNoMagicLinks | kInRoot | kBeneath)) return Errno(ELOOP);
        if (!magic->ok()) return magic->error();
        cur = FollowMountsLocked(**magic);
        continue;
      }
      ASSIGN_OR_RETURN_ERRNO(std::string target, ci.Readlink(ctx));
      if (target.empty()) return Errno(ENOENT);
      bool target_slash = false;
      std::deque<std::string> tc = Split(target, &target_slash);
      if (last && target_slash) must_dir = true;
      comps.insert(comps.begin(), tc.begin(), tc.end());
      if (target[0] == '/') {
        if (flags & kBeneath) return Errno(EXDEV);
        cur = FollowMountsLocked(root);
      }
      continue;
    }
    cur = next;
  }
  if ((must_dir || (flags & kDirectory)) && !IsDir(cur.dentry)) return Errno(ENOTDIR);
  return cur;
}

ErrnoOr<ParentAndName> Vfs::ResolveParent(Context& ctx, const Start& s, std::string_view path,
                                          int flags) {
  absl::MutexLock l(&mu_);
  return ResolveParentLocked(ctx, s, path, flags);
}

ErrnoOr<ParentAndName> Vfs::ResolveParentLocked(Context& ctx, const Start& s,
                                                std::string_view path, int flags) {
  if (path.empty()) return Errno(ENOENT);
  if (path.size() >= kPathMax) return Errno(ENAMETOOLONG);
  ParentAndName out;
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/') --end;
  out.trailing_slash = end < path.size();
  if (end == 0) {
    // "/" (or "///"): the root itself, no final name.
    ASSIGN_OR_RETURN_ERRNO(out.parent, ResolveLocked(ctx, s, "/", flags | kFollow));
    return out;
  }
  size_t slash = path.rfind('/', end - 1);
  std::string_view dir;
  if (slash == std::string_view::npos) {
    dir = "";
    out.name = std::string(path.substr(0, end));
  } else {
    dir = path.substr(0, slash + 1);
    out.name = std::string(path.substr(slash + 1, end - slash - 1));
  }
  if (out.name.size() > kNameMax) return Errno(ENAMETOOLONG);
  if (dir.empty()) {
    if (!s.start.valid()) return Errno(ENOENT);
    out.parent = FollowMountsLocked(s.start);
    if (!IsDir(out.parent.dentry)) return Errno(ENOTDIR);
  } else {
    ASSIGN_OR_RETURN_ERRNO(out.parent, ResolveLocked(ctx, s, dir, flags | kFollow | kDirectory));
  }
  RETURN_IF_ERRNO(out.parent.dentry->inode()->CheckPermission(ctx, kMayExec));
  return out;
}

// ---- Names ----

std::string Vfs::PathNameLocked(const Path& root, const Path& p, bool* reachable) const {
  std::vector<std::string> parts;
  Path cur = p;
  *reachable = true;
  for (int guard = 0; guard < 4096 && cur.valid(); ++guard) {
    if (cur == root) break;
    if (cur.dentry == cur.mount->root_) {
      if (!cur.mount->parent_ || cur.mount->detached_) {
        *reachable = !root.valid();
        break;
      }
      cur = Path{cur.mount->parent_, cur.mount->mountpoint_};
      continue;
    }
    auto parent = cur.dentry->parent();
    if (!parent) break;
    parts.push_back(cur.dentry->name());
    cur.dentry = std::move(parent);
  }
  if (parts.empty()) return std::string("/");
  std::reverse(parts.begin(), parts.end());
  return absl::StrCat("/", absl::StrJoin(parts, "/"));
}

std::string Vfs::PathName(const Path& root, const Path& p) const {
  if (!p.valid()) return "";
  absl::ReaderMutexLock l(&mu_);
  bool reachable;
  std::string s = PathNameLocked(root, p, &reachable);
  if (p.dentry->deleted()) s += " (deleted)";
  return s;
}

ErrnoOr<std::string> Vfs::Getcwd(const Path& root, const Path& p, bool* reachable) const {
  if (!p.valid()) return Errno(ENOENT);
  absl::ReaderMutexLock l(&mu_);
  if (p.dentry->deleted()) return Errno(ENOENT);
  return PathNameLocked(root, p, reachable);
}

// ---- Checks shared by the operations ----

ErrnoOrVoid Vfs::CheckWritable(const Path& p) {
  if (p.mount && (p.mount->read_only() || p.mount->fs().read_only())) return Errno(EROFS);
  return {};
}

ErrnoOrVoid Vfs::MayCreateLocked(Context& ctx, const Path& dir) {
  RETURN_IF_ERRNO(CheckWritable(dir));
  if (dir.dentry->deleted()) return Errno(ENOENT);
  return dir.dentry->inode()->CheckPermission(ctx, kMayWrite | kMayExec);
}

ErrnoOrVoid Vfs::MayDeleteLocked(Context& ctx, const Path& dir, Inode& victim) {
  RETURN_IF_ERRNO(CheckWritable(dir));
  Inode& d = *dir.dentry->inode();
  RETURN_IF_ERRNO(d.CheckPermission(ctx, kMayWrite | kMayExec));
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat ds, d.Stat());
  if (ds.st_mode & S_ISVTX) {
    auth::Credentials c = ctx.creds();
    ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat vs, victim.Stat());
    if (c.fsuid != ds.st_uid && c.fsuid != vs.st_uid && !c.HasCapability(kCapFowner)) {
      return Errno(EPERM);
    }
  }
  return {};
}

CreateArgs Vfs::NewFileArgs(Context& ctx, const Path& parent, uint32_t mode) const {
  auth::Credentials c = ctx.creds();
  CreateArgs a{.mode = mode, .rdev = 0, .uid = c.fsuid, .gid = c.fsgid};
  if (auto ps = parent.dentry->inode()->Stat(); ps.ok() && (ps->st_mode & S_ISGID)) {
    a.gid = ps->st_gid;
    if ((mode & S_IFMT) == S_IFDIR) a.mode |= S_ISGID;
  }
  return a;
}

ErrnoOr<std::shared_ptr<Dentry>> Vfs::CreateLocked(Context& ctx, const Path& parent,
                                                   const std::string& name,
                                                   const CreateArgs& args) {
  RETURN_IF_ERRNO(MayCreateLocked(ctx, parent));
  Inode& dir = *parent.dentry->inode();
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Inode> in, dir.Create(ctx, name, args));
  dnotify::Notify(&dir, abi_linux::kDN_CREATE);
  auto d = std::make_shared<Dentry>(std::move(in), name, parent.dentry);
  if (dir.CacheChildren()) parent.dentry->children_[name] = d;
  return d;
}

void Vfs::DropChildLocked(Dentry& parent, const std::string& name) {
  auto it = parent.children_.find(name);
  if (it == parent.children_.end()) return;
  if (it->second) it->second->deleted_ = true;
  if (parent.inode()->CacheChildren()) {
    it->second = nullptr;
  } else {
    parent.children_.erase(it);
  }
}

// ---- Open ----

ErrnoOr<std::shared_ptr<FileDescription>> Vfs::Open(Context& ctx, const Start& s,
                                                    std::string_view path, int flags,
                                                    uint32_t mode, int resolve_flags) {
  const int acc = flags & O_ACCMODE;
  Path p;
  bool created = false;
  {
    absl::MutexLock l(&mu_);
    if (flags & O_PATH) {
      int rf = resolve_flags | kEmptyPath * 0;
      if (!(flags & O_NOFOLLOW)) rf |= kFollow;
      if (flags & O_DIRECTORY) rf |= kDirectory;
      ASSIGN_OR_RETURN_ERRNO(p, ResolveLocked(ctx, s, path, rf));
      auto f = std::make_shared<PathFile>(flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW));
      f->set_path(std::move(p));
      return std::shared_ptr<FileDescription>(std::move(f));
    }
    if ((flags & O_TMPFILE) == O_TMPFILE) {
      if (acc == O_RDONLY) return Errno(EINVAL);
      ASSIGN_OR_RETURN_ERRNO(Path dir,
                             ResolveLocked(ctx, s, path, resolve_flags | kFollow | kDirectory));
      // An unnamed file: created under a private name and unlinked at once.
      static std::atomic<uint64_t> tmp_seq{0};
      std::string name = absl::StrCat(".sk-tmpfile-", tmp_seq.fetch_add(1));
      CreateArgs args = NewFileArgs(ctx, dir, S_IFREG | (mode & 07777 & ~ctx.umask()));
      ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Dentry> d, CreateLocked(ctx, dir, name, args));
      RETURN_IF_ERRNO(dir.dentry->inode()->Unlink(ctx, name, *d->inode()));
      DropChildLocked(*dir.dentry, name);
      d->deleted_ = true;
      d->tmpfile_ = (flags & O_EXCL) ? Dentry::Tmpfile::kExclusive : Dentry::Tmpfile::kLinkable;
      p = Path{dir.mount, d};
      created = true;
      flags &= ~(O_TMPFILE | O_EXCL);
    } else if (flags & O_CREAT) {
      ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, s, path, resolve_flags));
      for (int links = 0;; ++links) {
        if (pn.name.empty() || IsDotOrDotDot(pn.name) || pn.trailing_slash) return Errno(EISDIR);
        auto child = LookupChildLocked(ctx, pn.parent.dentry, pn.name);
        if (!child.ok() && child.error().value() != ENOENT) return child.error();
        if (!child.ok()) {
          CreateArgs args = NewFileArgs(ctx, pn.parent, S_IFREG | (mode & 07777 & ~ctx.umask()));
          ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Dentry> d,
                                 CreateLocked(ctx, pn.parent, pn.name, args));
          p = Path{pn.parent.mount, d};
          created = true;
          break;
        }
        if (flags & O_EXCL) return Errno(EEXIST);
        p = FollowMountsLocked(Path{pn.parent.mount, *child});
        Inode& ci = *p.dentry->inode();
        if (!ci.is_symlink()) break;
        if (flags & O_NOFOLLOW) return Errno(ELOOP);
        if ((resolve_flags & kNoSymlinks) || links >= kMaxSymlinks) return Errno(ELOOP);
        if (auto magic = ci.FollowMagic(ctx)) {
          if (!magic->ok()) return magic->error();
          p = FollowMountsLocked(**magic);
          break;
        }
        // O_CREAT through a symlink creates its target if that is missing.
        ASSIGN_OR_RETURN_ERRNO(std::string target, ci.Readlink(ctx));
        if (target.empty()) return Errno(ENOENT);
        ASSIGN_OR_RETURN_ERRNO(pn, ResolveParentLocked(ctx, Start{pn.parent}, target,
                                                       resolve_flags));
      }
    } else {
      int rf = resolve_flags;
      if (!(flags & O_NOFOLLOW)) rf |= kFollow;
      if (flags & O_DIRECTORY) rf |= kDirectory;
      ASSIGN_OR_RETURN_ERRNO(p, ResolveLocked(ctx, s, path, rf));
    }
  }
  return OpenResolved(ctx, p, flags, created);
}

ErrnoOr<std::shared_ptr<FileDescription>> Vfs::OpenPath(Context& ctx, const Path& p, int flags) {
  return OpenResolved(ctx, p, flags, false);
}

ErrnoOr<std::shared_ptr<FileDescription>> Vfs::OpenResolved(Context& ctx, const Path& p, int flags,
                                                            bool created) {
  const int acc = flags & O_ACCMODE;
  Inode& in = *p.dentry->inode();
  if (in.is_symlink()) return Errno(ELOOP);
  if ((flags & O_DIRECTORY) && !in.is_dir()) return Errno(ENOTDIR);
  if (in.is_dir() && (acc != O_RDONLY || (flags & O_TRUNC) || (flags & O_CREAT))) {
    return Errno(EISDIR);
  }
  if (acc == 3) return Errno(EINVAL);
  bool truncate = (flags & O_TRUNC) && in.is_regular() && !created;
  if (!created) {
    int may = 0;
    if (acc == O_RDONLY || acc == O_RDWR) may |= kMayRead;
    if (acc == O_WRONLY || acc == O_RDWR || truncate) may |= kMayWrite;
    RETURN_IF_ERRNO(in.CheckPermission(ctx, may));
    if ((may & kMayWrite) && (in.is_regular() || in.is_dir())) RETURN_IF_ERRNO(CheckWritable(p));
  }
  // O_TRUNC truncates even with O_RDONLY (Linux does; write permission
  // was checked above).
  if (truncate) {
    SetAttrArgs a;
    a.mask = SetAttrArgs::kSize;
    a.size = 0;
    RETURN_IF_ERRNO(in.SetAttr(ctx, a));
  }
  // O_NOCTTY matters to terminals only (character devices), which drop it
  // from the file's flags themselves.
  int open_flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
  if (in.type() == S_IFCHR) open_flags |= flags & O_NOCTTY;
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<FileDescription> f, in.Open(ctx, open_flags));
  f->set_path(p);
  return f;
}

// ---- Creating and removing names ----

ErrnoOrVoid Vfs::Mknod(Context& ctx, const Start& s, std::string_view path, uint32_t mode,
                       uint64_t rdev) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, s, path, 0));
  if (pn.name.empty() || IsDotOrDotDot(pn.name)) return Errno(EEXIST);
  auto child = LookupChildLocked(ctx, pn.parent.dentry, pn.name);
  if (child.ok()) return Errno(EEXIST);
  if (child.error().value() != ENOENT) return child.error();
  if (pn.trailing_slash) return Errno(ENOENT);
  CreateArgs args = NewFileArgs(ctx, pn.parent, (mode & S_IFMT) | (mode & 07777 & ~ctx.umask()));
  args.rdev = rdev;
  ASSIGN_OR_RETURN_ERRNO(auto d, CreateLocked(ctx, pn.parent, pn.name, args));
  return {};
}

ErrnoOrVoid Vfs::Mkdir(Context& ctx, const Start& s, std::string_view path, uint32_t mode) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, s, path, 0));
  if (pn.name.empty() || IsDotOrDotDot(pn.name)) return Errno(EEXIST);
  auto child = LookupChildLocked(ctx, pn.parent.dentry, pn.name);
  if (child.ok()) return Errno(EEXIST);
  if (child.error().value() != ENOENT) return child.error();
  CreateArgs args = NewFileArgs(ctx, pn.parent, S_IFDIR | (mode & 07777 & ~ctx.umask()));
  ASSIGN_OR_RETURN_ERRNO(auto d, CreateLocked(ctx, pn.parent, pn.name, args));
  return {};
}

ErrnoOrVoid Vfs::Symlink(Context& ctx, const std::string& target, const Start& s,
                         std::string_view path) {
  if (target.empty()) return Errno(ENOENT);
  if (target.size() >= kPathMax) return Errno(ENAMETOOLONG);
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, s, path, 0));
  if (pn.name.empty() || IsDotOrDotDot(pn.name)) return Errno(EEXIST);
  auto child = LookupChildLocked(ctx, pn.parent.dentry, pn.name);
  if (child.ok()) return Errno(EEXIST);
  if (child.error().value() != ENOENT) return child.error();
  if (pn.trailing_slash) return Errno(ENOENT);
  RETURN_IF_ERRNO(MayCreateLocked(ctx, pn.parent));
  CreateArgs args = NewFileArgs(ctx, pn.parent, S_IFLNK | 0777);
  Inode& dir = *pn.parent.dentry->inode();
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Inode> in,
                         dir.Symlink(ctx, pn.name, target, args.uid, args.gid));
  dnotify::Notify(&dir, abi_linux::kDN_CREATE);
  if (dir.CacheChildren()) {
    pn.parent.dentry->children_[pn.name] = std::make_shared<Dentry>(in, pn.name, pn.parent.dentry);
  }
  return {};
}

ErrnoOrVoid Vfs::Link(Context& ctx, const Start& old_s, std::string_view old_path, int old_flags,
                      const Start& new_s, std::string_view new_path) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(Path old, ResolveLocked(ctx, old_s, old_path, old_flags));
  std::shared_ptr<Inode> target = old.dentry->inode();
  if (target->is_dir()) return Errno(EPERM);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, new_s, new_path, 0));
  if (pn.name.empty() || IsDotOrDotDot(pn.name)) return Errno(EEXIST);
  auto child = LookupChildLocked(ctx, pn.parent.dentry, pn.name);
  if (child.ok()) return Errno(EEXIST);
  if (child.error().value() != ENOENT) return child.error();
  if (pn.trailing_slash) return Errno(ENOENT);
  if (old.mount != pn.parent.mount) return Errno(EXDEV);
  RETURN_IF_ERRNO(MayCreateLocked(ctx, pn.parent));
  // A file unlinked while open (nlink 0) can be linked back only if it was
  // made with O_TMPFILE without O_EXCL; Linux answers ENOENT otherwise.
  if (old.dentry->deleted() && old.dentry->tmpfile_ != Dentry::Tmpfile::kLinkable) {
    return Errno(ENOENT);
  }
  Inode& dir = *pn.parent.dentry->inode();
  RETURN_IF_ERRNO(dir.Link(ctx, pn.name, target));
  dnotify::Notify(&dir, abi_linux::kDN_CREATE);
  if (old.dentry->tmpfile_ == Dentry::Tmpfile::kLinkable) {
    // Named now: the open file's dentry is this name from here on.
    {
      absl::MutexLock dl(&old.dentry->mu_);
      old.dentry->name_ = pn.name;
      old.dentry->parent_ = pn.parent.dentry;
    }
    old.dentry->deleted_ = false;
    old.dentry->tmpfile_ = Dentry::Tmpfile::kNo;
    if (dir.CacheChildren()) pn.parent.dentry->children_[pn.name] = old.dentry;
    return {};
  }
  if (dir.CacheChildren()) {
    pn.parent.dentry->children_[pn.name] =
        std::make_shared<Dentry>(target, pn.name, pn.parent.dentry);
  }
  return {};
}

ErrnoOrVoid Vfs::Unlink(Context& ctx, const Start& s, std::string_view path) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, s, path, 0));
  if (pn.name.empty() || IsDotOrDotDot(pn.name)) return Errno(EISDIR);
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Dentry> child,
                         LookupChildLocked(ctx, pn.parent.dentry, pn.name));
  Inode& ci = *child->inode();
  if (ci.is_dir()) return Errno(EISDIR);
  if (pn.trailing_slash) return Errno(ENOTDIR);
  if (child->mounts_ > 0) return Errno(EBUSY);
  RETURN_IF_ERRNO(MayDeleteLocked(ctx, pn.parent, ci));
  RETURN_IF_ERRNO(pn.parent.dentry->inode()->Unlink(ctx, pn.name, ci));
  dnotify::Notify(pn.parent.dentry->inode().get(), abi_linux::kDN_DELETE);
  child->deleted_ = true;
  DropChildLocked(*pn.parent.dentry, pn.name);
  return {};
}

ErrnoOrVoid Vfs::Rmdir(Context& ctx, const Start& s, std::string_view path) {
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName pn, ResolveParentLocked(ctx, s, path, 0));
  if (pn.name.empty()) return Errno(EBUSY);
  if (pn.name == ".") return Errno(EINVAL);
  if (pn.name == "..") return Errno(ENOTEMPTY);
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Dentry> child,
                         LookupChildLocked(ctx, pn.parent.dentry, pn.name));
  Inode& ci = *child->inode();
  if (!ci.is_dir()) return Errno(ENOTDIR);
  if (child->mounts_ > 0) return Errno(EBUSY);
  RETURN_IF_ERRNO(MayDeleteLocked(ctx, pn.parent, ci));
  RETURN_IF_ERRNO(pn.parent.dentry->inode()->Rmdir(ctx, pn.name, ci));
  dnotify::Notify(pn.parent.dentry->inode().get(), abi_linux::kDN_DELETE);
  child->deleted_ = true;
  child->children_.clear();
  DropChildLocked(*pn.parent.dentry, pn.name);
  return {};
}

ErrnoOrVoid Vfs::Rename(Context& ctx, const Start& old_s, std::string_view old_path,
                        const Start& new_s, std::string_view new_path, uint32_t flags) {
  if (flags & ~uint32_t{RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT}) {
    return Errno(EINVAL);
  }
  if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) return Errno(EINVAL);
  if (flags & RENAME_WHITEOUT) return Errno(EINVAL);
  absl::MutexLock l(&mu_);
  ASSIGN_OR_RETURN_ERRNO(ParentAndName op, ResolveParentLocked(ctx, old_s, old_path, 0));
  ASSIGN_OR_RETURN_ERRNO(ParentAndName np, ResolveParentLocked(ctx, new_s, new_path, 0));
  if (op.name.empty() || IsDotOrDotDot(op.name)) return Errno(EBUSY);
  if (np.name.empty() || IsDotOrDotDot(np.name)) return Errno(EBUSY);
  if (op.parent.mount != np.parent.mount) return Errno(EXDEV);
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<Dentry> od,
                         LookupChildLocked(ctx, op.parent.dentry, op.name));
  std::shared_ptr<Dentry> nd;
  if (auto r = LookupChildLocked(ctx, np.parent.dentry, np.name); r.ok()) {
    nd = *r;
  } else if (r.error().value() != ENOENT) {
    return r.error();
  }
  Inode& oi = *od->inode();
  if (!oi.is_dir() && (op.trailing_slash || (np.trailing_slash && !nd))) return Errno(ENOTDIR);
  if (flags & RENAME_EXCHANGE) {
    if (!nd) return Errno(ENOENT);
  } else if (nd && (flags & RENAME_NOREPLACE)) {
    return Errno(EEXIST);
  }
  if (nd && nd->inode() == od->inode()) return {};  // same file: nothing to do
  if (nd && !(flags & RENAME_EXCHANGE)) {
    if (oi.is_dir() && !nd->inode()->is_dir()) return Errno(ENOTDIR);
    if (!oi.is_dir() && nd->inode()->is_dir()) return Errno(EISDIR);
  }
  if (od->mounts_ > 0 || (nd && nd->mounts_ > 0)) return Errno(EBUSY);
  // A directory cannot move below itself (nor, with EXCHANGE, the other).
  auto is_ancestor = [](const std::shared_ptr<Dentry>& a, std::shared_ptr<Dentry> d) {
    for (; d; d = d->parent()) {
      if (d == a) return true;
    }
    return false;
  };
  if (oi.is_dir() && is_ancestor(od, np.parent.dentry)) return Errno(EINVAL);
  if (nd && (flags & RENAME_EXCHANGE) && nd->inode()->is_dir() &&
      is_ancestor(nd, op.parent.dentry)) {
    return Errno(EINVAL);
  }
  if (nd && !(flags & RENAME_EXCHANGE) && is_ancestor(nd, op.parent.dentry)) {
    return Errno(ENOTEMPTY);
  }
  RETURN_IF_ERRNO(MayDeleteLocked(ctx, op.parent, oi));
  if (nd) {
    RETURN_IF_ERRNO(MayDeleteLocked(ctx, np.parent, *nd->inode()));
  } else {
    RETURN_IF_ERRNO(MayCreateLocked(ctx, np.parent));
  }
  if (oi.is_dir() && op.parent.dentry != np.parent.dentry) {
    RETURN_IF_ERRNO(oi.CheckPermission(ctx, kMayWrite));
  }
  RETURN_IF_ERRNO(op.parent.dentry->inode()->Rename(ctx, op.name, oi, *np.parent.dentry->inode(),
                                                    np.name, nd ? nd->inode().get() : nullptr,
                                                    flags));
  // As Linux's fsnotify_move, once per direction: the rename itself and the
  // name leaving to the old directory, the name arriving to the new one.
  auto notify_move = [](const Inode* from, const Inode* to) {
    dnotify::Notify(from, abi_linux::kDN_RENAME);
    dnotify::Notify(from, abi_linux::kDN_DELETE);
    dnotify::Notify(to, abi_linux::kDN_CREATE);
  };
  notify_move(op.parent.dentry->inode().get(), np.parent.dentry->inode().get());
  if (nd && (flags & RENAME_EXCHANGE)) {
    notify_move(np.parent.dentry->inode().get(), op.parent.dentry->inode().get());
  }
  // Update the cache: od moves to the new name; nd is replaced (or, with
  // EXCHANGE, moves to the old name).
  auto move = [&](const std::shared_ptr<Dentry>& d, const ParentAndName& to) {
    {
      absl::MutexLock dl(&d->mu_);
      d->name_ = to.name;
      d->parent_ = to.parent.dentry;
    }
    if (to.parent.dentry->inode()->CacheChildren()) to.parent.dentry->children_[to.name] = d;
  };
  op.parent.dentry->children_.erase(op.name);
  if (nd) np.parent.dentry->children_.erase(np.name);
  if (nd && (flags & RENAME_EXCHANGE)) {
    move(nd, op);
  } else {
    if (nd) nd->deleted_ = true;
    if (op.parent.dentry->inode()->CacheChildren()) op.parent.dentry->children_[op.name] = nullptr;
  }
  move(od, np);
  return {};
}

// ---- Attributes and access ----

ErrnoOrVoid Vfs::SetAttr(Context& ctx, const Path& p, const SetAttrArgs& in_args) {
  if (!p.valid()) return Errno(EBADF);
  SetAttrArgs args = in_args;
  Inode& in = *p.dentry->inode();
  auth::Credentials c = ctx.creds();
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat st, in.Stat());
  const bool owner = c.fsuid == st.st_uid || c.HasCapability(kCapFowner);
  if (args.mask & (SetAttrArgs::kMode | SetAttrArgs::kUid | SetAttrArgs::kGid |
                   SetAttrArgs::kSize | SetAttrArgs::kAtime | SetAttrArgs::kMtime |
                   SetAttrArgs::kChown)) {
    RETURN_IF_ERRNO(CheckWritable(p));
  }
  if (args.mask & SetAttrArgs::kMode) {
    if (!owner) return Errno(EPERM);
    uint32_t gid = (args.mask & SetAttrArgs::kGid) ? args.gid : st.st_gid;
    if (!InGroup(c, gid) && !c.HasCapability(kCapFsetid)) args.mode &= ~uint32_t{S_ISGID};
    args.mode &= 07777;
  }
  if (args.mask & (SetAttrArgs::kUid | SetAttrArgs::kGid | SetAttrArgs::kChown)) {
    bool uid_change = (args.mask & SetAttrArgs::kUid) && args.uid != st.st_uid;
    bool gid_change = (args.mask & SetAttrArgs::kGid) && args.gid != st.st_gid;
    if (uid_change && !c.HasCapability(kCapChown)) return Errno(EPERM);
    if (gid_change && !c.HasCapability(kCapChown) &&
        !(c.fsuid == st.st_uid && InGroup(c, args.gid))) {
      return Errno(EPERM);
    }
    // Changing ownership of a non-directory drops its set-user-ID bit, and
    // its set-group-ID bit when group-executable (Linux's killpriv).
    if (!in.is_dir() && (st.st_mode & (S_ISUID | S_ISGID))) {
      uint32_t m = st.st_mode & 07777;
      m &= ~uint32_t{S_ISUID};
      if (m & S_IXGRP) m &= ~uint32_t{S_ISGID};
      if (m != (st.st_mode & 07777) && !(args.mask & SetAttrArgs::kMode)) {
        args.mask |= SetAttrArgs::kMode;
        args.mode = m;
      }
    }
  }
  if (args.mask & SetAttrArgs::kSize) {
    if (in.is_dir()) return Errno(EISDIR);
    if (!in.is_regular()) return Errno(EINVAL);
  }
  args.mask &= ~SetAttrArgs::kChown;
  if (args.mask == 0) return {};
  RETURN_IF_ERRNO(in.SetAttr(ctx, args));
  if (dnotify::Active()) {
    // Linux's fsnotify_change: a size change is a modification, both times
    // together (utimes) an attribute change, one of them alone an access or
    // a modification.
    uint32_t ev = 0;
    if (args.mask & (SetAttrArgs::kMode | SetAttrArgs::kUid | SetAttrArgs::kGid)) {
      ev |= abi_linux::kDN_ATTRIB;
    }
    if (args.mask & SetAttrArgs::kSize) ev |= abi_linux::kDN_MODIFY;
    uint32_t times = args.mask & (SetAttrArgs::kAtime | SetAttrArgs::kMtime);
    if (times == (SetAttrArgs::kAtime | SetAttrArgs::kMtime)) {
      ev |= abi_linux::kDN_ATTRIB;
    } else if (times == SetAttrArgs::kAtime) {
      ev |= abi_linux::kDN_ACCESS;
    } else if (times == SetAttrArgs::kMtime) {
      ev |= abi_linux::kDN_MODIFY;
    }
    if (ev != 0) dnotify::NotifyParent(p, ev);
  }
  return {};
}

ErrnoOrVoid Vfs::Access(Context& ctx, const Path& p, int may, bool effective) {
  Inode& in = *p.dentry->inode();
  if ((may & kMayWrite) && !in.is_symlink() && (in.is_regular() || in.is_dir())) {
    RETURN_IF_ERRNO(CheckWritable(p));
  }
  if (may == 0) return {};
  if (effective) return in.CheckPermission(ctx, may);
  auth::Credentials c = ctx.creds();
  c.fsuid = c.ruid;
  c.fsgid = c.rgid;
  // Like Linux: with a non-root real uid, access(2) checks without
  // capabilities.
  if (c.ruid != 0) c.cap_effective = 0;
  CredsOverride real(ctx, std::move(c));
  return in.CheckPermission(real, may);
}

ErrnoOr<Path> Vfs::MakeDirs(Context& ctx, const Path& root, std::string_view path,
                            uint32_t mode) {
  absl::MutexLock l(&mu_);
  bool slash;
  Path cur = FollowMountsLocked(root);
  for (const std::string& name : Split(path, &slash)) {
    if (IsDotOrDotDot(name)) return Errno(EINVAL);
    auto child = LookupChildLocked(ctx, cur.dentry, name);
    if (!child.ok()) {
      if (child.error().value() != ENOENT) return child.error();
      CreateArgs args = NewFileArgs(ctx, cur, S_IFDIR | (mode & 07777));
      ASSIGN_OR_RETURN_ERRNO(child, CreateLocked(ctx, cur, name, args));
    }
    cur = FollowMountsLocked(Path{cur.mount, *child});
    if (!IsDir(cur.dentry)) return Errno(ENOTDIR);
  }
  return cur;
}

}  // namespace sentry::vfs
