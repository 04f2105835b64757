// The sysctls the sentry implements: /proc/sys files that show and change
// the kernel's real settings (the UTS names, the IPC namespace's limits,
// the network stack's port ranges). procfs makes one writable file of
// each; runsc applies an OCI config's linux.sysctl through the same table,
// so a key works in config.json exactly when its /proc/sys file exists.
//
//   RETURN_IF_ERRNO(proc::WriteSysctl(kernel, "fs.mqueue.msg_max", "20"));
//   const proc::Sysctl* s = proc::FindSysctl("kernel/shmmax");
//   std::string text = s->read(kernel);   // "18446744073692774399\n"
//
// Values are parsed as Linux's proc handlers parse them: integers
// separated by white space (EINVAL for anything else, or outside the
// setting's range), strings up to the first newline.
#ifndef SENTRY_FSIMPL_PROC_SYSCTL_H_
#define SENTRY_FSIMPL_PROC_SYSCTL_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/errno.h"

namespace sentry::kernel {
class Kernel;
}

namespace sentry::fsimpl::proc {

struct Sysctl {
  // Below /proc/sys, with slashes: "kernel/shmmax".
  std::string path;
  // The file's text, newline-terminated.
  std::function<std::string(kernel::Kernel&)> read;
  // One write(2) of `value` to the file.
  std::function<util::ErrnoOrVoid(kernel::Kernel&, std::string_view value)> write;
};

// Every implemented sysctl.
const std::vector<Sysctl>& Sysctls();

// The sysctl called `key`, as config.json names them ("net.ipv4.x", dots
// for slashes) or by path ("net/ipv4/x"); nullptr when the sentry has no
// such setting.
const Sysctl* FindSysctl(std::string_view key);

// Sets `key` to `value` as a write to its /proc/sys file would: ENOENT for
// an unknown key, EINVAL for a bad value.
util::ErrnoOrVoid WriteSysctl(kernel::Kernel& k, std::string_view key, std::string_view value);

}  // namespace sentry::fsimpl::proc

#endif  // SENTRY_FSIMPL_PROC_SYSCTL_H_
