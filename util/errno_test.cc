#include "util/errno.h"

#include <string>

#include "gtest/gtest.h"

namespace util {
namespace {

ErrnoOr<int> Half(int x) {
  if (x % 2) return Errno(EINVAL);
  return x / 2;
}

ErrnoOr<int> Quarter(int x) {
  ASSIGN_OR_RETURN_ERRNO(int h, Half(x));
  ASSIGN_OR_RETURN_ERRNO(int q, Half(h));
  return q;
}

ErrnoOrVoid CheckEven(int x) {
  RETURN_IF_ERRNO(Half(x));
  return {};
}

TEST(ErrnoOrTest, CarriesValueOrError) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).error(), Errno(EINVAL));
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).error().value(), EINVAL);
}

TEST(ErrnoOrTest, MovesNonCopyable) {
  ErrnoOr<std::unique_ptr<std::string>> p = std::make_unique<std::string>("x");
  ASSERT_TRUE(p.ok());
  std::unique_ptr<std::string> s = std::move(p).value();
  EXPECT_EQ(*s, "x");
}

}  // namespace
}  // namespace util
