// CertificateTimeSeconds and CompareCertificateTime against OpenSSL's own
// X509_cmp_time, which they replace in the path verifier: the same answer
// for every well-formed and malformed time around every boundary.
#include "keyattest/x509/validity_time.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace keyattest {
namespace {

using Asn1TimePtr = std::unique_ptr<ASN1_TIME, decltype(&ASN1_STRING_free)>;

Asn1TimePtr MakeTime(int type, const std::string& text) {
  Asn1TimePtr t(ASN1_STRING_type_new(type), &ASN1_STRING_free);
  EXPECT_NE(t, nullptr);
  EXPECT_EQ(ASN1_STRING_set(t.get(), text.data(), static_cast<int>(text.size())), 1);
  return t;
}

std::optional<std::int64_t> Seconds(int type, const std::string& text) {
  return CertificateTimeSeconds(MakeTime(type, text).get());
}

TEST(ValidityTimeTest, ReadsUtcTimeWithRfc5280Centuries) {
  EXPECT_EQ(Seconds(V_ASN1_UTCTIME, "700101000000Z"), 0);
  EXPECT_EQ(Seconds(V_ASN1_UTCTIME, "491231235959Z"), 2524607999);  // 2049
  EXPECT_EQ(Seconds(V_ASN1_UTCTIME, "500101000000Z"), -631152000);  // 1950
  EXPECT_EQ(Seconds(V_ASN1_UTCTIME, "261130145429Z"), 1796050469);
}

TEST(ValidityTimeTest, ReadsGeneralizedTimeOfAnyYear) {
  EXPECT_EQ(Seconds(V_ASN1_GENERALIZEDTIME, "19700101000000Z"), 0);
  EXPECT_EQ(Seconds(V_ASN1_GENERALIZEDTIME, "99991231235959Z"), 253402300799);
  EXPECT_EQ(Seconds(V_ASN1_GENERALIZEDTIME, "20000229000000Z"), 951782400);  // 2000 is a leap year
  EXPECT_EQ(Seconds(V_ASN1_GENERALIZEDTIME, "16000301000000Z"), -11670912000);
}

TEST(ValidityTimeTest, RefusesEveryMalformedTime) {
  for (const char* bad :
       {"", "70010100000Z", "7001010000000Z", "700101000000z", "700101000000+", "700101000000.5Z", "7001010000+0100",
        "7a0101000000Z", "700001000000Z", "701301000000Z", "700100000000Z", "700132000000Z", "700230000000Z",
        "000229000000Z" /* 2000: leap */, "700101240000Z", "700101006000Z", "700101000060Z", " 70101000000Z"}) {
    const bool leap_day_2000 = std::string(bad) == "000229000000Z";
    EXPECT_EQ(Seconds(V_ASN1_UTCTIME, bad).has_value(), leap_day_2000) << bad;
  }
  EXPECT_FALSE(Seconds(V_ASN1_GENERALIZEDTIME, "19000229000000Z"));  // 1900 is not a leap year
  EXPECT_FALSE(Seconds(V_ASN1_GENERALIZEDTIME, "700101000000Z"));    // UTCTime text, GeneralizedTime type
  EXPECT_FALSE(Seconds(V_ASN1_UTCTIME, "19700101000000Z"));          // and the converse
  EXPECT_FALSE(Seconds(V_ASN1_OCTET_STRING, "700101000000Z"));
  EXPECT_FALSE(CertificateTimeSeconds(nullptr));
}

/// Every (type, text) below compared with X509_cmp_time at the time itself
/// and one second either side, and at fixed times: the same answer, or the
/// path verifier would decide validity differently from OpenSSL.
TEST(ValidityTimeTest, AgreesWithX509CmpTimeEverywhere) {
  constexpr std::int64_t kLastSecondOf9999 = 253402300799;
  struct Case {
    int type;
    const char* text;
  };
  const std::vector<Case> cases = {
      {V_ASN1_UTCTIME, "700101000000Z"},
      {V_ASN1_UTCTIME, "491231235959Z"},
      {V_ASN1_UTCTIME, "500101000000Z"},
      {V_ASN1_UTCTIME, "991231235959Z"},
      {V_ASN1_UTCTIME, "000229120000Z"},
      {V_ASN1_UTCTIME, "240229000000Z"},
      {V_ASN1_UTCTIME, "250229000000Z"},
      {V_ASN1_UTCTIME, "251301000000Z"},
      {V_ASN1_UTCTIME, "250100000000Z"},
      {V_ASN1_UTCTIME, "250431000000Z"},
      {V_ASN1_UTCTIME, "250101240000Z"},
      {V_ASN1_UTCTIME, "250101236000Z"},
      {V_ASN1_UTCTIME, "250101235960Z"},
      {V_ASN1_UTCTIME, "2501012359Z"},
      {V_ASN1_UTCTIME, "250101235959"},
      {V_ASN1_UTCTIME, "250101235959+0000"},
      {V_ASN1_UTCTIME, "25010123595aZ"},
      {V_ASN1_GENERALIZEDTIME, "20250101000000Z"},
      {V_ASN1_GENERALIZEDTIME, "20491231235959Z"},
      {V_ASN1_GENERALIZEDTIME, "20500101000000Z"},
      {V_ASN1_GENERALIZEDTIME, "99991231235959Z"},
      {V_ASN1_GENERALIZEDTIME, "21000229000000Z"},
      {V_ASN1_GENERALIZEDTIME, "20960229000000Z"},
      {V_ASN1_GENERALIZEDTIME, "20250101000000.5Z"},
      {V_ASN1_GENERALIZEDTIME, "20250101000000"},
      {V_ASN1_GENERALIZEDTIME, "202501010000Z"},
      {V_ASN1_GENERALIZEDTIME, "250101000000Z"},
      {V_ASN1_UTCTIME, "20250101000000Z"},
  };
  int compared = 0;
  for (const Case& c : cases) {
    const Asn1TimePtr t = MakeTime(c.type, c.text);
    const std::optional<std::int64_t> seconds = CertificateTimeSeconds(t.get());
    std::vector<std::int64_t> at = {0, 946684800, 1796050469, 2524608000};
    if (seconds) at.insert(at.end(), {*seconds - 1, *seconds, *seconds + 1});
    for (std::int64_t when : at) {
      // OpenSSL cannot format a check time after 9999 (it returns 0); --at
      // cannot name one (RFC 3339 has four-digit years).
      if (when > kLastSecondOf9999) continue;
      std::time_t openssl_at = static_cast<std::time_t>(when);
      const int expected = X509_cmp_time(t.get(), &openssl_at);
      EXPECT_EQ(CompareCertificateTime(t.get(), when), expected) << c.text << " at " << when;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 144);
}

}  // namespace
}  // namespace keyattest
