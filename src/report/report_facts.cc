#include "keyattest/report/report_facts.h"

#include "keyattest/core/terminal_text.h"
#include "keyattest/report/text_layout.h"

namespace keyattest {

void ReportFacts::AddJsonMembersBeforeChecks(nlohmann::ordered_json& /*file*/) const {}

TextFrame ReportFacts::Frame() const { return {}; }

std::string ReportFacts::Subject() const { return ""; }

std::string ReportFacts::BatchSubject() const { return ""; }

namespace {

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
void RenderFacts(const nlohmann::ordered_json& node, std::size_t indent, std::ostream& out) {
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

}  // namespace

void TreeFacts::AddJsonMembers(nlohmann::ordered_json& file) const { file["facts"] = facts_; }

void TreeFacts::RenderText(const TextOptions& /*options*/, std::ostream& out) const {
  if (!facts_.empty()) RenderFacts(facts_, 0, out);
}

}  // namespace keyattest
