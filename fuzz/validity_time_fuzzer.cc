// Fuzz target: certificate validity times (validity_time.h), differentially
// against OpenSSL's X509_cmp_time, which the path verifier no longer calls
// when it checks validity itself (docs/architecture.md "Time and trust are
// values"). The first input byte picks UTCTime or GeneralizedTime, the next
// eight a check time; the rest is the time's text.
//
// Properties: CompareCertificateTime gives X509_cmp_time's answer for every
// text at the check time and at the parsed time and one second either side;
// an accepted text gives seconds that format back to the same text.
#include <openssl/asn1.h>
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

#include "fuzz/fuzz_common.h"
#include "keyattest/x509/validity_time.h"

namespace keyattest::fuzz {
namespace {

/// The last second OpenSSL can format as a check time (year 9999), and the
/// first (year 0000); --at cannot name a time outside them either.
constexpr std::int64_t kLatest = 253402300799;
constexpr std::int64_t kEarliest = -62167219200;

void Compare(const ASN1_TIME* time, std::int64_t at, const std::string& text) {
  if (at < kEarliest || at > kLatest) return;
  std::time_t openssl_at = static_cast<std::time_t>(at);
  const int expected = X509_cmp_time(time, &openssl_at);
  const int ours = CompareCertificateTime(time, at);
  KEYATTEST_FUZZ_CHECK(ours == expected, "'" + text + "' at " + std::to_string(at) + ": ours " + std::to_string(ours) +
                                             ", X509_cmp_time " + std::to_string(expected));
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keyattest;
  using namespace keyattest::fuzz;
  if (size < 9) return 0;
  const int type = (data[0] & 1) != 0 ? V_ASN1_GENERALIZEDTIME : V_ASN1_UTCTIME;
  std::uint64_t raw_at = 0;
  std::memcpy(&raw_at, data + 1, sizeof(raw_at));
  const std::int64_t at =
      kEarliest + static_cast<std::int64_t>(raw_at % static_cast<std::uint64_t>(kLatest - kEarliest));
  const std::string text(reinterpret_cast<const char*>(data + 9), size - 9);
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_STRING_free)> time(ASN1_STRING_type_new(type), &ASN1_STRING_free);
  if (!time || ASN1_STRING_set(time.get(), text.data(), static_cast<int>(text.size())) != 1) return 0;
  Compare(time.get(), at, text);
  const std::optional<std::int64_t> seconds = CertificateTimeSeconds(time.get());
  if (seconds) {
    Compare(time.get(), *seconds - 1, text);
    Compare(time.get(), *seconds, text);
    Compare(time.get(), *seconds + 1, text);
    // Formatting the seconds back gives the same text (one second, one text).
    std::tm tm{};
    const std::time_t t = static_cast<std::time_t>(*seconds);
    KEYATTEST_FUZZ_CHECK(gmtime_r(&t, &tm) != nullptr, "gmtime_r failed for " + text);
    char buf[32];
    if (type == V_ASN1_UTCTIME) {
      (void)std::snprintf(buf, sizeof(buf), "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
    } else {
      (void)std::snprintf(buf, sizeof(buf), "%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
    }
    KEYATTEST_FUZZ_CHECK(text == buf, "'" + text + "' reads as " + std::to_string(*seconds) + ", which is " + buf);
  }
  return 0;
}
