// The expected key as components: RSA n/e or an EC point, in canonical
// form, whatever the source (JWK: jwk_key.cc; PEM, DER or CSR files:
// key_file.cc).
#include "keyattest/key_attestation/expected_key.h"

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include "keyattest/crypto/curves.h"
#include "src/key_attestation/expected_key_parts.h"

namespace keyattest {

namespace {

Bytes StripLeadingZeros(Bytes b) {
  std::size_t i = 0;
  while (i + 1 < b.size() && b[i] == 0) ++i;
  b.erase(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(i));
  return b;
}

}  // namespace

namespace expected_key_parts {

void SetRsa(ExpectedKey& out, Bytes n, Bytes e) {
  out.rsa_n = StripLeadingZeros(std::move(n));
  out.rsa_e = StripLeadingZeros(std::move(e));
  if (out.rsa_n.empty() || out.rsa_n[0] == 0) throw KeyError("RSA modulus is zero");
  if (out.rsa_e.empty() || out.rsa_e[0] == 0) throw KeyError("RSA exponent is zero");
  out.spki_der = RsaSpkiDer(out.rsa_n, out.rsa_e);
}

void SetEc(ExpectedKey& out, int nid, Bytes point) {
  const EcCurve* curve = CurveByNid(nid);
  if (curve == nullptr) throw KeyError("EC curve is not supported");
  if (point.size() != 1 + 2 * curve->field_bytes || point[0] != 0x04) {
    throw KeyError("EC point is not an uncompressed " + std::string(curve->jose_name) + " point");
  }
  out.ec_nid = nid;
  out.ec_point = std::move(point);
  out.spki_der = EcSpkiDer(nid, out.ec_point);
}

/// Components of a parsed OpenSSL public key (the --key PEM path).
void FillFromPublicKey(ExpectedKey& out, EVP_PKEY* k) {
  if (EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA) {
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    CheckOpenSsl(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) == 1, "EVP_PKEY_get_bn_param");
    BignumPtr n_owned(n);
    CheckOpenSsl(EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1, "EVP_PKEY_get_bn_param");
    BignumPtr e_owned(e);
    Bytes nb(static_cast<std::size_t>(BN_num_bytes(n)));
    BN_bn2bin(n, nb.data());
    Bytes eb(static_cast<std::size_t>(BN_num_bytes(e)));
    BN_bn2bin(e, eb.data());
    SetRsa(out, std::move(nb), std::move(eb));
    out.kty = "RSA";
  } else if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
    char group[64] = {0};
    CheckOpenSsl(EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), nullptr) == 1,
                 "EVP_PKEY_get_utf8_string_param");
    // Uncompressed encoding regardless of how the key was given (§8.2).
    CheckOpenSsl(EVP_PKEY_set_utf8_string_param(k, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed") == 1,
                 "EVP_PKEY_set_utf8_string_param");
    std::size_t len = 0;
    CheckOpenSsl(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) == 1,
                 "EVP_PKEY_get_octet_string_param");
    Bytes point(len);
    CheckOpenSsl(EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(), len, &len) == 1,
                 "EVP_PKEY_get_octet_string_param");
    SetEc(out, OBJ_sn2nid(group), std::move(point));
    out.kty = "EC";
  } else {
    throw KeyError("only RSA and EC public keys can be bound");
  }
}

}  // namespace expected_key_parts

std::string ExpectedKey::Description() const {
  if (!IsAsymmetric()) return "symmetric (" + kty + ")";
  if (!rsa_n.empty()) {
    std::size_t bits = rsa_n.size() * 8;
    for (std::uint8_t top = rsa_n[0]; (top & 0x80) == 0; top = static_cast<std::uint8_t>(top << 1)) --bits;
    return "RSA-" + std::to_string(bits);
  }
  const char* sn = OBJ_nid2sn(ec_nid);
  return std::string("EC ") + (sn ? sn : "?");
}

}  // namespace keyattest
