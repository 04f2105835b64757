#include "sentry/fsimpl/proc/proc_text.h"

#include <sys/mman.h>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "sentry/fsimpl/proc/path_name.h"

namespace sentry::fsimpl::proc {
namespace {

using Vma = mm::MemoryManager::VmaInfo;

Vma MakeVma(uint64_t start, uint64_t end, int prot, std::string name = "", uint64_t resident = 0) {
  Vma v;
  v.start = start;
  v.end = end;
  v.prot = prot;
  v.name = std::move(name);
  v.resident = resident;
  return v;
}

ProcessStat Sample() {
  ProcessStat s;
  s.pid = s.tgid = 42;
  s.ppid = 1;
  s.comm = "my prog";
  s.state = 'R';
  s.num_threads = 3;
  s.ruid = 1000, s.euid = 1001, s.suid = 1002, s.fsuid = 1003;
  s.rgid = 2000, s.egid = 2001, s.sgid = 2002, s.fsgid = 2003;
  s.groups = {4, 24};
  s.cap_effective = 0x1ffffffffff;
  s.sig_blocked = 0x10000;
  s.sig_ignored = 0x1000;
  s.sig_caught = 0x4002;
  s.args = {0x7ffc0000, 0x7ffc0010, 0x7ffc0010, 0x7ffc0040};
  s.start_brk = 0x600000;
  s.ncpus = 4;
  std::vector<Vma> vmas = {
      MakeVma(0x400000, 0x401000, PROT_READ | PROT_EXEC, "", 4096),
      MakeVma(0x600000, 0x603000, PROT_READ | PROT_WRITE, "[heap]", 8192),
      MakeVma(0x7ffc0000 - 0x20000, 0x7ffc1000, PROT_READ | PROT_WRITE, "[stack]", 4096),
  };
  vmas[2].growsdown = true;
  AddMemoryStats(vmas, s);
  return s;
}

TEST(FormatStatTest, HasFiftyTwoFieldsInLinuxOrder) {
  std::string line = FormatStat(Sample());
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  // The name is in parentheses and may hold spaces: split after it.
  size_t close = line.rfind(')');
  ASSERT_NE(close, std::string::npos);
  EXPECT_EQ(line.substr(0, close + 1), "42 (my prog)");
  std::vector<std::string> f = absl::StrSplit(line.substr(close + 2, line.size() - close - 3), ' ');
  ASSERT_EQ(f.size() + 2, 52u) << line;
  auto field = [&](int n) { return f[n - 3]; };  // man 5 proc numbering
  EXPECT_EQ(field(3), "R");
  EXPECT_EQ(field(4), "1");
  EXPECT_EQ(field(20), "3");                                        // num_threads
  EXPECT_EQ(field(23), std::to_string(0x1000 + 0x3000 + 0x21000));  // vsize
  EXPECT_EQ(field(24), "4");                                        // rss pages
  EXPECT_EQ(field(26), std::to_string(0x400000));                   // startcode
  EXPECT_EQ(field(27), std::to_string(0x401000));                   // endcode
  EXPECT_EQ(field(32), std::to_string(0x10000));                    // blocked
  EXPECT_EQ(field(38), "17");                                       // exit_signal
  EXPECT_EQ(field(47), std::to_string(0x600000));                   // start_brk
  EXPECT_EQ(field(48), std::to_string(0x7ffc0000));                 // arg_start
  EXPECT_EQ(field(51), std::to_string(0x7ffc0040));                 // env_end
  EXPECT_EQ(field(52), "0");
}

TEST(FormatStatusTest, IdsSignalsAndMemory) {
  std::string s = FormatStatus(Sample());
  EXPECT_NE(s.find("Name:\tmy prog\n"), std::string::npos);
  EXPECT_NE(s.find("State:\tR (running)\n"), std::string::npos);
  EXPECT_NE(s.find("Tgid:\t42\n"), std::string::npos);
  EXPECT_NE(s.find("PPid:\t1\n"), std::string::npos);
  EXPECT_NE(s.find("Uid:\t1000\t1001\t1002\t1003\n"), std::string::npos);
  EXPECT_NE(s.find("Gid:\t2000\t2001\t2002\t2003\n"), std::string::npos);
  EXPECT_NE(s.find("Groups:\t4 24\n"), std::string::npos);
  EXPECT_NE(s.find("VmRSS:\t      16 kB\n"), std::string::npos) << s;
  EXPECT_NE(s.find("VmStk:\t     132 kB\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Threads:\t3\n"), std::string::npos);
  EXPECT_NE(s.find("SigBlk:\t0000000000010000\n"), std::string::npos);
  EXPECT_NE(s.find("SigIgn:\t0000000000001000\n"), std::string::npos);
  EXPECT_NE(s.find("SigCgt:\t0000000000004002\n"), std::string::npos);
  EXPECT_NE(s.find("CapEff:\t000001ffffffffff\n"), std::string::npos);
  EXPECT_NE(s.find("Cpus_allowed:\tf\n"), std::string::npos) << s;
  EXPECT_NE(s.find("Cpus_allowed_list:\t0-3\n"), std::string::npos);
}

TEST(FormatStatusTest, ZombiesHaveNoMemoryLines) {
  ProcessStat z = Sample();
  z.state = 'Z';
  std::string s = FormatStatus(z);
  EXPECT_NE(s.find("State:\tZ (zombie)\n"), std::string::npos);
  EXPECT_EQ(s.find("VmSize"), std::string::npos);
}

TEST(FormatStatmTest, Pages) {
  // size 0x25000 = 37 pages; resident 4 pages; text 1 page; data 3 + 33 pages.
  EXPECT_EQ(FormatStatm(Sample()), "37 4 0 1 0 36 0\n");
}

TEST(FormatMapsTest, LinuxLayout) {
  std::vector<Vma> vmas = {
      MakeVma(0x400000, 0x401000, PROT_READ | PROT_EXEC, "/bin/prog"),
      MakeVma(0x7f0000000000, 0x7f0000001000, PROT_READ | PROT_WRITE),
  };
  vmas[0].offset = 0x1000;
  vmas[0].dev = (8 << 8) | 1;
  vmas[0].ino = 1234;
  vmas[1].shared = true;
  std::string maps = FormatMaps(vmas);
  std::vector<std::string> lines = absl::StrSplit(maps, '\n');
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].substr(0, 47), "00400000-00401000 r-xp 00001000 08:01 1234     ");
  EXPECT_EQ(lines[0].size(), 73u + 9u);
  EXPECT_EQ(lines[0].substr(73), "/bin/prog");
  EXPECT_EQ(lines[1], "7f0000000000-7f0000001000 rw-s 00000000 00:00 0 ");
  EXPECT_EQ(lines[2], "");
}

TEST(FormatSmapsTest, SizesAndFlags) {
  std::vector<Vma> vmas = {MakeVma(0x600000, 0x603000, PROT_READ | PROT_WRITE, "[heap]", 8192)};
  std::string s = FormatSmaps(vmas);
  EXPECT_NE(s.find("\nSize:                 12 kB\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\nRss:                   8 kB\n"), std::string::npos);
  EXPECT_NE(s.find("\nAnonymous:             8 kB\n"), std::string::npos);
  EXPECT_NE(s.find("\nVmFlags: rd wr mr mw me ac \n"), std::string::npos);
}

TEST(FormatLimitsTest, HeaderUnlimitedAndUnits) {
  std::array<abi_linux::Rlimit64, 16> lim;
  for (auto& l : lim) l = {abi_linux::kRLIM_INFINITY, abi_linux::kRLIM_INFINITY};
  lim[abi_linux::kRLIMIT_NOFILE] = {1024, 4096};
  std::string s = FormatLimits(lim);
  std::vector<std::string> lines = absl::StrSplit(s, '\n');
  ASSERT_EQ(lines.size(), 18u);
  EXPECT_EQ(lines[0],
            "Limit                     Soft Limit           Hard Limit           Units     ");
  EXPECT_EQ(lines[8],
            "Max open files            1024                 4096                 files     ");
  EXPECT_EQ(lines[1],
            "Max cpu time              unlimited            unlimited            seconds   ");
  EXPECT_EQ(lines[14], "Max nice priority         unlimited            unlimited            ");
}

TEST(FormatFdinfoTest, Fields) {
  EXPECT_EQ(FormatFdinfo(12, 02100002, 3, 99),
            "pos:\t12\nflags:\t02100002\nmnt_id:\t3\nino:\t99\n");
}

TEST(FormatMountsTest, MountsAndMountinfo) {
  std::vector<MountEntry> m = {
      {.id = 1,
       .parent_id = 1,
       .dev = 0x12,
       .mountpoint = "/",
       .flags = 0,
       .fstype = "9p",
       .source = "rootfs",
       .options = "ro"},
      {.id = 2,
       .parent_id = 1,
       .dev = 0x13,
       .mountpoint = "/my dir",
       .flags = 1 | 2 | 4 | 8,
       .super_read_only = true,
       .fstype = "proc",
       .source = "proc",
       .options = "hidepid=0"},
      // A read-only bind mount of a subdirectory of a writable file system.
      {.id = 3,
       .parent_id = 2,
       .dev = 0x13,
       .root = "/sys",
       .mountpoint = "/my dir/sys",
       .flags = 1,
       .fstype = "proc",
       .source = "proc",
       .options = ""},
      // A file system remounted read-only under a writable mount.
      {.id = 4,
       .parent_id = 1,
       .dev = 0x14,
       .mountpoint = "/t",
       .flags = 0,
       .super_read_only = true,
       .fstype = "tmpfs",
       .source = "tmpfs",
       .options = "size=4k"},
  };
  EXPECT_EQ(FormatMounts(m),
            "rootfs / 9p rw 0 0\nproc /my\\040dir proc ro,nosuid,nodev,noexec,hidepid=0 0 0\n"
            "proc /my\\040dir/sys proc ro 0 0\ntmpfs /t tmpfs ro,size=4k 0 0\n");
  EXPECT_EQ(FormatMountinfo(m),
            "1 1 0:18 / / rw - 9p rootfs rw\n"
            "2 1 0:19 / /my\\040dir ro,nosuid,nodev,noexec - proc proc ro,hidepid=0\n"
            "3 2 0:19 /sys /my\\040dir/sys ro - proc proc rw\n"
            "4 1 0:20 / /t rw - tmpfs tmpfs ro,size=4k\n");
}

TEST(CpuinfoTest, OneBlockPerCpuWithFlags) {
  CpuInfo c = QueryCpu();
  EXPECT_FALSE(c.vendor.empty());
  EXPECT_FALSE(c.flags.empty());
  EXPECT_EQ(c.flags[0], "fpu");  // every x86-64 CPU has one
  std::string s = FormatCpuinfo(c, 3);
  size_t n = 0;
  for (size_t pos = 0; (pos = s.find("processor\t: ", pos)) != std::string::npos; ++pos) ++n;
  EXPECT_EQ(n, 3u);
  EXPECT_NE(s.find("processor\t: 2\n"), std::string::npos);
  EXPECT_NE(s.find("vendor_id\t: " + c.vendor + "\n"), std::string::npos);
  EXPECT_NE(s.find("flags\t\t: fpu "), std::string::npos);
  EXPECT_NE(s.find(" lm "), std::string::npos);  // long mode: we run 64-bit code
  EXPECT_EQ(s.substr(s.size() - 2), "\n\n");
}

TEST(MeminfoTest, KilobytesPadded) {
  MemInfo m{.total = uint64_t{16} << 30, .free = uint64_t{8} << 30, .available = uint64_t{9} << 30};
  std::string s = FormatMeminfo(m);
  EXPECT_EQ(s.substr(0, 28), "MemTotal:       16777216 kB\n");
  EXPECT_NE(s.find("\nMemFree:         8388608 kB\n"), std::string::npos);
  EXPECT_NE(s.find("\nMemAvailable:    9437184 kB\n"), std::string::npos);
  EXPECT_NE(s.find("\nHugepagesize:       2048 kB\n"), std::string::npos);
}

TEST(SystemFilesTest, StatLoadavgUptime) {
  std::string st = FormatProcStat(2, 1700000000, 5'000'000'000, 7, 1);
  EXPECT_EQ(st.substr(0, st.find('\n')), "cpu  0 0 0 1000 0 0 0 0 0 0");
  EXPECT_NE(st.find("\ncpu1 0 0 0 500 0 0 0 0 0 0\n"), std::string::npos);
  EXPECT_NE(st.find("\nbtime 1700000000\n"), std::string::npos);
  EXPECT_NE(st.find("\nprocesses 7\n"), std::string::npos);
  EXPECT_EQ(FormatLoadavg(1, 5, 40), "0.00 0.00 0.00 1/5 40\n");
  EXPECT_EQ(FormatUptime(12'345'678'901), "12.34 0.00\n");
}

TEST(OomScoreAdjTest, Parses) {
  EXPECT_EQ(ParseOomScoreAdj("0"), 0);
  EXPECT_EQ(ParseOomScoreAdj(" -1000\n"), -1000);
  EXPECT_EQ(ParseOomScoreAdj("1000"), 1000);
  EXPECT_EQ(ParseOomScoreAdj("1001"), std::nullopt);
  EXPECT_EQ(ParseOomScoreAdj("abc"), std::nullopt);
  EXPECT_EQ(ParseOomScoreAdj(""), std::nullopt);
  EXPECT_EQ(ParseOomScoreAdj("5x"), std::nullopt);
}

TEST(UuidTest, Version4Shape) {
  std::string a = NewUuid(), b = NewUuid();
  ASSERT_EQ(a.size(), 36u);
  EXPECT_EQ(a[8], '-');
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

TEST(MangleTest, EscapesSeparators) {
  EXPECT_EQ(MangleMountField("a b\tc\\d\ne"), "a\\040b\\011c\\134d\\012e");
}

// A file system for the path tests: inodes are never asked anything.
class NoInode : public vfs::Inode {
 public:
  explicit NoInode(vfs::Filesystem& fs) : Inode(fs, 0040000) {}
  util::ErrnoOr<abi_linux::Stat> Stat() override { return abi_linux::Stat{}; }
};

TEST(PathFromRootTest, WalksDentriesUpToTheRoot) {
  auto fs = std::make_shared<vfs::Filesystem>("t", 1);
  auto top = std::make_shared<vfs::Dentry>(std::make_shared<NoInode>(*fs), "", nullptr);
  auto usr = std::make_shared<vfs::Dentry>(std::make_shared<NoInode>(*fs), "usr", top);
  auto bin = std::make_shared<vfs::Dentry>(std::make_shared<NoInode>(*fs), "bin", usr);
  auto m = std::make_shared<vfs::Mount>(1, fs, top, 0, "src", "");
  vfs::Path root{m, top};
  EXPECT_EQ(PathFromRoot(root, {m, bin}), "/usr/bin");
  EXPECT_EQ(PathFromRoot(root, root), "/");
  // With usr as the root, bin is /bin; top is outside, named from the top.
  EXPECT_EQ(PathFromRoot({m, usr}, {m, bin}), "/bin");
  EXPECT_EQ(PathFromRoot({m, usr}, {m, top}), "/");
  EXPECT_EQ(PathFromRoot(root, vfs::Path{}), "");
}

}  // namespace
}  // namespace sentry::fsimpl::proc
