// Malformed tokens (exit 3), unusable JWKS (exit 2), key sizes, malleated
// signatures and --require-claim (docs/maa.md "Checks").
#include <limits>

#include "keyattest/core/errors.h"
#include "tests/maa/maa_test_support.h"
#include "tests/support/test_keys.h"

namespace keyattest::maa {
namespace {

using testing::B64Url;

// --- token.format -------------------------------------------------------------

TEST_F(MaaTokenTest, FinalLfOrCrLfIsIgnoredAndNothingElse) {
  const std::string token = Builder().Build();
  EXPECT_EQ(Run(token + "\n").exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Run(token + "\r\n").exit_code(), ExitCode::kVerified);
  for (const std::string& bad :
       {token + "\n\n", token + "\r", token + " ", " " + token, "\n" + token, token + "\t", token + "\n\r\n"}) {
    const Report report = Run(bad);
    EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable);
    EXPECT_EQ(StatusOf(report, "token.format"), "fail");
    EXPECT_EQ(StatusOf(report, "token.signature"), "skip");
  }
}

TEST_F(MaaTokenTest, WhitespaceOrPaddingInsideASegmentIsMalformed) {
  const std::string token = Builder().Build();
  const std::size_t dot = token.find('.');
  for (const std::string& bad :
       {token.substr(0, 10) + " " + token.substr(10), token.substr(0, 10) + "\n" + token.substr(10),
        token.substr(0, dot) + "=" + token.substr(dot), token + "=", token.substr(0, dot) + "." + token.substr(dot)}) {
    EXPECT_EQ(Run(bad).exit_code(), ExitCode::kUnreadable) << bad.substr(0, 40);
  }
}

TEST_F(MaaTokenTest, SegmentCountsOtherThanThreeAreMalformed) {
  const std::string token = Builder().Build();
  const std::string two = token.substr(0, token.rfind('.'));
  EXPECT_EQ(DetailOf(Run(two), "token.format"), "has 2 segments separated by '.'; a compact JWS has exactly 3");
  EXPECT_EQ(DetailOf(Run(token + "."), "token.format"), "has 4 segments separated by '.'; a compact JWS has exactly 3");
  EXPECT_EQ(DetailOf(Run(token + "." + token), "token.format"),
            "has 6 segments separated by '.'; a compact JWS has exactly 3");
  EXPECT_EQ(Run("").exit_code(), ExitCode::kUnreadable);
}

TEST_F(MaaTokenTest, ServiceResponseBodyIsUnwrapped) {
  const std::string token = Builder().Build();
  EXPECT_EQ(Run("{\"token\": \"" + token + "\"}\n").exit_code(), ExitCode::kVerified);
  EXPECT_EQ(DetailOf(Run("{\"token\": \"" + token + "\", \"extra\": 1}"), "token.format"),
            "a JSON token body must be exactly {\"token\": \"<compact JWS>\"}");
  EXPECT_EQ(Run("{\"token\": \"" + token + "\", \"token\": \"" + token + "\"}").exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(Run("{\"token\": 5}").exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(Run("{\"token\": \"" + token + " \"}").exit_code(), ExitCode::kUnreadable);
}

// --- token.header / token.claims ---------------------------------------------

TEST_F(MaaTokenTest, DuplicateHeaderMemberIsMalformedEvenIfSigned) {
  testing::TokenBuilder b = Builder();
  b.HeaderText(R"({"alg":"none","kid":")" + std::string(kKid) + R"(","alg":"RS256"})");
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(DetailOf(report, "token.header"), "header is not strict JSON: duplicate JSON member \"alg\"");
}

TEST_F(MaaTokenTest, DuplicateClaimIsMalformedEvenIfSigned) {
  testing::TokenBuilder b = Builder();
  b.PayloadText(R"({"iss":"https://attacker.example","exp":1893484800,"iss":")" + std::string(testing::kTestIssuer) +
                R"("})");
  const Report report = Run(b.Build());
  EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(DetailOf(report, "token.claims"), "payload is not strict JSON: duplicate JSON member \"iss\"");
  EXPECT_EQ(StatusOf(report, "token.issuer"), "skip");
}

struct ClaimCase {
  const char* name;
  nlohmann::ordered_json value;  // discarded = remove the claim
  const char* message;           // "" = valid
};

class ClaimTypeTest : public MaaTokenTest, public ::testing::WithParamInterface<ClaimCase> {};

TEST_P(ClaimTypeTest, TimesAreIntegersAndIssIsAString) {
  testing::TokenBuilder b = Builder();
  if (GetParam().value.is_discarded()) {
    b.claims().erase(GetParam().name);
  } else {
    b.claims()[GetParam().name] = GetParam().value;
  }
  const Report report = Run(b.Build(), Options(60, 86400));
  if (std::string(GetParam().message).empty()) {
    EXPECT_EQ(StatusOf(report, "token.claims"), "pass") << DetailOf(report, "token.claims");
  } else {
    EXPECT_EQ(report.exit_code(), ExitCode::kUnreadable);
    EXPECT_EQ(DetailOf(report, "token.claims"), GetParam().message);
  }
}

const nlohmann::ordered_json kRemoved(nlohmann::ordered_json::value_t::discarded);

INSTANTIATE_TEST_SUITE_P(
    Claims, ClaimTypeTest,
    ::testing::Values(ClaimCase{"exp", kRemoved, "no \"exp\" claim"},
                      ClaimCase{"exp", 1893484800.0, "\"exp\" is not an integer (NumericDate)"},
                      ClaimCase{"exp", "1893484800", "\"exp\" is not an integer (NumericDate)"},
                      ClaimCase{"exp", nullptr, "\"exp\" is not an integer (NumericDate)"},
                      ClaimCase{"exp", std::numeric_limits<std::uint64_t>::max(), "\"exp\" is out of range"},
                      ClaimCase{"nbf", 1.5, "\"nbf\" is not an integer (NumericDate)"}, ClaimCase{"nbf", kRemoved, ""},
                      ClaimCase{"iat", "now", "\"iat\" is not an integer (NumericDate)"},
                      ClaimCase{"iat", kRemoved, ""}, ClaimCase{"iss", kRemoved, "no \"iss\" string"},
                      ClaimCase{"iss", 5, "no \"iss\" string"},
                      ClaimCase{"iss", nlohmann::ordered_json::array({testing::kTestIssuer}), "no \"iss\" string"}));

TEST_F(MaaTokenTest, PayloadThatIsNotAnObjectIsMalformed) {
  testing::TokenBuilder b = Builder();
  b.PayloadText("[]");
  EXPECT_EQ(DetailOf(Run(b.Build()), "token.claims"), "payload: not a JSON object");
  b.PayloadText("{\"iss\":\"\xc3\x28\"}");
  EXPECT_EQ(Run(b.Build()).exit_code(), ExitCode::kUnreadable);
}

// --- jwks.key (exit 2) and signing_key.size --------------------------------------

TEST_F(MaaTokenTest, UnusableJwksIsExitTwo) {
  EvpPkeyPtr other = testing::LoadTestKey(testing::TestKeyId::kOtherPartitionRsa2048);
  const std::string token = Builder().Build();
  nlohmann::ordered_json mixed = testing::MakeJwk(key_.get(), kKid, true, false);
  mixed["n"] = testing::RsaN(other.get());
  mixed["e"] = testing::RsaE(other.get());
  for (const std::string& jwks :
       {std::string("not json"),
        testing::JwksText({testing::MakeJwk(key_.get(), kKid), testing::MakeJwk(other.get(), kKid)}),
        testing::JwksText({mixed}), std::string(R"({"keys":[]})")}) {
    const Report report = VerifyMaa(token, jwks, Options());
    EXPECT_EQ(report.exit_code(), ExitCode::kUsage) << jwks.substr(0, 60);
    EXPECT_EQ(StatusOf(report, "jwks.key"), "fail");
    EXPECT_EQ(StatusOf(report, "token.kid"), "skip");
  }
  // Twin: the same key under its own kid with x5c and n/e verifies.
  EXPECT_EQ(
      VerifyMaa(token, testing::JwksText({testing::MakeJwk(key_.get(), kKid, true, true)}), Options()).exit_code(),
      ExitCode::kVerified);
  EXPECT_EQ(
      VerifyMaa(token, testing::JwksText({testing::MakeJwk(key_.get(), kKid, false, true)}), Options()).exit_code(),
      ExitCode::kVerified);
}

TEST_F(MaaTokenTest, KeySizeFloorIs1024WithAWarningBelow2048) {
  for (auto [bits, status, exit] :
       {std::tuple{768, "fail", ExitCode::kVerificationFailed}, std::tuple{1024, "warn", ExitCode::kVerified},
        std::tuple{2048, "pass", ExitCode::kVerified}}) {
    EvpPkeyPtr key = testing::FreshRsaKey(bits);
    const std::string jwks = testing::JwksText({testing::MakeJwk(key.get(), kKid)});
    const Report report = VerifyMaa(testing::TokenBuilder(key.get(), kKid).Build(), jwks, Options());
    EXPECT_EQ(StatusOf(report, "signing_key.size"), status) << bits;
    EXPECT_EQ(report.exit_code(), exit) << bits;
  }
}

TEST_F(MaaTokenTest, EntryRestrictedToOtherUsesIsNotUsed) {
  struct Case {
    const char* member;
    nlohmann::ordered_json value;
    const char* detail;
  };
  for (const Case& c :
       {Case{"use", "enc", "is declared for \"use\" \"enc\", not \"sig\""},
        Case{"alg", "RS384", "is declared for \"alg\" \"RS384\", not \"RS256\""},
        Case{"key_ops", nlohmann::ordered_json::array({"encrypt"}), "has \"key_ops\" without \"verify\""}}) {
    nlohmann::ordered_json jwk = testing::MakeJwk(key_.get(), kKid);
    jwk[c.member] = c.value;
    const Report report = VerifyMaa(Builder().Build(), testing::JwksText({jwk}), Options());
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << c.member;
    EXPECT_EQ(DetailOf(report, "token.kid"), "the JWKS entry with kid \"" + std::string(kKid) + "\" " + c.detail);
    EXPECT_EQ(StatusOf(report, "token.signature"), "skip");
  }
  nlohmann::ordered_json twin = testing::MakeJwk(key_.get(), kKid);
  twin["use"] = "sig";
  twin["alg"] = "RS256";
  twin["key_ops"] = nlohmann::ordered_json::array({"verify"});
  EXPECT_EQ(VerifyMaa(Builder().Build(), testing::JwksText({twin}), Options()).exit_code(), ExitCode::kVerified);
}

TEST_F(MaaTokenTest, NonRsaEntryFailsTheKeyCheck) {
  const std::string jwks = R"({"keys":[{"kid":")" + std::string(kKid) + R"(","kty":"EC","crv":"P-256"}]})";
  const Report report = VerifyMaa(Builder().Build(), jwks, Options());
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(DetailOf(report, "signing_key.size"), "the JWKS entry is unusable: kty \"EC\" is not RSA");
  EXPECT_EQ(StatusOf(report, "token.signature"), "skip");
}

// --- token.signature: malleated signatures -------------------------------------

TEST_F(MaaTokenTest, MalleatedSignaturesFail) {
  testing::TokenBuilder b = Builder();
  const Bytes sig = testing::RsaSign(key_.get(), b.SigningInput());
  Bytes leading_zero = sig;
  leading_zero.insert(leading_zero.begin(), 0);
  Bytes truncated(sig.begin(), sig.end() - 1);
  Bytes flipped = sig;
  flipped[0] ^= 0x01;
  Bytes zeros(sig.size(), 0);
  for (const Bytes& bad : {leading_zero, truncated, flipped, zeros}) {
    const Report report = Run(b.BuildWithSignature(bad));
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
    EXPECT_EQ(StatusOf(report, "token.signature"), "fail");
  }
  EXPECT_EQ(DetailOf(Run(b.BuildWithSignature(leading_zero)), "token.signature"),
            "signature is 257 bytes; the 2048-bit key needs exactly 256");
  EXPECT_EQ(Run(b.BuildWithSignature(sig)).exit_code(), ExitCode::kVerified);
}

TEST_F(MaaTokenTest, TamperedClaimFailsTheSignature) {
  testing::TokenBuilder b = Builder();
  const Bytes sig = testing::RsaSign(key_.get(), b.SigningInput());
  b.claims()["x-ms-sevsnpvm-is-debuggable"] = true;
  EXPECT_EQ(StatusOf(Run(b.BuildWithSignature(sig)), "token.signature"), "fail");
}

// --- claim.<path> ----------------------------------------------------------------

class RequireClaimTest : public MaaTokenTest {
 protected:
  Report WithRequirements(const std::vector<std::string>& requirements) {
    testing::TokenBuilder b = Builder();
    b.claims()["x-ms-isolation-tee"] = nlohmann::ordered_json::parse(
        R"({"x-ms-sevsnpvm-vmpl":0,"x-ms-sevsnpvm-is-debuggable":false,"x-ms-compliance-status":"azure-compliant-cvm",
            "x-ms-runtime":{"keys":[{"kid":"HCLAkPub"}],"json":"{\"a\":1}"},"ratio":0.5,"none":null,"big":18446744073709551615,
            "neg":-3})");
    MaaTokenOptions options = Options();
    for (const auto& r : requirements) options.required_claims.push_back(ParseClaimRequirement(r));
    return Run(b.Build(), options);
  }
};

TEST_F(RequireClaimTest, ScalarsCompareAsText) {
  const Report report = WithRequirements(
      {"x-ms-isolation-tee.x-ms-sevsnpvm-vmpl=0", "x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable=false",
       "x-ms-isolation-tee.x-ms-compliance-status=azure-compliant-cvm", "x-ms-isolation-tee.big=18446744073709551615",
       "x-ms-isolation-tee.neg=-3", "iss=https://maatest.eus.attest.azure.net"});
  EXPECT_EQ(report.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(DetailOf(report, "claim.x-ms-isolation-tee.x-ms-sevsnpvm-vmpl"), "\"0\" (JSON number)");
}

TEST_F(RequireClaimTest, MismatchesNameWhatWasFound) {
  struct Case {
    const char* requirement;
    const char* id;
    const char* detail;
  };
  for (const Case& c : {
           Case{"x-ms-isolation-tee.x-ms-sevsnpvm-vmpl=00", "claim.x-ms-isolation-tee.x-ms-sevsnpvm-vmpl",
                "is \"0\", required \"00\""},
           Case{"x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable=False",
                "claim.x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable", "is \"false\", required \"False\""},
           Case{"x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable=0",
                "claim.x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable", "is \"false\", required \"0\""},
           Case{"x-ms-sevsnpvm-vmpl=1", "claim.x-ms-sevsnpvm-vmpl", "is \"0\", required \"1\""},
           Case{"x-ms-isolation-tee.missing=1", "claim.x-ms-isolation-tee.missing",
                "no claim x-ms-isolation-tee.missing"},
           Case{"x-ms-isolation-tee.x-ms-runtime.keys.0.kid=HCLAkPub",
                "claim.x-ms-isolation-tee.x-ms-runtime.keys.0.kid",
                "x-ms-isolation-tee.x-ms-runtime.keys is an array, not an object (paths walk objects only)"},
           Case{"x-ms-isolation-tee.x-ms-runtime.json.a=1", "claim.x-ms-isolation-tee.x-ms-runtime.json.a",
                "x-ms-isolation-tee.x-ms-runtime.json is a scalar, not an object (paths walk objects only)"},
           Case{"x-ms-isolation-tee.ratio=0.5", "claim.x-ms-isolation-tee.ratio",
                "the claim is a floating-point number, which never equals a required value"},
           Case{"x-ms-isolation-tee.none=null", "claim.x-ms-isolation-tee.none",
                "the claim is null, which never equals a required value"},
           Case{"x-ms-isolation-tee={}", "claim.x-ms-isolation-tee",
                "the claim is an object, which never equals a required value"},
       }) {
    const Report report = WithRequirements({c.requirement});
    EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed) << c.requirement;
    EXPECT_EQ(StatusOf(report, c.id), "fail") << c.requirement;
    EXPECT_EQ(DetailOf(report, c.id), c.detail) << c.requirement;
  }
}

TEST_F(RequireClaimTest, UnverifiedTokenSkipsNothingButFailsOverall) {
  testing::TokenBuilder b = Builder();
  MaaTokenOptions options = Options();
  options.required_claims.push_back(ParseClaimRequirement("x-ms-sevsnpvm-vmpl=0"));
  Bytes sig = testing::RsaSign(key_.get(), b.SigningInput());
  sig[5] ^= 1;
  const Report report = Run(b.BuildWithSignature(sig), options);
  EXPECT_EQ(StatusOf(report, "claim.x-ms-sevsnpvm-vmpl"), "pass");
  EXPECT_EQ(report.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_TRUE(report.facts.contains("claims_shown"));
  EXPECT_FALSE(report.facts.contains("sev_snp")) << "claims of an unverified token are not shown";
}

TEST(ClaimRequirementTest, ParsesPathAndValue) {
  const ClaimRequirement r = ParseClaimRequirement("a.b-c.d=x=y");
  EXPECT_EQ(r.path, (std::vector<std::string>{"a", "b-c", "d"}));
  EXPECT_EQ(r.value, "x=y");
  EXPECT_EQ(r.Id(), "claim.a.b-c.d");
}

TEST(ClaimRequirementTest, MalformedRequirementsAreUsageErrors) {
  for (const char* bad : {"novalue", "=x", "a..b=x", ".a=x", "a.=x", "a="}) {
    EXPECT_THROW((void)ParseClaimRequirement(bad), UsageError) << bad;
  }
}

}  // namespace
}  // namespace keyattest::maa
