// The overlay file system: inode identity, lookups through both layers,
// attributes, open and xattrs. Directory changes are in overlay_dir.cc,
// copy-up in copy_up.cc.
#include "sentry/fsimpl/overlay/overlay.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <map>
#include <set>

#include "abi/linux/dirent.h"
#include "abi/linux/statfs.h"
#include "absl/strings/numbers.h"
#include "sentry/fsimpl/overlay/overlay_internal.h"
#include "sentry/vfs/dir_file.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::overlay {

namespace internal {

bool IsWhiteout(vfs::Inode& in) {
  if (in.type() != S_IFCHR) return false;
  ErrnoOr<abi_linux::Stat> st = in.Stat();
  return st.ok() && st->st_rdev == 0;
}

bool IsOpaque(vfs::Context& ctx, vfs::Inode& upper_dir) {
  ErrnoOr<std::string> v = upper_dir.GetXattr(ctx, kOpaqueXattr);
  return v.ok() && *v == "y";
}

ErrnoOr<std::shared_ptr<vfs::Inode>> LookupOrNull(vfs::Context& ctx, vfs::Inode& dir,
                                                  const std::string& name) {
  ErrnoOr<std::shared_ptr<vfs::Inode>> r = dir.Lookup(ctx, name);
  if (!r.ok()) {
    if (r.error() == Errno(ENOENT)) return std::shared_ptr<vfs::Inode>();
    return r.error();
  }
  return r;
}

}  // namespace internal

namespace {

// The inode number an upper-layer file shows: its lower origin's when it
// was copied up, else its own, marked as upper.
uint64_t UpperIno(vfs::Context& ctx, vfs::Inode& upper) {
  ErrnoOr<std::string> origin = upper.GetXattr(ctx, kOriginXattr);
  uint64_t ino;
  if (origin.ok() && absl::SimpleAtoi(*origin, &ino)) return ino;
  ErrnoOr<abi_linux::Stat> st = upper.Stat();
  return (st.ok() ? st->st_ino : 0) | kUpperInoBit;
}

}  // namespace

// ---- OverlayFilesystem ----

OverlayFilesystem::OverlayFilesystem(std::shared_ptr<vfs::Filesystem> upper_fs,
                                     std::shared_ptr<vfs::Filesystem> lower_fs)
    : vfs::Filesystem("overlay", NewAnonDev()),
      upper_fs_(std::move(upper_fs)),
      lower_fs_(std::move(lower_fs)) {}

OverlayFilesystem::~OverlayFilesystem() = default;

ErrnoOr<vfs::StatFs> OverlayFilesystem::Statfs() {
  vfs::StatFs s;
  if (upper_root_fs_ != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(s, upper_root_fs_->Statfs());
  }
  s.type = abi_linux::kOVERLAYFS_SUPER_MAGIC;
  return s;
}

ErrnoOr<std::shared_ptr<OverlayInode>> OverlayFilesystem::Get(
    vfs::Context& ctx, std::shared_ptr<vfs::Inode> upper, std::shared_ptr<vfs::Inode> lower,
    const std::shared_ptr<OverlayInode>& parent, const std::string& name) {
  std::pair<uint64_t, uint64_t> key{0, 0};
  uint64_t ino = 0;
  if (lower != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat st, lower->Stat());
    key = {st.st_dev, st.st_ino};
    ino = st.st_ino;
  }
  if (upper != nullptr) {
    {
      absl::MutexLock l(&mu_);
      auto it = by_upper_.find(upper.get());
      if (it != by_upper_.end()) {
        if (auto in = it->second.lock()) return in;
      }
    }
    if (lower == nullptr) ino = UpperIno(ctx, *upper);
  }
  uint32_t type = upper ? upper->type() : lower->type();
  absl::MutexLock l(&mu_);
  if (upper != nullptr) {
    // Made by a racing lookup meanwhile?
    auto& slot = by_upper_[upper.get()];
    if (auto in = slot.lock()) return in;
    auto in = std::make_shared<OverlayInode>(*this, type, upper, lower, key, ino, parent, name);
    slot = in;
    return in;
  }
  auto& slot = by_lower_[key];
  if (auto in = slot.lock()) {
    // A lower file reached by another name (a hard link): copy it up there
    // if it changes.
    in->SetLocation(parent, name);
    return in;
  }
  auto in = std::make_shared<OverlayInode>(*this, type, nullptr, lower, key, ino, parent, name);
  slot = in;
  return in;
}

void OverlayFilesystem::Rekey(OverlayInode& in, const vfs::Inode* upper) {
  auto self = std::static_pointer_cast<OverlayInode>(in.shared_from_this());
  absl::MutexLock l(&mu_);
  auto it = by_lower_.find(in.lower_key_);
  if (it != by_lower_.end() && it->second.lock() == self) by_lower_.erase(it);
  by_upper_[upper] = self;
}

void OverlayFilesystem::Forget(OverlayInode& in) {
  std::shared_ptr<vfs::Inode> upper;
  {
    absl::MutexLock l(&in.mu_);
    upper = in.upper_;
  }
  absl::MutexLock l(&mu_);
  // Entries may already name a newer inode for the same layer file.
  if (upper != nullptr) {
    auto it = by_upper_.find(upper.get());
    if (it != by_upper_.end() && it->second.expired()) by_upper_.erase(it);
  }
  if (in.lower_ != nullptr) {
    auto it = by_lower_.find(in.lower_key_);
    if (it != by_lower_.end() && it->second.expired()) by_lower_.erase(it);
  }
}

std::shared_ptr<vfs::Inode> NewOverlayRoot(OverlayFilesystem& fs,
                                           std::shared_ptr<vfs::Inode> upper_root,
                                           std::shared_ptr<vfs::Inode> lower_root) {
  internal::InternalContext ctx;
  fs.upper_root_fs_ = &upper_root->fs();
  if (lower_root != nullptr && internal::IsOpaque(ctx, *upper_root)) lower_root = nullptr;
  std::pair<uint64_t, uint64_t> key{0, 0};
  uint64_t ino = 0;
  ErrnoOr<abi_linux::Stat> st = lower_root ? lower_root->Stat() : upper_root->Stat();
  if (st.ok()) {
    key = {st->st_dev, st->st_ino};
    ino = st->st_ino;
  }
  auto root = std::make_shared<OverlayInode>(fs, upper_root->type(), upper_root, lower_root, key,
                                             ino, nullptr, "");
  absl::MutexLock l(&fs.mu_);
  fs.by_upper_[upper_root.get()] = root;
  return root;
}

// ---- OverlayInode ----

OverlayInode::OverlayInode(OverlayFilesystem& fs, uint32_t type, std::shared_ptr<vfs::Inode> upper,
                           std::shared_ptr<vfs::Inode> lower,
                           std::pair<uint64_t, uint64_t> lower_key, uint64_t ino,
                           std::shared_ptr<OverlayInode> parent, std::string name)
    : vfs::Inode(fs, type),
      ofs_(fs),
      lower_(std::move(lower)),
      lower_key_(lower_key),
      ino_(ino),
      upper_(std::move(upper)),
      parent_(std::move(parent)),
      name_(std::move(name)) {}

OverlayInode::~OverlayInode() { ofs_.Forget(*this); }

std::shared_ptr<vfs::Inode> OverlayInode::upper() const {
  absl::MutexLock l(&mu_);
  return upper_;
}

void OverlayInode::SetLocation(std::shared_ptr<OverlayInode> parent, std::string name) {
  absl::MutexLock l(&mu_);
  if (upper_ != nullptr) return;
  parent_ = std::move(parent);
  name_ = std::move(name);
  located_ = true;
}

void OverlayInode::ClearLocation(const OverlayInode* parent, const std::string& name) {
  absl::MutexLock l(&mu_);
  if (parent_.get() == parent && name_ == name) located_ = false;
}

std::pair<std::shared_ptr<OverlayInode>, std::string> OverlayInode::Location() const {
  absl::MutexLock l(&mu_);
  if (!located_) return {nullptr, ""};
  return {parent_, name_};
}

ErrnoOr<abi_linux::Stat> OverlayInode::Stat() {
  std::shared_ptr<vfs::Inode> u = upper();
  vfs::Inode& real = u ? *u : *lower_;
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat st, real.Stat());
  st.st_dev = fs().dev();
  st.st_ino = ino_;
  // A merged directory's link count is not known (Linux reports 1).
  if (is_dir() && u != nullptr && lower_ != nullptr) st.st_nlink = 1;
  return st;
}

ErrnoOrVoid OverlayInode::SetAttr(vfs::Context& ctx, const vfs::SetAttrArgs& args) {
  uint64_t limit = (args.mask & vfs::SetAttrArgs::kSize) ? args.size : ~uint64_t{0};
  RETURN_IF_ERRNO(CopyUp(ctx, limit));
  return upper()->SetAttr(ctx, args);
}

ErrnoOr<std::shared_ptr<vfs::Inode>> OverlayInode::Lookup(vfs::Context& ctx,
                                                          const std::string& name) {
  if (!is_dir()) return Errno(ENOTDIR);
  std::shared_ptr<vfs::Inode> ud = upper();
  std::shared_ptr<vfs::Inode> u, l;
  if (ud != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(u, internal::LookupOrNull(ctx, *ud, name));
    if (u != nullptr && internal::IsWhiteout(*u)) return Errno(ENOENT);
  }
  auto self = std::static_pointer_cast<OverlayInode>(shared_from_this());
  if (u != nullptr && !u->is_dir()) {
    ASSIGN_OR_RETURN_ERRNO(auto in, ofs_.Get(ctx, u, nullptr, self, name));
    return std::shared_ptr<vfs::Inode>(std::move(in));
  }
  if (lower_ != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(l, internal::LookupOrNull(ctx, *lower_, name));
  }
  if (u != nullptr) {
    // An upper directory merges with a lower one of the same name unless
    // it is opaque.
    if (l != nullptr && (!l->is_dir() || internal::IsOpaque(ctx, *u))) l = nullptr;
    ASSIGN_OR_RETURN_ERRNO(auto in, ofs_.Get(ctx, u, l, self, name));
    return std::shared_ptr<vfs::Inode>(std::move(in));
  }
  if (l == nullptr) return Errno(ENOENT);
  ASSIGN_OR_RETURN_ERRNO(auto in, ofs_.Get(ctx, nullptr, l, self, name));
  return std::shared_ptr<vfs::Inode>(std::move(in));
}

ErrnoOr<std::vector<vfs::Dirent>> OverlayInode::ReadDir(vfs::Context& ctx) {
  if (!is_dir()) return Errno(ENOTDIR);
  std::map<std::string, vfs::Dirent> lower_entries;
  if (lower_ != nullptr) {
    ASSIGN_OR_RETURN_ERRNO(std::vector<vfs::Dirent> list, lower_->ReadDir(ctx));
    for (auto& e : list) lower_entries.emplace(e.name, std::move(e));
  }
  std::map<std::string, vfs::Dirent> out;
  if (std::shared_ptr<vfs::Inode> ud = upper()) {
    ASSIGN_OR_RETURN_ERRNO(std::vector<vfs::Dirent> list, ud->ReadDir(ctx));
    for (auto& e : list) {
      ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> child,
                             internal::LookupOrNull(ctx, *ud, e.name));
      if (child == nullptr) continue;  // gone meanwhile
      auto lower_it = lower_entries.find(e.name);
      if (internal::IsWhiteout(*child)) {
        if (lower_it != lower_entries.end()) lower_entries.erase(lower_it);
        continue;
      }
      uint64_t ino;
      if (lower_it != lower_entries.end() && child->is_dir() &&
          lower_it->second.type == abi_linux::kDT_DIR && !internal::IsOpaque(ctx, *child)) {
        ino = lower_it->second.ino;  // a merged directory shows the lower number
      } else {
        ino = UpperIno(ctx, *child);
      }
      if (lower_it != lower_entries.end()) lower_entries.erase(lower_it);
      out.emplace(e.name, vfs::Dirent{e.name, ino, e.type});
    }
  }
  for (auto& [name, e] : lower_entries) out.emplace(name, std::move(e));
  std::vector<vfs::Dirent> result;
  result.reserve(out.size());
  for (auto& [name, e] : out) result.push_back(std::move(e));
  return result;
}

ErrnoOr<std::string> OverlayInode::Readlink(vfs::Context& ctx) {
  std::shared_ptr<vfs::Inode> u = upper();
  return u ? u->Readlink(ctx) : lower_->Readlink(ctx);
}

ErrnoOr<std::shared_ptr<vfs::FileDescription>> OverlayInode::Open(vfs::Context& ctx, int flags) {
  if (is_dir()) {
    return std::shared_ptr<vfs::FileDescription>(std::make_shared<vfs::DirectoryFile>(flags));
  }
  // Only regular files are copied up to be written; FIFOs and devices open
  // where they are (a FIFO's pipe belongs to its inode), as on Linux.
  bool write = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
  if (is_regular() && write) {
    RETURN_IF_ERRNO(CopyUp(ctx, (flags & O_TRUNC) ? 0 : ~uint64_t{0}));
  }
  std::shared_ptr<vfs::Inode> u = upper();
  return u ? u->Open(ctx, flags) : lower_->Open(ctx, flags);
}

ErrnoOr<std::string> OverlayInode::GetXattr(vfs::Context& ctx, const std::string& name) {
  if (IsPrivateXattr(name)) return Errno(ENODATA);
  std::shared_ptr<vfs::Inode> u = upper();
  return u ? u->GetXattr(ctx, name) : lower_->GetXattr(ctx, name);
}

ErrnoOrVoid OverlayInode::SetXattr(vfs::Context& ctx, const std::string& name,
                                   const std::string& value, int flags) {
  if (IsPrivateXattr(name)) return Errno(EPERM);
  RETURN_IF_ERRNO(CopyUp(ctx));
  return upper()->SetXattr(ctx, name, value, flags);
}

ErrnoOr<std::vector<std::string>> OverlayInode::ListXattr(vfs::Context& ctx) {
  std::shared_ptr<vfs::Inode> u = upper();
  ASSIGN_OR_RETURN_ERRNO(std::vector<std::string> names,
                         u ? u->ListXattr(ctx) : lower_->ListXattr(ctx));
  std::erase_if(names, [](const std::string& n) { return IsPrivateXattr(n); });
  return names;
}

ErrnoOrVoid OverlayInode::RemoveXattr(vfs::Context& ctx, const std::string& name) {
  if (IsPrivateXattr(name)) return Errno(EPERM);
  RETURN_IF_ERRNO(CopyUp(ctx));
  return upper()->RemoveXattr(ctx, name);
}

}  // namespace sentry::fsimpl::overlay
