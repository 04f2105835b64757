// Copy-up: bringing a lower file into the upper layer before its first
// change. Parents go first; the file is made in the upper directory with
// the lower file's type, mode, owner, data (regular files), target
// (symlinks), xattrs and times, and the parent directory's times are put
// back afterwards, as Linux's overlayfs does.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "sentry/fsimpl/overlay/overlay.h"
#include "sentry/fsimpl/overlay/overlay_internal.h"
#include "sentry/fsimpl/tmpfs/regular_file.h"
#include "sentry/mm/mappable.h"
#include "sentry/vfs/file_description.h"

namespace sentry::fsimpl::overlay {

namespace {

constexpr size_t kCopyChunk = size_t{1} << 20;
constexpr size_t kPage = 4096;

bool AllZero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

// Copies the first `len` bytes of `lower` into the new upper file `upper`.
ErrnoOrVoid CopyData(vfs::Context& ctx, vfs::Inode& lower, vfs::Inode& upper, uint64_t len) {
  auto* dst = dynamic_cast<tmpfs::RegularFile*>(&upper);
  if (dst == nullptr) return Errno(EIO);  // the upper layer must be tmpfs
  auto* src = dynamic_cast<mm::Mappable*>(&lower);
  std::shared_ptr<vfs::FileDescription> fd;
  std::shared_ptr<mm::Mappable> holder;
  if (src == nullptr) {
    ASSIGN_OR_RETURN_ERRNO(fd, lower.Open(ctx, O_RDONLY));
    ErrnoOr<std::shared_ptr<mm::Mappable>> m = fd->GetMappable();
    if (!m.ok()) return Errno(EIO);
    holder = std::move(*m);
    src = holder.get();
  }
  RETURN_IF_ERRNO(dst->Truncate(len));
  std::vector<uint8_t> buf(kCopyChunk);
  uint64_t off = 0;
  while (off < len) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kCopyChunk, len - off));
    ASSIGN_OR_RETURN_ERRNO(size_t got, src->ReadForMap(buf.data(), want, off));
    if (got == 0) break;
    // All-zero pages stay holes.
    for (size_t p = 0; p < got; p += kPage) {
      size_t n = std::min(kPage, got - p);
      if (AllZero(buf.data() + p, n)) continue;
      ASSIGN_OR_RETURN_ERRNO(size_t w, dst->WriteAt(buf.data() + p, n, off + p));
      if (w < n) return Errno(ENOSPC);
    }
    off += got;
    if (got < want) break;
  }
  // The lower file was shorter than it said: keep what was there.
  if (off < len) RETURN_IF_ERRNO(dst->Truncate(off));
  return {};
}

// Copies the guest-visible xattrs. Best effort, as for layers that lack
// xattr support (EOPNOTSUPP) Linux carries on too.
void CopyXattrs(vfs::Context& ctx, vfs::Inode& lower, vfs::Inode& upper) {
  ErrnoOr<std::vector<std::string>> names = lower.ListXattr(ctx);
  if (!names.ok()) return;
  for (const std::string& name : *names) {
    if (IsPrivateXattr(name)) continue;
    ErrnoOr<std::string> value = lower.GetXattr(ctx, name);
    if (!value.ok()) continue;
    (void)upper.SetXattr(ctx, name, *value, 0);
  }
}

// Puts back a directory's times after a copy-up changed its entries.
void RestoreTimes(vfs::Context& ctx, vfs::Inode& in, const abi_linux::Stat& st) {
  vfs::SetAttrArgs a;
  a.mask = vfs::SetAttrArgs::kAtime | vfs::SetAttrArgs::kMtime;
  a.atime = st.st_atim;
  a.mtime = st.st_mtim;
  (void)in.SetAttr(ctx, a);
}

}  // namespace

ErrnoOrVoid OverlayInode::CopyUp(vfs::Context& ctx, uint64_t data_limit) {
  if (upper() != nullptr) return {};
  absl::MutexLock l(&ofs_.copy_up_mu_);
  return CopyUpLocked(ctx, data_limit);
}

ErrnoOrVoid OverlayInode::CopyUpLocked(vfs::Context& ctx, uint64_t data_limit) {
  if (upper() != nullptr) return {};
  auto [parent, name] = Location();
  if (parent == nullptr || lower_ == nullptr) return Errno(ENOENT);
  parent->ofs_.copy_up_mu_.AssertHeld();  // one file system, one lock
  RETURN_IF_ERRNO(parent->CopyUpLocked(ctx, ~uint64_t{0}));
  std::shared_ptr<vfs::Inode> pu = parent->upper();
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat parent_st, pu->Stat());
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat st, lower_->Stat());

  std::shared_ptr<vfs::Inode> nu;
  if (is_symlink()) {
    ASSIGN_OR_RETURN_ERRNO(std::string target, lower_->Readlink(ctx));
    ASSIGN_OR_RETURN_ERRNO(nu, pu->Symlink(ctx, name, target, st.st_uid, st.st_gid));
  } else {
    vfs::CreateArgs args{.mode = type() | (st.st_mode & 07777),
                         .rdev = st.st_rdev,
                         .uid = st.st_uid,
                         .gid = st.st_gid};
    ASSIGN_OR_RETURN_ERRNO(nu, pu->Create(ctx, name, args));
  }
  if (is_regular()) {
    ErrnoOrVoid copied = CopyData(ctx, *lower_, *nu, std::min<uint64_t>(st.st_size, data_limit));
    if (!copied.ok()) {
      // Leave no half-copied file behind.
      (void)pu->Unlink(ctx, name, *nu);
      RestoreTimes(ctx, *pu, parent_st);
      return copied.error();
    }
  }
  CopyXattrs(ctx, *lower_, *nu);
  (void)nu->SetXattr(ctx, kOriginXattr, std::to_string(ino_), 0);
  RestoreTimes(ctx, *nu, st);
  RestoreTimes(ctx, *pu, parent_st);
  {
    absl::MutexLock l(&mu_);
    upper_ = nu;
  }
  ofs_.Rekey(*this, nu.get());
  return {};
}

}  // namespace sentry::fsimpl::overlay
