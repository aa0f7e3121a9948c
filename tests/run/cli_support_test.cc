#include "keyattest/run/cli_support.h"

#include <gtest/gtest.h>

namespace keyattest {
namespace {

using Args = std::vector<std::string>;

TEST(NormalizeLegacyOptionsTest, MapsDashAf) {
  EXPECT_EQ(NormalizeLegacyOptions({"prog", "-af", "x.json", "-v"}),
            (Args{"prog", "--attestation-file", "x.json", "-v"}));
}
TEST(NormalizeLegacyOptionsTest, MapsDashAfEquals) {
  EXPECT_EQ(NormalizeLegacyOptions({"prog", "-af=x.json"}), (Args{"prog", "--attestation-file=x.json"}));
}
TEST(NormalizeLegacyOptionsTest, LeavesOtherOptionsAndProgramName) {
  EXPECT_EQ(NormalizeLegacyOptions({"-af", "-a", "-afx", "--af"}), (Args{"-af", "-a", "-afx", "--af"}));
}
TEST(NormalizeLegacyOptionsTest, StopsAtDoubleDash) {
  EXPECT_EQ(NormalizeLegacyOptions({"prog", "--", "-af"}), (Args{"prog", "--", "-af"}));
}

TEST(ParseRfc3339Test, ParsesUtc) { EXPECT_EQ(ParseRfc3339("2030-01-01T00:00:00Z"), std::time_t{1893456000}); }
TEST(ParseRfc3339Test, ParsesOffsetAndFraction) {
  EXPECT_EQ(ParseRfc3339("2030-01-01T02:30:00.123+02:30"), std::time_t{1893456000});
  EXPECT_EQ(ParseRfc3339("2029-12-31t23:00:00-01:00"), std::time_t{1893456000});
}
TEST(ParseRfc3339Test, RejectsMalformed) {
  for (const char* bad : {"", "2030-01-01", "2030-01-01T00:00:00", "2030-13-01T00:00:00Z", "2030-02-30T00:00:00Z",
                          "2029-02-29T00:00:00Z", "2030-01-01T24:00:00Z", "2030-01-01T00:00:00Zjunk",
                          "2030-01-01 00:00:00Z", "2030-01-01T00:00:00+2:00", "tomorrow"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseRfc3339("2028-02-29T00:00:00Z").has_value());
}

}  // namespace
}  // namespace keyattest
