// The Marvell manufacturer chain (docs/marvell-format.md §10.1, §12 step 4):
// a fixed shape, built from DER name equality, then verified by the one path
// verifier (x509/path_verifier.h) with only the pinned roots as anchors. The
// owner chains that follow it live in key_attestation/owner_chains.h.
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

/// "subject; subject; ..." of bundle[i] for each i in `indices`, for
/// messages about ambiguous roles.
std::string SubjectsOf(const std::vector<Certificate>& bundle, const std::vector<std::size_t>& indices);

}  // namespace keyattest::marvell
