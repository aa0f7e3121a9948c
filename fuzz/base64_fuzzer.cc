// Fuzz target (b): strict base64. The input is used twice: as text to decode,
// and as bytes to encode and decode again.
//
// Properties (base64.h): decoding is strict, so every accepted text is the
// unique encoding of its bytes for its alphabet and padding choice; mapping
// it to the URL alphabet without padding must give exactly EncodeBase64Url of
// the decoded bytes. Conversely, EncodeBase64Url of any non-empty bytes, and
// its standard padded twin, decode back to those bytes.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/fuzz_common.h"
#include "keyattest/io/base64.h"

namespace keyattest::fuzz {
namespace {

std::string ToUrlUnpadded(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out(text);
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string ToStandardPadded(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text += '=';
  return text;
}

void DecodeAsText(std::string_view text) {
  std::string error;
  std::optional<Bytes> decoded = DecodeBase64Any(text, &error);
  if (!decoded) {
    KEYATTEST_FUZZ_CHECK(!error.empty(), "rejection without a reason");
    return;
  }
  KEYATTEST_FUZZ_CHECK(!text.empty(), "accepted empty text");
  const std::string canonical = ToUrlUnpadded(text);
  KEYATTEST_FUZZ_CHECK(decoded->size() == canonical.size() * 6 / 8, "decoded length does not follow the text length");
  KEYATTEST_FUZZ_CHECK(EncodeBase64Url(*decoded) == canonical,
                       "accepted a non-canonical encoding: '" + std::string(text.substr(0, 80)) + "'");
  const std::size_t padding = text.size() - text.find_last_not_of('=') - 1;
  KEYATTEST_FUZZ_CHECK(padding == 0 || (text.size() % 4 == 0 && padding == (4 - canonical.size() % 4) % 4),
                       "accepted padding that does not complete the last 4-character group");
}

void EncodeAsBytes(ByteSpan data) {
  const std::string url = EncodeBase64Url(data);
  KEYATTEST_FUZZ_CHECK(url.size() == (data.size() * 4 + 2) / 3, "unexpected encoded length");
  std::string error;
  std::optional<Bytes> back = DecodeBase64Any(url, &error);
  if (data.empty()) {
    KEYATTEST_FUZZ_CHECK(!back, "empty text decoded");
    return;
  }
  KEYATTEST_FUZZ_CHECK(back.has_value(), "own encoding rejected: " + error);
  KEYATTEST_FUZZ_CHECK(Bytes(data.begin(), data.end()) == *back, "URL-safe round trip changed the bytes");
  std::optional<Bytes> standard = DecodeBase64Any(ToStandardPadded(url), &error);
  KEYATTEST_FUZZ_CHECK(standard.has_value(), "standard padded twin rejected: " + error);
  KEYATTEST_FUZZ_CHECK(*standard == *back, "standard round trip changed the bytes");
}

}  // namespace
}  // namespace keyattest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keyattest::fuzz::DecodeAsText(std::string_view(reinterpret_cast<const char*>(data), size));
  keyattest::fuzz::EncodeAsBytes(keyattest::ByteSpan(data, size));
  return 0;
}
