#include "sentry/fsimpl/sys/kernfs.h"

#include <fcntl.h>
#include <time.h>

#include <algorithm>

#include "abi/linux/dirent.h"
#include "sentry/vfs/dir_file.h"

namespace sentry::fsimpl::kernfs {

abi_linux::Timespec Now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return abi_linux::Timespec{ts.tv_sec, ts.tv_nsec};
}

uint8_t DirentType(uint32_t type) {
  switch (type & 0170000) {
    case 0040000:
      return abi_linux::kDT_DIR;
    case 0100000:
      return abi_linux::kDT_REG;
    case 0120000:
      return abi_linux::kDT_LNK;
    case 0020000:
      return abi_linux::kDT_CHR;
    case 0060000:
      return abi_linux::kDT_BLK;
    case 0010000:
      return abi_linux::kDT_FIFO;
    case 0140000:
      return abi_linux::kDT_SOCK;
    default:
      return abi_linux::kDT_UNKNOWN;
  }
}

vfs::Dirent DirentFor(const std::string& name, vfs::Inode& inode) {
  uint64_t ino = 0;
  if (auto* n = dynamic_cast<Node*>(&inode)) {
    ino = n->ino();
  } else if (auto st = inode.Stat(); st.ok()) {
    ino = st->st_ino;
  }
  return vfs::Dirent{name, ino, DirentType(inode.type())};
}

// ---- Node ----

Node::Node(vfs::Filesystem& fs, uint32_t mode, uint64_t ino)
    : Inode(fs, mode & 0170000), ino_(ino != 0 ? ino : fs.NextIno()), mode_(mode) {
  atime_ = mtime_ = ctime_ = Now();
}

std::pair<uint32_t, uint32_t> Node::Owner() {
  absl::MutexLock l(&mu_);
  return {uid_, gid_};
}

void Node::set_owner(uint32_t uid, uint32_t gid) {
  absl::MutexLock l(&mu_);
  uid_ = uid;
  gid_ = gid;
}

void Node::Touch(bool mtime) {
  abi_linux::Timespec now = Now();
  absl::MutexLock l(&mu_);
  ctime_ = now;
  if (mtime) mtime_ = now;
}

ErrnoOr<abi_linux::Stat> Node::Stat() {
  abi_linux::Stat st{};
  auto [uid, gid] = Owner();
  st.st_dev = fs().dev();
  st.st_ino = ino_;
  st.st_nlink = Nlink();
  st.st_uid = uid;
  st.st_gid = gid;
  st.st_rdev = Rdev();
  st.st_size = Size();
  st.st_blksize = 4096;
  st.st_blocks = 0;
  absl::MutexLock l(&mu_);
  st.st_mode = mode_;
  st.st_atim = atime_;
  st.st_mtim = mtime_;
  st.st_ctim = ctime_;
  return st;
}

ErrnoOrVoid Node::SetAttr(vfs::Context&, const vfs::SetAttrArgs& args) {
  using A = vfs::SetAttrArgs;
  if (!settable_) {
    // As Linux's proc_setattr: no mode or owner changes; the rest (O_TRUNC,
    // utimes) succeeds without effect.
    if (args.mask & (A::kMode | A::kUid | A::kGid)) return Errno(EPERM);
    return {};
  }
  if ((args.mask & A::kSize) && type() != 0100000) {
    // Truncating a device node or a directory changes nothing.
    if (type() == 0040000) return Errno(EISDIR);
  }
  abi_linux::Timespec now = Now();
  absl::MutexLock l(&mu_);
  if (args.mask & A::kMode) mode_ = (mode_ & 0170000) | (args.mode & 07777);
  if (args.mask & A::kUid) uid_ = args.uid;
  if (args.mask & A::kGid) gid_ = args.gid;
  if (args.mask & A::kAtime) atime_ = args.atime;
  if (args.mask & A::kMtime) mtime_ = args.mtime;
  ctime_ = now;
  return {};
}

// ---- SnapshotFile ----

ErrnoOrVoid SnapshotFile::EnsureText() {
  if (text_.has_value()) return {};
  if (!text_fn_) {
    text_.emplace();
    return {};
  }
  ASSIGN_OR_RETURN_ERRNO(std::string t, text_fn_());
  text_ = std::move(t);
  text_fn_ = nullptr;  // whatever it captured is no longer needed
  return {};
}

ErrnoOr<size_t> SnapshotFile::Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t offset) {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERRNO(EnsureText());
  uint64_t pos = offset >= 0 ? static_cast<uint64_t>(offset) : static_cast<uint64_t>(pos_);
  const std::string& t = *text_;
  ASSIGN_OR_RETURN_ERRNO(size_t done, vfs::CopyOutFrom(mm, dst, t, pos));
  if (offset < 0) pos_ = static_cast<int64_t>(pos + done);
  return done;
}

ErrnoOr<size_t> SnapshotFile::Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t) {
  if (!write_) return Errno(EINVAL);
  std::string data;
  for (const vfs::IoSeg& seg : src) {
    if (data.size() >= kMaxWrite) break;
    size_t want = std::min<uint64_t>(seg.len, kMaxWrite - data.size());
    size_t at = data.size();
    data.resize(at + want);
    auto n = mm.CopyIn(seg.addr, data.data() + at, want);
    if (!n.ok()) return n.error();
    data.resize(at + *n);
    if (*n < want) {
      if (data.empty()) return Errno(EFAULT);
      break;
    }
  }
  RETURN_IF_ERRNO(write_(data));
  return data.size();
}

ErrnoOr<int64_t> SnapshotFile::Seek(int64_t offset, int whence) {
  absl::MutexLock l(&mu_);
  int64_t base;
  switch (whence) {
    case SEEK_SET:
      base = 0;
      break;
    case SEEK_CUR:
      base = pos_;
      break;
    case SEEK_END: {
      RETURN_IF_ERRNO(EnsureText());
      base = static_cast<int64_t>(text_->size());
      break;
    }
    default:
      return Errno(EINVAL);
  }
  if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0) return Errno(EINVAL);
  pos_ = base + offset;
  return pos_;
}

// ---- File ----

std::shared_ptr<File> File::Static(vfs::Filesystem& fs, uint32_t mode, std::string text) {
  return std::make_shared<File>(fs, mode,
                                [text = std::move(text)](vfs::Context&) -> ErrnoOr<TextFn> {
                                  return TextFn([text]() -> ErrnoOr<std::string> { return text; });
                                });
}

File::OpenFn Eager(std::function<ErrnoOr<std::string>(vfs::Context&)> gen) {
  return [gen = std::move(gen)](vfs::Context& ctx) -> ErrnoOr<TextFn> {
    ASSIGN_OR_RETURN_ERRNO(std::string text, gen(ctx));
    return TextFn([text = std::move(text)]() -> ErrnoOr<std::string> { return text; });
  };
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> File::Open(vfs::Context& ctx, int flags) {
  // Opening a read-only file for writing succeeds when permissions allow
  // (root); writes then fail with EINVAL, as for a proc file without a
  // write operation.
  ASSIGN_OR_RETURN_ERRNO(TextFn text, open_(ctx));
  WriteFn write = bind_write_ ? bind_write_(ctx) : write_;
  return std::shared_ptr<vfs::FileDescription>(
      std::make_shared<SnapshotFile>(flags, std::move(text), std::move(write)));
}

// ---- Dir ----

void Dir::Add(const std::string& name, std::shared_ptr<vfs::Inode> child) {
  absl::MutexLock l(&mu_);
  children_[name] = std::move(child);
}

std::shared_ptr<Dir> Dir::MakeDirs(std::string_view path) {
  std::shared_ptr<Dir> d = std::static_pointer_cast<Dir>(shared_from_this());
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string name(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (name.empty()) continue;
    std::shared_ptr<Dir> next = std::dynamic_pointer_cast<Dir>(d->Child(name));
    if (!next) {
      next = std::make_shared<Dir>(fs(), 0555);
      d->Add(name, next);
    }
    d = std::move(next);
  }
  return d;
}

std::shared_ptr<vfs::Inode> Dir::Child(const std::string& name) {
  absl::MutexLock l(&mu_);
  auto it = children_.find(name);
  return it == children_.end() ? nullptr : it->second;
}

void Dir::Remove(const std::string& name) {
  absl::MutexLock l(&mu_);
  children_.erase(name);
}

bool Dir::Empty() {
  absl::MutexLock l(&mu_);
  return children_.empty();
}

uint64_t Dir::Nlink() {
  absl::MutexLock l(&mu_);
  uint64_t n = 2;
  for (const auto& [name, child] : children_) {
    if (child->is_dir()) ++n;
  }
  return n;
}

ErrnoOr<std::shared_ptr<vfs::Inode>> Dir::Lookup(vfs::Context&, const std::string& name) {
  std::shared_ptr<vfs::Inode> c = Child(name);
  if (!c) return Errno(ENOENT);
  return c;
}

ErrnoOr<std::vector<vfs::Dirent>> Dir::ReadDir(vfs::Context&) {
  std::vector<std::pair<std::string, std::shared_ptr<vfs::Inode>>> list;
  {
    absl::MutexLock l(&mu_);
    list.assign(children_.begin(), children_.end());
  }
  std::vector<vfs::Dirent> out;
  out.reserve(list.size());
  for (auto& [name, child] : list) out.push_back(DirentFor(name, *child));
  return out;
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> Dir::Open(vfs::Context&, int flags) {
  if ((flags & O_ACCMODE) != O_RDONLY) return Errno(EISDIR);
  return std::shared_ptr<vfs::FileDescription>(std::make_shared<vfs::DirectoryFile>(flags));
}

// ---- Symlink ----

Symlink::Symlink(vfs::Filesystem& fs, std::string target, uint64_t ino)
    : Node(fs, 0120777, ino), fixed_(std::move(target)) {}

ErrnoOr<std::string> Symlink::Readlink(vfs::Context& ctx) {
  if (target_fn_) return target_fn_(ctx);
  return fixed_;
}

std::optional<ErrnoOr<vfs::Path>> Symlink::FollowMagic(vfs::Context& ctx) {
  if (magic_) return magic_(ctx);
  return std::nullopt;
}

}  // namespace sentry::fsimpl::kernfs
