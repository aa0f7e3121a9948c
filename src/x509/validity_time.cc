#include "keyattest/x509/validity_time.h"

namespace keyattest {

namespace {

/// Days from 1970-01-01 to year-month-day of the proleptic Gregorian
/// calendar (March-based years, so that the leap day ends a year).
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

constexpr bool IsLeapYear(std::int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int DaysInMonth(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
}

/// The two digits at `p` as a number, or -1 when either is not a digit.
int TwoDigits(const unsigned char* p) {
  if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

}  // namespace

std::optional<std::int64_t> CertificateTimeSeconds(const ASN1_TIME* time) {
  if (time == nullptr) return std::nullopt;
  const int type = ASN1_STRING_type(time);
  const int length = ASN1_STRING_length(time);
  const unsigned char* text = ASN1_STRING_get0_data(time);
  std::int64_t year = 0;
  const unsigned char* rest = nullptr;  // "MMDDHHMMSSZ"
  if (type == V_ASN1_UTCTIME && length == 13) {
    const int yy = TwoDigits(text);
    if (yy < 0) return std::nullopt;
    year = yy < 50 ? 2000 + yy : 1900 + yy;  // RFC 5280 4.1.2.5.1
    rest = text + 2;
  } else if (type == V_ASN1_GENERALIZEDTIME && length == 15) {
    const int century = TwoDigits(text);
    const int yy = TwoDigits(text + 2);
    if (century < 0 || yy < 0) return std::nullopt;
    year = century * 100 + yy;
    rest = text + 4;
  } else {
    return std::nullopt;
  }
  const int month = TwoDigits(rest);
  const int day = TwoDigits(rest + 2);
  const int hour = TwoDigits(rest + 4);
  const int minute = TwoDigits(rest + 6);
  const int second = TwoDigits(rest + 8);
  if (rest[10] != 'Z' || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  return DaysSinceEpoch(year, month, day) * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
}

int CompareCertificateTime(const ASN1_TIME* time, std::int64_t at) {
  const std::optional<std::int64_t> seconds = CertificateTimeSeconds(time);
  if (!seconds) return 0;
  return *seconds > at ? 1 : -1;
}

}  // namespace keyattest
