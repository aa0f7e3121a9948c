// Blob signature schemes (docs/marvell-format.md §9). The layout decides the scheme; we
// never try one scheme and then the other.
#pragma once

#include <string>

#include "keyattest/core/bytes.h"
#include "keyattest/crypto/openssl_ptr.h"
#include "keyattest/crypto/rsa_public_key.h"
#include "keyattest/marvell/blob.h"

namespace keyattest::marvell {

struct SignatureVerdict {
  bool ok = false;
  std::string detail;  // what was verified, or exactly why not
};

/// Verifies the trailing k-byte signature over bytes [0, L-k) of `blob`,
/// k = the partition key's modulus size. Recovers EM = s^e mod n (after
/// checking 0 < s < n) and compares it in full, in constant time, with the
/// encoding the layout dictates:
///   layout A: 00 01 FF.. 00 || DigestInfo(SHA-256) || H   (RSASSA-PKCS1-v1_5)
///   layout B: 00 01 FF.. 00 || H                         (no DigestInfo)
/// Never throws for a bad signature; throws CryptoError only if OpenSSL fails.
SignatureVerdict VerifyBlobSignature(ByteSpan blob, Layout layout, const RsaPublicKey& partition_key);
/// Convenience overload that prepares the key first.
SignatureVerdict VerifyBlobSignature(ByteSpan blob, Layout layout, EVP_PKEY* partition_key);

/// The expected encoded message for a digest, exposed for tests.
Bytes ExpectedEncodedMessage(Layout layout, ByteSpan sha256_digest, std::size_t k);

}  // namespace keyattest::marvell
