// Trust anchors: the embedded pinned roots, decoding on first use, the
// outline read before decoding, and anchors that share a name.
#include <gtest/gtest.h>

#include <thread>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/synthetic.h"
#include "tests/support/test_paths.h"

namespace keyattest {
namespace {

using namespace keyattest::testing;

Bytes RepoRootDer(const std::string& file) {
  std::string pem = ReadFileText(std::string(KEYATTEST_REPO_TESTDATA) + "/roots/" + file);
  std::vector<Bytes> blocks = SplitPemCertificates(AsBytes(pem));
  EXPECT_EQ(blocks.size(), 1u);
  return blocks.front();
}

const Bytes kLs1Pin = *HexDecode("78adcba1f38bee304bc44d6a086503f2940037d4b3d58a1bf66a3282ef58cd41");

std::string UnusableReason(const TrustAnchor& anchor) {
  try {
    (void)anchor.certificate();
  } catch (const CryptoError& e) {
    return e.what();
  }
  return "";
}

std::string ConstructionError(Bytes der) {
  try {
    TrustAnchor anchor("test root", std::move(der), kLs1Pin);
  } catch (const CryptoError& e) {
    return e.what();
  }
  return "";
}

TEST(TrustAnchorTest, EmbeddedMarvellRootsDecodeAndMatchTheirPins) {
  std::vector<TrustAnchor> roots = BuiltinMarvellRoots();
  ASSERT_EQ(roots.size(), 2u);
  EXPECT_EQ(roots[0].name(), "Marvell LS1 localca.liquidsecurity.cavium.com (2024)");
  EXPECT_EQ(HexEncode(roots[0].spki_sha256()), "78adcba1f38bee304bc44d6a086503f2940037d4b3d58a1bf66a3282ef58cd41");
  EXPECT_EQ(HexEncode(roots[1].spki_sha256()), "f84b0610f2ca68f1f936c12c37a22794b59a2afa54f55f8d3c977232c5b97d7c");
  for (const TrustAnchor& root : roots) {
    const Certificate& decoded = root.certificate();
    EXPECT_EQ(decoded.spki_sha256(), root.spki_sha256());
    EXPECT_EQ(decoded.sha256(), root.sha256());
    EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(decoded.get()), root.subject()), 0);
  }
  EXPECT_EQ(roots[0].certificate().subject(),
            "CN=localca.liquidsecurity.cavium.com,OU=LiquidSecurity,O=Cavium\\, Inc.,L=San Jose,ST=California,C=US");
}

TEST(TrustAnchorTest, EmbeddedGoogleRootDecodesAndMatchesItsPin) {
  std::vector<TrustAnchor> roots = BuiltinGoogleRoots();
  ASSERT_EQ(roots.size(), 1u);
  EXPECT_EQ(roots[0].certificate().spki_sha256(), roots[0].spki_sha256());
  EXPECT_EQ(roots[0].certificate().common_name(), "Hawksbill Root v1 prod");
}

TEST(TrustAnchorTest, OutlineNamesTheSubjectBeforeDecoding) {
  Synthetic s;
  const std::string root_pem = s.chain.RootPem();
  Bytes der = SplitPemCertificates(AsBytes(root_pem)).front();
  Certificate decoded(X509Ptr(X509_dup(s.chain.root.get())));
  TrustAnchor anchor("test root", der, decoded.spki_sha256());
  EXPECT_EQ(anchor.name(), "test root");
  EXPECT_EQ(anchor.sha256(), decoded.sha256());
  EXPECT_EQ(X509_NAME_cmp(anchor.subject(), X509_get_subject_name(s.chain.root.get())), 0);
  Certificate card(X509Ptr(X509_dup(s.chain.card.get())));
  Certificate partition(X509Ptr(X509_dup(s.chain.partition.get())));
  EXPECT_TRUE(anchor.Issued(card));
  EXPECT_FALSE(anchor.Issued(partition));  // issued by the card, not the root
  EXPECT_EQ(anchor.certificate().der(), der);
}

TEST(TrustAnchorTest, KeyOtherThanThePinIsUnusableEveryTime) {
  Bytes der = RepoRootDer("marvell-ls2-2024.pem");
  TrustAnchor anchor("LS2 under the LS1 pin", der, kLs1Pin);  // outline fine; key is LS2's
  const std::string want = "trust anchor 'LS2 under the LS1 pin' is unusable: does not match its SPKI pin";
  EXPECT_EQ(UnusableReason(anchor), want);
  EXPECT_EQ(UnusableReason(anchor), want);  // the failure is remembered, not retried into success
  TrustAnchor copy = anchor;
  EXPECT_EQ(UnusableReason(copy), want);
}

TEST(TrustAnchorTest, MatchingPinTwinDecodes) {
  TrustAnchor anchor("LS1", RepoRootDer("marvell-ls1-localca-2024.pem"), kLs1Pin);
  EXPECT_EQ(UnusableReason(anchor), "");
  EXPECT_EQ(anchor.certificate().common_name(), "localca.liquidsecurity.cavium.com");
}

TEST(TrustAnchorTest, OutlineOkButBodyUndecodableIsUnusable) {
  Bytes der = RepoRootDer("marvell-ls1-localca-2024.pem");
  // The rsaEncryption OID's last byte sits after the subject: the outline
  // still reads, OpenSSL's decode of the key then fails or mismatches.
  const Bytes rsa_oid = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
  auto it = std::search(der.begin(), der.end(), rsa_oid.begin(), rsa_oid.end());
  ASSERT_NE(it, der.end());
  *(it + 1) = 0x0a;  // OID length 10 where 9 bytes follow: the key's DER is broken
  TrustAnchor anchor("broken key", der, kLs1Pin);
  EXPECT_EQ(UnusableReason(anchor).rfind("trust anchor 'broken key' is unusable: ", 0), 0u) << UnusableReason(anchor);
}

TEST(TrustAnchorTest, EveryTruncationIsRejectedAtConstruction) {
  const Bytes der = RepoRootDer("marvell-ls1-localca-2024.pem");
  for (std::size_t n = 0; n < der.size(); ++n) {
    Bytes cut(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(ConstructionError(cut).rfind("trust anchor 'test root' is not a DER certificate: ", 0), 0u) << n;
  }
}

TEST(TrustAnchorTest, TrailingByteAndWrongTagsAreRejectedAtConstruction) {
  Bytes der = RepoRootDer("marvell-ls1-localca-2024.pem");
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_NE(ConstructionError(trailing).find("bytes after the certificate"), std::string::npos)
      << ConstructionError(trailing);
  Bytes not_sequence = der;
  not_sequence[0] = 0x31;
  EXPECT_NE(ConstructionError(not_sequence).find("unexpected DER tag"), std::string::npos);
  EXPECT_EQ(ConstructionError(der), "");
}

/// `der` (a certificate whose outer length takes two octets, 82 hh ll)
/// with its outer length octets replaced by `length_octets`.
Bytes WithOuterLength(const Bytes& der, const Bytes& length_octets) {
  EXPECT_EQ(der[1], 0x82);
  Bytes out = {der[0]};
  out.insert(out.end(), length_octets.begin(), length_octets.end());
  out.insert(out.end(), der.begin() + 4, der.end());
  return out;
}

TEST(TrustAnchorTest, OutlineLengthsMustBeDefiniteAndShortest) {
  const Bytes der = RepoRootDer("marvell-ls1-localca-2024.pem");
  const std::string prefix = "trust anchor 'test root' is not a DER certificate: ";
  EXPECT_EQ(ConstructionError(WithOuterLength(der, {0x83, 0x00, der[2], der[3]})),
            prefix + "Certificate at offset 2: DER length not in its shortest form");
  EXPECT_EQ(ConstructionError(WithOuterLength(der, {0x84, 0x00, 0x00, der[2], der[3]})),
            prefix + "Certificate at offset 1: unsupported DER length form");
  EXPECT_EQ(ConstructionError(WithOuterLength(der, {0x80})),
            prefix + "Certificate at offset 1: unsupported DER length form");
  EXPECT_EQ(ConstructionError(WithOuterLength(der, {0x82, der[2], der[3]})), "");
}

TEST(TrustAnchorTest, PinOfWrongSizeIsRejected) {
  EXPECT_THROW(TrustAnchor("short pin", RepoRootDer("marvell-ls1-localca-2024.pem"), Bytes(31, 0)), CryptoError);
}

TEST(TrustAnchorTest, ConcurrentFirstUseDecodesOnce) {
  TrustAnchor anchor("LS1", RepoRootDer("marvell-ls1-localca-2024.pem"), kLs1Pin);
  std::vector<const Certificate*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] { seen[t] = &anchor.certificate(); });
  }
  for (auto& t : threads) t.join();
  for (const Certificate* c : seen) EXPECT_EQ(c, seen[0]);
}

TEST(TrustAnchorTest, DecodedAnchorReportsItsOwnFacts) {
  Synthetic s;
  Certificate root(X509Ptr(X509_dup(s.chain.root.get())));
  TrustAnchor anchor(root);
  EXPECT_EQ(anchor.name(), root.subject());
  EXPECT_EQ(anchor.spki_sha256(), root.spki_sha256());
  EXPECT_EQ(anchor.sha256(), root.sha256());
  EXPECT_EQ(anchor.certificate().der(), root.der());
}

// Anchors that share a subject: only those named by the card take part, and
// the report names the one the verified path ends at.
TEST(TrustAnchorTest, LookAlikeAnchorListedFirstDoesNotHideTheGenuineOne) {
  Synthetic s;
  s.options.marvell_roots.clear();
  s.options.marvell_roots.emplace_back(Certificate(CertFromPem(LookAlikeRootPem())));
  s.options.marvell_roots.emplace_back(Certificate(X509Ptr(X509_dup(s.chain.root.get()))));
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
  Certificate genuine(X509Ptr(X509_dup(s.chain.root.get())));
  ASSERT_FALSE(KeyAttestationFactsOf(r).certificates.empty());
  EXPECT_EQ(KeyAttestationFactsOf(r).certificates[0].role.view(), "Marvell root (pinned)");
  EXPECT_EQ(KeyAttestationFactsOf(r).certificates[0].certificate.sha256(), genuine.sha256());
}

TEST(TrustAnchorTest, LookAlikeAnchorAloneFails) {
  Synthetic s;
  s.options.marvell_roots.clear();
  s.options.marvell_roots.emplace_back(Certificate(CertFromPem(LookAlikeRootPem())));
  Report r = s.Verify();
  EXPECT_EQ(Detail(r, "chain.manufacturer").rfind("OpenSSL: certificate signature failure (error 7, depth 1", 0), 0u)
      << Detail(r, "chain.manufacturer");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(TrustAnchorTest, UnusableBuiltinAnchorFailsTheChainWithItsReason) {
  Synthetic s;
  // The genuine test root's DER under a pin it does not match.
  const std::string root_pem = s.chain.RootPem();
  s.options.marvell_roots.clear();
  s.options.marvell_roots.emplace_back("mis-pinned test root", SplitPemCertificates(AsBytes(root_pem)).front(),
                                       kLs1Pin);
  Report r = s.Verify();
  EXPECT_EQ(Detail(r, "chain.manufacturer"),
            "trust anchor 'mis-pinned test root' is unusable: does not match its SPKI pin");
  EXPECT_EQ(r.verdict(), Verdict::kFailed);
}

TEST(TrustAnchorTest, CorrectlyPinnedDeferredTestRootVerifies) {
  Synthetic s;
  const std::string root_pem = s.chain.RootPem();
  Certificate root(X509Ptr(X509_dup(s.chain.root.get())));
  s.options.marvell_roots.clear();
  s.options.marvell_roots.emplace_back("pinned test root", SplitPemCertificates(AsBytes(root_pem)).front(),
                                       root.spki_sha256());
  Report r = s.Verify();
  EXPECT_EQ(r.verdict(), Verdict::kVerified) << Failures(r);
}

}  // namespace
}  // namespace keyattest

namespace keyattest {
namespace {

// Every row of certs/anchors.json decodes to one certificate whose key
// matches the row's pin, and every purpose has at least one anchor.
TEST(TrustAnchorManifestTest, EveryEmbeddedAnchorMatchesItsPin) {
  ASSERT_FALSE(BuiltinPins().empty());
  for (const PinnedRoot& pin : BuiltinPins()) {
    SCOPED_TRACE(std::string(pin.name));
    std::vector<TrustAnchor> anchors = BuiltinAnchors(pin.purpose);
    ASSERT_FALSE(anchors.empty());
    bool found = false;
    for (const TrustAnchor& anchor : anchors) {
      if (anchor.name() != pin.name) continue;
      found = true;
      EXPECT_EQ(HexEncode(anchor.certificate().spki_sha256()), pin.spki_sha256_hex);
    }
    EXPECT_TRUE(found);
  }
}

TEST(TrustAnchorManifestTest, PurposesSelectOnlyTheirAnchors) {
  EXPECT_EQ(BuiltinAnchors("marvell-manufacturer").size(), 2u);
  EXPECT_EQ(BuiltinAnchors("google-cloud-hsm-owner").size(), 1u);
  EXPECT_TRUE(BuiltinAnchors("no-such-purpose").empty());
}

}  // namespace
}  // namespace keyattest
