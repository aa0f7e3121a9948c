// The verified path: synthetic MAA tokens (verified with the maa verifier)
// for release-policy, and fully signed release responses (RS256 by x5c[0],
// checked through the JOSE layer) for release-response.
#include <gtest/gtest.h>

#include "keyattest/skr/release_policy_verifier.h"
#include "keyattest/skr/release_response.h"
#include "keyattest/skr/skr_checks.h"
#include "tests/skr/vault_pki.h"
#include "tests/support/jws_builder.h"
#include "tests/support/test_pki.h"

namespace keyattest::skr {
namespace {

using Json = nlohmann::ordered_json;
using testing::kTestIssuer;
using testing::TokenBuilder;

constexpr const char* kKid = "test-signing-key";

struct TokenFixture {
  EvpPkeyPtr key = testing::FreshRsaKey(2048);
  std::string jwks = testing::JwksText({testing::MakeJwk(key.get(), kKid)});
  TokenBuilder Builder() const {
    TokenBuilder b(key.get(), kKid);
    b.claims()["x-ms-runtime"] =
        Json::parse(R"({"keys":[{"kid":"TpmEphemeralEncryptionKey","key_ops":["encrypt"],"kty":"RSA"}]})");
    return b;
  }
  TokenInput Input(const std::string& token, std::time_t at = testing::TestIat() + 60) const {
    TokenInput input;
    input.token_text = token;
    input.jwks_text = jwks;
    input.issuer = kTestIssuer;
    input.source = "token.jwt";
    input.time.at = at;
    input.time.from_clock = false;
    return input;
  }
};

const TokenFixture& Fixture() {
  static const TokenFixture* fixture = new TokenFixture();
  return *fixture;
}

CheckStatus Status(const Report& r, const CheckDefinition& check) {
  const CheckResult* c = r.Find(check.id);
  return c == nullptr ? CheckStatus::kSkip : c->status;
}

ReleasePolicyRequest PolicyRequest(const std::string& token) {
  ReleasePolicyRequest request;
  request.policy_text =
      std::string(R"({"version":"1.0.0","anyOf":[{"authority":")") + kTestIssuer +
      R"(","allOf":[{"claim":"x-ms-attestation-type","equals":"sevsnpvm"},)"
      R"({"claim":"x-ms-sevsnpvm-vmpl","equals":"0"},{"claim":"x-ms-sevsnpvm-is-debuggable","equals":"false"}]}]})";
  request.policy_source = "policy.json";
  request.token = Fixture().Input(token);
  request.check_time = request.token->time;
  return request;
}

TEST(ReleasePolicyTokenTest, VerifiedTokenIsEvaluated) {
  const Report r = VerifyReleasePolicy(PolicyRequest(Fixture().Builder().Build()));
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(r.checks.front().id, "token.format") << "the token is verified first";
  EXPECT_EQ(Status(r, kPolicyEvaluation), CheckStatus::kPass);
  EXPECT_EQ(r.facts["token"]["verified"], true);
}

TEST(ReleasePolicyTokenTest, ClaimThatDoesNotHoldFails) {
  TokenBuilder b = Fixture().Builder();
  b.claims()["x-ms-sevsnpvm-vmpl"] = 2;
  const Report r = VerifyReleasePolicy(PolicyRequest(b.Build()));
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(r.Find("policy.evaluation")->detail,
            "no applicable statement holds: 1.2 x-ms-sevsnpvm-vmpl equals '0' (token: 2)");
}

TEST(ReleasePolicyTokenTest, UnverifiedTokenIsNeverEvaluated) {
  // A forged token whose claims would satisfy the policy: signed by another key.
  const EvpPkeyPtr other = testing::FreshRsaKey(3072);
  TokenBuilder forged(other.get(), kKid);
  forged.claims() = Fixture().Builder().claims();
  const Report r = VerifyReleasePolicy(PolicyRequest(forged.Build()));
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(r.Find("token.signature")->status, CheckStatus::kFail);
  EXPECT_EQ(Status(r, kPolicyAuthority), CheckStatus::kSkip);
  EXPECT_EQ(Status(r, kPolicyEvaluation), CheckStatus::kSkip);
  EXPECT_FALSE(r.facts.contains("evaluation"));
}

TEST(ReleasePolicyTokenTest, ExpiredTokenIsNeverEvaluated) {
  ReleasePolicyRequest request = PolicyRequest(Fixture().Builder().Build());
  request.token->time.at = testing::TestIat() + 28800;
  const Report r = VerifyReleasePolicy(request);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(r.Find("token.time")->status, CheckStatus::kFail);
  EXPECT_EQ(Status(r, kPolicyEvaluation), CheckStatus::kSkip);
}

TEST(ReleasePolicyTokenTest, MalformedTokenExitsThree) {
  const Report r = VerifyReleasePolicy(PolicyRequest("not.a.token.at.all"));
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(Status(r, kPolicyEvaluation), CheckStatus::kSkip);
}

// --- release-response, fully signed ---------------------------------------

constexpr const char* kHost = "myvault.vault.test";

struct SignedResponse {
  testing::VaultPki pki = testing::MakeVaultPki();
  Json header = testing::ResponseHeader(pki);
  Json payload = testing::ResponsePayload(kHost, "mykey", "0123456789abcdef0123456789abcdef", kTestIssuer,
                                          "TpmEphemeralEncryptionKey");
  std::string Jws() const { return testing::SignCompactJws(header, payload, pki.leaf_key.get()); }
};

Report VerifyResponse(const SignedResponse& s, const std::string& text, const TokenInput* token = nullptr) {
  const std::string pem = s.pki.RootPem();
  ReleaseResponseRequest request;
  request.response_text = text;
  request.response_source = "release.json";
  request.options.vault = kHost;
  request.options.roots = {
      TrustAnchor(ParseSinglePemCertificate(ByteSpan(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size())))};
  request.options.check_time.at = testing::Utc(2022, 6, 1);
  request.options.check_time.from_clock = false;
  request.token = token;
  return VerifyReleaseResponse(request);
}

TEST(ReleaseResponseSignedTest, SignedResponseVerifiesInBothEnvelopes) {
  const SignedResponse s;
  const Report compact = VerifyResponse(s, s.Jws() + "\n");
  EXPECT_EQ(compact.exit_code(), ExitCode::kVerified) << compact.checks.front().detail;
  EXPECT_EQ(Status(compact, kResponseSignature), CheckStatus::kPass);
  const Report body = VerifyResponse(s, "{\"value\": \"" + s.Jws() + "\"}");
  EXPECT_EQ(body.exit_code(), ExitCode::kVerified);
}

TEST(ReleaseResponseSignedTest, FlippedSignatureFails) {
  const SignedResponse s;
  std::string jws = s.Jws();
  const std::size_t pos = jws.size() - 10;
  jws[pos] = jws[pos] == 'A' ? 'B' : 'A';
  const Report r = VerifyResponse(s, jws);
  EXPECT_EQ(Status(r, kResponseSignature), CheckStatus::kFail);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
}

TEST(ReleaseResponseSignedTest, TamperedPayloadFails) {
  const SignedResponse s;
  SignedResponse other;
  other.payload["response"]["key"]["key"]["key_hsm"] = "e30";
  const std::string good = s.Jws();
  const std::string bad = other.Jws();
  // The original signature over another payload.
  const std::string spliced = bad.substr(0, bad.rfind('.')) + good.substr(good.rfind('.'));
  EXPECT_EQ(Status(VerifyResponse(s, spliced), kResponseSignature), CheckStatus::kFail);
}

TEST(ReleaseResponseSignedTest, SignedByAnotherKeyFails) {
  const SignedResponse s;
  const EvpPkeyPtr other = testing::FreshRsaKey(2048);
  const Report r = VerifyResponse(s, testing::SignCompactJws(s.header, s.payload, other.get()));
  EXPECT_EQ(Status(r, kResponseSignature), CheckStatus::kFail);
}

TEST(ReleaseResponseSignedTest, AlgOtherThanRs256IsNeverVerified) {
  SignedResponse s;
  s.header["alg"] = "RS512";
  const Report r = VerifyResponse(s, s.Jws());
  EXPECT_EQ(Status(r, kResponseAlg), CheckStatus::kFail);
  EXPECT_EQ(Status(r, kResponseSignature), CheckStatus::kSkip);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
}

TEST(ReleaseResponseSignedTest, EmptyX5cIsMalformed) {
  SignedResponse s;
  s.header["x5c"] = Json::array();
  const Report r = VerifyResponse(s, s.Jws());
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(*r.input_error, "response.format: header x5c must be a non-empty array");
}

TEST(ReleaseResponseSignedTest, MalformedJwsIsMalformed) {
  const SignedResponse s;
  for (const std::string& text : {std::string("a.b"), s.Jws() + "=", std::string("{\"value\":\"a.b.c\",\"v\":1}"),
                                  std::string("{\"value\": 1}"), s.Jws() + " "}) {
    const Report r = VerifyResponse(s, text);
    EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable) << text.substr(0, 30);
    EXPECT_EQ(r.checks.back().id, "response.format");
  }
}

TEST(ReleaseResponseSignedTest, TokenChecksPolicyAndKek) {
  const SignedResponse s;
  const TokenInput token = Fixture().Input(Fixture().Builder().Build());
  const Report r = VerifyResponse(s, s.Jws(), &token);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Status(r, kResponsePolicy), CheckStatus::kPass);
  EXPECT_EQ(Status(r, kResponseKek), CheckStatus::kPass);

  TokenBuilder other_kek = Fixture().Builder();
  other_kek.claims()["x-ms-runtime"]["keys"][0]["kid"] = "SomeOtherKey";
  const TokenInput other = Fixture().Input(other_kek.Build());
  EXPECT_EQ(Status(VerifyResponse(s, s.Jws(), &other), kResponseKek), CheckStatus::kFail);
}

TEST(ReleaseResponseSignedTest, UnverifiedTokenIsNotCompared) {
  const SignedResponse s;
  std::string jwt = Fixture().Builder().Build();
  jwt[jwt.size() - 5] = jwt[jwt.size() - 5] == 'A' ? 'B' : 'A';
  const TokenInput token = Fixture().Input(jwt);
  const Report r = VerifyResponse(s, s.Jws(), &token);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(Status(r, kResponsePolicy), CheckStatus::kSkip);
  EXPECT_EQ(r.Find("response.kek")->detail, "the token did not verify");
}

}  // namespace
}  // namespace keyattest::skr
