// The pinned Marvell roots compiled into the binary (certs/*.pem), each
// checked against its SPKI SHA-256 pin before use (format doc §0.4, §10.1).
#pragma once

#include <string_view>
#include <vector>

#include "keyattest/certificate.h"

namespace keyattest {

struct PinnedRoot {
  std::string_view name;
  std::string_view pem;
  std::string_view spki_sha256_hex;  // pin the key, not the certificate
};

/// LS1 `localca.liquidsecurity.cavium.com` (2024 reissue) and LS2
/// `cavium-liquidsecurity-ls2`.
const std::vector<PinnedRoot>& BuiltinMarvellRootPins();

/// Parses the embedded roots and checks each against its pin; throws
/// CryptoError if the build embedded a certificate that does not match.
std::vector<Certificate> BuiltinMarvellRoots();

/// Google Cloud HSM's owner root `Hawksbill Root v1 prod` (format doc
/// §10.2), pinned by SPKI like the Marvell roots.
const std::vector<PinnedRoot>& BuiltinGoogleRootPins();
std::vector<Certificate> BuiltinGoogleRoots();

}  // namespace keyattest
