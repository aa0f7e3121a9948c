// Azure Managed HSM key-attestation responses (doc §2.2) built from test
// blobs and bundles, with a local base64 encoder so that the library's
// decoder is tested, not reused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::testing {

enum class Base64Flavor {
  kUrlNoPad,   // what Azure sends (doc §2.2)
  kUrlPadded,  // url alphabet with '=' padding
  kStandard,   // '+' '/' with padding (an Azure .NET serialiser)
};

std::string Base64Encode(ByteSpan data, Base64Flavor flavor = Base64Flavor::kUrlNoPad);

enum class JsonWrap {
  kFullResponse,     // {"key": JWK, "attributes": {..., "attestation": {...}}}
  kAttributesOnly,   // {..., "attestation": {...}}
  kAttestationOnly,  // {"certificatePemFile": ..., ...}
};

struct AzureJsonSpec {
  std::string bundle_pem;               // certificatePemFile
  Bytes private_blob;                   // privateKeyAttestation
  std::optional<Bytes> public_blob;     // publicKeyAttestation, when present
  std::optional<std::string> jwk_json;  // raw JSON text for "key"; nullopt = omitted
  std::string version = "MRVL-1";
  JsonWrap wrap = JsonWrap::kFullResponse;
  Base64Flavor base64 = Base64Flavor::kUrlNoPad;
};

std::string MakeAzureAttestationJson(const AzureJsonSpec& spec);

/// "https://<pool>.managedhsm.azure.net/keys/<name>/<version>".
std::string AzureKid(std::string_view pool, std::string_view name, std::string_view version);
/// The signed ID form of the same key: "/keys/<name>/<version>" (doc §7.1).
std::string AzureKeyId(std::string_view name, std::string_view version);

/// JWK text for an RSA ("RSA-HSM", n, e) or EC P-256/384/521 ("EC-HSM",
/// crv, x, y) key, with base64url-no-pad members as Azure returns them.
std::string MakeJwkJson(EVP_PKEY* key, std::string_view kid);

}  // namespace keyattest::testing
