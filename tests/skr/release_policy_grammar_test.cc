// The release-policy grammar: every rule has a violating policy (with the
// exact message) and a passing twin that differs only in that rule.
#include <gtest/gtest.h>

#include "keyattest/io/json_reader.h"
#include "keyattest/skr/release_policy.h"

namespace keyattest::skr {
namespace {

using Json = nlohmann::ordered_json;

Json J(const char* text) { return Json(ParseStrictJson(text, 32)); }

struct GrammarCase {
  const char* name;
  const char* bad;
  const char* message;  // exact PolicyGrammarError text
  const char* good;     // the twin that obeys the rule
};

constexpr const char* kOk =
    R"({"version":"1.0.0","anyOf":[{"authority":"https://a.attest.azure.net","allOf":[{"claim":"c","equals":"v"}]}]})";

const GrammarCase kCases[] = {
    {"NotAnObject", R"([])", "/: a release policy is a JSON object, got an array", kOk},
    {"UnknownTopLevelMember",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}],"x":1})",
     "/: unknown top-level member \"x\"", kOk},
    {"TopLevelAllOf", R"({"version":"1.0.0","allOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})",
     "/allOf: a top-level \"allOf\" is not a release policy: the top level is \"anyOf\" of authority statements", kOk},
    {"VersionMissing", R"({"anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})",
     "/: \"version\" is missing",
     R"({"version":"1.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})"},
    {"VersionNotString", R"({"version":1.0,"anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})",
     "/version: must be a string, got a float",
     R"({"version":"1.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})"},
    {"VersionUnknown",
     R"({"version":"2.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})",
     "/version: \"2.0.0\" is not a release policy version (1.0.0, 1.0, or legacy 0.2)",
     R"({"version":"0.2","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})"},
    {"AnyOfMissing", R"({"version":"1.0.0"})", "/: \"anyOf\" is missing", kOk},
    {"AnyOfNotArray", R"({"version":"1.0.0","anyOf":{}})", "/anyOf: must be an array, got an object", kOk},
    {"AnyOfEmpty", R"({"version":"1.0.0","anyOf":[]})", "/anyOf: must not be empty", kOk},
    {"StatementNotObject", R"({"version":"1.0.0","anyOf":["https://a"]})",
     "/anyOf/0: an authority statement must be an object, got a string", kOk},
    {"StatementNoAuthority", R"({"version":"1.0.0","anyOf":[{"allOf":[{"claim":"c","equals":"v"}]}]})",
     "/anyOf/0: an authority statement needs \"authority\"", kOk},
    {"AuthorityEmpty", R"({"version":"1.0.0","anyOf":[{"authority":"","allOf":[{"claim":"c","equals":"v"}]}]})",
     "/anyOf/0/authority: must be a non-empty string, got a string", kOk},
    {"StatementBothGroups",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}],"anyOf":[{"claim":"c","equals":"v"}]}]})",
     "/anyOf/0: an authority statement has exactly one of \"allOf\" and \"anyOf\"",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","anyOf":[{"claim":"c","equals":"v"}]}]})"},
    {"StatementNoGroup", R"({"version":"1.0.0","anyOf":[{"authority":"https://a"}]})",
     "/anyOf/0: an authority statement has exactly one of \"allOf\" and \"anyOf\"", kOk},
    {"StatementUnknownMember",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}],"note":"x"}]})",
     "/anyOf/0: unknown member \"note\" in an authority statement", kOk},
    {"GroupEmpty", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[]}]})",
     "/anyOf/0/allOf: must not be empty", kOk},
    {"GroupNotArray", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":{"claim":"c","equals":"v"}}]})",
     "/anyOf/0/allOf: must be an array, got an object", kOk},
    {"NestedGroupEmpty", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"anyOf":[]}]}]})",
     "/anyOf/0/allOf/0/anyOf: must not be empty",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"anyOf":[{"claim":"c","equals":"v"}]}]}]})"},
    {"NestedGroupBothKinds",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"anyOf":[{"claim":"c","equals":"v"}],"allOf":[{"claim":"c","equals":"v"}]}]}]})",
     "/anyOf/0/allOf/0: a group has exactly one of \"allOf\" and \"anyOf\"",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"allOf":[{"claim":"c","equals":"v"}]}]}]})"},
    {"NestedGroupUnknownMember",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"anyOf":[{"claim":"c","equals":"v"}],"x":1}]}]})",
     "/anyOf/0/allOf/0: unknown member \"x\" in a group",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"anyOf":[{"claim":"c","equals":"v"}]}]}]})"},
    {"NestedAuthority",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"authority":"https://b","allOf":[{"claim":"c","equals":"v"}]}]}]})",
     "/anyOf/0/allOf/0: \"authority\" belongs only to the top-level anyOf's statements", kOk},
    {"MemberNotObject", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":["c"]}]})",
     "/anyOf/0/allOf/0: a group member must be an object, got a string", kOk},
    {"ConditionNoClaim", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"equals":"v"}]}]})",
     "/anyOf/0/allOf/0: a condition needs \"claim\"", kOk},
    {"ConditionClaimNotString",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":["c"],"equals":"v"}]}]})",
     "/anyOf/0/allOf/0/claim: must be a non-empty string, got an array", kOk},
    {"ConditionNoOperator", R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c"}]}]})",
     "/anyOf/0/allOf/0: condition on \"c\" has no operator", kOk},
    {"ConditionTwoOperators",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v","notEquals":"w"}]}]})",
     "/anyOf/0/allOf/0: a condition has exactly one operator, found \"equals\" and \"notEquals\"",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","notEquals":"w"}]}]})"},
    {"ConditionUnknownOperator",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","Equals":"v"}]}]})",
     "/anyOf/0/allOf/0: unknown member \"Equals\" in a condition", kOk},
    {"ConditionValueObject",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":{"a":1}}]}]})",
     "/anyOf/0/allOf/0/equals: the expected value must be a string, boolean or number, got an object",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":1}]}]})"},
    {"ConditionValueNull",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","greater":null}]}]})",
     "/anyOf/0/allOf/0/greater: the expected value must be a string, boolean or number, got null",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","greater":3}]}]})"},
    {"ExistsNotBoolean",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","exists":"true"}]}]})",
     "/anyOf/0/allOf/0/exists: \"exists\" takes true or false, got a string",
     R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","exists":true}]}]})"},
};

class GrammarTest : public ::testing::TestWithParam<GrammarCase> {};

TEST_P(GrammarTest, ViolationIsRejectedWithExactMessage) {
  const GrammarCase& c = GetParam();
  try {
    ParseReleasePolicy(J(c.bad));
    FAIL() << "accepted: " << c.bad;
  } catch (const PolicyGrammarError& e) {
    EXPECT_EQ(std::string(e.what()), c.message);
  }
}

TEST_P(GrammarTest, TwinIsAccepted) { EXPECT_NO_THROW(ParseReleasePolicy(J(GetParam().good))); }

INSTANTIATE_TEST_SUITE_P(Rules, GrammarTest, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(GrammarModelTest, ParsesNestedGroupsInOrder) {
  const ReleasePolicy p = ParseReleasePolicy(J(
      R"({"version":"1.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"x","equals":"1"},{"anyOf":[{"claim":"y","lessOrEquals":2},{"allOf":[{"claim":"z","exists":false}]}]}]}]})"));
  ASSERT_EQ(p.statements.size(), 1u);
  EXPECT_EQ(p.version, "1.0");
  EXPECT_FALSE(p.legacy_version());
  const Group& g = p.statements[0].group;
  EXPECT_EQ(g.kind, GroupKind::kAllOf);
  ASSERT_EQ(g.members.size(), 2u);
  ASSERT_TRUE(g.members[1].group);
  EXPECT_EQ(g.members[1].group->kind, GroupKind::kAnyOf);
  const auto all = AllConditions(p);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].position, "1.1");
  EXPECT_EQ(all[1].position, "1.2.1");
  EXPECT_EQ(all[1].condition->op, Operator::kLessOrEquals);
  EXPECT_EQ(all[2].position, "1.2.2.1");
  EXPECT_EQ(all[2].condition->op, Operator::kExists);
}

TEST(GrammarModelTest, LegacyVersionIsFlagged) {
  EXPECT_TRUE(ParseReleasePolicy(
                  J(R"({"version":"0.2","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":"v"}]}]})"))
                  .legacy_version());
}

TEST(GrammarModelTest, FloatExpectedValueIsGrammaticalButKept) {
  const ReleasePolicy p = ParseReleasePolicy(
      J(R"({"version":"1.0.0","anyOf":[{"authority":"https://a","allOf":[{"claim":"c","equals":3.0}]}]})"));
  EXPECT_TRUE(AllConditions(p)[0].condition->expected.is_number_float());
}

}  // namespace
}  // namespace keyattest::skr
