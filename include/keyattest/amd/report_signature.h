// The ECDSA P-384 / SHA-384 signature of an SNP report (docs/snp.md
// "Signature").
#pragma once

#include <openssl/evp.h>

#include <string>

#include "keyattest/amd/snp_report.h"

namespace keyattest::amd {

/// Verifies the report's signature with `key` (the VCEK or VLEK): r and s
/// are 72-byte little-endian integers, each must be in [1, n-1] for the
/// P-384 group order n, and the signature covers bytes 0x000-0x29F with
/// SHA-384. Returns "" when it verifies, or the reason. Throws CryptoError
/// when OpenSSL fails for reasons other than a bad signature.
std::string VerifySnpReportSignature(const SnpReport& report, EVP_PKEY* key);

}  // namespace keyattest::amd
