// Release-policy evaluation with Key Vault's comparison semantics
// (docs/skr.md "Evaluation"): scalars compare by their text, a missing
// claim makes its condition false, and every node is explained.
#include "keyattest/skr/policy_evaluation.h"

#include <charconv>
#include <cstdint>

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

enum class Outcome { kPass, kFail, kSkip };

const char* Tag(Outcome outcome) {
  return outcome == Outcome::kPass ? "[PASS]" : outcome == Outcome::kFail ? "[FAIL]" : "[SKIP]";
}
const char* OutcomeName(Outcome outcome) {
  return outcome == Outcome::kPass ? "pass" : outcome == Outcome::kFail ? "fail" : "not applicable";
}

std::string Shown(const Json& value) {
  if (value.is_string()) {
    // Appended, not "'" + string: GCC 12 at -O3 warns falsely (-Wrestrict) on that.
    std::string shown = "'";
    shown += value.get_ref<const std::string&>();
    shown += '\'';
    return shown;
  }
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<std::int64_t> DecimalInteger(const std::string& text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

struct ConditionOutcome {
  bool holds = false;
  std::string note;
};

ConditionOutcome Compare(const Condition& condition, const Json* token) {
  if (condition.op == Operator::kExists) {
    const bool want = condition.expected.get<bool>();
    return {(token != nullptr) == want, token == nullptr ? "claim missing" : ""};
  }
  if (token == nullptr) return {false, "claim missing"};
  const auto token_text = ComparableText(*token);
  const auto expected_text = ComparableText(condition.expected);
  if (!token_text) return {false, "the token's value is not a string, boolean or integer: never equal"};
  if (!expected_text) return {false, "a float expected value never equals"};
  const bool number_vs_bool = (token->is_number() && condition.expected.is_boolean()) ||
                              (token->is_boolean() && condition.expected.is_number());
  if (condition.op == Operator::kEquals) return {KeyVaultEquals(*token, condition.expected), ""};
  if (condition.op == Operator::kNotEquals) {
    return {number_vs_bool || *token_text != *expected_text, ""};
  }
  const auto left = DecimalInteger(*token_text);
  const auto right = DecimalInteger(*expected_text);
  if (!left || !right) return {false, "ordering compares integers only"};
  switch (condition.op) {
    case Operator::kLess:
      return {*left < *right, ""};
    case Operator::kLessOrEquals:
      return {*left <= *right, ""};
    case Operator::kGreater:
      return {*left > *right, ""};
    case Operator::kGreaterOrEquals:
      return {*left >= *right, ""};
    default:
      return {false, "unknown operator"};
  }
}

class Evaluator {
 public:
  Evaluator(const Json& claims, PolicyEvaluation& out) : claims_(claims), out_(out) {}

  /// Evaluates one group member; `applies` false explains without judging.
  Json Node(const PolicyNode& node, const std::string& position, std::size_t depth, bool applies, Outcome& outcome) {
    if (node.condition) return ConditionNode(*node.condition, position, depth, applies, outcome);
    return GroupNode(*node.group, position, depth, applies, outcome);
  }

  Json GroupNode(const Group& group, const std::string& position, std::size_t depth, bool applies, Outcome& outcome) {
    const std::size_t line_index = out_.lines.size();
    out_.lines.emplace_back();
    Json members = Json::array();
    std::size_t passed = 0;
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      Outcome member = Outcome::kSkip;
      members.push_back(Node(group.members[i], position + "." + std::to_string(i + 1), depth + 1, applies, member));
      if (member == Outcome::kPass) ++passed;
    }
    const bool holds = group.kind == GroupKind::kAllOf ? passed == group.members.size() : passed > 0;
    outcome = !applies ? Outcome::kSkip : holds ? Outcome::kPass : Outcome::kFail;
    out_.lines[line_index] = std::string(depth * 2, ' ') + Tag(outcome) + " " + position + " " +
                             GroupKindName(group.kind) + " (" + std::to_string(passed) + " of " +
                             std::to_string(group.members.size()) + " hold)";
    Json node = Json::object();
    node["position"] = position;
    node["outcome"] = OutcomeName(outcome);
    node[GroupKindName(group.kind)] = std::move(members);
    return node;
  }

 private:
  Json ConditionNode(const Condition& condition, const std::string& position, std::size_t depth, bool applies,
                     Outcome& outcome) {
    const Json* token = LookupClaim(claims_, condition.claim);
    const ConditionOutcome result = Compare(condition, token);
    outcome = !applies ? Outcome::kSkip : result.holds ? Outcome::kPass : Outcome::kFail;
    if (condition.op != Operator::kEquals) out_.unsupported.push_back(position);
    std::string text = position + " " + condition.claim + " " + OperatorName(condition.op) + " " +
                       Shown(condition.expected) + " (token: " + (token ? Shown(*token) : "missing") + ")";
    if (!result.note.empty() && !result.holds) text += ": " + result.note;
    if (condition.op != Operator::kEquals) text += " [operator not supported by Key Vault]";
    out_.lines.push_back(std::string(depth * 2, ' ') + Tag(outcome) + " " + text);
    if (outcome == Outcome::kFail) out_.failures.push_back(text);
    Json node = Json::object();
    node["position"] = position;
    node["claim"] = condition.claim;
    node["operator"] = OperatorName(condition.op);
    node["expected"] = condition.expected;
    node["token"] = token ? *token : Json(nullptr);
    node["found"] = token != nullptr;
    node["outcome"] = OutcomeName(outcome);
    if (!result.note.empty()) node["note"] = result.note;
    return node;
  }

  const Json& claims_;
  PolicyEvaluation& out_;
};

}  // namespace

std::optional<std::string> ComparableText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return value.dump();  // signed and unsigned, decimal
  return std::nullopt;
}

bool KeyVaultEquals(const Json& token_value, const Json& expected) {
  if ((token_value.is_number() && expected.is_boolean()) || (token_value.is_boolean() && expected.is_number())) {
    return false;
  }
  const auto left = ComparableText(token_value);
  const auto right = ComparableText(expected);
  return left && right && *left == *right;
}

const Json* LookupClaim(const Json& claims, std::string_view path) {
  const Json* node = &claims;
  while (true) {
    const std::size_t dot = path.find('.');
    const std::string_view step = path.substr(0, dot);
    if (step.empty() || !node->is_object()) return nullptr;
    const auto it = node->find(std::string(step));
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string_view::npos) return node;
    path.remove_prefix(dot + 1);
  }
}

PolicyEvaluation EvaluatePolicy(const ReleasePolicy& policy, const Json& claims) {
  PolicyEvaluation out;
  const Json* iss = LookupClaim(claims, "iss");
  if (iss != nullptr && iss->is_string()) out.issuer = iss->get<std::string>();
  out.lines.emplace_back();  // the verdict line, filled in last
  Evaluator evaluator(claims, out);
  Json statements = Json::array();
  for (std::size_t i = 0; i < policy.statements.size(); ++i) {
    const AuthorityStatement& statement = policy.statements[i];
    const bool applies = !out.issuer.empty() && statement.authority == out.issuer;
    out.authority_matched = out.authority_matched || applies;
    const std::string position = std::to_string(i + 1);
    const std::size_t line_index = out.lines.size();
    out.lines.emplace_back();
    Outcome outcome = Outcome::kSkip;
    Json group = evaluator.GroupNode(statement.group, position, 2, applies, outcome);
    if (outcome == Outcome::kPass) out.released = true;
    out.lines[line_index] = std::string("  ") + Tag(outcome) + " statement " + position + ": authority '" +
                            statement.authority + "'" +
                            (applies ? " is the token's issuer" : " is not the token's issuer: does not apply");
    Json node = Json::object();
    node["position"] = position;
    node["authority"] = statement.authority;
    node["applies"] = applies;
    node["outcome"] = OutcomeName(outcome);
    node["group"] = std::move(group);
    statements.push_back(std::move(node));
  }
  out.lines.front() = std::string(out.released ? "[PASS] key released" : "[FAIL] key not released") + ": anyOf over " +
                      std::to_string(policy.statements.size()) + " statement(s), token iss '" + out.issuer + "'";
  out.tree = Json::object();
  out.tree["issuer"] = out.issuer;
  out.tree["released"] = out.released;
  out.tree["statements"] = std::move(statements);
  return out;
}

}  // namespace keyattest::skr
