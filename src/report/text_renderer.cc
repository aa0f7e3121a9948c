#include "keyattest/text_renderer.h"

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

/// A plain grid table, like the reference tool's tabulate "grid" output.
std::string Grid(const std::vector<std::array<std::string, 3>>& rows) {
  std::array<std::size_t, 3> width{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < 3; ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string rule = "+";
  for (std::size_t w : width) rule += std::string(w + 2, '-') + "+";
  std::string out = rule + "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out += "|";
    for (std::size_t i = 0; i < 3; ++i) out += " " + rows[r][i] + std::string(width[i] - rows[r][i].size(), ' ') + " |";
    out += "\n";
    if (r == 0) {
      std::string header_rule = rule;
      std::replace(header_rule.begin(), header_rule.end(), '-', '=');
      out += header_rule + "\n";
    }
  }
  return out + rule + "\n";
}

void RenderBlob(const BlobFacts& blob, const TextOptions& opt, std::ostringstream& out) {
  if (blob.objects.empty()) return;
  std::string title;
  if (!blob.key_name.empty()) {
    title = "Attested key attributes for key '" + blob.key_name + "' with version '" +
            (blob.key_version.empty() ? "(none)" : blob.key_version) + "'";
  } else {
    title = "Attested key attributes for key ID '" + (blob.id.empty() ? "(none)" : blob.id) + "'";
  }
  out << Paint(title, kBold, opt.color) << " (" << blob.field << ", layout " << blob.layout << ")\n";
  const auto& summary = marvell::SummaryAttributeTypes();
  for (const auto& object : blob.objects) {
    std::vector<std::array<std::string, 3>> rows;
    rows.push_back({"Attribute", "Value", "Meaning"});
    if (blob.objects.size() > 1) out << "object handle " << object.handle << ": " << object.object_class << "\n";
    for (std::uint32_t type : summary) {
      if (opt.verbose) break;
      for (const auto& a : object.attributes) {
        if (a.type == type) rows.push_back({a.name, a.value, a.meaning});
      }
    }
    if (opt.verbose) {
      for (const auto& a : object.attributes) rows.push_back({a.name, a.value, a.meaning});
    }
    out << Grid(rows);
    if (opt.verbose) {
      for (const auto& a : object.attributes) {
        if (a.raw_hex.size() > 32) out << "  " << a.name << " = " << a.raw_hex << "\n";
      }
    }
  }
  out << "\n";
}

void RenderCertificates(const Report& report, std::ostringstream& out) {
  if (report.certificates.empty()) return;
  out << "Certificates:\n";
  for (const auto& c : report.certificates) {
    out << "  " << c.role << "\n"
        << "    subject:     " << c.subject << "\n"
        << "    issuer:      " << c.issuer << "\n"
        << "    serial:      " << c.serial << " (X.509 v" << c.version << ")\n"
        << "    validity:    " << c.not_before << " to " << c.not_after << "\n"
        << "    key:         " << c.key << ", signed with " << c.signature_algorithm << "\n"
        << "    SHA-256:     " << c.sha256 << "\n"
        << "    SPKI SHA-256:"
        << " " << c.spki_sha256 << "\n";
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
  if (!report.facts.empty()) RenderFacts(report.facts, 0, out);
  if (!report.checks.empty()) {
    std::size_t id_width = 0;
    for (const auto& c : report.checks) id_width = std::max(id_width, c.id.size());
    out << "Checks" << (report.checked_at.empty() ? "" : " (at " + report.checked_at + ")") << ":\n";
    for (const auto& c : report.checks) {
      out << "  " << Paint(StatusTag(c.status), StatusColor(c.status), opt.color) << "  " << c.id
          << std::string(id_width - c.id.size(), ' ') << "  " << EscapeForTerminal(c.detail) << "\n";
    }
  }
  const int code = static_cast<int>(report.exit_code());
  switch (report.verdict()) {
    case Verdict::kVerified:
      out << Paint("Result: VERIFIED", kGreen, opt.color)
          << (report.verified_meaning.empty() ? "" : " - " + report.verified_meaning) << " (exit 0)\n";
      break;
    case Verdict::kUnreadable:
      out << Paint("Result: UNREADABLE", kRed, opt.color) << " - " << EscapeForTerminal(*report.input_error)
          << " (exit " << code << ")\n";
      break;
    case Verdict::kUnusableTrust:
      out << Paint("Result: UNUSABLE TRUST INPUT", kRed, opt.color) << " - " << EscapeForTerminal(*report.trust_error)
          << " (exit " << code << ")\n";
      break;
    case Verdict::kFailed: {
      std::string first = "no check was completed";
      for (const auto& c : report.checks) {
        if (c.status == CheckStatus::kFail) {
          first = c.id + ": " + c.detail;
          break;
        }
      }
      out << Paint("Result: FAILED", kRed, opt.color) << " - " << EscapeForTerminal(first) << " (exit " << code
          << ")\n";
      break;
    }
  }
  return out.str();
}

}  // namespace

std::string RenderText(const Report& report, const TextOptions& opt) {
  if (report.kind != kKeyAttestationKind) return RenderVerifierText(report, opt);
  std::ostringstream out;
  out << "== " << (report.source.empty() ? "(input)" : report.source) << " ==\n";
  if (report.input_error) {
    out << Paint("error: ", kRed, opt.color) << *report.input_error << "\n";
    out << Paint("Result: UNREADABLE", kRed, opt.color) << " - not a readable attestation document (exit 3)\n";
    return out.str();
  }
  for (const auto& blob : report.blobs) RenderBlob(blob, opt, out);
  if (opt.verbose) RenderCertificates(report, out);

  std::size_t id_width = 0;
  for (const auto& c : report.checks) id_width = std::max(id_width, c.id.size());
  out << "Checks (certificate validity at " << report.checked_at << "):\n";
  for (const auto& c : report.checks) {
    const char* code = c.status == CheckStatus::kPass   ? kGreen
                       : c.status == CheckStatus::kFail ? kRed
                       : c.status == CheckStatus::kWarn ? kYellow
                                                        : kDim;
    std::string tag = c.status == CheckStatus::kPass   ? "PASS"
                      : c.status == CheckStatus::kFail ? "FAIL"
                      : c.status == CheckStatus::kWarn ? "WARN"
                                                       : "SKIP";
    out << "  " << Paint(tag, code, opt.color) << "  " << c.id << std::string(id_width - c.id.size(), ' ') << "  "
        << c.detail << "\n";
  }
  std::string key;
  for (const auto& b : report.blobs) {
    if (!b.key_name.empty()) {
      key = " for key '" + b.key_name + "'" + (b.key_version.empty() ? "" : " version '" + b.key_version + "'");
      break;
    }
  }
  if (report.verdict() == Verdict::kVerified) {
    out << Paint("Result: VERIFIED", kGreen, opt.color) << key
        << " - the attested key lives in a Marvell LiquidSecurity HSM (exit 0)\n";
  } else {
    std::string first;
    for (const auto& c : report.checks) {
      if (c.status == CheckStatus::kFail) {
        first = c.id + ": " + c.detail;
        break;
      }
    }
    if (first.empty()) first = "no check was completed";
    out << Paint("Result: FAILED", kRed, opt.color) << key << " - " << first << " (exit 1)\n";
  }
  return out.str();
}

}  // namespace keyattest
