#include <gtest/gtest.h>
#include <openssl/err.h>

#include <algorithm>
#include <functional>

#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/attestation_json.h"
#include "tests/support/blob_builder.h"
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

Bytes Tlv(std::uint8_t tag, const Bytes& content) {
  Bytes out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(n)});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n & 0xff)});
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

/// The DER elements one after another in `content` (definite lengths).
std::vector<Bytes> Elements(const Bytes& content) {
  std::vector<Bytes> out;
  for (std::size_t pos = 0; pos < content.size();) {
    std::size_t header = 2;
    std::size_t length = content[pos + 1];
    if (length >= 0x80) {
      header += length & 0x7f;
      length = 0;
      for (std::size_t i = pos + 2; i < pos + header; ++i) length = (length << 8) | content[i];
    }
    out.emplace_back(content.begin() + static_cast<std::ptrdiff_t>(pos),
                     content.begin() + static_cast<std::ptrdiff_t>(pos + header + length));
    pos += header + length;
  }
  return out;
}

Bytes Inner(const Bytes& element) {
  const std::size_t header = element[1] < 0x80 ? 2 : 2 + (element[1] & 0x7fu);
  return Bytes(element.begin() + static_cast<std::ptrdiff_t>(header), element.end());
}

Bytes Join(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

/// `cert` with its tbsCertificate elements edited by `edit`, signed again
/// by `issuer_key` (so only the encoding is at stake).
Bytes Resigned(X509* cert, EVP_PKEY* issuer_key, const std::function<void(std::vector<Bytes>&)>& edit) {
  const std::vector<Bytes> outer = Elements(Inner(DerOfCert(cert)));
  std::vector<Bytes> tbs_elements = Elements(Inner(outer[0]));
  edit(tbs_elements);
  const Bytes tbs = Tlv(0x30, Join(tbs_elements));
  Bytes signature{0x00};
  const Bytes raw = testing::DigestSignSha256(issuer_key, tbs);
  signature.insert(signature.end(), raw.begin(), raw.end());
  return Tlv(0x30, Join({tbs, outer[1], Tlv(0x03, signature)}));
}

/// `edit` applied to the first extension of the [3] extensions element.
void EditFirstExtension(std::vector<Bytes>& tbs, const std::function<void(std::vector<Bytes>&)>& edit) {
  Bytes& wrapper = tbs.back();
  ASSERT_EQ(wrapper[0], 0xa3);
  std::vector<Bytes> extensions = Elements(Inner(Elements(Inner(wrapper))[0]));
  std::vector<Bytes> fields = Elements(Inner(extensions[0]));
  ASSERT_EQ(fields.size(), 2u) << "the first extension already has a critical field";
  edit(fields);
  extensions[0] = Tlv(0x30, Join(fields));
  wrapper = Tlv(0xa3, Tlv(0x30, Join(extensions)));
}

/// The oracle: OpenSSL re-encoding a fresh copy's tbsCertificate.
bool OpenSslReEncodesTbsToItself(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return false;
  X509Ptr copy(X509_dup(cert.get()));
  unsigned char* fresh = nullptr;
  const int length = i2d_re_X509_tbs(copy.get(), &fresh);
  const Bytes tbs = Elements(Inner(der))[0];
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
X509Ptr WithOneExtension(EVP_PKEY* key) {
  testing::CertSpec spec;
  spec.subject = {{"CN", "extension"}};
  spec.not_before = testing::Utc(2025, 1, 1);
  spec.not_after = testing::Utc(2030, 1, 1);
  spec.basic_constraints_ca = true;
  spec.bc_critical = false;
  return testing::IssueCertificate(spec, key, nullptr, key);
}

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

TEST(CanonicalTbsTest, ExplicitCriticalFlagsAreDecidedAsOpenSslDecides) {
  // OpenSSL 3.0 keeps an explicit `critical FALSE` (a DEFAULT value, which
  // DER omits) and writes it again, so its own way accepts it: so does the
  // check (it rejects exactly what OpenSSL's re-encoding rejects). Explicit
  // TRUE is DER.
  const testing::TestChain chain = testing::MakeTestChain();
  const X509Ptr cert = WithOneExtension(chain.root_key.get());
  for (std::uint8_t flag : {std::uint8_t{0x00}, std::uint8_t{0xff}}) {
    const Bytes der = Resigned(cert.get(), chain.root_key.get(), [flag](std::vector<Bytes>& tbs) {
      EditFirstExtension(tbs, [flag](std::vector<Bytes>& f) { f.insert(f.begin() + 1, Bytes{0x01, 0x01, flag}); });
    });
    EXPECT_EQ(ParseErrorOf(der) == "(accepted)", OpenSslReEncodesTbsToItself(der)) << +flag;
    EXPECT_EQ(ParseErrorOf(der), "(accepted)") << +flag;
  }
  // A BOOLEAN that is neither 00 nor FF is not DER: the TLV walk rejects it.
  const Bytes odd = Resigned(cert.get(), chain.root_key.get(), [](std::vector<Bytes>& tbs) {
    EditFirstExtension(tbs, [](std::vector<Bytes>& f) { f.insert(f.begin() + 1, Bytes{0x01, 0x01, 0x01}); });
  });
  EXPECT_EQ(
      ParseErrorOf(odd).rfind("certificate bundle: block 1 is not canonical DER: BOOLEAN not encoded as 00 or FF", 0),
      0u)
      << ParseErrorOf(odd);
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
    std::vector<Bytes> spki = Elements(Inner(tbs[6]));
    Bytes key = Inner(spki[1]);
    ASSERT_EQ(key[0], 0x00);
    key[0] = 0x01;
    key.back() |= 0x01;
    spki[1] = Tlv(0x03, key);
    tbs[6] = Tlv(0x30, Join(spki));
  });
  EXPECT_FALSE(OpenSslReEncodesTbsToItself(der));
  EXPECT_EQ(ParseErrorOf(der), kReEncodesDifferently);
}

TEST(CanonicalTbsTest, EveryOneByteChangeOfTheTbsGetsTheSameAnswerAsOpenSsl) {
  // Each byte of the tbsCertificate in turn, set to a few values: whatever
  // parses as a certificate and passes the TLV walk must be accepted or
  // rejected by the re-encoding exactly as OpenSSL's own way decides.
  const testing::TestChain chain = testing::MakeTestChain();
  const Bytes der = DerOfCert(chain.partition.get());
  const std::size_t tbs_end = 4 + Elements(Inner(der))[0].size();
  std::size_t compared = 0;
  for (std::size_t i = 4; i < tbs_end; ++i) {
    for (std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0x01}, std::uint8_t{0xff}}) {
      Bytes changed = der;
      if (changed[i] == value) continue;
      changed[i] = value;
      const std::string error = ParseErrorOf(changed);
      if (error == "(accepted)" || error == kReEncodesDifferently) {
        EXPECT_EQ(error == "(accepted)", OpenSslReEncodesTbsToItself(changed)) << "byte " << i << " = " << +value;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100u);
}

}  // namespace
}  // namespace keyattest
