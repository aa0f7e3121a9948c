// The release-policy grammar (docs/skr.md "Policy grammar"): strict, so a
// policy that Key Vault would read differently, or not at all, is reported
// as malformed instead of being evaluated by guesswork.
#include "keyattest/skr/release_policy.h"

#include <array>
#include <utility>

namespace keyattest::skr {

namespace {

using Json = nlohmann::ordered_json;

struct OperatorEntry {
  const char* name;
  Operator op;
};
constexpr std::array<OperatorEntry, 7> kOperators = {{
    {"equals", Operator::kEquals},
    {"notEquals", Operator::kNotEquals},
    {"less", Operator::kLess},
    {"lessOrEquals", Operator::kLessOrEquals},
    {"greater", Operator::kGreater},
    {"greaterOrEquals", Operator::kGreaterOrEquals},
    {"exists", Operator::kExists},
}};

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw PolicyGrammarError((path.empty() ? "/" : path) + ": " + what);
}

std::string TypeName(const Json& value) {
  if (value.is_number_float()) return "a float";
  if (value.is_number()) return "an integer";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_null()) return "null";
  if (value.is_array()) return "an array";
  return "an object";
}

const OperatorEntry* FindOperator(const std::string& name) {
  for (const auto& entry : kOperators) {
    if (name == entry.name) return &entry;
  }
  return nullptr;
}

Group ParseGroup(const Json& members, GroupKind kind, const std::string& path);

Condition ParseCondition(const Json& node, const std::string& path) {
  if (!node.contains("claim")) Fail(path, "a condition needs \"claim\"");
  const Json& claim = node.at("claim");
  if (!claim.is_string() || claim.get_ref<const std::string&>().empty()) {
    Fail(path + "/claim", "must be a non-empty string, got " + TypeName(claim));
  }
  Condition condition;
  condition.claim = claim.get<std::string>();
  const OperatorEntry* found = nullptr;
  for (const auto& [name, value] : node.items()) {
    if (name == "claim") continue;
    const OperatorEntry* op = FindOperator(name);
    if (op == nullptr) Fail(path, "unknown member \"" + name + "\" in a condition");
    if (found != nullptr)
      Fail(path,
           "a condition has exactly one operator, found \"" + std::string(found->name) + "\" and \"" + name + "\"");
    found = op;
  }
  if (found == nullptr) Fail(path, "condition on \"" + condition.claim + "\" has no operator");
  condition.op = found->op;
  const std::string value_path = path + "/" + found->name;
  const Json& value = node.at(found->name);
  if (condition.op == Operator::kExists) {
    if (!value.is_boolean()) Fail(value_path, "\"exists\" takes true or false, got " + TypeName(value));
  } else if (!value.is_string() && !value.is_boolean() && !value.is_number()) {
    Fail(value_path, "the expected value must be a string, boolean or number, got " + TypeName(value));
  }
  condition.expected = value;
  return condition;
}

PolicyNode ParseMember(const Json& node, const std::string& path) {
  if (!node.is_object()) Fail(path, "a group member must be an object, got " + TypeName(node));
  const bool has_all = node.contains("allOf");
  const bool has_any = node.contains("anyOf");
  if (node.contains("authority")) Fail(path, "\"authority\" belongs only to the top-level anyOf's statements");
  PolicyNode member;
  if (has_all || has_any) {
    if (has_all && has_any) Fail(path, "a group has exactly one of \"allOf\" and \"anyOf\"");
    if (node.size() != 1) {
      for (const auto& [name, value] : node.items()) {
        if (name != "allOf" && name != "anyOf") Fail(path, "unknown member \"" + name + "\" in a group");
      }
    }
    const GroupKind kind = has_all ? GroupKind::kAllOf : GroupKind::kAnyOf;
    const char* name = GroupKindName(kind);
    member.group = std::make_shared<const Group>(ParseGroup(node.at(name), kind, path + "/" + name));
    return member;
  }
  member.condition = ParseCondition(node, path);
  return member;
}

Group ParseGroup(const Json& members, GroupKind kind, const std::string& path) {
  if (!members.is_array()) Fail(path, "must be an array, got " + TypeName(members));
  if (members.empty()) Fail(path, "must not be empty");
  Group group;
  group.kind = kind;
  for (std::size_t i = 0; i < members.size(); ++i) {
    group.members.push_back(ParseMember(members[i], path + "/" + std::to_string(i)));
  }
  return group;
}

AuthorityStatement ParseStatement(const Json& node, const std::string& path) {
  if (!node.is_object()) Fail(path, "an authority statement must be an object, got " + TypeName(node));
  for (const auto& [name, value] : node.items()) {
    if (name != "authority" && name != "allOf" && name != "anyOf") {
      Fail(path, "unknown member \"" + name + "\" in an authority statement");
    }
  }
  if (!node.contains("authority")) Fail(path, "an authority statement needs \"authority\"");
  const Json& authority = node.at("authority");
  if (!authority.is_string() || authority.get_ref<const std::string&>().empty()) {
    Fail(path + "/authority", "must be a non-empty string, got " + TypeName(authority));
  }
  const bool has_all = node.contains("allOf");
  const bool has_any = node.contains("anyOf");
  if (has_all == has_any) Fail(path, "an authority statement has exactly one of \"allOf\" and \"anyOf\"");
  const GroupKind kind = has_all ? GroupKind::kAllOf : GroupKind::kAnyOf;
  const char* name = GroupKindName(kind);
  return AuthorityStatement{authority.get<std::string>(), ParseGroup(node.at(name), kind, path + "/" + name)};
}

void CollectConditions(const Group& group, const AuthorityStatement& statement, const std::string& prefix,
                       std::vector<ConditionRef>& out) {
  for (std::size_t i = 0; i < group.members.size(); ++i) {
    const std::string position = prefix + "." + std::to_string(i + 1);
    const PolicyNode& member = group.members[i];
    if (member.condition) {
      out.push_back(ConditionRef{&statement, &*member.condition, position});
    } else {
      CollectConditions(*member.group, statement, position, out);
    }
  }
}

}  // namespace

const char* OperatorName(Operator op) {
  for (const auto& entry : kOperators) {
    if (entry.op == op) return entry.name;
  }
  return "equals";
}

const char* GroupKindName(GroupKind kind) { return kind == GroupKind::kAllOf ? "allOf" : "anyOf"; }

ReleasePolicy ParseReleasePolicy(const Json& policy) {
  if (!policy.is_object()) Fail("", "a release policy is a JSON object, got " + TypeName(policy));
  for (const auto& [name, value] : policy.items()) {
    if (name == "allOf") {
      Fail("/allOf",
           "a top-level \"allOf\" is not a release policy: the top level is \"anyOf\" of authority statements");
    }
    if (name != "version" && name != "anyOf") Fail("", "unknown top-level member \"" + name + "\"");
  }
  if (!policy.contains("version")) Fail("", "\"version\" is missing");
  const Json& version = policy.at("version");
  if (!version.is_string()) Fail("/version", "must be a string, got " + TypeName(version));
  const std::string& text = version.get_ref<const std::string&>();
  if (text != "1.0.0" && text != "1.0" && text != "0.2") {
    Fail("/version", "\"" + text + "\" is not a release policy version (1.0.0, 1.0, or legacy 0.2)");
  }
  if (!policy.contains("anyOf")) Fail("", "\"anyOf\" is missing");
  const Json& any_of = policy.at("anyOf");
  if (!any_of.is_array()) Fail("/anyOf", "must be an array, got " + TypeName(any_of));
  if (any_of.empty()) Fail("/anyOf", "must not be empty");
  ReleasePolicy parsed;
  parsed.version = text;
  for (std::size_t i = 0; i < any_of.size(); ++i) {
    parsed.statements.push_back(ParseStatement(any_of[i], "/anyOf/" + std::to_string(i)));
  }
  return parsed;
}

std::vector<ConditionRef> AllConditions(const ReleasePolicy& policy) {
  std::vector<ConditionRef> out;
  for (std::size_t i = 0; i < policy.statements.size(); ++i) {
    CollectConditions(policy.statements[i].group, policy.statements[i], std::to_string(i + 1), out);
  }
  return out;
}

}  // namespace keyattest::skr
