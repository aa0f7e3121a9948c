// The one JSON conversion of a certificate's facts: exactly the fields a
// verifier names, in its order.
#include "keyattest/x509/certificate_facts.h"

#include <gtest/gtest.h>

#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

Certificate MarvellRoot() {
  const std::string pem =
      testing::ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/marvell-ls1-localca-2024.pem");
  return ParseSinglePemCertificate(AsBytes(pem));
}

constexpr CertificateField kAllFields[] = {CertificateField::kRole,
                                           CertificateField::kSubject,
                                           CertificateField::kIssuer,
                                           CertificateField::kSerial,
                                           CertificateField::kVersion,
                                           CertificateField::kNotBefore,
                                           CertificateField::kNotAfter,
                                           CertificateField::kSha256,
                                           CertificateField::kSpkiSha256,
                                           CertificateField::kKey,
                                           CertificateField::kSignatureAlgorithm};

std::vector<std::string> MemberNames(const nlohmann::ordered_json& object) {
  std::vector<std::string> names;
  for (const auto& [name, value] : object.items()) names.push_back(name);
  return names;
}

// The facts hold the certificate and make the text when rendered: every
// field equals what the report showed when the facts were copied strings
// (the JSON of the real Marvell root, as validate_attestation printed it).
TEST(CertificateFactsTest, RendersTheCertificateAsBefore) {
  const CertificateFacts f = DescribeCertificate(MarvellRoot(), "Marvell root (pinned)");
  EXPECT_EQ(f.role.view(), "Marvell root (pinned)");
  const std::string name =
      "CN=localca.liquidsecurity.cavium.com,OU=LiquidSecurity,O=Cavium\\, Inc.,L=San Jose,ST=California,C=US";
  const nlohmann::ordered_json expected = {
      {"role", "Marvell root (pinned)"},
      {"subject", name},
      {"issuer", name},
      {"serial", "0"},
      {"version", 3},
      {"not_before", "2024-07-25T20:29:20Z"},
      {"not_after", "2034-07-23T20:29:20Z"},
      {"sha256", "230143df00e0b452743e068a5b3fc08df8f06cefc4854ea627aeb7ebd70ee2f4"},
      {"spki_sha256", "78adcba1f38bee304bc44d6a086503f2940037d4b3d58a1bf66a3282ef58cd41"},
      {"key", "RSA-2048"},
      {"signature_algorithm", "sha256WithRSAEncryption"},
  };
  EXPECT_EQ(CertificateFactsToJson(f, kAllFields).dump(), expected.dump());
  EXPECT_TRUE(DescribeCertificate(MarvellRoot()).role.empty());
  EXPECT_EQ(CertificateFactsToJson(DescribeCertificate(MarvellRoot()), kAllFields)["role"], "");
}

// Facts outlive the certificate object they were made from (a report
// outlives the bundle it was verified from): they share its record.
TEST(CertificateFactsTest, OutliveTheCertificateTheyWereMadeFrom) {
  std::vector<CertificateFacts> facts;
  {
    const Certificate root = MarvellRoot();
    facts.push_back(DescribeCertificate(root, "ARK"));
  }
  const CertificateFacts moved = std::move(facts.front());
  facts.clear();
  EXPECT_EQ(CertificateFactsToJson(moved, kAllFields)["sha256"],
            "230143df00e0b452743e068a5b3fc08df8f06cefc4854ea627aeb7ebd70ee2f4");
  EXPECT_EQ(moved.role.view(), "ARK");
}

TEST(CertificateFactsTest, JsonHasExactlyTheNamedFieldsInOrder) {
  const CertificateFacts f = DescribeCertificate(MarvellRoot(), "ARK");
  constexpr CertificateField kBrief[] = {CertificateField::kSubject, CertificateField::kSha256,
                                         CertificateField::kVersion, CertificateField::kRole};
  const nlohmann::ordered_json brief = CertificateFactsToJson(f, kBrief);
  EXPECT_EQ(MemberNames(brief), (std::vector<std::string>{"subject", "sha256", "version", "role"}));
  EXPECT_EQ(brief["sha256"], HexEncode(f.certificate.sha256()));
  EXPECT_EQ(brief["version"], 3);
  EXPECT_EQ(brief["role"], "ARK");

  EXPECT_EQ(MemberNames(CertificateFactsToJson(f, kAllFields)),
            (std::vector<std::string>{"role", "subject", "issuer", "serial", "version", "not_before", "not_after",
                                      "sha256", "spki_sha256", "key", "signature_algorithm"}));
  EXPECT_TRUE(CertificateFactsToJson(f, {}).empty());
  EXPECT_TRUE(CertificateFactsToJson(f, {}).is_object());
}

}  // namespace
}  // namespace keyattest
