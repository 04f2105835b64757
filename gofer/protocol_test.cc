#include "gofer/protocol.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <utility>

namespace gofer {
namespace {

Attributes SampleAttributes(uint32_t seed) {
  return Attributes{.mode = S_IFREG | 0644,
                    .uid = 1000 + seed,
                    .gid = 2000,
                    .nlink = 3,
                    .ino = 0x123456789abcULL + seed,
                    .dev = 0x801,
                    .rdev = 0,
                    .size = 1ULL << 40,
                    .blocks = 8,
                    .blksize = 4096,
                    .atime = {.sec = -1, .nsec = 999999999},
                    .mtime = {.sec = 1700000000, .nsec = 5},
                    .ctime = {.sec = 0, .nsec = 0}};
}

Inode SampleInode(uint64_t h) { return Inode{.handle = h, .attr = SampleAttributes(uint32_t(h))}; }

// One non-trivial instance of every message, requests and responses.
auto AllSamples() {
  return std::make_tuple(
      VersionRequest{.min_version = 1, .max_version = 3},
      VersionResponse{.version = 1, .max_payload = 4096}, AttachRequest{},
      AttachResponse{.root = SampleInode(1)},
      WalkRequest{.handle = 7, .names = {"usr", "lib", std::string(255, 'x')}},
      WalkResponse{.walked = {SampleInode(8), SampleInode(9)}, .error = ENOENT},
      StatRequest{.handle = 9}, StatResponse{.attr = SampleAttributes(4)},
      OpenRequest{.handle = 9, .flags = O_RDWR | O_APPEND}, OpenResponse{},
      OpenAtRequest{.dir = 2,
                    .name = "new",
                    .flags = O_CREAT | O_EXCL | O_WRONLY,
                    .mode = 0640,
                    .uid = 10,
                    .gid = 20},
      OpenAtResponse{.inode = SampleInode(10)},
      MkdirRequest{.dir = 2, .name = "d", .mode = 0755, .uid = 1, .gid = kNoId},
      MkdirResponse{.inode = SampleInode(11)},
      MknodRequest{.dir = 2, .name = "fifo", .mode = S_IFIFO | 0600, .uid = 0, .gid = 0},
      MknodResponse{.inode = SampleInode(12)},
      SymlinkRequest{.dir = 2, .name = "l", .target = std::string(4095, '/'), .uid = 5, .gid = 6},
      SymlinkResponse{.inode = SampleInode(13)}, LinkRequest{.dir = 2, .name = "hard", .target = 9},
      LinkResponse{.inode = SampleInode(14)},
      UnlinkRequest{.dir = 2, .name = "d", .flags = AT_REMOVEDIR}, UnlinkResponse{},
      RenameRequest{.old_dir = 2, .old_name = "a", .new_dir = 3, .new_name = "b", .flags = 1},
      RenameResponse{}, ReadlinkRequest{.handle = 13},
      ReadlinkResponse{.target = "../../etc/passwd"},
      GetdentsRequest{.dir = 2, .cookie = 0x7fffffffffffffffULL, .max_entries = 100},
      GetdentsResponse{.entries = {{.ino = 1, .next = 2, .type = 4, .name = "a"},
                                   {.ino = 3, .next = 99, .type = 8, .name = "bb"}}},
      SetAttrRequest{.handle = 9,
                     .mask = kSetAttrAll,
                     .mode = 0600,
                     .uid = 1,
                     .gid = 2,
                     .size = 12345,
                     .atime = {.sec = 5, .nsec = static_cast<uint32_t>(UTIME_NOW)},
                     .mtime = {.sec = 6, .nsec = static_cast<uint32_t>(UTIME_OMIT)}},
      SetAttrResponse{.attr = SampleAttributes(7)}, StatFsRequest{.handle = 1},
      StatFsResponse{.info = {.type = 0xEF53,
                              .bsize = 4096,
                              .blocks = 100,
                              .bfree = 50,
                              .bavail = 40,
                              .files = 1000,
                              .ffree = 900,
                              .namelen = 255,
                              .frsize = 4096,
                              .flags = 0x20}},
      GetXattrRequest{.handle = 9, .name = "user.x"},
      GetXattrResponse{.value = std::string("\0\1\2binary", 9)},
      SetXattrRequest{
          .handle = 9, .name = "user.big", .value = std::string(kMaxXattrValue, 'v'), .flags = 1},
      SetXattrResponse{}, ListXattrRequest{.handle = 9},
      ListXattrResponse{.names = {"user.a", "security.selinux"}},
      RemoveXattrRequest{.handle = 9, .name = "user.a"}, RemoveXattrResponse{},
      CloseRequest{.handles = {1, 2, 3, 0xffffffffffffffffULL}}, CloseResponse{});
}

template <typename M>
std::string EncodePayload(const M& m) {
  Encoder e;
  m.Encode(e);
  EXPECT_TRUE(e.ok()) << MessageTypeName(static_cast<uint16_t>(M::kType));
  return e.Take();
}

template <typename M>
void ExpectRoundTrip(const M& m) {
  SCOPED_TRACE(std::string(MessageTypeName(static_cast<uint16_t>(M::kType))));
  std::string payload = EncodePayload(m);
  std::string frame = EncodeFrame(M::kType, 0xabcdef0123ULL, 0, payload);
  ASSERT_EQ(frame.size(), kHeaderSize + payload.size());
  util::ErrnoOr<Frame> f = ParseFrame(frame);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->header.type, static_cast<uint16_t>(M::kType));
  EXPECT_EQ(f->header.tag, 0xabcdef0123ULL);
  EXPECT_EQ(f->header.error, 0);
  util::ErrnoOr<M> got = M::Decode(f->payload);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got == m);
  // Every strict prefix is truncated, and one more byte is trailing garbage.
  for (size_t n = 0; n < payload.size(); n += (payload.size() > 600 ? 97 : 1)) {
    EXPECT_FALSE(M::Decode(std::string_view(payload).substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(M::Decode(payload + '\0').ok());
}

TEST(ProtocolTest, EveryMessageRoundTrips) {
  std::apply([](const auto&... m) { (ExpectRoundTrip(m), ...); }, AllSamples());
}

TEST(ProtocolTest, RequestAndResponseShareTheType) {
  auto has_name = [](const auto& m) {
    using M = std::decay_t<decltype(m)>;
    EXPECT_FALSE(MessageTypeName(static_cast<uint16_t>(M::kType)).empty());
  };
  std::apply([&](const auto&... m) { (has_name(m), ...); }, AllSamples());
  EXPECT_EQ(ResponseType(MessageType::kWalk), 0x8003);
  EXPECT_EQ(MessageTypeName(0x8003), "Walk");
  EXPECT_EQ(MessageTypeName(999), "");
}

TEST(ProtocolTest, HeaderLayoutIsFixed) {
  std::string frame = EncodeFrame(MessageType::kStat, 0x1122334455667788ULL, 0, "xyz");
  ASSERT_EQ(frame.size(), 27u);
  EXPECT_EQ(frame.substr(0, 4), "GOF1");
  EXPECT_EQ(frame[4], 1);  // version
  EXPECT_EQ(frame[5], 0);
  EXPECT_EQ(frame[6], 4);                           // type
  EXPECT_EQ(static_cast<uint8_t>(frame[8]), 0x88);  // tag, little-endian
  EXPECT_EQ(static_cast<uint8_t>(frame[15]), 0x11);
  EXPECT_EQ(frame[16], 3);  // payload_len
  EXPECT_EQ(frame[20], 0);  // error
  EXPECT_EQ(frame.substr(24), "xyz");
}

TEST(ProtocolTest, ErrorFramesCarryNoPayload) {
  std::string frame = EncodeFrame(ResponseType(MessageType::kOpen), 5, ENOENT, "ignored");
  util::ErrnoOr<Frame> f = ParseFrame(frame);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->header.error, ENOENT);
  EXPECT_TRUE(f->payload.empty());
}

TEST(ProtocolTest, BadHeadersAreRejected) {
  const std::string good = EncodeFrame(MessageType::kStat, 1, 0, EncodePayload(StatRequest{}));
  ASSERT_TRUE(ParseFrame(good).ok());
  auto expect_eproto = [](std::string frame, const char* what) {
    util::ErrnoOr<Frame> f = ParseFrame(frame);
    ASSERT_FALSE(f.ok()) << what;
    EXPECT_EQ(f.error().value(), EPROTO) << what;
  };
  std::string bad = good;
  bad[0] = 'X';
  expect_eproto(bad, "magic");
  bad = good;
  bad[4] = 2;
  expect_eproto(bad, "version");
  bad = good;
  bad[16] = 9;
  expect_eproto(bad, "payload_len too long");
  bad = good;
  bad[16] = 7;
  expect_eproto(bad, "payload_len too short");
  bad = good;
  bad[20] = 1;
  expect_eproto(bad, "error with payload");
  bad = EncodeFrame(MessageType::kStat, 1, 0, "");
  bad[23] = static_cast<char>(0x80);
  expect_eproto(bad, "negative error");
  bad = EncodeFrame(MessageType::kStat, 1, 0, "");
  bad[21] = 0x10;  // 4096
  expect_eproto(bad, "error beyond MAX_ERRNO");
  expect_eproto(good.substr(0, kHeaderSize - 1), "short header");
  expect_eproto("", "empty");
  expect_eproto(EncodeFrame(MessageType::kStat, 1, 0, std::string(kMaxPayloadSize + 1, 'a')),
                "oversized");
}

TEST(ProtocolTest, PeekHeaderReadsWhatItCan) {
  std::string frame = EncodeFrame(MessageType::kWalk, 42, 0, "garbage");
  Header h = PeekHeader(frame);
  EXPECT_EQ(h.tag, 42u);
  EXPECT_EQ(h.type, 3);
  EXPECT_EQ(PeekHeader("short").tag, 0u);
}

// ---- Fuzzing: malformed input only ever produces errors ----

// Decodes `payload` as every message type. Nothing may crash; whatever decodes must re-encode
// to something that decodes to the same value.
size_t DecodeAsEverything(std::string_view payload) {
  size_t decoded = 0;
  std::apply(
      [&](const auto&... m) {
        (
            [&](const auto& sample) {
              using M = std::decay_t<decltype(sample)>;
              util::ErrnoOr<M> got = M::Decode(payload);
              if (!got.ok()) {
                int e = got.error().value();
                EXPECT_TRUE(e == EPROTO || e == EINVAL) << e;
                return;
              }
              ++decoded;
              Encoder e;
              got->Encode(e);
              ASSERT_TRUE(e.ok());
              util::ErrnoOr<M> again = M::Decode(e.data());
              ASSERT_TRUE(again.ok());
              EXPECT_TRUE(*again == *got);
            }(m),
            ...);
      },
      AllSamples());
  return decoded;
}

std::vector<std::string> SampleFrames() {
  std::vector<std::string> frames;
  uint64_t tag = 1;
  std::apply(
      [&](const auto&... m) {
        (frames.push_back(
             EncodeFrame(std::decay_t<decltype(m)>::kType, tag++, 0, EncodePayload(m))),
         ...);
      },
      AllSamples());
  return frames;
}

TEST(ProtocolFuzzTest, RandomBytes) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 3000; ++i) {
    std::string bytes(rng() % 400, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (i % 2 == 0 && bytes.size() >= kHeaderSize) {
      // Give half of them a valid-looking header so the payload decoders get exercised.
      std::string frame = EncodeFrame(static_cast<uint16_t>(rng() % 25), rng(), 0,
                                      std::string_view(bytes).substr(kHeaderSize));
      bytes = frame;
    }
    util::ErrnoOr<Frame> f = ParseFrame(bytes);
    if (f.ok()) DecodeAsEverything(f->payload);
    DecodeAsEverything(bytes);
  }
}

TEST(ProtocolFuzzTest, TruncatedFramesAreRejected) {
  for (const std::string& frame : SampleFrames()) {
    const size_t step = frame.size() > 1000 ? 131 : 1;
    for (size_t n = 0; n < frame.size(); n += step) {
      util::ErrnoOr<Frame> f = ParseFrame(std::string_view(frame).substr(0, n));
      ASSERT_FALSE(f.ok()) << n;
      EXPECT_EQ(f.error().value(), EPROTO);
    }
  }
}

TEST(ProtocolFuzzTest, BitFlips) {
  std::mt19937_64 rng(2);
  for (const std::string& frame : SampleFrames()) {
    for (int i = 0; i < 300; ++i) {
      std::string m = frame;
      int flips = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < flips; ++k) {
        size_t bit = rng() % (m.size() * 8);
        m[bit / 8] = static_cast<char>(m[bit / 8] ^ (1 << (bit % 8)));
      }
      util::ErrnoOr<Frame> f = ParseFrame(m);
      if (f.ok()) DecodeAsEverything(f->payload);
    }
  }
}

TEST(ProtocolFuzzTest, HugeLengthsAndCounts) {
  const uint32_t kLies[] = {0xffffffffu, 0x80000000u, 0x7fffffffu, 0x10000u, 0x1001u, 256u, 65u};
  for (const std::string& frame : SampleFrames()) {
    std::string payload = frame.substr(kHeaderSize);
    for (size_t at = 0; at + 4 <= payload.size() && at < 400; ++at) {
      for (uint32_t lie : kLies) {
        std::string m = payload;
        for (int b = 0; b < 4; ++b) m[at + b] = static_cast<char>((lie >> (8 * b)) & 0xff);
        DecodeAsEverything(m);
      }
    }
  }
}

TEST(ProtocolFuzzTest, FramesBeyondTheLimitAreRejected) {
  std::string big = EncodeFrame(MessageType::kSetXattr, 1, 0, std::string(kMaxPayloadSize, 'a'));
  EXPECT_TRUE(ParseFrame(big).ok());
  big.push_back('a');
  EXPECT_FALSE(ParseFrame(big).ok());
  // A header claiming a 4 GiB payload on a short datagram.
  std::string liar = EncodeFrame(MessageType::kStat, 1, 0, "");
  liar[16] = liar[17] = liar[18] = liar[19] = static_cast<char>(0xff);
  EXPECT_FALSE(ParseFrame(liar).ok());
}

TEST(ProtocolTest, OversizedFieldsCannotBeEncoded) {
  Encoder e;
  WalkRequest{.handle = 1, .names = std::vector<std::string>(kMaxWalkNames + 1, "a")}.Encode(e);
  EXPECT_FALSE(e.ok());
  Encoder e2;
  SetXattrRequest{.handle = 1, .name = "user.x", .value = std::string(kMaxXattrValue + 1, 'v')}
      .Encode(e2);
  EXPECT_FALSE(e2.ok());
  Encoder e3;
  WalkResponse{.walked = {}, .error = -1}.Encode(e3);
  EXPECT_FALSE(e3.ok());
}

}  // namespace
}  // namespace gofer
