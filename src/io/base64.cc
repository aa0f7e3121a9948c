#include "keyattest/base64.h"

#include <array>
#include <cstdint>

namespace keyattest {

namespace {

constexpr std::string_view kStdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string DescribeChar(char c, std::size_t pos) {
  auto u = static_cast<unsigned char>(c);
  std::string shown = (u >= 0x21 && u < 0x7f) ? std::string("'") + c + "'" : "byte 0x" + HexEncode(ByteSpan(&u, 1));
  return "invalid character " + shown + " at position " + std::to_string(pos);
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

  // 0-63: value; 64: '+' or '/'; 65: '-' or '_' (alphabet markers are
  // folded into the value table to keep the loop branch-light).
  static const std::array<int, 256> kValue = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    for (std::size_t i = 0; i < 64; ++i) {
      t[static_cast<unsigned char>(kStdAlphabet[i])] = static_cast<int>(i);
      t[static_cast<unsigned char>(kUrlAlphabet[i])] = static_cast<int>(i);
    }
    return t;
  }();

  bool saw_std = false;
  bool saw_url = false;
  Bytes out(data_len * 3 / 4);
  std::size_t o = 0;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < data_len; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int v = kValue[c];
    if (v < 0) return fail(DescribeChar(text[i], i));
    saw_std |= (c == '+' || c == '/');
    saw_url |= (c == '-' || c == '_');
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<std::uint8_t>((acc >> bits) & 0xff);
    }
  }
  if (saw_std && saw_url) return fail("mixes the standard and URL-safe alphabets");
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return fail("non-zero trailing bits (not canonical base64)");
  }
  return out;
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
