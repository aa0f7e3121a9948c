// An RSA public key prepared once for many verifications: n, e and the
// Montgomery context for n. Raw BIGNUM arithmetic needs no EVP algorithm
// fetch, so it neither repeats that work per blob nor contends on OpenSSL
// 3.0's global provider locks when files are verified in parallel.
#pragma once

#include <openssl/bn.h>

#include <memory>
#include <optional>
#include <string>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

class RsaPublicKey {
 public:
  /// nullopt (with `why`) when `key` is not an RSA key.
  static std::optional<RsaPublicKey> FromEvp(EVP_PKEY* key, std::string* why);

  /// Modulus size in bytes: the signature length k.
  std::size_t size() const { return size_; }
  int bits() const { return BN_num_bits(n_.get()); }
  bool ExponentIs(BN_ULONG e) const { return BN_is_word(e_.get(), e) == 1; }

  /// EM = s^e mod n as exactly k bytes, after checking that the signature
  /// is k bytes and 0 < s < n. Returns nullopt with the reason otherwise.
  /// Safe to call from several threads at once.
  std::optional<Bytes> Recover(ByteSpan signature, std::string* why) const;

 private:
  using MontPtr = std::shared_ptr<BN_MONT_CTX>;
  std::shared_ptr<BIGNUM> n_;
  std::shared_ptr<BIGNUM> e_;
  MontPtr mont_;
  std::size_t size_ = 0;
};

}  // namespace keyattest
