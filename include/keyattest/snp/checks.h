// Every check of the snp verifier, declared once (docs/snp.md "Checks").
#pragma once

#include "keyattest/report/report.h"

namespace keyattest::snp {

inline constexpr CheckDefinition kFormat{"report.format", "Report structure and reserved fields"};
inline constexpr CheckDefinition kSignatureAlgo{"report.signature_algo", "Signature algorithm is ECDSA P-384 SHA-384"};
inline constexpr CheckDefinition kSigningKey{"report.signing_key", "Signing key kind matches the chain"};
inline constexpr CheckDefinition kChain{"certs.chain", "VCEK chains to the pinned AMD ARK"};
inline constexpr CheckDefinition kVcekExtensions{"vcek.extensions", "VCEK KDS extensions"};
inline constexpr CheckDefinition kSignature{"report.signature", "Report signature"};
inline constexpr CheckDefinition kTcb{"report.tcb", "TCB versions"};
inline constexpr CheckDefinition kChipId{"report.chip_id", "Chip id matches the VCEK"};
inline constexpr CheckDefinition kVmpl{"report.vmpl", "VMPL"};
inline constexpr CheckDefinition kPolicy{"report.policy", "Guest policy"};
inline constexpr CheckDefinition kReportData{"report.report_data", "REPORT_DATA binds the runtime data"};
inline constexpr CheckDefinition kHostData{"report.host_data", "HOST_DATA binds the security policy"};

}  // namespace keyattest::snp
