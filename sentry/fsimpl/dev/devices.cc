#include "sentry/fsimpl/dev/devices.h"

#include <fcntl.h>
#include <sys/random.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

#include "sentry/vfs/device.h"

namespace sentry::fsimpl::dev {

namespace {

using util::Errno;
using util::ErrnoOr;
using util::ErrnoOrVoid;

// Bytes moved per step for large transfers.
constexpr size_t kChunk = 64 << 10;

uint64_t Total(const vfs::IoVec& v) {
  uint64_t n = 0;
  for (const auto& s : v) n += s.len;
  return n;
}

// Fills guest memory with zeros; stops at the first inaccessible byte.
ErrnoOr<size_t> ZeroGuest(mm::MemoryManager& mm, const vfs::IoVec& dst) {
  size_t done = 0;
  for (const vfs::IoSeg& seg : dst) {
    if (seg.len == 0) continue;
    auto n = mm.ZeroOut(seg.addr, seg.len);
    if (!n.ok()) {
      if (done == 0) return n.error();
      break;
    }
    done += *n;
    if (*n < seg.len) break;
    if (done > 0 && vfs::ShouldInterruptWait()) break;
  }
  return done;
}

// Fills `buf` with n bytes from the host's getrandom(2) pool.
ErrnoOrVoid GetRandom(uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(buf + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Errno(errno);
    got += static_cast<size_t>(r);
  }
  return {};
}

// The part every device shares: seeking leaves the position at 0 (Linux's
// null_lseek for null, zero and full; noop_llseek for random).
class DeviceFile : public vfs::FileDescription {
 public:
  using FileDescription::FileDescription;
  ErrnoOr<int64_t> Seek(int64_t, int) override { return 0; }
};

class NullFile : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  ErrnoOr<size_t> Read(mm::MemoryManager&, const vfs::IoVec&, int64_t) override { return 0; }
  ErrnoOr<size_t> Write(mm::MemoryManager&, const vfs::IoVec& src, int64_t) override {
    return Total(src);
  }
  ErrnoOr<size_t> ReadInternal(void*, size_t, int64_t) override { return 0; }
  ErrnoOr<size_t> WriteInternal(const void*, size_t n, int64_t) override { return n; }
  std::string Name() const override { return "/dev/null"; }
};

class ZeroFile : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t) override {
    return ZeroGuest(mm, dst);
  }
  ErrnoOr<size_t> Write(mm::MemoryManager&, const vfs::IoVec& src, int64_t) override {
    return Total(src);
  }
  ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t) override {
    std::memset(buf, 0, n);
    return n;
  }
  ErrnoOr<size_t> WriteInternal(const void*, size_t n, int64_t) override { return n; }
  ErrnoOr<std::shared_ptr<mm::Mappable>> GetMappable() override {
    static auto* zero = new std::shared_ptr<mm::Mappable>(std::make_shared<ZeroMappable>());
    return *zero;
  }
  std::string Name() const override { return "/dev/zero"; }
};

class FullFile : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t) override {
    return ZeroGuest(mm, dst);
  }
  ErrnoOr<size_t> Write(mm::MemoryManager&, const vfs::IoVec& src, int64_t) override {
    if (Total(src) == 0) return 0;
    return Errno(ENOSPC);
  }
  ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t) override {
    std::memset(buf, 0, n);
    return n;
  }
  ErrnoOr<size_t> WriteInternal(const void*, size_t n, int64_t) override {
    if (n == 0) return 0;
    return Errno(ENOSPC);
  }
  std::string Name() const override { return "/dev/full"; }
};

// /dev/random and /dev/urandom: both read the host's getrandom(2) pool
// (which, like Linux's since 5.6, blocks only until it is initialized).
// Writes are accepted and discarded (Linux mixes them in without credit).
class RandomFile : public DeviceFile {
 public:
  using DeviceFile::DeviceFile;
  ErrnoOr<size_t> Read(mm::MemoryManager& mm, const vfs::IoVec& dst, int64_t) override {
    std::vector<uint8_t> buf;
    size_t done = 0;
    for (const vfs::IoSeg& seg : dst) {
      uint64_t off = 0;
      while (off < seg.len) {
        size_t want = std::min<uint64_t>(seg.len - off, kChunk);
        buf.resize(want);
        if (ErrnoOrVoid r = GetRandom(buf.data(), want); !r.ok()) {
          return done ? ErrnoOr<size_t>(done) : r.error();
        }
        auto n = mm.CopyOut(seg.addr + off, buf.data(), want);
        if (!n.ok()) return done ? ErrnoOr<size_t>(done) : n.error();
        done += *n;
        off += *n;
        if (*n < want) return done;
        if (vfs::ShouldInterruptWait()) return done;
      }
    }
    return done;
  }
  ErrnoOr<size_t> Write(mm::MemoryManager& mm, const vfs::IoVec& src, int64_t) override {
    // The bytes must be readable (EFAULT otherwise), then are dropped.
    std::vector<uint8_t> buf;
    size_t done = 0;
    for (const vfs::IoSeg& seg : src) {
      uint64_t off = 0;
      while (off < seg.len) {
        size_t want = std::min<uint64_t>(seg.len - off, kChunk);
        buf.resize(want);
        auto n = mm.CopyIn(seg.addr + off, buf.data(), want);
        if (!n.ok()) return done ? ErrnoOr<size_t>(done) : n.error();
        done += *n;
        off += *n;
        if (*n < want) return done;
      }
    }
    return done;
  }
  ErrnoOr<size_t> ReadInternal(void* buf, size_t n, int64_t) override {
    auto* out = static_cast<uint8_t*>(buf);
    size_t done = 0;
    while (done < n) {
      size_t want = std::min(n - done, kChunk);
      if (ErrnoOrVoid r = GetRandom(out + done, want); !r.ok()) {
        return done ? ErrnoOr<size_t>(done) : r.error();
      }
      done += want;
      if (vfs::ShouldInterruptWait()) break;
    }
    return done;
  }
  ErrnoOr<size_t> WriteInternal(const void*, size_t n, int64_t) override { return n; }
  std::string Name() const override { return "/dev/urandom"; }
};

}  // namespace

ErrnoOr<size_t> ZeroMappable::ReadForMap(void* dst, size_t len, uint64_t) {
  std::memset(dst, 0, len);
  return len;
}

std::shared_ptr<vfs::FileDescription> NewNullFile(int flags) {
  return std::make_shared<NullFile>(flags);
}
std::shared_ptr<vfs::FileDescription> NewZeroFile(int flags) {
  return std::make_shared<ZeroFile>(flags);
}
std::shared_ptr<vfs::FileDescription> NewFullFile(int flags) {
  return std::make_shared<FullFile>(flags);
}
std::shared_ptr<vfs::FileDescription> NewRandomFile(int flags) {
  return std::make_shared<RandomFile>(flags);
}

void RegisterDevices() {
  static std::once_flag once;
  std::call_once(once, [] {
    using Result = ErrnoOr<std::shared_ptr<vfs::FileDescription>>;
    auto reg = [](uint32_t minor, std::shared_ptr<vfs::FileDescription> (*make)(int)) {
      vfs::RegisterCharDevice(1, minor,
                              [make](vfs::Context&, int flags) -> Result {
                                return make(flags & ~O_NOCTTY);  // not a terminal
                              });
    };
    reg(3, NewNullFile);
    reg(5, NewZeroFile);
    reg(7, NewFullFile);
    reg(8, NewRandomFile);
    reg(9, NewRandomFile);
    // /dev/tty: the caller's controlling terminal; devpts (which knows the
    // terminals) replaces this when it is set up.
    vfs::RegisterCharDevice(5, 0, [](vfs::Context&, int) -> Result { return Errno(ENXIO); });
  });
}

}  // namespace sentry::fsimpl::dev
