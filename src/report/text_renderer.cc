#include "keyattest/report/text_renderer.h"

#include <algorithm>
#include <sstream>

#include "keyattest/core/terminal_text.h"

namespace keyattest {

namespace {

const char* StatusColor(CheckStatus status) {
  return status == CheckStatus::kPass   ? kAnsiGreen
         : status == CheckStatus::kFail ? kAnsiRed
         : status == CheckStatus::kWarn ? kAnsiYellow
                                        : kAnsiDim;
}

const char* StatusTag(CheckStatus status) {
  return status == CheckStatus::kPass   ? "PASS"
         : status == CheckStatus::kFail ? "FAIL"
         : status == CheckStatus::kWarn ? "WARN"
                                        : "SKIP";
}

/// "  PASS  id      detail": the detail wraps under itself within
/// opt.width (a narrow terminal: under the id instead).
std::string CheckLine(const CheckResult& c, std::size_t id_width, const TextOptions& opt) {
  const std::string id = EscapeForTerminal(c.id.view());
  const std::string prefix = "  " + std::string(StatusTag(c.status)) + "  " + PadRight(id, id_width) + "  ";
  std::string text = WrapWithHangingIndent(prefix, EscapeForTerminal(c.detail),
                                           opt.width != 0 && opt.width < prefix.size() + 20 ? 0 : opt.width);
  if (opt.color) text.replace(2, 4, Paint(StatusTag(c.status), StatusColor(c.status), true));
  return text;
}

/// "Result: TAG rest", wrapped within opt.width under the text after the
/// tag; only the tag is coloured.
std::string ResultLine(const std::string& tag, const char* color, const std::string& rest, const TextOptions& opt) {
  std::string text = WrapWithHangingIndent(tag + " ", rest, opt.width);
  if (opt.color) text.replace(0, tag.size(), Paint(tag, color, true));
  return text;
}

std::string FirstFailure(const Report& report) {
  for (const auto& c : report.checks) {
    if (c.status == CheckStatus::kFail) return std::string(c.id.view()) + ": " + c.detail;
  }
  return "no check was completed";
}

std::string WarningCount(const Report& report) {
  const auto warnings = static_cast<std::size_t>(std::count_if(
      report.checks.begin(), report.checks.end(), [](const CheckResult& c) { return c.status == CheckStatus::kWarn; }));
  if (warnings == 0) return "";
  return "with " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
}

/// An unreadable input whose verifier prints only the error: "error:
/// REASON" and "Result: UNREADABLE - SUMMARY (exit 3)".
void RenderUnreadable(const Report& report, const TextFrame& frame, const TextOptions& opt, std::ostream& out) {
  std::string error = WrapWithHangingIndent("error: ", EscapeForTerminal(*report.input_error), opt.width);
  if (opt.color) error.replace(0, 7, Paint("error: ", kAnsiRed, true));
  out << error;
  out << Paint("Result: UNREADABLE", kAnsiRed, opt.color) << " - " << frame.unreadable_summary << " (exit "
      << static_cast<int>(ExitCode::kUnreadable) << ")\n";
}

void RenderChecks(const Report& report, const TextFrame& frame, const TextOptions& opt, std::ostream& out) {
  const bool any_failed = std::any_of(report.checks.begin(), report.checks.end(),
                                      [](const CheckResult& c) { return c.status == CheckStatus::kFail; });
  if (opt.quiet && !any_failed) return;
  if (report.checks.empty() && !frame.checks_heading_always) return;
  std::size_t id_width = 0;
  for (const auto& c : report.checks) id_width = std::max(id_width, EscapeForTerminal(c.id.view()).size());
  const bool timed = frame.checks_heading_always || !report.checked_at.empty();
  out << "Checks"
      << (timed ? " (" + frame.checked_at_label + " " + EscapeForTerminal(report.checked_at) + ")" : std::string())
      << ":\n";
  for (const auto& c : report.checks) {
    if (opt.quiet && c.status != CheckStatus::kFail) continue;
    out << CheckLine(c, id_width, opt);
  }
}

/// "Result: VERDICT [SUBJECT] ... (exit N)".
void RenderResult(const Report& report, const TextFrame& frame, const std::string& subject, const TextOptions& opt,
                  std::ostream& out) {
  const std::string lead = subject.empty() ? "" : subject + " ";
  const std::string exit_text = "(exit " + std::to_string(static_cast<int>(report.exit_code())) + ")";
  Verdict verdict = report.verdict();
  if (!frame.distinct_error_results && verdict != Verdict::kVerified) verdict = Verdict::kFailed;
  switch (verdict) {
    case Verdict::kVerified: {
      const std::string with = WarningCount(report);
      out << ResultLine("Result: VERIFIED", kAnsiGreen,
                        lead + with + (with.empty() ? "" : " ") +
                            (report.verified_meaning.empty() ? "" : "- " + report.verified_meaning + " ") + exit_text,
                        opt);
      break;
    }
    case Verdict::kUnreadable:
      out << ResultLine("Result: UNREADABLE", kAnsiRed,
                        lead + "- " + EscapeForTerminal(*report.input_error) + " " + exit_text, opt);
      break;
    case Verdict::kUnusableTrust:
      out << ResultLine("Result: UNUSABLE TRUST INPUT", kAnsiRed,
                        lead + "- " + EscapeForTerminal(*report.trust_error) + " " + exit_text, opt);
      break;
    case Verdict::kInternalError:
      out << ResultLine("Result: INTERNAL ERROR", kAnsiRed,
                        lead + "- " + EscapeForTerminal(*report.internal_error) + " " + exit_text, opt);
      break;
    case Verdict::kFailed:
      out << ResultLine("Result: FAILED", kAnsiRed,
                        lead + "- " + EscapeForTerminal(FirstFailure(report)) + " " + exit_text, opt);
      break;
  }
}

}  // namespace

std::string RenderText(const Report& report, const TextOptions& opt) {
  // Every string from the input (signed or not: labels are chosen by
  // whoever made the key) is escaped for the terminal, here or by the facts.
  const TreeFacts tree(report.facts);
  const ReportFacts& facts = report.verifier_facts ? *report.verifier_facts : static_cast<const ReportFacts&>(tree);
  const TextFrame frame = facts.Frame();
  std::ostringstream out;
  out << "== " << EscapeForTerminal(report.source.empty() ? "(input)" : report.source)
      << (frame.names_kind ? " (" + report.kind + ")" : std::string()) << " ==\n";
  if (report.input_error && !frame.unreadable_summary.empty()) {
    RenderUnreadable(report, frame, opt, out);
    return out.str();
  }
  if (!opt.quiet) facts.RenderText(opt, out);
  RenderChecks(report, frame, opt, out);
  RenderResult(report, frame, facts.Subject(), opt, out);
  return out.str();
}

}  // namespace keyattest
