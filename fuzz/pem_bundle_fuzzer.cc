// Fuzz target (c): the strict PEM bundle parser. ParsePemBundle returns at
// least one and at most kMaxBundleCertificates distinct certificates or throws
// BundleError, nothing else; every certificate it returns can be described
// (the report shows these facts for hostile certificates too) and survives a
// canonical re-encoding unchanged.
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_common.h"
#include "keyattest/io/base64.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::fuzz {
namespace {

/// Standard base64 with 64-character lines, the way PEM writers emit it.
std::string CanonicalPem(const Bytes& der) {
  std::string url = EncodeBase64Url(der);
  for (char& c : url) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (url.size() % 4 != 0) url += '=';
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (std::size_t i = 0; i < url.size(); i += 64) out += url.substr(i, 64) + "\n";
  return out + "-----END CERTIFICATE-----\n";
}

void Describe(const Certificate& c) {
  // Everything a report shows of a certificate (CertificateFacts).
  (void)c.subject();
  (void)c.common_name();
  (void)c.issuer();
  (void)c.serial_hex();
  (void)c.not_before();
  (void)c.not_after();
  (void)c.key_description();
  (void)c.signature_algorithm();
  (void)c.version();
  (void)c.IsSelfIssued();
  KEYATTEST_FUZZ_CHECK(c.sha256() == Sha256(c.der()), "certificate fingerprint is not SHA-256 of its DER");
  KEYATTEST_FUZZ_CHECK(c.spki_sha256() == Sha256(c.spki_der()), "SPKI pin is not SHA-256 of the SPKI");
}

void Run(ByteSpan pem) {
  PemBundle bundle;
  try {
    bundle = ParsePemBundle(pem);
  } catch (const BundleError& e) {
    KEYATTEST_FUZZ_CHECK(*e.what() != '\0', "BundleError without a message");
    return;
  } catch (...) {
    UnexpectedException("ParsePemBundle must throw only BundleError");
    return;
  }
  KEYATTEST_FUZZ_CHECK(!bundle.certificates.empty(), "accepted a bundle without certificates");
  KEYATTEST_FUZZ_CHECK(bundle.certificates.size() + bundle.duplicates_removed <= kMaxBundleCertificates,
                       "accepted more certificates than the limit");
  std::string canonical;
  for (std::size_t i = 0; i < bundle.certificates.size(); ++i) {
    const Certificate& c = bundle.certificates[i];
    for (std::size_t j = 0; j < i; ++j) {
      KEYATTEST_FUZZ_CHECK(bundle.certificates[j].der() != c.der(), "exact duplicate kept");
    }
    try {
      Describe(c);
    } catch (...) {
      UnexpectedException("describing an accepted certificate");
      return;
    }
    canonical += CanonicalPem(c.der());
  }
  // An accepted bundle is canonical DER; writing it out again and reading it
  // back yields the same certificates, in order.
  PemBundle again;
  try {
    again = ParsePemBundle(AsBytes(canonical));
  } catch (const std::exception& e) {
    Breach(__FILE__, __LINE__, "re-parsing the canonical PEM", e.what());
  }
  KEYATTEST_FUZZ_CHECK(again.certificates.size() == bundle.certificates.size(), "round trip changed the count");
  for (std::size_t i = 0; i < again.certificates.size(); ++i) {
    KEYATTEST_FUZZ_CHECK(again.certificates[i].der() == bundle.certificates[i].der(), "round trip changed the DER");
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keyattest::fuzz::Run(keyattest::ByteSpan(data, size));
  return 0;
}
