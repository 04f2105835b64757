// What a file mapping maps: the file side of mmap(2).
//
// Private mappings copy file contents into fresh memory-file pages when a
// page is first touched (ReadForMap), so every file system can offer them.
// Shared mappings need the file's own pages in the memory file (tmpfs keeps
// its data there): SharedPage hands out a reference to the page backing a
// file offset, so writes through the mapping and write(2) see one copy.
//
//   class TmpfsFile : public mm::Mappable { ... };
//   mm.MMap({.length = len, .prot = PROT_READ, .shared = true,
//            .mappable = file, .file_offset = 0});
#ifndef SENTRY_MM_MAPPABLE_H_
#define SENTRY_MM_MAPPABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/errno.h"

namespace sentry::mm {

class Mappable {
 public:
  virtual ~Mappable() = default;

  // The file's size now: pages wholly beyond it fault with SIGBUS.
  virtual uint64_t MappableSize() = 0;
  // Copies up to len bytes at `offset` into dst (sentry memory); returns
  // how many there were (the rest of dst is left for the caller to zero).
  virtual util::ErrnoOr<size_t> ReadForMap(void* dst, size_t len, uint64_t offset) = 0;
  // Whether MAP_SHARED mappings can be made (SharedPage works).
  virtual bool CanMapShared() const { return false; }
  // The memory-file offset of the page holding file offset `offset` (page
  // aligned), with one reference taken for the caller; allocated (zeroed)
  // if the file has no page there yet. ENODEV unless CanMapShared().
  virtual util::ErrnoOr<uint64_t> SharedPage(uint64_t /*offset*/) { return util::Errno(ENODEV); }
  // Noted when a shared mapping may have changed the file's pages (msync,
  // munmap), so the file can update its times.
  virtual void MarkDirty() {}
  // The name /proc/pid/maps shows ("/usr/lib/x86_64-linux-gnu/libc.so.6").
  virtual std::string MapName() const = 0;
  virtual uint64_t MapDev() const { return 0; }
  virtual uint64_t MapIno() const { return 0; }
};

}  // namespace sentry::mm

#endif  // SENTRY_MM_MAPPABLE_H_
