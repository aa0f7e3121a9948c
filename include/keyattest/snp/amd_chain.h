// The AMD certificate chain of an SNP report (docs/snp.md "Chain"):
// VCEK (or VLEK) <- ASK (or ASVK) <- ARK, with the ARK pinned.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "keyattest/amd/kds_extensions.h"
#include "keyattest/amd/product.h"
#include "keyattest/core/bytes.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::snp {

/// AMD's AlgorithmIdentifier for RSASSA-PSS with SHA-384, MGF1-SHA-384, a
/// 48-byte salt and trailer field 1 written out explicitly; every ARK, ASK,
/// ASVK, VCEK and VLEK carries exactly these bytes, twice.
extern const Bytes kAmdRsaPssSha384AlgorithmIdentifier;

/// The bundle sorted by role, by common name: SEV-VCEK / SEV-VLEK (leaf),
/// SEV-<Product> / SEV-VLEK-<Product> (intermediate), ARK-<Product> (root).
struct AmdChainRoles {
  std::optional<Certificate> leaf;
  std::optional<Certificate> intermediate;
  std::optional<Certificate> root;  // optional in the input; never trusted from it
  amd::Product product = amd::Product::kMilan;
  amd::EndorsementKind kind = amd::EndorsementKind::kVcek;
};

/// Sorts `certificates` by role. Throws std::invalid_argument when a common
/// name is not one of the AMD roles, a role repeats, the leaf or the
/// intermediate is missing, or leaf, intermediate and root disagree on the
/// product or on VCEK versus VLEK.
AmdChainRoles ClassifyAmdCertificates(const std::vector<Certificate>& certificates);

struct AmdChainResult {
  bool ok = false;
  std::string detail;
  std::optional<Certificate> anchor;  // the ARK the chain ended in
  bool tolerated_missing_akid = false;
};

/// Verifies the chain: the anchor is the one of `anchors` named
/// ARK-<product> that issued the intermediate; a root in the input must be
/// that anchor byte for byte; all three certificates carry
/// kAmdRsaPssSha384AlgorithmIdentifier, are X.509 v3, RSA-4096 (ARK, ASK)
/// and EC P-384 (leaf); X509_verify_cert in strict mode with only the anchor
/// trusted at `at` builds exactly leaf, intermediate, anchor, tolerating
/// only error 85 (missing authority key identifier) on the leaf at depth 0.
/// Throws CryptoError when a pinned anchor does not match its pin.
AmdChainResult VerifyAmdChain(const AmdChainRoles& roles, const std::vector<TrustAnchor>& anchors, std::time_t at);

}  // namespace keyattest::snp
