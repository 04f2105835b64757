#include "sentry/fsimpl/proc/path_name.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace sentry::fsimpl::proc {

std::string PathFromRoot(const vfs::Path& root, const vfs::Path& p) {
  if (!p.valid()) return "";
  std::vector<std::string> parts;
  vfs::Path cur = p;
  // Bounded: a tree deeper than this is not walked further.
  for (int steps = 0; steps < 4096; ++steps) {
    if (cur == root) break;
    if (cur.dentry == cur.mount->root()) {
      std::shared_ptr<vfs::Mount> parent = cur.mount->parent();
      std::shared_ptr<vfs::Dentry> mountpoint = cur.mount->mountpoint();
      if (!parent || !mountpoint) break;  // the top of the mount tree
      cur = vfs::Path{std::move(parent), std::move(mountpoint)};
      continue;
    }
    std::shared_ptr<vfs::Dentry> up = cur.dentry->parent();
    if (!up) break;
    parts.push_back(cur.dentry->name());
    cur.dentry = std::move(up);
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) absl::StrAppend(&out, "/", *it);
  if (out.empty()) out.push_back('/');
  if (p.dentry->deleted()) absl::StrAppend(&out, " (deleted)");
  return out;
}

}  // namespace sentry::fsimpl::proc
