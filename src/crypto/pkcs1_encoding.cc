#include "keyattest/crypto/pkcs1_encoding.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <span>

namespace keyattest {

namespace {

// DER of the DigestInfo up to the hash: SEQUENCE { SEQUENCE { OID, NULL },
// OCTET STRING header }. The three share all but the length octets, the
// OID's last arc and the OCTET STRING length (RFC 8017 §9.2 note 1).
constexpr std::array<std::uint8_t, 19> kSha256Prefix = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
constexpr std::array<std::uint8_t, 19> kSha384Prefix = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                        0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
constexpr std::array<std::uint8_t, 19> kSha512Prefix = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                                        0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};

/// The DigestInfo prefix of each DigestAlgorithm, in its order (SHA-1 has
/// none here); a hash's size is the last prefix byte, its OCTET STRING length.
constexpr std::array<std::span<const std::uint8_t>, 4> kPrefixes = {std::span<const std::uint8_t>(), kSha256Prefix,
                                                                    kSha384Prefix, kSha512Prefix};
static_assert(static_cast<std::size_t>(DigestAlgorithm::kSha1) == 0 &&
              static_cast<std::size_t>(DigestAlgorithm::kSha256) == 1 &&
              static_cast<std::size_t>(DigestAlgorithm::kSha384) == 2 &&
              static_cast<std::size_t>(DigestAlgorithm::kSha512) == 3);

}  // namespace

std::optional<Bytes> DigestInfo(DigestAlgorithm digest, ByteSpan hash) {
  const auto index = static_cast<std::size_t>(digest);
  const std::span<const std::uint8_t> prefix = index < kPrefixes.size() ? kPrefixes[index] : kPrefixes[0];
  if (prefix.empty() || hash.size() != prefix.back()) return std::nullopt;
  Bytes out;
  out.reserve(prefix.size() + hash.size());
  out.insert(out.end(), prefix.begin(), prefix.end());
  out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

Bytes Pkcs1Type1Encoding(ByteSpan t, std::size_t k) {
  Bytes em;
  if (k < t.size() + 11) return em;
  em.reserve(k);
  em.push_back(0x00);
  em.push_back(0x01);
  em.insert(em.end(), k - t.size() - 3, 0xff);
  em.push_back(0x00);
  em.insert(em.end(), t.begin(), t.end());
  return em;
}

}  // namespace keyattest
