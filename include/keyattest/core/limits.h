// Every input limit, in one place (README "Limits"; docs/architecture.md).
// Readers and parsers refuse larger inputs as malformed (exit 3); the caps
// are generous multiples of the largest real inputs.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keyattest {

/// An attestation document file (real ones are about 12 KB).
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{4} << 20;
/// Nesting of any untrusted JSON document of the key-attestation verifier.
inline constexpr std::size_t kMaxJsonDepth = 32;
/// One base64 member of an attestation document.
inline constexpr std::size_t kMaxBase64FieldChars = std::size_t{1} << 20;
/// A Marvell attestation blob, as given and after gunzip: real ones are
/// 1.2-2.2 KB (docs/marvell-format.md §2.4). The one blob cap.
inline constexpr std::size_t kMaxBlobBytes = std::size_t{64} * 1024;
/// PEM blocks of a certificate bundle (real: 4).
inline constexpr std::size_t kMaxPemBlocks = 16;
/// Attributes per Marvell object (real objects carry 35-45), §13.
inline constexpr std::uint32_t kMaxAttributesPerObject = 256;
/// A compact JWS (MAA tokens, release responses' inner tokens).
inline constexpr std::size_t kMaxCompactJwsBytes = std::size_t{1} << 20;
/// A Secure Key Release policy and a release response file.
inline constexpr std::size_t kMaxReleasePolicyBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxReleaseResponseBytes = std::size_t{1} << 20;

}  // namespace keyattest
