// The offline pieces of MAA policy management (docs/maa.md "maa-policy"):
// a policy JWS ({"AttestationPolicy": base64url(policy text)}) checked for
// its signature, signer pin and hash, and the service's result token checked
// as an MAA token that names the same hash and signer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/maa/maa_token.h"
#include "keyattest/report/report.h"

namespace keyattest::maa {

inline constexpr CheckDefinition kPolicyFormat{"policy_jws.format",
                                               "Policy JWS: compact JWS with an AttestationPolicy payload"};
inline constexpr CheckDefinition kPolicySignature{"policy_jws.signature", "Policy JWS signature verifies (jwk.x5c[0])"};
inline constexpr CheckDefinition kPolicySigner{"policy_jws.signer", "Policy signer is the pinned certificate"};
inline constexpr CheckDefinition kPolicyHash{"policy_jws.hash", "Policy token hash equals --expect-hash"};
inline constexpr CheckDefinition kResultPolicyHash{"result_token.policy_token_hash",
                                                   "Result token's x-ms-policy-token-hash is the policy JWS's"};
inline constexpr CheckDefinition kResultPolicySigner{"result_token.policy_signer",
                                                     "Result token's x-ms-policy-signer is the policy JWS's signer"};

struct MaaPolicyResultToken {
  std::string token_text;
  std::string jwks_text;
  MaaTokenOptions options;  // issuer and time; check_prefix is set to "result_token."
  /// When set, the SGX evidence of the result token's signing key is checked
  /// too, as result_token.signing_key.* (docs/sgx-evidence.md).
  std::optional<sgx_evidence::SgxEvidenceOptions> signing_key_evidence;
};

struct MaaPolicyOptions {
  std::optional<Bytes> signer_der;         // --signer: the certificate's exact DER
  std::optional<std::string> expect_hash;  // --expect-hash: base64url, no padding
  std::optional<MaaPolicyResultToken> result_token;
  CheckTime time;
};

/// base64url(SHA-256(the JWS text as sent)): MAA's x-ms-policy-token-hash.
std::string PolicyTokenHash(std::string_view jws_text);

/// Verifies a policy JWS (one final line ending of the file is not part of
/// it) and, when given, the result token. Checks, in order: policy_jws.format
/// (exit 3 when malformed), policy_jws.signature, policy_jws.signer,
/// policy_jws.hash, the result_token.* token checks, result_token.policy_token_hash
/// and result_token.policy_signer.
Report VerifyMaaPolicy(std::string_view policy_jws_text, const MaaPolicyOptions& options);

}  // namespace keyattest::maa
