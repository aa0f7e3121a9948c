// Turning the snp command's expectation options into values (docs/snp.md
// "Options").
#include <charconv>

#include "keyattest/core/errors.h"
#include "keyattest/io/base64.h"
#include "keyattest/snp/verifier.h"

namespace keyattest::snp {

Bytes HostDataOfPolicyText(ByteSpan rego) { return Sha256(rego); }

Bytes HostDataOfPolicyBase64(ByteSpan base64_text) {
  std::string_view text(reinterpret_cast<const char*>(base64_text.data()), base64_text.size());
  if (text.ends_with("\r\n")) {
    text.remove_suffix(2);
  } else if (text.ends_with("\n")) {
    text.remove_suffix(1);
  }
  if (text.find_first_of("-_") != std::string_view::npos) {
    throw UsageError("--security-policy-b64: the policy is not standard base64 ('-' or '_' found)");
  }
  std::string error;
  std::optional<Bytes> decoded = DecodeBase64Any(text, &error);
  if (!decoded || decoded->empty()) {
    throw UsageError("--security-policy-b64: the policy is not base64: " + (decoded ? "it is empty" : error));
  }
  return Sha256(*decoded);
}

Bytes ParseHostDataHex(const std::string& hex) {
  std::optional<Bytes> bytes = HexDecode(hex);
  if (!bytes || bytes->size() != 32) {
    throw UsageError("--host-data: expected 64 hex digits (32 bytes), got \"" + hex + "\"");
  }
  return *bytes;
}

MinimumTcb ParseMinimumTcb(const std::string& text) {
  std::uint8_t parts[4] = {};
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const std::size_t end = i == 3 ? text.size() : text.find('.', start);
    const bool bad_split =
        end == std::string::npos || end == start || (i == 3 && text.find('.', start) != std::string::npos);
    unsigned value = 0;
    const char* first = text.data() + start;
    const char* last = text.data() + (end == std::string::npos ? text.size() : end);
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (bad_split || ec != std::errc() || ptr != last || value > 255 || (last - first > 1 && *first == '0')) {
      throw UsageError("--min-tcb: expected BL.TEE.SNP.UCODE, four decimal numbers 0-255 (e.g. 3.0.8.115), got \"" +
                       text + "\"");
    }
    parts[i] = static_cast<std::uint8_t>(value);
    start = end + 1;
  }
  return MinimumTcb{parts[0], parts[1], parts[2], parts[3]};
}

}  // namespace keyattest::snp
