// Builders for synthetic JWS/JWT tokens and JWKS (docs/maa.md), signed with
// RSA keys made in-process: every MAA rule gets a failing case next to a
// passing twin without real tokens.
#pragma once

#include <nlohmann/json.hpp>

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

/// base64url without padding of `text`'s bytes.
std::string B64Url(std::string_view text);
std::string B64Url(ByteSpan bytes);

/// A fresh RSA key of `bits` (e = 65537), made once per size per process.
/// Callers own the returned reference.
EvpPkeyPtr FreshRsaKey(int bits);

/// Signs `signing_input` with `key`: PKCS#1 v1.5 (or PSS when `pss`) over the
/// digest `md`.
Bytes RsaSign(EVP_PKEY* key, std::string_view signing_input, const EVP_MD* md = EVP_sha256(), bool pss = false);
/// HMAC-SHA-256 of `signing_input` keyed with `secret`.
Bytes HmacSha256(ByteSpan secret, std::string_view signing_input);

/// The DER of a self-signed certificate for `key` (CN = `cn`).
Bytes SelfSignedCertDer(EVP_PKEY* key, const std::string& cn = "https://maa.test.example");
/// The big-endian n and e of an RSA key, base64url.
std::string RsaN(EVP_PKEY* key);
std::string RsaE(EVP_PKEY* key);

/// A JWK for `key`: x5c (self-signed certificate), n/e, or both.
nlohmann::ordered_json MakeJwk(EVP_PKEY* key, const std::string& kid, bool with_x5c = true, bool with_n_e = false);
/// {"keys": [...]} as text.
std::string JwksText(const std::vector<nlohmann::ordered_json>& keys);

/// The synthetic issuer and times every builder token uses.
inline constexpr const char* kTestIssuer = "https://maatest.eus.attest.azure.net";
std::time_t TestIat();  // 2030-01-01T00:00:00Z; nbf = iat, exp = iat + 8 h

/// A token built member by member, then encoded and signed. Header and claims
/// are given as JSON text so that tests can write exactly what a forger would
/// (duplicate members, odd spacing); Header()/Claims() use the defaults.
class TokenBuilder {
 public:
  TokenBuilder(EVP_PKEY* key, std::string kid);

  nlohmann::ordered_json& header() { return header_; }
  nlohmann::ordered_json& claims() { return claims_; }
  /// Replaces the encoded header or payload JSON text with `text` exactly.
  TokenBuilder& HeaderText(std::string text);
  TokenBuilder& PayloadText(std::string text);

  std::string SigningInput() const;
  /// RS256-signed compact JWS.
  std::string Build() const;
  /// Compact JWS with `signature` as its third segment (raw bytes).
  std::string BuildWithSignature(ByteSpan signature) const;

 private:
  EVP_PKEY* key_;
  nlohmann::ordered_json header_;
  nlohmann::ordered_json claims_;
  std::string header_text_;
  std::string payload_text_;
};

}  // namespace keyattest::testing
