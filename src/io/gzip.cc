// Gzip member decoding (RFC 1952): the header and trailer are parsed here
// with ByteReader, and zlib inflates only the raw deflate stream between them
// (windowBits -15), so every framing rule is ours to enforce (docs/marvell-format.md §2.4).
#include "keyattest/io/gzip.h"

#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "keyattest/core/byte_reader.h"

namespace keyattest {

namespace {

constexpr std::uint8_t kId1 = 0x1f;
constexpr std::uint8_t kId2 = 0x8b;
constexpr std::uint8_t kMethodDeflate = 8;

// FLG bits (RFC 1952 §2.3.1). FTEXT is only a hint and needs no handling.
constexpr std::uint8_t kFlagHeaderCrc = 0x02;
constexpr std::uint8_t kFlagExtra = 0x04;
constexpr std::uint8_t kFlagName = 0x08;
constexpr std::uint8_t kFlagComment = 0x10;
constexpr std::uint8_t kFlagsReserved = 0xe0;

constexpr std::size_t kTrailerBytes = 8;
// Inflate output goes through a buffer of this size before it is appended,
// so memory stays within max_output plus one chunk whatever the input says.
constexpr std::size_t kChunkBytes = 16u << 10;

std::string Hex8(std::uint32_t v) {
  char buf[9];
  (void)std::snprintf(buf, sizeof(buf), "%08x", static_cast<unsigned>(v));
  return buf;
}

std::string Hex4(std::uint32_t v) {
  char buf[5];
  (void)std::snprintf(buf, sizeof(buf), "%04x", static_cast<unsigned>(v & 0xffffu));
  return buf;
}

std::string Hex2(std::uint8_t v) {
  char buf[3];
  (void)std::snprintf(buf, sizeof(buf), "%02x", static_cast<unsigned>(v));
  return buf;
}

// Gzip integers are little-endian (RFC 1952 §2.1).
std::uint16_t LittleU16(ByteReader& r, const char* field) { return r.U16le(field); }

std::uint32_t LittleU32(ByteReader& r, const char* field) { return r.U32le(field); }

void SkipZeroTerminated(ByteReader& r, const char* field) {
  while (true) {
    if (r.empty()) throw GzipError(std::string("gzip: ") + field + " is not NUL-terminated within the data");
    if (r.U8(field) == 0) return;
  }
}

std::uint32_t Crc32(ByteSpan data) {
  uLong crc = crc32_z(0L, Z_NULL, 0);
  crc = crc32_z(crc, data.data(), data.size());
  return static_cast<std::uint32_t>(crc);
}

/// Parses the member header; returns its length in bytes.
std::size_t ParseHeader(ByteSpan data) {
  ByteReader r(data);
  try {
    const std::uint8_t id1 = r.U8("ID1");
    const std::uint8_t id2 = r.U8("ID2");
    if (id1 != kId1 || id2 != kId2) {
      throw GzipError("gzip: not gzip data (magic " + Hex2(id1) + " " + Hex2(id2) + ", expected 1f 8b)");
    }
    const std::uint8_t method = r.U8("CM");
    if (method != kMethodDeflate) {
      throw GzipError("gzip: compression method " + std::to_string(method) + " is not deflate (8)");
    }
    const std::uint8_t flags = r.U8("FLG");
    if ((flags & kFlagsReserved) != 0) {
      throw GzipError("gzip: reserved FLG bits are set (FLG 0x" + Hex2(flags) + ")");
    }
    r.Skip(4, "MTIME");
    r.Skip(1, "XFL");
    r.Skip(1, "OS");
    if ((flags & kFlagExtra) != 0) {
      const std::uint16_t xlen = LittleU16(r, "XLEN");
      r.Skip(xlen, "FEXTRA");
    }
    if ((flags & kFlagName) != 0) SkipZeroTerminated(r, "FNAME");
    if ((flags & kFlagComment) != 0) SkipZeroTerminated(r, "FCOMMENT");
    if ((flags & kFlagHeaderCrc) != 0) {
      const auto computed = static_cast<std::uint16_t>(Crc32(data.first(r.position())) & 0xffffu);
      const std::uint16_t stored = LittleU16(r, "HCRC");
      if (stored != computed) {
        throw GzipError("gzip: header CRC16 mismatch (stored " + Hex4(stored) + ", computed " + Hex4(computed) + ")");
      }
    }
  } catch (const ParseError& e) {
    throw GzipError(std::string("gzip: truncated header: ") + e.what());
  }
  return r.position();
}

/// Owns an initialised raw-inflate stream.
class RawInflater {
 public:
  RawInflater() {
    if (inflateInit2(&stream_, -MAX_WBITS) != Z_OK) {
      throw GzipError(std::string("gzip: inflateInit2 failed: ") + (stream_.msg ? stream_.msg : "no message"));
    }
  }
  ~RawInflater() { inflateEnd(&stream_); }
  RawInflater(const RawInflater&) = delete;
  RawInflater& operator=(const RawInflater&) = delete;

  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
};

/// Inflates the raw deflate stream at the start of `deflate` into `out`;
/// returns how many input bytes the stream occupied.
std::size_t Inflate(ByteSpan deflate, std::size_t max_output, Bytes& out) {
  RawInflater inflater;
  z_stream& zs = inflater.stream();
  std::array<std::uint8_t, kChunkBytes> chunk;
  std::size_t fed = 0;  // bytes of `deflate` handed to zlib so far
  constexpr std::size_t kMaxFeed = std::numeric_limits<uInt>::max();
  while (true) {
    if (zs.avail_in == 0 && fed < deflate.size()) {
      const std::size_t n = std::min(deflate.size() - fed, kMaxFeed);
      zs.next_in = deflate.data() + fed;
      zs.avail_in = static_cast<uInt>(n);
      fed += n;
    }
    // Ask for at most one byte more than the cap allows, so exceeding it is
    // seen without ever buffering beyond it.
    const std::size_t room = max_output - out.size();
    const std::size_t want = room >= kChunkBytes ? kChunkBytes : room + 1;
    zs.next_out = chunk.data();
    zs.avail_out = static_cast<uInt>(want);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = want - zs.avail_out;
    if (produced > room) {
      throw GzipError("gzip: decompressed size exceeds " + std::to_string(max_output) + " bytes");
    }
    if (out.size() + produced > out.capacity()) {
      // Grow geometrically, but never reserve past the cap.
      out.reserve(std::min(max_output, std::max(out.capacity() * 2, out.size() + produced)));
    }
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(produced));
    switch (ret) {
      case Z_STREAM_END:
        return fed - zs.avail_in;
      case Z_OK:
        break;
      case Z_BUF_ERROR:
        // No progress was possible: with output space available, that means
        // zlib wants input and there is none left.
        if (zs.avail_in == 0 && fed == deflate.size()) {
          throw GzipError("gzip: truncated: the deflate stream ends before its final block (" +
                          std::to_string(deflate.size()) + " compressed bytes)");
        }
        throw GzipError("gzip: inflate made no progress");
      case Z_DATA_ERROR:
      case Z_NEED_DICT:
        throw GzipError(std::string("gzip: invalid deflate data: ") + (zs.msg ? zs.msg : "no message") +
                        " (at compressed byte " + std::to_string(fed - zs.avail_in) + ")");
      case Z_MEM_ERROR:
        throw GzipError("gzip: inflate ran out of memory");
      default:
        throw GzipError("gzip: inflate failed with code " + std::to_string(ret));
    }
  }
}

}  // namespace

bool LooksGzipped(ByteSpan data) { return data.size() >= 2 && data[0] == kId1 && data[1] == kId2; }

Bytes GunzipExactlyOnce(ByteSpan data, std::size_t max_output) {
  const std::size_t header_bytes = ParseHeader(data);
  Bytes out;
  const std::size_t deflate_bytes = Inflate(data.subspan(header_bytes), max_output, out);

  const std::size_t trailer_offset = header_bytes + deflate_bytes;
  ByteReader trailer(data.subspan(trailer_offset), trailer_offset);
  if (trailer.remaining() < kTrailerBytes) {
    throw GzipError("gzip: truncated trailer (" + std::to_string(trailer.remaining()) + " of " +
                    std::to_string(kTrailerBytes) + " bytes at offset " + std::to_string(trailer_offset) + ")");
  }
  const std::uint32_t stored_crc = LittleU32(trailer, "CRC32");
  const std::uint32_t stored_size = LittleU32(trailer, "ISIZE");
  const std::uint32_t computed_crc = Crc32(out);
  if (stored_crc != computed_crc) {
    throw GzipError("gzip: CRC-32 mismatch (stored " + Hex8(stored_crc) + ", computed " + Hex8(computed_crc) + ")");
  }
  const auto computed_size = static_cast<std::uint32_t>(out.size() & 0xffffffffu);
  if (stored_size != computed_size) {
    throw GzipError("gzip: ISIZE mismatch (stored " + std::to_string(stored_size) + ", decompressed " +
                    std::to_string(out.size()) + " bytes)");
  }
  if (!trailer.empty()) {
    throw GzipError(
        "gzip: trailing data after the gzip member (a second member?): " + std::to_string(trailer.remaining()) +
        " bytes at offset " + std::to_string(trailer.absolute_position()));
  }
  return out;
}

}  // namespace keyattest
