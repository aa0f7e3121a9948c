// The adversarial findings of issue 10: each rule fails on the forged input
// (which passed before the fix) and passes on its genuine twin.
#include <gtest/gtest.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "keyattest/core/errors.h"
#include "keyattest/io/input_file.h"
#include "keyattest/key_attestation/facts.h"
#include "keyattest/key_attestation/policy.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/text_renderer.h"
#include "keyattest/run/batch.h"
#include "keyattest/x509/algorithm_policy.h"
#include "tests/support/attestation_files.h"
#include "tests/support/attestation_json.h"
#include "tests/support/der_edit.h"
#include "tests/support/synthetic.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

CheckStatus StatusOf(const Report& r, const std::string& id) {
  const CheckResult* c = r.Find(id);
  return c ? c->status : CheckStatus::kFail;
}

std::string Pem(X509* cert) { return CertToPem(cert); }

/// A layout-A blob (Google's) of the synthetic subject, signed by the
/// synthetic partition key.
Bytes LayoutABlob(const Synthetic& s) {
  return LayoutABuilder({KeyObjectSpec{7, s.private_attributes, {}, {}}}).Sign(s.chain.partition_key.get());
}

std::string GoogleStyleBundle(const Synthetic& s) { return s.GoogleBundlePem(); }

AttestationDocument RawDocument(const Bytes& blob, const std::string& bundle) {
  return MakeRawAttestationDocument(blob, Bytes(bundle.begin(), bundle.end()));
}

// ---- 1. The document decides the owner chain style --------------------------------------------

/// The chain's owner root looks like Google's: "Hawksbill Root v1 prod".
ChainOptions HawksbillLookAlike() {
  ChainOptions o;
  o.owner_root_subject = {{"O", "Google LLC"}, {"CN", "Hawksbill Root v1 prod"}};
  return o;
}

TEST(OwnerStyleTest, RawLayoutABlobWithALookAlikeGoogleRootFails) {
  Synthetic s(HawksbillLookAlike());
  s.options.google_roots = DefaultVerifyOptions().google_roots;  // the pinned Hawksbill root
  // The look-alike root ships in the bundle with a certificate it issued for
  // the partition key: the Azure style would accept it with a warning.
  const std::string bundle = s.chain.BundlePem();
  Report r = s.Verify(RawDocument(LayoutABlob(s), bundle));
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "google");
  EXPECT_EQ(StatusOf(r, "chain.owner"), CheckStatus::kFail) << Detail(r, "chain.owner");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerStyleTest, GcloudDocumentWithALookAlikeGoogleRootFails) {
  Synthetic s(HawksbillLookAlike());
  s.options.google_roots = DefaultVerifyOptions().google_roots;
  AttestationDocument doc = RawDocument(LayoutABlob(s), s.chain.BundlePem());
  doc.source = AttestationSource::kGoogle;
  doc.shape = DocumentShape::kGoogleKeyVersion;
  Report r = s.Verify(doc);
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "google");
  EXPECT_EQ(StatusOf(r, "chain.owner"), CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerStyleTest, RawLayoutABlobWithTheGivenGoogleRootVerifies) {
  Synthetic s;
  s.options.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(s.chain.owner_root.get())))));
  Report r = s.Verify(RawDocument(LayoutABlob(s), GoogleStyleBundle(s)));
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "google");
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_EQ(Detail(r, "certificates.all_used"), "card, partition, Google card, Google partition");
}

TEST(OwnerStyleTest, ASelfSignedCertificateTheGoogleStyleDoesNotUseIsALeftover) {
  Synthetic s;
  s.options.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(s.chain.owner_root.get())))));
  Report r = s.Verify(RawDocument(LayoutABlob(s), GoogleStyleBundle(s) + Pem(s.chain.owner_root.get())));
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "google");
  EXPECT_EQ(StatusOf(r, "chain.owner"), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(r, "certificates.all_used"), CheckStatus::kFail);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(OwnerStyleTest, AzureDocumentWithAGoogleStyleBundleFails) {
  Synthetic s;
  s.options.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(s.chain.owner_root.get())))));
  Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), GoogleStyleBundle(s)));
  EXPECT_EQ(KeyAttestationFactsOf(r).owner_chain_style, "azure");
  EXPECT_EQ(StatusOf(r, "chain.owner"), CheckStatus::kFail);
  // The twin: the Azure bundle verifies.
  EXPECT_EQ(s.Verify().verdict(), Verdict::kVerified) << Failures(s.Verify());
}

TEST(OwnerStyleTest, RequiredStyleFollowsTheDocument) {
  Synthetic s;
  EXPECT_EQ(RequiredOwnerChainStyle(s.Document()), OwnerChainStyle::kAzure);
  EXPECT_EQ(RequiredOwnerChainStyle(RawDocument(LayoutABlob(s), "")), OwnerChainStyle::kGoogle);
  EXPECT_EQ(RequiredOwnerChainStyle(RawDocument(s.PrivateBlob(), "")), OwnerChainStyle::kAzure);
  AttestationDocument google = RawDocument(s.PrivateBlob(), "");
  google.source = AttestationSource::kGoogle;
  EXPECT_EQ(RequiredOwnerChainStyle(google), OwnerChainStyle::kGoogle);
}

TEST(OwnerStyleTest, TheChainCacheKeepsStylesApart) {
  Synthetic s;
  ChainCache cache;
  const std::string pem = s.chain.BundlePem();
  auto azure = cache.GetOrVerify(AsBytes(pem), OwnerChainStyle::kAzure, s.options);
  auto google = cache.GetOrVerify(AsBytes(pem), OwnerChainStyle::kGoogle, s.options);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(azure->owner_style, "azure");
  EXPECT_EQ(google->owner_style, "google");
  (void)cache.GetOrVerify(AsBytes(pem), OwnerChainStyle::kAzure, s.options);
  EXPECT_EQ(cache.hits(), 1u);
}

// ---- 2. Document type and layout are tied -------------------------------------------------------

TEST(LayoutRuleTest, AzureDocumentWithALayoutAPrivateBlobFails) {
  Synthetic s;
  Report r = s.Verify(s.Document(LayoutABlob(s), std::nullopt));
  EXPECT_EQ(StatusOf(r, "private.structure"), CheckStatus::kFail);
  EXPECT_EQ(Detail(r, "private.structure"), "the blob is layout A, but an Azure MRVL-1 document carries layout B");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(LayoutRuleTest, AzureDocumentWhosePublicBlobIsLayoutAFails) {
  Synthetic s;
  Bytes public_a = LayoutABuilder({KeyObjectSpec{7, s.public_attributes, {}, {}}}).Sign(s.chain.partition_key.get());
  Report r = s.Verify(s.Document(s.PrivateBlob(), public_a));
  EXPECT_EQ(StatusOf(r, "private.structure"), CheckStatus::kPass);
  EXPECT_EQ(Detail(r, "public.structure"), "the blob is layout A, but an Azure MRVL-1 document carries layout B");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(LayoutRuleTest, GoogleDocumentWithALayoutBBlobFails) {
  Synthetic s;
  s.options.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(s.chain.owner_root.get())))));
  AttestationDocument doc = RawDocument(s.PrivateBlob(), GoogleStyleBundle(s));
  doc.source = AttestationSource::kGoogle;
  Report r = s.Verify(doc);
  EXPECT_EQ(Detail(r, "private.structure"), "the blob is layout B, but a Google document carries layout A");
  // The twin: the same document with a layout-A blob verifies.
  doc.private_key_attestation = LayoutABlob(s);
  Report good = s.Verify(doc);
  EXPECT_EQ(good.verdict(), Verdict::kVerified) << Failures(good);
}

// ---- 3. Ambiguous JSON shapes -------------------------------------------------------------------

class ShapeTest : public ::testing::Test {
 protected:
  ShapeTest() {
    AzureJsonSpec spec;
    spec.bundle_pem = s_.chain.BundlePem();
    spec.private_blob = s_.PrivateBlob();
    spec.public_blob = s_.PublicBlob();
    spec.jwk_json = MakeJwkJson(s_.subject.get(), AzureKid("pool", "synthkey", "0123456789abcdef0123456789abcdef"));
    whole_ = nlohmann::json::parse(MakeAzureAttestationJson(spec));
  }
  static std::string ErrorOf(const nlohmann::json& doc) {
    try {
      (void)ParseAttestationDocument(doc.dump());
    } catch (const InputError& e) {
      return e.what();
    }
    return "(accepted)";
  }
  Synthetic s_;
  nlohmann::json whole_;
};

TEST_F(ShapeTest, EveryShapeAloneIsAccepted) {
  EXPECT_EQ(ParseAttestationDocument(whole_.dump()).shape, DocumentShape::kFullResponse);
  EXPECT_EQ(ParseAttestationDocument(whole_["attributes"].dump()).shape, DocumentShape::kAttributesObject);
  EXPECT_EQ(ParseAttestationDocument(whole_["attributes"]["attestation"].dump()).shape,
            DocumentShape::kAttestationObject);
}

TEST_F(ShapeTest, KeyBesideTheAttributesObjectIsRejected) {
  nlohmann::json doc = whole_["attributes"];
  doc["key"] = whole_["key"];
  EXPECT_EQ(ErrorOf(doc),
            "field 'key' is only valid in the whole Azure response, not beside its 'attributes' object "
            "({\"attestation\": {...}})");
}

TEST_F(ShapeTest, KeyBesideTheAttestationObjectIsRejected) {
  nlohmann::json doc = whole_["attributes"]["attestation"];
  doc["key"] = whole_["key"];
  EXPECT_EQ(ErrorOf(doc).rfind("field 'key' is only valid in the whole Azure response", 0), 0u) << ErrorOf(doc);
}

TEST_F(ShapeTest, AzureResponseWithATopLevelGoogleAttestationIsAmbiguous) {
  nlohmann::json doc = whole_;
  doc["attestation"] = {{"format", "CAVIUM_V2_COMPRESSED"}, {"content", "H4sI"}};
  EXPECT_EQ(ErrorOf(doc),
            "ambiguous attestation document: it has the shape of the whole Azure response ({\"key\", \"attributes\": "
            "{\"attestation\"}}) and a gcloud key version ({\"attestation\": {\"content\", ...}}); give exactly one");
}

TEST_F(ShapeTest, AttributesAttestationBesideATopLevelAttestationIsAmbiguous) {
  nlohmann::json doc = whole_;
  doc["attestation"] = whole_["attributes"]["attestation"];
  EXPECT_EQ(ErrorOf(doc).rfind("ambiguous attestation document: it has the shape of the whole Azure response", 0), 0u)
      << ErrorOf(doc);
}

TEST_F(ShapeTest, FlatAttestationBesideANestedOneIsAmbiguous) {
  nlohmann::json doc = whole_["attributes"]["attestation"];
  doc["attestation"] = whole_["attributes"]["attestation"];
  EXPECT_EQ(ErrorOf(doc).rfind("ambiguous attestation document:", 0), 0u) << ErrorOf(doc);
}

// ---- 5. One algorithm and key-size rule for every chain ---------------------------------------

TEST(AlgorithmPolicyTest, OwnerChainRejectsWeakDigestsAndKeys) {
  struct Variant {
    const char* what;
    ChainOptions options;
    const char* detail;
  };
  std::vector<Variant> variants;
  auto with = [](auto change) {
    ChainOptions o;
    change(o);
    return o;
  };
  variants.push_back({"md5", with([](ChainOptions& o) { o.owner_partition_md = EVP_md5(); }),
                      "owner partition certificate is signed with md5WithRSAEncryption; only SHA-256/384/512 with "
                      "RSA is accepted"});
  variants.push_back({"sha1", with([](ChainOptions& o) { o.owner_partition_md = EVP_sha1(); }),
                      "owner partition certificate is signed with sha1WithRSAEncryption; only SHA-256/384/512 with "
                      "RSA is accepted"});
  variants.push_back({"sha224", with([](ChainOptions& o) { o.owner_partition_md = EVP_sha224(); }),
                      "owner partition certificate is signed with sha224WithRSAEncryption; only SHA-256/384/512 "
                      "with RSA is accepted"});
  variants.push_back({"root sha1", with([](ChainOptions& o) { o.owner_root_md = EVP_sha1(); }),
                      "owner root is signed with sha1WithRSAEncryption; only SHA-256/384/512 with RSA is accepted"});
  variants.push_back({"rsa1024", with([](ChainOptions& o) { o.owner_root_key = TestKeyId::kWeakRsa1024; }),
                      "owner root key is 1024-bit RSA, minimum 2048"});
  variants.push_back({"ecdsa", with([](ChainOptions& o) { o.owner_root_key = TestKeyId::kEcP256Signer; }),
                      "owner root key is not RSA (EC-256)"});
  for (const Variant& v : variants) {
    Synthetic s(v.options);
    // Even with the root pinned.
    s.options.owner_roots.push_back(
        {Certificate(X509Ptr(X509_dup(s.chain.owner_root.get()))).spki_sha256(), std::nullopt});
    Report r = s.Verify();
    EXPECT_EQ(Detail(r, "chain.owner"), v.detail) << v.what;
    EXPECT_EQ(r.verdict(), Verdict::kFailed) << v.what;
  }
}

TEST(AlgorithmPolicyTest, OwnerChainAcceptsSha256To512) {
  for (const EVP_MD* md : {EVP_sha256(), EVP_sha384(), EVP_sha512()}) {
    ChainOptions o;
    o.owner_root_md = md;
    o.owner_partition_md = md;
    Synthetic s(o);
    Report r = s.Verify();
    EXPECT_EQ(StatusOf(r, "chain.owner"), CheckStatus::kPass) << Detail(r, "chain.owner");
    EXPECT_EQ(r.verdict(), Verdict::kVerified);
  }
}

TEST(AlgorithmPolicyTest, GoogleOwnerChainRejectsSha1) {
  Synthetic s;
  s.options.owner_roots.push_back(OwnerRootPinOf(Certificate(X509Ptr(X509_dup(s.chain.owner_root.get())))));
  X509Ptr weak_card = s.GoogleCard(EVP_sha1());
  const std::string bundle = Pem(s.chain.card.get()) + Pem(s.chain.partition.get()) + Pem(weak_card.get()) +
                             Pem(s.chain.owner_partition.get());
  Report r = s.Verify(RawDocument(LayoutABlob(s), bundle));
  EXPECT_EQ(Detail(r, "chain.owner"),
            "Google card certificate is signed with sha1WithRSAEncryption; only SHA-256/384/512 with RSA is accepted");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(AlgorithmPolicyTest, PolicyIsAParameter) {
  Synthetic s;
  Certificate partition(X509Ptr(X509_dup(s.chain.partition.get())));
  EXPECT_EQ(CheckCertificateAlgorithms(partition, MarvellChainAlgorithmPolicy(), "partition"), "");
  AlgorithmPolicy sha384_only{{{NID_rsaEncryption, NID_sha384}}, 2048, "SHA-384 with RSA"};
  EXPECT_EQ(CheckCertificateAlgorithms(partition, sha384_only, "partition"),
            "partition is signed with sha256WithRSAEncryption; only SHA-384 with RSA is accepted");
  AlgorithmPolicy big{MarvellChainAlgorithmPolicy().signatures, 4096, "x"};
  EXPECT_EQ(CheckCertificateAlgorithms(partition, big, "partition"), "partition key is 2048-bit RSA, minimum 4096");
}

// ---- 6. Canonical DER as supplied; RFC 7468 text around PEM blocks ------------------------------

Bytes DerOf(X509* cert) {
  unsigned char* out = nullptr;
  const int n = i2d_X509(cert, &out);
  Bytes der(out, out + n);
  OPENSSL_free(out);
  return der;
}

std::string PemOf(const Bytes& der, const std::string& eol = "\n") {
  const std::string b64 = Base64Encode(der, Base64Flavor::kStandard);
  std::string pem = "-----BEGIN CERTIFICATE-----" + eol;
  for (std::size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + eol;
  return pem + "-----END CERTIFICATE-----" + eol;
}

std::string BundleErrorOf(const std::string& pem) {
  try {
    (void)ParsePemBundle(AsBytes(pem));
  } catch (const BundleError& e) {
    return e.what();
  }
  return "(accepted)";
}

/// `der` (a SEQUENCE with a two-byte long-form length, 30 82 HH LL) with
/// the length in a non-minimal three-byte form: BER, not DER.
Bytes WithNonMinimalLength(const Bytes& der) {
  EXPECT_EQ(der[1], 0x82);
  Bytes out{0x30, 0x83, 0x00};
  out.insert(out.end(), der.begin() + 2, der.end());
  return out;
}

TEST(CanonicalDerTest, CanonicalCertificateIsFingerprintedByItsBytes) {
  Synthetic s;
  const Bytes der = DerOf(s.chain.partition.get());
  PemBundle bundle = ParsePemBundle(AsBytes(PemOf(der)));
  ASSERT_EQ(bundle.certificates.size(), 1u);
  EXPECT_EQ(bundle.certificates[0].der(), der);
  EXPECT_EQ(bundle.certificates[0].sha256(), Sha256(der));
}

TEST(CanonicalDerTest, NonMinimalOuterLengthIsRejected) {
  Synthetic s;
  EXPECT_EQ(BundleErrorOf(PemOf(WithNonMinimalLength(DerOf(s.chain.partition.get())))),
            "certificate bundle: block 1 is not canonical DER: non-minimal length at byte 0");
}

TEST(CanonicalDerTest, IndefiniteOuterLengthIsRejected) {
  Synthetic s;
  Bytes der = DerOf(s.chain.partition.get());
  Bytes ber{0x30, 0x80};
  ber.insert(ber.end(), der.begin() + 4, der.end());
  ber.push_back(0);
  ber.push_back(0);
  const std::string error = BundleErrorOf(PemOf(ber));
  EXPECT_TRUE(error == "certificate bundle: block 1 is not canonical DER: indefinite length at byte 0" ||
              error == "certificate bundle: block 1 is not a DER X.509 certificate")
      << error;
}

TEST(CanonicalDerTest, BerInsideTheSignedTbsCertificateIsRejected) {
  // Re-sign a tbsCertificate whose own length is BER: the signature is over
  // the BER bytes, and OpenSSL re-emits them unchanged, so only a DER walk
  // of the supplied bytes sees it.
  Synthetic s;
  const Bytes der = DerOf(s.chain.partition.get());
  const std::size_t tbs_length = (std::size_t{der[6]} << 8) | der[7];
  const Bytes tbs(der.begin() + 4, der.begin() + 8 + static_cast<std::ptrdiff_t>(tbs_length));
  const Bytes rest(der.begin() + 8 + static_cast<std::ptrdiff_t>(tbs_length), der.end());
  const Bytes ber_tbs = WithNonMinimalLength(tbs);
  // rest = AlgorithmIdentifier || BIT STRING(signature); keep the first.
  const std::size_t algorithm_length = 2 + rest[1];
  const Bytes algorithm(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(algorithm_length));
  const Bytes signature = DigestSignSha256(s.chain.card_key.get(), ber_tbs);
  Bytes bit_string{0x03, 0x82, static_cast<std::uint8_t>((signature.size() + 1) >> 8),
                   static_cast<std::uint8_t>((signature.size() + 1) & 0xff), 0x00};
  bit_string.insert(bit_string.end(), signature.begin(), signature.end());
  Bytes content = ber_tbs;
  content.insert(content.end(), algorithm.begin(), algorithm.end());
  content.insert(content.end(), bit_string.begin(), bit_string.end());
  Bytes cert{0x30, 0x82, static_cast<std::uint8_t>(content.size() >> 8),
             static_cast<std::uint8_t>(content.size() & 0xff)};
  cert.insert(cert.end(), content.begin(), content.end());
  EXPECT_EQ(BundleErrorOf(PemOf(cert)),
            "certificate bundle: block 1 is not canonical DER: non-minimal length at byte 4");
}

TEST(CanonicalDerTest, ExplicitCriticalFalseInTheOwnerPartitionFailsTheBundle) {
  // The forger re-signs the owner partition with the owner root's key after
  // writing out `critical FALSE` in its first non-critical extension: the
  // signature verifies, only the encoding is not DER. The bundle check
  // refuses it as it refuses other non-DER certificates (a failed check in
  // this command: exit 1), naming the block and the extension.
  Synthetic s;
  int index = -1;
  for (int i = 0; i < X509_get_ext_count(s.chain.owner_partition.get()) && index < 0; ++i) {
    if (X509_EXTENSION_get_critical(X509_get_ext(s.chain.owner_partition.get(), i)) == 0) index = i;
  }
  ASSERT_GE(index, 0);
  const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(X509_get_ext(s.chain.owner_partition.get(), index)));
  ASSERT_EQ(nid, NID_subject_key_identifier);
  const X509Ptr forged =
      Resign(WithExplicitCriticalFalse(DerOf(s.chain.owner_partition.get()), static_cast<std::size_t>(index)),
             s.chain.owner_root_key.get());
  ASSERT_EQ(X509_verify(forged.get(), s.chain.owner_root_key.get()), 1);
  const std::string bundle = CertToPem(s.chain.card.get()) + CertToPem(s.chain.partition.get()) +
                             CertToPem(s.chain.owner_root.get()) + PemOf(DerOf(forged.get()));
  const Report r = s.Verify(s.Document(s.PrivateBlob(), s.PublicBlob(), bundle));
  EXPECT_EQ(StatusOf(r, "certificates.bundle"), CheckStatus::kFail);
  EXPECT_EQ(Detail(r, "certificates.bundle"),
            "certificate bundle: block 4 is not canonical DER: extension " + std::to_string(index + 1) +
                " (subjectKeyIdentifier, 2.5.29.14) encodes critical FALSE explicitly; DER forbids encoding a "
                "DEFAULT value (X.690 11.5), so a non-critical extension omits the field");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  // Negative twin: the genuine owner partition in the same place.
  EXPECT_EQ(s.Verify().verdict(), Verdict::kVerified) << Failures(s.Verify());
}

TEST(CanonicalDerTest, Base64UrlAndUnpaddedBodiesAreRejected) {
  Synthetic s;
  std::string url;
  std::string unpadded;
  for (X509* cert : {s.chain.card.get(), s.chain.partition.get(), s.chain.owner_root.get(),
                     s.chain.owner_partition.get(), s.chain.root.get()}) {
    const std::string pem = PemOf(DerOf(cert));
    if (url.empty() && pem.find_first_of("+/", 28) < pem.find("-----END")) {
      url = pem;
      for (std::size_t i = 28; i < url.find("-----END"); ++i) {
        if (url[i] == '+') url[i] = '-';
        if (url[i] == '/') url[i] = '_';
      }
    }
    if (unpadded.empty() && pem.find('=') != std::string::npos) {
      unpadded = pem;
      unpadded.erase(std::remove(unpadded.begin(), unpadded.end(), '='), unpadded.end());
    }
    EXPECT_EQ(BundleErrorOf(pem), "(accepted)");
  }
  ASSERT_FALSE(url.empty());
  ASSERT_FALSE(unpadded.empty());
  EXPECT_EQ(BundleErrorOf(url),
            "certificate bundle: block 1 uses the base64url alphabet ('-' or '_'); PEM requires standard base64");
  EXPECT_EQ(BundleErrorOf(unpadded), "certificate bundle: block 1 lacks base64 '=' padding");
}

TEST(PemTextTest, ExplanatoryTextAndCrlfAreAccepted) {
  Synthetic s;
  const std::string pem = "Subject: CN=card\r\n\r\n" + PemOf(DerOf(s.chain.card.get()), "\r\n") +
                          "Between blocks, as RFC 7468 allows.\n" + PemOf(DerOf(s.chain.partition.get())) +
                          "\ttrailing text";
  EXPECT_EQ(ParsePemBundle(AsBytes(pem)).certificates.size(), 2u);
}

TEST(PemTextTest, ControlBytesHeadersAndStrayEndLinesAreRejected) {
  Synthetic s;
  const std::string block = PemOf(DerOf(s.chain.card.get()));
  EXPECT_EQ(BundleErrorOf(std::string("a\0b\n", 4) + block),
            "certificate bundle: byte 1 (0x00) outside the PEM blocks is not printable text");
  EXPECT_EQ(BundleErrorOf("note \x1b[8m\n" + block),
            "certificate bundle: byte 5 (0x1b) outside the PEM blocks is not printable text");
  EXPECT_EQ(BundleErrorOf("lone\rcr\n" + block),
            "certificate bundle: byte 4 (0x0d) outside the PEM blocks is not printable text");
  std::string with_header = block;
  with_header.insert(with_header.find('\n') + 1, "Proc-Type: 4,ENCRYPTED\n\n");
  EXPECT_EQ(BundleErrorOf(with_header),
            "certificate bundle: block 1 has a header line; PEM headers are not allowed in certificates");
  EXPECT_EQ(BundleErrorOf("-----END CERTIFICATE-----\n" + block),
            "certificate bundle: END line at byte 0 without a BEGIN line");
  EXPECT_EQ(BundleErrorOf(block + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
            "certificate bundle: block 2 is 'PRIVATE KEY', only CERTIFICATE blocks are allowed");
}

// ---- 7. --require values are parsed against the attribute's type -------------------------------

std::string PolicyErrorOf(const std::string& spec) {
  try {
    (void)ParseRequirements({spec});
  } catch (const PolicyError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(RequireSyntaxTest, RejectsValuesTheAttributeCannotTake) {
  EXPECT_EQ(PolicyErrorOf("EXTRACTABLE=4294967296"),
            "--require: 'EXTRACTABLE=4294967296': OBJ_ATTR_EXTRACTABLE cannot be '4294967296'; it accepts true, "
            "false, 1, 0, CK_TRUE or CK_FALSE");
  EXPECT_EQ(PolicyErrorOf("EXTRACTABLE=maybe").rfind("--require: 'EXTRACTABLE=maybe': OBJ_ATTR_EXTRACTABLE", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("KEY_TYPE=RSA"),
            "--require: 'KEY_TYPE=RSA': OBJ_ATTR_KEY_TYPE cannot be 'RSA'; it accepts a key type name such as "
            "CKK_RSA, CKK_EC or CKK_AES (or its number)");
  EXPECT_EQ(PolicyErrorOf("0x9999=1").rfind("--require: unknown attribute '0x9999'", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("==0").rfind("--require: unknown attribute ''", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("VALUE_LEN=4294967296").rfind("--require: 'VALUE_LEN=4294967296'", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("VALUE_LEN=-1").rfind("--require: 'VALUE_LEN=-1'", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("KCV=f279"),
            "--require: 'KCV=f279': OBJ_ATTR_KCV cannot be 'f279'; it accepts 3 bytes in "
            "hex (6 hex digits)");
  EXPECT_EQ(PolicyErrorOf("MODULUS=abc").rfind("--require: 'MODULUS=abc'", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("CLASS=CKO_NOTHING").rfind("--require: 'CLASS=CKO_NOTHING'", 0), 0u);
  EXPECT_EQ(PolicyErrorOf("TOKEN=256").rfind("--require: 'TOKEN=256'", 0), 0u);
}

TEST(RequireSyntaxTest, AcceptsEveryTypeWrittenCorrectly) {
  for (const char* ok :
       {"EXTRACTABLE=0", "EXTRACTABLE=ck_false", "EXTRACTABLE=true", "KEY_TYPE=CKK_RSA", "KEY_TYPE=0", "KEY_TYPE=0x1f",
        "CLASS=CKO_PRIVATE_KEY", "VALUE_LEN=4294967295", "MODULUS_BITS=0x800", "PUBLIC_EXPONENT=65537", "TOKEN=2",
        "LABEL=customer_key", "KCV=F27967", "KCV=0xf27967", "0x0163=true", "ID=/keys/a/b"}) {
    EXPECT_EQ(PolicyErrorOf(ok), "(accepted)") << ok;
  }
}

TEST(RequireSyntaxTest, LargeIntegerIsNeverTruncated) {
  // 4294967296 would have been truncated to 0 and matched EXTRACTABLE=0;
  // for an integer attribute it is out of range and never matches 0.
  Synthetic s;
  s.options.requirements = ParseRequirements({"EXTRACTABLE=0", "VALUE_LEN=4294967295"});
  Report r = s.Verify();
  EXPECT_EQ(StatusOf(r, "policy.EXTRACTABLE=0"), CheckStatus::kPass);
  EXPECT_EQ(StatusOf(r, "policy.VALUE_LEN=4294967295"), CheckStatus::kFail);
}

// ---- 8. --key holds exactly one key, read strictly ----------------------------------------------

std::string KeyErrorOf(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  try {
    (void)LoadExpectedKeyFile(path);
  } catch (const KeyError& e) {
    std::string what = e.what();
    const std::size_t at = what.find(path);
    if (at != std::string::npos) what.replace(at, path.size(), name);
    return what;
  }
  return "(accepted)";
}

std::string PublicPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

TEST(KeyFileTest, TwoPemKeysAreRejected) {
  EvpPkeyPtr a = LoadTestKey(TestKeyId::kSubjectRsa2048);
  EvpPkeyPtr b = LoadTestKey(TestKeyId::kSubjectEcP256);
  EXPECT_EQ(KeyErrorOf("two.pem", PublicPem(a.get()) + PublicPem(b.get())),
            "'two.pem' holds 2 PEM blocks; give exactly one public key");
  EXPECT_EQ(KeyErrorOf("one.pem", PublicPem(a.get())), "(accepted)");
}

TEST(KeyFileTest, JwkWithADuplicateMemberIsRejected) {
  EvpPkeyPtr a = LoadTestKey(TestKeyId::kSubjectRsa2048);
  const std::string jwk = MakeJwkJson(a.get(), AzureKid("pool", "k", "v"));
  EXPECT_EQ(KeyErrorOf("one.json", jwk), "(accepted)");
  std::string duplicate = jwk;
  duplicate.insert(duplicate.find('{') + 1, "\"n\":\"AQAB\",");
  EXPECT_EQ(KeyErrorOf("dup.json", duplicate).rfind("'dup.json' is not a valid JWK: ", 0), 0u)
      << KeyErrorOf("dup.json", duplicate);
}

TEST(KeyFileTest, DerWithTrailingBytesIsRejected) {
  EvpPkeyPtr a = LoadTestKey(TestKeyId::kSubjectRsa2048);
  Bytes der = testing::SpkiDer(a.get());
  std::string text(der.begin(), der.end());
  EXPECT_EQ(KeyErrorOf("key.der", text), "(accepted)");
  EXPECT_EQ(KeyErrorOf("trail.der", text + '\0'), "'trail.der' has trailing bytes after its DER SubjectPublicKeyInfo");
}

// ---- 9. The response kid binds whatever supplies the key material ------------------------------

class KidBindingTest : public ::testing::Test {
 protected:
  KidBindingTest() {
    jwk_ = nlohmann::json::parse(
        MakeJwkJson(s_.subject.get(), AzureKid("testpool", "synthkey", "0123456789abcdef0123456789abcdef")));
    nlohmann::json no_kid = jwk_;
    no_kid.erase("kid");
    s_.options.expected_key = std::make_shared<ExpectedKey>(ExpectedKeyFromJwk(no_kid, "--key k.json"));
  }
  Report VerifyWithResponseKid(const nlohmann::json& kid) const {
    AttestationDocument doc = s_.Document();
    doc.key = jwk_;
    doc.key["kid"] = kid;
    return s_.Verify(doc);
  }
  Synthetic s_;
  nlohmann::json jwk_;
};

TEST_F(KidBindingTest, MalformedResponseKidFailsWithKey) {
  Report r = VerifyWithResponseKid("https://testpool.managedhsm.azure.net/secrets/synthkey");
  EXPECT_EQ(StatusOf(r, "binding.key_id"), CheckStatus::kFail);
  EXPECT_EQ(Detail(r, "binding.key_id"),
            "the response kid 'https://testpool.managedhsm.azure.net/secrets/synthkey' path does not start with "
            "/keys/");
  EXPECT_EQ(StatusOf(r, "binding.key_material"), CheckStatus::kPass);
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
  EXPECT_EQ(Detail(VerifyWithResponseKid(42), "binding.key_id"), "the response JWK's kid is not a string");
}

TEST_F(KidBindingTest, WellFormedResponseKidBindsWithKey) {
  Report r = VerifyWithResponseKid(jwk_["kid"]);
  EXPECT_EQ(StatusOf(r, "binding.key_id"), CheckStatus::kPass) << Detail(r, "binding.key_id");
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
}

TEST_F(KidBindingTest, KeyKidThatDiffersFromTheResponseKidFails) {
  s_.options.expected_key = std::make_shared<ExpectedKey>(ExpectedKeyFromJwk(jwk_, "--key k.json"));
  Report r = VerifyWithResponseKid(AzureKid("testpool", "other", "0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(Detail(r, "binding.key_id"),
            "the --key k.json kid '" + jwk_["kid"].get<std::string>() +
                "' differs from the response kid 'https://testpool.managedhsm.azure.net/keys/other/"
                "0123456789abcdef0123456789abcdef'");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

// ---- 10. Object class and key type agree -------------------------------------------------------

TEST(ClassTypeTest, SecretObjectOfAnAsymmetricTypeFails) {
  Synthetic s;
  ReplaceAttribute(s.private_attributes, kAttrClass, {kClassSecretKey});
  Report r = s.Verify(s.Document(s.PrivateBlob(), std::nullopt));
  EXPECT_EQ(Detail(r, "private.object_class"),
            "object 14 is CKO_SECRET_KEY but its key type CKK_RSA is not a symmetric key type");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(ClassTypeTest, PrivateObjectOfASymmetricTypeFails) {
  Synthetic s;
  s.private_attributes = AesSecretAttributes(kSyntheticId);
  ReplaceAttribute(s.private_attributes, kAttrClass, {kClassPrivateKey});
  Report r = s.Verify(s.Document(s.PrivateBlob(), std::nullopt));
  EXPECT_EQ(Detail(r, "private.object_class"),
            "object 14 is CKO_PRIVATE_KEY but its key type CKK_AES is not an asymmetric key type");
}

TEST(ClassTypeTest, SecretAesAndPrivateRsaObjectsPass) {
  Synthetic s;
  EXPECT_EQ(StatusOf(s.Verify(), "private.object_class"), CheckStatus::kPass);
  s.private_attributes = AesSecretAttributes(kSyntheticId);
  Report r = s.Verify(s.Document(s.PrivateBlob(), std::nullopt));
  EXPECT_EQ(Detail(r, "private.object_class"), "CKO_SECRET_KEY CKK_AES");
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
}

TEST(ClassTypeTest, KeyTypeFamilies) {
  for (std::uint64_t t : {0x00u, 0x01u, 0x02u, 0x03u, 0x04u, 0x05u}) {
    EXPECT_TRUE(marvell::IsAsymmetricKeyType(t)) << t;
    EXPECT_FALSE(marvell::IsSymmetricKeyType(t)) << t;
  }
  for (std::uint64_t t : {0x10u, 0x15u, 0x1fu, 0x29u}) {
    EXPECT_TRUE(marvell::IsSymmetricKeyType(t)) << t;
    EXPECT_FALSE(marvell::IsAsymmetricKeyType(t)) << t;
  }
  EXPECT_FALSE(marvell::IsSymmetricKeyType(0x80000000u));
  EXPECT_FALSE(marvell::IsAsymmetricKeyType(0x80000000u));
}

// ---- 11. What the text output prints is escaped ------------------------------------------------

/// A failing report full of input a forger controls: the kid, a label, an
/// owner root CN, a path, a check detail.
Report HostileReport() {
  Report r = NewKeyAttestationReport();
  r.source = "evil\r\x1b[2K.json";
  r.checked_at = "2026-06-01T00:00:00Z";
  r.Add("binding.key_id", "kid", CheckStatus::kFail,
        "kid name 'x\rResult: VERIFIED - all good (exit 0)\x1b[8m' differs");
  r.Add("owner_root.pin", "pin", CheckStatus::kWarn, "owner root '\x1b[8mhidden' is unpinned \xe2\x80\xae");
  BlobFacts blob;
  blob.field = "privateKeyAttestation";
  blob.layout = "B";
  blob.id = "/keys/k\x1b]0;t\x07/1";
  ObjectFacts object;
  // A label is shown as text only when it is UTF-8 without control
  // characters; a bidi override is such text, and must still be escaped.
  object.AddAttribute(3, AsBytes("label\xe2\x80\xae"));
  blob.objects.push_back(object);
  KeyAttestationFactsOf(r).blobs.push_back(blob);
  KeyFacts key;
  key.name = "kdy\rAttestation";
  key.version = "1\x1b[0m";
  KeyAttestationFactsOf(r).key = key;
  // An owner root whose CN carries a terminal escape (the certificate's own
  // name formatting escapes it too; the renderer must not rely on that).
  EvpPkeyPtr root_key = testing::LoadTestKey(testing::TestKeyId::kOwnerRootRsa2048);
  testing::CertSpec spec =
      testing::CaSpec({{"CN", "\x1b[8mroot"}}, 1, testing::Utc(2025, 1, 1), testing::Utc(2050, 1, 1));
  KeyAttestationFactsOf(r).certificates.push_back(DescribeCertificate(
      Certificate(testing::IssueCertificate(spec, root_key.get(), nullptr, root_key.get())), "Owner root"));
  return r;
}

TEST(TerminalTextTest, EveryInputStringIsEscaped) {
  for (bool verbose : {false, true}) {
    const std::string text = RenderText(HostileReport(), TextOptions{verbose, false});
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x07'), std::string::npos) << text;
    EXPECT_EQ(text.find('\x7f'), std::string::npos) << text;
    EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos) << text;
    EXPECT_NE(text.find("kid name 'x\\x0dResult: VERIFIED"), std::string::npos) << text;
    EXPECT_NE(text.find("Result: FAILED for key 'kdy\\x0dAttestation'"), std::string::npos) << text;
  }
}

TEST(TerminalTextTest, PlainTextIsUnchanged) {
  Synthetic s;
  const std::string text = RenderText(s.Verify(), TextOptions{true, false});
  EXPECT_NE(text.find("Attested key attributes for key 'synthkey' with version '0123456789abcdef0123456789abcdef'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("| OBJ_ATTR_LABEL "), std::string::npos);
  EXPECT_NE(text.find("customer_key"), std::string::npos);
  // Colour codes are ours, and only on request.
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(RenderText(s.Verify(), TextOptions{false, true}).find("\x1b[32mResult: VERIFIED"), std::string::npos);
}

// ---- 12. Unverified data is never called attested ---------------------------------------------

TEST(AttestedNameTest, ForgedBlobIsUnverifiedAndNamedByTheKid) {
  Synthetic s;
  // A blob claiming another name, signed by a key the chain does not certify.
  ReplaceAttribute(s.private_attributes, kAttrId, Text128("/keys/forged/1"));
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  Bytes forged = LayoutBBuilder({14, s.private_attributes, {}, {}}).Sign(other.get());
  AttestationDocument doc = s.Document(forged, std::nullopt);
  doc.key = nlohmann::json::parse(
      MakeJwkJson(s.subject.get(), AzureKid("testpool", "claimed", "0123456789abcdef0123456789abcdef")));
  Report r = s.Verify(doc);
  ASSERT_EQ(StatusOf(r, "private.signature"), CheckStatus::kFail);
  ASSERT_EQ(KeyAttestationFactsOf(r).blobs.size(), 1u);
  EXPECT_FALSE(KeyAttestationFactsOf(r).blobs[0].attested);
  ASSERT_TRUE(KeyAttestationFactsOf(r).key.has_value());
  EXPECT_FALSE(KeyAttestationFactsOf(r).key->attested);
  EXPECT_EQ(KeyAttestationFactsOf(r).key->name, "claimed");
  const std::string text = RenderText(r, TextOptions{});
  EXPECT_EQ(text.find("Attested key attributes"), std::string::npos) << text;
  EXPECT_EQ(text.find("forged"), text.find("/keys/forged/1") + 6) << "the signed name is shown only as the raw ID";
  EXPECT_NE(text.find("Unverified key attributes (signature or certificate chain not verified) for key 'claimed' "
                      "version '0123456789abcdef0123456789abcdef' as claimed by the unsigned kid"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Result: FAILED for key 'claimed' version '0123456789abcdef0123456789abcdef' (as claimed by "
                      "the unsigned kid; not attested) - "),
            std::string::npos)
      << text;
  nlohmann::json json = ReportToJson(r);
  EXPECT_EQ(json["key"]["name"], "claimed");
  EXPECT_EQ(json["key"]["attested"], false);
  EXPECT_EQ(json["blobs"][0]["attested"], false);
}

TEST(AttestedNameTest, ChainFailureMakesAGenuineSignatureUnverified) {
  Synthetic s;
  s.options.check_time = keyattest::CheckTime::At(Utc(2060, 1, 1));  // every certificate expired
  Report r = s.Verify();
  EXPECT_EQ(StatusOf(r, "private.signature"), CheckStatus::kPass);
  EXPECT_FALSE(KeyAttestationFactsOf(r).blobs[0].attested);
  EXPECT_EQ(RenderText(r, TextOptions{}).find("Attested key attributes"), std::string::npos);
}

TEST(AttestedNameTest, VerifiedBlobIsAttestedAndNamedBySignedId) {
  Synthetic s;
  AttestationDocument doc = s.Document();
  doc.key = nlohmann::json::parse(
      MakeJwkJson(s.subject.get(), AzureKid("testpool", "synthkey", "0123456789abcdef0123456789abcdef")));
  Report r = s.Verify(doc);
  ASSERT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  EXPECT_TRUE(KeyAttestationFactsOf(r).blobs[0].attested);
  EXPECT_TRUE(KeyAttestationFactsOf(r).blobs[1].attested);
  EXPECT_TRUE(KeyAttestationFactsOf(r).key->attested);
  EXPECT_EQ(KeyAttestationFactsOf(r).key->name, "synthkey");
  const std::string text = RenderText(r, TextOptions{});
  EXPECT_NE(text.find("Result: VERIFIED for key 'synthkey' version '0123456789abcdef0123456789abcdef' "),
            std::string::npos)
      << text;
  EXPECT_EQ(ReportToJson(r)["key"]["attested"], true);
}

// ---- 14. Special files never block ------------------------------------------------------------

std::string FreshDir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::string InputErrorOf(const std::string& path) {
  try {
    (void)ReadInputFile(path, 1024, "a test file");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(read)";
}

TEST(SpecialFileTest, FifoWithoutWriterIsRefusedAtOnce) {
  const std::string dir = FreshDir("fifo_read");
  const std::string fifo = dir + "/pipe.json";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(InputErrorOf(fifo), "'" + fifo + "' is a FIFO, not a regular file (use '-' for standard input)");
  EXPECT_EQ(InputErrorOf(dir), "'" + dir + "' is a directory, not a regular file (use '-' for standard input)");
  EXPECT_EQ(InputErrorOf("/dev/null"),
            "'/dev/null' is a character device, not a regular file (use '-' for standard input)");
  EXPECT_THROW(ReadPathList(fifo), InputError);
  // The twin: a regular file is read.
  std::ofstream(dir + "/a.json") << "{}";
  EXPECT_EQ(InputErrorOf(dir + "/a.json"), "(read)");
}

TEST(SpecialFileTest, DirectoryListsBrokenLinksSkipsDotfilesAndMatchesSuffixInAnyCase) {
  const std::string dir = FreshDir("dir_rules");
  std::ofstream(dir + "/b.json") << "{}";
  std::ofstream(dir + "/C.JSON") << "{}";
  std::ofstream(dir + "/.hidden.json") << "{}";
  std::ofstream(dir + "/notes.txt") << "x";
  std::filesystem::create_symlink(dir + "/missing.json", dir + "/dangling.json");
  std::filesystem::create_symlink(dir + "/loop.json", dir + "/loop.json");
  const std::vector<std::string> paths = ExpandInputPaths({dir});
  EXPECT_EQ(paths,
            (std::vector<std::string>{dir + "/C.JSON", dir + "/b.json", dir + "/dangling.json", dir + "/loop.json"}));
  VerifyOptions options;
  EXPECT_EQ(*VerifyAttestationFile(dir + "/dangling.json", options).input_error,
            "cannot open '" + dir + "/dangling.json': No such file or directory");
  EXPECT_EQ(*VerifyAttestationFile(dir + "/loop.json", options).input_error,
            "cannot open '" + dir + "/loop.json': Too many levels of symbolic links");
}

}  // namespace
}  // namespace keyattest
