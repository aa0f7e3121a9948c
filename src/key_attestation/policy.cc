#include "keyattest/key_attestation/policy.h"

#include "keyattest/marvell/attributes.h"

namespace keyattest {

namespace {

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

}  // namespace keyattest
