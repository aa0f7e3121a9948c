#include <gtest/gtest.h>

#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_paths.h"
#include "tests/support/test_pki.h"

namespace keyattest {
namespace {

std::string RealBundle() {
  Bytes pem = ParseAttestationDocument(testing::ReadRepoSample("azure-sdk-js-rsa2048")).certificate_pem;
  return std::string(pem.begin(), pem.end());
}

std::string BundleErrorOf(const std::string& pem) {
  try {
    ParsePemBundle(AsBytes(pem));
  } catch (const BundleError& e) {
    return e.what();
  }
  ADD_FAILURE() << "bundle accepted";
  return "";
}

TEST(PemBundleTest, ParsesRealBundleInOrder) {
  PemBundle bundle = ParsePemBundle(AsBytes(RealBundle()));
  ASSERT_EQ(bundle.certificates.size(), 4u);
  EXPECT_EQ(bundle.certificates[0].version(), 1);  // the Marvell card certificate is X.509 v1
  EXPECT_EQ(bundle.certificates[2].subject(),
            "CN=acavalari-sdkhsm,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US");
}

TEST(PemBundleTest, IgnoresExactDuplicates) {
  std::string pem = RealBundle();
  std::string first = pem.substr(0, pem.find("-----END CERTIFICATE-----") + 25);
  PemBundle bundle = ParsePemBundle(AsBytes(pem + "\n" + first + "\n"));
  EXPECT_EQ(bundle.certificates.size(), 4u);
  EXPECT_EQ(bundle.duplicates_removed, 1u);
}

TEST(PemBundleTest, RejectsNonCertificateBlocks) {
  EXPECT_EQ(BundleErrorOf(RealBundle() + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            "certificate bundle: block 5 is 'PRIVATE KEY', only CERTIFICATE blocks are allowed");
}

// RFC 7468 §5.2: printable explanatory text may surround blocks (issue 10);
// control bytes may not.
TEST(PemBundleTest, AcceptsTextBetweenBlocksButNoControlBytes) {
  EXPECT_EQ(ParsePemBundle(AsBytes("hello\n" + RealBundle())).certificates.size(), 4u);
  EXPECT_EQ(BundleErrorOf("hello\x01\n" + RealBundle()),
            "certificate bundle: byte 5 (0x01) outside the PEM blocks is not printable text");
}

TEST(PemBundleTest, RejectsUnterminatedBlock) {
  std::string pem = RealBundle();
  EXPECT_EQ(BundleErrorOf(pem.substr(0, pem.size() - 30)), "certificate bundle: block 4 has no END line");
}

TEST(PemBundleTest, RejectsTrailingBytesAfterDer) {
  // "AAAA" appended to the first block's base64 adds three zero bytes.
  std::string pem = RealBundle();
  pem.insert(pem.find("\n-----END CERTIFICATE-----"), "\nAAAA");
  EXPECT_EQ(BundleErrorOf(pem), "certificate bundle: block 1 has bytes after the certificate");
}

TEST(PemBundleTest, RejectsGarbageDer) {
  EXPECT_EQ(BundleErrorOf("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            "certificate bundle: block 1 is not a DER X.509 certificate");
}

TEST(PemBundleTest, RejectsEmptyAndTooMany) {
  EXPECT_EQ(BundleErrorOf("  \n"), "certificate bundle: no certificates");
  std::string pem = RealBundle();
  std::string many;
  for (int i = 0; i < 5; ++i) many += pem;  // 20 blocks (duplicates count toward the cap)
  EXPECT_EQ(BundleErrorOf(many), "certificate bundle: more than 16 certificates");
}

TEST(CertificateTest, CopiesShareFactsAndOnePreparedRsaKey) {
  PemBundle bundle = ParsePemBundle(AsBytes(RealBundle()));
  const Certificate& original = bundle.certificates.front();
  Certificate copy = original;
  EXPECT_EQ(copy.der(), original.der());
  EXPECT_EQ(&copy.der(), &original.der());  // one shared record, not a deep copy
  ASSERT_NE(original.rsa_public_key(), nullptr);
  EXPECT_EQ(copy.rsa_public_key(), original.rsa_public_key());  // prepared once
  EXPECT_EQ(original.rsa_public_key()->bits(), EVP_PKEY_get_bits(original.public_key()));
}

TEST(CertificateTest, NonRsaKeyHasNoPreparedRsaKey) {
  testing::CertSpec spec;
  spec.subject = {{"CN", "ec leaf"}};
  spec.not_before = testing::Utc(2025, 1, 1);
  spec.not_after = testing::Utc(2030, 1, 1);
  EvpPkeyPtr ec = testing::LoadTestKey(testing::TestKeyId::kSubjectEcP256);
  Certificate cert(testing::IssueCertificate(spec, ec.get(), nullptr, ec.get()));
  EXPECT_EQ(cert.rsa_public_key(), nullptr);
  EXPECT_EQ(cert.rsa_public_key(), nullptr);  // asked twice, still no key and no error
}

TEST(CertificateCacheTest, SameBundleBytesReuseTheParsedBundle) {
  CertificateCache cache;
  const std::string pem = RealBundle();
  PemBundle first = ParsePemBundle(AsBytes(pem), &cache);
  PemBundle second = ParsePemBundle(AsBytes(pem), &cache);
  ASSERT_EQ(second.certificates.size(), first.certificates.size());
  for (std::size_t i = 0; i < first.certificates.size(); ++i) {
    EXPECT_EQ(&second.certificates[i].der(), &first.certificates[i].der());  // the same parsed certificate
  }
}

TEST(CertificateCacheTest, OneByteOffIsParsedAnewAndMalformedIsNeverKept) {
  CertificateCache cache;
  const std::string pem = RealBundle();
  (void)ParsePemBundle(AsBytes(pem), &cache);
  std::string broken = pem;
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  std::size_t body = broken.find(begin) + begin.size();
  while (broken[body] == '\r' || broken[body] == '\n') ++body;
  broken[body] = '*';  // one byte off: the first character of the first block
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      (void)ParsePemBundle(AsBytes(broken), &cache);
      ADD_FAILURE() << "malformed bundle accepted on attempt " << attempt;
    } catch (const BundleError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(
                    "certificate bundle: block 1 is not base64: invalid character '*' at position 0", 0),
                0u)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace keyattest
