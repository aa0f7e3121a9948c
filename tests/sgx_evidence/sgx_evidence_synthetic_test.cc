// MAA signing-key evidence on generated PKI (fresh P-256 keys, fixed dates):
// every check passes on a well-formed quote, and each one fails on its
// negative twin.
#include <gtest/gtest.h>

#include <openssl/x509.h>

#include "keyattest/core/errors.h"
#include "keyattest/sgx_evidence/evidence_extension.h"
#include "keyattest/sgx_evidence/pck_chain.h"
#include "keyattest/sgx_evidence/quote_crypto.h"
#include "keyattest/sgx_evidence/signing_key_evidence.h"
#include "tests/support/sgx_quote_builder.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_pki.h"

namespace keyattest::sgx_evidence {
namespace {

using namespace keyattest::testing;  // NOLINT(google-build-using-namespace): test builders

constexpr std::size_t kIsvSignatureOffset = 436;
constexpr std::size_t kAttestationKeyOffset = 436 + 64;
constexpr std::size_t kQeReportOffset = 436 + 128;
constexpr std::size_t kQeSignatureOffset = 436 + 512;
constexpr std::size_t kQeAuthDataOffset = 436 + 578;

std::string StatusOf(const Report& report, const char* id) {
  const CheckResult* c = report.Find(id);
  return c == nullptr ? "absent" : CheckStatusName(c->status);
}

std::string DetailOf(const Report& report, const char* id) {
  const CheckResult* c = report.Find(id);
  return c == nullptr ? "" : c->detail;
}

class SgxEvidenceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new SgxTestPki(MakeSgxTestPki());
    anchors_ = new std::vector<TrustAnchor>{TrustAnchor(Certificate(X509Ptr(X509_dup(pki_->root.get()))))};
  }
  static void TearDownTestSuite() {
    delete anchors_;
    delete pki_;
  }
  static const SgxTestPki& pki() { return *pki_; }

  void SetUp() override {
    key_ = LoadTestKey(TestKeyId::kSubjectRsa2048);
    options_.check_time = CheckTime{Utc(2024, 1, 1), 0, false};
    options_.pck_roots = anchors_;
  }

  SgxQuoteSpec GoodSpec() const {
    SgxQuoteSpec spec;
    spec.report_data = EnclaveReportData(key_.get());
    return spec;
  }
  Bytes GoodQuote() const { return BuildSgxQuote(GoodSpec(), pki()); }

  static Certificate CertWith(EVP_PKEY* key, const std::string& oid, ByteSpan value) {
    return Certificate(MakeSigningCertificate(key, oid, value));
  }
  Certificate OeCert(ByteSpan quote) const { return CertWith(key_.get(), kOidOeSgxEvidence, WrapInOeHeader(quote)); }

  Report Run(const Certificate& cert, std::string_view kid = "") const {
    Report report;
    const std::string own_kid = EncodeBase64Std(EnclaveKeyHash(cert));
    VerifyMaaSigningKeyEvidence(cert, kid.empty() ? std::string_view(own_kid) : kid, options_, report);
    return report;
  }
  Report RunRequired(const Certificate& cert) {
    options_.require_evidence = true;
    return Run(cert);
  }

  EvpPkeyPtr key_;
  SgxEvidenceOptions options_;

 private:
  static SgxTestPki* pki_;
  static std::vector<TrustAnchor>* anchors_;
};

SgxTestPki* SgxEvidenceTest::pki_ = nullptr;
std::vector<TrustAnchor>* SgxEvidenceTest::anchors_ = nullptr;

TEST_F(SgxEvidenceTest, WellFormedQuotePassesEveryCheck) {
  const Report report = RunRequired(OeCert(GoodQuote()));
  for (const char* id : {"signing_key.evidence", "signing_key.self_signed", "signing_key.kid",
                         "signing_key.report_data", "signing_key.isv_signature", "signing_key.qe_report_data",
                         "signing_key.qe_signature", "signing_key.pck_chain", "signing_key.debug"}) {
    EXPECT_EQ(StatusOf(report, id), "pass") << id << ": " << DetailOf(report, id);
  }
  EXPECT_EQ(StatusOf(report, "signing_key.mrsigner"), "skip");
  EXPECT_EQ(StatusOf(report, "signing_key.tcb"), "warn");
  EXPECT_NE(DetailOf(report, "signing_key.tcb").find("NOT evaluated"), std::string::npos);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  ASSERT_EQ(report.checks.front().id, "signing_key.evidence");
  const auto& facts = report.facts["signing_key_evidence"];
  EXPECT_EQ(facts["extension"], kOidOeSgxEvidence);
  EXPECT_EQ(facts["enclave"]["mrsigner"], HexEncode(Bytes(32, 0x74)));
  EXPECT_EQ(facts["enclave"]["isv_prod_id"], 1);
  EXPECT_EQ(facts["enclave"]["debug"], false);
  EXPECT_EQ(facts["pck_chain"].size(), 3u);
  EXPECT_EQ(facts["pck_chain"][0]["subject"],
            "C=US,ST=CA,L=Santa Clara,O=Intel Corporation,CN=Intel SGX PCK Certificate");
}

TEST_F(SgxEvidenceTest, The2020WrappedFormVerifiesToo) {
  const Report report = RunRequired(CertWith(key_.get(), kOidSgxQuote2020, WrapInOctetString(GoodQuote())));
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified) << DetailOf(report, "signing_key.evidence");
  EXPECT_NE(DetailOf(report, "signing_key.evidence").find("2020 form"), std::string::npos);
}

TEST_F(SgxEvidenceTest, QuoteTransplantedIntoAnotherKeysCertificateFails) {
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  const Certificate cert = CertWith(other.get(), kOidOeSgxEvidence, WrapInOeHeader(GoodQuote()));
  const Report relaxed = Run(cert);
  EXPECT_EQ(StatusOf(relaxed, "signing_key.report_data"), "fail");
  EXPECT_NE(DetailOf(relaxed, "signing_key.report_data").find("the quote is for another key"), std::string::npos);
  EXPECT_EQ(relaxed.exit_code(), ExitCode::kVerificationFailed) << "a false binding fails even when not required";
  EXPECT_EQ(StatusOf(relaxed, "signing_key.evidence"), "fail");
  EXPECT_NE(DetailOf(relaxed, "signing_key.evidence").find("present but does not hold: signing_key.report_data failed"),
            std::string::npos);
  const Report required = RunRequired(cert);
  EXPECT_EQ(StatusOf(required, "signing_key.evidence"), "fail");
  EXPECT_NE(DetailOf(required, "signing_key.evidence").find("signing_key.report_data failed"), std::string::npos);
}

TEST_F(SgxEvidenceTest, ReportDataSecondHalfMustBeZero) {
  SgxQuoteSpec spec = GoodSpec();
  spec.report_data[40] = 1;
  const Report report = Run(OeCert(BuildSgxQuote(spec, pki())));
  EXPECT_EQ(StatusOf(report, "signing_key.report_data"), "fail");
  EXPECT_NE(DetailOf(report, "signing_key.report_data").find("not zero"), std::string::npos);
}

struct Flip {
  const char* name;
  std::size_t offset;
  const char* failing_check;
};

TEST_F(SgxEvidenceTest, EachSignedOrHashedByteFlippedFailsItsCheck) {
  const Bytes good = GoodQuote();
  for (const Flip& f : {Flip{"isv signature r", kIsvSignatureOffset, "signing_key.isv_signature"},
                        Flip{"isv signature s", kIsvSignatureOffset + 40, "signing_key.isv_signature"},
                        Flip{"header user data", 30, "signing_key.isv_signature"},
                        Flip{"report body mrenclave", 48 + 64, "signing_key.isv_signature"},
                        Flip{"attestation key", kAttestationKeyOffset + 63, "signing_key.qe_report_data"},
                        Flip{"qe report", kQeReportOffset + 130, "signing_key.qe_signature"},
                        Flip{"qe signature r", kQeSignatureOffset + 1, "signing_key.qe_signature"},
                        Flip{"qe signature s", kQeSignatureOffset + 63, "signing_key.qe_signature"},
                        Flip{"qe auth data", kQeAuthDataOffset + 3, "signing_key.qe_report_data"}}) {
    Bytes bad = good;
    bad[f.offset] ^= 0x01;
    const Report report = Run(OeCert(bad));
    EXPECT_EQ(StatusOf(report, f.failing_check), "fail") << f.name;
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << f.name;
  }
}

TEST_F(SgxEvidenceTest, PckChainUnderALookAlikeRootFails) {
  const SgxTestPki look_alike = MakeSgxTestPki();  // same names, other keys
  SgxQuoteSpec spec = GoodSpec();
  const Report report = Run(OeCert(BuildSgxQuote(spec, look_alike)));
  EXPECT_EQ(StatusOf(report, "signing_key.qe_signature"), "pass") << "signed by its own PCK key";
  EXPECT_EQ(StatusOf(report, "signing_key.pck_chain"), "fail");
  EXPECT_NE(DetailOf(report, "signing_key.pck_chain").find("not the pinned Intel SGX Root CA key"), std::string::npos);

  // The look-alike chain ending in the genuine root certificate: the quote's
  // last certificate is pinned, but the path does not verify.
  const std::string text =
      CertToPem(look_alike.pck.get()) + CertToPem(look_alike.ca.get()) + CertToPem(pki().root.get());
  spec.certification_data = Bytes(text.begin(), text.end());
  const Report spliced = Run(OeCert(BuildSgxQuote(spec, look_alike)));
  EXPECT_EQ(StatusOf(spliced, "signing_key.pck_chain"), "fail");
  EXPECT_NE(DetailOf(spliced, "signing_key.pck_chain").find("OpenSSL: "), std::string::npos);
}

TEST_F(SgxEvidenceTest, PckChainMustBeExactlyThePath) {
  SgxQuoteSpec spec = GoodSpec();
  const std::string extra = CertToPem(pki().pck.get()) + CertToPem(pki().ca.get()) +
                            CertToPem(MakeSgxTestPki().ca.get()) + CertToPem(pki().root.get());
  spec.certification_data = Bytes(extra.begin(), extra.end());
  const Report report = Run(OeCert(BuildSgxQuote(spec, pki())));
  EXPECT_EQ(StatusOf(report, "signing_key.pck_chain"), "fail");
  EXPECT_NE(
      DetailOf(report, "signing_key.pck_chain").find("the verified path has 3 certificates but the quote carries 4"),
      std::string::npos)
      << DetailOf(report, "signing_key.pck_chain");
  // Text after the PEM blocks other than one NUL.
  Bytes junk = pki().CertificationData();
  junk.push_back('x');
  spec.certification_data = junk;
  EXPECT_EQ(StatusOf(Run(OeCert(BuildSgxQuote(spec, pki()))), "signing_key.pck_chain"), "fail");
  // Without the NUL the chain is the same.
  Bytes no_nul = pki().CertificationData();
  no_nul.pop_back();
  spec.certification_data = no_nul;
  EXPECT_EQ(StatusOf(Run(OeCert(BuildSgxQuote(spec, pki()))), "signing_key.pck_chain"), "pass");
}

TEST_F(SgxEvidenceTest, PckChainIsCheckedAtTheCheckTime) {
  const Certificate cert = OeCert(GoodQuote());
  options_.check_time.at = Utc(2030, 3, 1);  // PCK certificate expired 2030-02-15
  Report expired = Run(cert);
  EXPECT_EQ(StatusOf(expired, "signing_key.pck_chain"), "fail");
  EXPECT_NE(DetailOf(expired, "signing_key.pck_chain").find("certificate has expired"), std::string::npos);
  // Before the PCK certificate existed: the quote is newer than the check
  // time; verified as of its notBefore, with a warning that says so.
  options_.check_time.at = Utc(2022, 12, 24);
  Report early = RunRequired(cert);
  EXPECT_EQ(StatusOf(early, "signing_key.pck_chain"), "warn");
  EXPECT_NE(DetailOf(early, "signing_key.pck_chain").find("verified as of 2023-02-15T00:00:00Z"), std::string::npos)
      << DetailOf(early, "signing_key.pck_chain");
  EXPECT_EQ(early.exit_code(), ExitCode::kVerified);
}

TEST_F(SgxEvidenceTest, DebugEnclaveWarnsUnlessEvidenceIsRequired) {
  SgxQuoteSpec spec = GoodSpec();
  spec.attributes_flags = 0x7;
  const Certificate cert = OeCert(BuildSgxQuote(spec, pki()));
  const Report relaxed = Run(cert);
  EXPECT_EQ(StatusOf(relaxed, "signing_key.debug"), "warn");
  EXPECT_EQ(relaxed.exit_code(), ExitCode::kVerified);
  const Report required = RunRequired(cert);
  EXPECT_EQ(StatusOf(required, "signing_key.debug"), "fail");
  EXPECT_EQ(DetailOf(required, "signing_key.debug"),
            "the MAA enclave is a debug enclave (ATTRIBUTES.FLAGS 0x0000000000000007): its memory, and so the signing "
            "key, is readable by the host");
  EXPECT_EQ(StatusOf(required, "signing_key.evidence"), "fail");
  EXPECT_EQ(required.exit_code(), ExitCode::kVerificationFailed);
}

TEST_F(SgxEvidenceTest, DebugQuotingEnclaveAlwaysFails) {
  SgxQuoteSpec spec = GoodSpec();
  spec.qe_attributes_flags = 0x17;
  const Report report = Run(OeCert(BuildSgxQuote(spec, pki())));
  EXPECT_EQ(StatusOf(report, "signing_key.debug"), "fail");
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
}

TEST_F(SgxEvidenceTest, RequiredMrsignerMustMatch) {
  const Certificate cert = OeCert(GoodQuote());
  options_.required_mrsigners = {Bytes(32, 0x5e), Bytes(32, 0x74)};
  Report pinned = Run(cert);
  EXPECT_EQ(StatusOf(pinned, "signing_key.mrsigner"), "pass");
  EXPECT_EQ(pinned.exit_code(), ExitCode::kVerified);
  options_.required_mrsigners = {Bytes(32, 0x5e)};
  Report wrong = Run(cert);
  EXPECT_EQ(StatusOf(wrong, "signing_key.mrsigner"), "fail");
  EXPECT_EQ(DetailOf(wrong, "signing_key.mrsigner"),
            "MRSIGNER " + HexEncode(Bytes(32, 0x74)) + " is not among the 1 required (--require-mrsigner)");
  EXPECT_EQ(StatusOf(wrong, "signing_key.evidence"), "fail") << "a pin implies evidence is required";
}

TEST_F(SgxEvidenceTest, AbsentEvidenceWarnsOrFails) {
  const Certificate bare = CertWith(key_.get(), "", {});
  const Report relaxed = Run(bare);
  EXPECT_EQ(StatusOf(relaxed, "signing_key.evidence"), "warn");
  EXPECT_EQ(StatusOf(relaxed, "signing_key.report_data"), "skip");
  EXPECT_EQ(StatusOf(relaxed, "signing_key.tcb"), "skip");
  EXPECT_EQ(relaxed.exit_code(), ExitCode::kVerified);
  const Report required = RunRequired(bare);
  EXPECT_EQ(StatusOf(required, "signing_key.evidence"), "fail");
  EXPECT_EQ(required.exit_code(), ExitCode::kVerificationFailed);
  options_.require_evidence = false;
  options_.required_mrsigners = {Bytes(32, 0x74)};
  EXPECT_EQ(StatusOf(Run(bare), "signing_key.mrsigner"), "fail");
}

TEST_F(SgxEvidenceTest, KeyWithoutCertificateHasNoEvidence) {
  Report relaxed;
  ReportSigningKeyWithoutCertificate("abc", options_, relaxed);
  EXPECT_EQ(StatusOf(relaxed, "signing_key.evidence"), "warn");
  EXPECT_EQ(relaxed.exit_code(), ExitCode::kVerified);
  options_.require_evidence = true;
  Report required;
  ReportSigningKeyWithoutCertificate("abc", options_, required);
  EXPECT_EQ(StatusOf(required, "signing_key.evidence"), "fail");
  EXPECT_NE(DetailOf(required, "signing_key.evidence").find("has no certificate (x5c)"), std::string::npos);
}

TEST_F(SgxEvidenceTest, SevSnpEvidenceIsRecognisedButNeverVerified) {
  for (const char* oid : {kOidSnpEvidence1, kOidSnpEvidence2}) {
    const Certificate cert = CertWith(key_.get(), oid, Bytes(100, 0x42));
    const Report relaxed = Run(cert);
    EXPECT_EQ(StatusOf(relaxed, "signing_key.evidence"), "warn") << oid;
    EXPECT_NE(DetailOf(relaxed, "signing_key.evidence").find("recognised but not supported"), std::string::npos);
    options_.require_evidence = true;
    EXPECT_EQ(StatusOf(Run(cert), "signing_key.evidence"), "fail") << oid;
    options_.require_evidence = false;
  }
}

TEST_F(SgxEvidenceTest, TwoEvidenceExtensionsAreAmbiguous) {
  X509Ptr x = MakeSigningCertificate(key_.get(), kOidOeSgxEvidence, WrapInOeHeader(GoodQuote()));
  X509Ptr second = MakeSigningCertificate(key_.get(), kOidSgxQuote2020, WrapInOctetString(GoodQuote()));
  X509_EXTENSION* ext = X509_get_ext(second.get(), X509_get_ext_count(second.get()) - 1);
  ASSERT_EQ(X509_add_ext(x.get(), ext, -1), 1);
  ASSERT_GT(X509_sign(x.get(), key_.get(), EVP_sha256()), 0);
  const Report report = Run(Certificate(std::move(x)));
  EXPECT_EQ(StatusOf(report, "signing_key.evidence"), "fail");
  EXPECT_NE(DetailOf(report, "signing_key.evidence").find("2 SGX evidence extensions"), std::string::npos);
}

TEST_F(SgxEvidenceTest, TruncatedAndPaddedQuotesAreMalformedEvenWhenNotRequired) {
  const Bytes good = GoodQuote();
  for (const Bytes& bad : {Bytes(good.begin(), good.end() - 1), [&] {
                             Bytes p = good;
                             p.push_back(0);
                             return p;
                           }()}) {
    const Report report = Run(OeCert(bad));
    EXPECT_EQ(StatusOf(report, "signing_key.evidence"), "fail");
    EXPECT_NE(DetailOf(report, "signing_key.evidence").find("malformed evidence"), std::string::npos);
    EXPECT_EQ(StatusOf(report, "signing_key.isv_signature"), "skip");
  }
}

TEST_F(SgxEvidenceTest, CertificateMustBeSelfSignedAndCurrent) {
  X509Ptr x = MakeSigningCertificate(key_.get(), kOidOeSgxEvidence, WrapInOeHeader(GoodQuote()));
  EvpPkeyPtr other = LoadTestKey(TestKeyId::kOtherPartitionRsa2048);
  ASSERT_GT(X509_sign(x.get(), other.get(), EVP_sha256()), 0);
  const Report forged = Run(Certificate(std::move(x)));
  EXPECT_EQ(StatusOf(forged, "signing_key.self_signed"), "fail");
  options_.check_time.at = Utc(2051, 1, 1);
  const Report late = Run(OeCert(GoodQuote()));
  EXPECT_EQ(StatusOf(late, "signing_key.self_signed"), "fail");
  EXPECT_NE(DetailOf(late, "signing_key.self_signed").find("not valid at 2051-01-01T00:00:00Z"), std::string::npos);
}

TEST_F(SgxEvidenceTest, KidOfAnotherFormOnlyWarns) {
  const Certificate cert = OeCert(GoodQuote());
  const Bytes hash = EnclaveKeyHash(cert);
  EXPECT_EQ(StatusOf(Run(cert, EncodeBase64Std(hash)), "signing_key.kid"), "pass");
  std::string url = EncodeBase64Std(hash);
  for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!url.empty() && url.back() == '=') url.pop_back();
  EXPECT_EQ(StatusOf(Run(cert, url), "signing_key.kid"), "pass");
  const Report other = Run(cert, "KQFAHrk1xALKHBD4b4u7TCvCJ1Mw0MlYZe+rxdePOtg=");
  EXPECT_EQ(StatusOf(other, "signing_key.kid"), "warn");
  EXPECT_EQ(other.exit_code(), ExitCode::kVerified);
}

TEST_F(SgxEvidenceTest, MrsignerOptionTakes64HexDigits) {
  EXPECT_EQ(ParseMrsignerHex(std::string(64, 'A')), Bytes(32, 0xaa));
  EXPECT_THROW(ParseMrsignerHex(std::string(62, 'a')), UsageError);
  EXPECT_THROW(ParseMrsignerHex(std::string(63, 'a') + "g"), UsageError);
  EXPECT_THROW(ParseMrsignerHex(""), UsageError);
}

// Every single-bit change of the evidence either fails verification or
// leaves the PCK chain's certificates unchanged (PEM whitespace).
TEST_F(SgxEvidenceTest, BitFlipSweepNeverVerifiesAChangedQuote) {
  options_.require_evidence = true;
  const Bytes good = GoodQuote();
  const std::vector<Certificate> original = ParsePckChain(pki().CertificationData());
  const std::size_t cert_data_start = good.size() - pki().CertificationData().size();
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= static_cast<std::uint8_t>(1U << (i % 8));
    const Report report = Run(OeCert(bad));
    if (report.exit_code() != ExitCode::kVerified) continue;
    ASSERT_GE(i, cert_data_start) << "a flipped byte at " << i << " verified";
    const std::vector<Certificate> parsed = ParsePckChain(ByteSpan(bad).subspan(cert_data_start));
    ASSERT_EQ(parsed.size(), original.size()) << i;
    for (std::size_t k = 0; k < parsed.size(); ++k) EXPECT_EQ(parsed[k].der(), original[k].der()) << i;
  }
}

}  // namespace
}  // namespace keyattest::sgx_evidence
