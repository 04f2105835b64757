#include "gofer/protocol.h"

#include <array>

namespace gofer {
namespace {

constexpr std::array<std::string_view, kMaxMessageType + 1> kTypeNames = {
    "",       "Version",  "Attach",   "Walk",      "Stat",        "Open",     "OpenAt",   "Mkdir",
    "Mknod",  "Symlink",  "Link",     "Unlink",    "Rename",      "Readlink", "Getdents", "SetAttr",
    "StatFs", "GetXattr", "SetXattr", "ListXattr", "RemoveXattr", "Close",
};

// The fixed header, written and read field by field (no struct punning).
template <typename S, typename F>
void HeaderFields(S& h, F& f) {
  f.U32(h.magic);
  f.U16(h.version);
  f.U16(h.type);
  f.U64(h.tag);
  f.U32(h.payload_len);
  f.I32(h.error);
}

}  // namespace

std::string_view MessageTypeName(uint16_t type) {
  type &= static_cast<uint16_t>(~kResponseBit);
  return type < kTypeNames.size() ? kTypeNames[type] : std::string_view();
}

std::string EncodeFrame(uint16_t type, uint64_t tag, int32_t error, std::string_view payload) {
  if (error != 0) payload = {};
  Header h{.type = type,
           .tag = tag,
           .payload_len = static_cast<uint32_t>(payload.size()),
           .error = error};
  Encoder e;
  HeaderFields(h, e);
  e.RawBytes(payload);
  return e.Take();
}

Header PeekHeader(std::string_view datagram) {
  Header h{.magic = 0, .version = 0};
  if (datagram.size() < kHeaderSize) return h;
  Decoder d(datagram.substr(0, kHeaderSize));
  HeaderFields(h, d);
  return h;
}

util::ErrnoOr<Frame> ParseFrame(std::string_view datagram) {
  if (datagram.size() < kHeaderSize || datagram.size() > kMaxFrameSize) {
    return util::Errno(EPROTO);
  }
  Frame f;
  Decoder d(datagram.substr(0, kHeaderSize));
  HeaderFields(f.header, d);
  RETURN_IF_ERRNO(d.Finish());
  const Header& h = f.header;
  if (h.magic != kMagic || h.version != kProtocolVersion) return util::Errno(EPROTO);
  if (h.payload_len != datagram.size() - kHeaderSize) return util::Errno(EPROTO);
  if (h.error < 0 || h.error > kMaxErrno) return util::Errno(EPROTO);
  if (h.error != 0 && h.payload_len != 0) return util::Errno(EPROTO);
  f.payload = datagram.substr(kHeaderSize);
  return f;
}

}  // namespace gofer
