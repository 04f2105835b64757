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
#include "util/unique_fd.h"

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

ErrnoOr<size_t> ReadAt(int fd, void* buf, size_t len, uint64_t off) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = pread(fd, static_cast<char*>(buf) + done, len - done, off + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno(errno);
    if (n == 0) break;
    done += n;
  }
  return done;
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

}  // namespace

ErrnoOr<LoadResult> Load(mm::MemoryManager& mm, const LoadArgs& args) {
  util::UniqueFd fd(open(args.host_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Errno(errno);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Errno(errno);
  if (S_ISDIR(st.st_mode)) return Errno(EACCES);
  if (!S_ISREG(st.st_mode)) return Errno(EACCES);

  L::Elf64Ehdr eh;
  ASSIGN_OR_RETURN_ERRNO(size_t n, ReadAt(fd.get(), &eh, sizeof(eh), 0));
  if (n != sizeof(eh) || std::memcmp(eh.e_ident, L::kELFMAG, 4) != 0 ||
      eh.e_ident[L::kEI_CLASS] != L::kELFCLASS64 || eh.e_ident[L::kEI_DATA] != L::kELFDATA2LSB ||
      eh.e_machine != L::kEM_X86_64 || (eh.e_type != L::kET_EXEC && eh.e_type != L::kET_DYN) ||
      eh.e_phentsize != sizeof(L::Elf64Phdr) || eh.e_phnum == 0 || eh.e_phnum > kMaxPhdrs) {
    return Errno(ENOEXEC);
  }
  std::vector<L::Elf64Phdr> phdrs(eh.e_phnum);
  size_t ph_bytes = phdrs.size() * sizeof(L::Elf64Phdr);
  ASSIGN_OR_RETURN_ERRNO(n, ReadAt(fd.get(), phdrs.data(), ph_bytes, eh.e_phoff));
  if (n != ph_bytes) return Errno(ENOEXEC);

  for (const auto& ph : phdrs) {
    // Dynamically linked programs need the files layer (ld.so opens their
    // libraries); until then they are refused plainly.
    if (ph.p_type == L::kPT_INTERP) return Errno(ENOEXEC);
  }

  // Extent of the loadable segments.
  uint64_t lo = ~uint64_t{0}, hi = 0;
  for (const auto& ph : phdrs) {
    if (ph.p_type != L::kPT_LOAD) continue;
    if (ph.p_memsz < ph.p_filesz || (ph.p_vaddr & mm::kPageMask) != (ph.p_offset & mm::kPageMask)) {
      return Errno(ENOEXEC);
    }
    if (ph.p_vaddr > ~uint64_t{0} - ph.p_memsz) return Errno(ENOEXEC);
    lo = std::min(lo, mm::PageDown(ph.p_vaddr));
    hi = std::max(hi, ph.p_vaddr + ph.p_memsz);
  }
  if (hi == 0) return Errno(ENOEXEC);
  uint64_t bias = eh.e_type == L::kET_DYN ? kDynBase - lo : 0;
  if (hi + bias > mm.max_addr() || lo + bias < mm.min_addr()) return Errno(ENOMEM);

  // Map each segment as private anonymous memory and copy the file's bytes
  // in (what a MAP_PRIVATE file mapping reads as); the rest is zero (bss).
  uint64_t phdr_addr = 0;
  uint64_t mapped_end = 0;  // segments may share a page with the one before
  std::vector<uint8_t> data;
  for (const auto& ph : phdrs) {
    if (ph.p_type == L::kPT_PHDR) phdr_addr = ph.p_vaddr + bias;
    if (ph.p_type != L::kPT_LOAD) continue;
    uint64_t start = std::max(mm::PageDown(ph.p_vaddr + bias), mapped_end);
    uint64_t end = *mm::PageUp(ph.p_vaddr + bias + ph.p_memsz);
    if (start < end) {
      mm::MMapOpts opts;
      opts.addr = start;
      opts.length = end - start;
      opts.prot = ProtFromFlags(ph.p_flags);
      opts.fixed = true;
      ASSIGN_OR_RETURN_ERRNO(uint64_t got, mm.MMap(opts));
      (void)got;
    }
    mapped_end = std::max(mapped_end, end);
    if (ph.p_filesz > 0) {
      if (ph.p_filesz > static_cast<uint64_t>(st.st_size)) return Errno(ENOEXEC);
      data.resize(ph.p_filesz);
      ASSIGN_OR_RETURN_ERRNO(n, ReadAt(fd.get(), data.data(), data.size(), ph.p_offset));
      if (n != data.size()) return Errno(ENOEXEC);
      ASSIGN_OR_RETURN_ERRNO(n, mm.CopyOut(mm::UserAddr(ph.p_vaddr + bias), data.data(),
                                           data.size(), /*force=*/true));
      if (n != data.size()) return Errno(EFAULT);
    }
    if (phdr_addr == 0 && ph.p_offset <= eh.e_phoff &&
        eh.e_phoff + ph_bytes <= ph.p_offset + ph.p_filesz) {
      phdr_addr = ph.p_vaddr + bias + (eh.e_phoff - ph.p_offset);
    }
  }
  uint64_t brk = *mm::PageUp(hi + bias);
  mm.SetBrkStart(brk);

  // The stack: mapped at the top of the address space, growing down.
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

  StackBuilder sb(stack_top);
  uint64_t execfn = sb.PushString(args.execfn);
  std::vector<uint64_t> envp, argv;
  for (auto it = args.envv.rbegin(); it != args.envv.rend(); ++it) envp.push_back(sb.PushString(*it));
  for (auto it = args.argv.rbegin(); it != args.argv.rend(); ++it) argv.push_back(sb.PushString(*it));
  std::reverse(envp.begin(), envp.end());
  std::reverse(argv.begin(), argv.end());
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
      L::kAT_BASE, 0,
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
  ASSIGN_OR_RETURN_ERRNO(n, mm.CopyOut(mm::UserAddr(sp), image.data(), image.size()));
  if (n != image.size()) return Errno(EFAULT);

  return LoadResult{eh.e_entry + bias, sp, bias, brk};
}

}  // namespace sentry::loader
