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

std::vector<std::string> MemberNames(const nlohmann::ordered_json& object) {
  std::vector<std::string> names;
  for (const auto& [name, value] : object.items()) names.push_back(name);
  return names;
}

TEST(CertificateFactsTest, DescribesTheCertificate) {
  const CertificateFacts f = DescribeCertificate(MarvellRoot(), "Marvell root (pinned)");
  EXPECT_EQ(f.role, "Marvell root (pinned)");
  EXPECT_NE(f.subject.find("localca.liquidsecurity.cavium.com"), std::string::npos) << f.subject;
  EXPECT_EQ(f.subject, f.issuer);  // self-signed
  EXPECT_EQ(f.not_after, "2034-07-23T20:29:20Z");
  EXPECT_EQ(f.sha256, "230143df00e0b452743e068a5b3fc08df8f06cefc4854ea627aeb7ebd70ee2f4");
  EXPECT_EQ(f.spki_sha256.size(), 64u);
  EXPECT_EQ(f.key, "RSA-2048");
  EXPECT_EQ(f.version, 3);
  EXPECT_TRUE(DescribeCertificate(MarvellRoot()).role.empty());
}

TEST(CertificateFactsTest, JsonHasExactlyTheNamedFieldsInOrder) {
  const CertificateFacts f = DescribeCertificate(MarvellRoot(), "ARK");
  constexpr CertificateField kBrief[] = {CertificateField::kSubject, CertificateField::kSha256,
                                         CertificateField::kVersion, CertificateField::kRole};
  const nlohmann::ordered_json brief = CertificateFactsToJson(f, kBrief);
  EXPECT_EQ(MemberNames(brief), (std::vector<std::string>{"subject", "sha256", "version", "role"}));
  EXPECT_EQ(brief["sha256"], f.sha256);
  EXPECT_EQ(brief["version"], 3);
  EXPECT_EQ(brief["role"], "ARK");

  constexpr CertificateField kAll[] = {CertificateField::kRole,
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
  EXPECT_EQ(MemberNames(CertificateFactsToJson(f, kAll)),
            (std::vector<std::string>{"role", "subject", "issuer", "serial", "version", "not_before", "not_after",
                                      "sha256", "spki_sha256", "key", "signature_algorithm"}));
  EXPECT_TRUE(CertificateFactsToJson(f, {}).empty());
  EXPECT_TRUE(CertificateFactsToJson(f, {}).is_object());
}

}  // namespace
}  // namespace keyattest
