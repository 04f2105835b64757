#include "gofer/codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gofer {
namespace {

TEST(CodecTest, IntegersAreLittleEndian) {
  Encoder e;
  e.U8(0x01);
  e.U16(0x0302);
  e.U32(0x07060504);
  e.U64(0x0f0e0d0c0b0a0908ULL);
  ASSERT_TRUE(e.ok());
  std::string want;
  for (int i = 1; i <= 0x0f; ++i) want.push_back(static_cast<char>(i));
  EXPECT_EQ(e.data(), want);

  Decoder d(e.data());
  uint8_t a;
  uint16_t b;
  uint32_t c;
  uint64_t x;
  d.U8(a);
  d.U16(b);
  d.U32(c);
  d.U64(x);
  EXPECT_TRUE(d.Finish().ok());
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0302);
  EXPECT_EQ(c, 0x07060504u);
  EXPECT_EQ(x, 0x0f0e0d0c0b0a0908ULL);
}

TEST(CodecTest, SignedValuesRoundTrip) {
  Encoder e;
  e.I32(-5);
  e.I64(-1234567890123LL);
  Decoder d(e.data());
  int32_t a;
  int64_t b;
  d.I32(a);
  d.I64(b);
  ASSERT_TRUE(d.Finish().ok());
  EXPECT_EQ(a, -5);
  EXPECT_EQ(b, -1234567890123LL);
}

TEST(CodecTest, TruncationIsEproto) {
  Encoder e;
  e.U64(42);
  Decoder d(std::string_view(e.data()).substr(0, 7));
  uint64_t v = 99;
  d.U64(v);
  EXPECT_EQ(v, 0u);
  ASSERT_FALSE(d.Finish().ok());
  EXPECT_EQ(d.Finish().error().value(), EPROTO);
}

TEST(CodecTest, TrailingBytesAreEproto) {
  Encoder e;
  e.U32(1);
  e.U8(0);
  Decoder d(e.data());
  uint32_t v;
  d.U32(v);
  ASSERT_FALSE(d.Finish().ok());
  EXPECT_EQ(d.Finish().error().value(), EPROTO);
}

TEST(CodecTest, ErrorsAreSticky) {
  Decoder d(std::string_view("\x01", 1));
  uint32_t v;
  uint8_t b = 7;
  d.U32(v);  // Fails: one byte.
  d.U8(b);   // Would succeed on its own; must not.
  EXPECT_EQ(b, 0);
  EXPECT_EQ(d.Finish().error().value(), EPROTO);
}

TEST(CodecTest, NamesAreBounded) {
  Encoder ok;
  ok.Name(std::string(kMaxNameLength, 'a'));
  EXPECT_TRUE(ok.ok());

  Encoder too_long;
  too_long.Name(std::string(kMaxNameLength + 1, 'a'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().value(), EINVAL);

  Encoder empty;
  empty.Name("");
  EXPECT_FALSE(empty.ok());

  Encoder nul;
  nul.Name(std::string("a\0b", 3));
  EXPECT_FALSE(nul.ok());

  // The decoder enforces the same rules on forged input.
  Encoder forged;
  forged.U32(kMaxNameLength + 1);
  forged.RawBytes(std::string(kMaxNameLength + 1, 'a'));
  Decoder d(forged.data());
  std::string s;
  d.Name(s);
  EXPECT_EQ(d.Finish().error().value(), EINVAL);

  Encoder forged_nul;
  forged_nul.U32(3);
  forged_nul.RawBytes(std::string("a\0b", 3));
  Decoder d2(forged_nul.data());
  d2.Name(s);
  EXPECT_EQ(d2.Finish().error().value(), EINVAL);
}

TEST(CodecTest, PathsAreBounded) {
  Encoder ok;
  ok.Path(std::string(kMaxPathLength, 'p'));
  ok.Path("");
  EXPECT_TRUE(ok.ok());
  Encoder bad;
  bad.Path(std::string(kMaxPathLength + 1, 'p'));
  EXPECT_FALSE(bad.ok());
}

TEST(CodecTest, HugeLengthDoesNotAllocateOrOverread) {
  Encoder e;
  e.U32(0xffffffff);
  e.RawBytes("abc");
  Decoder d(e.data());
  std::string s;
  d.Bytes(s, 0xffffffffu);  // Allowed by the limit, impossible by the size.
  EXPECT_EQ(d.Finish().error().value(), EPROTO);
  EXPECT_TRUE(s.empty());
}

TEST(CodecTest, ArraysAreBounded) {
  std::vector<uint64_t> v = {1, 2, 3};
  Encoder e;
  e.Array(v, 3, [](Encoder& f, uint64_t x) { f.U64(x); });
  ASSERT_TRUE(e.ok());
  std::vector<uint64_t> got;
  Decoder d(e.data());
  d.Array(got, 3, [](Decoder& f, uint64_t& x) { f.U64(x); });
  ASSERT_TRUE(d.Finish().ok());
  EXPECT_EQ(got, v);

  Decoder small(e.data());
  small.Array(got, 2, [](Decoder& f, uint64_t& x) { f.U64(x); });
  EXPECT_EQ(small.Finish().error().value(), EINVAL);

  Encoder too_many;
  too_many.Array(v, 2, [](Encoder& f, uint64_t x) { f.U64(x); });
  EXPECT_FALSE(too_many.ok());

  // A count far beyond what the bytes could hold.
  Encoder lie;
  lie.U32(1000);
  lie.U64(1);
  Decoder d2(lie.data());
  d2.Array(got, 100000, [](Decoder& f, uint64_t& x) { f.U64(x); });
  EXPECT_EQ(d2.Finish().error().value(), EPROTO);
}

}  // namespace
}  // namespace gofer
