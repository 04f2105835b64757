// Helpers for the synthetic file systems' unit tests: a Context with root
// credentials, a guest address space backed by a real memory file (with a
// platform that does nothing), and reading a whole file through it.
//
//   kernfs::testing::TestContext ctx;
//   kernfs::testing::Guest guest;
//   ASSERT_TRUE(guest.ok());
//   auto f = inode->Open(ctx, O_RDONLY);
//   EXPECT_EQ(guest.ReadAll(**f), "0-3\n");
#ifndef SENTRY_FSIMPL_SYS_TEST_UTIL_H_
#define SENTRY_FSIMPL_SYS_TEST_UTIL_H_

#include <sys/mman.h>

#include <memory>
#include <string>

#include "sentry/mm/memory_manager.h"
#include "sentry/vfs/file_description.h"
#include "sentry/vfs/vfs.h"

namespace sentry::fsimpl::kernfs::testing {

class TestContext : public vfs::Context {
 public:
  explicit TestContext(uint32_t uid = 0, uint32_t gid = 0)
      : creds_(auth::Credentials::ForIds(uid, gid, {})) {}
  auth::Credentials creds() const override { return creds_; }
  vfs::Path root() const override { return {}; }
  vfs::Path cwd() const override { return {}; }
  uint32_t umask() const override { return 022; }

 private:
  auth::Credentials creds_;
};

class NullAddressSpace : public platform::AddressSpace {
 public:
  absl::Status MapFile(uint64_t, uint64_t, int, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Protect(uint64_t, uint64_t, int) override { return absl::OkStatus(); }
  absl::Status Unmap(uint64_t, uint64_t) override { return absl::OkStatus(); }
  int64_t CpuTimeNs() const override { return 0; }
};

// A guest address space with one read-write buffer of kBufSize bytes.
class Guest {
 public:
  static constexpr uint64_t kBufSize = 1 << 20;
  Guest() {
    auto mf = mm::MemoryFile::Create(uint64_t{1} << 28);
    if (!mf.ok()) return;
    mf_ = std::move(*mf);
    mm_ = std::make_unique<mm::MemoryManager>(*mf_, std::make_unique<NullAddressSpace>(), 0x10000,
                                              0x7f0000000000);
    mm::MMapOpts o;
    o.length = kBufSize;
    o.prot = PROT_READ | PROT_WRITE;
    auto a = mm_->MMap(o);
    if (a.ok()) buf_ = *a;
  }
  ~Guest() { mm_.reset(); }
  bool ok() const { return buf_ != 0; }
  mm::MemoryManager& mm() { return *mm_; }
  mm::UserAddr buf() const { return mm::UserAddr(buf_); }

  // Reads from the file's position (or `offset`) into the buffer; the
  // bytes read, or "<errno N>".
  std::string Read(vfs::FileDescription& f, size_t n, int64_t offset = -1) {
    auto r = f.Read(*mm_, {{buf(), n}}, offset);
    if (!r.ok()) return "<errno " + std::to_string(r.error().value()) + ">";
    std::string out(*r, '\0');
    (void)mm_->CopyIn(buf(), out.data(), out.size());
    return out;
  }
  // Reads to EOF in small pieces.
  std::string ReadAll(vfs::FileDescription& f) {
    std::string all;
    while (true) {
      auto r = f.Read(*mm_, {{buf(), 7}}, -1);
      if (!r.ok()) return "<errno " + std::to_string(r.error().value()) + ">";
      if (*r == 0) return all;
      std::string piece(*r, '\0');
      (void)mm_->CopyIn(buf(), piece.data(), piece.size());
      all += piece;
    }
  }
  // Writes `data` through the buffer.
  util::ErrnoOr<size_t> Write(vfs::FileDescription& f, const std::string& data) {
    (void)mm_->CopyOut(buf(), data.data(), data.size());
    return f.Write(*mm_, {{buf(), data.size()}}, -1);
  }

 private:
  std::unique_ptr<mm::MemoryFile> mf_;
  std::unique_ptr<mm::MemoryManager> mm_;
  uint64_t buf_ = 0;
};

}  // namespace sentry::fsimpl::kernfs::testing

#endif  // SENTRY_FSIMPL_SYS_TEST_UTIL_H_
