#include "gofer/codec.h"

namespace gofer {

void Encoder::PutLe(uint64_t v, int n) {
  if (!ok()) return;
  for (int i = 0; i < n; ++i) buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void Encoder::Text(const std::string& s, size_t max, bool allow_empty) {
  if ((!allow_empty && s.empty()) || s.size() > max || s.find('\0') != std::string::npos) {
    return Fail(EINVAL);
  }
  U32(static_cast<uint32_t>(s.size()));
  if (ok()) buf_.append(s);
}

void Encoder::Bytes(const std::string& s, size_t max) {
  if (s.size() > max) return Fail(EINVAL);
  U32(static_cast<uint32_t>(s.size()));
  if (ok()) buf_.append(s);
}

uint64_t Decoder::GetLe(int n) {
  if (!ok()) return 0;
  if (in_.size() - pos_ < static_cast<size_t>(n)) {
    Fail(EPROTO);
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) {
    v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i])) << (8 * i);
  }
  pos_ += n;
  return v;
}

void Decoder::Text(std::string& s, size_t max, bool allow_empty) {
  Bytes(s, max);
  if (!ok()) return;
  if ((!allow_empty && s.empty()) || s.find('\0') != std::string::npos) Fail(EINVAL);
}

void Decoder::Bytes(std::string& s, size_t max) {
  s.clear();
  uint32_t n = 0;
  U32(n);
  if (!ok()) return;
  if (n > max) return Fail(EINVAL);
  if (n > in_.size() - pos_) return Fail(EPROTO);
  s.assign(in_.substr(pos_, n));
  pos_ += n;
}

util::ErrnoOrVoid Decoder::Finish() const {
  if (err_ != 0) return util::Errno(err_);
  if (pos_ != in_.size()) return util::Errno(EPROTO);
  return {};
}

}  // namespace gofer
