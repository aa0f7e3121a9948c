#include "tests/support/attestation_json.h"

#include <openssl/core_names.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace keyattest::testing {
namespace {

std::string Quote(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

Bytes BnParam(EVP_PKEY* key, const char* name, std::size_t pad_to = 0) {
  BIGNUM* raw = nullptr;
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, name, &raw) == 1, "EVP_PKEY_get_bn_param");
  BignumPtr bn(raw);
  const std::size_t len = std::max(pad_to, static_cast<std::size_t>(BN_num_bytes(bn.get())));
  Bytes out(len);
  CheckOpenSsl(BN_bn2binpad(bn.get(), out.data(), static_cast<int>(len)) >= 0, "BN_bn2binpad");
  return out;
}

}  // namespace

std::string Base64Encode(ByteSpan data, Base64Flavor flavor) {
  const char* alphabet = flavor == Base64Flavor::kStandard
                             ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v = (unsigned{data[i]} << 16) | (unsigned{data[i + 1]} << 8) | data[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 0x3F];
  }
  const std::size_t rest = data.size() - i;  // 0, 1 or 2 bytes left
  if (rest > 0) {
    const unsigned v = (unsigned{data[i]} << 16) | (rest == 2 ? unsigned{data[i + 1]} << 8 : 0u);
    out += alphabet[(v >> 18) & 0x3F];
    out += alphabet[(v >> 12) & 0x3F];
    if (rest == 2) out += alphabet[(v >> 6) & 0x3F];
    if (flavor != Base64Flavor::kUrlNoPad) out.append(3 - rest, '=');
  }
  return out;
}

std::string MakeAzureAttestationJson(const AzureJsonSpec& spec) {
  auto b64 = [&](ByteSpan data) { return Quote(Base64Encode(data, spec.base64)); };
  std::string attestation = "{\"certificatePemFile\":" + b64(AsBytes(spec.bundle_pem)) +
                            ",\"privateKeyAttestation\":" + b64(spec.private_blob);
  if (spec.public_blob) attestation += ",\"publicKeyAttestation\":" + b64(*spec.public_blob);
  attestation += ",\"version\":" + Quote(spec.version) + "}";
  if (spec.wrap == JsonWrap::kAttestationOnly) return attestation;

  // Fixed values in the shape of the recordings; none of them is signed.
  const std::string attributes =
      "{\"enabled\":true,\"created\":1735689600,\"updated\":1735689600,"
      "\"recoveryLevel\":\"Recoverable+Purgeable\",\"recoverableDays\":90,"
      "\"exportable\":false,\"attestation\":" +
      attestation + "}";
  if (spec.wrap == JsonWrap::kAttributesOnly) return attributes;

  std::string response = "{";
  if (spec.jwk_json) response += "\"key\":" + *spec.jwk_json + ",";
  return response + "\"attributes\":" + attributes + "}";
}

std::string AzureKid(std::string_view pool, std::string_view name, std::string_view version) {
  return "https://" + std::string(pool) + ".managedhsm.azure.net" + AzureKeyId(name, version);
}

std::string AzureKeyId(std::string_view name, std::string_view version) {
  return "/keys/" + std::string(name) + "/" + std::string(version);
}

std::string MakeJwkJson(EVP_PKEY* key, std::string_view kid) {
  auto b64 = [](const Bytes& b) { return Quote(Base64Encode(b)); };
  if (EVP_PKEY_is_a(key, "RSA")) {
    return "{\"kid\":" + Quote(kid) + ",\"kty\":\"RSA-HSM\",\"key_ops\":[\"sign\",\"verify\"]," +
           "\"n\":" + b64(BnParam(key, OSSL_PKEY_PARAM_RSA_N)) + ",\"e\":" + b64(BnParam(key, OSSL_PKEY_PARAM_RSA_E)) +
           "}";
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    std::array<char, 64> group{};
    CheckOpenSsl(
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), nullptr) == 1,
        "EVP_PKEY_get_utf8_string_param");
    const std::string_view name = group.data();
    const char* crv = name == "prime256v1"  ? "P-256"
                      : name == "secp384r1" ? "P-384"
                      : name == "secp521r1" ? "P-521"
                      : name == "secp256k1" ? "P-256K"
                                            : nullptr;
    if (crv == nullptr) throw std::invalid_argument("MakeJwkJson: unsupported curve");
    const int bits = EVP_PKEY_get_bits(key);
    const auto field_len = static_cast<std::size_t>((bits + 7) / 8);
    return "{\"kid\":" + Quote(kid) + ",\"kty\":\"EC-HSM\",\"key_ops\":[\"sign\",\"verify\"]," +
           "\"crv\":" + Quote(crv) + ",\"x\":" + b64(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, field_len)) +
           ",\"y\":" + b64(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, field_len)) + "}";
  }
  throw std::invalid_argument("MakeJwkJson: RSA or EC keys only");
}

}  // namespace keyattest::testing
