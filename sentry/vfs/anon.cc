#include "sentry/vfs/anon.h"

#include <sys/stat.h>

namespace sentry::vfs {

namespace {

class AnonFilesystem : public Filesystem {
 public:
  AnonFilesystem() : Filesystem("anon_inodefs", NewAnonDev()) {}
};

AnonFilesystem& AnonFs() {
  static auto* fs = new AnonFilesystem();
  return *fs;
}

std::shared_ptr<Mount> AnonMount() {
  static auto* m = [] {
    auto root = std::make_shared<Dentry>(nullptr, "/", nullptr);
    return new std::shared_ptr<Mount>(std::make_shared<Mount>(
        0, std::shared_ptr<Filesystem>(std::shared_ptr<Filesystem>{}, &AnonFs()), root, 0,
        "anon", ""));
  }();
  return *m;
}

// The file's own attributes; opening it yields the file itself.
class AnonInode : public Inode {
 public:
  AnonInode(uint32_t type, std::weak_ptr<FileDescription> file)
      : Inode(AnonFs(), type), file_(std::move(file)) {}
  ErrnoOr<abi_linux::Stat> Stat() override {
    auto f = file_.lock();
    if (!f) return Errno(ENOENT);
    return f->Stat();
  }
  ErrnoOrVoid CheckPermission(Context&, int) override { return {}; }
  // O_TRUNC through the link truncates the file itself, as on Linux.
  ErrnoOrVoid SetAttr(Context&, const SetAttrArgs& args) override {
    auto f = file_.lock();
    if (!f) return Errno(ENOENT);
    if (args.mask & ~(SetAttrArgs::kSize | SetAttrArgs::kCtime)) return Errno(EPERM);
    if (args.mask & SetAttrArgs::kSize) return f->Truncate(args.size);
    return {};
  }
  ErrnoOr<std::shared_ptr<FileDescription>> Open(Context&, int) override {
    auto f = file_.lock();
    if (!f) return Errno(ENOENT);
    return f;
  }

 private:
  const std::weak_ptr<FileDescription> file_;
};

}  // namespace

ErrnoOr<Path> AnonPathFor(const std::shared_ptr<FileDescription>& file) {
  ASSIGN_OR_RETURN_ERRNO(abi_linux::Stat st, file->Stat());
  uint32_t type = st.st_mode & S_IFMT;
  // Directories and symlinks never come here; anything else keeps its type
  // so opens check it as such.
  if (type == S_IFDIR || type == S_IFLNK || type == 0) type = S_IFREG;
  auto in = std::make_shared<AnonInode>(type, file);
  auto d = std::make_shared<Dentry>(std::move(in), file->Name(), nullptr);
  return Path{AnonMount(), std::move(d)};
}

}  // namespace sentry::vfs
