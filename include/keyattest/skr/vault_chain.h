// The TLS-style trust of a Key Vault / Managed HSM release response: its x5c
// chain to the TLS root, the leaf's serverAuth and host name (through the one
// path verifier, x509/path_verifier.h), and the thumbprint headers
// (docs/skr.md "release-response").
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "keyattest/core/check_time.h"
#include "keyattest/report/report.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/trust_anchors.h"

namespace keyattest::skr {

/// The purpose of the compiled-in root in certs/anchors.json.
inline constexpr const char* kVaultRootPurpose = "digicert-tls-root";
/// More certificates than any real TLS chain carries.
inline constexpr std::size_t kMaxX5cCertificates = 8;

/// The response is structurally unusable (response.format, exit 3).
class ResponseFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Decodes a JOSE x5c array: 1..kMaxX5cCertificates strings, each standard
/// base64 (RFC 7515 §4.1.6, not base64url) of exactly one DER certificate.
/// Throws ResponseFormatError.
std::vector<Certificate> DecodeX5c(const nlohmann::ordered_json& x5c);

/// response.x5t: `x5t` (base64url SHA-1) and `x5t#S256` (base64url
/// SHA-256), when present, are thumbprints of `leaf`; skipped when neither
/// is present.
void CheckThumbprints(const nlohmann::ordered_json& header, const Certificate& leaf, Report& report);

struct VaultChainResult {
  bool chain_ok = false;     // response.chain passed
  bool hostname_ok = false;  // response.hostname passed
};

/// One path check (VerifyPath) for two rules, reported in this order:
/// response.chain: the leaf chains through the other x5c certificates
/// (untrusted) to one of `roots` at `time.at` (no skew) for TLS server use,
/// with serverAuth in the leaf's extended key usage;
/// response.hostname: a DNS subjectAltName of the leaf covers `vault` (a
/// wildcard only as the whole left-most label; the subject CN is never
/// used), whether or not the chain verified.
VaultChainResult CheckVaultChain(const std::vector<Certificate>& x5c, const std::vector<TrustAnchor>& roots,
                                 const CheckTime& time, const std::string& vault, Report& report);

/// Throws UsageError unless `vault` is a bare DNS host name ("x.vault.azure.net").
void ValidateVaultHost(const std::string& vault);

}  // namespace keyattest::skr
