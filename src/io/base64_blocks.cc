#include "src/io/base64_blocks.h"

#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KEYATTEST_BASE64_AVX2 1
#endif

namespace keyattest {

#if defined(KEYATTEST_BASE64_AVX2)

// This file is the x86-64 decoder: everything else is portable, and it
// decodes nothing where AVX2 is missing.
// NOLINTBEGIN(portability-simd-intrinsics)

namespace {

/// The value of a character of the standard alphabet, or -1.
constexpr int StandardValue(unsigned c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int>(c - 'a') + 26;
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0') + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/// Tables indexed by a nibble, each 16 bytes repeated for both 128-bit
/// lanes (vpshufb looks up within a lane). A character c = (h << 4) | l of
/// the standard alphabet is valid exactly when lo[l] & hi[h] == 0: the high
/// nibbles are grouped by the set of low nibbles that are not valid with
/// them, one bit per group. roll[h, or 1 for '/'] is what adds c to its
/// value. All three are derived here from StandardValue, not written out.
struct NibbleTables {
  bool derived = true;  // false: the alphabet does not fit the scheme
  std::array<std::uint8_t, 32> lo{};
  std::array<std::uint8_t, 32> hi{};
  std::array<std::uint8_t, 32> roll{};
};

constexpr NibbleTables MakeNibbleTables() {
  NibbleTables t;
  std::array<unsigned, 16> invalid_lows{};  // per high nibble: a bit per low nibble
  for (unsigned c = 0; c < 256; ++c) {
    if (StandardValue(c) < 0) invalid_lows[c >> 4] |= 1u << (c & 15u);
  }
  std::array<unsigned, 8> groups{};
  std::size_t group_count = 0;
  for (unsigned h = 0; h < 16; ++h) {
    if (invalid_lows[h] == 0) continue;
    std::size_t g = 0;
    while (g < group_count && groups[g] != invalid_lows[h]) ++g;
    if (g == groups.size()) {
      t.derived = false;  // more than 8 groups of high nibbles
      return t;
    }
    if (g == group_count) groups[group_count++] = invalid_lows[h];
    t.hi[h] = t.hi[h + 16] = static_cast<std::uint8_t>(1u << g);
  }
  for (unsigned l = 0; l < 16; ++l) {
    unsigned bits = 0;
    for (std::size_t g = 0; g < group_count; ++g) bits |= ((groups[g] >> l) & 1u) << g;
    t.lo[l] = t.lo[l + 16] = static_cast<std::uint8_t>(bits);
  }
  std::array<bool, 16> rolled{};
  for (unsigned c = 0; c < 256; ++c) {
    const int value = StandardValue(c);
    if (value < 0) continue;
    const unsigned index = (c >> 4) - (c == '/' ? 1u : 0u);
    const auto roll = static_cast<std::uint8_t>(value - static_cast<int>(c));  // mod 256
    t.derived = t.derived && (!rolled[index] || t.roll[index] == roll);        // one index, one offset
    rolled[index] = true;
    t.roll[index] = t.roll[index + 16] = roll;
  }
  return t;
}

constexpr NibbleTables kNibbleTables = MakeNibbleTables();
static_assert(kNibbleTables.derived, "the standard alphabet fits the nibble tables");

__attribute__((target("avx2"))) __m256i LoadTable(const std::array<std::uint8_t, 32>& table) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table.data()));
}

__attribute__((target("avx2"))) std::size_t DecodeBlocksAvx2(const unsigned char* in, std::size_t n, std::uint8_t* out,
                                                             std::size_t out_room, Base64BlockAlphabets& seen) {
  const __m256i lut_lo = LoadTable(kNibbleTables.lo);
  const __m256i lut_hi = LoadTable(kNibbleTables.hi);
  const __m256i lut_roll = LoadTable(kNibbleTables.roll);
  const __m256i low_nibble = _mm256_set1_epi8(0x0f);
  const __m256i minus = _mm256_set1_epi8('-');
  const __m256i underscore = _mm256_set1_epi8('_');
  const __m256i plus = _mm256_set1_epi8('+');
  const __m256i slash = _mm256_set1_epi8('/');
  // '-' - 2 = '+', '_' - 0x30 = '/': the URL alphabet mapped onto the standard one.
  const __m256i minus_to_plus = _mm256_set1_epi8(0x02);
  const __m256i underscore_to_slash = _mm256_set1_epi8(0x30);
  // Four 6-bit values a b c d (one a byte) -> (a << 6 | b), (c << 6 | d) -> 24 bits.
  const __m256i pair_bytes = _mm256_set1_epi32(0x01400140);
  const __m256i pair_words = _mm256_set1_epi32(0x00011000);
  // Each 32-bit lane now holds its 3 bytes least significant first: take
  // them most significant first, 12 per 128-bit lane, then the two lanes'
  // 12 bytes side by side.
  const __m256i order_bytes = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2, 1, 0, 6, 5, 4,
                                               10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i join_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);

  __m256i url_seen = _mm256_setzero_si256();
  __m256i standard_seen = _mm256_setzero_si256();
  std::size_t i = 0;
  std::size_t o = 0;
  for (; i + 32 <= n && o + 32 <= out_room; i += 32, o += 24) {
    const __m256i text = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    const __m256i is_minus = _mm256_cmpeq_epi8(text, minus);
    const __m256i is_underscore = _mm256_cmpeq_epi8(text, underscore);
    // Saturating arithmetic (the plain forms' diagnostics cannot be
    // suppressed in clang-tidy 14): no lane here leaves -128..127, since only
    // '-' and '_' are lowered, and only valid characters are rolled.
    const __m256i standard =
        _mm256_subs_epi8(text, _mm256_or_si256(_mm256_and_si256(is_minus, minus_to_plus),
                                               _mm256_and_si256(is_underscore, underscore_to_slash)));
    const __m256i high = _mm256_and_si256(_mm256_srli_epi32(standard, 4), low_nibble);
    const __m256i low = _mm256_and_si256(standard, low_nibble);
    const __m256i invalid = _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, low), _mm256_shuffle_epi8(lut_hi, high));
    if (_mm256_testz_si256(invalid, invalid) == 0) break;
    url_seen = _mm256_or_si256(url_seen, _mm256_or_si256(is_minus, is_underscore));
    standard_seen =
        _mm256_or_si256(standard_seen, _mm256_or_si256(_mm256_cmpeq_epi8(text, plus), _mm256_cmpeq_epi8(text, slash)));
    const __m256i roll_index = _mm256_adds_epi8(_mm256_cmpeq_epi8(standard, slash), high);
    const __m256i values = _mm256_adds_epi8(standard, _mm256_shuffle_epi8(lut_roll, roll_index));
    const __m256i words = _mm256_madd_epi16(_mm256_maddubs_epi16(values, pair_bytes), pair_words);
    const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, order_bytes), join_lanes);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + o), bytes);
  }
  seen.url = seen.url || _mm256_testz_si256(url_seen, url_seen) == 0;
  seen.standard = seen.standard || _mm256_testz_si256(standard_seen, standard_seen) == 0;
  return i;
}

}  // namespace

std::size_t DecodeBase64Blocks(const unsigned char* in, std::size_t n, std::uint8_t* out, std::size_t out_room,
                               Base64BlockAlphabets& seen) {
  static const bool kHaveAvx2 = __builtin_cpu_supports("avx2") != 0;
  return kHaveAvx2 ? DecodeBlocksAvx2(in, n, out, out_room, seen) : 0;
}

// NOLINTEND(portability-simd-intrinsics)

#else

std::size_t DecodeBase64Blocks(const unsigned char*, std::size_t, std::uint8_t*, std::size_t, Base64BlockAlphabets&) {
  return 0;
}

#endif

}  // namespace keyattest
