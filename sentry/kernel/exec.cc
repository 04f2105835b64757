#include "sentry/kernel/exec.h"

#include <fcntl.h>

#include <cstring>

#include "sentry/vfs/file_description.h"

namespace sentry::kernel {

using util::Errno;
using util::ErrnoOr;

namespace {

// Linux's BINPRM_BUF_SIZE: how much of a `#!` line is read.
constexpr size_t kBinprmBuf = 256;
constexpr int kMaxInterpDepth = 4;

// Opens p for execution: a regular file with execute permission on an
// exec-allowed mount. Read permission is not needed (as on Linux).
ErrnoOr<std::shared_ptr<mm::Mappable>> OpenForExec(vfs::Context& ctx, const vfs::Path& p) {
  vfs::Inode& in = *p.dentry->inode();
  if (!in.is_regular()) return Errno(EACCES);
  if (p.mount->flags() & vfs::kMountNoExec) return Errno(EACCES);
  RETURN_IF_ERRNO(in.CheckPermission(ctx, vfs::kMayExec));
  ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<vfs::FileDescription> f, in.Open(ctx, O_RDONLY));
  f->set_path(p);
  return f->GetMappable();
}

// Parses "#!interp [arg]" from the start of a file; false if not a script.
bool ParseShebang(const char* buf, size_t n, std::string* interp, std::string* arg) {
  if (n < 2 || buf[0] != '#' || buf[1] != '!') return false;
  std::string line(buf + 2, n - 2);
  size_t nl = line.find('\n');
  if (nl != std::string::npos) line.resize(nl);
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  size_t j = i;
  while (j < line.size() && !is_space(line[j])) ++j;
  *interp = line.substr(i, j - i);
  while (j < line.size() && is_space(line[j])) ++j;
  size_t end = line.size();
  while (end > j && is_space(line[end - 1])) --end;
  *arg = line.substr(j, end - j);
  return true;
}

}  // namespace

ErrnoOr<ExecImage> LoadExecutable(vfs::Vfs& vfs, vfs::Context& ctx, mm::MemoryManager& mm,
                                  ExecRequest req) {
  std::string execfn = req.fd_name.empty() ? req.path : req.fd_name;
  vfs::Start start{req.start};
  int flags = (req.at_flags & AT_SYMLINK_NOFOLLOW) ? 0 : vfs::kFollow;
  if (req.at_flags & AT_EMPTY_PATH) flags |= vfs::kEmptyPath;
  std::string path = req.path;
  for (int depth = 0;; ++depth) {
    ASSIGN_OR_RETURN_ERRNO(vfs::Path p, vfs.Resolve(ctx, start, path, flags));
    if (p.dentry->inode()->is_symlink()) return Errno(ELOOP);
    ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<mm::Mappable> file, OpenForExec(ctx, p));
    char buf[kBinprmBuf];
    ASSIGN_OR_RETURN_ERRNO(size_t n, file->ReadForMap(buf, sizeof(buf), 0));
    std::string interp, arg;
    if (ParseShebang(buf, n, &interp, &arg)) {
      if (depth >= kMaxInterpDepth) return Errno(ELOOP);
      if (interp.empty()) return Errno(ENOEXEC);
      // argv becomes: interp [arg] script original-argv[1:]
      std::vector<std::string> argv = {interp};
      if (!arg.empty()) argv.push_back(arg);
      argv.push_back(depth == 0 && !req.fd_name.empty() ? req.fd_name : path);
      for (size_t i = 1; i < req.argv.size(); ++i) argv.push_back(req.argv[i]);
      req.argv = std::move(argv);
      path = interp;
      start = vfs::Start{ctx.cwd()};
      flags = vfs::kFollow;
      continue;
    }
    loader::LoadArgs load;
    load.file = file;
    load.open_interp = [&](const std::string& ipath) -> ErrnoOr<std::shared_ptr<mm::Mappable>> {
      ASSIGN_OR_RETURN_ERRNO(vfs::Path ip, vfs.Resolve(ctx, vfs::Start{ctx.cwd()}, ipath,
                                                       vfs::kFollow));
      return OpenForExec(ctx, ip);
    };
    load.execfn = execfn;
    load.argv = std::move(req.argv);
    load.envv = std::move(req.envv);
    auth::Credentials c = ctx.creds();
    load.uid = c.ruid;
    load.euid = c.euid;
    load.gid = c.rgid;
    load.egid = c.egid;
    load.stack_limit = req.stack_limit;
    ASSIGN_OR_RETURN_ERRNO(loader::LoadResult loaded, loader::Load(mm, load));
    ExecImage img;
    img.loaded = loaded;
    img.exe = p;
    img.exe_name = vfs.PathName(ctx.root(), p);
    // The task's name: the basename of what was executed (Linux uses the
    // file name of the binprm: the script's, not the interpreter's).
    std::string shown = req.path.empty() ? img.exe_name : req.path;
    img.comm = shown.substr(shown.rfind('/') + 1);
    return img;
  }
}

}  // namespace sentry::kernel
