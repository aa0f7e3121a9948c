#include "keyattest/crypto/digests.h"

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

const EVP_MD* FetchedDigest(DigestAlgorithm algorithm) {
  // Never freed: the process keeps them, as OpenSSL keeps its providers.
  static EVP_MD* const kSha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  static EVP_MD* const kSha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  static EVP_MD* const kSha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
  const EVP_MD* md = nullptr;
  switch (algorithm) {
    case DigestAlgorithm::kSha1:
      md = kSha1;
      break;
    case DigestAlgorithm::kSha256:
      md = kSha256;
      break;
    case DigestAlgorithm::kSha384:
      md = kSha384;
      break;
    case DigestAlgorithm::kSha512:
      md = kSha512;
      break;
  }
  // Only a failed fetch has anything in the error queue to report; a
  // successful one was checked (and its queue left empty) long ago.
  if (md == nullptr) CheckOpenSsl(false, "EVP_MD_fetch");
  return md;
}

}  // namespace keyattest
