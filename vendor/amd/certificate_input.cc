// PEM bundle and THIM JSON certificate inputs (docs/snp.md "Certificate
// inputs").
#include "keyattest/amd/certificate_input.h"

#include <string_view>

#include "keyattest/core/byte_reader.h"
#include "keyattest/io/json_reader.h"

namespace keyattest::amd {

namespace {

constexpr std::size_t kMaxJsonDepth = 4;

std::vector<Certificate> PemMember(const nlohmann::json& doc, const char* name, std::size_t min, std::size_t max,
                                   CertificateCache* cache) {
  if (!doc.contains(name) || !doc[name].is_string()) {
    throw CertificateInputError(std::string("the THIM JSON has no string member \"") + name + "\"");
  }
  const std::string& pem = doc[name].get_ref<const std::string&>();
  PemBundle bundle;
  try {
    bundle = ParsePemBundle(AsBytes(pem), cache);
  } catch (const BundleError& e) {
    throw CertificateInputError(std::string("THIM JSON member \"") + name + "\": " + e.what());
  }
  const std::size_t n = bundle.certificates.size() + bundle.duplicates_removed;
  if (n < min || n > max || bundle.duplicates_removed != 0) {
    throw CertificateInputError(std::string("THIM JSON member \"") + name + "\" holds " + std::to_string(n) +
                                " certificates; expected " + std::to_string(min) +
                                (min == max ? "" : " to " + std::to_string(max)));
  }
  return bundle.certificates;
}

std::uint64_t ParseTcbm(const nlohmann::json& value) {
  if (!value.is_string()) throw CertificateInputError("THIM JSON member \"tcbm\" is not a string");
  const std::string& s = value.get_ref<const std::string&>();
  std::optional<Bytes> bytes = HexDecode(s);
  if (!bytes || bytes->size() != 8) {
    throw CertificateInputError("THIM JSON member \"tcbm\" is not 16 hex digits: \"" + s + "\"");
  }
  return ByteReader(*bytes).U64("tcbm");
}

AmdCertificateInput ParseThim(std::string_view text, CertificateCache* cache) {
  nlohmann::json doc;
  try {
    doc = ParseStrictJson(text, kMaxJsonDepth);
  } catch (const JsonSyntaxError& e) {
    throw CertificateInputError(std::string("the certificate JSON does not parse: ") + e.what());
  }
  if (!doc.is_object()) throw CertificateInputError("the certificate JSON is not an object");
  for (const auto& [name, value] : doc.items()) {
    if (name != "vcekCert" && name != "certificateChain" && name != "tcbm" && name != "cacheControl") {
      throw CertificateInputError("the THIM JSON has an unknown member \"" + name + "\"");
    }
  }
  AmdCertificateInput out;
  out.form = "THIM JSON";
  out.certificates = PemMember(doc, "vcekCert", 1, 1, cache);
  for (Certificate& c : PemMember(doc, "certificateChain", 1, 2, cache)) out.certificates.push_back(std::move(c));
  if (doc.contains("tcbm")) out.tcbm = ParseTcbm(doc["tcbm"]);
  if (doc.contains("cacheControl")) {
    if (!doc["cacheControl"].is_string())
      throw CertificateInputError("THIM JSON member \"cacheControl\" is not a string");
    out.cache_control = doc["cacheControl"].get<std::string>();
  }
  return out;
}

}  // namespace

AmdCertificateInput ParseAmdCertificateInput(ByteSpan input, CertificateCache* cache) {
  std::size_t i = 0;
  while (i < input.size() && (input[i] == ' ' || input[i] == '\t' || input[i] == '\r' || input[i] == '\n')) ++i;
  if (i < input.size() && input[i] == '{') {
    return ParseThim(std::string_view(reinterpret_cast<const char*>(input.data()), input.size()), cache);
  }
  AmdCertificateInput out;
  out.form = "PEM bundle";
  try {
    PemBundle bundle = ParsePemBundle(input, cache);
    if (bundle.duplicates_removed != 0) {
      throw CertificateInputError("the PEM bundle repeats a certificate");
    }
    out.certificates = std::move(bundle.certificates);
  } catch (const BundleError& e) {
    throw CertificateInputError(std::string("the PEM bundle: ") + e.what());
  }
  return out;
}

}  // namespace keyattest::amd
