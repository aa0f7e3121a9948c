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
  out << Paint(BlobHeading(blob, report), kBold, opt.color) << " (" << EscapeForTerminal(blob.field) << ", layout "
      << EscapeForTerminal(blob.layout) << ")\n";
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
    out << Grid(rows);
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
      out << "  " << Paint(StatusTag(c.status), StatusColor(c.status), opt.color) << "  " << c.id
          << std::string(id_width - c.id.size(), ' ') << "  " << EscapeForTerminal(c.detail) << "\n";
    }
  }
  const int code = static_cast<int>(report.exit_code());
  switch (report.verdict()) {
    case Verdict::kVerified: {
      std::size_t warnings = 0;
      for (const auto& c : report.checks) warnings += c.status == CheckStatus::kWarn ? 1 : 0;
      std::string with;
      if (warnings > 0) with = " with " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
      out << Paint("Result: VERIFIED", kGreen, opt.color) << with
          << (report.verified_meaning.empty() ? "" : " - " + report.verified_meaning) << " (exit 0)\n";
      break;
    }
    case Verdict::kUnreadable:
      out << Paint("Result: UNREADABLE", kRed, opt.color) << " - " << EscapeForTerminal(*report.input_error)
          << " (exit " << code << ")\n";
      break;
    case Verdict::kUnusableTrust:
      out << Paint("Result: UNUSABLE TRUST INPUT", kRed, opt.color) << " - " << EscapeForTerminal(*report.trust_error)
          << " (exit " << code << ")\n";
      break;
    case Verdict::kInternalError:
      out << Paint("Result: INTERNAL ERROR", kRed, opt.color) << " - " << EscapeForTerminal(*report.internal_error)
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
    out << Paint("error: ", kRed, opt.color) << EscapeForTerminal(*report.input_error) << "\n";
    out << Paint("Result: UNREADABLE", kRed, opt.color) << " - not a readable attestation document (exit 3)\n";
    return out.str();
  }
  for (const auto& blob : report.blobs) RenderBlob(blob, report, opt, out);
  if (opt.verbose) RenderCertificates(report, out);

  std::size_t id_width = 0;
  for (const auto& c : report.checks) id_width = std::max(id_width, EscapeForTerminal(c.id).size());
  out << "Checks (certificate validity at " << EscapeForTerminal(report.checked_at) << "):\n";
  for (const auto& c : report.checks) {
    const std::string id = EscapeForTerminal(c.id);
    out << "  " << Paint(StatusTag(c.status), StatusColor(c.status), opt.color) << "  " << id
        << std::string(id_width - id.size(), ' ') << "  " << EscapeForTerminal(c.detail) << "\n";
  }
  const std::string key = KeyAttestationKeyPhrase(report);
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
    out << Paint("Result: FAILED", kRed, opt.color) << key << " - " << EscapeForTerminal(first) << " (exit "
        << static_cast<int>(report.exit_code()) << ")\n";
  }
  return out.str();
}

}  // namespace keyattest
