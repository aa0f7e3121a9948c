// An X.509 certificate from the attestation's PEM bundle, with the facts the
// report shows, and the strict bundle parser (format doc §12 step 3).
#pragma once

#include <ctime>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "keyattest/bytes.h"
#include "keyattest/openssl_ptr.h"

namespace keyattest {

/// Immutable after construction, so copies (which share the X509 by
/// reference count) may be used from several threads.
class Certificate {
 public:
  /// Takes ownership; throws CryptoError if the certificate lacks a usable
  /// public key or cannot be re-encoded.
  explicit Certificate(X509Ptr cert);
  Certificate(const Certificate& other);
  Certificate& operator=(const Certificate& other);
  Certificate(Certificate&&) noexcept = default;
  Certificate& operator=(Certificate&&) noexcept = default;

  X509* get() const { return cert_.get(); }
  EVP_PKEY* public_key() const { return X509_get0_pubkey(cert_.get()); }
  const Bytes& der() const { return der_; }
  const Bytes& spki_der() const { return spki_der_; }
  const Bytes& sha256() const { return sha256_; }
  const Bytes& spki_sha256() const { return spki_sha256_; }

  const std::string& subject() const { return subject_; }
  /// The subject's (first) commonName, or "" when it has none.
  const std::string& common_name() const { return common_name_; }
  const std::string& issuer() const { return issuer_; }
  const std::string& serial_hex() const { return serial_hex_; }
  const std::string& not_before() const { return not_before_; }  // RFC 3339, UTC
  const std::string& not_after() const { return not_after_; }
  long version() const { return X509_get_version(cert_.get()) + 1; }
  /// Key algorithm and size, e.g. "RSA-2048" or "EC-256".
  const std::string& key_description() const { return key_description_; }
  const std::string& signature_algorithm() const { return signature_algorithm_; }

  /// Subject DER equals issuer DER (names compared as DER, never as text).
  bool IsSelfIssued() const;
  /// This certificate's issuer DER equals `issuer`'s subject DER.
  bool NameChainsTo(const Certificate& issuer) const;

 private:
  X509Ptr cert_;
  Bytes der_;
  Bytes spki_der_;
  Bytes sha256_;
  Bytes spki_sha256_;
  std::string subject_, common_name_, issuer_, serial_hex_, not_before_, not_after_, key_description_,
      signature_algorithm_;
};

/// Reuses parsed certificates by their exact DER bytes. Parsing is a pure
/// function of those bytes, and with OpenSSL 3.0 d2i_X509 costs several RSA
/// verifications, so a batch parses each distinct certificate once. Nothing
/// about trust is cached here: chains and signatures are still verified.
/// Thread-safe and bounded.
class CertificateCache {
 public:
  explicit CertificateCache(std::size_t capacity = 4096) : capacity_(capacity) {}
  /// The certificate for `der`, parsed now or earlier; nullptr if `der` is
  /// not exactly one DER certificate.
  std::shared_ptr<const Certificate> Parse(ByteSpan der);

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Certificate>> entries_;
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

/// The DER of each block of a PEM bundle, in order, without decoding it:
/// only CERTIFICATE blocks, only whitespace between them, base64 bodies, at
/// least one and at most kMaxBundleCertificates blocks. Throws BundleError.
std::vector<Bytes> SplitPemCertificates(ByteSpan pem);

/// Parses a PEM bundle strictly: only CERTIFICATE blocks, only whitespace
/// between them, each block canonical base64 of exactly one DER certificate
/// with no trailing bytes, at most kMaxBundleCertificates. Throws BundleError.
/// `cache` (optional) reuses certificates parsed before.
PemBundle ParsePemBundle(ByteSpan pem, CertificateCache* cache = nullptr);

/// Parses exactly one PEM certificate (e.g. a --marvell-root file).
Certificate ParseSinglePemCertificate(ByteSpan pem);

/// RFC 2253 text of a name (multi-valued RDNs joined with '+'), for display.
std::string FormatName(const X509_NAME* name);

/// Formats a time_t as RFC 3339 UTC ("2026-11-22T21:02:58Z").
std::string FormatRfc3339(std::time_t t);

}  // namespace keyattest
