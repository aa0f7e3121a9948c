// Evaluates a release policy over a token's claims as Key Vault does
// (docs/skr.md "Evaluation"), and explains every statement and condition.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/skr/release_policy.h"

namespace keyattest::skr {

/// The text Key Vault compares a scalar by: a string as it is, a boolean as
/// "true"/"false", an integer in decimal. Floats, arrays, objects and null
/// have none (they never equal anything).
std::optional<std::string> ComparableText(const nlohmann::ordered_json& value);

/// Key Vault's `equals`: both sides have a comparable text and the texts are
/// equal, except that a number never equals a boolean.
bool KeyVaultEquals(const nlohmann::ordered_json& token_value, const nlohmann::ordered_json& expected);

/// The claim at a dot path ("x-ms-isolation-tee.x-ms-attestation-type"),
/// walking objects only; nullptr when any step is missing or not an object.
const nlohmann::ordered_json* LookupClaim(const nlohmann::ordered_json& claims, std::string_view path);

struct PolicyEvaluation {
  std::string issuer;              // the token's iss ("" when absent)
  bool authority_matched = false;  // some statement's authority == iss
  bool released = false;           // some matching statement holds
  /// Structured explanation: every statement, group and condition with
  /// the token's value, the expected value, the operator and the outcome.
  nlohmann::ordered_json tree;
  /// The same as indented lines, e.g.
  /// "  [PASS] 1.1 x-ms-attestation-type equals 'sevsnpvm' (token: 'sevsnpvm')".
  std::vector<std::string> lines;
  /// Failing conditions of applicable statements ("1.2 claim ... (token: ...)").
  std::vector<std::string> failures;
  /// Positions of conditions with operators Key Vault does not support.
  std::vector<std::string> unsupported;
};

/// Evaluates `policy` over `claims` (already verified). A statement applies
/// when its authority equals the claims' "iss" exactly; groups are
/// evaluated completely (no short circuit) so the explanation is complete.
PolicyEvaluation EvaluatePolicy(const ReleasePolicy& policy, const nlohmann::ordered_json& claims);

}  // namespace keyattest::skr
