#include "sentry/fsimpl/pipe/pipe.h"

#include <fcntl.h>

#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "sentry/fsimpl/sys/test_util.h"

namespace sentry::fsimpl::pipe {
namespace {

using kernfs::testing::Guest;
using util::Errno;
using util::ErrnoOr;

template <typename T>
int ErrnoOf(const ErrnoOr<T>& r) {
  return r.ok() ? 0 : r.error().value();
}

// Reads what the pipe holds (up to n bytes) through ReadInternal.
std::string ReadSome(vfs::FileDescription& f, size_t n) {
  std::string out(n, '\0');
  auto r = f.ReadInternal(out.data(), n, -1);
  if (!r.ok()) return "<errno " + std::to_string(r.error().value()) + ">";
  out.resize(*r);
  return out;
}

bool AlwaysInterrupt(void*) { return true; }

// Installs an interrupt check that always fires, for the life of the object.
class ScopedInterrupt {
 public:
  ScopedInterrupt() { vfs::SetInterruptCheck(&AlwaysInterrupt, nullptr); }
  ~ScopedInterrupt() { vfs::SetInterruptCheck(nullptr, nullptr); }
};

TEST(PipeTest, InternalWriteAndReadRoundTrip) {
  auto [r, w] = NewPipe(O_NONBLOCK);
  ASSERT_EQ(*w->WriteInternal("hello world", 11, -1), 11u);
  EXPECT_EQ(ReadSome(*r, 5), "hello");
  EXPECT_EQ(ReadSome(*r, 100), " world");
  EXPECT_EQ(ErrnoOf(r->ReadInternal(nullptr, 0, -1)), 0);  // nothing asked, nothing waited for
}

TEST(PipeTest, InternalAndGuestPathsShareTheBuffer) {
  Guest guest;
  ASSERT_TRUE(guest.ok());
  auto [r, w] = NewPipe(O_NONBLOCK);
  ASSERT_EQ(*guest.Write(*w, "guest:"), 6u);
  ASSERT_EQ(*w->WriteInternal("sentry", 6, -1), 6u);
  EXPECT_EQ(ReadSome(*r, 3), "gue");
  EXPECT_EQ(guest.Read(*r, 100), "st:sentry");
}

TEST(PipeTest, PositionedIoIsEspipeAndWrongEndIsEbadf) {
  auto [r, w] = NewPipe(0);
  char c = 'x';
  EXPECT_EQ(ErrnoOf(w->WriteInternal(&c, 1, 0)), ESPIPE);
  EXPECT_EQ(ErrnoOf(r->ReadInternal(&c, 1, 5)), ESPIPE);
  EXPECT_EQ(ErrnoOf(r->WriteInternal(&c, 1, -1)), EBADF);
  EXPECT_EQ(ErrnoOf(w->ReadInternal(&c, 1, -1)), EBADF);
}

TEST(PipeTest, NonblockingEmptyReadAndFullWriteAreEagain) {
  auto [r, w] = NewPipe(O_NONBLOCK);
  char c;
  EXPECT_EQ(ErrnoOf(r->ReadInternal(&c, 1, -1)), EAGAIN);
  std::string big(kDefaultCapacity + 100, 'a');
  // More than PIPE_BUF: as much as fits goes in.
  ASSERT_EQ(*w->WriteInternal(big.data(), big.size(), -1), kDefaultCapacity);
  EXPECT_EQ(ErrnoOf(w->WriteInternal("b", 1, -1)), EAGAIN);
  // Make room for less than a PIPE_BUF-sized write: it must not go in partly.
  ASSERT_EQ(ReadSome(*r, 10).size(), 10u);
  std::string atomic(kPipeBuf, 'c');
  EXPECT_EQ(ErrnoOf(w->WriteInternal(atomic.data(), atomic.size(), -1)), EAGAIN);
  EXPECT_EQ(*w->WriteInternal(atomic.data(), 10, -1), 10u);
}

TEST(PipeTest, EofWithoutWritersAndEpipeWithoutReaders) {
  {
    auto [r, w] = NewPipe(0);
    ASSERT_EQ(*w->WriteInternal("x", 1, -1), 1u);
    w.reset();
    EXPECT_EQ(ReadSome(*r, 10), "x");
    EXPECT_EQ(ReadSome(*r, 10), "");  // EOF, even though blocking
  }
  {
    auto [r, w] = NewPipe(0);
    r.reset();
    EXPECT_EQ(ErrnoOf(w->WriteInternal("x", 1, -1)), EPIPE);
  }
}

TEST(PipeTest, BlockingReadWaitsForAWriter) {
  auto [r, w] = NewPipe(0);
  std::string got;
  std::thread reader([&r = r, &got] { got = ReadSome(*r, 10); });
  ASSERT_EQ(*w->WriteInternal("late", 4, -1), 4u);
  reader.join();
  EXPECT_EQ(got, "late");
}

TEST(PipeTest, BlockingWriteWaitsForRoom) {
  auto [r, w] = NewPipe(0);
  std::string big(kDefaultCapacity + 1000, 'z');
  ErrnoOr<size_t> wrote = size_t{0};
  std::thread writer(
      [&w = w, &big, &wrote] { wrote = w->WriteInternal(big.data(), big.size(), -1); });
  std::string all;
  while (all.size() < big.size()) {
    std::string piece = ReadSome(*r, 8192);
    ASSERT_FALSE(piece.empty());
    all += piece;
  }
  writer.join();
  ASSERT_TRUE(wrote.ok());
  EXPECT_EQ(*wrote, big.size());
  EXPECT_EQ(all, big);
}

TEST(PipeTest, BlockingWaitsAreInterruptible) {
  auto [r, w] = NewPipe(0);
  ScopedInterrupt interrupt;
  char c;
  EXPECT_EQ(ErrnoOf(r->ReadInternal(&c, 1, -1)), EINTR);
  std::string big(kDefaultCapacity, 'a');
  ASSERT_EQ(*w->WriteInternal(big.data(), big.size(), -1), kDefaultCapacity);
  EXPECT_EQ(ErrnoOf(w->WriteInternal("b", 1, -1)), EINTR);
  // A write interrupted after some progress reports the progress.
  ASSERT_EQ(ReadSome(*r, 100).size(), 100u);
  EXPECT_EQ(*w->WriteInternal(big.data(), 5000, -1), 100u);
}

TEST(PipeTest, GuestFaultsStillGiveEfaultOrAShortCount) {
  Guest guest;
  ASSERT_TRUE(guest.ok());
  auto [r, w] = NewPipe(O_NONBLOCK);
  const mm::UserAddr bad(0x1000);
  EXPECT_EQ(ErrnoOf(w->Write(guest.mm(), {{bad, 4}}, -1)), EFAULT);
  EXPECT_EQ(*guest.Write(*w, "abcd"), 4u);
  // A faulting second piece of a read vector: the first piece's bytes count.
  EXPECT_EQ(ErrnoOf(r->Read(guest.mm(), {{bad, 2}}, -1)), EFAULT);
  auto n = r->Read(guest.mm(), {{guest.buf(), 2}, {bad, 2}}, -1);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(ReadSome(*r, 10), "cd");
  // A write vector faulting part-way puts in the readable part.
  ASSERT_TRUE(guest.mm().CopyOut(guest.buf(), "xy", 2).ok());
  n = w->Write(guest.mm(), {{guest.buf(), 2}, {bad, 2}}, -1);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2u);
  EXPECT_EQ(ReadSome(*r, 10), "xy");
}

}  // namespace
}  // namespace sentry::fsimpl::pipe
