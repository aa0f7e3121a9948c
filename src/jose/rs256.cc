#include "keyattest/jose/rs256.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include "keyattest/crypto/digests.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest::jose {

BignumPtr RsaModulus(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return nullptr;
  BIGNUM* n = nullptr;
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) == 1, "EVP_PKEY_get_bn_param(n)");
  return BignumPtr(n);
}

int RsaModulusBits(EVP_PKEY* key) {
  BignumPtr n = RsaModulus(key);
  return n ? BN_num_bits(n.get()) : 0;
}

bool VerifyRs256(EVP_PKEY* key, std::string_view signing_input, ByteSpan signature, std::string* why) {
  const BignumPtr n = RsaModulus(key);
  return VerifyRs256(key, n.get(), signing_input, signature, why);
}

bool VerifyRs256(EVP_PKEY* key, const BIGNUM* n, std::string_view signing_input, ByteSpan signature, std::string* why) {
  auto fail = [&](std::string reason) {
    if (why) *why = std::move(reason);
    return false;
  };
  if (key == nullptr || n == nullptr) return fail("the signing key is not an RSA key");
  const auto k = static_cast<std::size_t>(BN_num_bytes(n));
  if (signature.size() != k) {
    return fail("signature is " + std::to_string(signature.size()) + " bytes; the " + std::to_string(BN_num_bits(n)) +
                "-bit key needs exactly " + std::to_string(k));
  }
  BignumPtr s(CheckNotNull(BN_bin2bn(signature.data(), static_cast<int>(signature.size()), nullptr), "BN_bin2bn"));
  if (BN_cmp(s.get(), n) >= 0) return fail("signature value is not less than the key's modulus");

  EvpMdCtxPtr ctx(CheckNotNull(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  CheckOpenSsl(EVP_DigestVerifyInit(ctx.get(), &pctx, FetchedDigest(DigestAlgorithm::kSha256), nullptr, key) == 1,
               "EVP_DigestVerifyInit");
  CheckOpenSsl(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0, "EVP_PKEY_CTX_set_rsa_padding");
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                  reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  if (rc == 1) {
    ClearOpenSslErrors();
    return true;
  }
  // 0 (and negative for a malformed encoding) is a signature that does not
  // verify: the reason is ours, the queue is dropped.
  ClearOpenSslErrors();
  return fail("RSASSA-PKCS1-v1_5 SHA-256 signature does not verify with the key");
}

}  // namespace keyattest::jose
