// The `release-response` verifier: the JWS Key Vault or Managed HSM returns
// from POST .../keys/<name>/release (docs/skr.md "release-response").
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/check_time.h"
#include "keyattest/core/limits.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::skr {

inline constexpr const char* kReleaseResponseKind = "release-response";
inline constexpr std::size_t kMaxResponseBytes = kMaxReleaseResponseBytes;  // core/limits.h

/// The compact JWS of a response body: the {"value": JWS} object, or the
/// compact JWS itself (a trailing CR/LF ignored). Throws ResponseFormatError.
std::string ExtractResponseJws(std::string_view text);

/// A key identifier https://<host>/keys/<name>[/<version>].
struct KeyId {
  std::string host;
  std::string name;
  std::string version;  // empty when absent
};
/// nullopt unless `kid` has exactly that shape.
std::optional<KeyId> ParseKeyId(std::string_view kid);

/// Verifies the JWS signature over the response with x5c[0]'s key and sets
/// response.signature. Supplied by the JOSE layer.
using ResponseSignatureCheck = std::function<void(const Certificate& leaf, Report& report)>;

struct DecodedResponse {
  nlohmann::ordered_json header;   // the JWS protected header
  nlohmann::ordered_json payload;  // the JWS payload
};

struct ReleaseResponseOptions {
  std::string vault;               // --vault host
  std::vector<TrustAnchor> roots;  // --root, or the compiled-in root
  CheckTime check_time;
};

/// Checks a decoded response: response.format (exit 3 when the header has
/// no x5c or the payload lacks request.kid / response.key.key.kid),
/// response.alg, response.signature (through `check_signature`),
/// response.x5t, response.chain, response.hostname, response.request_kid;
/// then the facts (released key, attributes, decoded release policy,
/// key_hsm header; never the wrapped key). With `verified_claims` (a
/// verified MAA token's claims) also response.policy and response.kek, which
/// are skipped unless the signature and chain passed. Returns nothing; the
/// report holds the verdict.
void VerifyDecodedResponse(const DecodedResponse& response, const ReleaseResponseOptions& options,
                           const ResponseSignatureCheck& check_signature, const nlohmann::ordered_json* verified_claims,
                           Report& report);

struct TokenInput;

struct ReleaseResponseRequest {
  std::string response_text;    // the file as read
  std::string response_source;  // path as given
  ReleaseResponseOptions options;
  /// With --token: verified first (token.* checks), its claims then used
  /// for response.policy and response.kek.
  const TokenInput* token = nullptr;
};

/// The whole `release-response` report: the token's checks (with a token),
/// response.format from the envelope and the compact JWS (jose), then
/// VerifyDecodedResponse with RS256 by x5c[0]'s key as response.signature.
Report VerifyReleaseResponse(const ReleaseResponseRequest& request);

/// response.signature: RS256 (RSASSA-PKCS1-v1_5, SHA-256; the signature
/// exactly the modulus length and below the modulus) by `leaf`'s key over
/// `signing_input`.
void CheckRs256Signature(const Certificate& leaf, std::string_view signing_input, ByteSpan signature, Report& report);

/// response.kek alone: the key_hsm header kid names a key of the token's
/// top-level x-ms-runtime.keys usable for encryption.
void CheckKek(const nlohmann::ordered_json& payload, const nlohmann::ordered_json& claims, Report& report);

}  // namespace keyattest::skr
