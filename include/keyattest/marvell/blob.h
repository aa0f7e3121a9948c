// Marvell LiquidSecurity attestation blobs: the two byte layouts and the
// object/TLV encoding they share (docs/marvell-format.md §3, §4, §6). Structural parsing
// only; attribute values are interpreted in attributes.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keyattest/core/byte_reader.h"
#include "keyattest/core/bytes.h"
#include "keyattest/core/limits.h"

namespace keyattest::marvell {

/// Layout A: FW 3.x "response" layout (Google Cloud HSM), PKCS#1 v1.5 with
/// DigestInfo. Layout B: FW 2.x "legacy" layout (Azure Managed HSM), type-1
/// padding around the bare SHA-256. See §5 for why we avoid the vendors' names.
enum class Layout { kA, kB };
const char* LayoutName(Layout layout);

/// Caps (kMaxBlobBytes, kMaxAttributesPerObject) are in core/limits.h.
using keyattest::kMaxAttributesPerObject;
using keyattest::kMaxBlobBytes;

/// One TLV (§3.2): u32 type, u32 length, value. The value is a view into
/// the signed region of the blob given to ParseBlob (never a copy: a blob
/// has about 25 attributes per object, and copying each cost an allocation),
/// so it can only ever come from signed bytes and is valid while that blob
/// lives.
struct Attribute {
  std::uint32_t type = 0;
  std::size_t offset = 0;  // of the TLV header within the blob
  ByteSpan value;
};

/// Object header (§3.2): u32 handle, u32 attribute count, u32 object size.
struct KeyObject {
  std::size_t offset = 0;  // of the object header within the blob
  std::uint32_t handle = 0;
  std::uint32_t attribute_count = 0;
  std::uint32_t declared_size = 0;
  std::size_t tlv_bytes = 0;          // bytes the TLVs actually occupy
  std::vector<Attribute> attributes;  // in blob order; no duplicate types

  const Attribute* Find(std::uint32_t type) const;
};

/// Layout A header fields (§3): offsets 0..15, the handles, and TLVKeyInfo.
struct LayoutAHeader {
  std::uint32_t response_code = 0;     // @0, 0 = success
  std::uint32_t flags = 0;             // @4, 3 = GET_ATTR|GET_ATTEST
  std::uint32_t total_size = 0;        // @8, == L
  std::uint32_t buffer_size = 0;       // @12, attribute buffer length
  std::vector<std::uint64_t> handles;  // @16, one u64 per object
  std::size_t info_offset = 0;         // S = L - k - buffer_size
  std::uint16_t info_version = 0;      // @S, 1
  std::uint16_t info_flags = 0;        // @S+2, echoes flags
  std::uint16_t first_object = 0;      // @S+4, relative to S, 8
  std::uint16_t second_object = 0;     // @S+6, relative to S, 0 = none
};

/// Layout B header fields (§4).
struct LayoutBHeader {
  std::uint32_t object_length = 0;  // @16, == 12 + object size
  std::size_t zero_fill = 0;        // zero bytes from the TLV end to L - k
};

struct ParsedBlob {
  Layout layout = Layout::kB;
  std::size_t length = 0;            // L
  std::size_t signature_length = 0;  // k, from the partition key
  LayoutAHeader a;                   // valid when layout == kA
  LayoutBHeader b;                   // valid when layout == kB
  std::vector<KeyObject> objects;
  std::vector<std::string> warnings;  // soft checks that did not hold
};

/// Detects the layout strictly (§6.2): exactly one of A and B must parse.
/// `k` is the signature length: the partition key's modulus size in bytes.
/// Throws ParseError naming the field and offset. The attribute values of
/// the result are views into `blob`: it must outlive them.
ParsedBlob ParseBlob(ByteSpan blob, std::size_t k);

/// The layout a blob's first bytes announce (A: code 0, flags 3, total = L;
/// B: sixteen zero bytes), without parsing it; nullopt when neither or
/// both. Decides which owner chain a raw blob requires before its
/// signature length is known.
std::optional<Layout> AnnouncedLayout(ByteSpan blob);

/// The individual strict parsers, exposed for tests and diagnostics.
ParsedBlob ParseLayoutA(ByteSpan blob, std::size_t k);
ParsedBlob ParseLayoutB(ByteSpan blob, std::size_t k);

}  // namespace keyattest::marvell
