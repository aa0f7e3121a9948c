// Golden end-to-end fixtures: the real Azure recordings bundled in testdata/
// must give the verdicts ../shared/testdata/real/README.md states.
#include <gtest/gtest.h>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/key_attestation/verifier.h"
#include "keyattest/run/cli_support.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using testing::ReadRepoSample;

const VerifyOptions& Builtin() {
  static const VerifyOptions options = DefaultVerifyOptions();
  return options;
}

Report VerifySample(const std::string& name, const VerifyOptions& options = Builtin()) {
  return VerifyAzureAttestation(ParseAttestationDocument(ReadRepoSample(name)), options);
}

std::string FailureSummary(const Report& r) {
  std::string out;
  for (const auto& c : r.checks) {
    if (c.status == CheckStatus::kFail) out += std::string(c.id.view()) + ": " + c.detail + "\n";
  }
  return out;
}

CheckStatus StatusOf(const Report& r, const std::string& id) {
  const CheckResult* c = r.Find(id);
  EXPECT_NE(c, nullptr) << "no check " << id;
  return c ? c->status : CheckStatus::kFail;
}

class RealSampleTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RealSampleTest, Verifies) {
  Report r = VerifySample(GetParam());
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << FailureSummary(r);
  for (const char* id :
       {"document.version", "certificates.bundle", "chain.manufacturer", "chain.owner", "certificates.all_used",
        "private.structure", "private.attributes", "private.signature", "private.object_class"}) {
    EXPECT_EQ(StatusOf(r, id), CheckStatus::kPass) << id;
  }
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs.at(0).layout, "B");
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
}

INSTANTIATE_TEST_SUITE_P(Azure, RealSampleTest,
                         ::testing::Values("azure-sdk-net-ec-p256", "azure-sdk-net-oct-aes256",
                                           "azure-sdk-js-rsa2048"));

TEST(RealSamplesTest, CliSampleVerifiesButFailsOnItsSanitizedKidName) {
  Report r = VerifySample("azure-cli-rsa2048");
  for (const char* id : {"chain.manufacturer", "chain.owner", "certificates.all_used", "private.signature",
                         "public.signature", "blobs.same_key", "binding.key_material", "binding.check_value"}) {
    EXPECT_EQ(StatusOf(r, id), CheckStatus::kPass) << id;
  }
  EXPECT_EQ(StatusOf(r, "binding.key_id"), CheckStatus::kFail);
  EXPECT_EQ(r.Find("binding.key_id")->detail,
            "kid key name 'key1-000003' differs from the signed name 'key1-hnhgsllilfcl3pdtpld'");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
}

TEST(RealSamplesTest, EcSampleAttestsBothHalvesOfOneKey) {
  Report r = VerifySample("azure-sdk-net-ec-p256");
  EXPECT_EQ(StatusOf(r, "public.signature"), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(r, "blobs.same_key"), CheckStatus::kPass);
  ASSERT_EQ(KeyAttestationFactsOf(r).blobs.size(), 2u);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].key_name, "415960149");
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].key_version, "8072dc2365e306109ecd7c202ff169b7");
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].objects.at(0).key_type, "CKK_EC");
}

TEST(RealSamplesTest, SymmetricSampleHasOnlyThePrivateBlob) {
  Report r = VerifySample("azure-sdk-net-oct-aes256");
  ASSERT_EQ(KeyAttestationFactsOf(r).blobs.size(), 1u);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].objects.at(0).object_class, "CKO_SECRET_KEY");
  EXPECT_EQ(StatusOf(r, "public.present"), CheckStatus::kSkip);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].key_name, "489411394");
}

TEST(RealSamplesTest, OwnerRootIsReportedForPinning) {
  Report r = VerifySample("azure-sdk-js-rsa2048");
  bool found = false;
  for (const auto& c : KeyAttestationFactsOf(r).certificates) {
    if (c.role.view().starts_with("Owner root")) {
      found = true;
      EXPECT_EQ(c.certificate.subject(), "CN=acavalari-sdkhsm,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US");
      EXPECT_EQ(r.Find("owner_root.pin")->status, CheckStatus::kWarn);
      EXPECT_EQ(r.Find("owner_root.pin")->detail,
                "owner chain is unpinned; pin this pool's root next time with --owner-root " +
                    HexEncode(c.certificate.spki_sha256()));
    }
  }
  EXPECT_TRUE(found);
}

TEST(RealSamplesTest, ExpiredCardFailsAtLaterTime) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time =
      keyattest::CheckTime::At(*ParseRfc3339("2032-01-01T00:00:00Z"));  // the CLI sample's card is valid 2021-2031
  Report r = VerifySample("azure-cli-rsa2048", options);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kFail);
  EXPECT_NE(r.Find("chain.manufacturer")->detail.find("certificate has expired"), std::string::npos)
      << r.Find("chain.manufacturer")->detail;
}

TEST(RealSamplesTest, NotYetValidFailsAtEarlierTime) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(*ParseRfc3339("2020-01-01T00:00:00Z"));
  Report r = VerifySample("azure-sdk-js-rsa2048", options);
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kFail);
  EXPECT_NE(r.Find("chain.manufacturer")->detail.find("certificate is not yet valid"), std::string::npos)
      << r.Find("chain.manufacturer")->detail;
}

TEST(RealSamplesTest, ValidJustInsideTheWindow) {
  VerifyOptions options = DefaultVerifyOptions();
  options.check_time = keyattest::CheckTime::At(*ParseRfc3339("2030-06-01T00:00:00Z"));
  Report r = VerifySample("azure-cli-rsa2048", options);
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kPass) << FailureSummary(r);
  EXPECT_EQ(StatusOf(r, "chain.owner"), CheckStatus::kPass) << FailureSummary(r);
}

Certificate RootFromRepo(const std::string& file) {
  return ParseSinglePemCertificate(
      AsBytes(testing::ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/" + file)));
}

TEST(RealSamplesTest, OnlyLs2AnchorFindsNoCard) {
  VerifyOptions options;
  options.marvell_roots.emplace_back(RootFromRepo("marvell-ls2-2024.pem"));
  Report r = VerifySample("azure-sdk-js-rsa2048", options);
  EXPECT_EQ(r.Find("chain.manufacturer")->detail, "no certificate in the bundle is issued by a pinned Marvell root");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, ExpiredOriginalRootFailsNowButSameKeyVerifiesBeforeExpiry) {
  VerifyOptions options;
  options.marvell_roots.emplace_back(RootFromRepo("marvell-ls1-localca-2015-expired.pem"));
  options.check_time = keyattest::CheckTime::At(*ParseRfc3339("2026-01-01T00:00:00Z"));
  Report r = VerifySample("azure-sdk-js-rsa2048", options);
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kFail);
  EXPECT_NE(r.Find("chain.manufacturer")->detail.find("certificate has expired"), std::string::npos);
  options.check_time =
      keyattest::CheckTime::At(*ParseRfc3339("2025-11-01T00:00:00Z"));  // the CLI recording's chain predates the expiry
  Report before = VerifySample("azure-cli-rsa2048", options);
  EXPECT_EQ(StatusOf(before, "chain.manufacturer"), CheckStatus::kPass) << FailureSummary(before);
}

// The 2015 LS1 root and its 2024 reissue share name and key: listed first,
// the expired one must neither fail the chain nor be reported as its root.
TEST(RealSamplesTest, ExpiredRootBesideItsReissueVerifiesThroughTheReissue) {
  VerifyOptions options = DefaultVerifyOptions();
  options.marvell_roots.insert(options.marvell_roots.begin(),
                               TrustAnchor(RootFromRepo("marvell-ls1-localca-2015-expired.pem")));
  Report r = VerifySample("azure-sdk-js-rsa2048", options);
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kPass) << FailureSummary(r);
  ASSERT_FALSE(KeyAttestationFactsOf(r).certificates.empty());
  EXPECT_EQ(KeyAttestationFactsOf(r).certificates[0].role.view(), "Marvell root (pinned)");
  EXPECT_EQ(KeyAttestationFactsOf(r).certificates[0].certificate.not_after(), "2034-07-23T20:29:20Z");
}

TEST(RealSamplesTest, ExpiredRootAloneFailsNow) {
  VerifyOptions options;
  options.marvell_roots.emplace_back(RootFromRepo("marvell-ls1-localca-2015-expired.pem"));
  Report r = VerifySample("azure-sdk-js-rsa2048", options);
  EXPECT_NE(r.Find("chain.manufacturer")->detail.find("certificate has expired"), std::string::npos);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, ForeignRootAsOnlyAnchorFails) {
  VerifyOptions options;
  options.marvell_roots.emplace_back(RootFromRepo("google-hawksbill-root-v1-prod.pem"));
  EXPECT_EQ(VerifySample("azure-sdk-net-ec-p256", options).verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, NoAnchorsFailsClosed) {
  Report r = VerifySample("azure-sdk-net-ec-p256", VerifyOptions{});
  EXPECT_EQ(r.Find("chain.manufacturer")->detail, "no Marvell trust anchors configured");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, UnsupportedVersionFails) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  doc.version = "MRVL-2";
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(r.Find("document.version")->detail, "unsupported version 'MRVL-2', expected 'MRVL-1'");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, SwappedBlobsFailObjectClass) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  std::swap(doc.private_key_attestation, *doc.public_key_attestation);
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(StatusOf(r, "private.signature"), CheckStatus::kPass);  // genuine, but the wrong object
  EXPECT_EQ(r.Find("private.object_class")->detail, "0 private or secret key objects, expected exactly 1");
  EXPECT_EQ(r.Find("public.object_class")->detail, "object class is CKO_PRIVATE_KEY, expected CKO_PUBLIC_KEY");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, PublicBlobOfAnotherKeyFailsSameKey) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  AttestationDocument other = ParseAttestationDocument(ReadRepoSample("azure-cli-rsa2048"));
  doc.public_key_attestation = other.public_key_attestation;
  Report r = VerifyAzureAttestation(doc, Builtin());
  // Signed by another partition: the signature fails under this bundle's key.
  EXPECT_EQ(StatusOf(r, "public.signature"), CheckStatus::kFail);
  EXPECT_EQ(r.Find("blobs.same_key")->detail, "key material (OBJ_ATTR_MODULUS) differs");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, BundleFromAnotherPoolFailsSignature) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  doc.certificate_pem = ParseAttestationDocument(ReadRepoSample("azure-cli-rsa2048")).certificate_pem;
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kPass);
  EXPECT_EQ(r.Find("private.signature")->detail,
            "signature does not verify (PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)) under the "
            "partition key");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, BundleMissingOwnerRootFailsOwnerChain) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  std::string pem(doc.certificate_pem.begin(), doc.certificate_pem.end());
  // Drop the third block (the self-signed owner root).
  std::size_t start = 0;
  for (int i = 0; i < 2; ++i) start = pem.find("-----END CERTIFICATE-----", start) + 25;
  std::size_t end = pem.find("-----END CERTIFICATE-----", start) + 25;
  pem.erase(start, end - start);
  doc.certificate_pem.assign(pem.begin(), pem.end());
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(StatusOf(r, "chain.manufacturer"), CheckStatus::kPass);
  EXPECT_NE(r.Find("chain.owner")->detail.find("no self-signed owner root in the bundle issued"), std::string::npos);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, BundleMissingCardFailsManufacturerChain) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  std::string pem(doc.certificate_pem.begin(), doc.certificate_pem.end());
  pem.erase(0, pem.find("-----END CERTIFICATE-----") + 25);
  doc.certificate_pem.assign(pem.begin(), pem.end());
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(r.Find("chain.manufacturer")->detail, "no certificate in the bundle is issued by a pinned Marvell root");
  EXPECT_EQ(StatusOf(r, "private.signature"), CheckStatus::kSkip);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(RealSamplesTest, ExtraUnrelatedCertificateFailsAllUsed) {
  AttestationDocument doc = ParseAttestationDocument(ReadRepoSample("azure-sdk-js-rsa2048"));
  std::string extra =
      testing::ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/google-hawksbill-root-v1-prod.pem");
  doc.certificate_pem.insert(doc.certificate_pem.end(), extra.begin(), extra.end());
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(r.Find("certificates.all_used")->detail,
            "certificates outside both chains: CN=Hawksbill Root v1 prod,O=Google Inc,L=Mountain View,ST=CA,C=US");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

}  // namespace
}  // namespace keyattest
