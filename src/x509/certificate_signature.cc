#include "keyattest/x509/certificate_signature.h"

#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "keyattest/crypto/digests.h"

namespace keyattest {

namespace {

/// OpenSSL refuses larger moduli (OPENSSL_RSA_MAX_MODULUS_BITS) before any
/// arithmetic; RsaPublicKey refuses smaller ones.
constexpr int kMaxModulusBits = 16384;

std::optional<DigestAlgorithm> DigestOf(int signature_nid) {
  switch (signature_nid) {
    case NID_sha256WithRSAEncryption:
      return DigestAlgorithm::kSha256;
    case NID_sha384WithRSAEncryption:
      return DigestAlgorithm::kSha384;
    case NID_sha512WithRSAEncryption:
      return DigestAlgorithm::kSha512;
    default:
      return std::nullopt;
  }
}

bool HasNoParameters(const X509_ALGOR* algorithm) {
  int type = V_ASN1_UNDEF;
  const void* value = nullptr;
  X509_ALGOR_get0(nullptr, &type, &value, algorithm);
  return type == V_ASN1_UNDEF || type == V_ASN1_NULL;
}

}  // namespace

std::optional<PreparedSignatureCheck> PrepareSignatureCheck(const Certificate& subject, const Certificate& issuer) {
  const RsaPublicKey* key = issuer.rsa_public_key();
  if (key == nullptr || !key->ExponentIs(RSA_F4) || key->bits() > kMaxModulusBits) return std::nullopt;
  const ASN1_BIT_STRING* signature = nullptr;
  const X509_ALGOR* algorithm = nullptr;
  X509_get0_signature(&signature, &algorithm, subject.get());
  if (signature == nullptr || algorithm == nullptr) return std::nullopt;
  const std::optional<DigestAlgorithm> digest = DigestOf(X509_get_signature_nid(subject.get()));
  if (!digest || !HasNoParameters(algorithm)) return std::nullopt;
  if (X509_ALGOR_cmp(algorithm, X509_get0_tbs_sigalg(subject.get())) != 0) return std::nullopt;
  // ASN1_item_verify refuses a signature with unused bits; leave that to it.
  if (ASN1_STRING_type(signature) != V_ASN1_BIT_STRING || (signature->flags & 0x07) != 0) return std::nullopt;
  PreparedSignatureCheck check;
  check.issuer_key = key;
  check.digest = *digest;
  check.tbs = subject.tbs_der();
  check.signature = ByteSpan(ASN1_STRING_get0_data(signature), static_cast<std::size_t>(ASN1_STRING_length(signature)));
  return check;
}

bool SignatureVerifies(const PreparedSignatureCheck& check) {
  const std::optional<Bytes> em = check.issuer_key->Recover(check.signature, nullptr);
  if (!em) return false;
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int hash_size = 0;
  CheckOpenSsl(
      EVP_Digest(check.tbs.data(), check.tbs.size(), hash, &hash_size, FetchedDigest(check.digest), nullptr) == 1,
      "EVP_Digest");
  const std::optional<Bytes> digest_info = DigestInfo(check.digest, ByteSpan(hash, hash_size));
  if (!digest_info) return false;
  const Bytes expected = Pkcs1Type1Encoding(*digest_info, check.issuer_key->size());
  return expected.size() == em->size() && CRYPTO_memcmp(expected.data(), em->data(), em->size()) == 0;
}

}  // namespace keyattest
