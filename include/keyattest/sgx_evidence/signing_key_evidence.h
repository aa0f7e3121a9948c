// Trust in the MAA signing key itself (docs/sgx-evidence.md): the SGX quote
// in the key's self-signed certificate ties the key to an enclave, verified
// offline up to the pinned Intel SGX Root CA.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/core/check_time.h"
#include "keyattest/report/report.h"
#include "keyattest/sgx_evidence/checks.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::sgx_evidence {

struct SgxEvidenceOptions {
  CheckTime check_time;
  /// --require-evidence: evidence must be present, supported, verified, and
  /// from production (non-debug) enclaves. Without it, evidence is checked
  /// when present, its absence is a warning, and a debug enclave is a warning.
  bool require_evidence = false;
  /// --require-mrsigner (32 bytes each): the enclave's MRSIGNER must be one
  /// of these. A pin implies require_evidence (a pin on absent evidence
  /// cannot hold).
  std::vector<Bytes> required_mrsigners;
  /// Anchors for the PCK chain; nullptr means the compiled-in Intel SGX Root
  /// CA (purpose "intel-sgx-root"). Only tests with a generated PKI set it.
  const std::vector<TrustAnchor>* pck_roots = nullptr;
  /// Prefix for the check ids when a report holds several tokens
  /// ("result_token." gives result_token.signing_key.evidence, ...).
  std::string check_prefix;

  bool evidence_required() const { return require_evidence || !required_mrsigners.empty(); }
};

/// Reads a --require-mrsigner value: 64 hex digits. Throws UsageError.
Bytes ParseMrsignerHex(std::string_view hex);

/// Checks the evidence of `signing_cert`, the x5c[0] certificate of the JWKS
/// entry the token's `kid` selected, whose key verified the token. Adds, in
/// this order (ids in checks.h):
///   signing_key.evidence      evidence present and supported, and the
///                             summary: fails when any check below failed
///   signing_key.self_signed   self-issued, self-signature verifies, valid at
///                             the check time
///   signing_key.kid           kid == base64(SHA-256(PEM SPKI || NUL)) (warn
///                             otherwise: the kid is only a label)
///   signing_key.report_data   report_data = that hash || 32 zero bytes
///   signing_key.isv_signature ISV report signed by the attestation key
///   signing_key.qe_report_data QE report_data = SHA-256(key || auth data)
///   signing_key.qe_signature  QE report signed by the PCK certificate's key
///   signing_key.pck_chain     PCK chain to the pinned Intel SGX Root CA at
///                             the check time
///   signing_key.debug         neither enclave has ATTRIBUTES.DEBUG
///   signing_key.mrsigner      MRSIGNER among the required ones (skip when
///                             none is required)
///   signing_key.tcb           always a warning: TCB status not evaluated
/// and the facts under report.facts["signing_key_evidence"].
void VerifyMaaSigningKeyEvidence(const Certificate& signing_cert, std::string_view kid,
                                 const SgxEvidenceOptions& options, Report& report);

/// For a JWKS entry without a certificate (only n/e): there is no evidence.
/// Adds signing_key.evidence (warn, or fail when evidence is required) and
/// signing_key.mrsigner (fail when a signer is required).
void ReportSigningKeyWithoutCertificate(std::string_view kid, const SgxEvidenceOptions& options, Report& report);

}  // namespace keyattest::sgx_evidence
