#include "src/maa/claim_values.h"

#include "keyattest/core/errors.h"

namespace keyattest::maa {

namespace {

std::string JoinPath(const std::vector<std::string>& path, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < path.size(); ++i) out.append(i == 0 ? "" : ".").append(path[i]);
  return out;
}

std::string Kind(const nlohmann::ordered_json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_number_float()) return "a floating-point number";
  if (value.is_null()) return "null";
  return "a scalar";
}

[[noreturn]] void BadRequirement(std::string_view text, const char* why) {
  throw UsageError("--require-claim \"" + std::string(text) + "\" " + why);
}

}  // namespace

std::string ClaimRequirement::Id() const { return "claim." + JoinPath(path, path.size()); }

ClaimRequirement ParseClaimRequirement(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos) BadRequirement(text, "is not PATH=VALUE");
  ClaimRequirement r;
  r.value = std::string(text.substr(eq + 1));
  const std::string_view path = text.substr(0, eq);
  if (path.empty()) BadRequirement(text, "has an empty path");
  if (r.value.empty()) BadRequirement(text, "has an empty value (an unset shell variable must not weaken the check)");
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    const std::string_view segment = path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (segment.empty()) BadRequirement(text, "has an empty path segment");
    r.path.emplace_back(segment);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return r;
}

std::optional<std::string> ScalarText(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  return std::nullopt;
}

bool ClaimEquals(const nlohmann::ordered_json& claims, const ClaimRequirement& requirement, std::string* detail) {
  const nlohmann::ordered_json* at = &claims;
  for (std::size_t i = 0; i < requirement.path.size(); ++i) {
    if (!at->is_object()) {
      *detail = JoinPath(requirement.path, i) + " is " + Kind(*at) + ", not an object (paths walk objects only)";
      return false;
    }
    const auto it = at->find(requirement.path[i]);
    if (it == at->end()) {
      *detail = "no claim " + JoinPath(requirement.path, i + 1);
      return false;
    }
    at = &*it;
  }
  const std::optional<std::string> text = ScalarText(*at);
  if (!text) {
    *detail = "the claim is " + Kind(*at) + ", which never equals a required value";
    return false;
  }
  if (*text != requirement.value) {
    *detail = "is \"" + *text + "\", required \"" + requirement.value + "\"";
    return false;
  }
  *detail = "\"" + *text + "\"" + (at->is_string() ? "" : " (JSON " + std::string(at->type_name()) + ")");
  return true;
}

}  // namespace keyattest::maa
