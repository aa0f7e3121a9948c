#include "keyattest/x509/validity_time.h"

#include "keyattest/core/civil_time.h"

namespace keyattest {

namespace {

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
  if (rest[10] != 'Z' || !IsValidDate(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59) {
    return std::nullopt;
  }
  return SecondsSinceEpoch(year, month, day, hour, minute, second);
}

int CompareCertificateTime(const ASN1_TIME* time, std::int64_t at) {
  const std::optional<std::int64_t> seconds = CertificateTimeSeconds(time);
  if (!seconds) return 0;
  return *seconds > at ? 1 : -1;
}

}  // namespace keyattest
