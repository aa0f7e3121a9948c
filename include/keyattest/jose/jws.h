// Compact JWS (RFC 7515 §7.1) read strictly: exactly three base64url
// segments without padding or whitespace, a header that is a JSON object read
// with the project's strict reader, and (for every JWS this project verifies)
// a payload that is a JSON object too. Generic: MAA tokens, MAA policy JWS
// and Key Vault release responses all go through it (docs/maa.md "Token
// format").
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"
#include "keyattest/core/limits.h"

namespace keyattest::jose {

/// Bounds for untrusted JOSE input (the JWS cap is in core/limits.h).
using keyattest::kMaxCompactJwsBytes;
inline constexpr std::size_t kMaxJoseJsonDepth = 32;

/// Which part of a compact JWS is malformed.
enum class JwsPart { kFormat, kHeader, kPayload };

/// A compact JWS that cannot be read (the caller maps it to exit 3).
class JwsError : public std::runtime_error {
 public:
  JwsError(JwsPart part, const std::string& what) : std::runtime_error(what), part_(part) {}
  JwsPart part() const { return part_; }

 private:
  JwsPart part_;
};

struct CompactJws {
  /// The ASCII bytes the signature covers: BASE64URL(header) "." BASE64URL(payload).
  std::string signing_input;
  nlohmann::ordered_json header;   // a JSON object
  std::string payload_bytes;       // the decoded payload, as sent
  nlohmann::ordered_json payload;  // the payload as a JSON object (when asked for)
  Bytes signature;                 // decoded; empty for an unsecured JWS
};

struct JwsParseOptions {
  /// Read the payload as a JSON object (JwsPart::kPayload errors otherwise).
  bool payload_is_json_object = true;
};

/// Parses exactly one compact JWS. `text` must be the JWS alone (callers
/// strip a final line ending first, see StripFinalLineEnding). Throws JwsError
/// naming the part and exactly what is wrong (segment count, the character
/// and its position, padding, JSON error and byte position, duplicate member).
CompactJws ParseCompactJws(std::string_view text, const JwsParseOptions& options = {});

/// Reads JSON text that must be one object (a JOSE header, a JWT claims set,
/// a JWKS), strictly: duplicate members, invalid UTF-8, a byte-order mark and
/// nesting deeper than kMaxJoseJsonDepth are errors. Throws JsonSyntaxError
/// or std::invalid_argument ("not a JSON object").
nlohmann::ordered_json ParseJoseObject(std::string_view json_text);

/// A file's text without one final "\n" or "\r\n" (editors and `echo` add
/// one). Nothing else is trimmed.
std::string_view StripFinalLineEnding(std::string_view text);

}  // namespace keyattest::jose
