// Microsoft Azure Attestation tokens verified offline (docs/maa.md):
// VerifyMaaToken is the reusable core (it appends the token checks to any
// report and hands back the verified claims and the selected signing key);
// VerifyMaa is the `maa` command's whole report. Each takes the issuer's JWKS
// as text (parsed for this token) or as IssuerKeys (parsed once, for many
// tokens); the text overloads parse the set and call the others.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/core/check_time.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/maa/issuer_keys.h"
#include "keyattest/report/report.h"
#include "keyattest/sgx_evidence/signing_key_evidence.h"

namespace keyattest::maa {

/// One `--require-claim PATH=VALUE`: `path` split on '.', walked through
/// JSON objects only; `value` compared with the scalar's text.
struct ClaimRequirement {
  std::vector<std::string> path;
  std::string value;
  std::string Id() const;  // "claim.<path>"
};

/// Parses "PATH=VALUE" (split at the first '='). Throws UsageError for an
/// empty path, an empty path segment or an empty value.
ClaimRequirement ParseClaimRequirement(std::string_view text);

struct MaaTokenOptions {
  /// The expected `iss`, compared byte for byte. Required: an empty issuer
  /// makes VerifyMaaToken throw UsageError.
  std::string issuer;
  CheckTime time;  // at and skew for token.time
  std::vector<ClaimRequirement> required_claims;
  /// Prefix for the check ids when a report holds several tokens: with
  /// "result_token." the ids become result_token.alg, result_token.jwks.key,
  /// result_token.claim.<path>, ... ("token." is replaced, other ids are
  /// prefixed). Empty: the ids of maa_checks.h.
  std::string check_prefix;
};

/// The JWKS entry that token.kid selected.
struct SelectedKey {
  std::string kid;
  std::vector<Bytes> x5c_der;            // the entry's x5c certificates, DER, in order (may be empty)
  std::shared_ptr<X509> certificate;     // x5c[0] as the JWKS parse decoded it (jose::Jwk), or null
  std::shared_ptr<EVP_PKEY> public_key;  // the key the signature was checked with
  int bits = 0;
  nlohmann::ordered_json jwk;  // the entry as it is in the JWKS
};

struct MaaTokenResult {
  /// True only when every check VerifyMaaToken added passed (warnings allowed).
  bool verified = false;
  /// The verified claims: set only when `verified`; null otherwise.
  nlohmann::ordered_json claims;
  /// The parsed (unverified unless `verified`) JOSE header; null if unreadable.
  nlohmann::ordered_json header;
  /// The entry token.kid selected (set even when a later check failed).
  std::optional<SelectedKey> key;
  /// The compact JWS after unwrapping a {"token": "..."} body and one final
  /// line ending.
  std::string compact;
};

/// Verifies `token_text` (compact JWS or {"token": "..."}, one final line
/// ending allowed) with `jwks_text` and appends, in this order: token.format,
/// token.header, token.claims (malformed -> FailMalformed, exit 3),
/// token.alg, token.crit, token.jku, jwks.key (unusable JWKS -> FailTrust,
/// exit 2), token.kid, signing_key.size, token.signature, token.issuer,
/// token.time and one claim.<path> per required claim. A check whose
/// prerequisite failed is skipped with the reason.
MaaTokenResult VerifyMaaToken(std::string_view token_text, std::string_view jwks_text, const MaaTokenOptions& options,
                              Report& report);
/// The same checks with the issuer's keys parsed beforehand: the same report
/// as the text overload given the text `keys` was made from (an unusable set
/// fails jwks.key at the same point, with the same detail). `keys` is only
/// read, so it may serve many tokens, on several threads.
MaaTokenResult VerifyMaaToken(std::string_view token_text, const IssuerKeys& keys, const MaaTokenOptions& options,
                              Report& report);

struct MaaReportOptions {
  /// Put every claim into the facts ("claims"), not only the families.
  bool all_claims = false;
  /// When set, the SGX evidence of the signing key is checked too
  /// (signing_key.evidence ... signing_key.tcb, docs/sgx-evidence.md).
  std::optional<sgx_evidence::SgxEvidenceOptions> signing_key_evidence;
};

/// The `maa` command's report: kind "maa", the token checks, the facts
/// (token header, times, the verified claims by family).
Report VerifyMaa(std::string_view token_text, std::string_view jwks_text, const MaaTokenOptions& options,
                 const MaaReportOptions& report_options = {});
/// The same report with the issuer's keys parsed once (see VerifyMaaToken).
Report VerifyMaa(std::string_view token_text, const IssuerKeys& keys, const MaaTokenOptions& options,
                 const MaaReportOptions& report_options = {});

/// The verified claims grouped by family (common, SGX, SEV-SNP, CVM guest,
/// runtime data, other), times shown in UTC with the token's age at `time`,
/// deprecated aliases flagged. Scalars are shown as they are; objects and
/// arrays summarised unless `all_claims`.
nlohmann::ordered_json ClaimFamilies(const nlohmann::ordered_json& claims, const CheckTime& time);

}  // namespace keyattest::maa
