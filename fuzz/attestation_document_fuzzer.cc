// Fuzz target (a): the attestation JSON loader (Azure responses and gcloud key
// versions). ParseAttestationDocument either returns a decoded document or
// throws InputError, nothing else; a JWK in the response either yields an
// expected key or a KeyError.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_common.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/key_attestation/expected_key.h"

namespace keyattest::fuzz {
namespace {

void CheckDecodedField(const Bytes& field, const char* name) {
  // Decoding rejects empty text, and 4 characters never carry more than 3 bytes.
  KEYATTEST_FUZZ_CHECK(!field.empty(), std::string(name) + " decoded to zero bytes");
  KEYATTEST_FUZZ_CHECK(field.size() <= kMaxBase64FieldChars / 4 * 3,
                       std::string(name) + " decoded beyond the base64 field limit");
}

void Run(std::string_view text) {
  AttestationDocument doc;
  try {
    doc = ParseAttestationDocument(text);
  } catch (const InputError& e) {
    KEYATTEST_FUZZ_CHECK(*e.what() != '\0', "InputError without a message");
    return;
  } catch (...) {
    UnexpectedException("ParseAttestationDocument must throw only InputError");
    return;
  }
  KEYATTEST_FUZZ_CHECK(text.size() <= kMaxInputFileBytes, "accepted a document over the size limit");
  if (doc.source == AttestationSource::kAzure) {
    CheckDecodedField(doc.certificate_pem, "certificatePemFile");
    CheckDecodedField(doc.private_key_attestation, "privateKeyAttestation");
    if (doc.public_key_attestation) CheckDecodedField(*doc.public_key_attestation, "publicKeyAttestation");
  } else {
    KEYATTEST_FUZZ_CHECK(doc.shape == DocumentShape::kGoogleKeyVersion, "JSON loaded as a raw blob");
    KEYATTEST_FUZZ_CHECK(doc.private_key_attestation.size() <= kMaxBlobBytes, "decompressed content over the cap");
    KEYATTEST_FUZZ_CHECK(!doc.public_key_attestation, "a gcloud key version has no public attestation");
  }
  KEYATTEST_FUZZ_CHECK(doc.shape == DocumentShape::kFullResponse || doc.key.is_null(),
                       "only the whole response carries a JWK");
  if (doc.key.is_null()) return;
  try {
    ExpectedKey key = ExpectedKeyFromJwk(doc.key, "attestation JWK");
    KEYATTEST_FUZZ_CHECK(!key.IsAsymmetric() || !key.spki_der.empty(), "asymmetric expected key without an SPKI");
  } catch (const KeyError& e) {
    KEYATTEST_FUZZ_CHECK(*e.what() != '\0', "KeyError without a message");
  } catch (...) {
    UnexpectedException("ExpectedKeyFromJwk must throw only KeyError");
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keyattest::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
