// The text of procfs files, as pure functions of plain structs: procfs
// gathers the facts from the kernel, these lay them out exactly as Linux
// does (field order, padding, units), and the unit tests check them
// without a running kernel.
//
//   proc::ProcessStat s{.pid = 1, .comm = "init", .state = 'S', ...};
//   std::string line = proc::FormatStat(s);   // "1 (init) S 0 1 1 0 -1 ..."
#ifndef SENTRY_FSIMPL_PROC_PROC_TEXT_H_
#define SENTRY_FSIMPL_PROC_PROC_TEXT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "abi/linux/resource.h"
#include "sentry/mm/memory_manager.h"

namespace sentry::fsimpl::proc {

// What /proc/pid/{stat,status,statm} report about one thread or process.
struct ProcessStat {
  int pid = 0;   // the thread's id (the process's for /proc/PID)
  int tgid = 0;  // the process's id
  int ppid = 0;
  int pgid = 0, sid = 0;  // process group and session (0: the tgid)
  std::string comm;
  char state = 'S';  // R, S, Z
  int num_threads = 1;
  uint32_t umask = 022;
  uint32_t ruid = 0, euid = 0, suid = 0, fsuid = 0;
  uint32_t rgid = 0, egid = 0, sgid = 0, fsgid = 0;
  std::vector<uint32_t> groups;
  uint64_t cap_inheritable = 0, cap_permitted = 0, cap_effective = 0, cap_bounding = 0,
           cap_ambient = 0;
  bool no_new_privs = false;
  int seccomp_mode = 0;     // SECCOMP_MODE_*
  int seccomp_filters = 0;  // filters installed
  uint64_t sig_pending = 0, sig_shared_pending = 0, sig_blocked = 0, sig_ignored = 0,
           sig_caught = 0;
  int exit_signal = 17;
  int fd_size = 64;
  uint64_t start_time_ticks = 0;  // since boot, in clock ticks (100 Hz)
  // CPU times in clock ticks and fault counts: the thread's, or the
  // process's for /proc/PID; c*: its reaped children's.
  uint64_t utime_ticks = 0, stime_ticks = 0, cutime_ticks = 0, cstime_ticks = 0;
  uint64_t minflt = 0, cminflt = 0, majflt = 0, cmajflt = 0;
  uint64_t rsslim = ~uint64_t{0};
  // Memory, in bytes.
  uint64_t vm_size = 0, vm_rss = 0, vm_peak = 0, vm_hwm = 0, vm_data = 0, vm_stack = 0, vm_exe = 0,
           rss_anon = 0, rss_shmem = 0, rss_file = 0;
  uint64_t start_code = 0, end_code = 0, start_stack = 0;
  uint64_t start_data = 0, end_data = 0, start_brk = 0;
  mm::MemoryManager::ArgEnvRange args;
  int exit_code = 0;  // wait status, zombies only
  // The controlling terminal (Linux's new_encode_dev of its number; 0:
  // none) and its foreground process group (-1: none).
  uint32_t tty_nr = 0;
  int tpgid = -1;
  unsigned ncpus = 1;
};

// /proc/pid/stat: one line of 52 fields.
std::string FormatStat(const ProcessStat& s);
// /proc/pid/status.
std::string FormatStatus(const ProcessStat& s);
// /proc/pid/statm: size resident shared text lib data dt, in pages.
std::string FormatStatm(const ProcessStat& s);

// Fills the memory fields of s from a snapshot of the mappings.
void AddMemoryStats(const std::vector<mm::MemoryManager::VmaInfo>& vmas, ProcessStat& s);

// /proc/pid/maps and /proc/pid/smaps.
std::string FormatMaps(const std::vector<mm::MemoryManager::VmaInfo>& vmas);
std::string FormatSmaps(const std::vector<mm::MemoryManager::VmaInfo>& vmas);

// /proc/pid/limits.
std::string FormatLimits(const std::array<abi_linux::Rlimit64, 16>& limits);

// /proc/pid/fdinfo/N.
std::string FormatFdinfo(int64_t pos, int flags, int mnt_id, uint64_t ino);

// One mount, as the tables in /proc/pid/{mounts,mountinfo} need it.
struct MountEntry {
  int id = 0, parent_id = 0;
  uint64_t dev = 0;
  std::string root = "/";  // the mount's root within its file system
  std::string mountpoint;  // as the reader sees it
  uint32_t flags = 0;      // vfs::kMount*
  bool super_read_only = false;  // the file system's own ro/rw (mountinfo's last field)
  std::string fstype, source, options;
};
std::string FormatMounts(const std::vector<MountEntry>& mounts);
std::string FormatMountinfo(const std::vector<MountEntry>& mounts);
// Escapes space, tab, newline and backslash as \ooo, as Linux's mangle().
std::string MangleMountField(std::string_view s);

// What CPUID says about the processor (the same for every CPU shown).
struct CpuInfo {
  std::string vendor;
  unsigned family = 0, model = 0, stepping = 0;
  std::string model_name;
  double mhz = 0;
  unsigned cache_kb = 0;
  unsigned cpuid_level = 0;
  unsigned phys_bits = 0, virt_bits = 0;
  unsigned clflush = 64;
  std::vector<std::string> flags;
};
// Asks the host CPU (the cpuid instruction).
CpuInfo QueryCpu();
std::string FormatCpuinfo(const CpuInfo& cpu, unsigned ncpus);

// /proc/meminfo from total and free memory (bytes).
struct MemInfo {
  uint64_t total = 0, free = 0, available = 0, buffers = 0, cached = 0, shmem = 0, swap_total = 0,
           swap_free = 0;
};
std::string FormatMeminfo(const MemInfo& m);

// /proc/stat.
std::string FormatProcStat(unsigned ncpus, int64_t boot_time_sec, int64_t uptime_ns, int processes,
                           int running);
// /proc/loadavg.
std::string FormatLoadavg(int running, int total, int last_pid);
// /proc/uptime.
std::string FormatUptime(int64_t uptime_ns);

// Parses what is written to /proc/pid/oom_score_adj: an integer in
// [-1000, 1000] with optional surrounding whitespace; nullopt otherwise.
std::optional<int> ParseOomScoreAdj(std::string_view text);

// A fresh random UUID in the usual 8-4-4-4-12 form (version 4).
std::string NewUuid();

}  // namespace sentry::fsimpl::proc

#endif  // SENTRY_FSIMPL_PROC_PROC_TEXT_H_
