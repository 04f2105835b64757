// Bounds-checked little-endian encoding of gofer message payloads.
//
//   Encoder e;
//   e.U64(handle);
//   e.Name(name);
//   if (!e.ok()) return e.error();
//
//   Decoder d(payload);
//   d.U64(handle);
//   d.Name(name);
//   RETURN_IF_ERRNO(d.Finish());  // EPROTO if truncated or trailing bytes remain.
//
// Both sides are sticky: after the first failure every later call is a no-op, so message
// definitions read as straight-line field lists (see protocol.h) and a malformed payload can
// never make the decoder read out of bounds or allocate more than the payload's size.
//
// Errors: a truncated payload, trailing bytes or a malformed field is EPROTO; a string or array
// longer than its declared maximum, or a name or path containing a NUL byte, is EINVAL.
#ifndef GOFER_CODEC_H_
#define GOFER_CODEC_H_

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/errno.h"

namespace gofer {

// Longest path a message carries (a symlink target), excluding the NUL: PATH_MAX - 1.
inline constexpr size_t kMaxPathLength = 4095;
// Longest single path component or xattr name: NAME_MAX / XATTR_NAME_MAX.
inline constexpr size_t kMaxNameLength = 255;

class Encoder {
 public:
  void U8(uint8_t v) { PutLe(v, 1); }
  void U16(uint16_t v) { PutLe(v, 2); }
  void U32(uint32_t v) { PutLe(v, 4); }
  void I32(int32_t v) { PutLe(static_cast<uint32_t>(v), 4); }
  void U64(uint64_t v) { PutLe(v, 8); }
  void I64(int64_t v) { PutLe(static_cast<uint64_t>(v), 8); }

  // A path component or xattr name: 1..kMaxNameLength bytes, no NUL.
  void Name(const std::string& s) { Text(s, kMaxNameLength, /*allow_empty=*/false); }
  // A path (symlink target): 0..kMaxPathLength bytes, no NUL.
  void Path(const std::string& s) { Text(s, kMaxPathLength, /*allow_empty=*/true); }
  // Arbitrary bytes (an xattr value), at most `max` of them.
  void Bytes(const std::string& s, size_t max);

  // A u32 count followed by each element written by `each(*this, element)`.
  template <typename T, typename F>
  void Array(const std::vector<T>& v, size_t max_count, F each) {
    if (v.size() > max_count) return Fail(EINVAL);
    U32(static_cast<uint32_t>(v.size()));
    for (const T& x : v) each(*this, x);
  }
  // A nested structure with a static Fields(S&, F&) visitor.
  template <typename T>
  void Struct(const T& v) {
    T::Fields(v, *this);
  }

  // Appends bytes without a length prefix or checks. For tests that forge frames.
  void RawBytes(std::string_view bytes) { buf_.append(bytes); }

  // Marks the message unencodable (e.g. a field holds an impossible value).
  void Fail(int err) {
    if (err_ == 0) err_ = err;
  }
  bool ok() const { return err_ == 0; }
  util::Errno error() const { return util::Errno(err_); }
  const std::string& data() const { return buf_; }
  std::string Take() { return std::move(buf_); }

 private:
  void PutLe(uint64_t v, int n);
  void Text(const std::string& s, size_t max, bool allow_empty);

  std::string buf_;
  int err_ = 0;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}

  void U8(uint8_t& v) { v = static_cast<uint8_t>(GetLe(1)); }
  void U16(uint16_t& v) { v = static_cast<uint16_t>(GetLe(2)); }
  void U32(uint32_t& v) { v = static_cast<uint32_t>(GetLe(4)); }
  void I32(int32_t& v) { v = static_cast<int32_t>(static_cast<uint32_t>(GetLe(4))); }
  void U64(uint64_t& v) { v = GetLe(8); }
  void I64(int64_t& v) { v = static_cast<int64_t>(GetLe(8)); }

  void Name(std::string& s) { Text(s, kMaxNameLength, /*allow_empty=*/false); }
  void Path(std::string& s) { Text(s, kMaxPathLength, /*allow_empty=*/true); }
  void Bytes(std::string& s, size_t max);

  template <typename T, typename F>
  void Array(std::vector<T>& v, size_t max_count, F each) {
    v.clear();
    uint32_t n = 0;
    U32(n);
    if (!ok()) return;
    if (n > max_count) return Fail(EINVAL);
    // Every element takes at least one byte, so a count beyond the remaining bytes is a lie;
    // checking it first bounds the reservation by the payload's size.
    if (n > in_.size() - pos_) return Fail(EPROTO);
    v.reserve(n);
    for (uint32_t i = 0; i < n && ok(); ++i) {
      v.emplace_back();
      each(*this, v.back());
    }
  }
  template <typename T>
  void Struct(T& v) {
    T::Fields(v, *this);
  }

  // Marks the payload malformed (e.g. a field holds an impossible value).
  void Fail(int err) {
    if (err_ == 0) err_ = err;
  }
  bool ok() const { return err_ == 0; }
  size_t remaining() const { return in_.size() - pos_; }
  // OK only if nothing failed and every byte was consumed.
  util::ErrnoOrVoid Finish() const;

 private:
  uint64_t GetLe(int n);
  void Text(std::string& s, size_t max, bool allow_empty);

  std::string_view in_;
  size_t pos_ = 0;
  int err_ = 0;
};

}  // namespace gofer

#endif  // GOFER_CODEC_H_
