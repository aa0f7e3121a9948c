// One rule for the algorithms and key sizes a certificate chain may use,
// enforced in one place for every chain (manufacturer, owner, and later
// ones that pass their own allowed set).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keyattest/x509/certificate.h"

namespace keyattest {

/// A signature algorithm a chain accepts: the signing key's scheme as
/// OpenSSL names it (NID_rsaEncryption for RSASSA-PKCS1-v1_5,
/// NID_rsassaPss for RSASSA-PSS) and the digest (NID_sha256, ...).
struct AllowedSignature {
  int scheme_nid;
  int digest_nid;
};

/// What a chain accepts. Only RSA keys are accepted by any chain today.
struct AlgorithmPolicy {
  std::vector<AllowedSignature> signatures;
  int min_rsa_bits = 2048;
  /// The allowed set in words, for messages: "SHA-256/384/512 with RSA".
  std::string description;
};

/// RSA >= 2048 signing with SHA-256/384/512 and PKCS#1 v1.5: the rule of the
/// Marvell, Azure owner and Google owner chains (docs/marvell-format.md §12 step 4).
const AlgorithmPolicy& MarvellChainAlgorithmPolicy();

/// Empty when `certificate`'s public key and the algorithm of its signature
/// are allowed by `policy`; otherwise why not, naming `role`.
std::string CheckCertificateAlgorithms(const Certificate& certificate, const AlgorithmPolicy& policy,
                                       std::string_view role);

/// Empty when only the public key is allowed (for a certificate whose own
/// signature is not part of the path, e.g. a pinned root).
std::string CheckPublicKeyAlgorithm(const Certificate& certificate, const AlgorithmPolicy& policy,
                                    std::string_view role);

}  // namespace keyattest
