#include "keyattest/key_attestation/attestation_document.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "keyattest/io/base64.h"
#include "keyattest/io/gzip.h"
#include "keyattest/io/json_reader.h"

namespace keyattest {

namespace {

const nlohmann::json* Member(const nlohmann::json& obj, const char* name) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

/// The string member `name` of `att`, by reference into the DOM: the
/// multi-KB base64 fields are decoded from there, never copied first.
const std::string& RequireString(const nlohmann::json& att, std::string_view prefix, const char* name) {
  const nlohmann::json* v = Member(att, name);
  if (v == nullptr) throw InputError("required field '" + std::string(prefix) + name + "' is missing");
  if (!v->is_string()) throw InputError("field '" + std::string(prefix) + name + "' is not a string");
  return v->get_ref<const std::string&>();
}

/// Decodes field `prefix` + `name`; its name is spelled out only in an error.
Bytes DecodeField(std::string_view text, std::string_view prefix, std::string_view name) {
  auto field = [&] { return std::string(prefix).append(name); };
  if (text.size() > kMaxBase64FieldChars) {
    throw InputError("field '" + field() + "' is " + std::to_string(text.size()) + " characters, over the limit of " +
                     std::to_string(kMaxBase64FieldChars));
  }
  std::string why;
  auto bytes = DecodeBase64Any(text, &why);
  if (!bytes) throw InputError("field '" + field() + "' is not base64: " + why);
  return std::move(*bytes);
}

/// Load-time limits (README "Input limits"): exit 3 with the limit named.
/// `describe()` names the input; it is called only to say what failed.
template <class Describe>
void CheckBlobSize(const Bytes& blob, const Describe& describe) {
  if (blob.size() > kMaxBlobBytes) {
    throw InputError(describe() + " is " + std::to_string(blob.size()) + " bytes, over the " +
                     std::to_string(kMaxBlobBytes) + "-byte limit for an attestation blob");
  }
}

template <class Describe>
void CheckPemBlockCount(const Bytes& pem, const Describe& describe) {
  std::string_view text(reinterpret_cast<const char*>(pem.data()), pem.size());
  std::size_t blocks = 0;
  for (std::size_t pos = text.find("-----BEGIN"); pos != std::string_view::npos;
       pos = text.find("-----BEGIN", pos + 1)) {
    if (++blocks > kMaxPemBlocks) {
      throw InputError(describe() + " holds more than " + std::to_string(kMaxPemBlocks) + " PEM blocks");
    }
  }
}

Bytes Gunzip(ByteSpan data, const std::string& what) {
  try {
    return GunzipExactlyOnce(data, kMaxBlobBytes);
  } catch (const GzipError& e) {
    throw InputError(what + ": " + e.what());
  }
}

/// `gcloud kms keys versions describe --format=json` (docs/marvell-format.md §2.1):
/// attestation.content is base64 of the gzip blob; attestation.certChains
/// holds PEM arrays caviumCerts, googleCardCerts, googlePartitionCerts.
AttestationDocument ParseGoogleKeyVersion(const nlohmann::json& root) {
  AttestationDocument doc;
  doc.shape = DocumentShape::kGoogleKeyVersion;
  doc.source = AttestationSource::kGoogle;
  const nlohmann::json& att = root["attestation"];
  if (const auto* name = Member(root, "name"); name && name->is_string()) {
    doc.google_name = name->get_ref<const std::string&>();
  }
  if (const auto* format = Member(att, "format")) {
    if (!format->is_string()) throw InputError("field 'attestation.format' is not a string");
    doc.google_format = format->get_ref<const std::string&>();
  }
  Bytes content = DecodeField(RequireString(att, "attestation.", "content"), "attestation.", "content");
  // Google always compresses (CAVIUM_V*_COMPRESSED): require gzip here.
  if (!LooksGzipped(content)) throw InputError("field 'attestation.content' is not gzip-compressed");
  doc.private_key_attestation = Gunzip(content, "field 'attestation.content'");
  if (const auto* chains = Member(att, "certChains")) {
    if (!chains->is_object()) throw InputError("field 'attestation.certChains' is not an object");
    std::string pem;
    for (const char* list : {"caviumCerts", "googleCardCerts", "googlePartitionCerts"}) {
      const auto* certs = Member(*chains, list);
      if (certs == nullptr) continue;
      if (!certs->is_array())
        throw InputError(std::string("field 'attestation.certChains.") + list + "' is not an array");
      for (const auto& c : *certs) {
        if (!c.is_string()) {
          throw InputError(std::string("field 'attestation.certChains.") + list + "' holds a non-string entry");
        }
        pem += c.get_ref<const std::string&>();
        pem += '\n';
      }
    }
    doc.certificate_pem.assign(pem.begin(), pem.end());
    CheckPemBlockCount(doc.certificate_pem, [] { return std::string("field 'attestation.certChains'"); });
  }
  return doc;
}

const char* ShapeName(DocumentShape shape) {
  switch (shape) {
    case DocumentShape::kFullResponse:
      return "the whole Azure response ({\"key\", \"attributes\": {\"attestation\"}})";
    case DocumentShape::kAttributesObject:
      return "its 'attributes' object ({\"attestation\": {...}})";
    case DocumentShape::kAttestationObject:
      return "its 'attestation' object ({\"certificatePemFile\", ...})";
    case DocumentShape::kGoogleKeyVersion:
      return "a gcloud key version ({\"attestation\": {\"content\", ...}})";
    case DocumentShape::kRawBlob:
      break;
  }
  return "a raw blob";
}

/// The one shape `root` has. A document that matches more than one shape is
/// ambiguous (which part would be verified, and which ignored?), and `key`
/// (the JWK the binding checks) belongs only to the whole response: both
/// are input errors naming the shapes.
DocumentShape DecideShape(const nlohmann::json& root) {
  std::vector<DocumentShape> shapes;
  if (Member(root, "attributes") != nullptr) shapes.push_back(DocumentShape::kFullResponse);
  if (const auto* attestation = Member(root, "attestation")) {
    const bool google = Member(*attestation, "content") != nullptr;
    bool azure = !google;
    for (const char* field : {"version", "certificatePemFile", "privateKeyAttestation", "publicKeyAttestation"}) {
      azure = azure || Member(*attestation, field) != nullptr;
    }
    if (google) shapes.push_back(DocumentShape::kGoogleKeyVersion);
    if (azure) shapes.push_back(DocumentShape::kAttributesObject);
  }
  for (const char* field : {"certificatePemFile", "privateKeyAttestation", "publicKeyAttestation"}) {
    if (Member(root, field) != nullptr) {
      shapes.push_back(DocumentShape::kAttestationObject);
      break;
    }
  }
  if (shapes.empty()) {
    throw InputError(
        "not an attestation document: expected a key attestation response "
        "({\"key\", \"attributes\": {\"attestation\"}}), its 'attributes' object, or its "
        "'attestation' object");
  }
  if (shapes.size() > 1) {
    std::string names;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
      names += std::string(i == 0 ? "" : i + 1 == shapes.size() ? " and " : ", ") + ShapeName(shapes[i]);
    }
    throw InputError("ambiguous attestation document: it has the shape of " + names + "; give exactly one");
  }
  if (shapes[0] != DocumentShape::kFullResponse && Member(root, "key") != nullptr) {
    throw InputError(std::string("field 'key' is only valid in the whole Azure response, not beside ") +
                     ShapeName(shapes[0]));
  }
  return shapes[0];
}

}  // namespace

namespace {

/// A blob whose first non-space byte opens a JSON object.
bool LooksLikeJson(ByteSpan blob) {
  for (std::uint8_t b : blob) {
    if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
    return b == '{';
  }
  return false;
}

/// Inputs that are not UTF-8 JSON at all, said plainly: an empty file (a
/// failed `az ... > file` leaves one) and UTF-16 (what Windows PowerShell's
/// '>' writes). UTF-8 with a BOM is accepted by the JSON reader.
void CheckTextEncoding(std::string_view text) {
  if (text.empty()) throw InputError("empty file (did the az command fail? its error went to stderr)");
  const bool bom16 =
      text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'));
  // Without a BOM: ASCII in UTF-16 has a NUL in every other byte.
  const bool nuls = text.size() >= 4 && ((text[0] != '\0' && text[1] == '\0' && text[3] == '\0') ||
                                         (text[0] == '\0' && text[1] != '\0' && text[2] == '\0'));
  if (bom16 || nuls) {
    throw InputError(
        "the file is UTF-16 text (what Windows PowerShell's '>' writes), not UTF-8 JSON; save it as UTF-8, e.g. "
        "Get-Content in.json | Set-Content -Encoding utf8 out.json, or let az write it with --file / "
        "--output-file");
  }
}

/// An Azure error body ({"error": {"code", "message"}}) where an
/// attestation was expected: the service said why, so say it on.
void CheckNotAzureError(const nlohmann::json& root) {
  const nlohmann::json* error = Member(root, "error");
  if (error == nullptr || !error->is_object() || root.size() != 1) return;
  const nlohmann::json* code = Member(*error, "code");
  const nlohmann::json* message = Member(*error, "message");
  auto text = [](const nlohmann::json* v) {
    return v != nullptr && v->is_string() ? v->get<std::string>().substr(0, 512) : std::string("(none)");
  };
  throw InputError("the file holds an Azure error response, not an attestation: code '" + text(code) + "', message '" +
                   text(message) + "'");
}

}  // namespace

AttestationDocument MakeRawAttestationDocument(ByteSpan blob, std::optional<Bytes> certificate_pem) {
  AttestationDocument doc;
  doc.shape = DocumentShape::kRawBlob;
  doc.source = AttestationSource::kRaw;
  if (blob.empty()) throw InputError("the attestation blob is empty");
  if (LooksLikeJson(blob)) {
    throw InputError("the blob is a JSON document, not a raw attestation blob; give it with -af instead of --blob");
  }
  doc.private_key_attestation = LooksGzipped(blob) ? Gunzip(blob, "attestation blob") : Bytes(blob.begin(), blob.end());
  CheckBlobSize(doc.private_key_attestation, [] { return std::string("the attestation blob"); });
  if (certificate_pem) {
    doc.certificate_pem = std::move(*certificate_pem);
    CheckPemBlockCount(doc.certificate_pem, [] { return std::string("the certificate bundle"); });
  }
  return doc;
}

AttestationDocument ParseAttestationDocument(std::string_view json_text) {
  if (json_text.size() > kMaxInputFileBytes) {
    throw InputError("attestation document is larger than the input limit");
  }
  CheckTextEncoding(json_text);
  nlohmann::json root;
  try {
    root = ParseStrictJson(json_text, kMaxJsonDepth);
  } catch (const JsonSyntaxError& e) {
    if (e.kind() == JsonSyntaxError::Kind::kSyntax) throw InputError(e.what());
    throw InputError(std::string("not a valid attestation document: ") + e.what());
  }
  if (!root.is_object()) throw InputError("not an attestation document: top-level JSON value is not an object");

  CheckNotAzureError(root);
  AttestationDocument doc;
  const DocumentShape shape = DecideShape(root);
  if (shape == DocumentShape::kGoogleKeyVersion) return ParseGoogleKeyVersion(root);
  doc.shape = shape;
  const nlohmann::json* attestation = nullptr;
  std::string_view prefix;  // how the attestation object's fields are named in errors
  if (shape == DocumentShape::kFullResponse) {
    const nlohmann::json* attributes = Member(root, "attributes");
    if (!attributes->is_object()) throw InputError("field 'attributes' is not an object");
    attestation = Member(*attributes, "attestation");
    prefix = "attributes.attestation.";
    if (attestation == nullptr) {
      throw InputError(
          "required field 'attributes.attestation' is missing: this is a key without its attestation (GET "
          "/keys/<name> answers so); the attestation comes from GET "
          "/keys/<name>/attestation?api-version=7.6-preview.1 or az keyvault key get-attestation");
    }
    // The JWK is moved out of the DOM, which is dropped on return.
    if (auto key = root.find("key"); key != root.end()) doc.key = std::move(*key);
  } else if (shape == DocumentShape::kAttributesObject) {
    attestation = Member(root, "attestation");
    prefix = "attestation.";
  } else {
    attestation = &root;
  }
  if (!attestation->is_object())
    throw InputError("field '" + std::string(prefix.substr(0, prefix.size() - 1)) + "' is not an object");

  doc.version = RequireString(*attestation, prefix, "version");
  doc.certificate_pem =
      DecodeField(RequireString(*attestation, prefix, "certificatePemFile"), prefix, "certificatePemFile");
  doc.private_key_attestation =
      DecodeField(RequireString(*attestation, prefix, "privateKeyAttestation"), prefix, "privateKeyAttestation");
  if (const auto* pub = Member(*attestation, "publicKeyAttestation"); pub && !pub->is_null()) {
    if (!pub->is_string()) throw InputError("field '" + std::string(prefix) + "publicKeyAttestation' is not a string");
    doc.public_key_attestation = DecodeField(pub->get_ref<const std::string&>(), prefix, "publicKeyAttestation");
  }
  auto quoted = [prefix](const char* name) { return "field '" + std::string(prefix) + name + "'"; };
  CheckPemBlockCount(doc.certificate_pem, [&] { return quoted("certificatePemFile"); });
  CheckBlobSize(doc.private_key_attestation, [&] { return quoted("privateKeyAttestation"); });
  if (doc.public_key_attestation) {
    CheckBlobSize(*doc.public_key_attestation, [&] { return quoted("publicKeyAttestation"); });
  }
  return doc;
}

}  // namespace keyattest
