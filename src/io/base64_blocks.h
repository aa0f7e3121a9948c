// Whole 32-character blocks of base64 decoded 32 at a time (AVX2, where the
// processor has it): most of the base64 a file holds is one certificate
// bundle of some kilobytes. DecodeBase64Any does everything else: the tail,
// padding, the exact error for a block that does not decode, and whether
// the text is canonical.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keyattest {

/// Which alphabet-specific characters the decoded blocks held.
struct Base64BlockAlphabets {
  bool standard = false;  // '+' or '/'
  bool url = false;       // '-' or '_'
};

/// Decodes whole 32-character blocks of `in` (`n` characters) from the
/// start, each into 24 bytes at `out`, while a block holds only characters
/// of the two alphabets (no '=') and `out` has room for 32 more bytes (a
/// block's store is 32 bytes wide); stops at the first block that does not,
/// without decoding any of it. Returns the number of characters decoded (a
/// multiple of 32; 0 without AVX2) and ORs into `seen` the alphabet-specific
/// characters met.
std::size_t DecodeBase64Blocks(const unsigned char* in, std::size_t n, std::uint8_t* out, std::size_t out_room,
                               Base64BlockAlphabets& seen);

}  // namespace keyattest
