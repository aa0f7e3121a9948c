// The prepared certificate signature check (certificate_signature.h)
// against its oracle, OpenSSL 3.0's X509_verify: every pair it covers must
// get X509_verify's verdict, for honest signatures, every one-bit change of
// the signature and the signed bytes, and encodings a forger would make
// with the issuer's own private key; every pair outside its form must be
// left to X509_verify.
#include "keyattest/x509/certificate_signature.h"

#include <gtest/gtest.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "tests/support/test_pki.h"

namespace keyattest {
namespace {

using testing::CaSpec;
using testing::CertSpec;
using testing::IssueCertificate;
using testing::LoadTestKey;
using testing::TestKeyId;
using testing::Utc;

struct Pair {
  EvpPkeyPtr issuer_key;
  std::optional<Certificate> issuer, subject;
};

Pair MakePair(TestKeyId issuer_key, const EVP_MD* md, TestKeyId subject_key = TestKeyId::kSubjectRsa2048) {
  Pair p;
  p.issuer_key = LoadTestKey(issuer_key);
  const CertSpec ca = CaSpec({{"CN", "Signature Test Issuer"}}, 1, Utc(2020, 1, 1), Utc(2040, 1, 1));
  X509Ptr issuer = IssueCertificate(ca, p.issuer_key.get(), nullptr, p.issuer_key.get());
  CertSpec spec;
  spec.subject = {{"CN", "Signature Test Subject"}};
  spec.serial = 2;
  spec.not_before = Utc(2024, 1, 1);
  spec.not_after = Utc(2030, 1, 1);
  spec.md = md;
  const EvpPkeyPtr key = LoadTestKey(subject_key);
  X509Ptr subject = IssueCertificate(spec, key.get(), issuer.get(), p.issuer_key.get());
  p.issuer.emplace(std::move(issuer));
  p.subject.emplace(std::move(subject));
  return p;
}

std::optional<Certificate> Parse(const Bytes& der) {
  const unsigned char* in = der.data();
  X509Ptr x(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  ClearOpenSslErrors();
  if (!x || in != der.data() + der.size()) return std::nullopt;
  try {
    return Certificate(std::move(x));
  } catch (const CryptoError&) {
    return std::nullopt;
  }
}

bool OpenSslVerifies(const Certificate& subject, const Certificate& issuer) {
  const bool ok = X509_verify(subject.get(), issuer.public_key()) == 1;
  ClearOpenSslErrors();
  return ok;
}

/// The prepared verdict, which must exist and agree with X509_verify.
bool PreparedVerdictAgrees(const Certificate& subject, const Certificate& issuer, const std::string& what) {
  const std::optional<PreparedSignatureCheck> check = PrepareSignatureCheck(subject, issuer);
  EXPECT_TRUE(check.has_value()) << what;
  if (!check) return false;
  const bool ours = SignatureVerifies(*check);
  EXPECT_EQ(ours, OpenSslVerifies(subject, issuer)) << what;
  return ours;
}

/// `der` with its last `signature.size()` bytes (the signatureValue's
/// contents) replaced.
Bytes WithSignature(Bytes der, const Bytes& signature) {
  std::copy(signature.begin(), signature.end(), der.end() - static_cast<std::ptrdiff_t>(signature.size()));
  return der;
}

/// s = em^d mod n with the issuer's private key: what a forger holding the
/// key (or an HSM signing whatever it is given) could put in a certificate.
Bytes RawPrivateOperation(EVP_PKEY* key, const Bytes& em) {
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  EXPECT_EQ(EVP_PKEY_sign_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING), 1);
  Bytes s(static_cast<std::size_t>(EVP_PKEY_get_size(key)));
  std::size_t size = s.size();
  EXPECT_EQ(EVP_PKEY_sign(ctx.get(), s.data(), &size, em.data(), em.size()), 1);
  return s;
}

TEST(CertificateSignatureTest, CoversRsaPkcs1WithSha2AndLeavesEveryOtherFormToOpenSsl) {
  struct Case {
    TestKeyId issuer_key;
    const EVP_MD* md;
    bool covered;
    const char* what;
  };
  const Case cases[] = {
      {TestKeyId::kRootRsa2048, EVP_sha256(), true, "RSA-2048 SHA-256"},
      {TestKeyId::kRootRsa2048, EVP_sha384(), true, "RSA-2048 SHA-384"},
      {TestKeyId::kRootRsa2048, EVP_sha512(), true, "RSA-2048 SHA-512"},
      {TestKeyId::kRootRsa4096, EVP_sha256(), true, "RSA-4096 SHA-256"},
      {TestKeyId::kRootRsa4096, EVP_sha512(), true, "RSA-4096 SHA-512"},
      {TestKeyId::kWeakRsa1024, EVP_sha256(), true, "RSA-1024 SHA-256"},
      {TestKeyId::kRootRsa2048, EVP_sha1(), false, "SHA-1"},
      {TestKeyId::kRootRsa2048, EVP_sha224(), false, "SHA-224"},
      {TestKeyId::kRsa2048Exponent3, EVP_sha256(), false, "exponent 3"},
      {TestKeyId::kEcP256Signer, EVP_sha256(), false, "ECDSA"},
  };
  for (const Case& c : cases) {
    const Pair p = MakePair(c.issuer_key, c.md);
    const std::optional<PreparedSignatureCheck> check = PrepareSignatureCheck(*p.subject, *p.issuer);
    EXPECT_EQ(check.has_value(), c.covered) << c.what;
    ASSERT_TRUE(OpenSslVerifies(*p.subject, *p.issuer)) << c.what;
    if (check) {
      EXPECT_TRUE(SignatureVerifies(*check)) << c.what;
    }
  }
}

TEST(CertificateSignatureTest, AnotherIssuersKeyFailsAsInOpenSsl) {
  const Pair p = MakePair(TestKeyId::kRootRsa2048, EVP_sha256());
  const Pair other = MakePair(TestKeyId::kLookAlikeRootRsa2048, EVP_sha256());
  EXPECT_FALSE(PreparedVerdictAgrees(*p.subject, *other.issuer, "look-alike issuer"));
  EXPECT_TRUE(PreparedVerdictAgrees(*p.subject, *p.issuer, "its issuer"));
}

TEST(CertificateSignatureTest, EveryOneBitChangeOfTheSignatureFailsAsInOpenSsl) {
  for (const TestKeyId key : {TestKeyId::kRootRsa2048, TestKeyId::kRootRsa4096}) {
    const Pair p = MakePair(key, EVP_sha384());
    const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(p.issuer_key.get()));
    const Bytes& der = p.subject->der();
    for (std::size_t bit = 0; bit < k * 8; bit += (key == TestKeyId::kRootRsa4096 ? 7 : 1)) {
      Bytes flipped = der;
      flipped[der.size() - k + bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
      const std::optional<Certificate> subject = Parse(flipped);
      ASSERT_TRUE(subject.has_value()) << bit;
      EXPECT_FALSE(PreparedVerdictAgrees(*subject, *p.issuer, "signature bit " + std::to_string(bit)));
    }
  }
}

TEST(CertificateSignatureTest, EveryOneByteChangeOfTheSignedBytesAgreesWithOpenSsl) {
  const Pair p = MakePair(TestKeyId::kRootRsa2048, EVP_sha256());
  const ByteSpan tbs = p.subject->tbs_der();
  const std::size_t tbs_at = static_cast<std::size_t>(tbs.data() - p.subject->der().data());
  std::size_t compared = 0;
  for (std::size_t i = 0; i < tbs.size(); ++i) {
    Bytes changed = p.subject->der();
    changed[tbs_at + i] ^= 0x01;
    const std::optional<Certificate> subject = Parse(changed);
    if (!subject) continue;  // no longer a certificate
    const std::optional<PreparedSignatureCheck> check = PrepareSignatureCheck(*subject, *p.issuer);
    if (!check) {
      // Outside the form (the algorithm or its copy in the tbs changed):
      // X509_verify decides, and must refuse.
      EXPECT_FALSE(OpenSslVerifies(*subject, *p.issuer)) << i;
      continue;
    }
    ++compared;
    EXPECT_FALSE(PreparedVerdictAgrees(*subject, *p.issuer, "tbs byte " + std::to_string(i)));
  }
  EXPECT_GT(compared, tbs.size() / 2);
}

TEST(CertificateSignatureTest, DigestInfoIsMadeForTheSha2DigestsOnly) {
  EXPECT_EQ(DigestInfo(DigestAlgorithm::kSha256, Bytes(32, 0))->size(), 19u + 32u);
  EXPECT_EQ(DigestInfo(DigestAlgorithm::kSha384, Bytes(48, 0))->size(), 19u + 48u);
  EXPECT_EQ(DigestInfo(DigestAlgorithm::kSha512, Bytes(64, 0))->size(), 19u + 64u);
  EXPECT_FALSE(DigestInfo(DigestAlgorithm::kSha1, Bytes(20, 0)).has_value());  // no RSA check here takes SHA-1
  EXPECT_FALSE(DigestInfo(DigestAlgorithm::kSha256, Bytes(31, 0)).has_value());
  EXPECT_FALSE(DigestInfo(DigestAlgorithm::kSha384, Bytes(32, 0)).has_value());
}

TEST(CertificateSignatureTest, EncodingsAForgerCanSignFailAsInOpenSsl) {
  const Pair p = MakePair(TestKeyId::kRootRsa2048, EVP_sha256());
  EVP_PKEY* key = p.issuer_key.get();
  const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(key));
  const Bytes hash = Sha256(p.subject->tbs_der());
  const Bytes digest_info = *DigestInfo(DigestAlgorithm::kSha256, hash);
  auto signed_with = [&](const Bytes& em, const std::string& what) {
    EXPECT_EQ(em.size(), k) << what;
    const std::optional<Certificate> subject = Parse(WithSignature(p.subject->der(), RawPrivateOperation(key, em)));
    EXPECT_TRUE(subject.has_value()) << what;
    return subject ? PreparedVerdictAgrees(*subject, *p.issuer, what) : false;
  };
  // The harness itself: the honest encoding, signed raw, verifies.
  EXPECT_TRUE(signed_with(Pkcs1Type1Encoding(digest_info, k), "the honest encoding"));

  // DigestInfo without the NULL parameters (accepted by old OpenSSL).
  Bytes no_null = {0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48,
                   0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20};
  no_null.insert(no_null.end(), hash.begin(), hash.end());
  EXPECT_FALSE(signed_with(Pkcs1Type1Encoding(no_null, k), "DigestInfo without NULL"));
  // The right hash under another algorithm's DigestInfo, and the bare hash.
  Bytes sha512_info = *DigestInfo(DigestAlgorithm::kSha512, Bytes(64, 0));
  std::copy(hash.begin(), hash.end(), sha512_info.end() - 64);
  EXPECT_FALSE(signed_with(Pkcs1Type1Encoding(sha512_info, k), "SHA-512 DigestInfo"));
  EXPECT_FALSE(signed_with(Pkcs1Type1Encoding(hash, k), "bare hash, no DigestInfo"));
  // Block type 2, a zero byte missing from the padding, a byte after T.
  Bytes type2 = Pkcs1Type1Encoding(digest_info, k);
  type2[1] = 0x02;
  EXPECT_FALSE(signed_with(type2, "block type 2"));
  Bytes short_padding = Pkcs1Type1Encoding(digest_info, k);
  short_padding[2] = 0x00;
  EXPECT_FALSE(signed_with(short_padding, "padding cut short"));
  Bytes trailing = Pkcs1Type1Encoding(Bytes(digest_info.begin(), digest_info.end()), k - 1);
  trailing.push_back(0x00);
  EXPECT_FALSE(signed_with(trailing, "T shifted by a trailing byte"));
  // Garbage in place of the last padding bytes (Bleichenbacher 2006 shape).
  Bytes garbage = Pkcs1Type1Encoding(digest_info, k);
  std::rotate(garbage.begin() + 2, garbage.begin() + 10, garbage.end());
  EXPECT_FALSE(signed_with(garbage, "T moved left, garbage after it"));
}

TEST(CertificateSignatureTest, SignatureValuesOutsideTheModulusFailAsInOpenSsl) {
  const Pair p = MakePair(TestKeyId::kRootRsa2048, EVP_sha256());
  const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(p.issuer_key.get()));
  BIGNUM* n_raw = nullptr;
  ASSERT_EQ(EVP_PKEY_get_bn_param(p.issuer_key.get(), "n", &n_raw), 1);
  const BignumPtr n(n_raw);
  Bytes modulus(k);
  ASSERT_EQ(BN_bn2binpad(n.get(), modulus.data(), static_cast<int>(k)), static_cast<int>(k));
  Bytes zero(k, 0x00);
  Bytes all_ones(k, 0xff);
  for (const auto& [value, what] :
       {std::pair{modulus, "s = n"}, std::pair{zero, "s = 0"}, std::pair{all_ones, "s > n"}}) {
    const std::optional<Certificate> subject = Parse(WithSignature(p.subject->der(), value));
    ASSERT_TRUE(subject.has_value()) << what;
    EXPECT_FALSE(PreparedVerdictAgrees(*subject, *p.issuer, what));
  }
}

TEST(CertificateSignatureTest, AnAlgorithmMismatchOrUnusedBitsAreLeftToOpenSslWhichRefuses) {
  const Pair p = MakePair(TestKeyId::kRootRsa2048, EVP_sha256());
  // The outer signatureAlgorithm made sha384WithRSAEncryption (OID's last
  // arc 11 -> 12); the tbsCertificate's copy still says SHA-256.
  Bytes der = p.subject->der();
  const Bytes oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
  const auto last = std::find_end(der.begin(), der.end(), oid.begin(), oid.end());
  ASSERT_NE(last, der.end());
  ASSERT_NE(static_cast<std::size_t>(last - der.begin()),
            static_cast<std::size_t>(std::search(der.begin(), der.end(), oid.begin(), oid.end()) - der.begin()));
  *(last + 10) = 0x0c;
  std::optional<Certificate> mismatch = Parse(der);
  ASSERT_TRUE(mismatch.has_value());
  EXPECT_FALSE(PrepareSignatureCheck(*mismatch, *p.issuer).has_value());
  EXPECT_FALSE(OpenSslVerifies(*mismatch, *p.issuer));
  // One unused bit declared in the signature BIT STRING.
  const std::size_t k = static_cast<std::size_t>(EVP_PKEY_get_size(p.issuer_key.get()));
  Bytes unused = p.subject->der();
  ASSERT_EQ(unused[unused.size() - k - 1], 0x00);
  unused[unused.size() - k - 1] = 0x01;
  std::optional<Certificate> with_unused_bits = Parse(unused);
  ASSERT_TRUE(with_unused_bits.has_value());
  EXPECT_FALSE(PrepareSignatureCheck(*with_unused_bits, *p.issuer).has_value());
  EXPECT_FALSE(OpenSslVerifies(*with_unused_bits, *p.issuer));
}

// The same modulus published as an RSASSA-PSS key: X509_verify refuses a
// PKCS#1 v1.5 signature under it (the key type must be rsaEncryption), so
// the prepared check must not take the pair either.
TEST(CertificateSignatureTest, TheSameModulusAsAnRsaPssKeyIsLeftToOpenSslWhichRefuses) {
  const Pair p = MakePair(TestKeyId::kRootRsa2048, EVP_sha256());
  OSSL_PARAM* params = nullptr;
  ASSERT_EQ(EVP_PKEY_todata(p.issuer_key.get(), EVP_PKEY_KEYPAIR, &params), 1);
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA-PSS", nullptr));
  ASSERT_TRUE(ctx);
  EVP_PKEY* raw = nullptr;
  ASSERT_EQ(EVP_PKEY_fromdata_init(ctx.get()), 1);
  ASSERT_EQ(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params), 1);
  OSSL_PARAM_free(params);
  const EvpPkeyPtr pss_key(raw);
  ASSERT_EQ(EVP_PKEY_get_base_id(pss_key.get()), EVP_PKEY_RSA_PSS);
  const CertSpec ca = CaSpec({{"CN", "Signature Test Issuer"}}, 1, Utc(2020, 1, 1), Utc(2040, 1, 1));
  const Certificate pss_issuer(IssueCertificate(ca, pss_key.get(), nullptr, pss_key.get()));
  EXPECT_FALSE(PrepareSignatureCheck(*p.subject, pss_issuer).has_value());
  EXPECT_FALSE(OpenSslVerifies(*p.subject, pss_issuer));
  // Twin: the rsaEncryption certificate of that very key is covered and verifies.
  EXPECT_TRUE(PreparedVerdictAgrees(*p.subject, *p.issuer, "rsaEncryption issuer"));
}

}  // namespace
}  // namespace keyattest
