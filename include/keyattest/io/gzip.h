// Strict, bounded gzip (RFC 1952) decoding for attestation blobs that arrive
// compressed (Google Cloud HSM, docs/marvell-format.md §2.1 and §2.4). Exactly one member
// is decompressed exactly once, under a hard output cap; anything unusual is
// an error, never a guess.
#pragma once

#include <cstddef>
#include <stdexcept>

#include "keyattest/core/bytes.h"

namespace keyattest {

/// The input is not one well-formed gzip member within the limits. The
/// message starts with "gzip: " and names what is wrong.
class GzipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// True when `data` starts with the gzip magic bytes 1F 8B.
bool LooksGzipped(ByteSpan data);

/// Decompresses `data`, which must be exactly one gzip member and nothing
/// else. Throws GzipError when:
///  - the header is malformed: wrong magic, method other than deflate (8),
///    reserved FLG bits 5-7 set, FEXTRA/FNAME/FCOMMENT running past the data,
///    or a header CRC16 (FHCRC) that does not match;
///  - the deflate stream is invalid or truncated, or the 8-byte trailer is
///    incomplete;
///  - the decompressed data would exceed `max_output` bytes (checked while
///    inflating: no more than `max_output` bytes are ever buffered);
///  - the trailer's CRC-32 or ISIZE (size mod 2^32) does not match;
///  - any byte follows the trailer (including a second gzip member).
/// The result is returned as is even when it starts with 1F 8B itself: data
/// is decompressed exactly once, and the caller decides what nested gzip
/// means.
Bytes GunzipExactlyOnce(ByteSpan data, std::size_t max_output);

}  // namespace keyattest
