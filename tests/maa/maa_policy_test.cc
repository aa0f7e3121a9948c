// maa-policy with synthetic policy JWS and result tokens (docs/maa.md
// "maa-policy"): every rule next to its passing twin.
#include <gtest/gtest.h>

#include "keyattest/maa/maa_policy.h"
#include "tests/support/jws_builder.h"
#include "tests/support/test_keys.h"

namespace keyattest::maa {
namespace {

using testing::B64Url;

constexpr const char* kPolicyText = "version=1.0; authorizationrules{=> permit();}; issuancerules{};";

class MaaPolicyTest : public ::testing::Test {
 protected:
  EvpPkeyPtr signer_ = testing::FreshRsaKey(2048);
  Bytes signer_cert_ = testing::SelfSignedCertDer(signer_.get(), "AttestationCertificate0");
  EvpPkeyPtr maa_key_ = testing::LoadTestKey(testing::TestKeyId::kPartitionRsa2048);

  static std::string StdB64(const Bytes& der) {
    std::string b64 = B64Url(der);
    for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (b64.size() % 4 != 0) b64 += '=';
    return b64;
  }

  std::string Header(const std::string& alg) const {
    return R"({"alg": ")" + alg + R"(", "jwk": {"x5c": [")" + StdB64(signer_cert_) + R"("]}})";
  }
  static std::string Payload(const std::string& text = kPolicyText) {
    return R"({"AttestationPolicy": ")" + B64Url(text) + R"("})";
  }
  std::string Jws(const std::string& alg = "RS256", const std::string& payload = Payload()) const {
    const std::string input = B64Url(Header(alg)) + "." + B64Url(payload);
    return input + "." + B64Url(testing::RsaSign(signer_.get(), input));
  }

  /// A result token signed by the test MAA key naming `hash` and `signer`.
  MaaPolicyResultToken ResultToken(const std::string& hash, const Bytes& signer) const {
    testing::TokenBuilder b(maa_key_.get(), "maa-key");
    b.claims()["x-ms-policy-result"] = "Updated";
    b.claims()["x-ms-policy-token-hash"] = hash;
    b.claims()["x-ms-policy-signer"] = {{"kty", "RSA"}, {"x5c", {StdB64(signer)}}};
    MaaPolicyResultToken t;
    t.token_text = b.Build();
    t.jwks_text = testing::JwksText({testing::MakeJwk(maa_key_.get(), "maa-key")});
    t.options.issuer = testing::kTestIssuer;
    t.options.time = CheckTime{testing::TestIat() + 60, 0, false};
    return t;
  }

  static std::string StatusOf(const Report& report, const std::string& id) {
    const CheckResult* c = report.Find(id);
    return c == nullptr ? "absent" : CheckStatusName(c->status);
  }
};

TEST_F(MaaPolicyTest, Rs256PolicyVerifiesAndPrintsItsText) {
  const Report report = VerifyMaaPolicy(Jws(), {});
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(StatusOf(report, "policy_jws.signature"), "pass");
  EXPECT_EQ(StatusOf(report, "policy_jws.signer"), "skip");
  EXPECT_EQ(report.facts["policy"]["policy_text"], kPolicyText);
  EXPECT_EQ(report.facts["policy"]["policy_token_hash"], PolicyTokenHash(Jws()));
}

TEST_F(MaaPolicyTest, Rsa256IsAcceptedWithAWarning) {
  const Report report = VerifyMaaPolicy(Jws("RSA256"), {});
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(StatusOf(report, "policy_jws.signature"), "warn");
}

TEST_F(MaaPolicyTest, OtherAlgorithmsFail) {
  for (const char* alg : {"RS384", "PS256", "HS256", "rs256", "RSA-256"}) {
    const Report report = VerifyMaaPolicy(Jws(alg), {});
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << alg;
    EXPECT_EQ(report.Find("policy_jws.signature")->detail, "alg \"" + std::string(alg) + "\" is not RS256");
  }
}

TEST_F(MaaPolicyTest, TamperedPolicyTextFailsTheSignature) {
  const std::string good = Jws();
  const std::string forged_payload = B64Url(Payload("version=1.0; authorizationrules{=> deny();}; issuancerules{};"));
  const std::size_t first = good.find('.');
  const std::size_t second = good.find('.', first + 1);
  const std::string forged = good.substr(0, first + 1) + forged_payload + good.substr(second);
  const Report report = VerifyMaaPolicy(forged, {});
  EXPECT_EQ(StatusOf(report, "policy_jws.signature"), "fail");
}

TEST_F(MaaPolicyTest, UnsignedPolicyIsAWarningUnlessASignerIsPinned) {
  const std::string unsigned_jws = B64Url(R"({"alg":"none"})") + "." + B64Url(Payload()) + ".";
  EXPECT_EQ(StatusOf(VerifyMaaPolicy(unsigned_jws, {}), "policy_jws.signature"), "warn");
  MaaPolicyOptions pinned;
  pinned.signer_der = signer_cert_;
  const Report report = VerifyMaaPolicy(unsigned_jws, pinned);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(report.Find("policy_jws.signature")->detail,
            "the policy is unsigned (alg none) but --signer pins a signer");
  EXPECT_EQ(StatusOf(VerifyMaaPolicy(unsigned_jws + "AQID", {}), "policy_jws.signature"), "fail");
}

TEST_F(MaaPolicyTest, SignerPinIsExactDer) {
  MaaPolicyOptions options;
  options.signer_der = signer_cert_;
  EXPECT_EQ(StatusOf(VerifyMaaPolicy(Jws(), options), "policy_jws.signer"), "pass");
  // Same key, same name, another certificate (different validity): not the pin.
  options.signer_der = testing::SelfSignedCertDer(signer_.get(), "AttestationCertificate1");
  const Report report = VerifyMaaPolicy(Jws(), options);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "policy_jws.signer"), "fail");
}

TEST_F(MaaPolicyTest, ExpectHashComparesBase64UrlSha256OfTheText) {
  MaaPolicyOptions options;
  options.expect_hash = PolicyTokenHash(Jws());
  EXPECT_EQ(StatusOf(VerifyMaaPolicy(Jws() + "\n", options), "policy_jws.hash"), "pass");
  options.expect_hash = *options.expect_hash + "=";
  EXPECT_EQ(StatusOf(VerifyMaaPolicy(Jws(), options), "policy_jws.hash"), "fail");
}

TEST_F(MaaPolicyTest, MalformedPolicyJwsIsExitThree) {
  for (const std::string& bad :
       {Jws("RS256", R"({"AttestationPolicy": ")" + B64Url(std::string(kPolicyText)) + R"(=="})"),
        Jws("RS256", R"({"AttestationPolicy": ")" + B64Url(std::string(kPolicyText)) + R"(", "x": 1})"),
        Jws("RS256", R"({"Policy": "abc"})"), Jws("RS256", R"({"AttestationPolicy": 5})"), std::string("a.b")}) {
    const Report report = VerifyMaaPolicy(bad, {});
    EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable) << bad.substr(0, 60);
    EXPECT_EQ(StatusOf(report, "policy_jws.format"), "fail");
  }
}

TEST_F(MaaPolicyTest, ResultTokenMustNameThisHashAndSigner) {
  const std::string jws = Jws();
  MaaPolicyOptions options;
  options.result_token = ResultToken(PolicyTokenHash(jws), signer_cert_);
  Report report = VerifyMaaPolicy(jws, options);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(StatusOf(report, "result_token.signature"), "pass");
  EXPECT_EQ(StatusOf(report, "result_token.policy_token_hash"), "pass");
  EXPECT_EQ(StatusOf(report, "result_token.policy_signer"), "pass");

  options.result_token = ResultToken(PolicyTokenHash(jws + " "), signer_cert_);
  report = VerifyMaaPolicy(jws, options);
  EXPECT_EQ(StatusOf(report, "result_token.policy_token_hash"), "fail");

  options.result_token = ResultToken(PolicyTokenHash(jws), testing::SelfSignedCertDer(signer_.get(), "Other"));
  report = VerifyMaaPolicy(jws, options);
  EXPECT_EQ(StatusOf(report, "result_token.policy_signer"), "fail");
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
}

TEST_F(MaaPolicyTest, UnverifiedResultTokenIsNotTrustedForHashOrSigner) {
  const std::string jws = Jws();
  MaaPolicyOptions options;
  options.result_token = ResultToken(PolicyTokenHash(jws), signer_cert_);
  options.result_token->options.issuer = "https://other.example";
  const Report report = VerifyMaaPolicy(jws, options);
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "result_token.policy_token_hash"), "skip");
  EXPECT_EQ(StatusOf(report, "result_token.policy_signer"), "skip");
}

}  // namespace
}  // namespace keyattest::maa
