// The Azure key-attestation JSON document, loaded and decoded at the edge:
// nothing below this layer sees paths, JSON text or base64.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/core/errors.h"
#include "keyattest/core/limits.h"

namespace keyattest {

/// Which wrapper the user passed. Azure: the whole response, its
/// 'attributes' object or its 'attestation' object. Google: the JSON of
/// `gcloud kms keys versions describe --format=json`. Raw: --blob/--certs.
enum class DocumentShape { kFullResponse, kAttributesObject, kAttestationObject, kGoogleKeyVersion, kRawBlob };

/// Where the attestation comes from, which decides the format checks.
enum class AttestationSource { kAzure, kGoogle, kRaw };

struct AttestationDocument {
  DocumentShape shape = DocumentShape::kFullResponse;
  AttestationSource source = AttestationSource::kAzure;
  std::string google_format;                    // Google: attestation.format, e.g. "CAVIUM_V2_COMPRESSED"
  std::string google_name;                      // Google: the key version's resource name (unsigned)
  std::string version;                          // attestation.version, e.g. "MRVL-1"
  Bytes certificate_pem;                        // decoded certificatePemFile
  Bytes private_key_attestation;                // decoded privateKeyAttestation
  std::optional<Bytes> public_key_attestation;  // decoded publicKeyAttestation
  nlohmann::json key;                           // the response's JWK, or null (unsigned claim)
};

/// How the one file reader (io/input_file.h) names an attestation document
/// or raw blob in its errors; the caller reads it with kMaxInputFileBytes.
inline constexpr std::string_view kAttestationDocumentInput = "an attestation document";

/// Parses and decodes the JSON text (Azure or gcloud shape). Throws
/// InputError naming the field.
AttestationDocument ParseAttestationDocument(std::string_view json_text);

/// A raw blob as Marvell tools or Google deliver it (gzip is detected and
/// decompressed exactly once, capped), with an optional PEM bundle.
/// Throws InputError.
AttestationDocument MakeRawAttestationDocument(ByteSpan blob, std::optional<Bytes> certificate_pem);

}  // namespace keyattest
