// A strict RFC 8259 JSON reader for untrusted attestation documents. It
// builds an nlohmann::json value, but scans strings in bulk (the documents
// are mostly three long base64 strings), bounds nesting, and rejects
// duplicate member names instead of letting the last one win.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keyattest {

class JsonSyntaxError : public std::runtime_error {
 public:
  enum class Kind { kSyntax, kTooDeep, kDuplicateMember };
  JsonSyntaxError(Kind kind, std::size_t position, const std::string& what)
      : std::runtime_error(what), kind_(kind), position_(position) {}
  Kind kind() const { return kind_; }
  /// 1-based byte position of the offending byte.
  std::size_t position() const { return position_; }

 private:
  Kind kind_;
  std::size_t position_;
};

/// Parses `text` (UTF-8, an optional BOM) as exactly one JSON value. Strings
/// must be valid UTF-8 without unescaped control characters; escapes are
/// decoded (surrogate pairs joined, lone surrogates rejected); integers that
/// fit 64 bits stay integers, other numbers become doubles, and numbers
/// beyond double range are rejected. Throws JsonSyntaxError.
nlohmann::json ParseStrictJson(std::string_view text, std::size_t max_depth);

/// The same reader, keeping object members in document order (token claims
/// are shown as the issuer wrote them).
nlohmann::ordered_json ParseStrictOrderedJson(std::string_view text, std::size_t max_depth);

}  // namespace keyattest
