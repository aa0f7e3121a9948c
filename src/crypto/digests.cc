#include "keyattest/crypto/digests.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

const EVP_MD* FetchedDigest(DigestAlgorithm algorithm) {
  // Fetched together on first use, in DigestAlgorithm's order; never freed:
  // the process keeps them, as OpenSSL keeps its providers.
  static const std::array<EVP_MD*, 4> kFetched = [] {
    const std::array<EVP_MD*, 4> fetched = {
        EVP_MD_fetch(nullptr, "SHA1", nullptr), EVP_MD_fetch(nullptr, "SHA256", nullptr),
        EVP_MD_fetch(nullptr, "SHA384", nullptr), EVP_MD_fetch(nullptr, "SHA512", nullptr)};
    // The queue keeps a failed fetch's reasons for the call that reports it;
    // after four successes it is left empty.
    if (std::find(fetched.begin(), fetched.end(), nullptr) == fetched.end()) ClearOpenSslErrors();
    return fetched;
  }();
  const auto index = static_cast<std::size_t>(algorithm);
  const EVP_MD* md = index < kFetched.size() ? kFetched[index] : nullptr;
  CheckQueueFreeOpenSsl(md != nullptr, "EVP_MD_fetch");
  return md;
}

}  // namespace keyattest
