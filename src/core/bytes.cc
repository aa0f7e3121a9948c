#include "keyattest/core/bytes.h"

#include <openssl/evp.h>

#include <string_view>

#include "keyattest/crypto/digests.h"
#include "keyattest/crypto/openssl_ptr.h"

namespace keyattest {

namespace {
constexpr char kLowerHex[] = "0123456789abcdef";
}  // namespace

std::string HexEncode(ByteSpan bytes) {
  // Sized once and written in place: a report hex-encodes every attribute
  // of every blob, so this runs for kilobytes per file of a batch.
  std::string out(bytes.size() * 2, '\0');
  char* o = out.data();
  for (std::uint8_t b : bytes) {
    *o++ = kLowerHex[b >> 4];
    *o++ = kLowerHex[b & 0x0f];
  }
  return out;
}

std::optional<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
  }
  return out;
}

namespace {

/// Digest of `data` with an algorithm fetched once per process
/// (crypto/digests.h).
Bytes Digest(DigestAlgorithm algorithm, ByteSpan data) {
  const EVP_MD* md = FetchedDigest(algorithm);
  Bytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  CheckOpenSsl(EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) == 1, "EVP_Digest");
  out.resize(len);
  return out;
}

}  // namespace

Bytes Sha256(ByteSpan data) { return Digest(DigestAlgorithm::kSha256, data); }

Bytes Sha1(ByteSpan data) { return Digest(DigestAlgorithm::kSha1, data); }

}  // namespace keyattest
