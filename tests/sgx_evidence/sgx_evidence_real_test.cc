// MAA signing keys from the real corpus (../shared/testdata/maa-real; skipped
// when absent): every enclave certificate's quote verifies, the kid binding
// holds, the 2020-2021 keys are debug enclaves, and changed copies fail.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>

#include "keyattest/io/base64.h"
#include "keyattest/sgx_evidence/evidence_extension.h"
#include "keyattest/sgx_evidence/pck_chain.h"
#include "keyattest/sgx_evidence/quote_crypto.h"
#include "keyattest/sgx_evidence/signing_key_evidence.h"
#include "keyattest/x509/trust_anchors.h"
#include "tests/support/real_testdata.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_pki.h"

namespace keyattest::sgx_evidence {
namespace {

using keyattest::testing::Utc;

constexpr const char* kSharedSigner = "74ba5fba208571cf99e1f7158e6536a05bbb6ce7807eef8f6a97f64a7af64b83";
constexpr const char* kDebugSigner = "5e5410aaf99a32e32df2a97d579e65f8310f274816ec4f34cedeeb1be410a526";

std::optional<std::filesystem::path> MaaRealDir() {
  const auto real = keyattest::testing::RealTestdataDir();
  if (!real) return std::nullopt;
  const std::filesystem::path dir = real->parent_path() / "maa-real";
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return dir;
}

#define SKIP_WITHOUT_MAA_REAL(dir) \
  const auto dir = MaaRealDir();   \
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-real is absent; real MAA evidence not tested"

struct RealKey {
  const char* name;
  const char* file;  // JWKS (json) or PEM
  const char* kid;   // the JWKS kid (or the computed one for the PEM)
  std::time_t at;    // the time of a token it signed (or just after issue)
  const char* mrsigner;
  bool debug;
  const char* extension;
  const char* pck_chain;  // "pass" or "warn" at `at`
};

const RealKey kRealKeys[] = {
    {"sharedweu dRKh", "thomvanl-cvm-skr/sharedweu_certs_snapshot_2023.json",
     "dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo=", Utc(2022, 12, 24, 0, 0, 18), kSharedSigner, false,
     kOidOeSgxEvidence, "warn"},
    {"sharedweu wiFD", "thomvanl-cvm-skr/sharedweu_certs_snapshot_2023.json",
     "wiFDMG11GDLqd14z3T/DUYh/ZmGaVfY0s29siGgYOJs=", Utc(2023, 6, 1), kSharedSigner, false, kOidOeSgxEvidence, "pass"},
    {"sharedeus2 J0pA", "microsoft-ccf-sharedeus2-cert/sharedeus2_jwks_J0pA_constructed.json",
     "J0pAPdfXXHqWWimgrH853wMIdh5/fLe1z6uSXYPXCa0=", Utc(2024, 12, 20, 19, 24, 54), kSharedSigner, false,
     kOidOeSgxEvidence, "pass"},
    {"sharedwus 15N2", "azure-sdk-for-python-recordings/sharedwus_certs_2021-05_key15N2_only.json",
     "15N2MHoj9iAdkF/c5nRE3J2HB8JG6Vue3Uzvu3K/Ses=", Utc(2021, 5, 5, 20, 58, 36), kDebugSigner, true, kOidOeSgxEvidence,
     "pass"},
    {"gnkuks001 2020", "azure-samples-maa/gnkuks001_certs_2020-06.json",
     "KQFAHrk1xALKHBD4b4u7TCvCJ1Mw0MlYZe+rxdePOtg=", Utc(2020, 5, 28), kDebugSigner, true, kOidSgxQuote2020, "pass"},
    {"shareduks 2020", "azure-samples-maa/maa_prod_uks_signing_cert.pem",
     "KQFAHrk1xALKHBD4b4u7TCvCJ1Mw0MlYZe+rxdePOtg=", Utc(2020, 7, 18), kDebugSigner, true, kOidSgxQuote2020, "pass"},
};

Certificate LoadCertificate(const std::filesystem::path& dir, const RealKey& key) {
  const std::string text = keyattest::testing::ReadFileText(dir / key.file);
  if (std::string_view(key.file).ends_with(".pem")) return ParseSinglePemCertificate(AsBytes(text));
  const nlohmann::json jwks = nlohmann::json::parse(text);
  for (const auto& entry : jwks["keys"]) {
    if (entry["kid"] != key.kid) continue;
    std::string error;
    const auto der = DecodeBase64Any(entry["x5c"][0].get<std::string>(), &error);
    if (!der) throw std::runtime_error("x5c: " + error);
    const unsigned char* p = der->data();
    return Certificate(X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der->size()))));
  }
  throw std::runtime_error(std::string("no kid ") + key.kid + " in " + key.file);
}

std::string StatusOf(const Report& report, const char* id) {
  const CheckResult* c = report.Find(id);
  return c == nullptr ? "absent" : CheckStatusName(c->status);
}

Report Verify(const Certificate& cert, std::string_view kid, const SgxEvidenceOptions& options) {
  Report report;
  VerifyMaaSigningKeyEvidence(cert, kid, options, report);
  return report;
}

SgxEvidenceOptions Options(std::time_t at, bool required) {
  SgxEvidenceOptions o;
  o.check_time = CheckTime{at, 0, false};
  o.require_evidence = required;
  return o;
}

/// A copy of `cert` whose evidence extension holds `value` instead. The
/// self-signature then no longer verifies; every quote check still runs.
Certificate WithEvidence(const Certificate& cert, const char* oid, ByteSpan value) {
  X509Ptr copy(CheckNotNull(X509_dup(cert.get()), "X509_dup"));
  std::unique_ptr<ASN1_OBJECT, OpenSslFree<ASN1_OBJECT_free>> object(CheckNotNull(OBJ_txt2obj(oid, 1), "OBJ_txt2obj"));
  const int index = X509_get_ext_by_OBJ(copy.get(), object.get(), -1);
  CheckOpenSsl(index >= 0, "X509_get_ext_by_OBJ");
  X509ExtensionPtr old(X509_delete_ext(copy.get(), index));
  std::unique_ptr<ASN1_OCTET_STRING, OpenSslFree<ASN1_OCTET_STRING_free>> data(ASN1_OCTET_STRING_new());
  CheckOpenSsl(ASN1_OCTET_STRING_set(data.get(), value.data(), static_cast<int>(value.size())) == 1, "set");
  X509ExtensionPtr ext(CheckNotNull(X509_EXTENSION_create_by_OBJ(nullptr, object.get(), 0, data.get()), "create"));
  CheckOpenSsl(X509_add_ext(copy.get(), ext.get(), -1) == 1, "X509_add_ext");
  // Re-signing (with a key that is not the certificate's) makes OpenSSL
  // encode the changed extension; the DER round trip then gives a
  // certificate exactly as a parser of those bytes sees it.
  EvpPkeyPtr other = keyattest::testing::LoadTestKey(keyattest::testing::TestKeyId::kOtherPartitionRsa2048);
  CheckOpenSsl(X509_sign(copy.get(), other.get(), EVP_sha256()) > 0, "X509_sign");
  const Bytes der = ToDer(i2d_X509, static_cast<const X509*>(copy.get()), "i2d_X509");
  const unsigned char* p = der.data();
  return Certificate(X509Ptr(CheckNotNull(d2i_X509(nullptr, &p, static_cast<long>(der.size())), "d2i_X509")));
}

bool AnyQuoteCheckFailed(const Report& report) {
  for (const char* id :
       {"signing_key.evidence", "signing_key.report_data", "signing_key.isv_signature", "signing_key.qe_report_data",
        "signing_key.qe_signature", "signing_key.pck_chain", "signing_key.debug", "signing_key.mrsigner"}) {
    if (StatusOf(report, id) == "fail") return true;
  }
  return false;
}

TEST(SgxEvidenceRealTest, EveryEnclaveCertificateVerifiesAndDebugKeysFailWhenRequired) {
  SKIP_WITHOUT_MAA_REAL(dir);
  for (const RealKey& key : kRealKeys) {
    SCOPED_TRACE(key.name);
    const Certificate cert = LoadCertificate(*dir, key);
    const Report report = Verify(cert, key.kid, Options(key.at, true));
    for (const char* id : {"signing_key.self_signed", "signing_key.kid", "signing_key.report_data",
                           "signing_key.isv_signature", "signing_key.qe_report_data", "signing_key.qe_signature"}) {
      EXPECT_EQ(StatusOf(report, id), "pass") << id << ": " << report.Find(id)->detail;
    }
    EXPECT_EQ(StatusOf(report, "signing_key.pck_chain"), key.pck_chain) << report.Find("signing_key.pck_chain")->detail;
    EXPECT_EQ(StatusOf(report, "signing_key.tcb"), "warn");
    const auto& facts = report.facts["signing_key_evidence"];
    EXPECT_EQ(facts["extension"], key.extension);
    EXPECT_EQ(facts["enclave"]["mrsigner"], key.mrsigner);
    EXPECT_EQ(facts["enclave"]["isv_prod_id"], 1);
    EXPECT_EQ(facts["enclave"]["isv_svn"], 1);
    EXPECT_EQ(facts["enclave"]["debug"], key.debug);
    EXPECT_EQ(facts["key_hash"], key.kid) << "the kid is base64(SHA-256(PEM SPKI || NUL))";
    EXPECT_EQ(facts["pck_chain"].size(), 3u);
    EXPECT_EQ(StatusOf(report, "signing_key.debug"), key.debug ? "fail" : "pass");
    EXPECT_EQ(StatusOf(report, "signing_key.evidence"), key.debug ? "fail" : "pass");
    EXPECT_EQ(report.exit_code(), key.debug ? ExitCode::kVerificationFailed : ExitCode::kVerified);

    const Report relaxed = Verify(cert, key.kid, Options(key.at, false));
    EXPECT_EQ(StatusOf(relaxed, "signing_key.debug"), key.debug ? "warn" : "pass");
    EXPECT_EQ(relaxed.exit_code(), ExitCode::kVerified);
  }
}

TEST(SgxEvidenceRealTest, EveryRealChainEndsInThePinnedIntelRoot) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const std::vector<TrustAnchor> anchors = BuiltinAnchors("intel-sgx-root");
  ASSERT_EQ(anchors.size(), 1u);
  EXPECT_EQ(HexEncode(anchors[0].spki_sha256()), "a0af031289f5d5d4132f9186068a7fc13628633ba235777472e29b6b6c67a49e");
  EXPECT_EQ(anchors[0].certificate().common_name(), "Intel SGX Root CA");
  for (const RealKey& key : kRealKeys) {
    const Report report = Verify(LoadCertificate(*dir, key), key.kid, Options(key.at, false));
    const auto& chain = report.facts["signing_key_evidence"]["pck_chain"];
    EXPECT_EQ(chain.back()["spki_sha256"], HexEncode(anchors[0].spki_sha256())) << key.name;
  }
}

TEST(SgxEvidenceRealTest, MrsignerPinsTheSharedInstanceSigner) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const RealKey& key = kRealKeys[2];
  const Certificate cert = LoadCertificate(*dir, key);
  SgxEvidenceOptions options = Options(key.at, false);
  options.required_mrsigners = {ParseMrsignerHex(kSharedSigner)};
  EXPECT_EQ(Verify(cert, key.kid, options).exit_code(), ExitCode::kVerified);
  options.required_mrsigners = {ParseMrsignerHex(kDebugSigner)};
  const Report wrong = Verify(cert, key.kid, options);
  EXPECT_EQ(StatusOf(wrong, "signing_key.mrsigner"), "fail");
  EXPECT_EQ(wrong.exit_code(), ExitCode::kVerificationFailed);
}

TEST(SgxEvidenceRealTest, RealQuoteTransplantedIntoACertificateForAnotherKeyFails) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const RealKey& key = kRealKeys[2];
  const FoundEvidence found = FindEvidence(LoadCertificate(*dir, key));
  ASSERT_EQ(found.kind, EvidenceKind::kOeSgxQuote);
  EvpPkeyPtr forger = keyattest::testing::LoadTestKey(keyattest::testing::TestKeyId::kSubjectRsa2048);
  X509Ptr x(CheckNotNull(X509_new(), "X509_new"));
  const Certificate original = LoadCertificate(*dir, key);
  ASSERT_EQ(X509_set_version(x.get(), 2), 1);
  ASSERT_EQ(X509_set_subject_name(x.get(), X509_get_subject_name(original.get())), 1);
  ASSERT_EQ(X509_set_issuer_name(x.get(), X509_get_subject_name(original.get())), 1);
  ASSERT_EQ(X509_set1_notBefore(x.get(), X509_get0_notBefore(original.get())), 1);
  ASSERT_EQ(X509_set1_notAfter(x.get(), X509_get0_notAfter(original.get())), 1);
  ASSERT_EQ(X509_set_pubkey(x.get(), forger.get()), 1);
  const std::unique_ptr<ASN1_OBJECT, OpenSslFree<ASN1_OBJECT_free>> oid(OBJ_txt2obj(kOidOeSgxEvidence, 1));
  ASSERT_NE(oid, nullptr);
  const int index = X509_get_ext_by_OBJ(original.get(), oid.get(), -1);
  ASSERT_GE(index, 0);
  ASSERT_EQ(X509_add_ext(x.get(), X509_get_ext(original.get(), index), -1), 1);
  ASSERT_GT(X509_sign(x.get(), forger.get(), EVP_sha256()), 0);
  const Certificate forged(std::move(x));
  const Report report = Verify(forged, EncodeBase64Std(EnclaveKeyHash(forged)), Options(key.at, true));
  EXPECT_EQ(StatusOf(report, "signing_key.self_signed"), "pass");
  EXPECT_EQ(StatusOf(report, "signing_key.isv_signature"), "pass") << "the quote itself is genuine";
  EXPECT_EQ(StatusOf(report, "signing_key.report_data"), "fail");
  EXPECT_EQ(StatusOf(report, "signing_key.evidence"), "fail");
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
}

TEST(SgxEvidenceRealTest, EachRealSignatureFlippedFails) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const RealKey& key = kRealKeys[2];
  const Certificate cert = LoadCertificate(*dir, key);
  const Bytes value = FindEvidence(cert).value;
  struct Case {
    std::size_t offset;
    const char* check;
  };
  for (const Case& c :
       {Case{16 + 436 + 5, "signing_key.isv_signature"}, Case{16 + 436 + 512 + 5, "signing_key.qe_signature"},
        Case{16 + 436 + 128 + 64, "signing_key.qe_signature"},
        Case{16 + 436 + 578 + 1, "signing_key.qe_report_data"}}) {
    Bytes bad = value;
    bad[c.offset] ^= 0x80;
    const Report report = Verify(WithEvidence(cert, kOidOeSgxEvidence, bad), key.kid, Options(key.at, true));
    EXPECT_EQ(StatusOf(report, c.check), "fail") << c.offset;
    EXPECT_EQ(StatusOf(report, "signing_key.evidence"), "fail");
  }
  // The unchanged value re-embedded: only the certificate's own signature breaks.
  const Report same = Verify(WithEvidence(cert, kOidOeSgxEvidence, value), key.kid, Options(key.at, true));
  EXPECT_EQ(StatusOf(same, "signing_key.self_signed"), "fail");
  EXPECT_EQ(StatusOf(same, "signing_key.isv_signature"), "pass");
  EXPECT_EQ(StatusOf(same, "signing_key.pck_chain"), "pass");
}

TEST(SgxEvidenceRealTest, RealQuoteTruncatedOrPaddedIsMalformed) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const RealKey& key = kRealKeys[4];  // the 2020 wrapped form
  const Certificate cert = LoadCertificate(*dir, key);
  const Bytes value = FindEvidence(cert).value;
  Bytes padded = value;
  padded.push_back(0);
  for (const Bytes& bad : {Bytes(value.begin(), value.end() - 1), padded, Bytes(value.begin(), value.begin() + 400)}) {
    const Report report = Verify(WithEvidence(cert, kOidSgxQuote2020, bad), key.kid, Options(key.at, false));
    EXPECT_EQ(StatusOf(report, "signing_key.evidence"), "fail");
    EXPECT_NE(report.Find("signing_key.evidence")->detail.find("malformed evidence"), std::string::npos);
  }
}

TEST(SgxEvidenceRealTest, RealPckChainFailsOnceItsProcessorCaHasExpired) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const RealKey& key = kRealKeys[3];  // PCK Processor CA valid to 2033-05-21
  const Report report = Verify(LoadCertificate(*dir, key), key.kid, Options(Utc(2033, 6, 1), false));
  EXPECT_EQ(StatusOf(report, "signing_key.pck_chain"), "fail");
}

// Every byte of a real quote changed (one bit each): verification fails on a
// quote check, or the change was PEM formatting that leaves every
// certificate of the chain as it was.
TEST(SgxEvidenceRealTest, BitFlipSweepOverARealQuote) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const RealKey& key = kRealKeys[2];
  const Certificate cert = LoadCertificate(*dir, key);
  const Bytes value = FindEvidence(cert).value;
  const SgxEvidenceOptions options = Options(key.at, true);
  // OE header, quote header and body, length, fixed signature data, the
  // 32-byte QE auth data, then the certification data's type and size.
  const std::size_t cert_start = 16 + 436 + 578 + 32 + 6;
  const std::vector<Certificate> chain = ParsePckChain(ByteSpan(value).subspan(cert_start));
  for (std::size_t i = 0; i < value.size(); ++i) {
    Bytes bad = value;
    bad[i] ^= static_cast<std::uint8_t>(1U << (i % 8));
    const Report report = Verify(WithEvidence(cert, kOidOeSgxEvidence, bad), key.kid, options);
    if (AnyQuoteCheckFailed(report)) continue;
    ASSERT_GE(i, cert_start) << "flip at " << i << " passed every quote check";
    const std::vector<Certificate> parsed = ParsePckChain(ByteSpan(bad).subspan(cert_start));
    ASSERT_EQ(parsed.size(), chain.size());
    for (std::size_t k = 0; k < parsed.size(); ++k) EXPECT_EQ(parsed[k].der(), chain[k].der()) << i;
  }
}

}  // namespace
}  // namespace keyattest::sgx_evidence
