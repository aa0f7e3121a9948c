// Policy input forms, lint (each finding next to its clean twin), the
// host-data digest, and the release-policy report.
#include <gtest/gtest.h>

#include "keyattest/core/bytes.h"
#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/skr/policy_lint.h"
#include "keyattest/skr/release_policy_verifier.h"

namespace keyattest::skr {
namespace {

using Json = nlohmann::ordered_json;

Json J(const std::string& text) { return Json(ParseStrictJson(text, 32)); }

constexpr const char* kPolicy =
    R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[{"claim":"c","equals":"v"}]}]})";

std::string B64(const std::string& text) {
  return EncodeBase64Url(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

TEST(PolicyInputTest, PolicyItself) {
  const PolicyInput in = LoadPolicyInput(kPolicy);
  EXPECT_EQ(in.form, PolicyInputForm::kPolicy);
  EXPECT_EQ(in.policy, J(kPolicy));
}

TEST(PolicyInputTest, ReleasePolicyObject) {
  const PolicyInput in = LoadPolicyInput(R"({"contentType":"application/json; charset=utf-8","data":")" + B64(kPolicy) +
                                         R"(","immutable":true})");
  EXPECT_EQ(in.form, PolicyInputForm::kReleasePolicyObject);
  EXPECT_EQ(in.policy, J(kPolicy));
  EXPECT_EQ(*in.content_type, "application/json; charset=utf-8");
  EXPECT_TRUE(*in.immutable);
}

TEST(PolicyInputTest, KeyBundle) {
  const PolicyInput in = LoadPolicyInput(
      R"({"key":{"kid":"https://v/keys/k/1"},"attributes":{},"release_policy":{"data":")" + B64(kPolicy) + R"("}})");
  EXPECT_EQ(in.form, PolicyInputForm::kKeyBundle);
  EXPECT_EQ(in.policy, J(kPolicy));
}

TEST(PolicyInputTest, ImportKeyConfigBecomesAnyOfOfAllOf) {
  const PolicyInput in = LoadPolicyInput(
      R"({"key":{"kid":"k","authority":{"endpoint":"sharedneu.neu.attest.azure.net"}},
          "claims":[[{"claim":"a","equals":"1"}],[{"claim":"b","equals":"2"},{"claim":"c","equals":"3"}]]})");
  EXPECT_EQ(in.form, PolicyInputForm::kImportKeyConfig);
  EXPECT_EQ(nlohmann::json(in.policy), nlohmann::json(J(R"({"version":"1.0.0","anyOf":[
      {"authority":"https://sharedneu.neu.attest.azure.net","allOf":[{"claim":"a","equals":"1"}]},
      {"authority":"https://sharedneu.neu.attest.azure.net","allOf":[{"claim":"b","equals":"2"},{"claim":"c","equals":"3"}]}]})")));
}

struct BadInput {
  const char* text;
  const char* message;
};

TEST(PolicyInputTest, MalformedInputsNameTheProblem) {
  const BadInput cases[] = {
      {"", "the policy input is not valid JSON: "},
      {R"({"a":1,"a":2})", "the policy input is not valid JSON: "},
      {R"([1])", "the policy input must be a JSON object"},
      {R"({"data":"@@@"})", "release_policy: \"data\" is not base64url: "},
      {R"({"data":1})", "release_policy: \"data\" (base64url policy JSON) must be a string"},
      {R"({"data":"e30","extra":1})", "release_policy: unknown member \"extra\""},
      {R"({"data":"bm90IGpzb24"})", "release_policy data is not valid JSON: "},
      {R"({"data":"e30","immutable":"yes"})", "release_policy: \"immutable\" must be a boolean"},
      {R"({"release_policy":"x"})", "release_policy must be an object"},
      {R"({"claims":[[]]})", "importkeyconfig: key.authority.endpoint must be a non-empty string"},
      {R"({"key":{"authority":{"endpoint":"x"}},"claims":{}})",
       "importkeyconfig: \"claims\" must be an array of arrays"},
      {R"({"key":{"authority":{"endpoint":"x"}},"claims":[{}]})",
       "importkeyconfig: claims[0] must be an array of conditions"},
  };
  for (const auto& c : cases) {
    try {
      LoadPolicyInput(c.text);
      ADD_FAILURE() << "accepted " << c.text;
    } catch (const PolicyFormatError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(c.message, 0), 0u) << e.what();
    }
  }
}

const CheckResult& Check(const Report& r, const char* id) {
  const CheckResult* c = r.Find(id);
  if (c == nullptr) throw std::runtime_error(std::string("no check ") + id);
  return *c;
}

Report Lint(const std::string& policy, const Json* claims = nullptr) {
  Report r;
  LintPolicy(ParseReleasePolicy(J(policy)), claims, r);
  return r;
}

std::string Statement(const std::string& authority, const std::string& conditions) {
  return R"({"version":"1.0.0","anyOf":[{"authority":")" + authority + R"(","allOf":[)" + conditions + "]}]}";
}

constexpr const char* kSnpGood =
    R"({"claim":"x-ms-sevsnpvm-hostdata","equals":"00"},{"claim":"x-ms-sevsnpvm-vmpl","equals":"0"},)"
    R"({"claim":"x-ms-sevsnpvm-is-debuggable","equals":"false"})";

TEST(LintTest, CleanSnpPolicyPassesEveryLint) {
  const Report r = Lint(Statement("https://a.attest.azure.net", kSnpGood));
  for (const auto& c : r.checks) EXPECT_EQ(c.status, CheckStatus::kPass) << c.id << ": " << c.detail;
  EXPECT_EQ(r.checks.size(), 6u);
}

TEST(LintTest, AuthorityWithoutHttpsOrWithPath) {
  EXPECT_EQ(Check(Lint(Statement("a.attest.azure.net", kSnpGood)), "lint.authority").status, CheckStatus::kWarn);
  EXPECT_EQ(Check(Lint(Statement("http://a.attest.azure.net", kSnpGood)), "lint.authority").status, CheckStatus::kWarn);
  const Report slash = Lint(Statement("https://a.attest.azure.net/", kSnpGood));
  EXPECT_EQ(Check(slash, "lint.authority").detail,
            "statement 1 'https://a.attest.azure.net/' is not https://<host> alone (MAA's iss has no path, port or "
            "trailing '/', and Key Vault compares it exactly)");
  EXPECT_EQ(Check(Lint(Statement("https://a.attest.azure.net", kSnpGood)), "lint.authority").status,
            CheckStatus::kPass);
}

TEST(LintTest, FlatSnpClaimsInCvmPolicy) {
  const std::string cvm =
      Statement("https://a", R"({"claim":"x-ms-attestation-type","equals":"azurevm"},)" + std::string(kSnpGood));
  EXPECT_EQ(Check(Lint(cvm), "lint.snp_claim_paths").status, CheckStatus::kWarn);
  // The ACI shape (flat claims, azure-compliant-uvm) is right for container tokens.
  const std::string aci = Statement(
      "https://a", R"({"claim":"x-ms-compliance-status","equals":"azure-compliant-uvm"},)" + std::string(kSnpGood));
  EXPECT_EQ(Check(Lint(aci), "lint.snp_claim_paths").status, CheckStatus::kPass);
  // ... but not for a CVM token.
  const Json cvm_token = J(R"({"x-ms-attestation-type":"azurevm"})");
  const Report with_token = Lint(aci, &cvm_token);
  EXPECT_EQ(Check(with_token, "lint.snp_claim_paths").status, CheckStatus::kWarn);
  EXPECT_NE(Check(with_token, "lint.snp_claim_paths").detail.find("this token is a CVM token"), std::string::npos);
}

TEST(LintTest, SnpPolicyWithoutVmpl) {
  const Report r =
      Lint(Statement("https://a", R"({"claim":"x-ms-isolation-tee.x-ms-attestation-type","equals":"sevsnpvm"},)"
                                  R"({"claim":"x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable","equals":false})"));
  EXPECT_EQ(Check(r, "lint.vmpl").status, CheckStatus::kWarn);
  EXPECT_EQ(Check(r, "lint.debuggable").status, CheckStatus::kPass);
  const Report twin =
      Lint(Statement("https://a", R"({"claim":"x-ms-isolation-tee.x-ms-attestation-type","equals":"sevsnpvm"},)"
                                  R"({"claim":"x-ms-isolation-tee.x-ms-sevsnpvm-is-debuggable","equals":false},)"
                                  R"({"claim":"x-ms-isolation-tee.x-ms-sevsnpvm-vmpl","equals":0})"));
  EXPECT_EQ(Check(twin, "lint.vmpl").status, CheckStatus::kPass);
  // A vmpl condition inside an anyOf is not required, so it does not count.
  const Report optional =
      Lint(Statement("https://a", R"({"claim":"x-ms-sevsnpvm-is-debuggable","equals":false},)"
                                  R"({"anyOf":[{"claim":"x-ms-sevsnpvm-vmpl","equals":0},{"claim":"c","equals":1}]})"));
  EXPECT_EQ(Check(optional, "lint.vmpl").status, CheckStatus::kWarn);
  EXPECT_EQ(Check(Lint(Statement("https://a", R"({"claim":"c","equals":1})")), "lint.vmpl").status, CheckStatus::kSkip);
}

TEST(LintTest, DebuggableNotPinnedToFalse) {
  const Report missing = Lint(Statement("https://a", R"({"claim":"x-ms-sgx-mrsigner","equals":"ab"})"));
  EXPECT_EQ(Check(missing, "lint.debuggable").status, CheckStatus::kWarn);
  const Report pinned_true = Lint(Statement(
      "https://a", R"({"claim":"x-ms-sgx-mrsigner","equals":"ab"},{"claim":"x-ms-sgx-is-debuggable","equals":true})"));
  EXPECT_EQ(Check(pinned_true, "lint.debuggable").detail,
            "statement 1 has 'x-ms-sgx-is-debuggable' equals true, not equals false: a debuggable TEE's memory is open "
            "to the host");
  const Report twin = Lint(Statement(
      "https://a", R"({"claim":"x-ms-sgx-mrsigner","equals":"ab"},{"claim":"x-ms-sgx-is-debuggable","equals":false})"));
  EXPECT_EQ(Check(twin, "lint.debuggable").status, CheckStatus::kPass);
}

TEST(LintTest, OperatorsAndPlaceholders) {
  const Report r = Lint(
      Statement("https://<maa-endpoint>", R"({"claim":"svn","greaterOrEquals":2},{"claim":"h","equals":"<digest>"})"));
  EXPECT_EQ(Check(r, "lint.operators").detail,
            "Key Vault documents only equals; evaluated here anyway: 1.1 svn greaterOrEquals");
  EXPECT_EQ(Check(r, "lint.placeholders").detail,
            "template values never match a token: 1.2 h = '<digest>'; statement 1 authority 'https://<maa-endpoint>'");
  const Report twin = Lint(Statement("https://a", R"({"claim":"svn","equals":2},{"claim":"h","equals":"ab"})"));
  EXPECT_EQ(Check(twin, "lint.operators").status, CheckStatus::kPass);
  EXPECT_EQ(Check(twin, "lint.placeholders").status, CheckStatus::kPass);
}

Bytes B(const std::string& text) { return Bytes(text.begin(), text.end()); }

TEST(HostDataTest, DigestOfThePolicyText) {
  const std::string rego = "package policy\n";
  const std::string digest = HexEncode(Sha256(B(rego)));
  Report ok;
  CheckHostData(
      ParseReleasePolicy(J(Statement("https://a", R"({"claim":"x-ms-sevsnpvm-hostdata","equals":")" + digest + "\"}"))),
      B(rego), "p.rego", ok);
  EXPECT_EQ(Check(ok, "policy.hostdata").status, CheckStatus::kPass);
  Report nested;
  CheckHostData(
      ParseReleasePolicy(J(Statement(
          "https://a", R"({"claim":"x-ms-isolation-tee.x-ms-sevsnpvm-hostdata","equals":")" + digest + "\"}"))),
      B(rego), "p.rego", nested);
  EXPECT_EQ(Check(nested, "policy.hostdata").status, CheckStatus::kPass);
  Report other;
  CheckHostData(
      ParseReleasePolicy(J(Statement("https://a", R"({"claim":"x-ms-sevsnpvm-hostdata","equals":")" + digest + "\"}"))),
      B(rego + "\n"), "p.rego", other);
  EXPECT_EQ(Check(other, "policy.hostdata").status, CheckStatus::kFail);
  std::string upper = digest;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  Report upper_case;
  CheckHostData(
      ParseReleasePolicy(J(Statement("https://a", R"({"claim":"x-ms-sevsnpvm-hostdata","equals":")" + upper + "\"}"))),
      B(rego), "p.rego", upper_case);
  EXPECT_NE(Check(upper_case, "policy.hostdata").detail.find("upper case"), std::string::npos);
  Report none;
  CheckHostData(ParseReleasePolicy(J(Statement("https://a", R"({"claim":"c","equals":"1"})"))), B(rego), "p.rego",
                none);
  EXPECT_EQ(Check(none, "policy.hostdata").detail,
            "no x-ms-sevsnpvm-hostdata equals condition; SHA-256 of p.rego is " + digest);
}

TEST(HostDataTest, CcePolicyIsStandardBase64) {
  EXPECT_EQ(DecodeCcePolicy("cGFja2FnZQ==\n"), B("package"));
  EXPECT_THROW(DecodeCcePolicy("cGFja2FnZQ=\n"), PolicyFormatError);
  EXPECT_THROW(DecodeCcePolicy("-_-_"), PolicyFormatError);
}

ReleasePolicyRequest Request(const std::string& policy) {
  ReleasePolicyRequest request;
  request.policy_text = policy;
  request.policy_source = "p.json";
  return request;
}

TEST(ReleasePolicyReportTest, MalformedPolicyExitsThree) {
  Report r;
  VerifyReleasePolicyInto(Request(R"({"version":"9","anyOf":[]})"), nullptr, r);
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(*r.input_error,
            "policy.grammar: /version: \"9\" is not a release policy version (1.0.0, 1.0, or legacy 0.2)");
  Report bad_json;
  VerifyReleasePolicyInto(Request("{"), nullptr, bad_json);
  EXPECT_EQ(bad_json.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(bad_json.checks.front().id, "policy.format");
}

TEST(ReleasePolicyReportTest, WellFormedWithoutTokenExitsZero) {
  Report r;
  VerifyReleasePolicyInto(Request(kPolicy), nullptr, r);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(r.kind, "release-policy");
  EXPECT_EQ(r.Find("policy.evaluation"), nullptr);
}

TEST(ReleasePolicyReportTest, LegacyVersionWarns) {
  Report r;
  VerifyReleasePolicyInto(
      Request(R"({"version":"0.2","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})"), nullptr,
      r);
  EXPECT_EQ(Check(r, "policy.grammar").status, CheckStatus::kWarn);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
}

TEST(ReleasePolicyReportTest, EvaluatesVerifiedClaims) {
  const Json claims = J(R"({"iss":"https://a.attest.azure.net","c":"v"})");
  Report pass;
  VerifyReleasePolicyInto(Request(kPolicy), &claims, pass);
  EXPECT_EQ(pass.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(Check(pass, "policy.evaluation").status, CheckStatus::kPass);
  EXPECT_TRUE(pass.facts["evaluation"]["released"].get<bool>());
  EXPECT_EQ(pass.facts["explanation"][3], "      [PASS] 1.1 c equals 'v' (token: 'v')");

  const Json other = J(R"({"iss":"https://a.attest.azure.net","c":"w"})");
  Report fail;
  VerifyReleasePolicyInto(Request(kPolicy), &other, fail);
  EXPECT_EQ(fail.exit_code(), ExitCode::kVerificationFailed);
  EXPECT_EQ(Check(fail, "policy.evaluation").detail, "no applicable statement holds: 1.1 c equals 'v' (token: 'w')");

  const Json foreign = J(R"({"iss":"https://b.attest.azure.net","c":"v"})");
  Report authority;
  VerifyReleasePolicyInto(Request(kPolicy), &foreign, authority);
  EXPECT_EQ(Check(authority, "policy.authority").status, CheckStatus::kFail);
  EXPECT_EQ(Check(authority, "policy.evaluation").status, CheckStatus::kSkip);
}

TEST(ReleasePolicyReportTest, UnsupportedOperatorThatHoldsWarns) {
  const Json claims = J(R"({"iss":"https://a","svn":3})");
  Report r;
  VerifyReleasePolicyInto(
      Request(R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"svn","greater":2}]}]})"),
      &claims, r);
  EXPECT_EQ(Check(r, "policy.evaluation").status, CheckStatus::kWarn);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
}

TEST(ReleasePolicyReportTest, BadCcePolicyIsMalformed) {
  ReleasePolicyRequest request = Request(kPolicy);
  request.security_policy = SecurityPolicyInput{"not base64!", true, "cce.b64"};
  Report r;
  VerifyReleasePolicyInto(request, nullptr, r);
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(r.input_error->rfind("policy.hostdata: cce.b64: ccePolicy is not base64", 0), 0u);
}

}  // namespace
}  // namespace keyattest::skr
