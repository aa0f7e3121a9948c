#include "tests/support/jws_builder.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <map>
#include <mutex>

#include "keyattest/io/base64.h"
#include "tests/support/test_pki.h"

namespace keyattest::testing {

std::string B64Url(std::string_view text) { return EncodeBase64Url(AsBytes(text)); }
std::string B64Url(ByteSpan bytes) { return EncodeBase64Url(bytes); }

EvpPkeyPtr FreshRsaKey(int bits) {
  static std::mutex mutex;
  static std::map<int, EvpPkeyPtr> keys;
  std::lock_guard<std::mutex> lock(mutex);
  auto& key = keys[bits];
  if (!key) {
    EvpPkeyCtxPtr ctx(CheckNotNull(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), "EVP_PKEY_CTX_new_from_name"));
    CheckOpenSsl(EVP_PKEY_keygen_init(ctx.get()) == 1, "EVP_PKEY_keygen_init");
    CheckOpenSsl(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) == 1, "EVP_PKEY_CTX_set_rsa_keygen_bits");
    EVP_PKEY* made = nullptr;
    CheckOpenSsl(EVP_PKEY_keygen(ctx.get(), &made) == 1, "EVP_PKEY_keygen");
    key.reset(made);
  }
  CheckOpenSsl(EVP_PKEY_up_ref(key.get()) == 1, "EVP_PKEY_up_ref");
  return EvpPkeyPtr(key.get());
}

Bytes RsaSign(EVP_PKEY* key, std::string_view signing_input, const EVP_MD* md, bool pss) {
  EvpMdCtxPtr ctx(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  EVP_PKEY_CTX* pctx = nullptr;
  CheckOpenSsl(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key) == 1, "EVP_DigestSignInit");
  if (pss) CheckOpenSsl(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0, "set_rsa_padding");
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  CheckOpenSsl(EVP_DigestSign(ctx.get(), nullptr, &len, in, signing_input.size()) == 1, "EVP_DigestSign");
  Bytes sig(len);
  CheckOpenSsl(EVP_DigestSign(ctx.get(), sig.data(), &len, in, signing_input.size()) == 1, "EVP_DigestSign");
  sig.resize(len);
  return sig;
}

Bytes HmacSha256(ByteSpan secret, std::string_view signing_input) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  CheckNotNull(
      HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), out.data(), &len),
      "HMAC");
  out.resize(len);
  return out;
}

Bytes SelfSignedCertDer(EVP_PKEY* key, const std::string& cn) {
  CertSpec spec;
  spec.subject = {{"CN", cn}};
  spec.not_before = Utc(2019, 5, 1);
  spec.not_after = Utc(2050, 12, 31);
  X509Ptr cert = IssueCertificate(spec, key, nullptr, key);
  return ToDer(i2d_X509, cert.get(), "i2d_X509");
}

namespace {
std::string BnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, name, &bn) == 1, "EVP_PKEY_get_bn_param");
  BignumPtr owned(bn);
  Bytes bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  return B64Url(bytes);
}
}  // namespace

std::string RsaN(EVP_PKEY* key) { return BnParam(key, OSSL_PKEY_PARAM_RSA_N); }
std::string RsaE(EVP_PKEY* key) { return BnParam(key, OSSL_PKEY_PARAM_RSA_E); }

nlohmann::ordered_json MakeJwk(EVP_PKEY* key, const std::string& kid, bool with_x5c, bool with_n_e) {
  nlohmann::ordered_json jwk = nlohmann::ordered_json::object();
  jwk["kid"] = kid;
  jwk["kty"] = "RSA";
  if (with_x5c) {
    const Bytes der = SelfSignedCertDer(key);
    std::string b64 = EncodeBase64Url(der);
    for (char& c : b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (b64.size() % 4 != 0) b64 += '=';
    jwk["x5c"] = nlohmann::ordered_json::array({b64});
  }
  if (with_n_e) {
    jwk["n"] = RsaN(key);
    jwk["e"] = RsaE(key);
  }
  return jwk;
}

std::string JwksText(const std::vector<nlohmann::ordered_json>& keys) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  doc["keys"] = nlohmann::ordered_json::array();
  for (const auto& k : keys) doc["keys"].push_back(k);
  return doc.dump();
}

std::time_t TestIat() { return Utc(2030, 1, 1); }

TokenBuilder::TokenBuilder(EVP_PKEY* key, std::string kid) : key_(key) {
  header_["alg"] = "RS256";
  header_["jku"] = std::string(kTestIssuer) + "/certs";
  header_["kid"] = std::move(kid);
  header_["typ"] = "JWT";
  const auto iat = static_cast<std::int64_t>(TestIat());
  claims_["exp"] = iat + 28800;
  claims_["iat"] = iat;
  claims_["iss"] = kTestIssuer;
  claims_["nbf"] = iat;
  claims_["x-ms-attestation-type"] = "sevsnpvm";
  claims_["x-ms-sevsnpvm-is-debuggable"] = false;
  claims_["x-ms-sevsnpvm-vmpl"] = 0;
}

TokenBuilder& TokenBuilder::HeaderText(std::string text) {
  header_text_ = std::move(text);
  return *this;
}

TokenBuilder& TokenBuilder::PayloadText(std::string text) {
  payload_text_ = std::move(text);
  return *this;
}

std::string TokenBuilder::SigningInput() const {
  return B64Url(header_text_.empty() ? header_.dump() : header_text_) + "." +
         B64Url(payload_text_.empty() ? claims_.dump() : payload_text_);
}

std::string TokenBuilder::Build() const {
  const std::string input = SigningInput();
  return input + "." + B64Url(RsaSign(key_, input));
}

std::string TokenBuilder::BuildWithSignature(ByteSpan signature) const {
  return SigningInput() + "." + B64Url(signature);
}

}  // namespace keyattest::testing
