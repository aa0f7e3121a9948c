#include "keyattest/marvell/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include "keyattest/crypto/pkcs1_encoding.h"

namespace keyattest::marvell {

Bytes ExpectedEncodedMessage(Layout layout, ByteSpan digest, std::size_t k) {
  if (layout == Layout::kB) return Pkcs1Type1Encoding(digest, k);
  std::optional<Bytes> digest_info = DigestInfo(DigestAlgorithm::kSha256, digest);
  return digest_info ? Pkcs1Type1Encoding(*digest_info, k) : Bytes();
}

SignatureVerdict VerifyBlobSignature(ByteSpan blob, Layout layout, EVP_PKEY* key) {
  std::string why;
  std::optional<RsaPublicKey> rsa = RsaPublicKey::FromEvp(key, &why);
  if (!rsa) return SignatureVerdict{false, why};
  return VerifyBlobSignature(blob, layout, *rsa);
}

SignatureVerdict VerifyBlobSignature(ByteSpan blob, Layout layout, const RsaPublicKey& key) {
  SignatureVerdict v;
  const std::size_t k = key.size();
  if (blob.size() <= k) {
    v.detail =
        "blob of " + std::to_string(blob.size()) + " bytes is too short for a " + std::to_string(k) + "-byte signature";
    return v;
  }
  ByteSpan data = blob.first(blob.size() - k);
  std::string why;
  std::optional<Bytes> recovered = key.Recover(blob.last(k), &why);
  if (!recovered) {
    v.detail = why;
    return v;
  }
  const Bytes& em = *recovered;

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
