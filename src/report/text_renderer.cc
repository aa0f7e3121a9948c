#include "keyattest/report/text_renderer.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "keyattest/core/terminal_text.h"
#include "keyattest/marvell/attributes.h"

namespace keyattest {

namespace {

constexpr const char* kRed = "\033[31m";
constexpr const char* kGreen = "\033[32m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kBold = "\033[1m";
constexpr const char* kReset = "\033[0m";

std::string Paint(const std::string& text, const char* code, bool color) {
  return color ? std::string(code) + text + kReset : text;
}

/// Columns a UTF-8 string takes (continuation bytes take none).
std::size_t DisplayWidth(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0U) == 0x80U ? 0 : 1;
  return n;
}

/// Byte offset after the first `columns` characters of `text`.
std::size_t PrefixBytes(std::string_view text, std::size_t columns) {
  std::size_t i = 0;
  for (std::size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
      if (seen == columns) break;
      ++seen;
    }
  }
  return i;
}

std::string PadRight(const std::string& text, std::size_t width) {
  const std::size_t w = DisplayWidth(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

/// Column widths for a 3-column grid within `width` (0: natural widths).
/// The name column keeps its width; the value gets what the meaning (at
/// least 22 columns) leaves; the meaning gets the rest.
std::array<std::size_t, 3> FitColumns(std::array<std::size_t, 3> natural, std::size_t width) {
  constexpr std::size_t kBorders = 10;  // "| " + " | " + " | " + " |"
  constexpr std::size_t kMinColumn = 8;
  if (width == 0 || natural[0] + natural[1] + natural[2] + kBorders <= width) return natural;
  const std::size_t budget = width > kBorders + 3 * kMinColumn ? width - kBorders : 3 * kMinColumn;
  std::array<std::size_t, 3> fit = natural;
  fit[0] = std::min(natural[0], budget / 2);
  const std::size_t rest = budget - fit[0];
  const std::size_t meaning_min = std::min({natural[2], std::size_t{22}, rest / 2});
  fit[1] = std::max(kMinColumn, std::min(natural[1], rest - meaning_min));
  fit[2] = std::max(kMinColumn, std::min(natural[2], rest - std::min(rest, fit[1])));
  return fit;
}

/// A plain grid table, like the reference tool's tabulate "grid" output;
/// within `width` columns (0: no limit) cells wrap onto more lines.
std::string Grid(const std::vector<std::array<std::string, 3>>& rows, std::size_t width) {
  std::array<std::size_t, 3> natural{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < 3; ++i) natural[i] = std::max(natural[i], DisplayWidth(row[i]));
  }
  const std::array<std::size_t, 3> w = FitColumns(natural, width);
  std::string rule = "+";
  for (std::size_t c : w) rule += std::string(c + 2, '-') + "+";
  std::string out = rule + "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::array<std::vector<std::string>, 3> cells;
    std::size_t lines = 1;
    for (std::size_t i = 0; i < 3; ++i) {
      cells[i] = w[i] < natural[i] ? WrapWords(rows[r][i], w[i]) : std::vector<std::string>{rows[r][i]};
      lines = std::max(lines, cells[i].size());
    }
    for (std::size_t line = 0; line < lines; ++line) {
      out += "|";
      for (std::size_t i = 0; i < 3; ++i) {
        out += " " + PadRight(line < cells[i].size() ? cells[i][line] : "", w[i]) + " |";
      }
      out += "\n";
    }
    if (r == 0) {
      std::string header_rule = rule;
      std::replace(header_rule.begin(), header_rule.end(), '-', '=');
      out += header_rule + "\n";
    }
  }
  return out + rule + "\n";
}

/// The heading of a blob's attribute table: "Attested" only when the blob's
/// signature and both chains verified; otherwise the attributes are
/// unverified and the key is named only as the unsigned kid claims it.
std::string BlobHeading(const BlobFacts& blob, const Report& report) {
  if (blob.attested) {
    if (!blob.key_name.empty()) {
      return "Attested key attributes for key '" + EscapeForTerminal(blob.key_name) + "' with version '" +
             (blob.key_version.empty() ? "(none)" : EscapeForTerminal(blob.key_version)) + "'";
    }
    return "Attested key attributes for key ID '" + (blob.id.empty() ? "(none)" : EscapeForTerminal(blob.id)) + "'";
  }
  std::string heading = "Unverified key attributes (signature or certificate chain not verified)";
  if (report.key && !report.key->name.empty()) {
    heading += " for key '" + EscapeForTerminal(report.key->name) + "'" +
               (report.key->version.empty() ? "" : " version '" + EscapeForTerminal(report.key->version) + "'") +
               " as claimed by the unsigned kid";
  }
  return heading;
}

void RenderBlob(const BlobFacts& blob, const Report& report, const TextOptions& opt, std::ostringstream& out) {
  if (blob.objects.empty()) return;
  const std::string heading = BlobHeading(blob, report) + " (" + EscapeForTerminal(blob.field) + ", layout " +
                              EscapeForTerminal(blob.layout) + ")";
  for (const std::string& line : WrapWords(heading, opt.width)) out << Paint(line, kBold, opt.color) << "\n";
  const auto& summary = marvell::SummaryAttributeTypes();
  auto row = [](const AttributeFacts& a) -> std::array<std::string, 3> {
    return {EscapeForTerminal(a.name), EscapeForTerminal(a.value), EscapeForTerminal(a.meaning)};
  };
  for (const auto& object : blob.objects) {
    std::vector<std::array<std::string, 3>> rows;
    rows.push_back({"Attribute", "Value", "Meaning"});
    if (blob.objects.size() > 1) {
      out << "object handle " << object.handle << ": " << EscapeForTerminal(object.object_class) << "\n";
    }
    for (std::uint32_t type : summary) {
      if (opt.verbose) break;
      for (const auto& a : object.attributes) {
        if (a.type == type) rows.push_back(row(a));
      }
    }
    if (opt.verbose) {
      for (const auto& a : object.attributes) rows.push_back(row(a));
    }
    out << Grid(rows, opt.width);
    if (opt.verbose) {
      for (const auto& a : object.attributes) {
        if (a.raw_hex.size() > 32)
          out << "  " << EscapeForTerminal(a.name) << " = " << EscapeForTerminal(a.raw_hex) << "\n";
      }
    }
  }
  out << "\n";
}

void RenderCertificates(const Report& report, std::ostringstream& out) {
  if (report.certificates.empty()) return;
  out << "Certificates:\n";
  for (const auto& c : report.certificates) {
    out << "  " << EscapeForTerminal(c.role) << "\n"
        << "    subject:     " << EscapeForTerminal(c.subject) << "\n"
        << "    issuer:      " << EscapeForTerminal(c.issuer) << "\n"
        << "    serial:      " << EscapeForTerminal(c.serial) << " (X.509 v" << c.version << ")\n"
        << "    validity:    " << EscapeForTerminal(c.not_before) << " to " << EscapeForTerminal(c.not_after) << "\n"
        << "    key:         " << EscapeForTerminal(c.key) << ", signed with "
        << EscapeForTerminal(c.signature_algorithm) << "\n"
        << "    SHA-256:     " << EscapeForTerminal(c.sha256) << "\n"
        << "    SPKI SHA-256:"
        << " " << EscapeForTerminal(c.spki_sha256) << "\n";
  }
  out << "\n";
}

const char* StatusColor(CheckStatus status) {
  return status == CheckStatus::kPass   ? kGreen
         : status == CheckStatus::kFail ? kRed
         : status == CheckStatus::kWarn ? kYellow
                                        : kDim;
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
  const std::string id = EscapeForTerminal(c.id);
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
    if (c.status == CheckStatus::kFail) return c.id + ": " + c.detail;
  }
  return "no check was completed";
}

std::string WarningCount(const Report& report) {
  const auto warnings = static_cast<std::size_t>(std::count_if(
      report.checks.begin(), report.checks.end(), [](const CheckResult& c) { return c.status == CheckStatus::kWarn; }));
  if (warnings == 0) return "";
  return "with " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
}

std::string ScalarText(const nlohmann::ordered_json& value) {
  if (value.is_string()) return EscapeForTerminal(value.get_ref<const std::string&>());
  if (value.is_null()) return "(none)";
  return EscapeForTerminal(value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

/// An array of scalars longer than this is printed one item per line.
constexpr std::size_t kMaxOneLineArray = 100;

/// Facts as an indented tree: objects as "name: value" lines, arrays of
/// scalars on one line (one item per line when long), arrays of objects as
/// "-" items.
void RenderFacts(const nlohmann::ordered_json& node, std::size_t indent, std::ostringstream& out) {
  const std::string pad(indent, ' ');
  if (node.is_object()) {
    for (const auto& [name, value] : node.items()) {
      const bool nested =
          (value.is_object() && !value.empty()) ||
          (value.is_array() && !value.empty() && (value.front().is_object() || value.front().is_array()));
      if (nested) {
        out << pad << EscapeForTerminal(name) << ":\n";
        RenderFacts(value, indent + 2, out);
      } else if (value.is_array()) {
        std::string line;
        for (const auto& item : value) line += (line.empty() ? "" : ", ") + ScalarText(item);
        if (line.size() > kMaxOneLineArray) {
          // Too long for one line (e.g. an explanation's lines): one item per line.
          out << pad << EscapeForTerminal(name) << ":\n";
          for (const auto& item : value) out << pad << "  - " << ScalarText(item) << "\n";
          continue;
        }
        out << pad << EscapeForTerminal(name) << ": " << (value.empty() ? "(none)" : line) << "\n";
      } else {
        out << pad << EscapeForTerminal(name) << ": " << ScalarText(value) << "\n";
      }
    }
    return;
  }
  if (node.is_array()) {
    for (const auto& item : node) {
      if (item.is_object() || item.is_array()) {
        out << pad << "-\n";
        RenderFacts(item, indent + 2, out);
      } else {
        out << pad << "- " << ScalarText(item) << "\n";
      }
    }
    return;
  }
  out << pad << ScalarText(node) << "\n";
}

/// Reports of verifiers other than key attestation: facts, checks, result.
std::string RenderVerifierText(const Report& report, const TextOptions& opt) {
  std::ostringstream out;
  out << "== " << EscapeForTerminal(report.source.empty() ? "(input)" : report.source) << " (" << report.kind
      << ") ==\n";
  if (!report.facts.empty() && !opt.quiet) RenderFacts(report.facts, 0, out);
  const bool any_failed = std::any_of(report.checks.begin(), report.checks.end(),
                                      [](const CheckResult& c) { return c.status == CheckStatus::kFail; });
  if (!report.checks.empty() && (!opt.quiet || any_failed)) {
    std::size_t id_width = 0;
    for (const auto& c : report.checks) id_width = std::max(id_width, c.id.size());
    out << "Checks" << (report.checked_at.empty() ? "" : " (at " + report.checked_at + ")") << ":\n";
    for (const auto& c : report.checks) {
      if (opt.quiet && c.status != CheckStatus::kFail) continue;
      out << CheckLine(c, id_width, opt);
    }
  }
  const int code = static_cast<int>(report.exit_code());
  const std::string exit_text = "(exit " + std::to_string(code) + ")";
  switch (report.verdict()) {
    case Verdict::kVerified: {
      const std::string with = WarningCount(report);
      out << ResultLine("Result: VERIFIED", kGreen,
                        with + (with.empty() ? "" : " ") +
                            (report.verified_meaning.empty() ? "" : "- " + report.verified_meaning + " ") + exit_text,
                        opt);
      break;
    }
    case Verdict::kUnreadable:
      out << ResultLine("Result: UNREADABLE", kRed, "- " + EscapeForTerminal(*report.input_error) + " " + exit_text,
                        opt);
      break;
    case Verdict::kUnusableTrust:
      out << ResultLine("Result: UNUSABLE TRUST INPUT", kRed,
                        "- " + EscapeForTerminal(*report.trust_error) + " " + exit_text, opt);
      break;
    case Verdict::kInternalError:
      out << ResultLine("Result: INTERNAL ERROR", kRed,
                        "- " + EscapeForTerminal(*report.internal_error) + " " + exit_text, opt);
      break;
    case Verdict::kFailed:
      out << ResultLine("Result: FAILED", kRed, "- " + EscapeForTerminal(FirstFailure(report)) + " " + exit_text, opt);
      break;
  }
  return out.str();
}

}  // namespace

std::vector<std::string> WrapWords(std::string_view text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t line_width = 0;
  auto flush = [&] {
    lines.push_back(line);
    line.clear();
    line_width = 0;
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty() && end < text.size()) continue;  // runs of spaces
    std::size_t word_width = DisplayWidth(word);
    if (width != 0 && line_width > 0 && line_width + 1 + word_width > width) flush();
    while (width != 0 && word_width > width) {
      // Too long for any line: break after a '/' or '-' in the second half
      // of what fits, else at the width.
      std::size_t cut = PrefixBytes(word, width);
      const std::size_t soft = word.substr(0, cut).find_last_of("/-");
      if (soft != std::string_view::npos && DisplayWidth(word.substr(0, soft + 1)) > width / 2) cut = soft + 1;
      if (line_width > 0) flush();
      line = std::string(word.substr(0, cut));
      flush();
      word = word.substr(cut);
      word_width = DisplayWidth(word);
    }
    if (word.empty()) continue;
    if (line_width > 0) {
      line += ' ';
      ++line_width;
    }
    line += word;
    line_width += word_width;
  }
  if (line_width > 0 || lines.empty()) lines.push_back(line);
  return lines;
}

std::string WrapWithHangingIndent(const std::string& first_prefix, std::string_view text, std::size_t width) {
  const std::size_t indent = DisplayWidth(first_prefix);
  const std::size_t room = width == 0 ? 0 : width > indent + 8 ? width - indent : 8;
  const std::vector<std::string> lines = WrapWords(text, room);
  std::string out = first_prefix + lines.front() + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) out += std::string(indent, ' ') + lines[i] + "\n";
  return out;
}

std::string KeyAttestationKeyPhrase(const Report& report) {
  if (!report.key || report.key->name.empty()) return "";
  const KeyFacts& k = *report.key;
  return " for key '" + EscapeForTerminal(k.name) + "'" +
         (k.version.empty() ? "" : " version '" + EscapeForTerminal(k.version) + "'") +
         (k.attested ? "" : " (as claimed by the unsigned kid; not attested)");
}

std::string RenderText(const Report& report, const TextOptions& opt) {
  if (report.kind != kKeyAttestationKind) return RenderVerifierText(report, opt);
  // Every string below may come from the input (signed or not: labels are
  // chosen by whoever made the key): all of it is escaped for the terminal.
  std::ostringstream out;
  out << "== " << EscapeForTerminal(report.source.empty() ? "(input)" : report.source) << " ==\n";
  if (report.input_error) {
    std::string error = WrapWithHangingIndent("error: ", EscapeForTerminal(*report.input_error), opt.width);
    if (opt.color) error.replace(0, 7, Paint("error: ", kRed, true));
    out << error;
    out << Paint("Result: UNREADABLE", kRed, opt.color) << " - not a readable attestation document (exit 3)\n";
    return out.str();
  }
  const bool any_failed = std::any_of(report.checks.begin(), report.checks.end(),
                                      [](const CheckResult& c) { return c.status == CheckStatus::kFail; });
  if (!opt.quiet) {
    for (const auto& blob : report.blobs) RenderBlob(blob, report, opt, out);
    if (opt.verbose) RenderCertificates(report, out);
  }

  std::size_t id_width = 0;
  for (const auto& c : report.checks) id_width = std::max(id_width, EscapeForTerminal(c.id).size());
  if (!opt.quiet || any_failed) {
    out << "Checks (certificate validity at " << EscapeForTerminal(report.checked_at) << "):\n";
  }
  for (const auto& c : report.checks) {
    if (opt.quiet && c.status != CheckStatus::kFail) continue;
    out << CheckLine(c, id_width, opt);
  }
  // The key phrase starts with a space; the wrapped text does not.
  const std::string key = KeyAttestationKeyPhrase(report);
  const std::string key_text = key.empty() ? "" : key.substr(1) + " ";
  const std::string with = WarningCount(report);
  if (report.verdict() == Verdict::kVerified) {
    out << ResultLine("Result: VERIFIED", kGreen,
                      key_text + with + (with.empty() ? "" : " ") +
                          "- the attested key lives in a Marvell LiquidSecurity HSM (exit 0)",
                      opt);
  } else {
    out << ResultLine("Result: FAILED", kRed,
                      key_text + "- " + EscapeForTerminal(FirstFailure(report)) + " (exit " +
                          std::to_string(static_cast<int>(report.exit_code())) + ")",
                      opt);
  }
  return out.str();
}

}  // namespace keyattest
