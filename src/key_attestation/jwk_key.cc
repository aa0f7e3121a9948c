// The expected key from a JWK (RFC 7517/7518): the response's "key" or a
// --key file holding one.
#include <string>

#include "keyattest/crypto/curves.h"
#include "keyattest/io/base64.h"
#include "keyattest/key_attestation/expected_key.h"
#include "src/key_attestation/expected_key_parts.h"

namespace keyattest {

namespace {

using expected_key_parts::SetEc;
using expected_key_parts::SetRsa;

Bytes JwkBytes(const nlohmann::json& jwk, const char* member) {
  auto it = jwk.find(member);
  if (it == jwk.end() || !it->is_string()) throw KeyError(std::string("JWK member '") + member + "' is missing");
  std::string why;
  auto bytes = DecodeBase64Any(it->get<std::string>(), &why);
  if (!bytes) throw KeyError(std::string("JWK member '") + member + "' is not base64url: " + why);
  return std::move(*bytes);
}

}  // namespace

ExpectedKey ExpectedKeyFromJwk(const nlohmann::json& jwk, std::string source) {
  if (!jwk.is_object()) throw KeyError("JWK is not a JSON object");
  ExpectedKey out;
  out.source = std::move(source);
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) throw KeyError("JWK member 'kty' is missing");
  out.kty = kty->get<std::string>();
  if (auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string()) throw KeyError("JWK member 'kid' is not a string");
    std::string why;
    out.key_id = ParseKeyIdentifier(kid->get<std::string>(), &why);
    if (!out.key_id) throw KeyError("JWK kid '" + kid->get<std::string>().substr(0, 200) + "' " + why);
  }
  const std::string family = out.kty.substr(0, out.kty.find('-'));  // "RSA-HSM" -> "RSA"
  if (family == "RSA") {
    SetRsa(out, JwkBytes(jwk, "n"), JwkBytes(jwk, "e"));
  } else if (family == "EC") {
    auto crv = jwk.find("crv");
    if (crv == jwk.end() || !crv->is_string()) throw KeyError("JWK member 'crv' is missing");
    const std::string& crv_name = crv->get_ref<const std::string&>();
    const EcCurve* curve = CurveByJoseName(crv_name);
    if (curve == nullptr) throw KeyError("JWK curve '" + crv->get<std::string>().substr(0, 40) + "' is not supported");
    Bytes x = JwkBytes(jwk, "x");
    Bytes y = JwkBytes(jwk, "y");
    if (x.size() != curve->field_bytes || y.size() != curve->field_bytes) {
      throw KeyError("JWK x/y are not " + std::to_string(curve->field_bytes) + " bytes for " + crv_name);
    }
    Bytes point{0x04};
    point.insert(point.end(), x.begin(), x.end());
    point.insert(point.end(), y.begin(), y.end());
    SetEc(out, curve->nid, std::move(point));
  } else if (family == "oct") {
    // Symmetric: Azure never returns key material; only the kid can bind.
  } else {
    throw KeyError("JWK kty '" + out.kty.substr(0, 40) + "' is not supported");
  }
  return out;
}

}  // namespace keyattest
