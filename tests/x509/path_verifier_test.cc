// VerifyPath, the one X.509 path check (docs/architecture.md "Time and trust
// are values"), over a generated root -> intermediate -> leaf PKI with fixed
// dates: every rejection next to its passing twin, and the tolerated error
// scoped to exactly one certificate at one depth.
#include "keyattest/x509/path_verifier.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
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

struct PathPkiOptions {
  bool intermediate_akid = true;  // strict mode wants it on every certificate but the anchor
  bool leaf_akid = true;
  std::string leaf_eku = "serverAuth";
  std::string leaf_san = "DNS:*.path.test, DNS:path.test";
  std::string leaf_cn = "leaf.path.test";
  std::time_t root_not_after = Utc(2040, 1, 1);
  std::time_t intermediate_not_before = Utc(2020, 1, 1);
  std::time_t intermediate_not_after = Utc(2040, 1, 1);
};

/// root (CA) -> intermediate (CA) -> leaf, valid 2024-01-01..2030-01-01
/// (leaf) inside wider CA windows.
struct PathPki {
  EvpPkeyPtr root_key = LoadTestKey(TestKeyId::kRootRsa2048);
  EvpPkeyPtr intermediate_key = LoadTestKey(TestKeyId::kCardRsa2048);
  EvpPkeyPtr leaf_key = LoadTestKey(TestKeyId::kPartitionRsa2048);
  std::optional<Certificate> root, intermediate, leaf;

  explicit PathPki(const PathPkiOptions& o = {}) {
    CertSpec ca = CaSpec({{"CN", "Path Test Root"}}, 1, Utc(2020, 1, 1), o.root_not_after);
    X509Ptr r = IssueCertificate(ca, root_key.get(), nullptr, root_key.get());
    ca.subject = {{"CN", "Path Test Intermediate"}};
    ca.serial = 2;
    ca.add_ski_aki = o.intermediate_akid;
    ca.not_before = o.intermediate_not_before;
    ca.not_after = o.intermediate_not_after;
    X509Ptr i = IssueCertificate(ca, intermediate_key.get(), r.get(), root_key.get());
    CertSpec leaf_spec;
    leaf_spec.subject = {{"CN", o.leaf_cn}};
    leaf_spec.serial = 3;
    leaf_spec.not_before = Utc(2024, 1, 1);
    leaf_spec.not_after = Utc(2030, 1, 1);
    leaf_spec.key_usage = KU_DIGITAL_SIGNATURE;
    leaf_spec.add_ski_aki = o.leaf_akid;
    leaf_spec.extended_key_usage = o.leaf_eku;
    leaf_spec.subject_alt_names = o.leaf_san;
    X509Ptr l = IssueCertificate(leaf_spec, leaf_key.get(), i.get(), intermediate_key.get());
    root.emplace(std::move(r));
    intermediate.emplace(std::move(i));
    leaf.emplace(std::move(l));
  }

  PathRequest Request(std::time_t at = Utc(2025, 6, 1)) const {
    PathRequest request;
    request.leaf = &*leaf;
    request.anchors = {&*root};
    request.untrusted = {&*intermediate};
    request.at = at;
    return request;
  }
};

/// The same certificate with the last byte of its signature flipped.
Certificate WithFlippedSignature(const Certificate& c) {
  Bytes der = c.der();
  der.back() ^= 0x01;
  const unsigned char* p = der.data();
  return Certificate(X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size()))));
}

/// `c` with one validity time replaced by raw `text` of ASN.1 `type`,
/// re-signed by `issuer_key`, so that only the time is wrong.
Certificate WithRawValidityTime(const Certificate& c, bool not_after, int type, const std::string& text,
                                EVP_PKEY* issuer_key) {
  X509Ptr copy(X509_dup(c.get()));
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_STRING_free)> time(ASN1_STRING_type_new(type), &ASN1_STRING_free);
  EXPECT_EQ(ASN1_STRING_set(time.get(), text.data(), static_cast<int>(text.size())), 1);
  EXPECT_EQ(not_after ? X509_set1_notAfter(copy.get(), time.get()) : X509_set1_notBefore(copy.get(), time.get()), 1);
  EXPECT_GT(X509_sign(copy.get(), issuer_key, EVP_sha256()), 0);
  return Certificate(std::move(copy));
}

/// An unrelated self-signed certificate named like the leaf: offered as an
/// untrusted certificate, it makes names repeat, so OpenSSL checks validity
/// and signatures itself.
Certificate NamesakeOfTheLeaf() {
  const EvpPkeyPtr decoy_key = LoadTestKey(TestKeyId::kOwnerRootRsa2048);
  CertSpec spec;
  spec.subject = {{"CN", "leaf.path.test"}};
  spec.not_before = Utc(2020, 1, 1);
  spec.not_after = Utc(2040, 1, 1);
  return Certificate(IssueCertificate(spec, decoy_key.get(), nullptr, decoy_key.get()));
}

/// Runs `request` as given, where every subject name is distinct (the path
/// verifier then checks validity itself), and again with an unrelated
/// certificate that shares the leaf's subject name (OpenSSL then checks
/// validity): both must give the same result, which is returned.
PathResult VerifyBothWays(const PathPki& pki, PathRequest request) {
  const Certificate decoy = NamesakeOfTheLeaf();
  PathResult ours = VerifyPath(request);
  request.untrusted.push_back(&decoy);
  const PathResult openssl = VerifyPath(request);
  EXPECT_EQ(ours.ok, openssl.ok);
  EXPECT_EQ(ours.error, openssl.error);
  EXPECT_EQ(ours.error_depth, openssl.error_depth);
  EXPECT_EQ(ours.detail, openssl.detail);
  EXPECT_EQ(ours.length, openssl.length);
  (void)pki;
  return ours;
}

/// The certificate `x` as decoded afresh from its DER (so that OpenSSL's
/// cached extension flags describe exactly these bytes).
Certificate Decoded(X509* x) {
  const Bytes der = ToDer(i2d_X509, x, "i2d_X509");
  const unsigned char* p = der.data();
  return Certificate(X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size()))));
}

TEST(PathVerifierTest, BasicConstraintsCaIsWhatTheOneExtensionSays) {
  const EvpPkeyPtr key = LoadTestKey(TestKeyId::kRootRsa2048);
  auto issue = [&](int version, std::optional<bool> ca) {
    CertSpec spec;
    spec.subject = {{"CN", "bc"}};
    spec.version = version;
    spec.basic_constraints_ca = ca;
    spec.not_before = Utc(2025, 1, 1);
    spec.not_after = Utc(2030, 1, 1);
    return IssueCertificate(spec, key.get(), nullptr, key.get());
  };
  // What X509_get_ext_d2i decodes: nothing without exactly one extension.
  auto decoded = [](const Certificate& c) -> std::optional<bool> {
    int critical = 0;
    BasicConstraintsPtr bc(
        static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(c.get(), NID_basic_constraints, &critical, nullptr)));
    ERR_clear_error();
    if (!bc) return std::nullopt;
    return bc->ca != 0;
  };
  X509Ptr twice = issue(3, false);
  X509_EXTENSION* second = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(X509_add_ext(twice.get(), second, -1), 1);
  X509_EXTENSION_free(second);
  ASSERT_GT(X509_sign(twice.get(), key.get(), EVP_sha256()), 0);
  const struct {
    X509Ptr cert;
    std::optional<bool> ca;
    const char* what;
  } cases[] = {{issue(1, std::nullopt), std::nullopt, "v1, no extensions"},
               {issue(3, std::nullopt), std::nullopt, "v3 without basicConstraints"},
               {issue(3, true), true, "cA TRUE"},
               {issue(3, false), false, "cA FALSE (omitted, as DER writes it)"},
               {std::move(twice), std::nullopt, "two basicConstraints extensions, one saying cA TRUE"}};
  for (const auto& c : cases) {
    const Certificate certificate = Decoded(c.cert.get());
    EXPECT_EQ(decoded(certificate), c.ca) << c.what;
    EXPECT_EQ(BasicConstraintsCa(certificate), c.ca) << c.what;
  }
}

TEST(PathVerifierTest, AValidPathVerifiesAndReturnsItLeafFirst) {
  const PathPki pki;
  const PathResult r = VerifyPath(pki.Request());
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_TRUE(r.path_ok);
  EXPECT_FALSE(r.tolerated);
  EXPECT_EQ(r.error, X509_V_OK);
  EXPECT_EQ(r.detail, "");
  ASSERT_EQ(r.length, 3U);
  EXPECT_EQ(X509_cmp(r.path[0].get(), pki.leaf->get()), 0);
  EXPECT_EQ(X509_cmp(r.path[1].get(), pki.intermediate->get()), 0);
  EXPECT_EQ(X509_cmp(r.path[2].get(), pki.root->get()), 0);
}

TEST(PathVerifierTest, OnlyTheGivenAnchorsAreTrusted) {
  const PathPki pki;
  const EvpPkeyPtr other_key = LoadTestKey(TestKeyId::kOwnerRootRsa2048);
  CertSpec spec;
  spec.subject = {{"CN", "Path Test Root"}};  // the same name, another key
  spec.not_before = Utc(2020, 1, 1);
  spec.not_after = Utc(2040, 1, 1);
  spec.basic_constraints_ca = true;
  const Certificate look_alike(IssueCertificate(spec, other_key.get(), nullptr, other_key.get()));
  PathRequest request = pki.Request();
  request.anchors = {&look_alike};
  const PathResult r = VerifyPath(request);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.path_ok);
  EXPECT_EQ(r.error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
  EXPECT_EQ(r.error_depth, 1);
  EXPECT_EQ(r.detail, "OpenSSL: certificate signature failure (error 7, depth 1, CN=Path Test Intermediate)");
  // No anchor at all: the intermediate's issuer is nowhere.
  request.anchors.clear();
  const PathResult none = VerifyPath(request);
  EXPECT_EQ(none.detail,
            "OpenSSL: unable to get local issuer certificate (error 20, depth 1, CN=Path Test Intermediate)");
  // Twin: the intermediate itself is not an anchor, even when offered.
  request.untrusted = {&*pki.intermediate, &*pki.root};
  EXPECT_FALSE(VerifyPath(request).ok);
}

TEST(PathVerifierTest, ValidityIsCheckedAtTheCheckTime) {
  const PathPki pki;
  const PathResult expired = VerifyPath(pki.Request(Utc(2030, 1, 1, 0, 0, 1)));
  EXPECT_FALSE(expired.ok);
  EXPECT_EQ(expired.detail, "OpenSSL: certificate has expired (error 10, depth 0, CN=leaf.path.test)");
  const PathResult early = VerifyPath(pki.Request(Utc(2023, 12, 31, 23, 59, 59)));
  EXPECT_EQ(early.detail, "OpenSSL: certificate is not yet valid (error 9, depth 0, CN=leaf.path.test)");
  EXPECT_TRUE(VerifyPath(pki.Request(Utc(2029, 12, 31, 23, 59, 59))).ok);
}

// OpenSSL 3.0 counts a certificate valid from its notBefore second up to,
// not including, its notAfter second; the path verifier keeps exactly that.
TEST(PathVerifierTest, ValidityBoundariesAreOpenSslsAtEveryDepth) {
  PathPkiOptions o;
  o.intermediate_not_before = Utc(2022, 1, 1);
  o.intermediate_not_after = Utc(2029, 1, 1);
  o.root_not_after = Utc(2028, 1, 1);
  const PathPki pki(o);
  EXPECT_TRUE(VerifyBothWays(pki, pki.Request(Utc(2024, 1, 1))).ok);  // the leaf's notBefore second
  EXPECT_EQ(VerifyBothWays(pki, pki.Request(Utc(2027, 12, 31, 23, 59, 59))).detail, "");
  // The root (depth 2) expires first, at its notAfter second; the root is
  // checked before the certificates below it.
  EXPECT_EQ(VerifyBothWays(pki, pki.Request(Utc(2028, 1, 1))).detail,
            "OpenSSL: certificate has expired (error 10, depth 2, CN=Path Test Root)");
  PathPkiOptions late;
  late.intermediate_not_before = Utc(2025, 1, 1);
  const PathPki late_pki(late);
  EXPECT_EQ(VerifyBothWays(late_pki, late_pki.Request(Utc(2024, 12, 31, 23, 59, 59))).detail,
            "OpenSSL: certificate is not yet valid (error 9, depth 1, CN=Path Test Intermediate)");
  EXPECT_TRUE(VerifyBothWays(late_pki, late_pki.Request(Utc(2025, 1, 1))).ok);
  EXPECT_EQ(VerifyBothWays(pki, pki.Request(Utc(2030, 1, 1))).detail,
            "OpenSSL: certificate has expired (error 10, depth 2, CN=Path Test Root)");
}

TEST(PathVerifierTest, AMalformedValidityTimeIsAFormatError) {
  const PathPki pki;
  struct Case {
    bool not_after;
    int type;
    const char* text;
    const char* detail;
  };
  const Case cases[] = {
      {true, V_ASN1_UTCTIME, "291301000000Z",
       "OpenSSL: format error in certificate's notAfter field (error 14, depth 0, CN=leaf.path.test)"},
      {true, V_ASN1_GENERALIZEDTIME, "20290101000000.5Z",
       "OpenSSL: format error in certificate's notAfter field (error 14, depth 0, CN=leaf.path.test)"},
      {false, V_ASN1_UTCTIME, "240230000000Z",
       "OpenSSL: format error in certificate's notBefore field (error 13, depth 0, CN=leaf.path.test)"},
      {false, V_ASN1_UTCTIME, "2401010000Z",
       "OpenSSL: format error in certificate's notBefore field (error 13, depth 0, CN=leaf.path.test)"},
  };
  for (const Case& c : cases) {
    const Certificate leaf = WithRawValidityTime(*pki.leaf, c.not_after, c.type, c.text, pki.intermediate_key.get());
    PathRequest request = pki.Request();
    request.leaf = &leaf;
    EXPECT_EQ(VerifyBothWays(pki, request).detail, c.detail) << c.text;
  }
  // Twin: the same re-signing with well-formed times verifies.
  const Certificate good =
      WithRawValidityTime(*pki.leaf, true, V_ASN1_GENERALIZEDTIME, "20290101000000Z", pki.intermediate_key.get());
  PathRequest request = pki.Request();
  request.leaf = &good;
  EXPECT_TRUE(VerifyBothWays(pki, request).ok);
}

// The signature of a certificate is checked before its validity, and a
// certificate nearer the anchor before those below it: an expired
// intermediate is reported before a forged leaf, a forged and expired
// leaf as forged.
TEST(PathVerifierTest, ValidityErrorsComeInOpenSslsOrder) {
  PathPkiOptions o;
  o.intermediate_not_after = Utc(2025, 1, 1);
  const PathPki pki(o);
  const Certificate bad_leaf = WithFlippedSignature(*pki.leaf);
  PathRequest request = pki.Request(Utc(2025, 6, 1));
  request.leaf = &bad_leaf;
  EXPECT_EQ(VerifyBothWays(pki, request).detail,
            "OpenSSL: certificate has expired (error 10, depth 1, CN=Path Test Intermediate)");
  const PathPki fresh;
  request = fresh.Request(Utc(2031, 1, 1));
  const Certificate forged_leaf = WithFlippedSignature(*fresh.leaf);
  request.leaf = &forged_leaf;
  EXPECT_EQ(VerifyBothWays(fresh, request).detail,
            "OpenSSL: certificate signature failure (error 7, depth 0, CN=leaf.path.test)");
}

// Two anchors of one name and key, one expired: OpenSSL prefers the one
// valid at the check time. The path verifier leaves the check to OpenSSL
// whenever names repeat, so that preference stands.
TEST(PathVerifierTest, AnIssuerValidAtTheCheckTimeIsPreferredAmongNamesakes) {
  const PathPki pki;
  const CertSpec spec = CaSpec({{"CN", "Path Test Root"}}, 9, Utc(2000, 1, 1), Utc(2010, 1, 1));
  const Certificate expired_root(IssueCertificate(spec, pki.root_key.get(), nullptr, pki.root_key.get()));
  PathRequest request = pki.Request();
  request.anchors = {&expired_root, &*pki.root};
  const PathResult r = VerifyPath(request);
  EXPECT_TRUE(r.ok) << r.detail;
  ASSERT_EQ(r.length, 3U);
  EXPECT_EQ(X509_cmp(r.path[2].get(), pki.root->get()), 0);
  // Twin: with only the expired namesake, the path is refused.
  request.anchors = {&expired_root};
  EXPECT_EQ(VerifyPath(request).detail, "OpenSSL: certificate has expired (error 10, depth 2, CN=Path Test Root)");
}

TEST(PathVerifierTest, ABadSignatureAnywhereFails) {
  const PathPki pki;
  const Certificate bad_leaf = WithFlippedSignature(*pki.leaf);
  PathRequest request = pki.Request();
  request.leaf = &bad_leaf;
  const PathResult leaf = VerifyBothWays(pki, request);
  EXPECT_FALSE(leaf.ok);
  EXPECT_EQ(leaf.detail, "OpenSSL: certificate signature failure (error 7, depth 0, CN=leaf.path.test)");
  EXPECT_EQ(leaf.prepared_signatures, 2U);
  const Certificate bad_intermediate = WithFlippedSignature(*pki.intermediate);
  request = pki.Request();
  request.untrusted = {&bad_intermediate};
  const PathResult intermediate = VerifyBothWays(pki, request);
  EXPECT_EQ(intermediate.detail,
            "OpenSSL: certificate signature failure (error 7, depth 1, CN=Path Test Intermediate)");
  EXPECT_EQ(intermediate.prepared_signatures, 1U);  // the callback stops the pass at the first failure
  // The anchor's own signature counts only when the chain asks for it.
  const Certificate bad_root = WithFlippedSignature(*pki.root);
  request = pki.Request();
  request.anchors = {&bad_root};
  const PathResult unchecked = VerifyBothWays(pki, request);
  EXPECT_TRUE(unchecked.ok) << unchecked.detail;
  EXPECT_EQ(unchecked.prepared_signatures, 2U);
  request.flags = X509_V_FLAG_CHECK_SS_SIGNATURE;
  const PathResult checked = VerifyBothWays(pki, request);
  EXPECT_EQ(checked.detail, "OpenSSL: certificate signature failure (error 7, depth 2, CN=Path Test Root)");
  EXPECT_EQ(checked.prepared_signatures, 1U);
  request.anchors = {&*pki.root};  // twin: the honest root's self-signature verifies
  const PathResult honest = VerifyBothWays(pki, request);
  EXPECT_TRUE(honest.ok) << honest.detail;
  EXPECT_EQ(honest.prepared_signatures, 3U);
}

// The prepared checks replace X509_verify only where they decide exactly as
// it does (certificate_signature.h), and only for a whole path at once:
// names that repeat, another signature form anywhere, or an issuer whose
// keyUsage forbids signing leave every signature to OpenSSL.
TEST(PathVerifierTest, PreparedChecksCoverOnlyPlainRsaPathsWithDistinctNames) {
  const PathPki pki;
  const PathResult plain = VerifyPath(pki.Request());
  EXPECT_TRUE(plain.ok) << plain.detail;
  EXPECT_EQ(plain.prepared_signatures, 2U);

  const Certificate decoy = NamesakeOfTheLeaf();
  PathRequest namesakes = pki.Request();
  namesakes.untrusted.push_back(&decoy);
  const PathResult by_openssl = VerifyPath(namesakes);
  EXPECT_TRUE(by_openssl.ok) << by_openssl.detail;
  EXPECT_EQ(by_openssl.prepared_signatures, 0U);

  // A SHA-1 leaf: outside the prepared form, so the whole path is OpenSSL's.
  CertSpec sha1_spec;
  sha1_spec.subject = {{"CN", "sha1.path.test"}};
  sha1_spec.serial = 7;
  sha1_spec.not_before = Utc(2024, 1, 1);
  sha1_spec.not_after = Utc(2030, 1, 1);
  sha1_spec.md = EVP_sha1();
  const Certificate sha1_leaf(
      IssueCertificate(sha1_spec, pki.leaf_key.get(), pki.intermediate->get(), pki.intermediate_key.get()));
  PathRequest sha1 = pki.Request();
  sha1.leaf = &sha1_leaf;
  const PathResult sha1_result = VerifyBothWays(pki, sha1);
  EXPECT_TRUE(sha1_result.ok) << sha1_result.detail;
  EXPECT_EQ(sha1_result.prepared_signatures, 0U);
  const Certificate forged_sha1_leaf = WithFlippedSignature(sha1_leaf);
  sha1.leaf = &forged_sha1_leaf;
  EXPECT_EQ(VerifyBothWays(pki, sha1).detail,
            "OpenSSL: certificate signature failure (error 7, depth 0, CN=sha1.path.test)");

  // An intermediate whose keyUsage lacks keyCertSign is an invalid CA
  // (error 79); with that error tolerated, the signature pass refuses it
  // again (error 32), which only OpenSSL's pass does: it gets the path.
  CertSpec signer_spec = CaSpec({{"CN", "Path Test Intermediate"}}, 2, Utc(2020, 1, 1), Utc(2040, 1, 1));
  signer_spec.key_usage = KU_DIGITAL_SIGNATURE;
  const Certificate no_cert_sign(
      IssueCertificate(signer_spec, pki.intermediate_key.get(), pki.root->get(), pki.root_key.get()));
  PathRequest no_cert_sign_request = pki.Request();
  no_cert_sign_request.untrusted = {&no_cert_sign};
  EXPECT_EQ(VerifyBothWays(pki, no_cert_sign_request).error, X509_V_ERR_INVALID_CA);
  no_cert_sign_request.tolerated = ToleratedError{X509_V_ERR_INVALID_CA, &no_cert_sign, 1, std::nullopt, "test"};
  const PathResult refused = VerifyBothWays(pki, no_cert_sign_request);
  EXPECT_EQ(refused.error, X509_V_ERR_KEYUSAGE_NO_CERTSIGN) << refused.detail;
  EXPECT_EQ(refused.error_depth, 1);
  EXPECT_EQ(refused.prepared_signatures, 0U);
}

TEST(PathVerifierTest, PurposeIsCheckedOnlyWhenAsked) {
  PathPkiOptions client_only;
  client_only.leaf_eku = "clientAuth";
  const PathPki pki(client_only);
  PathRequest request = pki.Request();
  EXPECT_TRUE(VerifyPath(request).ok);
  request.purpose = X509_PURPOSE_SSL_SERVER;
  const PathResult r = VerifyPath(request);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, X509_V_ERR_INVALID_PURPOSE);
  EXPECT_EQ(r.error_depth, 0);
  // Twin: a serverAuth leaf serves the purpose.
  const PathPki server;
  PathRequest ok = server.Request();
  ok.purpose = X509_PURPOSE_SSL_SERVER;
  EXPECT_TRUE(VerifyPath(ok).ok);
}

TEST(PathVerifierTest, HostNameIsMatchedAgainstDnsSubjectAltNamesOnly) {
  const PathPki pki;
  PathRequest request = pki.Request();
  request.host = "a.path.test";
  PathResult r = VerifyPath(request);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_TRUE(r.host_ok);
  EXPECT_EQ(r.matched_host, "*.path.test");
  request.host = "path.test";
  EXPECT_EQ(VerifyPath(request).matched_host, "path.test");
  // The wildcard covers one whole label only; another domain is not covered.
  for (const char* host : {"a.b.path.test", "other.test", "apath.test"}) {
    request.host = host;
    r = VerifyPath(request);
    EXPECT_FALSE(r.ok) << host;
    EXPECT_TRUE(r.path_ok) << host;
    EXPECT_FALSE(r.host_ok) << host;
    EXPECT_EQ(r.detail, std::string("no DNS subjectAltName of the leaf covers ") + host);
  }
}

TEST(PathVerifierTest, TheSubjectCommonNameIsNeverAHostName) {
  PathPkiOptions cn_only;
  cn_only.leaf_cn = "cn.path.test";
  cn_only.leaf_san = "DNS:san.path.test";
  const PathPki pki(cn_only);
  PathRequest request = pki.Request();
  request.host = "cn.path.test";
  EXPECT_FALSE(VerifyPath(request).host_ok);
  PathPkiOptions partial;
  partial.leaf_san = "DNS:a*.path.test";
  const PathPki partial_pki(partial);
  request = partial_pki.Request();
  request.host = "ab.path.test";
  EXPECT_FALSE(VerifyPath(request).host_ok);
}

TEST(PathVerifierTest, HostNameIsReportedEvenWhenThePathFails) {
  const PathPki pki;
  PathRequest request = pki.Request(Utc(2031, 1, 1));
  request.host = "a.path.test";
  const PathResult r = VerifyPath(request);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.path_ok);
  EXPECT_TRUE(r.host_ok);
  EXPECT_EQ(r.error, X509_V_ERR_CERT_HAS_EXPIRED);
}

// Strict mode refuses a certificate other than the anchor without an
// authority key identifier (error 85): the shape of AMD's VCEKs.
TEST(PathVerifierTest, TheToleratedErrorIsScopedToOneCertificateAtOneDepth) {
  PathPkiOptions no_leaf_akid;
  no_leaf_akid.leaf_akid = false;
  const PathPki pki(no_leaf_akid);
  PathRequest request = pki.Request();
  request.flags = X509_V_FLAG_X509_STRICT;
  const PathResult refused = VerifyPath(request);
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.detail, "OpenSSL: Missing Authority Key Identifier (error 85, depth 0, CN=leaf.path.test)");

  request.tolerated = ToleratedError{X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*pki.leaf, 0, std::nullopt, "test"};
  const PathResult accepted = VerifyPath(request);
  EXPECT_TRUE(accepted.ok) << accepted.detail;
  EXPECT_TRUE(accepted.tolerated);

  // The same error, but the tolerance names another certificate, another
  // depth, another error or another X.509 version: refused.
  const ToleratedError wrong[] = {
      {X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*pki.intermediate, 0, std::nullopt, "other certificate"},
      {X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*pki.leaf, 1, std::nullopt, "other depth"},
      {X509_V_ERR_INVALID_CA, &*pki.leaf, 0, std::nullopt, "other error"},
      {X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*pki.leaf, 0, X509_VERSION_1, "other version"},
  };
  for (const ToleratedError& t : wrong) {
    request.tolerated = t;
    const PathResult r = VerifyPath(request);
    EXPECT_FALSE(r.ok) << t.note;
    EXPECT_EQ(r.detail, refused.detail) << t.note;
  }
}

// A forger's next try against the validity check moved into the callback:
// a certificate that carries the tolerated error and is also expired. The
// tolerance covers exactly its one error; the expiry still fails the path.
TEST(PathVerifierTest, TheToleratedErrorNeverCoversAnExpiredCertificate) {
  PathPkiOptions no_leaf_akid;
  no_leaf_akid.leaf_akid = false;
  const PathPki pki(no_leaf_akid);
  PathRequest request = pki.Request(Utc(2030, 1, 1));
  request.flags = X509_V_FLAG_X509_STRICT;
  request.tolerated = ToleratedError{X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*pki.leaf, 0, std::nullopt, "test"};
  const PathResult r = VerifyBothWays(pki, request);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "OpenSSL: certificate has expired (error 10, depth 0, CN=leaf.path.test)");
  // Twin: one second earlier the tolerated error alone is accepted.
  request.at = Utc(2029, 12, 31, 23, 59, 59);
  const PathResult twin = VerifyBothWays(pki, request);
  EXPECT_TRUE(twin.ok) << twin.detail;
  EXPECT_TRUE(twin.tolerated);
}

TEST(PathVerifierTest, ALeafToleranceDoesNotCoverTheIntermediate) {
  PathPkiOptions no_intermediate_akid;
  no_intermediate_akid.intermediate_akid = false;
  no_intermediate_akid.leaf_akid = false;
  const PathPki pki(no_intermediate_akid);
  PathRequest request = pki.Request();
  request.flags = X509_V_FLAG_X509_STRICT;
  request.tolerated = ToleratedError{X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, &*pki.leaf, 0, std::nullopt, "test"};
  const PathResult r = VerifyPath(request);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER);
  EXPECT_EQ(r.error_depth, 1);
  EXPECT_EQ(r.error_subject, "CN=Path Test Intermediate");
}

}  // namespace
}  // namespace keyattest
