// Orchestration of `release-policy` (docs/skr.md "release-policy").
#include "keyattest/skr/release_policy_verifier.h"

#include "keyattest/core/bytes.h"
#include "keyattest/maa/maa_token.h"
#include "keyattest/skr/policy_evaluation.h"
#include "keyattest/skr/policy_lint.h"
#include "keyattest/skr/skr_checks.h"

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

std::string JoinFirst(const std::vector<std::string>& items, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) out += (i == 0 ? "" : "; ") + items[i];
  if (items.size() > limit) out += "; and " + std::to_string(items.size() - limit) + " more";
  return out;
}

std::optional<ReleasePolicy> LoadAndParse(const ReleasePolicyRequest& request, Report& report) {
  PolicyInput input;
  try {
    input = LoadPolicyInput(request.policy_text);
  } catch (const PolicyFormatError& e) {
    report.FailMalformed(kPolicyFormat, e.what());
    return std::nullopt;
  }
  report.Pass(kPolicyFormat, PolicyInputFormName(input.form));
  Json& facts = report.facts["policy"];
  facts["source"] = request.policy_source;
  facts["form"] = PolicyInputFormName(input.form);
  if (input.content_type) facts["contentType"] = *input.content_type;
  if (input.immutable) facts["immutable"] = *input.immutable;
  if (input.form != PolicyInputForm::kPolicy) facts["decoded"] = input.policy;
  ReleasePolicy policy;
  try {
    policy = ParseReleasePolicy(input.policy);
  } catch (const PolicyGrammarError& e) {
    report.FailMalformed(kPolicyGrammar, e.what());
    return std::nullopt;
  }
  facts["version"] = policy.version;
  facts["statements"] = policy.statements.size();
  facts["conditions"] = AllConditions(policy).size();
  if (policy.legacy_version()) {
    report.Warn(kPolicyGrammar, "version 0.2 is the legacy grammar; Key Vault stores policies as 1.0.0");
  } else {
    report.Pass(kPolicyGrammar, "version " + policy.version + ", " + std::to_string(policy.statements.size()) +
                                    " authority statement(s)");
  }
  return policy;
}

void CheckSecurityPolicy(const ReleasePolicy& policy, const SecurityPolicyInput& input, Report& report) {
  Bytes rego;
  if (input.base64) {
    try {
      rego = DecodeCcePolicy(input.text);
    } catch (const PolicyFormatError& e) {
      report.FailMalformed(kPolicyHostData, input.source + ": " + e.what());
      return;
    }
  } else {
    rego.assign(input.text.begin(), input.text.end());
  }
  Json& facts = report.facts["security_policy"];
  facts["source"] = input.source;
  facts["form"] = input.base64 ? "ccePolicy (base64)" : "Rego text";
  facts["bytes"] = rego.size();
  facts["sha256"] = HexEncode(Sha256(rego));
  CheckHostData(policy, rego, input.source, report);
}

}  // namespace

bool EvaluateIntoReport(const ReleasePolicy& policy, const Json& claims, const CheckDefinition& authority_check,
                        const CheckDefinition& evaluation_check, Json& facts, Report& report) {
  PolicyEvaluation evaluation = EvaluatePolicy(policy, claims);
  facts["evaluation"] = evaluation.tree;
  facts["explanation"] = evaluation.lines;
  if (!evaluation.authority_matched) {
    std::string authorities;
    for (const auto& s : policy.statements) authorities += (authorities.empty() ? "'" : ", '") + s.authority + "'";
    report.Fail(authority_check, "no statement's authority is the token's iss '" + evaluation.issuer +
                                     "' (exact match); the policy names " + authorities);
    report.Skip(evaluation_check, "no statement applies to this token's issuer");
    return false;
  }
  report.Pass(authority_check, "a statement's authority is the token's iss '" + evaluation.issuer + "'");
  const std::string unsupported =
      evaluation.unsupported.empty()
          ? ""
          : " (conditions " + JoinFirst(evaluation.unsupported, 8) + " use operators Key Vault does not support)";
  if (evaluation.released) {
    if (unsupported.empty()) {
      report.Pass(evaluation_check, "the policy holds: the key would be released");
    } else {
      report.Warn(evaluation_check, "the policy holds" + unsupported);
    }
    return true;
  }
  report.Fail(evaluation_check, "no applicable statement holds: " + JoinFirst(evaluation.failures, 3) + unsupported);
  return false;
}

std::optional<Json> VerifyTokenInto(const TokenInput& token, Report& report) {
  maa::MaaTokenOptions options;
  options.issuer = token.issuer;
  options.time = token.time;
  maa::MaaTokenResult result = maa::VerifyMaaToken(token.token_text, token.jwks_text, options, report);
  Json& facts = report.facts["token"];
  facts["source"] = token.source;
  facts["issuer"] = token.issuer;
  facts["checked_at"] = token.time.Rfc3339();
  facts["verified"] = result.verified;
  if (!result.verified) return std::nullopt;
  for (const char* name : {"x-ms-attestation-type", "x-ms-compliance-status"}) {
    if (const auto it = result.claims.find(name); it != result.claims.end()) facts[name] = *it;
  }
  return std::move(result.claims);
}

Report VerifyReleasePolicy(const ReleasePolicyRequest& request) {
  Report report;
  report.kind = kReleasePolicyKind;
  report.source = request.policy_source;
  if (!request.token) {
    VerifyReleasePolicyInto(request, nullptr, report);
    return report;
  }
  const std::optional<Json> claims = VerifyTokenInto(*request.token, report);
  VerifyReleasePolicyInto(request, claims ? &*claims : nullptr, report);
  if (!claims) {
    report.verified_meaning = "the token verified and the policy releases the key to it";
    report.Skip(kPolicyAuthority, "the token did not verify: its claims are not evaluated");
    if (report.verdict() == Verdict::kVerified) {
      // Fail closed even if the token checks left no failure behind.
      report.Fail(kPolicyEvaluation, "the token did not verify: its claims are not evaluated");
    } else {
      report.Skip(kPolicyEvaluation, "the token did not verify: its claims are not evaluated");
    }
  }
  return report;
}

void VerifyReleasePolicyInto(const ReleasePolicyRequest& request, const Json* verified_claims, Report& report) {
  report.kind = kReleasePolicyKind;
  if (report.source.empty()) report.source = request.policy_source;
  report.checked_at = request.check_time.Rfc3339();
  const std::optional<ReleasePolicy> policy = LoadAndParse(request, report);
  if (!policy) return;
  LintPolicy(*policy, verified_claims, report);
  if (request.security_policy) CheckSecurityPolicy(*policy, *request.security_policy, report);
  if (verified_claims == nullptr) {
    report.verified_meaning = "the policy is well-formed (lint findings are warnings)";
    return;
  }
  report.verified_meaning = "the token verified and the policy releases the key to it";
  EvaluateIntoReport(*policy, *verified_claims, kPolicyAuthority, kPolicyEvaluation, report.facts, report);
}

}  // namespace keyattest::skr
