// The PCK certificate chain of an SGX quote (docs/sgx-evidence.md §5.4):
// parsed from the quote's certification data, verified with X509_verify_cert
// at the check time, anchored only at the pinned Intel SGX Root CA.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::sgx_evidence {

/// Certification data type 5: PEM certificates, leaf (PCK) first, optionally
/// followed by one NUL (the C string terminator every real quote carries).
/// Throws BundleError for anything else (the strict PEM bundle rules).
std::vector<Certificate> ParsePckChain(ByteSpan certification_data);

struct PckChainResult {
  /// kPass: verified at the check time. kWarn: every certificate became valid
  /// only after the check time (the quote is newer than the time asked
  /// about) and the chain verified as of the latest notBefore. kFail.
  CheckStatus status = CheckStatus::kFail;
  std::string detail;
};

/// Verifies `chain` (leaf first, the quote's own root last) to `roots` at
/// `at`: X509_verify_cert with only `roots` as anchors, the path must be
/// exactly the quote's certificates, and the quote's last certificate must be
/// self-signed and carry an anchor's key.
PckChainResult VerifyPckChain(const std::vector<Certificate>& chain, const std::vector<TrustAnchor>& roots,
                              std::time_t at);

}  // namespace keyattest::sgx_evidence
