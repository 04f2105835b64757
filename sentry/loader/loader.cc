#include "sentry/loader/loader.h"

#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "abi/linux/auxv.h"
#include "abi/linux/elf.h"

namespace sentry::loader {

namespace L = abi_linux;
using util::Errno;
using util::ErrnoOr;

namespace {

// Where ET_DYN executables without an interpreter go (Linux's
// ELF_ET_DYN_BASE without randomization).
constexpr uint64_t kDynBase = 0x555555554000ULL;
// Stack size mapped for the main thread, and the gap kept below it.
constexpr uint64_t kMinStackGap = uint64_t{128} << 20;
constexpr size_t kMaxPhdrs = 128;

ErrnoOr<size_t> ReadAt(mm::Mappable& f, void* buf, size_t len, uint64_t off) {
  return f.ReadForMap(buf, len, off);
}

int ProtFromFlags(uint32_t flags) {
  int prot = 0;
  if (flags & L::kPF_R) prot |= PROT_READ;
  if (flags & L::kPF_W) prot |= PROT_WRITE;
  if (flags & L::kPF_X) prot |= PROT_EXEC;
  return prot;
}

// The initial stack, built in a local buffer that mirrors the guest's
// top-of-stack, then copied out once.
class StackBuilder {
 public:
  explicit StackBuilder(uint64_t top) : top_(top) {}
  // Pushes bytes; returns their guest address.
  uint64_t Push(const void* data, size_t len) {
    buf_.insert(buf_.begin(), static_cast<const uint8_t*>(data),
                static_cast<const uint8_t*>(data) + len);
    return top_ - buf_.size();
  }
  uint64_t PushString(const std::string& s) { return Push(s.c_str(), s.size() + 1); }
  uint64_t bottom() const { return top_ - buf_.size(); }
  const std::vector<uint8_t>& bytes() const { return buf_; }

 private:
  uint64_t top_;
  std::vector<uint8_t> buf_;
};

// One ELF image mapped into mm.
struct Image {
  L::Elf64Ehdr eh;
  uint64_t bias = 0;
  uint64_t phdr_addr = 0;
  uint64_t end = 0;  // end of the highest segment (brk starts above)
  std::string interp;
};

// Maps `f`'s PT_LOAD segments. ET_DYN images go at `dyn_base` when it is not
// 0, else wherever the address space has room.
ErrnoOr<Image> MapImage(mm::MemoryManager& mm, const std::shared_ptr<mm::Mappable>& file,
                        uint64_t dyn_base) {
  mm::Mappable& f = *file;
  Image im;
  L::Elf64Ehdr& eh = im.eh;
  ASSIGN_OR_RETURN_ERRNO(size_t n, ReadAt(f, &eh, sizeof(eh), 0));
  if (n != sizeof(eh) || std::memcmp(eh.e_ident, L::kELFMAG, 4) != 0 ||
      eh.e_ident[L::kEI_CLASS] != L::kELFCLASS64 || eh.e_ident[L::kEI_DATA] != L::kELFDATA2LSB ||
      eh.e_machine != L::kEM_X86_64 || (eh.e_type != L::kET_EXEC && eh.e_type != L::kET_DYN) ||
      eh.e_phentsize != sizeof(L::Elf64Phdr) || eh.e_phnum == 0 || eh.e_phnum > kMaxPhdrs) {
    return Errno(ENOEXEC);
  }
  std::vector<L::Elf64Phdr> phdrs(eh.e_phnum);
  size_t ph_bytes = phdrs.size() * sizeof(L::Elf64Phdr);
  ASSIGN_OR_RETURN_ERRNO(n, ReadAt(f, phdrs.data(), ph_bytes, eh.e_phoff));
  if (n != ph_bytes) return Errno(ENOEXEC);
  const uint64_t file_size = f.MappableSize();

  for (const auto& ph : phdrs) {
    if (ph.p_type != L::kPT_INTERP) continue;
    if (ph.p_filesz < 2 || ph.p_filesz > 4096) return Errno(ENOEXEC);
    std::string path(ph.p_filesz, '\0');
    ASSIGN_OR_RETURN_ERRNO(n, ReadAt(f, path.data(), path.size(), ph.p_offset));
    if (n != path.size() || path.back() != '\0') return Errno(ENOEXEC);
    path.pop_back();
    im.interp = path.c_str();
  }

  // Extent of the loadable segments.
  uint64_t lo = ~uint64_t{0}, hi = 0;
  for (const auto& ph : phdrs) {
    if (ph.p_type != L::kPT_LOAD) continue;
    if (ph.p_memsz < ph.p_filesz || (ph.p_vaddr & mm::kPageMask) != (ph.p_offset & mm::kPageMask)) {
      return Errno(ENOEXEC);
    }
    if (ph.p_vaddr > ~uint64_t{0} - ph.p_memsz) return Errno(ENOEXEC);
    if (ph.p_filesz > 0 && (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset)) {
      return Errno(ENOEXEC);
    }
    lo = std::min(lo, mm::PageDown(ph.p_vaddr));
    hi = std::max(hi, ph.p_vaddr + ph.p_memsz);
  }
  if (hi == 0) return Errno(ENOEXEC);
  if (eh.e_type == L::kET_DYN) {
    if (dyn_base == 0) {
      // Reserve the whole span where there is room; the segments replace
      // the reservation.
      mm::MMapOpts r;
      r.length = *mm::PageUp(hi - lo);
      r.prot = PROT_NONE;
      ASSIGN_OR_RETURN_ERRNO(dyn_base, mm.MMap(r));
    }
    im.bias = dyn_base - lo;
  }
  const uint64_t bias = im.bias;
  if (hi + bias > mm.max_addr() || lo + bias < mm.min_addr()) return Errno(ENOMEM);

  // Each segment: a private mapping of the file for its file part, zeroes
  // after p_filesz on the last file page, and anonymous memory for the
  // rest of the bss, as Linux's elf_map and padzero do.
  for (const auto& ph : phdrs) {
    if (ph.p_type == L::kPT_PHDR) im.phdr_addr = ph.p_vaddr + bias;
    if (ph.p_type != L::kPT_LOAD) continue;
    int prot = ProtFromFlags(ph.p_flags);
    uint64_t seg = mm::PageDown(ph.p_vaddr + bias);
    uint64_t file_end = ph.p_vaddr + bias + ph.p_filesz;
    uint64_t mem_end = *mm::PageUp(ph.p_vaddr + bias + ph.p_memsz);
    uint64_t file_map_end = ph.p_filesz > 0 ? *mm::PageUp(file_end) : seg;
    if (file_map_end > seg) {
      mm::MMapOpts opts;
      opts.addr = seg;
      opts.length = file_map_end - seg;
      opts.prot = prot;
      opts.fixed = true;
      opts.mappable = file;
      opts.file_offset = mm::PageDown(ph.p_offset);
      ASSIGN_OR_RETURN_ERRNO(uint64_t got, mm.MMap(opts));
      (void)got;
      if (ph.p_memsz > ph.p_filesz && (file_end & mm::kPageMask) != 0) {
        std::vector<uint8_t> zeros(mm::kPageSize - (file_end & mm::kPageMask), 0);
        ASSIGN_OR_RETURN_ERRNO(n, mm.CopyOut(mm::UserAddr(file_end), zeros.data(), zeros.size(),
                                             /*force=*/true));
        if (n != zeros.size()) return Errno(EFAULT);
      }
    }
    if (mem_end > file_map_end) {
      mm::MMapOpts opts;
      opts.addr = file_map_end;
      opts.length = mem_end - file_map_end;
      opts.prot = prot;
      opts.fixed = true;
      ASSIGN_OR_RETURN_ERRNO(uint64_t got, mm.MMap(opts));
      (void)got;
    }
    if (im.phdr_addr == 0 && ph.p_offset <= eh.e_phoff &&
        eh.e_phoff + ph_bytes <= ph.p_offset + ph.p_filesz) {
      im.phdr_addr = ph.p_vaddr + bias + (eh.e_phoff - ph.p_offset);
    }
  }
  im.end = hi + bias;
  return im;
}

}  // namespace

ErrnoOr<LoadResult> Load(mm::MemoryManager& mm, const LoadArgs& args) {
  if (!args.file) return Errno(ENOEXEC);
  // The stack first: mapped at the top of the address space, growing
  // down; mmap placement (the interpreter's, then the program's) starts
  // below its gap.
  uint64_t stack_size = std::clamp<uint64_t>(args.stack_limit, 128 << 10, uint64_t{8} << 20);
  uint64_t stack_top = mm::PageDown(mm.max_addr());
  mm::MMapOpts sopts;
  sopts.addr = stack_top - stack_size;
  sopts.length = stack_size;
  sopts.prot = PROT_READ | PROT_WRITE;
  sopts.fixed = true;
  sopts.growsdown = true;
  sopts.name = "[stack]";
  ASSIGN_OR_RETURN_ERRNO(uint64_t stack_lo, mm.MMap(sopts));
  mm.SetMmapBase(stack_lo - std::max(kMinStackGap, args.stack_limit < (uint64_t{1} << 40)
                                                       ? mm::PageDown(args.stack_limit)
                                                       : kMinStackGap));

  ASSIGN_OR_RETURN_ERRNO(Image exe, MapImage(mm, args.file, kDynBase));
  const L::Elf64Ehdr& eh = exe.eh;
  const uint64_t bias = exe.bias;
  const uint64_t phdr_addr = exe.phdr_addr;
  uint64_t entry = eh.e_entry + bias;
  uint64_t interp_base = 0;
  if (!exe.interp.empty()) {
    if (!args.open_interp) return Errno(ENOEXEC);
    ASSIGN_OR_RETURN_ERRNO(std::shared_ptr<mm::Mappable> interp, args.open_interp(exe.interp));
    auto im = MapImage(mm, interp, 0);
    if (!im.ok()) return im.error() == Errno(ENOEXEC) ? Errno(ELIBBAD) : im.error();
    if (!im->interp.empty()) return Errno(ELIBBAD);
    // AT_BASE: where the interpreter was loaded (its segments start at 0).
    interp_base = im->bias;
    entry = im->eh.e_entry + im->bias;
  }
  uint64_t brk = *mm::PageUp(exe.end);
  mm.SetBrkStart(brk);

  StackBuilder sb(stack_top);
  uint64_t execfn = sb.PushString(args.execfn);
  std::vector<uint64_t> envp, argv;
  for (auto it = args.envv.rbegin(); it != args.envv.rend(); ++it) envp.push_back(sb.PushString(*it));
  for (auto it = args.argv.rbegin(); it != args.argv.rend(); ++it) argv.push_back(sb.PushString(*it));
  std::reverse(envp.begin(), envp.end());
  std::reverse(argv.begin(), argv.end());
  // Where the strings are, for /proc/pid/cmdline and environ.
  uint64_t env_end = execfn;
  uint64_t env_start = envp.empty() ? env_end : envp.front();
  uint64_t arg_end = env_start;
  uint64_t arg_start = argv.empty() ? arg_end : argv.front();
  mm.SetArgEnvRange({arg_start, arg_end, env_start, env_end});
  uint64_t platform = sb.PushString("x86_64");
  uint8_t random[16];
  if (getrandom(random, sizeof(random), 0) != sizeof(random)) return Errno(EIO);
  uint64_t random_addr = sb.Push(random, sizeof(random));
  if (sb.bytes().size() > stack_size / 4) return Errno(E2BIG);

  std::vector<uint64_t> aux = {
      L::kAT_PHDR, phdr_addr,
      L::kAT_PHENT, sizeof(L::Elf64Phdr),
      L::kAT_PHNUM, eh.e_phnum,
      L::kAT_PAGESZ, mm::kPageSize,
      L::kAT_BASE, interp_base,
      L::kAT_FLAGS, 0,
      L::kAT_ENTRY, eh.e_entry + bias,
      L::kAT_UID, args.uid,
      L::kAT_EUID, args.euid,
      L::kAT_GID, args.gid,
      L::kAT_EGID, args.egid,
      L::kAT_SECURE, 0,
      L::kAT_CLKTCK, 100,
      L::kAT_HWCAP, getauxval(AT_HWCAP),
      L::kAT_HWCAP2, getauxval(AT_HWCAP2),
      L::kAT_MINSIGSTKSZ, getauxval(AT_MINSIGSTKSZ),
      L::kAT_RANDOM, random_addr,
      L::kAT_EXECFN, execfn,
      L::kAT_PLATFORM, platform,
      L::kAT_NULL, 0,
  };
  std::vector<uint64_t> words;
  words.push_back(argv.size());
  words.insert(words.end(), argv.begin(), argv.end());
  words.push_back(0);
  words.insert(words.end(), envp.begin(), envp.end());
  words.push_back(0);
  words.insert(words.end(), aux.begin(), aux.end());
  uint64_t sp = (sb.bottom() - words.size() * 8) & ~uint64_t{15};
  std::vector<uint8_t> image(stack_top - sp, 0);
  std::memcpy(image.data(), words.data(), words.size() * 8);
  std::memcpy(image.data() + (sb.bottom() - sp), sb.bytes().data(), sb.bytes().size());
  ASSIGN_OR_RETURN_ERRNO(size_t n, mm.CopyOut(mm::UserAddr(sp), image.data(), image.size()));
  if (n != image.size()) return Errno(EFAULT);

  return LoadResult{entry, sp, bias, brk, interp_base};
}

}  // namespace sentry::loader
