#include "sentry/syscalls/linux/fs_types.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sentry/fsimpl/mqueue/mqueue_fs.h"
#include "sentry/kernel/ipc/ipc_namespace.h"
#include "sentry/fsimpl/proc/procfs.h"
#include "sentry/fsimpl/sys/sysfs.h"
#include "sentry/fsimpl/tmpfs/tmpfs.h"

namespace sentry::syscalls {

using internal::MountOption;
using util::Errno;
using util::ErrnoOr;

namespace internal {

std::vector<MountOption> SplitMountOptions(std::string_view data, bool* read_only) {
  std::vector<MountOption> out;
  *read_only = false;
  for (absl::string_view piece :
       absl::StrSplit(absl::string_view(data.data(), data.size()), ',', absl::SkipEmpty())) {
    MountOption o;
    size_t eq = piece.find('=');
    o.key = std::string(piece.substr(0, eq));
    if (eq != absl::string_view::npos) {
      o.value = std::string(piece.substr(eq + 1));
      o.has_value = true;
    }
    // The flags Linux's VFS takes itself before the file system sees the
    // rest (vfs_parse_sb_flag).
    if (!o.has_value && (o.key == "ro" || o.key == "rw")) {
      *read_only = o.key == "ro";
      continue;
    }
    if (!o.has_value &&
        (o.key == "sync" || o.key == "async" || o.key == "dirsync" || o.key == "lazytime" ||
         o.key == "nolazytime" || o.key == "mand" || o.key == "nomand" || o.key == "silent")) {
      continue;
    }
    out.push_back(std::move(o));
  }
  return out;
}

ErrnoOr<uint64_t> ParseMemSize(std::string_view s) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  uint64_t v;
  if (digits == 0 || !absl::SimpleAtoi(absl::string_view(s.data(), digits), &v)) {
    return Errno(EINVAL);
  }
  std::string_view suffix = s.substr(digits);
  if (suffix.empty()) return v;
  if (suffix.size() != 1) return Errno(EINVAL);
  int shift = 0;
  switch (suffix[0]) {
    case 'k':
    case 'K':
      shift = 10;
      break;
    case 'm':
    case 'M':
      shift = 20;
      break;
    case 'g':
    case 'G':
      shift = 30;
      break;
    case 't':
    case 'T':
      shift = 40;
      break;
    case 'p':
    case 'P':
      shift = 50;
      break;
    case 'e':
    case 'E':
      shift = 60;
      break;
    default:
      return Errno(EINVAL);
  }
  if (v > (~uint64_t{0} >> shift)) return Errno(EINVAL);
  return v << shift;
}

}  // namespace internal

namespace {

constexpr uint64_t kPage = 4096;

ErrnoOr<uint32_t> ParseU32(const MountOption& o, int base) {
  if (!o.has_value || o.value.empty()) return Errno(EINVAL);
  char* end = nullptr;
  errno = 0;
  unsigned long v = strtoul(o.value.c_str(), &end, base);
  if (errno != 0 || *end != '\0' || v > 0xffffffffUL) return Errno(EINVAL);
  return static_cast<uint32_t>(v);
}

// tmpfs: size=, nr_blocks=, nr_inodes=, mode=, uid=, gid= (as Linux's
// shmem_parse_one); huge=, mpol=, inode32, inode64 and noswap are taken and
// change nothing here (no huge pages, NUMA policy or swap in the sentry).
ErrnoOr<NewFilesystem> MakeTmpfs(kernel::Kernel& k, const std::vector<MountOption>& opts) {
  fsimpl::tmpfs::TmpfsOptions t{.mode = 01777};
  uint64_t nr_inodes = 0;
  for (const MountOption& o : opts) {
    if (o.key == "size") {
      if (!o.has_value) return Errno(EINVAL);
      uint64_t bytes;
      if (!o.value.empty() && o.value.back() == '%') {
        uint64_t pct;
        if (!absl::SimpleAtoi(absl::string_view(o.value).substr(0, o.value.size() - 1), &pct) ||
            pct > 100000) {
          return Errno(EINVAL);
        }
        // Of the memory the sandbox has, as Linux takes it of RAM.
        bytes = k.memory_file().size() / kPage * pct / 100 * kPage;
      } else {
        ASSIGN_OR_RETURN_ERRNO(bytes, internal::ParseMemSize(o.value));
      }
      t.size_limit = (bytes + kPage - 1) / kPage * kPage;
    } else if (o.key == "nr_blocks") {
      if (!o.has_value) return Errno(EINVAL);
      ASSIGN_OR_RETURN_ERRNO(uint64_t blocks, internal::ParseMemSize(o.value));
      if (blocks > ~uint64_t{0} / kPage) return Errno(EINVAL);
      t.size_limit = blocks * kPage;
    } else if (o.key == "nr_inodes") {
      if (!o.has_value) return Errno(EINVAL);
      ASSIGN_OR_RETURN_ERRNO(nr_inodes, internal::ParseMemSize(o.value));
    } else if (o.key == "mode") {
      ASSIGN_OR_RETURN_ERRNO(uint32_t mode, ParseU32(o, 8));
      t.mode = mode & 07777;
    } else if (o.key == "uid") {
      ASSIGN_OR_RETURN_ERRNO(t.uid, ParseU32(o, 10));
      if (t.uid == 0xffffffffu) return Errno(EINVAL);
    } else if (o.key == "gid") {
      ASSIGN_OR_RETURN_ERRNO(t.gid, ParseU32(o, 10));
      if (t.gid == 0xffffffffu) return Errno(EINVAL);
    } else if (o.key == "huge") {
      static constexpr std::string_view kHuge[] = {"never",  "always", "within_size",
                                                   "advise", "deny",   "force"};
      if (std::find(std::begin(kHuge), std::end(kHuge), o.value) == std::end(kHuge)) {
        return Errno(EINVAL);
      }
    } else if (o.key == "mpol" && o.has_value) {
    } else if (!o.has_value && (o.key == "inode32" || o.key == "inode64" || o.key == "noswap")) {
    } else {
      return Errno(EINVAL);
    }
  }
  NewFilesystem nf;
  auto fs = std::make_shared<fsimpl::tmpfs::TmpfsFilesystem>(k.memory_file(), t);
  nf.root = fsimpl::tmpfs::NewRoot(*fs);
  nf.fs = std::move(fs);
  // What Linux's shmem_show_options shows: what differs from the defaults.
  std::vector<std::string> shown;
  if (t.size_limit != 0) shown.push_back(absl::StrCat("size=", t.size_limit / 1024, "k"));
  if (nr_inodes != 0) shown.push_back(absl::StrCat("nr_inodes=", nr_inodes));
  if (t.mode != 01777) shown.push_back(absl::StrFormat("mode=%03o", t.mode));
  if (t.uid != 0) shown.push_back(absl::StrCat("uid=", t.uid));
  if (t.gid != 0) shown.push_back(absl::StrCat("gid=", t.gid));
  nf.options = absl::StrJoin(shown, ",");
  return nf;
}

// proc: a new instance showing the kernel's processes. hidepid= other than
// 0/off and subset= are refused (EINVAL): the sentry's procfs hides nothing.
ErrnoOr<NewFilesystem> MakeProc(kernel::Kernel& k, const std::vector<MountOption>& opts) {
  for (const MountOption& o : opts) {
    if (o.key == "hidepid" && (o.value == "0" || o.value == "off")) continue;
    if (o.key == "gid") {
      ASSIGN_OR_RETURN_ERRNO(uint32_t gid, ParseU32(o, 10));
      (void)gid;  // only matters with hidepid
      continue;
    }
    return Errno(EINVAL);
  }
  NewFilesystem nf;
  auto fs = std::make_shared<fsimpl::proc::ProcFilesystem>();
  ASSIGN_OR_RETURN_ERRNO(nf.root, fsimpl::proc::NewProcRoot(*fs, k));
  nf.fs = std::move(fs);
  return nf;
}

// sysfs: takes no options of its own.
ErrnoOr<NewFilesystem> MakeSysfs(kernel::Kernel&, const std::vector<MountOption>& opts) {
  if (!opts.empty()) return Errno(EINVAL);
  NewFilesystem nf;
  auto fs = std::make_shared<fsimpl::sys::SysFilesystem>();
  nf.root = fsimpl::sys::NewSysRoot(*fs);
  nf.fs = std::move(fs);
  return nf;
}

// The IPC namespace's POSIX message queues (one namespace: every instance
// shows the same queues). No options.
ErrnoOr<NewFilesystem> MakeMqueue(kernel::Kernel& k, const std::vector<MountOption>& opts) {
  if (!opts.empty()) return Errno(EINVAL);
  NewFilesystem nf;
  auto fs = std::make_shared<fsimpl::mqueue::MqueueFilesystem>(k.ipc().mqueues());
  nf.root = fs->root();
  nf.fs = std::move(fs);
  return nf;
}

struct FsType {
  std::string_view name;
  ErrnoOr<NewFilesystem> (*make)(kernel::Kernel& k, const std::vector<MountOption>& opts);
};

// Every type mount(2) can make. The options each constructor gets are the
// data string's, without the generic ones (ro, rw, sync, ...).
constexpr FsType kFsTypes[] = {
    {"tmpfs", MakeTmpfs},
    {"proc", MakeProc},
    {"sysfs", MakeSysfs},
    {"mqueue", MakeMqueue},
};

}  // namespace

ErrnoOr<NewFilesystem> MakeFilesystem(kernel::Kernel& k, std::string_view type,
                                      std::string_view data) {
  for (const FsType& t : kFsTypes) {
    if (t.name != type) continue;
    bool ro = false;
    std::vector<MountOption> opts = internal::SplitMountOptions(data, &ro);
    ASSIGN_OR_RETURN_ERRNO(NewFilesystem nf, t.make(k, opts));
    nf.read_only = ro;
    return nf;
  }
  return Errno(ENODEV);
}

std::vector<std::string> FilesystemTypeNames() {
  std::vector<std::string> out;
  for (const FsType& t : kFsTypes) out.emplace_back(t.name);
  return out;
}

}  // namespace sentry::syscalls
