// A certificate's validity times read once, as integers, instead of through
// X509_cmp_time (docs/architecture.md "Time and trust are values").
//
// OpenSSL 3.0's X509_cmp_time formats the check time into a fresh ASN1_TIME
// and converts both sides to struct tm on every call: two calls per
// certificate per path, about 0.45 µs each, 4% of a batch. The path verifier
// (path_verifier.cc) checks validity with these functions instead, with the
// same rules, which tests/x509/validity_time_test.cc compares against
// X509_cmp_time itself.
#pragma once

#include <openssl/asn1.h>

#include <cstdint>
#include <optional>

namespace keyattest {

/// Seconds since the epoch of a certificate validity time, or nullopt when it
/// is not exactly "YYMMDDHHMMSSZ" (UTCTime, years 1950-2049) or
/// "YYYYMMDDHHMMSSZ" (GeneralizedTime) naming a real calendar second.
std::optional<std::int64_t> CertificateTimeSeconds(const ASN1_TIME* time);

/// X509_cmp_time's contract: 0 when `time` is malformed, 1 when it is later
/// than `at`, -1 when it is `at` or earlier. So a certificate is valid at
/// `at` when notBefore compares -1 and notAfter compares 1: from its
/// notBefore second, up to but not including its notAfter second.
int CompareCertificateTime(const ASN1_TIME* time, std::int64_t at);

}  // namespace keyattest
