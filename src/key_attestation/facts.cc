// The key-attestation report's frame and subject (docs/architecture.md
// "Reports and facts").
#include "keyattest/key_attestation/facts.h"

#include <memory>
#include <stdexcept>

#include "keyattest/core/terminal_text.h"
#include "keyattest/marvell/attributes.h"

namespace keyattest {

namespace {

constexpr const char* kNotAttested = " (as claimed by the unsigned kid; not attested)";

KeyAttestationFacts& FactsOf(const Report& report) {
  auto* facts = dynamic_cast<KeyAttestationFacts*>(report.verifier_facts.get());
  if (facts == nullptr) {
    throw std::logic_error("the report (kind '" + report.kind + "') has no key-attestation facts");
  }
  return *facts;
}

}  // namespace

TextFrame KeyAttestationFacts::Frame() const {
  TextFrame frame;
  frame.names_kind = false;
  frame.checked_at_label = "certificate validity at";
  frame.checks_heading_always = true;
  frame.unreadable_summary = "not a readable attestation document";
  frame.distinct_error_results = false;
  return frame;
}

std::string KeyAttestationFacts::Subject() const {
  if (!key || key->name.empty()) return "";
  return "for key '" + EscapeForTerminal(key->name) + "'" +
         (key->version.empty() ? "" : " version '" + EscapeForTerminal(key->version) + "'") +
         (key->attested ? "" : kNotAttested);
}

std::string KeyAttestationFacts::BatchSubject() const {
  if (!key) return "";
  return "key '" + EscapeForTerminal(key->name) + "' version '" + EscapeForTerminal(key->version) + "'" +
         (key->attested ? "" : kNotAttested);
}

void ObjectFacts::AddAttribute(std::uint32_t type, ByteSpan raw) {
  attributes.push_back(AttributeFacts{type, values.size(), raw.size()});
  values.insert(values.end(), raw.begin(), raw.end());
}

ByteSpan ObjectFacts::Raw(const AttributeFacts& a) const { return ByteSpan(values).subspan(a.offset, a.size); }

std::string ObjectFacts::ValueText(const AttributeFacts& a) const {
  return marvell::AttributeValueText(a.type, Raw(a), key_type_code);
}

Report NewKeyAttestationReport() {
  Report report;
  report.kind = kKeyAttestationKind;
  report.verified_meaning = "the attested key lives in a Marvell LiquidSecurity HSM";
  report.verifier_facts = std::make_shared<KeyAttestationFacts>();
  return report;
}

KeyAttestationFacts& KeyAttestationFactsOf(Report& report) { return FactsOf(report); }

const KeyAttestationFacts& KeyAttestationFactsOf(const Report& report) { return FactsOf(report); }

}  // namespace keyattest
