#include "sentry/fsimpl/sys/sysfs.h"

#include <thread>

#include "abi/linux/statfs.h"
#include "absl/strings/str_cat.h"
#include "sentry/fsimpl/sys/kernfs.h"

namespace sentry::fsimpl::sys {

util::ErrnoOr<vfs::StatFs> SysFilesystem::Statfs() {
  vfs::StatFs s;
  s.type = static_cast<uint64_t>(abi_linux::kSYSFS_MAGIC);
  return s;
}

unsigned NumCpus() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

std::string CpuRange(unsigned n) {
  if (n <= 1) return "0";
  return absl::StrCat("0-", n - 1);
}

std::shared_ptr<vfs::Inode> NewSysRoot(SysFilesystem& fs) {
  auto root = std::make_shared<kernfs::Dir>(fs, 0555);
  unsigned ncpu = NumCpus();
  std::string range = CpuRange(ncpu) + "\n";
  auto cpu = root->MakeDirs("devices/system/cpu");
  cpu->Add("online", kernfs::File::Static(fs, 0444, range));
  cpu->Add("possible", kernfs::File::Static(fs, 0444, range));
  cpu->Add("present", kernfs::File::Static(fs, 0444, range));
  cpu->Add("kernel_max", kernfs::File::Static(fs, 0444, "8191\n"));
  for (unsigned i = 0; i < ncpu; ++i) {
    auto d = std::make_shared<kernfs::Dir>(fs, 0755);
    // cpu0 cannot be taken offline and has no "online" file, as on x86.
    if (i != 0) d->Add("online", kernfs::File::Static(fs, 0644, "1\n"));
    cpu->Add(absl::StrCat("cpu", i), std::move(d));
  }
  root->MakeDirs("kernel/mm/transparent_hugepage")
      ->Add("enabled", kernfs::File::Static(fs, 0644, "always [madvise] never\n"));
  root->MakeDirs("fs/cgroup");
  root->MakeDirs("class");
  root->MakeDirs("bus");
  return root;
}

}  // namespace sentry::fsimpl::sys
