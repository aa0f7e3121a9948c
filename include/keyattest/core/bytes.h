// Byte containers and encodings shared by every stage.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keyattest {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

/// Lower-case hex, no separators.
std::string HexEncode(ByteSpan bytes);
/// Decodes hex digits (either case, no separators); nullopt if `hex` has an
/// odd length or any other character.
std::optional<Bytes> HexDecode(std::string_view hex);

Bytes Sha256(ByteSpan data);
Bytes Sha1(ByteSpan data);

inline ByteSpan AsBytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace keyattest
