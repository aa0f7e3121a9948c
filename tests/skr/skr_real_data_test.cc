// The real corpus (skipped when ../shared is absent): the README's policy
// vector table evaluated over the real tokens' claims, the sidecar's
// importkeyconfig and security policy, and the AKV and Managed HSM release
// responses at their own dates. The tokens are decoded here without
// verification: these tests are about evaluation, not token trust (the
// e2e and acceptance tests run the verified path).
#include <gtest/gtest.h>

#include <filesystem>

#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/skr/policy_evaluation.h"
#include "keyattest/skr/policy_lint.h"
#include "keyattest/skr/release_policy_verifier.h"
#include "keyattest/skr/release_response.h"
#include "keyattest/skr/skr_checks.h"
#include "keyattest/skr/vault_chain.h"
#include "tests/support/real_testdata.h"
#include "tests/support/test_pki.h"

namespace keyattest::skr {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::optional<fs::path> MaaReal() {
  const auto real = testing::RealTestdataDir();
  if (!real) return std::nullopt;
  const fs::path dir = real->parent_path() / "maa-real";
  if (!fs::is_directory(dir)) return std::nullopt;
  return dir;
}

#define REQUIRE_CORPUS()                                                       \
  const auto corpus = MaaReal();                                               \
  if (!corpus) GTEST_SKIP() << "../shared/testdata/maa-real is absent (skip)"; \
  const fs::path& dir = *corpus

Json DecodeSegment(const std::string& segment) {
  std::string error;
  const auto bytes = DecodeBase64Any(segment, &error);
  if (!bytes) throw std::runtime_error("segment: " + error);
  return Json(ParseStrictJson(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), 32));
}

/// Header and payload of a compact JWS, decoded without any verification.
std::pair<Json, Json> Decode(std::string jws) {
  while (!jws.empty() && (jws.back() == '\n' || jws.back() == '\r')) jws.pop_back();
  const auto a = jws.find('.');
  const auto b = jws.find('.', a + 1);
  return {DecodeSegment(jws.substr(0, a)), DecodeSegment(jws.substr(a + 1, b - a - 1))};
}

Json Claims(const fs::path& token) { return Decode(testing::ReadFileText(token)).second; }

const char* const kTokens[] = {
    "thomvanl-cvm-skr/cvm_guest_sharedweu_2022-12-23.jwt",
    "azure-cvm-guest-attestation/cvm_guest_sharedweu_2023-03-30.jwt",
    "jesserc-sevsnp-tee/cvm_guest_sharedeus2_2024-12-20.jwt",
    "jesserc-sevsnp-tee/cvm_guest_sharedeus2_2025-01-12.jwt",
    "unattributed-rust-rollup-test/cvm_guest_sharedeus2_2026-01-03.jwt",
    "azure-sdk-for-python-recordings/sgx_sharedwus_2021-05-05.jwt",
};

struct Vector {
  const char* policy;
  // Per token of kTokens: 'P' released, 'A' authority fails, 'E' evaluation fails.
  const char* expected;
};

const Vector kVectors[] = {
    {"thomvanl-cvm-skr/cvm-release-policy.json", "PPAAAA"},
    {"skr-policy-vectors/p02_cvm_sharedeus2_nested_strict.json", "AAPPPA"},
    {"skr-policy-vectors/p03_cvm_toplevel_type_sevsnpvm.json", "AAEEEA"},
    {"skr-policy-vectors/p04_aci_style_hostdata.json", "AAEEEA"},
    {"skr-policy-vectors/p05_multi_authority.json", "PPPPPA"},
    {"skr-policy-vectors/p06_nested_anyof_vmid.json", "AAPEPA"},
    {"skr-policy-vectors/p07_sgx_sharedwus.json", "AAAAAP"},
    {"skr-policy-vectors/p08_wrong_launchmeasurement.json", "EEAAAA"},
    {"skr-policy-vectors/p09_authority_trailing_slash.json", "AAAAAA"},
};

TEST(SkrRealDataTest, PolicyVectorsMatchTheCorpusTable) {
  REQUIRE_CORPUS();
  for (const auto& v : kVectors) {
    const ReleasePolicy policy = ParseReleasePolicy(LoadPolicyInput(testing::ReadFileText(dir / v.policy)).policy);
    for (std::size_t i = 0; i < std::size(kTokens); ++i) {
      const PolicyEvaluation r = EvaluatePolicy(policy, Claims(dir / kTokens[i]));
      const char got = r.released ? 'P' : r.authority_matched ? 'E' : 'A';
      EXPECT_EQ(got, v.expected[i]) << v.policy << " with " << kTokens[i];
    }
  }
}

TEST(SkrRealDataTest, P03ExplainsTheTopLevelTypeAndMissingCompliance) {
  REQUIRE_CORPUS();
  const ReleasePolicy policy = ParseReleasePolicy(
      LoadPolicyInput(testing::ReadFileText(dir / "skr-policy-vectors/p03_cvm_toplevel_type_sevsnpvm.json")).policy);
  const PolicyEvaluation r = EvaluatePolicy(policy, Claims(dir / kTokens[2]));
  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0], "1.1 x-ms-attestation-type equals 'sevsnpvm' (token: 'azurevm')");
  EXPECT_EQ(r.failures[1], "1.2 x-ms-compliance-status equals 'azure-compliant-cvm' (token: missing): claim missing");
}

TEST(SkrRealDataTest, P08NamesTheLaunchMeasurement) {
  REQUIRE_CORPUS();
  const ReleasePolicy policy = ParseReleasePolicy(
      LoadPolicyInput(testing::ReadFileText(dir / "skr-policy-vectors/p08_wrong_launchmeasurement.json")).policy);
  const PolicyEvaluation r = EvaluatePolicy(policy, Claims(dir / kTokens[0]));
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].rfind("1.2 x-ms-isolation-tee.x-ms-sevsnpvm-launchmeasurement equals '000", 0), 0u);
}

TEST(SkrRealDataTest, P04LintsFlatClaimsForACvmToken) {
  REQUIRE_CORPUS();
  const ReleasePolicy policy = ParseReleasePolicy(
      LoadPolicyInput(testing::ReadFileText(dir / "skr-policy-vectors/p04_aci_style_hostdata.json")).policy);
  const Json claims = Claims(dir / kTokens[2]);
  Report with_token;
  LintPolicy(policy, &claims, with_token);
  EXPECT_EQ(with_token.Find("lint.snp_claim_paths")->status, CheckStatus::kWarn);
  Report without;
  LintPolicy(policy, nullptr, without);
  EXPECT_EQ(without.Find("lint.snp_claim_paths")->status, CheckStatus::kPass);
}

TEST(SkrRealDataTest, MhsmStoredPolicyStringTrueMatchesTheMockTokensBoolean) {
  REQUIRE_CORPUS();
  const ReleasePolicy policy = ParseReleasePolicy(
      LoadPolicyInput(testing::ReadFileText(dir / "azure-sdk-for-js-mhsm-release/release_policy_as_stored.json"))
          .policy);
  const PolicyEvaluation r =
      EvaluatePolicy(policy, Claims(dir / "azure-sdk-for-js-mhsm-release/mock_attestation_token_2021-12-21.jwt"));
  EXPECT_TRUE(r.released) << r.lines[0];
  // The policy as sent (version 1.0, sanitised authority) parses but names another authority.
  const ReleasePolicy sent = ParseReleasePolicy(
      LoadPolicyInput(
          testing::ReadFileText(dir / "azure-sdk-for-js-mhsm-release/release_policy_as_sent_sanitized.json"))
          .policy);
  EXPECT_EQ(sent.version, "1.0");
}

TEST(SkrRealDataTest, SidecarSecurityPolicyDigestIsTheHostData) {
  REQUIRE_CORPUS();
  const ReleasePolicy policy = ParseReleasePolicy(
      LoadPolicyInput(testing::ReadFileText(dir / "skr-policy-vectors/p04_aci_style_hostdata.json")).policy);
  Report ok;
  CheckHostData(
      policy,
      DecodeCcePolicy(testing::ReadFileText(dir / "confidential-sidecar-containers/uvm_security_policy.base64")),
      "uvm_security_policy.base64", ok);
  EXPECT_EQ(ok.Find("policy.hostdata")->status, CheckStatus::kPass);
  Report other;
  CheckHostData(policy,
                DecodeCcePolicy(testing::ReadFileText(dir / "confidential-sidecar-containers/security-policy-base64")),
                "security-policy-base64", other);
  EXPECT_EQ(other.Find("policy.hostdata")->status, CheckStatus::kFail);
}

TEST(SkrRealDataTest, ImportKeyConfigTemplateConvertsAndLintsItsPlaceholders) {
  REQUIRE_CORPUS();
  ReleasePolicyRequest request;
  request.policy_text = testing::ReadFileText(dir / "confidential-sidecar-containers/importkeyconfig.json");
  request.policy_source = "importkeyconfig.json";
  Report r;
  VerifyReleasePolicyInto(request, nullptr, r);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(r.facts["policy"]["decoded"]["anyOf"][0]["authority"], "https://<maa-endpoint>");
  EXPECT_EQ(r.Find("lint.placeholders")->status, CheckStatus::kWarn);
  EXPECT_EQ(r.Find("lint.vmpl")->status, CheckStatus::kPass);
}

void SignatureAssumed(const Certificate&, Report& report) { report.Pass(kResponseSignature, "assumed by the test"); }

Report VerifyRealResponse(const fs::path& file, const std::string& vault, std::time_t at) {
  const auto [header, payload] = Decode(ExtractResponseJws(testing::ReadFileText(file)));
  ReleaseResponseOptions options;
  options.vault = vault;
  options.roots = BuiltinAnchors(kVaultRootPurpose);
  options.check_time.at = at;
  Report report;
  VerifyDecodedResponse(DecodedResponse{header, payload}, options, SignatureAssumed, nullptr, report);
  return report;
}

TEST(SkrRealDataTest, AkvResponseChainsToDigiCertAtItsDate) {
  REQUIRE_CORPUS();
  const fs::path file = dir / "thomvanl-cvm-skr/akv_release_key_response_2022-12.json";
  const Report r = VerifyRealResponse(file, "skr-kvq6srllol2jntw.vault.azure.net", testing::Utc(2022, 12, 24));
  for (const char* id : {"response.format", "response.alg", "response.x5t", "response.chain", "response.hostname",
                         "response.request_kid"}) {
    EXPECT_EQ(r.Find(id)->status, CheckStatus::kPass) << id << ": " << r.Find(id)->detail;
  }
  EXPECT_EQ(r.facts["released_key"]["key_hsm"]["kid"], "TpmEphemeralEncryptionKey");
  EXPECT_EQ(r.facts["released_key"]["kid"],
            "https://skr-kvq6srllol2jntw.vault.azure.net/keys/myskrkey/e473cd4c66224d16870bbe2eb4c58078");
  // The leaf expired 2023-09-18.
  const Report late = VerifyRealResponse(file, "skr-kvq6srllol2jntw.vault.azure.net", testing::Utc(2023, 9, 19));
  EXPECT_EQ(late.Find("response.chain")->status, CheckStatus::kFail);
  const Report wrong_vault = VerifyRealResponse(file, "other.vault.azure.net", testing::Utc(2022, 12, 24));
  EXPECT_EQ(wrong_vault.Find("response.hostname")->status, CheckStatus::kPass) << "*.vault.azure.net covers it";
  EXPECT_EQ(wrong_vault.Find("response.request_kid")->status, CheckStatus::kFail);
  const Report mhsm_host =
      VerifyRealResponse(file, "skr-kvq6srllol2jntw.managedhsm.azure.net", testing::Utc(2022, 12, 24));
  EXPECT_EQ(mhsm_host.Find("response.hostname")->status, CheckStatus::kFail);
}

TEST(SkrRealDataTest, ManagedHsmResponseChainsAtItsDate) {
  REQUIRE_CORPUS();
  const fs::path file = dir / "azure-sdk-for-js-mhsm-release/mhsm_release_key_response_2021-12-21.jws";
  const Report r = VerifyRealResponse(file, "malegeskrkvhsm.managedhsm.azure.net", testing::Utc(2021, 12, 21, 19));
  for (const auto& c : r.checks) {
    if (c.id == "response.policy" || c.id == "response.kek") continue;
    EXPECT_EQ(c.status, CheckStatus::kPass) << c.id << ": " << c.detail;
  }
  EXPECT_EQ(r.facts["release_policy"]["decoded"]["version"], "1.0.0");
  EXPECT_EQ(r.facts["released_key"]["key_hsm"]["kid"], "fake-release-key");
  const Report late = VerifyRealResponse(file, "malegeskrkvhsm.managedhsm.azure.net", testing::Utc(2022, 12, 17));
  EXPECT_EQ(late.Find("response.chain")->status, CheckStatus::kFail);
}

}  // namespace
}  // namespace keyattest::skr
