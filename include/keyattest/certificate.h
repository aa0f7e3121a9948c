// An X.509 certificate from the attestation's PEM bundle, with the facts the
// report shows, and the strict bundle parser (format doc §12 step 3).
#pragma once

#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include "keyattest/bytes.h"
#include "keyattest/openssl_ptr.h"

namespace keyattest {

class Certificate {
 public:
  /// Takes ownership; throws CryptoError if the certificate lacks a usable
  /// public key or cannot be re-encoded.
  explicit Certificate(X509Ptr cert);

  X509* get() const { return cert_.get(); }
  EVP_PKEY* public_key() const { return X509_get0_pubkey(cert_.get()); }
  const Bytes& der() const { return der_; }
  const Bytes& spki_der() const { return spki_der_; }
  const Bytes& sha256() const { return sha256_; }
  const Bytes& spki_sha256() const { return spki_sha256_; }

  std::string subject() const;
  /// The subject's (first) commonName, or "" when it has none.
  std::string common_name() const;
  std::string issuer() const;
  std::string serial_hex() const;
  std::string not_before() const;  // RFC 3339, UTC
  std::string not_after() const;
  long version() const { return X509_get_version(cert_.get()) + 1; }
  /// Key algorithm and size, e.g. "RSA-2048" or "EC".
  std::string key_description() const;
  std::string signature_algorithm() const;

  /// Subject DER equals issuer DER (names compared as DER, never as text).
  bool IsSelfIssued() const;
  /// This certificate's issuer DER equals `issuer`'s subject DER.
  bool NameChainsTo(const Certificate& issuer) const;
  /// The signature verifies under `key`. Never throws; drains OpenSSL errors.
  bool IsSignedBy(EVP_PKEY* key) const;

 private:
  X509Ptr cert_;
  Bytes der_;
  Bytes spki_der_;
  Bytes sha256_;
  Bytes spki_sha256_;
};

/// The certificate bundle is malformed (a verification failure, exit 1).
class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kMaxBundleCertificates = 16;

struct PemBundle {
  std::vector<Certificate> certificates;  // in bundle order, exact duplicates removed
  std::size_t duplicates_removed = 0;
};

/// Parses a PEM bundle strictly: only CERTIFICATE blocks, only whitespace
/// between them, each block canonical base64 of exactly one DER certificate
/// with no trailing bytes, at most kMaxBundleCertificates. Throws BundleError.
PemBundle ParsePemBundle(ByteSpan pem);

/// Parses exactly one PEM certificate (e.g. a --marvell-root file).
Certificate ParseSinglePemCertificate(ByteSpan pem);

/// Formats a time_t as RFC 3339 UTC ("2026-11-22T21:02:58Z").
std::string FormatRfc3339(std::time_t t);

}  // namespace keyattest
