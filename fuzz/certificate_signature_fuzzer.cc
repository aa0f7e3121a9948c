// Fuzz target: the prepared certificate signature check
// (certificate_signature.h), differentially against OpenSSL's X509_verify,
// which the path verifier no longer calls for the signatures this check
// covers (docs/architecture.md "Certificate signatures with prepared keys").
// The input is one DER certificate; the candidate issuers are every
// certificate of the bundled real samples and the bundled roots, so that
// mutations of a real certificate meet the key that signed it.
//
// Property: wherever PrepareSignatureCheck covers a (certificate, issuer)
// pair, SignatureVerifies gives X509_verify's verdict.
#include <openssl/x509.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_common.h"
#include "keyattest/key_attestation/attestation_document.h"
#include "keyattest/x509/certificate.h"
#include "keyattest/x509/certificate_signature.h"

#ifndef KEYATTEST_FUZZ_TESTDATA
#error "KEYATTEST_FUZZ_TESTDATA must name the repository's testdata directory"
#endif

namespace keyattest::fuzz {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<Certificate> LoadIssuers() {
  const char* env = std::getenv("KEYATTEST_FUZZ_TESTDATA");
  const std::filesystem::path dir(env ? env : KEYATTEST_FUZZ_TESTDATA);
  std::vector<Certificate> issuers;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "azure", ec)) {
    const std::filesystem::path file = entry.path() / "attestation.json";
    if (!std::filesystem::is_regular_file(file)) continue;
    const AttestationDocument doc = ParseAttestationDocument(ReadFile(file));
    for (const Certificate& c : ParsePemBundle(doc.certificate_pem).certificates) issuers.push_back(c);
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir / "roots", ec)) {
    if (entry.path().extension() != ".pem") continue;
    const std::string pem = ReadFile(entry.path());
    for (const Certificate& c :
         ParsePemBundle(ByteSpan(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size())).certificates) {
      issuers.push_back(c);
    }
  }
  KEYATTEST_FUZZ_CHECK(!issuers.empty(), "no issuer certificates under " + dir.string());
  return issuers;
}

std::optional<Certificate> ParseCertificate(const std::uint8_t* data, std::size_t size) {
  const unsigned char* in = data;
  X509Ptr x(d2i_X509(nullptr, &in, static_cast<long>(size)));
  ClearOpenSslErrors();
  if (!x) return std::nullopt;
  try {
    return Certificate(std::move(x));
  } catch (const CryptoError&) {
    ClearOpenSslErrors();
    return std::nullopt;
  }
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keyattest;
  static const std::vector<Certificate> issuers = fuzz::LoadIssuers();
  if (size > 16384) return 0;
  const std::optional<Certificate> subject = fuzz::ParseCertificate(data, size);
  if (!subject) return 0;
  for (const Certificate& issuer : issuers) {
    const std::optional<PreparedSignatureCheck> check = PrepareSignatureCheck(*subject, issuer);
    if (!check) continue;
    const bool ours = SignatureVerifies(*check);
    const bool openssl = X509_verify(subject->get(), issuer.public_key()) == 1;
    ClearOpenSslErrors();
    KEYATTEST_FUZZ_CHECK(ours == openssl, "prepared check says " + std::string(ours ? "valid" : "invalid") +
                                              ", X509_verify says " + (openssl ? "valid" : "invalid") + " (issuer " +
                                              issuer.subject() + ")");
  }
  return 0;
}
