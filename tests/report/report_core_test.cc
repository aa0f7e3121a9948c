// The house every verifier shares: check definitions, verdicts and exit
// codes, the check time, terminal escaping, generic rendering.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "keyattest/core/check_time.h"
#include "keyattest/core/errors.h"
#include "keyattest/core/terminal_text.h"
#include "keyattest/report/json_renderer.h"
#include "keyattest/report/junit_renderer.h"
#include "keyattest/report/report.h"
#include "keyattest/report/text_renderer.h"

namespace keyattest {
namespace {

constexpr CheckDefinition kFormat{"thing.format", "Thing format"};
constexpr CheckDefinition kSignature{"thing.signature", "Thing signature"};
constexpr CheckDefinition kTrust{"thing.trust", "Thing trust list"};

Report MakeReport() {
  Report r;
  r.kind = "maa";
  r.source = "token.jwt";
  r.checked_at = "2024-01-01T00:00:00Z";
  return r;
}

TEST(ReportCoreTest, PassingChecksVerify) {
  Report r = MakeReport();
  r.Pass(kFormat, "three segments");
  r.Warn(kSignature, "1024-bit key");
  EXPECT_EQ(r.verdict(), Verdict::kVerified);
  EXPECT_EQ(r.exit_code(), ExitCode::kVerified);
  EXPECT_EQ(r.checks[0].title, std::string("Thing format"));
}

// A check from a definition records views of the definition's static text:
// no copy per check of every file.
TEST(ReportCoreTest, DefinedChecksViewTheirStaticText) {
  Report r = MakeReport();
  r.Pass(kFormat, "ok");
  EXPECT_EQ(r.checks[0].id.view().data(), kFormat.id.view().data());
  EXPECT_EQ(r.checks[0].title.view().data(), kFormat.title.view().data());
  EXPECT_EQ(r.checks[0].id, "thing.format");
}

// Ids made at run time (a prefix, one check per requirement) are owned by
// the check, so they survive the strings they were built from, and moving
// or copying the report (a batch moves reports to another thread) keeps
// them: short ids too, which a std::string would keep inline and move.
TEST(ReportCoreTest, RunTimeIdsSurviveTheirSourceAndMovesOfTheReport) {
  auto make = [] {
    Report r = MakeReport();
    std::string prefix = "p.";
    r.Add(prefix + "x", std::string("Short"), CheckStatus::kPass, "");
    r.Add(prefix + std::string(40, 'y'), std::string("A title longer than any inline string buffer"),
          CheckStatus::kFail, "why");
    r.FailMalformed(CheckName(prefix + "z", CheckText(kFormat.title)), "bad");
    prefix.assign(64, '#');  // the text they were built from is gone
    return r;
  };
  auto expect_intact = [](const Report& r) {
    ASSERT_EQ(r.checks.size(), 3u);
    EXPECT_EQ(r.checks[0].id, "p.x");
    EXPECT_EQ(r.checks[0].title, "Short");
    EXPECT_EQ(r.checks[1].id, "p." + std::string(40, 'y'));
    EXPECT_EQ(r.checks[1].title, "A title longer than any inline string buffer");
    EXPECT_EQ(r.checks[2].id, "p.z");
    EXPECT_EQ(r.checks[2].title, "Thing format");
    EXPECT_EQ(*r.input_error, "p.z: bad");
    EXPECT_NE(r.Find("p.x"), nullptr);
  };
  Report original = make();
  expect_intact(original);
  Report copy = original;
  Report moved = std::move(original);
  original = Report();  // the moved-from report is reused
  original.Add(std::string("other"), std::string("Other"), CheckStatus::kPass, "");
  expect_intact(moved);
  expect_intact(copy);
  std::vector<CheckResult> checks;
  {
    Report scoped = make();
    checks = scoped.checks;  // copied out of a report that then ends
  }
  EXPECT_EQ(checks[0].id, "p.x");
  EXPECT_EQ(checks[1].title, "A title longer than any inline string buffer");
  const std::string text = RenderText(moved, TextOptions{true, false});
  EXPECT_NE(text.find("p." + std::string(40, 'y')), std::string::npos) << text;
}

TEST(ReportCoreTest, NoChecksFailsClosed) {
  Report r = MakeReport();
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
}

TEST(ReportCoreTest, FailedCheckExitsOne) {
  Report r = MakeReport();
  r.Pass(kFormat, "ok");
  r.Fail(kSignature, "does not verify");
  EXPECT_EQ(r.exit_code(), ExitCode::kVerificationFailed);
}

TEST(ReportCoreTest, MalformedInputExitsThreeAndNamesTheCheck) {
  Report r = MakeReport();
  r.FailMalformed(kFormat, "two segments");
  EXPECT_EQ(r.verdict(), Verdict::kUnreadable);
  EXPECT_EQ(r.exit_code(), ExitCode::kUnreadable);
  EXPECT_EQ(*r.input_error, "thing.format: two segments");
}

TEST(ReportCoreTest, UnusableTrustInputExitsTwo) {
  Report r = MakeReport();
  r.FailTrust(kTrust, "two keys share kid 'a'");
  EXPECT_EQ(r.verdict(), Verdict::kUnusableTrust);
  EXPECT_EQ(r.exit_code(), ExitCode::kUsage);
}

TEST(ReportCoreTest, WorstExitCodeOrdersInternalOverOutputOverInput) {
  EXPECT_EQ(WorstExitCode(ExitCode::kUnreadable, ExitCode::kUsage), ExitCode::kUnreadable);
  EXPECT_EQ(WorstExitCode(ExitCode::kVerificationFailed, ExitCode::kUsage), ExitCode::kUsage);
  EXPECT_EQ(WorstExitCode(ExitCode::kOutputError, ExitCode::kUnreadable), ExitCode::kOutputError);
  EXPECT_EQ(WorstExitCode(ExitCode::kOutputError, ExitCode::kInternalError), ExitCode::kInternalError);
}

TEST(ReportCoreTest, JsonCarriesKindChecksAndFacts) {
  Report r = MakeReport();
  r.facts["issuer"] = "https://example";
  r.facts["claims"]["x-ms-ver"] = "1.0";
  r.Pass(kFormat, "ok");
  const nlohmann::ordered_json file = ReportToJson(r);
  EXPECT_EQ(file["kind"], "maa");
  EXPECT_EQ(file["facts"]["issuer"], "https://example");
  EXPECT_EQ(file["facts"]["claims"]["x-ms-ver"], "1.0");
  EXPECT_EQ(file["checks"][0]["title"], "Thing format");
  EXPECT_FALSE(file.contains("blobs"));
}

TEST(ReportCoreTest, JsonKeepsTheFactsInTheOrderGiven) {
  Report r = MakeReport();
  r.facts["zeta"] = 1;
  r.facts["alpha"] = 2;
  r.Pass(kFormat, "ok");
  const std::string json = RenderJsonDocument({r});
  EXPECT_LT(json.find("\"zeta\""), json.find("\"alpha\"")) << json;
}

TEST(ReportCoreTest, TextShowsFactsChecksAndResult) {
  Report r = MakeReport();
  r.facts["issuer"] = "https://example";
  r.facts["audiences"] = nlohmann::ordered_json::array({"a", "b"});
  r.verified_meaning = "the token is genuine";
  r.Pass(kFormat, "three segments");
  const std::string text = RenderText(r, TextOptions{});
  EXPECT_NE(text.find("== token.jwt (maa) =="), std::string::npos) << text;
  EXPECT_NE(text.find("issuer: https://example\n"), std::string::npos) << text;
  EXPECT_NE(text.find("audiences: a, b\n"), std::string::npos) << text;
  EXPECT_NE(text.find("PASS  thing.format  three segments"), std::string::npos) << text;
  EXPECT_NE(text.find("Result: VERIFIED - the token is genuine (exit 0)"), std::string::npos) << text;
}

TEST(ReportCoreTest, TextEscapesUntrustedFactsAndDetails) {
  Report r = MakeReport();
  r.facts["kid"] = "a\rResult: VERIFIED\x1b[8m";
  r.Fail(kSignature, "kid \x1b[2K forged");
  const std::string text = RenderText(r, TextOptions{});
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_NE(text.find("kid: a\\x0dResult: VERIFIED\\x1b[8m"), std::string::npos) << text;
  EXPECT_NE(text.find("Result: FAILED - thing.signature: kid \\x1b[2K forged (exit 1)"), std::string::npos) << text;
}

TEST(ReportCoreTest, ResultLineCountsWarnings) {
  Report r = MakeReport();
  r.Pass(kFormat, "ok");
  r.Warn(kSignature, "1024-bit key");
  r.Warn(kTrust, "old");
  EXPECT_NE(RenderText(r, TextOptions{}).find("Result: VERIFIED with 2 warnings (exit 0)"), std::string::npos);
  r.checks.pop_back();
  EXPECT_NE(RenderText(r, TextOptions{}).find("Result: VERIFIED with 1 warning (exit 0)"), std::string::npos);
}

TEST(ReportCoreTest, QuietTextShowsOnlyFailuresAndTheResult) {
  Report r = MakeReport();
  r.facts["issuer"] = "https://example";
  r.Pass(kFormat, "ok");
  r.Warn(kTrust, "old");
  const std::string passing = RenderText(r, TextOptions{false, false, true});
  EXPECT_EQ(passing, "== token.jwt (maa) ==\nResult: VERIFIED with 1 warning (exit 0)\n");
  r.Fail(kSignature, "does not verify");
  const std::string failing = RenderText(r, TextOptions{false, false, true});
  EXPECT_EQ(failing,
            "== token.jwt (maa) ==\nChecks (at 2024-01-01T00:00:00Z):\n  FAIL  thing.signature  does not verify\n"
            "Result: FAILED - thing.signature: does not verify (exit 1)\n");
}

TEST(ReportCoreTest, JsonLineIsOneLinePerReport) {
  Report r = MakeReport();
  r.Pass(kFormat, "line\nbreak");
  const std::string line = RenderJsonLine(r);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(nlohmann::json::parse(line)["checks"][0]["detail"], "line\nbreak");
}

TEST(ReportCoreTest, JunitHasASuitePerFileAndACasePerCheck) {
  Report r = MakeReport();
  r.source = "a<b>&\"c\".jwt";
  r.Pass(kFormat, "ok");
  r.Fail(kSignature, "bad \x1b[2K sig");
  r.Skip(kTrust, "prerequisite failed");
  std::ostringstream out;
  JunitRunWriter junit(out);
  junit.Add(r);
  junit.Finish();
  const std::string xml = out.str();
  EXPECT_NE(xml.find("<testsuite name=\"a&lt;b&gt;&amp;&quot;c&quot;.jwt\" tests=\"3\" failures=\"1\" errors=\"0\" "
                     "skipped=\"1\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"maa\" name=\"thing.format\"></testcase>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure message=\"bad \\x1b[2K sig\"/>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"prerequisite failed\"/>"), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x1b'), std::string::npos);
  EXPECT_EQ(xml.substr(xml.size() - 14), "</testsuites>\n");
}

TEST(ReportCoreTest, JunitReportsAnUnreadableInputAsAnError) {
  Report r = MakeReport();
  r.FailMalformed(kFormat, "two segments");
  std::ostringstream out;
  JunitRunWriter junit(out);
  junit.Add(r);
  EXPECT_NE(out.str().find("errors=\"1\""), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("<error message=\"thing.format: two segments\"/>"), std::string::npos) << out.str();
}

TEST(TerminalTextTest, KeepsPrintableAndUtf8) {
  EXPECT_EQ(EscapeForTerminal("plain text / 123"), "plain text / 123");
  EXPECT_EQ(EscapeForTerminal("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
}

TEST(TerminalTextTest, EscapesControlsDelAndBackslash) {
  EXPECT_EQ(EscapeForTerminal(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(EscapeForTerminal("\t\n\r\x1b\x7f"), "\\x09\\x0a\\x0d\\x1b\\x7f");
  EXPECT_EQ(EscapeForTerminal("a\\x1b"), "a\\\\x1b");  // a literal backslash cannot fake an escape
}

TEST(TerminalTextTest, EscapesC1AndBidiControls) {
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"), "\\u009b");  // CSI as C1
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\xae"
                              "abc"),
            "\\u202eabc");  // RLO
  EXPECT_EQ(EscapeForTerminal("\xe2\x81\xa6"
                              "x\xe2\x81\xa9"),
            "\\u2066x\\u2069");
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\xaa\xe2\x80\xac"), "\\u202a\\u202c");
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\xa9"), "\xe2\x80\xa9");  // U+2029 is not a bidi override
}

TEST(TerminalTextTest, EscapesInvalidUtf8ByteByByte) {
  EXPECT_EQ(EscapeForTerminal("\xff"), "\\xff");
  EXPECT_EQ(EscapeForTerminal("\xc0\xaf"), "\\xc0\\xaf");           // overlong
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(EscapeForTerminal("\xe2\x80"), "\\xe2\\x80");           // truncated
}

TEST(CheckTimeTest, ParsesAtAndSkew) {
  const CheckTime t = CheckTime::FromOptions(std::string("2024-01-01T00:00:00Z"), 60);
  EXPECT_EQ(t.at, 1704067200);
  EXPECT_EQ(t.skew_seconds, 60);
  EXPECT_FALSE(t.from_clock);
  EXPECT_EQ(t.Rfc3339(), "2024-01-01T00:00:00Z");
}

TEST(CheckTimeTest, DefaultsToTheClock) {
  const std::time_t before = std::time(nullptr);
  const CheckTime t = CheckTime::FromOptions(std::nullopt);
  EXPECT_TRUE(t.from_clock);
  EXPECT_GE(t.at, before);
  EXPECT_EQ(t.skew_seconds, 0);
}

TEST(CheckTimeTest, RejectsBadTimeAndSkewWithTheOptionName) {
  try {
    (void)CheckTime::FromOptions(std::string("yesterday"));
    FAIL() << "accepted a bad time";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "--at: 'yesterday' is not an RFC 3339 time (example: 2030-01-01T00:00:00Z)");
  }
  EXPECT_THROW((void)CheckTime::FromOptions(std::string("")), UsageError);
  EXPECT_THROW((void)CheckTime::FromOptions(std::nullopt, -1), UsageError);
  EXPECT_THROW((void)CheckTime::FromOptions(std::nullopt, 86401), UsageError);
}

}  // namespace
}  // namespace keyattest
