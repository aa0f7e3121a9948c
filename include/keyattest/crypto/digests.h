// Digest algorithms fetched once per process. OpenSSL 3.0 fetches an
// algorithm by name on every one-shot call (SHA256(), X509_verify), under
// the library's shared locks that parallel workers contend for; these are
// fetched at first use and kept for the life of the process.
#pragma once

#include <openssl/evp.h>

namespace keyattest {

/// In the order of the fetched table (src/crypto/digests.cc).
enum class DigestAlgorithm { kSha1 = 0, kSha256 = 1, kSha384 = 2, kSha512 = 3 };

/// The algorithm, fetched on first use; throws CryptoError when OpenSSL
/// cannot provide it (then and on every later call).
const EVP_MD* FetchedDigest(DigestAlgorithm algorithm);

}  // namespace keyattest
