// RS256 (RFC 7518 §3.3): RSASSA-PKCS1-v1_5 with SHA-256, on OpenSSL EVP.
#pragma once

#include <openssl/evp.h>

#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::jose {

/// The RSA modulus size of `key` in bits, or 0 when it is not an RSA key.
int RsaModulusBits(EVP_PKEY* key);

/// Verifies an RS256 signature over `signing_input`. Before OpenSSL sees it,
/// the signature must be exactly the modulus length (no leading-zero
/// trimming, no padding out) and, as a number, less than the modulus (so
/// s + n is not accepted). Returns false with the reason in `why`.
bool VerifyRs256(EVP_PKEY* key, std::string_view signing_input, ByteSpan signature, std::string* why);

/// The modulus of an RSA key, or null when `key` is not RSA.
BignumPtr RsaModulus(EVP_PKEY* key);

/// VerifyRs256 with the key's modulus read beforehand (`n` must be
/// RsaModulus(key)): a key that verifies many signatures reads it once.
/// The same checks, in the same order, with the same reasons.
bool VerifyRs256(EVP_PKEY* key, const BIGNUM* n, std::string_view signing_input, ByteSpan signature, std::string* why);

}  // namespace keyattest::jose
