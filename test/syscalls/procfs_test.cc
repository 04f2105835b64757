// The synthetic file systems: /proc/self/* and /proc/thread-self, the global
// /proc files, /proc/sys/kernel, the /dev character devices and the /dev/fd
// symlinks, and /sys/devices/system/cpu.
//
// The tests check formats and relations to what the process knows about
// itself (getpid(), a region it just mapped, a file it just opened), never
// host-specific values. The file ones use their own fresh directory under
// /tmp, removed with its contents at the end.
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/util/test_util.h"

extern char** environ;

namespace test_util {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::StartsWith;

int RemoveEntry(const char* path, const struct stat*, int, struct FTW*) {
  remove(path);
  return 0;
}

// A fresh directory /tmp/sk_procfs_XXXXXX, removed with its contents on scope exit.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sk_procfs_XXXXXX";
    if (mkdtemp(tmpl) != nullptr) path_ = tmpl;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    if (!path_.empty()) nftw(path_.c_str(), RemoveEntry, 16, FTW_DEPTH | FTW_PHYS);
  }
  const std::string& path() const { return path_; }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Closes an fd on scope exit.
class ScopedFd {
 public:
  explicit ScopedFd(long fd) : fd_(static_cast<int>(fd)) {}
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The whole contents of a (synthetic) file, read in small pieces; "" with
// errno set if it cannot be opened.
std::string ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return "";
  std::string out;
  char buf[97];  // an odd size, to exercise reads that end mid-line
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, n);
  close(fd);
  return out;
}

std::string ReadLink(const std::string& path) {
  char buf[4096];
  const ssize_t n = readlink(path.c_str(), buf, sizeof(buf));
  return n < 0 ? "<" + ErrnoName(errno) + ">" : std::string(buf, n);
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Fields(const std::string& s) {
  std::vector<std::string> fields;
  std::istringstream in(s);
  for (std::string f; in >> f;) fields.push_back(f);
  return fields;
}

// The value after "Key:" in a "Key:\tvalue" file such as /proc/self/status.
std::string KeyValue(const std::string& contents, const std::string& key) {
  for (const std::string& line : Lines(contents)) {
    if (line.rfind(key + ":", 0) == 0) {
      const size_t start = line.find_first_not_of(" \t", key.size() + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
  }
  return "<no " + key + ">";
}

bool FullMatch(const std::string& s, const char* re) { return std::regex_match(s, std::regex(re)); }

// /proc/self and its files

TEST(ProcSelfTest, SelfAndThreadSelf) {
  EXPECT_EQ(ReadLink("/proc/self"), std::to_string(getpid()));
  EXPECT_EQ(ReadLink("/proc/thread-self"),
            std::to_string(getpid()) + "/task/" + std::to_string(gettid()));
  struct stat a, b;
  ASSERT_THAT(stat("/proc/self", &a), SyscallSucceeds());
  ASSERT_THAT(stat(("/proc/" + std::to_string(getpid())).c_str(), &b), SyscallSucceeds());
  EXPECT_TRUE(S_ISDIR(a.st_mode));
  EXPECT_EQ(a.st_ino, b.st_ino);
}

TEST(ProcSelfTest, Stat) {
  const std::string s = ReadFile("/proc/self/stat");
  ASSERT_FALSE(s.empty()) << ErrnoName(errno);
  EXPECT_EQ(s.back(), '\n');
  const size_t open_paren = s.find(" (");
  const size_t close_paren = s.rfind(')');
  ASSERT_NE(open_paren, std::string::npos);
  ASSERT_NE(close_paren, std::string::npos);
  EXPECT_EQ(s.substr(0, open_paren), std::to_string(getpid()));
  const std::string comm = s.substr(open_paren + 2, close_paren - open_paren - 2);
  EXPECT_EQ(comm, Basename(SelfExePath()).substr(0, 15));
  const std::vector<std::string> f = Fields(s.substr(close_paren + 1));
  ASSERT_GE(f.size(), 50u);  // fields 3..52 of proc(5)
  EXPECT_EQ(f[0], "R");      // reading its own stat, it is running
  EXPECT_EQ(f[1], std::to_string(getppid()));
  EXPECT_EQ(f[2], std::to_string(getpgrp()));
  EXPECT_EQ(f[3], std::to_string(getsid(0)));
  EXPECT_EQ(f[17], "1");  // num_threads
  for (const std::string& field : f) {
    EXPECT_TRUE(FullMatch(field, "[RSDZTtXIWKP]|-?[0-9]+")) << field;
  }
}

TEST(ProcSelfTest, Status) {
  const std::string s = ReadFile("/proc/self/status");
  ASSERT_FALSE(s.empty()) << ErrnoName(errno);
  EXPECT_EQ(KeyValue(s, "Name"), Basename(SelfExePath()).substr(0, 15));
  EXPECT_EQ(KeyValue(s, "State"), "R (running)");
  EXPECT_EQ(KeyValue(s, "Tgid"), std::to_string(getpid()));
  EXPECT_EQ(KeyValue(s, "Pid"), std::to_string(getpid()));
  EXPECT_EQ(KeyValue(s, "PPid"), std::to_string(getppid()));
  EXPECT_EQ(KeyValue(s, "Threads"), "1");
  uid_t r, e, su;
  ASSERT_THAT(getresuid(&r, &e, &su), SyscallSucceeds());
  const std::vector<std::string> uids = Fields(KeyValue(s, "Uid"));
  ASSERT_EQ(uids.size(), 4u);
  EXPECT_EQ(uids[0], std::to_string(r));
  EXPECT_EQ(uids[1], std::to_string(e));
  EXPECT_EQ(uids[2], std::to_string(su));
  gid_t rg, eg, sg;
  ASSERT_THAT(getresgid(&rg, &eg, &sg), SyscallSucceeds());
  const std::vector<std::string> gids = Fields(KeyValue(s, "Gid"));
  ASSERT_EQ(gids.size(), 4u);
  EXPECT_EQ(gids[0], std::to_string(rg));
  const mode_t mask = umask(0);
  umask(mask);
  char want_umask[8];
  snprintf(want_umask, sizeof(want_umask), "%04o", mask);
  EXPECT_EQ(KeyValue(s, "Umask"), want_umask);
  EXPECT_TRUE(FullMatch(KeyValue(s, "VmRSS"), "[0-9]+ kB")) << KeyValue(s, "VmRSS");
}

TEST(ProcSelfTest, Statm) {
  const std::string s = ReadFile("/proc/self/statm");
  ASSERT_TRUE(FullMatch(s, "([0-9]+ ){6}[0-9]+\n")) << s;
  const std::vector<std::string> f = Fields(s);
  EXPECT_GT(std::stoull(f[0]), 0u);
  EXPECT_LE(std::stoull(f[1]), std::stoull(f[0]));  // resident <= size
}

TEST(ProcSelfTest, CmdlineAndEnviron) {
  const std::string cmdline = ReadFile("/proc/self/cmdline");
  ASSERT_FALSE(cmdline.empty()) << ErrnoName(errno);
  EXPECT_EQ(cmdline.back(), '\0');
  EXPECT_EQ(std::string(cmdline.c_str()), program_invocation_name);
  const std::string env = ReadFile("/proc/self/environ");
  if (environ == nullptr || environ[0] == nullptr) {
    EXPECT_EQ(env, "");
    return;
  }
  ASSERT_FALSE(env.empty());
  EXPECT_EQ(env.back(), '\0');
  EXPECT_THAT(env, HasSubstr(std::string(environ[0]) + '\0'));
  for (size_t pos = 0; pos < env.size(); pos += strlen(env.c_str() + pos) + 1) {
    EXPECT_NE(strchr(env.c_str() + pos, '='), nullptr) << env.c_str() + pos;
  }
}

TEST(ProcSelfTest, MapsShowsANewMapping) {
  // PROT_NONE guard pages on both sides keep the region from merging.
  Mapping m;
  ASSERT_THAT(m.MapAnon(5 * kPageSize, PROT_NONE), SyscallSucceeds());
  ASSERT_THAT(mprotect(m.ptr() + kPageSize, 3 * kPageSize, PROT_READ), SyscallSucceeds());
  char want[128];
  snprintf(want, sizeof(want), "%lx-%lx r--p 00000000 00:00 0", m.start() + kPageSize,
           m.start() + 4 * kPageSize);
  const std::vector<std::string> lines = Lines(ReadFile("/proc/self/maps"));
  ASSERT_FALSE(lines.empty());
  bool found = false, stack = false;
  for (const std::string& line : lines) {
    EXPECT_TRUE(FullMatch(line,
                          "[0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps] [0-9a-f]{8,} "
                          "[0-9a-f]{2,}:[0-9a-f]{2,} [0-9]+( +.*)?"))
        << line;
    found |= Fields(line).size() == 5 && line.rfind(want, 0) == 0;
    stack |= line.size() >= 7 && line.substr(line.size() - 7) == "[stack]";
  }
  EXPECT_TRUE(found) << want;
  EXPECT_TRUE(stack);
}

TEST(ProcSelfTest, MapsNamesAFileMapping) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ScopedFd fd(open(dir.Path("mapped").c_str(), O_RDWR | O_CREAT, 0644));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  ASSERT_THAT(ftruncate(fd.get(), 2 * kPageSize), SyscallSucceeds());
  Mapping m;
  ASSERT_THAT(m.Map(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), kPageSize),
              SyscallSucceeds());
  struct stat st;
  ASSERT_THAT(fstat(fd.get(), &st), SyscallSucceeds());
  char want[128];
  snprintf(want, sizeof(want), "%lx-%lx rw-s %08lx %02x:%02x %lu", m.start(), m.end(),
           static_cast<unsigned long>(kPageSize), major(st.st_dev), minor(st.st_dev),
           static_cast<unsigned long>(st.st_ino));
  bool found = false;
  for (const std::string& line : Lines(ReadFile("/proc/self/maps"))) {
    if (line.rfind(want, 0) == 0) {
      found = true;
      EXPECT_EQ(Fields(line).back(), dir.Path("mapped")) << line;
    }
  }
  EXPECT_TRUE(found) << want;
}

TEST(ProcSelfTest, ExeAndCwd) {
  const std::string exe = ReadLink("/proc/self/exe");
  ASSERT_THAT(exe, StartsWith("/"));
  struct stat a, b;
  ASSERT_THAT(stat("/proc/self/exe", &a), SyscallSucceeds());
  ASSERT_THAT(stat(exe.c_str(), &b), SyscallSucceeds());
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_EQ(a.st_dev, b.st_dev);
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  EXPECT_EQ(ReadLink("/proc/self/cwd"), cwd);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ScopedFd saved(open(".", O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(chdir(dir.path().c_str()), SyscallSucceeds());
  const std::string now = ReadLink("/proc/self/cwd");
  ASSERT_THAT(fchdir(saved.get()), SyscallSucceeds());
  EXPECT_EQ(now, dir.path());
}

TEST(ProcSelfTest, FdAndFdinfo) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.Path("opened");
  ScopedFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_THAT(fd.get(), SyscallSucceeds());
  const std::string n = std::to_string(fd.get());
  EXPECT_EQ(ReadLink("/proc/self/fd/" + n), path);
  // The directory lists the open fds.
  ScopedFd fds(open("/proc/self/fd", O_RDONLY | O_DIRECTORY));
  ASSERT_THAT(fds.get(), SyscallSucceeds());
  std::vector<std::string> names;
  char buf[4096];
  for (long len; (len = syscall(SYS_getdents64, fds.get(), buf, sizeof(buf))) > 0;) {
    for (long pos = 0; pos < len;) {
      names.emplace_back(buf + pos + 19);  // d_name of struct linux_dirent64
      pos += *reinterpret_cast<uint16_t*>(buf + pos + 16);
    }
  }
  EXPECT_THAT(names, Contains(n));
  EXPECT_THAT(names, Contains("0"));
  EXPECT_THAT(names, Contains(std::to_string(fds.get())));
  // fdinfo: position and flags (octal, with O_CLOEXEC for FD_CLOEXEC).
  ASSERT_THAT(write(fd.get(), "0123456789", 10), SyscallSucceeds());
  ASSERT_THAT(lseek(fd.get(), 7, SEEK_SET), SyscallSucceeds());
  const std::string info = ReadFile("/proc/self/fdinfo/" + n);
  EXPECT_EQ(KeyValue(info, "pos"), "7");
  const std::string flags = KeyValue(info, "flags");
  ASSERT_TRUE(FullMatch(flags, "0[0-7]+")) << flags;
  const long value = std::stol(flags, nullptr, 8);
  EXPECT_EQ(value & O_ACCMODE, O_RDWR);
  EXPECT_NE(value & O_CLOEXEC, 0);
  EXPECT_TRUE(FullMatch(KeyValue(info, "mnt_id"), "[0-9]+"));
  // An unlinked file is marked as deleted.
  ASSERT_THAT(unlink(path.c_str()), SyscallSucceeds());
  EXPECT_EQ(ReadLink("/proc/self/fd/" + n), path + " (deleted)");
  EXPECT_EQ(ReadLink("/proc/self/fd/999999"), "<" + ErrnoName(ENOENT) + ">");
}

TEST(ProcSelfTest, MountsAndMountinfo) {
  const std::vector<std::string> mounts = Lines(ReadFile("/proc/self/mounts"));
  ASSERT_FALSE(mounts.empty());
  bool root = false, proc = false;
  for (const std::string& line : mounts) {
    const std::vector<std::string> f = Fields(line);
    ASSERT_EQ(f.size(), 6u) << line;
    root |= f[1] == "/";
    proc |= f[1] == "/proc" && f[2] == "proc";
  }
  EXPECT_TRUE(root);
  EXPECT_TRUE(proc);
  const std::vector<std::string> info = Lines(ReadFile("/proc/self/mountinfo"));
  ASSERT_FALSE(info.empty());
  root = proc = false;
  for (const std::string& line : info) {
    // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPEROPTS
    const size_t dash = line.find(" - ");
    ASSERT_NE(dash, std::string::npos) << line;
    const std::vector<std::string> f = Fields(line.substr(0, dash));
    const std::vector<std::string> g = Fields(line.substr(dash + 3));
    ASSERT_GE(f.size(), 6u) << line;
    ASSERT_EQ(g.size(), 3u) << line;
    EXPECT_TRUE(FullMatch(f[0] + " " + f[1] + " " + f[2], "[0-9]+ [0-9]+ [0-9]+:[0-9]+")) << line;
    root |= f[4] == "/";
    proc |= f[4] == "/proc" && g[0] == "proc";
  }
  EXPECT_TRUE(root);
  EXPECT_TRUE(proc);
}

TEST(ProcSelfTest, Limits) {
  const std::vector<std::string> lines = Lines(ReadFile("/proc/self/limits"));
  ASSERT_GE(lines.size(), 17u);
  EXPECT_THAT(lines[0], StartsWith("Limit                     Soft Limit           Hard Limit"));
  rlimit rl;
  ASSERT_THAT(getrlimit(RLIMIT_NOFILE, &rl), SyscallSucceeds());
  bool found = false;
  for (const std::string& line : lines) {
    if (line.rfind("Max open files", 0) != 0) continue;
    found = true;
    const std::vector<std::string> f = Fields(line.substr(strlen("Max open files")));
    ASSERT_EQ(f.size(), 3u) << line;
    EXPECT_EQ(f[0], std::to_string(rl.rlim_cur));
    EXPECT_EQ(f[1], std::to_string(rl.rlim_max));
    EXPECT_EQ(f[2], "files");
  }
  EXPECT_TRUE(found);
}

// Global /proc files

TEST(ProcTest, CpuinfoAndMeminfo) {
  const std::string cpu = ReadFile("/proc/cpuinfo");
  EXPECT_THAT(cpu, StartsWith("processor\t: 0\n"));
  const std::string mem = ReadFile("/proc/meminfo");
  const std::string total = KeyValue(mem, "MemTotal"), free = KeyValue(mem, "MemFree");
  ASSERT_TRUE(FullMatch(total, "[0-9]+ kB")) << total;
  ASSERT_TRUE(FullMatch(free, "[0-9]+ kB")) << free;
  EXPECT_GT(std::stoull(total), 0u);
  EXPECT_LE(std::stoull(free), std::stoull(total));
}

TEST(ProcTest, UptimeAndLoadavg) {
  const std::string a = ReadFile("/proc/uptime");
  ASSERT_TRUE(FullMatch(a, "[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}\n")) << a;
  const std::string b = ReadFile("/proc/uptime");
  EXPECT_GT(std::stod(a), 0);
  EXPECT_LE(std::stod(a), std::stod(b));
  const std::string load = ReadFile("/proc/loadavg");
  EXPECT_TRUE(FullMatch(load, "([0-9]+\\.[0-9]{2} ){3}[0-9]+/[0-9]+ [0-9]+\n")) << load;
}

TEST(ProcTest, Stat) {
  const std::vector<std::string> lines = Lines(ReadFile("/proc/stat"));
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(FullMatch(lines[0], "cpu ( [0-9]+){7,}")) << lines[0];
  bool cpu0 = false, btime = false, processes = false;
  for (const std::string& line : lines) {
    cpu0 |= FullMatch(line, "cpu0( [0-9]+){7,}");
    btime |= FullMatch(line, "btime [0-9]+");
    processes |= FullMatch(line, "processes [0-9]+");
  }
  EXPECT_TRUE(cpu0);
  EXPECT_TRUE(btime);
  EXPECT_TRUE(processes);
}

TEST(ProcTest, FilesystemsAndVersion) {
  EXPECT_THAT(Lines(ReadFile("/proc/filesystems")), Contains("nodev\tproc"));
  utsname u;
  ASSERT_THAT(uname(&u), SyscallSucceeds());
  const std::string version = ReadFile("/proc/version");
  EXPECT_THAT(version, StartsWith(std::string("Linux version ") + u.release + " "));
  EXPECT_EQ(version.back(), '\n');
}

TEST(ProcTest, SysKernel) {
  utsname u;
  ASSERT_THAT(uname(&u), SyscallSucceeds());
  EXPECT_EQ(ReadFile("/proc/sys/kernel/hostname"), std::string(u.nodename) + "\n");
  EXPECT_EQ(ReadFile("/proc/sys/kernel/ostype"), "Linux\n");
  EXPECT_EQ(ReadFile("/proc/sys/kernel/osrelease"), std::string(u.release) + "\n");
  const std::string pid_max = ReadFile("/proc/sys/kernel/pid_max");
  ASSERT_TRUE(FullMatch(pid_max, "[0-9]+\n")) << pid_max;
  EXPECT_GT(std::stol(pid_max), getpid());
  const std::string boot_id = ReadFile("/proc/sys/kernel/random/boot_id");
  EXPECT_TRUE(FullMatch(boot_id, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n"))
      << boot_id;
  EXPECT_EQ(ReadFile("/proc/sys/kernel/random/boot_id"), boot_id);
}

// /dev

TEST(DevTest, NullZeroFull) {
  struct stat st;
  ASSERT_THAT(stat("/dev/null", &st), SyscallSucceeds());
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(1, 3));
  ScopedFd null(open("/dev/null", O_RDWR));
  ASSERT_THAT(null.get(), SyscallSucceeds());
  char buf[64];
  EXPECT_THAT(write(null.get(), "gone", 4), SyscallSucceedsWithValue(4));
  EXPECT_THAT(read(null.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(0));
  ScopedFd zero(open("/dev/zero", O_RDWR));
  ASSERT_THAT(zero.get(), SyscallSucceeds());
  memset(buf, 'x', sizeof(buf));
  ASSERT_THAT(read(zero.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(sizeof(buf)));
  EXPECT_EQ(std::string(buf, sizeof(buf)), std::string(sizeof(buf), '\0'));
  EXPECT_THAT(write(zero.get(), "gone", 4), SyscallSucceedsWithValue(4));
  ScopedFd full(open("/dev/full", O_RDWR));
  ASSERT_THAT(full.get(), SyscallSucceeds());
  EXPECT_THAT(write(full.get(), "x", 1), SyscallFailsWithErrno(ENOSPC));
  memset(buf, 'x', sizeof(buf));
  ASSERT_THAT(read(full.get(), buf, sizeof(buf)), SyscallSucceedsWithValue(sizeof(buf)));
  EXPECT_EQ(buf[0], '\0');
}

TEST(DevTest, RandomAndUrandom) {
  for (const char* path : {"/dev/urandom", "/dev/random"}) {
    struct stat st;
    ASSERT_THAT(stat(path, &st), SyscallSucceeds()) << path;
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << path;
    ScopedFd fd(open(path, O_RDONLY));
    ASSERT_THAT(fd.get(), SyscallSucceeds()) << path;
    unsigned char a[32] = {}, b[32] = {};
    ASSERT_THAT(read(fd.get(), a, sizeof(a)), SyscallSucceedsWithValue(sizeof(a))) << path;
    ASSERT_THAT(read(fd.get(), b, sizeof(b)), SyscallSucceedsWithValue(sizeof(b))) << path;
    // 256 random bits: equal or all zero only if something is broken.
    EXPECT_NE(memcmp(a, b, sizeof(a)), 0) << path;
    EXPECT_NE(std::string(reinterpret_cast<char*>(a), 32), std::string(32, '\0')) << path;
  }
}

TEST(DevTest, FdSymlinks) {
  EXPECT_EQ(ReadLink("/dev/fd"), "/proc/self/fd");
  EXPECT_EQ(ReadLink("/dev/stdin"), "/proc/self/fd/0");
  EXPECT_EQ(ReadLink("/dev/stdout"), "/proc/self/fd/1");
  EXPECT_EQ(ReadLink("/dev/stderr"), "/proc/self/fd/2");
  // Opening /dev/fd/N of a regular file opens the file anew: a new offset.
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  ScopedFd fd(open(dir.Path("f").c_str(), O_RDWR | O_CREAT, 0644));
  ASSERT_THAT(write(fd.get(), "abcdef", 6), SyscallSucceedsWithValue(6));
  ScopedFd again(open(("/dev/fd/" + std::to_string(fd.get())).c_str(), O_RDONLY));
  ASSERT_THAT(again.get(), SyscallSucceeds());
  char c;
  ASSERT_THAT(read(again.get(), &c, 1), SyscallSucceedsWithValue(1));
  EXPECT_EQ(c, 'a');
  EXPECT_THAT(lseek(fd.get(), 0, SEEK_CUR), SyscallSucceedsWithValue(6));
  EXPECT_EQ(fcntl(again.get(), F_GETFL) & O_ACCMODE, O_RDONLY);
}

// /sys

TEST(SysTest, CpuOnlineAndPossible) {
  const char* kCpuList = "[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*\n";
  const std::string online = ReadFile("/sys/devices/system/cpu/online");
  const std::string possible = ReadFile("/sys/devices/system/cpu/possible");
  EXPECT_TRUE(FullMatch(online, kCpuList)) << online;
  EXPECT_TRUE(FullMatch(possible, kCpuList)) << possible;
  EXPECT_THAT(online, StartsWith("0"));
}

}  // namespace
}  // namespace test_util
