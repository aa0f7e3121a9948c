// Trust anchors: the pinned Marvell and Google roots compiled into the binary
// (certs/*.pem), each checked against its SPKI SHA-256 pin before use (format
// doc §0.4, §10.1, §10.2), and roots given at run time.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/x509/certificate.h"

namespace keyattest {

/// A root certificate trusted as a chain anchor.
///
/// Chains find their anchor by name, so an anchor exposes its subject name
/// and DER hash without decoding the certificate; the certificate itself is
/// decoded on first use. With OpenSSL 3.0 each decode costs about 0.1 ms (a
/// provider decoder context for the key), and a run needs one of the three
/// built-in roots, not all of them. Copies share one decoded certificate;
/// every member is safe to call from several threads.
class TrustAnchor {
 public:
  /// An anchor that is already decoded (a --marvell-root file, tests).
  explicit TrustAnchor(Certificate certificate);
  /// An anchor decoded on first use from `der`, then required to carry the
  /// key whose SPKI SHA-256 is `spki_sha256_pin` (32 bytes). The subject is
  /// read now; throws CryptoError if `der` does not have the outline of one
  /// DER certificate.
  TrustAnchor(std::string name, Bytes der, Bytes spki_sha256_pin);

  /// For messages: the pin's name, or the certificate's subject.
  const std::string& name() const;
  /// The subject name, read without decoding the certificate.
  const X509_NAME* subject() const;
  /// SHA-256 of the certificate's DER.
  const Bytes& sha256() const;
  /// SHA-256 of the SubjectPublicKeyInfo: the pin, or the decoded key's.
  const Bytes& spki_sha256() const;
  /// True when `cert`'s issuer name equals this anchor's subject (names
  /// compared as OpenSSL compares them in path building).
  bool Issued(const Certificate& cert) const;
  /// The decoded certificate. The first call decodes it and checks it
  /// against the outline and the pin; throws CryptoError (then and on every
  /// later call) when the certificate does not decode or does not match.
  const Certificate& certificate() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// One row of certs/anchors.json, compiled in.
struct PinnedRoot {
  std::string_view purpose;  // "marvell-manufacturer", "amd-ark", ...
  std::string_view name;
  std::string_view pem;
  std::string_view spki_sha256_hex;  // pin the key, not the certificate
};

/// Every compiled-in anchor, in manifest order.
std::span<const PinnedRoot> BuiltinPins();
/// The compiled-in anchors of one purpose, in manifest order.
std::vector<PinnedRoot> BuiltinPins(std::string_view purpose);
/// The same as anchors decoded on first use (each checked against its pin
/// when decoded). Throws CryptoError if the build embedded something that is
/// not one PEM certificate with a hex pin.
std::vector<TrustAnchor> BuiltinAnchors(std::string_view purpose);

/// LS1 `localca.liquidsecurity.cavium.com` (2024 reissue) and LS2
/// `cavium-liquidsecurity-ls2`.
const std::vector<PinnedRoot>& BuiltinMarvellRootPins();

/// The embedded roots as anchors decoded on first use; each is checked
/// against its pin when decoded. Throws CryptoError if the build embedded
/// something that is not one PEM certificate.
std::vector<TrustAnchor> BuiltinMarvellRoots();

/// Google Cloud HSM's owner root `Hawksbill Root v1 prod` (docs/marvell-format.md
/// §10.2), pinned by SPKI like the Marvell roots.
const std::vector<PinnedRoot>& BuiltinGoogleRootPins();
std::vector<TrustAnchor> BuiltinGoogleRoots();

}  // namespace keyattest
