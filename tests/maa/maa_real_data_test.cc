// The real MAA tokens, JWKS and policy-management recordings of the shared
// corpus (docs/maa.md "Real data"); skipped when ../shared is absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include "keyattest/io/base64.h"
#include "keyattest/maa/maa_policy.h"
#include "keyattest/maa/maa_token.h"
#include "keyattest/report/json_renderer.h"
#include "tests/support/real_testdata.h"

namespace keyattest::maa {
namespace {

class MaaRealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::SharedTestdataDir("maa-real");
    if (!dir_) GTEST_SKIP() << "../shared/testdata/maa-real is absent; real MAA tokens not tested";
  }
  std::string Read(const std::string& name) const { return testing::ReadFileText(*dir_ / name); }

  Report Verify(const std::string& token, const std::string& jwks, const std::string& issuer,
                const std::string& at) const {
    MaaTokenOptions options;
    options.issuer = issuer;
    options.time = CheckTime::FromOptions(at);
    MaaReportOptions report_options;
    report_options.all_claims = true;
    return VerifyMaa(Read(token), Read(jwks), options, report_options);
  }

  static std::string FailedCheck(const Report& report) {
    for (const auto& c : report.checks) {
      if (c.status == CheckStatus::kFail) return std::string(c.id.view());
    }
    return "";
  }

  std::optional<std::filesystem::path> dir_;
};

constexpr const char* kWeuToken = "thomvanl-cvm-skr/cvm_guest_sharedweu_2022-12-23.jwt";
constexpr const char* kWeuJwks = "thomvanl-cvm-skr/sharedweu_certs_snapshot_2023.json";
constexpr const char* kKnownKeys = "secretnetwork-known-maa-keys/maa_known_keys_jwks.json";
constexpr const char* kWeu = "https://sharedweu.weu.attest.azure.net";
constexpr const char* kEus2 = "https://sharedeus2.eus2.attest.azure.net";

TEST_F(MaaRealDataTest, EveryVerifiableTokenVerifiesWithX5cAndWithNe) {
  struct Case {
    const char* token;
    const char* jwks;
    const char* issuer;
    const char* at;
  };
  for (const Case& c : {
           Case{kWeuToken, kWeuJwks, kWeu, "2022-12-24T00:00:18Z"},
           Case{kWeuToken, kKnownKeys, kWeu, "2022-12-24T00:00:18Z"},
           Case{"azure-cvm-guest-attestation/cvm_guest_sharedweu_2023-03-30.jwt", kWeuJwks, kWeu,
                "2023-03-30T11:49:34Z"},
           Case{"jesserc-sevsnp-tee/cvm_guest_sharedeus2_2024-12-20.jwt",
                "microsoft-ccf-sharedeus2-cert/sharedeus2_jwks_J0pA_constructed.json", kEus2, "2024-12-20T19:24:54Z"},
           Case{"jesserc-sevsnp-tee/cvm_guest_sharedeus2_2025-01-12.jwt", kKnownKeys, kEus2, "2025-01-12T16:56:40Z"},
           Case{"unattributed-rust-rollup-test/cvm_guest_sharedeus2_2026-01-03.jwt", kKnownKeys, kEus2,
                "2026-01-03T17:56:22Z"},
           Case{"azure-sdk-for-python-recordings/sgx_sharedwus_2021-05-05.jwt",
                "azure-sdk-for-python-recordings/sharedwus_certs_2021-05_key15N2_only.json",
                "https://sharedwus.wus.attest.azure.net", "2021-05-05T20:58:36Z"},
       }) {
    const Report report = Verify(c.token, c.jwks, c.issuer, c.at);
    EXPECT_EQ(report.exit_code(), ExitCode::kVerified) << c.token << " with " << c.jwks << ": " << FailedCheck(report);
  }
}

/// The real JWKS parsed once (maa::IssuerKeys, docs/maa.md "Verifying many
/// tokens") verifies the real token, its signing key's SGX evidence and the
/// negative vectors exactly as the JWKS text does, token after token.
TEST_F(MaaRealDataTest, KeysParsedOnceGiveTheTextReportWithEvidence) {
  MaaTokenOptions options;
  options.issuer = kWeu;
  options.time = CheckTime::FromOptions("2022-12-24T00:00:18Z");
  MaaReportOptions pinned;
  pinned.signing_key_evidence.emplace();
  pinned.signing_key_evidence->check_time = options.time;
  pinned.signing_key_evidence->require_evidence = true;
  pinned.signing_key_evidence->required_mrsigners.push_back(
      sgx_evidence::ParseMrsignerHex("74ba5fba208571cf99e1f7158e6536a05bbb6ce7807eef8f6a97f64a7af64b83"));
  MaaReportOptions other_signer = pinned;
  other_signer.signing_key_evidence->required_mrsigners = {Bytes(32, 0x11)};
  const std::string jwks = Read(kWeuJwks);
  const IssuerKeys keys(jwks);
  ASSERT_TRUE(keys.usable());
  ASSERT_NE(keys.jwks().keys.front().certificate, nullptr) << "x5c[0] is decoded once, with the set";
  const std::string token = Read(kWeuToken);
  const std::string tampered = Read("negative-vectors/tampered_payload_sharedweu.jwt");
  const std::string bitflip = Read("negative-vectors/bitflip_signature_sharedweu.jwt");
  for (int round = 0; round < 2; ++round) {
    const Report ok = VerifyMaa(token, keys, options, pinned);
    EXPECT_EQ(ok.exit_code(), ExitCode::kVerified) << FailedCheck(ok);
    EXPECT_EQ(ok.Find("signing_key.mrsigner")->status, CheckStatus::kPass);
    EXPECT_EQ(ReportToJson(ok).dump(), ReportToJson(VerifyMaa(token, jwks, options, pinned)).dump());
    const Report pinned_elsewhere = VerifyMaa(token, keys, options, other_signer);
    EXPECT_EQ(pinned_elsewhere.exit_code(), ExitCode::kVerificationFailed);
    EXPECT_EQ(pinned_elsewhere.Find("signing_key.mrsigner")->status, CheckStatus::kFail);
    EXPECT_EQ(ReportToJson(pinned_elsewhere).dump(),
              ReportToJson(VerifyMaa(token, jwks, options, other_signer)).dump());
    for (const std::string* forged : {&tampered, &bitflip}) {
      const Report bad = VerifyMaa(*forged, keys, options, pinned);
      EXPECT_EQ(bad.exit_code(), ExitCode::kVerificationFailed);
      EXPECT_EQ(FailedCheck(bad), "token.signature");
      EXPECT_EQ(ReportToJson(bad).dump(), ReportToJson(VerifyMaa(*forged, jwks, options, pinned)).dump());
    }
  }
}

TEST_F(MaaRealDataTest, ClaimFamiliesOfRealTokens) {
  const Report cvm = Verify(kWeuToken, kWeuJwks, kWeu, "2022-12-24T00:00:18Z");
  EXPECT_EQ(cvm.facts["common"]["x-ms-attestation-type"], "azurevm");
  EXPECT_EQ(cvm.facts["cvm_guest"]["x-ms-azurevm-vmid"], "6506B531-1634-431E-99D2-42B7D3414AD0");
  EXPECT_EQ(cvm.facts["sev_snp_isolation_tee"]["x-ms-isolation-tee"]["x-ms-attestation-type"], "sevsnpvm");
  EXPECT_EQ(cvm.facts["times"]["issued_at"], "2022-12-23T23:00:18Z");
  EXPECT_EQ(cvm.facts["times"]["age_at_check_time"], "1h 0m 0s");
  EXPECT_EQ(cvm.facts["claims"]["x-ms-isolation-tee"]["x-ms-sevsnpvm-vmpl"], 0);

  const Report sgx = Verify("azure-sdk-for-python-recordings/sgx_sharedwus_2021-05-05.jwt",
                            "azure-sdk-for-python-recordings/sharedwus_certs_2021-05_key15N2_only.json",
                            "https://sharedwus.wus.attest.azure.net", "2021-05-05T20:58:36Z");
  EXPECT_EQ(sgx.facts["sgx"]["x-ms-sgx-mrsigner"], "2c1a44952ae8207135c6c29b75b8c029372ee94b677e15c20bd42340f10d41aa");
  EXPECT_EQ(sgx.facts["deprecated_aliases"]["sgx-mrsigner"],
            "2c1a44952ae8207135c6c29b75b8c029372ee94b677e15c20bd42340f10d41aa (deprecated alias of x-ms-sgx-mrsigner)");
  EXPECT_EQ(sgx.Find("signing_key.size")->status, CheckStatus::kWarn);
}

TEST_F(MaaRealDataTest, NegativeVectorsFailTheNamedCheck) {
  for (auto [file, check] :
       {std::pair{"tampered_payload_sharedweu.jwt", "token.signature"},
        std::pair{"bitflip_signature_sharedweu.jwt", "token.signature"},
        std::pair{"wrong_kid_sharedweu.jwt", "token.signature"}, std::pair{"alg_none_sharedweu.jwt", "token.alg"},
        std::pair{"foreign_jku_header_sharedweu.jwt", "token.jku"}}) {
    const Report report = Verify(std::string("negative-vectors/") + file, kWeuJwks, kWeu, "2022-12-24T00:00:18Z");
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << file;
    EXPECT_EQ(report.Find(check)->status, CheckStatus::kFail) << file;
  }
}

TEST_F(MaaRealDataTest, UnknownKidsAreNotVerifiable) {
  const Report report = Verify("azure-samples-maa/sevsnp_sharedweu-test_2025-04-08.jwt", kWeuJwks,
                               "https://sharedweu.weu.test.attest.azure.net", "2025-04-08T05:15:00Z");
  EXPECT_EQ(FailedCheck(report), "token.kid");
}

TEST_F(MaaRealDataTest, RealTokenTimeWindowIsExact) {
  // iat = nbf = 2022-12-23T23:00:18Z, exp = 2022-12-24T07:00:18Z.
  EXPECT_EQ(Verify(kWeuToken, kWeuJwks, kWeu, "2022-12-23T23:00:18Z").exit_code(), ExitCode::kVerified);
  EXPECT_EQ(FailedCheck(Verify(kWeuToken, kWeuJwks, kWeu, "2022-12-23T23:00:17Z")), "token.time");
  EXPECT_EQ(Verify(kWeuToken, kWeuJwks, kWeu, "2022-12-24T07:00:17Z").exit_code(), ExitCode::kVerified);
  EXPECT_EQ(FailedCheck(Verify(kWeuToken, kWeuJwks, kWeu, "2022-12-24T07:00:18Z")), "token.time");
  EXPECT_EQ(FailedCheck(Verify(kWeuToken, kWeuJwks, kWeu + std::string("/"), "2022-12-24T00:00:18Z")), "token.issuer");
}

TEST_F(MaaRealDataTest, NoPrefixAndNoSingleCharacterChangeOfARealTokenVerifies) {
  const std::string token = Read(kWeuToken);
  const std::string jwks = Read(kWeuJwks);
  MaaTokenOptions options;
  options.issuer = kWeu;
  options.time = CheckTime::FromOptions("2022-12-24T00:00:18Z");
  std::size_t checked = 0;
  for (std::size_t len = 0; len + 1 < token.size(); ++len) {  // the full token minus its newline verifies
    Report report;
    EXPECT_FALSE(VerifyMaaToken(token.substr(0, len), jwks, options, report).verified) << "prefix " << len;
    ++checked;
  }
  for (std::size_t i = 0; i + 1 < token.size(); i += 7) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    if (changed[i] == token[i]) continue;
    Report report;
    EXPECT_FALSE(VerifyMaaToken(changed, jwks, options, report).verified) << "position " << i;
    ++checked;
  }
  EXPECT_GT(checked, 5000u);
}

// --- maa-policy ---------------------------------------------------------------------

class MaaPolicyRealDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::SharedTestdataDir("maa-policy-mgmt");
    real_ = testing::SharedTestdataDir("maa-real");
    if (!dir_ || !real_) GTEST_SKIP() << "../shared/testdata/maa-policy-mgmt is absent; real policy JWS not tested";
  }
  MaaPolicyResultToken ResultToken(const std::string& issuer) const {
    MaaPolicyResultToken token;
    token.token_text = testing::ReadFileText(*dir_ / "set_policy_result_token_2021-05-07.jwt");
    token.jwks_text =
        testing::ReadFileText(*real_ / "azure-sdk-for-python-recordings/sharedwus_certs_2021-05_key15N2_only.json");
    token.options.issuer = issuer;
    token.options.time = CheckTime::FromOptions("2021-05-07T21:30:00Z");
    return token;
  }
  std::string Jws() const { return testing::ReadFileText(*dir_ / "set_policy_request_body_2021-05-07.jws"); }

  std::optional<std::filesystem::path> dir_;
  std::optional<std::filesystem::path> real_;
};

constexpr const char* kPolicyIssuer = "https://pylarryopythonaad.wus.attest.azure.net";

TEST_F(MaaPolicyRealDataTest, SignedPolicyHashAndResultTokenAgree) {
  MaaPolicyOptions options;
  options.expect_hash = "h6bWT3Mqp8UQ2ciVtxhlk3WsMH8cnFgEjpEcfA6ySs4";
  options.result_token = ResultToken(kPolicyIssuer);
  const Report report = VerifyMaaPolicy(Jws(), options);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(report.Find("policy_jws.signature")->status, CheckStatus::kWarn) << "alg RSA256";
  EXPECT_EQ(report.Find("result_token.policy_token_hash")->status, CheckStatus::kPass);
  EXPECT_EQ(report.Find("result_token.policy_signer")->status, CheckStatus::kPass);
  EXPECT_EQ(report.facts["policy"]["policy_text"], "version=1.0; authorizationrules{=> permit();}; issuancerules{};");
}

TEST_F(MaaPolicyRealDataTest, AnyOtherJwsTextNoLongerMatches) {
  MaaPolicyOptions options;
  options.result_token = ResultToken(kPolicyIssuer);
  EXPECT_EQ(VerifyMaaPolicy(Jws(), options).exit_code(), ExitCode::kVerified);
  // The same JWS with "\r\n" instead of "\n" is the same text (one final
  // line ending is not part of it); a second newline is not.
  std::string crlf = Jws();
  crlf.insert(crlf.size() - 1, "\r");
  EXPECT_EQ(VerifyMaaPolicy(crlf, options).exit_code(), ExitCode::kVerified);
  EXPECT_EQ(VerifyMaaPolicy(Jws() + "\n", options).exit_code(), ExitCode::kUnreadable);
  options.expect_hash = "h6bWT3Mqp8UQ2ciVtxhlk3WsMH8cnFgEjpEcfA6ySs5";
  const Report report = VerifyMaaPolicy(Jws(), options);
  EXPECT_EQ(report.Find("policy_jws.hash")->status, CheckStatus::kFail);
  EXPECT_EQ(
      report.Find("policy_jws.hash")->detail,
      "hash is h6bWT3Mqp8UQ2ciVtxhlk3WsMH8cnFgEjpEcfA6ySs4, expected h6bWT3Mqp8UQ2ciVtxhlk3WsMH8cnFgEjpEcfA6ySs5");
}

TEST_F(MaaPolicyRealDataTest, ResultTokenForAnotherIssuerFails) {
  MaaPolicyOptions options;
  options.result_token = ResultToken("https://sharedwus.wus.attest.azure.net");
  const Report report = VerifyMaaPolicy(Jws(), options);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(report.Find("result_token.issuer")->status, CheckStatus::kFail);
  EXPECT_EQ(report.Find("result_token.policy_token_hash")->status, CheckStatus::kSkip);
}

TEST_F(MaaPolicyRealDataTest, UnsecuredDefaultPolicyIsReportedAsUnsigned) {
  const std::string payload = testing::ReadFileText(*dir_ / "get_policy_token_payload_shareduks-test_2020-12-09.b64");
  std::string why;
  const std::optional<Bytes> json = DecodeBase64Any(payload.substr(0, payload.find_last_not_of("\r\n") + 1), &why);
  ASSERT_TRUE(json) << why;
  const auto claims = nlohmann::json::parse(json->begin(), json->end());
  const std::string unsecured = claims["x-ms-policy"].get<std::string>();
  const Report report = VerifyMaaPolicy(unsecured, MaaPolicyOptions{});
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(report.Find("policy_jws.signature")->status, CheckStatus::kWarn);
  EXPECT_NE(report.facts["policy"]["policy_text"].get<std::string>().find("authorizationrules"), std::string::npos);
}

}  // namespace
}  // namespace keyattest::maa
