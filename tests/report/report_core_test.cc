// The house every verifier shares: check definitions, verdicts and exit
// codes, the check time, terminal escaping, generic rendering.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

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

TEST(ReportCoreTest, AMovedFromCheckTextIsEmptyAndItsTargetKeepsTheText) {
  CheckText owned(std::string(40, 'o'));
  const char* text = owned.view().data();
  CheckText target(std::move(owned));
  EXPECT_TRUE(owned.empty());  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move): the state after a move
  EXPECT_EQ(target.view().data(), text);  // the same owned string, not a copy
  CheckText assigned("static");
  assigned = std::move(target);
  EXPECT_TRUE(target.empty());  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  EXPECT_EQ(assigned, std::string(40, 'o'));
  target = CheckText(kFormat.id);  // a moved-from text is reused
  EXPECT_EQ(target, "thing.format");
  CheckText literal("thing.trust");
  CheckText from_literal(std::move(literal));
  EXPECT_TRUE(literal.empty());  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  EXPECT_EQ(from_literal, "thing.trust");
  CheckText copy = assigned;  // copies share the owned text
  EXPECT_EQ(copy.view().data(), assigned.view().data());
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
  EXPECT_EQ(EscapeForTerminal("a\\u202e"), "a\\\\u202e");
  EXPECT_EQ(EscapeForTerminal("\\\x1b"), "\\\\\\x1b");         // a backslash before an escaped byte
  EXPECT_EQ(EscapeForTerminal("\\\\,"), "\\\\\\,");            // two backslashes: the first doubled
  EXPECT_EQ(EscapeForTerminal("\\\xc3\xa9"), "\\\\\xc3\xa9");  // before a non-ASCII character
}

TEST(TerminalTextTest, KeepsABackslashThatStartsNoEscape) {
  EXPECT_EQ(EscapeForTerminal("O=Cavium\\, Inc."), "O=Cavium\\, Inc.");  // an RFC 4514 name as OpenSSL prints it
  EXPECT_EQ(EscapeForTerminal("C:\\Keys\\"), "C:\\Keys\\");
  EXPECT_EQ(EscapeForTerminal("\\X41 \\U0041"), "\\X41 \\U0041");  // escapes are lower case
}

/// Reads EscapeForTerminal's output back, left to right: "\\" is a
/// backslash, "\xNN" a byte, "\uNNNN" a code point (as UTF-8), and any other
/// backslash itself.
std::string ReadEscapedText(std::string_view escaped) {
  std::string out;
  auto hex = [&](std::size_t at, std::size_t n) { return std::stoul(std::string(escaped.substr(at, n)), nullptr, 16); };
  for (std::size_t i = 0; i < escaped.size();) {
    if (escaped[i] != '\\' || i + 1 >= escaped.size()) {
      out += escaped[i++];
    } else if (escaped[i + 1] == '\\') {
      out += '\\';
      i += 2;
    } else if (escaped[i + 1] == 'x') {
      out += static_cast<char>(hex(i + 2, 2));
      i += 4;
    } else if (escaped[i + 1] == 'u') {
      const unsigned long cp = hex(i + 2, 4);  // the escaped code points are all three UTF-8 bytes or two
      if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
      } else {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      }
      out += static_cast<char>(0x80 | (cp & 0x3f));
      i += 6;
    } else {
      out += escaped[i++];
    }
  }
  return out;
}

TEST(TerminalTextTest, EveryOutputReadsBackToExactlyItsText) {
  // Texts of pieces that make escapes, fake them, or sit next to them.
  const std::vector<std::string> pieces = {
      "\\",   "x",  "u",        "1b",       "202e",         ",",    "a",        "\x1b",
      "\x7f", "\t", "\xc3\xa9", "\xc2\x9b", "\xe2\x80\xae", "\xff", "\xe2\x80", " "};
  std::mt19937 random(20261201);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  for (int n = 0; n < 100000; ++n) {
    std::string text;
    for (int k = length(random); k > 0; --k) text += pieces[piece(random)];
    const std::string escaped = EscapeForTerminal(text);
    ASSERT_EQ(ReadEscapedText(escaped), text) << escaped;
    for (const char c : escaped) {
      const auto byte = static_cast<unsigned char>(c);
      ASSERT_TRUE(byte >= 0x20 && byte != 0x7f) << escaped;
    }
  }
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
