// 64-bit ELF file format: the headers the loader reads (file, program and section headers,
// symbols, dynamic entries, notes) and their constants.
//
// Mirrors include/uapi/linux/elf.h and include/uapi/linux/elf-em.h (the System V gABI, plus the
// GNU extensions the kernel's binfmt_elf honours).
//
// Usage:
//   abi_linux::Elf64Ehdr eh;  // copied from the file
//   if (std::memcmp(eh.e_ident, abi_linux::kELFMAG, abi_linux::kSELFMAG) != 0) ...  // ENOEXEC

#ifndef ABI_LINUX_ELF_H_
#define ABI_LINUX_ELF_H_

#include <cstddef>
#include <cstdint>


namespace abi_linux {

// e_ident indices and values.
inline constexpr int kEI_NIDENT = 16;
inline constexpr int kEI_MAG0 = 0;
inline constexpr int kEI_MAG1 = 1;
inline constexpr int kEI_MAG2 = 2;
inline constexpr int kEI_MAG3 = 3;
inline constexpr int kEI_CLASS = 4;
inline constexpr int kEI_DATA = 5;
inline constexpr int kEI_VERSION = 6;
inline constexpr int kEI_OSABI = 7;
inline constexpr int kEI_ABIVERSION = 8;
inline constexpr int kEI_PAD = 9;

inline constexpr uint8_t kELFMAG0 = 0x7f;
inline constexpr uint8_t kELFMAG1 = 'E';
inline constexpr uint8_t kELFMAG2 = 'L';
inline constexpr uint8_t kELFMAG3 = 'F';
inline constexpr char kELFMAG[] = "\177ELF";  // kSELFMAG bytes, plus a NUL.
inline constexpr int kSELFMAG = 4;

inline constexpr uint8_t kELFCLASSNONE = 0;
inline constexpr uint8_t kELFCLASS32 = 1;
inline constexpr uint8_t kELFCLASS64 = 2;

inline constexpr uint8_t kELFDATANONE = 0;
inline constexpr uint8_t kELFDATA2LSB = 1;
inline constexpr uint8_t kELFDATA2MSB = 2;

inline constexpr uint8_t kEV_NONE = 0;
inline constexpr uint8_t kEV_CURRENT = 1;

inline constexpr uint8_t kELFOSABI_NONE = 0;
inline constexpr uint8_t kELFOSABI_LINUX = 3;  // Also ELFOSABI_GNU.

// e_type.
inline constexpr uint16_t kET_NONE = 0;
inline constexpr uint16_t kET_REL = 1;
inline constexpr uint16_t kET_EXEC = 2;
inline constexpr uint16_t kET_DYN = 3;
inline constexpr uint16_t kET_CORE = 4;

// e_machine (include/uapi/linux/elf-em.h).
inline constexpr uint16_t kEM_NONE = 0;
inline constexpr uint16_t kEM_386 = 3;
inline constexpr uint16_t kEM_X86_64 = 62;
inline constexpr uint16_t kEM_AARCH64 = 183;

// p_type.
inline constexpr uint32_t kPT_NULL = 0;
inline constexpr uint32_t kPT_LOAD = 1;
inline constexpr uint32_t kPT_DYNAMIC = 2;
inline constexpr uint32_t kPT_INTERP = 3;
inline constexpr uint32_t kPT_NOTE = 4;
inline constexpr uint32_t kPT_SHLIB = 5;
inline constexpr uint32_t kPT_PHDR = 6;
inline constexpr uint32_t kPT_TLS = 7;
inline constexpr uint32_t kPT_LOOS = 0x60000000;
inline constexpr uint32_t kPT_HIOS = 0x6fffffff;
inline constexpr uint32_t kPT_LOPROC = 0x70000000;
inline constexpr uint32_t kPT_HIPROC = 0x7fffffff;
inline constexpr uint32_t kPT_GNU_EH_FRAME = 0x6474e550;
inline constexpr uint32_t kPT_GNU_STACK = 0x6474e551;
inline constexpr uint32_t kPT_GNU_RELRO = 0x6474e552;
inline constexpr uint32_t kPT_GNU_PROPERTY = 0x6474e553;

// p_flags.
inline constexpr uint32_t kPF_X = 0x1;
inline constexpr uint32_t kPF_W = 0x2;
inline constexpr uint32_t kPF_R = 0x4;

// sh_type.
inline constexpr uint32_t kSHT_NULL = 0;
inline constexpr uint32_t kSHT_PROGBITS = 1;
inline constexpr uint32_t kSHT_SYMTAB = 2;
inline constexpr uint32_t kSHT_STRTAB = 3;
inline constexpr uint32_t kSHT_RELA = 4;
inline constexpr uint32_t kSHT_HASH = 5;
inline constexpr uint32_t kSHT_DYNAMIC = 6;
inline constexpr uint32_t kSHT_NOTE = 7;
inline constexpr uint32_t kSHT_NOBITS = 8;
inline constexpr uint32_t kSHT_REL = 9;
inline constexpr uint32_t kSHT_SHLIB = 10;
inline constexpr uint32_t kSHT_DYNSYM = 11;
inline constexpr uint32_t kSHT_GNU_HASH = 0x6ffffff6;
inline constexpr uint32_t kSHT_GNU_verdef = 0x6ffffffd;
inline constexpr uint32_t kSHT_GNU_verneed = 0x6ffffffe;
inline constexpr uint32_t kSHT_GNU_versym = 0x6fffffff;

// sh_flags.
inline constexpr uint64_t kSHF_WRITE = 0x1;
inline constexpr uint64_t kSHF_ALLOC = 0x2;
inline constexpr uint64_t kSHF_EXECINSTR = 0x4;

// Special section indices.
inline constexpr uint16_t kSHN_UNDEF = 0;
inline constexpr uint16_t kSHN_LORESERVE = 0xff00;
inline constexpr uint16_t kSHN_ABS = 0xfff1;
inline constexpr uint16_t kSHN_COMMON = 0xfff2;
inline constexpr uint16_t kSHN_XINDEX = 0xffff;

// Symbol binding (st_info >> 4), type (st_info & 0xf) and visibility (st_other & 0x3).
inline constexpr uint8_t kSTB_LOCAL = 0;
inline constexpr uint8_t kSTB_GLOBAL = 1;
inline constexpr uint8_t kSTB_WEAK = 2;
inline constexpr uint8_t kSTT_NOTYPE = 0;
inline constexpr uint8_t kSTT_OBJECT = 1;
inline constexpr uint8_t kSTT_FUNC = 2;
inline constexpr uint8_t kSTT_SECTION = 3;
inline constexpr uint8_t kSTT_FILE = 4;
inline constexpr uint8_t kSTT_COMMON = 5;
inline constexpr uint8_t kSTT_TLS = 6;
inline constexpr uint8_t kSTT_GNU_IFUNC = 10;
inline constexpr uint8_t kSTV_DEFAULT = 0;
inline constexpr uint8_t kSTV_INTERNAL = 1;
inline constexpr uint8_t kSTV_HIDDEN = 2;
inline constexpr uint8_t kSTV_PROTECTED = 3;
constexpr uint8_t Elf64StBind(uint8_t st_info) { return st_info >> 4; }
constexpr uint8_t Elf64StType(uint8_t st_info) { return st_info & 0xf; }

// d_tag (dynamic section entries).
inline constexpr int64_t kDT_NULL = 0;
inline constexpr int64_t kDT_NEEDED = 1;
inline constexpr int64_t kDT_PLTRELSZ = 2;
inline constexpr int64_t kDT_PLTGOT = 3;
inline constexpr int64_t kDT_HASH = 4;
inline constexpr int64_t kDT_STRTAB = 5;
inline constexpr int64_t kDT_SYMTAB = 6;
inline constexpr int64_t kDT_RELA = 7;
inline constexpr int64_t kDT_RELASZ = 8;
inline constexpr int64_t kDT_RELAENT = 9;
inline constexpr int64_t kDT_STRSZ = 10;
inline constexpr int64_t kDT_SYMENT = 11;
inline constexpr int64_t kDT_INIT = 12;
inline constexpr int64_t kDT_FINI = 13;
inline constexpr int64_t kDT_SONAME = 14;
inline constexpr int64_t kDT_RPATH = 15;
inline constexpr int64_t kDT_SYMBOLIC = 16;
inline constexpr int64_t kDT_REL = 17;
inline constexpr int64_t kDT_RELSZ = 18;
inline constexpr int64_t kDT_RELENT = 19;
inline constexpr int64_t kDT_PLTREL = 20;
inline constexpr int64_t kDT_DEBUG = 21;
inline constexpr int64_t kDT_TEXTREL = 22;
inline constexpr int64_t kDT_JMPREL = 23;
inline constexpr int64_t kDT_BIND_NOW = 24;
inline constexpr int64_t kDT_FLAGS = 30;
inline constexpr int64_t kDT_GNU_HASH = 0x6ffffef5;
inline constexpr int64_t kDT_VERSYM = 0x6ffffff0;
inline constexpr int64_t kDT_FLAGS_1 = 0x6ffffffb;
inline constexpr int64_t kDT_VERDEF = 0x6ffffffc;
inline constexpr int64_t kDT_VERDEFNUM = 0x6ffffffd;
inline constexpr int64_t kDT_VERNEED = 0x6ffffffe;
inline constexpr int64_t kDT_VERNEEDNUM = 0x6fffffff;

// Note types: core files (owner "CORE"/"LINUX") and GNU notes (owner "GNU").
inline constexpr uint32_t kNT_PRSTATUS = 1;
inline constexpr uint32_t kNT_PRFPREG = 2;
inline constexpr uint32_t kNT_PRPSINFO = 3;
inline constexpr uint32_t kNT_TASKSTRUCT = 4;
inline constexpr uint32_t kNT_AUXV = 6;
inline constexpr uint32_t kNT_SIGINFO = 0x53494749;
inline constexpr uint32_t kNT_FILE = 0x46494c45;
inline constexpr uint32_t kNT_PRXFPREG = 0x46e62b7f;
inline constexpr uint32_t kNT_X86_XSTATE = 0x202;
inline constexpr uint32_t kNT_GNU_ABI_TAG = 1;
inline constexpr uint32_t kNT_GNU_BUILD_ID = 3;
inline constexpr uint32_t kNT_GNU_PROPERTY_TYPE_0 = 5;

// .note.gnu.property contents (PT_GNU_PROPERTY) on x86-64.
inline constexpr uint32_t kGNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
inline constexpr uint32_t kGNU_PROPERTY_X86_FEATURE_1_IBT = 1u << 0;
inline constexpr uint32_t kGNU_PROPERTY_X86_FEATURE_1_SHSTK = 1u << 1;

struct Elf64Ehdr {
  uint8_t e_ident[16];   // ELF magic, class, data encoding, version, OS ABI.
  uint16_t e_type;       // ET_*.
  uint16_t e_machine;    // EM_*.
  uint32_t e_version;    // EV_CURRENT.
  uint64_t e_entry;      // Entry point virtual address.
  uint64_t e_phoff;      // Program header table file offset.
  uint64_t e_shoff;      // Section header table file offset.
  uint32_t e_flags;      // Processor-specific flags.
  uint16_t e_ehsize;     // Size of this header.
  uint16_t e_phentsize;  // Size of one program header.
  uint16_t e_phnum;      // Number of program headers.
  uint16_t e_shentsize;  // Size of one section header.
  uint16_t e_shnum;      // Number of section headers.
  uint16_t e_shstrndx;   // Section header index of the section name string table.
};
static_assert(sizeof(Elf64Ehdr) == 64);
static_assert(offsetof(Elf64Ehdr, e_type) == 16);
static_assert(offsetof(Elf64Ehdr, e_machine) == 18);
static_assert(offsetof(Elf64Ehdr, e_version) == 20);
static_assert(offsetof(Elf64Ehdr, e_entry) == 24);
static_assert(offsetof(Elf64Ehdr, e_phoff) == 32);
static_assert(offsetof(Elf64Ehdr, e_shoff) == 40);
static_assert(offsetof(Elf64Ehdr, e_flags) == 48);
static_assert(offsetof(Elf64Ehdr, e_ehsize) == 52);
static_assert(offsetof(Elf64Ehdr, e_phentsize) == 54);
static_assert(offsetof(Elf64Ehdr, e_phnum) == 56);
static_assert(offsetof(Elf64Ehdr, e_shentsize) == 58);
static_assert(offsetof(Elf64Ehdr, e_shnum) == 60);
static_assert(offsetof(Elf64Ehdr, e_shstrndx) == 62);

struct Elf64Phdr {
  uint32_t p_type;    // PT_*.
  uint32_t p_flags;   // PF_*.
  uint64_t p_offset;  // Segment file offset.
  uint64_t p_vaddr;   // Segment virtual address.
  uint64_t p_paddr;   // Segment physical address (unused).
  uint64_t p_filesz;  // Segment size in file.
  uint64_t p_memsz;   // Segment size in memory.
  uint64_t p_align;   // Segment alignment, file and memory.
};
static_assert(sizeof(Elf64Phdr) == 56);
static_assert(offsetof(Elf64Phdr, p_flags) == 4);
static_assert(offsetof(Elf64Phdr, p_offset) == 8);
static_assert(offsetof(Elf64Phdr, p_vaddr) == 16);
static_assert(offsetof(Elf64Phdr, p_paddr) == 24);
static_assert(offsetof(Elf64Phdr, p_filesz) == 32);
static_assert(offsetof(Elf64Phdr, p_memsz) == 40);
static_assert(offsetof(Elf64Phdr, p_align) == 48);

struct Elf64Shdr {
  uint32_t sh_name;       // Section name (string table index).
  uint32_t sh_type;       // SHT_*.
  uint64_t sh_flags;      // SHF_*.
  uint64_t sh_addr;       // Section virtual address at execution.
  uint64_t sh_offset;     // Section file offset.
  uint64_t sh_size;       // Section size in bytes.
  uint32_t sh_link;       // Link to another section.
  uint32_t sh_info;       // Additional section information.
  uint64_t sh_addralign;  // Section alignment.
  uint64_t sh_entsize;    // Entry size if the section holds a table.
};
static_assert(sizeof(Elf64Shdr) == 64);
static_assert(offsetof(Elf64Shdr, sh_type) == 4);
static_assert(offsetof(Elf64Shdr, sh_flags) == 8);
static_assert(offsetof(Elf64Shdr, sh_addr) == 16);
static_assert(offsetof(Elf64Shdr, sh_offset) == 24);
static_assert(offsetof(Elf64Shdr, sh_size) == 32);
static_assert(offsetof(Elf64Shdr, sh_link) == 40);
static_assert(offsetof(Elf64Shdr, sh_info) == 44);
static_assert(offsetof(Elf64Shdr, sh_addralign) == 48);
static_assert(offsetof(Elf64Shdr, sh_entsize) == 56);

struct Elf64Sym {
  uint32_t st_name;   // Symbol name (string table index).
  uint8_t st_info;    // Binding (high nibble) and type (low nibble).
  uint8_t st_other;   // Visibility.
  uint16_t st_shndx;  // Section index.
  uint64_t st_value;  // Symbol value.
  uint64_t st_size;   // Symbol size.
};
static_assert(sizeof(Elf64Sym) == 24);
static_assert(offsetof(Elf64Sym, st_info) == 4);
static_assert(offsetof(Elf64Sym, st_other) == 5);
static_assert(offsetof(Elf64Sym, st_shndx) == 6);
static_assert(offsetof(Elf64Sym, st_value) == 8);
static_assert(offsetof(Elf64Sym, st_size) == 16);

struct Elf64Dyn {
  int64_t d_tag;  // DT_*.
  union {
    uint64_t d_val;
    uint64_t d_ptr;
  } d_un;
};
static_assert(sizeof(Elf64Dyn) == 16);
static_assert(offsetof(Elf64Dyn, d_un) == 8);

struct Elf64Rela {
  uint64_t r_offset;  // Address.
  uint64_t r_info;    // Symbol index (high 32 bits) and relocation type (low 32 bits).
  int64_t r_addend;
};
static_assert(sizeof(Elf64Rela) == 24);
static_assert(offsetof(Elf64Rela, r_info) == 8);
static_assert(offsetof(Elf64Rela, r_addend) == 16);

// Note header; the name (n_namesz bytes) and descriptor (n_descsz bytes) follow, each padded to
// 4 bytes.
struct Elf64Nhdr {
  uint32_t n_namesz;
  uint32_t n_descsz;
  uint32_t n_type;
};
static_assert(sizeof(Elf64Nhdr) == 12);
static_assert(offsetof(Elf64Nhdr, n_descsz) == 4);
static_assert(offsetof(Elf64Nhdr, n_type) == 8);

}  // namespace abi_linux

#endif  // ABI_LINUX_ELF_H_
