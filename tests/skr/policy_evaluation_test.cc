// Key Vault comparison semantics and the explanation tree.
#include <gtest/gtest.h>

#include "keyattest/io/json_reader.h"
#include "keyattest/skr/policy_evaluation.h"

namespace keyattest::skr {
namespace {

using Json = nlohmann::ordered_json;

Json J(const char* text) { return Json(ParseStrictJson(text, 32)); }

struct EqualsCase {
  const char* token;     // JSON value in the token
  const char* expected;  // JSON value in the policy
  bool equal;
};

const EqualsCase kEquals[] = {
    {R"("sevsnpvm")", R"("sevsnpvm")", true},
    {R"("sevsnpvm")", R"("SEVSNPVM")", false},  // case matters
    {R"(true)", R"("true")", true},             // the sdk-test case of the MHSM recording
    {R"(false)", R"("false")", true},
    {R"(false)", R"(false)", true},
    {R"(true)", R"("True")", false},
    {R"(0)", R"("0")", true},
    {R"(0)", R"(0)", true},
    {R"(0)", R"("00")", false},
    {R"("0")", R"(0)", true},
    {R"(1)", R"(true)", false},  // a number never equals a boolean
    {R"(true)", R"(1)", false},
    {R"(0)", R"(false)", false},
    {R"(3.0)", R"("3.0")", false},  // floats never equal
    {R"(3.0)", R"(3.0)", false},
    {R"("3.0")", R"(3.0)", false},
    {R"("3.0")", R"("3.0")", true},
    {R"([1])", R"("[1]")", false},  // arrays never equal
    {R"({"a":1})", R"("{\"a\":1}")", false},
    {R"(null)", R"("null")", false},
    {R"(18446744073709551615)", R"("18446744073709551615")", true},
    {R"(-5)", R"("-5")", true},
};

class EqualsTest : public ::testing::TestWithParam<EqualsCase> {};

TEST_P(EqualsTest, ComparesByText) {
  const EqualsCase& c = GetParam();
  EXPECT_EQ(KeyVaultEquals(J(c.token), J(c.expected)), c.equal) << c.token << " vs " << c.expected;
}

INSTANTIATE_TEST_SUITE_P(Table, EqualsTest, ::testing::ValuesIn(kEquals));

TEST(LookupClaimTest, WalksObjectsOnly) {
  const Json claims = J(R"({"a":{"b":{"c":"x"}},"arr":[{"b":1}],"s":"{\"b\":1}","d.e":"dotted"})");
  ASSERT_NE(LookupClaim(claims, "a.b.c"), nullptr);
  EXPECT_EQ(*LookupClaim(claims, "a.b.c"), "x");
  EXPECT_EQ(LookupClaim(claims, "arr.0.b"), nullptr);  // no array indexing
  EXPECT_EQ(LookupClaim(claims, "s.b"), nullptr);      // strings holding JSON are not parsed
  EXPECT_EQ(LookupClaim(claims, "a.b.c.d"), nullptr);
  EXPECT_EQ(LookupClaim(claims, "a..b"), nullptr);
  EXPECT_EQ(LookupClaim(claims, ".a"), nullptr);
  EXPECT_EQ(LookupClaim(claims, "a."), nullptr);
  EXPECT_EQ(LookupClaim(claims, "d.e"), nullptr);  // a dot always separates
  EXPECT_EQ(LookupClaim(claims, "missing"), nullptr);
}

ReleasePolicy P(const char* text) { return ParseReleasePolicy(J(text)); }

constexpr const char* kClaims =
    R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":"azurevm","svn":5,"debug":false,
        "x-ms-isolation-tee":{"x-ms-attestation-type":"sevsnpvm","x-ms-sevsnpvm-vmpl":0}})";

TEST(EvaluateTest, AllOfNeedsEveryCondition) {
  const auto pass = EvaluatePolicy(P(R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[
          {"claim":"x-ms-isolation-tee.x-ms-attestation-type","equals":"sevsnpvm"},
          {"claim":"x-ms-isolation-tee.x-ms-sevsnpvm-vmpl","equals":"0"},{"claim":"debug","equals":"false"}]}]})"),
                                   J(kClaims));
  EXPECT_TRUE(pass.authority_matched);
  EXPECT_TRUE(pass.released);
  EXPECT_TRUE(pass.failures.empty());
  const auto fail = EvaluatePolicy(P(R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[
          {"claim":"x-ms-isolation-tee.x-ms-attestation-type","equals":"sevsnpvm"},
          {"claim":"x-ms-attestation-type","equals":"sevsnpvm"}]}]})"),
                                   J(kClaims));
  EXPECT_FALSE(fail.released);
  ASSERT_EQ(fail.failures.size(), 1u);
  EXPECT_EQ(fail.failures[0], "1.2 x-ms-attestation-type equals 'sevsnpvm' (token: 'azurevm')");
}

TEST(EvaluateTest, MissingClaimIsFalseAndNamed) {
  const auto r = EvaluatePolicy(P(R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[
          {"claim":"x-ms-compliance-status","equals":"azure-compliant-cvm"}]}]})"),
                                J(kClaims));
  EXPECT_FALSE(r.released);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0], "1.1 x-ms-compliance-status equals 'azure-compliant-cvm' (token: missing): claim missing");
  EXPECT_EQ(r.tree["statements"][0]["group"]["allOf"][0]["found"], false);
  EXPECT_TRUE(r.tree["statements"][0]["group"]["allOf"][0]["token"].is_null());
}

TEST(EvaluateTest, NestedAnyOfAllOf) {
  const char* policy = R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[
      {"claim":"x-ms-attestation-type","equals":"azurevm"},
      {"anyOf":[{"claim":"svn","equals":"4"},{"allOf":[{"claim":"svn","equals":5},{"claim":"debug","equals":false}]}]}]}]})";
  const auto r = EvaluatePolicy(P(policy), J(kClaims));
  EXPECT_TRUE(r.released);
  ASSERT_GE(r.lines.size(), 7u);
  EXPECT_EQ(r.lines[0], "[PASS] key released: anyOf over 1 statement(s), token iss 'https://a.attest.azure.net'");
  EXPECT_EQ(r.lines[1], "  [PASS] statement 1: authority 'https://a.attest.azure.net' is the token's issuer");
  EXPECT_EQ(r.lines[2], "    [PASS] 1 allOf (2 of 2 hold)");
  EXPECT_EQ(r.lines[3], "      [PASS] 1.1 x-ms-attestation-type equals 'azurevm' (token: 'azurevm')");
  EXPECT_EQ(r.lines[4], "      [PASS] 1.2 anyOf (1 of 2 hold)");
  EXPECT_EQ(r.lines[5], "        [FAIL] 1.2.1 svn equals '4' (token: 5)");
  EXPECT_EQ(r.lines[6], "        [PASS] 1.2.2 allOf (2 of 2 hold)");
  const auto twin = EvaluatePolicy(P(policy), J(R"({"iss":"https://a.attest.azure.net","x-ms-attestation-type":
                                                 "azurevm","svn":5,"debug":true})"));
  EXPECT_FALSE(twin.released);
}

TEST(EvaluateTest, AuthorityMustEqualIssExactly) {
  for (const char* authority : {"https://a.attest.azure.net/", "https://A.attest.azure.net", "a.attest.azure.net"}) {
    const std::string policy = std::string(R"({"version":"1.0.0","anyOf":[{"authority":")") + authority +
                               R"(","allOf":[{"claim":"svn","equals":5}]}]})";
    const auto r = EvaluatePolicy(ParseReleasePolicy(J(policy.c_str())), J(kClaims));
    EXPECT_FALSE(r.authority_matched) << authority;
    EXPECT_FALSE(r.released) << authority;
    EXPECT_EQ(r.tree["statements"][0]["outcome"], "not applicable");
  }
  const auto twin = EvaluatePolicy(
      P(R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[{"claim":"svn","equals":5}]}]})"),
      J(kClaims));
  EXPECT_TRUE(twin.released);
}

TEST(EvaluateTest, NoIssuerMatchesNothing) {
  const auto r = EvaluatePolicy(
      P(R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"svn","equals":5}]}]})"),
      J(R"({"svn":5})"));
  EXPECT_FALSE(r.authority_matched);
}

TEST(EvaluateTest, SecondStatementCanRelease) {
  const auto r = EvaluatePolicy(P(R"({"version":"1.0.0","anyOf":[
      {"authority":"https://a.attest.azure.net","allOf":[{"claim":"svn","equals":6}]},
      {"authority":"https://a.attest.azure.net","allOf":[{"claim":"svn","equals":5}]}]})"),
                                J(kClaims));
  EXPECT_TRUE(r.released);
  EXPECT_EQ(r.tree["statements"][0]["outcome"], "fail");
  EXPECT_EQ(r.tree["statements"][1]["outcome"], "pass");
}

struct OperatorCase {
  const char* condition;
  bool holds;
};

const OperatorCase kOperators[] = {
    {R"({"claim":"svn","notEquals":"4"})", true},
    {R"({"claim":"svn","notEquals":5})", false},
    {R"({"claim":"missing","notEquals":5})", false},  // missing is false for every operator but exists
    {R"({"claim":"svn","greater":4})", true},
    {R"({"claim":"svn","greater":5})", false},
    {R"({"claim":"svn","greaterOrEquals":"5"})", true},
    {R"({"claim":"svn","less":6})", true},
    {R"({"claim":"svn","lessOrEquals":4})", false},
    {R"({"claim":"x-ms-attestation-type","greater":1})", false},  // not integers
    {R"({"claim":"svn","less":5.5})", false},                     // floats never compare
    {R"({"claim":"svn","exists":true})", true},
    {R"({"claim":"missing","exists":true})", false},
    {R"({"claim":"missing","exists":false})", true},
    {R"({"claim":"svn","exists":false})", false},
};

class OperatorTest : public ::testing::TestWithParam<OperatorCase> {};

TEST_P(OperatorTest, EvaluatedAndMarkedUnsupported) {
  const std::string policy =
      std::string(R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[)") +
      GetParam().condition + "]}]}";
  const auto r = EvaluatePolicy(ParseReleasePolicy(J(policy.c_str())), J(kClaims));
  EXPECT_EQ(r.released, GetParam().holds) << GetParam().condition;
  ASSERT_EQ(r.unsupported.size(), 1u);
  EXPECT_NE(r.lines.back().find("[operator not supported by Key Vault]"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Table, OperatorTest, ::testing::ValuesIn(kOperators));

}  // namespace
}  // namespace keyattest::skr
