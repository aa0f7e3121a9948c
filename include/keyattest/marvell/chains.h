// Certificate paths (docs/marvell-format.md §10, §12 steps 4 and 6). Both chains are of a
// fixed shape, built from DER name equality plus signature checks, then
// verified by OpenSSL's X509_verify_cert with only the intended anchors.
#pragma once

#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::marvell {

struct ChainResult {
  bool ok = false;
  std::string detail;  // what was verified, or exactly why not
  /// Roles found. For the manufacturer chain `root` indexes the anchors (the
  /// one the verified path ends at); all
  /// other indices point into the bundle. A role may be identified (and so
  /// usable for diagnostics) even when verification failed.
  std::optional<std::size_t> root;
  std::optional<std::size_t> card;
  std::optional<std::size_t> partition;
};

/// Pinned Marvell root -> HSM card certificate -> partition certificate.
/// Checks, in order: exactly one card candidate (issuer DER == a pinned
/// root's subject DER); exactly one partition candidate (issuer DER == card
/// subject DER); card and partition
/// profile (v1 card tolerated, partition not a CA, digitalSignature if KU,
/// RSA >= 2048, partition e = 65537, SHA-2 RSA signatures); then
/// X509_verify_cert at `at` with one pinned root named as the card's issuer
/// as the only anchor (each such root in turn, until one verifies), the
/// card as the only untrusted certificate, and one tolerated error:
/// X509_V_ERR_INVALID_CA for that X.509 v1 card certificate. Every
/// signature is verified there. Only the anchors the card names are decoded.
ChainResult VerifyManufacturerChain(const std::vector<Certificate>& bundle, const std::vector<TrustAnchor>& anchors,
                                    std::time_t at);

/// Partition owner chain (Azure): a self-signed owner root in the bundle ->
/// an owner partition certificate whose SPKI equals the Marvell partition
/// certificate's. Exactly one candidate for each role (the root by DER name
/// and self-issuance); the root must be a CA; verified with the root as the
/// store's only anchor at `at`, its self-signature included.
ChainResult VerifyOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                             std::size_t marvell_partition, std::time_t at);

/// Result of the Google-style owner chain: `root` indexes `google_roots`,
/// `card` and `partition` are the owner (Google-issued) certificates.
/// Google style (docs/marvell-format.md §10.2): a pinned Google root directly issues an
/// owner card certificate and an owner partition certificate whose public
/// keys equal the Marvell card's and partition's. Exactly one candidate per
/// role (issuer DER == a pinned Google root's subject, and the SPKI); each
/// verified by X509_verify_cert with the pinned root as the only anchor.
ChainResult VerifyGoogleOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                   std::size_t marvell_partition, const std::vector<TrustAnchor>& google_roots,
                                   std::time_t at);

}  // namespace keyattest::marvell
