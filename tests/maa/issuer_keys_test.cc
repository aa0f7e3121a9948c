// IssuerKeys: the JWKS parsed once gives every token the report the text
// gives (docs/maa.md "Verifying many tokens"), for acceptances and for every
// rejection, and a set reused across tokens carries nothing from one
// verification to the next.
#include <openssl/x509.h>

#include <thread>
#include <vector>

#include "keyattest/core/errors.h"
#include "keyattest/report/json_renderer.h"
#include "tests/maa/maa_test_support.h"
#include "tests/support/test_keys.h"

namespace keyattest::maa {
namespace {

/// One token and JWKS, with how both overloads must judge them.
struct Case {
  std::string name;
  std::string token;
  std::string jwks;
  MaaTokenOptions options;
  ExitCode exit;
  std::string check;   // the check that decides (its status below)
  std::string status;  // "pass" for the acceptances
  std::string detail;  // exact, when not empty
};

class IssuerKeysTest : public MaaTokenTest {
 protected:
  IssuerKeysTest() : forger_(testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048)) {}

  static std::string Json(const Report& report) { return ReportToJson(report).dump(2); }

  /// The whole report (checks, details, facts, verdict) and the token result
  /// of both overloads, compared; returns the key-set report.
  static Report ExpectSameReport(const Case& c) {
    const Report from_text = VerifyMaa(c.token, c.jwks, c.options);
    const IssuerKeys keys(c.jwks);
    Report from_keys = VerifyMaa(c.token, keys, c.options);
    EXPECT_EQ(Json(from_keys), Json(from_text)) << c.name;

    Report text_report;
    Report keys_report;
    const MaaTokenResult text_result = VerifyMaaToken(c.token, c.jwks, c.options, text_report);
    const MaaTokenResult keys_result = VerifyMaaToken(c.token, keys, c.options, keys_report);
    EXPECT_EQ(Json(keys_report), Json(text_report)) << c.name;
    EXPECT_EQ(keys_result.verified, text_result.verified) << c.name;
    EXPECT_EQ(keys_result.claims, text_result.claims) << c.name;
    EXPECT_EQ(keys_result.header, text_result.header) << c.name;
    EXPECT_EQ(keys_result.compact, text_result.compact) << c.name;
    EXPECT_EQ(keys_result.key.has_value(), text_result.key.has_value()) << c.name;
    if (keys_result.key && text_result.key) {
      EXPECT_EQ(keys_result.key->kid, text_result.key->kid) << c.name;
      EXPECT_EQ(keys_result.key->x5c_der, text_result.key->x5c_der) << c.name;
      EXPECT_EQ(keys_result.key->bits, text_result.key->bits) << c.name;
      EXPECT_EQ(keys_result.key->jwk, text_result.key->jwk) << c.name;
      EXPECT_EQ(EVP_PKEY_eq(keys_result.key->public_key.get(), text_result.key->public_key.get()), 1) << c.name;
    }
    return from_keys;
  }

  static void ExpectVerdict(const Case& c, const Report& report) {
    EXPECT_EQ(report.exit_code(), c.exit) << c.name;
    EXPECT_EQ(StatusOf(report, c.check), c.status) << c.name << ": " << DetailOf(report, c.check);
    if (!c.detail.empty()) {
      EXPECT_EQ(DetailOf(report, c.check), c.detail) << c.name;
    }
  }

  Case Valid(std::string name = "valid") const {
    return {std::move(name), Builder().Build(), jwks_, Options(), ExitCode::kVerified, "token.signature", "pass", ""};
  }

  /// Every rejection the token and key checks make, each next to `Valid()`.
  std::vector<Case> Rejections() const {
    std::vector<Case> cases;
    auto reject = [&](std::string name, std::string token, std::string check, std::string detail = "") {
      cases.push_back({std::move(name), std::move(token), jwks_, Options(), ExitCode::kVerificationFailed,
                       std::move(check), "fail", std::move(detail)});
    };
    testing::TokenBuilder wrong_kid(forger_.get(), "attacker");
    reject("wrong kid", wrong_kid.Build(), "token.kid");
    reject("wrong key", testing::TokenBuilder(forger_.get(), kKid).Build(), "token.signature",
           "RSASSA-PKCS1-v1_5 SHA-256 signature does not verify with the key");
    testing::TokenBuilder b = Builder();
    Bytes sig = testing::RsaSign(key_.get(), b.SigningInput());
    Bytes flipped = sig;
    flipped[17] ^= 0x01;
    reject("tampered signature", b.BuildWithSignature(flipped), "token.signature");
    Bytes long_sig = sig;
    long_sig.insert(long_sig.begin(), 0);
    reject("padded signature", b.BuildWithSignature(long_sig), "token.signature",
           "signature is 257 bytes; the 2048-bit key needs exactly 256");
    testing::TokenBuilder tampered = Builder();
    const Bytes tampered_sig = testing::RsaSign(key_.get(), tampered.SigningInput());
    tampered.claims()["x-ms-sevsnpvm-is-debuggable"] = true;
    reject("tampered claims", tampered.BuildWithSignature(tampered_sig), "token.signature");
    for (const char* alg : {"HS256", "none", "PS256", "RS384"}) {
      testing::TokenBuilder bad_alg = Builder();
      bad_alg.header()["alg"] = alg;
      reject(std::string("alg ") + alg, bad_alg.Build(), "token.alg",
             "alg \"" + std::string(alg) + "\" is not RS256 (the only algorithm MAA signs with)");
    }
    testing::TokenBuilder crit = Builder();
    crit.header()["crit"] = nlohmann::ordered_json::array({"exp"});
    reject("crit", crit.Build(), "token.crit");
    testing::TokenBuilder other_issuer = Builder();
    other_issuer.claims()["iss"] = "https://forger.attest.azure.net";
    reject("issuer", other_issuer.Build(), "token.issuer");
    Case expired = Valid("expired");
    expired.options = Options(std::int64_t{9} * 3600);  // an hour after exp (iat + 8 h)
    expired.exit = ExitCode::kVerificationFailed;
    expired.check = "token.time";
    expired.status = "fail";
    cases.push_back(expired);
    Case claim = Valid("required claim");
    claim.options.required_claims.push_back(ParseClaimRequirement("x-ms-sevsnpvm-is-debuggable=true"));
    claim.exit = ExitCode::kVerificationFailed;
    claim.check = "claim.x-ms-sevsnpvm-is-debuggable";
    claim.status = "fail";
    cases.push_back(claim);
    nlohmann::ordered_json enc = testing::MakeJwk(key_.get(), kKid);
    enc["use"] = "enc";
    cases.push_back(
        {"entry for encryption", Builder().Build(), testing::JwksText({enc}), Options(), ExitCode::kVerificationFailed,
         "token.kid", "fail",
         "the JWKS entry with kid \"" + std::string(kKid) + "\" is declared for \"use\" \"enc\", not \"sig\""});
    cases.push_back({"EC entry", Builder().Build(),
                     R"({"keys":[{"kid":")" + std::string(kKid) + R"(","kty":"EC","crv":"P-256"}]})", Options(),
                     ExitCode::kVerificationFailed, "signing_key.size", "fail",
                     "the JWKS entry is unusable: kty \"EC\" is not RSA"});
    cases.push_back({"malformed token", "a.b", jwks_, Options(), ExitCode::kUnreadable, "token.format", "fail",
                     "has 2 segments separated by '.'; a compact JWS has exactly 3"});
    return cases;
  }

  /// JWKS that are unusable as trust input: jwks.key fails, exit 2.
  std::vector<Case> BadJwks() const {
    nlohmann::ordered_json mixed = testing::MakeJwk(key_.get(), kKid, true, false);
    mixed["n"] = testing::RsaN(forger_.get());
    mixed["e"] = testing::RsaE(forger_.get());
    nlohmann::ordered_json bad_x5c = testing::MakeJwk(key_.get(), kKid);
    bad_x5c["x5c"][0] = "AAAA";
    std::vector<Case> cases;
    auto bad = [&](std::string name, std::string jwks, std::string detail) {
      cases.push_back({std::move(name), Builder().Build(), std::move(jwks), Options(), ExitCode::kUsage, "jwks.key",
                       "fail", std::move(detail)});
    };
    bad("not JSON", "not json", "");
    bad("no keys", R"({"x":1})", "JWKS has no \"keys\" array");
    bad("empty keys", R"({"keys":[]})", "JWKS \"keys\" is empty");
    bad("duplicate kid", testing::JwksText({testing::MakeJwk(key_.get(), kKid), testing::MakeJwk(forger_.get(), kKid)}),
        "JWKS has two entries with kid \"" + std::string(kKid) +
            "\" (keys[1] repeats it): the key a token names would be ambiguous");
    bad("x5c and n/e differ", testing::JwksText({mixed}),
        "keys[0] (kid \"" + std::string(kKid) + "\"): the key of x5c[0] and the key in n/e differ");
    bad("x5c not a certificate", testing::JwksText({bad_x5c}),
        "keys[0] (kid \"" + std::string(kKid) + "\"): x5c[0] is not a DER X.509 certificate");
    return cases;
  }

  EvpPkeyPtr forger_;
};

TEST_F(IssuerKeysTest, ValidTokenGivesTheTextReport) {
  const Case c = Valid();
  const Report report = ExpectSameReport(c);
  ExpectVerdict(c, report);
  EXPECT_EQ(StatusOf(report, "jwks.key"), "pass");
}

TEST_F(IssuerKeysTest, EveryRejectionGivesTheTextReport) {
  for (const Case& c : Rejections()) ExpectVerdict(c, ExpectSameReport(c));
  ExpectVerdict(Valid(), ExpectSameReport(Valid()));  // twin
}

TEST_F(IssuerKeysTest, UnusableJwksFailsJwksKeyWhereTheTextDoes) {
  for (const Case& c : BadJwks()) {
    const Report report = ExpectSameReport(c);
    ExpectVerdict(c, report);
    EXPECT_EQ(StatusOf(report, "token.kid"), "skip") << c.name;
    EXPECT_EQ(DetailOf(report, "token.kid"), "the JWKS is unusable") << c.name;
    // The order is the text's: the token checks first, then jwks.key.
    ASSERT_EQ(report.checks.size(), Run(Builder().Build()).checks.size()) << c.name;
    EXPECT_EQ(report.checks[6].id, "jwks.key") << c.name;
  }
  // Twin: the same token with a usable JWKS of the same key verifies.
  ExpectVerdict(Valid(), ExpectSameReport(Valid()));
}

TEST_F(IssuerKeysTest, UnusableJwksWithAMalformedTokenKeepsBothFailures) {
  Case c = BadJwks()[1];
  c.token = "a.b";
  const Report report = ExpectSameReport(c);
  EXPECT_EQ(StatusOf(report, "token.format"), "fail");
  EXPECT_EQ(StatusOf(report, "jwks.key"), "fail");
}

TEST_F(IssuerKeysTest, PrefixedChecksOfAnUnusableSetAreTheTextOnes) {
  Case c = BadJwks()[2];
  c.options.check_prefix = "result_token.";
  const Report report = ExpectSameReport(c);
  EXPECT_EQ(DetailOf(report, "result_token.jwks.key"), "JWKS \"keys\" is empty");
  EXPECT_EQ(report.exit_code(), ExitCode::kUsage);
  Case twin = Valid();
  twin.options.check_prefix = "result_token.";
  EXPECT_EQ(ExpectSameReport(twin).exit_code(), ExitCode::kVerified);
}

TEST_F(IssuerKeysTest, SetRemembersWhyItIsUnusable) {
  const IssuerKeys good(jwks_);
  EXPECT_TRUE(good.usable());
  EXPECT_EQ(good.error(), "");
  ASSERT_EQ(good.jwks().keys.size(), 1u);
  EXPECT_EQ(good.jwks().keys[0].kid, kKid);

  const IssuerKeys bad(R"({"keys":[]})");
  EXPECT_FALSE(bad.usable());
  EXPECT_EQ(bad.error(), "JWKS \"keys\" is empty");
  EXPECT_TRUE(bad.jwks().keys.empty());
  EXPECT_EQ(bad.jwks().FindKid(kKid), nullptr);
}

TEST_F(IssuerKeysTest, CopiesShareTheParsedSet) {
  const IssuerKeys keys(jwks_);
  const IssuerKeys copy = keys;  // NOLINT(performance-unnecessary-copy-initialization): the copy is what is tested
  EXPECT_EQ(&copy.jwks(), &keys.jwks());
  EXPECT_EQ(VerifyMaa(Builder().Build(), copy, Options()).exit_code(), ExitCode::kVerified);
}

TEST_F(IssuerKeysTest, SelectedKeyCarriesTheCertificateDecodedWithTheSet) {
  const IssuerKeys keys(
      testing::JwksText({testing::MakeJwk(key_.get(), "x5c"), testing::MakeJwk(key_.get(), "n-e", false, true)}));
  Report report;
  const MaaTokenResult with_x5c =
      VerifyMaaToken(testing::TokenBuilder(key_.get(), "x5c").Build(), keys, Options(), report);
  ASSERT_TRUE(with_x5c.key.has_value());
  ASSERT_NE(with_x5c.key->certificate, nullptr);
  EXPECT_EQ(with_x5c.key->certificate.get(), keys.jwks().FindKid("x5c")->certificate.get())
      << "shared, not decoded again";
  unsigned char* der = nullptr;
  const int len = i2d_X509(with_x5c.key->certificate.get(), &der);
  ASSERT_GT(len, 0);
  EXPECT_EQ(Bytes(der, der + len), with_x5c.key->x5c_der[0]);
  OPENSSL_free(der);
  // Twin: an entry without x5c has no certificate.
  const MaaTokenResult with_n_e =
      VerifyMaaToken(testing::TokenBuilder(key_.get(), "n-e").Build(), keys, Options(), report);
  ASSERT_TRUE(with_n_e.key.has_value());
  EXPECT_EQ(with_n_e.key->certificate, nullptr);
  EXPECT_TRUE(with_n_e.verified);
}

TEST_F(IssuerKeysTest, EmptyIssuerIsAUsageErrorWhateverTheJwks) {
  MaaTokenOptions options = Options();
  options.issuer.clear();
  Report report;
  EXPECT_THROW((void)VerifyMaaToken(Builder().Build(), IssuerKeys(jwks_), options, report), UsageError);
  EXPECT_THROW((void)VerifyMaa(Builder().Build(), IssuerKeys("not json"), options), UsageError);
  EXPECT_THROW((void)VerifyMaa(Builder().Build(), "not json", options), UsageError);
  EXPECT_TRUE(report.checks.empty());
  EXPECT_EQ(VerifyMaa(Builder().Build(), IssuerKeys(jwks_), Options()).exit_code(), ExitCode::kVerified);  // twin
}

TEST_F(IssuerKeysTest, KeysOfAnotherIssuerDoNotVerifyTheToken) {
  // Negative twin of the equivalence: the set given is the one used.
  const IssuerKeys others(testing::JwksText({testing::MakeJwk(forger_.get(), kKid)}));
  const Report report = VerifyMaa(Builder().Build(), others, Options());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "token.signature"), "fail");
  EXPECT_EQ(VerifyMaa(Builder().Build(), IssuerKeys(jwks_), Options()).exit_code(), ExitCode::kVerified);
}

// --- one set, many tokens ---------------------------------------------------

/// Valid tokens, each with its own nonce claim, interleaved with every
/// rejection: a forged token right after a valid one must fail, and each
/// valid token hands back its own claims only.
TEST_F(IssuerKeysTest, ReusedSetJudgesEveryTokenOnItsOwn) {
  const IssuerKeys keys(jwks_);
  const std::vector<Case> rejections = Rejections();
  for (int round = 0; round < 2; ++round) {
    for (std::size_t i = 0; i < rejections.size(); ++i) {
      testing::TokenBuilder b = Builder();
      const std::string nonce = "nonce-" + std::to_string(round) + "-" + std::to_string(i);
      b.claims()["x-ms-nonce"] = nonce;
      Report valid_report;
      const MaaTokenResult valid = VerifyMaaToken(b.Build(), keys, Options(), valid_report);
      ASSERT_TRUE(valid.verified) << nonce;
      EXPECT_EQ(valid.claims["x-ms-nonce"], nonce);
      EXPECT_EQ(valid_report.exit_code(), ExitCode::kVerified);

      const Case& c = rejections[i];
      if (c.jwks != jwks_) continue;  // rejections of another JWKS: not this set's
      Report forged_report;
      const MaaTokenResult forged = VerifyMaaToken(c.token, keys, c.options, forged_report);
      EXPECT_FALSE(forged.verified) << c.name;
      EXPECT_TRUE(forged.claims.is_null()) << c.name << ": no claims of an unverified token, nor of the last one";
      ExpectVerdict(c, forged_report);
      EXPECT_EQ(Json(VerifyMaa(c.token, keys, c.options)), Json(VerifyMaa(c.token, c.jwks, c.options))) << c.name;
    }
  }
}

TEST_F(IssuerKeysTest, ReusedSetOfTwoKeysSelectsEachTokensOwnKid) {
  const IssuerKeys keys(testing::JwksText(
      {testing::MakeJwk(key_.get(), "first"), testing::MakeJwk(forger_.get(), "second", false, true)}));
  ASSERT_TRUE(keys.usable());
  const std::string by_first = testing::TokenBuilder(key_.get(), "first").Build();
  const std::string by_second = testing::TokenBuilder(forger_.get(), "second").Build();
  const std::string first_names_second = testing::TokenBuilder(key_.get(), "second").Build();
  const std::string second_names_first = testing::TokenBuilder(forger_.get(), "first").Build();
  for (int i = 0; i < 3; ++i) {
    const Report a = VerifyMaa(by_first, keys, Options());
    EXPECT_EQ(a.exit_code(), ExitCode::kVerified);
    EXPECT_EQ(a.facts["token"]["signing_key"], "RSA-2048, JWKS x5c (1 certificate(s))");
    const Report wrong_a = VerifyMaa(first_names_second, keys, Options());
    EXPECT_EQ(StatusOf(wrong_a, "token.signature"), "fail");
    const Report b = VerifyMaa(by_second, keys, Options());
    EXPECT_EQ(b.exit_code(), ExitCode::kVerified);
    EXPECT_EQ(b.facts["token"]["signing_key"], "RSA-2048, JWKS n/e");
    const Report wrong_b = VerifyMaa(second_names_first, keys, Options());
    EXPECT_EQ(StatusOf(wrong_b, "token.signature"), "fail");
  }
}

TEST_F(IssuerKeysTest, OneSetServesTwoThreadsAtOnce) {
  const IssuerKeys keys(jwks_);
  const std::string valid = Builder().Build();
  const std::string forged = testing::TokenBuilder(forger_.get(), kKid).Build();
  auto run = [&](std::vector<ExitCode>& out) {
    for (int i = 0; i < 20; ++i) out.push_back(VerifyMaa(i % 2 == 0 ? valid : forged, keys, Options()).exit_code());
  };
  std::vector<ExitCode> first;
  std::vector<ExitCode> second;
  std::thread other([&] { run(second); });
  run(first);
  other.join();
  for (const auto* results : {&first, &second}) {
    ASSERT_EQ(results->size(), 20u);
    for (std::size_t i = 0; i < results->size(); ++i) {
      EXPECT_EQ((*results)[i], i % 2 == 0 ? ExitCode::kVerified : ExitCode::kVerificationFailed) << i;
    }
  }
}

}  // namespace
}  // namespace keyattest::maa
