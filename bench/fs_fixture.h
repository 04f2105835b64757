// The files the file-system benchmarks of bench_ops.h work on, made once per
// process (outside any timed loop) in a fresh directory under /tmp, and
// removed when the process exits. Shared by syscall_bench and static_bench.
//
//   bench::FsFixture& fs = bench::FsFixture::Get();
//   const std::string& path = fs.SmallFile();   // empty: fs.error() says why
//   const int fd = fs.ReadFile();               // -1: fs.error() says why
//
// Inside the sandbox /tmp is the overlay's tmpfs (the sentry's memory);
// natively it is whatever the host's /tmp is.
//
// The two big files (ReadFile, WriteFile) are unlinked as soon as they are
// open, so their space goes back when the fd is closed or the process dies,
// even if it dies before the clean-up at exit. Their size is
// $BENCH_FILE_SIZE bytes (a K, M or G suffix multiplies by 2^10, 2^20, 2^30;
// default kDefaultFileSize, 1 GiB).
#ifndef BENCH_FS_FIXTURE_H_
#define BENCH_FS_FIXTURE_H_

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_ops.h"

namespace bench {

// Parses a size such as "1073741824", "256M" or "1G" (binary multiples).
// Returns 0 if `text` is not a positive size.
inline uint64_t ParseSize(const char* text) {
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || n == 0) return 0;
  uint64_t shift = 0;
  if (*end != '\0') {
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(*end)));
    shift = unit == 'K' ? 10 : unit == 'M' ? 20 : unit == 'G' ? 30 : 0;
    if (shift == 0) return 0;
    ++end;
    if (*end == 'i' || *end == 'I') ++end;  // "256Mi" too
    if (*end == 'b' || *end == 'B') ++end;  // and "256MB", "256MiB"
    if (*end != '\0') return 0;
  }
  if (n > (UINT64_MAX >> shift)) return 0;
  return static_cast<uint64_t>(n) << shift;
}

// "1 GiB", "256 MiB", "1536 KiB", "1000 bytes".
inline std::string SizeLabel(uint64_t bytes) {
  const char* const units[] = {"GiB", "MiB", "KiB"};
  const int shifts[] = {30, 20, 10};
  for (int i = 0; i < 3; ++i) {
    const uint64_t unit = uint64_t{1} << shifts[i];
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + " " + units[i];
  }
  return std::to_string(bytes) + " bytes";
}

class FsFixture {
 public:
  // The process's fixture. Nothing is created until asked for.
  static FsFixture& Get() {
    static FsFixture fixture;
    return fixture;
  }

  FsFixture(const FsFixture&) = delete;
  FsFixture& operator=(const FsFixture&) = delete;

  // Size of ReadFile and WriteFile: $BENCH_FILE_SIZE, or kDefaultFileSize if
  // unset; 0 (and error()) if it is set but not a positive size.
  uint64_t FileSize() {
    const char* env = std::getenv("BENCH_FILE_SIZE");
    if (env == nullptr || *env == '\0') return kDefaultFileSize;
    const uint64_t size = ParseSize(env);
    if (size == 0) Fail(std::string("BENCH_FILE_SIZE=") + env + " is not a size (e.g. 256M, 1G)");
    return size;
  }

  // A small existing file (a few bytes), for open+close and stat.
  const std::string& SmallFile() {
    if (small_file_.empty() && MakeDir()) {
      const std::string path = dir_ + "/file";
      const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) return FailPath("create " + path);
      const bool wrote = write(fd, "bench\n", 6) == 6;
      const int err = errno;
      close(fd);
      if (!wrote) {
        unlink(path.c_str());
        errno = err;
        return FailPath("write " + path);
      }
      small_file_ = path;
    }
    return small_file_;
  }

  // A directory holding kDirEntries empty files (f00000, f00001, ...),
  // checked once with ReadDirectory. Made at most once: after a failure it
  // stays empty, and error() says why.
  const std::string& Directory() {
    if (!directory_tried_) {
      directory_tried_ = true;
      if (!MakeDirectory()) directory_error_ = error_;
    }
    if (!directory_error_.empty()) {
      error_ = directory_error_;
      return empty_;
    }
    return directory_;
  }

  // An fd open on an unlinked file of FileSize() bytes, written once in
  // kFileChunk writes (so open read-write; the benchmark only reads it). -1 on
  // failure.
  int ReadFile() {
    if (read_fd_ < 0) read_fd_ = OpenFilled("read", O_RDWR, 'x');
    return read_fd_;
  }
  void CloseReadFile() { CloseFd(read_fd_); }

  // An fd open write-only on an unlinked file, already written once with
  // FileSize() bytes (untimed), so that the first timed pass does not also pay
  // for the first touch of that much memory: in a VM whose memory the host
  // backs lazily, that first touch can cost several times a later one. -1 on
  // failure.
  int WriteFile() {
    if (write_fd_ < 0) write_fd_ = OpenFilled("write", O_WRONLY, 'w');
    return write_fd_;
  }
  void CloseWriteFile() { CloseFd(write_fd_); }

  // Why the last call that returned "" or -1 failed.
  const std::string& error() const { return error_; }

  // Removes everything made so far.
  ~FsFixture() {
    CloseReadFile();
    CloseWriteFile();
    if (!directory_.empty()) {
      for (int i = 0; i < directory_entries_; ++i) {
        unlink((directory_ + "/" + EntryName(i)).c_str());
      }
      rmdir(directory_.c_str());
    }
    if (!small_file_.empty()) unlink(small_file_.c_str());
    if (!dir_.empty()) rmdir(dir_.c_str());
  }

 private:
  FsFixture() = default;

  bool MakeDirectory() {
    if (!MakeDir()) return false;
    const std::string path = dir_ + "/dir";
    if (mkdir(path.c_str(), 0755) != 0) {
      FailPath("mkdir " + path);
      return false;
    }
    directory_ = path;  // from here on, clean-up removes what exists of it
    for (int i = 0; i < kDirEntries; ++i) {
      const std::string entry = path + "/" + EntryName(i);
      const int fd = open(entry.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd < 0) {
        FailPath("create " + entry);
        return false;
      }
      directory_entries_ = i + 1;
      if (close(fd) != 0) {
        FailPath("close " + entry);
        return false;
      }
    }
    std::vector<char> buf(kDirentBuffer);
    const int64_t n = ReadDirectory(path.c_str(), buf.data(), buf.size());
    if (n < 0) {
      FailPath("getdents64 " + path);
      return false;
    }
    if (n != kDirEntries) {
      Fail("getdents64 " + path + " listed " + std::to_string(n) + " entries, not " +
           std::to_string(kDirEntries));
      return false;
    }
    return true;
  }

  static std::string EntryName(int i) {
    char name[16];
    std::snprintf(name, sizeof(name), "f%05d", i);
    return name;
  }

  // Creates the fixture's directory, /tmp/bench_fs.XXXXXX, once.
  bool MakeDir() {
    if (dir_.empty()) {
      char templ[] = "/tmp/bench_fs.XXXXXX";
      if (mkdtemp(templ) == nullptr) {
        FailPath("mkdtemp /tmp/bench_fs.XXXXXX");
        return false;
      }
      dir_ = templ;
    }
    return true;
  }

  // Creates dir_/NAME with `flags`, then unlinks it. -1 on failure.
  int OpenUnlinked(const char* name, int flags) {
    if (!MakeDir()) return -1;
    const std::string path = dir_ + "/" + name;
    const int fd = open(path.c_str(), flags | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      FailPath("create " + path);
      return -1;
    }
    if (unlink(path.c_str()) != 0) {
      const int err = errno;
      close(fd);
      errno = err;
      FailPath("unlink " + path);
      return -1;
    }
    return fd;
  }

  // OpenUnlinked, then FileSize() bytes of `fill` written in kFileChunk
  // writes. -1 on failure.
  int OpenFilled(const char* name, int flags, char fill) {
    const uint64_t size = FileSize();
    if (size == 0) return -1;
    const int fd = OpenUnlinked(name, flags);
    if (fd < 0) return -1;
    const std::vector<char> chunk(kFileChunk, fill);
    if (!RewriteWholeFile(fd, chunk.data(), chunk.size(), size)) {
      const int err = errno;
      close(fd);
      errno = err;
      FailPath("write the " + SizeLabel(size) + " file");
      return -1;
    }
    return fd;
  }

  static void CloseFd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }

  void Fail(std::string message) { error_ = std::move(message); }
  // Fails with "what: strerror(errno)" and returns an empty path.
  const std::string& FailPath(const std::string& what) {
    Fail(what + ": " + std::strerror(errno));
    return empty_;
  }

  std::string dir_;            // /tmp/bench_fs.XXXXXX, once made
  std::string small_file_;     // dir_/file
  std::string directory_;      // dir_/dir, once made (even if not filled)
  int directory_entries_ = 0;  // how many of its entries exist
  bool directory_tried_ = false;
  std::string directory_error_;  // why Directory() failed, if it did
  int read_fd_ = -1;
  int write_fd_ = -1;
  std::string error_;
  const std::string empty_;
};

}  // namespace bench

#endif  // BENCH_FS_FIXTURE_H_
