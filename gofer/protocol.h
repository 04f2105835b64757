// The gofer wire protocol, version 1: what the sentry's gofer client and the gofer process say
// to each other over a SOCK_SEQPACKET socket. See gofer/README.md for the message table.
//
// Every message is one datagram: a fixed 24-byte little-endian header, then the payload.
//
//   offset size field
//        0    4 magic        'G' 'O' 'F' '1' (kMagic read as a little-endian u32)
//        4    2 version      kProtocolVersion
//        6    2 type         a MessageType; a response is the request's type | kResponseBit
//        8    8 tag          chosen by the client, echoed in the response
//       16    4 payload_len  bytes after the header; must equal the datagram's remainder
//       20    4 error        0, or a positive Linux errno (responses only; then no payload)
//
// A response that carries a host file descriptor (Open, OpenAt) sends it with SCM_RIGHTS in the
// same datagram. Integers in payloads are little-endian; strings and arrays are a u32 length or
// count followed by the bytes or elements (gofer/codec.h).
//
// Usage (what Client and Serve do):
//   WalkRequest req{.handle = root, .names = {"usr", "bin"}};
//   Encoder e;
//   req.Encode(e);
//   std::string frame = EncodeFrame(WalkRequest::kType, tag, 0, e.data());
//   ...
//   ASSIGN_OR_RETURN_ERRNO(Frame f, ParseFrame(datagram));
//   ASSIGN_OR_RETURN_ERRNO(WalkRequest got, WalkRequest::Decode(f.payload));
#ifndef GOFER_PROTOCOL_H_
#define GOFER_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gofer/codec.h"
#include "util/errno.h"

namespace gofer {

inline constexpr uint32_t kMagic = 0x31464f47;  // "GOF1" in memory.
inline constexpr uint16_t kProtocolVersion = 1;
inline constexpr size_t kHeaderSize = 24;
// Largest payload either side sends or accepts. Fits an xattr value (64 KiB) with room to
// spare and stays well below the default AF_UNIX send buffer.
inline constexpr size_t kMaxPayloadSize = 128 * 1024;
inline constexpr size_t kMaxFrameSize = kHeaderSize + kMaxPayloadSize;
inline constexpr uint16_t kResponseBit = 0x8000;
// Errors travel as positive errnos below MAX_ERRNO.
inline constexpr int32_t kMaxErrno = 4095;

// Limits on variable-size fields.
inline constexpr size_t kMaxWalkNames = 64;
inline constexpr size_t kMaxCloseHandles = 1024;
inline constexpr size_t kMaxDirents = 1024;
inline constexpr size_t kMaxXattrValue = 64 * 1024;      // XATTR_SIZE_MAX.
inline constexpr size_t kMaxXattrNames = 64 * 1024 / 2;  // XATTR_LIST_MAX of 1-byte names.
// Payload bytes a Getdents or ListXattr response fills at most; keeps every response below
// kMaxPayloadSize whatever the names.
inline constexpr size_t kMaxListPayload = 96 * 1024;

// uid/gid value meaning "leave unchanged" (as for chown(2)).
inline constexpr uint32_t kNoId = 0xffffffff;

// Message types: numbered, never renumbered. Add new ones at the end.
enum class MessageType : uint16_t {
  kVersion = 1,
  kAttach = 2,
  kWalk = 3,
  kStat = 4,
  kOpen = 5,
  kOpenAt = 6,
  kMkdir = 7,
  kMknod = 8,
  kSymlink = 9,
  kLink = 10,
  kUnlink = 11,
  kRename = 12,
  kReadlink = 13,
  kGetdents = 14,
  kSetAttr = 15,
  kStatFs = 16,
  kGetXattr = 17,
  kSetXattr = 18,
  kListXattr = 19,
  kRemoveXattr = 20,
  kClose = 21,
};
inline constexpr uint16_t kMaxMessageType = 21;

// "Walk", or "" for an unknown type (the response bit is ignored).
std::string_view MessageTypeName(uint16_t type);

struct Header {
  uint32_t magic = kMagic;
  uint16_t version = kProtocolVersion;
  uint16_t type = 0;
  uint64_t tag = 0;
  uint32_t payload_len = 0;
  int32_t error = 0;
};

// A parsed datagram; payload points into the datagram.
struct Frame {
  Header header;
  std::string_view payload;
};

// Builds a datagram. `error` must be 0 or a positive errno; a non-zero error drops the payload.
std::string EncodeFrame(uint16_t type, uint64_t tag, int32_t error, std::string_view payload);
inline std::string EncodeFrame(MessageType type, uint64_t tag, int32_t error,
                               std::string_view payload) {
  return EncodeFrame(static_cast<uint16_t>(type), tag, error, payload);
}
inline uint16_t ResponseType(MessageType t) {
  return static_cast<uint16_t>(static_cast<uint16_t>(t) | kResponseBit);
}

// Checks the header: magic, version, payload_len against the datagram's size and
// kMaxPayloadSize, error in [0, kMaxErrno], and no payload with an error. EPROTO otherwise.
// Does not check the type.
util::ErrnoOr<Frame> ParseFrame(std::string_view datagram);
// Reads whatever header fields fit, for answering a frame ParseFrame refused (tag and type are
// zero if the datagram is shorter than a header).
Header PeekHeader(std::string_view datagram);

namespace internal {
template <typename M>
util::ErrnoOr<M> DecodeMessage(std::string_view payload) {
  Decoder d(payload);
  M m{};
  M::Fields(m, d);
  RETURN_IF_ERRNO(d.Finish());
  return m;
}
}  // namespace internal

// Every message below is an aggregate with the same shape:
//   static constexpr MessageType kType;
//   template <typename S, typename F> static void Fields(S& m, F& f);  // the wire layout
//   void Encode(Encoder&) const;
//   static util::ErrnoOr<M> Decode(std::string_view payload);  // whole payload, no trailing bytes
// Fields() is the single description of the layout, used by both directions.

// ---- Shared structures ----

struct Timestamp {
  int64_t sec = 0;
  uint32_t nsec = 0;  // < 1e9, or UTIME_NOW / UTIME_OMIT in SetAttr.
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.I64(m.sec);
    f.U32(m.nsec);
  }
  bool operator==(const Timestamp&) const = default;
};

// A file's attributes: the basic fields of statx.
struct Attributes {
  uint32_t mode = 0;  // S_IFMT type bits and permission bits.
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t nlink = 0;
  uint64_t ino = 0;
  uint64_t dev = 0;  // Encoded as stat's st_dev (makedev(major, minor)).
  uint64_t rdev = 0;
  uint64_t size = 0;
  uint64_t blocks = 0;  // 512-byte blocks.
  uint32_t blksize = 0;
  Timestamp atime{};
  Timestamp mtime{};
  Timestamp ctime{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U32(m.mode);
    f.U32(m.uid);
    f.U32(m.gid);
    f.U32(m.nlink);
    f.U64(m.ino);
    f.U64(m.dev);
    f.U64(m.rdev);
    f.U64(m.size);
    f.U64(m.blocks);
    f.U32(m.blksize);
    f.Struct(m.atime);
    f.Struct(m.mtime);
    f.Struct(m.ctime);
  }
  bool operator==(const Attributes&) const = default;
};

// A handle the gofer chose, with the attributes of the file it names.
struct Inode {
  uint64_t handle = 0;
  Attributes attr{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.Struct(m.attr);
  }
  bool operator==(const Inode&) const = default;
};

struct Dirent {
  uint64_t ino = 0;
  uint64_t next = 0;  // Cookie to pass to Getdents to continue after this entry.
  uint8_t type = 0;   // DT_*.
  std::string name;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.ino);
    f.U64(m.next);
    f.U8(m.type);
    f.Name(m.name);
  }
  bool operator==(const Dirent&) const = default;
};

struct StatFsInfo {
  uint64_t type = 0;  // f_type magic.
  uint64_t bsize = 0;
  uint64_t blocks = 0;
  uint64_t bfree = 0;
  uint64_t bavail = 0;
  uint64_t files = 0;
  uint64_t ffree = 0;
  uint64_t namelen = 0;
  uint64_t frsize = 0;
  uint64_t flags = 0;  // ST_*.
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.type);
    f.U64(m.bsize);
    f.U64(m.blocks);
    f.U64(m.bfree);
    f.U64(m.bavail);
    f.U64(m.files);
    f.U64(m.ffree);
    f.U64(m.namelen);
    f.U64(m.frsize);
    f.U64(m.flags);
  }
  bool operator==(const StatFsInfo&) const = default;
};

namespace internal {
inline constexpr auto kNameElement = [](auto& f, auto& s) { f.Name(s); };
inline constexpr auto kU64Element = [](auto& f, auto& v) { f.U64(v); };
inline constexpr auto kStructElement = [](auto& f, auto& v) { f.Struct(v); };
}  // namespace internal

#define GOFER_MESSAGE_BOILERPLATE_(M)                                                          \
  void Encode(Encoder& e) const { Fields(*this, e); }                                          \
  static util::ErrnoOr<M> Decode(std::string_view p) { return internal::DecodeMessage<M>(p); } \
  bool operator==(const M&) const = default

// ---- Messages ----

// Version: agree on a protocol version. Optional; a client may send it first.
struct VersionRequest {
  static constexpr MessageType kType = MessageType::kVersion;
  uint16_t min_version = kProtocolVersion;
  uint16_t max_version = kProtocolVersion;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U16(m.min_version);
    f.U16(m.max_version);
  }
  GOFER_MESSAGE_BOILERPLATE_(VersionRequest);
};
struct VersionResponse {
  static constexpr MessageType kType = MessageType::kVersion;
  uint16_t version = kProtocolVersion;
  uint32_t max_payload = kMaxPayloadSize;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U16(m.version);
    f.U32(m.max_payload);
  }
  GOFER_MESSAGE_BOILERPLATE_(VersionResponse);
};

// Attach: a new handle on the root directory.
struct AttachRequest {
  static constexpr MessageType kType = MessageType::kAttach;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(AttachRequest);
};
struct AttachResponse {
  static constexpr MessageType kType = MessageType::kAttach;
  Inode root{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.root);
  }
  GOFER_MESSAGE_BOILERPLATE_(AttachResponse);
};

// Walk: from a directory handle, one component at a time, never following a symlink. The
// response has one Inode per component walked. It stops early either at a symlink (returned as
// the last Inode, error 0: the sentry resolves it) or at the first component that fails
// (error = its errno; the Inodes before it are still valid handles).
struct WalkRequest {
  static constexpr MessageType kType = MessageType::kWalk;
  uint64_t handle = 0;
  std::vector<std::string> names;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.Array(m.names, kMaxWalkNames, internal::kNameElement);
  }
  GOFER_MESSAGE_BOILERPLATE_(WalkRequest);
};
struct WalkResponse {
  static constexpr MessageType kType = MessageType::kWalk;
  std::vector<Inode> walked;
  int32_t error = 0;  // errno of the component after the last walked one, or 0.
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Array(m.walked, kMaxWalkNames, internal::kStructElement);
    f.I32(m.error);
    if (m.error < 0 || m.error > kMaxErrno) f.Fail(EPROTO);
  }
  GOFER_MESSAGE_BOILERPLATE_(WalkResponse);
};

// Stat: a handle's current attributes.
struct StatRequest {
  static constexpr MessageType kType = MessageType::kStat;
  uint64_t handle = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
  }
  GOFER_MESSAGE_BOILERPLATE_(StatRequest);
};
struct StatResponse {
  static constexpr MessageType kType = MessageType::kStat;
  Attributes attr{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.attr);
  }
  GOFER_MESSAGE_BOILERPLATE_(StatResponse);
};

// Open: a host fd for I/O on an existing handle (donated with SCM_RIGHTS). flags are open(2)
// flags without O_CREAT/O_EXCL/O_PATH/O_TMPFILE.
struct OpenRequest {
  static constexpr MessageType kType = MessageType::kOpen;
  uint64_t handle = 0;
  uint32_t flags = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.U32(m.flags);
  }
  GOFER_MESSAGE_BOILERPLATE_(OpenRequest);
};
struct OpenResponse {
  static constexpr MessageType kType = MessageType::kOpen;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(OpenResponse);
};

// OpenAt: open (with O_CREAT: create) a regular file `name` in a directory; returns a handle on
// it, its attributes, and a host fd for I/O. uid/gid own a file it created (kNoId: the gofer's).
struct OpenAtRequest {
  static constexpr MessageType kType = MessageType::kOpenAt;
  uint64_t dir = 0;
  std::string name;
  uint32_t flags = 0;
  uint32_t mode = 0;
  uint32_t uid = kNoId;
  uint32_t gid = kNoId;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.Name(m.name);
    f.U32(m.flags);
    f.U32(m.mode);
    f.U32(m.uid);
    f.U32(m.gid);
  }
  GOFER_MESSAGE_BOILERPLATE_(OpenAtRequest);
};
struct OpenAtResponse {
  static constexpr MessageType kType = MessageType::kOpenAt;
  Inode inode{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.inode);
  }
  GOFER_MESSAGE_BOILERPLATE_(OpenAtResponse);
};

// Mkdir, Mknod, Symlink and Link all answer with the new name's Inode.
struct MkdirRequest {
  static constexpr MessageType kType = MessageType::kMkdir;
  uint64_t dir = 0;
  std::string name;
  uint32_t mode = 0;  // Permission bits only.
  uint32_t uid = kNoId;
  uint32_t gid = kNoId;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.Name(m.name);
    f.U32(m.mode);
    f.U32(m.uid);
    f.U32(m.gid);
  }
  GOFER_MESSAGE_BOILERPLATE_(MkdirRequest);
};
struct MkdirResponse {
  static constexpr MessageType kType = MessageType::kMkdir;
  Inode inode{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.inode);
  }
  GOFER_MESSAGE_BOILERPLATE_(MkdirResponse);
};

// Mknod: only S_IFREG, S_IFIFO and S_IFSOCK (a type of 0 means S_IFREG); never a device.
struct MknodRequest {
  static constexpr MessageType kType = MessageType::kMknod;
  uint64_t dir = 0;
  std::string name;
  uint32_t mode = 0;
  uint32_t uid = kNoId;
  uint32_t gid = kNoId;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.Name(m.name);
    f.U32(m.mode);
    f.U32(m.uid);
    f.U32(m.gid);
  }
  GOFER_MESSAGE_BOILERPLATE_(MknodRequest);
};
struct MknodResponse {
  static constexpr MessageType kType = MessageType::kMknod;
  Inode inode{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.inode);
  }
  GOFER_MESSAGE_BOILERPLATE_(MknodResponse);
};

struct SymlinkRequest {
  static constexpr MessageType kType = MessageType::kSymlink;
  uint64_t dir = 0;
  std::string name;
  std::string target;  // Stored verbatim; never resolved by the gofer.
  uint32_t uid = kNoId;
  uint32_t gid = kNoId;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.Name(m.name);
    f.Path(m.target);
    f.U32(m.uid);
    f.U32(m.gid);
  }
  GOFER_MESSAGE_BOILERPLATE_(SymlinkRequest);
};
struct SymlinkResponse {
  static constexpr MessageType kType = MessageType::kSymlink;
  Inode inode{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.inode);
  }
  GOFER_MESSAGE_BOILERPLATE_(SymlinkResponse);
};

// Link: a new name `name` in `dir` for the (non-directory) file `target`.
struct LinkRequest {
  static constexpr MessageType kType = MessageType::kLink;
  uint64_t dir = 0;
  std::string name;
  uint64_t target = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.Name(m.name);
    f.U64(m.target);
  }
  GOFER_MESSAGE_BOILERPLATE_(LinkRequest);
};
struct LinkResponse {
  static constexpr MessageType kType = MessageType::kLink;
  Inode inode{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.inode);
  }
  GOFER_MESSAGE_BOILERPLATE_(LinkResponse);
};

// Unlink: flags 0 or AT_REMOVEDIR.
struct UnlinkRequest {
  static constexpr MessageType kType = MessageType::kUnlink;
  uint64_t dir = 0;
  std::string name;
  uint32_t flags = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.Name(m.name);
    f.U32(m.flags);
  }
  GOFER_MESSAGE_BOILERPLATE_(UnlinkRequest);
};
struct UnlinkResponse {
  static constexpr MessageType kType = MessageType::kUnlink;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(UnlinkResponse);
};

// Rename: flags 0, RENAME_NOREPLACE or RENAME_EXCHANGE.
struct RenameRequest {
  static constexpr MessageType kType = MessageType::kRename;
  uint64_t old_dir = 0;
  std::string old_name;
  uint64_t new_dir = 0;
  std::string new_name;
  uint32_t flags = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.old_dir);
    f.Name(m.old_name);
    f.U64(m.new_dir);
    f.Name(m.new_name);
    f.U32(m.flags);
  }
  GOFER_MESSAGE_BOILERPLATE_(RenameRequest);
};
struct RenameResponse {
  static constexpr MessageType kType = MessageType::kRename;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(RenameResponse);
};

struct ReadlinkRequest {
  static constexpr MessageType kType = MessageType::kReadlink;
  uint64_t handle = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
  }
  GOFER_MESSAGE_BOILERPLATE_(ReadlinkRequest);
};
struct ReadlinkResponse {
  static constexpr MessageType kType = MessageType::kReadlink;
  std::string target;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Path(m.target);
  }
  GOFER_MESSAGE_BOILERPLATE_(ReadlinkResponse);
};

// Getdents: up to max_entries entries of a directory, starting after `cookie` (0: from the
// start). "." and ".." are never returned. An empty answer means the end of the directory.
struct GetdentsRequest {
  static constexpr MessageType kType = MessageType::kGetdents;
  uint64_t dir = 0;
  uint64_t cookie = 0;
  uint32_t max_entries = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.dir);
    f.U64(m.cookie);
    f.U32(m.max_entries);
  }
  GOFER_MESSAGE_BOILERPLATE_(GetdentsRequest);
};
struct GetdentsResponse {
  static constexpr MessageType kType = MessageType::kGetdents;
  std::vector<Dirent> entries;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Array(m.entries, kMaxDirents, internal::kStructElement);
  }
  GOFER_MESSAGE_BOILERPLATE_(GetdentsResponse);
};

// SetAttr mask bits.
inline constexpr uint32_t kSetAttrMode = 1u << 0;
inline constexpr uint32_t kSetAttrUid = 1u << 1;
inline constexpr uint32_t kSetAttrGid = 1u << 2;
inline constexpr uint32_t kSetAttrSize = 1u << 3;
inline constexpr uint32_t kSetAttrAtime = 1u << 4;
inline constexpr uint32_t kSetAttrMtime = 1u << 5;
inline constexpr uint32_t kSetAttrAll = (1u << 6) - 1;

// SetAttr: change the fields in `mask`. Times take UTIME_NOW / UTIME_OMIT in nsec. Applied in
// the order size, owner, mode, times; answers with the attributes afterwards.
struct SetAttrRequest {
  static constexpr MessageType kType = MessageType::kSetAttr;
  uint64_t handle = 0;
  uint32_t mask = 0;
  uint32_t mode = 0;  // Permission bits only.
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint64_t size = 0;
  Timestamp atime{};
  Timestamp mtime{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.U32(m.mask);
    f.U32(m.mode);
    f.U32(m.uid);
    f.U32(m.gid);
    f.U64(m.size);
    f.Struct(m.atime);
    f.Struct(m.mtime);
  }
  GOFER_MESSAGE_BOILERPLATE_(SetAttrRequest);
};
struct SetAttrResponse {
  static constexpr MessageType kType = MessageType::kSetAttr;
  Attributes attr{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.attr);
  }
  GOFER_MESSAGE_BOILERPLATE_(SetAttrResponse);
};

struct StatFsRequest {
  static constexpr MessageType kType = MessageType::kStatFs;
  uint64_t handle = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
  }
  GOFER_MESSAGE_BOILERPLATE_(StatFsRequest);
};
struct StatFsResponse {
  static constexpr MessageType kType = MessageType::kStatFs;
  StatFsInfo info{};
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Struct(m.info);
  }
  GOFER_MESSAGE_BOILERPLATE_(StatFsResponse);
};

// Extended attributes. Names are 1..255 bytes, values at most 64 KiB.
struct GetXattrRequest {
  static constexpr MessageType kType = MessageType::kGetXattr;
  uint64_t handle = 0;
  std::string name;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.Name(m.name);
  }
  GOFER_MESSAGE_BOILERPLATE_(GetXattrRequest);
};
struct GetXattrResponse {
  static constexpr MessageType kType = MessageType::kGetXattr;
  std::string value;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Bytes(m.value, kMaxXattrValue);
  }
  GOFER_MESSAGE_BOILERPLATE_(GetXattrResponse);
};

// flags: 0, XATTR_CREATE or XATTR_REPLACE.
struct SetXattrRequest {
  static constexpr MessageType kType = MessageType::kSetXattr;
  uint64_t handle = 0;
  std::string name;
  std::string value;
  uint32_t flags = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.Name(m.name);
    f.Bytes(m.value, kMaxXattrValue);
    f.U32(m.flags);
  }
  GOFER_MESSAGE_BOILERPLATE_(SetXattrRequest);
};
struct SetXattrResponse {
  static constexpr MessageType kType = MessageType::kSetXattr;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(SetXattrResponse);
};

struct ListXattrRequest {
  static constexpr MessageType kType = MessageType::kListXattr;
  uint64_t handle = 0;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
  }
  GOFER_MESSAGE_BOILERPLATE_(ListXattrRequest);
};
struct ListXattrResponse {
  static constexpr MessageType kType = MessageType::kListXattr;
  std::vector<std::string> names;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Array(m.names, kMaxXattrNames, internal::kNameElement);
  }
  GOFER_MESSAGE_BOILERPLATE_(ListXattrResponse);
};

struct RemoveXattrRequest {
  static constexpr MessageType kType = MessageType::kRemoveXattr;
  uint64_t handle = 0;
  std::string name;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.U64(m.handle);
    f.Name(m.name);
  }
  GOFER_MESSAGE_BOILERPLATE_(RemoveXattrRequest);
};
struct RemoveXattrResponse {
  static constexpr MessageType kType = MessageType::kRemoveXattr;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(RemoveXattrResponse);
};

// Close: forget handles (closing their host fds). Unknown handles are skipped and make the
// answer EBADF; the known ones are closed regardless.
struct CloseRequest {
  static constexpr MessageType kType = MessageType::kClose;
  std::vector<uint64_t> handles;
  template <typename S, typename F>
  static void Fields(S& m, F& f) {
    f.Array(m.handles, kMaxCloseHandles, internal::kU64Element);
  }
  GOFER_MESSAGE_BOILERPLATE_(CloseRequest);
};
struct CloseResponse {
  static constexpr MessageType kType = MessageType::kClose;
  template <typename S, typename F>
  static void Fields(S&, F&) {}
  GOFER_MESSAGE_BOILERPLATE_(CloseResponse);
};

#undef GOFER_MESSAGE_BOILERPLATE_

}  // namespace gofer

#endif  // GOFER_PROTOCOL_H_
