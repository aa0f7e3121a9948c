// End-to-end runs of `maa` / `maa-policy` with the signing key's SGX evidence
// (docs/sgx-evidence.md): exit codes and the lines a user sees. Real MAA
// data from ../shared (skipped when absent) and synthetic tokens whose keys
// carry a quote under a look-alike Intel root.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "keyattest/sgx_evidence/evidence_extension.h"
#include "keyattest/sgx_evidence/quote_crypto.h"
#include "tests/support/cli_run.h"
#include "tests/support/jws_builder.h"
#include "tests/support/real_testdata.h"
#include "tests/support/sgx_quote_builder.h"
#include "tests/support/test_keys.h"

namespace keyattest {
namespace {

constexpr const char* kSharedSigner = "74ba5fba208571cf99e1f7158e6536a05bbb6ce7807eef8f6a97f64a7af64b83";

using testing::CliRun;

CliRun Exec(const std::string& args) { return testing::RunBinary(KEYATTEST_BINARY, args); }

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "sgx_e2e_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

bool Has(const CliRun& r, const std::string& line) { return r.out.find(line) != std::string::npos; }

std::optional<std::string> MaaReal() {
  const auto real = testing::RealTestdataDir();
  if (!real) return std::nullopt;
  const auto dir = real->parent_path() / "maa-real";
  if (!std::filesystem::is_directory(dir)) return std::nullopt;
  return dir.string() + "/";
}

#define SKIP_WITHOUT_MAA_REAL(dir) \
  const auto dir = MaaReal();      \
  if (!dir) GTEST_SKIP() << "../shared/testdata/maa-real is absent"

std::string Weu22(const std::string& dir) {
  return "maa --token " + dir + "thomvanl-cvm-skr/cvm_guest_sharedweu_2022-12-23.jwt --jwks " + dir +
         "thomvanl-cvm-skr/sharedweu_certs_snapshot_2023.json --issuer https://sharedweu.weu.attest.azure.net "
         "--at 2022-12-24T00:00:18Z";
}

std::string Sgx21(const std::string& dir) {
  return "maa --token " + dir + "azure-sdk-for-python-recordings/sgx_sharedwus_2021-05-05.jwt --jwks " + dir +
         "azure-sdk-for-python-recordings/sharedwus_certs_2021-05_key15N2_only.json "
         "--issuer https://sharedwus.wus.attest.azure.net --at 2021-05-05T20:58:36Z";
}

TEST(SgxEvidenceE2eTest, RealSharedInstanceKeyVerifiesWithEvidenceAndSignerPinned) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const CliRun r = Exec(Weu22(*dir) + " --require-evidence --require-mrsigner " + kSharedSigner);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r, "PASS  signing_key.evidence        Open Enclave report header v1")) << r.out;
  EXPECT_TRUE(Has(r, "PASS  signing_key.report_data"));
  EXPECT_TRUE(Has(r, "WARN  signing_key.pck_chain       not yet valid at 2022-12-24T00:00:18Z"));
  EXPECT_TRUE(Has(r, "PASS  signing_key.mrsigner        MRSIGNER " + std::string(kSharedSigner)));
  EXPECT_TRUE(Has(r, "WARN  signing_key.tcb             NOT evaluated"));
  EXPECT_TRUE(Has(r,
                  "the signing key is held by an SGX enclave whose quote verifies to the Intel SGX Root CA and "
                  "whose MRSIGNER is pinned (exit 0)"));
}

TEST(SgxEvidenceE2eTest, RealSignerPinMismatchExitsOne) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const CliRun r = Exec(Weu22(*dir) + " --require-mrsigner " + std::string(64, '0'));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(Has(r, "FAIL  signing_key.mrsigner")) << r.out;
  EXPECT_TRUE(Has(r, "FAIL  signing_key.evidence")) << r.out;
}

TEST(SgxEvidenceE2eTest, RealDebugEnclaveKeyFailsOnlyWhenEvidenceIsRequired) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const CliRun relaxed = Exec(Sgx21(*dir));
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "WARN  signing_key.debug           the MAA enclave is a debug enclave")) << relaxed.out;
  const CliRun required = Exec(Sgx21(*dir) + " --require-evidence");
  EXPECT_EQ(required.exit_code, 1) << required.out;
  EXPECT_TRUE(Has(required, "FAIL  signing_key.debug")) << required.out;
  EXPECT_TRUE(Has(required,
                  "FAIL  signing_key.evidence        Open Enclave report header v1 (SGX remote) + SGX "
                  "ECDSA quote v3, 4600 bytes in extension 1.3.6.1.4.1.311.105.1; required, and not "
                  "satisfied: signing_key.debug failed"))
      << required.out;
}

TEST(SgxEvidenceE2eTest, RealKeyFromAnNeOnlyJwksHasNoEvidence) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const std::string args = "maa --token " + *dir + "jesserc-sevsnp-tee/cvm_guest_sharedeus2_2024-12-20.jwt --jwks " +
                           *dir + "secretnetwork-known-maa-keys/maa_known_keys_jwks.json " +
                           "--issuer https://sharedeus2.eus2.attest.azure.net --at 2024-12-20T19:24:54Z";
  const CliRun relaxed = Exec(args);
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "WARN  signing_key.evidence")) << relaxed.out;
  const CliRun required = Exec(args + " --require-evidence");
  EXPECT_EQ(required.exit_code, 1) << required.out;
  EXPECT_TRUE(Has(required, "has no certificate (x5c), so no enclave evidence")) << required.out;
}

TEST(SgxEvidenceE2eTest, JsonCarriesTheEnclaveFacts) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const CliRun r = Exec(Weu22(*dir) + " --require-evidence --output json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto json = nlohmann::json::parse(r.out);
  const auto& facts = json["files"][0]["facts"];
  EXPECT_EQ(facts["signing_key_evidence"]["enclave"]["mrsigner"], kSharedSigner);
  EXPECT_EQ(facts["signing_key_evidence"]["enclave"]["isv_prod_id"], 1);
  EXPECT_EQ(facts["signing_key_evidence"]["pck_chain"][2]["spki_sha256"],
            "a0af031289f5d5d4132f9186068a7fc13628633ba235777472e29b6b6c67a49e");
}

TEST(SgxEvidenceE2eTest, PolicyResultTokenKeyEvidenceIsCheckedUnderItsPrefix) {
  SKIP_WITHOUT_MAA_REAL(dir);
  const std::string policy = *dir + "../maa-policy-mgmt/";
  if (!std::filesystem::is_directory(policy)) GTEST_SKIP() << "../shared/testdata/maa-policy-mgmt is absent";
  const std::string args = "maa-policy --policy-jws " + policy + "set_policy_request_body_2021-05-07.jws " +
                           "--result-token " + policy + "set_policy_result_token_2021-05-07.jwt --jwks " + *dir +
                           "azure-sdk-for-python-recordings/sharedwus_certs_2021-05_key15N2_only.json " +
                           "--issuer https://pylarryopythonaad.wus.attest.azure.net --at 2021-05-07T21:30:00Z";
  const CliRun relaxed = Exec(args);
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "PASS  result_token.signing_key.isv_signature")) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "WARN  result_token.signing_key.debug")) << relaxed.out;
  const CliRun required = Exec(args + " --require-evidence");
  EXPECT_EQ(required.exit_code, 1) << required.out;
  EXPECT_TRUE(Has(required, "FAIL  result_token.signing_key.debug")) << required.out;
  EXPECT_TRUE(Has(required, "FAIL  result_token.signing_key.evidence")) << required.out;
}

TEST(SgxEvidenceE2eTest, MalformedSignerPinIsAUsageError) {
  const CliRun r = Exec("maa --token x --jwks y --issuer https://a --require-mrsigner 74ba");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r, "--require-mrsigner: expected 64 hex digits (a 32-byte MRSIGNER), got '74ba'")) << r.out;
  const CliRun policy = Exec("maa-policy --policy-jws x --require-evidence");
  EXPECT_EQ(policy.exit_code, 2) << policy.out;
}

// A synthetic token whose JWKS key is an "enclave key": its certificate
// carries a quote that binds it, but under a generated look-alike of the
// Intel root. The binary trusts only the pinned Intel key, so it must fail.
class SyntheticEvidenceE2eTest : public ::testing::Test {
 protected:
  std::string Run(const Bytes& cert_der, const std::string& extra, CliRun* out) {
    EvpPkeyPtr key = testing::LoadTestKey(testing::TestKeyId::kSubjectRsa2048);
    const std::string kid = "synthetic-kid";
    nlohmann::ordered_json jwk = {{"kty", "RSA"}, {"kid", kid}, {"x5c", {sgx_evidence::EncodeBase64Std(cert_der)}}};
    const std::string jwks = WriteTemp("jwks.json", testing::JwksText({jwk}));
    const std::string token = WriteTemp("token.jwt", testing::TokenBuilder(key.get(), kid).Build());
    *out = Exec("maa --token " + token + " --jwks " + jwks + " --issuer " + testing::kTestIssuer +
                " --at 2030-01-01T01:00:00Z " + extra);
    return out->out;
  }
};

Bytes Der(X509* cert) { return ToDer(i2d_X509, static_cast<const X509*>(cert), "i2d_X509"); }

TEST_F(SyntheticEvidenceE2eTest, QuoteUnderALookAlikeIntelRootFails) {
  EvpPkeyPtr key = testing::LoadTestKey(testing::TestKeyId::kSubjectRsa2048);
  const testing::SgxTestPki look_alike = testing::MakeSgxTestPki();
  testing::SgxQuoteSpec spec;
  spec.report_data = testing::EnclaveReportData(key.get());
  X509Ptr cert = testing::MakeSigningCertificate(key.get(), sgx_evidence::kOidOeSgxEvidence,
                                                 testing::WrapInOeHeader(testing::BuildSgxQuote(spec, look_alike)));
  CliRun relaxed;
  Run(Der(cert.get()), "", &relaxed);
  EXPECT_EQ(relaxed.exit_code, 1) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "PASS  token.signature")) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "PASS  signing_key.report_data")) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "FAIL  signing_key.pck_chain       the quote's last certificate")) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "not the pinned Intel SGX Root CA key")) << relaxed.out;
}

TEST_F(SyntheticEvidenceE2eTest, KeyWithoutEvidenceWarnsAndFailsWhenRequired) {
  EvpPkeyPtr key = testing::LoadTestKey(testing::TestKeyId::kSubjectRsa2048);
  X509Ptr cert = testing::MakeSigningCertificate(key.get(), "", {});
  CliRun relaxed;
  Run(Der(cert.get()), "", &relaxed);
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.out;
  EXPECT_TRUE(Has(relaxed, "WARN  signing_key.evidence        the certificate has no enclave evidence extension"))
      << relaxed.out;
  CliRun required;
  Run(Der(cert.get()), "--require-evidence", &required);
  EXPECT_EQ(required.exit_code, 1) << required.out;
  EXPECT_TRUE(Has(required, "FAIL  signing_key.evidence")) << required.out;
}

TEST_F(SyntheticEvidenceE2eTest, SevSnpEvidenceIsReportedAsNotSupported) {
  EvpPkeyPtr key = testing::LoadTestKey(testing::TestKeyId::kSubjectRsa2048);
  X509Ptr cert = testing::MakeSigningCertificate(key.get(), sgx_evidence::kOidSnpEvidence1, Bytes(64, 1));
  CliRun required;
  Run(Der(cert.get()), "--require-evidence", &required);
  EXPECT_EQ(required.exit_code, 1) << required.out;
  EXPECT_TRUE(Has(required,
                  "SEV-SNP evidence (extension 1.3.6.1.4.1.311.105.1000.1) is recognised but not "
                  "supported: it was not verified"))
      << required.out;
}

}  // namespace
}  // namespace keyattest
