#include "keyattest/attestation_document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <vector>

#include "keyattest/base64.h"
#include "keyattest/gzip.h"
#include "keyattest/json_reader.h"

namespace keyattest {

namespace {

/// Closes a descriptor this module opened (never standard input).
struct FdCloser {
  int fd;
  explicit FdCloser(int owned) : fd(owned) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser() {
    if (fd >= 0) (void)::close(fd);
  }
};

const nlohmann::json* Member(const nlohmann::json& obj, const char* name) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(name);
  return it == obj.end() ? nullptr : &*it;
}

std::string RequireString(const nlohmann::json& att, const std::string& prefix, const char* name) {
  const nlohmann::json* v = Member(att, name);
  if (v == nullptr) throw InputError("required field '" + prefix + name + "' is missing");
  if (!v->is_string()) throw InputError("field '" + prefix + name + "' is not a string");
  return v->get<std::string>();
}

Bytes DecodeField(const std::string& text, const std::string& field) {
  if (text.size() > kMaxBase64FieldChars) {
    throw InputError("field '" + field + "' is " + std::to_string(text.size()) + " characters, over the limit of " +
                     std::to_string(kMaxBase64FieldChars));
  }
  std::string why;
  auto bytes = DecodeBase64Any(text, &why);
  if (!bytes) throw InputError("field '" + field + "' is not base64: " + why);
  return std::move(*bytes);
}

/// Load-time limits (README "Input limits"): exit 3 with the limit named.
void CheckBlobSize(const Bytes& blob, const std::string& field) {
  if (blob.size() > kMaxBlobInputBytes) {
    throw InputError(field + " is " + std::to_string(blob.size()) + " bytes, over the " +
                     std::to_string(kMaxBlobInputBytes) + "-byte limit for an attestation blob");
  }
}

void CheckPemBlockCount(const Bytes& pem, const std::string& field) {
  std::string_view text(reinterpret_cast<const char*>(pem.data()), pem.size());
  std::size_t blocks = 0;
  for (std::size_t pos = text.find("-----BEGIN"); pos != std::string_view::npos;
       pos = text.find("-----BEGIN", pos + 1)) {
    if (++blocks > kMaxPemBlocks) {
      throw InputError(field + " holds more than " + std::to_string(kMaxPemBlocks) + " PEM blocks");
    }
  }
}

Bytes Gunzip(ByteSpan data, const std::string& what) {
  try {
    return GunzipExactlyOnce(data, kMaxDecompressedBlobBytes);
  } catch (const GzipError& e) {
    throw InputError(what + ": " + e.what());
  }
}

/// `gcloud kms keys versions describe --format=json` (format doc §2.1):
/// attestation.content is base64 of the gzip blob; attestation.certChains
/// holds PEM arrays caviumCerts, googleCardCerts, googlePartitionCerts.
AttestationDocument ParseGoogleKeyVersion(const nlohmann::json& root) {
  AttestationDocument doc;
  doc.shape = DocumentShape::kGoogleKeyVersion;
  doc.source = AttestationSource::kGoogle;
  const nlohmann::json& att = root["attestation"];
  if (const auto* name = Member(root, "name"); name && name->is_string()) doc.google_name = name->get<std::string>();
  if (const auto* format = Member(att, "format")) {
    if (!format->is_string()) throw InputError("field 'attestation.format' is not a string");
    doc.google_format = format->get<std::string>();
  }
  Bytes content = DecodeField(RequireString(att, "attestation.", "content"), "attestation.content");
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
        pem += c.get<std::string>();
        pem += '\n';
      }
    }
    doc.certificate_pem.assign(pem.begin(), pem.end());
    CheckPemBlockCount(doc.certificate_pem, "field 'attestation.certChains'");
  }
  return doc;
}

}  // namespace

AttestationDocument MakeRawAttestationDocument(ByteSpan blob, std::optional<Bytes> certificate_pem) {
  AttestationDocument doc;
  doc.shape = DocumentShape::kRawBlob;
  doc.source = AttestationSource::kRaw;
  if (blob.empty()) throw InputError("the attestation blob is empty");
  doc.private_key_attestation = LooksGzipped(blob) ? Gunzip(blob, "attestation blob") : Bytes(blob.begin(), blob.end());
  CheckBlobSize(doc.private_key_attestation, "the attestation blob");
  if (certificate_pem) {
    doc.certificate_pem = std::move(*certificate_pem);
    CheckPemBlockCount(doc.certificate_pem, "the certificate bundle");
  }
  return doc;
}

std::string ReadInputFile(const std::string& path) {
  const bool from_stdin = path == "-";
  const int fd = from_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open '" + path + "': " + std::generic_category().message(errno));
  const FdCloser closer(from_stdin ? -1 : fd);
  auto too_large = [&] {
    return InputError("'" + path + "' is larger than the " + std::to_string(kMaxInputFileBytes >> 20) +
                      " MiB limit for an attestation document");
  };
  // A regular file is read in one call into a buffer of its size (plus one
  // byte, to see it grow), then once more to see the end, into room reserved
  // up front; a pipe in 64 KiB steps. No stdio buffer, no copy.
  constexpr std::size_t kPipeChunk = 65536;
  constexpr std::size_t kEndChunk = 4096;
  std::size_t chunk = kPipeChunk;
  std::size_t next_chunk = kPipeChunk;
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxInputFileBytes) throw too_large();
    chunk = static_cast<std::size_t>(st.st_size) + 1;
    next_chunk = kEndChunk;
    out.reserve(chunk + kEndChunk);
  }
  for (;;) {
    const std::size_t used = out.size();
    out.resize(used + chunk);
    const ssize_t n = ::read(fd, out.data() + used, chunk);
    if (n < 0) {
      out.resize(used);
      if (errno == EINTR) continue;
      throw InputError("cannot read '" + path + "': " + std::generic_category().message(errno));
    }
    out.resize(used + static_cast<std::size_t>(n));
    if (n == 0) break;
    if (out.size() > kMaxInputFileBytes) throw too_large();
    chunk = next_chunk;
  }
  return out;
}

AttestationDocument ParseAttestationDocument(std::string_view json_text) {
  if (json_text.size() > kMaxInputFileBytes) {
    throw InputError("attestation document is larger than the input limit");
  }
  nlohmann::json root;
  try {
    root = ParseStrictJson(json_text, kMaxJsonDepth);
  } catch (const JsonSyntaxError& e) {
    if (e.kind() == JsonSyntaxError::Kind::kSyntax) throw InputError(e.what());
    throw InputError(std::string("not a valid attestation document: ") + e.what());
  }
  if (!root.is_object()) throw InputError("not an attestation document: top-level JSON value is not an object");

  AttestationDocument doc;
  if (const auto* google = Member(root, "attestation"); google && Member(*google, "content")) {
    return ParseGoogleKeyVersion(root);
  }
  const nlohmann::json* attestation = nullptr;
  std::string prefix;
  if (const auto* attributes = Member(root, "attributes")) {
    doc.shape = DocumentShape::kFullResponse;
    if (!attributes->is_object()) throw InputError("field 'attributes' is not an object");
    attestation = Member(*attributes, "attestation");
    prefix = "attributes.attestation.";
    if (attestation == nullptr) throw InputError("required field 'attributes.attestation' is missing");
    if (const auto* key = Member(root, "key")) doc.key = *key;
  } else if (const auto* att = Member(root, "attestation")) {
    doc.shape = DocumentShape::kAttributesObject;
    attestation = att;
    prefix = "attestation.";
  } else if (Member(root, "certificatePemFile") || Member(root, "privateKeyAttestation")) {
    doc.shape = DocumentShape::kAttestationObject;
    attestation = &root;
  } else {
    throw InputError(
        "not an attestation document: expected a key attestation response "
        "({\"key\", \"attributes\": {\"attestation\"}}), its 'attributes' object, or its "
        "'attestation' object");
  }
  if (!attestation->is_object())
    throw InputError("field '" + prefix.substr(0, prefix.size() - 1) + "' is not an object");

  doc.version = RequireString(*attestation, prefix, "version");
  doc.certificate_pem =
      DecodeField(RequireString(*attestation, prefix, "certificatePemFile"), prefix + "certificatePemFile");
  doc.private_key_attestation =
      DecodeField(RequireString(*attestation, prefix, "privateKeyAttestation"), prefix + "privateKeyAttestation");
  if (const auto* pub = Member(*attestation, "publicKeyAttestation"); pub && !pub->is_null()) {
    if (!pub->is_string()) throw InputError("field '" + prefix + "publicKeyAttestation' is not a string");
    doc.public_key_attestation = DecodeField(pub->get<std::string>(), prefix + "publicKeyAttestation");
  }
  CheckPemBlockCount(doc.certificate_pem, "field '" + prefix + "certificatePemFile'");
  CheckBlobSize(doc.private_key_attestation, "field '" + prefix + "privateKeyAttestation'");
  if (doc.public_key_attestation) {
    CheckBlobSize(*doc.public_key_attestation, "field '" + prefix + "publicKeyAttestation'");
  }
  return doc;
}

}  // namespace keyattest
