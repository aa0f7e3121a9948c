// Saturating time arithmetic: exact inside the range, clamped at its bounds.
#include "keyattest/core/saturating.h"

#include <gtest/gtest.h>

namespace keyattest {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

TEST(SaturatingTest, ExactInsideTheRange) {
  EXPECT_EQ(SaturatingAdd(1893456000, 60), 1893456060);
  EXPECT_EQ(SaturatingSub(1893456000, 60), 1893455940);
  EXPECT_EQ(SaturatingSub(0, kMax), -kMax);
  EXPECT_EQ(SaturatingAdd(kMax, kMin), -1);
}

TEST(SaturatingTest, ClampsAtEitherBound) {
  EXPECT_EQ(SaturatingAdd(kMax, 1), kMax);
  EXPECT_EQ(SaturatingAdd(kMin, -1), kMin);
  EXPECT_EQ(SaturatingSub(1893456000, kMin), kMax);
  EXPECT_EQ(SaturatingSub(kMin, 1), kMin);
  EXPECT_EQ(SaturatingSub(-2, kMax), kMin);
}

}  // namespace
}  // namespace keyattest
