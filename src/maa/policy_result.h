// Internal to src/maa: the result_token.* checks of `maa-policy`.
#pragma once

#include <string>
#include <vector>

#include "keyattest/maa/maa_policy.h"

namespace keyattest::maa {

/// Verifies options.result_token (if any) as an MAA token under the
/// "result_token." prefix, then result_token.policy_token_hash against `hash`
/// and result_token.policy_signer against `policy_x5c` (null when the policy
/// JWS is malformed).
void CheckResultToken(const std::vector<Bytes>* policy_x5c, const std::string& hash, const MaaPolicyOptions& options,
                      Report& report);

}  // namespace keyattest::maa
