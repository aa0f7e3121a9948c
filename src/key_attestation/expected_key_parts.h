// Internal to the expected-key files: building an ExpectedKey from its
// components, shared by the JWK and the key-file decoders.
#pragma once

#include "keyattest/key_attestation/expected_key.h"

namespace keyattest::expected_key_parts {

/// RSA n and e (big-endian, leading zeros dropped). Throws KeyError.
void SetRsa(ExpectedKey& out, Bytes n, Bytes e);
/// An uncompressed point on the curve with OpenSSL NID `nid`. Throws KeyError.
void SetEc(ExpectedKey& out, int nid, Bytes point);
/// The components of a parsed OpenSSL public key (RSA or EC). Throws KeyError.
void FillFromPublicKey(ExpectedKey& out, EVP_PKEY* key);

}  // namespace keyattest::expected_key_parts
