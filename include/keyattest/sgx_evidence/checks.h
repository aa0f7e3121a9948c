// The checks of the MAA signing-key evidence (docs/sgx-evidence.md §6),
// declared once: the ids users, tests and the maa command refer to.
#pragma once

#include "keyattest/report/report.h"

namespace keyattest::sgx_evidence {

inline constexpr CheckDefinition kEvidence{"signing_key.evidence", "Signing key carries enclave evidence"};
inline constexpr CheckDefinition kSelfSigned{"signing_key.self_signed", "Signing certificate is self-signed"};
inline constexpr CheckDefinition kKid{"signing_key.kid", "Token kid names the enclave key"};
inline constexpr CheckDefinition kReportData{"signing_key.report_data", "Enclave report binds the signing key"};
inline constexpr CheckDefinition kIsvSignature{"signing_key.isv_signature",
                                               "Enclave report signed by the attestation key"};
inline constexpr CheckDefinition kQeReportData{"signing_key.qe_report_data",
                                               "Quoting enclave report binds the attestation key"};
inline constexpr CheckDefinition kQeSignature{"signing_key.qe_signature",
                                              "Quoting enclave report signed by the PCK key"};
inline constexpr CheckDefinition kPckChain{"signing_key.pck_chain", "PCK chain to the Intel SGX Root CA"};
inline constexpr CheckDefinition kDebug{"signing_key.debug", "Enclaves are not debug enclaves"};
inline constexpr CheckDefinition kMrsigner{"signing_key.mrsigner", "Enclave signer (MRSIGNER)"};
inline constexpr CheckDefinition kTcb{"signing_key.tcb", "Platform TCB status"};

}  // namespace keyattest::sgx_evidence
