// HexEncode and HexDecode: exact text for known bytes, every byte value, and
// the round trip; HexDecode's refusals.
#include "keyattest/core/bytes.h"

#include <gtest/gtest.h>

namespace keyattest {
namespace {

TEST(HexTest, EncodesLowerCaseTwoDigitsPerByte) {
  EXPECT_EQ(HexEncode(Bytes{}), "");
  EXPECT_EQ(HexEncode(Bytes{0x00}), "00");
  EXPECT_EQ(HexEncode(Bytes{0x0f, 0xf0, 0xab, 0x01, 0xff}), "0ff0ab01ff");
}

TEST(HexTest, EveryByteValueRoundTrips) {
  Bytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  const std::string hex = HexEncode(all);
  ASSERT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(504), "fcfdfeff");
  EXPECT_EQ(HexDecode(hex), all);
}

TEST(HexTest, DecodeRefusesOddLengthAndNonHexDigits) {
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("0g"), std::nullopt);
  EXPECT_EQ(HexDecode("AB"), (Bytes{0xab}));
}

}  // namespace
}  // namespace keyattest
