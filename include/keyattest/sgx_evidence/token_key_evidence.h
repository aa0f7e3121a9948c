// The signing-key evidence of an MAA token's key (docs/sgx-evidence.md §9):
// the bridge from the token verifier's selected JWKS entry to the SGX checks.
#pragma once

#include "keyattest/maa/maa_token.h"
#include "keyattest/report/report.h"
#include "keyattest/sgx_evidence/signing_key_evidence.h"

namespace keyattest::sgx_evidence {

/// Adds the signing_key.* evidence checks (signing_key_evidence.h) for the
/// JWKS entry the token's kid selected: its x5c[0] certificate, which must
/// hold the very key the token's signature was checked with. Without a
/// selected key (token.kid or the JWKS failed, which already fails the
/// report) the evidence is skipped, or fails when it is required. With
/// evidence required and verified, `report.verified_meaning` says so.
void VerifyTokenKeyEvidence(const maa::MaaTokenResult& result, const SgxEvidenceOptions& options, Report& report);

}  // namespace keyattest::sgx_evidence
