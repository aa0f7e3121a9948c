// The two forms in which the VCEK/VLEK and its chain arrive (docs/snp.md
// "Certificate inputs"): a PEM bundle, or the THIM/host certificate JSON
// the confidential-containers sidecar reads ({vcekCert, certificateChain,
// tcbm, cacheControl}).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "keyattest/core/bytes.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::amd {

struct AmdCertificateInput {
  std::string form;  // "PEM bundle" or "THIM JSON"
  /// Bundle order; for THIM JSON the vcekCert first, then certificateChain.
  std::vector<Certificate> certificates;
  /// THIM only: the host's TCB for the VCEK (16 hex digits, the TCB_VERSION
  /// as a big-endian number), unsigned and informative.
  std::optional<std::uint64_t> tcbm;
  std::optional<std::string> cache_control;
};

/// Malformed certificate input (exit 3).
class CertificateInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses either form. An input whose first non-whitespace byte is '{' is
/// JSON: an object with exactly the members vcekCert and certificateChain
/// (strings, each a strict PEM bundle: one certificate, and one or two), an
/// optional tcbm (16 hex digits) and an optional cacheControl string, and no
/// others. Anything else must be a strict PEM bundle. Throws
/// CertificateInputError with the reason. With a `cache`, each certificate
/// whose exact DER was parsed before is reused (parsing only: the chain and
/// every check still run for each input).
AmdCertificateInput ParseAmdCertificateInput(ByteSpan input, CertificateCache* cache = nullptr);

}  // namespace keyattest::amd
