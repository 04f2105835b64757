#include "sentry/fsimpl/proc/proc_text.h"

#include <cpuid.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <x86intrin.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace sentry::fsimpl::proc {

namespace {

constexpr uint64_t kPage = 4096;

uint32_t DevMajor(uint64_t dev) {
  return static_cast<uint32_t>(((dev >> 32) & 0xfffff000) | ((dev >> 8) & 0xfff));
}
uint32_t DevMinor(uint64_t dev) {
  return static_cast<uint32_t>(((dev >> 12) & 0xffffff00) | (dev & 0xff));
}

const char* StateName(char state) {
  switch (state) {
    case 'R':
      return "R (running)";
    case 'Z':
      return "Z (zombie)";
    case 'D':
      return "D (disk sleep)";
    case 'T':
      return "T (stopped)";
    default:
      return "S (sleeping)";
  }
}

// "Cpus_allowed" style: the bitmap of n CPUs in 32-bit hex groups.
std::string CpuMask(unsigned n) {
  unsigned words = (n + 31) / 32;
  std::vector<std::string> groups;
  for (unsigned w = words; w-- > 0;) {
    unsigned bits = std::min(32u, n - w * 32);
    uint32_t v = bits == 32 ? 0xffffffffu : ((1u << bits) - 1);
    if (w == words - 1) {
      unsigned digits = (bits + 3) / 4;
      if (n > 32) digits = 8;
      groups.push_back(absl::StrFormat("%0*x", static_cast<int>(digits), v));
    } else {
      groups.push_back(absl::StrFormat("%08x", v));
    }
  }
  return absl::StrJoin(groups, ",");
}

std::string CpuList(unsigned n) { return n <= 1 ? "0" : absl::StrCat("0-", n - 1); }

void Kb(std::string& out, const char* label, uint64_t bytes) {
  absl::StrAppendFormat(&out, "%s\t%8u kB\n", label, bytes >> 10);
}

// smaps and meminfo lines: the label padded to 16 columns, the value to 8.
void Kb16(std::string& out, const char* label, uint64_t bytes) {
  absl::StrAppendFormat(&out, "%-16s%8u kB\n", label, bytes >> 10);
}

bool IsStack(const mm::MemoryManager::VmaInfo& v) { return v.growsdown || v.name == "[stack]"; }
bool IsExe(const mm::MemoryManager::VmaInfo& v) {
  return (v.prot & PROT_EXEC) && !(v.prot & PROT_WRITE) && !v.shared;
}

std::string MapsHeader(const mm::MemoryManager::VmaInfo& v) {
  std::string line = absl::StrFormat(
      "%08x-%08x %c%c%c%c %08x %02x:%02x %u ", v.start, v.end, (v.prot & PROT_READ) ? 'r' : '-',
      (v.prot & PROT_WRITE) ? 'w' : '-', (v.prot & PROT_EXEC) ? 'x' : '-', v.shared ? 's' : 'p',
      v.offset, DevMajor(v.dev), DevMinor(v.dev), v.ino);
  if (!v.name.empty()) {
    // Linux pads the name to start at column 73 (seq_pad).
    if (line.size() < 72) line.append(72 - line.size(), ' ');
    line += ' ';
    line += v.name;
  }
  line += '\n';
  return line;
}

}  // namespace

std::string FormatStat(const ProcessStat& s) {
  // Fields as fs/proc/array.c's do_task_stat prints them; what the sentry
  // does not account (scheduling, I/O delays, ...) is 0.
  constexpr uint64_t kFlags = 0x400000;  // PF_RANDOMIZE-like: a plain user task
  return absl::StrFormat(
      "%d (%s) %c %d %d %d %u %d %u %u %u %u %u %u %u %u %u 20 0 %d 0 %u %u %u %u %u %u %u 0 0 "
      "%u %u %u %u 0 0 0 %d 0 0 0 0 0 0 %u %u %u %u %u %u %u %d\n",
      s.pid, s.comm, s.state, s.ppid, s.pgid != 0 ? s.pgid : s.tgid, s.sid != 0 ? s.sid : s.tgid,
      s.tty_nr, s.tpgid, kFlags, s.minflt, s.cminflt, s.majflt, s.cmajflt, s.utime_ticks,
      s.stime_ticks, s.cutime_ticks, s.cstime_ticks, s.num_threads, s.start_time_ticks, s.vm_size, s.vm_rss / kPage, s.rsslim,
      s.start_code, s.end_code, s.start_stack, s.sig_pending | s.sig_shared_pending, s.sig_blocked,
      s.sig_ignored, s.sig_caught, s.exit_signal, s.start_data, s.end_data, s.start_brk,
      s.args.arg_start, s.args.arg_end, s.args.env_start, s.args.env_end,
      s.state == 'Z' ? s.exit_code : 0);
}

std::string FormatStatus(const ProcessStat& s) {
  std::string out;
  absl::StrAppendFormat(&out, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", s.comm, s.umask,
                        StateName(s.state));
  absl::StrAppendFormat(&out, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", s.tgid,
                        s.pid, s.ppid);
  absl::StrAppendFormat(&out, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", s.ruid, s.euid,
                        s.suid, s.fsuid, s.rgid, s.egid, s.sgid, s.fsgid);
  absl::StrAppendFormat(&out, "FDSize:\t%d\nGroups:\t%s\n", s.fd_size,
                        absl::StrJoin(s.groups, " "));
  absl::StrAppendFormat(&out, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", s.tgid, s.pid,
                        s.pgid != 0 ? s.pgid : s.tgid, s.sid != 0 ? s.sid : s.tgid);
  if (s.state != 'Z') {
    Kb(out, "VmPeak:", s.vm_peak);
    Kb(out, "VmSize:", s.vm_size);
    Kb(out, "VmLck:", 0);
    Kb(out, "VmPin:", 0);
    Kb(out, "VmHWM:", s.vm_hwm);
    Kb(out, "VmRSS:", s.vm_rss);
    Kb(out, "RssAnon:", s.rss_anon);
    Kb(out, "RssFile:", s.rss_file);
    Kb(out, "RssShmem:", s.rss_shmem);
    Kb(out, "VmData:", s.vm_data);
    Kb(out, "VmStk:", s.vm_stack);
    Kb(out, "VmExe:", s.vm_exe);
    Kb(out, "VmLib:", 0);
    Kb(out, "VmPTE:", 0);
    Kb(out, "VmSwap:", 0);
  }
  absl::StrAppendFormat(&out, "HugetlbPages:\t%8u kB\nCoreDumping:\t0\nTHP_enabled:\t1\n", 0);
  absl::StrAppendFormat(&out, "Threads:\t%d\nSigQ:\t0/%u\n", s.num_threads, 62824);
  absl::StrAppendFormat(&out, "SigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\n", s.sig_pending,
                        s.sig_shared_pending, s.sig_blocked);
  absl::StrAppendFormat(&out, "SigIgn:\t%016x\nSigCgt:\t%016x\n", s.sig_ignored, s.sig_caught);
  absl::StrAppendFormat(&out, "CapInh:\t%016x\nCapPrm:\t%016x\nCapEff:\t%016x\n", s.cap_inheritable,
                        s.cap_permitted, s.cap_effective);
  absl::StrAppendFormat(&out, "CapBnd:\t%016x\nCapAmb:\t%016x\n", s.cap_bounding, s.cap_ambient);
  absl::StrAppendFormat(&out, "NoNewPrivs:\t%d\nSeccomp:\t%d\nSeccomp_filters:\t%d\n",
                        s.no_new_privs ? 1 : 0, s.seccomp_mode, s.seccomp_filters);
  out += "Speculation_Store_Bypass:\tthread vulnerable\n";
  out += "SpeculationIndirectBranch:\tconditional enabled\n";
  absl::StrAppendFormat(&out, "Cpus_allowed:\t%s\nCpus_allowed_list:\t%s\n", CpuMask(s.ncpus),
                        CpuList(s.ncpus));
  out += "Mems_allowed:\t00000001\nMems_allowed_list:\t0\n";
  out += "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n";
  return out;
}

std::string FormatStatm(const ProcessStat& s) {
  return absl::StrFormat("%u %u %u %u 0 %u 0\n", s.vm_size / kPage, s.vm_rss / kPage,
                         (s.rss_file + s.rss_shmem) / kPage, s.vm_exe / kPage,
                         (s.vm_data + s.vm_stack) / kPage);
}

void AddMemoryStats(const std::vector<mm::MemoryManager::VmaInfo>& vmas, ProcessStat& s) {
  bool have_code = false;
  for (const auto& v : vmas) {
    uint64_t len = v.end - v.start;
    s.vm_size += len;
    s.vm_rss += v.resident;
    if (v.ino != 0) {
      s.rss_file += v.resident;
    } else if (v.shared) {
      s.rss_shmem += v.resident;
    } else {
      s.rss_anon += v.resident;
    }
    if (IsStack(v)) {
      s.vm_stack += len;
      s.start_stack = std::max(s.start_stack, v.end);
    } else if (!v.shared && (v.prot & PROT_WRITE)) {
      s.vm_data += len;
    }
    if (IsExe(v)) {
      s.vm_exe += len;
      if (!have_code) {
        s.start_code = v.start;
        s.end_code = v.end;
        have_code = true;
      }
    }
  }
  s.vm_peak = std::max(s.vm_peak, s.vm_size);
  s.vm_hwm = std::max(s.vm_hwm, s.vm_rss);
}

std::string FormatMaps(const std::vector<mm::MemoryManager::VmaInfo>& vmas) {
  std::string out;
  for (const auto& v : vmas) out += MapsHeader(v);
  return out;
}

std::string FormatSmaps(const std::vector<mm::MemoryManager::VmaInfo>& vmas) {
  std::string out;
  for (const auto& v : vmas) {
    out += MapsHeader(v);
    bool anon = v.ino == 0;
    Kb16(out, "Size:", v.end - v.start);
    Kb16(out, "KernelPageSize:", kPage);
    Kb16(out, "MMUPageSize:", kPage);
    Kb16(out, "Rss:", v.resident);
    Kb16(out, "Pss:", v.resident);
    Kb16(out, "Pss_Dirty:", v.resident);
    Kb16(out, "Shared_Clean:", 0);
    Kb16(out, "Shared_Dirty:", 0);
    Kb16(out, "Private_Clean:", 0);
    Kb16(out, "Private_Dirty:", v.resident);
    Kb16(out, "Referenced:", v.resident);
    Kb16(out, "Anonymous:", anon && !v.shared ? v.resident : 0);
    Kb16(out, "LazyFree:", 0);
    Kb16(out, "AnonHugePages:", 0);
    Kb16(out, "ShmemPmdMapped:", 0);
    Kb16(out, "FilePmdMapped:", 0);
    Kb16(out, "Shared_Hugetlb:", 0);
    Kb16(out, "Private_Hugetlb:", 0);
    Kb16(out, "Swap:", 0);
    Kb16(out, "SwapPss:", 0);
    Kb16(out, "Locked:", 0);
    out += "THPeligible:    0\n";
    out += "VmFlags: ";
    if (v.prot & PROT_READ) out += "rd ";
    if (v.prot & PROT_WRITE) out += "wr ";
    if (v.prot & PROT_EXEC) out += "ex ";
    if (v.shared) out += "sh ";
    out += "mr mw me ";
    if (v.shared) out += "ms ";
    if (v.growsdown) out += "gd ";
    if (!v.shared && (v.prot & PROT_WRITE)) out += "ac ";
    out += '\n';
  }
  return out;
}

std::string FormatLimits(const std::array<abi_linux::Rlimit64, 16>& limits) {
  struct Name {
    const char* name;
    const char* unit;
  };
  static constexpr Name kNames[16] = {
      {"Max cpu time", "seconds"},        {"Max file size", "bytes"},
      {"Max data size", "bytes"},         {"Max stack size", "bytes"},
      {"Max core file size", "bytes"},    {"Max resident set", "bytes"},
      {"Max processes", "processes"},     {"Max open files", "files"},
      {"Max locked memory", "bytes"},     {"Max address space", "bytes"},
      {"Max file locks", "locks"},        {"Max pending signals", "signals"},
      {"Max msgqueue size", "bytes"},     {"Max nice priority", nullptr},
      {"Max realtime priority", nullptr}, {"Max realtime timeout", "us"},
  };
  std::string out =
      absl::StrFormat("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
  auto value = [](uint64_t v) {
    return v == abi_linux::kRLIM_INFINITY ? absl::StrFormat("%-20s ", "unlimited")
                                          : absl::StrFormat("%-20u ", v);
  };
  for (int i = 0; i < 16; ++i) {
    absl::StrAppendFormat(&out, "%-25s %s%s", kNames[i].name, value(limits[i].rlim_cur),
                          value(limits[i].rlim_max));
    if (kNames[i].unit != nullptr) {
      absl::StrAppendFormat(&out, "%-10s\n", kNames[i].unit);
    } else {
      out += '\n';
    }
  }
  return out;
}

std::string FormatFdinfo(int64_t pos, int flags, int mnt_id, uint64_t ino) {
  return absl::StrFormat("pos:\t%d\nflags:\t0%o\nmnt_id:\t%d\nino:\t%u\n", pos, flags, mnt_id, ino);
}

std::string MangleMountField(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      absl::StrAppendFormat(&out, "\\%03o", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

namespace {
// A file system's own options, without the "rw"/"ro" the flags already say.
std::string FsOptions(const std::string& options) {
  std::vector<std::string> kept;
  for (absl::string_view o : absl::StrSplit(options, ',')) {
    if (o.empty() || o == "rw" || o == "ro") continue;
    kept.emplace_back(o);
  }
  return absl::StrJoin(kept, ",");
}

// "rw,nosuid,nodev,noexec" from mount flags.
std::string MountOptions(uint32_t flags) {
  std::string o = (flags & 1) ? "ro" : "rw";
  if (flags & 2) o += ",nosuid";
  if (flags & 4) o += ",nodev";
  if (flags & 8) o += ",noexec";
  return o;
}
}  // namespace

std::string FormatMounts(const std::vector<MountEntry>& mounts) {
  std::string out;
  for (const auto& m : mounts) {
    // Read-only if either the mount or its file system is (Linux's
    // __mnt_is_readonly).
    std::string opts = MountOptions(m.flags | (m.super_read_only ? 1 : 0));
    if (std::string fo = FsOptions(m.options); !fo.empty()) opts += "," + fo;
    absl::StrAppendFormat(&out, "%s %s %s %s 0 0\n", MangleMountField(m.source),
                          MangleMountField(m.mountpoint), MangleMountField(m.fstype), opts);
  }
  return out;
}

std::string FormatMountinfo(const std::vector<MountEntry>& mounts) {
  std::string out;
  for (const auto& m : mounts) {
    std::string super = m.super_read_only ? "ro" : "rw";
    if (std::string fo = FsOptions(m.options); !fo.empty()) super += "," + fo;
    absl::StrAppendFormat(&out, "%d %d %u:%u %s %s %s - %s %s %s\n", m.id, m.parent_id,
                          DevMajor(m.dev), DevMinor(m.dev), MangleMountField(m.root),
                          MangleMountField(m.mountpoint), MountOptions(m.flags),
                          MangleMountField(m.fstype), MangleMountField(m.source), super);
  }
  return out;
}

// ---- cpuinfo ----

namespace {

struct FlagBit {
  int bit;
  const char* name;
};

void AddFlags(uint32_t reg, std::initializer_list<FlagBit> bits, std::vector<std::string>& out) {
  for (const FlagBit& b : bits) {
    if (reg & (1u << b.bit)) out.emplace_back(b.name);
  }
}

// The TSC's rate, measured over a couple of milliseconds: what Linux shows
// as "cpu MHz" when CPUID does not say (with constant_tsc, the base clock).
double MeasureTscMhz() {
  timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  uint64_t c0 = __rdtsc();
  int64_t ns;
  do {
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  } while (ns < 2000000);
  uint64_t c1 = __rdtsc();
  return static_cast<double>(c1 - c0) * 1000.0 / static_cast<double>(ns);
}

}  // namespace

CpuInfo QueryCpu() {
  CpuInfo c;
  unsigned a = 0, b = 0, cx = 0, d = 0;
  if (!__get_cpuid(0, &a, &b, &cx, &d)) return c;
  c.cpuid_level = a;
  char vendor[13] = {};
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &d, 4);
  std::memcpy(vendor + 8, &cx, 4);
  c.vendor = vendor;

  unsigned eax1 = 0, ebx1 = 0, ecx1 = 0, edx1 = 0;
  __get_cpuid(1, &eax1, &ebx1, &ecx1, &edx1);
  c.stepping = eax1 & 0xf;
  c.model = (eax1 >> 4) & 0xf;
  c.family = (eax1 >> 8) & 0xf;
  if (c.family == 0xf) c.family += (eax1 >> 20) & 0xff;
  if (c.family >= 6) c.model += ((eax1 >> 16) & 0xf) << 4;
  c.clflush = ((ebx1 >> 8) & 0xff) * 8;
  if (c.clflush == 0) c.clflush = 64;

  AddFlags(edx1,
           {{0, "fpu"},      {1, "vme"},  {2, "de"},    {3, "pse"},  {4, "tsc"},    {5, "msr"},
            {6, "pae"},      {7, "mce"},  {8, "cx8"},   {9, "apic"}, {11, "sep"},   {12, "mtrr"},
            {13, "pge"},     {14, "mca"}, {15, "cmov"}, {16, "pat"}, {17, "pse36"}, {18, "pn"},
            {19, "clflush"}, {21, "dts"}, {22, "acpi"}, {23, "mmx"}, {24, "fxsr"},  {25, "sse"},
            {26, "sse2"},    {27, "ss"},  {28, "ht"},   {29, "tm"},  {30, "ia64"},  {31, "pbe"}},
           c.flags);
  unsigned ea = 0, eb = 0, ec = 0, ed = 0;
  unsigned max_ext = __get_cpuid_max(0x80000000, nullptr);
  if (max_ext >= 0x80000001) {
    __get_cpuid(0x80000001, &ea, &eb, &ec, &ed);
    AddFlags(ed,
             {{11, "syscall"},
              {19, "mp"},
              {20, "nx"},
              {22, "mmxext"},
              {25, "fxsr_opt"},
              {26, "pdpe1gb"},
              {27, "rdtscp"},
              {29, "lm"},
              {30, "3dnowext"},
              {31, "3dnow"}},
             c.flags);
  }
  c.flags.emplace_back("constant_tsc");
  c.flags.emplace_back("rep_good");
  c.flags.emplace_back("nopl");
  c.flags.emplace_back("xtopology");
  AddFlags(ecx1, {{0, "pni"},     {1, "pclmulqdq"},  {2, "dtes64"},  {3, "monitor"},
                  {4, "ds_cpl"},  {5, "vmx"},        {6, "smx"},     {7, "est"},
                  {8, "tm2"},     {9, "ssse3"},      {10, "cid"},    {11, "sdbg"},
                  {12, "fma"},    {13, "cx16"},      {14, "xtpr"},   {15, "pdcm"},
                  {17, "pcid"},   {18, "dca"},       {19, "sse4_1"}, {20, "sse4_2"},
                  {21, "x2apic"}, {22, "movbe"},     {23, "popcnt"}, {24, "tsc_deadline_timer"},
                  {25, "aes"},    {26, "xsave"},     {28, "avx"},    {29, "f16c"},
                  {30, "rdrand"}, {31, "hypervisor"}},
           c.flags);
  if (max_ext >= 0x80000001) {
    AddFlags(ec, {{0, "lahf_lm"},       {1, "cmp_legacy"},  {2, "svm"},    {3, "extapic"},
                  {4, "cr8_legacy"},    {5, "abm"},         {6, "sse4a"},  {7, "misalignsse"},
                  {8, "3dnowprefetch"}, {9, "osvw"},        {10, "ibs"},   {11, "xop"},
                  {12, "skinit"},       {13, "wdt"},        {15, "lwp"},   {16, "fma4"},
                  {17, "tce"},          {19, "nodeid_msr"}, {21, "tbm"},   {22, "topoext"},
                  {23, "perfctr_core"}, {24, "perfctr_nb"}, {26, "bpext"}, {27, "ptsc"},
                  {28, "perfctr_llc"},  {29, "mwaitx"}},
             c.flags);
  }
  if (c.cpuid_level >= 7) {
    unsigned a7 = 0, b7 = 0, c7 = 0, d7 = 0;
    __cpuid_count(7, 0, a7, b7, c7, d7);
    AddFlags(b7, {{0, "fsgsbase"},  {1, "tsc_adjust"}, {3, "bmi1"},        {4, "hle"},
                  {5, "avx2"},      {7, "smep"},       {8, "bmi2"},        {9, "erms"},
                  {10, "invpcid"},  {11, "rtm"},       {12, "cqm"},        {14, "mpx"},
                  {15, "rdt_a"},    {16, "avx512f"},   {17, "avx512dq"},   {18, "rdseed"},
                  {19, "adx"},      {20, "smap"},      {21, "avx512ifma"}, {23, "clflushopt"},
                  {24, "clwb"},     {25, "intel_pt"},  {26, "avx512pf"},   {27, "avx512er"},
                  {28, "avx512cd"}, {29, "sha_ni"},    {30, "avx512bw"},   {31, "avx512vl"}},
             c.flags);
    if (c.cpuid_level >= 0xd) {
      unsigned ad = 0, bd = 0, cd = 0, dd = 0;
      __cpuid_count(0xd, 1, ad, bd, cd, dd);
      AddFlags(ad, {{0, "xsaveopt"}, {1, "xsavec"}, {2, "xgetbv1"}, {3, "xsaves"}}, c.flags);
    }
    AddFlags(c7,
             {{1, "avx512vbmi"},
              {2, "umip"},
              {3, "pku"},
              {4, "ospke"},
              {5, "waitpkg"},
              {6, "avx512_vbmi2"},
              {8, "gfni"},
              {9, "vaes"},
              {10, "vpclmulqdq"},
              {11, "avx512_vnni"},
              {12, "avx512_bitalg"},
              {14, "avx512_vpopcntdq"},
              {16, "la57"},
              {22, "rdpid"},
              {25, "cldemote"},
              {27, "movdiri"},
              {28, "movdir64b"}},
             c.flags);
    AddFlags(d7,
             {{2, "avx512_4vnniw"},
              {3, "avx512_4fmaps"},
              {4, "fsrm"},
              {8, "avx512_vp2intersect"},
              {10, "md_clear"},
              {14, "serialize"},
              {16, "tsxldtrk"},
              {18, "pconfig"},
              {19, "arch_lbr"},
              {22, "amx_bf16"},
              {23, "avx512_fp16"},
              {24, "amx_tile"},
              {25, "amx_int8"},
              {28, "flush_l1d"},
              {29, "arch_capabilities"}},
             c.flags);
  }

  if (max_ext >= 0x80000004) {
    unsigned regs[12];
    for (unsigned i = 0; i < 3; ++i) {
      __get_cpuid(0x80000002 + i, &regs[i * 4], &regs[i * 4 + 1], &regs[i * 4 + 2],
                  &regs[i * 4 + 3]);
    }
    char name[49] = {};
    std::memcpy(name, regs, 48);
    c.model_name = std::string(absl::StripAsciiWhitespace(name));
  }
  if (max_ext >= 0x80000008) {
    __get_cpuid(0x80000008, &ea, &eb, &ec, &ed);
    c.phys_bits = ea & 0xff;
    c.virt_bits = (ea >> 8) & 0xff;
  }
  if (c.cpuid_level >= 0x16) {
    unsigned a16 = 0, b16 = 0, c16 = 0, d16 = 0;
    __cpuid_count(0x16, 0, a16, b16, c16, d16);
    c.mhz = a16 & 0xffff;
  }
  if (c.mhz == 0) c.mhz = MeasureTscMhz();
  // The last-level cache.
  if (c.vendor == "GenuineIntel" && c.cpuid_level >= 4) {
    for (unsigned i = 0; i < 16; ++i) {
      unsigned a4 = 0, b4 = 0, c4 = 0, d4 = 0;
      __cpuid_count(4, i, a4, b4, c4, d4);
      if ((a4 & 0x1f) == 0) break;
      uint64_t size = uint64_t{((b4 >> 22) & 0x3ff) + 1} * (((b4 >> 12) & 0x3ff) + 1) *
                      ((b4 & 0xfff) + 1) * (uint64_t{c4} + 1);
      c.cache_kb = std::max<unsigned>(c.cache_kb, static_cast<unsigned>(size >> 10));
    }
  } else if (max_ext >= 0x80000006) {
    __get_cpuid(0x80000006, &ea, &eb, &ec, &ed);
    unsigned l3 = (ed >> 18) * 512, l2 = ec >> 16;
    c.cache_kb = l3 != 0 ? l3 : l2;
  }
  return c;
}

std::string FormatCpuinfo(const CpuInfo& c, unsigned ncpus) {
  std::string out;
  std::string flags = absl::StrJoin(c.flags, " ");
  for (unsigned i = 0; i < ncpus; ++i) {
    absl::StrAppendFormat(&out,
                          "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
                          "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %.3f\n"
                          "cache size\t: %u KB\nphysical id\t: 0\nsiblings\t: %u\n"
                          "core id\t\t: %u\ncpu cores\t: %u\napicid\t\t: %u\n"
                          "initial apicid\t: %u\nfpu\t\t: yes\nfpu_exception\t: yes\n"
                          "cpuid level\t: %u\nwp\t\t: yes\nflags\t\t: %s\nbugs\t\t:\n"
                          "bogomips\t: %.2f\nclflush size\t: %u\ncache_alignment\t: %u\n"
                          "address sizes\t: %u bits physical, %u bits virtual\n"
                          "power management:\n\n",
                          i, c.vendor, c.family, c.model, c.model_name, c.stepping, c.mhz,
                          c.cache_kb, ncpus, i, ncpus, i, i, c.cpuid_level, flags, c.mhz * 2,
                          c.clflush, c.clflush, c.phys_bits, c.virt_bits);
  }
  return out;
}

std::string FormatMeminfo(const MemInfo& m) {
  std::string out;
  uint64_t used_anon = m.total > m.available ? m.total - m.available : 0;
  Kb16(out, "MemTotal:", m.total);
  Kb16(out, "MemFree:", m.free);
  Kb16(out, "MemAvailable:", m.available);
  Kb16(out, "Buffers:", m.buffers);
  Kb16(out, "Cached:", m.cached);
  Kb16(out, "SwapCached:", 0);
  Kb16(out, "Active:", used_anon);
  Kb16(out, "Inactive:", 0);
  Kb16(out, "Active(anon):", used_anon);
  Kb16(out, "Inactive(anon):", 0);
  Kb16(out, "Active(file):", 0);
  Kb16(out, "Inactive(file):", 0);
  Kb16(out, "Unevictable:", 0);
  Kb16(out, "Mlocked:", 0);
  Kb16(out, "SwapTotal:", m.swap_total);
  Kb16(out, "SwapFree:", m.swap_free);
  Kb16(out, "Dirty:", 0);
  Kb16(out, "Writeback:", 0);
  Kb16(out, "AnonPages:", used_anon);
  Kb16(out, "Mapped:", 0);
  Kb16(out, "Shmem:", m.shmem);
  Kb16(out, "KReclaimable:", 0);
  Kb16(out, "Slab:", 0);
  Kb16(out, "SReclaimable:", 0);
  Kb16(out, "SUnreclaim:", 0);
  Kb16(out, "KernelStack:", 0);
  Kb16(out, "PageTables:", 0);
  Kb16(out, "NFS_Unstable:", 0);
  Kb16(out, "Bounce:", 0);
  Kb16(out, "WritebackTmp:", 0);
  Kb16(out, "CommitLimit:", m.total / 2 + m.swap_total);
  Kb16(out, "Committed_AS:", used_anon);
  Kb16(out, "VmallocTotal:", uint64_t{34359738367} << 10);
  Kb16(out, "VmallocUsed:", 0);
  Kb16(out, "VmallocChunk:", 0);
  Kb16(out, "Percpu:", 0);
  Kb16(out, "HardwareCorrupted:", 0);
  Kb16(out, "AnonHugePages:", 0);
  Kb16(out, "ShmemHugePages:", 0);
  Kb16(out, "ShmemPmdMapped:", 0);
  Kb16(out, "FileHugePages:", 0);
  Kb16(out, "FilePmdMapped:", 0);
  out +=
      "HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n"
      "HugePages_Surp:        0\n";
  Kb16(out, "Hugepagesize:", 2048 << 10);
  Kb16(out, "Hugetlb:", 0);
  return out;
}

std::string FormatProcStat(unsigned ncpus, int64_t boot_time_sec, int64_t uptime_ns, int processes,
                           int running) {
  // Clock ticks (USER_HZ = 100) idle since boot: the sentry does not
  // account CPU time per CPU.
  uint64_t idle = static_cast<uint64_t>(std::max<int64_t>(uptime_ns, 0) / 10000000);
  std::string out = absl::StrFormat("cpu  0 0 0 %u 0 0 0 0 0 0\n", idle * ncpus);
  for (unsigned i = 0; i < ncpus; ++i) {
    absl::StrAppendFormat(&out, "cpu%u 0 0 0 %u 0 0 0 0 0 0\n", i, idle);
  }
  absl::StrAppendFormat(&out,
                        "intr 0\nctxt 0\nbtime %d\nprocesses %d\nprocs_running %d\n"
                        "procs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
                        boot_time_sec, processes, running);
  return out;
}

std::string FormatLoadavg(int running, int total, int last_pid) {
  return absl::StrFormat("0.00 0.00 0.00 %d/%d %d\n", running, total, last_pid);
}

std::string FormatUptime(int64_t uptime_ns) {
  int64_t cs = std::max<int64_t>(uptime_ns, 0) / 10000000;  // centiseconds
  return absl::StrFormat("%d.%02d 0.00\n", cs / 100, cs % 100);
}

std::optional<int> ParseOomScoreAdj(std::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  int v;
  if (t.empty() || !absl::SimpleAtoi(t, &v)) return std::nullopt;
  if (v < -1000 || v > 1000) return std::nullopt;
  return v;
}

std::string NewUuid() {
  uint8_t b[16];
  size_t got = 0;
  while (got < sizeof(b)) {
    ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // cannot happen for 16 bytes once the pool is ready
    got += n;
  }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return absl::StrFormat("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                         b[12], b[13], b[14], b[15]);
}

}  // namespace sentry::fsimpl::proc
