#include "keyattest/marvell/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

namespace keyattest::marvell {

namespace {

// DER of DigestInfo{ AlgorithmIdentifier{sha256, NULL}, OCTET STRING(32) }.
constexpr std::uint8_t kSha256DigestInfoPrefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

BignumPtr GetBnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, name, &bn) == 1, "EVP_PKEY_get_bn_param");
  return BignumPtr(bn);
}

}  // namespace

Bytes ExpectedEncodedMessage(Layout layout, ByteSpan digest, std::size_t k) {
  Bytes t;
  if (layout == Layout::kA) t.assign(std::begin(kSha256DigestInfoPrefix), std::end(kSha256DigestInfoPrefix));
  t.insert(t.end(), digest.begin(), digest.end());
  Bytes em;
  if (k < t.size() + 11) return em;  // too short for PKCS#1 type-1 padding
  em.reserve(k);
  em.push_back(0x00);
  em.push_back(0x01);
  em.insert(em.end(), k - t.size() - 3, 0xff);
  em.push_back(0x00);
  em.insert(em.end(), t.begin(), t.end());
  return em;
}

SignatureVerdict VerifyBlobSignature(ByteSpan blob, Layout layout, EVP_PKEY* key) {
  SignatureVerdict v;
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    v.detail = "partition key is not an RSA key";
    return v;
  }
  const auto k = static_cast<std::size_t>(EVP_PKEY_get_size(key));
  if (blob.size() <= k) {
    v.detail =
        "blob of " + std::to_string(blob.size()) + " bytes is too short for a " + std::to_string(k) + "-byte signature";
    return v;
  }
  ByteSpan data = blob.first(blob.size() - k);
  ByteSpan sig = blob.last(k);

  BignumPtr n = GetBnParam(key, OSSL_PKEY_PARAM_RSA_N);
  BignumPtr e = GetBnParam(key, OSSL_PKEY_PARAM_RSA_E);
  BignumPtr s(CheckNotNull(BN_bin2bn(sig.data(), static_cast<int>(sig.size()), nullptr), "BN_bin2bn"));
  if (BN_is_zero(s.get())) {
    v.detail = "signature value is zero";
    return v;
  }
  if (BN_cmp(s.get(), n.get()) >= 0) {
    v.detail = "signature value is not less than the partition key's modulus";
    return v;
  }
  BnCtxPtr ctx(CheckNotNull(BN_CTX_new(), "BN_CTX_new"));
  BignumPtr m(CheckNotNull(BN_new(), "BN_new"));
  CheckOpenSsl(BN_mod_exp(m.get(), s.get(), e.get(), n.get(), ctx.get()) == 1, "BN_mod_exp");
  Bytes em(k);
  CheckOpenSsl(BN_bn2binpad(m.get(), em.data(), static_cast<int>(k)) == static_cast<int>(k), "BN_bn2binpad");

  Bytes digest = Sha256(data);
  Bytes expected = ExpectedEncodedMessage(layout, digest, k);
  const char* scheme = layout == Layout::kA ? "RSASSA-PKCS1-v1_5 with SHA-256 DigestInfo"
                                            : "PKCS#1 type-1 padding around the bare SHA-256 (no DigestInfo)";
  if (expected.size() == k && CRYPTO_memcmp(em.data(), expected.data(), k) == 0) {
    v.ok = true;
    v.detail = std::string(scheme) + " over " + std::to_string(data.size()) + " bytes, " + std::to_string(k * 8) +
               "-bit partition key";
    return v;
  }
  // Name the most likely cause: the other layout's encoding is a sign of a
  // blob whose header was altered to change its detected layout.
  Bytes other = ExpectedEncodedMessage(layout == Layout::kA ? Layout::kB : Layout::kA, digest, k);
  if (other.size() == k && CRYPTO_memcmp(em.data(), other.data(), k) == 0) {
    v.detail =
        std::string("signature uses the other layout's encoding; layout ") + LayoutName(layout) + " requires " + scheme;
  } else {
    v.detail = std::string("signature does not verify (") + scheme + ") under the partition key";
  }
  return v;
}

}  // namespace keyattest::marvell
