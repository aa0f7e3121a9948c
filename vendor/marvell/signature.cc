#include "keyattest/marvell/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

namespace keyattest::marvell {

namespace {

// DER of DigestInfo{ AlgorithmIdentifier{sha256, NULL}, OCTET STRING(32) }.
constexpr std::uint8_t kSha256DigestInfoPrefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

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
