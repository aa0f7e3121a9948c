// The key a user expects the attestation to be about: the response's JWK
// (an unsigned claim) or a --key file. Binding compares it with the signed
// attributes (docs/marvell-format.md §8.2).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/key_attestation/key_identifier.h"

namespace keyattest {

/// The expected key as plain components, already in canonical form. No
/// OpenSSL key object is needed: binding compares bytes and hashes the
/// canonical SubjectPublicKeyInfo, which we encode ourselves.
struct ExpectedKey {
  std::string source;                   // "attestation JWK" or "--key <path>"
  std::string kty;                      // JWK kty as given ("RSA-HSM", "EC", "oct"...)
  std::optional<KeyIdentifier> key_id;  // from the JWK's kid
  Bytes rsa_n;                          // minimal big-endian, RSA only
  Bytes rsa_e;
  Bytes ec_point;  // 04||X||Y, EC only
  int ec_nid = 0;  // OpenSSL NID of the curve, EC only
  Bytes spki_der;  // canonical SubjectPublicKeyInfo, asymmetric only

  bool IsAsymmetric() const { return !rsa_n.empty() || !ec_point.empty(); }
  /// "RSA-2048", "EC P-256", "symmetric (oct-HSM)"
  std::string Description() const;
};

/// The expected key is malformed.
class KeyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// From a JWK (RSA n/e, EC crv/x/y, or oct with no material). Throws KeyError.
ExpectedKey ExpectedKeyFromJwk(const nlohmann::json& jwk, std::string source);

/// From the contents of a --key file (read by the caller): a JWK (JSON), a
/// PEM public key, a PEM or DER certificate request or a DER
/// SubjectPublicKeyInfo; `path` names it in errors. Throws KeyError.
ExpectedKey ParseExpectedKeyText(const std::string& text, const std::string& path);

/// Canonical SubjectPublicKeyInfo DER (RFC 8017 / RFC 5480): rsaEncryption
/// with NULL parameters and RSAPublicKey{n, e} as minimal INTEGERs, or
/// id-ecPublicKey with the named curve and the uncompressed point.
Bytes RsaSpkiDer(ByteSpan n, ByteSpan e);
/// `nid` must be a supported curve (P-256, P-384, P-521, secp256k1).
Bytes EcSpkiDer(int nid, ByteSpan uncompressed_point);

/// OpenSSL's SubjectPublicKeyInfo DER of a key object.
Bytes SpkiDer(EVP_PKEY* key);

}  // namespace keyattest
