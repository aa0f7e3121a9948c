// The one calendar conversion (civil_time.h) against glibc's timegm and
// gmtime_r over years 0 to 9999, its date validity against the month
// lengths, and the RFC 3339 writer against strftime.
#include "keyattest/core/civil_time.h"
#include "keyattest/core/rfc3339.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <limits>
#include <random>
#include <string>

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

/// The same text from glibc's calendar: four-digit years from 0 to 9999
/// (strftime's %Y writes year 999 as "999"), strftime's text outside them.
std::string GlibcRfc3339(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  const int year = tm.tm_year + 1900;
  if (year < 0 || year > 9999) {
    (void)std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  } else {
    (void)std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                        tm.tm_min, tm.tm_sec);
  }
  return buf;
}

TEST(CivilTimeTest, DatesOfDaysAgreeWithGmtimeOverTenThousandYears) {
  const std::int64_t first = DaysSinceEpoch(0, 1, 1);
  const std::int64_t last = DaysSinceEpoch(9999, 12, 31);
  for (std::int64_t days = first; days <= last; ++days) {
    const std::time_t t = static_cast<std::time_t>(days * 86400);
    std::tm tm{};
    ASSERT_NE(gmtime_r(&t, &tm), nullptr);
    const CivilDate date = DateOfDaysSinceEpoch(days);
    ASSERT_EQ(date.year, tm.tm_year + 1900) << days;
    ASSERT_EQ(date.month, tm.tm_mon + 1) << days;
    ASSERT_EQ(date.day, tm.tm_mday) << days;
    ASSERT_EQ(DaysSinceEpoch(date.year, date.month, date.day), days);
  }
}

TEST(CivilTimeTest, Rfc3339TextAgreesWithGlibc) {
  const std::time_t first = static_cast<std::time_t>(DaysSinceEpoch(0, 1, 1) * 86400);
  const std::time_t last = static_cast<std::time_t>(DaysSinceEpoch(9999, 12, 31) * 86400 + 86399);
  for (std::time_t t : {std::time_t{0}, std::time_t{-1}, std::time_t{86399}, std::time_t{86400}, std::time_t{951782400},
                        std::time_t{1704067199}, first, first - 1, last, last + 1, std::time_t{-86401},
                        std::numeric_limits<std::time_t>::min(), std::numeric_limits<std::time_t>::max()}) {
    EXPECT_EQ(FormatRfc3339(t), GlibcRfc3339(t)) << t;
  }
  EXPECT_EQ(FormatRfc3339(1704067200), "2024-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(first), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(-30610224001), "0999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(first - 1), "-1-12-31T23:59:59Z");  // no RFC 3339 year: as strftime writes it
  EXPECT_EQ(FormatRfc3339(last), "9999-12-31T23:59:59Z");
  std::mt19937_64 random(20261201);
  std::uniform_int_distribution<std::int64_t> any_time(first - 86400 * 400, last + 86400 * 400);
  for (int i = 0; i < 200000; ++i) {
    const auto t = static_cast<std::time_t>(any_time(random));
    ASSERT_EQ(FormatRfc3339(t), GlibcRfc3339(t)) << t;
  }
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
