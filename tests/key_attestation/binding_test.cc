// Key binding (docs/marvell-format.md §8.2) and owner-root pinning: each rule passes on
// the genuine input and fails on a tampered twin.
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <algorithm>
#include <fstream>

#include "keyattest/io/base64.h"
#include "keyattest/key_attestation/facts.h"
#include "keyattest/key_attestation/owner_root_pins.h"
#include "tests/support/attestation_files.h"
#include "tests/support/attestation_json.h"
#include "tests/support/synthetic.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

const VerifyOptions& Builtin() {
  static const VerifyOptions options = DefaultVerifyOptions();
  return options;
}

AttestationDocument Sample(const std::string& name) { return ParseAttestationDocument(ReadRepoSample(name)); }

Report VerifyWithJwk(AttestationDocument doc, const nlohmann::json& jwk, const VerifyOptions& options = Builtin()) {
  doc.key = jwk;
  return VerifyAzureAttestation(doc, options);
}

CheckStatus StatusOf(const Report& r, const std::string& id) {
  const CheckResult* c = r.Find(id);
  return c ? c->status : CheckStatus::kFail;
}

/// Replaces one base64url member of a JWK with the encoding of `bytes`.
nlohmann::json WithMember(nlohmann::json jwk, const char* member, const Bytes& bytes) {
  jwk[member] = EncodeBase64Url(bytes);
  return jwk;
}

Bytes MemberBytes(const nlohmann::json& jwk, const char* member) {
  return DecodeBase64Any(jwk[member].get<std::string>(), nullptr).value();
}

TEST(BindingTest, EcSampleBindsKeyIdAndPool) {
  Report r = VerifyAzureAttestation(Sample("azure-sdk-net-ec-p256"), Builtin());
  EXPECT_EQ(r.Find("binding.key_material")->detail, "EC prime256v1 public key equals the attestation JWK");
  EXPECT_EQ(r.Find("binding.check_value")->detail,
            "KCV d802e6 matches the SubjectPublicKeyInfo of the attestation JWK");
  EXPECT_EQ(StatusOf(r, "binding.key_id"), CheckStatus::kPass);
  EXPECT_EQ(r.Find("owner.pool_name")->detail, "owner root CN 'rgjoncardekv318hsm' equals the kid's pool");
  ASSERT_TRUE(KeyAttestationFactsOf(r).key.has_value());
  EXPECT_EQ(KeyAttestationFactsOf(r).key->kid,
            "https://rgjoncardekv318hsm.managedhsm.azure.net/keys/415960149/8072dc2365e306109ecd7c202ff169b7");
  EXPECT_EQ(KeyAttestationFactsOf(r).key->curve, "P-256 (prime256v1)");
}

TEST(BindingTest, JsSampleBindsButWarnsOnSanitizedPool) {
  Report r = VerifyAzureAttestation(Sample("azure-sdk-js-rsa2048"), Builtin());
  EXPECT_EQ(r.verdict(), Verdict::kVerified);
  EXPECT_EQ(StatusOf(r, "binding.key_material"), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(r, "binding.key_id"), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(r, "owner.pool_name"), CheckStatus::kWarn);
  EXPECT_EQ(r.Find("owner.pool_name")->detail,
            "owner root CN 'acavalari-sdkhsm' differs from the kid's pool 'azure_managedhsm'");
  EXPECT_EQ(KeyAttestationFactsOf(r).key->size_bits, 2048);
}

TEST(BindingTest, TamperedRsaModulusFails) {
  AttestationDocument doc = Sample("azure-sdk-js-rsa2048");
  Bytes n = MemberBytes(doc.key, "n");
  n[100] ^= 1;
  Report r = VerifyWithJwk(doc, WithMember(doc.key, "n", n));
  EXPECT_EQ(r.Find("binding.key_material")->detail, "RSA modulus differs from the attestation JWK");
  EXPECT_EQ(StatusOf(r, "binding.check_value"), CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(BindingTest, TamperedRsaExponentFails) {
  AttestationDocument doc = Sample("azure-sdk-js-rsa2048");
  Report r = VerifyWithJwk(doc, WithMember(doc.key, "e", Bytes{0x01, 0x00, 0x03}));
  EXPECT_EQ(r.Find("binding.key_material")->detail, "RSA public exponent differs from the attestation JWK");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(BindingTest, TamperedEcCoordinatesFail) {
  AttestationDocument doc = Sample("azure-sdk-net-ec-p256");
  for (const char* member : {"x", "y"}) {
    Bytes v = MemberBytes(doc.key, member);
    v[5] ^= 1;
    Report r = VerifyWithJwk(doc, WithMember(doc.key, member, v));
    EXPECT_EQ(StatusOf(r, "binding.key_material"), CheckStatus::kFail) << member;
    EXPECT_EQ(r.verdict(), Verdict::kFailed) << member;
  }
  // A valid point of another key: the comparison itself must catch it.
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kSubjectEcP256);
  auto other_jwk = nlohmann::json::parse(MakeJwkJson(other.get(), doc.key["kid"].get<std::string>()));
  Report r = VerifyWithJwk(doc, other_jwk);
  EXPECT_EQ(r.Find("binding.key_material")->detail, "EC public point differs from the attestation JWK");
}

TEST(BindingTest, AnIdWhoseBlobSignatureFailsIsNotCalledSigned) {
  // A forger edits the ID inside the private blob: the signature no longer
  // verifies, and the ID the detail shows must not be called signed.
  AttestationDocument doc = Sample("azure-sdk-net-ec-p256");
  Bytes& blob = doc.private_key_attestation;
  const std::string id = "/keys/415960149/";
  const auto at = std::search(blob.begin(), blob.end(), id.begin(), id.end());
  ASSERT_NE(at, blob.end());
  *(at + 6) = '5';  // /keys/515960149/
  Report renamed = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(StatusOf(renamed, "private.signature"), CheckStatus::kFail);
  EXPECT_EQ(renamed.Find("binding.key_id")->detail,
            "kid key name '415960149' differs from the unverified name '515960149' (the private blob's signature "
            "does not verify)");
  // The ID intact and the signature broken: the names agree, still unverified.
  AttestationDocument bad_signature = Sample("azure-sdk-net-ec-p256");
  bad_signature.private_key_attestation.back() ^= 0x01;  // the signature ends the blob
  Report broken = VerifyAzureAttestation(bad_signature, Builtin());
  EXPECT_EQ(StatusOf(broken, "private.signature"), CheckStatus::kFail);
  EXPECT_EQ(broken.Find("binding.key_id")->detail,
            "kid name '415960149' and version '8072dc2365e306109ecd7c202ff169b7' equal the unverified ID (the private "
            "blob's signature does not verify)");
  EXPECT_EQ(broken.verdict(), Verdict::kFailed);
  // Negative twin: the genuine blob's ID is signed.
  const Report genuine = VerifyAzureAttestation(Sample("azure-sdk-net-ec-p256"), Builtin());
  EXPECT_EQ(genuine.Find("binding.key_id")->detail,
            "kid name '415960149' and version '8072dc2365e306109ecd7c202ff169b7' equal the signed ID");
}

TEST(BindingTest, TamperedCurveFails) {
  AttestationDocument doc = Sample("azure-sdk-net-ec-p256");
  auto jwk = doc.key;
  jwk["crv"] = "P-384";
  EXPECT_EQ(VerifyWithJwk(doc, jwk).Find("binding.key_material")->detail,
            "attestation JWK: JWK x/y are not 48 bytes for P-384");
  jwk["crv"] = "P-256K";  // same sizes, but the point is not on secp256k1
  Report r = VerifyWithJwk(doc, jwk);
  EXPECT_EQ(StatusOf(r, "binding.key_material"), CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(BindingTest, KidNameAndVersionMustMatch) {
  AttestationDocument doc = Sample("azure-sdk-net-ec-p256");
  auto jwk = doc.key;
  jwk["kid"] = "https://rgjoncardekv318hsm.managedhsm.azure.net/keys/otherkey/8072dc2365e306109ecd7c202ff169b7";
  EXPECT_EQ(VerifyWithJwk(doc, jwk).Find("binding.key_id")->detail,
            "kid key name 'otherkey' differs from the signed name '415960149'");
  jwk["kid"] = "https://rgjoncardekv318hsm.managedhsm.azure.net/keys/415960149/ffff";
  EXPECT_EQ(VerifyWithJwk(doc, jwk).Find("binding.key_id")->detail,
            "kid version 'ffff' differs from the signed version '8072dc2365e306109ecd7c202ff169b7'");
  jwk["kid"] = "https://rgjoncardekv318hsm.managedhsm.azure.net/keys/415960149";
  Report unversioned = VerifyWithJwk(doc, jwk);
  EXPECT_EQ(StatusOf(unversioned, "binding.key_id"), CheckStatus::kPass);
  EXPECT_EQ(
      unversioned.Find("binding.key_id")->detail,
      "name '415960149' bound; the kid has no version, so the version ('8072dc2365e306109ecd7c202ff169b7') is not "
      "bound");
  jwk["kid"] = "not a url";
  EXPECT_EQ(VerifyWithJwk(doc, jwk).Find("binding.key_material")->detail,
            "attestation JWK: JWK kid 'not a url' does not start with https://");
}

TEST(BindingTest, SymmetricJwkAgainstRsaAttestationFails) {
  AttestationDocument doc = Sample("azure-sdk-js-rsa2048");
  nlohmann::json jwk = {{"kty", "oct-HSM"}, {"kid", doc.key["kid"]}};
  EXPECT_EQ(VerifyWithJwk(doc, jwk).Find("binding.key_material")->detail,
            "the attestation JWK is symmetric (oct-HSM) but the attested key is CKK_RSA");
}

TEST(BindingTest, NoJwkSkipsBinding) {
  AttestationDocument doc = Sample("azure-sdk-js-rsa2048");
  doc.key = nullptr;
  Report r = VerifyAzureAttestation(doc, Builtin());
  EXPECT_EQ(StatusOf(r, "binding.key_material"), CheckStatus::kSkip);
  EXPECT_EQ(r.Find("binding.key_material")->detail,
            "nothing to bind: the input has no 'key' JWK and no --key was given");
  EXPECT_EQ(r.verdict(), Verdict::kVerified);
}

TEST(BindingTest, KeyFileOverridesJwk) {
  AttestationDocument doc = Sample("azure-sdk-js-rsa2048");
  ExpectedKey from_jwk = ExpectedKeyFromJwk(doc.key, "x");
  VerifyOptions options = DefaultVerifyOptions();
  // A --key holding the right key rescues a tampered JWK ...
  std::string pem_path = ::testing::TempDir() + "right.pem";
  {
    BioPtr bio(BIO_new_file(pem_path.c_str(), "w"));
    ASSERT_TRUE(bio);
    const unsigned char* p = from_jwk.spki_der.data();
    EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(from_jwk.spki_der.size())));
    ASSERT_TRUE(key);
    ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), key.get()), 1);
  }
  options.expected_key = std::make_shared<ExpectedKey>(LoadExpectedKeyFile(pem_path));
  doc.key["n"] = "AQAB";
  Report r = VerifyAzureAttestation(doc, options);
  EXPECT_EQ(r.Find("binding.key_material")->detail, "RSA-2048 public key equals the --key " + pem_path);
  EXPECT_EQ(StatusOf(r, "binding.key_id"), CheckStatus::kPass);  // kid still from the response
  // ... and a --key holding another key fails.
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kSubjectRsa2048);
  std::string jwk_path = ::testing::TempDir() + "other.jwk";
  std::ofstream(jwk_path) << MakeJwkJson(other.get(), doc.key["kid"].get<std::string>());
  options.expected_key = std::make_shared<ExpectedKey>(LoadExpectedKeyFile(jwk_path));
  EXPECT_EQ(VerifyAzureAttestation(doc, options).Find("binding.key_material")->detail,
            "RSA modulus differs from the --key " + jwk_path);
}

TEST(BindingTest, CanonicalSpkiEncodingEqualsOpenSsl) {
  // Our hand-built SubjectPublicKeyInfo must be byte-identical to OpenSSL's
  // for every key shape we bind, or KCV/EKCV comparisons would be wrong.
  for (TestKeyId id : {TestKeyId::kSubjectRsa2048, TestKeyId::kSubjectEcP256, TestKeyId::kPartitionRsa4096,
                       TestKeyId::kRsa2048Exponent3}) {
    EvpPkeyPtr key = LoadTestKey(id);
    ExpectedKey jwk =
        ExpectedKeyFromJwk(nlohmann::json::parse(MakeJwkJson(key.get(), "https://p.example/keys/k/v")), "x");
    EXPECT_EQ(HexEncode(jwk.spki_der), HexEncode(keyattest::SpkiDer(key.get()))) << static_cast<int>(id);
  }
  // A modulus whose top bit is set needs the INTEGER's leading 00; a small
  // exponent does not.
  Bytes spki = RsaSpkiDer(Bytes{0x80, 0x01}, Bytes{0x03});
  EXPECT_EQ(HexEncode(spki),
            "301c"                            // SubjectPublicKeyInfo, 28 bytes
            "300d06092a864886f70d0101010500"  // rsaEncryption, NULL
            "030b00"
            "3008"
            "0203008001"
            "020103");  // BIT STRING { RSAPublicKey { 0x008001, 3 } }
}

TEST(BindingTest, BadKeyFilesAreRejected) {
  std::string path = ::testing::TempDir() + "garbage.key";
  std::ofstream(path) << "hello";
  EXPECT_THROW(LoadExpectedKeyFile(path), KeyError);
  EXPECT_THROW(LoadExpectedKeyFile("/nonexistent.pem"), KeyError);
}

TEST(BindingTest, WrongKcvFailsEvenWhenMaterialMatches) {
  Synthetic s;
  auto attrs = s.private_attributes;
  ReplaceAttribute(attrs, 0x0173, {0xaa, 0xbb, 0xcc});
  s.private_attributes = attrs;
  AttestationDocument doc = s.Document(s.PrivateBlob(), std::nullopt);
  doc.key = nlohmann::json::parse(
      MakeJwkJson(s.subject.get(), AzureKid("testpool", "synthkey", "0123456789abcdef0123456789abcdef")));
  Report r = s.Verify(doc);
  EXPECT_EQ(StatusOf(r, "binding.key_material"), CheckStatus::kPass);
  EXPECT_EQ(r.Find("binding.check_value")->detail.rfind("attested KCV aabbcc != ", 0), 0u)
      << r.Find("binding.check_value")->detail;
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(BindingTest, SyntheticJwkBindsFully) {
  Synthetic s({}, TestKeyId::kSubjectEcP256);
  AttestationDocument doc = s.Document();
  doc.key = nlohmann::json::parse(
      MakeJwkJson(s.subject.get(), AzureKid("testpool", "synthkey", "0123456789abcdef0123456789abcdef")));
  Report r = s.Verify(doc);
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(StatusOf(r, "owner.pool_name"), CheckStatus::kPass);
}

TEST(OwnerPinTest, CorrectPinPassesWrongPinFails) {
  AttestationDocument doc = Sample("azure-sdk-net-ec-p256");
  VerifyOptions options = DefaultVerifyOptions();
  options.owner_roots.push_back(
      {*ParseSpkiPinHex("aced85b90132629ebcee035b3b08d59b5cb890ff2cb5fa659545dd58845bc123"), std::nullopt});
  Report good = VerifyAzureAttestation(doc, options);
  EXPECT_EQ(StatusOf(good, "owner_root.pin"), CheckStatus::kPass);
  EXPECT_EQ(good.verdict(), Verdict::kVerified);
  // The JS sample's pool root is not this pool's.
  Report foreign = VerifyAzureAttestation(Sample("azure-sdk-js-rsa2048"), options);
  EXPECT_EQ(
      foreign.Find("owner_root.pin")->detail,
      "owner root 'acavalari-sdkhsm' SPKI SHA-256 236a9a4ee9170a7195003abf962f547e55c7640ec517d07f956ad5e8e870f9fe "
      "is not the pinned aced85b90132629ebcee035b3b08d59b5cb890ff2cb5fa659545dd58845bc123");
  EXPECT_EQ(foreign.verdict(), Verdict::kFailed);
}

TEST(OwnerPinTest, AttackerOwnerRootFailsWithPin) {
  // An attacker re-certifies the genuine partition key under their own root:
  // the unpinned chain verifies (and warns), the pinned one fails.
  Synthetic s;
  EvpPkeyPtr attacker = LoadTestKey(TestKeyId::kLookAlikeRootRsa2048);
  CertSpec root_spec;
  root_spec.subject = {{"CN", "testpool"}, {"O", "Microsoft Corporation"}};
  root_spec.not_before = Utc(2025, 1, 1);
  root_spec.not_after = Utc(2050, 1, 1);
  root_spec.basic_constraints_ca = true;
  root_spec.bc_critical = true;
  X509Ptr evil_root = IssueCertificate(root_spec, attacker.get(), nullptr, attacker.get());
  CertSpec leaf;
  leaf.subject = {{"CN", "HSM:TEST1234-ICM000001:PARTN:1, for non-FIPS mode"}};
  leaf.not_before = Utc(2025, 1, 1);
  leaf.not_after = Utc(2050, 1, 1);
  leaf.basic_constraints_ca = false;
  X509Ptr evil_leaf = IssueCertificate(leaf, s.chain.partition_key.get(), evil_root.get(), attacker.get());
  std::string bundle = CertToPem(s.chain.card.get()) + CertToPem(s.chain.partition.get()) + CertToPem(evil_root.get()) +
                       CertToPem(evil_leaf.get());
  AttestationDocument doc = s.Document(s.PrivateBlob(), s.PublicBlob(), bundle);
  Report unpinned = s.Verify(doc);
  EXPECT_EQ(StatusOf(unpinned, "owner_root.pin"), CheckStatus::kWarn);
  s.options.owner_roots.push_back({Sha256(keyattest::SpkiDer(s.chain.owner_root_key.get())), std::nullopt});
  Report pinned = s.Verify(doc);
  EXPECT_EQ(StatusOf(pinned, "owner_root.pin"), CheckStatus::kFail);
  EXPECT_EQ(pinned.verdict(), Verdict::kFailed);
  EXPECT_EQ(s.Verify(s.Document()).verdict(), Verdict::kVerified);  // the genuine bundle passes the pin
}

TEST(OwnerPinTest, PinParsing) {
  EXPECT_EQ(HexEncode(*ParseSpkiPinHex(
                "AC:ED:85:b9:01:32:62:9e:bc:ee:03:5b:3b:08:d5:9b:5c:b8:90:ff:2c:b5:fa:65:95:45:dd:58:84:5b:c1:23")),
            "aced85b90132629ebcee035b3b08d59b5cb890ff2cb5fa659545dd58845bc123");
  const std::string pem = ReadAttestationInput(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/marvell-ls2-2024.pem");
  const OwnerRootPin from_pem = OwnerRootPinFromPem(AsBytes(pem));
  EXPECT_EQ(HexEncode(from_pem.spki_sha256), "f84b0610f2ca68f1f936c12c37a22794b59a2afa54f55f8d3c977232c5b97d7c");
  ASSERT_TRUE(from_pem.certificate.has_value());
  EXPECT_EQ(from_pem.certificate->spki_sha256(), from_pem.spki_sha256);
  // Negative twins: too short, too long, one non-hex digit, a path.
  EXPECT_FALSE(ParseSpkiPinHex("abcd"));
  EXPECT_FALSE(ParseSpkiPinHex(std::string(66, 'a')));
  EXPECT_FALSE(ParseSpkiPinHex("g" + std::string(63, 'a')));
  EXPECT_FALSE(ParseSpkiPinHex("/etc/owner-root.pem"));
  EXPECT_THROW(OwnerRootPinFromPem(AsBytes(std::string("not a certificate"))), std::exception);
}

TEST(OwnerPinTest, OwnerRootsFileParsesPinsAndCertificatesInOrder) {
  const std::string pem = ReadAttestationInput(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/marvell-ls2-2024.pem");
  const std::string text = "# pools\n" + std::string(64, 'A') + "  # pool one\n\n" + pem + "  \n";
  const std::vector<OwnerRootPin> pins = ParseOwnerRoots(text, "roots.txt");
  ASSERT_EQ(pins.size(), 2u);
  EXPECT_EQ(HexEncode(pins[0].spki_sha256), std::string(64, 'a'));
  EXPECT_FALSE(pins[0].certificate);
  EXPECT_EQ(HexEncode(pins[1].spki_sha256), "f84b0610f2ca68f1f936c12c37a22794b59a2afa54f55f8d3c977232c5b97d7c");
  EXPECT_TRUE(pins[1].certificate);
}

TEST(OwnerPinTest, OwnerRootsFileRejectsEachMalformedShapeNamingTheLine) {
  auto error = [](const std::string& text) {
    try {
      (void)ParseOwnerRoots(text, "roots.txt");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error("\n" + std::string(63, 'a') + "\n"),
            "--owner-roots roots.txt line 2: '" + std::string(63, 'a') +
                "' is neither 64 hex digits of an SPKI SHA-256 nor a -----BEGIN CERTIFICATE----- line");
  EXPECT_EQ(error("-----BEGIN CERTIFICATE-----\nAAAA\n"),
            "--owner-roots roots.txt line 1: the PEM certificate starting here has no -----END CERTIFICATE----- line");
  EXPECT_EQ(error("# only comments\n\n"), "--owner-roots roots.txt: no pin in the file (only blank or comment lines)");
  EXPECT_EQ(error(""), "--owner-roots roots.txt: no pin in the file (only blank or comment lines)");
  EXPECT_EQ(error("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .rfind("--owner-roots roots.txt line 1: the PEM certificate starting here does not parse (", 0),
            0u);
}

}  // namespace
}  // namespace keyattest
