#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <functional>

#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/attestation_json.h"
#include "tests/support/blob_builder.h"
#include "tests/support/der_edit.h"
#include "tests/support/snp_builder.h"
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

// ---- canonical DER: the signed tbsCertificate re-encoded freshly ------------------------------
// The check decodes the tbsCertificate alone and writes it again; OpenSSL's
// own way (a duplicate of the whole certificate, then i2d_re_X509_tbs) is the
// oracle: both must agree on every certificate here.

Bytes DerOfCert(X509* cert) {
  unsigned char* out = nullptr;
  const int length = i2d_X509(cert, &out);
  Bytes der(out, out + std::max(length, 0));
  OPENSSL_free(out);
  return der;
}

using testing::DerContent;
using testing::DerElements;
using testing::DerJoin;
using testing::DerTlv;

/// `der` with its tbsCertificate, exactly as it is, signed again by
/// `issuer_key` (so only the encoding is at stake, even one OpenSSL would
/// not write itself).
Bytes SignedAsIs(const Bytes& der, EVP_PKEY* issuer_key) {
  const std::vector<Bytes> outer = DerElements(DerContent(der));
  Bytes signature{0x00};
  const Bytes raw = testing::DigestSignSha256(issuer_key, outer[0]);
  signature.insert(signature.end(), raw.begin(), raw.end());
  return DerTlv(0x30, DerJoin({outer[0], outer[1], DerTlv(0x03, signature)}));
}

/// `cert` with its tbsCertificate elements edited by `edit`, signed as is.
Bytes Resigned(X509* cert, EVP_PKEY* issuer_key, const std::function<void(std::vector<Bytes>&)>& edit) {
  return SignedAsIs(testing::WithEditedTbs(DerOfCert(cert), edit), issuer_key);
}

/// The oracle: OpenSSL re-encoding a fresh copy's tbsCertificate.
bool OpenSslReEncodesTbsToItself(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return false;
  X509Ptr copy(X509_dup(cert.get()));
  unsigned char* fresh = nullptr;
  const int length = i2d_re_X509_tbs(copy.get(), &fresh);
  const Bytes tbs = DerElements(DerContent(der))[0];
  const bool same = length > 0 && Bytes(fresh, fresh + length) == tbs;
  OPENSSL_free(fresh);
  ERR_clear_error();
  return same;
}

std::string ParseErrorOf(const Bytes& der) {
  const std::string pem = "-----BEGIN CERTIFICATE-----\n" +
                          testing::Base64Encode(der, testing::Base64Flavor::kStandard) +
                          "\n-----END CERTIFICATE-----\n";
  try {
    (void)ParsePemBundle(AsBytes(pem));
  } catch (const BundleError& e) {
    return e.what();
  }
  return "(accepted)";
}

/// A self-signed v3 certificate with one non-critical extension
/// (basicConstraints), by `key`.
X509Ptr WithOneExtension(EVP_PKEY* key) { return testing::SelfSignedWithOneExtension(key, "extension"); }

constexpr const char* kReEncodesDifferently =
    "certificate bundle: block 1 is not canonical DER: its signed tbsCertificate re-encodes differently";

TEST(CanonicalTbsTest, RealAndSyntheticCertificatesAreAcceptedAsOpenSslAgrees) {
  for (const Certificate& c : ParsePemBundle(AsBytes(RealBundle())).certificates) {
    EXPECT_TRUE(OpenSslReEncodesTbsToItself(c.der()));
    EXPECT_EQ(ParseErrorOf(c.der()), "(accepted)");
  }
  const testing::TestChain chain = testing::MakeTestChain();
  for (X509* cert : {chain.root.get(), chain.card.get(), chain.partition.get(), chain.owner_root.get(),
                     chain.owner_partition.get()}) {
    EXPECT_TRUE(OpenSslReEncodesTbsToItself(DerOfCert(cert)));
    EXPECT_EQ(ParseErrorOf(DerOfCert(cert)), "(accepted)");
  }
}

// ---- DEFAULT values encoded explicitly (X.690 11.5) ------------------------------------------
// OpenSSL 3.0 keeps an explicit `critical FALSE` or `version v1(0)` as it
// decodes it and writes it again, so its own re-encoding accepts both (the
// oracle says so below); DER omits a DEFAULT value, so the check refuses
// them by name. The certificates are signed again after the edit by the
// right key: a forger's certificate, where only the encoding is wrong.

bool SignatureVerifies(X509* cert, EVP_PKEY* issuer_key) {
  const bool ok = X509_verify(cert, issuer_key) == 1;
  ERR_clear_error();
  return ok;
}

std::string PemOfDer(const Bytes& der) {
  return "-----BEGIN CERTIFICATE-----\n" + testing::Base64Encode(der, testing::Base64Flavor::kStandard) +
         "\n-----END CERTIFICATE-----\n";
}

constexpr const char* kExplicitBasicConstraintsFalse =
    "certificate bundle: block 1 is not canonical DER: extension 1 (basicConstraints, 2.5.29.19) encodes critical "
    "FALSE explicitly; DER forbids encoding a DEFAULT value (X.690 11.5), so a non-critical extension omits the "
    "field";

TEST(ExplicitDefaultTest, ExplicitCriticalFalseIsRejectedNamingTheExtension) {
  const testing::TestChain chain = testing::MakeTestChain();
  const X509Ptr cert = WithOneExtension(chain.root_key.get());
  const X509Ptr forged =
      testing::Resign(testing::WithExplicitCriticalFalse(DerOfCert(cert.get()), 0), chain.root_key.get());
  const Bytes der = DerOfCert(forged.get());
  ASSERT_TRUE(SignatureVerifies(forged.get(), chain.root_key.get()));
  ASSERT_EQ(der.size(), DerOfCert(cert.get()).size() + 3);  // only the three octets 01 01 00 added
  EXPECT_TRUE(OpenSslReEncodesTbsToItself(der));            // OpenSSL alone would accept it
  EXPECT_EQ(ParseErrorOf(der), kExplicitBasicConstraintsFalse);
  // Negative twin: the same certificate with the field omitted.
  EXPECT_EQ(ParseErrorOf(DerOfCert(cert.get())), "(accepted)");
}

TEST(ExplicitDefaultTest, ExplicitCriticalTrueIsDerAndAccepted) {
  const testing::TestChain chain = testing::MakeTestChain();
  const X509Ptr cert = WithOneExtension(chain.root_key.get());
  const X509Ptr critical =
      testing::Resign(testing::WithCriticalField(DerOfCert(cert.get()), 0, 0xff), chain.root_key.get());
  ASSERT_EQ(X509_EXTENSION_get_critical(X509_get_ext(critical.get(), 0)), 1);
  EXPECT_EQ(ParseErrorOf(DerOfCert(critical.get())), "(accepted)");
}

TEST(ExplicitDefaultTest, BooleanNeitherZeroNorFfIsRejectedByTheTlvWalk) {
  const testing::TestChain chain = testing::MakeTestChain();
  const X509Ptr cert = WithOneExtension(chain.root_key.get());
  const Bytes odd = SignedAsIs(testing::WithCriticalField(DerOfCert(cert.get()), 0, 0x01), chain.root_key.get());
  EXPECT_EQ(ParseErrorOf(odd).rfind(
                "certificate bundle: block 1 is not canonical DER: BOOLEAN not encoded as 00 or FF at byte ", 0),
            0u)
      << ParseErrorOf(odd);
}

TEST(ExplicitDefaultTest, TheErrorNamesTheBlockAndTheExtensionInAChain) {
  // The test root: extension 1 keyUsage (critical), extension 2
  // basicConstraints (not critical). The forged copy comes second in the
  // bundle, after a valid certificate.
  const testing::TestChain chain = testing::MakeTestChain();
  ASSERT_EQ(OBJ_obj2nid(X509_EXTENSION_get_object(X509_get_ext(chain.root.get(), 1))), NID_basic_constraints);
  const X509Ptr forged =
      testing::Resign(testing::WithExplicitCriticalFalse(DerOfCert(chain.root.get()), 1), chain.root_key.get());
  ASSERT_TRUE(SignatureVerifies(forged.get(), chain.root_key.get()));
  const std::string bundle = testing::CertToPem(chain.partition.get()) + PemOfDer(DerOfCert(forged.get()));
  const std::string expected =
      "certificate bundle: block 2 is not canonical DER: extension 2 (basicConstraints, 2.5.29.19) encodes "
      "critical FALSE explicitly; DER forbids encoding a DEFAULT value (X.690 11.5), so a non-critical extension "
      "omits the field";
  EXPECT_EQ(BundleErrorOf(bundle), expected);
  // Through the certificate cache too (it keeps only canonical certificates
  // and leaves the message to the bundle parser), twice.
  CertificateCache cache;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      (void)ParsePemBundle(AsBytes(bundle), &cache);
      ADD_FAILURE() << "accepted on attempt " << attempt;
    } catch (const BundleError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  }
  // Negative twin: the genuine root in the same place.
  EXPECT_EQ(ParsePemBundle(AsBytes(testing::CertToPem(chain.partition.get()) + testing::CertToPem(chain.root.get())))
                .certificates.size(),
            2u);
}

TEST(ExplicitDefaultTest, AnExtensionOpenSslCannotNameIsShownByItsOid) {
  testing::SnpPkiOptions options;
  options.vcek_explicit_critical_false = true;
  const testing::SnpTestPki forged = testing::MakeSnpTestPki(options);
  EXPECT_EQ(BundleErrorOf(forged.BundlePem()),
            "certificate bundle: block 1 is not canonical DER: extension 1 (1.3.6.1.4.1.3704.1.1) encodes critical "
            "FALSE explicitly; DER forbids encoding a DEFAULT value (X.690 11.5), so a non-critical extension omits "
            "the field");
  EXPECT_EQ(ParsePemBundle(AsBytes(testing::MakeSnpTestPki().BundlePem())).certificates.size(), 3u);
}

/// The position of the first extension of type `nid` in `cert`.
std::size_t ExtensionIndex(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  EXPECT_GE(index, 0) << OBJ_nid2sn(nid);
  return static_cast<std::size_t>(std::max(index, 0));
}

TEST(ExplicitDefaultTest, ExplicitCaFalseInBasicConstraintsIsRejected) {
  // The owner partition: basicConstraints (critical) CA:FALSE, whose value
  // DER writes as an empty SEQUENCE. Written out, cA FALSE is a DEFAULT
  // inside extnValue, which OpenSSL keeps as received.
  const testing::TestChain chain = testing::MakeTestChain();
  const Bytes der = DerOfCert(chain.owner_partition.get());
  const std::size_t index = ExtensionIndex(chain.owner_partition.get(), NID_basic_constraints);
  ASSERT_EQ(testing::ExtensionValue(der, index), (Bytes{0x30, 0x00}));
  const auto with_ca = [&](std::uint8_t octet) {
    return testing::Resign(testing::WithExtensionValue(der, index, Bytes{0x30, 0x03, 0x01, 0x01, octet}),
                           chain.owner_root_key.get());
  };
  const X509Ptr forged = with_ca(0x00);
  ASSERT_TRUE(SignatureVerifies(forged.get(), chain.owner_root_key.get()));
  EXPECT_TRUE(OpenSslReEncodesTbsToItself(DerOfCert(forged.get())));  // OpenSSL alone would accept it
  EXPECT_EQ(ParseErrorOf(DerOfCert(forged.get())),
            "certificate bundle: block 1 is not canonical DER: extension " + std::to_string(index + 1) +
                " (basicConstraints, 2.5.29.19) encodes cA FALSE explicitly in its value; DER forbids encoding a "
                "DEFAULT value (X.690 11.5), so the value omits it");
  // Negative twins: the genuine value, and cA TRUE (not a DEFAULT).
  EXPECT_EQ(ParseErrorOf(der), "(accepted)");
  EXPECT_EQ(ParseErrorOf(DerOfCert(with_ca(0xff).get())), "(accepted)");
}

TEST(ExplicitDefaultTest, ExplicitMinimumZeroInNameConstraintsIsRejected) {
  const testing::TestChain chain = testing::MakeTestChain();
  const X509Ptr ca = WithOneExtension(chain.root_key.get());
  X509ExtensionPtr constraints(
      CheckNotNull(X509V3_EXT_conf_nid(nullptr, nullptr, NID_name_constraints, "critical,permitted;DNS:example.test"),
                   "X509V3_EXT_conf_nid"));
  ASSERT_EQ(X509_add_ext(ca.get(), constraints.get(), -1), 1);
  ASSERT_GT(X509_sign(ca.get(), chain.root_key.get(), EVP_sha256()), 0);
  const Bytes der = DerOfCert(ca.get());
  const std::size_t index = ExtensionIndex(ca.get(), NID_name_constraints);
  // NameConstraints { permittedSubtrees [0] { GeneralSubtree { base } } }:
  // add `minimum [0] 0` after the base.
  std::vector<Bytes> trees = DerElements(DerContent(testing::ExtensionValue(der, index)));
  std::vector<Bytes> subtrees = DerElements(DerContent(trees.at(0)));
  std::vector<Bytes> fields = DerElements(DerContent(subtrees.at(0)));
  ASSERT_EQ(fields.size(), 1u);
  fields.push_back(Bytes{0x80, 0x01, 0x00});
  subtrees[0] = DerTlv(0x30, DerJoin(fields));
  trees[0] = DerTlv(0xa0, DerJoin(subtrees));
  const X509Ptr forged =
      testing::Resign(testing::WithExtensionValue(der, index, DerTlv(0x30, DerJoin(trees))), chain.root_key.get());
  ASSERT_TRUE(SignatureVerifies(forged.get(), chain.root_key.get()));
  EXPECT_EQ(ParseErrorOf(DerOfCert(forged.get())),
            "certificate bundle: block 1 is not canonical DER: extension " + std::to_string(index + 1) +
                " (nameConstraints, 2.5.29.30) encodes a subtree's minimum 0 explicitly in its value; DER forbids "
                "encoding a DEFAULT value (X.690 11.5), so the value omits it");
  // Negative twin: the same constraint without the minimum.
  EXPECT_EQ(ParseErrorOf(der), "(accepted)");
}

TEST(ExplicitDefaultTest, ExplicitVersionV1IsRejected) {
  // The test card is X.509 v1: no version field, signed by the root.
  const testing::TestChain chain = testing::MakeTestChain();
  ASSERT_EQ(X509_get_version(chain.card.get()), X509_VERSION_1);
  const X509Ptr forged =
      testing::Resign(testing::WithExplicitVersionV1(DerOfCert(chain.card.get())), chain.root_key.get());
  const Bytes der = DerOfCert(forged.get());
  ASSERT_TRUE(SignatureVerifies(forged.get(), chain.root_key.get()));
  ASSERT_EQ(der.size(), DerOfCert(chain.card.get()).size() + 5);  // a0 03 02 01 00
  EXPECT_TRUE(OpenSslReEncodesTbsToItself(der));                  // OpenSSL alone would accept it
  EXPECT_EQ(ParseErrorOf(der),
            "certificate bundle: block 1 is not canonical DER: version v1(0) is encoded explicitly; DER forbids "
            "encoding a DEFAULT value (X.690 11.5), so a v1 certificate omits the field");
  // Negative twin: the genuine v1 card.
  EXPECT_EQ(ParseErrorOf(DerOfCert(chain.card.get())), "(accepted)");
}

TEST(CanonicalTbsTest, UniqueIdWithSetUnusedBitsIsRejectedAndCleanOneAccepted) {
  const testing::TestChain chain = testing::MakeTestChain();
  const X509Ptr cert = WithOneExtension(chain.root_key.get());
  // issuerUniqueID [1] IMPLICIT BIT STRING, just before the extensions.
  const auto with_issuer_uid = [&chain, &cert](std::uint8_t last) {
    return Resigned(cert.get(), chain.root_key.get(), [last](std::vector<Bytes>& tbs) {
      tbs.insert(tbs.end() - 1, Bytes{0x81, 0x03, 0x01, 0xa5, last});
    });
  };
  EXPECT_FALSE(OpenSslReEncodesTbsToItself(with_issuer_uid(0xff)));
  EXPECT_EQ(ParseErrorOf(with_issuer_uid(0xff)), kReEncodesDifferently);
  EXPECT_TRUE(OpenSslReEncodesTbsToItself(with_issuer_uid(0xfe)));
  EXPECT_EQ(ParseErrorOf(with_issuer_uid(0xfe)), "(accepted)");
}

TEST(CanonicalTbsTest, PublicKeyBitStringWithSetUnusedBitsIsRejected) {
  const testing::TestChain chain = testing::MakeTestChain();
  const Bytes der = Resigned(chain.partition.get(), chain.card_key.get(), [](std::vector<Bytes>& tbs) {
    // subjectPublicKeyInfo (the 7th element with the [0] version): a
    // BIT STRING of 0 unused bits; claim one unused bit whose value is 1.
    std::vector<Bytes> spki = DerElements(DerContent(tbs[6]));
    Bytes key = DerContent(spki[1]);
    ASSERT_EQ(key[0], 0x00);
    key[0] = 0x01;
    key.back() |= 0x01;
    spki[1] = DerTlv(0x03, key);
    tbs[6] = DerTlv(0x30, DerJoin(spki));
  });
  EXPECT_FALSE(OpenSslReEncodesTbsToItself(der));
  EXPECT_EQ(ParseErrorOf(der), kReEncodesDifferently);
}

/// Whether `error` is the explicit-DEFAULT rejection of block 1.
bool IsExplicitDefault(const std::string& error) {
  return error.rfind("certificate bundle: block 1 is not canonical DER: ", 0) == 0 &&
         error.find("; DER forbids encoding a DEFAULT value (X.690 11.5)") != std::string::npos;
}

TEST(CanonicalTbsTest, EveryOneByteChangeOfTheTbsGetsTheSameAnswerAsOpenSsl) {
  // Each byte of the tbsCertificate in turn, set to a few values: whatever
  // parses as a certificate and passes the TLV walk must be accepted or
  // rejected by the re-encoding exactly as OpenSSL's own way decides, with
  // one difference: an explicit DEFAULT (a version 02, a critical or a cA
  // FF turned into 00) is refused although OpenSSL re-encodes it unchanged.
  // The partition has no extensions, the root two (keyUsage critical).
  const testing::TestChain chain = testing::MakeTestChain();
  std::size_t compared = 0;
  std::size_t explicit_defaults = 0;
  for (X509* cert : {chain.partition.get(), chain.root.get()}) {
    const Bytes der = DerOfCert(cert);
    const std::size_t tbs_end = 4 + DerElements(DerContent(der))[0].size();
    for (std::size_t i = 4; i < tbs_end; ++i) {
      for (std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0x01}, std::uint8_t{0xff}}) {
        Bytes changed = der;
        if (changed[i] == value) continue;
        changed[i] = value;
        const std::string error = ParseErrorOf(changed);
        if (error == "(accepted)" || error == kReEncodesDifferently) {
          EXPECT_EQ(error == "(accepted)", OpenSslReEncodesTbsToItself(changed)) << "byte " << i << " = " << +value;
          ++compared;
        } else if (IsExplicitDefault(error)) {
          EXPECT_TRUE(OpenSslReEncodesTbsToItself(changed)) << "byte " << i << " = " << +value;
          EXPECT_EQ(value, 0x00) << "byte " << i << ": " << error;
          ++explicit_defaults;
        }
      }
    }
  }
  EXPECT_GT(compared, 200u);
  // Both versions, the root's keyUsage critical flag and its basicConstraints cA.
  EXPECT_EQ(explicit_defaults, 4u);
}

}  // namespace
}  // namespace keyattest
