#include "keyattest/report/junit_renderer.h"

#include "keyattest/core/terminal_text.h"

namespace keyattest {

std::string EscapeXml(std::string_view text) {
  const std::string visible = EscapeForTerminal(text);
  std::string out;
  out.reserve(visible.size());
  for (char c : visible) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

JunitRunWriter::JunitRunWriter(std::ostream& out) : out_(out) {
  out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"validate_attestation\">\n";
}

void JunitRunWriter::Add(const Report& report) {
  std::size_t failures = 0;
  std::size_t skipped = 0;
  for (const auto& c : report.checks) {
    if (c.status == CheckStatus::kFail) ++failures;
    if (c.status == CheckStatus::kSkip) ++skipped;
  }
  const std::optional<std::string>& error = report.internal_error ? report.internal_error
                                            : report.input_error  ? report.input_error
                                                                  : report.trust_error;
  const std::string suite = EscapeXml(report.source.empty() ? "(input)" : report.source);
  out_ << "  <testsuite name=\"" << suite << "\" tests=\"" << (report.checks.size() + (error ? 1 : 0))
       << "\" failures=\"" << failures << "\" errors=\"" << (error ? 1 : 0) << "\" skipped=\"" << skipped << "\">\n";
  if (error) {
    out_ << "    <testcase classname=\"" << EscapeXml(report.kind) << "\" name=\"input\">\n"
         << "      <error message=\"" << EscapeXml(*error) << "\"/>\n    </testcase>\n";
  }
  for (const auto& c : report.checks) {
    out_ << "    <testcase classname=\"" << EscapeXml(report.kind) << "\" name=\"" << EscapeXml(c.id.view()) << "\">";
    const std::string detail = EscapeXml(c.detail);
    switch (c.status) {
      case CheckStatus::kPass:
        break;
      case CheckStatus::kFail:
        out_ << "\n      <failure message=\"" << detail << "\"/>\n    ";
        break;
      case CheckStatus::kSkip:
        out_ << "\n      <skipped message=\"" << detail << "\"/>\n    ";
        break;
      case CheckStatus::kWarn:
        out_ << "\n      <system-out>warning: " << detail << "</system-out>\n    ";
        break;
    }
    out_ << "</testcase>\n";
  }
  out_ << "  </testsuite>\n";
}

void JunitRunWriter::Finish() {
  out_ << "</testsuites>\n";
  out_.flush();
}

}  // namespace keyattest
