// The verified claims grouped as docs/maa.md "Claim families" describes.
#include <array>
#include <string_view>
#include <utility>

#include "keyattest/core/saturating.h"
#include "keyattest/maa/maa_token.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::maa {

namespace {

using Json = nlohmann::ordered_json;

/// Old SGX claim names MAA still emits next to the x-ms-* ones.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kDeprecatedAliases = {{
    {"is-debuggable", "x-ms-sgx-is-debuggable"},
    {"product-id", "x-ms-sgx-product-id"},
    {"sgx-mrenclave", "x-ms-sgx-mrenclave"},
    {"sgx-mrsigner", "x-ms-sgx-mrsigner"},
    {"svn", "x-ms-sgx-svn"},
    {"tee", "x-ms-attestation-type"},
    {"maa-ehd", "x-ms-sgx-ehd"},
    {"aas-ehd", "x-ms-sgx-ehd"},
    {"maa-attestationcollateral", "x-ms-sgx-collateral"},
    {"policy_hash", "x-ms-policy-hash"},
}};

constexpr std::array<std::string_view, 11> kCommonClaims = {
    "iss",         "jti",   "x-ms-ver",   "x-ms-attestation-type",  "x-ms-policy-hash",  "x-ms-policy-signer",
    "x-ms-policy", "nonce", "secureboot", "x-ms-policy-token-hash", "x-ms-policy-result"};

std::string FormatDuration(std::int64_t seconds) {
  const bool negative = seconds < 0;
  const std::uint64_t s = negative ? 0 - static_cast<std::uint64_t>(seconds) : static_cast<std::uint64_t>(seconds);
  std::string out = std::to_string(s / 86400) + "d " + std::to_string(s / 3600 % 24) + "h " +
                    std::to_string(s / 60 % 60) + "m " + std::to_string(s % 60) + "s";
  if (out.starts_with("0d ")) out.erase(0, 3);
  return negative ? "-" + out : out;
}

/// Scalars as they are; small arrays of scalars as they are; objects one
/// level deep; anything larger as a count (every claim: --claims).
Json Summarise(const Json& value, int depth) {
  if (value.is_array()) {
    bool scalars = value.size() <= 16;
    for (const Json& v : value) scalars = scalars && v.is_primitive();
    return scalars ? value : Json("array of " + std::to_string(value.size()));
  }
  if (!value.is_object()) return value;
  if (depth >= 2) return "object with " + std::to_string(value.size()) + " members";
  Json out = Json::object();
  for (const auto& [k, v] : value.items()) out[k] = Summarise(v, depth + 1);
  return out;
}

std::string_view FamilyOf(const std::string& name) {
  for (std::string_view c : kCommonClaims) {
    if (name == c) return "common";
  }
  for (const auto& [alias, replacement] : kDeprecatedAliases) {
    if (name == alias) return "deprecated_aliases";
  }
  if (name.starts_with("x-ms-sgx-")) return "sgx";
  if (name.starts_with("x-ms-sevsnpvm-")) return "sev_snp";
  if (name == "x-ms-isolation-tee") return "sev_snp_isolation_tee";
  if (name.starts_with("x-ms-azurevm-")) return "cvm_guest";
  if (name.starts_with("x-ms-tdx-")) return "tdx";
  if (name == "x-ms-runtime" || name == "x-ms-inittime") return "runtime_data";
  return "other";
}

Json TimeFacts(const Json& claims, const CheckTime& time) {
  Json out = Json::object();
  for (auto [name, label] :
       {std::pair{"iat", "issued_at"}, std::pair{"nbf", "not_before"}, std::pair{"exp", "expires"}}) {
    const auto it = claims.find(name);
    if (it == claims.end() || !it->is_number_integer()) continue;
    const auto t = it->get<std::int64_t>();
    if (t < 0 || t > 253402300799) {
      out[label] = t;
      continue;
    }
    out[label] = FormatRfc3339(static_cast<std::time_t>(t));
  }
  if (const auto iat = claims.find("iat"); iat != claims.end() && iat->is_number_integer()) {
    out["age_at_check_time"] = FormatDuration(SaturatingSub(time.at, iat->get<std::int64_t>()));
  }
  if (const auto exp = claims.find("exp"); exp != claims.end() && exp->is_number_integer()) {
    out["lifetime_left"] = FormatDuration(SaturatingSub(exp->get<std::int64_t>(), time.at));
  }
  return out;
}

std::string DeprecatedNote(const std::string& name) {
  for (const auto& [alias, replacement] : kDeprecatedAliases) {
    if (name == alias) return " (deprecated alias of " + std::string(replacement) + ")";
  }
  return "";
}

}  // namespace

Json ClaimFamilies(const Json& claims, const CheckTime& time) {
  Json out = Json::object();
  out["times"] = TimeFacts(claims, time);
  for (const char* family : {"common", "sgx", "sev_snp", "sev_snp_isolation_tee", "cvm_guest", "tdx", "runtime_data",
                             "deprecated_aliases", "other"}) {
    out[family] = Json::object();
  }
  for (const auto& [name, value] : claims.items()) {
    if (name == "iat" || name == "nbf" || name == "exp") continue;
    const std::string family(FamilyOf(name));
    if (family == "deprecated_aliases") {
      const Json shown = Summarise(value, 1);
      std::string text = shown.is_string() ? shown.get<std::string>() : shown.dump();
      out[family][name] = text.append(DeprecatedNote(name));
    } else {
      out[family][name] = Summarise(value, family == "sev_snp_isolation_tee" || family == "runtime_data" ? 0 : 1);
    }
  }
  for (auto it = out.begin(); it != out.end();) {
    it = it->empty() ? out.erase(it) : std::next(it);
  }
  return out;
}

}  // namespace keyattest::maa
