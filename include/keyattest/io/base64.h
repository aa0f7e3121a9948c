// Base64 as Azure writes it: base64url without padding in practice, standard
// base64 from some SDK serialisers (docs/marvell-format.md §2.2). Decoding is strict.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keyattest/core/bytes.h"

namespace keyattest {

/// Decodes standard or URL-safe base64, padding optional. Rejects: mixed
/// alphabets, whitespace or any other character, misplaced or excess '=',
/// a length that cannot be base64, and non-zero leftover bits (so each byte
/// string has exactly one accepted encoding per alphabet and padding choice).
/// Returns the reason in `error` and nullopt on failure.
std::optional<Bytes> DecodeBase64Any(std::string_view text, std::string* error);

/// Decodes base64url exactly as JOSE (RFC 7515 §2) writes it: the URL-safe
/// alphabet only, no '=' padding, no whitespace, zero leftover bits. The
/// empty text decodes to no bytes (an unsecured JWS has an empty signature).
/// Returns the reason in `error` and nullopt on failure.
std::optional<Bytes> DecodeBase64UrlStrict(std::string_view text, std::string* error);

/// Encodes URL-safe base64 without padding (as Azure does).
std::string EncodeBase64Url(ByteSpan data);

}  // namespace keyattest
