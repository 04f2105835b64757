// A container's cgroup limits in cgroup v2 terms: what runsc applied to the
// sandbox's host cgroup from config.json's linux.resources, and what the
// sentry's cgroup file system (sentry/fsimpl/cgroup) shows. Unset limits
// read "max".
//
//   KernelConfig cfg;
//   cfg.cgroup.memory_max = 256 << 20;
#ifndef SENTRY_KERNEL_CGROUP_LIMITS_H_
#define SENTRY_KERNEL_CGROUP_LIMITS_H_

#include <cstdint>
#include <optional>

namespace sentry::kernel {

struct CgroupLimits {
  std::optional<int64_t> memory_max;       // bytes
  std::optional<int64_t> memory_swap_max;  // bytes
  std::optional<int64_t> pids_max;
  std::optional<int64_t> cpu_quota_us;     // per period
  uint64_t cpu_period_us = 100000;
  uint64_t cpu_weight = 100;               // 1..10000
};

}  // namespace sentry::kernel

#endif  // SENTRY_KERNEL_CGROUP_LIMITS_H_
