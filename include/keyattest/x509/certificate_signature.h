// A certificate's signature checked with its issuer's prepared RSA key
// (docs/architecture.md "Certificate signatures with prepared keys"): the
// path verifier's replacement for X509_verify in the one form every chain
// of a key attestation uses, RSASSA-PKCS1-v1_5 with SHA-256, -384 or -512.
// X509_verify fetches the digest and the signature algorithm, builds a key
// context and takes OpenSSL 3.0's shared locks some fifty times per
// signature; the prepared check does the same arithmetic and comparison
// with none of that. Any other form is left to X509_verify.
#pragma once

#include <openssl/evp.h>

#include <optional>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/pkcs1_encoding.h"
#include "keyattest/crypto/rsa_public_key.h"
#include "keyattest/x509/certificate.h"

namespace keyattest {

/// What a prepared check of one certificate signature needs.
struct PreparedSignatureCheck {
  const RsaPublicKey* issuer_key = nullptr;
  DigestAlgorithm digest = DigestAlgorithm::kSha256;
  ByteSpan tbs;        // the signed tbsCertificate
  ByteSpan signature;  // the signatureValue's bytes
};

/// The prepared check of `subject`'s signature under `issuer`'s key, or
/// nullopt when the pair is not in the form it covers, so that X509_verify
/// must decide. Covered, and then decided exactly as OpenSSL 3.0's
/// X509_verify decides it:
///  - the issuer key is an rsaEncryption key with exponent 65537 and a
///    modulus of 512 to 16384 bits (outside them OpenSSL refuses or takes
///    other paths);
///  - the subject's signatureAlgorithm is sha256-, sha384- or
///    sha512WithRSAEncryption with absent or NULL parameters, equal to the
///    tbsCertificate's signature field (X509_verify requires that);
///  - the signatureValue BIT STRING has no unused bits.
/// Looks only at facts fixed when the certificates were parsed: no locks.
std::optional<PreparedSignatureCheck> PrepareSignatureCheck(const Certificate& subject, const Certificate& issuer);

/// True when the signature verifies: EM = s^e mod n (0 < s < n, the
/// signature exactly k bytes) equals 00 01 FF.. 00 || DigestInfo(H(tbs)).
bool SignatureVerifies(const PreparedSignatureCheck& check);

}  // namespace keyattest
