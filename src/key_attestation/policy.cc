#include "keyattest/key_attestation/policy.h"

#include "keyattest/key_attestation/checks.h"
#include "keyattest/marvell/attributes.h"

namespace keyattest {

namespace {

namespace attr = marvell::attr;
namespace checks = key_attestation;

std::string Trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

std::vector<Requirement> ParseRequirements(const std::vector<std::string>& specs) {
  std::vector<Requirement> out;
  for (const std::string& spec : specs) {
    std::size_t start = 0;
    while (start <= spec.size()) {
      std::size_t comma = spec.find(',', start);
      std::string item = Trim(spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
      if (item.empty()) throw PolicyError("--require: empty requirement in '" + spec + "'");
      Requirement r;
      r.text = item;
      if (item == "generated") {
        r.kind = Requirement::Kind::kGenerated;
      } else if (item == "non-exportable") {
        r.kind = Requirement::Kind::kNonExportable;
      } else if (item == "sensitive") {
        r.kind = Requirement::Kind::kSensitive;
      } else if (item == "fips") {
        r.kind = Requirement::Kind::kFips;
      } else if (auto eq = item.find('='); eq != std::string::npos) {
        std::string name = Trim(item.substr(0, eq));
        auto type = marvell::AttributeTypeByName(name);
        if (!type) {
          throw PolicyError("--require: unknown attribute '" + name +
                            "' (use a known attribute's name such as OBJ_ATTR_EXTRACTABLE or EXTRACTABLE, or its "
                            "number such as 0x162)");
        }
        r.kind = Requirement::Kind::kAttribute;
        r.attribute = *type;
        r.expected = Trim(item.substr(eq + 1));
        if (r.expected.empty()) throw PolicyError("--require: '" + item + "' has no value");
        std::string accepted;
        std::optional<marvell::RequiredValue> value = marvell::ParseRequiredValue(*type, r.expected, &accepted);
        if (!value) {
          std::string message = "--require: '" + item + "': ";
          message.append(marvell::AttributeName(*type)).append(" cannot be '").append(r.expected);
          message.append("'; it accepts ").append(accepted);
          throw PolicyError(message);
        }
        r.value = std::move(*value);
      } else {
        throw PolicyError("--require: unknown requirement '" + item +
                          "' (expected generated, non-exportable, sensitive, fips or ATTRIBUTE=VALUE)");
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

void AddPolicyChecks(const std::vector<Requirement>& requirements, const marvell::AttestedKey* attested,
                     const Certificate* card, const Certificate* partition, Report& report) {
  for (const Requirement& r : requirements) {
    const CheckText id(std::string(checks::kPolicyFamily.id.view()) + r.text);
    const CheckText title(std::string(checks::kPolicyFamily.title.view()) + r.text);
    if (r.kind == Requirement::Kind::kFips) {
      if (card == nullptr || partition == nullptr) {
        report.Add(id, title, CheckStatus::kFail, "cannot evaluate: card and partition certificates not identified");
        continue;
      }
      auto fips = [](const Certificate* c) {
        const std::string& cn = c->common_name();
        return cn.size() >= 15 && cn.compare(cn.size() - 15, 15, ", for FIPS mode") == 0;
      };
      bool ok = fips(card) && fips(partition);
      report.Add(id, title, ok ? CheckStatus::kPass : CheckStatus::kFail,
                 "card '" + card->common_name() + "', partition '" + partition->common_name() + "'");
      continue;
    }
    if (attested == nullptr) {
      report.Add(id, title, CheckStatus::kFail, "cannot evaluate: the attested private key object is not available");
      continue;
    }
    // (attribute, expected 0/1) pairs for the named policies (§8.3).
    std::vector<std::pair<std::uint32_t, bool>> flags;
    switch (r.kind) {
      case Requirement::Kind::kGenerated:
        flags = {{attr::kLocal, true}, {attr::kNeverExtractable, true}};
        break;
      case Requirement::Kind::kNonExportable:
        flags = {{attr::kExtractable, false}, {attr::kNeverExtractable, true}};
        break;
      case Requirement::Kind::kSensitive:
        flags = {{attr::kSensitive, true}, {attr::kAlwaysSensitive, true}};
        break;
      case Requirement::Kind::kFips:
      case Requirement::Kind::kAttribute:
        break;
    }
    if (r.kind == Requirement::Kind::kAttribute) {
      const marvell::DecodedAttribute* a = attested->Find(r.attribute);
      if (a == nullptr) {
        report.Add(id, title, CheckStatus::kFail, marvell::AttributeName(r.attribute) + " is not attested");
      } else {
        bool ok = marvell::AttributeValueMatches(*a, r.value);
        report.Add(id, title, ok ? CheckStatus::kPass : CheckStatus::kFail,
                   marvell::AttributeName(a->type) + " = " +
                       marvell::AttributeValueText(a->type, a->raw, attested->key_type) +
                       (ok ? "" : ", required " + r.expected));
      }
      continue;
    }
    std::string seen;
    bool ok = true;
    for (auto [type, want] : flags) {
      std::optional<bool> v = attested->Flag(type);
      seen += (seen.empty() ? "" : ", ") + marvell::AttributeName(type) + "=" +
              (v ? (*v ? "1" : "0") : std::string("missing"));
      ok = ok && v == want;
    }
    report.Add(id, title, ok ? CheckStatus::kPass : CheckStatus::kFail, seen);
  }
}

}  // namespace keyattest
