// RFC 3339 times, read (--at) and written (checked_at, certificate
// validity) in one place.
#pragma once

#include <ctime>
#include <optional>
#include <string>

namespace keyattest {

/// Parses an RFC 3339 date-time ("2026-01-02T03:04:05Z", optional fraction,
/// "Z" or "+hh:mm"/"-hh:mm" offset). Returns nullopt on any deviation.
std::optional<std::time_t> ParseRfc3339(const std::string& s);

/// Formats a time_t as RFC 3339 UTC ("2026-11-22T21:02:58Z"; years 0 to 999
/// with four digits, "0999"). Years outside 0 to 9999 have no RFC 3339 form:
/// they are written as strftime writes them.
std::string FormatRfc3339(std::time_t t);

}  // namespace keyattest
