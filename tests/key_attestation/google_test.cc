// Google Cloud HSM attestations (docs/marvell-format.md §2.1, §3, §10.2): raw blobs and
// gcloud JSON, the pinned Google owner chain, binding raw blobs to a key.
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "keyattest/io/base64.h"
#include "keyattest/io/gzip.h"
#include "keyattest/key_attestation/facts.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/marvell/blob.h"
#include "keyattest/run/cli_support.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/attestation_json.h"
#include "tests/support/real_testdata.h"
#include "tests/support/synthetic.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

std::optional<std::time_t> ParseRfc3339Helper(const std::string& t) { return ParseRfc3339(t); }

Bytes Gunzip(ByteSpan data) { return GunzipExactlyOnce(data, 1 << 16); }

std::string Base64Std(ByteSpan data) { return Base64Encode(data, Base64Flavor::kStandard); }

class RealGoogleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = RealTestdataDir();
    if (!dir) GTEST_SKIP() << "../shared/testdata/real is absent: skipping the real Google Cloud HSM samples";
    ec_blob_ = ReadFileText(*dir / "google-cloud-hsm-ec-p256/attestation.dat.gz");
    ec_certs_ = ReadFileText(*dir / "google-cloud-hsm-ec-p256/certificates.pem");
    rsa_blob_ = ReadFileText(*dir / "google-cloud-hsm-rsa4096-imported/attestation.dat.gz");
    options_ = DefaultVerifyOptions();
  }
  AttestationDocument EcRaw() const {
    return MakeRawAttestationDocument(AsBytes(ec_blob_), Bytes(ec_certs_.begin(), ec_certs_.end()));
  }
  /// The EC sample as `gcloud kms keys versions describe --format=json` prints it.
  std::string EcGcloudJson() const {
    nlohmann::json chains = {{"caviumCerts", nlohmann::json::array()},
                             {"googleCardCerts", nlohmann::json::array()},
                             {"googlePartitionCerts", nlohmann::json::array()}};
    // certificates.pem: Marvell partition, Marvell card, Google partition, Google card.
    std::vector<std::string> pems;
    for (std::size_t pos = 0; (pos = ec_certs_.find("-----BEGIN", pos)) != std::string::npos;) {
      std::size_t end = ec_certs_.find("-----END CERTIFICATE-----", pos) + 25;
      pems.push_back(ec_certs_.substr(pos, end - pos));
      pos = end;
    }
    EXPECT_EQ(pems.size(), 4u);
    chains["caviumCerts"] = {pems[0], pems[1]};
    chains["googlePartitionCerts"] = {pems[2]};
    chains["googleCardCerts"] = {pems[3]};
    nlohmann::json doc = {
        {"name", "projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"},
        {"protectionLevel", "HSM"},
        {"attestation",
         {{"format", "CAVIUM_V2_COMPRESSED"}, {"content", Base64Std(AsBytes(ec_blob_))}, {"certChains", chains}}}};
    return doc.dump();
  }

  std::string ec_blob_, ec_certs_, rsa_blob_;
  VerifyOptions options_;
};

TEST_F(RealGoogleTest, EcKeyPairVerifiesAgainstPinnedMarvellAndGoogleRoots) {
  Report r = VerifyAzureAttestation(EcRaw(), options_);
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "google");
  EXPECT_EQ(r.Find("owner_root.pin")->status, CheckStatus::kPass);
  EXPECT_EQ(r.Find("certificates.all_used")->detail, "card, partition, Google card, Google partition");
  ASSERT_EQ(KeyAttestationFactsOf(r).blobs.size(), 1u);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].layout, "A");
  ASSERT_EQ(KeyAttestationFactsOf(r).blobs[0].objects.size(), 2u);
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].objects[0].object_class, "CKO_PUBLIC_KEY");
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].objects[1].object_class, "CKO_PRIVATE_KEY");
  EXPECT_EQ(KeyAttestationFactsOf(r).blobs[0].id.size(), 128u);  // a full 128-character ID, no NUL, nothing dropped
  EXPECT_EQ(KeyAttestationFactsOf(r).key->curve, "P-256 (prime256v1)");
}

TEST_F(RealGoogleTest, GcloudJsonVerifies) {
  AttestationDocument doc = ParseAttestationDocument(EcGcloudJson());
  EXPECT_EQ(doc.shape, DocumentShape::kGoogleKeyVersion);
  EXPECT_EQ(doc.private_key_attestation.size(), 2112u);
  Report r = VerifyAzureAttestation(doc, options_);
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(r.Find("document.format")->detail, "CAVIUM_V2_COMPRESSED");
  EXPECT_EQ(KeyAttestationFactsOf(r).key->kid,
            "projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1");
}

TEST_F(RealGoogleTest, GcloudJsonInputErrors) {
  auto doc = nlohmann::json::parse(EcGcloudJson());
  auto bad = doc;
  bad["attestation"]["content"] = Base64Std(Gunzip(AsBytes(ec_blob_)));
  EXPECT_THROW(ParseAttestationDocument(bad.dump()), InputError);
  try {
    ParseAttestationDocument(bad.dump());
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "field 'attestation.content' is not gzip-compressed");
  }
  Bytes corrupt(ec_blob_.begin(), ec_blob_.end());
  corrupt[corrupt.size() - 6] ^= 1;  // inside the CRC-32
  bad["attestation"]["content"] = Base64Std(corrupt);
  try {
    ParseAttestationDocument(bad.dump());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("field 'attestation.content': gzip: CRC-32 mismatch", 0), 0u) << e.what();
  }
  bad = doc;
  bad["attestation"]["certChains"] = "x";
  EXPECT_THROW(ParseAttestationDocument(bad.dump()), InputError);
  bad = doc;
  bad["attestation"]["certChains"]["caviumCerts"] = {1};
  EXPECT_THROW(ParseAttestationDocument(bad.dump()), InputError);
  bad = doc;
  bad["attestation"]["format"] = "CAVIUM_V9";
  EXPECT_EQ(VerifyAzureAttestation(ParseAttestationDocument(bad.dump()), options_).Find("document.format")->detail,
            "unsupported format 'CAVIUM_V9'");
}

TEST_F(RealGoogleTest, RawBlobBindsToItsKeyThroughEkcv) {
  // Build the expected key from the attested point, then check KCV and EKCV
  // (SHA-256 of the SPKI) against Google's own values: our canonical SPKI
  // must match the HSM's.
  Bytes raw = Gunzip(AsBytes(ec_blob_));
  marvell::ParsedBlob parsed = marvell::ParseBlob(raw, 256);
  marvell::AttestedKey priv = marvell::InterpretKeyObject(parsed.objects[1]);
  ASSERT_TRUE(priv.ekcv.has_value());
  ExpectedKey key;
  key.source = "--key test";
  key.kty = "EC";
  key.ec_nid = 415;
  key.ec_point = *priv.modulus;
  key.spki_der = EcSpkiDer(415, key.ec_point);
  options_.expected_key = std::make_shared<ExpectedKey>(key);
  Report r = VerifyAzureAttestation(EcRaw(), options_);
  EXPECT_EQ(r.Find("binding.key_material")->status, CheckStatus::kPass) << r.Find("binding.key_material")->detail;
  EXPECT_EQ(r.Find("binding.check_value")->detail,
            "KCV " + HexEncode(*priv.kcv) + ", EKCV match the SubjectPublicKeyInfo of the --key test");
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  // Another key fails.
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kSubjectEcP256);
  options_.expected_key = std::make_shared<ExpectedKey>(
      ExpectedKeyFromJwk(nlohmann::json::parse(MakeJwkJson(other.get(), "https://x.example/keys/k/v")), "--key other"));
  Report wrong = VerifyAzureAttestation(EcRaw(), options_);
  EXPECT_EQ(wrong.Find("binding.key_material")->detail, "EC public point differs from the --key other");
  EXPECT_EQ(wrong.verdict(), Verdict::kFailed);
}

TEST_F(RealGoogleTest, ImportedRsaKeyParsesButFailsGeneratedAndHasNoChain) {
  options_.requirements = ParseRequirements({"generated"});
  Report r = VerifyAzureAttestation(MakeRawAttestationDocument(AsBytes(rsa_blob_), std::nullopt), options_);
  EXPECT_EQ(r.Find("private.structure")->detail,
            "layout A, 1666 bytes, 1 object, 37 attributes (signature length 256 inferred from the structure: no "
            "partition key)");
  EXPECT_EQ(r.Find("private.signature")->status, CheckStatus::kSkip);
  EXPECT_EQ(r.Find("policy.generated")->detail, "OBJ_ATTR_LOCAL=0, OBJ_ATTR_NEVER_EXTRACTABLE=0");
  EXPECT_EQ(r.Find("certificates.bundle")->detail,
            "no certificate bundle was given (--certs FILE); the blob's signature cannot be checked");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  EXPECT_EQ(KeyAttestationFactsOf(r).key->size_bits, 4096);
}

TEST_F(RealGoogleTest, ChainRules) {
  // Without the Google card certificate.
  std::string certs = ec_certs_;
  std::size_t last = certs.rfind("-----BEGIN CERTIFICATE-----");
  AttestationDocument doc = MakeRawAttestationDocument(
      AsBytes(ec_blob_), Bytes(certs.begin(), certs.begin() + static_cast<std::ptrdiff_t>(last)));
  EXPECT_EQ(VerifyAzureAttestation(doc, options_).Find("chain.owner")->detail,
            "no certificate issued by the pinned Google root carries the HSM card's key");
  // With an unused extra certificate.
  std::string extra = ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/marvell-ls2-2024.pem");
  const std::string with_extra = ec_certs_ + extra;
  doc = MakeRawAttestationDocument(AsBytes(ec_blob_), Bytes(with_extra.begin(), with_extra.end()));
  Report r = VerifyAzureAttestation(doc, options_);
  EXPECT_EQ(r.Find("certificates.all_used")->detail,
            "certificates outside both chains: CN=cavium-liquidsecurity-ls2,O=Marvell+L=SanJose+OU=SSBU+ST=CA+C=US");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  // The Google certificates expire 2030-01-01.
  options_.check_time = keyattest::CheckTime::At(*ParseRfc3339Helper("2030-06-01T00:00:00Z"));
  Report late = VerifyAzureAttestation(EcRaw(), options_);
  EXPECT_EQ(late.Find("chain.owner")->detail.rfind("OpenSSL: certificate has expired", 0), 0u)
      << late.Find("chain.owner")->detail;
  // A pin that is not Google's root.
  options_.check_time = keyattest::CheckTime::Now();
  options_.owner_roots.push_back({Bytes(32, 0xab), std::nullopt});
  EXPECT_EQ(VerifyAzureAttestation(EcRaw(), options_).Find("owner_root.pin")->status, CheckStatus::kFail);
}

/// A Google-style synthetic chain: a test Google root directly certifies
/// the Marvell card and partition keys.
struct SyntheticGoogle {
  Synthetic s;
  EvpPkeyPtr google_key = LoadTestKey(TestKeyId::kOwnerRootRsa2048);
  X509Ptr google_root, google_card, google_partition;

  SyntheticGoogle() {
    CertSpec root =
        CaSpec({{"C", "US"}, {"O", "Google Inc"}, {"CN", "Test Hawksbill Root"}}, 3, Utc(2017, 7, 1), Utc(2030, 1, 1));
    root.add_ski_aki = false;  // as the real Hawksbill root
    google_root = IssueCertificate(root, google_key.get(), nullptr, google_key.get());
    google_card = Leaf("HSM:TEST1234-ICM000001, for non-FIPS mode", s.chain.card_key.get());
    google_partition = Leaf("HSM:TEST1234-ICM000001:PARTN:1, for non-FIPS mode", s.chain.partition_key.get());
    s.options.google_roots.clear();
    s.options.google_roots.emplace_back(Root());
  }
  /// A copy of the synthetic Google root, as a pin or anchor.
  Certificate Root() const { return Certificate(X509Ptr(X509_dup(google_root.get()))); }
  X509Ptr Leaf(const std::string& cn, EVP_PKEY* key) {
    CertSpec spec;
    spec.subject = {{"CN", cn}};
    spec.not_before = Utc(2024, 4, 1);
    spec.not_after = Utc(2030, 1, 1);
    spec.basic_constraints_ca = false;
    spec.key_usage = KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT;
    return IssueCertificate(spec, key, google_root.get(), google_key.get());
  }
  std::string Bundle() const {
    return CertToPem(s.chain.partition.get()) + CertToPem(s.chain.card.get()) + CertToPem(google_partition.get()) +
           CertToPem(google_card.get());
  }
  Bytes KeyPairBlob() const {
    return LayoutABuilder({{2022, s.public_attributes, {}, {}}, {8870, s.private_attributes, {}, {}}})
        .Sign(s.chain.partition_key.get());
  }
  Report Verify(const std::string& bundle) const {
    Bytes gz = Gzip(KeyPairBlob());
    return VerifyAzureAttestation(MakeRawAttestationDocument(gz, Bytes(bundle.begin(), bundle.end())), s.options);
  }
};

TEST(SyntheticGoogleTest, KeyPairVerifies) {
  SyntheticGoogle g;
  Report r = g.Verify(g.Bundle());
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "google");
}

TEST(SyntheticGoogleTest, OwnerPartitionWithAnotherKeyFails) {
  SyntheticGoogle g;
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  X509Ptr wrong = g.Leaf("HSM:TEST1234-ICM000001:PARTN:1, for non-FIPS mode", other.get());
  std::string bundle = CertToPem(g.s.chain.partition.get()) + CertToPem(g.s.chain.card.get()) + CertToPem(wrong.get()) +
                       CertToPem(g.google_card.get());
  EXPECT_EQ(g.Verify(bundle).Find("chain.owner")->detail,
            "no certificate issued by the pinned Google root carries the partition's key");
}

TEST(SyntheticGoogleTest, UnpinnedGoogleLikeRootFails) {
  SyntheticGoogle g;
  g.s.options.google_roots = BuiltinGoogleRoots();  // the real Hawksbill root did not issue these
  Report r = g.Verify(g.Bundle());
  EXPECT_EQ(r.Find("chain.owner")->status, CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(SyntheticGoogleTest, OwnerRootOptionReplacesTheGoogleAnchor) {
  SyntheticGoogle g;
  g.s.options.google_roots = BuiltinGoogleRoots();
  g.s.options.owner_roots.push_back(OwnerRootPinOf(g.Root()));
  Report r = g.Verify(g.Bundle());
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(r.Find("owner_root.pin")->status, CheckStatus::kPass);
}

TEST(SyntheticGoogleTest, ACertificatePinAnchorsWhateverItsPositionAmongThePins) {
  // A hex pin first, the certificate second: the certificate is still the
  // Google-style anchor (it once was only when it came first).
  SyntheticGoogle g;
  g.s.options.google_roots = BuiltinGoogleRoots();
  const Certificate root = g.Root();
  g.s.options.owner_roots.push_back({Bytes(32, 0xab), std::nullopt});
  g.s.options.owner_roots.push_back(OwnerRootPinOf(root));
  Report r = g.Verify(g.Bundle());
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(r.Find("owner_root.pin")->status, CheckStatus::kPass);
}

TEST(SyntheticGoogleTest, HexPinsAloneKeepTheBuiltInGoogleAnchors) {
  // Negative twin: the same root's SPKI as hex only is a pin, never an
  // anchor, so a chain to a root that is not built in still fails.
  SyntheticGoogle g;
  g.s.options.google_roots = BuiltinGoogleRoots();
  const Certificate root = g.Root();
  g.s.options.owner_roots.push_back({root.spki_sha256(), std::nullopt});
  Report r = g.Verify(g.Bundle());
  EXPECT_EQ(r.Find("chain.owner")->status, CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(SyntheticGoogleTest, GoogleCertificateThatIsACaFails) {
  SyntheticGoogle g;
  CertSpec spec;
  spec.subject = {{"CN", "HSM:TEST1234-ICM000001:PARTN:1, for non-FIPS mode"}};
  spec.not_before = Utc(2024, 4, 1);
  spec.not_after = Utc(2030, 1, 1);
  spec.basic_constraints_ca = true;
  X509Ptr ca = IssueCertificate(spec, g.s.chain.partition_key.get(), g.google_root.get(), g.google_key.get());
  std::string bundle = CertToPem(g.s.chain.partition.get()) + CertToPem(g.s.chain.card.get()) + CertToPem(ca.get()) +
                       CertToPem(g.google_card.get());
  EXPECT_EQ(g.Verify(bundle).Find("chain.owner")->detail,
            "Google-issued certificate 'HSM:TEST1234-ICM000001:PARTN:1, for non-FIPS mode' is a CA (basicConstraints "
            "CA:TRUE)");
}

TEST(RawBlobTest, EmptyAndCorruptGzipAreUnreadable) {
  EXPECT_THROW(MakeRawAttestationDocument(Bytes{}, std::nullopt), InputError);
  Bytes gz = Gzip(Bytes(300, 7));
  gz.back() ^= 1;  // ISIZE
  try {
    MakeRawAttestationDocument(gz, std::nullopt);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("attestation blob: gzip: ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace keyattest
