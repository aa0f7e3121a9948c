#include "keyattest/jose/jws.h"

#include <optional>
#include <stdexcept>

#include "keyattest/io/base64.h"
#include "keyattest/io/json_reader.h"

namespace keyattest::jose {

namespace {

/// One segment decoded as strict base64url; `name` says which, for errors.
Bytes DecodeSegment(std::string_view segment, const char* name, JwsPart part) {
  std::string why;
  std::optional<Bytes> bytes = DecodeBase64UrlStrict(segment, &why);
  if (!bytes) throw JwsError(part, std::string(name) + " segment is not base64url: " + why);
  return *bytes;
}

std::string AsText(const Bytes& bytes) { return {bytes.begin(), bytes.end()}; }

nlohmann::ordered_json ParseSegmentObject(const Bytes& bytes, const char* name, JwsPart part) {
  try {
    return ParseJoseObject(AsText(bytes));
  } catch (const JsonSyntaxError& e) {
    throw JwsError(part, std::string(name) + " is not strict JSON: " + e.what());
  } catch (const std::invalid_argument& e) {
    throw JwsError(part, std::string(name) + ": " + e.what());
  }
}

}  // namespace

nlohmann::ordered_json ParseJoseObject(std::string_view json_text) {
  // RFC 8259 §8.1: no byte-order mark in JSON that is exchanged; the shared
  // reader tolerates one for files, so it is refused here.
  if (json_text.size() >= 3 && json_text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    throw std::invalid_argument("starts with a byte-order mark");
  }
  nlohmann::ordered_json value = ParseStrictOrderedJson(json_text, kMaxJoseJsonDepth);
  if (!value.is_object()) throw std::invalid_argument("not a JSON object");
  return value;
}

std::string_view StripFinalLineEnding(std::string_view text) {
  if (text.ends_with("\r\n")) {
    text.remove_suffix(2);
  } else if (text.ends_with('\n')) {
    text.remove_suffix(1);
  }
  return text;
}

CompactJws ParseCompactJws(std::string_view text, const JwsParseOptions& options) {
  if (text.empty()) throw JwsError(JwsPart::kFormat, "empty");
  if (text.size() > kMaxCompactJwsBytes) {
    throw JwsError(JwsPart::kFormat, "longer than " + std::to_string(kMaxCompactJwsBytes) + " bytes");
  }
  const std::size_t first = text.find('.');
  const std::size_t second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos) {
    std::size_t dots = 0;
    for (char c : text) dots += c == '.' ? 1 : 0;
    throw JwsError(JwsPart::kFormat,
                   "has " + std::to_string(dots + 1) + " segments separated by '.'; a compact JWS has exactly 3");
  }
  const std::string_view header_b64 = text.substr(0, first);
  const std::string_view payload_b64 = text.substr(first + 1, second - first - 1);
  const std::string_view signature_b64 = text.substr(second + 1);
  if (header_b64.empty()) throw JwsError(JwsPart::kFormat, "header segment is empty");
  if (payload_b64.empty()) throw JwsError(JwsPart::kFormat, "payload segment is empty");

  CompactJws jws;
  const Bytes header = DecodeSegment(header_b64, "header", JwsPart::kFormat);
  const Bytes payload = DecodeSegment(payload_b64, "payload", JwsPart::kFormat);
  jws.signature = DecodeSegment(signature_b64, "signature", JwsPart::kFormat);
  jws.signing_input = std::string(text.substr(0, second));
  jws.header = ParseSegmentObject(header, "header", JwsPart::kHeader);
  jws.payload_bytes = AsText(payload);
  if (options.payload_is_json_object) jws.payload = ParseSegmentObject(payload, "payload", JwsPart::kPayload);
  return jws;
}

}  // namespace keyattest::jose
