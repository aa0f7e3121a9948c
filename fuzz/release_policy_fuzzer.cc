// Fuzz target: the release-policy reader (LoadPolicyInput in every input
// form, ParseReleasePolicy), its evaluation over a fixed claims set, the
// lint, and the whole release-policy report.
//
// Properties (release_policy.h, policy_evaluation.h): loading throws only
// PolicyFormatError and the grammar only PolicyGrammarError, each with a
// message; an accepted policy has a known version, at least one statement,
// non-empty groups and non-empty claim names; evaluation never throws,
// explains every statement, and never releases without a statement for the
// token's issuer; the report's exit code is 0, 1 or 3 and agrees with its
// checks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_common.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/skr/policy_evaluation.h"
#include "keyattest/skr/policy_lint.h"
#include "keyattest/skr/release_policy.h"
#include "keyattest/skr/release_policy_verifier.h"

namespace keyattest::fuzz {
namespace {

using Json = nlohmann::ordered_json;

const Json& Claims() {
  static const Json claims = Json(ParseStrictJson(
      R"({"iss":"https://sharedweu.weu.attest.azure.net","x-ms-attestation-type":"azurevm","secureboot":true,
          "x-ms-azurevm-vmid":"5ECB52AB-E7A5-489D-B075-B2D0471B60BD","svn":3,"f":1.5,"arr":[1],
          "x-ms-isolation-tee":{"x-ms-attestation-type":"sevsnpvm","x-ms-sevsnpvm-vmpl":0,
          "x-ms-sevsnpvm-is-debuggable":false,"x-ms-compliance-status":"azure-compliant-cvm"}})",
      8));
  return claims;
}

void CheckGroup(const skr::Group& group) {
  KEYATTEST_FUZZ_CHECK(!group.members.empty(), "an accepted group is empty");
  for (const auto& member : group.members) {
    KEYATTEST_FUZZ_CHECK(member.condition.has_value() != (member.group != nullptr), "member is neither or both");
    if (member.condition) {
      KEYATTEST_FUZZ_CHECK(!member.condition->claim.empty(), "accepted an empty claim name");
      const Json& v = member.condition->expected;
      KEYATTEST_FUZZ_CHECK(v.is_string() || v.is_boolean() || v.is_number(), "accepted a non-scalar value");
    } else {
      CheckGroup(*member.group);
    }
  }
}

void Run(std::string_view text) {
  skr::PolicyInput input;
  try {
    input = skr::LoadPolicyInput(text);
  } catch (const skr::PolicyFormatError& e) {
    KEYATTEST_FUZZ_CHECK(std::string_view(e.what()).size() > 0, "format error without a message");
    return;
  } catch (...) {
    UnexpectedException("LoadPolicyInput");
  }
  skr::ReleasePolicy policy;
  try {
    policy = skr::ParseReleasePolicy(input.policy);
  } catch (const skr::PolicyGrammarError& e) {
    KEYATTEST_FUZZ_CHECK(std::string_view(e.what()).substr(0, 1) == "/", "grammar error without a JSON path");
    return;
  } catch (...) {
    UnexpectedException("ParseReleasePolicy");
  }
  KEYATTEST_FUZZ_CHECK(policy.version == "1.0.0" || policy.version == "1.0" || policy.version == "0.2",
                       "accepted version " + policy.version);
  KEYATTEST_FUZZ_CHECK(!policy.statements.empty(), "accepted a policy without statements");
  for (const auto& statement : policy.statements) {
    KEYATTEST_FUZZ_CHECK(!statement.authority.empty(), "accepted an empty authority");
    CheckGroup(statement.group);
  }
  try {
    const skr::PolicyEvaluation evaluation = skr::EvaluatePolicy(policy, Claims());
    KEYATTEST_FUZZ_CHECK(evaluation.tree["statements"].size() == policy.statements.size(),
                         "a statement is missing from the explanation");
    KEYATTEST_FUZZ_CHECK(!evaluation.released || evaluation.authority_matched,
                         "released without a statement for the token's issuer");
    Report lint;
    skr::LintPolicy(policy, &Claims(), lint);
    for (const auto& c : lint.checks)
      KEYATTEST_FUZZ_CHECK(c.status != CheckStatus::kFail, "lint failed: " + std::string(c.id.view()));
  } catch (...) {
    UnexpectedException("EvaluatePolicy/LintPolicy");
  }
}

void RunReport(std::string_view text) {
  try {
    skr::ReleasePolicyRequest request;
    request.policy_text = std::string(text);
    request.policy_source = "fuzz";
    Report report;
    skr::VerifyReleasePolicyInto(request, &Claims(), report);
    const ExitCode code = report.exit_code();
    KEYATTEST_FUZZ_CHECK(
        code == ExitCode::kVerified || code == ExitCode::kVerificationFailed || code == ExitCode::kUnreadable,
        "unexpected exit code");
    KEYATTEST_FUZZ_CHECK(!report.checks.empty(), "a report without checks");
    if (code == ExitCode::kVerified) {
      const CheckResult* evaluation = report.Find("policy.evaluation");
      KEYATTEST_FUZZ_CHECK(evaluation != nullptr && evaluation->status != CheckStatus::kFail,
                           "verified without a passing evaluation");
    }
  } catch (...) {
    UnexpectedException("VerifyReleasePolicyInto");
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  keyattest::fuzz::Run(text);
  keyattest::fuzz::RunReport(text);
  return 0;
}
