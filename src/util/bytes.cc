#include "keyattest/bytes.h"

#include <openssl/sha.h>

namespace keyattest {

namespace {
constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";
}  // namespace

std::string HexEncode(ByteSpan bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out += kLowerHex[b >> 4];
    out += kLowerHex[b & 0x0f];
  }
  return out;
}

std::string HexEncodeColons(ByteSpan bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += ':';
    out += kUpperHex[bytes[i] >> 4];
    out += kUpperHex[bytes[i] & 0x0f];
  }
  return out;
}

Bytes Sha256(ByteSpan data) {
  Bytes out(SHA256_DIGEST_LENGTH);
  SHA256(data.data(), data.size(), out.data());
  return out;
}

Bytes Sha1(ByteSpan data) {
  Bytes out(SHA_DIGEST_LENGTH);
  SHA1(data.data(), data.size(), out.data());
  return out;
}

}  // namespace keyattest
