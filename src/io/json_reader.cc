#include "keyattest/io/json_reader.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace keyattest {

namespace {

/// The length of the run of plain characters at `data` (at most `n`): bytes
/// that a JSON string holds as they are, i.e. not '"', not '\\', not a
/// control character (< 0x20) and ASCII (< 0x80). Strings in attestation
/// documents are kilobytes of base64, so sixteen bytes are tested at a time
/// where SSE2 is there (every x86-64), then eight (the classic "has zero
/// byte" and "has byte less than" word tests, both exact), then the word
/// that holds a special byte a byte at a time.
std::size_t PlainRunLength(const char* data, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  // x86-64 always has SSE2: 16 bytes a step. As signed bytes, both the
  // control characters and every byte from 0x80 are less than 0x20.
  // NOLINTBEGIN(portability-simd-intrinsics)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= n; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                         _mm_cmplt_epi8(bytes, space));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
  // NOLINTEND(portability-simd-intrinsics)
#endif
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](std::uint64_t w) { return (w - kOnes) & ~w & kHighs; };
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, data + i, 8);
    const std::uint64_t special = (w & kHighs) | ((w - kOnes * 0x20) & ~w & kHighs) | has_zero_byte(w ^ (kOnes * '"')) |
                                  has_zero_byte(w ^ (kOnes * '\\'));
    if (special != 0) break;
  }
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
  }
  return i;
}

template <class Json>
class Reader {
 public:
  Reader(std::string_view text, std::size_t max_depth) : text_(text), max_depth_(max_depth) {
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  }

  Json Document() {
    SkipSpace();
    Json value = Value(0);
    SkipSpace();
    if (pos_ != text_.size()) {
      throw JsonSyntaxError(JsonSyntaxError::Kind::kSyntax, pos_ + 1,
                            "trailing data after the JSON document at " + Where(pos_));
    }
    return value;
  }

 private:
  [[noreturn]] void Fail() { Fail(pos_); }
  [[noreturn]] void Fail(std::size_t at) {
    if (at >= text_.size() && text_.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      // The commonest cause by far: a download or copy cut short. Say so.
      throw JsonSyntaxError(JsonSyntaxError::Kind::kSyntax, at + 1,
                            "not valid JSON: the text ends after byte " + std::to_string(text_.size()) +
                                " before the document is complete (a truncated file?)");
    }
    throw JsonSyntaxError(JsonSyntaxError::Kind::kSyntax, at + 1, "not valid JSON at " + Where(at));
  }

  /// "line L, column C (byte B)", 1-based, for the byte at `at`.
  std::string Where(std::size_t at) const {
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(at - line_start + 1) + " (byte " +
           std::to_string(at + 1) + ")";
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  unsigned char Peek() const { return AtEnd() ? 0 : static_cast<unsigned char>(text_[pos_]); }

  void SkipSpace() {
    while (!AtEnd()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  void Expect(char c) {
    if (AtEnd() || text_[pos_] != c) Fail();
    ++pos_;
  }

  Json Value(std::size_t depth) {
    if (AtEnd()) Fail();
    switch (text_[pos_]) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"':
        return String();
      case 't':
        Literal("true");
        return true;
      case 'f':
        Literal("false");
        return false;
      case 'n':
        Literal("null");
        return nullptr;
      default:
        return Number();
    }
  }

  void Literal(std::string_view word) {
    for (char c : word) {
      if (AtEnd() || text_[pos_] != c) Fail();
      ++pos_;
    }
  }

  void CheckDepth(std::size_t depth) {
    if (depth > max_depth_) {
      throw JsonSyntaxError(JsonSyntaxError::Kind::kTooDeep, pos_ + 1,
                            "JSON nesting deeper than " + std::to_string(max_depth_) + " levels");
    }
  }

  Json Object(std::size_t depth) {
    CheckDepth(depth);
    ++pos_;  // '{'
    Json object = Json::object();
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      return object;
    }
    for (;;) {
      SkipSpace();
      if (Peek() != '"') Fail();
      const std::size_t key_at = pos_;
      std::string key = StringContent();
      SkipSpace();
      Expect(':');
      SkipSpace();
      Json value = Value(depth);
      auto [it, inserted] = object.emplace(key, std::move(value));
      (void)it;
      if (!inserted) {
        throw JsonSyntaxError(JsonSyntaxError::Kind::kDuplicateMember, key_at + 1,
                              "duplicate JSON member \"" + key.substr(0, 64) + "\"");
      }
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      Expect('}');
      return object;
    }
  }

  Json Array(std::size_t depth) {
    CheckDepth(depth);
    ++pos_;  // '['
    Json array = Json::array();
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      return array;
    }
    for (;;) {
      SkipSpace();
      array.push_back(Value(depth));
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      Expect(']');
      return array;
    }
  }

  Json String() { return Json(StringContent()); }

  /// Reads a string literal at pos_ (which is at the opening quote).
  std::string StringContent() {
    ++pos_;  // '"'
    std::string out;
    const char* data = text_.data();
    const std::size_t n = text_.size();
    for (;;) {
      // Bulk-copy the run of plain ASCII characters.
      const std::size_t run = pos_ + PlainRunLength(data + pos_, n - pos_);
      out.append(data + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= n) Fail(n);  // the text ends inside a string
      auto c = static_cast<unsigned char>(data[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) Fail();
      if (c == '\\') {
        Escape(out);
      } else {
        Utf8Sequence(out);
      }
    }
  }

  unsigned Hex4() {
    if (pos_ + 4 > text_.size()) Fail(text_.size());
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_];
      unsigned d = (c >= '0' && c <= '9')   ? static_cast<unsigned>(c - '0')
                   : (c >= 'a' && c <= 'f') ? static_cast<unsigned>(c - 'a' + 10)
                   : (c >= 'A' && c <= 'F') ? static_cast<unsigned>(c - 'A' + 10)
                                            : 16u;
      if (d == 16) Fail();
      v = v * 16 + d;
      ++pos_;
    }
    return v;
  }

  static void AppendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  void Escape(std::string& out) {
    ++pos_;  // '\\'
    if (AtEnd()) Fail(text_.size());
    char c = text_[pos_++];
    switch (c) {
      case '"':
        out += '"';
        return;
      case '\\':
        out += '\\';
        return;
      case '/':
        out += '/';
        return;
      case 'b':
        out += '\b';
        return;
      case 'f':
        out += '\f';
        return;
      case 'n':
        out += '\n';
        return;
      case 'r':
        out += '\r';
        return;
      case 't':
        out += '\t';
        return;
      case 'u': {
        const std::size_t at = pos_ - 2;
        std::uint32_t cp = Hex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF) Fail(at);  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') Fail(at);
          pos_ += 2;
          std::uint32_t low = Hex4();
          if (low < 0xDC00 || low > 0xDFFF) Fail(at);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        AppendUtf8(out, cp);
        return;
      }
      default:
        Fail(pos_ - 1);
    }
  }

  /// One multi-byte UTF-8 sequence, strictly (no overlongs, no surrogates,
  /// nothing above U+10FFFF).
  void Utf8Sequence(std::string& out) {
    const std::size_t start = pos_;
    auto byte = [&](std::size_t i) -> unsigned { return i < text_.size() ? static_cast<unsigned char>(text_[i]) : 0u; };
    unsigned c = byte(start);
    std::size_t len = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      Fail(start);
    }
    for (std::size_t i = 1; i < len; ++i) {
      unsigned b = byte(start + i);
      if ((b & 0xC0) != 0x80) Fail(start + i);
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) Fail(start);
    out.append(text_.data() + start, len);
    pos_ = start + len;
  }

  Json Number() {
    const std::size_t start = pos_;
    auto digit = [&] { return !AtEnd() && text_[pos_] >= '0' && text_[pos_] <= '9'; };
    bool integral = true;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (digit()) {
      while (digit()) ++pos_;
    } else {
      Fail();
    }
    if (Peek() == '.') {
      integral = false;
      ++pos_;
      if (!digit()) Fail();
      while (digit()) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      integral = false;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!digit()) Fail();
      while (digit()) ++pos_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      if (*first == '-') {
        std::int64_t v = 0;
        auto r = std::from_chars(first, last, v);
        if (r.ec == std::errc() && r.ptr == last) return v;
      } else {
        std::uint64_t v = 0;
        auto r = std::from_chars(first, last, v);
        if (r.ec == std::errc() && r.ptr == last) return v;
      }
    }
    double d = 0;
    auto r = std::from_chars(first, last, d);
    if (r.ec != std::errc() || r.ptr != last || !std::isfinite(d)) Fail(start);
    return d;
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
};

}  // namespace

nlohmann::json ParseStrictJson(std::string_view text, std::size_t max_depth) {
  return Reader<nlohmann::json>(text, max_depth).Document();
}

nlohmann::ordered_json ParseStrictOrderedJson(std::string_view text, std::size_t max_depth) {
  return Reader<nlohmann::ordered_json>(text, max_depth).Document();
}

}  // namespace keyattest
