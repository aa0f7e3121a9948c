// The expected key from a --key file's contents (the CLI reads the file): a PEM public key, a PEM or DER
// PKCS#10 request (its self-signature verified), a DER SubjectPublicKeyInfo,
// or a JWK (docs/marvell-format.md §8.2).
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string_view>

#include "keyattest/io/json_reader.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/key_attestation/expected_key.h"
#include "src/key_attestation/expected_key_parts.h"

namespace keyattest {

using expected_key_parts::FillFromPublicKey;

namespace {

using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslFree<X509_REQ_free>>;

std::string WithErrors(std::string message) {
  std::string errors = DrainOpenSslErrors();
  if (!errors.empty()) message += " (" + errors + ")";
  return message;
}

/// The public key of a PKCS#10 request (§8.2 "CSR input"), only once its
/// self-signature verifies. FillFromPublicKey re-encodes it canonically:
/// named curve and uncompressed point whatever the request carried.
void FillFromCertificateRequest(ExpectedKey& out, X509_REQ* request, const std::string& path) {
  EVP_PKEY* key = X509_REQ_get0_pubkey(request);  // owned by the request
  if (key == nullptr) throw KeyError(WithErrors("'" + path + "': the certificate request's public key is unreadable"));
  if (X509_REQ_verify(request, key) != 1) {
    throw KeyError(WithErrors("'" + path + "': the certificate request's signature does not verify"));
  }
  ClearOpenSslErrors();
  FillFromPublicKey(out, key);
}

bool HoldsPemCertificateRequest(const std::string& text) {
  return text.find("-----BEGIN CERTIFICATE REQUEST-----") != std::string::npos ||
         text.find("-----BEGIN NEW CERTIFICATE REQUEST-----") != std::string::npos;
}

std::size_t CountOf(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

/// A DER PKCS#10 request or SubjectPublicKeyInfo that fills the whole file.
void FillFromDer(ExpectedKey& out, const std::string& der, const std::string& path) {
  const auto* begin = reinterpret_cast<const unsigned char*>(der.data());
  const auto size = static_cast<long>(der.size());
  const unsigned char* p = begin;
  if (X509_REQ* request = d2i_X509_REQ(nullptr, &p, size)) {
    X509ReqPtr owned(request);
    if (p != begin + size) throw KeyError("'" + path + "' has trailing bytes after its DER certificate request");
    FillFromCertificateRequest(out, owned.get(), path);
    return;
  }
  ClearOpenSslErrors();
  p = begin;
  if (EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, size)) {
    EvpPkeyPtr owned(key);
    if (p != begin + size) throw KeyError("'" + path + "' has trailing bytes after its DER SubjectPublicKeyInfo");
    FillFromPublicKey(out, owned.get());
    return;
  }
  throw KeyError(WithErrors("'" + path + "' is neither a DER certificate request nor a DER SubjectPublicKeyInfo"));
}

}  // namespace

ExpectedKey ParseExpectedKeyText(const std::string& text, const std::string& path) {
  std::string source = "--key " + path;
  if (HoldsPemCertificateRequest(text)) {
    if (const std::size_t blocks = CountOf(text, "-----BEGIN"); blocks != 1) {
      throw KeyError("'" + path + "' holds a certificate request among " + std::to_string(blocks) +
                     " PEM blocks; give exactly one");
    }
    BioPtr bio(CheckNotNull(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), "BIO_new_mem_buf"));
    X509_REQ* request = PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr);
    if (request == nullptr) throw KeyError(WithErrors("'" + path + "' holds a malformed PEM certificate request"));
    X509ReqPtr owned(request);
    ExpectedKey out;
    out.source = std::move(source);
    FillFromCertificateRequest(out, owned.get(), path);
    return out;
  }
  if (text.find("-----BEGIN") != std::string::npos) {
    // One key per file: a second block would be ignored by OpenSSL's reader.
    if (const std::size_t blocks = CountOf(text, "-----BEGIN"); blocks != 1) {
      throw KeyError("'" + path + "' holds " + std::to_string(blocks) + " PEM blocks; give exactly one public key");
    }
    BioPtr bio(CheckNotNull(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), "BIO_new_mem_buf"));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    ClearOpenSslErrors();
    if (key == nullptr) throw KeyError("'" + path + "' holds no PEM public key (BEGIN PUBLIC KEY)");
    EvpPkeyPtr owned(key);
    ExpectedKey out;
    out.source = std::move(source);
    FillFromPublicKey(out, owned.get());
    return out;
  }
  if (!text.empty() && static_cast<unsigned char>(text[0]) == 0x30) {
    ExpectedKey out;  // DER: a SEQUENCE (0x30 is '0', which no JWK starts with)
    out.source = std::move(source);
    FillFromDer(out, text, path);
    return out;
  }
  // The project's strict reader: a duplicate member ("n" twice) is an
  // error, never "the last one wins".
  nlohmann::json jwk;
  try {
    jwk = ParseStrictJson(text, kMaxJsonDepth);
  } catch (const JsonSyntaxError& e) {
    if (e.kind() == JsonSyntaxError::Kind::kSyntax) {
      throw KeyError("'" + path + "' is neither a JWK (JSON) nor a PEM public key or certificate request");
    }
    throw KeyError("'" + path + "' is not a valid JWK: " + e.what());
  }
  // Accept a bare JWK or a response-like {"key": JWK}.
  if (jwk.is_object() && jwk.contains("key") && !jwk.contains("kty")) jwk = jwk["key"];
  return ExpectedKeyFromJwk(jwk, std::move(source));
}

}  // namespace keyattest
