// Directory changes in the overlay: they all happen in the upper layer
// (copying the directory up first), leaving whiteouts where a lower name
// must stay hidden and marking directories opaque where a lower one must
// not show through.
#include <sys/stat.h>

#include "abi/linux/fcntl.h"
#include "sentry/fsimpl/overlay/overlay.h"
#include "sentry/fsimpl/overlay/overlay_internal.h"

namespace sentry::fsimpl::overlay {

namespace {

using internal::IsWhiteout;
using internal::LookupOrNull;

ErrnoOrVoid MakeWhiteout(vfs::Context& ctx, vfs::Inode& upper_dir, const std::string& name) {
  ErrnoOr<std::shared_ptr<vfs::Inode>> w =
      upper_dir.Create(ctx, name, vfs::CreateArgs{.mode = S_IFCHR, .rdev = 0, .uid = 0, .gid = 0});
  if (!w.ok()) return w.error();
  return {};
}

// Removes a whiteout at `name`; whether there was one. EEXIST when a real
// upper file has the name (the caller was told the name was free).
ErrnoOr<bool> RemoveWhiteout(vfs::Context& ctx, vfs::Inode& upper_dir, const std::string& name) {
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> u, LookupOrNull(ctx, upper_dir, name));
  if (u == nullptr) return false;
  if (!IsWhiteout(*u)) return Errno(EEXIST);
  RETURN_IF_ERRNO(upper_dir.Unlink(ctx, name, *u));
  return true;
}

// Empties an upper directory of the whiteouts it holds (and fails with
// ENOTEMPTY if it holds anything else), so it can be removed.
ErrnoOrVoid ClearWhiteouts(vfs::Context& ctx, vfs::Inode& upper_dir) {
  ASSIGN_OR_RETURN_ERRNO(std::vector<vfs::Dirent> list, upper_dir.ReadDir(ctx));
  for (const vfs::Dirent& e : list) {
    ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> w, LookupOrNull(ctx, upper_dir, e.name));
    if (w == nullptr) continue;
    if (!IsWhiteout(*w)) return Errno(ENOTEMPTY);
    RETURN_IF_ERRNO(upper_dir.Unlink(ctx, e.name, *w));
  }
  return {};
}

ErrnoOrVoid CheckEmpty(vfs::Context& ctx, vfs::Inode& dir) {
  ASSIGN_OR_RETURN_ERRNO(std::vector<vfs::Dirent> list, dir.ReadDir(ctx));
  if (!list.empty()) return Errno(ENOTEMPTY);
  return {};
}

}  // namespace

ErrnoOr<std::shared_ptr<vfs::Inode>> OverlayInode::UpperDir(vfs::Context& ctx) {
  if (!is_dir()) return Errno(ENOTDIR);
  RETURN_IF_ERRNO(CopyUp(ctx));
  return upper();
}

bool OverlayInode::LowerHas(vfs::Context& ctx, const std::string& name) {
  if (lower_ == nullptr || !is_dir()) return false;
  return lower_->Lookup(ctx, name).ok();
}

ErrnoOr<std::shared_ptr<vfs::Inode>> OverlayInode::Create(vfs::Context& ctx,
                                                          const std::string& name,
                                                          const vfs::CreateArgs& args) {
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> ud, UpperDir(ctx));
  ASSIGN_OR_RETURN_ERRNO(bool was_whiteout, RemoveWhiteout(ctx, *ud, name));
  ErrnoOr<std::shared_ptr<vfs::Inode>> nu = ud->Create(ctx, name, args);
  if (!nu.ok()) {
    if (was_whiteout) (void)MakeWhiteout(ctx, *ud, name);
    return nu.error();
  }
  // A directory made where a lower name was removed must not show the
  // lower directory's entries.
  if ((*nu)->is_dir() && was_whiteout) {
    ErrnoOrVoid opaque = (*nu)->SetXattr(ctx, kOpaqueXattr, "y", 0);
    if (!opaque.ok()) {
      (void)ud->Rmdir(ctx, name, **nu);
      (void)MakeWhiteout(ctx, *ud, name);
      return opaque.error();
    }
  }
  auto self = std::static_pointer_cast<OverlayInode>(shared_from_this());
  ASSIGN_OR_RETURN_ERRNO(auto in, ofs_.Get(ctx, *nu, nullptr, self, name));
  return std::shared_ptr<vfs::Inode>(std::move(in));
}

ErrnoOr<std::shared_ptr<vfs::Inode>> OverlayInode::Symlink(vfs::Context& ctx,
                                                           const std::string& name,
                                                           const std::string& target, uint32_t uid,
                                                           uint32_t gid) {
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> ud, UpperDir(ctx));
  ASSIGN_OR_RETURN_ERRNO(bool was_whiteout, RemoveWhiteout(ctx, *ud, name));
  ErrnoOr<std::shared_ptr<vfs::Inode>> nu = ud->Symlink(ctx, name, target, uid, gid);
  if (!nu.ok()) {
    if (was_whiteout) (void)MakeWhiteout(ctx, *ud, name);
    return nu.error();
  }
  auto self = std::static_pointer_cast<OverlayInode>(shared_from_this());
  ASSIGN_OR_RETURN_ERRNO(auto in, ofs_.Get(ctx, *nu, nullptr, self, name));
  return std::shared_ptr<vfs::Inode>(std::move(in));
}

ErrnoOrVoid OverlayInode::Link(vfs::Context& ctx, const std::string& name,
                               const std::shared_ptr<vfs::Inode>& target) {
  auto t = std::dynamic_pointer_cast<OverlayInode>(target);
  if (t == nullptr || &t->fs() != &fs()) return Errno(EXDEV);
  if (t->is_dir()) return Errno(EPERM);
  RETURN_IF_ERRNO(t->CopyUp(ctx));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> ud, UpperDir(ctx));
  ASSIGN_OR_RETURN_ERRNO(bool was_whiteout, RemoveWhiteout(ctx, *ud, name));
  ErrnoOrVoid linked = ud->Link(ctx, name, t->upper());
  if (!linked.ok() && was_whiteout) (void)MakeWhiteout(ctx, *ud, name);
  return linked;
}

ErrnoOrVoid OverlayInode::Unlink(vfs::Context& ctx, const std::string& name, vfs::Inode& child) {
  auto* c = dynamic_cast<OverlayInode*>(&child);
  if (c == nullptr) return Errno(ENOENT);
  if (c->is_dir()) return Errno(EISDIR);
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> ud, UpperDir(ctx));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> u, LookupOrNull(ctx, *ud, name));
  if (u != nullptr && !IsWhiteout(*u)) RETURN_IF_ERRNO(ud->Unlink(ctx, name, *u));
  if (LowerHas(ctx, name)) RETURN_IF_ERRNO(MakeWhiteout(ctx, *ud, name));
  c->ClearLocation(this, name);
  return {};
}

ErrnoOrVoid OverlayInode::Rmdir(vfs::Context& ctx, const std::string& name, vfs::Inode& child) {
  auto* c = dynamic_cast<OverlayInode*>(&child);
  if (c == nullptr) return Errno(ENOENT);
  if (!c->is_dir()) return Errno(ENOTDIR);
  // Empty as the guest sees it: whiteouts and hidden lower entries do not
  // count.
  RETURN_IF_ERRNO(CheckEmpty(ctx, *c));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> ud, UpperDir(ctx));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> u, LookupOrNull(ctx, *ud, name));
  if (u != nullptr && !IsWhiteout(*u)) {
    RETURN_IF_ERRNO(ClearWhiteouts(ctx, *u));
    RETURN_IF_ERRNO(ud->Rmdir(ctx, name, *u));
  }
  if (LowerHas(ctx, name)) RETURN_IF_ERRNO(MakeWhiteout(ctx, *ud, name));
  c->ClearLocation(this, name);
  return {};
}

ErrnoOrVoid OverlayInode::Rename(vfs::Context& ctx, const std::string& name, vfs::Inode& child,
                                 vfs::Inode& new_dir, const std::string& new_name,
                                 vfs::Inode* replaced, uint32_t flags) {
  auto* c = dynamic_cast<OverlayInode*>(&child);
  auto* nd = dynamic_cast<OverlayInode*>(&new_dir);
  if (c == nullptr || nd == nullptr || &nd->fs() != &fs()) return Errno(EXDEV);
  auto* r = replaced ? dynamic_cast<OverlayInode*>(replaced) : nullptr;
  if (replaced != nullptr && r == nullptr) return Errno(EXDEV);
  if (nd == this && name == new_name) return {};
  if (replaced == &child) return {};
  const bool exchange = flags & abi_linux::kRENAME_EXCHANGE;
  if (exchange && r == nullptr) return Errno(ENOENT);
  if ((flags & abi_linux::kRENAME_NOREPLACE) && r != nullptr) return Errno(EEXIST);
  // Directories with lower content cannot move without redirects.
  if (c->is_dir() && c->lower() != nullptr) return Errno(EXDEV);
  if (exchange && r->is_dir() && r->lower() != nullptr) return Errno(EXDEV);
  if (!exchange && r != nullptr && r->is_dir()) RETURN_IF_ERRNO(CheckEmpty(ctx, *r));

  RETURN_IF_ERRNO(c->CopyUp(ctx));
  if (exchange) RETURN_IF_ERRNO(r->CopyUp(ctx));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> ud, UpperDir(ctx));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> nud, nd->UpperDir(ctx));
  const bool src_lower = LowerHas(ctx, name);
  const bool dst_lower = nd->LowerHas(ctx, new_name);

  // What new_name is in the upper layer.
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::Inode> u_dst, LookupOrNull(ctx, *nud, new_name));
  bool removed_whiteout = false;
  if (u_dst != nullptr && IsWhiteout(*u_dst)) {
    if (exchange) return Errno(ENOENT);
    RETURN_IF_ERRNO(nud->Unlink(ctx, new_name, *u_dst));
    removed_whiteout = true;
    u_dst = nullptr;
  } else if (u_dst != nullptr && !exchange && u_dst->is_dir()) {
    RETURN_IF_ERRNO(ClearWhiteouts(ctx, *u_dst));
  } else if (u_dst == nullptr && exchange) {
    return Errno(ENOENT);
  }

  std::shared_ptr<vfs::Inode> u_child = c->upper();
  ErrnoOrVoid moved = ud->Rename(ctx, name, *u_child, *nud, new_name, u_dst.get(), flags);
  if (!moved.ok()) {
    if (removed_whiteout) (void)MakeWhiteout(ctx, *nud, new_name);
    return moved;
  }
  // The old name stays hidden if the lower layer has it (after an exchange
  // the other file holds it).
  if (!exchange && src_lower) RETURN_IF_ERRNO(MakeWhiteout(ctx, *ud, name));
  // A directory moved onto a name the lower layer has must not merge with
  // what is below.
  if (c->is_dir() && dst_lower) RETURN_IF_ERRNO(u_child->SetXattr(ctx, kOpaqueXattr, "y", 0));
  if (exchange && r->is_dir() && src_lower) {
    RETURN_IF_ERRNO(r->upper()->SetXattr(ctx, kOpaqueXattr, "y", 0));
  }
  auto nd_self = std::static_pointer_cast<OverlayInode>(nd->shared_from_this());
  auto self = std::static_pointer_cast<OverlayInode>(shared_from_this());
  {
    absl::MutexLock l(&c->mu_);
    c->parent_ = nd_self;
    c->name_ = new_name;
    c->located_ = true;
  }
  if (r != nullptr) {
    if (exchange) {
      absl::MutexLock l(&r->mu_);
      r->parent_ = self;
      r->name_ = name;
      r->located_ = true;
    } else {
      r->ClearLocation(nd, new_name);
    }
  }
  return {};
}

}  // namespace sentry::fsimpl::overlay
