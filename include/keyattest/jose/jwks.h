// A JSON Web Key Set (RFC 7517 §5) as a trust input: the body of an MAA
// `GET <issuer>/certs`. Keys are found by exact kid and nothing else; the set
// must be unambiguous (docs/maa.md "JWKS").
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::jose {

/// The JWKS cannot be used as a trust input (the caller maps it to exit 2):
/// not JSON, no keys array, two entries with one kid, an entry whose x5c[0]
/// key differs from its n/e, undecodable key material.
class JwksError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kMaxJwksKeys = 256;
inline constexpr std::size_t kMaxX5cCertificates = 16;

struct Jwk {
  std::string kid;
  std::string kty;             // as given ("" when absent)
  std::vector<Bytes> x5c_der;  // x5c, decoded, in order (x5c[0] holds the key)
  /// x5c[0] decoded once (it holds `key`), for checks of the certificate
  /// itself (docs/sgx-evidence.md); null when the entry has no x5c or
  /// declares a kty other than RSA (x5c[0] is then not decoded).
  std::shared_ptr<X509> certificate;
  bool has_n_e = false;           // the entry carries n and e
  std::shared_ptr<EVP_PKEY> key;  // x5c[0]'s key, else n/e; null when unusable
  std::string unusable_reason;    // why `key` is null (e.g. kty "EC")
  int bits = 0;                   // RSA modulus bits
  /// The key's RSA modulus, read once for every signature the key checks
  /// (jose::VerifyRs256); null when `key` is.
  std::shared_ptr<const BIGNUM> modulus;
  nlohmann::ordered_json json;  // the entry as given
};

struct Jwks {
  std::vector<Jwk> keys;
  /// The entry whose kid equals `kid` byte for byte, or nullptr. No
  /// normalisation and no fallback.
  const Jwk* FindKid(std::string_view kid) const;
};

/// Parses and checks a JWKS. Every entry must be an object with a string
/// kid; x5c (when present) a non-empty array of base64 DER certificates;
/// n/e (when present) both base64url. RSA entries get their key from x5c[0]
/// or n/e, and when both are present they must be the same key. Entries of
/// other key types are kept, marked unusable. Throws JwksError.
Jwks ParseJwks(std::string_view text);

/// An RSA public key from big-endian n and e (JWK "n"/"e"). Throws
/// JwksError when they do not form a usable RSA key.
EvpPkeyPtr RsaKeyFromModulus(ByteSpan n, ByteSpan e);

/// The public key of exactly one DER certificate (no trailing bytes);
/// throws JwksError naming `what` otherwise.
EvpPkeyPtr PublicKeyOfCertificate(ByteSpan der, const std::string& what);

}  // namespace keyattest::jose
