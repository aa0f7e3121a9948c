#include "keyattest/core/rfc3339.h"

#include <cctype>
#include <cstdint>

#include "keyattest/core/civil_time.h"

namespace keyattest {

std::optional<std::time_t> ParseRfc3339(const std::string& s) {
  auto digits = [&](std::size_t pos, std::size_t n, int* value) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
      v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(0, 4, &year) || s.size() < 20 || s[4] != '-' || !digits(5, 2, &month) || s[7] != '-' ||
      !digits(8, 2, &day) || (s[10] != 'T' && s[10] != 't') || !digits(11, 2, &hour) || s[13] != ':' ||
      !digits(14, 2, &minute) || s[16] != ':' || !digits(17, 2, &second)) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start) return std::nullopt;
  }
  long offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!digits(pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(pos + 4, 2, &om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  if (!IsValidDate(year, month, day) || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const int clamped = second == 60 ? 59 : second;  // leap second: clamp
  return static_cast<std::time_t>(SecondsSinceEpoch(year, month, day, hour, minute, clamped) - offset);
}

std::string FormatRfc3339(std::time_t t) {
  // Every report of a batch states its time: by arithmetic, without
  // gmtime_r (which takes glibc's time-zone lock) and strftime.
  // Floor division without overflow: any time_t may come from a token's
  // claims, the smallest one included.
  const std::int64_t seconds = t;
  std::int64_t days = seconds / 86400;
  std::int64_t remainder = seconds % 86400;
  if (remainder < 0) {
    --days;
    remainder += 86400;
  }
  const auto second_of_day = static_cast<int>(remainder);
  const CivilDate date = DateOfDaysSinceEpoch(days);
  if (date.year < 0 || date.year > 9999) {
    // RFC 3339 has four-digit years only; outside them, as strftime writes.
    struct tm tm {};
    gmtime_r(&t, &tm);
    char buf[48];
    (void)std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
  std::string text = "0000-00-00T00:00:00Z";
  auto put = [&text](std::size_t end, std::int64_t value, int width) {
    for (int i = 0; i < width; ++i, value /= 10)
      text[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  put(3, date.year, 4);
  put(6, date.month, 2);
  put(9, date.day, 2);
  put(12, second_of_day / 3600, 2);
  put(15, second_of_day / 60 % 60, 2);
  put(18, second_of_day % 60, 2);
  return text;
}

}  // namespace keyattest
