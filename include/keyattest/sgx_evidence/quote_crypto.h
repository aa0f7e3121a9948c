// The cryptographic pieces of SGX quote verification (docs/sgx-evidence.md
// §5): raw P-256 keys and signatures as the quote stores them, and the hash
// that binds an MAA signing key to its enclave report.
#pragma once

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::sgx_evidence {

/// A P-256 public key from the quote's 64-byte x || y (big-endian). Throws
/// CryptoError when the bytes are not a point on the curve.
EvpPkeyPtr P256KeyFromRaw(ByteSpan x_and_y);

/// True when `r_and_s` (64 bytes, big-endian halves) is a valid ECDSA
/// signature with SHA-256 over `message` under `key` (a P-256 key). False
/// for a signature that does not verify; throws CryptoError when the
/// verification could not run.
bool VerifyEcdsaP256Sha256(EVP_PKEY* key, ByteSpan message, ByteSpan r_and_s);

/// The text PEM_write_bio_PUBKEY writes for the certificate's key.
std::string SubjectPublicKeyPem(const Certificate& certificate);

/// SHA-256(PEM of the SubjectPublicKeyInfo || one NUL byte): what an MAA
/// enclave puts in report_data[0:32] and (base64) in the key's kid.
Bytes EnclaveKeyHash(const Certificate& certificate);

/// Standard base64 with padding (the form of MAA enclave-key kids).
std::string EncodeBase64Std(ByteSpan data);

}  // namespace keyattest::sgx_evidence
