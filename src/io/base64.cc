#include "keyattest/io/base64.h"

#include <array>
#include <cstdint>

#include "src/io/base64_blocks.h"

namespace keyattest {

namespace {

constexpr std::string_view kStdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::uint8_t kInvalid = 0xff;
constexpr std::uint8_t kStdOnly = 1;
constexpr std::uint8_t kUrlOnly = 2;

std::string DescribeChar(char c, std::size_t pos) {
  auto u = static_cast<unsigned char>(c);
  std::string shown = (u >= 0x21 && u < 0x7f) ? std::string("'") + c + "'" : "byte 0x" + HexEncode(ByteSpan(&u, 1));
  return "invalid character " + shown + " at position " + std::to_string(pos);
}

/// Per byte: its 6-bit value, or kInvalid; and which alphabet it belongs to
/// (kStdOnly for '+' '/', kUrlOnly for '-' '_').
struct DecodeTables {
  std::array<std::uint8_t, 256> value{};
  std::array<std::uint8_t, 256> alphabet{};
  /// For the k-th character of a four-character group: its value already
  /// shifted into place in the 24 bits the group decodes to, its alphabet
  /// in bits 24-25, and bit 31 when the byte is not base64. OR-ing the four
  /// entries gives the group's bytes, its alphabets and whether it is valid
  /// with one table load per character.
  std::array<std::array<std::uint32_t, 256>, 4> placed{};
};

constexpr std::uint32_t kPlacedInvalid = 0x80000000u;
constexpr unsigned kPlacedAlphabetShift = 24;

const DecodeTables& Tables() {
  static const DecodeTables kTables = [] {
    DecodeTables t;
    t.value.fill(kInvalid);
    for (std::size_t i = 0; i < 64; ++i) {
      t.value[static_cast<unsigned char>(kStdAlphabet[i])] = static_cast<std::uint8_t>(i);
      t.value[static_cast<unsigned char>(kUrlAlphabet[i])] = static_cast<std::uint8_t>(i);
    }
    t.alphabet['+'] = t.alphabet['/'] = kStdOnly;
    t.alphabet['-'] = t.alphabet['_'] = kUrlOnly;
    for (std::size_t k = 0; k < 4; ++k) {
      for (std::size_t c = 0; c < 256; ++c) {
        t.placed[k][c] = t.value[c] == kInvalid ? kPlacedInvalid
                                                : (std::uint32_t{t.value[c]} << (18 - 6 * k)) |
                                                      (std::uint32_t{t.alphabet[c]} << kPlacedAlphabetShift);
      }
    }
    return t;
  }();
  return kTables;
}

/// Writes the 1 or 2 bytes of a final group of `group_chars` (2 or 3)
/// 6-bit values at `out`; false when its unused low bits are not zero (not
/// the canonical encoding).
bool DecodeFinalGroup(std::uint32_t group, std::size_t group_chars, std::uint8_t* out) {
  if (group_chars == 2) {
    out[0] = static_cast<std::uint8_t>(group >> 4);
    return (group & 0x0f) == 0;
  }
  out[0] = static_cast<std::uint8_t>(group >> 10);
  out[1] = static_cast<std::uint8_t>(group >> 2);
  return (group & 0x03) == 0;
}

}  // namespace

std::optional<Bytes> DecodeBase64Any(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Bytes> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (text.empty()) return fail("empty");

  // Padding: only at the end, and only as much as completes a 4-char group.
  std::size_t data_len = text.size();
  while (data_len > 0 && text[data_len - 1] == '=') --data_len;
  std::size_t pad = text.size() - data_len;
  if (pad > 0 && (pad > 2 || text.size() % 4 != 0)) {
    return fail("incorrect '=' padding");
  }
  if (data_len % 4 == 1) return fail("length " + std::to_string(data_len) + " cannot be base64");

  // Four characters are decoded at a time, with one branch for the error path.
  const DecodeTables& kTables = Tables();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  auto first_invalid = [&](std::size_t from) {
    std::size_t i = from;
    while (kTables.value[in[i]] != kInvalid) ++i;
    return fail(DescribeChar(text[i], i));
  };

  Bytes out(data_len * 3 / 4);
  // Whole 32-character blocks first, 32 at a time where the processor can;
  // the loop below takes over at the first block that holds anything else.
  Base64BlockAlphabets block_alphabets;
  std::size_t i = DecodeBase64Blocks(in, data_len, out.data(), out.size(), block_alphabets);
  std::size_t o = i / 4 * 3;
  std::uint32_t seen = 0;  // the OR of every full group's placed entries
  for (; i + 4 <= data_len; i += 4, o += 3) {
    const std::uint32_t group = kTables.placed[0][in[i]] | kTables.placed[1][in[i + 1]] | kTables.placed[2][in[i + 2]] |
                                kTables.placed[3][in[i + 3]];
    if ((group & kPlacedInvalid) != 0) return first_invalid(i);
    seen |= group;
    out[o] = static_cast<std::uint8_t>(group >> 16);
    out[o + 1] = static_cast<std::uint8_t>(group >> 8);
    out[o + 2] = static_cast<std::uint8_t>(group);
  }
  auto alphabets =
      static_cast<std::uint8_t>(((seen >> kPlacedAlphabetShift) & (kStdOnly | kUrlOnly)) |
                                (block_alphabets.standard ? kStdOnly : 0) | (block_alphabets.url ? kUrlOnly : 0));
  // A final group of 2 or 3 characters carries 1 or 2 bytes; its unused low
  // bits must be zero (canonical encoding).
  const std::size_t tail = data_len - i;
  bool canonical = true;
  if (tail > 0) {
    std::uint32_t group = 0;
    for (std::size_t t = 0; t < tail; ++t) {
      const std::uint8_t v = kTables.value[in[i + t]];
      if (v == kInvalid) return first_invalid(i);
      alphabets = static_cast<std::uint8_t>(alphabets | kTables.alphabet[in[i + t]]);
      group = (group << 6) | v;
    }
    canonical = DecodeFinalGroup(group, tail, out.data() + o);
  }
  if (alphabets == (kStdOnly | kUrlOnly)) return fail("mixes the standard and URL-safe alphabets");
  if (!canonical) return fail("non-zero trailing bits (not canonical base64)");
  return out;
}

std::optional<Bytes> DecodeBase64UrlStrict(std::string_view text, std::string* error) {
  if (text.empty()) return Bytes{};
  // Every character is checked first, so the first stray one ('=', '+',
  // whitespace, ...) is what the error names, not the length it spoils.
  // One table look-up per character (a search of the alphabet per character
  // was most of the cost of reading a token, docs/maa.md "Verifying many
  // tokens").
  const DecodeTables& tables = Tables();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (tables.value[u] != kInvalid && tables.alphabet[u] != kStdOnly) continue;
    if (error) {
      if (c == '=') {
        *error = "'=' padding at position " + std::to_string(i) + " (base64url here is unpadded)";
      } else if (c == '+' || c == '/') {
        *error = DescribeChar(c, i) + " (not in the base64url alphabet)";
      } else {
        *error = DescribeChar(c, i);
      }
    }
    return std::nullopt;
  }
  return DecodeBase64Any(text, error);
}

std::string EncodeBase64Url(ByteSpan data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t b : data) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kUrlAlphabet[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kUrlAlphabet[(acc << (6 - bits)) & 0x3f];
  return out;
}

}  // namespace keyattest
