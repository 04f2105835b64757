#include "sentry/kernel/seccomp.h"

#include <cstddef>
#include <cstring>

namespace sentry::kernel::seccomp {

namespace L = abi_linux;

namespace {

using util::Errno;

constexpr uint16_t Code(uint16_t a, uint16_t b = 0, uint16_t c = 0) { return a | b | c; }

// The opcodes seccomp accepts (seccomp_check_filter's list). The classic
// set's ancillary loads, indirect and byte/half-word loads, MOD and MSH are
// not among them.
bool SeccompAllowsCode(uint16_t code) {
  switch (code) {
    case Code(L::kBPF_LD, L::kBPF_W, L::kBPF_ABS):
    case Code(L::kBPF_LD, L::kBPF_W, L::kBPF_LEN):
    case Code(L::kBPF_LDX, L::kBPF_W, L::kBPF_LEN):
    case Code(L::kBPF_RET, L::kBPF_K):
    case Code(L::kBPF_RET, L::kBPF_A):
    case Code(L::kBPF_ALU, L::kBPF_ADD, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_ADD, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_SUB, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_SUB, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_MUL, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_MUL, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_DIV, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_DIV, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_AND, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_AND, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_OR, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_OR, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_XOR, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_XOR, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_LSH, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_LSH, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_RSH, L::kBPF_K):
    case Code(L::kBPF_ALU, L::kBPF_RSH, L::kBPF_X):
    case Code(L::kBPF_ALU, L::kBPF_NEG):
    case Code(L::kBPF_LD, L::kBPF_IMM):
    case Code(L::kBPF_LDX, L::kBPF_IMM):
    case Code(L::kBPF_MISC, L::kBPF_TAX):
    case Code(L::kBPF_MISC, L::kBPF_TXA):
    case Code(L::kBPF_LD, L::kBPF_MEM):
    case Code(L::kBPF_LDX, L::kBPF_MEM):
    case Code(L::kBPF_ST):
    case Code(L::kBPF_STX):
    case Code(L::kBPF_JMP, L::kBPF_JA):
    case Code(L::kBPF_JMP, L::kBPF_JEQ, L::kBPF_K):
    case Code(L::kBPF_JMP, L::kBPF_JEQ, L::kBPF_X):
    case Code(L::kBPF_JMP, L::kBPF_JGE, L::kBPF_K):
    case Code(L::kBPF_JMP, L::kBPF_JGE, L::kBPF_X):
    case Code(L::kBPF_JMP, L::kBPF_JGT, L::kBPF_K):
    case Code(L::kBPF_JMP, L::kBPF_JGT, L::kBPF_X):
    case Code(L::kBPF_JMP, L::kBPF_JSET, L::kBPF_K):
    case Code(L::kBPF_JMP, L::kBPF_JSET, L::kBPF_X):
      return true;
    default:
      return false;
  }
}

bool IsConditionalJump(uint16_t code) {
  return L::BpfClass(code) == L::kBPF_JMP && L::BpfOp(code) != L::kBPF_JA;
}

// Every read of a scratch word must follow a write of it on every path to
// the read (bpf_check_classic's check_load_and_stores). Jumps are forward,
// so one pass in order sees every path into an instruction first.
bool LoadsFollowStores(std::span<const L::SockFilter> insns) {
  std::vector<uint16_t> valid_at(insns.size(), 0xffff);
  uint16_t valid = 0;
  for (size_t pc = 0; pc < insns.size(); ++pc) {
    valid &= valid_at[pc];
    const L::SockFilter& in = insns[pc];
    switch (in.code) {
      case Code(L::kBPF_ST):
      case Code(L::kBPF_STX):
        valid |= static_cast<uint16_t>(1u << in.k);
        break;
      case Code(L::kBPF_LD, L::kBPF_MEM):
      case Code(L::kBPF_LDX, L::kBPF_MEM):
        if (!(valid & (1u << in.k))) return false;
        break;
      case Code(L::kBPF_JMP, L::kBPF_JA):
        valid_at[pc + 1 + in.k] &= valid;
        valid = 0xffff;  // nothing falls through
        break;
      default:
        if (IsConditionalJump(in.code)) {
          valid_at[pc + 1 + in.jt] &= valid;
          valid_at[pc + 1 + in.jf] &= valid;
          valid = 0xffff;
        }
        break;
    }
  }
  return true;
}

uint32_t LoadWord(const L::SeccompData& data, uint32_t offset) {
  uint32_t w;
  std::memcpy(&w, reinterpret_cast<const char*>(&data) + offset, sizeof(w));
  return w;
}

}  // namespace

util::ErrnoOr<BpfProgram> BpfProgram::Check(std::span<const L::SockFilter> insns) {
  const size_t n = insns.size();
  if (n == 0 || n > static_cast<size_t>(L::kBPF_MAXINSNS)) return Errno(EINVAL);
  for (size_t pc = 0; pc < n; ++pc) {
    const L::SockFilter& in = insns[pc];
    if (!SeccompAllowsCode(in.code)) return Errno(EINVAL);
    switch (in.code) {
      case Code(L::kBPF_LD, L::kBPF_W, L::kBPF_ABS):
        if (in.k >= sizeof(L::SeccompData) || (in.k & 3) != 0) return Errno(EINVAL);
        break;
      case Code(L::kBPF_ALU, L::kBPF_DIV, L::kBPF_K):
        if (in.k == 0) return Errno(EINVAL);
        break;
      case Code(L::kBPF_ALU, L::kBPF_LSH, L::kBPF_K):
      case Code(L::kBPF_ALU, L::kBPF_RSH, L::kBPF_K):
        if (in.k >= 32) return Errno(EINVAL);
        break;
      case Code(L::kBPF_LD, L::kBPF_MEM):
      case Code(L::kBPF_LDX, L::kBPF_MEM):
      case Code(L::kBPF_ST):
      case Code(L::kBPF_STX):
        if (in.k >= static_cast<uint32_t>(L::kBPF_MEMWORDS)) return Errno(EINVAL);
        break;
      case Code(L::kBPF_JMP, L::kBPF_JA):
        if (in.k >= n - pc - 1) return Errno(EINVAL);
        break;
      default:
        if (IsConditionalJump(in.code) && (pc + 1 + in.jt >= n || pc + 1 + in.jf >= n)) {
          return Errno(EINVAL);
        }
        break;
    }
  }
  uint16_t last = insns[n - 1].code;
  if (last != Code(L::kBPF_RET, L::kBPF_K) && last != Code(L::kBPF_RET, L::kBPF_A)) {
    return Errno(EINVAL);
  }
  if (!LoadsFollowStores(insns)) return Errno(EINVAL);
  return BpfProgram(std::vector<L::SockFilter>(insns.begin(), insns.end()));
}

uint32_t BpfProgram::Run(const L::SeccompData& data) const {
  uint32_t a = 0, x = 0;
  uint32_t mem[L::kBPF_MEMWORDS] = {};
  const size_t n = insns_.size();
  // Check() made every jump forward and in bounds and the last instruction
  // a RET: the loop ends at a RET. The bound only guards against misuse.
  for (size_t pc = 0; pc < n; ++pc) {
    const L::SockFilter& in = insns_[pc];
    const uint32_t operand = L::BpfSrc(in.code) == L::kBPF_X ? x : in.k;
    switch (L::BpfClass(in.code)) {
      case L::kBPF_LD:
        switch (L::BpfMode(in.code)) {
          case L::kBPF_ABS: a = LoadWord(data, in.k); break;
          case L::kBPF_LEN: a = sizeof(L::SeccompData); break;
          case L::kBPF_IMM: a = in.k; break;
          case L::kBPF_MEM: a = mem[in.k]; break;
        }
        break;
      case L::kBPF_LDX:
        switch (L::BpfMode(in.code)) {
          case L::kBPF_LEN: x = sizeof(L::SeccompData); break;
          case L::kBPF_IMM: x = in.k; break;
          case L::kBPF_MEM: x = mem[in.k]; break;
        }
        break;
      case L::kBPF_ST: mem[in.k] = a; break;
      case L::kBPF_STX: mem[in.k] = x; break;
      case L::kBPF_ALU:
        switch (L::BpfOp(in.code)) {
          case L::kBPF_ADD: a += operand; break;
          case L::kBPF_SUB: a -= operand; break;
          case L::kBPF_MUL: a *= operand; break;
          case L::kBPF_DIV:
            // Division by a zero X ends the program with 0, as Linux's does.
            if (operand == 0) return 0;
            a /= operand;
            break;
          case L::kBPF_AND: a &= operand; break;
          case L::kBPF_OR: a |= operand; break;
          case L::kBPF_XOR: a ^= operand; break;
          case L::kBPF_LSH: a <<= (operand & 31); break;
          case L::kBPF_RSH: a >>= (operand & 31); break;
          case L::kBPF_NEG: a = 0u - a; break;
        }
        break;
      case L::kBPF_JMP: {
        bool taken = false;
        switch (L::BpfOp(in.code)) {
          case L::kBPF_JA: pc += in.k; continue;
          case L::kBPF_JEQ: taken = a == operand; break;
          case L::kBPF_JGT: taken = a > operand; break;
          case L::kBPF_JGE: taken = a >= operand; break;
          case L::kBPF_JSET: taken = (a & operand) != 0; break;
        }
        pc += taken ? in.jt : in.jf;
        break;
      }
      case L::kBPF_RET:
        return L::BpfRval(in.code) == L::kBPF_A ? a : in.k;
      case L::kBPF_MISC:
        if (L::BpfMiscOp(in.code) == L::kBPF_TAX) {
          x = a;
        } else {
          a = x;
        }
        break;
    }
  }
  return L::kSECCOMP_RET_KILL_PROCESS;  // unreachable for a checked program
}

bool BpfProgram::AlwaysAllows(uint32_t nr) const {
  // Run with only nr and arch known; give up at anything that could read
  // an argument or the instruction pointer, or compute on them.
  uint32_t a = 0;
  for (size_t pc = 0; pc < insns_.size(); ++pc) {
    const L::SockFilter& in = insns_[pc];
    bool taken = false;
    switch (in.code) {
      case Code(L::kBPF_LD, L::kBPF_W, L::kBPF_ABS):
        if (in.k == offsetof(L::SeccompData, nr)) {
          a = nr;
        } else if (in.k == offsetof(L::SeccompData, arch)) {
          a = L::kAUDIT_ARCH_X86_64;
        } else {
          return false;
        }
        continue;
      case Code(L::kBPF_ALU, L::kBPF_AND, L::kBPF_K):
        a &= in.k;
        continue;
      case Code(L::kBPF_RET, L::kBPF_K):
        return in.k == L::kSECCOMP_RET_ALLOW;
      case Code(L::kBPF_JMP, L::kBPF_JA):
        pc += in.k;
        continue;
      case Code(L::kBPF_JMP, L::kBPF_JEQ, L::kBPF_K): taken = a == in.k; break;
      case Code(L::kBPF_JMP, L::kBPF_JGE, L::kBPF_K): taken = a >= in.k; break;
      case Code(L::kBPF_JMP, L::kBPF_JGT, L::kBPF_K): taken = a > in.k; break;
      case Code(L::kBPF_JMP, L::kBPF_JSET, L::kBPF_K): taken = (a & in.k) != 0; break;
      default:
        return false;
    }
    pc += taken ? in.jt : in.jf;
  }
  return false;
}

Filter::Filter(BpfProgram p, bool l, std::shared_ptr<const Filter> pr)
    : program(std::move(p)), log(l), prev(std::move(pr)) {
  for (uint32_t nr = 0; nr < kCachedNrs; ++nr) always_allows[nr] = program.AlwaysAllows(nr);
}

int FilterCount(const Filter* f) {
  int n = 0;
  for (; f != nullptr; f = f->prev.get()) ++n;
  return n;
}

bool IsAncestor(const Filter* ancestor, const Filter* f) {
  if (ancestor == nullptr) return true;
  for (; f != nullptr; f = f->prev.get()) {
    if (f == ancestor) return true;
  }
  return false;
}

uint32_t RunFilters(const Filter* newest, const L::SeccompData& data) {
  uint32_t ret = L::kSECCOMP_RET_ALLOW;
  const bool cached = data.arch == L::kAUDIT_ARCH_X86_64 && data.nr >= 0 &&
                      static_cast<uint32_t>(data.nr) < Filter::kCachedNrs;
  for (const Filter* f = newest; f != nullptr; f = f->prev.get()) {
    // ALLOW never lowers the answer: a filter known to allow is skipped.
    if (cached && f->always_allows[static_cast<uint32_t>(data.nr)]) continue;
    uint32_t cur = f->program.Run(data);
    if (ActionOf(cur) < ActionOf(ret)) ret = cur;
  }
  return ret;
}

bool ActionAvailable(uint32_t action) {
  switch (action) {
    case L::kSECCOMP_RET_KILL_PROCESS:
    case L::kSECCOMP_RET_KILL_THREAD:
    case L::kSECCOMP_RET_TRAP:
    case L::kSECCOMP_RET_ERRNO:
    case L::kSECCOMP_RET_TRACE:
    case L::kSECCOMP_RET_LOG:
    case L::kSECCOMP_RET_ALLOW:
      return true;
    default:
      // SECCOMP_RET_USER_NOTIF among them: no listener can be made here.
      return false;
  }
}

}  // namespace sentry::kernel::seccomp
