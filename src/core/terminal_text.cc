#include "keyattest/core/terminal_text.h"

#include <cstdint>
#include <cstdio>

namespace keyattest {

namespace {

void AppendByteEscape(std::string& out, unsigned char byte) {
  char buf[8];
  (void)std::snprintf(buf, sizeof(buf), "\\x%02x", byte);
  out += buf;
}

void AppendCodePointEscape(std::string& out, std::uint32_t cp) {
  char buf[12];
  (void)std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(cp));
  out += buf;
}

/// Length of the valid UTF-8 sequence at `text[i]` and its code point, or 0
/// when the bytes there are not a valid, shortest-form sequence.
std::size_t DecodeUtf8(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  std::size_t len = 0;
  std::uint32_t min = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2, cp = b0 & 0x1fu, min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3, cp = b0 & 0x0fu, min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xc0u) != 0x80u) return 0;
    cp = (cp << 6) | (b & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

bool IsDangerousCodePoint(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/// Whether a backslash followed by `text[next]` may be written as it is:
/// at the end of the text, or before a printable ASCII character that starts
/// no escape. Before a backslash, 'x' or 'u', and before any character that
/// is itself escaped or is not ASCII, it is doubled. Read from the left,
/// "\\" is then always one backslash of the text and "\x1b" always the byte,
/// while names keep their RFC 4514 escapes as they are ("O=Cavium\, Inc.").
bool StaysPlainAfterBackslash(std::string_view text, std::size_t next) {
  if (next >= text.size()) return true;
  const auto c = static_cast<unsigned char>(text[next]);
  return c >= 0x20 && c < 0x7f && c != '\\' && c != 'x' && c != 'u';
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if (byte < 0x20 || byte == 0x7f) {
        AppendByteEscape(out, byte);
      } else if (byte == '\\' && !StaysPlainAfterBackslash(text, i + 1)) {
        out += "\\\\";
      } else {
        out += static_cast<char>(byte);
      }
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {
      AppendByteEscape(out, byte);
      ++i;
    } else if (IsDangerousCodePoint(cp)) {
      AppendCodePointEscape(out, cp);
      i += len;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace keyattest
