// The `release-policy` verifier: loads a release policy in any accepted
// form, applies the grammar, lints it, checks its host data against a
// security policy, and evaluates it over verified token claims
// (docs/skr.md).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "keyattest/core/check_time.h"
#include "keyattest/report/report.h"
#include "keyattest/skr/release_policy.h"

namespace keyattest::skr {

inline constexpr const char* kReleasePolicyKind = "release-policy";

struct SecurityPolicyInput {
  std::string text;     // the Rego text, or the ccePolicy base64
  bool base64 = false;  // true for the ARM template's ccePolicy
  std::string source;   // path as given
};

/// An MAA token to verify (docs/maa.md) before its claims are used.
struct TokenInput {
  std::string token_text;  // compact JWT or {"token": "..."}
  std::string jwks_text;   // GET <issuer>/certs body
  std::string issuer;      // expected iss, exact
  std::string source;      // path as given
  CheckTime time;          // at and skew for token.time
};

struct ReleasePolicyRequest {
  std::string policy_text;
  std::string policy_source;
  std::optional<SecurityPolicyInput> security_policy;
  std::optional<TokenInput> token;
  CheckTime check_time;
};

/// The whole `release-policy` report: with a token, every token.* check of
/// the maa verifier first (same report); then the checks of
/// VerifyReleasePolicyInto, evaluating only the claims of a token that
/// verified (policy.authority and policy.evaluation are skipped otherwise).
/// Throws UsageError for an empty issuer.
Report VerifyReleasePolicy(const ReleasePolicyRequest& request);

/// Verifies `token` into `report` (token.*, jwks.key, signing_key.size) and
/// returns its claims only when it verified; adds a "token" fact.
std::optional<nlohmann::ordered_json> VerifyTokenInto(const TokenInput& token, Report& report);

/// Checks, in order: policy.format and policy.grammar (exit 3 when they
/// fail), the lint.* advice, policy.hostdata (with a security policy), and
/// with `verified_claims` (the claims of a token whose token.* checks all
/// passed; nullptr without a token) policy.authority and policy.evaluation.
/// `report` may already hold the token's checks; this appends to it.
void VerifyReleasePolicyInto(const ReleasePolicyRequest& request, const nlohmann::ordered_json* verified_claims,
                             Report& report);

/// The explanation facts and the two policy checks for verified claims;
/// shared with release-response (which names its own checks). Returns true
/// when the key would be released.
bool EvaluateIntoReport(const ReleasePolicy& policy, const nlohmann::ordered_json& claims,
                        const CheckDefinition& authority_check, const CheckDefinition& evaluation_check,
                        nlohmann::ordered_json& facts, Report& report);

}  // namespace keyattest::skr
