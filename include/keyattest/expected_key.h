// The key a user expects the attestation to be about: the response's JWK
// (an unsigned claim) or a --key file. Binding compares it with the signed
// attributes (format doc §8.2).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "keyattest/bytes.h"
#include "keyattest/openssl_ptr.h"

namespace keyattest {

/// The parts of an Azure kid: https://<host>/keys/<name>[/<version>].
struct KeyIdentifier {
  std::string kid;
  std::string host;
  std::string pool;  // first DNS label of the host
  std::string name;
  std::optional<std::string> version;
};

/// Parses a kid; nullopt (with `why`) when it is not of that shape.
std::optional<KeyIdentifier> ParseKeyIdentifier(const std::string& kid, std::string* why);

/// The expected key, already in canonical form.
struct ExpectedKey {
  std::string source;                    // "attestation JWK" or "--key <path>"
  std::string kty;                       // JWK kty as given ("RSA-HSM", "EC", "oct"...)
  std::optional<KeyIdentifier> key_id;   // from the JWK's kid
  std::shared_ptr<EVP_PKEY> public_key;  // null for symmetric keys
  Bytes rsa_n;                           // minimal big-endian, RSA only
  Bytes rsa_e;
  Bytes ec_point;  // 04||X||Y, EC only
  int ec_nid = 0;  // OpenSSL NID of the curve, EC only
  Bytes spki_der;  // canonical SubjectPublicKeyInfo, asymmetric only

  bool IsAsymmetric() const { return public_key != nullptr; }
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

/// From a file holding a JWK (JSON) or a PEM public key. Throws KeyError.
ExpectedKey LoadExpectedKeyFile(const std::string& path);

/// Canonical SubjectPublicKeyInfo DER of a public key.
Bytes SpkiDer(EVP_PKEY* key);

}  // namespace keyattest
