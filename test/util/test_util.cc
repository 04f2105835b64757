#include "test/util/test_util.h"

#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace test_util {

std::string ErrnoName(int e) {
  internal::ErrnoSaver saved;
  const char* name = strerrorname_np(e);
  const char* description = strerrordesc_np(e);
  std::string out = name != nullptr ? name : "errno " + std::to_string(e);
  out += " (";
  out += description != nullptr ? description : "Unknown error " + std::to_string(e);
  out += ")";
  return out;
}

std::string SelfExePath() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
  if (n < 0 || static_cast<size_t>(n) >= sizeof(buf)) return "";
  return std::string(buf, static_cast<size_t>(n));
}

std::string Basename(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool RangeIsMapped(const void* addr, size_t len) {
  internal::ErrnoSaver saved;
  const uintptr_t start = reinterpret_cast<uintptr_t>(addr) & ~(kPageSize - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(addr) + len;
  std::vector<unsigned char> vec((end - start + kPageSize - 1) / kPageSize);
  return mincore(reinterpret_cast<void*>(start), end - start, vec.data()) == 0;
}

Mapping& Mapping::operator=(Mapping&& o) noexcept {
  if (this != &o) {
    Reset();
    addr_ = o.addr_;
    len_ = o.len_;
    o.Release();
  }
  return *this;
}

void* Mapping::Map(void* addr, size_t len, int prot, int flags, int fd, off_t offset) {
  Reset();
  void* p = mmap(addr, len, prot, flags, fd, offset);
  if (p != MAP_FAILED) {
    addr_ = p;
    len_ = len;
  }
  return p;
}

void Mapping::Reset() {
  if (addr_ == nullptr) return;
  internal::ErrnoSaver saved;
  munmap(addr_, len_);
  Release();
}

}  // namespace test_util
