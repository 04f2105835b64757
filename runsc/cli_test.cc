#include "runsc/cli.h"

#include "gtest/gtest.h"

namespace runsc {
namespace {

TEST(CommandLineTest, GlobalFlagsThenCommand) {
  auto cl = ParseCommandLine({"runsc", "--strace", "--platform=ptrace", "--debug-log", "/tmp/x",
                              "do", "--env", "A=B", "ls", "-l"});
  ASSERT_TRUE(cl.ok()) << cl.status();
  EXPECT_TRUE(cl->global.strace);
  EXPECT_EQ(cl->global.platform, "ptrace");
  EXPECT_EQ(cl->global.debug_log, "/tmp/x");
  EXPECT_EQ(cl->command, "do");
  auto f = ParseFlags(cl->args, {{"env", true}, {"cwd", true}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->GetAll("env"), std::vector<std::string>{"A=B"});
  // Flags of the guest command are not runsc's.
  EXPECT_EQ(f->positional, (std::vector<std::string>{"ls", "-l"}));
}

TEST(CommandLineTest, RejectsWhatItDoesNotKnow) {
  EXPECT_FALSE(ParseCommandLine({"runsc", "--bogus", "do"}).ok());
  EXPECT_FALSE(ParseCommandLine({"runsc"}).ok());
  EXPECT_FALSE(ParseCommandLine({"runsc", "--log-format=xml", "do"}).ok());
  EXPECT_FALSE(ParseCommandLine({"runsc", "--network=host", "create"}).ok());
  EXPECT_TRUE(ParseCommandLine({"runsc", "--network=none", "create"}).ok());
  EXPECT_FALSE(ParseFlags({"--nope", "x"}, {{"env", true}}).ok());
  EXPECT_FALSE(ParseFlags({"--env"}, {{"env", true}}).ok());
}

}  // namespace
}  // namespace runsc
