#include "keyattest/io/base64.h"

#include "keyattest/core/bytes.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

namespace keyattest {
namespace {

Bytes Decode(std::string_view text) {
  std::string why;
  auto out = DecodeBase64Any(text, &why);
  EXPECT_TRUE(out.has_value()) << why;
  return out.value_or(Bytes{});
}

std::string Reject(std::string_view text) {
  std::string why;
  auto out = DecodeBase64Any(text, &why);
  EXPECT_FALSE(out.has_value()) << "accepted '" << text << "'";
  return why;
}

TEST(Base64Test, DecodesUrlSafeWithoutPadding) { EXPECT_EQ(Decode("-_8"), (Bytes{0xfb, 0xff})); }
TEST(Base64Test, DecodesUrlSafeWithPadding) { EXPECT_EQ(Decode("-_8="), (Bytes{0xfb, 0xff})); }
TEST(Base64Test, DecodesStandardAlphabet) { EXPECT_EQ(Decode("+/8="), (Bytes{0xfb, 0xff})); }
TEST(Base64Test, DecodesStandardWithoutPadding) { EXPECT_EQ(Decode("+/8"), (Bytes{0xfb, 0xff})); }
TEST(Base64Test, DecodesFullGroups) { EXPECT_EQ(Decode("AQID"), (Bytes{1, 2, 3})); }
TEST(Base64Test, RoundTripsUrlEncoding) {
  Bytes data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<std::uint8_t>(i * 7));
  EXPECT_EQ(Decode(EncodeBase64Url(data)), data);
}

TEST(Base64Test, RejectsMixedAlphabets) { EXPECT_EQ(Reject("+_8="), "mixes the standard and URL-safe alphabets"); }
TEST(Base64Test, RejectsInvalidCharacter) { EXPECT_EQ(Reject("AQ*D"), "invalid character '*' at position 2"); }
TEST(Base64Test, RejectsWhitespace) { EXPECT_EQ(Reject("AQ D"), "invalid character byte 0x20 at position 2"); }
TEST(Base64Test, RejectsEmpty) { EXPECT_EQ(Reject(""), "empty"); }
TEST(Base64Test, RejectsImpossibleLength) { EXPECT_EQ(Reject("AQIDB"), "length 5 cannot be base64"); }
TEST(Base64Test, RejectsExcessPadding) { EXPECT_EQ(Reject("AQ==="), "incorrect '=' padding"); }
TEST(Base64Test, RejectsPaddingOnIncompleteGroup) { EXPECT_EQ(Reject("AQ="), "incorrect '=' padding"); }
TEST(Base64Test, RejectsPaddingInTheMiddle) { EXPECT_EQ(Reject("AQ==AQID"), "invalid character '=' at position 2"); }
TEST(Base64Test, RejectsNonCanonicalTrailingBits) {
  EXPECT_EQ(Reject("AR"), "non-zero trailing bits (not canonical base64)");
}

TEST(Base64Test, RejectsNonCanonicalBitsInAThreeCharacterTail) {
  EXPECT_EQ(Decode("AQI"), (Bytes{1, 2}));
  EXPECT_EQ(Reject("AQJ"), "non-zero trailing bits (not canonical base64)");
  EXPECT_EQ(Reject("AQIDAQJ"), "non-zero trailing bits (not canonical base64)");
}

// The alphabets are tracked through full four-character groups as well as
// the tail: a mix inside one group, across groups, and between a group and
// the tail is refused, while either alphabet alone decodes the same bytes.
TEST(Base64Test, RejectsMixedAlphabetsInAndAcrossFullGroups) {
  EXPECT_EQ(Reject("+_AA"), "mixes the standard and URL-safe alphabets");
  EXPECT_EQ(Reject("/AAA-AAA"), "mixes the standard and URL-safe alphabets");
  EXPECT_EQ(Reject("AAAAAAA_AAA+"), "mixes the standard and URL-safe alphabets");
  EXPECT_EQ(Reject("+AAAAA-="), "mixes the standard and URL-safe alphabets");
  EXPECT_EQ(Decode("+/AA+AAA"), Decode("-_AA-AAA"));
  EXPECT_EQ(Decode("+/AA+AAA"), (Bytes{0xfb, 0xf0, 0x00, 0xf8, 0x00, 0x00}));
}

TEST(Base64Test, MixedAlphabetsIsReportedBeforeTrailingBits) {
  EXPECT_EQ(Reject("+_R"), "mixes the standard and URL-safe alphabets");
}

TEST(Base64Test, InvalidCharacterIsReportedAtItsPositionInAGroupOrTheTail) {
  const std::string good = "AQIDBAUGBwgJ";  // 12 characters: three full groups
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    std::string bad = good;
    bad[pos] = '!';
    EXPECT_EQ(Reject(bad), "invalid character '!' at position " + std::to_string(pos));
    if (pos < 10) {  // the first 10 characters: two groups and a 2-character tail
      EXPECT_EQ(Reject(bad.substr(0, 10)), "invalid character '!' at position " + std::to_string(pos));
    }
  }
}

/// The decoder's rules, one character at a time, in the order it applies
/// them: padding, length, the first character of neither alphabet, mixed
/// alphabets, canonical trailing bits.
std::optional<Bytes> ReferenceDecode(std::string_view text, std::string& why) {
  const std::string_view standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string_view url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (text.empty()) {
    why = "empty";
    return std::nullopt;
  }
  std::size_t data = text.size();
  while (data > 0 && text[data - 1] == '=') --data;
  const std::size_t pad = text.size() - data;
  if (pad > 0 && (pad > 2 || text.size() % 4 != 0)) {
    why = "incorrect '=' padding";
    return std::nullopt;
  }
  if (data % 4 == 1) {
    why = "length " + std::to_string(data) + " cannot be base64";
    return std::nullopt;
  }
  bool saw_standard = false;
  bool saw_url = false;
  Bytes out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < data; ++i) {
    const char c = text[i];
    std::size_t v = standard.find(c);
    if (v == std::string_view::npos) v = url.find(c);
    if (v == std::string_view::npos) {
      const auto u = static_cast<unsigned char>(c);
      why = "invalid character " +
            ((u >= 0x21 && u < 0x7f) ? std::string("'") + c + "'" : "byte 0x" + HexEncode(ByteSpan(&u, 1))) +
            " at position " + std::to_string(i);
      return std::nullopt;
    }
    saw_standard = saw_standard || c == '+' || c == '/';
    saw_url = saw_url || c == '-' || c == '_';
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  if (saw_standard && saw_url) {
    why = "mixes the standard and URL-safe alphabets";
    return std::nullopt;
  }
  if ((acc & ((1u << bits) - 1)) != 0) {
    why = "non-zero trailing bits (not canonical base64)";
    return std::nullopt;
  }
  return out;
}

// The decoder against a bit-at-a-time oracle, for every length up to 64
// bytes, in both alphabets.
TEST(Base64Test, AgreesWithABitwiseOracle) {
  auto oracle = [](std::string_view text) {
    std::string why;
    return ReferenceDecode(text, why).value_or(Bytes{0xde, 0xad});  // a valid text: the reference decodes it
  };
  Bytes data;
  for (std::size_t n = 1; n <= 64; ++n) {
    data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
    std::string url = EncodeBase64Url(data);
    std::string standard = url;
    for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
    EXPECT_EQ(Decode(url), data) << n;
    EXPECT_EQ(Decode(standard), data) << n;
    EXPECT_EQ(Decode(url), oracle(url)) << n;
  }
}

// Texts of several 32-character blocks (decoded 32 at a time where the
// processor can) must decode and fail exactly as the group-at-a-time loop:
// every character of both alphabets in every position of a block, every
// other byte value at a position in the first, a middle and the last block,
// and alphabets mixed across blocks and the tail.
TEST(Base64Test, WholeBlocksDecodeEveryCharacterAsGroupsDo) {
  Bytes data;
  for (std::size_t n = 0; n < 3 * 256; ++n) data.push_back(static_cast<std::uint8_t>((n * 167 + n / 256) & 0xff));
  const std::string url = EncodeBase64Url(data);  // 1024 characters: 32 blocks
  std::string standard = url;
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  ASSERT_EQ(url.size(), 1024u);
  ASSERT_NE(url.find('-'), std::string::npos);
  ASSERT_NE(url.find('_'), std::string::npos);
  for (std::size_t cut = 32; cut <= url.size(); cut += 12) {  // whole blocks and every tail length
    const std::size_t chars = cut - cut % 4;
    const Bytes expected(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(chars / 4 * 3));
    EXPECT_EQ(Decode(url.substr(0, chars)), expected) << chars;
    EXPECT_EQ(Decode(standard.substr(0, chars)), expected) << chars;
  }
}

TEST(Base64Test, AnInvalidByteInABlockIsReportedAtItsPosition) {
  const std::string good = EncodeBase64Url(Bytes(240, 0x5a));  // 320 characters: 10 blocks
  const std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/";
  for (unsigned byte = 0; byte < 256; ++byte) {
    if (byte == '=' || alphabet.find(static_cast<char>(byte)) != std::string_view::npos) continue;  // '=': below
    for (std::size_t pos : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{150}, std::size_t{319}}) {
      std::string bad = good;
      bad[pos] = static_cast<char>(byte);
      std::string why;
      ASSERT_FALSE(DecodeBase64Any(bad, &why).has_value()) << byte << " at " << pos;
      EXPECT_NE(why.find("at position " + std::to_string(pos)), std::string::npos) << why;
    }
  }
  for (std::size_t pos = 0; pos + 1 < good.size(); ++pos) {  // at the very end, '=' is padding
    std::string bad = good;
    bad[pos] = '=';
    EXPECT_EQ(Reject(bad), "invalid character '=' at position " + std::to_string(pos));
  }
}

TEST(Base64Test, AlphabetsMixedAcrossBlocksAndTheTailAreRejected) {
  const std::string plain(200, 'A');  // 6 blocks and an 8-character tail
  for (std::size_t standard_at : {std::size_t{0}, std::size_t{40}, std::size_t{195}}) {
    for (std::size_t url_at : {std::size_t{5}, std::size_t{100}, std::size_t{198}}) {
      for (const auto& [s, u] : {std::pair{'+', '-'}, std::pair{'/', '_'}}) {
        std::string text = plain;
        text[standard_at] = s;
        text[url_at] = u;
        EXPECT_EQ(Reject(text), "mixes the standard and URL-safe alphabets") << standard_at << " " << url_at;
        text[url_at] = s;
        EXPECT_EQ(Decode(text).size(), 150u);
      }
    }
  }
}

// Random texts of every kind, short and long (whole blocks and tails), each
// decoded as the reference decodes it: the same bytes, or the same reason.
TEST(Base64Test, AgreesWithAReferenceDecoderOnRandomTexts) {
  std::mt19937_64 rng(20261130);
  const std::string_view common = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::size_t accepted = 0;
  for (int round = 0; round < 40000; ++round) {
    std::size_t length = rng() % 140;
    if (round % 10 == 0) length = rng() % 1200;
    const auto mode = rng() % 6;
    std::string text;
    for (std::size_t k = 0; k < length; ++k) {
      const auto r = rng() % 1000;
      char c = common[rng() % common.size()];
      if ((mode == 1 || mode == 3) && r < 20) c = "+/"[rng() % 2];
      if ((mode == 2 || mode == 3) && r < 20) c = "-_"[rng() % 2];
      if (mode == 4 && r < 3) c = static_cast<char>(rng() % 256);
      if (mode == 5 && r < 2) c = "=\n \r\t"[rng() % 5];
      text += c;
    }
    text.append(rng() % 3 == 0 ? rng() % 3 : 0, '=');
    std::string why;
    std::string reference_why;
    const std::optional<Bytes> got = DecodeBase64Any(text, &why);
    const std::optional<Bytes> want = ReferenceDecode(text, reference_why);
    ASSERT_EQ(got.has_value(), want.has_value()) << text << ": " << why << " | " << reference_why;
    if (want) {
      ASSERT_EQ(*got, *want) << text;
      ++accepted;
    } else {
      ASSERT_EQ(why, reference_why) << text;
    }
  }
  // Both outcomes are exercised in earnest.
  EXPECT_GT(accepted, 4000u);
  EXPECT_LT(accepted, 36000u);
}

TEST(HexTest, DecodesEitherCase) {
  EXPECT_EQ(HexDecode("00ffA5b7"), (Bytes{0x00, 0xff, 0xa5, 0xb7}));
  EXPECT_EQ(HexDecode(""), Bytes{});
  EXPECT_EQ(HexDecode(HexEncode(Bytes{1, 2, 254})), (Bytes{1, 2, 254}));
}

TEST(HexTest, RejectsOddLengthAndNonHex) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("0g"), std::nullopt);
  EXPECT_EQ(HexDecode("+1"), std::nullopt);  // what std::stoi would have taken
  EXPECT_EQ(HexDecode("0x"), std::nullopt);
  EXPECT_EQ(HexDecode(" 1"), std::nullopt);
}

}  // namespace
}  // namespace keyattest
