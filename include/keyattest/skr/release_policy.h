// A Key Vault / Managed HSM key release policy: its input forms, its
// grammar (docs/skr.md "Policy grammar") and the parsed model the
// evaluator walks.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/limits.h"

namespace keyattest::skr {

/// Largest policy input accepted (a Key Vault policy is a few hundred
/// bytes; a key bundle or sidecar config a few KiB).
inline constexpr std::size_t kMaxPolicyInputBytes = kMaxReleasePolicyBytes;  // core/limits.h
/// JSON nesting limit for policy inputs (groups nest, but not this deep).
inline constexpr std::size_t kMaxPolicyJsonDepth = 32;

/// The input is not a policy in any accepted form (policy.format, exit 3).
class PolicyFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The policy JSON breaks the grammar (policy.grammar, exit 3). The message
/// starts with the JSON path of the offending member, e.g.
/// "/anyOf/0/allOf/1: ...".
class PolicyGrammarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Which of the accepted forms the input was (docs/skr.md "Policy inputs").
enum class PolicyInputForm { kPolicy, kReleasePolicyObject, kKeyBundle, kImportKeyConfig };
const char* PolicyInputFormName(PolicyInputForm form);

struct PolicyInput {
  PolicyInputForm form = PolicyInputForm::kPolicy;
  /// The policy JSON itself (decoded from `data`, or built from the
  /// sidecar's claims).
  nlohmann::ordered_json policy;
  /// release_policy's contentType and immutable, when given.
  std::optional<std::string> content_type;
  std::optional<bool> immutable;
};

/// Recognises the form of `text` and extracts the policy JSON: the policy
/// itself ({"version", "anyOf"}), the release_policy object ({"data":
/// base64url, "contentType", "immutable"}), a key bundle holding one
/// ({"key", "attributes", "release_policy", ...}), or the sidecar's
/// importkeyconfig.json ({"key": {"authority": {"endpoint"}}, "claims":
/// [[...]]}), which becomes anyOf of allOf statements under
/// "https://" + endpoint. Throws PolicyFormatError.
PolicyInput LoadPolicyInput(std::string_view text);

/// Parses base64url `data` of a release_policy object into the policy JSON.
/// Throws PolicyFormatError.
nlohmann::ordered_json DecodeReleasePolicyData(const nlohmann::ordered_json& release_policy);

enum class Operator { kEquals, kNotEquals, kLess, kLessOrEquals, kGreater, kGreaterOrEquals, kExists };
const char* OperatorName(Operator op);

struct Condition {
  std::string claim;  // dot path
  Operator op = Operator::kEquals;
  nlohmann::ordered_json expected;  // a string, boolean or number
};

struct Group;
/// A group member: a condition, or a nested group.
struct PolicyNode {
  std::optional<Condition> condition;
  std::shared_ptr<const Group> group;
};

enum class GroupKind { kAllOf, kAnyOf };
const char* GroupKindName(GroupKind kind);

struct Group {
  GroupKind kind = GroupKind::kAllOf;
  std::vector<PolicyNode> members;  // non-empty
};

struct AuthorityStatement {
  std::string authority;
  Group group;
};

struct ReleasePolicy {
  std::string version;                         // "1.0.0", "1.0" or legacy "0.2"
  std::vector<AuthorityStatement> statements;  // the top-level anyOf
  bool legacy_version() const { return version == "0.2"; }
};

/// Applies the grammar: top level exactly "version" and "anyOf"; version
/// "1.0.0", "1.0" or "0.2"; each statement exactly "authority" (a non-empty
/// string) and one of "allOf"/"anyOf"; groups non-empty arrays whose
/// members are conditions or {allOf|anyOf} groups; a condition exactly
/// "claim" (non-empty string) and one operator with a string, boolean or
/// number value ("exists" takes a boolean). Throws PolicyGrammarError.
ReleasePolicy ParseReleasePolicy(const nlohmann::ordered_json& policy);

/// Every condition of the policy in document order, with the authority of
/// its statement (for lint and the security-policy check).
struct ConditionRef {
  const AuthorityStatement* statement;
  const Condition* condition;
  std::string position;  // "1.2.1": statement, then member indexes (1-based)
};
std::vector<ConditionRef> AllConditions(const ReleasePolicy& policy);

}  // namespace keyattest::skr
