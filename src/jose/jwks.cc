#include "keyattest/jose/jwks.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <set>

#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"
#include "keyattest/jose/jws.h"
#include "keyattest/jose/rs256.h"
#include "keyattest/x509/certificate.h"

namespace keyattest::jose {

namespace {

using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OpenSslFree<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, OpenSslFree<OSSL_PARAM_free>>;

std::shared_ptr<EVP_PKEY> Share(EvpPkeyPtr key) { return {key.release(), EVP_PKEY_free}; }

/// Exactly one certificate in canonical DER, no trailing bytes: the rule of
/// every certificate bundle (x509/certificate.h).
X509Ptr DecodeCertificate(ByteSpan der, const std::string& what) {
  try {
    return DecodeCanonicalDerCertificate(der, what);
  } catch (const BundleError& e) {
    throw JwksError(e.what());
  }
}

EvpPkeyPtr PublicKeyOf(X509* cert, const std::string& what) {
  EVP_PKEY* key = X509_get_pubkey(cert);
  ClearOpenSslErrors();
  if (key == nullptr) throw JwksError(what + " has no usable public key");
  return EvpPkeyPtr(key);
}

std::string EntryName(std::size_t index, const std::string& kid) {
  return "keys[" + std::to_string(index) + "]" + (kid.empty() ? "" : " (kid \"" + kid + "\")");
}

std::vector<Bytes> DecodeX5c(const nlohmann::ordered_json& x5c, const std::string& entry) {
  if (!x5c.is_array() || x5c.empty()) throw JwksError(entry + ": x5c is not a non-empty array");
  if (x5c.size() > kMaxX5cCertificates) {
    throw JwksError(entry + ": x5c has more than " + std::to_string(kMaxX5cCertificates) + " certificates");
  }
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < x5c.size(); ++i) {
    std::string where = entry;
    where.append(": x5c[").append(std::to_string(i)).append("]");
    if (!x5c[i].is_string()) throw JwksError(where.append(" is not a string"));
    std::string why;
    std::optional<Bytes> der = DecodeBase64Any(x5c[i].get_ref<const std::string&>(), &why);
    if (!der) throw JwksError(where.append(" is not base64: ").append(why));
    out.push_back(std::move(*der));
  }
  return out;
}

Bytes DecodeMember(const nlohmann::ordered_json& jwk, const char* name, const std::string& entry) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) throw JwksError(entry + ": \"" + name + "\" is not a string");
  std::string why;
  std::optional<Bytes> bytes = DecodeBase64UrlStrict(it->get_ref<const std::string&>(), &why);
  if (!bytes || bytes->empty()) throw JwksError(entry + ": \"" + name + "\" is not base64url: " + why);
  return *bytes;
}

/// Builds one entry; checks that x5c[0] and n/e (when both are given) are
/// the same key.
Jwk ParseEntry(const nlohmann::ordered_json& entry_json, std::size_t index) {
  if (!entry_json.is_object()) throw JwksError(EntryName(index, "") + " is not a JSON object");
  const auto kid = entry_json.find("kid");
  if (kid == entry_json.end() || !kid->is_string() || kid->get_ref<const std::string&>().empty()) {
    throw JwksError(EntryName(index, "") + " has no kid string");
  }
  Jwk jwk;
  jwk.kid = kid->get<std::string>();
  jwk.json = entry_json;
  const std::string name = EntryName(index, jwk.kid);
  if (const auto kty = entry_json.find("kty"); kty != entry_json.end()) {
    if (!kty->is_string()) throw JwksError(name + ": kty is not a string");
    jwk.kty = kty->get<std::string>();
  }
  if (const auto x5c = entry_json.find("x5c"); x5c != entry_json.end()) jwk.x5c_der = DecodeX5c(*x5c, name);
  const bool has_n = entry_json.contains("n");
  const bool has_e = entry_json.contains("e");
  if (has_n != has_e) throw JwksError(name + ": has only one of n and e");
  jwk.has_n_e = has_n;
  if (!jwk.kty.empty() && jwk.kty != "RSA") {
    jwk.unusable_reason = "kty \"" + jwk.kty + "\" is not RSA";
    return jwk;
  }
  EvpPkeyPtr from_x5c;
  EvpPkeyPtr from_n_e;
  if (!jwk.x5c_der.empty()) {
    X509Ptr cert = DecodeCertificate(jwk.x5c_der[0], name + ": x5c[0]");
    from_x5c = PublicKeyOf(cert.get(), name + ": x5c[0]");
    jwk.certificate = std::shared_ptr<X509>(cert.release(), X509_free);
  }
  if (jwk.has_n_e) {
    from_n_e = RsaKeyFromModulus(DecodeMember(entry_json, "n", name), DecodeMember(entry_json, "e", name));
  }
  if (from_x5c && from_n_e && EVP_PKEY_eq(from_x5c.get(), from_n_e.get()) != 1) {
    ClearOpenSslErrors();
    throw JwksError(name + ": the key of x5c[0] and the key in n/e differ");
  }
  ClearOpenSslErrors();
  if (!from_x5c && !from_n_e) {
    jwk.unusable_reason = "carries neither x5c nor n/e";
    return jwk;
  }
  jwk.key = Share(from_x5c ? std::move(from_x5c) : std::move(from_n_e));
  BignumPtr modulus = RsaModulus(jwk.key.get());
  jwk.bits = modulus ? BN_num_bits(modulus.get()) : 0;
  if (jwk.bits == 0) {
    jwk.unusable_reason = "the key is not an RSA key";
    jwk.key.reset();
    return jwk;
  }
  jwk.modulus = std::shared_ptr<const BIGNUM>(modulus.release(), BN_free);
  return jwk;
}

[[noreturn]] void DuplicateKid(const std::string& kid, std::size_t index) {
  throw JwksError("JWKS has two entries with kid \"" + kid + "\" (" + EntryName(index, "") +
                  " repeats it): the key a token names would be ambiguous");
}

}  // namespace

const Jwk* Jwks::FindKid(std::string_view kid) const {
  for (const Jwk& k : keys) {
    if (k.kid == kid) return &k;
  }
  return nullptr;
}

EvpPkeyPtr RsaKeyFromModulus(ByteSpan n, ByteSpan e) {
  BignumPtr bn_n(CheckNotNull(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr), "BN_bin2bn(n)"));
  BignumPtr bn_e(CheckNotNull(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr), "BN_bin2bn(e)"));
  if (BN_num_bits(bn_n.get()) < 512 || BN_is_odd(bn_n.get()) == 0) throw JwksError("n is not a usable RSA modulus");
  if (BN_is_odd(bn_e.get()) == 0 || BN_is_one(bn_e.get()) == 1 || BN_cmp(bn_e.get(), bn_n.get()) >= 0) {
    throw JwksError("e is not a usable RSA public exponent");
  }
  ParamBldPtr bld(CheckNotNull(OSSL_PARAM_BLD_new(), "OSSL_PARAM_BLD_new"));
  CheckOpenSsl(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) == 1, "OSSL_PARAM_BLD_push_BN");
  CheckOpenSsl(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) == 1, "OSSL_PARAM_BLD_push_BN");
  ParamPtr params(CheckNotNull(OSSL_PARAM_BLD_to_param(bld.get()), "OSSL_PARAM_BLD_to_param"));
  EvpPkeyCtxPtr ctx(CheckNotNull(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), "EVP_PKEY_CTX_new_from_name"));
  CheckOpenSsl(EVP_PKEY_fromdata_init(ctx.get()) == 1, "EVP_PKEY_fromdata_init");
  EVP_PKEY* key = nullptr;
  CheckOpenSsl(EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) == 1, "EVP_PKEY_fromdata");
  return EvpPkeyPtr(key);
}

EvpPkeyPtr PublicKeyOfCertificate(ByteSpan der, const std::string& what) {
  const X509Ptr cert = DecodeCertificate(der, what);
  return PublicKeyOf(cert.get(), what);
}

Jwks ParseJwks(std::string_view text) {
  nlohmann::ordered_json doc;
  try {
    doc = ParseJoseObject(text);
  } catch (const JsonSyntaxError& e) {
    throw JwksError(std::string("JWKS is not strict JSON: ") + e.what());
  } catch (const std::invalid_argument& e) {
    throw JwksError(std::string("JWKS: ") + e.what());
  }
  const auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_array()) throw JwksError("JWKS has no \"keys\" array");
  if (keys->empty()) throw JwksError("JWKS \"keys\" is empty");
  if (keys->size() > kMaxJwksKeys) throw JwksError("JWKS has more than " + std::to_string(kMaxJwksKeys) + " keys");
  Jwks jwks;
  std::set<std::string> kids;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    Jwk jwk = ParseEntry((*keys)[i], i);
    if (!kids.insert(jwk.kid).second) DuplicateKid(jwk.kid, i);
    jwks.keys.push_back(std::move(jwk));
  }
  return jwks;
}

}  // namespace keyattest::jose
