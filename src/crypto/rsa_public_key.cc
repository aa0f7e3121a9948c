#include "keyattest/crypto/rsa_public_key.h"

#include <openssl/core_names.h>

namespace keyattest {

namespace {

/// Per-thread working numbers for Recover: a BN_CTX keeps the buffers of
/// BN_mod_exp_mont's temporaries from one call to the next, and s and m
/// keep theirs, so a verification allocates only its result. They hold
/// public values only (signatures and what they recover to).
struct RecoverScratch {
  BnCtxPtr ctx{CheckNotNull(BN_CTX_new(), "BN_CTX_new")};
  BignumPtr s{CheckNotNull(BN_new(), "BN_new")};
  BignumPtr m{CheckNotNull(BN_new(), "BN_new")};
};

RecoverScratch& Scratch() {
  thread_local RecoverScratch scratch;
  return scratch;
}

}  // namespace

std::optional<RsaPublicKey> RsaPublicKey::FromEvp(EVP_PKEY* key, std::string* why) {
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    if (why) *why = "partition key is not an RSA key";
    return std::nullopt;
  }
  RsaPublicKey out;
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) == 1, "EVP_PKEY_get_bn_param");
  out.n_.reset(n, BN_free);
  CheckOpenSsl(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) == 1, "EVP_PKEY_get_bn_param");
  out.e_.reset(e, BN_free);
  if (BN_is_odd(n) == 0 || BN_num_bits(n) < 512) {
    if (why) *why = "partition key's modulus is not usable";
    return std::nullopt;
  }
  BnCtxPtr ctx(CheckNotNull(BN_CTX_new(), "BN_CTX_new"));
  out.mont_.reset(CheckNotNull(BN_MONT_CTX_new(), "BN_MONT_CTX_new"), BN_MONT_CTX_free);
  CheckOpenSsl(BN_MONT_CTX_set(out.mont_.get(), n, ctx.get()) == 1, "BN_MONT_CTX_set");
  out.size_ = static_cast<std::size_t>(BN_num_bytes(n));
  return out;
}

std::optional<Bytes> RsaPublicKey::Recover(ByteSpan signature, std::string* why) const {
  auto fail = [&](const char* reason) -> std::optional<Bytes> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (signature.size() != size_) return fail("signature length differs from the partition key's modulus size");
  RecoverScratch& scratch = Scratch();
  BIGNUM* s = scratch.s.get();
  CheckNotNull(BN_bin2bn(signature.data(), static_cast<int>(signature.size()), s), "BN_bin2bn");
  if (BN_is_zero(s)) return fail("signature value is zero");
  if (BN_cmp(s, n_.get()) >= 0) return fail("signature value is not less than the partition key's modulus");
  BIGNUM* m = scratch.m.get();
  CheckOpenSsl(BN_mod_exp_mont(m, s, e_.get(), n_.get(), scratch.ctx.get(), mont_.get()) == 1, "BN_mod_exp_mont");
  Bytes em(size_);
  CheckOpenSsl(BN_bn2binpad(m, em.data(), static_cast<int>(size_)) == static_cast<int>(size_), "BN_bn2binpad");
  return em;
}

}  // namespace keyattest
