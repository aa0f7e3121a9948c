// The renderers know no verifier: a report's facts frame and render
// themselves; without them a report (whatever its kind) renders generically.
#include "keyattest/report/report_facts.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "keyattest/key_attestation/facts.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/text_renderer.h"

namespace keyattest {
namespace {

constexpr CheckDefinition kFormat{"token.format", "Token format"};

std::vector<std::string> MemberNames(const nlohmann::ordered_json& object) {
  std::vector<std::string> names;
  for (const auto& [name, value] : object.items()) names.push_back(name);
  return names;
}

/// Facts of a made-up verifier with its own frame.
class WidgetFacts final : public ReportFacts {
 public:
  void AddJsonMembersBeforeChecks(nlohmann::ordered_json& file) const override { file["widget"] = "w1"; }
  void AddJsonMembers(nlohmann::ordered_json& file) const override { file["parts"] = {1, 2}; }
  void RenderText(const TextOptions& /*options*/, std::ostream& out) const override { out << "widget w1\n"; }
  TextFrame Frame() const override {
    TextFrame frame;
    frame.names_kind = false;
    frame.checked_at_label = "parts valid at";
    return frame;
  }
  std::string Subject() const override { return "for widget 'w1'"; }
};

Report WidgetReport() {
  Report r;
  r.kind = "widget";
  r.source = "w.bin";
  r.checked_at = "2026-01-01T00:00:00Z";
  r.verified_meaning = "the widget is genuine";
  r.verifier_facts = std::make_shared<WidgetFacts>();
  r.Pass(kFormat, "ok");
  return r;
}

TEST(ReportFactsTest, FactsPlaceTheirJsonMembers) {
  const nlohmann::ordered_json file = ReportToJson(WidgetReport());
  EXPECT_EQ(MemberNames(file), (std::vector<std::string>{"kind", "source", "verdict", "exit_code", "error",
                                                         "checked_at", "widget", "checks", "parts"}));
}

TEST(ReportFactsTest, FactsFrameTheText) {
  const std::string text = RenderText(WidgetReport(), TextOptions{});
  EXPECT_EQ(text,
            "== w.bin ==\n"
            "widget w1\n"
            "Checks (parts valid at 2026-01-01T00:00:00Z):\n"
            "  PASS  token.format  ok\n"
            "Result: VERIFIED for widget 'w1' - the widget is genuine (exit 0)\n");
  // --quiet: no facts.
  EXPECT_EQ(RenderText(WidgetReport(), TextOptions{.quiet = true}),
            "== w.bin ==\nResult: VERIFIED for widget 'w1' - the widget is genuine (exit 0)\n");
}

TEST(ReportFactsTest, WithoutVerifierFactsTheTreeIsShownWhateverTheKind) {
  Report r;
  r.kind = kKeyAttestationKind;  // the kind alone selects nothing
  r.source = "x.json";
  r.facts["answer"] = 42;
  r.Pass(kFormat, "ok");
  EXPECT_EQ(MemberNames(ReportToJson(r)), (std::vector<std::string>{"kind", "source", "verdict", "exit_code", "error",
                                                                    "checked_at", "checks", "facts"}));
  EXPECT_EQ(
      RenderText(r, TextOptions{}),
      "== x.json (key-attestation) ==\nanswer: 42\nChecks:\n  PASS  token.format  ok\nResult: VERIFIED (exit 0)\n");
}

TEST(ReportFactsTest, KeyAttestationReportHasItsMembersAndFrame) {
  Report r = NewKeyAttestationReport();
  EXPECT_EQ(r.kind, "key-attestation");
  r.source = "a.json";
  r.input_error = "not valid JSON";
  EXPECT_EQ(MemberNames(ReportToJson(r)),
            (std::vector<std::string>{"kind", "source", "verdict", "exit_code", "error", "checked_at",
                                      "owner_chain_style", "checks", "key", "blobs", "certificates"}));
  EXPECT_EQ(RenderText(r, TextOptions{}),
            "== a.json ==\nerror: not valid JSON\nResult: UNREADABLE - not a readable attestation document (exit 3)\n");
}

TEST(ReportFactsTest, KeyAttestationFactsOfOtherReportsThrows) {
  Report maa;
  maa.kind = "maa";
  EXPECT_THROW((void)KeyAttestationFactsOf(maa), std::logic_error);
  EXPECT_THROW((void)KeyAttestationFactsOf(static_cast<const Report&>(WidgetReport())), std::logic_error);
  Report r = NewKeyAttestationReport();
  KeyAttestationFactsOf(r).owner_chain_style = "azure";
  EXPECT_EQ(KeyAttestationFactsOf(static_cast<const Report&>(r)).owner_chain_style, "azure");
}

}  // namespace
}  // namespace keyattest
