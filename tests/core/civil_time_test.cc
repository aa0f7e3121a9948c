// The one calendar conversion (civil_time.h) against glibc's timegm over
// years 0 to 9999, and its date validity against the month lengths.
#include "keyattest/core/civil_time.h"

#include <gtest/gtest.h>

#include <ctime>

namespace keyattest {
namespace {

TEST(CivilTimeTest, AgreesWithTimegmOverTenThousandYears) {
  int compared = 0;
  for (int year = 0; year <= 9999; year += 7) {
    for (int month = 1; month <= 12; ++month) {
      for (int day : {1, 28}) {
        std::tm tm{};
        tm.tm_year = year - 1900;
        tm.tm_mon = month - 1;
        tm.tm_mday = day;
        tm.tm_hour = 23;
        tm.tm_min = 59;
        tm.tm_sec = 58;
        ASSERT_EQ(SecondsSinceEpoch(year, month, day, 23, 59, 58), static_cast<std::int64_t>(timegm(&tm)))
            << year << "-" << month << "-" << day;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 1429 * 24);
}

TEST(CivilTimeTest, ValidDatesFollowTheGregorianLeapRule) {
  EXPECT_TRUE(IsValidDate(2000, 2, 29));   // divisible by 400
  EXPECT_FALSE(IsValidDate(1900, 2, 29));  // by 100, not 400
  EXPECT_TRUE(IsValidDate(2024, 2, 29));
  EXPECT_FALSE(IsValidDate(2025, 2, 29));
  EXPECT_TRUE(IsValidDate(2025, 12, 31));
  EXPECT_FALSE(IsValidDate(2025, 4, 31));
  EXPECT_FALSE(IsValidDate(2025, 0, 1));
  EXPECT_FALSE(IsValidDate(2025, 13, 1));
  EXPECT_FALSE(IsValidDate(2025, 1, 0));
}

}  // namespace
}  // namespace keyattest
