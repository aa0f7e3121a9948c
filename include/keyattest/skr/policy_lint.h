// Advice on a release policy that needs no token (docs/skr.md "Lint"), and
// the check that its host-data condition is the digest of the container's
// security policy.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/report/report.h"
#include "keyattest/skr/release_policy.h"

namespace keyattest::skr {

/// Sets lint.authority, lint.snp_claim_paths, lint.vmpl, lint.debuggable,
/// lint.operators and lint.placeholders (pass, warn, or skip when they do
/// not apply; never fail). `claims` (verified token claims, or nullptr)
/// sharpens lint.snp_claim_paths to the token's kind.
void LintPolicy(const ReleasePolicy& policy, const nlohmann::ordered_json* claims, Report& report);

/// Decodes the ARM template's ccePolicy (standard base64; trailing CR/LF
/// ignored) into the Rego text. Throws PolicyFormatError.
Bytes DecodeCcePolicy(std::string_view base64_text);

/// policy.hostdata: some `equals` condition on x-ms-sevsnpvm-hostdata (flat
/// or under x-ms-isolation-tee) equals the lower-case hex SHA-256 of
/// `security_policy` (the Rego text, as decoded). `source` names it.
void CheckHostData(const ReleasePolicy& policy, ByteSpan security_policy, const std::string& source, Report& report);

}  // namespace keyattest::skr
