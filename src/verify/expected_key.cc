#include "keyattest/expected_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "keyattest/attestation_document.h"
#include "keyattest/base64.h"

namespace keyattest {

namespace {

using OsslParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslFree<OSSL_PARAM_BLD_free>>;
using OsslParamPtr = std::unique_ptr<OSSL_PARAM, OpenSslFree<OSSL_PARAM_free>>;

struct JwkCurve {
  const char* crv;
  int nid;
  const char* group;
  std::size_t field_bytes;
};
// JOSE curve names (RFC 7518, and P-256K as Azure writes secp256k1).
constexpr JwkCurve kCurves[] = {
    {"P-256", NID_X9_62_prime256v1, "prime256v1", 32}, {"P-384", NID_secp384r1, "secp384r1", 48},
    {"P-521", NID_secp521r1, "secp521r1", 66},         {"P-256K", NID_secp256k1, "secp256k1", 32},
    {"SECP256K1", NID_secp256k1, "secp256k1", 32},
};

Bytes StripLeadingZeros(Bytes b) {
  std::size_t i = 0;
  while (i + 1 < b.size() && b[i] == 0) ++i;
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(i));
  return b;
}

Bytes JwkBytes(const nlohmann::json& jwk, const char* member) {
  auto it = jwk.find(member);
  if (it == jwk.end() || !it->is_string()) throw KeyError(std::string("JWK member '") + member + "' is missing");
  std::string why;
  auto bytes = DecodeBase64Any(it->get<std::string>(), &why);
  if (!bytes) throw KeyError(std::string("JWK member '") + member + "' is not base64url: " + why);
  return std::move(*bytes);
}

std::shared_ptr<EVP_PKEY> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  OsslParamPtr params(CheckNotNull(OSSL_PARAM_BLD_to_param(bld), "OSSL_PARAM_BLD_to_param"));
  EvpPkeyCtxPtr ctx(CheckNotNull(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), "EVP_PKEY_CTX_new_from_name"));
  CheckOpenSsl(EVP_PKEY_fromdata_init(ctx.get()) == 1, "EVP_PKEY_fromdata_init");
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    throw KeyError("not a valid " + std::string(type) + " public key: " + DrainOpenSslErrors());
  }
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

void FillFromPublicKey(ExpectedKey& out, std::shared_ptr<EVP_PKEY> key) {
  out.public_key = std::move(key);
  EVP_PKEY* k = out.public_key.get();
  if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    CheckOpenSsl(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) == 1, "EVP_PKEY_get_bn_param");
    BignumPtr n_owned(n);
    CheckOpenSsl(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1, "EVP_PKEY_get_bn_param");
    BignumPtr e_owned(e);
    out.rsa_n.resize(static_cast<std::size_t>(BN_num_bytes(n)));
    BN_bn2bin(n, out.rsa_n.data());
    out.rsa_e.resize(static_cast<std::size_t>(BN_num_bytes(e)));
    BN_bn2bin(e, out.rsa_e.data());
  } else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
    char group[64] = {0};
    CheckOpenSsl(EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), nullptr) == 1,
                 "EVP_PKEY_get_utf8_string_param");
    out.ec_nid = OBJ_sn2nid(group);
    // Uncompressed encoding regardless of how the key was given (§8.2).
    CheckOpenSsl(EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed") == 1,
                 "EVP_PKEY_set_utf8_string_param");
    std::size_t len = 0;
    CheckOpenSsl(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) == 1,
                 "EVP_PKEY_get_octet_string_param");
    out.ec_point.resize(len);
    CheckOpenSsl(
        EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out.ec_point.data(), len, &len) == 1,
        "EVP_PKEY_get_octet_string_param");
  } else {
    throw KeyError("only RSA and EC public keys can be bound");
  }
  out.spki_der = SpkiDer(k);
}

}  // namespace

std::optional<KeyIdentifier> ParseKeyIdentifier(const std::string& kid, std::string* why) {
  constexpr std::string_view kScheme = "https://";
  auto fail = [&](const char* reason) -> std::optional<KeyIdentifier> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (kid.compare(0, kScheme.size(), kScheme) != 0) return fail("does not start with https://");
  std::string rest = kid.substr(kScheme.size());
  auto slash = rest.find('/');
  if (slash == std::string::npos || slash == 0) return fail("has no host");
  KeyIdentifier id;
  id.kid = kid;
  id.host = rest.substr(0, slash);
  id.pool = id.host.substr(0, id.host.find('.'));
  std::string path = rest.substr(slash);
  constexpr std::string_view kKeys = "/keys/";
  if (path.compare(0, kKeys.size(), kKeys) != 0) return fail("path does not start with /keys/");
  path = path.substr(kKeys.size());
  auto next = path.find('/');
  id.name = path.substr(0, next);
  if (id.name.empty()) return fail("has an empty key name");
  if (next != std::string::npos) {
    std::string version = path.substr(next + 1);
    if (version.empty() || version.find('/') != std::string::npos) return fail("has a malformed version");
    id.version = version;
  }
  return id;
}

std::string ExpectedKey::Description() const {
  if (!public_key) return "symmetric (" + kty + ")";
  if (!rsa_n.empty()) return "RSA-" + std::to_string(EVP_PKEY_get_bits(public_key.get()));
  const char* sn = OBJ_nid2sn(ec_nid);
  return std::string("EC ") + (sn ? sn : "?");
}

Bytes SpkiDer(EVP_PKEY* key) {
  int len = i2d_PUBKEY(key, nullptr);
  CheckOpenSsl(len > 0, "i2d_PUBKEY");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  CheckOpenSsl(i2d_PUBKEY(key, &p) == len, "i2d_PUBKEY");
  return out;
}

ExpectedKey ExpectedKeyFromJwk(const nlohmann::json& jwk, std::string source) {
  if (!jwk.is_object()) throw KeyError("JWK is not a JSON object");
  ExpectedKey out;
  out.source = std::move(source);
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) throw KeyError("JWK member 'kty' is missing");
  out.kty = kty->get<std::string>();
  if (auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string()) throw KeyError("JWK member 'kid' is not a string");
    std::string why;
    out.key_id = ParseKeyIdentifier(kid->get<std::string>(), &why);
    if (!out.key_id) throw KeyError("JWK kid '" + kid->get<std::string>().substr(0, 200) + "' " + why);
  }
  const std::string family = out.kty.substr(0, out.kty.find('-'));  // "RSA-HSM" -> "RSA"
  if (family == "RSA") {
    Bytes n = StripLeadingZeros(JwkBytes(jwk, "n"));
    Bytes e = StripLeadingZeros(JwkBytes(jwk, "e"));
    OsslParamBldPtr bld(CheckNotNull(OSSL_PARAM_BLD_new(), "OSSL_PARAM_BLD_new"));
    BignumPtr bn_n(CheckNotNull(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr), "BN_bin2bn"));
    BignumPtr bn_e(CheckNotNull(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr), "BN_bin2bn"));
    CheckOpenSsl(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1, "OSSL_PARAM_BLD_push_BN");
    CheckOpenSsl(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1, "OSSL_PARAM_BLD_push_BN");
    FillFromPublicKey(out, FromParams("RSA", bld.get()));
  } else if (family == "EC") {
    auto crv = jwk.find("crv");
    if (crv == jwk.end() || !crv->is_string()) throw KeyError("JWK member 'crv' is missing");
    const JwkCurve* curve = nullptr;
    for (const auto& c : kCurves) {
      if (*crv == c.crv) curve = &c;
    }
    if (curve == nullptr) throw KeyError("JWK curve '" + crv->get<std::string>().substr(0, 40) + "' is not supported");
    Bytes x = JwkBytes(jwk, "x");
    Bytes y = JwkBytes(jwk, "y");
    if (x.size() != curve->field_bytes || y.size() != curve->field_bytes) {
      throw KeyError("JWK x/y are not " + std::to_string(curve->field_bytes) + " bytes for " + curve->crv);
    }
    Bytes point{0x04};
    point.insert(point.end(), x.begin(), x.end());
    point.insert(point.end(), y.begin(), y.end());
    OsslParamBldPtr bld(CheckNotNull(OSSL_PARAM_BLD_new(), "OSSL_PARAM_BLD_new"));
    CheckOpenSsl(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0) == 1,
                 "OSSL_PARAM_BLD_push_utf8_string");
    CheckOpenSsl(OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1,
                 "OSSL_PARAM_BLD_push_octet_string");
    FillFromPublicKey(out, FromParams("EC", bld.get()));
  } else if (family == "oct") {
    // Symmetric: Azure never returns key material; only the kid can bind.
  } else {
    throw KeyError("JWK kty '" + out.kty.substr(0, 40) + "' is not supported");
  }
  return out;
}

ExpectedKey LoadExpectedKeyFile(const std::string& path) {
  std::string text;
  try {
    text = ReadInputFile(path);
  } catch (const InputError& e) {
    throw KeyError(e.what());
  }
  std::string source = "--key " + path;
  if (text.find("-----BEGIN") != std::string::npos) {
    BioPtr bio(CheckNotNull(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), "BIO_new_mem_buf"));
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
    std::string errors = DrainOpenSslErrors();
    if (key == nullptr) throw KeyError("'" + path + "' holds no PEM public key (BEGIN PUBLIC KEY)");
    ExpectedKey out;
    out.source = std::move(source);
    FillFromPublicKey(out, std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free));
    out.kty = out.rsa_n.empty() ? "EC" : "RSA";
    return out;
  }
  nlohmann::json jwk;
  try {
    jwk = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    throw KeyError("'" + path + "' is neither a JWK (JSON) nor a PEM public key");
  }
  // Accept a bare JWK or a response-like {"key": JWK}.
  if (jwk.is_object() && jwk.contains("key") && !jwk.contains("kty")) jwk = jwk["key"];
  return ExpectedKeyFromJwk(jwk, std::move(source));
}

}  // namespace keyattest
