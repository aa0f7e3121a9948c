// Calendar dates and times of day as seconds since the Unix epoch, in the
// proleptic Gregorian calendar (UTC, no leap seconds): the one conversion
// shared by the RFC 3339 reader (--at) and certificate validity times.
#pragma once

#include <cstdint>

namespace keyattest {

constexpr bool IsLeapYear(std::int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

/// True when year-month-day names a real day (month 1-12, day within it).
constexpr bool IsValidDate(std::int64_t year, int month, int day) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
}

/// Days from 1970-01-01 to a valid date (March-based years, so that the
/// leap day ends a year).
constexpr std::int64_t DaysSinceEpoch(std::int64_t year, int month, int day) {
  const std::int64_t y = month <= 2 ? year - 1 : year;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const int shifted_month = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}
static_assert(DaysSinceEpoch(1970, 1, 1) == 0);
static_assert(DaysSinceEpoch(2000, 3, 1) == 11017);
static_assert(DaysSinceEpoch(1950, 1, 1) == -7305);

/// The date of a day counted from 1970-01-01: DaysSinceEpoch's inverse.
struct CivilDate {
  std::int64_t year = 1970;
  int month = 1;
  int day = 1;
};
constexpr CivilDate DateOfDaysSinceEpoch(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March is 0
  CivilDate date;
  date.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  date.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  date.year = year_of_era + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}
static_assert(DateOfDaysSinceEpoch(0).year == 1970 && DateOfDaysSinceEpoch(0).month == 1);
static_assert(DateOfDaysSinceEpoch(11016).month == 2 && DateOfDaysSinceEpoch(11016).day == 29);  // 2000-02-29
static_assert(DateOfDaysSinceEpoch(-7305).year == 1950 && DateOfDaysSinceEpoch(-7306).year == 1949);

/// Seconds since the epoch of a valid date and time of day.
constexpr std::int64_t SecondsSinceEpoch(std::int64_t year, int month, int day, int hour, int minute, int second) {
  return DaysSinceEpoch(year, month, day) * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
}

}  // namespace keyattest
