// The MAA token rules, each with a failing case next to a passing twin
// (docs/maa.md "Checks").
#include <openssl/x509.h>

#include <limits>

#include "keyattest/core/errors.h"
#include "keyattest/maa/maa_checks.h"
#include "tests/maa/maa_test_support.h"
#include "tests/support/test_keys.h"

namespace keyattest::maa {
namespace {

using testing::B64Url;

TEST_F(MaaTokenTest, ValidTokenVerifiesWithEveryCheckPassing) {
  const Report report = Run(Builder().Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  for (const char* id :
       {"token.format", "token.header", "token.claims", "token.alg", "token.crit", "token.jku", "jwks.key", "token.kid",
        "signing_key.size", "token.signature", "token.issuer", "token.time"}) {
    EXPECT_EQ(StatusOf(report, id), "pass") << id << ": " << DetailOf(report, id);
  }
  EXPECT_EQ(report.kind, "maa");
  EXPECT_EQ(report.facts["sev_snp"]["x-ms-sevsnpvm-vmpl"], 0);
  EXPECT_EQ(report.facts["times"]["issued_at"], "2030-01-01T00:00:00Z");
  EXPECT_EQ(report.facts["times"]["age_at_check_time"], "0h 1m 0s");
}

TEST_F(MaaTokenTest, ResultCarriesClaimsAndSelectedKeyOnlyWhenVerified) {
  Report report;
  const MaaTokenResult ok = VerifyMaaToken(Builder().Build(), jwks_, Options(), report);
  ASSERT_TRUE(ok.verified);
  EXPECT_EQ(ok.claims["iss"], testing::kTestIssuer);
  ASSERT_TRUE(ok.key.has_value());
  EXPECT_EQ(ok.key->kid, kKid);
  ASSERT_EQ(ok.key->x5c_der.size(), 1u);
  EXPECT_EQ(ok.key->x5c_der[0], testing::SelfSignedCertDer(key_.get()));
  EXPECT_EQ(EVP_PKEY_eq(ok.key->public_key.get(), key_.get()), 1);
  EXPECT_EQ(ok.key->bits, 2048);

  Report failed_report;
  testing::TokenBuilder b = Builder();
  Bytes sig = testing::RsaSign(key_.get(), b.SigningInput());
  sig[10] ^= 0x40;
  const std::string token = b.BuildWithSignature(sig);
  const MaaTokenResult bad = VerifyMaaToken(token, jwks_, Options(), failed_report);
  EXPECT_FALSE(bad.verified);
  EXPECT_TRUE(bad.claims.is_null()) << "unverified claims must not be handed out";
  EXPECT_TRUE(bad.key.has_value()) << "the selected key is known even when the signature fails";
}

TEST_F(MaaTokenTest, CheckPrefixRenamesEveryCheck) {
  Report report;
  MaaTokenOptions options = Options();
  options.check_prefix = "result_token.";
  options.required_claims.push_back(ParseClaimRequirement("x-ms-sevsnpvm-vmpl=0"));
  (void)VerifyMaaToken(Builder().Build(), jwks_, options, report);
  EXPECT_EQ(StatusOf(report, "result_token.alg"), "pass");
  EXPECT_EQ(StatusOf(report, "result_token.jwks.key"), "pass");
  EXPECT_EQ(StatusOf(report, "result_token.signing_key.size"), "pass");
  EXPECT_EQ(StatusOf(report, "result_token.claim.x-ms-sevsnpvm-vmpl"), "pass");
  EXPECT_EQ(StatusOf(report, "token.alg"), "absent");
}

TEST_F(MaaTokenTest, EmptyIssuerIsAUsageError) {
  MaaTokenOptions options = Options();
  options.issuer.clear();
  EXPECT_THROW(Run(Builder().Build(), options), UsageError);
}

// --- token.alg: exactly RS256 -------------------------------------------

struct ForgedAlg {
  const char* alg;
  std::string signature_kind;  // how the forger signs
};

class ForbiddenAlgTest : public MaaTokenTest, public ::testing::WithParamInterface<ForgedAlg> {};

TEST_P(ForbiddenAlgTest, FailsTokenAlgAndNeverVerifiesTheSignature) {
  testing::TokenBuilder b = Builder();
  b.header()["alg"] = GetParam().alg;
  const std::string input = b.SigningInput();
  Bytes sig;
  const std::string& kind = GetParam().signature_kind;
  if (kind == "rs256") sig = testing::RsaSign(key_.get(), input);
  if (kind == "rs384") sig = testing::RsaSign(key_.get(), input, EVP_sha384());
  if (kind == "ps256") sig = testing::RsaSign(key_.get(), input, EVP_sha256(), /*pss=*/true);
  if (kind == "hmac-spki") sig = testing::HmacSha256(testing::SpkiDer(key_.get()), input);
  if (kind == "hmac-cert") sig = testing::HmacSha256(testing::SelfSignedCertDer(key_.get()), input);
  const Report report = Run(b.BuildWithSignature(sig));
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "token.alg"), "fail");
  EXPECT_EQ(DetailOf(report, "token.alg"),
            "alg \"" + std::string(GetParam().alg) + "\" is not RS256 (the only algorithm MAA signs with)");
  EXPECT_EQ(StatusOf(report, "token.signature"), "skip");
}

INSTANTIATE_TEST_SUITE_P(Algorithms, ForbiddenAlgTest,
                         ::testing::Values(ForgedAlg{"none", "empty"}, ForgedAlg{"None", "empty"},
                                           ForgedAlg{"HS256", "hmac-spki"}, ForgedAlg{"HS256", "hmac-cert"},
                                           ForgedAlg{"RS384", "rs384"}, ForgedAlg{"PS256", "ps256"},
                                           ForgedAlg{"rs256", "rs256"}, ForgedAlg{"RS256 ", "rs256"},
                                           ForgedAlg{"RSA256", "rs256"}, ForgedAlg{"ES256", "rs256"},
                                           ForgedAlg{"", "rs256"}));

TEST_F(MaaTokenTest, AlgThatIsNotAStringIsMalformed) {
  testing::TokenBuilder b = Builder();
  b.header()["alg"] = nlohmann::ordered_json::array({"RS256"});
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(DetailOf(report, "token.header"), "no \"alg\" string");
}

// --- token.crit ------------------------------------------------------------

TEST_F(MaaTokenTest, CritHeaderFailsEvenWithAGoodSignature) {
  testing::TokenBuilder b = Builder();
  b.header()["crit"] = nlohmann::ordered_json::array({"exp"});
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "token.crit"), "fail");
  EXPECT_EQ(StatusOf(report, "token.signature"), "pass");
  EXPECT_EQ(StatusOf(Run(Builder().Build()), "token.crit"), "pass");
}

// --- token.kid: the JWKS key with that exact kid, never the token's own ---

TEST_F(MaaTokenTest, HeaderJwkOfTheForgerIsNeverUsed) {
  EvpPkeyPtr forger = testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048);
  testing::TokenBuilder b(forger.get(), kKid);
  b.header()["jwk"] = testing::MakeJwk(forger.get(), kKid, false, true);
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "token.signature"), "fail");
  EXPECT_NE(DetailOf(report, "token.kid").find("header jwk ignored"), std::string::npos);
}

TEST_F(MaaTokenTest, HeaderX5cOfTheForgerIsNeverUsed) {
  EvpPkeyPtr forger = testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048);
  testing::TokenBuilder b(forger.get(), kKid);
  b.header()["x5c"] = testing::MakeJwk(forger.get(), kKid)["x5c"];
  b.header()["x5u"] = "https://attacker.example/cert.pem";
  const Report report = Run(b.Build());
  EXPECT_EQ(StatusOf(report, "token.signature"), "fail");
  EXPECT_NE(DetailOf(report, "token.kid").find("header x5c, x5u ignored"), std::string::npos);
  // Twin: the same header members on a token the JWKS key signed verify
  // (they are ignored, not trusted and not fatal).
  testing::TokenBuilder twin = Builder();
  twin.header()["x5c"] = testing::MakeJwk(forger.get(), kKid)["x5c"];
  EXPECT_EQ(Run(twin.Build()).exit_code(), ExitCode::kVerified);
}

TEST_F(MaaTokenTest, ForgerKidAbsentFromJwksFailsWithoutTryingOtherKeys) {
  EvpPkeyPtr forger = testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048);
  testing::TokenBuilder b(forger.get(), "attacker");
  b.header()["jwk"] = testing::MakeJwk(forger.get(), "attacker", false, true);
  const Report report = Run(b.Build());
  EXPECT_EQ(StatusOf(report, "token.kid"), "fail");
  EXPECT_EQ(DetailOf(report, "token.kid"),
            "no JWKS entry has kid \"attacker\" (the JWKS has \"" + std::string(kKid) + "\"); no other key is tried");
  EXPECT_EQ(StatusOf(report, "token.signature"), "skip");
}

class KidNearMissTest : public MaaTokenTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(KidNearMissTest, OnlyTheExactKidSelectsAKey) {
  testing::TokenBuilder b = Builder();
  b.header()["kid"] = GetParam();
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(StatusOf(report, "token.kid"), "fail");
}

INSTANTIATE_TEST_SUITE_P(NearMisses, KidNearMissTest,
                         ::testing::Values("dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo",    // padding dropped
                                           "dRKh-hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo=",   // URL alphabet
                                           "drkh+hbcwufqimsl3iv6zhstw3tsot0thwitguuqzao=",   // case
                                           "dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo= ",  // trailing space
                                           " dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo=",  // leading space
                                           "dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo=\n",
                                           std::string("dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZAo=\0", 45),
                                           "dRKh+hBcWUfQimSl3Iv6ZhStW3TSOt0ThwiTgUUqZA\xD0\xBE="));  // Cyrillic o

TEST_F(MaaTokenTest, KidsDifferingOnlyInCaseSelectExactlyTheirOwnKey) {
  EvpPkeyPtr other = testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048);
  const std::string jwks =
      testing::JwksText({testing::MakeJwk(other.get(), "KEY"), testing::MakeJwk(key_.get(), "key")});
  testing::TokenBuilder b(key_.get(), "key");
  EXPECT_EQ(VerifyMaa(b.Build(), jwks, Options()).exit_code(), ExitCode::kVerified);
  testing::TokenBuilder wrong(key_.get(), "KEY");
  const Report report = VerifyMaa(wrong.Build(), jwks, Options());
  EXPECT_EQ(StatusOf(report, "token.kid"), "pass");
  EXPECT_EQ(StatusOf(report, "token.signature"), "fail");
}

class BadKidTest : public MaaTokenTest, public ::testing::WithParamInterface<nlohmann::ordered_json> {};

TEST_P(BadKidTest, MissingOrNonStringKidIsMalformed) {
  testing::TokenBuilder b = Builder();
  if (GetParam().is_discarded()) {
    b.header().erase("kid");
  } else {
    b.header()["kid"] = GetParam();
  }
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(DetailOf(report, "token.header"), "no \"kid\" string: the signing key cannot be named");
}

INSTANTIATE_TEST_SUITE_P(Kids, BadKidTest,
                         ::testing::Values(nlohmann::ordered_json(nlohmann::ordered_json::value_t::discarded),
                                           nlohmann::ordered_json(""), nlohmann::ordered_json(7),
                                           nlohmann::ordered_json(nullptr), nlohmann::ordered_json::array({kKid})));

// --- token.jku ----------------------------------------------------------------

TEST_F(MaaTokenTest, JkuMustBeTheIssuersCertsAndIsOptional) {
  for (const char* jku : {"https://attacker.example/certs", "https://maatest.eus.attest.azure.net/certs/",
                          "https://maatest.eus.attest.azure.net/Certs", "https://MAATEST.eus.attest.azure.net/certs"}) {
    testing::TokenBuilder b = Builder();
    b.header()["jku"] = jku;
    const Report report = Run(b.Build());
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << jku;
    EXPECT_EQ(StatusOf(report, "token.jku"), "fail") << jku;
  }
  testing::TokenBuilder absent = Builder();
  absent.header().erase("jku");
  const Report report = Run(absent.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(DetailOf(report, "token.jku"), "no jku");
}

// --- token.issuer -------------------------------------------------------------

TEST_F(MaaTokenTest, IssuerIsComparedExactly) {
  for (const char* issuer : {"https://maatest.eus.attest.azure.net/", "https://MAATEST.eus.attest.azure.net",
                             "https://maatest.eus.attest.azure.ne", "http://maatest.eus.attest.azure.net"}) {
    MaaTokenOptions options = Options();
    options.issuer = issuer;
    const Report report = Run(Builder().Build(), options);
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << issuer;
    EXPECT_EQ(DetailOf(report, "token.issuer"),
              "iss \"https://maatest.eus.attest.azure.net\" is not \"" + std::string(issuer) + "\" (compared exactly)");
  }
}

// --- token.time: nbf - skew <= at < exp + skew ------------------------------

struct TimeCase {
  std::int64_t at_offset;  // from iat (= nbf); exp = iat + 28800
  std::int64_t skew;
  bool valid;
};

class TokenTimeTest : public MaaTokenTest, public ::testing::WithParamInterface<TimeCase> {};

TEST_P(TokenTimeTest, BoundariesAreExact) {
  const Report report = Run(Builder().Build(), Options(GetParam().at_offset, GetParam().skew));
  EXPECT_EQ(StatusOf(report, "token.time"), GetParam().valid ? "pass" : "fail") << DetailOf(report, "token.time");
  EXPECT_EQ(report.exit_code(), GetParam().valid ? ExitCode::kVerified : ExitCode::kVerificationFailed);
}

INSTANTIATE_TEST_SUITE_P(Skew0And60, TokenTimeTest,
                         ::testing::Values(TimeCase{-1, 0, false}, TimeCase{0, 0, true}, TimeCase{28799, 0, true},
                                           TimeCase{28800, 0, false}, TimeCase{-61, 60, false}, TimeCase{-60, 60, true},
                                           TimeCase{28859, 60, true}, TimeCase{28860, 60, false}));

TEST_F(MaaTokenTest, TimeDetailNamesTheMarginAndSkew) {
  EXPECT_EQ(DetailOf(Run(Builder().Build(), Options(28800, 0)), "token.time"),
            "expired 0 s beyond exp + skew (nbf 2030-01-01T00:00:00Z, exp 2030-01-01T08:00:00Z, at "
            "2030-01-01T08:00:00Z, skew 0 s, age 28800 s since iat 2030-01-01T00:00:00Z)");
  EXPECT_EQ(DetailOf(Run(Builder().Build(), Options(-61, 60)), "token.time").substr(0, 29),
            "not yet valid: valid in 1 s (");
}

TEST_F(MaaTokenTest, WithoutNbfOnlyExpBounds) {
  testing::TokenBuilder b = Builder();
  b.claims().erase("nbf");
  b.claims().erase("iat");
  EXPECT_EQ(Run(b.Build(), Options(-86400 * 365)).exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Run(b.Build(), Options(28800)).exit_code(), ExitCode::kVerificationFailed);
}

// Without nbf, iat still bounds the window from below: a token checked as
// of a time before it was issued fails; its negative twin, one second
// later (at iat - skew), passes.
TEST_F(MaaTokenTest, WithoutNbfATokenIsNotValidBeforeItWasIssued) {
  testing::TokenBuilder b = Builder();
  b.claims().erase("nbf");
  const Report early = Run(b.Build(), Options(-61, 60));
  EXPECT_EQ(early.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(DetailOf(early, "token.time"),
            "not yet issued: issued in 1 s (no nbf, exp 2030-01-01T08:00:00Z, at 2029-12-31T23:58:59Z, skew 60 s, "
            "age -61 s since iat 2030-01-01T00:00:00Z)");
  EXPECT_EQ(Run(b.Build(), Options(-60, 60)).exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Run(b.Build(), Options(0, 0)).exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Run(b.Build(), Options(-1, 0)).exit_code(), ExitCode::kVerificationFailed);
}

// An nbf earlier than iat does not make the token valid before its iat.
TEST_F(MaaTokenTest, AnEarlierNbfDoesNotOpenTheWindowBeforeIat) {
  testing::TokenBuilder b = Builder();
  b.claims()["nbf"] = b.claims()["iat"].get<std::int64_t>() - 3600;
  const Report before_iat = Run(b.Build(), Options(-1800, 0));
  EXPECT_EQ(StatusOf(before_iat, "token.time"), "fail");
  EXPECT_EQ(DetailOf(before_iat, "token.time").substr(0, 36), "not yet issued: issued in 1800 s (nb");
  EXPECT_EQ(StatusOf(Run(b.Build(), Options(0, 0)), "token.time"), "pass");
}

// A forger's next try against the iat bound: extreme values saturate
// instead of wrapping round (an iat near INT64_MAX minus the skew must not
// become a time in the past), and an iat far in the past bounds nothing.
TEST_F(MaaTokenTest, ExtremeIatSaturatesAndStillBoundsTheWindow) {
  testing::TokenBuilder b = Builder();
  b.claims().erase("nbf");
  b.claims()["iat"] = std::numeric_limits<std::int64_t>::max();
  const Report future = Run(b.Build(), Options(0, 86400));
  EXPECT_EQ(StatusOf(future, "token.time"), "fail");
  EXPECT_EQ(DetailOf(future, "token.time").substr(0, 26), "not yet issued: issued in ");
  b.claims()["iat"] = std::numeric_limits<std::int64_t>::min();
  const Report past = Run(b.Build(), Options(0, 86400));
  EXPECT_EQ(StatusOf(past, "token.time"), "pass");
  // The facts' age since iat saturates too (it once overflowed here).
  EXPECT_EQ(past.facts["times"]["age_at_check_time"], "106751991167300d 15h 30m 7s");
}

TEST_F(MaaTokenTest, ExtremeTimesDoNotOverflow) {
  testing::TokenBuilder b = Builder();
  b.claims()["exp"] = std::numeric_limits<std::int64_t>::max();
  b.claims()["nbf"] = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(StatusOf(Run(b.Build(), Options(0, 86400)), "token.time"), "pass");
  b.claims()["exp"] = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(StatusOf(Run(b.Build(), Options(0, 86400)), "token.time"), "fail");
}

}  // namespace
}  // namespace keyattest::maa
