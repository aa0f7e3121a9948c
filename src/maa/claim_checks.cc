// token.issuer, token.time and claim.<path> (docs/maa.md "Checks").
#include <cstdint>

#include "keyattest/core/errors.h"
#include "keyattest/core/saturating.h"
#include "keyattest/maa/maa_checks.h"
#include "keyattest/x509/certificate.h"
#include "src/maa/claim_values.h"
#include "src/maa/token_checks.h"

namespace keyattest::maa {

namespace {

std::optional<std::int64_t> TimeClaim(const nlohmann::ordered_json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::string Utc(std::int64_t t) {
  if (t < 0 || t > 253402300799) return std::to_string(t) + " (outside 0000-9999)";
  return FormatRfc3339(static_cast<std::time_t>(t));
}

void CheckTime(const nlohmann::ordered_json& claims, const CheckTime& time, TokenChecks& checks) {
  const std::int64_t at = time.at;
  const std::int64_t skew = time.skew_seconds;
  // Claims are hostile: sums and differences saturate (core/saturating.h).
  const std::int64_t exp = *TimeClaim(claims, "exp");
  const std::optional<std::int64_t> nbf = TimeClaim(claims, "nbf");
  const std::optional<std::int64_t> iat = TimeClaim(claims, "iat");
  std::string window = (nbf ? "nbf " + Utc(*nbf) + ", " : std::string("no nbf, ")) + "exp " + Utc(exp) + ", at " +
                       time.Rfc3339() + ", skew " + std::to_string(skew) + " s";
  if (iat) window += ", age " + std::to_string(SaturatingSub(at, *iat)) + " s since iat " + Utc(*iat);
  // Valid iff nbf - skew <= at, iat - skew <= at and at < exp + skew.
  if (nbf && at < SaturatingSub(*nbf, skew)) {
    return checks.Fail(kTokenTime, "not yet valid: valid in " +
                                       std::to_string(SaturatingSub(SaturatingSub(*nbf, skew), at)) + " s (" + window +
                                       ")");
  }
  // Nor can a token be valid as of a time before it was issued: without an
  // nbf (MAA writes nbf = iat), iat bounds the window from below.
  if (iat && at < SaturatingSub(*iat, skew)) {
    return checks.Fail(kTokenTime, "not yet issued: issued in " +
                                       std::to_string(SaturatingSub(SaturatingSub(*iat, skew), at)) + " s (" + window +
                                       ")");
  }
  const std::int64_t end = SaturatingAdd(exp, skew);
  if (at >= end) {
    return checks.Fail(kTokenTime,
                       "expired " + std::to_string(SaturatingSub(at, end)) + " s beyond exp + skew (" + window + ")");
  }
  checks.Pass(kTokenTime, "valid for " + std::to_string(SaturatingSub(end, at)) + " s more (" + window + ")");
}

}  // namespace

void CheckIssuerTimeAndClaims(const TokenState& state, const MaaTokenOptions& options, TokenChecks& checks) {
  if (!state.claims_ok) {
    checks.Skip(kTokenIssuer, "the token claims are unusable");
    checks.Skip(kTokenTime, "the token claims are unusable");
    for (const ClaimRequirement& r : options.required_claims) {
      checks.Skip(CheckName(r.Id(), kClaimCheckTitle), "the token claims are unusable");
    }
    return;
  }
  const std::string& iss = state.claims["iss"].get_ref<const std::string&>();
  checks.Result(
      kTokenIssuer, iss == options.issuer,
      iss == options.issuer ? iss : "iss \"" + iss + "\" is not \"" + options.issuer + "\" (compared exactly)");
  CheckTime(state.claims, options.time, checks);
  for (const ClaimRequirement& r : options.required_claims) {
    const CheckName check(r.Id(), kClaimCheckTitle);
    std::string why;
    const bool ok = ClaimEquals(state.claims, r, &why);
    checks.Result(check, ok, why);
  }
}

}  // namespace keyattest::maa
