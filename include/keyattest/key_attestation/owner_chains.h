// The partition owner chains (docs/marvell-format.md §10.2, §12 step 6):
// who owns the HSM partition whose key signed the blob. Azure: a per-pool
// self-signed owner root in the bundle; Google: a pinned Google root. Both
// run after the manufacturer chain identified the Marvell card and
// partition certificates, and verify through x509/path_verifier.h.
#pragma once

#include <cstddef>
#include <ctime>
#include <vector>

#include "keyattest/marvell/chains.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest {

/// Partition owner chain (Azure): a self-signed owner root in the bundle ->
/// an owner partition certificate whose SPKI equals the Marvell partition
/// certificate's. Exactly one candidate for each role (the root by DER name
/// and self-issuance); the root must be a CA; verified with the root as the
/// only trusted certificate at `at`, its self-signature included.
marvell::ChainResult VerifyAzureOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                           std::size_t marvell_partition, std::time_t at);

/// Result of the Google-style owner chain: `root` indexes `google_roots`,
/// `card` and `partition` are the owner (Google-issued) certificates.
/// Google style (docs/marvell-format.md §10.2): a pinned Google root directly issues an
/// owner card certificate and an owner partition certificate whose public
/// keys equal the Marvell card's and partition's. Exactly one candidate per
/// role (issuer DER == a pinned Google root's subject, and the SPKI); each
/// verified by X509_verify_cert with the pinned root as the only anchor.
marvell::ChainResult VerifyGoogleOwnerChain(const std::vector<Certificate>& bundle, std::size_t marvell_card,
                                            std::size_t marvell_partition, const std::vector<TrustAnchor>& google_roots,
                                            std::time_t at);

}  // namespace keyattest
