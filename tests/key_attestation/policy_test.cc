// Key policy (--require, docs/marvell-format.md §8.3): each requirement is its own check.
#include <gtest/gtest.h>

#include <algorithm>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/key_attestation/policy.h"
#include "keyattest/marvell/attributes.h"
#include "tests/support/synthetic.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

Report VerifyJsWith(const std::vector<std::string>& require) {
  VerifyOptions options = DefaultVerifyOptions();
  options.requirements = ParseRequirements(require);
  return VerifyAzureAttestation(ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048")), options);
}

TEST(PolicyTest, NamedPoliciesPassOnAGeneratedKey) {
  Report r = VerifyJsWith({"generated,non-exportable", "sensitive"});
  EXPECT_EQ(r.Find("policy.generated")->detail, "OBJ_ATTR_LOCAL=1, OBJ_ATTR_NEVER_EXTRACTABLE=1");
  EXPECT_EQ(r.Find("policy.generated")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.non-exportable")->detail, "OBJ_ATTR_EXTRACTABLE=0, OBJ_ATTR_NEVER_EXTRACTABLE=1");
  EXPECT_EQ(r.Find("policy.sensitive")->status, CheckStatus::kPass);
  EXPECT_EQ(r.verdict(), Verdict::kVerified);
}

// The attribute requirement reads the decoded attributes, and the report's
// attribute tables receive them afterwards: both must be whole.
TEST(PolicyTest, AttributeRequirementAndReportTablesBothSeeEveryAttribute) {
  Report r = VerifyJsWith({"EXTRACTABLE=0", "KEY_TYPE=CKK_RSA"});
  EXPECT_EQ(r.Find("policy.EXTRACTABLE=0")->detail, "OBJ_ATTR_EXTRACTABLE = CK_FALSE");
  EXPECT_EQ(r.Find("policy.KEY_TYPE=CKK_RSA")->detail, "OBJ_ATTR_KEY_TYPE = CKK_RSA");
  ASSERT_EQ(KeyAttestationFactsOf(r).blobs.size(), 2u);
  for (const BlobFacts& blob : KeyAttestationFactsOf(r).blobs) {
    ASSERT_EQ(blob.objects.size(), 1u);
    const ObjectFacts& object = blob.objects[0];
    for (const AttributeFacts& a : object.attributes) {
      EXPECT_FALSE(marvell::AttributeName(a.type).empty()) << a.type;
      EXPECT_FALSE(object.ValueText(a).empty()) << a.type;
      EXPECT_FALSE(marvell::AttributeMeaning(a.type).empty()) << a.type;
    }
  }
  const ObjectFacts& private_object = KeyAttestationFactsOf(r).blobs[0].objects[0];
  auto extractable = std::find_if(private_object.attributes.begin(), private_object.attributes.end(),
                                  [](const AttributeFacts& a) { return a.type == marvell::attr::kExtractable; });
  ASSERT_NE(extractable, private_object.attributes.end());
  EXPECT_EQ(private_object.ValueText(*extractable), "CK_FALSE");
  EXPECT_EQ(HexEncode(private_object.Raw(*extractable)), "00");
}

TEST(PolicyTest, FipsFailsOnNonFipsPartition) {
  Report r = VerifyJsWith({"fips"});
  EXPECT_EQ(r.Find("policy.fips")->status, CheckStatus::kFail);
  EXPECT_EQ(r.Find("policy.fips")->detail,
            "card 'HSM:6.0G2342-VPM018662, for non-FIPS mode', partition 'HSM:83E1E523CAF0073DD4B925881EDD3D:PARTN:17, "
            "for non-FIPS mode'");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(PolicyTest, FipsPassesOnFipsModeCertificates) {
  ChainOptions o;
  o.card_subject.back().second = "HSM:TEST1234-ICM000001, for FIPS mode";
  o.partition_subject.back().second = "HSM:TEST1234-ICM000001:PARTN:1, for FIPS mode";
  Synthetic s(o);
  s.options.requirements = ParseRequirements({"fips"});
  Report r = s.Verify();
  EXPECT_EQ(r.Find("policy.fips")->status, CheckStatus::kPass) << Failures(r);
}

TEST(PolicyTest, AttributeRequirements) {
  Report r = VerifyJsWith({"EXTRACTABLE=0", "OBJ_ATTR_KEY_TYPE=CKK_RSA", "modulus_bits=2048", "0x0163=true",
                           "EXTRACTABLE=1", "LABEL=customer_key", "KCV=f27967"});
  EXPECT_EQ(r.Find("policy.EXTRACTABLE=0")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.OBJ_ATTR_KEY_TYPE=CKK_RSA")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.modulus_bits=2048")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.0x0163=true")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.LABEL=customer_key")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.KCV=f27967")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("policy.EXTRACTABLE=1")->status, CheckStatus::kFail);
  EXPECT_EQ(r.Find("policy.EXTRACTABLE=1")->detail, "OBJ_ATTR_EXTRACTABLE = CK_FALSE, required 1");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(PolicyTest, ImportedKeyFailsGenerated) {
  Synthetic s;
  ReplaceAttribute(s.private_attributes, 0x0163, {0});  // LOCAL=0
  ReplaceAttribute(s.private_attributes, 0x0164, {0});  // NEVER_EXTRACTABLE=0
  s.options.requirements = ParseRequirements({"generated"});
  Report r = s.Verify(s.Document(s.PrivateBlob(), std::nullopt));
  EXPECT_EQ(r.Find("policy.generated")->detail, "OBJ_ATTR_LOCAL=0, OBJ_ATTR_NEVER_EXTRACTABLE=0");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(PolicyTest, MissingAttributeFails) {
  Synthetic s;
  RemoveAttribute(s.private_attributes, 0x0165);  // ALWAYS_SENSITIVE
  s.options.requirements = ParseRequirements({"sensitive", "ALWAYS_SENSITIVE=1"});
  Report r = s.Verify(s.Document(s.PrivateBlob(), std::nullopt));
  EXPECT_EQ(r.Find("policy.sensitive")->detail, "OBJ_ATTR_SENSITIVE=1, OBJ_ATTR_ALWAYS_SENSITIVE=missing");
  EXPECT_EQ(r.Find("policy.ALWAYS_SENSITIVE=1")->detail, "OBJ_ATTR_ALWAYS_SENSITIVE is not attested");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(PolicyTest, UnevaluablePolicyFailsClosed) {
  Synthetic s;
  s.options.requirements = ParseRequirements({"generated"});
  Report r = s.Verify(s.Document(Bytes(400, 0), std::nullopt));  // private blob unparseable
  EXPECT_EQ(r.Find("policy.generated")->detail, "cannot evaluate: the attested private key object is not available");
  EXPECT_EQ(r.Find("policy.generated")->status, CheckStatus::kFail);
}

TEST(PolicyTest, ParseErrors) {
  EXPECT_THROW(ParseRequirements({"generatd"}), PolicyError);
  EXPECT_THROW(ParseRequirements({"NO_SUCH_ATTR=1"}), PolicyError);
  EXPECT_THROW(ParseRequirements({"EXTRACTABLE="}), PolicyError);
  EXPECT_THROW(ParseRequirements({"generated,,sensitive"}), PolicyError);
  EXPECT_EQ(ParseRequirements({"generated, sensitive", "fips"}).size(), 3u);
  try {
    ParseRequirements({"bogus"});
  } catch (const PolicyError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--require: unknown requirement 'bogus' (expected generated, non-exportable, sensitive, fips or "
              "ATTRIBUTE=VALUE)");
  }
}

}  // namespace
}  // namespace keyattest
