// An X.509 certificate from the attestation's PEM bundle, with the facts the
// report shows, and the strict bundle parser (docs/marvell-format.md §12 step 3).
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/core/rfc3339.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/crypto/rsa_public_key.h"

namespace keyattest {

/// Immutable after construction. Copies share one record of the facts (and
/// the X509), so copying is cheap and copies may be used from several
/// threads.
class Certificate {
 public:
  /// Takes ownership; throws CryptoError if the certificate lacks a usable
  /// public key or cannot be re-encoded.
  explicit Certificate(X509Ptr cert);

  X509* get() const { return facts_->cert.get(); }
  EVP_PKEY* public_key() const { return X509_get0_pubkey(facts_->cert.get()); }
  const Bytes& der() const { return facts_->der; }
  /// The signed tbsCertificate: the first element of der().
  ByteSpan tbs_der() const { return facts_->tbs_der; }
  /// X509_get_extension_flags (EXFLAG_...) and X509_get_key_usage (KU_...,
  /// UINT32_MAX without a keyUsage extension), read once: OpenSSL takes the
  /// certificate's lock to read them, and parsed certificates are shared by
  /// the threads of a batch.
  std::uint32_t extension_flags() const { return facts_->extension_flags; }
  std::uint32_t key_usage() const { return facts_->key_usage; }
  const Bytes& spki_der() const { return facts_->spki_der; }
  const Bytes& sha256() const { return facts_->sha256; }
  const Bytes& spki_sha256() const { return facts_->spki_sha256; }

  const std::string& subject() const { return facts_->subject; }
  /// The subject's (first) commonName, or "" when it has none.
  const std::string& common_name() const { return facts_->common_name; }
  const std::string& issuer() const { return facts_->issuer; }
  const std::string& serial_hex() const { return facts_->serial_hex; }
  const std::string& not_before() const { return facts_->not_before; }  // RFC 3339, UTC
  const std::string& not_after() const { return facts_->not_after; }
  long version() const { return X509_get_version(facts_->cert.get()) + 1; }
  /// Key algorithm and size, e.g. "RSA-2048" or "EC-256".
  const std::string& key_description() const { return facts_->key_description; }
  const std::string& signature_algorithm() const { return facts_->signature_algorithm; }

  /// The public key prepared for raw RSA operations, built on first use and
  /// shared by every copy; nullptr when the key is not a usable RSA key.
  const RsaPublicKey* rsa_public_key() const;

  /// Subject DER equals issuer DER (names compared as DER, never as text).
  bool IsSelfIssued() const;
  /// This certificate's issuer DER equals `issuer`'s subject DER.
  bool NameChainsTo(const Certificate& issuer) const;

 private:
  struct Facts {
    X509Ptr cert;
    Bytes der, spki_der, sha256, spki_sha256;
    ByteSpan tbs_der;  // a view into der
    std::uint32_t extension_flags = 0;
    std::uint32_t key_usage = 0;
    std::string subject, common_name, issuer, serial_hex, not_before, not_after, key_description, signature_algorithm;
    mutable std::once_flag rsa_once;
    mutable std::optional<RsaPublicKey> rsa;
  };
  std::shared_ptr<const Facts> facts_;
};

inline constexpr std::size_t kMaxBundleCertificates = 16;

struct PemBundle {
  std::vector<Certificate> certificates;  // in bundle order, exact duplicates removed
  std::size_t duplicates_removed = 0;
};

/// Reuses parsed certificates by their exact DER bytes. Parsing is a pure
/// function of those bytes, and with OpenSSL 3.0 d2i_X509 costs several RSA
/// verifications, so a batch parses each distinct certificate once. Nothing
/// about trust is cached here: chains and signatures are still verified.
/// Thread-safe and bounded.
class CertificateCache {
 public:
  explicit CertificateCache(std::size_t capacity = 4096) : capacity_(capacity) {}
  std::size_t capacity() const { return capacity_; }
  /// The certificate for `der`, parsed now or earlier; nullptr if `der` is
  /// not exactly one DER certificate.
  std::shared_ptr<const Certificate> Parse(ByteSpan der);

  /// A bundle parsed earlier from exactly the bytes `pem`, or nullptr. Only
  /// bundles that parsed are kept; a malformed one is parsed (and rejected)
  /// every time.
  std::shared_ptr<const PemBundle> FindBundle(ByteSpan pem);
  void StoreBundle(ByteSpan pem, const PemBundle& bundle);

 private:
  /// Ordered maps looked up by a view of the bytes: a hit copies nothing and
  /// hashes nothing (a bundle is a few KiB, looked up once a file); a key
  /// comparison stops at the first byte that differs.
  template <class Value>
  using ByBytes = std::map<std::string, Value, std::less<>>;

  std::size_t capacity_;
  std::mutex mutex_;
  ByBytes<std::shared_ptr<const Certificate>> entries_;
  ByBytes<std::shared_ptr<const PemBundle>> bundles_;
};

/// The certificate bundle is malformed (a verification failure, exit 1).
class BundleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The DER of each block of a PEM bundle, in order, without decoding it:
/// only CERTIFICATE blocks (no headers), bodies in strict standard base64
/// with '=' padding, at least one and at most kMaxBundleCertificates blocks.
/// Printable explanatory text (RFC 7468 §5.2) may come before, between and
/// after blocks; lines may end in CRLF; any other control byte outside a
/// block is an error. Throws BundleError.
std::vector<Bytes> SplitPemCertificates(ByteSpan pem);

/// Parses a PEM bundle strictly (SplitPemCertificates), each block exactly
/// one certificate in canonical DER as supplied (definite, minimal lengths;
/// re-encoding, including of the signed tbsCertificate, gives the same
/// bytes), with no trailing bytes. Certificates are fingerprinted by the
/// bytes supplied. Throws BundleError. `cache` (optional) reuses
/// certificates parsed before.
PemBundle ParsePemBundle(ByteSpan pem, CertificateCache* cache = nullptr);

/// Decodes exactly one certificate given as DER (a JWK's x5c entry), by the
/// rule ParsePemBundle applies to each block: canonical DER as supplied,
/// with no trailing bytes. Throws BundleError naming `what`: "<what> is not
/// a DER X.509 certificate", "<what> has bytes after the certificate" or
/// "<what> is not canonical DER: <why>".
X509Ptr DecodeCanonicalDerCertificate(ByteSpan der, const std::string& what);

/// Parses exactly one PEM certificate (e.g. a --marvell-root file).
Certificate ParseSinglePemCertificate(ByteSpan pem);

/// RFC 2253 text of a name (multi-valued RDNs joined with '+'), for display.
std::string FormatName(const X509_NAME* name);

}  // namespace keyattest
