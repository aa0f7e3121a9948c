// Checks that bind the attested key to what the user expects.
// Internal to the verifier.
#pragma once

#include <string>
#include <vector>

#include "keyattest/key_attestation/expected_key.h"
#include "keyattest/marvell/attributes.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"

namespace keyattest {

/// binding.key_material, binding.check_value, binding.key_id and
/// owner.pool_name (docs/marvell-format.md §8.2). `expected` may be null (nothing to
/// bind: skipped), `expected_error` says why the expected key is unusable,
/// `kid_error` why the kid that names the key cannot bind it (binding.key_id
/// fails with it). `signature_verified` says whether the private blob's
/// signature verified: only then is its ID called signed.
void AddKeyBindingChecks(const ExpectedKey* expected, const std::string& expected_error, const std::string& kid_error,
                         const marvell::AttestedKey* attested, bool signature_verified, const Certificate* owner_root,
                         Report& report);

}  // namespace keyattest
