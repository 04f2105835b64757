#include "platform/platform.h"

#include "absl/strings/str_cat.h"
#include "platform/ptrace/ptrace_platform.h"

namespace platform {

absl::StatusOr<std::unique_ptr<Platform>> Platform::Create(std::string_view name,
                                                           int memory_file_fd) {
  if (name == "ptrace") return ptrace::PtracePlatform::Create(memory_file_fd);
  if (name == "systrap" || name == "kvm") {
    return absl::UnimplementedError(absl::StrCat("platform ", std::string(name), " is not built yet"));
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown platform \"", std::string(name), "\""));
}

}  // namespace platform
