// The checks of the two Secure Key Release commands, declared once
// (docs/skr.md "Checks"). Ids are stable: users and tests refer to them.
#pragma once

#include "keyattest/report/report.h"

namespace keyattest::skr {

// release-policy
inline constexpr CheckDefinition kPolicyFormat{"policy.format", "Release policy input"};
inline constexpr CheckDefinition kPolicyGrammar{"policy.grammar", "Release policy grammar"};
inline constexpr CheckDefinition kLintAuthority{"lint.authority", "Authority is an https origin"};
inline constexpr CheckDefinition kLintFlatSnpClaims{"lint.snp_claim_paths", "SEV-SNP claim paths fit the token kind"};
inline constexpr CheckDefinition kLintVmpl{"lint.vmpl", "SEV-SNP policy pins the VMPL"};
inline constexpr CheckDefinition kLintDebuggable{"lint.debuggable", "Debuggable pinned to false"};
inline constexpr CheckDefinition kLintOperators{"lint.operators", "Operators Key Vault supports"};
inline constexpr CheckDefinition kLintPlaceholders{"lint.placeholders", "No template placeholders left"};
inline constexpr CheckDefinition kPolicyHostData{"policy.hostdata", "Host data is the security policy digest"};
inline constexpr CheckDefinition kPolicyAuthority{"policy.authority", "A statement for the token's issuer"};
inline constexpr CheckDefinition kPolicyEvaluation{"policy.evaluation", "Release policy holds for the token"};

// release-response
inline constexpr CheckDefinition kResponseFormat{"response.format", "Release response format"};
inline constexpr CheckDefinition kResponseAlg{"response.alg", "Response signature algorithm"};
inline constexpr CheckDefinition kResponseSignature{"response.signature", "Response signed by x5c[0]"};
inline constexpr CheckDefinition kResponseX5t{"response.x5t", "Thumbprints name x5c[0]"};
inline constexpr CheckDefinition kResponseChain{"response.chain", "x5c chains to the TLS root"};
inline constexpr CheckDefinition kResponseHostname{"response.hostname", "Leaf certificate names the vault"};
inline constexpr CheckDefinition kResponseRequestKid{"response.request_kid", "Released key is the requested key"};
inline constexpr CheckDefinition kResponsePolicy{"response.policy", "Embedded policy holds for the token"};
inline constexpr CheckDefinition kResponseKek{"response.kek", "Key wrapped to the token's runtime key"};

}  // namespace keyattest::skr
