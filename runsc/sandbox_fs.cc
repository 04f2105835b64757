#include "runsc/sandbox_fs.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "runsc/cgroup.h"
#include "runsc/oci_spec.h"
#include "runsc/path_masks.h"
#include "sentry/fsimpl/cgroup/cgroupfs.h"
#include "sentry/fsimpl/dev/devfs.h"
#include "sentry/fsimpl/dev/devices.h"
#include "sentry/fsimpl/devpts/devpts.h"
#include "sentry/fsimpl/gofer/gofer_fs.h"
#include "sentry/fsimpl/mqueue/mqueue_fs.h"
#include "sentry/fsimpl/overlay/overlay.h"
#include "sentry/fsimpl/proc/procfs.h"
#include "sentry/fsimpl/proc/sysctl.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/fsimpl/sys/sysfs.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"
#include "util/logging.h"
#include "util/status_macros.h"

namespace runsc {

namespace {

namespace vfs = sentry::vfs;
namespace fsimpl = sentry::fsimpl;

// Root with every capability: the sandbox's own set-up.
class SetupContext : public vfs::Context {
 public:
  explicit SetupContext(vfs::Path root) : root_(std::move(root)) {}
  sentry::auth::Credentials creds() const override {
    return sentry::auth::Credentials::ForIds(0, 0, {});
  }
  vfs::Path root() const override { return root_; }
  vfs::Path cwd() const override { return root_; }
  uint32_t umask() const override { return 022; }

 private:
  vfs::Path root_;
};

absl::Status MountAt(sentry::kernel::Kernel& k, SetupContext& ctx, const std::string& where,
                     std::shared_ptr<vfs::Filesystem> fs, std::shared_ptr<vfs::Inode> root,
                     uint32_t flags, const std::string& source, const std::string& options) {
  auto at = k.vfs().MakeDirs(ctx, ctx.root(), where, 0755);
  if (!at.ok()) return util::ErrnoStatus(at.error().value(), "mountpoint " + where);
  auto m = k.vfs().MountAt(*at, std::move(fs), std::move(root), flags, source, options);
  if (!m.ok()) return util::ErrnoStatus(m.error().value(), "mount " + where);
  return absl::OkStatus();
}

// The sandbox's root, or a detached tree of its own.
vfs::Path SetRootOf(sentry::kernel::Kernel& k, const RootfsOptions& opts,
                    std::shared_ptr<vfs::Filesystem> fs, std::shared_ptr<vfs::Inode> root,
                    uint32_t flags, const std::string& source, const std::string& options) {
  if (opts.detached) return k.vfs().NewDetachedRoot(fs, root, flags, source, options);
  k.vfs().SetRoot(fs, root, flags, source, options);
  return k.vfs().RootPath();
}

}  // namespace

absl::StatusOr<SandboxFs> MountSandboxFilesystems(sentry::kernel::Kernel& k,
                                                  RootfsOptions opts) {
  if (!opts.gofer_ends.empty() &&
      opts.gofer_ends.size() != 1 + opts.binds.size() + opts.file_binds.size()) {
    return absl::InvalidArgumentError("one gofer for the root and one per bind mount expected");
  }
  size_t next_gofer = 0;
  // A gofer for `dir`: one handed in, or one started here.
  auto gofer_for = [&](const std::string& dir, bool ro) -> absl::StatusOr<GoferProcess> {
    if (!opts.gofer_ends.empty()) return GoferProcess(-1, std::move(opts.gofer_ends[next_gofer++]));
    return StartGofer(dir, ro);
  };
  SandboxFs out;
  const bool lower_read_only = opts.overlay || !opts.root_writable;
  ASSIGN_OR_RETURN(out.gofer, gofer_for(opts.root, lower_read_only));
  auto gofer_fs = std::make_shared<fsimpl::gofer::GoferFilesystem>(
      std::move(out.gofer.sentry_end),
      fsimpl::gofer::GoferOptions{.read_only = lower_read_only,
                                  .memory_file = &k.memory_file()});
  auto lower = gofer_fs->Root();
  if (!lower.ok()) return util::ErrnoStatus(lower.error().value(), "attach to the gofer");
  sentry::mm::MemoryFile& mf = k.memory_file();
  if (opts.overlay) {
    auto upper_fs = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(
        mf, fsimpl::tmpfs::TmpfsOptions{.mode = 0755});
    auto upper = fsimpl::tmpfs::NewRoot(*upper_fs);
    auto ofs = std::make_shared<fsimpl::overlay::OverlayFilesystem>(upper_fs, gofer_fs);
    auto root = fsimpl::overlay::NewOverlayRoot(*ofs, upper, *lower);
    out.root = SetRootOf(k, opts, ofs, root, 0, "overlay",
                         "lowerdir=" + opts.root + ",upperdir=tmpfs");
  } else if (opts.root_writable) {
    out.root = SetRootOf(k, opts, gofer_fs, *lower, 0, opts.root, "rw");
  } else {
    out.root = SetRootOf(k, opts, gofer_fs, *lower, vfs::kMountReadOnly, opts.root, "ro");
  }
  SetupContext ctx(out.root);

  fsimpl::dev::RegisterDevices();
  auto devfs = std::make_shared<fsimpl::dev::DevFilesystem>();
  RETURN_IF_ERROR(MountAt(k, ctx, "/dev", devfs, fsimpl::dev::NewDevRoot(*devfs),
                          vfs::kMountNoSuid | vfs::kMountNoExec, "none", "mode=755"));
  auto shm = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(
      mf, fsimpl::tmpfs::TmpfsOptions{.mode = 01777});
  RETURN_IF_ERROR(MountAt(k, ctx, "/dev/shm", shm, fsimpl::tmpfs::NewRoot(*shm),
                          vfs::kMountNoSuid | vfs::kMountNoDev, "shm", "mode=1777"));
  // After RegisterDevices: devpts takes over /dev/tty and adds /dev/ptmx.
  auto devpts = fsimpl::devpts::NewDevpts(k);
  RETURN_IF_ERROR(MountAt(k, ctx, "/dev/pts", devpts, devpts->root(),
                          vfs::kMountNoSuid | vfs::kMountNoExec, "devpts",
                          "gid=5,mode=620,ptmxmode=666"));
  auto procfs = std::make_shared<fsimpl::proc::ProcFilesystem>();
  auto proc_root = fsimpl::proc::NewProcRoot(*procfs, k);
  if (!proc_root.ok()) return util::ErrnoStatus(proc_root.error().value(), "procfs");
  RETURN_IF_ERROR(MountAt(k, ctx, "/proc", procfs, *proc_root,
                          vfs::kMountNoSuid | vfs::kMountNoDev | vfs::kMountNoExec, "proc", "rw"));
  auto sysfs = std::make_shared<fsimpl::sys::SysFilesystem>();
  RETURN_IF_ERROR(MountAt(k, ctx, "/sys", sysfs, fsimpl::sys::NewSysRoot(*sysfs),
                          vfs::kMountReadOnly | vfs::kMountNoSuid | vfs::kMountNoDev |
                              vfs::kMountNoExec,
                          "sysfs", "ro"));
  for (const BindMount& b : opts.binds) {
    ASSIGN_OR_RETURN(GoferProcess g, gofer_for(b.source, b.read_only));
    auto bfs = std::make_shared<fsimpl::gofer::GoferFilesystem>(
        std::move(g.sentry_end),
        fsimpl::gofer::GoferOptions{.read_only = b.read_only, .memory_file = &mf});
    auto broot = bfs->Root();
    if (!broot.ok()) return util::ErrnoStatus(broot.error().value(), "attach to " + b.source);
    RETURN_IF_ERROR(MountAt(k, ctx, b.destination, bfs, *broot,
                            b.read_only ? vfs::kMountReadOnly : 0, b.source,
                            b.read_only ? "ro" : "rw"));
    out.bind_gofers.push_back(std::move(g));
  }
  for (const BindMount& b : opts.file_binds) {
    std::string dir = b.source.substr(0, b.source.rfind('/'));
    std::string name = b.source.substr(b.source.rfind('/') + 1);
    ASSIGN_OR_RETURN(GoferProcess g, gofer_for(dir.empty() ? "/" : dir, b.read_only));
    auto bfs = std::make_shared<fsimpl::gofer::GoferFilesystem>(
        std::move(g.sentry_end),
        fsimpl::gofer::GoferOptions{.read_only = b.read_only, .memory_file = &mf});
    auto broot = bfs->Root();
    if (!broot.ok()) return util::ErrnoStatus(broot.error().value(), "attach to " + dir);
    auto file = (*broot)->Lookup(ctx, name);
    if (!file.ok()) return util::ErrnoStatus(file.error().value(), "bind mount source " + b.source);
    // The mountpoint: an empty file made where the image has none.
    std::string parent = b.destination.substr(0, b.destination.rfind('/'));
    auto at_dir = k.vfs().MakeDirs(ctx, ctx.root(), parent.empty() ? "/" : parent, 0755);
    if (!at_dir.ok()) return util::ErrnoStatus(at_dir.error().value(), "mountpoint " + parent);
    auto at = k.vfs().Resolve(ctx, vfs::Start{ctx.root()}, b.destination, 0);
    if (!at.ok() && at.error().value() == ENOENT) {
      auto made = k.vfs().Mknod(ctx, vfs::Start{ctx.root()}, b.destination, S_IFREG | 0644, 0);
      if (!made.ok()) return util::ErrnoStatus(made.error().value(), "mountpoint " + b.destination);
      at = k.vfs().Resolve(ctx, vfs::Start{ctx.root()}, b.destination, 0);
    }
    if (!at.ok()) return util::ErrnoStatus(at.error().value(), "mountpoint " + b.destination);
    auto m = k.vfs().MountAt(*at, bfs, *file, b.read_only ? vfs::kMountReadOnly : 0, b.source,
                             b.read_only ? "ro" : "rw");
    if (!m.ok()) return util::ErrnoStatus(m.error().value(), "bind mount " + b.destination);
    out.bind_gofers.push_back(std::move(g));
  }
  for (const std::string& where : opts.tmpfs) {
    auto t = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(
        mf, fsimpl::tmpfs::TmpfsOptions{.mode = 01777});
    RETURN_IF_ERROR(MountAt(k, ctx, where, t, fsimpl::tmpfs::NewRoot(*t), vfs::kMountNoSuid,
                            "tmpfs", "mode=1777"));
  }
  for (const SyntheticMount& m : opts.synthetic) {
    std::string options = (m.flags & vfs::kMountReadOnly) ? "ro" : "rw";
    if (m.type == "mqueue") {
      auto mq = std::make_shared<fsimpl::mqueue::MqueueFilesystem>(k.ipc().mqueues());
      RETURN_IF_ERROR(MountAt(k, ctx, m.destination, mq, mq->root(), m.flags, "mqueue", options));
    } else {
      auto cg = std::make_shared<fsimpl::cgroup::CgroupFilesystem>(k, opts.container_id,
                                                                   opts.cgroup_limits);
      RETURN_IF_ERROR(MountAt(k, ctx, m.destination, cg, cg->root(), m.flags, "cgroup", options));
    }
  }
  if (!opts.overlay && !opts.root_writable && opts.tmp_for_readonly_root) {
    // A read-only root still gets a writable /tmp.
    auto tmp = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(
        mf, fsimpl::tmpfs::TmpfsOptions{.mode = 01777});
    RETURN_IF_ERROR(MountAt(k, ctx, "/tmp", tmp, fsimpl::tmpfs::NewRoot(*tmp), vfs::kMountNoSuid,
                            "tmpfs", "mode=1777"));
  }
  RETURN_IF_ERROR(ApplyPathMasks(k.vfs(), ctx, mf, opts.masked_paths, opts.readonly_paths));
  return out;
}

absl::Status ApplySysctls(sentry::kernel::Kernel& k,
                          const std::map<std::string, std::string>& sysctl) {
  for (const auto& [key, value] : sysctl) {
    auto r = fsimpl::proc::WriteSysctl(k, key, value);
    if (r.ok()) continue;
    if (r.error().value() == ENOENT) {
      return absl::InvalidArgumentError("linux.sysctl: \"" + key +
                                        "\": the sandbox has no such setting");
    }
    return util::ErrnoStatus(r.error().value(),
                             "linux.sysctl: \"" + key + "\" = \"" + value + "\"");
  }
  return absl::OkStatus();
}

namespace {

// The MS_* flags a mount's options ask for.
uint32_t MountFlagsOf(const std::vector<std::string>& options, bool read_only_default) {
  uint32_t flags = read_only_default ? vfs::kMountReadOnly : 0;
  for (const std::string& o : options) {
    if (o == "ro") flags |= vfs::kMountReadOnly;
    if (o == "rw") flags &= ~vfs::kMountReadOnly;
    if (o == "nosuid") flags |= vfs::kMountNoSuid;
    if (o == "nodev") flags |= vfs::kMountNoDev;
    if (o == "noexec") flags |= vfs::kMountNoExec;
  }
  return flags;
}

// What the container's cgroup shows: the limits runsc gave the sandbox's
// host cgroup (cgroup.cc), in cgroup v2 terms.
fsimpl::cgroup::CgroupLimits CgroupLimitsFor(const OciResources& r) {
  fsimpl::cgroup::CgroupLimits l;
  if (r.memory_limit && *r.memory_limit >= 0) l.memory_max = *r.memory_limit;
  if (r.memory_swap && r.memory_limit && *r.memory_limit >= 0 &&
      *r.memory_swap >= *r.memory_limit) {
    l.memory_swap_max = *r.memory_swap - *r.memory_limit;
  }
  if (r.pids_limit && *r.pids_limit > 0) l.pids_max = *r.pids_limit;
  if (r.cpu_quota && *r.cpu_quota > 0) l.cpu_quota_us = *r.cpu_quota;
  if (r.cpu_period && *r.cpu_period > 0) l.cpu_period_us = *r.cpu_period;
  if (r.cpu_shares && *r.cpu_shares > 0) l.cpu_weight = CpuWeightForShares(*r.cpu_shares);
  return l;
}

// Makes `dest` (a directory, or an empty file) under the host directory
// `rootfs` where the image has none, as runc does before mounting: a
// read-only root cannot grow mountpoints from inside the sandbox. Every
// step resolves inside rootfs (RESOLVE_IN_ROOT), whatever its symlinks say.
absl::Status EnsureMountpoint(const std::string& rootfs, const std::string& dest, bool dir) {
  util::UniqueFd cur(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cur.valid()) return util::LastErrnoStatus("open " + rootfs);
  std::vector<std::string> parts;
  for (size_t i = 0; i < dest.size();) {
    size_t j = dest.find('/', i);
    if (j == std::string::npos) j = dest.size();
    if (j > i) parts.push_back(dest.substr(i, j - i));
    i = j + 1;
  }
  if (parts.empty()) return absl::OkStatus();
  open_how how{};
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  std::string sofar;
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    sofar += "/" + parts[i];
    how.flags = O_PATH | O_CLOEXEC | (last && !dir ? 0 : O_DIRECTORY);
    int fd = static_cast<int>(syscall(SYS_openat2, cur.get(), parts[i].c_str(), &how, sizeof(how)));
    if (fd >= 0) {
      cur = util::UniqueFd(fd);
      continue;
    }
    if (errno != ENOENT) return util::LastErrnoStatus("mountpoint " + sofar);
    if (!last || dir) {
      if (mkdirat(cur.get(), parts[i].c_str(), 0755) != 0 && errno != EEXIST) {
        return util::LastErrnoStatus("make mountpoint " + sofar);
      }
      how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
      fd = static_cast<int>(syscall(SYS_openat2, cur.get(), parts[i].c_str(), &how, sizeof(how)));
      if (fd < 0) return util::LastErrnoStatus("mountpoint " + sofar);
      cur = util::UniqueFd(fd);
    } else {
      fd = openat(cur.get(), parts[i].c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0644);
      if (fd < 0 && errno != EEXIST) return util::LastErrnoStatus("make mountpoint " + sofar);
      if (fd >= 0) close(fd);
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

nlohmann::json BindsToJson(const std::vector<BindMount>& binds) {
  nlohmann::json a = nlohmann::json::array();
  for (const BindMount& b : binds) {
    a.push_back({{"source", b.source}, {"destination", b.destination}, {"ro", b.read_only}});
  }
  return a;
}

// The value at `key` as T, or an error naming the key: the sandbox trusts
// runsc create, but a malformed request must not throw.
template <typename T>
absl::StatusOr<T> Field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return absl::InvalidArgumentError(absl::StrCat("mounts: no \"", key, "\""));
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return absl::InvalidArgumentError(absl::StrCat("mounts: \"", key, "\" has the wrong type"));
  }
}

absl::StatusOr<std::vector<BindMount>> BindsFromJson(const nlohmann::json& j, const char* key) {
  ASSIGN_OR_RETURN(nlohmann::json a, Field<nlohmann::json>(j, key));
  if (!a.is_array()) return absl::InvalidArgumentError(absl::StrCat("mounts: \"", key, "\""));
  std::vector<BindMount> out;
  for (const nlohmann::json& e : a) {
    if (!e.is_object()) return absl::InvalidArgumentError(absl::StrCat("mounts: \"", key, "\""));
    BindMount b;
    ASSIGN_OR_RETURN(b.source, Field<std::string>(e, "source"));
    ASSIGN_OR_RETURN(b.destination, Field<std::string>(e, "destination"));
    ASSIGN_OR_RETURN(b.read_only, Field<bool>(e, "ro"));
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

nlohmann::json RootfsOptionsToJson(const RootfsOptions& o) {
  nlohmann::json synthetic = nlohmann::json::array();
  for (const SyntheticMount& m : o.synthetic) {
    synthetic.push_back({{"type", m.type}, {"destination", m.destination}, {"flags", m.flags}});
  }
  return {{"root", o.root},
          {"overlay", o.overlay},
          {"root_writable", o.root_writable},
          {"tmp_for_readonly_root", o.tmp_for_readonly_root},
          {"binds", BindsToJson(o.binds)},
          {"file_binds", BindsToJson(o.file_binds)},
          {"tmpfs", o.tmpfs},
          {"synthetic", synthetic},
          {"masked_paths", o.masked_paths},
          {"readonly_paths", o.readonly_paths}};
}

absl::StatusOr<RootfsOptions> RootfsOptionsFromJson(const nlohmann::json& j,
                                                    const OciSpec& spec) {
  if (!j.is_object()) return absl::InvalidArgumentError("mounts: not an object");
  RootfsOptions o;
  o.cgroup_limits = CgroupLimitsFor(spec.resources);
  ASSIGN_OR_RETURN(o.root, Field<std::string>(j, "root"));
  ASSIGN_OR_RETURN(o.overlay, Field<bool>(j, "overlay"));
  ASSIGN_OR_RETURN(o.root_writable, Field<bool>(j, "root_writable"));
  ASSIGN_OR_RETURN(o.tmp_for_readonly_root, Field<bool>(j, "tmp_for_readonly_root"));
  ASSIGN_OR_RETURN(o.binds, BindsFromJson(j, "binds"));
  ASSIGN_OR_RETURN(o.file_binds, BindsFromJson(j, "file_binds"));
  ASSIGN_OR_RETURN(o.tmpfs, Field<std::vector<std::string>>(j, "tmpfs"));
  ASSIGN_OR_RETURN(nlohmann::json synthetic, Field<nlohmann::json>(j, "synthetic"));
  if (!synthetic.is_array()) return absl::InvalidArgumentError("mounts: \"synthetic\"");
  for (const nlohmann::json& e : synthetic) {
    if (!e.is_object()) return absl::InvalidArgumentError("mounts: \"synthetic\"");
    SyntheticMount m;
    ASSIGN_OR_RETURN(m.type, Field<std::string>(e, "type"));
    ASSIGN_OR_RETURN(m.destination, Field<std::string>(e, "destination"));
    ASSIGN_OR_RETURN(m.flags, Field<uint32_t>(e, "flags"));
    o.synthetic.push_back(std::move(m));
  }
  ASSIGN_OR_RETURN(o.masked_paths, Field<std::vector<std::string>>(j, "masked_paths"));
  ASSIGN_OR_RETURN(o.readonly_paths, Field<std::vector<std::string>>(j, "readonly_paths"));
  return o;
}

absl::StatusOr<RootfsOptions> RootfsForBundle(const Bundle& b) {
  const OciSpec& spec = b.spec;
  RootfsOptions rootfs;
  rootfs.root = b.rootfs;
  rootfs.overlay = false;
  rootfs.root_writable = !spec.root_readonly;
  rootfs.tmp_for_readonly_root = false;
  rootfs.cgroup_limits = CgroupLimitsFor(spec.resources);
  rootfs.masked_paths = spec.masked_paths;
  rootfs.readonly_paths = spec.readonly_paths;
  for (const OciMount& m : spec.mounts) {
    bool bind = m.type == "bind" ||
                std::find(m.options.begin(), m.options.end(), "bind") != m.options.end() ||
                std::find(m.options.begin(), m.options.end(), "rbind") != m.options.end();
    if (bind) {
      struct stat st;
      if (stat(m.source.c_str(), &st) != 0) {
        return absl::NotFoundError("mount source " + m.source + " (for " + m.destination +
                                   ") does not exist");
      }
      bool ro = std::find(m.options.begin(), m.options.end(), "ro") != m.options.end();
      char* real = realpath(m.source.c_str(), nullptr);
      BindMount bm{real ? real : m.source, m.destination, ro};
      free(real);
      if (S_ISDIR(st.st_mode)) {
        RETURN_IF_ERROR(EnsureMountpoint(b.rootfs, m.destination, /*dir=*/true));
        rootfs.binds.push_back(std::move(bm));
      } else if (S_ISREG(st.st_mode)) {
        RETURN_IF_ERROR(EnsureMountpoint(b.rootfs, m.destination, /*dir=*/false));
        rootfs.file_binds.push_back(std::move(bm));
      } else {
        SK_LOG(WARNING) << "bind mount of " << m.source << " on " << m.destination
                        << " (neither a directory nor a regular file) is not supported; skipped";
      }
    } else if (m.type == "tmpfs" && m.destination != "/dev" && m.destination != "/dev/shm") {
      RETURN_IF_ERROR(EnsureMountpoint(b.rootfs, m.destination, /*dir=*/true));
      rootfs.tmpfs.push_back(m.destination);
    } else if (m.type == "mqueue" || m.type == "cgroup" || m.type == "cgroup2") {
      // A mountpoint in the image unless the sentry's /dev or /sys has it.
      if (m.destination.rfind("/dev/", 0) != 0 && m.destination.rfind("/sys/", 0) != 0) {
        RETURN_IF_ERROR(EnsureMountpoint(b.rootfs, m.destination, /*dir=*/true));
      }
      // cgroup mounts are read-only unless they say rw (their files
      // refuse writes anyway).
      const bool mq = m.type == "mqueue";
      rootfs.synthetic.push_back({mq ? "mqueue" : "cgroup", m.destination,
                                  MountFlagsOf(m.options, /*read_only_default=*/!mq)});
    } else if (m.type == "proc" || m.type == "sysfs" || m.type == "tmpfs" ||
               m.type == "devpts") {
      // /proc, /sys, /dev and /dev/shm are the sentry's own.
    } else {
      return absl::InvalidArgumentError("mount type \"" + m.type + "\" on " + m.destination +
                                        " is not supported");
    }
  }
  return rootfs;
}

absl::StatusOr<BindMount> ParseVolume(const std::string& spec) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty()) {
    return absl::InvalidArgumentError("--volume wants HOST:GUEST[:ro|:rw], got \"" + spec + "\"");
  }
  BindMount b{parts[0], parts[1], false};
  if (parts.size() == 3) {
    if (parts[2] == "ro") {
      b.read_only = true;
    } else if (parts[2] != "rw") {
      return absl::InvalidArgumentError("--volume option must be ro or rw, got \"" + parts[2] +
                                        "\"");
    }
  }
  if (b.destination[0] != '/') {
    return absl::InvalidArgumentError("--volume guest path must be absolute: " + b.destination);
  }
  char* real = realpath(b.source.c_str(), nullptr);
  if (real == nullptr) return absl::NotFoundError("--volume host path " + b.source + " not found");
  b.source = real;
  free(real);
  struct stat st;
  if (stat(b.source.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError("--volume host path " + b.source + " is not a directory");
  }
  return b;
}

}  // namespace runsc
