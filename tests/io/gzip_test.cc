// Strict gzip decoding (docs/marvell-format.md §2.4): every framing rule has a test that
// breaks exactly that rule, the output cap is exact, and no prefix of a valid
// member is accepted. Gzip data is built here, with zlib or byte by byte.
#include "keyattest/io/gzip.h"
#include "keyattest/core/limits.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#define ZLIB_CONST
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "tests/support/real_testdata.h"

namespace keyattest {
namespace {

/// Owns a deflate stream; `window_bits` 31 writes a gzip member, -15 raw
/// deflate.
class Deflater {
 public:
  explicit Deflater(int window_bits, int level = 9) {
    if (deflateInit2(&stream_, level, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("deflateInit2 failed");
    }
  }
  ~Deflater() { deflateEnd(&stream_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  /// Compresses `input` with `flush` and returns what zlib wrote.
  Bytes Run(ByteSpan input, int flush) {
    Bytes out;
    Bytes chunk(64u << 10);
    stream_.next_in = input.data();
    stream_.avail_in = static_cast<uInt>(input.size());
    while (true) {
      stream_.next_out = chunk.data();
      stream_.avail_out = static_cast<uInt>(chunk.size());
      const int ret = deflate(&stream_, flush);
      if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) throw std::runtime_error("deflate failed");
      out.insert(out.end(), chunk.begin(), chunk.end() - static_cast<std::ptrdiff_t>(stream_.avail_out));
      if (ret == Z_STREAM_END) break;
      if (stream_.avail_in == 0 && stream_.avail_out != 0) break;  // flush complete
    }
    return out;
  }

 private:
  z_stream stream_{};
};

Bytes ZlibGzip(ByteSpan payload) { return Deflater(31).Run(payload, Z_FINISH); }
Bytes RawDeflate(ByteSpan payload) { return Deflater(-15).Run(payload, Z_FINISH); }

std::uint32_t Crc32(ByteSpan data) {
  return static_cast<std::uint32_t>(crc32(0L, data.data(), static_cast<uInt>(data.size())));
}

void AppendLittle(Bytes& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xffu));
}

/// ID1 ID2 CM FLG MTIME(4) XFL OS.
Bytes BaseHeader(std::uint8_t flags, std::uint8_t method = 8) {
  return {0x1f, 0x8b, method, flags, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff};
}

/// A member with a hand-made header and the correct trailer for `payload`.
Bytes Member(Bytes header, ByteSpan payload) {
  Bytes out = std::move(header);
  Bytes deflated = RawDeflate(payload);
  out.insert(out.end(), deflated.begin(), deflated.end());
  AppendLittle(out, Crc32(payload), 4);
  AppendLittle(out, static_cast<std::uint32_t>(payload.size()), 4);
  return out;
}

Bytes Text(std::string_view s) { return Bytes(s.begin(), s.end()); }

/// Deterministic, poorly compressible bytes.
Bytes Noise(std::size_t n) {
  Bytes out(n);
  std::uint32_t x = 0x12345678u;
  for (auto& b : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::uint8_t>(x & 0xffu);
  }
  return out;
}

std::string ErrorOf(ByteSpan data, std::size_t cap = kMaxBlobBytes) {
  try {
    GunzipExactlyOnce(data, cap);
  } catch (const GzipError& e) {
    return e.what();
  }
  return "(no error)";
}

const Bytes& Hello() {
  static const Bytes kHello = Text("attested key material, attested key material, attested key material\n");
  return kHello;
}

TEST(GzipTest, LooksGzippedChecksTheMagic) {
  EXPECT_TRUE(LooksGzipped(ZlibGzip(Hello())));
  EXPECT_TRUE(LooksGzipped(Bytes{0x1f, 0x8b}));
  EXPECT_FALSE(LooksGzipped(Bytes{0x1f}));
  EXPECT_FALSE(LooksGzipped(Bytes{}));
  EXPECT_FALSE(LooksGzipped(Bytes{0x8b, 0x1f, 0x08}));
  EXPECT_FALSE(LooksGzipped(Hello()));
}

TEST(GzipTest, RoundTripsZlibOutput) {
  for (std::size_t size :
       {std::size_t{1}, std::size_t{100}, std::size_t{16384}, std::size_t{16385}, std::size_t{50000}}) {
    Bytes payload = Noise(size);
    EXPECT_EQ(GunzipExactlyOnce(ZlibGzip(payload), 1u << 20), payload) << size;
  }
  EXPECT_EQ(GunzipExactlyOnce(ZlibGzip(Hello()), kMaxBlobBytes), Hello());
}

TEST(GzipTest, EmptyPayload) {
  EXPECT_TRUE(GunzipExactlyOnce(ZlibGzip(Bytes{}), 0).empty());
  EXPECT_TRUE(GunzipExactlyOnce(Member(BaseHeader(0), Bytes{}), 0).empty());
}

TEST(GzipTest, RejectsWrongMagic) {
  Bytes data = ZlibGzip(Hello());
  data[1] = 0x8c;
  EXPECT_EQ(ErrorOf(data), "gzip: not gzip data (magic 1f 8c, expected 1f 8b)");
  EXPECT_EQ(ErrorOf(Hello()), "gzip: not gzip data (magic 61 74, expected 1f 8b)");
}

TEST(GzipTest, RejectsEmptyInput) {
  EXPECT_EQ(ErrorOf(Bytes{}), "gzip: truncated header: ID1 at offset 0: needs 1 bytes but only 0 remain");
}

TEST(GzipTest, RejectsMethodOtherThanDeflate) {
  EXPECT_EQ(ErrorOf(Member(BaseHeader(0, 7), Hello())), "gzip: compression method 7 is not deflate (8)");
  EXPECT_EQ(ErrorOf(Member(BaseHeader(0, 0), Hello())), "gzip: compression method 0 is not deflate (8)");
}

TEST(GzipTest, RejectsEachReservedFlagBit) {
  EXPECT_EQ(ErrorOf(Member(BaseHeader(0x20), Hello())), "gzip: reserved FLG bits are set (FLG 0x20)");
  EXPECT_EQ(ErrorOf(Member(BaseHeader(0x40), Hello())), "gzip: reserved FLG bits are set (FLG 0x40)");
  EXPECT_EQ(ErrorOf(Member(BaseHeader(0x80), Hello())), "gzip: reserved FLG bits are set (FLG 0x80)");
  EXPECT_EQ(ErrorOf(Member(BaseHeader(0xff), Hello())), "gzip: reserved FLG bits are set (FLG 0xff)");
}

TEST(GzipTest, RejectsTruncatedDeflateStream) {
  Bytes header = BaseHeader(0);
  Bytes deflated = RawDeflate(Noise(1000));
  Bytes data = header;
  data.insert(data.end(), deflated.begin(), deflated.begin() + 500);
  EXPECT_EQ(ErrorOf(data), "gzip: truncated: the deflate stream ends before its final block (500 compressed bytes)");
}

TEST(GzipTest, RejectsTruncatedTrailer) {
  Bytes data = ZlibGzip(Hello());
  const std::size_t trailer_offset = data.size() - 8;
  data.erase(data.end() - 3, data.end());
  EXPECT_EQ(ErrorOf(data), "gzip: truncated trailer (5 of 8 bytes at offset " + std::to_string(trailer_offset) + ")");
  data.erase(data.begin() + static_cast<std::ptrdiff_t>(trailer_offset), data.end());
  EXPECT_EQ(ErrorOf(data), "gzip: truncated trailer (0 of 8 bytes at offset " + std::to_string(trailer_offset) + ")");
}

TEST(GzipTest, RejectsCrcMismatch) {
  Bytes data = ZlibGzip(Hello());
  const std::size_t crc_offset = data.size() - 8;
  data[crc_offset] ^= 0x01;
  char expected[128];
  std::snprintf(expected, sizeof(expected), "gzip: CRC-32 mismatch (stored %08x, computed %08x)",
                static_cast<unsigned>(Crc32(Hello()) ^ 0x01u), static_cast<unsigned>(Crc32(Hello())));
  EXPECT_EQ(ErrorOf(data), expected);
}

TEST(GzipTest, RejectsIsizeMismatch) {
  Bytes data = ZlibGzip(Hello());
  const std::size_t isize_offset = data.size() - 4;
  data[isize_offset] = static_cast<std::uint8_t>(data[isize_offset] + 1);
  const std::size_t n = Hello().size();
  EXPECT_EQ(ErrorOf(data), "gzip: ISIZE mismatch (stored " + std::to_string(n + 1) + ", decompressed " +
                               std::to_string(n) + " bytes)");
  // A huge claimed size is only compared, never used to size a buffer.
  for (std::size_t i = 0; i < 4; ++i) data[isize_offset + i] = 0xff;
  EXPECT_EQ(ErrorOf(data), "gzip: ISIZE mismatch (stored 4294967295, decompressed " + std::to_string(n) + " bytes)");
}

TEST(GzipTest, RejectsTrailingData) {
  Bytes data = ZlibGzip(Hello());
  const std::size_t end = data.size();
  data.push_back(0x00);
  EXPECT_EQ(ErrorOf(data),
            "gzip: trailing data after the gzip member (a second member?): 1 bytes at offset " + std::to_string(end));
}

TEST(GzipTest, RejectsSecondMember) {
  Bytes first = ZlibGzip(Hello());
  Bytes second = ZlibGzip(Text("second"));
  Bytes data = first;
  data.insert(data.end(), second.begin(), second.end());
  EXPECT_EQ(ErrorOf(data), "gzip: trailing data after the gzip member (a second member?): " +
                               std::to_string(second.size()) + " bytes at offset " + std::to_string(first.size()));
}

TEST(GzipTest, RejectsInvalidDeflateData) {
  Bytes data = BaseHeader(0);
  data.push_back(0x07);  // BFINAL=1, BTYPE=11 (reserved)
  AppendLittle(data, 0, 4);
  AppendLittle(data, 0, 4);
  EXPECT_EQ(ErrorOf(data), "gzip: invalid deflate data: invalid block type (at compressed byte 1)");

  Bytes stored = BaseHeader(0);
  stored.insert(stored.end(), {0x01, 0x05, 0x00, 0x05, 0x00});  // final stored block, LEN != ~NLEN
  EXPECT_EQ(ErrorOf(stored), "gzip: invalid deflate data: invalid stored block lengths (at compressed byte 5)");
}

TEST(GzipTest, HeaderWithTextHintAndName) {
  Bytes header = BaseHeader(0x01 | 0x08);  // FTEXT | FNAME
  for (char c : std::string_view("attestation.dat")) header.push_back(static_cast<std::uint8_t>(c));
  header.push_back(0x00);
  EXPECT_EQ(GunzipExactlyOnce(Member(header, Hello()), 4096), Hello());
}

TEST(GzipTest, HeaderWithComment) {
  Bytes header = BaseHeader(0x10);
  for (char c : std::string_view("a comment")) header.push_back(static_cast<std::uint8_t>(c));
  header.push_back(0x00);
  EXPECT_EQ(GunzipExactlyOnce(Member(header, Hello()), 4096), Hello());
}

TEST(GzipTest, HeaderWithExtraField) {
  Bytes header = BaseHeader(0x04);
  AppendLittle(header, 6, 2);                                 // XLEN
  header.insert(header.end(), {'A', 'P', 2, 0, 0xaa, 0xbb});  // SI1 SI2 LEN data
  EXPECT_EQ(GunzipExactlyOnce(Member(header, Hello()), 4096), Hello());

  Bytes empty_extra = BaseHeader(0x04);
  AppendLittle(empty_extra, 0, 2);
  EXPECT_EQ(GunzipExactlyOnce(Member(empty_extra, Hello()), 4096), Hello());
}

TEST(GzipTest, HeaderWithEveryOptionalField) {
  Bytes header = BaseHeader(0x1f);  // FTEXT FHCRC FEXTRA FNAME FCOMMENT
  AppendLittle(header, 2, 2);
  header.push_back(0x01);
  header.push_back(0x02);
  header.push_back('n');
  header.push_back(0x00);
  header.push_back('c');
  header.push_back(0x00);
  AppendLittle(header, Crc32(header) & 0xffffu, 2);
  EXPECT_EQ(GunzipExactlyOnce(Member(header, Hello()), 4096), Hello());
}

TEST(GzipTest, HeaderCrcGoodAndBad) {
  Bytes header = BaseHeader(0x02);
  const std::uint32_t hcrc = Crc32(header) & 0xffffu;
  Bytes good = header;
  AppendLittle(good, hcrc, 2);
  EXPECT_EQ(GunzipExactlyOnce(Member(good, Hello()), 4096), Hello());

  Bytes bad = header;
  AppendLittle(bad, hcrc ^ 0x8000u, 2);
  char expected[96];
  std::snprintf(expected, sizeof(expected), "gzip: header CRC16 mismatch (stored %04x, computed %04x)",
                static_cast<unsigned>(hcrc ^ 0x8000u), static_cast<unsigned>(hcrc));
  EXPECT_EQ(ErrorOf(Member(bad, Hello())), expected);
}

TEST(GzipTest, HeaderFieldsMustStayWithinTheData) {
  Bytes name = BaseHeader(0x08);
  name.push_back('x');
  EXPECT_EQ(ErrorOf(name), "gzip: FNAME is not NUL-terminated within the data");

  Bytes comment = BaseHeader(0x10);
  EXPECT_EQ(ErrorOf(comment), "gzip: FCOMMENT is not NUL-terminated within the data");

  Bytes extra = BaseHeader(0x04);
  AppendLittle(extra, 100, 2);
  extra.insert(extra.end(), 5, 0x00);
  EXPECT_EQ(ErrorOf(extra), "gzip: truncated header: FEXTRA at offset 12: needs 100 bytes but only 5 remain");

  Bytes xlen = BaseHeader(0x04);
  xlen.push_back(0x01);
  EXPECT_EQ(ErrorOf(xlen), "gzip: truncated header: XLEN at offset 10: needs 2 bytes but only 1 remain");

  Bytes hcrc = BaseHeader(0x02);
  EXPECT_EQ(ErrorOf(hcrc), "gzip: truncated header: HCRC at offset 10: needs 2 bytes but only 0 remain");
}

TEST(GzipTest, CapIsExact) {
  for (std::size_t size : {std::size_t{1}, std::size_t{100}, std::size_t{16383}, std::size_t{16384}, std::size_t{16385},
                           std::size_t{40000}}) {
    Bytes payload = Noise(size);
    Bytes data = ZlibGzip(payload);
    EXPECT_EQ(GunzipExactlyOnce(data, size), payload) << size;
    EXPECT_EQ(ErrorOf(data, size - 1), "gzip: decompressed size exceeds " + std::to_string(size - 1) + " bytes")
        << size;
  }
  EXPECT_EQ(ErrorOf(ZlibGzip(Bytes{0x00}), 0), "gzip: decompressed size exceeds 0 bytes");
}

TEST(GzipTest, EveryTruncationThrows) {
  Bytes header = BaseHeader(0x1e);  // FHCRC FEXTRA FNAME FCOMMENT
  AppendLittle(header, 3, 2);
  header.insert(header.end(), {0x01, 0x02, 0x03, 'n', 'a', 'm', 'e', 0x00, 'c', 0x00});
  AppendLittle(header, Crc32(header) & 0xffffu, 2);
  Bytes data = Member(header, Noise(3000));
  ASSERT_EQ(GunzipExactlyOnce(data, 4096).size(), 3000u);
  for (std::size_t len = 0; len < data.size(); ++len) {
    Bytes prefix(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_THROW(GunzipExactlyOnce(prefix, 4096), GzipError) << "prefix of " << len << " bytes";
  }
}

TEST(GzipTest, BombStopsAtTheCap) {
  Bytes zeros(10u << 20, 0x00);
  Bytes bomb = ZlibGzip(zeros);
  zeros = Bytes();
  ASSERT_LT(bomb.size(), 64u << 10);
  EXPECT_EQ(ErrorOf(bomb, 64u << 10), "gzip: decompressed size exceeds 65536 bytes");
}

/// A member that inflates to `mebibytes` MiB of zeros, built from one
/// self-contained block sequence repeated (no compression of the whole).
/// The trailer is zeros: decoding must stop at the cap before reaching it.
Bytes GiantBomb(std::size_t mebibytes) {
  Bytes mib(1u << 20, 0x00);
  Deflater deflater(-15);
  Bytes first = deflater.Run(mib, Z_FULL_FLUSH);
  Bytes repeat = deflater.Run(mib, Z_FULL_FLUSH);  // no history: valid after any full flush
  Bytes end = deflater.Run(Bytes{}, Z_FINISH);
  Bytes out = BaseHeader(0);
  out.insert(out.end(), first.begin(), first.end());
  for (std::size_t i = 1; i < mebibytes; ++i) out.insert(out.end(), repeat.begin(), repeat.end());
  out.insert(out.end(), end.begin(), end.end());
  out.insert(out.end(), 8, 0x00);
  return out;
}

long PeakRssKib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(GzipTest, GiantBombNeverBuffersBeyondTheCap) {
  Bytes bomb = GiantBomb(1024);  // 1 GiB of zeros in about 1 MiB
  ASSERT_LT(bomb.size(), 2u << 20);
  const long before = PeakRssKib();
  EXPECT_EQ(ErrorOf(bomb, 64u << 10), "gzip: decompressed size exceeds 65536 bytes");
  // Decompressing the whole would touch 1 GiB; the peak may not move by more
  // than a few MiB (peak RSS only grows, so earlier tests cannot fake this).
  EXPECT_LT(PeakRssKib() - before, 32L << 10);
}

TEST(GzipTest, NestedGzipIsDecompressedOnce) {
  Bytes inner = ZlibGzip(Hello());
  Bytes outer = ZlibGzip(inner);
  Bytes once = GunzipExactlyOnce(outer, kMaxBlobBytes);
  EXPECT_EQ(once, inner);
  EXPECT_TRUE(LooksGzipped(once));
  EXPECT_EQ(GunzipExactlyOnce(once, kMaxBlobBytes), Hello());
}

void ExpectRealSample(const char* sample, std::size_t size, const char* sha256_prefix) {
  auto dir = testing::RealTestdataDir();
  if (!dir) GTEST_SKIP() << "../shared/testdata/real is absent: real gzip samples not checked";
  const std::filesystem::path path = *dir / sample / "attestation.dat.gz";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent";
  const std::string text = testing::ReadFileText(path);
  ASSERT_TRUE(LooksGzipped(AsBytes(text)));
  Bytes raw = GunzipExactlyOnce(AsBytes(text), kMaxBlobBytes);
  EXPECT_EQ(raw.size(), size);
  EXPECT_EQ(HexEncode(Sha256(raw)).substr(0, 8), sha256_prefix);
  EXPECT_FALSE(LooksGzipped(raw));
}

TEST(GzipTest, RealGoogleEcSample) { ExpectRealSample("google-cloud-hsm-ec-p256", 2112, "54695574"); }

TEST(GzipTest, RealGoogleRsaSample) { ExpectRealSample("google-cloud-hsm-rsa4096-imported", 1666, "ef0fdaa4"); }

}  // namespace
}  // namespace keyattest
