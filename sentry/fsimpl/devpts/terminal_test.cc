#include "sentry/fsimpl/devpts/terminal.h"

#include <string>
#include <utility>
#include <vector>

#include "abi/linux/signal.h"
#include "gtest/gtest.h"

namespace sentry::fsimpl::devpts {
namespace {

namespace L = abi_linux;

std::string ReadMaster(Terminal& t) {
  char buf[256];
  auto n = t.MasterRead(buf, sizeof(buf), /*nonblock=*/true);
  return n.ok() ? std::string(buf, *n) : std::string();
}

std::string ReadReplica(Terminal& t) {
  char buf[256];
  auto n = t.ReplicaRead(buf, sizeof(buf), /*nonblock=*/true);
  return n.ok() ? std::string(buf, *n) : std::string("<err>");
}

TEST(TerminalTest, CanonicalLinesAreEditedAndEchoed) {
  Terminal t(0, nullptr);
  EXPECT_FALSE(t.OpenReplica().ok());  // locked until unlocked
  t.set_locked(false);
  ASSERT_TRUE(t.OpenReplica().ok());
  std::string in =
      "ab\x7f"
      "c\r";
  ASSERT_EQ(*t.MasterWrite(in.data(), in.size(), true), in.size());
  EXPECT_EQ(ReadReplica(t), "ac\n");
  EXPECT_EQ(ReadMaster(t), "ab\b \bc\r\n");
  // VEOF at the start of a line reads as end of file.
  ASSERT_EQ(*t.MasterWrite("\x04", 1, true), 1u);
  EXPECT_EQ(ReadReplica(t), "");
  EXPECT_EQ(t.ReplicaRead(nullptr, 1, true).error().value(), EAGAIN);
}

TEST(TerminalTest, InterruptCharacterSignalsTheForegroundGroup) {
  std::vector<std::pair<int, int>> sent;
  Terminal t(3, [&](int pgid, int sig) { sent.emplace_back(pgid, sig); });
  t.set_locked(false);
  ASSERT_TRUE(t.OpenReplica().ok());
  t.set_session(TtySession{7, 9, nullptr});
  ASSERT_EQ(*t.MasterWrite("xy\x03", 3, true), 3u);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0], std::make_pair(9, L::kSIGINT));
  // The pending line was flushed; the echo shows ^C.
  EXPECT_EQ(t.ReplicaInputQueued(), 0u);
  EXPECT_EQ(ReadMaster(t), "xy^C");
  t.SetWinsize(L::Winsize{10, 20, 0, 0});
  EXPECT_EQ(sent.back(), std::make_pair(9, L::kSIGWINCH));
}

TEST(TerminalTest, RawModeAndHangup) {
  Terminal t(0, nullptr);
  t.set_locked(false);
  ASSERT_TRUE(t.OpenReplica().ok());
  L::Termios raw = t.termios();
  raw.c_lflag &= ~(L::kICANON | L::kECHO | L::kISIG);
  raw.c_iflag &= ~L::kICRNL;
  raw.c_oflag &= ~L::kOPOST;
  t.SetTermios(raw, false);
  ASSERT_EQ(*t.MasterWrite("a\r\x03", 3, true), 3u);
  EXPECT_EQ(ReadReplica(t), "a\r\x03");
  EXPECT_EQ(ReadMaster(t), "");
  ASSERT_EQ(*t.ReplicaWrite("x\n", 2, true), 2u);
  EXPECT_EQ(ReadMaster(t), "x\n");
  t.CloseMaster();
  EXPECT_EQ(ReadReplica(t), "");
  EXPECT_EQ(t.ReplicaWrite("x", 1, true).error().value(), EIO);
}

}  // namespace
}  // namespace sentry::fsimpl::devpts
