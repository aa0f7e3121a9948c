// Manufacturer and owner chain rules, each with its passing twin.
#include <gtest/gtest.h>

#include "keyattest/key_attestation/facts.h"
#include "tests/support/synthetic.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

TEST(ChainTest, DefaultSyntheticChainWithV1CardVerifies) {
  Synthetic s;
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(X509_get_version(s.chain.card.get()), X509_VERSION_1);
}

TEST(ChainTest, LookAlikeRootIsNotAnAnchor) {
  ChainOptions o;
  o.root_key = TestKeyId::kLookAlikeRootRsa2048;  // same DN, other key signs the card
  Synthetic s(o);
  s.options.marvell_roots.clear();
  s.options.marvell_roots.emplace_back(
      Certificate(X509Ptr(X509_dup(MakeTestChain().root.get()))));  // the genuine test root
  Report r = s.Verify();
  // The card names the pinned root's DN, so it is the candidate; its
  // signature is not the pinned key's.
  EXPECT_EQ(Detail(r, "chain.manufacturer"),
            "OpenSSL: certificate signature failure (error 7, depth 1, CN=HSM:TEST1234-ICM000001\\, for non-FIPS "
            "mode,L=SanJose+OU=N3FIPS+O=Cavium+ST=CA+C=US)");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(ChainTest, V3CardThatIsACaVerifiesWithoutTolerance) {
  ChainOptions o;
  o.card_version = 3;
  o.card_basic_constraints = true;
  o.card_key_usage = KU_KEY_CERT_SIGN | KU_DIGITAL_SIGNATURE;
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(Detail(r, "chain.manufacturer").find("v1 card"), std::string::npos);
}

TEST(ChainTest, V3CardWithCaFalseFails) {
  ChainOptions o;
  o.card_version = 3;
  o.card_basic_constraints = false;
  Synthetic s(o);
  EXPECT_EQ(Detail(s.Verify(), "chain.manufacturer"), "card certificate has basicConstraints CA:FALSE");
}

TEST(ChainTest, V3CardWithoutExtensionsIsNotTolerated) {
  // Error 79 is tolerated only for an X.509 v1 card, as real cards are.
  ChainOptions o;
  o.card_version = 3;
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(
      Detail(r, "chain.manufacturer").rfind("OpenSSL: invalid CA certificate (error 79, depth 1, CN=HSM:TEST1234", 0),
      0u)
      << Detail(r, "chain.manufacturer");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(ChainTest, V3CardWithKeyUsageLackingCertSignFails) {
  ChainOptions o;
  o.card_version = 3;
  o.card_basic_constraints = true;
  o.card_key_usage = KU_DIGITAL_SIGNATURE;
  Synthetic s(o);
  EXPECT_EQ(Detail(s.Verify(), "chain.manufacturer"), "card certificate's keyUsage lacks keyCertSign");
}

TEST(ChainTest, PartitionThatIsACaFails) {
  ChainOptions o;
  o.partition_basic_constraints = true;
  Synthetic s(o);
  EXPECT_EQ(Detail(s.Verify(), "chain.manufacturer"), "partition certificate is a CA (basicConstraints CA:TRUE)");
}

TEST(ChainTest, PartitionWithCaFalseAndDigitalSignatureVerifies) {
  ChainOptions o;
  o.partition_basic_constraints = false;
  o.partition_key_usage = KU_DIGITAL_SIGNATURE;
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
}

TEST(ChainTest, PartitionKeyUsageWithoutDigitalSignatureFails) {
  ChainOptions o;
  o.partition_key_usage = KU_KEY_ENCIPHERMENT;
  Synthetic s(o);
  EXPECT_EQ(Detail(s.Verify(), "chain.manufacturer"), "partition certificate's keyUsage lacks digitalSignature");
}

TEST(ChainTest, WeakPartitionKeyFails) {
  ChainOptions o;
  o.partition_key = TestKeyId::kWeakRsa1024;
  Synthetic s(o);
  EXPECT_EQ(Detail(s.Verify(), "chain.manufacturer"), "partition certificate key is 1024-bit RSA, minimum 2048");
}

TEST(ChainTest, PartitionExponentThreeFails) {
  ChainOptions o;
  o.partition_key = TestKeyId::kRsa2048Exponent3;
  Synthetic s(o);
  EXPECT_EQ(Detail(s.Verify(), "chain.manufacturer"), "partition certificate key's public exponent is not 65537");
}

TEST(ChainTest, EcPartitionKeyFails) {
  ChainOptions o;
  o.partition_key = TestKeyId::kEcP256Signer;
  Synthetic s(o);
  Report r = VerifyAzureAttestation(s.Document(Bytes(600, 0), std::nullopt), s.options);
  EXPECT_EQ(Detail(r, "chain.manufacturer"), "partition certificate key is not RSA (EC-256)");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(ChainTest, Sha1SignedCardFails) {
  ChainOptions o;
  o.card_md = EVP_sha1();
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(Detail(r, "chain.manufacturer"),
            "card certificate is signed with sha1WithRSAEncryption; only SHA-256/384/512 with RSA is accepted");
}

TEST(ChainTest, ExpiredPartitionFails) {
  Synthetic s;
  s.options.check_time = keyattest::CheckTime::At(Utc(2034, 3, 2));
  Report r = s.Verify();
  EXPECT_EQ(Detail(r, "chain.manufacturer").rfind("OpenSSL: certificate has expired (error 10, depth ", 0), 0u)
      << Detail(r, "chain.manufacturer");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(ChainTest, NotYetValidCardFails) {
  Synthetic s;
  s.options.check_time = keyattest::CheckTime::At(Utc(2024, 1, 15));  // root valid, card from 2024-02-01
  Report r = s.Verify();
  EXPECT_EQ(Detail(r, "chain.manufacturer").rfind("OpenSSL: certificate is not yet valid (error 9, depth ", 0), 0u)
      << Detail(r, "chain.manufacturer");
}

TEST(ChainTest, SecondPartitionCertificateIsAmbiguous) {
  Synthetic s;
  CertSpec spec;
  spec.subject = {{"CN", "HSM:TEST1234-ICM000001:PARTN:2, for non-FIPS mode"}};
  spec.not_before = Utc(2024, 3, 1);
  spec.not_after = Utc(2034, 3, 1);
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  X509Ptr second = IssueCertificate(spec, other.get(), s.chain.card.get(), s.chain.card_key.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), s.chain.BundlePem() + CertToPem(second.get())));
  EXPECT_EQ(Detail(r, "chain.manufacturer").rfind("ambiguous: 2 certificates could be the partition certificate", 0),
            0u)
      << Detail(r, "chain.manufacturer");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(ChainTest, SecondCardCertificateIsAmbiguous) {
  Synthetic s;
  CertSpec spec;
  spec.subject = {{"CN", "HSM:OTHER-CARD, for non-FIPS mode"}};
  spec.version = 1;
  spec.not_before = Utc(2024, 2, 1);
  spec.not_after = Utc(2034, 2, 1);
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  X509Ptr card2 = IssueCertificate(spec, other.get(), s.chain.root.get(), s.chain.root_key.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), s.chain.BundlePem() + CertToPem(card2.get())));
  EXPECT_EQ(Detail(r, "chain.manufacturer").rfind("ambiguous: 2 certificates could be the HSM card certificate", 0),
            0u);
}

TEST(ChainTest, Ls2StyleRootAndRsa4096PartitionVerify) {
  ChainOptions o;
  o.root_key = TestKeyId::kRootRsa4096;
  o.partition_key = TestKeyId::kPartitionRsa4096;
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs.at(0).signature_length, 512u);
}

TEST(OwnerChainTest, OwnerPartitionWithAnotherKeyFails) {
  ChainOptions o;
  o.owner_partition_key = TestKeyId::kOtherPartitionRsa2048;
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(Detail(r, "chain.owner"), "no owner certificate in the bundle carries the partition's public key");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerChainTest, MissingOwnerRootFails) {
  Synthetic s;
  std::string bundle =
      CertToPem(s.chain.card.get()) + CertToPem(s.chain.partition.get()) + CertToPem(s.chain.owner_partition.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), bundle));
  EXPECT_EQ(Detail(r, "chain.owner").rfind("no self-signed owner root in the bundle issued the owner partition", 0),
            0u);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerChainTest, ExpiredOwnerChainFails) {
  ChainOptions o;
  o.owner_partition_validity = {Utc(2025, 1, 1), Utc(2026, 1, 1)};
  Synthetic s(o);
  Report r = s.Verify();
  EXPECT_EQ(r.Find("chain.manufacturer")->status, CheckStatus::kPass);
  EXPECT_EQ(Detail(r, "chain.owner").rfind("OpenSSL: certificate has expired (error 10, depth 0", 0), 0u)
      << Detail(r, "chain.owner");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerChainTest, OwnerRootWithBadSelfSignatureFails) {
  Synthetic s;
  CertSpec spec;
  spec.subject = {
      {"C", "US"}, {"ST", "Washington"}, {"L", "Redmond"}, {"O", "Microsoft Corporation"}, {"CN", "testpool"}};
  spec.not_before = Utc(2025, 1, 1);
  spec.not_after = Utc(2050, 1, 1);
  spec.basic_constraints_ca = true;
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kLookAlikeRootRsa2048);
  // Self-issued (subject == issuer) with the owner root's key, signed by another key.
  X509Ptr bad_root = IssueCertificate(spec, s.chain.owner_root_key.get(), nullptr, other.get());
  std::string bundle = CertToPem(s.chain.card.get()) + CertToPem(s.chain.partition.get()) + CertToPem(bad_root.get()) +
                       CertToPem(s.chain.owner_partition.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), bundle));
  EXPECT_EQ(Detail(r, "chain.owner").rfind("OpenSSL: certificate signature failure (error 7, depth 1", 0), 0u)
      << Detail(r, "chain.owner");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerChainTest, SecondOwnerRootIsAmbiguous) {
  Synthetic s;
  // Another self-signed root with the same DN and key issuing nothing new is
  // an exact duplicate only if identical; make it differ by serial.
  CertSpec spec;
  spec.subject = {
      {"C", "US"}, {"ST", "Washington"}, {"L", "Redmond"}, {"O", "Microsoft Corporation"}, {"CN", "testpool"}};
  spec.serial = 99;
  spec.not_before = Utc(2025, 1, 1);
  spec.not_after = Utc(2050, 1, 1);
  spec.basic_constraints_ca = true;
  X509Ptr twin = IssueCertificate(spec, s.chain.owner_root_key.get(), nullptr, s.chain.owner_root_key.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), s.chain.BundlePem() + CertToPem(twin.get())));
  EXPECT_EQ(Detail(r, "chain.owner").rfind("ambiguous: 2 self-signed roots could have issued", 0), 0u)
      << Detail(r, "chain.owner");
}

}  // namespace
}  // namespace keyattest
