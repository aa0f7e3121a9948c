#include "keyattest/crypto/digests.h"

#include <array>
#include <cstddef>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

const EVP_MD* FetchedDigest(DigestAlgorithm algorithm) {
  // Fetched together on first use, in DigestAlgorithm's order; never freed:
  // the process keeps them, as OpenSSL keeps its providers.
  static const std::array<EVP_MD*, 4> kFetched = {
      EVP_MD_fetch(nullptr, "SHA1", nullptr), EVP_MD_fetch(nullptr, "SHA256", nullptr),
      EVP_MD_fetch(nullptr, "SHA384", nullptr), EVP_MD_fetch(nullptr, "SHA512", nullptr)};
  const auto index = static_cast<std::size_t>(algorithm);
  const EVP_MD* md = index < kFetched.size() ? kFetched[index] : nullptr;
  // Only a failed fetch has anything in the error queue to report; a
  // successful one was checked (and its queue left empty) long ago.
  if (md == nullptr) CheckOpenSsl(false, "EVP_MD_fetch");
  return md;
}

}  // namespace keyattest
