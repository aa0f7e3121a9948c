// Whole-document verification on synthetic attestations: one change, one
// named failure, next to the passing original.
#include <gtest/gtest.h>

#include "keyattest/key_attestation/facts.h"
#include "tests/support/attestation_files.h"
#include "tests/support/synthetic.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

TEST(VerifierTest, SyntheticRsaVerifies) {
  Synthetic s;
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs.at(0).key_name, "synthkey");
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs.at(0).key_version, "0123456789abcdef0123456789abcdef");
}

TEST(VerifierTest, SyntheticEcVerifies) {
  Synthetic s({}, TestKeyId::kSubjectEcP256);
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
}

TEST(VerifierTest, SymmetricKeyWithoutPublicBlobVerifies) {
  Synthetic s;
  Bytes blob = LayoutBBuilder({29, AesSecretAttributes(kSyntheticId), {}, {}}).Sign(s.chain.partition_key.get());
  Report r = s.Verify(s.Document(blob, std::nullopt));
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(r.Find("public.present")->status, CheckStatus::kSkip);
}

TEST(VerifierTest, AsymmetricKeyWithoutPublicBlobWarns) {
  Synthetic s;
  Report r = s.Verify(s.Document(s.PrivateBlob(), std::nullopt));
  EXPECT_EQ(r.verdict(), Verdict::kVerified);
  EXPECT_EQ(r.Find("public.present")->status, CheckStatus::kWarn);
}

TEST(VerifierTest, BlobSignedByAnotherPartitionFails) {
  Synthetic s;
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  Bytes forged = LayoutBBuilder({14, s.private_attributes, {}, {}}).Sign(other.get());
  Report r = s.Verify(s.Document(forged, s.PublicBlob()));
  EXPECT_EQ(r.Find("private.signature")->status, CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(VerifierTest, PublicBlobOfAnotherKeyFails) {
  Synthetic s;
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kSubjectEcP256);
  Bytes pub =
      LayoutBBuilder({13, EcPublicAttributes(other.get(), kSyntheticId), {}, {}}).Sign(s.chain.partition_key.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), pub));
  EXPECT_EQ(Detail(r, "blobs.same_key"), "key types differ");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(VerifierTest, PublicBlobWithAnotherIdFails) {
  Synthetic s;
  auto attrs = s.public_attributes;
  ReplaceAttribute(attrs, 0x0102, Text128("/keys/other/1"));
  Bytes pub = LayoutBBuilder({13, attrs, {}, {}}).Sign(s.chain.partition_key.get());
  EXPECT_EQ(Detail(s.Verify(s.Document(s.PrivateBlob(), pub)), "blobs.same_key"), "IDs differ");
}

TEST(VerifierTest, PrivateBlobHoldingPublicObjectFails) {
  Synthetic s;
  Report r = s.Verify(s.Document(s.PublicBlob(), s.PublicBlob()));
  EXPECT_EQ(Detail(r, "private.object_class"), "0 private or secret key objects, expected exactly 1");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

// Layout A is Google's (docs/marvell-format.md §2): these run as raw blobs with Google's
// owner chain; an Azure document must carry layout B (issue 10).
TEST(VerifierTest, LayoutAKeyPairInRawGoogleStyleDocumentVerifies) {
  Synthetic s;
  s.UseOwnerRootAsGoogleRoot();
  Bytes pair = LayoutABuilder({{2022, s.public_attributes, {}, {}}, {8870, s.private_attributes, {}, {}}})
                   .Sign(s.chain.partition_key.get());
  Report r = s.Verify(Synthetic::RawDocument(pair, s.GoogleBundlePem()));
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs.at(0).layout, "A");
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs.at(0).objects.size(), 2u);
}

TEST(VerifierTest, LayoutAKeyPairHalvesMustMatch) {
  Synthetic s;
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  Bytes pair = LayoutABuilder({{2022, RsaPublicAttributes(other.get(), kSyntheticId), {}, {}},
                               {8870, s.private_attributes, {}, {}}})
                   .Sign(s.chain.partition_key.get());
  Report r = s.Verify(Synthetic::RawDocument(pair, s.GoogleBundlePem()));
  EXPECT_EQ(Detail(r, "private.object_class"),
            "public and private objects of the key pair disagree: key material (OBJ_ATTR_MODULUS) differs");
}

TEST(VerifierTest, TwoPrivateObjectsFail) {
  Synthetic s;
  Bytes pair = LayoutABuilder({{1, s.private_attributes, {}, {}}, {2, s.private_attributes, {}, {}}})
                   .Sign(s.chain.partition_key.get());
  EXPECT_EQ(Detail(s.Verify(Synthetic::RawDocument(pair, s.GoogleBundlePem())), "private.object_class"),
            "2 private or secret key objects, expected exactly 1");
}

TEST(VerifierTest, VerifyAttestationFileReportsUnreadableInput) {
  Report r = VerifyAttestationFile("/nonexistent.json", DefaultVerifyOptions());
  EXPECT_EQ(r.verdict(), Verdict::kUnreadable);
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(*r.input_error, "cannot open '/nonexistent.json': No such file or directory");
}

TEST(ReportTest, EmptyReportFailsClosedAndWorstExitCodeOrders) {
  Report r;
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  EXPECT_EQ(WorstExitCode(ExitCode::kVerified, ExitCode::kVerificationFailed), ExitCode::kVerificationFailed);
  EXPECT_EQ(WorstExitCode(ExitCode::kUnreadable, ExitCode::kVerificationFailed), ExitCode::kUnreadable);
  EXPECT_EQ(WorstExitCode(ExitCode::kVerificationFailed, ExitCode::kUnreadable), ExitCode::kUnreadable);
  r.Add("x", "x", CheckStatus::kWarn, "w");
  EXPECT_EQ(r.verdict(), Verdict::kVerified);
  r.Add("y", "y", CheckStatus::kFail, "f");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

}  // namespace
}  // namespace keyattest
