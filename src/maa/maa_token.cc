// The MAA token verifier (docs/maa.md "Checks"): each rule of the issue is
// one named check, evaluated in a fixed order; a check whose input is
// missing is skipped with the reason, so the verdict fails through the check
// that failed first.
#include "keyattest/maa/maa_token.h"

#include <limits>
#include <optional>

#include "keyattest/core/errors.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/jose/jwks.h"
#include "keyattest/jose/jws.h"
#include "keyattest/jose/rs256.h"
#include "keyattest/maa/maa_checks.h"
#include "src/maa/token_checks.h"

namespace keyattest::maa {

namespace {

/// The compact JWS inside the file text: one final line ending dropped, and
/// the service's {"token": "..."} body unwrapped. Throws JwsError.
std::string UnwrapToken(std::string_view file_text) {
  std::string_view text = jose::StripFinalLineEnding(file_text);
  if (text.empty() || text.front() != '{') return std::string(text);
  nlohmann::ordered_json body;
  try {
    body = jose::ParseJoseObject(text);
  } catch (const std::exception& e) {
    throw jose::JwsError(jose::JwsPart::kFormat, std::string("token body is not strict JSON: ") + e.what());
  }
  const auto token = body.find("token");
  if (body.size() != 1 || token == body.end() || !token->is_string()) {
    throw jose::JwsError(jose::JwsPart::kFormat, "a JSON token body must be exactly {\"token\": \"<compact JWS>\"}");
  }
  return token->get<std::string>();
}

void CheckFormat(std::string_view token_text, MaaTokenResult& result, TokenState& state, TokenChecks& checks) {
  try {
    result.compact = UnwrapToken(token_text);
    state.jws = jose::ParseCompactJws(result.compact, jose::JwsParseOptions{.payload_is_json_object = false});
  } catch (const jose::JwsError& e) {
    if (e.part() == jose::JwsPart::kFormat) {
      checks.FailMalformed(kTokenFormat, e.what());
      return;
    }
    checks.Pass(kTokenFormat, "three base64url segments");
    checks.FailMalformed(kTokenHeader, e.what());
    return;
  }
  checks.Pass(kTokenFormat, "three base64url segments (" + std::to_string(result.compact.size()) + " bytes, " +
                                std::to_string(state.jws->signature.size()) + "-byte signature)");
}

void CheckHeader(TokenState& state, TokenChecks& checks) {
  if (!state.jws) {
    if (!state.header_ok) checks.Skip(kTokenHeader, "the token is not a compact JWS");
    return;
  }
  const nlohmann::ordered_json& header = state.jws->header;
  const auto alg = header.find("alg");
  const auto kid = header.find("kid");
  if (alg == header.end() || !alg->is_string()) return checks.FailMalformed(kTokenHeader, "no \"alg\" string");
  if (kid == header.end() || !kid->is_string() || kid->get_ref<const std::string&>().empty()) {
    return checks.FailMalformed(kTokenHeader, "no \"kid\" string: the signing key cannot be named");
  }
  if (header.contains("jku") && !header["jku"].is_string())
    return checks.FailMalformed(kTokenHeader, "\"jku\" is not a string");
  if (header.contains("typ") && !header["typ"].is_string())
    return checks.FailMalformed(kTokenHeader, "\"typ\" is not a string");
  state.header_ok = true;
  checks.Pass(kTokenHeader, "strict JSON object with alg and kid (" + std::to_string(header.size()) + " members)");
}

std::optional<std::string> TimeClaimError(const nlohmann::ordered_json& claims, const char* name, bool required) {
  const auto it = claims.find(name);
  if (it == claims.end()) {
    return required ? std::optional<std::string>(std::string("no \"") + name + "\" claim") : std::nullopt;
  }
  if (!it->is_number_integer()) return std::string("\"") + name + "\" is not an integer (NumericDate)";
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()}) {
    return std::string("\"") + name + "\" is out of range";
  }
  return std::nullopt;
}

void CheckClaims(TokenState& state, TokenChecks& checks) {
  if (!state.header_ok) return checks.Skip(kTokenClaims, "the token header is unusable");
  try {
    state.claims = jose::ParseJoseObject(state.jws->payload_bytes);
  } catch (const JsonSyntaxError& e) {
    return checks.FailMalformed(kTokenClaims, std::string("payload is not strict JSON: ") + e.what());
  } catch (const std::invalid_argument& e) {
    return checks.FailMalformed(kTokenClaims, std::string("payload: ") + e.what());
  }
  const auto iss = state.claims.find("iss");
  if (iss == state.claims.end() || !iss->is_string()) return checks.FailMalformed(kTokenClaims, "no \"iss\" string");
  for (auto [name, required] : {std::pair{"exp", true}, std::pair{"nbf", false}, std::pair{"iat", false}}) {
    if (auto error = TimeClaimError(state.claims, name, required)) return checks.FailMalformed(kTokenClaims, *error);
  }
  state.claims_ok = true;
  checks.Pass(kTokenClaims, std::to_string(state.claims.size()) + " claims; iss, exp" +
                                (state.claims.contains("nbf") ? ", nbf" : "") +
                                (state.claims.contains("iat") ? ", iat" : "") + " well-typed");
}

void CheckAlgAndCrit(const TokenState& state, TokenChecks& checks) {
  if (!state.header_ok) {
    checks.Skip(kTokenAlg, "the token header is unusable");
    checks.Skip(kTokenCrit, "the token header is unusable");
    return;
  }
  const std::string& alg = state.jws->header["alg"].get_ref<const std::string&>();
  checks.Result(kTokenAlg, alg == "RS256",
                alg == "RS256" ? "RS256" : "alg \"" + alg + "\" is not RS256 (the only algorithm MAA signs with)");
  if (state.jws->header.contains("crit")) {
    checks.Fail(kTokenCrit, "header has \"crit\": no extension is understood here, so the token is rejected");
  } else {
    checks.Pass(kTokenCrit, "no crit");
  }
}

void CheckJku(const TokenState& state, TokenChecks& checks) {
  if (!state.header_ok || !state.claims_ok) return checks.Skip(kTokenJku, "the token header or claims are unusable");
  const auto jku = state.jws->header.find("jku");
  if (jku == state.jws->header.end()) return checks.Pass(kTokenJku, "no jku");
  const std::string expected = state.claims["iss"].get<std::string>() + "/certs";
  const std::string& got = jku->get_ref<const std::string&>();
  checks.Result(kTokenJku, got == expected,
                got == expected ? got + " (not fetched; the JWKS given is used)"
                                : "jku \"" + got + "\" is not iss + \"/certs\" (\"" + expected + "\")");
}

}  // namespace

void RequireIssuer(const MaaTokenOptions& options) {
  if (options.issuer.empty()) throw UsageError("the expected issuer (--issuer URL) is required");
}

MaaTokenResult VerifyMaaToken(std::string_view token_text, std::string_view jwks_text, const MaaTokenOptions& options,
                              Report& report) {
  RequireIssuer(options);  // before the JWKS is parsed, as ever
  return VerifyMaaToken(token_text, IssuerKeys(jwks_text), options, report);
}

MaaTokenResult VerifyMaaToken(std::string_view token_text, const IssuerKeys& keys, const MaaTokenOptions& options,
                              Report& report) {
  RequireIssuer(options);
  MaaTokenResult result;
  TokenState state;
  TokenChecks checks(report, options.check_prefix);
  CheckFormat(token_text, result, state, checks);
  CheckHeader(state, checks);
  CheckClaims(state, checks);
  CheckAlgAndCrit(state, checks);
  CheckJku(state, checks);
  CheckJwksAndKid(keys, result, state, checks);
  CheckSignature(state, checks);
  CheckIssuerTimeAndClaims(state, options, checks);
  result.verified = checks.all_passed();
  // The checks are done with the token: what the result hands out is moved,
  // not copied.
  if (state.jws) result.header = std::move(state.jws->header);
  if (result.verified) result.claims = std::move(state.claims);
  return result;
}

}  // namespace keyattest::maa
