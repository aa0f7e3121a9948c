// StaticText: a view of a literal, made at compile time only.
#include "keyattest/core/static_text.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace keyattest {
namespace {

// Text built at run time has no way in: no constructor takes a std::string
// or a std::string_view (and the one from const char* is consteval, so a
// run-time pointer does not compile either).
static_assert(!std::is_constructible_v<StaticText, std::string>);
static_assert(!std::is_constructible_v<StaticText, std::string_view>);
static_assert(StaticText("chain.owner").view() == "chain.owner");
static_assert(StaticText().empty());

constexpr StaticText kRole = "Marvell HSM card";

TEST(StaticTextTest, ViewsTheLiteralItself) {
  const std::string_view view = kRole;
  EXPECT_EQ(view, "Marvell HSM card");
  EXPECT_EQ(kRole.view().data(), view.data());  // no copy
  EXPECT_FALSE(kRole.empty());
  EXPECT_TRUE(StaticText().view().empty());
}

}  // namespace
}  // namespace keyattest
